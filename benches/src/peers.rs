//! Finding and stripping the token field four ways, each as its library is meant to be used.
//!
//! Each `find` returns how many token fields it saw and each `strip` returns the stripped
//! message as a new buffer, so all four do the same work and the benches compare like with
//! like. (outbound-token can also strip without copying, see [`ours_strip_slices`].)

use outbound_token::DEFAULT_HEADER;

/// outbound-token: how many fields named [`DEFAULT_HEADER`] the header section has.
pub fn ours_find(message: &[u8]) -> usize {
    outbound_token::find(message, DEFAULT_HEADER).map_or(0, |fields| fields.len())
}

/// outbound-token: the message without its token fields, joined into one buffer.
pub fn ours_strip(message: &[u8]) -> Vec<u8> {
    outbound_token::strip(message, DEFAULT_HEADER).map_or_else(|_| Vec::new(), |s| s.to_vec())
}

/// outbound-token's zero-copy strip: the length of the stripped message, without joining it.
pub fn ours_strip_slices(message: &[u8]) -> usize {
    outbound_token::strip(message, DEFAULT_HEADER).map_or(0, |s| s.len())
}

/// mail-parser 0.11: parse the header section, count the fields with the name.
pub fn mail_parser_find(message: &[u8]) -> usize {
    mail_parser::MessageParser::default()
        .parse_headers(message)
        .map_or(0, |parsed| {
            parsed
                .headers()
                .iter()
                .filter(|h| h.name().eq_ignore_ascii_case(DEFAULT_HEADER))
                .count()
        })
}

/// mail-parser 0.11: parse the header section and cut each field out by its offsets
/// (`offset_field` to `offset_end`, which includes the line ending).
pub fn mail_parser_strip(message: &[u8]) -> Vec<u8> {
    let Some(parsed) = mail_parser::MessageParser::default().parse_headers(message) else {
        return message.to_vec();
    };
    let spans = parsed
        .headers()
        .iter()
        .filter(|h| h.name().eq_ignore_ascii_case(DEFAULT_HEADER))
        .map(|h| widen(h.offset_field())..widen(h.offset_end()));
    cut(message, spans)
}

/// mailparse: parse the header section, count the fields with the name.
pub fn mailparse_find(message: &[u8]) -> usize {
    mailparse::parse_headers(message).map_or(0, |(headers, _)| {
        headers
            .iter()
            .filter(|h| {
                h.get_key_raw()
                    .eq_ignore_ascii_case(DEFAULT_HEADER.as_bytes())
            })
            .count()
    })
}

/// mailparse: parse the header section and cut each field out. mailparse reports no offsets,
/// but its key and raw value borrow the input, so the field runs from the key's first byte to
/// the raw value's end plus the line ending after it.
pub fn mailparse_strip(message: &[u8]) -> Vec<u8> {
    let Ok((headers, _)) = mailparse::parse_headers(message) else {
        return message.to_vec();
    };
    let base = message.as_ptr() as usize;
    let spans = headers
        .iter()
        .filter(|h| {
            h.get_key_raw()
                .eq_ignore_ascii_case(DEFAULT_HEADER.as_bytes())
        })
        .map(|h| {
            let start = h.get_key_raw().as_ptr() as usize - base;
            let value = h.get_value_raw();
            let end = value.as_ptr() as usize - base + value.len();
            let rest = message.get(end..).unwrap_or_default();
            let eol = if rest.starts_with(b"\r\n") {
                2
            } else {
                usize::from(rest.starts_with(b"\n"))
            };
            start..end + eol
        });
    cut(message, spans)
}

/// The memchr floor's find: the offset of the empty line that ends the header section and the
/// number of header lines, found with `memmem` and counted with `memchr_iter`. No scanner can
/// do less and still know where the header ends.
pub fn floor_find(message: &[u8]) -> (usize, usize) {
    let end = memchr::memmem::find(message, b"\r\n\r\n").map_or(message.len(), |at| at + 2);
    let lines = memchr::memchr_iter(b'\n', message.get(..end).unwrap_or_default()).count();
    (end, lines)
}

/// The memchr floor's strip: [`floor_find`], then one copy of the message.
pub fn floor_strip(message: &[u8]) -> (usize, Vec<u8>) {
    let (_, lines) = floor_find(message);
    (lines, message.to_vec())
}

/// `message` without `spans` (in order, disjoint), as one buffer.
fn cut(message: &[u8], spans: impl Iterator<Item = std::ops::Range<usize>>) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len());
    let mut kept_from = 0;
    for span in spans {
        out.extend_from_slice(message.get(kept_from..span.start).unwrap_or_default());
        kept_from = span.end;
    }
    out.extend_from_slice(message.get(kept_from..).unwrap_or_default());
    out
}

fn widen(offset: u32) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus;

    /// Every peer finds and strips exactly what the generator wrote, on every case, so the
    /// benches compare equal work.
    #[test]
    fn peers_agree_with_the_generator() {
        let token = crate::tenant_token(0);
        for case in corpus::all(token.expose_secret()) {
            for (n, m) in case.messages.iter().enumerate() {
                let at = format!("{} message {n}", case.name);
                let want = m.stripped();
                assert_eq!(ours_find(&m.bytes), 1, "{at}");
                assert_eq!(mail_parser_find(&m.bytes), 1, "{at}");
                assert_eq!(mailparse_find(&m.bytes), 1, "{at}");
                assert_eq!(floor_find(&m.bytes), (m.header_end, m.header_lines), "{at}");
                assert!(ours_strip(&m.bytes) == want, "ours: {at}");
                assert_eq!(ours_strip_slices(&m.bytes), want.len(), "{at}");
                assert!(mail_parser_strip(&m.bytes) == want, "mail-parser: {at}");
                assert!(mailparse_strip(&m.bytes) == want, "mailparse: {at}");
                let found = outbound_token::find(&m.bytes, DEFAULT_HEADER).unwrap();
                assert_eq!(found[0].span(), m.token_span, "{at}");
                assert_eq!(&*found[0].token(), m.token.as_bytes(), "{at}");
            }
        }
    }

    #[test]
    fn typical_messages_are_typical() {
        let case = corpus::typical("otk_x");
        for m in &case.messages {
            assert!((25..=40).contains(&m.fields), "{} fields", m.fields);
            let body = m.bytes.len() - m.header_end - 2;
            assert!((2048..=20 * 1024).contains(&body), "{body} byte body");
        }
        assert_eq!(corpus::many_fields("otk_x", 5000).fields, 5000);
        assert_eq!(corpus::folded("otk_x", 10_000).header_lines, 10_000 + 5);
    }
}
