//! PodTopologySpread's PreFilter and Filter for `whenUnsatisfiable: DoNotSchedule` (kube-scheduler
//! `pkg/scheduler/framework/plugins/podtopologyspread/filtering.go`): per constraint, the pods
//! of the pod's namespace that match its label selector are counted per topology domain over
//! the eligible nodes (nodes with every constraint's topology key that pass the node inclusion
//! policies: `nodeAffinityPolicy` Honor by default, `nodeTaintsPolicy` Ignore by default);
//! terminating pods do not count. A node whose domain would then exceed the smallest domain
//! (0 when there are fewer domains than `minDomains`) by more than `maxSkew` is rejected.
//! ScheduleAnyway constraints only score, and the cluster's default constraints are
//! ScheduleAnyway: neither filters. `matchLabelKeys` is not merged into the selector (a gap).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod, TopologySpreadConstraint};

use crate::labels::selector_matches;

/// `ErrReasonConstraintsNotMatch` (Unschedulable).
pub(crate) const SKEW: &str = "node(s) didn't match pod topology spread constraints";
/// `ErrReasonNodeLabelNotMatch` (UnschedulableAndUnresolvable).
pub(crate) const MISSING_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

/// The pod's DoNotSchedule constraints.
pub(crate) fn hard(pod: &Pod) -> Vec<&TopologySpreadConstraint> {
    pod.spec
        .as_ref()
        .and_then(|s| s.topology_spread_constraints.as_deref())
        .unwrap_or(&[])
        .iter()
        .filter(|c| c.when_unsatisfiable == "DoNotSchedule")
        .collect()
}

fn label<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.metadata.labels.as_ref()?.get(key).map(String::as_str)
}

/// PreFilter's counts: per constraint, matching pods per domain value of its topology key.
pub(crate) struct Pre<'a> {
    constraints: Vec<&'a TopologySpreadConstraint>,
    counts: Vec<BTreeMap<&'a str, i64>>,
}

impl<'a> Pre<'a> {
    /// `eligible(node)`: the node passes the inclusion policies (the caller's NodeAffinity
    /// check for `nodeAffinityPolicy: Honor`, its taints for `nodeTaintsPolicy: Honor`).
    pub(crate) fn new(
        pod: &'a Pod,
        nodes: &'a [std::sync::Arc<Node>],
        eligible: &dyn Fn(&TopologySpreadConstraint, &Node) -> bool,
    ) -> Pre<'a> {
        let constraints = hard(pod);
        let mut counts = vec![BTreeMap::new(); constraints.len()];
        for n in nodes {
            if constraints
                .iter()
                .any(|c| label(n, &c.topology_key).is_none())
            {
                continue;
            }
            for (c, m) in constraints.iter().zip(counts.iter_mut()) {
                if let Some(v) = label(n, &c.topology_key)
                    && eligible(c, n)
                {
                    m.entry(v).or_insert(0);
                }
            }
        }
        Pre {
            constraints,
            counts,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.constraints.is_empty()
    }

    /// Count one placed pod on `node` (its domains must be eligible: already in the map).
    pub(crate) fn add(&mut self, incoming: &Pod, placed: &Pod, node: &'a Node) {
        if placed.metadata.deletion_timestamp.is_some()
            || placed.metadata.namespace != incoming.metadata.namespace
        {
            return;
        }
        for (c, m) in self.constraints.iter().zip(self.counts.iter_mut()) {
            if let Some(v) = label(node, &c.topology_key)
                && let Some(n) = m.get_mut(v)
                && selector_matches(c.label_selector.as_ref(), placed.metadata.labels.as_ref())
            {
                *n += 1;
            }
        }
    }

    /// Filter: `None` when the node passes, else the reason and whether it is unresolvable.
    pub(crate) fn filter(&self, incoming: &Pod, node: &Node) -> Option<(&'static str, bool)> {
        for (c, m) in self.constraints.iter().zip(&self.counts) {
            let Some(v) = label(node, &c.topology_key) else {
                return Some((MISSING_LABEL, true));
            };
            let min_domains = c.min_domains.unwrap_or(1);
            let min = if i64::try_from(m.len()).unwrap_or(i64::MAX) < i64::from(min_domains) {
                0
            } else {
                m.values().copied().min().unwrap_or(0)
            };
            let own = i64::from(selector_matches(
                c.label_selector.as_ref(),
                incoming.metadata.labels.as_ref(),
            ));
            let here = m.get(v).copied().unwrap_or(0);
            if here + own - min > i64::from(c.max_skew) {
                return Some((SKEW, false));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::PodSpec;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
    use std::sync::Arc;

    fn node(name: &str, zone: Option<&str>) -> Arc<Node> {
        let mut l = BTreeMap::from([("kubernetes.io/hostname".to_string(), name.to_string())]);
        if let Some(z) = zone {
            l.insert("zone".into(), z.into());
        }
        Arc::new(Node {
            metadata: ObjectMeta {
                name: Some(name.into()),
                labels: Some(l),
                ..Default::default()
            },
            ..Default::default()
        })
    }

    fn pod(app: &str, skew: i32, min_domains: Option<i32>) -> Pod {
        Pod {
            metadata: ObjectMeta {
                namespace: Some("default".into()),
                labels: Some(BTreeMap::from([("app".to_string(), app.to_string())])),
                ..Default::default()
            },
            spec: Some(PodSpec {
                topology_spread_constraints: Some(vec![TopologySpreadConstraint {
                    max_skew: skew,
                    min_domains,
                    topology_key: "zone".into(),
                    when_unsatisfiable: "DoNotSchedule".into(),
                    label_selector: Some(LabelSelector {
                        match_labels: Some(BTreeMap::from([(
                            "app".to_string(),
                            "web".to_string(),
                        )])),
                        ..Default::default()
                    }),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn verdicts(
        incoming: &Pod,
        nodes: &[Arc<Node>],
        placed: &[(&Pod, usize)],
    ) -> Vec<Option<&'static str>> {
        let mut pre = Pre::new(incoming, nodes, &|_, _| true);
        for (p, i) in placed {
            pre.add(incoming, p, &nodes[*i]);
        }
        nodes
            .iter()
            .map(|n| pre.filter(incoming, n).map(|(r, _)| r))
            .collect()
    }

    /// podtopologyspread/filtering.go: with maxSkew 1 and one web pod in zone a, the next goes
    /// to zone b; a node without the zone label is unresolvable; another app's pods and
    /// terminating pods do not count.
    #[test]
    fn podtopologyspread_filtering_max_skew() {
        let nodes = [
            node("a1", Some("a")),
            node("b1", Some("b")),
            node("x", None),
        ];
        let web = pod("web", 1, None);
        let placed = pod("web", 1, None);
        assert_eq!(
            verdicts(&web, &nodes, &[(&placed, 0)]),
            vec![Some(SKEW), None, Some(MISSING_LABEL)]
        );
        let other = pod("db", 1, None);
        assert_eq!(
            verdicts(&web, &nodes, &[(&other, 0)]),
            vec![None, None, Some(MISSING_LABEL)]
        );
        let mut going = placed.clone();
        going.metadata.deletion_timestamp = Some(crate::time::to_k8s_time(0));
        assert_eq!(
            verdicts(&web, &nodes, &[(&going, 0)]),
            vec![None, None, Some(MISSING_LABEL)]
        );
        // A pod that does not match its own selector adds nothing to its domain.
        assert_eq!(
            verdicts(&other, &nodes, &[(&placed, 0)]),
            vec![None, None, Some(MISSING_LABEL)]
        );
    }

    /// minDomains: fewer eligible domains than asked make the global minimum 0.
    #[test]
    fn podtopologyspread_filtering_min_domains() {
        let nodes = [node("a1", Some("a")), node("b1", Some("b"))];
        let placed = pod("web", 1, None);
        let web = pod("web", 1, Some(3));
        assert_eq!(
            verdicts(&web, &nodes, &[(&placed, 0), (&placed, 1)]),
            vec![Some(SKEW), Some(SKEW)]
        );
        let web = pod("web", 1, None);
        assert_eq!(
            verdicts(&web, &nodes, &[(&placed, 0), (&placed, 1)]),
            vec![None, None]
        );
    }
}
