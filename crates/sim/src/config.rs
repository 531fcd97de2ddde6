//! Which Kubernetes version the simulation behaves as, and the feature gates that select
//! behaviour inside the controllers.
//!
//! The oracle traces (`testdata/oracle`) come from the v1.28 controller; the playground targets
//! v1.35. Every place where the two differ reads `ControllerConfig` (see `controller::statefulset`).

/// The Kubernetes version whose controller behaviour is simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum K8sVersion {
    /// The version of the oracle traces (`pkg/controller/statefulset` at v1.28).
    V1_28,
    /// The playground's target (kind with Kubernetes v1.35).
    #[default]
    V1_35,
}

impl K8sVersion {
    /// `"1.28"` / `"1.35"`.
    pub fn as_str(self) -> &'static str {
        match self {
            K8sVersion::V1_28 => "1.28",
            K8sVersion::V1_35 => "1.35",
        }
    }

    /// Parses `1.28`, `v1.28`, `1.35`, `v1.35`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().trim_start_matches('v') {
            "1.28" => Some(K8sVersion::V1_28),
            "1.35" => Some(K8sVersion::V1_35),
            _ => None,
        }
    }
}

/// The feature gates that change StatefulSet controller behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FeatureGates {
    /// `MaxUnavailableStatefulSet`: alpha (off) in v1.28, beta and on by default in v1.35
    /// (`pkg/features/kube_features.go`: `{1.24 Alpha off}, {1.35 Beta on}`).
    pub max_unavailable_statefulset: bool,
    /// `StatefulSetAutoDeletePVC`: beta (on) in v1.28, GA in v1.32.
    pub statefulset_auto_delete_pvc: bool,
    /// `StatefulSetStartOrdinal`: beta (on) in v1.28, GA in v1.31.
    pub statefulset_start_ordinal: bool,
}

impl FeatureGates {
    /// The defaults of a version.
    pub fn for_version(v: K8sVersion) -> Self {
        match v {
            K8sVersion::V1_28 => FeatureGates {
                max_unavailable_statefulset: false,
                statefulset_auto_delete_pvc: true,
                statefulset_start_ordinal: true,
            },
            K8sVersion::V1_35 => FeatureGates {
                max_unavailable_statefulset: true,
                statefulset_auto_delete_pvc: true,
                statefulset_start_ordinal: true,
            },
        }
    }
}

impl Default for FeatureGates {
    fn default() -> Self {
        Self::for_version(K8sVersion::default())
    }
}

/// Everything the controllers need to know about the simulated version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ControllerConfig {
    pub version: K8sVersion,
    pub gates: FeatureGates,
    /// Record the StatefulSet controller's Events (`events::record`). On in the playground;
    /// the oracle harness drops events, so `replay` turns it off.
    pub record_events: bool,
}

impl ControllerConfig {
    /// A version with its default gates; events recorded.
    pub fn for_version(v: K8sVersion) -> Self {
        ControllerConfig {
            version: v,
            gates: FeatureGates::for_version(v),
            record_events: true,
        }
    }

    pub fn is_v1_28(&self) -> bool {
        self.version == K8sVersion::V1_28
    }
}

impl Default for ControllerConfig {
    fn default() -> Self {
        Self::for_version(K8sVersion::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playground_default_is_v1_35_with_max_unavailable_on() {
        let c = ControllerConfig::default();
        assert_eq!(c.version, K8sVersion::V1_35);
        assert!(c.gates.max_unavailable_statefulset);
        assert!(
            !ControllerConfig::for_version(K8sVersion::V1_28)
                .gates
                .max_unavailable_statefulset
        );
        assert_eq!(K8sVersion::parse("v1.28"), Some(K8sVersion::V1_28));
        assert_eq!(K8sVersion::parse("1.29"), None);
    }
}
