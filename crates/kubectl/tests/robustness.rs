//! Any sequence of lines, well-formed or not, runs to an answer: never a panic, and the work
//! each line does is bounded (watches, waits and settles stop at their limits).

use kubectl::Session;
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "kubectl",
    "k",
    "sim",
    "get",
    "describe",
    "delete",
    "apply",
    "create",
    "-f",
    "sts.yaml",
    "svc.yaml",
    "pods",
    "po",
    "sts",
    "pvc",
    "pv",
    "sc",
    "svc",
    "all",
    "events",
    "nodes",
    "-w",
    "-l",
    "app=nginx",
    "|",
    "grep",
    "-A5",
    "-v",
    "Events",
    "head",
    "tail",
    "-n",
    "2",
    "wc",
    "-l",
    "scale",
    "--replicas=5",
    "--replicas=0",
    "set",
    "image",
    "nginx=nginx:1.27",
    "nginx=nginx:nope",
    "rollout",
    "status",
    "undo",
    "history",
    "restart",
    "pause",
    "-o",
    "yaml",
    "json",
    "wide",
    "name",
    "jsonpath={.items[*].metadata.name}",
    "web-1",
    "nginx-with-init-container-1",
    "sts/nginx-with-init-container",
    "nginx-with-init-container",
    "step",
    "settle",
    "advance",
    "5s",
    "back",
    "why",
    "fault",
    "pod",
    "crash",
    "unready",
    "node",
    "down",
    "up",
    "image",
    "missing",
    "kind-control-plane",
    "--force",
    "--grace-period=0",
    "patch",
    "-p",
    "{\"spec\":{\"replicas\":2}}",
    "--type=json",
    "label",
    "x=y",
    "x-",
    "exec",
    "--",
    "hostname",
    "cat",
    "logs",
    "explain",
    "statefulset.spec",
    "'",
    "\"",
    "#",
    "-A",
    "--show-labels",
    "-L",
    "controller-revision-hash",
    "cordon",
    "drain",
    "nodes",
    "3",
    "reset",
    "hints",
    "off",
    "edit",
    "--all",
    "--cascade=orphan",
];

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..9).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]
    #[test]
    fn sessions_never_panic(lines in prop::collection::vec(line(), 1..8)) {
        let mut s = Session::new();
        s.run_line("kubectl apply -f svc.yaml -f sts.yaml");
        for l in &lines {
            let o = s.run_line(l);
            // What a terminal shows contains everything written to either stream.
            prop_assert!(o.combined.len() >= o.stderr.len());
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,120}") {
        let mut s = Session::new();
        let _ = s.run_line(&text);
        let _ = s.run_line(&format!("kubectl {text}"));
        let _ = s.run_line(&format!("sim {text}"));
    }
}
