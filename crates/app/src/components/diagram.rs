//! The diagram pane: the diagram crate's scene ([`diagram::scene`]) kept in the DOM by a small
//! keyed patcher (module `dom`: element by element, attributes and text nodes, never markup),
//! outside Yew's virtual DOM: an update touches only the elements whose scene changed, keeps
//! the DOM nodes of the others, and CSS animates moves and state changes.
//!
//! - What the last step changed is highlighted ([`diagram::changed`] between the previous and
//!   this graph).
//! - Click (or Enter on a focused object) selects it everywhere through the reducer
//!   (`AppAction::Select`); hover and focus show its details beside the picture.
//! - Fit to the pane by default; zoom (buttons, ctrl + wheel) and pan (drag, scroll); Expand
//!   gives the picture the whole window (Back or Escape returns).
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

/// The SVG kept in the DOM in step with the scene, without a virtual DOM: a mirror of the
/// element tree (DOM element, its text node, children) and the scene it shows. An update
/// compares the new scene with the old one element by element and touches only what changed
/// (attributes, texts; children matched by key, or by tag and position when unkeyed), so a step
/// that moves one pod costs a few DOM calls, and a kept element animates its move by CSS.
/// Text is always a text node (`createTextNode`), never parsed markup.
mod dom {
    use std::collections::HashMap;

    use diagram::El;
    use web_sys::{Document, Element, Node, Text};

    const SVG_NS: &str = "http://www.w3.org/2000/svg";

    pub struct Mirror {
        node: Element,
        text: Option<Text>,
        kids: Vec<Mirror>,
    }

    impl Mirror {
        pub fn node(&self) -> &Element {
            &self.node
        }

        /// The DOM element of the scene element keyed `key`, among the children `els` this
        /// mirror shows.
        pub fn find(&self, els: &[&El], key: &str) -> Option<&Element> {
            self.kids
                .iter()
                .zip(els)
                .find_map(|(m, e)| m.find_el(e, key))
        }

        fn find_el(&self, el: &El, key: &str) -> Option<&Element> {
            if el.key.as_deref() == Some(key) {
                return Some(&self.node);
            }
            self.kids
                .iter()
                .zip(&el.children)
                .find_map(|(m, c)| m.find_el(c, key))
        }
    }

    type Attrs = [(&'static str, std::borrow::Cow<'static, str>)];

    /// Create the DOM of `el` (attributes, text node, children).
    pub fn create(doc: &Document, el: &El) -> Option<Mirror> {
        create_with(
            doc,
            el.tag,
            &el.attrs,
            el.text.as_deref(),
            el.children.iter(),
        )
    }

    fn create_with<'a>(
        doc: &Document,
        tag: &str,
        attrs: &Attrs,
        text: Option<&str>,
        children: impl Iterator<Item = &'a El>,
    ) -> Option<Mirror> {
        let node = doc.create_element_ns(Some(SVG_NS), tag).ok()?;
        for (n, v) in attrs {
            node.set_attribute(n, v).ok()?;
        }
        let text = match text {
            Some(t) => {
                let tn = doc.create_text_node(t);
                node.append_child(&tn).ok()?;
                Some(tn)
            }
            None => None,
        };
        let mut kids = Vec::new();
        for c in children {
            let m = create(doc, c)?;
            node.append_child(&m.node).ok()?;
            kids.push(m);
        }
        Some(Mirror { node, text, kids })
    }

    /// The root `<svg>` with its own attributes and the scene's children (`keep` filters them).
    pub fn create_root(doc: &Document, attrs: &Attrs, children: &[&El]) -> Option<Mirror> {
        create_with(doc, "svg", attrs, None, children.iter().copied())
    }

    fn patch_attrs(node: &Element, old: &Attrs, new: &Attrs) {
        for (n, v) in new {
            if old.iter().find(|(o, _)| o == n).map(|(_, ov)| ov) != Some(v) {
                let _ = node.set_attribute(n, v);
            }
        }
        for (n, _) in old {
            if !new.iter().any(|(m, _)| m == n) {
                let _ = node.remove_attribute(n);
            }
        }
    }

    fn patch_text(doc: &Document, m: &mut Mirror, new: Option<&str>) {
        match (&m.text, new) {
            (Some(tn), Some(t)) => tn.set_node_value(Some(t)),
            (Some(tn), None) => {
                let _ = m.node.remove_child(tn);
                m.text = None;
            }
            (None, Some(t)) => {
                let tn = doc.create_text_node(t);
                let _ = m.node.insert_before(&tn, m.node.first_child().as_ref());
                m.text = Some(tn);
            }
            (None, None) => {}
        }
    }

    /// Bring `m` (which shows `old`) to `new`.
    fn patch(doc: &Document, m: &mut Mirror, old: &El, new: &El) {
        if old == new {
            return;
        }
        patch_attrs(&m.node, &old.attrs, &new.attrs);
        if old.text != new.text {
            patch_text(doc, m, new.text.as_deref());
        }
        let o: Vec<&El> = old.children.iter().collect();
        let n: Vec<&El> = new.children.iter().collect();
        patch_kids(doc, m, &o, &n);
    }

    /// Bring the root to new attributes and children.
    pub fn patch_root(
        doc: &Document,
        m: &mut Mirror,
        old_attrs: &Attrs,
        new_attrs: &Attrs,
        old: &[&El],
        new: &[&El],
    ) {
        patch_attrs(&m.node, old_attrs, new_attrs);
        patch_kids(doc, m, old, new);
    }

    /// Who a child is: its key, or (unkeyed) its tag and place among the unkeyed.
    fn idents<'a>(els: &[&'a El]) -> Vec<(Option<&'a str>, &'static str, usize)> {
        let mut nth = 0;
        els.iter()
            .map(|e| match &e.key {
                Some(k) => (Some(k.as_str()), e.tag, 0),
                None => {
                    nth += 1;
                    (None, e.tag, nth)
                }
            })
            .collect()
    }

    fn patch_kids(doc: &Document, m: &mut Mirror, old: &[&El], new: &[&El]) {
        let oi = idents(old);
        let ni = idents(new);
        if oi == ni && m.kids.len() == old.len() {
            // The common step: the same objects, some changed.
            for ((k, o), n) in m.kids.iter_mut().zip(old).zip(new) {
                patch(doc, k, o, n);
            }
            return;
        }
        let mut pool: HashMap<_, (Mirror, &El)> = HashMap::new();
        for ((id, k), o) in oi.into_iter().zip(std::mem::take(&mut m.kids)).zip(old) {
            pool.insert(id, (k, *o));
        }
        let mut kids = Vec::with_capacity(new.len());
        for (id, n) in ni.iter().zip(new) {
            match pool.remove(id) {
                Some((mut k, o)) => {
                    patch(doc, &mut k, o, n);
                    kids.push(k);
                }
                None => {
                    if let Some(k) = create(doc, n) {
                        kids.push(k);
                    }
                }
            }
        }
        for (_, (k, _)) in pool {
            let _ = m.node.remove_child(&k.node);
        }
        // Order: from the end, move only a node whose next sibling is not the one it needs
        // (a kept node that is not moved keeps its running transition).
        let mut next: Option<Node> = None;
        for k in kids.iter().rev() {
            let sib = k.node.next_sibling();
            let in_place = match (&sib, &next) {
                (Some(s), Some(n)) => s.is_same_node(Some(n)),
                (None, None) => k.node.parent_node().is_some(),
                _ => false,
            };
            if !in_place {
                let _ = m.node.insert_before(&k.node, next.as_ref());
            }
            next = Some(k.node.clone().into());
        }
        m.kids = kids;
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

/// User timings of the diagram's phases (`performance.measure`, DevTools' Timings track and the
/// browser bench), only while the page sets `window.stsplayProfile = true`.
fn profiled<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let perf = web_sys::window()
        .filter(|w| {
            js_sys::Reflect::get(w, &JsValue::from_str("stsplayProfile"))
                .is_ok_and(|v| v.is_truthy())
        })
        .and_then(|w| w.performance());
    let Some(perf) = perf else { return f() };
    let _ = perf.mark(name);
    let out = f();
    let _ = perf.measure_with_start_mark(name, name);
    perf.clear_marks_with_mark_name(name);
    out
}

type RootAttrs = Vec<(&'static str, std::borrow::Cow<'static, str>)>;

/// The scene's children the page shows (no `<style>`: the CSP allows none inline).
fn kids(s: &diagram::El) -> Vec<&diagram::El> {
    s.children.iter().filter(|c| c.tag != "style").collect()
}

/// What the DOM shows: its mirror, the scene and the root's attributes it was made from.
struct Shown {
    dom: dom::Mirror,
    scene: Rc<diagram::El>,
    attrs: RootAttrs,
}

/// The diagram's one tab stop (a roving tabindex): the object keyed `key` (else the first
/// object) gets `tabindex=0`, the one before it `-1`; `focus` also moves the focus there.
/// Cheap when nothing changed (the kept element is still in the page with `0`).
fn rove(
    shown: &std::cell::RefCell<Option<Shown>>,
    rover: &std::cell::RefCell<Option<(String, web_sys::Element)>>,
    key: Option<&str>,
    focus: bool,
) {
    let shown = shown.borrow();
    let Some(s) = shown.as_ref() else { return };
    let mut rover = rover.borrow_mut();
    let want = key
        .map(str::to_string)
        .or_else(|| rover.as_ref().map(|r| r.0.clone()));
    if let Some((k, el)) = rover.as_ref()
        && want.as_deref() == Some(k.as_str())
        && el.is_connected()
        && el.get_attribute("tabindex").as_deref() == Some("0")
        && !focus
    {
        return;
    }
    let els = kids(&s.scene);
    let first = || {
        s.scene
            .find("objects")
            .and_then(|o| o.children.first())
            .and_then(|c| c.key.as_deref())
            .and_then(|k| k.strip_prefix("o:"))
            .map(str::to_string)
    };
    let found = want
        .and_then(|k| s.dom.find(&els, &format!("o:{k}")).map(|e| (k, e.clone())))
        .or_else(|| {
            let k = first()?;
            let e = s.dom.find(&els, &format!("o:{k}"))?.clone();
            Some((k, e))
        });
    let Some((k, el)) = found else { return };
    if let Some((_, old)) = rover.as_ref()
        && !old.is_same_node(Some(&el))
    {
        let _ = old.set_attribute("tabindex", "-1");
    }
    let _ = el.set_attribute("tabindex", "0");
    *rover = Some((k, el.clone()));
    // Focusing runs the focusin handler (which roves too) at once: no borrow held.
    drop(rover);
    drop(shown);
    if focus
        && let Ok(f) = js_sys::Reflect::get(&el, &JsValue::from_str("focus"))
        && let Ok(f) = f.dyn_into::<js_sys::Function>()
    {
        let _ = f.call0(&el);
    }
}

/// Bring the `<svg>` inside the view up to the scene (after each render; nothing to do when
/// neither the scene nor the zoom changed).
fn sync(
    shown: &std::cell::RefCell<Option<Shown>>,
    host: &NodeRef,
    scene: Rc<diagram::El>,
    attrs: RootAttrs,
) {
    let Some(host) = host.cast::<web_sys::Element>() else {
        return;
    };
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let mut shown = shown.borrow_mut();
    if let Some(s) = shown.as_mut()
        && s.dom
            .node()
            .parent_node()
            .is_some_and(|p| p.is_same_node(Some(&host)))
    {
        if Rc::ptr_eq(&s.scene, &scene) && s.attrs == attrs {
            return;
        }
        dom::patch_root(
            &doc,
            &mut s.dom,
            &s.attrs,
            &attrs,
            &kids(&s.scene),
            &kids(&scene),
        );
        s.scene = scene;
        s.attrs = attrs;
        return;
    }
    if let Some(old) = shown.take() {
        old.dom.node().remove();
    }
    if let Some(m) = dom::create_root(&doc, &attrs, &kids(&scene))
        && host.append_child(m.node()).is_ok()
    {
        *shown = Some(Shown {
            dom: m,
            scene,
            attrs,
        });
    }
}

/// The room the picture has at fit (CSS px, width × height, in steps of 4 px): the view's
/// width, and the height from the view's top to the bottom of its pane (the whole window when
/// expanded), so that fit shows all of it without scrolling (the details line below it may
/// need a scroll in a short pane: the picture comes first).
fn pane_room(view: &web_sys::Element) -> Option<(i32, i32)> {
    let host = view.closest(".diagram-expanded, .pane").ok().flatten()?;
    let h = host.get_bounding_client_rect().bottom() - view.get_bounding_client_rect().top()
        + f64::from(host.scroll_top())
        - 12.0;
    let q = |v: i32| v / 4 * 4;
    Some((q(view.client_width()), q(h as i32))).filter(|&(w, h)| w > 0 && h > 40)
}

/// What the diagram is told (beside its props).
pub enum DiagramMsg {
    /// The pane's room, measured.
    Pane(Option<(i32, i32)>),
    /// The details line (an object's).
    Details(String),
    Expanded(bool),
    Zoom(Option<usize>),
    SideBySide(bool),
    /// The mermaid text shown (or hidden), and whether it was copied.
    Mermaid(Option<String>, bool),
}

/// A pan's start: the pointer's x and y, the view's scroll left and top.
type Drag = (i32, i32, i32, i32);

/// The diagram pane. A struct component (no hooks: each hook instantiates yew's hook plumbing
/// for its types).
pub struct Diagram {
    /// The graph `changed` and `layout` were made for (the previous one when a new one comes).
    graph: Rc<diagram::Graph>,
    /// What the last update changed.
    changed: BTreeSet<String>,
    /// Groups (a StatefulSet and, after `sim contrast`, its Deployment) one under another by
    /// default; side by side on request, the contrast's comparison view.
    side_by_side: bool,
    /// The pane's room (measured after the first render and on resize): the layout is chosen
    /// for it.
    pane: Option<(i32, i32)>,
    layout: Rc<diagram::Layout>,
    /// The scene of `layout` and what it was made with (the selection, the tour's objects).
    scene: Rc<diagram::El>,
    scene_of: (Option<AttrValue>, Rc<Vec<String>>),
    view_ref: NodeRef,
    observer: Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>,
    zoom: Option<usize>,
    /// The whole window for the picture (the pane is narrow beside the editor and the lists).
    expanded: bool,
    details: Option<String>,
    mermaid: Option<String>,
    copied: bool,
    drag: Rc<std::cell::Cell<Option<Drag>>>,
    mirror: Rc<std::cell::RefCell<Option<Shown>>>,
    rover: Rc<std::cell::RefCell<Option<(String, web_sys::Element)>>>,
}

fn layout_of(g: &diagram::Graph, side_by_side: bool, pane: Option<(i32, i32)>) -> diagram::Layout {
    diagram::layout(
        g,
        &diagram::LayoutOptions {
            side_by_side,
            pane,
            ..diagram::LayoutOptions::default()
        },
    )
}

impl Diagram {
    fn scene_now(&self) -> Rc<diagram::El> {
        let (selected, highlight) = &self.scene_of;
        Rc::new(profiled("dg:scene", || {
            diagram::scene(
                &self.graph,
                &self.layout,
                &diagram::SceneOptions {
                    changed: Some(&self.changed),
                    selected: selected.as_deref(),
                    highlight: highlight.as_slice(),
                    id_prefix: "app-",
                    interactive: true,
                    plain: false,
                },
            )
        }))
    }

    /// The layout and scene made again for what changed: the graph (and so what changed in
    /// it), the layout's options, the selection and the tour's objects.
    fn refresh(&mut self, props: &DiagramProps, relayout: bool) {
        let new_graph = props.graph != self.graph;
        if new_graph {
            let before = std::mem::replace(&mut self.graph, props.graph.clone());
            // The first picture, or a new namespace: nothing to point at.
            self.changed = if before.is_empty() {
                BTreeSet::new()
            } else {
                diagram::changed(&before, &self.graph)
            };
        }
        if new_graph || relayout {
            self.layout = Rc::new(layout_of(&self.graph, self.side_by_side, self.pane));
        }
        let of = (props.selected.clone(), props.highlight.clone());
        if new_graph || relayout || of != self.scene_of {
            self.scene_of = of;
            self.scene = self.scene_now();
        }
    }

    /// The root's own attributes: the page sizes it (fit or zoom); the page's CSP allows no
    /// inline <style>, so that child is left out (web/style.css carries the same rules).
    fn root_attrs(&self) -> RootAttrs {
        let style = match self.zoom {
            // The whole picture in the pane's room: as wide as the pane, no taller than its room.
            None => match self.pane {
                Some((_, h)) => format!("width:100%;height:auto;max-height:{h}px"),
                None => "width:100%;height:auto".to_string(),
            },
            Some(i) => {
                let z = ZOOMS.get(i).copied().unwrap_or(1.0);
                format!(
                    "width:{:.0}px;height:{:.0}px",
                    f64::from(self.layout.width) * z,
                    f64::from(self.layout.height) * z
                )
            }
        };
        self.scene
            .attrs
            .iter()
            .filter(|(n, _)| *n != "width" && *n != "height")
            .cloned()
            .chain([("id", "diagram".into()), ("style", style.into())])
            .collect()
    }
}

impl Component for Diagram {
    type Message = DiagramMsg;
    type Properties = DiagramProps;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
        let layout = Rc::new(layout_of(&props.graph, false, None));
        let mut d = Diagram {
            graph: props.graph.clone(),
            changed: BTreeSet::new(),
            side_by_side: false,
            pane: None,
            layout,
            scene: Rc::new(diagram::El::default()),
            scene_of: (props.selected.clone(), props.highlight.clone()),
            view_ref: NodeRef::default(),
            observer: None,
            zoom: None,
            expanded: false,
            details: None,
            mermaid: None,
            copied: false,
            drag: Rc::default(),
            mirror: Rc::default(),
            rover: Rc::default(),
        };
        d.scene = d.scene_now();
        d
    }

    fn update(&mut self, ctx: &Context<Self>, msg: DiagramMsg) -> bool {
        match msg {
            DiagramMsg::Pane(p) => {
                if p == self.pane {
                    return false;
                }
                self.pane = p;
                self.refresh(ctx.props(), true);
            }
            DiagramMsg::SideBySide(s) => {
                self.side_by_side = s;
                self.refresh(ctx.props(), true);
            }
            DiagramMsg::Details(d) => self.details = Some(d),
            DiagramMsg::Expanded(e) => self.expanded = e,
            DiagramMsg::Zoom(z) => self.zoom = z,
            DiagramMsg::Mermaid(m, copied) => {
                self.mermaid = m;
                self.copied = copied;
            }
        }
        true
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &DiagramProps) -> bool {
        self.refresh(ctx.props(), false);
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            let view = self.view_ref.clone();
            let link = ctx.link().clone();
            let measure = Closure::<dyn FnMut()>::new(move || {
                if let Some(v) = view.cast::<web_sys::Element>() {
                    link.send_message(DiagramMsg::Pane(pane_room(&v)));
                }
            });
            let observer = web_sys::ResizeObserver::new(measure.as_ref().unchecked_ref()).ok();
            if let Some(o) = observer {
                // The view (its width: the window, Expand) and the page's panes (their
                // height: the window, the console and the watches).
                if let Some(v) = self.view_ref.cast::<web_sys::Element>() {
                    o.observe(&v);
                }
                if let Some(Ok(Some(el))) = web_sys::window()
                    .and_then(|w| w.document())
                    .map(|d| d.query_selector(".panes"))
                {
                    o.observe(&el);
                }
                self.observer = Some((o, measure));
            }
        }
        let attrs = self.root_attrs();
        let scene = self.scene.clone();
        profiled("dg:patch", || {
            sync(&self.mirror, &self.view_ref, scene, attrs)
        });
        rove(&self.mirror, &self.rover, None, false);
    }

    fn destroy(&mut self, _ctx: &Context<Self>) {
        if let Some((o, _)) = self.observer.take() {
            o.disconnect();
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        diagram_view(self, ctx)
    }
}

fn diagram_view(this: &Diagram, ctx: &Context<Diagram>) -> Html {
    let props = ctx.props();
    let link = ctx.link();
    let layout = &this.layout;
    let view_ref = &this.view_ref;
    let (mirror, rover, drag) = (&this.mirror, &this.rover, &this.drag);

    let key_details = {
        let graph = props.graph.clone();
        move |key: &str| graph.find(key).map(diagram::scene::details)
    };
    let onclick = {
        let on_select = props.on_select.clone();
        let link = link.clone();
        let key_details = key_details.clone();
        Callback::from(move |e: MouseEvent| {
            let o = object_of(&e);
            if let Some(d) = o
                .as_ref()
                .and_then(|o| o.get_attribute("data-key"))
                .and_then(|k| key_details(&k))
            {
                link.send_message(DiagramMsg::Details(d));
            }
            on_select.emit(o.and_then(|o| o.get_attribute("data-ref")));
        })
    };
    let onkeydown = {
        let on_select = props.on_select.clone();
        let link = link.clone();
        let graph = props.graph.clone();
        let layout = layout.clone();
        let mirror = mirror.clone();
        let rover = rover.clone();
        Callback::from(move |e: KeyboardEvent| {
            let dir = match e.key().as_str() {
                "ArrowLeft" => Some(diagram::Dir::Left),
                "ArrowRight" => Some(diagram::Dir::Right),
                "ArrowUp" => Some(diagram::Dir::Up),
                "ArrowDown" => Some(diagram::Dir::Down),
                _ => None,
            };
            let from = object_of(&e)
                .and_then(|o| o.get_attribute("data-key"))
                .and_then(|k| graph.nodes.iter().position(|n| n.key == k));
            let to = match (e.key().as_str(), dir, from) {
                (_, Some(d), Some(f)) => diagram::neighbor(&layout, f, d),
                ("Home", _, Some(_)) => layout.boxes.first().map(|b| b.node),
                ("End", _, Some(_)) => layout.boxes.last().map(|b| b.node),
                _ => None,
            };
            if dir.is_some() || (from.is_some() && matches!(e.key().as_str(), "Home" | "End")) {
                // The arrows move the focus, not the view.
                e.prevent_default();
            }
            if let Some(k) = to.and_then(|n| graph.node(n)).map(|o| o.key.clone()) {
                rove(&mirror, &rover, Some(&k), true);
                return;
            }
            if e.key() == "Enter" || e.key() == " " {
                if let Some(r) = object_of(&e).and_then(|o| o.get_attribute("data-ref")) {
                    e.prevent_default();
                    on_select.emit(Some(r));
                }
            } else if e.key() == "Escape" {
                on_select.emit(None);
                link.send_message(DiagramMsg::Expanded(false));
            }
        })
    };
    let show = {
        let link = link.clone();
        move |e: &Event| {
            if let Some(d) = object_of(e)
                .and_then(|o| o.get_attribute("data-key"))
                .and_then(|k| key_details(&k))
            {
                link.send_message(DiagramMsg::Details(d));
            }
        }
    };
    let onmouseover = {
        let show = show.clone();
        Callback::from(move |e: MouseEvent| show(&e))
    };
    let onfocusin = {
        let mirror = mirror.clone();
        let rover = rover.clone();
        Callback::from(move |e: FocusEvent| {
            // A click or a screen reader's focus moves the tab stop too.
            if let Some(k) = object_of(&e).and_then(|o| o.get_attribute("data-key")) {
                rove(&mirror, &rover, Some(&k), false);
            }
            show(&e);
        })
    };

    // Zoom: ctrl + wheel, and buttons.
    let step_zoom = {
        let link = link.clone();
        let i = this.zoom.unwrap_or(3) as i32;
        move |dir: i32| {
            let n = (i + dir).clamp(0, ZOOMS.len() as i32 - 1) as usize;
            link.send_message(DiagramMsg::Zoom(Some(n)));
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
                drag.set(Some((
                    e.client_x(),
                    e.client_y(),
                    v.scroll_left(),
                    v.scroll_top(),
                )));
            }
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let view_ref = view_ref.clone();
        Callback::from(move |e: PointerEvent| {
            if let (Some((x, y, l, t)), Some(v)) = (drag.get(), view_ref.cast::<web_sys::Element>())
            {
                v.set_scroll_left(l - (e.client_x() - x));
                v.set_scroll_top(t - (e.client_y() - y));
            }
        })
    };
    let onpointerup = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| drag.set(None))
    };

    // Exports.
    // The files are laid out for no pane (the row count's density, every name whole): a file
    // has no small pane to fit.
    let export_svg = {
        let graph = props.graph.clone();
        let side = this.side_by_side;
        move || {
            let l = layout_of(&graph, side, None);
            let svg = diagram::to_svg(&diagram::scene(
                &graph,
                &l,
                &diagram::SceneOptions::default(),
            ));
            (svg, l.width.max(1), l.height.max(1))
        }
    };
    let on_svg = {
        let export_svg = export_svg.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(b) = svg_blob(&export_svg().0) {
                let _ = download_blob(&b, "statefulset-diagram.svg");
            }
        })
    };
    let on_png = {
        Callback::from(move |_: MouseEvent| {
            let (svg, w, h) = export_svg();
            let _ = download_png(&svg, w, h);
        })
    };
    let on_copy = {
        let link = link.clone();
        let text = props.mermaid.clone();
        Callback::from(move |_: MouseEvent| {
            let m = text.emit(());
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&m);
            }
            link.send_message(DiagramMsg::Mermaid(Some(m), true));
        })
    };
    let hide_mermaid = {
        let link = link.clone();
        Callback::from(move |_: MouseEvent| link.send_message(DiagramMsg::Mermaid(None, false)))
    };

    let fit = this.zoom.is_none();
    let zoom_label = match this.zoom {
        None => "fit".to_string(),
        Some(i) => format!("{:.0}%", ZOOMS.get(i).copied().unwrap_or(1.0) * 100.0),
    };
    let zoom_in = {
        let s = step_zoom.clone();
        Callback::from(move |_: MouseEvent| s(1))
    };
    let zoom_out = Callback::from(move |_: MouseEvent| step_zoom(-1));
    let expanded = this.expanded;
    let toggle_expand = {
        let link = link.clone();
        Callback::from(move |_: MouseEvent| link.send_message(DiagramMsg::Expanded(!expanded)))
    };
    let zoom_fit = {
        let link = link.clone();
        Callback::from(move |_: MouseEvent| link.send_message(DiagramMsg::Zoom(None)))
    };
    let side_by_side = this.side_by_side;
    let toggle_side = {
        let link = link.clone();
        Callback::from(move |_: MouseEvent| {
            link.send_message(DiagramMsg::SideBySide(!side_by_side))
        })
    };
    let several_groups = props.graph.groups.len() > 1;
    // Before anything is applied the picture is empty: say what fills it (our words).
    let idle_hint = if props.graph.groups.is_empty() {
        "The diagram draws StatefulSets and Deployments, with their pods, claims and volumes: none yet. Apply the files (the Apply button, or kubectl apply -f in the console)."
    } else {
        "Hover, focus or click an object for its details."
    };
    html! {
        <div class={classes!("diagram-wrap", expanded.then_some("diagram-expanded"))}>
            <div class="pane-title diagram-bar">
                {"Diagram"}
                <span class="diagram-tools" role="toolbar" aria-label="diagram tools">
                    <button class="small" id="diagram-zoom-out" aria-label="zoom out" onclick={zoom_out}>{"−"}</button>
                    <button class="small" id="diagram-zoom-fit" aria-label="fit the diagram to the pane" aria-pressed={fit.to_string()} onclick={zoom_fit}>{ zoom_label }</button>
                    <button class="small" id="diagram-zoom-in" aria-label="zoom in" onclick={zoom_in}>{"+"}</button>
                    <button class="small" id="diagram-expand" aria-label={ if expanded { "Back to the page from the whole-window diagram" } else { "Expand the diagram to the whole window" } } onclick={toggle_expand}>{ if expanded { "Back" } else { "Expand" } }</button>
                    if several_groups {
                        <button class="small" id="diagram-side" aria-label="Side by side: draw the groups next to each other" aria-pressed={side_by_side.to_string()} onclick={toggle_side}>{"Side by side"}</button>
                    }
                    <button class="small" id="diagram-svg" aria-label="download the diagram as SVG" onclick={on_svg}>{"SVG"}</button>
                    <button class="small" id="diagram-png" aria-label="download the diagram as PNG" onclick={on_png}>{"PNG"}</button>
                    <button class="small" id="diagram-mermaid" aria-label="Copy mermaid text of the diagram" onclick={on_copy}>{"Copy mermaid"}</button>
                </span>
            </div>
            if let Some(m) = this.mermaid.clone() {
                <div class="mermaid-box">
                    <span class="muted">{ if this.copied { "Copied to the clipboard (or select it here):" } else { "Mermaid text:" } }</span>
                    <button class="small" aria-label="hide the mermaid text" onclick={hide_mermaid}>{"×"}</button>
                    <textarea id="mermaid" readonly=true class="mermaid-text" aria-label="mermaid text" value={m} />
                </div>
            }
            <div class="diagram-view" ref={view_ref.clone()}
                onclick={onclick} onkeydown={onkeydown} onmouseover={onmouseover} onfocusin={onfocusin}
                onwheel={onwheel} onpointerdown={onpointerdown} onpointermove={onpointermove}
                onpointerup={onpointerup.clone()} onpointerleave={onpointerup}>
            </div>
            <div id="diagram-details" class="diagram-details" aria-live="polite">
                { this.details.clone().unwrap_or_else(|| idle_hint.into()) }
            </div>
        </div>
    }
}
