//! The command language (`kubectl …`, `k …`, `sim …`, `# …`) and kubectl-identical printers.
//!
//! What it is: the layer users type into, in the browser console and in the `stsplay` CLI.
//! A line is parsed ([`parse`]), run against a simulated cluster by [`Session`], and printed
//! exactly as kubectl v1.35 prints it ([`table`], [`duration`], [`printers`], [`describe`],
//! [`output`]), followed by our own `hint:` lines for learners (kept out of kubectl's stdout, so
//! pipes never see them; `sim hints off` silences them).
//!
//! What it never does: IO. Files come from a [`FileSource`] (the browser's virtual file system,
//! or the CLI's real one); time comes from the simulation's clock.
//!
//! Where to start reading: [`parse::parse_line`], then [`Session::run_line`], then `verbs/`
//! (one file per kubectl verb or family of verbs, `rollout.rs` among them), `explain.rs` and
//! `directives.rs` for the rest. `out` and `cmdutil` are what every command shares.

mod attached;
mod cmdutil;
pub mod complete;
mod console;
pub mod contrast;
pub mod describe;
mod directives;
mod dryrun;
pub mod duration;
pub mod examples;
pub mod explain;
pub mod export_kind;
pub mod flags;
pub mod fs;
pub mod gallery;
pub mod gosort;
pub mod gotemplate;
pub mod help;
pub mod objects;
pub mod out;
pub mod output;
pub mod parse;
pub mod patch;
pub mod pipe;
pub mod printers;
pub use sim::qty;
pub mod resources;
mod runner;
pub mod session;
pub mod sh;
pub mod table;
pub mod texts;
pub mod tour;
pub mod tour_format;
mod verbs;
pub mod watch;

pub use attached::Attached;
pub use duration::{fmt_time, parse_duration};
pub use fs::{FileSource, FsEntry, VirtualFs};
pub use out::{HOST_PROMPT, LineOutput, Transcript};
pub use session::Session;
