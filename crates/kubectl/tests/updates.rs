#![allow(clippy::panic, clippy::indexing_slicing)]
//! Updates and revisions through `kubectl::Session` transcripts (issue 4): `rollout status`
//! lines for partitioned and non-partitioned strategies (kubectl
//! `pkg/polymorphichelpers/rollout_status.go` `StatefulSetStatusViewer`), `rollout history
//! --revision`, `rollout undo --to-revision` (revision renumbering, upstream
//! `stateful_set_control.go` `getStatefulSetRevisions`), `rollout restart` (the
//! `kubectl.kubernetes.io/restartedAt` annotation), revisionHistoryLimit pruning
//! (`truncateHistory`), the immutable-field Forbidden message (apps validation
//! `ValidateStatefulSetUpdate`), and the "why is it waiting" sentences for updates.

use kubectl::Session;

fn run(files: &[(&str, &str)], script: &str) -> kubectl::Transcript {
    let mut s = Session::new();
    for (n, t) in files {
        s.set_file(n, t);
    }
    let fs = s.files().clone();
    s.run_script_with(script, &fs, true)
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

const PARTITION_SCRIPT: &str = include_str!("scripts/updates_partition.txt");

/// A manifest that says `updateStrategy: {type: RollingUpdate}` without a `rollingUpdate` block:
/// apps/v1 `SetDefaults_StatefulSet` leaves `rollingUpdate` nil, so kubectl's status viewer
/// takes its non-partitioned branch.
fn unpartitioned_sts() -> String {
    include_str!("../seed/sts.yaml").replace(
        "  replicas: 3\n",
        "  replicas: 3\n  updateStrategy:\n    type: RollingUpdate\n",
    )
}

#[test]
fn partitioned_rollout_status_history_undo_restart_and_history_limit() {
    let t = run(&[], PARTITION_SCRIPT);
    let text = t.text.as_str();
    let sts = "sts/nginx-with-init-container";
    // partition 3 of 3: nothing to update, and kubectl says the partitioned roll out is complete.
    assert_eq!(
        output_of(text, &format!("kubectl rollout status {sts}"), 1),
        "partitioned roll out complete: 0 new pods have been updated...\n"
    );
    // Why: each pod below the partition.
    let why = output_of(text, &format!("sim why {sts}"), 0);
    for o in [2, 1, 0] {
        assert!(
            why.contains(&format!(
                "nginx-with-init-container-{o} is not updated yet: partition is 3\n"
            )),
            "{why}"
        );
    }
    // partition 0: pod 2 is recreated on the new revision; 1 and 0 wait for it.
    let why = output_of(text, &format!("sim why {sts}"), 1);
    assert!(
        why.starts_with(
            "nginx-with-init-container-1 is not updated yet: the rolling update waits for \
             nginx-with-init-container-2 to be Running and Ready on revision \
             nginx-with-init-container-77f9b8b64b (it is Pending)\n"
        ),
        "{why}"
    );
    let status = output_of(text, &format!("kubectl rollout status {sts}"), 2);
    let lines: Vec<&str> = status.lines().filter(|l| l.contains("roll out")).collect();
    assert_eq!(
        lines,
        [
            "Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...",
            "Waiting for partitioned roll out to finish: 2 out of 3 new pods have been updated...",
            "partitioned roll out complete: 3 new pods have been updated...",
        ]
    );
    // Undo to revision 1 re-uses its ControllerRevision, renumbered 3 (upstream
    // `getStatefulSetRevisions`: an equal revision gets the next number); 1 is then gone.
    assert_eq!(
        output_of(text, &format!("kubectl rollout history {sts}"), 1),
        "statefulset.apps/nginx-with-init-container \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    );
    assert_eq!(
        output_of(
            text,
            &format!("kubectl rollout undo {sts} --to-revision=1"),
            1
        ),
        "error: unable to find specified revision 1 in history\n"
    );
    // restart: the restartedAt annotation on the template makes revision 4.
    assert!(
        output_of(text, "kubectl get sts nginx-with-init-container -o jsonpath='{.spec.template.metadata.annotations}'", 0)
            .starts_with("{\"kubectl.kubernetes.io/restartedAt\":\"2026-01-01T")
    );
    let rev4 = output_of(
        text,
        &format!("kubectl rollout history {sts} --revision=4"),
        0,
    );
    assert!(rev4.starts_with(
        "statefulset.apps/nginx-with-init-container with revision #4\nPod Template:\n  Labels:\tapp=nginx\n  Annotations:\tkubectl.kubernetes.io/restartedAt: 2026-01-01T"
    ), "{rev4}");
    // revisionHistoryLimit 1: after the rollout to revision 5 only the newest unused one (4)
    // is kept besides the live one (upstream `truncateHistory`).
    assert_eq!(
        output_of(text, &format!("kubectl rollout history {sts}"), 3),
        "statefulset.apps/nginx-with-init-container \nREVISION  CHANGE-CAUSE\n4         <none>\n5         <none>\n\n"
    );
    assert_eq!(
        output_of(text, "kubectl get controllerrevisions", 1)
            .lines()
            .count(),
        3
    );
    // Immutable fields: the apiserver's message (apps validation `ValidateStatefulSetUpdate`).
    assert!(output_of(text, r#"kubectl patch sts nginx-with-init-container -p '{"spec":{"podManagementPolicy":"Parallel"}}'"#, 0).starts_with(
        "The StatefulSet \"nginx-with-init-container\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\n"
    ));
    assert_eq!(
        output_of(text, &format!("kubectl rollout pause {sts}"), 0),
        "error: statefulsets.apps \"nginx-with-init-container\" pausing is not supported\n"
    );
    assert_eq!(
        output_of(text, &format!("kubectl rollout status {sts}"), 6),
        "error: rollout status is only available for RollingUpdate strategy type\n"
    );
}

/// kubectl `rollout_status.go` `StatefulSetStatusViewer.Status`, branch without
/// `rollingUpdate`: `waiting for statefulset rolling update to complete N pods at revision R...`
/// then `statefulset rolling update complete N pods at revision R...`.
#[test]
fn unpartitioned_rollout_status_lines() {
    let sts = unpartitioned_sts();
    let t = run(
        &[("sts.yaml", &sts)],
        "kubectl apply -f svc.yaml -f sts.yaml\n\
         kubectl rollout status sts/nginx-with-init-container\n\
         kubectl get sts nginx-with-init-container -o jsonpath='{.spec.updateStrategy}'\n\
         kubectl set image sts/nginx-with-init-container nginx=nginx:1.27\n\
         kubectl rollout status sts/nginx-with-init-container\n",
    );
    let text = t.text.as_str();
    assert!(t.ok, "{text}");
    assert_eq!(
        output_of(
            text,
            "kubectl get sts nginx-with-init-container -o jsonpath='{.spec.updateStrategy}'",
            0
        ),
        "{\"type\":\"RollingUpdate\"}\n"
    );
    let first = output_of(
        text,
        "kubectl rollout status sts/nginx-with-init-container",
        0,
    );
    assert!(first.ends_with(
        "statefulset rolling update complete 3 pods at revision nginx-with-init-container-65f5d74f67...\n"
    ), "{first}");
    let second = output_of(
        text,
        "kubectl rollout status sts/nginx-with-init-container",
        1,
    );
    let lines: Vec<&str> = second.lines().filter(|l| l.contains("revision")).collect();
    assert!(lines.len() >= 3, "{second}");
    assert_eq!(
        lines.first().copied(),
        Some(
            "waiting for statefulset rolling update to complete 0 pods at revision nginx-with-init-container-77f9b8b64b..."
        )
    );
    assert!(lines.contains(&"waiting for statefulset rolling update to complete 2 pods at revision nginx-with-init-container-77f9b8b64b..."), "{second}");
    assert_eq!(
        lines.last().copied(),
        Some(
            "statefulset rolling update complete 3 pods at revision nginx-with-init-container-77f9b8b64b..."
        )
    );
}

/// The transcript is deterministic.
#[test]
fn update_transcript_is_deterministic() {
    assert_eq!(
        run(&[], PARTITION_SCRIPT).text,
        run(&[], PARTITION_SCRIPT).text
    );
}

/// Client-side apply is a three-way merge (kubectl `apply.go` + apimachinery
/// `strategicpatch.CreateThreeWayMergePatch`): a field removed from the manifest is removed
/// from the object, a label added by `kubectl label` survives a re-apply, and an object made
/// by `kubectl create` gets kubectl's missing-annotation warning on its first apply.
#[test]
fn apply_is_a_three_way_merge_with_the_last_applied_configuration() {
    let seed = include_str!("../seed/sts.yaml");
    let partitioned = seed.replace(
        "  replicas: 3\n",
        "  replicas: 3\n  minReadySeconds: 3\n  updateStrategy:\n    rollingUpdate:\n      partition: 2\n",
    );
    let mut s = Session::new();
    s.set_file("sts.yaml", &partitioned);
    let out = |s: &mut Session, line: &str| {
        let o = s.run_line(line);
        format!("{}{}", o.stderr, o.stdout)
    };
    assert_eq!(
        out(&mut s, "kubectl apply -f sts.yaml"),
        "statefulset.apps/nginx-with-init-container created\n"
    );
    out(
        &mut s,
        "kubectl label sts nginx-with-init-container owner=ops",
    );
    s.set_file("sts.yaml", seed);
    assert_eq!(
        out(&mut s, "kubectl apply -f sts.yaml"),
        "statefulset.apps/nginx-with-init-container configured\n"
    );
    let get = |s: &mut Session, path: &str| {
        out(
            s,
            &format!("kubectl get sts nginx-with-init-container -o jsonpath={{{path}}}"),
        )
    };
    assert_eq!(get(&mut s, ".spec.minReadySeconds"), "");
    assert_eq!(
        get(&mut s, ".spec.updateStrategy.rollingUpdate.partition"),
        "0"
    );
    assert_eq!(get(&mut s, ".metadata.labels.owner"), "ops");
    // Applying the same manifest again changes nothing, but kubectl still says `configured`:
    // its patch carries the atomic `volumeClaimTemplates` list, which the apiserver defaulted
    // (kubernetes/kubernetes#66450), and the no-op patch writes nothing (same resourceVersion).
    let rv = get(&mut s, ".metadata.resourceVersion");
    assert_eq!(
        out(&mut s, "kubectl apply -f sts.yaml"),
        "statefulset.apps/nginx-with-init-container configured\n"
    );
    assert_eq!(get(&mut s, ".metadata.resourceVersion"), rv);

    // `kubectl create` leaves no last-applied annotation: the first apply warns and removes
    // nothing.
    let mut s = Session::new();
    s.set_file("sts.yaml", &partitioned);
    out(&mut s, "kubectl create -f sts.yaml");
    s.set_file("sts.yaml", seed);
    let o = out(&mut s, "kubectl apply -f sts.yaml");
    assert!(
        o.starts_with("Warning: resource statefulsets/nginx-with-init-container is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply."),
        "{o}"
    );
    assert!(
        o.ends_with("statefulset.apps/nginx-with-init-container configured\n"),
        "{o}"
    );
    assert_eq!(get(&mut s, ".spec.minReadySeconds"), "3");
}

/// A rolling update to an image tag that does not exist (stsplay's registry model,
/// `sim::registry`) sticks at the highest ordinal in ImagePullBackOff, as on kind: the
/// OrderedReady update waits for it and never touches the lower ordinals. `sim settle` stops
/// once only back-off retries are left instead of running for simulated weeks.
#[test]
fn update_to_a_missing_image_sticks_in_image_pull_back_off_and_settle_stops() {
    let mut s = Session::new();
    s.set_file("sts.yaml", include_str!("../seed/sts.yaml"));
    let out = |s: &mut Session, line: &str| {
        let o = s.run_line(line);
        format!("{}{}", o.stderr, o.stdout)
    };
    out(&mut s, "kubectl apply -f sts.yaml");
    assert!(out(&mut s, "sim settle").starts_with("settled at"));
    out(
        &mut s,
        "kubectl set image sts/nginx-with-init-container nginx=nginx:does-not-exist",
    );
    let settle = out(&mut s, "sim settle");
    assert!(
        settle.contains("only back-off retries for the last 10m"),
        "{settle}"
    );
    let pods = out(&mut s, "kubectl get pods --no-headers");
    let status: Vec<&str> = pods
        .lines()
        .map(|l| l.split_whitespace().nth(2).unwrap_or(""))
        .collect();
    assert_eq!(status, ["Running", "Running", "ImagePullBackOff"], "{pods}");
    let images = out(
        &mut s,
        "kubectl get pods -o jsonpath={.items[*].spec.containers[0].image}",
    );
    assert_eq!(images, "nginx:1.26.0 nginx:1.26.0 nginx:does-not-exist");
    let events = out(&mut s, "kubectl describe pod nginx-with-init-container-2");
    assert!(events.contains("Failed to pull image \"nginx:does-not-exist\": rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:does-not-exist\""), "{events}");
    // The image appears (a fault, as if it was pushed): the rollout finishes.
    out(&mut s, "sim fault image nginx:does-not-exist present");
    assert!(out(&mut s, "sim settle").starts_with("settled at"));
    let images = out(
        &mut s,
        "kubectl get pods -o jsonpath={.items[*].spec.containers[0].image}",
    );
    assert_eq!(
        images,
        "nginx:does-not-exist nginx:does-not-exist nginx:does-not-exist"
    );
}

/// Writes that send the whole object (patch, undo, edit: a PUT of the patched live object)
/// replace it: a JSON patch that swaps the strategy to OnDelete drops `rollingUpdate`, a
/// removed init container is gone, and `rollout undo` restores the revision's template
/// without the `restartedAt` annotation (kubectl `rollback.go` patches the template with
/// `$patch: replace`). Values the apiserver allocated (a Service's clusterIP) stay.
#[test]
fn patch_and_undo_replace_the_object() {
    let mut s = Session::new();
    s.set_file("sts.yaml", include_str!("../seed/sts.yaml"));
    s.set_file("svc.yaml", include_str!("../seed/svc.yaml"));
    let out = |s: &mut Session, line: &str| {
        let o = s.run_line(line);
        format!("{}{}", o.stderr, o.stdout)
    };
    out(&mut s, "kubectl apply -f svc.yaml -f sts.yaml");
    out(&mut s, "sim settle");
    let sts = "nginx-with-init-container";
    out(
        &mut s,
        &format!(
            "kubectl patch sts {sts} --type=json -p '[{{\"op\":\"replace\",\"path\":\"/spec/updateStrategy\",\"value\":{{\"type\":\"OnDelete\"}}}}]'"
        ),
    );
    assert_eq!(
        out(
            &mut s,
            &format!("kubectl get sts {sts} -o jsonpath={{.spec.updateStrategy}}")
        ),
        "{\"type\":\"OnDelete\"}"
    );
    assert_eq!(
        out(
            &mut s,
            &format!("kubectl set image sts/{sts} nginx=nginx:1.27")
        ),
        format!("statefulset.apps/{sts} image updated\n")
    );
    out(&mut s, &format!("kubectl rollout restart sts/{sts}"));
    out(
        &mut s,
        &format!("kubectl rollout undo sts/{sts} --to-revision=1"),
    );
    assert_eq!(
        out(
            &mut s,
            &format!("kubectl get sts {sts} -o jsonpath={{.spec.template.metadata.annotations}}")
        ),
        ""
    );
    assert_eq!(
        out(
            &mut s,
            &format!(
                "kubectl patch sts {sts} --type=json -p '[{{\"op\":\"remove\",\"path\":\"/spec/template/spec/initContainers\"}}]'"
            )
        ),
        format!("statefulset.apps/{sts} patched\n")
    );
    assert_eq!(
        out(
            &mut s,
            &format!("kubectl get sts {sts} -o jsonpath={{.spec.template.spec.initContainers}}")
        ),
        ""
    );
    assert_eq!(
        out(
            &mut s,
            "kubectl get svc nginx-headless -o jsonpath={.spec.clusterIP}"
        ),
        "None"
    );
}

/// The seed StatefulSet with `extra` lines added to the nginx container (after its image).
fn seed_with_nginx(extra: &str, image: &str) -> String {
    include_str!("../seed/sts.yaml").replace(
        "      - name: nginx\n        image: nginx:1.26.0\n",
        &format!("      - name: nginx\n        image: {image}\n{extra}"),
    )
}

fn out(s: &mut Session, line: &str) -> String {
    let o = s.run_line(line);
    format!("{}{}", o.stderr, o.stdout)
}

/// Client-side apply merges keyed lists as a strategic merge patch does (apimachinery
/// `strategicpatch.CreateThreeWayMergePatch`; core/v1 `types.go`: `PodSpec.Containers` and
/// `Container.Env` are `patchStrategy:"merge"` on `name`): a sidecar container and an env var
/// added with `kubectl patch` survive a re-apply, an env var removed from the manifest goes,
/// and the server-only items keep their place (upstream `normalizeElementOrder`).
#[test]
fn apply_merges_containers_and_env_by_name_keeping_patched_items() {
    let env = "        env:\n        - name: A\n          value: \"1\"\n        - name: B\n          value: \"2\"\n";
    let mut s = Session::new();
    s.set_file("sts.yaml", &seed_with_nginx(env, "nginx:1.26.0"));
    out(&mut s, "kubectl apply -f sts.yaml");
    let sts = "sts nginx-with-init-container";
    // A strategic patch puts a new item before the existing ones (upstream mergeSortedSlice).
    out(
        &mut s,
        &format!(
            r#"kubectl patch {sts} -p '{{"spec":{{"template":{{"spec":{{"containers":[{{"name":"sidecar","image":"busybox:1.36"}}]}}}}}}}}'"#
        ),
    );
    out(
        &mut s,
        &format!(
            r#"kubectl patch {sts} -p '{{"spec":{{"template":{{"spec":{{"containers":[{{"name":"nginx","env":[{{"name":"FROM_PATCH","value":"x"}}]}}]}}}}}}}}'"#
        ),
    );
    let get =
        |s: &mut Session, path: &str| out(s, &format!("kubectl get {sts} -o jsonpath={{{path}}}"));
    assert_eq!(
        get(&mut s, ".spec.template.spec.containers[*].name"),
        "sidecar nginx"
    );
    assert_eq!(
        get(&mut s, ".spec.template.spec.containers[1].env[*].name"),
        "FROM_PATCH A B"
    );
    // The manifest drops B and changes the image.
    let env_a = "        env:\n        - name: A\n          value: \"1\"\n";
    s.set_file("sts.yaml", &seed_with_nginx(env_a, "nginx:1.27.0"));
    assert_eq!(
        out(&mut s, "kubectl apply -f sts.yaml"),
        "statefulset.apps/nginx-with-init-container configured\n"
    );
    assert_eq!(
        get(&mut s, ".spec.template.spec.containers[*].name"),
        "sidecar nginx"
    );
    assert_eq!(
        get(&mut s, ".spec.template.spec.containers[*].image"),
        "busybox:1.36 nginx:1.27.0"
    );
    assert_eq!(
        get(&mut s, ".spec.template.spec.containers[1].env[*].name"),
        "FROM_PATCH A"
    );
    // Nothing left to change: the same manifest again writes nothing (kubectl says
    // `configured` for a StatefulSet with volumeClaimTemplates, see above).
    let rv = get(&mut s, ".metadata.resourceVersion");
    assert_eq!(
        out(&mut s, "kubectl apply -f sts.yaml"),
        "statefulset.apps/nginx-with-init-container configured\n"
    );
    assert_eq!(get(&mut s, ".metadata.resourceVersion"), rv);
    assert_eq!(
        get(&mut s, ".spec.template.spec.containers[*].name"),
        "sidecar nginx"
    );
}

/// A container and a container port removed from the manifest are deleted by key (core/v1
/// `types.go`: `Container.Ports` merge on `containerPort`); an atomic list (`command`, no
/// patchStrategy upstream) is replaced whole.
#[test]
fn apply_deletes_keyed_items_removed_from_the_manifest_and_replaces_atomic_lists() {
    let log = "      - name: log\n        image: busybox:1.36\n        command: [\"sh\", \"-c\", \"sleep 1d\"]\n";
    let ports = "        - containerPort: 8080\n          name: metrics\n";
    let two = include_str!("../seed/sts.yaml")
        .replace(
            "        - containerPort: 80\n",
            &format!("        - containerPort: 80\n{ports}"),
        )
        .replace(
            "  volumeClaimTemplates:",
            &format!("{log}  volumeClaimTemplates:"),
        );
    let mut s = Session::new();
    s.set_file("sts.yaml", &two);
    assert_eq!(
        out(&mut s, "kubectl apply -f sts.yaml"),
        "statefulset.apps/nginx-with-init-container created\n"
    );
    let sts = "sts nginx-with-init-container";
    let get =
        |s: &mut Session, path: &str| out(s, &format!("kubectl get {sts} -o jsonpath={{{path}}}"));
    assert_eq!(
        get(&mut s, ".spec.template.spec.containers[*].name"),
        "nginx log"
    );
    assert_eq!(
        get(
            &mut s,
            ".spec.template.spec.containers[0].ports[*].containerPort"
        ),
        "80 8080"
    );
    // Back to the seed, with the init container's command changed.
    let seed = include_str!("../seed/sts.yaml").replace(
        "        - bash\n        - -c\n",
        "        - sh\n        - -c\n",
    );
    s.set_file("sts.yaml", &seed);
    assert_eq!(
        out(&mut s, "kubectl apply -f sts.yaml"),
        "statefulset.apps/nginx-with-init-container configured\n"
    );
    assert_eq!(
        get(&mut s, ".spec.template.spec.containers[*].name"),
        "nginx"
    );
    assert_eq!(
        get(
            &mut s,
            ".spec.template.spec.containers[0].ports[*].containerPort"
        ),
        "80"
    );
    let cmd = get(&mut s, ".spec.template.spec.initContainers[0].command[0]");
    assert_eq!(cmd, "sh");
    assert_eq!(
        get(&mut s, ".spec.template.spec.initContainers[0].command[1]"),
        "-c"
    );
}

/// `kubectl apply` says `unchanged` only for an empty patch (`pkg/cmd/apply/apply.go`): an
/// unchanged Service, or a StatefulSet without volumeClaimTemplates, re-applied is `unchanged`;
/// the seed StatefulSet (with a claim template the apiserver defaults) is `configured`.
#[test]
fn reapply_unchanged_only_for_an_empty_patch() {
    let mut s = Session::new();
    let seed = include_str!("../seed/sts.yaml");
    let svc = include_str!("../seed/svc.yaml");
    s.set_file("sts.yaml", seed);
    s.set_file("svc.yaml", svc);
    out(&mut s, "kubectl apply -f svc.yaml");
    out(&mut s, "kubectl apply -f sts.yaml");
    assert_eq!(
        out(&mut s, "kubectl apply -f svc.yaml"),
        "service/nginx-headless unchanged\n"
    );
    assert_eq!(
        out(&mut s, "kubectl apply -f sts.yaml"),
        "statefulset.apps/nginx-with-init-container configured\n"
    );
    // Without claim templates nothing in the manifest differs from the live object. (Nor
    // mounts of the claim: since v1.34 the apiserver refuses a template that mounts an
    // unknown volume.)
    let start = seed.find("  volumeClaimTemplates:").unwrap();
    let plain = seed[..start]
        .replace("nginx-with-init-container", "plain")
        .replace(
            "        volumeMounts:\n        - name: data\n          mountPath: /usr/share/nginx/html\n",
            "",
        );
    s.set_file("plain.yaml", &plain);
    assert_eq!(
        out(&mut s, "kubectl apply -f plain.yaml"),
        "statefulset.apps/plain created\n"
    );
    assert_eq!(
        out(&mut s, "kubectl apply -f plain.yaml"),
        "statefulset.apps/plain unchanged\n"
    );
}
