//! Fuzz target `rule_pack`: see `vetted_fuzz::rule_pack` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vetted_fuzz::rule_pack(data);
});
