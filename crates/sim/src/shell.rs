//! A tiny shell: the subset the seed's init container and `kubectl exec` need.
//!
//! Supported: `set -e/-x/-ex/+x`, `echo [-n] ...` with `>`/`>>` redirection, `cat`, `ls`,
//! `hostname [-f]`, `true`, `false`, `exit [N]`, `sleep N` (no time passes), `mkdir -p`,
//! `getent hosts NAME`, `nslookup NAME` (images that have it), `curl [-sSf] URL` (when the host simulates HTTP),
//! `sh|bash -c SCRIPT`, command substitution `$(cmd)`, `$VAR`/`${VAR}` (HOSTNAME, HOME, PATH,
//! ..., and variables the script sets: `NAME=value`, `export NAME=value`), `${VAR#pat}`,
//! `${VAR##pat}`, `${VAR%pat}`, `${VAR%%pat}` (patterns with `*` and `?`), `${VAR:-word}`,
//! `[ … ]`/`test` (`=`, `!=`, `-eq` … `-ge`, `-z`, `-n`, `-f`, `-d`, `-e`, `!`),
//! `if … then … elif … else … fi`, single and double quotes, `;`, `&&`, `||`, newlines, `#` comments. With `set -x` the trace goes to stderr like bash's (`+ cmd`, `++` for
//! a command substitution; dash prints a single `+`). Anything else is reported as not simulated.

/// What a shell needs from its container.
pub trait ShellHost {
    fn hostname(&self) -> String;
    /// Fully-qualified name (`hostname -f`).
    fn fqdn(&self) -> String;
    fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String>;
    fn read_file(&self, path: &str) -> Result<String, String>;
    fn list_dir(&self, path: &str) -> Result<Vec<String>, String>;
    /// DNS A records for a name (already qualified or relative to the pod's search path).
    fn resolve(&self, name: &str) -> Vec<(String, String)>;
    /// `curl URL` from this container: `Some(Ok((status, body)))`, `Some(Err((curl exit code,
    /// message)))`, or `None` when the host does not simulate HTTP.
    fn http_get(&self, _url: &str) -> Option<HttpResult> {
        None
    }
    /// Whether the container's image has the executable `name` (a base name such as
    /// `nslookup`) on its `$PATH`. Shell builtins are never asked.
    fn has_command(&self, _name: &str) -> bool {
        true
    }
    /// Whether the command's stdout is a terminal (`kubectl exec -t`); a pipe otherwise.
    fn stdout_is_terminal(&self) -> bool {
        false
    }
    /// The container's image as written in the pod spec (`busybox:1.28`), when known: some
    /// programs print differently per image (busybox's `nslookup`).
    fn image(&self) -> Option<String> {
        None
    }
    /// The cluster DNS's PTR answer for an IP (`web-0.nginx.default.svc.cluster.local`).
    fn reverse(&self, _ip: &str) -> Option<String> {
        None
    }
}

/// Whether `image` is one of the official busybox images (`busybox`, `busybox:1.28`,
/// `docker.io/library/busybox:1.36-musl`).
pub fn is_busybox(image: &str) -> bool {
    let repo = image.split('@').next().unwrap_or(image);
    let repo = match repo.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => r,
        _ => repo,
    };
    matches!(
        repo,
        "busybox" | "library/busybox" | "docker.io/library/busybox" | "docker.io/busybox"
    )
}

/// busybox 1.28's `nslookup NAME` (the resolver-based applet of busybox <= 1.28,
/// `networking/nslookup.c` `print_host`/`server_print`): `%-10s %s` headers, one `Address N:`
/// line per address with its reverse name when the DNS has one, and on failure
/// `nslookup: can't resolve 'NAME'` on stderr with exit 1. Returns (stdout, stderr, code).
pub fn busybox_nslookup(name: &str, host: &dyn ShellHost) -> (String, String, i32) {
    let mut out = String::new();
    let server = "10.96.0.10";
    out.push_str(&format!("{:<10} {server}\n", "Server:"));
    match host.reverse(server) {
        Some(r) => out.push_str(&format!("Address 1: {server} {r}\n")),
        None => out.push_str(&format!("Address 1: {server}\n")),
    }
    out.push('\n');
    let recs = host.resolve(name);
    if recs.is_empty() {
        return (out, format!("nslookup: can't resolve '{name}'\n"), 1);
    }
    out.push_str(&format!("{:<10} {name}\n", "Name:"));
    for (i, (_, ip)) in recs.iter().enumerate() {
        match host.reverse(ip) {
            Some(r) => out.push_str(&format!("Address {}: {ip} {r}\n", i + 1)),
            None => out.push_str(&format!("Address {}: {ip}\n", i + 1)),
        }
    }
    (out, String::new(), 0)
}

/// Executables the official Debian-based `nginx` images (nginx:1.26.0 is Debian bookworm) do
/// not ship: no dnsutils/iputils/procps/iproute2/net-tools/editors. `curl`, `getent`,
/// `hostname`, `cat`, `ls`, `env`, `sh`/`bash` are there. The `-alpine` tags use busybox, which
/// has most of these, so only the Debian tags are restricted; other images are assumed to have
/// whatever is asked for (their real contents are unknown to the simulation).
const DEBIAN_NGINX_MISSING: &[&str] = &[
    "nslookup",
    "dig",
    "host",
    "ping",
    "ping6",
    "ps",
    "top",
    "ip",
    "ifconfig",
    "netstat",
    "ss",
    "vi",
    "vim",
    "nano",
    "less",
    "wget",
    "telnet",
    "nc",
    "traceroute",
    "apk",
];

/// Whether `image` (as written in the pod spec) has the executable `name` on its `$PATH`.
pub fn image_has_command(image: &str, name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    // Repository part without registry and tag: `nginx`, `library/nginx`, `docker.io/library/nginx`.
    let (repo, tag) = match image.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (image, "latest"),
    };
    let repo = repo.split('@').next().unwrap_or(repo);
    let is_nginx = matches!(
        repo,
        "nginx" | "library/nginx" | "docker.io/library/nginx" | "docker.io/nginx"
    );
    if is_nginx && !tag.contains("alpine") {
        return !DEBIAN_NGINX_MISSING.contains(&base);
    }
    true
}

/// `kubectl exec POD -- CMD` when CMD is not in the image: runc cannot start the process and
/// kubectl prints the error the apiserver relays from the kubelet/containerd (the apiserver's
/// InternalError wraps the kubelet's own, hence "Internal error occurred:" twice; seen verbatim in
/// kubectl transcripts against containerd 1.7/2.x with runc 1.1+), exit 1. `exec_id` stands for
/// containerd's random 64-hex exec id.
pub fn exec_not_found_message(
    argv: &[String],
    host: &dyn ShellHost,
    exec_id: &str,
) -> Option<String> {
    let first = argv.first()?;
    let base = first.rsplit('/').next().unwrap_or(first);
    if host.has_command(base) {
        return None;
    }
    let what = if first.contains('/') {
        format!("exec: \"{first}\": stat {first}: no such file or directory")
    } else {
        format!("exec: \"{first}\": executable file not found in $PATH")
    };
    Some(format!(
        "error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{exec_id}\": OCI runtime exec failed: exec failed: unable to start container process: {what}: unknown"
    ))
}

/// A deterministic stand-in for containerd's random exec id: 64 hex digits from `seed`
/// (FNV-1a, four lanes).
pub fn exec_id(seed: &str) -> String {
    let mut s = String::with_capacity(64);
    for lane in 0u64..4 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ lane.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for b in seed.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        s.push_str(&format!("{h:016x}"));
    }
    s
}

/// curl's progress meter header (libcurl `lib/progress.c` `progress_meter`, curl 7.88 as in
/// Debian bookworm), printed on stderr when curl is not silent and its output is not a
/// terminal.
const CURL_METER_HEAD: &str = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";

/// libcurl's `max5data`: a count in at most five columns (`615`, `600k`, `12.3M`).
fn curl_max5(n: u64) -> String {
    const K: u64 = 1024;
    const M: u64 = 1024 * 1024;
    if n < 100_000 {
        format!("{n:>5}")
    } else if n < 10_000 * K {
        format!("{:>4}k", n / K)
    } else if n < 100 * M {
        format!("{:>2}.{}M", n / M, (n % M) / (M / 10))
    } else {
        format!("{:>4}M", n / M)
    }
}

/// The meter's last line, as a terminal shows it once the transfer ended (the earlier
/// `\r`-overwritten updates are not reproduced). The simulated transfer takes 1 ms, so the
/// average and current speeds are `bytes * 1000` per second (the nginx welcome page's 615
/// bytes show `600k`, as on a real local request); the time columns stay `--:--:--`.
fn curl_meter_line(percent: u64, total: u64, received: u64) -> String {
    let speed = curl_max5(received.saturating_mul(1000));
    let unknown = "--:--:--";
    format!(
        "{percent:>3} {}  {percent:>3} {}  {:>3} {}  {speed}  {} {unknown} {unknown} {unknown} {speed}\n",
        curl_max5(total),
        curl_max5(received),
        0,
        curl_max5(0),
        curl_max5(0),
    )
}

/// Commands the shells run themselves (never looked up on `$PATH`).
fn is_builtin(cmd: &str) -> bool {
    matches!(
        cmd,
        "echo"
            | "true"
            | ":"
            | "false"
            | "exit"
            | "set"
            | "cd"
            | "export"
            | "test"
            | "["
            | "sh"
            | "bash"
            | "/bin/sh"
            | "/bin/bash"
    )
}

/// An HTTP response (status, body) or curl's failure (exit code, message).
pub type HttpResult = Result<(u16, String), (i32, String)>;

/// Which shell runs the script (changes the xtrace prefix of command substitutions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Bash,
    Sh,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShellResult {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// The first command that the simulation does not model (the run stops there).
    pub unsupported: Option<String>,
}

const MAX_SCRIPT: usize = 64 * 1024;
const MAX_OUTPUT: usize = 256 * 1024;
const MAX_DEPTH: usize = 8;

/// Run a container's command line (`command` + `args`). `bash -c S` / `sh -c S` run the script;
/// a bare command runs as a one-line script.
pub fn run_argv(argv: &[String], host: &mut dyn ShellHost) -> ShellResult {
    let Some(first) = argv.first() else {
        return ShellResult::default();
    };
    let base = first.rsplit('/').next().unwrap_or(first);
    if matches!(base, "sh" | "bash" | "dash" | "ash") {
        let flavor = if base == "bash" {
            Flavor::Bash
        } else {
            Flavor::Sh
        };
        let mut it = argv.iter().skip(1);
        let mut xtrace = false;
        let mut errexit = false;
        while let Some(a) = it.next() {
            match a.as_str() {
                "-c" => {
                    let script = it.next().cloned().unwrap_or_default();
                    let mut sh = Shell {
                        host,
                        flavor,
                        xtrace,
                        errexit,
                        out: ShellResult::default(),
                        vars: Default::default(),
                    };
                    sh.script(&script, 0);
                    return sh.out;
                }
                "-x" => xtrace = true,
                "-e" => errexit = true,
                "-ex" | "-xe" => {
                    xtrace = true;
                    errexit = true;
                }
                _ => break,
            }
        }
        return ShellResult {
            unsupported: Some(argv.join(" ")),
            exit_code: 127,
            ..Default::default()
        };
    }
    let line = argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ");
    run_script(&line, Flavor::Sh, host)
}

/// Run a script text.
pub fn run_script(script: &str, flavor: Flavor, host: &mut dyn ShellHost) -> ShellResult {
    let mut sh = Shell {
        host,
        flavor,
        xtrace: false,
        errexit: false,
        out: ShellResult::default(),
        vars: Default::default(),
    };
    sh.script(script, 0);
    sh.out
}

/// Quote a word the way bash's xtrace does: bare when it only has safe characters, else in
/// single quotes (a `'` becomes `'\''`).
pub fn quote(w: &str) -> String {
    let safe = !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if safe {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// Expanded words and an optional `> file` (`true` = append).
type Expanded = (Vec<String>, Option<(String, bool)>);

/// The shell's host as a program's host ([`crate::programs::ProgramHost`]).
struct ProgramVia<'a>(&'a mut dyn ShellHost);

impl crate::programs::ProgramHost for ProgramVia<'_> {
    fn hostname(&self) -> String {
        self.0.hostname()
    }
    fn fqdn(&self) -> String {
        self.0.fqdn()
    }
    fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String> {
        self.0.write_file(path, content, append)
    }
    fn read_file(&self, path: &str) -> Result<String, String> {
        self.0.read_file(path)
    }
}

struct Shell<'a> {
    host: &'a mut dyn ShellHost,
    flavor: Flavor,
    xtrace: bool,
    errexit: bool,
    out: ShellResult,
    /// Variables the script set (`NAME=value`, `export NAME=value`).
    vars: std::collections::BTreeMap<String, String>,
}

/// Control flow after a command.
enum Flow {
    Continue(i32),
    Stop,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Sep {
    Seq,
    And,
    Or,
}

impl Shell<'_> {
    fn script(&mut self, text: &str, depth: usize) {
        if text.len() > MAX_SCRIPT || depth > MAX_DEPTH {
            self.out.stderr.push_str("sh: script too large\n");
            self.out.exit_code = 2;
            return;
        }
        let cmds: Vec<String> = split_commands(text).into_iter().map(|(c, _)| c).collect();
        let _ = self.commands(&cmds, depth);
    }

    /// Run a sequence of commands (an `if … fi` among them is one compound command). `Stop`
    /// when the script must end (unsupported, `exit`, `set -e` after a failure).
    fn commands(&mut self, cmds: &[String], depth: usize) -> Flow {
        let mut i = 0;
        while let Some(cmd) = cmds.get(i) {
            let flow = if first_word(cmd) == "if" {
                match if_block(cmds, i) {
                    Some((block, next)) => {
                        i = next;
                        self.run_if(&block, depth)
                    }
                    None => {
                        self.err(&format!(
                            "{}: syntax error: `if` without a matching `fi`\n",
                            self.shell_name()
                        ));
                        self.out.exit_code = 2;
                        return Flow::Stop;
                    }
                }
            } else {
                i += 1;
                self.list(cmd, depth)
            };
            match flow {
                Flow::Stop => return Flow::Stop,
                Flow::Continue(code) => {
                    self.out.exit_code = code;
                    if code != 0 && self.errexit {
                        return Flow::Stop;
                    }
                }
            }
        }
        Flow::Continue(self.out.exit_code)
    }

    fn shell_name(&self) -> &'static str {
        match self.flavor {
            Flavor::Bash => "bash",
            Flavor::Sh => "sh",
        }
    }

    /// `if`: the first branch whose condition succeeds runs (conditions never trip `set -e`).
    fn run_if(&mut self, block: &IfBlock, depth: usize) -> Flow {
        for (cond, body) in &block.branches {
            let taken = match cond {
                None => true,
                Some(cond) => {
                    let saved = self.errexit;
                    self.errexit = false;
                    let flow = self.commands(cond, depth);
                    self.errexit = saved;
                    match flow {
                        Flow::Stop => return Flow::Stop,
                        Flow::Continue(code) => code == 0,
                    }
                }
            };
            if taken {
                self.out.exit_code = 0;
                return self.commands(body, depth);
            }
        }
        Flow::Continue(0)
    }

    /// One `a && b || c` list.
    fn list(&mut self, text: &str, depth: usize) -> Flow {
        let mut code = 0;
        let mut prev = Sep::Seq;
        for (part, sep) in split_andor(text) {
            let run = match prev {
                Sep::Seq => true,
                Sep::And => code == 0,
                Sep::Or => code != 0,
            };
            if run {
                match self.simple(&part, depth) {
                    Flow::Stop => return Flow::Stop,
                    Flow::Continue(c) => code = c,
                }
            }
            prev = sep;
        }
        Flow::Continue(code)
    }

    fn trace_prefix(&self, depth: usize) -> String {
        match self.flavor {
            Flavor::Bash => "+".repeat(depth + 1),
            Flavor::Sh => "+".to_string(),
        }
    }

    /// Expand words: quotes, `$(...)`, `$VAR`. Returns the words and any redirection.
    fn expand(&mut self, text: &str, depth: usize) -> Result<Expanded, Flow> {
        let chars: Vec<char> = text.chars().collect();
        let mut words: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut have = false;
        let mut redirect: Option<(String, bool)> = None;
        let mut pending_redirect: Option<bool> = None;
        let mut i = 0;
        let push_word = |words: &mut Vec<String>,
                         cur: &mut String,
                         have: &mut bool,
                         pr: &mut Option<bool>,
                         rd: &mut Option<(String, bool)>| {
            if *have {
                if let Some(app) = pr.take() {
                    *rd = Some((std::mem::take(cur), app));
                } else {
                    words.push(std::mem::take(cur));
                }
                *have = false;
            }
        };
        while let Some(&c) = chars.get(i) {
            match c {
                ' ' | '\t' => {
                    push_word(
                        &mut words,
                        &mut cur,
                        &mut have,
                        &mut pending_redirect,
                        &mut redirect,
                    );
                    i += 1;
                }
                '>' => {
                    push_word(
                        &mut words,
                        &mut cur,
                        &mut have,
                        &mut pending_redirect,
                        &mut redirect,
                    );
                    let append = chars.get(i + 1) == Some(&'>');
                    pending_redirect = Some(append);
                    i += if append { 2 } else { 1 };
                }
                '\'' => {
                    have = true;
                    i += 1;
                    while let Some(&c) = chars.get(i) {
                        i += 1;
                        if c == '\'' {
                            break;
                        }
                        cur.push(c);
                    }
                }
                '"' => {
                    have = true;
                    i += 1;
                    while let Some(&c) = chars.get(i) {
                        if c == '"' {
                            i += 1;
                            break;
                        }
                        if c == '\\'
                            && let Some(&n) = chars.get(i + 1)
                            && matches!(n, '"' | '\\' | '$' | '`')
                        {
                            cur.push(n);
                            i += 2;
                            continue;
                        }
                        if c == '$' {
                            i = self.dollar(&chars, i, &mut cur, depth)?;
                            continue;
                        }
                        cur.push(c);
                        i += 1;
                    }
                }
                '\\' => {
                    have = true;
                    if let Some(&n) = chars.get(i + 1) {
                        cur.push(n);
                    }
                    i += 2;
                }
                '$' => {
                    have = true;
                    i = self.dollar(&chars, i, &mut cur, depth)?;
                }
                _ => {
                    have = true;
                    cur.push(c);
                    i += 1;
                }
            }
        }
        push_word(
            &mut words,
            &mut cur,
            &mut have,
            &mut pending_redirect,
            &mut redirect,
        );
        Ok((words, redirect))
    }

    /// Expand `$(...)`, `${VAR}` or `$VAR` at `i` into `cur`; returns the next index.
    fn dollar(
        &mut self,
        chars: &[char],
        i: usize,
        cur: &mut String,
        depth: usize,
    ) -> Result<usize, Flow> {
        match chars.get(i + 1) {
            Some('(') => {
                let mut level = 0;
                let mut j = i + 1;
                let mut inner = String::new();
                while let Some(&c) = chars.get(j) {
                    if c == '(' {
                        level += 1;
                        if level == 1 {
                            j += 1;
                            continue;
                        }
                    } else if c == ')' {
                        level -= 1;
                        if level == 0 {
                            break;
                        }
                    }
                    inner.push(c);
                    j += 1;
                }
                let saved = std::mem::take(&mut self.out.stdout);
                let saved_code = self.out.exit_code;
                let saved_errexit = self.errexit;
                self.errexit = false;
                self.script(&inner, depth + 1);
                self.errexit = saved_errexit;
                self.out.exit_code = saved_code;
                if self.out.unsupported.is_some() {
                    self.out.stdout = saved;
                    return Err(Flow::Stop);
                }
                let got = std::mem::replace(&mut self.out.stdout, saved);
                cur.push_str(got.trim_end_matches('\n'));
                Ok(j + 1)
            }
            Some('{') => {
                let mut j = i + 2;
                let mut inner = String::new();
                while let Some(&c) = chars.get(j) {
                    j += 1;
                    if c == '}' {
                        break;
                    }
                    inner.push(c);
                }
                cur.push_str(&self.parameter(&inner));
                Ok(j)
            }
            Some(c) if c.is_ascii_alphabetic() || *c == '_' || *c == '?' => {
                let mut j = i + 1;
                let mut name = String::new();
                if *c == '?' {
                    name.push('?');
                    j += 1;
                } else {
                    while let Some(&c) = chars.get(j) {
                        if c.is_ascii_alphanumeric() || c == '_' {
                            name.push(c);
                            j += 1;
                        } else {
                            break;
                        }
                    }
                }
                cur.push_str(&self.var(&name));
                Ok(j)
            }
            _ => {
                cur.push('$');
                Ok(i + 1)
            }
        }
    }

    /// `${…}`: a name, then optionally `#`, `##`, `%`, `%%` and a pattern, or `:-`/`-` and a
    /// default word.
    fn parameter(&self, inner: &str) -> String {
        let name_len = inner
            .char_indices()
            .find(|(i, c)| !(c.is_ascii_alphanumeric() || *c == '_' || (*i == 0 && *c == '?')))
            .map_or(inner.len(), |(i, _)| i);
        let (name, op) = inner.split_at(name_len);
        let value = self.var(name);
        if let Some(pat) = op.strip_prefix("##") {
            strip_prefix_glob(&value, pat, true)
        } else if let Some(pat) = op.strip_prefix('#') {
            strip_prefix_glob(&value, pat, false)
        } else if let Some(pat) = op.strip_prefix("%%") {
            strip_suffix_glob(&value, pat, true)
        } else if let Some(pat) = op.strip_prefix('%') {
            strip_suffix_glob(&value, pat, false)
        } else if let Some(word) = op.strip_prefix(":-") {
            if value.is_empty() {
                word.to_string()
            } else {
                value
            }
        } else if let Some(word) = op.strip_prefix('-') {
            if self.is_set(name) {
                value
            } else {
                word.to_string()
            }
        } else {
            value
        }
    }

    fn is_set(&self, name: &str) -> bool {
        self.vars.contains_key(name) || matches!(name, "HOSTNAME" | "HOME" | "PATH" | "?")
    }

    fn var(&self, name: &str) -> String {
        if let Some(v) = self.vars.get(name) {
            return v.clone();
        }
        match name {
            "HOSTNAME" => self.host.hostname(),
            "HOME" => "/root".to_string(),
            "PATH" => "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
            "?" => self.out.exit_code.to_string(),
            _ => String::new(),
        }
    }

    fn emit(&mut self, s: &str) {
        if self.out.stdout.len() + s.len() <= MAX_OUTPUT {
            self.out.stdout.push_str(s);
        }
    }

    fn err(&mut self, s: &str) {
        if self.out.stderr.len() + s.len() <= MAX_OUTPUT {
            self.out.stderr.push_str(s);
        }
    }

    fn simple(&mut self, text: &str, depth: usize) -> Flow {
        let (words, redirect) = match self.expand(text, depth) {
            Ok(x) => x,
            Err(f) => return f,
        };
        let Some(first) = words.first().cloned() else {
            return Flow::Continue(0);
        };
        // `NAME=value …` alone sets variables; `export NAME=value` too.
        let assigns = |ws: &[String]| ws.iter().all(|w| assignment(w).is_some());
        if assigns(&words) || (first == "export" && assigns(words.get(1..).unwrap_or(&[]))) {
            for w in words.iter().filter(|w| *w != "export") {
                if let Some((n, v)) = assignment(w) {
                    if self.xtrace {
                        let line = format!("{} {n}={}\n", self.trace_prefix(depth), quote(v));
                        self.err(&line);
                    }
                    self.vars.insert(n.to_string(), v.to_string());
                }
            }
            return Flow::Continue(0);
        }
        let cmd = first;
        let args: Vec<String> = words.iter().skip(1).cloned().collect();
        if cmd == "set" {
            for a in &args {
                let on = a.starts_with('-');
                if a.contains('x') {
                    self.xtrace = on;
                }
                if a.contains('e') {
                    self.errexit = on;
                }
            }
            if self.xtrace && !args.iter().any(|a| a.starts_with('-') && a.contains('x')) {
                let line = format!(
                    "{} set {}\n",
                    self.trace_prefix(depth),
                    args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
                );
                self.err(&line);
            }
            return Flow::Continue(0);
        }
        if self.xtrace {
            let line = format!(
                "{} {}\n",
                self.trace_prefix(depth),
                words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
            );
            self.err(&line);
        }
        let mut output = String::new();
        let base = cmd.rsplit('/').next().unwrap_or(&cmd).to_string();
        if !is_builtin(&cmd) && !self.host.has_command(&base) {
            // bash: `bash: line 1: nslookup: command not found`; dash: `sh: 1: nslookup: not
            // found`; both exit 127.
            let msg = if self.flavor == Flavor::Bash {
                format!("bash: line 1: {cmd}: command not found\n")
            } else {
                format!("sh: 1: {cmd}: not found\n")
            };
            self.err(&msg);
            self.out.exit_code = 127;
            return Flow::Continue(127);
        }
        let code = match cmd.as_str() {
            "echo" => {
                let (newline, rest) = match args.first().map(String::as_str) {
                    Some("-n") => (false, args.get(1..).unwrap_or(&[])),
                    _ => (true, args.as_slice()),
                };
                output.push_str(&rest.join(" "));
                if newline {
                    output.push('\n');
                }
                0
            }
            "[" | "test" => {
                let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
                if cmd == "[" {
                    if a.last() != Some(&"]") {
                        self.err(&format!("{}: [: missing `]'\n", self.shell_name()));
                        return Flow::Continue(2);
                    }
                    a.pop();
                }
                match test_expr(&a, &*self.host) {
                    Ok(true) => 0,
                    Ok(false) => 1,
                    Err(e) => {
                        self.err(&format!("{}: {cmd}: {e}\n", self.shell_name()));
                        2
                    }
                }
            }
            "true" | ":" | "sleep" | "mkdir" => 0,
            "false" => 1,
            "exit" => {
                let code = args
                    .first()
                    .and_then(|a| a.parse::<i32>().ok())
                    .unwrap_or(self.out.exit_code);
                self.out.exit_code = code;
                return Flow::Stop;
            }
            "hostname" => {
                if args.first().map(String::as_str) == Some("-f") {
                    output = format!("{}\n", self.host.fqdn());
                } else {
                    output = format!("{}\n", self.host.hostname());
                }
                0
            }
            "cat" => {
                let mut code = 0;
                for a in &args {
                    match self.host.read_file(a) {
                        Ok(t) => output.push_str(&t),
                        Err(e) => {
                            self.err(&format!("cat: {a}: {e}\n"));
                            code = 1;
                        }
                    }
                }
                code
            }
            "ls" => {
                let paths: Vec<String> = args
                    .iter()
                    .filter(|a| !a.starts_with('-'))
                    .cloned()
                    .collect();
                let paths = if paths.is_empty() {
                    vec!["/".to_string()]
                } else {
                    paths
                };
                let mut code = 0;
                for p in &paths {
                    match self.host.list_dir(p) {
                        Ok(names) => {
                            for n in names {
                                output.push_str(&n);
                                output.push('\n');
                            }
                        }
                        Err(e) => {
                            self.err(&format!("ls: cannot access '{p}': {e}\n"));
                            code = 2;
                        }
                    }
                }
                code
            }
            "getent" if args.first().map(String::as_str) == Some("hosts") => {
                let name = args.get(1).cloned().unwrap_or_default();
                let recs = self.host.resolve(&name);
                if recs.is_empty() {
                    2
                } else {
                    for (fqdn, ip) in recs {
                        output.push_str(&format!("{ip:<15} {fqdn}\n"));
                    }
                    0
                }
            }
            "nslookup" if self.host.image().is_some_and(|i| is_busybox(&i)) => {
                let name = args.first().cloned().unwrap_or_default();
                let (o, e, code) = busybox_nslookup(&name, &*self.host);
                output.push_str(&o);
                self.err(&e);
                code
            }
            "nslookup" => {
                let name = args.first().cloned().unwrap_or_default();
                let recs = self.host.resolve(&name);
                output.push_str("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n");
                if recs.is_empty() {
                    output.push_str(&format!("** server can't find {name}: NXDOMAIN\n\n"));
                    1
                } else {
                    for (fqdn, ip) in recs {
                        output.push_str(&format!("Name:\t{fqdn}\nAddress: {ip}\n"));
                    }
                    output.push('\n');
                    0
                }
            }
            "curl" => {
                // curl 7.88 (Debian bookworm, in the nginx image): body on stdout; with
                // -s errors are silent unless -S; -f turns an HTTP error into exit 22.
                let (mut silent, mut show_error, mut fail) = (false, false, false);
                let mut url: Option<String> = None;
                let mut it = args.iter();
                while let Some(a) = it.next() {
                    match a.as_str() {
                        "--silent" => silent = true,
                        "--show-error" => show_error = true,
                        "--fail" => fail = true,
                        "-o" | "-H" | "-X" | "-m" | "-w" | "-d" | "--max-time"
                        | "--connect-timeout" | "--output" | "--header" | "--request" => {
                            let _ = it.next();
                        }
                        f if f.starts_with("--") => {}
                        f if f.starts_with('-') && f.len() > 1 => {
                            silent |= f.contains('s');
                            show_error |= f.contains('S');
                            fail |= f.contains('f');
                        }
                        u => {
                            if url.is_none() {
                                url = Some(u.to_string());
                            }
                        }
                    }
                }
                let Some(url) = url else {
                    self.err("curl: try 'curl --help' or 'curl --manual' for more information\n");
                    self.out.exit_code = 2;
                    return Flow::Continue(2);
                };
                let result = self.host.http_get(&url);
                if result.is_some() && !silent && !self.host.stdout_is_terminal() {
                    // Not silent and stdout is a pipe (kubectl exec without -t): the progress
                    // meter goes to stderr. curl shows none when the body goes to a terminal
                    // (`kubectl exec -t`), as its manual says.
                    self.err(CURL_METER_HEAD);
                    let line = match &result {
                        Some(Ok((status, body))) if !(fail && *status >= 400) => {
                            let n = u64::try_from(body.len()).unwrap_or(u64::MAX);
                            curl_meter_line(100, n, n)
                        }
                        Some(Ok((_, body))) => {
                            curl_meter_line(0, u64::try_from(body.len()).unwrap_or(u64::MAX), 0)
                        }
                        _ => curl_meter_line(0, 0, 0),
                    };
                    self.err(&line);
                }
                match result {
                    None => {
                        self.out.unsupported = Some(words.join(" "));
                        self.out.exit_code = 127;
                        return Flow::Stop;
                    }
                    Some(Ok((status, body))) => {
                        if fail && status >= 400 {
                            if !silent || show_error {
                                self.err(&format!(
                                    "curl: (22) The requested URL returned error: {status}\n"
                                ));
                            }
                            22
                        } else {
                            output.push_str(&body);
                            0
                        }
                    }
                    Some(Err((code, msg))) => {
                        if !silent || show_error {
                            self.err(&format!("curl: ({code}) {msg}\n"));
                        }
                        code
                    }
                }
            }
            "start-zookeeper" => {
                match crate::programs::start_zookeeper(&args, &mut ProgramVia(&mut *self.host)) {
                    Ok(printed) => {
                        self.err(&printed);
                        0
                    }
                    Err((msg, code)) => {
                        self.err(&msg);
                        code
                    }
                }
            }
            "sh" | "bash" | "/bin/sh" | "/bin/bash" => {
                let mut argv = vec![cmd.clone()];
                argv.extend(args.iter().cloned());
                let r = run_argv(&argv, self.host);
                self.emit(&r.stdout);
                self.err(&r.stderr);
                if r.unsupported.is_some() {
                    self.out.unsupported = r.unsupported;
                    self.out.exit_code = 127;
                    return Flow::Stop;
                }
                r.exit_code
            }
            _ => {
                self.out.unsupported = Some(words.join(" "));
                self.out.exit_code = 127;
                return Flow::Stop;
            }
        };
        match redirect {
            Some((path, append)) => {
                if let Err(e) = self.host.write_file(&path, &output, append) {
                    let shell = if self.flavor == Flavor::Bash {
                        "bash: line 1"
                    } else {
                        "sh: 1"
                    };
                    self.err(&format!("{shell}: {path}: {e}\n"));
                    return Flow::Continue(1);
                }
            }
            None => self.emit(&output),
        }
        Flow::Continue(code)
    }
}

/// `NAME=value` (a valid shell name before the `=`).
fn assignment(w: &str) -> Option<(&str, &str)> {
    let (n, v) = w.split_once('=')?;
    let mut chars = n.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then_some((n, v))
}

fn first_word(cmd: &str) -> &str {
    cmd.split_whitespace().next().unwrap_or("")
}

/// The rest of a command after its first word.
fn after_first_word(cmd: &str) -> &str {
    let t = cmd.trim_start();
    t.split_once(char::is_whitespace).map_or("", |(_, r)| r)
}

/// An `if` compound command: (condition, body) per branch; `None` for `else`.
struct IfBlock {
    branches: Vec<(Option<Vec<String>>, Vec<String>)>,
}

/// Read the `if … fi` that starts at `cmds[start]`; returns it and the index after `fi`.
fn if_block(cmds: &[String], start: usize) -> Option<(IfBlock, usize)> {
    // `then X` and `else X` are the keyword, then the command X (which may be an `if`).
    let mut parts: Vec<(&str, usize)> = Vec::new();
    for (i, c) in cmds.iter().enumerate().skip(start + 1) {
        let rest = after_first_word(c);
        match first_word(c) {
            w @ ("then" | "else") if !rest.trim().is_empty() => {
                parts.push((w, i));
                parts.push((rest, i));
            }
            _ => parts.push((c.as_str(), i)),
        }
    }
    let mut branches: Vec<(Option<Vec<String>>, Vec<String>)> = Vec::new();
    let mut cond: Vec<String> = Vec::new();
    let mut body: Vec<String> = Vec::new();
    let mut in_cond = true;
    let mut is_else = false;
    let mut nesting = 0usize;
    let push = |v: &mut Vec<String>, s: &str| {
        if !s.trim().is_empty() {
            v.push(s.to_string());
        }
    };
    push(&mut cond, after_first_word(cmds.get(start)?));
    for (c, i) in parts {
        let w = first_word(c);
        if nesting == 0 {
            match w {
                "then" if in_cond => {
                    in_cond = false;
                    continue;
                }
                "elif" | "else" | "fi" if !in_cond => {
                    let c0 = if is_else {
                        None
                    } else {
                        Some(std::mem::take(&mut cond))
                    };
                    branches.push((c0, std::mem::take(&mut body)));
                    match w {
                        "fi" => return Some((IfBlock { branches }, i + 1)),
                        "elif" => {
                            in_cond = true;
                            push(&mut cond, after_first_word(c));
                        }
                        _ => is_else = true,
                    }
                    continue;
                }
                _ => {}
            }
        }
        if w == "if" {
            nesting += 1;
        } else if w == "fi" {
            nesting = nesting.saturating_sub(1);
        }
        if in_cond {
            push(&mut cond, c);
        } else {
            push(&mut body, c);
        }
    }
    None
}

/// Whether `s` matches the glob `pat` (`*`, `?`, other characters literally).
fn glob_match(pat: &[char], s: &[char]) -> bool {
    match pat.split_first() {
        None => s.is_empty(),
        Some(('*', rest)) => (0..=s.len()).any(|k| glob_match(rest, s.get(k..).unwrap_or(&[]))),
        Some(('?', rest)) => s.split_first().is_some_and(|(_, t)| glob_match(rest, t)),
        Some((c, rest)) => s
            .split_first()
            .is_some_and(|(d, t)| d == c && glob_match(rest, t)),
    }
}

/// `${v#pat}` (shortest) / `${v##pat}` (longest).
fn strip_prefix_glob(v: &str, pat: &str, longest: bool) -> String {
    let chars: Vec<char> = v.chars().collect();
    let p: Vec<char> = pat.chars().collect();
    let mut ks: Vec<usize> = (0..=chars.len()).collect();
    if longest {
        ks.reverse();
    }
    for k in ks {
        if glob_match(&p, chars.get(..k).unwrap_or(&[])) {
            return chars.get(k..).unwrap_or(&[]).iter().collect();
        }
    }
    v.to_string()
}

/// `${v%pat}` (shortest) / `${v%%pat}` (longest).
fn strip_suffix_glob(v: &str, pat: &str, longest: bool) -> String {
    let chars: Vec<char> = v.chars().collect();
    let p: Vec<char> = pat.chars().collect();
    let mut ks: Vec<usize> = (0..=chars.len()).collect();
    if !longest {
        ks.reverse();
    }
    for k in ks {
        if glob_match(&p, chars.get(k..).unwrap_or(&[])) {
            return chars.get(..k).unwrap_or(&[]).iter().collect();
        }
    }
    v.to_string()
}

/// `test` / `[`: the expression's truth, or the message bash prints for a bad one.
fn test_expr(a: &[&str], host: &dyn ShellHost) -> Result<bool, String> {
    let int = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| format!("{s}: integer expression expected"))
    };
    match a {
        [] => Ok(false),
        ["!", rest @ ..] => test_expr(rest, host).map(|b| !b),
        [one] => Ok(!one.is_empty()),
        ["-z", s] => Ok(s.is_empty()),
        ["-n", s] => Ok(!s.is_empty()),
        ["-f", p] => Ok(host.read_file(p).is_ok()),
        ["-d", p] => Ok(host.list_dir(p).is_ok() && host.read_file(p).is_err()),
        ["-e", p] => Ok(host.read_file(p).is_ok() || host.list_dir(p).is_ok()),
        [l, "=" | "==", r] => Ok(l == r),
        [l, "!=", r] => Ok(l != r),
        [l, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), r] => {
            let (l, r) = (int(l)?, int(r)?);
            Ok(match *op {
                "-eq" => l == r,
                "-ne" => l != r,
                "-lt" => l < r,
                "-le" => l <= r,
                "-gt" => l > r,
                _ => l >= r,
            })
        }
        _ => Err("too many arguments".into()),
    }
}

/// Split a script into and-or lists at newlines and `;` (outside quotes and `$(...)`).
fn split_commands(text: &str) -> Vec<(String, Sep)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut sq = false;
    let mut dq = false;
    let mut paren = 0i32;
    let mut comment = false;
    let mut prev = ' ';
    for c in text.chars() {
        if comment {
            if c == '\n' {
                comment = false;
                out.push((std::mem::take(&mut cur), Sep::Seq));
            }
            continue;
        }
        match c {
            '\'' if !dq => sq = !sq,
            '"' if !sq => dq = !dq,
            '(' if !sq => paren += 1,
            ')' if !sq => paren -= 1,
            '#' if !sq
                && !dq
                && paren == 0
                && (prev == ' ' || prev == '\n' || prev == ';' || cur.trim().is_empty()) =>
            {
                comment = true;
                continue;
            }
            '\n' | ';' if !sq && !dq && paren <= 0 => {
                out.push((std::mem::take(&mut cur), Sep::Seq));
                prev = c;
                continue;
            }
            _ => {}
        }
        cur.push(c);
        prev = c;
    }
    out.push((cur, Sep::Seq));
    out.into_iter()
        .filter(|(s, _)| !s.trim().is_empty())
        .collect()
}

/// Split one list at `&&` / `||` (outside quotes and `$(...)`); each part carries the operator
/// that follows it.
fn split_andor(text: &str) -> Vec<(String, Sep)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut sq, mut dq, mut paren) = (false, false, 0i32);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\'' if !dq => sq = !sq,
            '"' if !sq => dq = !dq,
            '(' if !sq => paren += 1,
            ')' if !sq => paren -= 1,
            '&' | '|' if !sq && !dq && paren <= 0 && chars.get(i + 1) == Some(&c) => {
                out.push((
                    std::mem::take(&mut cur),
                    if c == '&' { Sep::And } else { Sep::Or },
                ));
                i += 2;
                continue;
            }
            _ => {}
        }
        cur.push(c);
        i += 1;
    }
    out.push((cur, Sep::Seq));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Default)]
    struct Host {
        files: BTreeMap<String, String>,
    }

    impl ShellHost for Host {
        fn hostname(&self) -> String {
            "nginx-with-init-container-0".into()
        }
        fn fqdn(&self) -> String {
            "nginx-with-init-container-0.nginx-headless.default.svc.cluster.local".into()
        }
        fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String> {
            if path.starts_with("/nope/") {
                return Err("No such file or directory".into());
            }
            let e = self.files.entry(path.into()).or_default();
            if !append {
                e.clear();
            }
            e.push_str(content);
            Ok(())
        }
        fn read_file(&self, path: &str) -> Result<String, String> {
            self.files
                .get(path)
                .cloned()
                .ok_or_else(|| "No such file or directory".into())
        }
        fn list_dir(&self, _path: &str) -> Result<Vec<String>, String> {
            Ok(self.files.keys().cloned().collect())
        }
        fn resolve(&self, name: &str) -> Vec<(String, String)> {
            if name.starts_with("nginx-with-init-container-0") {
                vec![(self.fqdn(), "10.244.0.5".into())]
            } else {
                vec![]
            }
        }
    }

    const SEED: &str =
        "set -ex\necho \"Hello from pod $(hostname)\" > /usr/share/nginx/html/index.html\n";

    #[test]
    fn seed_init_script_writes_the_file_and_traces_like_bash() {
        let mut h = Host::default();
        let argv: Vec<String> = vec!["bash".into(), "-c".into(), SEED.into()];
        let r = run_argv(&argv, &mut h);
        assert_eq!(r.exit_code, 0);
        assert_eq!(r.unsupported, None);
        assert_eq!(
            h.files
                .get("/usr/share/nginx/html/index.html")
                .map(String::as_str),
            Some("Hello from pod nginx-with-init-container-0\n")
        );
        assert_eq!(
            r.stderr,
            "++ hostname\n+ echo 'Hello from pod nginx-with-init-container-0'\n"
        );
    }

    /// The gallery's PostgreSQL init script: the ordinal from the hostname, then a branch.
    #[test]
    fn variables_parameter_patterns_test_and_if() {
        let script = "set -ex\nordinal=${HOSTNAME##*-}\nif [ \"$ordinal\" -eq 0 ]; then\n  echo primary > /data/role\nelif [ -z \"$x\" ]\nthen echo replica > /data/role\nelse\n  echo never > /data/role\nfi\necho \"${HOSTNAME%-*} ${NOPE:-def} ${HOSTNAME#*-}\" > /data/x\n";
        let mut h = Host::default();
        let r = run_argv(&["bash".into(), "-c".into(), script.into()], &mut h);
        assert_eq!(r.exit_code, 0, "{}", r.stderr);
        assert_eq!(r.unsupported, None);
        assert_eq!(
            h.files.get("/data/role").map(String::as_str),
            Some("primary\n")
        );
        assert_eq!(
            h.files.get("/data/x").map(String::as_str),
            Some("nginx-with-init-container def with-init-container-0\n")
        );
        assert_eq!(
            r.stderr,
            "+ ordinal=0\n+ '[' 0 -eq 0 ']'\n+ echo primary\n+ echo 'nginx-with-init-container def with-init-container-0'\n"
        );
        // A replica takes the other branch; nested ifs and `export` work too.
        let script = "export ORD=${HOSTNAME##*-}\nif [ $ORD = 0 ]; then echo p; else if [ ! -f /nope ]; then echo r > /role; fi; fi";
        let mut h = Host::default();
        let r = run_argv(&["sh".into(), "-c".into(), script.into()], &mut h);
        assert_eq!(r.exit_code, 0);
        assert_eq!(
            h.files.get("/role").map(String::as_str),
            None,
            "ordinal 0 is the primary"
        );
        assert_eq!(r.stdout, "p\n");
        // Errors as the shells print them; a condition never trips `set -e`.
        let mut h = Host::default();
        let r = run_argv(
            &[
                "bash".into(),
                "-c".into(),
                "set -e; if [ a -eq 1 ]; then echo y; fi; [ x = y ]; echo after".into(),
            ],
            &mut h,
        );
        assert_eq!(r.stderr, "bash: [: a: integer expression expected\n");
        assert_eq!(r.exit_code, 1);
        assert_eq!(r.stdout, "");
        let r = run_argv(
            &["sh".into(), "-c".into(), "if true; then echo x".into()],
            &mut h,
        );
        assert_eq!(r.exit_code, 2);
        assert!(r.stderr.contains("without a matching `fi`"));
    }

    #[test]
    fn sh_flavor_traces_a_single_plus() {
        let mut h = Host::default();
        let r = run_argv(&["sh".into(), "-c".into(), SEED.into()], &mut h);
        assert_eq!(
            r.stderr,
            "+ hostname\n+ echo 'Hello from pod nginx-with-init-container-0'\n"
        );
    }

    #[test]
    fn errexit_stops_at_the_first_failure() {
        let mut h = Host::default();
        let r = run_script("set -e\nfalse\necho unreachable", Flavor::Sh, &mut h);
        assert_eq!(r.exit_code, 1);
        assert_eq!(r.stdout, "");
        let r = run_script(
            "false || echo ok && echo and; exit 3; echo no",
            Flavor::Sh,
            &mut h,
        );
        assert_eq!(r.stdout, "ok\nand\n");
        assert_eq!(r.exit_code, 3);
    }

    #[test]
    fn unsupported_commands_are_reported() {
        let mut h = Host::default();
        let r = run_script("curl http://x", Flavor::Sh, &mut h);
        assert_eq!(r.unsupported.as_deref(), Some("curl http://x"));
        assert_eq!(r.exit_code, 127);
    }

    /// A container whose image is the seed's nginx:1.26.0.
    struct Nginx(Host);

    impl ShellHost for Nginx {
        fn hostname(&self) -> String {
            self.0.hostname()
        }
        fn fqdn(&self) -> String {
            self.0.fqdn()
        }
        fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String> {
            self.0.write_file(path, content, append)
        }
        fn read_file(&self, path: &str) -> Result<String, String> {
            self.0.read_file(path)
        }
        fn list_dir(&self, path: &str) -> Result<Vec<String>, String> {
            self.0.list_dir(path)
        }
        fn resolve(&self, name: &str) -> Vec<(String, String)> {
            self.0.resolve(name)
        }
        fn has_command(&self, name: &str) -> bool {
            image_has_command("nginx:1.26.0", name)
        }
    }

    #[test]
    fn debian_nginx_images_lack_dns_and_process_tools_but_alpine_and_others_do_not() {
        for missing in [
            "nslookup",
            "dig",
            "ping",
            "ps",
            "ip",
            "vi",
            "/usr/bin/nslookup",
        ] {
            assert!(!image_has_command("nginx:1.26.0", missing), "{missing}");
            assert!(!image_has_command("docker.io/library/nginx:1.27", missing));
            assert!(!image_has_command("nginx", missing));
        }
        for present in [
            "bash", "sh", "cat", "ls", "hostname", "curl", "env", "getent",
        ] {
            assert!(image_has_command("nginx:1.26.0", present), "{present}");
        }
        assert!(image_has_command("nginx:1.26.0-alpine", "nslookup"));
        assert!(image_has_command("busybox:1.36", "nslookup"));
    }

    #[test]
    fn missing_binary_in_a_script_is_the_shells_command_not_found() {
        let mut h = Nginx(Host::default());
        let r = run_argv(&["sh".into(), "-c".into(), "nslookup web-1".into()], &mut h);
        assert_eq!(r.stderr, "sh: 1: nslookup: not found\n");
        assert_eq!(r.exit_code, 127);
        assert_eq!(r.unsupported, None);
        let r = run_argv(
            &["bash".into(), "-c".into(), "ps aux; echo after".into()],
            &mut h,
        );
        assert_eq!(r.stderr, "bash: line 1: ps: command not found\n");
        assert_eq!(r.stdout, "after\n");
        // Builtins and binaries the image has still run.
        let r = run_argv(
            &["sh".into(), "-c".into(), "echo hi; hostname".into()],
            &mut h,
        );
        assert_eq!(r.stdout, "hi\nnginx-with-init-container-0\n");
    }

    #[test]
    fn missing_binary_exec_is_runcs_executable_not_found() {
        let h = Nginx(Host::default());
        let id = exec_id("x");
        assert_eq!(id.len(), 64);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(
            exec_not_found_message(&["nslookup".into(), "web".into()], &h, &id).as_deref(),
            Some(format!("error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{id}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"nslookup\": executable file not found in $PATH: unknown").as_str())
        );
        assert_eq!(exec_not_found_message(&["cat".into()], &h, &id), None);
    }

    /// A host that serves `http://web/` and nothing else.
    struct Web;
    impl ShellHost for Web {
        fn hostname(&self) -> String {
            "client".into()
        }
        fn fqdn(&self) -> String {
            "client".into()
        }
        fn write_file(&mut self, _: &str, _: &str, _: bool) -> Result<(), String> {
            Ok(())
        }
        fn read_file(&self, _: &str) -> Result<String, String> {
            Err("No such file or directory".into())
        }
        fn list_dir(&self, _: &str) -> Result<Vec<String>, String> {
            Ok(vec![])
        }
        fn resolve(&self, _: &str) -> Vec<(String, String)> {
            vec![]
        }
        fn http_get(&self, url: &str) -> Option<HttpResult> {
            Some(match url {
                "web" | "http://web/" => Ok((200, "hello\n".into())),
                "web/x" => Ok((404, "not found\n".into())),
                other => Err((6, format!("Could not resolve host: {other}"))),
            })
        }
    }

    /// curl's exit codes and messages (curl(1) EXIT CODES: 6 resolve, 7 connect, 22 -f on
    /// HTTP >= 400; `-s` hides the message unless `-S`).
    #[test]
    fn curl_body_errors_and_flags() {
        let r = run_script("curl -s web && curl http://web/", Flavor::Sh, &mut Web);
        assert_eq!((r.stdout.as_str(), r.exit_code), ("hello\nhello\n", 0));
        let r = run_script("curl -s nope", Flavor::Sh, &mut Web);
        assert_eq!((r.stderr.as_str(), r.exit_code), ("", 6));
        let r = run_script("curl -sS nope", Flavor::Sh, &mut Web);
        assert_eq!(r.stderr, "curl: (6) Could not resolve host: nope\n");
        let r = run_script("curl -s web/x", Flavor::Sh, &mut Web);
        assert_eq!((r.stdout.as_str(), r.exit_code), ("not found\n", 0));
        let r = run_script("curl -sf web/x", Flavor::Sh, &mut Web);
        assert_eq!(
            (r.stdout.as_str(), r.stderr.as_str(), r.exit_code),
            ("", "", 22)
        );
        let r = run_script("curl -sSf web/x", Flavor::Sh, &mut Web);
        assert_eq!(
            (r.stdout.as_str(), r.stderr.as_str(), r.exit_code),
            ("", "curl: (22) The requested URL returned error: 404\n", 22)
        );
        let r = run_script("curl -H 'a: b' -o /dev/null", Flavor::Sh, &mut Web);
        assert_eq!(r.exit_code, 2);
    }

    /// Without -s, curl's progress meter (libcurl lib/progress.c `progress_meter`) goes to
    /// stderr: two header lines, then the final line with the byte counts; -s hides it.
    #[test]
    fn curl_progress_meter_on_stderr_unless_silent() {
        let head = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";
        let r = run_script("curl http://web/", Flavor::Sh, &mut Web);
        assert_eq!(r.stdout, "hello\n");
        assert_eq!(
            r.stderr,
            format!(
                "{head}100     6  100     6    0     0   6000      0 --:--:-- --:--:-- --:--:--  6000\n"
            )
        );
        let r = run_script("curl nope", Flavor::Sh, &mut Web);
        assert_eq!(
            r.stderr,
            format!(
                "{head}  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\ncurl: (6) Could not resolve host: nope\n"
            )
        );
        assert_eq!(r.exit_code, 6);
        let r = run_script("curl -f web/x", Flavor::Sh, &mut Web);
        assert!(r.stderr.starts_with(head));
        assert!(
            r.stderr
                .ends_with("curl: (22) The requested URL returned error: 404\n")
        );
        for quiet in [
            "curl -s http://web/",
            "curl --silent http://web/",
            "curl -sS http://web/",
        ] {
            let r = run_script(quiet, Flavor::Sh, &mut Web);
            assert_eq!(r.stderr, "", "{quiet}");
        }
        // libcurl max5data: the nginx welcome page (615 bytes in 1 ms) shows 600k.
        assert_eq!(curl_max5(615_000), " 600k");
        assert_eq!(curl_max5(43_000), "43000");
        assert_eq!(curl_max5(64_600_000), "61.6M");
    }

    #[test]
    fn cat_getent_and_redirect_errors() {
        let mut h = Host::default();
        h.files.insert("/a".into(), "hi\n".into());
        let r = run_script(
            "cat /a; getent hosts nginx-with-init-container-0.nginx-headless",
            Flavor::Sh,
            &mut h,
        );
        assert_eq!(
            r.stdout,
            "hi\n10.244.0.5      nginx-with-init-container-0.nginx-headless.default.svc.cluster.local\n"
        );
        let r = run_script("echo x > /nope/f", Flavor::Bash, &mut h);
        assert_eq!(r.exit_code, 1);
        assert!(r.stderr.contains("No such file or directory"));
        let r = run_script("echo 'it''s' \"$HOSTNAME\" ${HOME}", Flavor::Sh, &mut h);
        assert_eq!(r.stdout, "its nginx-with-init-container-0 /root\n");
    }

    #[test]
    fn quoting_matches_bash_xtrace() {
        assert_eq!(quote("hostname"), "hostname");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
    }
}
