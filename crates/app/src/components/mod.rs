//! One small component per file. Components get data (compared cheaply: `Rc`s that the reducer
//! keeps when unchanged) and callbacks; none of them sees the session or the reducer.

mod console;
mod diagram;
mod editor;
mod events;
mod example_bar;
mod examples;
mod modal;
mod pane_tabs;
mod pods;
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
pub use events::EventList;
pub use example_bar::ExampleBar;
pub use examples::ExamplesDialog;
pub use modal::Modal;
pub use pane_tabs::PaneTabs;
pub use pods::PodList;
pub use share::ShareButton;
pub use shortcuts::ShortcutsDialog;
pub use status::StatusLine;
pub use timeline::{Timeline, describe, stop_from};
pub use toolbar::Toolbar;
pub use tour::TourPanel;
pub use watch::Watches;
pub use why::WhyList;
