//! What a command line produces: [`Out`] while it runs (stdout and stderr chunks in order,
//! hints, failure, a file for the editor), then [`LineOutput`] for the caller; [`Transcript`]
//! for a script. Also the bounds on how far one command may run the simulation.

use sim::time::SimTime;

/// The output of one line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineOutput {
    /// What the command wrote to stdout (after pipes).
    pub stdout: String,
    /// What it wrote to stderr.
    pub stderr: String,
    /// Exit status 0.
    pub ok: bool,
    /// Our learner hints (without the `hint: ` prefix); empty when hints are off.
    pub hints: Vec<String>,
    /// stdout and stderr in the order they were written, then `hint: …` lines: what a
    /// terminal shows.
    pub combined: String,
    /// `kubectl edit`: the object's YAML for the editor (browser) as (file name, text).
    pub edit: Option<(String, String)>,
    /// The prompt to show before the next line: `$ ` on the host, the container shell's prompt
    /// (busybox: `/ # `) while `kubectl run -i --tty` is attached ([`crate::Session::prompt`]).
    pub prompt: String,
}

/// The host shell's prompt.
pub const HOST_PROMPT: &str = "$ ";

/// A script's transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    /// `$ LINE` then its output, for each line run.
    pub text: String,
    /// Every line succeeded.
    pub ok: bool,
    /// 1-based numbers of the lines that failed.
    pub failed_lines: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    Out,
    Err,
}

/// Output being built by a command.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub chunks: Vec<(Stream, String)>,
    pub hints: Vec<String>,
    pub failed: bool,
    pub edit: Option<(String, String)>,
}

impl Out {
    pub fn out(&mut self, s: impl Into<String>) {
        let s = s.into();
        if !s.is_empty() {
            self.chunks.push((Stream::Out, s));
        }
    }
    pub fn outln(&mut self, s: impl AsRef<str>) {
        self.out(format!("{}\n", s.as_ref()));
    }
    pub fn err(&mut self, s: impl AsRef<str>) {
        self.chunks.push((Stream::Err, format!("{}\n", s.as_ref())));
    }
    /// Raw stderr text (newline handling left to the caller).
    pub fn chunks_err_raw(&mut self, s: impl Into<String>) {
        let s = s.into();
        if !s.is_empty() {
            self.chunks.push((Stream::Err, s));
        }
    }
    /// An error line; the command fails.
    pub fn fail(&mut self, s: impl AsRef<str>) {
        self.err(s);
        self.failed = true;
    }
    pub fn hint(&mut self, s: impl Into<String>) {
        self.hints.push(s.into());
    }
}

/// Bounds on how far a single command may run the simulation.
pub const MAX_WATCH_STEPS: usize = 3000;
/// Simulated time a `get -w` / `rollout status` / waiting `delete` may cover.
pub const MAX_WATCH_MS: SimTime = 15 * 60 * 1000;
/// Steps for `sim settle`.
pub const MAX_SETTLE_STEPS: usize = 20_000;
