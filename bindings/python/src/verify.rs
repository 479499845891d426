//! `verify`: which tenant sent a message, and the message without its token fields.

use outbound_token::{DEFAULT_HEADER, Policy, Verdict, VerdictKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyBytes;

use crate::errors::to_py_err;
use crate::keyring::{PyKeyring, to_system_time};
use crate::message::{Bytes, join};
use crate::str_enum::str_enum;

/// Every verdict kind, in the order of the Python `Verdict` enum.
const VERDICT_KINDS: [VerdictKind; 5] = [
    VerdictKind::Authenticated,
    VerdictKind::Missing,
    VerdictKind::Unknown,
    VerdictKind::Malformed,
    VerdictKind::Ambiguous,
];

/// The Python enum `Verdict(str, Enum)`: one member per verdict kind, named in uppercase, whose
/// value is `VerdictKind::as_str` (`Verdict.AUTHENTICATED == "authenticated"`).
pub(crate) fn verdict_enum(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static VERDICT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    VERDICT
        .get_or_try_init(py, || {
            let values: Vec<&str> = VERDICT_KINDS.iter().map(|kind| kind.as_str()).collect();
            let doc = "What the token fields of a message say about its sender.";
            let verdict = str_enum(py, "Verdict", doc, &values)?;
            Ok(verdict.unbind())
        })
        .map(|verdict| verdict.bind(py))
}

/// The outcome of `verify` for one message.
#[pyclass(
    module = "outbound_token",
    name = "Verification",
    frozen,
    get_all,
    skip_from_py_object
)]
pub(crate) struct PyVerification {
    /// The verdict: a member of `Verdict`.
    verdict: Py<PyAny>,
    /// The tenant's id when the message is authenticated, else None.
    tenant: Option<String>,
    /// True when the token that authenticated the message is retiring (inside a rotation's
    /// grace period).
    retiring: bool,
    /// Why the message was not authenticated, in one lowercase line that never holds a token;
    /// None when it was.
    reason: Option<String>,
    /// The message with every token field removed, whatever the verdict.
    stripped: Py<PyBytes>,
    /// How many token fields were removed.
    removed: usize,
}

#[pymethods]
impl PyVerification {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let verdict = self.verdict.bind(py).getattr("name")?;
        let tenant = (&self.tenant).into_pyobject(py)?.repr()?;
        let retiring = if self.retiring { "True" } else { "False" };
        let reason = (&self.reason).into_pyobject(py)?.repr()?;
        let removed = self.removed;
        Ok(format!(
            "Verification(verdict=Verdict.{verdict}, tenant={tenant}, retiring={retiring}, \
             reason={reason}, removed={removed})"
        ))
    }
}

/// Verifies the tenant token of `data` against `keyring` and strips every token field, in one
/// pass over the header section.
///
/// `accept_retiring` accepts tokens replaced by a rotation until their grace period ends; `now`
/// (a timezone-aware datetime, default the system clock) is when that is judged.
/// `reject_elsewhere` makes a message AMBIGUOUS when its token also appears in the body or in an
/// attached message (this reads the whole message, not only its header). Raises
/// InvalidHeaderNameError for a bad `header`, TypeError when `data` is not bytes, bytearray or
/// memoryview.
#[pyfunction]
#[pyo3(signature = (
    data, keyring, header = DEFAULT_HEADER, accept_retiring = true, now = None, reject_elsewhere = false
))]
pub(crate) fn verify(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    keyring: PyRef<'_, PyKeyring>,
    header: &str,
    accept_retiring: bool,
    now: Option<&Bound<'_, PyAny>>,
    reject_elsewhere: bool,
) -> PyResult<PyVerification> {
    let message = Bytes::extract(data, "message")?;
    let mut policy = Policy::new()
        .with_header(header)
        .map_err(to_py_err)?
        .with_accept_retiring(accept_retiring)
        .with_reject_elsewhere(reject_elsewhere);
    if now.is_some() {
        policy = policy.with_clock(to_system_time(now)?);
    }
    let message = message.as_slice();
    // A snapshot: other threads may change the keyring while this one runs without the GIL.
    let keyring = {
        let keyring = keyring;
        keyring.snapshot()
    };
    let result = py.detach(|| outbound_token::verify(message, &keyring, &policy));

    let retiring = matches!(&result.verdict, Verdict::Authenticated(auth) if auth.retiring);
    Ok(PyVerification {
        verdict: verdict_enum(py)?
            .call1((result.verdict.kind().as_str(),))?
            .unbind(),
        tenant: result.verdict.tenant().map(str::to_owned),
        retiring,
        reason: result.verdict.reason(),
        stripped: join(py, result.stripped.as_slices())?.unbind(),
        removed: result.stripped.removed(),
    })
}
