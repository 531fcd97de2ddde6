#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
//! Properties of `sim::merge::three_way_merge`, the client-side `kubectl apply` merge
//! (apimachinery `strategicpatch.CreateThreeWayMergePatch` then `StrategicMergePatch`), over
//! StatefulSets whose containers and env vars are keyed lists (core/v1 `types.go`).

mod common;

use proptest::prelude::*;
use serde_json::{Value, json};
use sim::merge::{Ty, three_way_merge};

/// A container list with unique names (in a random order), optional images and env vars.
fn containers() -> impl Strategy<Value = Value> {
    let names = Just(vec!["a", "b", "c", "d"]).prop_shuffle();
    (
        names,
        0usize..=4,
        proptest::collection::vec((any::<bool>(), 0u8..3, any::<bool>(), 0u8..8), 4),
    )
        .prop_map(|(names, n, items)| {
            let list: Vec<Value> = names
                .into_iter()
                .take(n)
                .zip(items)
                .map(|(name, (has_image, image, has_env, env_mask))| {
                    let mut c = json!({ "name": name });
                    if has_image {
                        c["image"] = json!(format!("img:{image}"));
                    }
                    if has_env {
                        let env: Vec<Value> = ["X", "Y", "Z"]
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| env_mask & (1 << i) != 0)
                            .map(|(i, e)| json!({"name": e, "value": format!("{i}")}))
                            .collect();
                        c["env"] = json!(env);
                    }
                    c
                })
                .collect();
            json!({"kind": "StatefulSet", "spec": {"template": {"spec": {"containers": list}}}})
        })
}

fn list(v: &Value) -> &Vec<Value> {
    v["spec"]["template"]["spec"]["containers"]
        .as_array()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(common::cases(256)))]

    /// With nothing changed on the server since the last apply, the result is the manifest.
    #[test]
    fn applying_over_the_last_applied_object_gives_the_manifest(o in containers(), m in containers()) {
        prop_assert_eq!(three_way_merge(&o, &m, &o, Ty::StatefulSet), m);
    }

    /// A container only the server has (a sidecar, anywhere in the list) survives, and the
    /// rest is the manifest in its order.
    #[test]
    fn a_server_only_container_survives(o in containers(), m in containers(), at in 0usize..5) {
        let mut c = o.clone();
        let l = c["spec"]["template"]["spec"]["containers"].as_array_mut().unwrap();
        l.insert(at.min(l.len()), json!({"name": "side", "image": "s"}));
        let r = three_way_merge(&o, &m, &c, Ty::StatefulSet);
        let rl = list(&r);
        prop_assert_eq!(rl.iter().filter(|x| x["name"] == "side").count(), 1);
        let rest: Vec<&Value> = rl.iter().filter(|x| x["name"] != "side").collect();
        let want: Vec<&Value> = list(&m).iter().collect();
        prop_assert_eq!(rest, want);
    }

    /// Re-applying the same manifest changes nothing.
    #[test]
    fn reapplying_is_idempotent(o in containers(), m in containers(), c in containers()) {
        let r = three_way_merge(&o, &m, &c, Ty::StatefulSet);
        prop_assert_eq!(three_way_merge(&m, &m, &r, Ty::StatefulSet), r);
    }
}
