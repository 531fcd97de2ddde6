#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The seed StatefulSet + headless Service through the whole runtime: ordered creation, claims
//! before pods, the pod STATUS sequence, the init container's file on the claim, identity
//! across deletion, faults and history.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Service};
use sim::object::AnyObject;
use sim::podstatus::pod_status_text;
use sim::store::Verb;
use sim::{Cluster, ClusterConfig, Command, Fault, Propagation};

pub fn seed_sts(replicas: i32) -> StatefulSet {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "nginx-with-init-container", "namespace": "default"},
        "spec": {
            "serviceName": "nginx-headless",
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
                "metadata": {"labels": {"app": "nginx"}},
                "spec": {
                    "initContainers": [{
                        "name": "populate-default-html",
                        "image": "nginx:1.26.0",
                        "command": ["bash", "-c", "set -ex\necho \"Hello from pod $(hostname)\" > /usr/share/nginx/html/index.html\n"],
                        "volumeMounts": [{"name": "data", "mountPath": "/usr/share/nginx/html"}]
                    }],
                    "containers": [{
                        "name": "nginx",
                        "image": "nginx:1.26.0",
                        "ports": [{"containerPort": 80}],
                        "volumeMounts": [{"name": "data", "mountPath": "/usr/share/nginx/html"}]
                    }]
                }
            },
            "volumeClaimTemplates": [{
                "metadata": {"name": "data"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "storageClassName": "standard",
                    "resources": {"requests": {"storage": "100Mi"}}
                }
            }]
        }
    }))
    .unwrap()
}

pub fn seed_svc() -> Service {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "nginx-headless", "namespace": "default"},
        "spec": {"clusterIP": "None", "selector": {"app": "nginx"}, "ports": [{"port": 80}]}
    }))
    .unwrap()
}

fn seeded() -> Cluster {
    let mut c = Cluster::new(ClusterConfig::default());
    c.apply(Command::Apply(AnyObject::Service(Box::new(seed_svc()))))
        .unwrap();
    c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(seed_sts(
        3,
    )))))
    .unwrap();
    c
}

fn pod<'a>(c: &'a Cluster, n: &str) -> Option<&'a Pod> {
    c.store().get::<Pod>("default", n)
}

#[test]
fn fresh_cluster_is_kind() {
    let c = Cluster::new(ClusterConfig::default());
    let nodes: Vec<_> = c.store().nodes.keys().map(|k| k.1.clone()).collect();
    assert_eq!(nodes, vec!["kind-control-plane"]);
    assert!(
        c.store()
            .storageclasses
            .contains_key(&(String::new(), "standard".into()))
    );
    assert!(!c.pending());
    let c3 = Cluster::new(ClusterConfig {
        nodes: 3,
        ..Default::default()
    });
    let nodes: Vec<_> = c3.store().nodes.keys().map(|k| k.1.clone()).collect();
    assert_eq!(
        nodes,
        vec!["kind-control-plane", "kind-worker", "kind-worker2"]
    );
}

#[test]
fn seed_flow_ordered_claims_first_states_and_file() {
    let mut c = seeded();
    // Right after apply: claim 0 and pod 0 only, claim created before pod.
    assert!(
        c.store()
            .get::<PersistentVolumeClaim>("default", "data-nginx-with-init-container-0")
            .is_some()
    );
    assert!(pod(&c, "nginx-with-init-container-0").is_some());
    assert!(pod(&c, "nginx-with-init-container-1").is_none());

    let mut statuses: Vec<(String, String)> = Vec::new();
    let mut creations: Vec<(String, String)> = Vec::new();
    let mut steps = 0;
    while let Some(r) = c.step() {
        steps += 1;
        assert!(steps < 10_000, "does not settle");
        for w in &r.writes {
            if w.verb == Verb::Create
                && (w.resource == "pods" || w.resource == "persistentvolumeclaims")
            {
                creations.push((w.resource.to_string(), w.name.clone()));
            }
            if w.resource == "pods"
                && let Some(p) = pod(&c, &w.name)
            {
                let s = pod_status_text(p);
                if statuses.last().is_none_or(|l| l.0 != w.name || l.1 != s) {
                    statuses.push((w.name.clone(), s));
                }
            }
        }
    }
    // Pods 1 and 2, each claim before its pod, in ordinal order.
    assert_eq!(
        creations,
        vec![
            (
                "persistentvolumeclaims".into(),
                "data-nginx-with-init-container-1".into()
            ),
            ("pods".into(), "nginx-with-init-container-1".into()),
            (
                "persistentvolumeclaims".into(),
                "data-nginx-with-init-container-2".into()
            ),
            ("pods".into(), "nginx-with-init-container-2".into()),
        ]
    );
    for i in 0..3 {
        let name = format!("nginx-with-init-container-{i}");
        let seq: Vec<&str> = statuses
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, s)| s.as_str())
            .collect();
        let dedup: Vec<&str> = seq.iter().fold(Vec::new(), |mut v: Vec<&str>, s| {
            if v.last() != Some(s) {
                v.push(s);
            }
            v
        });
        let want: Vec<&str> = vec!["Pending", "Init:0/1", "PodInitializing", "Running"];
        assert_eq!(dedup, want, "{name}: {seq:?}");
        let p = pod(&c, &name).unwrap();
        assert_eq!(sim::podstatus::pod_ready_text(p), "1/1");
        assert_eq!(
            c.read_file("default", &name, "/usr/share/nginx/html/index.html")
                .unwrap(),
            format!("Hello from pod {name}\n")
        );
        let log = c
            .logs("default", &name, Some("populate-default-html"))
            .unwrap();
        assert_eq!(
            log,
            format!("++ hostname\n+ echo 'Hello from pod {name}'\n")
        );
        let claim = c
            .store()
            .get::<PersistentVolumeClaim>("default", &format!("data-{name}"))
            .unwrap();
        assert_eq!(
            claim.status.as_ref().unwrap().phase.as_deref(),
            Some("Bound")
        );
    }
    let set = c
        .store()
        .get::<StatefulSet>("default", "nginx-with-init-container")
        .unwrap();
    assert_eq!(set.status.as_ref().unwrap().ready_replicas, Some(3));
    // DNS of the headless service.
    let r = c.resolve("default", "nginx-with-init-container-0.nginx-headless");
    assert_eq!(r.len(), 1);
    assert_eq!(
        r[0].0,
        "nginx-with-init-container-0.nginx-headless.default.svc.cluster.local"
    );
    // The first pod pulled, later ones found the image cached (1.35 message).
    let evs = sim::events::for_object(c.store(), "Pod", "default", "nginx-with-init-container-1");
    let msgs: Vec<String> = evs
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e.reason.clone().unwrap_or_default(),
                e.message.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        msgs,
        vec![
            "Scheduled Successfully assigned default/nginx-with-init-container-1 to kind-control-plane".to_string(),
            "Pulled Container image \"nginx:1.26.0\" already present on machine and can be accessed by the pod".into(),
            "Created Container created".into(),
            "Started Container started".into(),
            "Pulled Container image \"nginx:1.26.0\" already present on machine and can be accessed by the pod".into(),
            "Created Container created".into(),
            "Started Container started".into(),
        ]
    );
    let fps: Vec<String> = evs
        .iter()
        .filter_map(|e| e.involved_object.field_path.clone())
        .collect();
    assert_eq!(fps[0], "spec.initContainers{populate-default-html}");
    assert_eq!(fps[3], "spec.containers{nginx}");
}

#[test]
fn deleting_a_pod_keeps_identity_and_data() {
    let mut c = seeded();
    assert!(c.settle(10_000).settled);
    let claim_before = c
        .store()
        .get::<PersistentVolumeClaim>("default", "data-nginx-with-init-container-1")
        .unwrap()
        .clone();
    c.apply(Command::Delete {
        resource: "pods".into(),
        ns: "default".into(),
        name: "nginx-with-init-container-1".into(),
        grace_seconds: None,
        propagation: Propagation::Background,
    })
    .unwrap();
    assert_eq!(
        pod_status_text(pod(&c, "nginx-with-init-container-1").unwrap()),
        "Terminating"
    );
    assert!(c.settle(10_000).settled);
    let p = pod(&c, "nginx-with-init-container-1").unwrap();
    assert_eq!(pod_status_text(p), "Running");
    let claim_after = c
        .store()
        .get::<PersistentVolumeClaim>("default", "data-nginx-with-init-container-1")
        .unwrap();
    assert_eq!(claim_before.metadata.uid, claim_after.metadata.uid);
    assert_eq!(
        claim_before.spec.as_ref().unwrap().volume_name,
        claim_after.spec.as_ref().unwrap().volume_name
    );
}

#[test]
fn deleting_a_claim_in_use_waits_then_data_is_lost_with_the_pod() {
    let mut c = seeded();
    c.settle(10_000);
    let old = c
        .store()
        .get::<PersistentVolumeClaim>("default", "data-nginx-with-init-container-1")
        .unwrap()
        .clone();
    c.apply(Command::Delete {
        resource: "pvc".into(),
        ns: "default".into(),
        name: "data-nginx-with-init-container-1".into(),
        grace_seconds: None,
        propagation: Propagation::Background,
    })
    .unwrap();
    c.settle(10_000);
    let t = c
        .store()
        .get::<PersistentVolumeClaim>("default", "data-nginx-with-init-container-1")
        .unwrap();
    assert!(
        t.metadata.deletion_timestamp.is_some(),
        "stays Terminating while used"
    );
    assert!(
        c.why("pvc", "default", "data-nginx-with-init-container-1")[0].contains("pvc-protection")
    );
    c.apply(Command::Delete {
        resource: "pods".into(),
        ns: "default".into(),
        name: "nginx-with-init-container-1".into(),
        grace_seconds: None,
        propagation: Propagation::Background,
    })
    .unwrap();
    assert!(c.settle(10_000).settled);
    let new = c
        .store()
        .get::<PersistentVolumeClaim>("default", "data-nginx-with-init-container-1")
        .unwrap();
    assert_ne!(new.metadata.uid, old.metadata.uid);
    assert_ne!(
        new.spec.as_ref().unwrap().volume_name,
        old.spec.as_ref().unwrap().volume_name
    );
    let old_pv = old.spec.as_ref().unwrap().volume_name.clone().unwrap();
    assert!(
        c.store()
            .get::<k8s_openapi::api::core::v1::PersistentVolume>("", &old_pv)
            .is_none(),
        "reclaimed"
    );
    assert_eq!(
        pod_status_text(pod(&c, "nginx-with-init-container-1").unwrap()),
        "Running"
    );
}

#[test]
fn why_explains_ordered_ready() {
    let mut c = seeded();
    let w = c.why("pod", "default", "nginx-with-init-container-1");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("nginx-with-init-container-1 is not created yet: OrderedReady waits for nginx-with-init-container-0 to be Running and Ready (it is "),
        "{w:?}"
    );
    // Step until pod 0 is initializing.
    while let Some(r) = c.step() {
        if r.description.contains("pulling image") {
            break;
        }
    }
    assert_eq!(
        pod(&c, "nginx-with-init-container-0")
            .map(pod_status_text)
            .as_deref(),
        Some("Init:0/1")
    );
    let w = c.why("pod", "default", "nginx-with-init-container-1");
    assert_eq!(
        w,
        vec!["nginx-with-init-container-1 is not created yet: OrderedReady waits for nginx-with-init-container-0 to be Running and Ready (it is Init:0/1)".to_string()]
    );
    let w0 = c.why("pod", "default", "nginx-with-init-container-0");
    assert!(w0[0].contains("pulling image \"nginx:1.26.0\""), "{w0:?}");
}

#[test]
fn crash_unready_image_missing_and_node_down() {
    let mut c = seeded();
    c.settle(10_000);
    c.apply(Command::Fault(Fault::PodCrash(
        "nginx-with-init-container-2".into(),
    )))
    .unwrap();
    let p = pod(&c, "nginx-with-init-container-2").unwrap();
    assert_eq!(pod_status_text(p), "Error");
    c.settle(10_000);
    let p = pod(&c, "nginx-with-init-container-2").unwrap();
    assert_eq!(pod_status_text(p), "Running");
    assert!(sim::podstatus::restarts_text(p, c.now()).starts_with("1 ("));

    c.apply(Command::Fault(Fault::PodUnready(
        "nginx-with-init-container-0".into(),
    )))
    .unwrap();
    c.settle(10_000);
    let p = pod(&c, "nginx-with-init-container-0").unwrap();
    assert_eq!(sim::podstatus::pod_ready_text(p), "0/1");
    c.apply(Command::Fault(Fault::PodReady(
        "nginx-with-init-container-0".into(),
    )))
    .unwrap();
    c.settle(10_000);
    assert_eq!(
        sim::podstatus::pod_ready_text(pod(&c, "nginx-with-init-container-0").unwrap()),
        "1/1"
    );

    // New image missing: the rolling update's first pod gets stuck in ImagePullBackOff.
    c.apply(Command::Fault(Fault::ImageMissing("nginx:9.9".into())))
        .unwrap();
    let mut s = c
        .store()
        .get::<StatefulSet>("default", "nginx-with-init-container")
        .unwrap()
        .clone();
    s.spec
        .as_mut()
        .unwrap()
        .template
        .spec
        .as_mut()
        .unwrap()
        .containers[0]
        .image = Some("nginx:9.9".into());
    s.metadata.resource_version = None;
    c.apply(Command::Update(AnyObject::StatefulSet(Box::new(s))))
        .unwrap();
    c.settle(300);
    let p = pod(&c, "nginx-with-init-container-2").unwrap();
    let st = pod_status_text(p);
    assert!(st == "ImagePullBackOff" || st == "ErrImagePull", "{st}");
    assert!(
        pod(&c, "nginx-with-init-container-1").is_some_and(|p| pod_status_text(p) == "Running")
    );
    c.apply(Command::Fault(Fault::ImagePresent("nginx:9.9".into())))
        .unwrap();
    assert!(c.settle(10_000).settled);
    for i in 0..3 {
        let p = pod(&c, &format!("nginx-with-init-container-{i}")).unwrap();
        assert_eq!(
            p.spec.as_ref().unwrap().containers[0].image.as_deref(),
            Some("nginx:9.9")
        );
        assert_eq!(pod_status_text(p), "Running");
    }

    // Node down: NotReady after the grace period, evicted pods stay Terminating.
    c.apply(Command::Fault(Fault::NodeDown("kind-control-plane".into())))
        .unwrap();
    c.advance(400_000);
    let p = pod(&c, "nginx-with-init-container-0").unwrap();
    assert_eq!(pod_status_text(p), "Terminating");
    assert!(c.why("pod", "default", "nginx-with-init-container-0")[0].contains("is down"));
    c.apply(Command::Fault(Fault::NodeUp("kind-control-plane".into())))
        .unwrap();
    assert!(c.settle(10_000).settled);
    assert_eq!(
        pod_status_text(pod(&c, "nginx-with-init-container-0").unwrap()),
        "Running"
    );
}

#[test]
fn back_restores_the_exact_earlier_state() {
    let mut c = seeded();
    let mut snapshots = vec![(c.store().clone(), c.now())];
    for _ in 0..100 {
        let before = c.history_len();
        let r = c.step();
        if c.history_len() > before {
            snapshots.push((c.store().clone(), c.now()));
        }
        if r.is_none() {
            break;
        }
    }
    let n = snapshots.len() - 1;
    for back in [1usize, 7, 33, 50] {
        if back > n {
            continue;
        }
        let mut d = c.clone();
        d.back(back).unwrap();
        let (s, t) = &snapshots[n - back];
        assert_eq!(d.now(), *t);
        assert!(d.store() == s, "store differs going back {back}");
    }
    // And going back then forward again gives the same result (determinism).
    let mut d = c.clone();
    d.back(10).unwrap();
    for _ in 0..10 {
        d.step();
    }
    assert!(d.store() == c.store());
    assert!(c.back(100_000).is_err());
}

#[test]
fn same_input_same_output() {
    let mut a = seeded();
    let mut b = seeded();
    a.settle(10_000);
    b.settle(10_000);
    assert!(a.store() == b.store());
    assert_eq!(a.now(), b.now());
}

#[test]
fn missing_storage_class_leaves_claim_pending_with_event() {
    let mut c = Cluster::default();
    let mut s = seed_sts(1);
    s.spec
        .as_mut()
        .unwrap()
        .volume_claim_templates
        .as_mut()
        .unwrap()[0]
        .spec
        .as_mut()
        .unwrap()
        .storage_class_name = Some("fast".into());
    c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(s))))
        .unwrap();
    c.settle(1000);
    let claim = c
        .store()
        .get::<PersistentVolumeClaim>("default", "data-nginx-with-init-container-0")
        .unwrap();
    assert_eq!(
        claim.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Pending")
    );
    let evs = sim::events::for_object(
        c.store(),
        "PersistentVolumeClaim",
        "default",
        "data-nginx-with-init-container-0",
    );
    assert!(evs.iter().any(|e| e.message.as_deref() == Some("storageclass.storage.k8s.io \"fast\" not found")));
    let w = c.why("pvc", "default", "data-nginx-with-init-container-0");
    assert!(w[0].contains("\"fast\" not found"), "{w:?}");
    assert_eq!(
        pod_status_text(pod(&c, "nginx-with-init-container-0").unwrap()),
        "Pending"
    );
}

#[test]
fn exec_and_multi_node_spread() {
    let mut c = Cluster::new(ClusterConfig {
        nodes: 3,
        ..Default::default()
    });
    c.apply(Command::Apply(AnyObject::Service(Box::new(seed_svc()))))
        .unwrap();
    c.apply(Command::Apply(AnyObject::StatefulSet(Box::new(seed_sts(
        3,
    )))))
    .unwrap();
    assert!(c.settle(10_000).settled);
    let nodes: Vec<String> = (0..3)
        .map(|i| {
            pod(&c, &format!("nginx-with-init-container-{i}"))
                .unwrap()
                .spec
                .as_ref()
                .unwrap()
                .node_name
                .clone()
                .unwrap()
        })
        .collect();
    assert!(
        !nodes.contains(&"kind-control-plane".to_string()),
        "control plane is tainted: {nodes:?}"
    );
    let out = c
        .exec(
            "default",
            "nginx-with-init-container-0",
            None,
            &["cat".into(), "/usr/share/nginx/html/index.html".into()],
        )
        .unwrap();
    assert_eq!(out.stdout, "Hello from pod nginx-with-init-container-0\n");
    let out = c
        .exec(
            "default",
            "nginx-with-init-container-0",
            None,
            &["hostname".into()],
        )
        .unwrap();
    assert_eq!(out.stdout, "nginx-with-init-container-0\n");
    let out = c
        .exec(
            "default",
            "nginx-with-init-container-0",
            None,
            &["python3".into(), "x".into()],
        )
        .unwrap();
    assert!(out.unsupported.is_some());
    // curl is simulated (the nginx image ships it): an unknown host is curl's exit 6.
    let out = c
        .exec(
            "default",
            "nginx-with-init-container-0",
            None,
            &["curl".into(), "x".into()],
        )
        .unwrap();
    assert!(out.unsupported.is_none());
    // Without -s the progress meter (header + a zero line) comes first on stderr (libcurl
    // lib/progress.c), then the error.
    assert!(out.stderr.starts_with("  % Total    % Received % Xferd"));
    assert!(out.stderr.ends_with(
        "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\ncurl: (6) Could not resolve host: x\n"
    ));
    assert_eq!(out.exit_code, 6);
    // Node of pod 0 down: after eviction its replacement cannot be scheduled elsewhere (local PV).
    let n0 = nodes[0].clone();
    c.apply(Command::Fault(Fault::NodeDown(n0.clone())))
        .unwrap();
    c.advance(400_000);
    c.apply(Command::Delete {
        resource: "pods".into(),
        ns: "default".into(),
        name: "nginx-with-init-container-0".into(),
        grace_seconds: Some(0),
        propagation: Propagation::Background,
    })
    .unwrap();
    c.settle(1000);
    let p = pod(&c, "nginx-with-init-container-0").unwrap();
    assert_eq!(pod_status_text(p), "Pending");
    let w = c.why("pod", "default", "nginx-with-init-container-0");
    assert!(
        w[0].contains("untolerated taint {node.kubernetes.io/unreachable: }"),
        "{w:?}"
    );
    // VolumeBinding's PreFilter narrows to the PV's node (`GetEligibleNodes`).
    assert!(
        w[0].contains("node(s) didn't satisfy plugin(s) [VolumeBinding]"),
        "{w:?}"
    );
}

#[test]
fn reapply_is_unchanged_and_keeps_server_fields() {
    use sim::Outcome;
    let mut c = seeded();
    c.settle(10_000);
    let a = c
        .apply(Command::Apply(AnyObject::Service(Box::new(seed_svc()))))
        .unwrap();
    assert_eq!(a.outcome, Outcome::Unchanged);
    let a = c
        .apply(Command::Apply(AnyObject::StatefulSet(Box::new(seed_sts(
            3,
        )))))
        .unwrap();
    assert_eq!(a.outcome, Outcome::Unchanged);
    let a = c
        .apply(Command::Apply(AnyObject::StatefulSet(Box::new(seed_sts(
            4,
        )))))
        .unwrap();
    assert_eq!(a.outcome, Outcome::Configured);
    // A ClusterIP Service gets an address, which a re-apply keeps.
    let mut svc = seed_svc();
    svc.metadata.name = Some("web".into());
    svc.spec.as_mut().unwrap().cluster_ip = None;
    let a = c
        .apply(Command::Apply(AnyObject::Service(Box::new(svc.clone()))))
        .unwrap();
    assert_eq!(a.outcome, Outcome::Created);
    let ip = c
        .store()
        .get::<Service>("default", "web")
        .unwrap()
        .spec
        .as_ref()
        .unwrap()
        .cluster_ip
        .clone()
        .unwrap();
    assert!(ip.starts_with("10.96."), "{ip}");
    let a = c
        .apply(Command::Apply(AnyObject::Service(Box::new(svc))))
        .unwrap();
    assert_eq!(a.outcome, Outcome::Unchanged);
    assert_eq!(
        c.store()
            .get::<Service>("default", "web")
            .unwrap()
            .spec
            .as_ref()
            .unwrap()
            .cluster_ip
            .as_deref(),
        Some(ip.as_str())
    );
}
