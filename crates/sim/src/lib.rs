//! stsplay's simulated cluster. Pure Rust: no IO, no wall clock, no web dependencies.
//! Time and input come in as arguments; state and events go out as data.

pub mod clock;
pub mod cluster;
pub mod command;
pub mod config;
pub mod controller;
pub mod endpoints;
pub mod events;
pub mod gc;
pub mod history;
pub mod kubelet;
pub mod merge;
pub mod object;
pub mod podstatus;
pub mod programs;
pub mod pvc_protection;
pub mod registry;
pub mod replay;
pub mod revision;
pub mod scheduler;
pub mod shell;
pub mod store;
pub mod system;
pub mod time;
pub mod volumes;
pub mod why;

pub use cluster::{Cluster, ClusterConfig, SettleReport, StepReport};
pub use command::{Applied, Command, ExecOutput, Fault, Outcome, Propagation, SimError};
pub use k8s_openapi;
