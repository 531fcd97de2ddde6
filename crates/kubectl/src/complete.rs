//! Tab completion of the command language, shared by the CLI's prompt and the browser console:
//! commands, kubectl verbs, `sim` directives, resource types and the names of objects in the
//! simulated cluster.

use crate::resources::{ALL, Res};
use sim::sort::Sort as _;

const VERBS: &[&str] = &[
    "annotate",
    "api-resources",
    "apply",
    "cluster-info",
    "config",
    "cordon",
    "create",
    "delete",
    "describe",
    "drain",
    "edit",
    "events",
    "exec",
    "explain",
    "get",
    "label",
    "logs",
    "patch",
    "rollout",
    "run",
    "scale",
    "set",
    "uncordon",
    "version",
    "wait",
];
const SIM: &[&str] = &[
    "step",
    "settle",
    "advance",
    "back",
    "redo",
    "seek",
    "timeline",
    "example",
    "time",
    "why",
    "reset",
    "nodes",
    "fault",
    "feature-gates",
    "hints",
    "contrast",
    "diagram",
    "tour",
    "export-kind",
    "help",
];
const ROLLOUT: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];

/// What the completer knows about the cluster: object names by resource type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// (resource, object names)
    pub objects: Vec<(Res, Vec<String>)>,
}

impl Names {
    /// The names of the objects in `ns` a learner types most.
    pub fn from_store(store: &sim::store::Store, ns: &str) -> Names {
        let mut objects = Vec::new();
        for r in [
            Res::Pod,
            Res::StatefulSet,
            Res::Service,
            Res::Pvc,
            Res::Pv,
            Res::Node,
            Res::StorageClass,
            Res::ControllerRevision,
        ] {
            let v: Vec<String> = crate::objects::list(store, r, Some(ns), 0)
                .into_iter()
                .map(|i| i.name)
                .collect();
            objects.push((r, v));
        }
        Names { objects }
    }
}

fn type_words() -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for r in ALL {
        v.push(r.plural().to_string());
        v.extend(r.short_names().iter().map(|s| s.to_string()));
    }
    v.push("all".into());
    v.stable_sort();
    v.dedup();
    v
}

/// Candidates for the word being typed, given the words before it.
pub fn candidates(before: &[&str], names: &Names) -> Vec<String> {
    match before {
        [] => vec!["kubectl".into(), "k".into(), "sim".into()],
        ["sim"] => SIM.iter().map(|s| s.to_string()).collect(),
        ["sim", "example"] => crate::gallery::examples()
            .iter()
            .map(|e| e.id.to_string())
            .collect(),
        ["sim", "feature-gates", ..] => sim::config::Gate::ALL
            .into_iter()
            .filter(|g| g.spec(sim::config::K8sVersion::default()).is_some())
            .flat_map(|g| [format!("{}=true", g.name()), format!("{}=false", g.name())])
            .collect(),
        ["kubectl" | "k"] => VERBS.iter().map(|s| s.to_string()).collect(),
        ["kubectl" | "k", "rollout"] => ROLLOUT.iter().map(|s| s.to_string()).collect(),
        ["kubectl" | "k", "set"] => vec!["image".into()],
        ["kubectl" | "k", "explain"] => type_words(),
        [
            "kubectl" | "k",
            "get" | "describe" | "delete" | "edit" | "label" | "annotate" | "patch" | "scale",
        ] => type_words(),
        ["kubectl" | "k", "logs" | "exec"] => names_of(names, Res::Pod),
        ["kubectl" | "k", "rollout", _] => names_of(names, Res::StatefulSet)
            .into_iter()
            .map(|n| format!("sts/{n}"))
            .collect(),
        ["kubectl" | "k", "cordon" | "uncordon" | "drain"] => names_of(names, Res::Node),
        ["kubectl" | "k", _, ty, ..] => match Res::lookup(ty) {
            Some(r) => names_of(names, r),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn names_of(names: &Names, r: Res) -> Vec<String> {
    names
        .objects
        .iter()
        .filter(|(x, _)| *x == r)
        .flat_map(|(_, v)| v.clone())
        .collect()
}

/// Complete the word that ends at byte `pos` of `line`: where it starts, and the candidates
/// that extend it (flags are skipped when reading the words before it).
pub fn complete(line: &str, pos: usize, names: &Names) -> (usize, Vec<String>) {
    let upto = line.get(..pos).unwrap_or(line);
    let start = upto.rfind(' ').map_or(0, |i| i + 1);
    let word = upto.get(start..).unwrap_or("");
    let before: Vec<&str> = upto
        .get(..start)
        .unwrap_or("")
        .split_whitespace()
        .filter(|w| !w.starts_with('-'))
        .collect();
    let out = candidates(&before, names)
        .into_iter()
        .filter(|c| c.starts_with(word))
        .collect();
    (start, out)
}

/// The longest prefix every candidate shares (what one Tab can fill in).
pub fn common_prefix(candidates: &[String]) -> String {
    let Some(first) = candidates.first() else {
        return String::new();
    };
    let mut end = first.len();
    for c in candidates.iter().skip(1) {
        end = first
            .char_indices()
            .zip(c.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first.get(..end).unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_verbs_types_and_names() {
        let names = Names {
            objects: vec![(Res::Pod, vec!["nginx-with-init-container-0".into()])],
        };
        assert!(candidates(&["kubectl"], &names).contains(&"get".to_string()));
        assert!(candidates(&["k", "get"], &names).contains(&"sts".to_string()));
        assert_eq!(
            candidates(&["kubectl", "describe", "pod"], &names),
            ["nginx-with-init-container-0"]
        );
        assert!(candidates(&["sim"], &names).contains(&"settle".to_string()));
        assert!(candidates(&["sim"], &names).contains(&"seek".to_string()));
        assert!(candidates(&["sim"], &names).contains(&"feature-gates".to_string()));
        assert_eq!(
            candidates(&["sim", "feature-gates"], &names),
            [
                "MaxUnavailableStatefulSet=true",
                "MaxUnavailableStatefulSet=false"
            ]
        );
    }

    #[test]
    fn complete_finds_the_word_and_skips_flags() {
        let names = Names {
            objects: vec![(Res::Pod, vec!["web-0".into(), "web-1".into()])],
        };
        let (start, c) = complete("kubectl logs -f we", 18, &names);
        assert_eq!(start, 16);
        assert_eq!(c, ["web-0", "web-1"]);
        assert_eq!(common_prefix(&c), "web-");
        assert_eq!(complete("sim se", 6, &names).1, ["settle", "seek"]);
        assert_eq!(common_prefix(&["settle".into(), "seek".into()]), "se");
        assert_eq!(common_prefix(&[]), "");
        // A position past the end or inside a multi-byte character completes nothing odd.
        assert_eq!(complete("k gét", 4, &names).1, Vec::<String>::new());
    }
}
