//! Embed mode and share links in the browser: the page's side of `crates/share`.
//!
//! * [`read_boot`] reads `location.hash` once at start: a share link (`#s1.…`), embed mode
//!   (`#embed&…`, set by web/embed.js) or a gallery example (`#example=…`). A bad fragment
//!   never stops the page: it opens as usual and [`Boot::notice`] says why in one line.
//! * [`HostLink`] is embed mode's channel to the host page: it accepts only messages that
//!   `share::message::accept_host_message` accepts (the parent window, the origin that embedded
//!   us, the exact shapes), and posts `ready`, `height` and `ran` to that origin only.
//! * [`share_url`] makes the link of a scenario for the Share button.
//! * [`scenario_of`] / [`replay`]: the state's journal (every line, the file texts the lines
//!   read, `sim seek` for the timeline) as a link's scenario, and back.
//! * [`Start`] is the first state: a share link's replay, embed mode's seed (no storage), or
//!   the page's stored work; then the fragment's example and tour (`sim tour NAME`). A link never overwrites stored work: while it is open nothing is
//!   saved (the notice says so).
//! * [`Embed`] wires the host page (messages become `AppAction::Run`/`Edit`, answered with
//!   `ran`), and autoplay (Apply, then Play until the cluster settles).
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

use crate::state::{AppAction, AppState, Logged, Speed as AppSpeed, Theme};

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
    // Most visits have no fragment: nothing to parse. (This also keeps share's parser out of the
    // first wasm module: web/boot.js links the second before start when there is a fragment.)
    if fragment.trim_start_matches('#').is_empty() {
        return Boot::default();
    }
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

    /// Post the content's height (the body's) whenever it changes.
    fn observe_height(&self) -> Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)> {
        let doc = web_sys::window()?.document()?;
        let body = doc.body()?;
        let parent = self.parent.clone();
        let origin = self.origin.clone();
        let last = Rc::new(RefCell::new(0u32));
        let report = Closure::<dyn FnMut()>::new(move || {
            // The body's, not the root's: the root is never shorter than the frame, so the
            // frame could grow but never shrink to a shorter content.
            let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
            else {
                return;
            };
            let h = u32::try_from(body.scroll_height()).unwrap_or(0);
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

/// The scenario a share link carries: the seed's files, then the journal (every line, and each
/// file's text where the next line read it; `sim seek` lines carry the timeline position), then
/// the texts edited since the last line, and the view options.
pub fn scenario_of(state: &AppState, config: Option<&BootConfig>) -> Scenario {
    let seed = AppState::default();
    let files: Vec<File> = seed
        .files
        .list
        .iter()
        .map(|(name, text)| File {
            name: name.clone(),
            text: text.to_string(),
        })
        .collect();
    let mut steps: Vec<Step> = state
        .journal()
        .iter()
        .map(|item| match item {
            Logged::Line(l) => Step::Run(l.clone()),
            Logged::File { name, text } => Step::Write(File {
                name: name.clone(),
                text: text.clone(),
            }),
        })
        .collect();
    // Edits since the last line (a write of an unchanged text changes nothing on replay).
    for (name, text) in &state.files.list {
        if seed.files.get(name).is_none_or(|t| t != text) {
            steps.push(Step::Write(File {
                name: name.clone(),
                text: text.to_string(),
            }));
        }
    }
    let mut s = Scenario {
        files,
        steps,
        ..Scenario::default()
    };
    s.view.active_file = Some(state.active.clone());
    s.view.theme = share::Theme::parse(state.theme.id()).unwrap_or_default();
    s.view.speed = share_speed(state.speed);
    if let Some(c) = config {
        s.view.view = c.view.unwrap_or_default();
        s.view.example = c.example.clone();
    }
    s
}

/// A state replaying a scenario (the simulation is deterministic): its files, then every line
/// and write in order, then the tab in front and the theme.
pub fn replay(s: &Scenario) -> AppState {
    let mut state = AppState::default();
    let edit = |state: &mut AppState, f: &File| {
        state.apply(AppAction::Edit {
            file: f.name.clone(),
            text: f.text.clone(),
        });
    };
    for f in &s.files {
        edit(&mut state, f);
    }
    for step in &s.steps {
        match step {
            Step::Run(line) => {
                state.apply(AppAction::Run(line.clone()));
            }
            Step::Write(f) => edit(&mut state, f),
        }
    }
    if let Some(tab) = &s.view.active_file {
        state.apply(AppAction::SelectTab(tab.clone()));
    }
    state.apply(AppAction::SetTheme(app_theme(s.view.theme)));
    state.apply(AppAction::SetSpeed(app_speed(s.view.speed)));
    state
}

fn app_theme(t: share::Theme) -> Theme {
    Theme::from_id(t.as_str()).unwrap_or_default()
}

/// The app's Play speeds are 0.5×, 1×, 4×, 16× and events: the nearest one.
fn app_speed(s: Speed) -> AppSpeed {
    match s {
        Speed::Events => AppSpeed::Events,
        Speed::Hundredths(h) if h < 75 => AppSpeed::Half,
        Speed::Hundredths(h) if h < 200 => AppSpeed::One,
        Speed::Hundredths(h) if h < 800 => AppSpeed::Four,
        Speed::Hundredths(_) => AppSpeed::Sixteen,
    }
}

fn share_speed(s: AppSpeed) -> Speed {
    Speed::parse(s.id()).unwrap_or_default()
}

/// The page's first state and how it treats storage.
#[derive(Clone)]
pub struct Start {
    pub state: AppState,
    /// Save the work in this browser (the full page with no share link open).
    pub persist: bool,
    /// One line for the notice, said after storage had its say.
    pub notice: Option<String>,
}

impl PartialEq for Start {
    fn eq(&self, other: &Self) -> bool {
        self.persist == other.persist && self.notice == other.notice
    }
}

/// The notice when a share link opened (the learner's own work stays where it was).
pub const OPENED_LINK: &str = "Opened a shared link. Your own saved work is kept: nothing here is \
                               saved in this browser until you reload without the link.";

impl Start {
    /// `stored` gives the page's stored work and its notice (called only outside embed mode
    /// and links).
    pub fn new(boot: &Boot, stored: impl FnOnce() -> (AppState, Option<String>)) -> Start {
        let mut notice = boot.notice.clone();
        let config = boot.config.clone().unwrap_or_default();
        let (mut state, persist) = if let Some(s) = &boot.scenario {
            notice.get_or_insert_with(|| OPENED_LINK.to_string());
            (replay(s), false)
        } else if config.embed {
            (AppState::default(), false)
        } else {
            let (state, n) = stored();
            if notice.is_none() {
                notice = n;
            }
            (state, true)
        };
        if boot.scenario.is_none() {
            // The example and the tour (they wait for the texts when those are still loading).
            if config.example.is_some() || config.tour.is_some() {
                state.apply(AppAction::BootOptions {
                    example: config.example.clone(),
                    tour: config.tour.clone(),
                    embed: config.embed,
                });
                if notice.is_none() {
                    notice = state.notice.take().map(|n| n.to_string());
                }
            }
            if let Some(t) = config.theme {
                state.apply(AppAction::SetTheme(app_theme(t)));
            }
            if let Some(sp) = config.speed {
                state.apply(AppAction::SetSpeed(app_speed(sp)));
            }
        }
        Start {
            state,
            persist,
            notice,
        }
    }
}

/// The shell's classes for the boot options: `embed`, `view-…`.
pub fn shell_classes(boot: &Boot) -> Classes {
    let config = boot.config.clone().unwrap_or_default();
    let view = config.view.unwrap_or_default();
    classes!(
        config.embed.then_some("embed"),
        format!("view-{}", view.as_str().replace('+', "-"))
    )
}

/// Autoplay ([`AppAction::Autoplay`]): Apply when nothing ran yet, then Play (at the page's
/// speed) until it settles; left to a tour that starts.
fn autoplay(act: &Callback<AppAction>, config: &share::boot::BootConfig, ran: bool) {
    act.emit(AppAction::Autoplay {
        ran,
        tour: config.tour.clone(),
    });
}

/// Embed mode's host channel, and autoplay. Host messages become `AppAction::Edit`/`Run` (so
/// they are journaled like typed lines) and are answered with `ran` once the reducer ran them.
/// Made after the app's first render; dropping it stops listening.
pub struct Embed {
    link: Option<HostLink>,
    /// Lines a host message ran, to answer with `ran` once the reducer ran them.
    to_answer: Rc<Cell<Option<usize>>>,
}

impl Embed {
    /// `ran_at_start`: lines ran before the first render (a stored session, a link).
    pub fn start(
        boot: &Boot,
        act: Callback<AppAction>,
        notice: Callback<Option<String>>,
        ran_at_start: bool,
    ) -> Embed {
        let to_answer = Rc::new(Cell::new(None::<usize>));
        let config = boot.config.clone().unwrap_or_default();
        let mut link = None;
        if config.embed {
            let inited = Rc::new(Cell::new(false));
            let autoplay_after_init = config.autoplay && config.init;
            let c = config.clone();
            let d = act.clone();
            let answer = to_answer.clone();
            link = HostLink::start(
                config.host.as_deref(),
                move |m| match m {
                    // Inline files and the script arrive once; a second `init` would
                    // rewrite what the learner did since.
                    HostMessage::Init { .. } if inited.get() => {}
                    HostMessage::Init { files, script } => {
                        inited.set(true);
                        for f in files {
                            d.emit(AppAction::Edit {
                                file: f.name,
                                text: f.text,
                            });
                        }
                        let ran = ran_at_start || !script.is_empty();
                        if !script.is_empty() {
                            answer.set(Some(script.len()));
                        }
                        for l in script {
                            d.emit(AppAction::Run(l));
                        }
                        if autoplay_after_init {
                            autoplay(&d, &c, ran);
                        }
                    }
                    HostMessage::Run { lines } => {
                        answer.set(Some(lines.len()));
                        for l in lines {
                            d.emit(AppAction::Run(l));
                        }
                    }
                },
                move |err| notice.emit(Some(err)),
            );
        }
        if config.autoplay && !(config.embed && config.init) {
            autoplay(&act, &config, ran_at_start);
        }
        Embed { link, to_answer }
    }

    /// Answer the host once its lines ran (called after a render where the journal grew: the
    /// reducer has run them by then); `console_ok(n)`: whether the last `n` entries succeeded.
    pub fn answer(&self, console_ok: impl FnOnce(usize) -> bool) {
        if let Some(n) = self.to_answer.take()
            && let Some(l) = &self.link
        {
            l.post(EmbedMessage::Ran {
                lines: u32::try_from(n).unwrap_or(u32::MAX),
                ok: console_ok(n),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::APPLY_LINE;

    #[test]
    fn a_share_link_replays_the_journal_exactly() {
        let mut s = AppState::default();
        let run = |s: &mut AppState, l: &str| {
            s.apply(AppAction::Run(l.to_string()));
        };
        run(&mut s, APPLY_LINE);
        run(&mut s, "sim step");
        let sts = s
            .files
            .get("sts.yaml")
            .map(|t| t.to_string())
            .unwrap_or_default();
        for text in [
            "half-typed".to_string(),
            sts.replace("replicas: 3", "replicas: 2"),
        ] {
            s.apply(AppAction::Edit {
                file: "sts.yaml".into(),
                text,
            });
        }
        run(&mut s, "kubectl apply -f sts.yaml");
        run(&mut s, "sim settle");
        run(&mut s, "kubectl edit sts/nginx-with-init-container");
        // Back on the timeline, then an edit that no line read yet.
        run(&mut s, "sim seek 4");
        s.apply(AppAction::Edit {
            file: "svc.yaml".into(),
            text: "# not applied yet\n".into(),
        });
        s.apply(AppAction::SetTheme(Theme::Dark));
        let scenario = scenario_of(&s, None);
        let link = share::link("https://stsplay.example/", &scenario).unwrap();
        let r = replay(&share::decode(&link).unwrap());
        assert_eq!(r.files, s.files);
        assert_eq!(r.active, s.active);
        assert_eq!(r.theme, Theme::Dark);
        assert_eq!(r.command_log(), s.command_log());
        assert_eq!(r.view.timeline.position, s.view.timeline.position);
        let out = |s: &AppState| {
            s.console
                .iter()
                .map(|e| e.output.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(out(&r), out(&s));
        assert_eq!(r.view.pods, s.view.pods);
        // A link of the link is the same link.
        assert_eq!(scenario_of(&r, None), scenario);
    }

    #[test]
    fn a_link_or_an_embed_never_saves_and_says_why() {
        let link = share::link(
            "https://stsplay.example/",
            &scenario_of(&AppState::default(), None),
        )
        .unwrap();
        let fragment = link.split_once('#').map(|(_, f)| f).unwrap_or_default();
        let stored_called = std::cell::Cell::new(false);
        let stored = || {
            stored_called.set(true);
            (AppState::default(), None)
        };
        let start = Start::new(&boot_from(&format!("#{fragment}")), stored);
        assert!(!start.persist && !stored_called.get());
        assert_eq!(start.notice.as_deref(), Some(OPENED_LINK));
        let start = Start::new(&boot_from("#embed&example=nope&theme=dark"), stored);
        assert!(!start.persist && !stored_called.get());
        assert_eq!(start.state.theme, Theme::Dark);
        assert_eq!(
            start.notice.as_deref(),
            Some("There is no example \"nope\" in this playground; the seed example is loaded.")
        );
        let start = Start::new(&boot_from("#embed&example=web"), stored);
        assert!(start.notice.is_none());
        assert_eq!(start.state.example.map(|e| e.id), Some("web"));
        let start = Start::new(&boot_from(""), stored);
        assert!(start.persist && stored_called.get() && start.notice.is_none());
    }

    #[test]
    fn a_tour_attribute_starts_the_tour_through_its_console_line() {
        let stored = || (AppState::default(), None);
        let start = Start::new(&boot_from("#embed&tour=statefulset-basics"), stored);
        assert!(start.notice.is_none());
        assert_eq!(
            start
                .state
                .tour
                .as_ref()
                .map(|t| (t.name.as_str(), t.index)),
            Some(("statefulset-basics", 0))
        );
        assert_eq!(start.state.command_log(), ["sim tour statefulset-basics"]);
        // The full page's link (an embed's "Open in stsplay") starts it too.
        let start = Start::new(
            &boot_from("#example=seed&tour=sticky-pod-orchestra"),
            stored,
        );
        assert!(start.state.tour.is_some() && start.notice.is_none());
        // An unknown tour: one line, and the embed works without it.
        let start = Start::new(&boot_from("#embed&tour=nope&view=diagram"), stored);
        assert!(start.state.tour.is_none() && start.state.command_log().is_empty());
        assert_eq!(
            start.notice.as_deref(),
            Some(
                "There is no tour \"nope\" in this playground (tours: sticky-pod-orchestra, \
                 statefulset-basics); it opened without one."
            )
        );
    }

    #[test]
    fn autoplay_is_left_to_a_tour_that_starts() {
        let plays = |tour: Option<&str>| {
            let mut s = AppState::default();
            s.apply(AppAction::Autoplay {
                ran: false,
                tour: tour.map(str::to_string),
            });
            (s.playing, s.command_log())
        };
        assert_eq!(plays(None), (true, vec![APPLY_LINE.to_string()]));
        // The tour's first step applies the files; Play on an empty cluster would show nothing.
        assert_eq!(plays(Some("statefulset-basics")), (false, vec![]));
        // An unknown tour does not start (one notice line): autoplay works as without it.
        assert!(plays(Some("nope")).0);
    }

    #[test]
    fn speeds_map_to_the_nearest_play_speed() {
        assert_eq!(app_speed(Speed::default()), AppSpeed::One);
        assert_eq!(app_speed(Speed::Hundredths(50)), AppSpeed::Half);
        assert_eq!(app_speed(Speed::Hundredths(400)), AppSpeed::Four);
        assert_eq!(app_speed(Speed::Hundredths(10_000)), AppSpeed::Sixteen);
        assert_eq!(app_speed(Speed::Events), AppSpeed::Events);
        for s in AppSpeed::ALL {
            assert_eq!(app_speed(share_speed(s)), s);
        }
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
