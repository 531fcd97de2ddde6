//! Controller-only replay of an oracle scenario (`testdata/oracle/README.md`): the StatefulSet
//! controller, pvc-protection and the garbage collector's `gc` step driven by the scenario's
//! operations exactly as the upstream harness did, printing the trace in the vectors' text
//! format. Scheduler and kubelet are off: the harness's own writes stand in for them and are
//! not traced; every action line is a controller write taken from the store's write log.

use crate::sort::Sort as _;
use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    ControllerRevision, RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetOrdinals,
    StatefulSetPersistentVolumeClaimRetentionPolicy, StatefulSetSpec, StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    Container, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, Pod,
    PodCondition, PodSpec, PodTemplateSpec, VolumeMount, VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    LabelSelector, ObjectMeta, OwnerReference, Time as KTime,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use k8s_openapi::jiff::Timestamp;
use serde::Deserialize;

use crate::config::{ControllerConfig, FeatureGates, Gate, K8sVersion};
use crate::controller::WorkQueue;
use crate::controller::meta::controller_of;
use crate::controller::podutil::{is_pod_ready, phase};
use crate::controller::statefulset::stateful_set_utils::{is_terminating, pod_revision};
use crate::gc::{self, GcAction};
use crate::ordinal::ordinal_cmp;
use crate::store::{Actor, Store, Verb, Write, Written};
use crate::time::{EPOCH_UNIX_SECONDS, SimTime};
use crate::{pvc_protection, revision};

/// Why a scenario cannot be replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayError {
    /// The JSON does not parse or has unknown fields.
    Parse(String),
    /// A step cannot be carried out (missing argument, unknown op, ...).
    Step { step: usize, message: String },
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplayError::Parse(m) => write!(f, "scenario: {m}"),
            ReplayError::Step { step, message } => write!(f, "step {step}: {message}"),
        }
    }
}

impl std::error::Error for ReplayError {}

/// Bounds on input (the replay must not be driven into unbounded work).
pub const MAX_STEPS: usize = 10_000;
pub const MAX_SCENARIO_REPLICAS: i32 = 1_000;
const MAX_WAIT_SECONDS: f64 = 86_400.0;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub feature_gates: BTreeMap<String, bool>,
    #[serde(default)]
    pub statefulset: SetSettings,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SetSettings {
    pub name: Option<String>,
    pub replicas: Option<i32>,
    pub pod_management_policy: Option<String>,
    pub update_strategy: Option<StrategySettings>,
    pub ordinals_start: Option<i32>,
    pub min_ready_seconds: Option<i32>,
    pub revision_history_limit: Option<i32>,
    pub retention_policy: Option<RetentionSettings>,
    pub image: Option<String>,
    pub claim_templates: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StrategySettings {
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub partition: Option<i32>,
    pub max_unavailable: Option<IntOrStr>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RetentionSettings {
    pub when_scaled: Option<String>,
    pub when_deleted: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum IntOrStr {
    Int(i32),
    Str(String),
}

impl IntOrStr {
    fn to_k8s(&self) -> IntOrString {
        match self {
            IntOrStr::Int(i) => IntOrString::Int(*i),
            IntOrStr::Str(s) => IntOrString::String(s.clone()),
        }
    }
    fn text(&self) -> String {
        match self {
            IntOrStr::Int(i) => i.to_string(),
            IntOrStr::Str(s) => s.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Step {
    pub op: String,
    pub replicas: Option<i32>,
    pub image: Option<String>,
    pub partition: Option<i32>,
    pub max_unavailable: Option<IntOrStr>,
    pub strategy: Option<String>,
    pub revision: Option<i64>,
    pub pod: Option<String>,
    pub pvc: Option<String>,
    pub propagation: Option<String>,
    pub seconds: Option<f64>,
}

/// Parse a scenario (strict: unknown fields are errors).
pub fn parse(json: &str) -> Result<Scenario, ReplayError> {
    if json.len() > (1 << 20) {
        return Err(ReplayError::Parse("scenario larger than 1 MiB".into()));
    }
    let s: Scenario = serde_json::from_str(json).map_err(|e| ReplayError::Parse(e.to_string()))?;
    if s.steps.len() > MAX_STEPS {
        return Err(ReplayError::Parse(format!("more than {MAX_STEPS} steps")));
    }
    Ok(s)
}

/// The controller configuration a scenario runs with: the version's gates, then the scenario's.
pub fn config_for(s: &Scenario, version: K8sVersion) -> Result<ControllerConfig, ReplayError> {
    let mut gates = FeatureGates::for_version(version);
    for (k, v) in &s.feature_gates {
        match Gate::parse(k) {
            Some(g) => gates.set(g, *v),
            None => return Err(ReplayError::Parse(format!("unknown feature gate {k}"))),
        }
    }
    Ok(ControllerConfig {
        version,
        gates,
        record_events: false,
    })
}

/// The StatefulSet a scenario describes, defaulted as the apiserver would (apps/v1
/// `SetDefaults_StatefulSet` with the given gates, template defaults included).
pub fn build_statefulset(
    s: &SetSettings,
    gates: &FeatureGates,
) -> Result<StatefulSet, ReplayError> {
    let name = s.name.clone().unwrap_or_else(|| "web".into());
    let replicas = s.replicas.unwrap_or(3);
    if !(0..=MAX_SCENARIO_REPLICAS).contains(&replicas) {
        return Err(ReplayError::Parse(format!(
            "replicas must be within 0..={MAX_SCENARIO_REPLICAS}"
        )));
    }
    let labels = BTreeMap::from([("app".to_string(), name.clone())]);
    let claims = s.claim_templates.clone().unwrap_or_default();
    let mut template = PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(labels.clone()),
            ..Default::default()
        }),
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "nginx".into(),
                image: Some(s.image.clone().unwrap_or_else(|| "nginx:1.0".into())),
                volume_mounts: if claims.is_empty() {
                    None
                } else {
                    Some(
                        claims
                            .iter()
                            .map(|c| VolumeMount {
                                name: c.clone(),
                                mount_path: format!("/{c}"),
                                ..Default::default()
                            })
                            .collect(),
                    )
                },
                ..Default::default()
            }],
            ..Default::default()
        }),
    };
    revision::apply_template_defaults(&mut template);
    let claim_templates: Vec<PersistentVolumeClaim> = claims
        .iter()
        .map(|c| PersistentVolumeClaim {
            metadata: ObjectMeta {
                name: Some(c.clone()),
                ..Default::default()
            },
            spec: Some(PersistentVolumeClaimSpec {
                access_modes: Some(vec!["ReadWriteOnce".into()]),
                resources: Some(VolumeResourceRequirements {
                    requests: Some(BTreeMap::from([(
                        "storage".to_string(),
                        Quantity("1Gi".into()),
                    )])),
                    ..Default::default()
                }),
                volume_mode: Some("Filesystem".into()),
                ..Default::default()
            }),
            status: Some(PersistentVolumeClaimStatus {
                phase: Some("Pending".into()),
                ..Default::default()
            }),
        })
        .collect();
    let strategy = build_strategy(s.update_strategy.as_ref(), gates);
    let retention = s.retention_policy.as_ref();
    Ok(StatefulSet {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        spec: Some(StatefulSetSpec {
            replicas: Some(replicas),
            selector: LabelSelector {
                match_labels: Some(labels),
                ..Default::default()
            },
            service_name: Some(name),
            template,
            volume_claim_templates: if claim_templates.is_empty() {
                None
            } else {
                Some(claim_templates)
            },
            pod_management_policy: Some(
                s.pod_management_policy
                    .clone()
                    .unwrap_or_else(|| "OrderedReady".into()),
            ),
            update_strategy: Some(strategy),
            revision_history_limit: Some(s.revision_history_limit.unwrap_or(10)),
            min_ready_seconds: s.min_ready_seconds.filter(|m| *m != 0),
            ordinals: s
                .ordinals_start
                .map(|st| StatefulSetOrdinals { start: Some(st) }),
            persistent_volume_claim_retention_policy: Some(
                StatefulSetPersistentVolumeClaimRetentionPolicy {
                    when_scaled: Some(
                        retention
                            .and_then(|r| r.when_scaled.clone())
                            .unwrap_or_else(|| "Retain".into()),
                    ),
                    when_deleted: Some(
                        retention
                            .and_then(|r| r.when_deleted.clone())
                            .unwrap_or_else(|| "Retain".into()),
                    ),
                },
            ),
        }),
        status: None,
    })
}

fn build_strategy(s: Option<&StrategySettings>, gates: &FeatureGates) -> StatefulSetUpdateStrategy {
    let type_ = s.and_then(|s| s.type_.clone());
    let has_ru = s.is_some_and(|s| s.partition.is_some() || s.max_unavailable.is_some());
    let mut ru = if type_.is_none() || has_ru {
        Some(RollingUpdateStatefulSetStrategy {
            partition: s.and_then(|s| s.partition),
            max_unavailable: s
                .and_then(|s| s.max_unavailable.as_ref())
                .map(IntOrStr::to_k8s),
        })
    } else {
        None
    };
    let type_ = type_.unwrap_or_else(|| "RollingUpdate".into());
    if type_ == "RollingUpdate"
        && let Some(r) = ru.as_mut()
    {
        r.partition.get_or_insert(0);
        if gates.max_unavailable_statefulset && r.max_unavailable.is_none() {
            r.max_unavailable = Some(IntOrString::Int(1));
        }
    }
    StatefulSetUpdateStrategy {
        type_: Some(type_),
        rolling_update: ru,
    }
}

/// A sim time with millisecond precision as a metav1.Time (the harness's clock is precise).
fn precise(t: SimTime) -> KTime {
    let ms = EPOCH_UNIX_SECONDS
        .saturating_mul(1000)
        .saturating_add(i64::try_from(t).unwrap_or(i64::MAX));
    KTime(Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH))
}

struct Harness {
    store: Store,
    queue: WorkQueue,
    cfg: ControllerConfig,
    now: SimTime,
    set_name: String,
    base: StatefulSet,
    /// Lines of the current step, and where the log has been turned into lines.
    lines: Vec<String>,
    logged: usize,
    errors: Vec<String>,
    failed: Vec<(String, String)>,
}

const NS: &str = "default";

impl Harness {
    fn note(&mut self, text: String) {
        self.flush();
        self.lines.push(format!("  -- {text}"));
    }

    /// Turn the controller's writes logged since the last flush into action lines.
    fn flush(&mut self) {
        let start = self.logged.min(self.store.log.len());
        let writes: Vec<Write> = self
            .store
            .log
            .get(start..)
            .map(<[Write]>::to_vec)
            .unwrap_or_default();
        self.logged = self.store.log.len();
        for w in writes
            .iter()
            .filter(|w| w.actor == Actor::StatefulSetController)
        {
            if let Some(l) = action_line(w) {
                self.lines.push(format!("  {l}"));
            }
        }
    }

    /// Run the controller until idle (the harness's "no client call for 400 ms").
    fn idle(&mut self) {
        let r = self.queue.process(&mut self.store, self.now, &self.cfg);
        for e in r.errors {
            if !self.errors.contains(&e) {
                self.errors.push(e);
            }
        }
        for f in r.failed {
            if !self.failed.contains(&f) {
                self.failed.push(f);
            }
        }
        self.flush();
    }

    fn set(&self) -> Option<StatefulSet> {
        self.store
            .get::<StatefulSet>(NS, &self.set_name)
            .map(k8sjson::copy)
    }

    fn write_set(&mut self, f: impl FnOnce(&mut StatefulSet)) -> Result<(), String> {
        let mut s = self
            .set()
            .ok_or_else(|| format!("StatefulSet {} does not exist", self.set_name))?;
        f(&mut s);
        self.store
            .update(Actor::Harness, s)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    fn pods_sorted(&self) -> Vec<Pod> {
        let mut v: Vec<Pod> = self
            .store
            .list::<Pod>(Some(NS))
            .map(k8sjson::copy)
            .collect();
        v.stable_sort_by(|a, b| {
            ordinal_cmp(
                a.metadata.name.as_deref().unwrap_or(""),
                b.metadata.name.as_deref().unwrap_or(""),
            )
        });
        v
    }

    fn set_pod_status(&mut self, name: &str, phase_: &str, ready: bool) -> Result<(), String> {
        let pod = self
            .store
            .get::<Pod>(NS, name)
            .map(k8sjson::copy)
            .ok_or_else(|| format!("pod {name} not found"))?;
        let now = self.now;
        let mut status = k8sjson::copy(&pod.status).unwrap_or_default();
        status.phase = Some(phase_.into());
        status.conditions = Some(vec![PodCondition {
            type_: "Ready".into(),
            status: if ready { "True".into() } else { "False".into() },
            last_transition_time: Some(precise(now)),
            ..Default::default()
        }]);
        let mut p = pod;
        p.status = Some(status);
        self.store
            .update_status(Actor::Harness, p, |stored, new| stored.status = new.status)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    fn pod_op(&mut self, op: &str, name: &str) -> Result<(), String> {
        match op {
            "ready" => self.set_pod_status(name, "Running", true),
            "unready" => self.set_pod_status(name, "Running", false),
            "fail" => self.set_pod_status(name, "Failed", false),
            "finishTermination" => {
                let terminating = self.store.get::<Pod>(NS, name).is_some_and(is_terminating);
                if terminating {
                    self.store.remove::<Pod>(Actor::Harness, NS, name);
                }
                Ok(())
            }
            _ => Err(format!("unknown op {op}")),
        }
    }

    /// Resolve a wildcard pod argument.
    fn wildcard(&self, op: &str) -> Vec<String> {
        self.pods_sorted()
            .into_iter()
            .filter(|p| match op {
                "ready" => !is_pod_ready(p) && !is_terminating(p) && phase(p) != "Failed",
                "unready" => is_pod_ready(p) && !is_terminating(p),
                "fail" => !is_terminating(p) && phase(p) != "Failed",
                "finishTermination" => is_terminating(p),
                _ => false,
            })
            .filter_map(|p| p.metadata.name)
            .collect()
    }

    fn gc_actions(&mut self, actions: Vec<GcAction>) {
        for a in actions {
            if gc::apply(&mut self.store, &a, self.now) {
                self.note(a.note());
                self.idle();
            }
        }
    }

    fn run_op(&mut self, step: &Step) -> Result<String, String> {
        let need_i =
            |v: Option<i32>, what: &str| v.ok_or_else(|| format!("{} needs {what}", step.op));
        match step.op.as_str() {
            "create" => {
                let mut s = k8sjson::copy(&self.base);
                s.metadata.uid = None;
                self.store
                    .create(Actor::Harness, s, self.now)
                    .map_err(|e| e.to_string())?;
                Ok(format!("create StatefulSet {}", self.set_name))
            }
            "scale" => {
                let n = need_i(step.replicas, "replicas")?;
                check_replicas(n)?;
                self.write_set(|s| {
                    if let Some(sp) = s.spec.as_mut() {
                        sp.replicas = Some(n);
                    }
                })?;
                Ok(format!("scale {n}"))
            }
            "setImage" => {
                let image = step.image.clone().ok_or("setImage needs image")?;
                let i2 = image.clone();
                self.write_set(move |s| set_image(s, &i2))?;
                Ok(format!("setImage {image}"))
            }
            "update" => {
                let mut desc = "update".to_string();
                if let Some(n) = step.replicas {
                    check_replicas(n)?;
                    desc.push_str(&format!(" replicas={n}"));
                }
                if let Some(i) = &step.image {
                    desc.push_str(&format!(" image={i}"));
                }
                if let Some(p) = step.partition {
                    desc.push_str(&format!(" partition={p}"));
                }
                let st = step.clone();
                self.write_set(move |s| {
                    if let Some(n) = st.replicas
                        && let Some(sp) = s.spec.as_mut()
                    {
                        sp.replicas = Some(n);
                    }
                    if let Some(i) = &st.image {
                        set_image(s, i);
                    }
                    if let Some(p) = st.partition {
                        set_partition(s, p);
                    }
                })?;
                Ok(desc)
            }
            "patchPartition" => {
                let p = need_i(step.partition, "partition")?;
                self.write_set(move |s| set_partition(s, p))?;
                Ok(format!("patchPartition {p}"))
            }
            "setMaxUnavailable" => {
                let m = step
                    .max_unavailable
                    .clone()
                    .ok_or("setMaxUnavailable needs maxUnavailable")?;
                let text = m.text();
                self.write_set(move |s| {
                    if let Some(st) = s.spec.as_mut().and_then(|sp| sp.update_strategy.as_mut()) {
                        st.rolling_update
                            .get_or_insert_with(Default::default)
                            .max_unavailable = Some(m.to_k8s());
                    }
                })?;
                Ok(format!("setMaxUnavailable {text}"))
            }
            "setUpdateStrategy" => {
                let t = step
                    .strategy
                    .clone()
                    .ok_or("setUpdateStrategy needs strategy")?;
                if t != "OnDelete" && t != "RollingUpdate" {
                    return Err(format!("unknown strategy {t}"));
                }
                let gates = self.cfg.gates;
                let t2 = t.clone();
                self.write_set(move |s| {
                    if let Some(sp) = s.spec.as_mut() {
                        sp.update_strategy = Some(if t2 == "OnDelete" {
                            StatefulSetUpdateStrategy {
                                type_: Some(t2),
                                rolling_update: None,
                            }
                        } else {
                            build_strategy(
                                Some(&StrategySettings {
                                    type_: Some(t2),
                                    partition: Some(0),
                                    max_unavailable: None,
                                }),
                                &gates,
                            )
                        });
                    }
                })?;
                Ok(format!("setUpdateStrategy {t}"))
            }
            "rollback" => {
                let n = step.revision.ok_or("rollback needs revision")?;
                let set = self.set().ok_or("no StatefulSet")?;
                let uid = set.metadata.uid.clone().unwrap_or_default();
                let rev: ControllerRevision = self
                    .store
                    .list::<ControllerRevision>(Some(NS))
                    .find(|r| {
                        r.revision == n && controller_of(&r.metadata).is_some_and(|c| c.uid == uid)
                    })
                    .map(k8sjson::copy)
                    .ok_or_else(|| format!("unable to find specified revision {n} in history"))?;
                let template = rev
                    .data
                    .as_ref()
                    .and_then(|d| revision::template_from_data(&d.0))
                    .ok_or("revision has no template")?;
                self.write_set(move |s| {
                    if let Some(sp) = s.spec.as_mut() {
                        sp.template = template;
                    }
                })?;
                Ok(format!(
                    "rollback {n} ({})",
                    rev.metadata.name.unwrap_or_default()
                ))
            }
            "ready" | "unready" | "fail" | "finishTermination" => {
                let arg = step
                    .pod
                    .clone()
                    .ok_or_else(|| format!("{} needs pod", step.op))?;
                if arg == "*" {
                    let names = self.wildcard(&step.op);
                    for n in &names {
                        self.note(format!("{} {n}", step.op));
                        self.pod_op(&step.op, n)?;
                        self.idle();
                    }
                    let list = if names.is_empty() {
                        "(none)".to_string()
                    } else {
                        names.join(",")
                    };
                    Ok(format!("{} {list}", step.op))
                } else {
                    self.pod_op(&step.op, &arg)?;
                    Ok(format!("{} {arg}", step.op))
                }
            }
            "deletePod" => {
                let name = step.pod.clone().ok_or("deletePod needs pod")?;
                self.store
                    .delete_pod(Actor::Harness, NS, &name, None, self.now)
                    .map_err(|e| e.to_string())?;
                Ok(format!("deletePod {name}"))
            }
            "deletePVC" => {
                let name = step.pvc.clone().ok_or("deletePVC needs pvc")?;
                self.store
                    .delete::<PersistentVolumeClaim>(Actor::Harness, NS, &name, None, self.now)
                    .map_err(|e| e.to_string())?;
                Ok(format!("deletePVC {name}"))
            }
            "deleteStatefulSet" => {
                let prop = step
                    .propagation
                    .clone()
                    .unwrap_or_else(|| "Background".into());
                let name = self.set_name.clone();
                match prop.as_str() {
                    "Background" => {
                        self.store
                            .delete::<StatefulSet>(Actor::Harness, NS, &name, None, self.now)
                            .map_err(|e| e.to_string())?;
                    }
                    "Foreground" | "Orphan" => {
                        let f = if prop == "Foreground" {
                            gc::FOREGROUND_FINALIZER
                        } else {
                            gc::ORPHAN_FINALIZER
                        };
                        self.write_set(|s| {
                            s.metadata
                                .finalizers
                                .get_or_insert_with(Vec::new)
                                .push(f.to_string())
                        })?;
                        self.store
                            .delete::<StatefulSet>(Actor::Harness, NS, &name, None, self.now)
                            .map_err(|e| e.to_string())?;
                        if prop == "Orphan" {
                            self.idle();
                            let actions = gc::plan_orphan(&self.store, NS, &name);
                            self.gc_actions(actions);
                        }
                    }
                    other => return Err(format!("unknown propagation {other}")),
                }
                Ok(format!("deleteStatefulSet {prop}"))
            }
            "gc" => {
                let actions = gc::plan_deletes(&self.store);
                self.gc_actions(actions);
                let fg = gc::plan_foreground(&self.store);
                self.gc_actions(fg);
                Ok("gc".into())
            }
            "wait" => {
                let secs = step.seconds.ok_or("wait needs seconds")?;
                if !(0.0..=MAX_WAIT_SECONDS).contains(&secs) {
                    return Err(format!(
                        "wait seconds must be within 0..={MAX_WAIT_SECONDS}"
                    ));
                }
                let end = self.now + (secs * 1000.0).round() as u64;
                while let Some(due) = self.queue.next_due().filter(|d| *d <= end) {
                    self.now = self.now.max(due);
                    self.queue.promote_due(self.now);
                    self.idle();
                }
                self.now = end;
                Ok(format!("wait {secs}s"))
            }
            "sync" => {
                if self.set().is_some() {
                    self.queue.add((NS.to_string(), self.set_name.clone()));
                }
                Ok("sync".into())
            }
            other => Err(format!("unknown op {other}")),
        }
    }

    fn state_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self.set() {
            None => out.push("  status: <StatefulSet absent>".to_string()),
            Some(s) => {
                let st = k8sjson::copy(&s.status).unwrap_or_default();
                let mut l = format!(
                    "  status: observedGeneration={} replicas={} readyReplicas={} currentReplicas={} updatedReplicas={} availableReplicas={} currentRevision={} updateRevision={} collisionCount={}",
                    st.observed_generation.unwrap_or(0),
                    st.replicas,
                    st.ready_replicas.unwrap_or(0),
                    st.current_replicas.unwrap_or(0),
                    st.updated_replicas.unwrap_or(0),
                    st.available_replicas.unwrap_or(0),
                    st.current_revision.unwrap_or_default(),
                    st.update_revision.unwrap_or_default(),
                    st.collision_count
                        .map(|c| c.to_string())
                        .unwrap_or_else(|| "nil".into()),
                );
                if s.metadata.deletion_timestamp.is_some() {
                    l.push_str(" [StatefulSet terminating]");
                }
                out.push(l);
            }
        }
        let pods: Vec<String> = self
            .pods_sorted()
            .iter()
            .map(|p| {
                let mut state = phase(p).to_string();
                if phase(p) == "Running" && is_pod_ready(p) {
                    state.push_str("+Ready");
                }
                if is_terminating(p) {
                    state.push_str("+Terminating");
                }
                let image = p
                    .spec
                    .as_ref()
                    .and_then(|s| s.containers.first())
                    .and_then(|c| c.image.clone())
                    .unwrap_or_default();
                let orphan = if controller_of(&p.metadata).is_none() {
                    ",orphan"
                } else {
                    ""
                };
                format!(
                    "{}({},{image},{state}{orphan})",
                    p.metadata.name.as_deref().unwrap_or(""),
                    pod_revision(p)
                )
            })
            .collect();
        out.push(format!("  pods: {}", pods.join(" ")));
        let mut pvcs: Vec<&PersistentVolumeClaim> =
            self.store.list::<PersistentVolumeClaim>(Some(NS)).collect();
        pvcs.stable_sort_by(|a, b| {
            ordinal_cmp(
                a.metadata.name.as_deref().unwrap_or(""),
                b.metadata.name.as_deref().unwrap_or(""),
            )
        });
        let pvcs: Vec<String> = pvcs
            .iter()
            .map(|c| {
                let refs = c.metadata.owner_references.as_deref().unwrap_or(&[]);
                let owners = owners_text(refs, |r| !self.owner_exists(r));
                let st = if c.metadata.deletion_timestamp.is_some() {
                    "Terminating"
                } else {
                    "Active"
                };
                format!(
                    "{}(owners={owners},{st})",
                    c.metadata.name.as_deref().unwrap_or("")
                )
            })
            .collect();
        out.push(format!("  pvcs: {}", pvcs.join(" ")));
        let mut revs: Vec<&ControllerRevision> =
            self.store.list::<ControllerRevision>(Some(NS)).collect();
        revs.stable_sort_by(|a, b| {
            a.revision
                .cmp(&b.revision)
                .then_with(|| a.metadata.name.cmp(&b.metadata.name))
        });
        let revs: Vec<String> = revs
            .iter()
            .map(|r| {
                format!(
                    "{}(rev={})",
                    r.metadata.name.as_deref().unwrap_or(""),
                    r.revision
                )
            })
            .collect();
        out.push(format!("  revisions: {}", revs.join(" ")));
        out
    }

    fn owner_exists(&self, r: &OwnerReference) -> bool {
        let uid = Some(r.uid.as_str());
        match r.kind.as_str() {
            "StatefulSet" => self
                .store
                .get::<StatefulSet>(NS, &r.name)
                .is_some_and(|o| o.metadata.uid.as_deref() == uid),
            "Pod" => self
                .store
                .get::<Pod>(NS, &r.name)
                .is_some_and(|o| o.metadata.uid.as_deref() == uid),
            "PersistentVolumeClaim" => self
                .store
                .get::<PersistentVolumeClaim>(NS, &r.name)
                .is_some_and(|o| o.metadata.uid.as_deref() == uid),
            "ControllerRevision" => self
                .store
                .get::<ControllerRevision>(NS, &r.name)
                .is_some_and(|o| o.metadata.uid.as_deref() == uid),
            _ => true,
        }
    }
}

fn check_replicas(n: i32) -> Result<(), String> {
    if (0..=MAX_SCENARIO_REPLICAS).contains(&n) {
        Ok(())
    } else {
        Err(format!(
            "replicas must be within 0..={MAX_SCENARIO_REPLICAS}"
        ))
    }
}

fn set_image(s: &mut StatefulSet, image: &str) {
    if let Some(c) = s
        .spec
        .as_mut()
        .and_then(|sp| sp.template.spec.as_mut())
        .and_then(|ps| ps.containers.first_mut())
    {
        c.image = Some(image.to_string());
    }
}

fn set_partition(s: &mut StatefulSet, p: i32) {
    if let Some(st) = s.spec.as_mut().and_then(|sp| sp.update_strategy.as_mut()) {
        st.rolling_update
            .get_or_insert_with(Default::default)
            .partition = Some(p);
    }
}

fn owners_text(refs: &[OwnerReference], gone: impl Fn(&OwnerReference) -> bool) -> String {
    if refs.is_empty() {
        return "none".into();
    }
    refs.iter()
        .map(|r| {
            format!(
                "{}/{}{}",
                r.kind,
                r.name,
                if gone(r) { "!gone" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join("+")
}

/// Replace every `"uid":"<value>"` in a patch body by `"uid":"*"`.
fn mask_uids(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    let pat = "\"uid\":\"";
    while let Some(i) = rest.find(pat) {
        let (head, tail) = rest.split_at(i + pat.len());
        out.push_str(head);
        out.push('*');
        match tail.find('"') {
            Some(j) => rest = tail.get(j..).unwrap_or(""),
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The trace line of one controller write.
pub fn action_line(w: &Write) -> Option<String> {
    let obj = w.object.as_ref();
    Some(match (w.verb, w.resource) {
        (Verb::Removed, _) => return None,
        (Verb::Create, "pods") => {
            let Some(Written::Pod(p)) = obj else {
                return None;
            };
            let image = p
                .spec
                .as_ref()
                .and_then(|s| s.containers.first())
                .and_then(|c| c.image.clone())
                .unwrap_or_default();
            format!(
                "create pods {} rev={} image={image}",
                w.name,
                pod_revision(p)
            )
        }
        (Verb::Create, "controllerrevisions") | (Verb::Update, "controllerrevisions") => {
            let Some(Written::Revision(r)) = obj else {
                return None;
            };
            let verb = if w.verb == Verb::Create {
                "create"
            } else {
                "update"
            };
            format!(
                "{verb} controllerrevisions {} revision={}",
                w.name, r.revision
            )
        }
        (Verb::Create, res) => format!("create {res} {}", w.name),
        (Verb::UpdateStatus, "statefulsets") => {
            let Some(Written::StatefulSet(s)) = obj else {
                return None;
            };
            let st = k8sjson::copy(&s.status).unwrap_or_default();
            format!(
                "update statefulsets/status {} {{observedGeneration:{} replicas:{} ready:{} current:{} updated:{} available:{} currentRevision:{} updateRevision:{}}}",
                w.name,
                st.observed_generation.unwrap_or(0),
                st.replicas,
                st.ready_replicas.unwrap_or(0),
                st.current_replicas.unwrap_or(0),
                st.updated_replicas.unwrap_or(0),
                st.available_replicas.unwrap_or(0),
                st.current_revision.unwrap_or_default(),
                st.update_revision.unwrap_or_default()
            )
        }
        (Verb::Update, "pods") => {
            let Some(Written::Pod(p)) = obj else {
                return None;
            };
            format!("update pods {} rev={}", w.name, pod_revision(p))
        }
        (Verb::Update, "persistentvolumeclaims") => {
            let Some(Written::Pvc(c)) = obj else {
                return None;
            };
            let refs = c.metadata.owner_references.as_deref().unwrap_or(&[]);
            format!(
                "update persistentvolumeclaims {} owners={}",
                w.name,
                owners_text(refs, |_| false)
            )
        }
        (Verb::Update, res) | (Verb::UpdateStatus, res) => format!("update {res} {}", w.name),
        (Verb::Delete, res) => format!("delete {res} {}", w.name),
        (Verb::Patch, res) => format!(
            "patch {res} {} {}",
            w.name,
            mask_uids(w.patch.as_deref().unwrap_or(""))
        ),
    })
}

/// A scenario being replayed step by step (what `replay` drives; public for property tests
/// and tools that want the store between steps).
pub struct Replayer {
    h: Harness,
    header: String,
    steps_done: usize,
}

impl Replayer {
    /// Set up the harness for a parsed scenario (nothing is created until a `create` step).
    pub fn new(sc: &Scenario, version: K8sVersion) -> Result<Self, ReplayError> {
        let cfg = config_for(sc, version)?;
        let base = build_statefulset(&sc.statefulset, &cfg.gates)?;
        let mut store = Store::new();
        store.record = true;
        store.record_objects = true;
        store.pods_always_scheduled = true;
        let set_name = base.metadata.name.clone().unwrap_or_default();
        let h = Harness {
            store,
            queue: WorkQueue::new(),
            cfg,
            now: 0,
            set_name,
            base,
            lines: Vec::new(),
            logged: 0,
            errors: Vec::new(),
            failed: Vec::new(),
        };
        let mut out = String::new();
        out.push_str(&format!("# scenario: {}\n", sc.name));
        if !sc.description.is_empty() {
            out.push_str(&format!("# description: {}\n", sc.description));
        }
        match version {
            K8sVersion::V1_28 => {
                out.push_str("# controller: kubernetes v1.28 pkg/controller/statefulset\n")
            }
            K8sVersion::V1_35 => out.push_str(
                "# controller: stsplay model of kubernetes v1.35 pkg/controller/statefulset\n",
            ),
        }
        let g = cfg.gates;
        out.push_str(&format!(
            "# feature gates: MaxUnavailableStatefulSet={} StatefulSetAutoDeletePVC={} StatefulSetStartOrdinal={}\n",
            g.max_unavailable_statefulset, g.statefulset_auto_delete_pvc, g.statefulset_start_ordinal
        ));
        if sc.statefulset.pod_management_policy.as_deref() == Some("Parallel") {
            out.push_str("# order: Parallel; action order inside a step is not deterministic, compare each step's action lines as a multiset\n");
        } else {
            out.push_str("# order: deterministic\n");
        }
        Ok(Replayer {
            h,
            header: out,
            steps_done: 0,
        })
    }

    /// The trace header lines.
    pub fn header(&self) -> &str {
        &self.header
    }

    /// The store (its write log holds every write since the start, with objects).
    pub fn store(&self) -> &Store {
        &self.h.store
    }

    /// The simulated time (ms).
    pub fn now(&self) -> SimTime {
        self.h.now
    }

    /// The controller configuration in effect.
    pub fn config(&self) -> &ControllerConfig {
        &self.h.cfg
    }

    /// Carry out one step as the harness did and return its trace text (`== step` line,
    /// actions and notes, sync errors, state lines).
    pub fn step(&mut self, step: &Step) -> Result<String, ReplayError> {
        let h = &mut self.h;
        h.lines.clear();
        h.errors.clear();
        h.failed.clear();
        h.flush();
        let n = self.steps_done + 1;
        let desc = h
            .run_op(step)
            .map_err(|message| ReplayError::Step { step: n, message })?;
        self.steps_done = n;
        h.idle();
        // pvc-protection after the controller went idle, then idle again.
        let removed = pvc_protection::reconcile(&mut h.store, h.now, &h.cfg);
        for r in removed {
            let name = r.rsplit('/').next().unwrap_or(&r).to_string();
            h.note(format!("pvc-protection: removed {name}"));
        }
        h.idle();
        // A failed sync has a rate-limited retry queued: deliver it now.
        if !h.failed.is_empty() {
            let failed = std::mem::take(&mut h.failed);
            for k in failed {
                h.queue.add(k);
            }
            h.idle();
        }
        let mut out = format!("== step {n}: {desc}\n");
        for l in &h.lines {
            out.push_str(l);
            out.push('\n');
        }
        if !h.errors.is_empty() {
            out.push_str(&format!("  sync errors: {}\n", h.errors.join(" | ")));
        }
        for l in h.state_lines() {
            out.push_str(&l);
            out.push('\n');
        }
        Ok(out)
    }
}

/// Replay a scenario and return its trace text (the vectors' `.txt` format).
pub fn replay(scenario_json: &str, version: K8sVersion) -> Result<String, ReplayError> {
    let sc = parse(scenario_json)?;
    let mut r = Replayer::new(&sc, version)?;
    let mut out = r.header().to_string();
    for step in &sc.steps {
        out.push_str(&r.step(step)?);
    }
    Ok(out)
}
