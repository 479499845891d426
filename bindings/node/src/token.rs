//! `Token` and `MasterKey`: the secrets, redacted whenever they are printed.

use napi_derive::napi;

use crate::error::{Result, to_js};

/// A tenant's secret token: native (`otk_` + 43 base62 characters + a 6-character checksum)
/// or opaque (issued elsewhere, 16 to 512 printable ASCII characters).
///
/// `toString()`, `toJSON()` and `util.inspect` show only the redacted hint (`otk_…4sKd`);
/// `exposeSecret()` is the only way to read the text. There is no constructor: use
/// `generate`, `parse`, `opaque`, `import` or `derive`.
#[napi]
pub struct Token {
    pub(crate) inner: outbound_token::Token,
}

// Static methods taking arguments are `configurable` so that the package entry point
// (`outbound-token.cjs`) can put its argument type checks in front of them.
#[napi]
impl Token {
    /// A new native token with 256 bits of entropy from the operating system's random source.
    ///
    /// # Errors
    ///
    /// Throws `ERR_RANDOM` when the random source fails.
    #[napi(factory)]
    pub fn generate() -> Result<Token> {
        outbound_token::Token::generate()
            .map(Token::from)
            .map_err(to_js)
    }

    /// Reads a native token, after trimming surrounding whitespace.
    ///
    /// # Errors
    ///
    /// Throws, checked in this order, `ERR_TOKEN_PREFIX`, `ERR_TOKEN_LENGTH`,
    /// `ERR_TOKEN_CHARACTER` or `ERR_TOKEN_CHECKSUM`.
    #[napi(factory, configurable = true)]
    pub fn parse(text: String) -> Result<Token> {
        outbound_token::Token::parse(&text)
            .map(Token::from)
            .map_err(to_js)
    }

    /// Reads a token issued elsewhere, after trimming: 16 to 512 printable ASCII characters.
    ///
    /// # Errors
    ///
    /// Throws `ERR_TOKEN_CHARACTER` or `ERR_TOKEN_LENGTH`.
    #[napi(factory, configurable = true)]
    pub fn opaque(text: String) -> Result<Token> {
        outbound_token::Token::opaque(&text)
            .map(Token::from)
            .map_err(to_js)
    }

    /// Reads a token given by a person: text that looks native must pass `parse` (so a typo is
    /// caught by the checksum), anything else is read as `opaque`.
    ///
    /// # Errors
    ///
    /// Throws the errors of `parse` or of `opaque`.
    #[napi(factory, configurable = true, js_name = "import")]
    pub fn import_text(text: String) -> Result<Token> {
        outbound_token::Token::import(&text)
            .map(Token::from)
            .map_err(to_js)
    }

    /// The token of `tenantId`, version `version` (default 1), derived from `masterKey`: the
    /// same inputs always give the same native token, a new version an unrelated one.
    ///
    /// # Errors
    ///
    /// Throws `ERR_INVALID_TENANT_ID` for a tenant id a keyring would refuse.
    #[napi(factory, configurable = true)]
    pub fn derive(
        master_key: &MasterKey,
        tenant_id: String,
        version: Option<u32>,
    ) -> Result<Token> {
        outbound_token::Token::derive(&master_key.inner, &tenant_id, version.unwrap_or(1))
            .map(Token::from)
            .map_err(to_js)
    }

    /// The full text of the token. Call it only where the token is written for its owner (a
    /// provider rule, a header being stamped), never to log it.
    #[napi]
    pub fn expose_secret(&self) -> String {
        self.inner.expose_secret().to_owned()
    }

    /// A hint that tells tokens apart without revealing them: `otk_…` (or `…`) and the last 4
    /// characters.
    #[napi(getter)]
    pub fn redacted(&self) -> String {
        self.inner.redacted()
    }

    /// Whether the token is a well-formed native token (prefix, length, alphabet, checksum).
    #[napi(getter)]
    pub fn is_native(&self) -> bool {
        self.inner.is_native()
    }

    /// The SHA-256 digest of the token's bytes in hexadecimal, as a keyring stores it.
    #[napi(getter)]
    pub fn digest(&self) -> String {
        self.inner.digest().to_hex()
    }

    /// Whether both tokens are the same, compared in constant time (over their SHA-256 digests).
    #[napi]
    pub fn equals(&self, other: &Token) -> bool {
        self.inner == other.inner
    }

    /// The redacted hint, never the token.
    #[napi(js_name = "toString")]
    pub fn to_js_string(&self) -> String {
        self.inner.redacted()
    }

    /// The redacted hint, so `JSON.stringify` never writes the token.
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> String {
        self.inner.redacted()
    }

    /// What `util.inspect` and `console.log` show: `Token(otk_…4sKd)`, never the token.
    #[napi(symbol_for = "nodejs.util.inspect.custom")]
    pub fn inspect(&self) -> String {
        format!("Token({})", self.inner.redacted())
    }
}

impl From<outbound_token::Token> for Token {
    fn from(inner: outbound_token::Token) -> Self {
        Token { inner }
    }
}

/// A secret from which `Token.derive` makes tenant tokens: at least 32 bytes.
///
/// `toString()`, `toJSON()` and `util.inspect` show only its length. There is no constructor:
/// use `generate`, `fromHex` or `fromBytes`.
#[napi]
pub struct MasterKey {
    pub(crate) inner: outbound_token::MasterKey,
}

// `configurable` statics: see `Token`.
#[napi]
impl MasterKey {
    /// A new 32-byte master key from the operating system's random source.
    ///
    /// # Errors
    ///
    /// Throws `ERR_RANDOM` when the random source fails.
    #[napi(factory)]
    pub fn generate() -> Result<MasterKey> {
        outbound_token::MasterKey::generate()
            .map(MasterKey::from)
            .map_err(to_js)
    }

    /// Reads the text of a key file: an even number of hexadecimal digits, at least 64, with
    /// surrounding whitespace trimmed.
    ///
    /// # Errors
    ///
    /// Throws `ERR_INVALID_HEX` for a character that is not a hex digit and `ERR_HEX_LENGTH` for
    /// an odd number of digits or fewer than 64.
    #[napi(factory, configurable = true)]
    pub fn from_hex(text: String) -> Result<MasterKey> {
        outbound_token::MasterKey::from_hex(&text)
            .map(MasterKey::from)
            .map_err(to_js)
    }

    /// A master key made of `bytes` (copied).
    ///
    /// # Errors
    ///
    /// Throws `ERR_MASTER_KEY_LENGTH` when there are fewer than 32 bytes.
    #[napi(factory, configurable = true)]
    pub fn from_bytes(bytes: &[u8]) -> Result<MasterKey> {
        outbound_token::MasterKey::from_bytes(bytes)
            .map(MasterKey::from)
            .map_err(to_js)
    }

    /// The key as lowercase hexadecimal, as `fromHex` reads it: for writing a key file. Do not
    /// log it.
    #[napi]
    pub fn expose_secret_hex(&self) -> String {
        self.inner.expose_secret_hex().to_string()
    }

    /// `MasterKey(<redacted, N bytes>)`, never the key.
    #[napi(js_name = "toString")]
    pub fn to_js_string(&self) -> String {
        format!("{:?}", self.inner)
    }

    /// The same as `toString()`, so `JSON.stringify` never writes the key.
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> String {
        format!("{:?}", self.inner)
    }

    /// What `util.inspect` and `console.log` show: the same as `toString()`, never the key.
    #[napi(symbol_for = "nodejs.util.inspect.custom")]
    pub fn inspect(&self) -> String {
        format!("{:?}", self.inner)
    }
}

impl From<outbound_token::MasterKey> for MasterKey {
    fn from(inner: outbound_token::MasterKey) -> Self {
        MasterKey { inner }
    }
}
