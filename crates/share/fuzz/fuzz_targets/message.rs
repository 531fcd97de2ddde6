#![no_main]
//! Any text as a message from a host page: parsing never panics, and an accepted message is
//! within the bounds. Also the JSON reader alone, and code-block text as console lines.

use libfuzzer_sys::fuzz_target;
use share::message::{HostMessage, MAX_RUN_LINES, accept_host_message, parse_host_message, script_lines};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = share::json::parse(&text, 8);
    let _ = script_lines(&text);
    match parse_host_message(&text) {
        Ok(HostMessage::Init { files, script }) => {
            assert_eq!(share::scenario::check_files(&files), Ok(()));
            assert_eq!(share::scenario::check_commands(&script), Ok(()));
        }
        Ok(HostMessage::Run { lines }) => assert!(lines.len() <= MAX_RUN_LINES),
        Err(e) => {
            let _ = e.to_string();
        }
    }
    // A message from anywhere but the parent at the expected origin is never accepted.
    assert!(accept_host_message(false, "https://a.example", "https://a.example", Some(&text)).is_err());
    if text != "https://a.example" {
        assert!(accept_host_message(true, &text, "https://a.example", Some("{}")).is_err());
    }
});
