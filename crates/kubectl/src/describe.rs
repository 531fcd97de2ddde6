//! `kubectl describe` layouts (kubectl `pkg/describe/describe.go`: `describePod`,
//! `describeStatefulSet`, `describePersistentVolumeClaim`, `describePersistentVolume`,
//! `describeService`, `describeNode`, `describeStorageClass`, `DescribeEvents`). Each section is
//! written through one tabwriter (minwidth 0, padding 2) with 2-space indentation levels, so
//! alignment follows the same column-block rules as kubectl's.

use sim::sort::Sort as _;
use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStatus, Event, Node, PersistentVolume,
    PersistentVolumeClaim, Pod, PodTemplateSpec, Service,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use sim::store::Store;
use sim::time::{SimTime, from_k8s_time};

use crate::duration::{age, human_duration};
use crate::printers::{access_modes, event_age, is_default_class};
use crate::qty;
use crate::table::TabWriter;

/// Annotations describe never shows (kubectl `skipAnnotations`).
const SKIP_ANNOTATIONS: &[&str] = &["kubectl.kubernetes.io/last-applied-configuration"];

struct W {
    tw: TabWriter,
    /// kubectl's bare `describe.NewPrefixWriter` (no tabwriter): tabs stay tabs.
    raw: Option<String>,
}

impl W {
    fn new() -> Self {
        W {
            tw: TabWriter::describe(),
            raw: None,
        }
    }
    fn raw() -> Self {
        W {
            tw: TabWriter::describe(),
            raw: Some(String::new()),
        }
    }
    fn line(&mut self, level: usize, text: &str) {
        if let Some(r) = self.raw.as_mut() {
            for _ in 0..level {
                r.push_str("  ");
            }
            r.push_str(text);
            r.push('\n');
            return;
        }
        for _ in 0..level {
            self.tw.write("  ");
        }
        self.tw.write(text);
        self.tw.write("\n");
    }
    fn flush(&mut self) {
        self.tw.flush();
    }
    fn take(mut self) -> String {
        match self.raw.take() {
            Some(r) => r,
            None => self.tw.take(),
        }
    }
    /// `printLabelsMultiline` / `printAnnotationsMultiline` style: first entry after the label,
    /// the rest on continuation lines starting with a tab so they align with the values.
    fn multiline(&mut self, level: usize, title: &str, entries: &[String]) {
        if entries.is_empty() {
            self.line(level, &format!("{title}:\t<none>"));
            return;
        }
        for (i, e) in entries.iter().enumerate() {
            if i == 0 {
                self.line(level, &format!("{title}:\t{e}"));
            } else {
                self.line(level, &format!("\t{e}"));
            }
        }
    }
}

/// `o`'s value, or `T`'s default kept in `slot`: the describers borrow what they print.
fn or_default<'a, T: Default>(o: &'a Option<T>, slot: &'a mut Option<T>) -> &'a T {
    match o {
        Some(x) => x,
        None => slot.insert(T::default()),
    }
}

fn labels_list(m: Option<&BTreeMap<String, String>>) -> Vec<String> {
    m.map(|m| m.iter().map(|(k, v)| format!("{k}={v}")).collect())
        .unwrap_or_default()
}

fn annotations_list(m: Option<&BTreeMap<String, String>>) -> Vec<String> {
    m.map(|m| {
        m.iter()
            .filter(|(k, _)| !SKIP_ANNOTATIONS.contains(&k.as_str()))
            .map(|(k, v)| format!("{k}: {v}"))
            .collect()
    })
    .unwrap_or_default()
}

/// RFC 1123 with numeric zone, as describe prints timestamps (`Tue, 25 Nov 2025 14:10:03 +0000`).
pub fn rfc1123z(t: &Time) -> String {
    // strftime("%a, %d %b %Y %H:%M:%S +0000")
    let c = k8sjson::time::civil(t.0);
    format!(
        "{}, {:02} {} {} {} +0000",
        c.weekday_abbrev(),
        c.day,
        c.month_abbrev(),
        c.year4(),
        c.hms()
    )
}

/// The Events section (`DescribeEvents`) of the object `kind`/`meta`, kubectl ≥ 1.35: messages
/// prefixed by the event's fieldPath when it has one.
fn events(w: &mut W, store: &Store, kind: &str, meta: &ObjectMeta, now: SimTime) {
    let evs = events_for(store, kind, meta);
    if evs.is_empty() {
        w.line(0, "Events:\t<none>");
        return;
    }
    w.flush();
    w.line(0, "Events:");
    w.line(1, "Type\tReason\tAge\tFrom\tMessage");
    w.line(1, "----\t------\t----\t----\t-------");
    for e in evs {
        let from = e
            .source
            .as_ref()
            .and_then(|s| s.component.as_deref())
            .filter(|c| !c.is_empty())
            .or(e.reporting_component.as_deref())
            .unwrap_or_default();
        let mut msg = e.message.as_deref().unwrap_or_default().trim().to_string();
        if let Some(fp) = e
            .involved_object
            .field_path
            .as_ref()
            .filter(|f| !f.is_empty())
        {
            msg = format!("{fp}: {msg}");
        }
        w.line(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}",
                e.type_.as_deref().unwrap_or_default(),
                e.reason.as_deref().unwrap_or_default(),
                event_age(e, now),
                from,
                msg
            ),
        );
    }
}

fn events_for<'a>(store: &'a Store, kind: &str, meta: &ObjectMeta) -> Vec<&'a Event> {
    let ns = meta.namespace.as_deref().unwrap_or("default");
    let name = meta.name.as_deref().unwrap_or_default();
    let mut v: Vec<&Event> = store
        .events
        .values()
        .filter(|e| {
            e.involved_object.kind.as_deref() == Some(kind)
                && e.involved_object.name.as_deref() == Some(name)
                && (e.involved_object.namespace.as_deref().unwrap_or("default") == ns
                    || e.involved_object.namespace.is_none())
                && (e.involved_object.uid.is_none() || e.involved_object.uid == meta.uid)
        })
        .map(|e| -> &Event { e })
        .collect();
    // kubectl `pkg/util/event/sorted_event_list.go` `SortableEvents` with Go's sort.Sort:
    // by lastTimestamp, unset (an events.k8s.io event's) counting as the zero time, so first;
    // the input is the API's list order (by name).
    crate::gosort::sort_by(&mut v, |a, b| {
        a.last_timestamp.as_ref().map(|t| t.0) < b.last_timestamp.as_ref().map(|t| t.0)
    });
    v
}

fn state_lines(w: &mut W, level: usize, title: &str, st: Option<&ContainerState>) {
    let Some(st) = st else {
        w.line(level, &format!("{title}:\tWaiting"));
        return;
    };
    if let Some(r) = &st.running {
        w.line(level, &format!("{title}:\tRunning"));
        if let Some(t) = &r.started_at {
            w.line(level + 1, &format!("Started:\t{}", rfc1123z(t)));
        }
    } else if let Some(t) = &st.terminated {
        w.line(level, &format!("{title}:\tTerminated"));
        if let Some(r) = &t.reason {
            w.line(level + 1, &format!("Reason:\t{r}"));
        }
        w.line(level + 1, &format!("Exit Code:\t{}", t.exit_code));
        if let Some(s) = &t.started_at {
            w.line(level + 1, &format!("Started:\t{}", rfc1123z(s)));
        }
        if let Some(s) = &t.finished_at {
            w.line(level + 1, &format!("Finished:\t{}", rfc1123z(s)));
        }
    } else if let Some(wt) = &st.waiting {
        w.line(level, &format!("{title}:\tWaiting"));
        if let Some(r) = &wt.reason {
            w.line(level + 1, &format!("Reason:\t{r}"));
        }
    } else {
        w.line(level, &format!("{title}:\tWaiting"));
    }
}

fn container_block(
    w: &mut W,
    c: &Container,
    status: Option<&ContainerStatus>,
    template: bool,
    pod: Option<&ObjectMeta>,
) {
    // Container names at level 1 (` name:` in templates), their fields at level 2. Without a
    // status (a pod not scheduled yet) no ID, state, ready or restart lines
    // (`describeContainerBasicInfo`/`describeContainers` in describe.go, v0.35.0: `if ok`).
    let l = 1;
    if template {
        w.line(1, &format!(" {}:", c.name));
    } else {
        w.line(l, &format!("{}:", c.name));
    }
    if !template && status.is_some() {
        w.line(
            l + 1,
            &format!(
                "Container ID:\t{}",
                status
                    .and_then(|s| s.container_id.as_deref())
                    .unwrap_or_default()
            ),
        );
    }
    w.line(
        l + 1,
        &format!("Image:\t{}", c.image.as_deref().unwrap_or_default()),
    );
    if !template && status.is_some() {
        w.line(
            l + 1,
            &format!("Image ID:\t{}", status.map_or("", |s| &s.image_id)),
        );
    }
    let ports = c.ports.as_deref().unwrap_or(&[]);
    if ports.is_empty() {
        w.line(l + 1, "Port:\t<none>");
        w.line(l + 1, "Host Port:\t<none>");
    } else {
        // kubectl `pkg/describe/describe.go` `describeContainerPorts` /
        // `describeContainerHostPorts` (v0.35.0): `<port>/<proto>`, then ` (<name>)` for a
        // named port; the label is plural when the joined text has a comma.
        let one = |n: i32, p: &k8s_openapi::api::core::v1::ContainerPort| {
            let mut t = format!("{n}/{}", p.protocol.as_deref().unwrap_or("TCP"));
            if let Some(name) = p.name.as_deref().filter(|x| !x.is_empty()) {
                t.push_str(&format!(" ({name})"));
            }
            t
        };
        let p: Vec<String> = ports.iter().map(|p| one(p.container_port, p)).collect();
        let hp: Vec<String> = ports
            .iter()
            .map(|p| one(p.host_port.unwrap_or(0), p))
            .collect();
        let (p, hp) = (p.join(", "), hp.join(", "));
        let pl = if p.contains(',') { "Ports" } else { "Port" };
        let hl = if hp.contains(',') {
            "Host Ports"
        } else {
            "Host Port"
        };
        w.line(l + 1, &format!("{pl}:\t{p}"));
        w.line(l + 1, &format!("{hl}:\t{hp}"));
    }
    for (title, list) in [("Command", &c.command), ("Args", &c.args)] {
        if let Some(list) = list.as_ref().filter(|l| !l.is_empty()) {
            w.line(l + 1, &format!("{title}:"));
            for item in list {
                for part in item.split('\n') {
                    w.line(l + 2, part);
                }
            }
        }
    }
    if !template && status.is_some() {
        state_lines(w, l + 1, "State", status.and_then(|s| s.state.as_ref()));
        if let Some(last) = status
            .and_then(|s| s.last_state.as_ref())
            .filter(|ls| ls.terminated.is_some())
        {
            state_lines(w, l + 1, "Last State", Some(last));
        }
        w.line(
            l + 1,
            &format!(
                "Ready:\t{}",
                if status.is_some_and(|s| s.ready) {
                    "True"
                } else {
                    "False"
                }
            ),
        );
        w.line(
            l + 1,
            &format!("Restart Count:\t{}", status.map_or(0, |s| s.restart_count)),
        );
    }
    // describe.go `describeContainers`: resources, then probes, after the state.
    if let Some(r) = &c.resources {
        for (title, list) in [("Limits", &r.limits), ("Requests", &r.requests)] {
            if let Some(list) = list.as_ref().filter(|m| !m.is_empty()) {
                w.line(l + 1, &format!("{title}:"));
                for (name, q) in list {
                    w.line(l + 2, &format!("{name}:\t{}", q.0));
                }
            }
        }
    }
    for (title, probe) in [
        ("Liveness", &c.liveness_probe),
        ("Readiness", &c.readiness_probe),
        ("Startup", &c.startup_probe),
    ] {
        if let Some(pr) = probe {
            w.line(l + 1, &format!("{title}:\t{}", describe_probe(pr)));
        }
    }
    let env = c.env.as_deref().unwrap_or(&[]);
    if env.is_empty() {
        w.line(l + 1, "Environment:\t<none>");
    } else {
        w.line(l + 1, "Environment:");
        for e in env {
            env_var(w, l + 2, e, pod);
        }
    }
    let mounts = c.volume_mounts.as_deref().unwrap_or(&[]);
    if mounts.is_empty() {
        w.line(l + 1, "Mounts:\t<none>");
    } else {
        w.line(l + 1, "Mounts:");
        for m in mounts {
            let rw = if m.read_only.unwrap_or(false) {
                "ro"
            } else {
                "rw"
            };
            w.line(l + 2, &format!("{} from {} ({rw})", m.mount_path, m.name));
        }
    }
}

/// kubectl `pkg/describe/describe.go` `describeContainerEnvVars` (v0.35.0): a value's lines
/// after the first on lines of their own; a `fieldRef` as `VALUE (APIVERSION:PATH)`, its value
/// from `EnvValueRetriever(pod)` in `describe pod` and empty in a pod template. That resolver
/// converts the path with kubectl's scheme, which knows only `metadata.name` and
/// `metadata.namespace` (apimachinery `DefaultMetaV1FieldSelectorConversion`), so every other
/// path (`status.podIP`, `spec.nodeName`) prints an empty value, as on a real cluster. Secret
/// and ConfigMap keys print where the value comes from. (`resourceFieldRef`: its resource only.)
fn env_var(
    w: &mut W,
    level: usize,
    e: &k8s_openapi::api::core::v1::EnvVar,
    pod: Option<&ObjectMeta>,
) {
    let Some(from) = &e.value_from else {
        let value = e.value.as_deref().unwrap_or_default();
        for (i, line) in value.split('\n').enumerate() {
            if i == 0 {
                w.line(level, &format!("{}:\t{line}", e.name));
            } else {
                w.line(level, &format!("\t{line}"));
            }
        }
        return;
    };
    if let Some(f) = &from.field_ref {
        let value = match (pod, f.field_path.as_str()) {
            (Some(m), "metadata.name") => m.name.as_deref().unwrap_or_default(),
            (Some(m), "metadata.namespace") => m.namespace.as_deref().unwrap_or_default(),
            _ => "",
        };
        let api = f.api_version.as_deref().unwrap_or("v1");
        w.line(
            level,
            &format!("{}:\t{value} ({api}:{})", e.name, f.field_path),
        );
    } else if let Some(r) = &from.resource_field_ref {
        w.line(level, &format!("{}:\t ({})", e.name, r.resource));
    } else if let Some(k) = &from.secret_key_ref {
        w.line(
            level,
            &format!(
                "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}",
                e.name,
                k.key,
                k.name,
                k.optional.unwrap_or(false)
            ),
        );
    } else if let Some(k) = &from.config_map_key_ref {
        w.line(
            level,
            &format!(
                "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}",
                e.name,
                k.key,
                k.name,
                k.optional.unwrap_or(false)
            ),
        );
    }
}

/// kubectl `pkg/describe/describe.go` `DescribeProbe` (v0.35.0). Unset numbers show the
/// apiserver's defaults (timeout 1s, period 10s, success 1, failure 3).
fn describe_probe(p: &k8s_openapi::api::core::v1::Probe) -> String {
    let port = |x: &IntOrString| match x {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    if let Some(e) = &p.exec {
        // Go's %v of a []string: `[a b c]`.
        let cmd = e.command.as_deref().unwrap_or_default().join(" ");
        format!("exec [{cmd}] {attrs}")
    } else if let Some(h) = &p.http_get {
        let scheme = sim::unicase::lowercase(h.scheme.as_deref().unwrap_or("HTTP"));
        let host = h.host.as_deref().unwrap_or_default();
        let port = port(&h.port);
        // net.JoinHostPort brackets an IPv6 host.
        let hostport = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = h.path.as_deref().unwrap_or_default();
        // url.URL.String adds the slash a host-qualified relative path lacks.
        let slash = if !path.is_empty() && !path.starts_with('/') {
            "/"
        } else {
            ""
        };
        format!("http-get {scheme}://{hostport}{slash}{path} {attrs}")
    } else if let Some(t) = &p.tcp_socket {
        format!(
            "tcp-socket {}:{} {attrs}",
            t.host.as_deref().unwrap_or_default(),
            port(&t.port)
        )
    } else if let Some(g) = &p.grpc {
        format!(
            "grpc <pod>:{} {} {attrs}",
            g.port,
            g.service.as_deref().unwrap_or_default()
        )
    } else {
        format!("unknown {attrs}")
    }
}

fn volumes_block(w: &mut W, level: usize, spec: Option<&k8s_openapi::api::core::v1::PodSpec>) {
    let vols = spec.and_then(|s| s.volumes.as_deref()).unwrap_or(&[]);
    if vols.is_empty() {
        w.line(level, "Volumes:\t<none>");
        return;
    }
    w.line(level, "Volumes:");
    for v in vols {
        w.line(level + 1, &format!("{}:", v.name));
        if let Some(c) = &v.persistent_volume_claim {
            w.line(
                level + 2,
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            );
            w.line(level + 2, &format!("ClaimName:\t{}", c.claim_name));
            w.line(
                level + 2,
                &format!("ReadOnly:\t{}", c.read_only.unwrap_or(false)),
            );
        } else if let Some(e) = &v.empty_dir {
            w.line(
                level + 2,
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)",
            );
            w.line(
                level + 2,
                &format!("Medium:\t{}", e.medium.as_deref().unwrap_or_default()),
            );
            w.line(
                level + 2,
                &format!(
                    "SizeLimit:\t{}",
                    e.size_limit
                        .as_ref()
                        .map(|q| q.0.clone())
                        .unwrap_or_else(|| "<unset>".into())
                ),
            );
        } else if let Some(c) = &v.config_map {
            w.line(
                level + 2,
                "Type:\tConfigMap (a volume populated by a ConfigMap)",
            );
            w.line(level + 2, &format!("Name:\t{}", c.name));
            w.line(
                level + 2,
                &format!("Optional:\t{}", c.optional.unwrap_or(false)),
            );
        } else if let Some(s) = &v.secret {
            w.line(level + 2, "Type:\tSecret (a volume populated by a Secret)");
            w.line(
                level + 2,
                &format!(
                    "SecretName:\t{}",
                    s.secret_name.as_deref().unwrap_or_default()
                ),
            );
            w.line(
                level + 2,
                &format!("Optional:\t{}", s.optional.unwrap_or(false)),
            );
        } else if let Some(pr) = &v.projected {
            // describe.go printProjectedVolumeSource: one line (or two) per source.
            w.line(
                level + 2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)",
            );
            for src in pr.sources.as_deref().unwrap_or(&[]) {
                if let Some(sec) = &src.secret {
                    w.line(level + 2, &format!("SecretName:\t{}", sec.name));
                    w.line(
                        level + 2,
                        &format!("Optional:\t{}", sec.optional.unwrap_or(false)),
                    );
                } else if src.downward_api.is_some() {
                    w.line(level + 2, "DownwardAPI:\ttrue");
                } else if let Some(cm) = &src.config_map {
                    w.line(level + 2, &format!("ConfigMapName:\t{}", cm.name));
                    w.line(
                        level + 2,
                        &format!("Optional:\t{}", cm.optional.unwrap_or(false)),
                    );
                } else if let Some(t) = &src.service_account_token {
                    w.line(
                        level + 2,
                        &format!(
                            "TokenExpirationSeconds:\t{}",
                            t.expiration_seconds.unwrap_or(3600)
                        ),
                    );
                }
            }
        } else {
            w.line(level + 2, "Type:\t<unknown>");
        }
    }
}

fn tolerations_list(spec: Option<&k8s_openapi::api::core::v1::PodSpec>) -> Vec<String> {
    spec.and_then(|s| s.tolerations.as_ref())
        .map(|ts| {
            ts.iter()
                .map(|t| {
                    let mut s = t.key.clone().unwrap_or_default();
                    if let Some(v) = t.value.as_ref().filter(|v| !v.is_empty()) {
                        s.push('=');
                        s.push_str(v);
                    }
                    if let Some(e) = t.effect.as_ref().filter(|e| !e.is_empty()) {
                        s.push(':');
                        s.push_str(e);
                    }
                    if t.operator.as_deref() == Some("Exists") && t.value.is_none() {
                        s.push_str(" op=Exists");
                    }
                    if let Some(secs) = t.toleration_seconds {
                        s.push_str(&format!(" for {secs}s"));
                    }
                    s
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `Terminating (lasts …)`: `translateTimestampSince(deletionTimestamp)` (describe.go, since
/// kubernetes PR #74789). A pod's deletionTimestamp is the request plus its grace period, so
/// during the grace period the duration is negative and kubectl prints `<invalid>` (more than
/// a second ahead) or `0s`, as it does on a real cluster.
fn terminating_status(meta: &ObjectMeta, now: SimTime) -> Option<String> {
    let dt = meta.deletion_timestamp.as_ref()?;
    Some(format!(
        "Terminating (lasts {})",
        human_duration(i128::from(now) - i128::from(from_k8s_time(dt)))
    ))
}

/// `describePod`.
pub fn pod(store: &Store, p: &Pod, now: SimTime) -> String {
    let mut w = W::new();
    let spec = p.spec.as_ref();
    let status = p.status.as_ref();
    w.line(
        0,
        &format!("Name:\t{}", p.metadata.name.as_deref().unwrap_or_default()),
    );
    w.line(
        0,
        &format!(
            "Namespace:\t{}",
            p.metadata.namespace.as_deref().unwrap_or_default()
        ),
    );
    w.line(
        0,
        &format!("Priority:\t{}", spec.and_then(|s| s.priority).unwrap_or(0)),
    );
    if let Some(pc) = spec
        .and_then(|s| s.priority_class_name.as_deref())
        .filter(|s| !s.is_empty())
    {
        w.line(0, &format!("Priority Class Name:\t{pc}"));
    }
    // Printed only when set (a mirror pod has none: ServiceAccount admission skips it).
    if let Some(sa) = spec
        .and_then(|s| s.service_account_name.as_deref())
        .filter(|s| !s.is_empty())
    {
        w.line(0, &format!("Service Account:\t{sa}"));
    }
    match spec.and_then(|s| s.node_name.as_deref()) {
        Some(n) => {
            let host_ip = status
                .and_then(|s| s.host_ip.as_deref())
                .unwrap_or_default();
            w.line(0, &format!("Node:\t{n}/{host_ip}"));
        }
        None => w.line(0, "Node:\t<none>"),
    }
    if let Some(t) = status.and_then(|s| s.start_time.as_ref()) {
        w.line(0, &format!("Start Time:\t{}", rfc1123z(t)));
    }
    w.multiline(0, "Labels", &labels_list(p.metadata.labels.as_ref()));
    w.multiline(
        0,
        "Annotations",
        &annotations_list(p.metadata.annotations.as_ref()),
    );
    // describe.go: only a pod that is neither Failed nor Succeeded shows as Terminating.
    let phase = status.and_then(|s| s.phase.as_deref());
    let terminating = terminating_status(&p.metadata, now)
        .filter(|_| !matches!(phase, Some("Failed" | "Succeeded")));
    match terminating {
        Some(t) => {
            w.line(0, &format!("Status:\t{t}"));
            w.line(
                0,
                &format!(
                    "Termination Grace Period:\t{}s",
                    p.metadata.deletion_grace_period_seconds.unwrap_or(0)
                ),
            );
        }
        None => w.line(
            0,
            &format!(
                "Status:\t{}",
                status.and_then(|s| s.phase.as_deref()).unwrap_or_default()
            ),
        ),
    }
    if let Some(r) = status.and_then(|s| s.reason.clone()) {
        w.line(0, &format!("Reason:\t{r}"));
    }
    w.line(
        0,
        &format!(
            "IP:\t{}",
            status.and_then(|s| s.pod_ip.as_deref()).unwrap_or_default()
        ),
    );
    let ips = status
        .and_then(|s| s.pod_ips.as_deref())
        .unwrap_or_default();
    if ips.is_empty() {
        w.line(0, "IPs:\t<none>");
    } else {
        w.line(0, "IPs:");
        for ip in ips {
            w.line(1, &format!("IP:\t{}", ip.ip));
        }
    }
    if let Some(o) = p
        .metadata
        .owner_references
        .as_ref()
        .and_then(|o| o.iter().find(|o| o.controller == Some(true)))
    {
        w.line(0, &format!("Controlled By:\t{}/{}", o.kind, o.name));
    }
    fn find<'a>(list: Option<&'a Vec<ContainerStatus>>, name: &str) -> Option<&'a ContainerStatus> {
        list.and_then(|l| l.iter().find(|s| s.name == name))
    }
    let inits = spec
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or_default();
    if !inits.is_empty() {
        w.line(0, "Init Containers:");
        for c in inits {
            let st = find(
                status.and_then(|s| s.init_container_statuses.as_ref()),
                &c.name,
            );
            container_block(&mut w, c, st, false, Some(&p.metadata));
        }
    }
    w.line(0, "Containers:");
    for c in spec.map_or(&[][..], |s| &s.containers) {
        let st = find(status.and_then(|s| s.container_statuses.as_ref()), &c.name);
        container_block(&mut w, c, st, false, Some(&p.metadata));
    }
    let conds = status
        .and_then(|s| s.conditions.as_deref())
        .unwrap_or_default();
    if !conds.is_empty() {
        w.line(0, "Conditions:");
        w.line(1, "Type\tStatus");
        for c in conds {
            w.line(1, &format!("{} \t{} ", c.type_, c.status));
        }
    }
    volumes_block(&mut w, 0, spec);
    let qos = status
        .and_then(|s| s.qos_class.as_deref())
        .unwrap_or("BestEffort");
    w.line(0, &format!("QoS Class:\t{qos}"));
    let ns = labels_list(spec.and_then(|s| s.node_selector.as_ref()));
    w.line(
        0,
        &format!(
            "Node-Selectors:\t{}",
            if ns.is_empty() {
                "<none>".into()
            } else {
                ns.join(",")
            }
        ),
    );
    w.multiline(0, "Tolerations", &tolerations_list(spec));
    events(&mut w, store, "Pod", &p.metadata, now);
    w.take()
}

fn pod_template(w: &mut W, t: &PodTemplateSpec) {
    w.line(0, "Pod Template:");
    w.multiline(
        1,
        "Labels",
        &labels_list(t.metadata.as_ref().and_then(|m| m.labels.as_ref())),
    );
    let ann = annotations_list(t.metadata.as_ref().and_then(|m| m.annotations.as_ref()));
    if !ann.is_empty() {
        w.multiline(1, "Annotations", &ann);
    }
    let spec = t.spec.as_ref();
    let inits = spec
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or_default();
    if !inits.is_empty() {
        w.line(1, "Init Containers:");
        for c in inits {
            container_block(w, c, None, true, None);
        }
    }
    w.line(1, "Containers:");
    for c in spec.map_or(&[][..], |s| &s.containers) {
        container_block(w, c, None, true, None);
    }
    volumes_block(w, 1, spec);
    let ns = labels_list(spec.and_then(|s| s.node_selector.as_ref()));
    w.line(
        1,
        &format!(
            "Node-Selectors:\t{}",
            if ns.is_empty() {
                "<none>".into()
            } else {
                ns.join(",")
            }
        ),
    );
    w.multiline(1, "Tolerations", &tolerations_list(spec));
}

/// The `Pod Template:` block alone (used by `rollout history --revision`).
///
/// `kubectl rollout history --revision=N` prints it through a bare prefix writer
/// (kubectl `pkg/polymorphichelpers/history.go` `printTemplate`, v0.35.0): no column
/// alignment, the tab after each label is kept as is.
pub fn pod_template_text(t: &PodTemplateSpec) -> String {
    let mut w = W::raw();
    pod_template(&mut w, t);
    w.take()
}

/// `describeStatefulSet`.
pub fn statefulset(store: &Store, s: &StatefulSet, now: SimTime) -> String {
    let mut w = W::new();
    let spec = s.spec.as_ref();
    let ns = s.metadata.namespace.as_deref().unwrap_or_default();
    w.line(
        0,
        &format!("Name:\t{}", s.metadata.name.as_deref().unwrap_or_default()),
    );
    w.line(0, &format!("Namespace:\t{ns}"));
    if let Some(t) = &s.metadata.creation_timestamp {
        w.line(0, &format!("CreationTimestamp:\t{}", rfc1123z(t)));
    }
    w.line(
        0,
        // `metav1.LabelSelectorAsSelector(ps.Spec.Selector)` printed with `%s`: requirements
        // sorted by key, values sorted (describe.go StatefulSetDescriber)
        &format!(
            "Selector:\t{}",
            spec.map_or_else(
                || "<none>".into(),
                |s| crate::printers::label_selector_string(&s.selector, true)
            )
        ),
    );
    w.multiline(0, "Labels", &labels_list(s.metadata.labels.as_ref()));
    w.multiline(
        0,
        "Annotations",
        &annotations_list(s.metadata.annotations.as_ref()),
    );
    let desired = spec.and_then(|s| s.replicas).unwrap_or(1);
    let total = s.status.as_ref().map_or(0, |st| st.replicas);
    w.line(0, &format!("Replicas:\t{desired} desired | {total} total"));
    let strategy = spec.and_then(|s| s.update_strategy.as_ref());
    w.line(
        0,
        &format!(
            "Update Strategy:\t{}",
            strategy
                .and_then(|u| u.type_.as_deref())
                .unwrap_or("RollingUpdate")
        ),
    );
    // kubectl `pkg/describe/describe.go` (v0.35.0): MaxUnavailable only under a Partition.
    let ru = strategy.and_then(|u| u.rolling_update.as_ref());
    if let Some(p) = ru.and_then(|ru| ru.partition) {
        w.line(1, &format!("Partition:\t{p}"));
        if let Some(m) = ru.and_then(|ru| ru.max_unavailable.as_ref()) {
            let m = match m {
                IntOrString::Int(i) => i.to_string(),
                IntOrString::String(s) => s.clone(),
            };
            w.line(1, &format!("MaxUnavailable:\t{m}"));
        }
    }
    // Pods Status: phases of the pods the set owns.
    let uid = s.metadata.uid.clone();
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in store.list::<Pod>(Some(ns)) {
        let owned = p
            .metadata
            .owner_references
            .as_ref()
            .is_some_and(|o| o.iter().any(|o| Some(&o.uid) == uid.as_ref()));
        if !owned {
            continue;
        }
        match p.status.as_ref().and_then(|st| st.phase.as_deref()) {
            Some("Running") => running += 1,
            Some("Succeeded") => succeeded += 1,
            Some("Failed") => failed += 1,
            _ => waiting += 1,
        }
    }
    w.line(0, &format!("Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"));
    if let Some(t) = spec.map(|s| &s.template) {
        pod_template(&mut w, t);
    }
    let vcts = spec
        .and_then(|s| s.volume_claim_templates.as_deref())
        .unwrap_or_default();
    if vcts.is_empty() {
        w.line(0, "Volume Claims:\t<none>");
    } else {
        w.line(0, "Volume Claims:");
        for v in vcts {
            let m = &v.metadata;
            let mut vs_d = None;
            let vs = or_default(&v.spec, &mut vs_d);
            w.line(
                1,
                &format!("Name:\t{}", m.name.as_deref().unwrap_or_default()),
            );
            w.line(
                1,
                &format!(
                    "StorageClass:\t{}",
                    vs.storage_class_name.as_deref().unwrap_or_default()
                ),
            );
            w.multiline(1, "Labels", &labels_list(m.labels.as_ref()));
            w.multiline(1, "Annotations", &annotations_list(m.annotations.as_ref()));
            let cap = vs
                .resources
                .as_ref()
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get("storage"))
                .map(|q| q.0.clone())
                .unwrap_or_default();
            w.line(1, &format!("Capacity:\t{cap}"));
            w.line(
                1,
                &format!(
                    "Access Modes:\t[{}]",
                    vs.access_modes.as_deref().unwrap_or_default().join(" ")
                ),
            );
        }
    }
    events(&mut w, store, "StatefulSet", &s.metadata, now);
    w.take()
}

/// `IntOrString.String()`.
fn int_or_string(v: Option<&k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>) -> String {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match v {
        Some(IntOrString::Int(i)) => i.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => "0".into(),
    }
}

/// A `Conditions:` block of a Deployment or ReplicaSet (`Type \tStatus\tReason`).
fn workload_conditions(w: &mut W, rows: &[(String, String, String)]) {
    if rows.is_empty() {
        return;
    }
    w.line(0, "Conditions:");
    w.line(1, "Type\tStatus\tReason");
    w.line(1, "----\t------\t------");
    for (t, s, r) in rows {
        w.line(1, &format!("{t} \t{s}\t{r}"));
    }
}

/// The ReplicaSets a Deployment controls (`ListReplicaSetsInChunks`: selected and controlled
/// by it), old ones (by creation, scaled to zero included) and the new one (the oldest whose
/// template is the Deployment's), as `deploymentutil.GetAllReplicaSetsInChunks` finds them.
pub fn deployment_replica_sets<'a>(
    store: &'a Store,
    d: &Deployment,
) -> (Vec<&'a ReplicaSet>, Option<&'a ReplicaSet>) {
    let ns = d.metadata.namespace.as_deref().unwrap_or_default();
    let uid = d.metadata.uid.clone();
    let mut rss: Vec<&ReplicaSet> = store
        .replicasets
        .iter()
        .filter(|((n, _), _)| *n == ns)
        .map(|(_, rs)| rs.as_ref())
        .filter(|rs| {
            rs.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.controller == Some(true) && Some(&o.uid) == uid.as_ref())
        })
        .collect();
    rss.stable_sort_by_key(|rs| {
        (
            rs.metadata.creation_timestamp.as_ref().map(from_k8s_time),
            rs.metadata.name.clone(),
        )
    });
    let mut template_d = None;
    let template = match &d.spec {
        Some(s) => &s.template,
        None => template_d.insert(PodTemplateSpec::default()),
    };
    let new = rss.iter().copied().find(|rs| {
        rs.spec
            .as_ref()
            .and_then(|s| s.template.as_ref())
            .is_some_and(|t| sim::controller::deployment::util::equal_ignore_hash(t, template))
    });
    let old = rss
        .into_iter()
        .filter(|rs| new.is_none_or(|n| n.metadata.uid != rs.metadata.uid))
        .collect();
    (old, new)
}

/// `printReplicaSetsByLabels`.
fn replica_sets_text(rss: &[&ReplicaSet]) -> String {
    let v: Vec<String> = rss
        .iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name.as_deref().unwrap_or_default(),
                rs.status.as_ref().map_or(0, |s| s.replicas),
                rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
            )
        })
        .collect();
    if v.is_empty() {
        "<none>".into()
    } else {
        v.join(", ")
    }
}

/// `describeDeployment` (kubectl `pkg/describe/describe.go`, v0.35).
pub fn deployment(store: &Store, d: &Deployment, now: SimTime) -> String {
    let mut w = W::new();
    let mut spec_d = None;
    let spec = or_default(&d.spec, &mut spec_d);
    let mut st_d = None;
    let st = or_default(&d.status, &mut st_d);
    w.line(
        0,
        &format!("Name:\t{}", d.metadata.name.as_deref().unwrap_or_default()),
    );
    w.line(
        0,
        &format!(
            "Namespace:\t{}",
            d.metadata.namespace.as_deref().unwrap_or_default()
        ),
    );
    if let Some(t) = &d.metadata.creation_timestamp {
        w.line(0, &format!("CreationTimestamp:\t{}", rfc1123z(t)));
    }
    w.multiline(0, "Labels", &labels_list(d.metadata.labels.as_ref()));
    w.multiline(
        0,
        "Annotations",
        &annotations_list(d.metadata.annotations.as_ref()),
    );
    w.line(
        0,
        &format!(
            "Selector:\t{}",
            crate::printers::label_selector_string(&spec.selector, false)
        ),
    );
    w.line(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable",
            spec.replicas.unwrap_or(1),
            st.updated_replicas.unwrap_or(0),
            st.replicas.unwrap_or(0),
            st.available_replicas.unwrap_or(0),
            st.unavailable_replicas.unwrap_or(0)
        ),
    );
    let mut strategy_d = None;
    let strategy = or_default(&spec.strategy, &mut strategy_d);
    w.line(
        0,
        &format!(
            "StrategyType:\t{}",
            strategy.type_.as_deref().unwrap_or_default()
        ),
    );
    w.line(
        0,
        &format!("MinReadySeconds:\t{}", spec.min_ready_seconds.unwrap_or(0)),
    );
    if let Some(ru) = &strategy.rolling_update {
        w.line(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge",
                int_or_string(ru.max_unavailable.as_ref()),
                int_or_string(ru.max_surge.as_ref())
            ),
        );
    }
    pod_template(&mut w, &spec.template);
    let conds: Vec<(String, String, String)> = st
        .conditions
        .iter()
        .flatten()
        .map(|c| {
            (
                c.type_.clone(),
                c.status.clone(),
                c.reason.clone().unwrap_or_default(),
            )
        })
        .collect();
    workload_conditions(&mut w, &conds);
    let (old, new) = deployment_replica_sets(store, d);
    if !old.is_empty() || new.is_some() {
        w.line(0, &format!("OldReplicaSets:\t{}", replica_sets_text(&old)));
        w.line(
            0,
            &format!(
                "NewReplicaSet:\t{}",
                replica_sets_text(&new.into_iter().collect::<Vec<_>>())
            ),
        );
    }
    events(&mut w, store, "Deployment", &d.metadata, now);
    w.take()
}

/// `describeReplicaSet` (kubectl `pkg/describe/describe.go`, v0.35).
pub fn replicaset(store: &Store, rs: &ReplicaSet, now: SimTime) -> String {
    let mut w = W::new();
    let mut spec_d = None;
    let spec = or_default(&rs.spec, &mut spec_d);
    let ns = rs.metadata.namespace.as_deref().unwrap_or_default();
    w.line(
        0,
        &format!("Name:\t{}", rs.metadata.name.as_deref().unwrap_or_default()),
    );
    w.line(0, &format!("Namespace:\t{ns}"));
    w.line(
        0,
        &format!(
            "Selector:\t{}",
            crate::printers::label_selector_string(&spec.selector, true)
        ),
    );
    w.multiline(0, "Labels", &labels_list(rs.metadata.labels.as_ref()));
    w.multiline(
        0,
        "Annotations",
        &annotations_list(rs.metadata.annotations.as_ref()),
    );
    if let Some(o) = rs
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
    {
        w.line(0, &format!("Controlled By:\t{}/{}", o.kind, o.name));
    }
    w.line(
        0,
        &format!(
            "Replicas:\t{} current / {} desired",
            rs.status.as_ref().map_or(0, |s| s.replicas),
            spec.replicas.unwrap_or(1)
        ),
    );
    // getPodStatusForController: the selected pods the ReplicaSet controls, by phase.
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in store.list::<Pod>(Some(ns)) {
        let owned = p
            .metadata
            .owner_references
            .iter()
            .flatten()
            .any(|o| o.controller == Some(true) && Some(&o.uid) == rs.metadata.uid.as_ref());
        if !owned
            || !sim::controller::meta::selector_matches(
                Some(&spec.selector),
                p.metadata.labels.as_ref(),
            )
        {
            continue;
        }
        match p.status.as_ref().and_then(|st| st.phase.as_deref()) {
            Some("Running") => running += 1,
            Some("Pending") => waiting += 1,
            Some("Succeeded") => succeeded += 1,
            Some("Failed") => failed += 1,
            _ => {}
        }
    }
    w.line(0, &format!("Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"));
    let mut template_d = None;
    pod_template(&mut w, or_default(&spec.template, &mut template_d));
    let conds: Vec<(String, String, String)> = rs
        .status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .map(|c| {
            (
                c.type_.clone(),
                c.status.clone(),
                c.reason.clone().unwrap_or_default(),
            )
        })
        .collect();
    workload_conditions(&mut w, &conds);
    events(&mut w, store, "ReplicaSet", &rs.metadata, now);
    w.take()
}

/// `describePersistentVolumeClaim`.
pub fn pvc(store: &Store, c: &PersistentVolumeClaim, now: SimTime) -> String {
    let mut w = W::new();
    let spec = c.spec.as_ref();
    let status = c.status.as_ref();
    let ns = c.metadata.namespace.as_deref().unwrap_or_default();
    let name = c.metadata.name.as_deref().unwrap_or_default();
    w.line(0, &format!("Name:\t{name}"));
    w.line(0, &format!("Namespace:\t{ns}"));
    w.line(
        0,
        &format!(
            "StorageClass:\t{}",
            spec.and_then(|s| s.storage_class_name.as_deref())
                .unwrap_or_default()
        ),
    );
    let st = terminating_status(&c.metadata, now).unwrap_or_else(|| {
        status
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Pending".into())
    });
    w.line(0, &format!("Status:\t{st}"));
    let volume = spec
        .and_then(|s| s.volume_name.as_deref())
        .unwrap_or_default();
    w.line(0, &format!("Volume:\t{volume}"));
    w.multiline(0, "Labels", &labels_list(c.metadata.labels.as_ref()));
    w.multiline(
        0,
        "Annotations",
        &annotations_list(c.metadata.annotations.as_ref()),
    );
    w.line(
        0,
        &format!(
            "Finalizers:\t[{}]",
            c.metadata
                .finalizers
                .as_deref()
                .unwrap_or_default()
                .join(" ")
        ),
    );
    let (cap, modes) = if volume.is_empty() {
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
    w.line(0, &format!("Capacity:\t{cap}"));
    w.line(0, &format!("Access Modes:\t{modes}"));
    if let Some(vm) = spec.and_then(|s| s.volume_mode.clone()) {
        w.line(0, &format!("VolumeMode:\t{vm}"));
    }
    let users: Vec<String> = store
        .list::<Pod>(Some(ns))
        .filter(|p| {
            p.spec
                .as_ref()
                .and_then(|s| s.volumes.as_ref())
                .is_some_and(|vs| {
                    vs.iter().any(|v| {
                        v.persistent_volume_claim
                            .as_ref()
                            .is_some_and(|c| c.claim_name == name)
                    })
                })
        })
        .map(|p| p.metadata.name.clone().unwrap_or_default())
        .collect();
    w.multiline(0, "Used By", &users);
    events(&mut w, store, "PersistentVolumeClaim", &c.metadata, now);
    w.take()
}

/// `printVolumeNodeAffinity` and `printNodeSelectorTermsMultilineWithIndent` (kubectl
/// `pkg/describe/describe.go`, v0.35.0): the required terms of a volume's node affinity, one
/// `key operator [values]` per requirement (the operator in lower case).
fn volume_node_affinity(
    w: &mut W,
    affinity: Option<&k8s_openapi::api::core::v1::VolumeNodeAffinity>,
) {
    let Some(required) = affinity.and_then(|a| a.required.as_ref()) else {
        w.line(0, "Node Affinity:\t<none>");
        return;
    };
    w.line(0, "Node Affinity:\t");
    if required.node_selector_terms.is_empty() {
        w.line(1, "Required Terms:\t<none>");
        return;
    }
    w.line(1, "Required Terms:\t");
    for (i, term) in required.node_selector_terms.iter().enumerate() {
        let reqs = term.match_expressions.as_deref().unwrap_or_default();
        if reqs.is_empty() {
            w.line(2, &format!("Term {i}:\t<none>"));
            continue;
        }
        for (j, req) in reqs.iter().enumerate() {
            let mut expr = format!("{} {}", req.key, req.operator.to_ascii_lowercase());
            if let Some(values) = req.values.as_ref().filter(|v| !v.is_empty()) {
                expr = format!("{expr} [{}]", values.join(", "));
            }
            if j == 0 {
                w.line(2, &format!("Term {i}:\t{expr}"));
            } else {
                w.line(2, &format!("\t{expr}"));
            }
        }
    }
}

/// `describePersistentVolume`.
pub fn pv(store: &Store, v: &PersistentVolume, now: SimTime) -> String {
    let mut w = W::new();
    let spec = v.spec.as_ref();
    w.line(
        0,
        &format!("Name:\t{}", v.metadata.name.as_deref().unwrap_or_default()),
    );
    w.multiline(0, "Labels", &labels_list(v.metadata.labels.as_ref()));
    w.multiline(
        0,
        "Annotations",
        &annotations_list(v.metadata.annotations.as_ref()),
    );
    w.line(
        0,
        &format!(
            "Finalizers:\t[{}]",
            v.metadata
                .finalizers
                .as_deref()
                .unwrap_or_default()
                .join(" ")
        ),
    );
    w.line(
        0,
        &format!(
            "StorageClass:\t{}",
            spec.and_then(|s| s.storage_class_name.as_deref())
                .unwrap_or_default()
        ),
    );
    let st = terminating_status(&v.metadata, now).unwrap_or_else(|| {
        v.status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_default()
    });
    w.line(0, &format!("Status:\t{st}"));
    let claim = spec
        .and_then(|s| s.claim_ref.as_ref())
        .map(|c| {
            format!(
                "{}/{}",
                c.namespace.as_deref().unwrap_or_default(),
                c.name.as_deref().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    w.line(0, &format!("Claim:\t{claim}"));
    w.line(
        0,
        &format!(
            "Reclaim Policy:\t{}",
            spec.and_then(|s| s.persistent_volume_reclaim_policy.as_deref())
                .unwrap_or_default()
        ),
    );
    w.line(
        0,
        &format!(
            "Access Modes:\t{}",
            access_modes(spec.and_then(|s| s.access_modes.as_ref()))
        ),
    );
    w.line(
        0,
        &format!(
            "VolumeMode:\t{}",
            spec.and_then(|s| s.volume_mode.as_deref())
                .unwrap_or("Filesystem")
        ),
    );
    w.line(
        0,
        &format!(
            "Capacity:\t{}",
            spec.and_then(|s| s.capacity.as_ref())
                .and_then(|c| c.get("storage"))
                .map(|q| q.0.clone())
                .unwrap_or_default()
        ),
    );
    volume_node_affinity(&mut w, spec.and_then(|s| s.node_affinity.as_ref()));
    w.line(
        0,
        &format!(
            "Message:\t{}",
            v.status
                .as_ref()
                .and_then(|s| s.message.as_deref())
                .unwrap_or_default()
        ),
    );
    if let Some(hp) = spec.and_then(|s| s.host_path.as_ref()) {
        w.line(0, "Source:");
        w.line(1, "Type:\tHostPath (bare host directory volume)");
        w.line(1, &format!("Path:\t{}", hp.path));
        w.line(
            1,
            &format!("HostPathType:\t{}", hp.type_.as_deref().unwrap_or_default()),
        );
    }
    events(&mut w, store, "PersistentVolume", &v.metadata, now);
    w.take()
}

/// `describeService`.
pub fn service(store: &Store, s: &Service, now: SimTime) -> String {
    let mut w = W::new();
    let spec = s.spec.as_ref();
    w.line(
        0,
        &format!("Name:\t{}", s.metadata.name.as_deref().unwrap_or_default()),
    );
    w.line(
        0,
        &format!(
            "Namespace:\t{}",
            s.metadata.namespace.as_deref().unwrap_or_default()
        ),
    );
    w.multiline(0, "Labels", &labels_list(s.metadata.labels.as_ref()));
    w.multiline(
        0,
        "Annotations",
        &annotations_list(s.metadata.annotations.as_ref()),
    );
    let sel = labels_list(spec.and_then(|s| s.selector.as_ref()));
    w.line(
        0,
        &format!(
            "Selector:\t{}",
            if sel.is_empty() {
                "<none>".into()
            } else {
                sel.join(",")
            }
        ),
    );
    w.line(
        0,
        &format!(
            "Type:\t{}",
            spec.and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP")
        ),
    );
    w.line(
        0,
        &format!(
            "IP Family Policy:\t{}",
            spec.and_then(|s| s.ip_family_policy.as_deref())
                .unwrap_or("SingleStack")
        ),
    );
    w.line(
        0,
        &format!(
            "IP Families:\t{}",
            spec.and_then(|s| s.ip_families.as_ref())
                .map_or_else(|| "IPv4".into(), |f| f.join(","))
        ),
    );
    let ip = spec
        .and_then(|s| s.cluster_ip.as_deref())
        .unwrap_or_default();
    w.line(0, &format!("IP:\t{ip}"));
    w.line(
        0,
        &format!(
            "IPs:\t{}",
            spec.and_then(|s| s.cluster_ips.as_ref())
                .map_or_else(|| ip.to_string(), |f| f.join(","))
        ),
    );
    let ns = s.metadata.namespace.as_deref().unwrap_or_default();
    let name = s.metadata.name.as_deref().unwrap_or_default();
    let ep = store.get::<k8s_openapi::api::core::v1::Endpoints>(ns, name);
    for p in spec.and_then(|s| s.ports.as_deref()).unwrap_or_default() {
        let pname = p
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<unset>".into());
        let proto = p.protocol.as_deref().unwrap_or("TCP");
        w.line(0, &format!("Port:\t{pname}  {}/{proto}", p.port));
        let tp = p
            .target_port
            .as_ref()
            .map(|t| match t {
                k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i) => i.to_string(),
                k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.clone(),
            })
            .unwrap_or_else(|| p.port.to_string());
        w.line(0, &format!("TargetPort:\t{tp}/{proto}"));
        let mut addrs: Vec<String> = Vec::new();
        for ss in ep.and_then(|e| e.subsets.as_deref()).unwrap_or_default() {
            for a in ss.addresses.as_deref().unwrap_or_default() {
                addrs.push(format!("{}:{tp}", a.ip));
            }
        }
        w.line(0, &format!("Endpoints:\t{}", addrs.join(",")));
    }
    w.line(
        0,
        &format!(
            "Session Affinity:\t{}",
            spec.and_then(|s| s.session_affinity.as_deref())
                .unwrap_or("None")
        ),
    );
    w.line(
        0,
        &format!(
            "Internal Traffic Policy:\t{}",
            spec.and_then(|s| s.internal_traffic_policy.as_deref())
                .unwrap_or("Cluster")
        ),
    );
    events(&mut w, store, "Service", &s.metadata, now);
    w.take()
}

/// `describeStorageClass`.
pub fn storageclass(store: &Store, sc: &StorageClass, now: SimTime) -> String {
    let mut w = W::new();
    w.line(
        0,
        &format!("Name:\t{}", sc.metadata.name.as_deref().unwrap_or_default()),
    );
    w.line(
        0,
        &format!(
            "IsDefaultClass:\t{}",
            if is_default_class(sc) { "Yes" } else { "No" }
        ),
    );
    w.multiline(
        0,
        "Annotations",
        &annotations_list(sc.metadata.annotations.as_ref())
            .iter()
            .map(|a| a.replacen(": ", "=", 1))
            .collect::<Vec<_>>(),
    );
    w.line(0, &format!("Provisioner:\t{}", sc.provisioner));
    let params = labels_list(sc.parameters.as_ref());
    w.line(
        0,
        &format!(
            "Parameters:\t{}",
            if params.is_empty() {
                "<none>".into()
            } else {
                params.join(",")
            }
        ),
    );
    w.line(
        0,
        &format!(
            "AllowVolumeExpansion:\t{}",
            sc.allow_volume_expansion
                .map_or("<unset>".to_string(), |b| b.to_string())
        ),
    );
    w.line(
        0,
        &format!(
            "MountOptions:\t{}",
            sc.mount_options
                .as_ref()
                .filter(|m| !m.is_empty())
                .map_or("<none>".to_string(), |m| m.join(", "))
        ),
    );
    w.line(
        0,
        &format!(
            "ReclaimPolicy:\t{}",
            sc.reclaim_policy.as_deref().unwrap_or("Delete")
        ),
    );
    w.line(
        0,
        &format!(
            "VolumeBindingMode:\t{}",
            sc.volume_binding_mode.as_deref().unwrap_or("Immediate")
        ),
    );
    events(&mut w, store, "StorageClass", &sc.metadata, now);
    w.take()
}

/// `describeNode` (the parts the playground models).
pub fn node(store: &Store, n: &Node, now: SimTime) -> String {
    let mut w = W::new();
    let name = n.metadata.name.as_deref().unwrap_or_default();
    w.line(0, &format!("Name:\t{name}"));
    let roles: Vec<String> = n
        .metadata
        .labels
        .as_ref()
        .map(|l| {
            l.keys()
                .filter_map(|k| {
                    k.strip_prefix("node-role.kubernetes.io/")
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    w.line(
        0,
        &format!(
            "Roles:\t{}",
            if roles.is_empty() {
                "<none>".into()
            } else {
                roles.join(",")
            }
        ),
    );
    w.multiline(0, "Labels", &labels_list(n.metadata.labels.as_ref()));
    w.multiline(
        0,
        "Annotations",
        &annotations_list(n.metadata.annotations.as_ref()),
    );
    if let Some(t) = &n.metadata.creation_timestamp {
        w.line(0, &format!("CreationTimestamp:\t{}", rfc1123z(t)));
    }
    let taints: Vec<String> = n
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .map(|ts| {
            ts.iter()
                .map(|t| match &t.value {
                    Some(v) if !v.is_empty() => format!("{}={v}:{}", t.key, t.effect),
                    _ => format!("{}:{}", t.key, t.effect),
                })
                .collect()
        })
        .unwrap_or_default();
    w.multiline(0, "Taints", &taints);
    w.line(
        0,
        &format!(
            "Unschedulable:\t{}",
            n.spec
                .as_ref()
                .and_then(|s| s.unschedulable)
                .unwrap_or(false)
        ),
    );
    let conds = n
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_deref())
        .unwrap_or_default();
    if !conds.is_empty() {
        // `describeNode`: each cell but the last is followed by a space before its tab.
        let when = |t: Option<&Time>| t.map(rfc1123z).unwrap_or_else(|| "<unknown>".into());
        w.line(0, "Conditions:");
        w.line(
            1,
            "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage",
        );
        w.line(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------",
        );
        for c in conds {
            w.line(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}",
                    c.type_,
                    c.status,
                    when(c.last_heartbeat_time.as_ref()),
                    when(c.last_transition_time.as_ref()),
                    c.reason.as_deref().unwrap_or_default(),
                    c.message.as_deref().unwrap_or_default()
                ),
            );
        }
    }
    let addrs = n
        .status
        .as_ref()
        .and_then(|s| s.addresses.as_deref())
        .unwrap_or_default();
    w.line(0, "Addresses:");
    for a in addrs {
        w.line(1, &format!("{}:\t{}", a.type_, a.address));
    }
    let res_lines = |w: &mut W, title: &str, m: Option<&BTreeMap<String, Quantity>>| {
        if let Some(m) = m {
            w.line(0, &format!("{title}:"));
            for (k, v) in m {
                w.line(1, &format!("{k}:\t{}", v.0));
            }
        }
    };
    let status = n.status.as_ref();
    res_lines(&mut w, "Capacity", status.and_then(|s| s.capacity.as_ref()));
    let no_allocatable = BTreeMap::new();
    let allocatable = status
        .and_then(|s| s.allocatable.as_ref())
        .unwrap_or(&no_allocatable);
    res_lines(
        &mut w,
        "Allocatable",
        status.and_then(|s| s.allocatable.as_ref()),
    );
    if let Some(i) = status.and_then(|s| s.node_info.as_ref()) {
        w.line(0, "System Info:");
        for (k, v) in [
            ("Machine ID", &i.machine_id),
            ("System UUID", &i.system_uuid),
            ("Boot ID", &i.boot_id),
            ("Kernel Version", &i.kernel_version),
            ("OS Image", &i.os_image),
            ("Operating System", &i.operating_system),
            ("Architecture", &i.architecture),
            ("Container Runtime Version", &i.container_runtime_version),
            ("Kubelet Version", &i.kubelet_version),
        ] {
            w.line(1, &format!("{k}:\t{v}"));
        }
        // The deprecated kubeProxyVersion is only printed when a node still reports it.
        if !i.kube_proxy_version.is_empty() {
            w.line(1, &format!("Kube-Proxy Version:\t{}", i.kube_proxy_version));
        }
    }
    if let Some(spec) = n.spec.as_ref() {
        if let Some(c) = spec.pod_cidr.as_deref().filter(|c| !c.is_empty()) {
            w.line(0, &format!("PodCIDR:\t{c}"));
        }
        if let Some(c) = spec.pod_cidrs.as_ref().filter(|c| !c.is_empty()) {
            w.line(0, &format!("PodCIDRs:\t{}", c.join(",")));
        }
        if let Some(p) = spec.provider_id.as_deref().filter(|p| !p.is_empty()) {
            w.line(0, &format!("ProviderID:\t{p}"));
        }
    }
    // `describeNodeResource`: the node's pods that are not Succeeded/Failed, in list order.
    let pods: Vec<&Pod> = store
        .list::<Pod>(None)
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(name))
        .filter(|p| {
            !matches!(
                p.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            )
        })
        .collect();
    w.line(
        0,
        &format!("Non-terminated Pods:\t({} in total)", pods.len()),
    );
    w.line(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge",
    );
    w.line(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---",
    );
    let alloc = |r: &str| {
        allocatable
            .get(r)
            .and_then(|q| qty::parse(&q.0))
            .map_or(0, |q| q.milli)
    };
    let cell = |q: qty::Q, r: &str| format!("{q} ({}%)", qty::percent(q.milli, alloc(r)));
    // The summed resources' (requests, limits), in the order of `SUMMED`.
    const SUMMED: [&str; 5] = [
        "cpu",
        "memory",
        "ephemeral-storage",
        "hugepages-1Gi",
        "hugepages-2Mi",
    ];
    let mut total = [(qty::Q::default(), qty::Q::default()); 5];
    for p in pods {
        let (req, lim) = qty::pod_requests_and_limits(p);
        let get = |m: &BTreeMap<String, qty::Q>, r: &str| m.get(r).copied().unwrap_or_default();
        for ((rq, lm), r) in total.iter_mut().zip(SUMMED) {
            *rq = rq.plus(get(&req, r));
            *lm = lm.plus(get(&lim, r));
        }
        w.line(
            1,
            &format!(
                "{}\t{}\t\t{}\t{}\t{}\t{}\t{}",
                p.metadata.namespace.as_deref().unwrap_or_default(),
                p.metadata.name.as_deref().unwrap_or_default(),
                cell(get(&req, "cpu"), "cpu"),
                cell(get(&lim, "cpu"), "cpu"),
                cell(get(&req, "memory"), "memory"),
                cell(get(&lim, "memory"), "memory"),
                age(p.metadata.creation_timestamp.as_ref(), now)
            ),
        );
    }
    w.line(0, "Allocated resources:");
    w.line(
        1,
        "(Total limits may be over 100 percent, i.e., overcommitted.)",
    );
    w.line(1, "Resource\tRequests\tLimits");
    w.line(1, "--------\t--------\t------");
    let mut rows = vec!["cpu", "memory", "ephemeral-storage"];
    rows.extend(
        allocatable
            .keys()
            .filter(|k| k.starts_with("hugepages-"))
            .map(String::as_str),
    );
    for r in rows {
        let (rq, lm) = SUMMED
            .iter()
            .zip(total)
            .find(|(n, _)| **n == r)
            .map_or_else(Default::default, |(_, t)| t);
        w.line(1, &format!("{r}\t{}\t{}", cell(rq, r), cell(lm, r)));
    }
    events(&mut w, store, "Node", &n.metadata, now);
    w.take()
}

/// `describePodDisruptionBudgetV1` (kubectl `pkg/describe/describe.go`).
pub fn pdb(
    store: &Store,
    p: &k8s_openapi::api::policy::v1::PodDisruptionBudget,
    now: SimTime,
) -> String {
    let mut w = W::new();
    let m = &p.metadata;
    w.line(0, &format!("Name:\t{}", m.name.as_deref().unwrap_or("")));
    w.line(
        0,
        &format!("Namespace:\t{}", m.namespace.as_deref().unwrap_or("")),
    );
    let mut spec_d = None;
    let spec = or_default(&p.spec, &mut spec_d);
    if spec.min_available.is_some() {
        w.line(
            0,
            &format!(
                "Min available:\t{}",
                crate::printers::int_or_string(spec.min_available.as_ref())
            ),
        );
    } else if spec.max_unavailable.is_some() {
        w.line(
            0,
            &format!(
                "Max unavailable:\t{}",
                crate::printers::int_or_string(spec.max_unavailable.as_ref())
            ),
        );
    }
    let sel = spec.selector.as_ref().map_or("<unset>".into(), |s| {
        crate::printers::label_selector_string(s, true)
    });
    w.line(0, &format!("Selector:\t{sel}"));
    w.line(0, "Status:");
    let mut st_d = None;
    let st = or_default(&p.status, &mut st_d);
    w.line(
        2,
        &format!("Allowed disruptions:\t{}", st.disruptions_allowed),
    );
    w.line(2, &format!("Current:\t{}", st.current_healthy));
    w.line(2, &format!("Desired:\t{}", st.desired_healthy));
    w.line(2, &format!("Total:\t{}", st.expected_pods));
    events(&mut w, store, "PodDisruptionBudget", m, now);
    w.take()
}

/// Name/Namespace/Labels/Annotations + Events for kinds without a dedicated describer here.
pub fn generic(store: &Store, kind: &str, meta: &ObjectMeta, now: SimTime) -> String {
    let mut w = W::new();
    w.line(
        0,
        &format!("Name:\t{}", meta.name.as_deref().unwrap_or_default()),
    );
    if let Some(ns) = &meta.namespace {
        w.line(0, &format!("Namespace:\t{ns}"));
    }
    w.multiline(0, "Labels", &labels_list(meta.labels.as_ref()));
    w.multiline(
        0,
        "Annotations",
        &annotations_list(meta.annotations.as_ref()),
    );
    events(&mut w, store, kind, meta, now);
    w.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The probe's scheme is lowercased as Go's `strings.ToLower` does (per rune; no final-sigma
    /// rule: a `Σ` ending the scheme prints as `σ`).
    #[test]
    fn probe_scheme_lowercased() {
        let probe = |scheme: &str| k8s_openapi::api::core::v1::Probe {
            http_get: Some(k8s_openapi::api::core::v1::HTTPGetAction {
                scheme: Some(scheme.into()),
                port: IntOrString::Int(80),
                path: Some("/healthz".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let tail = "delay=0s timeout=1s period=10s #success=1 #failure=3";
        for (scheme, shown) in [
            ("HTTPS", "https"),
            ("HTTPÉ", "httpé"),
            ("\u{212A}", "k"),
            ("HTTPΣ", "httpσ"),
        ] {
            assert_eq!(
                describe_probe(&probe(scheme)),
                format!("http-get {shown}://:80/healthz {tail}")
            );
        }
    }
    use k8s_openapi::api::core::v1::{EventSource, ObjectReference};
    use sim::time::to_k8s_time;

    fn ev(reason: &str, msg: &str, from: &str, at: SimTime, rv: u64) -> Event {
        Event {
            metadata: ObjectMeta {
                name: Some(format!("e{rv}")),
                namespace: Some("default".into()),
                resource_version: Some(rv.to_string()),
                ..Default::default()
            },
            involved_object: ObjectReference {
                kind: Some("PersistentVolumeClaim".into()),
                name: Some("data-x-0".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            reason: Some(reason.into()),
            message: Some(msg.into()),
            type_: Some("Normal".into()),
            count: Some(1),
            first_timestamp: Some(to_k8s_time(at)),
            last_timestamp: Some(to_k8s_time(at)),
            source: Some(EventSource {
                component: Some(from.into()),
                host: None,
            }),
            ..Default::default()
        }
    }

    /// describe.go `describePod`: `Terminating (lasts %s)` is
    /// `translateTimestampSince(*pod.DeletionTimestamp)`; a pod's deletionTimestamp is the
    /// request plus the grace period, so during the grace period kubectl prints `<invalid>`
    /// (kubernetes PR #74789 changed Until to Since); a Succeeded or Failed pod shows its phase.
    #[test]
    fn pod_terminating_lasts_since_the_deletion_timestamp() {
        let store = Store::new();
        let mut p = Pod {
            metadata: ObjectMeta {
                name: Some("web-0".into()),
                namespace: Some("default".into()),
                deletion_timestamp: Some(to_k8s_time(40_000)),
                deletion_grace_period_seconds: Some(30),
                ..Default::default()
            },
            status: Some(k8s_openapi::api::core::v1::PodStatus {
                phase: Some("Running".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let status = |p: &Pod, now| {
            pod(&store, p, now)
                .lines()
                .filter(|l| l.starts_with("Status:") || l.starts_with("Termination"))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        // Deleted at 10s with a 30s grace period; 5s later the deadline is 25s ahead.
        assert_eq!(
            status(&p, 15_000),
            [
                "Status:                    Terminating (lasts <invalid>)",
                "Termination Grace Period:  30s"
            ]
        );
        assert_eq!(
            status(&p, 40_500)[0],
            "Status:                    Terminating (lasts 0s)"
        );
        assert_eq!(
            status(&p, 100_000)[0],
            "Status:                    Terminating (lasts 60s)"
        );
        p.status.as_mut().unwrap().phase = Some("Succeeded".into());
        assert_eq!(status(&p, 100_000), ["Status:       Succeeded"]);
    }

    #[test]
    fn pvc_describe_layout_with_terminating_status() {
        let mut store = Store::new();
        let c = PersistentVolumeClaim {
            metadata: ObjectMeta {
                name: Some("data-x-0".into()),
                namespace: Some("default".into()),
                finalizers: Some(vec!["kubernetes.io/pvc-protection".into()]),
                labels: Some([("app".to_string(), "nginx".to_string())].into()),
                deletion_timestamp: Some(to_k8s_time(10_000)),
                deletion_grace_period_seconds: Some(0),
                ..Default::default()
            },
            spec: Some(k8s_openapi::api::core::v1::PersistentVolumeClaimSpec {
                storage_class_name: Some("standard".into()),
                volume_name: Some("pvc-1".into()),
                volume_mode: Some("Filesystem".into()),
                ..Default::default()
            }),
            status: Some(k8s_openapi::api::core::v1::PersistentVolumeClaimStatus {
                phase: Some("Bound".into()),
                access_modes: Some(vec!["ReadWriteOnce".into()]),
                capacity: Some(
                    [(
                        "storage".to_string(),
                        k8s_openapi::apimachinery::pkg::api::resource::Quantity("100Mi".into()),
                    )]
                    .into(),
                ),
                ..Default::default()
            }),
        };
        store.events.insert(
            ("default".into(), "e1".into()),
            std::sync::Arc::new(ev(
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding",
                "persistentvolume-controller",
                0,
                1,
            )),
        );
        let out = pvc(&store, &c, 22_000);
        assert_eq!(
            out,
            "Name:          data-x-0\n\
             Namespace:     default\n\
             StorageClass:  standard\n\
             Status:        Terminating (lasts 12s)\n\
             Volume:        pvc-1\n\
             Labels:        app=nginx\n\
             Annotations:   <none>\n\
             Finalizers:    [kubernetes.io/pvc-protection]\n\
             Capacity:      100Mi\n\
             Access Modes:  RWO\n\
             VolumeMode:    Filesystem\n\
             Used By:       <none>\n\
             Events:\n  \
             Type    Reason                Age   From                         Message\n  \
             ----    ------                ----  ----                         -------\n  \
             Normal  WaitForFirstConsumer  22s   persistentvolume-controller  waiting for first consumer to be created before binding\n"
        );
    }

    #[test]
    fn no_events_aligns_with_the_block_above() {
        let store = Store::new();
        let meta = ObjectMeta {
            name: Some("x".into()),
            namespace: Some("default".into()),
            ..Default::default()
        };
        assert_eq!(
            generic(&store, "ConfigMap", &meta, 0),
            "Name:         x\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\nEvents:       <none>\n"
        );
    }
}

#[cfg(test)]
mod selector_tests {
    use super::*;
    use k8s_openapi::api::apps::v1::StatefulSetSpec;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};

    /// describe.go StatefulSetDescriber prints `metav1.LabelSelectorAsSelector(ps.Spec.Selector)`:
    /// labels.Selector's String() sorts the requirements by key and each requirement's values
    /// (apimachinery `labels/selector.go`), whatever order the manifest wrote them in.
    #[test]
    fn statefulset_selector_is_sorted_like_labels_selector_string() {
        let s = StatefulSet {
            metadata: ObjectMeta {
                name: Some("web".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            spec: Some(StatefulSetSpec {
                selector: LabelSelector {
                    match_labels: Some([("app".to_string(), "web".to_string())].into()),
                    match_expressions: Some(vec![LabelSelectorRequirement {
                        key: "a-tier".into(),
                        operator: "In".into(),
                        values: Some(vec!["z".into(), "y".into()]),
                    }]),
                },
                ..Default::default()
            }),
            ..Default::default()
        };
        let out = statefulset(&Store::new(), &s, 0);
        let line = out.lines().find(|l| l.starts_with("Selector:"));
        assert_eq!(
            line.map(|l| l.trim_start_matches("Selector:").trim()),
            Some("a-tier in (y,z),app=web"),
            "{out}"
        );
    }
}
