//! `sim contrast [NAME]` and the contrast hints (issue 18). The directive writes the
//! Deployment a user would write for the StatefulSet (`sim::contrast::deployment_for`) to
//! `contrast.yaml` and applies it with `kubectl apply`, on the same cluster and clock. After a
//! kubectl command that deletes a pod, scales or updates one side of a pair, a `hint:` says, in
//! our words, what the other side does differently.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Pod;
use serde_json::Value;
use sim::contrast::{
    Side, after_pod_delete, after_scale, after_update, side_of_pod, side_of_workload,
};

use crate::fs::VirtualFs;
use crate::out::Out;
use crate::resources::Res;
use crate::session::Session;

/// The file the directive writes and applies.
pub const FILE: &str = "contrast.yaml";

/// `sim contrast [NAME]`.
pub(crate) fn directive(s: &mut Session, args: &[String], out: &mut Out) {
    let ns = "default";
    let sets: Vec<&StatefulSet> = s.cluster.store().list::<StatefulSet>(Some(ns)).collect();
    let sts = match args.first() {
        Some(name) => match sets
            .iter()
            .find(|x| x.metadata.name.as_deref() == Some(name))
        {
            Some(x) => k8sjson::copy(*x),
            None => {
                out.fail(format!(
                    "sim contrast: no StatefulSet {name} in namespace {ns}"
                ));
                return;
            }
        },
        None => match sets.as_slice() {
            [one] => k8sjson::copy(*one),
            [] => {
                out.fail(format!(
                    "sim contrast: no StatefulSet in namespace {ns}; apply one first (`{}`)",
                    s.seed_apply_line()
                ));
                return;
            }
            _ => {
                let names: Vec<&str> = sets
                    .iter()
                    .filter_map(|x| x.metadata.name.as_deref())
                    .collect();
                out.fail(format!(
                    "sim contrast: several StatefulSets ({}); name one: sim contrast NAME",
                    names.join(", ")
                ));
                return;
            }
        },
    };
    let (d, claims) = match sim::contrast::deployment_for(&sts) {
        Ok(x) => x,
        Err(e) => {
            out.fail(format!("sim contrast: {e}"));
            return;
        }
    };
    let mut docs: Vec<Value> = claims.iter().map(k8sjson::to_value).collect();
    docs.push(k8sjson::to_value(&d));
    let text = docs
        .iter()
        .map(|v| crate::output::yaml(&strip_empty(v.clone())))
        .collect::<Vec<_>>()
        .join("---\n");
    s.set_file(FILE, &text);
    let mut fs = VirtualFs::default();
    fs.files.insert(FILE.into(), text);
    let apply: Vec<String> = ["apply", "-f", FILE]
        .iter()
        .map(|x| x.to_string())
        .collect();
    crate::verbs::run(s, &apply, &fs, out);
    let sname = sts.metadata.name.clone().unwrap_or_default();
    let dname = d.metadata.name.clone().unwrap_or_default();
    let shared: Vec<String> = claims
        .iter()
        .filter_map(|c| c.metadata.name.clone())
        .collect();
    out.hint(format!(
        "stsplay's contrast: Deployment {dname} ({FILE}) runs StatefulSet {sname}'s pod template{}; do the same thing to both (delete a pod, scale, set image, take a node down) and `sim why` compares them",
        if shared.is_empty() {
            String::new()
        } else {
            format!(
                ", and its claim template became one claim every replica mounts: {}",
                shared.join(", ")
            )
        }
    ));
}

/// Null fields and empty objects dropped (what a user writes, not the serializer's defaults).
fn strip_empty(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(sim::sort::to_object(
            m.into_iter()
                .map(|(k, v)| (k, strip_empty(v)))
                .filter(|(_, v)| !v.is_null() && !v.as_object().is_some_and(|m| m.is_empty())),
        )),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_empty).collect()),
        other => other,
    }
}

/// What a kubectl command is about to touch on a side of a pair (read before it runs: a
/// deleted pod may be gone after).
pub(crate) enum Touch {
    PodDeleted(Side, String),
    Scaled(Side),
    Updated(Side),
}

/// Flags whose value is the next word.
const VALUED: &[&str] = &[
    "-n",
    "--namespace",
    "-l",
    "--selector",
    "-o",
    "--output",
    "-c",
    "--container",
    "-f",
    "--filename",
];

/// The sides a kubectl command line touches (`delete pod`, `scale`, `set image`, `rollout
/// restart|undo`); empty when no contrast pair exists.
pub(crate) fn before(s: &Session, args: &[String]) -> (String, Vec<Touch>) {
    let store = s.cluster.store();
    if store.deployments.is_empty() {
        return (String::new(), Vec::new());
    }
    let mut ns = "default".to_string();
    let mut words: Vec<&str> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if VALUED.contains(&a.as_str()) {
            let v = it.next();
            if matches!(a.as_str(), "-n" | "--namespace") {
                ns = v.cloned().unwrap_or_default();
            }
            continue;
        }
        if let Some(v) = a.strip_prefix("--namespace=") {
            ns = v.to_string();
            continue;
        }
        if a.starts_with('-') {
            continue;
        }
        words.push(a);
    }
    if sim::contrast::pairs(store, &ns).is_empty() {
        return (ns, Vec::new());
    }
    let (verb, rest) = match words.split_first() {
        Some((v, r)) => (*v, r),
        None => return (ns, Vec::new()),
    };
    // `TYPE NAME…` or `TYPE/NAME…` after the verb (and after `image`/`restart`/`undo`).
    let targets = |rest: &[&str]| -> Vec<(Res, String)> {
        let mut v = Vec::new();
        if rest.iter().any(|w| w.contains('/')) {
            for w in rest {
                if let Some((t, n)) = w.split_once('/')
                    && let Some(r) = Res::lookup(t)
                {
                    v.push((r, n.to_string()));
                }
            }
        } else if let Some((t, names)) = rest.split_first()
            && let Some(r) = Res::lookup(t)
        {
            v.extend(names.iter().map(|n| (r, n.to_string())));
        }
        v
    };
    let workload = |r: Res, n: &str| side_of_workload(store, &ns, r.kind(), n);
    let mut out = Vec::new();
    match verb {
        "delete" => {
            for (r, n) in targets(rest) {
                if r == Res::Pod
                    && let Some(p) = store.get::<Pod>(&ns, &n)
                    && let Some(side) = side_of_pod(store, &ns, p)
                {
                    out.push(Touch::PodDeleted(side, n));
                }
            }
        }
        "scale" => {
            for (r, n) in targets(rest) {
                if let Some(side) = workload(r, &n) {
                    out.push(Touch::Scaled(side));
                }
            }
        }
        "set" if rest.first() == Some(&"image") => {
            // `set image TYPE/NAME c=img` or `set image TYPE NAME c=img`.
            let rest: Vec<&str> = rest
                .iter()
                .skip(1)
                .copied()
                .filter(|w| !w.contains('='))
                .collect();
            for (r, n) in targets(&rest) {
                if let Some(side) = workload(r, &n) {
                    out.push(Touch::Updated(side));
                }
            }
        }
        "rollout" if matches!(rest.first(), Some(&"restart") | Some(&"undo")) => {
            for (r, n) in targets(rest.get(1..).unwrap_or(&[])) {
                if let Some(side) = workload(r, &n) {
                    out.push(Touch::Updated(side));
                }
            }
        }
        _ => {}
    }
    (ns, out)
}

/// The hints for what a successful command touched.
pub(crate) fn after(s: &Session, (ns, touched): (String, Vec<Touch>), out: &mut Out) {
    let store = s.cluster.store();
    for t in touched {
        let line = match &t {
            Touch::PodDeleted(side, pod) => Some(after_pod_delete(side, pod)),
            Touch::Scaled(side) => after_scale(store, &ns, side),
            Touch::Updated(side) => after_update(store, &ns, side),
        };
        if let Some(l) = line {
            out.hint(l);
        }
    }
}

/// The hints after `sim fault node NAME down` for each contrast pair with pods on that node.
pub(crate) fn after_node_down(s: &Session, node: &str, out: &mut Out) {
    for l in sim::contrast::after_node_down(s.cluster.store(), "default", node) {
        out.hint(l);
    }
}
