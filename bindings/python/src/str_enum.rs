//! Python `(str, Enum)` classes that mirror the core's small enums.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

/// A new `class {name}(str, Enum)` in module `outbound_token`: one member per value, named in
/// uppercase, whose value is the core's stable string (`Verdict.MISSING == "missing"`).
pub(crate) fn str_enum<'py>(
    py: Python<'py>,
    name: &str,
    doc: &str,
    values: &[&str],
) -> PyResult<Bound<'py, PyAny>> {
    let members: Vec<(String, &str)> = values
        .iter()
        .map(|value| (value.to_uppercase(), *value))
        .collect();
    let options = PyDict::new(py);
    options.set_item("module", "outbound_token")?;
    options.set_item("qualname", name)?;
    options.set_item("type", py.get_type::<PyString>())?;
    let class = py
        .import("enum")?
        .getattr("Enum")?
        .call((name, members), Some(&options))?;
    class.setattr("__doc__", doc)?;
    Ok(class)
}
