#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! What `kubectl get -o yaml` shows after create: the v1.35 apiserver's defaults on the seed.
//! (kubernetes `pkg/apis/apps/v1/defaults.go`, `pkg/apis/core/v1/defaults.go`)

use serde_json::json;

fn one(text: &str) -> serde_json::Value {
    let mut r = intake::parse(text, "f.yaml");
    assert_eq!(r.len(), 1);
    match r.remove(0) {
        intake::DocResult::Ok(p) => p.object.to_json(),
        intake::DocResult::Err(d) => panic!("{}", d.message),
    }
}

#[test]
fn seed_statefulset_defaults() {
    let v = one(include_str!("corpus/good/sts.yaml"));
    let spec = &v["spec"];
    assert_eq!(spec["podManagementPolicy"], "OrderedReady");
    // No `maxUnavailable: 1`: that default needs MaxUnavailableStatefulSet, off by default from
    // v1.35.4; `sim` adds it when the cluster's gate is on.
    assert_eq!(
        spec["updateStrategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
    );
    assert_eq!(spec["revisionHistoryLimit"], 10);
    assert_eq!(
        spec["persistentVolumeClaimRetentionPolicy"],
        json!({"whenDeleted": "Retain", "whenScaled": "Retain"})
    );
    let ps = &spec["template"]["spec"];
    assert_eq!(ps["dnsPolicy"], "ClusterFirst");
    assert_eq!(ps["restartPolicy"], "Always");
    assert_eq!(ps["schedulerName"], "default-scheduler");
    assert_eq!(ps["securityContext"], json!({}));
    assert_eq!(ps["terminationGracePeriodSeconds"], 30);
    let c = &ps["containers"][0];
    assert_eq!(c["imagePullPolicy"], "IfNotPresent");
    assert_eq!(c["terminationMessagePath"], "/dev/termination-log");
    assert_eq!(c["terminationMessagePolicy"], "File");
    assert_eq!(c["resources"], json!({}));
    assert_eq!(
        c["ports"][0],
        json!({"containerPort": 80, "protocol": "TCP"})
    );
    assert_eq!(ps["initContainers"][0]["imagePullPolicy"], "IfNotPresent");
    let vct = &spec["volumeClaimTemplates"][0];
    assert_eq!(vct["spec"]["volumeMode"], "Filesystem");
    assert_eq!(vct["status"], json!({"phase": "Pending"}));
    assert_eq!(spec["replicas"], 3);
}

#[test]
fn explicit_rolling_update_type_keeps_rolling_update_nil() {
    let v = one(include_str!("corpus/good/kafka.yaml")
        .split("---\n")
        .nth(1)
        .unwrap());
    assert_eq!(
        v["spec"]["updateStrategy"],
        json!({"type": "RollingUpdate"})
    );
    assert_eq!(v["spec"]["replicas"], 3);
}

#[test]
fn seed_service_defaults() {
    let v = one(include_str!("corpus/good/svc.yaml"));
    let s = &v["spec"];
    assert_eq!(s["type"], "ClusterIP");
    assert_eq!(s["sessionAffinity"], "None");
    assert_eq!(
        s["ports"][0],
        json!({"port": 80, "protocol": "TCP", "targetPort": 80})
    );
    assert_eq!(s["clusterIPs"], json!(["None"]));
    assert_eq!(s["ipFamilies"], json!(["IPv4"]));
    assert_eq!(s["ipFamilyPolicy"], "SingleStack");
    assert_eq!(s["internalTrafficPolicy"], "Cluster");
}

#[test]
fn latest_or_untagged_images_pull_always_and_bare_volumes_become_emptydir() {
    let v = one(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: w}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      volumes: [{name: scratch}]\n      containers:\n      - {name: a, image: busybox}\n      - {name: b, image: 'busybox:latest'}\n",
    );
    let ps = &v["spec"]["template"]["spec"];
    assert_eq!(ps["containers"][0]["imagePullPolicy"], "Always");
    assert_eq!(ps["containers"][1]["imagePullPolicy"], "Always");
    assert_eq!(ps["volumes"][0], json!({"name": "scratch", "emptyDir": {}}));
    assert_eq!(v["spec"]["replicas"], 1);
}

#[test]
fn other_kinds_defaults() {
    let pvc = one(include_str!("corpus/good/pvc.yaml"));
    assert_eq!(pvc["spec"]["volumeMode"], "Filesystem");
    assert_eq!(pvc["status"]["phase"], "Pending");
    let sc = one(include_str!("corpus/good/storageclass.yaml"));
    assert_eq!(sc["reclaimPolicy"], "Delete");
    let ns = one(include_str!("corpus/good/namespace.yaml"));
    assert_eq!(
        ns["metadata"]["labels"]["kubernetes.io/metadata.name"],
        "databases"
    );
    assert_eq!(ns["status"]["phase"], "Active");
    let pv = one(include_str!("corpus/good/pv.yaml"));
    assert_eq!(pv["spec"]["persistentVolumeReclaimPolicy"], "Retain");
    let sec = one(include_str!("corpus/good/secret.yaml"));
    assert_eq!(sec["type"], "Opaque");
}

#[test]
fn quantities_are_stored_canonical() {
    let docs = intake::parse(include_str!("corpus/good/zookeeper.yaml"), "zk.yaml");
    let intake::DocResult::Ok(p) = &docs[1] else {
        panic!()
    };
    let v = p.object.to_json();
    let req = &v["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"];
    assert_eq!(req["cpu"], "500m");
    assert_eq!(req["memory"], "1Gi");
    assert_eq!(
        v["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"],
        "10Gi"
    );
}
