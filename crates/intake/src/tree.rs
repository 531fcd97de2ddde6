//! The guard and the spanned tree: one pass over saphyr-parser events that enforces every
//! structural limit (depth, scalar length, expanded node count, expanded bytes) *while*
//! building the tree, so an alias bomb is rejected after a few thousand events instead of
//! being expanded (the "wide alias" file of the issue is rejected before any typed decoding).

use std::collections::HashMap;
use std::rc::Rc;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::limits;

/// 1-based line/column position in the whole input (not the chunk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Scalar {
        text: String,
        plain: bool,
        /// Tag suffix for core-schema tags (`str`, `int`, `binary`...), full text otherwise.
        tag: Option<String>,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    /// An alias: shares the anchored node (expanded lazily by `convert`, after the budget check).
    Alias(Rc<Node>),
}

impl Node {
    /// Follows aliases to the node they name.
    pub fn resolved(&self) -> &Node {
        let mut n = self;
        while let V::Alias(rc) = &n.v {
            n = rc.as_ref();
        }
        n
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub v: V,
    pub start: Pos,
    pub end: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TreeError {
    /// saphyr-parser refused the text (the caller asks the libyaml-compatible parser for go-yaml's wording).
    Syntax { pos: Pos, info: String, byte: usize },
    /// An alias names an anchor that does not exist.
    UnknownAnchor { pos: Pos, name: String },
    /// One of our limits.
    Limit { pos: Pos, message: String },
}

struct Frame {
    node_start: Pos,
    anchor: usize,
    nodes: u64,
    bytes: u64,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

/// Size of a stored anchor's subtree (what one alias of it costs).
#[derive(Clone)]
struct Anchored {
    node: Rc<Node>,
    nodes: u64,
    bytes: u64,
}

fn pos_of(m: &saphyr_parser::Marker, line_offset: u32) -> Pos {
    Pos {
        line: u32::try_from(m.line())
            .unwrap_or(u32::MAX)
            .saturating_add(line_offset),
        col: u32::try_from(m.col()).unwrap_or(u32::MAX).saturating_add(1),
    }
}

/// Parse the first YAML document of `chunk` into a tree. `line_offset` is the number of lines
/// before the chunk in the whole input. `Ok(None)` for an empty document.
pub fn build(chunk: &str, line_offset: u32) -> Result<Option<Node>, TreeError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Anchored> = HashMap::new();
    let mut total_nodes: u64 = 0;
    let mut total_bytes: u64 = 0;
    let mut root: Option<Node> = None;
    let mut in_doc = false;
    for item in Parser::new_from_str(chunk) {
        let (ev, span) = match item {
            Ok(x) => x,
            Err(e) => {
                if e.info().contains("unknown anchor") {
                    let idx = e.marker().index();
                    let name: String = chunk
                        .chars()
                        .skip(idx)
                        .skip_while(|c| *c == '*')
                        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
                        .take(256)
                        .collect();
                    return Err(TreeError::UnknownAnchor {
                        pos: pos_of(e.marker(), line_offset),
                        name,
                    });
                }
                if e.info().contains("recursion limit") {
                    return Err(TreeError::Limit {
                        pos: pos_of(e.marker(), line_offset),
                        message: format!(
                            "the document nests deeper than stsplay's limit of {} levels",
                            limits::MAX_DEPTH
                        ),
                    });
                }
                return Err(TreeError::Syntax {
                    byte: chunk
                        .char_indices()
                        .nth(e.marker().index())
                        .map_or(chunk.len(), |(b, _)| b),
                    pos: pos_of(e.marker(), line_offset),
                    info: e.info().to_string(),
                });
            }
        };
        let start = pos_of(&span.start, line_offset);
        let end = pos_of(&span.end, line_offset);
        // a finished node to attach to the parent: (node, anchor, nodes, bytes)
        let finished: Option<(Node, usize, u64, u64)> = match ev {
            Event::StreamStart | Event::Nothing => None,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                in_doc = true;
                None
            }
            Event::DocumentEnd => {
                // kubectl's YAML-to-JSON step only reads the first document of a chunk
                break;
            }
            Event::Alias(id) => {
                let Some(a) = anchors.get(&id) else {
                    let name = alias_name(chunk, span.start.index(), span.end.index());
                    return Err(TreeError::UnknownAnchor { pos: start, name });
                };
                total_nodes = total_nodes.saturating_add(a.nodes);
                total_bytes = total_bytes.saturating_add(a.bytes);
                check_budget(total_nodes, total_bytes, start)?;
                let n = Node {
                    v: V::Alias(Rc::clone(&a.node)),
                    start,
                    end,
                };
                Some((n, 0, a.nodes, a.bytes))
            }
            Event::Scalar(text, style, anchor, tag) => {
                if text.len() > limits::MAX_SCALAR_BYTES {
                    return Err(TreeError::Limit {
                        pos: start,
                        message: format!(
                            "a string of {} bytes is longer than stsplay's limit of {} bytes",
                            text.len(),
                            limits::MAX_SCALAR_BYTES
                        ),
                    });
                }
                let bytes = text.len() as u64;
                total_nodes = total_nodes.saturating_add(1);
                total_bytes = total_bytes.saturating_add(bytes);
                check_budget(total_nodes, total_bytes, start)?;
                let tag = tag.map(|t| {
                    if t.is_yaml_core_schema() {
                        t.suffix.clone()
                    } else {
                        format!("{}{}", t.handle, t.suffix)
                    }
                });
                let node = Node {
                    v: V::Scalar {
                        text: text.into_owned(),
                        plain: matches!(style, ScalarStyle::Plain),
                        tag,
                    },
                    start,
                    end,
                };
                Some((node, anchor, 1, bytes))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= limits::MAX_DEPTH {
                    return Err(TreeError::Limit {
                        pos: start,
                        message: format!(
                            "the document nests deeper than stsplay's limit of {} levels",
                            limits::MAX_DEPTH
                        ),
                    });
                }
                total_nodes = total_nodes.saturating_add(1);
                check_budget(total_nodes, total_bytes, start)?;
                let kind = if matches!(ev, Event::SequenceStart(..)) {
                    FrameKind::Seq(Vec::new())
                } else {
                    FrameKind::Map {
                        entries: Vec::new(),
                        key: None,
                    }
                };
                stack.push(Frame {
                    node_start: start,
                    anchor,
                    nodes: 1,
                    bytes: 0,
                    kind,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(f) = stack.pop() else { continue };
                let v = match f.kind {
                    FrameKind::Seq(items) => V::Seq(items),
                    FrameKind::Map { entries, .. } => V::Map(entries),
                };
                Some((
                    Node {
                        v,
                        start: f.node_start,
                        end,
                    },
                    f.anchor,
                    f.nodes,
                    f.bytes,
                ))
            }
        };
        let Some((node, anchor, nodes, bytes)) = finished else {
            continue;
        };
        if anchor != 0 {
            anchors.insert(
                anchor,
                Anchored {
                    node: Rc::new(node.clone()),
                    nodes,
                    bytes,
                },
            );
        }
        match stack.last_mut() {
            None => {
                root = Some(node);
            }
            Some(parent) => {
                parent.nodes = parent.nodes.saturating_add(nodes);
                parent.bytes = parent.bytes.saturating_add(bytes);
                match &mut parent.kind {
                    FrameKind::Seq(items) => items.push(node),
                    FrameKind::Map { entries, key } => match key.take() {
                        None => *key = Some(node),
                        Some(k) => entries.push((k, node)),
                    },
                }
            }
        }
    }
    let _ = in_doc;
    Ok(root)
}

fn check_budget(nodes: u64, bytes: u64, pos: Pos) -> Result<(), TreeError> {
    if nodes > limits::MAX_EXPANDED_NODES {
        return Err(TreeError::Limit {
            pos,
            message: format!(
                "the document expands to more than {} nodes (anchors and aliases included), stsplay's limit",
                limits::MAX_EXPANDED_NODES
            ),
        });
    }
    if bytes > limits::MAX_EXPANDED_BYTES {
        return Err(TreeError::Limit {
            pos,
            message: format!(
                "the document expands to more than {} bytes of text (anchors and aliases included), stsplay's limit",
                limits::MAX_EXPANDED_BYTES
            ),
        });
    }
    Ok(())
}

/// The anchor name of an alias, from its character span (`*name`).
fn alias_name(chunk: &str, start: usize, end: usize) -> String {
    let s: String = chunk
        .chars()
        .skip(start)
        .take(end.saturating_sub(start).min(256))
        .collect();
    s.trim_start_matches('*').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_map_with_positions() {
        let n = build("a: 1\nb:\n  - x\n", 0).unwrap().unwrap();
        let V::Map(e) = &n.v else { panic!() };
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].0.start, Pos { line: 2, col: 1 });
        let V::Seq(items) = &e[1].1.v else { panic!() };
        assert_eq!(items[0].start, Pos { line: 3, col: 5 });
    }

    #[test]
    fn expands_aliases_within_budget() {
        let n = build("a: &x [1, 2]\nb: *x\n", 0).unwrap().unwrap();
        let V::Map(e) = &n.v else { panic!() };
        assert!(matches!(&e[1].1.resolved().v, V::Seq(i) if i.len() == 2));
    }

    #[test]
    fn wide_alias_is_rejected_before_expansion() {
        let mut s = String::from("a: &a [");
        for _ in 0..2000 {
            s.push_str("x,");
        }
        s.push_str("x]\nb: [");
        for _ in 0..5000 {
            s.push_str("*a,");
        }
        s.push_str("*a]\n");
        let e = build(&s, 0).unwrap_err();
        assert!(matches!(e, TreeError::Limit { .. }), "{e:?}");
    }

    #[test]
    fn unknown_anchor_named() {
        let e = build("a: *nope\n", 0).unwrap_err();
        assert!(
            matches!(e, TreeError::UnknownAnchor { ref name, .. } if name == "nope"),
            "{e:?}"
        );
    }

    #[test]
    fn depth_limit() {
        let s = "[".repeat(limits::MAX_DEPTH + 5);
        let e = build(&s, 0).unwrap_err();
        assert!(matches!(e, TreeError::Limit { .. }), "{e:?}");
    }
}
