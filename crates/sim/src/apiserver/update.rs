//! Update: a user's PUT (replace, edit, patch, scale, `apply` of an existing object) over the
//! stored object: server-filled fields carried over (`apply`), status kept (it is a
//! subresource), server-owned metadata kept, and no write when nothing the user owns changed.

use k8s_openapi::api::apps::v1::StatefulSet;

use super::admission::gate_statefulset_fields;
use super::apply::{apply_patch_is_empty, with_server_fields};
use crate::command::{Outcome, SimError};
use crate::object::{AnyObject, each_object};
use crate::resources::Res;
use crate::state::State;
use crate::store::{Actor, ApiError, Object, Store};

/// The stored version of the same object, if any.
pub(crate) fn stored_of(store: &Store, obj: &AnyObject) -> Option<AnyObject> {
    let ns = obj
        .metadata()
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into());
    let name = obj.name().to_string();
    /// The stored object of `like`'s kind.
    fn get<T: Object>(s: &Store, _like: &T, ns: &str, n: &str) -> Option<AnyObject>
    where
        AnyObject: From<T>,
    {
        s.get::<T>(ns, n).map(k8sjson::copy).map(AnyObject::from)
    }
    each_object!(obj, o => get(store, o.as_ref(), &ns, &name))
}

/// The user-owned part of an object, for `unchanged` detection: everything but status and
/// server-set metadata. `finalizers` and `ownerReferences` are the user's in a PUT (the whole
/// object is sent: `kubectl patch pod P -p '{"metadata":{"finalizers":null}}'` removes them,
/// as the Force Delete StatefulSet Pods task relies on); an `apply` leaves them out.
fn user_view(obj: &AnyObject, put: bool) -> serde_json::Value {
    let mut v = obj.to_json();
    if let Some(m) = v.as_object_mut() {
        m.remove("status");
        if let Some(meta) = m.get_mut("metadata").and_then(|x| x.as_object_mut()) {
            if !put {
                meta.remove("finalizers");
                meta.remove("ownerReferences");
            }
            for k in [
                "uid",
                "resourceVersion",
                "generation",
                "creationTimestamp",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "managedFields",
                "namespace",
            ] {
                meta.remove(k);
            }
        }
    }
    v
}

/// A user update: the new object's spec/metadata over the stored one (status kept).
pub(crate) fn update_any(
    st: &mut State,
    obj: AnyObject,
    three_way: bool,
) -> Result<(Outcome, AnyObject), ApiError> {
    let Some(stored) = stored_of(&st.store, &obj) else {
        return Err(ApiError::NotFound {
            resource: Res::of(&obj).plural(),
            name: obj.name().to_string(),
        });
    };
    // kubectl apply prints `unchanged` only when the patch it computed is empty, which can
    // differ from "the object did not change" (see `apply_patch_is_empty`).
    let patch_empty = if three_way {
        apply_patch_is_empty(&stored, &obj)
    } else {
        None
    };
    let mut obj = with_server_fields(&stored, obj, three_way);
    if let (AnyObject::StatefulSet(set), AnyObject::StatefulSet(old)) = (&mut obj, &stored) {
        gate_statefulset_fields(set, Some(old), &st.ccfg.gates);
    }
    if user_view(&stored, !three_way) == user_view(&obj, !three_way) {
        // A non-empty patch that changes nothing: the apiserver skips the write (no new
        // resourceVersion), kubectl still says `configured`.
        let outcome = match patch_empty {
            Some(false) => Outcome::Configured,
            _ => Outcome::Unchanged,
        };
        return Ok((outcome, stored));
    }
    if three_way {
        // An apply keeps the stored finalizers and owners unless its manifest sets them; a PUT
        // (kubectl patch, label, set image, rollout undo: the stored object changed) stores
        // what it sends (apiserver `rest.BeforeUpdate` keeps no metadata the client owns).
        let sm = k8sjson::copy(stored.metadata());
        let m = obj.metadata_mut();
        if m.finalizers.is_none() {
            m.finalizers = sm.finalizers.clone();
        }
        if m.owner_references.is_none() {
            m.owner_references = k8sjson::copy(&sm.owner_references);
        }
    }
    let s = &mut st.store;
    let out = each_object!(obj, o => {
        let mut o = *o;
        keep_status(&stored, &mut o);
        let r = s.update(Actor::User, o)?;
        AnyObject::from(r)
    });
    Ok((Outcome::Configured, out))
}

/// Copy `.status` from the stored object (status is a subresource; user writes don't touch it).
fn keep_status<T: k8sjson::Json>(stored: &AnyObject, obj: &mut T) {
    if let Some(v) = with_stored_status(stored, k8sjson::to_value(&*obj))
        && let Ok(t) = k8sjson::from_value(v)
    {
        *obj = t;
    }
}

/// [`keep_status`]'s kind-independent part (one copy for every kind, issue #17): the object's
/// tree with the stored object's `.status`, `None` when there is none to keep.
#[inline(never)]
fn with_stored_status(stored: &AnyObject, mut v: serde_json::Value) -> Option<serde_json::Value> {
    let status = stored.to_json().get("status").cloned()?;
    v.as_object_mut()?.insert("status".into(), status);
    Some(v)
}

/// `kubectl scale`: a write of `spec.replicas` through the scale subresource (a PATCH).
// Not inlined into `event_loop::apply_command`, so the release build can move it to the second
// wasm module when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(crate) fn scale(
    st: &mut State,
    resource: &str,
    ns: &str,
    name: &str,
    replicas: i32,
) -> Result<AnyObject, SimError> {
    use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
    let invalid = |kind: &str| {
        SimError::Invalid(format!(
            "The {kind} \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"
        ))
    };
    let not_found = |resource: &'static str| -> SimError {
        ApiError::NotFound {
            resource,
            name: name.to_string(),
        }
        .into()
    };
    match crate::resources::canonical_resource(resource) {
        Some("deployments") => {
            let Some(mut d) = st.store.get::<Deployment>(ns, name).map(k8sjson::copy) else {
                return Err(not_found("deployments.apps"));
            };
            if replicas < 0 {
                return Err(invalid("Deployment"));
            }
            d.spec.get_or_insert_with(Default::default).replicas = Some(replicas);
            Ok(AnyObject::from(st.store.patch(Actor::User, d)?))
        }
        Some("replicasets") => {
            let Some(mut r) = st.store.get::<ReplicaSet>(ns, name).map(k8sjson::copy) else {
                return Err(not_found("replicasets.apps"));
            };
            if replicas < 0 {
                return Err(invalid("ReplicaSet"));
            }
            r.spec.get_or_insert_with(Default::default).replicas = Some(replicas);
            Ok(AnyObject::from(st.store.patch(Actor::User, r)?))
        }
        _ => {
            let Some(mut set) = st.store.get::<StatefulSet>(ns, name).map(k8sjson::copy) else {
                return Err(not_found("statefulsets.apps"));
            };
            if replicas < 0 {
                return Err(invalid("StatefulSet"));
            }
            set.spec.get_or_insert_with(Default::default).replicas = Some(replicas);
            let o = st.store.patch(Actor::User, set)?;
            Ok(AnyObject::StatefulSet(Box::new(o)))
        }
    }
}
