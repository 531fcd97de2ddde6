//! `kubectl run NAME --image=IMAGE [-i] [-t] [--rm] [--restart=…] [-- COMMAND…]` (kubectl
//! `pkg/cmd/run/run.go`, the `run-pod/v1` generator of `pkg/generate/versioned/run.go`, and
//! `pkg/cmd/attach/attach.go`, v0.35.0).
//!
//! Without `-i`/`--attach` the pod is created and kubectl prints `pod/NAME created`. With
//! `-i` kubectl waits for the pod to be running and ready (`--pod-running-timeout`, 1m), prints
//! attach's two notes on stderr and attaches: an interactive shell (`-i --tty` with the
//! image's default shell or `-- sh`) takes over the console until `exit` (see
//! [`crate::console`]); a command (`-- nslookup web-0.nginx`) prints what it printed (its
//! container log) and returns. With `--rm` the pod is deleted when the attachment ends and
//! kubectl says `pod "NAME" deleted from NS namespace`.

#[allow(unused_imports)]
use super::*;

use k8s_openapi::api::core::v1::{Container, EnvVar, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::attached::Attached;

const RUN_FLAGS: &[Spec] = &[
    v("image", None),
    v("restart", None),
    b("stdin", Some('i')),
    b("tty", Some('t')),
    b("rm", None),
    b("attach", None),
    b("command", None),
    v("env", None),
    v("labels", Some('l')),
    v("port", None),
    v("image-pull-policy", None),
    v("pod-running-timeout", None),
    b("quiet", Some('q')),
    b("leave-stdin-open", None),
    v("annotations", None),
    b("privileged", None),
    v("dry-run", None),
    v("output", Some('o')),
    b("expose", None),
    v("overrides", None),
    b("record", None),
];

/// kubectl's default `--pod-running-timeout`.
const POD_RUNNING_TIMEOUT_MS: sim::time::SimTime = 60_000;

pub(super) fn run_cmd(s: &mut Session, args: &[String], out: &mut Out) {
    let Some(p) = parse_or_fail(args, RUN_FLAGS, "kubectl run", out) else {
        return;
    };
    // `--record` (run.go `Complete`, `createGeneratedObject`: `Recorder.Record` on the pod
    // before it is created).
    let cause = record_flag(&p, "run", out);
    let Some(name) = p.positional.first().cloned() else {
        out.fail("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
        return;
    };
    let image = p.value("image").unwrap_or_default().to_string();
    if image.is_empty() {
        out.fail("error: --image is required");
        return;
    }
    let interactive = p.bool("stdin");
    let tty = p.bool("tty");
    if tty && !interactive {
        out.fail("error: -i/--stdin is required for containers with -t/--tty=true\nSee 'kubectl run -h' for help and examples");
        return;
    }
    for unsupported in ["overrides", "expose", "dry-run", "output"] {
        if p.has(unsupported) {
            out.fail(format!(
                "error: `kubectl run --{unsupported}` is a real kubectl flag that this playground does not simulate"
            ));
            return;
        }
    }
    let restart = match p.value("restart") {
        None | Some("") => {
            if interactive {
                "OnFailure"
            } else {
                "Always"
            }
        }
        Some(r @ ("Always" | "OnFailure" | "Never")) => r,
        Some(other) => {
            out.fail(format!(
                "error: invalid restart policy: {other}\nSee 'kubectl run -h' for help and examples"
            ));
            return;
        }
    };
    // `--attach` defaults to true with `-i` (run.go `Complete`).
    let attach = if p.has("attach") {
        p.bool("attach")
    } else {
        interactive
    };
    let rm = p.bool("rm");
    if rm && !attach {
        out.fail("error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples");
        return;
    }
    let ns = namespace(&p);
    let argv: Vec<String> = p
        .positional
        .iter()
        .skip(1)
        .cloned()
        .chain(p.after_dash.clone().unwrap_or_default())
        .collect();
    let mut pod = build_pod(&p, &name, &image, restart, interactive, tty, &argv);
    if let Some(c) = cause {
        pod.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(CHANGE_CAUSE.into(), c);
    }
    match s
        .cluster
        .apply(Command::Create(AnyObject::Pod(Box::new(pod))))
    {
        Ok(_) => {}
        Err(e) => {
            // `createGeneratedObject` (kubectl `pkg/cmd/run/run.go`, v0.35.0) returns the
            // API error as it is: `Error from server (AlreadyExists): pods "x" already exists`.
            out.fail(sim_error_line(&e, None));
            return;
        }
    }
    if !attach {
        out.outln(format!("pod/{name} created"));
        return;
    }
    // Wait for the pod to run and be ready (`handleAttachPod` → `podRunningAndReady`).
    let start = s.cluster.now();
    let mut steps = 0usize;
    let ready = loop {
        match pod_state(s, &ns, &name) {
            PodState::Ready => break true,
            PodState::Gone | PodState::Completed => break false,
            PodState::Waiting => {}
        }
        let Some(next) = s.cluster.next_event_time() else {
            break false;
        };
        if steps >= MAX_WATCH_STEPS || next.saturating_sub(start) > POD_RUNNING_TIMEOUT_MS {
            break false;
        }
        if s.cluster.step().is_none() {
            break false;
        }
        steps += 1;
    };
    let quiet = p.bool("quiet");
    let attached = Attached {
        ns: ns.clone(),
        pod: name.clone(),
        container: name.clone(),
        rm,
        prompt: prompt_for(&image, &argv, &name),
    };
    if !ready {
        if rm {
            detach(s, &attached, 0, false, out);
        }
        out.fail("error: timed out waiting for the condition");
        out.hint(format!(
            "the pod did not become ready within kubectl's --pod-running-timeout (1m): `kubectl describe pod {name}` or `sim why pod/{name}` says why"
        ));
        return;
    }
    if !quiet {
        out.err("All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.");
        out.err("If you don't see a command prompt, try pressing enter.");
    }
    if is_interactive_shell(&image, &argv) {
        // The console now types into the container's shell.
        s.attached = Some(attached);
        return;
    }
    // A command: attach shows what it printed; kubectl then waits for it to finish.
    match s.cluster.logs(&ns, &name, Some(&name)) {
        Ok(text) => out.out(text),
        Err(e) => out.err(format!("warning: couldn't fetch pre-attach logs: {e}")),
    }
    if rm {
        detach(s, &attached, 0, true, out);
    } else {
        out.hint(format!(
            "on a real cluster pod {name} would now be Completed once its command ends; stsplay's kubelet keeps restarting finished containers"
        ));
    }
}

/// What `handleAttachPod` waits for.
enum PodState {
    Waiting,
    Ready,
    Completed,
    Gone,
}

fn pod_state(s: &Session, ns: &str, name: &str) -> PodState {
    let Some(pod) = s.cluster.store().get::<Pod>(ns, name) else {
        return PodState::Gone;
    };
    let status = pod.status.as_ref();
    match status.and_then(|st| st.phase.as_deref()) {
        Some("Succeeded" | "Failed") => PodState::Completed,
        Some("Running") => {
            let ready = status
                .and_then(|st| st.conditions.as_ref())
                .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
            if ready {
                PodState::Ready
            } else {
                PodState::Waiting
            }
        }
        _ => PodState::Waiting,
    }
}

/// Images whose default command is a shell (busybox and alpine: `sh`; the distribution images:
/// `bash`/`sh`).
fn default_cmd_is_shell(image: &str) -> bool {
    let last = image.rsplit('/').next().unwrap_or(image);
    let repo = last.split([':', '@']).next().unwrap_or(last);
    matches!(
        repo,
        "busybox"
            | "alpine"
            | "ubuntu"
            | "debian"
            | "fedora"
            | "centos"
            | "rockylinux"
            | "almalinux"
    )
}

fn is_shell(word: &str) -> bool {
    let base = word.rsplit('/').next().unwrap_or(word);
    matches!(base, "sh" | "bash" | "ash" | "dash")
}

/// An interactive shell: no command and an image whose default command is a shell, or a bare
/// shell (`-- sh`, `-- /bin/bash -l`) without `-c`.
fn is_interactive_shell(image: &str, argv: &[String]) -> bool {
    match argv.first() {
        None => default_cmd_is_shell(image),
        Some(first) => is_shell(first) && !argv.iter().any(|a| a == "-c"),
    }
}

/// The prompt a root shell shows in `/`: busybox/alpine ash `/ # `, bash `root@HOST:/# `.
fn prompt_for(image: &str, argv: &[String], host: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let repo = last.split([':', '@']).next().unwrap_or(last);
    let bash = match argv.first() {
        Some(first) => first.rsplit('/').next() == Some("bash"),
        None => !matches!(repo, "busybox" | "alpine"),
    };
    if bash {
        format!("root@{host}:/# ")
    } else {
        "/ # ".to_string()
    }
}

/// The pod the `run-pod/v1` generator builds (`BasicPod.Generate`): label `run=NAME` unless
/// `--labels`, one container named NAME, `stdin`/`stdinOnce`/`tty` from the flags, dnsPolicy
/// ClusterFirst, the restart policy; the arguments are the container's `args`, or its
/// `command` with `--command`.
fn build_pod(
    p: &flags::Parsed,
    name: &str,
    image: &str,
    restart: &str,
    stdin: bool,
    tty: bool,
    argv: &[String],
) -> Pod {
    let mut labels = BTreeMap::new();
    match p.value("labels") {
        Some(l) if !l.is_empty() => {
            for kv in l.split(',') {
                if let Some((k, v)) = kv.split_once('=') {
                    labels.insert(k.to_string(), v.to_string());
                }
            }
        }
        _ => {
            labels.insert("run".to_string(), name.to_string());
        }
    }
    let env: Vec<EnvVar> = p
        .values("env")
        .iter()
        .filter_map(|e| e.split_once('='))
        .map(|(k, v)| EnvVar {
            name: k.to_string(),
            value: Some(v.to_string()),
            ..Default::default()
        })
        .collect();
    let (command, args) = if argv.is_empty() {
        (None, None)
    } else if p.bool("command") {
        (Some(argv.to_vec()), None)
    } else {
        (None, Some(argv.to_vec()))
    };
    let leave_open = p.bool("leave-stdin-open");
    let container = Container {
        name: name.to_string(),
        image: Some(image.to_string()),
        stdin: stdin.then_some(true),
        stdin_once: (stdin && !leave_open).then_some(true),
        tty: tty.then_some(true),
        command,
        args,
        env: (!env.is_empty()).then_some(env),
        image_pull_policy: p.value("image-pull-policy").map(str::to_string),
        ..Default::default()
    };
    Pod {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(namespace(p)),
            labels: Some(labels),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers: vec![container],
            dns_policy: Some("ClusterFirst".into()),
            restart_policy: Some(restart.to_string()),
            ..Default::default()
        }),
        status: None,
    }
}

/// The shell exited with `code`: kubectl `run` returns; with `--rm` its deferred cleanup
/// deletes the pod and prints `pod "NAME" deleted from NS namespace` (kubectl `pkg/cmd/run`
/// `removeCreatedObjects`, `DeleteOptions.PrintObj`); a non-zero exit ends kubectl with that
/// code and no message (`uexec.CodeExitError`, `cmdutil.CheckErr`). When the command `ended`
/// with restartPolicy Never (or OnFailure and exit 0) kubectl first waited for the pod to
/// complete, and the apiserver deletes a completed pod at once (kubernetes
/// `pkg/registry/core/pod/strategy.go` `CheckGracefulDelete`); stsplay's kubelet does not
/// complete containers, so that deletion is sent with grace 0.
pub(crate) fn detach(s: &mut Session, a: &Attached, code: i32, ended: bool, out: &mut Out) {
    if a.rm {
        let policy = s
            .cluster
            .store()
            .get::<Pod>(&a.ns, &a.pod)
            .and_then(|p| p.spec.as_ref())
            .and_then(|p| p.restart_policy.clone());
        let completed = ended
            && match policy.as_deref() {
                Some("Never") => true,
                Some("OnFailure") => code == 0,
                _ => false,
            };
        match s.cluster.apply(Command::Delete {
            resource: "pods".into(),
            ns: a.ns.clone(),
            name: a.pod.clone(),
            grace_seconds: completed.then_some(0),
            propagation: Propagation::Background,
        }) {
            Ok(_) => out.outln(format!("pod \"{}\" deleted from {} namespace", a.pod, a.ns)),
            Err(e) => out.err(crate::verbs::sim_error_line(&e, None)),
        }
    } else {
        out.hint(format!(
            "the shell ended; on a real cluster pod {} would now be Completed, stsplay keeps its container running",
            a.pod
        ));
    }
    if code != 0 {
        out.failed = true;
    }
}

#[cfg(test)]
mod tests {
    use crate::Session;

    #[test]
    fn busybox_shell_attaches_answers_nslookup_and_rm_deletes() {
        let mut s = Session::new();
        s.run_line("kubectl apply -f svc.yaml -f sts.yaml");
        s.run_line("sim settle");
        let o =
            s.run_line("kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm");
        assert!(o.ok, "{}", o.combined);
        assert_eq!(o.prompt, "/ # ");
        assert_eq!(
            o.stderr,
            "All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n"
        );
        assert_eq!(s.attached_to(), Some(("default", "dns-test")));
        let o = s.run_line("nslookup nginx-with-init-container-0.nginx-headless");
        assert!(o.ok, "{}", o.combined);
        let ip = {
            let pod = s
                .cluster()
                .store()
                .get::<k8s_openapi::api::core::v1::Pod>("default", "nginx-with-init-container-0")
                .unwrap();
            pod.status.as_ref().unwrap().pod_ip.clone().unwrap()
        };
        assert_eq!(
            o.stdout,
            format!(
                "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      nginx-with-init-container-0.nginx-headless\nAddress 1: {ip} nginx-with-init-container-0.nginx-headless.default.svc.cluster.local\n"
            )
        );
        let o = s.run_line("nslookup nope.nginx-headless");
        assert!(!o.ok);
        assert!(
            o.stdout
                .ends_with("nslookup: can't resolve 'nope.nginx-headless'\n"),
            "{}",
            o.stdout
        );
        let o = s.run_line("exit");
        assert!(o.ok, "{}", o.combined);
        assert_eq!(
            o.stdout,
            "pod \"dns-test\" deleted from default namespace\n"
        );
        assert_eq!(o.prompt, "$ ");
        assert_eq!(s.attached_to(), None);
        assert_eq!(s.command_log().last().map(String::as_str), Some("exit"));
        // The shell ended, so the pod had completed (restartPolicy Never) and the apiserver
        // removed it at once (`pkg/registry/core/pod/strategy.go` `CheckGracefulDelete`):
        // no 30-second Terminating dns-test.
        let o = s.run_line("kubectl get pod dns-test");
        assert_eq!(
            o.stderr,
            "Error from server (NotFound): pods \"dns-test\" not found\n"
        );
    }

    #[test]
    fn run_without_attach_creates_and_errors_read_like_kubectl() {
        let mut s = Session::new();
        let o = s.run_line("kubectl run web --image=nginx:1.26.0");
        assert_eq!(o.stdout, "pod/web created\n");
        let o = s.run_line("kubectl run x --image=busybox --rm");
        assert_eq!(
            o.stderr,
            "error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples\n"
        );
        let o = s.run_line("kubectl run x");
        assert_eq!(o.stderr, "error: --image is required\n");
        let o = s.run_line("kubectl run --image=busybox");
        assert!(o.stderr.starts_with("error: NAME is required for run"));
        let o = s.run_line("kubectl run x --image=busybox -t");
        assert!(o.stderr.starts_with("error: -i/--stdin is required"));
    }

    #[test]
    fn run_a_command_prints_its_output_and_cleans_up() {
        let mut s = Session::new();
        let o = s.run_line(
            "kubectl run -i --rm --restart=Never once --image=busybox:1.36 -- sh -c 'echo hello'",
        );
        assert!(o.ok, "{}", o.combined);
        assert_eq!(
            o.stdout,
            "hello\npod \"once\" deleted from default namespace\n"
        );
        assert_eq!(s.prompt(), "$ ");
        assert!(
            s.run_line("kubectl get pod once")
                .stderr
                .contains("NotFound")
        );
        // `-i` alone means OnFailure (run.go `getRestartPolicy`): exit 0 completes the pod.
        s.run_line("kubectl run -i --rm onfail --image=busybox:1.36 -- sh -c 'echo hi'");
        assert!(
            s.run_line("kubectl get pod onfail")
                .stderr
                .contains("NotFound")
        );
        // With restartPolicy Always the container restarts, kubectl does not wait for it:
        // the pod is deleted gracefully.
        s.run_line(
            "kubectl run -i --rm --restart=Always always --image=busybox:1.36 -- sh -c 'echo hi'",
        );
        let o = s.run_line("kubectl get pod always");
        assert!(o.stdout.contains("Terminating"), "{}", o.combined);
    }
}
