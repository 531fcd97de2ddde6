//! The diagram pane: the diagram crate's scene ([`diagram::scene`]) built as VNodes, element by
//! element (attributes and text nodes, never markup), keyed so an update keeps the DOM nodes
//! and CSS animates moves and state changes.
//!
//! - What the last step changed is highlighted ([`diagram::changed`] between the previous and
//!   this graph).
//! - Click (or Enter on a focused object) selects it everywhere through the reducer
//!   (`AppAction::Select`); hover and focus show its details beside the picture.
//! - Fit to the pane by default; zoom (buttons, ctrl + wheel) and pan (drag, scroll).
//! - Exports: a self-contained SVG file, a PNG (the same SVG drawn on a canvas), the mermaid
//!   text copied to the clipboard (and shown, to select by hand where the clipboard is denied).

use std::collections::BTreeSet;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub graph: Rc<diagram::Graph>,
    /// The selected object (`kind/name`), from the reducer.
    #[prop_or_default]
    pub selected: Option<AttrValue>,
    /// A tour step's objects (`kind/name`, as the selection): drawn with a tour outline
    /// (`dg-tour`) besides the selection.
    #[prop_or_default]
    pub highlight: Rc<Vec<String>>,
    /// Select an object (or clear the selection).
    pub on_select: Callback<Option<String>>,
    /// Runs a console line (for actions started from the diagram).
    pub run: Callback<String>,
    /// The mermaid export of the current cluster (what `sim diagram mermaid` prints: built
    /// with mermaid's limits, so it may aggregate sooner than the picture).
    pub mermaid: Callback<(), String>,
}

/// Zoom steps (1.0 = the layout's own pixels); `None` = fit the pane's width.
const ZOOMS: [f64; 7] = [0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0];

/// Build VNodes from the scene.
pub fn el_html(el: &diagram::El) -> Html {
    let mut tag = yew::virtual_dom::VTag::new(el.tag);
    for (name, value) in &el.attrs {
        tag.add_attribute(name, value.clone());
    }
    if let Some(t) = &el.text {
        tag.add_child(Html::from(t.clone()));
    }
    for c in &el.children {
        tag.add_child(el_html(c));
    }
    tag.key = el.key.as_deref().map(Into::into);
    tag.into()
}

/// Add `dg-tour` to the class of every object whose `data-ref` is in `refs` (a tour step's
/// objects; classes are ours, the reference is only compared).
fn mark_tour(el: &mut diagram::El, refs: &[String]) {
    let hit = el
        .attrs
        .iter()
        .any(|(n, v)| *n == "data-ref" && refs.iter().any(|r| r == v));
    if hit && let Some((_, class)) = el.attrs.iter_mut().find(|(n, _)| *n == "class") {
        class.push_str(" dg-tour");
    }
    for c in &mut el.children {
        mark_tour(c, refs);
    }
}

/// The object element (`[data-key]`) an event happened in, if any.
fn object_of(e: &Event) -> Option<web_sys::Element> {
    let t: web_sys::Element = e.target()?.dyn_into().ok()?;
    t.closest("[data-key]").ok().flatten()
}

/// Offer `data` as a file download named `name`.
fn download_blob(blob: &web_sys::Blob, name: &str) -> Option<()> {
    let url = web_sys::Url::create_object_url_with_blob(blob).ok()?;
    let doc = web_sys::window()?.document()?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The object URL is revoked a little later: the download reads it asynchronously.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    web_sys::window()?
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)
        .ok()?;
    Some(())
}

fn svg_blob(svg: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::of1(&JsValue::from_str(svg));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()
}

/// Draw the SVG on a canvas (2× for sharpness) and download it as PNG.
fn download_png(svg: &str, w: i32, h: i32) -> Option<()> {
    let blob = svg_blob(svg)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let img = web_sys::HtmlImageElement::new().ok()?;
    let img2 = img.clone();
    let url2 = url.clone();
    let onload = Closure::once_into_js(move || {
        let _ = (|| -> Option<()> {
            let doc = web_sys::window()?.document()?;
            let canvas: web_sys::HtmlCanvasElement =
                doc.create_element("canvas").ok()?.dyn_into().ok()?;
            let scale = 2.0;
            canvas.set_width((f64::from(w) * scale) as u32);
            canvas.set_height((f64::from(h) * scale) as u32);
            let ctx: web_sys::CanvasRenderingContext2d =
                canvas.get_context("2d").ok()??.dyn_into().ok()?;
            ctx.set_fill_style_str("#ffffff");
            ctx.fill_rect(0.0, 0.0, f64::from(w) * scale, f64::from(h) * scale);
            ctx.scale(scale, scale).ok()?;
            ctx.draw_image_with_html_image_element(&img2, 0.0, 0.0)
                .ok()?;
            let _ = web_sys::Url::revoke_object_url(&url2);
            let done = Closure::once_into_js(move |b: JsValue| {
                if let Ok(b) = b.dyn_into::<web_sys::Blob>() {
                    let _ = download_blob(&b, "statefulset-diagram.png");
                }
            });
            canvas
                .to_blob_with_type(done.unchecked_ref(), "image/png")
                .ok()?;
            Some(())
        })();
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
    Some(())
}

#[function_component(Diagram)]
pub fn diagram_view(props: &DiagramProps) -> Html {
    // What the last update changed: the previous graph is kept across renders.
    let prev = use_mut_ref(|| None::<Rc<diagram::Graph>>);
    let changed = {
        let prev = prev.clone();
        use_memo(props.graph.clone(), move |g| {
            let before = prev.borrow_mut().replace(g.clone());
            let set: BTreeSet<String> = match before {
                // The first picture, or a new namespace: nothing to point at.
                Some(b) if !b.is_empty() => diagram::changed(&b, g),
                _ => BTreeSet::new(),
            };
            set
        })
    };
    let layout = use_memo(props.graph.clone(), |g| {
        diagram::layout(g, &diagram::LayoutOptions::default())
    });
    let scene = {
        let selected = props.selected.clone();
        use_memo(
            (props.graph.clone(), changed.clone(), selected),
            |(g, changed, selected)| {
                diagram::scene(
                    g,
                    &layout,
                    &diagram::SceneOptions {
                        changed: Some(changed),
                        selected: selected.as_deref(),
                        id_prefix: "app-",
                        interactive: true,
                        plain: false,
                    },
                )
            },
        )
    };
    let zoom = use_state(|| None::<usize>);
    let details = use_state(|| None::<String>);
    let mermaid = use_state(|| None::<String>);
    let copied = use_state(|| false);
    let view_ref = use_node_ref();
    let drag = use_mut_ref(|| None::<(i32, i32, i32, i32)>);

    let key_details = {
        let graph = props.graph.clone();
        move |key: &str| graph.find(key).map(diagram::scene::details)
    };
    let onclick = {
        let on_select = props.on_select.clone();
        let details = details.clone();
        let key_details = key_details.clone();
        Callback::from(move |e: MouseEvent| {
            let o = object_of(&e);
            if let Some(d) = o
                .as_ref()
                .and_then(|o| o.get_attribute("data-key"))
                .and_then(|k| key_details(&k))
            {
                details.set(Some(d));
            }
            on_select.emit(o.and_then(|o| o.get_attribute("data-ref")));
        })
    };
    let onkeydown = {
        let on_select = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                if let Some(r) = object_of(&e).and_then(|o| o.get_attribute("data-ref")) {
                    e.prevent_default();
                    on_select.emit(Some(r));
                }
            } else if e.key() == "Escape" {
                on_select.emit(None);
            }
        })
    };
    let show = {
        let details = details.clone();
        let key_details = key_details.clone();
        move |e: &Event| {
            let d = object_of(e)
                .and_then(|o| o.get_attribute("data-key"))
                .and_then(|k| key_details(&k));
            if d.is_some() {
                details.set(d);
            }
        }
    };
    let onmouseover = {
        let show = show.clone();
        Callback::from(move |e: MouseEvent| show(&e))
    };
    let onfocusin = Callback::from(move |e: FocusEvent| show(&e));

    // Zoom: ctrl + wheel, and buttons.
    let step_zoom = {
        let zoom = zoom.clone();
        move |dir: i32| {
            let i = (*zoom).unwrap_or(3) as i32;
            let n = (i + dir).clamp(0, ZOOMS.len() as i32 - 1) as usize;
            zoom.set(Some(n));
        }
    };
    let onwheel = {
        let step_zoom = step_zoom.clone();
        Callback::from(move |e: WheelEvent| {
            if e.ctrl_key() {
                e.prevent_default();
                step_zoom(if e.delta_y() < 0.0 { 1 } else { -1 });
            }
        })
    };
    // Pan: drag the background (the view scrolls).
    let onpointerdown = {
        let drag = drag.clone();
        let view_ref = view_ref.clone();
        Callback::from(move |e: PointerEvent| {
            if object_of(&e).is_some() || e.button() != 0 {
                return;
            }
            if let Some(v) = view_ref.cast::<web_sys::Element>() {
                *drag.borrow_mut() =
                    Some((e.client_x(), e.client_y(), v.scroll_left(), v.scroll_top()));
            }
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let view_ref = view_ref.clone();
        Callback::from(move |e: PointerEvent| {
            if let (Some((x, y, l, t)), Some(v)) =
                (*drag.borrow(), view_ref.cast::<web_sys::Element>())
            {
                v.set_scroll_left(l - (e.client_x() - x));
                v.set_scroll_top(t - (e.client_y() - y));
            }
        })
    };
    let onpointerup = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| {
            *drag.borrow_mut() = None;
        })
    };

    // Exports.
    let export_svg = {
        let graph = props.graph.clone();
        let layout = layout.clone();
        move || {
            diagram::to_svg(&diagram::scene(
                &graph,
                &layout,
                &diagram::SceneOptions::default(),
            ))
        }
    };
    let on_svg = {
        let export_svg = export_svg.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(b) = svg_blob(&export_svg()) {
                let _ = download_blob(&b, "statefulset-diagram.svg");
            }
        })
    };
    let on_png = {
        let export_svg = export_svg.clone();
        let (w, h) = (layout.width, layout.height);
        Callback::from(move |_: MouseEvent| {
            let _ = download_png(&export_svg(), w.max(1), h.max(1));
        })
    };
    let on_copy = {
        let mermaid = mermaid.clone();
        let copied = copied.clone();
        let text = props.mermaid.clone();
        Callback::from(move |_: MouseEvent| {
            let m = text.emit(());
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&m);
            }
            mermaid.set(Some(m));
            copied.set(true);
        })
    };
    let hide_mermaid = {
        let mermaid = mermaid.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            mermaid.set(None);
            copied.set(false);
        })
    };

    let fit = zoom.is_none();
    let style = match *zoom {
        None => "width:100%;height:auto".to_string(),
        Some(i) => {
            let z = ZOOMS.get(i).copied().unwrap_or(1.0);
            format!(
                "width:{:.0}px;height:{:.0}px",
                f64::from(layout.width) * z,
                f64::from(layout.height) * z
            )
        }
    };
    let mut root = (*scene).clone();
    root.attrs.retain(|(n, _)| *n != "width" && *n != "height");
    // The page's CSP allows no inline <style>; web/style.css carries the same rules.
    root.children.retain(|c| c.tag != "style");
    root.attrs.push(("id", "diagram".into()));
    if !props.highlight.is_empty() {
        mark_tour(&mut root, &props.highlight);
    }
    root.attrs.push(("style", style));
    let zoom_label = match *zoom {
        None => "fit".to_string(),
        Some(i) => format!("{:.0}%", ZOOMS.get(i).copied().unwrap_or(1.0) * 100.0),
    };
    let zoom_in = {
        let s = step_zoom.clone();
        Callback::from(move |_: MouseEvent| s(1))
    };
    let zoom_out = Callback::from(move |_: MouseEvent| step_zoom(-1));
    let zoom_fit = {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.set(None))
    };
    html! {
        <div class="diagram-wrap">
            <div class="pane-title diagram-bar">
                {"Diagram"}
                <span class="diagram-tools" role="toolbar" aria-label="diagram tools">
                    <button class="small" id="diagram-zoom-out" aria-label="zoom out" onclick={zoom_out}>{"−"}</button>
                    <button class="small" id="diagram-zoom-fit" aria-label="fit the diagram to the pane" aria-pressed={fit.to_string()} onclick={zoom_fit}>{ zoom_label }</button>
                    <button class="small" id="diagram-zoom-in" aria-label="zoom in" onclick={zoom_in}>{"+"}</button>
                    <button class="small" id="diagram-svg" aria-label="download the diagram as SVG" onclick={on_svg}>{"SVG"}</button>
                    <button class="small" id="diagram-png" aria-label="download the diagram as PNG" onclick={on_png}>{"PNG"}</button>
                    <button class="small" id="diagram-mermaid" aria-label="Copy mermaid text of the diagram" onclick={on_copy}>{"Copy mermaid"}</button>
                </span>
            </div>
            if let Some(m) = (*mermaid).clone() {
                <div class="mermaid-box">
                    <span class="muted">{ if *copied { "Copied to the clipboard (or select it here):" } else { "Mermaid text:" } }</span>
                    <button class="small" aria-label="hide the mermaid text" onclick={hide_mermaid}>{"×"}</button>
                    <textarea id="mermaid" readonly=true class="mermaid-text" aria-label="mermaid text" value={m} />
                </div>
            }
            <div class="diagram-view" ref={view_ref}
                onclick={onclick} onkeydown={onkeydown} onmouseover={onmouseover} onfocusin={onfocusin}
                onwheel={onwheel} onpointerdown={onpointerdown} onpointermove={onpointermove}
                onpointerup={onpointerup.clone()} onpointerleave={onpointerup}>
                { el_html(&root) }
            </div>
            <div id="diagram-details" class="diagram-details" aria-live="polite">
                { (*details).clone().unwrap_or_else(|| "Hover, focus or click an object for its details.".into()) }
            </div>
        </div>
    }
}
