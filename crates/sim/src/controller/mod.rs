//! The controllers of the simulated control plane that this module owns: the StatefulSet
//! controller (`statefulset`), driven by a small work queue that follows the upstream
//! informer event handlers (`queue`), and the "why is it waiting" analysis (`explain`).

pub mod explain;
pub mod queue;
pub mod statefulset;
pub mod util;

pub use explain::{Wait, explain};
pub use queue::{IdleReport, WorkQueue, run_until_idle};
