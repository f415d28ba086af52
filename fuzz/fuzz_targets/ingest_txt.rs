//! Fuzz target `ingest_txt`: see `vetted_fuzz::ingest_txt` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vetted_fuzz::ingest_txt(data);
});
