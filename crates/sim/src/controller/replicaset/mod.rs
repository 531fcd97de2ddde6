//! The ReplicaSet controller, a port of upstream `pkg/controller/replicaset` named after its
//! files: `replica_set` (`replica_set.go`: claim pods, create and delete them, the sync) and
//! `replica_set_utils` (`replica_set_utils.go`: status and conditions).

mod replica_set;
mod replica_set_utils;

use crate::config::ControllerConfig;
use crate::store::Store;
use crate::time::SimTime;

use super::IdleReport;

/// Sync every ReplicaSet until none writes (bounded): the informer resync the playground does
/// after each command and event.
pub fn run_until_idle(store: &mut Store, now: SimTime, cfg: &ControllerConfig) -> IdleReport {
    let mut report = IdleReport::default();
    for _ in 0..8 {
        let mut wrote = false;
        report.errors.clear();
        report.failed.clear();
        report.requeue_after = None;
        for k in replica_set::all_keys(store) {
            report.syncs += 1;
            let r = replica_set::sync(store, &k.0, &k.1, now, cfg);
            wrote |= r.wrote;
            if let Some(e) = r.error {
                if !report.errors.contains(&e) {
                    report.errors.push(e);
                }
                report.failed.push(k.clone());
            }
            if let Some(d) = r.requeue_after {
                report.requeue_after = Some(report.requeue_after.map_or(d, |x| x.min(d)));
            }
        }
        report.wrote |= wrote;
        if !wrote {
            break;
        }
    }
    report
}
