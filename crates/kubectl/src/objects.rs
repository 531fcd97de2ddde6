//! Reading objects out of the simulation's store by resource type: rows for tables, JSON for
//! `-o yaml|json|jsonpath`, labels for selectors. Also label-selector parsing and matching
//! (apimachinery `pkg/labels/selector.go` grammar: `k=v`, `k==v`, `k!=v`, `k`, `!k`,
//! `k in (a,b)`, `k notin (a,b)`, comma = AND).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{
    ConfigMap, Endpoints, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod,
    Secret, Service,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::storage::v1::StorageClass;
use serde_json::Value;
use sim::store::{Object, Store};
use sim::time::SimTime;

use crate::printers::{self, Row};
use crate::resources::Res;

/// One object, ready to print.
#[derive(Debug, Clone)]
pub struct Item {
    pub res: Res,
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub json: Value,
    pub row: Row,
}

fn item<T: Object>(res: Res, o: &T, row: Row) -> Item {
    item_from(res, o.metadata(), k8sjson::to_value(o), row)
}

/// [`item`]'s kind-independent part (one copy for every kind, issue #17).
#[inline(never)]
fn item_from(
    res: Res,
    m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    mut json: Value,
    row: Row,
) -> Item {
    if res == Res::Event {
        core_event_view(&mut json);
    }
    Item {
        res,
        namespace: m.namespace.clone().unwrap_or_default(),
        name: m.name.clone().unwrap_or_default(),
        labels: m.labels.clone().unwrap_or_default(),
        json,
        row,
    }
}

/// An Event as the core/v1 API serves it (`k8s.io/api/core/v1` `Event`): the time fields are
/// `metav1.Time`/`MicroTime` structs, which encode as `null` when unset (`omitempty` does not
/// drop a struct), `source` is an empty object, and `reportingComponent`/`reportingInstance`
/// have no `omitempty`. So an event written through events.k8s.io (the scheduler's) reads
/// `firstTimestamp: null`, `lastTimestamp: null`, `source: {}`, and a core/v1 one
/// `eventTime: null`.
fn core_event_view(json: &mut Value) {
    let Some(m) = json.as_object_mut() else {
        return;
    };
    for k in ["eventTime", "firstTimestamp", "lastTimestamp"] {
        m.entry(k).or_insert(Value::Null);
    }
    m.entry("source")
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    for k in ["reportingComponent", "reportingInstance"] {
        m.entry(k).or_insert_with(|| Value::String(String::new()));
    }
}

macro_rules! by_res {
    ($res:expr, $T:ident => $body:expr) => {
        match $res {
            Res::Pod => {
                type $T = Pod;
                $body
            }
            Res::StatefulSet => {
                type $T = StatefulSet;
                $body
            }
            Res::Deployment => {
                type $T = Deployment;
                $body
            }
            Res::ReplicaSet => {
                type $T = ReplicaSet;
                $body
            }
            Res::Service => {
                type $T = Service;
                $body
            }
            Res::Pvc => {
                type $T = PersistentVolumeClaim;
                $body
            }
            Res::Pv => {
                type $T = PersistentVolume;
                $body
            }
            Res::StorageClass => {
                type $T = StorageClass;
                $body
            }
            Res::Node => {
                type $T = Node;
                $body
            }
            Res::Event => {
                type $T = Event;
                $body
            }
            Res::ControllerRevision => {
                type $T = ControllerRevision;
                $body
            }
            Res::Endpoints => {
                type $T = Endpoints;
                $body
            }
            Res::EndpointSlice => {
                type $T = EndpointSlice;
                $body
            }
            Res::Namespace => {
                type $T = Namespace;
                $body
            }
            Res::ConfigMap => {
                type $T = ConfigMap;
                $body
            }
            Res::Secret => {
                type $T = Secret;
                $body
            }
            Res::PodDisruptionBudget => {
                type $T = k8s_openapi::api::policy::v1::PodDisruptionBudget;
                $body
            }
        }
    };
}

/// The table row of any stored object.
pub trait RowOf {
    fn row(&self, now: SimTime) -> Row;
}
impl RowOf for Pod {
    fn row(&self, now: SimTime) -> Row {
        printers::pod_row(self, now)
    }
}
impl RowOf for StatefulSet {
    fn row(&self, now: SimTime) -> Row {
        printers::statefulset_row(self, now)
    }
}
impl RowOf for Deployment {
    fn row(&self, now: SimTime) -> Row {
        printers::deployment_row(self, now)
    }
}
impl RowOf for ReplicaSet {
    fn row(&self, now: SimTime) -> Row {
        printers::replicaset_row(self, now)
    }
}
impl RowOf for Service {
    fn row(&self, now: SimTime) -> Row {
        printers::service_row(self, now)
    }
}
impl RowOf for PersistentVolumeClaim {
    fn row(&self, now: SimTime) -> Row {
        printers::pvc_row(self, now)
    }
}
impl RowOf for PersistentVolume {
    fn row(&self, now: SimTime) -> Row {
        printers::pv_row(self, now)
    }
}
impl RowOf for StorageClass {
    fn row(&self, now: SimTime) -> Row {
        printers::storageclass_row(self, now)
    }
}
impl RowOf for Node {
    fn row(&self, now: SimTime) -> Row {
        printers::node_row(self, now)
    }
}
impl RowOf for Event {
    fn row(&self, now: SimTime) -> Row {
        printers::event_row(self, now)
    }
}
impl RowOf for ControllerRevision {
    fn row(&self, now: SimTime) -> Row {
        printers::controllerrevision_row(self, now)
    }
}
impl RowOf for Endpoints {
    fn row(&self, now: SimTime) -> Row {
        printers::endpoints_row(self, now)
    }
}
impl RowOf for EndpointSlice {
    fn row(&self, now: SimTime) -> Row {
        printers::endpointslice_row(self, now)
    }
}
impl RowOf for Namespace {
    fn row(&self, now: SimTime) -> Row {
        printers::namespace_row(self, now)
    }
}
impl RowOf for ConfigMap {
    fn row(&self, now: SimTime) -> Row {
        printers::configmap_row(self, now)
    }
}
impl RowOf for Secret {
    fn row(&self, now: SimTime) -> Row {
        printers::secret_row(self, now)
    }
}

impl RowOf for k8s_openapi::api::policy::v1::PodDisruptionBudget {
    fn row(&self, now: SimTime) -> Row {
        printers::pdb_row(self, now)
    }
}

/// One object by name.
pub fn get(store: &Store, res: Res, ns: &str, name: &str, now: SimTime) -> Option<Item> {
    by_res!(res, T => store.get::<T>(ns, name).map(|o| item(res, o, o.row(now))))
}

/// Objects of a type in a namespace (`None` = all namespaces), in list order.
pub fn list(store: &Store, res: Res, ns: Option<&str>, now: SimTime) -> Vec<Item> {
    let mut out = Vec::new();
    by_res!(res, T => {
        for o in store.list::<T>(ns) {
            out.push(item(res, o, o.row(now)));
        }
    });
    out
}

/// One label requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Req {
    Eq(String, String),
    Ne(String, String),
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
}

/// Parse a label selector; errors read like kubectl's.
pub fn parse_selector(s: &str) -> Result<Vec<Req>, String> {
    let mut reqs = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => {
                depth += 1;
                cur.push(c);
            }
            ')' => {
                depth -= 1;
                cur.push(c);
            }
            ',' if depth == 0 => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let bad =
            || format!("error: unable to parse requirement: found '{p}', expected: identifier");
        if let Some(k) = p.strip_prefix('!') {
            reqs.push(Req::NotExists(k.trim().to_string()));
        } else if let Some((k, v)) = p.split_once("!=") {
            reqs.push(Req::Ne(k.trim().into(), v.trim().into()));
        } else if let Some((k, v)) = p.split_once("==") {
            reqs.push(Req::Eq(k.trim().into(), v.trim().into()));
        } else if let Some((k, v)) = p.split_once('=') {
            reqs.push(Req::Eq(k.trim().into(), v.trim().into()));
        } else if let Some((k, rest)) = p.split_once(" notin ") {
            reqs.push(Req::NotIn(
                k.trim().into(),
                set_values(rest).ok_or_else(bad)?,
            ));
        } else if let Some((k, rest)) = p.split_once(" in ") {
            reqs.push(Req::In(k.trim().into(), set_values(rest).ok_or_else(bad)?));
        } else if p
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        {
            reqs.push(Req::Exists(p.to_string()));
        } else {
            return Err(bad());
        }
    }
    Ok(reqs)
}

fn set_values(s: &str) -> Option<Vec<String>> {
    let inner = s.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(
        inner
            .split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect(),
    )
}

/// Whether labels satisfy every requirement.
pub fn matches(reqs: &[Req], labels: &BTreeMap<String, String>) -> bool {
    reqs.iter().all(|r| match r {
        Req::Eq(k, v) => labels.get(k) == Some(v),
        Req::Ne(k, v) => labels.get(k) != Some(v),
        Req::Exists(k) => labels.contains_key(k),
        Req::NotExists(k) => !labels.contains_key(k),
        Req::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
        Req::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
    })
}

/// A field selector requirement: (JSON path of the field, wanted value, equal?).
pub type FieldReq = (Vec<String>, String, bool);

/// Parse `--field-selector` (`a.b=v`, `a.b==v`, `a.b!=v`, comma = AND); the apiserver supports
/// `metadata.name`/`metadata.namespace` on every kind plus a few per kind (`status.phase`,
/// `spec.nodeName`, `involvedObject.*`, `type`, `reason`, ...), which all read a field here.
pub fn parse_field_selector(s: &str) -> Result<Vec<FieldReq>, String> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v, eq) = if let Some((k, v)) = part.split_once("!=") {
            (k, v, false)
        } else if let Some((k, v)) = part.split_once("==") {
            (k, v, true)
        } else if let Some((k, v)) = part.split_once('=') {
            (k, v, true)
        } else {
            return Err(format!("error: invalid field selector: '{part}'"));
        };
        out.push((
            k.trim().split('.').map(str::to_string).collect(),
            v.trim().to_string(),
            eq,
        ));
    }
    Ok(out)
}

/// Whether an object's JSON satisfies the field requirements (a missing field reads as "").
pub fn matches_fields(reqs: &[FieldReq], obj: &Value) -> bool {
    reqs.iter().all(|(path, want, eq)| {
        let mut cur = Some(obj);
        for seg in path {
            cur = cur.and_then(|c| c.get(seg));
        }
        let got = match cur {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        (got == *want) == *eq
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_selectors() {
        let obj = serde_json::json!({"metadata": {"name": "a"}, "status": {"phase": "Running"}});
        let r = parse_field_selector("status.phase=Running,metadata.name!=b").unwrap();
        assert!(matches_fields(&r, &obj));
        assert!(!matches_fields(
            &parse_field_selector("status.phase==Pending").unwrap(),
            &obj
        ));
        assert!(matches_fields(
            &parse_field_selector("spec.nodeName=").unwrap(),
            &obj
        ));
        assert!(parse_field_selector("nonsense").is_err());
    }

    #[test]
    fn selectors() {
        let l: BTreeMap<String, String> = [("app".to_string(), "nginx".to_string())].into();
        for (s, want) in [
            ("app=nginx", true),
            ("app==nginx", true),
            ("app!=nginx", false),
            ("app", true),
            ("!app", false),
            ("app in (a,nginx)", true),
            ("app notin (nginx)", false),
            ("app=nginx,tier=web", false),
            ("", true),
        ] {
            assert_eq!(matches(&parse_selector(s).unwrap(), &l), want, "{s}");
        }
        assert!(parse_selector("a b").is_err());
    }
}
