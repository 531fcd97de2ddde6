//! The UI state in one reducer: [`AppState`] + [`AppAction`] (cf. Yew's `function_todomvc`,
//! `src/state.rs`).
//!
//! The simulated cluster is one mutable [`kubectl::Session`]; it lives in [`Engine`] together
//! with the complete, ordered command log. Only the reducer touches the engine. Everything the
//! panes show is derived from it once per action ([`ClusterView`], the files, the active file's
//! diagnostics) and handed to components as `Rc`s that compare by pointer when unchanged, so
//! nothing re-parses YAML or rebuilds a view on render.
//!
//! Every action that changes the cluster is a command line of the console language, run
//! through [`AppAction::Run`], recorded in the log and echoed in the console: what a learner
//! clicked can be replayed as a script (`stsplay run`), a share link or a tour.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use kubectl::Session;
use yew::Reducible;

use crate::model::ClusterView;

/// The seed files, in the editor's tab order (files added later follow in name order).
pub const FILES: [&str; 2] = ["sts.yaml", "svc.yaml"];
/// The line the Apply button runs.
pub const APPLY_LINE: &str = "kubectl apply -f svc.yaml -f sts.yaml";
/// Console entries kept on screen (older ones scroll away; the command log keeps every line).
pub const MAX_CONSOLE_ENTRIES: usize = 400;
/// Lines ↑/↓ recalls in the console.
pub const MAX_RECALL: usize = 500;

/// The mutable core: the session and every line run, in order. Never de-duplicated or truncated:
/// a share link or tour replays exactly this.
pub struct Engine {
    pub session: Session,
    pub log: Vec<String>,
}

/// One console entry: the line as typed and what the terminal would show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Unique and increasing (the list key).
    pub seq: u64,
    /// The prompt the line was typed at (`$ `, or an attached container shell's `/ # `).
    pub prompt: Rc<str>,
    pub line: String,
    pub output: String,
    pub ok: bool,
}

/// The editor's files, in tab order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    pub list: Vec<(String, Rc<str>)>,
}

impl Files {
    fn from_session(s: &Session) -> Files {
        let fs = &s.files().files;
        let mut list: Vec<(String, Rc<str>)> = Vec::new();
        for name in FILES {
            list.push((
                name.to_string(),
                Rc::from(fs.get(name).map(String::as_str).unwrap_or("")),
            ));
        }
        for (name, text) in fs {
            if !FILES.contains(&name.as_str()) {
                list.push((name.clone(), Rc::from(text.as_str())));
            }
        }
        Files { list }
    }

    pub fn get(&self, name: &str) -> Option<&Rc<str>> {
        self.list.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|(n, _)| n.as_str())
    }

    /// The same as `other` where the text did not change (the `Rc`s are kept).
    fn merged(old: &Files, new: Files) -> Files {
        Files {
            list: new
                .list
                .into_iter()
                .map(|(n, t)| match old.get(&n) {
                    Some(o) if **o == *t => (n, o.clone()),
                    _ => (n, t),
                })
                .collect(),
        }
    }
}

/// One intake diagnostic of the active file, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    /// 1-based line and column, when intake knows them.
    pub line: Option<u32>,
    pub col: Option<u32>,
    pub message: String,
    /// stsplay's hint (shown as `hint: …`).
    pub hint: Option<String>,
}

/// intake's diagnostics for one file's text.
pub fn diagnose(text: &str, name: &str) -> Vec<Diag> {
    intake::parse(text, name)
        .into_iter()
        .filter_map(|d| match d {
            intake::DocResult::Err(d) => Some(Diag {
                line: d.span.map(|s| s.line),
                col: d.span.map(|s| s.col),
                message: d.message,
                hint: d.hint,
            }),
            intake::DocResult::Ok(_) => None,
        })
        .collect()
}

/// Everything the page shows. Cloning is cheap (pointers).
#[derive(Clone)]
pub struct AppState {
    engine: Rc<RefCell<Engine>>,
    pub files: Rc<Files>,
    /// The file in the editor.
    pub active: String,
    /// intake's diagnostics of the active file.
    pub diagnostics: Rc<Vec<Diag>>,
    pub console: Rc<Vec<Rc<Entry>>>,
    /// Lines ↑/↓ recalls (consecutive repeats once, as shells do; the log keeps them all).
    pub recall: Rc<Vec<String>>,
    pub view: ClusterView,
    /// One line about something that went wrong outside the cluster (storage), if any.
    pub notice: Option<Rc<str>>,
    /// The object selected in any pane, as `kind/name` with kubectl's lower-case kind
    /// (`pod/web-0`, `persistentvolumeclaim/data-web-0`): every pane highlights it.
    pub selected: Option<Rc<str>>,
    /// Length of the command log (effects watch it).
    pub log_len: usize,
    /// The console's prompt for the next line ([`kubectl::Session::prompt`]).
    pub prompt: Rc<str>,
    /// The tour being walked (`sim tour …`), for the tour panel.
    pub tour: Option<Rc<crate::tour::TourView>>,
    next_seq: u64,
    /// The file and text `diagnostics` were computed from.
    diagnosed: Option<(String, Rc<str>)>,
}

/// Everything a user can do.
#[derive(Debug, Clone, PartialEq)]
pub enum AppAction {
    /// Run one line of the console language (buttons issue lines too).
    Run(String),
    /// The editor's text of `file` changed.
    Edit { file: String, text: String },
    /// Show another file in the editor.
    SelectTab(String),
    /// Say (or stop saying) what happened to storage.
    Notice(Option<String>),
    /// Select an object (`kind/name`) in every pane, or clear the selection.
    Select(Option<String>),
}

impl Default for AppState {
    fn default() -> Self {
        Self::new(Session::new())
    }
}

impl AppState {
    pub fn new(session: Session) -> Self {
        let files = Files::from_session(&session);
        let view = ClusterView::build(session.cluster());
        let active = FILES[0].to_string();
        let mut s = AppState {
            engine: Rc::new(RefCell::new(Engine {
                session,
                log: Vec::new(),
            })),
            files: Rc::new(files),
            active,
            diagnostics: Rc::new(Vec::new()),
            console: Rc::new(Vec::new()),
            recall: Rc::new(Vec::new()),
            view,
            notice: None,
            selected: None,
            log_len: 0,
            prompt: Rc::from(kubectl::HOST_PROMPT),
            tour: None,
            next_seq: 0,
            diagnosed: None,
        };
        s.refresh_diagnostics();
        s
    }

    /// Every line run so far, in order (for share links, tours, `stsplay run`).
    pub fn command_log(&self) -> Ref<'_, Vec<String>> {
        Ref::map(self.engine.borrow(), |e| &e.log)
    }

    /// Read the session (tests, export). Never hold it across a dispatch.
    pub fn session(&self) -> Ref<'_, Session> {
        Ref::map(self.engine.borrow(), |e| &e.session)
    }

    /// This session as a POSIX sh script for a real kind cluster (the "Export for kind" button).
    pub fn export_kind(&self) -> String {
        self.session().export_kind()
    }

    /// The text of the file in the editor.
    pub fn active_text(&self) -> Rc<str> {
        self.files
            .get(&self.active)
            .cloned()
            .unwrap_or_else(|| Rc::from(""))
    }

    /// Apply an action in place; `false` when nothing changed (no render).
    pub fn apply(&mut self, action: AppAction) -> bool {
        match action {
            AppAction::Run(line) => self.run(&line),
            AppAction::Edit { file, text } => self.edit(&file, &text),
            AppAction::SelectTab(name) => {
                if name == self.active || self.files.get(&name).is_none() {
                    return false;
                }
                self.active = name;
                self.refresh_diagnostics();
                true
            }
            AppAction::Notice(n) => {
                let n: Option<Rc<str>> = n.map(Rc::from);
                if n == self.notice {
                    return false;
                }
                self.notice = n;
                true
            }
            AppAction::Select(r) => {
                let r: Option<Rc<str>> = r.map(Rc::from);
                if r == self.selected {
                    return false;
                }
                self.selected = r;
                true
            }
        }
    }

    fn run(&mut self, line: &str) -> bool {
        let line = line.trim();
        if line.is_empty() {
            return false;
        }
        let prompt = self.prompt.clone();
        let out = {
            let mut e = self.engine.borrow_mut();
            let out = e.session.run_line(line);
            let tour = crate::tour::TourView::from_session(&e.session);
            if tour.as_ref() != self.tour.as_deref() {
                // A new step (or tour): select its first object in every pane (the diagram
                // shows one selection; the step lists all its objects).
                let step_of =
                    |t: Option<&crate::tour::TourView>| t.map(|t| (t.name.clone(), t.index));
                if step_of(tour.as_ref()) != step_of(self.tour.as_deref())
                    && let Some(first) =
                        tour.as_ref().and_then(|t| t.highlight().into_iter().next())
                {
                    self.selected = Some(Rc::from(first.as_str()));
                }
                self.tour = tour.map(Rc::new);
            }
            e.log.push(line.to_string());
            self.log_len = e.log.len();
            self.view.refresh(e.session.cluster());
            let files = Files::from_session(&e.session);
            if files != *self.files {
                self.files = Rc::new(Files::merged(&self.files, files));
            }
            out
        };
        if self.recall.last().map(String::as_str) != Some(line) {
            let r = Rc::make_mut(&mut self.recall);
            r.push(line.to_string());
            if r.len() > MAX_RECALL {
                let drop = r.len() - MAX_RECALL;
                r.drain(..drop);
            }
        }
        if *self.prompt != *out.prompt {
            self.prompt = Rc::from(out.prompt.as_str());
        }
        self.push_entry(prompt, line.to_string(), out.combined, out.ok);
        if let Some((name, _)) = out.edit
            && self.files.get(&name).is_some()
        {
            self.active = name;
        }
        self.refresh_diagnostics();
        true
    }

    fn push_entry(&mut self, prompt: Rc<str>, line: String, output: String, ok: bool) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let c = Rc::make_mut(&mut self.console);
        c.push(Rc::new(Entry {
            seq,
            prompt,
            line,
            output,
            ok,
        }));
        if c.len() > MAX_CONSOLE_ENTRIES {
            let drop = c.len() - MAX_CONSOLE_ENTRIES;
            c.drain(..drop);
        }
    }

    fn edit(&mut self, file: &str, text: &str) -> bool {
        if self.files.get(file).is_some_and(|t| **t == *text) {
            return false;
        }
        {
            let mut e = self.engine.borrow_mut();
            e.session.set_file(file, text);
            let files = Files::from_session(&e.session);
            self.files = Rc::new(Files::merged(&self.files, files));
        }
        self.refresh_diagnostics();
        true
    }

    /// Recompute the active file's diagnostics when it or its text changed (the texts are
    /// shared `Rc`s, so "changed" is a pointer comparison).
    fn refresh_diagnostics(&mut self) {
        let text = self.active_text();
        if let Some((name, t)) = &self.diagnosed
            && *name == self.active
            && Rc::ptr_eq(t, &text)
        {
            return;
        }
        let d = diagnose(&text, &self.active);
        if *self.diagnostics != d {
            self.diagnostics = Rc::new(d);
        }
        self.diagnosed = Some((self.active.clone(), text));
    }
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let mut next = (*self).clone();
        if next.apply(action) {
            Rc::new(next)
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_logged_in_order_even_repeats() {
        let mut s = AppState::default();
        for l in ["sim step", "sim step", "kubectl get pods", "sim step"] {
            assert!(s.apply(AppAction::Run(l.into())));
        }
        assert_eq!(
            *s.command_log(),
            ["sim step", "sim step", "kubectl get pods", "sim step"]
        );
        assert_eq!(*s.recall, ["sim step", "kubectl get pods", "sim step"]);
        assert_eq!(s.console.len(), 4);
    }

    #[test]
    fn unchanged_panes_keep_their_rc() {
        let mut s = AppState::default();
        let events = s.view.events.clone();
        let graph = s.view.graph.clone();
        s.apply(AppAction::Run("kubectl get pods".into()));
        assert!(Rc::ptr_eq(&events, &s.view.events));
        assert!(Rc::ptr_eq(&graph, &s.view.graph));
        s.apply(AppAction::Run(APPLY_LINE.into()));
        assert!(!Rc::ptr_eq(&graph, &s.view.graph));
    }

    #[test]
    fn edit_updates_diagnostics_and_the_session() {
        let mut s = AppState::default();
        assert!(s.diagnostics.is_empty());
        let bad =
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replica: 3\n";
        assert!(s.apply(AppAction::Edit {
            file: "sts.yaml".into(),
            text: bad.into()
        }));
        assert_eq!(s.diagnostics.first().and_then(|d| d.line), Some(6));
        assert_eq!(
            s.session()
                .files()
                .files
                .get("sts.yaml")
                .map(String::as_str),
            Some(bad)
        );
        // The same text again changes nothing.
        assert!(!s.apply(AppAction::Edit {
            file: "sts.yaml".into(),
            text: bad.into()
        }));
    }

    #[test]
    fn console_is_capped_but_log_is_not() {
        let mut s = AppState::default();
        for _ in 0..(MAX_CONSOLE_ENTRIES + 5) {
            s.apply(AppAction::Run("sim time".into()));
        }
        assert_eq!(s.console.len(), MAX_CONSOLE_ENTRIES);
        assert_eq!(s.command_log().len(), MAX_CONSOLE_ENTRIES + 5);
        assert_eq!(s.log_len, MAX_CONSOLE_ENTRIES + 5);
    }

    #[test]
    fn tours_prompts_and_export() {
        let mut s = AppState::default();
        assert!(s.tour.is_none());
        s.apply(AppAction::Run("sim tour statefulset-basics".into()));
        let t = s.tour.clone().unwrap();
        assert_eq!(t.index, 0);
        // The step's first object is selected in every pane.
        assert_eq!(s.selected.as_deref(), Some("service/nginx"));
        s.apply(AppAction::Run("sim tour next".into()));
        assert_eq!(s.tour.as_ref().unwrap().index, 1);
        // An attached container shell changes the prompt; its lines are entries at that prompt.
        s.apply(AppAction::Run(
            "kubectl apply -f svc.yaml -f sts.yaml".into(),
        ));
        s.apply(AppAction::Run("sim settle".into()));
        s.apply(AppAction::Run(
            "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm".into(),
        ));
        assert_eq!(&*s.prompt, "/ # ");
        s.apply(AppAction::Run("exit".into()));
        assert_eq!(&*s.prompt, "$ ");
        let last = s.console.last().unwrap();
        assert_eq!((&*last.prompt, last.line.as_str()), ("/ # ", "exit"));
        let script = s.export_kind();
        assert!(script.starts_with("#!/bin/sh\n"));
        assert!(
            script.contains("kubectl apply -f https://k8s.io/examples/application/web/web.yaml\n")
        );
    }

    #[test]
    fn kubectl_edit_opens_a_new_tab() {
        let mut s = AppState::default();
        s.apply(AppAction::Run("kubectl apply -f sts.yaml".into()));
        s.apply(AppAction::Run(
            "kubectl edit sts/nginx-with-init-container".into(),
        ));
        assert_eq!(s.active, "statefulset-nginx-with-init-container.yaml");
        assert!(s.active_text().contains("uid:"));
    }
}
