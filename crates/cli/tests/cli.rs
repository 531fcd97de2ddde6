//! The `stsplay` binary end to end: scripts read real files relative to the working
//! directory, transcripts are deterministic, exit codes follow the first failing line, and
//! `replay` prints the controller's trace for an oracle scenario.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_stsplay"))
}

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stsplay-cli-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("manifests")).unwrap();
    std::fs::write(
        dir.join("manifests/sts.yaml"),
        include_str!("../../../examples/seed/sts.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.join("manifests/service.yaml"),
        include_str!("../../../examples/seed/service.yaml"),
    )
    .unwrap();
    dir
}

#[test]
fn run_reads_real_files_and_stops_at_the_first_failure() {
    let dir = workdir("run");
    std::fs::write(
        dir.join("script.txt"),
        "# a directory of manifests\nkubectl apply -f manifests/\nsim settle\nkubectl get sts\nkubectl get pods web-1\nkubectl get svc\n",
    )
    .unwrap();
    let out = bin()
        .arg("run")
        .arg("script.txt")
        .current_dir(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text.starts_with(
        "# a directory of manifests\n$ kubectl apply -f manifests/\nservice/nginx-headless created\nstatefulset.apps/nginx-with-init-container created\n"
    ));
    assert!(text.contains("$ kubectl get sts\nNAME                        READY   AGE\nnginx-with-init-container   3/3     18s\n"));
    assert!(text.ends_with("$ kubectl get pods web-1\nError from server (NotFound): pods \"web-1\" not found\nhint: this StatefulSet's pods are named nginx-with-init-container-N (e.g. nginx-with-init-container-1)\n"));

    let again = bin()
        .args(["run", "--keep-going", "script.txt"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let again_text = String::from_utf8(again.stdout).unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(again_text.starts_with(&text), "deterministic transcript");
    assert!(again_text.contains("$ kubectl get svc\n"));
}

/// The seed ships as examples/seed/service.yaml and examples/seed/sts.yaml: the CLI's hints
/// name those files, not the browser's virtual svc.yaml.
#[test]
fn seed_hint_names_the_shipped_seed_files() {
    let dir = workdir("seedhint");
    std::fs::write(dir.join("script.txt"), "kubectl get pods\n").unwrap();
    let out = bin()
        .args(["run", "script.txt"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("hint: no StatefulSet exists yet: `kubectl apply -f examples/seed/service.yaml -f examples/seed/sts.yaml` creates the seed\n"),
        "{text}"
    );
    assert!(!text.contains("svc.yaml"));
}

#[test]
fn run_from_stdin() {
    let dir = workdir("stdin");
    let mut child = bin()
        .args(["run", "-"])
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"kubectl config current-context\nkubectl apply -f nope.yaml\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "$ kubectl config current-context\nkind-kind\n$ kubectl apply -f nope.yaml\nerror: the path \"nope.yaml\" does not exist\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn replay_prints_the_trace() {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../sim/testdata/oracle/scenarios/create-with-replicas-0.json"
    );
    let out = bin()
        .args(["replay", "--k8s-version", "1.28", scenario])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let json = std::fs::read_to_string(scenario).unwrap();
    assert_eq!(
        text,
        sim::replay::replay(&json, sim::config::K8sVersion::V1_28).unwrap()
    );
    let bad = bin()
        .args(["replay", "--k8s-version", "1.99", scenario])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// `--feature-gates` (kube's syntax): the cluster starts with the gates; an unknown gate is
/// refused with component-base's `unrecognized feature gate: NAME` inside pflag's message.
#[test]
fn feature_gates_flag_starts_the_cluster_with_the_gates() {
    let dir = workdir("gates");
    std::fs::write(dir.join("gates.txt"), "sim feature-gates\n").unwrap();
    let run = |args: &[&str]| bin().args(args).current_dir(&dir).output().unwrap();
    let out = run(&["run", "gates.txt"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "$ sim feature-gates\nMaxUnavailableStatefulSet=false (beta, default false since v1.35.4)\n"
    );
    for args in [
        &[
            "--feature-gates",
            "MaxUnavailableStatefulSet=true",
            "run",
            "gates.txt",
        ][..],
        &[
            "run",
            "--feature-gates=MaxUnavailableStatefulSet=true",
            "gates.txt",
        ][..],
        &[
            "run",
            "--feature-gates",
            "MaxUnavailableStatefulSet=false",
            "--feature-gates",
            "MaxUnavailableStatefulSet=1",
            "gates.txt",
        ][..],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "$ sim feature-gates\nMaxUnavailableStatefulSet=true (beta, default false since v1.35.4)\n",
            "{args:?}"
        );
    }
    let bad = run(&["run", "--feature-gates", "Foo=true", "gates.txt"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8(bad.stderr).unwrap();
    assert!(
        err.starts_with(
            "stsplay: invalid argument \"Foo=true\" for \"--feature-gates\" flag: unrecognized feature gate: Foo\n"
        ),
        "{err}"
    );
    let bad = run(&["run", "gates.txt", "--feature-gates"]);
    assert_eq!(bad.status.code(), Some(2));
}

// `stsplay export-kind`: the files the script read (a directory too) become here-documents,
// the watch becomes waits, and the result is valid sh (`sh -n`).
#[test]
fn export_kind_writes_a_script_for_kind() {
    let dir = workdir("export");
    std::fs::write(
        dir.join("script.txt"),
        "kubectl apply -f manifests/\nkubectl get pods -l app=nginx -w\nfor i in 0 1; do kubectl exec \"nginx-with-init-container-$i\" -- hostname; done\n",
    )
    .unwrap();
    let out = bin()
        .args(["export-kind", "script.txt"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("#!/bin/sh\n"));
    assert!(
        text.contains("mkdir -p manifests\ncat > manifests/service.yaml <<'STSPLAY_EOF'\n"),
        "{text}"
    );
    assert!(text.contains("\nkubectl apply -f manifests/\n"));
    assert!(
        text.contains(
            "stsplay_wait_ready pod/nginx-with-init-container-2\nkubectl get pods -l app=nginx\n"
        ),
        "{text}"
    );
    std::fs::write(dir.join("out.sh"), &text).unwrap();
    let check = Command::new("sh")
        .arg("-n")
        .arg(dir.join("out.sh"))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

// `stsplay tour NAME --auto` walks the whole tour; without a name it lists the tours.
#[test]
fn tour_walks_in_the_terminal() {
    let list = bin().arg("tour").output().unwrap();
    let text = String::from_utf8(list.stdout).unwrap();
    assert!(text.contains("statefulset-basics"), "{text}");
    let out = bin()
        .args(["tour", "sticky-pod-orchestra", "--auto"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("prediction: the simulation says nginx-with-init-container-0\n"));
    assert!(
        text.ends_with("`sim tour back` steps back, `sim tour stop` leaves it.\n"),
        "{text}"
    );
}

/// `stsplay example ID` runs the example's script on the example's files (README, "The
/// terminal"): its manifests are applied, and the exit code is 0 when no line fails.
#[test]
fn example_runs_its_script_on_its_files() {
    let out = bin()
        .args(["example", "retention-delete"])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains(
            "$ kubectl apply -f web.yaml\nservice/nginx created\nstatefulset.apps/web created\n"
        ),
        "{text}"
    );
    assert!(!text.contains("does not exist"), "{text}");
}
