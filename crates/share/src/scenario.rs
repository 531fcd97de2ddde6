//! What a share link carries: the playground's whole scenario, as this crate's own types.
//!
//! These are wire-side types, not the app's state: the app converts its state into a
//! [`Scenario`] and back, so the app can change shape without breaking old links, and a link
//! cannot name anything the app would not accept from a user anyway (files, console lines and
//! view choices). Nothing here is markup, a URL or code: every string is shown as text or run
//! as a line of the simulated command language.

use std::fmt;

/// Bounds every decoder and encoder in this crate checks (links, embed messages, boot
/// fragments). An encoder refuses a scenario outside them, so every link we make also opens.
pub mod limits {
    /// Files in a scenario (the editor's tabs).
    pub const MAX_FILES: usize = 64;
    /// Bytes of one file's text (kubectl's `VirtualFs` holds at most 1 MiB per file too).
    pub const MAX_FILE_BYTES: usize = 1 << 20;
    /// Bytes of a file name, a tour or example id.
    pub const MAX_NAME_BYTES: usize = 128;
    /// Lines in the command log.
    pub const MAX_COMMANDS: usize = 20_000;
    /// Bytes of one command line.
    pub const MAX_COMMAND_BYTES: usize = 16 * 1024;
    /// Bytes of the decoded (inflated) payload: checked while inflating, so a small link that
    /// inflates to gigabytes stops at this size.
    pub const MAX_INFLATED_BYTES: usize = 4 << 20;
    /// Characters of a whole link (URL): Firefox's limit, measured in Firefox 153 ESR (a URL of
    /// 1,048,572 characters opens, one of 1,048,573 does not: 4 under its
    /// `network.standard-url.max-length` pref, 1,048,576); Chromium's is 2 MiB
    /// (`url::kMaxURLChars`, url/url_constants.h). Both measured here, headless (the crate
    /// README says how). The lower one wins.
    pub const MAX_LINK_CHARS: usize = 1_048_572;
    /// Slowest and fastest playback speed, in hundredths (50 = 0.5x).
    pub const MIN_SPEED: u16 = 10;
    pub const MAX_SPEED: u16 = 10_000;
}

/// One editor file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub text: String,
}

/// Which panes an embed (or the full page) shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    Diagram,
    Console,
    DiagramConsole,
    #[default]
    Full,
}

impl View {
    pub const ALL: [View; 4] = [
        View::Diagram,
        View::Console,
        View::DiagramConsole,
        View::Full,
    ];

    /// The attribute / fragment spelling: `diagram`, `console`, `diagram+console`, `full`.
    pub fn as_str(self) -> &'static str {
        match self {
            View::Diagram => "diagram",
            View::Console => "console",
            View::DiagramConsole => "diagram+console",
            View::Full => "full",
        }
    }

    pub fn parse(s: &str) -> Option<View> {
        // `+` may arrive as a space when a host page built the URL as a form would.
        let s = s.trim();
        View::ALL
            .into_iter()
            .find(|v| v.as_str() == s || (*v == View::DiagramConsole && s == "diagram console"))
    }

    pub fn shows_diagram(self) -> bool {
        matches!(self, View::Diagram | View::DiagramConsole | View::Full)
    }

    pub fn shows_console(self) -> bool {
        matches!(self, View::Console | View::DiagramConsole | View::Full)
    }
}

/// Colour theme; `Auto` follows the system (`prefers-color-scheme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    Light,
    Dark,
    #[default]
    Auto,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::Auto];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }

    pub fn parse(s: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

/// Playback speed: a factor in hundredths (100 = 1x), or one event per tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speed {
    Events,
    Hundredths(u16),
}

impl Default for Speed {
    fn default() -> Self {
        Speed::Hundredths(100)
    }
}

impl Speed {
    /// `events`, or a factor such as `1`, `4`, `0.5`, `16x` (within 0.1x..100x).
    pub fn parse(s: &str) -> Option<Speed> {
        let s = s.trim();
        if s == "events" {
            return Some(Speed::Events);
        }
        let s = s.strip_suffix(['x', '×']).unwrap_or(s);
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() && frac.is_empty()
            || int.len() > 3
            || frac.len() > 2
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let whole: u32 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut f: u32 = if frac.is_empty() {
            0
        } else {
            frac.parse().ok()?
        };
        if frac.len() == 1 {
            f *= 10;
        }
        let h = whole.checked_mul(100)?.checked_add(f)?;
        let h = u16::try_from(h).ok()?;
        (limits::MIN_SPEED..=limits::MAX_SPEED)
            .contains(&h)
            .then_some(Speed::Hundredths(h))
    }

    pub fn is_valid(self) -> bool {
        match self {
            Speed::Events => true,
            Speed::Hundredths(h) => (limits::MIN_SPEED..=limits::MAX_SPEED).contains(&h),
        }
    }
}

impl fmt::Display for Speed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Speed::Events => f.write_str("events"),
            Speed::Hundredths(h) if h % 100 == 0 => write!(f, "{}", h / 100),
            Speed::Hundredths(h) if h % 10 == 0 => write!(f, "{}.{}", h / 100, h % 100 / 10),
            Speed::Hundredths(h) => write!(f, "{}.{:02}", h / 100, h % 100),
        }
    }
}

/// Where a guided tour stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TourPosition {
    pub name: String,
    pub step: u32,
}

/// How the page looks, apart from the simulation itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewOptions {
    pub view: View,
    pub theme: Theme,
    pub speed: Speed,
    /// The editor tab in front (one of the files).
    pub active_file: Option<String>,
    /// The gallery example the scenario started from (informational).
    pub example: Option<String>,
    pub tour: Option<TourPosition>,
}

/// One entry of the log: a console line, or the editor's text of a file changed between lines
/// (so an edit followed by Apply replays as it happened, not with the final text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Run(String),
    Write(File),
}

/// The whole scenario: starting from `files`, replaying `steps` in order and moving the
/// timeline to `position` gives back exactly the state the link was made from (the simulation
/// is deterministic).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scenario {
    /// The editor's files before the first step, in tab order; names are unique.
    pub files: Vec<File>,
    /// The complete, ordered log: console lines (typed or issued by buttons) and file writes.
    pub steps: Vec<Step>,
    /// The timeline cursor (an index of the app's recorded points); `None` = the live end.
    pub position: Option<u32>,
    pub view: ViewOptions,
}

/// Why a scenario is outside the bounds (shared by links and embed messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitError {
    TooMany {
        what: &'static str,
        n: usize,
        max: usize,
    },
    TooLarge {
        what: String,
        bytes: usize,
        max: usize,
    },
    BadName {
        what: &'static str,
        name: String,
        why: &'static str,
    },
    DuplicateFile(String),
    BadSpeed,
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitError::TooMany { what, n, max } => {
                write!(f, "it has {n} {what}; at most {max} are allowed")
            }
            LimitError::TooLarge { what, bytes, max } => {
                write!(f, "{what} has {bytes} bytes; at most {max} are allowed")
            }
            LimitError::BadName { what, name, why } => {
                write!(f, "the {what} {:?} is not allowed: {why}", shorten(name))
            }
            LimitError::DuplicateFile(n) => write!(f, "the file {:?} appears twice", shorten(n)),
            LimitError::BadSpeed => f.write_str("its playback speed is out of range"),
        }
    }
}

/// At most 60 characters of a name for a message (a hostile name cannot flood the page).
pub fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// A file name: 1..=128 bytes, no control characters, no `/` (the virtual file system is flat).
pub fn check_file_name(name: &str) -> Result<(), LimitError> {
    let bad = |why| {
        Err(LimitError::BadName {
            what: "file name",
            name: name.to_string(),
            why,
        })
    };
    if name.is_empty() {
        return bad("it is empty");
    }
    if name.len() > limits::MAX_NAME_BYTES {
        return bad("it is longer than 128 bytes");
    }
    if name.chars().any(char::is_control) {
        return bad("it contains a control character");
    }
    if name.contains('/') || name == "." || name == ".." {
        return bad("it is a path, not a file name");
    }
    if name.trim() != name {
        return bad("it starts or ends with a space");
    }
    Ok(())
}

/// An example or tour id: `[a-z0-9][a-z0-9-]*`, at most 64 bytes (safe in a URL and a path).
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

fn check_id(what: &'static str, s: &str) -> Result<(), LimitError> {
    if is_id(s) {
        Ok(())
    } else {
        Err(LimitError::BadName {
            what,
            name: s.to_string(),
            why: "ids are lowercase letters, digits and '-'",
        })
    }
}

/// Check files alone (the embed's inline files use this too).
pub fn check_files(files: &[File]) -> Result<(), LimitError> {
    if files.len() > limits::MAX_FILES {
        return Err(LimitError::TooMany {
            what: "files",
            n: files.len(),
            max: limits::MAX_FILES,
        });
    }
    for (i, f) in files.iter().enumerate() {
        check_file_name(&f.name)?;
        if f.text.len() > limits::MAX_FILE_BYTES {
            return Err(LimitError::TooLarge {
                what: format!("the file {:?}", shorten(&f.name)),
                bytes: f.text.len(),
                max: limits::MAX_FILE_BYTES,
            });
        }
        if files.iter().take(i).any(|g| g.name == f.name) {
            return Err(LimitError::DuplicateFile(f.name.clone()));
        }
    }
    Ok(())
}

/// Check command lines alone (the embed's `run` messages and inline scripts use this too).
pub fn check_commands(commands: &[String]) -> Result<(), LimitError> {
    if commands.len() > limits::MAX_COMMANDS {
        return Err(LimitError::TooMany {
            what: "commands",
            n: commands.len(),
            max: limits::MAX_COMMANDS,
        });
    }
    for (i, c) in commands.iter().enumerate() {
        if c.len() > limits::MAX_COMMAND_BYTES {
            return Err(LimitError::TooLarge {
                what: format!("command {}", i + 1),
                bytes: c.len(),
                max: limits::MAX_COMMAND_BYTES,
            });
        }
    }
    Ok(())
}

/// Check a log of steps: its length, each line, each written file.
pub fn check_steps(steps: &[Step]) -> Result<(), LimitError> {
    if steps.len() > limits::MAX_COMMANDS {
        return Err(LimitError::TooMany {
            what: "steps",
            n: steps.len(),
            max: limits::MAX_COMMANDS,
        });
    }
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Run(c) if c.len() > limits::MAX_COMMAND_BYTES => {
                return Err(LimitError::TooLarge {
                    what: format!("step {}", i + 1),
                    bytes: c.len(),
                    max: limits::MAX_COMMAND_BYTES,
                });
            }
            Step::Run(_) => {}
            Step::Write(f) => {
                check_file_name(&f.name)?;
                if f.text.len() > limits::MAX_FILE_BYTES {
                    return Err(LimitError::TooLarge {
                        what: format!("the file {:?} written in step {}", shorten(&f.name), i + 1),
                        bytes: f.text.len(),
                        max: limits::MAX_FILE_BYTES,
                    });
                }
            }
        }
    }
    Ok(())
}

impl Scenario {
    /// Every bound a link's decoder enforces. (The active tab may be a file a step creates,
    /// e.g. by `kubectl edit`; the app falls back to the first tab when it is not there.)
    pub fn check(&self) -> Result<(), LimitError> {
        check_files(&self.files)?;
        check_steps(&self.steps)?;
        let v = &self.view;
        if !v.speed.is_valid() {
            return Err(LimitError::BadSpeed);
        }
        if let Some(a) = &v.active_file {
            check_file_name(a)?;
        }
        if let Some(e) = &v.example {
            check_id("example", e)?;
        }
        if let Some(t) = &v.tour {
            check_id("tour", &t.name)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_parse_and_print() {
        for (s, v) in [
            ("1", Speed::Hundredths(100)),
            ("4", Speed::Hundredths(400)),
            ("16x", Speed::Hundredths(1600)),
            ("0.5", Speed::Hundredths(50)),
            (".5", Speed::Hundredths(50)),
            ("0.25×", Speed::Hundredths(25)),
            ("events", Speed::Events),
        ] {
            assert_eq!(Speed::parse(s), Some(v), "{s}");
        }
        for bad in ["", "x", "0", "0.01", "101", "1e3", "-1", "1.234", "١"] {
            assert_eq!(Speed::parse(bad), None, "{bad}");
        }
        assert_eq!(Speed::Hundredths(50).to_string(), "0.5");
        assert_eq!(Speed::Hundredths(1600).to_string(), "16");
        assert_eq!(Speed::Hundredths(25).to_string(), "0.25");
        assert_eq!(
            Speed::parse(&Speed::Hundredths(25).to_string()),
            Some(Speed::Hundredths(25))
        );
    }

    #[test]
    fn views_and_themes() {
        for v in View::ALL {
            assert_eq!(View::parse(v.as_str()), Some(v));
        }
        assert_eq!(View::parse("diagram console"), Some(View::DiagramConsole));
        assert_eq!(View::parse("everything"), None);
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.as_str()), Some(t));
        }
        assert_eq!(Theme::parse("<script>"), None);
    }

    #[test]
    fn names_and_ids() {
        assert!(check_file_name("sts.yaml").is_ok());
        assert!(check_file_name("my file.yaml").is_ok());
        for bad in ["", "a/b", "..", " x", "x\n", &"a".repeat(129)] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
        assert!(is_id("seed") && is_id("web-parallel") && is_id("a1"));
        for bad in ["", "-x", "Seed", "a b", "a/b", "<svg>", &"a".repeat(65)] {
            assert!(!is_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn scenario_checks_say_what_is_wrong() {
        let f = |n: &str| File {
            name: n.into(),
            text: String::new(),
        };
        let mut s = Scenario {
            files: vec![f("a.yaml"), f("a.yaml")],
            ..Default::default()
        };
        assert_eq!(
            s.check().unwrap_err().to_string(),
            "the file \"a.yaml\" appears twice"
        );
        s.files.pop();
        s.view.active_file = Some("a/b.yaml".into());
        assert_eq!(
            s.check().unwrap_err().to_string(),
            "the file name \"a/b.yaml\" is not allowed: it is a path, not a file name"
        );
        s.view.active_file = None;
        s.steps = vec![Step::Run("x".repeat(limits::MAX_COMMAND_BYTES + 1))];
        assert_eq!(
            s.check().unwrap_err().to_string(),
            "step 1 has 16385 bytes; at most 16384 are allowed"
        );
        s.steps = vec![Step::Write(f("..")), Step::Run("sim step".into())];
        assert!(
            s.check()
                .unwrap_err()
                .to_string()
                .contains("\"..\" is not allowed")
        );
    }
}
