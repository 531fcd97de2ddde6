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
    yew::Renderer::<app::App>::with_root(div.clone()).render();
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
    assert_eq!(text("diagnostics"), "sts.yaml: valid");
}

#[wasm_bindgen_test]
async fn apply_then_step_shows_pod_zero_first() {
    mount().await;
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
            "tr[data-pod='nginx-with-init-container-1'] button[title='sim fault pod NAME crash']",
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
