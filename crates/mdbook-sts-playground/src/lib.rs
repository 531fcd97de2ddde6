//! An mdBook preprocessor: each ```` ```sts-playground ```` fence in a chapter becomes an
//! `<sts-playground>` embed (web/embed.js), and the chapter loads embed.js once.
//!
//! ````markdown
//! ```sts-playground example=seed view=diagram+console autoplay run-blocks="code.language-console"
//! kubectl apply -f web.yaml
//! sim settle
//! --- file: web.yaml
//! apiVersion: apps/v1
//! kind: StatefulSet
//! ...
//! ```
//! ````
//!
//! The info string carries the element's attributes (`key=value`, `key="a value"` or a bare
//! `key` for a flag). The body's lines up to the first `--- file: NAME` are the inline script
//! (console lines); each `--- file: NAME` starts an inline file. Attribute values are checked as
//! embed.js checks them and escaped; file and script text goes into `<script type="text/yaml">` /
//! `<script type="text/x-stsplay">` elements, which never run (not JavaScript types). Text that
//! would end such an element early (`</script`, `<!--`, and the other raw-text end tags that
//! end a Markdown HTML block) is refused with an error naming the chapter line, rather than
//! changed.
//!
//! Markdown note: the output is a sequence of HTML blocks separated by blank lines, each starting
//! a CommonMark HTML block of its own kind, so blank lines inside YAML never end a block early
//! (a `<script` line opens a block that runs to its `</script>`).
//! This crate never panics on input: every error is a message.

use std::fmt::Write as _;

/// Settings from `[preprocessor.sts-playground]` in book.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The playground's base URL (where index.html and embed.js are), ending in `/`.
    pub playground: String,
}

impl Config {
    pub fn new(playground: &str) -> Result<Config, String> {
        let p = playground.trim();
        let ok_scheme = p.starts_with("https://") || p.starts_with("http://") || p.starts_with('/');
        if !ok_scheme
            || p.chars()
                .any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\''))
        {
            return Err(format!(
                "playground = {p:?} is not an http(s) URL or an absolute path (e.g. \"https://stsplay.example/\")"
            ));
        }
        let mut playground = p.to_string();
        if !playground.ends_with('/') {
            playground.push('/');
        }
        Ok(Config { playground })
    }
}

const VIEWS: [&str; 4] = ["diagram", "console", "diagram+console", "full"];
const THEMES: [&str; 3] = ["light", "dark", "auto"];
/// Raw-text end tags (and a comment start) that would cut a `<script>` element or a Markdown
/// HTML block short.
const FORBIDDEN: [&str; 5] = ["</script", "<!--", "</pre", "</style", "</textarea"];

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_speed(s: &str) -> bool {
    if s == "events" {
        return true;
    }
    let s = s.strip_suffix('x').unwrap_or(s);
    let (i, f) = s.split_once('.').unwrap_or((s, ""));
    !(i.is_empty() && f.is_empty())
        && i.len() <= 3
        && f.len() <= 2
        && i.bytes().chain(f.bytes()).all(|b| b.is_ascii_digit())
}

/// Escape for an HTML attribute value in double quotes (and for text).
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// `example=seed view="diagram+console" autoplay` -> pairs (a bare key has no value).
fn parse_info(info: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out = Vec::new();
    let mut chars = info.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        if key.is_empty() {
            return Err("an attribute has no name before '='".into());
        }
        if chars.next_if_eq(&'=').is_none() {
            out.push((key, None));
            continue;
        }
        let mut value = String::new();
        if let Some(q) = chars.next_if(|c| *c == '"' || *c == '\'') {
            let mut closed = false;
            for c in chars.by_ref() {
                if c == q {
                    closed = true;
                    break;
                }
                value.push(c);
            }
            if !closed {
                return Err(format!("the value of {key} has no closing quote"));
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                value.push(c);
            }
        }
        out.push((key, Some(value)));
    }
}

/// The element's opening tag from the info string's attributes, checked.
fn open_tag(attrs: &[(String, Option<String>)]) -> Result<(String, Vec<String>), String> {
    let mut tag = String::from("<sts-playground");
    let mut link = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in attrs {
        if seen.contains(&k.as_str()) {
            return Err(format!("{k} is given twice"));
        }
        seen.push(k);
        let need = |v: &Option<String>| -> Result<String, String> {
            v.clone()
                .ok_or_else(|| format!("{k} needs a value ({k}=...)"))
        };
        match k.as_str() {
            "example" | "tour" => {
                let v = need(v)?;
                if !is_id(&v) {
                    return Err(format!(
                        "{k}={v:?}: ids are lowercase letters, digits and '-'"
                    ));
                }
                link.push(format!("{k}={v}"));
                let _ = write!(tag, " {k}=\"{v}\"");
            }
            "view" | "theme" => {
                let v = need(v)?;
                let allowed: &[&str] = if k == "view" { &VIEWS } else { &THEMES };
                if !allowed.contains(&v.as_str()) {
                    return Err(format!("{k}={v:?}: one of {}", allowed.join(", ")));
                }
                let _ = write!(tag, " {k}=\"{}\"", escape(&v));
            }
            "speed" => {
                let v = need(v)?;
                if !is_speed(&v) {
                    return Err(format!(
                        "speed={v:?}: events, or a factor such as 0.5, 1, 4, 16"
                    ));
                }
                let _ = write!(tag, " speed=\"{v}\"");
            }
            "height" => {
                let v = need(v)?;
                let n: u32 = v
                    .trim_end_matches("px")
                    .parse()
                    .map_err(|_| format!("height={v:?}: CSS pixels, e.g. 480"))?;
                if !(160..=4000).contains(&n) {
                    return Err(format!("height={v:?}: between 160 and 4000 pixels"));
                }
                let _ = write!(tag, " height=\"{n}\"");
            }
            "autoplay" => match v.as_deref() {
                None | Some("true") => tag.push_str(" autoplay"),
                Some("false") => {}
                Some(other) => return Err(format!("autoplay={other:?}: a flag (autoplay)")),
            },
            "run-blocks" => {
                let v = need(v)?;
                if v.trim().is_empty() || v.len() > 200 {
                    return Err(
                        "run-blocks needs a CSS selector (e.g. code.language-console)".into(),
                    );
                }
                let _ = write!(tag, " run-blocks=\"{}\"", escape(&v));
            }
            other => {
                return Err(format!(
                    "unknown attribute {other:?} (known: example, tour, view, theme, speed, height, autoplay, run-blocks)"
                ));
            }
        }
    }
    tag.push('>');
    Ok((tag, link))
}

fn check_raw(what: &str, text: &str) -> Result<(), String> {
    let lower = text.to_ascii_lowercase();
    if let Some(bad) = FORBIDDEN.iter().find(|f| lower.contains(*f)) {
        return Err(format!(
            "{what} contains {bad:?}, which would end the embed's element early; remove it"
        ));
    }
    Ok(())
}

fn check_file_name(name: &str) -> Result<(), String> {
    if name.is_empty()
        || name.len() > 128
        || name.contains('/')
        || name == "."
        || name == ".."
        || name.chars().any(char::is_control)
    {
        return Err(format!("--- file: {name:?} is not a plain file name"));
    }
    Ok(())
}

/// One fence body and info string as HTML (a sequence of blank-line-separated HTML blocks).
pub fn render_embed(info: &str, body: &str, cfg: &Config) -> Result<String, String> {
    let attrs = parse_info(info)?;
    let (tag, link) = open_tag(&attrs)?;
    let mut script = String::new();
    let mut files: Vec<(String, String)> = Vec::new();
    for line in body.lines() {
        if let Some(name) = line.strip_prefix("--- file:") {
            let name = name.trim().to_string();
            check_file_name(&name)?;
            if files.iter().any(|(n, _)| *n == name) {
                return Err(format!("the file {name:?} appears twice"));
            }
            files.push((name, String::new()));
            continue;
        }
        let target = match files.last_mut() {
            Some((_, text)) => text,
            None => &mut script,
        };
        target.push_str(line);
        target.push('\n');
    }
    let mut out = String::new();
    out.push_str(&tag);
    out.push_str("\n\n");
    for (name, text) in &files {
        check_raw(&format!("the file {name:?}"), text)?;
        let _ = write!(
            out,
            "<script type=\"text/yaml\" data-file=\"{}\">\n{}</script>\n\n",
            escape(name),
            text
        );
    }
    if !script.trim().is_empty() {
        check_raw("the script", &script)?;
        let _ = write!(
            out,
            "<script type=\"text/x-stsplay\">\n{script}</script>\n\n"
        );
    }
    let href = if link.is_empty() {
        cfg.playground.clone()
    } else {
        format!("{}#{}", cfg.playground, link.join("&"))
    };
    let _ = write!(
        out,
        "<p><a href=\"{}\">Open the StatefulSet playground (stsplay)</a></p>\n\n</sts-playground>\n",
        escape(&href)
    );
    Ok(out)
}

/// A chapter's Markdown with its `sts-playground` fences replaced; embed.js is loaded once, at
/// the top, when the chapter has any. `Err` names the 1-based line of the fence.
pub fn transform(markdown: &str, cfg: &Config) -> Result<String, String> {
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut out = String::with_capacity(markdown.len());
    let mut any = false;
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        let Some((indent, fence, info)) = open_fence(line) else {
            out.push_str(line);
            i += 1;
            continue;
        };
        let lang = info.split_whitespace().next().unwrap_or("");
        // Find the closing fence: the same character, at least as long, nothing after it.
        let mut j = i + 1;
        let mut body = String::new();
        let mut closed = false;
        while let Some(l) = lines.get(j) {
            if is_close(l, fence) {
                closed = true;
                break;
            }
            body.push_str(strip_indent(l, indent));
            j += 1;
        }
        if lang != "sts-playground" {
            // Another fence: copied as it is (its body may contain ```sts-playground as text).
            for l in lines
                .get(i..=j.min(lines.len().saturating_sub(1)))
                .unwrap_or(&[])
            {
                out.push_str(l);
            }
            i = j + 1;
            continue;
        }
        if !closed {
            return Err(format!(
                "line {}: the sts-playground fence is not closed",
                i + 1
            ));
        }
        let info_attrs = info
            .trim_start()
            .strip_prefix("sts-playground")
            .unwrap_or("");
        let html =
            render_embed(info_attrs, &body, cfg).map_err(|e| format!("line {}: {e}", i + 1))?;
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        out.push_str(&html);
        out.push('\n');
        any = true;
        i = j + 1;
    }
    if any {
        let script = format!(
            "<script src=\"{}embed.js\" defer></script>\n\n",
            escape(&cfg.playground)
        );
        out.insert_str(0, &script);
    }
    Ok(out)
}

/// ```` ```info ```` or `~~~info` with up to 3 spaces before: (indent, fence, info).
fn open_fence(line: &str) -> Option<(usize, &str, &str)> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    if indent > 3 {
        return None;
    }
    let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|c| *c == ch).count();
    if n < 3 {
        return None;
    }
    let (fence, info) = trimmed.split_at(n);
    let info = info.trim_end_matches(['\n', '\r']);
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some((indent, fence, info))
}

fn is_close(line: &str, fence: &str) -> bool {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return false;
    }
    let Some(ch) = fence.chars().next() else {
        return false;
    };
    let n = t.chars().take_while(|c| *c == ch).count();
    n >= fence.len() && t.get(n..).is_some_and(|rest| rest.trim().is_empty())
}

fn strip_indent(line: &str, indent: usize) -> &str {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    line.get(spaces.min(indent)..).unwrap_or(line)
}

/// The mdBook protocol: `[context, book]` in, the book out. Every chapter's `content` is
/// transformed wherever it sits in the tree (sections nest), so this works across mdBook's
/// book-format versions (0.4's `sections`/`items`, 0.5's `items`).
pub fn run(input: &str) -> Result<String, String> {
    let v: serde_json::Value =
        serde_json::from_str(input).map_err(|e| format!("cannot read mdBook's input: {e}"))?;
    let serde_json::Value::Array(mut pair) = v else {
        return Err("mdBook's input is not [context, book]".into());
    };
    if pair.len() != 2 {
        return Err("mdBook's input is not [context, book]".into());
    }
    let book = pair.pop().unwrap_or_default();
    let ctx = pair.pop().unwrap_or_default();
    let playground = ctx
        .pointer("/config/preprocessor/sts-playground/playground")
        .and_then(|p| p.as_str())
        .ok_or("set the playground's URL in book.toml: [preprocessor.sts-playground] playground = \"https://…/\"")?;
    let cfg = Config::new(playground)?;
    let mut book = book;
    walk(&mut book, &cfg)?;
    serde_json::to_string(&book).map_err(|e| e.to_string())
}

fn walk(v: &mut serde_json::Value, cfg: &Config) -> Result<(), String> {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(ch)) = map.get_mut("Chapter") {
                let name = ch
                    .get("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or("?")
                    .to_string();
                if let Some(serde_json::Value::String(content)) = ch.get_mut("content") {
                    *content =
                        transform(content, cfg).map_err(|e| format!("chapter {name:?}, {e}"))?;
                }
            }
            for (_, child) in map.iter_mut() {
                walk(child, cfg)?;
            }
        }
        serde_json::Value::Array(items) => {
            for child in items {
                walk(child, cfg)?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config::new("https://stsplay.example").unwrap()
    }

    #[test]
    fn a_fence_becomes_an_embed() {
        let md = "# Title\n\nText.\n\n```sts-playground example=seed view=\"diagram+console\" autoplay\nkubectl apply -f web.yaml\n\nsim settle\n--- file: web.yaml\napiVersion: apps/v1\n\nkind: StatefulSet\n```\n\nAfter.\n";
        let out = transform(md, &cfg()).unwrap();
        assert_eq!(
            out,
            "<script src=\"https://stsplay.example/embed.js\" defer></script>\n\n\
             # Title\n\nText.\n\n\
             <sts-playground example=\"seed\" view=\"diagram+console\" autoplay>\n\n\
             <script type=\"text/yaml\" data-file=\"web.yaml\">\napiVersion: apps/v1\n\nkind: StatefulSet\n</script>\n\n\
             <script type=\"text/x-stsplay\">\nkubectl apply -f web.yaml\n\nsim settle\n</script>\n\n\
             <p><a href=\"https://stsplay.example/#example=seed\">Open the StatefulSet playground (stsplay)</a></p>\n\n\
             </sts-playground>\n\n\nAfter.\n"
        );
    }

    #[test]
    fn other_fences_and_chapters_are_untouched() {
        let md = "```yaml\n```sts-playground\n```\n\nNo embed here.\n";
        assert_eq!(transform(md, &cfg()).unwrap(), md);
        let tilde = "~~~~sts-playground example=seed\n~~~~\n";
        assert!(
            transform(tilde, &cfg())
                .unwrap()
                .contains("<sts-playground example=\"seed\">")
        );
    }

    #[test]
    fn hostile_values_are_refused_or_escaped() {
        let err = |info: &str| render_embed(info, "", &cfg()).unwrap_err();
        assert!(err("example=\"<img src=x onerror=alert(1)>\"").contains("ids are lowercase"));
        assert!(err("onload=alert(1)").contains("unknown attribute \"onload\""));
        assert!(err("view=everything").contains("one of diagram"));
        assert!(err("height=10").contains("between 160"));
        assert!(err("example=a example=b").contains("given twice"));
        assert!(err("run-blocks=\"unclosed").contains("no closing quote"));
        let ok = render_embed("run-blocks='pre > code[class=\"x\"]'", "", &cfg()).unwrap();
        assert!(
            ok.starts_with("<sts-playground run-blocks=\"pre &gt; code[class=&quot;x&quot;]\">"),
            "{ok}"
        );
        let e = render_embed(
            "",
            "--- file: a.yaml\nx: </script><script>alert(1)</script>\n",
            &cfg(),
        )
        .unwrap_err();
        assert!(e.contains("\"</script\""), "{e}");
        assert!(
            render_embed("", "<!-- x\n", &cfg())
                .unwrap_err()
                .contains("<!--")
        );
        assert!(
            render_embed("", "--- file: ../x\n", &cfg())
                .unwrap_err()
                .contains("not a plain")
        );
        let e = transform("text\n\n```sts-playground tour=\"A\"\n```\n", &cfg()).unwrap_err();
        assert!(e.starts_with("line 3: tour="), "{e}");
        assert!(
            transform("```sts-playground\nx\n", &cfg())
                .unwrap_err()
                .contains("not closed")
        );
    }

    #[test]
    fn config_urls() {
        assert_eq!(Config::new("/play").unwrap().playground, "/play/");
        assert!(Config::new("javascript:alert(1)").is_err());
        assert!(Config::new("https://a.example/\" onload=\"x").is_err());
    }

    #[test]
    fn the_protocol_walks_nested_chapters() {
        let input = r#"[{"root":"/b","config":{"preprocessor":{"sts-playground":{"playground":"https://p.example/"}}},"renderer":"html","mdbook_version":"0.5.4"},
            {"items":[{"Chapter":{"name":"A","content":"```sts-playground example=seed\n```\n","number":[1],"sub_items":[
                {"Chapter":{"name":"B","content":"plain\n","number":[1,1],"sub_items":[],"path":"b.md","source_path":"b.md","parent_names":["A"]}}],
              "path":"a.md","source_path":"a.md","parent_names":[]}},"Separator"]}]"#;
        let out = run(input).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let a = v
            .pointer("/items/0/Chapter/content")
            .unwrap()
            .as_str()
            .unwrap();
        assert!(a.contains("<sts-playground example=\"seed\">"), "{a}");
        assert!(a.starts_with("<script src=\"https://p.example/embed.js\" defer>"));
        let b = v
            .pointer("/items/0/Chapter/sub_items/0/Chapter/content")
            .unwrap();
        assert_eq!(b, "plain\n");
        assert_eq!(v.pointer("/items/1").unwrap(), "Separator");
        assert!(run("[{}, {}]").unwrap_err().contains("book.toml"));
        assert!(run("not json").is_err());
    }
}
