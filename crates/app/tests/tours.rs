//! The tour panel, the tour's highlighted objects, the attached shell's prompt and the export
//! button, in a real headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn mount() -> Element {
    let body = document().body().unwrap();
    while let Some(old) = document().query_selector(".test-root").unwrap() {
        old.remove();
    }
    let div = document().create_element("div").unwrap();
    div.set_class_name("test-root");
    body.append_child(&div).unwrap();
    if let Ok(Some(s)) = web_sys::window().unwrap().local_storage() {
        let _ = s.clear();
    }
    yew::Renderer::<app::App>::with_root(div.clone()).render();
    yew::scheduler::flush().await;
    div
}

fn by_selector(css: &str) -> Element {
    document()
        .query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("no {css}"))
}

fn click(css: &str) {
    by_selector(css).dyn_into::<HtmlElement>().unwrap().click();
}

fn type_line(line: &str) {
    let input: web_sys::HtmlInputElement = by_selector("#console-input").dyn_into().unwrap();
    input.set_value(line);
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn a_tour_is_picked_predicted_and_stepped_with_its_objects_highlighted() {
    mount().await;
    click("button[aria-label='Start tour: The Sticky-Pod Orchestra']");
    yew::scheduler::flush().await;
    let step = by_selector(".tour-step").text_content().unwrap();
    assert_eq!(step, "Step 1/11: Apply the Service and the StatefulSet");
    // Predict the third choice, then run the step.
    let choices = document()
        .query_selector_all(".tour-question button")
        .unwrap();
    assert_eq!(choices.length(), 3);
    choices
        .item(2)
        .unwrap()
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;
    assert_eq!(
        by_selector(".tour-question button.chosen")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    click("#tour-next");
    yew::scheduler::flush().await;
    assert_eq!(
        by_selector(".tour-verdict").text_content().unwrap(),
        "prediction: right, nginx-with-init-container-0"
    );
    assert_eq!(
        by_selector(".tour-step").text_content().unwrap(),
        "Step 2/11: Watch the ordered birth"
    );
    // Step 2 highlights the pods; pod 0 exists already.
    assert!(
        document()
            .query_selector("#diagram g.dg-pod.dg-tour")
            .unwrap()
            .is_some()
    );
    // The console shows the lines the buttons issued.
    let out = by_selector("#console-output").text_content().unwrap();
    assert!(out.contains("$ sim tour answer 3"), "{out}");
    assert!(
        out.contains("$ kubectl apply -f svc.yaml -f sts.yaml"),
        "{out}"
    );
    click("#tour-back");
    yew::scheduler::flush().await;
    assert_eq!(
        by_selector(".tour-step").text_content().unwrap(),
        "Step 1/11: Apply the Service and the StatefulSet"
    );
    click("#tour-stop");
    yew::scheduler::flush().await;
    assert!(document().query_selector(".tour-step").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_attached_shell_shows_its_prompt_and_export_is_a_named_button() {
    mount().await;
    type_line("kubectl apply -f svc.yaml -f sts.yaml");
    yew::scheduler::flush().await;
    type_line("sim settle");
    yew::scheduler::flush().await;
    type_line("kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm");
    yew::scheduler::flush().await;
    let prompt = by_selector(".console-input-row .prompt")
        .text_content()
        .unwrap();
    assert_eq!(prompt, "/ #");
    type_line("nslookup nginx-with-init-container-0.nginx-headless");
    yew::scheduler::flush().await;
    let out = by_selector("#console-output").text_content().unwrap();
    assert!(
        out.contains("/ # nslookup nginx-with-init-container-0.nginx-headless"),
        "{out}"
    );
    assert!(
        out.contains("Name:      nginx-with-init-container-0.nginx-headless"),
        "{out}"
    );
    type_line("exit");
    yew::scheduler::flush().await;
    assert_eq!(
        by_selector(".console-input-row .prompt")
            .text_content()
            .unwrap(),
        "$"
    );
    let export = by_selector("#export-kind");
    assert_eq!(export.text_content().unwrap(), "Export for kind");
}
