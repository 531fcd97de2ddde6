//! What the page is asked to open, read from its URL fragment before anything starts.
//!
//! * `#s1.…` — a share link ([`crate::link`]).
//! * `#embed&example=seed&view=diagram&theme=dark&autoplay&speed=4&tour=NAME&host=ORIGIN&init`
//!   — embed mode, as web/embed.js builds it from the element's attributes.
//! * `#example=seed&tour=NAME&view=…&theme=…` — the full page opening a gallery example (the
//!   link an embed degrades to without JavaScript, and its "open in stsplay" link).
//! * anything else — the page as usual (the fragment is left alone).
//!
//! Values are percent-decoded and checked: ids are `[a-z0-9-]`, enums are one of their spellings,
//! `host` is a bare `http(s)` origin. An unknown key or a bad value is an error naming it, so a
//! typo in an embed attribute is reported instead of silently ignored. No key switches anything
//! on beyond what a learner can do with the page's own controls.

use std::fmt;

use crate::link::{self, ShareError};
use crate::scenario::{Scenario, Speed, Theme, View, is_id, shorten};

/// Longest fragment read as parameters (a share link has its own, larger bound).
const MAX_PARAMS_CHARS: usize = 2048;

/// The embed and page options a fragment can set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BootConfig {
    /// Embed mode: no storage, the host protocol on, only the chosen panes.
    pub embed: bool,
    pub example: Option<String>,
    pub tour: Option<String>,
    pub view: Option<View>,
    pub theme: Option<Theme>,
    pub autoplay: bool,
    pub speed: Option<Speed>,
    /// The origin of the page that embeds us, as embed.js declared it.
    pub host: Option<String>,
    /// embed.js will send an `init` message with inline files and a script.
    pub init: bool,
}

/// What the fragment asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Boot {
    /// Nothing for us: open the page as usual.
    Plain,
    Share(Result<Scenario, ShareError>),
    Config(Result<BootConfig, BootError>),
}

/// A bad parameter. `Display` is one line for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BootError {
    TooLong(usize),
    UnknownKey(String),
    BadValue { key: &'static str, value: String },
    Repeated(&'static str),
    BadEncoding,
}

impl fmt::Display for BootError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("The page address has options this playground does not understand: ")?;
        match self {
            BootError::TooLong(n) => write!(f, "they are {n} characters long"),
            BootError::UnknownKey(k) => write!(f, "unknown option {:?}", shorten(k)),
            BootError::BadValue { key, value } => {
                let hint = match *key {
                    "view" => " (diagram, console, diagram+console or full)",
                    "theme" => " (light, dark or auto)",
                    "speed" => " (events, or a factor such as 0.5, 1, 4, 16)",
                    "example" | "tour" => " (lowercase letters, digits and '-')",
                    "host" => " (an origin such as https://docs.example)",
                    _ => "",
                };
                write!(f, "{key}={:?} is not valid{hint}", shorten(value))
            }
            BootError::Repeated(k) => write!(f, "{k} is given twice"),
            BootError::BadEncoding => f.write_str("a value is not valid percent-encoded UTF-8"),
        }
    }
}

/// Read a fragment (`location.hash`, with or without `#`).
pub fn parse_fragment(fragment: &str) -> Boot {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    if link::is_share_fragment(f) {
        return Boot::Share(link::decode(f));
    }
    let first = f.split('&').next().unwrap_or("");
    let first_key = first.split_once('=').map_or(first, |(k, _)| k);
    if !matches!(first_key, "embed" | "example" | "tour") {
        return Boot::Plain;
    }
    Boot::Config(parse_params(f))
}

fn parse_params(f: &str) -> Result<BootConfig, BootError> {
    if f.len() > MAX_PARAMS_CHARS {
        return Err(BootError::TooLong(f.len()));
    }
    let mut c = BootConfig::default();
    let mut seen: Vec<&'static str> = Vec::new();
    for part in f.split('&').filter(|p| !p.is_empty()) {
        let (k, raw) = part.split_once('=').unwrap_or((part, ""));
        let v = percent_decode(raw).ok_or(BootError::BadEncoding)?;
        let key: &'static str = match k {
            "embed" => "embed",
            "example" => "example",
            "tour" => "tour",
            "view" => "view",
            "theme" => "theme",
            "autoplay" => "autoplay",
            "speed" => "speed",
            "host" => "host",
            "init" => "init",
            other => {
                return Err(BootError::UnknownKey(
                    percent_decode(other).unwrap_or_else(|| other.to_string()),
                ));
            }
        };
        if seen.contains(&key) {
            return Err(BootError::Repeated(key));
        }
        seen.push(key);
        let bad = || BootError::BadValue {
            key,
            value: v.clone(),
        };
        match key {
            "embed" => c.embed = flag(&v).ok_or_else(bad)?,
            "autoplay" => c.autoplay = flag(&v).ok_or_else(bad)?,
            "init" => c.init = flag(&v).ok_or_else(bad)?,
            "example" => c.example = Some(is_id(&v).then(|| v.clone()).ok_or_else(bad)?),
            "tour" => c.tour = Some(is_id(&v).then(|| v.clone()).ok_or_else(bad)?),
            "view" => c.view = Some(View::parse(&v).ok_or_else(bad)?),
            "theme" => c.theme = Some(Theme::parse(&v).ok_or_else(bad)?),
            "speed" => c.speed = Some(Speed::parse(&v).ok_or_else(bad)?),
            _ => c.host = Some(parse_origin(&v).ok_or_else(bad)?.to_string()),
        }
    }
    Ok(c)
}

/// A present key with no value, `1` or `true` is on; `0`/`false` off.
fn flag(v: &str) -> Option<bool> {
    match v {
        "" | "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        _ => None,
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `s` if it is a serialized `http`/`https` origin as browsers write `event.origin`:
/// `scheme://host[:port]`, lowercase host of letters, digits, `-` and `.` (or a bracketed IPv6
/// address), no path, user or trailing slash. Never `null`.
pub fn parse_origin(s: &str) -> Option<&str> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let (host_ok, port) = if let Some(v6) = rest.strip_prefix('[') {
        let (addr, after) = v6.split_once(']')?;
        let port = if after.is_empty() {
            None
        } else {
            Some(after.strip_prefix(':')?)
        };
        let ok = !addr.is_empty()
            && addr
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        (ok, port)
    } else {
        let (h, p) = match rest.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        };
        let ok = !h.is_empty()
            && h.len() <= 253
            && h.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
            && !h.starts_with(['.', '-'])
            && !h.ends_with('-');
        (ok, p)
    };
    if !host_ok {
        return None;
    }
    if let Some(p) = port {
        let n: u32 = (!p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()?;
        if n == 0 || n > 65_535 || p.starts_with('0') {
            return None;
        }
    }
    Some(s)
}

/// The origin an embed trusts as its host: what the browser says embedded it
/// (`location.ancestorOrigins[0]` where supported, else the referrer's origin), else the origin
/// embed.js declared. A browser-given origin always wins over the declared one.
pub fn host_origin(
    ancestor: Option<&str>,
    referrer: Option<&str>,
    declared: Option<&str>,
) -> Option<String> {
    if let Some(a) = ancestor.and_then(parse_origin) {
        return Some(a.to_string());
    }
    if let Some(r) = referrer.and_then(origin_of_url) {
        return Some(r);
    }
    declared.and_then(parse_origin).map(str::to_string)
}

/// The origin of an absolute http(s) URL: `https://a.example:8443/x?y` -> `https://a.example:8443`.
pub fn origin_of_url(url: &str) -> Option<String> {
    let scheme_end = url.find("://")? + 3;
    let after = url.get(scheme_end..)?;
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let candidate = url.get(..scheme_end + end)?;
    // Userinfo is never part of an origin, and a URL carrying it is not one we trust.
    if candidate.contains('@') {
        return None;
    }
    parse_origin(&candidate.to_ascii_lowercase()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_fragments() {
        let Boot::Config(Ok(c)) = parse_fragment(
            "#embed&example=seed&view=diagram%2Bconsole&theme=dark&autoplay&speed=0.5&tour=orchestra&host=https%3A%2F%2Fdocs.example%3A8443&init=1",
        ) else {
            panic!()
        };
        assert_eq!(
            c,
            BootConfig {
                embed: true,
                example: Some("seed".into()),
                tour: Some("orchestra".into()),
                view: Some(View::DiagramConsole),
                theme: Some(Theme::Dark),
                autoplay: true,
                speed: Some(Speed::Hundredths(50)),
                host: Some("https://docs.example:8443".into()),
                init: true,
            }
        );
        assert_eq!(
            parse_fragment("#example=web"),
            Boot::Config(Ok(BootConfig {
                example: Some("web".into()),
                ..Default::default()
            }))
        );
    }

    #[test]
    fn other_fragments_are_left_alone() {
        for f in ["", "#", "#/active", "#top", "#examples", "#embedded-thing"] {
            assert_eq!(parse_fragment(f), Boot::Plain, "{f}");
        }
        assert!(matches!(parse_fragment("#s1.AAAA"), Boot::Share(Err(_))));
    }

    #[test]
    fn bad_params_are_named() {
        let err = |f: &str| match parse_fragment(f) {
            Boot::Config(Err(e)) => e.to_string(),
            other => panic!("{f}: {other:?}"),
        };
        assert_eq!(
            err("#embed&view=everything"),
            "The page address has options this playground does not understand: view=\"everything\" is not valid (diagram, console, diagram+console or full)"
        );
        assert!(err("#embed&example=%3Cimg%20src%3Dx%3E").contains("example=\"<img src=x>\""));
        assert!(err("#embed&onload=alert(1)").contains("unknown option \"onload\""));
        assert!(err("#embed&theme=dark&theme=light").contains("theme is given twice"));
        assert!(err("#embed&host=javascript:alert(1)").contains("host="));
        assert!(err("#embed&host=https%3A%2F%2Fa.example%2F").contains("host="));
        assert!(err("#embed&speed=1e9").contains("speed="));
        assert!(err("#embed&autoplay=yes").contains("autoplay="));
        assert!(err("#embed&tour=%FF").contains("percent-encoded"));
        assert!(err(&format!("#embed&{}", "a".repeat(3000))).contains("characters long"));
    }

    #[test]
    fn origins() {
        for good in [
            "https://docs.example",
            "http://127.0.0.1:8080",
            "https://kubernetes.io",
            "http://[::1]:3000",
            "http://localhost",
        ] {
            assert_eq!(parse_origin(good), Some(good), "{good}");
        }
        for bad in [
            "null",
            "",
            "https://",
            "https://a.example/",
            "https://A.example",
            "https://u@a.example",
            "javascript:alert(1)",
            "data:text/html,x",
            "https://a.example:0",
            "https://a.example:65536",
            "https://a.example:080",
            "https://a.example:",
            "ftp://a.example",
            "https://a b",
            "http://[::1",
            "http://[]",
            "http://[::1]x",
        ] {
            assert_eq!(parse_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_browser_given_origin_wins() {
        let h = |a, r, d| host_origin(a, r, d);
        assert_eq!(
            h(
                Some("https://a.example"),
                Some("https://b.example/x"),
                Some("https://c.example")
            ),
            Some("https://a.example".into())
        );
        assert_eq!(
            h(
                None,
                Some("https://B.example:444/page?q#f"),
                Some("https://c.example")
            ),
            Some("https://b.example:444".into())
        );
        assert_eq!(
            h(None, Some(""), Some("https://c.example")),
            Some("https://c.example".into())
        );
        assert_eq!(h(None, Some("https://u:p@b.example/"), None), None);
        assert_eq!(h(Some("null"), None, Some("null")), None);
    }
}
