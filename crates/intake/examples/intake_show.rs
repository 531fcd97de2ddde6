//! `cargo run -p intake --example intake_show -- FILE...`: print every document's result.
fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let name = std::path::Path::new(&path)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        for r in intake::parse_bytes(&bytes, &name) {
            match r {
                intake::DocResult::Ok(p) => {
                    println!(
                        "OK {} {} @{}:{}",
                        p.object.kind(),
                        p.object.name(),
                        p.span.line,
                        p.span.col
                    );
                    for w in p.warnings {
                        println!("  WARN {}", w.message);
                    }
                }
                intake::DocResult::Err(d) => {
                    let at = d
                        .span
                        .map(|s| format!("{}:{}", s.line, s.col))
                        .unwrap_or_default();
                    println!("ERR @{at} {:?}\n{}", d.class, d.message);
                    if let Some(h) = d.hint {
                        println!("hint: {h}");
                    }
                }
            }
        }
    }
}
