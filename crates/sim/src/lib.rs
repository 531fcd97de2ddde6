//! stsplay's simulated cluster. Pure Rust: no IO, no wall clock, no web dependencies.
//! Time and input come in as arguments; state and events go out as data.

pub mod config;
pub mod controller;
pub mod events;
pub mod gc;
pub mod object;
pub mod pvc_protection;
pub mod replay;
pub mod revision;
pub mod store;
pub mod time;

pub use k8s_openapi;
