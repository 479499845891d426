//! Fuzz oracles: the logic behind the targets in `fuzz/fuzz_targets/`, one function per target.
//!
//! Hidden from the docs and not part of the API. Each function takes the fuzzer's bytes, runs one
//! entry point of the crate on them and asserts what HEADER-RULES promises about the result: a
//! failed assertion is a finding. The code lives here rather than in `fuzz/` so that rustc and
//! clippy check it in every build, and so that `cargo test` runs every oracle over the committed
//! seed corpus on stable (see the tests at the bottom). `fuzz/README.md` lists the targets.
//!
//! # Input modes
//!
//! An input whose first byte is 0xF5-0xFF (bytes that never occur in UTF-8) is *mapped*: every
//! following byte selects a fragment of a small alphabet (letters, digits, `:`, SP, HTAB, CR,
//! LF, `-` and a few whole words such as the token header's name), so that the fuzzer produces
//! colons, folds and token fields often and reaches deep header states quickly. Any other input
//! is used as it is, so the committed `.eml` seeds are read raw.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::missing_panics_doc,
    reason = "fuzz oracles: a failed assertion is the finding, and a panic is how the fuzzer \
              reports it; no library code calls this module"
)]

use std::borrow::Cow;
use std::ops::Range;
use std::time::{Duration, UNIX_EPOCH};

use crate::scan::{EndKind, Field, HeaderEnd};
use crate::{DEFAULT_HEADER, Error, Keyring, MasterKey, Policy, Token, check_presented};

/// First byte of a mapped input; see the [module docs](self).
pub const MAPPED: u8 = 0xF5;

/// Single bytes of the mail alphabet: a mapped byte selects one of these or one of [`MAIL_WORDS`].
const MAIL_BYTES: &[u8] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789: \t\r\n-";

/// Whole fragments of the mail alphabet: line endings, folds, the token header, an envelope, and
/// MIME structure for the `inspect` target (multipart boundaries, attached messages, transfer
/// encodings, a signature over the token header, [`FUZZ_TOKEN`] raw and base64-encoded). New
/// words go at the end, so that the mapped seeds written before them keep their meaning.
const MAIL_WORDS: &[&[u8]] = &[
    b"\r\n",
    b"\r\n ",
    b"\n\t",
    b": ",
    b" :",
    b"X-Vipre-Tenant-Key",
    b"x-vipre-tenant-key",
    b"X-Vipre-Tenant-Key: ",
    b"\r\nX-Vipre-Tenant-Key:",
    b"From ",
    b"otk_",
    b"\r\n\r\n",
    b"\r\r\n",
    b"\0",
    b"\x80",
    b"\xEF\xBB\xBF",
    b"--",
    b"Content-Type: multipart/mixed; boundary=",
    b"Content-Type: message/rfc822\r\n",
    b"Content-Type: text/rfc822-headers\r\n",
    b"message/rfc822",
    b"Content-Transfer-Encoding: base64\r\n",
    b"Content-Transfer-Encoding: quoted-printable\r\n",
    b"DKIM-Signature: h=X-Vipre-Tenant-Key; d=",
    b"otk_test_7Qm2VwXr9LpZ4sKd",
    b"b3RrX3Rlc3RfN1FtMlZ3WHI5THBaNHNLZA==",
    b"=\r\n",
    b"\"",
    b";",
    b"=",
];

/// The token the `inspect` target's keyring knows (an opaque token, as in the tests); the mail
/// alphabet has it as one word.
pub const FUZZ_TOKEN: &str = "otk_test_7Qm2VwXr9LpZ4sKd";

/// Single characters of the token alphabet: base62 and `_`.
const TOKEN_BYTES: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";

/// Whole fragments of the token alphabet: the prefix, whitespace the parsers trim, lookalikes.
const TOKEN_WORDS: &[&[u8]] = &[
    b"otk_",
    b" ",
    b"\t",
    b"\r\n",
    "\u{00A0}".as_bytes(),
    "\u{200B}".as_bytes(),
    "\u{FEFF}".as_bytes(),
    "\u{3000}".as_bytes(),
    "\u{212A}".as_bytes(),
    "\u{E9}".as_bytes(),
    b"-",
    b"\0",
    b"\x7F",
];

/// Single characters of the keyring alphabet.
const KEYRING_BYTES: &[u8] = b"abcdef0123456789 -_.:TZ\"'=\n#[]{},\\";

/// Whole fragments of the keyring alphabet: keys, tables, a digest and timestamps.
const KEYRING_WORDS: &[&[u8]] = &[
    b"version = 1\n",
    b"\n[[tenant]]\n",
    b"id = \"acme\"\n",
    b"id = \"",
    b"name = \"",
    b"\n[[tenant.token]]\n",
    b"sha256 = \"f7afbba462b62b7ee8517f32a689ffae48d3aa4a18562acdb21ed04e6bc2ca62\"\n",
    b"sha256 = \"",
    "hint = \"otk_…AvIy\"\n".as_bytes(),
    b"hint = \"",
    b"added = \"2026-12-03T13:27:57Z\"\n",
    b"not_after = \"2026-12-06T13:27:57.5Z\"\n",
    b"added = \"",
    b"9999-12-31T23:59:59.999999999Z",
    b"1970-01-01 00:00:00",
    b"\\u0001",
    b"\\u007F",
    "\u{85}".as_bytes(),
    b"\"\"\"",
];

/// The fuzzer's bytes, or for a mapped input the bytes it selects from `singles` and `words`.
fn input<'a>(data: &'a [u8], singles: &[u8], words: &[&[u8]]) -> Cow<'a, [u8]> {
    match data.split_first() {
        Some((&first, rest)) if first >= MAPPED => {
            let mut out = Vec::with_capacity(rest.len());
            for &b in rest {
                let index = usize::from(b) % (singles.len() + words.len());
                match index.checked_sub(singles.len()).and_then(|i| words.get(i)) {
                    Some(word) => out.extend_from_slice(word),
                    None => out.push(singles[index]),
                }
            }
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(data),
    }
}

/// The mapped input (first byte [`MAPPED`]) that selects `text` from the mail alphabet, for
/// seeds: each run of bytes is taken as the longest word it starts with, else as a single byte;
/// a byte outside the alphabet becomes `x`.
pub fn mail_seed(text: &[u8]) -> Vec<u8> {
    let mut out = vec![MAPPED];
    let mut rest = text;
    while let Some(&first) = rest.first() {
        let word = MAIL_WORDS
            .iter()
            .enumerate()
            .filter(|(_, word)| rest.starts_with(word))
            .max_by_key(|(_, word)| word.len());
        let (code, len) = match word {
            Some((i, word)) => (MAIL_BYTES.len() + i, word.len()),
            None => {
                let byte = if MAIL_BYTES.contains(&first) {
                    first
                } else {
                    b'x'
                };
                (MAIL_BYTES.iter().position(|&b| b == byte).unwrap(), 1)
            }
        };
        out.push(u8::try_from(code).unwrap());
        rest = &rest[len..];
    }
    out
}

/// Offset of `inner`, a subslice of `outer`, in `outer`.
fn offset_in(outer: &[u8], inner: &[u8]) -> usize {
    let offset = inner.as_ptr().addr().wrapping_sub(outer.as_ptr().addr());
    assert!(
        offset <= outer.len() && offset + inner.len() <= outer.len(),
        "a field borrows bytes outside the message"
    );
    offset
}

/// The line that starts at `at`: its text and the offset after its line ending (L1, L2).
fn line_at(message: &[u8], at: usize) -> (&[u8], usize) {
    let rest = &message[at..];
    match rest.iter().position(|&b| b == b'\n') {
        Some(lf) => {
            let text = &rest[..lf];
            (text.strip_suffix(b"\r").unwrap_or(text), at + lf + 1)
        }
        None => (rest, message.len()),
    }
}

/// F1, written again independently of the scanner: `name *WSP ":"` with `name` made of
/// 0x21-0x7E except `:`. Returns the name's length and the colon's offset.
fn field_line(text: &[u8]) -> Option<(usize, usize)> {
    let name_len = text
        .iter()
        .take_while(|&&b| b != b':' && (0x21..=0x7E).contains(&b))
        .count();
    let wsp = text[name_len..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    (name_len > 0 && text.get(name_len + wsp) == Some(&b':')).then_some((name_len, name_len + wsp))
}

/// F4, written again independently of the scanner: remove every LF with the CR right before
/// it (inside a raw value every LF is a fold), then trim SP and HTAB at both ends.
fn unfold_and_trim(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, &b) in raw.iter().enumerate() {
        let crlf = b == b'\r' && raw.get(i + 1) == Some(&b'\n');
        if b != b'\n' && !crlf {
            out.push(b);
        }
    }
    let is_wsp = |b: &u8| *b == b' ' || *b == b'\t';
    let start = out.iter().position(|b| !is_wsp(b)).unwrap_or(out.len());
    let end = out
        .iter()
        .rposition(|b| !is_wsp(b))
        .map_or(start, |i| i + 1);
    out[start..end].to_vec()
}

/// Runs the scanner over `message` and asserts the tiling guarantee (see [`crate::scan()`]) and
/// every field's shape; returns the fields, the envelope and the end.
fn check_scan(message: &[u8]) -> (Vec<Field<'_>>, Option<Range<usize>>, HeaderEnd) {
    let mut scanner = crate::scan(message);
    let envelope = scanner.envelope();
    let fields: Vec<Field<'_>> = scanner.by_ref().collect();
    let end = scanner
        .end()
        .expect("the end is known once the scanner returned None");
    assert_eq!(scanner.next(), None, "the scanner is fused");
    assert_eq!(
        crate::scan(message).finish(),
        end,
        "finish() agrees with end()"
    );

    // [envelope line]: E1, one `From ` line at offset 0.
    let mut at = 0;
    if message.starts_with(b"From ") {
        let envelope = envelope
            .clone()
            .expect("a `From ` line at offset 0 is an envelope");
        assert_eq!(
            envelope,
            0..line_at(message, 0).1,
            "the envelope is the first line"
        );
        at = envelope.end;
    } else {
        assert_eq!(envelope, None, "no envelope without `From ` at offset 0");
    }

    // [leading continuation lines]: E5.
    let first = fields.first().map_or(end.offset(), |f| f.span().start);
    while at < first {
        let (text, next) = line_at(message, at);
        assert!(
            matches!(text.first(), Some(b' ' | b'\t')),
            "only continuation lines sit between the envelope and the first field (at {at})"
        );
        at = next;
    }
    assert_eq!(at, first, "the first field starts at a line boundary");

    // field span ... field span: contiguous, each a field line and its continuations.
    for field in &fields {
        let span = field.span();
        assert_eq!(span.start, at, "field spans are contiguous");
        assert!(span.start < span.end && span.end <= message.len());
        let (text, mut next) = line_at(message, span.start);
        let (name_len, colon) = field_line(text).expect("a field starts with a field line");
        assert_eq!(field.name(), &text[..name_len]);
        assert_eq!(offset_in(message, field.name()), span.start);
        let value_start = offset_in(message, field.raw_value());
        assert_eq!(
            value_start,
            span.start + colon + 1,
            "the value starts after the colon"
        );
        while next < span.end {
            let (text, after) = line_at(message, next);
            assert!(matches!(text.first(), Some(b' ' | b'\t')), "F2 at {next}");
            next = after;
        }
        assert_eq!(next, span.end, "a field ends at a line boundary");
        // The raw value runs to the end of the last line's text, without its line ending.
        let value_end = value_start + field.raw_value().len();
        let ending = &message[value_end..span.end];
        assert!(
            matches!(ending, b"" | b"\n" | b"\r\n"),
            "the span ends with the value's line ending"
        );
        assert!(
            !ending.is_empty() || span.end == message.len(),
            "L2 only on the last line"
        );
        assert!(
            !matches!(message.get(span.end), Some(b' ' | b'\t')),
            "a continuation line after a field belongs to it (F2)"
        );
        assert_eq!(field.is_folded(), field.raw_value().contains(&b'\n'));
        assert_eq!(
            &*field.token(),
            unfold_and_trim(field.raw_value()),
            "F4 token"
        );
        if let Ok(name) = std::str::from_utf8(field.name()) {
            assert!(field.has_name(name) && field.has_name(&name.to_ascii_lowercase()));
        }
        at = span.end;
    }

    // [end marker] [body]
    assert_eq!(end.offset(), at, "the header ends after the last field");
    match end.kind() {
        EndKind::EmptyLine => {
            let separator = &message[end.offset()..end.body_start()];
            assert!(
                matches!(separator, b"\n" | b"\r\n"),
                "E2: exactly CRLF or LF"
            );
        }
        EndKind::StrayLine => {
            assert_eq!(end.body_start(), end.offset());
            let (text, _) = line_at(message, end.offset());
            assert!(!text.is_empty(), "a stray line is not empty");
            assert!(
                !matches!(text.first(), Some(b' ' | b'\t')) && field_line(text).is_none(),
                "E3: a stray line is neither a field nor a continuation line"
            );
        }
        EndKind::EndOfInput => {
            assert_eq!(
                (end.offset(), end.body_start()),
                (message.len(), message.len())
            );
        }
    }
    (fields, envelope, end)
}

/// `message` without the bytes of `spans`.
fn cut(message: &[u8], spans: &[Range<usize>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len());
    let mut kept_from = 0;
    for span in spans {
        out.extend_from_slice(&message[kept_from..span.start]);
        kept_from = span.end;
    }
    out.extend_from_slice(&message[kept_from..]);
    out
}

/// The `scan` target: never panics, and the pieces tile the input (see [`crate::scan()`]).
pub fn scan(data: &[u8]) {
    let message = input(data, MAIL_BYTES, MAIL_WORDS);
    let (fields, _, _) = check_scan(&message);
    let found = crate::find(&message, DEFAULT_HEADER).expect("the default name is valid");
    let expected: Vec<_> = fields
        .iter()
        .filter(|f| f.name().eq_ignore_ascii_case(DEFAULT_HEADER.as_bytes()))
        .copied()
        .collect();
    assert_eq!(found, expected, "find() is scan() filtered by name (F3)");
}

/// The `strip` target: the output is the input with exactly the token fields' spans cut out
/// (S1, S2), stripping again changes nothing and no token field is left (S3), except where
/// stripping puts a `From ` line at offset 0 (E1, see [`crate::strip`]). [`crate::verify`] with
/// an empty keyring strips the same bytes and never authenticates.
pub fn strip(data: &[u8]) {
    let message = input(data, MAIL_BYTES, MAIL_WORDS);
    let message = &*message;
    let (fields, _, end) = check_scan(message);
    let spans: Vec<_> = fields
        .iter()
        .filter(|f| f.name().eq_ignore_ascii_case(DEFAULT_HEADER.as_bytes()))
        .map(Field::span)
        .collect();

    let stripped = crate::strip(message, DEFAULT_HEADER).expect("the default name is valid");
    let once = stripped.to_vec();
    assert_eq!(
        once,
        cut(message, &spans),
        "S1, S2: exactly the token fields are cut"
    );
    assert_eq!(stripped.removed(), spans.len());
    assert_eq!(stripped.len(), once.len());
    assert_eq!(stripped.is_unchanged(), spans.is_empty());
    assert_eq!(stripped.as_slices().concat(), once);
    let mut written = Vec::new();
    stripped.write_to(&mut written).unwrap();
    assert_eq!(written, once);
    let lowercase = crate::strip(message, &DEFAULT_HEADER.to_ascii_lowercase()).unwrap();
    assert_eq!(lowercase, stripped, "F3: names match case-insensitively");

    let keyring = Keyring::new();
    let verification = crate::verify(message, &keyring, &Policy::new());
    assert_eq!(
        verification.stripped, stripped,
        "V5: verify strips the same bytes"
    );
    assert_eq!(verification.header_end, end);
    assert!(
        !verification.verdict.is_authenticated(),
        "an empty keyring knows no token"
    );

    // The documented exception to S3: a `From ` line that stripping moves to offset 0 is an
    // envelope (E1) on the second pass, so fields after it become visible.
    if once.starts_with(b"From ") && !message.starts_with(b"From ") {
        return;
    }
    let twice = crate::strip(&once, DEFAULT_HEADER).unwrap();
    assert!(twice.is_unchanged(), "S3: stripping is idempotent");
    assert_eq!(twice.to_vec(), once);
    let (left, _, _) = check_scan(&once);
    assert!(
        !left.iter().any(|f| f.has_name(DEFAULT_HEADER)),
        "no token field is left"
    );
}

/// Header names that [`set_header`] picks from; the last is invalid.
const SET_NAMES: &[&str] = &[
    DEFAULT_HEADER,
    "x-vipre-tenant-key",
    "To",
    "From",
    "Bad Name",
];

/// The `set_header` target. The input is `message [0xFF name value]`: everything after the last
/// 0xFF selects the header name (one byte) and the value (lossy UTF-8); without 0xFF the message
/// is stamped with [`DEFAULT_HEADER`] and a fixed value.
///
/// The output has exactly one field of that name, whose token is the value (trimmed, F4), and
/// stripping the name from the output equals stripping it from the input, except for an input
/// that is only an envelope or leading continuation lines with no final line ending (see
/// [`crate::set_header`]): the output ends that line first.
pub fn set_header(data: &[u8]) {
    let (message, name, value) = match data.iter().rposition(|&b| b == 0xFF) {
        Some(at) => {
            let spec = &data[at + 1..];
            let name = spec.first().map_or(DEFAULT_HEADER, |&b| {
                SET_NAMES[usize::from(b) % SET_NAMES.len()]
            });
            let value = String::from_utf8_lossy(spec.get(1..).unwrap_or_default());
            (&data[..at], name, value)
        }
        None => (data, DEFAULT_HEADER, Cow::Borrowed("otk_fuzz value")),
    };
    let message = input(message, MAIL_BYTES, MAIL_WORDS);
    let message = &*message;

    let result = crate::set_header(message, name, &value);
    if name.contains(' ') {
        assert!(matches!(result, Err(Error::InvalidHeaderName { .. })));
        return;
    }
    let controls = value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7F);
    if controls {
        assert!(matches!(result, Err(Error::InvalidHeaderValue { .. })));
        return;
    }
    let out = result.expect("a valid name and value");

    let (fields, _, _) = check_scan(&out);
    let named: Vec<_> = fields.iter().filter(|f| f.has_name(name)).collect();
    assert_eq!(named.len(), 1, "exactly one `{name}` field");
    assert_eq!(named[0].name(), name.as_bytes());
    let trimmed = value.trim_matches(|c| c == ' ' || c == '\t');
    assert_eq!(
        &*named[0].token(),
        trimmed.as_bytes(),
        "its token is the value"
    );

    let from_out = crate::strip(&out, name).unwrap().to_vec();
    let from_in = crate::strip(message, name).unwrap().to_vec();
    if from_out != from_in {
        // The documented case: the whole input is an envelope or leading continuation lines
        // (no field) and its last line has no line ending; the output gives it one.
        let (in_fields, _, in_end) = check_scan(message);
        assert!(
            in_fields.is_empty()
                && in_end.offset() == message.len()
                && !message.ends_with(b"\n")
                && !message.is_empty(),
            "stripping `{name}` from the output equals stripping it from the input"
        );
        let eol = &from_out[from_in.len()..];
        assert!(from_out.starts_with(&from_in) && matches!(eol, b"\n" | b"\r\n"));
    }
}

/// The header section of `message`, if it is in the differential target's domain: valid UTF-8,
/// no CR except right before LF, the first line a field line that does not start with `From `,
/// every later line a field or continuation line, up to an empty line. Checked line by line here,
/// independently of the scanner. Returns the offset of the empty line and the number of fields.
fn differential_domain(message: &[u8]) -> Option<(usize, usize)> {
    if message.starts_with(b"From ") {
        return None;
    }
    let mut at = 0;
    let mut fields = 0;
    loop {
        if at == message.len() {
            return None;
        }
        let (text, next) = line_at(message, at);
        let line = &message[at..next];
        if matches!(line, b"\n" | b"\r\n") {
            break;
        }
        let bare_cr = text.contains(&b'\r') || !line.ends_with(b"\n");
        if bare_cr {
            return None;
        }
        if matches!(text.first(), Some(b' ' | b'\t')) {
            if at == 0 {
                return None;
            }
        } else if field_line(text).is_some() {
            fields += 1;
        } else {
            return None;
        }
        at = next;
    }
    std::str::from_utf8(&message[..at]).ok()?;
    Some((at, fields))
}

/// The `differential` target: on inputs in `differential_domain`, the scanner and
/// mail-parser 0.11 find the same fields at the same byte offsets, with the same names and the
/// same values once unfolded and trimmed. `fuzz/README.md` lists the deliberate differences that
/// the domain leaves out.
pub fn differential(data: &[u8]) {
    let message = input(data, MAIL_BYTES, MAIL_WORDS);
    let message = &*message;
    let Some((empty_line, count)) = differential_domain(message) else {
        return;
    };
    let (fields, envelope, end) = check_scan(message);
    assert_eq!(envelope, None);
    assert_eq!((end.kind(), end.offset()), (EndKind::EmptyLine, empty_line));
    assert_eq!(fields.len(), count);

    // Every field read raw: mail-parser's structured parsers (addresses, dates, Received,
    // Content-Type) decode and restructure values; only the raw reading is comparable.
    let parser = mail_parser::MessageParser::new()
        .header_raw(mail_parser::HeaderName::Other(DEFAULT_HEADER.into()));
    let Some(parsed) = parser.parse_headers(message) else {
        assert!(fields.is_empty(), "mail-parser found no field");
        return;
    };
    let theirs = parsed.headers();
    assert_eq!(theirs.len(), fields.len(), "the same number of fields");
    for (ours, theirs) in fields.iter().zip(theirs) {
        let name = std::str::from_utf8(ours.name()).unwrap();
        let same_name = theirs.name.as_str().eq_ignore_ascii_case(name)
            || mail_parser::HeaderName::parse(name).as_ref() == Some(&theirs.name);
        assert!(same_name, "name {name:?} vs {:?}", theirs.name);
        let at = |offset: u32| usize::try_from(offset).unwrap();
        let value_start = offset_in(message, ours.raw_value());
        assert_eq!(
            (
                at(theirs.offset_field),
                at(theirs.offset_start),
                at(theirs.offset_end)
            ),
            (ours.span().start, value_start, ours.span().end),
            "offsets of {name:?}"
        );
        // mail-parser keeps folds inside a raw value (only trimming its ends); inside the value
        // every LF is a fold, so removing LFs and the CRs before them unfolds it.
        let value = match &theirs.value {
            mail_parser::HeaderValue::Text(text) => text.replace("\r\n", "").replace('\n', ""),
            mail_parser::HeaderValue::Empty => String::new(),
            other => panic!("a raw field parsed as {other:?}"),
        };
        assert_eq!(
            String::from_utf8_lossy(&ours.token()),
            value,
            "value of {name:?}"
        );
    }
}

/// The keyring of the `inspect` target: tenant `acme` with [`FUZZ_TOKEN`], active.
fn inspect_keyring() -> &'static Keyring {
    static KEYRING: std::sync::OnceLock<Keyring> = std::sync::OnceLock::new();
    KEYRING.get_or_init(|| {
        let mut keyring = Keyring::new();
        keyring.add_tenant("acme", None).unwrap();
        let token = Token::import(FUZZ_TOKEN).unwrap();
        keyring.add_token("acme", &token, UNIX_EPOCH).unwrap();
        keyring
    })
}

/// The `inspect` target: [`crate::inspect::inspect`] never panics and never shows
/// [`FUZZ_TOKEN`], nor any 8 characters of it, in a finding; it counts the token fields as
/// [`crate::find`] does, lists findings most severe first and at most 17 of one code (16 and a
/// sum). [`crate::verify`] with [`Policy::with_reject_elsewhere`] (the same MIME walk) never
/// panics, strips what [`crate::strip`] strips, and does not authenticate a message whose body
/// (after the header section, raw) holds the token.
pub fn inspect(data: &[u8]) {
    use crate::inspect::{InspectOptions, Severity};

    let message = input(data, MAIL_BYTES, MAIL_WORDS);
    let message = &*message;
    let keyring = inspect_keyring();
    let options = InspectOptions::new()
        .with_keyring(keyring)
        .with_clock(UNIX_EPOCH);
    let report = crate::inspect::inspect(message, &options);

    let windows: Vec<&str> = (0..=FUZZ_TOKEN.len() - 8)
        .map(|at| &FUZZ_TOKEN[at..at + 8])
        .collect();
    for finding in &report.findings {
        assert!(
            !windows.iter().any(|w| finding.message.contains(w)),
            "a finding shows the token: {finding:?}"
        );
    }
    let found = crate::find(message, DEFAULT_HEADER).expect("the default name is valid");
    assert_eq!(
        report.token_fields,
        found.len(),
        "token_fields counts find()"
    );
    assert!(
        report
            .findings
            .windows(2)
            .all(|pair| pair[0].severity >= pair[1].severity),
        "most severe first: {:?}",
        report.findings
    );
    for code in crate::inspect::Code::ALL {
        let count = report.findings.iter().filter(|f| f.code == *code).count();
        assert!(count <= 17, "{count} findings of {code:?}");
    }
    assert_eq!(
        report.severity(),
        report
            .findings
            .first()
            .map_or(Severity::Info, |f| f.severity)
    );

    let policy = Policy::new()
        .with_reject_elsewhere(true)
        .with_clock(UNIX_EPOCH);
    let verification = crate::verify(message, keyring, &policy);
    let stripped = crate::strip(message, DEFAULT_HEADER).unwrap();
    assert_eq!(
        verification.stripped, stripped,
        "verify strips what strip strips"
    );
    let body = &message[verification.header_end.body_start()..];
    if memchr::memmem::find(body, FUZZ_TOKEN.as_bytes()).is_some() {
        assert!(
            !verification.verdict.is_authenticated(),
            "authenticated with the token in the body"
        );
    }
}

/// Token alphabet fragments as text.
fn token_text(data: &[u8]) -> String {
    String::from_utf8_lossy(&input(data, TOKEN_BYTES, TOKEN_WORDS)).into_owned()
}

/// The `token` target: [`Token::parse`], [`Token::opaque`], [`Token::import`],
/// [`check_presented`] and [`MasterKey::from_hex`] never panic, whatever they accept reads back
/// from its own text, and [`Token::derive`] with the input as master key, tenant and version
/// makes a native token that parses.
pub fn token(data: &[u8]) {
    let text = token_text(data);

    let parsed = Token::parse(&text);
    let opaque = Token::opaque(&text);
    let imported = Token::import(&text);
    let presented = check_presented(text.as_bytes());
    check_presented(data).ok();
    if let Ok(token) = &parsed {
        assert!(token.is_native());
        let again = Token::parse(token.expose_secret()).expect("parse(expose_secret)");
        assert_eq!(again.expose_secret(), token.expose_secret());
        assert_eq!(&again, token);
        assert_eq!(check_presented(token.expose_secret().as_bytes()), Ok(()));
        assert_eq!(
            imported.as_ref().ok(),
            Some(token),
            "import accepts a native token"
        );
    }
    // Whatever opaque or import accepts, opaque accepts again from its text, and import too
    // for what import accepted (import is stricter: native-looking text must be native).
    for token in [&opaque, &imported].into_iter().flatten() {
        let secret = token.expose_secret();
        let again = Token::opaque(secret).expect("opaque(expose_secret)");
        assert_eq!(again.expose_secret(), secret);
        assert_eq!(again.is_native(), token.is_native());
        assert!(
            !token.redacted().contains(secret),
            "the hint never shows the token"
        );
    }
    if let Ok(token) = &imported {
        let again = Token::import(token.expose_secret()).expect("import(expose_secret)");
        assert_eq!(again.expose_secret(), token.expose_secret());
    }
    if presented.is_ok() {
        // A well-formed presented value has no byte that trimming removes.
        let token = Token::opaque(&text).expect("check_presented Ok implies opaque Ok");
        assert_eq!(token.expose_secret(), text);
    }

    // Derivation: version in the first 4 bytes, master key in the next 32 (so shorter inputs
    // exercise the length check), tenant in the rest.
    let version = data
        .get(..4)
        .map_or(0, |b| u32::from_be_bytes(b.try_into().unwrap()));
    let key = data.get(4..36).unwrap_or(data.get(4..).unwrap_or_default());
    let tenant = String::from_utf8_lossy(data.get(36..).unwrap_or_default());
    match MasterKey::from_bytes(key) {
        Ok(master) => {
            let token = match Token::derive(&master, &tenant, version) {
                Ok(token) => token,
                Err(error) => {
                    assert_eq!(error, Error::InvalidTenantId);
                    assert!(
                        Keyring::new().add_tenant(&tenant, None).is_err(),
                        "keyring accepts {tenant:?}"
                    );
                    return;
                }
            };
            assert!(token.is_native());
            let parsed = Token::parse(token.expose_secret()).expect("a derived token parses");
            assert_eq!(parsed, token);
            assert_eq!(
                Token::derive(&master, &tenant, version).ok(),
                Some(token.clone()),
                "deterministic"
            );
            let hex = master.expose_secret_hex();
            let again = MasterKey::from_hex(&hex).expect("expose_secret_hex reads back");
            assert_eq!(Token::derive(&again, &tenant, version).ok(), Some(token));
        }
        Err(error) => assert!(matches!(error, Error::MasterKeyLength { .. }) && key.len() < 32),
    }
    if let Ok(master) = MasterKey::from_hex(&text) {
        let hex = master.expose_secret_hex();
        assert_eq!(hex.len(), 2 * master.len());
        let again = MasterKey::from_hex(&hex).unwrap();
        assert_eq!(again.expose_secret_hex(), hex);
    }
}

/// The `keyring` target: [`Keyring::from_toml_str`] never panics, and whatever loads writes out
/// with [`Keyring::to_toml_string`] and reads back equal, and writes out the same text again.
pub fn keyring(data: &[u8]) {
    let bytes = input(data, KEYRING_BYTES, KEYRING_WORDS);
    let text = String::from_utf8_lossy(&bytes);
    let Ok(keyring) = Keyring::from_toml_str(&text) else {
        return;
    };
    let written = keyring.to_toml_string();
    let again = Keyring::from_toml_str(&written)
        .unwrap_or_else(|error| panic!("a written keyring reads back: {error}\n{written}"));
    assert_eq!(again, keyring, "the keyring round-trips");
    assert_eq!(again.to_toml_string(), written, "writing is stable");
    for tenant in keyring.tenants() {
        assert_eq!(keyring.tenant(tenant.id()), Some(tenant));
        for (index, entry) in tenant.tokens().iter().enumerate() {
            let found = keyring
                .lookup(entry.digest())
                .expect("every digest is found");
            assert_eq!((found.tenant.id(), found.index), (tenant.id(), index));
            assert!(entry.added() >= UNIX_EPOCH);
            if let Some(not_after) = entry.not_after() {
                assert!(
                    entry.accepts(not_after) && !entry.accepts(not_after + Duration::from_secs(1))
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::{Path, PathBuf};

    use super::*;

    /// A target's oracle.
    type Oracle = fn(&[u8]);

    /// Every target and its oracle.
    const TARGETS: &[(&str, Oracle)] = &[
        ("scan", scan),
        ("strip", strip),
        ("differential", differential),
        ("set_header", set_header),
        ("inspect", inspect),
        ("token", token),
        ("keyring", keyring),
    ];

    fn corpus_dir(target: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/corpus")
            .join(target)
    }

    /// Runs every oracle over its committed seed corpus, as `cargo fuzz run` starts with.
    #[test]
    fn oracles_hold_on_the_seed_corpus() {
        for &(target, oracle) in TARGETS {
            let mut seeds = 0;
            for entry in fs::read_dir(corpus_dir(target)).unwrap() {
                let path = entry.unwrap().path();
                oracle(&fs::read(&path).unwrap());
                seeds += 1;
            }
            assert!(seeds >= 3, "the {target} corpus has only {seeds} seeds");
        }
    }

    /// The differential target compares something: many seeds are in its domain.
    #[test]
    fn differential_domain_is_reached_by_the_seeds() {
        let mut inside = 0;
        for entry in fs::read_dir(corpus_dir("differential")).unwrap() {
            let data = fs::read(entry.unwrap().path()).unwrap();
            let message = input(&data, MAIL_BYTES, MAIL_WORDS);
            inside += usize::from(differential_domain(&message).is_some_and(|(_, n)| n > 0));
        }
        assert!(
            inside >= 10,
            "only {inside} seeds are in the differential domain"
        );
    }

    /// Inputs that once failed an oracle, and a few that reach each rule's corner.
    #[test]
    fn oracles_hold_on_corner_cases() {
        let inputs: &[&[u8]] = &[
            b"",
            b"\n",
            b"\r\n",
            b"\r",
            b"From ",
            b"From x",
            b" lead",
            b"From x\n lead",
            b"X-Vipre-Tenant-Key: a\nFrom x\nX-Vipre-Tenant-Key: b\n\n",
            b"X-Vipre-Tenant-Key: a\r\nFrom : x\r\n\r\n",
            b"X-Vipre-Tenant-Key:\r\n\totk_abc \r\n\r\n",
            b"X-Vipre-Tenant-Key : a\r\r\n b\r\n\r\n",
            b"a:\r\n \r\n\r\n",
            b"X-Vipre-Tenant-Key:  \r\n \r\n\r\nbody",
            b"\xF5",
            b"\xFF\x00\x01\x02",
            b"x\xFF\x05\x07bad\x01value",
            b"From x\r\xFF\x00v",
        ];
        for &(_, oracle) in TARGETS {
            for input in inputs {
                oracle(input);
            }
        }
    }

    #[test]
    fn mapped_inputs_use_the_alphabet() {
        let text = b"From x\r\nX-Vipre-Tenant-Key: otk_a\r\n b\r\n\r\nbody?";
        let seed = mail_seed(text);
        assert_eq!(seed[0], MAPPED);
        assert_eq!(
            &*input(&seed, MAIL_BYTES, MAIL_WORDS),
            &b"From x\r\nX-Vipre-Tenant-Key: otk_a\r\n b\r\n\r\nbodyx"[..]
        );
        assert_eq!(&*input(b"raw", MAIL_BYTES, MAIL_WORDS), b"raw");
        // Every byte maps to something.
        let all: Vec<u8> = std::iter::once(MAPPED).chain(0..=255).collect();
        assert!(input(&all, MAIL_BYTES, MAIL_WORDS).len() >= 256);
        assert!(input(&all, TOKEN_BYTES, TOKEN_WORDS).len() >= 256);
        assert!(input(&all, KEYRING_BYTES, KEYRING_WORDS).len() >= 256);
    }

    /// MIME-heavy messages for the `inspect` seeds: each leak the MIME walk looks for, nested.
    fn mime_seeds() -> Vec<(&'static str, String)> {
        let t = FUZZ_TOKEN;
        let field = format!("X-Vipre-Tenant-Key: {t}\r\n");
        let b64 = "b3RrX3Rlc3RfN1FtMlZ3WHI5THBaNHNLZA==";
        let multipart = |parts: &[String]| {
            let mut body = String::new();
            for part in parts {
                body.push_str(&format!("--b\r\n{part}\r\n"));
            }
            format!(
                "{field}MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
                 {body}--b--\r\n"
            )
        };
        vec![
            (
                "mime-base64",
                multipart(&[
                    "Content-Type: text/plain\r\n\r\nhello".to_owned(),
                    format!("Content-Transfer-Encoding: base64\r\n\r\n{b64}"),
                ]),
            ),
            (
                "mime-quoted-printable",
                multipart(&[format!(
                    "Content-Transfer-Encoding: quoted-printable\r\n\r\nkey {}=\r\n{}",
                    &t[..10],
                    &t[10..]
                )]),
            ),
            (
                "mime-attached",
                multipart(&[format!(
                    "Content-Type: message/rfc822\r\n\r\nFrom: x\r\n{field}\r\ninner {t}"
                )]),
            ),
            (
                "mime-rfc822-headers",
                multipart(&[format!(
                    "Content-Type: text/rfc822-headers\r\n\r\nFrom: x\r\n{field}"
                )]),
            ),
            (
                "mime-nested",
                multipart(&[format!(
                    "Content-Type: message/rfc822\r\n\r\nContent-Type: multipart/mixed; \
                     boundary=c\r\n\r\n--c\r\nContent-Type: message/rfc822\r\n\r\n{field}\r\n\
                     --c\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--c--"
                )]),
            ),
            (
                "mime-signed",
                format!(
                    "DKIM-Signature: v=1; d=acme.example; h=From:X-Vipre-Tenant-Key; b=x\r\n\
                     {field}Content-Type: text/plain\r\n\r\nno leak\r\n"
                ),
            ),
            (
                "mime-clean",
                multipart(&["Content-Type: text/plain\r\n\r\nnothing".to_owned()]),
            ),
        ]
    }

    /// The committed seed corpus under `fuzz/corpus/` holds every seed made from the shared
    /// cases, the example messages and the example keyring, byte for byte. After changing those,
    /// rewrite it with `OTK_WRITE_CORPUS=1 cargo test -p outbound-token --lib seed_corpus`.
    #[test]
    fn seed_corpus_is_up_to_date() {
        let rewrite = std::env::var_os("OTK_WRITE_CORPUS").is_some();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut messages = Vec::new();
        for dir in [
            "crates/outbound-token/tests/data/cases",
            "examples/messages",
        ] {
            for entry in fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if name.ends_with(".eml") && !name.ends_with(".stripped.eml") {
                    messages.push((name, fs::read(&path).unwrap()));
                }
            }
        }
        messages.sort();
        let write = |target: &str, name: &str, bytes: &[u8]| {
            let dir = corpus_dir(target);
            if rewrite {
                fs::create_dir_all(&dir).unwrap();
                fs::write(dir.join(name), bytes).unwrap();
            }
            let committed = fs::read(dir.join(name)).unwrap_or_default();
            assert!(
                committed == bytes,
                "fuzz/corpus/{target}/{name} is stale: see this test's docs"
            );
        };
        for target in ["scan", "strip", "differential", "set_header", "inspect"] {
            for (name, bytes) in &messages {
                write(target, name, bytes);
            }
            // Mapped versions of the smaller messages start the fuzzer in mapped mode.
            for (name, bytes) in messages.iter().filter(|(_, b)| b.len() < 1500) {
                write(target, &format!("mapped-{name}"), &mail_seed(bytes));
            }
        }
        // For inspect: the examples that carry a token, with the keyring's token instead, so
        // that verify authenticates them unless the token leaks; and MIME-heavy messages.
        for (name, bytes) in &messages {
            let text = String::from_utf8_lossy(bytes);
            let Some(at) = text.find("X-Vipre-Tenant-Key: otk_") else {
                continue;
            };
            let value = &text[at + 20..];
            let token = &value[..value.find(['\r', '\n']).unwrap_or(value.len())];
            let swapped = text.replace(token, FUZZ_TOKEN);
            write("inspect", &format!("token-{name}"), swapped.as_bytes());
        }
        for (name, text) in mime_seeds() {
            write("inspect", &format!("{name}.eml"), text.as_bytes());
            write(
                "inspect",
                &format!("mapped-{name}.eml"),
                &mail_seed(text.as_bytes()),
            );
        }
        let master = MasterKey::from_bytes(&(0u8..32).collect::<Vec<_>>()).unwrap();
        let derived = Token::derive(&master, "acme", 1).unwrap();
        let mut derive_seed = 1u32.to_be_bytes().to_vec();
        derive_seed.extend(0u8..32);
        derive_seed.extend_from_slice(b"acme");
        let padded = format!("  {}\u{200B}\n", derived.expose_secret());
        let tokens: &[(&str, &[u8])] = &[
            ("native", derived.expose_secret().as_bytes()),
            ("opaque", b"otk_test_7Qm2VwXr9LpZ4sKd"),
            ("padded", padded.as_bytes()),
            ("truncated", &derived.expose_secret().as_bytes()[..30]),
            ("master-hex", &[b'a'; 64]),
            ("derive", &derive_seed),
        ];
        for (name, bytes) in tokens {
            write("token", name, bytes);
        }
        let example = fs::read(root.join("examples/keyring.toml")).unwrap();
        write("keyring", "example.toml", &example);
        let mut keyring = Keyring::new();
        keyring
            .add_tenant("acme", Some("Acme \"Corp\"\\ \u{e9}\n\u{1}"))
            .unwrap();
        keyring.add_tenant("globex.eu-1_x", None).unwrap();
        let now = UNIX_EPOCH + Duration::from_nanos(1_796_292_000_123_456_789);
        keyring.add_token("acme", &derived, now).unwrap();
        let next = Token::derive(&master, "acme", 2).unwrap();
        keyring
            .rotate("acme", &next, now, crate::DEFAULT_GRACE)
            .unwrap();
        write(
            "keyring",
            "rotated.toml",
            keyring.to_toml_string().as_bytes(),
        );
        write("keyring", "empty.toml", b"version = 1\n");
    }
}
