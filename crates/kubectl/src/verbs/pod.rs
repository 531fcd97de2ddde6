//! `kubectl logs` and `kubectl exec` (kubectl `pkg/cmd/logs`, `pkg/cmd/exec`).

#[allow(unused_imports)]
use super::*;

pub(super) fn logs(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("container", Some('c')),
        b("follow", Some('f')),
        b("previous", Some('p')),
        v("tail", None),
        b("timestamps", None),
        b("all-containers", None),
        v("since", None),
        v("selector", Some('l')),
        b("prefix", None),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl logs", out) else {
        return;
    };
    let ns = namespace(&p);
    let Some(target) = p.positional.first() else {
        out.fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
        return;
    };
    let mut container = p
        .value("container")
        .map(str::to_string)
        .or_else(|| p.positional.get(1).cloned());
    let pod_name = if let Some((t, n)) = target.split_once('/') {
        match Res::lookup(t) {
            Some(Res::Pod) => n.to_string(),
            Some(Res::StatefulSet) => {
                // kubectl picks a pod of the set (the first by name here).
                let pods: Vec<String> = s
                    .cluster
                    .store()
                    .list::<Pod>(Some(&ns))
                    .filter(|pd| {
                        pd.metadata.owner_references.as_ref().is_some_and(|o| {
                            o.iter().any(|o| o.name == n && o.kind == "StatefulSet")
                        })
                    })
                    .filter_map(|pd| pd.metadata.name.clone())
                    .collect();
                // kubectl `pkg/polymorphichelpers/logsforobject.go` (v0.35.0): with more
                // than one pod it says on stderr which one it reads.
                if pods.len() > 1
                    && let Some(pn) = pods.first()
                {
                    out.err(format!("Found {} pods, using pod/{pn}", pods.len()));
                }
                match pods.first() {
                    Some(pn) => pn.clone(),
                    None => {
                        out.fail(format!("error: no pods found for statefulset {n}"));
                        return;
                    }
                }
            }
            _ => {
                unknown_type(out, t);
                return;
            }
        }
    } else {
        target.clone()
    };
    let Some(pod) = s.cluster.store().get::<Pod>(&ns, &pod_name).cloned() else {
        out.fail(not_found(Res::Pod, &pod_name));
        not_found_hint(s, Res::Pod, &ns, &pod_name, out);
        return;
    };
    let spec = pod.spec.clone().unwrap_or_default();
    let tail = p.value("tail").and_then(|t| t.parse::<i64>().ok());
    if container.is_none() && p.bool("all-containers") {
        // kubectl `pkg/polymorphichelpers/logsforobject.go` (v0.35.0): every init container,
        // then every container, no "Defaulted container" line. (Real kubectl prints them in
        // Go map order, i.e. in any order; this is the order they are collected in.)
        let names: Vec<String> = spec
            .init_containers
            .iter()
            .flatten()
            .chain(spec.containers.iter())
            .map(|c| c.name.clone())
            .collect();
        for c in names {
            match s.cluster.logs(&ns, &pod_name, Some(&c)) {
                Ok(text) => {
                    let text = tail_lines(&text, tail);
                    if p.bool("prefix") {
                        // logs.go `addPrefixIfNeeded`: `[pod/<pod>/<container>] `.
                        let prefixed: String = text
                            .lines()
                            .map(|l| format!("[pod/{pod_name}/{c}] {l}\n"))
                            .collect();
                        out.out(prefixed);
                    } else {
                        out.out(text);
                    }
                }
                Err(e) => {
                    out.fail(e.to_string());
                    return;
                }
            }
        }
        return;
    }
    if container.is_none()
        && (spec.containers.len() > 1
            || spec.init_containers.as_ref().is_some_and(|i| !i.is_empty()))
    {
        // kubectl: with several containers, defaults to the first and says so on stderr.
        if let Some(first) = spec.containers.first() {
            let mut others: Vec<String> = spec
                .containers
                .iter()
                .skip(1)
                .map(|c| c.name.clone())
                .collect();
            let inits: Vec<String> = spec
                .init_containers
                .clone()
                .unwrap_or_default()
                .iter()
                .map(|c| c.name.clone())
                .collect();
            if !others.is_empty() || !inits.is_empty() {
                let mut msg = format!(
                    "Defaulted container \"{}\" out of: {}",
                    first.name, first.name
                );
                if !others.is_empty() {
                    msg.push_str(&format!(", {}", others.join(", ")));
                }
                if !inits.is_empty() {
                    msg.push_str(&format!(", {} (init)", inits.join(", ")));
                }
                others.clear();
                out.err(msg);
            }
            container = Some(first.name.clone());
        }
    }
    match s.cluster.logs(&ns, &pod_name, container.as_deref()) {
        Ok(text) => out.out(tail_lines(&text, tail)),
        Err(e) => out.fail(e.to_string()),
    }
}

/// `--tail=N` (N >= 0): the last N lines; otherwise all of them.
fn tail_lines(text: &str, tail: Option<i64>) -> String {
    match tail {
        Some(n) if n >= 0 => {
            let lines: Vec<&str> = text.lines().collect();
            let skip = lines.len().saturating_sub(usize::try_from(n).unwrap_or(0));
            lines.iter().skip(skip).map(|l| format!("{l}\n")).collect()
        }
        _ => text.to_string(),
    }
}

pub(super) fn exec(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("container", Some('c')),
        b("stdin", Some('i')),
        b("tty", Some('t')),
        b("quiet", Some('q')),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl exec", out) else {
        return;
    };
    let ns = namespace(&p);
    let Some(target) = p.positional.first() else {
        out.fail("error: you must specify at least one command for the container");
        return;
    };
    let argv: Vec<String> = match &p.after_dash {
        Some(a) if !a.is_empty() => a.clone(),
        _ => {
            if p.positional.len() > 1 {
                out.fail("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
            } else {
                out.fail("error: you must specify at least one command for the container");
            }
            return;
        }
    };
    let pod_name = target
        .split_once('/')
        .map_or(target.clone(), |(_, n)| n.to_string());
    if s.cluster.store().get::<Pod>(&ns, &pod_name).is_none() {
        out.fail(not_found(Res::Pod, &pod_name));
        not_found_hint(s, Res::Pod, &ns, &pod_name, out);
        return;
    }
    match s.cluster.exec(&ns, &pod_name, p.value("container"), &argv) {
        Ok(o) => {
            out.out(o.stdout);
            if !o.stderr.is_empty() {
                out.chunks_err_raw(o.stderr);
            }
            if let Some(u) = o.unsupported {
                // Ours, on stderr so that it shows even with hints off.
                out.err(format!(
                    "stsplay: `{u}` is not simulated in this playground's containers (supported: hostname, cat, ls, echo … > FILE, sh -c, getent hosts, curl)"
                ));
            }
            if o.exit_code != 0 {
                out.fail(format!("command terminated with exit code {}", o.exit_code));
            }
        }
        Err(e) => out.fail(format!("error: {e}").replace("error: error: ", "error: ")),
    }
}
