//! The one mapping from core errors to JavaScript errors.
//!
//! Every core [`Error`] becomes a JavaScript `Error` whose `code` names its kind
//! (`ERR_TOKEN_CHECKSUM`, ...) and whose message is the core's own, which never holds a token
//! or a key.

use napi::bindgen_prelude::{Env, JsError, Unknown};
use outbound_token::Error;

/// What the binding's functions return: errors carry a stable `code` string.
pub(crate) type Result<T> = napi::Result<T, &'static str>;

/// The stable `code` of each core error kind.
pub(crate) fn code(error: &Error) -> &'static str {
    match error {
        Error::InvalidHeaderName { .. } => "ERR_INVALID_HEADER_NAME",
        Error::InvalidHeaderValue { .. } => "ERR_INVALID_HEADER_VALUE",
        Error::TokenPrefix => "ERR_TOKEN_PREFIX",
        Error::TokenCharacter { .. } => "ERR_TOKEN_CHARACTER",
        Error::TokenLength { .. } => "ERR_TOKEN_LENGTH",
        Error::TokenChecksum => "ERR_TOKEN_CHECKSUM",
        Error::Random => "ERR_RANDOM",
        Error::MasterKeyLength { .. } => "ERR_MASTER_KEY_LENGTH",
        Error::InvalidHex { .. } => "ERR_INVALID_HEX",
        Error::HexLength { .. } => "ERR_HEX_LENGTH",
        Error::TimeOutOfRange => "ERR_TIME_OUT_OF_RANGE",
        Error::Io { .. } => "ERR_IO",
        Error::KeyringFile { .. } => "ERR_KEYRING_FILE",
        Error::InvalidTenantId => "ERR_INVALID_TENANT_ID",
        Error::DuplicateTenant(_) => "ERR_DUPLICATE_TENANT",
        Error::UnknownTenant(_) => "ERR_UNKNOWN_TENANT",
        Error::DuplicateToken => "ERR_DUPLICATE_TOKEN",
        // The core may add kinds; they surface under this code until they get their own.
        _ => "ERR_OUTBOUND_TOKEN",
    }
}

/// A core error as the error a binding function throws: the core's message, never a token.
pub(crate) fn to_js(error: Error) -> napi::Error<&'static str> {
    napi::Error::new(code(&error), error.to_string())
}

/// A core error as a rejection for an `AsyncTask`, whose errors cannot carry a `code` string:
/// the JavaScript error is built here, with its code, and rejected as it is.
pub(crate) fn to_rejection(env: &Env, error: Error) -> napi::Error {
    let value: Unknown<'_> = JsError::from(to_js(error)).into_unknown(*env);
    napi::Error::from(value)
}

/// An argument out of the range the core accepts (a grace period, an offset past 2^53).
pub(crate) fn out_of_range(message: &str) -> napi::Error<&'static str> {
    napi::Error::new("ERR_OUT_OF_RANGE", message.to_owned())
}

/// A failure of Node-API itself (scheduling work, say), under a code of its own.
pub(crate) fn internal(error: napi::Error) -> napi::Error<&'static str> {
    napi::Error::new("ERR_NAPI", error.reason.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_code_and_no_secret_in_the_message() {
        let secret = "otk_test_7Qm2VwXr9LpZ4sKd";
        let errors = [
            outbound_token::find(b"", "").err(),
            outbound_token::set_header(b"", "X-Key", "a\r\nb").err(),
            outbound_token::Token::parse("xtk_").err(),
            outbound_token::Token::opaque("otk test 7Qm2VwXr9LpZ4sKd").err(),
            outbound_token::Token::opaque("otk_short").err(),
            outbound_token::Token::parse(&format!("otk_{}", "a".repeat(49))).err(),
            outbound_token::MasterKey::from_bytes(&[0; 8]).err(),
            outbound_token::MasterKey::from_hex("zz").err(),
            outbound_token::MasterKey::from_hex("00").err(),
            outbound_token::Keyring::from_toml_str(&format!(
                "version = 1\nsecret = \"{secret}\"\n"
            ))
            .err(),
            outbound_token::Keyring::load("/nonexistent/outbound-token/keyring.toml").err(),
            outbound_token::Keyring::new()
                .add_tenant("bad id", None)
                .err(),
            outbound_token::Keyring::new().retire("nobody").err(),
            Some(Error::Random),
            Some(Error::TimeOutOfRange),
            Some(Error::DuplicateTenant("acme".into())),
            Some(Error::DuplicateToken),
        ];
        let mut codes = Vec::new();
        for error in errors {
            let error = error.expect("each call above fails");
            let js = to_js(error.clone());
            assert_eq!(js.status, code(&error));
            assert!(
                js.status.starts_with("ERR_") && js.status != "ERR_OUTBOUND_TOKEN",
                "{error:?}"
            );
            assert!(!js.reason.contains(secret), "{}", js.reason);
            codes.push(js.status);
        }
        let count = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), count, "two kinds share a code: {codes:?}");
    }
}
