//! The controllers of the simulated control plane (kube-controller-manager): the loop that runs
//! them (`manager`), the StatefulSet controller (`statefulset/`), the node lifecycle and taint
//! eviction controllers (`node_lifecycle`), and what they share (`podutil`, `meta`). The
//! garbage collector and pvc-protection are `crate::gc` and `crate::pvc_protection`.

pub mod manager;
pub mod meta;
pub(crate) mod node_lifecycle;
pub mod podutil;
pub mod statefulset;

pub use statefulset::{
    IdleReport, ReplicaMemo, Wait, WorkQueue, explain, run_until_idle,
    set_replica_memo_off_in_thread,
};
