//! Create: admission, then the store's create (`pkg/registry/*/strategy.go` `PrepareForCreate`
//! and the registry's defaults live in `crate::store`).

use super::admission::{admit_create, gate_statefulset_fields};
use crate::object::AnyObject;
use crate::state::State;
use crate::store::{Actor, ApiError};

pub(crate) fn create_any(st: &mut State, mut obj: AnyObject) -> Result<AnyObject, ApiError> {
    admit_create(&st.store, &mut st.rng, &mut obj);
    if let AnyObject::StatefulSet(set) = &mut obj {
        gate_statefulset_fields(set, None, &st.ccfg.gates);
    }
    let now = st.now;
    let s = &mut st.store;
    Ok(match obj {
        AnyObject::StatefulSet(o) => {
            AnyObject::StatefulSet(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::Service(o) => AnyObject::Service(Box::new(s.create(Actor::User, *o, now)?)),
        AnyObject::Pod(o) => AnyObject::Pod(Box::new(s.create(Actor::User, *o, now)?)),
        AnyObject::PersistentVolumeClaim(o) => {
            AnyObject::PersistentVolumeClaim(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::PersistentVolume(o) => {
            AnyObject::PersistentVolume(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::StorageClass(o) => {
            AnyObject::StorageClass(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::ConfigMap(o) => {
            AnyObject::ConfigMap(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::Secret(o) => AnyObject::Secret(Box::new(s.create(Actor::User, *o, now)?)),
        AnyObject::Namespace(o) => {
            AnyObject::Namespace(Box::new(s.create(Actor::User, *o, now)?))
        }
        AnyObject::Node(o) => AnyObject::Node(Box::new(s.create(Actor::User, *o, now)?)),
        AnyObject::ControllerRevision(o) => {
            AnyObject::ControllerRevision(Box::new(s.create(Actor::User, *o, now)?))
        }
    })
}
