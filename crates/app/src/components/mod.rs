//! One small component per file. Components get data (compared cheaply: `Rc`s that the reducer
//! keeps when unchanged) and callbacks; none of them sees the session or the reducer. The ones
//! without hooks, and the pod list (its rows are components), are plain functions of their
//! props returning `Html` (toolbar, status line, why, events, tour panel, watches, example bar,
//! pane tabs, shortcuts, pods, the examples dialog, the modal around the dialogs, the Share button): a component costs bytes of yew's generic
//! lifecycle code each, and these re-render with the app anyway.

mod console;
mod diagram;
mod editor;
mod events;
mod example_bar;
mod examples;
pub mod modal;
mod pane_tabs;
mod pods;
mod row;
mod share;
mod shortcuts;
mod status;
mod timeline;
mod toolbar;
mod tour;
mod watch;
mod why;

pub use console::{Console, tab, transcript};
pub use diagram::Diagram;
pub use editor::{Editor, find_all, indent_lines};
pub use events::{EventsProps, event_list};
pub use example_bar::{ExampleBarProps, example_bar};
pub use examples::{EXAMPLES_DIALOG, ExamplesProps, examples_dialog};
pub use pane_tabs::{PaneTabsProps, pane_tabs};
pub use pods::{PodsProps, pod_list};
pub use share::{ShareProps, share_button};
pub use shortcuts::{SHORTCUTS_DIALOG, ShortcutsProps, shortcuts_dialog};
pub use status::{StatusProps, status_line};
pub use timeline::{Timeline, describe, stop_from};
pub use toolbar::{ToolbarProps, toolbar};
pub use tour::{TourPanelProps, tour_panel};
pub use watch::{WatchesProps, watches};
pub use why::{WhyProps, why_list};
