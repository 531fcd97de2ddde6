//! Share links: any scenario within the bounds survives link -> open unchanged; damaged or
//! hostile links never panic; links made by earlier versions keep opening (fixtures).

use proptest::prelude::*;
use share::scenario::{
    File, Scenario, Speed, Step, Theme, TourPosition, View, ViewOptions, limits,
};

fn id() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9-]{0,20}"
}

fn file_name() -> impl Strategy<Value = String> {
    // Any characters but controls and '/', not blank at the ends.
    "[^/\\p{Cc}\\s][^/\\p{Cc}]{0,30}[^/\\p{Cc}\\s]|[a-z]"
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let files = proptest::collection::btree_map(file_name(), any::<String>(), 0..6);
    let step = prop_oneof![
        3 => any::<String>().prop_map(Step::Run),
        1 => (file_name(), any::<String>())
            .prop_filter("a plain name", |(n, _)| n.trim() == n && n != "." && n != "..")
            .prop_map(|(name, text)| Step::Write(File { name, text })),
    ];
    let commands = proptest::collection::vec(step, 0..40);
    let speed = prop_oneof![
        Just(Speed::Events),
        (limits::MIN_SPEED..=limits::MAX_SPEED).prop_map(Speed::Hundredths)
    ];
    let view = (
        prop::sample::select(View::ALL.to_vec()),
        prop::sample::select(Theme::ALL.to_vec()),
        speed,
        proptest::option::of(id()),
        proptest::option::of((id(), any::<u32>())),
        any::<prop::sample::Index>(),
        any::<bool>(),
    );
    (files, commands, proptest::option::of(any::<u32>()), view).prop_map(
        |(files, commands, position, (view, theme, speed, example, tour, active, has_active))| {
            let files: Vec<File> = files
                .into_iter()
                .filter(|(n, _)| n.trim() == n && n != "." && n != "..")
                .map(|(name, text)| File { name, text })
                .collect();
            let active_file = has_active
                .then(|| files.get(active.index(files.len().max(1))))
                .flatten()
                .map(|f| f.name.clone());
            Scenario {
                files,
                steps: commands,
                position,
                view: ViewOptions {
                    view,
                    theme,
                    speed,
                    active_file,
                    example,
                    tour: tour.map(|(name, step)| TourPosition { name, step }),
                },
            }
        },
    )
}

proptest! {
    #[test]
    fn any_scenario_round_trips(s in scenario()) {
        prop_assert_eq!(s.check(), Ok(()));
        let link = share::link("https://stsplay.example/play/", &s).unwrap();
        prop_assert_eq!(share::decode(&link), Ok(s));
    }

    #[test]
    fn damaged_links_never_panic(s in scenario(), cut in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>(), c in "[A-Za-z0-9_%#.-]") {
        let frag = share::encode_fragment(&s).unwrap();
        let _ = share::decode(&frag[..cut.index(frag.len() + 1)]);
        let mut b = frag.clone().into_bytes();
        let i = flip.index(b.len());
        b[i] = c.as_bytes()[0];
        if let Ok(changed) = String::from_utf8(b) {
            // Either an error, or (rarely) a different but valid scenario: never a panic.
            if let Ok(other) = share::decode(&changed) {
                prop_assert_eq!(other.check(), Ok(()));
            }
        }
    }

    #[test]
    fn any_text_never_panics(t in "#?s1\\.[A-Za-z0-9_-]{0,200}") {
        let _ = share::decode(&t);
        let _ = share::parse_fragment(&t);
    }
}

/// The scenario behind `fixtures/v1-seed.link`, written out by hand.
fn v1_seed() -> Scenario {
    Scenario {
        files: vec![
            File {
                name: "sts.yaml".into(),
                text: "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: nginx\n  replicas: 3\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n".into(),
            },
            File {
                name: "svc.yaml".into(),
                text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  clusterIP: None\n  selector:\n    app: nginx\n".into(),
            },
        ],
        steps: vec![
            Step::Run("kubectl apply -f svc.yaml -f sts.yaml".into()),
            Step::Run("sim step".into()),
            Step::Run("sim step".into()),
            Step::Run("kubectl get pods".into()),
            Step::Run("sim settle".into()),
            Step::Write(File {
                name: "svc.yaml".into(),
                text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\n  labels:\n    tier: web\n".into(),
            }),
            Step::Run("kubectl apply -f svc.yaml".into()),
            Step::Run("kubectl scale sts web --replicas=5".into()),
            Step::Run("# ünïcödé and \"quotes\" <b>kept</b> as text".into()),
        ],
        position: Some(12),
        view: ViewOptions {
            view: View::DiagramConsole,
            theme: Theme::Dark,
            speed: Speed::Hundredths(400),
            active_file: Some("svc.yaml".into()),
            example: Some("seed".into()),
            tour: Some(TourPosition {
                name: "orchestra".into(),
                step: 2,
            }),
        },
    }
}

/// A link made by format v1 opens forever. Never regenerate this fixture: a change that breaks
/// it breaks every link people have shared. (`print_v1_fixture` printed it once.)
#[test]
fn v1_links_keep_opening() {
    let link = include_str!("fixtures/v1-seed.link").trim();
    assert!(link.starts_with("https://stsplay.example/#s1."));
    assert_eq!(share::decode(link), Ok(v1_seed()));
}

#[test]
#[ignore = "prints the v1 fixture; run once when a format version is introduced"]
fn print_v1_fixture() {
    println!(
        "{}",
        share::link("https://stsplay.example/", &v1_seed()).unwrap()
    );
}

#[test]
fn a_realistic_scenario_makes_a_short_link() {
    // The seed files and a 2,000-line session of clicks: deflate makes the repetition cheap.
    let mut s = v1_seed();
    s.steps = (0..2000)
        .map(|i| {
            Step::Run(match i % 4 {
                0 => "sim step".to_string(),
                1 => "kubectl get pods".into(),
                2 => format!("kubectl scale sts web --replicas={}", i % 7),
                _ => "sim back".into(),
            })
        })
        .collect();
    let link = share::link("https://stsplay.example/", &s).unwrap();
    assert!(link.len() < 4000, "{} chars", link.len());
    assert_eq!(share::decode(&link), Ok(s));
}
