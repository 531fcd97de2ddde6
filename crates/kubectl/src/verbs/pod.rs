//! `kubectl logs` and `kubectl exec` (kubectl `pkg/cmd/logs`, `pkg/cmd/exec`).

use super::*;
#[allow(unused_imports)]
use sim::sort::Sort as _;

// Not inlined into `verbs::run`, so the release build can move it to the second wasm module
// when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(super) fn logs(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("container", Some('c')),
        b("follow", Some('f')),
        b("previous", Some('p')),
        i("tail", None),
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
    let sel = match selector_flag(&p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    let container0 = p
        .value("container")
        .map(str::to_string)
        .or_else(|| p.positional.get(1).cloned());
    let mut tail = p.value("tail").and_then(|t| t.parse::<i64>().ok());
    let Some(target) = p.positional.first() else {
        // kubectl `pkg/cmd/logs/logs.go` (v0.35.0) `Complete`: `-l` reads every matching pod
        // (the last 10 lines of each unless --tail), one after another (real kubectl in Go map
        // order; here in name order); none: "No resources found" on stderr, success.
        let Some(sel) = sel else {
            out.fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
            return;
        };
        tail = tail.or(Some(10));
        let names: Vec<String> = s
            .cluster
            .store()
            .list::<Pod>(Some(&ns))
            .filter(|pd| {
                objects::matches(
                    &sel,
                    pd.metadata.labels.as_ref().unwrap_or(&BTreeMap::new()),
                )
            })
            .filter_map(|pd| pd.metadata.name.clone())
            .collect();
        if names.is_empty() {
            out.err(format!("No resources found in {ns} namespace."));
        }
        // `LogsForObject` makes every request (its stderr notes, or the error that stops
        // all) before any log is read.
        let start = out.chunks.len();
        for n in names {
            if !logs_of_pod(s, &p, &ns, &n, container0.clone(), tail, out) {
                break;
            }
        }
        let (errs, outs): (Vec<_>, Vec<_>) = out
            .chunks
            .split_off(start)
            .into_iter()
            .partition(|(k, _)| *k == crate::out::Stream::Err);
        out.chunks.extend(errs);
        if !out.failed {
            out.chunks.extend(outs);
        }
        return;
    };
    if sel.is_some() && p.positional.len() == 1 {
        out.fail("error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples");
        return;
    }
    let pod_name = if let Some((t, n)) = target.split_once('/') {
        match Res::lookup(t) {
            Some(Res::Pod) => n.to_string(),
            Some(Res::StatefulSet) => {
                let Some(set) = s.cluster.store().get::<StatefulSet>(&ns, n) else {
                    out.fail(not_found(Res::StatefulSet, n));
                    return;
                };
                // kubectl `pkg/polymorphichelpers/logsforobject.go` (v0.35.0): the pods the
                // set's selector matches, sorted by `podutils.ByLogging`; `GetFirstPod` takes
                // the first and, with more than one, says on stderr which one it reads.
                let selector = sim::controller::statefulset::stateful_set_utils::set_selector(set);
                let mut pods: Vec<&Pod> = s
                    .cluster
                    .store()
                    .list::<Pod>(Some(&ns))
                    .filter(|pd| {
                        sim::controller::meta::selector_matches(
                            selector,
                            pd.metadata.labels.as_ref(),
                        )
                    })
                    .collect();
                pods.stable_sort_by(|a, b| by_logging(a, b));
                let count = pods.len();
                match pods.first().and_then(|pd| pd.metadata.name.clone()) {
                    Some(pn) => {
                        if count > 1 {
                            out.err(format!("Found {count} pods, using pod/{pn}"));
                        }
                        pn
                    }
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
    logs_of_pod(s, &p, &ns, &pod_name, container0, tail, out);
}

/// The logs of one pod (its container: `container`, or defaulted as kubectl does); false
/// after an error.
fn logs_of_pod(
    s: &mut Session,
    p: &crate::flags::Parsed,
    ns: &str,
    pod_name: &str,
    mut container: Option<String>,
    tail: Option<i64>,
    out: &mut Out,
) -> bool {
    let (ns, pod_name) = (ns.to_string(), pod_name.to_string());
    let Some(pod) = s
        .cluster
        .store()
        .get::<Pod>(&ns, &pod_name)
        .map(k8sjson::copy)
    else {
        out.fail(not_found(Res::Pod, &pod_name));
        not_found_hint(s, Res::Pod, &ns, &pod_name, out);
        return false;
    };
    let spec = k8sjson::copy(&pod.spec).unwrap_or_default();
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
                    return false;
                }
            }
        }
        return true;
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
                .iter()
                .flatten()
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
        Err(e) => {
            out.fail(e.to_string());
            return false;
        }
    }
    true
}

/// `podutils.ByLogging` (k8s.io/kubectl `pkg/util/podutils/podutils.go`, v0.35.0): the pod
/// whose logs `kubectl logs TYPE/NAME` reads comes first. Assigned before unassigned; phase
/// Running, then Unknown, then Pending (Go's map lookup gives any other phase Running's rank);
/// ready before not ready; of two ready pods the one ready longer; more container restarts
/// first; older first.
pub(crate) fn by_logging(a: &Pod, b: &Pod) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let node = |p: &Pod| {
        p.spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default()
    };
    let (na, nb) = (node(a), node(b));
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return if na.is_empty() {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    let phase_rank = |p: &Pod| match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
        Some("Unknown") => 1,
        Some("Pending") => 2,
        _ => 0,
    };
    let (pa, pb) = (phase_rank(a), phase_rank(b));
    if pa != pb {
        return pa.cmp(&pb);
    }
    // The Ready condition's transition time when the pod is ready.
    let ready = |p: &Pod| {
        p.status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
            .filter(|c| c.status == "True")
            .map(|c| c.last_transition_time.as_ref().map(|t| t.0))
    };
    let (ra, rb) = (ready(a), ready(b));
    if ra.is_some() != rb.is_some() {
        return if ra.is_some() {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    if let (Some(ta), Some(tb)) = (ra, rb)
        && ta != tb
    {
        // `afterOrZero(tb, ta)`: a missing time sorts last, else the earlier time first.
        return match (ta, tb) {
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (x, y) => x.cmp(&y),
        };
    }
    let restarts = |p: &Pod| {
        p.status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .map_or(0, |cs| {
                cs.iter().map(|c| c.restart_count).max().unwrap_or(0)
            })
    };
    let (xa, xb) = (restarts(a), restarts(b));
    if xa != xb {
        return xb.cmp(&xa);
    }
    let created = |p: &Pod| p.metadata.creation_timestamp.as_ref().map(|t| t.0);
    match (created(a), created(b)) {
        (Some(x), Some(y)) if x != y => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        _ => Ordering::Equal,
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

// Not inlined into `verbs::run`, so the release build can move it to the second wasm module
// when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
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
    let tty = p.bool("tty");
    match s
        .cluster
        .exec_tty(&ns, &pod_name, p.value("container"), &argv, tty)
    {
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

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{ContainerStatus, PodCondition, PodSpec, PodStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

    fn at(secs: i64) -> Time {
        Time(sim::time::to_k8s_time(u64::try_from(secs).unwrap() * 1000).0)
    }

    fn pod(
        name: &str,
        node: &str,
        phase: &str,
        ready_at: Option<i64>,
        restarts: i32,
        created: i64,
    ) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                creation_timestamp: Some(at(created)),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_name: (!node.is_empty()).then(|| node.to_string()),
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some(phase.into()),
                conditions: Some(vec![PodCondition {
                    type_: "Ready".into(),
                    status: if ready_at.is_some() { "True" } else { "False" }.into(),
                    last_transition_time: ready_at.map(at),
                    ..Default::default()
                }]),
                container_statuses: Some(vec![ContainerStatus {
                    restart_count: restarts,
                    ..Default::default()
                }]),
                ..Default::default()
            }),
        }
    }

    fn first(mut pods: Vec<Pod>) -> String {
        pods.sort_by(by_logging);
        pods.first().and_then(|p| p.metadata.name.clone()).unwrap()
    }

    // k8s.io/kubectl pkg/util/podutils/podutils.go ByLogging, rule by rule.
    #[test]
    fn by_logging_prefers_assigned_running_ready_longest_ready_restarted_older() {
        // 1. assigned before unassigned.
        assert_eq!(
            first(vec![
                pod("a", "", "Pending", None, 0, 1),
                pod("b", "n", "Pending", None, 0, 2)
            ]),
            "b"
        );
        // 2. Running < Unknown < Pending.
        assert_eq!(
            first(vec![
                pod("a", "n", "Pending", None, 0, 1),
                pod("b", "n", "Running", None, 0, 2)
            ]),
            "b"
        );
        assert_eq!(
            first(vec![
                pod("a", "n", "Pending", None, 0, 1),
                pod("b", "n", "Unknown", None, 0, 2)
            ]),
            "b"
        );
        // 3. ready before not ready (web-0 recreated and not ready yet: web-1 is read).
        assert_eq!(
            first(vec![
                pod("web-0", "n", "Running", None, 0, 50),
                pod("web-1", "n", "Running", Some(20), 0, 10)
            ]),
            "web-1"
        );
        // 4. ready for longer first.
        assert_eq!(
            first(vec![
                pod("a", "n", "Running", Some(30), 0, 1),
                pod("b", "n", "Running", Some(20), 0, 2)
            ]),
            "b"
        );
        // 5. more restarts first.
        assert_eq!(
            first(vec![
                pod("a", "n", "Running", None, 0, 1),
                pod("b", "n", "Running", None, 3, 2)
            ]),
            "b"
        );
        // 6. older first.
        assert_eq!(
            first(vec![
                pod("a", "n", "Running", None, 0, 9),
                pod("b", "n", "Running", None, 0, 2)
            ]),
            "b"
        );
    }

    // logsforobject.go: `Found N pods, using pod/NAME` on stderr when the selector matches
    // several pods; a missing set is NotFound.
    #[test]
    fn logs_of_a_statefulset_reads_the_by_logging_first_pod() {
        let mut s = Session::new();
        s.run_line("kubectl apply -f svc.yaml -f sts.yaml");
        s.run_line("sim settle");
        let o = s.run_line("kubectl logs sts/nginx-with-init-container");
        assert!(o.ok, "{}", o.combined);
        assert!(
            o.stderr
                .starts_with("Found 3 pods, using pod/nginx-with-init-container-0\n"),
            "{}",
            o.stderr
        );
        let o = s.run_line("kubectl logs sts/nope");
        assert!(!o.ok);
        assert!(
            o.stderr
                .starts_with("Error from server (NotFound): statefulsets.apps \"nope\" not found"),
            "{}",
            o.stderr
        );
    }
}
