//! `kubectl events` and `kubectl wait`.

#[allow(unused_imports)]
use super::*;

// Not inlined into `verbs::run`, so the release build can move it to the second wasm module
// when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(super) fn events(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("for", None),
        v("types", None),
        b("all-namespaces", Some('A')),
        b("no-headers", None),
        v("output", Some('o')),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl events", out) else {
        return;
    };
    let ns = namespace(&p);
    let all_ns = p.bool("all-namespaces");
    let filter_for = match p.value("for") {
        None => None,
        Some(f) => {
            let (t, n) = f.split_once('/').unwrap_or(("pod", f));
            let Some(r) = Res::lookup(t) else {
                unknown_type(out, t);
                return;
            };
            Some((r.kind().to_string(), n.to_string()))
        }
    };
    let types: Vec<String> = p
        .value("types")
        .map(|t| {
            t.split(',')
                .map(|x| x.trim().to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    let now = s.cluster.now();
    let mut evs: Vec<&k8s_openapi::api::core::v1::Event> = s
        .cluster
        .store()
        .list::<k8s_openapi::api::core::v1::Event>(if all_ns { None } else { Some(ns.as_str()) })
        .filter(|e| {
            filter_for.as_ref().is_none_or(|(k, n)| {
                e.involved_object.kind.as_deref() == Some(k.as_str())
                    && e.involved_object.name.as_deref() == Some(n.as_str())
            })
        })
        .filter(|e| {
            types.is_empty()
                || types.contains(&e.type_.clone().unwrap_or_default().to_ascii_lowercase())
        })
        .collect();
    // kubectl `pkg/cmd/events/events.go` `SortableEvents` (Go's sort.Sort) by `eventTime()`:
    // a series' last observation, else lastTimestamp, else eventTime.
    crate::gosort::sort_by(&mut evs, |a, b| {
        sim::events::last_seen(a).unwrap_or(0) < sim::events::last_seen(b).unwrap_or(0)
    });
    if evs.is_empty() {
        if all_ns {
            out.err("No events found.");
        } else {
            out.err(format!("No events found in {ns} namespace."));
        }
        return;
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !p.bool("no-headers") {
        let mut h = vec![
            "LAST SEEN".to_string(),
            "TYPE".into(),
            "REASON".into(),
            "OBJECT".into(),
            "MESSAGE".into(),
        ];
        if all_ns {
            h.insert(0, "NAMESPACE".into());
        }
        rows.push(h);
    }
    for e in evs {
        let mut r = printers::event_row(e, now).cells;
        if all_ns {
            r.insert(0, e.metadata.namespace.clone().unwrap_or_default());
        }
        // kubectl events names the object Kind/name (`Pod/web-0`), not the resource.
        if let Some(obj) = r.get_mut(if all_ns { 4 } else { 3 }) {
            *obj = format!(
                "{}/{}",
                e.involved_object.kind.clone().unwrap_or_default(),
                e.involved_object.name.clone().unwrap_or_default()
            );
        }
        rows.push(r);
    }
    out.out(crate::table::render(&rows));
}

// ------------------------------------------------------------------------------------------
// wait (kubectl `pkg/cmd/wait/wait.go`): `--for=condition=C[=value]`, `--for=delete`,
// `--for=jsonpath={...}=value`; prints `<type>/<name> condition met` (or `deleted`).

pub(super) fn wait(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("for", None),
        v("timeout", None),
        v("selector", Some('l')),
        b("all", None),
        v("filename", Some('f')),
        b("all-namespaces", Some('A')),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl wait", out) else {
        return;
    };
    let ns = namespace(&p);
    let Some(cond) = p.value("for").map(str::to_string) else {
        out.fail("error: --for must be set");
        return;
    };
    let timeout = match p.value("timeout").map(crate::duration::parse_duration) {
        None => 30_000,
        Some(Some(t)) => t,
        Some(None) => {
            out.fail(format!(
                "error: invalid argument \"{}\" for \"--timeout\" flag: time: invalid duration",
                p.value("timeout").unwrap_or("")
            ));
            return;
        }
    };
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    if targets.is_empty() {
        out.fail("error: resource(s) were provided, but no name was specified");
        return;
    }
    let selector = match selector_flag(&p) {
        Ok(sel) => sel,
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let Some(names) = named_or_selected(s, targets, selector.as_deref(), p.bool("all"), &ns, out)
    else {
        return;
    };
    if names.is_empty() {
        out.fail("error: no matching resources found");
        return;
    }
    let deadline = s.cluster.now().saturating_add(timeout);
    for (r, name) in names {
        let met = |s: &Session| -> Option<bool> {
            let it = objects::get(s.cluster.store(), r, &ns, &name, 0);
            if cond == "delete" {
                return Some(it.is_none());
            }
            let it = it?;
            if let Some(c) = cond.strip_prefix("condition=") {
                let (ty, want) = c.split_once('=').unwrap_or((c, "True"));
                let conds = it
                    .json
                    .get("status")
                    .and_then(|st| st.get("conditions"))
                    .and_then(Value::as_array);
                return Some(conds.is_some_and(|cs| {
                    cs.iter().any(|x| {
                        x.get("type")
                            .and_then(Value::as_str)
                            .is_some_and(|t| t.eq_ignore_ascii_case(ty))
                            && x.get("status")
                                .and_then(Value::as_str)
                                .is_some_and(|v| v.eq_ignore_ascii_case(want))
                    })
                }));
            }
            if let Some(j) = cond.strip_prefix("jsonpath=") {
                let (path, want) = match j.rsplit_once('=') {
                    Some((p, w)) => (p.to_string(), Some(w.to_string())),
                    None => (j.to_string(), None),
                };
                let path = if path.starts_with('{') {
                    path
                } else {
                    format!("{{{path}}}")
                };
                let got = output::jsonpath(&path, &it.json).unwrap_or_default();
                return Some(match want {
                    Some(w) => got == w,
                    None => !got.is_empty(),
                });
            }
            None
        };
        if objects::get(s.cluster.store(), r, &ns, &name, 0).is_none() && cond != "delete" {
            out.fail(not_found(r, &name));
            continue;
        }
        loop {
            match met(s) {
                None => {
                    out.fail(format!("error: unrecognized condition: \"{cond}\""));
                    return;
                }
                Some(true) => {
                    let word = if cond == "delete" {
                        "deleted"
                    } else {
                        "condition met"
                    };
                    out.outln(format!("{}/{name} {word}", r.name_prefix()));
                    break;
                }
                Some(false) => {}
            }
            let next = s.cluster.next_event_time();
            match next {
                Some(n) if n <= deadline => {
                    if s.cluster.step().is_none() {
                        break;
                    }
                }
                _ => {
                    let now = s.cluster.now();
                    if deadline > now {
                        s.cluster.advance(deadline - now);
                    }
                    out.fail(format!(
                        "error: timed out waiting for the condition on {}/{name}",
                        r.plural()
                    ));
                    break;
                }
            }
        }
    }
}
