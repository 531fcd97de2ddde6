//! Resource types as kubectl resolves them (the discovery RESTMapper): plural, singular, short
//! names, `TYPE.GROUP` forms, and the strings kubectl prints for each (`statefulsets.apps` in
//! errors, `statefulset.apps/x` from the name printer).

/// The resource types the playground serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Res {
    Pod,
    Service,
    StatefulSet,
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
}

pub const ALL: &[Res] = &[
    Res::Pod,
    Res::Service,
    Res::StatefulSet,
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
];

impl Res {
    /// Plural resource name (`pods`).
    pub fn plural(self) -> &'static str {
        match self {
            Res::Pod => "pods",
            Res::Service => "services",
            Res::StatefulSet => "statefulsets",
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
        }
    }
    pub fn kind(self) -> &'static str {
        match self {
            Res::Pod => "Pod",
            Res::Service => "Service",
            Res::StatefulSet => "StatefulSet",
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
        }
    }
    pub fn group(self) -> &'static str {
        match self {
            Res::StatefulSet | Res::ControllerRevision => "apps",
            Res::StorageClass => "storage.k8s.io",
            Res::EndpointSlice => "discovery.k8s.io",
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
            Res::Pvc => &["pvc"],
            Res::Pv => &["pv"],
            Res::StorageClass => &["sc"],
            Res::Node => &["no"],
            Res::Event => &["ev"],
            Res::Endpoints => &["ep"],
            Res::Namespace => &["ns"],
            Res::ConfigMap => &["cm"],
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
        assert_eq!(Res::lookup("deployments"), None);
        assert_eq!(Res::lookup("pods.apps"), None);
        assert_eq!(Res::StatefulSet.qualified_plural(), "statefulsets.apps");
        assert_eq!(
            Res::StorageClass.name_prefix(),
            "storageclass.storage.k8s.io"
        );
    }
}
