//! YAML/JSON text to typed API objects with apiserver defaults, validation and line:col diagnostics.
//!
//! Pipeline per document (kubectl splits the stream on `---` lines first, as its YAMLReader does):
//! 1. `tree`: saphyr-parser events → spanned tree, enforcing every structural limit while it
//!    builds (depth, scalar size, expanded node/byte budget: alias bombs die here, before any
//!    typed decoding);
//! 2. `syntax`: libyaml (serde_yaml) check on the bounded text for go-yaml's exact wording;
//! 3. `convert`: YAML 1.1 scalars → JSON, as kubectl's YAML-to-JSON step; `path → span` map;
//! 4. `decode`: kind resolution, Go-worded type errors, strict unknown fields;
//! 5. `defaults` then `validate`, rendered as kubectl prints a 422.

mod convert;
mod decode;
pub mod defaults;
pub mod field;
pub mod limits;
pub mod names;
mod quantity;
#[rustfmt::skip] // generated (tests/schema_gen.rs), compared byte for byte
mod schema;
mod syntax;
mod tree;
pub mod validate;
pub mod validate_apps;
mod walk;

use serde_json::Value;
use sim::config::{FeatureGates, K8sVersion};
use sim::object::AnyObject;

pub use field::{ErrorType, FieldError};
pub use limits::{MAX_INPUT_BYTES, MAX_REPLICAS};

/// 1-based, end inclusive-ish (the end of the offending node).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

/// Which layer refused the document (kubectl's exit code is 1 for all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// `error: error parsing f.yaml: error converting YAML to JSON: yaml: line N: ...`
    Syntax,
    /// kubectl could not read `kind`, or no such kind exists (`no matches for kind ...`).
    Mapping,
    /// `Error from server (BadRequest): error when creating "f.yaml": ...` (type errors, unknown fields).
    BadRequest,
    /// `The StatefulSet "x" is invalid: ...` (422).
    Invalid,
    /// A kind stsplay does not simulate (ours).
    Unsupported,
    /// One of stsplay's hard limits (ours).
    Limit,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Exactly what kubectl prints (for `Unsupported`/`Limit`: our own clear sentence).
    pub message: String,
    pub span: Option<Span>,
    /// Ours, never printed as if kubectl said it (kubectl shows it as `hint: ...`).
    pub hint: Option<String>,
    pub class: ErrorClass,
    /// For `Invalid`: the causes (kind/name are in `message`).
    pub causes: Vec<FieldError>,
    /// For a document the apiserver refused (`BadRequest`, `Invalid`): the object it names.
    /// kubectl only finds these errors by sending the object; a client-side dry run never
    /// does, and reports the object as if it were fine.
    pub subject: Option<Box<Subject>>,
}

/// The object a refused document names, as kubectl read it before sending it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: String,
    pub name: String,
    /// As written (kubectl fills in the default namespace).
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// Defaulted as the v1.35 apiserver would (namespace left as written; kubectl decides).
    pub object: AnyObject,
    pub span: Span,
    /// Accepted-but-suspicious notes (ours): duplicate keys (kubectl keeps the last silently),
    /// pod-template problems the apiserver only reports when the controller creates pods,
    /// names longer than 52 characters, replicas above [`MAX_REPLICAS`].
    pub warnings: Vec<Diagnostic>,
    /// The document as written (JSON, before decoding and defaulting): what client-side
    /// `kubectl apply` records in its last-applied-configuration annotation (kubectl
    /// `pkg/util/apply.go` `GetModifiedConfiguration` encodes the object read from the file).
    pub raw: Value,
}

#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum DocResult {
    Ok(Parsed),
    Err(Diagnostic),
}

impl DocResult {
    pub fn is_ok(&self) -> bool {
        matches!(self, DocResult::Ok(_))
    }
}

fn span_at(p: tree::Pos) -> Span {
    Span {
        line: p.line,
        col: p.col,
        end_line: p.line,
        end_col: p.col.saturating_add(1),
    }
}

fn diag(
    class: ErrorClass,
    message: String,
    span: Option<Span>,
    hint: Option<String>,
) -> Diagnostic {
    Diagnostic {
        message,
        span,
        hint,
        class,
        causes: Vec::new(),
        subject: None,
    }
}

/// YAML or JSON text → JSON, as kubectl's `yaml.ToJSON` (sigs.k8s.io/yaml) turns a
/// `kubectl patch -p` body into JSON: YAML 1.1 scalars, the first document only, within
/// intake's limits (depth, size, alias expansion). `Err` is go-yaml's message
/// (`yaml: line 1: did not find expected node content`) or one of our limits.
pub fn yaml_to_json(text: &str) -> Result<Value, String> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(too_big(text.len()).message);
    }
    let root = match tree::build(text, 0) {
        Ok(Some(root)) => root,
        Ok(None) => return Ok(Value::Null),
        Err(tree::TreeError::Limit { message, .. }) => return Err(message),
        Err(tree::TreeError::UnknownAnchor { name, .. }) => {
            return Err(format!("yaml: unknown anchor '{name}' referenced"));
        }
        Err(tree::TreeError::Syntax { pos, info, .. }) => {
            return Err(syntax::check(text)
                .map(|g| g.message)
                .unwrap_or_else(|| format!("yaml: line {}: {info}", pos.line)));
        }
    };
    if let Some(g) = syntax::check(text) {
        return Err(g.message);
    }
    convert::to_json(&root)
        .map(|(v, _)| v)
        .map_err(|e| e.message)
}

/// Bytes from a file or share link: invalid UTF-8 is replaced (U+FFFD), as a lossy read.
pub fn parse_bytes(bytes: &[u8], source_name: &str) -> Vec<DocResult> {
    if bytes.len() > MAX_INPUT_BYTES {
        return vec![DocResult::Err(too_big(bytes.len()))];
    }
    parse(&String::from_utf8_lossy(bytes), source_name)
}

fn too_big(n: usize) -> Diagnostic {
    diag(
        ErrorClass::Limit,
        format!(
            "error: the input is {n} bytes; stsplay accepts at most {MAX_INPUT_BYTES} bytes (1 MiB) per apply"
        ),
        Some(Span {
            line: 1,
            col: 1,
            end_line: 1,
            end_col: 1,
        }),
        Some("split the manifests into several files".into()),
    )
}

/// One result per YAML/JSON document (List items expanded), in order. Like kubectl, a syntax
/// error stops the reading of later documents (earlier ones are still returned). Validated as
/// the v1.35 apiserver validates a create ([`parse_for`] picks the version).
pub fn parse(text: &str, source_name: &str) -> Vec<DocResult> {
    parse_for(text, source_name, K8sVersion::V1_35)
}

/// The apiserver a manifest is validated against: its version and feature gates.
#[derive(Debug, Clone, Copy)]
struct Apiserver {
    version: K8sVersion,
    gates: FeatureGates,
}

/// [`parse`] with the create validation of the apiserver of `version` (v1.28 accepts
/// StatefulSets whose claim templates or pod template the v1.35 apiserver rejects; see
/// [`validate::SetRules`]).
pub fn parse_for(text: &str, source_name: &str, version: K8sVersion) -> Vec<DocResult> {
    parse_with(
        text,
        source_name,
        version,
        &FeatureGates::for_version(version),
    )
}

/// [`parse_for`] with the apiserver's feature gates (`--feature-gates`, `sim feature-gates`):
/// a field a gate turns off is dropped before validation as the apiserver drops it, so a bad
/// value of it is not reported (MaxUnavailableStatefulSet).
pub fn parse_with(
    text: &str,
    source_name: &str,
    version: K8sVersion,
    gates: &FeatureGates,
) -> Vec<DocResult> {
    let api = Apiserver {
        version,
        gates: *gates,
    };
    if text.len() > MAX_INPUT_BYTES {
        return vec![DocResult::Err(too_big(text.len()))];
    }
    let mut out = Vec::new();
    let mut count = 0usize;
    for (chunk, line_offset) in split_documents(text) {
        if chunk.trim().is_empty() {
            continue;
        }
        let before = out.len();
        let stop = parse_chunk(&chunk, line_offset, source_name, api, &mut out, &mut count);
        if count > limits::MAX_DOCUMENTS {
            out.truncate(before);
            out.push(DocResult::Err(diag(
                ErrorClass::Limit,
                format!(
                    "error: more than {} documents in one input; stsplay stops reading here",
                    limits::MAX_DOCUMENTS
                ),
                Some(Span {
                    line: line_offset + 1,
                    col: 1,
                    end_line: line_offset + 1,
                    end_col: 1,
                }),
                None,
            )));
            break;
        }
        if stop {
            break;
        }
    }
    out
}

/// kubectl's `YAMLReader`: a line starting with `---` followed only by spaces or a comment
/// separates documents. Returns (chunk text, number of lines before it).
fn split_documents(text: &str) -> Vec<(String, u32)> {
    // kubectl sniffs the stream: one starting with `{` is read as a stream of JSON values
    if text.trim_start().starts_with('{')
        && let Some(docs) = split_json_stream(text)
    {
        return docs;
    }
    let mut docs = Vec::new();
    let mut cur = String::new();
    let mut start_line = 0u32;
    for (line_no, line) in (0u32..).zip(text.split_inclusive('\n')) {
        let is_sep = line.strip_prefix("---").is_some_and(|rest| {
            let t = rest.trim();
            t.is_empty() || t.starts_with('#')
        });
        if is_sep {
            docs.push((std::mem::take(&mut cur), start_line));
            start_line = line_no + 1;
        } else {
            cur.push_str(line);
        }
    }
    docs.push((cur, start_line));
    docs
}

/// Top-level JSON values of a stream, each padded so its lines and columns stay those of the input.
/// `None` when the text is not a well-balanced sequence of objects (the YAML path then reports it).
fn split_json_stream(text: &str) -> Option<Vec<(String, u32)>> {
    let mut docs = Vec::new();
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    let (mut start, mut line, mut start_line, mut start_col, mut col) =
        (None, 0u32, 0u32, 0usize, 0usize);
    for (i, ch) in text.char_indices() {
        if start.is_none() {
            if ch == '{' {
                start = Some(i);
                start_line = line;
                start_col = col;
                depth = 0;
            } else if !ch.is_whitespace() {
                return None;
            }
        }
        if start.is_some() {
            if in_str {
                if esc {
                    esc = false;
                } else if ch == '\\' {
                    esc = true;
                } else if ch == '"' {
                    in_str = false;
                }
            } else if ch == '"' {
                in_str = true;
            } else if ch == '{' || ch == '[' {
                depth += 1;
            } else if ch == '}' || ch == ']' {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    let st = start.take()?;
                    let body = text.get(st..i + ch.len_utf8())?;
                    docs.push((format!("{}{body}\n", " ".repeat(start_col)), start_line));
                }
            }
        }
        if ch == '\n' {
            line += 1;
            col = 0;
        } else {
            col += 1;
        }
    }
    if start.is_some() || docs.len() < 2 {
        return None; // unbalanced, or a single value: the YAML path handles it with exact spans
    }
    Some(docs)
}

/// Returns true when reading must stop (syntax error, as kubectl's stream visitor does).
fn parse_chunk(
    chunk: &str,
    line_offset: u32,
    source: &str,
    api: Apiserver,
    out: &mut Vec<DocResult>,
    count: &mut usize,
) -> bool {
    let root = match tree::build(chunk, line_offset) {
        Ok(Some(r)) => r,
        Ok(None) => return false,
        Err(tree::TreeError::Limit { pos, message }) => {
            *count += 1;
            out.push(DocResult::Err(diag(
                ErrorClass::Limit,
                format!(
                    "error: error parsing {source}: {message} (line {} column {})",
                    pos.line, pos.col
                ),
                Some(span_at(pos)),
                None,
            )));
            return false;
        }
        Err(tree::TreeError::UnknownAnchor { pos, name }) => {
            *count += 1;
            out.push(DocResult::Err(syntax_diag(
                source,
                &format!("yaml: unknown anchor '{name}' referenced"),
                pos,
                Some(format!("define it first with `&{name}` on an earlier node")),
            )));
            return true;
        }
        Err(tree::TreeError::Syntax { pos, info, byte }) => {
            *count += 1;
            // ask libyaml for go-yaml's wording, on a prefix that ends a line after the problem
            let rel_line = pos.line.saturating_sub(line_offset);
            // small chunks are checked whole; larger ones only up to two lines (and at most
            // 4 KiB) past the problem: libyaml reads all of its input before deserializing
            let prefix: String = if chunk.len() <= 8 * 1024 {
                chunk.to_string()
            } else {
                let p: String = chunk
                    .split_inclusive('\n')
                    .take(rel_line as usize + 2)
                    .collect();
                let mut cut = p.len().min(byte.saturating_add(4096));
                while !p.is_char_boundary(cut) {
                    cut -= 1;
                }
                p.get(..cut).unwrap_or("").to_string()
            };
            let msg = match syntax::check(&prefix) {
                Some(g) if chunk.len() <= 8 * 1024 || g.line <= rel_line + 2 => {
                    let p = tree::Pos {
                        line: g.line + line_offset,
                        col: g.col,
                    };
                    out.push(DocResult::Err(syntax_diag(
                        source,
                        &g.message,
                        p,
                        syntax_hint(&g.message),
                    )));
                    return true;
                }
                _ => format!("yaml: line {}: {}", rel_line, info),
            };
            out.push(DocResult::Err(syntax_diag(
                source,
                &msg,
                pos,
                syntax_hint(&msg),
            )));
            return true;
        }
    };
    if let Some(g) = syntax::check(chunk) {
        *count += 1;
        let p = tree::Pos {
            line: g.line + line_offset,
            col: g.col,
        };
        out.push(DocResult::Err(syntax_diag(
            source,
            &g.message,
            p,
            syntax_hint(&g.message),
        )));
        return true;
    }
    let (json, conv) = match convert::to_json(&root) {
        Ok(x) => x,
        Err(e) => {
            *count += 1;
            out.push(DocResult::Err(syntax_diag(source, &e.message, e.pos, None)));
            return true;
        }
    };
    let doc_span = Span {
        line: root.start.line,
        col: root.start.col,
        end_line: root.end.line,
        end_col: root.end.col,
    };
    if json.is_null() {
        return false;
    }
    // kind: List (and FooList) → its items, each its own document
    let kind = json.get("kind").and_then(Value::as_str).unwrap_or("");
    if kind.ends_with("List")
        && let Some(items) = json.get("items").and_then(Value::as_array)
    {
        for (i, item) in items.iter().enumerate() {
            *count += 1;
            if *count > limits::MAX_DOCUMENTS {
                return true;
            }
            let prefix = format!("items[{i}]");
            let sub = Spans {
                conv: &conv,
                prefix: Some(&prefix),
            };
            let span = sub.lookup("").unwrap_or(doc_span);
            out.push(one_document(item.clone(), &sub, span, source, api));
        }
        return false;
    }
    *count += 1;
    let spans = Spans {
        conv: &conv,
        prefix: None,
    };
    out.push(one_document(json, &spans, doc_span, source, api));
    false
}

fn syntax_diag(source: &str, yaml_msg: &str, pos: tree::Pos, hint: Option<String>) -> Diagnostic {
    diag(
        ErrorClass::Syntax,
        format!("error: error parsing {source}: error converting YAML to JSON: {yaml_msg}"),
        Some(span_at(pos)),
        hint,
    )
}

fn syntax_hint(msg: &str) -> Option<String> {
    if msg.contains("mapping values are not allowed") {
        Some("a `key: value` pair sits where a plain value was expected: check the indentation of this line, or quote a value that contains ': '".into())
    } else if msg.contains("did not find expected key") {
        Some("the indentation of this line does not line up with the keys above it".into())
    } else if msg.contains("found character that cannot start any token") {
        Some("YAML does not allow tabs for indentation, nor a plain value starting with `@` or a backtick; use spaces or quote the value".into())
    } else if msg.contains("did not find expected '-' indicator") {
        Some("list items must all start with `- ` at the same indentation".into())
    } else {
        None
    }
}

/// `path → span` lookups relative to a document (or to a List item).
struct Spans<'a> {
    conv: &'a convert::Converted,
    prefix: Option<&'a str>,
}

impl Spans<'_> {
    fn full(&self, path: &str) -> String {
        match self.prefix {
            None => path.to_string(),
            Some(p) if path.is_empty() => p.to_string(),
            Some(p) => format!("{p}.{path}"),
        }
    }
    fn get(&self, path: &str) -> Option<convert::PathSpan> {
        self.conv.spans.get(&self.full(path)).copied()
    }
    fn lookup(&self, path: &str) -> Option<Span> {
        self.get(path).map(|s| Span {
            line: s.start.line,
            col: s.start.col,
            end_line: s.end.line,
            end_col: s.end.col,
        })
    }
    /// Span of a field error path: the key of the deepest existing field on the path.
    fn for_field(&self, path: &str) -> Option<Span> {
        let mut p = normalize_path(path);
        loop {
            if let Some(s) = self.get(&p) {
                return Some(Span {
                    line: s.key.line,
                    col: s.key.col,
                    end_line: s.end.line,
                    end_col: s.end.col,
                });
            }
            if p.is_empty() {
                return None;
            }
            p = parent_path(&p);
        }
    }
    fn line_of(&self, path: &str) -> Option<u32> {
        self.for_field(path).map(|s| s.line)
    }
}

/// `spec.resources[storage]`/`data[key]` → dotted; the validation path `spec.template.labels` is
/// upstream's name for `spec.template.metadata.labels`.
fn normalize_path(p: &str) -> String {
    let mut out = String::new();
    let mut rest = p;
    while let Some(i) = rest.find('[') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 1..).unwrap_or("");
        let Some(j) = after.find(']') else { break };
        let inner = after.get(..j).unwrap_or("");
        if inner.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(inner);
            out.push(']');
        } else {
            out.push('.');
            out.push_str(inner);
        }
        rest = after.get(j + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out.replace("spec.template.labels", "spec.template.metadata.labels")
        .replace(
            "spec.template.annotations",
            "spec.template.metadata.annotations",
        )
}

fn parent_path(p: &str) -> String {
    if p.ends_with(']')
        && let Some(i) = p.rfind('[')
    {
        return p.get(..i).unwrap_or("").to_string();
    }
    match p.rfind('.') {
        Some(i) => p.get(..i).unwrap_or("").to_string(),
        None => String::new(),
    }
}

fn one_document(
    mut json: Value,
    spans: &Spans<'_>,
    doc_span: Span,
    source: &str,
    api: Apiserver,
) -> DocResult {
    let (_av, kind) = match decode::resolve(&json, source) {
        Ok(x) => x,
        Err(e) => return DocResult::Err(decode_diag(e, spans, source, doc_span)),
    };
    let meta_str = |k: &str| {
        json.get("metadata")
            .and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let subject = Subject {
        kind: kind.clone(),
        name: meta_str("name").unwrap_or_default(),
        namespace: meta_str("namespace"),
    };
    let raw = json.clone();
    let mut obj = match decode::decode(&mut json, &kind, source) {
        Ok(o) => o,
        Err(e) => {
            let mut d = decode_diag(e, spans, source, doc_span);
            if d.class == ErrorClass::BadRequest {
                d.subject = Some(Box::new(subject));
            }
            return DocResult::Err(d);
        }
    };
    defaults::apply(&mut obj);
    let mut errs = validate::validate_with(&obj, api.version, &api.gates);
    if let AnyObject::StatefulSet(s) = &obj {
        let present = json
            .get("spec")
            .and_then(|sp| sp.get("selector"))
            .is_some_and(|v| !v.is_null());
        if !present {
            validate::selector_absent(s, &mut errs);
        }
    }
    if !errs.is_empty() {
        let message = field::render_invalid(&kind, obj.name(), &errs);
        let first = errs.first().map(|e| e.field.clone()).unwrap_or_default();
        let span = spans.for_field(&first).or(Some(doc_span));
        let hint = invalid_hint(&errs, spans).or_else(|| template_hint(&obj, &errs));
        return DocResult::Err(Diagnostic {
            message,
            span,
            hint,
            class: ErrorClass::Invalid,
            causes: errs,
            subject: Some(Box::new(subject)),
        });
    }
    let mut warnings = Vec::new();
    for (path, first_line, pos) in &spans.conv.duplicates {
        let rel = match spans.prefix {
            Some(p) => match path.strip_prefix(p) {
                Some(r) => r.trim_start_matches('.').to_string(),
                None => continue,
            },
            None => path.clone(),
        };
        warnings.push(diag(
            ErrorClass::Syntax,
            format!("hint: {rel} is set twice (lines {first_line} and {}); kubectl keeps the last value without a word", pos.line),
            Some(span_at(*pos)),
            None,
        ));
    }
    statefulset_warnings(&obj, spans, &mut warnings);
    DocResult::Ok(Parsed {
        object: obj,
        span: doc_span,
        warnings,
        raw,
    })
}

fn statefulset_warnings(obj: &AnyObject, spans: &Spans<'_>, warnings: &mut Vec<Diagnostic>) {
    let AnyObject::StatefulSet(s) = obj else {
        return;
    };
    let name = obj.name();
    if name.len() > 52 {
        warnings.push(diag(
            ErrorClass::Invalid,
            format!(
                "hint: the name is {} characters long: its pods get the label controller-revision-hash={name}-<hash of up to 10 characters>, and label values are limited to 63 characters, so the controller will fail to create pods (keep StatefulSet names to 52 characters)",
                name.len()
            ),
            spans.for_field("metadata.name"),
            None,
        ));
    }
    let Some(spec) = &s.spec else { return };
    if spec.replicas.unwrap_or(1) > MAX_REPLICAS {
        warnings.push(diag(
            ErrorClass::Limit,
            format!(
                "hint: replicas {} is above stsplay's simulation cap of {MAX_REPLICAS} pods; the API accepts it, the simulation stops creating pods at {MAX_REPLICAS}",
                spec.replicas.unwrap_or(1)
            ),
            spans.for_field("spec.replicas"),
            None,
        ));
    }
    if spec.service_name.as_deref().unwrap_or("").is_empty() {
        warnings.push(diag(
            ErrorClass::Invalid,
            "hint: no spec.serviceName: the API accepts it, but the pods get no stable DNS names (<pod>.<service>); point it at a headless Service (clusterIP: None)".into(),
            spans.for_field("spec"),
            None,
        ));
    }
    let claims: Vec<String> = spec
        .volume_claim_templates
        .iter()
        .flatten()
        .filter_map(|c| c.metadata.name.clone())
        .collect();
    if let Some(ps) = &spec.template.spec {
        for e in validate::pod_spec(ps, "spec.template.spec", &claims) {
            let extra = if e.kind == ErrorType::NotFound && e.field.contains("volumeMounts") {
                let mut known: Vec<String> = ps
                    .volumes
                    .iter()
                    .flatten()
                    .map(|v| v.name.clone())
                    .collect();
                known.extend(claims.iter().cloned());
                format!(
                    " (volumes and volumeClaimTemplates here: {})",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )
            } else {
                String::new()
            };
            warnings.push(diag(
                ErrorClass::Invalid,
                format!("hint: the apiserver accepts this StatefulSet but will reject its pods: {e}{extra}"),
                spans.for_field(&e.field),
                None,
            ));
        }
    }
}

fn decode_diag(
    e: decode::DecodeError,
    spans: &Spans<'_>,
    source: &str,
    doc_span: Span,
) -> Diagnostic {
    match e {
        decode::DecodeError::BadRequest {
            message,
            path,
            unknown,
        } => {
            let span = path
                .as_deref()
                .and_then(|p| spans.for_field(p))
                .or(Some(doc_span));
            let hint = if let Some(u) = unknown.first() {
                unknown_field_hint(u, spans)
            } else if message.contains("cannot unmarshal string into Go struct field")
                && message.contains(" of type int")
            {
                Some("write the number without quotes".to_string())
            } else if message.contains("quantities must match")
                || message.contains("quantity's suffix")
            {
                Some("quantities look like 100Mi, 1Gi, 500m or 2 (binary suffixes: Ki Mi Gi Ti; decimal: k M G T)".into())
            } else {
                None
            };
            Diagnostic {
                message: format!(
                    "Error from server (BadRequest): error when creating {}: {message}",
                    field::go_quote(source)
                ),
                span,
                hint,
                class: ErrorClass::BadRequest,
                causes: Vec::new(),
                subject: None,
            }
        }
        decode::DecodeError::NoMatch { message, kind } => {
            let hint = decode::SUPPORTED
                .iter()
                .find(|(_, k)| *k == kind.as_str())
                .map(|(av, k)| format!("{k} is served as apiVersion: {av}"))
                .or_else(|| {
                    decode::SUPPORTED
                        .iter()
                        .find(|(_, k)| k.eq_ignore_ascii_case(&kind))
                        .map(|(av, k)| {
                            format!("kinds are case-sensitive: kind: {k} (apiVersion: {av})")
                        })
                });
            diag(
                ErrorClass::Mapping,
                message,
                spans.for_field("kind").or(Some(doc_span)),
                hint,
            )
        }
        decode::DecodeError::Undecodable { message, path } => {
            let (span, hint) = match path {
                Some(p) => (
                    spans.for_field(&p).or(Some(doc_span)),
                    Some(
                        if p.starts_with("metadata.labels") || p.starts_with("metadata.annotations")
                        {
                            "label and annotation values are strings: quote true/false/yes/no/on/off and numbers".to_string()
                        } else {
                            "quote the value: this field is a string".to_string()
                        },
                    ),
                ),
                None => (
                    Some(doc_span),
                    Some("every manifest needs apiVersion, kind and metadata.name".into()),
                ),
            };
            diag(ErrorClass::Mapping, message, span, hint)
        }
        decode::DecodeError::Unsupported { kind, api_version } => {
            let supported: Vec<&str> = decode::SUPPORTED.iter().map(|(_, k)| *k).collect();
            let _ = source;
            diag(
                ErrorClass::Unsupported,
                format!(
                    "error: stsplay does not simulate {kind} ({api_version}); nothing from this document was applied"
                ),
                spans.for_field("kind").or(Some(doc_span)),
                Some(format!("stsplay simulates {}", supported.join(", "))),
            )
        }
    }
}

/// Field names a learner most often means (for "did you mean").
const VOCABULARY: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "spec",
    "name",
    "namespace",
    "labels",
    "annotations",
    "replicas",
    "selector",
    "matchLabels",
    "matchExpressions",
    "serviceName",
    "template",
    "containers",
    "initContainers",
    "image",
    "imagePullPolicy",
    "ports",
    "containerPort",
    "protocol",
    "volumeMounts",
    "mountPath",
    "volumes",
    "volumeClaimTemplates",
    "accessModes",
    "storageClassName",
    "resources",
    "requests",
    "limits",
    "storage",
    "command",
    "args",
    "env",
    "value",
    "valueFrom",
    "podManagementPolicy",
    "updateStrategy",
    "rollingUpdate",
    "partition",
    "maxUnavailable",
    "revisionHistoryLimit",
    "minReadySeconds",
    "persistentVolumeClaimRetentionPolicy",
    "whenDeleted",
    "whenScaled",
    "ordinals",
    "start",
    "clusterIP",
    "type",
    "port",
    "targetPort",
    "readinessProbe",
    "livenessProbe",
    "startupProbe",
    "httpGet",
    "path",
    "exec",
    "tcpSocket",
    "initialDelaySeconds",
    "periodSeconds",
    "terminationGracePeriodSeconds",
    "restartPolicy",
    "securityContext",
    "data",
    "stringData",
    "provisioner",
    "reclaimPolicy",
    "volumeBindingMode",
    "capacity",
    "hostPath",
    "persistentVolumeReclaimPolicy",
    "claimName",
    "persistentVolumeClaim",
    "configMap",
    "secret",
    "emptyDir",
    "envFrom",
    "nodeSelector",
    "tolerations",
    "affinity",
    "subPath",
    "readOnly",
    "hostname",
    "subdomain",
    "status",
];

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(!ca.eq_ignore_ascii_case(cb));
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(usize::MAX)
}

fn unknown_field_hint(path: &str, spans: &Spans<'_>) -> Option<String> {
    let last = path.rsplit('.').next().unwrap_or(path);
    let last = last.split('[').next().unwrap_or(last);
    let best = VOCABULARY
        .iter()
        .map(|w| (edit_distance(last, w), *w))
        .filter(|(d, w)| *d <= 2 && *w != last)
        .min_by_key(|(d, _)| *d);
    let at = spans
        .line_of(path)
        .map(|l| format!(" (line {l})"))
        .unwrap_or_default();
    match best {
        Some((_, w)) => Some(format!(
            "{last}{at} is not a field here; did you mean {w}? (stsplay's guess)"
        )),
        None => Some(format!(
            "{last}{at} is not a field of this object at this level; check its spelling and indentation (`kubectl explain` lists the fields)"
        )),
    }
}

fn invalid_hint(errs: &[FieldError], spans: &Spans<'_>) -> Option<String> {
    for e in errs {
        if e.detail
            .contains("`selector` does not match template `labels`")
        {
            let a = spans
                .line_of("spec.selector.matchLabels")
                .or_else(|| spans.line_of("spec.selector"));
            let b = spans.line_of("spec.template.metadata.labels");
            let lines = match (a, b) {
                (Some(a), Some(b)) => format!(" (line {a} vs line {b})"),
                _ => String::new(),
            };
            return Some(format!(
                "spec.selector.matchLabels must equal the labels in spec.template.metadata.labels{lines}"
            ));
        }
        if e.field == "metadata.name" && e.detail.contains("RFC 1123") {
            return Some("names use lower-case letters, digits and '-', and start and end with a letter or digit".into());
        }
        if e.field == "metadata.name" && e.detail.contains("DNS-1035") {
            return Some("Service names must start with a letter (they become DNS names)".into());
        }
        if e.field == "metadata.name" && e.kind == ErrorType::Required {
            return Some("add metadata.name".into());
        }
        if e.field == "spec.selector" && e.kind == ErrorType::Required {
            return Some(
                "a StatefulSet needs spec.selector.matchLabels equal to the pod template's labels"
                    .into(),
            );
        }
        if e.field.ends_with("restartPolicy") {
            return Some(
                "StatefulSet pods always restart; remove restartPolicy or set it to Always".into(),
            );
        }
        if e.field == "spec" && e.kind == ErrorType::Forbidden {
            return Some("delete the StatefulSet (`kubectl delete sts NAME --cascade=orphan` keeps its pods) and apply again to change these fields".into());
        }
    }
    None
}

/// Ours, for the checks the v1.34 apiserver added to a StatefulSet create: what the template
/// may mount, and what a claim template needs.
fn template_hint(obj: &AnyObject, errs: &[FieldError]) -> Option<String> {
    let AnyObject::StatefulSet(set) = obj else {
        return None;
    };
    let spec = set.spec.as_ref()?;
    let first = errs.iter().find(|e| {
        e.field.starts_with("spec.template.spec.")
            || e.field.starts_with("spec.volumeClaimTemplates[")
    })?;
    if first.kind == ErrorType::NotFound && first.field.contains("volumeMounts") {
        let mut known: Vec<String> = spec
            .template
            .spec
            .iter()
            .flat_map(|ps| ps.volumes.iter().flatten().map(|v| v.name.clone()))
            .collect();
        known.extend(
            spec.volume_claim_templates
                .iter()
                .flatten()
                .filter_map(|c| c.metadata.name.clone()),
        );
        return Some(format!(
            "a volumeMount names one of the pod's volumes or a volumeClaimTemplate (here: {}); since v1.34 the API server checks this when the StatefulSet is created",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ));
    }
    if first.field.starts_with("spec.volumeClaimTemplates[") {
        return Some("each volumeClaimTemplate needs spec.accessModes (e.g. [ReadWriteOnce]) and spec.resources.requests.storage (e.g. 100Mi); since v1.34 the API server checks them when the StatefulSet is created".into());
    }
    None
}

/// Immutable fields etc. on update (`ValidateStatefulSetUpdate` for StatefulSets; for the other
/// kinds the same object validation as on create plus the immutable fields we know), as the
/// v1.35 apiserver checks them ([`validate_update_for`] picks the version).
pub fn validate_update(old: &AnyObject, new: &AnyObject) -> Result<(), Diagnostic> {
    validate_update_for(old, new, K8sVersion::V1_35)
}

/// [`validate_update`] as the apiserver of `version` checks it; a StatefulSet's update
/// ratchets ([`validate::SetRules::update`]).
pub fn validate_update_for(
    old: &AnyObject,
    new: &AnyObject,
    version: K8sVersion,
) -> Result<(), Diagnostic> {
    validate_update_with(old, new, version, &FeatureGates::for_version(version))
}

/// [`validate_update_for`] with the apiserver's feature gates (see [`parse_with`]).
pub fn validate_update_with(
    old: &AnyObject,
    new: &AnyObject,
    version: K8sVersion,
    gates: &FeatureGates,
) -> Result<(), Diagnostic> {
    let errs = match (old, new) {
        (AnyObject::StatefulSet(o), AnyObject::StatefulSet(n)) => {
            validate::statefulset_update_with(
                n,
                o,
                validate::SetRules::update_with(version, gates, o),
            )
        }
        (AnyObject::Deployment(o), AnyObject::Deployment(n)) => {
            let mut errs = validate::validate(new);
            let sel = |d: &k8s_openapi::api::apps::v1::Deployment| {
                d.spec
                    .as_ref()
                    .map(|s| k8sjson::copy(&s.selector))
                    .unwrap_or_default()
            };
            validate_apps::selector_update(&sel(n), &sel(o), &mut errs);
            errs
        }
        (AnyObject::ReplicaSet(o), AnyObject::ReplicaSet(n)) => {
            let mut errs = validate::validate(new);
            let sel = |r: &k8s_openapi::api::apps::v1::ReplicaSet| {
                r.spec
                    .as_ref()
                    .map(|s| k8sjson::copy(&s.selector))
                    .unwrap_or_default()
            };
            validate_apps::selector_update(&sel(n), &sel(o), &mut errs);
            errs
        }
        (AnyObject::PersistentVolumeClaim(o), AnyObject::PersistentVolumeClaim(n)) => {
            let mut errs = validate::validate(new);
            let mut a = k8sjson::copy(&n.spec).unwrap_or_default();
            let b = k8sjson::copy(&o.spec).unwrap_or_default();
            a.resources = k8sjson::copy(&b.resources);
            a.volume_attributes_class_name = b.volume_attributes_class_name.clone();
            if !k8sjson::same(&a, &b) {
                errs.push(FieldError::forbidden(
                    "spec",
                    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
                ));
            }
            errs
        }
        (AnyObject::Service(o), AnyObject::Service(n)) => {
            let mut errs = validate::validate(new);
            let oc = o
                .spec
                .as_ref()
                .and_then(|s| s.cluster_ip.clone())
                .unwrap_or_default();
            let nc = n
                .spec
                .as_ref()
                .and_then(|s| s.cluster_ip.clone())
                .unwrap_or_default();
            if !oc.is_empty() && !nc.is_empty() && oc != nc {
                errs.push(FieldError::invalid(
                    "spec.clusterIPs[0]",
                    serde_json::json!([nc]),
                    "may not change once set",
                ));
            }
            errs
        }
        (AnyObject::StorageClass(o), AnyObject::StorageClass(n)) => {
            let mut errs = validate::validate(new);
            if o.parameters != n.parameters {
                errs.push(FieldError::forbidden(
                    "parameters",
                    "updates to parameters are forbidden.",
                ));
            }
            if o.provisioner != n.provisioner {
                errs.push(FieldError::forbidden(
                    "provisioner",
                    "updates to provisioner are forbidden.",
                ));
            }
            if o.reclaim_policy != n.reclaim_policy {
                errs.push(FieldError::forbidden(
                    "reclaimPolicy",
                    "updates to reclaimPolicy are forbidden.",
                ));
            }
            if o.volume_binding_mode != n.volume_binding_mode {
                errs.push(FieldError::forbidden(
                    "volumeBindingMode",
                    "field is immutable",
                ));
            }
            errs
        }
        (o, n) if o.kind() != n.kind() => {
            vec![FieldError::invalid("kind", n.kind(), "field is immutable")]
        }
        _ => validate::validate(new),
    };
    if errs.is_empty() {
        Ok(())
    } else {
        let message = field::render_invalid(new.kind(), new.name(), &errs);
        let hint = if errs
            .iter()
            .any(|e| e.field == "spec" && e.kind == ErrorType::Forbidden)
            && new.kind() == "StatefulSet"
        {
            Some("serviceName, selector, volumeClaimTemplates and podManagementPolicy cannot change; delete the StatefulSet (`kubectl delete sts NAME --cascade=orphan` keeps its pods and PVCs) and apply again".into())
        } else {
            template_hint(new, &errs)
        };
        Err(Diagnostic {
            message,
            span: None,
            hint,
            class: ErrorClass::Invalid,
            causes: errs,
            subject: Some(Box::new(Subject {
                kind: new.kind().to_string(),
                name: new.name().to_string(),
                namespace: new.metadata().namespace.clone(),
            })),
        })
    }
}

/// What the apiserver answers a PersistentVolumeClaim create (`ValidatePersistentVolumeClaim`:
/// the name, then `ValidatePersistentVolumeClaimSpec`), as the Status message a client gets:
/// `PersistentVolumeClaim "www-web-0" is invalid: spec.accessModes: Required value: at least 1
/// access mode is required`, or `… is invalid: [a, b]` for several. `None` when valid.
pub fn validate_claim(claim: &k8s_openapi::api::core::v1::PersistentVolumeClaim) -> Option<String> {
    let errs = validate::validate(&AnyObject::PersistentVolumeClaim(Box::new(k8sjson::copy(
        claim,
    ))));
    if errs.is_empty() {
        return None;
    }
    let name = claim.metadata.name.clone().unwrap_or_default();
    Some(invalid_message("PersistentVolumeClaim", &name, &errs))
}

/// For the controller: the apiserver's verdict on a Pod it creates from a StatefulSet template
/// (`Pod "web-0" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "data"`),
/// `None` when valid. Checks the metadata (name, labels incl. the 63-character
/// `controller-revision-hash` value) and the pod spec rules in [`validate::pod_spec`].
pub fn validate_pod(pod: &k8s_openapi::api::core::v1::Pod) -> Option<String> {
    let mut errs = Vec::new();
    validate::object_meta(&pod.metadata, true, names::is_dns1123_subdomain, &mut errs);
    if let Some(spec) = &pod.spec {
        errs.extend(validate::pod_spec(spec, "spec", &[]));
        if let Some(h) = spec.hostname.as_deref() {
            for m in names::is_dns1123_label(h) {
                errs.push(FieldError::invalid("spec.hostname", h, m));
            }
        }
    } else {
        errs.push(FieldError::required("spec.containers", ""));
    }
    if errs.is_empty() {
        return None;
    }
    // the controller's event shows the error the client got: `Pod "x" is invalid: [a, b]` for several
    let name = pod.metadata.name.clone().unwrap_or_default();
    Some(invalid_message("Pod", &name, &errs))
}

/// The apiserver's `Kind "name" is invalid: a` (one error) or `… is invalid: [a, b]` (several,
/// each once, in order): apimachinery's `errors.NewInvalid` text for a create the controller made.
fn invalid_message(kind: &str, name: &str, errs: &[FieldError]) -> String {
    let mut uniq: Vec<String> = Vec::new();
    for e in errs {
        let s = e.to_string();
        if !uniq.contains(&s) {
            uniq.push(s);
        }
    }
    if uniq.len() == 1 {
        format!(
            "{kind} {} is invalid: {}",
            field::go_quote(name),
            uniq.concat()
        )
    } else {
        format!(
            "{kind} {} is invalid: [{}]",
            field::go_quote(name),
            uniq.join(", ")
        )
    }
}
