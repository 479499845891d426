//! Tenants and the digests of their tokens: lookup, rotation, and the keyring file.
//!
//! A [`Keyring`] never holds a token, only its SHA-256 [`TokenDigest`] and a redacted
//! [hint](Token::redacted) such as `otk_…4sKd`, so a leaked keyring file leaks no token.
//! (Digests of 256-bit native tokens cannot be brute-forced; digests of short, human-chosen
//! opaque tokens can, so keep the file private anyway.)
//!
//! # Rotation
//!
//! A tenant's token is *active* (no `not_after`) or *retiring* (accepted while
//! `now <= not_after`, the instant itself included). [`Keyring::rotate`] adds a new active
//! token and turns every active one into a retiring one for a grace period, by default
//! [`DEFAULT_GRACE`] (72 hours, the time a provider rule change can take to propagate).
//! [`Keyring::retire`] ends the grace period at once, [`Keyring::prune`] drops what has
//! expired.
//!
//! # What is constant time
//!
//! Best effort, and only this:
//!
//! - Hashing a presented value ([`TokenDigest::of`]) takes time linear in its length, which
//!   is public: it is on the wire.
//! - [`Keyring::lookup`] probes a hash map keyed by digest. The map's hasher (SipHash with
//!   per-process random keys) and its equality checks take time that depends on the presented
//!   digest and on the stored digests near it. An attacker chooses values, not digests: steering
//!   a digest toward a stored one would mean inverting SHA-256, so this timing tells them
//!   nothing about stored tokens. The lookup costs O(1) in the number of tenants.
//! - A candidate the map finds is confirmed with a constant-time comparison of the two 32-byte
//!   digests.
//! - *Not* hidden: whether a token matched, which tenant it matched and whether the token is
//!   retiring: whatever the caller does next (verdict, routing, logging) differs by outcome,
//!   and so does the time it takes. The size of the keyring is not hidden either.
//!
//! # File format
//!
//! TOML, written by [`Keyring::save`] and read by [`Keyring::load`]:
//!
//! ```toml
//! # outbound-token keyring: SHA-256 digests only, never tokens
//! version = 1
//!
//! [[tenant]]
//! id = "acme"
//! name = "Acme Corp"
//!
//! [[tenant.token]]
//! sha256 = "4f3c2a0e5b9d8c7f6e1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70"
//! hint = "otk_…4sKd"
//! added = "2026-12-03T10:00:00Z"
//! not_after = "2026-12-06T10:00:00Z"   # only for retiring tokens
//!
//! [[tenant.token]]
//! sha256 = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
//! hint = "otk_…Zx81"
//! added = "2026-12-03T10:00:00Z"
//! ```
//!
//! - `version` must be `1`.
//! - Each `[[tenant]]` has an `id` (1 to 64 ASCII letters, digits, `-`, `_`, `.`; unique) and an
//!   optional `name`.
//! - Each `[[tenant.token]]` has `sha256` (64 hex digits, the digest of the token's exact bytes;
//!   unique across the file), `hint`, `added`, and `not_after` for a retiring token.
//! - Times are RFC 3339 in UTC (`Z`; a space instead of `T`, or no `Z`, is also read as UTC),
//!   between 1970 and 9999. The keyring records whole seconds: [`Keyring::add_token`] and
//!   [`Keyring::rotate`] round `added` down and `not_after` up, so a grace period is never
//!   shortened. A hand-written fraction is kept and written back, so a saved keyring reads
//!   back identical.
//! - Unknown keys are rejected, so a misspelled `not_after` cannot silently make a retiring
//!   token active. Errors name the line, never quote a value.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::{Read as _, Write as _};
use std::ops::Range;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use toml::Spanned;

use crate::Error;
use crate::token::{Token, TokenDigest};

/// How long a rotated-out token stays accepted by default: 72 hours, the time a provider rule
/// change can take to propagate.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(72 * 60 * 60);

/// Longest tenant id, in bytes.
pub const MAX_TENANT_ID_LEN: usize = 64;

/// The `version` a keyring file declares.
pub const FILE_VERSION: u32 = 1;

/// Largest keyring file [`Keyring::load`] reads, in bytes (64 MiB: hundreds of thousands of
/// tenants). A bigger file, or an endless one such as `/dev/zero`, is an [`Error::Io`], not an
/// out-of-memory abort.
pub const MAX_FILE_LEN: u64 = 64 * 1024 * 1024;

/// The first line of a file written by [`Keyring::to_toml_string`].
const FILE_HEADER: &str = "# outbound-token keyring: SHA-256 digests only, never tokens\n";

/// Seconds from 1970 to the last second of year 9999, the latest time a keyring records.
const LAST_SECOND: u64 = 253_402_300_799;

/// Tenants and the digests of their tokens; see the [module docs](self).
///
/// ```
/// use outbound_token::{Keyring, Token, TokenDigest};
/// use std::time::SystemTime;
///
/// let token = Token::generate()?;
/// let mut keyring = Keyring::new();
/// keyring.add_tenant("acme", Some("Acme Corp"))?;
/// keyring.add_token("acme", &token, SystemTime::now())?;
///
/// let presented = token.expose_secret().as_bytes();
/// let found = keyring.lookup(&TokenDigest::of(presented)).expect("known token");
/// assert_eq!(found.tenant.id(), "acme");
/// assert!(keyring.lookup(&TokenDigest::of(&presented[..20])).is_none());
/// # Ok::<(), outbound_token::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Keyring {
    tenants: Vec<Tenant>,
    /// Tenant id to its index in `tenants`.
    by_id: HashMap<String, usize>,
    /// Digest to (tenant index, token index); rebuilt whenever an entry is removed.
    by_digest: HashMap<TokenDigest, (usize, usize)>,
}

/// A tenant: an id, an optional display name, and its tokens, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    id: String,
    name: Option<String>,
    tokens: Vec<KeyEntry>,
}

/// One token of a tenant, by digest: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    digest: TokenDigest,
    hint: String,
    added: SystemTime,
    not_after: Option<SystemTime>,
}

/// What [`Keyring::lookup`] found.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct KeyMatch<'k> {
    /// The tenant that holds the token.
    pub tenant: &'k Tenant,
    /// The token's entry.
    pub entry: &'k KeyEntry,
    /// The entry's index in [`Tenant::tokens`].
    pub index: usize,
}

impl Keyring {
    /// An empty keyring.
    pub fn new() -> Keyring {
        Keyring::default()
    }

    /// The tenant and entry whose digest is `digest`, if any; see the [module docs](self) for
    /// what is constant time. Retiring and expired entries are found too: judge them with
    /// [`KeyEntry::accepts`].
    pub fn lookup(&self, digest: &TokenDigest) -> Option<KeyMatch<'_>> {
        let &(tenant_index, index) = self.by_digest.get(digest)?;
        let tenant = self.tenants.get(tenant_index)?;
        let entry = tenant.tokens.get(index)?;
        entry.digest.ct_eq(digest).then_some(KeyMatch {
            tenant,
            entry,
            index,
        })
    }

    /// Adds a tenant with no tokens.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTenantId`] unless `id` is 1 to 64 ASCII letters, digits, `-`, `_` or
    /// `.`; [`Error::DuplicateTenant`] when the id is taken.
    pub fn add_tenant(&mut self, id: &str, name: Option<&str>) -> Result<(), Error> {
        check_tenant_id(id)?;
        if self.by_id.contains_key(id) {
            return Err(Error::DuplicateTenant(id.to_owned()));
        }

        self.by_id.insert(id.to_owned(), self.tenants.len());
        self.tenants.push(Tenant {
            id: id.to_owned(),
            name: name.map(str::to_owned),
            tokens: Vec::new(),
        });
        Ok(())
    }

    /// Removes a tenant and all its tokens, and returns it.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTenant`] when there is no such tenant.
    pub fn remove_tenant(&mut self, id: &str) -> Result<Tenant, Error> {
        let index = self.tenant_index(id)?;
        if index >= self.tenants.len() {
            // The maps and the list disagree; cannot happen, but never panic on it.
            return Err(Error::UnknownTenant(id.to_owned()));
        }
        let tenant = self.tenants.remove(index);
        self.reindex();
        Ok(tenant)
    }

    /// Adds `token` to `tenant` as an active token, recording `now` (rounded down to the
    /// second) as when it was added.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTenant`]; [`Error::DuplicateToken`] when the token is already in the
    /// keyring, for this or any tenant; [`Error::TimeOutOfRange`] when `now` is before 1970 or
    /// after 9999.
    pub fn add_token(&mut self, tenant: &str, token: &Token, now: SystemTime) -> Result<(), Error> {
        let entry = KeyEntry::new(token, whole_second(check_time(now)?, false), None);
        self.insert_entry(tenant, entry)
    }

    /// Replaces the active tokens of `tenant` with `new_token`: every active token becomes
    /// retiring, accepted until `now + grace` inclusive (rounded up to the second), and
    /// `new_token` is added as active.
    /// Tokens that were already retiring keep their earlier end. Use [`DEFAULT_GRACE`] unless
    /// the provider is known to apply rule changes faster.
    ///
    /// # Errors
    ///
    /// As [`add_token`](Keyring::add_token), and [`Error::TimeOutOfRange`] when `now + grace`
    /// is after 9999. The keyring is unchanged on error.
    pub fn rotate(
        &mut self,
        tenant: &str,
        new_token: &Token,
        now: SystemTime,
        grace: Duration,
    ) -> Result<(), Error> {
        let now = check_time(now)?;
        let end = check_time(now.checked_add(grace).ok_or(Error::TimeOutOfRange)?)?;
        let not_after = check_time(whole_second(end, true))?;
        let entry = KeyEntry::new(new_token, whole_second(now, false), None);
        let index = self.tenant_index(tenant)?;
        if self.by_digest.contains_key(&entry.digest) {
            return Err(Error::DuplicateToken);
        }

        if let Some(tenant) = self.tenants.get_mut(index) {
            for old in tenant
                .tokens
                .iter_mut()
                .filter(|old| old.not_after.is_none())
            {
                old.not_after = Some(not_after);
            }
        }
        self.insert_entry(tenant, entry)
    }

    /// Ends the grace period of `tenant`'s retiring tokens now: removes every retiring token,
    /// whether its `not_after` has passed or not, and keeps the active ones. Run it once the
    /// provider rule stamps the new token everywhere. Returns how many entries were removed.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTenant`] when there is no such tenant.
    pub fn retire(&mut self, tenant: &str) -> Result<usize, Error> {
        let index = self.tenant_index(tenant)?;
        let Some(tenant) = self.tenants.get_mut(index) else {
            return Ok(0);
        };

        let before = tenant.tokens.len();
        tenant.tokens.retain(KeyEntry::is_active);
        let removed = before - tenant.tokens.len();
        self.reindex();
        Ok(removed)
    }

    /// Removes, across all tenants, every retiring token that is no longer accepted at `now`
    /// (its `not_after` is before `now`). Returns how many entries were removed.
    pub fn prune(&mut self, now: SystemTime) -> usize {
        let mut removed = 0;
        for tenant in &mut self.tenants {
            let before = tenant.tokens.len();
            tenant.tokens.retain(|entry| entry.accepts(now));
            removed += before - tenant.tokens.len();
        }
        self.reindex();
        removed
    }

    /// The tenants, in the order they were added (and are saved).
    pub fn tenants(&self) -> impl Iterator<Item = &Tenant> {
        self.tenants.iter()
    }

    /// The tenant with this id.
    pub fn tenant(&self, id: &str) -> Option<&Tenant> {
        self.by_id
            .get(id)
            .and_then(|&index| self.tenants.get(index))
    }

    /// Number of tenants.
    pub fn len(&self) -> usize {
        self.tenants.len()
    }

    /// Whether the keyring has no tenant.
    pub fn is_empty(&self) -> bool {
        self.tenants.is_empty()
    }

    /// Reads a keyring file's text; see the [module docs](self) for the format.
    ///
    /// # Errors
    ///
    /// [`Error::KeyringFile`] with the 1-based line of the first problem: TOML syntax, an
    /// unknown or missing key, a wrong type, an unsupported `version`, an invalid or duplicate
    /// tenant id, a malformed or duplicate digest, a malformed timestamp.
    pub fn from_toml_str(text: &str) -> Result<Keyring, Error> {
        let file: RawFile = toml::from_str(text).map_err(|error| Error::KeyringFile {
            line: error.span().map_or(0, |span| line_of(text, span.start)),
            message: redact_quoted(error.message()),
        })?;
        let at = |span: Range<usize>, message: String| Error::KeyringFile {
            line: line_of(text, span.start),
            message,
        };

        if *file.version.get_ref() != FILE_VERSION {
            let message = format!(
                "unsupported keyring version {}, expected 1",
                file.version.get_ref()
            );
            return Err(at(file.version.span(), message));
        }
        let mut keyring = Keyring::new();
        for tenant in file.tenant {
            let id = tenant.id.get_ref();
            keyring
                .add_tenant(id, tenant.name.as_deref())
                .map_err(|error| at(tenant.id.span(), error.to_string()))?;
            for token in tenant.token {
                let digest = TokenDigest::from_hex(token.sha256.get_ref())
                    .map_err(|error| at(token.sha256.span(), error.to_string()))?;
                let added = parse_time(&token.added, "added").map_err(|(s, m)| at(s, m))?;
                let not_after = match &token.not_after {
                    Some(time) => Some(parse_time(time, "not_after").map_err(|(s, m)| at(s, m))?),
                    None => None,
                };
                let entry = KeyEntry {
                    digest,
                    hint: token.hint,
                    added,
                    not_after,
                };
                keyring
                    .insert_entry(id, entry)
                    .map_err(|error| match error {
                        Error::DuplicateToken => {
                            at(token.sha256.span(), "this digest appears twice".into())
                        }
                        other => at(token.sha256.span(), other.to_string()),
                    })?;
            }
        }
        Ok(keyring)
    }

    /// The keyring as a file's text; see the [module docs](self) for the format. Holds
    /// digests and hints, never a token.
    pub fn to_toml_string(&self) -> String {
        let mut out = String::from(FILE_HEADER);
        out.push_str("version = 1\n");
        for tenant in &self.tenants {
            out.push_str("\n[[tenant]]\n");
            push_key(&mut out, "id", &tenant.id);
            if let Some(name) = &tenant.name {
                push_key(&mut out, "name", name);
            }
            for entry in &tenant.tokens {
                out.push_str("\n[[tenant.token]]\n");
                push_key(&mut out, "sha256", &entry.digest.to_hex());
                push_key(&mut out, "hint", &entry.hint);
                push_key(&mut out, "added", &format_time(entry.added));
                if let Some(not_after) = entry.not_after {
                    push_key(&mut out, "not_after", &format_time(not_after));
                }
            }
        }
        out
    }

    /// Reads a keyring file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read (or is not UTF-8, or is longer than
    /// [`MAX_FILE_LEN`]), else the errors of [`from_toml_str`](Keyring::from_toml_str).
    pub fn load(path: impl AsRef<Path>) -> Result<Keyring, Error> {
        let path = path.as_ref();
        let failed = |error: std::io::Error| io_error("read", path, &error);
        let mut text = String::new();
        fs::File::open(path)
            .map_err(failed)?
            .take(MAX_FILE_LEN + 1)
            .read_to_string(&mut text)
            .map_err(failed)?;
        if u64::try_from(text.len()).map_or(true, |len| len > MAX_FILE_LEN) {
            return Err(Error::Io {
                action: "read",
                path: path.display().to_string(),
                message: format!("file is larger than {MAX_FILE_LEN} bytes"),
            });
        }
        Keyring::from_toml_str(&text)
    }

    /// Writes the keyring to `path` atomically: to a new temporary file in the same directory
    /// (with the permissions of the file it replaces, if any), flushed to disk, then renamed
    /// over `path`. Readers see the old file or the new one, never a partial one.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when `path` exists and is not a regular file (a directory, a device such
    /// as `/dev/null`, a FIFO: renaming over it would replace it), or when the temporary file
    /// cannot be written or renamed; the temporary file is removed and `path` is left as it was.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), Error> {
        let path = path.as_ref();
        let not_a_file = |message: &str| Error::Io {
            action: "write",
            path: path.display().to_string(),
            message: message.into(),
        };
        let Some(file_name) = path.file_name() else {
            return Err(not_a_file("not a file path"));
        };
        if fs::metadata(path).is_ok_and(|metadata| !metadata.is_file()) {
            return Err(not_a_file("not a regular file"));
        }
        let dir = path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let temp = dir.join(format!(
            ".{}.{}.{nanos}.tmp",
            file_name.to_string_lossy(),
            std::process::id()
        ));

        let result = write_new_file(&temp, path, self.to_toml_string().as_bytes()).and_then(|()| {
            fs::rename(&temp, path).map_err(|error| io_error("replace", path, &error))
        });
        if result.is_err() {
            let _ = fs::remove_file(&temp);
            return result;
        }
        // Persist the rename itself; not every platform can open a directory, so best effort.
        if let Ok(dir) = fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    fn tenant_index(&self, id: &str) -> Result<usize, Error> {
        self.by_id
            .get(id)
            .copied()
            .ok_or_else(|| Error::UnknownTenant(id.to_owned()))
    }

    /// Appends `entry` to `tenant`'s tokens, unless its digest is already in the keyring.
    fn insert_entry(&mut self, tenant: &str, entry: KeyEntry) -> Result<(), Error> {
        let index = self.tenant_index(tenant)?;
        let Some(tenant) = self.tenants.get_mut(index) else {
            return Err(Error::UnknownTenant(tenant.to_owned()));
        };
        if self.by_digest.contains_key(&entry.digest) {
            return Err(Error::DuplicateToken);
        }

        self.by_digest
            .insert(entry.digest, (index, tenant.tokens.len()));
        tenant.tokens.push(entry);
        Ok(())
    }

    /// Rebuilds both maps from `tenants`, after a removal shifted indices.
    fn reindex(&mut self) {
        self.by_id.clear();
        self.by_digest.clear();
        for (index, tenant) in self.tenants.iter().enumerate() {
            self.by_id.insert(tenant.id.clone(), index);
            for (token_index, entry) in tenant.tokens.iter().enumerate() {
                self.by_digest.insert(entry.digest, (index, token_index));
            }
        }
    }
}

impl PartialEq for Keyring {
    /// Same tenants, in the same order, with the same entries.
    fn eq(&self, other: &Keyring) -> bool {
        self.tenants == other.tenants
    }
}

impl Eq for Keyring {}

impl fmt::Debug for Keyring {
    /// Tenants, digest prefixes and hints: nothing secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("tenants", &self.tenants)
            .finish_non_exhaustive()
    }
}

impl Tenant {
    /// The tenant's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The tenant's display name, if it has one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The tenant's tokens, oldest first.
    pub fn tokens(&self) -> &[KeyEntry] {
        &self.tokens
    }
}

impl KeyEntry {
    fn new(token: &Token, added: SystemTime, not_after: Option<SystemTime>) -> KeyEntry {
        KeyEntry {
            digest: token.digest(),
            hint: token.redacted(),
            added,
            not_after,
        }
    }

    /// The SHA-256 digest of the token.
    pub fn digest(&self) -> &TokenDigest {
        &self.digest
    }

    /// The redacted form of the token (such as `otk_…4sKd`), to tell entries apart.
    pub fn hint(&self) -> &str {
        &self.hint
    }

    /// When the token was added.
    pub fn added(&self) -> SystemTime {
        self.added
    }

    /// `None` for an active token; for a retiring one, the last instant it is accepted.
    pub fn not_after(&self) -> Option<SystemTime> {
        self.not_after
    }

    /// Whether the token is active (not retiring).
    pub fn is_active(&self) -> bool {
        self.not_after.is_none()
    }

    /// Whether the token is accepted at `now`: always when active, while `now <= not_after`
    /// when retiring.
    pub fn accepts(&self, now: SystemTime) -> bool {
        self.not_after.is_none_or(|not_after| now <= not_after)
    }
}

impl KeyMatch<'_> {
    /// Whether the matched token is accepted at `now`; see [`KeyEntry::accepts`].
    pub fn accepts(&self, now: SystemTime) -> bool {
        self.entry.accepts(now)
    }
}

/// A keyring file, as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Spanned<u32>,
    #[serde(default)]
    tenant: Vec<RawTenant>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTenant {
    id: Spanned<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    token: Vec<RawToken>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawToken {
    sha256: Spanned<String>,
    hint: String,
    added: Spanned<String>,
    #[serde(default)]
    not_after: Option<Spanned<String>>,
}

/// The tenant id rule: 1 to 64 ASCII letters, digits, `-`, `_` or `.`.
pub(crate) fn check_tenant_id(id: &str) -> Result<(), Error> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    if id.is_empty() || id.len() > MAX_TENANT_ID_LEN || !id.bytes().all(allowed) {
        return Err(Error::InvalidTenantId);
    }
    Ok(())
}

/// `time` rounded down (or up) to a whole second since 1970; `time` is in the keyring's range.
fn whole_second(time: SystemTime, up: bool) -> SystemTime {
    let Ok(since) = time.duration_since(UNIX_EPOCH) else {
        return time;
    };
    let down = UNIX_EPOCH + Duration::from_secs(since.as_secs());
    if up && since.subsec_nanos() > 0 {
        down + Duration::from_secs(1)
    } else {
        down
    }
}

/// `time`, if a keyring can record it (and humantime can format it): 1970 to 9999.
fn check_time(time: SystemTime) -> Result<SystemTime, Error> {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) if since.as_secs() <= LAST_SECOND => Ok(time),
        _ => Err(Error::TimeOutOfRange),
    }
}

fn parse_time(text: &Spanned<String>, key: &str) -> Result<SystemTime, (Range<usize>, String)> {
    humantime::parse_rfc3339_weak(text.get_ref())
        .map_err(|error| format!("invalid timestamp in '{key}': {error}"))
        .and_then(|time| check_time(time).map_err(|error| error.to_string()))
        .map_err(|message| (text.span(), message))
}

/// RFC 3339 in UTC, with a fraction only when the time has one. Keyring times are checked to
/// lie between 1970 and 9999, the range in which this cannot fail.
fn format_time(time: SystemTime) -> String {
    humantime::format_rfc3339(time).to_string()
}

/// Appends `key = "value"` with `value` as a TOML basic string.
fn push_key(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(" = \"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push_str("\"\n");
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    1 + text.bytes().take(offset).filter(|&b| b == b'\n').count()
}

/// `message` with every double-quoted part replaced by `"…"`: parser messages may quote a
/// value from the file, and errors quote no file contents. Parts in backticks (key names,
/// syntax, numbers) are kept.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let (mut quoted, mut ticked) = (false, false);
    for c in message.chars() {
        match c {
            '`' if !quoted => {
                ticked = !ticked;
                out.push(c);
            }
            '"' if !ticked => {
                out.push_str(if quoted { "\"" } else { "\"…" });
                quoted = !quoted;
            }
            _ if quoted => {}
            _ => out.push(c),
        }
    }
    if quoted {
        out.push('"');
    }
    out.trim_end().to_owned()
}

fn io_error(action: &'static str, path: &Path, error: &std::io::Error) -> Error {
    Error::Io {
        action,
        path: path.display().to_string(),
        message: error.to_string(),
    }
}

/// Creates `temp` (failing if it exists), with the permissions of `original` when it exists,
/// and writes and flushes `bytes` to it.
fn write_new_file(temp: &Path, original: &Path, bytes: &[u8]) -> Result<(), Error> {
    let failed = |error: std::io::Error| io_error("write", temp, &error);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)
        .map_err(failed)?;
    if let Ok(metadata) = fs::metadata(original) {
        file.set_permissions(metadata.permissions())
            .map_err(failed)?;
    }
    file.write_all(bytes).map_err(failed)?;
    file.sync_all().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    /// 2026-12-03T10:00:00Z.
    const T0: u64 = 1_796_292_000;

    fn sample() -> (Keyring, Token, Token) {
        let acme = Token::generate().unwrap();
        let globex = Token::opaque("otk_test_7Qm2VwXr9LpZ4sKd").unwrap();
        let mut keyring = Keyring::new();
        keyring
            .add_tenant("acme", Some("Acme \"Corp\"\\ \u{e9}\n"))
            .unwrap();
        keyring.add_tenant("globex.eu-1_x", None).unwrap();
        keyring.add_token("acme", &acme, at(T0)).unwrap();
        keyring
            .add_token("globex.eu-1_x", &globex, at(T0 + 1))
            .unwrap();
        (keyring, acme, globex)
    }

    #[test]
    fn add_and_lookup() {
        let (keyring, acme, globex) = sample();
        assert_eq!(keyring.len(), 2);
        assert!(!keyring.is_empty());

        let found = keyring.lookup(&acme.digest()).unwrap();
        assert_eq!(found.tenant.id(), "acme");
        assert_eq!(found.index, 0);
        assert_eq!(found.entry.hint(), acme.redacted());
        assert!(found.entry.is_active());
        assert_eq!(found.entry.added(), at(T0));

        let found = keyring
            .lookup(&TokenDigest::of(globex.expose_secret().as_bytes()))
            .unwrap();
        assert_eq!(found.tenant.id(), "globex.eu-1_x");
        assert_eq!(found.tenant.name(), None);

        let text = acme.expose_secret().as_bytes();
        assert!(keyring.lookup(&TokenDigest::of(&text[..52])).is_none());
        assert!(keyring.lookup(&TokenDigest::of(b"")).is_none());
        assert!(
            keyring
                .lookup(&Token::generate().unwrap().digest())
                .is_none()
        );
        assert_eq!(keyring.tenant("acme").unwrap().tokens().len(), 1);
        assert!(keyring.tenant("nobody").is_none());
    }

    #[test]
    fn mutation_errors() {
        let (mut keyring, acme, _) = sample();
        assert_eq!(
            keyring.add_tenant("acme", None),
            Err(Error::DuplicateTenant("acme".into()))
        );
        let long = "a".repeat(65);
        for bad in ["", "a b", "acme/x", "é", "a\n", long.as_str()] {
            assert_eq!(
                keyring.add_tenant(bad, None),
                Err(Error::InvalidTenantId),
                "{bad:?}"
            );
        }
        assert!(keyring.add_tenant(&"a".repeat(64), None).is_ok());

        assert_eq!(
            keyring.add_token("acme", &acme, at(T0)),
            Err(Error::DuplicateToken)
        );
        assert_eq!(
            keyring.add_token("globex.eu-1_x", &acme, at(T0)),
            Err(Error::DuplicateToken)
        );
        let fresh = Token::generate().unwrap();
        assert_eq!(
            keyring.add_token("nobody", &fresh, at(T0)),
            Err(Error::UnknownTenant("nobody".into()))
        );
        assert_eq!(
            keyring.add_token("acme", &fresh, UNIX_EPOCH - Duration::from_secs(1)),
            Err(Error::TimeOutOfRange)
        );
        assert_eq!(
            keyring.rotate("acme", &acme, at(T0), DEFAULT_GRACE),
            Err(Error::DuplicateToken)
        );
        assert_eq!(
            keyring.rotate("acme", &fresh, at(T0), Duration::MAX),
            Err(Error::TimeOutOfRange)
        );
        assert_eq!(
            keyring.retire("nobody"),
            Err(Error::UnknownTenant("nobody".into()))
        );
        // Failed mutations left the keyring as it was.
        assert!(
            keyring
                .tenant("acme")
                .unwrap()
                .tokens()
                .iter()
                .all(KeyEntry::is_active)
        );
        assert!(keyring.lookup(&fresh.digest()).is_none());
    }

    #[test]
    fn rotation_window_edges() {
        let (mut keyring, old, _) = sample();
        let new = Token::generate().unwrap();
        let now = at(T0 + 3600);
        keyring.rotate("acme", &new, now, DEFAULT_GRACE).unwrap();

        let end = now + DEFAULT_GRACE;
        let retiring = keyring.lookup(&old.digest()).unwrap();
        assert_eq!(retiring.entry.not_after(), Some(end));
        assert!(!retiring.entry.is_active());
        assert!(retiring.accepts(now));
        assert!(retiring.accepts(end), "accepted at not_after exactly");
        assert!(!retiring.accepts(end + Duration::from_nanos(1)));
        assert!(!retiring.accepts(end + Duration::from_secs(1)));

        let active = keyring.lookup(&new.digest()).unwrap();
        assert_eq!(active.index, 1);
        assert!(active.entry.is_active());
        assert!(active.accepts(end + Duration::from_secs(1_000_000)));

        // A second rotation keeps the first retiring token's earlier end.
        let newest = Token::generate().unwrap();
        keyring
            .rotate(
                "acme",
                &newest,
                now + Duration::from_secs(60),
                DEFAULT_GRACE,
            )
            .unwrap();
        assert_eq!(
            keyring.lookup(&old.digest()).unwrap().entry.not_after(),
            Some(end)
        );
        let second_end = now + Duration::from_secs(60) + DEFAULT_GRACE;
        assert_eq!(
            keyring.lookup(&new.digest()).unwrap().entry.not_after(),
            Some(second_end)
        );

        // Pruning at `end` keeps everything; one second later the first token goes.
        assert_eq!(keyring.prune(end), 0);
        assert_eq!(keyring.prune(end + Duration::from_secs(1)), 1);
        assert!(keyring.lookup(&old.digest()).is_none());
        assert_eq!(keyring.lookup(&newest.digest()).unwrap().index, 1);
    }

    #[test]
    fn retire_and_remove() {
        let (mut keyring, old, globex) = sample();
        let new = Token::generate().unwrap();
        keyring
            .rotate("acme", &new, at(T0), Duration::ZERO)
            .unwrap();
        assert_eq!(keyring.retire("acme"), Ok(1));
        assert_eq!(keyring.retire("acme"), Ok(0));
        assert!(keyring.lookup(&old.digest()).is_none());
        let found = keyring.lookup(&new.digest()).unwrap();
        assert_eq!(found.index, 0);
        assert!(found.entry.is_active());

        // A removed token can be added again; removing a tenant reindexes the others.
        keyring.add_token("acme", &old, at(T0)).unwrap();
        let removed = keyring.remove_tenant("acme").unwrap();
        assert_eq!(removed.tokens().len(), 2);
        assert!(keyring.lookup(&new.digest()).is_none());
        assert_eq!(
            keyring.lookup(&globex.digest()).unwrap().tenant.id(),
            "globex.eu-1_x"
        );
        assert_eq!(
            keyring.tenant("globex.eu-1_x").unwrap().id(),
            "globex.eu-1_x"
        );
        assert_eq!(
            keyring.remove_tenant("acme").unwrap_err(),
            Error::UnknownTenant("acme".into())
        );
        assert_eq!(keyring.len(), 1);
    }

    #[test]
    fn toml_round_trip() {
        let (mut keyring, acme, globex) = sample();
        let new = Token::generate().unwrap();
        keyring
            .rotate(
                "acme",
                &new,
                at(T0) + Duration::from_nanos(5),
                DEFAULT_GRACE,
            )
            .unwrap();
        keyring.add_tenant("empty", None).unwrap();

        let text = keyring.to_toml_string();
        assert!(text.starts_with(FILE_HEADER));
        assert!(text.contains("added = \"2026-12-03T10:00:00Z\""), "{text}");
        assert!(
            text.contains("not_after = \"2026-12-06T10:00:01Z\""),
            "{text}"
        );
        let read = Keyring::from_toml_str(&text).unwrap();
        assert_eq!(read, keyring);
        assert_eq!(read.to_toml_string(), text);

        // A hand-written fraction survives a round trip.
        let fraction = text.replace("10:00:01Z", "10:00:00.5Z");
        let read = Keyring::from_toml_str(&fraction).unwrap();
        assert_eq!(
            read.to_toml_string(),
            fraction.replace("00.5Z", "00.500000000Z")
        );
        assert!(
            read.lookup(&acme.digest())
                .unwrap()
                .entry
                .not_after()
                .is_some()
        );

        for token in [&acme, &globex, &new] {
            let secret = token.expose_secret();
            assert!(!text.contains(secret));
            let body = secret.strip_prefix("otk_").unwrap_or(secret);
            for window in body.as_bytes().windows(8) {
                assert!(!text.contains(std::str::from_utf8(window).unwrap()));
            }
            assert!(!format!("{keyring:?}").contains(secret));
        }
    }

    #[test]
    fn documented_example_parses() {
        let text = r#"# outbound-token keyring: SHA-256 digests only, never tokens
version = 1

[[tenant]]
id = "acme"
name = "Acme Corp"

[[tenant.token]]
sha256 = "4f3c2a0e5b9d8c7f6e1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70"
hint = "otk_…4sKd"
added = "2026-12-03T10:00:00Z"
not_after = "2026-12-06T10:00:00Z"   # only for retiring tokens

[[tenant.token]]
sha256 = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
hint = "otk_…Zx81"
added = "2026-12-03T10:00:00Z"
"#;
        let keyring = Keyring::from_toml_str(text).unwrap();
        let tenant = keyring.tenant("acme").unwrap();
        assert_eq!(tenant.name(), Some("Acme Corp"));
        assert_eq!(tenant.tokens()[0].not_after(), Some(at(T0 + 72 * 3600)));
        assert!(tenant.tokens()[1].is_active());
        assert!(Keyring::from_toml_str("version = 1\n").unwrap().is_empty());
    }

    fn file_error(text: &str) -> (usize, String) {
        match Keyring::from_toml_str(text) {
            Err(Error::KeyringFile { line, message }) => (line, message),
            other => panic!("expected a keyring file error, got {other:?}"),
        }
    }

    #[test]
    fn load_errors_name_the_line() {
        let hex = "ab".repeat(32);
        let token = |sha: &str, extra: &str| {
            format!(
                "[[tenant.token]]\nsha256 = \"{sha}\"\nhint = \"h\"\nadded = \"2026-12-03T10:00:00Z\"\n{extra}"
            )
        };
        let head = "version = 1\n[[tenant]]\nid = \"acme\"\n";
        let cases = [
            // Lines 1-3 are `head`, the token table starts on line 4, `sha256` is line 5.
            (
                format!("{head}{}", token(&format!("{}zz", &hex[..62]), "")),
                5,
                "not hexadecimal",
            ),
            (format!("{head}{}", token(&hex[..60], "")), 5, "hex digits"),
            (
                format!("{head}{}{}", token(&hex, ""), token(&hex, "")),
                9,
                "appears twice",
            ),
            (
                format!(
                    "{head}{}",
                    token(&hex, "not_afer = \"2026-12-06T10:00:00Z\"\n")
                ),
                8,
                "unknown field",
            ),
            (
                format!("{head}{}", token(&hex, "not_after = \"tomorrow\"\n")),
                8,
                "invalid timestamp",
            ),
            (
                format!(
                    "{head}{}",
                    token(&hex, "not_after = \"2026-13-06T10:00:00Z\"\n")
                ),
                8,
                "invalid timestamp",
            ),
            (
                format!("{head}{}", token(&hex, "not_after = 5\n")),
                8,
                "invalid type",
            ),
            (
                format!("{head}[[tenant]]\nid = \"acme\"\n"),
                5,
                "already exists",
            ),
            (
                format!("{head}[[tenant]]\nid = \"bad id\"\n"),
                5,
                "invalid tenant id",
            ),
            (
                format!("{head}[[tenant]]\nid = \"x\"\nnam = \"y\"\n"),
                6,
                "unknown field",
            ),
            (
                format!("{head}[[tenant]]\nid = \"x\"\nname = \"unterminated\n"),
                6,
                "",
            ),
            (format!("{head}\n\nid = = 1\n"), 6, ""),
            (
                "# comment\nversion = 2\n".to_owned(),
                2,
                "unsupported keyring version 2",
            ),
            (
                "version = 1\n[[tenant]]\nname = \"x\"\n".to_owned(),
                2,
                "missing field",
            ),
        ];
        for (text, line, needle) in cases {
            let (actual, message) = file_error(&text);
            assert_eq!(actual, line, "line for {message:?} in\n{text}");
            assert!(message.contains(needle), "{message:?} lacks {needle:?}");
            assert_eq!(message, message.trim());
        }
    }

    #[test]
    fn load_errors_quote_no_values() {
        let secret = "otk_s3cretvalueXYZ";
        let texts = [
            format!("version = \"{secret}\"\n"),
            format!(
                "version = 1\n[[tenant]]\nid = \"acme\"\n[[tenant.token]]\nsha256 = \"{secret}\"\nhint = \"h\"\nadded = \"x\"\n"
            ),
            format!(
                "version = 1\n[[tenant]]\nid = \"acme\"\n[[tenant.token]]\nsha256 = 1\nhint = \"{secret}\"\nadded = \"{secret}\"\n"
            ),
            format!("version = 1\n[[tenant]]\nid = \"{secret}/\"\n"),
        ];
        for text in texts {
            let (_, message) = file_error(&text);
            assert!(!message.contains("s3cret"), "{message}");
        }
        assert_eq!(
            redact_quoted("invalid type: string \"abc\", expected u32"),
            "invalid type: string \"…\", expected u32"
        );
        assert_eq!(
            redact_quoted("invalid basic string, expected `\"`"),
            "invalid basic string, expected `\"`"
        );
        assert_eq!(redact_quoted("a \"b`c\" d"), "a \"…\" d");
        assert_eq!(redact_quoted("a \"unterminated"), "a \"…\"");
    }

    #[test]
    fn save_and_load() {
        let (keyring, acme, _) = sample();
        let dir =
            std::env::temp_dir().join(format!("outbound-token-keyring-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("keyring.toml");

        keyring.save(&path).unwrap();
        keyring.save(&path).unwrap();
        assert_eq!(Keyring::load(&path).unwrap(), keyring);
        let on_disk = fs::read_to_string(&path).unwrap();
        assert!(!on_disk.contains(acme.expose_secret()));
        let leftovers = fs::read_dir(&dir).unwrap().count();
        assert_eq!(leftovers, 1, "temporary files left behind");

        let missing = dir.join("missing.toml");
        assert!(matches!(
            Keyring::load(&missing),
            Err(Error::Io { action: "read", .. })
        ));
        let in_missing_dir = dir.join("no-such-dir").join("keyring.toml");
        assert!(matches!(
            keyring.save(&in_missing_dir),
            Err(Error::Io { .. })
        ));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn save_never_replaces_what_is_not_a_regular_file() {
        let (keyring, _, _) = sample();
        let dir = std::env::temp_dir().join(format!(
            "outbound-token-keyring-special-{}",
            std::process::id()
        ));
        fs::create_dir_all(dir.join("sub")).unwrap();
        // A directory, and (as root, the rename would replace it) a device.
        for path in [dir.join("sub"), Path::new("/dev/null").to_owned()] {
            let error = keyring.save(&path).unwrap_err();
            assert!(
                matches!(&error, Error::Io { action: "write", message, .. } if message == "not a regular file"),
                "{path:?}: {error}"
            );
        }
        assert!(fs::metadata("/dev/null").is_ok_and(|m| !m.is_file()));
        assert!(dir.join("sub").is_dir());
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "temporary files left"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn load_stops_at_the_size_limit() {
        // An endless file: read at most the limit, then a clear error (not an abort).
        let error = Keyring::load("/dev/zero").unwrap_err();
        assert!(
            matches!(&error, Error::Io { action: "read", message, .. } if message.contains("larger than")),
            "{error}"
        );
    }

    #[test]
    fn errors_are_lowercase() {
        let errors = [
            Error::TimeOutOfRange,
            Error::Io {
                action: "read",
                path: "k.toml".into(),
                message: "gone".into(),
            },
            Error::InvalidHex {
                what: "token digest",
                position: 3,
            },
            Error::HexLength {
                what: "token digest",
                actual: 3,
                expected: "64",
            },
        ];
        for error in errors {
            let text = error.to_string();
            assert!(text.starts_with(|c: char| c.is_lowercase()), "{text}");
            assert!(!text.ends_with('.'), "{text}");
        }
    }
}
