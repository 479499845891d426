//! `differential`: see `outbound_token::fuzzing::differential` for the oracle.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| outbound_token::fuzzing::differential(data));
