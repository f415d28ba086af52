//! Fuzz target `ingest_image`: see `vetted_fuzz::ingest_image` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vetted_fuzz::ingest_image(data);
});
