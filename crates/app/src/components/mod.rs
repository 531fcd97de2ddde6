//! One small component per file. Components get data (compared cheaply: `Rc`s that the reducer
//! keeps when unchanged) and callbacks; none of them sees the session or the reducer.

mod console;
mod diagram;
mod editor;
mod events;
mod pods;
mod status;
mod toolbar;
mod tour;
mod why;

pub use console::Console;
pub use diagram::Diagram;
pub use editor::Editor;
pub use events::EventList;
pub use pods::PodList;
pub use status::StatusLine;
pub use toolbar::Toolbar;
pub use tour::TourPanel;
pub use why::WhyList;
