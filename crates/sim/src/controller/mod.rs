//! The controllers of the simulated control plane (kube-controller-manager): the loop that runs
//! them (`manager`), the StatefulSet controller (`statefulset/`), the Deployment controller
//! (`deployment/`), the ReplicaSet controller (`replicaset/`), the node lifecycle and taint
//! eviction controllers (`node_lifecycle`), the disruption controller (`disruption`), and what they share (`podutil`, `meta`,
//! `controller_utils`, `controller_ref_manager`). The
//! garbage collector and pvc-protection are `crate::gc` and `crate::pvc_protection`.

pub(crate) mod controller_ref_manager;
pub mod controller_utils;
pub mod deployment;
pub mod disruption;
pub mod manager;
pub mod meta;
pub(crate) mod node_lifecycle;
pub mod podutil;
pub mod replicaset;
pub mod statefulset;

pub use statefulset::{
    IdleReport, ReplicaMemo, Wait, WorkQueue, explain, run_until_idle,
    set_replica_memo_off_in_thread,
};
