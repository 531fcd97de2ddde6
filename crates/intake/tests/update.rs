#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! `validate_update` (kubernetes `pkg/apis/apps/validation/validation.go` `ValidateStatefulSetUpdate`,
//! 1.35 wording with 'revisionHistoryLimit') and `validate_pod` (what the controller's pod
//! creation gets back from the apiserver).

use intake::{DocResult, parse, parse_for, validate_pod, validate_update};
use sim::config::K8sVersion;
use sim::object::AnyObject;

const SEED: &str = include_str!("corpus/good/sts.yaml");

fn obj(text: &str) -> AnyObject {
    match parse(text, "f.yaml").remove(0) {
        DocResult::Ok(p) => p.object,
        DocResult::Err(d) => panic!("{}", d.message),
    }
}

const FORBIDDEN: &str = "The StatefulSet \"nginx-with-init-container\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

#[test]
fn mutable_fields_may_change() {
    let old = obj(SEED);
    for (a, b) in [
        ("  replicas: 3", "  replicas: 5"),
        (
            "image: nginx:1.26.0\n        ports",
            "image: nginx:1.27.0\n        ports",
        ),
        (
            "  replicas: 3",
            "  replicas: 3\n  revisionHistoryLimit: 2\n  minReadySeconds: 4\n  updateStrategy:\n    type: OnDelete",
        ),
        (
            "  replicas: 3",
            "  replicas: 3\n  persistentVolumeClaimRetentionPolicy:\n    whenScaled: Delete\n  ordinals:\n    start: 2",
        ),
    ] {
        let new = obj(&SEED.replacen(a, b, 1));
        assert_eq!(validate_update(&old, &new), Ok(()), "{b}");
    }
}

#[test]
fn immutable_fields_are_forbidden_with_the_1_35_text() {
    let old = obj(SEED);
    for (a, b) in [
        ("serviceName: nginx-headless", "serviceName: other"),
        ("storage: 100Mi", "storage: 1Gi"),
        (
            "  replicas: 3",
            "  replicas: 3\n  podManagementPolicy: Parallel",
        ),
    ] {
        let new = obj(&SEED.replacen(a, b, 1));
        let d = validate_update(&old, &new).unwrap_err();
        assert_eq!(d.message, FORBIDDEN, "{b}");
        assert!(d.hint.unwrap().contains("--cascade=orphan"));
    }
}

#[test]
fn update_also_validates_the_new_spec() {
    let old = obj(SEED);
    let mut new = old.clone();
    if let AnyObject::StatefulSet(s) = &mut new {
        s.spec.as_mut().unwrap().replicas = Some(-2);
    }
    let d = validate_update(&old, &new).unwrap_err();
    assert_eq!(
        d.message,
        "The StatefulSet \"nginx-with-init-container\" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0"
    );
}

fn pod(yaml: &str) -> k8s_openapi::api::core::v1::Pod {
    serde_json::from_value(
        serde_json::to_value(serde_yaml::from_str::<serde_json::Value>(yaml).unwrap()).unwrap(),
    )
    .unwrap()
}

#[test]
fn pod_with_unknown_volume_mount_is_invalid_like_the_failedcreate_event() {
    let p = pod(
        "metadata: {name: web-0}\nspec:\n  containers:\n  - name: nginx\n    image: nginx\n    volumeMounts:\n    - {name: www, mountPath: /usr/share/nginx/html}\n",
    );
    assert_eq!(
        validate_pod(&p).unwrap(),
        "Pod \"web-0\" is invalid: spec.containers[0].volumeMounts[0].name: Not found: \"www\""
    );
    let ok =
        pod("metadata: {name: web-0}\nspec:\n  containers:\n  - {name: nginx, image: nginx}\n");
    assert_eq!(validate_pod(&ok), None);
}

#[test]
fn pod_of_a_53_character_set_fails_on_the_revision_label() {
    let name = "a".repeat(53);
    let p = pod(&format!(
        "metadata:\n  name: {name}-0\n  labels: {{controller-revision-hash: {name}-6596ffb49b}}\nspec:\n  containers:\n  - {{name: c, image: i}}\n"
    ));
    assert_eq!(
        validate_pod(&p).unwrap(),
        format!(
            "Pod \"{name}-0\" is invalid: metadata.labels: Invalid value: \"{name}-6596ffb49b\": must be no more than 63 characters"
        )
    );
}

#[test]
fn long_statefulset_name_is_accepted_with_a_warning() {
    let text = SEED.replacen(
        "name: nginx-with-init-container",
        &format!("name: {}", "w".repeat(60)),
        1,
    );
    match parse(&text, "f.yaml").remove(0) {
        DocResult::Ok(p) => assert!(
            p.warnings
                .iter()
                .any(|w| w.message.contains("controller-revision-hash"))
        ),
        DocResult::Err(d) => panic!("{}", d.message),
    }
}

/// At v1.28 the apiserver did not validate a StatefulSet's pod template as a pod's: the set is
/// accepted and only its pods are refused (our warning says which). The duplicate is reported
/// on the init container, as core/validation `validateInitContainers` does (regular containers
/// are checked first).
#[test]
fn broken_template_is_accepted_with_warnings_at_v1_28() {
    let text = SEED.replacen(
        "      - name: nginx\n",
        "      - name: populate-default-html\n",
        1,
    );
    match parse_for(&text, "f.yaml", K8sVersion::V1_28).remove(0) {
        DocResult::Ok(p) => {
            let w: Vec<&str> = p.warnings.iter().map(|w| w.message.as_str()).collect();
            assert!(
                w.iter().any(|m| m.ends_with("spec.template.spec.initContainers[0].name: Duplicate value: \"populate-default-html\"")),
                "{w:?}"
            );
            assert_eq!(p.warnings[0].span.unwrap().line, 17);
        }
        DocResult::Err(d) => panic!("{}", d.message),
    }
}

/// Since v1.34 (kubernetes PR #131790, apps/validation `ValidatePodTemplateSpecForStatefulSet`)
/// the same template is refused when the StatefulSet is created, with the pod's field path
/// under `spec.template.spec` and our line:column.
#[test]
fn broken_template_is_refused_at_create_since_v1_34() {
    let text = SEED.replacen(
        "      - name: nginx\n",
        "      - name: populate-default-html\n",
        1,
    );
    match parse(&text, "f.yaml").remove(0) {
        DocResult::Err(d) => {
            assert_eq!(
                d.message,
                "The StatefulSet \"nginx-with-init-container\" is invalid: spec.template.spec.initContainers[0].name: Duplicate value: \"populate-default-html\""
            );
            assert_eq!(d.span.unwrap().line, 17);
            assert_eq!(d.class, intake::ErrorClass::Invalid);
        }
        DocResult::Ok(_) => panic!("accepted"),
    }
}

#[test]
fn replicas_above_the_simulation_cap_warn() {
    let text = SEED.replacen("  replicas: 3", "  replicas: 1000", 1);
    match parse(&text, "f.yaml").remove(0) {
        DocResult::Ok(p) => assert!(
            p.warnings
                .iter()
                .any(|w| w.message.contains("simulation cap of 100"))
        ),
        DocResult::Err(d) => panic!("{}", d.message),
    }
}

#[test]
fn duplicate_keys_last_wins_with_a_warning() {
    let text = SEED.replacen("  replicas: 3", "  replicas: 3\n  replicas: 5", 1);
    match parse(&text, "f.yaml").remove(0) {
        DocResult::Ok(p) => {
            assert_eq!(p.object.to_json()["spec"]["replicas"], 5);
            assert!(
                p.warnings[0]
                    .message
                    .contains("spec.replicas is set twice (lines 7 and 8)"),
                "{:?}",
                p.warnings
            );
        }
        DocResult::Err(d) => panic!("{}", d.message),
    }
}

#[test]
fn missing_service_name_is_accepted_with_a_hint() {
    let text = SEED.replacen(
        "  serviceName: nginx-headless   # headless service required\n",
        "",
        1,
    );
    match parse(&text, "f.yaml").remove(0) {
        DocResult::Ok(p) => assert!(
            p.warnings
                .iter()
                .any(|w| w.message.starts_with("hint: no spec.serviceName"))
        ),
        DocResult::Err(d) => panic!("{}", d.message),
    }
}
