//! Fuzz target `redact_pdf`: see `vetted_fuzz::redact_pdf` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vetted_fuzz::redact_pdf(data);
});
