//! Outbound tenant tokens for email-security relays.
//!
//! A company's mail leaves through its cloud provider, whose sending addresses are shared by
//! thousands of tenants, and then through a security vendor's outbound relay. To tell tenants
//! apart, each tenant gets a secret token, and a provider rule stamps every outbound message
//! with a header, by default [`X-Vipre-Tenant-Key`](DEFAULT_HEADER). This crate is what the
//! relay runs on each message:
//!
//! - [`scan()`] and [`find`] read the header section of the raw message without copying it,
//!   following `docs/HEADER-RULES.md` (lines L1-L3, end of header E1-E5, fields F1-F4);
//! - [`strip`] removes every occurrence of the header and changes no other byte, so DKIM
//!   signatures survive (S1-S3);
//! - [`verify`] decides, in constant time over token digests, which tenant of a [`Keyring`]
//!   sent the message (or why none did: missing, unknown, malformed, ambiguous; V1-V5), and
//!   returns the stripped message whatever the verdict;
//! - [`Token`] generates, parses and derives tokens; the [`Keyring`] keeps only their digests
//!   and carries the grace period after a rotation;
//! - [`set_header`] stamps a message for senders that have no rule engine;
//! - [`inspect()`] diagnoses a sent message the way an admin checks the provider rule.
//!
//! # Example
//!
//! ```
//! use outbound_token::{Keyring, Policy, Token, verify};
//! use std::time::SystemTime;
//!
//! let token = Token::generate()?;
//! let mut keyring = Keyring::new();
//! keyring.add_tenant("acme", Some("Acme Corp"))?;
//! keyring.add_token("acme", &token, SystemTime::now())?;
//!
//! let message = outbound_token::set_header(b"To: b@example.org\r\n\r\nHi\r\n",
//!     outbound_token::DEFAULT_HEADER, token.expose_secret())?;
//! let result = verify(&message, &keyring, &Policy::new());
//! assert_eq!(result.verdict.tenant(), Some("acme"));
//! assert_eq!(result.stripped.to_vec(), b"To: b@example.org\r\n\r\nHi\r\n");
//! # Ok::<(), outbound_token::Error>(())
//! ```
//!
//! # Design
//!
//! The scanner is a single forward pass over whole lines with `memchr`, driven by one private
//! cursor type; it never allocates per field and never reads the body. Fields are reported as
//! borrowed slices and byte spans that tile the input exactly (see [`scan`](mod@scan)), and
//! stripping is a splice over those spans. The crate has no `unsafe` code and logs nothing.
//!
//! # What is constant time
//!
//! A presented token is hashed with SHA-256 (time linear in its length, which is public), looked
//! up by digest, and confirmed with a constant-time comparison of two 32-byte digests, so the
//! time taken does not depend on where a wrong token differs from a right one. The verdict
//! itself, the number of token fields and the format check of the presented value are not
//! hidden. This is best effort: the compiler and the CPU give no hard guarantee, and
//! `benches/README.md` reports the measured t statistics.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        reason = "a relay parses mail from the whole internet: library code must not panic"
    )
)]

mod cursor;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod header;
pub mod inspect;
pub mod keyring;
pub mod scan;
mod set;
mod strip;
pub mod token;
mod verify;

pub use error::Error;
pub use inspect::{InspectOptions, Report, inspect};
pub use keyring::{DEFAULT_GRACE, KeyEntry, KeyMatch, Keyring, Tenant};
pub use scan::{DEFAULT_HEADER, EndKind, Field, HeaderEnd, Scanner, scan};
pub use set::set_header;
pub use strip::{Stripped, strip};
pub use token::{Malformed, MasterKey, Token, TokenDigest, check_presented};
pub use verify::{
    AmbiguousReason, Authenticated, Policy, UnknownReason, Verdict, VerdictKind, Verification,
    verify,
};

use header::HeaderName;

/// Every field named `header` in the header section of `message`, in order, as views that
/// borrow the message (F1-F4; names compare ASCII case-insensitively over their whole length).
///
/// ```
/// let message = b"X-Vipre-Tenant-Key: otk_abc\r\nTo: b@example.org\r\n\r\n";
/// let fields = outbound_token::find(message, outbound_token::DEFAULT_HEADER)?;
/// assert_eq!(fields.len(), 1);
/// assert_eq!(&*fields[0].token(), b"otk_abc");
/// assert_eq!(fields[0].span(), 0..29);
/// # Ok::<(), outbound_token::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::InvalidHeaderName`] when `header` is not a valid field name.
pub fn find<'a>(message: &'a [u8], header: &str) -> Result<Vec<Field<'a>>, Error> {
    let name = HeaderName::new(header)?;
    Ok(scan(message).filter(|field| name.matches(field)).collect())
}
