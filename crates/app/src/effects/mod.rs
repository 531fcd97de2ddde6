//! What [`crate::App`] does beside rendering: the media query it follows, the page-wide
//! shortcuts, the theme on `<html>`, saving the work. Plain functions and structs that `App`
//! calls after a render (where hooks' effects ran), not hooks: `App` is a struct component, so
//! yew's hook plumbing is not instantiated for each of them.

mod media_query;
mod persist;
mod shortcuts;
mod theme;

pub use media_query::{media_query, on_media_change};
pub use persist::Persist;
pub use shortcuts::{SHORTCUTS, Shortcut, listen_shortcuts, shortcut_for};
pub use theme::set_theme;
