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

/// A feature gate the simulation models (the ones that change StatefulSet behaviour).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gate {
    MaxUnavailableStatefulSet,
    StatefulSetAutoDeletePVC,
    StatefulSetStartOrdinal,
}

/// A gate's maturity (`featuregate.PreRelease`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    Alpha,
    Beta,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Alpha => "alpha",
            Stage::Beta => "beta",
        }
    }
}

/// What a version says about a gate (one row of the versioned specs in
/// `pkg/features/kube_features.go`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GateSpec {
    pub stage: Stage,
    pub default: bool,
    /// The patch release the default dates from, when it changed inside a minor release.
    pub default_since: Option<&'static str>,
}

impl Gate {
    pub const ALL: [Gate; 3] = [
        Gate::MaxUnavailableStatefulSet,
        Gate::StatefulSetAutoDeletePVC,
        Gate::StatefulSetStartOrdinal,
    ];

    /// The name used in `--feature-gates`.
    pub fn name(self) -> &'static str {
        match self {
            Gate::MaxUnavailableStatefulSet => "MaxUnavailableStatefulSet",
            Gate::StatefulSetAutoDeletePVC => "StatefulSetAutoDeletePVC",
            Gate::StatefulSetStartOrdinal => "StatefulSetStartOrdinal",
        }
    }

    /// Exact (case-sensitive) name, as the component-base feature gate matches it.
    pub fn parse(name: &str) -> Option<Gate> {
        Gate::ALL.into_iter().find(|g| g.name() == name)
    }

    /// The gate at a version; `None` when the version no longer (or not yet) knows it.
    ///
    /// `pkg/features/kube_features.go`:
    /// - `MaxUnavailableStatefulSet`: `{1.24 Alpha off}`; v1.35.0 added `{1.35 Beta on}`
    ///   (PR 133153), but on-by-default broke Parallel pod management (issue 137409), so it was
    ///   demoted to `{1.35 Beta off}` on master (PR 137904) and on release-1.35 (cherry-pick PR
    ///   137926), shipped in v1.35.4 (the feature-gates reference lists `beta, defaultValue:
    ///   false, fromVersion: "1.35.4"`). It is on by default again only from v1.37 (PR 139466).
    ///   V1_35 models v1.35.4 and later (what kind ships); users of v1.35.0-v1.35.3 turn it on.
    /// - `StatefulSetAutoDeletePVC`: beta on in 1.27, GA (locked) in 1.32, removed in 1.35.
    /// - `StatefulSetStartOrdinal`: beta on in 1.27, GA (locked) in 1.31, removed in 1.33.
    pub fn spec(self, v: K8sVersion) -> Option<GateSpec> {
        let spec = |stage, default| GateSpec {
            stage,
            default,
            default_since: None,
        };
        match (self, v) {
            (Gate::MaxUnavailableStatefulSet, K8sVersion::V1_28) => Some(spec(Stage::Alpha, false)),
            (Gate::MaxUnavailableStatefulSet, K8sVersion::V1_35) => Some(GateSpec {
                default_since: Some("v1.35.4"),
                ..spec(Stage::Beta, false)
            }),
            (Gate::StatefulSetAutoDeletePVC | Gate::StatefulSetStartOrdinal, K8sVersion::V1_28) => {
                Some(spec(Stage::Beta, true))
            }
            (Gate::StatefulSetAutoDeletePVC | Gate::StatefulSetStartOrdinal, K8sVersion::V1_35) => {
                None
            }
        }
    }
}

/// Why a `--feature-gates` value was refused. The messages are component-base's
/// (`k8s.io/component-base/featuregate/feature_gate.go`, `Set` and `SetFromMap`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateError {
    /// `Name` without `=value`.
    MissingValue(String),
    /// A value `strconv.ParseBool` refuses.
    InvalidValue { name: String, value: String },
    /// A name the version does not know.
    Unrecognized(String),
}

impl std::fmt::Display for GateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GateError::MissingValue(k) => write!(f, "missing bool value for {k}"),
            GateError::InvalidValue { name, value } => write!(
                f,
                "invalid value of {name}={value}, err: strconv.ParseBool: parsing {value:?}: invalid syntax"
            ),
            GateError::Unrecognized(k) => write!(f, "unrecognized feature gate: {k}"),
        }
    }
}

impl std::error::Error for GateError {}

/// `strconv.ParseBool`: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Parses kube's `--feature-gates` syntax, `Name=bool,Name=bool,...` (empty items skipped,
/// names and values trimmed), and checks every name against the version: the gates in order,
/// a later assignment of the same gate winning. Nothing is applied when any item is refused.
pub fn parse_feature_gates(s: &str, v: K8sVersion) -> Result<Vec<(Gate, bool)>, GateError> {
    let mut out: Vec<(Gate, bool)> = Vec::new();
    for item in s.split(',').filter(|i| !i.is_empty()) {
        let (name, value) = match item.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => return Err(GateError::MissingValue(item.trim().to_string())),
        };
        let Some(b) = parse_go_bool(value) else {
            return Err(GateError::InvalidValue {
                name: name.to_string(),
                value: value.to_string(),
            });
        };
        let gate = check_gate(name, v)?;
        // At most one entry per gate: the output stays as small as `Gate::ALL`.
        out.retain(|(g, _)| *g != gate);
        out.push((gate, b));
    }
    Ok(out)
}

/// The gate called `name` if the version knows it. (None of the modelled gates is locked to
/// its default at a modelled version, so component-base's "locked" refusal cannot happen.)
pub fn check_gate(name: &str, v: K8sVersion) -> Result<Gate, GateError> {
    match Gate::parse(name) {
        Some(g) if g.spec(v).is_some() => Ok(g),
        _ => Err(GateError::Unrecognized(name.to_string())),
    }
}

/// The feature gates that change StatefulSet controller (and apiserver) behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FeatureGates {
    /// `MaxUnavailableStatefulSet`: alpha (off) in v1.28; beta and OFF by default in v1.35 as
    /// of v1.35.4 (it was on in v1.35.0-v1.35.3; see [`Gate::spec`]). Off: the apiserver drops
    /// `rollingUpdate.maxUnavailable` and the controller updates one pod at a time.
    pub max_unavailable_statefulset: bool,
    /// `StatefulSetAutoDeletePVC`: beta (on) in v1.28, GA in v1.32 (no longer a gate in v1.35).
    pub statefulset_auto_delete_pvc: bool,
    /// `StatefulSetStartOrdinal`: beta (on) in v1.28, GA in v1.31 (no longer a gate in v1.35).
    pub statefulset_start_ordinal: bool,
}

impl FeatureGates {
    /// The defaults of a version (a gate the version no longer has is on: it went GA).
    pub fn for_version(v: K8sVersion) -> Self {
        let d = |g: Gate| g.spec(v).is_none_or(|s| s.default);
        FeatureGates {
            max_unavailable_statefulset: d(Gate::MaxUnavailableStatefulSet),
            statefulset_auto_delete_pvc: d(Gate::StatefulSetAutoDeletePVC),
            statefulset_start_ordinal: d(Gate::StatefulSetStartOrdinal),
        }
    }

    pub fn get(&self, g: Gate) -> bool {
        match g {
            Gate::MaxUnavailableStatefulSet => self.max_unavailable_statefulset,
            Gate::StatefulSetAutoDeletePVC => self.statefulset_auto_delete_pvc,
            Gate::StatefulSetStartOrdinal => self.statefulset_start_ordinal,
        }
    }

    /// Sets a gate without checking the version (see [`check_gate`]).
    pub fn set(&mut self, g: Gate, on: bool) {
        match g {
            Gate::MaxUnavailableStatefulSet => self.max_unavailable_statefulset = on,
            Gate::StatefulSetAutoDeletePVC => self.statefulset_auto_delete_pvc = on,
            Gate::StatefulSetStartOrdinal => self.statefulset_start_ordinal = on,
        }
    }

    /// One line per gate the version knows, e.g.
    /// `MaxUnavailableStatefulSet=false (beta, default false since v1.35.4)`.
    pub fn describe(&self, v: K8sVersion) -> Vec<String> {
        Gate::ALL
            .into_iter()
            .filter_map(|g| {
                let s = g.spec(v)?;
                let since = s
                    .default_since
                    .map(|p| format!(" since {p}"))
                    .unwrap_or_default();
                Some(format!(
                    "{}={} ({}, default {}{since})",
                    g.name(),
                    self.get(g),
                    s.stage.as_str(),
                    s.default
                ))
            })
            .collect()
    }

    /// The gates that differ from the version's defaults, in `--feature-gates` syntax.
    pub fn to_flag(&self, v: K8sVersion) -> String {
        let d = FeatureGates::for_version(v);
        Gate::ALL
            .into_iter()
            .filter(|g| self.get(*g) != d.get(*g))
            .map(|g| format!("{}={}", g.name(), self.get(g)))
            .collect::<Vec<_>>()
            .join(",")
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

    /// v1.35.4+ (`pkg/features/kube_features.go` on release-1.35 after cherry-pick PR 137926):
    /// MaxUnavailableStatefulSet is beta and off; v1.28 keeps it alpha and off.
    #[test]
    fn kube_features_v1_35_4_max_unavailable_statefulset_beta_off_by_default() {
        let c = ControllerConfig::default();
        assert_eq!(c.version, K8sVersion::V1_35);
        assert!(!c.gates.max_unavailable_statefulset);
        let spec = Gate::MaxUnavailableStatefulSet
            .spec(K8sVersion::V1_35)
            .unwrap();
        assert_eq!(spec.stage, Stage::Beta);
        assert!(!spec.default);
        assert_eq!(spec.default_since, Some("v1.35.4"));
        let old = ControllerConfig::for_version(K8sVersion::V1_28).gates;
        assert!(!old.max_unavailable_statefulset);
        assert!(old.statefulset_auto_delete_pvc && old.statefulset_start_ordinal);
        // GA gates that 1.35 removed: their behaviour is always on.
        assert!(c.gates.statefulset_auto_delete_pvc && c.gates.statefulset_start_ordinal);
        assert_eq!(K8sVersion::parse("v1.28"), Some(K8sVersion::V1_28));
        assert_eq!(K8sVersion::parse("1.29"), None);
    }

    #[test]
    fn describe_lists_the_gates_a_version_knows() {
        let mut g = FeatureGates::for_version(K8sVersion::V1_35);
        assert_eq!(
            g.describe(K8sVersion::V1_35),
            ["MaxUnavailableStatefulSet=false (beta, default false since v1.35.4)"]
        );
        assert_eq!(g.to_flag(K8sVersion::V1_35), "");
        g.set(Gate::MaxUnavailableStatefulSet, true);
        assert_eq!(
            g.describe(K8sVersion::V1_35),
            ["MaxUnavailableStatefulSet=true (beta, default false since v1.35.4)"]
        );
        assert_eq!(
            g.to_flag(K8sVersion::V1_35),
            "MaxUnavailableStatefulSet=true"
        );
        assert_eq!(
            FeatureGates::for_version(K8sVersion::V1_28).describe(K8sVersion::V1_28),
            [
                "MaxUnavailableStatefulSet=false (alpha, default false)",
                "StatefulSetAutoDeletePVC=true (beta, default true)",
                "StatefulSetStartOrdinal=true (beta, default true)",
            ]
        );
    }

    /// component-base `featureGate.Set`: comma-separated `k=v`, trimmed, `strconv.ParseBool`
    /// values, the same error wording.
    #[test]
    fn feature_gate_set_syntax_and_errors() {
        let v = K8sVersion::V1_35;
        assert_eq!(
            parse_feature_gates("MaxUnavailableStatefulSet=true", v),
            Ok(vec![(Gate::MaxUnavailableStatefulSet, true)])
        );
        assert_eq!(
            parse_feature_gates(
                " MaxUnavailableStatefulSet = T ,,MaxUnavailableStatefulSet=0",
                v
            ),
            Ok(vec![(Gate::MaxUnavailableStatefulSet, false)])
        );
        assert_eq!(parse_feature_gates("", v), Ok(vec![]));
        let err = |s: &str, v| parse_feature_gates(s, v).unwrap_err().to_string();
        assert_eq!(err("Foo=true", v), "unrecognized feature gate: Foo");
        assert_eq!(
            err("maxunavailablestatefulset=true", v),
            "unrecognized feature gate: maxunavailablestatefulset"
        );
        // GA in 1.32 and removed in 1.35.
        assert_eq!(
            err("StatefulSetAutoDeletePVC=true", v),
            "unrecognized feature gate: StatefulSetAutoDeletePVC"
        );
        assert_eq!(
            err("MaxUnavailableStatefulSet", v),
            "missing bool value for MaxUnavailableStatefulSet"
        );
        assert_eq!(
            err("MaxUnavailableStatefulSet=yes", v),
            "invalid value of MaxUnavailableStatefulSet=yes, err: strconv.ParseBool: parsing \"yes\": invalid syntax"
        );
        // At 1.28 the beta gates can be switched off.
        assert_eq!(
            parse_feature_gates("StatefulSetStartOrdinal=false", K8sVersion::V1_28),
            Ok(vec![(Gate::StatefulSetStartOrdinal, false)])
        );
    }
}
