#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Property: no input makes intake panic (arbitrary strings, YAML-ish fragments, bytes).

use proptest::prelude::*;

fn yamlish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "apiVersion: apps/v1\n",
        "kind: StatefulSet\n",
        "metadata:\n",
        "  name: web\n",
        "spec:\n",
        "  replicas: 3\n",
        "  selector: {matchLabels: {a: b}}\n",
        "---\n",
        "- ",
        "  ",
        "&a ",
        "*a",
        "[",
        "]",
        "{",
        "}",
        ":",
        "\"",
        "'",
        "#",
        "|\n",
        ">\n",
        "!!binary ",
        "<<: ",
        "\t",
        "\n",
        "x",
        "0x1F",
        ".nan",
        "~",
        "kind: List\nitems:\n",
        "- apiVersion: v1\n  kind: ConfigMap\n",
        "  template:\n    metadata:\n",
    ]);
    prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,400}") {
        let _ = intake::parse(&s, "p.yaml");
    }

    #[test]
    fn yamlish_fragments_never_panic(s in yamlish()) {
        for r in intake::parse(&s, "p.yaml") {
            if let intake::DocResult::Err(d) = r {
                prop_assert!(!d.message.is_empty());
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = intake::parse_bytes(&b, "p.yaml");
    }
}
