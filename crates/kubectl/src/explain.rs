//! `kubectl explain TYPE[.field.path] [--recursive]` in the layout of kubectl's explain v2
//! plaintext template (`pkg/explain/v2/templates/plaintext.tmpl`): GROUP/KIND/VERSION header,
//! FIELD line for a path, DESCRIPTION, FIELDS with `<type>` and `-required-`.
//! The field trees cover the kinds the playground serves; descriptions are our own words.

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
            "The versioned schema of this object (group/version). Servers convert to their preferred version.",
        ),
        f(
            "kind",
            "string",
            "The REST resource this object represents, in CamelCase. Servers may infer it from the endpoint.",
        ),
        fk(
            "metadata",
            "ObjectMeta",
            "Standard object metadata: name, namespace, labels, annotations and the fields the server maintains.",
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
            desc: "A StatefulSet runs a set of pods that each keep a stable identity: a fixed ordinal name, a stable DNS name through a headless Service, and their own persistent volume claims that survive rescheduling.",
            fields: || {
                type_meta(
                    "",
                    Some(fk(
                        "spec",
                        "StatefulSetSpec",
                        "The desired pods: how many, from which template, with which claims, and how they are started and updated.",
                        sts_spec,
                    )),
                    Some(fk(
                        "status",
                        "StatefulSetStatus",
                        "The most recently observed state of the set. Read-only.",
                        sts_status,
                    )),
                )
            },
        },
        Kind {
            res: Res::Pod,
            desc: "A Pod is a group of containers scheduled together on one node, sharing network and volumes.",
            fields: || {
                type_meta(
                    "",
                    Some(fk(
                        "spec",
                        "PodSpec",
                        "The desired containers, volumes and scheduling of the pod.",
                        pod_spec,
                    )),
                    Some(fk(
                        "status",
                        "PodStatus",
                        "The most recently observed state of the pod. Read-only.",
                        pod_status,
                    )),
                )
            },
        },
        Kind {
            res: Res::Service,
            desc: "A Service gives a set of pods (chosen by labels) one stable name and, unless headless, a virtual IP.",
            fields: || {
                type_meta(
                    "",
                    Some(fk(
                        "spec",
                        "ServiceSpec",
                        "The Service's selector, ports and type.",
                        svc_spec,
                    )),
                    Some(f(
                        "status",
                        "ServiceStatus",
                        "Most recently observed status (load balancer ingress).",
                    )),
                )
            },
        },
        Kind {
            res: Res::Pvc,
            desc: "A PersistentVolumeClaim is a request for storage; it binds to one PersistentVolume.",
            fields: || {
                type_meta(
                    "",
                    Some(fk(
                        "spec",
                        "PersistentVolumeClaimSpec",
                        "The storage requested.",
                        pvc_spec,
                    )),
                    Some(f(
                        "status",
                        "PersistentVolumeClaimStatus",
                        "Phase (Pending, Bound, Lost), capacity and access modes of the bound volume.",
                    )),
                )
            },
        },
        Kind {
            res: Res::Pv,
            desc: "A PersistentVolume is a piece of storage in the cluster, provisioned by an administrator or dynamically by a StorageClass.",
            fields: || {
                type_meta(
                    "",
                    Some(f(
                        "spec",
                        "PersistentVolumeSpec",
                        "Capacity, access modes, reclaim policy, claim reference and the backing storage.",
                    )),
                    Some(f(
                        "status",
                        "PersistentVolumeStatus",
                        "Phase: Available, Bound, Released or Failed.",
                    )),
                )
            },
        },
        Kind {
            res: Res::StorageClass,
            desc: "A StorageClass describes a kind of storage and the provisioner that creates volumes of that kind on demand.",
            fields: || {
                let mut v = type_meta("", None, None);
                v.extend([
                    f("allowVolumeExpansion", "boolean", "Whether claims of this class may be resized."),
                    req(f("provisioner", "string", "The volume plugin or CSI driver that provisions volumes (kind: rancher.io/local-path).")),
                    f("reclaimPolicy", "string", "What happens to a dynamically provisioned volume when its claim is deleted: Delete (default) or Retain."),
                    f("volumeBindingMode", "string", "Immediate (default) or WaitForFirstConsumer: provision only once a pod using the claim is scheduled."),
                ]);
                v
            },
        },
        Kind {
            res: Res::ControllerRevision,
            desc: "A ControllerRevision is an immutable snapshot of a pod template; the StatefulSet controller uses them for updates and rollbacks.",
            fields: || {
                let mut v = type_meta("", None, None);
                v.extend([
                    f(
                        "data",
                        "RawExtension",
                        "The serialized template state of this revision.",
                    ),
                    req(f(
                        "revision",
                        "integer",
                        "The revision number, increasing with each new template.",
                    )),
                ]);
                v
            },
        },
        Kind {
            res: Res::Node,
            desc: "A Node is a worker machine; the kubelet on it runs the pods bound to it.",
            fields: || {
                type_meta(
                    "",
                    Some(f(
                        "spec",
                        "NodeSpec",
                        "Taints, unschedulable flag, pod CIDR.",
                    )),
                    Some(f(
                        "status",
                        "NodeStatus",
                        "Conditions (Ready), addresses, capacity, node info.",
                    )),
                )
            },
        },
    ]
}

fn wrap(text: &str, indent: usize, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.len() + 1 + word.len() > width {
            out.push_str(&" ".repeat(indent));
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&" ".repeat(indent));
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn field_line(x: &F, indent: usize) -> String {
    let req = if x.required { " -required-" } else { "" };
    format!("{}{}\t<{}>{req}\n", " ".repeat(indent), x.name, x.ty)
}

fn recursive(fields: &[F], indent: usize, out: &mut String, depth: usize) {
    if depth > 12 {
        return;
    }
    for x in fields {
        out.push_str(&field_line(x, indent));
        recursive(&(x.kids)(), indent + 2, out, depth + 1);
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
        assert!(t.starts_with("GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nDESCRIPTION:\n    A StatefulSet"));
        assert!(t.contains("\nFIELDS:\n  apiVersion\t<string>\n"));
        assert!(t.contains("  spec\t<StatefulSetSpec>\n"));
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
        let t = explain("pods", false).unwrap();
        assert!(t.starts_with("KIND:       Pod\nVERSION:    v1\n"));
    }
}
