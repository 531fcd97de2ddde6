//! Create: admission, then the store's create (`pkg/registry/*/strategy.go` `PrepareForCreate`
//! and the registry's defaults live in `crate::store`).

use super::admission::{admit_create, gate_statefulset_fields};
use crate::object::{AnyObject, each_object};
use crate::state::State;
use crate::store::{Actor, ApiError};

pub(crate) fn create_any(st: &mut State, mut obj: AnyObject) -> Result<AnyObject, ApiError> {
    // NamespaceLifecycle admission (kubernetes plugin/pkg/admission/namespace/lifecycle/
    // admission.go): nothing is created in a namespace that does not exist.
    if obj.namespaced() {
        let ns = obj.metadata().namespace.as_deref().unwrap_or("default");
        if st
            .store
            .get::<k8s_openapi::api::core::v1::Namespace>("", ns)
            .is_none()
        {
            return Err(ApiError::NotFound {
                resource: "namespaces",
                name: ns.to_string(),
            });
        }
    }
    admit_create(&st.store, &mut st.rng, &mut obj);
    if let AnyObject::StatefulSet(set) = &mut obj {
        gate_statefulset_fields(set, None, &st.ccfg.gates);
    }
    let now = st.now;
    let s = &mut st.store;
    Ok(each_object!(obj, o => AnyObject::from(s.create(Actor::User, *o, now)?)))
}
