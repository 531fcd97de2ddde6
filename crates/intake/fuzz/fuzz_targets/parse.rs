#![no_main]
//! The whole intake path on arbitrary bytes: parse (limits, syntax, decoding, defaults,
//! validation, hints), then `validate_update` between every pair of accepted objects.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let res = intake::parse_bytes(data, "fuzz.yaml");
    let objs: Vec<_> = res
        .iter()
        .filter_map(|r| match r {
            intake::DocResult::Ok(p) => Some(p.object.clone()),
            intake::DocResult::Err(_) => None,
        })
        .take(4)
        .collect();
    for a in &objs {
        for b in &objs {
            let _ = intake::validate_update(a, b);
        }
    }
});
