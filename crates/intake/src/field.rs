//! Field errors and their rendering, as apimachinery `pkg/util/validation/field/errors.go`
//! (`ErrorBody`, v0.34+: non-scalar values rendered as JSON) and kubectl's `checkErr`
//! (`pkg/cmd/util/helpers.go`: one cause inline, several as `* ` lines, duplicates dropped).

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    Required,
    Invalid,
    NotSupported,
    Forbidden,
    Duplicate,
    NotFound,
    TooLong,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// kubectl-style path, `spec.template.spec.containers[0].image`.
    pub field: String,
    pub kind: ErrorType,
    pub value: Value,
    pub detail: String,
}

impl FieldError {
    pub fn required(field: impl Into<String>, detail: &str) -> Self {
        Self {
            field: field.into(),
            kind: ErrorType::Required,
            value: Value::Null,
            detail: detail.into(),
        }
    }
    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<Value>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            kind: ErrorType::Invalid,
            value: value.into(),
            detail: detail.into(),
        }
    }
    pub fn not_supported(
        field: impl Into<String>,
        value: impl Into<Value>,
        valid: &[&str],
    ) -> Self {
        let detail = if valid.is_empty() {
            String::new()
        } else {
            let q: Vec<String> = valid.iter().map(|v| go_quote(v)).collect();
            format!("supported values: {}", q.join(", "))
        };
        Self {
            field: field.into(),
            kind: ErrorType::NotSupported,
            value: value.into(),
            detail,
        }
    }
    /// An Invalid value given as the exact text the apiserver prints for it (see [`rendered`]).
    pub fn invalid_rendered(
        field: impl Into<String>,
        text: String,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            kind: ErrorType::Invalid,
            value: rendered(text),
            detail: detail.into(),
        }
    }
    pub fn forbidden(field: impl Into<String>, detail: &str) -> Self {
        Self {
            field: field.into(),
            kind: ErrorType::Forbidden,
            value: Value::Null,
            detail: detail.into(),
        }
    }
    pub fn duplicate(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self {
            field: field.into(),
            kind: ErrorType::Duplicate,
            value: value.into(),
            detail: String::new(),
        }
    }
    pub fn not_found(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self {
            field: field.into(),
            kind: ErrorType::NotFound,
            value: value.into(),
            detail: String::new(),
        }
    }
    pub fn too_long(field: impl Into<String>, max: usize) -> Self {
        Self {
            field: field.into(),
            kind: ErrorType::TooLong,
            value: Value::Null,
            detail: format!("may not be more than {max} bytes"),
        }
    }

    /// `ErrorBody()`: the message without the field name.
    pub fn body(&self) -> String {
        let name = match self.kind {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::NotFound => "Not found",
            ErrorType::TooLong => "Too long",
        };
        let mut s = match self.kind {
            ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong => name.to_string(),
            _ => format!("{name}: {}", render_value(&self.value)),
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// Go `%q` for the strings we produce (JSON escaping agrees on everything printable).
pub fn go_quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// The key of a value given as its printed text (see [`rendered`]).
const GO_REPR: &str = "\u{0}go";

/// A bad value given as the exact text the apiserver prints for it (e.g. `json.Marshal` of an
/// internal struct, whose field order a JSON map would lose).
pub fn rendered(text: String) -> Value {
    serde_json::json!({ GO_REPR: text })
}

fn render_value(v: &Value) -> String {
    if let Some(go) = v.get(GO_REPR).and_then(Value::as_str) {
        return go.to_string();
    }
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => go_quote(s),
        other => other.to_string(),
    }
}

/// kubectl's rendering of a 422 Invalid status for `kind`/`name` with these causes.
pub fn render_invalid(kind: &str, name: &str, errs: &[FieldError]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for e in errs {
        let l = e.to_string();
        if !lines.contains(&l) {
            lines.push(l);
        }
    }
    if lines.len() == 1 {
        format!(
            "The {kind} {} is invalid: {}",
            go_quote(name),
            lines.concat()
        )
    } else {
        let mut s = format!("The {kind} {} is invalid: ", go_quote(name));
        for l in lines {
            s.push_str("\n* ");
            s.push_str(&l);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        assert_eq!(
            FieldError::required("spec.selector", "").to_string(),
            "spec.selector: Required value"
        );
        assert_eq!(
            FieldError::invalid("spec.replicas", -1, "must be greater than or equal to 0")
                .to_string(),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(
            FieldError::not_supported("x", "Never", &["Always"]).to_string(),
            "x: Unsupported value: \"Never\": supported values: \"Always\""
        );
        let labels = serde_json::json!({"app": "nginx"});
        assert_eq!(
            FieldError::invalid("l", labels, "d").to_string(),
            "l: Invalid value: {\"app\":\"nginx\"}: d"
        );
    }

    #[test]
    fn multi_cause_layout() {
        let e = vec![
            FieldError::required("a", ""),
            FieldError::required("b", ""),
            FieldError::required("a", ""),
        ];
        assert_eq!(
            render_invalid("StatefulSet", "web", &e),
            "The StatefulSet \"web\" is invalid: \n* a: Required value\n* b: Required value"
        );
    }
}
