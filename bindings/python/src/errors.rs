//! The exception classes and the one function that maps core errors to them.
//!
//! Every exception is an [`OutboundTokenError`], which is a `ValueError`, so `except ValueError`
//! keeps working; each core [`Error`] variant has its own subclass, named after the variant with
//! `Error` appended. The message is the core error's `Display`, which never holds a token or a
//! key.

use outbound_token::Error;
use pyo3::prelude::*;
use pyo3::{PyErr, create_exception};

create_exception!(
    outbound_token,
    OutboundTokenError,
    pyo3::exceptions::PyValueError,
    "Base class of every error raised by outbound_token (a ValueError)."
);

/// Declares one subclass of [`OutboundTokenError`] per core error variant and
/// [`add_exceptions`], which adds them all to the module.
macro_rules! exceptions {
    ($($name:ident => $doc:literal,)*) => {
        $(create_exception!(outbound_token, $name, OutboundTokenError, $doc);)*

        /// Adds [`OutboundTokenError`] and every subclass to the module.
        pub(crate) fn add_exceptions(module: &Bound<'_, PyModule>) -> PyResult<()> {
            let py = module.py();
            module.add("OutboundTokenError", py.get_type::<OutboundTokenError>())?;
            $(module.add(stringify!($name), py.get_type::<$name>())?;)*
            Ok(())
        }
    };
}

exceptions! {
    InvalidHeaderNameError => "A header name was empty or held a byte not allowed in a field name.",
    InvalidHeaderValueError => "A header value held CR, LF or another control character.",
    TokenPrefixError => "A token did not start with the prefix 'otk_'.",
    TokenCharacterError => "A token held a character outside its alphabet.",
    TokenLengthError => "A token had the wrong length.",
    TokenChecksumError => "A token's checksum did not match its body.",
    RandomError => "The operating system's random number generator failed.",
    MasterKeyLengthError => "A master key was too short.",
    InvalidHexError => "Hexadecimal text (a master key, a digest) held a non-hex character.",
    HexLengthError => "Hexadecimal text (a master key, a digest) had the wrong number of digits.",
    TimeOutOfRangeError => "A time or grace period was outside what a keyring can record.",
    IoError => "Reading or writing a keyring file failed.",
    KeyringFileError => "A keyring file could not be read as the documented schema.",
    InvalidTenantIdError => "A tenant id was empty or held characters that are not allowed.",
    DuplicateTenantError => "A tenant with this id already exists in the keyring.",
    UnknownTenantError => "No tenant with this id exists in the keyring.",
    DuplicateTokenError => "The token is already in the keyring.",
}

/// The Python exception for a core error: its class by variant, its message the error's
/// `Display`. Variants added to the core later fall back to [`OutboundTokenError`].
pub(crate) fn to_py_err(error: Error) -> PyErr {
    let message = error.to_string();
    match error {
        Error::InvalidHeaderName { .. } => InvalidHeaderNameError::new_err(message),
        Error::InvalidHeaderValue { .. } => InvalidHeaderValueError::new_err(message),
        Error::TokenPrefix => TokenPrefixError::new_err(message),
        Error::TokenCharacter { .. } => TokenCharacterError::new_err(message),
        Error::TokenLength { .. } => TokenLengthError::new_err(message),
        Error::TokenChecksum => TokenChecksumError::new_err(message),
        Error::Random => RandomError::new_err(message),
        Error::MasterKeyLength { .. } => MasterKeyLengthError::new_err(message),
        Error::InvalidHex { .. } => InvalidHexError::new_err(message),
        Error::HexLength { .. } => HexLengthError::new_err(message),
        Error::TimeOutOfRange => TimeOutOfRangeError::new_err(message),
        Error::Io { .. } => IoError::new_err(message),
        Error::KeyringFile { .. } => KeyringFileError::new_err(message),
        Error::InvalidTenantId => InvalidTenantIdError::new_err(message),
        Error::DuplicateTenant(_) => DuplicateTenantError::new_err(message),
        Error::UnknownTenant(_) => UnknownTenantError::new_err(message),
        Error::DuplicateToken => DuplicateTokenError::new_err(message),
        _ => OutboundTokenError::new_err(message),
    }
}

#[cfg(test)]
mod tests {
    use pyo3::exceptions::PyValueError;
    use pyo3::type_object::PyTypeInfo;

    use super::*;

    fn check<T: PyTypeInfo>(error: Error) {
        let message = error.to_string();
        Python::attach(|py| {
            let err = to_py_err(error);
            assert!(
                err.is_instance_of::<T>(py),
                "{message}: {}",
                err.get_type(py)
            );
            assert!(err.is_instance_of::<OutboundTokenError>(py));
            assert!(err.is_instance_of::<PyValueError>(py));
            assert_eq!(err.value(py).to_string(), message);
            assert!(
                err.get_type(py).is(T::type_object(py)),
                "{message}: exactly the class"
            );
        });
    }

    #[test]
    fn every_variant_has_its_own_class() {
        Python::initialize();
        check::<InvalidHeaderNameError>(Error::InvalidHeaderName { offset: 1 });
        check::<InvalidHeaderValueError>(Error::InvalidHeaderValue { offset: 2 });
        check::<TokenPrefixError>(Error::TokenPrefix);
        check::<TokenCharacterError>(Error::TokenCharacter { position: 3 });
        check::<TokenLengthError>(Error::TokenLength {
            actual: 4,
            expected: 53,
        });
        check::<TokenChecksumError>(Error::TokenChecksum);
        check::<RandomError>(Error::Random);
        check::<MasterKeyLengthError>(Error::MasterKeyLength {
            actual: 5,
            minimum: 32,
        });
        check::<InvalidHexError>(Error::InvalidHex {
            what: "master key",
            position: 6,
        });
        check::<HexLengthError>(Error::HexLength {
            what: "master key",
            actual: 7,
            expected: "64",
        });
        check::<TimeOutOfRangeError>(Error::TimeOutOfRange);
        check::<IoError>(Error::Io {
            action: "read",
            path: "k.toml".into(),
            message: "gone".into(),
        });
        check::<KeyringFileError>(Error::KeyringFile {
            line: 8,
            message: "bad".into(),
        });
        check::<InvalidTenantIdError>(Error::InvalidTenantId);
        check::<DuplicateTenantError>(Error::DuplicateTenant("acme".into()));
        check::<UnknownTenantError>(Error::UnknownTenant("acme".into()));
        check::<DuplicateTokenError>(Error::DuplicateToken);
    }
}
