//! One console line: logged, then run by the attached container shell or by the host shell
//! ([`crate::sh`]), whose simple commands are `kubectl …`, `sim …` and a few builtins.

use crate::fs::{FileSource, FsEntry};
use crate::out::{LineOutput, Out, Stream};
use crate::parse::{ParseError, Pipe};
use crate::session::Session;
use crate::sh::{self, AndOrOp, Command as ShCommand, List, Part, Redir, Simple, Word};

/// Longest `sleep` the host shell runs (simulated time).
const MAX_SLEEP_MS: u64 = 3_600_000;

pub(crate) fn run_line(s: &mut Session, line: &str, files: &dyn FileSource) -> LineOutput {
    if !line.trim().is_empty() {
        s.log.push(line.to_string());
    }
    let mut o = run_unlogged(s, line, files);
    // The browser's live watches print what this line changed.
    s.live.feed(&mut s.cluster);
    if s.tour.is_some()
        && let Some(note) = crate::tour::follow_timeline(s)
        && s.hints
    {
        if !o.combined.is_empty() && !o.combined.ends_with('\n') {
            o.combined.push('\n');
        }
        o.combined.push_str(&format!("hint: {note}\n"));
        o.hints.push(note);
    }
    o
}

/// Run a line without adding it to the command log (the commands of a tour step: the log has
/// the `sim tour next` that runs them).
pub(crate) fn run_unlogged(s: &mut Session, line: &str, files: &dyn FileSource) -> LineOutput {
    if s.attached.is_some() {
        return attached_line(s, line);
    }
    let program = match sh::parse(line) {
        Ok(p) => p,
        Err(e) => {
            let mut out = Out::default();
            out.fail(e.to_string());
            s.last_status = 2;
            return s.finish(out, &[]);
        }
    };
    let mut acc = Acc::default();
    run_list(s, &program, files, &mut acc, 0);
    let ok = acc.status == 0;
    s.last_status = acc.status;
    LineOutput {
        stdout: acc.stdout,
        stderr: acc.stderr,
        ok,
        hints: acc.hints,
        combined: acc.combined,
        edit: acc.edit,
        prompt: s.prompt().to_string(),
    }
}

/// The output of a line being run, command after command.
#[derive(Default)]
struct Acc {
    stdout: String,
    stderr: String,
    combined: String,
    hints: Vec<String>,
    edit: Option<(String, String)>,
    status: i32,
    commands: usize,
    /// A bound was hit: nothing more runs.
    stopped: bool,
    truncated: bool,
}

impl Acc {
    fn add(&mut self, o: LineOutput) {
        if self.truncated {
            return;
        }
        if self.combined.len() + o.combined.len() > sh::MAX_OUTPUT {
            self.truncated = true;
            self.stopped = true;
            let note = format!(
                "sh: output longer than {} bytes: the rest of this line did not run\n",
                sh::MAX_OUTPUT
            );
            self.stderr.push_str(&note);
            self.combined.push_str(&note);
            self.status = 1;
            return;
        }
        self.stdout.push_str(&o.stdout);
        self.stderr.push_str(&o.stderr);
        self.combined.push_str(&o.combined);
        self.hints.extend(o.hints);
        if o.edit.is_some() {
            self.edit = o.edit;
        }
    }

    fn error(&mut self, msg: &str) {
        let line = format!("{msg}\n");
        self.stderr.push_str(&line);
        self.combined.push_str(&line);
    }

    /// Count one simple command; false (and a note) once the bound is reached.
    fn count(&mut self) -> bool {
        if self.stopped {
            return false;
        }
        self.commands += 1;
        if self.commands > sh::MAX_COMMANDS {
            self.error(&format!(
                "sh: stopped after {} commands (the playground's bound for one line)",
                sh::MAX_COMMANDS
            ));
            self.stopped = true;
            self.status = 1;
            return false;
        }
        true
    }
}

fn run_list(s: &mut Session, list: &List, files: &dyn FileSource, acc: &mut Acc, depth: usize) {
    for ao in &list.0 {
        if acc.stopped {
            return;
        }
        let mut status = run_pipeline(s, &ao.first.0, files, acc, depth);
        for (op, p) in &ao.rest {
            if acc.stopped {
                return;
            }
            let run = match op {
                AndOrOp::And => status == 0,
                AndOrOp::Or => status != 0,
            };
            if run {
                status = run_pipeline(s, &p.0, files, acc, depth);
            }
        }
        acc.status = status;
        s.last_status = status;
    }
}

fn run_pipeline(
    s: &mut Session,
    cmds: &[ShCommand],
    files: &dyn FileSource,
    acc: &mut Acc,
    depth: usize,
) -> i32 {
    let Some(first) = cmds.first() else {
        return 0;
    };
    let status = match first {
        ShCommand::For { var, items, body } => {
            if cmds.len() > 1 {
                acc.error(&sh::ShError::NotSimulated("a loop in a pipeline".into()).to_string());
                2
            } else {
                run_for(s, var, items, body, files, acc, depth)
            }
        }
        ShCommand::Simple(simple) => {
            let mut stages: Vec<&Simple> = Vec::new();
            for c in cmds.iter().skip(1) {
                match c {
                    ShCommand::Simple(x) => stages.push(x),
                    ShCommand::For { .. } => {
                        acc.error(
                            &sh::ShError::NotSimulated("a loop in a pipeline".into()).to_string(),
                        );
                        return 2;
                    }
                }
            }
            run_simple(s, simple, &stages, files, acc, depth)
        }
    };
    s.last_status = status;
    status
}

fn run_for(
    s: &mut Session,
    var: &str,
    items: &[Word],
    body: &List,
    files: &dyn FileSource,
    acc: &mut Acc,
    depth: usize,
) -> i32 {
    if depth + 1 > sh::MAX_DEPTH {
        acc.error(&sh::ShError::TooDeep.to_string());
        return 2;
    }
    let Some(fields) = expand_words(s, items, files, acc, depth) else {
        return 1;
    };
    if fields.len() > sh::MAX_FOR_WORDS {
        acc.error(&format!(
            "sh: a for loop over more than {} words is beyond the playground's bound",
            sh::MAX_FOR_WORDS
        ));
        return 2;
    }
    let mut status = 0;
    for f in fields {
        if acc.stopped {
            break;
        }
        set_var(s, var, f);
        run_list(s, body, files, acc, depth + 1);
        status = acc.status;
    }
    status
}

fn set_var(s: &mut Session, name: &str, mut value: String) {
    if value.len() > sh::MAX_VAR_BYTES {
        let mut cut = sh::MAX_VAR_BYTES;
        while !value.is_char_boundary(cut) {
            cut -= 1;
        }
        value.truncate(cut);
    }
    if !s.vars.contains_key(name) && s.vars.len() >= sh::MAX_VARS {
        return;
    }
    s.vars.insert(name.to_string(), value);
}

/// A piece of an expanded word: its text, whether it is split into fields (unquoted
/// expansions), and whether it makes a field even when empty (quotes).
struct Seg {
    text: String,
    split: bool,
    force: bool,
}

fn expand_words(
    s: &mut Session,
    words: &[Word],
    files: &dyn FileSource,
    acc: &mut Acc,
    depth: usize,
) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for w in words {
        let mut segs = Vec::new();
        segments(s, &w.0, false, &mut segs, files, acc, depth);
        if acc.stopped {
            return None;
        }
        out.extend(split_fields(&segs));
        if out.len() > sh::MAX_FOR_WORDS {
            break;
        }
    }
    Some(out)
}

fn segments(
    s: &mut Session,
    parts: &[Part],
    quoted: bool,
    segs: &mut Vec<Seg>,
    files: &dyn FileSource,
    acc: &mut Acc,
    depth: usize,
) {
    for p in parts {
        match p {
            Part::Lit(t) => segs.push(Seg {
                text: t.clone(),
                split: false,
                force: quoted,
            }),
            Part::Quoted(t) => segs.push(Seg {
                text: t.clone(),
                split: false,
                force: true,
            }),
            Part::Double(ps) => {
                segs.push(Seg {
                    text: String::new(),
                    split: false,
                    force: true,
                });
                segments(s, ps, true, segs, files, acc, depth);
            }
            Part::Param(name) => {
                let value = match name.as_str() {
                    "?" => s.last_status.to_string(),
                    n => s.vars.get(n).cloned().unwrap_or_default(),
                };
                segs.push(Seg {
                    text: value,
                    split: !quoted,
                    force: quoted,
                });
            }
            Part::Subst(list) => {
                let text = substitute(s, list, files, acc, depth);
                segs.push(Seg {
                    text,
                    split: !quoted,
                    force: quoted,
                });
            }
        }
    }
}

/// `$(…)`: run the list, take its stdout without trailing newlines; its stderr and hints go
/// to the line's.
fn substitute(
    s: &mut Session,
    list: &List,
    files: &dyn FileSource,
    acc: &mut Acc,
    depth: usize,
) -> String {
    if depth + 1 > sh::MAX_DEPTH {
        acc.error(&sh::ShError::TooDeep.to_string());
        acc.stopped = true;
        return String::new();
    }
    let mut inner = Acc {
        commands: acc.commands,
        ..Acc::default()
    };
    run_list(s, list, files, &mut inner, depth + 1);
    acc.commands = inner.commands;
    acc.stopped |= inner.stopped;
    acc.stderr.push_str(&inner.stderr);
    // What the terminal shows of a substitution: its stderr and our hints, not its stdout.
    acc.combined.push_str(&inner.stderr);
    for h in &inner.hints {
        acc.combined.push_str("hint: ");
        acc.combined.push_str(h);
        acc.combined.push('\n');
    }
    acc.hints.extend(inner.hints);
    s.last_status = inner.status;
    inner.stdout.trim_end_matches('\n').to_string()
}

/// sh's field splitting: unquoted expansion results split at blanks; quoted pieces and
/// literal text join the field they are in.
fn split_fields(segs: &[Seg]) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    for seg in segs {
        if !seg.split {
            cur.push_str(&seg.text);
            have |= seg.force || !seg.text.is_empty();
            continue;
        }
        for c in seg.text.chars() {
            if matches!(c, ' ' | '\t' | '\n') {
                if have {
                    fields.push(std::mem::take(&mut cur));
                    have = false;
                }
            } else {
                cur.push(c);
                have = true;
            }
        }
    }
    if have {
        fields.push(cur);
    }
    fields
}

/// Route the command's streams through its redirections (left to right, as sh applies them).
fn redirect(out: &mut Out, redirs: &[Redir]) {
    if redirs.is_empty() {
        return;
    }
    #[derive(Clone, Copy, PartialEq)]
    enum To {
        Out,
        Err,
        Null,
    }
    let (mut fd1, mut fd2) = (To::Out, To::Err);
    for r in redirs {
        match r {
            Redir::ErrToOut => fd2 = fd1,
            Redir::OutNull => fd1 = To::Null,
            Redir::ErrNull => fd2 = To::Null,
        }
    }
    let chunks = std::mem::take(&mut out.chunks);
    for (stream, text) in chunks {
        let to = match stream {
            Stream::Out => fd1,
            Stream::Err => fd2,
        };
        match to {
            To::Out => out.chunks.push((Stream::Out, text)),
            To::Err => out.chunks.push((Stream::Err, text)),
            To::Null => {}
        }
    }
}

fn run_simple(
    s: &mut Session,
    simple: &Simple,
    stages: &[&Simple],
    files: &dyn FileSource,
    acc: &mut Acc,
    depth: usize,
) -> i32 {
    if !acc.count() {
        return 1;
    }
    let Some(argv) = expand_words(s, &simple.words, files, acc, depth) else {
        return 1;
    };
    let mut values = Vec::new();
    for (name, w) in &simple.assigns {
        let mut segs = Vec::new();
        segments(s, &w.0, true, &mut segs, files, acc, depth);
        let v: String = segs.iter().map(|g| g.text.as_str()).collect();
        values.push((name.clone(), v));
    }
    if acc.stopped {
        return 1;
    }
    let Some((prog, args)) = argv.split_first() else {
        // Only assignments: they set shell variables.
        for (n, v) in values {
            set_var(s, &n, v);
        }
        return 0;
    };
    // (Assignments before a command only set its environment, which nothing here reads.)
    let mut pipes: Vec<Pipe> = Vec::new();
    for st in stages {
        let Some(words) = expand_words(s, &st.words, files, acc, depth) else {
            return 1;
        };
        match crate::parse::parse_pipe(words) {
            Ok(p) => pipes.push(p),
            Err(e) => {
                acc.error(&e.to_string());
                return 2;
            }
        }
        if !acc.count() {
            return 1;
        }
    }
    let mut out = Out::default();
    let mut status: Option<i32> = None;
    match prog.as_str() {
        "kubectl" | "k" => {
            // `sim contrast`'s hints after the commands that touch either side.
            let touched = crate::contrast::before(s, args);
            crate::verbs::run(s, args, files, &mut out);
            if !out.failed {
                crate::contrast::after(s, touched, &mut out);
            }
        }
        "sim" if args.first().is_some_and(|a| a == "tour") => {
            match crate::tour::directive(s, args.get(1..).unwrap_or(&[]), files, run_unlogged) {
                Ok(text) => out.out(text),
                Err(e) => out.fail(e),
            }
        }
        // (In export-kind's own replay it writes nothing: `Session::exporting`.)
        "sim" if args.first().is_some_and(|a| a == "export-kind") => {
            if !s.exporting {
                out.out(s.export_kind());
            }
        }
        "sim" => crate::directives::run(s, args, &mut out),
        "echo" => {
            let (newline, rest) = match args.first().map(String::as_str) {
                Some("-n") => (false, args.get(1..).unwrap_or(&[])),
                _ => (true, args),
            };
            let mut text = rest.join(" ");
            if newline {
                text.push('\n');
            }
            out.out(text);
        }
        "true" | ":" => {}
        "false" => status = Some(1),
        "export" => {
            for a in args {
                if let Some((n, v)) = a.split_once('=')
                    && sh::is_name(n)
                {
                    set_var(s, n, v.to_string());
                }
            }
        }
        "unset" => {
            for a in args {
                s.vars.remove(a);
            }
        }
        "sleep" => match args.first().and_then(|a| a.parse::<f64>().ok()) {
            Some(secs) if secs >= 0.0 && secs.is_finite() => {
                let ms = (secs * 1000.0).min(MAX_SLEEP_MS as f64) as u64;
                s.cluster.advance(ms);
            }
            _ => {
                out.fail(format!(
                    "sleep: invalid time interval '{}'",
                    args.first().map_or("", String::as_str)
                ));
            }
        },
        "cat" => {
            for a in args {
                match files.read(a) {
                    Ok(FsEntry::File(t)) => out.out(t),
                    Ok(FsEntry::Dir(_)) => out.fail(format!("cat: {a}: Is a directory")),
                    Err(_) => out.fail(format!("cat: {a}: No such file or directory")),
                }
            }
        }
        "exit" | "logout" => out.hint(
            "this console has no shell to leave; `exit` ends a container shell opened with `kubectl run -i --tty`",
        ),
        "grep" | "egrep" | "head" | "tail" | "wc" => {
            out.fail(format!(
                "{prog}: reading files is not simulated here; use it after a pipe (kubectl … | {prog} …)"
            ));
            status = Some(2);
        }
        other => {
            out.fail(ParseError::CommandNotFound(other.to_string()).to_string());
            status = Some(127);
        }
    }
    redirect(&mut out, &simple.redirs);
    let o = s.finish(out, &pipes);
    // Without pipes the command's own status; with pipes the last stage's (no pipefail).
    let code = match status {
        Some(c) if pipes.is_empty() => c,
        _ if o.ok => 0,
        _ => 1,
    };
    acc.add(o);
    code
}

// ---------------------------------------------------------------------------------------------
// The attached container shell

/// A line typed while `kubectl run -i --tty` is attached: `exit [N]` ends the shell (and, with
/// `--rm`, deletes the pod as kubectl does); anything else runs in the container's shell.
fn attached_line(s: &mut Session, line: &str) -> LineOutput {
    let Some(a) = s.attached.clone() else {
        return s.finish(Out::default(), &[]);
    };
    let mut out = Out::default();
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return s.finish(out, &[]);
    }
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let pod_alive = s
        .cluster
        .store()
        .get::<k8s_openapi::api::core::v1::Pod>(&a.ns, &a.pod)
        .is_some_and(|p| p.metadata.deletion_timestamp.is_none());
    if words.first() == Some(&"exit") || !pod_alive {
        let code = match words.get(1) {
            Some(n) => n.parse::<i32>().unwrap_or(2),
            None => 0,
        };
        s.attached = None;
        if !pod_alive {
            out.err(format!("error: the pod {} is gone: the shell ended", a.pod));
            out.failed = true;
            return s.finish(out, &[]);
        }
        crate::verbs::detach(s, &a, code, true, &mut out);
        return s.finish(out, &[]);
    }
    let argv = vec!["sh".to_string(), "-c".to_string(), trimmed.to_string()];
    match s
        .cluster
        .exec_tty(&a.ns, &a.pod, Some(&a.container), &argv, true)
    {
        Ok(o) => {
            // A terminal shows the container's stdout and stderr as one stream.
            out.out(o.stdout);
            out.out(o.stderr);
            if let Some(u) = o.unsupported {
                out.err(format!(
                    "stsplay: `{u}` is not simulated in this playground's containers (supported: hostname, cat, ls, echo … > FILE, nslookup, getent hosts, curl)"
                ));
            }
            if o.exit_code != 0 {
                out.failed = true;
            }
        }
        Err(e) => out.fail(format!("error: {e}").replace("error: error: ", "error: ")),
    }
    s.finish(out, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &mut Session, line: &str) -> LineOutput {
        s.run_line(line)
    }

    #[test]
    fn for_loops_quotes_and_variables() {
        let mut s = Session::new();
        let o = run(&mut s, r#"for i in 0 1; do echo "web-$i"; done"#);
        assert_eq!(o.stdout, "web-0\nweb-1\n");
        assert!(o.ok);
        let o = run(&mut s, r#"x='a  b'; echo $x "$x" '$x'"#);
        assert_eq!(o.stdout, "a b a  b $x\n");
        // Variables live as long as the session, as in an interactive shell.
        let o = run(&mut s, "echo ${x}!");
        assert_eq!(o.stdout, "a b!\n");
        let o = run(
            &mut s,
            "false || echo no; true && echo yes; false && echo never",
        );
        assert_eq!(o.stdout, "no\nyes\n");
        assert!(!o.ok);
        let o = run(&mut s, "false; echo $?");
        assert_eq!(o.stdout, "1\n");
        let o = run(&mut s, "echo -n a; echo b");
        assert_eq!(o.stdout, "ab\n");
        let o = run(
            &mut s,
            "for i in 1 2; do for j in a b; do echo $i$j; done; done",
        );
        assert_eq!(o.stdout, "1a\n1b\n2a\n2b\n");
        let o = run(&mut s, "echo \"$(echo inner) $(echo x y)\"");
        assert_eq!(o.stdout, "inner x y\n");
        let o = run(&mut s, "echo $(echo a b) | wc -l");
        assert_eq!(o.stdout, "1\n");
    }

    #[test]
    fn kubectl_in_loops_and_pipes() {
        let mut s = Session::new();
        run(&mut s, "kubectl apply -f svc.yaml -f sts.yaml");
        run(&mut s, "sim settle");
        let o = run(
            &mut s,
            r#"for i in 0 1; do kubectl exec "nginx-with-init-container-$i" -- sh -c 'hostname'; done"#,
        );
        assert_eq!(
            o.stdout,
            "nginx-with-init-container-0\nnginx-with-init-container-1\n"
        );
        let o = run(&mut s, "kubectl get pods | grep -c x 2>&1");
        assert!(!o.ok, "{}", o.combined);
        let o = run(&mut s, "kubectl get pods --no-headers | wc -l");
        assert_eq!(o.stdout, "3\n");
        let o = run(
            &mut s,
            "kubectl get pod nope 2>&1 | grep -o NotFound || echo none",
        );
        assert!(o.combined.contains("grep"), "{}", o.combined);
        let o = run(&mut s, "kubectl get pod nope 2>/dev/null || echo gone");
        assert_eq!(o.combined, "gone\n");
        let o = run(
            &mut s,
            "kubectl get pod nope 2>&1 >/dev/null | grep -i notfound",
        );
        assert!(o.stdout.contains("NotFound"), "{}", o.combined);
    }

    #[test]
    fn bounded_and_clear() {
        let mut s = Session::new();
        let many: Vec<String> = (0..300).map(|i| i.to_string()).collect();
        let o = run(
            &mut s,
            &format!("for i in {}; do echo $i; done", many.join(" ")),
        );
        assert!(!o.ok);
        assert!(
            o.stderr.contains("stopped after 200 commands"),
            "{}",
            o.stderr
        );
        let o = run(&mut s, "ls -l");
        assert_eq!(
            o.stderr,
            "ls: command not found (this playground runs `kubectl …`, `k …`, `sim …`, `echo`, `for` loops and `# comments`)\n"
        );
        let o = run(&mut s, "if true; then echo; fi");
        assert!(!o.ok);
        assert!(o.stderr.contains("`if` is not simulated"), "{}", o.stderr);
        assert_eq!(s.command_log().len(), 3);
    }

    #[test]
    fn sleep_moves_the_clock() {
        let mut s = Session::new();
        let t0 = s.cluster().now();
        run(&mut s, "sleep 2");
        assert_eq!(s.cluster().now(), t0 + 2000);
    }

    #[test]
    fn split_fields_like_sh() {
        let seg = |t: &str, split: bool, force: bool| Seg {
            text: t.into(),
            split,
            force,
        };
        assert_eq!(split_fields(&[seg(" a  b ", true, false)]), ["a", "b"]);
        assert!(split_fields(&[seg("", true, false)]).is_empty());
        assert_eq!(split_fields(&[seg("", false, true)]), [""]);
        assert_eq!(
            split_fields(&[seg("x", false, false), seg("1 2", true, false)]),
            ["x1", "2"]
        );
    }
}
