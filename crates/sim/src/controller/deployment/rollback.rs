//! `rollback.go`: the deprecated `rollbackTo` (the `deprecated.deployment.rollback.to`
//! annotation, from extensions/v1beta1 clients): copy the template of the ReplicaSet with that
//! revision (0: the previous one) into the Deployment. `kubectl rollout undo` patches the
//! template itself and does not come through here.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};

use super::dc::Dc;
use super::sync::get_all_replica_sets_and_sync_revision;
use super::util::*;
use crate::events::EventType;

// `getRollbackTo` lives in `util` (`get_rollback_to`): `sync` needs it too, and `sync` is
// what this file builds on.

/// `rollback`.
pub(crate) fn rollback(
    dc: &mut Dc<'_>,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
) -> Result<(), String> {
    let (new_rs, old) = get_all_replica_sets_and_sync_revision(dc, d, rs_list, true)?;
    let all: Vec<&ReplicaSet> = old.iter().chain(new_rs.as_ref()).collect();
    let mut to = get_rollback_to(d).unwrap_or(0);
    if to == 0 {
        to = last_revision(&all);
        if to == 0 {
            dc.event(
                d,
                EventType::Warning,
                ROLLBACK_REVISION_NOT_FOUND,
                "Unable to find last revision.",
            );
            return update_deployment_and_clear_rollback_to(dc, d);
        }
    }
    for rs in &all {
        if revision(rs) == Some(to) {
            let template = rs
                .spec
                .as_ref()
                .and_then(|s| k8sjson::copy(&s.template))
                .unwrap_or_default();
            let performed = if !equal_ignore_hash(&super::util::template(d), &template) {
                set_from_replica_set_template(d, &template);
                set_deployment_annotations_to(d, rs);
                true
            } else {
                let name = d.metadata.name.clone().unwrap_or_default();
                dc.event(
                    d,
                    EventType::Warning,
                    ROLLBACK_TEMPLATE_UNCHANGED,
                    &format!("The rollback revision contains the same template as current deployment \"{name}\""),
                );
                false
            };
            let r = update_deployment_and_clear_rollback_to(dc, d);
            if performed && r.is_ok() {
                let name = d.metadata.name.clone().unwrap_or_default();
                dc.event(
                    d,
                    EventType::Normal,
                    ROLLBACK_DONE,
                    &format!("Rolled back deployment \"{name}\" to revision {to}"),
                );
            }
            return r;
        }
    }
    dc.event(
        d,
        EventType::Warning,
        ROLLBACK_REVISION_NOT_FOUND,
        "Unable to find the revision to rollback to.",
    );
    update_deployment_and_clear_rollback_to(dc, d)
}

/// `updateDeploymentAndClearRollbackTo`.
fn update_deployment_and_clear_rollback_to(
    dc: &mut Dc<'_>,
    d: &mut Deployment,
) -> Result<(), String> {
    if let Some(a) = d.metadata.annotations.as_mut() {
        a.remove(DEPRECATED_ROLLBACK_TO);
    }
    dc.update(d)
}
