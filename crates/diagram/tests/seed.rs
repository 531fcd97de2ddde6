//! The seed flow drawn: identity and storage line up by ordinal.

use diagram::{Health, NodeKind, build, layout, to_mermaid, to_svg};
use kubectl::Session;

fn settled_seed() -> Session {
    let mut s = Session::new();
    assert!(s.run_line("kubectl apply -f svc.yaml -f sts.yaml").ok);
    assert!(s.run_line("sim settle").ok);
    s
}

#[test]
fn seed_graph_has_pods_claims_and_volumes_in_rows() {
    let s = settled_seed();
    let g = build(s.cluster().store(), "default");
    let count = |k| g.nodes.iter().filter(|n| n.kind == k).count();
    assert_eq!(count(NodeKind::StatefulSet), 1);
    assert_eq!(count(NodeKind::Service), 1);
    assert_eq!(count(NodeKind::Pod), 3);
    assert_eq!(count(NodeKind::Claim), 3);
    assert_eq!(count(NodeKind::Volume), 3);
    for ord in 0..3u32 {
        let pod = g
            .nodes
            .iter()
            .find(|n| n.label == format!("nginx-with-init-container-{ord}"))
            .unwrap();
        let claim = g
            .nodes
            .iter()
            .find(|n| n.label == format!("data-nginx-with-init-container-{ord}"))
            .unwrap();
        assert_eq!(pod.row, claim.row, "a pod and its claim share a row");
        assert_eq!(pod.health, Health::Good);
        assert!(pod.detail.starts_with("Running 1/1"), "{}", pod.detail);
        assert!(claim.detail.starts_with("Bound"), "{}", claim.detail);
    }
    let m = to_mermaid(&g);
    assert!(m.starts_with("graph LR\n"));
    assert!(m.contains("subgraph \"StatefulSet: nginx-with-init-container (3 replicas)\""));
    assert!(
        m.contains("sts_nginx_with_init_container -->|ordered| pod_nginx_with_init_container_0")
    );
    assert!(m.contains("-->|after 0| pod_nginx_with_init_container_1"));
    let svg = to_svg(&layout(&g));
    assert_eq!(svg.matches("<rect").count(), 11);
}

#[test]
fn a_pod_not_created_yet_is_drawn_as_missing() {
    let mut s = Session::new();
    assert!(s.run_line("kubectl apply -f svc.yaml -f sts.yaml").ok);
    let g = build(s.cluster().store(), "default");
    let p2 = g
        .nodes
        .iter()
        .find(|n| n.label == "nginx-with-init-container-2")
        .unwrap();
    assert_eq!(p2.health, Health::Missing);
    assert_eq!(p2.detail, "not created");
}
