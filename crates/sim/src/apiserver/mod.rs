//! The apiserver's write path for what users send (kubectl create / apply / replace / scale /
//! delete, cordon and drain): admission and defaults (`admission`), create (`create`), the
//! three-way merge of client-side apply (`apply`), updates that keep status and server-owned
//! fields (`update`), deletion with grace periods and propagation (`delete`), and the node
//! writes of cordon and drain (`nodes`). The store (`crate::store`) is the registry underneath:
//! uid, resourceVersion, generation, graceful deletion and finalizers.

mod admission;
mod apply;
mod create;
mod delete;
mod nodes;
mod update;

pub use apply::LAST_APPLIED;
pub(crate) use create::create_any;
pub(crate) use delete::delete_resource;
pub use nodes::{EVICTION_REFUSED, budgets_of, drain_targets};
pub(crate) use nodes::{cordon, drain, evict};
pub(crate) use update::{scale, stored_of, update_any};
