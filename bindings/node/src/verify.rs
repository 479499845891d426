//! `verify` and `verifyAsync`: which tenant sent a message, and the message without its token.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use napi::Task;
use napi::bindgen_prelude::{Buffer, Env, PromiseRaw};
use napi_derive::napi;
use outbound_token::Policy;

use crate::error::{Result, internal, to_js};
use crate::keyring::{Keyring, time};

/// What `verify` accepts; every field is optional.
#[napi(object)]
pub struct VerifyOptions {
    /// The field the token is read from (default `X-Vipre-Tenant-Key`).
    pub header: Option<String>,
    /// Whether a retiring token (inside its grace period after a rotation) still authenticates
    /// (default `true`).
    pub accept_retiring: Option<bool>,
    /// Whether to reject an otherwise authenticated message whose token also appears anywhere
    /// else (the body, decoded parts, an attached message's header), which stripping would not
    /// remove (default `false`: it reads the whole message instead of its header).
    pub reject_elsewhere: Option<bool>,
    /// Judge retiring tokens as of this time instead of the current time (tests, replays).
    pub now: Option<DateTime<Utc>>,
}

/// The outcome of `verify` for one message.
#[napi(object, use_nullable = true)]
pub struct Verification {
    /// `authenticated` only when every token field holds a token the keyring accepts, all of the
    /// same tenant.
    #[napi(ts_type = "'authenticated' | 'missing' | 'unknown' | 'malformed' | 'ambiguous'")]
    pub verdict: String,
    /// The tenant's id, for an authenticated message.
    pub tenant: Option<String>,
    /// Whether the token that authenticated is retiring (the tenant's rule still stamps the old
    /// token, inside the grace period).
    pub retiring: bool,
    /// Why the message was not authenticated, in one lowercase line that never holds a token.
    pub reason: Option<String>,
    /// The message without any token field, whatever the verdict: never forward a token.
    pub stripped: Buffer,
    /// How many token fields were removed.
    pub removed: u32,
}

/// Verifies the tenant token of `message` against `keyring` and strips every token field, in one
/// pass over the header section. A verdict other than `authenticated` is not an error.
///
/// # Errors
///
/// Throws `ERR_INVALID_HEADER_NAME` when `options.header` is not a valid field name.
#[napi]
pub fn verify(
    message: &[u8],
    keyring: &Keyring,
    options: Option<VerifyOptions>,
) -> Result<Verification> {
    Ok(Verified::of(message, &keyring.inner, &policy(options)?).into())
}

/// `verify` on a worker thread. The bytes of `message` are copied, and the keyring is used as
/// it is now, before the promise is returned: later changes to either do not affect the result.
///
/// # Errors
///
/// Rejects with `ERR_INVALID_HEADER_NAME` when `options.header` is not a valid field name.
#[napi(ts_return_type = "Promise<Verification>")]
pub fn verify_async<'env>(
    env: &'env Env,
    message: &[u8],
    keyring: &Keyring,
    options: Option<VerifyOptions>,
) -> Result<PromiseRaw<'env, Verification>> {
    let policy = policy(options)?;
    let task = VerifyTask {
        message: message.to_vec(),
        keyring: Arc::clone(&keyring.inner),
        policy,
    };
    // Spawned here rather than returned as an `AsyncTask`: napi-rs would then hold the borrow of
    // `keyring` until the task settles, and the keyring could not change in the meantime.
    env.spawn(task)
        .map(|work| work.promise_object())
        .map_err(internal)
}

/// The work of `verifyAsync`: owns a copy of the message and a snapshot of the keyring.
pub struct VerifyTask {
    message: Vec<u8>,
    keyring: Arc<outbound_token::Keyring>,
    policy: Policy,
}

impl Task for VerifyTask {
    type Output = Verified;
    type JsValue = Verification;

    fn compute(&mut self) -> napi::Result<Verified> {
        Ok(Verified::of(&self.message, &self.keyring, &self.policy))
    }

    fn resolve(&mut self, _env: Env, output: Verified) -> napi::Result<Verification> {
        Ok(output.into())
    }
}

/// The core's verification, owned, so that it can leave the worker thread.
pub struct Verified {
    verdict: &'static str,
    tenant: Option<String>,
    retiring: bool,
    reason: Option<String>,
    stripped: Vec<u8>,
    removed: usize,
}

impl Verified {
    fn of(message: &[u8], keyring: &outbound_token::Keyring, policy: &Policy) -> Verified {
        let result = outbound_token::verify(message, keyring, policy);
        let retiring = matches!(&result.verdict, outbound_token::Verdict::Authenticated(auth) if auth.retiring);
        Verified {
            verdict: result.verdict.kind().as_str(),
            tenant: result.verdict.tenant().map(str::to_owned),
            retiring,
            reason: result.verdict.reason(),
            stripped: result.stripped.to_vec(),
            removed: result.stripped.removed(),
        }
    }
}

impl From<Verified> for Verification {
    fn from(verified: Verified) -> Self {
        Verification {
            verdict: verified.verdict.to_owned(),
            tenant: verified.tenant,
            retiring: verified.retiring,
            reason: verified.reason,
            stripped: Buffer::from(verified.stripped),
            // A message has fewer fields than it has bytes, and a Buffer at most 2^32 bytes.
            removed: u32::try_from(verified.removed).unwrap_or(u32::MAX),
        }
    }
}

/// The core policy for `options`: unset fields keep the core's defaults.
fn policy(options: Option<VerifyOptions>) -> Result<Policy> {
    let mut policy = Policy::new();
    let Some(options) = options else {
        return Ok(policy);
    };
    if let Some(header) = options.header {
        policy = policy.with_header(&header).map_err(to_js)?;
    }
    if let Some(accept) = options.accept_retiring {
        policy = policy.with_accept_retiring(accept);
    }
    if let Some(reject) = options.reject_elsewhere {
        policy = policy.with_reject_elsewhere(reject);
    }
    if let Some(now) = options.now {
        policy = policy.with_clock(time(Some(now)));
    }
    Ok(policy)
}
