//! `find`, `strip` and `set_header`: the header scanner, stripper and setter.

use outbound_token::DEFAULT_HEADER;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors::to_py_err;
use crate::message::{Bytes, join};

/// One header field found by `find`, with its bytes copied out of the message.
///
/// `repr()` shows the name and span only, never the token or the raw value.
#[pyclass(module = "outbound_token", name = "Field", frozen, skip_from_py_object)]
pub(crate) struct PyField {
    /// The field name exactly as written, without any spaces before the colon.
    #[pyo3(get)]
    name: Py<PyBytes>,
    /// The value unfolded, with spaces and tabs trimmed at both ends: the token.
    #[pyo3(get)]
    token: Py<PyBytes>,
    /// Every byte after the colon through the end of the last continuation line, without the
    /// final line ending.
    #[pyo3(get)]
    raw_value: Py<PyBytes>,
    /// Offset of the first byte of the field (its name) in the message.
    #[pyo3(get)]
    start: usize,
    /// Offset just past the field's last line ending (or the end of the message).
    #[pyo3(get)]
    end: usize,
}

#[pymethods]
impl PyField {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let name = self.name.bind(py).repr()?;
        Ok(format!(
            "Field(name={name}, start={}, end={})",
            self.start, self.end
        ))
    }
}

/// Every field named `header` in the header section of `data`, in order.
///
/// Raises InvalidHeaderNameError when `header` is not a valid field name, and TypeError when
/// `data` is not bytes, bytearray or memoryview.
#[pyfunction]
#[pyo3(signature = (data, header = DEFAULT_HEADER))]
pub(crate) fn find(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    header: &str,
) -> PyResult<Vec<PyField>> {
    let message = Bytes::extract(data, "message")?;
    let message = message.as_slice();
    let fields = py
        .detach(|| outbound_token::find(message, header))
        .map_err(to_py_err)?;
    Ok(fields
        .iter()
        .map(|field| PyField {
            name: PyBytes::new(py, field.name()).unbind(),
            token: PyBytes::new(py, &field.token()).unbind(),
            raw_value: PyBytes::new(py, field.raw_value()).unbind(),
            start: field.span().start,
            end: field.span().end,
        })
        .collect())
}

/// `data` with every field named `header` removed from its header section; no other byte
/// changes.
///
/// Raises InvalidHeaderNameError when `header` is not a valid field name, and TypeError when
/// `data` is not bytes, bytearray or memoryview.
#[pyfunction]
#[pyo3(signature = (data, header = DEFAULT_HEADER))]
pub(crate) fn strip<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    header: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let message = Bytes::extract(data, "message")?;
    let message = message.as_slice();
    let stripped = py
        .detach(|| outbound_token::strip(message, header))
        .map_err(to_py_err)?;
    join(py, stripped.as_slices())
}

/// `data` with every field named `header` removed and one `header: value` field added at the
/// top of the header section, ending with the message's own line ending.
///
/// Raises InvalidHeaderNameError or InvalidHeaderValueError for a bad name or value (a value
/// with CR, LF or another control character), and TypeError when `data` is not bytes,
/// bytearray or memoryview.
#[pyfunction]
#[pyo3(signature = (data, value, header = DEFAULT_HEADER))]
pub(crate) fn set_header<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    value: &str,
    header: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let message = Bytes::extract(data, "message")?;
    let message = message.as_slice();
    let out = py
        .detach(|| outbound_token::set_header(message, header, value))
        .map_err(to_py_err)?;
    Ok(PyBytes::new(py, &out))
}
