//! Validation with the apiserver's messages. Sources (kubernetes, read at 1.3x):
//! `pkg/apis/apps/validation/validation.go` (`ValidateStatefulSet`, `ValidateStatefulSetSpec`,
//! `ValidateStatefulSetUpdate`; NOTE: it does not validate the pod template's spec — broken
//! containers/volume mounts only fail later when the controller creates pods, hence
//! [`pod_spec`] is offered separately for the controller and for our hints),
//! `pkg/apis/core/validation/validation.go` (`ValidateObjectMeta`, `ValidateService`,
//! `ValidatePersistentVolumeClaim`, `ValidatePersistentVolume`, `ValidateConfigMap`,
//! `ValidateSecret`, `ValidateNamespace`, `validateContainers`, `validateVolumeMounts`,
//! `validateContainerPorts`), `staging/.../apimachinery/pkg/apis/meta/v1/validation`
//! (`ValidateLabels`, `ValidateLabelSelector`), `pkg/apis/storage/validation`.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PodSpec, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;
use sim::object::AnyObject;

use crate::field::FieldError;
use crate::names;

type Errs = Vec<FieldError>;

/// Which name rule applies to `metadata.name` of a kind.
fn name_rule(obj: &AnyObject) -> fn(&str) -> Vec<String> {
    match obj {
        AnyObject::StatefulSet(_) | AnyObject::Namespace(_) => names::is_dns1123_label,
        AnyObject::Service(_) => names::is_dns1035_label,
        _ => names::is_dns1123_subdomain,
    }
}

pub fn object_meta(
    meta: &ObjectMeta,
    namespaced: bool,
    rule: fn(&str) -> Vec<String>,
    errs: &mut Errs,
) {
    let name = meta.name.as_deref().unwrap_or("");
    let gen_name = meta.generate_name.as_deref().unwrap_or("");
    if name.is_empty() {
        if gen_name.is_empty() {
            errs.push(FieldError::required(
                "metadata.name",
                "name or generateName is required",
            ));
        }
    } else {
        for m in rule(name) {
            errs.push(FieldError::invalid("metadata.name", name, m));
        }
    }
    if namespaced {
        if let Some(ns) = meta.namespace.as_deref().filter(|n| !n.is_empty()) {
            for m in names::is_dns1123_label(ns) {
                errs.push(FieldError::invalid("metadata.namespace", ns, m));
            }
        }
    } else if meta.namespace.as_deref().is_some_and(|n| !n.is_empty()) {
        errs.push(FieldError::forbidden(
            "metadata.namespace",
            "not allowed on this type",
        ));
    }
    if let Some(l) = &meta.labels {
        labels(l, "metadata.labels", errs);
    }
    if let Some(a) = &meta.annotations {
        annotations(a, "metadata.annotations", errs);
    }
}

pub fn labels(l: &BTreeMap<String, String>, path: &str, errs: &mut Errs) {
    for (k, v) in l {
        for m in names::is_qualified_name(k) {
            errs.push(FieldError::invalid(path, k.as_str(), m));
        }
        for m in names::is_valid_label_value(v) {
            errs.push(FieldError::invalid(path, v.as_str(), m));
        }
    }
}

pub(crate) fn annotations(a: &BTreeMap<String, String>, path: &str, errs: &mut Errs) {
    let mut total = 0usize;
    for (k, v) in a {
        for m in names::is_qualified_name(&k.to_ascii_lowercase()) {
            errs.push(FieldError::invalid(path, k.as_str(), m));
        }
        total = total.saturating_add(k.len()).saturating_add(v.len());
    }
    if total > 256 * 1024 {
        errs.push(FieldError::too_long(path, 256 * 1024));
    }
}

pub(crate) fn nonnegative(v: i64, path: &str, errs: &mut Errs) {
    if v < 0 {
        errs.push(FieldError::invalid(
            path,
            v,
            "must be greater than or equal to 0",
        ));
    }
}

pub(crate) fn selector_json(s: &LabelSelector) -> Value {
    k8sjson::to_value(s)
}

pub(crate) fn label_selector(s: &LabelSelector, path: &str, errs: &mut Errs) {
    for (i, e) in s.match_expressions.iter().flatten().enumerate() {
        let p = format!("{path}.matchExpressions[{i}]");
        let n = e.values.as_ref().map_or(0, Vec::len);
        match e.operator.as_str() {
            "In" | "NotIn" => {
                if n == 0 {
                    errs.push(FieldError::required(
                        format!("{p}.values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            "Exists" | "DoesNotExist" => {
                if n > 0 {
                    errs.push(FieldError::forbidden(
                        format!("{p}.values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            other => errs.push(FieldError::invalid(
                format!("{p}.operator"),
                other,
                "not a valid selector operator",
            )),
        }
        for m in names::is_qualified_name(&e.key) {
            errs.push(FieldError::invalid(format!("{p}.key"), e.key.as_str(), m));
        }
    }
    if let Some(ml) = &s.match_labels {
        labels(ml, &format!("{path}.matchLabels"), errs);
    }
}

/// Whether `metav1.LabelSelectorAsSelector` accepts the selector (`labels.NewRequirement` rules).
pub(crate) fn selector_convertible(s: &LabelSelector) -> bool {
    for (k, v) in s.match_labels.iter().flatten() {
        if !names::is_qualified_name(k).is_empty() || !names::is_valid_label_value(v).is_empty() {
            return false;
        }
    }
    for e in s.match_expressions.iter().flatten() {
        let n = e.values.as_ref().map_or(0, Vec::len);
        let ok_op = match e.operator.as_str() {
            "In" | "NotIn" => n > 0,
            "Exists" | "DoesNotExist" => n == 0,
            _ => false,
        };
        if !ok_op || !names::is_qualified_name(&e.key).is_empty() {
            return false;
        }
        if e.values
            .iter()
            .flatten()
            .any(|v| !names::is_valid_label_value(v).is_empty())
        {
            return false;
        }
    }
    true
}

/// `labels.Selector.Matches` for a LabelSelector.
pub fn selector_matches(s: &LabelSelector, l: &BTreeMap<String, String>) -> bool {
    for (k, v) in s.match_labels.iter().flatten() {
        if l.get(k) != Some(v) {
            return false;
        }
    }
    for e in s.match_expressions.iter().flatten() {
        let vals = e.values.clone().unwrap_or_default();
        let got = l.get(&e.key);
        let ok = match e.operator.as_str() {
            "In" => got.is_some_and(|g| vals.contains(g)),
            "NotIn" => got.is_none_or(|g| !vals.contains(g)),
            "Exists" => got.is_some(),
            "DoesNotExist" => got.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

pub fn statefulset(s: &StatefulSet) -> Errs {
    statefulset_with(s, SetRules::default())
}

/// The StatefulSet checks the apiserver added after v1.28 (apps/validation
/// `StatefulSetValidationOptions`, whose `Skip…`/`Allow…` fields are the negation of these).
/// All off is the v1.28 apiserver.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SetRules {
    /// `spec.volumeClaimTemplates[i].spec` validated as a new claim's spec (v1.34,
    /// kubernetes PR #132212, `ValidateVolumeClaimTemplates`).
    pub claim_templates: bool,
    /// The pod template's spec validated as a pod's, with the claim templates' names counted
    /// as volumes (v1.34, kubernetes PR #131790, `ValidatePodTemplateSpecForStatefulSet`).
    pub pod_template: bool,
    /// `spec.serviceName` a DNS-1123 label (v1.33, kubernetes PR #130233).
    pub service_name: bool,
    /// The apiserver keeps `spec.updateStrategy.rollingUpdate.maxUnavailable`: the
    /// MaxUnavailableStatefulSet gate is on, or (on an update) the stored set uses it. Off, the
    /// field is dropped before validation (`registry/apps/statefulset/strategy.go`
    /// `dropStatefulSetDisabledFields` in `PrepareForCreate`/`PrepareForUpdate`), so a bad value
    /// is never reported.
    pub max_unavailable: bool,
}

impl SetRules {
    /// What a create is checked against at `version` with its default feature gates.
    pub fn create(version: sim::config::K8sVersion) -> Self {
        Self::create_with(version, &sim::config::FeatureGates::for_version(version))
    }

    /// What a create is checked against at `version` with these feature gates.
    pub fn create_with(
        version: sim::config::K8sVersion,
        gates: &sim::config::FeatureGates,
    ) -> Self {
        let on = version != sim::config::K8sVersion::V1_28;
        SetRules {
            claim_templates: on,
            pod_template: on,
            service_name: on,
            max_unavailable: gates.max_unavailable_statefulset,
        }
    }

    /// What an update is checked against at `version`: ratcheting, as `statefulSetStrategy`
    /// does for tightened validation: the claim templates and the service name cannot change
    /// on an update (the `spec: Forbidden` check covers them), and the pod template is held to
    /// the pod rules only when the stored one passes them, so a set stored before the rule
    /// existed can still be updated.
    pub fn update(version: sim::config::K8sVersion, old: &StatefulSet) -> Self {
        Self::update_with(
            version,
            &sim::config::FeatureGates::for_version(version),
            old,
        )
    }

    /// [`SetRules::update`] with these feature gates (`maxUnavailableInUse` of the stored set
    /// keeps the field with the gate off).
    pub fn update_with(
        version: sim::config::K8sVersion,
        gates: &sim::config::FeatureGates,
        old: &StatefulSet,
    ) -> Self {
        let create = SetRules::create_with(version, gates);
        SetRules {
            claim_templates: false,
            service_name: false,
            pod_template: create.pod_template && template_pod_errors(old).is_empty(),
            max_unavailable: create.max_unavailable || max_unavailable_of(old).is_some(),
        }
    }
}

/// The pod rules applied to a set's template (claim template names count as volumes).
fn template_pod_errors(s: &StatefulSet) -> Errs {
    let Some(spec) = &s.spec else {
        return Vec::new();
    };
    let claims: Vec<String> = spec
        .volume_claim_templates
        .iter()
        .flatten()
        .filter_map(|c| c.metadata.name.clone())
        .collect();
    match &spec.template.spec {
        Some(ps) => pod_spec(ps, "spec.template.spec", &claims),
        None => Vec::new(),
    }
}

/// A set's `rollingUpdate.maxUnavailable` (`maxUnavailableInUse`).
fn max_unavailable_of(s: &StatefulSet) -> Option<&IntOrString> {
    s.spec
        .as_ref()?
        .update_strategy
        .as_ref()?
        .rolling_update
        .as_ref()?
        .max_unavailable
        .as_ref()
}

/// A `rollingUpdate` as the apiserver prints it as a bad value: `json.Marshal` of the internal
/// `apps.RollingUpdateStatefulSetStrategy` (no JSON tags; `Partition` an `int32`, 0 when
/// unset; `MaxUnavailable` an `*intstr.IntOrString`), apimachinery v0.34+ `field.Error.ErrorBody`,
/// e.g. `{"Partition":0,"MaxUnavailable":null}`.
fn internal_rolling_update(
    ru: &k8s_openapi::api::apps::v1::RollingUpdateStatefulSetStrategy,
) -> String {
    format!(
        "{{\"Partition\":{},\"MaxUnavailable\":{}}}",
        ru.partition.unwrap_or(0),
        ru.max_unavailable.as_ref().map_or_else(
            || "null".to_string(),
            |m| crate::validate_apps::json_int_or_string(Some(m))
        )
    )
}

/// `validateRollingUpdateStatefulSet` (apps/validation): the partition is non-negative; a
/// `maxUnavailable` is a positive int or percent (`ValidatePositiveIntOrPercent`), not 0 and
/// not more than 100% (`IsNotMoreThan100Percent`).
fn rolling_update_statefulset(
    ru: &k8s_openapi::api::apps::v1::RollingUpdateStatefulSetStrategy,
    errs: &mut Errs,
) {
    nonnegative(
        ru.partition.unwrap_or(0).into(),
        "spec.updateStrategy.rollingUpdate.partition",
        errs,
    );
    if let Some(mu) = &ru.max_unavailable {
        let path = "spec.updateStrategy.rollingUpdate.maxUnavailable";
        crate::validate_apps::positive_int_or_percent(Some(mu), path, errs);
        let shown = crate::validate_apps::json_int_or_string(Some(mu));
        if crate::validate_apps::int_or_percent_value(Some(mu)) == 0 {
            errs.push(FieldError::invalid_rendered(
                path,
                shown.clone(),
                "cannot be 0",
            ));
        }
        if crate::validate_apps::percent_value(mu).is_some_and(|p| p > 100) {
            errs.push(FieldError::invalid_rendered(
                path,
                shown,
                "must not be greater than 100%",
            ));
        }
    }
}

/// `ValidateStatefulSet` with the given rules.
pub fn statefulset_with(s: &StatefulSet, rules: SetRules) -> Errs {
    let mut errs = Vec::new();
    object_meta(&s.metadata, true, names::is_dns1123_label, &mut errs);
    statefulset_spec(s, rules, &mut errs);
    errs
}

fn statefulset_spec(s: &StatefulSet, rules: SetRules, errs: &mut Errs) {
    let Some(spec) = &s.spec else {
        errs.push(FieldError::required("spec.selector", ""));
        return;
    };
    match spec.pod_management_policy.as_deref().unwrap_or("") {
        "" => errs.push(FieldError::required("spec.podManagementPolicy", "")),
        "OrderedReady" | "Parallel" => {}
        other => errs.push(FieldError::invalid(
            "spec.podManagementPolicy",
            other,
            "must be 'OrderedReady' or 'Parallel'",
        )),
    }
    let mut us = k8sjson::copy(&spec.update_strategy).unwrap_or_default();
    if !rules.max_unavailable
        && let Some(ru) = us.rolling_update.as_mut()
    {
        ru.max_unavailable = None;
    }
    match us.type_.as_deref().unwrap_or("") {
        "" => errs.push(FieldError::required("spec.updateStrategy", "")),
        "OnDelete" => {
            if let Some(ru) = &us.rolling_update {
                errs.push(FieldError::invalid_rendered(
                    "spec.updateStrategy.rollingUpdate",
                    internal_rolling_update(ru),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        "RollingUpdate" => {
            if let Some(ru) = &us.rolling_update {
                rolling_update_statefulset(ru, errs);
            }
        }
        // `field.Invalid(fldPath.Child("updateStrategy"), spec.UpdateStrategy, …)`: the
        // internal `apps.StatefulSetUpdateStrategy` (no JSON tags) through `json.Marshal`.
        other => errs.push(FieldError::invalid_rendered(
            "spec.updateStrategy",
            format!(
                "{{\"Type\":{},\"RollingUpdate\":{}}}",
                crate::decode::go_json(&Value::String(other.to_string())),
                us.rolling_update
                    .as_ref()
                    .map_or_else(|| "null".to_string(), internal_rolling_update)
            ),
            "must be 'RollingUpdate' or 'OnDelete'",
        )),
    }
    if let Some(rp) = &spec.persistent_volume_claim_retention_policy {
        for (v, p) in [
            (
                &rp.when_deleted,
                "spec.persistentVolumeClaimRetentionPolicy.whenDeleted",
            ),
            (
                &rp.when_scaled,
                "spec.persistentVolumeClaimRetentionPolicy.whenScaled",
            ),
        ] {
            let v = v.as_deref().unwrap_or("");
            if v != "Retain" && v != "Delete" {
                errs.push(FieldError::not_supported(p, v, &["Retain", "Delete"]));
            }
        }
    }
    if rules.claim_templates {
        for (i, c) in spec.volume_claim_templates.iter().flatten().enumerate() {
            let cs = k8sjson::copy(&c.spec).unwrap_or_default();
            pvc_spec(&cs, &format!("spec.volumeClaimTemplates[{i}].spec"), errs);
        }
    }
    nonnegative(spec.replicas.unwrap_or(0).into(), "spec.replicas", errs);
    nonnegative(
        spec.min_ready_seconds.unwrap_or(0).into(),
        "spec.minReadySeconds",
        errs,
    );
    if let Some(o) = &spec.ordinals {
        nonnegative(o.start.unwrap_or(0).into(), "spec.ordinals.start", errs);
    }
    if rules.service_name
        && let Some(sn) = spec.service_name.as_deref().filter(|n| !n.is_empty())
    {
        for m in names::is_dns1123_label(sn) {
            errs.push(FieldError::invalid("spec.serviceName", sn, m));
        }
    }
    let sel = &spec.selector;
    let empty_sel = sel.match_labels.as_ref().map_or(0, BTreeMap::len)
        + sel.match_expressions.as_ref().map_or(0, Vec::len)
        == 0;
    label_selector(sel, "spec.selector", errs);
    if empty_sel {
        errs.push(FieldError::invalid(
            "spec.selector",
            selector_json(sel),
            "empty selector is invalid for statefulset",
        ));
    }
    let tmpl_labels = spec
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    if !selector_convertible(sel) {
        // metav1.LabelSelectorAsSelector failed: upstream reports the selector with no detail
        // and skips the template check
        errs.push(FieldError::invalid("spec.selector", selector_json(sel), ""));
    } else if !empty_sel && !selector_matches(sel, &tmpl_labels) {
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            k8sjson::to_value(&tmpl_labels),
            "`selector` does not match template `labels`",
        ));
    }
    labels(&tmpl_labels, "spec.template.labels", errs);
    if let Some(a) = spec
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.annotations.as_ref())
    {
        annotations(a, "spec.template.annotations", errs);
    }
    if rules.pod_template {
        errs.extend(template_pod_errors(s));
    }
    let ps = k8sjson::copy(&spec.template.spec).unwrap_or_default();
    let rp = ps.restart_policy.as_deref().unwrap_or("");
    if rp != "Always" {
        errs.push(FieldError::not_supported(
            "spec.template.spec.restartPolicy",
            rp,
            &["Always"],
        ));
    }
    if ps.active_deadline_seconds.is_some() {
        errs.push(FieldError::forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in StatefulSet is not Supported",
        ));
    }
}

/// `ValidateStatefulSetUpdate`: the new set must be valid and only the mutable spec fields may change.
pub fn statefulset_update(new: &StatefulSet, old: &StatefulSet) -> Errs {
    statefulset_update_with(new, old, SetRules::default())
}

/// [`statefulset_update`] with the rules of [`SetRules::update`].
pub fn statefulset_update_with(new: &StatefulSet, old: &StatefulSet, rules: SetRules) -> Errs {
    let mut errs = Vec::new();
    meta_update(&new.metadata, &old.metadata, &mut errs);
    statefulset_spec(new, rules, &mut errs);
    let mut a = k8sjson::copy(&new.spec).unwrap_or_default();
    let b = k8sjson::copy(&old.spec).unwrap_or_default();
    a.replicas = b.replicas;
    a.template = k8sjson::copy(&b.template);
    a.update_strategy = k8sjson::copy(&b.update_strategy);
    a.min_ready_seconds = b.min_ready_seconds;
    a.ordinals = k8sjson::copy(&b.ordinals);
    a.persistent_volume_claim_retention_policy =
        k8sjson::copy(&b.persistent_volume_claim_retention_policy);
    a.revision_history_limit = b.revision_history_limit;
    if !k8sjson::same(&a, &b) {
        errs.push(FieldError::forbidden(
            "spec",
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ));
    }
    errs
}

fn meta_update(new: &ObjectMeta, old: &ObjectMeta, errs: &mut Errs) {
    if new.name != old.name {
        errs.push(FieldError::invalid(
            "metadata.name",
            new.name.clone().unwrap_or_default(),
            "field is immutable",
        ));
    }
    if let Some(l) = &new.labels {
        labels(l, "metadata.labels", errs);
    }
}

pub fn service(s: &Service) -> Errs {
    let mut errs = Vec::new();
    object_meta(&s.metadata, true, names::is_dns1035_label, &mut errs);
    let spec = k8sjson::copy(&s.spec).unwrap_or_default();
    let t = spec.type_.as_deref().unwrap_or("ClusterIP");
    let headless = spec.cluster_ip.as_deref() == Some("None");
    let ports = k8sjson::copy(&spec.ports).unwrap_or_default();
    if !["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].contains(&t) {
        errs.push(FieldError::not_supported(
            "spec.type",
            t,
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        ));
    }
    if t != "ExternalName" && ports.is_empty() && !headless {
        errs.push(FieldError::required("spec.ports", ""));
    }
    let mut seen_names = BTreeSet::new();
    let mut seen_ports = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let base = format!("spec.ports[{i}]");
        let name = p.name.clone().unwrap_or_default();
        if ports.len() > 1 && name.is_empty() {
            errs.push(FieldError::required(format!("{base}.name"), ""));
        } else if !name.is_empty() {
            for m in names::is_dns1123_label(&name) {
                errs.push(FieldError::invalid(
                    format!("{base}.name"),
                    name.as_str(),
                    m,
                ));
            }
            if !seen_names.insert(name.clone()) {
                errs.push(FieldError::duplicate(format!("{base}.name"), name.as_str()));
            }
        }
        if !(1..=65535).contains(&p.port) {
            errs.push(FieldError::invalid(
                format!("{base}.port"),
                p.port,
                "must be between 1 and 65535, inclusive",
            ));
        }
        let proto = p.protocol.as_deref().unwrap_or("TCP");
        if !["TCP", "UDP", "SCTP"].contains(&proto) {
            errs.push(FieldError::not_supported(
                format!("{base}.protocol"),
                proto,
                &["SCTP", "TCP", "UDP"],
            ));
        }
        match &p.target_port {
            Some(IntOrString::Int(n)) if !(1..=65535).contains(n) => {
                errs.push(FieldError::invalid(
                    format!("{base}.targetPort"),
                    *n,
                    "must be between 1 and 65535, inclusive",
                ))
            }
            Some(IntOrString::String(n)) => {
                for m in names::is_valid_port_name(n) {
                    errs.push(FieldError::invalid(
                        format!("{base}.targetPort"),
                        n.as_str(),
                        m,
                    ));
                }
            }
            _ => {}
        }
        if !seen_ports.insert((p.port, proto.to_string())) {
            errs.push(FieldError::duplicate(
                base.clone(),
                serde_json::json!({"port": p.port, "protocol": proto}),
            ));
        }
    }
    if let Some(sel) = &spec.selector {
        labels(sel, "spec.selector", &mut errs);
    }
    if let Some(ip) = spec.cluster_ip.as_deref()
        && !ip.is_empty()
        && ip != "None"
        && ip.parse::<std::net::IpAddr>().is_err()
    {
        errs.push(FieldError::invalid(
            "spec.clusterIPs[0]",
            ip,
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        ));
    }
    let sa = spec.session_affinity.as_deref().unwrap_or("None");
    if sa != "None" && sa != "ClientIP" {
        errs.push(FieldError::not_supported(
            "spec.sessionAffinity",
            sa,
            &["ClientIP", "None"],
        ));
    }
    errs
}

const ACCESS_MODES: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

fn access_modes(modes: &[String], path: &str, errs: &mut Errs) {
    if modes.is_empty() {
        errs.push(FieldError::required(
            path,
            "at least 1 access mode is required",
        ));
    }
    for m in modes {
        if !ACCESS_MODES.contains(&m.as_str()) {
            errs.push(FieldError::not_supported(path, m.as_str(), ACCESS_MODES));
        }
    }
}

pub fn pvc_spec(
    spec: &k8s_openapi::api::core::v1::PersistentVolumeClaimSpec,
    base: &str,
    errs: &mut Errs,
) {
    access_modes(
        spec.access_modes.as_deref().unwrap_or(&[]),
        &format!("{base}.accessModes"),
        errs,
    );
    let storage = spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"));
    match storage {
        None => errs.push(FieldError::required(
            format!("{base}.resources[storage]"),
            "",
        )),
        Some(q) => {
            if crate::quantity::is_negative_or_zero(&q.0) {
                errs.push(FieldError::invalid(
                    format!("{base}.resources.requests[storage]"),
                    q.0.as_str(),
                    "must be greater than zero",
                ));
            }
        }
    }
    if let Some(vm) = spec.volume_mode.as_deref()
        && vm != "Filesystem"
        && vm != "Block"
    {
        errs.push(FieldError::not_supported(
            format!("{base}.volumeMode"),
            vm,
            &["Block", "Filesystem"],
        ));
    }
}

/// Pod spec rules that the apiserver applies to Pods (not to a StatefulSet's template):
/// the controller's pod creation fails with these (`Pod "web-0" is invalid: ...`).
/// `base` is `spec` for a Pod, `spec.template.spec` for hints on a template;
/// `claim_names` are the set's volumeClaimTemplates (the controller adds them as volumes).
pub fn pod_spec(ps: &PodSpec, base: &str, claim_names: &[String]) -> Errs {
    let mut errs = Vec::new();
    let mut vol_names: BTreeSet<String> = BTreeSet::new();
    for (i, v) in ps.volumes.iter().flatten().enumerate() {
        let p = format!("{base}.volumes[{i}].name");
        if v.name.is_empty() {
            errs.push(FieldError::required(p, ""));
        } else {
            for m in names::is_dns1123_label(&v.name) {
                errs.push(FieldError::invalid(p.clone(), v.name.as_str(), m));
            }
            if !vol_names.insert(v.name.clone()) {
                errs.push(FieldError::duplicate(p, v.name.as_str()));
            }
        }
    }
    for c in claim_names {
        vol_names.insert(c.clone());
    }
    if ps.containers.is_empty() {
        errs.push(FieldError::required(format!("{base}.containers"), ""));
    }
    // core/validation `ValidatePodSpec`: the regular containers first (`validateContainers`:
    // each container's own checks, then a duplicate name), then the init containers
    // (`validateInitContainers`: a name may not repeat a regular container's or an earlier
    // init container's; the duplicate is reported on the init container).
    let mut all_names: BTreeSet<String> = BTreeSet::new();
    for (i, c) in ps.containers.iter().enumerate() {
        let cp = format!("{base}.containers[{i}]");
        container(c, &cp, &vol_names, &mut errs);
        if !c.name.is_empty() && !all_names.insert(c.name.clone()) {
            errs.push(FieldError::duplicate(format!("{cp}.name"), c.name.as_str()));
        }
    }
    for (i, c) in ps.init_containers.iter().flatten().enumerate() {
        let cp = format!("{base}.initContainers[{i}]");
        container(c, &cp, &vol_names, &mut errs);
        if all_names.contains(&c.name) {
            errs.push(FieldError::duplicate(format!("{cp}.name"), c.name.as_str()));
        }
        if !c.name.is_empty() {
            all_names.insert(c.name.clone());
        }
    }
    errs
}

/// `validateContainerCommon` (core/validation): name, image, ports, volume mounts, pull
/// policy, in upstream's order.
fn container(
    c: &k8s_openapi::api::core::v1::Container,
    cp: &str,
    vol_names: &BTreeSet<String>,
    errs: &mut Errs,
) {
    if c.name.is_empty() {
        errs.push(FieldError::required(format!("{cp}.name"), ""));
    } else {
        for m in names::is_dns1123_label(&c.name) {
            errs.push(FieldError::invalid(
                format!("{cp}.name"),
                c.name.as_str(),
                m,
            ));
        }
    }
    if c.image.as_deref().unwrap_or("").trim().is_empty() {
        errs.push(FieldError::required(format!("{cp}.image"), ""));
    }
    let mut port_names = BTreeSet::new();
    for (j, p) in c.ports.iter().flatten().enumerate() {
        let pp = format!("{cp}.ports[{j}]");
        if let Some(n) = p.name.as_deref().filter(|n| !n.is_empty()) {
            for m in names::is_valid_port_name(n) {
                errs.push(FieldError::invalid(format!("{pp}.name"), n, m));
            }
            if !port_names.insert(n.to_string()) {
                errs.push(FieldError::duplicate(format!("{pp}.name"), n));
            }
        }
        if p.container_port == 0 {
            errs.push(FieldError::required(format!("{pp}.containerPort"), ""));
        } else if !(1..=65535).contains(&p.container_port) {
            errs.push(FieldError::invalid(
                format!("{pp}.containerPort"),
                p.container_port,
                "must be between 1 and 65535, inclusive",
            ));
        }
        let proto = p.protocol.as_deref().unwrap_or("TCP");
        if !["TCP", "UDP", "SCTP"].contains(&proto) {
            errs.push(FieldError::not_supported(
                format!("{pp}.protocol"),
                proto,
                &["SCTP", "TCP", "UDP"],
            ));
        }
    }
    let mut mount_paths = BTreeSet::new();
    for (j, m) in c.volume_mounts.iter().flatten().enumerate() {
        let mp = format!("{cp}.volumeMounts[{j}]");
        if m.name.is_empty() {
            errs.push(FieldError::required(format!("{mp}.name"), ""));
        } else if !vol_names.contains(&m.name) {
            errs.push(FieldError::not_found(format!("{mp}.name"), m.name.as_str()));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(format!("{mp}.mountPath"), ""));
        } else if !mount_paths.insert(m.mount_path.clone()) {
            errs.push(FieldError::invalid(
                format!("{mp}.mountPath"),
                m.mount_path.as_str(),
                "must be unique",
            ));
        }
    }
    let pp = c.image_pull_policy.as_deref().unwrap_or("IfNotPresent");
    if !["Always", "IfNotPresent", "Never"].contains(&pp) {
        errs.push(FieldError::not_supported(
            format!("{cp}.imagePullPolicy"),
            pp,
            &["Always", "IfNotPresent", "Never"],
        ));
    }
}

pub fn validate(obj: &AnyObject) -> Errs {
    validate_for(obj, sim::config::K8sVersion::V1_28)
}

/// What the apiserver of `version` checks when `obj` is created.
pub fn validate_for(obj: &AnyObject, version: sim::config::K8sVersion) -> Errs {
    validate_with(
        obj,
        version,
        &sim::config::FeatureGates::for_version(version),
    )
}

/// What the apiserver of `version` with these feature gates checks when `obj` is created.
pub fn validate_with(
    obj: &AnyObject,
    version: sim::config::K8sVersion,
    gates: &sim::config::FeatureGates,
) -> Errs {
    match obj {
        AnyObject::StatefulSet(s) => statefulset_with(s, SetRules::create_with(version, gates)),
        AnyObject::Deployment(d) => crate::validate_apps::deployment(d),
        AnyObject::ReplicaSet(r) => crate::validate_apps::replicaset(r),
        AnyObject::PodDisruptionBudget(p) => crate::validate_apps::pod_disruption_budget(p),
        AnyObject::Service(s) => service(s),
        AnyObject::PersistentVolumeClaim(p) => {
            let mut errs = Vec::new();
            object_meta(&p.metadata, true, names::is_dns1123_subdomain, &mut errs);
            let spec = k8sjson::copy(&p.spec).unwrap_or_default();
            pvc_spec(&spec, "spec", &mut errs);
            errs
        }
        AnyObject::PersistentVolume(p) => {
            let mut errs = Vec::new();
            object_meta(&p.metadata, false, names::is_dns1123_subdomain, &mut errs);
            let spec = k8sjson::copy(&p.spec).unwrap_or_default();
            access_modes(
                spec.access_modes.as_deref().unwrap_or(&[]),
                "spec.accessModes",
                &mut errs,
            );
            if spec.capacity.as_ref().is_none_or(|c| c.is_empty()) {
                errs.push(FieldError::required("spec.capacity", ""));
            }
            let has_source = spec.host_path.is_some()
                || spec.local.is_some()
                || spec.nfs.is_some()
                || spec.csi.is_some()
                || spec.iscsi.is_some()
                || spec.fc.is_some();
            if !has_source {
                errs.push(FieldError::required("spec", "must specify a volume type"));
            }
            if let Some(rp) = spec.persistent_volume_reclaim_policy.as_deref()
                && !["Delete", "Recycle", "Retain"].contains(&rp)
            {
                errs.push(FieldError::not_supported(
                    "spec.persistentVolumeReclaimPolicy",
                    rp,
                    &["Delete", "Recycle", "Retain"],
                ));
            }
            errs
        }
        AnyObject::StorageClass(s) => {
            let mut errs = Vec::new();
            object_meta(&s.metadata, false, names::is_dns1123_subdomain, &mut errs);
            if s.provisioner.is_empty() {
                errs.push(FieldError::required("provisioner", ""));
            } else {
                for m in names::is_qualified_name(&s.provisioner.to_ascii_lowercase()) {
                    errs.push(FieldError::invalid(
                        "provisioner",
                        s.provisioner.as_str(),
                        m,
                    ));
                }
            }
            if let Some(rp) = s.reclaim_policy.as_deref()
                && rp != "Delete"
                && rp != "Retain"
            {
                errs.push(FieldError::not_supported(
                    "reclaimPolicy",
                    rp,
                    &["Delete", "Retain"],
                ));
            }
            if let Some(m) = s.volume_binding_mode.as_deref()
                && m != "Immediate"
                && m != "WaitForFirstConsumer"
            {
                errs.push(FieldError::not_supported(
                    "volumeBindingMode",
                    m,
                    &["Immediate", "WaitForFirstConsumer"],
                ));
            }
            errs
        }
        AnyObject::ConfigMap(c) => {
            let mut errs = Vec::new();
            object_meta(&c.metadata, true, names::is_dns1123_subdomain, &mut errs);
            let mut total = 0usize;
            for (k, v) in c.data.iter().flatten() {
                for m in names::is_config_map_key(k) {
                    errs.push(FieldError::invalid(format!("data[{k}]"), k.as_str(), m));
                }
                total = total.saturating_add(v.len());
            }
            for (k, v) in c.binary_data.iter().flatten() {
                for m in names::is_config_map_key(k) {
                    errs.push(FieldError::invalid(
                        format!("binaryData[{k}]"),
                        k.as_str(),
                        m,
                    ));
                }
                if c.data.as_ref().is_some_and(|d| d.contains_key(k)) {
                    errs.push(FieldError::invalid(
                        format!("data[{k}]"),
                        k.as_str(),
                        "duplicate of key present in binaryData",
                    ));
                }
                total = total.saturating_add(v.0.len());
            }
            if total > 1024 * 1024 {
                errs.push(FieldError::too_long("", 1024 * 1024));
            }
            errs
        }
        AnyObject::Secret(s) => {
            let mut errs = Vec::new();
            object_meta(&s.metadata, true, names::is_dns1123_subdomain, &mut errs);
            for (k, _) in s.data.iter().flatten() {
                for m in names::is_config_map_key(k) {
                    errs.push(FieldError::invalid(format!("data[{k}]"), k.as_str(), m));
                }
            }
            errs
        }
        AnyObject::Namespace(n) => {
            let mut errs = Vec::new();
            object_meta(&n.metadata, false, names::is_dns1123_label, &mut errs);
            errs
        }
        other => {
            let mut errs = Vec::new();
            object_meta(
                other.metadata(),
                other.namespaced(),
                name_rule(other),
                &mut errs,
            );
            errs
        }
    }
}

/// `spec.selector` absent (nil upstream; k8s-openapi cannot tell it from `{}`): upstream reports
/// Required, and the nil selector (`labels.Nothing()`) then matches no template labels.
pub fn selector_absent(s: &StatefulSet, errs: &mut Errs) {
    errs.retain(|e| !(e.field == "spec.selector" && e.detail.starts_with("empty selector")));
    let tmpl_labels = s
        .spec
        .as_ref()
        .and_then(|sp| sp.template.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    let at = errs
        .iter()
        .position(|e| e.field.starts_with("spec.template"))
        .unwrap_or(errs.len());
    errs.insert(at, FieldError::required("spec.selector", ""));
    errs.insert(
        at + 1,
        FieldError::invalid(
            "spec.template.metadata.labels",
            k8sjson::to_value(&tmpl_labels),
            "`selector` does not match template `labels`",
        ),
    );
}
