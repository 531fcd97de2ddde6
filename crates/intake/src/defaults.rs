//! Defaults as the v1.35 apiserver applies them on create, so `-o yaml` shows them.
//! Sources: kubernetes `pkg/apis/apps/v1/defaults.go` (`SetDefaults_StatefulSet`, with
//! MaxUnavailableStatefulSet beta/on at 1.35 and StatefulSetAutoDeletePVC GA),
//! `pkg/apis/core/v1/defaults.go` (`SetDefaults_PodSpec`, `SetDefaults_Container`,
//! `SetDefaults_ContainerPort` via the Pod/Service port types, `SetDefaults_Service`,
//! `SetDefaults_PersistentVolumeClaim(Spec)`, `SetDefaults_PersistentVolume`, `SetDefaults_Secret`,
//! `SetDefaults_Namespace`, probes, `SetDefaults_ObjectFieldSelector`, volume sources),
//! `pkg/apis/storage/v1/defaults.go` (`SetDefaults_StorageClass`).

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentStrategy, ReplicaSet, RollingUpdateDeployment,
    RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetPersistentVolumeClaimRetentionPolicy,
    StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    Container, Namespace, NamespaceSpec, NamespaceStatus, PersistentVolume, PersistentVolumeClaim,
    PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, PersistentVolumeStatus,
    PodSecurityContext, PodSpec, Probe, ResourceRequirements, Secret, Service, ServiceSpec, Volume,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use sim::object::AnyObject;

pub fn apply(obj: &mut AnyObject) {
    match obj {
        AnyObject::StatefulSet(s) => statefulset(s),
        AnyObject::Deployment(d) => deployment(d),
        AnyObject::ReplicaSet(r) => replicaset(r),
        AnyObject::Service(s) => service(s),
        AnyObject::PersistentVolumeClaim(p) => pvc(p),
        AnyObject::PersistentVolume(p) => pv(p),
        AnyObject::StorageClass(s) => storage_class(s),
        AnyObject::Secret(s) => secret(s),
        AnyObject::Namespace(n) => namespace(n),
        _ => {}
    }
}

fn statefulset(s: &mut StatefulSet) {
    let spec = s.spec.get_or_insert_with(Default::default);
    if spec.pod_management_policy.is_none() {
        spec.pod_management_policy = Some("OrderedReady".into());
    }
    let us = spec
        .update_strategy
        .get_or_insert_with(StatefulSetUpdateStrategy::default);
    if us.type_.as_deref().unwrap_or("").is_empty() {
        us.type_ = Some("RollingUpdate".into());
        if us.rolling_update.is_none() {
            us.rolling_update = Some(RollingUpdateStatefulSetStrategy::default());
        }
    }
    // `maxUnavailable: 1` is defaulted only while MaxUnavailableStatefulSet is on (off by
    // default from v1.35.4); the gate lives in the cluster, so `sim` applies that default.
    if us.type_.as_deref() == Some("RollingUpdate")
        && let Some(ru) = us.rolling_update.as_mut()
        && ru.partition.is_none()
    {
        ru.partition = Some(0);
    }
    let rp = spec
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(StatefulSetPersistentVolumeClaimRetentionPolicy::default);
    if rp.when_deleted.as_deref().unwrap_or("").is_empty() {
        rp.when_deleted = Some("Retain".into());
    }
    if rp.when_scaled.as_deref().unwrap_or("").is_empty() {
        rp.when_scaled = Some("Retain".into());
    }
    if spec.replicas.is_none() {
        spec.replicas = Some(1);
    }
    if spec.revision_history_limit.is_none() {
        spec.revision_history_limit = Some(10);
    }
    if let Some(ps) = spec.template.spec.as_mut() {
        pod_spec(ps);
    }
    for vct in spec.volume_claim_templates.iter_mut().flatten() {
        pvc(vct);
    }
    s.status = None;
}

/// `SetDefaults_Deployment` (apps/v1): one replica, RollingUpdate with maxUnavailable and
/// maxSurge 25%, revisionHistoryLimit 10, progressDeadlineSeconds 600; the template's pod
/// defaults. The apiserver drops the status a client sends.
fn deployment(d: &mut Deployment) {
    let spec = d.spec.get_or_insert_with(Default::default);
    if spec.replicas.is_none() {
        spec.replicas = Some(1);
    }
    let strategy = spec
        .strategy
        .get_or_insert_with(DeploymentStrategy::default);
    if strategy.type_.as_deref().unwrap_or("").is_empty() {
        strategy.type_ = Some("RollingUpdate".into());
    }
    if strategy.type_.as_deref() == Some("RollingUpdate") {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        if ru.max_unavailable.is_none() {
            ru.max_unavailable = Some(IntOrString::String("25%".into()));
        }
        if ru.max_surge.is_none() {
            ru.max_surge = Some(IntOrString::String("25%".into()));
        }
    }
    if spec.revision_history_limit.is_none() {
        spec.revision_history_limit = Some(10);
    }
    if spec.progress_deadline_seconds.is_none() {
        spec.progress_deadline_seconds = Some(600);
    }
    // The Go template and its pod spec are values: defaulted even when the manifest has none.
    pod_spec(spec.template.spec.get_or_insert_with(Default::default));
    d.status = None;
}

/// `SetDefaults_ReplicaSet` (apps/v1): one replica; the template's pod defaults.
fn replicaset(r: &mut ReplicaSet) {
    let spec = r.spec.get_or_insert_with(Default::default);
    if spec.replicas.is_none() {
        spec.replicas = Some(1);
    }
    let t = spec.template.get_or_insert_with(Default::default);
    pod_spec(t.spec.get_or_insert_with(Default::default));
    r.status = None;
}

pub fn pod_spec(ps: &mut PodSpec) {
    if ps.dns_policy.is_none() {
        ps.dns_policy = Some("ClusterFirst".into());
    }
    if ps.restart_policy.is_none() {
        ps.restart_policy = Some("Always".into());
    }
    if ps.termination_grace_period_seconds.is_none() {
        ps.termination_grace_period_seconds = Some(30);
    }
    if ps.security_context.is_none() {
        ps.security_context = Some(PodSecurityContext::default());
    }
    if ps.scheduler_name.is_none() {
        ps.scheduler_name = Some("default-scheduler".into());
    }
    for c in ps.containers.iter_mut() {
        container(c);
    }
    for c in ps.init_containers.iter_mut().flatten() {
        container(c);
    }
    for v in ps.volumes.iter_mut().flatten() {
        volume(v);
    }
}

fn volume(v: &mut Volume) {
    // SetDefaults_Volume: no source at all → emptyDir {}
    let mut probe = serde_json::to_value(&*v).unwrap_or(serde_json::Value::Null);
    if let Some(m) = probe.as_object_mut() {
        m.remove("name");
        if m.is_empty() {
            v.empty_dir = Some(Default::default());
        }
    }
    if let Some(cm) = v.config_map.as_mut() {
        cm.default_mode.get_or_insert(420);
    }
    if let Some(s) = v.secret.as_mut() {
        s.default_mode.get_or_insert(420);
    }
    if let Some(p) = v.projected.as_mut() {
        p.default_mode.get_or_insert(420);
    }
    if let Some(d) = v.downward_api.as_mut() {
        d.default_mode.get_or_insert(420);
    }
    if let Some(h) = v.host_path.as_mut() {
        h.type_.get_or_insert_with(String::new);
    }
}

/// `imagePullPolicy`: Always for `:latest` or an image without tag (and no digest), else IfNotPresent.
pub fn default_pull_policy(image: &str) -> &'static str {
    // an unparsable reference yields no tag upstream (parsers.ParseImageName error ignored)
    if image.is_empty() || image.contains('@') || image.bytes().any(|b| b.is_ascii_whitespace()) {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        None => "Always",
        Some((_, "latest")) => "Always",
        Some(_) => "IfNotPresent",
    }
}

fn container(c: &mut Container) {
    if c.termination_message_path.is_none() {
        c.termination_message_path = Some("/dev/termination-log".into());
    }
    if c.termination_message_policy.is_none() {
        c.termination_message_policy = Some("File".into());
    }
    if c.image_pull_policy.is_none() {
        let img = c.image.clone().unwrap_or_default();
        c.image_pull_policy = Some(default_pull_policy(&img).into());
    }
    if c.resources.is_none() {
        c.resources = Some(ResourceRequirements::default());
    }
    for p in c.ports.iter_mut().flatten() {
        if p.protocol.is_none() {
            p.protocol = Some("TCP".into());
        }
    }
    for e in c.env.iter_mut().flatten() {
        if let Some(fr) = e.value_from.as_mut().and_then(|vf| vf.field_ref.as_mut())
            && fr.api_version.is_none()
        {
            fr.api_version = Some("v1".into());
        }
    }
    for p in [
        &mut c.liveness_probe,
        &mut c.readiness_probe,
        &mut c.startup_probe,
    ]
    .into_iter()
    .flatten()
    {
        probe(p);
    }
}

fn probe(p: &mut Probe) {
    p.timeout_seconds.get_or_insert(1);
    p.period_seconds.get_or_insert(10);
    p.success_threshold.get_or_insert(1);
    p.failure_threshold.get_or_insert(3);
    if let Some(h) = p.http_get.as_mut() {
        h.scheme.get_or_insert_with(|| "HTTP".into());
        h.path.get_or_insert_with(|| "/".into());
    }
}

fn service(s: &mut Service) {
    let spec = s.spec.get_or_insert_with(ServiceSpec::default);
    if spec.type_.is_none() {
        spec.type_ = Some("ClusterIP".into());
    }
    if spec.session_affinity.is_none() {
        spec.session_affinity = Some("None".into());
    }
    if spec.session_affinity.as_deref() == Some("None") {
        spec.session_affinity_config = None;
    }
    if spec.session_affinity.as_deref() == Some("ClientIP")
        && spec
            .session_affinity_config
            .as_ref()
            .and_then(|c| c.client_ip.as_ref())
            .and_then(|c| c.timeout_seconds)
            .is_none()
    {
        spec.session_affinity_config = Some(k8s_openapi::api::core::v1::SessionAffinityConfig {
            client_ip: Some(k8s_openapi::api::core::v1::ClientIPConfig {
                timeout_seconds: Some(10800),
            }),
        });
    }
    if spec.type_.as_deref() == Some("LoadBalancer")
        && spec.allocate_load_balancer_node_ports.is_none()
    {
        spec.allocate_load_balancer_node_ports = Some(true);
    }
    for p in spec.ports.iter_mut().flatten() {
        if p.protocol.is_none() {
            p.protocol = Some("TCP".into());
        }
        if p.target_port.is_none()
            || p.target_port == Some(IntOrString::Int(0))
            || p.target_port == Some(IntOrString::String(String::new()))
        {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
    let t = spec.type_.clone().unwrap_or_default();
    if t == "ClusterIP" || t == "NodePort" || t == "LoadBalancer" {
        if spec.internal_traffic_policy.is_none() {
            spec.internal_traffic_policy = Some("Cluster".into());
        }
        // kind is single-stack IPv4: the registry fills these on create (pkg/registry/core/service/storage)
        if spec.ip_family_policy.is_none() {
            spec.ip_family_policy = Some("SingleStack".into());
        }
        if spec.ip_families.is_none() {
            spec.ip_families = Some(vec!["IPv4".into()]);
        }
        if spec.cluster_ip.as_deref() == Some("None") && spec.cluster_ips.is_none() {
            spec.cluster_ips = Some(vec!["None".into()]);
        }
    }
    if (t == "NodePort" || t == "LoadBalancer") && spec.external_traffic_policy.is_none() {
        spec.external_traffic_policy = Some("Cluster".into());
    }
    s.status
        .get_or_insert_with(|| k8s_openapi::api::core::v1::ServiceStatus {
            load_balancer: Some(Default::default()),
            ..Default::default()
        });
}

fn pvc_spec(spec: &mut PersistentVolumeClaimSpec) {
    if spec.volume_mode.is_none() {
        spec.volume_mode = Some("Filesystem".into());
    }
}

fn pvc(p: &mut PersistentVolumeClaim) {
    if let Some(spec) = p.spec.as_mut() {
        pvc_spec(spec);
    }
    p.status = Some(PersistentVolumeClaimStatus {
        phase: Some("Pending".into()),
        ..Default::default()
    });
}

fn pv(p: &mut PersistentVolume) {
    if let Some(spec) = p.spec.as_mut() {
        if spec.persistent_volume_reclaim_policy.is_none() {
            spec.persistent_volume_reclaim_policy = Some("Retain".into());
        }
        if spec.volume_mode.is_none() {
            spec.volume_mode = Some("Filesystem".into());
        }
    }
    p.status = Some(PersistentVolumeStatus {
        phase: Some("Pending".into()),
        ..Default::default()
    });
}

fn storage_class(s: &mut StorageClass) {
    if s.reclaim_policy.is_none() {
        s.reclaim_policy = Some("Delete".into());
    }
    if s.volume_binding_mode.is_none() {
        s.volume_binding_mode = Some("Immediate".into());
    }
}

fn secret(s: &mut Secret) {
    if s.type_.is_none() {
        s.type_ = Some("Opaque".into());
    }
}

fn namespace(n: &mut Namespace) {
    let name = n.metadata.name.clone().unwrap_or_default();
    n.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert("kubernetes.io/metadata.name".into(), name);
    let spec = n.spec.get_or_insert_with(NamespaceSpec::default);
    if spec.finalizers.is_none() {
        spec.finalizers = Some(vec!["kubernetes".into()]);
    }
    n.status = Some(NamespaceStatus {
        phase: Some("Active".into()),
        ..Default::default()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policy_rules() {
        assert_eq!(default_pull_policy("nginx"), "Always");
        assert_eq!(default_pull_policy("nginx:latest"), "Always");
        assert_eq!(default_pull_policy("nginx:1.26.0"), "IfNotPresent");
        assert_eq!(default_pull_policy("localhost:5000/nginx"), "Always");
        assert_eq!(default_pull_policy("nginx@sha256:abc"), "IfNotPresent");
        assert_eq!(default_pull_policy(""), "IfNotPresent");
    }
}
