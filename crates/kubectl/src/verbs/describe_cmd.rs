//! `kubectl describe` (kubectl `pkg/cmd/describe/describe.go`); layouts live in `crate::describe`.

#[allow(unused_imports)]
use super::*;

pub(super) const DESCRIBE_FLAGS: &[Spec] = &[
    v("selector", Some('l')),
    b("all-namespaces", Some('A')),
    v("filename", Some('f')),
    b("show-events", None),
    v("chunk-size", None),
];

pub(super) fn describe(s: &mut Session, args: &[String], out: &mut Out) {
    let Some(p) = parse_or_fail(args, DESCRIBE_FLAGS, "kubectl describe", out) else {
        return;
    };
    if p.positional.is_empty() {
        out.fail("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl describe -h' for help and examples");
        return;
    }
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    endpoints_warning(&targets, out);
    let ns = namespace(&p);
    let selector = match selector_flag(&p) {
        Ok(sel) => sel.unwrap_or_default(),
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let now = s.cluster.now();
    let mut texts: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for (r, name) in &targets {
        match name {
            Some(n) => match describe_one(s, *r, &ns, n) {
                Some(t) => texts.push(t),
                None => {
                    // describe.go DescribeMatchingResources: a name that is not found is
                    // tried as a prefix of the names of that type.
                    let matching: Vec<String> =
                        objects::list(s.cluster.store(), *r, Some(&ns), now)
                            .into_iter()
                            .filter(|it| it.name.starts_with(n.as_str()))
                            .map(|it| it.name)
                            .collect();
                    if matching.is_empty() {
                        errors.push(not_found(*r, n));
                        not_found_hint(s, *r, &ns, n, out);
                    }
                    for m in matching {
                        if let Some(t) = describe_one(s, *r, &ns, &m) {
                            texts.push(t);
                        }
                    }
                }
            },
            None => {
                let list_ns = if p.bool("all-namespaces") {
                    None
                } else {
                    Some(ns.as_str())
                };
                for it in objects::list(s.cluster.store(), *r, list_ns, now) {
                    if objects::matches(&selector, &it.labels)
                        && let Some(t) = describe_one(s, *r, &it.namespace, &it.name)
                    {
                        texts.push(t);
                    }
                }
            }
        }
    }
    // describe.go: the first description, then "\n\n" before each next one.
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            out.out("\n\n");
        }
        out.out(t.clone());
    }
    if texts.is_empty() && errors.is_empty() {
        if p.bool("all-namespaces") {
            out.err("No resources found");
        } else {
            out.err(format!("No resources found in {ns} namespace."));
        }
    }
    for e in errors {
        out.fail(e);
    }
}

pub(super) fn describe_one(s: &Session, r: Res, ns: &str, name: &str) -> Option<String> {
    let store = s.cluster.store();
    let now = s.cluster.now();
    use crate::describe as d;
    Some(match r {
        Res::Pod => d::pod(store, store.get::<Pod>(ns, name)?, now),
        Res::StatefulSet => d::statefulset(store, store.get::<StatefulSet>(ns, name)?, now),
        Res::Deployment => d::deployment(
            store,
            store.get::<k8s_openapi::api::apps::v1::Deployment>(ns, name)?,
            now,
        ),
        Res::ReplicaSet => d::replicaset(
            store,
            store.get::<k8s_openapi::api::apps::v1::ReplicaSet>(ns, name)?,
            now,
        ),
        Res::Pvc => d::pvc(store, store.get::<PersistentVolumeClaim>(ns, name)?, now),
        Res::Pv => d::pv(
            store,
            store.get::<k8s_openapi::api::core::v1::PersistentVolume>(ns, name)?,
            now,
        ),
        Res::Service => d::service(
            store,
            store.get::<k8s_openapi::api::core::v1::Service>(ns, name)?,
            now,
        ),
        Res::StorageClass => d::storageclass(
            store,
            store.get::<k8s_openapi::api::storage::v1::StorageClass>(ns, name)?,
            now,
        ),
        Res::Node => d::node(
            store,
            store.get::<k8s_openapi::api::core::v1::Node>(ns, name)?,
            now,
        ),
        Res::PodDisruptionBudget => d::pdb(
            store,
            store.get::<k8s_openapi::api::policy::v1::PodDisruptionBudget>(ns, name)?,
            now,
        ),
        other => {
            let it = objects::get(store, other, ns, name, now)?;
            let meta: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta =
                k8sjson::from_value(it.json.get("metadata").cloned().unwrap_or(Value::Null))
                    .ok()?;
            d::generic(store, other.kind(), &meta, now)
        }
    })
}
