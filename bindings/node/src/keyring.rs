//! `Keyring`: tenants and the digests of their tokens, and the keyring file.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use napi_derive::napi;

use crate::error::{Result, out_of_range, to_js};
use crate::token::Token;

/// Tenants and the SHA-256 digests of their tokens, never the tokens themselves.
///
/// A tenant's token is active, or retiring after a rotation: accepted until its `notAfter`
/// time. `verifyAsync` works on the keyring as it is when called; later changes do not affect a
/// verification in flight.
#[napi]
pub struct Keyring {
    /// Shared with verifications in flight; a change copies it first if one is running.
    pub(crate) inner: Arc<outbound_token::Keyring>,
}

/// One tenant of a keyring, as `tenants()` and `tenant(id)` return it.
#[napi(object, use_nullable = true)]
pub struct Tenant {
    /// The tenant's id: 1 to 64 ASCII letters, digits, `-`, `_` or `.`.
    pub id: String,
    /// The tenant's display name, if it has one.
    pub name: Option<String>,
    /// The tenant's tokens, in the order they were added.
    pub tokens: Vec<KeyEntry>,
}

/// One token of a tenant: what the keyring knows about it, never the token.
#[napi(object, use_nullable = true)]
pub struct KeyEntry {
    /// A redacted hint such as `otk_…4sKd`.
    pub hint: String,
    /// When the token was added.
    pub added: DateTime<Utc>,
    /// For a retiring token, the last instant it is accepted; `null` for an active token.
    pub not_after: Option<DateTime<Utc>>,
}

// Static methods taking arguments are `configurable` so that the package entry point
// (`outbound-token.cjs`) can put its argument type checks in front of them.
#[napi]
impl Keyring {
    /// An empty keyring.
    #[napi(constructor)]
    #[allow(clippy::new_without_default, reason = "a JavaScript constructor")]
    pub fn new() -> Keyring {
        Keyring::from(outbound_token::Keyring::new())
    }

    /// Reads a keyring file (TOML).
    ///
    /// # Errors
    ///
    /// Throws `ERR_IO` when the file cannot be read, else `ERR_KEYRING_FILE` with the line of the
    /// first problem.
    #[napi(factory, configurable = true)]
    pub fn load(path: String) -> Result<Keyring> {
        outbound_token::Keyring::load(path)
            .map(Keyring::from)
            .map_err(to_js)
    }

    /// Writes the keyring to `path` atomically (a temporary file renamed over it).
    ///
    /// # Errors
    ///
    /// Throws `ERR_IO` when the file cannot be written; `path` is then left as it was.
    #[napi]
    pub fn save(&self, path: String) -> Result<()> {
        self.inner.save(path).map_err(to_js)
    }

    /// Reads a keyring file's text.
    ///
    /// # Errors
    ///
    /// Throws `ERR_KEYRING_FILE` with the line of the first problem.
    #[napi(factory, configurable = true)]
    pub fn from_toml(text: String) -> Result<Keyring> {
        outbound_token::Keyring::from_toml_str(&text)
            .map(Keyring::from)
            .map_err(to_js)
    }

    /// The keyring as a file's text: digests and hints, never a token.
    #[napi]
    pub fn to_toml(&self) -> String {
        self.inner.to_toml_string()
    }

    /// Adds a tenant with no tokens.
    ///
    /// # Errors
    ///
    /// Throws `ERR_INVALID_TENANT_ID` or `ERR_DUPLICATE_TENANT`.
    #[napi]
    pub fn add_tenant(&mut self, id: String, name: Option<String>) -> Result<()> {
        Arc::make_mut(&mut self.inner)
            .add_tenant(&id, name.as_deref())
            .map_err(to_js)
    }

    /// Removes a tenant and all its tokens.
    ///
    /// # Errors
    ///
    /// Throws `ERR_UNKNOWN_TENANT`.
    #[napi]
    pub fn remove_tenant(&mut self, id: String) -> Result<()> {
        Arc::make_mut(&mut self.inner)
            .remove_tenant(&id)
            .map(drop)
            .map_err(to_js)
    }

    /// Adds `token` to `tenant` as an active token, added at `now` (default: the current time).
    ///
    /// # Errors
    ///
    /// Throws `ERR_UNKNOWN_TENANT`, `ERR_DUPLICATE_TOKEN`, or `ERR_TIME_OUT_OF_RANGE` for a time
    /// before 1970 or after 9999.
    #[napi]
    pub fn add_token(
        &mut self,
        tenant: String,
        token: &Token,
        now: Option<DateTime<Utc>>,
    ) -> Result<()> {
        Arc::make_mut(&mut self.inner)
            .add_token(&tenant, &token.inner, time(now))
            .map_err(to_js)
    }

    /// Replaces the active tokens of `tenant` with `token`: each becomes retiring, accepted until
    /// `now + graceHours` (default: the current time and 72 hours).
    ///
    /// # Errors
    ///
    /// Throws as `addToken`, and `ERR_OUT_OF_RANGE` for a negative or non-finite grace.
    #[napi]
    pub fn rotate(
        &mut self,
        tenant: String,
        token: &Token,
        now: Option<DateTime<Utc>>,
        grace_hours: Option<f64>,
    ) -> Result<()> {
        let grace = match grace_hours {
            None => outbound_token::DEFAULT_GRACE,
            Some(hours) => Duration::try_from_secs_f64(hours * 3600.0).map_err(|_| {
                out_of_range("graceHours must be a finite number of hours, at least 0")
            })?,
        };
        Arc::make_mut(&mut self.inner)
            .rotate(&tenant, &token.inner, time(now), grace)
            .map_err(to_js)
    }

    /// Ends the grace period of `tenant`'s retiring tokens now: removes every retiring token and
    /// returns how many were removed.
    ///
    /// # Errors
    ///
    /// Throws `ERR_UNKNOWN_TENANT`.
    #[napi]
    pub fn retire(&mut self, tenant: String) -> Result<u32> {
        let removed = Arc::make_mut(&mut self.inner)
            .retire(&tenant)
            .map_err(to_js)?;
        count(removed)
    }

    /// Removes every retiring token no longer accepted at `now` (default: the current time) and
    /// returns how many were removed.
    ///
    /// # Errors
    ///
    /// None in practice: `ERR_OUT_OF_RANGE` for a count past 2^32.
    #[napi]
    pub fn prune(&mut self, now: Option<DateTime<Utc>>) -> Result<u32> {
        count(Arc::make_mut(&mut self.inner).prune(time(now)))
    }

    /// The tenants, in the order they were added, as plain objects.
    #[napi]
    pub fn tenants(&self) -> Vec<Tenant> {
        self.inner.tenants().map(Tenant::from).collect()
    }

    /// The tenant with this id, or `null`.
    #[napi]
    pub fn tenant(&self, id: String) -> Option<Tenant> {
        self.inner.tenant(&id).map(Tenant::from)
    }
}

impl From<outbound_token::Keyring> for Keyring {
    fn from(inner: outbound_token::Keyring) -> Self {
        Keyring {
            inner: Arc::new(inner),
        }
    }
}

impl From<&outbound_token::Tenant> for Tenant {
    fn from(tenant: &outbound_token::Tenant) -> Self {
        Tenant {
            id: tenant.id().to_owned(),
            name: tenant.name().map(str::to_owned),
            tokens: tenant.tokens().iter().map(KeyEntry::from).collect(),
        }
    }
}

impl From<&outbound_token::KeyEntry> for KeyEntry {
    fn from(entry: &outbound_token::KeyEntry) -> Self {
        KeyEntry {
            hint: entry.hint().to_owned(),
            added: DateTime::from(entry.added()),
            not_after: entry.not_after().map(DateTime::from),
        }
    }
}

/// A JavaScript `Date`, or the current time when none was given.
pub(crate) fn time(now: Option<DateTime<Utc>>) -> SystemTime {
    now.map_or_else(SystemTime::now, SystemTime::from)
}

/// A count as a JavaScript number.
fn count(value: usize) -> Result<u32> {
    u32::try_from(value).map_err(|_| out_of_range("count does not fit a JavaScript number"))
}
