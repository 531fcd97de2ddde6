//! Strategic merge, as the apiserver applies a `application/strategic-merge-patch+json` body and
//! as client-side `kubectl apply` computes one (k8s.io/apimachinery
//! `pkg/util/strategicpatch/patch.go`: `StrategicMergePatch`, `CreateThreeWayMergePatch`).
//!
//! Lists tagged `patchStrategy:"merge"` in the API types merge item by item on their
//! `patchMergeKey` instead of being replaced whole; every other list is atomic. The tags live in
//! one table, [`TAGS`], which both `kubectl apply` (through [`three_way_merge`]) and
//! `kubectl patch --type strategic` (through [`apply_patch`]) read.
//!
//! Directives understood in a patch: `$patch: delete|replace` (on a map or on a list item),
//! `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and `$retainKeys`.
//!
//! Where upstream returns an error (a list item without its merge key, a list mixing maps and
//! scalars, an unknown `$patch` value) this module does not fail: the list is replaced whole
//! (or the directive ignored). Work is bounded by [`MAX_DEPTH`] and [`MAX_LIST`]: deeper maps
//! and longer lists are replaced whole.

use crate::sort::Sort as _;
use serde_json::{Map, Value};

/// Maps nested deeper than this are replaced whole instead of merged.
pub const MAX_DEPTH: usize = 64;
/// Lists longer than this are replaced whole instead of merged by key (merging is quadratic).
pub const MAX_LIST: usize = 1024;

/// The API type at a place in an object, as far as strategic merge needs to know it: only the
/// types that lead to a tagged list are named; everything else is [`Ty::Any`] (maps merge key
/// by key, lists are atomic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Any,
    /// A kind not listed below: only its `metadata` is typed.
    Object,
    ObjectMeta,
    StatefulSet,
    StatefulSetSpec,
    StatefulSetStatus,
    PodTemplateSpec,
    Pod,
    PodSpec,
    PodStatus,
    /// core/v1 `Container`, and `EphemeralContainer` (same tags on `EphemeralContainerCommon`).
    Container,
    /// An item of `PodSpec.volumes` (its `VolumeSource` is inlined).
    Volume,
    Service,
    ServiceSpec,
    ServiceStatus,
    PersistentVolumeClaim,
    PersistentVolumeClaimStatus,
    Node,
    NodeSpec,
    NodeStatus,
    Namespace,
    NamespaceStatus,
}

/// One `patchStrategy:"merge"` list field: `parent.field` merges on `key` (`None`: a list of
/// scalars merged as a set); `retain_keys` when the tag also says `retainKeys` (each item then
/// keeps only the keys the patch lists); `item` is the type of the items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag {
    pub parent: Ty,
    pub field: &'static str,
    pub key: Option<&'static str>,
    pub retain_keys: bool,
    pub item: Ty,
}

const fn tag(parent: Ty, field: &'static str, key: &'static str, item: Ty) -> Tag {
    Tag {
        parent,
        field,
        key: Some(key),
        retain_keys: false,
        item,
    }
}

/// The `patchStrategy:"merge"` lists of the kinds the simulator stores, from the struct tags in
/// k8s.io/api `core/v1/types.go`, `apps/v1/types.go` and k8s.io/apimachinery
/// `pkg/apis/meta/v1/types.go`. Lists not here are atomic: notably `tolerations`,
/// `volumeClaimTemplates`, `command`, `args`, `envFrom`, `accessModes`, `containerStatuses`,
/// `readinessGates`, `taints` carry no patch strategy upstream.
pub const TAGS: &[Tag] = &[
    // meta/v1 ObjectMeta
    tag(Ty::ObjectMeta, "ownerReferences", "uid", Ty::Any),
    Tag {
        parent: Ty::ObjectMeta,
        field: "finalizers",
        key: None,
        retain_keys: false,
        item: Ty::Any,
    },
    // core/v1 PodSpec
    Tag {
        parent: Ty::PodSpec,
        field: "volumes",
        key: Some("name"),
        retain_keys: true,
        item: Ty::Volume,
    },
    tag(Ty::PodSpec, "initContainers", "name", Ty::Container),
    tag(Ty::PodSpec, "containers", "name", Ty::Container),
    tag(Ty::PodSpec, "ephemeralContainers", "name", Ty::Container),
    tag(Ty::PodSpec, "imagePullSecrets", "name", Ty::Any),
    tag(Ty::PodSpec, "hostAliases", "ip", Ty::Any),
    tag(
        Ty::PodSpec,
        "topologySpreadConstraints",
        "topologyKey",
        Ty::Any,
    ),
    tag(Ty::PodSpec, "schedulingGates", "name", Ty::Any),
    Tag {
        parent: Ty::PodSpec,
        field: "resourceClaims",
        key: Some("name"),
        retain_keys: true,
        item: Ty::Any,
    },
    // core/v1 Container (and EphemeralContainerCommon)
    tag(Ty::Container, "ports", "containerPort", Ty::Any),
    tag(Ty::Container, "env", "name", Ty::Any),
    tag(Ty::Container, "volumeMounts", "mountPath", Ty::Any),
    tag(Ty::Container, "volumeDevices", "devicePath", Ty::Any),
    // core/v1 PodStatus
    tag(Ty::PodStatus, "conditions", "type", Ty::Any),
    tag(Ty::PodStatus, "hostIPs", "ip", Ty::Any),
    tag(Ty::PodStatus, "podIPs", "ip", Ty::Any),
    Tag {
        parent: Ty::PodStatus,
        field: "resourceClaimStatuses",
        key: Some("name"),
        retain_keys: true,
        item: Ty::Any,
    },
    // core/v1 ServiceSpec / ServiceStatus
    tag(Ty::ServiceSpec, "ports", "port", Ty::Any),
    tag(Ty::ServiceStatus, "conditions", "type", Ty::Any),
    // core/v1 PersistentVolumeClaimStatus
    tag(
        Ty::PersistentVolumeClaimStatus,
        "conditions",
        "type",
        Ty::Any,
    ),
    // core/v1 NodeSpec / NodeStatus, NamespaceStatus
    Tag {
        parent: Ty::NodeSpec,
        field: "podCIDRs",
        key: None,
        retain_keys: false,
        item: Ty::Any,
    },
    tag(Ty::NodeStatus, "conditions", "type", Ty::Any),
    tag(Ty::NodeStatus, "addresses", "type", Ty::Any),
    tag(Ty::NamespaceStatus, "conditions", "type", Ty::Any),
    // apps/v1 StatefulSetStatus
    tag(Ty::StatefulSetStatus, "conditions", "type", Ty::Any),
];

/// How a list field merges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListStrategy {
    /// No patch strategy: the list is replaced whole.
    Atomic,
    /// Merged item by item on `key` (`None`: scalars, merged as a set).
    Merge { key: Option<&'static str> },
}

/// What strategic merge knows about the field `name` of a value of type `parent`: how it merges
/// if it is a list, whether its items retain keys, and the type of the field (of its items, for
/// a list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldMeta {
    pub list: ListStrategy,
    pub retain_keys: bool,
    pub ty: Ty,
}

/// The type at the root of an object of `kind`.
pub fn root(kind: &str) -> Ty {
    match kind {
        "StatefulSet" => Ty::StatefulSet,
        "Pod" => Ty::Pod,
        "Service" => Ty::Service,
        "PersistentVolumeClaim" => Ty::PersistentVolumeClaim,
        "Node" => Ty::Node,
        "Namespace" => Ty::Namespace,
        _ => Ty::Object,
    }
}

/// The type at the root of the object `obj` (by its `kind`).
pub fn root_of(obj: &Value) -> Ty {
    root(obj.get("kind").and_then(Value::as_str).unwrap_or(""))
}

/// The type of the map field `name` of a `parent`.
fn child(parent: Ty, name: &str) -> Ty {
    match (parent, name) {
        (
            Ty::Object
            | Ty::StatefulSet
            | Ty::Pod
            | Ty::Service
            | Ty::PersistentVolumeClaim
            | Ty::Node
            | Ty::Namespace
            | Ty::PodTemplateSpec,
            "metadata",
        ) => Ty::ObjectMeta,
        (Ty::StatefulSet, "spec") => Ty::StatefulSetSpec,
        (Ty::StatefulSet, "status") => Ty::StatefulSetStatus,
        (Ty::StatefulSetSpec, "template") => Ty::PodTemplateSpec,
        (Ty::PodTemplateSpec | Ty::Pod, "spec") => Ty::PodSpec,
        (Ty::Pod, "status") => Ty::PodStatus,
        (Ty::Service, "spec") => Ty::ServiceSpec,
        (Ty::Service, "status") => Ty::ServiceStatus,
        (Ty::PersistentVolumeClaim, "status") => Ty::PersistentVolumeClaimStatus,
        (Ty::Node, "spec") => Ty::NodeSpec,
        (Ty::Node, "status") => Ty::NodeStatus,
        (Ty::Namespace, "status") => Ty::NamespaceStatus,
        _ => Ty::Any,
    }
}

/// Strategic-merge metadata of the field `name` of a `parent`.
pub fn field(parent: Ty, name: &str) -> FieldMeta {
    match TAGS.iter().find(|t| t.parent == parent && t.field == name) {
        Some(t) => FieldMeta {
            list: ListStrategy::Merge { key: t.key },
            retain_keys: t.retain_keys,
            ty: t.item,
        },
        None => FieldMeta {
            list: ListStrategy::Atomic,
            retain_keys: false,
            ty: child(parent, name),
        },
    }
}

/// The merge key of the list field `name` of a `parent`, if it merges by key.
pub fn merge_key(parent: Ty, name: &str) -> Option<&'static str> {
    match field(parent, name).list {
        ListStrategy::Merge { key } => key,
        ListStrategy::Atomic => None,
    }
}

const PATCH: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const SET_ORDER: &str = "$setElementOrder/";
const DELETE_FROM: &str = "$deleteFromPrimitiveList/";

// ---------------------------------------------------------------------------------------------
// Applying a patch (StrategicMergePatch).

/// `patch` applied to `target` as the apiserver applies a strategic merge patch to an object of
/// type `ty` (see [`root_of`]): maps merge key by key (`null` deletes), tagged lists merge by
/// key in upstream's order, other lists and scalars are replaced.
pub fn apply_patch(target: &Value, patch: &Value, ty: Ty) -> Value {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => Value::Object(apply_map(t.clone(), p, ty, 0)),
        (_, Value::Object(p)) => Value::Object(apply_map(Map::new(), p, ty, 0)),
        (_, p) => clean(p).unwrap_or(Value::Null),
    }
}

/// A patch value placed where the target has nothing to merge it with: directives and nulls
/// removed (upstream `removeDirectives` and `discardNullValuesFromPatch`). `None` when the value
/// is itself a directive and goes.
fn clean(v: &Value) -> Option<Value> {
    clean_at(v, 0)
}

fn clean_at(v: &Value, depth: usize) -> Option<Value> {
    match v {
        Value::Object(m) => {
            if m.contains_key(PATCH) {
                return None;
            }
            if depth > MAX_DEPTH {
                return Some(v.clone());
            }
            let out: Map<String, Value> = crate::sort::to_object(
                m.iter()
                    .filter(|(k, x)| !k.starts_with('$') && !x.is_null())
                    .filter_map(|(k, x)| clean_at(x, depth + 1).map(|x| (k.clone(), x))),
            );
            Some(Value::Object(out))
        }
        Value::Array(a) => Some(Value::Array(
            a.iter().filter_map(|x| clean_at(x, depth + 1)).collect(),
        )),
        other => Some(other.clone()),
    }
}

fn apply_map(
    mut cur: Map<String, Value>,
    p: &Map<String, Value>,
    ty: Ty,
    depth: usize,
) -> Map<String, Value> {
    match p.get(PATCH).and_then(Value::as_str) {
        Some("replace") => {
            let mut m = p.clone();
            m.remove(PATCH);
            return match clean(&Value::Object(m)) {
                Some(Value::Object(m)) => m,
                _ => Map::new(),
            };
        }
        Some("delete") => return Map::new(),
        _ => {}
    }
    if depth > MAX_DEPTH {
        return match clean(&Value::Object(p.clone())) {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
    }
    // `$retainKeys`: keys of the target the patch does not list are cleared.
    if let Some(Value::Array(keep)) = p.get(RETAIN_KEYS) {
        cur.retain(|k, _| keep.iter().any(|x| x.as_str() == Some(k.as_str())));
    }
    // Lists with a `$setElementOrder` directive first: merged, then put in that order
    // (upstream `mergePatchIntoOriginal`).
    let mut ordered: Vec<&str> = Vec::new();
    for (k, order) in p {
        let (Some(name), Value::Array(order)) = (k.strip_prefix(SET_ORDER), order) else {
            continue;
        };
        let meta = field(ty, name);
        let ListStrategy::Merge { key } = meta.list else {
            continue;
        };
        let cur_list = cur.get(name).and_then(Value::as_array);
        let patch_list = p.get(name).and_then(Value::as_array);
        let merged = match (cur_list, patch_list) {
            (Some(c), None) => c.clone(),
            (None, Some(pl)) => clean_list(pl),
            (Some(c), Some(pl)) => merge_list(c, pl, key, meta, depth + 1),
            (None, None) => continue,
        };
        let server_order = cur_list.cloned().unwrap_or_default();
        let out = if merged.len() > MAX_LIST || order.len() > MAX_LIST {
            merged
        } else {
            let (in_patch, server_only) = partition(merged, order, key);
            normalize_order(in_patch, server_only, order, &server_order, key)
        };
        cur.insert(name.to_string(), Value::Array(out));
        ordered.push(name);
    }
    for (k, pv) in p {
        if k == PATCH
            || k == RETAIN_KEYS
            || k.starts_with(SET_ORDER)
            || ordered.contains(&k.as_str())
        {
            continue;
        }
        if let Some(name) = k.strip_prefix(DELETE_FROM) {
            if let (Some(Value::Array(c)), Value::Array(gone)) = (cur.get_mut(name), pv) {
                c.retain(|x| !gone.contains(x));
            }
            continue;
        }
        if pv.is_null() {
            cur.remove(k);
            continue;
        }
        let merged = match (cur.get(k), pv) {
            (Some(Value::Object(c)), Value::Object(pm)) => Some(Value::Object(apply_map(
                c.clone(),
                pm,
                field(ty, k).ty,
                depth + 1,
            ))),
            (Some(Value::Array(c)), Value::Array(pl)) => {
                let meta = field(ty, k);
                Some(Value::Array(match meta.list {
                    ListStrategy::Merge { key } => merge_list(c, pl, key, meta, depth + 1),
                    ListStrategy::Atomic => clean_list(pl),
                }))
            }
            _ => clean(pv),
        };
        match merged {
            Some(v) => {
                cur.insert(k.clone(), v);
            }
            None => {
                cur.remove(k);
            }
        }
    }
    cur
}

fn clean_list(l: &[Value]) -> Vec<Value> {
    l.iter().filter_map(clean).collect()
}

/// What identifies a list item: its merge key's value, or the item itself for scalars.
fn ident<'a>(v: &'a Value, key: Option<&str>) -> Option<&'a Value> {
    match key {
        Some(k) => v.get(k),
        None => Some(v),
    }
}

fn position(list: &[Value], v: &Value, key: Option<&str>) -> Option<usize> {
    let id = ident(v, key)?;
    list.iter().position(|x| ident(x, key) == Some(id))
}

/// Whether the items of these lists can be merged with `key`: all maps carrying the key, or
/// (without a key) all scalars; and not too many.
fn mergeable(lists: &[&[Value]], key: Option<&str>) -> bool {
    lists.iter().all(|l| {
        l.len() <= MAX_LIST
            && l.iter().all(|x| match key {
                Some(k) => x.get(k).is_some(),
                None => !x.is_object() && !x.is_array(),
            })
    })
}

/// A tagged list of the target merged with the patch's (upstream `mergeSlice`).
fn merge_list(
    cur: &[Value],
    pl: &[Value],
    key: Option<&str>,
    meta: FieldMeta,
    depth: usize,
) -> Vec<Value> {
    if cur.is_empty() && pl.is_empty() {
        return Vec::new();
    }
    if !mergeable(&[cur, pl], key) || depth > MAX_DEPTH {
        return clean_list(pl);
    }
    let Some(k) = key else {
        // Scalars: the union, without duplicates.
        let mut merged: Vec<Value> = Vec::new();
        for x in cur.iter().chain(pl) {
            if !merged.contains(x) {
                merged.push(x.clone());
            }
        }
        let (in_patch, server_only) = partition(merged, pl, None);
        return normalize_order(in_patch, server_only, pl, cur, None);
    };
    let mut base: Vec<Value> = cur.to_vec();
    let mut items: Vec<&Value> = Vec::new();
    let mut replace = false;
    for it in pl {
        match it.get(PATCH).and_then(Value::as_str) {
            Some("delete") => base.retain(|c| c.get(k) != it.get(k)),
            Some("replace") => replace = true,
            Some(_) => {}
            None => items.push(it),
        }
    }
    if replace {
        base = items.iter().filter_map(|x| clean(x)).collect();
        items.clear();
    }
    let server_order = base.clone();
    let mut merged = base;
    for it in items {
        let at = merged.iter().position(|c| c.get(k) == it.get(k));
        let slot = at.and_then(|i| merged.get_mut(i));
        match (slot, it) {
            (Some(slot), Value::Object(pm)) => {
                let c = match slot {
                    Value::Object(c) => std::mem::take(c),
                    _ => Map::new(),
                };
                *slot = Value::Object(apply_map(c, pm, meta.ty, depth + 1));
            }
            _ => {
                if let Some(v) = clean(it) {
                    merged.push(v);
                }
            }
        }
    }
    let (in_patch, server_only) = partition(merged, pl, key);
    normalize_order(in_patch, server_only, pl, &server_order, key)
}

/// The items of `merged` named in `by`, and the others (server-only items).
fn partition(merged: Vec<Value>, by: &[Value], key: Option<&str>) -> (Vec<Value>, Vec<Value>) {
    merged
        .into_iter()
        .partition(|x| position(by, x, key).is_some())
}

/// Upstream `normalizeElementOrder`: the patch's items sorted by the patch's order, the
/// server-only items by their order in the target, then the two interleaved: a server-only item
/// goes before a patch item when it came before it in the target (`mergeSortedSlice`).
fn normalize_order(
    in_patch: Vec<Value>,
    server_only: Vec<Value>,
    patch_order: &[Value],
    server_order: &[Value],
    key: Option<&str>,
) -> Vec<Value> {
    let sorted = |items: Vec<Value>, order: &[Value]| -> Vec<Value> {
        let mut keyed: Vec<(usize, Value)> = items
            .into_iter()
            .map(|x| (position(order, &x, key).unwrap_or(usize::MAX), x))
            .collect();
        keyed.stable_sort_by_key(|(i, _)| *i);
        keyed.into_iter().map(|(_, x)| x).collect()
    };
    let left = sorted(server_only, server_order);
    let right = sorted(in_patch, patch_order);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(l), Some(r)) => matches!(
                (position(server_order, l, key), position(server_order, r, key)),
                (Some(li), Some(ri)) if li < ri
            ),
        };
        let next = if take_left { left.next() } else { right.next() };
        out.extend(next);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Computing a three-way patch (CreateThreeWayMergePatch).

/// Which differences a diff reports (upstream `DiffOptions`; `SetElementOrder` is always on, as
/// in `CreateThreeWayMergePatch`).
#[derive(Clone, Copy)]
struct DiffOpts {
    ignore_deletions: bool,
    ignore_changes: bool,
}

fn kind_of(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// Upstream `diffMaps`: the patch taking `o` to `m`, restricted by `opts`.
fn diff_maps(
    o: &Map<String, Value>,
    m: &Map<String, Value>,
    ty: Ty,
    retain: bool,
    opts: DiffOpts,
    depth: usize,
) -> Map<String, Value> {
    let mut patch = Map::new();
    let mut retain_list: Vec<&str> = Vec::new();
    for (k, mv) in m {
        if retain && !mv.is_null() {
            retain_list.push(k);
        }
        let Some(ov) = o.get(k) else {
            if !opts.ignore_changes {
                patch.insert(k.clone(), mv.clone());
            }
            continue;
        };
        if k == PATCH {
            if ov != mv {
                patch.insert(k.clone(), mv.clone());
            }
            continue;
        }
        let replace = |patch: &mut Map<String, Value>| {
            if !opts.ignore_changes && ov != mv {
                patch.insert(k.clone(), mv.clone());
            }
        };
        if kind_of(ov) != kind_of(mv) || depth > MAX_DEPTH {
            replace(&mut patch);
            continue;
        }
        match (ov, mv) {
            (Value::Object(om), Value::Object(mm)) => {
                let meta = field(ty, k);
                let p = diff_maps(om, mm, meta.ty, false, opts, depth + 1);
                if !p.is_empty() {
                    patch.insert(k.clone(), Value::Object(p));
                }
            }
            (Value::Array(ol), Value::Array(ml)) => {
                let meta = field(ty, k);
                let ListStrategy::Merge { key } = meta.list else {
                    replace(&mut patch);
                    continue;
                };
                if !mergeable(&[ol, ml], key) {
                    replace(&mut patch);
                    continue;
                }
                let (add, del, order) = diff_lists(ol, ml, key, meta, opts, depth + 1);
                if !add.is_empty() {
                    patch.insert(k.clone(), Value::Array(add));
                }
                if !del.is_empty() {
                    patch.insert(format!("{DELETE_FROM}{k}"), Value::Array(del));
                }
                if !order.is_empty() {
                    patch.insert(format!("{SET_ORDER}{k}"), Value::Array(order));
                }
            }
            _ => replace(&mut patch),
        }
    }
    if !opts.ignore_deletions {
        for k in o.keys() {
            if !m.contains_key(k) {
                patch.insert(k.clone(), Value::Null);
            }
        }
    }
    let extra = o.iter().any(|(k, v)| !v.is_null() && !m.contains_key(k));
    if !retain_list.is_empty() && (!patch.is_empty() || extra) {
        retain_list.stable_sort();
        patch.insert(
            RETAIN_KEYS.to_string(),
            Value::Array(
                retain_list
                    .into_iter()
                    .map(|k| Value::String(k.to_string()))
                    .collect(),
            ),
        );
    }
    patch
}

/// Upstream `diffLists` for a merge list: the patch list (changed and added items, then delete
/// directives), the parallel deletion list (scalars) and the `$setElementOrder` list.
fn diff_lists(
    o: &[Value],
    m: &[Value],
    key: Option<&str>,
    meta: FieldMeta,
    opts: DiffOpts,
    depth: usize,
) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    if o.is_empty() {
        if m.is_empty() || opts.ignore_changes {
            return (Vec::new(), Vec::new(), Vec::new());
        }
        return (m.to_vec(), Vec::new(), Vec::new());
    }
    let Some(k) = key else {
        let mut add: Vec<Value> = Vec::new();
        let mut del: Vec<Value> = Vec::new();
        if !opts.ignore_changes {
            for x in m {
                if !o.contains(x) && !add.contains(x) {
                    add.push(x.clone());
                }
            }
        }
        if !opts.ignore_deletions {
            for x in o {
                if !m.contains(x) && !del.contains(x) {
                    del.push(x.clone());
                }
            }
        }
        let order =
            if (!opts.ignore_deletions && !del.is_empty()) || (!opts.ignore_changes && o != m) {
                m.to_vec()
            } else {
                Vec::new()
            };
        return (add, del, order);
    };
    let mut patch: Vec<Value> = Vec::new();
    for mi in m {
        let id = mi.get(k);
        match (o.iter().find(|oi| oi.get(k) == id), mi) {
            (Some(Value::Object(oi)), Value::Object(mm)) => {
                let mut p = diff_maps(oi, mm, meta.ty, meta.retain_keys, opts, depth + 1);
                if !p.is_empty() {
                    if let Some(id) = id {
                        p.insert(k.to_string(), id.clone());
                    }
                    patch.push(Value::Object(p));
                }
            }
            _ => {
                if !opts.ignore_changes {
                    patch.push(mi.clone());
                }
            }
        }
    }
    if !opts.ignore_deletions {
        for oi in o {
            let id = oi.get(k);
            if !m.iter().any(|mi| mi.get(k) == id)
                && let Some(id) = id
            {
                let mut d = Map::new();
                d.insert(k.to_string(), id.clone());
                d.insert(PATCH.to_string(), Value::String("delete".into()));
                patch.push(Value::Object(d));
            }
        }
    }
    let order_same = o.len() == m.len() && o.iter().zip(m).all(|(a, b)| a.get(k) == b.get(k));
    let want_order = (!opts.ignore_changes && (!patch.is_empty() || !order_same))
        || (!opts.ignore_deletions && !patch.is_empty());
    let order = if want_order {
        m.iter()
            .filter_map(|mi| {
                let mut e = Map::new();
                e.insert(k.to_string(), mi.get(k)?.clone());
                Some(Value::Object(e))
            })
            .collect()
    } else {
        Vec::new()
    };
    (patch, Vec::new(), order)
}

/// Two patches made into one (the deletions and the delta of `CreateThreeWayMergePatch`, which
/// upstream merges with `mergeMap` without executing the directives).
fn union(
    mut a: Map<String, Value>,
    b: Map<String, Value>,
    ty: Ty,
    depth: usize,
) -> Map<String, Value> {
    for (k, bv) in b {
        let Some(av) = a.get_mut(&k) else {
            a.insert(k, bv);
            continue;
        };
        if k.starts_with('$') || depth > MAX_DEPTH {
            *av = bv;
            continue;
        }
        match (av, bv) {
            (Value::Object(am), Value::Object(bm)) => {
                let inner = std::mem::take(am);
                *am = union(inner, bm, field(ty, &k).ty, depth + 1);
            }
            (Value::Array(al), Value::Array(bl)) => {
                let meta = field(ty, &k);
                match meta.list {
                    ListStrategy::Merge { key: Some(key) } => {
                        // The second patch's items first, each merged with the first patch's
                        // item of the same key, then the first patch's other items (its delete
                        // directives), as upstream's merge of the two orders them.
                        let mut rest = std::mem::take(al);
                        for item in bl {
                            let at = rest.iter().position(|x| x.get(key) == item.get(key));
                            let first = at.map(|i| rest.remove(i));
                            al.push(match (first, item) {
                                (Some(Value::Object(am)), Value::Object(bm)) => {
                                    Value::Object(union(am, bm, meta.ty, depth + 1))
                                }
                                (_, item) => item,
                            });
                        }
                        al.extend(rest);
                    }
                    ListStrategy::Merge { key: None } => {
                        for item in bl {
                            if !al.contains(&item) {
                                al.push(item);
                            }
                        }
                    }
                    ListStrategy::Atomic => *al = bl,
                }
            }
            (av, bv) => *av = bv,
        }
    }
    a
}

/// The patch client-side `kubectl apply` sends (upstream `CreateThreeWayMergePatch` with
/// overwrite): changes and additions from `current` to `modified`, deletions from `original` to
/// `modified`, with `$setElementOrder` for the merge lists it touches.
pub fn three_way_patch(original: &Value, modified: &Value, current: &Value, ty: Ty) -> Value {
    let empty = Map::new();
    let as_map = |v: &Value| v.as_object().cloned().unwrap_or_else(|| empty.clone());
    let (o, m, c) = (as_map(original), as_map(modified), as_map(current));
    let delta = diff_maps(
        &c,
        &m,
        ty,
        false,
        DiffOpts {
            ignore_deletions: true,
            ignore_changes: false,
        },
        0,
    );
    let deletions = diff_maps(
        &o,
        &m,
        ty,
        false,
        DiffOpts {
            ignore_deletions: false,
            ignore_changes: true,
        },
        0,
    );
    Value::Object(union(deletions, delta, ty, 0))
}

/// `kubectl apply` of `modified` over `current`, whose last applied configuration was
/// `original` (`{}` when there is none): the three-way patch applied to `current`. Fields and
/// merge-list items others added stay; what the user removed since `original` goes.
pub fn three_way_merge(original: &Value, modified: &Value, current: &Value, ty: Ty) -> Value {
    apply_patch(
        current,
        &three_way_patch(original, modified, current, ty),
        ty,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(containers: Value) -> Value {
        json!({"kind": "StatefulSet", "spec": {"template": {"spec": {"containers": containers}}}})
    }

    fn containers(v: &Value) -> &Value {
        &v["spec"]["template"]["spec"]["containers"]
    }

    fn names(list: &Value) -> Vec<&str> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|x| x["name"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn tags_follow_the_api_types() {
        // core/v1 types.go: Container.Ports merge on containerPort, ServiceSpec.Ports on port.
        assert_eq!(merge_key(Ty::Container, "ports"), Some("containerPort"));
        assert_eq!(merge_key(Ty::ServiceSpec, "ports"), Some("port"));
        assert_eq!(merge_key(Ty::Container, "volumeMounts"), Some("mountPath"));
        assert_eq!(merge_key(Ty::PodSpec, "volumes"), Some("name"));
        assert!(field(Ty::PodSpec, "volumes").retain_keys);
        // No patchStrategy upstream: atomic.
        assert_eq!(field(Ty::PodSpec, "tolerations").list, ListStrategy::Atomic);
        assert_eq!(
            field(Ty::StatefulSetSpec, "volumeClaimTemplates").list,
            ListStrategy::Atomic
        );
        assert_eq!(field(Ty::Container, "command").list, ListStrategy::Atomic);
        assert_eq!(
            field(Ty::ObjectMeta, "finalizers").list,
            ListStrategy::Merge { key: None }
        );
        // Types found by walking from the kind.
        let spec = field(field(root("StatefulSet"), "spec").ty, "template").ty;
        assert_eq!(
            field(field(spec, "spec").ty, "containers").ty,
            Ty::Container
        );
        assert_eq!(field(root("ConfigMap"), "data").ty, Ty::Any);
    }

    #[test]
    fn patch_merges_containers_by_name_and_puts_new_items_first() {
        // upstream mergeSlice + normalizeElementOrder: without $setElementOrder, patch items
        // not in the target come before the target's items (mergeSortedSlice).
        let t = set(json!([{"name": "a", "image": "1"}, {"name": "b", "image": "2"}]));
        let p = set(json!([{"name": "b", "image": "3"}, {"name": "c", "image": "4"}]));
        let r = apply_patch(&t, &p, Ty::StatefulSet);
        assert_eq!(
            containers(&r),
            &json!([{"name": "a", "image": "1"}, {"name": "b", "image": "3"}, {"name": "c", "image": "4"}])
        );
        let p = set(json!([{"name": "c", "image": "4"}]));
        let r = apply_patch(&t, &p, Ty::StatefulSet);
        assert_eq!(names(containers(&r)), ["c", "a", "b"]);
    }

    #[test]
    fn patch_directives() {
        let t = set(json!([{"name": "a", "image": "1"}, {"name": "b", "image": "2"}]));
        // $patch: delete on an item
        let r = apply_patch(
            &t,
            &set(json!([{"name": "a", "$patch": "delete"}])),
            Ty::StatefulSet,
        );
        assert_eq!(names(containers(&r)), ["b"]);
        // $patch: replace on the list
        let r = apply_patch(
            &t,
            &set(json!([{"$patch": "replace"}, {"name": "z", "image": "9"}])),
            Ty::StatefulSet,
        );
        assert_eq!(containers(&r), &json!([{"name": "z", "image": "9"}]));
        // $setElementOrder reorders, items not named keep their place relative to the target
        let mut p = json!({"spec": {"template": {"spec": {"$setElementOrder/containers": [{"name": "b"}, {"name": "a"}]}}}});
        let r = apply_patch(&t, &p, Ty::StatefulSet);
        assert_eq!(names(containers(&r)), ["b", "a"]);
        // $deleteFromPrimitiveList on a scalar merge list, and a null deleting a key
        let t =
            json!({"kind": "Pod", "metadata": {"finalizers": ["x", "y"], "labels": {"a": "1"}}});
        p = json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["x"], "finalizers": ["z"], "labels": {"a": null}}});
        let r = apply_patch(&t, &p, Ty::Pod);
        assert_eq!(
            r["metadata"],
            json!({"finalizers": ["z", "y"], "labels": {}})
        );
    }

    #[test]
    fn atomic_lists_are_replaced() {
        let t = json!({"kind": "Pod", "spec": {"tolerations": [{"key": "a"}, {"key": "b"}],
            "containers": [{"name": "c", "command": ["sh", "-c", "x"]}]}});
        let p = json!({"spec": {"tolerations": [{"key": "a", "effect": "NoSchedule"}],
            "containers": [{"name": "c", "command": ["sleep"]}]}});
        let r = apply_patch(&t, &p, Ty::Pod);
        assert_eq!(
            r["spec"]["tolerations"],
            json!([{"key": "a", "effect": "NoSchedule"}])
        );
        assert_eq!(r["spec"]["containers"][0]["command"], json!(["sleep"]));
    }

    #[test]
    fn service_ports_merge_on_port_container_ports_on_container_port() {
        let t = json!({"kind": "Service", "spec": {"ports": [{"port": 80, "name": "web", "targetPort": 8080}]}});
        let p = json!({"spec": {"ports": [{"port": 80, "name": "http"}]}});
        let r = apply_patch(&t, &p, Ty::Service);
        assert_eq!(
            r["spec"]["ports"],
            json!([{"port": 80, "name": "http", "targetPort": 8080}])
        );
        let t = set(json!([{"name": "a", "ports": [{"containerPort": 80, "name": "web"}]}]));
        let p = set(json!([{"name": "a", "ports": [{"containerPort": 81}]}]));
        let r = apply_patch(&t, &p, Ty::StatefulSet);
        assert_eq!(
            containers(&r)[0]["ports"],
            json!([{"containerPort": 81}, {"containerPort": 80, "name": "web"}])
        );
    }

    /// The live object after the apiserver defaulted it and others changed it.
    fn live() -> Value {
        set(json!([
            {"name": "istio", "image": "proxy"},
            {"name": "web", "image": "nginx:1", "imagePullPolicy": "IfNotPresent",
             "env": [{"name": "A", "value": "1"}, {"name": "FROM_SET_ENV", "value": "x"}, {"name": "B", "value": "2"}],
             "command": ["a", "b"], "args": ["--x"]},
            {"name": "log", "image": "busybox"}
        ]))
    }

    #[test]
    fn three_way_keeps_items_others_added_and_deletes_what_the_user_removed() {
        let original = set(json!([
            {"name": "web", "image": "nginx:1", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
             "command": ["a", "b"], "args": ["--x"]},
            {"name": "log", "image": "busybox"}
        ]));
        // The user drops the `log` container, env B and args, changes the image and command.
        let modified = set(json!([
            {"name": "web", "image": "nginx:2", "env": [{"name": "A", "value": "1"}], "command": ["c"]}
        ]));
        let r = three_way_merge(&original, &modified, &live(), Ty::StatefulSet);
        assert_eq!(
            containers(&r),
            &json!([
                {"name": "istio", "image": "proxy"},
                {"name": "web", "image": "nginx:2", "imagePullPolicy": "IfNotPresent",
                 "env": [{"name": "A", "value": "1"}, {"name": "FROM_SET_ENV", "value": "x"}],
                 "command": ["c"]}
            ])
        );
    }

    #[test]
    fn three_way_patch_is_what_kubectl_sends() {
        let original =
            set(json!([{"name": "web", "image": "nginx:1"}, {"name": "log", "image": "busybox"}]));
        let modified = set(json!([{"name": "web", "image": "nginx:2"}]));
        let p = three_way_patch(&original, &modified, &live(), Ty::StatefulSet);
        assert_eq!(
            p,
            json!({"spec": {"template": {"spec": {
                "$setElementOrder/containers": [{"name": "web"}],
                "containers": [{"name": "web", "image": "nginx:2"}, {"name": "log", "$patch": "delete"}]
            }}}})
        );
        // Re-applying the same manifest over an object that has it is an empty patch.
        let r = three_way_merge(&modified, &modified, &live(), Ty::StatefulSet);
        let again = three_way_patch(&modified, &modified, &r, Ty::StatefulSet);
        // The server-only sidecar makes the order differ: only an order directive is sent.
        assert_eq!(
            again,
            json!({"spec": {"template": {"spec": {"$setElementOrder/containers": [{"name": "web"}]}}}})
        );
        assert_eq!(
            three_way_merge(&modified, &modified, &r, Ty::StatefulSet),
            r
        );
    }

    #[test]
    fn three_way_order_follows_the_manifest_with_server_items_in_place() {
        let original =
            set(json!([{"name": "web", "image": "1"}, {"name": "log", "image": "busybox"}]));
        // The user swaps the two containers and adds one.
        let modified = set(json!([
            {"name": "log", "image": "busybox"}, {"name": "new", "image": "n"}, {"name": "web", "image": "1"}
        ]));
        let r = three_way_merge(&original, &modified, &live(), Ty::StatefulSet);
        // istio came first in the live list, before every manifest item: it stays first.
        assert_eq!(names(containers(&r)), ["istio", "log", "new", "web"]);
    }

    #[test]
    fn three_way_retain_keys_switches_a_volume_source() {
        let vol = |v: Value| json!({"kind": "Pod", "spec": {"volumes": v}});
        let original = vol(json!([{"name": "d", "emptyDir": {}}]));
        let current =
            vol(json!([{"name": "d", "emptyDir": {}}, {"name": "token", "projected": {}}]));
        let modified = vol(json!([{"name": "d", "configMap": {"name": "cm"}}]));
        let r = three_way_merge(&original, &modified, &current, Ty::Pod);
        assert_eq!(
            r["spec"]["volumes"],
            json!([{"name": "d", "configMap": {"name": "cm"}}, {"name": "token", "projected": {}}])
        );
    }

    #[test]
    fn three_way_without_original_deletes_nothing() {
        let modified = set(json!([{"name": "web", "image": "nginx:2"}]));
        let r = three_way_merge(&json!({}), &modified, &live(), Ty::StatefulSet);
        assert_eq!(names(containers(&r)), ["istio", "web", "log"]);
        assert_eq!(containers(&r)[1]["image"], "nginx:2");
    }

    #[test]
    fn bad_lists_fall_back_to_replace_and_depth_is_bounded() {
        // An item without its merge key: replaced whole (upstream errors).
        let t = set(json!([{"name": "a"}]));
        let p = set(json!([{"image": "x"}]));
        assert_eq!(
            containers(&apply_patch(&t, &p, Ty::StatefulSet)),
            &json!([{"image": "x"}])
        );
        let r = three_way_merge(&t, &p, &t, Ty::StatefulSet);
        assert_eq!(containers(&r), &json!([{"image": "x"}]));
        // Documents deeper than MAX_DEPTH (serde_json parses at most 128 levels) are replaced
        // whole below the limit, without panicking.
        let mut deep = json!(1);
        for _ in 0..200 {
            deep = json!({ "a": deep });
        }
        let r = three_way_merge(&deep, &deep, &deep, Ty::Any);
        assert!(r.is_object());
        let r = apply_patch(&json!({}), &deep, Ty::Any);
        assert!(r.is_object());
    }
}
