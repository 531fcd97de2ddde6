//! go-spew's `%#v` of a Go value, for hashes that upstream computes over it: apimachinery
//! `pkg/util/hash.DeepHashObject` (`dump.ForHash`: spew with `SortKeys`, `DisableMethods`,
//! `SpewKeys`), which `controller.ComputeHash` uses for a Deployment's `pod-template-hash`.
//!
//! We hold k8s-openapi values, not Go ones, so the Go layout comes from [`schema`], generated
//! from k8s.io/api and k8s.io/apimachinery v0.35 (`crates/sim/tools/gen_spew_schema.py`): every
//! struct's fields in declaration order with their Go type names. The printer walks the JSON
//! form of the object along that layout and prints what go-spew prints for the Go value the
//! controller would hold after decoding it from the apiserver (protobuf: an empty list or map
//! decodes to nil). Rules, from `davecgh/go-spew` `spew/format.go` at d8f796a (the version
//! Kubernetes vendors):
//!
//! * a value prints its type in parentheses first (`(string)nginx`, `(int32)80`), except where
//!   spew says to ignore the next type: slice and map elements, map keys, a pointer's target;
//! * strings print raw (no quotes), structs as `{Field:value Field:value}`, slices as
//!   `[a b]`, maps as `map[k:v k:v]` with sorted keys, nil slices and maps as `<nil>`;
//! * a pointer prints `(*T)` then its target, a nil pointer `(*T)<nil>` (bare `<nil>` where the
//!   type is ignored, `<*>` before a target whose type is ignored);
//! * unexported fields print too (`resource.Quantity`'s `i`, `d`, `s`; `time.Time`'s `wall`,
//!   `ext`, `loc`).
//!
//! Known limits (ours): a non-null `metav1.Time` inside a template (never set by users; the
//! template's `creationTimestamp` is null) prints as the zero time; a quantity outside the
//! int64 fast path of `ParseQuantity` (more than 18 digits of precision) prints its `inf.Dec`
//! form approximately.

pub(crate) mod schema;

use serde_json::Value;

/// A Go type as spew needs it: how to print a value of it, and its name.
pub(crate) enum GoType {
    /// A string kind (`string`, `v1.Protocol`, `types.UID`).
    Str(&'static str),
    /// A signed integer kind (`int32`, `int64`, `intstr.Type`).
    Int(&'static str),
    Uint(&'static str),
    Bool(&'static str),
    Ptr(&'static GoType),
    /// Slice type name (`[]v1.Container`) and element type.
    Slice(&'static str, &'static GoType),
    /// Map type name (`map[string]string`, `v1.ResourceList`), key and value types.
    Map(&'static str, &'static GoType, &'static GoType),
    Struct(&'static Struct),
    /// `resource.Quantity` (from its string form, as `ParseQuantity` builds it).
    Quantity,
    /// `intstr.IntOrString`.
    IntOrString,
    /// `time.Time`.
    Time,
}

pub(crate) struct Struct {
    pub name: &'static str,
    pub fields: &'static [Field],
}

pub(crate) struct Field {
    /// The Go field name (for an embedded field, the type's name).
    pub go: &'static str,
    /// The JSON key; `""` for an inline (embedded) field, `"-"` for none.
    pub json: &'static str,
    pub ty: GoType,
}

impl GoType {
    /// `reflect.Type.String()`.
    fn name(&self) -> String {
        match self {
            GoType::Str(n)
            | GoType::Int(n)
            | GoType::Uint(n)
            | GoType::Bool(n)
            | GoType::Slice(n, _)
            | GoType::Map(n, _, _) => (*n).to_string(),
            GoType::Ptr(t) => format!("*{}", t.name()),
            GoType::Struct(s) => s.name.to_string(),
            GoType::Quantity => "resource.Quantity".into(),
            GoType::IntOrString => "intstr.IntOrString".into(),
            GoType::Time => "time.Time".into(),
        }
    }
}

/// Deepest nesting printed (the pod template schema is about 10 deep; a bound for input).
const MAX_DEPTH: usize = 64;

/// `spew.Sprintf("%#v", v)` of the Go value of type `ty` whose JSON form is `v`.
pub(crate) fn sprint(ty: &GoType, v: &Value) -> String {
    let mut out = String::new();
    format(&mut out, ty, Some(v), false, 0);
    out
}

fn is_absent(v: Option<&Value>) -> bool {
    v.is_none_or(Value::is_null)
}

fn type_prefix(out: &mut String, ty: &GoType, ignore_type: bool) {
    if !ignore_type {
        out.push('(');
        out.push_str(&ty.name());
        out.push(')');
    }
}

fn format(out: &mut String, ty: &GoType, v: Option<&Value>, ignore_type: bool, depth: usize) {
    if depth > MAX_DEPTH {
        out.push_str("<max>");
        return;
    }
    match ty {
        GoType::Ptr(target) => {
            if is_absent(v) {
                if ignore_type {
                    out.push_str("<nil>");
                } else {
                    out.push('(');
                    out.push_str(&ty.name());
                    out.push_str(")<nil>");
                }
                return;
            }
            if ignore_type {
                out.push_str("<*>");
            } else {
                out.push_str("(*");
                out.push_str(&target.name());
                out.push(')');
            }
            format(out, target, v, true, depth + 1);
        }
        GoType::Str(_) => {
            type_prefix(out, ty, ignore_type);
            match v {
                Some(Value::String(s)) => out.push_str(s),
                Some(Value::Null) | None => {}
                Some(other) => out.push_str(&other.to_string()),
            }
        }
        GoType::Int(_) => {
            type_prefix(out, ty, ignore_type);
            let n = v
                .and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)))
                .unwrap_or(0);
            out.push_str(&n.to_string());
        }
        GoType::Uint(_) => {
            type_prefix(out, ty, ignore_type);
            out.push_str(&v.and_then(Value::as_u64).unwrap_or(0).to_string());
        }
        GoType::Bool(_) => {
            type_prefix(out, ty, ignore_type);
            let b = v.and_then(Value::as_bool).unwrap_or(false);
            out.push_str(if b { "true" } else { "false" });
        }
        GoType::Slice(_, el) => {
            type_prefix(out, ty, ignore_type);
            match v.and_then(Value::as_array).filter(|a| !a.is_empty()) {
                None => out.push_str("<nil>"),
                Some(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        format(out, el, Some(item), true, depth + 1);
                    }
                    out.push(']');
                }
            }
        }
        GoType::Map(_, k, val) => {
            type_prefix(out, ty, ignore_type);
            match v.and_then(Value::as_object).filter(|m| !m.is_empty()) {
                None => out.push_str("<nil>"),
                Some(m) => {
                    out.push_str("map[");
                    let mut keys: Vec<&String> = m.keys().collect();
                    keys.sort();
                    for (i, key) in keys.into_iter().enumerate() {
                        if i > 0 {
                            out.push(' ');
                        }
                        format(out, k, Some(&Value::String(key.clone())), true, depth + 1);
                        out.push(':');
                        format(out, val, m.get(key), true, depth + 1);
                    }
                    out.push(']');
                }
            }
        }
        GoType::Struct(s) => {
            type_prefix(out, ty, ignore_type);
            out.push('{');
            for (i, f) in s.fields.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(f.go);
                out.push(':');
                let fv = match f.json {
                    "" => v,
                    "-" => None,
                    key => v.and_then(|v| v.get(key)),
                };
                format(out, &f.ty, fv, false, depth + 1);
            }
            out.push('}');
        }
        GoType::Quantity => {
            type_prefix(out, ty, ignore_type);
            quantity(out, v.and_then(Value::as_str).unwrap_or(""));
        }
        GoType::IntOrString => {
            type_prefix(out, ty, ignore_type);
            let (t, i, s) = match v {
                Some(Value::String(s)) => (1, 0, s.as_str()),
                Some(v) => (0, v.as_i64().unwrap_or(0), ""),
                None => (0, 0, ""),
            };
            out.push_str(&format!(
                "{{Type:(intstr.Type){t} IntVal:(int32){i} StrVal:(string){s}}}"
            ));
        }
        GoType::Time => {
            type_prefix(out, ty, ignore_type);
            out.push_str("{wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}");
        }
    }
}

/// What `resource.ParseQuantity` builds from `s`: (value, scale, cached string, format) on its
/// int64 fast path; `None` when it would take the `inf.Dec` path.
fn parse_quantity(s: &str) -> Option<(i64, i32, String, &'static str)> {
    if s == "0" {
        return Some((0, 0, "0".into(), "DecimalSI"));
    }
    // parseQuantityString: sign, digits, fraction, suffix.
    let (positive, rest) = match s.as_bytes().first() {
        Some(b'-') => (false, s.get(1..)?),
        Some(b'+') => (true, s.get(1..)?),
        _ => (true, s),
    };
    let int_end = rest
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(rest.len());
    let num = rest.get(..int_end)?;
    let mut after = rest.get(int_end..)?;
    let mut denom = "";
    if let Some(frac) = after.strip_prefix('.') {
        let end = frac
            .bytes()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(frac.len());
        denom = frac.get(..end)?;
        after = frac.get(end..)?;
    }
    if num.is_empty() && denom.is_empty() {
        return None;
    }
    let num = num.trim_start_matches('0');
    let num = if num.is_empty() { "0" } else { num };
    let (base, exponent, format): (u32, i32, &'static str) = match after {
        "" => (10, 0, "DecimalSI"),
        "n" => (10, -9, "DecimalSI"),
        "u" => (10, -6, "DecimalSI"),
        "m" => (10, -3, "DecimalSI"),
        "k" => (10, 3, "DecimalSI"),
        "M" => (10, 6, "DecimalSI"),
        "G" => (10, 9, "DecimalSI"),
        "T" => (10, 12, "DecimalSI"),
        "P" => (10, 15, "DecimalSI"),
        "E" => (10, 18, "DecimalSI"),
        "Ki" => (2, 10, "BinarySI"),
        "Mi" => (2, 20, "BinarySI"),
        "Gi" => (2, 30, "BinarySI"),
        "Ti" => (2, 40, "BinarySI"),
        "Pi" => (2, 50, "BinarySI"),
        "Ei" => (2, 60, "BinarySI"),
        e if e.starts_with(['e', 'E']) => (10, e.get(1..)?.parse().ok()?, "DecimalExponent"),
        _ => return None,
    };
    let _ = base;
    let mut mantissa: i64 = 1;
    let (mut scale, precision) = match format {
        "BinarySI" => {
            if exponent >= 0 && denom.is_empty() {
                mantissa = 1i64.checked_shl(u32::try_from(exponent).ok()?)?;
                (
                    0,
                    15 - num.len() as i32 - ((exponent as f32) * 3.0 / 10.0) as i32 - 1,
                )
            } else {
                (0, -1)
            }
        }
        _ => (exponent, 18 - (num.len() + denom.len()) as i32),
    };
    if precision < 0 {
        return None;
    }
    scale -= denom.len() as i32;
    if scale < -9 {
        return None;
    }
    let shifted = format!("{num}{denom}");
    let value: i64 = shifted.parse().ok()?;
    let mut result = value.checked_mul(mantissa)?;
    if !positive {
        result = -result;
    }
    let canonical = match format {
        "BinarySI" => exponent % 10 == 0 && (value & 0x07) != 0,
        _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
    };
    Some((
        result,
        scale,
        if canonical {
            s.to_string()
        } else {
            String::new()
        },
        format,
    ))
}

fn quantity(out: &mut String, s: &str) {
    let (value, scale, cached, fmt) = if s.is_empty() {
        (0, 0, String::new(), "")
    } else {
        parse_quantity(s).unwrap_or((0, 0, String::new(), "DecimalSI"))
    };
    out.push_str(&format!(
        "{{i:(resource.int64Amount){{value:(int64){value} scale:(resource.Scale){scale}}} d:(resource.infDecAmount){{Dec:(*inf.Dec)<nil>}} s:(string){cached} Format:(resource.Format){fmt}}}"
    ));
}

/// 32-bit FNV-1a (`hash/fnv.New32a`).
pub(crate) fn fnv32a(bytes: &[u8], h: u32) -> u32 {
    let mut h = h;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// FNV-1a's offset basis.
pub(crate) const FNV32_OFFSET: u32 = 0x811c_9dc5;

#[cfg(test)]
mod tests;
