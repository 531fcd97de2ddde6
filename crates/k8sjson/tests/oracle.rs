//! The oracle: `k8sjson::from_value` / `to_value` against `serde_json::from_value` /
//! `to_value` (k8s-openapi's own impls) on random objects of every root kind, built from the
//! generated shapes with wrong types, out-of-range numbers, nulls, unknown keys and wrong
//! `apiVersion`/`kind` mixed in. Decode: equal objects, or equal error messages. Encode: equal
//! trees. Every generated struct must be reached by a valid object at least once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// A small deterministic generator (the proptest seed picks the stream).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

fn shapes() -> BTreeMap<&'static str, &'static [(&'static str, &'static str)]> {
    k8sjson::SHAPES.iter().copied().collect()
}

thread_local! {
    static REACHED: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

fn junk(r: &mut Rng, depth: u32) -> Value {
    match r.below(if depth > 2 { 8 } else { 10 }) {
        0 => Value::Null,
        1 => json!(r.chance(50)),
        2 => json!(r.below(1000)),
        3 => json!(-(r.below(1000) as i64) - 1),
        4 => json!(1.5),
        5 => json!(*r.pick(&["", "x", "1", "10Gi", "abc", "2024-01-01T00:00:00Z"])),
        6 => json!(u64::MAX),
        7 => json!(2.0),
        8 => Value::Array((0..r.below(3)).map(|_| junk(r, depth + 1)).collect()),
        _ => {
            let mut m = Map::new();
            for _ in 0..r.below(3) {
                m.insert(
                    r.pick(&["a", "name", "spec", "x"]).to_string(),
                    junk(r, depth + 1),
                );
            }
            Value::Object(m)
        }
    }
}

fn valid_leaf(r: &mut Rng, ty: &str) -> Value {
    match ty {
        "String" => json!(*r.pick(&["", "a", "web-0"])),
        "bool" => json!(r.chance(50)),
        "i32" | "i64" | "f64" => json!(r.below(100)),
        "serde_json::Value" => json!({"a": [1, "b"]}),
        "ByteString" => json!("aGVsbG8="),
        t if t.ends_with("::Quantity") => json!("1Gi"),
        t if t.ends_with("::Time") => json!("2024-01-01T00:00:00Z"),
        t if t.ends_with("::MicroTime") => json!("2024-01-01T00:00:00.123456Z"),
        t if t.ends_with("::IntOrString") => json!(80),
        t if t.ends_with("::FieldsV1") || t.ends_with("::RawExtension") => json!({"f:a": {}}),
        other => panic!("no generator for leaf {other}"),
    }
}

/// The element type inside `Outer<...>`.
fn inner<'a>(ty: &'a str, outer: &str) -> Option<&'a str> {
    ty.strip_prefix(outer)
        .and_then(|t| t.strip_prefix('<'))
        .and_then(|t| t.strip_suffix('>'))
}

fn leaf(r: &mut Rng, ty: &str, valid: bool) -> Value {
    if valid {
        return valid_leaf(r, ty);
    }
    match ty {
        "String" => json!(*r.pick(&["", "a", "nginx", "web-0", "TCP", "x y"])),
        "bool" => json!(r.chance(50)),
        "i32" => match r.below(12) {
            0 => json!(i64::from(i32::MAX) + 1),
            1 => json!(i64::from(i32::MIN) - 1),
            2 => json!(-5),
            3 => json!(3.0),
            _ => json!(r.below(100)),
        },
        "i64" => match r.below(12) {
            0 => json!(u64::MAX),
            1 => json!(i64::MIN),
            2 => json!(2.5),
            _ => json!(r.below(100_000)),
        },
        "f64" => match r.below(3) {
            0 => json!(0.25),
            1 => json!(-3),
            _ => json!(r.below(10)),
        },
        "serde_json::Value" => junk(r, 0),
        "ByteString" => json!(*r.pick(&["", "aGVsbG8=", "not base64!", "aGVsbG8", "YQ=="])),
        t if t.ends_with("::Quantity") => match r.below(6) {
            0 => json!(1),
            1 => json!(0.5),
            _ => json!(*r.pick(&["1Gi", "100m", "", "0", "1.5", "bogus"])),
        },
        t if t.ends_with("::Time") || t.ends_with("::MicroTime") => json!(*r.pick(&[
            "2024-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2024-01-01T00:00:00.123456Z",
            "2024-01-01T00:00:00+02:00",
            "2024-13-01T00:00:00Z",
            "yesterday",
            "",
            "2024-01-01",
        ])),
        t if t.ends_with("::IntOrString") => match r.below(6) {
            0 => json!(8080),
            1 => json!("http"),
            2 => json!(1.5),
            3 => json!(u64::from(u32::MAX) + 7),
            4 => json!(-(1_i64 << 40)),
            _ => json!("25%"),
        },
        t if t.ends_with("::FieldsV1") || t.ends_with("::RawExtension") => junk(r, 0),
        other => panic!("no generator for leaf {other}"),
    }
}

fn value(
    r: &mut Rng,
    shapes: &BTreeMap<&str, &[(&str, &str)]>,
    ty: &str,
    depth: u32,
    valid: bool,
) -> Value {
    if !valid && r.chance(3) {
        return junk(r, 0);
    }
    if let Some(t) = inner(ty, "Option") {
        return if r.chance(10) {
            Value::Null
        } else {
            value(r, shapes, t, depth, valid)
        };
    }
    if let Some(t) = inner(ty, "Vec") {
        let n = if depth > 6 { 0 } else { r.below(3) };
        return Value::Array(
            (0..n)
                .map(|_| value(r, shapes, t, depth + 1, valid))
                .collect(),
        );
    }
    if let Some(t) = inner(ty, "BTreeMap").and_then(|t| t.strip_prefix("String, ")) {
        let n = if depth > 6 { 0 } else { r.below(3) };
        let mut m = Map::new();
        for i in 0..n {
            m.insert(format!("k{i}"), value(r, shapes, t, depth + 1, valid));
        }
        return Value::Object(m);
    }
    match shapes.get(ty) {
        Some(fields) => {
            let mut m = Map::new();
            let p = if depth > 8 { 5 } else { 60 - 5 * depth as u64 };
            for (json_name, fty) in fields.iter() {
                if r.chance(p) {
                    m.insert(
                        json_name.to_string(),
                        value(r, shapes, fty, depth + 1, valid),
                    );
                }
            }
            if r.chance(10) {
                m.insert("zzUnknown".into(), junk(r, 0));
            }
            if valid {
                return Value::Object(m);
            }
            if r.chance(40) {
                m.insert(
                    "apiVersion".into(),
                    json!(*r.pick(&["v1", "apps/v1", "storage.k8s.io/v1", "x"])),
                );
            }
            if r.chance(40) {
                m.insert(
                    "kind".into(),
                    json!(*r.pick(&["Pod", "StatefulSet", "Node", "Service", "Nope"])),
                );
            }
            Value::Object(m)
        }
        None => leaf(r, ty, valid),
    }
}

/// Compare both codecs on `v` as `T`; note which structs a valid object reached.
fn check<T>(v: &Value) -> Result<(), TestCaseError>
where
    T: k8sjson::Json + serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let ours = k8sjson::from_value::<T>(v.clone());
    let theirs = serde_json::from_value::<T>(v.clone());
    match (ours, theirs) {
        (Ok(a), Ok(b)) => {
            prop_assert_eq!(&a, &b, "decoded objects differ for {}", v);
            let ta = k8sjson::to_value(&a);
            let tb = serde_json::to_value(&b).expect("serde_json::to_value");
            prop_assert_eq!(&ta, &tb, "encoded trees differ for {}", v);
            note_reached(std::any::type_name::<T>(), &ta);
        }
        (Err(a), Err(b)) => {
            // a bad timestamp: Go's `time.Parse` message (k8sjson::time::parse, tested there
            // against Go's wording) where serde has jiff's
            let (a, b) = (a.to_string(), b.to_string());
            let go_time = a.starts_with("parsing time \"") && !b.starts_with("parsing time");
            if !go_time {
                prop_assert_eq!(a, b, "errors differ for {}", v);
            }
        }
        // Go's `time.Parse` of metav1.MicroTime's layout wants exactly six places; jiff reads
        // any RFC 3339 timestamp
        (Err(a), Ok(_)) if a.to_string().contains(k8sjson::time::LAYOUT_MICRO) => {}
        (a, b) => {
            return Err(TestCaseError::fail(format!(
                "one decoder failed for {v}: ours {:?}, serde {:?}",
                a.err().map(|e| e.to_string()),
                b.err().map(|e| e.to_string())
            )));
        }
    }
    Ok(())
}

/// Record the struct types a decoded (hence valid) tree reaches, by walking it against the
/// shapes from the root's type.
fn note_reached(type_name: &str, tree: &Value) {
    let shapes = shapes();
    // `k8s_openapi::v1_35::api::core::v1::pod::Pod` → `api::core::v1::Pod`
    let segs: Vec<&str> = type_name.split("::").collect();
    let n = segs.len();
    let path = format!("{}::{}", segs[2..n - 2].join("::"), segs[n - 1]);
    fn walk(shapes: &BTreeMap<&str, &[(&str, &str)]>, ty: &str, v: &Value) {
        if let Some(t) = inner(ty, "Option") {
            return walk(shapes, t, v);
        }
        if let (Some(t), Value::Array(items)) = (inner(ty, "Vec"), v) {
            for x in items {
                walk(shapes, t, x);
            }
            return;
        }
        if let (Some(t), Value::Object(m)) = (
            inner(ty, "BTreeMap").and_then(|t| t.strip_prefix("String, ")),
            v,
        ) {
            for x in m.values() {
                walk(shapes, t, x);
            }
            return;
        }
        if let (Some(fields), Value::Object(m)) = (shapes.get(ty), v) {
            REACHED.with(|r| r.borrow_mut().insert(ty.to_string()));
            for (k, x) in m {
                if let Some((_, fty)) = fields.iter().find(|(j, _)| j == k) {
                    walk(shapes, fty, x);
                }
            }
        }
    }
    walk(&shapes, &path, tree);
}

/// `k8sjson::copy`, `make_mut` and `unwrap_or_copy` of `a` (alone, in an `Option`, in a
/// vector, shared) give what `clone` gives.
fn copy_is_clone<T>(v: &Value, a: T)
where
    T: k8sjson::Json + Clone + Default + PartialEq + std::fmt::Debug,
{
    assert_eq!(k8sjson::copy(&a), a.clone(), "{v}");
    let some = Some(a.clone());
    assert_eq!(k8sjson::copy(&some), some, "{v}");
    let items = vec![a.clone(), T::default(), a];
    assert_eq!(k8sjson::copy(&items), items, "{v}");
    let mut shared = std::sync::Arc::new(items[0].clone());
    let other = shared.clone();
    k8sjson::make_mut(&mut shared);
    assert!(!std::sync::Arc::ptr_eq(&shared, &other));
    assert_eq!(*shared, *other, "{v}");
    assert_eq!(k8sjson::unwrap_or_copy(shared), *other, "{v}");
}

macro_rules! roots {
    ($($name:ident: $t:ty = $path:expr;)*) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
            $(
                #[test]
                fn $name(seed in any::<u64>()) {
                    let shapes = shapes();
                    let mut r = Rng(seed);
                    let v = value(&mut r, &shapes, $path, 0, false);
                    check::<$t>(&v)?;
                    // and the same object with its apiVersion/kind right (a resource decodes
                    // past them)
                    if let Value::Object(mut m) = v {
                        m.remove("apiVersion");
                        m.remove("kind");
                        check::<$t>(&Value::Object(m))?;
                    }
                }
            )*
        }

        /// `k8sjson::copy` (the table-driven deep copy) gives what `clone` gives: on valid
        /// objects of every root (which reach every generated struct, as the test below
        /// checks), alone, in an `Option` and in a vector.
        #[test]
        fn copy_agrees_with_clone() {
            let shapes = shapes();
            let mut r = Rng(11);
            for _ in 0..300 {
                $(
                    let v = value(&mut r, &shapes, $path, 0, true);
                    // (a "valid" tree can still miss a field without a default)
                    if let Ok(a) = k8sjson::from_value::<$t>(v.clone()) {
                        copy_is_clone(&v, a);
                    }
                )*
            }
        }

        /// Every generated struct is reached by some valid object (one long run over all roots).
        #[test]
        fn every_struct_is_reached() {
            let shapes = shapes();
            let mut r = Rng(7);
            for _ in 0..300 {
                $(
                    let v = value(&mut r, &shapes, $path, 0, true);
                    check::<$t>(&v).unwrap();
                )*
            }
            let reached = REACHED.with(|r| r.borrow().clone());
            let missing: Vec<&str> = shapes
                .keys()
                .copied()
                .filter(|k| !reached.contains(*k))
                .collect();
            assert!(missing.is_empty(), "never reached by a valid object: {missing:?}");
        }
    };
}

use k8s_openapi::api::{apps, coordination, core, discovery, policy, storage};

roots! {
    stateful_set: apps::v1::StatefulSet = "api::apps::v1::StatefulSet";
    deployment: apps::v1::Deployment = "api::apps::v1::Deployment";
    replica_set: apps::v1::ReplicaSet = "api::apps::v1::ReplicaSet";
    controller_revision: apps::v1::ControllerRevision = "api::apps::v1::ControllerRevision";
    service: core::v1::Service = "api::core::v1::Service";
    pod: core::v1::Pod = "api::core::v1::Pod";
    pvc: core::v1::PersistentVolumeClaim = "api::core::v1::PersistentVolumeClaim";
    pv: core::v1::PersistentVolume = "api::core::v1::PersistentVolume";
    config_map: core::v1::ConfigMap = "api::core::v1::ConfigMap";
    secret: core::v1::Secret = "api::core::v1::Secret";
    namespace: core::v1::Namespace = "api::core::v1::Namespace";
    node: core::v1::Node = "api::core::v1::Node";
    event: core::v1::Event = "api::core::v1::Event";
    endpoints: core::v1::Endpoints = "api::core::v1::Endpoints";
    pod_template: core::v1::PodTemplate = "api::core::v1::PodTemplate";
    storage_class: storage::v1::StorageClass = "api::storage::v1::StorageClass";
    endpoint_slice: discovery::v1::EndpointSlice = "api::discovery::v1::EndpointSlice";
    lease: coordination::v1::Lease = "api::coordination::v1::Lease";
    pod_disruption_budget: policy::v1::PodDisruptionBudget = "api::policy::v1::PodDisruptionBudget";
}

/// `k8sjson::same` (equality of the JSON trees, which sim uses for specs and user commands
/// instead of the derived `PartialEq`, issue #17) agrees with `==` on valid objects: two
/// decodes of one tree, trees from different seeds, and a copy with one field changed.
fn same_agrees_with_eq<T>(path: &str, change: impl Fn(&mut T))
where
    T: k8sjson::Json + PartialEq + Clone + std::fmt::Debug,
{
    let shapes = shapes();
    let mut compared = 0;
    for seed in 0..200u64 {
        let decode = |s: u64| k8sjson::from_value::<T>(value(&mut Rng(s), &shapes, path, 0, true));
        let (Ok(a), Ok(b), Ok(c)) = (decode(seed), decode(seed), decode(seed + 1000)) else {
            continue;
        };
        compared += 1;
        assert!(a == b && k8sjson::same(&a, &b), "{a:?}");
        assert_eq!(k8sjson::same(&a, &c), a == c, "{a:?}\n{c:?}");
        let mut d = a.clone();
        change(&mut d);
        assert_eq!(k8sjson::same(&a, &d), a == d, "{a:?}\n{d:?}");
        assert!(!k8sjson::same(&a, &d));
    }
    assert!(compared > 50, "only {compared} valid objects");
}

#[test]
fn same_agrees_with_eq_for_statefulsets() {
    same_agrees_with_eq::<apps::v1::StatefulSet>("api::apps::v1::StatefulSet", |s| {
        let spec = s.spec.get_or_insert_with(Default::default);
        spec.replicas = Some(spec.replicas.unwrap_or(0).wrapping_add(1));
    });
}

#[test]
fn same_agrees_with_eq_for_pods() {
    same_agrees_with_eq::<core::v1::Pod>("api::core::v1::Pod", |p| {
        let spec = p.spec.get_or_insert_with(Default::default);
        spec.containers.push(Default::default());
    });
}

/// The extremes of a timestamp print through k8s-openapi's strtime without failing (so
/// `to_value` never turns a whole tree into `null` where ours would not).
#[test]
fn extreme_times_print() {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};
    use k8s_openapi::jiff::Timestamp;
    for t in [Timestamp::MIN, Timestamp::MAX, Timestamp::UNIX_EPOCH] {
        serde_json::to_value(Time(t)).unwrap();
        serde_json::to_value(MicroTime(t)).unwrap();
    }
}

/// The leaves k8sjson reads and writes itself (`Quantity`, `IntOrString`, `FieldsV1`,
/// `RawExtension`, `ByteString`), alone and in vectors and maps (where a null reaches them),
/// against k8s-openapi's serde impls on every JSON type and the edges of their visitors.
#[test]
fn leaves_agree_with_serde() {
    use k8s_openapi::ByteString;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::FieldsV1;
    use k8s_openapi::apimachinery::pkg::runtime::RawExtension;
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let values = [
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(80),
        json!(-1),
        json!(i32::MAX),
        json!(i64::from(i32::MAX) + 1),
        json!(i32::MIN),
        json!(i64::from(i32::MIN) - 1),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(0.5),
        json!(2.0),
        json!(-3.25),
        json!(1e300),
        json!(1e-7),
        json!(""),
        json!("1Gi"),
        json!("25%"),
        json!("aGVsbG8="),
        json!("aGVsbG8"),
        json!("YQ=="),
        json!("YQ="),
        json!("YR=="),
        json!("not base64!"),
        json!("a\u{e9}b"),
        json!([]),
        json!([1, "a", null]),
        json!({}),
        json!({"f:a": {"f:b": [1.5, null]}}),
    ];
    fn both<T>(v: &Value)
    where
        T: k8sjson::Json
            + serde::de::DeserializeOwned
            + serde::Serialize
            + PartialEq
            + std::fmt::Debug,
    {
        let ours = k8sjson::from_value::<T>(v.clone()).map_err(|e| e.to_string());
        let theirs = serde_json::from_value::<T>(v.clone()).map_err(|e| e.to_string());
        assert_eq!(ours, theirs, "{} from {v}", std::any::type_name::<T>());
        if let Ok(t) = ours {
            assert_eq!(
                k8sjson::to_value(&t),
                serde_json::to_value(&t).unwrap(),
                "{} to JSON from {v}",
                std::any::type_name::<T>()
            );
        }
    }
    fn all<T>(v: &Value)
    where
        T: k8sjson::Json
            + serde::de::DeserializeOwned
            + serde::Serialize
            + PartialEq
            + std::fmt::Debug,
    {
        both::<T>(v);
        both::<Option<T>>(v);
        both::<Vec<T>>(&json!([v]));
        both::<BTreeMap<String, T>>(&json!({ "k": v }));
    }
    for v in &values {
        all::<Quantity>(v);
        all::<IntOrString>(v);
        all::<FieldsV1>(v);
        all::<RawExtension>(v);
        all::<ByteString>(v);
    }
}
