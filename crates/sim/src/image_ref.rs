//! Image references as the kubelet parses them before anything else: `EnsureImageExists`
//! (`pkg/kubelet/images/image_manager.go`) calls `applyDefaultImageTag`, which calls
//! `parsers.ParseImageName` (`pkg/util/parsers/parsers.go`), which is
//! `github.com/distribution/reference`'s `ParseNormalizedNamed`. A reference it rejects gives
//! the container the waiting reason `InvalidImageName` and the pod the event
//! `Failed to apply default image tag "<image>": couldn't parse image name "<image>": <err>`.
//!
//! The grammar (distribution/reference `regexp.go`, `reference.go`):
//!
//! ```text
//! reference        := name [ ":" tag ] [ "@" digest ]
//! name             := [domain '/'] remote-name
//! domain           := host [':' port-number]
//! host             := domain-name | '[' IPv6address ']'
//! domain-name      := domain-component ['.' domain-component]*
//! domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//! remote-name      := path-component ['/' path-component]*
//! path-component   := /[a-z0-9]+/ [separator /[a-z0-9]+/]*
//! separator        := /[_.]|__|[-]+/
//! tag              := /[\w][\w.-]{0,127}/
//! digest           := /[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}/
//! ```
//!
//! Written from the grammar (no regex engine in the sim): every function below is a matcher
//! for one production, over bytes (every production is ASCII, so any other byte fails).

/// `ParseNormalizedNamed`'s error for `image`, as `%v` prints it (`invalid reference format`,
/// `repository name must be lowercase`, …); `None` when the kubelet can parse it.
pub fn parse_error(image: &str) -> Option<String> {
    // anchoredIdentifierRegexp: a bare 64-hex identifier.
    if image.len() == 64
        && image
            .bytes()
            .all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9'))
    {
        return Some(format!(
            "invalid repository name ({image}), cannot specify 64-byte hexadecimal strings"
        ));
    }
    let (domain, remainder) = split_docker_domain(image);
    let remote = remainder.split(':').next().unwrap_or("");
    if crate::unicase::has_upper(remote) {
        return Some(format!(
            "invalid reference format: repository name ({remote}) must be lowercase"
        ));
    }
    parse(&format!("{domain}/{remainder}")).err()
}

/// The message of the kubelet's `InspectFailed` event and of the container's `InvalidImageName`
/// waiting state (`image_manager.go` `EnsureImageExists`, `parsers.go` `ParseImageName`);
/// `None` when the image parses.
pub fn invalid_image_message(image: &str) -> Option<String> {
    let err = parse_error(image)?;
    let q = go_quote(image);
    Some(format!(
        "Failed to apply default image tag {q}: couldn't parse image name {q}: {err}"
    ))
}

/// Go's `%q` (`strconv.Quote`): printable characters as they are, `"` and `\` escaped, the
/// rest as `\n`, `\x1b`, `\u00ad`, … (Rust's `is_control` stands in for `unicode.IsPrint`).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x80 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `splitDockerDomain` (normalize.go).
fn split_docker_domain(name: &str) -> (&str, String) {
    let Some((maybe_domain, maybe_remote)) = name.split_once('/') else {
        return ("docker.io", format!("library/{name}"));
    };
    let (domain, remote) = if maybe_domain == "localhost" {
        (maybe_domain, maybe_remote.to_string())
    } else if maybe_domain == "index.docker.io" {
        ("docker.io", maybe_remote.to_string())
    } else if maybe_domain.contains(['.', ':']) || crate::unicase::has_upper(maybe_domain) {
        (maybe_domain, maybe_remote.to_string())
    } else {
        ("docker.io", name.to_string())
    };
    if domain == "docker.io" && !remote.contains('/') {
        return (domain, format!("library/{remote}"));
    }
    (domain, remote)
}

/// `Parse` (reference.go): the anchored reference pattern, then the name's length and the
/// digest (go-digest `Parse`).
fn parse(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("repository name must have at least one component".into());
    }
    let Some(m) = match_reference(s.as_bytes()) else {
        let lower = crate::unicase::lowercase(s);
        if lower != s && match_reference(lower.as_bytes()).is_some() {
            return Err("repository name must be lowercase".into());
        }
        return Err("invalid reference format".into());
    };
    if m.path_len > 255 {
        return Err("repository name must not be more than 255 characters".into());
    }
    if let Some(d) = m.digest {
        digest_parse(d)?;
    }
    Ok(())
}

struct RefMatch<'a> {
    /// Length of the remote name (the name without its domain), which `Parse` bounds.
    path_len: usize,
    digest: Option<&'a str>,
}

/// `^(name)(?::(tag))?(?:@(digest))?$`. `@` occurs in none of name, tag or the digest, and a
/// tag holds neither `:` nor `/`, so the parts split unambiguously: the digest after the first
/// `@`, the tag after a `:` that follows the last `/`.
fn match_reference(s: &[u8]) -> Option<RefMatch<'_>> {
    let (head, digest) = match s.iter().position(|&b| b == b'@') {
        Some(i) => (s.get(..i)?, Some(s.get(i + 1..)?)),
        None => (s, None),
    };
    if let Some(d) = digest
        && !is_digest(d)
    {
        return None;
    }
    let last_slash = head.iter().rposition(|&b| b == b'/');
    let last_colon = head.iter().rposition(|&b| b == b':');
    let name = match last_colon {
        Some(c) if last_slash.is_none_or(|sl| c > sl) => {
            if !is_tag(head.get(c + 1..)?) {
                return None;
            }
            head.get(..c)?
        }
        _ => head,
    };
    let path_len = match_name(name)?;
    Some(RefMatch {
        path_len,
        digest: digest.and_then(|d| std::str::from_utf8(d).ok()),
    })
}

/// `(?:domainAndPort/)?remoteName`: the remote name's length. A domain (which holds no `/`)
/// is tried first, as the pattern's greedy optional group prefers it.
fn match_name(name: &[u8]) -> Option<usize> {
    if let Some(i) = name.iter().position(|&b| b == b'/')
        && is_domain_and_port(name.get(..i)?)
        && is_remote_name(name.get(i + 1..)?)
    {
        return Some(name.len() - i - 1);
    }
    is_remote_name(name).then_some(name.len())
}

/// `host(?::[0-9]+)?`, host a domain name or a bracketed IPv6 address.
fn is_domain_and_port(s: &[u8]) -> bool {
    if s.first() == Some(&b'[') {
        let Some(close) = s.iter().position(|&b| b == b']') else {
            return false;
        };
        let inner = s.get(1..close).unwrap_or(&[]);
        if inner.is_empty() || !inner.iter().all(|b| b.is_ascii_hexdigit() || *b == b':') {
            return false;
        }
        return is_optional_port(s.get(close + 1..).unwrap_or(&[]));
    }
    let (host, port) = match s.iter().position(|&b| b == b':') {
        Some(i) => (s.get(..i).unwrap_or(&[]), s.get(i..).unwrap_or(&[])),
        None => (s, &[][..]),
    };
    !host.is_empty()
        && host.split(|&b| b == b'.').all(is_domain_component)
        && is_optional_port(port)
}

fn is_optional_port(s: &[u8]) -> bool {
    match s.split_first() {
        None => true,
        Some((b':', digits)) => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

/// `[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`.
fn is_domain_component(s: &[u8]) -> bool {
    match (s.first(), s.last()) {
        (Some(f), Some(l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && s.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        }
        _ => false,
    }
}

/// `pathComponent(?:/pathComponent)*`.
fn is_remote_name(s: &[u8]) -> bool {
    s.split(|&b| b == b'/').all(is_path_component)
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
fn is_path_component(s: &[u8]) -> bool {
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut i = 0;
    let mut need_alnum = true;
    while let Some(&b) = s.get(i) {
        if alnum(&b) {
            need_alnum = false;
            i += 1;
            continue;
        }
        if need_alnum {
            return false;
        }
        // A separator: one `.`, one `_`, `__`, or a run of `-`.
        let run = s.get(i..).unwrap_or(&[]);
        let len = match b {
            b'.' => 1,
            b'_' if run.get(1) == Some(&b'_') => 2,
            b'_' => 1,
            b'-' => run.iter().take_while(|&&c| c == b'-').count(),
            _ => return false,
        };
        i += len;
        need_alnum = true;
    }
    !need_alnum
}

/// `[\w][\w.-]{0,127}`.
fn is_tag(s: &[u8]) -> bool {
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    s.first().is_some_and(word)
        && s.len() <= 128
        && s.iter().all(|b| word(b) || *b == b'.' || *b == b'-')
}

/// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`.
fn is_digest(s: &[u8]) -> bool {
    let Some(colon) = s.iter().position(|&b| b == b':') else {
        return false;
    };
    let (alg, hex) = (
        s.get(..colon).unwrap_or(&[]),
        s.get(colon + 1..).unwrap_or(&[]),
    );
    let alg_ok = alg
        .split(|b| matches!(b, b'-' | b'_' | b'+' | b'.'))
        .all(|c| {
            c.first().is_some_and(u8::is_ascii_alphabetic)
                && c.iter().all(u8::is_ascii_alphanumeric)
        });
    alg_ok && hex.len() >= 32 && hex.iter().all(u8::is_ascii_hexdigit)
}

/// go-digest `Parse` → `Validate` for the algorithms a kubelet binary registers (sha256,
/// sha384, sha512): `unsupported digest algorithm`, `invalid checksum digest length`,
/// `invalid checksum digest format`.
fn digest_parse(d: &str) -> Result<(), String> {
    let (alg, hex) = d.split_once(':').unwrap_or((d, ""));
    let want = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        // go-digest's DigestRegexp is lowercase: an unknown algorithm that fails it is a
        // format error, one that passes is unsupported.
        _ if alg.bytes().any(|b| b.is_ascii_uppercase()) => {
            return Err("invalid checksum digest format".into());
        }
        _ => return Err("unsupported digest algorithm".into()),
    };
    if hex.len() != want {
        return Err("invalid checksum digest length".into());
    }
    if !hex.bytes().all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9')) {
        return Err("invalid checksum digest format".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_error;

    /// Valid references from distribution/reference's `reference_test.go` /
    /// `normalize_test.go` and the ones StatefulSet examples use.
    #[test]
    fn valid_references() {
        for ok in [
            "nginx",
            "nginx:1.26.0",
            "nginx:latest",
            "library/nginx",
            "docker.io/library/nginx:1.27",
            "index.docker.io/nginx",
            "registry.k8s.io/pause:3.10",
            "localhost/foo",
            "localhost:5000/foo/bar:tag",
            "[2001:db8::1]:5000/repo",
            "test_com/foo",
            "foo__bar",
            "foo--bar-baz.qux",
            "a/b/c/d",
            "Uppercase.example.com/lower",
            "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "nginx:1.26@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(parse_error(ok), None, "{ok}");
        }
    }

    #[test]
    fn kubelet_message() {
        assert_eq!(
            super::invalid_image_message("nginx<img src=x>").as_deref(),
            Some(
                "Failed to apply default image tag \"nginx<img src=x>\": couldn't parse image name \"nginx<img src=x>\": invalid reference format"
            )
        );
        assert_eq!(super::invalid_image_message("nginx:1.26.0"), None);
        assert_eq!(
            super::go_quote("a\"b\\c\n\u{1b}"),
            "\"a\\\"b\\\\c\\n\\x1b\""
        );
    }

    #[test]
    fn invalid_references_with_their_errors() {
        for (bad, err) in [
            ("nginx<img src=x>", "invalid reference format"),
            ("nginx:1.26.0 ", "invalid reference format"),
            ("nginx:", "invalid reference format"),
            ("nginx::1", "invalid reference format"),
            (":tag", "invalid reference format"),
            ("foo___bar", "invalid reference format"),
            ("foo..bar", "invalid reference format"),
            ("-foo", "invalid reference format"),
            ("foo/", "invalid reference format"),
            ("a:b:c", "invalid reference format"),
            ("nginx:-1", "invalid reference format"),
            ("nginx@sha256:abc", "invalid reference format"),
            ("ngïnx", "invalid reference format"),
            (
                "Nginx",
                "invalid reference format: repository name (library/Nginx) must be lowercase",
            ),
            (
                "me/Repo:1",
                "invalid reference format: repository name (me/Repo) must be lowercase",
            ),
            (
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "invalid repository name (0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef), cannot specify 64-byte hexadecimal strings",
            ),
            (
                "nginx@md5:0123456789abcdef0123456789abcdef",
                "unsupported digest algorithm",
            ),
            (
                "nginx@sha256:0123456789abcdef0123456789abcdef",
                "invalid checksum digest length",
            ),
            (
                "nginx@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
                "invalid checksum digest format",
            ),
        ] {
            assert_eq!(parse_error(bad).as_deref(), Some(err), "{bad}");
        }
        let long = format!("{}:1", "a".repeat(250));
        assert_eq!(
            parse_error(&long).as_deref(),
            Some("repository name must not be more than 255 characters")
        );
        assert_eq!(parse_error(&"a".repeat(247)), None);
    }

    /// Non-ASCII case: `strings.ToLower` decides "must be lowercase" and where the domain ends,
    /// as `str::to_lowercase` did (the Kelvin sign U+212A lowercases to `k`, `İ` to `i̇`).
    #[test]
    fn non_ascii_case() {
        for (bad, err) in [
            (
                "ngÍnx",
                "invalid reference format: repository name (library/ngÍnx) must be lowercase",
            ),
            ("nginx:\u{212A}", "repository name must be lowercase"),
            ("\u{212A}8s.io/pause", "repository name must be lowercase"),
            (
                "ÉX/Foo",
                "invalid reference format: repository name (Foo) must be lowercase",
            ),
            (
                "éx/Foo",
                "invalid reference format: repository name (éx/Foo) must be lowercase",
            ),
            ("nginx:İ", "invalid reference format"),
            ("nginx:Σ", "invalid reference format"),
        ] {
            assert_eq!(parse_error(bad).as_deref(), Some(err), "{bad}");
        }
    }
}
