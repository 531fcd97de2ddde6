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

/// The canonical form the apiserver stores and prints (apimachinery `Quantity.CanonicalizeBytes`):
/// decimal values in the largest SI suffix that keeps an integer mantissa (`0.5` → `500m`,
/// `2000` → `2k`), binary values in the largest exact power of 1024 (`1.5Gi` → `1536Mi`,
/// `1024Mi` → `1Gi`; below 1024 or fractional they fall back to decimal), exponent form kept.
/// `round_milli`: ResourceList values are rounded up to milli precision (`SetDefaults_ResourceList`).
/// `None` (keep the user's text) for anything outside the plain cases or too large for i128.
pub fn canonical(s: &str, round_milli: bool) -> Option<String> {
    check(s).ok()?;
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let split = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (num, suffix) = (body.get(..split)?, body.get(split..)?);
    let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
    if int_part.len() + frac_part.len() > 30 {
        return None;
    }
    let digits = format!("{int_part}{frac_part}");
    let mut mant: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let mut exp: i32 = -i32::try_from(frac_part.len()).ok()?;
    let (binary, exponent_form) = match suffix {
        "" => (None, false),
        "n" => {
            exp -= 9;
            (None, false)
        }
        "u" => {
            exp -= 6;
            (None, false)
        }
        "m" => {
            exp -= 3;
            (None, false)
        }
        "k" => {
            exp += 3;
            (None, false)
        }
        "M" => {
            exp += 6;
            (None, false)
        }
        "G" => {
            exp += 9;
            (None, false)
        }
        "T" => {
            exp += 12;
            (None, false)
        }
        "P" => {
            exp += 15;
            (None, false)
        }
        "E" => {
            exp += 18;
            (None, false)
        }
        "Ki" => (Some(1u32), false),
        "Mi" => (Some(2), false),
        "Gi" => (Some(3), false),
        "Ti" => (Some(4), false),
        "Pi" => (Some(5), false),
        "Ei" => (Some(6), false),
        e => {
            let n: i32 = e.get(1..)?.parse().ok()?;
            exp = exp.checked_add(n)?;
            (None, true)
        }
    };
    if let Some(k) = binary {
        mant = mant.checked_mul(1024i128.checked_pow(k)?)?;
    }
    // normalise: strip trailing zeros of the mantissa
    if mant == 0 {
        return Some("0".to_string());
    }
    while mant % 10 == 0 {
        mant /= 10;
        exp += 1;
    }
    let sign = if neg { "-" } else { "" };
    if binary.is_some() && exp >= 0 {
        let mut v = mant.checked_mul(10i128.checked_pow(u32::try_from(exp).ok()?)?)?;
        if v >= 1024 {
            let mut k = 0;
            while v % 1024 == 0 && k < 6 {
                v /= 1024;
                k += 1;
            }
            let suf = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].get(k)?;
            return Some(format!("{sign}{v}{suf}"));
        }
    }
    // decimal (or a binary value that is small or fractional)
    if round_milli && exp < -3 {
        // round the magnitude up to a whole number of milli units
        let div = 10i128.checked_pow(u32::try_from(-3 - exp).ok()?)?;
        mant = (mant + div - 1) / div;
        exp = -3;
        while mant % 10 == 0 && mant != 0 {
            mant /= 10;
            exp += 1;
        }
    }
    let mut e3 = exp.div_euclid(3) * 3;
    if !exponent_form {
        e3 = e3.clamp(-9, 18);
    }
    let shift = u32::try_from(exp - e3).ok()?;
    let m = mant.checked_mul(10i128.checked_pow(shift)?)?;
    let suf = if exponent_form {
        if e3 == 0 {
            String::new()
        } else {
            format!("e{e3}")
        }
    } else {
        match e3 {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => return None,
        }
        .to_string()
    };
    Some(format!("{sign}{m}{suf}"))
}

#[cfg(test)]
mod canonical_tests {
    use super::canonical;

    #[test]
    fn canonical_forms_as_apimachinery() {
        for (i, o) in [
            ("0.5", "500m"),
            ("1.5", "1500m"),
            ("2000", "2k"),
            ("1500", "1500"),
            ("100m", "100m"),
            ("1000m", "1"),
            ("100Mi", "100Mi"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("1Gi", "1Gi"),
            ("512", "512"),
            ("0.5Ki", "512"),
            ("1e3", "1e3"),
            ("0", "0"),
            ("2", "2"),
        ] {
            assert_eq!(canonical(i, false).as_deref(), Some(o), "{i}");
        }
        assert_eq!(canonical("0.0001", true).as_deref(), Some("1m"));
        assert_eq!(canonical("100mi", false), None);
    }
}
