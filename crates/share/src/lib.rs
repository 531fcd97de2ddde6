//! Share links and the embed's message protocol: everything that crosses from an untrusted
//! page or link into the playground, decoded here with bounds and without panics.
//!
//! * [`link`]: a [`Scenario`] (files, the complete log of command lines and file writes, the
//!   timeline position, view options) in the URL fragment, versioned (`#s1.…`), deflate + base64url. Old versions keep
//!   opening; decoding is bounded (link length, inflated size, counts and sizes).
//! * [`boot`]: what a page's fragment asks for: a share link, embed mode and its options, or a
//!   gallery example.
//! * [`message`]: the `postMessage` protocol between web/embed.js on a host page and the embedded
//!   playground (versioned, origin-checked, shape-validated).
//!
//! This crate never touches the DOM, the network or storage, and never depends on the
//! simulation: its types are its own wire types ([`scenario`]), converted by the app. Strings it
//! returns are data (file text, command lines, ids); the app shows them as text.
//!
//! Start with [`link::link`] / [`link::decode`] and [`message::accept_host_message`].

pub mod base64url;
pub mod boot;
pub mod json;
pub mod link;
pub mod message;
pub mod scenario;
pub mod wire;

pub use boot::{Boot, BootConfig, BootError, parse_fragment};
pub use link::{ShareError, decode, encode_fragment, link};
pub use message::{EmbedMessage, HostMessage, MessageError};
pub use scenario::{File, Scenario, Speed, Step, Theme, TourPosition, View, ViewOptions, limits};
