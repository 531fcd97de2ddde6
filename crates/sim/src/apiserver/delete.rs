//! Delete: graceful deletion of pods (`pkg/registry/core/pod/strategy.go`), the garbage
//! collector's finalizers for foreground and orphan propagation, and the kinds that go at once.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Node, PersistentVolume, PersistentVolumeClaim, Pod, Service};
use k8s_openapi::api::storage::v1::StorageClass;

use crate::command::{Propagation, SimError};
use crate::object::AnyObject;
use crate::resources::canonical_resource;
use crate::state::State;

use crate::store::{Actor, ApiError};

// Not inlined into `event_loop::apply_command`, so the release build can move it to the second
// wasm module when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(crate) fn delete_resource(
    st: &mut State,
    resource: &str,
    ns: &str,
    name: &str,
    grace: Option<i64>,
    propagation: Propagation,
) -> Result<Option<AnyObject>, SimError> {
    let Some(res) = canonical_resource(resource) else {
        return Err(SimError::Unsupported(format!(
            "error: the server doesn't have a resource type \"{resource}\""
        )));
    };
    let now = st.now;
    // Owner deletion with propagation: the apiserver puts the GC finalizer on the owner.
    let gc_finalizer = match propagation {
        Propagation::Background => None,
        Propagation::Foreground => Some("foregroundDeletion"),
        Propagation::Orphan => Some("orphan"),
    };
    macro_rules! del {
        ($t:ty) => {{
            if let Some(f) = gc_finalizer {
                st.store
                    .update_with::<$t>(Actor::User, ns, name, &mut |m| add_gc_finalizer(m, f))?;
            }
            let o: $t = st.store.delete::<$t>(Actor::User, ns, name, grace, now)?;
            Some(AnyObject::from(o))
        }};
    }
    let out = match res {
        "pods" => {
            let Some(pod) = st.store.get::<Pod>(ns, name).map(k8sjson::copy) else {
                return Err(ApiError::NotFound {
                    resource: "pods",
                    name: name.to_string(),
                }
                .into());
            };
            // pkg/registry/core/pod/strategy.go CheckGracefulDelete: the pod's own grace period
            // by default; unscheduled or terminal pods are deleted at once.
            let spec_grace = pod
                .spec
                .as_ref()
                .and_then(|s| s.termination_grace_period_seconds)
                .unwrap_or(30);
            let scheduled = pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.as_ref())
                .is_some();
            let phase = pod
                .status
                .as_ref()
                .and_then(|s| s.phase.as_deref())
                .unwrap_or("");
            let terminal = phase == "Succeeded" || phase == "Failed";
            let g = if !scheduled || terminal {
                0
            } else {
                grace.unwrap_or(spec_grace).max(0)
            };
            let o: Pod = st
                .store
                .delete::<Pod>(Actor::User, ns, name, Some(g), now)?;
            Some(AnyObject::from(o))
        }
        "statefulsets" => del!(StatefulSet),
        "deployments" => del!(k8s_openapi::api::apps::v1::Deployment),
        "replicasets" => del!(k8s_openapi::api::apps::v1::ReplicaSet),
        "persistentvolumeclaims" => del!(PersistentVolumeClaim),
        "persistentvolumes" => del!(PersistentVolume),
        "services" => del!(Service),
        "storageclasses" => del!(StorageClass),
        "configmaps" => del!(k8s_openapi::api::core::v1::ConfigMap),
        "secrets" => del!(k8s_openapi::api::core::v1::Secret),
        "poddisruptionbudgets" => del!(k8s_openapi::api::policy::v1::PodDisruptionBudget),
        "controllerrevisions" => del!(k8s_openapi::api::apps::v1::ControllerRevision),
        "nodes" => {
            let o: Node = st.store.delete::<Node>(Actor::User, ns, name, grace, now)?;
            st.rt.nodes.remove(name);
            Some(AnyObject::from(o))
        }
        "events" => {
            let _: k8s_openapi::api::core::v1::Event =
                st.store.delete(Actor::User, ns, name, grace, now)?;
            None
        }
        "endpoints" => {
            let _: k8s_openapi::api::core::v1::Endpoints =
                st.store.delete(Actor::User, ns, name, grace, now)?;
            None
        }
        "endpointslices" => {
            let _: k8s_openapi::api::discovery::v1::EndpointSlice =
                st.store.delete(Actor::User, ns, name, grace, now)?;
            None
        }
        "namespaces" => {
            return Err(SimError::Unsupported(
                "deleting namespaces is not simulated".into(),
            ));
        }
        _ => None,
    };
    Ok(out)
}

/// Put the garbage collector's finalizer `f` on an owner that is not being deleted yet;
/// whether that changed it (one copy for every kind, issue #17).
#[inline(never)]
fn add_gc_finalizer(
    m: &mut k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    f: &str,
) -> bool {
    if m.deletion_timestamp.is_some() {
        return false;
    }
    let fs = m.finalizers.get_or_insert_with(Vec::new);
    if fs.iter().any(|x| x == f) {
        return false;
    }
    fs.push(f.to_string());
    true
}

#[cfg(test)]
mod tests {
    use crate::{Cluster, Command, Fault, Propagation};

    #[test]
    fn deleting_unknown_things_is_a_typed_error() {
        let mut c = Cluster::default();
        let e = c
            .apply(Command::Delete {
                resource: "pods".into(),
                ns: "default".into(),
                name: "web-1".into(),
                grace_seconds: None,
                propagation: Propagation::Background,
            })
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Error from server (NotFound): pods \"web-1\" not found"
        );
        assert!(
            c.apply(Command::Fault(Fault::NodeDown("nope".into())))
                .is_err()
        );
        assert!(c.why("pod", "default", "web-0")[0].contains("does not exist"));
    }
}
