//! What the property tests share.

/// The case count of a property test: `default`, or `PROPTEST_CASES` when set (an explicit
/// `cases` in a `ProptestConfig` would otherwise hide proptest's own reading of it).
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
