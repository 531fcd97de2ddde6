//! [`Graph`] → [`Layout`]: where every box, edge, label and note goes, in whole pixels.
//!
//! Each group is a frame: a title line, column headers, then a head column (the workload
//! above its Service) and the rows, one per ordinal in ordinal order, each with the pod, its
//! claims and their volumes side by side and the "why is it waiting" note at the right end of
//! the row. Widths come from the names (which do not change from step to step) and fixed
//! reserves for the state words and volume names (which do), so nothing moves when a pod
//! starts, a volume appears or a pod is deleted and recreated: only a change of the rows
//! themselves (scaling) moves boxes.
//!
//! Three densities: `Stacked` for up to [`STACK_MAX_ROWS`] rows (a small set, the seed: the
//! heads on top and each ordinal on two lines, pod over claim → volume, about half as wide so
//! it reads at fit in a narrow pane; a Deployment's group keeps its columns), `Full` (columns,
//! two lines per box: name, state) for up to [`FULL_MAX_ROWS`] rows, `Compact` (one line;
//! state by icon and colour, words in the details) beyond, so 100 pods stay readable at a
//! glance. Ranges (aggregated ordinals) always get two lines.

use crate::graph::{EdgeKind, Graph, Kind, NodeId, Obj, Row, Status};
use crate::text;

/// Up to this many rows in all groups, boxes have two lines.
pub const FULL_MAX_ROWS: usize = 12;

/// Up to this many rows in all groups (and no node lanes), a StatefulSet's group is stacked
/// ([`Density::Stacked`]): narrow enough that the names read at 11 px or more in the
/// playground's diagram pane at 1,280×800.
pub const STACK_MAX_ROWS: usize = 5;

/// Font sizes (px).
pub const NAME_SIZE: f32 = 12.0;
pub const COMPACT_NAME_SIZE: f32 = 11.0;
pub const STACKED_NAME_SIZE: f32 = 13.0;
pub const DETAIL_SIZE: f32 = 11.0;
pub const BADGE_SIZE: f32 = 9.5;
pub const LABEL_SIZE: f32 = 9.5;
pub const WHY_SIZE: f32 = 10.5;
pub const TITLE_SIZE: f32 = 13.0;
pub const HEADER_SIZE: f32 = 10.0;

const MARGIN: i32 = 12;
const PAD: i32 = 8;
const ICON: i32 = 15;
const FRAME_PAD: i32 = 10;
/// Title line + column headers above the rows.
const FRAME_TOP: i32 = 46;
const GAP_HEAD: i32 = 88;
const GAP: i32 = 52;
const GAP_WHY: i32 = 16;
const HEAD_MIN_W: i32 = 170;
/// A head box's height with its third line (a workload's revision).
pub const SET_H: i32 = 58;
const SVC_GAP: i32 = 26;
const LANE_GAP: i32 = 8;
const LEGEND_H: i32 = 24;
/// Room for a status icon in the legend.
pub const LEGEND_ICON: i32 = 14;

/// A box height and the vertical gap after it.
///
/// `Stacked` (small sets): the workload and its Service side by side on top, then per ordinal
/// two lines: the pod (one-line box, its state words or the why sentence beside it), and
/// under it its claim → volume. About half as wide as the columns, so the pane's fit scale
/// stays near 1.
///
/// `Rows` (chosen for a pane when it draws the names larger than the others, see
/// [`LayoutOptions::pane`]): the heads on top like `Stacked`, then one line per ordinal, pod →
/// claim → volume, one-line boxes (state by icon and colour), machine-made volume names cut to
/// `pvc-` and eight digits (the whole name in the details), and the why note at the line's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Density {
    Full,
    Compact,
    Stacked,
    Rows,
}

impl Density {
    pub fn box_h(self) -> i32 {
        match self {
            Density::Full => 42,
            Density::Compact => 22,
            Density::Stacked => 21,
            Density::Rows => 19,
        }
    }

    pub fn gap(self) -> i32 {
        match self {
            Density::Full => 10,
            Density::Compact => 4,
            Density::Stacked => 8,
            Density::Rows => 3,
        }
    }

    pub fn name_size(self) -> f32 {
        match self {
            Density::Full => NAME_SIZE,
            Density::Compact => COMPACT_NAME_SIZE,
            Density::Stacked | Density::Rows => STACKED_NAME_SIZE,
        }
    }

    pub fn css(self) -> &'static str {
        match self {
            Density::Full => "full",
            Density::Compact => "compact",
            Density::Stacked => "stacked",
            Density::Rows => "rows",
        }
    }
}

/// Height of a range box (two lines at any density).
pub const RANGE_H: i32 = 38;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Rect {
    pub fn right(&self) -> i32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> i32 {
        self.y + self.h
    }
    pub fn mid_y(&self) -> i32 {
        self.y + self.h / 2
    }
    pub fn mid_x(&self) -> i32 {
        self.x + self.w / 2
    }
}

/// A box: an object at a place, with the lines it shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Placed {
    pub node: NodeId,
    pub rect: Rect,
    /// Whether the box has a second line (the state words).
    pub two_lines: bool,
    /// The state words as they fit the box (cut with `…` when too long).
    pub detail: String,
    /// Where the revision badge goes, if the object has one.
    pub badge: Option<Rect>,
}

/// An edge's path: straight or orthogonal segments through these points.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Route {
    pub edge: usize,
    pub points: Vec<(i32, i32)>,
    /// Where its words go (text-anchor end at this point), when they are drawn.
    pub label: Option<(i32, i32)>,
    /// A dot at the last point (a Service's bus touching a selected pod).
    pub dot: bool,
}

/// The "why is it waiting" note beside a row (or under a head).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Note {
    /// The waiting object.
    pub node: NodeId,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub lines: Vec<String>,
}

/// A column header (or lane header) text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Header {
    pub text: String,
    pub x: i32,
    pub y: i32,
}

/// A group's frame.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Frame {
    pub group: usize,
    pub rect: Rect,
    pub title: Header,
    pub headers: Vec<Header>,
    /// Lane bands of the pod column (with lanes: one per node, "unscheduled" first).
    pub lanes: Vec<(Option<NodeId>, Rect)>,
}

/// A legend entry: icon + word at a place (the status legend under the picture).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LegendItem {
    pub status: crate::graph::Status,
    pub x: i32,
    pub y: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Layout {
    pub width: i32,
    pub height: i32,
    pub density: Option<Density>,
    pub boxes: Vec<Placed>,
    pub routes: Vec<Route>,
    pub notes: Vec<Note>,
    pub frames: Vec<Frame>,
    pub legend: Vec<LegendItem>,
}

impl Layout {
    /// The box of an object.
    pub fn rect_of(&self, node: NodeId) -> Option<Rect> {
        self.boxes.iter().find(|b| b.node == node).map(|b| b.rect)
    }
}

/// How groups are arranged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LayoutOptions {
    /// `None`: full boxes up to [`FULL_MAX_ROWS`] rows, compact beyond.
    pub density: Option<Density>,
    /// Groups side by side (the Deployment/StatefulSet contrast) instead of one under another.
    pub side_by_side: bool,
    /// The pane the picture is fitted into (CSS px, width × height), when known (the page):
    /// with `density` `None` and at most [`FULL_MAX_ROWS`] rows, the density whose names come
    /// out largest at fit is chosen ([`choose`]), judged without the why notes so that a
    /// wait does not switch it.
    pub pane: Option<(i32, i32)>,
}

fn w(s: &str, size: f32, bold: bool) -> i32 {
    text::width(s, size, bold).ceil() as i32
}

/// The widest state words a box reserves room for, per kind (longer ones are cut).
fn detail_reserve(kind: Kind) -> &'static str {
    match kind {
        Kind::Pod => "Init:CrashLoopBackOff 0/1",
        Kind::Claim => "Terminating 100Mi",
        Kind::Volume => "Bound 100Mi · kind-worker10",
        _ => "",
    }
}

/// Room for a badge (`old 5d8c8f6`; at [`Density::Rows`] `old`).
fn badge_w(d: Density) -> i32 {
    let widest = if d == Density::Rows {
        "old"
    } else {
        "old 5d8c8f6"
    };
    w(widest, BADGE_SIZE, false) + 8
}

/// A revision badge's words at `d`, if it is drawn: `old 5d8c8f6`, `new 7f9a1c2`,
/// `rev 5d8c8f6`; at [`Density::Rows`] only `old` and `new` during an update (the hashes are
/// in the details; with one revision there is nothing to tell apart).
pub fn badge_text(r: &crate::graph::Revision, d: Density) -> Option<String> {
    use crate::graph::RevisionRole;
    match (d, r.role) {
        (Density::Rows, RevisionRole::Current) => None,
        (Density::Rows, RevisionRole::New) => Some("new".into()),
        (Density::Rows, RevisionRole::Old) => Some("old".into()),
        _ => Some(r.badge()),
    }
}

/// A volume slot reserves the width of a local-path volume name (`pvc-<uid>`), so the column
/// does not grow when the first volume is provisioned.
const PV_RESERVE: &str = "pvc-00000000-0000-0000-0000-000000000000";

/// A `Rows` volume slot reserves the width of a cut local-path volume name.
const PV_SHORT_RESERVE: &str = "pvc-00000000…";

/// What a box shows as the object's name at `d`: its title, except that at [`Density::Rows`]
/// a machine-made volume name (`pvc-` and a 36-character uid) is cut after eight digits of the
/// uid (`pvc-3f2a9c1e…`, like a short commit hash; the whole name is in the details).
pub fn short_title(o: &Obj, d: Density) -> std::borrow::Cow<'_, str> {
    let t = o.title();
    if d == Density::Rows
        && o.kind == Kind::Volume
        && o.aggregate.is_none()
        && t.len() == PV_RESERVE.len()
        && let Some(head) = t.strip_prefix("pvc-").and_then(|r| r.get(..8))
    {
        return format!("pvc-{head}…").into();
    }
    t.into()
}

/// The font of an object's name: size and weight. Volume names are machine-made
/// (`pvc-<uid>`) and long, so they are set a little smaller and not bold.
pub fn name_font(o: &Obj, d: Density) -> (f32, bool) {
    let row = matches!(o.kind, Kind::Pod | Kind::Claim | Kind::Volume);
    let narrow = matches!(d, Density::Stacked | Density::Rows);
    let size = if o.aggregate.is_some() || (narrow && !row) {
        NAME_SIZE
    } else {
        d.name_size()
    };
    if o.kind == Kind::Volume && o.aggregate.is_none() {
        // Stacked and rows: the same size, so every name reads as large.
        let smaller = if narrow { 0.0 } else { 1.0 };
        (size - smaller, false)
    } else if d == Density::Rows && o.kind == Kind::Claim && o.aggregate.is_none() {
        // Rows: the pod's name leads its line; the claim's is set like the volume's.
        (size, false)
    } else {
        (size, true)
    }
}

/// Width of the box of `o` at `d`.
fn box_w(o: &Obj, d: Density) -> i32 {
    let range = o.aggregate.is_some();
    let (name_size, bold) = name_font(o, d);
    let name = PAD + ICON + w(o.title(), name_size, bold) + PAD;
    let badge = if o.revision.is_some() {
        badge_w(d) + 6
    } else {
        0
    };
    let mut content = match (d, range) {
        (Density::Full, _) | (_, true) => {
            let reserve = if range {
                w("900 pods: 880 Running, 20 starting", DETAIL_SIZE, false)
            } else {
                w(detail_reserve(o.kind), DETAIL_SIZE, false)
            };
            name.max(PAD + ICON + reserve + badge + PAD)
        }
        (Density::Rows, false) => {
            let title = short_title(o, d);
            PAD + ICON + w(&title, name_size, bold) + PAD + badge
        }
        (Density::Compact | Density::Stacked, false) => name + badge,
    };
    if o.kind == Kind::Volume && d == Density::Rows && o.aggregate.is_none() {
        content = content.max(PAD + ICON + w(PV_SHORT_RESERVE, name_size, bold) + PAD);
    } else if o.kind == Kind::Volume {
        content = content.max(PAD + ICON + w(PV_RESERVE, name_size, bold) + PAD);
    }
    content
}

/// A head's state words (`27/100 ready · OrderedReady`, built in `build`) measured as if
/// every replica were ready (`100/100 …`), so the column does not change width while pods
/// become ready (all digits are equally wide in the font).
fn head_detail_reserve(detail: &str) -> String {
    match detail.split_once('/') {
        Some((ready, rest)) if ready.bytes().all(|b| b.is_ascii_digit()) => {
            let want = rest.split(' ').next().unwrap_or("");
            let ready = if want.len() > ready.len() {
                want
            } else {
                ready
            };
            format!("{ready}/{rest}")
        }
        _ => detail.to_string(),
    }
}

/// The width a head box (workload, ReplicaSet, Service) needs for its lines.
fn head_width(g: &Graph, id: NodeId) -> i32 {
    g.node(id).map_or(0, |o| {
        let detail = PAD + ICON + w(&head_detail_reserve(&o.detail), DETAIL_SIZE, false) + PAD;
        let line3 = o
            .line3
            .as_ref()
            .map_or(0, |t| PAD + ICON + w(t, DETAIL_SIZE, false) + PAD);
        (PAD + ICON + w(o.title(), NAME_SIZE, true) + PAD)
            .max(detail)
            .max(line3)
    })
}

/// The why note of one ordinal's line: the pod's first sentence, else its claim's or volume's.
/// A run of pods not created yet waits on one chain: only the first of them gets a note (the
/// others keep theirs in the details). `prev_missing_noted` carries the run along the rows.
fn row_note<'g>(
    g: &'g Graph,
    row: &Row,
    prev_missing_noted: &mut bool,
) -> Option<(NodeId, &'g String)> {
    let waiting = std::iter::once(row.pod)
        .chain(row.claims.iter().flat_map(|s| [s.claim, s.volume]))
        .find_map(|id| g.node(id).and_then(|o| o.why.first().map(|s| (id, s))));
    let missing = g.node(row.pod).is_some_and(|o| o.status == Status::Missing);
    let repeat = missing && *prev_missing_noted;
    *prev_missing_noted = missing && (waiting.is_some() || *prev_missing_noted);
    waiting.filter(|_| !repeat)
}

/// Put `node` in a box at `rect` (with its state words when `two`; `aside`: the room beside a
/// one-line box for them, [`Density::Stacked`]'s pods).
#[allow(clippy::too_many_arguments)]
fn place(
    g: &Graph,
    at: &mut [Option<usize>],
    l: &mut Layout,
    node: NodeId,
    rect: Rect,
    two: bool,
    aside: i32,
    d: Density,
) {
    let Some(o) = g.node(node) else { return };
    let inner = rect.w - PAD - ICON - PAD;
    let badge = o
        .revision
        .as_ref()
        .filter(|r| badge_text(r, d).is_some())
        .map(|_| {
            let bw = badge_w(d);
            if two {
                Rect {
                    x: rect.right() - PAD - bw,
                    y: rect.y + rect.h - 17,
                    w: bw,
                    h: 13,
                }
            } else {
                Rect {
                    x: rect.right() - 5 - bw,
                    y: rect.mid_y() - 7,
                    w: bw,
                    h: 13,
                }
            }
        });
    let room = inner - badge.map_or(0, |b| b.w + 6);
    let detail = if two {
        text::fit(&o.detail, DETAIL_SIZE, false, room as f32)
    } else if aside > 0 {
        text::fit(&o.detail, DETAIL_SIZE, false, aside as f32)
    } else {
        String::new()
    };
    if let Some(slot) = at.get_mut(node) {
        *slot = Some(l.boxes.len());
    }
    l.boxes.push(Placed {
        node,
        rect,
        two_lines: two,
        detail,
        badge,
    });
}

/// A claim and its volume on one line at `y`, `h` high (`cols`: the claims' and the volumes'
/// x and width), as [`place`] with no room aside.
#[allow(clippy::too_many_arguments)]
fn place_chain(
    g: &Graph,
    at: &mut [Option<usize>],
    l: &mut Layout,
    slot: &crate::graph::ClaimSlot,
    cols: [(i32, i32); 2],
    (y, h): (i32, i32),
    two: bool,
    d: Density,
) {
    for (id, (x, w)) in [slot.claim, slot.volume].into_iter().zip(cols) {
        place(g, at, l, id, Rect { x, y, w, h }, two, 0, d);
    }
}

/// The head line of the stacked and Rows layouts: `heads` (node, width) placed left to right
/// from `(x, y)`, `h` high, `STACK_HEAD_GAP` apart, with their state words; `detail`, when
/// given, replaces each box's detail line (fitted to the box). Returns the line's right edge.
#[allow(clippy::too_many_arguments)]
fn place_heads(
    g: &Graph,
    at: &mut [Option<usize>],
    l: &mut Layout,
    heads: &[(NodeId, i32)],
    (x, y, h): (i32, i32, i32),
    d: Density,
    detail: Option<&dyn Fn(&Obj) -> String>,
) -> i32 {
    let mut hx = x;
    for &(id, hw) in heads {
        let rect = Rect { x: hx, y, w: hw, h };
        place(g, at, l, id, rect, true, 0, d);
        if let (Some(f), Some(o), Some(b)) = (detail, g.node(id), l.boxes.last_mut()) {
            b.detail = text::fit(&f(o), DETAIL_SIZE, false, (hw - PAD - ICON - PAD) as f32);
        }
        hx += hw + STACK_HEAD_GAP;
    }
    hx - STACK_HEAD_GAP
}

/// The stacked group's geometry (see [`Density::Stacked`]).
const STACK_TITLE: i32 = 21;
/// Left of the pods: the Service's bus, the workload's bus and the chain's words.
const STACK_BUS: i32 = 46;
const STACK_INDENT: i32 = 16;
const STACK_GAP: i32 = 16;
const STACK_HEAD_GAP: i32 = 56;
const STACK_LINE: i32 = 4;
const STACK_PAD: i32 = 8;
const STACK_MARGIN: i32 = 6;
const STACK_HEADER: &str = "pod, under it its claim (PVC) → volume (PV)";

/// Lay out a group stacked at (x0, y0); returns its frame's rectangle, title and headers.
#[allow(clippy::too_many_arguments)]
fn stack_group(
    calm: bool,
    g: &Graph,
    group: &crate::graph::Group,
    x0: i32,
    y0: i32,
    d: Density,
    l: &mut Layout,
    at: &mut [Option<usize>],
) -> (Rect, Header, Vec<Header>) {
    let left = x0 + STACK_PAD;
    let pods_x = left + STACK_BUS;
    let (pod_w, claim_w, vol_w) = row_widths(g, group, d);
    let claims_x = pods_x + STACK_INDENT;
    let vols_x = claims_x + claim_w + STACK_GAP;
    // The head line: the workload, then its Service.
    let heads: Vec<(NodeId, i32)> = std::iter::once(group.head)
        .chain(group.service)
        .map(|id| (id, head_width(g, id).max(HEAD_MIN_W)))
        .collect();
    let heads_w: i32 =
        heads.iter().map(|(_, hw)| hw + STACK_HEAD_GAP).sum::<i32>() - STACK_HEAD_GAP;
    let header_w = w(STACK_HEADER, HEADER_SIZE, false);
    let inner_right = (vols_x + vol_w)
        .max(pods_x + pod_w + 160)
        .max(left + heads_w);
    // The header beside the heads when it fits, else on a line of its own.
    let header_beside = left + heads_w + 24 + header_w <= inner_right;
    let head_y = y0 + STACK_TITLE;
    let head_h = if g.node(group.head).is_some_and(|o| o.line3.is_some()) {
        SET_H
    } else {
        Density::Full.box_h()
    };
    place_heads(g, at, l, &heads, (left, head_y, head_h), d, None);
    let mut y = head_y + head_h + 8;
    // The set's own waits, under the head line.
    if let Some(head) = g.node(group.head)
        && let Some(first) = head.why.first().filter(|_| !calm)
    {
        let lines = text::wrap(first, WHY_SIZE, false, (inner_right - left) as f32, 2);
        let n = lines.len() as i32;
        l.notes.push(Note {
            node: group.head,
            x: left,
            y,
            w: inner_right - left,
            lines,
        });
        y += n * 13 + 4;
    }
    let header = if header_beside {
        Header {
            text: STACK_HEADER.into(),
            x: inner_right - header_w,
            y: head_y + head_h - 3,
        }
    } else {
        y += 16;
        Header {
            text: STACK_HEADER.into(),
            x: pods_x,
            y: y - 4,
        }
    };
    let aside_x = pods_x + pod_w + 8;
    let aside_w = inner_right - aside_x;
    let mut prev_missing_noted = false;
    for row in &group.rows {
        let range = g.node(row.pod).is_some_and(|o| o.aggregate.is_some());
        let (bh, two) = if range {
            (RANGE_H, true)
        } else {
            (d.box_h(), false)
        };
        // The why sentence beside the pod, else its state words.
        let note = row_note(g, row, &mut prev_missing_noted);
        let aside = if note.is_some() || two { 0 } else { aside_w };
        place(
            g,
            at,
            l,
            row.pod,
            Rect {
                x: pods_x,
                y,
                w: pod_w,
                h: bh,
            },
            two,
            aside,
            d,
        );
        if let Some((id, sentence)) = note {
            l.notes.push(Note {
                node: id,
                x: aside_x,
                y: y + bh / 2 - 7,
                w: aside_w,
                lines: vec![text::fit(sentence, WHY_SIZE, false, aside_w as f32)],
            });
        }
        let mut cy = y + bh + STACK_LINE;
        for slot in &row.claims {
            let cols = [(claims_x, claim_w), (vols_x, vol_w)];
            place_chain(g, at, l, slot, cols, (cy, d.box_h()), false, d);
            cy += d.box_h() + STACK_LINE;
        }
        y = cy - STACK_LINE + d.gap();
    }
    let rect = Rect {
        x: x0,
        y: y0,
        w: inner_right + STACK_PAD - x0,
        h: y - d.gap() + STACK_PAD - y0,
    };
    let title = Header {
        text: group.title.clone(),
        x: left,
        y: y0 + 15,
    };
    let headers = if claim_w > 0 {
        vec![header]
    } else {
        Vec::new()
    };
    (rect, title, headers)
}

/// The rows group's geometry (see [`Density::Rows`]).
const ROWS_GAP: i32 = 16;
/// The why column at [`Density::Rows`]: at least this wide, wider when the pane has room.
pub const ROWS_WHY_MIN: i32 = 120;
pub const ROWS_WHY_MAX: i32 = 360;
const ROWS_HEADER_H: i32 = 14;

/// Lay out a group in rows at (x0, y0) (see [`Density::Rows`]); returns its frame's
/// rectangle, title and headers.
#[allow(clippy::too_many_arguments)]
fn rows_group(
    calm: bool,
    g: &Graph,
    group: &crate::graph::Group,
    x0: i32,
    y0: i32,
    why_w: i32,
    l: &mut Layout,
    at: &mut [Option<usize>],
) -> (Rect, Header, Vec<Header>) {
    let d = Density::Rows;
    let left = x0 + STACK_PAD;
    let pods_x = left + STACK_BUS;
    let (pod_w, claim_w, vol_w) = row_widths(g, group, d);
    let claims_x = pods_x + pod_w + ROWS_GAP;
    let (vols_x, row_right) = if claim_w > 0 {
        let vx = claims_x + claim_w + ROWS_GAP;
        (vx, vx + vol_w)
    } else {
        (claims_x, pods_x + pod_w)
    };
    let why_x = row_right + GAP_WHY;
    let inner_right = why_x + why_w;
    // The head line: the workload, its ReplicaSets, its Service; the set's own wait beside
    // them.
    // Two-line head boxes: a workload's third line (its revision) joins its second, with
    // room for the longest form (`updating 5d8c8f6 → 7f9a1c2`).
    let joined = |o: &Obj| match &o.line3 {
        Some(l3) => format!("{} · {l3}", o.detail),
        None => o.detail.clone(),
    };
    let heads: Vec<(NodeId, i32)> = std::iter::once(group.head)
        .chain(group.subheads.iter().copied())
        .chain(group.service)
        .map(|id| {
            let wide = g
                .node(id)
                .and_then(|o| o.line3.as_ref().map(|_| o))
                .map_or(0, |o| {
                    let reserve = format!(
                        "{} · updating 0000000 → 0000000",
                        head_detail_reserve(&o.detail)
                    );
                    PAD + ICON + w(&reserve, DETAIL_SIZE, false) + PAD
                });
            (id, head_width(g, id).max(wide).max(HEAD_MIN_W))
        })
        .collect();
    let head_y = y0 + STACK_TITLE;
    let head_h = Density::Full.box_h();
    let heads_right = place_heads(g, at, l, &heads, (left, head_y, head_h), d, Some(&joined));
    let mut y = head_y + head_h + 8;
    if let Some(head) = g.node(group.head)
        && let Some(first) = head.why.first().filter(|_| !calm)
    {
        // Beside the heads (the rows are wider than the head line).
        let beside = (inner_right - heads_right - 16).max(160);
        l.notes.push(Note {
            node: group.head,
            x: heads_right + 16,
            y: head_y,
            w: beside,
            lines: text::wrap(first, WHY_SIZE, false, beside as f32, 3),
        });
    }
    // Column headers.
    y += ROWS_HEADER_H;
    let hy_text = y - 4;
    let mut headers = vec![Header {
        text: "pods".into(),
        x: pods_x,
        y: hy_text,
    }];
    if claim_w > 0 {
        headers.push(Header {
            text: "claims (PVC)".into(),
            x: claims_x,
            y: hy_text,
        });
        headers.push(Header {
            text: "volumes (PV)".into(),
            x: vols_x,
            y: hy_text,
        });
    }
    headers.push(Header {
        text: "why is it waiting?".into(),
        x: why_x,
        y: hy_text,
    });
    let mut prev_missing_noted = false;
    for row in &group.rows {
        let range = g.node(row.pod).is_some_and(|o| o.aggregate.is_some());
        let (bh, two) = if range {
            (RANGE_H, true)
        } else {
            (d.box_h(), false)
        };
        let pitch = bh + d.gap();
        place(
            g,
            at,
            l,
            row.pod,
            Rect {
                x: pods_x,
                y,
                w: pod_w,
                h: bh,
            },
            two,
            0,
            d,
        );
        for (k, slot) in row.claims.iter().enumerate() {
            let cy = y + k as i32 * pitch;
            let cols = [(claims_x, claim_w), (vols_x, vol_w)];
            place_chain(g, at, l, slot, cols, (cy, bh), two, d);
        }
        let waiting = row_note(g, row, &mut prev_missing_noted);
        if let Some((id, sentence)) = waiting {
            l.notes.push(Note {
                node: id,
                x: why_x,
                y: y + bh / 2 - 7,
                w: why_w,
                lines: vec![text::fit(sentence, WHY_SIZE, false, why_w as f32)],
            });
        }
        y += row.claims.len().max(1) as i32 * pitch;
    }
    let rect = Rect {
        x: x0,
        y: y0,
        w: inner_right.max(heads_right + 16 + 160) + STACK_PAD - x0,
        h: y - d.gap() + STACK_PAD - y0,
    };
    let title = Header {
        text: group.title.clone(),
        x: left,
        y: y0 + 15,
    };
    (rect, title, headers)
}

/// Per-group column geometry.
struct Columns {
    head_x: i32,
    head_w: i32,
    pods_x: i32,
    pod_w: i32,
    lanes: usize,
    claims_x: i32,
    claim_w: i32,
    vols_x: i32,
    vol_w: i32,
    why_x: i32,
    why_w: i32,
    right: i32,
}

/// The widest pod, claim and volume box of a group's rows: its three columns' widths.
fn row_widths(g: &Graph, group: &crate::graph::Group, d: Density) -> (i32, i32, i32) {
    let node_w = |id: NodeId| g.node(id).map_or(0, |o| box_w(o, d));
    let widest = |ids: &mut dyn Iterator<Item = NodeId>| ids.map(node_w).max().unwrap_or(0);
    let claims = || group.rows.iter().flat_map(|r| r.claims.iter());
    (
        widest(&mut group.rows.iter().map(|r| r.pod)),
        widest(&mut claims().map(|c| c.claim)),
        widest(&mut claims().map(|c| c.volume)),
    )
}

fn why_w(d: Density) -> i32 {
    match d {
        Density::Full => 236,
        Density::Compact | Density::Stacked | Density::Rows => 320,
    }
}

fn columns(g: &Graph, gi: usize, x0: i32, d: Density) -> Option<Columns> {
    let group = g.groups.get(gi)?;
    let head_w = std::iter::once(group.head)
        .chain(group.subheads.iter().copied())
        .chain(group.service)
        .map(|id| head_width(g, id))
        .max()
        .unwrap_or(0)
        .max(HEAD_MIN_W);
    let (pod_w, claim_w, vol_w) = row_widths(g, group, d);
    let lanes = if g.lanes.is_empty() {
        1
    } else {
        g.lanes.len() + 1
    };
    let head_x = x0 + FRAME_PAD;
    let pods_x = head_x + head_w + GAP_HEAD;
    let pods_end = pods_x + lanes as i32 * pod_w + (lanes as i32 - 1) * LANE_GAP;
    let claims_x = pods_end + GAP;
    let (vols_x, after_vols) = if claim_w > 0 {
        let vx = claims_x + claim_w + GAP;
        (vx, vx + vol_w)
    } else {
        (claims_x, pods_end)
    };
    let why_x = after_vols + GAP_WHY;
    let why_w = why_w(d);
    Some(Columns {
        head_x,
        head_w,
        pods_x,
        pod_w,
        lanes,
        claims_x,
        claim_w,
        vols_x,
        vol_w,
        why_x,
        why_w,
        right: why_x + why_w + FRAME_PAD,
    })
}

/// The density by row count alone (no pane known: exports, the CLI, the poster).
fn default_density(g: &Graph) -> Density {
    let total_rows: usize = g.groups.iter().map(|gr| gr.rows.len()).sum();
    if total_rows <= STACK_MAX_ROWS && g.lanes.is_empty() {
        Density::Stacked
    } else if total_rows <= FULL_MAX_ROWS {
        Density::Full
    } else {
        Density::Compact
    }
}

/// The rendered size (CSS px × 100, whole) of the names of `l` fitted into `pane`.
pub fn fit_name_px(l: &Layout, pane: (i32, i32)) -> i32 {
    let d = l.density.unwrap_or(Density::Full);
    let scale = (f64::from(pane.0) / f64::from(l.width.max(1)))
        .min(f64::from(pane.1) / f64::from(l.height.max(1)));
    (f64::from(d.name_size()) * scale * 100.0) as i32
}

/// The density for a pane (see [`LayoutOptions::pane`]) and, for [`Density::Rows`], the why
/// column's width: every candidate is laid out without the head's why notes (so a wait never
/// switches the choice), and the one whose names come out largest at fit wins (ties: the
/// earlier of `Stacked`, `Rows`, the row count's default). The why column takes the room the
/// pane has to spare beside the rows at the fitted scale, within [`ROWS_WHY_MIN`] and
/// [`ROWS_WHY_MAX`].
pub fn choose(g: &Graph, opts: &LayoutOptions) -> (Density, i32) {
    let fallback = opts.density.unwrap_or_else(|| default_density(g));
    let total_rows: usize = g.groups.iter().map(|gr| gr.rows.len()).sum();
    let Some((pw, ph)) = opts.pane.filter(|&(w, h)| w > 0 && h > 0) else {
        return (fallback, ROWS_WHY_MIN);
    };
    if opts.density.is_some() || total_rows > FULL_MAX_ROWS || !g.lanes.is_empty() {
        return (fallback, ROWS_WHY_MIN);
    }
    let rows = layout_at(g, opts, Density::Rows, ROWS_WHY_MIN, true);
    // The width the pane offers at the scale the height allows.
    let offered = i64::from(pw) * i64::from(rows.height) / i64::from(ph);
    let spare = i32::try_from(offered - i64::from(rows.width)).unwrap_or(0);
    let why_w = (ROWS_WHY_MIN + spare.max(0)).min(ROWS_WHY_MAX);
    let rows = layout_at(g, opts, Density::Rows, why_w, true);
    let mut best = (fit_name_px(&rows, (pw, ph)), Density::Rows);
    for d in [Density::Stacked, default_density(g)] {
        if d == Density::Rows {
            continue;
        }
        let px = fit_name_px(&layout_at(g, opts, d, why_w, true), (pw, ph));
        if px > best.0 || (px == best.0 && d == Density::Stacked) {
            best = (px, d);
        }
    }
    (best.1, why_w)
}

/// Place everything.
pub fn layout(g: &Graph, opts: &LayoutOptions) -> Layout {
    let (d, why_w) = choose(g, opts);
    layout_at(g, opts, d, why_w, false)
}

/// `calm`: without the head's why notes (the only notes that take room of their own).
fn layout_at(g: &Graph, opts: &LayoutOptions, d: Density, rows_why_w: i32, calm: bool) -> Layout {
    let mut l = Layout {
        density: Some(d),
        ..Layout::default()
    };
    // box index per node, for routing
    let mut at: Vec<Option<usize>> = vec![None; g.nodes.len()];
    // Whether a node's box is in a stacked group (its edges route differently).
    let mut stacked = vec![false; g.nodes.len()];
    let margin = if matches!(d, Density::Stacked | Density::Rows) {
        STACK_MARGIN
    } else {
        MARGIN
    };
    let (mut x0, mut y0) = (margin, margin);
    let mut right = margin;
    let mut bottom = margin;
    for gi in 0..g.groups.len() {
        let Some(group) = g.groups.get(gi) else {
            continue;
        };
        let rows = d == Density::Rows;
        if rows || (d == Density::Stacked && group.subheads.is_empty()) {
            let first = l.boxes.len();
            let (rect, title, headers) = if rows {
                rows_group(calm, g, group, x0, y0, rows_why_w, &mut l, &mut at)
            } else {
                stack_group(calm, g, group, x0, y0, d, &mut l, &mut at)
            };
            for b in l.boxes.get(first..).unwrap_or_default() {
                if let Some(s) = stacked.get_mut(b.node) {
                    *s = true;
                }
            }
            l.frames.push(Frame {
                group: gi,
                rect,
                title,
                headers,
                lanes: Vec::new(),
            });
            right = right.max(rect.right());
            bottom = bottom.max(rect.bottom());
            if opts.side_by_side {
                x0 = rect.right() + 16;
            } else {
                y0 = rect.bottom() + 16;
            }
            continue;
        }
        let Some(c) = columns(g, gi, x0, d) else {
            continue;
        };
        let rows_top = y0 + FRAME_TOP;
        let mut place = |l: &mut Layout, node: NodeId, rect: Rect, two: bool| {
            place(g, &mut at, l, node, rect, two, 0, d);
        };

        // Head column: the workload, its sub-heads, its Service.
        let mut hy = rows_top;
        for id in std::iter::once(group.head).chain(group.subheads.iter().copied()) {
            place(
                &mut l,
                id,
                Rect {
                    x: c.head_x,
                    y: hy,
                    w: c.head_w,
                    h: SET_H,
                },
                true,
            );
            hy += SET_H + SVC_GAP;
        }
        if let Some(svc) = group.service {
            place(
                &mut l,
                svc,
                Rect {
                    x: c.head_x,
                    y: hy,
                    w: c.head_w,
                    h: Density::Full.box_h(),
                },
                true,
            );
            hy += Density::Full.box_h() + 10;
        }
        // The set's own waits, under the head column.
        if let Some(head) = g.node(group.head)
            && let Some(first) = head.why.first().filter(|_| !calm).filter(|_| !calm)
        {
            let lines = text::wrap(first, WHY_SIZE, false, c.head_w as f32, 5);
            let n = lines.len() as i32;
            l.notes.push(Note {
                node: group.head,
                x: c.head_x,
                y: hy,
                w: c.head_w,
                lines,
            });
            hy += n * 13 + 6;
        }

        // Rows.
        let mut y = rows_top;
        let mut prev_missing_noted = false;
        for row in &group.rows {
            let range = g.node(row.pod).is_some_and(|o| o.aggregate.is_some());
            let (bh, two) = if range {
                (RANGE_H, true)
            } else {
                (d.box_h(), d == Density::Full)
            };
            let pitch = bh + d.gap();
            let lane = if c.lanes > 1 {
                row.lane.map_or(0, |i| i + 1)
            } else {
                0
            };
            let px = c.pods_x + lane as i32 * (c.pod_w + LANE_GAP);
            place(
                &mut l,
                row.pod,
                Rect {
                    x: px,
                    y,
                    w: c.pod_w,
                    h: bh,
                },
                two,
            );
            for (k, slot) in row.claims.iter().enumerate() {
                let cy = y + k as i32 * pitch;
                place(
                    &mut l,
                    slot.claim,
                    Rect {
                        x: c.claims_x,
                        y: cy,
                        w: c.claim_w,
                        h: bh,
                    },
                    two,
                );
                place(
                    &mut l,
                    slot.volume,
                    Rect {
                        x: c.vols_x,
                        y: cy,
                        w: c.vol_w,
                        h: bh,
                    },
                    two,
                );
            }
            // The why note: the pod's first sentence, else a claim's.
            let waiting = row_note(g, row, &mut prev_missing_noted);
            if let Some((id, sentence)) = waiting {
                let lines = if two {
                    text::wrap(sentence, WHY_SIZE, false, c.why_w as f32, 3)
                } else {
                    vec![text::fit(sentence, WHY_SIZE, false, c.why_w as f32)]
                };
                l.notes.push(Note {
                    node: id,
                    x: c.why_x,
                    y,
                    w: c.why_w,
                    lines,
                });
            }
            let claims = row.claims.len().max(1) as i32;
            y += claims * pitch;
        }
        let content_bottom = y.max(hy);
        let rect = Rect {
            x: x0,
            y: y0,
            w: c.right - x0,
            h: content_bottom - y0 + FRAME_PAD - d.gap().min(FRAME_PAD),
        };
        let hy_text = y0 + FRAME_TOP - 8;
        let mut headers = vec![Header {
            text: "workload".into(),
            x: c.head_x,
            y: hy_text,
        }];
        let mut lanes = Vec::new();
        if c.lanes > 1 {
            for li in 0..c.lanes {
                let lx = c.pods_x + li as i32 * (c.pod_w + LANE_GAP);
                let node = if li == 0 {
                    None
                } else {
                    g.lanes.get(li - 1).copied()
                };
                let label = match node.and_then(|n| g.node(n)) {
                    Some(o) => format!("pods on {} {}", o.name, o.status.icon()),
                    None => "pods not scheduled".into(),
                };
                headers.push(Header {
                    text: text::fit(&label, HEADER_SIZE, true, c.pod_w as f32),
                    x: lx,
                    y: hy_text,
                });
                lanes.push((
                    node,
                    Rect {
                        x: lx - 3,
                        y: rows_top - 4,
                        w: c.pod_w + 6,
                        h: (y - rows_top).max(0) + 2,
                    },
                ));
            }
        } else {
            headers.push(Header {
                text: "pods".into(),
                x: c.pods_x,
                y: hy_text,
            });
        }
        if c.claim_w > 0 {
            headers.push(Header {
                text: "claims (PVC)".into(),
                x: c.claims_x,
                y: hy_text,
            });
            headers.push(Header {
                text: "volumes (PV)".into(),
                x: c.vols_x,
                y: hy_text,
            });
        }
        headers.push(Header {
            text: "why is it waiting?".into(),
            x: c.why_x,
            y: hy_text,
        });
        l.frames.push(Frame {
            group: gi,
            rect,
            title: Header {
                text: group.title.clone(),
                x: x0 + FRAME_PAD,
                y: y0 + 18,
            },
            headers,
            lanes,
        });
        right = right.max(rect.right());
        bottom = bottom.max(rect.bottom());
        if opts.side_by_side {
            x0 = rect.right() + 16;
        } else {
            y0 = rect.bottom() + 16;
        }
    }

    // Edges. A Deployment's ReplicaSets each get their own bus (the k-th one 10 px further
    // right), so a pod's line leads back to the ReplicaSet that owns it.
    let bus_shift = |from: NodeId| -> i32 {
        g.groups
            .iter()
            .find_map(|gr| gr.subheads.iter().position(|s| *s == from))
            .map_or(0, |k| 10 * k.min(4) as i32)
    };
    let first_rows: Vec<NodeId> = g
        .groups
        .iter()
        .filter_map(|gr| gr.rows.first())
        .flat_map(|r| std::iter::once(r.pod).chain(r.claims.iter().map(|c| c.claim)))
        .collect();
    for (ei, e) in g.edges.iter().enumerate() {
        let (Some(a), Some(b)) = (
            at.get(e.from)
                .copied()
                .flatten()
                .and_then(|i| l.boxes.get(i)),
            at.get(e.to).copied().flatten().and_then(|i| l.boxes.get(i)),
        ) else {
            continue;
        };
        let (ra, rb) = (a.rect, b.rect);
        let stack = stacked.get(e.to).copied().unwrap_or(false);
        let route = match e.kind {
            // Stacked: the workload's bus and the Service's bus run down the left of the pods.
            // (A Deployment's ReplicaSets are on its line: the plain route below.)
            EdgeKind::Owns if stack && rb.y >= ra.bottom() => {
                let bus = rb.x - STACK_BUS + 10 + bus_shift(e.from) / 2;
                let y2 = rb.mid_y();
                Route {
                    edge: ei,
                    points: vec![(bus, ra.bottom()), (bus, y2), (rb.x, y2)],
                    label: e.label.as_ref().map(|_| (rb.x - 4, y2 - 3)),
                    dot: false,
                }
            }
            EdgeKind::Selects if stack => {
                let bus = rb.x - STACK_BUS + 3;
                let yb = ra.bottom() + 3;
                Route {
                    edge: ei,
                    points: vec![
                        (ra.mid_x(), ra.bottom()),
                        (ra.mid_x(), yb),
                        (bus, yb),
                        (bus, rb.mid_y()),
                    ],
                    label: None,
                    dot: true,
                }
            }
            EdgeKind::Governs if stack => {
                let y = rb.mid_y();
                Route {
                    edge: ei,
                    points: vec![(ra.x, y), (rb.right(), y)],
                    label: Some((
                        (ra.x + rb.right()) / 2 + w(e.text(), LABEL_SIZE, false) / 2,
                        y - 4,
                    )),
                    dot: false,
                }
            }
            EdgeKind::Mounts if stack && rb.y > ra.bottom() => {
                let x = rb.x - 12;
                Route {
                    edge: ei,
                    points: vec![(x, ra.bottom()), (x, rb.mid_y()), (rb.x, rb.mid_y())],
                    label: None,
                    dot: false,
                }
            }
            EdgeKind::BoundTo if stack => Route {
                edge: ei,
                points: vec![(ra.right(), ra.mid_y()), (rb.x, rb.mid_y())],
                label: None,
                dot: false,
            },
            EdgeKind::Owns | EdgeKind::Selects => {
                // A bus down the gap between the head column (where both the workload and
                // its Service end) and the pods.
                let bus = ra.right()
                    + if e.kind == EdgeKind::Owns {
                        18 + bus_shift(e.from)
                    } else {
                        32
                    };
                let y1 = ra.mid_y();
                let y2 = rb.mid_y();
                if e.kind == EdgeKind::Owns {
                    Route {
                        edge: ei,
                        points: vec![(ra.right(), y1), (bus, y1), (bus, y2), (rb.x, y2)],
                        label: e.label.as_ref().map(|_| (rb.x - 4, y2 - 3)),
                        dot: false,
                    }
                } else {
                    Route {
                        edge: ei,
                        points: vec![(ra.right(), y1), (bus, y1), (bus, y2)],
                        label: None,
                        dot: true,
                    }
                }
            }
            EdgeKind::Governs => Route {
                edge: ei,
                points: vec![(ra.mid_x(), ra.y), (rb.mid_x(), rb.bottom())],
                label: Some((ra.mid_x() - 5, (ra.y + rb.bottom()) / 2 + 4)),
                dot: false,
            },
            EdgeKind::Mounts | EdgeKind::BoundTo => {
                let (x1, y1, x2, y2) = (ra.right(), ra.mid_y(), rb.x, rb.mid_y());
                let points = if y1 == y2 {
                    vec![(x1, y1), (x2, y2)]
                } else {
                    let xm = (x1 + x2) / 2;
                    vec![(x1, y1), (xm, y1), (xm, y2), (x2, y2)]
                };
                // Words on the first row's edges only: they say what the columns mean.
                let first_row = first_rows.contains(&e.from);
                let label = (first_row && y1 == y2)
                    .then(|| ((x1 + x2) / 2 + w(e.text(), LABEL_SIZE, false) / 2, y1 - 4));
                Route {
                    edge: ei,
                    points,
                    label,
                    dot: false,
                }
            }
            // Lanes show where a pod runs; no line.
            EdgeKind::RunsOn => continue,
        };
        l.routes.push(route);
    }

    // Legend under the picture.
    if !g.groups.is_empty() {
        let mut x = margin;
        let y = bottom
            + if matches!(d, Density::Stacked | Density::Rows) {
                14
            } else {
                16
            };
        for s in crate::graph::Status::ALL {
            l.legend.push(LegendItem { status: s, x, y });
            x += LEGEND_ICON + w(s.word(), DETAIL_SIZE, false) + 16;
        }
        right = right.max(x);
        bottom = y + LEGEND_H - 14;
    }
    l.width = right + margin;
    l.height = bottom + margin;
    l
}

/// An arrow key's direction in the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Left,
    Right,
    Up,
    Down,
}

/// The object the keyboard moves to from `from` (the diagram's roving focus): the nearest box
/// whose centre lies that way. Left and right stay on the line (a box whose height overlaps
/// `from`'s), so from a pod, Right goes to its claim where they share a line and nowhere
/// where the claim sits under it; up and down take the nearest line, preferring boxes straight
/// above or below. `None`: nothing that way (focus stays).
pub fn neighbor(l: &Layout, from: NodeId, dir: Dir) -> Option<NodeId> {
    let cur = l.rect_of(from)?;
    let (cx, cy) = (cur.x * 2 + cur.w, cur.y * 2 + cur.h);
    l.boxes
        .iter()
        .filter(|b| b.node != from)
        .filter_map(|b| {
            let r = b.rect;
            // Centres, doubled (whole numbers).
            let (dx, dy) = (r.x * 2 + r.w - cx, r.y * 2 + r.h - cy);
            let overlap = r.y < cur.bottom() && cur.y < r.bottom();
            let score = match dir {
                Dir::Right if dx > 0 && overlap => dx + dy.abs(),
                Dir::Left if dx < 0 && overlap => -dx + dy.abs(),
                Dir::Down if dy > 0 => dy + 2 * dx.abs(),
                Dir::Up if dy < 0 => -dy + 2 * dx.abs(),
                _ => return None,
            };
            Some((score, b.node))
        })
        .min()
        .map(|(_, n)| n)
}
