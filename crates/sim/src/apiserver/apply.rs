//! Client-side `kubectl apply` on the server side of the playground: the last-applied
//! annotation, the three-way strategic merge of the manifest with the live object and the
//! previously applied configuration (`crate::merge` computes it), whether kubectl's patch is
//! empty (`unchanged`), and the server-allocated fields a PUT keeps.

use crate::object::AnyObject;

/// The annotation client-side `kubectl apply` keeps the applied configuration in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The configuration last applied to `stored` (its last-applied annotation), if it parses.
fn last_applied(stored: &AnyObject) -> Option<serde_json::Value> {
    let text = stored.metadata().annotations.as_ref()?.get(LAST_APPLIED)?;
    // Bounded like any input: the annotation was written by us from a bounded manifest.
    if text.len() > 1 << 20 {
        return None;
    }
    serde_json::from_str(text).ok()
}

/// Server-allocated spec fields of `stored_json` that a replacing object `new` leaves out.
fn keep_allocated(
    stored_json: &serde_json::Value,
    new: &mut serde_json::Map<String, serde_json::Value>,
    stored: &AnyObject,
) {
    let fields: &[&str] = match stored {
        AnyObject::Service(_) => &["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"],
        AnyObject::PersistentVolumeClaim(_) => &["volumeName", "storageClassName", "volumeMode"],
        _ => &[],
    };
    let Some(old_spec) = stored_json.get("spec").and_then(|v| v.as_object()) else {
        return;
    };
    let Some(spec) = new.get_mut("spec").and_then(|v| v.as_object_mut()) else {
        return;
    };
    for f in fields {
        let missing = spec.get(*f).is_none_or(|v| v.is_null() || v == "");
        if missing && let Some(v) = old_spec.get(*f) {
            spec.insert((*f).to_string(), v.clone());
        }
    }
}

/// `new` (an applied manifest) merged three ways with the stored object and the previously
/// applied `original`, as client-side `kubectl apply` does (`CreateThreeWayMergePatch` in
/// k8s.io/apimachinery `pkg/util/strategicpatch/patch.go`, the patch then applied by the
/// apiserver as a strategic merge patch; see [`crate::merge`]): additions and changes come from
/// the manifest against the stored object, deletions from the manifest against `original`.
/// Maps merge key by key; lists tagged `patchStrategy:"merge"` (containers, env, ports,
/// volumeMounts, volumes, Service ports, …) merge item by item on their merge key, so items
/// others added (a sidecar from `kubectl patch`, an env var from `kubectl set env`) and fields
/// the server filled in stay; other lists come whole from the manifest. Every section but the
/// object's identity and status (`spec`, `data`, …; a section removed from the manifest goes),
/// then the labels and annotations.
fn three_way_merge(
    stored: &serde_json::Value,
    new: &mut serde_json::Map<String, serde_json::Value>,
    original: &serde_json::Value,
) {
    use serde_json::Value;
    let ty = crate::merge::root_of(stored);
    let sections = |v: &Value| -> Value {
        let mut m = v.as_object().cloned().unwrap_or_default();
        for k in ["apiVersion", "kind", "metadata", "status"] {
            m.remove(k);
        }
        Value::Object(m)
    };
    let merged = crate::merge::three_way_merge(
        &sections(original),
        &sections(&Value::Object(new.clone())),
        &sections(stored),
        ty,
    );
    new.retain(|k, _| matches!(k.as_str(), "apiVersion" | "kind" | "metadata" | "status"));
    if let Value::Object(m) = merged {
        new.extend(m);
    }
    let empty = Value::Object(Default::default());
    for field in ["labels", "annotations"] {
        let Some(stored_map) = stored.get("metadata").and_then(|x| x.get(field)) else {
            continue;
        };
        let orig_map = original.get("metadata").and_then(|x| x.get(field));
        let Some(meta) = new.get_mut("metadata").and_then(|x| x.as_object_mut()) else {
            continue;
        };
        let new_map = meta.get(field).cloned().unwrap_or_else(|| empty.clone());
        let merged = crate::merge::three_way_merge(
            orig_map.unwrap_or(&empty),
            &new_map,
            stored_map,
            crate::merge::Ty::Any,
        );
        if merged.as_object().is_some_and(|x| x.is_empty()) {
            meta.remove(field);
        } else {
            meta.insert(field.to_string(), merged);
        }
    }
}

/// Whether the patch client-side `kubectl apply` would send for `new` over `stored` is empty
/// (`pkg/cmd/apply/apply.go`: `unchanged` when the patch is `{}`, else `configured`). kubectl
/// diffs the manifest as written (the new last-applied annotation, added to it as kubectl's
/// `GetModifiedConfiguration` does) against the live object, so a server default inside a list
/// without a merge strategy makes the patch non-empty on every re-apply: a StatefulSet's
/// `volumeClaimTemplates` get `apiVersion`, `kind`, `volumeMode` and `status.phase` from the
/// apiserver, hence `configured` for an unchanged manifest (kubernetes/kubernetes#66450).
/// `None` when the new object carries no annotation (not a kubectl apply).
pub(super) fn apply_patch_is_empty(stored: &AnyObject, new: &AnyObject) -> Option<bool> {
    use serde_json::Value;
    let raw = new.metadata().annotations.as_ref()?.get(LAST_APPLIED)?;
    if raw.len() > 1 << 20 {
        return None;
    }
    let mut modified: Value = serde_json::from_str(raw).ok()?;
    let annotations = modified
        .as_object_mut()?
        .entry("metadata")
        .or_insert_with(|| Value::Object(Default::default()))
        .as_object_mut()?
        .entry("annotations")
        .or_insert_with(|| Value::Object(Default::default()))
        .as_object_mut()?;
    annotations.insert(LAST_APPLIED.to_string(), Value::String(raw.clone()));
    let original = last_applied(stored).unwrap_or_else(|| Value::Object(Default::default()));
    let current = stored.to_json();
    let ty = crate::merge::root_of(&current);
    let patch = crate::merge::three_way_patch(&original, &modified, &current, ty);
    Some(patch.as_object().is_some_and(|m| m.is_empty()))
}

/// The user's object with the server-filled spec fields of the stored one carried over. With
/// `three_way` (kubectl apply), fields of the last applied configuration that the new one no
/// longer has are removed from the spec (and other top-level sections) and from the labels
/// and annotations; labels and annotations set by others (kubectl label/annotate) are kept.
pub(super) fn with_server_fields(stored: &AnyObject, obj: AnyObject, three_way: bool) -> AnyObject {
    let sj = stored.to_json();
    let mut nj = obj.to_json();
    if let Some(m) = nj.as_object_mut() {
        if three_way {
            // Without the annotation (an object made by `kubectl create`), kubectl treats the
            // original as empty: nothing is deleted.
            let original = last_applied(stored)
                .unwrap_or_else(|| serde_json::Value::Object(Default::default()));
            three_way_merge(&sj, m, &original);
        } else {
            // A PUT (replace, edit, patch, undo, scale: the client sends the whole object)
            // replaces every section; only values the apiserver allocated are kept when the new
            // object leaves them out (Service `patchAllocatedValues` in
            // pkg/registry/core/service/storage/storage.go; a claim's binding).
            keep_allocated(&sj, m, stored);
        }
    }
    fn back<T: k8sjson::Json>(v: serde_json::Value) -> Option<T> {
        k8sjson::from_value(v).ok()
    }
    let merged = match &obj {
        AnyObject::StatefulSet(_) => back(nj).map(|o| AnyObject::StatefulSet(Box::new(o))),
        AnyObject::Deployment(_) => back(nj).map(|o| AnyObject::Deployment(Box::new(o))),
        AnyObject::ReplicaSet(_) => back(nj).map(|o| AnyObject::ReplicaSet(Box::new(o))),
        AnyObject::Service(_) => back(nj).map(|o| AnyObject::Service(Box::new(o))),
        AnyObject::Pod(_) => back(nj).map(|o| AnyObject::Pod(Box::new(o))),
        AnyObject::PersistentVolumeClaim(_) => {
            back(nj).map(|o| AnyObject::PersistentVolumeClaim(Box::new(o)))
        }
        AnyObject::PersistentVolume(_) => {
            back(nj).map(|o| AnyObject::PersistentVolume(Box::new(o)))
        }
        AnyObject::StorageClass(_) => back(nj).map(|o| AnyObject::StorageClass(Box::new(o))),
        AnyObject::ConfigMap(_) => back(nj).map(|o| AnyObject::ConfigMap(Box::new(o))),
        AnyObject::Secret(_) => back(nj).map(|o| AnyObject::Secret(Box::new(o))),
        AnyObject::PodDisruptionBudget(_) => {
            back(nj).map(|o| AnyObject::PodDisruptionBudget(Box::new(o)))
        }
        _ => None,
    };
    merged.unwrap_or(obj)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cluster, Command};
    use k8s_openapi::api::core::v1::Service;

    /// A StatefulSet as `kubectl apply` sends it: the manifest plus its last-applied annotation.
    fn applied_set(spec_extra: serde_json::Value, labels: serde_json::Value) -> AnyObject {
        let mut v = serde_json::json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "web", "namespace": "default", "labels": labels},
            "spec": {"serviceName": "web", "replicas": 1,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.26.0"}]}}}
        });
        for (k, x) in spec_extra.as_object().unwrap() {
            v["spec"][k] = x.clone();
        }
        let last = v.to_string();
        v["metadata"]["annotations"] = serde_json::json!({ LAST_APPLIED: last });
        AnyObject::StatefulSet(Box::new(serde_json::from_value(v).unwrap()))
    }

    fn stored_set(c: &Cluster) -> k8s_openapi::api::apps::v1::StatefulSet {
        c.store()
            .get::<k8s_openapi::api::apps::v1::StatefulSet>("default", "web")
            .unwrap()
            .clone()
    }

    #[test]
    fn apply_three_way_removes_fields_dropped_from_the_manifest_and_keeps_others() {
        let mut c = Cluster::default();
        let with_partition = serde_json::json!({
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}},
            "minReadySeconds": 5
        });
        c.apply(Command::Apply(applied_set(
            with_partition,
            serde_json::json!({"app": "web", "tier": "db"}),
        )))
        .unwrap();
        let s = stored_set(&c);
        let spec = s.spec.as_ref().unwrap();
        assert_eq!(
            spec.update_strategy
                .as_ref()
                .unwrap()
                .rolling_update
                .as_ref()
                .unwrap()
                .partition,
            Some(2)
        );
        // Someone else labels it (kubectl label): not part of any applied configuration.
        let mut labelled = s.clone();
        labelled
            .metadata
            .labels
            .as_mut()
            .unwrap()
            .insert("owner".into(), "ops".into());
        c.apply(Command::Update(AnyObject::StatefulSet(Box::new(labelled))))
            .unwrap();
        // Re-apply without minReadySeconds, without the partition and without `tier`.
        c.apply(Command::Apply(applied_set(
            serde_json::json!({"updateStrategy": {"type": "RollingUpdate"}}),
            serde_json::json!({"app": "web"}),
        )))
        .unwrap();
        let s = stored_set(&c);
        let spec = s.spec.as_ref().unwrap();
        assert_eq!(spec.min_ready_seconds, None, "removed field is gone");
        let partition = spec
            .update_strategy
            .as_ref()
            .and_then(|u| u.rolling_update.as_ref())
            .and_then(|r| r.partition);
        // Defaulting puts `rollingUpdate: {partition: 0}` back, as the apiserver does.
        assert!(
            partition.unwrap_or(0) == 0,
            "partition removed: {partition:?}"
        );
        let labels = s.metadata.labels.unwrap();
        assert_eq!(labels.get("tier"), None, "label removed from the manifest");
        assert_eq!(labels.get("owner").map(String::as_str), Some("ops"));
        assert_eq!(labels.get("app").map(String::as_str), Some("web"));
        assert_eq!(spec.service_name.as_deref(), Some("web"));
    }

    /// Lists merge by key (strategic merge, `sim::merge`): a container added by someone else
    /// (kubectl patch) survives a re-apply, a container dropped from the manifest goes, and
    /// fields others set inside a kept container (an env var, imagePullPolicy) stay.
    #[test]
    fn apply_merges_containers_by_name_keeping_others_sidecars() {
        let mut c = Cluster::default();
        let two = serde_json::json!({"template": {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.26.0"},
                                    {"name": "log", "image": "busybox"}]}}});
        c.apply(Command::Apply(applied_set(
            two,
            serde_json::json!({"app": "web"}),
        )))
        .unwrap();
        // Someone adds a sidecar and an env var (a PUT of the whole object).
        let mut s = stored_set(&c);
        let pod = s.spec.as_mut().unwrap().template.spec.as_mut().unwrap();
        pod.containers.insert(
            0,
            serde_json::from_value(serde_json::json!({"name": "istio", "image": "proxy"})).unwrap(),
        );
        pod.containers[1].env = Some(vec![
            serde_json::from_value(serde_json::json!({"name": "X", "value": "1"})).unwrap(),
        ]);
        pod.containers[1].image_pull_policy = Some("Always".into());
        c.apply(Command::Update(AnyObject::StatefulSet(Box::new(s))))
            .unwrap();
        // Re-apply with one container (log removed) and a new image.
        let one = serde_json::json!({"template": {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27.0"}]}}});
        c.apply(Command::Apply(applied_set(
            one,
            serde_json::json!({"app": "web"}),
        )))
        .unwrap();
        let s = stored_set(&c);
        let cs = &s
            .spec
            .as_ref()
            .unwrap()
            .template
            .spec
            .as_ref()
            .unwrap()
            .containers;
        let names: Vec<&str> = cs.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["istio", "nginx"]);
        assert_eq!(cs[1].image.as_deref(), Some("nginx:1.27.0"));
        assert_eq!(cs[1].env.as_ref().unwrap()[0].name, "X");
        assert_eq!(
            cs[1].image_pull_policy.as_deref(),
            Some("Always"),
            "a field others set in a manifest container stays"
        );
    }

    /// Service ports merge on `port` (core/v1 `ServiceSpec.Ports`, `patchMergeKey:"port"`): a
    /// port dropped from the manifest goes, a field others set on a kept port stays, and the
    /// allocated clusterIP stays.
    #[test]
    fn apply_merges_service_ports_by_port() {
        let svc = |ports: serde_json::Value| {
            let mut v = serde_json::json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {"selector": {"app": "web"}, "ports": ports}});
            let last = v.to_string();
            v["metadata"]["annotations"] = serde_json::json!({ LAST_APPLIED: last });
            AnyObject::Service(Box::new(serde_json::from_value(v).unwrap()))
        };
        let mut c = Cluster::default();
        c.apply(Command::Apply(svc(serde_json::json!([
            {"name": "http", "port": 80}, {"name": "https", "port": 443}
        ]))))
        .unwrap();
        let get = |c: &Cluster| c.store().get::<Service>("default", "web").unwrap().clone();
        let mut s = get(&c);
        let ip = s.spec.as_ref().unwrap().cluster_ip.clone();
        assert!(ip.is_some());
        s.spec.as_mut().unwrap().ports.as_mut().unwrap()[0].target_port =
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(8080));
        c.apply(Command::Update(AnyObject::Service(Box::new(s))))
            .unwrap();
        c.apply(Command::Apply(svc(
            serde_json::json!([{"name": "http", "port": 80}]),
        )))
        .unwrap();
        let s = get(&c);
        let spec = s.spec.unwrap();
        let ports = spec.ports.unwrap();
        assert_eq!(ports.len(), 1);
        assert_eq!(ports[0].port, 80);
        assert_eq!(
            ports[0].target_port,
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(8080))
        );
        assert_eq!(spec.cluster_ip, ip);
    }

    #[test]
    fn apply_without_last_applied_removes_nothing() {
        let mut c = Cluster::default();
        let mut created = applied_set(
            serde_json::json!({"minReadySeconds": 5}),
            serde_json::json!({"app": "web"}),
        );
        created.metadata_mut().annotations = None; // as `kubectl create` makes it
        c.apply(Command::Create(created)).unwrap();
        c.apply(Command::Apply(applied_set(
            serde_json::json!({}),
            serde_json::json!({"app": "web"}),
        )))
        .unwrap();
        assert_eq!(stored_set(&c).spec.unwrap().min_ready_seconds, Some(5));
    }
}
