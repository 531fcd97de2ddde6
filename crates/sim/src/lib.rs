//! stsplay's simulated cluster. Pure Rust: no IO, no wall clock, no web dependencies.
//! Time and input come in as arguments; state and events go out as data.

mod apiserver;
pub mod claim_book;
pub mod clock;
pub mod cluster;
pub mod command;
pub mod config;
pub mod contrast;
pub mod controller;
pub mod endpoints;
mod event_loop;
pub mod events;
mod faults;
pub mod gc;
pub mod history;
pub mod image_ref;
pub mod kind;
pub mod kubelet;
pub mod labels;
pub mod merge;
pub mod names;
pub mod object;
pub mod ordinal;
pub mod podstatus;
pub mod programs;
pub mod pvc_protection;
pub mod qty;
pub mod registry;
pub mod replay;
pub mod resources;
pub mod revision;
pub mod scheduler;
pub mod shell;
pub mod sort;
mod spew;
mod state;
pub mod store;
pub mod time;
pub mod unicase;
pub mod vecmap;
pub mod volumes;
pub mod why;

pub use apiserver::{EVICTION_REFUSED, budgets_of, drain_targets};
pub use kind::system;

pub use cluster::{Cluster, ClusterConfig, SettleReport, StepReport};
pub use command::{Applied, Command, ExecOutput, Fault, Outcome, Propagation, SimError};
pub use k8s_openapi;
