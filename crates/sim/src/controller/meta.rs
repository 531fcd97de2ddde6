//! Object metadata helpers every controller shares (apimachinery `pkg/apis/meta/v1`:
//! `GetControllerOf`, `LabelSelectorAsSelector`; the controllers' `hasOwnerRef`).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

/// `metav1.GetControllerOf`.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .as_ref()?
        .iter()
        .find(|r| r.controller == Some(true))
}

pub use crate::labels::selector_matches;

/// `hasOwnerRef`: any ownerReference with the owner's uid.
pub fn has_owner_ref(target: &ObjectMeta, owner_uid: &str) -> bool {
    target
        .owner_references
        .iter()
        .flatten()
        .any(|r| r.uid == owner_uid)
}
