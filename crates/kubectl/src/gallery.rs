//! The examples gallery: runnable StatefulSets with a script that shows each one's point and a
//! paragraph "what to watch". The files live in the repository's `examples/<id>/` (manifests,
//! `script.txt`, `README.md`) and are compiled in here, so the browser's gallery, embeds
//! (`example="web"`), tours and the CLI (`sim example ID`) share the same ids and text.
//!
//! The ids are stable: links and pages in the wild name them.

use crate::session::{SEED_STS, SEED_SVC};

/// One example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Stable id (`seed`, `web`, …).
    pub id: &'static str,
    pub title: &'static str,
    /// One line for the gallery's list.
    pub summary: &'static str,
    /// (file name, text) in the order the editor shows them.
    pub files: &'static [(&'static str, &'static str)],
    /// The line that applies the files (the Apply button's line).
    pub apply: &'static str,
    /// Command lines that show the example's point (`#` lines are comments).
    pub script: &'static str,
    /// `README.md`: the title line, then "what to watch".
    pub readme: &'static str,
}

impl Example {
    /// The README's paragraphs after its title line (plain text; `` ` `` kept).
    pub fn what_to_watch(&self) -> Vec<String> {
        let mut paras: Vec<String> = Vec::new();
        let mut cur = String::new();
        for line in self.readme.lines().skip_while(|l| l.starts_with('#')) {
            if line.trim().is_empty() {
                if !cur.is_empty() {
                    paras.push(std::mem::take(&mut cur));
                }
            } else {
                if !cur.is_empty() {
                    cur.push(' ');
                }
                cur.push_str(line.trim());
            }
        }
        if !cur.is_empty() {
            paras.push(cur);
        }
        paras
    }

    /// The script's command lines (comments and blank lines dropped).
    pub fn script_lines(&self) -> impl Iterator<Item = &'static str> {
        self.script
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
    }
}

macro_rules! ex {
    ($dir:literal, $file:literal) => {
        include_str!(concat!("../../../examples/", $dir, "/", $file))
    };
}

/// Every example, in the gallery's order.
pub const EXAMPLES: &[Example] = &[
    Example {
        id: "seed",
        title: "The seed: the Sticky-Pod Orchestra",
        summary: "The seed card as written: ordered pods, one claim each, an init container",
        files: &[("sts.yaml", SEED_STS), ("svc.yaml", SEED_SVC)],
        apply: "kubectl apply -f svc.yaml -f sts.yaml",
        script: ex!("seed", "script.txt"),
        readme: ex!("seed", "README.md"),
    },
    Example {
        id: "web",
        title: "web: the kubernetes.io tutorial",
        summary: "StatefulSet Basics: stable names, stable storage, ordered start",
        files: &[("web.yaml", ex!("web", "web.yaml"))],
        apply: "kubectl apply -f web.yaml",
        script: ex!("web", "script.txt"),
        readme: ex!("web", "README.md"),
    },
    Example {
        id: "web-parallel",
        title: "web-parallel: Parallel pod management",
        summary: "The tutorial's Parallel variant: pods start and stop together",
        files: &[(
            "web-parallel.yaml",
            ex!("web-parallel", "web-parallel.yaml"),
        )],
        apply: "kubectl apply -f web-parallel.yaml",
        script: ex!("web-parallel", "script.txt"),
        readme: ex!("web-parallel", "README.md"),
    },
    Example {
        id: "canary",
        title: "canary: a partitioned rolling update",
        summary: "partition: 2 updates only web-2, then the rest when lowered",
        files: &[("web.yaml", ex!("canary", "web.yaml"))],
        apply: "kubectl apply -f web.yaml",
        script: ex!("canary", "script.txt"),
        readme: ex!("canary", "README.md"),
    },
    Example {
        id: "ondelete",
        title: "ondelete: the OnDelete update strategy",
        summary: "A new template replaces a pod only when you delete it",
        files: &[("web.yaml", ex!("ondelete", "web.yaml"))],
        apply: "kubectl apply -f web.yaml",
        script: ex!("ondelete", "script.txt"),
        readme: ex!("ondelete", "README.md"),
    },
    Example {
        id: "retention-delete",
        title: "retention-delete: claims deleted with their pods",
        summary: "persistentVolumeClaimRetentionPolicy Delete on scale-down and deletion",
        files: &[("web.yaml", ex!("retention-delete", "web.yaml"))],
        apply: "kubectl apply -f web.yaml",
        script: ex!("retention-delete", "script.txt"),
        readme: ex!("retention-delete", "README.md"),
    },
    Example {
        id: "start-ordinal",
        title: "start-ordinal: pods numbered from 5",
        summary: "spec.ordinals.start, and moving the range",
        files: &[("web.yaml", ex!("start-ordinal", "web.yaml"))],
        apply: "kubectl apply -f web.yaml",
        script: ex!("start-ordinal", "script.txt"),
        readme: ex!("start-ordinal", "README.md"),
    },
    Example {
        id: "postgres",
        title: "postgres: a primary and its replicas",
        summary: "Ordinal 0 is the primary (init script); the others stream from postgres-0.postgres",
        files: &[("postgres.yaml", ex!("postgres", "postgres.yaml"))],
        apply: "kubectl apply -f postgres.yaml",
        script: ex!("postgres", "script.txt"),
        readme: ex!("postgres", "README.md"),
    },
    Example {
        id: "kafka",
        title: "kafka: KRaft brokers",
        summary: "Node id from the ordinal, a log volume per broker, voters by DNS name",
        files: &[("kafka.yaml", ex!("kafka", "kafka.yaml"))],
        apply: "kubectl apply -f kafka.yaml",
        script: ex!("kafka", "script.txt"),
        readme: ex!("kafka", "README.md"),
    },
    Example {
        id: "etcd",
        title: "etcd: a three-member cluster",
        summary: "Peer URLs through the headless Service's per-pod DNS names",
        files: &[("etcd.yaml", ex!("etcd", "etcd.yaml"))],
        apply: "kubectl apply -f etcd.yaml",
        script: ex!("etcd", "script.txt"),
        readme: ex!("etcd", "README.md"),
    },
    Example {
        id: "deployment-vs-statefulset",
        title: "deployment-vs-statefulset: like a Deployment, but…",
        summary: "sim contrast: the same pods as a Deployment beside the StatefulSet; the same actions on both",
        files: &[("web.yaml", ex!("deployment-vs-statefulset", "web.yaml"))],
        apply: "kubectl apply -f web.yaml",
        script: ex!("deployment-vs-statefulset", "script.txt"),
        readme: ex!("deployment-vs-statefulset", "README.md"),
    },
];

/// The example with this id.
pub fn get(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_files_parse() {
        let mut ids: Vec<&str> = EXAMPLES.iter().map(|e| e.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), EXAMPLES.len());
        for e in EXAMPLES {
            assert!(!e.what_to_watch().is_empty(), "{}", e.id);
            assert!(e.readme.starts_with("# "), "{}", e.id);
            for (name, text) in e.files {
                for d in intake::parse(text, name) {
                    assert!(d.is_ok(), "{}/{name} has a diagnostic", e.id);
                }
                assert!(e.apply.contains(name), "{}: Apply applies {name}", e.id);
            }
        }
    }
}
