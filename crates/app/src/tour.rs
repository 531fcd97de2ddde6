//! What the tour panel shows, derived from the session's tour ([`kubectl::tour`]) after every
//! action (never per render), and the step's objects as the panes' selection references.

use kubectl::Session;

/// The step about to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepView {
    pub title: String,
    pub prose: String,
    pub commands: Vec<String>,
    /// Selection references (`pod/web-0`, `statefulset/web`, `persistentvolumeclaim/www-web-0`).
    pub highlight: Vec<String>,
    /// (question, choices)
    pub question: Option<(String, Vec<String>)>,
    /// The learner's prediction (0-based choice).
    pub answer: Option<usize>,
}

/// The tour being walked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TourView {
    pub name: String,
    pub title: String,
    pub intro: String,
    /// 0-based index of the step about to run (== total when finished).
    pub index: usize,
    pub total: usize,
    pub step: Option<StepView>,
    /// The last step's prediction check (stsplay's words).
    pub verdict: Option<String>,
}

/// The built-in tours: (name, title, one-line summary), for the tour picker and the gallery.
pub fn tours() -> Vec<(String, String, String)> {
    kubectl::tour::built_in()
        .into_iter()
        .map(|t| (t.name, t.title, t.summary))
        .collect()
}

/// A tour's `TYPE/NAME` as the panes' selection reference (`kind/name` with kubectl's
/// lower-case singular kind: `statefulset/web`, `persistentvolumeclaim/www-web-0`).
pub fn diagram_id(obj: &str) -> String {
    let (kind, name) = obj.split_once('/').unwrap_or(("", obj));
    let long = match kind.to_ascii_lowercase().as_str() {
        "statefulset" | "statefulsets" | "sts" => "statefulset",
        "service" | "services" | "svc" => "service",
        "pod" | "pods" | "po" => "pod",
        "persistentvolumeclaim" | "persistentvolumeclaims" | "pvc" => "persistentvolumeclaim",
        "persistentvolume" | "persistentvolumes" | "pv" => "persistentvolume",
        other => return format!("{other}/{name}"),
    };
    format!("{long}/{name}")
}

impl TourView {
    pub fn from_session(s: &Session) -> Option<TourView> {
        let st = s.tour()?;
        let step = st.current().map(|step| StepView {
            title: step.title.clone(),
            prose: step.prose.clone(),
            commands: step.commands.clone(),
            highlight: step.highlight.iter().map(|h| diagram_id(h)).collect(),
            question: step
                .question
                .as_ref()
                .map(|q| (q.text.clone(), q.choices.clone())),
            answer: st.answer,
        });
        Some(TourView {
            name: st.tour.name.clone(),
            title: st.tour.title.clone(),
            intro: st.tour.intro.clone(),
            index: st.next,
            total: st.tour.steps.len(),
            step,
            verdict: st.verdict.clone(),
        })
    }

    /// The diagram ids to highlight now.
    pub fn highlight(&self) -> Vec<String> {
        self.step
            .as_ref()
            .map(|s| s.highlight.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_views() {
        assert_eq!(diagram_id("statefulset/web"), "statefulset/web");
        assert_eq!(
            diagram_id("pvc/www-web-0"),
            "persistentvolumeclaim/www-web-0"
        );
        assert_eq!(diagram_id("svc/nginx"), "service/nginx");
        let mut s = Session::new();
        assert!(TourView::from_session(&s).is_none());
        s.run_line("sim tour sticky-pod-orchestra");
        let v = TourView::from_session(&s).unwrap();
        assert_eq!((v.index, v.total), (0, 11));
        let step = v.step.unwrap();
        assert_eq!(
            step.highlight,
            [
                "service/nginx-headless",
                "statefulset/nginx-with-init-container"
            ]
        );
        assert_eq!(step.question.unwrap().1.len(), 3);
        s.run_line("sim tour answer 3");
        s.run_line("sim tour next");
        let v = TourView::from_session(&s).unwrap();
        assert_eq!(v.index, 1);
        assert_eq!(
            v.verdict.as_deref(),
            Some("prediction: right, nginx-with-init-container-0")
        );
    }
}
