//! One value for "any object a user can hand the simulation": what intake produces from a
//! manifest and what `kubectl apply/create/replace` turn into store writes.

use k8s_openapi::api::apps::v1::{ControllerRevision, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{
    ConfigMap, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service,
};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{Metadata, Resource};

#[derive(Debug)]
pub enum AnyObject {
    StatefulSet(Box<StatefulSet>),
    Deployment(Box<Deployment>),
    ReplicaSet(Box<ReplicaSet>),
    Service(Box<Service>),
    Pod(Box<Pod>),
    PersistentVolumeClaim(Box<PersistentVolumeClaim>),
    PersistentVolume(Box<PersistentVolume>),
    StorageClass(Box<StorageClass>),
    ConfigMap(Box<ConfigMap>),
    Secret(Box<Secret>),
    Namespace(Box<Namespace>),
    Node(Box<Node>),
    ControllerRevision(Box<ControllerRevision>),
    PodDisruptionBudget(Box<PodDisruptionBudget>),
}

macro_rules! each {
    ($self:expr, $o:ident => $e:expr) => {
        match $self {
            AnyObject::StatefulSet($o) => $e,
            AnyObject::Deployment($o) => $e,
            AnyObject::ReplicaSet($o) => $e,
            AnyObject::Service($o) => $e,
            AnyObject::Pod($o) => $e,
            AnyObject::PersistentVolumeClaim($o) => $e,
            AnyObject::PersistentVolume($o) => $e,
            AnyObject::StorageClass($o) => $e,
            AnyObject::ConfigMap($o) => $e,
            AnyObject::Secret($o) => $e,
            AnyObject::Namespace($o) => $e,
            AnyObject::Node($o) => $e,
            AnyObject::ControllerRevision($o) => $e,
            AnyObject::PodDisruptionBudget($o) => $e,
        }
    };
}

pub(crate) use each as each_object;

impl Clone for AnyObject {
    /// A deep copy through [`k8sjson::copy`] (the derived `Clone` would bring every
    /// k8s-openapi type's `Clone` into the bundle, issue #17).
    fn clone(&self) -> Self {
        macro_rules! copy {
            ($($v:ident),*) => {
                match self {
                    $(AnyObject::$v(o) => AnyObject::$v(Box::new(k8sjson::copy(&**o))),)*
                }
            };
        }
        copy!(
            StatefulSet,
            Deployment,
            ReplicaSet,
            Service,
            Pod,
            PersistentVolumeClaim,
            PersistentVolume,
            StorageClass,
            ConfigMap,
            Secret,
            Namespace,
            Node,
            ControllerRevision,
            PodDisruptionBudget
        )
    }
}

impl PartialEq for AnyObject {
    /// The same kind and the same JSON tree ([`k8sjson::same`]; the derived equality would
    /// bring every k8s-openapi type's `PartialEq` into the bundle, issue #17).
    fn eq(&self, other: &Self) -> bool {
        self.kind() == other.kind() && self.to_json() == other.to_json()
    }
}

macro_rules! from_object {
    ($($t:ident),*) => {$(
        impl From<$t> for AnyObject {
            fn from(o: $t) -> Self {
                AnyObject::$t(Box::new(o))
            }
        }
    )*};
}
from_object!(
    StatefulSet,
    Deployment,
    ReplicaSet,
    Service,
    Pod,
    PersistentVolumeClaim,
    PersistentVolume,
    StorageClass,
    ConfigMap,
    Secret,
    Namespace,
    Node,
    ControllerRevision,
    PodDisruptionBudget
);

fn kind_of<T: Resource>(_: &T) -> &'static str {
    T::KIND
}
fn api_version_of<T: Resource>(_: &T) -> &'static str {
    T::API_VERSION
}

impl AnyObject {
    pub fn kind(&self) -> &'static str {
        each!(self, o => kind_of(o.as_ref()))
    }
    pub fn api_version(&self) -> &'static str {
        each!(self, o => api_version_of(o.as_ref()))
    }
    pub fn metadata(&self) -> &ObjectMeta {
        each!(self, o => o.metadata())
    }
    pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
        each!(self, o => o.metadata_mut())
    }
    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or("")
    }
    /// `kubectl`'s `<resource>.<group>` prefix for messages, e.g. `statefulset.apps`.
    pub fn kubectl_type(&self) -> String {
        let kind = self.kind().to_ascii_lowercase();
        let av = self.api_version();
        match av.split_once('/') {
            Some((group, _)) => format!("{kind}.{group}"),
            None => kind,
        }
    }
    /// Whether the kind is namespaced.
    pub fn namespaced(&self) -> bool {
        !matches!(
            self,
            AnyObject::PersistentVolume(_)
                | AnyObject::StorageClass(_)
                | AnyObject::Namespace(_)
                | AnyObject::Node(_)
        )
    }
    pub fn to_json(&self) -> serde_json::Value {
        each!(self, o => k8sjson::to_value(o.as_ref()))
    }
}
