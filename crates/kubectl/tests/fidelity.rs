#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Fidelity round 2 (issue 19): what Kubernetes v1.34–v1.35 changed and the kubectl paths a
//! learner takes after the basics, one transcript per item (insta snapshots in `snapshots/`,
//! each read against the upstream source named on its test), plus the exact lines that matter
//! asserted here so a snapshot update cannot quietly lose them.

use kubectl::Session;
use sim::cluster::ClusterConfig;
use sim::config::K8sVersion;

const SEED: &str = include_str!("../seed/sts.yaml");

/// The seed with `from` replaced by `to` (exactly once).
fn seed_with(from: &str, to: &str) -> String {
    assert_eq!(SEED.matches(from).count(), 1, "{from}");
    SEED.replacen(from, to, 1)
}

/// Manifests derived from the seed, put in the session's virtual file system.
fn files(s: &mut Session) {
    let mount = "        volumeMounts:\n        - name: data\n          mountPath: /usr/share/nginx/html\n  volumeClaimTemplates";
    s.set_file(
        "noaccess.yaml",
        &seed_with("      accessModes: [\"ReadWriteOnce\"]\n", ""),
    );
    s.set_file(
        "nostorage.yaml",
        &seed_with(
            "      resources:\n        requests:\n          storage: 100Mi\n",
            "",
        ),
    );
    s.set_file(
        "badmount.yaml",
        &seed_with(
            mount,
            "        volumeMounts:\n        - name: www\n          mountPath: /usr/share/nginx/html\n  volumeClaimTemplates",
        ),
    );
    s.set_file(
        "upper.yaml",
        &seed_with("      - name: nginx\n", "      - name: Nginx\n"),
    );
    s.set_file(
        "svcdot.yaml",
        &seed_with("serviceName: nginx-headless", "serviceName: nginx.svc"),
    );
    s.set_file(
        "noclass.yaml",
        &seed_with("      storageClassName: standard\n", ""),
    );
    s.set_file(
        "claim.yaml",
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: mine\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n",
    );
}

fn transcript(cfg: ClusterConfig, script: &str) -> kubectl::Transcript {
    let mut s = Session::with_config(cfg);
    files(&mut s);
    let fs = s.files().clone();
    s.run_script_with(script, &fs, true)
}

fn check(name: &str, script: &str) -> String {
    let t = transcript(ClusterConfig::default(), script);
    insta::assert_snapshot!(name, t.text);
    assert_eq!(
        transcript(ClusterConfig::default(), script).text,
        t.text,
        "{name} is not deterministic"
    );
    t.text
}

/// The output of the line `cmd` (the first time it runs) in a transcript.
fn block<'a>(t: &'a str, cmd: &str) -> &'a str {
    let marker = format!("$ {cmd}\n");
    let Some(at) = t.find(&marker) else {
        panic!("no `{cmd}` in\n{t}");
    };
    let rest = &t[at + marker.len()..];
    let end = rest.find("\n$ ").map_or(rest.len(), |e| e + 1);
    let rest = &rest[..end];
    // A comment line of the script ends the output too.
    if rest.starts_with('#') {
        return "";
    }
    rest.find("\n#").map_or(rest, |e| &rest[..e + 1])
}

/// `--dry-run` on the commands that call `cmdutil.AddDryRunFlag` in kubectl v0.35.0
/// (`set image`, `scale`, `label`, `annotate`, `patch`, `apply`, `create`, `delete`, `cordon`,
/// `drain`, `rollout undo`): nothing changes, and the printer says ` (dry run)` or
/// ` (server dry run)` (`PrintFlagsWithDryRunStrategy`); `rollout undo --dry-run=client`
/// prints `will roll back to` and the template (`polymorphichelpers/rollback.go`
/// `printPodTemplate`); the bare flag is the deprecated client form (NoOptDefVal
/// `unchanged`, klog warning in `GetDryRunStrategy`); `rollout restart` has no such flag.
#[test]
fn dry_run_changes_nothing() {
    let t = check("dry_run", include_str!("scripts/fidelity_dry_run.txt"));
    for (cmd, want) in [
        (
            "kubectl set image sts/nginx-with-init-container nginx=nginx:1.27 --dry-run=client",
            "statefulset.apps/nginx-with-init-container image updated (dry run)\n",
        ),
        (
            "kubectl set image sts/nginx-with-init-container nginx=nginx:1.27 --dry-run=server",
            "statefulset.apps/nginx-with-init-container image updated (server dry run)\n",
        ),
        (
            "kubectl set image sts/nginx-with-init-container nginx=nginx:1.27 --dry-run=server -o jsonpath={.spec.template.spec.containers[0].image}",
            "nginx:1.27\n",
        ),
        (
            "kubectl scale sts nginx-with-init-container --replicas=5 --dry-run=client",
            "statefulset.apps/nginx-with-init-container scaled (dry run)\n",
        ),
        (
            "kubectl patch sts nginx-with-init-container -p '{\"spec\":{\"replicas\":4}}' --dry-run=server -o name",
            "statefulset.apps/nginx-with-init-container\n",
        ),
        (
            "kubectl apply -f svc.yaml --dry-run=server",
            "service/nginx-headless unchanged (server dry run)\n",
        ),
        (
            "kubectl create -f sts.yaml --dry-run=client",
            "statefulset.apps/nginx-with-init-container created (dry run)\n",
        ),
        (
            "kubectl delete pod nope --dry-run=client",
            "pod \"nope\" deleted from default namespace (dry run)\n",
        ),
        (
            "kubectl delete pod nope --dry-run=server",
            "Error from server (NotFound): pods \"nope\" not found\n",
        ),
        (
            "kubectl rollout restart sts/nginx-with-init-container --dry-run=client",
            "error: unknown flag: --dry-run\nSee 'kubectl rollout restart --help' for usage.\n",
        ),
        (
            "kubectl label sts nginx-with-init-container tier=web --dry-run=yes",
            "error: Invalid dry-run value (yes). Must be \"none\", \"server\", or \"client\".\n",
        ),
    ] {
        assert_eq!(block(&t, cmd), want, "{cmd}");
    }
    assert!(
        block(
            &t,
            "kubectl scale sts nginx-with-init-container --replicas=5 --dry-run"
        )
        .contains(
            "helpers.go:719] --dry-run is deprecated and can be replaced with --dry-run=client.\nstatefulset.apps/nginx-with-init-container scaled (dry run)\n"
        )
    );
    // `--dry-run server`: the bare flag, then `server` is a second resource name.
    assert!(
        block(
            &t,
            "kubectl scale sts nginx-with-init-container --replicas=5 --dry-run server"
        )
        .contains("Error from server (NotFound): statefulsets.apps \"server\" not found")
    );
    let undo = block(
        &t,
        "kubectl rollout undo sts/nginx-with-init-container --dry-run=client",
    );
    assert!(
        undo.starts_with(
            "statefulset.apps/nginx-with-init-container will roll back to Pod Template:\n  Labels:\tapp=nginx\n"
        ),
        "{undo}"
    );
    assert!(undo.contains("    Image:\tnginx:1.26.0\n"), "{undo}");
    assert!(undo.ends_with("\n (dry run)\n"), "{undo}");
    // `--dry-run=client -o yaml` of a new object: the manifest, not defaulted, as sent.
    let sent = block(&t, "kubectl apply -f claim.yaml --dry-run=client -o yaml");
    assert!(
        sent.contains("  name: mine\n  namespace: default\nspec:\n"),
        "{sent}"
    );
    assert!(!sent.contains("storageClassName"), "{sent}");
    // Nothing above changed anything.
    let sts = block(&t, "kubectl get sts -o wide --show-labels");
    assert!(sts.contains("3/3") && sts.contains("nginx:1.26.0"), "{sts}");
    assert!(!sts.contains("tier=web"), "{sts}");
    assert!(
        !block(&t, "kubectl get nodes").contains("SchedulingDisabled"),
        "{t}"
    );
    // After the real update, both undo dry runs leave the template at 1.27.
    assert!(block(&t, "kubectl get sts -o wide").contains("nginx:1.27"));
}

/// StatefulSet create validation since v1.34: claim templates as new claims' specs (kubernetes
/// PR #132212), the pod template as a pod's with the claim templates' names as volumes (PR
/// #131790), `serviceName` a DNS-1123 label (v1.33, PR #130233); apiserver wording and field
/// paths (apps/validation `ValidateStatefulSetSpec`, core/validation `ValidatePodSpec`).
#[test]
fn statefulset_create_validation_v1_35() {
    let t = check(
        "statefulset_validation",
        include_str!("scripts/fidelity_validation.txt"),
    );
    for (cmd, want) in [
        (
            "kubectl apply -f noaccess.yaml",
            "The StatefulSet \"nginx-with-init-container\" is invalid: spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required\n",
        ),
        (
            "kubectl apply -f nostorage.yaml",
            "The StatefulSet \"nginx-with-init-container\" is invalid: spec.volumeClaimTemplates[0].spec.resources[storage]: Required value\n",
        ),
        (
            "kubectl apply -f badmount.yaml",
            "The StatefulSet \"nginx-with-init-container\" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"www\"\n",
        ),
        (
            "kubectl apply -f upper.yaml",
            "The StatefulSet \"nginx-with-init-container\" is invalid: spec.template.spec.containers[0].name: Invalid value: \"Nginx\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n",
        ),
        (
            "kubectl apply -f svcdot.yaml",
            "The StatefulSet \"nginx-with-init-container\" is invalid: spec.serviceName: Invalid value: \"nginx.svc\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n",
        ),
    ] {
        assert!(
            block(&t, cmd).starts_with(want),
            "{cmd}: {}",
            block(&t, cmd)
        );
    }
    assert!(
        block(&t, "kubectl apply -f badmount.yaml --dry-run=client")
            .starts_with("statefulset.apps/nginx-with-init-container created (dry run)\n")
    );
    assert!(
        block(&t, "kubectl apply -f badmount.yaml --dry-run=server").starts_with(
            "The StatefulSet \"nginx-with-init-container\" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"www\""
        )
    );
    // No set was created by any of them; the seed then is, and an update that would break
    // its template is refused.
    assert!(block(&t, "kubectl get sts").starts_with("No resources found in default namespace.\n"));
    assert!(
        block(&t, "kubectl patch sts nginx-with-init-container --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/volumeMounts/0/name\",\"value\":\"www\"}]'")
            .starts_with("The StatefulSet \"nginx-with-init-container\" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"www\"\n")
    );
    assert!(block(&t, "kubectl get sts -o wide").contains("nginx:1.27"));
}

/// At v1.28 the same manifests are accepted: the claim template without access modes is not
/// checked at create (before kubernetes PR #132212).
#[test]
fn statefulset_create_validation_is_absent_at_v1_28() {
    let cfg = ClusterConfig {
        version: K8sVersion::V1_28,
        ..Default::default()
    };
    let t = transcript(
        cfg,
        "kubectl apply -f svc.yaml\nkubectl apply -f svcdot.yaml\nkubectl delete sts nginx-with-init-container --wait=false\nkubectl apply -f noaccess.yaml\n",
    );
    assert!(
        t.text.contains(
            "$ kubectl apply -f svcdot.yaml\nstatefulset.apps/nginx-with-init-container created\n"
        ),
        "{}",
        t.text
    );
    assert!(
        t.text.contains(
            "$ kubectl apply -f noaccess.yaml\nstatefulset.apps/nginx-with-init-container created\n"
        ),
        "{}",
        t.text
    );
}

/// At v1.28 a claim template the apiserver let through fails when the controller creates the
/// claim: the v1.28 apiserver validates the new PersistentVolumeClaim
/// (`pkg/apis/core/validation` `ValidatePersistentVolumeClaimSpec`), so no claim and no pod
/// exist and the set records both FailedCreate events of `stateful_pod_control.go` v1.28
/// (`recordClaimEvent`, then `CreateStatefulPod`'s `recordPodEvent` with the aggregated
/// `failed to create PVC …` error), retried with back-off. v1.34+ rejects the set at create
/// instead (`statefulset_validation`).
#[test]
fn claim_template_failed_create_at_v1_28() {
    let cfg = || ClusterConfig {
        version: K8sVersion::V1_28,
        ..Default::default()
    };
    let script = "kubectl apply -f svc.yaml -f noaccess.yaml\nsim settle\nkubectl get pods,pvc\nkubectl get events --field-selector reason=FailedCreate -o custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message\nsim why\n";
    let t = transcript(cfg(), script).text;
    insta::assert_snapshot!("claim_template_failed_create_v1_28", t);
    assert_eq!(transcript(cfg(), script).text, t, "not deterministic");
    assert!(
        t.contains("$ kubectl get pods,pvc\nNo resources found in default namespace.\n"),
        "{t}"
    );
    let invalid = "PersistentVolumeClaim \"data-nginx-with-init-container-0\" is invalid: spec.accessModes: Required value: at least 1 access mode is required";
    assert!(
        t.contains(&format!(
            "Warning   FailedCreate   create Claim data-nginx-with-init-container-0 for Pod nginx-with-init-container-0 in StatefulSet nginx-with-init-container failed error: {invalid}\n"
        )),
        "{t}"
    );
    assert!(
        t.contains(&format!(
            "Warning   FailedCreate   create Pod nginx-with-init-container-0 in StatefulSet nginx-with-init-container failed error: failed to create PVC data-nginx-with-init-container-0: {invalid}\n"
        )),
        "{t}"
    );
}

/// DefaultStorageClass admission (on by default, `plugin/pkg/admission/storage/storageclass/
/// setdefault/admission.go`) for every claim without `storageClassName`, and `describe pv`'s
/// node affinity (`pkg/describe/describe.go` `printVolumeNodeAffinity`, v0.35.0).
#[test]
fn default_storage_class_and_pv_node_affinity() {
    let t = check("claims_pv", include_str!("scripts/fidelity_claims_pv.txt"));
    let pvc = block(&t, "kubectl get pvc");
    for line in pvc.lines().skip(1) {
        assert!(line.contains(" standard "), "{line}");
    }
    assert_eq!(
        block(
            &t,
            "kubectl get pvc mine -o jsonpath={.spec.storageClassName}"
        ),
        "standard\n"
    );
    // The template itself is not admitted as a claim: it keeps no class.
    assert_eq!(
        block(
            &t,
            "kubectl get sts nginx-with-init-container -o jsonpath={.spec.volumeClaimTemplates[0].spec.storageClassName}"
        ),
        ""
    );
    assert!(
        block(
            &t,
            "kubectl describe pvc data-nginx-with-init-container-0 | head -n 4"
        )
        .contains("StorageClass:  standard\n")
    );
    let pv = block(&t, "kubectl describe pv | head -n 20");
    assert!(
        pv.contains("Node Affinity:     \n  Required Terms:  \n    Term 0:        kubernetes.io/hostname in [kind-control-plane]\n"),
        "{pv}"
    );
}

/// Pod generation (KEP-5067, GA in v1.35): `metadata.generation` 1 at create
/// (`pkg/registry/core/pod/strategy.go` `PrepareForCreate`), bumped by a spec change
/// (`updatePodGeneration`) and by a graceful deletion (`rest.BeforeDelete`); the kubelet
/// reports it as `status.observedGeneration` and on its conditions
/// (`CalculatePodConditionObservedGeneration`). The scheduler's events go through
/// events.k8s.io (`schedule_one.go`): null first/last timestamps and `source: {}` in the
/// core/v1 view, first under `--sort-by=.lastTimestamp` (`pkg/cmd/get/sorter.go`), SOURCE from
/// reportingController and reportingInstance (`formatEventSource`). The Endpoints warning and
/// `api-resources --api-group`.
#[test]
fn pod_generation_scheduler_events_endpoints_api_group() {
    let t = check(
        "pods_events",
        include_str!("scripts/fidelity_pods_events.txt"),
    );
    assert!(
        t.contains("1 1\nPodReadyToStartContainers=1 Initialized=1 Ready=1 ContainersReady=1 PodScheduled=1 \n"),
        "{t}"
    );
    assert_eq!(
        block(
            &t,
            "kubectl get pod nginx-with-init-container-0 -o jsonpath={.metadata.generation}"
        ),
        "2\n"
    );
    assert_eq!(
        block(
            &t,
            "kubectl get pod nginx-with-init-container-1 -o jsonpath={.metadata.generation}"
        ),
        "2\n"
    );
    let sorted = block(
        &t,
        "kubectl get events --sort-by=.lastTimestamp | head -n 6",
    );
    for line in sorted.lines().skip(1).take(3) {
        assert!(line.contains(" Scheduled "), "{sorted}");
    }
    assert!(
        block(
            &t,
            "kubectl get events -o wide --field-selector reason=Scheduled"
        )
        .contains("   default-scheduler, default-scheduler-kind-control-plane   ")
    );
    let yaml = block(
        &t,
        "kubectl get events --field-selector involvedObject.name=nginx-with-init-container-2,reason=Scheduled -o yaml",
    );
    for want in [
        "- action: Binding\n",
        "  firstTimestamp: null\n",
        "  lastTimestamp: null\n",
        "  reportingComponent: default-scheduler\n",
        "  reportingInstance: default-scheduler-kind-control-plane\n",
        "  source: {}\n",
    ] {
        assert!(yaml.contains(want), "{want}\n{yaml}");
    }
    assert!(block(&t, "kubectl get endpoints").starts_with(
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
    ));
    assert_eq!(
        block(
            &t,
            "kubectl api-resources --api-group=storage.k8s.io -o name"
        ),
        "storageclasses.storage.k8s.io\n"
    );
}

/// Our hints: no "yet" after the learner deleted their own set, and no naming lesson for a
/// name that is right but out of the set's range.
#[test]
fn hints_do_not_mislead() {
    let t = check("hints", include_str!("scripts/fidelity_hints.txt"));
    assert!(block(&t, "kubectl get pods").contains("hint: no StatefulSet exists yet"));
    assert!(
        block(&t, "kubectl get pod nginx-with-init-container-7").contains(
            "hint: StatefulSet nginx-with-init-container has 3 replicas: its ordinals are 0..2\n"
        )
    );
    assert!(
        block(&t, "kubectl get pod web-1")
            .contains("hint: this StatefulSet's pods are named nginx-with-init-container-N")
    );
    let after = t.rsplit("$ kubectl get pods\n").next().unwrap_or_default();
    assert!(!after.contains("exists yet"), "{after}");
    assert!(
        after.contains("hint: no StatefulSet exists now (the one this session had was deleted)"),
        "{after}"
    );
}

/// An image reference the kubelet cannot parse (`nginx<img src=x>`): `EnsureImageExists`
/// (`pkg/kubelet/images/image_manager.go`) fails in `applyDefaultImageTag` before any pull,
/// with `parsers.ParseImageName`'s `couldn't parse image name %q: %v` around
/// distribution/reference's `invalid reference format`: event InspectFailed, then
/// `startContainer`'s `Error: InvalidImageName` (`kuberuntime_container.go`), and the container
/// waits with reason InvalidImageName and that message; the rollout stops there.
#[test]
fn invalid_image_name() {
    let t = check(
        "invalid_image",
        include_str!("scripts/fidelity_invalid_image.txt"),
    );
    let msg = "Failed to apply default image tag \"nginx<img src=x>\": couldn't parse image name \"nginx<img src=x>\": invalid reference format";
    assert!(
        t.contains("nginx-with-init-container-2   0/1     InvalidImageName   0 "),
        "{t}"
    );
    // jsonpath prints a map through json.Marshal (client-go util/jsonpath `PrintResults`):
    // keys sorted and `<`, `>` escaped as encoding/json does.
    assert!(
        t.contains(&format!(
            "{{\"waiting\":{{\"message\":\"{}\",\"reason\":\"InvalidImageName\"}}}}",
            msg.replace('"', "\\\"")
                .replace('<', "\\u003c")
                .replace('>', "\\u003e")
        )),
        "{t}"
    );
    assert!(t.contains("  Warning  InspectFailed "), "{t}");
    assert!(
        t.contains("\"image\": \"nginx\\u003cimg src=x\\u003e\",\n"),
        "{t}"
    );
    assert!(t.contains(&format!("{msg}\n")), "{t}");
    assert!(t.contains("Error: InvalidImageName\n"), "{t}");
}
