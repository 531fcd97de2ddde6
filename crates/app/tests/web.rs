//! Component tests in a real headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mount the whole app in a fresh div (ids are unique per test: each test clears the body).
async fn mount() -> Element {
    // The page fetches these at boot (texts.json); the test runner serves no such file.
    kubectl::texts::load(include_str!("../../../web/texts.json")).unwrap();
    let body = document().body().unwrap();
    // Unmount earlier tests' apps (never clear the body: the test runner reports through it).
    while let Some(old) = document().query_selector(".test-root").unwrap() {
        old.remove();
    }
    let div = document().create_element("div").unwrap();
    div.set_class_name("test-root");
    body.append_child(&div).unwrap();
    // Each test starts from the seed, whatever an earlier test stored.
    if let Ok(Some(s)) = web_sys::window().unwrap().local_storage() {
        let _ = s.clear();
    }
    yew::Renderer::<app::App>::with_root_and_props(
        div.clone(),
        app::AppProps {
            boot: app::Boot::Fresh,
        },
    )
    .render();
    yew::scheduler::flush().await;
    div
}

fn by_id(id: &str) -> Element {
    document()
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("no #{id}"))
}

fn click(id: &str) {
    by_id(id).dyn_into::<HtmlElement>().unwrap().click();
}

fn text(id: &str) -> String {
    by_id(id).text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn app_renders_title_and_seed_editor() {
    let root = mount().await;
    assert!(root.text_content().unwrap_or_default().contains("stsplay"));
    let editor: HtmlTextAreaElement = by_id("editor").dyn_into().unwrap();
    assert!(editor.value().contains("name: nginx-with-init-container"));
    assert_eq!(text("diagnostics"), "✓ sts.yaml: valid");
}

#[wasm_bindgen_test]
async fn apply_then_step_shows_pod_zero_first() {
    mount().await;
    // Nothing applied yet: the empty picture says what fills it.
    assert!(text("diagram-details").contains("none yet. Apply the files"));
    click("apply");
    yew::scheduler::flush().await;
    let pods = text("pods");
    assert!(pods.contains("nginx-with-init-container-0"), "{pods}");
    assert!(
        !pods.contains("nginx-with-init-container-1"),
        "OrderedReady: {pods}"
    );
    assert!(text("console-output").contains("statefulset.apps/nginx-with-init-container created"));
    // The diagram draws the set, its service and every wanted ordinal.
    let svg = text("diagram");
    assert!(svg.contains("nginx-headless"), "{svg}");
    assert!(text("diagram-details").starts_with("Hover, focus or click"));
    assert!(svg.contains("nginx-with-init-container-2"), "{svg}");
    assert!(svg.contains("not created"), "{svg}");
    click("settle");
    yew::scheduler::flush().await;
    assert!(text("pods").contains("nginx-with-init-container-2"));
    assert!(
        text("why").contains("Nothing is waiting") || text("why").contains("nothing is waiting")
    );
}

#[wasm_bindgen_test]
async fn editor_errors_show_line_and_column() {
    mount().await;
    let editor: HtmlTextAreaElement = by_id("editor").dyn_into().unwrap();
    editor.set_value(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replica: 3\n",
    );
    let ev = web_sys::InputEvent::new("input").unwrap();
    editor.dispatch_event(&ev).unwrap();
    yew::scheduler::flush().await;
    let d = text("diagnostics");
    assert!(d.contains("sts.yaml:6:"), "{d}");
    assert!(d.contains("unknown field \"spec.replica\""), "{d}");
}

#[wasm_bindgen_test]
async fn fault_buttons_issue_console_lines() {
    mount().await;
    click("apply");
    click("settle");
    yew::scheduler::flush().await;
    let crash = document()
        .query_selector(
            "tr[data-name='nginx-with-init-container-1'] button[title='sim fault pod NAME crash']",
        )
        .unwrap()
        .expect("crash button");
    crash.dyn_into::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    let out = text("console-output");
    assert!(
        out.contains("$ sim fault pod nginx-with-init-container-1 crash"),
        "{out}"
    );
}

fn key(id: &str, key: &str, ctrl: bool, shift: bool) {
    let el = by_id(id);
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    el.dispatch_event(&ev).unwrap();
}

fn slider() -> Element {
    document()
        .query_selector("[role='slider'][aria-label='Timeline']")
        .unwrap()
        .expect("the Timeline slider")
}

fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

/// A button by its accessible name.
fn button(name: &str) -> HtmlElement {
    let all = document().query_selector_all("button").unwrap();
    for i in 0..all.length() {
        let b: HtmlElement = all.item(i).unwrap().dyn_into().unwrap();
        if b.text_content().unwrap_or_default().trim() == name
            || b.get_attribute("aria-label").as_deref() == Some(name)
        {
            return b;
        }
    }
    panic!("no button named {name:?}");
}

#[wasm_bindgen_test]
async fn timeline_slider_seeks_with_arrow_keys_and_keeps_the_future() {
    mount().await;
    click("apply");
    for _ in 0..4 {
        click("step");
    }
    yew::scheduler::flush().await;
    let s = slider();
    let end: usize = attr(&s, "aria-valuenow").parse().unwrap();
    assert_eq!(attr(&s, "aria-valuemax"), end.to_string());
    assert!(
        attr(&s, "aria-valuetext").contains("event:"),
        "{}",
        attr(&s, "aria-valuetext")
    );
    // One mark per event and command.
    let marks = document()
        .query_selector_all(".timeline .mark")
        .unwrap()
        .length();
    assert_eq!(marks as usize, end);
    s.set_id("timeline");
    key("timeline", "ArrowLeft", false, false);
    yew::scheduler::flush().await;
    key("timeline", "ArrowLeft", false, false);
    yew::scheduler::flush().await;
    let s = slider();
    assert_eq!(attr(&s, "aria-valuenow"), (end - 2).to_string());
    assert_eq!(
        attr(&s, "aria-valuemax"),
        end.to_string(),
        "the future is kept"
    );
    assert!(text("console-output").contains(&format!("$ sim seek {}", end - 2)));
    key("timeline", "End", false, false);
    yew::scheduler::flush().await;
    assert_eq!(attr(&slider(), "aria-valuenow"), end.to_string());
    assert!(text("clock").contains("t = "));
    assert!(text("revision").contains("revision nginx-with-init-container-"));
}

#[wasm_bindgen_test]
async fn examples_dialog_loads_an_example_and_runs_its_script() {
    mount().await;
    button("Examples").click();
    yew::scheduler::flush().await;
    let dialog = by_id("examples-dialog");
    assert!(dialog.has_attribute("open"));
    let cards = document()
        .query_selector_all("li[data-example]")
        .unwrap()
        .length();
    assert!(cards >= 7);
    button("Load web: the kubernetes.io tutorial").click();
    yew::scheduler::flush().await;
    assert!(
        document().get_element_by_id("examples-dialog").is_none(),
        "closed"
    );
    let editor: HtmlTextAreaElement = by_id("editor").dyn_into().unwrap();
    assert!(editor.value().contains("registry.k8s.io/nginx-slim"));
    assert_eq!(
        by_id("apply").get_attribute("title").unwrap_or_default(),
        "kubectl apply -f web.yaml (Ctrl+Enter)"
    );
    button("Run next line").click();
    yew::scheduler::flush().await;
    assert!(text("console-output").contains("statefulset.apps/web created"));
    // Loading another example now asks first (there is a cluster history to lose).
    button("Examples").click();
    yew::scheduler::flush().await;
    button("Load canary: a partitioned rolling update").click();
    yew::scheduler::flush().await;
    assert!(text("examples-dialog").contains("Load and replace"));
    button("Keep my work").click();
    yew::scheduler::flush().await;
    assert!(text("console-output").contains("statefulset.apps/web created"));
}

#[wasm_bindgen_test]
async fn the_gallery_question_takes_the_focus() {
    mount().await;
    // A cluster history to lose (as in the test above), so that loading an example asks first.
    button("Examples").click();
    yew::scheduler::flush().await;
    button("Load web: the kubernetes.io tutorial").click();
    yew::scheduler::flush().await;
    button("Run next line").click();
    yew::scheduler::flush().await;
    button("Examples").click();
    yew::scheduler::flush().await;
    button("Load canary: a partitioned rolling update").click();
    yew::scheduler::flush().await;
    let focused = document().active_element().expect("a focused element");
    assert_eq!(
        focused.text_content().unwrap_or_default(),
        "Load and replace",
        "the question's answer has the focus"
    );
}

#[wasm_bindgen_test]
async fn console_tab_completes_and_ctrl_l_clears() {
    mount().await;
    let input: web_sys::HtmlInputElement = by_id("console-input").dyn_into().unwrap();
    input.set_value("kubectl scal");
    input.set_selection_range(12, 12).unwrap();
    key("console-input", "Tab", false, false);
    yew::scheduler::flush().await;
    assert_eq!(input.value(), "kubectl scale ");
    input.set_value("sim se");
    input.set_selection_range(6, 6).unwrap();
    key("console-input", "Tab", false, false);
    yew::scheduler::flush().await;
    assert_eq!(input.value(), "sim se");
    assert!(text("completions").contains("settle"));
    assert!(text("completions").contains("seek"));
    type_line("sim time");
    yew::scheduler::flush().await;
    assert!(text("console-output").contains("$ sim time"));
    key("console-input", "l", true, false);
    yew::scheduler::flush().await;
    assert!(!text("console-output").contains("$ sim time"));
    // ↑ still recalls it: the history is kept.
    key("console-input", "ArrowUp", false, false);
    assert_eq!(input.value(), "sim time");
}

#[wasm_bindgen_test]
async fn editor_tab_indents_and_undo_redo_restore() {
    mount().await;
    let ed: HtmlTextAreaElement = by_id("editor").dyn_into().unwrap();
    let seed = ed.value();
    ed.set_selection_range(0, 0).unwrap();
    key("editor", "Tab", false, false);
    yew::scheduler::flush().await;
    assert!(ed.value().starts_with("  apiVersion"), "{}", ed.value());
    assert_eq!(ed.selection_start().unwrap(), Some(2));
    key("editor", "z", true, false);
    yew::scheduler::flush().await;
    assert_eq!(ed.value(), seed);
    key("editor", "z", true, true);
    yew::scheduler::flush().await;
    assert!(ed.value().starts_with("  apiVersion"));
    // The highlighted layer follows the text, line for line.
    let lines = document()
        .query_selector_all(".highlight .hl-line")
        .unwrap()
        .length();
    assert_eq!(lines as usize, ed.value().split('\n').count());
    assert!(
        document()
            .query_selector(".highlight .t-key")
            .unwrap()
            .is_some()
    );
}

fn type_line(line: &str) {
    let input: web_sys::HtmlInputElement = by_id("console-input").dyn_into().unwrap();
    input.set_value(line);
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn console_edit_opens_the_live_object_in_the_editor() {
    mount().await;
    type_line("kubectl apply -f sts.yaml");
    yew::scheduler::flush().await;
    type_line("kubectl edit sts/nginx-with-init-container");
    yew::scheduler::flush().await;
    let editor: HtmlTextAreaElement = by_id("editor").dyn_into().unwrap();
    assert!(
        editor.value().contains("uid:"),
        "the live object, with server fields: {}",
        editor.value()
    );
    let active = document()
        .query_selector(".tab.active")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(active, "statefulset-nginx-with-init-container.yaml");
    let out = text("console-output");
    assert!(
        out.contains("$ kubectl edit sts/nginx-with-init-container"),
        "{out}"
    );
}
