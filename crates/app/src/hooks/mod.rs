//! Custom hooks (cf. Yew's `function_todomvc`, `src/hooks/`).

mod use_persist;

pub use use_persist::use_persist;
