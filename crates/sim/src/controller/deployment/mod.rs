//! The Deployment controller, a port of upstream `pkg/controller/deployment` named after its
//! files: `deployment_controller` (`deployment_controller.go`: the sync and what it dispatches
//! to), `sync` (`sync.go`: new/old ReplicaSets, revisions, scaling, status), `rolling`,
//! `recreate`, `rollback`, `progress` and `util` (`util/deployment_util.go`).

mod dc;
mod deployment_controller;
mod progress;
mod recreate;
mod rollback;
mod rolling;
mod sync;
pub mod util;

use crate::config::ControllerConfig;
use crate::store::Store;
use crate::time::SimTime;

use super::IdleReport;

/// Sync every Deployment until none writes (bounded).
pub fn run_until_idle(store: &mut Store, now: SimTime, cfg: &ControllerConfig) -> IdleReport {
    let mut report = IdleReport::default();
    for _ in 0..8 {
        let mut wrote = false;
        report.errors.clear();
        report.failed.clear();
        report.requeue_after = None;
        for k in deployment_controller::all_keys(store) {
            report.syncs += 1;
            let r = deployment_controller::sync_deployment(store, &k.0, &k.1, now, cfg);
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
