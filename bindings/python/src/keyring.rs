//! `Keyring`, and the `Tenant` and `KeyEntry` snapshots that `tenants()` returns.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use outbound_token::{DEFAULT_GRACE, Error, KeyEntry, Keyring, Tenant};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyDelta, PyTzInfo, PyTzInfoAccess as _};

use crate::errors::to_py_err;
use crate::token::PyToken;

/// `DEFAULT_GRACE` in hours: the default of `rotate(grace_hours=...)`.
const DEFAULT_GRACE_HOURS: u64 = DEFAULT_GRACE.as_secs() / 3600;

/// Tenants and the SHA-256 digests of their tokens (never the tokens), kept in a TOML file.
///
/// Times (`now`) are timezone-aware `datetime` objects; `None` means the system clock.
///
/// Shared copy-on-write: `verify`, `inspect` and `save` take a snapshot (an `Arc` clone) and
/// release the object before they drop the GIL, so another thread may change the keyring
/// meanwhile (the change copies it) instead of failing with "Already borrowed".
#[pyclass(module = "outbound_token", name = "Keyring", skip_from_py_object)]
pub(crate) struct PyKeyring(pub(crate) Arc<Keyring>);

impl PyKeyring {
    /// The keyring as it is now, not borrowed from the Python object.
    pub(crate) fn snapshot(&self) -> Arc<Keyring> {
        Arc::clone(&self.0)
    }
}

#[pymethods]
impl PyKeyring {
    /// An empty keyring.
    #[new]
    fn new() -> Self {
        PyKeyring(Arc::new(Keyring::new()))
    }

    /// Reads a keyring file.
    ///
    /// Raises IoError when it cannot be read, KeyringFileError when it is not a valid keyring.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        py.detach(|| Keyring::load(&path))
            .map(|keyring| PyKeyring(Arc::new(keyring)))
            .map_err(to_py_err)
    }

    /// Writes the keyring to `path` atomically (a temporary file renamed over it).
    ///
    /// Raises IoError when the file cannot be written.
    fn save(slf: &Bound<'_, Self>, path: PathBuf) -> PyResult<()> {
        let keyring = slf.borrow().snapshot();
        slf.py().detach(|| keyring.save(&path)).map_err(to_py_err)
    }

    /// Reads a keyring file's text.
    ///
    /// Raises KeyringFileError with the line of the first problem.
    #[staticmethod]
    fn from_toml(text: &str) -> PyResult<Self> {
        Keyring::from_toml_str(text)
            .map(|keyring| PyKeyring(Arc::new(keyring)))
            .map_err(to_py_err)
    }

    /// The keyring as a file's text: digests and hints, never a token.
    fn to_toml(&self) -> String {
        self.0.to_toml_string()
    }

    /// Adds a tenant with no tokens.
    ///
    /// Raises InvalidTenantIdError or DuplicateTenantError.
    #[pyo3(signature = (id, name = None))]
    fn add_tenant(&mut self, id: &str, name: Option<&str>) -> PyResult<()> {
        Arc::make_mut(&mut self.0)
            .add_tenant(id, name)
            .map_err(to_py_err)
    }

    /// Removes a tenant and all its tokens, and returns it.
    ///
    /// Raises UnknownTenantError.
    fn remove_tenant(&mut self, py: Python<'_>, id: &str) -> PyResult<PyTenant> {
        let tenant = Arc::make_mut(&mut self.0)
            .remove_tenant(id)
            .map_err(to_py_err)?;
        PyTenant::new(py, &tenant)
    }

    /// Adds `token` to `tenant` as an active token, added at `now`.
    ///
    /// Raises UnknownTenantError, DuplicateTokenError or TimeOutOfRangeError.
    #[pyo3(signature = (tenant, token, now = None))]
    fn add_token(
        &mut self,
        tenant: &str,
        token: &PyToken,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let now = to_system_time(now)?;
        Arc::make_mut(&mut self.0)
            .add_token(tenant, &token.0, now)
            .map_err(to_py_err)
    }

    /// Replaces the active tokens of `tenant` with `token`: they stay accepted, as retiring
    /// tokens, until `now` plus `grace_hours` (72 by default).
    ///
    /// Raises UnknownTenantError, DuplicateTokenError or TimeOutOfRangeError, and ValueError for
    /// a negative or non-finite `grace_hours`; the keyring is unchanged on error.
    #[pyo3(signature = (tenant, token, now = None, grace_hours = DEFAULT_GRACE_HOURS as f64))]
    fn rotate(
        &mut self,
        tenant: &str,
        token: &PyToken,
        now: Option<&Bound<'_, PyAny>>,
        grace_hours: f64,
    ) -> PyResult<()> {
        let now = to_system_time(now)?;
        let grace = Duration::try_from_secs_f64(grace_hours * 3600.0).map_err(|_| {
            PyValueError::new_err("grace_hours must be a finite number of hours, not negative")
        })?;
        Arc::make_mut(&mut self.0)
            .rotate(tenant, &token.0, now, grace)
            .map_err(to_py_err)
    }

    /// Removes every retiring token of `tenant` now, keeping the active ones; returns how many
    /// were removed.
    ///
    /// Raises UnknownTenantError.
    fn retire(&mut self, tenant: &str) -> PyResult<usize> {
        Arc::make_mut(&mut self.0).retire(tenant).map_err(to_py_err)
    }

    /// Removes, across all tenants, every retiring token no longer accepted at `now`; returns
    /// how many were removed.
    #[pyo3(signature = (now = None))]
    fn prune(&mut self, now: Option<&Bound<'_, PyAny>>) -> PyResult<usize> {
        Ok(Arc::make_mut(&mut self.0).prune(to_system_time(now)?))
    }

    /// The tenants, in the order they were added, as snapshots.
    fn tenants(&self, py: Python<'_>) -> PyResult<Vec<PyTenant>> {
        self.0
            .tenants()
            .map(|tenant| PyTenant::new(py, tenant))
            .collect()
    }

    /// The tenant with this id, as a snapshot, or None.
    fn tenant(&self, py: Python<'_>, id: &str) -> PyResult<Option<PyTenant>> {
        self.0
            .tenant(id)
            .map(|tenant| PyTenant::new(py, tenant))
            .transpose()
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyKeyring>()
            .is_ok_and(|other| other.borrow().0 == self.0)
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
    }
}

/// A tenant of a keyring, copied out of it: later changes to the keyring do not show here.
#[pyclass(
    module = "outbound_token",
    name = "Tenant",
    frozen,
    get_all,
    skip_from_py_object
)]
pub(crate) struct PyTenant {
    /// The tenant's id.
    id: String,
    /// The tenant's display name, or None.
    name: Option<String>,
    /// The tenant's tokens, oldest first.
    tokens: Vec<Py<PyKeyEntry>>,
}

impl PyTenant {
    fn new(py: Python<'_>, tenant: &Tenant) -> PyResult<Self> {
        let tokens: PyResult<Vec<_>> = tenant
            .tokens()
            .iter()
            .map(|entry| Py::new(py, PyKeyEntry::new(entry)))
            .collect();
        Ok(PyTenant {
            id: tenant.id().to_owned(),
            name: tenant.name().map(str::to_owned),
            tokens: tokens?,
        })
    }
}

#[pymethods]
impl PyTenant {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let id = (&self.id).into_pyobject(py)?.repr()?;
        let name = (&self.name).into_pyobject(py)?.repr()?;
        Ok(format!(
            "Tenant(id={id}, name={name}, tokens={})",
            self.tokens.len()
        ))
    }
}

/// One token of a tenant, as a keyring records it: its digest and hint, never the token.
#[pyclass(
    module = "outbound_token",
    name = "KeyEntry",
    frozen,
    get_all,
    skip_from_py_object
)]
pub(crate) struct PyKeyEntry {
    /// The SHA-256 digest of the token, as 64 lowercase hex digits.
    sha256: String,
    /// The redacted form of the token, such as `otk_…4sKd`.
    hint: String,
    /// When the token was added (UTC).
    added: SystemTime,
    /// None for an active token; for a retiring one, the last instant it is accepted (UTC).
    not_after: Option<SystemTime>,
    /// Whether the token is active (not retiring).
    is_active: bool,
}

impl PyKeyEntry {
    fn new(entry: &KeyEntry) -> Self {
        PyKeyEntry {
            sha256: entry.digest().to_hex(),
            hint: entry.hint().to_owned(),
            added: entry.added(),
            not_after: entry.not_after(),
            is_active: entry.is_active(),
        }
    }
}

#[pymethods]
impl PyKeyEntry {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let hint = (&self.hint).into_pyobject(py)?.repr()?;
        Ok(format!(
            "KeyEntry(hint={hint}, is_active={})",
            if self.is_active { "True" } else { "False" }
        ))
    }
}

/// `now` as a `SystemTime`: the system clock for None, else a timezone-aware datetime.
pub(crate) fn to_system_time(now: Option<&Bound<'_, PyAny>>) -> PyResult<SystemTime> {
    let Some(now) = now else {
        return Ok(SystemTime::now());
    };
    let aware = now
        .cast::<PyDateTime>()
        .is_ok_and(|dt| dt.get_tzinfo().is_some());
    if !aware {
        let type_name = now.get_type().name()?;
        let what = if now.is_instance_of::<PyDateTime>() {
            "naive datetime".to_owned()
        } else {
            type_name.to_string()
        };
        return Err(PyTypeError::new_err(format!(
            "now must be a timezone-aware datetime or None, not {what}"
        )));
    }
    // Through a timedelta from the epoch, which is exact; a time before 1970 is passed on as
    // such, for the core to judge.
    let epoch =
        PyDateTime::from_timestamp(now.py(), 0.0, Some(&PyTzInfo::utc(now.py())?.to_owned()))?;
    let since_epoch = now.sub(&epoch)?;
    if since_epoch.lt(PyDelta::new(now.py(), 0, 0, 0, false)?)? {
        let before: Duration = since_epoch.neg()?.extract()?;
        return UNIX_EPOCH
            .checked_sub(before)
            .ok_or_else(|| to_py_err(Error::TimeOutOfRange));
    }
    let after: Duration = since_epoch.extract()?;
    UNIX_EPOCH
        .checked_add(after)
        .ok_or_else(|| to_py_err(Error::TimeOutOfRange))
}
