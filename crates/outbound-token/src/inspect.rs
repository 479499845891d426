//! The sender-side check: does the provider rule work, and is the token safe?
//!
//! An admin who has just created the provider rule sends a test message and runs [`inspect`] on
//! it as received; a relay operator runs it on a rejected message to learn why. The [`Report`]
//! lists [`Finding`]s, each with a stable [`Code`], a [`Severity`] and a one-line message that
//! says what to fix. No finding ever shows a token: only its redacted form (prefix and last four
//! characters), and only for values long enough that four characters give nothing away.
//!
//! What is checked:
//!
//! - the token field: present, how many times, folded, pasted with surrounding spaces, quotes or
//!   invisible characters, its format and checksum, and what the keyring says of it;
//! - near-miss field names: one character added, dropped or changed, a Unicode look-alike, or a
//!   space inside the name (the rule was probably mistyped);
//! - signatures: a `DKIM-Signature` or `ARC-Message-Signature` whose `h=` list names the token
//!   header, which stripping will break;
//! - leaks: the token in the body (after base64 and quoted-printable decoding, through
//!   mail-parser's MIME walk), and token-named fields in attached messages (`message/rfc822`) and
//!   `text/rfc822-headers` parts, which stripping does not touch.

use std::collections::HashSet;
use std::time::SystemTime;

use mail_parser::{MessageParser, MimeHeaders, PartType};

use crate::Error;
use crate::header::HeaderName;
use crate::keyring::Keyring;
use crate::scan::{EndKind, Field, scan};
use crate::token::{PREFIX, Token, TokenDigest, check_presented};

/// How many findings of one code a report lists before it sums up the rest in one more.
const MAX_PER_CODE: usize = 16;

/// What [`inspect`] checks against.
#[derive(Debug, Clone, Copy)]
pub struct InspectOptions<'k> {
    header: HeaderName<'k>,
    keyring: Option<&'k Keyring>,
    now: Option<SystemTime>,
}

impl Default for InspectOptions<'_> {
    fn default() -> Self {
        InspectOptions {
            header: HeaderName::DEFAULT,
            keyring: None,
            now: None,
        }
    }
}

impl<'k> InspectOptions<'k> {
    /// Checks [`DEFAULT_HEADER`](crate::DEFAULT_HEADER), with no keyring, against the system clock.
    pub fn new() -> Self {
        InspectOptions::default()
    }

    /// Checks the field `header` instead of [`DEFAULT_HEADER`](crate::DEFAULT_HEADER).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidHeaderName`] when `header` is not a valid field name.
    pub fn with_header(mut self, header: &'k str) -> Result<Self, Error> {
        self.header = HeaderName::new(header)?;
        Ok(self)
    }

    /// Also says whether the keyring knows the token, for which tenant, active or retiring.
    pub fn with_keyring(mut self, keyring: &'k Keyring) -> Self {
        self.keyring = Some(keyring);
        self
    }

    /// Judges retiring tokens as of `now` instead of the system clock.
    pub fn with_clock(mut self, now: SystemTime) -> Self {
        self.now = Some(now);
        self
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// All is well; said so that the report is complete.
    Info,
    /// Works now, but is fragile or will break something.
    Warning,
    /// The relay will reject the message, or the token leaks to a recipient.
    Error,
}

impl Severity {
    /// `"info"`, `"warning"` or `"error"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)+) => {
        /// The stable identifier of a finding; tools may match on [`Code::as_str`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* $variant,)+
        }

        impl Code {
            /// Every code, in the order they are documented.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The stable kebab-case name, such as `"token-repeated"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)+
                }
            }

            /// The code with this stable name, if there is one.
            pub fn from_name(name: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|code| code.as_str() == name)
            }
        }
    };
}

codes! {
    /// The token field is present once.
    TokenPresent = "token-present",
    /// No token field in the header section.
    TokenMissing = "token-missing",
    /// The token field appears more than once.
    TokenRepeated = "token-repeated",
    /// The token field's value spans several lines.
    TokenFolded = "token-folded",
    /// The value has spaces or tabs around the token beyond the one space after the colon.
    ValueWhitespace = "value-whitespace",
    /// The value is wrapped in quotes.
    ValueQuoted = "value-quoted",
    /// The value holds an invisible character: zero-width space, no-break space, BOM.
    ValueInvisible = "value-invisible-character",
    /// The value is not a well-formed token.
    TokenMalformed = "token-malformed",
    /// The value is a well-formed token of this crate's format, checksum included.
    TokenWellFormed = "token-well-formed",
    /// The value is a token issued elsewhere (not this crate's format).
    TokenOpaque = "token-opaque",
    /// The keyring knows the token and it is active.
    TokenKnown = "token-known",
    /// The keyring knows the token, which is retiring after a rotation.
    TokenRetiring = "token-retiring",
    /// The keyring knows the token, whose grace period is over.
    TokenExpired = "token-expired",
    /// The keyring does not know the token.
    TokenUnknown = "token-unknown",
    /// A field name one character away from the token header.
    NameNearMiss = "name-near-miss",
    /// A field name that looks like the token header but uses other Unicode characters.
    NameLookAlike = "name-look-alike",
    /// A line that would be the token header but for a space inside the name.
    NameHasSpace = "name-has-space",
    /// A token-named line after a stray line that ended the header section.
    TokenAfterStrayLine = "token-after-stray-line",
    /// A signature covers the token header, so stripping it breaks the signature.
    SignatureCoversToken = "signature-covers-token",
    /// The token appears in the body.
    TokenInBody = "token-in-body",
    /// A token-named field in an attached message or a text/rfc822-headers part.
    TokenFieldInAttachment = "token-field-in-attachment",
}

/// One thing [`inspect`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of finding this is.
    pub code: Code,
    /// How bad it is.
    pub severity: Severity,
    /// One line saying what was found and what to fix; never holds a token.
    pub message: String,
}

/// Everything [`inspect`] found in one message, most severe first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The findings, most severe first, then in the order they were found.
    pub findings: Vec<Finding>,
    /// How many token fields the header section has.
    pub token_fields: usize,
    /// The tenant the keyring matched, when it matched exactly one.
    pub tenant: Option<String>,
    /// Findings left out past [`MAX_PER_CODE`] of one code: the code, the worst severity among
    /// them, how many.
    left_out: Vec<(Code, Severity, usize)>,
}

impl Report {
    /// The worst severity found ([`Severity::Info`] for an empty report).
    pub fn severity(&self) -> Severity {
        self.findings
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(Severity::Info)
    }

    /// `true` when nothing is worse than a warning.
    pub fn is_ok(&self) -> bool {
        self.severity() < Severity::Error
    }

    /// `true` when a finding of this code was made.
    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    fn push(&mut self, code: Code, severity: Severity, message: String) {
        // A hostile message can repeat one problem a million times; a report names the first
        // few and counts the rest.
        if self.findings.iter().filter(|f| f.code == code).count() < MAX_PER_CODE {
            self.findings.push(Finding {
                code,
                severity,
                message,
            });
            return;
        }
        match self.left_out.iter_mut().find(|(c, _, _)| *c == code) {
            Some((_, worst, count)) => {
                *worst = (*worst).max(severity);
                *count += 1;
            }
            None => self.left_out.push((code, severity, 1)),
        }
    }

    /// Adds one finding for each code whose findings were left out.
    fn sum_up_left_out(&mut self) {
        for (code, severity, count) in std::mem::take(&mut self.left_out) {
            let message = format!("and {count} more findings like the above");
            self.findings.push(Finding {
                code,
                severity,
                message,
            });
        }
    }
}

/// Checks `message` the way an admin checks that the provider rule works.
///
/// ```
/// use outbound_token::inspect::{Code, InspectOptions, inspect};
///
/// let message = b"X-Vipre-Tenant-Key: otk_test_7Qm2VwXr9LpZ4sKd\r\nX-Vipre-Tenant-Key: otk_test_7Qm2VwXr9LpZ4sKd\r\n\r\n";
/// let report = inspect(message, &InspectOptions::new());
/// assert!(report.has(Code::TokenRepeated));
/// assert!(report.findings.iter().all(|f| !f.message.contains("7Qm2VwXr9LpZ")));
/// ```
pub fn inspect(message: &[u8], options: &InspectOptions<'_>) -> Report {
    let mut report = Report::default();
    let name = options.header;

    let mut scanner = scan(message);
    let all: Vec<Field<'_>> = scanner.by_ref().collect();
    let end = scanner.finish();
    let fields: Vec<Field<'_>> = all.iter().filter(|f| name.matches(f)).copied().collect();
    // The distinct token values, in order (a set: a hostile header repeats the field thousands
    // of times), and every 8 bytes of them, which no finding may show.
    let mut seen = HashSet::new();
    let tokens: Vec<(&Field<'_>, Vec<u8>)> = fields
        .iter()
        .map(|field| (field, field.token().into_owned()))
        .filter(|(_, token)| seen.insert(token.clone()))
        .collect();
    let secrets = Secrets::new(tokens.iter().map(|(_, token)| token.as_slice()));

    for field in all.iter().filter(|f| !name.matches(f)) {
        check_signature(field, name, &secrets, &mut report);
        check_near_miss(field.name(), name, &secrets, &mut report);
    }
    if end.kind() == EndKind::StrayLine {
        check_after_stray_line(
            message.get(end.offset()..).unwrap_or_default(),
            name,
            &secrets,
            &mut report,
        );
    }

    report.token_fields = fields.len();
    check_presence(&fields, name, &mut report);
    for (field, token) in &tokens {
        check_value(field, token, &mut report);
        check_token(token, options, &mut report);
    }

    // Limitation: the leak search (each token against every decoded part) costs the number of
    // distinct tokens times the size of the message, so only the first few distinct tokens are
    // searched for; more than one is already an error (token-repeated).
    let searched: Vec<Vec<u8>> = tokens
        .into_iter()
        .map(|(_, token)| token)
        .filter(|token| token.len() >= 8)
        .take(MAX_PER_CODE)
        .collect();
    let body = message.get(end.body_start()..).unwrap_or_default();
    check_leaks(message, body, &searched, name, &secrets, &mut report);

    report.sum_up_left_out();
    // Most severe first; a stable sort keeps the order of discovery within a severity.
    report
        .findings
        .sort_by_key(|f| core::cmp::Reverse(f.severity));
    report
}

fn check_presence(fields: &[Field<'_>], name: HeaderName<'_>, report: &mut Report) {
    let header = name.as_str();
    match fields.len() {
        0 => report.push(
            Code::TokenMissing,
            Severity::Error,
            format!("no {header} field: check that the provider rule covers this sender and is enabled"),
        ),
        1 => report.push(Code::TokenPresent, Severity::Info, format!("{header} is present once")),
        n => report.push(
            Code::TokenRepeated,
            Severity::Error,
            format!("{header} appears {n} times, so a second rule may be adding it: keep exactly one rule"),
        ),
    }
    if fields.iter().any(Field::is_folded) {
        report.push(
            Code::TokenFolded,
            Severity::Warning,
            format!("{header} is folded over several lines; it still works, but some tools misread folded values"),
        );
    }
}

/// Spaces, quotes and invisible characters pasted with the token into the rule.
fn check_value(field: &Field<'_>, token: &[u8], report: &mut Report) {
    let raw = field.raw_value();
    // One space after the colon is the usual form, none is valid too; anything more was pasted.
    let blank = |b: &u8| matches!(b, b' ' | b'\t');
    let leading = raw.iter().take_while(|b| blank(b)).count();
    let trailing = raw.iter().rev().take_while(|b| blank(b)).count();
    let padded = leading > 1 || raw.first() == Some(&b'\t') || trailing > 0;
    if !field.is_folded() && padded && !token.is_empty() {
        report.push(
            Code::ValueWhitespace,
            Severity::Warning,
            "the value has extra spaces or tabs around the token: remove them from the rule"
                .to_owned(),
        );
    }
    let quoted = token.len() >= 2
        && matches!(
            (token.first(), token.last()),
            (Some(b'"'), Some(b'"')) | (Some(b'\''), Some(b'\''))
        );
    if quoted {
        report.push(
            Code::ValueQuoted,
            Severity::Error,
            "the value is wrapped in quotes: enter the token in the rule without them".to_owned(),
        );
    }
    if let Some(what) = invisible_character(token) {
        report.push(
            Code::ValueInvisible,
            Severity::Error,
            format!("the value holds an invisible {what}, probably pasted with the token: retype the rule's value"),
        );
    }
}

/// Invisible characters that travel with copy and paste, as UTF-8.
const INVISIBLE: [(&[u8], &str); 6] = [
    ("\u{200B}".as_bytes(), "zero-width space"),
    ("\u{200C}".as_bytes(), "zero-width non-joiner"),
    ("\u{200D}".as_bytes(), "zero-width joiner"),
    ("\u{2060}".as_bytes(), "word joiner"),
    ("\u{FEFF}".as_bytes(), "byte order mark"),
    ("\u{00A0}".as_bytes(), "no-break space"),
];

fn invisible_character(token: &[u8]) -> Option<&'static str> {
    INVISIBLE
        .iter()
        .find(|(bytes, _)| memchr::memmem::find(token, bytes).is_some())
        .map(|(_, what)| *what)
}

/// Format, checksum and what the keyring says.
fn check_token(token: &[u8], options: &InspectOptions<'_>, report: &mut Report) {
    let shown = redact(token);
    let text = core::str::from_utf8(token).unwrap_or_default();
    match check_presented(token) {
        Err(reason) => {
            // A damaged value's last characters may be the middle of the real token: show none.
            let length = token.len();
            report.push(
                Code::TokenMalformed,
                Severity::Error,
                format!("the {length}-byte token value is malformed ({reason}): copy the token again into the rule"),
            );
            return;
        }
        Ok(()) if Token::parse(text).is_ok() => report.push(
            Code::TokenWellFormed,
            Severity::Info,
            format!("the token {shown} is well formed and its checksum matches"),
        ),
        Ok(()) => report.push(
            Code::TokenOpaque,
            Severity::Info,
            format!("the token {shown} is not in this library's format (issued elsewhere?)"),
        ),
    }

    let Some(keyring) = options.keyring else {
        return;
    };
    let Some(found) = keyring.lookup(&TokenDigest::of(token)) else {
        report.push(
            Code::TokenUnknown,
            Severity::Error,
            format!("the token {shown} is not in the keyring: the rule holds another tenant's or an old token"),
        );
        return;
    };
    let tenant = found.tenant.id();
    let now = options.now.unwrap_or_else(SystemTime::now);
    report.tenant = Some(tenant.to_owned());
    if found.entry.is_active() {
        report.push(
            Code::TokenKnown,
            Severity::Info,
            format!("the token {shown} belongs to tenant '{tenant}' and is active"),
        );
    } else if found.entry.accepts(now) {
        report.push(
            Code::TokenRetiring,
            Severity::Warning,
            format!("the token {shown} of tenant '{tenant}' is retiring: put the tenant's new token in the rule"),
        );
    } else {
        report.push(
            Code::TokenExpired,
            Severity::Error,
            format!("the token {shown} of tenant '{tenant}' was retired: put the tenant's new token in the rule"),
        );
    }
}

/// How many bytes of a text taken from the message a finding shows.
const SHOWN_MAX: usize = 64;

/// Every 8 bytes of the message's token values: a finding shows no text that holds one.
struct Secrets {
    windows: HashSet<[u8; 8]>,
}

impl Secrets {
    fn new<'t>(tokens: impl IntoIterator<Item = &'t [u8]>) -> Self {
        let windows = tokens
            .into_iter()
            .flat_map(|token| token.windows(8))
            .filter_map(|window| <[u8; 8]>::try_from(window).ok())
            .collect();
        Secrets { windows }
    }

    /// Text taken from the message (a signer's domain, a field name, a content type) as a
    /// finding shows it: its first [`SHOWN_MAX`] bytes, control characters as `?`, or nothing
    /// when those could hold a token, whether or not it is the token field's: 8 bytes of a token
    /// value, or a run of 8 or more token characters (ASCII letters, digits, `_`) with a digit
    /// or `_` among them.
    fn shown(&self, text: &[u8]) -> String {
        let cut = text.get(..SHOWN_MAX).unwrap_or(text);
        let holds_token = cut.windows(8).any(|window| {
            <[u8; 8]>::try_from(window).is_ok_and(|window| self.windows.contains(&window))
        });
        let token_like = cut
            .split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .any(|run| run.len() >= 8 && run.iter().any(|b| b.is_ascii_digit() || *b == b'_'));
        if holds_token || token_like {
            return "(withheld: it may hold a token)".to_owned();
        }
        let mut shown: String = String::from_utf8_lossy(cut)
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        if cut.len() < text.len() {
            shown.push('…');
        }
        shown
    }
}

/// A `DKIM-Signature` or `ARC-Message-Signature` whose `h=` tag lists the token header.
fn check_signature(
    field: &Field<'_>,
    name: HeaderName<'_>,
    secrets: &Secrets,
    report: &mut Report,
) {
    let kind = field.name();
    if !kind.eq_ignore_ascii_case(b"DKIM-Signature")
        && !kind.eq_ignore_ascii_case(b"ARC-Message-Signature")
    {
        return;
    }
    let value = field.token();
    let tag = |wanted: &[u8]| {
        value.split(|&b| b == b';').find_map(|tag| {
            let (key, rest) = split_once(tag, b'=')?;
            trim(key).eq_ignore_ascii_case(wanted).then_some(rest)
        })
    };
    let Some(signed) = tag(b"h") else { return };
    if signed
        .split(|&b| b == b':')
        .any(|signed| trim(signed).eq_ignore_ascii_case(name.as_str().as_bytes()))
    {
        let domain = tag(b"d")
            .map(|d| secrets.shown(trim(d)))
            .unwrap_or_default();
        report.push(
            Code::SignatureCoversToken,
            Severity::Warning,
            format!(
                "{} (d={domain}) signs {}: stripping the header will break it; sign before the rule adds the header",
                String::from_utf8_lossy(kind),
                name.as_str()
            ),
        );
    }
}

/// Names one edit away, Unicode look-alikes and names with a space inside.
fn check_near_miss(candidate: &[u8], name: HeaderName<'_>, secrets: &Secrets, report: &mut Report) {
    let header = name.as_str();
    if one_edit_apart(candidate, header.as_bytes()) {
        report.push(
            Code::NameNearMiss,
            Severity::Warning,
            format!(
                "field '{}' is one character away from {header}: the rule's header name may be mistyped",
                secrets.shown(candidate)
            ),
        );
    }
}

/// Lines after the stray line that ended the header section, up to the first empty line: a
/// token-named line there (V3), or a look-alike or spaced name that ended the header.
fn check_after_stray_line(
    rest: &[u8],
    name: HeaderName<'_>,
    secrets: &Secrets,
    report: &mut Report,
) {
    let header = name.as_str();
    for line in rest.split_inclusive(|&b| b == b'\n') {
        if line == b"\n" || line == b"\r\n" {
            break;
        }
        if name.starts_line(line) {
            report.push(
                Code::TokenAfterStrayLine,
                Severity::Error,
                format!("a {header} line follows a line that ended the header section: the relay rejects this as ambiguous"),
            );
            continue;
        }
        let candidate = line_name(line);
        if candidate.is_empty() {
            continue;
        }
        // A space in place of a character, or inserted into the name.
        let squeezed: Vec<u8> = candidate
            .iter()
            .copied()
            .filter(|b| !matches!(b, b' ' | b'\t'))
            .collect();
        let spaced = squeezed.len() < candidate.len()
            && (squeezed.eq_ignore_ascii_case(header.as_bytes())
                || one_edit_apart(candidate, header.as_bytes()));
        if spaced {
            report.push(
                Code::NameHasSpace,
                Severity::Error,
                format!("a field name like {header} has a space inside, so the relay does not see it: fix the rule's header name"),
            );
        } else if (!candidate.is_ascii() || fullwidth_colon(line)) && looks_alike(candidate, header)
        {
            report.push(
                Code::NameLookAlike,
                Severity::Error,
                format!("a field name looks like {header} but uses other Unicode characters: retype the rule's header name"),
            );
        } else if candidate.is_ascii() {
            check_near_miss(candidate, name, secrets, report);
        }
    }
}

/// The would-be name of a line: up to a colon (ASCII or fullwidth), without trailing blanks.
fn line_name(line: &[u8]) -> &[u8] {
    let end = [
        memchr::memchr(b':', line),
        memchr::memmem::find(line, "\u{FF1A}".as_bytes()),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(0);
    trim(line.get(..end).unwrap_or_default())
}

/// `true` when the line's first colon is U+FF1A FULLWIDTH COLON rather than `:`.
fn fullwidth_colon(line: &[u8]) -> bool {
    let fullwidth = memchr::memmem::find(line, "\u{FF1A}".as_bytes());
    fullwidth.is_some_and(|f| memchr::memchr(b':', line).is_none_or(|ascii| f < ascii))
}

/// UTS #39 confusable skeletons, compared ASCII case-insensitively.
fn looks_alike(candidate: &[u8], header: &str) -> bool {
    use unicode_security::confusable_detection::skeleton;
    let candidate: String = skeleton(&String::from_utf8_lossy(candidate)).collect();
    let header: String = skeleton(header).collect();
    candidate.eq_ignore_ascii_case(&header)
}

/// Levenshtein distance exactly 1, ASCII case-insensitive.
fn one_edit_apart(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 || a.eq_ignore_ascii_case(b) {
        return false;
    }
    let same = |x: &u8, y: &u8| x.eq_ignore_ascii_case(y);
    let prefix = short
        .iter()
        .zip(long)
        .take_while(|(x, y)| same(x, y))
        .count();
    let (short_rest, long_rest) = (
        short.get(prefix..).unwrap_or_default(),
        long.get(prefix..).unwrap_or_default(),
    );
    let skip = usize::from(short.len() == long.len());
    // Equal lengths: one substitution; otherwise one insertion into the shorter name.
    let (short_tail, long_tail) = (
        short_rest.get(skip..).unwrap_or_default(),
        long_rest.get(1..).unwrap_or_default(),
    );
    short_tail.len() == long_tail.len() && short_tail.iter().zip(long_tail).all(|(x, y)| same(x, y))
}

/// `true` when one of `tokens` also appears outside the header section of `message`: in the body,
/// raw or decoded, or in the header of an attached message. For [`Policy::with_reject_elsewhere`].
///
/// [`Policy::with_reject_elsewhere`]: crate::Policy::with_reject_elsewhere
pub(crate) fn token_elsewhere(
    message: &[u8],
    body_start: usize,
    tokens: &[Vec<u8>],
    name: HeaderName<'_>,
) -> bool {
    // One search per distinct token: a hostile message repeats the token field thousands of
    // times, and searching the whole message once for each copy would take quadratic time.
    let mut seen = HashSet::new();
    let tokens: Vec<Vec<u8>> = tokens
        .iter()
        .filter(|token| seen.insert(token.as_slice()))
        .cloned()
        .collect();
    let secrets = Secrets::new(tokens.iter().map(Vec::as_slice));
    let mut report = Report::default();
    let body = message.get(body_start..).unwrap_or_default();
    check_leaks(message, body, &tokens, name, &secrets, &mut report);
    report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error)
}

/// The token in the body (raw and decoded), and token-named fields in attached messages.
fn check_leaks(
    message: &[u8],
    body: &[u8],
    tokens: &[Vec<u8>],
    name: HeaderName<'_>,
    secrets: &Secrets,
    report: &mut Report,
) {
    // Limitation: mail-parser 0.11.9 has a `debug_assert!` ("Invalid part ID") that hostile
    // MIME trips, so in a debug build it panics where a release build parses on. The panic is
    // caught here and the raw search below takes over; drop the guard once mail-parser no
    // longer asserts on input (tests/inspect_hostile.rs holds the input).
    let parse = || MessageParser::default().parse(message);
    let parsed = std::panic::catch_unwind(parse).ok().flatten();
    let Some(parsed) = parsed else {
        // mail-parser found nothing to walk (or gave up); the raw search below still runs.
        leak_in(body, tokens, "the body", report);
        return;
    };
    let found_decoded = walk(&parsed, tokens, name, secrets, report);
    if !found_decoded {
        leak_in(body, tokens, "the raw body", report);
    }
    dismantle(parsed);
}

/// Visits every part of `root` and of the messages attached to it, at any depth, with an explicit
/// stack (a hostile message can nest thousands deep); returns whether a token was found.
fn walk(
    root: &mail_parser::Message<'_>,
    tokens: &[Vec<u8>],
    name: HeaderName<'_>,
    secrets: &Secrets,
    report: &mut Report,
) -> bool {
    let mut found = false;
    let mut stack = vec![(root, 0_usize)];
    while let Some((message, depth)) = stack.pop() {
        for (index, part) in message.parts.iter().enumerate() {
            let place = match depth {
                0 => format!("part {index}"),
                _ => format!("part {index} of the message attached at depth {depth}"),
            };
            let content_type = part
                .content_type()
                .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")))
                .unwrap_or_default();
            match &part.body {
                PartType::Multipart(_) => {}
                PartType::Message(nested) => {
                    let place = format!("the attached message in {place}");
                    found |=
                        fields_in_attachment(nested.raw_message(), tokens, &place, name, report);
                    stack.push((nested, depth + 1));
                }
                _ => {
                    let contents = part.contents();
                    if content_type.eq_ignore_ascii_case("text/rfc822-headers") {
                        let place = format!("the text/rfc822-headers {place}");
                        found |= fields_in_attachment(contents, tokens, &place, name, report);
                    }
                    let shown = secrets.shown(content_type.as_bytes());
                    let place = format!("{place} ({shown}, decoded)");
                    found |= leak_in(contents, tokens, &place, report);
                }
            }
        }
    }
    found
}

/// Drops a parsed message without recursion. mail-parser nests attached messages by value, so
/// its own drop recurses once per level, and a message nested a few thousand deep would
/// overflow a thread's stack.
fn dismantle(root: mail_parser::Message<'_>) {
    let mut stack = vec![root];
    while let Some(mut message) = stack.pop() {
        for part in message.parts.drain(..) {
            if let PartType::Message(nested) = part.body {
                stack.push(nested);
            }
        }
    }
}

/// Token-named fields in the header section of an attached message or a headers part: a
/// warning, or an error when one holds a token of the outer header. Returns whether one does.
fn fields_in_attachment(
    headers: &[u8],
    tokens: &[Vec<u8>],
    place: &str,
    name: HeaderName<'_>,
    report: &mut Report,
) -> bool {
    let mut count = 0;
    let mut same = false;
    for field in scan(headers).filter(|f| name.matches(f)) {
        count += 1;
        same |= tokens.iter().any(|t| *t == *field.token());
    }
    if count == 0 {
        return false;
    }
    let header = name.as_str();
    if same {
        report.push(
            Code::TokenFieldInAttachment,
            Severity::Error,
            format!("{place} carries {header} with this message's token, and stripping removes only the outer header: rotate the token"),
        );
    } else {
        report.push(
            Code::TokenFieldInAttachment,
            Severity::Warning,
            format!("{place} carries {count} {header} field(s), which stripping leaves in place for recipients to see"),
        );
    }
    same
}

/// Reports each token (of at least 8 bytes, so that short junk values don't match everywhere)
/// found in `haystack`; returns whether any was.
fn leak_in(haystack: &[u8], tokens: &[Vec<u8>], place: &str, report: &mut Report) -> bool {
    let mut any = false;
    for token in tokens.iter().filter(|t| t.len() >= 8) {
        if memchr::memmem::find(haystack, token).is_some() {
            any = true;
            report.push(
                Code::TokenInBody,
                Severity::Error,
                format!(
                    "the token {} also appears in {place}, where recipients can read it: rotate it",
                    redact(token)
                ),
            );
        }
    }
    any
}

/// The prefix and the last four characters of a presented value, when it is long enough that
/// they give nothing away; otherwise only its length.
fn redact(token: &[u8]) -> String {
    let printable = token.iter().all(|&b| (0x21..=0x7E).contains(&b));
    match token.len().checked_sub(4).and_then(|at| token.get(at..)) {
        Some(tail) if printable && token.len() >= 16 => {
            let prefix = if token.starts_with(PREFIX.as_bytes()) {
                PREFIX
            } else {
                ""
            };
            format!("{prefix}…{}", String::from_utf8_lossy(tail))
        }
        _ => format!("(a {}-byte value)", token.len()),
    }
}

fn split_once(bytes: &[u8], at: u8) -> Option<(&[u8], &[u8])> {
    let i = memchr::memchr(at, bytes)?;
    Some((bytes.get(..i)?, bytes.get(i + 1..)?))
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    bytes.get(start..end).unwrap_or_default()
}
