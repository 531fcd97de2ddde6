#![allow(clippy::panic)]
//! The kubernetes.io "StatefulSet Basics" tutorial, every command block in order, as a
//! transcript a reader can hold against the tutorial's printed output
//! (https://kubernetes.io/docs/tutorials/stateful-application/basic-stateful-set/; source:
//! kubernetes/website `content/en/docs/tutorials/stateful-application/basic-stateful-set.md`),
//! and the built-in tours walked to the end with every prediction resolved by the simulation.

use kubectl::Session;
use kubectl::tour;

/// The tour as a script: `# step title` then its command lines.
fn script_of(t: &tour::Tour) -> String {
    let mut s = String::new();
    for st in &t.steps {
        s.push_str(&format!("# {}\n", st.title));
        for c in &st.commands {
            s.push_str(c);
            s.push('\n');
        }
    }
    s
}

fn run(script: &str) -> kubectl::Transcript {
    let mut s = Session::new();
    let fs = s.files().clone();
    s.run_script_with(script, &fs, true)
}

/// The block of the transcript from `$ START` (or `/ # START`) up to the next prompt line.
fn block<'a>(text: &'a str, start: &str) -> &'a str {
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in transcript"));
    let rest = text.get(at + start.len()..).unwrap_or("");
    let end = ["\n$ ", "\n/ # ", "\n# "]
        .iter()
        .filter_map(|d| rest.find(d))
        .min()
        .unwrap_or(rest.len());
    rest.get(..end).unwrap_or("")
}

#[test]
fn statefulset_basics_every_command_block() {
    let t = tour::find("statefulset-basics").unwrap();
    let script = script_of(&t);
    let tr = run(&script);
    insta::assert_snapshot!("statefulset_basics", tr.text);
    assert_eq!(run(&script).text, tr.text, "not deterministic");
    let text = &tr.text;

    // The apply by URL, as the tutorial prints it.
    assert!(text.contains(
        "$ kubectl apply -f https://k8s.io/examples/application/web/web.yaml\nservice/nginx created\nstatefulset.apps/web created\n"
    ));
    // Ordered creation: web-1 appears only after web-0 is Running.
    let ordered = block(
        text,
        "# Ordered Pod creation\n$ kubectl get pods --watch -l app=nginx",
    );
    let first_web1 = ordered.find("web-1 ").unwrap();
    let web0_running = ordered.find("web-0   1/1     Running").unwrap();
    assert!(web0_running < first_web1, "{ordered}");
    // Hostnames through the host shell's for loop.
    assert!(text.contains(
        "$ for i in 0 1; do kubectl exec \"web-$i\" -- sh -c 'hostname'; done\nweb-0\nweb-1\n"
    ));
    // busybox 1.28's nslookup, from the cluster's DNS, then --rm's message.
    let ns = block(text, "/ # nslookup web-0.nginx");
    assert!(ns.starts_with("\nServer:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web-0.nginx\nAddress 1: 10.244."), "{ns}");
    assert!(
        ns.ends_with(" web-0.nginx.default.svc.cluster.local"),
        "{ns}"
    );
    assert!(text.contains("/ # exit\npod \"dns-test\" deleted from default namespace\n"));
    // The volumes keep what was written: the curl loop prints the hostnames, every time.
    let curl = "$ for i in 0 1; do kubectl exec -i -t \"web-$i\" -- curl http://localhost/; done\nweb-0\nweb-1\n";
    assert_eq!(text.matches(curl).count(), 4, "{text}");
    // The go-template with variables in range.
    assert!(text.contains("'; echo; done\nregistry.k8s.io/nginx-slim:0.24\nregistry.k8s.io/nginx-slim:0.24\nregistry.k8s.io/nginx-slim:0.24\n"));
    assert!(text.contains("'; echo; done\nregistry.k8s.io/nginx-slim:0.21\nregistry.k8s.io/nginx-slim:0.21\nregistry.k8s.io/nginx-slim:0.21\n"));
    // Claims stay after scale down and after the StatefulSet goes.
    assert!(text.contains("persistentvolumeclaim \"www-web-4\" deleted from default namespace\n"));
    // Only the OnDelete patch fails (as on a real cluster: the merged updateStrategy keeps
    // rollingUpdate) and the exec into pods that do not run yet in the Parallel section has
    // no line: every other line succeeds.
    let failed: Vec<&str> = tr
        .failed_lines
        .iter()
        .filter_map(|n| script.lines().nth(n - 1))
        .collect();
    assert_eq!(
        failed,
        [
            "kubectl patch statefulset web -p '{\"spec\":{\"updateStrategy\":{\"type\":\"OnDelete\"}}}'"
        ],
        "{text}"
    );
}

/// Walk a tour with `sim tour NAME` / `sim tour next` to its end.
fn walk(name: &str) -> String {
    let mut s = Session::new();
    let mut text = String::new();
    let o = s.run_line(&format!("sim tour {name}"));
    assert!(o.ok, "{}", o.combined);
    text.push_str(&o.combined);
    let mut guard = 0;
    while s.tour().is_some_and(|t| !t.finished()) {
        guard += 1;
        assert!(guard < 100);
        let o = s.run_line("sim tour next");
        assert!(o.ok, "{}", o.combined);
        text.push_str(&o.combined);
    }
    text
}

#[test]
fn every_tour_prediction_is_decided_by_the_simulation() {
    for name in tour::BUILT_IN {
        let text = walk(name);
        assert!(
            !text.contains("matches none of the choices"),
            "{name}:\n{text}"
        );
        let asked = tour::find(name)
            .unwrap()
            .steps
            .iter()
            .filter(|s| s.question.is_some())
            .count();
        assert_eq!(
            text.matches("prediction: the simulation says ").count(),
            asked,
            "{name}"
        );
    }
}

#[test]
fn sticky_pod_orchestra_walk() {
    let text = walk("sticky-pod-orchestra");
    insta::assert_snapshot!("sticky_pod_orchestra", text);
    for want in [
        "prediction: the simulation says nginx-with-init-container-0\n",
        "prediction: the simulation says 3\n",
        "prediction: the simulation says 5\n",
        "prediction: the simulation says nginx:1.27\n",
        "prediction: the simulation says kept\n",
        "prediction: the simulation says Terminating\n",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
}
