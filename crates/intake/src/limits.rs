//! Hard limits. Each one is reported with a clear error; none is reachable as a panic.

/// Whole input (the browser editor, a share link, a file): 1 MiB, the same bound etcd puts
/// on one object (apiserver `--max-request-bytes` default is 3 MiB; 1 MiB is plenty for manifests).
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// Documents (`---` chunks and `kind: List` items) per input.
pub const MAX_DOCUMENTS: usize = 256;
/// Nesting depth of one document (a real StatefulSet nests about 12 levels deep).
pub const MAX_DEPTH: usize = 64;
/// Nodes of one document after alias expansion. A StatefulSet is ~100 nodes; the wide-alias
/// bomb of the issue is 100 M.
pub const MAX_EXPANDED_NODES: u64 = 100_000;
/// Scalar bytes of one document after alias expansion.
pub const MAX_EXPANDED_BYTES: u64 = 4 << 20;
/// One scalar (the apiserver caps all annotations of an object at 256 KiB together).
pub const MAX_SCALAR_BYTES: usize = 256 << 10;
/// Replicas the simulation runs. The API allows up to 2^31-1; stsplay simulates every pod,
/// PVC and event, and draws them, so it caps a set at 100 pods (this is ours, not Kubernetes').
pub const MAX_REPLICAS: i32 = 100;
