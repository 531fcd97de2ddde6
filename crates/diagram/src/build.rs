//! Cluster state → [`Graph`].
//!
//! One [`Group`] per StatefulSet in the namespace, in name order. A group's rows are the
//! union of the ordinals the set wants (`spec.ordinals.start` .. + `replicas`), the ordinals of
//! the pods it still has (condemned, terminating) and the ordinals of the claims its templates
//! left behind (a retained claim keeps its row after a scale-down: the point of "sticky").
//! So a row never depends on whether its pod exists right now, and a deleted and recreated
//! pod comes back to the same row.
//!
//! Big sets are drawn in bounded size: up to [`Options::full_rows`] rows one per ordinal;
//! beyond that the first [`Options::head_rows`] ordinals, a few notable ones (waiting,
//! failing, being replaced) and ranges of the rest (`web-100 … web-999: 900 Running`).
//!
//! Then one [`Group`] per Deployment (`deployment.rs`, issue 18's contrast): its head is the
//! Deployment, its `subheads` are its ReplicaSets and its rows hang off them (`Row::owner`),
//! without ordinals; layout, scene, SVG and mermaid draw any group.

use sim::sort::Sort as _;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use sim::Cluster;
use sim::k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use sim::k8s_openapi::api::core::v1::{
    Node, PersistentVolume, PersistentVolumeClaim, Pod, Service,
};

use crate::graph::{
    Aggregate, ClaimSlot, EdgeKind, Graph, Group, Kind, NodeId, Obj, Revision, RevisionRole, Row,
    Status,
};

/// Whether cluster nodes are drawn as lanes of the pod column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lanes {
    /// Lanes when the cluster has more than one node.
    Auto,
    On,
    Off,
}

/// Size limits of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// A group with at most this many rows draws one row per ordinal.
    pub full_rows: usize,
    /// An aggregated group draws its first `head_rows` ordinals one by one…
    pub head_rows: usize,
    /// …then at most this many notable ordinals (waiting, failing, starting, terminating)…
    pub max_pinned: usize,
    /// …and the rest as at most about this many ranges.
    pub max_ranges: usize,
    pub lanes: Lanes,
    /// At most this many per-object `why` look-ups per group (pods and claims not Ready).
    pub max_why: usize,
}

impl Default for Options {
    /// The picture: readable rows up to 300 pods, ranges beyond.
    fn default() -> Self {
        Options {
            full_rows: 300,
            head_rows: 100,
            max_pinned: 8,
            max_ranges: 24,
            lanes: Lanes::Auto,
            max_why: 200,
        }
    }
}

impl Options {
    /// For mermaid text: mermaid refuses more than 500 edges by default (`maxEdges`), and a
    /// row has four (owns, selects, mounts, bound-to), so ranges start after 100 rows.
    pub fn mermaid() -> Self {
        Options {
            full_rows: 100,
            ..Options::default()
        }
    }
}

/// Ordinal of `<set>-<n>` (upstream `getParentNameAndOrdinal`, for this parent only).
pub(crate) fn ordinal_in(parent: &str, name: &str) -> Option<u32> {
    let digits = name.strip_prefix(parent)?.strip_prefix('-')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Build the picture of every StatefulSet in `ns`.
pub fn build(cluster: &Cluster, ns: &str, opts: &Options) -> Graph {
    let store = cluster.store();
    let mut g = Graph {
        namespace: ns.to_string(),
        ..Graph::default()
    };
    let lanes = lanes(cluster, ns, opts, &mut g);
    // One pass over the namespace's pods and claims for all sets.
    let pods: Vec<&Pod> = store.list::<Pod>(Some(ns)).collect();
    let claims: Vec<&PersistentVolumeClaim> =
        store.list::<PersistentVolumeClaim>(Some(ns)).collect();
    for set in store.list::<StatefulSet>(Some(ns)) {
        statefulset_group(cluster, ns, set, &pods, &claims, &lanes, opts, &mut g);
    }
    // Then each Deployment, its ReplicaSets and their pods (issue 18's contrast).
    for d in store.list::<Deployment>(Some(ns)) {
        crate::deployment::deployment_group(cluster, ns, d, &pods, &claims, &lanes, opts, &mut g);
    }
    g
}

/// Lane index per cluster node name.
fn lanes(cluster: &Cluster, ns: &str, opts: &Options, g: &mut Graph) -> HashMap<String, usize> {
    let all: Vec<&Node> = cluster.store().list::<Node>(None).collect();
    let on = match opts.lanes {
        Lanes::On => true,
        Lanes::Off => false,
        Lanes::Auto => all.len() > 1,
    };
    let mut out = HashMap::new();
    if !on {
        return out;
    }
    // A node no pod can land on (kind's control plane in a multi-node cluster: NoSchedule)
    // gets no lane unless a pod of the namespace runs there anyway.
    let used: BTreeSet<&str> = sim::sort::to_set(
        cluster
            .store()
            .list::<Pod>(Some(ns))
            .filter_map(|p| p.spec.as_ref()?.node_name.as_deref()),
    );
    let nodes = all.into_iter().filter(|n| {
        let name = n.metadata.name.as_deref().unwrap_or("");
        let tainted = n
            .spec
            .as_ref()
            .and_then(|s| s.taints.as_ref())
            .is_some_and(|t| t.iter().any(|t| t.effect == "NoSchedule"));
        !tainted || used.contains(name)
    });
    for n in nodes {
        let name = n.metadata.name.clone().unwrap_or_default();
        let up = cluster.node_up(&name).unwrap_or(true);
        let ready = n
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
            .is_some_and(|c| c.status == "True");
        let (status, detail) = if n.metadata.deletion_timestamp.is_some() {
            (Status::Terminating, "Terminating")
        } else if !up {
            (Status::Failing, "down")
        } else if ready {
            (Status::Ready, "Ready")
        } else {
            (Status::Unready, "NotReady")
        };
        let id = g.add(Obj::new(
            format!("node/{name}"),
            Kind::Node,
            name.clone(),
            status,
            detail.into(),
        ));
        out.insert(name, g.lanes.len());
        g.lanes.push(id);
    }
    out
}

/// What one ordinal has.
struct Slot<'a> {
    ord: u32,
    wanted: bool,
    pod: Option<&'a Pod>,
    /// Per claim template, in template order.
    claims: Vec<Option<&'a PersistentVolumeClaim>>,
    pod_status: Status,
    claim_status: Status,
    role: Option<RevisionRole>,
}

/// The facts of a set the rows need.
struct SetFacts<'a> {
    name: &'a str,
    start: u32,
    replicas: u32,
    ordered: bool,
    templates: Vec<&'a str>,
    current: String,
    update: String,
}

impl SetFacts<'_> {
    fn wants(&self, ord: u32) -> bool {
        ord >= self.start && ord - self.start < self.replicas
    }

    fn claim_name(&self, template: &str, ord: u32) -> String {
        format!("{template}-{}-{ord}", self.name)
    }

    fn role(&self, pod: &Pod) -> Option<RevisionRole> {
        let rev = pod_revision(pod)?;
        Some(if rev == self.update {
            if self.current == self.update {
                RevisionRole::Current
            } else {
                RevisionRole::New
            }
        } else {
            RevisionRole::Old
        })
    }

    fn revision(&self, pod: &Pod) -> Option<Revision> {
        let rev = pod_revision(pod)?;
        Some(Revision {
            hash: short_hash(self.name, rev),
            role: self.role(pod)?,
        })
    }
}

fn pod_revision(pod: &Pod) -> Option<&str> {
    pod.metadata
        .labels
        .as_ref()?
        .get("controller-revision-hash")
        .map(String::as_str)
}

/// `web-5d8c8f6b9` → `5d8c8f6b9` (the ControllerRevision name is `<set>-<hash>`).
fn short_hash(set: &str, rev: &str) -> String {
    rev.strip_prefix(set)
        .and_then(|r| r.strip_prefix('-'))
        .unwrap_or(rev)
        .to_string()
}

/// A pod's status from kubectl's STATUS and READY columns.
pub(crate) fn pod_status(pod: &Pod, status: &str, ready: &str) -> Status {
    if pod.metadata.deletion_timestamp.is_some() || status == "Terminating" {
        return Status::Terminating;
    }
    let failing = status.contains("BackOff")
        || status.contains("Err")
        || status.contains("Error")
        || status.contains("OOMKilled")
        || matches!(
            status,
            "Failed" | "Unknown" | "NodeLost" | "Evicted" | "ContainerStatusUnknown"
        );
    if failing {
        return Status::Failing;
    }
    if status == "Running" {
        let all = ready
            .split_once('/')
            .is_some_and(|(a, b)| a == b && b != "0");
        return if all { Status::Ready } else { Status::Unready };
    }
    Status::Progressing
}

fn claim_phase(c: &PersistentVolumeClaim) -> &str {
    c.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Pending")
}

pub(crate) fn claim_status(c: &PersistentVolumeClaim, retained: bool) -> Status {
    if c.metadata.deletion_timestamp.is_some() {
        return Status::Terminating;
    }
    match claim_phase(c) {
        "Bound" if retained => Status::Retained,
        "Bound" => Status::Ready,
        "Lost" => Status::Failing,
        _ => Status::Progressing,
    }
}

pub(crate) fn claim_detail(c: &PersistentVolumeClaim) -> String {
    if c.metadata.deletion_timestamp.is_some() {
        return "Terminating".into();
    }
    let phase = claim_phase(c);
    match c
        .status
        .as_ref()
        .and_then(|s| s.capacity.as_ref())
        .and_then(|m| m.get("storage"))
    {
        Some(q) => format!("{phase} {}", q.0),
        None => phase.to_string(),
    }
}

/// The node a local volume lives on (its required node affinity).
fn volume_node(pv: &PersistentVolume) -> Option<&str> {
    pv.spec
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required
        .as_ref()?
        .node_selector_terms
        .iter()
        .flat_map(|t| t.match_expressions.iter().flatten())
        .find(|e| e.key == "kubernetes.io/hostname")
        .and_then(|e| e.values.as_ref())
        .and_then(|v| v.first())
        .map(String::as_str)
}

fn worst(statuses: impl Iterator<Item = Status>) -> Option<Status> {
    statuses.max_by_key(|s| s.urgency())
}

/// Whether the service's selector matches the pod's labels (a Service selects by equality).
fn selects(svc: &Service, pod: &Pod) -> bool {
    let Some(sel) = svc.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
        return false;
    };
    if sel.is_empty() {
        return false;
    }
    let labels = pod.metadata.labels.as_ref();
    sel.iter()
        .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
}

/// Sentences of `sim why` keyed by the object they are about (their first word).
fn by_subject(sentences: Vec<String>) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for s in sentences {
        let subject = s.split(' ').next().unwrap_or("").to_string();
        out.entry(subject).or_default().push(s);
    }
    out
}

/// How much work a set-level `sim why` may cost (missing pods × pods) before the builder
/// asks per object instead: with no controller wait and not all Ready, `why` explains every
/// wanted pod, and each missing one costs a pass over the pods.
const WHY_BUDGET: usize = 2_000_000;

#[allow(clippy::too_many_arguments)]
fn statefulset_group(
    cluster: &Cluster,
    ns: &str,
    set: &StatefulSet,
    pods: &[&Pod],
    claims: &[&PersistentVolumeClaim],
    lanes: &HashMap<String, usize>,
    opts: &Options,
    g: &mut Graph,
) {
    let store = cluster.store();
    let name = set.metadata.name.as_deref().unwrap_or("");
    let spec = set.spec.as_ref();
    let status = set.status.as_ref();
    let gate = cluster.controller_config().gates.statefulset_start_ordinal;
    let start = if gate {
        spec.and_then(|s| s.ordinals.as_ref())
            .and_then(|o| o.start)
            .unwrap_or(0)
            .max(0) as u32
    } else {
        0
    };
    // The controller caps replicas (sim's MAX_REPLICAS); so does the picture.
    let replicas = spec.and_then(|s| s.replicas).unwrap_or(1).clamp(0, 100_000) as u32;
    let policy = spec
        .and_then(|s| s.pod_management_policy.as_deref())
        .unwrap_or("OrderedReady");
    let current = status
        .and_then(|s| s.current_revision.clone())
        .unwrap_or_default();
    let update = status
        .and_then(|s| s.update_revision.clone())
        .unwrap_or_else(|| current.clone());
    let facts = SetFacts {
        name,
        start,
        replicas,
        ordered: policy == "OrderedReady",
        templates: spec
            .and_then(|s| s.volume_claim_templates.as_ref())
            .map(|t| {
                t.iter()
                    .map(|c| c.metadata.name.as_deref().unwrap_or(""))
                    .collect()
            })
            .unwrap_or_default(),
        current,
        update,
    };

    // --- slots by ordinal -----------------------------------------------------------------
    let set_uid = set.metadata.uid.as_deref();
    let mut by_ord: BTreeMap<u32, Slot> = BTreeMap::new();
    let slot = |ord: u32, facts: &SetFacts| Slot {
        ord,
        wanted: facts.wants(ord),
        pod: None,
        claims: vec![None; facts.templates.len()],
        pod_status: Status::Missing,
        claim_status: Status::Missing,
        role: None,
    };
    for ord in start..start.saturating_add(replicas) {
        by_ord.insert(ord, slot(ord, &facts));
    }
    for p in pods {
        let Some(ord) = p.metadata.name.as_deref().and_then(|n| ordinal_in(name, n)) else {
            continue;
        };
        // Owned by this set, or by no controller (an orphan the set may adopt).
        let controller = p
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true));
        let ours = controller.is_none_or(|o| {
            o.kind == "StatefulSet" && o.name == name && set_uid.is_none_or(|u| u == o.uid)
        });
        if ours {
            by_ord.entry(ord).or_insert_with(|| slot(ord, &facts)).pod = Some(p);
        }
    }
    for c in claims {
        let Some(cname) = c.metadata.name.as_deref() else {
            continue;
        };
        for (i, t) in facts.templates.iter().enumerate() {
            let Some(ord) = cname
                .strip_prefix(t)
                .and_then(|r| r.strip_prefix('-'))
                .and_then(|r| ordinal_in(name, r))
            else {
                continue;
            };
            let s = by_ord.entry(ord).or_insert_with(|| slot(ord, &facts));
            if let Some(place) = s.claims.get_mut(i) {
                *place = Some(c);
            }
        }
    }
    let now = cluster.now();
    let mut columns: HashMap<u32, sim::podstatus::PodColumns> = HashMap::new();
    for s in by_ord.values_mut() {
        if let Some(p) = s.pod {
            let cols = sim::podstatus::columns(p, now);
            s.pod_status = pod_status(p, &cols.status, &cols.ready);
            s.role = facts.role(p);
            columns.insert(s.ord, cols);
        }
        let retained = s.pod.is_none() && !s.wanted;
        s.claim_status = worst(s.claims.iter().map(|c| match c {
            Some(c) => claim_status(c, retained),
            None => Status::Missing,
        }))
        .unwrap_or(Status::Ready);
    }

    // --- why ---------------------------------------------------------------------------------
    let waits = sim::controller::explain::explain_at(
        store,
        ns,
        name,
        cluster.controller_config(),
        Some(now),
    );
    let missing = by_ord
        .values()
        .filter(|s| s.pod.is_none() && s.wanted)
        .count();
    let ready_all = by_ord
        .values()
        .filter(|s| s.wanted)
        .all(|s| s.pod_status == Status::Ready);
    let heavy = waits.is_empty() && !ready_all && missing.saturating_mul(pods.len()) > WHY_BUDGET;
    let mut why = if heavy {
        HashMap::new()
    } else {
        by_subject(
            cluster
                .why("statefulset", ns, name)
                .into_iter()
                .filter(|s| !s.contains(" is not waiting: ") && !s.contains("is Running and Ready"))
                .collect(),
        )
    };
    // Pods the controller is holding back or waiting for are notable.
    let waiting: BTreeSet<String> = sim::sort::to_set(why.keys().cloned());

    // --- head column -------------------------------------------------------------------------
    let ready = status.and_then(|s| s.ready_replicas).unwrap_or(0).max(0);
    let set_status = if set.metadata.deletion_timestamp.is_some() {
        Status::Terminating
    } else if ready as u32 == replicas
        && facts.current == facts.update
        && by_ord.values().all(|s| s.wanted == s.pod.is_some())
    {
        Status::Ready
    } else {
        Status::Progressing
    };
    let mut head = Obj::new(
        format!("sts/{name}"),
        Kind::StatefulSet,
        name.to_string(),
        set_status,
        format!("{ready}/{replicas} ready · {policy}"),
    );
    let short = |r: &str| short_hash(name, r).chars().take(7).collect::<String>();
    if !facts.update.is_empty() {
        head.line3 = Some(
            if facts.current == facts.update || facts.current.is_empty() {
                format!("revision {}", short(&facts.update))
            } else {
                format!(
                    "updating {} → {}",
                    short(&facts.current),
                    short(&facts.update)
                )
            },
        );
    }
    head.why = why.remove(name).unwrap_or_default();
    // A sentence about no pod ("the StatefulSet is being deleted: …") is the set's.
    for key in why
        .keys()
        .filter(|k| !k.starts_with(name))
        .cloned()
        .collect::<Vec<_>>()
    {
        if let Some(s) = why.remove(&key) {
            head.why.extend(s);
        }
    }
    head.facts = set_facts(set, &facts, policy);
    let head = g.add(head);

    let service = spec
        .and_then(|s| s.service_name.as_deref())
        .filter(|s| !s.is_empty())
        .map(|svc_name| {
            let svc = store.get::<Service>(ns, svc_name);
            let headless = svc
                .and_then(|s| s.spec.as_ref())
                .and_then(|s| s.cluster_ip.as_deref())
                == Some("None");
            let (status, detail) = match svc {
                None => (Status::Missing, "not created".to_string()),
                Some(s) if s.metadata.deletion_timestamp.is_some() => {
                    (Status::Terminating, "Terminating".into())
                }
                Some(_) if headless => (Status::Ready, "headless".into()),
                Some(s) => (
                    Status::Failing,
                    format!(
                        "not headless (clusterIP {})",
                        s.spec
                            .as_ref()
                            .and_then(|s| s.cluster_ip.as_deref())
                            .unwrap_or("")
                    ),
                ),
            };
            let mut o = Obj::new(
                format!("svc/{svc_name}"),
                Kind::Service,
                svc_name.to_string(),
                status,
                detail,
            );
            o.facts
                .push(("DNS", format!("<pod>.{svc_name}.{ns}.svc.cluster.local")));
            let id = g.add(o);
            g.link(id, head, EdgeKind::Governs, None);
            (id, svc)
        });

    // --- rows --------------------------------------------------------------------------------
    let slots: Vec<Slot> = by_ord.into_values().collect();
    let plan = plan_rows(&slots, &facts, &waiting, opts);
    let aggregated = plan.iter().any(|p| matches!(p, Planned::Range(..)));
    let mut rows = Vec::with_capacity(plan.len());
    let mut why_budget = opts.max_why;
    for p in plan {
        let row = match p {
            Planned::One(i) => {
                let Some(s) = slots.get(i) else { continue };
                one_row(
                    cluster,
                    ns,
                    s,
                    columns.get(&s.ord),
                    &facts,
                    head,
                    service,
                    lanes,
                    &mut why,
                    &mut why_budget,
                    g,
                )
            }
            Planned::Range(a, b) => {
                let Some(members) = slots.get(a..b) else {
                    continue;
                };
                range_row(cluster, members, &facts, head, service, g)
            }
        };
        rows.push(row);
    }
    g.groups.push(Group {
        key: format!("group/sts/{name}"),
        title: format!("StatefulSet: {name} ({replicas} replicas)"),
        head,
        subheads: Vec::new(),
        service: service.map(|(id, _)| id),
        ordered: facts.ordered,
        rows,
        aggregated,
    });
}

fn set_facts(set: &StatefulSet, f: &SetFacts, policy: &str) -> Vec<(&'static str, String)> {
    let spec = set.spec.as_ref();
    let status = set.status.as_ref();
    let mut out = vec![("podManagementPolicy", policy.to_string())];
    let strategy = spec.and_then(|s| s.update_strategy.as_ref());
    let kind = strategy
        .and_then(|u| u.type_.as_deref())
        .unwrap_or("RollingUpdate");
    let partition = strategy
        .and_then(|u| u.rolling_update.as_ref())
        .and_then(|r| r.partition)
        .filter(|p| *p > 0);
    out.push((
        "updateStrategy",
        match partition {
            Some(p) => format!("{kind} (partition {p})"),
            None => kind.to_string(),
        },
    ));
    out.push((
        "replicas",
        format!(
            "{} desired, {} current, {} ready, {} updated",
            f.replicas,
            status.and_then(|s| s.current_replicas).unwrap_or(0),
            status.and_then(|s| s.ready_replicas).unwrap_or(0),
            status.and_then(|s| s.updated_replicas).unwrap_or(0),
        ),
    ));
    if !f.current.is_empty() {
        out.push(("currentRevision", f.current.clone()));
    }
    if !f.update.is_empty() && f.update != f.current {
        out.push(("updateRevision", f.update.clone()));
    }
    let retention = spec.and_then(|s| s.persistent_volume_claim_retention_policy.as_ref());
    out.push((
        "claim retention",
        format!(
            "whenDeleted: {}, whenScaled: {}",
            retention
                .and_then(|r| r.when_deleted.as_deref())
                .unwrap_or("Retain"),
            retention
                .and_then(|r| r.when_scaled.as_deref())
                .unwrap_or("Retain")
        ),
    ));
    out
}

/// What a row of the plan is: one slot, or slots `a..b` as a range.
enum Planned {
    One(usize),
    Range(usize, usize),
}

/// Which slots are drawn one by one and which as ranges.
fn plan_rows(
    slots: &[Slot],
    facts: &SetFacts,
    waiting: &BTreeSet<String>,
    opts: &Options,
) -> Vec<Planned> {
    if slots.len() <= opts.full_rows {
        return (0..slots.len()).map(Planned::One).collect();
    }
    let head = opts.head_rows.min(slots.len());
    let mut out: Vec<Planned> = (0..head).map(Planned::One).collect();
    let rest = slots.get(head..).unwrap_or(&[]);
    // Notable: something is happening to it, or the controller waits on it.
    let notable = |s: &Slot| {
        !matches!(s.pod_status, Status::Ready | Status::Missing)
            || !matches!(
                s.claim_status,
                Status::Ready | Status::Missing | Status::Retained
            )
            || waiting.contains(&format!("{}-{}", facts.name, s.ord))
    };
    // Of a run of pods the controller holds back, only the first is notable: the others wait
    // on it.
    // By insertion (`sim::sort::to_set`): `collect` would sort first, one more copy of the
    // standard sort in the bundle (issue #17).
    let pinned: BTreeSet<usize> = sim::sort::to_set(
        rest.iter()
            .enumerate()
            .filter(|&(i, s)| {
                let prev_missing = (head + i)
                    .checked_sub(1)
                    .and_then(|j| slots.get(j))
                    .is_some_and(|p| p.pod.is_none());
                notable(s) && !(s.pod.is_none() && prev_missing)
            })
            .map(|(i, _)| head + i)
            .take(opts.max_pinned),
    );
    // Segments between pinned slots, split into runs of the same look.
    let class = |s: &Slot| (s.pod_status, s.claim_status, s.role);
    let mut segments: Vec<(usize, usize)> = Vec::new();
    let mut a = head;
    for &p in pinned.iter().chain(std::iter::once(&slots.len())) {
        if a < p {
            segments.push((a, p));
        }
        a = p + 1;
    }
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &(a, b) in &segments {
        let mut s = a;
        for i in a + 1..=b {
            let split = i == b
                || match (slots.get(i), slots.get(i - 1)) {
                    (Some(x), Some(y)) => class(x) != class(y),
                    _ => true,
                };
            if split {
                runs.push((s, i));
                s = i;
            }
        }
    }
    if runs.len() > opts.max_ranges.max(1) {
        // Too fragmented: equal blocks per segment, each counting its mixed members.
        let total: usize = segments.iter().map(|(a, b)| b - a).sum();
        let size = total.div_ceil(opts.max_ranges.max(1)).max(1);
        runs = segments
            .iter()
            .flat_map(|&(a, b)| (a..b).step_by(size).map(move |s| (s, (s + size).min(b))))
            .collect();
    }
    // Interleave runs and pinned slots in ordinal order.
    let mut items: Vec<(usize, Planned)> = runs
        .into_iter()
        .map(|(a, b)| (a, Planned::Range(a, b)))
        .chain(pinned.into_iter().map(|p| (p, Planned::One(p))))
        .collect();
    items.stable_sort_by_key(|(k, _)| *k);
    out.extend(items.into_iter().map(|(_, p)| p));
    out
}

#[allow(clippy::too_many_arguments)]
fn one_row(
    cluster: &Cluster,
    ns: &str,
    s: &Slot,
    cols: Option<&sim::podstatus::PodColumns>,
    facts: &SetFacts,
    head: NodeId,
    service: Option<(NodeId, Option<&Service>)>,
    lanes: &HashMap<String, usize>,
    why: &mut HashMap<String, Vec<String>>,
    why_budget: &mut usize,
    g: &mut Graph,
) -> Row {
    let store = cluster.store();
    let pod_name = format!("{}-{}", facts.name, s.ord);
    let retained_row = s.pod.is_none() && !s.wanted;
    let mut why_of = |kind: &str, name: &str, ask: bool| -> Vec<String> {
        if let Some(v) = why.remove(name) {
            return v;
        }
        if !ask || *why_budget == 0 {
            return Vec::new();
        }
        *why_budget -= 1;
        cluster
            .why(kind, ns, name)
            .into_iter()
            .filter(|l| !l.contains("is Running and Ready") && !l.contains(" is Bound to "))
            .collect()
    };

    // Pod.
    let (detail, node) = match (s.pod, cols) {
        (Some(p), Some(c)) => (
            format!("{} {}", c.status, c.ready),
            p.spec.as_ref().and_then(|sp| sp.node_name.clone()),
        ),
        (Some(_), None) => (String::new(), None),
        (None, _) if retained_row => ("scaled down".into(), None),
        (None, _) => ("not created".into(), None),
    };
    let mut pod = Obj::new(
        format!("pod/{pod_name}"),
        Kind::Pod,
        pod_name.clone(),
        s.pod_status,
        detail,
    );
    if let Some(p) = s.pod {
        pod.revision = facts.revision(p);
        pod.why = why_of("pod", &pod_name, s.pod_status != Status::Ready);
        if let Some(n) = &node {
            pod.facts.push(("node", n.clone()));
        }
        if let Some(ip) = p.status.as_ref().and_then(|st| st.pod_ip.as_deref()) {
            pod.facts.push(("IP", ip.to_string()));
        }
        if let Some(c) = cols {
            pod.facts.push(("restarts", c.restarts.clone()));
        }
        if let Some(r) = pod_revision(p) {
            pod.facts.push(("controller-revision-hash", r.to_string()));
        }
    } else {
        pod.why = why_of("pod", &pod_name, false);
    }
    if let Some((_, Some(svc))) = service
        && let Some(svc_name) = svc.metadata.name.as_deref()
    {
        pod.facts.push((
            "DNS",
            format!("{pod_name}.{svc_name}.{ns}.svc.cluster.local"),
        ));
    }
    let lane = node.as_deref().and_then(|n| lanes.get(n)).copied();
    let pod_id = g.add(pod);

    // Owner edge: the OrderedReady chain, as the seed card draws it.
    if s.pod.is_some() || s.wanted {
        let label = (facts.ordered && s.wanted).then(|| {
            if s.ord == facts.start {
                "ordered".to_string()
            } else {
                format!("after-{}", s.ord - 1)
            }
        });
        g.link(head, pod_id, EdgeKind::Owns, label);
    }
    if let (Some((svc_id, Some(svc))), Some(p)) = (service, s.pod)
        && selects(svc, p)
    {
        g.link(svc_id, pod_id, EdgeKind::Selects, None);
    }
    if let Some(l) = lane
        && let Some(&node_id) = g.lanes.get(l)
    {
        g.link(pod_id, node_id, EdgeKind::RunsOn, None);
    }

    // Claims and their volume slots.
    let mut claims = Vec::with_capacity(facts.templates.len());
    for (i, t) in facts.templates.iter().enumerate() {
        let cname = facts.claim_name(t, s.ord);
        let pvc = s.claims.get(i).copied().flatten();
        let (status, detail) = match pvc {
            Some(c) => (claim_status(c, retained_row), claim_detail(c)),
            None => (Status::Missing, "not created".into()),
        };
        let mut claim = Obj::new(
            format!("pvc/{cname}"),
            Kind::Claim,
            cname.clone(),
            status,
            detail,
        );
        if let Some(c) = pvc {
            claim.why = why_of(
                "pvc",
                &cname,
                !matches!(status, Status::Ready | Status::Retained),
            );
            if let Some(sc) = c
                .spec
                .as_ref()
                .and_then(|s| s.storage_class_name.as_deref())
            {
                claim.facts.push(("storageClassName", sc.to_string()));
            }
            if status == Status::Retained {
                // stsplay's explanation (ours, not the sim's): why the row is still here.
                claim.facts.push((
                    "retained",
                    format!(
                        "{pod_name} is gone (scaled down); the claim keeps its data and {pod_name} mounts it again when the set scales back up"
                    ),
                ));
            }
        }
        let claim_key = claim.key.clone();
        let claim_id = g.add(claim);
        g.link(pod_id, claim_id, EdgeKind::Mounts, None);

        let vol = volume_obj(store, &claim_key, pvc, retained_row);
        let bound = !vol.name.is_empty();
        let vol_id = g.add(vol);
        if bound {
            g.link(claim_id, vol_id, EdgeKind::BoundTo, None);
        }
        claims.push(ClaimSlot {
            claim: claim_id,
            volume: vol_id,
        });
    }
    Row {
        ordinal: Some(s.ord),
        owner: head,
        pod: pod_id,
        claims,
        lane,
    }
}

/// The volume slot of a claim: its bound PersistentVolume, or the empty slot that will hold it
/// (key `pv@<claim key>`). `retained`: the claim outlived its pod (a scaled-down ordinal).
pub(crate) fn volume_obj(
    store: &sim::store::Store,
    claim_key: &str,
    pvc: Option<&PersistentVolumeClaim>,
    retained_row: bool,
) -> Obj {
    let volume_name = pvc
        .and_then(|c| c.spec.as_ref())
        .and_then(|s| s.volume_name.as_deref())
        .filter(|v| !v.is_empty());
    match volume_name {
        Some(v) => {
            let pv = store.get::<PersistentVolume>("", v);
            let (status, detail) = match pv {
                None => (Status::Missing, "not found".to_string()),
                Some(pv) => {
                    let cap = pv
                        .spec
                        .as_ref()
                        .and_then(|s| s.capacity.as_ref())
                        .and_then(|m| m.get("storage"))
                        .map(|q| q.0.clone())
                        .unwrap_or_default();
                    let phase = pv
                        .status
                        .as_ref()
                        .and_then(|s| s.phase.as_deref())
                        .unwrap_or("Pending");
                    let status = if pv.metadata.deletion_timestamp.is_some() {
                        Status::Terminating
                    } else {
                        match phase {
                            "Bound" if retained_row => Status::Retained,
                            "Bound" => Status::Ready,
                            "Released" => Status::Retained,
                            "Failed" => Status::Failing,
                            _ => Status::Progressing,
                        }
                    };
                    let detail = match volume_node(pv) {
                        Some(n) => format!("{phase} {cap} · {n}"),
                        None => format!("{phase} {cap}"),
                    };
                    (status, detail)
                }
            };
            let mut o = Obj::new(
                format!("pv@{claim_key}"),
                Kind::Volume,
                v.to_string(),
                status,
                detail,
            );
            if let Some(pv) = pv {
                if let Some(r) = pv
                    .spec
                    .as_ref()
                    .and_then(|s| s.persistent_volume_reclaim_policy.as_deref())
                {
                    o.facts.push(("reclaimPolicy", r.to_string()));
                }
                if let Some(n) = volume_node(pv) {
                    o.facts.push(("node affinity", n.to_string()));
                }
            }
            o
        }
        None => Obj::new(
            format!("pv@{claim_key}"),
            Kind::Volume,
            String::new(),
            Status::Missing,
            if pvc.is_some() {
                "not provisioned yet".into()
            } else {
                "—".into()
            },
        ),
    }
}

/// The word for a status of a range member, in kubectl's terms where it has them.
fn range_word(kind: Kind, s: Status) -> &'static str {
    match (kind, s) {
        (Kind::Pod, Status::Ready) => "Running",
        (Kind::Pod, Status::Unready) => "Running, not Ready",
        (Kind::Claim | Kind::Volume, Status::Ready) => "Bound",
        (Kind::Claim | Kind::Volume, Status::Progressing) => "Pending",
        (_, Status::Terminating) => "Terminating",
        (_, s) => s.word(),
    }
}

pub(crate) fn counts(statuses: impl Iterator<Item = Status>) -> Vec<(Status, u32)> {
    let mut n: BTreeMap<Status, u32> = BTreeMap::new();
    for s in statuses {
        *n.entry(s).or_default() += 1;
    }
    let mut v: Vec<(Status, u32)> = n.into_iter().collect();
    v.stable_sort_by_key(|(s, _)| std::cmp::Reverse(s.urgency()));
    v
}

pub(crate) fn range_detail(kind: Kind, c: &[(Status, u32)]) -> String {
    c.iter()
        .map(|(s, n)| format!("{n} {}", range_word(kind, *s)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn range_status(c: &[(Status, u32)]) -> Status {
    c.first().map(|(s, _)| *s).unwrap_or(Status::Missing)
}

/// `web-100 … web-999`; with a long prefix `nginx-with-init-container-100 … -999`.
fn range_name(prefix: &str, a: u32, b: u32) -> String {
    if prefix.chars().count() <= 12 {
        format!("{prefix}-{a} … {prefix}-{b}")
    } else {
        format!("{prefix}-{a} … -{b}")
    }
}

fn range_row(
    cluster: &Cluster,
    members: &[Slot],
    facts: &SetFacts,
    head: NodeId,
    service: Option<(NodeId, Option<&Service>)>,
    g: &mut Graph,
) -> Row {
    let store = cluster.store();
    let (Some(first), Some(last)) = (members.first(), members.last()) else {
        // Never planned empty; an empty range still makes a valid row.
        let id = g.add(Obj::new(
            format!("pods/{}/empty", facts.name),
            Kind::Pod,
            String::new(),
            Status::Missing,
            String::new(),
        ));
        return Row {
            ordinal: None,
            owner: head,
            pod: id,
            claims: Vec::new(),
            lane: None,
        };
    };
    let (a, b) = (first.ord, last.ord);
    let span = format!("{a}-{b}");
    let pc = counts(members.iter().map(|s| s.pod_status));
    let mut pod = Obj::new(
        format!("pods/{}/{span}", facts.name),
        Kind::Pod,
        range_name(facts.name, a, b),
        range_status(&pc),
        format!("{} pods: {}", members.len(), range_detail(Kind::Pod, &pc)),
    );
    pod.aggregate = Some(Aggregate {
        first: a,
        last: b,
        counts: pc,
    });
    let pod_id = g.add(pod);
    if members.iter().any(|s| s.wanted || s.pod.is_some()) {
        let label = (facts.ordered && first.wanted).then(|| {
            if a == facts.start {
                "ordered".to_string()
            } else {
                format!("after-{}", a - 1)
            }
        });
        g.link(head, pod_id, EdgeKind::Owns, label);
    }
    if let Some((svc_id, Some(svc))) = service
        && members
            .iter()
            .any(|s| s.pod.is_some_and(|p| selects(svc, p)))
    {
        g.link(svc_id, pod_id, EdgeKind::Selects, None);
    }
    let mut claims = Vec::new();
    for (i, t) in facts.templates.iter().enumerate() {
        let cc = counts(members.iter().map(|s| {
            let retained = s.pod.is_none() && !s.wanted;
            match s.claims.get(i).copied().flatten() {
                Some(c) => claim_status(c, retained),
                None => Status::Missing,
            }
        }));
        let mut claim = Obj::new(
            format!("pvcs/{}/{t}/{span}", facts.name),
            Kind::Claim,
            range_name(&format!("{t}-{}", facts.name), a, b),
            range_status(&cc),
            format!(
                "{} claims: {}",
                members.len(),
                range_detail(Kind::Claim, &cc)
            ),
        );
        claim.aggregate = Some(Aggregate {
            first: a,
            last: b,
            counts: cc,
        });
        let claim_key = claim.key.clone();
        let claim_id = g.add(claim);
        g.link(pod_id, claim_id, EdgeKind::Mounts, None);
        let vols: Vec<Status> = members
            .iter()
            .filter_map(|s| {
                let c = s.claims.get(i).copied().flatten()?;
                let v = c.spec.as_ref()?.volume_name.as_deref()?;
                let retained = s.pod.is_none() && !s.wanted;
                Some(match store.get::<PersistentVolume>("", v) {
                    None => Status::Missing,
                    Some(pv) if pv.metadata.deletion_timestamp.is_some() => Status::Terminating,
                    Some(_) if retained => Status::Retained,
                    Some(_) => Status::Ready,
                })
            })
            .collect();
        let n = vols.len();
        let vc = counts(vols.into_iter());
        let mut vol = Obj::new(
            format!("pv@{claim_key}"),
            Kind::Volume,
            if n == 0 {
                String::new()
            } else {
                format!("{n} volumes")
            },
            if n == 0 {
                Status::Missing
            } else {
                range_status(&vc)
            },
            if n == 0 {
                "none provisioned yet".into()
            } else {
                range_detail(Kind::Volume, &vc)
            },
        );
        vol.aggregate = Some(Aggregate {
            first: a,
            last: b,
            counts: vc,
        });
        let vol_id = g.add(vol);
        if n > 0 {
            g.link(claim_id, vol_id, EdgeKind::BoundTo, None);
        }
        claims.push(ClaimSlot {
            claim: claim_id,
            volume: vol_id,
        });
    }
    Row {
        ordinal: Some(a),
        owner: head,
        pod: pod_id,
        claims,
        lane: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_parse_only_for_the_parent() {
        assert_eq!(ordinal_in("web", "web-10"), Some(10));
        assert_eq!(ordinal_in("web", "webx-1"), None);
        assert_eq!(ordinal_in("web", "web-a"), None);
        assert_eq!(ordinal_in("web", "web-"), None);
        assert_eq!(ordinal_in("web", "web--1"), None);
        assert_eq!(ordinal_in("web", "web-99999999999"), None);
    }

    #[test]
    fn short_hashes_drop_the_set_name() {
        assert_eq!(short_hash("web", "web-5d8c8f6b9"), "5d8c8f6b9");
        assert_eq!(short_hash("web", "other-1"), "other-1");
    }

    #[test]
    fn pod_statuses_follow_kubectl_words() {
        let p = Pod::default();
        assert_eq!(pod_status(&p, "Running", "1/1"), Status::Ready);
        assert_eq!(pod_status(&p, "Running", "0/1"), Status::Unready);
        assert_eq!(pod_status(&p, "Running", "0/0"), Status::Unready);
        assert_eq!(pod_status(&p, "CrashLoopBackOff", "0/1"), Status::Failing);
        assert_eq!(pod_status(&p, "Init:ErrImagePull", "0/1"), Status::Failing);
        assert_eq!(pod_status(&p, "Init:0/1", "0/1"), Status::Progressing);
        assert_eq!(pod_status(&p, "Pending", "0/1"), Status::Progressing);
        assert_eq!(pod_status(&p, "Terminating", "1/1"), Status::Terminating);
    }
}
