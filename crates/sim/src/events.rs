//! Kubernetes Events (core/v1), recorded the way client-go's event recorder does: one Event
//! object per (involved object, type, reason, message, source), named `<object>.<hex>`, with
//! `count` and `lastTimestamp` bumped when the same event repeats (client-go
//! `tools/record/events_cache.go` aggregation, simplified: identical events only).

use crate::sort::Sort as _;
use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};

use crate::store::{Actor, Object, Store};
use crate::time::{SimTime, to_k8s_time};

/// `Normal` or `Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// A reference to an object for `involvedObject`.
pub fn reference_to<T: Object>(obj: &T, field_path: Option<&str>) -> ObjectReference {
    let m = obj.metadata();
    ObjectReference {
        api_version: Some(T::API_VERSION.to_string()),
        kind: Some(T::KIND.to_string()),
        name: m.name.clone(),
        namespace: m.namespace.clone(),
        uid: m.uid.clone(),
        resource_version: m.resource_version.clone(),
        field_path: field_path.map(str::to_string),
    }
}

/// Record an event. `component` is the `From` column (`statefulset-controller`, `kubelet`,
/// `default-scheduler`, `persistentvolume-controller`, ...); `host` the node for kubelet events.
#[allow(clippy::too_many_arguments)]
pub fn record(
    store: &mut Store,
    involved: ObjectReference,
    kind: EventType,
    reason: &str,
    message: &str,
    component: &str,
    host: Option<&str>,
    now: SimTime,
) {
    // Aggregate an identical event on the same object instance. client-go's recorder keeps
    // this in an in-memory cache; ours lives in the store (`event_index`) so that it travels
    // with snapshots. Each hit is checked against the stored Event.
    let sig = signature(&involved, kind, reason, message);
    let same = |e: &Event| {
        e.involved_object.uid == involved.uid
            && e.involved_object.field_path == involved.field_path
            && e.reason.as_deref() == Some(reason)
            && e.message.as_deref() == Some(message)
            && e.type_.as_deref() == Some(kind.as_str())
    };
    let existing = store
        .event_index
        .0
        .get(&sig)
        .and_then(|k| store.events.get(k))
        .filter(|e| same(e))
        .map(|e| k8sjson::copy::<Event>(e));
    if let Some(mut e) = existing {
        e.count = Some(e.count.unwrap_or(1) + 1);
        e.last_timestamp = Some(to_k8s_time(now));
        let _ = store.update(Actor::Harness, e);
        return;
    }
    let name = format!(
        "{}.{:016x}",
        involved.name.as_deref().unwrap_or_default(),
        0x1870_0000_0000_0000u64 + store.resource_version + 1
    );
    let ns = involved
        .namespace
        .clone()
        .unwrap_or_else(|| "default".to_string());
    let ev = Event {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(ns),
            ..Default::default()
        },
        involved_object: involved,
        reason: Some(reason.to_string()),
        message: Some(message.to_string()),
        type_: Some(kind.as_str().to_string()),
        count: Some(1),
        first_timestamp: Some(to_k8s_time(now)),
        last_timestamp: Some(to_k8s_time(now)),
        source: Some(EventSource {
            component: Some(component.to_string()),
            host: host.map(str::to_string),
        }),
        reporting_component: Some(component.to_string()),
        reporting_instance: host.map(str::to_string),
        ..Default::default()
    };
    let key = crate::store::key_of(&ev);
    if store.create_shared(Actor::Harness, ev, now).is_ok() {
        store.event_index.0.insert(sig, key);
    }
}

/// How often the events.k8s.io recorder writes the count of an ongoing series
/// (client-go `tools/events/event_broadcaster.go`, `refreshTime`).
pub const SERIES_REFRESH: SimTime = 30 * 60 * 1000;

/// Record an event through the events.k8s.io/v1 API, as components using client-go's
/// `tools/events` recorder do (the scheduler, `schedule_one.go`): `eventTime` (microseconds),
/// `reportingController` and `reportingInstance` (`<controller>-<hostname>`), an `action`, and
/// no `source`, `firstTimestamp`, `lastTimestamp` or `count` (the core/v1 view shows them as
/// null/empty). An isomorphic event (same object, reason, action and controller; the note is
/// not compared) becomes a series: the second occurrence writes `series {count: 2,
/// lastObservedTime}` at once, later ones only in memory until the recorder's periodic refresh
/// (every [`SERIES_REFRESH`]; here at the first occurrence after that much time).
#[allow(clippy::too_many_arguments)]
pub fn record_v1(
    store: &mut Store,
    regarding: ObjectReference,
    kind: EventType,
    reason: &str,
    action: &str,
    note: &str,
    controller: &str,
    host: &str,
    now: SimTime,
) {
    use k8s_openapi::api::core::v1::EventSeries;
    let sig = {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        "events.k8s.io".hash(&mut h);
        regarding.uid.hash(&mut h);
        regarding.field_path.hash(&mut h);
        reason.hash(&mut h);
        action.hash(&mut h);
        controller.hash(&mut h);
        h.finish()
    };
    let existing = store
        .event_index
        .0
        .get(&sig)
        .and_then(|k| store.events.get(k))
        .filter(|e| {
            e.involved_object.uid == regarding.uid
                && e.reason.as_deref() == Some(reason)
                && e.action.as_deref() == Some(action)
                && e.reporting_component.as_deref() == Some(controller)
        })
        .map(|e| k8sjson::copy::<Event>(e));
    if let Some(mut e) = existing {
        let (seen, _) = store.event_index.1.get(&sig).copied().unwrap_or((1, now));
        let seen = seen.saturating_add(1);
        store.event_index.1.insert(sig, (seen, now));
        let written_at = e
            .series
            .as_ref()
            .and_then(|s| s.last_observed_time.as_ref())
            .map(|t| micro_to_sim(&t.0));
        let write = match written_at {
            None => true,
            Some(at) => now.saturating_sub(at) >= SERIES_REFRESH,
        };
        if write {
            e.series = Some(EventSeries {
                count: Some(seen),
                last_observed_time: Some(to_micro_time(now)),
            });
            let _ = store.update(Actor::Harness, e);
        }
        return;
    }
    let name = format!(
        "{}.{:016x}",
        regarding.name.as_deref().unwrap_or_default(),
        0x1870_0000_0000_0000u64 + store.resource_version + 1
    );
    let ns = regarding
        .namespace
        .clone()
        .unwrap_or_else(|| "default".to_string());
    let ev = Event {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: Some(ns),
            ..Default::default()
        },
        involved_object: regarding,
        reason: Some(reason.to_string()),
        message: Some(note.to_string()),
        type_: Some(kind.as_str().to_string()),
        event_time: Some(to_micro_time(now)),
        action: Some(action.to_string()),
        reporting_component: Some(controller.to_string()),
        reporting_instance: Some(format!("{controller}-{host}")),
        ..Default::default()
    };
    let key = crate::store::key_of(&ev);
    if store.create_shared(Actor::Harness, ev, now).is_ok() {
        store.event_index.0.insert(sig, key);
        store.event_index.1.insert(sig, (1, now));
    }
}

/// When an event was last seen, whichever API wrote it: a core/v1 event's `lastTimestamp`,
/// else an events.k8s.io series' `lastObservedTime`, else its `eventTime` (kubectl's
/// `pkg/cmd/events` `eventTime` picks them in the order series, lastTimestamp, eventTime).
pub fn last_seen(e: &Event) -> Option<SimTime> {
    if let Some(t) = e
        .series
        .as_ref()
        .and_then(|s| s.last_observed_time.as_ref())
    {
        return Some(micro_to_sim(&t.0));
    }
    if let Some(t) = e.last_timestamp.as_ref() {
        return Some(crate::time::from_k8s_time(t));
    }
    e.event_time.as_ref().map(|t| micro_to_sim(&t.0))
}

/// A metav1.MicroTime for a sim instant (the sim's milliseconds, in microseconds).
pub fn to_micro_time(t: SimTime) -> MicroTime {
    use k8s_openapi::jiff::Timestamp;
    let ms = crate::time::EPOCH_UNIX_SECONDS
        .saturating_mul(1000)
        .saturating_add(i64::try_from(t).unwrap_or(i64::MAX / 2));
    MicroTime(Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH))
}

fn micro_to_sim(t: &k8s_openapi::jiff::Timestamp) -> SimTime {
    let ms = t.as_millisecond() - crate::time::EPOCH_UNIX_SECONDS * 1000;
    u64::try_from(ms).unwrap_or(0)
}

/// A deterministic hash of what makes two events "the same" for aggregation.
fn signature(involved: &ObjectReference, kind: EventType, reason: &str, message: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    involved.uid.hash(&mut h);
    involved.field_path.hash(&mut h);
    reason.hash(&mut h);
    message.hash(&mut h);
    kind.as_str().hash(&mut h);
    h.finish()
}

/// Events about one object, oldest first (by firstTimestamp, then creation order).
pub fn for_object<'a>(store: &'a Store, kind: &str, ns: &str, name: &str) -> Vec<&'a Event> {
    let mut v: Vec<&Event> = store
        .events
        .values()
        .map(|e| e.as_ref())
        .filter(|e| {
            e.involved_object.kind.as_deref() == Some(kind)
                && e.involved_object.name.as_deref() == Some(name)
                && e.involved_object.namespace.as_deref().unwrap_or("default") == ns
        })
        .collect();
    v.stable_sort_by_key(|e| {
        (
            e.first_timestamp
                .as_ref()
                .map(|t| t.0)
                .or(e.event_time.as_ref().map(|t| t.0)),
            e.metadata
                .resource_version
                .as_ref()
                .and_then(|r| r.parse::<u64>().ok()),
        )
    });
    v
}
