//! "Why is it waiting?": structured reasons, read from the state, for what the StatefulSet
//! controller is not doing yet. Walks the replicas as the sync does (upstream `processReplica`,
//! `processCondemned`, the rolling update) with the controller's own predicates
//! (`stateful_set_utils`: `allows_burst`, `is_running_and_ready`, `is_available`,
//! `is_unhealthy`, `partition`, `is_on_delete`, `claim_is_stale`), without writing anything.

use crate::sort::Sort as _;
use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};

use super::stateful_set_utils::*;
use crate::config::{ControllerConfig, K8sVersion};
use crate::controller::meta::*;
use crate::controller::podutil::*;
use crate::store::Store;
use crate::time::SimTime;

/// One reason the controller is holding back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wait {
    /// The StatefulSet is being deleted: the controller only updates its status.
    SetTerminating,
    /// OrderedReady: `pod` is not created (or not deleted for scale-down) until `waiting_for`
    /// is Running and Ready (`state` is what it is now, e.g. `Pending`, `Running`, `Terminating`).
    OrderedReady {
        pod: String,
        waiting_for: String,
        state: String,
    },
    /// OrderedReady scale-down: `pod` (condemned) waits for `waiting_for` to be healthy.
    ScaleDownWaits {
        pod: String,
        waiting_for: String,
        state: String,
    },
    /// `pod` is terminating; the controller waits for it to be gone.
    Terminating { pod: String },
    /// `pod` is Ready but not yet available for `minReadySeconds`.
    MinReadySeconds { pod: String, remaining_ms: SimTime },
    /// `pod` keeps the current revision: its ordinal is below the partition.
    Partition { pod: String, partition: i64 },
    /// The rolling update waits for `waiting_for` to become Ready on `revision` before it
    /// updates `pod`.
    UpdateWaitsForReady {
        pod: String,
        waiting_for: String,
        revision: String,
    },
    /// OnDelete: `pod` is on an old revision and is updated only when deleted.
    OnDelete { pod: String, revision: String },
    /// The pod cannot be (re)created while its claim is being deleted.
    PvcBeingDeleted { pod: String, pvc: String },
    /// whenScaled=Delete: a claim still owned by an earlier pod of that name waits for the GC.
    StaleClaim { pod: String, pvc: String },
}

impl Wait {
    /// A plain sentence (the runtime's `why` words these its own way).
    pub fn sentence(&self) -> String {
        match self {
            Wait::SetTerminating => {
                "the StatefulSet is being deleted: the controller only updates its status".into()
            }
            Wait::OrderedReady {
                pod,
                waiting_for,
                state,
            } => format!(
                "{pod} is not created yet: OrderedReady waits for {waiting_for} to be Running and Ready (it is {state})"
            ),
            Wait::ScaleDownWaits {
                pod,
                waiting_for,
                state,
            } => format!(
                "{pod} is not deleted yet: OrderedReady scale-down waits for {waiting_for} to be Running and Ready (it is {state})"
            ),
            Wait::Terminating { pod } => {
                format!("{pod} is terminating: the controller waits for it to be gone")
            }
            Wait::MinReadySeconds { pod, remaining_ms } => format!(
                "{pod} is Ready but not yet available: minReadySeconds has {:.1}s to go",
                *remaining_ms as f64 / 1000.0
            ),
            Wait::Partition { pod, partition } => {
                format!("{pod} is not updated yet: partition is {partition}")
            }
            Wait::UpdateWaitsForReady {
                pod,
                waiting_for,
                revision,
            } => format!(
                "{pod} is not updated yet: waiting for {waiting_for} to become Ready on revision {revision}"
            ),
            Wait::OnDelete { pod, revision } => {
                format!(
                    "{pod} is on an old revision: OnDelete updates it to {revision} only when you delete it"
                )
            }
            Wait::PvcBeingDeleted { pod, pvc } => {
                format!("{pod} cannot be created: pvc {pvc} is being deleted")
            }
            Wait::StaleClaim { pod, pvc } => format!(
                "{pod} is not created yet: claim {pvc} still belongs to the previous {pod} and waits for the garbage collector"
            ),
        }
    }
}

fn state_of(p: &Pod) -> String {
    if is_terminating(p) {
        return "Terminating".into();
    }
    let ph = phase(p);
    if ph == "Running" && !is_pod_ready(p) {
        return "Running, not Ready".into();
    }
    if ph.is_empty() {
        "not created".into()
    } else {
        ph.to_string()
    }
}

/// Why the StatefulSet `ns/name` is waiting, from the current state.
pub fn explain(store: &Store, ns: &str, name: &str, cfg: &ControllerConfig) -> Vec<Wait> {
    explain_at(store, ns, name, cfg, None)
}

/// As `explain`, with the current time (for minReadySeconds).
pub fn explain_at(
    store: &Store,
    ns: &str,
    name: &str,
    cfg: &ControllerConfig,
    now: Option<SimTime>,
) -> Vec<Wait> {
    let Some(set) = store.get::<StatefulSet>(ns, name) else {
        return Vec::new();
    };
    if set.metadata.deletion_timestamp.is_some() {
        return vec![Wait::SetTerminating];
    }
    let mut out = Vec::new();
    let gate = cfg.gates.statefulset_start_ordinal;
    let v128 = cfg.version == K8sVersion::V1_28;
    let mrs = min_ready_seconds(set);
    let now = now.unwrap_or(SimTime::MAX / 2);
    let uid = set_uid(set);
    let pods: Vec<&Pod> = store
        .list::<Pod>(Some(ns))
        .filter(|p| {
            is_member_of(set, p) && controller_of(&p.metadata).is_some_and(|r| r.uid == uid)
        })
        .collect();
    let start = start_ordinal(set, gate);
    let n = replicas(set).min(MAX_REPLICAS);
    let monotonic = !allows_burst(set);
    let mut blocker: Option<&Pod> = None;
    // By name, so the walk over the ordinals is linear (the diagram asks at every step, with
    // up to 10,000 replicas).
    let by_name: std::collections::HashMap<&str, &Pod> = pods
        .iter()
        .filter_map(|p| Some((p.metadata.name.as_deref()?, *p)))
        .collect();
    for ord in start..start + n {
        let pname = pod_name(set, ord);
        match by_name.get(pname.as_str()) {
            None => {
                for t in claim_templates(set) {
                    let cname = claim_name(t.metadata.name.as_deref().unwrap_or(""), set, ord);
                    if let Some(c) = store.get::<PersistentVolumeClaim>(ns, &cname) {
                        if c.metadata.deletion_timestamp.is_some() {
                            out.push(Wait::PvcBeingDeleted {
                                pod: pname.clone(),
                                pvc: cname.clone(),
                            });
                        } else if retention_policy(set).0
                            && claim_is_stale(&c.metadata, &pname, "", v128)
                        {
                            out.push(Wait::StaleClaim {
                                pod: pname.clone(),
                                pvc: cname.clone(),
                            });
                        }
                    }
                }
                if let (true, Some(b)) = (monotonic, blocker) {
                    out.push(Wait::OrderedReady {
                        pod: pname,
                        waiting_for: b.metadata.name.clone().unwrap_or_default(),
                        state: state_of(b),
                    });
                }
            }
            Some(p) => {
                if blocker.is_some() {
                    continue;
                }
                if is_terminating(p) {
                    out.push(Wait::Terminating { pod: pname });
                    blocker = Some(p);
                } else if !is_running_and_ready(p) {
                    blocker = Some(p);
                } else if !is_available(p, mrs, now) {
                    out.push(Wait::MinReadySeconds {
                        pod: pname,
                        remaining_ms: available_in(p, mrs, now).unwrap_or(0),
                    });
                    blocker = Some(p);
                }
            }
        }
    }
    let mut condemned: Vec<&&Pod> = pods
        .iter()
        .filter(|p| !in_ordinal_range(p, set, gate) && ordinal_of(p) >= 0)
        .collect();
    condemned.stable_sort_by_key(|p| std::cmp::Reverse(ordinal_of(p)));
    for c in &condemned {
        let cname = c.metadata.name.clone().unwrap_or_default();
        if is_terminating(c) {
            out.push(Wait::Terminating { pod: cname });
        } else if let (true, Some(b)) = (monotonic, blocker) {
            out.push(Wait::ScaleDownWaits {
                pod: cname,
                waiting_for: b.metadata.name.clone().unwrap_or_default(),
                state: state_of(b),
            });
        }
    }
    let status = k8sjson::copy(&set.status).unwrap_or_default();
    let update_rev = status.update_revision.clone().unwrap_or_default();
    let on_delete = is_on_delete(set);
    let partition = partition(set);
    let mut in_range: Vec<&&Pod> = pods
        .iter()
        .filter(|p| in_ordinal_range(p, set, gate))
        .collect();
    in_range.stable_sort_by_key(|p| std::cmp::Reverse(ordinal_of(p)));
    let unhealthy = |p: &Pod| is_unhealthy(p, v128, mrs, now);
    let mut updating: Option<&Pod> = None;
    for p in in_range {
        let pname = p.metadata.name.clone().unwrap_or_default();
        let outdated = !update_rev.is_empty() && pod_revision(p) != update_rev;
        if on_delete {
            if outdated {
                out.push(Wait::OnDelete {
                    pod: pname,
                    revision: update_rev.clone(),
                });
            }
            continue;
        }
        if outdated && ordinal_of(p) - start < partition {
            out.push(Wait::Partition {
                pod: pname,
                partition,
            });
            continue;
        }
        if !outdated && unhealthy(p) && updating.is_none() {
            updating = Some(p);
            continue;
        }
        if outdated
            && !is_terminating(p)
            && let Some(u) = updating
        {
            out.push(Wait::UpdateWaitsForReady {
                pod: pname,
                waiting_for: u.metadata.name.clone().unwrap_or_default(),
                revision: update_rev.clone(),
            });
        }
    }
    out
}
