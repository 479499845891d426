//! The crate's one error type.
//!
//! Messages are lowercase with no trailing period, and never contain a token, a master key or
//! any other secret: at most a byte offset, a length or a line number.

/// Everything that can go wrong in this crate.
///
/// Reading a message never fails: a malformed header section is reported by the scanner (see
/// [`HeaderEnd`](crate::HeaderEnd)) and by the verdict of [`verify`](crate::verify), never as an
/// error. Errors come from arguments the caller chose (a header name, a value, a token) and from
/// keyring files.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A header name was empty, or held a byte outside `%x21-39 / %x3B-7E` (RFC 5322 `ftext`).
    #[error(
        "invalid header field name: byte {offset} is not a printable ASCII character other than ':'"
    )]
    InvalidHeaderName {
        /// Offset of the first offending byte in the name (0 for an empty name).
        offset: usize,
    },

    /// A header value for [`set_header`](crate::set_header) held CR, LF or another control
    /// character, which would let it forge a second field or break the header section.
    #[error("invalid header field value: control character at byte {offset}")]
    InvalidHeaderValue {
        /// Offset of the first offending byte in the value.
        offset: usize,
    },

    /// A token did not start with the scheme prefix `otk_`.
    #[error("token does not start with the prefix 'otk_'")]
    TokenPrefix,

    /// A token held a character outside its alphabet.
    #[error("token has an invalid character at position {position}")]
    TokenCharacter {
        /// Position of the first offending character (in bytes, after trimming).
        position: usize,
    },

    /// A token had the wrong length (it was probably cut short or pasted twice).
    #[error("token has length {actual}, expected {expected}")]
    TokenLength {
        /// Length that was presented.
        actual: usize,
        /// Length the format requires (for opaque tokens: the nearest bound).
        expected: usize,
    },

    /// A token's checksum did not match its body: a character was mistyped or lost.
    #[error("token checksum does not match: a character was mistyped or lost")]
    TokenChecksum,

    /// The operating system's random source failed.
    #[error("the operating system's random number generator failed")]
    Random,

    /// A master key was too short to derive tokens from.
    #[error("master key has {actual} bytes, at least {minimum} are required")]
    MasterKeyLength {
        /// Length that was presented.
        actual: usize,
        /// The minimum accepted length.
        minimum: usize,
    },

    /// Text that should be hexadecimal (a master key file, a token digest) held a character
    /// that is not a hex digit.
    #[error("{what} is not hexadecimal: character {position} is not a hex digit")]
    InvalidHex {
        /// What was being read: `"master key"` or `"token digest"`.
        what: &'static str,
        /// Position of the first offending character (in characters, after trimming).
        position: usize,
    },

    /// Hexadecimal text (a master key file, a token digest) had the wrong number of digits.
    #[error("{what} has {actual} hex digits, expected {expected}")]
    HexLength {
        /// What was being read: `"master key"` or `"token digest"`.
        what: &'static str,
        /// Number of digits presented.
        actual: usize,
        /// What the format requires, in words.
        expected: &'static str,
    },

    /// A time or a grace period was outside what a keyring can record (before 1970, after
    /// 9999, or overflowing when added).
    #[error("time is out of range: keyring times must fall between 1970 and 9999")]
    TimeOutOfRange,

    /// Reading or writing a keyring file failed.
    #[error("cannot {action} '{path}': {message}")]
    Io {
        /// What was being done: `"read"`, `"write"`, `"replace"`.
        action: &'static str,
        /// The file concerned.
        path: String,
        /// The operating system's description of the failure (never file contents).
        message: String,
    },

    /// A keyring file could not be read as the documented schema.
    #[error("keyring file line {line}: {message}")]
    KeyringFile {
        /// 1-based line of the problem (0 when the file as a whole is at fault).
        line: usize,
        /// What is wrong, in words that never quote a token.
        message: String,
    },

    /// A tenant id was empty or held characters other than ASCII letters, digits, `-`, `_`, `.`.
    #[error("invalid tenant id: use 1 to 64 ASCII letters, digits, '-', '_' or '.'")]
    InvalidTenantId,

    /// A tenant with this id already exists in the keyring.
    #[error("tenant '{0}' already exists")]
    DuplicateTenant(String),

    /// No tenant with this id exists in the keyring.
    #[error("no tenant '{0}' in the keyring")]
    UnknownTenant(String),

    /// The token is already in the keyring (for this or another tenant).
    #[error("this token is already in the keyring")]
    DuplicateToken,
}
