//! Resource types as kubectl resolves them (the discovery RESTMapper): the table is the
//! simulation's (`sim::resources`), shared so the two never disagree on a kind, a plural, a
//! short name or whether a type is namespaced.

pub use sim::resources::{ALL, Res};
