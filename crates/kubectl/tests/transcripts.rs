//! Whole-transcript snapshots: each script in `tests/scripts/` runs in a fresh `Session` (the
//! seed files `sts.yaml` and `svc.yaml` in its virtual file system) with `--keep-going`
//! semantics, and the transcript is compared with the committed snapshot in
//! `tests/snapshots/`. Every snapshot was read against ../shared/k8s/kubectl-output.md and
//! seed-walkthrough.md before it was accepted.

use kubectl::Session;

fn transcript(script: &str) -> kubectl::Transcript {
    let mut s = Session::new();
    let fs = s.files().clone();
    s.run_script_with(script, &fs, true)
}

fn check(name: &str, script: &str) -> kubectl::Transcript {
    let t = transcript(script);
    insta::assert_snapshot!(name, t.text);
    // Deterministic: a second run prints the same bytes.
    assert_eq!(
        transcript(script).text,
        t.text,
        "{name} is not deterministic"
    );
    t
}

/// Names of pods in the order their `Terminating` rows first appear in a watch block.
fn termination_order(text: &str) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.contains("Terminating")
            && let Some(name) = line.split_whitespace().next()
            && !order.iter().any(|n| n == name)
        {
            order.push(name.to_string());
        }
    }
    order
}

#[test]
fn seed_walkthrough() {
    let t = check(
        "seed_walkthrough",
        include_str!("scripts/seed_walkthrough.txt"),
    );
    assert!(
        t.ok,
        "every walkthrough line succeeds: failed lines {:?}",
        t.failed_lines
    );
    // §5: the rolling update replaces pods from the highest ordinal down.
    let update = t
        .text
        .split("$ kubectl set image")
        .nth(1)
        .and_then(|x| x.split("$ kubectl get pods -L").next())
        .unwrap_or_default();
    let order = termination_order(update);
    let want: Vec<String> = (0..5)
        .rev()
        .map(|i| format!("nginx-with-init-container-{i}"))
        .collect();
    assert_eq!(order, want);
    // §7: the claim of a running pod stays Terminating.
    assert!(
        t.text
            .contains("data-nginx-with-init-container-1   Terminating")
    );
}

#[test]
fn seed_cheatsheet_and_debug_commands() {
    let t = check(
        "seed_cheatsheet",
        include_str!("scripts/seed_cheatsheet.txt"),
    );
    assert!(t.text.contains("Error from server (NotFound): pods \"web-1\" not found\nhint: this StatefulSet's pods are named nginx-with-init-container-N"));
    assert!(t.text.contains(
        "Error from server (NotFound): persistentvolumeclaims \"data-web-1\" not found\nhint: this StatefulSet's claims are named data-nginx-with-init-container-N"
    ));
}

#[test]
fn error_cases() {
    let t = check("errors", include_str!("scripts/errors.txt"));
    assert!(!t.ok);
}

#[test]
fn rollout_patch_label() {
    let t = check("rollout", include_str!("scripts/rollout.txt"));
    // Only the `rollout status --timeout=30s` on the stuck rollout fails.
    let script = include_str!("scripts/rollout.txt");
    let want = script
        .lines()
        .position(|l| l.contains("--timeout=30s"))
        .map(|i| i + 1);
    assert_eq!(t.failed_lines, want.into_iter().collect::<Vec<_>>());
}

#[test]
fn output_formats_and_reads() {
    check("outputs", include_str!("scripts/outputs.txt"));
}

#[test]
fn hints_off_keeps_kubectl_output_only() {
    let mut s = Session::new();
    let on = s.run_line("kubectl delete pod web-1");
    assert_eq!(
        on.stderr,
        "Error from server (NotFound): pods \"web-1\" not found\n"
    );
    assert!(on.stdout.is_empty());
    assert!(!on.ok);
    // No StatefulSet yet: nothing to point at.
    assert!(on.hints.is_empty());
    s.run_line("kubectl apply -f sts.yaml");
    let on = s.run_line("kubectl delete pod web-1");
    assert_eq!(on.hints.len(), 1);
    s.run_line("sim hints off");
    let off = s.run_line("kubectl delete pod web-1");
    assert!(off.hints.is_empty());
    assert_eq!(
        off.combined,
        "Error from server (NotFound): pods \"web-1\" not found\n"
    );
}

#[test]
fn apply_edited_files_configured_unchanged_and_forbidden() {
    let mut s = Session::new();
    let sts = include_str!("../seed/sts.yaml");
    s.set_file("sts-4.yaml", &sts.replace("replicas: 3", "replicas: 4"));
    s.set_file(
        "sts-svc.yaml",
        &sts.replace("serviceName: nginx-headless", "serviceName: other"),
    );
    s.set_file(
        "both.yaml",
        &format!("{}\n---\n{}", include_str!("../seed/svc.yaml"), sts),
    );
    let fs = s.files().clone();
    let t = s.run_script_with(
        "kubectl apply -f both.yaml\nkubectl apply -f both.yaml\nkubectl apply -f sts-4.yaml\nkubectl apply -f sts-svc.yaml\nkubectl get sts\n",
        &fs,
        true,
    );
    insta::assert_snapshot!("apply_edited_files", t.text);
    assert_eq!(t.failed_lines, [4]);
}

/// At v1.28 (`--k8s-version 1.28`) a pod template that the StatefulSet validation lets through
/// (apps/validation `ValidatePodTemplateSpecForStatefulSet` did not validate the pod spec
/// before v1.34) but whose pods the apiserver rejects (core/validation `validateVolumeMounts`):
/// the claim is created first, every pod create fails with a `FailedCreate` event and is
/// retried with backoff, the set stays at 0 pods; re-applying the good manifest recovers.
#[test]
fn invalid_pod_template_fails_at_pod_creation_at_v1_28() {
    let mut s = Session::with_config(sim::cluster::ClusterConfig {
        version: sim::config::K8sVersion::V1_28,
        ..Default::default()
    });
    let sts = include_str!("../seed/sts.yaml");
    // The main container mounts `www` (the init container keeps `data`).
    let mount = "        - name: data\n";
    let at = sts.rfind(mount).unwrap();
    let broken = format!(
        "{}        - name: www\n{}",
        &sts[..at],
        &sts[at + mount.len()..]
    );
    s.set_file("broken.yaml", &broken);
    let fs = s.files().clone();
    let t = s.run_script_with(
        "kubectl apply -f svc.yaml\nkubectl apply -f broken.yaml\nsim advance 30s\nkubectl get sts\nkubectl get pods\nkubectl get pvc\nkubectl describe sts nginx-with-init-container\nsim why pod/nginx-with-init-container-0\nsim why sts/nginx-with-init-container\nkubectl apply -f sts.yaml\nsim settle\nkubectl get sts\n",
        &fs,
        true,
    );
    insta::assert_snapshot!("invalid_pod_template", t.text);
    let failed = "statefulset-controller  create Pod nginx-with-init-container-0 in StatefulSet nginx-with-init-container failed error: Pod \"nginx-with-init-container-0\" is invalid: spec.containers[0].volumeMounts[0].name: Not found: \"www\"";
    assert!(t.text.contains(failed), "{}", t.text);
    assert!(
        t.text
            .contains("$ kubectl get pods\nNo resources found in default namespace.\n")
    );
    assert!(t.text.contains("nginx-with-init-container   0/3"));
    assert!(t.text.contains("nginx-with-init-container   3/3"));
    assert!(t.text.contains("nginx-with-init-container-1 is not created yet: statefulset nginx-with-init-container keeps failing to create nginx-with-init-container-0 first"));
}

/// `sim feature-gates` (kube's `--feature-gates` syntax and errors, component-base
/// `featureGate.Set`): a rolling update with `maxUnavailable: 2` on the v1.35.4+ default (gate
/// off: the apiserver drops the field, `dropStatefulSetDisabledFields`, and the controller
/// replaces one pod at a time) and after enabling the gate (the field is kept and two pods go
/// at once, `updateStatefulSetAfterInvariantEstablished`).
#[test]
fn feature_gates_max_unavailable_rolling_update() {
    let t = check("feature_gates", include_str!("scripts/feature_gates.txt"));
    let block = |cmd: &str, nth: usize| -> String {
        let marker = format!("$ {cmd}\n");
        let start = t.text.match_indices(&marker).nth(nth).unwrap().0 + marker.len();
        let rest = &t.text[start..];
        rest[..rest.find("\n$ ").map(|i| i + 1).unwrap_or(rest.len())].to_string()
    };
    let terminating = |nth: usize| -> Vec<String> {
        block("kubectl get pods", nth)
            .lines()
            .filter(|l| l.contains("Terminating"))
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect()
    };
    let strategy = "kubectl get sts nginx-with-init-container -o jsonpath='{.spec.updateStrategy}'";
    let patch = "kubectl patch sts nginx-with-init-container -p '{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxUnavailable\":2}}}}'";
    // Gate off: maxUnavailable dropped (kubectl: no change; our hint says why), one pod at a time.
    assert_eq!(
        block(patch, 0).lines().next(),
        Some("statefulset.apps/nginx-with-init-container patched (no change)")
    );
    assert!(block(patch, 0).contains("hint: maxUnavailable was dropped"));
    assert_eq!(
        block(patch, 1),
        "statefulset.apps/nginx-with-init-container patched\n"
    );
    assert!(!block(strategy, 0).contains("maxUnavailable"));
    assert_eq!(terminating(0), ["nginx-with-init-container-3"]);
    // Gate on: kept, two at a time.
    assert!(block(strategy, 1).contains("\"maxUnavailable\":2"));
    assert_eq!(
        terminating(1),
        ["nginx-with-init-container-2", "nginx-with-init-container-3"]
    );
    assert_eq!(
        block("sim feature-gates", 0),
        "MaxUnavailableStatefulSet=false (beta, default false since v1.35.4)\n"
    );
    assert!(
        block("sim feature-gates StatefulSetAutoDeletePVC=false", 0).starts_with(
            "sim feature-gates: unrecognized feature gate: StatefulSetAutoDeletePVC\n"
        )
    );
}

/// Client-side apply merges keyed lists (apimachinery `strategicpatch`, `sim::merge`): a
/// sidecar added with `kubectl patch` (a strategic patch puts it first) survives re-applying
/// the manifest, an env var removed from the manifest goes, the manifest's other changes land,
/// and a second apply of the same file is `unchanged`.
#[test]
fn apply_merges_lists_keeping_a_patched_sidecar() {
    let mut s = Session::new();
    let sts = include_str!("../seed/sts.yaml");
    let nginx = "      - name: nginx\n        image: nginx:1.26.0\n";
    let env = |image: &str, vars: &[&str]| {
        let mut e = format!("      - name: nginx\n        image: {image}\n        env:\n");
        for v in vars {
            e.push_str(&format!("        - name: {v}\n          value: \"1\"\n"));
        }
        sts.replace(nginx, &e)
    };
    s.set_file("sts-env.yaml", &env("nginx:1.26.0", &["A", "B"]));
    s.set_file("sts-env-a.yaml", &env("nginx:1.27.0", &["A"]));
    let fs = s.files().clone();
    let names = "kubectl get sts nginx-with-init-container -o jsonpath='{.spec.template.spec.containers[*].name}'";
    let script = format!(
        "kubectl apply -f svc.yaml\n\
         kubectl apply -f sts-env.yaml\n\
         sim settle\n\
         kubectl patch sts nginx-with-init-container -p '{{\"spec\":{{\"template\":{{\"spec\":{{\"containers\":[{{\"name\":\"sidecar\",\"image\":\"busybox:1.36\",\"command\":[\"sleep\",\"1d\"]}}]}}}}}}}}'\n\
         {names}\n\
         kubectl apply -f sts-env-a.yaml\n\
         {names}\n\
         kubectl get sts nginx-with-init-container -o jsonpath='{{.spec.template.spec.containers[*].image}}'\n\
         kubectl get sts nginx-with-init-container -o jsonpath='{{.spec.template.spec.containers[1].env[*].name}}'\n\
         kubectl apply -f sts-env-a.yaml\n\
         sim settle\n\
         kubectl get pods\n\
         kubectl rollout history sts/nginx-with-init-container\n"
    );
    let t = s.run_script_with(&script, &fs, true);
    insta::assert_snapshot!("apply_merges_lists", t.text);
    assert!(t.ok, "failed lines {:?}", t.failed_lines);
    assert!(t.text.contains(&format!("$ {names}\nsidecar nginx\n$ kubectl apply -f sts-env-a.yaml\nstatefulset.apps/nginx-with-init-container configured\n$ {names}\nsidecar nginx\n")), "{}", t.text);
    // The re-apply of the same manifest is a no-op patch: `configured` (the claim templates the
    // apiserver defaulted are in kubectl's patch, kubernetes/kubernetes#66450), no new revision.
    assert!(t.text.contains(
        "$ kubectl apply -f sts-env-a.yaml\nstatefulset.apps/nginx-with-init-container configured\n$ sim settle"
    ));
}

/// kind's namespaces, kube-system/local-path-storage pods, `describe node` resource totals
/// (950m cpu / 290Mi memory requested on a fresh control plane), drain and DaemonSet pods.
#[test]
fn kind_system_pods() {
    let t = check("kind_system", include_str!("scripts/kind_system.txt"));
    assert!(
        t.text.contains("cpu                950m (11%)  100m (1%)"),
        "{}",
        t.text
    );
    assert!(
        t.text.contains("memory             290Mi (1%)  390Mi (2%)"),
        "{}",
        t.text
    );
    assert!(t.text.contains("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kindnet-"));
}

/// The kubernetes.io StatefulSet task pages run as printed (website `content/en/docs/tasks/
/// run-application/{scale,delete}-stateful-set.md`, `force-delete-stateful-set-pod.md`,
/// `tasks/debug/debug-application/debug-statefulset.md`) and the concepts page's "Forced
/// rollback" (`concepts/workloads/controllers/statefulset.md`; kubernetes/kubernetes#67250).
#[test]
fn kubernetes_io_statefulset_tasks() {
    let t = check(
        "tasks_statefulset",
        include_str!("scripts/tasks_statefulset.txt"),
    );
    assert!(t.ok, "failed lines {:?}", t.failed_lines);
    let text = &t.text;
    // Forced rollback: the reverted template does not replace the stuck pod; deleting it does.
    let stuck = text
        .split("$ kubectl rollout undo statefulset/web\n")
        .nth(1)
        .and_then(|x| x.split("$ kubectl delete pod web-1\n").next())
        .unwrap_or_default();
    assert!(
        stuck.contains("web-1   0/1     ImagePullBackOff"),
        "{stuck}"
    );
    assert!(
        stuck.contains("delete it (kubectl delete pod web-1)"),
        "{stuck}"
    );
    assert!(text.contains("$ kubectl rollout status statefulset/web\npartitioned roll out complete: 2 new pods have been updated...\n"), "{text}");
    // A finalizer keeps a deleted pod (terminal phase, `Completed`), also through a forced
    // delete, until `kubectl patch pod -p '{"metadata":{"finalizers":null}}'` removes it.
    let held = text
        .split("$ kubectl delete pods web-1 --grace-period=0 --force\n")
        .nth(1)
        .unwrap_or_default();
    assert!(held.starts_with("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\npod \"web-1\" force deleted from default namespace\n"), "{held}");
    assert!(held.contains("web-1   0/1     Completed   0"), "{held}");
    assert!(held.contains("$ kubectl patch pod web-1 -p '{\"metadata\":{\"finalizers\":null}}'\npod/web-1 patched\n$ kubectl get pods -l app=nginx\nNAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          1s\nweb-1   0/1     Pending   0          0s\n"), "{held}");
    assert!(text.contains("$ kubectl patch pod web-0 -p '{\"metadata\":{\"finalizers\":null}}'\npod/web-0 patched (no change)\n"), "{text}");
    // kubectl `GetCascadingStrategy`: the boolean form still orphans, with a warning.
    assert!(text.contains("--cascade=false\nwarning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\nservice \"nginx\" deleted from default namespace\n"), "{text}");
    // kubectl `DeleteResult`: no match is `No resources found` (no namespace) on stdout.
    assert!(
        text.contains("$ kubectl delete statefulset -l app=nginx\nNo resources found\n$ "),
        "{text}"
    );
}
