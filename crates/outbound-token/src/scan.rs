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

use crate::cursor::{Cursor, Line};

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

    fn stop(&mut self, kind: EndKind, line: Option<Line>) -> Option<Field<'a>> {
        let offset = self.cursor.offset();
        let body_start = match (kind, line) {
            (EndKind::EmptyLine, Some(line)) => line.end,
            _ => offset,
        };
        self.end = Some(HeaderEnd {
            kind,
            offset,
            body_start,
        });
        None
    }

    /// Takes every continuation line that follows and returns the end of the last one's text.
    fn take_continuations(&mut self, mut content_end: usize, mut end: usize) -> (usize, usize) {
        while matches!(self.cursor.peek_byte(), Some(b' ' | b'\t')) {
            let Some(line) = self.cursor.peek_line() else {
                break;
            };
            self.cursor.take(line);
            content_end = line.content_end;
            end = line.end;
        }
        (content_end, end)
    }
}

impl<'a> Iterator for Scanner<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        if self.end.is_some() {
            return None;
        }
        loop {
            let Some(line) = self.cursor.peek_line() else {
                return self.stop(EndKind::EndOfInput, None);
            };
            if line.is_empty() {
                return self.stop(EndKind::EmptyLine, Some(line));
            }

            let text = self.cursor.slice(line.start..line.content_end);
            if matches!(text.first(), Some(b' ' | b'\t')) {
                // E5: a continuation line with no field above it. Continuation lines after a
                // field are taken with that field, so this is only reached before the first.
                self.cursor.take(line);
                continue;
            }

            let Some((name_len, colon)) = split_field_line(text) else {
                return self.stop(EndKind::StrayLine, Some(line));
            };
            self.cursor.take(line);
            let (content_end, end) = self.take_continuations(line.content_end, line.end);
            return Some(Field {
                name: self.cursor.slice(line.start..line.start + name_len),
                value: self.cursor.slice(line.start + colon + 1..content_end),
                span: (line.start, end),
            });
        }
    }
}

/// Parses `name *WSP ":"` at the start of a line (F1) and returns the name's length and the
/// colon's offset; `None` for a stray line (E3).
///
/// `name` is RFC 5322 `ftext`: `%d33-57 / %d59-126`, printable US-ASCII except `:`. The `*WSP`
/// before the colon is RFC 5322 section 4.5's `obs-optional`, which a receiver must accept.
fn split_field_line(text: &[u8]) -> Option<(usize, usize)> {
    let name_len = text
        .iter()
        .position(|&b| !is_ftext(b))
        .unwrap_or(text.len());
    if name_len == 0 {
        return None;
    }
    let after_name = text.get(name_len..)?;
    let wsp = after_name.iter().position(|&b| !is_wsp(b))?;
    match after_name.get(wsp) {
        Some(b':') => Some((name_len, name_len + wsp)),
        _ => None,
    }
}

/// RFC 5322 `ftext`: the bytes a field name is made of.
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
