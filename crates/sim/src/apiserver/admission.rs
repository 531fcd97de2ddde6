//! Admission on a user's create and update: the apiserver's admission plugins and registry
//! strategies that fill or drop fields beyond the store's own defaults.

use std::collections::BTreeSet;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::clock::Rng;
use crate::config::FeatureGates;
use crate::object::AnyObject;
use crate::store::Store;
use crate::volumes;

/// The apiserver's admission and registry defaults for a user create, beyond what the store
/// itself does: the DefaultStorageClass admission plugin fills an empty `storageClassName`
/// (plugin/pkg/admission/storage/storageclass/setdefault), pv-protection's finalizer on PVs.
pub(super) fn admit_create(store: &Store, rng: &mut Rng, obj: &mut AnyObject) {
    match obj {
        AnyObject::PersistentVolumeClaim(pvc) => {
            let spec = pvc.spec.get_or_insert_with(Default::default);
            if spec.storage_class_name.is_none()
                && let Some(def) = volumes::default_class(store)
            {
                spec.storage_class_name = Some(def);
            }
        }
        AnyObject::Service(svc) => {
            // The service registry allocates a ClusterIP from the service CIDR (kind:
            // 10.96.0.0/16 in practice) unless the Service is headless or ExternalName.
            let spec = svc.spec.get_or_insert_with(Default::default);
            let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
            if ty != "ExternalName" && spec.cluster_ip.as_deref().is_none_or(str::is_empty) {
                let taken: BTreeSet<String> = crate::sort::to_set(
                    store
                        .services
                        .values()
                        .filter_map(|s| s.spec.as_ref().and_then(|x| x.cluster_ip.clone())),
                );
                let mut ip = String::new();
                for _ in 0..64 {
                    let cand = format!("10.96.{}.{}", rng.range(0, 255), rng.range(1, 254));
                    if !taken.contains(&cand) {
                        ip = cand;
                        break;
                    }
                }
                if !ip.is_empty() {
                    spec.cluster_ip = Some(ip.clone());
                    spec.cluster_ips = Some(vec![ip]);
                }
            }
        }
        AnyObject::PersistentVolume(pv) => {
            let f = pv.metadata.finalizers.get_or_insert_with(Vec::new);
            if !f.iter().any(|x| x == "kubernetes.io/pv-protection") {
                f.push("kubernetes.io/pv-protection".into());
            }
        }
        _ => {}
    }
}

/// What the apiserver does with `rollingUpdate.maxUnavailable` depending on
/// `MaxUnavailableStatefulSet`: with the gate on, apps/v1 `SetDefaults_StatefulSet` fills in 1
/// when a RollingUpdate strategy has a `rollingUpdate` block without it; with the gate off,
/// `dropStatefulSetDisabledFields` (`pkg/registry/apps/statefulset/strategy.go`) clears the
/// field unless the stored object already uses it (`maxUnavailableInUse`).
pub(super) fn gate_statefulset_fields(
    set: &mut StatefulSet,
    old: Option<&StatefulSet>,
    gates: &FeatureGates,
) {
    let ru = |s: &StatefulSet| {
        s.spec
            .as_ref()
            .and_then(|sp| sp.update_strategy.as_ref())
            .and_then(|u| u.rolling_update.as_ref())
            .and_then(|r| r.max_unavailable.clone())
    };
    let in_use = old.is_some_and(|o| ru(o).is_some());
    let Some(us) = set.spec.as_mut().and_then(|sp| sp.update_strategy.as_mut()) else {
        return;
    };
    let rolling = us.type_.as_deref() == Some("RollingUpdate");
    let Some(r) = us.rolling_update.as_mut() else {
        return;
    };
    if gates.max_unavailable_statefulset {
        if rolling && r.max_unavailable.is_none() {
            r.max_unavailable = Some(IntOrString::Int(1));
        }
    } else if !in_use {
        r.max_unavailable = None;
    }
}
