#![no_main]
//! Any bytes as a command line: the host shell's parser, the single-command parser and the tour
//! parser never panic, and running the lines in a session that has the seed applied never
//! panics either (host shell programs, an attached container shell, tours, the kind export).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = kubectl::parse::parse_line(&text);
    let _ = kubectl::sh::parse(&text);
    let _ = kubectl::tour::parse("fuzz", &text);
    let mut s = kubectl::Session::new();
    s.run_line("kubectl apply -f svc.yaml -f sts.yaml");
    // (`sim export-kind` lines replay the session into a kind script.)
    for line in text.lines().take(8) {
        let _ = s.run_line(line);
    }
});
