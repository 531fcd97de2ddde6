//! An ordered map kept as a sorted vector: the subset of `BTreeMap`'s API the store's tables
//! use, with the same iteration order (ascending keys), equality and `Debug` output.
//!
//! Why (issue #17): every `BTreeMap<K, V>` layout brings its own copy of the B-tree's node
//! code (insert, split, remove with merge and steal, clone of subtrees, drop) into the bundle,
//! some 5 to 15 KB a layout before compression. A sorted vector's whole code is a binary
//! search, a `Vec::insert` and a `Vec::remove`. The tables hold tens to a few thousand
//! entries, where a binary search and one `memmove` of pointers and key headers cost about
//! what a B-tree's search and node shuffles do.

use std::borrow::Borrow;
use std::ops::{Bound, RangeBounds};

/// A map ordered by key, stored as a vector of entries sorted by key (no two keys equal).
#[derive(Clone, PartialEq, Eq)]
pub struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K: std::fmt::Debug, V: std::fmt::Debug> std::fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// The entries of a [`VecMap`], as `(&K, &V)` in key order.
#[derive(Clone)]
pub struct Iter<'a, K, V>(std::slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

impl<K, V> VecMap<K, V> {
    pub const fn new() -> Self {
        VecMap(Vec::new())
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.0.iter())
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.0.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.0.iter().map(|(_, v)| v)
    }
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.0.iter_mut().map(|(_, v)| v)
    }
    pub fn iter_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = (&K, &mut V)> + ExactSizeIterator {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }
    pub fn clear(&mut self) {
        self.0.clear();
    }
    /// Keep the entries `f` accepts (in key order, as `BTreeMap::retain`).
    pub fn retain(&mut self, mut f: impl FnMut(&K, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| f(k, v));
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// `Ok(i)`: the entry at `i` has key `q`; `Err(i)`: where such an entry would go.
    fn find<Q: ?Sized + Ord>(&self, q: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(q))
    }
    pub fn get<Q: ?Sized + Ord>(&self, q: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(q).ok()?;
        self.0.get(i).map(|(_, v)| v)
    }
    pub fn get_key_value<Q: ?Sized + Ord>(&self, q: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        let i = self.find(q).ok()?;
        self.0.get(i).map(|(k, v)| (k, v))
    }
    pub fn get_mut<Q: ?Sized + Ord>(&mut self, q: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(q).ok()?;
        self.0.get_mut(i).map(|(_, v)| v)
    }
    pub fn contains_key<Q: ?Sized + Ord>(&self, q: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(q).is_ok()
    }
    /// Insert or replace; the replaced value (the key stays the one stored, as `BTreeMap`).
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => self.0.get_mut(i).map(|e| std::mem::replace(&mut e.1, v)),
            Err(i) => {
                self.0.insert(i, (k, v));
                None
            }
        }
    }
    pub fn remove<Q: ?Sized + Ord>(&mut self, q: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let i = self.find(q).ok()?;
        Some(self.0.remove(i).1)
    }
    /// The entries whose keys are in `range`, in key order.
    pub fn range<Q: ?Sized + Ord, R: RangeBounds<Q>>(&self, range: R) -> Iter<'_, K, V>
    where
        K: Borrow<Q>,
    {
        let start = match range.start_bound() {
            Bound::Included(q) => self.0.partition_point(|(k, _)| k.borrow() < q),
            Bound::Excluded(q) => self.0.partition_point(|(k, _)| k.borrow() <= q),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(q) => self.0.partition_point(|(k, _)| k.borrow() <= q),
            Bound::Excluded(q) => self.0.partition_point(|(k, _)| k.borrow() < q),
            Bound::Unbounded => self.0.len(),
        };
        Iter(self.0.get(start..end.max(start)).unwrap_or_default().iter())
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    /// Later entries win over earlier ones with the same key (as `BTreeMap`'s `collect`).
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut m = VecMap::new();
        m.extend(iter);
        m
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// An ordered set kept as a sorted vector: [`VecMap`] with no values (the subset of
/// `BTreeSet`'s API the simulation uses, same order, equality and `Debug` output).
#[derive(Clone, PartialEq, Eq)]
pub struct VecSet<T>(VecMap<T, ()>);

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        VecSet(VecMap::new())
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<T> VecSet<T> {
    pub const fn new() -> Self {
        VecSet(VecMap::new())
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator + Clone {
        self.0.keys()
    }
    pub fn clear(&mut self) {
        self.0.clear();
    }
    pub fn retain(&mut self, mut f: impl FnMut(&T) -> bool) {
        self.0.retain(|t, _| f(t));
    }
}

impl<T: Ord> VecSet<T> {
    /// Whether `t` was not in the set (as `BTreeSet::insert`; an equal element stays).
    pub fn insert(&mut self, t: T) -> bool {
        if self.0.contains_key(&t) {
            return false;
        }
        self.0.insert(t, ());
        true
    }
    pub fn contains<Q: ?Sized + Ord>(&self, q: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.0.contains_key(q)
    }
    pub fn remove<Q: ?Sized + Ord>(&mut self, q: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.0.remove(q).is_some()
    }
}

impl<T: Ord> FromIterator<T> for VecSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut s = VecSet::new();
        s.extend(iter);
        s
    }
}

impl<T: Ord> Extend<T> for VecSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for t in iter {
            self.insert(t);
        }
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Map<Iter<'a, T, ()>, fn((&'a T, &'a ())) -> &'a T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(t, _)| t)
    }
}

impl<T> IntoIterator for VecSet<T> {
    type Item = T;
    type IntoIter = std::iter::Map<std::vec::IntoIter<(T, ())>, fn((T, ())) -> T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter().map(|(t, _)| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    proptest::proptest! {
        /// Any sequence of inserts and removes leaves the same entries, in the same order, as
        /// a `BTreeMap` given the same operations; lookups, ranges and returns agree.
        #[test]
        fn behaves_as_a_btreemap(ops in proptest::collection::vec((0u8..3, 0u8..20, 0u32..100), 0..80),
                                 lo in 0u8..22, hi in 0u8..22) {
            let mut v: VecMap<u8, u32> = VecMap::new();
            let mut b: BTreeMap<u8, u32> = BTreeMap::new();
            for (op, k, x) in ops {
                match op {
                    0 | 1 => proptest::prop_assert_eq!(v.insert(k, x), b.insert(k, x)),
                    _ => proptest::prop_assert_eq!(v.remove(&k), b.remove(&k)),
                }
                proptest::prop_assert_eq!(v.get(&k), b.get(&k));
                proptest::prop_assert_eq!(v.contains_key(&k), b.contains_key(&k));
            }
            proptest::prop_assert!(v.iter().eq(b.iter()));
            proptest::prop_assert_eq!(v.len(), b.len());
            proptest::prop_assert_eq!(format!("{v:?}"), format!("{b:?}"));
            if lo <= hi {
                proptest::prop_assert!(v.range(lo..hi).eq(b.range(lo..hi)));
                proptest::prop_assert!(v.range(lo..=hi).eq(b.range(lo..=hi)));
                proptest::prop_assert!(v
                    .range((Bound::Excluded(lo), Bound::Unbounded))
                    .eq(b.range((Bound::Excluded(lo), Bound::Unbounded))));
            }
            proptest::prop_assert!(v.range(hi..).eq(b.range(hi..)));
        }

        /// The same for a [`VecSet`] against a `BTreeSet`.
        #[test]
        fn set_behaves_as_a_btreeset(ops in proptest::collection::vec((0u8..3, 0u8..20), 0..80)) {
            let mut v: VecSet<u8> = VecSet::new();
            let mut b = std::collections::BTreeSet::new();
            for (op, k) in ops {
                match op {
                    0 | 1 => proptest::prop_assert_eq!(v.insert(k), b.insert(k)),
                    _ => proptest::prop_assert_eq!(v.remove(&k), b.remove(&k)),
                }
                proptest::prop_assert_eq!(v.contains(&k), b.contains(&k));
            }
            proptest::prop_assert!(v.iter().eq(b.iter()));
            proptest::prop_assert_eq!(format!("{v:?}"), format!("{b:?}"));
            proptest::prop_assert!(v.clone().into_iter().eq(b.clone()));
        }
    }
}
