//! `inspect`: the sender-side check of a test message, as the core's `inspect` reports it.

use chrono::{DateTime, Utc};
use napi::bindgen_prelude::ClassInstance;
use napi_derive::napi;

use crate::error::{Result, to_js};
use crate::keyring::{Keyring, time};

/// What `inspect` checks against; every field is optional.
#[napi(object, object_to_js = false)]
pub struct InspectOptions<'env> {
    /// Also say whether this keyring knows the token, for which tenant, active or retiring.
    pub keyring: Option<ClassInstance<'env, Keyring>>,
    /// The field the token is read from (default `X-Vipre-Tenant-Key`).
    pub header: Option<String>,
    /// Judge retiring tokens as of this time instead of the current time (tests, replays).
    pub now: Option<DateTime<Utc>>,
}

/// One thing `inspect` found.
#[napi(object)]
pub struct Finding {
    /// The stable kebab-case identifier of the finding, such as `token-repeated`; tools may
    /// match on it.
    pub code: String,
    /// How bad it is: `error` when the relay will reject the message or the token leaks to a
    /// recipient, `warning` when it works now but is fragile, `info` when all is well.
    #[napi(ts_type = "'info' | 'warning' | 'error'")]
    pub severity: String,
    /// One line saying what was found and what to fix; never holds a token.
    pub message: String,
}

/// Everything `inspect` found in one message.
#[napi(object, use_nullable = true)]
pub struct InspectReport {
    /// The findings, most severe first, then in the order they were found.
    pub findings: Vec<Finding>,
    /// How many token fields the header section has.
    pub token_fields: u32,
    /// The tenant the keyring matched, when it matched exactly one.
    pub tenant: Option<String>,
    /// The worst severity found (`info` when there are no findings).
    #[napi(ts_type = "'info' | 'warning' | 'error'")]
    pub severity: String,
    /// `true` when nothing is worse than a warning.
    pub ok: bool,
}

/// Checks `message` the way an admin checks that the provider rule works: the token field
/// (presence, repeats, folding, pasted spaces, quotes or invisible characters, format, checksum,
/// and, with `options.keyring`, the tenant), near-miss field names, signatures that cover the
/// token header, and the token or token fields in the body and attached messages. No finding
/// shows a token, only its redacted form.
///
/// # Errors
///
/// Throws `ERR_INVALID_HEADER_NAME` when `options.header` is not a valid field name.
#[napi]
pub fn inspect(message: &[u8], options: Option<InspectOptions<'_>>) -> Result<InspectReport> {
    let header = options.as_ref().and_then(|o| o.header.as_deref());
    let keyring = options.as_ref().and_then(|o| o.keyring.as_ref());
    let now = options.as_ref().and_then(|o| o.now);

    let mut core = outbound_token::InspectOptions::new();
    if let Some(header) = header {
        core = core.with_header(header).map_err(to_js)?;
    }
    if let Some(keyring) = keyring {
        core = core.with_keyring(&keyring.inner);
    }
    if now.is_some() {
        core = core.with_clock(time(now));
    }

    let report = outbound_token::inspect(message, &core);
    Ok(InspectReport {
        severity: report.severity().as_str().to_owned(),
        ok: report.is_ok(),
        // A message has fewer fields than it has bytes, and a Buffer at most 2^32 bytes.
        token_fields: u32::try_from(report.token_fields).unwrap_or(u32::MAX),
        tenant: report.tenant,
        findings: report
            .findings
            .into_iter()
            .map(|finding| Finding {
                code: finding.code.as_str().to_owned(),
                severity: finding.severity.as_str().to_owned(),
                message: finding.message,
            })
            .collect(),
    })
}
