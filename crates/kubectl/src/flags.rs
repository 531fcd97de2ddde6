//! kubectl's flag grammar (spf13/pflag as cobra configures it for kubectl): `--long value`,
//! `--long=value`, `-s value`, `-svalue`, `-s=value`, bundled boolean shorthands (`-wA`),
//! `--bool=false`, and `--` ending flag parsing (kept apart for `exec`). Flags may appear
//! anywhere among the arguments (cobra interspersed mode). Errors read like pflag's.

use std::collections::BTreeMap;

/// Whether a flag takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Value,
    /// A value flag with pflag's `NoOptDefVal`: `--name` alone sets this value and does not
    /// take the next word (`--name=value` sets a value).
    OptValue(&'static str),
    /// An integer flag (pflag `IntVar`/`Int64Var`): the value must parse as Go's
    /// `strconv.ParseInt(s, 0, 64)` does, or parsing fails with pflag's message.
    Int,
}

/// One known flag.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
}

pub const fn b(long: &'static str, short: Option<char>) -> Spec {
    Spec {
        long,
        short,
        kind: Kind::Bool,
    }
}
pub const fn v(long: &'static str, short: Option<char>) -> Spec {
    Spec {
        long,
        short,
        kind: Kind::Value,
    }
}

/// An integer flag ([`Kind::Int`]).
pub const fn i(long: &'static str, short: Option<char>) -> Spec {
    Spec {
        long,
        short,
        kind: Kind::Int,
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)`: an optional sign, then decimal, `0x`/`0o`/`0b`/`0`
/// prefixed digits, with `_` allowed only after a base prefix. The error is its text.
fn go_parse_int(s: &str) -> Result<i64, String> {
    let syntax = || format!("strconv.ParseInt: parsing \"{s}\": invalid syntax");
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or("")),
        Some(b'+') => (false, s.get(1..).unwrap_or("")),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower.get(1..).unwrap_or("").to_string(), true)
    } else {
        (10, lower.clone(), false)
    };
    if digits.is_empty()
        || (!prefixed && digits.contains('_'))
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return Err(syntax());
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if !clean.chars().all(|c| c.is_digit(radix)) {
        return Err(syntax());
    }
    let signed = if neg { format!("-{clean}") } else { clean };
    i64::from_str_radix(&signed, radix)
        .map_err(|_| format!("strconv.ParseInt: parsing \"{s}\": value out of range"))
}

/// A value flag with a value for its bare form (pflag `NoOptDefVal`).
pub const fn o(long: &'static str, bare: &'static str) -> Spec {
    Spec {
        long,
        short: None,
        kind: Kind::OptValue(bare),
    }
}

/// Flags every command accepts (kubectl's persistent flags that matter here).
pub const GLOBAL: &[Spec] = &[
    v("namespace", Some('n')),
    v("context", None),
    v("cluster", None),
    v("kubeconfig", None),
    v("user", None),
    v("request-timeout", None),
    v("v", Some('v')),
    b("help", Some('h')),
];

/// The result of parsing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub positional: Vec<String>,
    /// long name → values in order (bools store "true"/"false").
    pub flags: BTreeMap<&'static str, Vec<String>>,
    /// Words after `--`.
    pub after_dash: Option<Vec<String>>,
    /// Every flag as typed, in order (pflag's `ParseAll` order, for `--record`).
    pub order: Vec<(&'static str, String)>,
}

impl Parsed {
    fn put(&mut self, long: &'static str, val: String) {
        self.order.push((long, val.clone()));
        self.flags.entry(long).or_default().push(val);
    }
    pub fn has(&self, long: &str) -> bool {
        self.flags.contains_key(long)
    }
    pub fn bool(&self, long: &str) -> bool {
        self.flags
            .get(long)
            .and_then(|v| v.last())
            .is_some_and(|v| v == "true")
    }
    pub fn value(&self, long: &str) -> Option<&str> {
        self.flags
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }
    pub fn values(&self, long: &str) -> Vec<String> {
        self.flags.get(long).cloned().unwrap_or_default()
    }
}

fn find_long<'a>(specs: &'a [Spec], name: &str) -> Option<&'a Spec> {
    specs.iter().chain(GLOBAL.iter()).find(|s| s.long == name)
}

fn find_short(specs: &[Spec], c: char) -> Option<&Spec> {
    specs
        .iter()
        .chain(GLOBAL.iter())
        .find(|s| s.short == Some(c))
}

/// Parse `args` with the command's `specs` (plus [`GLOBAL`]). `cmd_path` is for the usage line
/// (`kubectl get`).
pub fn parse(args: &[String], specs: &[Spec], cmd_path: &str) -> Result<Parsed, String> {
    let usage = |m: String| format!("error: {m}\nSee '{cmd_path} --help' for usage.");
    let mut p = Parsed::default();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if a == "--" {
            p.after_dash = Some(args.get(i..).map(<[String]>::to_vec).unwrap_or_default());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(spec) = find_long(specs, name) else {
                return Err(usage(format!("unknown flag: --{name}")));
            };
            let val = match (spec.kind, inline) {
                (Kind::Bool, None) => "true".to_string(),
                (Kind::Bool, Some(v)) => match v.as_str() {
                    "true" | "1" | "t" | "T" | "TRUE" | "True" => "true".into(),
                    "false" | "0" | "f" | "F" | "FALSE" | "False" => "false".into(),
                    _ => {
                        return Err(usage(format!(
                            "invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"
                        )));
                    }
                },
                (Kind::Value | Kind::OptValue(_) | Kind::Int, Some(v)) => v,
                (Kind::OptValue(bare), None) => bare.to_string(),
                (Kind::Value | Kind::Int, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => return Err(usage(format!("flag needs an argument: --{name}"))),
                },
            };
            p.put_checked(spec, val).map_err(usage)?;
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a.chars().skip(1).collect();
            let mut j = 0;
            while let Some(&c) = chars.get(j) {
                j += 1;
                let Some(spec) = find_short(specs, c) else {
                    return Err(usage(format!("unknown shorthand flag: '{c}' in {a}")));
                };
                match spec.kind {
                    Kind::Bool => {
                        let mut val = "true".to_string();
                        if chars.get(j) == Some(&'=') {
                            let rest: String = chars.iter().skip(j + 1).collect();
                            val = if rest == "false" {
                                "false".into()
                            } else {
                                "true".into()
                            };
                            j = chars.len();
                        }
                        p.put(spec.long, val);
                    }
                    Kind::Value | Kind::OptValue(_) | Kind::Int => {
                        let mut rest: String = chars.iter().skip(j).collect();
                        if let Some(r) = rest.strip_prefix('=') {
                            rest = r.to_string();
                        }
                        let val = if !rest.is_empty() {
                            rest
                        } else if let Some(v) = args.get(i) {
                            i += 1;
                            v.clone()
                        } else {
                            return Err(usage(format!("flag needs an argument: '{c}' in -{c}")));
                        };
                        p.put_checked(spec, val).map_err(usage)?;
                        j = chars.len();
                    }
                }
            }
            continue;
        }
        p.positional.push(a.clone());
    }
    Ok(p)
}

impl Parsed {
    /// pflag `FlagSet.set`: an integer flag's value is parsed (and kept in decimal; the
    /// order keeps it as typed, as `--record` prints it); one its type refuses is an error
    /// naming the flag `-s, --long` when it has a shorthand.
    fn put_checked(&mut self, spec: &Spec, val: String) -> Result<(), String> {
        if spec.kind != Kind::Int {
            self.put(spec.long, val);
            return Ok(());
        }
        let n = go_parse_int(&val).map_err(|e| {
            let name = match spec.short {
                Some(c) => format!("-{c}, --{}", spec.long),
                None => format!("--{}", spec.long),
            };
            format!("invalid argument \"{val}\" for \"{name}\" flag: {e}")
        })?;
        self.order.push((spec.long, val));
        self.flags.entry(spec.long).or_default().push(n.to_string());
        Ok(())
    }

    /// An integer flag's value ([`Kind::Int`], already checked by [`parse`]).
    pub fn int(&self, long: &str) -> Option<i64> {
        self.value(long).and_then(|v| go_parse_int(v).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// pflag's `IntVar` parses with Go's `strconv.ParseInt(s, 0, 64)`; a bad value is a usage
    /// error naming the flag (checked against kubectl v1.33's binary: `kubectl scale
    /// --replicas=x sts web`, `kubectl logs x --tail=z`).
    #[test]
    fn int_flags_parse_as_go_does() {
        const SCALE: &[Spec] = &[i("replicas", None), i("tail", None)];
        let e = parse(&s(&["--replicas=x"]), SCALE, "kubectl scale").unwrap_err();
        assert_eq!(
            e,
            "error: invalid argument \"x\" for \"--replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl scale --help' for usage."
        );
        for (t, want) in [
            ("3", 3),
            ("-1", -1),
            ("+2", 2),
            ("0x10", 16),
            ("010", 8),
            ("0b11", 3),
            ("1_0", 0),
        ] {
            let r = go_parse_int(t);
            if t == "1_0" {
                assert!(r.is_err());
            } else {
                assert_eq!(r, Ok(want), "{t}");
            }
        }
        assert!(go_parse_int("").is_err());
        assert!(go_parse_int("-").is_err());
        assert!(go_parse_int("0x").is_err());
        assert!(go_parse_int("1.5").is_err());
        assert_eq!(
            go_parse_int("99999999999999999999"),
            Err("strconv.ParseInt: parsing \"99999999999999999999\": value out of range".into())
        );
        let p = parse(&s(&["--tail", "0x10"]), SCALE, "kubectl logs").unwrap();
        assert_eq!(p.int("tail"), Some(16));
        assert_eq!(p.value("tail"), Some("16"));
        assert_eq!(p.order, [("tail", "0x10".to_string())]);
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    const GET: &[Spec] = &[
        v("output", Some('o')),
        b("watch", Some('w')),
        b("all-namespaces", Some('A')),
        v("selector", Some('l')),
    ];

    #[test]
    fn pflag_forms() {
        let p = parse(
            &s(&[
                "pods",
                "-l",
                "app=nginx",
                "-oyaml",
                "--watch",
                "-nkube-system",
            ]),
            GET,
            "kubectl get",
        )
        .unwrap();
        assert_eq!(p.positional, ["pods"]);
        assert_eq!(p.value("selector"), Some("app=nginx"));
        assert_eq!(p.value("output"), Some("yaml"));
        assert_eq!(p.value("namespace"), Some("kube-system"));
        assert!(p.bool("watch"));
        let p = parse(
            &s(&["-wA", "--output=wide", "--watch=false"]),
            GET,
            "kubectl get",
        )
        .unwrap();
        assert!(p.bool("all-namespaces"));
        assert!(!p.bool("watch"));
        assert_eq!(p.value("output"), Some("wide"));
    }

    #[test]
    fn pflag_errors() {
        assert_eq!(
            parse(&s(&["--foo"]), GET, "kubectl get").unwrap_err(),
            "error: unknown flag: --foo\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            parse(&s(&["-z"]), GET, "kubectl get").unwrap_err(),
            "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            parse(&s(&["-o"]), GET, "kubectl get").unwrap_err(),
            "error: flag needs an argument: 'o' in -o\nSee 'kubectl get --help' for usage."
        );
    }

    #[test]
    fn double_dash() {
        let p = parse(
            &s(&["pod-0", "--", "sh", "-c", "echo hi"]),
            &[],
            "kubectl exec",
        )
        .unwrap();
        assert_eq!(p.positional, ["pod-0"]);
        assert_eq!(p.after_dash.unwrap(), ["sh", "-c", "echo hi"]);
    }
}
