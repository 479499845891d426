//! The one place that does arithmetic on byte offsets.
//!
//! The scanner reads like grammar on top of [`Cursor`]: it asks for the next line, looks at it,
//! and either takes it or stops. Every offset a caller sees was made here, always inside
//! `0..=bytes.len()`, so slicing with them cannot go out of bounds.

use core::ops::Range;

/// One line of the input, as offsets: `start..content_end` is the text, `content_end..end` the
/// line ending (LF, CRLF, or nothing on a last line that has none, HEADER-RULES L1-L2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) start: usize,
    pub(crate) content_end: usize,
    pub(crate) end: usize,
}

/// A position in a message that only moves forward, one whole line at a time.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    /// Start of the next unread line; always `<= bytes.len()`.
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0 }
    }

    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    /// The bytes in `range`, or an empty slice for a range this cursor never produced.
    pub(crate) fn slice(&self, range: Range<usize>) -> &'a [u8] {
        self.bytes.get(range).unwrap_or_default()
    }

    /// Every byte from the start of the next unread line to the end of the input.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// The line that starts at the current position, without taking it; `None` at the end.
    pub(crate) fn peek_line(&self) -> Option<Line> {
        let rest = self.rest();
        if rest.is_empty() {
            return None;
        }
        Some(line_at(self.pos, rest, 0))
    }

    /// The first byte of the next line, if there is one.
    pub(crate) fn peek_byte(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Moves past `line`, which must be the line [`peek_line`](Self::peek_line) returned.
    pub(crate) fn take(&mut self, line: Line) {
        debug_assert_eq!(line.start, self.pos);
        self.pos = line.end;
    }

    /// Takes the next line, whose first `skip` bytes the caller has already read and knows to
    /// hold no LF, and returns it. The search for its end starts after those bytes.
    pub(crate) fn take_line_after(&mut self, skip: usize) -> Line {
        let line = line_at(self.pos, self.rest(), skip);
        self.pos = line.end;
        line
    }

    /// Takes every continuation line (F2: it starts with SP or HTAB) at the current position
    /// and returns the last one taken, if any.
    pub(crate) fn take_continuations(&mut self) -> Option<Line> {
        let mut last = None;
        while matches!(self.peek_byte(), Some(b' ' | b'\t')) {
            // The first byte is SP or HTAB, not LF: the search starts after it.
            last = Some(self.take_line_after(1));
        }
        last
    }
}

/// Splits off the line at the front of `rest`, which starts at offset `start` of the input;
/// its first `skip` bytes hold no LF.
#[inline]
fn line_at(start: usize, rest: &[u8], skip: usize) -> Line {
    let found = rest
        .get(skip..)
        .and_then(|tail| memchr::memchr(b'\n', tail))
        .map(|lf| skip + lf);
    match found {
        Some(lf) => {
            // Only a CR directly before the LF belongs to the line ending (L1); any other CR,
            // including the first of CR CR LF, is an ordinary byte of the line.
            let cr = lf > 0 && rest.get(lf - 1) == Some(&b'\r');
            let content_end = start + lf - usize::from(cr);
            Line {
                start,
                content_end,
                end: start + lf + 1,
            }
        }
        None => Line {
            start,
            content_end: start + rest.len(),
            end: start + rest.len(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_at_lf_and_keep_bare_cr() {
        let input = b"a\r\nb\rc\nd\r\r\ne";
        let mut cursor = Cursor::new(input);
        let mut seen = Vec::new();
        while let Some(line) = cursor.peek_line() {
            seen.push((
                cursor.slice(line.start..line.content_end),
                cursor.slice(line.content_end..line.end),
            ));
            cursor.take(line);
        }
        assert_eq!(
            seen,
            vec![
                (&b"a"[..], &b"\r\n"[..]),
                (&b"b\rc"[..], &b"\n"[..]),
                (&b"d\r"[..], &b"\r\n"[..]),
                (&b"e"[..], &b""[..]),
            ]
        );
    }
}
