//! `kubectl explain` against text derived from the upstream sources: Kubernetes v1.35's
//! OpenAPI v3 documents (kubernetes/kubernetes `api/openapi-spec/v3/api__v1_openapi.json`,
//! `apis__apps__v1_openapi.json`, branch release-1.35; trimmed copies in
//! `crates/kubectl/openapi/`) laid out by kubectl v0.35.0's
//! `pkg/explain/v2/templates/plaintext.tmpl` (`wrap 76 | indent 4` for DESCRIPTION, `wrap (78 -
//! indent)` for a field, a field's DESCRIPTION = its own then its type's description,
//! FIELD line then two line breaks, fields in sorted key order).

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use kubectl::explain::{Failure, explain};

fn ok(target: &str, recursive: bool) -> String {
    explain(target, recursive).unwrap_or_else(|e| panic!("{target}: {e:?}"))
}

/// api__v1_openapi.json: `io.k8s.api.core.v1.PersistentVolumeClaim` `.properties.spec`
/// (description, `allOf` → `PersistentVolumeClaimSpec`) and the nine properties of
/// `io.k8s.api.core.v1.PersistentVolumeClaimSpec` with their descriptions; no core group line.
#[test]
fn pvc_spec_from_api_v1_openapi_json() {
    assert_eq!(ok("pvc.spec", false), PVC_SPEC);
}

/// apis__apps__v1_openapi.json: `StatefulSetUpdateStrategy.properties.rollingUpdate` →
/// `RollingUpdateStatefulSetStrategy` (maxUnavailable's `$ref` IntOrString has no `type`, so
/// typeGuess prints the ref's name).
#[test]
fn a_deep_statefulset_path_from_apps_v1_openapi_json() {
    assert_eq!(
        ok("statefulset.spec.updateStrategy.rollingUpdate", false),
        ROLLING
    );
}

/// api__v1_openapi.json: `PodSpec.properties.containers` is an array (`items` → `Container`),
/// walked through to `Container.properties.resources` → `ResourceRequirements`; `limits` is
/// `additionalProperties` → `Quantity` (no `type`: `map[string]Quantity`).
#[test]
fn a_path_through_an_array_from_api_v1_openapi_json() {
    assert_eq!(ok("pod.spec.containers.resources", false), RESOURCES);
}

/// The kind's own description (apis__apps__v1_openapi.json `io.k8s.api.apps.v1.StatefulSet`),
/// its line breaks and leading spaces kept by go-wordwrap; a URL longer than the line alone.
#[test]
fn a_kind() {
    let t = ok("statefulset", false);
    assert!(t.starts_with("GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nDESCRIPTION:\n    StatefulSet represents a set of pods with consistent identities. Identities\n    are defined as:\n      - Network: A single stable DNS and hostname.\n      - Storage: As many VolumeClaims as requested.\n    \n    The StatefulSet guarantees that a given network identity will always map to\n    the same storage identity.\n    \nFIELDS:\n  apiVersion\t<string>\n    APIVersion defines the versioned schema of this representation of an object.\n    Servers should convert recognized schemas to the latest internal value, and\n    may reject unrecognized values. More info:\n    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources\n\n  kind\t<string>\n"), "{t}");
    assert!(t.contains("\n  spec\t<StatefulSetSpec>\n    Spec defines the desired identities of pods in this set.\n\n  status\t<StatefulSetStatus>\n"));
    assert!(
        t.ends_with("out of date by some window of time.\n\n\n"),
        "{t}"
    );
}

/// `--recursive`: names and types only, two spaces a level, `-required-` from the schema's
/// `required` list (StatefulSetSpec requires selector and template; serviceName is optional
/// since v1.34), ObjectMeta's Time fields are `string` (its schema has `type: string`).
#[test]
fn recursive() {
    let t = ok("statefulset.spec", true);
    assert!(t.starts_with("GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nFIELD: spec <StatefulSetSpec>\n\n\nDESCRIPTION:\n    Spec defines the desired identities of pods in this set.\n    A StatefulSetSpec is the specification of a StatefulSet.\n    \nFIELDS:\n  minReadySeconds\t<integer>\n  ordinals\t<StatefulSetOrdinals>\n    start\t<integer>\n  persistentVolumeClaimRetentionPolicy\t<StatefulSetPersistentVolumeClaimRetentionPolicy>\n    whenDeleted\t<string>\n    whenScaled\t<string>\n  podManagementPolicy\t<string>\n  replicas\t<integer>\n  revisionHistoryLimit\t<integer>\n  selector\t<LabelSelector> -required-\n    matchExpressions\t<[]LabelSelectorRequirement>\n      key\t<string> -required-\n      operator\t<string> -required-\n      values\t<[]string>\n    matchLabels\t<map[string]string>\n  serviceName\t<string>\n  template\t<PodTemplateSpec> -required-\n    metadata\t<ObjectMeta>\n      annotations\t<map[string]string>\n      creationTimestamp\t<string>\n"), "{t}");
    assert!(t.contains("\n          limits\t<map[string]Quantity>\n"));
    assert!(t.ends_with("      volumeAttributesClassName\t<string>\n      volumeMode\t<string>\n      volumeName\t<string>\n    status\t<PersistentVolumeClaimStatus>\n      accessModes\t<[]string>\n      allocatedResourceStatuses\t<map[string]string>\n      allocatedResources\t<map[string]Quantity>\n      capacity\t<map[string]Quantity>\n      conditions\t<[]PersistentVolumeClaimCondition>\n        lastProbeTime\t<string>\n        lastTransitionTime\t<string>\n        message\t<string>\n        reason\t<string>\n        status\t<string> -required-\n        type\t<string> -required-\n      currentVolumeAttributesClassName\t<string>\n      modifyVolumeStatus\t<ModifyVolumeStatus>\n        status\t<string> -required-\n        targetVolumeAttributesClassName\t<string>\n      phase\t<string>\n\n"), "{t}");
    assert!(t.contains("\n  updateStrategy\t<StatefulSetUpdateStrategy>\n    rollingUpdate\t<RollingUpdateStatefulSetStrategy>\n      maxUnavailable\t<IntOrString>\n      partition\t<integer>\n    type\t<string>\n  volumeClaimTemplates\t<[]PersistentVolumeClaim>\n    apiVersion\t<string>\n"), "{t}");
    // A primitive field: FIELD and DESCRIPTION, no FIELDS.
    assert_eq!(
        ok("sts.spec.replicas", true),
        "GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\nDESCRIPTION:\n    replicas is the desired number of replicas of the given Template. These are\n    replicas in the sense that they are instantiations of the same Template, but\n    individual replicas also have a consistent identity. If unspecified,\n    defaults to 1.\n    \n\n"
    );
}

/// plaintext.tmpl's `throw "error: field \"%v\" does not exist"` names the path's LAST segment,
/// after the template already wrote the header (text/template writes to kubectl's stdout as it
/// goes; kubectl `pkg/explain/v2/generator.go` `Render` executes into the command's Out).
#[test]
fn an_unknown_field() {
    let header = "GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\n";
    for (target, last) in [
        ("statefulset.spec.nope", "nope"),
        ("sts.spec.nope.deeper", "deeper"),
        ("sts.spec.replicas.nope", "nope"),
        // Field names are not case-insensitive (the template indexes the properties map).
        ("sts.Spec", "Spec"),
    ] {
        assert_eq!(
            explain(target, false),
            Err(Failure::Error {
                out: header.to_string(),
                msg: format!("error: field \"{last}\" does not exist"),
            }),
            "{target}"
        );
    }
    assert_eq!(
        explain("foo.spec", false),
        Err(Failure::Error {
            out: String::new(),
            msg: "error: the server doesn't have a resource type \"foo\"".into(),
        })
    );
}

/// The type word resolves as the RESTMapper does: kind, plural, singular, short name, any case.
#[test]
fn type_words() {
    let want = ok("statefulset", false);
    for w in ["sts", "StatefulSet", "statefulsets", "STATEFULSETS", "Sts"] {
        assert_eq!(ok(w, false), want, "{w}");
    }
    let want = ok("persistentvolumeclaims.spec", false);
    for w in ["pvc.spec", "PersistentVolumeClaim.spec", "PVC.spec"] {
        assert_eq!(ok(w, false), want, "{w}");
    }
}

/// Every kind the playground serves explains, recursively too, from the API's schemas.
#[test]
fn every_kind() {
    for r in kubectl::resources::ALL {
        let t = ok(r.plural(), false);
        assert!(t.contains(&format!("KIND:       {}\n", r.kind())), "{t}");
        assert!(t.contains("\n  apiVersion\t<string>\n"), "{t}");
        assert!(!ok(r.plural(), true).is_empty());
    }
}

const PVC_SPEC: &str = "KIND:       PersistentVolumeClaim
VERSION:    v1

FIELD: spec <PersistentVolumeClaimSpec>


DESCRIPTION:
    spec defines the desired characteristics of a volume requested by a pod
    author. More info:
    https://kubernetes.io/docs/concepts/storage/persistent-volumes#persistentvolumeclaims
    PersistentVolumeClaimSpec describes the common attributes of storage devices
    and allows a Source for provider-specific attributes
    
FIELDS:
  accessModes\t<[]string>
    accessModes contains the desired access modes the volume should have. More
    info:
    https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1

  dataSource\t<TypedLocalObjectReference>
    dataSource field can be used to specify either: * An existing VolumeSnapshot
    object (snapshot.storage.k8s.io/VolumeSnapshot) * An existing PVC
    (PersistentVolumeClaim) If the provisioner or an external controller can
    support the specified data source, it will create a new volume based on the
    contents of the specified data source. When the AnyVolumeDataSource feature
    gate is enabled, dataSource contents will be copied to dataSourceRef, and
    dataSourceRef contents will be copied to dataSource when
    dataSourceRef.namespace is not specified. If the namespace is specified,
    then dataSourceRef will not be copied to dataSource.

  dataSourceRef\t<TypedObjectReference>
    dataSourceRef specifies the object from which to populate the volume with
    data, if a non-empty volume is desired. This may be any object from a
    non-empty API group (non core object) or a PersistentVolumeClaim object.
    When this field is specified, volume binding will only succeed if the type
    of the specified object matches some installed volume populator or dynamic
    provisioner. This field will replace the functionality of the dataSource
    field and as such if both fields are non-empty, they must have the same
    value. For backwards compatibility, when namespace isn't specified in
    dataSourceRef, both fields (dataSource and dataSourceRef) will be set to the
    same value automatically if one of them is empty and the other is non-empty.
    When namespace is specified in dataSourceRef, dataSource isn't set to the
    same value and must be empty. There are three important differences between
    dataSource and dataSourceRef: * While dataSource only allows two specific
    types of objects, dataSourceRef
      allows any non-core object, as well as PersistentVolumeClaim objects.
    * While dataSource ignores disallowed values (dropping them), dataSourceRef
      preserves all values, and generates an error if a disallowed value is
      specified.
    * While dataSource only allows local objects, dataSourceRef allows objects
      in any namespaces.
    (Beta) Using this field requires the AnyVolumeDataSource feature gate to be
    enabled. (Alpha) Using the namespace field of dataSourceRef requires the
    CrossNamespaceVolumeDataSource feature gate to be enabled.

  resources\t<VolumeResourceRequirements>
    resources represents the minimum resources the volume should have. Users are
    allowed to specify resource requirements that are lower than previous value
    but must still be higher than capacity recorded in the status field of the
    claim. More info:
    https://kubernetes.io/docs/concepts/storage/persistent-volumes#resources

  selector\t<LabelSelector>
    selector is a label query over volumes to consider for binding.

  storageClassName\t<string>
    storageClassName is the name of the StorageClass required by the claim. More
    info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#class-1

  volumeAttributesClassName\t<string>
    volumeAttributesClassName may be used to set the VolumeAttributesClass used
    by this claim. If specified, the CSI driver will create or update the volume
    with the attributes defined in the corresponding VolumeAttributesClass. This
    has a different purpose than storageClassName, it can be changed after the
    claim is created. An empty string or nil value indicates that no
    VolumeAttributesClass will be applied to the claim. If the claim enters an
    Infeasible error state, this field can be reset to its previous value
    (including nil) to cancel the modification. If the resource referred to by
    volumeAttributesClass does not exist, this PersistentVolumeClaim will be set
    to a Pending state, as reflected by the modifyVolumeStatus field, until such
    as a resource exists. More info:
    https://kubernetes.io/docs/concepts/storage/volume-attributes-classes/

  volumeMode\t<string>
    volumeMode defines what type of volume is required by the claim. Value of
    Filesystem is implied when not included in claim spec.

  volumeName\t<string>
    volumeName is the binding reference to the PersistentVolume backing this
    claim.


";
const ROLLING: &str = "GROUP:      apps
KIND:       StatefulSet
VERSION:    v1

FIELD: rollingUpdate <RollingUpdateStatefulSetStrategy>


DESCRIPTION:
    RollingUpdate is used to communicate parameters when Type is
    RollingUpdateStatefulSetStrategyType.
    RollingUpdateStatefulSetStrategy is used to communicate parameter for
    RollingUpdateStatefulSetStrategyType.
    
FIELDS:
  maxUnavailable\t<IntOrString>
    The maximum number of pods that can be unavailable during the update. Value
    can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%).
    Absolute number is calculated from percentage by rounding up. This can not
    be 0. Defaults to 1. This field is beta-level and is enabled by default. The
    field applies to all pods in the range 0 to Replicas-1. That means if there
    is any unavailable pod in the range 0 to Replicas-1, it will be counted
    towards MaxUnavailable. This setting might not be effective for the
    OrderedReady podManagementPolicy. That policy ensures pods are created and
    become ready one at a time.

  partition\t<integer>
    Partition indicates the ordinal at which the StatefulSet should be
    partitioned for updates. During a rolling update, all pods from ordinal
    Replicas-1 to Partition are updated. All pods from ordinal Partition-1 to 0
    remain untouched. This is helpful in being able to do a canary based
    deployment. The default value is 0.


";
const RESOURCES: &str = "KIND:       Pod
VERSION:    v1

FIELD: resources <ResourceRequirements>


DESCRIPTION:
    Compute Resources required by this container. Cannot be updated. More info:
    https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
    ResourceRequirements describes the compute resource requirements.
    
FIELDS:
  claims\t<[]ResourceClaim>
    Claims lists the names of resources, defined in spec.resourceClaims, that
    are used by this container.
    
    This field depends on the DynamicResourceAllocation feature gate.
    
    This field is immutable. It can only be set for containers.

  limits\t<map[string]Quantity>
    Limits describes the maximum amount of compute resources allowed. More info:
    https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/

  requests\t<map[string]Quantity>
    Requests describes the minimum amount of compute resources required. If
    Requests is omitted for a container, it defaults to Limits if that is
    explicitly specified, otherwise to an implementation-defined value. Requests
    cannot exceed Limits. More info:
    https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/


";
