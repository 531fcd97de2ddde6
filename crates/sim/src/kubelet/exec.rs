//! `kubectl logs` and `kubectl exec`: a container's log, and commands run in a container by the
//! tiny shell (`crate::shell`) against the pod's files (its volumes and its own filesystem),
//! the cluster DNS and HTTP to the pods' nginx.

use k8s_openapi::api::core::v1::{Container, Pod};

use super::pod::*;
use crate::command::{ExecOutput, SimError};
use crate::shell::{self, ShellHost};
use crate::state::State;
use crate::store::{ApiError, Store};
use crate::time::{SimTime, to_k8s_time};
use crate::volumes::{self, FileStore};

/// Run a container's process at start: init scripts write files and produce logs. Returns the
/// exit code when the process ends by itself (init containers, scripts that exit), else 0.
pub(super) fn run_container(
    st: &mut State,
    pod: &Pod,
    uid: &str,
    c: &Container,
    init: bool,
) -> i32 {
    let mut argv: Vec<String> = c.command.clone().unwrap_or_default();
    argv.extend(c.args.clone().unwrap_or_default());
    let now = st.now;
    let mut log = String::new();
    let code = if argv.is_empty() {
        let image = c.image.as_deref().unwrap_or("");
        if image.starts_with("nginx") {
            log.push_str(&nginx_log(now, image));
        } else if crate::programs::image_repo(image) == "mysql" {
            let mut host = Host::new(&st.store, &mut st.rt.files, pod, uid, &c.name, now);
            log.push_str(&crate::programs::mysql_entrypoint(&mut shell::ProgramVia(
                &mut host,
            )));
        }
        0
    } else {
        let r = {
            let mut host = Host::new(&st.store, &mut st.rt.files, pod, uid, &c.name, now);
            shell::run_argv(&argv, &mut host)
        };
        // A container's log is its stdout and stderr in the order written.
        log.push_str(&r.combined);
        if let Some(u) = &r.unsupported {
            // Ours, so that the log says why the command printed nothing more.
            log.push_str(&format!(
                "stsplay: `{u}` is not simulated in this playground's containers\n"
            ));
        }
        let long_running = r.foreground
            || argv.iter().any(|a| {
                [
                    "sleep",
                    "tail -f",
                    "nginx",
                    "exec ",
                    "while true",
                    "while :",
                    // ends by running the server in the foreground (`programs.rs`)
                    "start-zookeeper",
                ]
                .iter()
                .any(|k| a.contains(k))
            });
        if init {
            if r.unsupported.is_some() {
                0
            } else {
                r.exit_code
            }
        } else if r.unsupported.is_some() || long_running {
            0
        } else if r.exit_code == 0 {
            // A main container whose script ends exits 0 ("Completed") and is restarted.
            i32::MIN
        } else {
            r.exit_code
        }
    };
    // Logs show the current run only (like `kubectl logs` without -p).
    let mut entry = String::new();
    entry.push_str(&log);
    if entry.len() > MAX_LOG {
        entry.truncate(MAX_LOG);
    }
    st.rt.logs.insert((uid.to_string(), c.name.clone()), entry);
    if code == i32::MIN { 0 } else { code }
}

fn nginx_log(now: SimTime, image: &str) -> String {
    // strftime("%Y/%m/%d %H:%M:%S")
    let c = k8sjson::time::civil(to_k8s_time(now).0);
    let ts = format!("{}/{:02}/{:02} {}", c.year4(), c.month, c.day, c.hms());
    let ver = image.split(':').nth(1).unwrap_or("1.27.0");
    format!(
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n\
/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n\
/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n\
10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n\
10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n\
/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n\
/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n\
/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n\
/docker-entrypoint.sh: Configuration complete; ready for start up\n\
{ts} [notice] 1#1: using the \"epoll\" event method\n\
{ts} [notice] 1#1: nginx/{ver}\n\
{ts} [notice] 1#1: start worker processes\n\
{ts} [notice] 1#1: start worker process 29\n"
    )
}

/// `kubectl logs`.
pub(crate) fn logs(
    st: &State,
    ns: &str,
    pod: &str,
    container: Option<&str>,
) -> Result<String, SimError> {
    let p = st.store.get::<Pod>(ns, pod).ok_or_else(|| {
        SimError::Api(ApiError::NotFound {
            resource: "pods",
            name: pod.to_string(),
        })
    })?;
    let uid = p.metadata.uid.clone().unwrap_or_default();
    let name = match container {
        Some(c) => c.to_string(),
        None => containers(p, false)
            .first()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    };
    let is_init = containers(p, true).iter().any(|c| c.name == name);
    if !is_init && !containers(p, false).iter().any(|c| c.name == name) {
        return Err(SimError::Api(ApiError::BadRequest {
            message: format!("container {name} is not valid for pod {pod}"),
        }));
    }
    let cs = p
        .status
        .as_ref()
        .and_then(|s| {
            if is_init {
                s.init_container_statuses.as_ref()
            } else {
                s.container_statuses.as_ref()
            }
        })
        .and_then(|v| v.iter().find(|c| c.name == name));
    let waiting = cs
        .and_then(|c| c.state.as_ref())
        .and_then(|s| s.waiting.as_ref())
        .and_then(|w| w.reason.clone());
    let ever_ran = cs.is_some_and(|c| c.restart_count > 0 || c.container_id.is_some());
    if cs.is_none() || (waiting.is_some() && !ever_ran) {
        let reason = waiting.unwrap_or_else(|| "ContainerCreating".into());
        return Err(SimError::Api(ApiError::BadRequest {
            message: format!("container \"{name}\" in pod \"{pod}\" is waiting to start: {reason}"),
        }));
    }
    let mut log = st
        .rt
        .logs
        .get(&(uid, name.clone()))
        .cloned()
        .unwrap_or_default();
    // The ZooKeeper server logs every probe connection: written as the log is read.
    let spec = containers(p, false).iter().find(|c| c.name == name);
    let running_since = cs
        .and_then(|c| c.state.as_ref())
        .and_then(|s| s.running.as_ref())
        .and_then(|r| r.started_at.as_ref())
        .map(crate::time::from_k8s_time);
    if let (Some(c), Some(started)) = (spec, running_since)
        && crate::programs::image_repo(c.image.as_deref().unwrap_or("")) == "kubernetes-zookeeper"
    {
        let secs = |v: Option<i32>, d: i32| u64::try_from(v.unwrap_or(d)).unwrap_or(0) * 1000;
        let mut probes: Vec<(SimTime, SimTime)> = Vec::new();
        for p in [&c.readiness_probe, &c.liveness_probe]
            .into_iter()
            .flatten()
        {
            if p.exec.is_some() {
                probes.push((secs(p.initial_delay_seconds, 0), secs(p.period_seconds, 10)));
            }
        }
        let myid = crate::ordinal::ordinal_suffix(pod).map_or(1, |(_, o)| o.saturating_add(1));
        log.push_str(&crate::programs::zk_probe_log(
            myid, started, st.now, &probes, 100,
        ));
    }
    Ok(log)
}

struct Host<'a> {
    store: &'a Store,
    files: &'a mut FileStore,
    pod: &'a Pod,
    uid: &'a str,
    container: Option<&'a str>,
    /// `kubectl exec -t`: stdout is a terminal.
    tty: bool,
    now: SimTime,
    /// A program ended the container's main process with this exit code (`pkill java`).
    killed: Option<i32>,
    /// How many connections deep this host serves (a server may call its peers): bounded.
    hops: usize,
}

/// How many servers one connection may pass through (client → server → its peers).
const MAX_HOPS: usize = 3;

impl<'a> Host<'a> {
    fn new(
        store: &'a Store,
        files: &'a mut FileStore,
        pod: &'a Pod,
        uid: &'a str,
        container: &'a str,
        now: SimTime,
    ) -> Self {
        Host {
            store,
            files,
            pod,
            uid,
            container: Some(container),
            tty: false,
            now,
            killed: None,
            hops: 0,
        }
    }

    /// When this container's current run started (now, when it is not running).
    fn started_at(&self) -> SimTime {
        self.pod
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|v| v.iter().find(|x| Some(x.name.as_str()) == self.container))
            .and_then(|x| x.state.as_ref())
            .and_then(|s| s.running.as_ref())
            .and_then(|r| r.started_at.as_ref())
            .map(crate::time::from_k8s_time)
            .unwrap_or(self.now)
    }

    fn spec_container(&self) -> Option<&'a Container> {
        self.pod.spec.as_ref().and_then(|s| {
            s.containers
                .iter()
                .chain(s.init_containers.iter().flatten())
                .find(|c| Some(c.name.as_str()) == self.container)
        })
    }
}

impl Host<'_> {
    /// The data of the ConfigMap mounted (as a `configMap` volume) on the directory holding
    /// `path` (the kubelet projects one file per key).
    fn config_map_at(&self, path: &str) -> Option<std::collections::BTreeMap<String, String>> {
        let (dir, _) = path.rsplit_once('/')?;
        let spec = self.pod.spec.as_ref()?;
        let m = self
            .spec_container()?
            .volume_mounts
            .iter()
            .flatten()
            .find(|m| m.mount_path.trim_end_matches('/') == dir)?;
        let v = spec.volumes.iter().flatten().find(|v| v.name == m.name)?;
        let name = &v.config_map.as_ref()?.name;
        let ns = self.pod.metadata.namespace.as_deref().unwrap_or("default");
        let cm = self
            .store
            .get::<k8s_openapi::api::core::v1::ConfigMap>(ns, name)?;
        Some(cm.data.clone().unwrap_or_default())
    }
}

impl<'a> Host<'a> {
    /// The pod a connection from this container to `host` (a name, an IPv4 address, or this
    /// pod's own `localhost`/`127.0.0.1`, and `[::1]` for curl's URLs) reaches: `Ok(None)` when
    /// no live pod has the address, `Err` when the name does not resolve (the first DNS record
    /// is used).
    fn peer_pod(&self, host: &str, v6_loopback: bool) -> Result<Option<&'a Pod>, ()> {
        let pod = self.pod;
        let ip = if host.eq_ignore_ascii_case("localhost")
            || host == "127.0.0.1"
            || (v6_loopback && host == "[::1]")
        {
            pod.status
                .as_ref()
                .and_then(|s| s.pod_ip.clone())
                .unwrap_or_default()
        } else if host.split('.').count() == 4 && host.split('.').all(|o| o.parse::<u8>().is_ok()) {
            host.to_string()
        } else {
            self.resolve(host).into_iter().next().ok_or(())?.1
        };
        let store: &'a Store = self.store;
        Ok(store.list::<Pod>(None).find(|p| {
            p.status.as_ref().and_then(|s| s.pod_ip.as_deref()) == Some(ip.as_str())
                && p.metadata.deletion_timestamp.is_none()
        }))
    }
}

/// Whether the container `name` of `pod` is running.
fn is_running(pod: &Pod, name: &str) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| {
            s.container_statuses
                .iter()
                .chain(s.init_container_statuses.iter())
                .flatten()
                .find(|c| c.name == name)
        })
        .and_then(|c| c.state.as_ref())
        .is_some_and(|s| s.running.is_some())
}

/// Directories every image has (so `cd /tmp` and `[ -d /etc ]` work).
const IMAGE_DIRS: &[&str] = &[
    "/bin", "/etc", "/home", "/lib", "/mnt", "/opt", "/root", "/run", "/sbin", "/srv", "/tmp",
    "/usr", "/usr/bin", "/var", "/var/lib", "/var/log",
];

impl ShellHost for Host<'_> {
    fn is_dir(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        if path.is_empty() || IMAGE_DIRS.contains(&path) {
            return true;
        }
        let mounted = self.spec_container().is_some_and(|c| {
            c.volume_mounts.iter().flatten().any(|m| {
                let mp = m.mount_path.trim_end_matches('/');
                mp == path || mp.starts_with(&format!("{path}/"))
            })
        });
        mounted || self.list_dir(path).is_ok_and(|l| !l.is_empty())
    }
    fn remove_file(&mut self, path: &str) -> Result<(), String> {
        let pl = volumes::place(self.store, self.pod, self.container, path);
        volumes::remove_place(self.files, self.uid, &pl)
    }
    fn now(&self) -> SimTime {
        self.now
    }
    fn kill_main(&mut self, code: i32) {
        self.killed = Some(code);
    }
    fn owner(&self) -> (String, String, bool) {
        let sc = self
            .pod
            .spec
            .as_ref()
            .and_then(|s| s.security_context.as_ref());
        let uid = self
            .spec_container()
            .and_then(|c| c.security_context.as_ref())
            .and_then(|s| s.run_as_user)
            .or_else(|| sc.and_then(|s| s.run_as_user));
        let fs_group = sc.and_then(|s| s.fs_group);
        let image = self.image().unwrap_or_default();
        // The users the images define (uid 1000 is `zookeeper` in the ZooKeeper image).
        let name = |id: Option<i64>| match id {
            None | Some(0) => "root".to_string(),
            Some(1000) if crate::programs::image_repo(&image) == "kubernetes-zookeeper" => {
                "zookeeper".to_string()
            }
            Some(n) => n.to_string(),
        };
        (name(uid), name(fs_group.or(uid)), fs_group.is_some())
    }
    fn started(&self) -> SimTime {
        self.started_at()
    }
    fn processes(&self) -> Vec<crate::programs::Process> {
        let Some(c) = self.spec_container() else {
            return Vec::new();
        };
        let mut argv: Vec<String> = c.command.clone().unwrap_or_default();
        argv.extend(c.args.clone().unwrap_or_default());
        let started = self.started_at();
        let civil = k8sjson::time::civil(to_k8s_time(started).0);
        let stime = format!("{:02}:{:02}", civil.hour, civil.minute);
        // The JVM's CPU time: about a second per minute up.
        let up_min = self.now.saturating_sub(started) / 60_000;
        let cpu = format!("00:{:02}:{:02}", (up_min / 60) % 60, up_min % 60);
        crate::programs::processes_of(c.image.as_deref().unwrap_or(""), &argv, &stime, &cpu)
    }
    fn connect(&mut self, host: &str, port: u16, input: &str) -> Result<String, String> {
        if self.hops >= MAX_HOPS {
            return Err("Connection timed out".into());
        }
        let target = match self.peer_pod(host, false) {
            Ok(Some(p)) => p,
            Ok(None) => return Err("Connection refused".into()),
            Err(()) => return Err(format!("could not resolve {host}")),
        };
        let listening = target.spec.as_ref().and_then(|sp| {
            sp.containers
                .iter()
                .find(|c| {
                    c.ports
                        .iter()
                        .flatten()
                        .any(|p| p.container_port == i32::from(port))
                        && is_running(target, &c.name)
                })
                .map(|c| (c.name.clone(), c.image.clone().unwrap_or_default()))
        });
        let Some((name, image)) = listening else {
            return Err("Connection refused".into());
        };
        let uid = target.metadata.uid.clone().unwrap_or_default();
        let mut peer = Host {
            store: self.store,
            files: &mut *self.files,
            pod: target,
            uid: &uid,
            container: Some(&name),
            tty: false,
            now: self.now,
            killed: None,
            hops: self.hops + 1,
        };
        crate::programs::serve(&image, port, input, &mut shell::ProgramVia(&mut peer))
    }
    fn stdout_is_terminal(&self) -> bool {
        self.tty
    }
    fn has_command(&self, name: &str) -> bool {
        let image = self.spec_container().and_then(|c| c.image.as_deref());
        image.is_none_or(|i| shell::image_has_command(i, name))
    }
    fn hostname(&self) -> String {
        self.pod
            .spec
            .as_ref()
            .and_then(|s| s.hostname.clone())
            .or_else(|| self.pod.metadata.name.clone())
            .unwrap_or_default()
    }
    fn fqdn(&self) -> String {
        let h = self.hostname();
        let ns = self
            .pod
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        match self.pod.spec.as_ref().and_then(|s| s.subdomain.clone()) {
            Some(sub) => format!("{h}.{sub}.{ns}.svc.cluster.local"),
            None => h,
        }
    }
    fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String> {
        let pl = volumes::place(self.store, self.pod, self.container, path);
        volumes::write_place(self.files, self.uid, pl, content, append)
    }
    fn read_file(&self, path: &str) -> Result<String, String> {
        match path {
            "/etc/hostname" => return Ok(format!("{}\n", self.hostname())),
            "/etc/hosts" => {
                let ip = self
                    .pod
                    .status
                    .as_ref()
                    .and_then(|s| s.pod_ip.clone())
                    .unwrap_or_default();
                return Ok(format!(
                    "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{ip}\t{}\t{}\n",
                    self.fqdn(),
                    self.hostname()
                ));
            }
            "/etc/resolv.conf" => {
                let ns = self
                    .pod
                    .metadata
                    .namespace
                    .clone()
                    .unwrap_or_else(|| "default".into());
                return Ok(format!(
                    "search {ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
                ));
            }
            _ => {}
        }
        if let Some(data) = self.config_map_at(path) {
            let (_, key) = path.rsplit_once('/').unwrap_or(("", path));
            return data
                .get(key)
                .cloned()
                .ok_or_else(|| "No such file or directory".into());
        }
        let pl = volumes::place(self.store, self.pod, self.container, path);
        volumes::read_place(self.files, self.uid, &pl)
            .or_else(|| image_file(&self.image()?, &pl))
            .ok_or_else(|| "No such file or directory".into())
    }
    fn list_dir(&self, path: &str) -> Result<Vec<String>, String> {
        if path == "/" {
            let mut names = Vec::new();
            for n in &[
                "bin",
                "boot",
                "dev",
                "docker-entrypoint.d",
                "docker-entrypoint.sh",
                "etc",
                "home",
                "lib",
                "lib64",
                "media",
                "mnt",
                "opt",
                "proc",
                "root",
                "run",
                "sbin",
                "srv",
                "sys",
                "tmp",
                "usr",
                "var",
            ] {
                names.push(String::from(*n));
            }
            return Ok(names);
        }
        let mount = path.trim_end_matches('/');
        if let Some(data) = self.config_map_at(&format!("{mount}/-")) {
            return Ok(data.keys().cloned().collect());
        }
        let pl = volumes::place(self.store, self.pod, self.container, path);
        if let Some(f) = volumes::read_place(self.files, self.uid, &pl) {
            let _ = f;
            return Ok(vec![path.to_string()]);
        }
        Ok(volumes::list_place(self.files, self.uid, &pl))
    }
    fn image(&self) -> Option<String> {
        self.spec_container()?.image.clone()
    }
    fn reverse(&self, ip: &str) -> Option<String> {
        crate::endpoints::reverse(self.store, ip)
    }
    fn resolve(&self, name: &str) -> Vec<(String, String)> {
        let ns = self
            .pod
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        crate::endpoints::resolve(self.store, &ns, name)
    }
    fn http_get(&self, url: &str) -> Option<crate::shell::HttpResult> {
        Some(http_get(self.store, &*self.files, self, url))
    }
}

/// `curl URL` inside a pod: the nginx containers of the cluster serve their
/// `/usr/share/nginx/html` on port 80 (the nginx image's default server). The first DNS
/// record is used (a real resolver may order a headless Service's records differently).
fn http_get(
    store: &Store,
    files: &FileStore,
    me: &Host<'_>,
    url: &str,
) -> crate::shell::HttpResult {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), url),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("/")),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => match p.parse::<u16>() {
            Ok(p) => (h, p),
            Err(_) => {
                return Err((
                    3,
                    "URL rejected: Port number was not a decimal number between 0 and 65535".into(),
                ));
            }
        },
        None => (authority, if scheme == "https" { 443 } else { 80 }),
    };
    if scheme != "http" && scheme != "https" {
        return Err((1, format!("Protocol \"{scheme}\" not supported")));
    }
    let refused = || {
        Err((
            7,
            format!(
                "Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"
            ),
        ))
    };
    let target = match me.peer_pod(host, true) {
        Ok(Some(p)) => p,
        Ok(None) => return refused(),
        Err(()) => return Err((6, format!("Could not resolve host: {host}"))),
    };
    // A running nginx container listens on 80 (plain HTTP only).
    let serving = target.spec.as_ref().and_then(|sp| {
        sp.containers.iter().find(|c| {
            (serves_http(c.image.as_deref().unwrap_or("")))
                && target
                    .status
                    .as_ref()
                    .and_then(|s| s.container_statuses.as_ref())
                    .and_then(|cs| cs.iter().find(|s| s.name == c.name))
                    .is_some_and(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()))
        })
    });
    let Some(c) = serving.filter(|_| port == 80 && scheme == "http") else {
        return refused();
    };
    // nginx-slim's tags are not nginx versions: its error page shows a bare `nginx`.
    let version = c
        .image
        .as_deref()
        .filter(|i| !i.contains("nginx-slim"))
        .and_then(|i| i.rsplit_once(':'))
        .map(|(_, t)| t.to_string())
        .filter(|t| t.chars().next().is_some_and(|ch| ch.is_ascii_digit()))
        .unwrap_or_default();
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let file = if path.ends_with('/') {
        format!("/usr/share/nginx/html{path}index.html")
    } else {
        format!("/usr/share/nginx/html{path}")
    };
    let uid = target.metadata.uid.clone().unwrap_or_default();
    let pl = volumes::place(store, target, Some(&c.name), &file);
    let image = c.image.as_deref().unwrap_or_default();
    match volumes::read_place(files, &uid, &pl).or_else(|| image_file(image, &pl)) {
        Some(body) => Ok((200, body)),
        None => {
            // nginx's built-in error page (CRLF line ends; the version in the footer).
            let server = if version.is_empty() {
                "nginx".to_string()
            } else {
                format!("nginx/{version}")
            };
            // nginx `ngx_http_core_content_phase`: a URI ending in `/` that the index module
            // declines (its directory exists, no index.html) is 403 "directory index …
            // is forbidden": so `/` on a volume mounted over the document root.
            let mounted = match &pl {
                volumes::Place::Volume(..) => true,
                volumes::Place::Local(l) => l.starts_with("/.volumes/"),
            };
            let (code, title) = if path == "/" && mounted {
                (403, "403 Forbidden")
            } else {
                (404, "404 Not Found")
            };
            Ok((
                code,
                format!(
                    "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n"
                ),
            ))
        }
    }
}

/// A file the image itself ships at `pl` (not under a mount): the nginx image's welcome page,
/// nginx's `docs/html/index.html`, rewritten in release 1.29.6 (nginx commit 717e70748).
/// A tag that is not a version (`latest`, `alpine`, `1`) is a current nginx.
pub(crate) fn image_file(image: &str, pl: &volumes::Place) -> Option<String> {
    let last = image.rsplit('/').next().unwrap_or(image);
    let (repo, tag) = last.split_once(':').unwrap_or((last, ""));
    if repo != "nginx"
        || !matches!(pl, volumes::Place::Local(p) if p == "/usr/share/nginx/html/index.html")
    {
        return None;
    }
    let mut v = tag
        .split(|c: char| !c.is_ascii_digit())
        .map(|n| n.parse::<u32>().unwrap_or(u32::MAX));
    let old = (v.next(), v.next(), v.next()) < (Some(1), Some(29), Some(6));
    let (a, b, c) = if old {
        (
            "the nginx web server is successfully installed and\nworking. Further configuration is required.",
            "http",
            "<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.",
        )
    } else {
        (
            "nginx is successfully installed and working.\nFurther configuration is required for the web server, reverse proxy, \nAPI gateway, load balancer, content cache, or other features.",
            "https",
            "<br/>\nTo engage with the community please visit\n<a href=\"https://community.nginx.org/\">community.nginx.org</a>.<br/>\nFor enterprise grade support, professional services, additional \nsecurity features and capabilities please refer to\n<a href=\"https://f5.com/nginx\">f5.com/nginx</a>.",
        )
    };
    Some(format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml {{ color-scheme: light dark; }}\nbody {{ width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }}\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, {a}</p>\n\n<p>For online documentation and support please refer to\n<a href=\"{b}://nginx.org/\">nginx.org</a>.{c}</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n"
    ))
}

/// Whether a container of `image` serves its `/usr/share/nginx/html` on port 80: the nginx
/// images, and `registry.k8s.io/nginx-slim` (the small nginx of the kubernetes.io StatefulSet
/// tutorial).
fn serves_http(image: &str) -> bool {
    let last = image.rsplit('/').next().unwrap_or(image);
    let repo = last.split([':', '@']).next().unwrap_or(last);
    repo == "nginx" || repo == "nginx-slim"
}

/// `kubectl exec`: its output, and the main process it ended, if any.
pub(super) fn exec(
    st: &mut State,
    ns: &str,
    pod: &str,
    container: Option<&str>,
    argv: &[String],
    tty: bool,
) -> Result<(ExecOutput, Option<Killed>), SimError> {
    let p = st
        .store
        .get::<Pod>(ns, pod)
        .map(k8sjson::copy)
        .ok_or_else(|| {
            SimError::Api(ApiError::NotFound {
                resource: "pods",
                name: pod.to_string(),
            })
        })?;
    let name = match container {
        Some(c) => c.to_string(),
        None => containers(&p, false)
            .first()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
    };
    let phase = p
        .status
        .as_ref()
        .and_then(|s| s.phase.clone())
        .unwrap_or_default();
    if phase == "Succeeded" || phase == "Failed" {
        return Err(SimError::Invalid(format!(
            "error: cannot exec into a container in a completed pod; current phase is {phase}"
        )));
    }
    if !containers(&p, false)
        .iter()
        .chain(containers(&p, true).iter())
        .any(|c| c.name == name)
        || !is_running(&p, &name)
    {
        return Err(SimError::Invalid(format!(
            "error: unable to upgrade connection: container not found (\"{name}\")"
        )));
    }
    let uid = p.metadata.uid.clone().unwrap_or_default();
    let now = st.now;
    let (r, killed) = {
        let mut host = Host::new(&st.store, &mut st.rt.files, &p, &uid, &name, now);
        host.tty = tty;
        let id = shell::exec_id(&format!("{uid}/{name}/{}/{}", st.now, argv.join(" ")));
        if let Some(msg) = shell::exec_not_found_message(argv, &host, &id) {
            return Err(SimError::Invalid(msg));
        }
        let r = shell::run_argv(argv, &mut host);
        (r, host.killed)
    };
    // The command ended the container's main process (the caller lets it exit).
    let killed = killed.and_then(|code| {
        containers(&p, false)
            .iter()
            .position(|c| c.name == name)
            .map(|idx| Killed { uid, idx, code })
    });
    Ok((
        ExecOutput {
            stdout: r.stdout,
            stderr: r.stderr,
            exit_code: r.exit_code,
            unsupported: r.unsupported,
        },
        killed,
    ))
}

/// A command run by `kubectl exec` ended the container's main process (`pkill java`).
pub(super) struct Killed {
    pub(super) uid: String,
    pub(super) idx: usize,
    pub(super) code: i32,
}
