//! Any object name draws safely: the SVG is well-formed XML whose texts are exactly the names,
//! and the mermaid text keeps every name inside a quoted label with nothing mermaid or HTML
//! would read. Names a Kubernetes apiserver would reject still go through here: the diagram
//! must not depend on validation elsewhere.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use diagram::{LayoutOptions, SceneOptions, layout, scene, to_mermaid, to_svg};

const HOSTILE: &[&str] = diagram::specimen::HOSTILE;

/// What XML keeps of a string (it cannot carry most control characters).
fn xml_visible(s: &str) -> String {
    s.chars()
        .filter(|&c| c >= ' ' || c == '\n' || c == '\t')
        .collect()
}

#[test]
fn svg_is_well_formed_and_every_text_is_the_name() {
    for name in HOSTILE {
        let g = diagram::specimen::graph(name);
        let l = layout(&g, &LayoutOptions::default());
        let svg = to_svg(&scene(&g, &l, &SceneOptions::default()));
        let doc = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{name:?}: not well-formed: {e}\n{svg}"));
        // Only our elements: nothing a name smuggled in.
        let allowed = [
            "svg", "title", "desc", "style", "defs", "marker", "path", "g", "rect", "text",
            "circle",
        ];
        for n in doc.descendants().filter(|n| n.is_element()) {
            assert!(
                allowed.contains(&n.tag_name().name()),
                "{name:?}: element <{}>",
                n.tag_name().name()
            );
            for a in n.attributes() {
                assert!(
                    !a.name().starts_with("on"),
                    "{name:?}: event attribute {}",
                    a.name()
                );
            }
        }
        assert!(doc.descendants().filter(|n| n.is_comment()).count() == 0);
        // The name's box shows the name exactly.
        let names: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("dg-name"))
            .filter_map(|n| n.text())
            .collect();
        assert!(!names.is_empty());
        for t in names {
            assert_eq!(t, xml_visible(name), "{name:?}");
        }
        // The attribute carrying it round-trips too.
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap();
        assert!(title.contains(&xml_visible(name)), "{title:?}");
    }
}

#[test]
fn the_browser_scene_carries_names_as_text_only() {
    // The DOM renderer sets text nodes and attributes from the same tree: a name is never a
    // tag or an attribute name there either.
    for name in HOSTILE {
        let g = diagram::specimen::graph(name);
        let l = layout(&g, &LayoutOptions::default());
        let el = scene(
            &g,
            &l,
            &SceneOptions {
                interactive: true,
                ..Default::default()
            },
        );
        el.walk(&mut |e| {
            assert!(e.tag.bytes().all(|b| b.is_ascii_lowercase()));
            for (a, _) in &e.attrs {
                assert!(
                    a.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'),
                    "{a}"
                );
            }
        });
    }
}

#[test]
fn mermaid_labels_hold_no_character_mermaid_or_html_reads() {
    for name in HOSTILE {
        let m = to_mermaid(&diagram::specimen::graph(name));
        for line in m.lines().skip(1) {
            let t = line.trim_start();
            if t == "end" || t.starts_with("%%") {
                continue;
            }
            if t.starts_with("subgraph ") || t.contains("[\"") {
                // id ["label"] with one quoted label and no quote inside
                let open = t.find("[\"").unwrap();
                assert!(t.ends_with("\"]"), "{name:?}: {line}");
                let label = &t[open + 2..t.len() - 2];
                let id = t[..open].trim_start_matches("subgraph ").trim();
                assert!(
                    id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
                    "{name:?}: id {id}"
                );
                assert!(!label.contains('"'), "{name:?}: {line}");
                let without_br = label.replace("<br/>", "");
                assert!(
                    !without_br.contains('<') && !without_br.contains('>'),
                    "{line}"
                );
                assert!(!label.contains('`') && !label.contains('|'), "{line}");
                assert!(!label.contains('\n') && !label.contains('\t'), "{line}");
                // every # starts an entity code #NNN;
                let mut rest = label;
                while let Some(i) = rest.find('#') {
                    let after = &rest[i + 1..];
                    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
                    assert!(
                        digits > 0 && after.as_bytes().get(digits) == Some(&b';'),
                        "{line}"
                    );
                    rest = &after[digits + 1..];
                }
                // and every ; ends one
                assert_eq!(
                    label.matches(';').count(),
                    label.matches('#').count(),
                    "{line}"
                );
                continue;
            }
            if t.starts_with("style ") || t.starts_with("classDef ") || t.starts_with("class ") {
                assert!(t.is_ascii(), "{line}");
                continue;
            }
            // an edge: id -->|words| id, the words without quotes or pipes
            let (from, rest) = t.split_once(' ').unwrap();
            let (arrow, rest) = rest.split_once('|').unwrap();
            let (words, to) = rest.rsplit_once("| ").unwrap();
            assert!(arrow == "-->" || arrow == "-.->", "{line}");
            for id in [from, to] {
                assert!(
                    id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
                    "{line}"
                );
            }
            assert!(!words.contains('|') && !words.contains('"'), "{line}");
        }
        // The name comes back from the entity codes.
        let decoded = decode(&m);
        assert!(decoded.contains(*name), "{name:?} not in\n{decoded}");
    }
}

/// Mermaid's entity decoding: `#NNN;` → the character.
fn decode(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('#') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after.as_bytes().get(digits) == Some(&b';') {
            let n: u32 = after[..digits].parse().unwrap();
            out.push(char::from_u32(n).unwrap());
            rest = &after[digits + 1..];
        } else {
            out.push('#');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}
