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
