//! Stamping a message with a header, for senders that have no provider rule engine.

use crate::Error;
use crate::header::{HeaderName, check_value};
use crate::scan::scan;
use crate::strip::Stripped;

/// Returns `message` with every field named `header` removed and exactly one `header: value`
/// field added at the top of the header section.
///
/// The new field ends with the message's own line ending (that of its first line; CRLF when it
/// has none). It goes after an mbox envelope line (E1) and after any whitespace-only lines that
/// precede the first field (E5), so that none of them can turn into a continuation of it.
///
/// ```
/// let message = b"To: b@example.org\nX-Vipre-Tenant-Key: old\n\nHi\n";
/// let stamped = outbound_token::set_header(message, outbound_token::DEFAULT_HEADER, "otk_new")?;
/// assert_eq!(stamped, b"X-Vipre-Tenant-Key: otk_new\nTo: b@example.org\n\nHi\n");
/// # Ok::<(), outbound_token::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::InvalidHeaderName`] for a name that is not RFC 5322 `ftext`, and
/// [`Error::InvalidHeaderValue`] for a value holding CR, LF or another control character.
pub fn set_header(message: &[u8], header: &str, value: &str) -> Result<Vec<u8>, Error> {
    let name = HeaderName::new(header)?;
    check_value(value)?;

    let mut scanner = scan(message);
    let envelope_end = scanner.envelope().map_or(0, |envelope| envelope.end);
    let spans: Vec<_> = scanner
        .by_ref()
        .filter(|f| name.matches(f))
        .map(|f| f.span())
        .collect();
    let insert_at = first_field_start(message, envelope_end);

    let eol = line_ending(message);
    // An envelope or leading continuation line that is the last line and has no line ending
    // (L2) must get one, or the new field would be glued onto it and never read as a field.
    let needs_break = insert_at > 0 && message.get(insert_at - 1) != Some(&b'\n');
    let stripped = Stripped::cut(message, spans);
    // `: `, the field's line ending and the one `needs_break` may add: 2 + 2 + 2 bytes. (With
    // only 4, a message that is one unterminated envelope or E5 line reallocated its whole
    // size; tests/hostile.rs counts the allocations.)
    let mut out = Vec::with_capacity(stripped.len() + header.len() + value.len() + 6);
    let mut inserted = false;
    let mut offset = 0;
    for part in stripped.as_slices() {
        // `insert_at` lies before every removed span, so it falls inside the first kept part
        // that reaches it.
        if !inserted && offset + part.len() >= insert_at {
            let (head, tail) = part.split_at(insert_at - offset);
            out.extend_from_slice(head);
            if needs_break {
                out.extend_from_slice(eol);
            }
            push_field(&mut out, name.as_str(), value, eol);
            out.extend_from_slice(tail);
            inserted = true;
        } else {
            out.extend_from_slice(part);
        }
        offset += part.len();
    }
    if !inserted {
        push_field(&mut out, name.as_str(), value, eol);
    }
    Ok(out)
}

fn push_field(out: &mut Vec<u8>, name: &str, value: &str, eol: &[u8]) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(eol);
}

/// The end of the E5 leading continuation lines that start at `from` (`from` itself if none).
fn first_field_start(message: &[u8], from: usize) -> usize {
    let mut at = from;
    while matches!(message.get(at), Some(b' ' | b'\t')) {
        at = match message
            .get(at..)
            .and_then(|rest| memchr::memchr(b'\n', rest))
        {
            Some(lf) => at + lf + 1,
            None => message.len(),
        };
    }
    at
}

/// The line ending of the message's first line: CRLF, LF, or CRLF when there is none.
fn line_ending(message: &[u8]) -> &'static [u8] {
    match memchr::memchr(b'\n', message) {
        Some(lf) if lf == 0 || message.get(lf - 1) != Some(&b'\r') => b"\n",
        _ => b"\r\n",
    }
}
