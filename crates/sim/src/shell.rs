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
//! a command substitution; dash prints a single `+`).
//!
//! bash as the kubernetes.io tutorials' scripts use it: `[[ … ]]` (`=~` with an ERE filling
//! `BASH_REMATCH`, `==`/`!=` globs, `-eq` … `-ge` on arithmetic, `-f -d -e -s -z -n`, `!`,
//! `&&`/`||`; traced per primary as bash's `xtrace_print_cond_term` does), `$(( … ))`
//! arithmetic, `${ARR[N]}`, `${#VAR}`, backquotes, `$(<FILE)`, `a | b` pipes (stdin),
//! `while`/`until … do … done`, `\`-newline continuations, `cd`, `cp`, `mv`, `rm`, `sed 's/…/…/g'`,
//! `ls -l`/`-ld`, `exec CMD`, and `set -e`'s exemption of a failure before a list's last
//! `&&`/`||`. The tutorials' image programs (`zkCli.sh`, `ncat`, `mysql`, …) are
//! [`crate::programs`]. Anything else is reported as not simulated. Every run is bounded:
//! [`MAX_STEPS`] commands (loops included; `sleep` lets no time pass), [`MAX_DEPTH`] nested
//! substitutions, [`MAX_OUTPUT`] bytes, [`MAX_ARITH_DEPTH`] arithmetic nesting.

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
    /// Whether `path` is a directory: one with files under it (mount points and the image's
    /// own directories too, where the host knows them).
    fn is_dir(&self, path: &str) -> bool {
        path == "/" || self.list_dir(path).is_ok_and(|l| !l.is_empty())
    }
    fn remove_file(&mut self, _path: &str) -> Result<(), String> {
        Err("Read-only file system".into())
    }
    /// A TCP exchange from this container with `host:port` (what the peer's server answers to
    /// `input`), for [`crate::programs`].
    fn connect(&mut self, _host: &str, _port: u16, _input: &str) -> Result<String, String> {
        Err("Connection refused".into())
    }
    /// The container's own processes, PID 1 first: (command line, what the host knows of
    /// them), for `ps` and `pkill`.
    fn processes(&self) -> Vec<crate::programs::Process> {
        Vec::new()
    }
    /// A program ended the container's main process with `code` (`pkill java`).
    fn kill_main(&mut self, _code: i32) {}
    /// The container's user and group names, and whether its volumes belong to an `fsGroup`.
    fn owner(&self) -> (String, String, bool) {
        ("root".into(), "root".into(), false)
    }
    /// When the container started (files' times in `ls -l`).
    fn started(&self) -> crate::time::SimTime {
        0
    }
    /// The simulated clock.
    fn now(&self) -> crate::time::SimTime {
        0
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
    let address = |out: &mut String, n: usize, ip: &str| {
        out.push_str(&format!("Address {n}: {ip}"));
        if let Some(r) = host.reverse(ip) {
            out.push(' ');
            out.push_str(&r);
        }
        out.push('\n');
    };
    let server = "10.96.0.10";
    let mut out = format!("Server:    {server}\n");
    address(&mut out, 1, server);
    out.push('\n');
    let recs = host.resolve(name);
    if recs.is_empty() {
        return (out, format!("nslookup: can't resolve '{name}'\n"), 1);
    }
    out.push_str(&format!("Name:      {name}\n"));
    for (i, (_, ip)) in recs.iter().enumerate() {
        address(&mut out, i + 1, ip);
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
            | "exec"
            | "[["
            | "["
            | "sh"
            | "bash"
            | "/bin/sh"
            | "/bin/bash"
    )
}

/// An HTTP response (status, body) or curl's failure (exit code, message).
pub type HttpResult = Result<(u16, String), (i32, String)>;

use crate::programs::Effect;

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
    /// The script ended by running a server in the foreground (the process runs on).
    pub foreground: bool,
    /// stdout and stderr as one stream, in the order written (what a container's log shows).
    pub combined: String,
}

const MAX_SCRIPT: usize = 64 * 1024;
const MAX_OUTPUT: usize = 256 * 1024;
const MAX_DEPTH: usize = 8;
/// Commands one run may execute (loops included): `until false; do :; done` ends here.
const MAX_STEPS: usize = 10_000;
/// Nested `if`s and loops.
const MAX_NEST: usize = 64;
/// Nesting of `$(( … ))` sub-expressions.
const MAX_ARITH_DEPTH: usize = 32;

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
                    let mut sh = Shell::new(host, flavor);
                    sh.xtrace = xtrace;
                    sh.errexit = errexit;
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
    run_script(&quote_join(argv), Flavor::Sh, host)
}

/// Run a script text.
pub fn run_script(script: &str, flavor: Flavor, host: &mut dyn ShellHost) -> ShellResult {
    let mut sh = Shell::new(host, flavor);
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

/// Words [`quote`]d and joined by spaces (a trace line, a command line).
fn quote_join(words: &[String]) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&quote(w));
    }
    out
}

/// Expanded words and an optional `> file` (`true` = append).
type Expanded = (Vec<String>, Option<(String, bool)>);

/// The shell's host as a program's host ([`crate::programs::ProgramHost`]).
pub(crate) struct ProgramVia<'a>(pub(crate) &'a mut dyn ShellHost);

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
    fn list_dir(&self, path: &str) -> Vec<String> {
        self.0.list_dir(path).unwrap_or_default()
    }
    fn is_dir(&self, path: &str) -> bool {
        self.0.is_dir(path)
    }
    fn remove_file(&mut self, path: &str) -> Result<(), String> {
        self.0.remove_file(path)
    }
    fn connect(&mut self, host: &str, port: u16, input: &str) -> Result<String, String> {
        self.0.connect(host, port, input)
    }
    fn processes(&self) -> Vec<crate::programs::Process> {
        self.0.processes()
    }
    fn kill_main(&mut self, code: i32) {
        self.0.kill_main(code)
    }
    fn now(&self) -> crate::time::SimTime {
        self.0.now()
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
    /// bash's `BASH_REMATCH` (set by `[[ … =~ … ]]`).
    rematch: Vec<String>,
    /// The working directory (`cd`).
    cwd: String,
    /// What the previous stage of a pipeline wrote (the next command's stdin).
    stdin: Option<String>,
    /// Commands run so far (every loop iteration counts): bounded by [`MAX_STEPS`].
    steps: usize,
    /// The last list's status came from a command before its last `&&`/`||` (no `set -e`).
    exempt: bool,
    /// Inside command substitutions or early pipeline stages: stdout is captured.
    capturing: usize,
    /// Nested `if`s and loops being run: bounded by [`MAX_NEST`].
    nest: usize,
}

impl<'a> Shell<'a> {
    fn new(host: &'a mut dyn ShellHost, flavor: Flavor) -> Self {
        Shell {
            host,
            flavor,
            xtrace: false,
            errexit: false,
            out: ShellResult::default(),
            vars: Default::default(),
            rematch: Vec::new(),
            cwd: "/".to_string(),
            stdin: None,
            steps: 0,
            exempt: false,
            capturing: 0,
            nest: 0,
        }
    }
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
        let cmds = split_commands(text);
        let _ = self.commands(&cmds, depth);
    }

    /// Run a sequence of commands (an `if … fi` among them is one compound command). `Stop`
    /// when the script must end (unsupported, `exit`, `set -e` after a failure).
    fn commands(&mut self, cmds: &[String], depth: usize) -> Flow {
        let mut i = 0;
        while let Some(cmd) = cmds.get(i) {
            let w = first_word(cmd);
            let block = match w {
                "while" | "until" => Some(loop_block(cmds, i).map(|(b, next)| {
                    i = next;
                    Block::Loop(b)
                })),
                "if" => Some(if_block(cmds, i).map(|(b, next)| {
                    i = next;
                    Block::If(b)
                })),
                _ => None,
            };
            let flow = if let Some(block) = block {
                match block {
                    Some(Block::Loop(b)) => self.run_loop(&b, w == "until", depth),
                    Some(Block::If(b)) => self.run_if(&b, depth),
                    None => {
                        let end = if w == "if" { "fi" } else { "done" };
                        self.err(&format!(
                            "{}: syntax error: `{w}` without a matching `{end}`\n",
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
                    // bash ignores `set -e` for a failure before the last `&&`/`||` of a list.
                    if code != 0 && self.errexit && !std::mem::take(&mut self.exempt) {
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
        if !self.enter_block() {
            return Flow::Stop;
        }
        let flow = self.run_if_branches(block, depth);
        self.nest -= 1;
        flow
    }

    /// Enter an `if` or a loop: false (with bash's message) past [`MAX_NEST`] levels.
    fn enter_block(&mut self) -> bool {
        if self.nest >= MAX_NEST {
            self.err(&format!(
                "{}: expression nesting level exceeded\n",
                self.shell_name()
            ));
            self.out.exit_code = 2;
            return false;
        }
        self.nest += 1;
        true
    }

    fn run_if_branches(&mut self, block: &IfBlock, depth: usize) -> Flow {
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

    /// `while`/`until COND; do BODY; done` (the condition never trips `set -e`); bounded by
    /// [`MAX_STEPS`] since `sleep` lets no time pass.
    fn run_loop(&mut self, block: &LoopBlock, until: bool, depth: usize) -> Flow {
        if !self.enter_block() {
            return Flow::Stop;
        }
        let flow = self.loop_iterations(block, until, depth);
        self.nest -= 1;
        flow
    }

    fn loop_iterations(&mut self, block: &LoopBlock, until: bool, depth: usize) -> Flow {
        let mut last = 0;
        loop {
            if self.steps > MAX_STEPS {
                return self.too_many_steps();
            }
            let saved = self.errexit;
            self.errexit = false;
            let flow = self.commands(&block.cond, depth);
            self.errexit = saved;
            let ok = match flow {
                Flow::Stop => return Flow::Stop,
                Flow::Continue(code) => code == 0,
            };
            if ok == until {
                break;
            }
            match self.commands(&block.body, depth) {
                Flow::Stop => return Flow::Stop,
                Flow::Continue(code) => last = code,
            }
        }
        self.out.exit_code = last;
        Flow::Continue(last)
    }

    fn too_many_steps(&mut self) -> Flow {
        self.err(&format!(
            "stsplay: the script ran more than {MAX_STEPS} commands; the simulation stops it here (no time passes inside a container's script)\n"
        ));
        self.out.exit_code = 1;
        Flow::Stop
    }

    /// `a | b | c`: each stage's stdout is the next one's stdin; the last stage's status.
    fn pipeline(&mut self, text: &str, depth: usize) -> Flow {
        let stages = split_top(text, Split::Pipe);
        if stages.len() <= 1 {
            return self.simple(text, depth);
        }
        let outer_stdin = self.stdin.take();
        let n = stages.len();
        let mut code = 0;
        for (k, (stage, _)) in stages.iter().enumerate() {
            let last = k + 1 == n;
            let saved = (!last).then(|| std::mem::take(&mut self.out.stdout));
            self.capturing += usize::from(!last);
            let flow = self.simple(stage, depth);
            self.capturing -= usize::from(!last);
            let produced = saved.map(|o| std::mem::replace(&mut self.out.stdout, o));
            match flow {
                Flow::Stop if self.out.unsupported.is_some() => {
                    self.stdin = outer_stdin;
                    return Flow::Stop;
                }
                // `exit` in a stage ends only that stage's subshell.
                Flow::Stop => code = self.out.exit_code,
                Flow::Continue(c) => code = c,
            }
            self.stdin = produced;
        }
        self.stdin = outer_stdin;
        Flow::Continue(code)
    }

    /// An absolute path for `p` (relative to the working directory).
    fn abs(&self, p: &str) -> String {
        abs_in(&self.cwd, p)
    }

    /// One `a && b || c` list.
    fn list(&mut self, text: &str, depth: usize) -> Flow {
        let mut code = 0;
        let mut prev = Sep::Seq;
        let parts = split_top(text, Split::AndOr);
        let n = parts.len();
        self.exempt = false;
        for (k, (part, sep)) in parts.into_iter().enumerate() {
            let run = match prev {
                Sep::Seq => true,
                Sep::And => code == 0,
                Sep::Or => code != 0,
            };
            if run {
                match self.pipeline(&part, depth) {
                    Flow::Stop => return Flow::Stop,
                    Flow::Continue(c) => {
                        code = c;
                        self.exempt = k + 1 < n;
                    }
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
                            && matches!(n, '"' | '\\' | '$' | '`' | '\n')
                        {
                            if n != '\n' {
                                cur.push(n);
                            }
                            i += 2;
                            continue;
                        }
                        if c == '$' {
                            i = self.dollar(&chars, i, &mut cur, depth)?;
                            continue;
                        }
                        if c == '`' {
                            i = self.backtick(&chars, i, &mut cur, depth)?;
                            continue;
                        }
                        cur.push(c);
                        i += 1;
                    }
                }
                '\\' => {
                    // `\<newline>` continues the line.
                    if let Some(&n) = chars.get(i + 1).filter(|n| **n != '\n') {
                        have = true;
                        cur.push(n);
                    }
                    i += 2;
                }
                '$' => {
                    have = true;
                    i = self.dollar(&chars, i, &mut cur, depth)?;
                }
                '`' => {
                    have = true;
                    i = self.backtick(&chars, i, &mut cur, depth)?;
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

    /// Expand `$(...)`, `$((...))`, `${VAR}` or `$VAR` at `i` into `cur`; returns the next index.
    fn dollar(
        &mut self,
        chars: &[char],
        i: usize,
        cur: &mut String,
        depth: usize,
    ) -> Result<usize, Flow> {
        match chars.get(i + 1) {
            Some('(') if chars.get(i + 2) == Some(&'(') => {
                // `$(( … ))`: bash's integer arithmetic.
                let mut level = 0i32;
                let mut j = i + 3;
                let mut inner: Vec<char> = Vec::new();
                while let Some(&c) = chars.get(j) {
                    if c == '(' {
                        level += 1;
                    } else if c == ')' {
                        if level == 0 {
                            break;
                        }
                        level -= 1;
                    }
                    inner.push(c);
                    j += 1;
                }
                // Parameters inside are expanded first.
                let mut text = String::new();
                let mut k = 0;
                while let Some(&c) = inner.get(k) {
                    if c == '$' {
                        k = self.dollar(&inner, k, &mut text, depth)?;
                    } else {
                        text.push(c);
                        k += 1;
                    }
                }
                match self.arith(&text) {
                    Ok(v) => cur.push_str(&v.to_string()),
                    Err(e) => {
                        self.err(&format!("{}: {}: {e}\n", self.shell_name(), text.trim()));
                        return Err(Flow::Continue(1));
                    }
                }
                Ok(j + 2)
            }
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
                let got = self.substitute(&inner, depth)?;
                cur.push_str(&got);
                Ok(j + 1)
            }
            Some('{') => {
                let mut j = i + 2;
                let mut inner = String::new();
                let mut level = 0;
                while let Some(&c) = chars.get(j) {
                    j += 1;
                    if c == '{' {
                        level += 1;
                    } else if c == '}' {
                        if level == 0 {
                            break;
                        }
                        level -= 1;
                    }
                    inner.push(c);
                }
                let v = self.parameter(&inner);
                cur.push_str(&v);
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

    /// A command substitution's text (trailing newlines dropped); bash's `$(<FILE)` reads
    /// the file without running a command.
    fn substitute(&mut self, inner: &str, depth: usize) -> Result<String, Flow> {
        if let Some(f) = inner.trim().strip_prefix('<') {
            let (words, _) = self.expand(f.trim(), depth)?;
            let name = words.join(" ");
            return Ok(match self.host.read_file(&self.abs(&name)) {
                Ok(t) => t.trim_end_matches('\n').to_string(),
                Err(e) => {
                    self.err(&format!("{}: {name}: {e}\n", self.shell_name()));
                    String::new()
                }
            });
        }
        let saved = std::mem::take(&mut self.out.stdout);
        let saved_code = self.out.exit_code;
        let saved_errexit = self.errexit;
        let saved_stdin = self.stdin.take();
        self.errexit = false;
        self.capturing += 1;
        self.script(inner, depth + 1);
        self.capturing -= 1;
        self.errexit = saved_errexit;
        self.stdin = saved_stdin;
        self.out.exit_code = saved_code;
        if self.out.unsupported.is_some() {
            self.out.stdout = saved;
            return Err(Flow::Stop);
        }
        let got = std::mem::replace(&mut self.out.stdout, saved);
        Ok(got.trim_end_matches('\n').to_string())
    }

    /// A backquoted command substitution at `i` (`\``, `\\` and `\$` escaped inside).
    fn backtick(
        &mut self,
        chars: &[char],
        i: usize,
        cur: &mut String,
        depth: usize,
    ) -> Result<usize, Flow> {
        let mut j = i + 1;
        let mut inner = String::new();
        while let Some(&c) = chars.get(j) {
            j += 1;
            match c {
                '`' => break,
                '\\' => match chars.get(j) {
                    Some(&n @ ('`' | '\\' | '$')) => {
                        inner.push(n);
                        j += 1;
                    }
                    _ => inner.push(c),
                },
                _ => inner.push(c),
            }
        }
        let got = self.substitute(&inner, depth)?;
        cur.push_str(&got);
        Ok(j)
    }

    /// bash's integer arithmetic (`$(( … ))`, the operands of `[[ a -eq b ]]`): `+ - * / %`,
    /// comparisons, `! && ||`, parentheses; names are variables (unset = 0).
    fn arith(&self, text: &str) -> Result<i64, String> {
        let toks = arith_tokens(text)?;
        let mut p = Arith {
            toks: &toks,
            at: 0,
            sh: self,
            depth: 0,
        };
        if toks.is_empty() {
            return Ok(0);
        }
        let v = p.binary(0)?;
        match toks.get(p.at) {
            None => Ok(v),
            Some(_) => Err(format!(
                "syntax error in expression (error token is \"{}\")",
                toks.get(p.at..).unwrap_or(&[]).join(" ")
            )),
        }
    }

    /// `${…}`: a name, then optionally `#`, `##`, `%`, `%%` and a pattern, or `:-`/`-` and a
    /// default word.
    fn parameter(&self, inner: &str) -> String {
        if let Some(name) = inner.strip_prefix('#').filter(|n| !n.starts_with('#')) {
            return self.parameter(name).chars().count().to_string();
        }
        if let Some((name, rest)) = inner.split_once('[')
            && let Some(idx) = rest.strip_suffix(']')
        {
            let all: Vec<String> = if name == "BASH_REMATCH" {
                self.rematch.clone()
            } else {
                vec![self.var(name)]
            };
            return match idx {
                "@" | "*" => all.join(" "),
                _ => usize::try_from(self.arith(idx).unwrap_or(-1))
                    .ok()
                    .and_then(|k| all.get(k).cloned())
                    .unwrap_or_default(),
            };
        }
        let name_len = inner
            .char_indices()
            .find(|(i, c)| !(c.is_ascii_alphanumeric() || *c == '_' || (*i == 0 && *c == '?')))
            .map_or(inner.len(), |(i, _)| i);
        let (name, op) = inner.split_at(name_len);
        let value = self.var(name);
        if let Some(pat) = op.strip_prefix("##") {
            strip_glob(&value, pat, false, true)
        } else if let Some(pat) = op.strip_prefix('#') {
            strip_glob(&value, pat, false, false)
        } else if let Some(pat) = op.strip_prefix("%%") {
            strip_glob(&value, pat, true, true)
        } else if let Some(pat) = op.strip_prefix('%') {
            strip_glob(&value, pat, true, false)
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
        self.vars.contains_key(name)
            || matches!(name, "HOSTNAME" | "HOME" | "PATH" | "?" | "PWD")
            || (name == "BASH_REMATCH" && !self.rematch.is_empty())
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
            "PWD" => self.cwd.clone(),
            "BASH_REMATCH" => self.rematch.first().cloned().unwrap_or_default(),
            _ => String::new(),
        }
    }

    fn emit(&mut self, s: &str) {
        if self.out.stdout.len() + s.len() <= MAX_OUTPUT {
            self.out.stdout.push_str(s);
            if self.capturing == 0 && self.out.combined.len() + s.len() <= 2 * MAX_OUTPUT {
                self.out.combined.push_str(s);
            }
        }
    }

    fn err(&mut self, s: &str) {
        if self.out.stderr.len() + s.len() <= MAX_OUTPUT {
            self.out.stderr.push_str(s);
            if self.out.combined.len() + s.len() <= 2 * MAX_OUTPUT {
                self.out.combined.push_str(s);
            }
        }
    }

    fn simple(&mut self, text: &str, depth: usize) -> Flow {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return self.too_many_steps();
        }
        if first_word(text) == "[[" {
            return self.cond(text, depth);
        }
        let (mut words, redirect) = match self.expand(text, depth) {
            Ok(x) => x,
            Err(f) => return f,
        };
        let redirect = redirect.map(|(p, a)| (self.abs(&p), a));
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
        if first == "set" {
            let args = words.get(1..).unwrap_or(&[]);
            for a in args {
                let on = a.starts_with('-');
                if a.contains('x') {
                    self.xtrace = on;
                }
                if a.contains('e') {
                    self.errexit = on;
                }
            }
            if self.xtrace && !args.iter().any(|a| a.starts_with('-') && a.contains('x')) {
                let line = format!("{} set {}\n", self.trace_prefix(depth), quote_join(args));
                self.err(&line);
            }
            return Flow::Continue(0);
        }
        if self.xtrace {
            let line = format!("{} {}\n", self.trace_prefix(depth), quote_join(&words));
            self.err(&line);
        }
        // `exec CMD`: CMD replaces the shell, so nothing after it runs.
        let replaces = first == "exec" && words.len() > 1;
        if replaces {
            words.remove(0);
        }
        let flow = self.run_command(&words, redirect);
        match flow {
            Flow::Continue(code) if replaces => {
                self.out.exit_code = code;
                Flow::Stop
            }
            f => f,
        }
    }

    /// Run one expanded command (after its trace line).
    fn run_command(&mut self, words: &[String], redirect: Option<(String, bool)>) -> Flow {
        let Some((cmd, args)) = words.split_first() else {
            return Flow::Continue(0);
        };
        let mut output = String::new();
        let base = cmd.rsplit('/').next().unwrap_or(cmd);
        if !is_builtin(cmd) && !self.host.has_command(base) {
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
                    _ => (true, args),
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
                let cwd = self.cwd.clone();
                match test_expr(&a, &*self.host, &cwd) {
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
            "cat" if args.is_empty() => {
                output = self.stdin.clone().unwrap_or_default();
                0
            }
            "cat" => {
                let mut code = 0;
                for a in args {
                    match self.host.read_file(&self.abs(a)) {
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
                let (flags, mut paths) = crate::programs::split_args(args);
                if flags.contains(['l', 'd']) {
                    self.ls_long(&flags, paths, &mut output)
                } else {
                    if paths.is_empty() {
                        paths.push("/".into());
                    }
                    let mut code = 0;
                    for p in &paths {
                        match self.host.list_dir(&self.abs(p)) {
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
                    None => return self.unsupported(words.join(" ")),
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
            "cd" => {
                let to = args.first().map_or("/root".to_string(), |d| self.abs(d));
                if self.host.is_dir(&to) {
                    self.cwd = to;
                    0
                } else {
                    let d = args.first().cloned().unwrap_or_default();
                    self.err(&format!(
                        "{}: cd: {d}: No such file or directory\n",
                        self.shell_name()
                    ));
                    1
                }
            }
            "cp" | "mv" => self.copy(cmd, args),
            "rm" => {
                let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
                let mut code = 0;
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    if self.host.remove_file(&self.abs(a)).is_err() && !force {
                        self.err(&format!(
                            "rm: cannot remove '{a}': No such file or directory\n"
                        ));
                        code = 1;
                    }
                }
                code
            }
            "sed" => match sed(args, self.stdin.as_deref().unwrap_or("")) {
                Ok(t) => {
                    output = t;
                    0
                }
                Err(e) => {
                    self.err(&format!("sed: {e}\n"));
                    1
                }
            },
            "sh" | "bash" | "/bin/sh" | "/bin/bash" => {
                let r = run_argv(words, self.host);
                self.emit(&r.stdout);
                self.err(&r.stderr);
                if let Some(what) = r.unsupported {
                    return self.unsupported(what);
                }
                r.exit_code
            }
            _ => {
                let stdin = self.stdin.clone().unwrap_or_default();
                let image = self.host.image();
                let Some(run) = crate::programs::run(
                    base,
                    image.as_deref(),
                    args,
                    &stdin,
                    &mut ProgramVia(&mut *self.host),
                ) else {
                    return self.unsupported(words.join(" "));
                };
                output = run.stdout;
                self.err(&run.stderr);
                match run.effect {
                    Effect::None => {}
                    Effect::Foreground => {
                        // The program serves in the foreground: the script goes no further.
                        self.emit(&output);
                        self.out.foreground = true;
                        self.out.exit_code = run.code;
                        return Flow::Stop;
                    }
                    Effect::Unsupported(what) => {
                        self.emit(&output);
                        return self.unsupported(what);
                    }
                }
                run.code
            }
        };
        if redirect.as_ref().is_some_and(|(p, _)| p == "/dev/null") {
            return Flow::Continue(code);
        }
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

impl Shell<'_> {
    /// The command line `what` is outside the simulation: the run stops there (status 127).
    fn unsupported(&mut self, what: String) -> Flow {
        self.out.unsupported = Some(what);
        self.out.exit_code = 127;
        Flow::Stop
    }

    /// `cp SRC… DST` / `mv SRC… DST` (into DST when it is a directory or ends in `/`).
    fn copy(&mut self, cmd: &str, args: &[String]) -> i32 {
        let (_, paths) = crate::programs::split_args(args);
        let Some((dst, srcs)) = paths.split_last() else {
            self.err(&format!("{cmd}: missing file operand\n"));
            return 1;
        };
        if srcs.is_empty() {
            self.err(&format!(
                "{cmd}: missing destination file operand after '{dst}'\n"
            ));
            return 1;
        }
        let dst_abs = self.abs(dst);
        let into = dst.ends_with('/') || self.host.is_dir(&dst_abs) || srcs.len() > 1;
        let mut code = 0;
        for src in srcs {
            let from = self.abs(src);
            let text = match self.host.read_file(&from) {
                Ok(t) => t,
                Err(e) => {
                    self.err(&format!("{cmd}: cannot stat '{src}': {e}\n"));
                    code = 1;
                    continue;
                }
            };
            let to = if into {
                let base = from.rsplit('/').next().unwrap_or(&from);
                format!("{}/{base}", dst_abs.trim_end_matches('/'))
            } else {
                dst_abs.clone()
            };
            if let Err(e) = self.host.write_file(&to, &text, false) {
                self.err(&format!("{cmd}: cannot create regular file '{to}': {e}\n"));
                code = 1;
                continue;
            }
            if cmd == "mv" {
                let _ = self.host.remove_file(&from);
            }
        }
        code
    }

    /// `ls -l` / `ls -ld` (coreutils' long format): mode, links, owner, group, size, time.
    /// The owner is the container's user; a pod's `fsGroup` owns its volumes' directories
    /// with the set-group-ID bit, as the kubelet's ownership change leaves them.
    fn ls_long(&mut self, flags: &str, mut paths: Vec<String>, output: &mut String) -> i32 {
        let long = flags.contains('l');
        let only_dir = flags.contains('d');
        if paths.is_empty() {
            paths.push(".".into());
        }
        let (user, group, setgid) = self.host.owner();
        let c = k8sjson::time::civil(crate::time::to_k8s_time(self.host.started()).0);
        let when = format!(
            "{} {:>2} {:02}:{:02}",
            c.month_abbrev(),
            c.day,
            c.hour,
            c.minute
        );
        let mut code = 0;
        let line = |host: &dyn ShellHost, p: &str, shown: &str, out: &mut String| {
            if !long {
                out.push_str(shown);
                out.push('\n');
                return;
            }
            match host.read_file(p) {
                Ok(t) => out.push_str(&format!(
                    "-rw-r--r-- 1 {user} {group} {} {when} {shown}\n",
                    t.len()
                )),
                Err(_) => {
                    let subdirs = host
                        .list_dir(p)
                        .unwrap_or_default()
                        .iter()
                        .filter(|n| {
                            host.read_file(&format!("{}/{n}", p.trim_end_matches('/')))
                                .is_err()
                        })
                        .count();
                    let mode = if setgid { "drwxr-sr-x" } else { "drwxr-xr-x" };
                    out.push_str(&format!(
                        "{mode} {} {user} {group} 4096 {when} {shown}\n",
                        subdirs + 2
                    ));
                }
            }
        };
        for p in &paths {
            let abs = self.abs(p);
            let is_file = self.host.read_file(&abs).is_ok();
            if !is_file && !self.host.is_dir(&abs) {
                self.err(&format!(
                    "ls: cannot access '{p}': No such file or directory\n"
                ));
                code = 2;
                continue;
            }
            if only_dir || is_file {
                line(&*self.host, &abs, p, output);
                continue;
            }
            let names = self.host.list_dir(&abs).unwrap_or_default();
            if long {
                output.push_str(&format!("total {}\n", names.len() * 4));
            }
            for n in names {
                let child = format!("{}/{n}", abs.trim_end_matches('/'));
                line(&*self.host, &child, &n, output);
            }
        }
        code
    }

    /// `[[ … ]]`: bash's conditional command. Each primary evaluated is traced as bash's
    /// `xtrace_print_cond_term` prints it (operands unquoted, `''` when empty); `&&` binds
    /// tighter than `||`, both short-circuit; `=~` matches an ERE and fills `BASH_REMATCH`.
    fn cond(&mut self, text: &str, depth: usize) -> Flow {
        let raw = raw_words(text);
        let inner = match raw.split_first() {
            Some((_, rest)) if rest.last().map(String::as_str) == Some("]]") => {
                rest.get(..rest.len().saturating_sub(1)).unwrap_or(&[])
            }
            _ => return self.cond_error("syntax error in conditional expression"),
        };
        let mut status = 1;
        for group in inner.split(|w| w == "||") {
            status = 0;
            for term in group.split(|w| w == "&&") {
                match self.cond_term(term, depth) {
                    Ok(true) => {}
                    Ok(false) => {
                        status = 1;
                        break;
                    }
                    Err(f) => return f,
                }
            }
            if status == 0 {
                break;
            }
        }
        Flow::Continue(status)
    }

    /// One word of `[[ … ]]`, expanded without splitting.
    fn cond_word(&mut self, w: &str, depth: usize) -> Result<String, Flow> {
        Ok(self.expand(w, depth)?.0.join(" "))
    }

    fn cond_term(&mut self, toks: &[String], depth: usize) -> Result<bool, Flow> {
        let (neg, toks) = match toks.split_first() {
            Some((b, rest)) if b == "!" => (true, rest),
            _ => (false, toks),
        };
        let show = |v: &str| {
            if v.is_empty() {
                "''".to_string()
            } else {
                v.to_string()
            }
        };
        let bang = if neg { "! " } else { "" };
        let (line, truth) = match toks {
            [op, w] if op.starts_with('-') && op.len() == 2 => {
                let v = self.cond_word(w, depth)?;
                let Some(t) = unary_test(op, &v, &*self.host, &self.cwd) else {
                    return Err(self.cond_error("conditional binary operator expected"));
                };
                (format!("{bang}{op} {}", show(&v)), t)
            }
            [l, op, r] => {
                let lv = self.cond_word(l, depth)?;
                let rv = self.cond_word(r, depth)?;
                let t = match op.as_str() {
                    o @ ("==" | "=" | "!=") => {
                        glob_match(
                            &rv.chars().collect::<Vec<_>>(),
                            &lv.chars().collect::<Vec<_>>(),
                        ) != (o == "!=")
                    }
                    "<" => lv < rv,
                    ">" => lv > rv,
                    "=~" => match regex_lite::Regex::new(&rv) {
                        Ok(re) => match re.captures(&lv) {
                            Some(caps) => {
                                self.rematch.clear();
                                for m in caps.iter() {
                                    self.rematch
                                        .push(m.map_or(String::new(), |m| m.as_str().to_string()));
                                }
                                true
                            }
                            None => {
                                self.rematch.clear();
                                false
                            }
                        },
                        // bash: status 2 for a regex that does not compile.
                        Err(_) => {
                            self.trace_cond(
                                depth,
                                &format!("{bang}{} =~ {}", show(&lv), show(&rv)),
                            );
                            return Err(Flow::Continue(2));
                        }
                    },
                    o if INT_OPS.contains(&o) => match (self.arith(&lv), self.arith(&rv)) {
                        (Ok(a), Ok(b)) => int_compare(o, a, b),
                        (Err(e), _) | (_, Err(e)) => {
                            self.err(&format!("{}: {e}\n", self.shell_name()));
                            return Err(Flow::Continue(1));
                        }
                    },
                    _ => return Err(self.cond_error("conditional binary operator expected")),
                };
                (format!("{bang}{} {op} {}", show(&lv), show(&rv)), t)
            }
            [w] => {
                let v = self.cond_word(w, depth)?;
                (format!("{bang}-n {}", show(&v)), !v.is_empty())
            }
            _ => return Err(self.cond_error("syntax error in conditional expression")),
        };
        self.trace_cond(depth, &line);
        Ok(truth != neg)
    }

    /// bash's message for a malformed `[[ … ]]` (status 2).
    fn cond_error(&mut self, what: &str) -> Flow {
        self.err(&format!("{}: {what}\n", self.shell_name()));
        Flow::Continue(2)
    }

    fn trace_cond(&mut self, depth: usize, line: &str) {
        if self.xtrace {
            let l = format!("{} [[ {line} ]]\n", self.trace_prefix(depth));
            self.err(&l);
        }
    }
}

/// A compound command read from a script's commands.
enum Block {
    Loop(LoopBlock),
    If(IfBlock),
}

/// A while/until loop: its condition and body commands.
struct LoopBlock {
    cond: Vec<String>,
    body: Vec<String>,
}

/// Read the `while|until … do … done` that starts at `cmds[start]`; returns it and the index
/// after `done`.
fn loop_block(cmds: &[String], start: usize) -> Option<(LoopBlock, usize)> {
    let mut cond: Vec<String> = Vec::new();
    let mut body: Vec<String> = Vec::new();
    let first = after_first_word(cmds.get(start)?);
    let mut in_cond = true;
    let mut nesting = 0usize;
    let mut pending: Vec<(String, usize)> = vec![(first.to_string(), start)];
    for (i, c) in cmds.iter().enumerate().skip(start + 1) {
        pending.push((c.clone(), i));
    }
    for (c, i) in pending {
        let w = first_word(&c);
        if nesting == 0 {
            if in_cond && w == "do" {
                in_cond = false;
                let rest = after_first_word(&c);
                if !rest.trim().is_empty() {
                    body.push(rest.to_string());
                }
                continue;
            }
            if !in_cond && w == "done" {
                return Some((LoopBlock { cond, body }, i + 1));
            }
        }
        match w {
            "while" | "until" | "for" | "if" => nesting += 1,
            "done" | "fi" => nesting = nesting.saturating_sub(1),
            _ => {}
        }
        if c.trim().is_empty() {
            continue;
        }
        if in_cond {
            cond.push(c);
        } else {
            body.push(c);
        }
    }
    None
}

/// The words of a command as written (quotes kept), split at unquoted blanks.
fn raw_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut sq, mut dq, mut bq, mut paren) = (false, false, false, 0i32);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if !sq => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                continue;
            }
            '\'' if !dq && !bq => sq = !sq,
            '"' if !sq && !bq => dq = !dq,
            '`' if !sq => bq = !bq,
            '(' if !sq && !dq && !bq => paren += 1,
            ')' if !sq && !dq && !bq => paren -= 1,
            ' ' | '\t' | '\n' if !sq && !dq && !bq && paren <= 0 => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// bash arithmetic tokens: numbers, names, operators.
fn arith_tokens(text: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let mut w = String::new();
            while let Some(&d) = chars
                .get(i)
                .filter(|d| d.is_ascii_alphanumeric() || **d == '_')
            {
                w.push(d);
                i += 1;
            }
            out.push(w);
        } else {
            let two: String = chars
                .get(i..i + 2)
                .map(|s| s.iter().collect())
                .unwrap_or_default();
            if ["&&", "||", "==", "!=", "<=", ">="].contains(&two.as_str()) {
                out.push(two);
                i += 2;
            } else if "+-*/%()<>!".contains(c) {
                out.push(c.to_string());
                i += 1;
            } else {
                return Err(format!(
                    "syntax error: invalid arithmetic operator (error token is \"{}\")",
                    chars.get(i..).unwrap_or(&[]).iter().collect::<String>()
                ));
            }
        }
    }
    Ok(out)
}

/// [`Arith::binary`]'s operators and their levels (higher binds tighter).
const BINARY: [&str; 13] = [
    "||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%",
];
const BINARY_LEVEL: [u8; 13] = [0, 1, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 4];

/// A recursive-descent reader of bash arithmetic over [`arith_tokens`].
struct Arith<'s, 'h> {
    toks: &'s [String],
    at: usize,
    sh: &'s Shell<'h>,
    depth: usize,
}

impl Arith<'_, '_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.at).map(String::as_str)
    }
    fn eat(&mut self, t: &str) -> bool {
        if self.peek() == Some(t) {
            self.at += 1;
            true
        } else {
            false
        }
    }
    /// The binary operators from the loosest to the tightest binding, as bash's `expr.c`
    /// levels them (`||`, `&&`, comparisons, `+ -`, `* / %`; all left-associative), read by
    /// precedence climbing: `binary(min)` reads operators binding at least as tight as `min`.
    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let mut v = self.unary()?;
        while let Some(k) = self
            .peek()
            .and_then(|t| BINARY.iter().position(|o| *o == t))
            .filter(|k| BINARY_LEVEL.get(*k).is_some_and(|l| *l >= min))
        {
            self.at += 1;
            let level = BINARY_LEVEL.get(k).copied().unwrap_or(0);
            let r = self.binary(level + 1)?;
            v = match k {
                0 => i64::from(v != 0 || r != 0),
                1 => i64::from(v != 0 && r != 0),
                2 => i64::from(v == r),
                3 => i64::from(v != r),
                4 => i64::from(v < r),
                5 => i64::from(v > r),
                6 => i64::from(v <= r),
                7 => i64::from(v >= r),
                8 => v.wrapping_add(r),
                9 => v.wrapping_sub(r),
                10 => v.wrapping_mul(r),
                _ if r == 0 => return Err("division by 0 (error token is \"0\")".into()),
                11 => v.wrapping_div(r),
                _ => v.wrapping_rem(r),
            };
        }
        Ok(v)
    }
    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > MAX_ARITH_DEPTH {
            return Err("expression recursion level exceeded".into());
        }
        let v = if self.eat("-") {
            self.unary()?.wrapping_neg()
        } else if self.eat("+") {
            self.unary()?
        } else if self.eat("!") {
            i64::from(self.unary()? == 0)
        } else if self.eat("(") {
            let v = self.binary(0)?;
            if !self.eat(")") {
                return Err("missing `)'".into());
            }
            v
        } else {
            let Some(t) = self.peek().map(str::to_string) else {
                return Err("syntax error: operand expected".into());
            };
            self.at += 1;
            if t.starts_with(|c: char| c.is_ascii_digit()) {
                t.parse::<i64>().map_err(|_| {
                    format!("{t}: value too great for base (error token is \"{t}\")")
                })?
            } else if t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                self.sh.var(&t).trim().parse::<i64>().unwrap_or(0)
            } else {
                return Err(format!(
                    "syntax error: operand expected (error token is \"{t}\")"
                ));
            }
        };
        self.depth -= 1;
        Ok(v)
    }
}

/// `sed -E 's/RE/REPL/[g]'` (or `-e SCRIPT`), one substitution, over `input`.
fn sed(args: &[String], input: &str) -> Result<String, String> {
    let script = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .ok_or("no script given")?;
    let body = script
        .strip_prefix('s')
        .filter(|b| !b.is_empty())
        .ok_or_else(|| {
            format!(
                "-e expression #1, char 1: unknown command: `{}'",
                script.chars().next().unwrap_or(' ')
            )
        })?;
    let delim = body.chars().next().unwrap_or('/');
    let mut parts = body.get(delim.len_utf8()..).unwrap_or("").split(delim);
    let (Some(re), Some(repl), Some(flags)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("-e expression #1, char 0: unterminated `s' command".into());
    };
    let re = regex_lite::Regex::new(re)
        .map_err(|_| "-e expression #1: invalid regular expression".to_string())?;
    let repl = repl.replace('&', "${0}");
    let mut out = String::new();
    for line in input.split_inclusive('\n') {
        let (text, nl) = match line.strip_suffix('\n') {
            Some(t) => (t, "\n"),
            None => (line, ""),
        };
        let done = re.replacen(text, usize::from(!flags.contains('g')), repl.as_str());
        out.push_str(&done);
        out.push_str(nl);
    }
    Ok(out)
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

/// Whether `s` matches the glob `pat` (`*`, `?`, other characters literally): the classic
/// iterative matcher (back to the last `*` on a mismatch), O(len(pat) * len(s)) at worst.
fn glob_match(pat: &[char], s: &[char]) -> bool {
    let (mut p, mut i) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        match pat.get(p) {
            Some('*') => {
                star = Some((p, i));
                p += 1;
            }
            Some('?') => {
                p += 1;
                i += 1;
            }
            Some(c) if Some(c) == s.get(i) => {
                p += 1;
                i += 1;
            }
            _ => match star {
                Some((sp, si)) => {
                    p = sp + 1;
                    i = si + 1;
                    star = Some((sp, si + 1));
                }
                None => return false,
            },
        }
    }
    while pat.get(p) == Some(&'*') {
        p += 1;
    }
    p == pat.len()
}

/// `${v#pat}` (shortest) / `${v##pat}` (longest) or, with `suffix`, `${v%pat}` /
/// `${v%%pat}`: the cut points are tried from the shortest match on.
fn strip_glob(v: &str, pat: &str, suffix: bool, longest: bool) -> String {
    let chars: Vec<char> = v.chars().collect();
    let p: Vec<char> = pat.chars().collect();
    let n = chars.len();
    for j in 0..=n {
        let k = if longest != suffix { n - j } else { j };
        let (head, tail) = chars.split_at(k.min(n));
        if glob_match(&p, if suffix { tail } else { head }) {
            return if suffix { head } else { tail }.iter().collect();
        }
    }
    v.to_string()
}

/// `test` / `[`: the expression's truth, or the message bash prints for a bad one.
fn test_expr(a: &[&str], host: &dyn ShellHost, cwd: &str) -> Result<bool, String> {
    let int = |s: &str| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| format!("{s}: integer expression expected"))
    };
    match a {
        [] => Ok(false),
        ["!", rest @ ..] => test_expr(rest, host, cwd).map(|b| !b),
        [one] => Ok(!one.is_empty()),
        [op, v] => unary_test(op, v, host, cwd).ok_or_else(|| "too many arguments".into()),
        [l, "=" | "==", r] => Ok(l == r),
        [l, "!=", r] => Ok(l != r),
        [l, op, r] if INT_OPS.contains(op) => Ok(int_compare(op, int(l)?, int(r)?)),
        _ => Err("too many arguments".into()),
    }
}

/// The unary primaries `test` and `[[ … ]]` share: `-z`, `-n`, and the file tests `-f -s -d
/// -e` (a relative path from `cwd`); `None` for another operator.
fn unary_test(op: &str, v: &str, host: &dyn ShellHost, cwd: &str) -> Option<bool> {
    let p = abs_in(cwd, v);
    Some(match op {
        "-z" => v.is_empty(),
        "-n" => !v.is_empty(),
        "-f" => host.read_file(&p).is_ok(),
        "-s" => host.read_file(&p).is_ok_and(|t| !t.is_empty()),
        "-d" => host.is_dir(&p),
        "-e" => host.read_file(&p).is_ok() || host.is_dir(&p),
        _ => return None,
    })
}

/// The integer comparisons of `test` and `[[ … ]]`.
const INT_OPS: [&str; 6] = ["-eq", "-ne", "-lt", "-le", "-gt", "-ge"];

fn int_compare(op: &str, a: i64, b: i64) -> bool {
    match INT_OPS.iter().position(|o| *o == op) {
        Some(0) => a == b,
        Some(1) => a != b,
        Some(2) => a < b,
        Some(3) => a <= b,
        Some(4) => a > b,
        _ => a >= b,
    }
}

/// `p` as an absolute path (relative to the directory `cwd`).
fn abs_in(cwd: &str, p: &str) -> String {
    if p.starts_with('/') {
        p.to_string()
    } else {
        format!("{}/{p}", cwd.trim_end_matches('/'))
    }
}

/// Split a script into and-or lists at newlines and `;` (outside quotes and `$(...)`).
fn split_commands(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    // A command of blanks only is no command.
    let push = |out: &mut Vec<String>, cur: &mut String| {
        let c = std::mem::take(cur);
        if !c.trim().is_empty() {
            out.push(c);
        }
    };
    let mut sq = false;
    let mut dq = false;
    let mut paren = 0i32;
    let mut comment = false;
    let mut prev = ' ';
    let mut bq = false;
    let mut esc = false;
    for c in text.chars() {
        if comment {
            if c == '\n' {
                comment = false;
                push(&mut out, &mut cur);
            }
            continue;
        }
        if esc {
            esc = false;
            if c == '\n' && !dq {
                // A line continuation outside quotes: both characters go.
                cur.pop();
            } else {
                cur.push(c);
            }
            prev = c;
            continue;
        }
        match c {
            '\\' if !sq => esc = true,
            '`' if !sq => bq = !bq,
            '\'' if !dq && !bq => sq = !sq,
            '"' if !sq && !bq => dq = !dq,
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
            '\n' | ';' if !sq && !dq && !bq && paren <= 0 => {
                push(&mut out, &mut cur);
                prev = c;
                continue;
            }
            _ => {}
        }
        cur.push(c);
        prev = c;
    }
    push(&mut out, &mut cur);
    out
}

/// Where [`split_top`] splits.
#[derive(Clone, Copy, PartialEq)]
enum Split {
    /// At `&&` / `||`.
    AndOr,
    /// At a single `|`.
    Pipe,
}

/// Split one list at `&&` / `||` (or a pipeline at `|`) outside quotes, `$(...)`, backquotes
/// and `[[ … ]]`; each part carries the operator that follows it.
fn split_top(text: &str, how: Split) -> Vec<(String, Sep)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut sq, mut dq, mut bq, mut paren, mut cond) = (false, false, false, 0i32, 0i32);
    let boundary = |k: usize| {
        k == 0
            || chars
                .get(k.wrapping_sub(1))
                .is_some_and(|c| c.is_whitespace() || *c == ';')
    };
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let top = !sq && !dq && !bq && paren <= 0;
        match c {
            '\\' if !sq => {
                cur.push(c);
                if let Some(&n) = chars.get(i + 1) {
                    cur.push(n);
                }
                i += 2;
                continue;
            }
            '\'' if !dq && !bq => sq = !sq,
            '"' if !sq && !bq => dq = !dq,
            '`' if !sq => bq = !bq,
            '(' if !sq && !dq && !bq => paren += 1,
            ')' if !sq && !dq && !bq => paren -= 1,
            '[' if top && chars.get(i + 1) == Some(&'[') && boundary(i) => cond += 1,
            ']' if top
                && cond > 0
                && chars.get(i + 1) == Some(&']')
                && chars
                    .get(i + 2)
                    .is_none_or(|n| n.is_whitespace() || ";&|)".contains(*n)) =>
            {
                cond -= 1;
                cur.push_str("]]");
                i += 2;
                continue;
            }
            '&' | '|'
                if top && cond == 0 && how == Split::AndOr && chars.get(i + 1) == Some(&c) =>
            {
                out.push((
                    std::mem::take(&mut cur),
                    if c == '&' { Sep::And } else { Sep::Or },
                ));
                i += 2;
                continue;
            }
            '|' if top && cond == 0 && how == Split::Pipe => {
                if chars.get(i + 1) == Some(&'|') {
                    cur.push_str("||");
                    i += 2;
                    continue;
                }
                out.push((std::mem::take(&mut cur), Sep::Seq));
                i += 1;
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

    /// A host named like a StatefulSet pod, with files.
    #[derive(Default)]
    struct Pod {
        name: String,
        files: BTreeMap<String, String>,
    }

    impl ShellHost for Pod {
        fn hostname(&self) -> String {
            self.name.clone()
        }
        fn fqdn(&self) -> String {
            format!("{}.mysql.default.svc.cluster.local", self.name)
        }
        fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String> {
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
        fn list_dir(&self, path: &str) -> Result<Vec<String>, String> {
            let prefix = format!("{}/", path.trim_end_matches('/'));
            Ok(self
                .files
                .keys()
                .filter_map(|k| k.strip_prefix(&prefix))
                .map(|r| r.split('/').next().unwrap_or(r).to_string())
                .collect())
        }
        fn resolve(&self, _: &str) -> Vec<(String, String)> {
            vec![]
        }
        fn remove_file(&mut self, path: &str) -> Result<(), String> {
            self.files
                .remove(path)
                .map(|_| ())
                .ok_or_else(|| "No such file or directory".into())
        }
    }

    /// The MySQL tutorial's `init-mysql` container (application/mysql/mysql-statefulset.yaml).
    const INIT_MYSQL: &str = "set -ex\n# Generate mysql server-id from pod ordinal index.\n[[ `hostname` =~ -([0-9]+)$ ]] || exit 1\nordinal=${BASH_REMATCH[1]}\necho [mysqld] > /mnt/conf.d/server-id.cnf\n# Add an offset to avoid reserved server-id=0 value.\necho server-id=$((100 + $ordinal)) >> /mnt/conf.d/server-id.cnf\n# Copy appropriate conf.d files from config-map to emptyDir.\nif [[ $ordinal -eq 0 ]]; then\n  cp /mnt/config-map/primary.cnf /mnt/conf.d/\nelse\n  cp /mnt/config-map/replica.cnf /mnt/conf.d/\nfi\n";

    fn mysql_pod(name: &str) -> Pod {
        let mut p = Pod {
            name: name.into(),
            ..Default::default()
        };
        for f in ["primary", "replica"] {
            p.files.insert(
                format!("/mnt/config-map/{f}.cnf"),
                format!("[mysqld]\n{f}\n"),
            );
        }
        p
    }

    #[test]
    fn mysql_init_script_runs_and_traces_as_bash_does() {
        let mut h = mysql_pod("mysql-1");
        let r = run_argv(&["bash".into(), "-c".into(), INIT_MYSQL.into()], &mut h);
        assert_eq!(
            (r.exit_code, r.unsupported.as_deref()),
            (0, None),
            "{}",
            r.stderr
        );
        assert_eq!(
            r.stderr,
            "++ hostname\n+ [[ mysql-1 =~ -([0-9]+)$ ]]\n+ ordinal=1\n+ echo '[mysqld]'\n+ echo server-id=101\n+ [[ 1 -eq 0 ]]\n+ cp /mnt/config-map/replica.cnf /mnt/conf.d/\n"
        );
        assert_eq!(
            h.files.get("/mnt/conf.d/server-id.cnf").map(String::as_str),
            Some("[mysqld]\nserver-id=101\n")
        );
        assert_eq!(
            h.files.get("/mnt/conf.d/replica.cnf").map(String::as_str),
            Some("[mysqld]\nreplica\n")
        );
        assert!(!h.files.contains_key("/mnt/conf.d/primary.cnf"));
        let mut h = mysql_pod("mysql-0");
        let r = run_argv(&["bash".into(), "-c".into(), INIT_MYSQL.into()], &mut h);
        assert_eq!(r.exit_code, 0);
        assert!(h.files.contains_key("/mnt/conf.d/primary.cnf"));
        assert!(r.stderr.contains("+ echo server-id=100\n+ [[ 0 -eq 0 ]]\n"));
        // A hostname without an ordinal: the regex fails, `|| exit 1` ends the script.
        let mut h = mysql_pod("mysql");
        let r = run_argv(&["bash".into(), "-c".into(), INIT_MYSQL.into()], &mut h);
        assert_eq!(r.exit_code, 1);
        assert_eq!(
            r.stderr,
            "++ hostname\n+ [[ mysql =~ -([0-9]+)$ ]]\n+ exit 1\n"
        );
    }

    #[test]
    fn set_e_spares_failures_before_the_last_and_or() {
        let mut h = mysql_pod("mysql-0");
        let r = run_script(
            "set -e\n[[ -d /var/lib/mysql/mysql ]] && exit 0\necho next\nfalse\necho never",
            Flavor::Bash,
            &mut h,
        );
        assert_eq!((r.stdout.as_str(), r.exit_code), ("next\n", 1));
        h.files
            .insert("/var/lib/mysql/mysql/user.frm".into(), String::new());
        let r = run_script(
            "set -e\n[[ -d /var/lib/mysql/mysql ]] && exit 0\necho next",
            Flavor::Bash,
            &mut h,
        );
        assert_eq!((r.stdout.as_str(), r.exit_code), ("", 0));
    }

    #[test]
    fn arithmetic_expansion() {
        let mut h = mysql_pod("mysql-2");
        let r = run_script(
            "o=2; echo $((100 + $o)) $(( (o-1) * 3 % 4 )) $((o > 1 && o != 5)) $((-o)) $((7/2))",
            Flavor::Bash,
            &mut h,
        );
        assert_eq!(r.stdout, "102 3 1 -2 3\n");
        let r = run_script("echo $((1 / 0)); echo after", Flavor::Bash, &mut h);
        assert_eq!(r.stdout, "after\n");
        assert!(r.stderr.contains("division by 0"), "{}", r.stderr);
        let r = run_script("echo $((1 +))", Flavor::Bash, &mut h);
        assert_eq!(r.exit_code, 1);
        // Deep nesting is bounded, not a stack overflow.
        let deep = format!("echo $(({}1{}))", "(".repeat(5000), ")".repeat(5000));
        let r = run_script(&deep, Flavor::Bash, &mut h);
        assert_eq!(r.exit_code, 1);
        assert!(r.stderr.contains("recursion"), "{}", r.stderr);
    }

    #[test]
    fn conditional_command_operators_and_rematch() {
        let mut h = mysql_pod("mysql-2");
        let r = run_script(
            "set -x; [[ abc == a* && 3 -gt 2 ]] && echo glob; [[ x =~ [ ]]; echo $?; [[ 'mysql-0-bin.000003\t154' =~ ^(.*?)[[:space:]]+(.*?)$ ]]; echo ${BASH_REMATCH[1]}/${BASH_REMATCH[2]}/${#BASH_REMATCH}; [[ ! -f /nope || -z \"\" ]] && echo or",
            Flavor::Bash,
            &mut h,
        );
        assert_eq!(r.stdout, "glob\n2\nmysql-0-bin.000003/154/22\nor\n");
        assert!(
            r.stderr
                .starts_with("+ [[ abc == a* ]]\n+ [[ 3 -gt 2 ]]\n+ echo glob\n+ [[ x =~ [ ]]\n"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("+ [[ ! -f /nope ]]\n+ echo or\n"),
            "{}",
            r.stderr
        );
        // Unbalanced or malformed conditions are errors, not panics.
        for bad in [
            "[[ a",
            "[[ ]]",
            "[[ a b c d ]]",
            "[[ -q x ]]",
            "[[ a -eq ]]",
        ] {
            let r = run_script(bad, Flavor::Bash, &mut h);
            assert_eq!(r.exit_code, 2, "{bad}: {}", r.stderr);
        }
    }

    #[test]
    fn backquotes_pipes_cd_files_and_sed() {
        let mut h = mysql_pod("mysql-2");
        h.files.insert(
            "/var/lib/mysql/xtrabackup_slave_info".into(),
            "CHANGE MASTER TO MASTER_LOG_FILE='b.3', MASTER_LOG_POS=154;\n".into(),
        );
        let script = "set -ex\ncd /var/lib/mysql\nif [[ -f xtrabackup_slave_info && \"x$(<xtrabackup_slave_info)\" != \"x\" ]]; then\n  cat xtrabackup_slave_info | sed -E 's/;$//g' > change_master_to.sql.in\n  rm -f xtrabackup_slave_info xtrabackup_binlog_info\nfi\nmv change_master_to.sql.in change_master_to.sql.orig\necho `echo a \\`hostname\\``";
        let r = run_script(script, Flavor::Bash, &mut h);
        assert_eq!(r.exit_code, 0, "{}", r.stderr);
        assert_eq!(
            h.files
                .get("/var/lib/mysql/change_master_to.sql.orig")
                .map(String::as_str),
            Some("CHANGE MASTER TO MASTER_LOG_FILE='b.3', MASTER_LOG_POS=154\n")
        );
        assert!(!h.files.contains_key("/var/lib/mysql/xtrabackup_slave_info"));
        assert!(
            !h.files
                .contains_key("/var/lib/mysql/change_master_to.sql.in")
        );
        assert_eq!(r.stdout, "a mysql-2\n");
        assert!(
            r.stderr
                .contains("+ cat xtrabackup_slave_info\n+ sed -E 's/;$//g'\n"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains(
                "+ [[ xCHANGE MASTER TO MASTER_LOG_FILE='b.3', MASTER_LOG_POS=154; != x ]]\n"
            ),
            "{}",
            r.stderr
        );
        let r = run_script("cp /nope /x; rm /nope; cd /nope", Flavor::Bash, &mut h);
        assert_eq!(
            r.stderr,
            "cp: cannot stat '/nope': No such file or directory\nrm: cannot remove '/nope': No such file or directory\nbash: cd: /nope: No such file or directory\n"
        );
        // Output is ordered as written: a log interleaves the trace and stdout.
        let r = run_script("set -x; echo one; echo two", Flavor::Bash, &mut h);
        assert_eq!(r.combined, "+ echo one\none\n+ echo two\ntwo\n");
    }

    #[test]
    fn hostile_scripts_end_quickly_without_a_panic() {
        let mut h = mysql_pod("mysql-1");
        let deep_if = format!(
            "{}echo x{}",
            "if true; then ".repeat(200),
            "; fi".repeat(200)
        );
        let r = run_script(&deep_if, Flavor::Bash, &mut h);
        assert_eq!(r.exit_code, 2, "{}", r.stderr);
        let deep_loop = format!(
            "{}echo x{}",
            "while true; do ".repeat(200),
            "; done".repeat(200)
        );
        let r = run_script(&deep_loop, Flavor::Bash, &mut h);
        assert_ne!(r.exit_code, 0);
        // A glob that backtracks exponentially in a naive matcher.
        let r = run_script(
            &format!(
                "[[ {}b == {}c ]]; echo $?",
                "a".repeat(3000),
                "*a".repeat(40)
            ),
            Flavor::Bash,
            &mut h,
        );
        assert_eq!(r.stdout, "1\n");
        let r = run_script(
            &format!("echo ${{{}x}}", "#".repeat(20_000)),
            Flavor::Bash,
            &mut h,
        );
        assert_eq!(r.exit_code, 0);
        for junk in [
            "[[",
            "]]",
            "$((",
            "`",
            "$(",
            "| |",
            "until",
            "do done",
            "a=$((1<<2))",
            "echo ${A[",
            "cd",
            "cp",
            "sed",
            "sed s",
            "ls -l /nope",
        ] {
            let _ = run_script(junk, Flavor::Bash, &mut h);
        }
    }

    #[test]
    fn loops_run_and_are_bounded() {
        let mut h = mysql_pod("mysql-1");
        let r = run_script(
            "i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done; until true; do echo no; done",
            Flavor::Bash,
            &mut h,
        );
        assert_eq!((r.stdout.as_str(), r.exit_code), ("0\n1\n2\n", 0));
        // `sleep` passes no time: a loop that never ends is stopped, with our message.
        let r = run_script(
            "until false; do sleep 1; done; echo after",
            Flavor::Bash,
            &mut h,
        );
        assert_eq!(r.exit_code, 1);
        assert_eq!(r.stdout, "");
        assert!(
            r.stderr.starts_with("stsplay: the script ran more than"),
            "{}",
            r.stderr
        );
        let r = run_script("while true; do echo x", Flavor::Bash, &mut h);
        assert_eq!(r.exit_code, 2);
    }

    #[test]
    fn quoting_matches_bash_xtrace() {
        assert_eq!(quote("hostname"), "hostname");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote(""), "''");
    }
}
