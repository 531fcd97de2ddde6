//! One stable sort for the whole playground (issue #17, bundle size).
//!
//! `slice::sort_by` is generic: every call site with its own element type or closure gets its
//! own copy of the standard library's driftsort (≈ 3–4 KB of wasm each; ≈ 60 copies were
//! ≈ 220 KB of the bundle). [`Sort`] sorts a permutation of indices with one non-generic
//! comparator (`&mut dyn FnMut`), so the standard sort is instantiated once, then moves the
//! elements into place by following the permutation's cycles. The result is exactly the
//! standard stable sort's: ties keep their order.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// `collect()` into a `BTreeMap` without its sort: `FromIterator` sorts the entries first, one
/// copy of the standard sort per entry type; inserting them one by one gives the same map (a
/// later duplicate key's value wins, as with `collect`).
pub fn to_map<K: Ord, V>(entries: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut m = BTreeMap::new();
    for (k, v) in entries {
        m.insert(k, v);
    }
    m
}

/// `collect()` into a `BTreeSet` without its sort (see [`to_map`]).
pub fn to_set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut s = BTreeSet::new();
    for x in items {
        s.insert(x);
    }
    s
}

/// `collect()` into a JSON object without its sort (see [`to_map`]).
pub fn to_object(
    entries: impl IntoIterator<Item = (String, serde_json::Value)>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    for (k, v) in entries {
        m.insert(k, v);
    }
    m
}

/// The order of `0..n` under `cmp`, stable (the standard sort, instantiated once).
#[inline(never)]
fn permutation(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| cmp(a, b));
    idx
}

/// Rearrange so that the element at `k` is the one that was at `idx[k]`, by cycles of swaps.
#[inline(never)]
fn apply(mut idx: Vec<usize>, swap: &mut dyn FnMut(usize, usize)) {
    for i in 0..idx.len() {
        let mut j = i;
        while let Some(slot) = idx.get_mut(j) {
            let src = std::mem::replace(slot, j);
            if src == i || src == j {
                break;
            }
            swap(j, src);
            j = src;
        }
    }
}

/// Stable sorts sharing one copy of the sorting code (see the module docs). The same results
/// as `sort`, `sort_by` and `sort_by_key` of the standard library.
pub trait Sort<T> {
    fn stable_sort_by<F: FnMut(&T, &T) -> Ordering>(&mut self, cmp: F);
    fn stable_sort_by_key<K: Ord, F: FnMut(&T) -> K>(&mut self, mut key: F) {
        self.stable_sort_by(|a, b| key(a).cmp(&key(b)));
    }
    fn stable_sort(&mut self)
    where
        T: Ord,
    {
        self.stable_sort_by(T::cmp);
    }
}

impl<T> Sort<T> for [T] {
    fn stable_sort_by<F: FnMut(&T, &T) -> Ordering>(&mut self, mut cmp: F) {
        if self.len() < 2 {
            return;
        }
        let idx = {
            let s: &[T] = self;
            permutation(s.len(), &mut |a, b| match (s.get(a), s.get(b)) {
                (Some(x), Some(y)) => cmp(x, y),
                _ => Ordering::Equal,
            })
        };
        apply(idx, &mut |a, b| self.swap(a, b));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unnecessary_sort_by)]
    use super::Sort;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard stable sort, ties included (the key sorts on the
        /// first field only; the second tells equal keys apart).
        #[test]
        fn same_as_std(v in proptest::collection::vec((0u8..8, any::<u32>()), 0..200)) {
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            let mut got = v.clone();
            got.stable_sort_by_key(|p| p.0);
            prop_assert_eq!(&got, &want);
            let mut want = v.clone();
            want.sort_by(|a, b| b.1.cmp(&a.1));
            let mut got = v;
            got.stable_sort_by(|a, b| b.1.cmp(&a.1));
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn strings() {
        let mut v = vec!["b".to_string(), "a".into(), "c".into(), "a".into()];
        v.stable_sort();
        assert_eq!(v, ["a", "a", "b", "c"]);
    }
}
