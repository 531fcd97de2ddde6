#![no_main]
//! Any bytes as a command line: parsing never panics, and running the line in a session that
//! has the seed applied never panics either.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = kubectl::parse::parse_line(&text);
    let mut s = kubectl::Session::new();
    s.run_line("kubectl apply -f svc.yaml -f sts.yaml");
    for line in text.lines().take(8) {
        let _ = s.run_line(line);
    }
});
