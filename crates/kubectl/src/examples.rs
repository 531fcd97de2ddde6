//! The kubernetes.io tutorial examples `kubectl apply -f URL` can read: the playground has no
//! network, so the files the StatefulSet tutorials apply by URL are built in.
//!
//! Each example is reachable at `https://k8s.io/examples/PATH` (the short address the
//! tutorials print; it redirects to `https://kubernetes.io/examples/PATH`), at
//! `https://kubernetes.io/examples/PATH`, and at the raw GitHub address of the same file in
//! kubernetes/website (`https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/PATH`).
//!
//! The manifests (`k8s-examples/application/…`) carry the published examples' facts — names,
//! labels, images, ports, probes, replicas, claim templates, scripts — as read from
//! kubernetes/website `content/en/examples/application/` (web, zookeeper, cassandra, mysql);
//! the upstream comments are shortened. Where the published files disagree with their
//! tutorial text, the files win (e.g. `web-parallel.yaml` labels its objects
//! `app.kubernetes.io/name: nginx` while the tutorial watches `-l app=nginx`; `zookeeper.yaml`
//! selects `app.kubernetes.io/name: zk` while its anti-affinity term matches `app`).
//!
//! Any other URL is a one-line error naming the known ones ([`unknown_url`]).

/// (path under `examples/`, the tutorial that applies it); the files are in [`crate::texts`]
/// (`crates/kubectl/k8s-examples/PATH`: compiled in natively, fetched on first use in the browser).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("application/web/web.yaml", "StatefulSet Basics"),
    ("application/web/web-parallel.yaml", "StatefulSet Basics"),
    (
        "application/zookeeper/zookeeper.yaml",
        "Running ZooKeeper, A Distributed System Coordinator",
    ),
    (
        "application/cassandra/cassandra-service.yaml",
        "Deploying Apache Cassandra with a StatefulSet",
    ),
    (
        "application/cassandra/cassandra-statefulset.yaml",
        "Deploying Apache Cassandra with a StatefulSet",
    ),
    (
        "application/mysql/mysql-configmap.yaml",
        "Run a Replicated Stateful Application",
    ),
    (
        "application/mysql/mysql-services.yaml",
        "Run a Replicated Stateful Application",
    ),
    (
        "application/mysql/mysql-statefulset.yaml",
        "Run a Replicated Stateful Application",
    ),
];

/// Address prefixes that serve `examples/PATH`.
const PREFIXES: &[&str] = &[
    "k8s.io/examples/",
    "kubernetes.io/examples/",
    "www.kubernetes.io/examples/",
    "raw.githubusercontent.com/kubernetes/website/main/content/en/examples/",
    "github.com/kubernetes/website/raw/main/content/en/examples/",
];

/// Whether a `-f` argument is a URL (kubectl reads `http://` and `https://` addresses).
pub fn is_url(path: &str) -> bool {
    path.starts_with("http://") || path.starts_with("https://")
}

/// The example file a URL names.
pub fn lookup(url: &str) -> Option<&'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    PREFIXES.iter().find_map(|p| {
        let path = rest.strip_prefix(p)?;
        EXAMPLES
            .iter()
            .find(|(ep, _)| *ep == path)
            .and_then(|_| crate::texts::get(&format!("crates/kubectl/k8s-examples/{path}")))
    })
}

/// The short addresses of every built-in example.
pub fn known_urls() -> Vec<String> {
    EXAMPLES
        .iter()
        .map(|(p, _)| format!("https://k8s.io/examples/{p}"))
        .collect()
}

/// The one-line error for a URL the playground does not have (ours: kubectl would fetch it).
pub fn unknown_url(url: &str) -> String {
    format!(
        "error: stsplay has no network access, so it cannot read {url:?}; it knows these tutorial examples (also at their kubernetes.io and raw.githubusercontent.com/kubernetes/website addresses): {}",
        known_urls().join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Session;

    #[test]
    fn every_address_form_finds_the_file() {
        let web = lookup("https://k8s.io/examples/application/web/web.yaml").unwrap();
        assert!(web.contains("name: web"));
        for u in [
            "http://k8s.io/examples/application/web/web.yaml",
            "https://kubernetes.io/examples/application/web/web.yaml",
            "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/application/web/web.yaml",
        ] {
            assert_eq!(lookup(u), Some(web), "{u}");
        }
        assert_eq!(
            lookup("https://k8s.io/examples/application/web/nope.yaml"),
            None
        );
        assert_eq!(lookup("https://example.com/web.yaml"), None);
        assert_eq!(lookup("web.yaml"), None);
    }

    /// Every example decodes and applies without an error on the simulated cluster (the
    /// ZooKeeper one with its PodDisruptionBudget, policy/v1).
    #[test]
    fn every_example_applies() {
        for (path, _) in EXAMPLES {
            let mut s = Session::new();
            let o = s.run_line(&format!("kubectl apply -f https://k8s.io/examples/{path}"));
            assert!(o.ok, "{path}: {}", o.combined);
            if path.contains("zookeeper") {
                assert!(
                    o.stdout
                        .contains("poddisruptionbudget.policy/zk-pdb created"),
                    "{}",
                    o.combined
                );
            }
        }
    }

    /// The tutorials' StatefulSets settle where they would on kind: ZooKeeper's start script
    /// writes `myid` and `zoo.cfg`; Cassandra's claims wait forever for the
    /// `k8s.io/minikube-hostpath` provisioner kind does not run; MySQL's three pods run (their
    /// init scripts, the clone and the replication set-up run in `sim::shell`/`programs`).
    #[test]
    fn the_tutorials_settle_as_on_kind() {
        let mut s = Session::new();
        s.run_line("kubectl apply -f https://k8s.io/examples/application/zookeeper/zookeeper.yaml");
        s.run_line("sim settle");
        let o = s.run_line(
            "for i in 0 1 2; do kubectl exec zk-$i -- cat /var/lib/zookeeper/data/myid; done",
        );
        assert_eq!(o.stdout, "1\n2\n3\n");
        let o = s.run_line("kubectl exec zk-0 -- cat /opt/zookeeper/conf/zoo.cfg");
        assert!(
            o.stdout
                .ends_with("server.3=zk-2.zk-hs.default.svc.cluster.local:2888:3888\n"),
            "{}",
            o.stdout
        );

        let mut s = Session::new();
        s.run_line(
            "kubectl apply -f https://k8s.io/examples/application/cassandra/cassandra-service.yaml",
        );
        s.run_line("kubectl apply -f https://k8s.io/examples/application/cassandra/cassandra-statefulset.yaml");
        s.run_line("sim settle");
        let o = s.run_line("kubectl get pods,pvc --no-headers");
        assert!(
            o.stdout.contains("pod/cassandra-0   0/1   Pending"),
            "{}",
            o.stdout
        );
        assert!(
            o.stdout
                .contains("persistentvolumeclaim/cassandra-data-cassandra-0   Pending"),
            "{}",
            o.stdout
        );

        let mut s = Session::new();
        for f in ["mysql-configmap", "mysql-services", "mysql-statefulset"] {
            let o = s.run_line(&format!(
                "kubectl apply -f https://k8s.io/examples/application/mysql/{f}.yaml"
            ));
            assert!(o.ok, "{}", o.combined);
        }
        s.run_line("sim settle");
        let o = s.run_line("kubectl get pods -l app=mysql --no-headers");
        assert_eq!(o.stdout.matches("2/2   Running").count(), 3, "{}", o.stdout);
    }

    #[test]
    fn unknown_urls_say_there_is_no_network() {
        let mut s = Session::new();
        let o = s.run_line("kubectl apply -f https://example.com/app.yaml");
        assert!(!o.ok);
        assert_eq!(o.stderr.lines().count(), 1, "{}", o.stderr);
        assert!(o.stderr.starts_with(
            "error: stsplay has no network access, so it cannot read \"https://example.com/app.yaml\"; it knows these tutorial examples"
        ));
        assert!(
            o.stderr
                .contains("https://k8s.io/examples/application/web/web.yaml")
        );
    }
}
