//! The resource types the playground serves, one table for the simulation and for kubectl
//! (the discovery RESTMapper): kind, plural resource, short names, group, whether namespaced,
//! and how a user's word (`po`, `pods`, `Pod`, `statefulset.apps`, `sts.apps`) resolves.

use crate::object::AnyObject;

/// The resource types the playground serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Res {
    Pod,
    Service,
    StatefulSet,
    Deployment,
    ReplicaSet,
    ControllerRevision,
    Pvc,
    Pv,
    StorageClass,
    Node,
    Event,
    Endpoints,
    EndpointSlice,
    Namespace,
    ConfigMap,
    Secret,
    PodDisruptionBudget,
}

pub const ALL: &[Res] = &[
    Res::Pod,
    Res::Service,
    Res::StatefulSet,
    Res::Deployment,
    Res::ReplicaSet,
    Res::ControllerRevision,
    Res::Pvc,
    Res::Pv,
    Res::StorageClass,
    Res::Node,
    Res::Event,
    Res::Endpoints,
    Res::EndpointSlice,
    Res::Namespace,
    Res::ConfigMap,
    Res::Secret,
    Res::PodDisruptionBudget,
];

impl Res {
    /// Plural resource name (`pods`).
    pub fn plural(self) -> &'static str {
        match self {
            Res::Pod => "pods",
            Res::Service => "services",
            Res::StatefulSet => "statefulsets",
            Res::Deployment => "deployments",
            Res::ReplicaSet => "replicasets",
            Res::ControllerRevision => "controllerrevisions",
            Res::Pvc => "persistentvolumeclaims",
            Res::Pv => "persistentvolumes",
            Res::StorageClass => "storageclasses",
            Res::Node => "nodes",
            Res::Event => "events",
            Res::Endpoints => "endpoints",
            Res::EndpointSlice => "endpointslices",
            Res::Namespace => "namespaces",
            Res::ConfigMap => "configmaps",
            Res::Secret => "secrets",
            Res::PodDisruptionBudget => "poddisruptionbudgets",
        }
    }
    pub fn kind(self) -> &'static str {
        match self {
            Res::Pod => "Pod",
            Res::Service => "Service",
            Res::StatefulSet => "StatefulSet",
            Res::Deployment => "Deployment",
            Res::ReplicaSet => "ReplicaSet",
            Res::ControllerRevision => "ControllerRevision",
            Res::Pvc => "PersistentVolumeClaim",
            Res::Pv => "PersistentVolume",
            Res::StorageClass => "StorageClass",
            Res::Node => "Node",
            Res::Event => "Event",
            Res::Endpoints => "Endpoints",
            Res::EndpointSlice => "EndpointSlice",
            Res::Namespace => "Namespace",
            Res::ConfigMap => "ConfigMap",
            Res::Secret => "Secret",
            Res::PodDisruptionBudget => "PodDisruptionBudget",
        }
    }
    pub fn group(self) -> &'static str {
        match self {
            Res::StatefulSet | Res::Deployment | Res::ReplicaSet | Res::ControllerRevision => {
                "apps"
            }
            Res::StorageClass => "storage.k8s.io",
            Res::EndpointSlice => "discovery.k8s.io",
            Res::PodDisruptionBudget => "policy",
            _ => "",
        }
    }
    pub fn version(self) -> &'static str {
        "v1"
    }
    pub fn api_version(self) -> String {
        if self.group().is_empty() {
            "v1".into()
        } else {
            format!("{}/v1", self.group())
        }
    }
    pub fn short_names(self) -> &'static [&'static str] {
        match self {
            Res::Pod => &["po"],
            Res::Service => &["svc"],
            Res::StatefulSet => &["sts"],
            Res::Deployment => &["deploy"],
            Res::ReplicaSet => &["rs"],
            Res::Pvc => &["pvc"],
            Res::Pv => &["pv"],
            Res::StorageClass => &["sc"],
            Res::Node => &["no"],
            Res::Event => &["ev"],
            Res::Endpoints => &["ep"],
            Res::Namespace => &["ns"],
            Res::ConfigMap => &["cm"],
            Res::PodDisruptionBudget => &["pdb"],
            _ => &[],
        }
    }
    pub fn namespaced(self) -> bool {
        !matches!(
            self,
            Res::Pv | Res::StorageClass | Res::Node | Res::Namespace
        )
    }
    /// `statefulsets.apps` / `pods`: the resource as the apiserver names it in errors.
    pub fn qualified_plural(self) -> String {
        if self.group().is_empty() {
            self.plural().into()
        } else {
            format!("{}.{}", self.plural(), self.group())
        }
    }
    /// `statefulset.apps` / `pod`: the name printer's prefix.
    pub fn name_prefix(self) -> String {
        let k = self.kind().to_ascii_lowercase();
        if self.group().is_empty() {
            k
        } else {
            format!("{k}.{}", self.group())
        }
    }

    /// Resolve what a user typed (`po`, `pods`, `Pod`, `statefulset.apps`, `sts.apps`...).
    pub fn lookup(word: &str) -> Option<Res> {
        let w = word.to_ascii_lowercase();
        let (name, group) = match w.split_once('.') {
            Some((n, g)) => (n.to_string(), Some(g.to_string())),
            None => (w.clone(), None),
        };
        ALL.iter().copied().find(|r| {
            let kind = r.kind().to_ascii_lowercase();
            let name_ok =
                name == r.plural() || name == kind || r.short_names().contains(&name.as_str());
            let group_ok = match &group {
                None => true,
                Some(g) => {
                    g == r.group()
                        || (r.group().is_empty() && g == "v1")
                        || g.strip_prefix("v1.").is_some_and(|rest| rest == r.group())
                }
            };
            name_ok && group_ok
        })
    }
}

/// Canonical plural for the resource names kubectl may hand us (`sts`, `StatefulSet`,
/// `statefulsets.apps` → `statefulsets`): the word before the first `.`, whatever the group.
pub fn canonical_resource(r: &str) -> Option<&'static str> {
    let base = r.split('.').next().unwrap_or(r);
    Res::lookup(base).map(Res::plural)
}

impl Res {
    /// The resource type of an object.
    pub fn of(obj: &AnyObject) -> Res {
        match obj {
            AnyObject::StatefulSet(_) => Res::StatefulSet,
            AnyObject::Deployment(_) => Res::Deployment,
            AnyObject::ReplicaSet(_) => Res::ReplicaSet,
            AnyObject::Service(_) => Res::Service,
            AnyObject::Pod(_) => Res::Pod,
            AnyObject::PersistentVolumeClaim(_) => Res::Pvc,
            AnyObject::PersistentVolume(_) => Res::Pv,
            AnyObject::StorageClass(_) => Res::StorageClass,
            AnyObject::ConfigMap(_) => Res::ConfigMap,
            AnyObject::Secret(_) => Res::Secret,
            AnyObject::Namespace(_) => Res::Namespace,
            AnyObject::Node(_) => Res::Node,
            AnyObject::ControllerRevision(_) => Res::ControllerRevision,
            AnyObject::PodDisruptionBudget(_) => Res::PodDisruptionBudget,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve() {
        assert_eq!(Res::lookup("po"), Some(Res::Pod));
        assert_eq!(Res::lookup("StatefulSet"), Some(Res::StatefulSet));
        assert_eq!(Res::lookup("sts"), Some(Res::StatefulSet));
        assert_eq!(Res::lookup("statefulsets.apps"), Some(Res::StatefulSet));
        assert_eq!(Res::lookup("storageclass"), Some(Res::StorageClass));
        assert_eq!(Res::lookup("pvc"), Some(Res::Pvc));
        assert_eq!(Res::lookup("deployments"), Some(Res::Deployment));
        assert_eq!(Res::lookup("deploy"), Some(Res::Deployment));
        assert_eq!(Res::lookup("rs"), Some(Res::ReplicaSet));
        assert_eq!(Res::lookup("replicaset.apps"), Some(Res::ReplicaSet));
        assert_eq!(Res::lookup("pdb"), Some(Res::PodDisruptionBudget));
        assert_eq!(
            Res::PodDisruptionBudget.name_prefix(),
            "poddisruptionbudget.policy"
        );
        assert_eq!(Res::lookup("daemonsets"), None);
        assert_eq!(Res::lookup("pods.apps"), None);
        assert_eq!(Res::StatefulSet.qualified_plural(), "statefulsets.apps");
        assert_eq!(
            Res::StorageClass.name_prefix(),
            "storageclass.storage.k8s.io"
        );
    }

    #[test]
    fn canonical_resources() {
        assert_eq!(canonical_resource("sts"), Some("statefulsets"));
        assert_eq!(canonical_resource("StatefulSet"), Some("statefulsets"));
        assert_eq!(
            canonical_resource("statefulsets.apps"),
            Some("statefulsets")
        );
        assert_eq!(
            canonical_resource("PersistentVolumeClaim"),
            Some("persistentvolumeclaims")
        );
        assert_eq!(canonical_resource("widgets"), None);
        for r in ALL {
            assert_eq!(canonical_resource(r.plural()), Some(r.plural()));
            assert_eq!(canonical_resource(r.kind()), Some(r.plural()));
            for s in r.short_names() {
                assert_eq!(canonical_resource(s), Some(r.plural()));
            }
        }
    }
}
