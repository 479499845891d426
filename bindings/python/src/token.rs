//! `Token` and `MasterKey`: secrets whose `repr()` and `str()` are redacted.

use outbound_token::{MasterKey, Token};
use pyo3::IntoPyObjectExt as _;
use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors::to_py_err;
use crate::message::Bytes;

/// A tenant's secret token: native (`otk_` + 49 base62 characters) or opaque.
///
/// `repr()` and `str()` show only the redacted hint; `expose_secret()` is the one way to read
/// the token. `==` compares SHA-256 digests in constant time.
#[pyclass(module = "outbound_token", name = "Token", frozen, skip_from_py_object)]
pub(crate) struct PyToken(pub(crate) Token);

#[pymethods]
impl PyToken {
    /// A new native token with 256 bits of entropy from the operating system.
    ///
    /// Raises RandomError when the random source fails.
    #[staticmethod]
    fn generate() -> PyResult<Self> {
        Token::generate().map(PyToken).map_err(to_py_err)
    }

    /// Reads a native token, after trimming surrounding whitespace.
    ///
    /// Raises TokenPrefixError, TokenLengthError, TokenCharacterError or TokenChecksumError.
    #[staticmethod]
    fn parse(text: &str) -> PyResult<Self> {
        Token::parse(text).map(PyToken).map_err(to_py_err)
    }

    /// Reads a token issued elsewhere: 16 to 512 printable ASCII characters, after trimming.
    ///
    /// Raises TokenCharacterError or TokenLengthError.
    #[staticmethod]
    fn opaque(text: &str) -> PyResult<Self> {
        Token::opaque(text).map(PyToken).map_err(to_py_err)
    }

    /// Reads a token given by a person: native-looking text must parse as a native token,
    /// anything else is read as opaque (Rust `Token::import`).
    ///
    /// Raises the errors of `parse` or `opaque`.
    #[staticmethod]
    #[pyo3(name = "import_")]
    fn import(text: &str) -> PyResult<Self> {
        Token::import(text).map(PyToken).map_err(to_py_err)
    }

    /// The token of `tenant_id`, version `version`, derived from `master_key` with HMAC-SHA256.
    #[staticmethod]
    #[pyo3(signature = (master_key, tenant_id, version = 1))]
    fn derive(master_key: &PyMasterKey, tenant_id: &str, version: u32) -> PyResult<Self> {
        Token::derive(&master_key.0, tenant_id, version)
            .map(PyToken)
            .map_err(to_py_err)
    }

    /// The full text of the token: write it where its owner needs it, never to a log.
    fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// A hint that tells tokens apart without revealing them: `otk_…` or `…`, then the last 4
    /// characters.
    #[getter]
    fn redacted(&self) -> String {
        self.0.redacted()
    }

    /// Whether the token is a well-formed native token.
    #[getter]
    fn is_native(&self) -> bool {
        self.0.is_native()
    }

    /// The SHA-256 digest of the token's bytes (32 bytes), as a keyring stores it.
    fn digest<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.0.digest().as_bytes())
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    /// `==` and `!=` between tokens, in constant time; other comparisons are not supported.
    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        match (other.cast::<PyToken>(), op) {
            (Ok(other), CompareOp::Eq) => (self.0 == other.get().0).into_py_any(py),
            (Ok(other), CompareOp::Ne) => (self.0 != other.get().0).into_py_any(py),
            _ => Ok(py.NotImplemented().into_any()),
        }
    }
}

/// A secret from which `Token.derive` makes tenant tokens: at least 32 bytes.
///
/// `repr()` shows only its length.
#[pyclass(
    module = "outbound_token",
    name = "MasterKey",
    frozen,
    skip_from_py_object
)]
pub(crate) struct PyMasterKey(MasterKey);

#[pymethods]
impl PyMasterKey {
    /// A master key made of `data` (bytes, bytearray or memoryview).
    ///
    /// Raises MasterKeyLengthError when it has fewer than 32 bytes.
    #[staticmethod]
    fn from_bytes(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let bytes = Bytes::extract(data, "key")?;
        MasterKey::from_bytes(bytes.as_slice())
            .map(PyMasterKey)
            .map_err(to_py_err)
    }

    /// Reads the text of a key file: at least 64 hexadecimal digits, an even number.
    ///
    /// Raises InvalidHexError or HexLengthError.
    #[staticmethod]
    fn from_hex(text: &str) -> PyResult<Self> {
        MasterKey::from_hex(text)
            .map(PyMasterKey)
            .map_err(to_py_err)
    }

    /// A new 32-byte master key from the operating system's random source.
    ///
    /// Raises RandomError when the random source fails.
    #[staticmethod]
    fn generate() -> PyResult<Self> {
        MasterKey::generate().map(PyMasterKey).map_err(to_py_err)
    }

    /// The key as lowercase hexadecimal, for writing a key file; never log it.
    fn expose_secret_hex(&self) -> String {
        self.0.expose_secret_hex().to_string()
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
    }
}
