//! Fuzz target `ingest_docx`: see `vetted_fuzz::ingest_docx` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vetted_fuzz::ingest_docx(data);
});
