#![allow(clippy::panic, clippy::indexing_slicing)]
//! `sim contrast` and the contrast hints (issue 18), through the gallery example
//! `examples/deployment-vs-statefulset` (its files and script run as a learner would).

use kubectl::Session;

const WEB: &str = include_str!("../../../examples/deployment-vs-statefulset/web.yaml");
const SCRIPT: &str = include_str!("../../../examples/deployment-vs-statefulset/script.txt");

fn run(script: &str) -> kubectl::Transcript {
    let mut s = Session::new();
    s.set_file("web.yaml", WEB);
    let fs = s.files().clone();
    s.run_script_with(script, &fs, false)
}

/// The output of the command line `$ <cmd>` (up to the next `$ ` or `#` line).
fn output_of<'a>(t: &'a str, cmd: &str) -> &'a str {
    let marker = format!("$ {cmd}\n");
    let start = t
        .find(&marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| panic!("no {cmd:?} in\n{t}"));
    let rest = &t[start..];
    let end = [rest.find("\n$ "), rest.find("\n# ")]
        .into_iter()
        .flatten()
        .min()
        .map(|i| i + 1)
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn the_example_script_runs_clean_and_shows_each_difference() {
    let t = run(SCRIPT);
    assert!(t.ok, "failed lines {:?}\n{}", t.failed_lines, t.text);
    insta::assert_snapshot!("contrast_example", t.text);
    assert_eq!(run(SCRIPT).text, t.text, "not deterministic");
    // The directive applies a shared claim and the Deployment.
    assert!(output_of(&t.text, "sim contrast").starts_with(
        "persistentvolumeclaim/www-web-deploy created\ndeployment.apps/web-deploy created\n"
    ));
    // Names: web-1 comes back as itself; the deleted Deployment pod is replaced by a new name.
    let after = output_of(
        &t.text,
        "kubectl exec web-1 -- cat /usr/share/nginx/html/index.html",
    );
    assert_eq!(after, "hello from web-1\nhello from web-1\n");
    let shared = output_of(
        &t.text,
        "kubectl exec web-deploy-5658474b55-h82sz -- cat /usr/share/nginx/html/index.html",
    );
    assert_eq!(shared.lines().count(), 4, "{shared}");
    assert!(shared.contains("hello from web-deploy-5658474b55-j9pr9"));
    // sim why compares the two in our words.
    let why = output_of(&t.text, "sim why");
    for w in ["names: ", "data: ", "scaling: ", "updates: "] {
        assert!(why.contains(w), "{why}");
    }
}

#[test]
fn contrast_needs_a_statefulset_and_names_one_of_several() {
    let t = run("sim contrast");
    assert!(
        t.text
            .contains("sim contrast: no StatefulSet in namespace default"),
        "{}",
        t.text
    );
    let t = run("kubectl apply -f web.yaml\nsim contrast nope");
    assert!(
        t.text
            .contains("sim contrast: no StatefulSet nope in namespace default"),
        "{}",
        t.text
    );
}

#[test]
fn hints_stay_out_when_hints_are_off() {
    let t = run(
        "kubectl apply -f web.yaml\nsim settle\nsim contrast\nsim settle\nsim hints off\nkubectl delete pod web-1",
    );
    let out = output_of(&t.text, "kubectl delete pod web-1");
    assert_eq!(out, "pod \"web-1\" deleted from default namespace\n");
}

/// Node down (issue 18's fourth action): the hint says what each side will do, and the cluster
/// then does it: the StatefulSet's pod on the node is not replaced, the Deployment's are, under
/// new names, and the replacements stay Pending because the shared claim's local volume lives
/// on the node that is down.
#[test]
fn node_down_hint_says_what_each_side_does_and_the_sim_does_it() {
    let mut s = Session::new();
    s.set_file("web.yaml", WEB);
    let fs = s.files().clone();
    let t = s.run_script_with(
        "sim nodes 3\nkubectl apply -f web.yaml\nsim settle\nsim contrast\nsim settle",
        &fs,
        false,
    );
    assert!(t.ok, "{}", t.text);
    // The node the Deployment's pods (and its claim's volume) are on, and a StatefulSet pod there.
    let pods = s.run_line("kubectl get pods -o wide --no-headers").stdout;
    let node_of = |pod_prefix: &str| -> Vec<(String, String)> {
        pods.lines()
            .filter(|l| l.starts_with(pod_prefix))
            .map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                (f[0].to_string(), f[6].to_string())
            })
            .collect()
    };
    let deploy = node_of("web-deploy-");
    assert_eq!(deploy.len(), 3, "{pods}");
    let node = deploy[0].1.clone();
    assert!(
        deploy.iter().all(|(_, n)| *n == node),
        "one claim, one node: {pods}"
    );
    let sts_here: Vec<String> = node_of("web-")
        .into_iter()
        .filter(|(p, n)| !p.starts_with("web-deploy-") && *n == node)
        .map(|(p, _)| p)
        .collect();
    assert!(!sts_here.is_empty(), "no StatefulSet pod on {node}: {pods}");

    let o = s.run_line(&format!("sim fault node {node} down"));
    assert!(o.ok, "{}", o.combined);
    let hint = o
        .combined
        .lines()
        .find(|l| l.starts_with("hint: "))
        .unwrap_or_else(|| panic!("no hint: {}", o.combined));
    for p in &sts_here {
        assert!(hint.contains(&format!("creates no second {p}")), "{hint}");
    }
    for (p, _) in &deploy {
        assert!(hint.contains(p.as_str()), "{hint}");
    }
    assert!(
        hint.contains("they mount www-web-deploy whose local volume lives on"),
        "{hint}"
    );

    // What the hint promised, after `sim advance 6m`.
    assert!(s.run_line("sim advance 6m").ok);
    let after = s.run_line("kubectl get pods -o wide --no-headers").stdout;
    let rows: Vec<Vec<&str>> = after
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let status = |name: &str| rows.iter().find(|r| r[0] == name).map(|r| r[2]);
    for p in &sts_here {
        assert_eq!(status(p), Some("Terminating"), "{after}");
    }
    // No second pod of a StatefulSet name: the names are unique and none is new.
    let sts_pods: Vec<&str> = rows
        .iter()
        .map(|r| r[0])
        .filter(|n| !n.starts_with("web-deploy-"))
        .collect();
    assert_eq!(sts_pods, ["web-0", "web-1", "web-2"], "{after}");
    for (p, _) in &deploy {
        assert_eq!(status(p), Some("Terminating"), "{after}");
    }
    let replacements: Vec<&Vec<&str>> = rows
        .iter()
        .filter(|r| r[0].starts_with("web-deploy-") && !deploy.iter().any(|(p, _)| p == r[0]))
        .collect();
    assert_eq!(replacements.len(), 3, "{after}");
    assert!(replacements.iter().all(|r| r[2] == "Pending"), "{after}");
    let why = s.run_line("sim why").stdout;
    assert!(
        why.contains("didn't satisfy plugin(s) [VolumeBinding]"),
        "{why}"
    );

    // A node with none of the pair's pods: no hint.
    let o = s.run_line("sim fault node kind-control-plane down");
    assert!(!o.combined.contains("hint: "), "{}", o.combined);
}
