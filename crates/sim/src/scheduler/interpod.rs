//! InterPodAffinity's PreFilter and Filter (kube-scheduler
//! `pkg/scheduler/framework/plugins/interpodaffinity/filtering.go`): the incoming pod's required
//! podAffinity and podAntiAffinity terms against the pods already placed, and the placed pods'
//! required anti-affinity terms against the incoming pod (symmetry). PreFilter walks the placed
//! pods once and keeps the topology pairs (`topologyKey`, the node's value) they occupy; Filter
//! then only looks at one node's labels.
//!
//! Namespaces (`GetNamespacesFromPodAffinityTerm`, `AffinityTerm.Matches`): a term with neither
//! `namespaces` nor `namespaceSelector` means the namespace of the pod that owns the term;
//! otherwise a pod's namespace must be listed or its labels match the selector (an empty
//! selector matches every namespace). `matchLabelKeys`/`mismatchLabelKeys` are merged into the
//! label selector by the apiserver at pod creation upstream; the sim does not (a known gap).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Node, Pod, PodAffinityTerm};

use crate::labels::selector_matches;

/// `ErrReasonAffinityRulesNotMatch` (UnschedulableAndUnresolvable).
pub(crate) const AFFINITY: &str = "node(s) didn't match pod affinity rules";
/// `ErrReasonAntiAffinityRulesNotMatch` (Unschedulable: preemption might help).
pub(crate) const ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
/// `ErrReasonExistingAntiAffinityRulesNotMatch` (Unschedulable).
pub(crate) const EXISTING_ANTI_AFFINITY: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";

/// Labels of a namespace (for `namespaceSelector`), by name.
pub(crate) type NsLabels<'n> = &'n dyn Fn(&str) -> Option<&'n BTreeMap<String, String>>;

/// The pod's required podAffinity terms.
pub(crate) fn affinity_terms(pod: &Pod) -> &[PodAffinityTerm] {
    pod.spec
        .as_ref()
        .and_then(|s| s.affinity.as_ref())
        .and_then(|a| a.pod_affinity.as_ref())
        .and_then(|a| {
            a.required_during_scheduling_ignored_during_execution
                .as_deref()
        })
        .unwrap_or(&[])
}

/// The pod's required podAntiAffinity terms.
pub(crate) fn anti_affinity_terms(pod: &Pod) -> &[PodAffinityTerm] {
    pod.spec
        .as_ref()
        .and_then(|s| s.affinity.as_ref())
        .and_then(|a| a.pod_anti_affinity.as_ref())
        .and_then(|a| {
            a.required_during_scheduling_ignored_during_execution
                .as_deref()
        })
        .unwrap_or(&[])
}

/// `AffinityTerm.Matches`: does `pod` match `term`, a term of a pod in namespace `owner_ns`?
fn term_matches(
    term: &PodAffinityTerm,
    owner_ns: &str,
    pod: &Pod,
    ns_labels: NsLabels<'_>,
) -> bool {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("");
    let listed = term.namespaces.as_deref().unwrap_or(&[]);
    let ns_ok = if listed.is_empty() && term.namespace_selector.is_none() {
        ns == owner_ns
    } else {
        listed.iter().any(|n| n == ns)
            || (term.namespace_selector.is_some()
                && selector_matches(term.namespace_selector.as_ref(), ns_labels(ns)))
    };
    ns_ok && selector_matches(term.label_selector.as_ref(), pod.metadata.labels.as_ref())
}

/// `podMatchesAllAffinityTerms`: false for no terms.
fn matches_all(
    terms: &[PodAffinityTerm],
    owner_ns: &str,
    pod: &Pod,
    ns_labels: NsLabels<'_>,
) -> bool {
    !terms.is_empty()
        && terms
            .iter()
            .all(|t| term_matches(t, owner_ns, pod, ns_labels))
}

/// A topology pair: (topology key, the node's value of it).
type Pair<'a> = (&'a str, &'a str);

/// What PreFilter computed (`preFilterState`): the topology pairs occupied by placed pods that
/// match all of the incoming pod's affinity terms / any of its anti-affinity terms, and by
/// placed pods whose own anti-affinity terms match the incoming pod.
#[derive(Default)]
pub(crate) struct Pre<'a> {
    affinity: BTreeSet<Pair<'a>>,
    anti: BTreeSet<Pair<'a>>,
    existing_anti: BTreeSet<Pair<'a>>,
}

fn pair<'a>(node: &'a Node, key: &'a str) -> Option<Pair<'a>> {
    let v = node.metadata.labels.as_ref()?.get(key)?;
    Some((key, v.as_str()))
}

impl<'a> Pre<'a> {
    /// Account for one placed pod (`getTPMapMatchingExistingAntiAffinity` and
    /// `getTPMapMatchingIncomingAffinityAntiAffinity`, one pod at a time).
    pub(crate) fn add(
        &mut self,
        incoming: &'a Pod,
        placed: &'a Pod,
        node: &'a Node,
        ns: NsLabels<'_>,
    ) {
        let in_ns = incoming.metadata.namespace.as_deref().unwrap_or("");
        let placed_ns = placed.metadata.namespace.as_deref().unwrap_or("");
        for t in anti_affinity_terms(placed) {
            if term_matches(t, placed_ns, incoming, ns)
                && let Some(p) = pair(node, &t.topology_key)
            {
                self.existing_anti.insert(p);
            }
        }
        let aff = affinity_terms(incoming);
        if matches_all(aff, in_ns, placed, ns) {
            self.affinity
                .extend(aff.iter().filter_map(|t| pair(node, &t.topology_key)));
        }
        for t in anti_affinity_terms(incoming) {
            if term_matches(t, in_ns, placed, ns)
                && let Some(p) = pair(node, &t.topology_key)
            {
                self.anti.insert(p);
            }
        }
    }

    /// Filter: `None` when the node passes, else the reason and whether it is
    /// UnschedulableAndUnresolvable.
    pub(crate) fn filter(
        &self,
        incoming: &Pod,
        node: &Node,
        ns: NsLabels<'_>,
    ) -> Option<(&'static str, bool)> {
        let labels = node.metadata.labels.as_ref();
        let value = |k: &str| labels.and_then(|l| l.get(k)).map(String::as_str);
        // satisfyPodAffinity: every term's topology key on the node, and a matching pod in each
        // of its domains; or the first pod of a group that matches its own terms.
        let aff = affinity_terms(incoming);
        let mut pods_exist = true;
        for t in aff {
            match value(&t.topology_key) {
                None => return Some((AFFINITY, true)),
                Some(v) => pods_exist &= self.affinity.contains(&(t.topology_key.as_str(), v)),
            }
        }
        if !pods_exist {
            let in_ns = incoming.metadata.namespace.as_deref().unwrap_or("");
            if !(self.affinity.is_empty() && matches_all(aff, in_ns, incoming, ns)) {
                return Some((AFFINITY, true));
            }
        }
        // satisfyPodAntiAffinity.
        for t in anti_affinity_terms(incoming) {
            if let Some(v) = value(&t.topology_key)
                && self.anti.contains(&(t.topology_key.as_str(), v))
            {
                return Some((ANTI_AFFINITY, false));
            }
        }
        // satisfyExistingPodsAntiAffinity.
        if self.existing_anti.iter().any(|(k, v)| value(k) == Some(*v)) {
            return Some((EXISTING_ANTI_AFFINITY, false));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Affinity, PodAffinity, PodAntiAffinity, PodSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

    fn labels(kv: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
        Some(
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn node(name: &str, zone: &str) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.into()),
                labels: labels(&[("kubernetes.io/hostname", name), ("zone", zone)]),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn term(app: &str, key: &str) -> PodAffinityTerm {
        PodAffinityTerm {
            label_selector: Some(LabelSelector {
                match_labels: labels(&[("app", app)]),
                ..Default::default()
            }),
            topology_key: key.into(),
            ..Default::default()
        }
    }

    fn pod(ns: &str, app: &str, aff: Vec<PodAffinityTerm>, anti: Vec<PodAffinityTerm>) -> Pod {
        Pod {
            metadata: ObjectMeta {
                namespace: Some(ns.into()),
                labels: labels(&[("app", app)]),
                ..Default::default()
            },
            spec: Some(PodSpec {
                affinity: Some(Affinity {
                    pod_affinity: (!aff.is_empty()).then(|| PodAffinity {
                        required_during_scheduling_ignored_during_execution: Some(aff),
                        ..Default::default()
                    }),
                    pod_anti_affinity: (!anti.is_empty()).then(|| PodAntiAffinity {
                        required_during_scheduling_ignored_during_execution: Some(anti),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn verdicts(
        incoming: &Pod,
        placed: &[(&Pod, &Node)],
        nodes: &[&Node],
    ) -> Vec<Option<&'static str>> {
        let no_ns: NsLabels<'_> = &|_| None;
        let mut pre = Pre::default();
        for (p, n) in placed {
            pre.add(incoming, p, n, no_ns);
        }
        nodes
            .iter()
            .map(|n| pre.filter(incoming, n, no_ns).map(|(r, _)| r))
            .collect()
    }

    /// filtering.go `satisfyPodAntiAffinity`: zk-1 of the ZooKeeper tutorial may not join zk-0's
    /// host, and another namespace's `app=zk` pod does not count.
    #[test]
    fn interpodaffinity_filtering_anti_affinity_by_hostname() {
        let host = "kubernetes.io/hostname";
        let (a, b) = (node("a", "z1"), node("b", "z1"));
        let zk0 = pod("default", "zk", vec![], vec![term("zk", host)]);
        let zk1 = zk0.clone();
        assert_eq!(
            verdicts(&zk1, &[(&zk0, &a)], &[&a, &b]),
            vec![Some(ANTI_AFFINITY), None]
        );
        let other = pod("other", "zk", vec![], vec![]);
        assert_eq!(verdicts(&zk1, &[(&other, &a)], &[&a, &b]), vec![None, None]);
        // A zone-wide term rules out both nodes of the zone.
        let wide = pod("default", "zk", vec![], vec![term("zk", "zone")]);
        assert_eq!(
            verdicts(&wide, &[(&zk0, &a)], &[&a, &b]),
            vec![Some(ANTI_AFFINITY), Some(ANTI_AFFINITY)]
        );
        // A node without the topology key is not ruled out by anti-affinity.
        let bare = Node::default();
        assert_eq!(verdicts(&zk1, &[(&zk0, &a)], &[&bare]), vec![None]);
    }

    /// filtering.go `satisfyExistingPodsAntiAffinity`: a placed pod's anti-affinity keeps a
    /// matching newcomer (without terms of its own) off its host.
    #[test]
    fn interpodaffinity_filtering_existing_pods_anti_affinity() {
        let (a, b) = (node("a", "z1"), node("b", "z2"));
        let guard = pod(
            "default",
            "db",
            vec![],
            vec![term("web", "kubernetes.io/hostname")],
        );
        let web = pod("default", "web", vec![], vec![]);
        assert_eq!(
            verdicts(&web, &[(&guard, &a)], &[&a, &b]),
            vec![Some(EXISTING_ANTI_AFFINITY), None]
        );
        let cache = pod("default", "cache", vec![], vec![]);
        assert_eq!(
            verdicts(&cache, &[(&guard, &a)], &[&a, &b]),
            vec![None, None]
        );
    }

    /// filtering.go `satisfyPodAffinity`: the zone of a matching pod only, a node missing the
    /// topology key never, and the first pod of a group that matches its own terms anywhere.
    #[test]
    fn interpodaffinity_filtering_affinity_and_first_pod_of_a_group() {
        let (a, b) = (node("a", "z1"), node("b", "z2"));
        let web = pod("default", "web", vec![], vec![]);
        let near = pod("default", "cache", vec![term("web", "zone")], vec![]);
        assert_eq!(
            verdicts(&near, &[(&web, &a)], &[&a, &b]),
            vec![None, Some(AFFINITY)]
        );
        // No web pod anywhere: a cache pod does not match its own term, so nowhere fits.
        assert_eq!(
            verdicts(&near, &[], &[&a, &b]),
            vec![Some(AFFINITY), Some(AFFINITY)]
        );
        // Affinity to itself: the first pod may go anywhere with the key, then the group sticks.
        let selfish = pod("default", "web", vec![term("web", "zone")], vec![]);
        assert_eq!(verdicts(&selfish, &[], &[&a, &b]), vec![None, None]);
        assert_eq!(
            verdicts(&selfish, &[], &[&Node::default()]),
            vec![Some(AFFINITY)]
        );
        assert_eq!(
            verdicts(&selfish, &[(&web, &b)], &[&a, &b]),
            vec![Some(AFFINITY), None]
        );
    }

    /// `GetNamespacesFromPodAffinityTerm`: listed namespaces and a namespace selector widen the
    /// term beyond the owner's namespace; an empty selector means every namespace.
    #[test]
    fn interpodaffinity_namespaces_and_namespace_selector() {
        let a = node("a", "z1");
        let theirs = pod("team-b", "zk", vec![], vec![]);
        let mut listed = term("zk", "kubernetes.io/hostname");
        listed.namespaces = Some(vec!["team-b".into()]);
        let p = pod("default", "x", vec![], vec![listed]);
        assert_eq!(
            verdicts(&p, &[(&theirs, &a)], &[&a]),
            vec![Some(ANTI_AFFINITY)]
        );
        let mut every = term("zk", "kubernetes.io/hostname");
        every.namespace_selector = Some(LabelSelector::default());
        let p = pod("default", "x", vec![], vec![every]);
        assert_eq!(
            verdicts(&p, &[(&theirs, &a)], &[&a]),
            vec![Some(ANTI_AFFINITY)]
        );
        let mut sel = term("zk", "kubernetes.io/hostname");
        sel.namespace_selector = Some(LabelSelector {
            match_labels: labels(&[("team", "b")]),
            ..Default::default()
        });
        let p = pod("default", "x", vec![], vec![sel]);
        let team_b = labels(&[("team", "b")]).unwrap_or_default();
        let ns: NsLabels<'_> = &|n| (n == "team-b").then_some(&team_b);
        let mut pre = Pre::default();
        pre.add(&p, &theirs, &a, ns);
        assert_eq!(pre.filter(&p, &a, ns).map(|r| r.0), Some(ANTI_AFFINITY));
        let no_ns: NsLabels<'_> = &|_| None;
        let mut pre = Pre::default();
        pre.add(&p, &theirs, &a, no_ns);
        assert_eq!(pre.filter(&p, &a, no_ns), None);
    }
}
