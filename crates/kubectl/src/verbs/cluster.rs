//! Nodes, discovery and config: `cordon`, `uncordon`, `drain`, `api-resources`, `version`, `cluster-info`, `config`.

use super::*;
use crate::dryrun::DryRun;
#[allow(unused_imports)]
use sim::sort::Sort as _;

// Not inlined into `verbs::run`, so the release build can move it to the second wasm module
// when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(super) fn cordon(s: &mut Session, args: &[String], out: &mut Out, on: bool) {
    let specs = [v("selector", Some('l')), crate::dryrun::FLAG];
    let path = if on {
        "kubectl cordon"
    } else {
        "kubectl uncordon"
    };
    let Some(p) = parse_or_fail(args, &specs, path, out) else {
        return;
    };
    let Some(node) = p.positional.first() else {
        out.fail(format!(
            "error: USAGE: {} NODE [flags]\nSee '{path} -h' for help and examples",
            if on { "cordon" } else { "uncordon" }
        ));
        return;
    };
    // `DrainCmdOptions.Complete` / `RunCordonOrUncordon` (kubectl `pkg/cmd/drain/drain.go`,
    // v0.35.0): every line gets the dry-run suffix, `already cordoned` included.
    let Some(dry) = DryRun::from_flag(&p, s.cluster.now(), out) else {
        return;
    };
    let was = s
        .cluster
        .store()
        .get::<k8s_openapi::api::core::v1::Node>("", node)
        .map(|n| {
            n.spec
                .as_ref()
                .and_then(|sp| sp.unschedulable)
                .unwrap_or(false)
        });
    let Some(was) = was else {
        out.fail(format!(
            "Error from server (NotFound): nodes \"{node}\" not found"
        ));
        return;
    };
    let word = if on { "cordoned" } else { "uncordoned" };
    if was == on {
        out.outln(format!("node/{node} already {word}{}", dry.suffix()));
        return;
    }
    let cmd = Command::Cordon {
        node: node.clone(),
        on,
    };
    let res = match dry {
        DryRun::Client => Ok(()),
        DryRun::Server | DryRun::None => dry.send(&mut s.cluster, cmd).map(|_| ()),
    };
    match res {
        Ok(()) => out.outln(format!("node/{node} {word}{}", dry.suffix())),
        Err(e) => out.fail(sim_error_line(&e, None)),
    }
}

pub(super) fn drain(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        b("ignore-daemonsets", None),
        b("delete-emptydir-data", None),
        b("force", None),
        i("grace-period", None),
        v("timeout", None),
        v("selector", Some('l')),
        v("pod-selector", None),
        b("disable-eviction", None),
        crate::dryrun::FLAG,
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl drain", out) else {
        return;
    };
    let Some(node) = p.positional.first().cloned() else {
        out.fail("error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples");
        return;
    };
    let Some(dry) = DryRun::from_flag(&p, s.cluster.now(), out) else {
        return;
    };
    let sfx = dry.suffix();
    if s.cluster
        .store()
        .get::<k8s_openapi::api::core::v1::Node>("", &node)
        .is_none()
    {
        out.fail(format!(
            "Error from server (NotFound): nodes \"{node}\" not found"
        ));
        return;
    }
    let cordoned = |s: &Session| {
        s.cluster
            .store()
            .get::<k8s_openapi::api::core::v1::Node>("", &node)
            .and_then(|n| n.spec.as_ref().and_then(|sp| sp.unschedulable))
            .unwrap_or(false)
    };
    let cordon_line = if cordoned(s) {
        format!("node/{node} already cordoned{sfx}")
    } else {
        format!("node/{node} cordoned{sfx}")
    };
    // drain's pod filters (`k8s.io/kubectl/pkg/drain/filters.go`): mirror pods are skipped
    // silently; DaemonSet pods stop the drain unless --ignore-daemonsets (then a warning).
    let daemon_pods: Vec<String> = s
        .cluster
        .store()
        .list::<k8s_openapi::api::core::v1::Pod>(None)
        .filter(|p| p.spec.as_ref().and_then(|sp| sp.node_name.as_deref()) == Some(node.as_str()))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| sim::system::is_daemonset_pod(p))
        .map(|p| {
            format!(
                "{}/{}",
                p.metadata.namespace.as_deref().unwrap_or_default(),
                p.metadata.name.as_deref().unwrap_or_default()
            )
        })
        .collect();
    if !daemon_pods.is_empty() && !p.bool("ignore-daemonsets") {
        let cmd = Command::Cordon {
            node: node.clone(),
            on: true,
        };
        let res = match dry {
            DryRun::Client => Ok(()),
            DryRun::Server | DryRun::None => dry.send(&mut s.cluster, cmd).map(|_| ()),
        };
        if let Err(e) = res {
            out.fail(sim_error_line(&e, None));
            return;
        }
        out.outln(&cordon_line);
        let msg = format!(
            "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}",
            daemon_pods.join(", ")
        );
        out.err(format!(
            "error: unable to drain node \"{node}\" due to error: {msg}, continuing command..."
        ));
        out.err("There are pending nodes to be drained:");
        out.err(format!(" {node}"));
        out.fail(format!("error: {msg}"));
        return;
    }
    out.outln(&cordon_line);
    if !daemon_pods.is_empty() {
        out.err(format!(
            "Warning: ignoring DaemonSet-managed Pods: {}",
            daemon_pods.join(", ")
        ));
    }
    // A dry run finds the same pods (`GetPodsForDeletion`) and evicts none: a client dry run
    // lists them with ` (dry run)`, a server dry run sends each eviction with `dryRun=All` and
    // does not wait for the pod to go (kubectl `pkg/drain/drain.go` `evictPods`, v0.35.0).
    if dry.is_dry() {
        match s.cluster.dry_run(Command::Drain { node: node.clone() }) {
            Ok(a) => {
                for m in &a.messages {
                    out.outln(format!("evicting pod {m}{sfx}"));
                }
                out.outln(format!("node/{node} drained{sfx}"));
            }
            Err(e) => out.fail(sim_error_line(&e, None)),
        }
        return;
    }
    let Some(timeout) = super::rollout_watch::timeout_flag(&p, out) else {
        return;
    };
    if let Err(e) = s.cluster.apply(Command::Cordon {
        node: node.clone(),
        on: true,
    }) {
        out.fail(sim_error_line(&e, None));
        return;
    }
    let pods = sim::drain_targets(s.cluster.store(), &node);
    let res = if p.bool("disable-eviction") {
        s.cluster
            .apply(Command::Drain { node: node.clone() })
            .map(|_| ())
            .map_err(|e| sim_error_line(&e, None))
            .and_then(|()| super::drain_wait::wait(s, pods, false, timeout, out))
    } else {
        super::drain_wait::wait(s, pods, true, timeout, out)
    };
    match res {
        Ok(()) => out.outln(format!("node/{node} drained")),
        // `deleteOrEvictPodsSimple` and `RunDrain` (kubectl `pkg/cmd/drain/drain.go`).
        Err(msg) if msg.is_empty() => {}
        Err(msg) => {
            let pending = sim::drain_targets(s.cluster.store(), &node);
            if !pending.is_empty() {
                out.err(format!(
                    "There are pending pods in node \"{node}\" when an error occurred: {msg}"
                ));
                for (_, n) in &pending {
                    out.err(format!("pod/{n}"));
                }
            }
            out.err(format!(
                "error: unable to drain node \"{node}\" due to error: {msg}, continuing command..."
            ));
            out.err("There are pending nodes to be drained:");
            out.err(format!(" {node}"));
            out.fail(format!("error: {msg}"));
        }
    }
}

// Not inlined into `verbs::run`, so the release build can move it to the second wasm module
// when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(super) fn api_resources(args: &[String], out: &mut Out) {
    let specs = [
        b("namespaced", None),
        v("api-group", None),
        v("output", Some('o')),
        b("no-headers", None),
        v("verbs", None),
        v("sort-by", None),
        b("cached", None),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl api-resources", out) else {
        return;
    };
    let mut rows = Vec::new();
    if !p.bool("no-headers") {
        rows.push(vec![
            "NAME".into(),
            "SHORTNAMES".into(),
            "APIVERSION".into(),
            "NAMESPACED".into(),
            "KIND".into(),
        ]);
    }
    let mut all: Vec<Res> = resources::ALL.to_vec();
    all.stable_sort_by_key(|r| (r.group().to_string(), r.plural().to_string()));
    for r in all {
        if p.has("namespaced") && r.namespaced() != p.bool("namespaced") {
            continue;
        }
        // kubectl `pkg/cmd/apiresources/apiresources.go` (v0.35.0): a set `--api-group`
        // keeps that group only (`--api-group=` is the core group).
        if p.has("api-group") && p.value("api-group") != Some(r.group()) {
            continue;
        }
        if p.value("output") == Some("name") {
            let n = if r.group().is_empty() {
                r.plural().to_string()
            } else {
                format!("{}.{}", r.plural(), r.group())
            };
            out.outln(n);
            continue;
        }
        rows.push(vec![
            r.plural().into(),
            r.short_names().join(","),
            r.api_version(),
            r.namespaced().to_string(),
            r.kind().into(),
        ]);
    }
    if p.value("output") != Some("name") {
        out.out(crate::table::render(&rows));
    }
}

// Not inlined into `verbs::run`, so the release build can move it to the second wasm module
// when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(super) fn version(args: &[String], out: &mut Out) {
    let specs = [b("client", None), v("output", Some('o'))];
    let Some(p) = parse_or_fail(args, &specs, "kubectl version", out) else {
        return;
    };
    out.outln(format!("Client Version: {KUBECTL_VERSION}"));
    out.outln("Kustomize Version: v5.7.1");
    if !p.bool("client") {
        out.outln(format!("Server Version: {SERVER_VERSION}"));
    }
}

// Not inlined into `verbs::run`, so the release build can move it to the second wasm module
// when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(super) fn cluster_info(args: &[String], out: &mut Out) {
    let Some(_p) = parse_or_fail(args, &[], "kubectl cluster-info", out) else {
        return;
    };
    out.outln("Kubernetes control plane is running at https://127.0.0.1:6443");
    out.outln("CoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy");
    out.outln("");
    out.outln("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.");
}

// Not inlined into `verbs::run`, so the release build can move it to the second wasm module
// when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(super) fn config(args: &[String], out: &mut Out) {
    if let Some(sub @ ("current-context" | "get-contexts")) = args.first().map(String::as_str)
        && args.iter().any(|a| a == "-h" || a == "--help")
    {
        return crate::help::command(&format!("kubectl config {sub}"), out);
    }
    match args.first().map(String::as_str) {
        Some("-h") | Some("--help") => {
            crate::help::group_help_flag("kubectl config", out);
        }
        Some("current-context") => out.outln("kind-kind"),
        Some("get-contexts") => {
            out.out(crate::table::render(&[
                vec!["CURRENT".into(), "NAME".into(), "CLUSTER".into(), "AUTHINFO".into(), "NAMESPACE".into()],
                vec!["*".into(), "kind-kind".into(), "kind-kind".into(), "kind-kind".into(), String::new()],
            ]));
        }
        Some(other) => out.fail(format!(
            "error: {other} is not simulated in this playground (supported: kubectl config current-context, get-contexts)"
        )),
        None => {
            crate::help::group_without_subcommand("kubectl config", out);
        }
    }
}
