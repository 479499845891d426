//! One table-driven test per rule of `HEADER-RULES.md` (L1-L3, E1-E5, F1-F4, S1-S3), plus the
//! argument checks of `set_header`, `find` and `strip`.
//!
//! Most tables describe each input as the pieces the scanner must cut it into ([`P`]): the
//! input is their concatenation, and the expected envelope, field names, raw values, spans and
//! end of header all follow from where each piece sits. Every row also states the tokens `find`
//! must return and the exact bytes `strip` must produce.

use std::ops::Range;

use outbound_token::{DEFAULT_HEADER, EndKind, Error, find, scan, set_header, strip};

/// One piece of an input, in order.
#[derive(Debug, Clone, Copy)]
enum P<'a> {
    /// The mbox envelope line (E1).
    Env(&'a [u8]),
    /// Continuation lines before the first field (E5).
    Lead(&'a [u8]),
    /// A whole field: its span's bytes, its name, its raw value.
    F(&'a [u8], &'a [u8], &'a [u8]),
    /// The empty line that ends the header (E2).
    Sep(&'a [u8]),
    /// The stray line that ends the header (E3), and anything after it.
    Stray(&'a [u8]),
    /// The body after the empty line.
    Body(&'a [u8]),
}

use P::{Body, Env, F, Lead, Sep, Stray};

impl<'a> P<'a> {
    fn bytes(&self) -> &'a [u8] {
        match *self {
            Env(b) | Lead(b) | F(b, _, _) | Sep(b) | Stray(b) | Body(b) => b,
        }
    }
}

const KEY: &[u8] = b"X-Vipre-Tenant-Key";

/// Escapes bytes for an assert message, shortened when huge.
fn show(bytes: &[u8]) -> String {
    if bytes.len() > 300 {
        format!("{}... ({} bytes)", bytes[..300].escape_ascii(), bytes.len())
    } else {
        format!("\"{}\"", bytes.escape_ascii())
    }
}

fn show_all(list: &[Vec<u8>]) -> Vec<String> {
    list.iter().map(|b| show(b)).collect()
}

/// Checks one row: scanner pieces, `find` tokens and spans, and `strip` output.
fn check(pieces: &[P<'_>], tokens: &[&[u8]], stripped: &[u8]) {
    let input: Vec<u8> = pieces.iter().flat_map(|p| p.bytes()).copied().collect();
    let ctx = show(&input);

    // What the pieces say.
    let mut at = 0;
    let mut want_envelope = None;
    let mut want_fields = Vec::new();
    let mut want_end = None;
    for piece in pieces {
        let range = at..at + piece.bytes().len();
        match *piece {
            Env(_) => want_envelope = Some(range.clone()),
            F(_, name, value) => want_fields.push((show(name), show(value), range.clone())),
            Sep(_) => want_end = Some((EndKind::EmptyLine, range.start, range.end)),
            Stray(_) => want_end = Some((EndKind::StrayLine, range.start, range.start)),
            Lead(_) | Body(_) => {}
        }
        at = range.end;
    }
    let want_end = want_end.unwrap_or((EndKind::EndOfInput, input.len(), input.len()));

    // What the scanner says.
    let mut scanner = scan(&input);
    assert_eq!(scanner.envelope(), want_envelope, "envelope of {ctx}");
    let fields: Vec<_> = scanner.by_ref().collect();
    let got_fields: Vec<_> = fields
        .iter()
        .map(|f| (show(f.name()), show(f.raw_value()), f.span()))
        .collect();
    assert_eq!(
        got_fields, want_fields,
        "fields (name, raw value, span) of {ctx}"
    );
    let end = scanner
        .end()
        .expect("end is set once the scanner is exhausted");
    assert_eq!(
        (end.kind(), end.offset(), end.body_start()),
        want_end,
        "end of {ctx}"
    );
    assert_eq!(scan(&input).finish(), end, "finish() of {ctx}");

    // `find` returns exactly the fields named DEFAULT_HEADER, with these tokens.
    let found = find(&input, DEFAULT_HEADER).unwrap();
    let found_tokens: Vec<Vec<u8>> = found.iter().map(|f| f.token().into_owned()).collect();
    let want_tokens: Vec<Vec<u8>> = tokens.iter().map(|t| t.to_vec()).collect();
    assert_eq!(
        show_all(&found_tokens),
        show_all(&want_tokens),
        "tokens of {ctx}"
    );
    let want_spans: Vec<Range<usize>> = want_fields
        .iter()
        .zip(pieces.iter().filter(|p| matches!(p, F(..))))
        .filter(|(_, p)| matches!(p, F(_, name, _) if name.eq_ignore_ascii_case(KEY)))
        .map(|((_, _, span), _)| span.clone())
        .collect();
    assert_eq!(
        found.iter().map(|f| f.span()).collect::<Vec<_>>(),
        want_spans,
        "find spans of {ctx}"
    );

    // `strip` output.
    let out = strip(&input, DEFAULT_HEADER).unwrap();
    assert_eq!(show(&out.to_vec()), show(stripped), "strip of {ctx}");
    assert_eq!(out.removed(), tokens.len(), "removed count of {ctx}");
    assert_eq!(out.len(), stripped.len(), "stripped len of {ctx}");
    assert_eq!(
        out.is_unchanged(),
        tokens.is_empty(),
        "is_unchanged of {ctx}"
    );
    assert_eq!(out.as_slices().concat(), stripped, "as_slices of {ctx}");
    let mut written = Vec::new();
    out.write_to(&mut written).unwrap();
    assert_eq!(written, stripped, "write_to of {ctx}");
}

type Row<'a> = (&'a [P<'a>], &'a [&'a [u8]], &'a [u8]);

fn check_table(table: &[Row<'_>]) {
    for (pieces, tokens, stripped) in table {
        check(pieces, tokens, stripped);
    }
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

#[test]
fn l1_line_ends_at_lf_and_only_cr_before_lf_is_part_of_it() {
    let table: &[Row<'_>] = &[
        // CRLF.
        (
            &[
                F(b"To: a@example.org\r\n", b"To", b" a@example.org"),
                F(b"X-Vipre-Tenant-Key: otk_crlf\r\n", KEY, b" otk_crlf"),
                Sep(b"\r\n"),
                Body(b"body\r\n"),
            ],
            &[b"otk_crlf"],
            b"To: a@example.org\r\n\r\nbody\r\n",
        ),
        // LF only.
        (
            &[
                F(b"To: a@example.org\n", b"To", b" a@example.org"),
                F(b"X-Vipre-Tenant-Key: otk_lf\n", KEY, b" otk_lf"),
                Sep(b"\n"),
                Body(b"body\n"),
            ],
            &[b"otk_lf"],
            b"To: a@example.org\n\nbody\n",
        ),
        // Mixed: each line keeps its own ending.
        (
            &[
                F(b"To: a\n", b"To", b" a"),
                F(b"X-Vipre-Tenant-Key: otk_mixed\r\n", KEY, b" otk_mixed"),
                F(b"Subject: s\r\n", b"Subject", b" s"),
                Sep(b"\n"),
                Body(b"b\r\n"),
            ],
            &[b"otk_mixed"],
            b"To: a\nSubject: s\r\n\nb\r\n",
        ),
        // A bare CR inside a value is data: the "To:" after it is not a field.
        (
            &[
                F(
                    b"X-Vipre-Tenant-Key: otk_a\rTo: b\r\n",
                    KEY,
                    b" otk_a\rTo: b",
                ),
                Sep(b"\r\n"),
                Body(b"x"),
            ],
            &[b"otk_a\rTo: b"],
            b"\r\nx",
        ),
        // CR CR LF: the first CR is the value's last byte.
        (
            &[
                F(b"X-Vipre-Tenant-Key: otk_a\r\r\n", KEY, b" otk_a\r"),
                Sep(b"\r\n"),
            ],
            &[b"otk_a\r"],
            b"\r\n",
        ),
        // CR CR LF is not an empty line: it is a stray line, and the token after it is body.
        (
            &[
                F(b"To: a\r\n", b"To", b" a"),
                Stray(b"\r\r\nX-Vipre-Tenant-Key: otk_body\r\n"),
            ],
            &[],
            b"To: a\r\n\r\r\nX-Vipre-Tenant-Key: otk_body\r\n",
        ),
        // A line that starts with a bare CR is a stray line.
        (
            &[
                F(b"To: a\n", b"To", b" a"),
                Stray(b"\rX-Vipre-Tenant-Key: t\n\nbody"),
            ],
            &[],
            b"To: a\n\rX-Vipre-Tenant-Key: t\n\nbody",
        ),
        // Bare-CR "line endings" (classic Mac) do not end lines: all of it is one field.
        (
            &[F(
                b"To: a\rX-Vipre-Tenant-Key: otk_mac\r\rbody",
                b"To",
                b" a\rX-Vipre-Tenant-Key: otk_mac\r\rbody",
            )],
            &[],
            b"To: a\rX-Vipre-Tenant-Key: otk_mac\r\rbody",
        ),
        // The CR of a CRLF fold belongs to the fold.
        (
            &[
                F(
                    b"X-Vipre-Tenant-Key:\r\n otk_fold\r\n",
                    KEY,
                    b"\r\n otk_fold",
                ),
                Sep(b"\r\n"),
            ],
            &[b"otk_fold"],
            b"\r\n",
        ),
        // An LF-only fold inside a CRLF message.
        (
            &[
                F(
                    b"X-Vipre-Tenant-Key: otk_\n\tsplit\r\n",
                    KEY,
                    b" otk_\n\tsplit",
                ),
                Sep(b"\r\n"),
            ],
            &[b"otk_\tsplit"],
            b"\r\n",
        ),
        // CRLF then LF: the LF alone is the empty line.
        (
            &[
                F(b"To: a\r\n", b"To", b" a"),
                Sep(b"\n"),
                Body(b"\nX-Vipre-Tenant-Key: b\n"),
            ],
            &[],
            b"To: a\r\n\n\nX-Vipre-Tenant-Key: b\n",
        ),
        // LF then CRLF.
        (
            &[
                F(b"X-Vipre-Tenant-Key: t\n", KEY, b" t"),
                Sep(b"\r\n"),
                Body(b"b"),
            ],
            &[b"t"],
            b"\r\nb",
        ),
    ];
    check_table(table);
}

#[test]
fn l2_last_line_may_have_no_line_ending() {
    let table: &[Row<'_>] = &[
        (
            &[
                F(b"To: a\r\n", b"To", b" a"),
                F(b"X-Vipre-Tenant-Key: otk_last", KEY, b" otk_last"),
            ],
            &[b"otk_last"],
            b"To: a\r\n",
        ),
        (
            &[
                F(b"X-Vipre-Tenant-Key: otk_a\r\n", KEY, b" otk_a"),
                F(b"To: a", b"To", b" a"),
            ],
            &[b"otk_a"],
            b"To: a",
        ),
        (
            &[F(
                b"X-Vipre-Tenant-Key:\r\n otk_fold",
                KEY,
                b"\r\n otk_fold",
            )],
            &[b"otk_fold"],
            b"",
        ),
        (&[F(b"X-Vipre-Tenant-Key:", KEY, b"")], &[b""], b""),
        (
            &[F(b"X-Vipre-Tenant-Key: t\r\n \t", KEY, b" t\r\n \t")],
            &[b"t"],
            b"",
        ),
        (
            &[
                F(b"X-Vipre-Tenant-Key: t\n", KEY, b" t"),
                Sep(b"\n"),
                Body(b"last line"),
            ],
            &[b"t"],
            b"\nlast line",
        ),
        (
            &[F(b"To: a\n", b"To", b" a"), Stray(b"no colon")],
            &[],
            b"To: a\nno colon",
        ),
        (&[Stray(b"X")], &[], b"X"),
        (&[], &[], b""),
    ];
    check_table(table);
}

#[test]
fn l3_nul_8bit_and_non_utf8_bytes_are_data() {
    // Every byte value but LF in one value; CR (0x0D) is followed by 0x0E, so it is data.
    let all: Vec<u8> = (0..=255u8).filter(|&b| b != b'\n').collect();
    let all_line = cat(&[b"X-Vipre-Tenant-Key: ", &all, b"\r\n"]);
    let all_value = cat(&[b" ", &all]);
    // A 1 MB line before the token, and a 1 MB token.
    let mb = 1 << 20;
    let long_line = cat(&[b"X-Long: ", &vec![b'a'; mb], b"\r\n"]);
    let long_value = cat(&[b" ", &vec![b'a'; mb]]);
    let long_token = vec![b'k'; mb];
    let long_token_line = cat(&[b"X-Vipre-Tenant-Key: ", &long_token, b"\r\n"]);
    let long_token_value = cat(&[b" ", &long_token]);
    let long_stripped = cat(&[&long_line, b"\r\nbody"]);

    let table: &[Row<'_>] = &[
        (
            &[
                F(b"X-Vipre-Tenant-Key: otk_\0nul\r\n", KEY, b" otk_\0nul"),
                Sep(b"\r\n"),
            ],
            &[b"otk_\0nul"],
            b"\r\n",
        ),
        (
            &[
                F(b"X-Junk: \0\0\0\r\n", b"X-Junk", b" \0\0\0"),
                F(b"X-Vipre-Tenant-Key: otk_a\r\n", KEY, b" otk_a"),
                Sep(b"\r\n"),
            ],
            &[b"otk_a"],
            b"X-Junk: \0\0\0\r\n\r\n",
        ),
        (
            &[
                F(
                    b"Subject: caf\xe9 \xff\xfe\r\n",
                    b"Subject",
                    b" caf\xe9 \xff\xfe",
                ),
                F(b"X-Vipre-Tenant-Key: \x80\x81\r\n", KEY, b" \x80\x81"),
                Sep(b"\r\n"),
                Body(b"\xff\x00\xc3("),
            ],
            &[b"\x80\x81"],
            b"Subject: caf\xe9 \xff\xfe\r\n\r\n\xff\x00\xc3(",
        ),
        // NUL in a name makes a stray line.
        (
            &[
                F(b"To: a\r\n", b"To", b" a"),
                Stray(b"X-Vipre-Tenant-Key\0: t\r\n"),
            ],
            &[],
            b"To: a\r\nX-Vipre-Tenant-Key\0: t\r\n",
        ),
        (
            &[Stray(b"\0\r\nX-Vipre-Tenant-Key: t\r\n")],
            &[],
            b"\0\r\nX-Vipre-Tenant-Key: t\r\n",
        ),
        (
            &[Stray(b"\xff\xfeX-Vipre-Tenant-Key: t\n")],
            &[],
            b"\xff\xfeX-Vipre-Tenant-Key: t\n",
        ),
        (
            &[F(&all_line, KEY, &all_value), Sep(b"\r\n")],
            &[&all],
            b"\r\n",
        ),
        (
            &[
                F(&long_line, b"X-Long", &long_value),
                F(
                    b"X-Vipre-Tenant-Key: otk_after_long\r\n",
                    KEY,
                    b" otk_after_long",
                ),
                Sep(b"\r\n"),
                Body(b"body"),
            ],
            &[b"otk_after_long"],
            &long_stripped,
        ),
        (
            &[F(&long_token_line, KEY, &long_token_value), Sep(b"\n")],
            &[&long_token],
            b"\n",
        ),
    ];
    check_table(table);
}

#[test]
fn e1_one_mbox_envelope_line_at_offset_0_is_skipped_and_reported() {
    let table: &[Row<'_>] = &[
        (
            &[
                Env(b"From alice@example.org Mon Jan  1 00:00:00 2024\n"),
                F(b"X-Vipre-Tenant-Key: otk_mbox\n", KEY, b" otk_mbox"),
                F(b"To: b\n", b"To", b" b"),
                Sep(b"\n"),
                Body(b"hi\n"),
            ],
            &[b"otk_mbox"],
            b"From alice@example.org Mon Jan  1 00:00:00 2024\nTo: b\n\nhi\n",
        ),
        // Only one: a second `From ` line is a stray line.
        (
            &[
                Env(b"From a Mon\r\n"),
                Stray(b"From b Tue\r\nX-Vipre-Tenant-Key: t\r\n\r\n"),
            ],
            &[],
            b"From a Mon\r\nFrom b Tue\r\nX-Vipre-Tenant-Key: t\r\n\r\n",
        ),
        (
            &[
                Env(b"From a\n"),
                F(b"To: b\n", b"To", b" b"),
                Stray(b"From c\nX-Vipre-Tenant-Key: t\n"),
            ],
            &[],
            b"From a\nTo: b\nFrom c\nX-Vipre-Tenant-Key: t\n",
        ),
        // Not at offset 0: a stray line.
        (
            &[
                F(b"To: b\n", b"To", b" b"),
                Stray(b"From a@b\nX-Vipre-Tenant-Key: t\n"),
            ],
            &[],
            b"To: b\nFrom a@b\nX-Vipre-Tenant-Key: t\n",
        ),
        // `From:` is a field, not an envelope.
        (
            &[
                F(b"From: a@b\r\n", b"From", b" a@b"),
                F(b"X-Vipre-Tenant-Key: t\r\n", KEY, b" t"),
                Sep(b"\r\n"),
            ],
            &[b"t"],
            b"From: a@b\r\n\r\n",
        ),
        // The envelope is `From ` exactly.
        (
            &[Stray(b"from a@b\nX-Vipre-Tenant-Key: t\n")],
            &[],
            b"from a@b\nX-Vipre-Tenant-Key: t\n",
        ),
        (
            &[Stray(b">From a@b\nX-Vipre-Tenant-Key: t\n")],
            &[],
            b">From a@b\nX-Vipre-Tenant-Key: t\n",
        ),
        // Not at offset 0 either: a leading continuation line (E5).
        (
            &[
                Lead(b" From a@b\n"),
                F(b"X-Vipre-Tenant-Key: t\n", KEY, b" t"),
            ],
            &[b"t"],
            b" From a@b\n",
        ),
        // Envelope only.
        (&[Env(b"From a@b Mon Jan 1")], &[], b"From a@b Mon Jan 1"),
        (
            &[
                Env(b"From \r\n"),
                F(b"X-Vipre-Tenant-Key: t\r\n", KEY, b" t"),
            ],
            &[b"t"],
            b"From \r\n",
        ),
        // Envelope, then the empty line: the token is body.
        (
            &[
                Env(b"From a\r\n"),
                Sep(b"\r\n"),
                Body(b"X-Vipre-Tenant-Key: t\r\n"),
            ],
            &[],
            b"From a\r\n\r\nX-Vipre-Tenant-Key: t\r\n",
        ),
        // Envelope, then a leading continuation line (E5).
        (
            &[
                Env(b"From a\n"),
                Lead(b" \n"),
                F(b"X-Vipre-Tenant-Key: t\n", KEY, b" t"),
            ],
            &[b"t"],
            b"From a\n \n",
        ),
        // Token-like text inside the envelope is not a field.
        (
            &[
                Env(b"From X-Vipre-Tenant-Key: otk_env\n"),
                F(b"To: b\n", b"To", b" b"),
            ],
            &[],
            b"From X-Vipre-Tenant-Key: otk_env\nTo: b\n",
        ),
    ];
    check_table(table);
}

#[test]
fn e2_header_ends_at_first_empty_line_which_is_kept() {
    let table: &[Row<'_>] = &[
        // A leading empty line ends the header at once.
        (
            &[Sep(b"\r\n"), Body(b"X-Vipre-Tenant-Key: t\r\n\r\nbody")],
            &[],
            b"\r\nX-Vipre-Tenant-Key: t\r\n\r\nbody",
        ),
        (
            &[Sep(b"\n"), Body(b"X-Vipre-Tenant-Key: t\n")],
            &[],
            b"\nX-Vipre-Tenant-Key: t\n",
        ),
        (
            &[
                F(b"X-Vipre-Tenant-Key: a\r\n", KEY, b" a"),
                Sep(b"\r\n"),
                Body(b"X-Vipre-Tenant-Key: b\r\n\r\n"),
            ],
            &[b"a"],
            b"\r\nX-Vipre-Tenant-Key: b\r\n\r\n",
        ),
        // Whitespace-only lines are continuations, not empty lines.
        (
            &[
                F(b"To: a\r\n \r\n", b"To", b" a\r\n "),
                F(b"X-Vipre-Tenant-Key: t\r\n", KEY, b" t"),
                Sep(b"\r\n"),
            ],
            &[b"t"],
            b"To: a\r\n \r\n\r\n",
        ),
        (
            &[
                F(b"To: a\n\t\n", b"To", b" a\n\t"),
                F(b"X-Vipre-Tenant-Key: t\n", KEY, b" t"),
                Sep(b"\n"),
                Body(b"b"),
            ],
            &[b"t"],
            b"To: a\n\t\n\nb",
        ),
        (
            &[
                F(b"X-Vipre-Tenant-Key: t\r\n", KEY, b" t"),
                Sep(b"\n"),
                Body(b"\r\nX-Vipre-Tenant-Key: u\r\n"),
            ],
            &[b"t"],
            b"\n\r\nX-Vipre-Tenant-Key: u\r\n",
        ),
        // The empty line is the last line.
        (
            &[F(b"To: a\n", b"To", b" a"), Sep(b"\n")],
            &[],
            b"To: a\n\n",
        ),
        // A body line that starts with a space is not a continuation.
        (
            &[
                F(b"X-Vipre-Tenant-Key: t\n", KEY, b" t"),
                Sep(b"\n"),
                Body(b" continued?\n"),
            ],
            &[b"t"],
            b"\n continued?\n",
        ),
    ];
    check_table(table);
}

#[test]
fn e3_header_ends_at_first_stray_line_and_the_rest_is_body() {
    let table: &[Row<'_>] = &[
        // No colon.
        (
            &[
                F(b"To: a\r\n", b"To", b" a"),
                Stray(b"this line has no colon\r\nX-Vipre-Tenant-Key: t\r\n\r\n"),
            ],
            &[],
            b"To: a\r\nthis line has no colon\r\nX-Vipre-Tenant-Key: t\r\n\r\n",
        ),
        // Name broken by a space, by a tab.
        (
            &[
                F(b"To: a\n", b"To", b" a"),
                Stray(b"X-Vipre Tenant-Key: t\n"),
            ],
            &[],
            b"To: a\nX-Vipre Tenant-Key: t\n",
        ),
        (
            &[Stray(b"X-Vipre\tTenant-Key: t\n")],
            &[],
            b"X-Vipre\tTenant-Key: t\n",
        ),
        (
            &[
                F(b"X-Vipre-Tenant-Key: a\n", KEY, b" a"),
                Stray(b"X-Vipre -Tenant-Key: b\n"),
            ],
            &[b"a"],
            b"X-Vipre -Tenant-Key: b\n",
        ),
        // Control bytes in a name.
        (
            &[F(b"To: a\n", b"To", b" a"), Stray(b"X-Vi\x01pre: t\n")],
            &[],
            b"To: a\nX-Vi\x01pre: t\n",
        ),
        (
            &[Stray(b"X\x7fY: t\nX-Vipre-Tenant-Key: t\n")],
            &[],
            b"X\x7fY: t\nX-Vipre-Tenant-Key: t\n",
        ),
        // A non-ASCII byte in a name.
        (
            &[
                F(b"To: a\n", b"To", b" a"),
                Stray("Ünterschrift: x\nX-Vipre-Tenant-Key: t\n".as_bytes()),
            ],
            &[],
            "To: a\nÜnterschrift: x\nX-Vipre-Tenant-Key: t\n".as_bytes(),
        ),
        // A UTF-8 BOM.
        (
            &[Stray(b"\xef\xbb\xbfX-Vipre-Tenant-Key: t\r\n\r\n")],
            &[],
            b"\xef\xbb\xbfX-Vipre-Tenant-Key: t\r\n\r\n",
        ),
        // A MIME boundary line.
        (
            &[
                F(b"To: a\n", b"To", b" a"),
                Stray(b"--boundary42\nX-Vipre-Tenant-Key: t\n\n"),
            ],
            &[],
            b"To: a\n--boundary42\nX-Vipre-Tenant-Key: t\n\n",
        ),
        // An empty name; a name and spaces but no colon; a name at the end of input.
        (
            &[F(b"To: a\n", b"To", b" a"), Stray(b": no name\n")],
            &[],
            b"To: a\n: no name\n",
        ),
        (
            &[
                F(b"To: a\n", b"To", b" a"),
                Stray(b"X-Vipre-Tenant-Key   \n"),
            ],
            &[],
            b"To: a\nX-Vipre-Tenant-Key   \n",
        ),
        (&[Stray(b"X-Vipre-Tenant-Key")], &[], b"X-Vipre-Tenant-Key"),
        // A folded token field right before the stray line is still found and stripped.
        (
            &[
                F(b"X-Vipre-Tenant-Key:\n otk_f\n", KEY, b"\n otk_f"),
                Stray(b"garbage\n"),
            ],
            &[b"otk_f"],
            b"garbage\n",
        ),
    ];
    check_table(table);
}

#[test]
fn e4_header_without_end_marker_ends_at_end_of_input() {
    let table: &[Row<'_>] = &[
        (
            &[
                F(b"To: a\r\n", b"To", b" a"),
                F(b"X-Vipre-Tenant-Key: t\r\n", KEY, b" t"),
            ],
            &[b"t"],
            b"To: a\r\n",
        ),
        (
            &[
                F(b"X-Vipre-Tenant-Key: t\n", KEY, b" t"),
                F(b"To: a", b"To", b" a"),
            ],
            &[b"t"],
            b"To: a",
        ),
        (
            &[F(b"X-Vipre-Tenant-Key:\n t\n \n", KEY, b"\n t\n ")],
            &[b"t"],
            b"",
        ),
        (&[Lead(b"  \r\n\t\r\n")], &[], b"  \r\n\t\r\n"),
        (&[Env(b"From a\n")], &[], b"From a\n"),
        (&[], &[], b""),
    ];
    check_table(table);
}

#[test]
fn e5_continuation_lines_before_the_first_field_are_kept_and_skipped() {
    let table: &[Row<'_>] = &[
        (
            &[
                Lead(b" \r\n"),
                F(b"X-Vipre-Tenant-Key: t\r\n", KEY, b" t"),
                Sep(b"\r\n"),
                Body(b"b"),
            ],
            &[b"t"],
            b" \r\n\r\nb",
        ),
        (
            &[
                Lead(b"\t\n"),
                F(b"To: a\n", b"To", b" a"),
                F(b"X-Vipre-Tenant-Key: t\n", KEY, b" t"),
            ],
            &[b"t"],
            b"\t\nTo: a\n",
        ),
        (
            &[
                Lead(b"  \r\n\t\r\n \t \n"),
                F(b"x-vipre-tenant-key: t\r\n", b"x-vipre-tenant-key", b" t"),
            ],
            &[b"t"],
            b"  \r\n\t\r\n \t \n",
        ),
        // Text on a leading continuation line belongs to no field.
        (
            &[
                Lead(b" X-Vipre-Tenant-Key: hidden\r\n"),
                F(b"To: a\r\n", b"To", b" a"),
            ],
            &[],
            b" X-Vipre-Tenant-Key: hidden\r\nTo: a\r\n",
        ),
        (
            &[Lead(b" \n"), Sep(b"\n"), Body(b"X-Vipre-Tenant-Key: t\n")],
            &[],
            b" \n\nX-Vipre-Tenant-Key: t\n",
        ),
        (
            &[Lead(b" \n"), Stray(b"garbage\nX-Vipre-Tenant-Key: t\n")],
            &[],
            b" \ngarbage\nX-Vipre-Tenant-Key: t\n",
        ),
        (&[Lead(b"   ")], &[], b"   "),
    ];
    check_table(table);
}

#[test]
fn f1_field_line_is_name_optional_wsp_colon_value() {
    let all_ftext = b"!#$%&'*+-.^_`|~09AZaz\"(),/;<=>?@[\\]{}";
    let all_ftext_line = cat(&[all_ftext, b": v\n"]);
    let table: &[Row<'_>] = &[
        // Obsolete syntax: spaces or tabs before the colon; still that name.
        (
            &[
                F(b"X-Vipre-Tenant-Key : otk_obs\r\n", KEY, b" otk_obs"),
                Sep(b"\r\n"),
            ],
            &[b"otk_obs"],
            b"\r\n",
        ),
        (
            &[F(b"X-Vipre-Tenant-Key \t \t: otk_obs\n", KEY, b" otk_obs")],
            &[b"otk_obs"],
            b"",
        ),
        (
            &[F(b"Subject : hi\n", b"Subject", b" hi")],
            &[],
            b"Subject : hi\n",
        ),
        // No space after the colon; colons in the value; a second colon.
        (
            &[F(b"X-Vipre-Tenant-Key:otk_tight\n", KEY, b"otk_tight")],
            &[b"otk_tight"],
            b"",
        ),
        (
            &[F(b"X-Vipre-Tenant-Key: a:b:c\n", KEY, b" a:b:c")],
            &[b"a:b:c"],
            b"",
        ),
        (
            &[F(b"X-Vipre-Tenant-Key:: v\n", KEY, b": v")],
            &[b": v"],
            b"",
        ),
        // Every kind of ftext byte; a one-byte name.
        (
            &[F(&all_ftext_line, all_ftext, b" v")],
            &[],
            &all_ftext_line,
        ),
        (&[F(b"X: v\n", b"X", b" v")], &[], b"X: v\n"),
        (&[F(b"X-Vipre-Tenant-Key:", KEY, b"")], &[b""], b""),
    ];
    check_table(table);
}

#[test]
fn f2_continuation_lines_belong_to_the_field_above() {
    let table: &[Row<'_>] = &[
        // Value on the continuation line (Exchange).
        (
            &[F(
                b"X-Vipre-Tenant-Key:\r\n\totk_next\r\n",
                KEY,
                b"\r\n\totk_next",
            )],
            &[b"otk_next"],
            b"",
        ),
        // Many continuation lines, tab and space.
        (
            &[
                F(
                    b"X-Vipre-Tenant-Key:\r\n otk_\r\n a\r\n b\r\n\tc\r\n",
                    KEY,
                    b"\r\n otk_\r\n a\r\n b\r\n\tc",
                ),
                Sep(b"\r\n"),
            ],
            &[b"otk_ a b\tc"],
            b"\r\n",
        ),
        // Whitespace-only continuation lines.
        (
            &[F(
                b"X-Vipre-Tenant-Key: otk_a\r\n \r\n\t\r\n",
                KEY,
                b" otk_a\r\n \r\n\t",
            )],
            &[b"otk_a"],
            b"",
        ),
        (
            &[F(b"X-Vipre-Tenant-Key:\n\totk_tab\n", KEY, b"\n\totk_tab")],
            &[b"otk_tab"],
            b"",
        ),
        (
            &[F(b"X-Vipre-Tenant-Key:\n otk_sp\n", KEY, b"\n otk_sp")],
            &[b"otk_sp"],
            b"",
        ),
        // A continuation line that looks like a token field belongs to the field above.
        (
            &[
                F(
                    b"Subject: hi\r\n X-Vipre-Tenant-Key: otk_fake\r\n",
                    b"Subject",
                    b" hi\r\n X-Vipre-Tenant-Key: otk_fake",
                ),
                F(b"To: a\r\n", b"To", b" a"),
            ],
            &[],
            b"Subject: hi\r\n X-Vipre-Tenant-Key: otk_fake\r\nTo: a\r\n",
        ),
        (
            &[
                F(
                    b"Subject: hi\n\tX-Vipre-Tenant-Key:otk_fake\n",
                    b"Subject",
                    b" hi\n\tX-Vipre-Tenant-Key:otk_fake",
                ),
                Sep(b"\n"),
            ],
            &[],
            b"Subject: hi\n\tX-Vipre-Tenant-Key:otk_fake\n\n",
        ),
        (
            &[F(
                b"X-Vipre-Tenant-Key: otk_a\n X-Vipre-Tenant-Key: otk_b\n",
                KEY,
                b" otk_a\n X-Vipre-Tenant-Key: otk_b",
            )],
            &[b"otk_a X-Vipre-Tenant-Key: otk_b"],
            b"",
        ),
        // A continuation of the field before the token field is not stripped with it.
        (
            &[
                F(b"To: a\n b\n", b"To", b" a\n b"),
                F(b"X-Vipre-Tenant-Key: t\n \n", KEY, b" t\n "),
                F(b"Cc: c\n\td\n", b"Cc", b" c\n\td"),
                Sep(b"\n"),
                Body(b" e\n"),
            ],
            &[b"t"],
            b"To: a\n b\nCc: c\n\td\n\n e\n",
        ),
    ];
    check_table(table);
}

/// `(first line, tokens, end kind)`.
type NameRow<'a> = (&'a [u8], &'a [&'a [u8]], EndKind);

/// Each message is `line` + `"\r\nTo: z\r\n\r\nbody"`; `tokens` and the end kind are expected.
#[test]
fn f3_names_match_ascii_case_insensitively_over_whole_length() {
    let table: &[NameRow<'_>] = &[
        (
            b"X-Vipre-Tenant-Key: exact",
            &[b"exact"],
            EndKind::EmptyLine,
        ),
        (
            b"x-vipre-tenant-key: lower",
            &[b"lower"],
            EndKind::EmptyLine,
        ),
        (
            b"X-VIPRE-TENANT-KEY: upper",
            &[b"upper"],
            EndKind::EmptyLine,
        ),
        (
            b"x-ViPrE-tEnAnT-kEy: mixed",
            &[b"mixed"],
            EndKind::EmptyLine,
        ),
        (b"X-Vipre-Tenant-Key\t: obs", &[b"obs"], EndKind::EmptyLine),
        // One byte more, one byte less, one byte different.
        (b"X-Vipre-Tenant-Key2: no", &[], EndKind::EmptyLine),
        (b"X-Vipre-Tenant-Keys: no", &[], EndKind::EmptyLine),
        (b"X-Vipre-Tenant-Key-Old: no", &[], EndKind::EmptyLine),
        (b"XX-Vipre-Tenant-Key: no", &[], EndKind::EmptyLine),
        (b"X-Vipre-Tenant-Ke: no", &[], EndKind::EmptyLine),
        (b"Vipre-Tenant-Key: no", &[], EndKind::EmptyLine),
        (b"-Vipre-Tenant-Key: no", &[], EndKind::EmptyLine),
        (b"X-Vipre_Tenant-Key: no", &[], EndKind::EmptyLine),
        (b"X-Vipre-Tenant_Key: no", &[], EndKind::EmptyLine),
        (b"X-Vipre-Tenant-Kex: no", &[], EndKind::EmptyLine),
        (b"X.Vipre-Tenant-Key: no", &[], EndKind::EmptyLine),
        (b"X-Vipre-Tenant-Key\x00: no", &[], EndKind::StrayLine),
        // Unicode look-alikes are non-ASCII bytes in a name: stray lines, never a match.
        (
            "X-Vipre-Tenant-\u{212A}ey: kelvin".as_bytes(),
            &[],
            EndKind::StrayLine,
        ),
        (
            "x-vipre-tenant-\u{212A}ey: kelvin".as_bytes(),
            &[],
            EndKind::StrayLine,
        ),
        (
            "X-Vipre-Tenant-\u{41A}ey: cyrillic-ka".as_bytes(),
            &[],
            EndKind::StrayLine,
        ),
        (
            "\u{425}-Vipre-Tenant-Key: cyrillic-ha".as_bytes(),
            &[],
            EndKind::StrayLine,
        ),
        (
            "X-V\u{456}pre-Tenant-Key: cyrillic-i".as_bytes(),
            &[],
            EndKind::StrayLine,
        ),
        (
            "X-Vipre-Tenant-Key\u{FF1A} fullwidth-colon".as_bytes(),
            &[],
            EndKind::StrayLine,
        ),
        (
            "\u{FF38}-Vipre-Tenant-Key: fullwidth-x".as_bytes(),
            &[],
            EndKind::StrayLine,
        ),
        (
            "X\u{2011}Vipre-Tenant-Key: nb-hyphen".as_bytes(),
            &[],
            EndKind::StrayLine,
        ),
        (
            "X-Vipre-Tenant-Key\u{A0}: nbsp".as_bytes(),
            &[],
            EndKind::StrayLine,
        ),
    ];
    for (line, tokens, kind) in table {
        let input = cat(&[line, b"\r\nTo: z\r\n\r\nbody"]);
        let ctx = show(&input);
        for header in [DEFAULT_HEADER, "x-vipre-tenant-key", "X-VIPRE-TENANT-KEY"] {
            let found: Vec<Vec<u8>> = find(&input, header)
                .unwrap()
                .iter()
                .map(|f| f.token().into_owned())
                .collect();
            let want: Vec<Vec<u8>> = tokens.iter().map(|t| t.to_vec()).collect();
            assert_eq!(
                show_all(&found),
                show_all(&want),
                "tokens of {ctx} for {header}"
            );
            let stripped = strip(&input, header).unwrap().to_vec();
            let want_stripped = if tokens.is_empty() {
                input.clone()
            } else {
                b"To: z\r\n\r\nbody".to_vec()
            };
            assert_eq!(
                show(&stripped),
                show(&want_stripped),
                "strip of {ctx} for {header}"
            );
        }
        let end = scan(&input).finish();
        let want_offset = if *kind == EndKind::StrayLine {
            0
        } else {
            input.len() - 6
        };
        assert_eq!(
            (end.kind(), end.offset()),
            (*kind, want_offset),
            "end of {ctx}"
        );
        // `has_name` agrees with the match, for the first field when there is one.
        if let Some(field) = scan(&input).next() {
            assert_eq!(
                field.has_name(DEFAULT_HEADER),
                !tokens.is_empty(),
                "has_name of {ctx}"
            );
        }
    }
}

/// Single-field messages: `(input, raw_value, token)`.
#[test]
fn f4_value_runs_to_last_continuation_and_token_is_unfolded_and_trimmed() {
    let mb = vec![b'z'; 1 << 20];
    let mb_line = cat(&[b"X-Vipre-Tenant-Key:\r\n\t", &mb, b" \r\n"]);
    let mb_value = cat(&[b"\r\n\t", &mb, b" "]);
    let table: &[(&[u8], &[u8], &[u8])] = &[
        (b"X-Vipre-Tenant-Key: otk_a\r\n", b" otk_a", b"otk_a"),
        (b"X-Vipre-Tenant-Key:\r\n", b"", b""),
        (b"X-Vipre-Tenant-Key:   \t \r\n", b"   \t ", b""),
        (b"X-Vipre-Tenant-Key:\r\n \r\n\t\r\n", b"\r\n \r\n\t", b""),
        (
            b"X-Vipre-Tenant-Key: \totk_a \t\r\n",
            b" \totk_a \t",
            b"otk_a",
        ),
        (
            b"X-Vipre-Tenant-Key: otk a  b\r\n",
            b" otk a  b",
            b"otk a  b",
        ),
        (
            b"X-Vipre-Tenant-Key: otk_ab\r\n cd\r\n",
            b" otk_ab\r\n cd",
            b"otk_ab cd",
        ),
        (
            b"X-Vipre-Tenant-Key: otk_ab\n\tcd\n",
            b" otk_ab\n\tcd",
            b"otk_ab\tcd",
        ),
        (
            b"X-Vipre-Tenant-Key: \r\n \r\n otk_c \r\n",
            b" \r\n \r\n otk_c ",
            b"otk_c",
        ),
        (
            b"X-Vipre-Tenant-Key: otk_a \r\n\tb\r\n",
            b" otk_a \r\n\tb",
            b"otk_a \tb",
        ),
        // Nothing is decoded.
        (
            b"X-Vipre-Tenant-Key: \"otk_q\"\r\n",
            b" \"otk_q\"",
            b"\"otk_q\"",
        ),
        (
            b"X-Vipre-Tenant-Key: otk_c (comment)\r\n",
            b" otk_c (comment)",
            b"otk_c (comment)",
        ),
        (
            b"X-Vipre-Tenant-Key: =?utf-8?B?b3RrX2U=?=\r\n",
            b" =?utf-8?B?b3RrX2U=?=",
            b"=?utf-8?B?b3RrX2U=?=",
        ),
        // Bare CRs are data and are not trimmed.
        (b"X-Vipre-Tenant-Key: otk_a\r\r\n", b" otk_a\r", b"otk_a\r"),
        (b"X-Vipre-Tenant-Key:\rotk_a\r\n", b"\rotk_a", b"\rotk_a"),
        (
            b"X-Vipre-Tenant-Key: a\r\r\n b\r\n",
            b" a\r\r\n b",
            b"a\r b",
        ),
        (b"X-Vipre-Tenant-Key: \r\r\n \r\n", b" \r\r\n ", b"\r"),
        (
            b"X-Vipre-Tenant-Key: a \r \n b\n",
            b" a \r \n b",
            b"a \r  b",
        ),
        // Only SP and HTAB are trimmed.
        (
            b"X-Vipre-Tenant-Key: \xc2\xa0otk\xc2\xa0\r\n",
            b" \xc2\xa0otk\xc2\xa0",
            b"\xc2\xa0otk\xc2\xa0",
        ),
        (
            b"X-Vipre-Tenant-Key: \x0botk\x0c\r\n",
            b" \x0botk\x0c",
            b"\x0botk\x0c",
        ),
        (
            b"X-Vipre-Tenant-Key: \0otk\0 \r\n",
            b" \0otk\0 ",
            b"\0otk\0",
        ),
        // No final line ending.
        (b"X-Vipre-Tenant-Key: otk_z ", b" otk_z ", b"otk_z"),
        (b"X-Vipre-Tenant-Key: otk_z\n ", b" otk_z\n ", b"otk_z"),
        (&mb_line, &mb_value, &mb),
    ];
    for (input, raw, token) in table {
        let ctx = show(input);
        let fields: Vec<_> = scan(input).collect();
        assert_eq!(fields.len(), 1, "field count of {ctx}");
        let field = fields[0];
        assert_eq!(field.name(), KEY, "name of {ctx}");
        assert_eq!(show(field.raw_value()), show(raw), "raw value of {ctx}");
        assert_eq!(show(&field.token()), show(token), "token of {ctx}");
        assert_eq!(field.span(), 0..input.len(), "span of {ctx}");
        assert_eq!(
            field.is_folded(),
            raw.contains(&b'\n'),
            "is_folded of {ctx}"
        );
        assert_eq!(
            find(input, DEFAULT_HEADER).unwrap(),
            fields,
            "find of {ctx}"
        );
        assert_eq!(
            strip(input, DEFAULT_HEADER).unwrap().to_vec(),
            b"",
            "strip of {ctx}"
        );
    }
}

/// `(input, stripped, removed)`.
#[test]
fn s1_every_matching_field_is_removed_through_its_last_line_ending() {
    let table: &[(&[u8], &[u8], usize)] = &[
        (b"X-Vipre-Tenant-Key: a\r\nTo: b\r\n\r\nbody", b"To: b\r\n\r\nbody", 1),
        (
            b"x-vipre-tenant-key: a\nTo: b\nX-VIPRE-TENANT-KEY: c\nSubject: d\nX-Vipre-Tenant-Key : e\n\nbody",
            b"To: b\nSubject: d\n\nbody",
            3,
        ),
        (b"To: b\r\nX-Vipre-Tenant-Key:\r\n otk\r\n\tmore\r\nSubject: s\r\n\r\n", b"To: b\r\nSubject: s\r\n\r\n", 1),
        (b"To: b\r\nX-Vipre-Tenant-Key: a", b"To: b\r\n", 1),
        (b"To: b\nX-Vipre-Tenant-Key: a\n b", b"To: b\n", 1),
        (b"X-Vipre-Tenant-Key: a\nX-Vipre-Tenant-Key: b\n\n", b"\n", 2),
        (b"X-Vipre-Tenant-Key: a\r\n", b"", 1),
        (b"X-Vipre-Tenant-Key: a\r\nX-Vipre-Tenant-Key:\r\n\tb", b"", 2),
        (b"From x\nX-Vipre-Tenant-Key: a\n\n", b"From x\n\n", 1),
        (b" \nX-Vipre-Tenant-Key: a\nTo: b\n", b" \nTo: b\n", 1),
        (b"To: b\nX-Vipre-Tenant-Key: a\r\r\nCc: c\n", b"To: b\nCc: c\n", 1),
    ];
    for (input, want, removed) in table {
        let ctx = show(input);
        let out = strip(input, DEFAULT_HEADER).unwrap();
        assert_eq!(show(&out.to_vec()), show(want), "strip of {ctx}");
        assert_eq!(out.removed(), *removed, "removed of {ctx}");
        assert_eq!(out.is_empty(), want.is_empty(), "is_empty of {ctx}");
        assert_eq!(out.len(), want.len(), "len of {ctx}");
    }
}

/// `(input, stripped)`: the output is the input minus the token fields and nothing else.
#[test]
fn s2_no_other_byte_changes() {
    let table: &[(&[u8], &[u8])] = &[
        // Line endings, folding and trailing spaces of other fields; the empty line; the body.
        (
            b"To: a  \r\nX-Vipre-Tenant-Key: t\nSubject: x\r\n\ty \t\nCc: c\n\r\nbody  \r\n",
            b"To: a  \r\nSubject: x\r\n\ty \t\nCc: c\n\r\nbody  \r\n",
        ),
        // Headers of body parts and attached messages.
        (
            b"Content-Type: multipart/mixed; boundary=b\r\nX-Vipre-Tenant-Key: t\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nX-Vipre-Tenant-Key: inner\r\n\r\nhi\r\n--b--\r\n",
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nX-Vipre-Tenant-Key: inner\r\n\r\nhi\r\n--b--\r\n",
        ),
        // Everything after a stray line.
        (
            b"To: a\nX-Vipre-Tenant-Key: t\ngarbage\nX-Vipre-Tenant-Key: u\n\n",
            b"To: a\ngarbage\nX-Vipre-Tenant-Key: u\n\n",
        ),
        (b"X-Vipre-Tenant-Key: t\n\r\n", b"\r\n"),
        (b"From a  Mon\r\nX-Vipre-Tenant-Key: t\r\n", b"From a  Mon\r\n"),
        (
            b"X-A: \0\xff\r\n\t\x80\r\nX-Vipre-Tenant-Key: t\r\nX-B: \r\r\n\r\n\xff",
            b"X-A: \0\xff\r\n\t\x80\r\nX-B: \r\r\n\r\n\xff",
        ),
        // Near-miss names and look-alikes stay.
        (
            "X-Vipre-Tenant-Key2: a\nX-Vipre-Tenant-Key: t\nX-Vipre_Tenant-Key: b\nX-Vipre-Tenant-\u{212A}ey: c\n".as_bytes(),
            "X-Vipre-Tenant-Key2: a\nX-Vipre_Tenant-Key: b\nX-Vipre-Tenant-\u{212A}ey: c\n".as_bytes(),
        ),
    ];
    for (input, want) in table {
        let ctx = show(input);
        let out = strip(input, DEFAULT_HEADER).unwrap();
        assert_eq!(show(&out.to_vec()), show(want), "strip of {ctx}");
        assert_eq!(out.removed(), 1, "removed of {ctx}");
        // The kept slices are slices of the input, in order.
        let mut from = 0;
        for part in out.as_slices() {
            let at = input[from..]
                .windows(part.len())
                .position(|w| w == *part)
                .map(|i| i + from);
            assert!(
                at.is_some(),
                "kept part {} not in order in {ctx}",
                show(part)
            );
            from = at.unwrap() + part.len();
        }
    }
}

/// `(input, fields removed by the first strip)`.
#[test]
fn s3_strip_is_idempotent_and_keeps_messages_without_the_field() {
    let table: &[(&[u8], usize)] = &[
        (b"", 0),
        (b"To: a\r\n\r\nbody", 0),
        (b"To: a\r\n X-Vipre-Tenant-Key: t\r\n\r\n", 0),
        (b"\r\nX-Vipre-Tenant-Key: t\r\n", 0),
        (b"garbage\nX-Vipre-Tenant-Key: t\n", 0),
        (b"From x\nFrom y\nX-Vipre-Tenant-Key: t\n", 0),
        (b" X-Vipre-Tenant-Key: t\n", 0),
        (b"X-Vipre-Tenant-Key2: t\nX-Vipre_Tenant-Key: t\n", 0),
        (
            b"X-Vipre-Tenant-Key: a\nTo: b\nX-Vipre-Tenant-Key: c\n\nX-Vipre-Tenant-Key: d\n",
            2,
        ),
        (b"X-Vipre-Tenant-Key: a\r\n\r\n", 1),
        (b"X-Vipre-Tenant-Key: a\r\n\r\nX-Vipre-Tenant-Key: b\r\n", 1),
        (b" \nX-Vipre-Tenant-Key: a\n\tb\n", 1),
        (
            b"To: a\nX-Vipre-Tenant-Key: a\ngarbage\nX-Vipre-Tenant-Key: b\n",
            1,
        ),
        (b"X-Vipre-Tenant-Key: a", 1),
    ];
    for (input, removed) in table {
        let ctx = show(input);
        let once = strip(input, DEFAULT_HEADER).unwrap();
        assert_eq!(once.removed(), *removed, "first strip of {ctx}");
        let once = once.to_vec();
        let twice = strip(&once, DEFAULT_HEADER).unwrap();
        assert_eq!(twice.removed(), 0, "second strip of {ctx}");
        assert_eq!(show(&twice.to_vec()), show(&once), "second strip of {ctx}");
        assert!(
            find(&once, DEFAULT_HEADER).unwrap().is_empty(),
            "find after strip of {ctx}"
        );
        if *removed == 0 {
            assert_eq!(show(&once), show(input), "unchanged {ctx}");
            let again = strip(input, DEFAULT_HEADER).unwrap();
            assert!(again.is_unchanged(), "is_unchanged of {ctx}");
            // Zero-copy: the whole input comes back as one slice.
            let whole: Vec<&[u8]> = if input.is_empty() {
                vec![]
            } else {
                vec![input]
            };
            assert_eq!(again.as_slices(), &whole[..], "as_slices of {ctx}");
        }
    }
}

/// The one place where S3 yields to E1 and S2. When every field before a `From ` line is a token
/// field, stripping moves that line to offset 0, where a reader of the *output* takes it for an
/// mbox envelope (E1 applies to the input as received). S1-S2 fix those bytes, so a second strip
/// may find more: here the token after the stray line. Such a message is never relayed: V3 makes
/// it ambiguous. The obsolete-syntax `From :` field is the harmless variant: no token follows.
#[test]
fn s3_yields_to_e1_when_stripping_exposes_a_from_line_at_offset_0() {
    let stray = b"X-Vipre-Tenant-Key: a\nFrom x\nX-Vipre-Tenant-Key: b\n\n";
    let once = strip(stray, DEFAULT_HEADER).unwrap().to_vec();
    assert_eq!(show(&once), show(b"From x\nX-Vipre-Tenant-Key: b\n\n"));
    assert_eq!(
        show(&strip(&once, DEFAULT_HEADER).unwrap().to_vec()),
        show(b"From x\n\n")
    );

    let keyring = outbound_token::Keyring::new();
    let verdict = outbound_token::verify(stray, &keyring, &outbound_token::Policy::new()).verdict;
    assert_eq!(verdict.kind(), outbound_token::VerdictKind::Ambiguous);

    let obsolete = b"X-Vipre-Tenant-Key: a\r\nFrom : x\r\n\r\n";
    let once = strip(obsolete, DEFAULT_HEADER).unwrap().to_vec();
    assert_eq!(show(&once), show(b"From : x\r\n\r\n"));
    assert_eq!(
        show(&strip(&once, DEFAULT_HEADER).unwrap().to_vec()),
        show(&once)
    );
}

/// `(message, header, value, output)`.
type SetRow<'a> = (&'a [u8], &'a str, &'a str, &'a [u8]);

/// Each row is a [`SetRow`].
#[test]
fn set_header_stamps_exactly_one_field_at_the_top() {
    let table: &[SetRow<'_>] = &[
        (
            b"To: b\nX-Vipre-Tenant-Key: old\n\nHi\n",
            DEFAULT_HEADER,
            "v",
            b"X-Vipre-Tenant-Key: v\nTo: b\n\nHi\n",
        ),
        (
            b"To: b\r\nX-Vipre-Tenant-Key: old\r\n\tfold\r\nX-VIPRE-TENANT-KEY: o2\r\n\r\n",
            DEFAULT_HEADER,
            "otk_new",
            b"X-Vipre-Tenant-Key: otk_new\r\nTo: b\r\n\r\n",
        ),
        (
            b"X-VIPRE-TENANT-KEY: old\r\n",
            "x-vipre-tenant-key",
            "v",
            b"x-vipre-tenant-key: v\r\n",
        ),
        (b"", DEFAULT_HEADER, "v", b"X-Vipre-Tenant-Key: v\r\n"),
        (
            b"\r\nbody",
            DEFAULT_HEADER,
            "v",
            b"X-Vipre-Tenant-Key: v\r\n\r\nbody",
        ),
        (
            b"\nX-Vipre-Tenant-Key: body\n",
            DEFAULT_HEADER,
            "v",
            b"X-Vipre-Tenant-Key: v\n\nX-Vipre-Tenant-Key: body\n",
        ),
        (
            b"To: b",
            DEFAULT_HEADER,
            "v",
            b"X-Vipre-Tenant-Key: v\r\nTo: b",
        ),
        (
            b"X-Vipre-Tenant-Key: old",
            DEFAULT_HEADER,
            "v",
            b"X-Vipre-Tenant-Key: v\r\n",
        ),
        (
            b"From x\n \nTo: b\n",
            DEFAULT_HEADER,
            "v",
            b"From x\n \nX-Vipre-Tenant-Key: v\nTo: b\n",
        ),
        (
            b"From x\nX-Vipre-Tenant-Key: old\n",
            DEFAULT_HEADER,
            "v",
            b"From x\nX-Vipre-Tenant-Key: v\n",
        ),
        (
            b"garbage\nX-Vipre-Tenant-Key: old\n",
            DEFAULT_HEADER,
            "v",
            b"X-Vipre-Tenant-Key: v\ngarbage\nX-Vipre-Tenant-Key: old\n",
        ),
        (
            b"To: b\n",
            DEFAULT_HEADER,
            "",
            b"X-Vipre-Tenant-Key: \nTo: b\n",
        ),
        (
            b"To: b\n",
            DEFAULT_HEADER,
            "a\tb \u{e9}",
            "X-Vipre-Tenant-Key: a\tb \u{e9}\nTo: b\n".as_bytes(),
        ),
        // An envelope or a leading continuation line with no line ending gets one, so that the
        // new field starts a line of its own.
        (
            b"From a@b Mon",
            DEFAULT_HEADER,
            "v",
            b"From a@b Mon\r\nX-Vipre-Tenant-Key: v\r\n",
        ),
        (
            b"  ",
            DEFAULT_HEADER,
            "v",
            b"  \r\nX-Vipre-Tenant-Key: v\r\n",
        ),
        (
            b"From a\n \t",
            DEFAULT_HEADER,
            "v",
            b"From a\n \t\nX-Vipre-Tenant-Key: v\n",
        ),
    ];
    for (input, header, value, want) in table {
        let ctx = show(input);
        let out = set_header(input, header, value).unwrap();
        assert_eq!(
            show(&out),
            show(want),
            "set_header({header}, {value:?}) of {ctx}"
        );
        let found = find(&out, header).unwrap();
        assert_eq!(found.len(), 1, "fields after set_header of {ctx}");
        assert_eq!(
            &*found[0].token(),
            value.as_bytes(),
            "token after set_header of {ctx}"
        );
    }
}

#[test]
fn set_header_find_and_strip_reject_invalid_names_and_values() {
    let message = b"To: b\r\n\r\n";
    let names: &[(&str, usize)] = &[
        ("", 0),
        ("X Vipre", 1),
        ("X-Vipre:", 7),
        (":", 0),
        ("X-Vipre-Tenant-\u{212A}ey", 15),
        ("\t", 0),
        ("\u{C4}", 0),
        ("X\0", 1),
        ("Key\x7f", 3),
        ("X-Vipre-Tenant-Key\r\n", 18),
    ];
    for (name, offset) in names {
        let want = Error::InvalidHeaderName { offset: *offset };
        assert_eq!(
            set_header(message, name, "v"),
            Err(want.clone()),
            "set_header name {name:?}"
        );
        assert_eq!(
            find(message, name).map(|f| f.len()),
            Err(want.clone()),
            "find name {name:?}"
        );
        assert_eq!(
            strip(message, name).map(|s| s.to_vec()),
            Err(want),
            "strip name {name:?}"
        );
    }
    let values: &[(&str, usize)] = &[
        ("a\rb", 1),
        ("a\nb", 1),
        ("\r\nBcc: x@example.org", 0),
        ("\0", 0),
        ("ok\0", 2),
        ("otk\x1b[0m", 3),
        ("abc\x7f", 3),
        ("a\x0bb", 1),
        ("\x0c", 0),
        ("\u{e9}\x01", 2),
    ];
    for (value, offset) in values {
        let want = Error::InvalidHeaderValue { offset: *offset };
        assert_eq!(
            set_header(message, DEFAULT_HEADER, value),
            Err(want),
            "set_header value {value:?}"
        );
    }
    // Tabs, spaces and non-ASCII text are accepted.
    for value in ["a\tb", " ", "caf\u{e9}", "=?utf-8?B?YQ==?="] {
        assert!(
            set_header(message, DEFAULT_HEADER, value).is_ok(),
            "set_header value {value:?}"
        );
    }
}
