//! Browser storage (localStorage), the only module that touches it.
//!
//! One entry, `stsplay.v1`, holds a versioned JSON document: the editor's files, the journal
//! (every line run, with the file texts it read), the active file, the example script's
//! position, the theme and Play's speed. The timeline position needs no field of its own: the
//! journal's `sim seek`/`sim back`/`sim redo` lines reproduce it.
//!
//! Storage may be missing (sandboxed iframe, private mode), full, or hold an entry that is
//! corrupt or not ours; none of that may lose the text on screen. Every function returns what
//! happened instead of failing, in one line the page shows. [`encode`] and [`decode`] are pure
//! (tested on the host); [`load`] and [`save`] do the IO.

use serde_json::{Value, json};

use crate::state::{AppAction, AppState, Logged, Speed, Theme};

/// The key of this format.
pub const KEY: &str = "stsplay.v1";
/// Where an entry that could not be read is moved (best effort), so nothing is destroyed.
pub const UNREADABLE_KEY: &str = "stsplay.v1.unreadable";
/// The walking skeleton's per-file keys (read once, when there is no `stsplay.v1`).
const OLD_FILE_KEY: &str = "stsplay.file.";
/// Largest document stored (characters; localStorage holds about 5 MB per origin).
pub const MAX_STORED_BYTES: usize = 2 * 1024 * 1024;
/// Most journal items read back.
pub const MAX_JOURNAL: usize = 200_000;
/// Most files read back, and the largest one.
const MAX_FILES: usize = kubectl::fs::MAX_FILES;
const MAX_FILE_BYTES: usize = kubectl::fs::MAX_FILE_BYTES;

/// What a stored document holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    pub files: Vec<(String, String)>,
    pub journal: Vec<Logged>,
    pub active: Option<String>,
    pub script_pos: usize,
    pub theme: Theme,
    pub speed: Speed,
}

impl Saved {
    pub fn of(s: &AppState) -> Saved {
        Saved {
            files: s
                .files
                .list
                .iter()
                .map(|(n, t)| (n.clone(), t.to_string()))
                .collect(),
            journal: s.journal().clone(),
            active: Some(s.active.clone()),
            script_pos: s.script_pos,
            theme: s.theme,
            speed: s.speed,
        }
    }

    /// The state this document describes: the journal replayed, then the files as they were
    /// last (edits not yet read by any line), then the settings.
    pub fn restore(&self) -> AppState {
        self.restore_onto(AppState::default())
    }

    /// [`Saved::restore`] onto a first state (in the page its texts are still loading: what
    /// needs them, and everything after, waits in its queue).
    pub fn restore_onto(&self, mut s: AppState) -> AppState {
        s.replay(&self.journal);
        for (name, text) in &self.files {
            s.apply(AppAction::Edit {
                file: name.clone(),
                text: text.clone(),
            });
        }
        if let Some(a) = &self.active {
            s.apply(AppAction::SelectTab(a.clone()));
        }
        s.apply(AppAction::SetScriptPos(self.script_pos));
        s.theme = self.theme;
        s.speed = self.speed;
        s
    }
}

/// The stored document's text.
pub fn encode(s: &Saved) -> String {
    let files: serde_json::Map<String, Value> = sim::sort::to_object(
        s.files
            .iter()
            .map(|(n, t)| (n.clone(), Value::String(t.clone()))),
    );
    let journal: Vec<Value> = s
        .journal
        .iter()
        .map(|i| match i {
            Logged::Line(l) => json!(["l", l]),
            Logged::File { name, text } => json!(["f", name, text]),
        })
        .collect();
    json!({
        "stsplay": 1,
        "files": files,
        "journal": journal,
        "active": s.active,
        "scriptPos": s.script_pos,
        "theme": s.theme.id(),
        "speed": s.speed.id(),
    })
    .to_string()
}

/// Read a stored document. Every field is checked and bounded; `Err` says in a few words what
/// is wrong with it.
pub fn decode(text: &str) -> Result<Saved, String> {
    if text.len() > MAX_STORED_BYTES {
        return Err("it is too large".into());
    }
    let v: Value = serde_json::from_str(text).map_err(|_| "it is not valid JSON".to_string())?;
    let Some(obj) = v.as_object() else {
        return Err("it is not a stsplay document".into());
    };
    match obj.get("stsplay").and_then(Value::as_u64) {
        Some(1) => {}
        Some(n) => return Err(format!("it is format {n}, not 1")),
        None => return Err("it is not a stsplay document".into()),
    }
    let mut saved = Saved::default();
    if let Some(files) = obj.get("files") {
        let files = files.as_object().ok_or("its files are not a map")?;
        if files.len() > MAX_FILES {
            return Err("it has too many files".into());
        }
        for (name, text) in files {
            let text = text.as_str().ok_or("a file is not text")?;
            if text.len() > MAX_FILE_BYTES || name.is_empty() || name.len() > 255 {
                return Err("a file is too large or badly named".into());
            }
            saved.files.push((name.clone(), text.to_string()));
        }
    }
    if let Some(j) = obj.get("journal") {
        let j = j.as_array().ok_or("its journal is not a list")?;
        if j.len() > MAX_JOURNAL {
            return Err("its journal is too long".into());
        }
        for item in j {
            let parts = item.as_array().ok_or("a journal item is not a list")?;
            let strs: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
            if strs.len() != parts.len() {
                return Err("a journal item is not text".into());
            }
            match strs.as_slice() {
                ["l", line] => saved.journal.push(Logged::Line((*line).to_string())),
                ["f", name, text] if text.len() <= MAX_FILE_BYTES => {
                    saved.journal.push(Logged::File {
                        name: (*name).to_string(),
                        text: (*text).to_string(),
                    })
                }
                _ => return Err("a journal item is malformed".into()),
            }
        }
    }
    saved.active = obj
        .get("active")
        .and_then(Value::as_str)
        .map(str::to_string);
    saved.script_pos = obj
        .get("scriptPos")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    saved.theme = obj
        .get("theme")
        .and_then(Value::as_str)
        .and_then(Theme::from_id)
        .unwrap_or_default();
    saved.speed = obj
        .get("speed")
        .and_then(Value::as_str)
        .and_then(Speed::from_id)
        .unwrap_or_default();
    Ok(saved)
}

fn local() -> Result<web_sys::Storage, String> {
    let w = web_sys::window().ok_or("no window")?;
    match w.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".into()),
        Err(_) => Err("browser storage is blocked here (private mode or a sandboxed frame)".into()),
    }
}

/// What an earlier visit stored, and one line about anything that went wrong reading it.
pub fn load() -> (Option<Saved>, Option<String>) {
    let s = match local() {
        Ok(s) => s,
        Err(e) => return (None, Some(format!("{e}: your work will not be saved"))),
    };
    match s.get_item(KEY) {
        Ok(Some(text)) => match decode(&text) {
            Ok(saved) => (Some(saved), None),
            Err(why) => {
                let kept = s.set_item(UNREADABLE_KEY, &text).is_ok();
                (
                    None,
                    Some(format!(
                        "the work stored by an earlier visit could not be read ({why}); starting from the seed{}",
                        if kept {
                            format!(" (the stored copy is kept as {UNREADABLE_KEY})")
                        } else {
                            String::new()
                        }
                    )),
                )
            }
        },
        Ok(None) => (load_old_files(&s), None),
        Err(_) => (
            None,
            Some("browser storage could not be read: your work will not be saved".into()),
        ),
    }
}

/// The walking skeleton stored each seed file under its own key.
fn load_old_files(s: &web_sys::Storage) -> Option<Saved> {
    let files: Vec<(String, String)> = crate::state::FILES
        .iter()
        .filter_map(|name| match s.get_item(&format!("{OLD_FILE_KEY}{name}")) {
            Ok(Some(t)) if t.len() <= MAX_FILE_BYTES && !t.trim().is_empty() => {
                Some((name.to_string(), t))
            }
            _ => None,
        })
        .collect();
    (!files.is_empty()).then(|| Saved {
        files,
        ..Saved::default()
    })
}

/// Store the document. `Err` says in one line why it was not stored.
pub fn save(saved: &Saved) -> Result<(), String> {
    let mut text = encode(saved);
    let mut note = None;
    if text.len() > MAX_STORED_BYTES {
        // Too long a history: keep the files at least.
        text = encode(&Saved {
            journal: Vec::new(),
            ..saved.clone()
        });
        note = Some(
            "the history is too long to store: only the files are saved (a reload starts a fresh cluster)",
        );
        if text.len() > MAX_STORED_BYTES {
            return Err(
                "the files are too large to store in this browser: your work is not saved".into(),
            );
        }
    }
    let s = local().map_err(|e| format!("{e}: your work is not saved"))?;
    s.set_item(KEY, &text).map_err(|_| {
        format!(
            "browser storage is full ({} KB needed): your work is not saved",
            text.len() / 1024
        )
    })?;
    match note {
        Some(n) => Err(n.to_string()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let s = Saved {
            files: vec![("sts.yaml".into(), "a: \"b\"\n\\".into())],
            journal: vec![
                Logged::File {
                    name: "sts.yaml".into(),
                    text: "x".into(),
                },
                Logged::Line("kubectl apply -f sts.yaml".into()),
            ],
            active: Some("sts.yaml".into()),
            script_pos: 3,
            theme: Theme::Dark,
            speed: Speed::Events,
        };
        assert_eq!(decode(&encode(&s)), Ok(s));
    }

    #[test]
    fn corrupt_and_foreign_documents_are_refused_with_a_reason() {
        assert_eq!(decode("{not json"), Err("it is not valid JSON".into()));
        assert_eq!(decode("[1,2]"), Err("it is not a stsplay document".into()));
        assert_eq!(
            decode("{\"a\":1}"),
            Err("it is not a stsplay document".into())
        );
        assert_eq!(
            decode("{\"stsplay\":2}"),
            Err("it is format 2, not 1".into())
        );
        assert_eq!(
            decode("{\"stsplay\":1,\"journal\":[[\"x\",\"y\"]]}"),
            Err("a journal item is malformed".into())
        );
        assert_eq!(
            decode("{\"stsplay\":1,\"files\":{\"a\":3}}"),
            Err("a file is not text".into())
        );
        assert!(decode(&"x".repeat(MAX_STORED_BYTES + 1)).is_err());
        // Unknown settings fall back to defaults.
        let s = decode("{\"stsplay\":1,\"theme\":\"pink\",\"speed\":\"99\"}").unwrap_or_default();
        assert_eq!((s.theme, s.speed), (Theme::Auto, Speed::One));
    }

    #[test]
    fn restore_replays_the_journal_and_keeps_unread_edits() {
        let mut st = AppState::default();
        st.apply(AppAction::Run(crate::state::APPLY_LINE.into()));
        st.apply(AppAction::Run("sim settle".into()));
        st.apply(AppAction::Run("sim seek 6".into()));
        st.apply(AppAction::Edit {
            file: "svc.yaml".into(),
            text: "# not applied yet\n".into(),
        });
        let saved = decode(&encode(&Saved::of(&st))).unwrap_or_default();
        let r = saved.restore();
        assert_eq!(r.view, st.view);
        assert_eq!(r.view.timeline.position, 6);
        assert_eq!(
            &*r.files.get("svc.yaml").cloned().unwrap_or_default(),
            "# not applied yet\n"
        );
        assert_eq!(r.edited_files(), ["svc.yaml"]);
    }

    /// In the page the texts are still loading when stored work is restored: a stored
    /// `sim example` (and everything after it, the "Run next line" position included) waits for
    /// them and then comes back as it was (it failed as "no example" before).
    #[test]
    fn restore_waits_for_the_texts_an_example_needs() {
        use crate::state::Texts;
        let mut st = AppState::default();
        st.apply(AppAction::Run("sim example canary".into()));
        st.apply(AppAction::RunScript { all: false });
        st.apply(AppAction::RunScript { all: false });
        st.apply(AppAction::Edit {
            file: "web.yaml".into(),
            text: "# mine\n".into(),
        });
        let saved = decode(&encode(&Saved::of(&st))).unwrap_or_default();
        let mut loading = AppState::default();
        loading.texts = Texts::Loading;
        let mut r = saved.restore_onto(loading);
        assert!(r.waiting());
        assert!(r.command_log().is_empty());
        r.apply(AppAction::TextsLoaded(Ok(())));
        assert!(!r.waiting());
        assert_eq!(r.command_log(), st.command_log());
        assert!(r.console.iter().all(|e| e.ok));
        assert_eq!(r.example.map(|e| e.id), Some("canary"));
        assert_eq!(r.script_pos, 2);
        assert_eq!(r.view, st.view);
        assert_eq!(&*r.active_text(), "# mine\n");
        assert!(r.apply(AppAction::RunScript { all: false }));
        assert_eq!(
            r.command_log().last().map(String::as_str),
            Some("kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.24")
        );
    }
}
