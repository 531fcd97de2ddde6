//! Programs of the tutorials' images that the container shell ([`crate::shell`]) runs for
//! real, as far as their effects on the pod's files and output go (stsplay's model): one table,
//! [`PROGRAMS`], keyed by command and the image that ships it, and one of the servers their
//! containers run, [`serve`], keyed by image and port.
//!
//! * ZooKeeper (image `registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10`, the kubernetes.io
//!   ZooKeeper tutorial): `start-zookeeper` derives the server id from the pod's hostname
//!   (`zk-2` → `myid` 3), writes `myid` into the data directory and `zoo.cfg` and
//!   `log4j.properties` into the config directory from its flags (one
//!   `server.N=NAME-(N-1).DOMAIN:SERVER_PORT:ELECTION_PORT` line per server), prints the
//!   configuration, then runs the server in the foreground (reconstructed from the script's
//!   `create_config`/`create_log_props`/`create_data_dirs` as published). `zkCli.sh`
//!   `create|get|set|ls|delete` talk to the server on port 2181, which commits each write to
//!   every member of its `zoo.cfg` that answers on the server port (a quorum is needed) and
//!   keeps the tree in its data directory (`version-2/znodes.stsplay`, our own text format),
//!   so the data is shared by the ensemble and outlives its pods. `zookeeper-ready PORT` is
//!   the image's `ruok` probe; `ps` and `pkill java` see the container's processes.
//!   Not simulated: leader election, sessions and watches, the snapshot and log formats.
//! * MySQL (the kubernetes.io "Run a Replicated Stateful Application" tutorial): the `mysql:5.7`
//!   entrypoint initializes an empty data directory (its marker directories and files, our
//!   choice of binlog position), `ncat --recv-only HOST 3307` receives the backup that the
//!   peer's `xtrabackup` container streams (its data files as our own text stream, with
//!   `xtrabackup_binlog_info` from the primary or `xtrabackup_slave_info` from a replica),
//!   `xbstream -x -C DIR` writes them, `xtrabackup --prepare` succeeds, `mysql -e "SELECT 1"`
//!   and the replication statements succeed against a running server, `mysqladmin ping`
//!   answers. Any other SQL is not simulated.

/// What a program needs of its container (the shell passes its own host through an adapter;
/// a trait of its own, so this module does not import the shell).
pub trait ProgramHost {
    fn hostname(&self) -> String;
    /// Fully-qualified name (`hostname -f`).
    fn fqdn(&self) -> String;
    fn write_file(&mut self, path: &str, content: &str, append: bool) -> Result<(), String>;
    fn read_file(&self, path: &str) -> Result<String, String>;
    fn list_dir(&self, _path: &str) -> Vec<String> {
        Vec::new()
    }
    fn is_dir(&self, _path: &str) -> bool {
        false
    }
    fn remove_file(&mut self, _path: &str) -> Result<(), String> {
        Err("Read-only file system".into())
    }
    /// A TCP exchange with `host:port`: what the peer's server ([`serve`]) answers to `input`.
    fn connect(&mut self, _host: &str, _port: u16, _input: &str) -> Result<String, String> {
        Err("Connection refused".into())
    }
    fn processes(&self) -> Vec<Process> {
        Vec::new()
    }
    /// End the container's main process with exit code `code`.
    fn kill_main(&mut self, _code: i32) {}
    fn now(&self) -> SimTime {
        0
    }
}

use crate::time::SimTime;

/// A process of a container (`ps`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    pub ppid: u32,
    /// The user name as `ps` prints it (8 characters, `+` when cut: `zookeep+`).
    pub user: String,
    /// Start time, `HH:MM`.
    pub stime: String,
    /// CPU time, `HH:MM:SS`.
    pub time: String,
    pub cmd: String,
    /// `ps -l`'s F, SZ columns.
    pub flags: u8,
    pub size: u64,
}

/// What a program did besides its output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    /// It runs in the foreground from now on (a server): the script goes no further.
    Foreground,
    /// Outside the simulation: the shell reports this command line as not simulated.
    Unsupported(String),
}

/// A program's output, status and effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
    pub effect: Effect,
}

impl Run {
    fn ok(stdout: impl Into<String>) -> Run {
        Run {
            stdout: stdout.into(),
            stderr: String::new(),
            code: 0,
            effect: Effect::None,
        }
    }
    fn fail(stderr: impl Into<String>, code: i32) -> Run {
        Run {
            stdout: String::new(),
            stderr: stderr.into(),
            code,
            effect: Effect::None,
        }
    }
    /// `NAME ARGS…` as run is not simulated.
    fn unsupported_call(name: &str, args: &[String]) -> Run {
        Run::unsupported(command_line(name, args))
    }
    fn unsupported(what: String) -> Run {
        Run {
            effect: Effect::Unsupported(what),
            code: 127,
            ..Run::ok("")
        }
    }
}

/// `NAME ARGS…` joined by spaces.
fn command_line(name: &str, args: &[String]) -> String {
    let mut line = String::from(name);
    for a in args {
        line.push(' ');
        line.push_str(a);
    }
    line
}

/// A command's options and operands: the letters of its `-…` words run together (`-e -lf`
/// → `elf`), and its other words.
pub(crate) fn split_args(args: &[String]) -> (String, Vec<String>) {
    let mut flags = String::new();
    let mut operands = Vec::new();
    for a in args {
        match a.strip_prefix('-') {
            Some(f) => flags.push_str(f),
            None => operands.push(a.clone()),
        }
    }
    (flags, operands)
}

type Program = fn(&[String], &str, &mut dyn ProgramHost) -> Run;

const ZK: &[&str] = &["kubernetes-zookeeper"];
const XTRABACKUP: &[&str] = &["xtrabackup"];
const MYSQL: &[&str] = &["mysql", "xtrabackup"];

/// The programs: (command, the image repositories that ship it, what it does). No
/// repository: any image that has the command (the shell asks the image first).
const PROGRAMS: &[(&str, &[&str], Program)] = &[
    ("start-zookeeper", ZK, start_zookeeper_program),
    ("zkCli.sh", ZK, zk_cli),
    ("zookeeper-ready", ZK, zookeeper_ready),
    ("ps", ZK, ps),
    ("pkill", ZK, pkill),
    ("nc", &[], ncat),
    ("ncat", &[], ncat),
    ("xbstream", XTRABACKUP, xbstream),
    ("xtrabackup", XTRABACKUP, xtrabackup),
    ("mysql", MYSQL, mysql_client),
    ("mysqladmin", MYSQL, mysqladmin),
];

/// The repository of an image reference without registry, tag or digest
/// (`registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10` → `kubernetes-zookeeper`).
pub fn image_repo(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

/// Run `name` if it is one of [`PROGRAMS`] in this image (`None` image: any).
pub fn run(
    name: &str,
    image: Option<&str>,
    args: &[String],
    stdin: &str,
    host: &mut dyn ProgramHost,
) -> Option<Run> {
    let repo = image.map(image_repo);
    let (_, _, program) = PROGRAMS.iter().find(|(cmd, img, _)| {
        *cmd == name && (img.is_empty() || repo.is_none_or(|r| img.contains(&r)))
    })?;
    Some(program(args, stdin, host))
}

/// What the server listening on `port` in a container of `image` answers to `input` (the
/// host routes [`ProgramHost::connect`] here, with `host` = the server's container).
pub fn serve(
    image: &str,
    port: u16,
    input: &str,
    host: &mut dyn ProgramHost,
) -> Result<String, String> {
    match (image_repo(image), port) {
        ("kubernetes-zookeeper", 2181) => Ok(zk_server(input, host)),
        ("kubernetes-zookeeper", 2888) => zk_peer(input, host),
        ("xtrabackup", 3307) => Ok(backup_stream(host)),
        ("mysql", 3306) => Ok(String::new()),
        _ => Err("Connection refused".into()),
    }
}

/// The processes of a container whose main process is `argv` started at `stime`, as the
/// image runs them (ZooKeeper: the start script's shell, then the JVM it starts).
pub fn processes_of(image: &str, argv: &[String], stime: &str, cpu: &str) -> Vec<Process> {
    let cmd = argv.join(" ");
    let mut out = vec![Process {
        pid: 1,
        ppid: 0,
        user: "root".into(),
        stime: stime.into(),
        time: "00:00:00".into(),
        cmd,
        flags: 4,
        size: 1127,
    }];
    if image_repo(image) == "kubernetes-zookeeper" {
        if let Some(p) = out.first_mut() {
            p.user = "zookeep+".into();
        }
        out.push(Process {
            pid: 7,
            ppid: 1,
            user: "zookeep+".into(),
            stime: stime.into(),
            time: cpu.into(),
            cmd: ZK_JAVA.into(),
            flags: 0,
            size: 1_155_556,
        });
    }
    out
}

/// The JVM that `zkServer.sh start-foreground` runs in the 1.0-3.4.10 image (ZooKeeper 3.4.10
/// under /opt/zookeeper, log4j's CONSOLE appender, the heap of `--heap=512M`).
const ZK_JAVA: &str = "/usr/lib/jvm/java-8-openjdk-amd64/bin/java -Dzookeeper.log.dir=/var/log/zookeeper -Dzookeeper.root.logger=INFO,CONSOLE -cp /opt/zookeeper/bin/../build/classes:/opt/zookeeper/bin/../build/lib/*.jar:/opt/zookeeper/bin/../lib/slf4j-log4j12-1.6.1.jar:/opt/zookeeper/bin/../lib/slf4j-api-1.6.1.jar:/opt/zookeeper/bin/../lib/netty-3.10.5.Final.jar:/opt/zookeeper/bin/../lib/log4j-1.2.16.jar:/opt/zookeeper/bin/../lib/jline-0.9.94.jar:/opt/zookeeper/bin/../zookeeper-3.4.10.jar:/opt/zookeeper/bin/../src/java/lib/*.jar:/opt/zookeeper/bin/../conf: -Xmx512M -Xms512M -Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.local.only=false org.apache.zookeeper.server.quorum.QuorumPeerMain /opt/zookeeper/bin/../conf/zoo.cfg";

/// `zoo.cfg`'s keys as the script's `create_config` writes them: (key, the flag that sets it,
/// the flag's default).
const ZOO_CFG: [(&str, &str, &str); 11] = [
    ("clientPort", "client_port", "2181"),
    ("dataDir", "data_dir", "/var/lib/zookeeper/data"),
    ("dataLogDir", "data_log_dir", "/var/lib/zookeeper/data/log"),
    ("tickTime", "tick_time", "2000"),
    ("initLimit", "init_limit", "10"),
    ("syncLimit", "sync_limit", "5"),
    ("maxClientCnxns", "max_client_cnxns", "60"),
    ("minSessionTimeout", "min_session_timeout", "4000"),
    ("maxSessionTimeout", "max_session_timeout", "40000"),
    ("autopurge.snapRetainCount", "snap_retain_count", "3"),
    ("autopurge.purgeInteval", "purge_interval", "12"),
];

/// `start-zookeeper --servers=N --data_dir=… …`: writes `myid` and `zoo.cfg`; returns what it
/// prints on stderr, or the script's error and its exit code.
pub fn start_zookeeper(
    args: &[String],
    host: &mut dyn ProgramHost,
) -> Result<String, (String, i32)> {
    let flag = |name: &str, default: &str| -> String {
        args.iter()
            .find_map(|a| a.strip_prefix(&format!("--{name}=")).map(str::to_string))
            .unwrap_or_else(|| default.to_string())
    };
    let servers: u32 = flag("servers", "1").parse().unwrap_or(1).clamp(1, 64);
    let data_dir = flag("data_dir", "/var/lib/zookeeper/data");
    let conf_dir = flag("conf_dir", "/opt/zookeeper/conf");
    let host_name = host.hostname();
    // The script's `[[ $HOST =~ (.*)-([0-9]+)$ ]]`.
    let Some((name, ord)) = crate::ordinal::ordinal_suffix(&host_name)
        .and_then(|(n, o)| u32::try_from(o).ok().map(|o| (n.to_string(), o)))
    else {
        return Err(("Failed to parse name and ordinal of Pod\n".to_string(), 1));
    };
    let fqdn = host.fqdn();
    let domain = fqdn
        .strip_prefix(&format!("{host_name}."))
        .unwrap_or("")
        .to_string();
    let my_id = ord.saturating_add(1);
    if servers > 1 {
        let id_file = format!("{data_dir}/myid");
        if host.read_file(&id_file).is_err() {
            host.write_file(&id_file, &format!("{my_id}\n"), false)
                .map_err(|e| (format!("{id_file}: {e}\n"), 1))?;
        }
    }
    let mut cfg = String::from("#This file was autogenerated DO NOT EDIT\n");
    for (k, f, default) in ZOO_CFG {
        cfg.push_str(&format!("{k}={}\n", flag(f, default)));
    }
    if servers > 1 {
        let server_port = flag("server_port", "2888");
        let election_port = flag("election_port", "3888");
        for i in 1..=servers {
            cfg.push_str(&format!(
                "server.{i}={name}-{}.{domain}:{server_port}:{election_port}\n",
                i - 1
            ));
        }
    }
    let conf_file = format!("{conf_dir}/zoo.cfg");
    host.write_file(&conf_file, &cfg, false)
        .map_err(|e| (format!("{conf_file}: {e}\n"), 1))?;
    // The script's `create_log_props`: everything to the console at `--log_level`.
    let props = format!(
        "zookeeper.root.logger=CONSOLE\nzookeeper.console.threshold={}\nlog4j.rootLogger=${{zookeeper.root.logger}}\nlog4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender\nlog4j.appender.CONSOLE.Threshold=${{zookeeper.console.threshold}}\nlog4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout\nlog4j.appender.CONSOLE.layout.ConversionPattern=%d{{ISO8601}} [myid:%X{{myid}}] - %-5p [%t:%C{{1}}@%L] - %m%n\n",
        flag("log_level", "INFO")
    );
    let props_file = format!("{conf_dir}/log4j.properties");
    host.write_file(&props_file, &props, false)
        .map_err(|e| (format!("{props_file}: {e}\n"), 1))?;
    Ok(cfg)
}

/// `start-zookeeper …`: its files, then the server in the foreground (its log on stdout).
fn start_zookeeper_program(args: &[String], _stdin: &str, host: &mut dyn ProgramHost) -> Run {
    match start_zookeeper(args, host) {
        Ok(printed) => Run {
            stdout: String::new(),
            stderr: printed,
            code: 0,
            effect: Effect::Foreground,
        },
        Err((msg, code)) => Run::fail(msg, code),
    }
}

/// The value of `--name=VALUE` or `--name VALUE`.
fn flag_value(args: &[String], name: &str) -> Option<String> {
    args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix(&format!("{name}="))
            .map(str::to_string)
            .or_else(|| (a == name).then(|| args.get(i + 1).cloned()).flatten())
    })
}

// ---------------------------------------------------------------------------------------------
// ZooKeeper

const ZK_CONF: &str = "/opt/zookeeper/conf/zoo.cfg";
const ZK_BANNER: &str = "WATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n";

/// A znode as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Znode {
    path: String,
    czxid: u64,
    ctime: SimTime,
    mzxid: u64,
    mtime: SimTime,
    version: u32,
    data: String,
}

impl Znode {
    /// Its line of the tree file (what [`ZkTree::load_line`] reads).
    fn line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            escape(&self.path),
            self.czxid,
            self.ctime,
            self.mzxid,
            self.mtime,
            self.version,
            escape(&self.data)
        )
    }
}

/// The server's tree: the last zxid and the znodes (file `version-2/znodes.stsplay` of the
/// data directory: `zxid N`, then one tab-separated line per znode, data escaped).
struct ZkTree {
    zxid: u64,
    nodes: Vec<Znode>,
}

fn zk_data_dir(host: &dyn ProgramHost) -> String {
    host.read_file(ZK_CONF)
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("dataDir=").map(str::to_string))
        })
        .unwrap_or_else(|| "/var/lib/zookeeper/data".into())
}

fn zk_tree_file(host: &dyn ProgramHost) -> String {
    format!("{}/version-2/znodes.stsplay", zk_data_dir(host))
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl ZkTree {
    fn load(host: &dyn ProgramHost) -> ZkTree {
        // The first epoch's zxids start at 0x100000000.
        let mut t = ZkTree {
            zxid: 1 << 32,
            nodes: Vec::new(),
        };
        let Ok(text) = host.read_file(&zk_tree_file(host)) else {
            return t;
        };
        for line in text.lines() {
            if let Some(z) = line.strip_prefix("zxid ") {
                t.zxid = z.parse().unwrap_or(t.zxid);
                continue;
            }
            if let Some(n) = ZkTree::load_line(line) {
                t.nodes.push(n);
            }
        }
        t
    }

    fn text(&self) -> String {
        let mut s = format!("zxid {}\n", self.zxid);
        for n in &self.nodes {
            s.push_str(&n.line());
            s.push('\n');
        }
        s
    }

    fn get(&self, path: &str) -> Option<&Znode> {
        self.nodes.iter().find(|n| n.path == path)
    }

    fn children(&self, path: &str) -> Vec<&Znode> {
        let prefix = if path == "/" {
            "/".to_string()
        } else {
            format!("{path}/")
        };
        let mut out = Vec::new();
        for n in &self.nodes {
            if n.path
                .strip_prefix(&prefix)
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
            {
                out.push(n);
            }
        }
        out
    }
}

/// One transaction, as the leader sends it to the ensemble: `commit ZXID` then, for a write,
/// the znode's line (empty data = the session's own transaction), or `delete PATH`.
fn zk_apply(host: &mut dyn ProgramHost, txn: &str) -> Result<(), String> {
    let mut tree = ZkTree::load(host);
    let mut lines = txn.lines();
    let zxid = lines
        .next()
        .and_then(|l| l.strip_prefix("commit "))
        .and_then(|z| z.parse::<u64>().ok())
        .ok_or("bad transaction")?;
    tree.zxid = tree.zxid.max(zxid);
    if let Some(rest) = lines.next() {
        if let Some(path) = rest.strip_prefix("delete ") {
            tree.nodes.retain(|n| n.path != path);
        } else {
            let one = ZkTree::load_line(rest);
            if let Some(n) = one {
                match tree.nodes.iter_mut().find(|x| x.path == n.path) {
                    Some(x) => *x = n,
                    None => tree.nodes.push(n),
                }
            }
        }
    }
    if tree.nodes.len() > 10_000 {
        return Err("too many znodes".into());
    }
    let file = zk_tree_file(host);
    host.write_file(&file, &tree.text(), false)
}

impl ZkTree {
    /// One znode of the tree file: path, czxid, ctime, mzxid, mtime, version, data (tabs).
    fn load_line(line: &str) -> Option<Znode> {
        let mut f = line.splitn(7, '\t');
        let path = unescape(f.next()?);
        let mut n = [0u64; 5];
        for x in &mut n {
            *x = f.next().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        }
        let [czxid, ctime, mzxid, mtime, version] = n;
        Some(Znode {
            path,
            czxid,
            ctime,
            mzxid,
            mtime,
            version: u32::try_from(version).unwrap_or(0),
            data: unescape(f.next().unwrap_or("")),
        })
    }
}

/// The ensemble's members from `zoo.cfg` (`server.N=HOST:PORT:PORT`): (host, server port).
fn zk_members(host: &dyn ProgramHost) -> Vec<(String, u16)> {
    let cfg = host.read_file(ZK_CONF).unwrap_or_default();
    let mut out = Vec::new();
    for l in cfg.lines() {
        let Some((_, v)) = l.split_once('=').filter(|_| l.starts_with("server.")) else {
            continue;
        };
        let mut parts = v.split(':');
        if let (Some(h), Some(Ok(port))) = (parts.next(), parts.next().map(str::parse::<u16>)) {
            out.push((h.to_string(), port));
        }
    }
    out
}

/// Commit `body` (a znode line, `delete PATH`, or nothing) with the next zxid on every member
/// that answers; `Err` without a quorum.
fn zk_commit(host: &mut dyn ProgramHost, body: &str) -> Result<u64, String> {
    let zxid = ZkTree::load(host).zxid.saturating_add(1);
    let txn = if body.is_empty() {
        format!("commit {zxid}\n")
    } else {
        format!("commit {zxid}\n{body}\n")
    };
    let members = zk_members(host);
    if members.is_empty() {
        zk_apply(host, &txn)?;
        return Ok(zxid);
    }
    let me = host.fqdn();
    let mut acks = 0;
    for (h, port) in &members {
        let ok = if *h == me {
            zk_apply(host, &txn).is_ok()
        } else {
            host.connect(h, *port, &txn).is_ok()
        };
        acks += usize::from(ok);
    }
    if acks * 2 > members.len() {
        Ok(zxid)
    } else {
        Err("no quorum".into())
    }
}

/// The client port: four-letter words (`ruok` → `imok`) and the requests of `zkCli.sh`
/// (`create|get|set|ls|delete` lines, answered with what the client prints).
fn zk_server(input: &str, host: &mut dyn ProgramHost) -> String {
    let req = input.trim();
    if req == "ruok" {
        return "imok".into();
    }
    let mut words = req.splitn(3, ' ');
    let cmd = words.next().unwrap_or("");
    let path = words.next().unwrap_or("").to_string();
    let data = words.next().unwrap_or("").to_string();
    // Every client connection is a session: its creation and its close are transactions.
    let session = zk_commit(host, "");
    if session.is_err() {
        return "\u{0}noquorum".into();
    }
    let out = zk_request(cmd, &path, &data, host);
    let _ = zk_commit(host, "");
    out
}

fn zk_request(cmd: &str, path: &str, data: &str, host: &mut dyn ProgramHost) -> String {
    let tree = ZkTree::load(host);
    let parent_ok = |p: &str| {
        let parent = p
            .rsplit_once('/')
            .map_or("/", |(a, _)| if a.is_empty() { "/" } else { a });
        parent == "/" || tree.get(parent).is_some()
    };
    if !path.starts_with('/') || (path.len() > 1 && path.ends_with('/')) {
        return "Command failed: java.lang.IllegalArgumentException: Path must start with / character\n".to_string();
    }
    let now = host.now();
    match cmd {
        "create" => {
            if tree.get(path).is_some() || path == "/" {
                return format!("Node already exists: {path}\n");
            }
            if !parent_ok(path) {
                return format!("Node does not exist: {path}\n");
            }
            let zxid = tree.zxid.saturating_add(1);
            let n = Znode {
                path: path.to_string(),
                czxid: zxid,
                ctime: now,
                mzxid: zxid,
                mtime: now,
                version: 0,
                data: data.to_string(),
            };
            match zk_commit(host, &n.line()) {
                Ok(_) => format!("Created {path}\n"),
                Err(_) => "\u{0}noquorum".into(),
            }
        }
        "set" | "get" | "stat" => {
            let Some(n) = tree.get(path).cloned() else {
                return format!("Node does not exist: {path}\n");
            };
            let n = if cmd == "set" {
                let zxid = tree.zxid.saturating_add(1);
                let n = Znode {
                    mzxid: zxid,
                    mtime: now,
                    version: n.version.saturating_add(1),
                    data: data.to_string(),
                    ..n
                };
                if zk_commit(host, &n.line()).is_err() {
                    return "\u{0}noquorum".into();
                }
                n
            } else {
                n
            };
            let kids = tree.children(path);
            let pzxid = kids.iter().map(|k| k.czxid).max().unwrap_or(n.czxid);
            let mut out = String::new();
            if cmd == "get" {
                out.push_str(&n.data);
                out.push('\n');
            }
            out.push_str(&format!(
                "cZxid = 0x{:x}\nctime = {}\nmZxid = 0x{:x}\nmtime = {}\npZxid = 0x{pzxid:x}\ncversion = {}\ndataVersion = {}\naclVersion = 0\nephemeralOwner = 0x0\ndataLength = {}\nnumChildren = {}\n",
                n.czxid,
                java_date(n.ctime),
                n.mzxid,
                java_date(n.mtime),
                kids.len(),
                n.version,
                n.data.len(),
                kids.len()
            ));
            out
        }
        "ls" => {
            if path != "/" && tree.get(path).is_none() {
                return format!("Node does not exist: {path}\n");
            }
            let mut names: Vec<String> = Vec::new();
            for k in tree.children(path) {
                if let Some(n) = k.path.rsplit('/').next() {
                    names.push(n.to_string());
                }
            }
            if path == "/" {
                names.push("zookeeper".into());
            }
            names.sort();
            format!("[{}]\n", names.join(", "))
        }
        "delete" => {
            if tree.get(path).is_none() {
                return format!("Node does not exist: {path}\n");
            }
            if !tree.children(path).is_empty() {
                return format!("Node not empty: {path}\n");
            }
            match zk_commit(host, &format!("delete {path}")) {
                Ok(_) => String::new(),
                Err(_) => "\u{0}noquorum".into(),
            }
        }
        _ => "\u{0}unsupported".into(),
    }
}

/// The server port: a transaction from the leader.
fn zk_peer(input: &str, host: &mut dyn ProgramHost) -> Result<String, String> {
    zk_apply(host, input).map(|()| "ack".into())
}

/// Java's `Date.toString()` in UTC: `Thu Dec 08 15:13:30 UTC 2016`.
fn java_date(t: SimTime) -> String {
    let c = k8sjson::time::civil(crate::time::to_k8s_time(t).0);
    format!(
        "{} {} {:02} {} UTC {}",
        c.weekday_abbrev(),
        c.month_abbrev(),
        c.day,
        c.hms(),
        c.year
    )
}

/// `zkCli.sh [-server HOST:PORT] CMD ARGS…` (ZooKeeper 3.4's client, run once: it prints the
/// session's first watcher event, then the command's result; 3.4's client exits 0 even when
/// the command failed).
fn zk_cli(args: &[String], _stdin: &str, host: &mut dyn ProgramHost) -> Run {
    let (server, rest) = match args.split_first() {
        Some((f, r)) if f == "-server" => (
            r.first().cloned().unwrap_or_default(),
            r.get(1..).unwrap_or(&[]),
        ),
        _ => ("localhost:2181".to_string(), args),
    };
    let Some((cmd, cargs)) = rest.split_first() else {
        return Run::unsupported_call("zkCli.sh", args);
    };
    let (h, port) = server
        .rsplit_once(':')
        .map_or((server.as_str(), 2181), |(h, p)| {
            (h, p.parse().unwrap_or(2181))
        });
    let path = cargs.first().cloned().unwrap_or_default();
    let data = cargs.get(1..).unwrap_or(&[]).join(" ");
    let req = format!("{cmd} {path} {data}");
    if !matches!(
        cmd.as_str(),
        "create" | "get" | "set" | "ls" | "delete" | "stat"
    ) {
        return Run::unsupported_call("zkCli.sh", args);
    }
    match host.connect(h, port, &req) {
        Ok(answer) if answer == "\u{0}unsupported" => Run::unsupported_call("zkCli.sh", args),
        Ok(answer) if answer == "\u{0}noquorum" => Run::fail(
            "stsplay: ZooKeeper has no quorum (fewer than half of the ensemble's servers answer), so the client cannot get a session; a real zkCli.sh keeps retrying the connection\n",
            1,
        ),
        Ok(answer) => {
            let failed = answer.starts_with("Node ") || answer.starts_with("Command failed");
            if failed {
                Run {
                    stdout: ZK_BANNER.into(),
                    stderr: answer,
                    code: 0,
                    effect: Effect::None,
                }
            } else {
                Run::ok(format!("{ZK_BANNER}{answer}"))
            }
        }
        Err(e) => Run::fail(
            format!(
                "stsplay: zkCli.sh cannot reach {h}:{port} ({e}); a real zkCli.sh keeps retrying the connection\n"
            ),
            1,
        ),
    }
}

/// The image's `zookeeper-ready PORT`: `echo ruok | nc 127.0.0.1 PORT` must answer `imok`.
fn zookeeper_ready(args: &[String], _stdin: &str, host: &mut dyn ProgramHost) -> Run {
    let port = args.first().and_then(|p| p.parse().ok()).unwrap_or(2181);
    match host.connect("127.0.0.1", port, "ruok") {
        Ok(a) if a == "imok" => Run::ok(""),
        _ => Run::fail("", 1),
    }
}

/// procps `ps -ef` / `ps -elf` (and plain `ps`).
fn ps(args: &[String], _stdin: &str, host: &mut dyn ProgramHost) -> Run {
    let (opts, _) = split_args(args);
    let mut procs = host.processes();
    let me_pid = procs
        .iter()
        .map(|p| p.pid)
        .max()
        .unwrap_or(0)
        .saturating_add(50);
    let user = procs.first().map_or("root".to_string(), |p| p.user.clone());
    let stime = procs.last().map(|p| p.stime.clone()).unwrap_or_default();
    procs.push(Process {
        pid: me_pid,
        ppid: 0,
        user,
        stime,
        time: "00:00:00".into(),
        cmd: command_line("ps", args),
        flags: 4,
        size: 8_602,
    });
    let full = opts.contains('f');
    let long = opts.contains('l');
    let mut out = String::new();
    if !opts.contains('e') && !full {
        out.push_str("    PID TTY          TIME CMD\n");
        for p in &procs {
            let name = p.cmd.split_whitespace().next().unwrap_or("");
            let name = name.rsplit('/').next().unwrap_or(name);
            out.push_str(&format!("{:>7} ?        {} {name}\n", p.pid, p.time));
        }
        return Run::ok(out);
    }
    match (long, full) {
        (true, _) => out.push_str(
            "F S UID        PID  PPID  C PRI  NI ADDR SZ WCHAN  STIME TTY          TIME CMD\n",
        ),
        _ => out.push_str("UID        PID  PPID  C STIME TTY          TIME CMD\n"),
    }
    for p in &procs {
        let state = if p.pid == me_pid { "R" } else { "S" };
        if long {
            out.push_str(&format!(
                "{} {state} {:<8} {:>5} {:>5}  0  80   0 - {:>5} -      {} ?        {} {}\n",
                p.flags, p.user, p.pid, p.ppid, p.size, p.stime, p.time, p.cmd
            ));
        } else {
            out.push_str(&format!(
                "{:<8} {:>5} {:>5}  0 {} ?        {} {}\n",
                p.user, p.pid, p.ppid, p.stime, p.time, p.cmd
            ));
        }
    }
    Run::ok(out)
}

/// `pkill NAME`: SIGTERM to the container's processes named NAME. When that is the main
/// process or its JVM child (`pkill java` in the ZooKeeper image: the start script's shell
/// then exits with the JVM's status, 143), the container ends and the kubelet restarts it.
fn pkill(args: &[String], _stdin: &str, host: &mut dyn ProgramHost) -> Run {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
        return Run::fail(
            "pkill: no matching criteria specified\nTry `pkill --help' for more information.\n",
            2,
        );
    };
    let hit = host.processes().into_iter().any(|p| {
        let exe = p.cmd.split_whitespace().next().unwrap_or("");
        exe.rsplit('/').next() == Some(name.as_str())
    });
    if hit {
        host.kill_main(143);
        Run::ok("")
    } else {
        Run::fail("", 1)
    }
}

/// nmap's `ncat` / `nc`: `--listen …` serves in the foreground; `[--recv-only] HOST PORT`
/// sends stdin and prints the answer.
fn ncat(args: &[String], stdin: &str, host: &mut dyn ProgramHost) -> Run {
    if args.iter().any(|a| a == "--listen" || a == "-l") {
        return Run {
            effect: Effect::Foreground,
            ..Run::ok("")
        };
    }
    let mut plain: Vec<&String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-c" | "-e" | "-w" | "--wait" | "-i" | "--idle-timeout" | "-p" | "--source-port"
            | "--sh-exec" | "--exec" | "--max-conns" | "-m" => {
                let _ = it.next();
            }
            f if f.starts_with('-') => {}
            _ => plain.push(a),
        }
    }
    let (Some(h), Some(port)) = (plain.first(), plain.get(1).and_then(|p| p.parse().ok())) else {
        return Run::fail(
            "Ncat: You must specify a host to connect to. QUITTING.\n",
            2,
        );
    };
    let input = if args.iter().any(|a| a == "--recv-only") {
        ""
    } else {
        stdin
    };
    match host.connect(h, port, input) {
        Ok(a) => Run::ok(a),
        Err(e) if e.contains("resolve") => Run::fail(
            format!(
                "Ncat: Could not resolve hostname \"{h}\": Name or service not known. QUITTING.\n"
            ),
            2,
        ),
        Err(_) => Run::fail("Ncat: Connection refused.\n", 1),
    }
}

// ---------------------------------------------------------------------------------------------
// MySQL

const STREAM_MAGIC: &str = "stsplay-xbstream 1\n";
/// Files a backup stream may carry.
const MAX_STREAM_FILES: usize = 256;

/// The files under `dir` (relative paths), depth-first, bounded.
fn walk(host: &dyn ProgramHost, dir: &str, out: &mut Vec<(String, String)>, depth: usize) {
    if depth > 8 {
        return;
    }
    for name in host.list_dir(dir) {
        if out.len() >= MAX_STREAM_FILES {
            return;
        }
        let p = format!("{}/{name}", dir.trim_end_matches('/'));
        match host.read_file(&p) {
            Ok(t) => out.push((p, t)),
            Err(_) => walk(host, &p, out, depth + 1),
        }
    }
}

/// The primary's binlog position after the entrypoint's start-up (stsplay's choice: the third
/// binlog file, empty: 154 bytes of a 5.7 binlog's header events).
fn binlog_position(hostname: &str) -> (String, u64) {
    (format!("{hostname}-bin.000003"), 154)
}

/// What `xtrabackup --backup --slave-info --stream=xbstream` of this container's
/// `/var/lib/mysql` sends (our own text stream): the data files, and where the backup stands
/// in the primary's binlog (`xtrabackup_binlog_info` on the primary, `xtrabackup_slave_info`
/// on a replica, from the replication it was set up with).
fn backup_stream(host: &mut dyn ProgramHost) -> String {
    let dir = "/var/lib/mysql";
    let mut files = Vec::new();
    walk(host, dir, &mut files, 0);
    let mut out = String::from(STREAM_MAGIC);
    let mut add = |name: &str, text: &str| {
        out.push_str(&format!("{} {}\n{text}", text.len(), name));
    };
    let skip = [
        "auto.cnf",
        "xtrabackup_binlog_info",
        "xtrabackup_slave_info",
        "change_master_to.sql.in",
        "change_master_to.sql.orig",
    ];
    for (p, t) in &files {
        let rel = p.strip_prefix("/var/lib/mysql/").unwrap_or(p);
        // Binlogs and the server's own uuid are not part of a backup.
        if !skip.contains(&rel) && !rel.contains("-bin.") {
            add(rel, t);
        }
    }
    // A replica: where it replicates from, as `SHOW SLAVE STATUS` tells xtrabackup.
    let replica_of = host
        .read_file("/var/lib/mysql/change_master_to.sql.orig")
        .ok()
        .and_then(|t| {
            let re =
                regex_lite::Regex::new(r"MASTER_LOG_FILE='([^']*)',\s*MASTER_LOG_POS=([0-9]+)")
                    .ok()?;
            let c = re.captures(&t)?;
            Some((
                c.get(1)?.as_str().to_string(),
                c.get(2)?.as_str().to_string(),
            ))
        });
    match replica_of {
        Some((file, pos)) => {
            add(
                "xtrabackup_slave_info",
                &format!("CHANGE MASTER TO MASTER_LOG_FILE='{file}', MASTER_LOG_POS={pos};\n"),
            );
        }
        None => {
            let (file, pos) = binlog_position(&host.hostname());
            add("xtrabackup_binlog_info", &format!("{file}\t{pos}\n"));
        }
    }
    out
}

/// `xbstream -x -C DIR`: the files of a stream on stdin, written under DIR.
fn xbstream(args: &[String], stdin: &str, host: &mut dyn ProgramHost) -> Run {
    if !args.iter().any(|a| a == "-x" || a == "--extract") {
        return Run::unsupported_call("xbstream", args);
    }
    let dir = flag_value(args, "-C")
        .or_else(|| flag_value(args, "--directory"))
        .unwrap_or_else(|| ".".into());
    let Some(mut rest) = stdin.strip_prefix(STREAM_MAGIC) else {
        return Run::fail("xbstream: incorrect chunk magic\n", 1);
    };
    let mut n = 0;
    while !rest.is_empty() && n < MAX_STREAM_FILES {
        let Some((head, body)) = rest.split_once('\n') else {
            break;
        };
        let Some((len, name)) = head.split_once(' ') else {
            break;
        };
        let len: usize = len.parse().unwrap_or(0);
        let text = body.get(..len).unwrap_or(body);
        rest = body.get(len..).unwrap_or("");
        let path = format!("{}/{name}", dir.trim_end_matches('/'));
        if let Err(e) = host.write_file(&path, text, false) {
            return Run::fail(format!("xbstream: failed to create file {path}: {e}\n"), 1);
        }
        n += 1;
    }
    Run::ok("")
}

/// `xtrabackup --prepare --target-dir=DIR`: the backup is made consistent (an abridged log:
/// the first and last of its lines).
fn xtrabackup(args: &[String], _stdin: &str, host: &mut dyn ProgramHost) -> Run {
    if !args.iter().any(|a| a == "--prepare") {
        return Run::unsupported_call("xtrabackup", args);
    }
    let dir = flag_value(args, "--target-dir").unwrap_or_else(|| ".".into());
    let c = k8sjson::time::civil(crate::time::to_k8s_time(host.now()).0);
    let stamp = format!(
        "{:02}{:02}{:02} {}",
        c.year.rem_euclid(100),
        c.month,
        c.day,
        c.hms()
    );
    Run {
        stderr: format!(
            "xtrabackup: recognized server arguments: \nxtrabackup: recognized client arguments: --prepare=1 --target-dir={dir} \nxtrabackup: cd to {}/\nxtrabackup: This target seems to be not prepared yet.\nxtrabackup: starting shutdown with innodb_fast_shutdown = 1\n{stamp} completed OK!\n",
            dir.trim_end_matches('/')
        ),
        ..Run::ok("")
    }
}

/// The `mysql` client: `-h HOST -e SQL`. The probe's `SELECT 1` and the replication set-up
/// (`CHANGE MASTER TO …`, `START SLAVE`) succeed against a running server; other SQL is not
/// simulated.
fn mysql_client(args: &[String], stdin: &str, host: &mut dyn ProgramHost) -> Run {
    let h = flag_value(args, "-h")
        .or_else(|| flag_value(args, "--host"))
        .unwrap_or_else(|| "localhost".into());
    let sql = flag_value(args, "-e")
        .or_else(|| flag_value(args, "--execute"))
        .unwrap_or_else(|| stdin.to_string());
    let norm = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let upper = norm.to_ascii_uppercase();
    let select1 = upper.trim_end_matches(';') == "SELECT 1";
    let replication = upper.starts_with("CHANGE MASTER TO") && upper.contains("START SLAVE");
    if !select1 && !replication {
        let mut what = String::from("mysql");
        for a in args {
            what.push(' ');
            if a.contains(' ') || a.is_empty() {
                what.push_str(&format!("'{}'", a.replace('\'', "'\\''")));
            } else {
                what.push_str(a);
            }
        }
        return Run::unsupported(what);
    }
    match host.connect(&h, 3306, &norm) {
        Ok(_) if select1 => Run::ok("1\n1\n"),
        Ok(_) => Run::ok(""),
        Err(_) => Run::fail(
            format!("ERROR 2003 (HY000): Can't connect to MySQL server on '{h}' (111)\n"),
            1,
        ),
    }
}

/// `mysqladmin ping`.
fn mysqladmin(args: &[String], _stdin: &str, host: &mut dyn ProgramHost) -> Run {
    if args.iter().any(|a| a == "ping") {
        return match host.connect("127.0.0.1", 3306, "") {
            Ok(_) => Run::ok("mysqld is alive\n"),
            Err(_) => Run::fail(
                "mysqladmin: connect to server at 'localhost' failed\nerror: 'Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)'\nCheck that mysqld is running and that the socket: '/var/run/mysqld/mysqld.sock' exists!\n",
                1,
            ),
        };
    }
    Run::unsupported_call("mysqladmin", args)
}

/// The `mysql:5.7` image's entrypoint with no command: an empty data directory is
/// initialized (marker files: the system schemas, the InnoDB files, the binlog index when
/// `log-bin` is on), then mysqld serves. Returns its log (abridged: the entrypoint's notes and
/// mysqld's `ready for connections`).
pub fn mysql_entrypoint(host: &mut dyn ProgramHost) -> String {
    let now = host.now();
    let c = k8sjson::time::civil(crate::time::to_k8s_time(now).0);
    let day = format!("{}-{:02}-{:02}", c.year4(), c.month, c.day);
    let note = |m: &str| format!("{day} {}+00:00 [Note] [Entrypoint]: {m}\n", c.hms());
    let mut log = String::new();
    let started = "Entrypoint script for MySQL Server 5.7.44-1.el7 started.";
    for m in [started, "Switching to dedicated user 'mysql'", started] {
        log.push_str(&note(m));
    }
    let log_bin = host.read_file("/etc/mysql/conf.d/primary.cnf").is_ok();
    if !host.is_dir("/var/lib/mysql/mysql") {
        log.push_str(&note("Initializing database files"));
        for f in [
            "auto.cnf",
            "ibdata1",
            "ib_logfile0",
            "ib_logfile1",
            "mysql/user.frm",
            "performance_schema/db.opt",
            "sys/db.opt",
        ] {
            let _ = host.write_file(&format!("/var/lib/mysql/{f}"), "", false);
        }
        if log_bin {
            let (file, _) = binlog_position(&host.hostname());
            let _ = host.write_file(&format!("/var/lib/mysql/{file}"), "", false);
        }
        for m in [
            "Database files initialized",
            "Starting temporary server",
            "Waiting for server startup",
            "Temporary server started.",
            "Stopping temporary server",
            "Temporary server stopped\n",
            "MySQL init process done. Ready for start up.\n",
        ] {
            log.push_str(&note(m));
        }
    }
    let ts = format!("{day}T{}.000000Z", c.hms());
    let v = if log_bin { "5.7.44-log" } else { "5.7.44" };
    log.push_str(&format!(
        "{ts} 0 [Note] mysqld (mysqld {v}) starting as process 1 ...\n{ts} 0 [Note] mysqld: ready for connections.\nVersion: '{v}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server (GPL)\n"
    ));
    log
}

/// What the ZooKeeper server logs for its probes (`zookeeper-ready`'s `ruok` on the client
/// port, readiness then liveness, every period from `delay_ms` after `started` until `now`):
/// three lines per connection, as ZooKeeper 3.4's `NIOServerCnxnFactory`/`NIOServerCnxn` log
/// them with the image's log4j pattern. Only the newest `max` connections are written.
pub fn zk_probe_log(
    myid: u64,
    started: SimTime,
    now: SimTime,
    probes: &[(SimTime, SimTime)],
    max: usize,
) -> String {
    let mut conns: Vec<SimTime> = Vec::new();
    for (k, (delay, period)) in probes.iter().enumerate() {
        let period = (*period).max(1000);
        let offset = u64::try_from(k).unwrap_or(0) * 67;
        let mut t = started.saturating_add(*delay).saturating_add(offset);
        // Skip what `max` would drop anyway (bounded work for long runs).
        let n_total = now.saturating_sub(t) / period;
        let skip = n_total.saturating_sub(u64::try_from(max).unwrap_or(u64::MAX));
        t = t.saturating_add(skip.saturating_mul(period));
        while t <= now && conns.len() < max * probes.len().max(1) {
            conns.push(t);
            t = t.saturating_add(period);
        }
    }
    conns.sort_unstable();
    let first = conns.len().saturating_sub(max);
    let stamp = |t: SimTime| {
        let c = k8sjson::time::civil(crate::time::to_k8s_time(t).0);
        format!(
            "{}-{:02}-{:02} {},{:03}",
            c.year4(),
            c.month,
            c.day,
            c.hms(),
            t % 1000
        )
    };
    let mut out = String::new();
    for (i, t) in conns.iter().enumerate().skip(first) {
        let port = 40_000 + (i % 20_000);
        let thread = i + 1;
        let (a, b) = (stamp(*t), stamp(t.saturating_add(1)));
        out.push_str(&format!(
            "{a} [myid:{myid}] - INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxnFactory@192] - Accepted socket connection from /127.0.0.1:{port}\n{a} [myid:{myid}] - INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@827] - Processing ruok command from /127.0.0.1:{port}\n{b} [myid:{myid}] - INFO  [Thread-{thread}:NIOServerCnxn@1008] - Closed socket connection for client /127.0.0.1:{port} (no session established for client)\n"
        ));
    }
    out
}
