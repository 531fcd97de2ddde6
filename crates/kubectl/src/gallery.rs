//! The examples gallery: runnable StatefulSets with a script that shows each one's point and a
//! paragraph "what to watch". The files live in the repository's `examples/<id>/` (manifests,
//! `script.txt`, `README.md`), so the browser's gallery, embeds (`example="web"`), tours and the
//! CLI (`sim example ID`) share the same ids and text. The seed's are compiled in; the others'
//! are read from [`crate::texts`] (compiled in natively, fetched on first use in the browser),
//! so [`examples`] lists only the seed until [`crate::texts::ready`].
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

/// The seed example: compiled in everywhere (the page's first state; never waits for a fetch).
pub const SEED: Example = Example {
    id: "seed",
    title: "The seed: the Sticky-Pod Orchestra",
    summary: "The seed card as written: ordered pods, one claim each, an init container",
    files: &[("sts.yaml", SEED_STS), ("svc.yaml", SEED_SVC)],
    apply: "kubectl apply -f svc.yaml -f sts.yaml",
    script: include_str!("../../../examples/seed/script.txt"),
    readme: include_str!("../../../examples/seed/README.md"),
};

/// An example whose texts are in [`crate::texts`] (`examples/ID/…`): its id, title, summary,
/// file names and Apply line.
struct Fetched {
    id: &'static str,
    title: &'static str,
    summary: &'static str,
    /// (file name, its path in [`crate::texts`])
    files: &'static [(&'static str, &'static str)],
    apply: &'static str,
    script: &'static str,
    readme: &'static str,
}

macro_rules! fetched {
    ($id:literal, $title:literal, $summary:literal, [$($f:literal),*], $apply:literal) => {
        Fetched {
            id: $id,
            title: $title,
            summary: $summary,
            files: &[$(($f, concat!("examples/", $id, "/", $f))),*],
            apply: $apply,
            script: concat!("examples/", $id, "/script.txt"),
            readme: concat!("examples/", $id, "/README.md"),
        }
    };
}

/// The examples after the seed, in the gallery's order.
const FETCHED: &[Fetched] = &[
    fetched!(
        "web",
        "web: the kubernetes.io tutorial",
        "StatefulSet Basics: stable names, stable storage, ordered start",
        ["web.yaml"],
        "kubectl apply -f web.yaml"
    ),
    fetched!(
        "web-parallel",
        "web-parallel: Parallel pod management",
        "The tutorial's Parallel variant: pods start and stop together",
        ["web-parallel.yaml"],
        "kubectl apply -f web-parallel.yaml"
    ),
    fetched!(
        "canary",
        "canary: a partitioned rolling update",
        "partition: 2 updates only web-2, then the rest when lowered",
        ["web.yaml"],
        "kubectl apply -f web.yaml"
    ),
    fetched!(
        "ondelete",
        "ondelete: the OnDelete update strategy",
        "A new template replaces a pod only when you delete it",
        ["web.yaml"],
        "kubectl apply -f web.yaml"
    ),
    fetched!(
        "retention-delete",
        "retention-delete: claims deleted with their pods",
        "persistentVolumeClaimRetentionPolicy Delete on scale-down and deletion",
        ["web.yaml"],
        "kubectl apply -f web.yaml"
    ),
    fetched!(
        "start-ordinal",
        "start-ordinal: pods numbered from 5",
        "spec.ordinals.start, and moving the range",
        ["web.yaml"],
        "kubectl apply -f web.yaml"
    ),
    fetched!(
        "postgres",
        "postgres: a primary and its replicas",
        "Ordinal 0 is the primary (init script); the others stream from postgres-0.postgres",
        ["postgres.yaml"],
        "kubectl apply -f postgres.yaml"
    ),
    fetched!(
        "kafka",
        "kafka: KRaft brokers",
        "Node id from the ordinal, a log volume per broker, voters by DNS name",
        ["kafka.yaml"],
        "kubectl apply -f kafka.yaml"
    ),
    fetched!(
        "etcd",
        "etcd: a three-member cluster",
        "Peer URLs through the headless Service's per-pod DNS names",
        ["etcd.yaml"],
        "kubectl apply -f etcd.yaml"
    ),
    fetched!(
        "deployment-vs-statefulset",
        "deployment-vs-statefulset: like a Deployment, but…",
        "sim contrast: the same pods as a Deployment beside the StatefulSet; the same actions on both",
        ["web.yaml"],
        "kubectl apply -f web.yaml"
    ),
];

impl Fetched {
    /// The example, when its texts are here.
    fn example(&self) -> Option<Example> {
        let mut files = Vec::with_capacity(self.files.len());
        for (name, path) in self.files {
            files.push((*name, crate::texts::get(path)?));
        }
        Some(Example {
            id: self.id,
            title: self.title,
            summary: self.summary,
            files: Vec::leak(files),
            apply: self.apply,
            script: crate::texts::get(self.script)?,
            readme: crate::texts::get(self.readme)?,
        })
    }
}

/// Every example, in the gallery's order: the seed, then (once [`crate::texts::ready`]; always
/// natively) the others.
pub fn examples() -> &'static [Example] {
    static ALL: std::sync::OnceLock<Vec<Example>> = std::sync::OnceLock::new();
    if !crate::texts::ready() {
        return std::slice::from_ref(&SEED);
    }
    ALL.get_or_init(|| {
        let mut all = vec![SEED];
        all.extend(FETCHED.iter().filter_map(Fetched::example));
        all
    })
}

/// The example with this id.
pub fn get(id: &str) -> Option<&'static Example> {
    examples().iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_files_parse() {
        let mut ids: Vec<&str> = examples().iter().map(|e| e.id).collect();
        assert_eq!(
            ids.len(),
            FETCHED.len() + 1,
            "every example's texts are here"
        );
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), examples().len());
        for e in examples() {
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
