//! Fuzz target `redact_txt`: see `vetted_fuzz::redact_txt` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vetted_fuzz::redact_txt(data);
});
