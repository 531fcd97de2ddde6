//! The disruption controller (upstream `pkg/controller/disruption/disruption.go`): for every
//! PodDisruptionBudget, the pods its selector picks in its namespace, how many of them should
//! exist (`getExpectedPodCount` / `getExpectedScale`: the scale of each pod's controller), how
//! many are healthy (`countHealthyPods`: Ready, not being deleted, not just evicted), and from
//! that `disruptionsAllowed` and the `DisruptionAllowed` condition
//! (`pkg/apis/policy/helper` `UpdateDisruptionAllowedCondition`), written through the status
//! subresource only when something changed (`updatePdbStatus`).
//!
//! Not modelled: the `stalePodDisruption` pass (pods with a `DisruptionTarget` condition), the
//! scale subresource of custom controllers (a controller of another kind is "not found"), and
//! the recheck of an eviction that was never followed by a deletion (the simulated eviction
//! always deletes the pod at once; entries older than `DeletionTimeout` are still dropped).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::meta::{controller_of, selector_matches};
use super::podutil::is_pod_ready;
use crate::events::{EventType, record, reference_to};
use crate::store::{Actor, Store};
use crate::time::{MINUTE, SimTime, from_k8s_time, to_k8s_time};

/// `DeletionTimeout`: how long an evicted pod stays in `disruptedPods` waiting for its deletion.
pub const DELETION_TIMEOUT: SimTime = 2 * MINUTE;

/// The condition type and reasons (`k8s.io/api/policy/v1/types.go`).
pub const CONDITION: &str = "DisruptionAllowed";
pub const SUFFICIENT: &str = "SufficientPods";
pub const INSUFFICIENT: &str = "InsufficientPods";
const SYNC_FAILED: &str = "SyncFailed";

/// What one sync of a PDB found: the status it computes (or the error of `failSafe`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computed {
    pub expected: i32,
    pub desired: i32,
    pub current: i32,
    pub allowed: i32,
    pub disrupted: BTreeMap<String, Time>,
    /// Pods selected that have no controller (`UnmanagedPods` event).
    pub unmanaged: Vec<String>,
    /// The pods the selector picked, by name.
    pub pods: Vec<String>,
}

/// `intstr.GetScaledValueFromIntOrPercent(v, total, true)`: a percent of `total` rounded up.
pub fn scaled(v: &IntOrString, total: i32) -> Result<i32, String> {
    match v {
        IntOrString::Int(i) => Ok(*i),
        IntOrString::String(s) => {
            let p: i64 = s
                .strip_suffix('%')
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| format!("invalid value for IntOrString: invalid value {s:?}"))?;
            let v = (p * i64::from(total) + 99).div_euclid(100);
            Ok(i32::try_from(v).unwrap_or(i32::MAX))
        }
    }
}

/// The pods a PDB selects (`getPodsForPdb`: a nil selector selects nothing).
pub fn pods_of<'a>(
    store: &'a Store,
    pdb: &'a PodDisruptionBudget,
) -> impl Iterator<Item = &'a Pod> {
    let ns = pdb.metadata.namespace.as_deref().unwrap_or("default");
    let sel = pdb.spec.as_ref().and_then(|s| s.selector.as_ref());
    store
        .list::<Pod>(Some(ns))
        .filter(move |p| sel.is_some() && selector_matches(sel, p.metadata.labels.as_ref()))
}

/// The finders of `getExpectedScale` (ReplicaSet (not one a Deployment owns), Deployment
/// through its ReplicaSet, StatefulSet): the controller's uid and `spec.replicas`.
fn controller_scale(store: &Store, pod: &Pod) -> Option<(String, i32)> {
    let r = controller_of(&pod.metadata)?;
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let apps = r.api_version.split('/').next() == Some("apps");
    match r.kind.as_str() {
        "StatefulSet" if apps => {
            let s = store.get::<StatefulSet>(ns, &r.name)?;
            (s.metadata.uid.as_deref() == Some(&r.uid)).then(|| {
                let n = s.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
                (r.uid.clone(), n)
            })
        }
        "ReplicaSet" if apps => {
            let rs = store.get::<ReplicaSet>(ns, &r.name)?;
            if rs.metadata.uid.as_deref() != Some(&r.uid) {
                return None;
            }
            match controller_of(&rs.metadata) {
                Some(d) if d.kind == "Deployment" => {
                    let dep = store.get::<Deployment>(ns, &d.name)?;
                    (dep.metadata.uid.as_deref() == Some(&d.uid)).then(|| {
                        let n = dep.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
                        (d.uid.clone(), n)
                    })
                }
                _ => Some((
                    r.uid.clone(),
                    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
                )),
            }
        }
        _ => None,
    }
}

/// `getExpectedScale`: the sum of the scales of the pods' controllers (each counted once).
fn expected_scale(
    store: &Store,
    pods: &[&Pod],
    unmanaged: &mut Vec<String>,
) -> Result<i32, String> {
    let mut scales: BTreeMap<String, i32> = BTreeMap::new();
    for p in pods {
        let name = p.metadata.name.clone().unwrap_or_default();
        if controller_of(&p.metadata).is_none() {
            unmanaged.push(name);
            continue;
        }
        match controller_scale(store, p) {
            Some((uid, n)) => {
                scales.insert(uid, n);
            }
            None => return Err(format!("found no controllers for pod {name:?}")),
        }
    }
    Ok(scales.values().fold(0i32, |a, n| a.saturating_add(*n)))
}

/// One sync's numbers (`trySync` up to `updatePdbStatus`), or the error `failSafe` records.
pub fn compute(store: &Store, pdb: &PodDisruptionBudget, now: SimTime) -> Result<Computed, String> {
    let pods: Vec<&Pod> = pods_of(store, pdb).collect();
    let spec = k8sjson::copy(&pdb.spec).unwrap_or_default();
    let mut unmanaged = Vec::new();
    // getExpectedPodCount
    let (expected, desired) = if let Some(mu) = &spec.max_unavailable {
        let expected = expected_scale(store, &pods, &mut unmanaged)?;
        let mu = scaled(mu, expected)?;
        (expected, expected.saturating_sub(mu).max(0))
    } else if let Some(ma) = &spec.min_available {
        match ma {
            IntOrString::Int(n) => (i32::try_from(pods.len()).unwrap_or(i32::MAX), *n),
            IntOrString::String(_) => {
                let expected = expected_scale(store, &pods, &mut unmanaged)?;
                (expected, scaled(ma, expected)?)
            }
        }
    } else {
        (0, 0)
    };
    // buildDisruptedPodMap: kept only for live pods whose deletion is still expected.
    let old = pdb
        .status
        .as_ref()
        .and_then(|s| s.disrupted_pods.clone())
        .unwrap_or_default();
    let mut disrupted = BTreeMap::new();
    for p in &pods {
        let name = p.metadata.name.as_deref().unwrap_or("");
        if p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        if let Some(t) = old.get(name)
            && from_k8s_time(t).saturating_add(DELETION_TIMEOUT) >= now
        {
            disrupted.insert(name.to_string(), t.clone());
        }
    }
    // countHealthyPods
    let current = pods
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| !disrupted.contains_key(p.metadata.name.as_deref().unwrap_or("")))
        .filter(|p| is_pod_ready(p))
        .count();
    let current = i32::try_from(current).unwrap_or(i32::MAX);
    // updatePdbStatus: no disruption while no pod is expected.
    let allowed = if expected <= 0 {
        0
    } else {
        current.saturating_sub(desired).max(0)
    };
    Ok(Computed {
        expected,
        desired,
        current,
        allowed,
        disrupted,
        unmanaged,
        pods: pods
            .iter()
            .map(|p| p.metadata.name.clone().unwrap_or_default())
            .collect(),
    })
}

/// `apimeta.SetStatusCondition`: the transition time moves only when the status changes.
fn set_condition(
    conds: &mut Vec<Condition>,
    status: &str,
    reason: &str,
    message: &str,
    generation: i64,
    now: SimTime,
) {
    let new = Condition {
        type_: CONDITION.into(),
        status: status.into(),
        reason: reason.into(),
        message: message.into(),
        observed_generation: Some(generation),
        last_transition_time: to_k8s_time(now),
    };
    match conds.iter_mut().find(|c| c.type_ == CONDITION) {
        Some(c) => {
            let ltt = if c.status == status {
                c.last_transition_time.clone()
            } else {
                new.last_transition_time.clone()
            };
            *c = Condition {
                last_transition_time: ltt,
                ..new
            };
        }
        None => conds.push(new),
    }
}

/// `pdbhelper.UpdateDisruptionAllowedCondition`.
pub fn update_condition(st: &mut PodDisruptionBudgetStatus, now: SimTime) {
    let generation = st.observed_generation.unwrap_or(0);
    let conds = st.conditions.get_or_insert_with(Vec::new);
    if st.disruptions_allowed > 0 {
        set_condition(conds, "True", SUFFICIENT, "", generation, now);
    } else {
        set_condition(conds, "False", INSUFFICIENT, "", generation, now);
    }
}

/// `pdbhelper.ConditionsAreUpToDate`.
fn conditions_up_to_date(st: &PodDisruptionBudgetStatus) -> bool {
    let Some(c) = st
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == CONDITION)
    else {
        return false;
    };
    c.observed_generation == st.observed_generation
        && (c.status == "True") == (st.disruptions_allowed > 0)
}

/// Sync every PDB (the controller's queue, run to idle); returns whether it wrote.
pub(crate) fn sync_all(store: &mut Store, now: SimTime) -> bool {
    if store.pdbs.is_empty() {
        return false;
    }
    let pdbs: Vec<PodDisruptionBudget> = store
        .list::<PodDisruptionBudget>(None)
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .map(k8sjson::copy)
        .collect();
    let mut wrote = false;
    for pdb in pdbs {
        wrote |= sync(store, &pdb, now);
    }
    wrote
}

fn sync(store: &mut Store, pdb: &PodDisruptionBudget, now: SimTime) -> bool {
    let generation = pdb.metadata.generation.unwrap_or(0);
    let old = k8sjson::copy(&pdb.status).unwrap_or_default();
    let c = match compute(store, pdb, now) {
        Ok(c) => c,
        Err(e) => {
            // failSafe: no disruption, the condition says why.
            let mut st = k8sjson::copy(&old);
            st.disruptions_allowed = 0;
            let conds = st.conditions.get_or_insert_with(Vec::new);
            set_condition(conds, "False", SYNC_FAILED, &e, generation, now);
            if k8sjson::same(&old, &st) {
                return false;
            }
            record(
                store,
                reference_to(pdb, None),
                EventType::Warning,
                "CalculateExpectedPodCountFailed",
                &format!("Failed to calculate the number of expected pods: {e}"),
                "controllermanager",
                None,
                now,
            );
            return write(store, pdb, &old, st);
        }
    };
    let disrupted = (!c.disrupted.is_empty()).then_some(c.disrupted);
    let same = old.current_healthy == c.current
        && old.desired_healthy == c.desired
        && old.expected_pods == c.expected
        && old.disruptions_allowed == c.allowed
        && old.disrupted_pods.clone().unwrap_or_default() == disrupted.clone().unwrap_or_default()
        && old.observed_generation == Some(generation)
        && conditions_up_to_date(&old);
    // Upstream syncs a budget on its own and its pods' changes and records these events at
    // every sync; here every controller run looks at every budget, so they are recorded when
    // the sync has something to write.
    if same {
        return false;
    }
    if c.pods.is_empty() {
        record(
            store,
            reference_to(pdb, None),
            EventType::Normal,
            "NoPods",
            "No matching pods found",
            "controllermanager",
            None,
            now,
        );
    }
    if !c.unmanaged.is_empty() {
        let sel = pdb
            .spec
            .as_ref()
            .and_then(|s| s.selector.as_ref())
            .map(selector_text)
            .unwrap_or_else(|| "nil".into());
        record(
            store,
            reference_to(pdb, None),
            EventType::Warning,
            "UnmanagedPods",
            &format!(
                "Pods selected by this PodDisruptionBudget (selector: {sel}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value."
            ),
            "controllermanager",
            None,
            now,
        );
    }
    let mut st = PodDisruptionBudgetStatus {
        current_healthy: c.current,
        desired_healthy: c.desired,
        expected_pods: c.expected,
        disruptions_allowed: c.allowed,
        disrupted_pods: disrupted,
        observed_generation: Some(generation),
        conditions: old.conditions.clone(),
    };
    update_condition(&mut st, now);
    write(store, pdb, &old, st)
}

fn write(
    store: &mut Store,
    pdb: &PodDisruptionBudget,
    old: &PodDisruptionBudgetStatus,
    st: PodDisruptionBudgetStatus,
) -> bool {
    if k8sjson::same(old, &st) {
        return false;
    }
    let ns = pdb.metadata.namespace.as_deref().unwrap_or("default");
    let name = pdb.metadata.name.as_deref().unwrap_or("");
    store
        .write_status::<PodDisruptionBudget>(Actor::DisruptionController, ns, name, |p| {
            p.status = Some(st)
        })
        .is_ok()
}

/// `%v` of a `*metav1.LabelSelector` (its generated `String()`), as the `UnmanagedPods`
/// event prints it.
pub fn selector_text(s: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector) -> String {
    let labels: String = s
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}: {v},"))
        .collect();
    let exprs: String = s
        .match_expressions
        .iter()
        .flatten()
        .map(|e| {
            format!(
                "LabelSelectorRequirement{{Key:{},Operator:{},Values:[{}],}},",
                e.key,
                e.operator,
                e.values.clone().unwrap_or_default().join(" ")
            )
        })
        .collect();
    format!(
        "&LabelSelector{{MatchLabels:map[string]string{{{labels}}},MatchExpressions:[]LabelSelectorRequirement{{{exprs}}},}}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_up_as_get_scaled_value_from_int_or_percent() {
        assert_eq!(scaled(&IntOrString::String("50%".into()), 3), Ok(2));
        assert_eq!(scaled(&IntOrString::String("100%".into()), 3), Ok(3));
        assert_eq!(scaled(&IntOrString::String("0%".into()), 3), Ok(0));
        assert_eq!(scaled(&IntOrString::Int(1), 3), Ok(1));
        assert!(scaled(&IntOrString::String("x".into()), 3).is_err());
    }

    #[test]
    fn condition_keeps_its_transition_time_while_the_status_stays() {
        let mut st = PodDisruptionBudgetStatus {
            disruptions_allowed: 1,
            observed_generation: Some(1),
            ..Default::default()
        };
        update_condition(&mut st, 1000);
        update_condition(&mut st, 5000);
        let c = st.conditions.clone().unwrap_or_default();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].reason, SUFFICIENT);
        assert_eq!(from_k8s_time(&c[0].last_transition_time), 1000);
        st.disruptions_allowed = 0;
        update_condition(&mut st, 9000);
        let c = st.conditions.unwrap_or_default();
        assert_eq!(
            (c[0].status.as_str(), c[0].reason.as_str()),
            ("False", INSUFFICIENT)
        );
        assert_eq!(from_k8s_time(&c[0].last_transition_time), 9000);
    }
}
