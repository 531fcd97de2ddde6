//! `kubectl get` tables: the server-side column definitions of
//! kubernetes `pkg/printers/internalversion/printers.go` (`printPod`, `printStatefulSet`,
//! `printService`, `printPersistentVolumeClaim`, `printPersistentVolume`, `printStorageClass`,
//! `printNode`, `printEvent`, `printControllerRevision`, `printEndpoints`, ...) rendered the way
//! cli-runtime's table printer does (`-o wide`, `--show-labels`, `-L`, `-A`, `--no-headers`).
//! Pure functions of the objects and the simulation's "now".

use sim::sort::Sort as _;
use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{
    ConfigMap, Endpoints, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod,
    Secret, Service,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use sim::store::Store;
use sim::time::SimTime;

use crate::duration::age;
use crate::resources::Res;

/// A row of a table: the cells, with the wide-only cells apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub cells: Vec<String>,
    pub wide: Vec<String>,
}

/// Table options from the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableOpts {
    pub wide: bool,
    pub show_labels: bool,
    pub label_columns: Vec<String>,
    pub all_namespaces: bool,
    pub no_headers: bool,
    /// Prefix names with `type/` (several kinds printed together, `get all`).
    pub with_kind: bool,
    /// `get -w --output-watch-events`: an EVENT column (ADDED/MODIFIED/DELETED) first.
    pub watch_events: bool,
}

/// Column headers (without NAMESPACE/labels decorations).
pub fn headers(res: Res) -> (Vec<&'static str>, Vec<&'static str>) {
    match res {
        Res::Pod => (
            vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            vec!["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Res::StatefulSet => (vec!["NAME", "READY", "AGE"], vec!["CONTAINERS", "IMAGES"]),
        Res::Deployment => (
            vec!["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Res::ReplicaSet => (
            vec!["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Res::Service => (
            vec![
                "NAME",
                "TYPE",
                "CLUSTER-IP",
                "EXTERNAL-IP",
                "PORT(S)",
                "AGE",
            ],
            vec!["SELECTOR"],
        ),
        Res::Pvc => (
            vec![
                "NAME",
                "STATUS",
                "VOLUME",
                "CAPACITY",
                "ACCESS MODES",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "AGE",
            ],
            vec!["VOLUMEMODE"],
        ),
        Res::Pv => (
            vec![
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
            ],
            vec!["VOLUMEMODE"],
        ),
        Res::StorageClass => (
            vec![
                "NAME",
                "PROVISIONER",
                "RECLAIMPOLICY",
                "VOLUMEBINDINGMODE",
                "ALLOWVOLUMEEXPANSION",
                "AGE",
            ],
            vec![],
        ),
        Res::Node => (
            vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            vec![
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Res::Event => (
            vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            vec!["SUBOBJECT", "SOURCE", "FIRST SEEN", "COUNT", "NAME"],
        ),
        Res::ControllerRevision => (vec!["NAME", "CONTROLLER", "REVISION", "AGE"], vec![]),
        Res::Endpoints => (vec!["NAME", "ENDPOINTS", "AGE"], vec![]),
        Res::EndpointSlice => (
            vec!["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
            vec![],
        ),
        Res::Namespace => (vec!["NAME", "STATUS", "AGE"], vec![]),
        Res::ConfigMap => (vec!["NAME", "DATA", "AGE"], vec![]),
        Res::Secret => (vec!["NAME", "TYPE", "DATA", "AGE"], vec![]),
        Res::PodDisruptionBudget => (
            vec![
                "NAME",
                "MIN AVAILABLE",
                "MAX UNAVAILABLE",
                "ALLOWED DISRUPTIONS",
                "AGE",
            ],
            vec![],
        ),
    }
}

fn base(meta: &ObjectMeta) -> Row {
    Row {
        namespace: meta.namespace.clone().unwrap_or_default(),
        name: meta.name.clone().unwrap_or_default(),
        labels: meta.labels.clone().unwrap_or_default(),
        ..Row::default()
    }
}

fn none_if_empty(s: String) -> String {
    if s.is_empty() { "<none>".into() } else { s }
}

/// `printPod`.
pub fn pod_row(p: &Pod, now: SimTime) -> Row {
    let mut r = base(&p.metadata);
    let c = sim::podstatus::columns(p, now);
    let status = p.status.as_ref();
    r.cells = vec![
        r.name.clone(),
        c.ready,
        c.status,
        c.restarts,
        age(p.metadata.creation_timestamp.as_ref(), now),
    ];
    let ip = status
        .and_then(|s| s.pod_ips.as_ref())
        .and_then(|ips| ips.first())
        .map(|i| i.ip.clone())
        .or_else(|| status.and_then(|s| s.pod_ip.clone()))
        .unwrap_or_default();
    let node = p
        .spec
        .as_ref()
        .and_then(|s| s.node_name.clone())
        .unwrap_or_default();
    let nominated = status
        .and_then(|s| s.nominated_node_name.clone())
        .unwrap_or_default();
    let gates = p
        .spec
        .as_ref()
        .and_then(|s| s.readiness_gates.as_ref())
        .filter(|g| !g.is_empty());
    let gates = match gates {
        None => "<none>".to_string(),
        Some(g) => {
            let conds = status.and_then(|s| s.conditions.as_ref());
            let ok = g
                .iter()
                .filter(|gate| {
                    conds.is_some_and(|cs| {
                        cs.iter()
                            .any(|c| c.type_ == gate.condition_type && c.status == "True")
                    })
                })
                .count();
            format!("{ok}/{}", g.len())
        }
    };
    r.wide = vec![
        none_if_empty(ip),
        none_if_empty(node),
        none_if_empty(nominated),
        gates,
    ];
    r
}

/// `printStatefulSet`.
pub fn statefulset_row(s: &StatefulSet, now: SimTime) -> Row {
    let mut r = base(&s.metadata);
    let desired = s.spec.as_ref().and_then(|sp| sp.replicas).unwrap_or(1);
    let ready = s
        .status
        .as_ref()
        .and_then(|st| st.ready_replicas)
        .unwrap_or(0);
    r.cells = vec![
        r.name.clone(),
        format!("{ready}/{desired}"),
        age(s.metadata.creation_timestamp.as_ref(), now),
    ];
    let containers = s
        .spec
        .as_ref()
        .and_then(|sp| sp.template.spec.as_ref())
        .map(|ps| k8sjson::copy(&ps.containers))
        .unwrap_or_default();
    let names: Vec<String> = containers.iter().map(|c| c.name.clone()).collect();
    let images: Vec<String> = containers
        .iter()
        .map(|c| c.image.clone().unwrap_or_default())
        .collect();
    r.wide = vec![names.join(","), images.join(",")];
    r
}

/// `layoutContainerCells`: container names and images, comma-separated.
fn container_cells(ps: Option<&k8s_openapi::api::core::v1::PodSpec>) -> (String, String) {
    let cs = ps.map(|p| p.containers.as_slice()).unwrap_or(&[]);
    let names: Vec<&str> = cs.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = cs
        .iter()
        .map(|c| c.image.as_deref().unwrap_or(""))
        .collect();
    (names.join(","), images.join(","))
}

/// A label selector as `labels.Selector.String()` / `metav1.FormatLabelSelector` print it:
/// requirements sorted by key, `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, comma-joined
/// (`<none>` for an empty one when `none_if_empty`, else the empty string).
pub fn label_selector_string(
    sel: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
    none_if_empty: bool,
) -> String {
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in sel.match_labels.iter().flatten() {
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    for e in sel.match_expressions.iter().flatten() {
        let mut vals: Vec<String> = e.values.clone().unwrap_or_default();
        vals.stable_sort();
        let s = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, vals.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, vals.join(",")),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            _ => continue,
        };
        reqs.push((e.key.clone(), s));
    }
    if reqs.is_empty() {
        return if none_if_empty {
            "<none>".into()
        } else {
            String::new()
        };
    }
    reqs.stable_sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(",")
}

/// `printDeployment`: READY ready/desired, UP-TO-DATE, AVAILABLE; wide: containers, images,
/// selector.
pub fn deployment_row(d: &Deployment, now: SimTime) -> Row {
    let mut r = base(&d.metadata);
    let spec = k8sjson::copy(&d.spec).unwrap_or_default();
    let st = k8sjson::copy(&d.status).unwrap_or_default();
    r.cells = vec![
        r.name.clone(),
        format!(
            "{}/{}",
            st.ready_replicas.unwrap_or(0),
            spec.replicas.unwrap_or(1)
        ),
        st.updated_replicas.unwrap_or(0).to_string(),
        st.available_replicas.unwrap_or(0).to_string(),
        age(d.metadata.creation_timestamp.as_ref(), now),
    ];
    let (names, images) = container_cells(spec.template.spec.as_ref());
    r.wide = vec![names, images, label_selector_string(&spec.selector, false)];
    r
}

/// `printReplicaSet`: DESIRED, CURRENT, READY; wide: containers, images, selector.
pub fn replicaset_row(rs: &ReplicaSet, now: SimTime) -> Row {
    let mut r = base(&rs.metadata);
    let spec = k8sjson::copy(&rs.spec).unwrap_or_default();
    let st = k8sjson::copy(&rs.status).unwrap_or_default();
    r.cells = vec![
        r.name.clone(),
        spec.replicas.unwrap_or(1).to_string(),
        st.replicas.to_string(),
        st.ready_replicas.unwrap_or(0).to_string(),
        age(rs.metadata.creation_timestamp.as_ref(), now),
    ];
    let (names, images) = container_cells(spec.template.as_ref().and_then(|t| t.spec.as_ref()));
    r.wide = vec![names, images, label_selector_string(&spec.selector, true)];
    r
}

fn selector_string(sel: Option<&BTreeMap<String, String>>) -> String {
    match sel {
        None => "<none>".into(),
        Some(m) if m.is_empty() => "<none>".into(),
        Some(m) => m
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// `printService`.
pub fn service_row(s: &Service, now: SimTime) -> Row {
    let mut r = base(&s.metadata);
    let spec = s.spec.as_ref();
    let ty = spec
        .and_then(|sp| sp.type_.clone())
        .unwrap_or_else(|| "ClusterIP".into());
    let cluster_ip = spec
        .and_then(|sp| {
            sp.cluster_ips
                .as_ref()
                .and_then(|v| v.first().cloned())
                .or_else(|| sp.cluster_ip.clone())
        })
        .unwrap_or_else(|| "<none>".into());
    let external = match ty.as_str() {
        "ExternalName" => spec
            .and_then(|sp| sp.external_name.clone())
            .unwrap_or_else(|| "<none>".into()),
        "LoadBalancer" => "<pending>".into(),
        _ => {
            let ext = spec
                .and_then(|sp| sp.external_ips.clone())
                .unwrap_or_default();
            if ext.is_empty() {
                "<none>".into()
            } else {
                ext.join(",")
            }
        }
    };
    let ports: Vec<String> = spec
        .and_then(|sp| sp.ports.as_ref())
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
                    match p.node_port {
                        Some(np) => format!("{}:{np}/{proto}", p.port),
                        None => format!("{}/{proto}", p.port),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let ports = if ports.is_empty() {
        "<none>".into()
    } else {
        ports.join(",")
    };
    r.cells = vec![
        r.name.clone(),
        ty,
        cluster_ip,
        external,
        ports,
        age(s.metadata.creation_timestamp.as_ref(), now),
    ];
    r.wide = vec![selector_string(spec.and_then(|sp| sp.selector.as_ref()))];
    r
}

/// Access modes in kubectl's short form (`RWO,ROX`).
pub fn access_modes(modes: Option<&Vec<String>>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for m in modes.map(Vec::as_slice).unwrap_or(&[]) {
        let s = match m.as_str() {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            _ => continue,
        };
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out.join(",")
}

/// `printPersistentVolumeClaim`.
pub fn pvc_row(c: &PersistentVolumeClaim, now: SimTime) -> Row {
    let mut r = base(&c.metadata);
    let spec = c.spec.as_ref();
    let status = c.status.as_ref();
    let mut phase = status
        .and_then(|s| s.phase.clone())
        .unwrap_or_else(|| "Pending".into());
    if c.metadata.deletion_timestamp.is_some() {
        phase = "Terminating".into();
    }
    let volume = spec.and_then(|s| s.volume_name.clone()).unwrap_or_default();
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            status
                .and_then(|s| s.capacity.as_ref())
                .and_then(|c| c.get("storage"))
                .map(|q| q.0.clone())
                .unwrap_or_default(),
            access_modes(status.and_then(|s| s.access_modes.as_ref())),
        )
    };
    let class = spec
        .and_then(|s| s.storage_class_name.clone())
        .unwrap_or_default();
    let vac = spec
        .and_then(|s| s.volume_attributes_class_name.clone())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "<unset>".into());
    r.cells = vec![
        r.name.clone(),
        phase,
        volume,
        capacity,
        modes,
        class,
        vac,
        age(c.metadata.creation_timestamp.as_ref(), now),
    ];
    r.wide = vec![none_if_empty(
        spec.and_then(|s| s.volume_mode.clone()).unwrap_or_default(),
    )];
    r
}

/// `printPersistentVolume`.
pub fn pv_row(v: &PersistentVolume, now: SimTime) -> Row {
    let mut r = base(&v.metadata);
    let spec = v.spec.as_ref();
    let status = v.status.as_ref();
    let mut phase = status.and_then(|s| s.phase.clone()).unwrap_or_default();
    if v.metadata.deletion_timestamp.is_some() {
        phase = "Terminating".into();
    }
    let claim = spec
        .and_then(|s| s.claim_ref.as_ref())
        .map(|c| {
            format!(
                "{}/{}",
                c.namespace.clone().unwrap_or_default(),
                c.name.clone().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let cap = spec
        .and_then(|s| s.capacity.as_ref())
        .and_then(|c| c.get("storage"))
        .map(|q| q.0.clone())
        .unwrap_or_default();
    let vac = spec
        .and_then(|s| s.volume_attributes_class_name.clone())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "<unset>".into());
    r.cells = vec![
        r.name.clone(),
        cap,
        access_modes(spec.and_then(|s| s.access_modes.as_ref())),
        spec.and_then(|s| s.persistent_volume_reclaim_policy.clone())
            .unwrap_or_default(),
        phase,
        claim,
        spec.and_then(|s| s.storage_class_name.clone())
            .unwrap_or_default(),
        vac,
        status.and_then(|s| s.reason.clone()).unwrap_or_default(),
        age(v.metadata.creation_timestamp.as_ref(), now),
    ];
    r.wide = vec![none_if_empty(
        spec.and_then(|s| s.volume_mode.clone()).unwrap_or_default(),
    )];
    r
}

/// Whether a StorageClass is the default (`storageclass.kubernetes.io/is-default-class`, or the
/// beta annotation).
pub fn is_default_class(sc: &StorageClass) -> bool {
    sc.metadata.annotations.as_ref().is_some_and(|a| {
        a.get("storageclass.kubernetes.io/is-default-class")
            .map(String::as_str)
            == Some("true")
            || a.get("storageclass.beta.kubernetes.io/is-default-class")
                .map(String::as_str)
                == Some("true")
    })
}

/// `printStorageClass`.
pub fn storageclass_row(sc: &StorageClass, now: SimTime) -> Row {
    let mut r = base(&sc.metadata);
    let name = if is_default_class(sc) {
        format!("{} (default)", r.name)
    } else {
        r.name.clone()
    };
    r.cells = vec![
        name,
        sc.provisioner.clone(),
        sc.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
        sc.volume_binding_mode
            .clone()
            .unwrap_or_else(|| "Immediate".into()),
        sc.allow_volume_expansion.unwrap_or(false).to_string(),
        age(sc.metadata.creation_timestamp.as_ref(), now),
    ];
    r
}

/// `printNode`.
pub fn node_row(n: &Node, now: SimTime) -> Row {
    let mut r = base(&n.metadata);
    let status = n.status.as_ref();
    let ready = status
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
        .map(|c| {
            if c.status == "True" {
                "Ready"
            } else {
                "NotReady"
            }
        })
        .unwrap_or("Unknown");
    let mut st = ready.to_string();
    if n.spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false)
    {
        st.push_str(",SchedulingDisabled");
    }
    let mut roles: Vec<String> = r
        .labels
        .keys()
        .filter_map(|k| {
            k.strip_prefix("node-role.kubernetes.io/")
                .map(str::to_string)
        })
        .collect();
    roles.stable_sort();
    let info = status.and_then(|s| s.node_info.as_ref());
    r.cells = vec![
        r.name.clone(),
        st,
        none_if_empty(roles.join(",")),
        age(n.metadata.creation_timestamp.as_ref(), now),
        info.map(|i| i.kubelet_version.clone()).unwrap_or_default(),
    ];
    let addr = |ty: &str| {
        status
            .and_then(|s| s.addresses.as_ref())
            .and_then(|a| a.iter().find(|x| x.type_ == ty))
            .map(|x| x.address.clone())
            .unwrap_or_else(|| "<none>".into())
    };
    r.wide = vec![
        addr("InternalIP"),
        addr("ExternalIP"),
        info.map(|i| i.os_image.clone()).unwrap_or_default(),
        info.map(|i| i.kernel_version.clone()).unwrap_or_default(),
        info.map(|i| i.container_runtime_version.clone())
            .unwrap_or_default(),
    ];
    r
}

/// The `Age` column of describe's events (kubectl `pkg/describe/describe.go`
/// `DescribeEvents`, v0.35.0): the first-seen time (eventTime, else firstTimestamp), or
/// `<last> (x<count> over <first>)` for a series (its lastObservedTime and count) or a core
/// event seen more than once (lastTimestamp and count).
pub fn event_age(e: &Event, now: SimTime) -> String {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    let micro = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime| Time(m.0);
    let first = match e.event_time.as_ref() {
        Some(t) => age(Some(&micro(t)), now),
        None => age(
            e.first_timestamp
                .as_ref()
                .or(e.metadata.creation_timestamp.as_ref()),
            now,
        ),
    };
    if let Some(series) = &e.series {
        let last = series.last_observed_time.as_ref().map(micro);
        return format!(
            "{} (x{} over {first})",
            age(last.as_ref(), now),
            series.count.unwrap_or(0)
        );
    }
    let count = e.count.unwrap_or(0);
    if count > 1 {
        format!(
            "{} (x{count} over {first})",
            age(e.last_timestamp.as_ref(), now)
        )
    } else {
        first
    }
}

/// `printEvent` (kubernetes `pkg/printers/internalversion/printers.go`, v1.35): LAST SEEN is
/// lastTimestamp (else the first-seen time: firstTimestamp, else eventTime; a series' last
/// observation wins), with no count in it (`(xN over …)` is describe's Age format). Wide adds
/// SUBOBJECT (fieldPath) and SOURCE after OBJECT, then FIRST SEEN, COUNT and NAME after MESSAGE.
pub fn event_row(e: &Event, now: SimTime) -> Row {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    let mut r = base(&e.metadata);
    let first = match e.first_timestamp.as_ref() {
        Some(t) => age(Some(t), now),
        None => age(e.event_time.as_ref().map(|m| Time(m.0)).as_ref(), now),
    };
    let mut last = match e.last_timestamp.as_ref() {
        Some(t) => age(Some(t), now),
        None => first.clone(),
    };
    let mut count = e.count.unwrap_or(0);
    if let Some(series) = &e.series {
        last = age(
            series
                .last_observed_time
                .as_ref()
                .map(|m| Time(m.0))
                .as_ref(),
            now,
        );
        count = series.count.unwrap_or(0);
    } else if count == 0 {
        count = 1;
    }
    let obj = &e.involved_object;
    let kind = obj.kind.clone().unwrap_or_default().to_ascii_lowercase();
    let target = match obj.name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => format!("{kind}/{n}"),
        None => kind,
    };
    r.cells = vec![
        last,
        e.type_.clone().unwrap_or_default(),
        e.reason.clone().unwrap_or_default(),
        target,
        e.message.clone().unwrap_or_default().trim().to_string(),
    ];
    // formatEventSource: component (else reportingController), then `, instance` (host, else
    // reportingInstance) when there is one.
    let src = e.source.as_ref();
    let component = src
        .and_then(|s| s.component.clone())
        .filter(|c| !c.is_empty())
        .or_else(|| e.reporting_component.clone())
        .unwrap_or_default();
    let instance = src
        .and_then(|s| s.host.clone())
        .filter(|h| !h.is_empty())
        .or_else(|| e.reporting_instance.clone())
        .unwrap_or_default();
    let source = if instance.is_empty() {
        component
    } else {
        format!("{component}, {instance}")
    };
    r.wide = vec![
        obj.field_path.clone().unwrap_or_default(),
        source,
        first,
        count.to_string(),
        r.name.clone(),
    ];
    r
}

/// `printControllerRevision`.
pub fn controllerrevision_row(cr: &ControllerRevision, now: SimTime) -> Row {
    let mut r = base(&cr.metadata);
    let controller = cr
        .metadata
        .owner_references
        .as_ref()
        .and_then(|o| o.iter().find(|o| o.controller == Some(true)))
        .map(|o| {
            let group = o.api_version.split_once('/').map(|(g, _)| g).unwrap_or("");
            let kind = o.kind.to_ascii_lowercase();
            if group.is_empty() {
                format!("{kind}/{}", o.name)
            } else {
                format!("{kind}.{group}/{}", o.name)
            }
        })
        .unwrap_or_else(|| "<none>".into());
    r.cells = vec![
        r.name.clone(),
        controller,
        cr.revision.to_string(),
        age(cr.metadata.creation_timestamp.as_ref(), now),
    ];
    r
}

/// `printEndpoints` / `formatEndpoints`: up to 3 `ip:port` then ` + N more...`.
pub fn endpoints_row(ep: &Endpoints, now: SimTime) -> Row {
    let mut r = base(&ep.metadata);
    let mut list: Vec<String> = Vec::new();
    let mut total = 0usize;
    for ss in ep.subsets.as_deref().unwrap_or(&[]) {
        let ports = ss.ports.as_deref().unwrap_or(&[]);
        for a in ss.addresses.as_deref().unwrap_or(&[]) {
            if ports.is_empty() {
                total += 1;
                if list.len() < 3 {
                    list.push(a.ip.clone());
                }
            }
            for p in ports {
                total += 1;
                if list.len() < 3 {
                    list.push(format!("{}:{}", a.ip, p.port));
                }
            }
        }
    }
    let mut s = if list.is_empty() {
        "<none>".to_string()
    } else {
        list.join(",")
    };
    if total > list.len() && !list.is_empty() {
        s.push_str(&format!(" + {} more...", total - list.len()));
    }
    r.cells = vec![
        r.name.clone(),
        s,
        age(ep.metadata.creation_timestamp.as_ref(), now),
    ];
    r
}

/// `printEndpointSlice`.
pub fn endpointslice_row(es: &EndpointSlice, now: SimTime) -> Row {
    let mut r = base(&es.metadata);
    let ports: Vec<String> = es
        .ports
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| p.port.map(|x| x.to_string()))
        .collect();
    let addrs: Vec<String> = es
        .endpoints
        .iter()
        .flat_map(|e| e.addresses.iter().cloned())
        .collect();
    let mut a = if addrs.is_empty() {
        "<unset>".to_string()
    } else {
        addrs.iter().take(3).cloned().collect::<Vec<_>>().join(",")
    };
    if addrs.len() > 3 {
        a.push_str(&format!(" + {} more...", addrs.len() - 3));
    }
    r.cells = vec![
        r.name.clone(),
        es.address_type.clone(),
        if ports.is_empty() {
            "<unset>".into()
        } else {
            ports.join(",")
        },
        a,
        age(es.metadata.creation_timestamp.as_ref(), now),
    ];
    r
}

pub fn namespace_row(n: &Namespace, now: SimTime) -> Row {
    let mut r = base(&n.metadata);
    let phase = n
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_else(|| "Active".into());
    r.cells = vec![
        r.name.clone(),
        phase,
        age(n.metadata.creation_timestamp.as_ref(), now),
    ];
    r
}

pub fn configmap_row(c: &ConfigMap, now: SimTime) -> Row {
    let mut r = base(&c.metadata);
    let n =
        c.data.as_ref().map_or(0, BTreeMap::len) + c.binary_data.as_ref().map_or(0, BTreeMap::len);
    r.cells = vec![
        r.name.clone(),
        n.to_string(),
        age(c.metadata.creation_timestamp.as_ref(), now),
    ];
    r
}

pub fn secret_row(s: &Secret, now: SimTime) -> Row {
    let mut r = base(&s.metadata);
    let n =
        s.data.as_ref().map_or(0, BTreeMap::len) + s.string_data.as_ref().map_or(0, BTreeMap::len);
    r.cells = vec![
        r.name.clone(),
        s.type_.clone().unwrap_or_else(|| "Opaque".into()),
        n.to_string(),
        age(s.metadata.creation_timestamp.as_ref(), now),
    ];
    r
}

/// `printPodDisruptionBudget` (kubernetes `pkg/printers/internalversion/printers.go`): `N/A`
/// for the bound that is not set.
pub fn pdb_row(p: &PodDisruptionBudget, now: SimTime) -> Row {
    let mut r = base(&p.metadata);
    let spec = k8sjson::copy(&p.spec).unwrap_or_default();
    r.cells = vec![
        r.name.clone(),
        int_or_string(spec.min_available.as_ref()),
        int_or_string(spec.max_unavailable.as_ref()),
        p.status
            .as_ref()
            .map_or(0, |s| s.disruptions_allowed)
            .to_string(),
        age(p.metadata.creation_timestamp.as_ref(), now),
    ];
    r
}

/// `IntOrString.String()`, `N/A` when unset (the PDB printer's and describer's).
pub fn int_or_string(
    v: Option<&k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>,
) -> String {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match v {
        Some(IntOrString::Int(i)) => i.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => "N/A".into(),
    }
}

/// Rows of a resource type in a namespace (`None` = all), in API list order.
pub fn rows(store: &Store, res: Res, ns: Option<&str>, now: SimTime) -> Vec<Row> {
    match res {
        Res::Pod => store.list::<Pod>(ns).map(|o| pod_row(o, now)).collect(),
        Res::StatefulSet => store
            .list::<StatefulSet>(ns)
            .map(|o| statefulset_row(o, now))
            .collect(),
        Res::Service => store
            .list::<Service>(ns)
            .map(|o| service_row(o, now))
            .collect(),
        Res::Deployment => store
            .list::<Deployment>(ns)
            .map(|o| deployment_row(o, now))
            .collect(),
        Res::ReplicaSet => store
            .list::<ReplicaSet>(ns)
            .map(|o| replicaset_row(o, now))
            .collect(),
        Res::Pvc => store
            .list::<PersistentVolumeClaim>(ns)
            .map(|o| pvc_row(o, now))
            .collect(),
        Res::Pv => store
            .list::<PersistentVolume>(ns)
            .map(|o| pv_row(o, now))
            .collect(),
        Res::StorageClass => store
            .list::<StorageClass>(ns)
            .map(|o| storageclass_row(o, now))
            .collect(),
        Res::Node => store.list::<Node>(ns).map(|o| node_row(o, now)).collect(),
        Res::Event => store.list::<Event>(ns).map(|o| event_row(o, now)).collect(),
        Res::ControllerRevision => store
            .list::<ControllerRevision>(ns)
            .map(|o| controllerrevision_row(o, now))
            .collect(),
        Res::Endpoints => store
            .list::<Endpoints>(ns)
            .map(|o| endpoints_row(o, now))
            .collect(),
        Res::EndpointSlice => store
            .list::<EndpointSlice>(ns)
            .map(|o| endpointslice_row(o, now))
            .collect(),
        Res::Namespace => store
            .list::<Namespace>(ns)
            .map(|o| namespace_row(o, now))
            .collect(),
        Res::ConfigMap => store
            .list::<ConfigMap>(ns)
            .map(|o| configmap_row(o, now))
            .collect(),
        Res::Secret => store
            .list::<Secret>(ns)
            .map(|o| secret_row(o, now))
            .collect(),
        Res::PodDisruptionBudget => store
            .list::<PodDisruptionBudget>(ns)
            .map(|o| pdb_row(o, now))
            .collect(),
    }
}

/// Header cells for a table with the given options.
pub fn header_cells(res: Res, o: &TableOpts) -> Vec<String> {
    let (h, w) = headers(res);
    let mut out: Vec<String> = Vec::new();
    if o.watch_events {
        out.push("EVENT".into());
    }
    if o.all_namespaces && res.namespaced() {
        out.push("NAMESPACE".into());
    }
    out.extend(h.iter().map(|s| s.to_string()));
    if o.wide {
        out.extend(w.iter().map(|s| s.to_string()));
        let off = usize::from(o.watch_events) + usize::from(o.all_namespaces && res.namespaced());
        interleave_event_wide(res, &mut out, off);
    }
    for l in &o.label_columns {
        out.push(label_column_header(l));
    }
    if o.show_labels {
        out.push("LABELS".into());
    }
    out
}

/// Events' wide columns are not all at the end: SUBOBJECT and SOURCE come before MESSAGE
/// (printers.go `eventColumnDefinitions`). `cells` holds the 5 normal cells then the 5 wide
/// ones after `off` prefix cells (EVENT, NAMESPACE); move MESSAGE after SOURCE.
fn interleave_event_wide(res: Res, cells: &mut Vec<String>, off: usize) {
    if res != Res::Event {
        return;
    }
    let msg = off + 4;
    if cells.len() >= msg + 3 {
        let m = cells.remove(msg);
        cells.insert(msg + 2, m);
    }
}

/// `-L a/b-c` → column `B-C` (cli-runtime uses the last path segment, upper-cased).
pub fn label_column_header(key: &str) -> String {
    key.rsplit('/').next().unwrap_or(key).to_ascii_uppercase()
}

/// Cells of one row with the given options.
pub fn row_cells(res: Res, r: &Row, o: &TableOpts) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if o.all_namespaces && res.namespaced() {
        out.push(r.namespace.clone());
    }
    for (i, c) in r.cells.iter().enumerate() {
        if i == 0 && o.with_kind && res != Res::Event {
            out.push(format!("{}/{c}", res.name_prefix()));
        } else {
            out.push(c.clone());
        }
    }
    if o.wide {
        out.extend(r.wide.iter().cloned());
        let off = usize::from(o.all_namespaces && res.namespaced());
        interleave_event_wide(res, &mut out, off);
    }
    for l in &o.label_columns {
        out.push(r.labels.get(l).cloned().unwrap_or_default());
    }
    if o.show_labels {
        let s: Vec<String> = r.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push(if s.is_empty() {
            "<none>".into()
        } else {
            s.join(",")
        });
    }
    out
}

/// A whole table (header unless `no_headers`).
pub fn table(res: Res, rows: &[Row], o: &TableOpts) -> String {
    let mut all: Vec<Vec<String>> = Vec::new();
    if !o.no_headers {
        all.push(header_cells(res, o));
    }
    all.extend(rows.iter().map(|r| row_cells(res, r, o)));
    crate::table::render(&all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{
        PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, ServicePort, ServiceSpec,
    };
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use sim::time::to_k8s_time;

    fn meta(name: &str, created: SimTime) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            creation_timestamp: Some(to_k8s_time(created)),
            ..Default::default()
        }
    }

    #[test]
    fn headless_service_row_matches_kubectl() {
        let svc = Service {
            metadata: meta("nginx-headless", 0),
            spec: Some(ServiceSpec {
                cluster_ip: Some("None".into()),
                cluster_ips: Some(vec!["None".into()]),
                type_: Some("ClusterIP".into()),
                ports: Some(vec![ServicePort {
                    port: 80,
                    protocol: Some("TCP".into()),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let out = table(
            Res::Service,
            &[service_row(&svc, 50_000)],
            &TableOpts::default(),
        );
        assert_eq!(
            out,
            "NAME             TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n\
             nginx-headless   ClusterIP   None         <none>        80/TCP    50s\n"
        );
    }

    #[test]
    fn pending_and_terminating_pvc_rows() {
        let mut pvc = PersistentVolumeClaim {
            metadata: meta("data-nginx-with-init-container-0", 0),
            spec: Some(PersistentVolumeClaimSpec {
                storage_class_name: Some("standard".into()),
                access_modes: Some(vec!["ReadWriteOnce".into()]),
                ..Default::default()
            }),
            status: Some(PersistentVolumeClaimStatus {
                phase: Some("Pending".into()),
                ..Default::default()
            }),
        };
        let r = pvc_row(&pvc, 1000);
        assert_eq!(
            r.cells,
            [
                "data-nginx-with-init-container-0",
                "Pending",
                "",
                "",
                "",
                "standard",
                "<unset>",
                "1s"
            ]
        );
        pvc.spec.as_mut().unwrap().volume_name = Some("pvc-1".into());
        pvc.status = Some(PersistentVolumeClaimStatus {
            phase: Some("Bound".into()),
            access_modes: Some(vec!["ReadWriteOnce".into()]),
            capacity: Some([("storage".to_string(), Quantity("100Mi".into()))].into()),
            ..Default::default()
        });
        pvc.metadata.deletion_timestamp = Some(to_k8s_time(5000));
        let out = table(Res::Pvc, &[pvc_row(&pvc, 360_000)], &TableOpts::default());
        assert_eq!(
            out,
            "NAME                               STATUS        VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n\
             data-nginx-with-init-container-0   Terminating   pvc-1    100Mi      RWO            standard       <unset>                 6m\n"
        );
    }

    #[test]
    fn storageclass_default_marker_and_statefulset_wide() {
        use k8s_openapi::api::apps::v1::{StatefulSetSpec, StatefulSetStatus};
        use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};
        let mut m = meta("standard", 0);
        m.namespace = None;
        m.annotations = Some(
            [(
                "storageclass.kubernetes.io/is-default-class".to_string(),
                "true".to_string(),
            )]
            .into(),
        );
        let sc = StorageClass {
            metadata: m,
            provisioner: "rancher.io/local-path".into(),
            reclaim_policy: Some("Delete".into()),
            volume_binding_mode: Some("WaitForFirstConsumer".into()),
            ..Default::default()
        };
        assert_eq!(
            table(
                Res::StorageClass,
                &[storageclass_row(&sc, 720_000)],
                &TableOpts::default()
            ),
            "NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n\
             standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  12m\n"
        );
        let c = |n: &str, i: &str| Container {
            name: n.into(),
            image: Some(i.into()),
            ..Default::default()
        };
        let sts = StatefulSet {
            metadata: meta("nginx-with-init-container", 0),
            spec: Some(StatefulSetSpec {
                replicas: Some(3),
                template: PodTemplateSpec {
                    spec: Some(PodSpec {
                        init_containers: Some(vec![c("populate-default-html", "nginx:1.26.0")]),
                        containers: vec![c("nginx", "nginx:1.26.0")],
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                ..Default::default()
            }),
            status: Some(StatefulSetStatus {
                ready_replicas: Some(3),
                replicas: 3,
                ..Default::default()
            }),
        };
        let o = TableOpts {
            wide: true,
            ..TableOpts::default()
        };
        assert_eq!(
            table(Res::StatefulSet, &[statefulset_row(&sts, 180_000)], &o),
            "NAME                        READY   AGE   CONTAINERS   IMAGES\n\
             nginx-with-init-container   3/3     3m    nginx        nginx:1.26.0\n"
        );
    }

    #[test]
    fn endpoints_list_three_then_more() {
        use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort, EndpointSubset};
        let addr = |ip: &str| EndpointAddress {
            ip: ip.into(),
            ..Default::default()
        };
        let ep = Endpoints {
            metadata: meta("nginx-headless", 0),
            subsets: Some(vec![EndpointSubset {
                addresses: Some(vec![
                    addr("10.244.0.5"),
                    addr("10.244.0.6"),
                    addr("10.244.0.7"),
                    addr("10.244.0.8"),
                ]),
                ports: Some(vec![EndpointPort {
                    port: 80,
                    ..Default::default()
                }]),
                ..Default::default()
            }]),
        };
        assert_eq!(
            endpoints_row(&ep, 0).cells[1],
            "10.244.0.5:80,10.244.0.6:80,10.244.0.7:80 + 1 more..."
        );
    }

    #[test]
    fn label_columns_and_show_labels() {
        let mut m = meta("p", 0);
        m.labels = Some(
            [
                ("controller-revision-hash".to_string(), "x-1".to_string()),
                ("app".into(), "nginx".into()),
            ]
            .into(),
        );
        let r = Row {
            name: "p".into(),
            labels: m.labels.clone().unwrap(),
            cells: vec!["p".into()],
            ..Row::default()
        };
        let o = TableOpts {
            label_columns: vec!["controller-revision-hash".into()],
            show_labels: true,
            ..TableOpts::default()
        };
        assert_eq!(
            header_cells(Res::Namespace, &o),
            [
                "NAME",
                "STATUS",
                "AGE",
                "CONTROLLER-REVISION-HASH",
                "LABELS"
            ]
        );
        assert_eq!(
            row_cells(Res::Namespace, &r, &o),
            ["p", "x-1", "app=nginx,controller-revision-hash=x-1"]
        );
        assert_eq!(label_column_header("app.kubernetes.io/name"), "NAME");
    }
}
