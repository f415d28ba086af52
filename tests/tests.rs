//! Vetted's integration tests: one binary, one module per feature, driven through the public API
//! of `vetted-core` and the `vetted` executable.

mod util;

mod scan_cli;
mod workspace;
