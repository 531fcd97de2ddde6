//! Embed mode and share links in the browser: the page's side of `crates/share`.
//!
//! * [`read_boot`] reads `location.hash` once at start: a share link (`#s1.…`), embed mode
//!   (`#embed&…`, set by web/embed.js) or a gallery example (`#example=…`). A bad fragment
//!   never stops the page: it opens as usual and [`Boot::notice`] says why in one line.
//! * [`HostLink`] is embed mode's channel to the host page: it accepts only messages that
//!   `share::message::accept_host_message` accepts (the parent window, the origin that embedded
//!   us, the exact shapes), and posts `ready`, `height` and `ran` to that origin only.
//! * [`share_url`] makes the link of a scenario for the Share button.
//! * [`Recorder`] keeps what a link replays: the files the session started from and every
//!   console line and editor write since, in order ([`Act`] records and dispatches together).
//! * [`Start`] is the first state: a share link's replay, embed mode's seed (no storage), or
//!   the page's stored work. A link never overwrites stored work: while it is open nothing is
//!   saved (the notice says so).
//! * [`use_embed`] wires the host page (messages become `AppAction::Run`/`Edit`, answered with
//!   `ran`), and autoplay (`sim step` until the cluster settles).
//!
//! Nothing here reads or writes storage: embed mode does not use it at all (a host page cannot
//! make the embed reveal a learner's saved work, and a sandboxed frame may have none).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use share::{
    Boot as Fragment, BootConfig, EmbedMessage, File, HostMessage, Scenario, ShareError, Speed,
    Step,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::state::{APPLY_LINE, AppAction, AppState};

/// What the page was asked to open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Boot {
    /// Embed mode and page options (`None`: the full page with its defaults).
    pub config: Option<BootConfig>,
    /// A scenario from a share link.
    pub scenario: Option<Scenario>,
    /// Why the fragment was not (fully) followed, for the status line.
    pub notice: Option<String>,
}

impl Boot {
    pub fn embed(&self) -> bool {
        self.config.as_ref().is_some_and(|c| c.embed)
    }
}

/// Read the fragment: pure, so it is tested without a browser.
pub fn boot_from(fragment: &str) -> Boot {
    match share::parse_fragment(fragment) {
        Fragment::Plain => Boot::default(),
        Fragment::Share(Ok(s)) => Boot {
            scenario: Some(s),
            ..Boot::default()
        },
        Fragment::Share(Err(e)) => Boot {
            notice: Some(format!("{e} The playground opened without it.")),
            ..Boot::default()
        },
        Fragment::Config(Ok(c)) => Boot {
            config: Some(c),
            ..Boot::default()
        },
        Fragment::Config(Err(e)) => {
            // Still an embed when it says so: it must not fall back to the full page's storage.
            let embed = fragment
                .trim_start_matches('#')
                .split('&')
                .any(|p| p == "embed" || p.starts_with("embed="));
            Boot {
                config: embed.then(|| BootConfig {
                    embed: true,
                    ..BootConfig::default()
                }),
                notice: Some(format!("{e} The defaults are used.")),
                scenario: None,
            }
        }
    }
}

pub fn read_boot() -> Boot {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    boot_from(&hash)
}

/// The base of share links: this page's address without its fragment.
pub fn page_base() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

pub fn share_url(s: &Scenario) -> Result<String, ShareError> {
    share::link(&page_base(), s)
}

/// The origin of the page that embeds us: the browser's word first (`ancestorOrigins`, then
/// the referrer), the one embed.js declared last.
fn host_origin(declared: Option<&str>) -> Option<String> {
    let w = web_sys::window()?;
    // `location.ancestorOrigins` (Chromium, Safari; not Firefox, which has the referrer).
    let ancestor = js_sys::Reflect::get(&w.location(), &"ancestorOrigins".into())
        .ok()
        .filter(|l| !l.is_undefined() && !l.is_null())
        .and_then(|l| js_sys::Reflect::get(&l, &0.into()).ok())
        .and_then(|o| o.as_string());
    let referrer = w.document().map(|d| d.referrer());
    share::boot::host_origin(ancestor.as_deref(), referrer.as_deref(), declared)
}

/// Embed mode's channel to the host page. Dropping it stops listening.
pub struct HostLink {
    origin: String,
    parent: web_sys::Window,
    _listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _resize: Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>,
}

impl HostLink {
    /// Listen for the host's messages (`on_message`; a bad one goes to `on_error` as one line),
    /// report the content height as it changes, and say `ready`. `None` when we are not framed
    /// or the host's origin is unknown (then nothing is accepted from anyone).
    pub fn start(
        declared_origin: Option<&str>,
        on_message: impl Fn(HostMessage) + 'static,
        on_error: impl Fn(String) + 'static,
    ) -> Option<HostLink> {
        let w = web_sys::window()?;
        let parent = w.parent().ok().flatten()?;
        let me: &wasm_bindgen::JsValue = w.as_ref();
        let up: &wasm_bindgen::JsValue = parent.as_ref();
        if up == me {
            return None; // not framed
        }
        let origin = host_origin(declared_origin)?;
        let expected = origin.clone();
        let parent_for_check = parent.clone();
        let listener =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let parent: &wasm_bindgen::JsValue = parent_for_check.as_ref();
                let from_parent = e.source().is_some_and(|s| {
                    let s: &wasm_bindgen::JsValue = s.as_ref();
                    s == parent
                });
                let data = e.data().as_string();
                match share::message::accept_host_message(
                    from_parent,
                    &e.origin(),
                    &expected,
                    data.as_deref(),
                ) {
                    Ok(m) => on_message(m),
                    Err(err) if err.worth_showing() => on_error(err.to_string()),
                    Err(_) => {}
                }
            });
        w.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
            .ok()?;
        let mut link = HostLink {
            origin,
            parent,
            _listener: listener,
            _resize: None,
        };
        link._resize = link.observe_height();
        link.post(EmbedMessage::Ready);
        Some(link)
    }

    pub fn post(&self, m: EmbedMessage) {
        let _ = self
            .parent
            .post_message(&wasm_bindgen::JsValue::from_str(&m.to_json()), &self.origin);
    }

    /// Post the document's height whenever the body's size changes.
    fn observe_height(&self) -> Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)> {
        let doc = web_sys::window()?.document()?;
        let body = doc.body()?;
        let parent = self.parent.clone();
        let origin = self.origin.clone();
        let last = Rc::new(RefCell::new(0u32));
        let report = Closure::<dyn FnMut()>::new(move || {
            let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            else {
                return;
            };
            let h = u32::try_from(root.scroll_height()).unwrap_or(0);
            if *last.borrow() != h {
                *last.borrow_mut() = h;
                let _ = parent.post_message(
                    &wasm_bindgen::JsValue::from_str(&EmbedMessage::Height(h).to_json()),
                    &origin,
                );
            }
        });
        let observer = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()).ok()?;
        observer.observe(&body);
        Some((observer, report))
    }
}

/// What a share link replays: the files the session started from, then every console line and
/// editor write in order (consecutive writes of one file are one step: only the text the next
/// line reads matters).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recorder {
    pub initial: Vec<File>,
    pub steps: Vec<Step>,
}

impl Recorder {
    /// Start from the files a state shows now.
    pub fn of(state: &AppState) -> Recorder {
        Recorder {
            initial: state
                .files
                .list
                .iter()
                .map(|(name, text)| File {
                    name: name.clone(),
                    text: text.to_string(),
                })
                .collect(),
            steps: Vec::new(),
        }
    }

    pub fn run(&mut self, line: &str) {
        let line = line.trim();
        if !line.is_empty() {
            self.steps.push(Step::Run(line.to_string()));
        }
    }

    pub fn write(&mut self, name: &str, text: &str) {
        let f = File {
            name: name.to_string(),
            text: text.to_string(),
        };
        match self.steps.last_mut() {
            Some(Step::Write(last)) if last.name == name => *last = f,
            _ => self.steps.push(Step::Write(f)),
        }
    }

    /// Files that arrive before anything ran (an embed's inline files) are part of the start;
    /// later ones are writes.
    pub fn start_with(&mut self, files: &[File]) {
        for f in files {
            if !self.steps.is_empty() {
                self.write(&f.name, &f.text);
            } else if let Some(i) = self.initial.iter_mut().find(|i| i.name == f.name) {
                i.text = f.text.clone();
            } else {
                self.initial.push(f.clone());
            }
        }
    }

    pub fn ran_anything(&self) -> bool {
        self.steps.iter().any(|s| matches!(s, Step::Run(_)))
    }

    /// The scenario a share link carries (the page's view options, the tab in front).
    pub fn scenario(&self, active: &str, config: Option<&BootConfig>) -> Scenario {
        let mut s = Scenario {
            files: self.initial.clone(),
            steps: self.steps.clone(),
            ..Scenario::default()
        };
        s.view.active_file = Some(active.to_string());
        if let Some(c) = config {
            s.view.view = c.view.unwrap_or_default();
            s.view.theme = c.theme.unwrap_or_default();
            s.view.speed = c.speed.unwrap_or_default();
            s.view.example = c.example.clone();
        }
        s
    }
}

/// A state replaying a scenario (the simulation is deterministic), and its recorder.
pub fn replay(s: &Scenario) -> (AppState, Recorder) {
    let mut state = AppState::default();
    for f in &s.files {
        state.apply(AppAction::Edit {
            file: f.name.clone(),
            text: f.text.clone(),
        });
    }
    let mut rec = Recorder {
        initial: s.files.clone(),
        steps: Vec::new(),
    };
    for step in &s.steps {
        match step {
            Step::Run(line) => {
                rec.run(line);
                state.apply(AppAction::Run(line.clone()));
            }
            Step::Write(f) => {
                rec.write(&f.name, &f.text);
                state.apply(AppAction::Edit {
                    file: f.name.clone(),
                    text: f.text.clone(),
                });
            }
        }
    }
    if let Some(tab) = &s.view.active_file {
        state.apply(AppAction::SelectTab(tab.clone()));
    }
    (state, rec)
}

/// The page's first state and how it treats storage.
#[derive(Clone)]
pub struct Start {
    pub state: AppState,
    pub recorder: Rc<RefCell<Recorder>>,
    /// Save the editor's files in this browser (the full page with no share link open).
    pub persist: bool,
    /// One line for the notice, said after storage had its say.
    pub notice: Option<String>,
}

impl PartialEq for Start {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.recorder, &other.recorder)
    }
}

/// The notice when a share link opened (the learner's own work stays where it was).
pub const OPENED_LINK: &str = "Opened a shared link. Your own saved work is kept: nothing here is \
                               saved in this browser until you reload without the link.";

impl Start {
    /// `stored` gives the page's stored work (called only outside embed mode and links).
    pub fn new(boot: &Boot, stored: impl FnOnce() -> AppState) -> Start {
        let mut notice = boot.notice.clone();
        let (state, recorder, persist) = if let Some(s) = &boot.scenario {
            let (state, rec) = replay(s);
            notice.get_or_insert_with(|| OPENED_LINK.to_string());
            (state, rec, false)
        } else if boot.embed() {
            let state = AppState::default();
            let rec = Recorder::of(&state);
            (state, rec, false)
        } else {
            let state = stored();
            let rec = Recorder::of(&state);
            (state, rec, true)
        };
        if let Some(example) = boot.config.as_ref().and_then(|c| c.example.as_deref())
            && example != "seed"
            && notice.is_none()
        {
            notice = Some(format!(
                "There is no example {example:?} in this playground; the seed example is loaded."
            ));
        }
        Start {
            state,
            recorder: Rc::new(RefCell::new(recorder)),
            persist,
            notice,
        }
    }
}

/// Record and dispatch together, so the recorder and the reducer never disagree.
#[derive(Clone)]
pub struct Act {
    pub dispatcher: UseReducerDispatcher<AppState>,
    pub recorder: Rc<RefCell<Recorder>>,
}

impl PartialEq for Act {
    fn eq(&self, other: &Self) -> bool {
        self.dispatcher == other.dispatcher && Rc::ptr_eq(&self.recorder, &other.recorder)
    }
}

impl Act {
    pub fn run(&self, line: String) {
        self.recorder.borrow_mut().run(&line);
        self.dispatcher.dispatch(AppAction::Run(line));
    }

    pub fn edit(&self, file: String, text: String) {
        self.recorder.borrow_mut().write(&file, &text);
        self.dispatcher.dispatch(AppAction::Edit { file, text });
    }

    /// An embed's inline files: the start when nothing ran yet.
    pub fn start_with(&self, files: &[File]) {
        self.recorder.borrow_mut().start_with(files);
        for f in files {
            self.dispatcher.dispatch(AppAction::Edit {
                file: f.name.clone(),
                text: f.text.clone(),
            });
        }
    }
}

/// The shell's classes and theme for the boot options: `embed`, `view-…`, `data-theme`.
pub fn shell_look(boot: &Boot) -> (Classes, &'static str) {
    let config = boot.config.clone().unwrap_or_default();
    let view = config.view.unwrap_or_default();
    (
        classes!(
            "shell",
            config.embed.then_some("embed"),
            format!("view-{}", view.as_str().replace('+', "-"))
        ),
        config.theme.unwrap_or_default().as_str(),
    )
}

/// Milliseconds between autoplay steps at 1x.
const TICK_MS: f64 = 400.0;

fn autoplay_every_ms(speed: Option<Speed>) -> i32 {
    let ms = match speed.unwrap_or_default() {
        Speed::Events => 60.0,
        Speed::Hundredths(h) => TICK_MS * 100.0 / f64::from(h.max(1)),
    };
    ms.clamp(10.0, 10_000.0) as i32
}

/// Embed mode's host channel and autoplay. `log_len` and `pending` come from the state after
/// each action; `console_ok` says whether the last N console entries succeeded.
#[hook]
pub fn use_embed(
    boot: Rc<Boot>,
    act: Act,
    log_len: usize,
    pending: bool,
    console_ok: Callback<usize, bool>,
    notice: Callback<Option<String>>,
) {
    let config = boot.config.clone().unwrap_or_default();
    // Autoplay runs now, or (embed with inline files) once they arrived.
    let playing = use_state(|| config.autoplay && !(config.embed && config.init));
    let link = use_mut_ref(|| None::<HostLink>);
    // Lines a host message ran, to answer with `ran` once the reducer ran them.
    let to_answer = use_mut_ref(|| None::<usize>);
    {
        let (act, playing, link, to_answer) = (
            act.clone(),
            playing.clone(),
            link.clone(),
            to_answer.clone(),
        );
        use_effect_with((), move |_| {
            if config.embed {
                let inited = Rc::new(Cell::new(false));
                let autoplay_after_init = config.autoplay && config.init;
                let started = HostLink::start(
                    config.host.as_deref(),
                    move |m| match m {
                        // Inline files and the script arrive once; a second `init` would
                        // rewrite what the learner did since.
                        HostMessage::Init { .. } if inited.get() => {}
                        HostMessage::Init { files, script } => {
                            inited.set(true);
                            act.start_with(&files);
                            if !script.is_empty() {
                                *to_answer.borrow_mut() = Some(script.len());
                            }
                            for l in script {
                                act.run(l);
                            }
                            if autoplay_after_init {
                                playing.set(true);
                            }
                        }
                        HostMessage::Run { lines } => {
                            *to_answer.borrow_mut() = Some(lines.len());
                            for l in lines {
                                act.run(l);
                            }
                        }
                    },
                    move |err| notice.emit(Some(err)),
                );
                *link.borrow_mut() = started;
            }
        });
    }
    {
        // Answer the host once its lines ran (the reducer has run them by this render).
        let (link, to_answer) = (link.clone(), to_answer.clone());
        use_effect_with(log_len, move |_| {
            if let Some(n) = to_answer.borrow_mut().take()
                && let Some(l) = link.borrow().as_ref()
            {
                l.post(EmbedMessage::Ran {
                    lines: u32::try_from(n).unwrap_or(u32::MAX),
                    ok: console_ok.emit(n),
                });
            }
        });
    }
    let every = autoplay_every_ms(config.speed);
    use_effect_with((*playing, log_len, pending), move |&(on, _, pending)| {
        let mut timer = None;
        if on {
            if !act.recorder.borrow().ran_anything() {
                act.run(APPLY_LINE.to_string());
            } else if pending {
                let act = act.clone();
                let tick = Closure::once(move || act.run("sim step".to_string()));
                timer = web_sys::window().and_then(|w| {
                    w.set_timeout_with_callback_and_timeout_and_arguments_0(
                        tick.as_ref().unchecked_ref(),
                        every,
                    )
                    .ok()
                    .map(|id| (id, tick))
                });
            } else {
                playing.set(false);
            }
        }
        move || {
            if let Some((id, _tick)) = timer
                && let Some(w) = web_sys::window()
            {
                w.clear_timeout_with_handle(id);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_link_replays_lines_and_edits_in_order() {
        let mut s = AppState::default();
        let mut rec = Recorder::of(&s);
        let run = |s: &mut AppState, rec: &mut Recorder, l: &str| {
            rec.run(l);
            s.apply(AppAction::Run(l.to_string()));
        };
        run(&mut s, &mut rec, APPLY_LINE);
        run(&mut s, &mut rec, "sim step");
        let sts = s
            .files
            .get("sts.yaml")
            .map(|t| t.to_string())
            .unwrap_or_default();
        // Two writes of one file between lines are one step (only the last text matters).
        for text in [
            "half-typed".to_string(),
            sts.replace("replicas: 3", "replicas: 2"),
        ] {
            rec.write("sts.yaml", &text);
            s.apply(AppAction::Edit {
                file: "sts.yaml".into(),
                text,
            });
        }
        run(&mut s, &mut rec, "kubectl apply -f sts.yaml");
        run(&mut s, &mut rec, "sim settle");
        run(
            &mut s,
            &mut rec,
            "kubectl edit sts/nginx-with-init-container",
        );
        let scenario = rec.scenario(&s.active, None);
        assert_eq!(
            scenario
                .steps
                .iter()
                .filter(|s| matches!(s, Step::Write(_)))
                .count(),
            1
        );
        let link = share::link("https://stsplay.example/", &scenario).unwrap();
        let (r, rec2) = replay(&share::decode(&link).unwrap());
        assert_eq!(rec2, rec);
        assert_eq!(r.files, s.files);
        assert_eq!(r.active, s.active);
        assert_eq!(*r.command_log(), *s.command_log());
        let out = |s: &AppState| {
            s.console
                .iter()
                .map(|e| e.output.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(out(&r), out(&s));
        assert_eq!(r.view.pods, s.view.pods);
        let names: Vec<&str> = s.view.pods.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["nginx-with-init-container-0", "nginx-with-init-container-1"]
        );
    }

    #[test]
    fn inline_files_before_any_line_are_the_start() {
        let s = AppState::default();
        let mut rec = Recorder::of(&s);
        let web = File {
            name: "web.yaml".into(),
            text: "kind: StatefulSet\n".into(),
        };
        rec.start_with(std::slice::from_ref(&web));
        assert!(rec.steps.is_empty());
        assert_eq!(rec.initial.last(), Some(&web));
        rec.run("kubectl apply -f web.yaml");
        rec.start_with(std::slice::from_ref(&web));
        assert_eq!(rec.steps.last(), Some(&Step::Write(web)));
        assert!(rec.ran_anything());
    }

    #[test]
    fn a_link_or_an_embed_never_saves_and_says_why() {
        let link = share::link(
            "https://stsplay.example/",
            &Recorder::of(&AppState::default()).scenario("svc.yaml", None),
        )
        .unwrap();
        let fragment = link.split_once('#').map(|(_, f)| f).unwrap_or_default();
        let stored_called = std::cell::Cell::new(false);
        let start = Start::new(&boot_from(&format!("#{fragment}")), || {
            stored_called.set(true);
            AppState::default()
        });
        assert!(!start.persist && !stored_called.get());
        assert_eq!(start.notice.as_deref(), Some(OPENED_LINK));
        assert_eq!(start.state.active, "svc.yaml");
        let start = Start::new(&boot_from("#embed&example=nope"), || {
            stored_called.set(true);
            AppState::default()
        });
        assert!(!start.persist && !stored_called.get());
        assert_eq!(
            start.notice.as_deref(),
            Some("There is no example \"nope\" in this playground; the seed example is loaded.")
        );
        let start = Start::new(&boot_from(""), || {
            stored_called.set(true);
            AppState::default()
        });
        assert!(start.persist && stored_called.get() && start.notice.is_none());
    }

    #[test]
    fn autoplay_speeds_are_bounded() {
        assert_eq!(autoplay_every_ms(None), 400);
        assert_eq!(autoplay_every_ms(Some(Speed::Hundredths(400))), 100);
        assert_eq!(autoplay_every_ms(Some(Speed::Hundredths(0))), 10_000);
        assert_eq!(autoplay_every_ms(Some(Speed::Events)), 60);
    }

    #[test]
    fn fragments() {
        assert_eq!(boot_from(""), Boot::default());
        assert_eq!(boot_from("#/x"), Boot::default());
        let b = boot_from("#embed&view=console&theme=dark&init");
        assert!(b.embed());
        assert_eq!(b.notice, None);
        let b = boot_from("#s1.AAAA");
        assert!(b.scenario.is_none());
        assert!(
            b.notice
                .as_deref()
                .is_some_and(|n| n.starts_with("This share link is damaged")
                    && n.ends_with("The playground opened without it.")),
            "{b:?}"
        );
        // A bad option in embed mode: still embed mode (no storage), with the reason.
        let b = boot_from("#embed&view=<script>");
        assert!(b.embed());
        assert!(
            b.notice
                .as_deref()
                .is_some_and(|n| n.contains("view=\"<script>\"")),
            "{b:?}"
        );
    }
}
