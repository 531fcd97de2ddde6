#![allow(clippy::panic)]
//! The kubernetes.io "StatefulSet Basics" tutorial, every command block in order, as a
//! transcript a reader can hold against the tutorial's printed output
//! (https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/; source:
//! kubernetes/website `content/en/docs/tutorials/stateful-application/basic-stateful-set.md`),
//! and the built-in tours walked to the end with every prediction resolved by the simulation.

use kubectl::Session;
use kubectl::tour;

/// The tour as a script: `# step title` then its command lines.
fn script_of(t: &tour::Tour) -> String {
    let mut s = String::new();
    for st in &t.steps {
        s.push_str(&format!("# {}\n", st.title));
        for c in &st.commands {
            s.push_str(c);
            s.push('\n');
        }
    }
    s
}

fn run(script: &str) -> kubectl::Transcript {
    let mut s = Session::new();
    let fs = s.files().clone();
    s.run_script_with(script, &fs, true)
}

/// The block of the transcript from `$ START` (or `/ # START`) up to the next prompt line.
fn block<'a>(text: &'a str, start: &str) -> &'a str {
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in transcript"));
    let rest = text.get(at + start.len()..).unwrap_or("");
    let end = ["\n$ ", "\n/ # ", "\n# "]
        .iter()
        .filter_map(|d| rest.find(d))
        .min()
        .unwrap_or(rest.len());
    rest.get(..end).unwrap_or("")
}

#[test]
fn statefulset_basics_every_command_block() {
    let t = tour::find("statefulset-basics").unwrap();
    let script = script_of(&t);
    let tr = run(&script);
    insta::assert_snapshot!("statefulset_basics", tr.text);
    assert_eq!(run(&script).text, tr.text, "not deterministic");
    let text = &tr.text;

    // The apply by URL, as the tutorial prints it.
    assert!(text.contains(
        "$ kubectl apply -f https://k8s.io/examples/application/web/web.yaml\nservice/nginx created\nstatefulset.apps/web created\n"
    ));
    // Ordered creation: web-1 appears only after web-0 is Running.
    let ordered = block(
        text,
        "# Ordered Pod creation\n$ kubectl get pods --watch -l app=nginx",
    );
    let first_web1 = ordered.find("web-1 ").unwrap();
    let web0_running = ordered.find("web-0   1/1     Running").unwrap();
    assert!(web0_running < first_web1, "{ordered}");
    // Hostnames through the host shell's for loop.
    assert!(text.contains(
        "$ for i in 0 1; do kubectl exec \"web-$i\" -- sh -c 'hostname'; done\nweb-0\nweb-1\n"
    ));
    // busybox 1.28's nslookup, from the cluster's DNS, then --rm's message.
    let ns = block(text, "/ # nslookup web-0.nginx");
    assert!(ns.starts_with("\nServer:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web-0.nginx\nAddress 1: 10.244."), "{ns}");
    assert!(
        ns.ends_with(" web-0.nginx.default.svc.cluster.local"),
        "{ns}"
    );
    assert!(text.contains("/ # exit\npod \"dns-test\" deleted from default namespace\n"));
    // The volumes keep what was written: the curl loop prints the hostnames, every time.
    let curl = "$ for i in 0 1; do kubectl exec -i -t \"web-$i\" -- curl http://localhost/; done\nweb-0\nweb-1\n";
    assert_eq!(text.matches(curl).count(), 4, "{text}");
    // The go-template with variables in range.
    assert!(text.contains("'; echo; done\nregistry.k8s.io/nginx-slim:0.24\nregistry.k8s.io/nginx-slim:0.24\nregistry.k8s.io/nginx-slim:0.24\n"));
    assert!(text.contains("'; echo; done\nregistry.k8s.io/nginx-slim:0.21\nregistry.k8s.io/nginx-slim:0.21\nregistry.k8s.io/nginx-slim:0.21\n"));
    // Claims stay after scale down and after the StatefulSet goes.
    assert!(text.contains("persistentvolumeclaim \"www-web-4\" deleted from default namespace\n"));
    // Only the OnDelete patch fails (as on a real cluster: the merged updateStrategy keeps
    // rollingUpdate) and the exec into pods that do not run yet in the Parallel section has
    // no line: every other line succeeds.
    let failed: Vec<&str> = tr
        .failed_lines
        .iter()
        .filter_map(|n| script.lines().nth(n - 1))
        .collect();
    assert_eq!(
        failed,
        [
            "kubectl patch statefulset web -p '{\"spec\":{\"updateStrategy\":{\"type\":\"OnDelete\"}}}'"
        ],
        "{text}"
    );
}

/// Walk a tour with `sim tour NAME` / `sim tour next` to its end.
fn walk(name: &str) -> String {
    let mut s = Session::new();
    let mut text = String::new();
    let o = s.run_line(&format!("sim tour {name}"));
    assert!(o.ok, "{}", o.combined);
    text.push_str(&o.combined);
    let mut guard = 0;
    while s.tour().is_some_and(|t| !t.finished()) {
        guard += 1;
        assert!(guard < 100);
        let o = s.run_line("sim tour next");
        assert!(o.ok, "{}", o.combined);
        text.push_str(&o.combined);
    }
    text
}

#[test]
fn every_tour_prediction_is_decided_by_the_simulation() {
    for name in tour::BUILT_IN {
        let text = walk(name);
        assert!(
            !text.contains("matches none of the choices"),
            "{name}:\n{text}"
        );
        let asked = tour::find(name)
            .unwrap()
            .steps
            .iter()
            .filter(|s| s.question.is_some())
            .count();
        assert_eq!(
            text.matches("prediction: the simulation says ").count(),
            asked,
            "{name}"
        );
    }
}

#[test]
fn sticky_pod_orchestra_walk() {
    let text = walk("sticky-pod-orchestra");
    insta::assert_snapshot!("sticky_pod_orchestra", text);
    for want in [
        "prediction: the simulation says nginx-with-init-container-0\n",
        "prediction: the simulation says 3\n",
        "prediction: the simulation says 5\n",
        "prediction: the simulation says nginx:1.27\n",
        "prediction: the simulation says kept\n",
        "prediction: the simulation says Terminating\n",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
}

/// The kubernetes.io "Run a Replicated Stateful Application" tutorial (MySQL;
/// https://kubernetes.io/docs/tasks/run-application/run-replicated-stateful-application/):
/// the init containers' bash scripts run as bash runs them (`set -ex` traces, `[[ =~ ]]`,
/// `BASH_REMATCH`, `$(( ))`, backquotes), the clone from the previous peer, the replication
/// set-up of the xtrabackup sidecar, ordered readiness; the client's SQL is not simulated.
#[test]
fn mysql_tutorial_init_containers_clone_and_scale() {
    let script = include_str!("scripts/tutorial_mysql.txt");
    let tr = run(script);
    insta::assert_snapshot!("tutorial_mysql", tr.text);
    assert_eq!(run(script).text, tr.text, "not deterministic");
    let text = &tr.text;
    assert_eq!(
        block(text, "$ kubectl logs mysql-1 -c init-mysql"),
        "\n++ hostname\n+ [[ mysql-1 =~ -([0-9]+)$ ]]\n+ ordinal=1\n+ echo '[mysqld]'\n+ echo server-id=101\n+ [[ 1 -eq 0 ]]\n+ cp /mnt/config-map/replica.cnf /mnt/conf.d/"
    );
    assert!(text.contains(
        "$ kubectl exec mysql-1 -c mysql -- cat /etc/mysql/conf.d/server-id.cnf\n[mysqld]\nserver-id=101\n"
    ));
    // The primary skips the clone; a replica receives it from its predecessor.
    assert!(
        block(text, "$ kubectl logs mysql-0 -c clone-mysql").ends_with("+ [[ 0 -eq 0 ]]\n+ exit 0")
    );
    let clone = block(text, "$ kubectl logs mysql-1 -c clone-mysql");
    assert!(clone.contains("+ ncat --recv-only mysql-0.mysql 3307\n+ xbstream -x -C /var/lib/mysql\n+ xtrabackup --prepare --target-dir=/var/lib/mysql\n"), "{clone}");
    assert!(clone.ends_with(" completed OK!"), "{clone}");
    // mysql-2 cloned from the replica mysql-1: the replica's position in the primary's binlog.
    assert!(text.contains("$ kubectl exec mysql-2 -c xtrabackup -- cat /var/lib/mysql/change_master_to.sql.orig\nCHANGE MASTER TO MASTER_LOG_FILE='mysql-0-bin.000003', MASTER_LOG_POS=154\n"));
    // Ordered: mysql-1 starts only once mysql-0 is Ready.
    let watch = block(text, "$ kubectl get pods -l app=mysql --watch");
    let m0_ready = watch.find("mysql-0   2/2     Running").unwrap();
    let m1 = watch.find("mysql-1 ").unwrap();
    assert!(m0_ready < m1, "{watch}");
    // SQL beyond the probe's is ours to say we do not simulate.
    assert!(
        text.contains(
            "stsplay: `mysql -h mysql-0.mysql -e 'CREATE DATABASE test'` is not simulated"
        )
    );
    // A re-created replica keeps its data: the clone is skipped.
    assert_eq!(
        block(text, "$ kubectl logs mysql-2 -c clone-mysql"),
        "\n+ [[ -d /var/lib/mysql/mysql ]]\n+ exit 0"
    );
    assert!(text.contains("[mysqld]\nserver-id=104\n"));
}

/// The kubernetes.io ZooKeeper tutorial
/// (https://kubernetes.io/docs/tutorials/stateful-application/zookeeper/): the ensemble shares
/// what `zkCli.sh` writes and keeps it across the StatefulSet's deletion (it lives in the
/// pods' volumes), `ps`, the non-privileged user, `pkill java` restarting the container, the
/// probes' `zookeeper-ready` and the log they leave.
#[test]
fn zookeeper_tutorial_ensemble_storage_and_processes() {
    let script = include_str!("scripts/tutorial_zookeeper.txt");
    let tr = run(script);
    insta::assert_snapshot!("tutorial_zookeeper", tr.text);
    assert_eq!(run(script).text, tr.text, "not deterministic");
    let text = &tr.text;
    let banner = "WATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n";
    assert!(text.contains(&format!(
        "$ kubectl exec zk-0 -- zkCli.sh create /hello world\n{banner}Created /hello\n"
    )));
    let get = block(text, "$ kubectl exec zk-1 -- zkCli.sh get /hello");
    assert!(
        get.starts_with(&format!("\n{banner}world\ncZxid = 0x100000002\nctime = ")),
        "{get}"
    );
    assert!(get.ends_with("\ndataLength = 5\nnumChildren = 0"), "{get}");
    assert!(text.contains("Node already exists: /hello"));
    // After the StatefulSet was deleted and applied again, zk-2 still serves the value.
    let again = block(text, "$ kubectl exec zk-2 -- zkCli.sh get /hello");
    assert_eq!(again, get);
    // The image's start script writes log4j.properties into its conf dir.
    assert!(text.contains("log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n\n"));
    let logs = block(text, "$ kubectl logs zk-0 --tail 20");
    assert_eq!(logs.lines().count(), 21, "{logs}");
    assert!(logs.contains("[myid:1] - INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@827] - Processing ruok command from /127.0.0.1:"));
    let ps = block(text, "$ kubectl exec zk-0 -- ps -elf");
    assert!(ps.starts_with("\nF S UID        PID  PPID  C PRI  NI ADDR SZ WCHAN  STIME TTY          TIME CMD\n4 S zookeep+     1     0  0  80   0 -  1127 -      "), "{ps}");
    assert!(ps.contains(" org.apache.zookeeper.server.quorum.QuorumPeerMain /opt/zookeeper/bin/../conf/zoo.cfg\n"), "{ps}");
    assert!(
        text.contains("drwxr-sr-x 3 zookeeper zookeeper 4096 "),
        "{text}"
    );
    // pkill java: the container exits with the JVM's SIGTERM status and restarts.
    let after = text
        .rsplit("$ kubectl exec zk-0 -- pkill java")
        .next()
        .unwrap();
    assert!(after.contains("zk-0   0/1     Error     0 "), "{after}");
    assert!(after.contains("zk-0   1/1     Running   1 ("), "{after}");
    assert!(
        text.contains(
            "$ kubectl exec zk-0 -- sh -c \"zookeeper-ready 2181 && echo ready\"\nready\n"
        )
    );
}
