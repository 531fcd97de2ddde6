//! The graph: what is drawn, independent of where.
//!
//! A [`Graph`] is a flat list of objects ([`Obj`], addressed by [`NodeId`]) and typed
//! [`Edge`]s, plus the structure the layout needs: one [`Group`] per workload (a StatefulSet
//! today; a Deployment with its ReplicaSets can join as another group kind), each a head
//! column (the workload, its sub-heads, its Service) and [`Row`]s (a pod slot with its claims
//! and their volumes). Cluster nodes are optional lanes.
//!
//! Every object has a stable [`Obj::key`]: the same slot (`pod/web-1`, `pvc/data-web-1`, the
//! volume slot of that claim) has the same key before and after a step, a delete or a
//! recreate, so the layout puts it in the same place and a renderer can animate it.

/// Index of an object in [`Graph::nodes`].
pub type NodeId = usize;

/// What an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    StatefulSet,
    /// A Deployment (the head of its group; issue 18's contrast).
    Deployment,
    /// One of a Deployment's ReplicaSets (a sub-head).
    ReplicaSet,
    Service,
    Pod,
    Claim,
    Volume,
    Node,
}

impl Kind {
    /// A CSS class fragment.
    pub fn css(self) -> &'static str {
        match self {
            Kind::StatefulSet => "sts",
            Kind::Deployment => "deploy",
            Kind::ReplicaSet => "rs",
            Kind::Service => "svc",
            Kind::Pod => "pod",
            Kind::Claim => "pvc",
            Kind::Volume => "pv",
            Kind::Node => "node",
        }
    }

    /// The word a learner reads (kubectl's kind name).
    pub fn word(self) -> &'static str {
        match self {
            Kind::StatefulSet => "StatefulSet",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::Service => "Service",
            Kind::Pod => "Pod",
            Kind::Claim => "PersistentVolumeClaim",
            Kind::Volume => "PersistentVolume",
            Kind::Node => "Node",
        }
    }

    /// The short word used in mermaid labels and the text alternative.
    pub fn short(self) -> &'static str {
        match self {
            Kind::StatefulSet => "StatefulSet",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::Service => "Service",
            Kind::Pod => "Pod",
            Kind::Claim => "PVC",
            Kind::Volume => "PV",
            Kind::Node => "Node",
        }
    }
}

/// A coarse state, always shown by colour AND by icon and word, never by colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Running and Ready; a Bound claim; a headless Service that exists; a set at its goal.
    Ready,
    /// On its way: Pending, ContainerCreating, Init:…, a Pending claim, a set rolling.
    Progressing,
    /// Running but not Ready.
    Unready,
    /// CrashLoopBackOff, ErrImagePull, Error, a Lost claim, a Service that is not headless.
    Failing,
    /// Being deleted (a deletionTimestamp is set).
    Terminating,
    /// Wanted but not created (yet).
    Missing,
    /// A claim (and its volume) kept while its pod is gone: scaled down under `whenScaled:
    /// Retain`. It waits for the pod to come back.
    Retained,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Ready,
        Status::Progressing,
        Status::Unready,
        Status::Failing,
        Status::Terminating,
        Status::Missing,
        Status::Retained,
    ];

    pub fn css(self) -> &'static str {
        match self {
            Status::Ready => "ready",
            Status::Progressing => "progressing",
            Status::Unready => "unready",
            Status::Failing => "failing",
            Status::Terminating => "terminating",
            Status::Missing => "missing",
            Status::Retained => "retained",
        }
    }

    /// A glyph present in DejaVu Sans (the diagram's font), distinct per status.
    pub fn icon(self) -> &'static str {
        match self {
            Status::Ready => "✓",
            Status::Progressing => "◔",
            Status::Unready => "◐",
            Status::Failing => "✕",
            Status::Terminating => "⊘",
            Status::Missing => "◌",
            Status::Retained => "◆",
        }
    }

    /// stsplay's word for the status (the legend and the text alternative).
    pub fn word(self) -> &'static str {
        match self {
            Status::Ready => "ready",
            Status::Progressing => "starting",
            Status::Unready => "not ready",
            Status::Failing => "failing",
            Status::Terminating => "terminating",
            Status::Missing => "not created",
            Status::Retained => "retained",
        }
    }

    /// Box fill.
    pub fn fill(self) -> &'static str {
        match self {
            Status::Ready => "#e6f4ea",
            Status::Progressing => "#fff4d6",
            Status::Unready => "#ffe3c2",
            Status::Failing => "#fde2e1",
            Status::Terminating => "#e8eaed",
            Status::Missing => "#ffffff",
            Status::Retained => "#e8f0fe",
        }
    }

    /// Box outline (and icon colour).
    pub fn stroke(self) -> &'static str {
        match self {
            Status::Ready => "#1e8e3e",
            Status::Progressing => "#b06000",
            Status::Unready => "#c25e00",
            Status::Failing => "#c5221f",
            Status::Terminating => "#5f6368",
            Status::Missing => "#80868b",
            Status::Retained => "#1a73e8",
        }
    }

    /// Dash pattern of the outline: objects that do not exist (yet) or are going away are
    /// dashed, so the difference survives greyscale printing and colour blindness.
    pub fn dash(self) -> Option<&'static str> {
        match self {
            Status::Missing => Some("4 3"),
            Status::Terminating => Some("6 2"),
            _ => None,
        }
    }

    /// How much attention the status asks for (a range shows its most urgent member).
    pub fn urgency(self) -> u8 {
        match self {
            Status::Failing => 6,
            Status::Terminating => 5,
            Status::Unready => 4,
            Status::Progressing => 3,
            Status::Retained => 2,
            Status::Missing => 1,
            Status::Ready => 0,
        }
    }
}

/// Which revision a pod runs, relative to its set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RevisionRole {
    /// No update in progress: the set's current and update revisions are the same.
    Current,
    /// An update is in progress and the pod runs the update revision.
    New,
    /// An update is in progress and the pod still runs an older revision.
    Old,
}

impl RevisionRole {
    pub fn css(self) -> &'static str {
        match self {
            RevisionRole::Current => "rev-current",
            RevisionRole::New => "rev-new",
            RevisionRole::Old => "rev-old",
        }
    }
}

/// A revision badge: the short hash and the pod's role in the update.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Revision {
    /// The hash part of `controller-revision-hash` (e.g. `5d8c8f6b9`).
    pub hash: String,
    pub role: RevisionRole,
}

impl Revision {
    /// What the badge shows: `old 5d8c8f6`, `new 7f9a1c2`, or `rev 5d8c8f6`.
    pub fn badge(&self) -> String {
        let short: String = self.hash.chars().take(7).collect();
        let word = match self.role {
            RevisionRole::Current => "rev",
            RevisionRole::New => "new",
            RevisionRole::Old => "old",
        };
        format!("{word} {short}")
    }
}

/// Counts of a range of ordinals drawn as one box.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Aggregate {
    /// First and last ordinal of the range (inclusive).
    pub first: u32,
    pub last: u32,
    /// How many members per status, most urgent first, zero counts left out.
    pub counts: Vec<(Status, u32)>,
}

impl Aggregate {
    pub fn total(&self) -> u32 {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}

/// One object (or one aggregated range of objects).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Obj {
    /// Stable and unique within the graph: `sts/web`, `svc/web`, `pod/web-0`,
    /// `pvc/data-web-0`, `pv@pvc/data-web-0` (the volume slot of a claim), `node/kind-worker`,
    /// `pods/web/100-999` (a range).
    pub key: String,
    pub kind: Kind,
    /// The object's name; for a range `web-100 … web-999`; empty for a volume slot with no
    /// volume yet.
    pub name: String,
    pub status: Status,
    /// One line of state in kubectl's words where kubectl has them (`Running 1/1`,
    /// `Bound 100Mi`, `Init:0/1`), ours otherwise (`not created`, `retained, no pod`).
    pub detail: String,
    /// The revision badge of a pod.
    pub revision: Option<Revision>,
    /// A third line for heads (a set's revisions: `revision 5d8c8f6`, or during an update
    /// `updating 5d8c8f6 → 7f9a1c2`).
    pub line3: Option<String>,
    /// The simulation's "why is it waiting" sentences about this object (`sim why`).
    pub why: Vec<String>,
    /// Details for hover and focus: (label, value), e.g. ("node", "kind-control-plane").
    pub facts: Vec<(&'static str, String)>,
    /// Set when the box stands for a range of ordinals.
    pub aggregate: Option<Aggregate>,
}

impl Obj {
    pub fn new(key: String, kind: Kind, name: String, status: Status, detail: String) -> Self {
        Obj {
            key,
            kind,
            name,
            status,
            detail,
            revision: None,
            line3: None,
            why: Vec::new(),
            facts: Vec::new(),
            aggregate: None,
        }
    }

    /// The object this box stands for, as `kind/name` with kubectl's lower-case kind
    /// (`pod/web-0`, `persistentvolumeclaim/data-web-0`, `statefulset/web`): what the page
    /// selects, matched against the other panes' objects. `None` for ranges and empty slots.
    pub fn reference(&self) -> Option<String> {
        if self.aggregate.is_some() || self.name.is_empty() {
            return None;
        }
        let kind = match self.kind {
            Kind::StatefulSet => "statefulset",
            Kind::Deployment => "deployment",
            Kind::ReplicaSet => "replicaset",
            Kind::Service => "service",
            Kind::Pod => "pod",
            Kind::Claim => "persistentvolumeclaim",
            Kind::Volume => "persistentvolume",
            Kind::Node => "node",
        };
        Some(format!("{kind}/{}", self.name))
    }

    /// What the object is called on screen: its name, or for an empty volume slot a word.
    pub fn title(&self) -> &str {
        if self.name.is_empty() {
            "no volume yet"
        } else {
            &self.name
        }
    }
}

/// What an edge means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// The workload owns the pod (ownerReference). Under OrderedReady its label is the
    /// seed's chain: `ordered`, `after-0`, `after-1`, …
    Owns,
    /// The Service is the set's governing service (`spec.serviceName`).
    Governs,
    /// The Service's selector matches the pod (its DNS name `<pod>.<service>`).
    Selects,
    /// The pod mounts the claim.
    Mounts,
    /// The claim is bound to the volume.
    BoundTo,
    /// The pod runs on the node.
    RunsOn,
}

impl EdgeKind {
    pub fn css(self) -> &'static str {
        match self {
            EdgeKind::Owns => "owns",
            EdgeKind::Governs => "governs",
            EdgeKind::Selects => "selects",
            EdgeKind::Mounts => "mounts",
            EdgeKind::BoundTo => "bound-to",
            EdgeKind::RunsOn => "runs-on",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edge {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: EdgeKind,
    /// The words on the edge, when they say more than the kind (the OrderedReady chain).
    pub label: Option<String>,
}

impl Edge {
    /// The words drawn on the edge: its label, or its kind.
    pub fn text(&self) -> &str {
        self.label.as_deref().unwrap_or(self.kind.css())
    }
}

/// A claim in a row with the volume slot next to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClaimSlot {
    pub claim: NodeId,
    /// The volume it is bound to, or the empty slot that will hold it.
    pub volume: NodeId,
}

/// One line of the picture: a pod slot (an ordinal, or a range of ordinals) with its claims.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Row {
    /// The ordinal, or the first ordinal of a range; `None` for pods without one.
    pub ordinal: Option<u32>,
    /// The head the pod hangs off (the set, or one of a Deployment's ReplicaSets).
    pub owner: NodeId,
    pub pod: NodeId,
    pub claims: Vec<ClaimSlot>,
    /// The cluster node the pod runs on (its lane), when lanes are drawn.
    pub lane: Option<usize>,
}

/// One workload: its head column and its rows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Group {
    /// Stable key (`group/sts/web`).
    pub key: String,
    /// The title of its frame, e.g. `StatefulSet: web (3 replicas)`.
    pub title: String,
    pub head: NodeId,
    /// Further heads drawn under the head (a Deployment's ReplicaSets), in order.
    pub subheads: Vec<NodeId>,
    pub service: Option<NodeId>,
    /// Whether the OrderedReady chain is drawn (`podManagementPolicy: OrderedReady`).
    pub ordered: bool,
    pub rows: Vec<Row>,
    /// Whether some ordinals are drawn as ranges.
    pub aggregated: bool,
}

/// The whole picture of a namespace.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Graph {
    pub namespace: String,
    pub nodes: Vec<Obj>,
    pub edges: Vec<Edge>,
    pub groups: Vec<Group>,
    /// Cluster nodes drawn as lanes of the pod column (empty: no lanes).
    pub lanes: Vec<NodeId>,
}

impl Graph {
    pub fn node(&self, id: NodeId) -> Option<&Obj> {
        self.nodes.get(id)
    }

    /// The object with this key.
    pub fn find(&self, key: &str) -> Option<&Obj> {
        self.nodes.iter().find(|n| n.key == key)
    }

    pub(crate) fn add(&mut self, obj: Obj) -> NodeId {
        self.nodes.push(obj);
        self.nodes.len() - 1
    }

    pub(crate) fn link(&mut self, from: NodeId, to: NodeId, kind: EdgeKind, label: Option<String>) {
        self.edges.push(Edge {
            from,
            to,
            kind,
            label,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// The keys whose drawing changed from `before` to `after` (new objects, or a different
/// status, detail, revision, why or range): what the last step did, for highlighting.
pub fn changed(before: &Graph, after: &Graph) -> std::collections::BTreeSet<String> {
    use std::collections::HashMap;
    let old: HashMap<&str, &Obj> = before.nodes.iter().map(|n| (n.key.as_str(), n)).collect();
    sim::sort::to_set(
        after
            .nodes
            .iter()
            .filter(|n| {
                old.get(n.key.as_str()).is_none_or(|o| {
                    o.status != n.status
                        || o.detail != n.detail
                        || o.name != n.name
                        || o.revision != n.revision
                        || o.line3 != n.line3
                        || o.why != n.why
                        || o.aggregate != n.aggregate
                })
            })
            .map(|n| n.key.clone()),
    )
}
