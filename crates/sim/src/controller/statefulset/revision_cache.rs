//! Small memo tables for the pure revision computations that every sync repeats with the same
//! input (upstream recomputes them too; they are only expensive here because our revision data
//! is a JSON tree that we serialize Go-style and parse back):
//! the revision data of a set's template (`newRevision`), the Go JSON bytes of a revision's data
//! (`history.EqualRevision`), and the template stored in a revision (`ApplyRevision`).
//!
//! Entries are found by *value equality* of the input (never by name, uid or resourceVersion,
//! which `back`/`reset` can reuse for other content), so a hit returns exactly what the
//! computation would. Each table keeps the last `CAP` inputs (a set has a current and an update
//! revision and a short history). Per thread; nothing here is part of the simulated state.

use std::cell::RefCell;
use std::rc::Rc;

use k8s_openapi::api::core::v1::PodTemplateSpec;
use serde_json::Value;

use crate::config::K8sVersion;
use crate::revision;

/// Entries per table.
const CAP: usize = 16;

struct Table<K, V>(Vec<(K, V)>);

impl<K: PartialEq, V: Clone> Table<K, V> {
    const fn new() -> Self {
        Table(Vec::new())
    }

    fn get_or_insert(&mut self, key: &K, make: impl FnOnce() -> (K, V)) -> V {
        if let Some(pos) = self.0.iter().position(|(k, _)| k == key) {
            // Most recently used last.
            let e = self.0.remove(pos);
            let v = e.1.clone();
            self.0.push(e);
            return v;
        }
        let (k, v) = make();
        if self.0.len() >= CAP {
            self.0.remove(0);
        }
        self.0.push((k, v.clone()));
        v
    }
}

/// The revision data of a (not yet defaulted) set template and its Go JSON bytes.
pub type TemplateData = Rc<(Value, Vec<u8>)>;

thread_local! {
    // Keyed by the template's JSON tree: equal trees give equal revision data (which is
    // computed from that tree), and `Value`'s equality is already in the bundle where the
    // derived `PartialEq` of a whole pod template would not be (issue #17).
    static TEMPLATE_DATA: RefCell<Table<(Value, K8sVersion), TemplateData>> =
        const { RefCell::new(Table::new()) };
    static DATA_BYTES: RefCell<Table<Value, Rc<[u8]>>> = const { RefCell::new(Table::new()) };
    static DATA_TEMPLATE: RefCell<Table<Value, Rc<PodTemplateSpec>>> =
        const { RefCell::new(Table::new()) };
}

/// `revision_data(apply_template_defaults(template), version)` and its `go_json` bytes.
pub fn template_data(template: &PodTemplateSpec, version: K8sVersion) -> TemplateData {
    let key = (k8sjson::to_value(template), version);
    TEMPLATE_DATA.with(|t| {
        t.borrow_mut().get_or_insert(&key, || {
            let mut defaulted = k8sjson::copy(template);
            revision::apply_template_defaults(&mut defaulted);
            let data = revision::revision_data(&defaulted, version);
            let bytes = revision::go_json(&data).into_bytes();
            (key.clone(), Rc::new((data, bytes)))
        })
    })
}

/// `go_json(data)` as bytes.
pub fn data_bytes(data: &Value) -> Rc<[u8]> {
    DATA_BYTES.with(|t| {
        t.borrow_mut().get_or_insert(data, || {
            (data.clone(), Rc::from(revision::go_json(data).into_bytes()))
        })
    })
}

/// `template_from_data(data)` (the default template when the data holds none).
pub fn data_template(data: &Value) -> Rc<PodTemplateSpec> {
    DATA_TEMPLATE.with(|t| {
        t.borrow_mut().get_or_insert(data, || {
            (
                data.clone(),
                Rc::new(revision::template_from_data(data).unwrap_or_default()),
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hit returns what the computation returns; a different input is not confused with it.
    #[test]
    fn memo_hits_equal_inputs_only() {
        let a = serde_json::json!({"spec": {"template": {"metadata": {"labels": {"app": "a"}}}}});
        let b = serde_json::json!({"spec": {"template": {"metadata": {"labels": {"app": "b"}}}}});
        assert_eq!(&*data_bytes(&a), revision::go_json(&a).as_bytes());
        assert_eq!(&*data_bytes(&b), revision::go_json(&b).as_bytes());
        assert_eq!(&*data_bytes(&a), revision::go_json(&a).as_bytes());
        assert_ne!(data_template(&a), data_template(&b));
        assert_eq!(
            *data_template(&a),
            revision::template_from_data(&a).unwrap_or_default()
        );
        // More inputs than the table holds: still correct.
        for i in 0..(2 * CAP) {
            let v = serde_json::json!({"i": i});
            assert_eq!(&*data_bytes(&v), revision::go_json(&v).as_bytes());
        }
        let t = PodTemplateSpec::default();
        let d = template_data(&t, K8sVersion::V1_28);
        let mut def = t.clone();
        revision::apply_template_defaults(&mut def);
        let expect = revision::revision_data(&def, K8sVersion::V1_28);
        assert_eq!(d.0, expect);
        assert_eq!(d.1, revision::go_json(&expect).into_bytes());
        assert_ne!(template_data(&t, K8sVersion::V1_35).1, d.1);
    }
}
