//! The Share button in a real headless Chromium (wasm-bindgen-test): a link to the scenario, or
//! a clear message when the scenario is too large for a link.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;

use app::components::{ShareProps, share_button};
use share::{File, Scenario, Step};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    static SCENARIO: RefCell<Scenario> = RefCell::new(Scenario::default());
    static NOTICES: RefCell<Vec<Option<String>>> = const { RefCell::new(Vec::new()) };
}

/// The button with its link kept as the app keeps it.
#[function_component(Harness)]
fn harness() -> Html {
    let link = use_state(|| None::<AttrValue>);
    let scenario = Callback::from(|()| SCENARIO.with(|s| s.borrow().clone()));
    let notice = Callback::from(|n: Option<String>| NOTICES.with(|v| v.borrow_mut().push(n)));
    let on_link = {
        let link = link.clone();
        Callback::from(move |l| link.set(l))
    };
    share_button(&ShareProps {
        scenario,
        notice,
        link: (*link).clone(),
        on_link,
    })
}

async fn press(s: Scenario) -> (Option<String>, Option<String>) {
    SCENARIO.with(|c| *c.borrow_mut() = s);
    NOTICES.with(|v| v.borrow_mut().clear());
    let doc = web_sys::window().unwrap().document().unwrap();
    while let Some(old) = doc.query_selector(".share-root").unwrap() {
        old.remove();
    }
    let div = doc.create_element("div").unwrap();
    div.set_class_name("share-root");
    doc.body().unwrap().append_child(&div).unwrap();
    yew::Renderer::<Harness>::with_root(div).render();
    yew::scheduler::flush().await;
    let button = doc.get_element_by_id("share").unwrap();
    // The accessible name is the visible label.
    assert_eq!(button.text_content().as_deref(), Some("Share"));
    button.dyn_into::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    let link = doc
        .get_element_by_id("share-link")
        .map(|e| e.dyn_into::<HtmlInputElement>().unwrap().value());
    let notice = NOTICES.with(|v| v.borrow().last().cloned().flatten());
    (link, notice)
}

#[wasm_bindgen_test]
async fn share_makes_a_link_that_decodes_to_the_scenario() {
    let mut s = Scenario {
        files: vec![File {
            name: "sts.yaml".into(),
            text: "kind: StatefulSet\n".into(),
        }],
        steps: vec![Step::Run("kubectl apply -f sts.yaml".into())],
        ..Scenario::default()
    };
    s.view.active_file = Some("sts.yaml".into());
    let (link, notice) = press(s.clone()).await;
    let link = link.expect("the link is shown");
    assert!(link.contains("#s1."), "{link}");
    assert_eq!(share::decode(&link).unwrap(), s);
    assert!(
        notice.is_some_and(|n| n.ends_with("it opens this exact state.")),
        "a notice says what the link does"
    );
}

#[wasm_bindgen_test]
async fn a_scenario_too_large_for_a_link_is_said_and_no_link_is_made() {
    // Text deflate cannot shrink much: two files of 1,000,000 pseudo-random letters.
    let mut x: u32 = 12345;
    let mut noise = |n: usize| -> String {
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                char::from(b'a' + ((x >> 16) % 26) as u8)
            })
            .collect()
    };
    let s = Scenario {
        files: vec![
            File {
                name: "a.yaml".into(),
                text: noise(1_000_000),
            },
            File {
                name: "b.yaml".into(),
                text: noise(1_000_000),
            },
        ],
        ..Scenario::default()
    };
    let (link, notice) = press(s).await;
    assert_eq!(link, None);
    let notice = notice.expect("a notice");
    assert!(
        notice.starts_with("This scenario needs a link of ")
            && notice.contains("browsers open links of at most 1,048,572"),
        "{notice}"
    );
}
