//! stsplay's simulated cluster. Pure Rust: no IO, no wall clock, no web dependencies.
//! Time and input come in as arguments; state and events go out as data.

pub mod events;
pub mod object;
pub mod store;
pub mod time;

pub use k8s_openapi;
