//! Tenant tokens, master keys and token digests.
//!
//! # The native token format
//!
//! A native token is 53 ASCII characters:
//!
//! ```text
//! otk_ <body: 43 base62 characters> <checksum: 6 base62 characters>
//! ```
//!
//! - *base62* uses the alphabet `0-9A-Z a-z` (digit values 0-61, in that order) and writes a
//!   big-endian unsigned integer with a fixed number of digits, padded on the left with `0`.
//! - The *body* is 32 bytes (256 bits), read as one big-endian integer, in 43 digits
//!   (62^43 > 2^256).
//! - The *checksum* is the CRC-32 (IEEE 802.3, as in zlib and gzip; the check value of
//!   `123456789` is `0xCBF43926`) of the 43 body characters, in 6 digits (62^6 > 2^32). It
//!   catches a mistyped or lost character before the token reaches a keyring; it is not a
//!   security measure.
//!
//! `X-Vipre-Tenant-Key: ` followed by a native token is 73 characters, below the 78 at which
//! RFC 5322 asks senders to fold, so no provider folds the field.
//!
//! Tokens issued elsewhere are *opaque*: 16 to 512 printable ASCII characters (0x21-0x7E),
//! compared exactly like native ones.
//!
//! # Derived tokens
//!
//! [`Token::derive`] makes a tenant's token from a [`MasterKey`], so a token can be re-created
//! instead of stored. The derivation, for implementations in other languages:
//!
//! ```text
//! message = "outbound-token/v1" || 0x00 || UTF-8(tenant_id) || 0x00 || u32_be(version)
//! mac     = HMAC-SHA256(key = master key bytes, message)
//! body    = base62_43(mac)
//! token   = "otk_" || body || base62_6(CRC-32(body))
//! ```
//!
//! The version is the last four bytes of the message, so the encoding is injective for any
//! tenant id, including one that contains NUL.
//!
//! # Secrets
//!
//! [`Token`] and [`MasterKey`] keep their text in [`Zeroizing`] buffers, wiped on drop (clones
//! too), and their `Debug` and `Display` show at most a redacted hint. The full text of a token
//! is only available through [`Token::expose_secret`]. Errors never quote a token or a key.
//!
//! Equality of tokens ([`PartialEq`] for [`Token`], [`TokenDigest::ct_eq`]) compares SHA-256
//! digests, which have a fixed length, with [`subtle`]'s constant-time comparison. As with
//! any such code this is best effort: it depends on the compiler and the hardware. Encoding,
//! parsing and hex decoding branch on the characters of the secret; they run when a token or
//! key is created or loaded, not on the path an attacker can time.

use core::fmt;

use hmac::{Hmac, Mac};
use rand::TryRngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::Error;

/// The prefix of every native token.
pub const PREFIX: &str = "otk_";

/// Length of a native token's body: 43 base62 characters encoding 32 bytes.
pub const BODY_LEN: usize = 43;

/// Length of a native token's checksum: 6 base62 characters encoding a CRC-32.
pub const CHECKSUM_LEN: usize = 6;

/// Length of a native token: prefix, body and checksum.
pub const NATIVE_LEN: usize = PREFIX.len() + BODY_LEN + CHECKSUM_LEN;

/// Shortest opaque token accepted, in bytes.
pub const OPAQUE_MIN_LEN: usize = 16;

/// Longest opaque token accepted, in bytes.
pub const OPAQUE_MAX_LEN: usize = 512;

/// Shortest master key accepted, in bytes.
pub const MASTER_KEY_MIN_LEN: usize = 32;

/// Domain separation for [`Token::derive`]: the first bytes of every HMAC message.
pub const DERIVATION_CONTEXT: &[u8] = b"outbound-token/v1\0";

/// Bytes of entropy in a generated token or master key.
const RANDOM_LEN: usize = 32;

/// A tenant's secret token: native (see the [module docs](self)) or opaque.
///
/// The text is wiped from memory when the token is dropped. `Debug` and `Display` show only
/// [`redacted`](Token::redacted); equality is constant time over SHA-256 digests.
#[derive(Clone)]
pub struct Token {
    /// The trimmed text, always printable ASCII.
    text: Zeroizing<String>,
    /// Whether `text` is a well-formed native token (prefix, alphabet, length, checksum).
    native: bool,
}

impl Token {
    /// A new native token with 256 bits of entropy from the operating system's random source.
    ///
    /// The 32 random bytes are encoded as described in the [module docs](self): `otk_`, 43
    /// base62 characters, a 6-character checksum.
    ///
    /// ```
    /// let token = outbound_token::Token::generate()?;
    /// assert_eq!(token.expose_secret().len(), 53);
    /// assert!(token.is_native());
    /// # Ok::<(), outbound_token::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Random`] when the random source fails; this never panics.
    pub fn generate() -> Result<Token, Error> {
        Token::generate_from(&mut OsRng)
    }

    fn generate_from<R: TryRngCore>(rng: &mut R) -> Result<Token, Error> {
        let mut bytes = Zeroizing::new([0u8; RANDOM_LEN]);
        rng.try_fill_bytes(bytes.as_mut_slice())
            .map_err(|_| Error::Random)?;
        Ok(Token::native_from_bytes(&bytes))
    }

    /// Reads a native token, after trimming surrounding whitespace (anything
    /// [`char::is_whitespace`], plus the invisible U+200B-U+200D, U+2060 and U+FEFF that
    /// copying from documents tends to add).
    ///
    /// ```
    /// use outbound_token::{Error, Token};
    ///
    /// let token = Token::generate()?;
    /// let pasted = format!("  {}\n", token.expose_secret());
    /// assert_eq!(Token::parse(&pasted)?, token);
    /// assert_eq!(Token::parse("otk_"), Err(Error::TokenLength { actual: 4, expected: 53 }));
    /// # Ok::<(), outbound_token::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Checked in this order:
    /// - [`Error::TokenPrefix`] when it does not start with `otk_`;
    /// - [`Error::TokenLength`] when it is not 53 characters long;
    /// - [`Error::TokenCharacter`] for a character outside base62 (position in bytes);
    /// - [`Error::TokenChecksum`] when the checksum does not match the body.
    pub fn parse(text: &str) -> Result<Token, Error> {
        let text = trim(text);
        check_native(text)?;
        Ok(Token {
            text: Zeroizing::new(text.to_owned()),
            native: true,
        })
    }

    /// Reads a token issued elsewhere, after trimming as [`parse`](Token::parse) does: 16 to
    /// 512 printable ASCII characters (0x21-0x7E). A well-formed native token is accepted too.
    ///
    /// # Errors
    ///
    /// - [`Error::TokenCharacter`] for a byte outside 0x21-0x7E (a space, a control
    ///   character, anything non-ASCII);
    /// - [`Error::TokenLength`] when it is shorter than 16 or longer than 512 bytes, with the
    ///   nearest bound as `expected`.
    pub fn opaque(text: &str) -> Result<Token, Error> {
        let text = trim(text);
        if let Some(position) = text.bytes().position(|b| !is_printable(b)) {
            return Err(Error::TokenCharacter { position });
        }

        let actual = text.len();
        if actual < OPAQUE_MIN_LEN {
            return Err(Error::TokenLength {
                actual,
                expected: OPAQUE_MIN_LEN,
            });
        }
        if actual > OPAQUE_MAX_LEN {
            return Err(Error::TokenLength {
                actual,
                expected: OPAQUE_MAX_LEN,
            });
        }
        let native = check_native(text).is_ok();
        Ok(Token {
            text: Zeroizing::new(text.to_owned()),
            native,
        })
    }

    /// Reads a token given by a person, as a keyring tool's `--token` option does.
    ///
    /// After trimming, text that *looks native* (it starts with `otk_` and only base62
    /// characters follow) must pass [`parse`](Token::parse), so a mistyped or truncated native
    /// token is caught by its length or checksum. Text that starts with a whole native token
    /// and goes on (pasted twice, or with a stray quote) is rejected for its length. Anything
    /// else is read as [`opaque`](Token::opaque): `otk_test_7Qm2VwXr9LpZ4sKd` has an underscore
    /// after the prefix and is accepted as an opaque token.
    ///
    /// # Errors
    ///
    /// The errors of [`parse`](Token::parse) for native-looking text, else those of
    /// [`opaque`](Token::opaque).
    pub fn import(text: &str) -> Result<Token, Error> {
        let text = trim(text);
        if looks_native(text.as_bytes()) {
            return Token::parse(text);
        }
        let starts_native = text
            .get(..NATIVE_LEN)
            .is_some_and(|head| check_native(head).is_ok());
        if starts_native && text.len() > NATIVE_LEN {
            return Err(Error::TokenLength {
                actual: text.chars().count(),
                expected: NATIVE_LEN,
            });
        }
        Token::opaque(text)
    }

    /// The token of `tenant_id`, version `version`, derived from `master`: a native token whose
    /// body is HMAC-SHA256 of a domain-separated message (see the [module docs](self) for the
    /// exact encoding).
    ///
    /// The same inputs always give the same token; a new `version` gives an unrelated one, for
    /// rotation. Anyone holding the master key can re-create every tenant's token.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTenantId`] when `tenant_id` is not one a [`Keyring`](crate::Keyring)
    /// accepts (1 to 64 ASCII letters, digits, `-`, `_` or `.`): a token derived for it could
    /// never be added to a keyring.
    pub fn derive(master: &MasterKey, tenant_id: &str, version: u32) -> Result<Token, Error> {
        crate::keyring::check_tenant_id(tenant_id)?;
        let mut mac = keyed_hmac(&master.bytes);
        mac.update(DERIVATION_CONTEXT);
        mac.update(tenant_id.as_bytes());
        mac.update(&[0]);
        mac.update(&version.to_be_bytes());

        let mut bytes = Zeroizing::new([0u8; 32]);
        bytes.copy_from_slice(&mac.finalize().into_bytes());
        Ok(Token::native_from_bytes(&bytes))
    }

    /// The full text of the token. This is the only way to read it: call it where the token is
    /// written for its owner (a provider rule, a header being stamped), never to log it.
    pub fn expose_secret(&self) -> &str {
        &self.text
    }

    /// Whether the token is a well-formed native token (prefix, length, alphabet, checksum).
    pub fn is_native(&self) -> bool {
        self.native
    }

    /// A hint that tells tokens apart without revealing them: `otk_…` for a token that
    /// starts with the native prefix, `…` otherwise, then the last 4 characters.
    ///
    /// For a native token those characters are part of the checksum, not the body.
    pub fn redacted(&self) -> String {
        let text = self.text.as_str();
        let tail_start = text
            .char_indices()
            .rev()
            .nth(3)
            .map_or(0, |(index, _)| index);
        let tail = text.get(tail_start..).unwrap_or_default();
        let prefix = if text.starts_with(PREFIX) { PREFIX } else { "" };
        format!("{prefix}…{tail}")
    }

    /// The SHA-256 digest of the token's exact bytes, as a keyring stores it.
    pub fn digest(&self) -> TokenDigest {
        TokenDigest::of(self.text.as_bytes())
    }

    /// Encodes 32 bytes as a native token: prefix, body, checksum.
    fn native_from_bytes(bytes: &[u8; 32]) -> Token {
        let body = Zeroizing::new(encode_base62::<BODY_LEN>(bytes));
        let checksum = checksum_of(body.as_slice());

        // Allocated once at its final size, so no unwiped copy is left behind by a regrowth.
        let mut text = Zeroizing::new(String::with_capacity(NATIVE_LEN));
        text.push_str(PREFIX);
        text.extend(body.iter().chain(&checksum).map(|&b| char::from(b)));
        Token { text, native: true }
    }
}

impl PartialEq for Token {
    /// Constant time: compares the SHA-256 digests of both tokens.
    fn eq(&self, other: &Token) -> bool {
        self.digest().ct_eq(&other.digest())
    }
}

impl Eq for Token {}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Token")
            .field(&format_args!("{}", self.redacted()))
            .finish()
    }
}

impl fmt::Display for Token {
    /// The [`redacted`](Token::redacted) form, never the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// A secret from which [`Token::derive`] makes tenant tokens: at least 32 bytes, wiped on drop.
///
/// Its `Debug` shows only its length. A key file holds the key as hexadecimal text, see
/// [`from_hex`](MasterKey::from_hex).
#[derive(Clone)]
pub struct MasterKey {
    bytes: Zeroizing<Vec<u8>>,
}

impl MasterKey {
    /// A master key made of `bytes`.
    ///
    /// # Errors
    ///
    /// [`Error::MasterKeyLength`] when there are fewer than 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<MasterKey, Error> {
        if bytes.len() < MASTER_KEY_MIN_LEN {
            return Err(Error::MasterKeyLength {
                actual: bytes.len(),
                minimum: MASTER_KEY_MIN_LEN,
            });
        }
        Ok(MasterKey {
            bytes: Zeroizing::new(bytes.to_vec()),
        })
    }

    /// A new 32-byte (256-bit) master key from the operating system's random source.
    ///
    /// # Errors
    ///
    /// [`Error::Random`] when the random source fails.
    pub fn generate() -> Result<MasterKey, Error> {
        let mut bytes = Zeroizing::new(vec![0u8; RANDOM_LEN]);
        OsRng
            .try_fill_bytes(bytes.as_mut_slice())
            .map_err(|_| Error::Random)?;
        Ok(MasterKey { bytes })
    }

    /// Reads the text of a key file: hexadecimal digits (either case), an even number of them
    /// and at least 64 (32 bytes), with surrounding whitespace trimmed as
    /// [`Token::parse`] does. Nothing else may appear: no `0x`, no inner spaces, no comments.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidHex`] for a character that is not a hex digit (its position, in
    ///   characters after trimming);
    /// - [`Error::HexLength`] for an odd number of digits or fewer than 64.
    pub fn from_hex(text: &str) -> Result<MasterKey, Error> {
        let text = trim(text);
        let mut nibbles = Zeroizing::new(Vec::with_capacity(text.len()));
        for (position, c) in text.chars().enumerate() {
            let nibble = u8::try_from(c).ok().and_then(hex_value);
            nibbles.push(nibble.ok_or(Error::InvalidHex {
                what: "master key",
                position,
            })?);
        }

        let actual = nibbles.len();
        if actual % 2 != 0 || actual < 2 * MASTER_KEY_MIN_LEN {
            return Err(Error::HexLength {
                what: "master key",
                actual,
                expected: "an even number, at least 64",
            });
        }
        let mut bytes = Zeroizing::new(Vec::with_capacity(actual / 2));
        bytes.extend(nibbles.chunks_exact(2).map(join_nibbles));
        Ok(MasterKey { bytes })
    }

    /// The key as lowercase hexadecimal, as [`from_hex`](MasterKey::from_hex) reads it: for
    /// writing a key file. The returned text is wiped on drop; do not log it.
    pub fn expose_secret_hex(&self) -> Zeroizing<String> {
        let mut hex = Zeroizing::new(String::with_capacity(2 * self.bytes.len()));
        hex.extend(
            self.bytes
                .iter()
                .flat_map(|&b| [hex_char(b >> 4), hex_char(b & 0x0f)]),
        );
        hex
    }

    /// Length of the key in bytes (not secret).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always `false`: a master key has at least 32 bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MasterKey(<redacted, {} bytes>)", self.bytes.len())
    }
}

/// The SHA-256 digest of a token's exact bytes: what a keyring stores and looks up.
///
/// A digest cannot be inverted, and the digest of a 256-bit token reveals nothing usable about
/// it, so digests are not treated as secrets: the derived `PartialEq` and `Hash` are variable
/// time (a keyring's hash-map probe uses them). Decide whether a presented token matches with
/// the constant-time [`ct_eq`](TokenDigest::ct_eq). Low-entropy opaque tokens are the
/// exception: their digests can be brute-forced, so keep keyring files private anyway.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenDigest([u8; 32]);

impl TokenDigest {
    /// The SHA-256 digest of `bytes`, such as a presented header token. Time is linear in the
    /// length of `bytes`, which is public.
    pub fn of(bytes: &[u8]) -> TokenDigest {
        TokenDigest(Sha256::digest(bytes).into())
    }

    /// Constant-time equality of two digests.
    #[must_use]
    pub fn ct_eq(&self, other: &TokenDigest) -> bool {
        bool::from(ConstantTimeEq::ct_eq(self, other))
    }

    /// The 32 bytes of the digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The digest as 64 lowercase hexadecimal digits.
    pub fn to_hex(&self) -> String {
        self.0
            .iter()
            .flat_map(|&b| [hex_char(b >> 4), hex_char(b & 0x0f)])
            .collect()
    }

    /// Reads exactly 64 hexadecimal digits (either case), as written by
    /// [`to_hex`](TokenDigest::to_hex).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHex`] for a character that is not a hex digit, [`Error::HexLength`]
    /// when there are not exactly 64.
    pub fn from_hex(text: &str) -> Result<TokenDigest, Error> {
        let actual = text.chars().count();
        if let Some(position) = text.chars().position(|c| !c.is_ascii_hexdigit()) {
            return Err(Error::InvalidHex {
                what: "token digest",
                position,
            });
        }
        if actual != 64 {
            return Err(Error::HexLength {
                what: "token digest",
                actual,
                expected: "64",
            });
        }

        let mut digest = [0u8; 32];
        let nibbles = text.bytes().filter_map(hex_value).collect::<Vec<_>>();
        for (byte, pair) in digest.iter_mut().zip(nibbles.chunks_exact(2)) {
            *byte = join_nibbles(pair);
        }
        Ok(TokenDigest(digest))
    }
}

impl ConstantTimeEq for TokenDigest {
    fn ct_eq(&self, other: &TokenDigest) -> subtle::Choice {
        self.0.ct_eq(&other.0)
    }
}

impl fmt::Debug for TokenDigest {
    /// The first 8 hex digits only, to keep logs short.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.to_hex();
        write!(f, "TokenDigest({}…)", hex.get(..8).unwrap_or_default())
    }
}

/// Why a presented token value that the keyring did not know is malformed rather than
/// merely unknown; see [`check_presented`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Malformed {
    /// The value is empty.
    Empty,
    /// A byte is outside printable ASCII 0x21-0x7E: an inner space, a control character, or
    /// anything non-ASCII such as a pasted no-break space.
    InvalidCharacter,
    /// Shorter than the 16 bytes of the shortest opaque token.
    TooShort,
    /// Longer than the 512 bytes of the longest opaque token.
    TooLong,
    /// A native-looking value shorter than a native token: a token cut short.
    Truncated,
    /// A native-looking value longer than a native token.
    BadLength,
    /// A native token whose checksum does not match its body: a character was changed.
    Checksum,
}

impl Malformed {
    /// A short lowercase explanation that never holds the value.
    pub fn as_str(self) -> &'static str {
        match self {
            Malformed::Empty => "empty token",
            Malformed::InvalidCharacter => "token has a character outside printable ascii",
            Malformed::TooShort => "token is shorter than 16 bytes",
            Malformed::TooLong => "token is longer than 512 bytes",
            Malformed::Truncated => "token is shorter than a native token: it was cut short",
            Malformed::BadLength => "token is longer than a native token",
            Malformed::Checksum => "token checksum does not match: a character was changed",
        }
    }
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Classifies a presented header token value that the keyring did not know: `Ok` when it is
/// well formed (the verdict is then "unknown"), the reason when it is malformed.
///
/// The value is checked as presented, with no trimming: pass the token the scanner extracted.
/// In order: [`Empty`](Malformed::Empty), [`InvalidCharacter`](Malformed::InvalidCharacter);
/// then a native-looking value (`otk_` followed only by base62 characters) must have the
/// native length ([`Truncated`](Malformed::Truncated), [`BadLength`](Malformed::BadLength))
/// and checksum ([`Checksum`](Malformed::Checksum)); any other value must have the length of
/// an opaque token ([`TooShort`](Malformed::TooShort), [`TooLong`](Malformed::TooLong)).
///
/// # Errors
///
/// The [`Malformed`] reason, as above.
pub fn check_presented(value: &[u8]) -> Result<(), Malformed> {
    if value.is_empty() {
        return Err(Malformed::Empty);
    }
    if !value.iter().all(|&b| is_printable(b)) {
        return Err(Malformed::InvalidCharacter);
    }

    if looks_native(value) {
        return match value.len().cmp(&NATIVE_LEN) {
            core::cmp::Ordering::Less => Err(Malformed::Truncated),
            core::cmp::Ordering::Greater => Err(Malformed::BadLength),
            core::cmp::Ordering::Equal if checksum_matches(value) => Ok(()),
            core::cmp::Ordering::Equal => Err(Malformed::Checksum),
        };
    }
    if value.len() < OPAQUE_MIN_LEN {
        return Err(Malformed::TooShort);
    }
    if value.len() > OPAQUE_MAX_LEN {
        return Err(Malformed::TooLong);
    }
    Ok(())
}

/// Surrounding whitespace, including the invisible characters that copy and paste adds.
pub(crate) fn trim(text: &str) -> &str {
    text.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
    })
}

/// The checks of [`Token::parse`], on trimmed text.
fn check_native(text: &str) -> Result<(), Error> {
    if !text.starts_with(PREFIX) {
        return Err(Error::TokenPrefix);
    }

    // Characters, not bytes: a pasted non-ASCII character is then reported as such.
    let actual = text.chars().count();
    if actual != NATIVE_LEN {
        return Err(Error::TokenLength {
            actual,
            expected: NATIVE_LEN,
        });
    }
    let after_prefix = text
        .bytes()
        .skip(PREFIX.len())
        .position(|b| !b.is_ascii_alphanumeric());
    if let Some(offset) = after_prefix {
        return Err(Error::TokenCharacter {
            position: PREFIX.len() + offset,
        });
    }
    if !checksum_matches(text.as_bytes()) {
        return Err(Error::TokenChecksum);
    }
    Ok(())
}

/// `otk_` followed only by base62 characters (possibly none).
fn looks_native(value: &[u8]) -> bool {
    value
        .strip_prefix(PREFIX.as_bytes())
        .is_some_and(|rest| rest.iter().all(u8::is_ascii_alphanumeric))
}

/// Whether the last 6 characters of a 53-byte native-looking token are the checksum of its body.
fn checksum_matches(token: &[u8]) -> bool {
    let Some((body, checksum)) = token
        .get(PREFIX.len()..)
        .and_then(|rest| rest.split_at_checked(BODY_LEN))
    else {
        return false;
    };
    checksum.len() == CHECKSUM_LEN && bool::from(checksum.ct_eq(&checksum_of(body)))
}

/// The 6-character checksum of a body: CRC-32 in fixed-width base62.
fn checksum_of(body: &[u8]) -> [u8; CHECKSUM_LEN] {
    encode_base62::<CHECKSUM_LEN>(&crc32fast::hash(body).to_be_bytes())
}

/// `value`, a big-endian unsigned integer, in exactly `N` base62 digits, most significant first
/// and padded with `0`. Callers pass values below 62^N (32 bytes for 43 digits, 4 for 6).
fn encode_base62<const N: usize>(value: &[u8]) -> [u8; N] {
    let mut number = Zeroizing::new(value.to_vec());
    let mut digits = [b'0'; N];
    for digit in digits.iter_mut().rev() {
        *digit = base62_char(div_rem_62(&mut number));
    }
    debug_assert!(
        number.iter().all(|&b| b == 0),
        "value does not fit in {N} base62 digits"
    );
    digits
}

/// Divides the big-endian integer `number` by 62 in place (schoolbook long division, one byte
/// at a time) and returns the remainder.
fn div_rem_62(number: &mut [u8]) -> u8 {
    let mut remainder = 0u16;
    for byte in number.iter_mut() {
        // remainder < 62, so accumulator < 62 * 256 and the quotient fits in a byte.
        let accumulator = (remainder << 8) | u16::from(*byte);
        *byte = u8::try_from(accumulator / 62).unwrap_or(u8::MAX);
        remainder = accumulator % 62;
    }
    u8::try_from(remainder).unwrap_or(0)
}

/// The base62 character of a digit value below 62.
fn base62_char(digit: u8) -> u8 {
    match digit {
        0..=9 => b'0' + digit,
        10..=35 => b'A' + (digit - 10),
        _ => b'a' + (digit - 36),
    }
}

/// A byte of a token: printable ASCII, no space.
fn is_printable(b: u8) -> bool {
    (0x21..=0x7E).contains(&b)
}

/// HMAC-SHA256 keyed with `key`.
#[expect(
    clippy::expect_used,
    reason = "HMAC accepts keys of any length (RFC 2104 section 2)"
)]
fn keyed_hmac(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn hex_char(nibble: u8) -> char {
    char::from(if nibble < 10 {
        b'0' + nibble
    } else {
        b'a' + (nibble - 10)
    })
}

/// The byte of a pair of nibbles (high first); used with `chunks_exact(2)`.
fn join_nibbles(pair: &[u8]) -> u8 {
    pair.iter().fold(0, |byte, &nibble| (byte << 4) | nibble)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    /// Test-only inverse of `encode_base62::<43>`: `None` on a bad character or a value of
    /// 2^256 or more.
    fn decode_base62(digits: &[u8]) -> Option<[u8; 32]> {
        let mut out = [0u8; 32];
        for &c in digits {
            let mut carry = u32::from(match c {
                b'0'..=b'9' => c - b'0',
                b'A'..=b'Z' => c - b'A' + 10,
                b'a'..=b'z' => c - b'a' + 36,
                _ => return None,
            });
            for byte in out.iter_mut().rev() {
                let acc = u32::from(*byte) * 62 + carry;
                *byte = (acc & 0xff) as u8;
                carry = acc >> 8;
            }
            if carry != 0 {
                return None;
            }
        }
        Some(out)
    }

    /// Test-only reference: a `u64` in `width` base62 digits, through integer arithmetic.
    fn base62_u64(mut n: u64, width: usize) -> String {
        let alphabet = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut out = vec![b'0'; width];
        for slot in out.iter_mut().rev() {
            *slot = alphabet[(n % 62) as usize];
            n /= 62;
        }
        assert_eq!(n, 0);
        String::from_utf8(out).unwrap()
    }

    fn with_char(text: &str, index: usize, c: char) -> String {
        text.char_indices()
            .map(|(i, old)| if i == index { c } else { old })
            .collect()
    }

    /// Every 8-character window of the token's body (and the whole token) is absent from `shown`.
    fn assert_hidden(secret: &str, shown: &str) {
        assert!(!shown.contains(secret), "{shown:?} shows the whole secret");
        let body = secret.strip_prefix(PREFIX).unwrap_or(secret);
        for window in body.as_bytes().windows(8) {
            let window = std::str::from_utf8(window).unwrap();
            assert!(!shown.contains(window), "{shown:?} shows {window:?}");
        }
    }

    #[test]
    fn base62_fixed_width_known_values() {
        let mut value = [0u8; 32];
        assert_eq!(encode_base62::<43>(&value), [b'0'; 43]);
        for n in [
            1u64,
            9,
            10,
            35,
            36,
            61,
            62,
            63,
            3843,
            3844,
            0xdead_beef,
            u64::MAX,
        ] {
            value[24..].copy_from_slice(&n.to_be_bytes());
            let encoded = encode_base62::<43>(&value);
            assert_eq!(
                std::str::from_utf8(&encoded).unwrap(),
                base62_u64(n, 43),
                "n = {n}"
            );
        }
        let max = encode_base62::<6>(&u32::MAX.to_be_bytes());
        assert_eq!(
            std::str::from_utf8(&max).unwrap(),
            base62_u64(u64::from(u32::MAX), 6)
        );
        assert_eq!(&encode_base62::<6>(&0u32.to_be_bytes()), b"000000");

        // 2^256 - 1, the largest body, still fits in 43 digits.
        let max = encode_base62::<43>(&[0xff; 32]);
        assert_eq!(decode_base62(&max), Some([0xff; 32]));
        assert_eq!(decode_base62(&[b'z'; 43]), None, "62^43 - 1 exceeds 2^256");
    }

    #[test]
    fn crc32_is_the_ieee_variant() {
        assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
    }

    proptest! {
        #[test]
        fn base62_round_trips(bytes in proptest::array::uniform32(any::<u8>())) {
            let encoded = encode_base62::<43>(&bytes);
            prop_assert!(encoded.iter().all(u8::is_ascii_alphanumeric));
            prop_assert_eq!(decode_base62(&encoded), Some(bytes));
        }

        #[test]
        fn native_from_bytes_parses(bytes in proptest::array::uniform32(any::<u8>())) {
            let token = Token::native_from_bytes(&bytes);
            let parsed = Token::parse(token.expose_secret());
            prop_assert_eq!(parsed, Ok(token.clone()));
            prop_assert_eq!(check_presented(token.expose_secret().as_bytes()), Ok(()));
        }
    }

    #[test]
    fn generate_round_trips_and_is_distinct() {
        let mut seen = HashSet::new();
        for _ in 0..1000 {
            let token = Token::generate().unwrap();
            let text = token.expose_secret();
            assert_eq!(text.len(), NATIVE_LEN);
            assert!(token.is_native());
            assert_eq!(Token::parse(text).unwrap(), token);
            assert_eq!(Token::import(text).unwrap(), token);
            assert!(seen.insert(text.to_owned()), "duplicate token");
        }
    }

    #[test]
    fn header_line_is_never_folded() {
        let token = Token::generate().unwrap();
        assert_eq!(NATIVE_LEN, 53);
        let line = format!("{}: {}", crate::DEFAULT_HEADER, token.expose_secret());
        assert_eq!(line.len(), 73);
        assert!(line.len() <= 78);
    }

    struct FailingRng;

    impl TryRngCore for FailingRng {
        type Error = &'static str;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Err("no entropy")
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Err("no entropy")
        }
        fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Self::Error> {
            Err("no entropy")
        }
    }

    #[test]
    fn failing_random_source_is_an_error() {
        assert_eq!(Token::generate_from(&mut FailingRng), Err(Error::Random));
    }

    #[test]
    fn parse_rejections() {
        let text = Token::generate().unwrap().expose_secret().to_owned();
        let last = text.len() - 1;
        let changed = with_char(
            &text,
            20,
            if text.as_bytes()[20] == b'A' {
                'B'
            } else {
                'A'
            },
        );
        let cases: Vec<(String, Error)> = vec![
            (String::new(), Error::TokenPrefix),
            ("   ".into(), Error::TokenPrefix),
            (
                "otk_".into(),
                Error::TokenLength {
                    actual: 4,
                    expected: 53,
                },
            ),
            (
                text[..last].into(),
                Error::TokenLength {
                    actual: 52,
                    expected: 53,
                },
            ),
            (
                format!("{text}0"),
                Error::TokenLength {
                    actual: 54,
                    expected: 53,
                },
            ),
            (
                format!("{text}{text}"),
                Error::TokenLength {
                    actual: 106,
                    expected: 53,
                },
            ),
            (changed, Error::TokenChecksum),
            (with_char(&text, 0, 'x'), Error::TokenPrefix),
            (format!("OTK_{}", &text[4..]), Error::TokenPrefix),
            (format!("tok_{}", &text[4..]), Error::TokenPrefix),
            (
                with_char(&text, 10, '-'),
                Error::TokenCharacter { position: 10 },
            ),
            (
                with_char(&text, 50, '_'),
                Error::TokenCharacter { position: 50 },
            ),
            (
                with_char(&text, 30, 'é'),
                Error::TokenCharacter { position: 30 },
            ),
            (
                with_char(&text, 30, ' '),
                Error::TokenCharacter { position: 30 },
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Token::parse(&input).unwrap_err(),
                expected,
                "input {input:?}"
            );
            if looks_native(input.as_bytes()) {
                assert_eq!(
                    Token::import(&input).unwrap_err(),
                    expected,
                    "import of {input:?}"
                );
            }
        }
    }

    #[test]
    fn every_single_character_change_is_caught() {
        let text = Token::generate().unwrap().expose_secret().to_owned();
        for index in PREFIX.len()..text.len() {
            for c in ['0', 'a', 'Z', 'q'] {
                let changed = with_char(&text, index, c);
                if changed != text {
                    assert_eq!(
                        Token::parse(&changed),
                        Err(Error::TokenChecksum),
                        "index {index}"
                    );
                }
            }
        }
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        let token = Token::generate().unwrap();
        let text = token.expose_secret();
        for wrapped in [
            format!(" {text} "),
            format!("\t{text}\r\n"),
            format!("\u{00A0}{text}\u{00A0}"),
            format!("\u{FEFF}{text}\u{200B}"),
            format!("\u{2060}\u{3000}{text}\n\n"),
        ] {
            assert_eq!(Token::parse(&wrapped).unwrap().expose_secret(), text);
            assert_eq!(Token::import(&wrapped).unwrap().expose_secret(), text);
            assert_eq!(Token::opaque(&wrapped).unwrap().expose_secret(), text);
        }
    }

    #[test]
    fn opaque_rules() {
        let ok = [
            "otk_test_7Qm2VwXr9LpZ4sKd",
            "0123456789abcdef",
            "!\"#$%&'()*+,-./~",
        ];
        for text in ok {
            let token = Token::opaque(text).unwrap();
            assert_eq!(token.expose_secret(), text);
            assert!(!token.is_native());
        }
        let long = "a".repeat(512);
        assert!(Token::opaque(&long).is_ok());

        let cases = [
            (
                "",
                Error::TokenLength {
                    actual: 0,
                    expected: 16,
                },
            ),
            (
                "0123456789abcde",
                Error::TokenLength {
                    actual: 15,
                    expected: 16,
                },
            ),
            ("0123456789 abcdef", Error::TokenCharacter { position: 10 }),
            (
                "0123456789\u{00A0}abcdef",
                Error::TokenCharacter { position: 10 },
            ),
            ("0123456789\tabcdef", Error::TokenCharacter { position: 10 }),
            (
                "0123456789\x7fabcdef",
                Error::TokenCharacter { position: 10 },
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(Token::opaque(input), Err(expected), "input {input:?}");
        }
        let too_long = "a".repeat(513);
        assert_eq!(
            Token::opaque(&too_long),
            Err(Error::TokenLength {
                actual: 513,
                expected: 512
            })
        );

        // A native token read as opaque is still recognized as native.
        let native = Token::generate().unwrap();
        assert!(Token::opaque(native.expose_secret()).unwrap().is_native());
    }

    #[test]
    fn import_rules() {
        let opaque = Token::import("otk_test_7Qm2VwXr9LpZ4sKd").unwrap();
        assert!(!opaque.is_native());
        assert_eq!(opaque.expose_secret(), "otk_test_7Qm2VwXr9LpZ4sKd");
        assert!(Token::import("sk_live_0123456789abcdef").is_ok());

        let text = Token::generate().unwrap().expose_secret().to_owned();
        let last = text.as_bytes()[52];
        let changed = with_char(&text, 52, if last == b'a' { 'b' } else { 'a' });
        assert_eq!(Token::import(&changed), Err(Error::TokenChecksum));
        assert_eq!(
            Token::import(&text[..40]),
            Err(Error::TokenLength {
                actual: 40,
                expected: 53
            })
        );
        assert_eq!(
            Token::import("otk_"),
            Err(Error::TokenLength {
                actual: 4,
                expected: 53
            })
        );
        assert_eq!(
            Token::import(&format!("{text}{text}")),
            Err(Error::TokenLength {
                actual: 106,
                expected: 53
            })
        );
        assert_eq!(
            Token::import(&format!("{text}\"")),
            Err(Error::TokenLength {
                actual: 54,
                expected: 53
            })
        );
    }

    fn test_master() -> MasterKey {
        MasterKey::from_bytes(&(0u8..32).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn derive_vectors() {
        // Computed independently with Python's hmac, hashlib and zlib.crc32 from the module
        // docs' description; master key bytes 0x00..=0x1f.
        let master = test_master();
        let vectors = [
            (
                "acme",
                1,
                "otk_hvBzFqsTGspLKmVivgArXTcqLuEJxKm9WbkPpYIN9DQ1iodvd",
            ),
            (
                "acme",
                2,
                "otk_vwoy82xYcE5kKWDvCMf1oDh2rQhnhd8edH6X72o5Izt4ed27x",
            ),
            (
                "globex",
                1,
                "otk_CzpJo3Nz1vaMpUYtgDbLAXYYoMFDPHImnwLiPARUz6I3WHy8F",
            ),
        ];
        for (tenant, version, expected) in vectors {
            let token = Token::derive(&master, tenant, version).unwrap();
            assert_eq!(
                token.expose_secret(),
                expected,
                "tenant {tenant:?} version {version}"
            );
            assert_eq!(Token::parse(expected).unwrap(), token);
        }
    }

    #[test]
    fn derive_matches_an_independent_hmac() {
        let key: Vec<u8> = (0u8..32).collect();
        let mut message = b"outbound-token/v1\0acme\0".to_vec();
        message.extend_from_slice(&1u32.to_be_bytes());
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
        mac.update(&message);
        let expected: [u8; 32] = mac.finalize().into_bytes().into();

        let token = Token::derive(&test_master(), "acme", 1).unwrap();
        let body = &token.expose_secret().as_bytes()[4..4 + BODY_LEN];
        assert_eq!(decode_base62(body), Some(expected));
    }

    #[test]
    fn derive_refuses_tenant_ids_a_keyring_refuses() {
        let master = test_master();
        for tenant in ["", "a b", "line\nbreak", "caf\u{e9}", &"x".repeat(65)] {
            assert_eq!(
                Token::derive(&master, tenant, 1).unwrap_err(),
                Error::InvalidTenantId,
                "{tenant:?}"
            );
        }
        assert!(Token::derive(&master, &"x".repeat(64), 1).is_ok());
    }

    #[test]
    fn derive_separates_inputs() {
        let master = test_master();
        let other = MasterKey::from_bytes(&[7u8; 64]).unwrap();
        let long = MasterKey::from_bytes(&[7u8; 100]).unwrap();
        let tokens = [
            Token::derive(&master, "acme", 1).unwrap(),
            Token::derive(&master, "acme", 2).unwrap(),
            Token::derive(&master, "acme2", 1).unwrap(),
            Token::derive(&master, "acm", 1).unwrap(),
            Token::derive(&other, "acme", 1).unwrap(),
            Token::derive(&long, "acme", 1).unwrap(),
        ];
        let distinct: HashSet<_> = tokens
            .iter()
            .map(|t| t.expose_secret().to_owned())
            .collect();
        assert_eq!(distinct.len(), tokens.len());
        assert!(tokens.iter().all(Token::is_native));
        assert_eq!(Token::derive(&master, "acme", 1).unwrap(), tokens[0]);
    }

    #[test]
    fn master_key_rules() {
        assert_eq!(
            MasterKey::from_bytes(&[1; 31]).unwrap_err(),
            Error::MasterKeyLength {
                actual: 31,
                minimum: 32
            }
        );
        let generated = MasterKey::generate().unwrap();
        assert_eq!(generated.len(), 32);

        let hex = generated.expose_secret_hex();
        assert_eq!(hex.len(), 64);
        let again = MasterKey::from_hex(&format!("  {}\n", hex.to_uppercase())).unwrap();
        assert_eq!(
            Token::derive(&again, "t", 1).unwrap(),
            Token::derive(&generated, "t", 1).unwrap()
        );
        assert_eq!(MasterKey::from_hex(&"ab".repeat(40)).unwrap().len(), 40);

        let short = "ab".repeat(31);
        assert_eq!(
            MasterKey::from_hex(&short).unwrap_err(),
            Error::HexLength {
                what: "master key",
                actual: 62,
                expected: "an even number, at least 64"
            }
        );
        let odd = "a".repeat(65);
        assert!(matches!(
            MasterKey::from_hex(&odd),
            Err(Error::HexLength { actual: 65, .. })
        ));
        let bad = format!("0x{}", "a".repeat(64));
        assert_eq!(
            MasterKey::from_hex(&bad).unwrap_err(),
            Error::InvalidHex {
                what: "master key",
                position: 1
            }
        );
        let inner_space = format!("{} {}", "a".repeat(32), "a".repeat(32));
        assert_eq!(
            MasterKey::from_hex(&inner_space).unwrap_err(),
            Error::InvalidHex {
                what: "master key",
                position: 32
            }
        );
    }

    #[test]
    fn secrets_never_shown() {
        let tokens = [
            Token::generate().unwrap(),
            Token::opaque("otk_test_7Qm2VwXr9LpZ4sKd").unwrap(),
            Token::opaque("supersecretvalue-1234567890").unwrap(),
        ];
        for token in &tokens {
            let secret = token.expose_secret();
            assert_hidden(secret, &format!("{token:?}"));
            assert_hidden(secret, &format!("{token}"));
            assert_hidden(secret, &format!("{:?}", token.digest()));
            assert_hidden(secret, &token.redacted());
        }
        let native = tokens[0].expose_secret();
        assert_eq!(tokens[0].redacted(), format!("otk_…{}", &native[49..]));
        assert_eq!(tokens[1].redacted(), "otk_…4sKd");
        assert_eq!(tokens[2].redacted(), "…7890");

        // Every error that input can produce, formatted.
        let mut text = native.to_owned();
        let mut inputs = vec![text.clone()];
        text.replace_range(10..11, "-");
        inputs.push(text.clone());
        inputs.push(with_char(
            native,
            20,
            if &native[20..21] == "A" { 'B' } else { 'A' },
        ));
        inputs.push(native[..52].to_owned());
        inputs.push(format!("{native} {native}"));
        inputs.push(format!("x{native}"));
        for input in &inputs {
            for result in [
                Token::parse(input),
                Token::opaque(input),
                Token::import(input),
            ] {
                if let Err(error) = result {
                    assert_hidden(native, &error.to_string());
                    assert_hidden(native, &format!("{error:?}"));
                }
            }
        }

        let master = MasterKey::generate().unwrap();
        let hex = master.expose_secret_hex();
        assert_hidden(&hex, &format!("{master:?}"));
        assert!(!format!("{master:?}").contains(&hex[..8]));
        for input in [
            format!("{}z", &hex[..63]),
            hex[..62].to_owned(),
            format!("{}g", hex.as_str()),
        ] {
            let error = MasterKey::from_hex(&input).unwrap_err();
            assert_hidden(&hex, &error.to_string());
            assert_hidden(&hex, &format!("{error:?}"));
        }
    }

    #[test]
    fn token_equality_and_digest() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_eq!(a, a.clone());
        assert_ne!(a, b);
        assert_eq!(a.digest(), TokenDigest::of(a.expose_secret().as_bytes()));
        assert!(a.digest().ct_eq(&a.clone().digest()));
        assert!(!a.digest().ct_eq(&b.digest()));
    }

    #[test]
    fn digest_hex() {
        let digest = TokenDigest::of(b"abc");
        let hex = digest.to_hex();
        assert_eq!(
            hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(TokenDigest::from_hex(&hex).unwrap(), digest);
        assert_eq!(TokenDigest::from_hex(&hex.to_uppercase()).unwrap(), digest);
        assert_eq!(format!("{digest:?}"), "TokenDigest(ba7816bf…)");
        assert_eq!(
            TokenDigest::from_hex(&hex[..63]),
            Err(Error::HexLength {
                what: "token digest",
                actual: 63,
                expected: "64"
            })
        );
        assert_eq!(
            TokenDigest::from_hex(&format!("{}x", &hex[..63])),
            Err(Error::InvalidHex {
                what: "token digest",
                position: 63
            })
        );
        assert_eq!(
            TokenDigest::from_hex(&format!("{hex}00")),
            Err(Error::HexLength {
                what: "token digest",
                actual: 66,
                expected: "64"
            })
        );
        assert!(TokenDigest::from_hex("é").is_err());
    }

    #[test]
    fn check_presented_table() {
        let native = Token::generate().unwrap().expose_secret().to_owned();
        let changed = with_char(&native, 30, if &native[30..31] == "A" { 'B' } else { 'A' });
        let cases: Vec<(Vec<u8>, Result<(), Malformed>)> = vec![
            (b"".to_vec(), Err(Malformed::Empty)),
            (
                b"0123456789 abcdef".to_vec(),
                Err(Malformed::InvalidCharacter),
            ),
            (
                b" 0123456789abcdef".to_vec(),
                Err(Malformed::InvalidCharacter),
            ),
            (
                b"0123456789\tabcdef".to_vec(),
                Err(Malformed::InvalidCharacter),
            ),
            (
                b"0123456789\x00abcdef".to_vec(),
                Err(Malformed::InvalidCharacter),
            ),
            (
                "0123456789\u{00A0}abcdef".as_bytes().to_vec(),
                Err(Malformed::InvalidCharacter),
            ),
            (
                format!("{native}\u{00A0}").into_bytes(),
                Err(Malformed::InvalidCharacter),
            ),
            (b"short".to_vec(), Err(Malformed::TooShort)),
            (b"0123456789abcde".to_vec(), Err(Malformed::TooShort)),
            (vec![b'a'; 513], Err(Malformed::TooLong)),
            (b"otk_".to_vec(), Err(Malformed::Truncated)),
            (b"otk_abc".to_vec(), Err(Malformed::Truncated)),
            (native.as_bytes()[..52].to_vec(), Err(Malformed::Truncated)),
            (native.as_bytes()[..20].to_vec(), Err(Malformed::Truncated)),
            (format!("{native}0").into_bytes(), Err(Malformed::BadLength)),
            (
                format!("otk_{}{}", &native[4..], &native[4..]).into_bytes(),
                Err(Malformed::BadLength),
            ),
            (changed.into_bytes(), Err(Malformed::Checksum)),
            (native.clone().into_bytes(), Ok(())),
            (b"otk_test_7Qm2VwXr9LpZ4sKd".to_vec(), Ok(())),
            (b"0123456789abcdef".to_vec(), Ok(())),
            (vec![b'a'; 512], Ok(())),
        ];
        for (value, expected) in cases {
            assert_eq!(
                check_presented(&value),
                expected,
                "value {:?}",
                String::from_utf8_lossy(&value)
            );
        }
    }

    #[test]
    fn malformed_messages_are_lowercase() {
        let all = [
            Malformed::Empty,
            Malformed::InvalidCharacter,
            Malformed::TooShort,
            Malformed::TooLong,
            Malformed::Truncated,
            Malformed::BadLength,
            Malformed::Checksum,
        ];
        for reason in all {
            let text = reason.to_string();
            assert_eq!(text, text.to_lowercase());
            assert!(!text.ends_with('.'));
        }
    }
}
