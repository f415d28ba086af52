//! Vetted's integration tests: one binary, one module per feature, driven through the public API
//! of `vetted-core` and the `vetted` executable.

mod util;

mod docx;
mod docx_redact;
mod image_ingest;
mod image_redact;
mod pdf_build;
mod pdf_read;
mod pdf_redact;
mod photo_builder;
mod scan_cli;
mod scan_rules;
mod workspace;
