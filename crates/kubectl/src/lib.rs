//! The command language (`kubectl …`, `k …`, `sim …`, `# …`) and kubectl-identical printers.
//!
//! What it is: the layer users type into, in the browser console and in the `stsplay` CLI.
//! A line is parsed ([`parse`]), run against a simulated cluster by [`Session`], and printed
//! exactly as kubectl v1.35 prints it ([`table`], [`duration`], [`printers`]), followed by our
//! own `hint:` lines for learners.
//!
//! What it never does: IO. Files come from a [`FileSource`] (the browser's virtual file system,
//! or the CLI's real one); time comes from the simulation's clock.
//!
//! Where to start reading: [`parse::parse_line`], then `Session::run_line`.

pub mod duration;
pub mod parse;
pub mod pipe;
pub mod table;
