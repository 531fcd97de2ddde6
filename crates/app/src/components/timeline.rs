//! The timeline: a slider over the recorded history, one mark per event and command. Going
//! back and forth is `sim seek P` (non-destructive: the future stays until something new
//! happens).

use std::cell::Cell;
use std::rc::Rc;

use sim::history::{Mark, MarkKind};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::model::{TimelineView, clock_text};

/// Most marks drawn; beyond that, neighbouring entries share a mark.
const MAX_MARKS: usize = 400;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub timeline: Rc<TimelineView>,
    pub on_seek: Callback<usize>,
}

/// A stop of the slider: a position reached by an event or a command (clock moves and no-op
/// steps are passed over), or either end.
fn is_stop(marks: &[Mark], p: usize, oldest: usize) -> bool {
    p == oldest
        || p == marks.len()
        || p.checked_sub(1)
            .and_then(|i| marks.get(i))
            .is_some_and(|m| matches!(m.kind, MarkKind::Event | MarkKind::Command))
}

/// The stop `steps` stops away from `from` (negative: back), clamped to the ends.
pub fn stop_from(tl: &TimelineView, from: usize, steps: i32) -> usize {
    let mut p = from;
    for _ in 0..steps.unsigned_abs() {
        loop {
            if steps > 0 {
                if p >= tl.marks.len() {
                    return p;
                }
                p += 1;
            } else {
                if p <= tl.oldest {
                    return p;
                }
                p -= 1;
            }
            if is_stop(&tl.marks, p, tl.oldest) {
                break;
            }
        }
    }
    p
}

/// What the entry that led to position `p` did (`t = 1.0s: event: …`).
fn what(m: &Mark) -> String {
    let kind = match m.kind {
        MarkKind::Command => "command",
        MarkKind::Event => "event",
        MarkKind::Noop => "no-op",
        MarkKind::Clock => "clock",
    };
    format!("t = {}: {kind}: {}", clock_text(m.time), m.label)
}

/// What position `p` is, in words.
pub fn describe(tl: &TimelineView, p: usize) -> String {
    let total = tl.marks.len();
    let when = if p > tl.position {
        " (recorded future)"
    } else {
        ""
    };
    match p.checked_sub(1).and_then(|i| tl.marks.get(i)) {
        None => format!("entry 0 of {total}: the fresh cluster{when}"),
        Some(m) => format!("entry {p} of {total}, {}{when}", what(m)),
    }
}

fn percent(tl: &TimelineView, p: usize) -> f64 {
    let span = tl.marks.len().saturating_sub(tl.oldest);
    if span == 0 {
        return 0.0;
    }
    (p.saturating_sub(tl.oldest) as f64 / span as f64 * 100.0).clamp(0.0, 100.0)
}

/// The slider. A struct component (no hooks: each hook instantiates yew's hook plumbing for its
/// types).
pub struct Timeline {
    /// The position under the pointer (hover or drag), shown before it is chosen.
    hover: Option<usize>,
    dragging: Rc<Cell<bool>>,
    /// The marks, made again only when the timeline changed.
    marks: Vec<(usize, &'static str, String)>,
    marks_of: Rc<TimelineView>,
}

impl Component for Timeline {
    /// The position under the pointer.
    type Message = Option<usize>;
    type Properties = TimelineProps;

    fn create(ctx: &Context<Self>) -> Self {
        let tl = ctx.props().timeline.clone();
        Timeline {
            hover: None,
            dragging: Rc::default(),
            marks: marks(&tl),
            marks_of: tl,
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, hover: Option<usize>) -> bool {
        self.hover = hover;
        true
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &TimelineProps) -> bool {
        let tl = &ctx.props().timeline;
        if *tl != self.marks_of {
            self.marks = marks(tl);
            self.marks_of = tl.clone();
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        timeline_view(self, ctx)
    }
}

// Marks: events and commands, bucketed when there are many. Drawn in an SVG whose x unit is
// one history entry: a new entry changes only its viewBox, not every mark's position.
fn marks(tl: &TimelineView) -> Vec<(usize, &'static str, String)> {
    let n = tl.marks.len();
    let per = n.div_ceil(MAX_MARKS).max(1);
    let mut out: Vec<(usize, &'static str, String)> = Vec::new();
    let mut i = tl.oldest;
    while i < n {
        let end = (i + per).min(n);
        let bucket = tl.marks.get(i..end).unwrap_or(&[]);
        let kind = if bucket.iter().any(|m| m.kind == MarkKind::Command) {
            Some("command")
        } else if bucket.iter().any(|m| m.kind == MarkKind::Event) {
            Some("event")
        } else {
            None
        };
        if let Some(kind) = kind {
            // Not the total or the position: a new entry must not rewrite every title.
            let title = match tl.marks.get(i) {
                Some(m) if per == 1 => format!("entry {end}, {}", what(m)),
                _ => format!("entries {}–{end}", i + 1),
            };
            out.push((end - tl.oldest, kind, title));
        }
        i = end;
    }
    out
}

fn timeline_view(this: &Timeline, ctx: &Context<Timeline>) -> Html {
    let props = ctx.props();
    let tl = props.timeline.clone();
    let hover = ctx.link().callback(|h: Option<usize>| h);
    let dragging = this.dragging.clone();
    let total = tl.marks.len();

    let at_pointer = {
        let tl = tl.clone();
        move |e: &PointerEvent| -> Option<usize> {
            let el: web_sys::Element = e.current_target()?.dyn_into().ok()?;
            let r = el.get_bounding_client_rect();
            if r.width() <= 0.0 {
                return None;
            }
            let f = ((f64::from(e.client_x()) - r.left()) / r.width()).clamp(0.0, 1.0);
            let span = tl.marks.len().saturating_sub(tl.oldest);
            let p = tl.oldest + (f * span as f64).round() as usize;
            // Snap to the nearest stop.
            let back = stop_from(&tl, p, -1);
            let fwd = stop_from(&tl, p.saturating_sub(1), 1);
            Some(if is_stop(&tl.marks, p, tl.oldest) {
                p
            } else if p - back <= fwd.saturating_sub(p) {
                back
            } else {
                fwd
            })
        }
    };
    let onpointermove = {
        let hover = hover.clone();
        let at = at_pointer.clone();
        Callback::from(move |e: PointerEvent| hover.emit(at(&e)))
    };
    let onpointerleave = {
        let hover = hover.clone();
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| {
            if !dragging.get() {
                hover.emit(None);
            }
        })
    };
    let onpointerdown = {
        let dragging = dragging.clone();
        let hover = hover.clone();
        let at = at_pointer.clone();
        Callback::from(move |e: PointerEvent| {
            dragging.set(true);
            if let Some(el) = e
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            hover.emit(at(&e));
        })
    };
    let onpointerup = {
        let dragging = dragging.clone();
        let hover = hover.clone();
        let on_seek = props.on_seek.clone();
        let position = tl.position;
        let at = at_pointer;
        Callback::from(move |e: PointerEvent| {
            if dragging.replace(false)
                && let Some(p) = at(&e)
                && p != position
            {
                on_seek.emit(p);
            }
            hover.emit(None);
        })
    };
    let onkeydown = {
        let tl = tl.clone();
        let on_seek = props.on_seek.clone();
        Callback::from(move |e: KeyboardEvent| {
            let p = tl.position;
            let to = match e.key().as_str() {
                "ArrowRight" | "ArrowUp" => stop_from(&tl, p, 1),
                "ArrowLeft" | "ArrowDown" => stop_from(&tl, p, -1),
                "PageUp" => stop_from(&tl, p, 10),
                "PageDown" => stop_from(&tl, p, -10),
                "Home" => tl.oldest,
                "End" => tl.marks.len(),
                _ => return,
            };
            e.prevent_default();
            if to != p {
                on_seek.emit(to);
            }
        })
    };

    let marks = &this.marks;
    let shown = this.hover.unwrap_or(tl.position);
    let label = describe(&tl, shown);
    html! {
        <div class="timeline-wrap">
            <div id="timeline" class="timeline" role="slider" tabindex="0" aria-label="Timeline"
                aria-valuemin={tl.oldest.to_string()} aria-valuemax={total.to_string()}
                aria-valuenow={tl.position.to_string()} aria-valuetext={describe(&tl, tl.position)}
                {onkeydown} {onpointerdown} {onpointermove} {onpointerup} {onpointerleave}>
                <div class="track" />
                <div class="fill" style={format!("width:{:.3}%", percent(&tl, tl.position))} />
                <svg class="marks" viewBox={format!("0 0 {} 26", total.saturating_sub(tl.oldest).max(1))}
                    preserveAspectRatio="none" aria-hidden="true">
                    { for marks.iter().map(|(x, kind, title)| html! {
                        <line key={*x} class={classes!("mark", *kind)} x1={x.to_string()} x2={x.to_string()}
                            y1={if *kind == "command" { "3" } else { "8" }} y2={if *kind == "command" { "23" } else { "18" }}>
                            <title>{ title.clone() }</title>
                        </line>
                    }) }
                </svg>
                if let Some(h) = this.hover {
                    <div class="ghost" style={format!("left:{:.3}%", percent(&tl, h))} />
                }
                <div class="thumb" style={format!("left:{:.3}%", percent(&tl, tl.position))} />
            </div>
            <div id="timeline-label" class="timeline-label" aria-hidden="true">{ label }</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(kind: MarkKind) -> Mark {
        Mark {
            time: 1000,
            kind,
            label: "x".into(),
        }
    }

    #[test]
    fn arrows_pass_over_clock_moves_and_stop_at_the_ends() {
        let tl = TimelineView {
            marks: vec![
                m(MarkKind::Command),
                m(MarkKind::Clock),
                m(MarkKind::Event),
                m(MarkKind::Noop),
                m(MarkKind::Clock),
            ],
            position: 0,
            oldest: 0,
        };
        assert_eq!(stop_from(&tl, 0, 1), 1);
        assert_eq!(stop_from(&tl, 1, 1), 3);
        assert_eq!(stop_from(&tl, 3, 1), 5, "the end is a stop");
        assert_eq!(stop_from(&tl, 5, 1), 5);
        assert_eq!(stop_from(&tl, 5, -1), 3);
        assert_eq!(stop_from(&tl, 3, -2), 0);
        assert_eq!(stop_from(&tl, 0, -1), 0);
        assert_eq!(stop_from(&tl, 0, 10), 5);
        assert!(describe(&tl, 3).starts_with("entry 3 of 5, t = 1.0s: event: x (recorded future)"));
        assert_eq!(describe(&tl, 0), "entry 0 of 5: the fresh cluster");
    }
}
