//! Property tests of the scanner, `strip` and `set_header` on random header-ish messages built
//! from a mail alphabet (see `HEADER-RULES.md`): tiling, a naive strip oracle, idempotence,
//! untouched neighbours, `set_header`'s one-field guarantee, and a naive F4 token oracle.

use std::ops::Range;

use outbound_token::{EndKind, Field, find, scan, set_header, strip};
use proptest::prelude::*;

/// Field names: the token header in several cases, near misses, and ordinary names.
const NAMES: &[&str] = &[
    "X-Vipre-Tenant-Key",
    "x-vipre-tenant-key",
    "X-VIPRE-TENANT-KEY",
    "x-ViPrE-tEnAnT-kEy",
    "X-Vipre-Tenant-Key2",
    "X-Vipre-Tenant-Ke",
    "XX-Vipre-Tenant-Key",
    "X-Vipre_Tenant-Key",
    "X-Vipre-Tenant-Keys",
    "To",
    "Subject",
    "From",
    "Received",
    "DKIM-Signature",
];

/// Names to strip or set: the token header in several cases, and two ordinary names.
const TARGETS: &[&str] = &[
    "X-Vipre-Tenant-Key",
    "x-vipre-tenant-key",
    "X-VIPRE-TENANT-KEY",
    "To",
    "Subject",
];

const WSP_BEFORE_COLON: &[&str] = &["", "", "", " ", "\t", " \t"];
const CONTINUATION_WSP: &[&str] = &[" ", "\t", "  ", " \t"];
const TOKEN_CONTINUATIONS: &[&str] = &[" X-Vipre-Tenant-Key: otk_fake", "\tX-Vipre-Tenant-Key:x"];
const ENVELOPES: &[&[u8]] = &[
    b"From a@b Mon Jan  1 00:00:00 2024\n",
    b"From x\r\n",
    b"From ",
];
const SEPARATORS: &[&[u8]] = &[b"\r\n", b"\n"];
/// Stray lines of each kind (E3).
const STRAYS: &[&[u8]] = &[
    b"no colon here",
    b"X-Vipre Tenant-Key: broken",
    b"X-Vipre-Tenant-\xe2\x84\xaaey: kelvin",
    b"X-Vipre-Tenant-Key\xef\xbc\x9a fullwidth",
    b"\xef\xbb\xbfX-Vipre-Tenant-Key: bom",
    b"--boundary",
    b"From someone",
    b"X\x01Y: ctl",
    b"\0",
    b": empty name",
];
/// A tiny mail alphabet.
const CHUNKS: &[&[u8]] = &[
    b"X-Vipre-Tenant-Key",
    b"x-vipre-tenant-key",
    b"To",
    b":",
    b" ",
    b"\t",
    b"\r",
    b"\n",
    b"\r\n",
    b"a",
    b"From ",
    b"\0",
    b"\xff",
];

fn show(bytes: &[u8]) -> String {
    format!("\"{}\"", bytes.escape_ascii())
}

fn eol() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![
        6 => Just(&b"\r\n"[..]),
        6 => Just(&b"\n"[..]),
        1 => Just(&b"\r\r\n"[..]),
        1 => Just(&b"\r"[..]),
        1 => Just(&b""[..]),
    ]
}

/// Value bytes: text, spaces, tabs, colons, bare CRs, NUL, 8-bit.
fn value_bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        8 => prop::sample::select(&b"otk_aZ09=?;\"()"[..]),
        3 => Just(b' '),
        2 => Just(b'\t'),
        1 => Just(b':'),
        1 => Just(b'\r'),
        1 => Just(0u8),
        1 => Just(0xFFu8),
        1 => Just(0xC3u8),
    ];
    prop::collection::vec(byte, 0..10)
}

/// One line of text (without its line ending).
fn line_text() -> impl Strategy<Value = Vec<u8>> {
    let field = (
        prop::sample::select(NAMES),
        prop::sample::select(WSP_BEFORE_COLON),
        value_bytes(),
    )
        .prop_map(|(name, wsp, value)| [name.as_bytes(), wsp.as_bytes(), b":", &value].concat());
    let continuation = (prop::sample::select(CONTINUATION_WSP), value_bytes())
        .prop_map(|(wsp, value)| [wsp.as_bytes(), &value].concat());
    let token_continuation =
        prop::sample::select(TOKEN_CONTINUATIONS).prop_map(|s| s.as_bytes().to_vec());
    let stray = prop::sample::select(STRAYS).prop_map(<[u8]>::to_vec);
    let arbitrary = prop::collection::vec(any::<u8>().prop_filter("no LF", |&b| b != b'\n'), 0..8);
    prop_oneof![
        10 => field,
        4 => continuation,
        1 => token_continuation,
        2 => stray,
        1 => arbitrary,
    ]
}

fn lines() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((line_text(), eol()), 0..8).prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|(text, end)| [text, end.to_vec()])
            .flatten()
            .collect()
    })
}

/// A header-ish message: optional mbox line, lines, optional empty line and body.
fn structured() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::option::weighted(0.2, prop::sample::select(ENVELOPES)),
        lines(),
        prop::option::weighted(0.6, prop::sample::select(SEPARATORS)),
        lines(),
    )
        .prop_map(|(envelope, head, separator, body)| {
            let mut message = envelope.unwrap_or_default().to_vec();
            message.extend_from_slice(&head);
            if let Some(separator) = separator {
                message.extend_from_slice(separator);
                message.extend_from_slice(&body);
            }
            message
        })
}

/// Concatenated chunks of a tiny mail alphabet: finds edge cases the line grammar never writes.
fn chunky() -> impl Strategy<Value = Vec<u8>> {
    let chunk = prop::sample::select(CHUNKS);
    prop::collection::vec(chunk, 0..24).prop_map(|chunks| chunks.concat())
}

fn message() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => structured(),
        3 => chunky(),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}

/// A value `set_header` accepts and that reads back unchanged as a token: no controls but tab,
/// and no space or tab at either end.
fn settable_value() -> impl Strategy<Value = String> {
    "([a-zA-Z0-9_=?;:\"()é]([a-zA-Z0-9_=?;:\"()é \t]{0,10}[a-zA-Z0-9_=?;:\"()é])?)?"
}

fn name_matches(field: &Field<'_>, name: &str) -> bool {
    field.name().eq_ignore_ascii_case(name.as_bytes())
}

/// The input with the byte ranges in `spans` cut out, one byte at a time.
fn cut_naively(message: &[u8], spans: &[Range<usize>]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, &b) in message.iter().enumerate() {
        if !spans.iter().any(|span| span.contains(&i)) {
            out.push(b);
        }
    }
    out
}

/// F4 done the obvious way on a field's bytes: `(raw value, token)`.
fn naive_value_and_token(span: &[u8], name: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut after = &span[name.len()..];
    while let [b' ' | b'\t', rest @ ..] = after {
        after = rest;
    }
    assert_eq!(
        after.first(),
        Some(&b':'),
        "field {} has no colon after name and WSP",
        show(span)
    );
    let after = &after[1..];
    let value = after
        .strip_suffix(b"\r\n")
        .or_else(|| after.strip_suffix(b"\n"))
        .unwrap_or(after);
    let mut unfolded = Vec::new();
    let mut i = 0;
    while i < value.len() {
        let followed_by_wsp = |at: usize| matches!(value.get(at), Some(b' ' | b'\t'));
        if value[i..].starts_with(b"\r\n") && followed_by_wsp(i + 2) {
            i += 2;
        } else if value[i] == b'\n' && followed_by_wsp(i + 1) {
            i += 1;
        } else {
            unfolded.push(value[i]);
            i += 1;
        }
    }
    let start = unfolded
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(unfolded.len());
    let end = unfolded
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |i| i + 1);
    (value.to_vec(), unfolded[start..end].to_vec())
}

/// Non-matching fields' bytes, in order.
fn other_fields(message: &[u8], name: &str) -> Vec<String> {
    scan(message)
        .filter(|f| !name_matches(f, name))
        .map(|f| show(&message[f.span()]))
        .collect()
}

/// Whether stripping moves a `From ` line (stray, or an obsolete-syntax `From :` field) to
/// offset 0, where it turns into an envelope: the known contract conflict between E1 and S1-S3
/// (see `rules.rs`), left out of properties 3 and 4.
fn strip_exposes_from_line(message: &[u8], name: &str) -> bool {
    !message.starts_with(b"From ") && strip(message, name).unwrap().to_vec().starts_with(b"From ")
}

/// The line ending `set_header` writes: that of the message's first line, CRLF when none.
fn first_line_ending(message: &[u8]) -> &'static [u8] {
    match message.iter().position(|&b| b == b'\n') {
        Some(lf) if lf > 0 && message[lf - 1] == b'\r' => b"\r\n",
        Some(_) => b"\n",
        None => b"\r\n",
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// 1. Envelope, leading continuation lines, field spans, separator and body tile the input.
    #[test]
    fn pieces_tile_the_input(message in message()) {
        let ctx = show(&message);
        let mut scanner = scan(&message);
        let envelope = scanner.envelope();
        let fields: Vec<_> = scanner.by_ref().collect();
        let end = scanner.end().unwrap();

        let mut pieces: Vec<&[u8]> = Vec::new();
        let mut at = 0;
        if let Some(envelope) = envelope {
            prop_assert_eq!(envelope.start, 0, "{}", ctx);
            prop_assert!(message.starts_with(b"From "), "{}", ctx);
            prop_assert!(envelope.end == message.len() || message[envelope.end - 1] == b'\n', "{}", ctx);
            prop_assert!(!message[..envelope.end.saturating_sub(1)].contains(&b'\n'), "{}", ctx);
            pieces.push(&message[envelope.clone()]);
            at = envelope.end;
        } else {
            prop_assert!(!message.starts_with(b"From "), "{}", ctx);
        }
        // E5: only whole lines that start with SP or HTAB sit before the first field.
        let lead_end = fields.first().map_or(end.offset(), |f| f.span().start);
        prop_assert!(at <= lead_end, "{}", ctx);
        let lead = &message[at..lead_end];
        for line in lead.split_inclusive(|&b| b == b'\n') {
            prop_assert!(matches!(line.first(), Some(b' ' | b'\t')), "lead line {} of {}", show(line), ctx);
        }
        pieces.push(lead);
        at = lead_end;
        for field in &fields {
            let span = field.span();
            prop_assert_eq!(span.start, at, "field spans are consecutive in {}", ctx);
            prop_assert!(span.start < span.end, "{}", ctx);
            prop_assert!(message[span.clone()].starts_with(field.name()), "{}", ctx);
            prop_assert!(!field.name().is_empty(), "{}", ctx);
            prop_assert!(field.name().iter().all(|&b| (0x21..=0x7E).contains(&b) && b != b':'), "{}", ctx);
            // A field ends at a line ending, or at the end of the input.
            prop_assert!(span.end == message.len() || message[span.end - 1] == b'\n', "{}", ctx);
            pieces.push(&message[span.clone()]);
            at = span.end;
        }
        prop_assert_eq!(at, end.offset(), "{}", ctx);
        match end.kind() {
            EndKind::EmptyLine => {
                let separator = &message[end.offset()..end.body_start()];
                prop_assert!(separator == b"\n" || separator == b"\r\n", "{}", ctx);
            }
            EndKind::StrayLine => {
                prop_assert_eq!(end.body_start(), end.offset(), "{}", ctx);
                prop_assert!(end.offset() < message.len(), "{}", ctx);
                let first = message[end.offset()];
                prop_assert!(first != b' ' && first != b'\t', "{}", ctx);
            }
            EndKind::EndOfInput => {
                prop_assert_eq!((end.offset(), end.body_start()), (message.len(), message.len()), "{}", ctx);
            }
            _ => prop_assert!(false, "unknown end kind in {}", ctx),
        }
        pieces.push(&message[end.offset()..end.body_start()]);
        pieces.push(&message[end.body_start()..]);
        prop_assert_eq!(show(&pieces.concat()), show(&message));
        prop_assert_eq!(scan(&message).finish(), end, "{}", ctx);
    }

    /// 2. `strip` equals cutting the `find` spans out byte by byte.
    #[test]
    fn strip_cuts_exactly_the_found_spans(message in message(), name in prop::sample::select(TARGETS)) {
        let ctx = show(&message);
        let spans: Vec<_> = find(&message, name).unwrap().iter().map(|f| f.span()).collect();
        let want = cut_naively(&message, &spans);
        let out = strip(&message, name).unwrap();
        prop_assert_eq!(show(&out.to_vec()), show(&want), "{} / {}", ctx, name);
        prop_assert_eq!(out.removed(), spans.len(), "{}", ctx);
        prop_assert_eq!(out.len(), want.len(), "{}", ctx);
        prop_assert_eq!(out.is_unchanged(), spans.is_empty(), "{}", ctx);
        // The spans `find` returns are those of every field `scan` yields with that name.
        let scanned: Vec<_> = scan(&message).filter(|f| name_matches(f, name)).map(|f| f.span()).collect();
        prop_assert_eq!(spans, scanned, "{}", ctx);
    }

    /// 3. Stripping twice is stripping once, and leaves nothing to find.
    #[test]
    fn strip_is_idempotent(message in message(), name in prop::sample::select(TARGETS)) {
        prop_assume!(!strip_exposes_from_line(&message, name));
        let ctx = show(&message);
        let once = strip(&message, name).unwrap().to_vec();
        let twice = strip(&once, name).unwrap();
        prop_assert_eq!(twice.removed(), 0, "{}", ctx);
        prop_assert_eq!(show(&twice.to_vec()), show(&once), "{}", ctx);
        prop_assert!(find(&once, name).unwrap().is_empty(), "{}", ctx);
    }

    /// 4. The other fields come out byte for byte, in order; so do the envelope and the end.
    #[test]
    fn strip_keeps_other_fields(message in message(), name in prop::sample::select(TARGETS)) {
        prop_assume!(!strip_exposes_from_line(&message, name));
        let ctx = show(&message);
        let out = strip(&message, name).unwrap().to_vec();
        prop_assert_eq!(other_fields(&out, name), other_fields(&message, name), "{}", ctx);
        prop_assert_eq!(scan(&out).envelope(), scan(&message).envelope(), "{}", ctx);
        let (before, after) = (scan(&message).finish(), scan(&out).finish());
        prop_assert_eq!(before.kind(), after.kind(), "{}", ctx);
        prop_assert_eq!(&message[before.offset()..], &out[after.offset()..], "{}", ctx);
    }

    /// 5. `set_header` leaves exactly one field of that name, holding the value, and nothing
    /// else changes.
    #[test]
    fn set_header_leaves_one_field(
        message in message(),
        name in prop::sample::select(TARGETS),
        value in settable_value(),
    ) {
        let ctx = show(&message);
        let out = set_header(&message, name, &value).unwrap();
        let found = find(&out, name).unwrap();
        prop_assert_eq!(found.len(), 1, "{} -> {}", ctx, show(&out));
        prop_assert_eq!(show(&found[0].token()), show(value.as_bytes()), "{} -> {}", ctx, show(&out));
        prop_assert_eq!(found[0].name(), name.as_bytes(), "{}", ctx);
        // Everything else is intact. The one exception: a header made only of an envelope and
        // leading continuation lines, whose last line has no line ending, gets one before the
        // new field (else the field would be glued onto that line).
        let mut want = strip(&message, name).unwrap().to_vec();
        let header_is_all_lead = scan(&message).next().is_none()
            && scan(&message).finish().kind() == EndKind::EndOfInput;
        if header_is_all_lead && !message.is_empty() && !message.ends_with(b"\n") {
            want.extend_from_slice(first_line_ending(&message));
        }
        prop_assert_eq!(show(&strip(&out, name).unwrap().to_vec()), show(&want), "{} -> {}", ctx, show(&out));
        prop_assert_eq!(other_fields(&out, name), other_fields(&message, name), "{}", ctx);
    }

    /// 5b. `set_header` refuses control characters at the right offset.
    #[test]
    fn set_header_refuses_controls(
        head in "[a-z \t]{0,6}",
        control in prop::sample::select(&[0u8, 1, 8, 10, 11, 12, 13, 27, 31, 127][..]),
        tail in "[a-z\r\n\0]{0,4}",
    ) {
        let value = format!("{head}{}{tail}", char::from(control));
        let got = set_header(b"To: a\r\n", "X-Vipre-Tenant-Key", &value);
        prop_assert_eq!(got, Err(outbound_token::Error::InvalidHeaderValue { offset: head.len() }));
    }

    /// 6. `raw_value` and `token` agree with F4 done naively on the field's bytes.
    #[test]
    fn token_is_naive_f4(message in message()) {
        for field in scan(&message) {
            let span = &message[field.span()];
            let (value, token) = naive_value_and_token(span, field.name());
            prop_assert_eq!(show(field.raw_value()), show(&value), "{}", show(&message));
            prop_assert_eq!(show(&field.token()), show(&token), "{}", show(&message));
            prop_assert_eq!(field.is_folded(), value.contains(&b'\n'), "{}", show(&message));
        }
    }
}
