//! `set_header`: see `outbound_token::fuzzing::set_header` for the oracle.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| outbound_token::fuzzing::set_header(data));
