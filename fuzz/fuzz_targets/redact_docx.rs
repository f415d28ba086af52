//! Fuzz target `redact_docx`: see `vetted_fuzz::redact_docx` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vetted_fuzz::redact_docx(data);
});
