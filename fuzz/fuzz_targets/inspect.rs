//! `inspect`: see `outbound_token::fuzzing::inspect` for the oracle.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| outbound_token::fuzzing::inspect(data));
