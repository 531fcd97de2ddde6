//! The printer against spew output derived by hand from `spew/format.go` for small values, and
//! the whole pod template layout.

use super::*;

static INNER: Struct = Struct {
    name: "v1.Inner",
    fields: &[
        Field {
            go: "Name",
            json: "name",
            ty: GoType::Str("string"),
        },
        Field {
            go: "Port",
            json: "port",
            ty: GoType::Int("int32"),
        },
    ],
};

static OUTER: Struct = Struct {
    name: "v1.Outer",
    fields: &[
        Field {
            go: "Items",
            json: "items",
            ty: GoType::Slice("[]v1.Inner", &GoType::Struct(&INNER)),
        },
        Field {
            go: "Labels",
            json: "labels",
            ty: GoType::Map(
                "map[string]string",
                &GoType::Str("string"),
                &GoType::Str("string"),
            ),
        },
        Field {
            go: "Grace",
            json: "grace",
            ty: GoType::Ptr(&GoType::Int("int64")),
        },
        Field {
            go: "Missing",
            json: "missing",
            ty: GoType::Ptr(&GoType::Struct(&INNER)),
        },
        Field {
            go: "Inline",
            json: "",
            ty: GoType::Struct(&INNER),
        },
        Field {
            go: "Port",
            json: "target",
            ty: GoType::IntOrString,
        },
    ],
};

#[test]
fn prints_like_spew_hash_format() {
    let v = serde_json::json!({
        "items": [{"name": "a", "port": 80}],
        "labels": {"z": "1", "app": "web"},
        "grace": 30,
        "name": "top",
        "target": "http"
    });
    assert_eq!(
        sprint(&GoType::Struct(&OUTER), &v),
        "(v1.Outer){Items:([]v1.Inner)[{Name:(string)a Port:(int32)80}] \
         Labels:(map[string]string)map[app:web z:1] Grace:(*int64)30 \
         Missing:(*v1.Inner)<nil> Inline:(v1.Inner){Name:(string)top Port:(int32)0} \
         Port:(intstr.IntOrString){Type:(intstr.Type)1 IntVal:(int32)0 StrVal:(string)http}}"
    );
    // Empty lists and maps decode to nil from protobuf.
    let empty = serde_json::json!({"items": [], "labels": {}});
    assert!(sprint(&GoType::Struct(&OUTER), &empty).starts_with(
        "(v1.Outer){Items:([]v1.Inner)<nil> Labels:(map[string]string)<nil> Grace:(*int64)<nil>"
    ));
}

#[test]
fn quantities_follow_parse_quantity() {
    let q = |s: &str| {
        let mut out = String::new();
        quantity(&mut out, s);
        out
    };
    // Canonical forms keep their string (`s`), others do not.
    assert_eq!(
        q("100m"),
        "{i:(resource.int64Amount){value:(int64)100 scale:(resource.Scale)-3} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)100m Format:(resource.Format)DecimalSI}"
    );
    // BinarySI keeps the string only when the number is not a multiple of 8.
    assert_eq!(
        q("128Mi"),
        "{i:(resource.int64Amount){value:(int64)134217728 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string) Format:(resource.Format)BinarySI}"
    );
    assert_eq!(
        q("1Gi"),
        "{i:(resource.int64Amount){value:(int64)1073741824 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)1Gi Format:(resource.Format)BinarySI}"
    );
    assert_eq!(
        q("1000"),
        "{i:(resource.int64Amount){value:(int64)1000 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string) Format:(resource.Format)DecimalSI}"
    );
    assert_eq!(
        q("0.5"),
        "{i:(resource.int64Amount){value:(int64)5 scale:(resource.Scale)-1} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string) Format:(resource.Format)DecimalSI}"
    );
    assert_eq!(
        q("0"),
        "{i:(resource.int64Amount){value:(int64)0 scale:(resource.Scale)0} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)0 Format:(resource.Format)DecimalSI}"
    );
}

#[test]
fn pod_template_layout_starts_with_object_meta() {
    let t = serde_json::json!({
        "metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.26.0"}]}
    });
    let s = sprint(&schema::POD_TEMPLATE_SPEC, &t);
    assert!(s.starts_with(
        "(v1.PodTemplateSpec){ObjectMeta:(v1.ObjectMeta){Name:(string) GenerateName:(string) \
         Namespace:(string) SelfLink:(string) UID:(types.UID) ResourceVersion:(string) \
         Generation:(int64)0 CreationTimestamp:(v1.Time){Time:(time.Time){wall:(uint64)0 \
         ext:(int64)0 loc:(*time.Location)<nil>}} DeletionTimestamp:(*v1.Time)<nil> \
         DeletionGracePeriodSeconds:(*int64)<nil> Labels:(map[string]string)map[app:web] \
         Annotations:(map[string]string)<nil> OwnerReferences:([]v1.OwnerReference)<nil> \
         Finalizers:([]string)<nil> ManagedFields:([]v1.ManagedFieldsEntry)<nil>} \
         Spec:(v1.PodSpec){Volumes:([]v1.Volume)<nil> InitContainers:([]v1.Container)<nil> \
         Containers:([]v1.Container)[{Name:(string)nginx Image:(string)nginx:1.26.0 "
    ));
    assert!(
        s.ends_with("WorkloadRef:(*v1.WorkloadReference)<nil>}}"),
        "{s}"
    );
}

#[test]
fn fnv32a_matches_go() {
    // hash/fnv New32a of "" and "a" (Go's test vectors).
    assert_eq!(fnv32a(b"", FNV32_OFFSET), 0x811c_9dc5);
    assert_eq!(fnv32a(b"a", FNV32_OFFSET), 0xe40c_292c);
    assert_eq!(fnv32a(b"foobar", FNV32_OFFSET), 0xbf9c_f968);
}
