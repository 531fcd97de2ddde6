//! The command language (kubectl ..., sim ...) and kubectl-identical printers
