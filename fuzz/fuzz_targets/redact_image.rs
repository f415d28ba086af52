//! Fuzz target `redact_image`: see `vetted_fuzz::redact_image` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vetted_fuzz::redact_image(data);
});
