//! The container shell the console is attached to (a leaf: the session holds one; `console`
//! and `verbs/run_pod.rs` use it).

/// The container shell the console is attached to (`kubectl run -i --tty … [--rm]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached {
    pub ns: String,
    pub pod: String,
    pub container: String,
    /// `--rm`: delete the pod when the shell exits.
    pub rm: bool,
    /// The shell's prompt (busybox's `/ # `).
    pub prompt: String,
}
