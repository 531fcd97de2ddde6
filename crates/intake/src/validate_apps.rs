//! Validation of Deployments and ReplicaSets with the apiserver's messages (kubernetes
//! `pkg/apis/apps/validation/validation.go`: `ValidateDeployment`, `ValidateDeploymentSpec`,
//! `ValidateDeploymentStrategy`, `ValidateRollingUpdateDeployment`,
//! `ValidatePositiveIntOrPercent`, `IsNotMoreThan100Percent`, `ValidateReplicaSet`,
//! `ValidateReplicaSetSpec`, `ValidatePodTemplateSpecForReplicaSet`, and the `...Update`
//! variants). Unlike a StatefulSet's, their pod template is validated as a pod's
//! (`ValidatePodTemplateSpec`): a broken template is refused at create. Also the
//! PodDisruptionBudget's (`pkg/apis/policy/validation`), which shares the int-or-percent rules.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::field::FieldError;
use crate::names;
use crate::validate::{
    annotations, label_selector, labels, nonnegative, object_meta, pod_spec, selector_convertible,
    selector_json, selector_matches,
};

type Errs = Vec<FieldError>;

/// An `intstr.IntOrString` as a bad value: apimachinery v0.34+ `field.Error.ErrorBody` renders
/// it with `json.Marshal` (`IntOrString.MarshalJSON`: the number, or the quoted string; a nil
/// pointer converts to the zero value, `0`).
pub(crate) fn json_int_or_string(v: Option<&IntOrString>) -> String {
    match v {
        Some(IntOrString::String(s)) => serde_json::to_string(s).unwrap_or_default(),
        Some(IntOrString::Int(i)) => i.to_string(),
        None => "0".into(),
    }
}

/// `validation.IsValidPercent`.
fn percent_errors(s: &str) -> Vec<&'static str> {
    let digits = s.strip_suffix('%').unwrap_or("");
    if s.ends_with('%') && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        Vec::new()
    } else {
        vec![
            "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        ]
    }
}

/// `ValidatePositiveIntOrPercent`.
pub(crate) fn positive_int_or_percent(v: Option<&IntOrString>, path: &str, errs: &mut Errs) {
    match v {
        Some(IntOrString::String(s)) => {
            for m in percent_errors(s) {
                errs.push(FieldError::invalid_rendered(path, json_int_or_string(v), m));
            }
        }
        Some(IntOrString::Int(i)) => nonnegative(i64::from(*i), path, errs),
        None => {}
    }
}

/// `getPercentValue`: the number of a valid percent string.
pub(crate) fn percent_value(v: &IntOrString) -> Option<i64> {
    match v {
        IntOrString::String(s) if percent_errors(s).is_empty() => {
            s.strip_suffix('%').and_then(|n| n.parse().ok())
        }
        _ => None,
    }
}

/// `getIntOrPercentValue`: the number of a percent, else `IntOrString.IntValue()` (a string
/// that is not a percent through `strconv.Atoi`, 0 when it is not a number).
pub(crate) fn int_or_percent_value(v: Option<&IntOrString>) -> i64 {
    match v {
        Some(IntOrString::Int(i)) => i64::from(*i),
        Some(s @ IntOrString::String(text)) => {
            percent_value(s).unwrap_or_else(|| go_atoi(text).unwrap_or(0))
        }
        None => 0,
    }
}

/// Go's `strconv.Atoi` (an optional sign, then decimal digits that fit an int).
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `ValidateDeploymentStrategy`.
fn strategy(d: &Deployment, errs: &mut Errs) {
    let s = d
        .spec
        .as_ref()
        .and_then(|s| k8sjson::copy(&s.strategy))
        .unwrap_or_default();
    match s.type_.as_deref().unwrap_or("") {
        "Recreate" => {
            if s.rolling_update.is_some() {
                errs.push(FieldError::forbidden(
                    "spec.strategy.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        "RollingUpdate" => match &s.rolling_update {
            None => errs.push(FieldError::required(
                "spec.strategy.rollingUpdate",
                "this should be defaulted and never be nil",
            )),
            Some(ru) => {
                let (mu, ms) = (ru.max_unavailable.as_ref(), ru.max_surge.as_ref());
                positive_int_or_percent(mu, "spec.strategy.rollingUpdate.maxUnavailable", errs);
                positive_int_or_percent(ms, "spec.strategy.rollingUpdate.maxSurge", errs);
                if int_or_percent_value(mu) == 0 && int_or_percent_value(ms) == 0 {
                    errs.push(FieldError::invalid_rendered(
                        "spec.strategy.rollingUpdate.maxUnavailable",
                        json_int_or_string(mu),
                        "may not be 0 when `maxSurge` is 0",
                    ));
                }
                if let Some(IntOrString::String(p)) = mu
                    && percent_errors(p).is_empty()
                    && int_or_percent_value(mu) > 100
                {
                    errs.push(FieldError::invalid_rendered(
                        "spec.strategy.rollingUpdate.maxUnavailable",
                        json_int_or_string(mu),
                        "must not be greater than 100%",
                    ));
                }
            }
        },
        // `field.NotSupported(fldPath, strategy, …)`: the internal `apps.DeploymentStrategy`
        // (no JSON tags) through `json.Marshal`.
        other => {
            let ru = match &s.rolling_update {
                None => "null".to_string(),
                Some(ru) => format!(
                    "{{\"MaxUnavailable\":{},\"MaxSurge\":{}}}",
                    json_int_or_string(ru.max_unavailable.as_ref()),
                    json_int_or_string(ru.max_surge.as_ref())
                ),
            };
            errs.push(FieldError::not_supported(
                "spec.strategy",
                crate::field::rendered(format!(
                    "{{\"Type\":{},\"RollingUpdate\":{ru}}}",
                    serde_json::to_string(other).unwrap_or_default()
                )),
                &["Recreate", "RollingUpdate"],
            ))
        }
    }
}

/// `ValidatePodTemplateSpecForReplicaSet` (+ the selector checks of the spec validations).
fn selector_and_template(
    kind: &str,
    sel: &LabelSelector,
    template: Option<&PodTemplateSpec>,
    errs: &mut Errs,
) {
    let empty = sel.match_labels.as_ref().map_or(0, BTreeMap::len)
        + sel.match_expressions.as_ref().map_or(0, Vec::len)
        == 0;
    label_selector(sel, "spec.selector", errs);
    if empty {
        errs.push(FieldError::invalid(
            "spec.selector",
            selector_json(sel),
            format!("empty selector is invalid for {kind}"),
        ));
    }
    if !selector_convertible(sel) {
        errs.push(FieldError::invalid(
            "spec.selector",
            selector_json(sel),
            "invalid label selector",
        ));
        return;
    }
    let Some(t) = template else {
        errs.push(FieldError::required("spec.template", ""));
        return;
    };
    let given = t.metadata.as_ref().and_then(|m| m.labels.clone());
    let tl = given.clone().unwrap_or_default();
    if !empty && !selector_matches(sel, &tl) {
        // A nil Go map marshals to `null`.
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            k8sjson::to_value(&given),
            "`selector` does not match template `labels`",
        ));
    }
    labels(&tl, "spec.template.labels", errs);
    if let Some(a) = t.metadata.as_ref().and_then(|m| m.annotations.as_ref()) {
        annotations(a, "spec.template.annotations", errs);
    }
    let ps = k8sjson::copy(&t.spec).unwrap_or_default();
    errs.extend(pod_spec(&ps, "spec.template.spec", &[]));
    let rp = ps.restart_policy.as_deref().unwrap_or("");
    if rp != "Always" {
        errs.push(FieldError::not_supported(
            "spec.template.spec.restartPolicy",
            rp,
            &["Always"],
        ));
    }
    if let Some(a) = ps.active_deadline_seconds {
        errs.push(FieldError::invalid(
            "spec.template.spec.activeDeadlineSeconds",
            a,
            "activeDeadlineSeconds in ReplicaSet is not Supported",
        ));
    }
}

/// `ValidateDeployment`.
pub fn deployment(d: &Deployment) -> Errs {
    let mut errs = Vec::new();
    object_meta(&d.metadata, true, names::is_dns1123_subdomain, &mut errs);
    let spec = k8sjson::copy(&d.spec).unwrap_or_default();
    nonnegative(
        i64::from(spec.replicas.unwrap_or(1)),
        "spec.replicas",
        &mut errs,
    );
    selector_and_template(
        "deployment",
        &spec.selector,
        Some(&spec.template),
        &mut errs,
    );
    strategy(d, &mut errs);
    let mrs = spec.min_ready_seconds.unwrap_or(0);
    nonnegative(i64::from(mrs), "spec.minReadySeconds", &mut errs);
    if let Some(l) = spec.revision_history_limit {
        nonnegative(i64::from(l), "spec.revisionHistoryLimit", &mut errs);
    }
    if let Some(p) = spec.progress_deadline_seconds {
        nonnegative(i64::from(p), "spec.progressDeadlineSeconds", &mut errs);
        if p <= mrs {
            errs.push(FieldError::invalid(
                "spec.progressDeadlineSeconds",
                p,
                "must be greater than minReadySeconds",
            ));
        }
    }
    errs
}

/// `ValidateReplicaSet`.
pub fn replicaset(r: &ReplicaSet) -> Errs {
    let mut errs = Vec::new();
    object_meta(&r.metadata, true, names::is_dns1123_subdomain, &mut errs);
    let spec = k8sjson::copy(&r.spec).unwrap_or_default();
    nonnegative(
        i64::from(spec.replicas.unwrap_or(1)),
        "spec.replicas",
        &mut errs,
    );
    nonnegative(
        i64::from(spec.min_ready_seconds.unwrap_or(0)),
        "spec.minReadySeconds",
        &mut errs,
    );
    selector_and_template(
        "replicaset",
        &spec.selector,
        spec.template.as_ref(),
        &mut errs,
    );
    errs
}

/// `ValidateDeploymentUpdate` / `ValidateReplicaSetUpdate` for apps/v1: valid, and the
/// selector is immutable.
pub fn selector_update(new: &LabelSelector, old: &LabelSelector, errs: &mut Errs) {
    if new != old {
        errs.push(FieldError::invalid(
            "spec.selector",
            selector_json(new),
            "field is immutable",
        ));
    }
}

/// `pkg/apis/policy/validation/validation.go` `ValidatePodDisruptionBudgetSpec` (the object
/// meta is checked afterwards by the registry's `BeforeCreate`, names as path segments).
pub fn pod_disruption_budget(p: &k8s_openapi::api::policy::v1::PodDisruptionBudget) -> Errs {
    let mut errs = Vec::new();
    let spec = k8sjson::copy(&p.spec).unwrap_or_default();
    let (min, max) = (spec.min_available.as_ref(), spec.max_unavailable.as_ref());
    if min.is_some() && max.is_some() {
        // `field.Invalid(fldPath, spec, …)`: the internal `policy.PodDisruptionBudgetSpec`
        // (no JSON tags; fields MinAvailable, Selector, MaxUnavailable,
        // UnhealthyPodEvictionPolicy) through `json.Marshal`.
        let opt =
            |v: Option<&IntOrString>| v.map_or("null".into(), |v| json_int_or_string(Some(v)));
        let sel = spec
            .selector
            .as_ref()
            .map_or("null".into(), |s| selector_json(s).to_string());
        let policy = spec
            .unhealthy_pod_eviction_policy
            .as_ref()
            .map_or("null".into(), |s| {
                serde_json::to_string(s).unwrap_or_default()
            });
        errs.push(FieldError::invalid_rendered(
            "spec",
            format!(
                "{{\"MinAvailable\":{},\"Selector\":{sel},\"MaxUnavailable\":{},\"UnhealthyPodEvictionPolicy\":{policy}}}",
                opt(min),
                opt(max)
            ),
            "minAvailable and maxUnavailable cannot be both set",
        ));
    }
    for (v, path) in [(min, "spec.minAvailable"), (max, "spec.maxUnavailable")] {
        let Some(v) = v else { continue };
        positive_int_or_percent(Some(v), path, &mut errs);
        // `IsNotMoreThan100Percent`
        if percent_value(v).is_some_and(|n| n > 100) {
            errs.push(FieldError::invalid_rendered(
                path,
                json_int_or_string(Some(v)),
                "must not be greater than 100%",
            ));
        }
    }
    if let Some(sel) = &spec.selector {
        label_selector(sel, "spec.selector", &mut errs);
    }
    if let Some(pol) = spec.unhealthy_pod_eviction_policy.as_deref()
        && pol != "IfHealthyBudget"
        && pol != "AlwaysAllow"
    {
        errs.push(FieldError::not_supported(
            "spec.unhealthyPodEvictionPolicy",
            pol,
            &["AlwaysAllow", "IfHealthyBudget"],
        ));
    }
    // `rest.BeforeCreate` answers with the strategy's errors alone when there are any.
    if errs.is_empty() {
        object_meta(&p.metadata, true, path_segment_name, &mut errs);
    }
    errs
}

/// `path.ValidatePathSegmentName` (apimachinery `pkg/api/validation/path`): the name rule of
/// kinds whose strategy names none.
pub fn path_segment_name(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|c| name.contains(**c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}
