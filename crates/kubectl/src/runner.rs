//! Running a line (the host shell in `console.rs` hands each simple command to the kubectl verbs
//! or the `sim` directives; `finish` runs its pipes and adds the hints), and running a script
//! line by line into a transcript.

use crate::fs::{FileSource, VirtualFs};
use crate::out::{LineOutput, Out, Stream, Transcript};
use crate::session::Session;

impl Session {
    /// Run one line, reading `-f` files from the virtual file system.
    pub fn run_line(&mut self, line: &str) -> LineOutput {
        // Lend the files to the command without copying them; files the command writes
        // (`kubectl edit`) land in the emptied slot and are merged back.
        let fs = std::mem::take(&mut self.fs);
        let out = self.run_line_with(line, &fs);
        let written = std::mem::replace(&mut self.fs, fs);
        if std::mem::take(&mut self.replace_files) {
            self.fs = VirtualFs::default();
        }
        for (name, text) in written.files {
            self.set_file(&name, &text);
        }
        out
    }

    /// Run one line, reading `-f` files from `files` (the CLI passes the real file system).
    /// The line is a host shell program ([`crate::sh`]) or, while a container shell is
    /// attached, a line for that shell; it is appended to [`Session::command_log`].
    pub fn run_line_with(&mut self, line: &str, files: &dyn FileSource) -> LineOutput {
        let out = crate::console::run_line(self, line, files);
        // Hints must not say "yet" once a StatefulSet has existed in this session.
        if !self.statefulset_seen {
            self.statefulset_seen = self
                .cluster
                .store()
                .list::<k8s_openapi::api::apps::v1::StatefulSet>(None)
                .next()
                .is_some();
        }
        out
    }

    pub(crate) fn finish(&self, out: Out, pipes: &[crate::parse::Pipe]) -> LineOutput {
        let mut stdout = String::new();
        let mut stderr = String::new();
        let mut combined = String::new();
        for (s, t) in &out.chunks {
            match s {
                Stream::Out => stdout.push_str(t),
                Stream::Err => stderr.push_str(t),
            }
        }
        let mut ok = !out.failed;
        if pipes.is_empty() {
            for (_, t) in &out.chunks {
                combined.push_str(t);
            }
        } else {
            match crate::pipe::run_pipes(stdout, pipes) {
                Ok((piped, pipe_ok)) => {
                    stdout = piped;
                    ok = pipe_ok;
                }
                Err(e) => {
                    stdout = String::new();
                    stderr.push_str(&e);
                    stderr.push('\n');
                    ok = false;
                }
            }
            combined.push_str(&stderr);
            combined.push_str(&stdout);
        }
        let hints = if self.hints { out.hints } else { Vec::new() };
        // Output without a final newline (`-o jsonpath=…`) leaves the cursor on its line; our
        // hints start on their own line.
        if !hints.is_empty() && !combined.is_empty() && !combined.ends_with('\n') {
            combined.push('\n');
        }
        for h in &hints {
            combined.push_str("hint: ");
            combined.push_str(h);
            combined.push('\n');
        }
        LineOutput {
            stdout,
            stderr,
            ok,
            hints,
            combined,
            edit: out.edit,
            prompt: self.prompt().to_string(),
        }
    }

    /// Run a script from the virtual file system; see [`Session::run_script_with`].
    pub fn run_script(&mut self, text: &str) -> Transcript {
        let fs = std::mem::take(&mut self.fs);
        let t = self.run_script_with(text, &fs, true);
        let written = std::mem::replace(&mut self.fs, fs);
        if std::mem::take(&mut self.replace_files) {
            self.fs = VirtualFs::default();
        }
        for (name, text) in written.files {
            self.set_file(&name, &text);
        }
        t
    }

    /// Run every line of `text`: each command line is echoed as `$ LINE` followed by what the
    /// terminal would show; comment lines are echoed as they are. Stops after the first failing
    /// line unless `keep_going`.
    pub fn run_script_with(
        &mut self,
        text: &str,
        files: &dyn FileSource,
        keep_going: bool,
    ) -> Transcript {
        let mut t = Transcript {
            ok: true,
            ..Transcript::default()
        };
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            if trimmed.starts_with('#') {
                t.text.push_str(trimmed);
                t.text.push('\n');
                continue;
            }
            t.text.push_str(self.prompt());
            t.text.push_str(trimmed);
            t.text.push('\n');
            let o = self.run_line_with(trimmed, files);
            t.text.push_str(&o.combined);
            // Output without a final newline (e.g. `-o jsonpath`) would run into the next
            // `$ ` prompt line; a terminal shows the prompt on a new line too.
            if !o.combined.is_empty() && !o.combined.ends_with('\n') {
                t.text.push('\n');
            }
            if !o.ok {
                t.ok = false;
                t.failed_lines.push(i + 1);
                if !keep_going {
                    break;
                }
            }
        }
        t
    }
}
