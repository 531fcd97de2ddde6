//! JSON → typed object, as the apiserver decodes a request body: kind resolution (kubectl's
//! RESTMapper message), Go `encoding/json` type errors (`json: cannot unmarshal string into Go
//! struct field StatefulSetSpec.spec.replicas of type int32`: full dotted path without indexes,
//! as sigs.k8s.io/json reports it), Quantity parse errors, and strict decoding (unknown fields,
//! apimachinery `pkg/runtime/error.go` `strictDecodingError`), wrapped as the apiserver's
//! `transformDecodeError` (`"%s in version %q cannot be handled as a %s: %v"`).

use serde_json::Value;
use sim::object::AnyObject;

use crate::walk::{self, Seg, kube_path};

/// What went wrong before an object existed.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodeError {
    /// The apiserver's 400 (message without kubectl's `Error from server (BadRequest): error when creating "f": ` prefix);
    /// `path` is the kubectl-style field path when known.
    BadRequest {
        message: String,
        path: Option<String>,
        unknown: Vec<String>,
    },
    /// kubectl's RESTMapper found no such kind (the full kubectl message).
    NoMatch { message: String, kind: String },
    /// A real Kubernetes kind that stsplay does not simulate.
    Unsupported { kind: String, api_version: String },
    /// kubectl could not read the document (the full kubectl message).
    Undecodable {
        message: String,
        path: Option<String>,
    },
}

/// Real (group/version, kind) pairs of a v1.35 cluster that stsplay does not simulate.
const KNOWN_UNSUPPORTED: &[(&str, &[&str])] = &[
    (
        "v1",
        &[
            "Pod",
            "ServiceAccount",
            "Endpoints",
            "Event",
            "LimitRange",
            "ResourceQuota",
            "ReplicationController",
            "PodTemplate",
            "Node",
            "Binding",
            "ComponentStatus",
        ],
    ),
    ("apps/v1", &["DaemonSet", "ControllerRevision"]),
    ("batch/v1", &["Job", "CronJob"]),
    ("autoscaling/v1", &["HorizontalPodAutoscaler"]),
    ("autoscaling/v2", &["HorizontalPodAutoscaler"]),
    ("policy/v1", &["Eviction"]),
    (
        "networking.k8s.io/v1",
        &[
            "Ingress",
            "IngressClass",
            "NetworkPolicy",
            "IPAddress",
            "ServiceCIDR",
        ],
    ),
    (
        "rbac.authorization.k8s.io/v1",
        &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
    ),
    (
        "storage.k8s.io/v1",
        &[
            "VolumeAttachment",
            "CSIDriver",
            "CSINode",
            "CSIStorageCapacity",
            "VolumeAttributesClass",
        ],
    ),
    ("coordination.k8s.io/v1", &["Lease"]),
    ("discovery.k8s.io/v1", &["EndpointSlice"]),
    ("scheduling.k8s.io/v1", &["PriorityClass"]),
    ("node.k8s.io/v1", &["RuntimeClass"]),
    ("apiextensions.k8s.io/v1", &["CustomResourceDefinition"]),
    (
        "admissionregistration.k8s.io/v1",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
        ],
    ),
    ("certificates.k8s.io/v1", &["CertificateSigningRequest"]),
    ("events.k8s.io/v1", &["Event"]),
    (
        "flowcontrol.apiserver.k8s.io/v1",
        &["FlowSchema", "PriorityLevelConfiguration"],
    ),
    (
        "resource.k8s.io/v1",
        &[
            "DeviceClass",
            "ResourceClaim",
            "ResourceClaimTemplate",
            "ResourceSlice",
        ],
    ),
];

pub const SUPPORTED: &[(&str, &str)] = &[
    ("apps/v1", "StatefulSet"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "ReplicaSet"),
    ("v1", "Service"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("v1", "PersistentVolumeClaim"),
    ("v1", "PersistentVolume"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "Namespace"),
    ("policy/v1", "PodDisruptionBudget"),
];

/// Go's `json.Marshal` of the document (sorted keys, compact), used in kubectl messages.
pub fn go_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    // Go escapes HTML-significant characters
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

pub fn resolve(doc: &Value, source: &str) -> Result<(String, String), DecodeError> {
    let Some(obj) = doc.as_object() else {
        let t = match doc {
            Value::Array(_) => "array",
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            _ => "null",
        };
        return Err(DecodeError::Undecodable {
            path: None,
            message: format!(
                "error: unable to decode {}: json: cannot unmarshal {t} into Go value of type map[string]interface {{}}",
                crate::field::go_quote(source)
            ),
        });
    };
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    if kind.is_empty() {
        return Err(DecodeError::Undecodable {
            path: None,
            message: format!(
                "error: unable to decode {}: Object 'Kind' is missing in '{}'",
                crate::field::go_quote(source),
                go_json(doc)
            ),
        });
    }
    let av = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    if SUPPORTED.iter().any(|(a, k)| *a == av && *k == kind) {
        return Ok((av.to_string(), kind.to_string()));
    }
    if KNOWN_UNSUPPORTED
        .iter()
        .any(|(a, ks)| *a == av && ks.contains(&kind))
    {
        return Err(DecodeError::Unsupported {
            kind: kind.into(),
            api_version: av.into(),
        });
    }
    let meta = obj.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let ns = meta
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
        .unwrap_or("");
    Err(DecodeError::NoMatch {
        kind: kind.to_string(),
        message: format!(
            "error: resource mapping not found for name: {} namespace: {} from {}: no matches for kind {} in version {}\nensure CRDs are installed first",
            crate::field::go_quote(name),
            crate::field::go_quote(ns),
            crate::field::go_quote(source),
            crate::field::go_quote(kind),
            crate::field::go_quote(av)
        ),
    })
}

/// Decode a resolved document into an [`AnyObject`].
pub fn decode(doc: &mut Value, kind: &str, source: &str) -> Result<AnyObject, DecodeError> {
    metadata_client_side(doc, kind, source)?;
    normalize_quantities(doc, kind)?;
    Ok(match kind {
        "StatefulSet" => AnyObject::StatefulSet(Box::new(typed(doc, kind)?)),
        "Deployment" => AnyObject::Deployment(Box::new(typed(doc, kind)?)),
        "ReplicaSet" => AnyObject::ReplicaSet(Box::new(typed(doc, kind)?)),
        "Service" => AnyObject::Service(Box::new(typed(doc, kind)?)),
        "StorageClass" => AnyObject::StorageClass(Box::new(typed(doc, kind)?)),
        "PersistentVolumeClaim" => AnyObject::PersistentVolumeClaim(Box::new(typed(doc, kind)?)),
        "PersistentVolume" => AnyObject::PersistentVolume(Box::new(typed(doc, kind)?)),
        "ConfigMap" => AnyObject::ConfigMap(Box::new(typed(doc, kind)?)),
        "Secret" => AnyObject::Secret(Box::new(typed(doc, kind)?)),
        "Namespace" => AnyObject::Namespace(Box::new(typed(doc, kind)?)),
        "PodDisruptionBudget" => AnyObject::PodDisruptionBudget(Box::new(typed(doc, kind)?)),
        other => {
            return Err(DecodeError::Unsupported {
                kind: other.into(),
                api_version: String::new(),
            });
        }
    })
}

/// kubectl decodes `metadata` itself before sending (the builder's metadata-only object), so a
/// type error there is kubectl's own `error: unable to decode "f.yaml": json: ...`.
fn metadata_client_side(doc: &Value, kind: &str, source: &str) -> Result<(), DecodeError> {
    let Some(meta) = doc.get("metadata") else {
        return Ok(());
    };
    let Some(ty) = walk::root("ObjectMeta") else {
        return Ok(());
    };
    let res = k8sjson::from_value::<k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>(
        meta.clone(),
    );
    let Err(e) = res else { return Ok(()) };
    let mut segs = vec![Seg::Key("metadata".into())];
    walk::locate(ty, meta, &mut segs);
    let msg = go_type_error(kind, &segs, &e.to_string(), doc);
    Err(DecodeError::Undecodable {
        message: format!(
            "error: unable to decode {}: {msg}",
            crate::field::go_quote(source)
        ),
        path: Some(kube_path(&segs)),
    })
}

fn wrap(kind: &str, version: &str, err: &str) -> String {
    format!(
        "{kind} in version {} cannot be handled as a {kind}: {err}",
        crate::field::go_quote(version)
    )
}

fn version_of(doc: &Value) -> String {
    let av = doc.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    av.rsplit('/').next().unwrap_or(av).to_string()
}

/// Quantities: Go accepts JSON numbers and strings; k8s-openapi wants strings. Also the
/// parse check (`quantities must match the regular expression ...`).
fn normalize_quantities(doc: &mut Value, kind: &str) -> Result<(), DecodeError> {
    let version = version_of(doc);
    let mut err: Option<(String, String)> = None;
    walk_q(doc, "", false, &mut err);
    match err {
        Some((path, msg)) => Err(DecodeError::BadRequest {
            message: wrap(kind, &version, &msg),
            path: Some(path),
            unknown: vec![],
        }),
        None => Ok(()),
    }
}

fn walk_q(v: &mut Value, path: &str, quantity_map: bool, err: &mut Option<(String, String)>) {
    if err.is_some() {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                let parent_is_resources = path.ends_with("resources") || path.ends_with("overhead");
                let is_qmap = (parent_is_resources && (k == "requests" || k == "limits"))
                    || k == "capacity"
                    || k == "allocatable"
                    || k == "overhead";
                if quantity_map || k == "sizeLimit" {
                    quantity_value(child, &p, err);
                } else {
                    walk_q(child, &p, is_qmap, err);
                }
            }
        }
        Value::Array(items) => {
            for (i, it) in items.iter_mut().enumerate() {
                walk_q(it, &format!("{path}[{i}]"), false, err);
            }
        }
        _ => {}
    }
}

fn quantity_value(v: &mut Value, path: &str, err: &mut Option<(String, String)>) {
    let s = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Null => return,
        _ => {
            *err = Some((path.to_string(), crate::quantity::ERR_FORMAT.to_string()));
            return;
        }
    };
    match crate::quantity::check(&s) {
        Ok(()) => {
            // the apiserver stores (and `-o yaml` shows) the canonical form; ResourceLists are
            // rounded up to milli precision, sizeLimit is not
            let round = !path.ends_with("sizeLimit");
            *v = Value::String(crate::quantity::canonical(&s, round).unwrap_or(s));
        }
        Err(m) => *err = Some((path.to_string(), m.to_string())),
    }
}

/// The apiserver's strict decode: the object through `k8sjson::from_value` (the decoder the
/// whole playground shares, `serde_json::from_value`'s exact behaviour), its unknown fields and the path of a type error from a walk of
/// the same tree against the generated schema (`walk`).
fn typed<T: k8sjson::Json>(doc: &Value, kind: &str) -> Result<T, DecodeError> {
    let version = version_of(doc);
    let ty = walk::root(kind);
    match k8sjson::from_value::<T>(doc.clone()) {
        Ok(t) => {
            let mut unknown: Vec<String> = Vec::new();
            if let Some(ty) = ty {
                walk::unknown_fields(ty, doc, &mut Vec::new(), &mut unknown);
            }
            if unknown.is_empty() {
                Ok(t)
            } else {
                let list: Vec<String> = unknown
                    .iter()
                    .map(|u| format!("unknown field {}", crate::field::go_quote(u)))
                    .collect();
                Err(DecodeError::BadRequest {
                    message: wrap(
                        kind,
                        &version,
                        &format!("strict decoding error: {}", list.join(", ")),
                    ),
                    path: unknown.first().cloned(),
                    unknown,
                })
            }
        }
        Err(e) => {
            let mut segs = Vec::new();
            if let Some(ty) = ty {
                walk::locate(ty, doc, &mut segs);
            }
            let inner = e.to_string();
            let msg = go_type_error(kind, &segs, &inner, doc);
            Err(DecodeError::BadRequest {
                message: wrap(kind, &version, &msg),
                path: Some(kube_path(&segs)),
                unknown: vec![],
            })
        }
    }
}

/// The Go struct that holds the field named by the last key of `segs`.
fn go_struct(kind: &str, parents: &[&str]) -> String {
    let last = parents.last().copied().unwrap_or("");
    let prev = if parents.len() >= 2 {
        parents.get(parents.len() - 2).copied().unwrap_or("")
    } else {
        ""
    };
    let s = match (prev, last) {
        (_, "") => kind,
        (_, "metadata") => "ObjectMeta",
        ("", "spec") => match kind {
            "StatefulSet" => "StatefulSetSpec",
            "Deployment" => "DeploymentSpec",
            "ReplicaSet" => "ReplicaSetSpec",
            "Service" => "ServiceSpec",
            "PersistentVolumeClaim" => "PersistentVolumeClaimSpec",
            "PersistentVolume" => "PersistentVolumeSpec",
            "Namespace" => "NamespaceSpec",
            _ => "Spec",
        },
        ("template", "spec") => "PodSpec",
        ("volumeClaimTemplates", "spec") => "PersistentVolumeClaimSpec",
        (_, "template") => "PodTemplateSpec",
        (_, "containers") | (_, "initContainers") => "Container",
        ("containers", "ports") | ("initContainers", "ports") => "ContainerPort",
        (_, "ports") => "ServicePort",
        (_, "env") => "EnvVar",
        (_, "envFrom") => "EnvFromSource",
        (_, "valueFrom") => "EnvVarSource",
        (_, "fieldRef") => "ObjectFieldSelector",
        (_, "configMapKeyRef") => "ConfigMapKeySelector",
        (_, "secretKeyRef") => "SecretKeySelector",
        (_, "volumeMounts") => "VolumeMount",
        ("spec", "resources") if kind == "PersistentVolumeClaim" => "VolumeResourceRequirements",
        ("spec", "resources") => "VolumeResourceRequirements",
        (_, "resources") => "ResourceRequirements",
        (_, "selector") => "LabelSelector",
        (_, "matchExpressions") => "LabelSelectorRequirement",
        (_, "updateStrategy") => "StatefulSetUpdateStrategy",
        ("strategy", "rollingUpdate") => "RollingUpdateDeployment",
        (_, "strategy") => "DeploymentStrategy",
        (_, "rollingUpdate") => "RollingUpdateStatefulSetStrategy",
        (_, "persistentVolumeClaimRetentionPolicy") => {
            "StatefulSetPersistentVolumeClaimRetentionPolicy"
        }
        (_, "ordinals") => "StatefulSetOrdinals",
        (_, "volumeClaimTemplates") => "PersistentVolumeClaim",
        (_, "volumes") => "Volume",
        ("containers", "securityContext") | ("initContainers", "securityContext") => {
            "SecurityContext"
        }
        (_, "securityContext") => "PodSecurityContext",
        (_, "livenessProbe") | (_, "readinessProbe") | (_, "startupProbe") => "Probe",
        (_, "httpGet") => "HTTPGetAction",
        (_, "exec") => "ExecAction",
        (_, "tcpSocket") => "TCPSocketAction",
        (_, "configMap") => "ConfigMapVolumeSource",
        (_, "secret") => "SecretVolumeSource",
        (_, "emptyDir") => "EmptyDirVolumeSource",
        (_, "hostPath") => "HostPathVolumeSource",
        (_, "persistentVolumeClaim") => "PersistentVolumeClaimVolumeSource",
        (_, "items") => "KeyToPath",
        (_, "tolerations") => "Toleration",
        (_, "lifecycle") => "Lifecycle",
        (_, "claimRef") => "ObjectReference",
        (_, "local") => "LocalVolumeSource",
        (_, "nfs") => "NFSVolumeSource",
        (_, "ownerReferences") => "OwnerReference",
        (_, other) => return upper_first(other),
    };
    s.to_string()
}

/// Go's exported name of a field (`ordinals` → `Ordinals`). Field names of the API are ASCII,
/// so ASCII case is all it needs (and the wasm carries no Unicode case tables for it).
fn upper_first(s: &str) -> String {
    let mut s = s.to_string();
    if let Some(f) = s.get_mut(..1) {
        f.make_ascii_uppercase();
    }
    s
}

fn go_type_of_expected(expected: &str, field: &str, parent: &str) -> String {
    let e = expected.trim();
    match e {
        "i32" => "int32".into(),
        "i64" => "int64".into(),
        "u32" => "uint32".into(),
        "f64" => "float64".into(),
        "a boolean" => "bool".into(),
        "a string" | "string" => {
            if field == "storage" || parent == "requests" || parent == "limits" {
                "resource.Quantity".into()
            } else {
                "string".into()
            }
        }
        "a sequence" => match field {
            "containers" | "initContainers" => "[]v1.Container".into(),
            "ports" if parent == "containers" || parent == "initContainers" => {
                "[]v1.ContainerPort".into()
            }
            "ports" => "[]v1.ServicePort".into(),
            "env" => "[]v1.EnvVar".into(),
            "volumeMounts" => "[]v1.VolumeMount".into(),
            "volumes" => "[]v1.Volume".into(),
            "volumeClaimTemplates" => "[]v1.PersistentVolumeClaim".into(),
            "accessModes" => "[]v1.PersistentVolumeAccessMode".into(),
            "matchExpressions" => "[]v1.LabelSelectorRequirement".into(),
            "tolerations" => "[]v1.Toleration".into(),
            _ => "[]string".into(),
        },
        "a map" => match field {
            "requests" | "limits" | "capacity" => "v1.ResourceList".into(),
            "data" if parent.is_empty() => "map[string][]uint8".into(),
            _ => "map[string]string".into(),
        },
        other => {
            let name = other
                .trim_start_matches("struct ")
                .trim_start_matches("a ")
                .trim();
            match name {
                "IntOrString" | "int or string" => "intstr.IntOrString".into(),
                "ObjectMeta" | "LabelSelector" => format!("v1.{name}"),
                n if n.starts_with(|c: char| c.is_ascii_uppercase()) => format!("v1.{n}"),
                _ => format!("v1.{}", go_struct("", &[field])),
            }
        }
    }
}

/// serde's "invalid type: string \"3\", expected i32" → Go's wording.
fn go_type_error(kind: &str, segs: &[Seg], serde_msg: &str, _doc: &Value) -> String {
    // strip serde_json's own " at line/column" (never present for Value) and split
    // k8s-openapi's ByteString (base64) errors → Go's encoding/base64 wording
    if let Some(rest) = serde_msg
        .strip_prefix("Invalid symbol ")
        .or_else(|| serde_msg.strip_prefix("Invalid last symbol "))
    {
        let off = rest
            .rsplit("offset ")
            .next()
            .unwrap_or("0")
            .trim_end_matches('.');
        return format!("illegal base64 data at input byte {off}");
    }
    if serde_msg.starts_with("Invalid") && serde_msg.contains("length") {
        return "illegal base64 data at input byte 0".to_string();
    }
    let (what, expected) = match serde_msg.split_once(", expected ") {
        Some((w, e)) => (w, e),
        None => return serde_msg.to_string(),
    };
    let numeric_target = matches!(expected.trim(), "i32" | "i64" | "u32" | "f64");
    let json_kind = if let Some(rest) = what
        .strip_prefix("invalid type: ")
        .or_else(|| what.strip_prefix("invalid value: "))
    {
        if rest.starts_with("string") {
            "string".to_string()
        } else if let Some(n) = rest
            .strip_prefix("integer `")
            .or_else(|| rest.strip_prefix("floating point `"))
        {
            let lit = n.trim_end_matches('`');
            if numeric_target {
                format!("number {lit}")
            } else {
                "number".to_string()
            }
        } else if rest.starts_with("boolean") {
            "bool".to_string()
        } else if rest.starts_with("sequence") {
            "array".to_string()
        } else if rest.starts_with("map") {
            "object".to_string()
        } else {
            rest.to_string()
        }
    } else {
        return serde_msg.to_string();
    };
    let keys: Vec<&str> = segs
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect();
    // a map value (labels.x, requests.cpu) reports the map's field
    let field = keys.last().copied().unwrap_or("");
    let parents: Vec<&str> = keys
        .iter()
        .take(keys.len().saturating_sub(1))
        .copied()
        .collect();
    let parent = parents.last().copied().unwrap_or("");
    let go_type = go_type_of_expected(expected, field, parent);
    if keys.is_empty() {
        return format!("json: cannot unmarshal {json_kind} into Go value of type v1.{kind}");
    }
    let map_parents = [
        "labels",
        "annotations",
        "matchLabels",
        "nodeSelector",
        "data",
        "stringData",
        "requests",
        "limits",
        "capacity",
        "parameters",
    ];
    let (struct_parents, full): (Vec<&str>, String) = if (map_parents.contains(&parent)
        || (parent == "selector" && kind == "Service"))
        && !parents.is_empty()
    {
        // Go names the map field and reports the element type
        let p: Vec<&str> = parents
            .iter()
            .take(parents.len().saturating_sub(1))
            .copied()
            .collect();
        (p, parents.join("."))
    } else {
        (parents.clone(), keys.join("."))
    };
    let st = go_struct(kind, &struct_parents);
    format!("json: cannot unmarshal {json_kind} into Go struct field {st}.{full} of type {go_type}")
}

/// The walk against the decoder it replaced: serde_path_to_error over serde_ignored over a
/// borrowed `Value` (what intake used until the bundle diet), kept here as the oracle. Every
/// corpus document, mutated at random places with values of every JSON type and with known
/// and unknown keys, must give the same object or the same message, path and unknown fields.
#[cfg(test)]
mod oracle {
    use super::*;
    use proptest::prelude::*;

    fn fmt_ignored(p: &serde_ignored::Path<'_>) -> String {
        use serde_ignored::Path;
        match p {
            Path::Root => String::new(),
            Path::Seq { parent, index } => format!("{}[{index}]", fmt_ignored(parent)),
            Path::Map { parent, key } => {
                let pp = fmt_ignored(parent);
                if pp.is_empty() {
                    key.clone()
                } else {
                    format!("{pp}.{key}")
                }
            }
            Path::Some { parent }
            | Path::NewtypeStruct { parent }
            | Path::NewtypeVariant { parent } => fmt_ignored(parent),
        }
    }

    fn segs_of(p: &serde_path_to_error::Path) -> Vec<Seg> {
        p.iter()
            .map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => Seg::Index(*index),
                serde_path_to_error::Segment::Map { key } => Seg::Key(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => Seg::Key(variant.clone()),
                serde_path_to_error::Segment::Unknown => Seg::Key("?".into()),
            })
            .collect()
    }

    /// The old `typed`: (Ok value as JSON | Err (message, path), unknown fields).
    fn old<T: serde::de::DeserializeOwned + serde::Serialize>(
        doc: &Value,
    ) -> Result<(Value, Vec<String>), (String, String)> {
        let mut unknown: Vec<String> = Vec::new();
        let mut cb = |p: serde_ignored::Path<'_>| unknown.push(fmt_ignored(&p));
        let de = serde_ignored::Deserializer::new(doc, &mut cb);
        let res: Result<T, serde_path_to_error::Error<serde_json::Error>> =
            serde_path_to_error::deserialize(de);
        match res {
            Ok(t) => Ok((serde_json::to_value(&t).unwrap(), unknown)),
            Err(e) => Err((e.inner().to_string(), kube_path(&segs_of(e.path())))),
        }
    }

    /// The walk: the same shape of answer.
    fn new<T: k8sjson::Json>(
        doc: &Value,
        kind: &str,
    ) -> Result<(Value, Vec<String>), (String, String)> {
        let ty = walk::root(kind).unwrap();
        match k8sjson::from_value::<T>(doc.clone()) {
            Ok(t) => {
                let mut unknown = Vec::new();
                walk::unknown_fields(ty, doc, &mut Vec::new(), &mut unknown);
                Ok((k8sjson::to_value(&t), unknown))
            }
            Err(e) => {
                let mut segs = Vec::new();
                walk::locate(ty, doc, &mut segs);
                Err((e.to_string(), kube_path(&segs)))
            }
        }
    }

    fn compare(doc: &Value, kind: &str) -> Result<(), String> {
        use k8s_openapi::api::{apps, core, storage};
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
        macro_rules! both {
            ($t:ty) => {
                (old::<$t>(doc), new::<$t>(doc, kind))
            };
        }
        let (a, b) = match kind {
            "StatefulSet" => both!(apps::v1::StatefulSet),
            "Service" => both!(core::v1::Service),
            "StorageClass" => both!(storage::v1::StorageClass),
            "PersistentVolumeClaim" => both!(core::v1::PersistentVolumeClaim),
            "PersistentVolume" => both!(core::v1::PersistentVolume),
            "ConfigMap" => both!(core::v1::ConfigMap),
            "Secret" => both!(core::v1::Secret),
            "Namespace" => both!(core::v1::Namespace),
            "PodDisruptionBudget" => both!(k8s_openapi::api::policy::v1::PodDisruptionBudget),
            "ObjectMeta" => both!(ObjectMeta),
            k => return Err(format!("no oracle for {k}")),
        };
        if a == b {
            Ok(())
        } else {
            Err(format!("{kind}: old {a:?}\n new {b:?}\n doc {doc}"))
        }
    }

    /// Every document of the good corpus, as the JSON tree `decode` gets, with its kind.
    fn corpus() -> Vec<(Value, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/good");
        let mut out = Vec::new();
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for p in names {
            let text = std::fs::read_to_string(&p).unwrap();
            for r in crate::parse(&text, "f.yaml") {
                if let crate::DocResult::Ok(parsed) = r {
                    let kind = parsed.raw["kind"].as_str().unwrap_or("").to_string();
                    out.push((parsed.raw, kind));
                }
            }
        }
        assert!(out.len() >= 15, "corpus: {} documents", out.len());
        out
    }

    const KEYS: &[&str] = &[
        "replicas",
        "name",
        "image",
        "ports",
        "containerPort",
        "metadata",
        "labels",
        "spec",
        "template",
        "containers",
        "resources",
        "requests",
        "limits",
        "storage",
        "selector",
        "matchLabels",
        "volumeClaimTemplates",
        "accessModes",
        "apiVersion",
        "kind",
        "data",
        "binaryData",
        "stringData",
        "creationTimestamp",
        "targetPort",
        "port",
        "clusterIP",
        "capacity",
        "finalizers",
        "ownerReferences",
        "env",
        "value",
        "valueFrom",
        "x-unknown",
        "status",
        "conditions",
        "lastTransitionTime",
        "type",
        "items",
        "path",
        "mode",
        "defaultMode",
        "configMap",
        "secret",
        "emptyDir",
        "sizeLimit",
        "updateStrategy",
        "rollingUpdate",
        "partition",
        "maxUnavailable",
        "volumeMounts",
        "mountPath",
        "command",
        "args",
        "annotations",
        "generation",
        "deletionTimestamp",
        "managedFields",
        "fieldsV1",
        "matchExpressions",
        "operator",
        "values",
        "httpGet",
        "livenessProbe",
        "readinessProbe",
        "initContainers",
        "tolerations",
        "nodeSelector",
        "affinity",
        "imagePullPolicy",
        "podManagementPolicy",
        "ordinals",
        "start",
        "persistentVolumeClaimRetentionPolicy",
        "whenDeleted",
        "hostPath",
        "claimRef",
        "serviceName",
        "minReadySeconds",
        "uid",
    ];

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (0u64..5_000_000_000).prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1e12f64..1e12).prop_map(Value::from),
            Just(Value::from(1.5)),
            Just(Value::from(3.0)),
            prop::sample::select(vec![
                "",
                "3",
                "x",
                "1Gi",
                "100m",
                "1.5",
                "abc!",
                "2024-01-02T03:04:05Z",
                "2024-13-01",
                "aGVsbG8=",
                "aGVsbG8",
                "@@",
                "apps/v1",
                "v1",
                "StatefulSet",
                "PersistentVolumeClaim",
                "RollingUpdate",
                "OnDelete",
                "80",
                "http",
            ])
            .prop_map(Value::from),
        ]
    }

    fn json() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(KEYS), inner), 0..3).prop_map(|kv| {
                    Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
                }),
            ]
        })
    }

    /// Replace (or, in an object, add) the value at a random place: `picks` choose the child
    /// at each level, `stop` how deep to go.
    fn mutate(cur: &mut Value, picks: &[usize], stop: usize, key: &str, val: Value) {
        let descend = match (picks.split_first(), &*cur) {
            (Some((p, _)), Value::Object(m)) if !m.is_empty() && stop > 0 => {
                m.keys().nth(p % m.len()).cloned().map(|k| (Some(k), 0))
            }
            (Some((p, _)), Value::Array(a)) if !a.is_empty() && stop > 0 => {
                Some((None, p % a.len()))
            }
            _ => None,
        };
        let rest = picks.get(1..).unwrap_or(&[]);
        match descend {
            Some((Some(k), _)) => mutate(cur.get_mut(&k).unwrap(), rest, stop - 1, key, val),
            Some((None, i)) => mutate(cur.get_mut(i).unwrap(), rest, stop - 1, key, val),
            None => match cur {
                Value::Object(m) => {
                    m.insert(key.to_string(), val);
                }
                other => *other = val,
            },
        }
    }

    #[test]
    fn every_supported_kind_has_a_schema() {
        // a new kind needs its root in tests/schema_gen.rs (then INTAKE_BLESS=1 ...), or its
        // unknown fields and error paths would go unreported
        for (_, kind) in SUPPORTED {
            assert!(walk::root(kind).is_some(), "{kind}: no schema root");
        }
        assert!(walk::root("ObjectMeta").is_some());
    }

    #[test]
    fn the_corpus_decodes_as_before() {
        for (doc, kind) in corpus() {
            compare(&doc, &kind).unwrap();
            if let Some(meta) = doc.get("metadata") {
                compare(meta, "ObjectMeta").unwrap();
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        #[test]
        fn mutated_documents_decode_as_before(
            which in any::<prop::sample::Index>(),
            edits in prop::collection::vec(
                (prop::collection::vec(any::<usize>(), 1..12), 0usize..12,
                 prop::sample::select(KEYS), json()),
                1..4,
            ),
        ) {
            let docs = corpus_cached();
            let (doc, kind) = which.get(docs);
            let mut doc = doc.clone();
            for (picks, stop, key, val) in edits {
                mutate(&mut doc, &picks, stop, key, val);
            }
            if let Err(e) = compare(&doc, kind) {
                prop_assert!(false, "{}", e);
            }
        }
    }

    fn corpus_cached() -> &'static [(Value, String)] {
        static C: std::sync::OnceLock<Vec<(Value, String)>> = std::sync::OnceLock::new();
        C.get_or_init(corpus)
    }
}
