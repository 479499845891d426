//! `scan`: see `outbound_token::fuzzing::scan` for the oracle.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| outbound_token::fuzzing::scan(data));
