//! Reading a message (or key) argument: `bytes` or any buffer of bytes.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView};

/// The bytes of a buffer argument, safe to read with the GIL released.
///
/// `bytes` is immutable, so it is borrowed. Any other buffer (`bytearray`, `memoryview`,
/// `array.array`, `mmap`, ...) could be changed by another thread while we read it without the
/// GIL, so its bytes are copied first: a `bytearray` directly, anything else through
/// `memoryview(obj).tobytes()`, which also gathers a strided slice in order.
///
/// (PyO3's `PyBuffer` would give direct access, but under the stable ABI it needs Python 3.11,
/// and this module is one abi3 wheel for 3.9 and later.)
pub(crate) enum Bytes<'py> {
    /// A `bytes` object: the argument itself, or the copy made by `memoryview.tobytes()`.
    Borrowed(Bound<'py, PyBytes>),
    /// A copy of a `bytearray`.
    Copied(Vec<u8>),
}

impl<'py> Bytes<'py> {
    /// Reads `obj`, or raises `TypeError: {what} must be bytes, bytearray or memoryview, not
    /// {type}`.
    pub(crate) fn extract(obj: &Bound<'py, PyAny>, what: &str) -> PyResult<Self> {
        if let Ok(bytes) = obj.cast::<PyBytes>() {
            return Ok(Bytes::Borrowed(bytes.clone()));
        }
        if let Ok(bytearray) = obj.cast::<PyByteArray>() {
            return Ok(Bytes::Copied(bytearray.to_vec()));
        }
        match PyMemoryView::from(obj) {
            Ok(view) => Ok(Bytes::Borrowed(
                view.call_method0("tobytes")?.cast_into::<PyBytes>()?,
            )),
            Err(_) => {
                let type_name = obj.get_type().name()?;
                Err(PyTypeError::new_err(format!(
                    "{what} must be bytes, bytearray or memoryview, not {type_name}"
                )))
            }
        }
    }

    /// The bytes.
    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Borrowed(bytes) => bytes.as_bytes(),
            Bytes::Copied(vec) => vec,
        }
    }
}

/// A new `bytes` object holding the concatenation of `parts`, copied once.
pub(crate) fn join<'py>(py: Python<'py>, parts: &[&[u8]]) -> PyResult<Bound<'py, PyBytes>> {
    let len = parts.iter().map(|part| part.len()).sum();
    PyBytes::new_with(py, len, |out| {
        let mut at = 0;
        for part in parts {
            if let Some(dest) = out.get_mut(at..at + part.len()) {
                dest.copy_from_slice(part);
            }
            at += part.len();
        }
        Ok(())
    })
}
