//! Verbs that change an object: `scale`, `set image`, `patch`, `label`, `annotate`, `edit`.

#[allow(unused_imports)]
use super::*;

pub(super) fn scale(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("replicas", None),
        v("current-replicas", None),
        v("resource-version", None),
        v("timeout", None),
        v("selector", Some('l')),
        b("all", None),
        v("filename", Some('f')),
        v("output", Some('o')),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl scale", out) else {
        return;
    };
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
    // kubectl `pkg/cmd/scale/scale.go` `Validate` (v0.35.0) runs before the
    // resources are resolved and rejects negative counts on the client side.
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
    if p.positional.is_empty() {
        out.fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
        return;
    }
    let Some(targets) = resolve_args(&p.positional, out) else {
        return;
    };
    let ns = namespace(&p);
    for (r, name) in targets {
        let Some(name) = name else {
            out.fail("error: resource(s) were provided, but no name was specified");
            return;
        };
        if !matches!(r, Res::StatefulSet | Res::Deployment | Res::ReplicaSet) {
            out.fail(format!(
                "error: no scaler has been implemented for {{\"{}\" \"{}\"}}",
                r.group(),
                r.kind()
            ));
            continue;
        }
        if let Some(cur) = p
            .value("current-replicas")
            .and_then(|c| c.parse::<i32>().ok())
        {
            let actual = objects::get(s.cluster.store(), r, &ns, &name, 0).map(|it| {
                it.json
                    .pointer("/spec/replicas")
                    .and_then(Value::as_i64)
                    .and_then(|n| i32::try_from(n).ok())
                    .unwrap_or(1)
            });
            if actual.is_some() && actual != Some(cur) {
                out.fail(format!(
                    "error: Expected replicas to be {cur}, was {}",
                    actual.unwrap_or(0)
                ));
                continue;
            }
        }
        match s.cluster.apply(Command::Scale {
            resource: r.plural().into(),
            ns: ns.clone(),
            name: name.clone(),
            replicas,
        }) {
            Ok(_) => out.outln(format!("{}/{name} scaled", r.name_prefix())),
            Err(e) => {
                out.fail(sim_error_line(&e, None));
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
        v("dry-run", None),
    ];
    let Some(p) = parse_or_fail(rest, &specs, "kubectl set image", out) else {
        return;
    };
    let ns = namespace(&p);
    // Split positional into resources and NAME=IMAGE pairs.
    let (pairs, res_args): (Vec<String>, Vec<String>) =
        p.positional.iter().cloned().partition(|a| a.contains('='));
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
        if !changed {
            continue;
        }
        update_json(s, r, &name, obj, "image updated", out);
    }
}

/// Write a changed object (JSON) back through `Command::Update`, printing `<type>/<name> <word>`.
pub(crate) fn update_json(
    s: &mut Session,
    r: Res,
    name: &str,
    obj: Value,
    word: &str,
    out: &mut Out,
) -> bool {
    let any = match any_from_json(r, &obj) {
        Ok(a) => a,
        Err(e) => {
            out.fail(format!("error: {e}"));
            return false;
        }
    };
    let ns = any.metadata().namespace.clone().unwrap_or_default();
    if let Some(old) = objects::get(s.cluster.store(), r, &ns, name, 0)
        && let Ok(old_any) = any_from_json(r, &old.json)
        && let Err(d) = intake::validate_update(&old_any, &any)
    {
        out.fail(d.message);
        if let Some(h) = d.hint {
            out.hint(h);
        }
        return false;
    }
    let sent_max_unavailable = super::apply::sets_max_unavailable(&any);
    let applied = s.cluster.apply(Command::Update(any));
    if let Ok(a) = &applied {
        super::apply::max_unavailable_dropped_hint(sent_max_unavailable, a.object.as_ref(), out);
    }
    match applied {
        // The server may leave the object as it was even though the request changed it (a
        // field dropped by a disabled feature gate): kubectl patch compares the object it read
        // with the one returned and says `(no change)`.
        Ok(a) if a.outcome == sim::Outcome::Unchanged && word == "patched" => {
            out.outln(format!("{}/{name} patched (no change)", r.name_prefix()));
            true
        }
        Ok(_) => {
            out.outln(format!("{}/{name} {word}", r.name_prefix()));
            true
        }
        Err(e) => {
            out.fail(sim_error_line(&e, None));
            false
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
        v("dry-run", None),
        v("subresource", None),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl patch", out) else {
        return;
    };
    let ns = namespace(&p);
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
    let patch_val: Value =
        match serde_json::from_str(body).or_else(|_| serde_yaml::from_str::<Value>(body)) {
            Ok(v) => v,
            Err(e) => {
                out.fail(format!("error: unable to parse \"{body}\": {e}"));
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
    if patched == item.json {
        out.outln(format!("{}/{name} patched (no change)", r.name_prefix()));
        return;
    }
    update_json(s, r, &name, patched, "patched", out);
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
        v("dry-run", None),
    ];
    let path = if is_label {
        "kubectl label"
    } else {
        "kubectl annotate"
    };
    let Some(p) = parse_or_fail(args, &specs, path, out) else {
        return;
    };
    let ns = namespace(&p);
    let (changes, res_args): (Vec<String>, Vec<String>) =
        p.positional.iter().cloned().partition(|a| {
            a.contains('=') || (a.ends_with('-') && !a.contains('/')) && a.len() > 1
        });
    // A trailing-dash word could also be a name; kubectl treats `KEY-` as a removal only after
    // the resource arguments, which the partition approximates.
    let Some(targets) = resolve_args(&res_args, out) else {
        return;
    };
    if changes.is_empty() {
        out.fail(format!(
            "error: at least one {} update is required\nSee '{path} -h' for help and examples",
            if is_label { "label" } else { "annotation" }
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
        let before = map.clone();
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
        let word = if is_label { "labeled" } else { "annotated" };
        if map == before {
            out.outln(format!("{}/{name} not {word}", r.name_prefix()));
            continue;
        }
        if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            m.insert(field.to_string(), Value::Object(map));
        }
        update_json(s, r, &name, obj, word, out);
    }
}

// ------------------------------------------------------------------------------------------
// edit (browser: the object's YAML goes to the editor)

pub(super) fn edit(s: &mut Session, args: &[String], out: &mut Out) {
    let specs = [
        v("output", Some('o')),
        b("windows-line-endings", None),
        v("filename", Some('f')),
    ];
    let Some(p) = parse_or_fail(args, &specs, "kubectl edit", out) else {
        return;
    };
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
    let text = output::yaml(&strip_managed(item.json));
    s.set_file(&file, &text);
    out.edit = Some((file.clone(), text));
    out.hint(format!("the live object is in the editor as {file}; change it and run `kubectl apply -f {file}` (a terminal has no editor here)"));
}
