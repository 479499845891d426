//! The header scanner: HEADER-RULES L1-L3, E1-E5 and F1-F4.
//!
//! [`scan`] walks the header section of a raw message one line at a time and yields each field
//! as a [`Field`] that borrows the input. It never allocates, never reads past the end of the
//! header section, and costs time linear in the header's size.
//!
//! # Tiling
//!
//! The pieces the scanner reports cover the input exactly, in order and without overlap:
//!
//! ```text
//! [envelope line] [leading continuation lines] field span ... field span [end marker] [body]
//! ```
//!
//! where the envelope is [`Scanner::envelope`], each field span is [`Field::span`], and the
//! header ends at [`HeaderEnd::offset`]: the separator line (for
//! [`EndKind::EmptyLine`]) runs from there to [`HeaderEnd::body_start`], and the body runs to the
//! end of the input. Leading continuation lines (E5) sit between the envelope and the first
//! field. Stripping relies on this: it cuts whole field spans out and keeps every other byte.

use std::borrow::Cow;
use std::ops::Range;

use crate::cursor::Cursor;

/// The header field name that provider rules stamp on outbound messages.
pub const DEFAULT_HEADER: &str = "X-Vipre-Tenant-Key";

/// Starts scanning the header section of `message`.
///
/// The scanner is an iterator over every field of the header section; once it is exhausted,
/// [`Scanner::end`] tells where and why the header section ended.
///
/// ```
/// let message = b"From: a@example.com\r\nX-Vipre-Tenant-Key: otk_abc\r\n\r\nbody";
/// let mut scanner = outbound_token::scan(message);
/// let names: Vec<&[u8]> = scanner.by_ref().map(|field| field.name()).collect();
/// assert_eq!(names, [&b"From"[..], &b"X-Vipre-Tenant-Key"[..]]);
/// assert_eq!(scanner.end().map(|end| end.body_start()), Some(52));
/// ```
pub fn scan(message: &[u8]) -> Scanner<'_> {
    Scanner::new(message)
}

/// Why the header section ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndKind {
    /// At the first empty line: exactly CRLF or exactly LF (E2). That line separates the header
    /// from the body and is never removed.
    EmptyLine,
    /// At a line that is neither a field nor a continuation line (E3). That line and all after
    /// it are body and are never changed.
    StrayLine,
    /// At the end of the input: the message has no body (E4).
    EndOfInput,
}

/// Where and why the header section ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HeaderEnd {
    kind: EndKind,
    offset: usize,
    body_start: usize,
}

impl HeaderEnd {
    /// Why the header section ended.
    pub fn kind(&self) -> EndKind {
        self.kind
    }

    /// Offset of the first byte after the last header line: the start of the empty line, of the
    /// stray line, or the input's length.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Offset of the first byte of the body: after the empty line for [`EndKind::EmptyLine`],
    /// otherwise the same as [`offset`](Self::offset).
    pub fn body_start(&self) -> usize {
        self.body_start
    }
}

/// One header field, borrowed from the message.
///
/// A field is its first line (`name *WSP ":" value`) and every continuation line after it
/// (F1, F2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    name: &'a [u8],
    value: &'a [u8],
    span: (usize, usize),
}

impl<'a> Field<'a> {
    /// The field name exactly as written, without any spaces before the colon.
    pub fn name(&self) -> &'a [u8] {
        self.name
    }

    /// The raw value: every byte after the colon through the end of the last continuation line,
    /// folds included, without the final line ending (F4).
    pub fn raw_value(&self) -> &'a [u8] {
        self.value
    }

    /// The byte range of the whole field in the message: from the first byte of its name through
    /// the line ending of its last continuation line (or the end of the input).
    pub fn span(&self) -> Range<usize> {
        self.span.0..self.span.1
    }

    /// `true` when the name equals `name` ASCII case-insensitively over its whole length (F3).
    pub fn has_name(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name.as_bytes())
    }

    /// `true` when the value spans more than one line.
    pub fn is_folded(&self) -> bool {
        memchr::memchr(b'\n', self.value).is_some()
    }

    /// The value unfolded (each line break before a continuation line removed), with spaces and
    /// tabs trimmed at both ends: F4's *token*.
    ///
    /// Borrowed from the message unless a fold sits inside the token itself. Nothing is decoded:
    /// quotes, comments and encoded-words stay as they are.
    ///
    /// ```
    /// let message = b"X-Vipre-Tenant-Key:\r\n\totk_abc \r\n\r\n";
    /// let field = outbound_token::scan(message).next().unwrap();
    /// assert_eq!(&*field.token(), b"otk_abc");
    /// ```
    pub fn token(&self) -> Cow<'a, [u8]> {
        let trimmed = trim_folded(self.value);
        if memchr::memchr(b'\n', trimmed).is_none() {
            return Cow::Borrowed(trimmed);
        }
        Cow::Owned(unfold(trimmed))
    }
}

/// An iterator over the fields of a header section; see [`scan`].
#[derive(Debug, Clone)]
pub struct Scanner<'a> {
    cursor: Cursor<'a>,
    envelope: Option<Range<usize>>,
    end: Option<HeaderEnd>,
}

impl<'a> Scanner<'a> {
    fn new(message: &'a [u8]) -> Self {
        let mut cursor = Cursor::new(message);
        let mut envelope = None;

        // E1: one mbox envelope line at offset 0 is kept byte for byte and skipped.
        if message.starts_with(b"From ")
            && let Some(line) = cursor.peek_line()
        {
            cursor.take(line);
            envelope = Some(line.start..line.end);
        }
        Scanner {
            cursor,
            envelope,
            end: None,
        }
    }

    /// The byte range of the mbox envelope line (`From ` at offset 0) that was skipped, if any.
    pub fn envelope(&self) -> Option<Range<usize>> {
        self.envelope.clone()
    }

    /// Where and why the header section ended, once the iterator has returned `None`.
    pub fn end(&self) -> Option<HeaderEnd> {
        self.end
    }

    /// Runs the scanner to the end of the header section and returns where it ended.
    pub fn finish(mut self) -> HeaderEnd {
        self.by_ref().for_each(drop);
        // `next` sets `end` before it returns `None`.
        self.end.unwrap_or(HeaderEnd {
            kind: EndKind::EndOfInput,
            offset: 0,
            body_start: 0,
        })
    }

    /// Ends the header section at the current position; the body starts at `body_start`.
    fn stop(&mut self, kind: EndKind, body_start: Option<usize>) -> Option<Field<'a>> {
        let offset = self.cursor.offset();
        self.end = Some(HeaderEnd {
            kind,
            offset,
            body_start: body_start.unwrap_or(offset),
        });
        None
    }
}

impl<'a> Iterator for Scanner<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        if self.end.is_some() {
            return None;
        }
        loop {
            let start = self.cursor.offset();
            let rest = self.cursor.rest();
            let (name_len, colon) = match rest {
                [] => return self.stop(EndKind::EndOfInput, None),
                // E2: exactly LF or exactly CRLF.
                [b'\n', ..] => return self.stop(EndKind::EmptyLine, Some(start + 1)),
                [b'\r', b'\n', ..] => return self.stop(EndKind::EmptyLine, Some(start + 2)),
                [b' ' | b'\t', ..] => {
                    // E5: a continuation line with no field above it. Continuation lines after
                    // a field are taken with that field, so this is only reached before the
                    // first.
                    self.cursor.take_line_after(1);
                    continue;
                }
                _ => match split_field_line(rest) {
                    Some(split) => split,
                    None => return self.stop(EndKind::StrayLine, None),
                },
            };
            // Name, WSP and colon hold no LF: the line's end is searched for after the colon.
            let first = self.cursor.take_line_after(colon + 1);
            let last = self.cursor.take_continuations().unwrap_or(first);
            return Some(Field {
                name: self.cursor.slice(start..start + name_len),
                value: self.cursor.slice(start + colon + 1..last.content_end),
                span: (start, last.end),
            });
        }
    }
}

/// Parses `name *WSP ":"` at the start of a line (F1) and returns the name's length and the
/// colon's offset; `None` for a stray line (E3).
///
/// `name` is RFC 5322 `ftext`: `%d33-57 / %d59-126`, printable US-ASCII except `:`. The `*WSP`
/// before the colon is RFC 5322 section 4.5's `obs-optional`, which a receiver must accept.
///
/// `line` may run on past the end of the line: neither `ftext` nor `WSP` holds CR or LF, so
/// the name, the spaces and the colon are always found inside the line.
#[inline]
fn split_field_line(line: &[u8]) -> Option<(usize, usize)> {
    let name_len = name_len(line);
    if name_len == 0 {
        return None;
    }
    let after_name = line.get(name_len..)?;
    if after_name.first() == Some(&b':') {
        return Some((name_len, name_len));
    }
    let wsp = after_name.iter().position(|&b| !is_wsp(b))?;
    match after_name.get(wsp) {
        Some(b':') => Some((name_len, name_len + wsp)),
        _ => None,
    }
}

/// The length of the run of `ftext` bytes at the start of `line`: eight bytes at a time while
/// it lasts, then one at a time.
#[inline]
fn name_len(line: &[u8]) -> usize {
    let (words, tail) = line.as_chunks::<8>();
    let mut len = 0;
    for word in words {
        let stops = non_ftext_bytes(u64::from_le_bytes(*word));
        if stops != 0 {
            // The lowest flagged byte is the first byte that is not `ftext` (see below).
            return len + (stops.trailing_zeros() / 8) as usize;
        }
        len += 8;
    }
    len + tail
        .iter()
        .position(|&b| !is_ftext(b))
        .unwrap_or(tail.len())
}

/// The high bit of each byte of `word` that is not `ftext` (below 0x21, above 0x7E, or `:`),
/// read as eight bytes in little-endian order.
///
/// The subtractions and the addition can borrow or carry into the next byte up, which may flag
/// a byte above one that is truly flagged, never one below it: the lowest flagged byte is
/// always exact, and that is the only one [`name_len`] uses.
#[inline]
fn non_ftext_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte below 0x21 (controls and space): it borrows when 0x21 is taken from it.
    let below = word.wrapping_sub(ONES * 0x21) & !word;
    // A byte above 0x7E: adding 1 sets its high bit (or the high bit was already set).
    let above = word.wrapping_add(ONES) | word;
    // A colon: zero after XOR with 0x3A, so it borrows when 1 is taken from it.
    let colon = word ^ (ONES * u64::from(b':'));
    let colon = colon.wrapping_sub(ONES) & !colon;
    (below | above | colon) & HIGH
}

/// RFC 5322 `ftext`: the bytes a field name is made of.
///
/// ```text
/// ftext = %d33-57 /   ; Printed characters except ":".
///         %d59-126
/// ```
pub(crate) fn is_ftext(b: u8) -> bool {
    matches!(b, 0x21..=0x39 | 0x3B..=0x7E)
}

/// RFC 5234 `WSP`: space or horizontal tab.
fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Trims spaces, tabs and fold line breaks from both ends of a raw value.
///
/// Inside a raw value every LF is a fold (the continuation line after it starts with WSP), so a
/// line break at either end is whitespace once unfolded. A CR counts only right before an LF.
fn trim_folded(mut value: &[u8]) -> &[u8] {
    loop {
        value = match value {
            [b' ' | b'\t' | b'\n', rest @ ..] | [b'\r', b'\n', rest @ ..] => rest,
            _ => break,
        };
    }
    loop {
        value = match value {
            [rest @ .., b'\r', b'\n'] | [rest @ .., b' ' | b'\t' | b'\n'] => rest,
            _ => break,
        };
    }
    value
}

/// Removes every line break inside `value` (each is a fold, see [`trim_folded`]).
fn unfold(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut rest = value;
    while let Some(lf) = memchr::memchr(b'\n', rest) {
        let (line, after) = rest.split_at(lf);
        out.extend_from_slice(line.strip_suffix(b"\r").unwrap_or(line));
        rest = after.get(1..).unwrap_or_default();
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-at-a-time name scan agrees with the byte-at-a-time definition for every byte
    /// value at every position, with any bytes after it.
    #[test]
    fn name_len_matches_ftext() {
        let naive = |line: &[u8]| {
            line.iter()
                .position(|&b| !is_ftext(b))
                .unwrap_or(line.len())
        };
        for len in 0..20 {
            for at in 0..len {
                for stop in 0..=u8::MAX {
                    for after in [0x00, b':', b'a', 0x7F, 0x80, 0xFF, b' '] {
                        let mut line = vec![b'a'; len];
                        line[at] = stop;
                        if let Some(next) = line.get_mut(at + 1) {
                            *next = after;
                        }
                        assert_eq!(name_len(&line), naive(&line), "{line:?}");
                    }
                }
            }
        }
        assert_eq!(name_len(b""), 0);
        assert_eq!(name_len(b"X-Vipre-Tenant-Key: v"), 18);
    }
}
