//! Component tests in a real headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
async fn app_renders_title() {
    let root = mount();
    yew::Renderer::<app::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    assert!(root.text_content().unwrap_or_default().contains("stsplay"));
}
