//! `inspect`: does the provider rule work, and is the token safe? A report of findings.

use outbound_token::DEFAULT_HEADER;
use outbound_token::inspect::{Code, Finding, InspectOptions, Severity};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;

use crate::errors::to_py_err;
use crate::keyring::{PyKeyring, to_system_time};
use crate::message::Bytes;
use crate::str_enum::str_enum;

/// Every severity, in the order of the Python `Severity` enum.
const SEVERITIES: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Error];

/// The Python enum `Severity(str, Enum)`: one member per severity, named in uppercase, whose
/// value is `Severity::as_str` (`Severity.ERROR == "error"`).
pub(crate) fn severity_enum(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static SEVERITY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    SEVERITY
        .get_or_try_init(py, || {
            let values: Vec<&str> = SEVERITIES
                .iter()
                .map(|severity| severity.as_str())
                .collect();
            let doc = "How bad a finding of ``inspect`` is.";
            let severity = str_enum(py, "Severity", doc, &values)?;
            Ok(severity.unbind())
        })
        .map(|severity| severity.bind(py))
}

/// The member of `Severity` for `severity`.
fn to_py_severity(py: Python<'_>, severity: Severity) -> PyResult<Py<PyAny>> {
    Ok(severity_enum(py)?.call1((severity.as_str(),))?.unbind())
}

/// One thing `inspect` found.
#[pyclass(
    module = "outbound_token",
    name = "Finding",
    frozen,
    get_all,
    skip_from_py_object
)]
pub(crate) struct PyFinding {
    /// The stable kebab-case name of the finding, such as `"token-repeated"`.
    code: &'static str,
    /// How bad it is: a member of `Severity`.
    severity: Py<PyAny>,
    /// One line saying what was found and what to fix; never holds a token.
    message: String,
}

impl PyFinding {
    fn new(py: Python<'_>, finding: Finding) -> PyResult<Self> {
        Ok(PyFinding {
            code: finding.code.as_str(),
            severity: to_py_severity(py, finding.severity)?,
            message: finding.message,
        })
    }
}

#[pymethods]
impl PyFinding {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let code = PyString::new(py, self.code).repr()?;
        let severity = self.severity.bind(py).getattr("name")?;
        let message = PyString::new(py, &self.message).repr()?;
        Ok(format!(
            "Finding(code={code}, severity=Severity.{severity}, message={message})"
        ))
    }
}

/// Everything `inspect` found in one message, most severe first.
#[pyclass(
    module = "outbound_token",
    name = "Report",
    frozen,
    get_all,
    skip_from_py_object
)]
pub(crate) struct PyReport {
    /// The findings, most severe first, then in the order they were found.
    findings: Vec<Py<PyFinding>>,
    /// How many token fields the header section has.
    token_fields: usize,
    /// The tenant the keyring matched, when it matched exactly one; else None.
    tenant: Option<String>,
    /// The worst severity found (`Severity.INFO` when there are no findings).
    severity: Py<PyAny>,
    /// True when nothing is worse than a warning.
    ok: bool,
}

#[pymethods]
impl PyReport {
    /// Whether a finding with this stable name (such as `"token-repeated"`) was made.
    fn has(&self, code: &str) -> PyResult<bool> {
        // A misspelled code would otherwise quietly answer False.
        let Some(code) = Code::from_name(code) else {
            return Err(PyValueError::new_err(format!(
                "no finding code is named {code:?}"
            )));
        };
        Ok(self
            .findings
            .iter()
            .any(|finding| finding.get().code == code.as_str()))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let severity = self.severity.bind(py).getattr("name")?;
        let ok = if self.ok { "True" } else { "False" };
        let codes: Vec<&str> = self
            .findings
            .iter()
            .map(|finding| finding.get().code)
            .collect();
        let codes = codes.into_pyobject(py)?.repr()?;
        let token_fields = self.token_fields;
        let tenant = (&self.tenant).into_pyobject(py)?.repr()?;
        Ok(format!(
            "Report(severity=Severity.{severity}, ok={ok}, codes={codes}, \
             token_fields={token_fields}, tenant={tenant})"
        ))
    }
}

/// Checks `data` the way an admin checks that the provider rule works: the token field (present
/// once, unfolded, without stray spaces, quotes or invisible characters, well formed), near-miss
/// field names, signatures covering the token header, and the token leaking into the body or
/// attached messages. No finding's message holds the token.
///
/// With a `keyring`, also says whether it knows the token, for which tenant, active or retiring
/// as of `now` (a timezone-aware datetime, default the system clock). Raises
/// InvalidHeaderNameError for a bad `header`, TypeError when `data` is not bytes, bytearray or
/// memoryview.
#[pyfunction]
#[pyo3(signature = (data, keyring = None, header = DEFAULT_HEADER, now = None))]
pub(crate) fn inspect(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    keyring: Option<PyRef<'_, PyKeyring>>,
    header: &str,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyReport> {
    let message = Bytes::extract(data, "message")?;
    // A snapshot: other threads may change the keyring while this one runs without the GIL.
    let keyring = keyring.map(|keyring| keyring.snapshot());
    let mut options = InspectOptions::new()
        .with_header(header)
        .map_err(to_py_err)?;
    if let Some(keyring) = &keyring {
        options = options.with_keyring(keyring);
    }
    if now.is_some() {
        options = options.with_clock(to_system_time(now)?);
    }
    let message = message.as_slice();
    let report = py.detach(|| outbound_token::inspect(message, &options));

    let severity = to_py_severity(py, report.severity())?;
    let ok = report.is_ok();
    let findings = report
        .findings
        .into_iter()
        .map(|finding| Py::new(py, PyFinding::new(py, finding)?))
        .collect::<PyResult<_>>()?;
    Ok(PyReport {
        findings,
        token_fields: report.token_fields,
        tenant: report.tenant,
        severity,
        ok,
    })
}
