//! `strip`: see `outbound_token::fuzzing::strip` for the oracle.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| outbound_token::fuzzing::strip(data));
