//! Deciding which tenant sent a message: HEADER-RULES V1-V5.
//!
//! [`verify`] scans the header section once, looks each token field up in the [`Keyring`] by
//! digest, combines what it found into a [`Verdict`], and returns the stripped message with it,
//! whatever the verdict (V5): a relay must never forward a token, not even on a message it
//! rejects and bounces.
//!
//! # What is constant time
//!
//! Each presented token is hashed with SHA-256 (time linear in its length, which is public) and
//! looked up by that digest; the final equality is a constant-time comparison of two 32-byte
//! digests. A prefix of a real token has an unrelated digest, so it can never match (V4). See the
//! [`Keyring`] documentation for the lookup's own guarantees. What is *not* hidden: how many token
//! fields a message has, the verdict itself, and which branch built it.

use std::time::SystemTime;

use crate::header::HeaderName;
use crate::inspect::token_elsewhere;
use crate::keyring::Keyring;
use crate::scan::{EndKind, HeaderEnd, scan};
use crate::strip::Stripped;
use crate::token::{Malformed, TokenDigest, check_presented};
use crate::{DEFAULT_HEADER, Error};

/// What [`verify`] accepts; build it with [`Policy::new`] and its `with_*` methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    header: String,
    accept_retiring: bool,
    reject_elsewhere: bool,
    now: Option<SystemTime>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            header: DEFAULT_HEADER.to_owned(),
            accept_retiring: true,
            reject_elsewhere: false,
            now: None,
        }
    }
}

impl Policy {
    /// The default policy: header [`DEFAULT_HEADER`], retiring tokens accepted until their
    /// not-after time, the system clock.
    pub fn new() -> Self {
        Policy::default()
    }

    /// Reads the token from the field `header` instead of [`DEFAULT_HEADER`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHeaderName`] when `header` is not a valid field name.
    pub fn with_header(mut self, header: &str) -> Result<Self, Error> {
        HeaderName::new(header)?;
        self.header = header.to_owned();
        Ok(self)
    }

    /// Whether a retiring token (one replaced by a rotation, inside its grace period) still
    /// authenticates. On by default: provider rule changes take up to 72 hours to propagate.
    pub fn with_accept_retiring(mut self, accept: bool) -> Self {
        self.accept_retiring = accept;
        self
    }

    /// Whether to reject an otherwise authenticated message in which the token also appears
    /// anywhere else: in the body (raw, or after base64 and quoted-printable decoding) or in the
    /// header of an attached message. Stripping removes only the outer header field, so such a
    /// message would hand the token to its recipients. Off by default: it walks the MIME tree
    /// with mail-parser, which costs time linear in the whole message instead of its header.
    pub fn with_reject_elsewhere(mut self, reject: bool) -> Self {
        self.reject_elsewhere = reject;
        self
    }

    /// Whether messages whose token also appears elsewhere are rejected.
    pub fn rejects_elsewhere(&self) -> bool {
        self.reject_elsewhere
    }

    /// Judges retiring tokens as of `now` instead of the system clock (for tests and replays).
    pub fn with_clock(mut self, now: SystemTime) -> Self {
        self.now = Some(now);
        self
    }

    /// The header field the token is read from.
    pub fn header(&self) -> &str {
        &self.header
    }

    /// Whether retiring tokens are accepted.
    pub fn accepts_retiring(&self) -> bool {
        self.accept_retiring
    }

    fn now(&self) -> SystemTime {
        self.now.unwrap_or_else(SystemTime::now)
    }
}

/// The outcome of [`verify`] for one message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict<'k> {
    /// Every token field holds a token the keyring knows, and all name the same tenant (V1).
    Authenticated(Authenticated<'k>),
    /// The message has no token field.
    Missing,
    /// The token is well formed but not accepted by the keyring.
    Unknown(UnknownReason),
    /// The token value is empty, truncated, or otherwise not a token (V4).
    Malformed(Malformed),
    /// The message carries conflicting or hidden token fields (V2, V3).
    Ambiguous(AmbiguousReason),
}

/// The tenant a message was authenticated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authenticated<'k> {
    /// The tenant's id.
    pub tenant: &'k str,
    /// Which of the tenant's tokens matched (its index in the tenant's token list).
    pub token_index: usize,
    /// `true` when the token matched is retiring: the tenant's provider rule still stamps the
    /// old token, inside the grace period after a rotation.
    pub retiring: bool,
}

/// Why a well-formed token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnknownReason {
    /// No tenant holds this token.
    NotInKeyring,
    /// The token was retired and its grace period is over.
    Expired,
    /// The token is retiring and the policy accepts active tokens only.
    RetiringRejected,
}

/// Why a message's token fields contradict each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AmbiguousReason {
    /// Several token fields name different tenants (V2).
    DifferentTenants,
    /// Several token fields hold different values, not all of them accepted (V2).
    ConflictingTokens,
    /// The header section ended at a stray line, and a token-named line follows before the first
    /// empty line: a lenient reader downstream would see a token field we did not (V3).
    TokenAfterStrayLine,
    /// The token also appears elsewhere in the message, where its recipients would read it
    /// (only with [`Policy::with_reject_elsewhere`]).
    TokenElsewhere,
}

/// The short stable name of each verdict, as the CLI and the bindings print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerdictKind {
    /// [`Verdict::Authenticated`].
    Authenticated,
    /// [`Verdict::Missing`].
    Missing,
    /// [`Verdict::Unknown`].
    Unknown,
    /// [`Verdict::Malformed`].
    Malformed,
    /// [`Verdict::Ambiguous`].
    Ambiguous,
}

impl VerdictKind {
    /// `"authenticated"`, `"missing"`, `"unknown"`, `"malformed"` or `"ambiguous"`.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Authenticated => "authenticated",
            VerdictKind::Missing => "missing",
            VerdictKind::Unknown => "unknown",
            VerdictKind::Malformed => "malformed",
            VerdictKind::Ambiguous => "ambiguous",
        }
    }
}

impl core::fmt::Display for VerdictKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl UnknownReason {
    /// A short lowercase explanation.
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownReason::NotInKeyring => "token not in keyring",
            UnknownReason::Expired => "token retired and its grace period is over",
            UnknownReason::RetiringRejected => {
                "token is retiring and the policy rejects retiring tokens"
            }
        }
    }
}

impl AmbiguousReason {
    /// A short lowercase explanation.
    pub fn as_str(self) -> &'static str {
        match self {
            AmbiguousReason::DifferentTenants => "token fields name different tenants",
            AmbiguousReason::ConflictingTokens => {
                "token fields hold different values, not all accepted"
            }
            AmbiguousReason::TokenAfterStrayLine => {
                "a token field follows a stray line that ended the header section"
            }
            AmbiguousReason::TokenElsewhere => {
                "the token also appears elsewhere in the message, where recipients would read it"
            }
        }
    }
}

impl<'k> Verdict<'k> {
    /// Which verdict this is, without its details.
    pub fn kind(&self) -> VerdictKind {
        match self {
            Verdict::Authenticated(_) => VerdictKind::Authenticated,
            Verdict::Missing => VerdictKind::Missing,
            Verdict::Unknown(_) => VerdictKind::Unknown,
            Verdict::Malformed(_) => VerdictKind::Malformed,
            Verdict::Ambiguous(_) => VerdictKind::Ambiguous,
        }
    }

    /// `true` only for [`Verdict::Authenticated`].
    pub fn is_authenticated(&self) -> bool {
        matches!(self, Verdict::Authenticated(_))
    }

    /// The tenant, for an authenticated message.
    pub fn tenant(&self) -> Option<&'k str> {
        match self {
            Verdict::Authenticated(auth) => Some(auth.tenant),
            _ => None,
        }
    }

    /// Why the message was not authenticated, in one lowercase line that never holds a token;
    /// `None` when it was.
    pub fn reason(&self) -> Option<String> {
        match self {
            Verdict::Authenticated(_) => None,
            Verdict::Missing => Some("no token field".to_owned()),
            Verdict::Unknown(reason) => Some(reason.as_str().to_owned()),
            Verdict::Malformed(reason) => Some(reason.to_string()),
            Verdict::Ambiguous(reason) => Some(reason.as_str().to_owned()),
        }
    }
}

/// A verdict and the message with every token field removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification<'m, 'k> {
    /// What the token fields say about the sender.
    pub verdict: Verdict<'k>,
    /// The message without any token field (V5), borrowing the input.
    pub stripped: Stripped<'m>,
    /// Where and why the header section ended.
    pub header_end: HeaderEnd,
}

/// Verifies the tenant token of `message` against `keyring` and strips it, in one pass over the
/// header section (V1-V5).
///
/// ```
/// use outbound_token::{Keyring, Policy, Token, VerdictKind, verify};
/// use std::time::SystemTime;
///
/// let token = Token::generate()?;
/// let mut keyring = Keyring::new();
/// keyring.add_tenant("acme", Some("Acme Corp"))?;
/// keyring.add_token("acme", &token, SystemTime::now())?;
///
/// let message = format!("X-Vipre-Tenant-Key: {}\r\nTo: b@example.org\r\n\r\nHi\r\n", token.expose_secret());
/// let result = verify(message.as_bytes(), &keyring, &Policy::new());
/// assert_eq!(result.verdict.kind(), VerdictKind::Authenticated);
/// assert_eq!(result.verdict.tenant(), Some("acme"));
/// assert_eq!(result.stripped.to_vec(), b"To: b@example.org\r\n\r\nHi\r\n");
/// # Ok::<(), outbound_token::Error>(())
/// ```
pub fn verify<'m, 'k>(
    message: &'m [u8],
    keyring: &'k Keyring,
    policy: &Policy,
) -> Verification<'m, 'k> {
    // `Policy::with_header` validated the name; the default is valid.
    let name = HeaderName::new(policy.header()).unwrap_or(HeaderName::DEFAULT);
    let now = policy.now();

    let mut scanner = scan(message);
    let mut spans = Vec::new();
    let mut first: Option<(TokenDigest, Outcome<'k>)> = None;
    let mut conflict = None;
    let mut tokens = Vec::new();
    for field in scanner.by_ref().filter(|field| name.matches(field)) {
        spans.push(field.span());
        let token = field.token();
        if policy.reject_elsewhere {
            tokens.push(token.to_vec());
        }
        let digest = TokenDigest::of(&token);
        let outcome = judge(&token, &digest, keyring, policy, now);
        match &first {
            None => first = Some((digest, outcome)),
            // Agreement is an equivalence, so comparing each field with the first suffices.
            Some((first_digest, first_outcome)) => {
                conflict =
                    conflict.or_else(|| combine(first_digest, first_outcome, &digest, &outcome));
            }
        }
    }
    let header_end = scanner.finish();
    let stripped = Stripped::cut(message, spans);

    let verdict = if stray_token_line(message, &header_end, name) {
        Verdict::Ambiguous(AmbiguousReason::TokenAfterStrayLine)
    } else if let Some(reason) = conflict {
        Verdict::Ambiguous(reason)
    } else {
        match first {
            None => Verdict::Missing,
            Some((_, outcome)) => outcome.into_verdict(),
        }
    };
    let verdict = match verdict {
        Verdict::Authenticated(_)
            if policy.reject_elsewhere
                && token_elsewhere(message, header_end.body_start(), &tokens, name) =>
        {
            Verdict::Ambiguous(AmbiguousReason::TokenElsewhere)
        }
        verdict => verdict,
    };
    Verification {
        verdict,
        stripped,
        header_end,
    }
}

/// What one token field says on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome<'k> {
    Accepted(Authenticated<'k>),
    Unknown(UnknownReason),
    Malformed(Malformed),
}

impl<'k> Outcome<'k> {
    fn into_verdict(self) -> Verdict<'k> {
        match self {
            Outcome::Accepted(auth) => Verdict::Authenticated(auth),
            Outcome::Unknown(reason) => Verdict::Unknown(reason),
            Outcome::Malformed(reason) => Verdict::Malformed(reason),
        }
    }
}

fn judge<'k>(
    token: &[u8],
    digest: &TokenDigest,
    keyring: &'k Keyring,
    policy: &Policy,
    now: SystemTime,
) -> Outcome<'k> {
    // The keyring is asked first: a relay must accept tokens issued elsewhere even when they
    // happen to look like a damaged token of our own format.
    if let Some(found) = keyring.lookup(digest) {
        let retiring = !found.entry.is_active();
        if !found.entry.accepts(now) {
            return Outcome::Unknown(UnknownReason::Expired);
        }
        if retiring && !policy.accepts_retiring() {
            return Outcome::Unknown(UnknownReason::RetiringRejected);
        }
        return Outcome::Accepted(Authenticated {
            tenant: found.tenant.id(),
            token_index: found.index,
            retiring,
        });
    }
    match check_presented(token) {
        Ok(()) => Outcome::Unknown(UnknownReason::NotInKeyring),
        Err(reason) => Outcome::Malformed(reason),
    }
}

/// V1-V2: a second token field agrees with the first when it holds the same token, or an accepted
/// token of the same tenant.
fn combine(
    first: &TokenDigest,
    first_outcome: &Outcome<'_>,
    digest: &TokenDigest,
    outcome: &Outcome<'_>,
) -> Option<AmbiguousReason> {
    if first.ct_eq(digest) {
        return None;
    }
    match (first_outcome, outcome) {
        (Outcome::Accepted(a), Outcome::Accepted(b)) if a.tenant == b.tenant => None,
        (Outcome::Accepted(_), Outcome::Accepted(_)) => Some(AmbiguousReason::DifferentTenants),
        _ => Some(AmbiguousReason::ConflictingTokens),
    }
}

/// V3: after a header section that ended at a stray line, is there a line before the first empty
/// line that a lenient reader would take for a token field?
fn stray_token_line(message: &[u8], end: &HeaderEnd, name: HeaderName<'_>) -> bool {
    if end.kind() != EndKind::StrayLine {
        return false;
    }
    let mut rest = message.get(end.offset()..).unwrap_or_default();
    while !rest.is_empty() {
        let (line, after) = match memchr::memchr(b'\n', rest) {
            Some(lf) => rest.split_at(lf + 1),
            None => (rest, &[][..]),
        };
        if line == b"\n" || line == b"\r\n" {
            return false;
        }
        if name.starts_line(line) {
            return true;
        }
        rest = after;
    }
    false
}
