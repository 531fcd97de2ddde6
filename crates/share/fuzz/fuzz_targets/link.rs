#![no_main]
//! Any text as a share link or page fragment: decoding never panics, stays within the bounds,
//! and whatever opens re-encodes to a link that opens to the same scenario.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = share::parse_fragment(&text);
    // Also as base64url data behind a valid prefix, and raw bytes as a deflated payload, so the
    // fuzzer reaches the inflater and the payload decoder without having to find the prefix.
    let as_link = format!("#s1.{text}");
    let packed = share::base64url::encode(data);
    for candidate in [text.as_ref(), as_link.as_str(), &format!("s1.{packed}")] {
        if let Ok(s) = share::decode(candidate) {
            assert_eq!(s.check(), Ok(()));
            let again = share::encode_fragment(&s).expect("a decoded scenario encodes");
            assert_eq!(share::decode(&again).as_ref(), Ok(&s));
        }
    }
    let _ = share::wire::decode_v1(data);
});
