//! Fuzz target `ingest_pdf`: see `vetted_fuzz::ingest_pdf` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vetted_fuzz::ingest_pdf(data);
});
