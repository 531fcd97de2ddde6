//! The embed posters (web/posters/ID.svg): each gallery example's settled diagram, drawn by the
//! native simulation and shipped as a static image, so an embed shows the example before the
//! engine loads (web/embed.js). This test keeps them current: a change to the diagram's SVG or
//! to an example fails here; rewrite them with
//! `STSPLAY_UPDATE_POSTERS=1 cargo test -p diagram --test posters` and look at the result.

use kubectl::Session;

/// (gallery id, console lines that bring the example to the state its poster shows)
const POSTERS: &[(&str, &[&str])] = &[(
    "seed",
    &["kubectl apply -f svc.yaml -f sts.yaml", "sim settle"],
)];

fn render(lines: &[&str]) -> String {
    let mut s = Session::new();
    for l in lines {
        let out = s.run_line(l);
        assert!(out.ok, "{l}: {}", out.combined);
    }
    diagram::poster_svg(s.cluster(), "default")
}

#[test]
fn posters_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/posters");
    let update = std::env::var_os("STSPLAY_UPDATE_POSTERS").is_some();
    for (id, lines) in POSTERS {
        let svg = render(lines);
        // A poster is a few KB: it is the first thing a docs page with an embed downloads.
        assert!(svg.len() < 16 * 1024, "{id}: {} bytes", svg.len());
        assert!(
            !svg.contains("<script") && !svg.contains("href"),
            "{id}: static SVG only"
        );
        let path = dir.join(format!("{id}.svg"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &svg).unwrap();
            continue;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == svg,
            "web/posters/{id}.svg is not the current diagram of the example; rewrite it with \
             STSPLAY_UPDATE_POSTERS=1 cargo test -p diagram --test posters"
        );
    }
}
