//! [`Session`]: one playground — a simulated cluster, a virtual file system, learner hints —
//! driven one command line at a time (`runner`: `run_line`, `run_script`). No IO: files come
//! through a [`crate::fs::FileSource`].

use std::collections::BTreeMap;

use sim::cluster::{Cluster, ClusterConfig};

use crate::fs::{MAX_FILE_BYTES, MAX_FILES, VirtualFs, normalize};
use crate::out::HOST_PROMPT;

/// The seed manifests every new session starts with (`sts.yaml`, `svc.yaml`).
pub const SEED_STS: &str = include_str!("../seed/sts.yaml");
pub const SEED_SVC: &str = include_str!("../seed/svc.yaml");

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

/// What the apiserver answers a PersistentVolumeClaim create (`ValidatePersistentVolumeClaim`),
/// for the sim's store: intake's rules and messages. The StatefulSet controller's claims go
/// through it: a claim template the v1.28 apiserver let through at StatefulSet create (no
/// access modes) ends in `FailedCreate` events, as on a real v1.28 cluster.
pub fn apiserver_claim_validation(
    claim: &k8s_openapi::api::core::v1::PersistentVolumeClaim,
) -> Result<(), String> {
    match intake::validate_claim(claim) {
        Some(message) => Err(message),
        None => Ok(()),
    }
}

/// One playground.
pub struct Session {
    pub(crate) cluster: Cluster,
    pub(crate) fs: VirtualFs,
    /// The line run replaces the files instead of adding to them (`sim example`).
    pub(crate) replace_files: bool,
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
    pub(crate) attached: Option<crate::attached::Attached>,
    /// The tour being walked (`sim tour NAME`).
    pub(crate) tour: Option<crate::tour_format::TourState>,
    /// The browser's live watches (`get -w` in its own pane; off in the CLI).
    pub(crate) live: crate::watch::LiveWatches,
    /// A StatefulSet has existed in this session (hints must not say "yet" after the learner
    /// deleted their own).
    pub(crate) statefulset_seen: bool,
    /// This session is `sim export-kind`'s replay of another one's log: a `sim export-kind` it
    /// runs (a line of its own, or in a pipeline or a list) writes nothing, since exporting
    /// here would replay the log again, and again (a stack overflow the `command_line` fuzzer
    /// found).
    pub(crate) exporting: bool,
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

    /// The apiserver's pod and claim validation are intake's unless `cfg` brings its own
    /// ([`apiserver_pod_validation`], [`apiserver_claim_validation`]).
    pub fn with_config(mut cfg: ClusterConfig) -> Self {
        cfg.pod_validator
            .get_or_insert(sim::store::PodValidator(apiserver_pod_validation));
        cfg.claim_validator
            .get_or_insert(sim::store::ClaimValidator(apiserver_claim_validation));
        let mut fs = VirtualFs::default();
        fs.files.insert("sts.yaml".into(), SEED_STS.into());
        fs.files.insert("svc.yaml".into(), SEED_SVC.into());
        Session {
            cluster: Cluster::new(cfg.clone()),
            fs,
            replace_files: false,
            hints: true,
            cfg,
            seed_files: ("svc.yaml".into(), "sts.yaml".into()),
            vars: BTreeMap::new(),
            last_status: 0,
            log: Vec::new(),
            attached: None,
            tour: None,
            live: crate::watch::LiveWatches::default(),
            statefulset_seen: false,
            exporting: false,
        }
    }

    /// Every non-blank line this session ran ([`Session::run_line`], [`Session::run_line_with`],
    /// scripts), complete and in order, as typed: never truncated or de-duplicated. Replaying
    /// it in a fresh session with the same configuration and files reproduces the session
    /// (the simulation is deterministic). Lines typed into an attached container shell are in
    /// it too; the commands a tour step runs are not (the `sim tour next` that ran them is).
    pub fn command_log(&self) -> &[String] {
        &self.log
    }

    /// Let `kubectl get -w` open a live watch that stays open (the browser's watch pane)
    /// instead of streaming until the simulation settles (the CLI, transcripts).
    pub fn set_live_watches(&mut self, on: bool) {
        self.live.on = on;
    }

    /// The live watches, oldest first.
    pub fn live_watches(&self) -> &[crate::watch::LiveWatch] {
        &self.live.list
    }

    /// Changes whenever a live watch opens, closes or prints.
    pub fn live_watches_version(&self) -> u64 {
        self.live.version
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
}
