//! What the panes show, derived from the cluster once per change (never per render).
//!
//! Each pane's data sits behind its own `Rc`. [`ClusterView::refresh`] rebuilds the data after
//! an action and keeps the old `Rc` when nothing in it changed, so the props of a pane whose data
//! did not change compare equal by pointer and the pane does not render again.

use sim::sort::Sort as _;
use std::rc::Rc;

use sim::cluster::Cluster;
use sim::k8s_openapi::api::core::v1::{Event, PersistentVolumeClaim, Pod};
use sim::time::SimTime;

/// The namespace the panes show.
pub const NAMESPACE: &str = "default";
/// Events the events pane lists (newest first).
pub const MAX_EVENTS_SHOWN: usize = 60;

/// The status line: simulated time, the StatefulSet's revision, and the first thing that is
/// waiting (where on the timeline is the timeline's own label, shown once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub now: SimTime,
    pub pending: bool,
    /// The first StatefulSet's `status.updateRevision`, and its `currentRevision` when the
    /// rollout to it is not complete.
    pub revision: Option<String>,
    pub current_revision: Option<String>,
    /// The first of `sim why`'s sentences (stsplay's explanation).
    pub waiting: Option<String>,
}

/// The recorded timeline: one mark per history entry, past and future.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineView {
    pub marks: Vec<sim::history::Mark>,
    pub position: usize,
    /// The oldest position that can be reached (older history was forgotten).
    pub oldest: usize,
}

/// One row of the pods table (kubectl's columns, computed as `kubectl get pods` does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRow {
    pub name: String,
    pub ready: String,
    pub status: String,
    pub restarts: String,
    pub age: String,
}

/// One row of the claims table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    pub name: String,
    pub status: String,
    pub volume: String,
}

/// One event, as the events pane lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// The Event object's name (the list key: a new event inserts one row, not rewrite all).
    pub key: String,
    pub age: String,
    pub reason: String,
    /// `kind/name` of the involved object, kind in lower case.
    pub object: String,
    pub message: String,
    pub warning: bool,
}

/// Everything the panes show about the cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterView {
    pub status: Rc<Status>,
    pub pods: Rc<Vec<PodRow>>,
    pub claims: Rc<Vec<ClaimRow>>,
    /// `sim why`'s sentences for the namespace (stsplay's explanation).
    pub why: Rc<Vec<String>>,
    pub events: Rc<Vec<EventRow>>,
    /// The diagram's model. The diagram component (`components/diagram.rs`) draws it; to give
    /// the diagram more to draw, change [`diagram_model`] and the component, nothing else.
    pub graph: Rc<diagram::Graph>,
    pub timeline: Rc<TimelineView>,
}

/// The diagram's input, built from the cluster after every change.
pub fn diagram_model(cluster: &Cluster) -> diagram::Graph {
    diagram::build(cluster, NAMESPACE, &diagram::Options::default())
}

/// Keep `old` when `new` equals it (pointer-equal props: the pane does not render again).
fn keep<T: PartialEq>(old: &Rc<T>, new: T) -> Rc<T> {
    if **old == new {
        old.clone()
    } else {
        Rc::new(new)
    }
}

impl ClusterView {
    pub fn build(cluster: &Cluster) -> Self {
        let why = cluster.why_all(NAMESPACE);
        ClusterView {
            status: Rc::new(status(cluster, &why)),
            pods: Rc::new(pods(cluster)),
            claims: Rc::new(claims(cluster)),
            why: Rc::new(why),
            events: Rc::new(events(cluster)),
            graph: Rc::new(diagram_model(cluster)),
            timeline: Rc::new(timeline(cluster)),
        }
    }

    /// Rebuild from the cluster, keeping every part that did not change.
    pub fn refresh(&mut self, cluster: &Cluster) {
        let why = cluster.why_all(NAMESPACE);
        self.status = keep(&self.status, status(cluster, &why));
        self.pods = keep(&self.pods, pods(cluster));
        self.claims = keep(&self.claims, claims(cluster));
        self.why = keep(&self.why, why);
        self.events = keep(&self.events, events(cluster));
        self.graph = keep(&self.graph, diagram_model(cluster));
        // The marks are compared in place: no copy unless they changed.
        let marks = cluster.history_marks();
        if self.timeline.marks != marks
            || self.timeline.position != cluster.history_position()
            || self.timeline.oldest != cluster.history_oldest()
        {
            self.timeline = Rc::new(timeline(cluster));
        }
    }
}

fn timeline(cluster: &Cluster) -> TimelineView {
    TimelineView {
        marks: cluster.history_marks().to_vec(),
        position: cluster.history_position(),
        oldest: cluster.history_oldest(),
    }
}

fn status(cluster: &Cluster, why: &[String]) -> Status {
    let set = cluster
        .store()
        .list::<sim::k8s_openapi::api::apps::v1::StatefulSet>(Some(NAMESPACE))
        .next();
    let st = set.and_then(|s| s.status.as_ref());
    let revision = st.and_then(|s| s.update_revision.clone());
    let current = st.and_then(|s| s.current_revision.clone());
    Status {
        now: cluster.now(),
        pending: cluster.pending(),
        current_revision: current.filter(|c| Some(c) != revision.as_ref()),
        revision,
        waiting: why.first().cloned(),
    }
}

fn age(
    now: SimTime,
    t: Option<&sim::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>,
) -> String {
    t.map(|t| {
        sim::podstatus::human_duration_ms(now.saturating_sub(sim::time::from_k8s_time(t)) as i64)
    })
    .unwrap_or_default()
}

fn pods(cluster: &Cluster) -> Vec<PodRow> {
    let now = cluster.now();
    let mut pods: Vec<&Pod> = cluster.store().list::<Pod>(Some(NAMESPACE)).collect();
    // `web-10` after `web-9`: ordinal order, parsed where sim parses ordinals.
    pods.stable_sort_by(|a, b| {
        sim::ordinal::ordinal_cmp(
            a.metadata.name.as_deref().unwrap_or(""),
            b.metadata.name.as_deref().unwrap_or(""),
        )
    });
    pods.into_iter()
        .map(|pod| {
            let cols = sim::podstatus::columns(pod, now);
            PodRow {
                name: pod.metadata.name.clone().unwrap_or_default(),
                ready: cols.ready,
                status: cols.status,
                restarts: cols.restarts,
                age: age(now, pod.metadata.creation_timestamp.as_ref()),
            }
        })
        .collect()
}

fn claims(cluster: &Cluster) -> Vec<ClaimRow> {
    cluster
        .store()
        .list::<PersistentVolumeClaim>(Some(NAMESPACE))
        .map(|c| ClaimRow {
            name: c.metadata.name.clone().unwrap_or_default(),
            status: if c.metadata.deletion_timestamp.is_some() {
                "Terminating".to_string()
            } else {
                c.status
                    .as_ref()
                    .and_then(|s| s.phase.clone())
                    .unwrap_or_else(|| "Pending".into())
            },
            volume: c
                .spec
                .as_ref()
                .and_then(|s| s.volume_name.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// An event's place in the list: last seen, then resourceVersion.
type EventKey = (Option<SimTime>, Option<u64>);

fn events(cluster: &Cluster) -> Vec<EventRow> {
    let now = cluster.now();
    // Each event's sort key computed once (not twice per comparison: thousands of events at
    // 1,000 replicas), then only the newest shown become rows.
    let mut events: Vec<(EventKey, &Event)> = cluster
        .store()
        .list::<Event>(Some(NAMESPACE))
        .map(|e| {
            (
                (
                    // An events.k8s.io event (the scheduler's) has no lastTimestamp.
                    sim::events::last_seen(e),
                    e.metadata
                        .resource_version
                        .as_ref()
                        .and_then(|r| r.parse::<u64>().ok()),
                ),
                e,
            )
        })
        .collect();
    events.stable_sort_by(|a, b| a.0.cmp(&b.0));
    events
        .iter()
        .rev()
        .take(MAX_EVENTS_SHOWN)
        .map(|(k, e)| EventRow {
            key: e.metadata.name.clone().unwrap_or_default(),
            age: k
                .0
                .map(|t| sim::podstatus::human_duration_ms(now.saturating_sub(t) as i64))
                .unwrap_or_default(),
            reason: e.reason.clone().unwrap_or_default(),
            // Events are the simulation's own (users cannot create them), about its kinds,
            // whose names are ASCII.
            object: format!(
                "{}/{}",
                e.involved_object
                    .kind
                    .as_deref()
                    .unwrap_or_default()
                    .to_ascii_lowercase(),
                e.involved_object.name.as_deref().unwrap_or_default()
            ),
            message: e.message.clone().unwrap_or_default(),
            warning: e.type_.as_deref() == Some("Warning"),
        })
        .collect()
}

/// `1m05.0s` style clock for the status line.
pub fn clock_text(ms: SimTime) -> String {
    let s = ms / 1000;
    let tenths = (ms % 1000) / 100;
    if s >= 3600 {
        format!("{}h{:02}m{:02}s", s / 3600, (s / 60) % 60, s % 60)
    } else if s >= 60 {
        format!("{}m{:02}.{tenths}s", s / 60, s % 60)
    } else {
        format!("{s}.{tenths}s")
    }
}
