//! Removing every occurrence of a field: HEADER-RULES S1-S3.

use std::io;
use std::ops::Range;

use crate::Error;
use crate::header::HeaderName;
use crate::scan::scan;

/// Removes every field named `header` from the header section of `message` (S1).
///
/// No other byte changes (S2): not the order, line endings, folding or trailing spaces of other
/// fields, the empty line, the body, or anything after a stray line (E3). Stripping is
/// idempotent and a message without the field comes back identical (S3). The result borrows
/// `message`: it holds the kept slices, not a copy.
///
/// The one exception to idempotence: when every field before a stray `From ` line is removed,
/// that line lands at offset 0 of the output, where a reader takes it for an mbox envelope (E1)
/// and may read fields after it. [`verify`](crate::verify) rejects every such message that
/// carries a token after the stray line as ambiguous (V3).
///
/// ```
/// let message = b"To: b@example.org\r\nX-Vipre-Tenant-Key: otk_abc\r\n\r\nHi\r\n";
/// let stripped = outbound_token::strip(message, outbound_token::DEFAULT_HEADER)?;
/// assert_eq!(stripped.removed(), 1);
/// assert_eq!(stripped.to_vec(), b"To: b@example.org\r\n\r\nHi\r\n");
/// # Ok::<(), outbound_token::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::InvalidHeaderName`] when `header` is not a valid field name.
pub fn strip<'a>(message: &'a [u8], header: &str) -> Result<Stripped<'a>, Error> {
    let name = HeaderName::new(header)?;
    let spans = scan(message)
        .filter(|field| name.matches(field))
        .map(|field| field.span());
    Ok(Stripped::cut(message, spans))
}

/// A message with some fields cut out, as the slices of the original that remain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stripped<'a> {
    parts: Vec<&'a [u8]>,
    removed: usize,
    len: usize,
}

impl<'a> Stripped<'a> {
    /// Keeps every byte of `message` outside `spans`, which must be in order and disjoint (as the
    /// scanner yields them).
    pub(crate) fn cut(message: &'a [u8], spans: impl IntoIterator<Item = Range<usize>>) -> Self {
        let mut parts = Vec::new();
        let mut removed = 0;
        let mut kept_from = 0;
        for span in spans {
            if let Some(part) = message.get(kept_from..span.start).filter(|p| !p.is_empty()) {
                parts.push(part);
            }
            kept_from = span.end;
            removed += 1;
        }
        if let Some(part) = message.get(kept_from..).filter(|p| !p.is_empty()) {
            parts.push(part);
        }
        let len = parts.iter().map(|part| part.len()).sum();
        Stripped {
            parts,
            removed,
            len,
        }
    }

    /// How many fields were removed.
    pub fn removed(&self) -> usize {
        self.removed
    }

    /// `true` when nothing was removed, so the message is the input unchanged.
    pub fn is_unchanged(&self) -> bool {
        self.removed == 0
    }

    /// The length in bytes of the stripped message.
    pub fn len(&self) -> usize {
        self.len
    }

    /// `true` when the stripped message has no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The kept slices of the input, in order; their concatenation is the stripped message.
    pub fn as_slices(&self) -> &[&'a [u8]] {
        &self.parts
    }

    /// The stripped message as one new buffer.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len);
        self.parts
            .iter()
            .for_each(|part| out.extend_from_slice(part));
        out
    }

    /// Writes the stripped message to `out` without joining it first.
    ///
    /// # Errors
    ///
    /// Any error `out` returns.
    pub fn write_to<W: io::Write>(&self, mut out: W) -> io::Result<()> {
        self.parts.iter().try_for_each(|part| out.write_all(part))
    }
}
