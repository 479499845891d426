//! Corpora and peers for the outbound-token benchmarks.
//!
//! The bench targets in `benches/benches/` time the functions here side by side:
//!
//! - [`corpus`] builds the messages: typical Microsoft 365 and Google Workspace outbound mail
//!   (25 to 40 fields, 2 to 20 KB of body), and the large cases (a 10 MB body, 5,000 fields,
//!   one field folded over 10,000 lines), each carrying exactly one token field;
//! - [`peers`] finds and strips that field with outbound-token, mail-parser, mailparse, and a
//!   memchr floor that only finds the end of the header, counts its lines and copies the
//!   message once.
//!
//! Every function returns what it found, so the benches can assert on it inside the timed
//! closure: a benchmark that measured a wrong result would be worse than none.

pub mod corpus;
pub mod peers;

/// The tenant whose token every generated message carries.
pub const TENANT: &str = "t0000000";

/// The key the benchmark tokens are derived from (fixed, so every run measures the same bytes).
pub const MASTER_KEY: [u8; 32] = [0x5a; 32];

/// The id of the `index`-th benchmark tenant: `t` and seven digits, so [`TENANT`] is tenant 0.
pub fn tenant_id(index: usize) -> String {
    format!("t{index:07}")
}

/// The token of the `index`-th benchmark tenant, derived from [`MASTER_KEY`].
///
/// # Panics
///
/// Never: [`MASTER_KEY`] is long enough for a master key.
pub fn tenant_token(index: usize) -> outbound_token::Token {
    let master = outbound_token::MasterKey::from_bytes(&MASTER_KEY).expect("32-byte master key");
    outbound_token::Token::derive(&master, &tenant_id(index), 1).expect("tenant ids are valid")
}

/// A keyring of `tenants` tenants, each with one derived token; tenant 0 is [`TENANT`].
///
/// Building a million takes a few seconds (one HMAC, one SHA-256 and a few small allocations
/// each), so the benches build it once, outside the timing.
///
/// # Panics
///
/// Never: the ids are valid and distinct, and the derived tokens are distinct.
pub fn keyring(tenants: usize) -> outbound_token::Keyring {
    let master = outbound_token::MasterKey::from_bytes(&MASTER_KEY).expect("32-byte master key");
    let added = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_796_000_000);
    let mut keyring = outbound_token::Keyring::new();
    for index in 0..tenants {
        let id = tenant_id(index);
        let token = outbound_token::Token::derive(&master, &id, 1).expect("tenant ids are valid");
        keyring.add_tenant(&id, None).expect("valid, new tenant id");
        keyring.add_token(&id, &token, added).expect("new token");
    }
    keyring
}
