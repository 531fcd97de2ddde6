#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! A StatefulSet's `updateStrategy` as the v1.35 apiserver validates it (kubernetes
//! `pkg/apis/apps/validation/validation.go` `ValidateStatefulSetSpec`,
//! `validateRollingUpdateStatefulSet`), after `registry/apps/statefulset/strategy.go`
//! `dropStatefulSetDisabledFields` dropped `maxUnavailable` when MaxUnavailableStatefulSet is
//! off (the v1.35.4+ default) and the stored set does not use it. Struct values print as
//! apimachinery v0.35 `field.Error.ErrorBody` prints them: `json.Marshal` of the internal
//! types, which have no JSON tags (`{"Partition":0,"MaxUnavailable":null}`), as a real
//! cluster's `kubectl patch sts web -p '{"spec":{"updateStrategy":{"type":"OnDelete"}}}'` shows.

use intake::{DocResult, parse_with, validate_update_with};
use sim::config::{FeatureGates, K8sVersion};
use sim::object::AnyObject;

const SEED: &str = include_str!("corpus/good/sts.yaml");

fn gates(on: bool) -> FeatureGates {
    FeatureGates {
        max_unavailable_statefulset: on,
        ..FeatureGates::for_version(K8sVersion::V1_35)
    }
}

/// The seed with this `updateStrategy` block.
fn with_strategy(block: &str) -> String {
    assert!(!SEED.contains("updateStrategy"));
    assert_eq!(SEED.matches("  replicas: 3\n").count(), 1);
    SEED.replacen(
        "  replicas: 3\n",
        &format!("  replicas: 3\n  updateStrategy:\n{block}"),
        1,
    )
}

fn create(text: &str, gate: bool) -> Result<AnyObject, String> {
    match parse_with(text, "f.yaml", K8sVersion::V1_35, &gates(gate)).remove(0) {
        DocResult::Ok(p) => Ok(p.object),
        DocResult::Err(d) => Err(d.message),
    }
}

const INVALID: &str = "The StatefulSet \"nginx-with-init-container\" is invalid: ";

#[test]
fn on_delete_with_rolling_update_prints_the_internal_struct() {
    let text = with_strategy("    type: OnDelete\n    rollingUpdate:\n      maxUnavailable: 2\n");
    // Gate off: maxUnavailable is dropped first, the empty rollingUpdate stays.
    assert_eq!(
        create(&text, false).unwrap_err(),
        format!(
            "{INVALID}spec.updateStrategy.rollingUpdate: Invalid value: {{\"Partition\":0,\"MaxUnavailable\":null}}: only allowed for updateStrategy 'RollingUpdate'"
        )
    );
    assert_eq!(
        create(&text, true).unwrap_err(),
        format!(
            "{INVALID}spec.updateStrategy.rollingUpdate: Invalid value: {{\"Partition\":0,\"MaxUnavailable\":2}}: only allowed for updateStrategy 'RollingUpdate'"
        )
    );
}

#[test]
fn an_unknown_type_prints_the_internal_strategy() {
    let text = with_strategy(
        "    type: Canary\n    rollingUpdate:\n      partition: 2\n      maxUnavailable: 50%\n",
    );
    assert_eq!(
        create(&text, true).unwrap_err(),
        format!(
            "{INVALID}spec.updateStrategy: Invalid value: {{\"Type\":\"Canary\",\"RollingUpdate\":{{\"Partition\":2,\"MaxUnavailable\":\"50%\"}}}}: must be 'RollingUpdate' or 'OnDelete'"
        )
    );
}

#[test]
fn max_unavailable_values_with_the_gate_on() {
    let path = "spec.updateStrategy.rollingUpdate.maxUnavailable";
    for (value, want) in [
        ("0", format!("{path}: Invalid value: 0: cannot be 0")),
        (
            "\"0%\"",
            format!("{path}: Invalid value: \"0%\": cannot be 0"),
        ),
        (
            "-1",
            format!("{path}: Invalid value: -1: must be greater than or equal to 0"),
        ),
        (
            "\"150%\"",
            format!("{path}: Invalid value: \"150%\": must not be greater than 100%"),
        ),
    ] {
        let text = with_strategy(&format!(
            "    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: {value}\n"
        ));
        assert_eq!(
            create(&text, true).unwrap_err(),
            format!("{INVALID}{want}"),
            "{value}"
        );
        // Gate off: dropped before validation, the set is created without it.
        let AnyObject::StatefulSet(s) = create(&text, false).unwrap() else {
            panic!()
        };
        let ru = s
            .spec
            .unwrap()
            .update_strategy
            .unwrap()
            .rolling_update
            .unwrap();
        assert!(
            ru.max_unavailable.is_some(),
            "intake keeps it; the sim drops it"
        );
    }
    // A string that is not a percent: IsValidPercent's message, and `IntValue()` of "abc" is 0.
    let text =
        with_strategy("    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: abc\n");
    let err = create(&text, true).unwrap_err();
    assert!(err.contains(&format!("{path}: Invalid value: \"abc\": a valid percent string must be a numeric string followed by an ending '%'")), "{err}");
    assert!(
        err.contains(&format!("{path}: Invalid value: \"abc\": cannot be 0")),
        "{err}"
    );
}

/// `maxUnavailableInUse(oldSS)`: a stored set that has the field keeps it with the gate off, so
/// an update is validated with it.
#[test]
fn an_update_of_a_set_using_max_unavailable_validates_it_with_the_gate_off() {
    let ok =
        with_strategy("    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 2\n");
    let old = create(&ok, true).unwrap();
    let new = create(&ok.replace("maxUnavailable: 2", "maxUnavailable: 0"), false).unwrap();
    let err = validate_update_with(&old, &new, K8sVersion::V1_35, &gates(false)).unwrap_err();
    assert_eq!(
        err.message,
        format!(
            "{INVALID}spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0"
        )
    );
    let plain = create(SEED, false).unwrap();
    assert!(validate_update_with(&plain, &new, K8sVersion::V1_35, &gates(false)).is_ok());
}
