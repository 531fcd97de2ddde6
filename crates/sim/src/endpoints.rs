//! Endpoints and EndpointSlices of Services with a selector, and the cluster DNS answers.
//!
//! As the endpoints controllers do (`pkg/controller/endpoint`, `pkg/controller/endpointslice`):
//! ready pods go to `addresses`, pods with an IP that are not ready to `notReadyAddresses`,
//! terminating pods are left out of Endpoints (the slice keeps them with `terminating: true`).
//! A pod whose `spec.subdomain` is the Service's name gets `hostname` set, which gives it the
//! DNS name `<hostname>.<svc>.<ns>.svc.cluster.local` (kubernetes/dns specification).

use std::collections::BTreeMap;

use crate::vecmap::VecSet;

use k8s_openapi::api::core::v1::{
    EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ObjectReference, Pod, Service,
};
use k8s_openapi::api::discovery::v1::{
    Endpoint, EndpointConditions, EndpointPort as SlicePort, EndpointSlice,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::state::State;
use crate::store::{Actor, Key, Store, Verb, Write};

/// Cap on addresses per Endpoints object (the real controller truncates at 1000 and annotates
/// `endpoints.kubernetes.io/over-capacity: truncated`).
pub const MAX_ENDPOINTS: usize = 1000;

pub use crate::state::{Member, Members};

fn selector_matches(svc: &Service, pod: &Pod) -> bool {
    let Some(sel) = svc.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
        return false;
    };
    if sel.is_empty() {
        return false;
    }
    let labels = pod.metadata.labels.as_ref();
    sel.iter()
        .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
}

fn member_of(svc: &Service, pod: &Pod) -> Option<Member> {
    let ip = pod
        .status
        .as_ref()?
        .pod_ip
        .clone()
        .filter(|i| !i.is_empty())?;
    let ready = pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
    let svc_name = svc.metadata.name.as_deref().unwrap_or_default();
    let spec = pod.spec.as_ref();
    let hostname = match (
        spec.and_then(|s| s.hostname.as_ref()),
        spec.and_then(|s| s.subdomain.as_deref()),
    ) {
        (Some(h), Some(sub)) if sub == svc_name => Some(h.clone()),
        _ => None,
    };
    Some(Member {
        ip,
        ready,
        terminating: pod.metadata.deletion_timestamp.is_some(),
        node: spec.and_then(|s| s.node_name.clone()),
        hostname,
        uid: pod.metadata.uid.clone().unwrap_or_default(),
    })
}

thread_local! {
    static REBUILD_ALWAYS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Rebuild a changed service's Endpoints and EndpointSlice from all its members every time
/// (no in-place edits); for the differential tests.
pub fn set_rebuild_always_in_thread(on: bool) {
    REBUILD_ALWAYS.with(|c| c.set(on));
}

/// Update endpoints after a batch of writes.
pub(crate) fn sync(st: &mut State, writes: &[Write]) {
    let mut dirty: VecSet<Key> = VecSet::new();
    let mut svc_changed: VecSet<Key> = VecSet::new();
    let mut pods: VecSet<Key> = VecSet::new();
    for w in writes {
        match w.resource {
            "services" => {
                svc_changed.insert((w.namespace.clone(), w.name.clone()));
            }
            "pods" => {
                pods.insert((w.namespace.clone(), w.name.clone()));
            }
            _ => {}
        }
    }
    for sk in &svc_changed {
        let Some(svc) = st.store.get::<Service>(&sk.0, &sk.1).map(k8sjson::copy) else {
            st.rt.endpoints.remove(sk);
            if writes.iter().any(|w| {
                w.resource == "services"
                    && w.verb == Verb::Removed
                    && w.namespace == sk.0
                    && w.name == sk.1
            }) {
                st.store.remove::<Endpoints>(Actor::Endpoints, &sk.0, &sk.1);
                let slices: Vec<String> = st
                    .store
                    .endpointslices
                    .iter()
                    .filter(|((ns, _), s)| ns == &sk.0 && service_of(s) == Some(sk.1.as_str()))
                    .map(|((_, n), _)| n.clone())
                    .collect();
                for s in slices {
                    st.store
                        .remove::<EndpointSlice>(Actor::Endpoints, &sk.0, &s);
                }
            }
            continue;
        };
        let mut m = crate::vecmap::VecMap::new();
        for p in st.store.list::<Pod>(Some(&sk.0)) {
            if selector_matches(&svc, p)
                && let Some(mm) = member_of(&svc, p)
            {
                m.insert(p.metadata.name.clone().unwrap_or_default(), mm);
            }
        }
        st.rt.endpoints.insert(sk.clone(), m);
        dirty.insert(sk.clone());
    }
    // Per service: the members that changed in this batch (name, before, after).
    let mut changes: BTreeMap<Key, Vec<Change>> = BTreeMap::new();
    if !pods.is_empty() {
        // Services with a selector only (shared, not copied): kind's `kubernetes` Service has
        // none, and is in the namespace of most pod writes.
        let services: Vec<std::sync::Arc<Service>> = st
            .store
            .services
            .iter()
            .filter(|((ns, _), _)| pods.iter().any(|(pns, _)| pns == ns))
            .filter(|(_, s)| {
                s.spec
                    .as_ref()
                    .and_then(|s| s.selector.as_ref())
                    .is_some_and(|s| !s.is_empty())
            })
            .map(|(_, s)| s.clone())
            .collect();
        for svc in services {
            let sk = (
                svc.metadata.namespace.clone().unwrap_or_default(),
                svc.metadata.name.clone().unwrap_or_default(),
            );
            for pk in pods.iter().filter(|(ns, _)| *ns == sk.0) {
                let new = st
                    .store
                    .get::<Pod>(&pk.0, &pk.1)
                    .filter(|p| selector_matches(&svc, p))
                    .and_then(|p| member_of(&svc, p));
                if !st.rt.endpoints.contains_key(&sk) {
                    st.rt.endpoints.insert(sk.clone(), Default::default());
                }
                let Some(entry) = st.rt.endpoints.get_mut(&sk) else {
                    continue;
                };
                let old = entry.get(&pk.1);
                if old != new.as_ref() {
                    let before = match new.clone() {
                        Some(m) => entry.insert(pk.1.clone(), m),
                        None => entry.remove(&pk.1),
                    };
                    changes
                        .entry(sk.clone())
                        .or_default()
                        .push((pk.1.clone(), before, new));
                    dirty.insert(sk.clone());
                }
            }
        }
    }
    for sk in dirty {
        let done = !svc_changed.contains(&sk)
            && !REBUILD_ALWAYS.with(std::cell::Cell::get)
            && changes.get(&sk).is_some_and(|c| apply_changes(st, &sk, c));
        if !done {
            write_endpoints(st, &sk);
        }
        remember_written(st, &sk);
    }
}

/// A member change: (pod name, before, after).
type Change = (String, Option<Member>, Option<Member>);

/// Record the resourceVersions the service's Endpoints and EndpointSlice have right after the
/// controller left them equal to a rebuild from its members.
fn remember_written(st: &mut State, sk: &Key) {
    let ep = st
        .store
        .get::<Endpoints>(&sk.0, &sk.1)
        .and_then(|e| e.metadata.resource_version.clone());
    let slice = st
        .store
        .endpointslices
        .iter()
        .find(|((ns, _), s)| ns == &sk.0 && service_of(s) == Some(sk.1.as_str()))
        .and_then(|((_, n), s)| Some((n.clone(), s.metadata.resource_version.clone()?)));
    match (ep, slice) {
        (Some(ep), Some((name, rv))) => {
            st.rt.endpoints_written.insert(sk.clone(), (ep, name, rv));
        }
        _ => {
            st.rt.endpoints_written.remove(sk);
        }
    }
}

/// Apply a batch of member changes to the stored Endpoints and EndpointSlice in place, exactly
/// as `write_endpoints` would rebuild them (same content, one write per object that changes):
/// only while no member list is truncated and both objects are as the controller left them
/// (nobody else wrote them since). `false`: not applied, rebuild.
fn apply_changes(st: &mut State, sk: &Key, changes: &[Change]) -> bool {
    let members = st
        .rt
        .endpoints
        .get(sk)
        .map_or(0, crate::vecmap::VecMap::len);
    if members.saturating_add(changes.len()) > MAX_ENDPOINTS {
        return false;
    }
    let Some((ep_rv, slice_name, slice_rv)) = st.rt.endpoints_written.get(sk).cloned() else {
        return false;
    };
    let stored_rv = |rv: Option<&String>, want: &str| rv.is_some_and(|r| r == want);
    let (Some(ep), Some(slice)) = (
        st.store.get::<Endpoints>(&sk.0, &sk.1),
        st.store.get::<EndpointSlice>(&sk.0, &slice_name),
    ) else {
        return false;
    };
    if !stored_rv(ep.metadata.resource_version.as_ref(), &ep_rv)
        || !stored_rv(slice.metadata.resource_version.as_ref(), &slice_rv)
        || service_of(slice) != Some(sk.1.as_str())
    {
        return false;
    }
    let Some(svc) = st.store.get_shared::<Service>(&sk.0, &sk.1) else {
        return false;
    };
    let ns = sk.0.as_str();
    // Endpoints: a live member's address in `addresses` (ready) or `notReadyAddresses`.
    let ep_entry = |name: &str, m: &Option<Member>| {
        m.as_ref()
            .filter(|m| !m.terminating)
            .map(|m| (m.ready, endpoint_address(ns, name, m)))
    };
    let ep_edits: Vec<_> = changes
        .iter()
        .map(|(n, b, a)| (n.as_str(), ep_entry(n, b), ep_entry(n, a)))
        .filter(|(_, b, a)| b != a)
        .collect();
    let slice_edits: Vec<_> = changes
        .iter()
        .map(|(n, b, a)| {
            let e = |m: &Option<Member>| m.as_ref().map(|m| slice_endpoint(ns, n, m));
            (n.as_str(), e(b), e(a))
        })
        .filter(|(_, b, a)| b != a)
        .collect();
    if !ep_edits.is_empty() {
        let ports = service_ports(&svc);
        let r = st
            .store
            .update_in_place::<Endpoints>(Actor::Endpoints, &sk.0, &sk.1, |ep| {
                edit_subsets(&mut ep.subsets, &ports, ep_edits)
            });
        if r.is_err() {
            return false;
        }
    }
    if !slice_edits.is_empty() {
        let r =
            st.store
                .update_in_place::<EndpointSlice>(Actor::Endpoints, &sk.0, &slice_name, |s| {
                    for (name, before, after) in slice_edits {
                        if before.is_some()
                            && let Ok(i) = s
                                .endpoints
                                .binary_search_by(|e| by_name(&e.target_ref, name))
                        {
                            s.endpoints.remove(i);
                        }
                        if let Some(e) = after
                            && let Err(i) = s
                                .endpoints
                                .binary_search_by(|e| by_name(&e.target_ref, name))
                        {
                            s.endpoints.insert(i, e);
                        }
                    }
                });
        if r.is_err() {
            return false;
        }
    }
    true
}

/// Order of an entry by its pod's name (entries are sorted by pod name, as the members are).
fn by_name(r: &Option<ObjectReference>, name: &str) -> std::cmp::Ordering {
    r.as_ref()
        .and_then(|r| r.name.as_deref())
        .unwrap_or("")
        .cmp(name)
}

type AddressEdit<'a> = (
    &'a str,
    Option<(bool, EndpointAddress)>,
    Option<(bool, EndpointAddress)>,
);

/// Apply address edits to an Endpoints' subsets, leaving them as `write_endpoints` builds them.
fn edit_subsets(
    subsets: &mut Option<Vec<EndpointSubset>>,
    ports: &[(Option<String>, i32, String)],
    edits: Vec<AddressEdit<'_>>,
) {
    let mut first = subsets.take().and_then(|v| v.into_iter().next());
    let (mut ready, mut not_ready, port_list) = match first.as_mut() {
        Some(s) => (
            s.addresses.take().unwrap_or_default(),
            s.not_ready_addresses.take().unwrap_or_default(),
            s.ports.take(),
        ),
        None => (Vec::new(), Vec::new(), None),
    };
    for (name, before, after) in edits {
        if let Some((was_ready, _)) = before {
            let list = if was_ready {
                &mut ready
            } else {
                &mut not_ready
            };
            if let Ok(i) = list.binary_search_by(|a| by_name(&a.target_ref, name)) {
                list.remove(i);
            }
        }
        if let Some((is_ready, a)) = after {
            let list = if is_ready { &mut ready } else { &mut not_ready };
            if let Err(i) = list.binary_search_by(|a| by_name(&a.target_ref, name)) {
                list.insert(i, a);
            }
        }
    }
    *subsets = if ready.is_empty() && not_ready.is_empty() {
        None
    } else {
        Some(vec![EndpointSubset {
            addresses: (!ready.is_empty()).then_some(ready),
            not_ready_addresses: (!not_ready.is_empty()).then_some(not_ready),
            ports: Some(port_list.unwrap_or_else(|| endpoint_ports(ports))),
        }])
    };
}

/// A Service's ports as the endpoints carry them: (name, target port, protocol).
fn service_ports(svc: &Service) -> Vec<(Option<String>, i32, String)> {
    svc.spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|p| {
            let target = match &p.target_port {
                Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i)) => *i,
                _ => p.port,
            };
            (
                p.name.clone(),
                target,
                p.protocol.clone().unwrap_or_else(|| "TCP".into()),
            )
        })
        .collect()
}

fn endpoint_ports(ports: &[(Option<String>, i32, String)]) -> Vec<EndpointPort> {
    ports
        .iter()
        .map(|(n, p, proto)| EndpointPort {
            name: n.clone(),
            port: *p,
            protocol: Some(proto.clone()),
            ..Default::default()
        })
        .collect()
}

/// The reference to a member's pod.
fn pod_ref(ns: &str, name: &str, m: &Member) -> ObjectReference {
    ObjectReference {
        kind: Some("Pod".into()),
        name: Some(name.to_string()),
        namespace: Some(ns.to_string()),
        uid: Some(m.uid.clone()),
        ..Default::default()
    }
}

/// A member's address in the Endpoints object.
fn endpoint_address(ns: &str, name: &str, m: &Member) -> EndpointAddress {
    EndpointAddress {
        ip: m.ip.clone(),
        hostname: m.hostname.clone(),
        node_name: m.node.clone(),
        target_ref: Some(pod_ref(ns, name, m)),
    }
}

/// A member's endpoint in the EndpointSlice.
fn slice_endpoint(ns: &str, name: &str, m: &Member) -> Endpoint {
    Endpoint {
        addresses: vec![m.ip.clone()],
        conditions: Some(EndpointConditions {
            ready: Some(m.ready && !m.terminating),
            serving: Some(m.ready),
            terminating: Some(m.terminating),
        }),
        hostname: m.hostname.clone(),
        node_name: m.node.clone(),
        target_ref: Some(pod_ref(ns, name, m)),
        ..Default::default()
    }
}

fn service_of(s: &EndpointSlice) -> Option<&str> {
    s.metadata
        .labels
        .as_ref()?
        .get("kubernetes.io/service-name")
        .map(String::as_str)
}

fn write_endpoints(st: &mut State, sk: &Key) {
    let Some(svc) = st.store.get_shared::<Service>(&sk.0, &sk.1) else {
        return;
    };
    // Read in place (a field of the state apart from the store written below): a service's
    // members are as many as its pods.
    let no_members = crate::vecmap::VecMap::new();
    let members = st.rt.endpoints.get(sk).unwrap_or(&no_members);
    let headless = svc.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None");
    let ports = service_ports(&svc);
    let addr = |name: &str, m: &Member| endpoint_address(&sk.0, name, m);
    let live: Vec<(&String, &Member)> = members.iter().filter(|(_, m)| !m.terminating).collect();
    let ready: Vec<EndpointAddress> = live
        .iter()
        .filter(|(_, m)| m.ready)
        .take(MAX_ENDPOINTS)
        .map(|(n, m)| addr(n, m))
        .collect();
    let not_ready: Vec<EndpointAddress> = live
        .iter()
        .filter(|(_, m)| !m.ready)
        .take(MAX_ENDPOINTS.saturating_sub(ready.len()))
        .map(|(n, m)| addr(n, m))
        .collect();
    let subsets = if ready.is_empty() && not_ready.is_empty() {
        None
    } else {
        Some(vec![EndpointSubset {
            addresses: if ready.is_empty() { None } else { Some(ready) },
            not_ready_addresses: if not_ready.is_empty() {
                None
            } else {
                Some(not_ready)
            },
            ports: Some(endpoint_ports(&ports)),
        }])
    };
    let mut labels: BTreeMap<String, String> = svc.metadata.labels.clone().unwrap_or_default();
    if headless {
        labels.insert("service.kubernetes.io/headless".into(), String::new());
    }
    let now = st.now;
    let ep = Endpoints {
        metadata: ObjectMeta {
            name: Some(sk.1.clone()),
            namespace: Some(sk.0.clone()),
            labels: if labels.is_empty() {
                None
            } else {
                Some(labels.clone())
            },
            ..Default::default()
        },
        subsets,
    };
    // Compared where stored; a change copies the stored metadata only (not its old subsets).
    match st.store.get::<Endpoints>(&sk.0, &sk.1) {
        Some(old) => {
            if old.subsets != ep.subsets || old.metadata.labels != ep.metadata.labels {
                let o = Endpoints {
                    metadata: ObjectMeta {
                        labels: ep.metadata.labels,
                        ..k8sjson::copy(&old.metadata)
                    },
                    subsets: ep.subsets,
                };
                let _ = st.store.update_shared(Actor::Endpoints, o);
            }
        }
        None => {
            let _ = st.store.create_shared(Actor::Endpoints, ep, now);
        }
    }
    // One EndpointSlice (name `<svc>-<5 chars>`, deterministic).
    let mut sl_labels = labels;
    sl_labels.insert(
        "endpointslice.kubernetes.io/managed-by".into(),
        "endpointslice-controller.k8s.io".into(),
    );
    sl_labels.insert("kubernetes.io/service-name".into(), sk.1.clone());
    let endpoints: Vec<Endpoint> = members
        .iter()
        .take(MAX_ENDPOINTS)
        .map(|(n, m)| slice_endpoint(&sk.0, n, m))
        .collect();
    let slice_ports: Vec<SlicePort> = ports
        .iter()
        .map(|(n, p, proto)| SlicePort {
            name: n.clone(),
            port: Some(*p),
            protocol: Some(proto.clone()),
            ..Default::default()
        })
        .collect();
    let existing = st
        .store
        .endpointslices
        .iter()
        .find(|((ns, _), s)| ns == &sk.0 && service_of(s) == Some(sk.1.as_str()))
        .map(|(_, s)| s);
    match existing {
        Some(s) => {
            if s.endpoints != endpoints || s.ports.as_ref() != Some(&slice_ports) {
                let s = EndpointSlice {
                    metadata: k8sjson::copy(&s.metadata),
                    address_type: s.address_type.clone(),
                    endpoints,
                    ports: Some(slice_ports),
                };
                let _ = st.store.update_shared(Actor::Endpoints, s);
            }
        }
        None => {
            let suffix: String = {
                const ALPHA: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
                (0..5)
                    .map(|_| {
                        let i = usize::try_from(st.rng.next_u64() % 27).unwrap_or(0);
                        char::from(ALPHA.get(i).copied().unwrap_or(b'x'))
                    })
                    .collect()
            };
            let s = EndpointSlice {
                metadata: ObjectMeta {
                    name: Some(format!("{}-{suffix}", sk.1)),
                    namespace: Some(sk.0.clone()),
                    labels: Some(sl_labels),
                    ..Default::default()
                },
                address_type: "IPv4".into(),
                endpoints,
                ports: Some(slice_ports),
            };
            let _ = st.store.create_shared(Actor::Endpoints, s, now);
        }
    }
}

/// DNS: A records for `name` asked from a pod in namespace `ns` (search path
/// `<ns>.svc.cluster.local svc.cluster.local cluster.local`).
pub fn resolve(store: &Store, ns: &str, name: &str) -> Vec<(String, String)> {
    let name = name.trim_end_matches('.');
    let candidates: Vec<String> = if name.ends_with(".cluster.local") {
        vec![name.to_string()]
    } else {
        vec![
            format!("{name}.{ns}.svc.cluster.local"),
            format!("{name}.svc.cluster.local"),
            format!("{name}.cluster.local"),
        ]
    };
    for fq in candidates {
        let Some(rest) = fq.strip_suffix(".svc.cluster.local") else {
            continue;
        };
        let parts: Vec<&str> = rest.split('.').collect();
        match parts.as_slice() {
            [svc, sns] => {
                let Some(s) = store.get::<Service>(sns, svc) else {
                    continue;
                };
                let ip = s
                    .spec
                    .as_ref()
                    .and_then(|x| x.cluster_ip.clone())
                    .unwrap_or_default();
                if ip != "None" && !ip.is_empty() {
                    return vec![(fq.clone(), ip)];
                }
                let ep = store.get::<Endpoints>(sns, svc);
                let addrs: Vec<(String, String)> = ep
                    .and_then(|e| k8sjson::copy(&e.subsets))
                    .unwrap_or_default()
                    .iter()
                    .flat_map(|ss| k8sjson::copy(&ss.addresses).unwrap_or_default())
                    .map(|a| (fq.clone(), a.ip))
                    .collect();
                if !addrs.is_empty() {
                    return addrs;
                }
            }
            [host, svc, sns] => {
                let ep = store.get::<Endpoints>(sns, svc);
                let hit = ep
                    .and_then(|e| k8sjson::copy(&e.subsets))
                    .unwrap_or_default()
                    .iter()
                    .flat_map(|ss| k8sjson::copy(&ss.addresses).unwrap_or_default())
                    .find(|a| a.hostname.as_deref() == Some(*host));
                if let Some(a) = hit {
                    return vec![(fq.clone(), a.ip)];
                }
            }
            _ => {}
        }
    }
    Vec::new()
}

/// The cluster DNS's PTR answer for `ip` (CoreDNS `kubernetes` plugin, `reverse.go`): a
/// Service's cluster IP names the Service (`kube-dns.kube-system.svc.cluster.local`); an
/// endpoint of a Service names its hostname under the Service
/// (`web-0.nginx.default.svc.cluster.local`), or its dashed IP when it has none.
pub fn reverse(store: &Store, ip: &str) -> Option<String> {
    for s in store.list::<Service>(None) {
        if s.spec.as_ref().and_then(|x| x.cluster_ip.as_deref()) == Some(ip) {
            let ns = s.metadata.namespace.as_deref().unwrap_or("default");
            let name = s.metadata.name.as_deref().unwrap_or_default();
            return Some(format!("{name}.{ns}.svc.cluster.local"));
        }
    }
    for e in store.list::<Endpoints>(None) {
        let ns = e.metadata.namespace.as_deref().unwrap_or("default");
        let svc = e.metadata.name.as_deref().unwrap_or_default();
        for ss in e.subsets.iter().flatten() {
            for a in ss.addresses.iter().flatten() {
                if a.ip == ip {
                    let host = a.hostname.clone().unwrap_or_else(|| ip.replace('.', "-"));
                    return Some(format!("{host}.{svc}.{ns}.svc.cluster.local"));
                }
            }
        }
    }
    None
}

/// All DNS records of the pods behind headless Services in a namespace: (fqdn, ip).
pub fn records(store: &Store, ns: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in store.list::<Endpoints>(Some(ns)) {
        let svc = e.metadata.name.clone().unwrap_or_default();
        for ss in e.subsets.iter().flatten() {
            for a in ss.addresses.iter().flatten() {
                if let Some(h) = &a.hostname {
                    out.push((format!("{h}.{svc}.{ns}.svc.cluster.local"), a.ip.clone()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::ServiceSpec;

    fn store_with_headless() -> Store {
        let mut s = Store::new();
        s.create(
            Actor::User,
            Service {
                metadata: ObjectMeta {
                    name: Some("nginx-headless".into()),
                    ..Default::default()
                },
                spec: Some(ServiceSpec {
                    cluster_ip: Some("None".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
            0,
        )
        .unwrap();
        s.create(
            Actor::User,
            Endpoints {
                metadata: ObjectMeta {
                    name: Some("nginx-headless".into()),
                    ..Default::default()
                },
                subsets: Some(vec![EndpointSubset {
                    addresses: Some(vec![
                        EndpointAddress {
                            ip: "10.244.0.5".into(),
                            hostname: Some("web-0".into()),
                            ..Default::default()
                        },
                        EndpointAddress {
                            ip: "10.244.0.6".into(),
                            hostname: Some("web-1".into()),
                            ..Default::default()
                        },
                    ]),
                    ..Default::default()
                }]),
            },
            0,
        )
        .unwrap();
        s
    }

    #[test]
    fn dns_names_of_a_headless_service() {
        let s = store_with_headless();
        let fq = "web-1.nginx-headless.default.svc.cluster.local";
        assert_eq!(
            resolve(&s, "default", "web-1.nginx-headless"),
            vec![(fq.to_string(), "10.244.0.6".to_string())]
        );
        assert_eq!(
            resolve(&s, "other", fq),
            vec![(fq.to_string(), "10.244.0.6".to_string())]
        );
        assert_eq!(resolve(&s, "default", "nginx-headless").len(), 2);
        assert!(resolve(&s, "default", "web-9.nginx-headless").is_empty());
        assert!(resolve(&s, "other", "nginx-headless").is_empty());
        assert_eq!(records(&s, "default").len(), 2);
    }
}
