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
         kubectl create deployment x --image=nginx\nkubectl create cm foo\n",
    );
    assert!(!t.contains("unknown command"), "{t}");
    assert!(
        t.contains("$ kubectl help\nkubectl controls the Kubernetes cluster manager."),
        "{t}"
    );
    assert!(
        t.contains("$ kubectl help get\nDisplay one or many resources.\n"),
        "{t}"
    );
    for c in ["api-versions", "options", "create deployment", "create cm"] {
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
    let t = run(
        "sim feature-gates MaxUnavailableStatefulSet=true\nkubectl apply -f svc.yaml -f sts.yaml\n\
         kubectl patch sts nginx-with-init-container -p '{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxUnavailable\":\"50%\"}}}}'\n\
         kubectl describe sts nginx-with-init-container\n",
    );
    assert!(
        t.contains("Update Strategy:    RollingUpdate\n  Partition:        0\n  MaxUnavailable:   50%\nPods Status:"),
        "{t}"
    );
}

/// kubectl `pkg/cmd/logs/logs.go` (v0.35.0) `Complete`: `logs -l SELECTOR` reads every
/// matching pod (each container defaulted as for one pod, the last 10 lines unless --tail);
/// no match is "No resources found" on stderr and success; a name with `-l` is a usage error.
#[test]
fn logs_with_a_selector_reads_every_matching_pod() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\nsim settle\n\
         kubectl logs -l app=nginx --tail=1\nkubectl logs -l app=nope\n\
         kubectl logs nginx-with-init-container-0 -l app=nginx\n");
    // Every request (and its "Defaulted container" note) before the first log line.
    let d = "Defaulted container \"nginx\" out of: nginx, populate-default-html (init)\n";
    let sel = t
        .split("$ kubectl logs -l app=nginx --tail=1\n")
        .nth(1)
        .unwrap();
    let sel = sel.split("$ ").next().unwrap();
    assert!(sel.starts_with(&d.repeat(3)), "{t}");
    assert_eq!(sel.lines().count(), 6, "{t}");
    assert!(
        sel.ends_with("[notice] 1#1: start worker process 29\n"),
        "{t}"
    );
    assert!(
        t.contains("$ kubectl logs -l app=nope\nNo resources found in default namespace.\n$ "),
        "{t}"
    );
    assert!(
        t.contains("\nerror: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n"),
        "{t}"
    );
}

/// kubectl `pkg/cmd/scale/scale.go` (v0.35.0) `RunScale`: the builder takes `-l` and `--all`
/// with a bare type (`kubectl scale statefulset -l app=nginx --replicas=…`); nothing selected
/// is "no objects passed to scale". (`-l` matches the set's own labels, not its template's.)
#[test]
fn scale_by_selector_or_all() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\n\
         kubectl label sts nginx-with-init-container tier=web\n\
         kubectl scale statefulset -l tier=web --replicas=1\n\
         kubectl scale sts --all --replicas=2\nkubectl scale sts -l app=nginx --replicas=1\n\
         kubectl get sts nginx-with-init-container -o jsonpath='{.spec.replicas}'\n");
    assert!(
        t.contains("tier=web --replicas=1\nstatefulset.apps/nginx-with-init-container scaled\n$ kubectl scale sts --all --replicas=2\nstatefulset.apps/nginx-with-init-container scaled\n"),
        "{t}"
    );
    assert!(
        t.contains("app=nginx --replicas=1\nerror: no objects passed to scale\n"),
        "{t}"
    );
    assert!(t.contains("{.spec.replicas}'\n2"), "{t}");
}

/// nginx `ngx_http_core_content_phase` (src/http/ngx_http_core_module.c): `/` on an empty
/// volume mounted over the document root (the StatefulSet Basics tutorial's `www` before
/// anything is written) is 403 "directory index … is forbidden", not 404.
#[test]
fn curl_of_an_empty_mounted_document_root_is_403() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\nsim settle\n\
         kubectl patch sts nginx-with-init-container --type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/template/spec/initContainers\"}]'\n\
         kubectl delete pvc data-nginx-with-init-container-2 --wait=false\n\
         kubectl delete pod nginx-with-init-container-2\nsim settle\n\
         kubectl exec nginx-with-init-container-2 -- curl -s localhost/\n\
         kubectl exec nginx-with-init-container-2 -- curl -s localhost/nope.html\n")
    .replace('\r', "");
    assert!(
        t.contains("curl -s localhost/\n<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<center><h1>403 Forbidden</h1></center>\n<hr><center>nginx/1.26.0</center>\n"),
        "{t}"
    );
    assert!(t.contains("<title>404 Not Found</title>"), "{t}");
}

/// `--record` on the other verbs that register cli-runtime's `RecordFlags` (kubectl v0.35.0):
/// `apply` records on the object read before computing last-applied (`apply.go`
/// `applyOneObject`), so the cause is in both; `create` before sending (`create.go`);
/// `scale` and `patch` send a second merge patch of the annotation (`MakeRecordMergePatch`);
/// `label`/`annotate` put it into their patch (`label.go`, `annotate.go`). The cause is
/// `parseCommandArguments`: `kubectl`, the words, then each flag as `--NAME=VALUE`.
#[test]
fn record_on_apply_create_scale_patch_label_annotate() {
    let dep = "Flag --record has been deprecated, --record will be removed in the future\n";
    let t = run(
        "kubectl apply -f sts.yaml --record\nkubectl create -f svc.yaml --record\n\
         kubectl rollout history sts/nginx-with-init-container\n\
         kubectl get svc nginx-headless -o jsonpath='{.metadata.annotations}'\n\
         kubectl get sts nginx-with-init-container -o jsonpath='{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}'\n",
    );
    assert!(
        t.contains(&format!(
            "--record\n{dep}statefulset.apps/nginx-with-init-container created\n"
        )),
        "{t}"
    );
    assert!(
        t.contains("1         kubectl apply --filename=sts.yaml --record=true\n"),
        "{t}"
    );
    assert!(t.contains(r#""metadata":{"annotations":{"kubernetes.io/change-cause":"kubectl apply --filename=sts.yaml --record=true"},"#), "{t}");
    assert!(
        t.contains(
            r#"{"kubernetes.io/change-cause":"kubectl create --filename=svc.yaml --record=true"}"#
        ),
        "{t}"
    );
    let cause = "{.metadata.annotations.kubernetes\\.io/change-cause}";
    for (cmd, want) in [
        (
            "scale sts nginx-with-init-container --replicas=2 --record",
            "kubectl scale sts nginx-with-init-container --replicas=2 --record=true",
        ),
        (
            "label sts nginx-with-init-container a=b --record",
            "kubectl label sts nginx-with-init-container a=b --record=true",
        ),
        (
            "annotate sts nginx-with-init-container c=d --record",
            "kubectl annotate sts nginx-with-init-container c=d --record=true",
        ),
        (
            "patch sts nginx-with-init-container -p '{\"spec\":{\"replicas\":1}}' --record",
            "kubectl patch sts nginx-with-init-container --patch={\"spec\":{\"replicas\":1}} --record=true",
        ),
    ] {
        let t = run(&format!(
            "kubectl apply -f sts.yaml\nkubectl {cmd}\nkubectl get sts nginx-with-init-container -o jsonpath='{cause}'\n"
        ));
        assert!(t.contains(&format!("{cmd}\n{dep}statefulset.apps/")), "{t}");
        assert!(t.contains(&format!("{cause}'\n{want}")), "{cmd}: {t}");
    }
}

/// `kubectl help`, `kubectl` and `kubectl -h` print the root's help (kubectl `pkg/cmd/cmd.go`
/// `NewKubectlCommand` groups; `pkg/util/templates/templater.go` `cmdGroupsString`: names
/// padded to the longest root command, then three spaces); our list of what is simulated is
/// a hint, apart from it.
#[test]
fn kubectl_help_is_the_root_help() {
    let mut s = Session::new();
    let o = s.run_line("kubectl help");
    assert!(o.ok);
    assert!(o.stdout.contains("\n\nBasic Commands (Beginner):\n  create          Create a resource from a file or from stdin\n"), "{}", o.stdout);
    assert!(o.stdout.contains("(bash, zsh, fish, or powershell)\n\nSubcommands provided by plugins:\n\nOther Commands:\n  alpha           Commands for features in alpha\n  api-resources   Print the supported API resources on the server\n"), "{}", o.stdout);
    assert!(o.stdout.ends_with("  version         Print the client and server version information\n\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"), "{}", o.stdout);
    assert!(!o.stdout.contains("playground"));
    assert_eq!(s.run_line("kubectl").stdout, o.stdout);
}

/// The nginx image's default document root holds nginx's `docs/html/index.html` (615 bytes
/// up to release 1.29.5; rewritten in 1.29.6, nginx commit 717e70748), served at `/` and
/// readable with `cat`.
#[test]
fn nginx_serves_its_welcome_page() {
    let t = run(
        "kubectl run a --image=nginx:1.27\nkubectl run b --image=nginx\nsim settle\n\
         kubectl exec a -- curl -s localhost\nkubectl exec b -- curl -s localhost/index.html\n\
         kubectl exec a -- cat /usr/share/nginx/html/index.html\n",
    );
    let old = t
        .split("$ kubectl exec a -- curl -s localhost\n")
        .nth(1)
        .and_then(|x| x.split("$ ").next())
        .unwrap_or_default();
    assert_eq!(old.len(), 615, "{old}");
    assert!(old.contains("<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking."), "{old}");
    let new = t
        .split("localhost/index.html\n")
        .nth(1)
        .and_then(|x| x.split("$ ").next())
        .unwrap_or_default();
    assert_eq!(new.len(), 896, "{new}");
    assert!(t.ends_with(old), "{t}");
}

/// kubectl `pkg/describe/describe.go` `describeContainers`/`describeContainerBasicInfo`
/// (v0.35.0): a container without a status (its pod not scheduled: a claim of a class that
/// does not exist) has no Container ID, Image ID, State, Ready or Restart Count lines.
#[test]
fn describe_pod_not_scheduled_has_no_container_state() {
    let mut s = Session::new();
    let mut fs = s.files().clone();
    let sts = fs.files.get("sts.yaml").cloned().unwrap_or_default();
    let nope = sts.replace("storageClassName: standard", "storageClassName: nope");
    assert_ne!(nope, sts, "the seed manifest changed shape");
    fs.files.insert("nope.yaml".into(), nope);
    let t = s
        .run_script_with(
            "kubectl apply -f nope.yaml\nsim settle\nkubectl describe pod nginx-with-init-container-0\n",
            &fs,
            true,
        )
        .text;
    let d = t.split("kubectl describe pod").nth(1).unwrap_or_default();
    assert!(d.contains("PodScheduled   False"), "{t}");
    assert!(
        d.contains(
            "Containers:\n  nginx:\n    Image:        nginx:1.26.0\n    Port:         80/TCP\n"
        ),
        "{d}"
    );
    for l in [
        "Container ID",
        "Image ID",
        "State:",
        "Ready:",
        "Restart Count",
    ] {
        assert!(!d.contains(l), "{l}: {d}");
    }
}

/// A session with the StatefulSet Basics tutorial's `web` applied and settled, plus `web-sts.yaml`
/// holding only its StatefulSet.
fn web_session() -> (Session, kubectl::fs::VirtualFs) {
    let mut s = Session::new();
    let mut fs = s.files().clone();
    let web = kubectl::examples::lookup("https://k8s.io/examples/application/web/web.yaml")
        .unwrap_or_default();
    let sts = web
        .split("\n---\n")
        .find(|d| d.contains("kind: StatefulSet"))
        .unwrap_or_default()
        .to_string();
    assert!(sts.contains("name: web"), "{web}");
    fs.files.insert("web-sts.yaml".into(), sts);
    let t = s.run_script_with(
        "kubectl apply -f https://k8s.io/examples/application/web/web.yaml\nsim settle\n",
        &fs,
        true,
    );
    assert!(t.ok, "{}", t.text);
    (s, fs)
}

/// kubectl `pkg/cmd/scale/scale.go` `RunScale` (v0.35.0) with cli-runtime
/// `pkg/resource/builder.go` `visitByPaths`: `scale -f FILE --replicas=N` scales each object of
/// the file in order (the docs' "Scale a StatefulSet" task: `kubectl scale -f
/// <stateful-set-file> --replicas=<new-replicas>`); an object without a scale subresource is
/// the apiserver's 404 for an unknown path (client-go `scale/client.go` PATCHes `…/scale`) and
/// ends the command, so web.yaml, whose Service comes first, scales nothing. `-f` with
/// resource arguments is the builder's error. A client dry run prints each object unscaled.
#[test]
fn scale_from_a_file() {
    let (mut s, fs) = web_session();
    let t = s
        .run_script_with(
            "kubectl scale -f web-sts.yaml --replicas=3\n\
             kubectl get sts web -o jsonpath='{.spec.replicas}'\n\
             kubectl scale -f https://k8s.io/examples/application/web/web.yaml --replicas=5\n\
             kubectl get sts web -o jsonpath='{.spec.replicas}'\n\
             kubectl scale -f web-sts.yaml sts --replicas=1\n\
             kubectl scale -f web-sts.yaml sts/web --replicas=1\n\
             kubectl scale -f https://k8s.io/examples/application/web/web.yaml --replicas=1 --dry-run=client\n\
             kubectl scale -f web-sts.yaml --replicas=4 -o name\n",
            &fs,
            true,
        )
        .text;
    assert!(
        t.contains("$ kubectl scale -f web-sts.yaml --replicas=3\nstatefulset.apps/web scaled\n$ kubectl get sts web -o jsonpath='{.spec.replicas}'\n3\n"),
        "{t}"
    );
    assert!(
        t.contains("--replicas=5\nError from server (NotFound): the server could not find the requested resource\nhint: ")
            && t.contains("--replicas=5\nError from server (NotFound): the server could not find the requested resource\nhint: service/nginx has no scale subresource"),
        "{t}"
    );
    assert!(
        t.contains("--replicas=5\nError from server (NotFound): the server could not find the requested resource\nhint: service/nginx has no scale subresource and kubectl stops at the first error: give `scale -f` a file with only the StatefulSet, or scale it by name\n$ kubectl get sts web -o jsonpath='{.spec.replicas}'\n3\n"),
        "{t}"
    );
    assert!(t.contains("$ kubectl scale -f web-sts.yaml sts --replicas=1\nerror: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n"), "{t}");
    assert!(t.contains("$ kubectl scale -f web-sts.yaml sts/web --replicas=1\nerror: resource/name arguments cannot be provided when a path is specified\n"), "{t}");
    assert!(
        t.contains("--dry-run=client\nservice/nginx scaled (dry run)\nstatefulset.apps/web scaled (dry run)\n"),
        "{t}"
    );
    assert!(t.ends_with("-o name\nstatefulset.apps/web\n"), "{t}");
}

/// kubectl `pkg/scale/scale.go` `ScaleSimple`/`PreconditionError` (v0.35.0): with
/// `--current-replicas` kubectl reads the scale first and refuses a different size (the
/// docs' example `kubectl scale --current-replicas=2 --replicas=3 deployment/mysql`);
/// `-1`, the default, is no condition. A kind without a scale subresource (a Service) is the
/// apiserver's 404 for the path; a missing object is the builder's NotFound.
#[test]
fn scale_current_replicas_precondition_and_kinds_without_scale() {
    let (mut s, fs) = web_session();
    let t = s
        .run_script_with(
            "kubectl scale sts/web --current-replicas=3 --replicas=1\n\
             kubectl get sts web -o jsonpath='{.spec.replicas}'\n\
             kubectl scale --current-replicas=2 --replicas=3 statefulset/web\n\
             kubectl scale sts web --current-replicas=-1 --replicas=2\n\
             kubectl scale svc nginx --replicas=2\n\
             kubectl scale pod nope --replicas=2\n",
            &fs,
            true,
        )
        .text;
    assert!(
        t.contains("--replicas=1\nerror: Expected replicas to be 3, was 2\n$ kubectl get sts web -o jsonpath='{.spec.replicas}'\n2\n"),
        "{t}"
    );
    assert!(
        t.contains(
            "--current-replicas=2 --replicas=3 statefulset/web\nstatefulset.apps/web scaled\n"
        ),
        "{t}"
    );
    assert!(
        t.contains("--current-replicas=-1 --replicas=2\nstatefulset.apps/web scaled\n"),
        "{t}"
    );
    assert!(t.contains("$ kubectl scale svc nginx --replicas=2\nError from server (NotFound): the server could not find the requested resource\n$ "), "{t}");
    assert!(
        t.contains("$ kubectl scale pod nope --replicas=2\nError from server (NotFound): pods \"nope\" not found\n"),
        "{t}"
    );
}

/// pflag `FlagSet.set` (integer flags, `IntVar`/`Int64Var`) as kubectl's FlagErrorFunc prints
/// it: the bad value, the flag, Go's `strconv.ParseInt` error, then `See '… --help' for
/// usage.` (the same text as kubectl v1.33's binary prints for these commands).
#[test]
fn integer_flags_are_checked_as_pflag_does() {
    let (mut s, fs) = web_session();
    let t = s
        .run_script_with(
            "kubectl scale --replicas=x sts web\n\
             kubectl scale --replicas=2 --current-replicas=x sts web\n\
             kubectl delete pod web-0 --grace-period=abc\n\
             kubectl rollout history sts/web --revision=x\n\
             kubectl rollout undo sts/web --to-revision=x\n\
             kubectl logs web-0 --tail=z\n",
            &fs,
            true,
        )
        .text;
    for (flag, v, cmd) in [
        ("replicas", "x", "kubectl scale"),
        ("current-replicas", "x", "kubectl scale"),
        ("grace-period", "abc", "kubectl delete"),
        ("revision", "x", "kubectl rollout history"),
        ("to-revision", "x", "kubectl rollout undo"),
        ("tail", "z", "kubectl logs"),
    ] {
        let want = format!(
            "error: invalid argument \"{v}\" for \"--{flag}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax\nSee '{cmd} --help' for usage.\n"
        );
        assert!(t.contains(&want), "{want}\n{t}");
    }
    assert!(!t.contains("scaled"), "{t}");
    assert!(!t.contains("deleted"), "{t}");
}

/// `kubectl run` and `kubectl edit` register cli-runtime's `RecordFlags` (kubectl v0.35.0
/// `pkg/cmd/run/run.go` `createGeneratedObject`: `Recorder.Record` on the pod before it is
/// created; `pkg/cmd/util/editor/editoptions.go` `visitAnnotation` on the edited object), so
/// `--record` is accepted with pflag's deprecation line, never "unknown flag". The cause is
/// `parseCommandArguments`: the words, then each flag in the order typed.
#[test]
fn run_and_edit_accept_record() {
    let (mut s, fs) = web_session();
    let t = s
        .run_script_with(
            "kubectl run --record x --image=nginx\n\
             kubectl get pod x -o jsonpath='{.metadata.annotations.kubernetes\\.io/change-cause}'\n\
             kubectl edit --record sts web\n",
            &fs,
            true,
        )
        .text;
    assert!(t.contains("$ kubectl run --record x --image=nginx\nFlag --record has been deprecated, --record will be removed in the future\npod/x created\n"), "{t}");
    assert!(
        t.contains("\nkubectl run x --record=true --image=nginx\n"),
        "{t}"
    );
    assert!(t.contains("$ kubectl edit --record sts web\nFlag --record has been deprecated, --record will be removed in the future\nhint: "), "{t}");
    assert!(!t.contains("unknown flag"), "{t}");
    let edited = s
        .files()
        .files
        .get("statefulset-web.yaml")
        .cloned()
        .unwrap_or_default();
    assert!(
        edited.contains("kubernetes.io/change-cause: kubectl edit sts web --record=true\n"),
        "{edited}"
    );
}

/// kubectl `pkg/describe/describe.go` `describeContainerEnvVars` and `EnvValueRetriever`
/// (v0.35.0): a `fieldRef` prints `VALUE (v1:PATH)`; in a pod template (`describe sts`) the
/// value is empty; in `describe pod` kubectl resolves only what its scheme's field-label
/// conversion knows (`metadata.name`, `metadata.namespace`), so the Cassandra tutorial's
/// `POD_IP` from `status.podIP` is empty there too. A ConfigMap or Secret key prints where it
/// comes from with `Optional:`; a multi-line value continues on lines of its own.
#[test]
fn describe_env_from_field_refs_and_keys() {
    let mut s = Session::new();
    let mut fs = s.files().clone();
    let sts = fs.files.get("sts.yaml").cloned().unwrap_or_default();
    let env = sts.replace(
        "        - containerPort: 80\n",
        "        - containerPort: 80\n        env:\n        - name: POD_NAME\n          valueFrom:\n            fieldRef:\n              fieldPath: metadata.name\n        - name: NODE\n          valueFrom:\n            fieldRef:\n              fieldPath: spec.nodeName\n        - name: MODE\n          valueFrom:\n            configMapKeyRef:\n              name: cfg\n              key: mode\n              optional: true\n        - name: PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: creds\n              key: password\n        - name: LINES\n          value: |-\n            one\n            two\n",
    );
    assert_ne!(env, sts, "the seed manifest changed shape");
    fs.files.insert("env.yaml".into(), env);
    let t = s
        .run_script_with(
            "kubectl apply -f env.yaml\nsim settle\nkubectl describe sts nginx-with-init-container\nkubectl describe pod nginx-with-init-container-0\n\
             kubectl apply -f https://k8s.io/examples/application/cassandra/cassandra-statefulset.yaml\nkubectl describe sts cassandra\n",
            &fs,
            true,
        )
        .text;
    let sts_part = t
        .split("$ kubectl describe sts nginx-with-init-container\n")
        .nth(1)
        .and_then(|x| x.split("$ ").next())
        .unwrap_or_default();
    assert!(sts_part.contains("    Environment:\n      POD_NAME:   (v1:metadata.name)\n      NODE:       (v1:spec.nodeName)\n      MODE:      <set to the key 'mode' of config map 'cfg'>    Optional: true\n      PASSWORD:  <set to the key 'password' in secret 'creds'>  Optional: false\n      LINES:     one\n                 two\n"), "{sts_part}");
    let pod_part = t
        .split("$ kubectl describe pod nginx-with-init-container-0\n")
        .nth(1)
        .and_then(|x| x.split("$ ").next())
        .unwrap_or_default();
    assert!(pod_part.contains("      POD_NAME:  nginx-with-init-container-0 (v1:metadata.name)\n      NODE:       (v1:spec.nodeName)\n"), "{pod_part}");
    assert!(
        t.contains("      POD_IP:                   (v1:status.podIP)\n"),
        "{t}"
    );
}

/// kubectl `pkg/cmd/create/create.go` `RunCreate` (v0.35.0): `--save-config` calls
/// `util.CreateOrUpdateAnnotation(true, …)` on the object read, the same record client-side
/// apply writes (`pkg/util/apply.go` `GetModifiedConfiguration`), and before
/// `Recorder.Record`, so a `--record` cause is not in it. A later `kubectl apply` of the same
/// file behaves as after an apply, with no missing-annotation warning (the docs' "Scale a
/// StatefulSet": "created with kubectl apply or kubectl create --save-config").
#[test]
fn create_save_config_records_what_apply_would() {
    let get = "kubectl get sts web -o jsonpath='{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}'\n";
    let created = run(&format!(
        "kubectl create --save-config -f https://k8s.io/examples/application/web/web.yaml\n{get}\
         kubectl apply -f https://k8s.io/examples/application/web/web.yaml\n"
    ));
    let applied = run(&format!(
        "kubectl apply -f https://k8s.io/examples/application/web/web.yaml\n{get}"
    ));
    let record = |t: &str| {
        t.split(get.trim_end())
            .nth(1)
            .and_then(|x| x.split("$ ").next())
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        record(&created).contains(r#""kind":"StatefulSet""#),
        "{created}"
    );
    assert_eq!(record(&created), record(&applied));
    // As after `apply` twice: the Service is unchanged; the StatefulSet is `configured`,
    // since the apiserver's defaults in its volumeClaimTemplates (a list kubectl's patch
    // replaces whole) make the computed patch non-empty (`apply_patch_is_empty` in the sim).
    let twice = run(
        "kubectl apply -f https://k8s.io/examples/application/web/web.yaml\n\
         kubectl apply -f https://k8s.io/examples/application/web/web.yaml\n",
    );
    let last = |t: &str| t.rsplit("$ ").next().unwrap_or_default().to_string();
    assert_eq!(last(&created), last(&twice));
    assert!(
        created.ends_with("service/nginx unchanged\nstatefulset.apps/web configured\n"),
        "{created}"
    );
    assert!(!created.contains("missing the"), "{created}");
    let t = run(&format!(
        "kubectl create --save-config --record -f https://k8s.io/examples/application/web/web.yaml\n{get}"
    ));
    assert_eq!(record(&t), record(&applied), "{t}");
    let t = run(&format!(
        "kubectl create -f https://k8s.io/examples/application/web/web.yaml\n{get}"
    ));
    assert_eq!(record(&t).trim(), "", "{t}");
}

/// cobra `command.go` `InitDefaultHelpCmd` (the `help` command kubectl gets): a topic that is
/// not a command prints "Unknown help topic" with the arguments as Go's `%#q`, then the root's
/// usage (its groups without the long description), all on stderr, and succeeds (checked
/// against kubectl v1.33's binary: `kubectl help nope`).
#[test]
fn help_of_an_unknown_topic() {
    let mut s = Session::new();
    let o = s.run_line("kubectl help nope zz");
    assert!(o.ok);
    assert_eq!(o.stdout, "");
    assert!(
        o.stderr
            .starts_with("Unknown help topic [`nope` `zz`]\n\n\nBasic Commands (Beginner):\n  create          Create a resource"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.ends_with("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n"));
    assert!(
        !o.stderr
            .contains("kubectl controls the Kubernetes cluster manager.")
    );
}

/// kubectl `pkg/cmd/delete/delete.go` `DeleteResult` (v0.35.0): a selector matching nothing
/// prints `No resources found` on stdout (`get` names the namespace, on stderr).
#[test]
fn delete_matching_nothing_prints_no_resources_found_on_stdout() {
    let mut s = Session::new();
    let o = s.run_line("kubectl delete pods -l app=nope");
    assert!(o.ok, "{}", o.combined);
    assert_eq!(o.stdout, "No resources found\n");
    assert_eq!(o.stderr, "");
}

/// kubectl `pkg/cmd/delete/delete_flags.go` `GetCascadingStrategy` (v0.35.0): boolean values
/// (strconv.ParseBool's spellings) warn on stderr and map to background/orphan.
#[test]
fn boolean_cascade_values_warn_and_still_work() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\nsim settle\n\
         kubectl delete sts nginx-with-init-container --cascade=False\n\
         kubectl get pods --no-headers | wc -l\n\
         kubectl delete svc nginx-headless --cascade=1\n\
         kubectl delete pods -l app=nginx --cascade=maybe\n\
         kubectl delete pod nginx-with-init-container-0 --cascade --wait=false\n");
    // `--cascade` alone is `--cascade=background` (NoOptDefVal), no warning.
    assert!(t.contains("$ kubectl delete pod nginx-with-init-container-0 --cascade --wait=false\npod \"nginx-with-init-container-0\" deleted from default namespace\n"), "{t}");
    assert!(t.contains("warning: --cascade=False is deprecated (boolean value) and can be replaced with --cascade=orphan.\nstatefulset.apps \"nginx-with-init-container\" deleted from default namespace\n$ kubectl get pods --no-headers | wc -l\n3\n"), "{t}");
    assert!(t.contains("warning: --cascade=1 is deprecated (boolean value) and can be replaced with --cascade=background.\nservice \"nginx-headless\" deleted"), "{t}");
    assert!(t.contains("error: invalid cascade value (maybe). Must be \"background\", \"foreground\", or \"orphan\"\n"), "{t}");
}

/// apiserver PUT semantics (`rest.BeforeUpdate`, generic registry `Update`): finalizers are
/// the client's to set and clear; `ShouldDeleteDuringUpdate` removes an object whose deletion
/// already has grace period 0 once its last finalizer goes.
#[test]
fn patch_sets_and_clears_pod_finalizers() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\nsim settle\n\
         kubectl patch pod nginx-with-init-container-0 --type=merge -p '{\"metadata\":{\"finalizers\":[\"example.com/x\"]}}'\n\
         kubectl get pod nginx-with-init-container-0 -o jsonpath='{.metadata.finalizers}'\n\
         kubectl delete pod nginx-with-init-container-0 --grace-period=0 --force\n\
         kubectl get pod nginx-with-init-container-0 -o jsonpath='{.metadata.deletionGracePeriodSeconds}'\n\
         kubectl patch pod nginx-with-init-container-0 --type=json -p '[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]'\n\
         kubectl get pod nginx-with-init-container-0 -o jsonpath='{.metadata.uid}{.metadata.deletionTimestamp}'\n");
    assert!(t.contains("pod/nginx-with-init-container-0 patched\n$ kubectl get pod nginx-with-init-container-0 -o jsonpath='{.metadata.finalizers}'\n[\"example.com/x\"]\n"), "{t}");
    assert!(
        t.contains("-o jsonpath='{.metadata.deletionGracePeriodSeconds}'\n0\n"),
        "{t}"
    );
    // Removed, and the StatefulSet created a new pod of that name (no deletionTimestamp).
    let last = t
        .rsplit("{.metadata.uid}{.metadata.deletionTimestamp}'\n")
        .next()
        .unwrap_or_default();
    assert!(!last.contains('Z'), "{t}");
}

/// NamespaceLifecycle admission (kubernetes `plugin/pkg/admission/namespace/lifecycle/
/// admission.go`): nothing is created in a namespace that does not exist; `kubectl create
/// namespace` (kubectl `pkg/cmd/create/create_namespace.go`, v0.35.0) makes one, as the
/// StatefulSets concepts page's `foo/web` example needs.
#[test]
fn objects_need_their_namespace_and_create_namespace_makes_it() {
    let t = run("kubectl apply -n foo -f svc.yaml\n\
         kubectl create namespace foo\n\
         kubectl create namespace foo\n\
         kubectl create ns Bar\n\
         kubectl create namespace\n\
         kubectl apply -n foo -f svc.yaml -f sts.yaml\n\
         kubectl get ns foo\n\
         kubectl run -n bar x --image=nginx\n\
         kubectl run -n foo x --image=nginx\n\
         kubectl run -n foo x --image=nginx\n");
    // kubectl `pkg/cmd/run/run.go` `createGeneratedObject`: the API error as it is.
    assert!(t.contains("$ kubectl run -n bar x --image=nginx\nError from server (NotFound): namespaces \"bar\" not found\n"), "{t}");
    assert!(t.contains("pod/x created\n$ kubectl run -n foo x --image=nginx\nError from server (AlreadyExists): pods \"x\" already exists\n"), "{t}");
    assert!(t.contains("$ kubectl apply -n foo -f svc.yaml\nError from server (NotFound): error when creating \"svc.yaml\": namespaces \"foo\" not found\n"), "{t}");
    assert!(t.contains("$ kubectl create namespace foo\nnamespace/foo created\n$ kubectl create namespace foo\nError from server (AlreadyExists): namespaces \"foo\" already exists\n"), "{t}");
    assert!(t.contains("$ kubectl create ns Bar\nThe Namespace \"Bar\" is invalid: metadata.name: Invalid value: \"Bar\": a lowercase RFC 1123 label must consist of"), "{t}");
    assert!(t.contains("$ kubectl create namespace\nerror: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples\n"), "{t}");
    assert!(
        t.contains(
            "service/nginx-headless created\nstatefulset.apps/nginx-with-init-container created\n"
        ),
        "{t}"
    );
    assert!(
        t.contains("$ kubectl get ns foo\nNAME   STATUS   AGE\nfoo    Active   "),
        "{t}"
    );
}

/// kubectl `pkg/cmd/delete/delete.go` (v0.35.0): `Complete` refuses `--now` with
/// `--grace-period`; `Validate` refuses `-o` other than `name`, `--all` with a selector and
/// `--force` with a grace period above 0; nothing is deleted.
#[test]
fn delete_refuses_force_or_now_with_a_grace_period() {
    let t = run("kubectl apply -f svc.yaml -f sts.yaml\nsim settle\n\
         kubectl delete pod nginx-with-init-container-0 --force --grace-period=5\n\
         kubectl delete pod nginx-with-init-container-0 --now --grace-period=5\n\
         kubectl delete pod nginx-with-init-container-0 -o wide\n\
         kubectl delete pods --all -l app=nginx\n\
         kubectl delete pods --all --field-selector metadata.name=x\n");
    assert!(
        t.contains("-o wide\nerror: unexpected -o output mode: wide. We only support '-o name'\n"),
        "{t}"
    );
    assert!(
        t.contains("--all -l app=nginx\nerror: cannot set --all and --selector at the same time\n"),
        "{t}"
    );
    assert!(t.contains("--field-selector metadata.name=x\nerror: cannot set --all and --field-selector at the same time\n"), "{t}");
    assert!(t.contains("--force --grace-period=5\nerror: --force and --grace-period greater than 0 cannot be specified together\n"), "{t}");
    assert!(
        t.contains(
            "--now --grace-period=5\nerror: --now and --grace-period cannot be specified together\n"
        ),
        "{t}"
    );
    assert!(!t.contains("deleted from"), "{t}");
}
