//! Which claims were written when, in a way that can change the StatefulSet controller's
//! decision about a pod (a claim appeared or left, its ownerReferences or deletionTimestamp
//! changed): kept by the store on every claim write, read by the controller's memo
//! (`controller::statefulset::memo`) to know whether a remembered verdict still holds. An index
//! like the store's `terminating_claims`, not state: ignored by equality. Below `store` and the
//! controller both, so the store names no controller (issue #18).

use std::collections::HashMap;

/// A hasher for pointer keys (the default SipHash costs more than the rest of a lookup).
#[derive(Default, Clone, Copy)]
pub(crate) struct PtrHash;

impl std::hash::BuildHasher for PtrHash {
    type Hasher = PtrHasher;
    fn build_hasher(&self) -> PtrHasher {
        PtrHasher(0)
    }
}

pub(crate) struct PtrHasher(u64);

impl std::hash::Hasher for PtrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        let h = (n as u64 ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }
    fn write_u64(&mut self, n: u64) {
        let h = (n ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }
}

/// FNV-1a of a claim's namespace and name (the key of `claim_changed_at`).
pub(crate) fn claim_hash(ns: &str, name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in ns.bytes().chain([0u8]).chain(name.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The claims bookkeeping a verdict check reads.
#[derive(Default, Clone)]
pub struct ClaimBook {
    /// Bumped by every claim write that can change a verdict.
    pub(crate) epoch: u64,
    /// Verdicts older than this are not trusted (`changed_at` was emptied).
    pub(crate) floor: u64,
    /// Hash of a claim's (namespace, name) -> the claims epoch of the last relevant write to a
    /// claim with that hash (two claims sharing a hash only distrust each other's verdicts).
    pub(crate) changed_at: HashMap<u64, u64, PtrHash>,
}

impl ClaimBook {
    /// The claim `ns`/`name` was written in a way that can change a verdict.
    pub(crate) fn changed(&mut self, ns: &str, name: &str) {
        self.epoch = self.epoch.wrapping_add(1);
        self.changed_at.insert(claim_hash(ns, name), self.epoch);
    }

    /// The claims epoch: a verdict checked under it stays valid while it is unchanged.
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Bound the table to about the live claims; emptying it distrusts every older verdict.
    pub(crate) fn prune(&mut self, live_claims: usize) {
        if self.changed_at.len() > live_claims.saturating_mul(2).saturating_add(SLACK) {
            self.changed_at.clear();
            self.floor = self.epoch;
        }
    }
}

/// Entries kept beyond the live claims before the table is emptied.
const SLACK: usize = 256;

impl PartialEq for ClaimBook {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for ClaimBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ClaimBook(epoch {})", self.epoch)
    }
}
