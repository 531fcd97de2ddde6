//! `kubectl get` and `get -w` (kubectl `pkg/cmd/get/get.go`, cli-runtime printers).

#[allow(unused_imports)]
use super::*;

pub(super) const GET_FLAGS: &[Spec] = &[
    v("output", Some('o')),
    v("selector", Some('l')),
    b("watch", Some('w')),
    b("watch-only", None),
    b("all-namespaces", Some('A')),
    b("show-labels", None),
    v("label-columns", Some('L')),
    b("no-headers", None),
    v("sort-by", None),
    v("field-selector", None),
    v("chunk-size", None),
    b("ignore-not-found", None),
    v("filename", Some('f')),
    b("show-kind", None),
    b("output-watch-events", None),
    v("subresource", None),
    b("show-managed-fields", None),
    v("template", None),
];

pub(super) enum Format {
    Table {
        wide: bool,
    },
    Name,
    Yaml,
    Json,
    JsonPath(String),
    /// `go-template=…`, `template=…`, or `go-template`/`template` with `--template` (Go
    /// text/template, [`crate::gotemplate`]).
    GoTemplate(String),
    /// `custom-columns=HEADER:.path,...`
    Custom(Vec<(String, String)>),
}

pub(super) fn output_format(o: Option<&str>, out: &mut Out) -> Option<Format> {
    let Some(o) = o else {
        return Some(Format::Table { wide: false });
    };
    Some(match o {
        "wide" => Format::Table { wide: true },
        "name" => Format::Name,
        x if x.starts_with("custom-columns=") => {
            let spec = x.trim_start_matches("custom-columns=");
            let mut cols = Vec::new();
            for part in spec.split(',').filter(|p| !p.is_empty()) {
                let Some((h, path)) = part.split_once(':') else {
                    out.fail(format!("error: unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"));
                    return None;
                };
                let path = path.trim();
                let path = if path.starts_with('{') {
                    path.to_string()
                } else {
                    format!("{{{path}}}")
                };
                cols.push((h.to_string(), path));
            }
            if cols.is_empty() {
                out.fail("error: custom-columns format specified but no custom columns given");
                return None;
            }
            Format::Custom(cols)
        }
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        x if x.starts_with("go-template=") || x.starts_with("template=") => Format::GoTemplate(
            x.split_once('=')
                .map(|(_, t)| t.to_string())
                .unwrap_or_default(),
        ),
        x if x.starts_with("jsonpath=") || x.starts_with("jsonpath-as-json=") => Format::JsonPath(
            x.split_once('=')
                .map(|(_, t)| t.to_string())
                .unwrap_or_default(),
        ),
        "kyaml" => {
            out.fail(
                "error: `-o kyaml` is a real kubectl output format (v1.34+) that this playground does not print; -o yaml and -o json are here",
            );
            return None;
        }
        // cli-runtime `JSONYamlPrintFlags.AllowedFormats` lists kyaml unless KUBECTL_KYAML=false
        // (v0.35.0); kubectl `pkg/cmd/get/get_flags.go`; the list is sorted.
        other => {
            out.fail(format!(
                "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml"
            ));
            return None;
        }
    })
}

/// `-o` with the template flags (cli-runtime `genericclioptions/template_flags.go`, v0.35.0):
/// `--template` alone means `-o go-template`; `-o go-template`/`template` takes the template
/// from `--template`; `-o go-template-file=PATH`/`templatefile=PATH` reads it from a file (the
/// session's files).
fn get_output_format(s: &Session, p: &flags::Parsed, out: &mut Out) -> Option<Format> {
    let template = p.value("template").filter(|t| !t.is_empty());
    let o = match (p.value("output"), template) {
        (None, Some(_)) => Some("go-template"),
        (o, _) => o,
    };
    match o {
        Some("go-template") | Some("template") => match template {
            Some(t) => Some(Format::GoTemplate(t.to_string())),
            None => {
                out.fail("error: template format specified but no template given");
                None
            }
        },
        Some("go-template=") | Some("template=") => {
            out.fail("error: template format specified but no template given");
            None
        }
        Some(x)
            if x == "go-template-file"
                || x == "templatefile"
                || x.starts_with("go-template-file=")
                || x.starts_with("templatefile=") =>
        {
            // `-o go-template-file=PATH`, or `-o go-template-file --template PATH`.
            let path = x
                .split_once('=')
                .map(|(_, f)| f)
                .filter(|f| !f.is_empty())
                .or(template)
                .unwrap_or("");
            if path.is_empty() {
                out.fail("error: template format specified but no template given");
                return None;
            }
            match s.files().files.get(path) {
                Some(text) => Some(Format::GoTemplate(text.clone())),
                None => {
                    out.fail(format!(
                        "error: error reading --template {path}, open {path}: no such file or directory"
                    ));
                    None
                }
            }
        }
        other => output_format(other, out),
    }
}

pub(super) fn get(s: &mut Session, args: &[String], out: &mut Out) {
    let Some(p) = parse_or_fail(args, GET_FLAGS, "kubectl get", out) else {
        return;
    };
    let Some(format) = get_output_format(s, &p, out) else {
        return;
    };
    if p.positional.is_empty() {
        out.fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples");
        return;
    }
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    endpoints_warning(&targets, out);
    let ns = namespace(&p);
    let all_ns = p.bool("all-namespaces");
    let selector = match selector_flag(&p) {
        Ok(sel) => sel.unwrap_or_default(),
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let fields = match field_selector_flag(&p) {
        Ok(f) => f,
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let now = s.cluster.now();
    let label_columns: Vec<String> = p
        .values("label-columns")
        .iter()
        .flat_map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
        .filter(|l| !l.is_empty())
        .collect();
    let types: Vec<Res> = {
        let mut t: Vec<Res> = Vec::new();
        for (r, _) in &targets {
            if !t.contains(r) {
                t.push(*r);
            }
        }
        t
    };
    let with_kind =
        types.len() > 1 || p.bool("show-kind") || p.positional.first().is_some_and(|a| a == "all");
    let mut errors: Vec<String> = Vec::new();
    // Gather items per type, in order.
    let mut groups: Vec<(Res, Vec<Item>)> = Vec::new();
    let mut named = false;
    for r in &types {
        let mut items = Vec::new();
        for (tr, name) in targets.iter().filter(|(tr, _)| tr == r) {
            match name {
                Some(n) => {
                    named = true;
                    match objects::get(s.cluster.store(), *tr, &ns, n, now) {
                        Some(it) => items.push(it),
                        None => {
                            if !p.bool("ignore-not-found") {
                                errors.push(not_found(*tr, n));
                                not_found_hint(s, *tr, &ns, n, out);
                            }
                        }
                    }
                }
                None => {
                    let list_ns = if all_ns { None } else { Some(ns.as_str()) };
                    items.extend(
                        objects::list(s.cluster.store(), *tr, list_ns, now)
                            .into_iter()
                            .filter(|it| {
                                objects::matches(&selector, &it.labels)
                                    && objects::matches_fields(&fields, &it.json)
                            }),
                    );
                }
            }
        }
        if let Some(sort) = p.value("sort-by") {
            let path = if sort.starts_with('{') {
                sort.to_string()
            } else {
                format!("{{{sort}}}")
            };
            // kubectl `pkg/cmd/get/sorter.go`: Go's sort.Sort with the sorter's `Less`.
            let keys: Vec<Option<Value>> = items
                .iter()
                .map(|it| output::jsonpath_first(&path, &it.json).ok().flatten())
                .collect();
            let mut keyed: Vec<(Option<Value>, Item)> = keys.into_iter().zip(items).collect();
            crate::gosort::sort_by(&mut keyed, |a, b| {
                crate::gosort::jsonpath_less(a.0.as_ref(), b.0.as_ref())
            });
            items = keyed.into_iter().map(|(_, it)| it).collect();
        }
        groups.push((*r, items));
    }
    let total: usize = groups.iter().map(|(_, i)| i.len()).sum();
    // cli-runtime `Result.singleItemImplied`: one name (or one TYPE/NAME) was asked for.
    let single_implied = named && targets.len() == 1;
    let single_object = single_implied && total == 1;
    let ignore_not_found = p.bool("ignore-not-found");
    // kubectl `printGeneric` (every format but the table and `-o wide`): a single implied item
    // that is missing returns its error before printing anything, and with
    // `--ignore-not-found` nothing found prints nothing (not even an empty List).
    let generic_prints =
        (!single_implied || errors.is_empty()) && !(ignore_not_found && total == 0);
    let human_readable = matches!(format, Format::Table { .. });
    match &format {
        Format::Table { wide } => {
            let opts = TableOpts {
                wide: *wide,
                show_labels: p.bool("show-labels"),
                label_columns: label_columns.clone(),
                all_namespaces: all_ns,
                no_headers: p.bool("no-headers"),
                with_kind,
                watch_events: p.bool("output-watch-events"),
            };
            if p.bool("watch") || p.bool("watch-only") {
                watch(
                    s,
                    &groups,
                    &opts,
                    &selector,
                    &targets,
                    &ns,
                    all_ns,
                    p.bool("watch-only"),
                    false,
                    args,
                    out,
                );
                for e in errors {
                    out.fail(e);
                }
                return;
            }
            let mut first = true;
            for (r, items) in &groups {
                if items.is_empty() {
                    continue;
                }
                if !first {
                    out.out("\n");
                }
                first = false;
                let rows: Vec<printers::Row> = items.iter().map(|i| i.row.clone()).collect();
                let mut o = opts.clone();
                if !r.namespaced() {
                    o.all_namespaces = false;
                }
                out.out(printers::table(*r, &rows, &o));
            }
        }
        Format::Custom(cols) => {
            // cli-runtime CustomColumnsPrinter: headers as written, one row per object,
            // `<none>` for an empty result, several results joined by commas.
            let mut rows: Vec<Vec<String>> = Vec::new();
            if !p.bool("no-headers") {
                rows.push(cols.iter().map(|(h, _)| h.clone()).collect());
            }
            for (_, items) in &groups {
                for it in items {
                    let mut row = Vec::new();
                    for (_, path) in cols {
                        let cell = match output::jsonpath_values(path, &it.json) {
                            Ok(v) if v.iter().all(String::is_empty) => "<none>".to_string(),
                            Ok(v) => v.join(","),
                            Err(e) => {
                                out.fail(e);
                                return;
                            }
                        };
                        row.push(cell);
                    }
                    rows.push(row);
                }
            }
            // `CustomColumnsPrinter.PrintObj` writes the headers before the items, so an
            // empty list still prints them.
            if generic_prints && !rows.is_empty() {
                out.out(crate::table::render(&rows));
            }
        }
        Format::Name if p.bool("watch") || p.bool("watch-only") => {
            // kubectl's watch loop prints every event with the chosen printer; the name
            // printer gives `<type>/<name>` per event (kubectl `pkg/cmd/get/get.go` `watch`).
            let opts = TableOpts {
                wide: false,
                show_labels: false,
                label_columns: Vec::new(),
                all_namespaces: all_ns,
                no_headers: true,
                with_kind,
                watch_events: false,
            };
            watch(
                s,
                &groups,
                &opts,
                &selector,
                &targets,
                &ns,
                all_ns,
                p.bool("watch-only"),
                true,
                args,
                out,
            );
            for e in errors {
                out.fail(e);
            }
            return;
        }
        Format::Name => {
            for (r, items) in groups.iter().filter(|_| generic_prints) {
                for it in items {
                    out.outln(format!("{}/{}", r.name_prefix(), it.name));
                }
            }
        }
        Format::Yaml | Format::Json | Format::JsonPath(_) | Format::GoTemplate(_)
            if generic_prints =>
        {
            let values: Vec<Value> = groups
                .iter()
                .flat_map(|(_, items)| items.iter().map(|i| strip_managed(i.json.clone())))
                .collect();
            let doc = if single_object {
                values.into_iter().next().unwrap_or(Value::Null)
            } else {
                output::list_of(values)
            };
            match &format {
                Format::Yaml => out.out(output::yaml(&doc)),
                Format::Json => out.out(output::json(&doc)),
                Format::JsonPath(t) => match output::jsonpath(t, &doc) {
                    Ok(text) => out.out(text),
                    Err(e) => out.fail(e),
                },
                Format::GoTemplate(t) => match crate::gotemplate::render(t, &doc) {
                    Ok(text) => out.out(text),
                    Err(e) => out.fail(e),
                },
                Format::Table { .. } | Format::Name | Format::Custom(_) => {}
            }
        }
        Format::Yaml | Format::Json | Format::JsonPath(_) | Format::GoTemplate(_) => {}
    }
    if total == 0 && errors.is_empty() && !named && !ignore_not_found {
        // get.go: only the human-readable path says so (`printGeneric` returns first).
        if human_readable {
            let namespaced = types.iter().any(|r| r.namespaced());
            if all_ns || !namespaced {
                out.err("No resources found");
            } else {
                out.err(format!("No resources found in {ns} namespace."));
            }
        }
        let seedish = types
            .iter()
            .any(|r| matches!(r, Res::Pod | Res::StatefulSet | Res::Pvc))
            && !types
                .iter()
                .any(|r| matches!(r, Res::Deployment | Res::ReplicaSet));
        if seedish
            && s.cluster.store().list::<StatefulSet>(None).next().is_none()
            && s.cluster.store().deployments.is_empty()
        {
            // Only when no namespace has one: `-n kube-system` on a cluster
            // with the seed applied must not claim the seed is missing; and not "yet" once
            // the learner had one (they may have deleted their own set on purpose).
            if s.statefulset_seen {
                out.hint(format!(
                    "no StatefulSet exists now (the one this session had was deleted); apply a manifest to create one (`{}` is the seed)",
                    s.seed_apply_line()
                ));
            } else {
                out.hint(format!(
                    "no StatefulSet exists yet: `{}` creates the seed",
                    s.seed_apply_line()
                ));
            }
        }
    }
    for e in errors {
        out.fail(e);
    }
}

/// `get -w` stops (with a hint) when no row came for this long while the cluster still had
/// events pending (a crash loop, a stuck rollout).
pub const WATCH_QUIET_MS: sim::time::SimTime = 5 * 60 * 1000;

/// `get -w`: the current table, then one row per watch event while the simulation runs
/// (bounded), widths remembered as kubectl's watch printer does.
#[allow(clippy::too_many_arguments)]
pub(super) fn watch(
    s: &mut Session,
    groups: &[(Res, Vec<Item>)],
    opts: &TableOpts,
    selector: &[objects::Req],
    targets: &[(Res, Option<String>)],
    ns: &str,
    all_ns: bool,
    watch_only: bool,
    name_only: bool,
    args: &[String],
    out: &mut Out,
) {
    let Some((res, items)) = groups.first() else {
        return;
    };
    if groups.len() > 1 {
        out.fail("error: you may only specify a single resource type");
        return;
    }
    let res = *res;
    let names: Vec<String> = targets.iter().filter_map(|(_, n)| n.clone()).collect();
    let mut w = Watcher::new(res, opts, selector, names, ns, all_ns, name_only);
    if !watch_only {
        w.initial(items);
    }
    let start = s.cluster.now();
    let mut steps = 0usize;
    let mut bounded = false;
    let mut last_row = start;
    while let Some(next) = s.cluster.next_event_time() {
        if steps >= MAX_WATCH_STEPS
            || next.saturating_sub(start) > MAX_WATCH_MS
            || next > last_row.saturating_add(WATCH_QUIET_MS)
        {
            bounded = true;
            break;
        }
        let Some(report) = s.cluster.step() else {
            break;
        };
        steps += 1;
        if w.feed(s.cluster.store(), report.time, &report.writes) {
            last_row = report.time;
        }
    }
    let text = w.take();
    out.out(text.clone());
    if s.live.on {
        // The browser: the watch then stays open in its own pane while the learner types on,
        // printing what Step, Play and commands change (the simulation moved the same way as
        // in the CLI, so scripts, tours and replays are the same in both).
        let line = watch_line(args);
        let id = s.live.open(&mut s.cluster, line, w, &text);
        out.hint(format!(
            "in the page this watch stays live in its own pane (watch {id}): Step, Play and commands print its next changes there; its Stop button, Ctrl-C or `sim watch stop` ends it"
        ));
    }
    if !bounded {
        out.hint(
            "the simulation has nothing pending, so this watch ends here; a real `kubectl get -w` keeps running (and prints the next change) until Ctrl-C",
        );
    }
    if bounded {
        out.hint(format!(
            "stopped watching after {} simulated events / {}: events are still pending but nothing here changes (see `sim why`); a real `kubectl get -w` keeps running until Ctrl-C",
            steps,
            crate::duration::human_duration(i128::from(s.cluster.now().saturating_sub(start)))
        ));
    }
}

/// A watch's command line for its pane's title: `kubectl get` and the words as typed, quoted
/// where a shell would need it.
fn watch_line(args: &[String]) -> String {
    let mut line = String::from("kubectl get");
    for a in args {
        line.push(' ');
        if !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_=./:,".contains(c))
        {
            line.push_str(a);
        } else {
            line.push_str(&format!("'{}'", a.replace('\'', "'\\''")));
        }
    }
    line
}
