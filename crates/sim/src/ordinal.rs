//! Ordinals: the `-N` at the end of a StatefulSet's pod and claim names, parsed in one place
//! (upstream `getParentNameAndOrdinal` in `pkg/controller/statefulset/stateful_set_utils.go`:
//! `(.*)-([0-9]+)$`, the number parsed as an int32).

/// `getParentNameAndOrdinal`: `(.*)-([0-9]+)$`; ordinal -1 when the name does not parse.
pub fn parent_and_ordinal(name: &str) -> (String, i64) {
    let Some((parent, digits)) = name.rsplit_once('-') else {
        return (String::new(), -1);
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return (String::new(), -1);
    }
    // Go assigns the parent before parsing: an out-of-range ordinal keeps the parent.
    match digits.parse::<i32>() {
        Ok(n) => (parent.to_string(), i64::from(n)),
        Err(_) => (parent.to_string(), -1),
    }
}

/// `getParentNameAndOrdinal` without allocating: (parent, ordinal), ordinal -1 when the name
/// does not parse.
pub fn split_ordinal(name: &str) -> (&str, i64) {
    let Some((parent, digits)) = name.rsplit_once('-') else {
        return ("", -1);
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return ("", -1);
    }
    match digits.parse::<i32>() {
        Ok(n) => (parent, i64::from(n)),
        Err(_) => (parent, -1),
    }
}

/// Whether `digits` is exactly how `ord` is written (what `fmt.Sprintf("%d")` makes: no sign,
/// no leading zero), so that `<name>-<digits>` is the name made for ordinal `ord`.
pub fn is_canonical_ordinal(digits: &str, ord: i64) -> bool {
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.len() == 1 || !digits.starts_with('0'))
        && digits.parse::<i64>().ok() == Some(ord)
}

/// Whether `name` is exactly `<parent>-<ord>` as `fmt.Sprintf("%s-%d")` writes it (upstream
/// `getPodName`), without formatting.
pub fn is_ordinal_name(name: &str, parent: &str, ord: i64) -> bool {
    name.strip_prefix(parent)
        .and_then(|r| r.strip_prefix('-'))
        .is_some_and(|digits| is_canonical_ordinal(digits, ord))
}

/// A name's prefix and numeric suffix (`web-12` → `("web", 12)`), for ordering and for
/// recognising a pod or claim name of ordinal form; any number of digits that fits a `u64`
/// (not the controller's int32 rule, see [`split_ordinal`]).
pub fn ordinal_suffix(name: &str) -> Option<(&str, u64)> {
    let (prefix, digits) = name.rsplit_once('-')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((prefix, digits.parse().ok()?))
}

/// "Ordinal order": names with the same prefix (up to the last `-`) by numeric suffix.
pub fn ordinal_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if let (Some((pa, x)), Some((pb, y))) = (ordinal_suffix(a), ordinal_suffix(b))
        && pa == pb
    {
        return x.cmp(&y);
    }
    a.cmp(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_parse_like_get_parent_name_and_ordinal() {
        assert_eq!(parent_and_ordinal("web-0"), ("web".into(), 0));
        assert_eq!(parent_and_ordinal("my-web-12"), ("my-web".into(), 12));
        assert_eq!(parent_and_ordinal("web"), (String::new(), -1));
        assert_eq!(parent_and_ordinal("web-x"), (String::new(), -1));
        assert_eq!(parent_and_ordinal("web-99999999999"), ("web".into(), -1));
        assert_eq!(split_ordinal("my-web-12"), ("my-web", 12));
        assert_eq!(ordinal_suffix("data-web-12"), Some(("data-web", 12)));
        assert_eq!(
            ordinal_suffix("web-99999999999"),
            Some(("web", 99_999_999_999))
        );
        assert_eq!(ordinal_suffix("web-"), None);
        assert_eq!(ordinal_suffix("web-1a"), None);
        assert_eq!(ordinal_suffix("web"), None);
        assert!(is_canonical_ordinal("10", 10));
        assert!(!is_canonical_ordinal("010", 10));
        assert!(is_ordinal_name("web-10", "web", 10));
        assert!(is_ordinal_name("my-web-0", "my-web", 0));
        assert!(!is_ordinal_name("web-010", "web", 10));
        assert!(!is_ordinal_name("webx-1", "web", 1));
        assert!(!is_ordinal_name("web1", "web", 1));
        assert_eq!(ordinal_cmp("web-2", "web-10"), std::cmp::Ordering::Less);
        assert_eq!(ordinal_cmp("a-2", "b-1"), std::cmp::Ordering::Less);
    }
}
