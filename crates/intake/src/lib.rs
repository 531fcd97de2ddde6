//! YAML/JSON text to typed API objects with apiserver defaults, validation and line:col diagnostics
