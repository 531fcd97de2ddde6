//! Create: admission, then the store's create (`pkg/registry/*/strategy.go` `PrepareForCreate`
//! and the registry's defaults live in `crate::store`).

use super::admission::{admit_create, gate_statefulset_fields};
use crate::object::{AnyObject, each_object};
use crate::state::State;
use crate::store::{Actor, ApiError};

pub(crate) fn create_any(st: &mut State, mut obj: AnyObject) -> Result<AnyObject, ApiError> {
    admit_create(&st.store, &mut st.rng, &mut obj);
    if let AnyObject::StatefulSet(set) = &mut obj {
        gate_statefulset_fields(set, None, &st.ccfg.gates);
    }
    let now = st.now;
    let s = &mut st.store;
    Ok(each_object!(obj, o => AnyObject::from(s.create(Actor::User, *o, now)?)))
}
