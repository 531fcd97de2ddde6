//! The embed's message protocol (version 1): what a host page (web/embed.js) and the embedded
//! playground say to each other through `postMessage`.
//!
//! Every message is a JSON **string** (never a structured object, so nothing but text crosses)
//! of an object with `"stsplay": 1` and a `"type"`. The embed reads host messages only through
//! [`accept_host_message`], which checks, in order: the sender is the parent window, its origin is
//! the one that embedded us, the text is at most [`MAX_MESSAGE_BYTES`], it is JSON of the exact
//! shape of one message type (no unknown field, right types) and within the scenario bounds.
//!
//! What a host can ask for is deliberately small: load files and a script once (`init`), run
//! command lines (`run`). Both are data for the simulated cluster; no message carries markup, a
//! URL to load, code, or a setting that turns anything on, and no message asks the embed for its
//! state or storage. The embed answers with `ready`, its content `height` and `ran` (how a block
//! went), sent only to the host's origin.
//!
//! Host -> embed:
//! ```json
//! {"stsplay":1,"type":"init","files":[{"name":"sts.yaml","text":"..."}],"script":"kubectl apply -f sts.yaml"}
//! {"stsplay":1,"type":"run","text":"kubectl get pods\nkubectl get pvc"}
//! ```
//! Embed -> host:
//! ```json
//! {"stsplay":1,"type":"ready"}
//! {"stsplay":1,"type":"height","px":412}
//! {"stsplay":1,"type":"ran","lines":2,"ok":true}
//! ```

use std::fmt;

use crate::json::{self, Json};
use crate::scenario::{File, LimitError, check_commands, check_files, limits, shorten};

/// The protocol version both sides put in `"stsplay"`.
pub const PROTOCOL: u32 = 1;
/// Bytes of one message from the host (inline files included).
pub const MAX_MESSAGE_BYTES: usize = limits::MAX_INFLATED_BYTES;
/// Command lines one `run` message may carry (a docs code block).
pub const MAX_RUN_LINES: usize = 200;
/// Nesting of a message: the object, its `files` array, a file object.
const MAX_DEPTH: usize = 3;
/// Height the embed reports, in CSS pixels.
pub const MAX_HEIGHT_PX: u32 = 10_000;

/// A message from the host page, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostMessage {
    /// Inline files and the inline script (as command lines), sent once after `ready`.
    Init {
        files: Vec<File>,
        script: Vec<String>,
    },
    /// A code block's command lines, to run in order in the console.
    Run { lines: Vec<String> },
}

/// A message to the host page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedMessage {
    Ready,
    Height(u32),
    Ran { lines: u32, ok: bool },
}

impl EmbedMessage {
    pub fn to_json(self) -> String {
        match self {
            EmbedMessage::Ready => format!(r#"{{"stsplay":{PROTOCOL},"type":"ready"}}"#),
            EmbedMessage::Height(px) => format!(
                r#"{{"stsplay":{PROTOCOL},"type":"height","px":{}}}"#,
                px.min(MAX_HEIGHT_PX)
            ),
            EmbedMessage::Ran { lines, ok } => {
                format!(r#"{{"stsplay":{PROTOCOL},"type":"ran","lines":{lines},"ok":{ok}}}"#)
            }
        }
    }
}

/// Why a host message was not accepted. `Display` is one line for the embed's status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageError {
    /// Not from the parent window, or not from the origin that embedded us: dropped silently.
    Foreign,
    /// Not a string (a structured object or a transfer).
    NotText,
    TooLarge(usize),
    NotJson(json::JsonError),
    /// Not one of ours (`"stsplay"` missing): another script's message, dropped silently.
    NotOurs,
    NewerProtocol(u32),
    Shape(String),
    Limit(LimitError),
}

impl MessageError {
    /// Whether the embed should tell the user (rather than drop the message quietly: other
    /// scripts on a page post messages too).
    pub fn worth_showing(&self) -> bool {
        !matches!(
            self,
            MessageError::Foreign | MessageError::NotOurs | MessageError::NotText
        )
    }
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("A message from the host page was ignored: ")?;
        match self {
            MessageError::Foreign => f.write_str("it came from another window or origin"),
            MessageError::NotText => f.write_str("it is not text"),
            MessageError::TooLarge(n) => write!(
                f,
                "it has {n} bytes, more than {MAX_MESSAGE_BYTES} are allowed"
            ),
            MessageError::NotJson(e) => write!(f, "it is {e}"),
            MessageError::NotOurs => f.write_str("it is not an stsplay message"),
            MessageError::NewerProtocol(v) => write!(
                f,
                "it uses embed protocol {v}, and this playground speaks {PROTOCOL} \
                 (is embed.js from a newer release than the playground?)"
            ),
            MessageError::Shape(s) => f.write_str(s),
            MessageError::Limit(l) => write!(f, "{l}"),
        }
    }
}

fn shape(s: impl Into<String>) -> MessageError {
    MessageError::Shape(s.into())
}

/// Check sender and text, then parse. `from_parent` is `event.source === window.parent`;
/// `origin` is `event.origin`; `expected` the origin that embedded us ([`crate::boot`]).
pub fn accept_host_message(
    from_parent: bool,
    origin: &str,
    expected: &str,
    data: Option<&str>,
) -> Result<HostMessage, MessageError> {
    if !from_parent || origin != expected || crate::boot::parse_origin(origin).is_none() {
        return Err(MessageError::Foreign);
    }
    parse_host_message(data.ok_or(MessageError::NotText)?)
}

/// Parse and shape-check one host message (the fuzz target's entry point).
pub fn parse_host_message(text: &str) -> Result<HostMessage, MessageError> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(MessageError::TooLarge(text.len()));
    }
    // A cheap look before parsing: other scripts' string messages are not ours.
    if !text.contains("\"stsplay\"") {
        return Err(MessageError::NotOurs);
    }
    let v = json::parse(text, MAX_DEPTH).map_err(MessageError::NotJson)?;
    let Json::Obj(fields) = &v else {
        return Err(MessageError::NotOurs);
    };
    match v.get("stsplay") {
        None => return Err(MessageError::NotOurs),
        Some(Json::Num(n)) if *n == f64::from(PROTOCOL) => {}
        Some(Json::Num(n))
            if *n > f64::from(PROTOCOL) && n.fract() == 0.0 && *n <= f64::from(u32::MAX) =>
        {
            // In range and whole, checked just above.
            return Err(MessageError::NewerProtocol(*n as u32));
        }
        Some(other) => {
            return Err(shape(format!(
                "\"stsplay\" must be {PROTOCOL}, not {}",
                match other {
                    Json::Num(_) => "another number",
                    o => o.kind(),
                }
            )));
        }
    }
    let ty = match v.get("type") {
        Some(Json::Str(t)) => t.as_str(),
        Some(other) => return Err(shape(format!("\"type\" is {}, not a string", other.kind()))),
        None => return Err(shape("it has no \"type\"")),
    };
    let allowed: &[&str] = match ty {
        "init" => &["stsplay", "type", "files", "script"],
        "run" => &["stsplay", "type", "text"],
        other => {
            return Err(shape(format!(
                "unknown message type {:?} (known: init, run)",
                shorten(other)
            )));
        }
    };
    if let Some((k, _)) = fields.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(shape(format!(
            "a {ty:?} message has no field {:?}",
            shorten(k)
        )));
    }
    match ty {
        "init" => {
            let files = match v.get("files") {
                None => Vec::new(),
                Some(Json::Arr(items)) => parse_files(items)?,
                Some(other) => {
                    return Err(shape(format!(
                        "\"files\" is {}, not an array",
                        other.kind()
                    )));
                }
            };
            let script = match v.get("script") {
                None => Vec::new(),
                Some(Json::Str(s)) => script_lines(s),
                Some(other) => {
                    return Err(shape(format!(
                        "\"script\" is {}, not a string",
                        other.kind()
                    )));
                }
            };
            check_files(&files).map_err(MessageError::Limit)?;
            check_commands(&script).map_err(MessageError::Limit)?;
            Ok(HostMessage::Init { files, script })
        }
        _ => {
            let lines = match v.get("text") {
                Some(Json::Str(s)) => script_lines(s),
                Some(other) => {
                    return Err(shape(format!("\"text\" is {}, not a string", other.kind())));
                }
                None => return Err(shape("a \"run\" message needs \"text\"")),
            };
            if lines.len() > MAX_RUN_LINES {
                return Err(MessageError::Limit(LimitError::TooMany {
                    what: "command lines in one block",
                    n: lines.len(),
                    max: MAX_RUN_LINES,
                }));
            }
            check_commands(&lines).map_err(MessageError::Limit)?;
            Ok(HostMessage::Run { lines })
        }
    }
}

fn parse_files(items: &[Json]) -> Result<Vec<File>, MessageError> {
    if items.len() > limits::MAX_FILES {
        return Err(MessageError::Limit(LimitError::TooMany {
            what: "files",
            n: items.len(),
            max: limits::MAX_FILES,
        }));
    }
    let mut files = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Json::Obj(fields) = item else {
            return Err(shape(format!(
                "file {} is {}, not an object",
                i + 1,
                item.kind()
            )));
        };
        if let Some((k, _)) = fields.iter().find(|(k, _)| k != "name" && k != "text") {
            return Err(shape(format!(
                "file {} has no field {:?}",
                i + 1,
                shorten(k)
            )));
        }
        match (item.get("name"), item.get("text")) {
            (Some(Json::Str(name)), Some(Json::Str(text))) => files.push(File {
                name: name.clone(),
                text: text.clone(),
            }),
            _ => {
                return Err(shape(format!(
                    "file {} needs a string \"name\" and a string \"text\"",
                    i + 1
                )));
            }
        }
    }
    Ok(files)
}

/// A script or a docs code block as console lines: `\`-continued lines joined (as `sh` reads
/// them), a leading `$ ` prompt dropped (docs often print one), blank lines skipped. Everything
/// else, comments included, is a line of the command language as written.
pub fn script_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for raw in text.lines() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(head) = line.strip_suffix('\\')
            && !head.ends_with('\\')
        {
            pending.push_str(head);
            continue;
        }
        pending.push_str(line);
        let joined = std::mem::take(&mut pending);
        let t = joined.trim();
        let t = t.strip_prefix("$ ").unwrap_or(t).trim();
        if !t.is_empty() {
            out.push(t.to_string());
        }
    }
    let t = pending.trim();
    let t = t.strip_prefix("$ ").unwrap_or(t).trim();
    if !t.is_empty() {
        out.push(t.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "https://docs.example";

    #[test]
    fn init_and_run() {
        let m = parse_host_message(
            r#"{"stsplay":1,"type":"init","files":[{"name":"sts.yaml","text":"kind: StatefulSet\n"}],"script":"kubectl apply -f sts.yaml\n\nsim settle\n"}"#,
        );
        assert_eq!(
            m,
            Ok(HostMessage::Init {
                files: vec![File {
                    name: "sts.yaml".into(),
                    text: "kind: StatefulSet\n".into()
                }],
                script: vec!["kubectl apply -f sts.yaml".into(), "sim settle".into()],
            })
        );
        assert_eq!(
            parse_host_message(
                r#"{"type":"run","stsplay":1,"text":"$ kubectl get pods \\\n  -l app=nginx"}"#
            ),
            Ok(HostMessage::Run {
                lines: vec!["kubectl get pods   -l app=nginx".into()]
            })
        );
        assert_eq!(
            parse_host_message(r#"{"stsplay":1,"type":"init"}"#),
            Ok(HostMessage::Init {
                files: vec![],
                script: vec![]
            })
        );
    }

    #[test]
    fn sender_checks_come_first() {
        let run = r#"{"stsplay":1,"type":"run","text":"kubectl get pods"}"#;
        assert!(accept_host_message(true, HOST, HOST, Some(run)).is_ok());
        for (parent, origin) in [
            (false, HOST),
            (true, "https://evil.example"),
            (true, "null"),
            (true, "https://docs.example.evil.example"),
        ] {
            assert_eq!(
                accept_host_message(parent, origin, HOST, Some(run)),
                Err(MessageError::Foreign),
                "{parent} {origin}"
            );
        }
        // Even a matching "null" origin (an opaque parent) is never trusted.
        assert_eq!(
            accept_host_message(true, "null", "null", Some(run)),
            Err(MessageError::Foreign)
        );
        assert_eq!(
            accept_host_message(true, HOST, HOST, None),
            Err(MessageError::NotText)
        );
    }

    #[test]
    fn shapes_are_exact() {
        let cases = [
            (r#""hello""#, "NotOurs"),
            (r#"{"type":"run"}"#, "NotOurs"),
            (r#"[1,"stsplay"]"#, "NotOurs"),
            (
                r#"{"stsplay":2,"type":"run","text":""}"#,
                "it uses embed protocol 2",
            ),
            (
                r#"{"stsplay":"1","type":"run","text":""}"#,
                "\"stsplay\" must be 1, not a string",
            ),
            (
                r#"{"stsplay":1,"type":"eval","code":"alert(1)"}"#,
                "unknown message type \"eval\"",
            ),
            (r#"{"stsplay":1,"type":"run"}"#, "needs \"text\""),
            (
                r#"{"stsplay":1,"type":"run","text":["a"]}"#,
                "\"text\" is an array",
            ),
            (
                r#"{"stsplay":1,"type":"run","text":"x","html":"<b>"}"#,
                "a \"run\" message has no field \"html\"",
            ),
            (
                r#"{"stsplay":1,"type":"init","files":[{"name":"a","text":"x","onload":"y"}]}"#,
                "file 1 has no field \"onload\"",
            ),
            (
                r#"{"stsplay":1,"type":"init","files":[{"name":"a"}]}"#,
                "needs a string",
            ),
            (
                r#"{"stsplay":1,"type":"init","files":{"a":"b"}}"#,
                "\"files\" is an object",
            ),
            (
                r#"{"stsplay":1,"type":"init","files":[{"name":"../x","text":""}]}"#,
                "it is a path",
            ),
            (
                r#"{"stsplay":1,"type":"init","files":[[[]]]}"#,
                "nested too deeply",
            ),
            (
                r#"{"stsplay":1,"type":"run","text":"x","stsplay":1}"#,
                "a key appears twice",
            ),
        ];
        for (text, want) in cases {
            let e = parse_host_message(text).unwrap_err();
            let shown = format!("{e:?} / {e}");
            assert!(shown.contains(want), "{text}: {shown}");
        }
    }

    #[test]
    fn bounds() {
        let big = format!(
            r#"{{"stsplay":1,"type":"run","text":"{}"}}"#,
            "a".repeat(MAX_MESSAGE_BYTES)
        );
        assert_eq!(
            parse_host_message(&big),
            Err(MessageError::TooLarge(big.len()))
        );
        let many = format!(
            r#"{{"stsplay":1,"type":"run","text":"{}"}}"#,
            "sim step\\n".repeat(MAX_RUN_LINES + 1)
        );
        assert!(matches!(
            parse_host_message(&many),
            Err(MessageError::Limit(LimitError::TooMany { .. }))
        ));
    }

    #[test]
    fn quiet_errors() {
        assert!(!MessageError::Foreign.worth_showing());
        assert!(!MessageError::NotOurs.worth_showing());
        assert!(shape("x").worth_showing());
        assert_eq!(
            shape("x").to_string(),
            "A message from the host page was ignored: x"
        );
    }

    #[test]
    fn outgoing_messages() {
        assert_eq!(
            EmbedMessage::Ready.to_json(),
            r#"{"stsplay":1,"type":"ready"}"#
        );
        assert_eq!(
            EmbedMessage::Height(99_999).to_json(),
            r#"{"stsplay":1,"type":"height","px":10000}"#
        );
        assert_eq!(
            EmbedMessage::Ran {
                lines: 2,
                ok: false
            }
            .to_json(),
            r#"{"stsplay":1,"type":"ran","lines":2,"ok":false}"#
        );
        for m in [
            EmbedMessage::Ready,
            EmbedMessage::Height(3),
            EmbedMessage::Ran { lines: 1, ok: true },
        ] {
            assert!(json::parse(&m.to_json(), 2).is_ok());
        }
    }

    #[test]
    fn script_lines_read_docs_blocks() {
        assert_eq!(
            script_lines(
                "$ kubectl get pods\r\nkubectl get sts \\\n  web\n\n# a comment\n  \nkubectl get pvc \\"
            ),
            vec![
                "kubectl get pods".to_string(),
                "kubectl get sts   web".into(),
                "# a comment".into(),
                "kubectl get pvc".into()
            ]
        );
        // An escaped backslash at the end is not a continuation.
        assert_eq!(script_lines("echo a\\\\\nb"), vec!["echo a\\\\", "b"]);
    }
}
