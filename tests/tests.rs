//! Vetted's integration tests: one binary, one module per feature, driven through the public API
//! of `vetted-core` and the `vetted` executable.

mod util;

mod bad_input;
mod batch_import;
mod batch_scan;
mod docx;
mod docx_redact;
mod fuzz_corpus;
mod image_ingest;
mod image_redact;
mod limits;
mod offline;
mod pdf_build;
mod pdf_read;
mod pdf_redact;
mod photo_builder;
mod scan_cli;
mod scan_rules;
mod watch;
mod workspace;
