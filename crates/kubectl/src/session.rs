//! [`Session`]: one playground — a simulated cluster, a virtual file system, learner hints —
//! driven one command line at a time. No IO: files come through [`FileSource`].

use std::collections::BTreeMap;

use sim::cluster::{Cluster, ClusterConfig};
use sim::time::SimTime;

/// The seed manifests every new session starts with (`sts.yaml`, `svc.yaml`).
pub const SEED_STS: &str = include_str!("../seed/sts.yaml");
pub const SEED_SVC: &str = include_str!("../seed/svc.yaml");

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FsEntry {
    File(String),
    /// A directory: the paths of its entries (files only), sorted.
    Dir(Vec<String>),
}

/// Where `-f PATH` reads from: the browser's virtual files or the CLI's real ones.
pub trait FileSource {
    /// `Err` carries the message kubectl prints (`the path "x" does not exist`).
    fn read(&self, path: &str) -> Result<FsEntry, String>;
}

/// An in-memory file system (name → text); directories are name prefixes ending in `/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VirtualFs {
    pub files: BTreeMap<String, String>,
}

/// Largest file the virtual file system keeps.
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// Most files it keeps.
pub const MAX_FILES: usize = 256;

fn normalize(path: &str) -> String {
    let p = path.strip_prefix("./").unwrap_or(path);
    p.trim_end_matches('/').to_string()
}

impl FileSource for VirtualFs {
    fn read(&self, path: &str) -> Result<FsEntry, String> {
        let p = normalize(path);
        if let Some(t) = self.files.get(&p) {
            return Ok(FsEntry::File(t.clone()));
        }
        let prefix = if p.is_empty() || p == "." {
            String::new()
        } else {
            format!("{p}/")
        };
        let entries: Vec<String> = self
            .files
            .keys()
            .filter(|k| {
                k.starts_with(&prefix)
                    && k.get(prefix.len()..)
                        .is_some_and(|rest| !rest.contains('/'))
            })
            .cloned()
            .collect();
        if entries.is_empty() {
            return Err(format!("the path \"{path}\" does not exist"));
        }
        Ok(FsEntry::Dir(entries))
    }
}

/// The output of one line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineOutput {
    /// What the command wrote to stdout (after pipes).
    pub stdout: String,
    /// What it wrote to stderr.
    pub stderr: String,
    /// Exit status 0.
    pub ok: bool,
    /// Our learner hints (without the `hint: ` prefix); empty when hints are off.
    pub hints: Vec<String>,
    /// stdout and stderr in the order they were written, then `hint: …` lines: what a
    /// terminal shows.
    pub combined: String,
    /// `kubectl edit`: the object's YAML for the editor (browser) as (file name, text).
    pub edit: Option<(String, String)>,
    /// The prompt to show before the next line: `$ ` on the host, the container shell's prompt
    /// (busybox: `/ # `) while `kubectl run -i --tty` is attached ([`Session::prompt`]).
    pub prompt: String,
}

/// The host shell's prompt.
pub const HOST_PROMPT: &str = "$ ";

/// A script's transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    /// `$ LINE` then its output, for each line run.
    pub text: String,
    /// Every line succeeded.
    pub ok: bool,
    /// 1-based numbers of the lines that failed.
    pub failed_lines: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    Out,
    Err,
}

/// Output being built by a command.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub chunks: Vec<(Stream, String)>,
    pub hints: Vec<String>,
    pub failed: bool,
    pub edit: Option<(String, String)>,
}

impl Out {
    pub fn out(&mut self, s: impl Into<String>) {
        let s = s.into();
        if !s.is_empty() {
            self.chunks.push((Stream::Out, s));
        }
    }
    pub fn outln(&mut self, s: impl AsRef<str>) {
        self.out(format!("{}\n", s.as_ref()));
    }
    pub fn err(&mut self, s: impl AsRef<str>) {
        self.chunks.push((Stream::Err, format!("{}\n", s.as_ref())));
    }
    /// Raw stderr text (newline handling left to the caller).
    pub fn chunks_err_raw(&mut self, s: impl Into<String>) {
        let s = s.into();
        if !s.is_empty() {
            self.chunks.push((Stream::Err, s));
        }
    }
    /// An error line; the command fails.
    pub fn fail(&mut self, s: impl AsRef<str>) {
        self.err(s);
        self.failed = true;
    }
    pub fn hint(&mut self, s: impl Into<String>) {
        self.hints.push(s.into());
    }
}

/// Bounds on how far a single command may run the simulation.
pub const MAX_WATCH_STEPS: usize = 3000;
/// Simulated time a `get -w` / `rollout status` / waiting `delete` may cover.
pub const MAX_WATCH_MS: SimTime = 15 * 60 * 1000;
/// Steps for `sim settle`.
pub const MAX_SETTLE_STEPS: usize = 20_000;

/// What the apiserver answers a Pod create (`ValidatePodCreate`), for the sim's store: intake's
/// rules and messages (`Pod "web-0" is invalid: spec.containers[0].volumeMounts[0].name: Not
/// found: "www"`). The StatefulSet controller's pods go through it, so a template the
/// StatefulSet validation lets through ends in `FailedCreate` events, as on a real cluster.
pub fn apiserver_pod_validation(pod: &k8s_openapi::api::core::v1::Pod) -> Result<(), String> {
    match intake::validate_pod(pod) {
        Some(message) => Err(message),
        None => Ok(()),
    }
}

/// One playground.
pub struct Session {
    pub(crate) cluster: Cluster,
    pub(crate) fs: VirtualFs,
    pub(crate) hints: bool,
    pub(crate) cfg: ClusterConfig,
    /// How learner hints name the seed's Service and StatefulSet manifests: the browser's
    /// virtual files by default, the repository's `examples/seed/` files in the CLI.
    pub(crate) seed_files: (String, String),
    /// The host shell's variables (`i=0`, the loop variable of `for`), kept for the session as
    /// an interactive shell keeps them, and the status of the last command (`$?`).
    pub(crate) vars: BTreeMap<String, String>,
    pub(crate) last_status: i32,
    /// Every line run, in order ([`Session::command_log`]).
    pub(crate) log: Vec<String>,
    /// The container shell `kubectl run -i --tty` attached the console to.
    pub(crate) attached: Option<crate::console::Attached>,
    /// The tour being walked (`sim tour NAME`).
    pub(crate) tour: Option<crate::tour::TourState>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// A fresh kind cluster (v1.35, one node) with `sts.yaml` and `svc.yaml` in the virtual FS.
    pub fn new() -> Self {
        Self::with_config(ClusterConfig::default())
    }

    /// The apiserver's pod validation is intake's unless `cfg` brings its own
    /// ([`apiserver_pod_validation`]).
    pub fn with_config(mut cfg: ClusterConfig) -> Self {
        cfg.pod_validator
            .get_or_insert(sim::store::PodValidator(apiserver_pod_validation));
        let mut fs = VirtualFs::default();
        fs.files.insert("sts.yaml".into(), SEED_STS.into());
        fs.files.insert("svc.yaml".into(), SEED_SVC.into());
        Session {
            cluster: Cluster::new(cfg.clone()),
            fs,
            hints: true,
            cfg,
            seed_files: ("svc.yaml".into(), "sts.yaml".into()),
            vars: BTreeMap::new(),
            last_status: 0,
            log: Vec::new(),
            attached: None,
            tour: None,
        }
    }

    /// Every non-blank line this session ran ([`Session::run_line`], [`Session::run_line_with`],
    /// scripts), complete and in order, as typed: never truncated or de-duplicated. Replaying
    /// it in a fresh session with the same configuration and files reproduces the session
    /// (the simulation is deterministic). Lines typed into an attached container shell are in
    /// it too.
    pub fn command_log(&self) -> &[String] {
        &self.log
    }

    /// The prompt for the next line: [`HOST_PROMPT`], or the attached container shell's.
    pub fn prompt(&self) -> &str {
        match &self.attached {
            Some(a) => &a.prompt,
            None => HOST_PROMPT,
        }
    }

    /// The pod whose shell the console is attached to (`kubectl run -i --tty`), as
    /// (namespace, name).
    pub fn attached_to(&self) -> Option<(&str, &str)> {
        self.attached
            .as_ref()
            .map(|a| (a.ns.as_str(), a.pod.as_str()))
    }

    /// A host shell variable.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Write a file of the virtual file system (the browser's editor).
    pub fn set_file(&mut self, name: &str, text: &str) {
        if text.len() > MAX_FILE_BYTES {
            return;
        }
        let key = normalize(name);
        if !self.fs.files.contains_key(&key) && self.fs.files.len() >= MAX_FILES {
            return;
        }
        self.fs.files.insert(key, text.to_string());
    }

    /// The cluster configuration this session was made with.
    pub fn config(&self) -> &ClusterConfig {
        &self.cfg
    }

    pub fn files(&self) -> &VirtualFs {
        &self.fs
    }

    pub fn cluster(&self) -> &sim::cluster::Cluster {
        &self.cluster
    }

    pub fn cluster_mut(&mut self) -> &mut sim::cluster::Cluster {
        &mut self.cluster
    }

    /// Name the seed manifests in hints by these paths (the CLI reads real files:
    /// `examples/seed/service.yaml`, `examples/seed/sts.yaml`).
    pub fn set_seed_files(&mut self, service: &str, statefulset: &str) {
        self.seed_files = (service.to_string(), statefulset.to_string());
    }

    /// The line that applies the seed, as hints print it.
    pub fn seed_apply_line(&self) -> String {
        format!(
            "kubectl apply -f {} -f {}",
            self.seed_files.0, self.seed_files.1
        )
    }

    pub fn hints_enabled(&self) -> bool {
        self.hints
    }

    pub fn set_hints(&mut self, on: bool) {
        self.hints = on;
    }

    /// Run one line, reading `-f` files from the virtual file system.
    pub fn run_line(&mut self, line: &str) -> LineOutput {
        // Lend the files to the command without copying them; files the command writes
        // (`kubectl edit`) land in the emptied slot and are merged back.
        let fs = std::mem::take(&mut self.fs);
        let out = self.run_line_with(line, &fs);
        let written = std::mem::replace(&mut self.fs, fs);
        for (name, text) in written.files {
            self.set_file(&name, &text);
        }
        out
    }

    /// Run one line, reading `-f` files from `files` (the CLI passes the real file system).
    /// The line is a host shell program ([`crate::sh`]) or, while a container shell is
    /// attached, a line for that shell; it is appended to [`Session::command_log`].
    pub fn run_line_with(&mut self, line: &str, files: &dyn FileSource) -> LineOutput {
        crate::console::run_line(self, line, files)
    }

    pub(crate) fn finish(&self, out: Out, pipes: &[crate::parse::Pipe]) -> LineOutput {
        let mut stdout = String::new();
        let mut stderr = String::new();
        let mut combined = String::new();
        for (s, t) in &out.chunks {
            match s {
                Stream::Out => stdout.push_str(t),
                Stream::Err => stderr.push_str(t),
            }
        }
        let mut ok = !out.failed;
        if pipes.is_empty() {
            for (_, t) in &out.chunks {
                combined.push_str(t);
            }
        } else {
            match crate::pipe::run_pipes(stdout, pipes) {
                Ok((piped, pipe_ok)) => {
                    stdout = piped;
                    ok = pipe_ok;
                }
                Err(e) => {
                    stdout = String::new();
                    stderr.push_str(&e);
                    stderr.push('\n');
                    ok = false;
                }
            }
            combined.push_str(&stderr);
            combined.push_str(&stdout);
        }
        let hints = if self.hints { out.hints } else { Vec::new() };
        for h in &hints {
            combined.push_str("hint: ");
            combined.push_str(h);
            combined.push('\n');
        }
        LineOutput {
            stdout,
            stderr,
            ok,
            hints,
            combined,
            edit: out.edit,
            prompt: self.prompt().to_string(),
        }
    }

    /// Run a script from the virtual file system; see [`Session::run_script_with`].
    pub fn run_script(&mut self, text: &str) -> Transcript {
        let fs = std::mem::take(&mut self.fs);
        let t = self.run_script_with(text, &fs, true);
        let written = std::mem::replace(&mut self.fs, fs);
        for (name, text) in written.files {
            self.set_file(&name, &text);
        }
        t
    }

    /// Run every line of `text`: each command line is echoed as `$ LINE` followed by what the
    /// terminal would show; comment lines are echoed as they are. Stops after the first failing
    /// line unless `keep_going`.
    pub fn run_script_with(
        &mut self,
        text: &str,
        files: &dyn FileSource,
        keep_going: bool,
    ) -> Transcript {
        let mut t = Transcript {
            ok: true,
            ..Transcript::default()
        };
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            if trimmed.starts_with('#') {
                t.text.push_str(trimmed);
                t.text.push('\n');
                continue;
            }
            t.text.push_str(self.prompt());
            t.text.push_str(trimmed);
            t.text.push('\n');
            let o = self.run_line_with(trimmed, files);
            t.text.push_str(&o.combined);
            // Output without a final newline (e.g. `-o jsonpath`) would run into the next
            // `$ ` prompt line; a terminal shows the prompt on a new line too.
            if !o.combined.is_empty() && !o.combined.ends_with('\n') {
                t.text.push('\n');
            }
            if !o.ok {
                t.ok = false;
                t.failed_lines.push(i + 1);
                if !keep_going {
                    break;
                }
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_writes_into_the_virtual_fs_and_keeps_the_seed() {
        let mut s = Session::new();
        s.run_line("kubectl apply -f svc.yaml");
        let o = s.run_line("kubectl edit svc nginx-headless");
        let (name, text) = o.edit.unwrap();
        assert_eq!(name, "service-nginx-headless.yaml");
        assert!(text.contains("clusterIP: None"));
        assert!(s.files().files.contains_key("sts.yaml"));
        assert_eq!(s.files().files.get(&name), Some(&text));
        // The live object differs from svc.yaml as written, so its last-applied record
        // changes once ("configured", as a real `kubectl apply` of a dumped object does);
        // applying it again changes nothing.
        let o = s.run_line(&format!("kubectl apply -f {name}"));
        assert_eq!(o.stdout, "service/nginx-headless configured\n");
        let o = s.run_line(&format!("kubectl apply -f {name}"));
        assert_eq!(o.stdout, "service/nginx-headless unchanged\n");
    }

    #[test]
    fn virtual_fs_files_and_dirs() {
        let mut fs = VirtualFs::default();
        fs.files.insert("a.yaml".into(), "x".into());
        fs.files.insert("d/b.yaml".into(), "y".into());
        fs.files.insert("d/e/c.yaml".into(), "z".into());
        assert_eq!(fs.read("./a.yaml"), Ok(FsEntry::File("x".into())));
        assert_eq!(fs.read("d/"), Ok(FsEntry::Dir(vec!["d/b.yaml".into()])));
        assert_eq!(
            fs.read("nope.yaml"),
            Err("the path \"nope.yaml\" does not exist".into())
        );
    }
}
