//! NodeResourcesFit's Filter (kube-scheduler `pkg/scheduler/framework/plugins/noderesources/
//! fit.go` `fitsRequest`): the pod count, then cpu, memory and ephemeral-storage requests
//! against the node's allocatable minus what the pods already on it request. A pod's requests
//! follow component-helpers `resource.PodRequests` (containers summed, at least the largest init
//! container, sidecars, overhead: [`crate::qty::pod_resources`]). Every insufficient resource is a
//! reason of its own; a request larger than the whole allocatable makes the node
//! UnschedulableAndUnresolvable (preemption cannot help).

use k8s_openapi::api::core::v1::{Node, Pod};

use crate::qty;

/// What a pod requests (or the pods on a node request, with their count), in thousandths of a
/// core / byte, as `qty::Q` keeps them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Use {
    pub pods: i128,
    pub cpu: i128,
    pub memory: i128,
    pub ephemeral: i128,
}

impl Use {
    /// The requests of one pod (and one pod).
    pub(crate) fn of(pod: &Pod) -> Use {
        let r = qty::pod_resources(pod, false);
        let get = |k: &str| r.get(k).map_or(0, |q| q.milli);
        Use {
            pods: 1,
            cpu: get("cpu"),
            memory: get("memory"),
            ephemeral: get("ephemeral-storage"),
        }
    }

    /// Does the pod request any of cpu, memory, ephemeral-storage?
    pub(crate) fn requests_any(&self) -> bool {
        self.cpu > 0 || self.memory > 0 || self.ephemeral > 0
    }

    pub(crate) fn add(&mut self, o: Use) {
        self.pods = self.pods.saturating_add(o.pods);
        self.cpu = self.cpu.saturating_add(o.cpu);
        self.memory = self.memory.saturating_add(o.memory);
        self.ephemeral = self.ephemeral.saturating_add(o.ephemeral);
    }
}

/// The node's allocatable (`status.allocatable`; a resource it does not list is 0).
pub(crate) fn allocatable(node: &Node) -> Use {
    let a = node.status.as_ref().and_then(|s| s.allocatable.as_ref());
    let get = |k: &str| {
        a.and_then(|a| a.get(k))
            .and_then(|q| qty::parse(&q.0))
            .map_or(0, |q| q.milli)
    };
    Use {
        pods: get("pods") / 1000,
        cpu: get("cpu"),
        memory: get("memory"),
        ephemeral: get("ephemeral-storage"),
    }
}

/// `fitsRequest`: the reasons the pod does not fit (in upstream's order) and whether one of
/// them is unresolvable; empty when it fits.
pub(crate) fn filter(req: &Use, alloc: &Use, used: &Use) -> (Vec<&'static str>, bool) {
    let mut out = Vec::new();
    let mut unresolvable = false;
    if used.pods + 1 > alloc.pods {
        out.push("Too many pods");
    }
    for (want, have, used, reason) in [
        (req.cpu, alloc.cpu, used.cpu, "Insufficient cpu"),
        (req.memory, alloc.memory, used.memory, "Insufficient memory"),
        (
            req.ephemeral,
            alloc.ephemeral,
            used.ephemeral,
            "Insufficient ephemeral-storage",
        ),
    ] {
        if want > 0 && want > have - used {
            out.push(reason);
            unresolvable |= want > have;
        }
    }
    (out, unresolvable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(cpu: &str, mem: &str) -> Use {
        let p = |s: &str| qty::parse(s).map_or(0, |q| q.milli);
        Use {
            pods: 0,
            cpu: p(cpu),
            memory: p(mem),
            ephemeral: 0,
        }
    }

    /// fit.go `fitsRequest`: kind's node (8 cpu, 16283440Ki, 110 pods) with the control plane's
    /// 950m / 290Mi requested.
    #[test]
    fn noderesources_fit_reasons_and_unresolvable() {
        let alloc = Use {
            pods: 110,
            ..q("8", "16283440Ki")
        };
        let mut used = Use {
            pods: 9,
            ..q("950m", "290Mi")
        };
        assert_eq!(filter(&q("7", "1Gi"), &alloc, &used), (vec![], false));
        assert_eq!(
            filter(&q("7050m", "1Gi"), &alloc, &used),
            (vec![], false),
            "exactly what is left fits"
        );
        assert_eq!(
            filter(&q("7051m", "1Gi"), &alloc, &used),
            (vec!["Insufficient cpu"], false)
        );
        assert_eq!(
            filter(&q("9", "20Gi"), &alloc, &used),
            (vec!["Insufficient cpu", "Insufficient memory"], true)
        );
        used.pods = 110;
        assert_eq!(
            filter(&Use::default(), &alloc, &used),
            (vec!["Too many pods"], false)
        );
        // Nothing requested: only the pod count matters, however full the node's cpu is.
        used.pods = 0;
        used.cpu = alloc.cpu;
        assert_eq!(filter(&Use::default(), &alloc, &used), (vec![], false));
    }

    /// The pod's requests: the larger of its containers' sum and its largest init container.
    #[test]
    fn noderesources_pod_requests_init_containers_max() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "p"},
            "spec": {
                "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "2", "memory": "10Mi"}}}],
                "containers": [
                    {"name": "a", "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}},
                    {"name": "b", "resources": {"requests": {"cpu": "500m"}}}
                ],
                "overhead": {"cpu": "100m"}
            }
        }))
        .unwrap_or_default();
        let u = Use::of(&pod);
        assert_eq!((u.pods, u.cpu, u.memory), (1, 2_100, 1_000 << 30));
    }
}
