//! `kubectl patch` bodies: JSON merge patch (RFC 7386), strategic merge patch (the
//! simulator's [`sim::merge`], shared with `kubectl apply`: lists tagged `patchStrategy:"merge"`
//! in the API types — containers, env, ports, volumeMounts, volumes, … — merge by their key,
//! with the `$patch`, `$setElementOrder`, `$retainKeys` and `$deleteFromPrimitiveList`
//! directives), and JSON patch (RFC 6902: add, remove, replace, test, copy, move).

use serde_json::Value;

/// Merge `patch` into `target` as an RFC 7386 JSON merge patch: maps merge, `null` deletes,
/// anything else (lists included) replaces.
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    merge_in(target, patch, 0)
}

fn merge_in(target: &Value, patch: &Value, depth: usize) -> Value {
    match patch {
        Value::Object(pm) if depth <= sim::merge::MAX_DEPTH => {
            let mut out = match target {
                Value::Object(t) => t.clone(),
                _ => serde_json::Map::new(),
            };
            for (k, v) in pm {
                if v.is_null() {
                    out.remove(k);
                } else {
                    let cur = out.get(k).cloned().unwrap_or(Value::Null);
                    out.insert(k.clone(), merge_in(&cur, v, depth + 1));
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Apply a strategic merge patch to `target` (an object with its `kind`), as the apiserver does
/// for `kubectl patch --type strategic`.
pub fn strategic_patch(target: &Value, patch: &Value) -> Value {
    sim::merge::apply_patch(target, patch, sim::merge::root_of(target))
}

fn pointer_parts(path: &str) -> Result<Vec<String>, String> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("invalid JSON pointer {path:?}"));
    };
    Ok(rest
        .split('/')
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn parent_mut<'a>(root: &'a mut Value, parts: &[String]) -> Result<&'a mut Value, String> {
    let mut cur = root;
    for p in parts {
        cur = match cur {
            Value::Object(m) => m
                .get_mut(p)
                .ok_or_else(|| format!("doc is missing path: /{}", parts.join("/")))?,
            Value::Array(a) => {
                let i: usize = p.parse().map_err(|_| format!("invalid index {p}"))?;
                a.get_mut(i)
                    .ok_or_else(|| format!("doc is missing path: /{}", parts.join("/")))?
            }
            _ => return Err(format!("doc is missing path: /{}", parts.join("/"))),
        };
    }
    Ok(cur)
}

fn get_at(root: &Value, path: &str) -> Result<Value, String> {
    let parts = pointer_parts(path)?;
    let mut cur = root;
    for p in &parts {
        cur = match cur {
            Value::Object(m) => m.get(p),
            Value::Array(a) => p.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        }
        .ok_or_else(|| format!("doc is missing path: {path}"))?;
    }
    Ok(cur.clone())
}

fn add_at(root: &mut Value, path: &str, val: Value, replace: bool) -> Result<(), String> {
    let parts = pointer_parts(path)?;
    let Some((last, parent)) = parts.split_last() else {
        *root = val;
        return Ok(());
    };
    let p = parent_mut(root, parent)?;
    match p {
        Value::Object(m) => {
            if replace && !m.contains_key(last) {
                return Err(format!(
                    "replace operation does not apply: doc is missing key: {path}"
                ));
            }
            m.insert(last.clone(), val);
        }
        Value::Array(a) => {
            if last == "-" {
                a.push(val);
            } else {
                let i: usize = last.parse().map_err(|_| format!("invalid index {last}"))?;
                if replace {
                    let slot = a.get_mut(i).ok_or_else(|| {
                        format!("replace operation does not apply: doc is missing key: {path}")
                    })?;
                    *slot = val;
                } else if i <= a.len() {
                    a.insert(i, val);
                } else {
                    return Err(format!(
                        "add operation does not apply: doc is missing path: {path}"
                    ));
                }
            }
        }
        _ => return Err(format!("doc is missing path: {path}")),
    }
    Ok(())
}

fn remove_at(root: &mut Value, path: &str) -> Result<Value, String> {
    let parts = pointer_parts(path)?;
    let Some((last, parent)) = parts.split_last() else {
        return Err("cannot remove the root".into());
    };
    let p = parent_mut(root, parent)?;
    match p {
        Value::Object(m) => m
            .remove(last)
            .ok_or_else(|| format!("remove operation does not apply: doc is missing path: {path}")),
        Value::Array(a) => {
            let i: usize = last.parse().map_err(|_| format!("invalid index {last}"))?;
            if i < a.len() {
                Ok(a.remove(i))
            } else {
                Err(format!(
                    "remove operation does not apply: doc is missing path: {path}"
                ))
            }
        }
        _ => Err(format!("doc is missing path: {path}")),
    }
}

/// Apply an RFC 6902 patch.
pub fn json_patch(target: &Value, patch: &Value) -> Result<Value, String> {
    let Some(ops) = patch.as_array() else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    let mut doc = target.clone();
    for op in ops.iter().take(1000) {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        match kind {
            "add" => add_at(
                &mut doc,
                path,
                op.get("value").cloned().unwrap_or(Value::Null),
                false,
            )?,
            "replace" => add_at(
                &mut doc,
                path,
                op.get("value").cloned().unwrap_or(Value::Null),
                true,
            )?,
            "remove" => {
                remove_at(&mut doc, path)?;
            }
            "test" => {
                if get_at(&doc, path)? != op.get("value").cloned().unwrap_or(Value::Null) {
                    return Err(format!("testing value {path} failed"));
                }
            }
            "copy" | "move" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or("");
                let v = if kind == "move" {
                    remove_at(&mut doc, from)?
                } else {
                    get_at(&doc, from)?
                };
                add_at(&mut doc, path, v, false)?;
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strategic_merges_containers_by_name() {
        let t = json!({"kind": "StatefulSet", "spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "a"}, {"name": "side", "image": "b"}]}}}});
        let p = json!({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "c"}]}}}});
        let r = strategic_patch(&t, &p);
        assert_eq!(
            r["spec"]["template"]["spec"]["containers"],
            json!([{"name": "nginx", "image": "c"}, {"name": "side", "image": "b"}])
        );
        // a plain merge patch replaces the list
        let r = merge_patch(&t, &p);
        assert_eq!(
            r["spec"]["template"]["spec"]["containers"],
            json!([{"name": "nginx", "image": "c"}])
        );
        // tolerations carry no patch strategy upstream (core/v1 types.go): replaced whole
        let t = json!({"kind": "Pod", "spec": {"tolerations": [{"key": "a"}, {"key": "b"}]}});
        let p = json!({"spec": {"tolerations": [{"key": "a", "effect": "NoSchedule"}]}});
        assert_eq!(
            strategic_patch(&t, &p)["spec"]["tolerations"],
            json!([{"key": "a", "effect": "NoSchedule"}])
        );
    }

    #[test]
    fn merge_null_deletes() {
        assert_eq!(
            merge_patch(&json!({"a": 1, "b": 2}), &json!({"a": null})),
            json!({"b": 2})
        );
    }

    #[test]
    fn json_patch_ops() {
        let t = json!({"spec": {"replicas": 3, "list": [1, 2]}});
        let p = json!([{"op": "replace", "path": "/spec/replicas", "value": 5}, {"op": "add", "path": "/spec/list/-", "value": 3}, {"op": "remove", "path": "/spec/list/0"}]);
        assert_eq!(
            json_patch(&t, &p).unwrap(),
            json!({"spec": {"replicas": 5, "list": [2, 3]}})
        );
        assert!(
            json_patch(
                &t,
                &json!([{"op": "replace", "path": "/spec/nope", "value": 1}])
            )
            .is_err()
        );
    }
}
