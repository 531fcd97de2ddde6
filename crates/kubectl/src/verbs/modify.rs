//! Verbs that change an object: `scale`, `set image`, `patch`, `label`, `annotate`, `edit`.

#[allow(unused_imports)]
use super::*;
use crate::dryrun::DryRun;

pub(super) fn scale(s: &mut Session, args: &[String], files: &dyn FileSource, out: &mut Out) {
    let specs = [
        i("replicas", None),
        i("current-replicas", None),
        v("resource-version", None),
        v("timeout", None),
        v("selector", Some('l')),
        b("all", None),
        v("filename", Some('f')),
        b("recursive", Some('R')),
        v("output", Some('o')),
        crate::dryrun::FLAG,
        b("record", None),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl scale", out) else {
        return;
    };
    let cause = record_flag(&p, "scale", out);
    let Some(replicas) = p.value("replicas") else {
        out.fail("error: required flag(s) \"replicas\" not set");
        return;
    };
    let replicas: i32 = match replicas.parse() {
        Ok(r) => r,
        Err(_) => {
            out.fail(format!(
                "error: invalid argument \"{replicas}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{replicas}\": invalid syntax"
            ));
            return;
        }
    };
    // kubectl `pkg/cmd/scale/scale.go` (v0.35.0): `Complete` reads the dry-run strategy and
    // builds the printer, then `Validate` rejects negative counts on the client side, before
    // the resources are resolved.
    let Some(dry) = DryRun::from_flag(&p, s.cluster.now(), out) else {
        return;
    };
    if !crate::dryrun::check_output(&p, out) {
        return;
    }
    if replicas < 0 {
        out.fail(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        );
        return;
    }
    if p.value("current-replicas")
        .and_then(|c| c.parse::<i64>().ok())
        .is_some_and(|c| c < -1)
    {
        out.fail("error: The --current-replicas must specify an integer of -1 or greater");
        return;
    }
    let ns = namespace(&p);
    // `RunScale` (v0.35.0): the builder's infos. Objects named on the command line are read
    // from the server (`RetrieveLazy`); those from `-f` are the documents as written.
    let mut targets: Vec<(Res, String, String, Option<Value>)> = Vec::new();
    if !p.values("filename").is_empty() {
        let Some(t) = file_targets(&p, files, &ns, out) else {
            return;
        };
        targets.extend(t.into_iter().map(|f| (f.res, f.ns, f.name, Some(f.raw))));
    } else {
        if p.positional.is_empty() {
            out.fail(NO_RESOURCES);
            return;
        }
        let Some(named) = resolve_args(&p.positional, out) else {
            return;
        };
        // A bare type with `-l`/`--all` scales what the builder selects.
        let selector = match selector_flag(&p) {
            Ok(x) => x,
            Err(e) => return out.fail(e),
        };
        let Some(named) = named_or_selected(s, named, selector.as_deref(), p.bool("all"), &ns, out)
        else {
            return;
        };
        targets.extend(named.into_iter().map(|(r, n)| (r, ns.clone(), n, None)));
    }
    if targets.is_empty() {
        return out.fail("error: no objects passed to scale");
    }
    for (r, ns, name, from_file) in targets {
        let live = objects::get(s.cluster.store(), r, &ns, &name, 0).map(|i| i.json);
        if from_file.is_none() && live.is_none() {
            out.fail(not_found(r, &name));
            not_found_hint(s, r, &ns, &name, out);
            continue;
        }
        // What kubectl prints is the object the builder has: the one it read before scaling,
        // or the file's.
        let before = from_file
            .clone()
            .or_else(|| live.clone())
            .unwrap_or(Value::Null);
        // A client dry run prints it, unscaled and without the `--current-replicas`
        // precondition.
        if dry == DryRun::Client {
            crate::dryrun::report(out, &p, r, &name, "scaled", dry, &before);
            continue;
        }
        // client-go `scale/client.go`: the scale subresource's GET/PATCH; a kind without one
        // is the apiserver's 404 for an unknown path, whatever the object.
        if !matches!(r, Res::StatefulSet | Res::Deployment | Res::ReplicaSet) {
            out.fail(
                "Error from server (NotFound): the server could not find the requested resource",
            );
            if from_file.is_some() {
                out.hint(format!(
                    "{}/{name} has no scale subresource and kubectl stops at the first error: give `scale -f` a file with only the StatefulSet, or scale it by name",
                    r.name_prefix()
                ));
            }
            return;
        }
        let Some(live) = live else {
            out.fail(not_found(r, &name));
            not_found_hint(s, r, &ns, &name, out);
            return;
        };
        if let Some(cur) = p
            .value("current-replicas")
            .and_then(|c| c.parse::<i32>().ok())
            .filter(|c| *c != -1)
        {
            let actual = live
                .pointer("/spec/replicas")
                .and_then(Value::as_i64)
                .and_then(|n| i32::try_from(n).ok())
                .unwrap_or(1);
            if actual != cur {
                // `scale.PreconditionError`; `RunScale` returns it: the rest is not scaled.
                out.fail(format!(
                    "error: Expected replicas to be {cur}, was {actual}"
                ));
                return;
            }
        }
        let cmd = Command::Scale {
            resource: r.plural().into(),
            ns: ns.clone(),
            name: name.clone(),
            replicas,
        };
        let applied = dry.send(&mut s.cluster, cmd);
        match applied {
            Ok(_) => {
                // `RunScale` records with a helper without the dry-run flag, so even a
                // server dry run writes the cause.
                if let Some(c) = &cause {
                    record_after(s, r, &ns, &name, c);
                }
                crate::dryrun::report(out, &p, r, &name, "scaled", dry, &before)
            }
            Err(e) => {
                out.fail(sim_error_line(&e, None));
                if matches!(e, SimError::Api(ApiError::NotFound { .. })) {
                    not_found_hint(s, r, &ns, &name, out);
                }
                return;
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// set image

pub(super) fn set(s: &mut Session, args: &[String], out: &mut Out) {
    let Some((sub, rest)) = args.split_first() else {
        crate::help::group_without_subcommand("kubectl set", out);
        return;
    };
    if sub == "-h" || sub == "--help" {
        crate::help::group_help_flag("kubectl set", out);
        return;
    }
    if sub != "image" {
        out.fail(super::unknown_subcommand("kubectl set", args));
        return;
    }
    let specs = [
        b("all", None),
        v("selector", Some('l')),
        v("filename", Some('f')),
        b("local", None),
        v("output", Some('o')),
        crate::dryrun::FLAG,
        b("record", None),
    ];
    let Some(p) = parse_or_fail(rest, &specs, "kubectl set image", out) else {
        return;
    };
    let cause = record_flag(&p, "set image", out);
    let ns = namespace(&p);
    // kubectl `pkg/cmd/set/set_image.go` `Complete` (v0.35.0): the dry-run strategy and the
    // printer first, then the resources and NAME=IMAGE pairs.
    let Some(dry) = DryRun::from_flag(&p, s.cluster.now(), out) else {
        return;
    };
    if !crate::dryrun::check_output(&p, out) {
        return;
    }
    let (res_args, pairs) = match resources_and_pairs(&p.positional, "image") {
        Ok(x) => x,
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    if pairs.is_empty() {
        out.fail("error: at least one image update is required\nSee 'kubectl set image -h' for help and examples");
        return;
    }
    let Some(targets) = resolve_args(&res_args, out) else {
        return;
    };
    if targets.is_empty() {
        out.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'kubectl set image -h' for help and examples");
        return;
    }
    for (r, name) in targets {
        let Some(name) = name else {
            out.fail("error: resource(s) were provided, but no name was specified");
            return;
        };
        let Some(item) = objects::get(s.cluster.store(), r, &ns, &name, 0) else {
            out.fail(not_found(r, &name));
            not_found_hint(s, r, &ns, &name, out);
            continue;
        };
        let mut obj = item.json.clone();
        let spec_path: &str = match r {
            Res::StatefulSet | Res::Deployment | Res::ReplicaSet => "/spec/template/spec",
            Res::Pod => "/spec",
            _ => {
                out.fail(format!(
                    "error: {}/{name} is not a resource with containers",
                    r.name_prefix()
                ));
                continue;
            }
        };
        let mut changed = false;
        let mut missing: Option<String> = None;
        {
            let Some(cur) = obj.pointer_mut(spec_path) else {
                out.fail(format!("error: {}/{name} has no pod spec", r.name_prefix()));
                continue;
            };
            for pair in &pairs {
                let (cname, image) = pair.split_once('=').unwrap_or((pair, ""));
                let mut found = false;
                for list in ["initContainers", "containers"] {
                    if let Some(cs) = cur.get_mut(list).and_then(Value::as_array_mut) {
                        for c in cs.iter_mut() {
                            if cname == "*" || c.get("name").and_then(Value::as_str) == Some(cname)
                            {
                                found = true;
                                if c.get("image").and_then(Value::as_str) != Some(image)
                                    && let Some(m) = c.as_object_mut()
                                {
                                    m.insert("image".into(), Value::String(image.to_string()));
                                    changed = true;
                                }
                            }
                        }
                    }
                }
                if !found {
                    missing = Some(cname.to_string());
                }
            }
        }
        if let Some(m) = missing {
            out.fail(format!("error: unable to find container named \"{m}\""));
            continue;
        }
        if let Some(c) = &cause {
            changed |= put_cause(&mut obj, c);
        }
        if !changed {
            continue;
        }
        if dry == DryRun::Client {
            crate::dryrun::report(out, &p, r, &name, "image updated", dry, &obj);
            continue;
        }
        if let Some((_, returned)) = send_update(s, r, &name, obj, dry, out) {
            crate::dryrun::report(out, &p, r, &name, "image updated", dry, &returned);
        }
    }
}

/// `MakeRecordMergePatch` sent after the change itself (`scale`, `patch`): a second write of
/// the annotation alone, whose errors kubectl only logs. The object it returns, if any.
fn record_after(s: &mut Session, r: Res, ns: &str, name: &str, cause: &str) -> Option<Value> {
    let mut obj = objects::get(s.cluster.store(), r, ns, name, 0)?.json;
    if !put_cause(&mut obj, cause) {
        return Some(obj);
    }
    send_update(s, r, name, obj, DryRun::None, &mut Out::default()).map(|(_, v)| v)
}

/// `cmdutil.GetResourcesAndPairs` (kubectl `pkg/cmd/util/helpers.go`, v0.35.0): the words
/// before the first `KEY=VALUE` or `KEY-` are resources, the rest are pairs; a resource after
/// a pair is an error.
pub(crate) fn resources_and_pairs(
    args: &[String],
    pair_type: &str,
) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for a in args {
        let is_pair = (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a != "-");
        if is_pair {
            pairs.push(a.clone());
        } else if !pairs.is_empty() {
            return Err(format!(
                "error: all resources must be specified before {pair_type} changes: {a}"
            ));
        } else {
            resources.push(a.clone());
        }
    }
    Ok((resources, pairs))
}

/// Send a changed object (JSON) as the apiserver would receive a PUT/PATCH: update validation
/// (intake), then `Command::Update`, or for a server dry run the same on a copy of the cluster
/// ([`sim::cluster::Cluster::dry_run`]). Errors are printed here; the caller reports the
/// result as kubectl's printer does. Returns the outcome and the object the server returned.
/// A client dry run never gets here (nothing is sent).
pub(crate) fn send_update(
    s: &mut Session,
    r: Res,
    name: &str,
    obj: Value,
    dry: DryRun,
    out: &mut Out,
) -> Option<(sim::Outcome, Value)> {
    let any = match any_from_json(r, &obj) {
        Ok(a) => a,
        Err(e) => {
            out.fail(format!("error: {e}"));
            return None;
        }
    };
    let ns = any.metadata().namespace.clone().unwrap_or_default();
    if let Some(old) = objects::get(s.cluster.store(), r, &ns, name, 0)
        && let Ok(old_any) = any_from_json(r, &old.json)
        && let Err(d) = intake::validate_update_with(
            &old_any,
            &any,
            s.cfg.version,
            &s.cluster.controller_config().gates,
        )
    {
        out.fail(d.message);
        if let Some(h) = d.hint {
            out.hint(h);
        }
        return None;
    }
    let sent_max_unavailable = super::apply::sets_max_unavailable(&any);
    let cmd = Command::Update(any);
    let applied = dry.send(&mut s.cluster, cmd);
    match applied {
        Ok(a) => {
            super::apply::max_unavailable_dropped_hint(
                sent_max_unavailable,
                a.object.as_ref(),
                s.cfg.version,
                out,
            );
            let returned = a.object.as_ref().map_or(obj, AnyObject::to_json);
            Some((a.outcome, returned))
        }
        Err(e) => {
            out.fail(sim_error_line(&e, None));
            None
        }
    }
}

// ------------------------------------------------------------------------------------------
// patch

pub(super) fn patch(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("patch", Some('p')),
        v("type", None),
        v("patch-file", None),
        v("filename", Some('f')),
        v("output", Some('o')),
        b("local", None),
        crate::dryrun::FLAG,
        v("subresource", None),
        b("record", None),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl patch", out) else {
        return;
    };
    let cause = record_flag(&p, "patch", out);
    let ns = namespace(&p);
    // kubectl `pkg/cmd/patch/patch.go` `Complete` (v0.35.0).
    let Some(dry) = DryRun::from_flag(&p, s.cluster.now(), out) else {
        return;
    };
    if !crate::dryrun::check_output(&p, out) {
        return;
    }
    let Some(body) = p.value("patch") else {
        out.fail("error: must specify -p to patch\nSee 'kubectl patch -h' for help and examples");
        return;
    };
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    let Some((r, Some(name))) = targets.into_iter().next() else {
        out.fail("error: resource(s) were provided, but no name was specified");
        return;
    };
    // kubectl: `yaml.ToJSON([]byte(o.Patch))`, then `unable to parse %q: %v` (JSON is YAML)
    let patch_val: Value = match intake::yaml_to_json(body) {
        Ok(v) => v,
        Err(e) => {
            out.fail(format!(
                "error: unable to parse {}: {e}",
                intake::field::go_quote(body)
            ));
            return;
        }
    };
    let Some(item) = objects::get(s.cluster.store(), r, &ns, &name, 0) else {
        out.fail(not_found(r, &name));
        not_found_hint(s, r, &ns, &name, out);
        return;
    };
    let ty = p.value("type").unwrap_or("strategic");
    let patched = match ty {
        "json" => crate::patch::json_patch(&item.json, &patch_val),
        "merge" => Ok(crate::patch::merge_patch(&item.json, &patch_val)),
        "strategic" => Ok(crate::patch::strategic_patch(&item.json, &patch_val)),
        other => {
            out.fail(format!(
                "error: --type must be one of [json merge strategic], not \"{other}\""
            ));
            return;
        }
    };
    let patched = match patched {
        Ok(v) => v,
        Err(e) => {
            out.fail(format!("The request is invalid: {e}"));
            return;
        }
    };
    // `RunPatch`: `patched (no change)` when the object did not change; a client dry run
    // applies the patch locally and prints the result.
    if dry == DryRun::Client || patched == item.json {
        let op = if patched == item.json {
            "patched (no change)"
        } else {
            "patched"
        };
        // `RunPatch` records after an unchanged patch too (a real run only).
        let shown = match &cause {
            Some(c) if dry == DryRun::None => record_after(s, r, &ns, &name, c),
            _ => None,
        };
        crate::dryrun::report(out, &p, r, &name, op, dry, &shown.unwrap_or(patched));
        return;
    }
    // The server may leave the object as it was even though the request changed it (a field
    // dropped by a disabled feature gate): kubectl compares the object it read with the one
    // returned and says `(no change)`.
    if let Some((outcome, mut returned)) = send_update(s, r, &name, patched, dry, out) {
        let op = if outcome == sim::Outcome::Unchanged {
            "patched (no change)"
        } else {
            "patched"
        };
        if let Some(c) = cause.as_deref().filter(|_| dry == DryRun::None) {
            returned = record_after(s, r, &ns, &name, c).unwrap_or(returned);
        }
        crate::dryrun::report(out, &p, r, &name, op, dry, &returned);
    }
}

// ------------------------------------------------------------------------------------------
// label / annotate

pub(super) fn label(s: &mut Session, args: &[String], out: &mut Out, is_label: bool) {
    let specs = [
        b("overwrite", None),
        b("all", None),
        v("selector", Some('l')),
        v("filename", Some('f')),
        b("list", None),
        v("output", Some('o')),
        v("resource-version", None),
        b("local", None),
        crate::dryrun::FLAG,
        b("record", None),
    ];
    let path = if is_label {
        "kubectl label"
    } else {
        "kubectl annotate"
    };
    let Some(p) = parse_or_fail(args, &specs, path, out) else {
        return;
    };
    let cause = record_flag(&p, path.trim_start_matches("kubectl "), out);
    let ns = namespace(&p);
    // kubectl `pkg/cmd/label/label.go` and `pkg/cmd/annotate/annotate.go` `Complete`
    // (v0.35.0): the dry-run strategy and the printer, then the resources and KEY=VALUE / KEY-
    // pairs (`cmdutil.GetResourcesAndPairs`).
    let Some(dry) = DryRun::from_flag(&p, s.cluster.now(), out) else {
        return;
    };
    if !crate::dryrun::check_output(&p, out) {
        return;
    }
    let pair_type = if is_label { "label" } else { "annotation" };
    let (res_args, changes) = match resources_and_pairs(&p.positional, pair_type) {
        Ok(x) => x,
        Err(e) => {
            out.fail(e);
            return;
        }
    };
    let Some(targets) = resolve_args(&res_args, out) else {
        return;
    };
    if changes.is_empty() {
        out.fail(format!(
            "error: at least one {pair_type} update is required\nSee '{path} -h' for help and examples"
        ));
        return;
    }
    let field = if is_label { "labels" } else { "annotations" };
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
    for (r, name) in names {
        let Some(item) = objects::get(s.cluster.store(), r, &ns, &name, 0) else {
            out.fail(not_found(r, &name));
            continue;
        };
        let mut obj = item.json.clone();
        let mut map = obj
            .get("metadata")
            .and_then(|m| m.get(field))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        // `label` sending a patch says which keys to remove were not there (not in a client
        // dry run, which only prints).
        if is_label && dry != DryRun::Client {
            for c in &changes {
                if let Some(k) = c.strip_suffix('-').filter(|_| !c.contains('='))
                    && !map.contains_key(k)
                {
                    out.outln(format!("label \"{k}\" not found."));
                }
            }
        }
        let mut err = None;
        for c in &changes {
            if let Some(k) = c.strip_suffix('-').filter(|_| !c.contains('=')) {
                map.remove(k);
            } else if let Some((k, val)) = c.split_once('=') {
                if let Some(old) = map.get(k).and_then(Value::as_str)
                    && old != val
                    && !p.bool("overwrite")
                {
                    err = Some(format!(
                        "error: '{k}' already has a value ({old}), and --overwrite is false"
                    ));
                    break;
                }
                map.insert(k.to_string(), Value::String(val.to_string()));
            }
        }
        if let Some(e) = err {
            out.fail(e);
            continue;
        }
        let old_len = serde_json::to_string(&obj).map_or(0, |t| t.len());
        if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            m.insert(field.to_string(), Value::Object(map));
        }
        let changed = obj != item.json;
        // `updateDataChangeMsg` (label.go): `not labeled` when the object is the same,
        // `unlabeled` when it got shorter without --overwrite, else `labeled`; annotate
        // always says `annotated`.
        let word = if !is_label {
            "annotated"
        } else if !changed {
            "not labeled"
        } else if !p.bool("overwrite")
            && serde_json::to_string(&obj).map_or(0, |t| t.len()) < old_len
        {
            "unlabeled"
        } else {
            "labeled"
        };
        // label.go / annotate.go: the cause goes into the patch sent (not in a client dry
        // run; `label` sends nothing when no label changed).
        if let Some(c) = &cause
            && dry != DryRun::Client
            && (changed || !is_label)
        {
            put_cause(&mut obj, c);
        }
        let changed = obj != item.json;
        if dry == DryRun::Client || !changed {
            crate::dryrun::report(out, &p, r, &name, word, dry, &obj);
            continue;
        }
        if let Some((_, returned)) = send_update(s, r, &name, obj, dry, out) {
            crate::dryrun::report(out, &p, r, &name, word, dry, &returned);
        }
    }
}

// ------------------------------------------------------------------------------------------
// edit (browser: the object's YAML goes to the editor)

// Not inlined into `verbs::run`, so the release build can move it to the second wasm module
// when a first visit does not run it (issue #17, xtask/src/split.rs).
#[inline(never)]
pub(super) fn edit(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("output", Some('o')),
        b("windows-line-endings", None),
        v("filename", Some('f')),
        b("record", None),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl edit", out) else {
        return;
    };
    // `--record` (`editor/editoptions.go` `visitAnnotation`): kubectl records the cause on the
    // edited object when it is saved; here the file the editor gets carries it already.
    let cause = record_flag(&p, "edit", out);
    let ns = namespace(&p);
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    let Some((r, Some(name))) = targets.into_iter().next() else {
        out.fail("error: edit needs a resource and a name, e.g. kubectl edit sts/nginx-with-init-container");
        return;
    };
    let Some(item) = objects::get(s.cluster.store(), r, &ns, &name, 0) else {
        out.fail(not_found(r, &name));
        return;
    };
    let file = format!("{}-{name}.yaml", r.kind().to_ascii_lowercase());
    let mut obj = strip_managed(item.json);
    if let Some(c) = &cause {
        put_cause(&mut obj, c);
    }
    let text = output::yaml(&obj);
    s.set_file(&file, &text);
    out.edit = Some((file.clone(), text));
    out.hint(format!("the live object is in the editor as {file}; change it and run `kubectl apply -f {file}` (a terminal has no editor here)"));
    if cause.is_some() {
        out.hint(format!(
            "--record: the {CHANGE_CAUSE} annotation kubectl would add when you save is already in {file}"
        ));
    }
}
