#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Deployments and ReplicaSets at intake: the v1.35 apiserver's apps/v1 defaults
//! (`pkg/apis/apps/v1/defaults.go` `SetDefaults_Deployment`, `SetDefaults_ReplicaSet`) and its
//! validation messages (`pkg/apis/apps/validation/validation.go`).

use serde_json::json;

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
";

fn one(text: &str) -> Result<serde_json::Value, String> {
    let mut r = intake::parse(text, "f.yaml");
    assert_eq!(r.len(), 1);
    match r.remove(0) {
        intake::DocResult::Ok(p) => Ok(p.object.to_json()),
        intake::DocResult::Err(d) => Err(d.message),
    }
}

#[test]
fn deployment_defaults() {
    let v = one(DEPLOY).unwrap();
    let spec = &v["spec"];
    assert_eq!(spec["replicas"], 1);
    assert_eq!(
        spec["strategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
    );
    assert_eq!(spec["revisionHistoryLimit"], 10);
    assert_eq!(spec["progressDeadlineSeconds"], 600);
    assert_eq!(spec["template"]["spec"]["restartPolicy"], "Always");
    assert_eq!(
        spec["template"]["spec"]["containers"][0]["imagePullPolicy"],
        "IfNotPresent"
    );
}

#[test]
fn recreate_gets_no_rolling_update_block() {
    let v = one(&DEPLOY.replace(
        "spec:\n  selector",
        "spec:\n  strategy:\n    type: Recreate\n  selector",
    ))
    .unwrap();
    assert_eq!(v["spec"]["strategy"], json!({"type": "Recreate"}));
}

#[test]
fn replicaset_defaults() {
    let v = one(&DEPLOY.replace("kind: Deployment", "kind: ReplicaSet")).unwrap();
    assert_eq!(v["spec"]["replicas"], 1);
    assert!(v["spec"].get("strategy").is_none());
}

/// apimachinery v0.34+ renders non-string bad values with `json.Marshal` (an `IntOrString` as
/// its number or string, the internal strategy struct with its Go field names).
#[test]
fn deployment_validation_messages() {
    let err = |patch: &str| {
        one(&DEPLOY.replace("spec:\n  selector", &format!("spec:\n{patch}  selector"))).unwrap_err()
    };
    let head = "The Deployment \"web\" is invalid: ";
    assert_eq!(
        err("  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n"),
        format!(
            "{head}spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"
        )
    );
    assert_eq!(
        err("  strategy:\n    rollingUpdate:\n      maxUnavailable: 120%\n"),
        format!(
            "{head}spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%"
        )
    );
    assert_eq!(
        err("  strategy:\n    rollingUpdate:\n      maxSurge: x\n"),
        format!(
            "{head}spec.strategy.rollingUpdate.maxSurge: Invalid value: \"x\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
        )
    );
    assert_eq!(
        err("  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 1\n"),
        format!(
            "{head}spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"
        )
    );
    assert_eq!(
        err("  replicas: -1\n"),
        format!("{head}spec.replicas: Invalid value: -1: must be greater than or equal to 0")
    );
    assert_eq!(
        err("  strategy:\n    type: Blue\n"),
        format!(
            "{head}spec.strategy: Unsupported value: {{\"Type\":\"Blue\",\"RollingUpdate\":null}}: supported values: \"Recreate\", \"RollingUpdate\""
        )
    );
    assert_eq!(
        one(&DEPLOY.replace("        app: web\n    spec", "        app: other\n    spec"))
            .unwrap_err(),
        format!(
            "{head}spec.template.metadata.labels: Invalid value: {{\"app\":\"other\"}}: `selector` does not match template `labels`"
        )
    );
    // The template is validated as a pod's, unlike a StatefulSet's.
    assert_eq!(
        one(&DEPLOY.replace("image: nginx:1.27", "image: ''")).unwrap_err(),
        format!("{head}spec.template.spec.containers[0].image: Required value")
    );
}

#[test]
fn replicaset_validation_messages() {
    let rs = DEPLOY.replace("kind: Deployment", "kind: ReplicaSet");
    assert_eq!(
        one(&rs.replace("        app: web\n    spec", "        app: other\n    spec")).unwrap_err(),
        "The ReplicaSet \"web\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: `selector` does not match template `labels`"
    );
}
