//! ControllerRevisions: the revision data of a StatefulSet template and its upstream hash name.
//!
//! Upstream: `pkg/controller/statefulset/stateful_set_utils.go` (`getPatch`, `newRevision`) and
//! `pkg/controller/history/controller_history.go` (`HashControllerRevision`,
//! `ControllerRevisionName`); the digit alphabet is apimachinery `pkg/util/rand` `SafeEncodeString`.
//!
//! The data is the template as the apiserver stored it (defaulted), wrapped as
//! `{"spec":{"template":{"$patch":"replace", ...}}}`, serialised the way Go does after the
//! map round trip in `getPatch`: object keys sorted, no spaces, Go's string escaping, and the
//! non-omitted zero structs Go writes (`resources: {}`, and up to v1.33 `creationTimestamp: null`;
//! upstream testdata `compatibility_revision_1.34.0.json` shows it gone in v1.34).

use k8s_openapi::api::core::v1::{
    Container, EmptyDirVolumeSource, PodSecurityContext, PodTemplateSpec, Probe,
};
use serde_json::Value;

use crate::config::K8sVersion;

/// 32-bit FNV-1 (multiply, then xor), as Go's `hash/fnv.New32`.
fn fnv1_32(parts: &[&[u8]]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for part in parts {
        for b in part.iter() {
            h = h.wrapping_mul(0x0100_0193);
            h ^= u32::from(*b);
        }
    }
    h
}

/// `history.HashControllerRevision`: FNV-1 over the data bytes, then the decimal collision
/// count (when set); the decimal value of the sum mapped through the safe alphabet.
pub fn hash(data: &[u8], collision_count: Option<i32>) -> String {
    let probe = collision_count.map(|c| c.to_string());
    let sum = match &probe {
        Some(p) => fnv1_32(&[data, p.as_bytes()]),
        None => fnv1_32(&[data]),
    };
    crate::names::safe_encode_string(&sum.to_string())
}

/// `history.ControllerRevisionName`: `<prefix>-<hash>`, the prefix cut to 223 bytes.
pub fn revision_name(set_name: &str, hash: &str) -> String {
    let mut prefix = set_name;
    if prefix.len() > 223 {
        let mut cut = 223;
        while cut > 0 && !prefix.is_char_boundary(cut) {
            cut -= 1;
        }
        prefix = prefix.get(..cut).unwrap_or(prefix);
    }
    format!("{prefix}-{hash}")
}

/// The apiserver's defaults for a pod template inside a StatefulSet (v1.28 apps/v1
/// `SetObjectDefaults_StatefulSet` → core/v1 `SetDefaults_PodSpec`, `SetDefaults_Container`,
/// `SetDefaults_ContainerPort`, `SetDefaults_Probe`, `SetDefaults_HTTPGetAction`,
/// `SetDefaults_Volume`, `SetDefaults_SecretVolumeSource` & co, `SetDefaults_ObjectFieldSelector`
/// in `pkg/apis/core/v1/defaults.go`). Idempotent.
pub fn apply_template_defaults(t: &mut PodTemplateSpec) {
    let spec = t.spec.get_or_insert_with(Default::default);
    if spec.dns_policy.is_none() {
        spec.dns_policy = Some("ClusterFirst".into());
    }
    if spec.restart_policy.is_none() {
        spec.restart_policy = Some("Always".into());
    }
    if spec.termination_grace_period_seconds.is_none() {
        spec.termination_grace_period_seconds = Some(30);
    }
    if spec.security_context.is_none() {
        spec.security_context = Some(PodSecurityContext::default());
    }
    if spec.scheduler_name.is_none() {
        spec.scheduler_name = Some("default-scheduler".into());
    }
    let host_network = spec.host_network.unwrap_or(false);
    for c in spec.containers.iter_mut() {
        default_container(c, host_network);
    }
    for c in spec.init_containers.iter_mut().flatten() {
        default_container(c, host_network);
    }
    for v in spec.volumes.iter_mut().flatten() {
        let has_source = v.persistent_volume_claim.is_some()
            || v.config_map.is_some()
            || v.secret.is_some()
            || v.empty_dir.is_some()
            || v.host_path.is_some()
            || v.projected.is_some()
            || v.downward_api.is_some()
            || v.nfs.is_some()
            || v.csi.is_some()
            || v.ephemeral.is_some()
            || v.image.is_some();
        if !has_source {
            v.empty_dir = Some(EmptyDirVolumeSource::default());
        }
        if let Some(s) = v.secret.as_mut() {
            s.default_mode.get_or_insert(0o644);
        }
        if let Some(s) = v.config_map.as_mut() {
            s.default_mode.get_or_insert(0o644);
        }
        if let Some(s) = v.downward_api.as_mut() {
            s.default_mode.get_or_insert(0o644);
        }
        if let Some(s) = v.projected.as_mut() {
            s.default_mode.get_or_insert(0o644);
        }
    }
}

fn default_probe(p: &mut Probe) {
    p.timeout_seconds.get_or_insert(1);
    p.period_seconds.get_or_insert(10);
    p.success_threshold.get_or_insert(1);
    p.failure_threshold.get_or_insert(3);
    if let Some(h) = p.http_get.as_mut() {
        if h.path.is_none() {
            h.path = Some("/".into());
        }
        if h.scheme.is_none() {
            h.scheme = Some("HTTP".into());
        }
    }
}

/// `imagePullPolicy` default: `Always` for `:latest` or an untagged image, else `IfNotPresent`
/// (`SetDefaults_Container`; a digest counts as a tag).
pub fn default_pull_policy(image: &str) -> &'static str {
    let last = image.rsplit('/').next().unwrap_or(image);
    if image.contains('@') {
        return "IfNotPresent";
    }
    match last.rsplit_once(':') {
        Some((_, tag)) if tag != "latest" => "IfNotPresent",
        _ => "Always",
    }
}

fn default_container(c: &mut Container, host_network: bool) {
    if c.image_pull_policy.is_none() {
        c.image_pull_policy = Some(default_pull_policy(c.image.as_deref().unwrap_or("")).into());
    }
    if c.termination_message_path.is_none() {
        c.termination_message_path = Some("/dev/termination-log".into());
    }
    if c.termination_message_policy.is_none() {
        c.termination_message_policy = Some("File".into());
    }
    for p in c.ports.iter_mut().flatten() {
        if p.protocol.is_none() {
            p.protocol = Some("TCP".into());
        }
        if host_network && p.host_port.is_none() {
            p.host_port = Some(p.container_port);
        }
    }
    for probe in [
        c.liveness_probe.as_mut(),
        c.readiness_probe.as_mut(),
        c.startup_probe.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        default_probe(probe);
    }
    for e in c.env.iter_mut().flatten() {
        if let Some(f) = e.value_from.as_mut().and_then(|vf| vf.field_ref.as_mut())
            && f.api_version.is_none()
        {
            f.api_version = Some("v1".into());
        }
    }
}

/// Go writes a non-pointer struct field even when it is empty: `resources: {}` on every
/// container.
fn add_go_zero_structs(template: &mut Value, version: K8sVersion) {
    if let Some(meta) = template.get_mut("metadata").and_then(Value::as_object_mut) {
        if version == K8sVersion::V1_28 && !meta.contains_key("creationTimestamp") {
            meta.insert("creationTimestamp".into(), Value::Null);
        }
    } else if let Some(obj) = template.as_object_mut() {
        let mut meta = serde_json::Map::new();
        if version == K8sVersion::V1_28 {
            meta.insert("creationTimestamp".into(), Value::Null);
        }
        obj.insert("metadata".into(), Value::Object(meta));
    }
    if let Some(spec) = template.get_mut("spec").and_then(Value::as_object_mut) {
        for list in ["containers", "initContainers"] {
            if let Some(cs) = spec.get_mut(list).and_then(Value::as_array_mut) {
                for c in cs.iter_mut().filter_map(Value::as_object_mut) {
                    c.entry("resources")
                        .or_insert_with(|| Value::Object(serde_json::Map::new()));
                }
            }
        }
    }
}

/// The revision data (`getPatch`): `{"spec":{"template":{"$patch":"replace", <template>}}}`.
pub fn revision_data(template: &PodTemplateSpec, version: K8sVersion) -> Value {
    let mut t = serde_json::to_value(template).unwrap_or(Value::Null);
    if !t.is_object() {
        t = Value::Object(serde_json::Map::new());
    }
    add_go_zero_structs(&mut t, version);
    if let Some(obj) = t.as_object_mut() {
        obj.insert("$patch".into(), Value::String("replace".into()));
    }
    let mut spec = serde_json::Map::new();
    spec.insert("template".into(), t);
    let mut root = serde_json::Map::new();
    root.insert("spec".into(), Value::Object(spec));
    Value::Object(root)
}

/// The bytes the controller stores and hashes: Go `json.Marshal` of the map (sorted keys).
pub fn revision_data_bytes(template: &PodTemplateSpec, version: K8sVersion) -> Vec<u8> {
    go_json(&revision_data(template, version)).into_bytes()
}

/// The pod template inside revision data (what `ApplyRevision` patches back into the set).
pub fn template_from_data(data: &Value) -> Option<PodTemplateSpec> {
    let mut t = data.get("spec")?.get("template")?.clone();
    if let Some(o) = t.as_object_mut() {
        o.remove("$patch");
    }
    serde_json::from_value(t).ok()
}

/// Go `encoding/json` output for a generic value: map keys sorted, no whitespace, HTML-safe
/// string escaping (`<`, `>`, `&` as `\u003c`...), U+2028/2029 escaped.
pub fn go_json(v: &Value) -> String {
    let mut out = String::new();
    write_go_json(v, &mut out);
    out
}

fn write_go_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_go_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_string(k, out);
                out.push(':');
                if let Some(x) = m.get(*k) {
                    write_go_json(x, out);
                }
            }
            out.push('}');
        }
    }
}

fn write_go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{PodSpec, VolumeMount};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use std::collections::BTreeMap;

    /// The template the oracle harness builds for a scenario (see testdata/oracle/README.md).
    fn scenario_template(image: &str, claims: &[&str]) -> PodTemplateSpec {
        let mut t = PodTemplateSpec {
            metadata: Some(ObjectMeta {
                labels: Some(BTreeMap::from([("app".to_string(), "web".to_string())])),
                ..Default::default()
            }),
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: "nginx".into(),
                    image: Some(image.into()),
                    volume_mounts: if claims.is_empty() {
                        None
                    } else {
                        Some(
                            claims
                                .iter()
                                .map(|c| VolumeMount {
                                    name: (*c).into(),
                                    mount_path: format!("/{c}"),
                                    ..Default::default()
                                })
                                .collect(),
                        )
                    },
                    ..Default::default()
                }],
                ..Default::default()
            }),
        };
        apply_template_defaults(&mut t);
        t
    }

    #[test]
    fn fnv1_not_fnv1a() {
        // FNV-1 32 of "a" is 0x050c5d7e (FNV-1a would be 0xe40c292c).
        assert_eq!(fnv1_32(&[b"a"]), 0x050c_5d7e);
    }

    #[test]
    fn every_line_of_revision_data_tsv() {
        let tsv = include_str!("../testdata/oracle/vectors/revision-data.tsv");
        let mut n = 0;
        for line in tsv.lines().filter(|l| !l.is_empty()) {
            let (name, data) = line.split_once('\t').unwrap();
            // Recover the scenario settings (image, claims) from the stored JSON, then build the
            // template ourselves.
            let v: Value = serde_json::from_str(data).unwrap();
            let c = &v["spec"]["template"]["spec"]["containers"][0];
            let image = c["image"].as_str().unwrap();
            let claims: Vec<&str> = c["volumeMounts"]
                .as_array()
                .map(|a| a.iter().map(|m| m["name"].as_str().unwrap()).collect())
                .unwrap_or_default();
            let t = scenario_template(image, &claims);
            let ours = revision_data_bytes(&t, K8sVersion::V1_28);
            assert_eq!(
                String::from_utf8(ours.clone()).unwrap(),
                data,
                "data of {name}"
            );
            assert_eq!(revision_name("web", &hash(&ours, Some(0))), name);
            n += 1;
        }
        assert_eq!(n, 6);
    }

    #[test]
    fn v1_35_data_drops_creation_timestamp_and_renames() {
        let t = scenario_template("nginx:1.0", &["data"]);
        let d28 = revision_data_bytes(&t, K8sVersion::V1_28);
        let d35 = revision_data_bytes(&t, K8sVersion::V1_35);
        assert!(
            !String::from_utf8(d35.clone())
                .unwrap()
                .contains("creationTimestamp")
        );
        assert_ne!(hash(&d28, Some(0)), hash(&d35, Some(0)));
    }

    #[test]
    fn template_round_trips_through_data() {
        let t = scenario_template("nginx:2.0", &["data"]);
        let data = revision_data(&t, K8sVersion::V1_28);
        let back = template_from_data(&data).unwrap();
        // Go's `resources: {}` comes back as an empty struct; the data is the same.
        assert_eq!(revision_data(&back, K8sVersion::V1_28), data);
        assert_eq!(
            back.spec.unwrap().containers[0].image.as_deref(),
            Some("nginx:2.0")
        );
    }

    #[test]
    fn pull_policy_defaults() {
        assert_eq!(default_pull_policy("nginx"), "Always");
        assert_eq!(default_pull_policy("nginx:latest"), "Always");
        assert_eq!(default_pull_policy("nginx:1.27"), "IfNotPresent");
        assert_eq!(default_pull_policy("localhost:5000/nginx"), "Always");
        assert_eq!(
            go_json(&serde_json::json!({"b":"<&>","a":1})),
            r#"{"a":1,"b":"\u003c\u0026\u003e"}"#
        );
    }
}
