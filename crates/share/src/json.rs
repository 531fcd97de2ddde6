//! A small, strict, bounded JSON reader and string escaper for the embed messages (RFC 8259).
//!
//! Own code rather than serde_json: the messages are a few flat objects, and a reader that checks
//! depth, size and duplicate keys as it goes is smaller in the bundle than a generic one and
//! cannot be talked into building large values.

use std::fmt;

/// A JSON value. Objects keep their key order; duplicate keys are rejected while parsing.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Num(_) => "a number",
            Json::Str(_) => "a string",
            Json::Arr(_) => "an array",
            Json::Obj(_) => "an object",
        }
    }
}

/// Where and why a text is not JSON (byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub at: usize,
    pub why: &'static str,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not valid JSON at byte {}: {}", self.at, self.why)
    }
}

/// Parse a whole text. `max_depth` counts nested arrays/objects (the top level is 1).
pub fn parse(text: &str, max_depth: usize) -> Result<Json, JsonError> {
    let mut p = Parser {
        b: text.as_bytes(),
        at: 0,
        max_depth,
    };
    p.ws();
    let v = p.value(1)?;
    p.ws();
    if p.at != p.b.len() {
        return Err(p.err("text after the value"));
    }
    Ok(v)
}

struct Parser<'a> {
    b: &'a [u8],
    at: usize,
    max_depth: usize,
}

impl Parser<'_> {
    fn err(&self, why: &'static str) -> JsonError {
        JsonError { at: self.at, why }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: u8, why: &'static str) -> Result<(), JsonError> {
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.err(why))
        }
    }

    fn word(&mut self, w: &'static [u8], v: Json) -> Result<Json, JsonError> {
        if self.b.get(self.at..self.at + w.len()) == Some(w) {
            self.at += w.len();
            Ok(v)
        } else {
            Err(self.err("unknown word"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        match self.peek() {
            None => Err(self.err("the text ends where a value should be")),
            Some(b'n') => self.word(b"null", Json::Null),
            Some(b't') => self.word(b"true", Json::Bool(true)),
            Some(b'f') => self.word(b"false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => {
                if depth > self.max_depth {
                    return Err(self.err("nested too deeply"));
                }
                self.at += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.at += 1;
                    return Ok(Json::Arr(items));
                }
                loop {
                    self.ws();
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(Json::Arr(items));
                        }
                        _ => return Err(self.err("expected ',' or ']'")),
                    }
                }
            }
            Some(b'{') => {
                if depth > self.max_depth {
                    return Err(self.err("nested too deeply"));
                }
                self.at += 1;
                let mut fields: Vec<(String, Json)> = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                    return Ok(Json::Obj(fields));
                }
                loop {
                    self.ws();
                    let key_at = self.at;
                    if self.peek() != Some(b'"') {
                        return Err(self.err("expected a key in quotes"));
                    }
                    let key = self.string()?;
                    if fields.iter().any(|(k, _)| *k == key) {
                        return Err(JsonError {
                            at: key_at,
                            why: "a key appears twice",
                        });
                    }
                    self.ws();
                    self.eat(b':', "expected ':'")?;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    fields.push((key, v));
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(Json::Obj(fields));
                        }
                        _ => return Err(self.err("expected ',' or '}'")),
                    }
                }
            }
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.err("a number needs digits")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.err("a number needs digits after '.'"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("a number needs digits in its exponent"));
            }
        }
        let text = self
            .b
            .get(start..self.at)
            .and_then(|s| std::str::from_utf8(s).ok())
            .ok_or_else(|| self.err("a number"))?;
        text.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Json::Num)
            .ok_or_else(|| self.err("a number out of range"))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.err("\\u needs four hex digits")),
            };
            v = v * 16 + u32::from(d);
            self.at += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.eat(b'"', "expected '\"'")?;
        let mut out = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.err("a string is not closed"));
            };
            self.at += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let Some(e) = self.peek() else {
                        return Err(self.err("a string is not closed"));
                    };
                    self.at += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xd800..0xdc00).contains(&hi) {
                                if self.b.get(self.at..self.at + 2) != Some(b"\\u") {
                                    return Err(self.err("a lone surrogate"));
                                }
                                self.at += 2;
                                let lo = self.hex4()?;
                                if !(0xdc00..0xe000).contains(&lo) {
                                    return Err(self.err("a lone surrogate"));
                                }
                                0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                            } else {
                                hi
                            };
                            char::from_u32(cp).ok_or_else(|| self.err("a lone surrogate"))?
                        }
                        _ => return Err(self.err("an unknown escape")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                0x00..=0x1f => return Err(self.err("a control character in a string")),
                _ => out.push(c),
            }
        }
        // The input is a &str, and escapes add whole characters: always UTF-8.
        String::from_utf8(out).map_err(|_| self.err("invalid UTF-8"))
    }
}

/// `s` as a JSON string literal, quotes included. Escapes `<`, `>` and `&` too, so the text is
/// inert even if someone ever pastes it into HTML.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn values() {
        assert_eq!(parse(" null ", 4), Ok(Json::Null));
        assert_eq!(
            parse("[true,false]", 4),
            Ok(Json::Arr(vec![Json::Bool(true), Json::Bool(false)]))
        );
        assert_eq!(parse("-12.5e1", 4), Ok(Json::Num(-125.0)));
        assert_eq!(
            parse(r#"{"a":"x\u00e9\ud83d\ude00\n","b":{}}"#, 4),
            Ok(Json::Obj(vec![
                ("a".into(), Json::Str("xé😀\n".into())),
                ("b".into(), Json::Obj(vec![]))
            ]))
        );
    }

    #[test]
    fn strictness() {
        for bad in [
            "",
            "nul",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "1e",
            "\"\\x\"",
            "\"a",
            "\"\u{1}\"",
            "{\"a\":1,\"a\":2}",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "[1] 2",
            "{a:1}",
            "NaN",
            "1e999",
            "'x'",
        ] {
            assert!(parse(bad, 4).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse("{\"a\":1,\"a\":2}", 4),
            Err(JsonError {
                at: 7,
                why: "a key appears twice"
            })
        );
    }

    #[test]
    fn depth_is_bounded() {
        assert!(parse("[[[]]]", 3).is_ok());
        assert_eq!(parse("[[[[]]]]", 3).unwrap_err().why, "nested too deeply");
        // A megabyte of '[' fails fast at the depth limit, without recursion to that depth.
        let deep = "[".repeat(1 << 20);
        assert_eq!(parse(&deep, 8).unwrap_err().why, "nested too deeply");
    }

    #[test]
    fn quote_escapes_markup_and_separators() {
        assert_eq!(
            quote("a\"b\\<script>&\u{2028}\u{1}"),
            r#""a\"b\\\u003cscript\u003e\u0026\u2028\u0001""#
        );
    }

    proptest! {
        #[test]
        fn quote_round_trips(s in any::<String>()) {
            prop_assert_eq!(parse(&quote(&s), 1), Ok(Json::Str(s)));
        }

        #[test]
        fn never_panics(s in "[\\[\\]{}\",:0-9a-z\\\\ .eE+-]{0,60}") {
            let _ = parse(&s, 4);
        }
    }
}
