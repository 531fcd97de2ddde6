//! Object metadata helpers every controller shares (apimachinery `pkg/apis/meta/v1`:
//! `GetControllerOf`, `LabelSelectorAsSelector`; the controllers' `hasOwnerRef`).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};

/// `metav1.GetControllerOf`.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .as_ref()?
        .iter()
        .find(|r| r.controller == Some(true))
}

/// Label selector matching (`metav1.LabelSelectorAsSelector`): a nil selector matches nothing,
/// an empty one everything.
pub fn selector_matches(
    sel: Option<&LabelSelector>,
    labels: Option<&BTreeMap<String, String>>,
) -> bool {
    let Some(sel) = sel else { return false };
    let empty = BTreeMap::new();
    let labels = labels.unwrap_or(&empty);
    for (k, v) in sel.match_labels.iter().flatten() {
        if labels.get(k) != Some(v) {
            return false;
        }
    }
    for e in sel.match_expressions.iter().flatten() {
        let vals = e.values.as_deref().unwrap_or(&[]);
        let have = labels.get(&e.key);
        let ok = match e.operator.as_str() {
            "In" => have.is_some_and(|h| vals.contains(h)),
            "NotIn" => have.is_none_or(|h| !vals.contains(h)),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// `hasOwnerRef`: any ownerReference with the owner's uid.
pub fn has_owner_ref(target: &ObjectMeta, owner_uid: &str) -> bool {
    target
        .owner_references
        .iter()
        .flatten()
        .any(|r| r.uid == owner_uid)
}
