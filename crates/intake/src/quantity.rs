//! `resource.Quantity` parsing errors as apimachinery `pkg/api/resource/quantity.go`
//! (`ParseQuantity`: ErrFormatWrong, ErrSuffix, ErrNumeric). Only the accept/reject decision
//! and the message are needed here; the value stays the user's string.

pub const ERR_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
pub const ERR_SUFFIX: &str = "unable to parse quantity's suffix";
pub const ERR_NUMERIC: &str = "unable to parse numeric part of quantity";

pub fn check(s: &str) -> Result<(), &'static str> {
    if s.is_empty() {
        return Err(ERR_FORMAT);
    }
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+') | Some(b'-')) {
        i += 1;
    }
    let num_start = i;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
        i += 1;
    }
    if i == num_start {
        return Err(ERR_FORMAT);
    }
    let num = s.get(num_start..i).unwrap_or("");
    let suffix = s.get(i..).unwrap_or("");
    // suffix must match [eEinumkKMGTP]*[-+]?[0-9]*
    let sb = suffix.as_bytes();
    let mut j = 0;
    while sb.get(j).is_some_and(|c| b"eEinumkKMGTP".contains(c)) {
        j += 1;
    }
    if matches!(sb.get(j), Some(b'+') | Some(b'-')) {
        j += 1;
    }
    while sb.get(j).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    if j != sb.len() {
        return Err(ERR_FORMAT);
    }
    if num.matches('.').count() > 1 || num == "." {
        return Err(ERR_NUMERIC);
    }
    let ok_suffix = matches!(
        suffix,
        "" | "n"
            | "u"
            | "m"
            | "k"
            | "M"
            | "G"
            | "T"
            | "P"
            | "E"
            | "Ki"
            | "Mi"
            | "Gi"
            | "Ti"
            | "Pi"
            | "Ei"
    ) || ((suffix.starts_with('e') || suffix.starts_with('E'))
        && suffix.get(1..).is_some_and(|r| {
            let r = r.strip_prefix(['+', '-']).unwrap_or(r);
            !r.is_empty() && r.bytes().all(|c| c.is_ascii_digit())
        }));
    if !ok_suffix {
        return Err(ERR_SUFFIX);
    }
    Ok(())
}

/// For `must be greater than zero` checks (storage requests).
pub fn is_negative_or_zero(s: &str) -> bool {
    let t = s.trim();
    if t.starts_with('-') {
        return true;
    }
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '+')
        .collect();
    digits
        .trim_start_matches('+')
        .parse::<f64>()
        .map(|f| f == 0.0)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert!(check("100Mi").is_ok());
        assert!(check("1.5Gi").is_ok());
        assert!(check("500m").is_ok());
        assert!(check("1e3").is_ok());
        assert_eq!(check("100mi"), Err(ERR_SUFFIX));
        assert_eq!(check("abc"), Err(ERR_FORMAT));
        assert_eq!(check("10 Gi"), Err(ERR_FORMAT));
        assert!(is_negative_or_zero("0"));
        assert!(!is_negative_or_zero("1Gi"));
    }
}
