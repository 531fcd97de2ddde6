#![allow(clippy::panic, clippy::indexing_slicing)]
//! Deployment and ReplicaSet transcripts (issue 18): `get deploy|rs` (kubectl
//! `pkg/printers/internalversion/printers.go` `printDeployment`, `printReplicaSet`),
//! `describe deployment|replicaset` (`pkg/describe/describe.go` `describeDeployment`,
//! `DescribeReplicaSet`), `rollout status|history|undo|restart|pause|resume`
//! (`pkg/polymorphichelpers`), `scale`, `set image`, `delete --cascade`, and a claim shared by
//! every replica on several nodes.

use kubectl::Session;

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 4
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
        ports:
        - containerPort: 80
";

const SHARED: &str = "apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: www
spec:
  accessModes: [\"ReadWriteOnce\"]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
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
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
      volumes:
      - name: www
        persistentVolumeClaim:
          claimName: www
";

fn run(script: &str) -> kubectl::Transcript {
    let mut s = Session::new();
    s.set_file("deploy.yaml", DEPLOY);
    s.set_file("shared.yaml", SHARED);
    let fs = s.files().clone();
    s.run_script_with(script, &fs, true)
}

fn check(name: &str, script: &str) -> String {
    let t = run(script);
    insta::assert_snapshot!(name, t.text);
    assert_eq!(run(script).text, t.text, "{name} is not deterministic");
    t.text
}

/// The output of the command line `$ <cmd>` (up to the next `$ ` line).
fn output_of<'a>(t: &'a str, cmd: &str, nth: usize) -> &'a str {
    let marker = format!("$ {cmd}\n");
    let start = t
        .match_indices(&marker)
        .nth(nth)
        .map(|(i, _)| i + marker.len())
        .unwrap_or_else(|| panic!("no {cmd:?} (#{nth}) in\n{t}"));
    let rest = &t[start..];
    &rest[..rest.find("\n$ ").map(|i| i + 1).unwrap_or(rest.len())]
}

#[test]
fn deployments() {
    let t = check("deployments", include_str!("scripts/deployments.txt"));
    // Pods are named <replicaset>-<5 characters of the name generator's alphabet>.
    let pods = output_of(&t, "kubectl get pods --show-labels", 0);
    let rs = output_of(&t, "kubectl get rs -o wide", 0)
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_default()
        .to_string();
    assert!(rs.starts_with("web-"), "{rs}");
    let names: Vec<&str> = pods
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names.len(), 4, "{pods}");
    for n in names {
        let suffix = n
            .strip_prefix(&format!("{rs}-"))
            .unwrap_or_else(|| panic!("{n}"));
        assert_eq!(suffix.len(), 5);
        assert!(
            suffix
                .chars()
                .all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)),
            "{n}"
        );
    }
    // kubectl's wording for the rollout commands.
    assert_eq!(
        output_of(&t, "kubectl rollout undo deploy/web --to-revision=9", 0),
        "error: unable to find specified revision 9 in history\n"
    );
    assert_eq!(
        output_of(&t, "kubectl rollout undo deploy/web --to-revision=3", 0),
        "deployment.apps/web skipped rollback (current template already matches revision 3)\n"
    );
    assert_eq!(
        output_of(&t, "kubectl rollout pause deploy/web", 1),
        "error: deployments.apps \"web\" is already paused\n"
    );
    assert!(
        output_of(&t, "kubectl rollout status deploy/web", 0)
            .ends_with("deployment \"web\" successfully rolled out\n")
    );
    // Orphaned, then adopted: the same ReplicaSets, no new one.
    let names = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|n| n.starts_with("replicaset.apps/"))
            .map(str::to_string)
            .collect()
    };
    let orphaned = names(output_of(&t, "kubectl get deploy,rs,pods", 0));
    assert_eq!(orphaned.len(), 3);
    assert_eq!(names(output_of(&t, "kubectl get deploy,rs", 1)), orphaned);
}

#[test]
fn a_shared_claim_pins_every_replica_to_its_volumes_node() {
    let t = check(
        "deployment_shared_claim",
        include_str!("scripts/deployment_shared_claim.txt"),
    );
    let wide = output_of(&t, "kubectl get pods -o wide", 0);
    let nodes: Vec<&str> = wide
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(6))
        .collect();
    assert_eq!(nodes.len(), 3, "{wide}");
    assert!(nodes.iter().all(|n| *n == nodes[0]), "{wide}");
    assert!(t.contains(
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't satisfy plugin(s) [VolumeBinding]. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    ));
}
