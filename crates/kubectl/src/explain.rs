//! `kubectl explain TYPE[.field.path] [--recursive]` in the layout of kubectl's explain v2
//! plaintext template (`pkg/explain/v2/templates/plaintext.tmpl`): GROUP/KIND/VERSION header,
//! FIELD line for a path, DESCRIPTION, FIELDS with `<type>` and `-required-`.
//! The field trees cover the kinds the playground serves. The descriptions of each kind and of
//! its top-level fields (apiVersion, kind, metadata, spec, status, and ControllerRevision's and
//! StorageClass's own fields) are the API's, as the apiserver's OpenAPI serves them (k8s.io/api
//! v0.35.0 `types_swagger_doc_generated.go`, apimachinery's `TypeMeta`), so `kubectl explain
//! statefulset` prints what kubectl prints; deeper fields are still described in our words.

use crate::out::Out;
use crate::resources::Res;

/// A schema node: (name, type shown in angle brackets, description, required, children).
struct F {
    name: &'static str,
    ty: &'static str,
    desc: &'static str,
    required: bool,
    kids: fn() -> Vec<F>,
}

fn none() -> Vec<F> {
    Vec::new()
}

const fn f(name: &'static str, ty: &'static str, desc: &'static str) -> F {
    F {
        name,
        ty,
        desc,
        required: false,
        kids: none,
    }
}
const fn fk(name: &'static str, ty: &'static str, desc: &'static str, kids: fn() -> Vec<F>) -> F {
    F {
        name,
        ty,
        desc,
        required: false,
        kids,
    }
}
const fn req(mut x: F) -> F {
    x.required = true;
    x
}

fn type_meta(kind_desc: &'static str, spec: Option<F>, status: Option<F>) -> Vec<F> {
    let mut v = vec![
        f(
            "apiVersion",
            "string",
            "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
        ),
        f(
            "kind",
            "string",
            "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
        ),
        fk(
            "metadata",
            "ObjectMeta",
            "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            object_meta,
        ),
    ];
    let _ = kind_desc;
    v.extend(spec);
    v.extend(status);
    v
}

fn object_meta() -> Vec<F> {
    vec![
        f(
            "annotations",
            "map[string]string",
            "Free-form key/value notes for tools and people; not used to select objects.",
        ),
        f(
            "creationTimestamp",
            "string",
            "When the server created the object (RFC 3339, UTC). Read-only.",
        ),
        f(
            "deletionGracePeriodSeconds",
            "integer",
            "Seconds the object has to terminate gracefully once deletion was requested. Read-only.",
        ),
        f(
            "deletionTimestamp",
            "string",
            "When the object will be (or was asked to be) removed; set by the server on deletion. Read-only.",
        ),
        f(
            "finalizers",
            "[]string",
            "Conditions that must be cleared before the object is removed from storage.",
        ),
        f(
            "generateName",
            "string",
            "Prefix for a server-generated unique name, used when name is empty.",
        ),
        f(
            "generation",
            "integer",
            "Sequence number of the desired state; bumped when the spec changes. Read-only.",
        ),
        f(
            "labels",
            "map[string]string",
            "Key/value pairs used to organize and select objects (selectors match on these).",
        ),
        f(
            "name",
            "string",
            "Unique name within the namespace (or cluster, for cluster-scoped kinds).",
        ),
        f(
            "namespace",
            "string",
            "The namespace this object lives in; empty means the default namespace.",
        ),
        f(
            "ownerReferences",
            "[]OwnerReference",
            "Objects this one depends on; the garbage collector deletes dependents of deleted owners.",
        ),
        f(
            "resourceVersion",
            "string",
            "Opaque version used for optimistic concurrency and watches. Read-only.",
        ),
        f(
            "uid",
            "string",
            "Unique identifier for the lifetime of the object. Read-only.",
        ),
    ]
}

fn label_selector() -> Vec<F> {
    vec![
        f(
            "matchExpressions",
            "[]LabelSelectorRequirement",
            "Requirements on label keys with operators In, NotIn, Exists, DoesNotExist; all must hold.",
        ),
        f(
            "matchLabels",
            "map[string]string",
            "Exact key=value pairs; all must match.",
        ),
    ]
}

fn container() -> Vec<F> {
    vec![
        f(
            "args",
            "[]string",
            "Arguments to the entrypoint; replaces the image's CMD.",
        ),
        f(
            "command",
            "[]string",
            "The entrypoint array; replaces the image's ENTRYPOINT. Not run in a shell.",
        ),
        f(
            "env",
            "[]EnvVar",
            "Environment variables to set in the container.",
        ),
        f(
            "image",
            "string",
            "The container image reference, e.g. nginx:1.26.0.",
        ),
        f(
            "imagePullPolicy",
            "string",
            "Always, Never or IfNotPresent. Defaults to Always for :latest (or no tag), else IfNotPresent.",
        ),
        f(
            "livenessProbe",
            "Probe",
            "Periodic check; the kubelet restarts the container when it fails.",
        ),
        req(f(
            "name",
            "string",
            "Name of the container, unique within the pod (a DNS label).",
        )),
        f(
            "ports",
            "[]ContainerPort",
            "Ports the container exposes (informational; does not open or block anything).",
        ),
        f(
            "readinessProbe",
            "Probe",
            "Periodic check; while it fails the pod is not Ready and gets no Service traffic.",
        ),
        f(
            "resources",
            "ResourceRequirements",
            "CPU/memory requests and limits.",
        ),
        f(
            "restartPolicy",
            "string",
            "Only for init containers: Always makes it a sidecar that keeps running.",
        ),
        f(
            "startupProbe",
            "Probe",
            "Check that must succeed before the other probes start.",
        ),
        f(
            "volumeMounts",
            "[]VolumeMount",
            "Pod volumes to mount into the container's filesystem.",
        ),
        f("workingDir", "string", "The container's working directory."),
    ]
}

fn pod_spec() -> Vec<F> {
    vec![
        f(
            "affinity",
            "Affinity",
            "Scheduling constraints relative to nodes and other pods.",
        ),
        req(fk(
            "containers",
            "[]Container",
            "The containers of the pod; at least one. They run in parallel.",
            container,
        )),
        f(
            "hostname",
            "string",
            "The pod's hostname; the StatefulSet controller sets it to the pod name.",
        ),
        fk(
            "initContainers",
            "[]Container",
            "Containers that run one after another, each to completion, before the main containers start.",
            container,
        ),
        f(
            "nodeName",
            "string",
            "The node the pod is bound to; set by the scheduler.",
        ),
        f(
            "nodeSelector",
            "map[string]string",
            "Labels a node must have for the pod to be scheduled there.",
        ),
        f(
            "restartPolicy",
            "string",
            "Always, OnFailure or Never; StatefulSet pods must use Always.",
        ),
        f(
            "serviceAccountName",
            "string",
            "The ServiceAccount the pod runs as.",
        ),
        f(
            "subdomain",
            "string",
            "With hostname, gives the pod the DNS name <hostname>.<subdomain>.<namespace>.svc.cluster.local; the StatefulSet controller sets it to serviceName.",
        ),
        f(
            "terminationGracePeriodSeconds",
            "integer",
            "Seconds between SIGTERM and SIGKILL when the pod is deleted. Defaults to 30.",
        ),
        f("tolerations", "[]Toleration", "Taints the pod tolerates."),
        f(
            "volumes",
            "[]Volume",
            "Volumes the containers can mount; the StatefulSet controller adds one per volumeClaimTemplate.",
        ),
    ]
}

fn pod_template() -> Vec<F> {
    vec![
        fk(
            "metadata",
            "ObjectMeta",
            "Metadata for the pods; its labels must match the selector.",
            object_meta,
        ),
        fk(
            "spec",
            "PodSpec",
            "The pod specification every replica is created from.",
            pod_spec,
        ),
    ]
}

fn pvc_spec() -> Vec<F> {
    vec![
        f(
            "accessModes",
            "[]string",
            "How the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.",
        ),
        f(
            "dataSource",
            "TypedLocalObjectReference",
            "Populate the new volume from a snapshot or another claim.",
        ),
        f(
            "resources",
            "VolumeResourceRequirements",
            "Minimum storage the claim needs (requests.storage).",
        ),
        f(
            "selector",
            "LabelSelector",
            "Only bind to volumes with matching labels.",
        ),
        f(
            "storageClassName",
            "string",
            "The StorageClass that provisions the volume; empty uses the cluster default.",
        ),
        f(
            "volumeAttributesClassName",
            "string",
            "A VolumeAttributesClass to apply to the volume.",
        ),
        f("volumeMode", "string", "Filesystem (default) or Block."),
        f(
            "volumeName",
            "string",
            "The PersistentVolume bound to this claim.",
        ),
    ]
}

fn pvc_template() -> Vec<F> {
    vec![
        fk(
            "metadata",
            "ObjectMeta",
            "Metadata for the claims; the name is combined with the set and pod names.",
            object_meta,
        ),
        fk(
            "spec",
            "PersistentVolumeClaimSpec",
            "The claim specification copied into each pod's claim.",
            pvc_spec,
        ),
    ]
}

fn sts_spec() -> Vec<F> {
    vec![
        f(
            "minReadySeconds",
            "integer",
            "How long a new pod must be Ready, without crashing, before it counts as available. Defaults to 0.",
        ),
        fk(
            "ordinals",
            "StatefulSetOrdinals",
            "Controls the numbering of replica indices.",
            || {
                vec![f(
                    "start",
                    "integer",
                    "The first ordinal; replicas get start … start+replicas-1. Defaults to 0.",
                )]
            },
        ),
        fk(
            "persistentVolumeClaimRetentionPolicy",
            "StatefulSetPersistentVolumeClaimRetentionPolicy",
            "Whether claims from volumeClaimTemplates are kept or deleted when the set is deleted or scaled down.",
            || {
                vec![
                    f(
                        "whenDeleted",
                        "string",
                        "Retain (default) keeps the claims when the set is deleted; Delete removes them.",
                    ),
                    f(
                        "whenScaled",
                        "string",
                        "Retain (default) keeps claims of removed ordinals on scale-down; Delete removes them.",
                    ),
                ]
            },
        ),
        f(
            "podManagementPolicy",
            "string",
            "OrderedReady (default): create pods one at a time in order, each waiting for the previous to be Running and Ready; delete in reverse order. Parallel: create and delete all at once.",
        ),
        f(
            "replicas",
            "integer",
            "Desired number of pods. Defaults to 1.",
        ),
        f(
            "revisionHistoryLimit",
            "integer",
            "How many old ControllerRevisions to keep. Defaults to 10.",
        ),
        req(fk(
            "selector",
            "LabelSelector",
            "Label query over pods that should match the replica count; must match the template's labels. Immutable.",
            label_selector,
        )),
        f(
            "serviceName",
            "string",
            "The headless Service that gives the pods their DNS names (<pod>.<serviceName>.<namespace>.svc.cluster.local).",
        ),
        req(fk(
            "template",
            "PodTemplateSpec",
            "The pod every replica is created from; each pod gets a unique identity (name, hostname, claims) from its ordinal.",
            pod_template,
        )),
        fk(
            "updateStrategy",
            "StatefulSetUpdateStrategy",
            "How pods are replaced when the template changes.",
            || {
                vec![
                    fk(
                        "rollingUpdate",
                        "RollingUpdateStatefulSetStrategy",
                        "Parameters when type is RollingUpdate.",
                        || {
                            vec![
                                f(
                                    "maxUnavailable",
                                    "IntOrString",
                                    "Most pods that may be unavailable during the update (number or percentage). Defaults to 1.",
                                ),
                                f(
                                    "partition",
                                    "integer",
                                    "Only pods with an ordinal at or above this number are updated; lower ones keep the old revision. Defaults to 0.",
                                ),
                            ]
                        },
                    ),
                    f(
                        "type",
                        "string",
                        "RollingUpdate (default): replace pods from the highest ordinal down, one at a time. OnDelete: only replace pods you delete.",
                    ),
                ]
            },
        ),
        fk(
            "volumeClaimTemplates",
            "[]PersistentVolumeClaim",
            "Claims each pod gets, named <claim>-<set>-<ordinal>; they outlive the pods and are reused when a pod is recreated.",
            pvc_template,
        ),
    ]
}

fn sts_status() -> Vec<F> {
    vec![
        f(
            "availableReplicas",
            "integer",
            "Pods Ready for at least minReadySeconds.",
        ),
        f(
            "collisionCount",
            "integer",
            "Counter used to avoid hash collisions in ControllerRevision names.",
        ),
        f(
            "conditions",
            "[]StatefulSetCondition",
            "Latest observations of the set's state.",
        ),
        f(
            "currentReplicas",
            "integer",
            "Pods created from currentRevision.",
        ),
        f(
            "currentRevision",
            "string",
            "The revision of the pods being replaced (all pods once an update finishes).",
        ),
        f(
            "observedGeneration",
            "integer",
            "The spec generation the controller has acted on.",
        ),
        f("readyReplicas", "integer", "Pods with a Ready condition."),
        req(f("replicas", "integer", "Pods created by the controller.")),
        f(
            "updateRevision",
            "string",
            "The revision new pods are created from.",
        ),
        f(
            "updatedReplicas",
            "integer",
            "Pods created from updateRevision.",
        ),
    ]
}

fn pod_status() -> Vec<F> {
    vec![
        f(
            "conditions",
            "[]PodCondition",
            "PodScheduled, Initialized, ContainersReady, Ready, PodReadyToStartContainers.",
        ),
        f(
            "containerStatuses",
            "[]ContainerStatus",
            "State (waiting/running/terminated), readiness and restart count of each container.",
        ),
        f("hostIP", "string", "IP of the node the pod runs on."),
        f(
            "initContainerStatuses",
            "[]ContainerStatus",
            "Status of each init container.",
        ),
        f(
            "phase",
            "string",
            "Pending, Running, Succeeded, Failed or Unknown: a summary, not the STATUS column kubectl prints.",
        ),
        f("podIP", "string", "The pod's IP address."),
        f(
            "startTime",
            "string",
            "When the kubelet acknowledged the pod.",
        ),
    ]
}

fn svc_spec() -> Vec<F> {
    vec![
        f(
            "clusterIP",
            "string",
            "The virtual IP; None makes the Service headless (DNS returns the pod IPs, and per-pod names exist for StatefulSets).",
        ),
        f("ports", "[]ServicePort", "Ports the Service exposes."),
        f(
            "publishNotReadyAddresses",
            "boolean",
            "Publish DNS records for pods that are not Ready too.",
        ),
        f(
            "selector",
            "map[string]string",
            "Pods with these labels back the Service.",
        ),
        f(
            "type",
            "string",
            "ClusterIP (default), NodePort, LoadBalancer or ExternalName.",
        ),
    ]
}

struct Kind {
    res: Res,
    desc: &'static str,
    fields: fn() -> Vec<F>,
}

fn kinds() -> Vec<Kind> {
    vec![
        Kind {
            res: Res::StatefulSet,
            desc: "StatefulSet represents a set of pods with consistent identities. Identities are defined as:\n  - Network: A single stable DNS and hostname.\n  - Storage: As many VolumeClaims as requested.\n\nThe StatefulSet guarantees that a given network identity will always map to the same storage identity.",
            fields: || {
                type_meta(
                    "",
                    Some(fk(
                        "spec",
                        "StatefulSetSpec",
                        "Spec defines the desired identities of pods in this set.",
                        sts_spec,
                    )),
                    Some(fk(
                        "status",
                        "StatefulSetStatus",
                        "Status is the current status of Pods in this StatefulSet. This data may be out of date by some window of time.",
                        sts_status,
                    )),
                )
            },
        },
        Kind {
            res: Res::Pod,
            desc: "Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.",
            fields: || {
                type_meta(
                    "",
                    Some(fk(
                        "spec",
                        "PodSpec",
                        "Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
                        pod_spec,
                    )),
                    Some(fk(
                        "status",
                        "PodStatus",
                        "Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
                        pod_status,
                    )),
                )
            },
        },
        Kind {
            res: Res::Service,
            desc: "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.",
            fields: || {
                type_meta(
                    "",
                    Some(fk(
                        "spec",
                        "ServiceSpec",
                        "Spec defines the behavior of a service. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
                        svc_spec,
                    )),
                    Some(f(
                        "status",
                        "ServiceStatus",
                        "Most recently observed status of the service. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
                    )),
                )
            },
        },
        Kind {
            res: Res::Pvc,
            desc: "PersistentVolumeClaim is a user's request for and claim to a persistent volume",
            fields: || {
                type_meta(
                    "",
                    Some(fk(
                        "spec",
                        "PersistentVolumeClaimSpec",
                        "spec defines the desired characteristics of a volume requested by a pod author. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#persistentvolumeclaims",
                        pvc_spec,
                    )),
                    Some(f(
                        "status",
                        "PersistentVolumeClaimStatus",
                        "status represents the current information/status of a persistent volume claim. Read-only. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#persistentvolumeclaims",
                    )),
                )
            },
        },
        Kind {
            res: Res::Pv,
            desc: "PersistentVolume (PV) is a storage resource provisioned by an administrator. It is analogous to a node. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes",
            fields: || {
                type_meta(
                    "",
                    Some(f(
                        "spec",
                        "PersistentVolumeSpec",
                        "spec defines a specification of a persistent volume owned by the cluster. Provisioned by an administrator. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#persistent-volumes",
                    )),
                    Some(f(
                        "status",
                        "PersistentVolumeStatus",
                        "status represents the current information/status for the persistent volume. Populated by the system. Read-only. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#persistent-volumes",
                    )),
                )
            },
        },
        Kind {
            res: Res::StorageClass,
            desc: "StorageClass describes the parameters for a class of storage for which PersistentVolumes can be dynamically provisioned.\n\nStorageClasses are non-namespaced; the name of the storage class according to etcd is in ObjectMeta.Name.",
            fields: || {
                let mut v = type_meta("", None, None);
                v.extend([
                    f("allowVolumeExpansion", "boolean", "allowVolumeExpansion shows whether the storage class allow volume expand."),
                    f("allowedTopologies", "[]TopologySelectorTerm", "allowedTopologies restrict the node topologies where volumes can be dynamically provisioned. Each volume plugin defines its own supported topology specifications. An empty TopologySelectorTerm list means there is no topology restriction. This field is only honored by servers that enable the VolumeScheduling feature."),
                    f("mountOptions", "[]string", "mountOptions controls the mountOptions for dynamically provisioned PersistentVolumes of this storage class. e.g. [\"ro\", \"soft\"]. Not validated - mount of the PVs will simply fail if one is invalid."),
                    f("parameters", "map[string]string", "parameters holds the parameters for the provisioner that should create volumes of this storage class."),
                    req(f("provisioner", "string", "provisioner indicates the type of the provisioner.")),
                    f("reclaimPolicy", "string", "What happens to a dynamically provisioned volume when its claim is deleted: Delete (default) or Retain."),
                    f("volumeBindingMode", "string", "Immediate (default) or WaitForFirstConsumer: provision only once a pod using the claim is scheduled."),
                ]);
                v
            },
        },
        Kind {
            res: Res::ControllerRevision,
            desc: "ControllerRevision implements an immutable snapshot of state data. Clients are responsible for serializing and deserializing the objects that contain their internal state. Once a ControllerRevision has been successfully created, it can not be updated. The API Server will fail validation of all requests that attempt to mutate the Data field. ControllerRevisions may, however, be deleted. Note that, due to its use by both the DaemonSet and StatefulSet controllers for update and rollback, this object is beta. However, it may be subject to name and representation changes in future releases, and clients should not depend on its stability. It is primarily for internal use by controllers.",
            fields: || {
                let mut v = type_meta("", None, None);
                v.extend([
                    f(
                        "data",
                        "RawExtension",
                        "Data is the serialized representation of the state.",
                    ),
                    req(f(
                        "revision",
                        "integer",
                        "Revision indicates the revision of the state represented by Data.",
                    )),
                ]);
                v
            },
        },
        Kind {
            res: Res::Node,
            desc: "Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).",
            fields: || {
                type_meta(
                    "",
                    Some(f(
                        "spec",
                        "NodeSpec",
                        "Spec defines the behavior of a node. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
                    )),
                    Some(f(
                        "status",
                        "NodeStatus",
                        "Most recently observed status of the node. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
                    )),
                )
            },
        },
    ]
}

/// The template's `wrap (width - indent) | indent indent`: kubectl's `term.WordWrapWriter`
/// (github.com/mitchellh/go-wordwrap `WrapString`: breaks at white space, keeps the text's own
/// line breaks and leading spaces, a word longer than the limit stays whole on its own line),
/// then every line (empty ones too) prefixed with `indent` spaces; a line break at the end.
fn wrap(text: &str, indent: usize, width: usize) -> String {
    let wrapped = word_wrap(text, width.saturating_sub(indent));
    let pad = " ".repeat(indent);
    let mut out = String::with_capacity(wrapped.len() + 16);
    for line in wrapped.split('\n') {
        out.push_str(&pad);
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// go-wordwrap v1.0.1 `WrapString`, over characters.
fn word_wrap(s: &str, lim: usize) -> String {
    let mut buf = String::with_capacity(s.len() + 16);
    let (mut current, mut word, mut space) = (0usize, String::new(), String::new());
    let (mut word_len, mut space_len) = (0usize, 0usize);
    for c in s.chars() {
        if c == '\n' {
            if word.is_empty() {
                if current + space_len <= lim {
                    buf.push_str(&space);
                }
            } else {
                buf.push_str(&space);
                buf.push_str(&word);
            }
            space.clear();
            word.clear();
            (space_len, word_len) = (0, 0);
            buf.push('\n');
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                buf.push_str(&space);
                buf.push_str(&word);
                space.clear();
                word.clear();
                (space_len, word_len) = (0, 0);
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + space_len + word_len > lim && word_len < lim {
                buf.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= lim {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

fn field_line(x: &F, indent: usize) -> String {
    let req = if x.required { " -required-" } else { "" };
    format!("{}{}\t<{}>{req}\n", " ".repeat(indent), x.name, x.ty)
}

/// The template ranges over the schema's `properties` map: fields in Go's sorted key order.
fn sorted(mut fields: Vec<F>) -> Vec<F> {
    use sim::sort::Sort as _;
    fields.stable_sort_by(|a, b| a.name.cmp(b.name));
    fields
}

fn recursive(fields: &[F], indent: usize, out: &mut String, depth: usize) {
    if depth > 12 {
        return;
    }
    for x in fields {
        out.push_str(&field_line(x, indent));
        recursive(&sorted((x.kids)()), indent + 2, out, depth + 1);
    }
}

/// Render `kubectl explain`.
pub fn explain(target: &str, recursive_mode: bool) -> Result<String, String> {
    let mut parts = target.split('.');
    let type_word = parts.next().unwrap_or("");
    let path: Vec<&str> = parts.collect();
    let Some(res) = Res::lookup(type_word) else {
        return Err(format!(
            "error: the server doesn't have a resource type \"{type_word}\""
        ));
    };
    let Some(k) = kinds().into_iter().find(|k| k.res == res) else {
        return Err(format!(
            "error: explain for {} is not available in this playground",
            res.plural()
        ));
    };
    let mut out = String::new();
    if !res.group().is_empty() {
        out.push_str(&format!("GROUP:      {}\n", res.group()));
    }
    out.push_str(&format!("KIND:       {}\n", res.kind()));
    out.push_str(&format!("VERSION:    {}\n\n", res.version()));
    let mut fields = (k.fields)();
    let mut desc = k.desc;
    let mut last: Option<(String, String)> = None;
    for seg in &path {
        let Some(pos) = fields.iter().position(|x| x.name == *seg) else {
            // plaintext.tmpl names the last segment of the requested path.
            let last_seg = path.last().copied().unwrap_or(seg);
            return Err(format!("error: field \"{last_seg}\" does not exist"));
        };
        let x = fields.swap_remove(pos);
        desc = x.desc;
        last = Some((x.name.to_string(), x.ty.to_string()));
        fields = (x.kids)();
    }
    if let Some((name, ty)) = last {
        // The template writes the FIELD line, an (empty) enum line, then a blank line.
        out.push_str(&format!("FIELD: {name} <{ty}>\n\n\n"));
    }
    out.push_str("DESCRIPTION:\n");
    out.push_str(&wrap(desc, 4, 80));
    out.push_str("    \n");
    let fields = sorted(fields);
    if !fields.is_empty() {
        out.push_str("FIELDS:\n");
        if recursive_mode {
            recursive(&fields, 2, &mut out, 0);
        } else {
            for x in &fields {
                out.push_str(&field_line(x, 2));
                out.push_str(&wrap(x.desc, 4, 80));
                out.push('\n');
            }
        }
    }
    // The template ends the document with one more newline.
    out.push('\n');
    Ok(out)
}

pub(crate) fn run(args: &[String], out: &mut Out) {
    let specs = [
        crate::flags::b("recursive", None),
        crate::flags::v("api-version", None),
        crate::flags::v("output", Some('o')),
    ];
    let Some(p) = crate::cmdutil::parse_or_fail(args, &specs, "kubectl explain", out) else {
        return;
    };
    let Some(target) = p.positional.first() else {
        out.fail("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl explain -h' for help and examples");
        return;
    };
    match explain(target, p.bool("recursive")) {
        Ok(t) => out.out(t),
        Err(e) => out.fail(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_fields() {
        let t = explain("statefulset", false).unwrap();
        assert!(t.starts_with("GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nDESCRIPTION:\n    StatefulSet represents a set of pods with consistent identities. Identities\n    are defined as:\n      - Network: A single stable DNS and hostname.\n      - Storage: As many VolumeClaims as requested.\n    \n    The StatefulSet guarantees"));
        assert!(t.contains("\nFIELDS:\n  apiVersion\t<string>\n"));
        assert!(t.contains("  spec\t<StatefulSetSpec>\n"));
        // The fields in the schema's sorted key order (ControllerRevision's `data` after
        // `apiVersion`), a URL longer than the line on a line of its own.
        let t = explain("controllerrevision", false).unwrap();
        assert!(t.contains("FIELDS:\n  apiVersion\t<string>\n    APIVersion defines the versioned schema of this representation of an object.\n    Servers should convert recognized schemas to the latest internal value, and\n    may reject unrecognized values. More info:\n    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources\n\n  data\t<RawExtension>\n"), "{t}");
        let t = explain("sts.spec.updateStrategy.rollingUpdate", false).unwrap();
        assert!(t.contains("VERSION:    v1\n\nFIELD: rollingUpdate <RollingUpdateStatefulSetStrategy>\n\n\nDESCRIPTION:\n"));
        assert!(t.ends_with("Defaults to 0.\n\n\n"), "{t}");
        assert!(t.contains("  partition\t<integer>\n"));
        let t = explain("statefulset.spec", true).unwrap();
        assert!(t.contains("  selector\t<LabelSelector> -required-\n    matchExpressions\t<[]LabelSelectorRequirement>\n"));
        assert_eq!(
            explain("sts.spec.nope", false).unwrap_err(),
            "error: field \"nope\" does not exist"
        );
        assert_eq!(
            explain("foo", false).unwrap_err(),
            "error: the server doesn't have a resource type \"foo\""
        );
        assert_eq!(word_wrap("ab cd\n  - e f", 4), "ab\ncd\n  -\ne f");
        let t = explain("pods", false).unwrap();
        assert!(t.starts_with("KIND:       Pod\nVERSION:    v1\n"));
    }
}
