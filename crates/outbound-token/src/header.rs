//! Header field names and values chosen by the caller, checked once.

use crate::scan::{Field, is_ftext};
use crate::{DEFAULT_HEADER, Error};

/// A field name that passed the RFC 5322 `ftext` check (F1).
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeaderName<'n>(&'n str);

impl HeaderName<'static> {
    /// [`DEFAULT_HEADER`], which is valid.
    pub(crate) const DEFAULT: HeaderName<'static> = HeaderName(DEFAULT_HEADER);
}

impl<'n> HeaderName<'n> {
    pub(crate) fn new(name: &'n str) -> Result<Self, Error> {
        if name.is_empty() {
            return Err(Error::InvalidHeaderName { offset: 0 });
        }
        match name.bytes().position(|b| !is_ftext(b)) {
            Some(offset) => Err(Error::InvalidHeaderName { offset }),
            None => Ok(HeaderName(name)),
        }
    }

    pub(crate) fn as_str(&self) -> &'n str {
        self.0
    }

    /// F3: ASCII case-insensitive, over the whole length.
    pub(crate) fn matches(&self, field: &Field<'_>) -> bool {
        field.has_name(self.0)
    }

    /// `true` when `line` starts with this name, then optional spaces or tabs, then a colon: what
    /// a lenient reader would take for this field even where the scanner saw body (V3).
    pub(crate) fn starts_line(&self, line: &[u8]) -> bool {
        let Some(rest) = line
            .get(..self.0.len())
            .filter(|head| head.eq_ignore_ascii_case(self.0.as_bytes()))
            .and_then(|_| line.get(self.0.len()..))
        else {
            return false;
        };
        let after_wsp = rest.iter().position(|&b| b != b' ' && b != b'\t');
        after_wsp.and_then(|i| rest.get(i)) == Some(&b':')
    }
}

/// Checks a value for [`set_header`](crate::set_header): no CR, LF or other control character,
/// so that it can neither end the field early nor forge another one. Tabs are allowed.
pub(crate) fn check_value(value: &str) -> Result<(), Error> {
    match value
        .bytes()
        .position(|b| (b < 0x20 && b != b'\t') || b == 0x7F)
    {
        Some(offset) => Err(Error::InvalidHeaderValue { offset }),
        None => Ok(()),
    }
}
