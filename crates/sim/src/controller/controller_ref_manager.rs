//! `pkg/controller/controller_ref_manager.go`: a controller claims the objects it should own
//! (`ClaimPods`, `ClaimReplicaSets`, via `ClaimObject`): its own that still match its selector
//! are kept, its own that no longer match are released (their controller reference removed by
//! a patch), matching orphans are adopted (a controller reference added by a patch), after
//! a fresh check that the owner is not being deleted (`RecheckDeletionTimestamp`).

use std::sync::Arc;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::controller_utils::new_controller_ref;
use super::meta::{controller_of, selector_matches};
use crate::store::{Actor, ApiError, Object, Store};

/// The controller claiming: its identity and selector.
pub struct Owner<'a> {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub meta: &'a ObjectMeta,
    pub selector: Option<&'a LabelSelector>,
    pub actor: Actor,
}

impl Owner<'_> {
    fn uid(&self) -> &str {
        self.meta.uid.as_deref().unwrap_or("")
    }
    fn deleting(&self) -> bool {
        self.meta.deletion_timestamp.is_some()
    }
    fn ns(&self) -> &str {
        self.meta.namespace.as_deref().unwrap_or("default")
    }
    fn name(&self) -> &str {
        self.meta.name.as_deref().unwrap_or("")
    }
}

/// What a claim did.
pub struct Claimed<T> {
    pub objects: Vec<Arc<T>>,
    pub errors: Vec<String>,
    pub wrote: bool,
}

/// `RecheckDeletionTimestamp` on a fresh read of the owner.
fn can_adopt<O: Object>(store: &Store, owner: &Owner<'_>) -> Result<(), String> {
    match store.get::<O>(owner.ns(), owner.name()) {
        None => Err(format!(
            "original {} {}/{} is gone",
            owner.kind,
            owner.ns(),
            owner.name()
        )),
        Some(f) if f.metadata().uid.as_deref() != Some(owner.uid()) => Err(format!(
            "original {} {}/{} is gone: got uid {}, wanted {}",
            owner.kind,
            owner.ns(),
            owner.name(),
            f.metadata().uid.as_deref().unwrap_or(""),
            owner.uid()
        )),
        Some(f) if f.metadata().deletion_timestamp.is_some() => Err(format!(
            "{}/{} has just been deleted at {}",
            owner.ns(),
            owner.name(),
            f.metadata()
                .deletion_timestamp
                .as_ref()
                .map(|t| t.0.to_string())
                .unwrap_or_default()
        )),
        Some(_) => Ok(()),
    }
}

/// `ClaimObject` over `candidates` (objects of the owner's namespace): `O` is the owner's
/// type (for the adoption recheck), `T` the claimed objects'.
pub fn claim<O: Object, T: Object>(
    store: &mut Store,
    owner: &Owner<'_>,
    candidates: Vec<Arc<T>>,
) -> Claimed<T> {
    let mut out = Claimed {
        objects: Vec::new(),
        errors: Vec::new(),
        wrote: false,
    };
    let mut adopt_check: Option<Result<(), String>> = None;
    for obj in candidates {
        let m = obj.metadata();
        let matches = selector_matches(owner.selector, m.labels.as_ref());
        let obj_uid = m.uid.clone().unwrap_or_default();
        let name = m.name.clone().unwrap_or_default();
        match controller_of(m) {
            Some(r) if r.uid != owner.uid() => {}
            Some(_) => {
                if matches {
                    out.objects.push(obj);
                    continue;
                }
                if owner.deleting() {
                    continue;
                }
                let mut o = k8sjson::copy::<T>(&obj);
                if let Some(refs) = o.metadata_mut().owner_references.as_mut() {
                    refs.retain(|r| r.uid != owner.uid());
                }
                let body = format!(
                    r#"{{"metadata":{{"ownerReferences":[{{"$patch":"delete","uid":"{}"}}],"uid":"{}"}}}}"#,
                    owner.uid(),
                    obj_uid
                );
                match store.patch_with_body(owner.actor, o, body) {
                    Ok(_) => out.wrote = true,
                    Err(ApiError::NotFound { .. }) => {}
                    Err(e) => out.errors.push(e.to_string()),
                }
            }
            None => {
                if owner.deleting() || !matches || m.deletion_timestamp.is_some() {
                    continue;
                }
                let check = adopt_check
                    .get_or_insert_with(|| can_adopt::<O>(store, owner))
                    .clone();
                if let Err(e) = check {
                    out.errors.push(format!(
                        "can't adopt {} {}/{} ({}): {e}",
                        T::KIND,
                        owner.ns(),
                        name,
                        obj_uid
                    ));
                    continue;
                }
                let mut o = k8sjson::copy::<T>(&obj);
                o.metadata_mut()
                    .owner_references
                    .get_or_insert_with(Vec::new)
                    .push(new_controller_ref(
                        owner.api_version,
                        owner.kind,
                        owner.meta,
                    ));
                let body = format!(
                    r#"{{"metadata":{{"ownerReferences":[{{"apiVersion":"{}","kind":"{}","name":"{}","uid":"{}","controller":true,"blockOwnerDeletion":true}}],"uid":"{}"}}}}"#,
                    owner.api_version,
                    owner.kind,
                    owner.name(),
                    owner.uid(),
                    obj_uid
                );
                match store.patch_with_body(owner.actor, o, body) {
                    Ok(o) => {
                        out.wrote = true;
                        out.objects.push(Arc::new(o));
                    }
                    Err(ApiError::NotFound { .. }) => {}
                    Err(e) => out.errors.push(e.to_string()),
                }
            }
        }
    }
    out
}
