//! Custom hooks (cf. Yew's `function_todomvc`, `src/hooks/`).

mod use_interval;
mod use_media_query;
mod use_persist;
mod use_shortcuts;
mod use_theme;

pub use use_interval::use_interval;
pub use use_media_query::use_media_query;
pub use use_persist::use_persist;
pub use use_shortcuts::{SHORTCUTS, Shortcut, shortcut_for, use_shortcuts};
pub use use_theme::use_theme;
