//! Fidelity audit against kind v1.35 / kubectl v1.35: small scripts whose exact lines are
//! checked against the upstream source named in each test.

use kubectl::Session;

fn run(script: &str) -> String {
    let mut s = Session::new();
    let fs = s.files().clone();
    s.run_script_with(script, &fs, true).text
}

/// kubectl `pkg/util/apply.go` `GetModifiedConfiguration` (v0.35.0): client-side apply records
/// the object read from the file (not the server-defaulted one), with `annotations: {}` and
/// the namespace the builder filled in, as compact JSON with sorted keys and a final newline.
#[test]
fn last_applied_configuration_is_the_manifest_as_written() {
    let t = run("kubectl apply -f sts.yaml\n\
         kubectl get sts nginx-with-init-container -o jsonpath='{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}'\n");
    let want = concat!(
        r#"{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"annotations":{},"name":"nginx-with-init-container","namespace":"default"},"#,
        r#""spec":{"replicas":3,"selector":{"matchLabels":{"app":"nginx"}},"serviceName":"nginx-headless","#,
        r#""template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"image":"nginx:1.26.0","name":"nginx","ports":[{"containerPort":80}],"volumeMounts":[{"mountPath":"/usr/share/nginx/html","name":"data"}]}],"#,
        r#""initContainers":[{"command":["bash","-c","set -ex\necho \"Hello from pod $(hostname)\" \u003e /usr/share/nginx/html/index.html\n"],"image":"nginx:1.26.0","name":"populate-default-html","volumeMounts":[{"mountPath":"/usr/share/nginx/html","name":"data"}]}]}},"#,
        r#""volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"100Mi"}},"storageClassName":"standard"}}]}}"#,
    );
    assert!(t.contains(want), "{t}");
    // No defaulted field leaks into the record.
    assert!(!t.contains("podManagementPolicy"), "{t}");
}

/// kubectl `pkg/cmd/scale/scale.go` `Validate` (v0.35.0): a negative count is refused on the
/// client before anything is looked up.
#[test]
fn scale_to_a_negative_count_is_refused_by_kubectl() {
    let t = run(
        "kubectl apply -f sts.yaml\nkubectl scale sts nginx-with-init-container --replicas=-1\nkubectl scale sts nginx-with-init-container --replicas=2 --current-replicas=-2\n",
    );
    assert!(t.contains("$ kubectl scale sts nginx-with-init-container --replicas=-1\nerror: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"), "{t}");
    assert!(
        t.contains("error: The --current-replicas must specify an integer of -1 or greater\n"),
        "{t}"
    );
    assert!(!t.contains("scaled"), "{t}");
}

/// Our hint only: with the seed applied in `default`, an empty `kube-system` listing must not
/// claim that no StatefulSet exists.
#[test]
fn empty_other_namespace_does_not_hint_a_missing_seed() {
    let t = run("kubectl apply -f sts.yaml\nkubectl get pods -n nope\n");
    assert!(t.contains("No resources found in nope namespace.\n"), "{t}");
    assert!(!t.contains("no StatefulSet exists yet"), "{t}");
    let t = run("kubectl get pods -n nope\n");
    assert!(t.contains("hint: no StatefulSet exists yet"), "{t}");
}

/// kubectl `pkg/polymorphichelpers/logsforobject.go` (v0.35.0): `--all-containers` reads every
/// init container and every container and does not print the "Defaulted container" note;
/// `logs sts/NAME` with several pods names the one it reads on stderr.
#[test]
fn logs_all_containers_and_logs_of_a_statefulset() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\nsim settle\n\
         kubectl logs nginx-with-init-container-0 --all-containers\n\
         kubectl logs nginx-with-init-container-0 --all-containers --prefix --tail=1\n\
         kubectl logs sts/nginx-with-init-container --tail=1\n");
    let all = t
        .split("$ kubectl logs nginx-with-init-container-0 --all-containers\n")
        .nth(1)
        .and_then(|x| x.split("$ ").next())
        .unwrap_or_default();
    assert!(!all.contains("Defaulted container"), "{all}");
    assert!(
        all.contains("+ echo 'Hello from pod nginx-with-init-container-0'\n"),
        "{all}"
    );
    assert!(all.contains("nginx/1.26.0"), "{all}");
    assert!(
        t.contains("[pod/nginx-with-init-container-0/populate-default-html] + echo 'Hello from pod nginx-with-init-container-0'\n"),
        "{t}"
    );
    assert!(
        t.contains("[pod/nginx-with-init-container-0/nginx] "),
        "{t}"
    );
    assert!(
        t.contains("Found 3 pods, using pod/nginx-with-init-container-0\n"),
        "{t}"
    );
}

/// kubectl `pkg/describe/describe.go` `describeContainers` (v0.35.0): named ports print as
/// `80/TCP (web)`, probes as `DescribeProbe` lines after the state, resources as
/// `Limits:`/`Requests:` blocks; the pod template in `describe sts` uses the same code. A line
/// without a tab (`Requests:`) ends a tabwriter column block, so the lines after it are
/// aligned on their own, as in real output.
#[test]
fn describe_shows_named_ports_probes_and_resources() {
    let mut s = Session::new();
    let mut fs = s.files().clone();
    let sts = fs.files.get("sts.yaml").cloned().unwrap_or_default();
    let probe = sts.replace(
        "        - containerPort: 80\n",
        "        - containerPort: 80\n          name: web\n        readinessProbe:\n          httpGet:\n            path: /\n            port: 80\n          initialDelaySeconds: 5\n          periodSeconds: 5\n        resources:\n          requests:\n            cpu: 100m\n            memory: 64Mi\n",
    );
    assert_ne!(probe, sts, "the seed manifest changed shape");
    fs.files.insert("probe.yaml".into(), probe);
    let t = s
        .run_script_with(
            "kubectl apply -f probe.yaml\nsim settle\nkubectl describe pod nginx-with-init-container-0\nkubectl describe sts nginx-with-init-container\n",
            &fs,
            true,
        )
        .text;
    assert!(
        t.contains("    Port:           80/TCP (web)\n    Host Port:      0/TCP (web)\n"),
        "{t}"
    );
    assert!(t.contains("    Restart Count:  0\n    Requests:\n      cpu:        100m\n      memory:     64Mi\n    Readiness:    http-get http://:80/ delay=5s timeout=1s period=5s #success=1 #failure=3\n    Environment:  <none>\n"), "{t}");
    assert!(t.contains("   nginx:\n    Image:      nginx:1.26.0\n    Port:       80/TCP (web)\n    Host Port:  0/TCP (web)\n    Requests:\n"), "{t}");
    assert!(t.contains("    Readiness:    http-get http://:80/ delay=5s timeout=1s period=5s #success=1 #failure=3\n"), "{t}");
}

/// kubectl `pkg/cmd/delete/delete.go` `deleteResource` + `pkg/cmd/util/helpers.go`
/// `AddSourceToErr` (v0.35.0): an API error for an object read from a file names the file;
/// by name on the command line it does not.
#[test]
fn delete_from_a_file_names_the_file_in_api_errors() {
    let t = run("kubectl delete -f sts.yaml\nkubectl delete sts nginx-with-init-container\n");
    assert!(
        t.contains("$ kubectl delete -f sts.yaml\nError from server (NotFound): error when deleting \"sts.yaml\": statefulsets.apps \"nginx-with-init-container\" not found\n"),
        "{t}"
    );
    assert!(
        t.contains("$ kubectl delete sts nginx-with-init-container\nError from server (NotFound): statefulsets.apps \"nginx-with-init-container\" not found\n"),
        "{t}"
    );
}

/// kubectl `pkg/cmd/get/get.go` `watch` (v0.35.0): `-w` prints every watch event with the
/// chosen printer, so `-w -o name` prints `pod/<name>` once per event, not just the list.
#[test]
fn watch_with_the_name_printer_prints_every_event() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\nsim settle\n\
         kubectl scale sts nginx-with-init-container --replicas=2\n\
         kubectl get pods -w -o name\n");
    let block = t
        .split("$ kubectl get pods -w -o name\n")
        .nth(1)
        .unwrap_or_default();
    assert!(
        block.starts_with("pod/nginx-with-init-container-0\npod/nginx-with-init-container-1\npod/nginx-with-init-container-2\npod/nginx-with-init-container-2\n"),
        "{block}"
    );
    assert!(!block.contains("NAME"), "{block}");
}

/// kubernetes `pkg/printers/internalversion/printers.go` `printEvent` (v1.35): `get events`
/// LAST SEEN is the last timestamp alone (the `(xN over …)` form is describe's), and `-o wide`
/// puts SUBOBJECT and SOURCE (`component, host`) before MESSAGE, then FIRST SEEN, COUNT, NAME.
#[test]
fn get_events_wide_columns_and_plain_last_seen() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\nsim settle\n\
         kubectl get events -o wide --field-selector involvedObject.name=nginx-with-init-container-0\n");
    let block = t
        .split("--field-selector involvedObject.name=nginx-with-init-container-0\n")
        .nth(1)
        .unwrap_or_default();
    let header: Vec<&str> = block
        .lines()
        .next()
        .unwrap_or_default()
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        header,
        [
            "LAST SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "SUBOBJECT",
            "SOURCE",
            "MESSAGE",
            "FIRST SEEN",
            "COUNT",
            "NAME"
        ],
        "{block}"
    );
    let pulling = block
        .lines()
        .find(|l| l.contains("Pulling"))
        .unwrap_or_default();
    let cells: Vec<&str> = pulling
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let at = cells
        .iter()
        .position(|c| *c == "spec.initContainers{populate-default-html}")
        .unwrap_or(usize::MAX);
    assert_eq!(
        cells.get(at + 1..at + 3),
        Some(
            &[
                "kubelet, kind-control-plane",
                "Pulling image \"nginx:1.26.0\""
            ][..]
        ),
        "{pulling}"
    );
    assert!(pulling.contains(" 1 "), "{pulling}");
    assert!(
        pulling
            .trim_end()
            .ends_with(|c: char| c.is_ascii_hexdigit()),
        "{pulling}"
    );
}

/// kubectl `pkg/polymorphichelpers/history.go` `printHistory`/`printTemplate` (v0.35.0): a
/// missing revision is `unable to find the specified revision` (no number); a found one is
/// the pod template written by a bare prefix writer (tabs kept), then a blank line.
#[test]
fn rollout_history_revision_errors_and_raw_template() {
    let t = run("kubectl apply -f sts.yaml\nsim settle\n\
         kubectl rollout history sts/nginx-with-init-container --revision=7\n\
         kubectl rollout history sts/nginx-with-init-container --revision=1\n");
    assert!(
        t.contains("--revision=7\nerror: unable to find the specified revision\n"),
        "{t}"
    );
    assert!(
        t.contains("statefulset.apps/nginx-with-init-container with revision #1\nPod Template:\n  Labels:\tapp=nginx\n"),
        "{t}"
    );
    assert!(t.ends_with("  Tolerations:\t<none>\n\n"), "{t}");
}

/// The nginx image ships curl (Debian bookworm's 7.88); a pod reaches another one through
/// the headless Service's per-pod DNS name and nginx serves the page the init container wrote.
#[test]
fn curl_from_a_second_pod_reads_the_page_through_dns() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\nsim settle\n\
         kubectl exec nginx-with-init-container-1 -- curl -s nginx-with-init-container-0.nginx-headless\n\
         kubectl exec nginx-with-init-container-1 -- curl -s http://nginx-with-init-container-2.nginx-headless.default.svc.cluster.local/\n\
         kubectl exec nginx-with-init-container-1 -- curl -sS nginx-with-init-container-9.nginx-headless\n");
    assert!(
        t.contains("nginx-with-init-container-0.nginx-headless\nHello from pod nginx-with-init-container-0\n"),
        "{t}"
    );
    assert!(
        t.contains("cluster.local/\nHello from pod nginx-with-init-container-2\n"),
        "{t}"
    );
    assert!(
        t.contains("curl: (6) Could not resolve host: nginx-with-init-container-9.nginx-headless\ncommand terminated with exit code 6\n"),
        "{t}"
    );
}

/// curl shows its progress meter (on stderr) when the body goes to a pipe, as with
/// `kubectl exec` without `-t`, and none when it goes to a terminal (`kubectl exec -it`).
#[test]
fn curl_progress_meter_only_without_a_tty() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\nsim settle\n\
         kubectl exec nginx-with-init-container-1 -- curl nginx-with-init-container-0.nginx-headless\n\
         kubectl exec -it nginx-with-init-container-1 -- curl nginx-with-init-container-0.nginx-headless\n");
    let pipe = t
        .split("$ kubectl exec nginx-with-init-container-1 -- curl")
        .nth(1)
        .and_then(|x| x.split("$ kubectl exec -it").next())
        .unwrap();
    assert!(
        pipe.contains("Hello from pod nginx-with-init-container-0\n"),
        "{t}"
    );
    assert!(pipe.contains("  % Total    % Received % Xferd"), "{t}");
    let tty = t.split("$ kubectl exec -it").nth(1).unwrap();
    assert_eq!(
        tty,
        " nginx-with-init-container-1 -- curl nginx-with-init-container-0.nginx-headless\nHello from pod nginx-with-init-container-0\n",
        "{t}"
    );
}

/// cobra `command.go` `findSuggestions` (distance <= 2, name prefix, `SuggestFor` aliases);
/// component-base `cli.RunNoErrOutput` silences cobra's "Run '… --help'" line, kubectl's
/// `CheckErr` prints the error. Unknown subcommands of a group come from kubectl
/// `pkg/cmd/util/helpers.go` `RequireNoArguments` (all arguments joined, `See '… -h'`).
#[test]
fn unknown_commands_suggest_like_cobra() {
    let t =
        run("kubectl desribe pod x\nkubectl ps\nkubectl frobnicate\nkubectl rollout stats sts/x\n");
    assert!(
        t.contains("$ kubectl desribe pod x\nerror: unknown command \"desribe\" for \"kubectl\"\n\nDid you mean this?\n\tdescribe\n$ "),
        "{t}"
    );
    assert!(
        t.contains("Did you mean this?\n\tcp\n\tget\n\twait\n$ kubectl frobnicate\nerror: unknown command \"frobnicate\" for \"kubectl\"\n$ "),
        "{t}"
    );
    assert!(
        t.contains("error: unknown command \"stats sts/x\"\nSee 'kubectl rollout -h' for help and examples\n"),
        "{t}"
    );
    assert!(!t.contains("for usage"), "{t}");
}

/// kubectl `label`/`annotate` parse `-l` like `get` does (apimachinery `labels.Parse`): a bad
/// selector is an error, not a silently ignored flag.
#[test]
fn label_with_a_bad_selector_is_an_error() {
    let t = run("kubectl label pods -l 'app in' x=y\n");
    assert!(
        t.contains("$ kubectl label pods -l 'app in' x=y\nerror: unable to parse requirement: found 'app in', expected: identifier\n"),
        "{t}"
    );
}

/// `help`, `api-versions` and `options` are real root commands (kubectl `pkg/cmd/cmd.go`
/// `NewKubectlCommand`; cobra `command.go` `InitDefaultHelpCmd`): never "unknown command"
/// with a suggestion of the very word typed. `kubectl create SUBCOMMAND` (kubectl
/// `pkg/cmd/create/create.go`: namespace, deployment, …) is a real command we leave out, not
/// an unknown flag.
#[test]
fn real_root_commands_are_never_unknown_and_create_generators_say_not_simulated() {
    let t = run(
        "kubectl help\nkubectl help get\nkubectl api-versions\nkubectl options\n\
         kubectl create deployment x --image=nginx\nkubectl create ns foo\n",
    );
    assert!(!t.contains("unknown command"), "{t}");
    assert!(
        t.contains("$ kubectl help\nkubectl controls the Kubernetes cluster manager."),
        "{t}"
    );
    assert!(
        t.contains("$ kubectl help get\nUsage: kubectl get [options]"),
        "{t}"
    );
    for c in ["api-versions", "options", "create deployment", "create ns"] {
        assert!(
            t.contains(&format!(
                "error: `kubectl {c}` is a real kubectl command that this playground does not simulate\n"
            )),
            "{c}: {t}"
        );
    }
}

/// `kubectl set image --record` is deprecated but still registered (kubectl
/// `pkg/cmd/set/set_image.go` adds `RecordFlags`; cli-runtime `genericclioptions/
/// record_flags.go` marks it deprecated and records `kubernetes.io/change-cause`), so the
/// next revision's CHANGE-CAUSE in `rollout history` is the command line, as in the docs'
/// DaemonSet rollback task.
#[test]
fn set_image_record_is_deprecated_but_records_the_change_cause() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\nsim settle\n\
         kubectl set image sts/nginx-with-init-container nginx=nginx:1.27 --record\n\
         sim settle\nkubectl rollout history sts/nginx-with-init-container\n");
    assert!(
        t.contains("--record\nFlag --record has been deprecated, --record will be removed in the future\nstatefulset.apps/nginx-with-init-container image updated\n"),
        "{t}"
    );
    assert!(
        t.contains("REVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image sts/nginx-with-init-container nginx=nginx:1.27 --record=true\n"),
        "{t}"
    );
}

/// kubectl `pkg/describe/describe.go` (v0.35.0) `StatefulSetDescriber`: under `Partition:`
/// a `MaxUnavailable:` line whenever `rollingUpdate.maxUnavailable` is set (the
/// MaxUnavailableStatefulSet gate on keeps the field).
#[test]
fn describe_sts_prints_max_unavailable_under_partition() {
    let t = run("sim feature-gates MaxUnavailableStatefulSet=true\nkubectl apply -f svc.yaml -f sts.yaml\n\
         kubectl patch sts nginx-with-init-container -p '{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxUnavailable\":\"50%\"}}}}'\n\
         kubectl describe sts nginx-with-init-container\n");
    assert!(
        t.contains("Update Strategy:    RollingUpdate\n  Partition:        0\n  MaxUnavailable:   50%\nPods Status:"),
        "{t}"
    );
}
