//! NodeAffinity's Filter (kube-scheduler `pkg/scheduler/framework/plugins/nodeaffinity/
//! node_affinity.go`, matching by component-helpers `scheduling/corev1/nodeaffinity`): the pod's
//! `nodeSelector` AND its required `nodeSelectorTerms`, the terms ORed, within a term every
//! `matchExpressions` requirement (node labels) and `matchFields` requirement (`metadata.name`)
//! ANDed. A term with no requirement, or with one that does not parse (an unknown operator, `Gt`
//! without a single integer), matches no node.

use k8s_openapi::api::core::v1::{Node, NodeSelectorRequirement, PodSpec};

/// `ErrReasonPod` (UnschedulableAndUnresolvable).
pub(crate) const REASON: &str = "node(s) didn't match Pod's node affinity/selector";

/// `labels.Requirement.Matches` for one node selector requirement against the value the node
/// has for its key (`None`: no such label / field).
fn requirement(r: &NodeSelectorRequirement, have: Option<&str>) -> bool {
    let vals = r.values.as_deref().unwrap_or(&[]);
    let int = |s: &str| s.parse::<i64>().ok();
    match r.operator.as_str() {
        "In" => have.is_some_and(|h| vals.iter().any(|v| v == h)),
        "NotIn" => have.is_none_or(|h| vals.iter().all(|v| v != h)),
        "Exists" => have.is_some(),
        "DoesNotExist" => have.is_none(),
        op @ ("Gt" | "Lt") => {
            let [v] = vals else { return false };
            match (have.and_then(int), int(v)) {
                (Some(h), Some(v)) => (op == "Gt" && h > v) || (op == "Lt" && h < v),
                _ => false,
            }
        }
        _ => false,
    }
}

/// Does the node fit the pod's nodeSelector and required node affinity?
pub(crate) fn fits(spec: &PodSpec, node: &Node) -> bool {
    let labels = node.metadata.labels.as_ref();
    let label = |k: &str| labels.and_then(|l| l.get(k)).map(String::as_str);
    if let Some(sel) = spec.node_selector.as_ref()
        && !sel.iter().all(|(k, v)| label(k) == Some(v.as_str()))
    {
        return false;
    }
    let Some(required) = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|a| {
            a.required_during_scheduling_ignored_during_execution
                .as_ref()
        })
    else {
        return true;
    };
    let name = node.metadata.name.as_deref();
    required.node_selector_terms.iter().any(|t| {
        let exprs = t.match_expressions.as_deref().unwrap_or(&[]);
        let fields = t.match_fields.as_deref().unwrap_or(&[]);
        (!exprs.is_empty() || !fields.is_empty())
            && exprs.iter().all(|r| requirement(r, label(&r.key)))
            && fields
                .iter()
                .all(|r| r.key == "metadata.name" && requirement(r, name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Affinity, NodeAffinity, NodeSelector, NodeSelectorTerm};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn node(name: &str, kv: &[(&str, &str)]) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.into()),
                labels: Some(
                    kv.iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                ),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn req(key: &str, op: &str, vals: &[&str]) -> NodeSelectorRequirement {
        NodeSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: (!vals.is_empty()).then(|| vals.iter().map(|v| v.to_string()).collect()),
        }
    }

    fn spec(terms: Vec<(Vec<NodeSelectorRequirement>, Vec<NodeSelectorRequirement>)>) -> PodSpec {
        PodSpec {
            affinity: Some(Affinity {
                node_affinity: Some(NodeAffinity {
                    required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                        node_selector_terms: terms
                            .into_iter()
                            .map(|(e, f)| NodeSelectorTerm {
                                match_expressions: Some(e),
                                match_fields: Some(f),
                            })
                            .collect(),
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    /// nodeaffinity: every operator of a matchExpressions requirement.
    #[test]
    fn node_affinity_operators() {
        let n = node("w1", &[("disk", "ssd"), ("cores", "8")]);
        let one = |r| fits(&spec(vec![(vec![r], vec![])]), &n);
        assert!(one(req("disk", "In", &["hdd", "ssd"])));
        assert!(!one(req("disk", "In", &["hdd"])));
        assert!(!one(req("gpu", "In", &["a"])));
        assert!(one(req("disk", "NotIn", &["hdd"])));
        assert!(one(req("gpu", "NotIn", &["a"])));
        assert!(!one(req("disk", "NotIn", &["ssd"])));
        assert!(one(req("disk", "Exists", &[])));
        assert!(!one(req("gpu", "Exists", &[])));
        assert!(one(req("gpu", "DoesNotExist", &[])));
        assert!(!one(req("disk", "DoesNotExist", &[])));
        assert!(one(req("cores", "Gt", &["4"])));
        assert!(!one(req("cores", "Gt", &["8"])));
        assert!(one(req("cores", "Lt", &["16"])));
        assert!(!one(req("disk", "Gt", &["1"])));
        assert!(!one(req("cores", "Gt", &["x"])));
        assert!(!one(req("cores", "Gt", &["1", "2"])));
        assert!(!one(req("disk", "Like", &["ssd"])));
    }

    /// Terms are ORed, requirements within one ANDed, matchFields name the node, an empty term
    /// matches nothing, and nodeSelector must hold as well.
    #[test]
    fn node_affinity_terms_fields_and_node_selector() {
        let n = node("w1", &[("disk", "ssd"), ("zone", "a")]);
        let both = vec![req("disk", "In", &["ssd"]), req("zone", "In", &["b"])];
        assert!(!fits(&spec(vec![(both.clone(), vec![])]), &n));
        assert!(fits(
            &spec(vec![
                (both, vec![]),
                (vec![req("zone", "In", &["a"])], vec![])
            ]),
            &n
        ));
        let name = |v: &str| req("metadata.name", "In", &[v]);
        assert!(fits(&spec(vec![(vec![], vec![name("w1")])]), &n));
        assert!(!fits(&spec(vec![(vec![], vec![name("w2")])]), &n));
        assert!(!fits(&spec(vec![(vec![], vec![])]), &n));
        let mut s = spec(vec![(vec![req("disk", "Exists", &[])], vec![])]);
        s.node_selector = Some([("zone".to_string(), "b".to_string())].into());
        assert!(!fits(&s, &n));
        s.node_selector = Some([("zone".to_string(), "a".to_string())].into());
        assert!(fits(&s, &n));
        assert!(fits(&PodSpec::default(), &n));
    }
}
