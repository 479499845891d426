//! Node.js binding of `outbound-token` (napi-rs).
//!
//! Each export converts its arguments, calls the core crate and converts the result back; no
//! scanning, token or keyring logic lives here. Messages are `Buffer`/`Uint8Array` in and
//! `Buffer` out; header names and token texts are strings. Core errors become `Error`s with a
//! stable `code` (see `error.rs`). The package's entry points (`outbound-token.cjs` and
//! `.mjs`) load the generated `index.js` and put argument type checks (`TypeError`) in front.
// The code here has no `unsafe`; the napi macros allow it where they generate it.
#![deny(unsafe_code)]

mod error;
mod inspect;
mod keyring;
mod token;
mod verify;

use napi::Task;
use napi::bindgen_prelude::{AsyncTask, Buffer, Env};
use napi_derive::napi;

use crate::error::{Result, out_of_range, to_js, to_rejection};

pub use inspect::{Finding, InspectOptions, InspectReport, inspect};
pub use keyring::{KeyEntry, Keyring, Tenant};
pub use token::{MasterKey, Token};
pub use verify::{Verification, Verified, VerifyOptions, VerifyTask, verify, verify_async};

/// The header field name that provider rules stamp on outbound messages: `X-Vipre-Tenant-Key`.
#[napi]
pub const DEFAULT_HEADER: &str = outbound_token::DEFAULT_HEADER;

/// One header field named `header`, as `find` reports it.
#[napi(object)]
pub struct Field {
    /// The field name exactly as written (Latin-1 of its bytes), without spaces before the colon.
    pub name: String,
    /// The value unfolded, with spaces and tabs trimmed at both ends: the token as presented.
    pub token: Buffer,
    /// Offset of the field's first byte in the message.
    pub start: i64,
    /// Offset just past the field's last line ending (or the end of the message).
    pub end: i64,
}

/// Every field named `header` (default `X-Vipre-Tenant-Key`) in the header section of
/// `message`, in order. Names compare ASCII case-insensitively; the body is never read.
///
/// # Errors
///
/// Throws `ERR_INVALID_HEADER_NAME` when `header` is not a valid field name.
#[napi]
pub fn find(message: &[u8], header: Option<String>) -> Result<Vec<Field>> {
    let header = header.as_deref().unwrap_or(DEFAULT_HEADER);
    let fields = outbound_token::find(message, header).map_err(to_js)?;
    fields
        .iter()
        .map(|field| {
            let span = field.span();
            Ok(Field {
                name: field.name().iter().map(|&byte| char::from(byte)).collect(),
                token: Buffer::from(field.token().into_owned()),
                start: offset(span.start)?,
                end: offset(span.end)?,
            })
        })
        .collect()
}

/// `message` with every field named `header` (default `X-Vipre-Tenant-Key`) removed from its
/// header section; no other byte changes, so DKIM signatures survive. Always a new `Buffer`.
///
/// # Errors
///
/// Throws `ERR_INVALID_HEADER_NAME` when `header` is not a valid field name.
#[napi]
pub fn strip(message: &[u8], header: Option<String>) -> Result<Buffer> {
    let header = header.as_deref().unwrap_or(DEFAULT_HEADER);
    let stripped = outbound_token::strip(message, header).map_err(to_js)?;
    Ok(Buffer::from(stripped.to_vec()))
}

/// `strip` on a worker thread: resolves to the stripped message. The bytes of `message` are
/// copied before the promise is returned, so the caller may reuse its buffer at once.
///
/// Rejects with `ERR_INVALID_HEADER_NAME` when `header` is not a valid field name.
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn strip_async(message: &[u8], header: Option<String>) -> AsyncTask<StripTask> {
    let header = header.unwrap_or_else(|| DEFAULT_HEADER.to_owned());
    AsyncTask::new(StripTask {
        message: message.to_vec(),
        header,
    })
}

/// `message` with every field named `header` (default `X-Vipre-Tenant-Key`) removed and exactly
/// one `header: value` field added at the top of the header section, with the message's own
/// line ending: for senders that have no provider rule engine.
///
/// # Errors
///
/// Throws `ERR_INVALID_HEADER_NAME` for an invalid name and `ERR_INVALID_HEADER_VALUE` for a
/// value holding CR, LF or another control character.
#[napi]
pub fn set_header(message: &[u8], value: String, header: Option<String>) -> Result<Buffer> {
    let header = header.as_deref().unwrap_or(DEFAULT_HEADER);
    let stamped = outbound_token::set_header(message, header, &value).map_err(to_js)?;
    Ok(Buffer::from(stamped))
}

/// A byte offset as a JavaScript number.
fn offset(value: usize) -> Result<i64> {
    i64::try_from(value).map_err(|_| out_of_range("offset does not fit a JavaScript number"))
}

/// The work of `stripAsync`: owns a copy of the message, so JavaScript may change its buffer
/// while the worker thread reads.
pub struct StripTask {
    message: Vec<u8>,
    header: String,
}

impl Task for StripTask {
    type Output = std::result::Result<Vec<u8>, outbound_token::Error>;
    type JsValue = Buffer;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(outbound_token::strip(&self.message, &self.header).map(|stripped| stripped.to_vec()))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Buffer> {
        output
            .map(Buffer::from)
            .map_err(|error| to_rejection(&env, error))
    }
}
