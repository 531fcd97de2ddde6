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
    // The page fetches these at boot (texts.json); the test runner serves no such file.
    kubectl::texts::load(include_str!("../../../web/texts.json")).unwrap();
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

// The reducer: tours step with the timeline, the gallery starts tours, live watches.

use app::state::{AppAction, AppState};

fn run(s: &mut AppState, line: &str) {
    s.apply(AppAction::Run(line.into()));
}

/// A fresh reducer with the gallery's and tours' texts loaded (the page fetches them at boot).
fn state() -> AppState {
    kubectl::texts::load(include_str!("../../../web/texts.json")).unwrap();
    AppState::default()
}

fn tour_index(s: &AppState) -> usize {
    s.tour.as_ref().map_or(99, |t| t.index)
}

#[wasm_bindgen_test]
fn the_tour_steps_back_and_forth_with_the_timeline() {
    let mut s = state();
    run(&mut s, "sim tour sticky-pod-orchestra");
    let p0 = s.view.timeline.position;
    run(&mut s, "sim tour next");
    let after1 = s.view.timeline.position;
    run(&mut s, "sim tour next");
    let after2 = s.view.timeline.position;
    let end = s.view.timeline.marks.len();
    assert!(p0 < after1 && after1 < after2, "{p0} {after1} {after2}");
    assert_eq!(tour_index(&s), 2);
    // Back: the timeline seeks to where step 2 began, keeping the future.
    run(&mut s, "sim tour back");
    assert_eq!(tour_index(&s), 1);
    assert_eq!(s.view.timeline.position, after1);
    assert_eq!(s.view.timeline.marks.len(), end);
    // Forward: redone from the recorded future.
    run(&mut s, "sim tour next");
    assert_eq!(tour_index(&s), 2);
    assert_eq!(s.view.timeline.position, after2);
    assert!(
        s.console
            .last()
            .unwrap()
            .output
            .contains("(redo: this step is still in the timeline"),
        "{}",
        s.console.last().unwrap().output
    );
    // The slider (AppAction::Seek) to before step 1's end: the tour is at step 1 again.
    s.apply(AppAction::Seek(p0));
    assert_eq!(tour_index(&s), 0);
    assert!(
        s.console
            .last()
            .unwrap()
            .output
            .contains("hint: the tour follows the timeline: back to step 1"),
    );
    assert_eq!(s.view.timeline.marks.len(), end, "seeking keeps the future");
    // The journal replays to the same tour and timeline.
    let r = AppState::from_journal(&s.journal());
    assert_eq!(tour_index(&r), 0);
    assert_eq!(r.view.timeline, s.view.timeline);
}

#[wasm_bindgen_test]
fn the_gallery_starts_a_tour_and_asks_before_replacing_the_cluster() {
    let mut s = state();
    // A fresh cluster: starts at once, as the console line `sim tour NAME`.
    s.apply(AppAction::LoadTour {
        name: "statefulset-basics".into(),
        confirmed: false,
    });
    assert_eq!(s.tour.as_ref().unwrap().name, "statefulset-basics");
    assert_eq!(
        s.command_log().last().map(String::as_str),
        Some("sim tour statefulset-basics")
    );
    run(&mut s, "sim tour stop");
    run(&mut s, "kubectl apply -f svc.yaml -f sts.yaml");
    // The cluster holds the learner's objects: ask first, in the Examples dialog.
    s.apply(AppAction::LoadTour {
        name: "sticky-pod-orchestra".into(),
        confirmed: false,
    });
    assert_eq!(
        s.confirm_tour.as_ref().map(|t| t.0.as_str()),
        Some("sticky-pod-orchestra")
    );
    assert!(s.tour.is_none());
    s.apply(AppAction::CancelLoad);
    assert!(s.confirm_tour.is_none() && s.tour.is_none());
    assert!(!s.view.pods.is_empty(), "the cluster is untouched");
    s.apply(AppAction::LoadTour {
        name: "sticky-pod-orchestra".into(),
        confirmed: true,
    });
    assert_eq!(s.tour.as_ref().unwrap().index, 0);
    assert!(s.view.pods.is_empty(), "a fresh cluster");
    assert!(s.edited_files().is_empty());
}

#[wasm_bindgen_test]
fn a_watch_stays_live_in_the_reducer_until_stopped() {
    let mut s = state();
    run(&mut s, "kubectl get pods --watch -l app=nginx");
    assert_eq!(s.watches.len(), 1);
    assert_eq!(
        &*s.watches.first().unwrap().line,
        "kubectl get pods --watch -l app=nginx"
    );
    run(&mut s, "kubectl apply -f svc.yaml -f sts.yaml");
    let t = s.watches.first().unwrap().text.clone();
    assert!(t.starts_with("NAME "), "{t}");
    run(&mut s, "kubectl get pvc");
    for _ in 0..30 {
        run(&mut s, "sim step");
    }
    assert!(s.watches.first().unwrap().text.len() > t.len());
    run(&mut s, "sim watch stop");
    assert!(s.watches.is_empty());
}

#[wasm_bindgen_test]
async fn the_examples_dialog_lists_the_tours() {
    mount().await;
    click("#examples");
    yew::scheduler::flush().await;
    let cards = document()
        .query_selector_all("#examples-dialog li[data-tour]")
        .unwrap();
    assert_eq!(cards.length(), 2);
    let first = cards.item(0).unwrap().text_content().unwrap();
    assert!(first.contains("The Sticky-Pod Orchestra"), "{first}");
    assert!(first.contains("The seed card"), "{first}");
    click("#examples-dialog button[aria-label='Start StatefulSet Basics']");
    yew::scheduler::flush().await;
    assert!(
        document()
            .query_selector("#examples-dialog")
            .unwrap()
            .is_none()
    );
    let step = by_selector(".tour-step").text_content().unwrap();
    assert!(
        step.starts_with("Step 1/") && step.ends_with(": Creating a StatefulSet"),
        "{step}"
    );
}
