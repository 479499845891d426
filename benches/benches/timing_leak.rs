//! A dudect-style timing-leak test of token verification (issue 6), run by `dudect-bencher`.
//!
//! Each test times one operation at a time on inputs of two classes and runs Welch's t-test on
//! the two timing distributions (whole, and cropped at 100 percentiles; the largest |t| is
//! reported). |t| above 4.5 means the classes are told apart by time.
//!
//! Every sample gets a *fresh* input, drawn at random from its class: the class of each sample
//! is drawn at random (so the classes interleave), and all inputs are generated before the timed
//! loop, which then only calls `run_one`. The classes:
//!
//! - `right`: the token of a random one of the keyring's 100,000 native tenants;
//! - `first`: such a token with its first body character (the one after `otk_`) replaced by a
//!   random other letter or digit;
//! - `last`: likewise with its last character (the last of the checksum);
//! - `length`: a random `otk_` token one character short;
//! - `opaque_first`, `opaque_last`: the opaque token of a random one of the keyring's 100,000
//!   opaque tenants, with its first or last character replaced by a random other one.
//!
//! A fixed wrong value per class would not do: how long a hash-map miss takes depends on where
//! that value's digest lands (probe length, cache lines), so two fixed values (or two small sets
//! of them) differ in time for reasons that have nothing to do with where the wrong byte is.
//! With about 6,100,000 possible values per class (100,000 tenants times 61 replacements) and a
//! fresh one per sample, that effect becomes noise shared by both classes. (With 1,000 tenants
//! it did not quite: at 8,000,000 samples each value came back about 60 times and the classes'
//! averages drifted apart again, |t| about 4.) The `control` tests split samples of *one*
//! class into two random halves: they show the noise floor of the harness on this machine.
//!
//! The levels: `ct_eq` (the 32-byte digest comparison alone, the stored digest against itself
//! or against it with a random nonzero change in its first or last byte), `lookup` (hash the
//! presented value, look the digest up in the keyring of 200,000 tenants), `check` (the format
//! check `verify` runs on a value the keyring does not hold, `check_presented`), and `verify`
//! (the whole message: scan, look up, judge, strip).
//!
//! What the design hides is how close a wrong token is to a stored one: `ct_eq_*` and the
//! wrong-versus-wrong `lookup` tests, and `verify_opaque_first_vs_last_byte` (no checksum, same
//! verdict). Public by design (see the `keyring` module docs): whether a token matched, the
//! verdict and its reason, and the token's length, so `right_vs_*` is expected to show
//! |t| > 4.5 (that is the verdict, and shows the harness detects a real difference). Also
//! public: the time of the native format check depends on which character of the presented
//! value is wrong (the CRC-32 checksum is recomputed from the presented body and compared), so
//! `check_first_vs_last_byte` and `verify_first_vs_last_byte` may exceed 4.5; that check reads
//! only the value the sender chose, never a stored token, so it tells them nothing new.
//!
//! `cargo bench -p outbound-token-benches --bench timing_leak` takes 1,000,000 samples per
//! test (set `OTK_LEAK_SAMPLES` to change it; a name filter may follow `--`). Under
//! `cargo test --benches` it takes 5,000 (and 1,000 tenants of each kind), as a smoke test of
//! the harness only: nothing is asserted on t, since timing is not something a test may assert
//! on a shared machine.

use std::hint::black_box;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use dudect_bencher::ctbench::{BenchMetadata, BenchName, BenchOpts, run_benches_console};
use dudect_bencher::rand::Rng;
use dudect_bencher::{BenchRng, Class, CtRunner};
use outbound_token::{DEFAULT_HEADER, Keyring, Policy, Token, TokenDigest, verify};
use outbound_token_benches::{keyring, tenant_token};

/// Samples per test; set by `main`.
static SAMPLES: AtomicUsize = AtomicUsize::new(0);

/// Native tenants (derived tokens), and as many opaque ones, in the keyring; set by `main`:
/// 100,000 of each for a full run, 1,000 for the smoke test (a debug build).
static TENANTS: AtomicUsize = AtomicUsize::new(0);

/// Length of the opaque tokens.
const OPAQUE_LEN: usize = 36;

/// The letters and digits a replaced character is drawn from.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Where a native token's body starts (after `otk_`).
const BODY_START: usize = 4;

/// The native tenants' tokens.
static NATIVE: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    (0..TENANTS.load(Ordering::Relaxed))
        .map(|i| tenant_token(i).expose_secret().as_bytes().to_vec())
        .collect()
});

/// The opaque tenants' tokens: fixed pseudo-random letters and digits (never `otk_`).
static OPAQUE: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let mut state = 0x6f74_6b5f_6c65_616b_u64;
    (0..TENANTS.load(Ordering::Relaxed))
        .map(|_| {
            (0..OPAQUE_LEN)
                .map(|_| BASE62[below(splitmix(&mut state), BASE62.len())])
                .collect()
        })
        .collect()
});

/// The native tenants (`keyring`) and as many opaque ones, `legacy-<i>`.
static KEYRING: LazyLock<Keyring> = LazyLock::new(|| {
    let mut keyring = keyring(NATIVE.len());
    for (i, value) in OPAQUE.iter().enumerate() {
        let id = format!("legacy-{i}");
        let text = std::str::from_utf8(value).expect("ASCII");
        let token = Token::opaque(text).expect("a valid opaque token");
        keyring.add_tenant(&id, None).expect("a new tenant");
        keyring
            .add_token(&id, &token, UNIX_EPOCH)
            .expect("a new token");
    }
    keyring
});

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `random` reduced to `0..n` (the bias is negligible for small `n`).
fn below(random: u64, n: usize) -> usize {
    let n = u64::try_from(n).unwrap_or(u64::MAX);
    usize::try_from(random % n).unwrap_or(0)
}

/// What a class presents.
#[derive(Clone, Copy)]
enum Input {
    Right,
    First,
    Last,
    Length,
    OpaqueFirst,
    OpaqueLast,
}

/// `token` with the character at `at` replaced by a random other letter or digit.
fn with_wrong(token: &[u8], at: usize, rng: &mut BenchRng) -> Vec<u8> {
    let mut out = token.to_vec();
    let old = BASE62.iter().position(|&b| b == out[at]).unwrap_or(0);
    out[at] = BASE62[(old + 1 + below(rng.next_u64(), BASE62.len() - 1)) % BASE62.len()];
    out
}

/// A fresh presented value of class `input`.
fn draw(input: Input, rng: &mut BenchRng) -> Vec<u8> {
    let native = &NATIVE[below(rng.next_u64(), NATIVE.len())];
    let opaque = &OPAQUE[below(rng.next_u64(), OPAQUE.len())];
    match input {
        Input::Right => native.clone(),
        Input::First => with_wrong(native, BODY_START, rng),
        Input::Last => with_wrong(native, native.len() - 1, rng),
        Input::Length => {
            let mut out = b"otk_".to_vec();
            out.extend((BODY_START + 1..native.len()).map(|_| BASE62[below(rng.next_u64(), 62)]));
            out
        }
        Input::OpaqueFirst => with_wrong(opaque, 0, rng),
        Input::OpaqueLast => with_wrong(opaque, opaque.len() - 1, rng),
    }
}

fn message(token: &[u8]) -> Vec<u8> {
    let mut out = b"From: Priya Raman <priya.raman@acme.example>\r\n\
        To: \"Ops Team\" <ops@partner.example>\r\n\
        Subject: Shipment schedule for week 50\r\n\
        Date: Wed, 3 Dec 2026 09:41:05 +0000\r\n"
        .to_vec();
    out.extend_from_slice(DEFAULT_HEADER.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(token);
    out.extend_from_slice(b"\r\nMIME-Version: 1.0\r\n\r\nHello.\r\n");
    out
}

/// The class of each sample, drawn at random so the two classes interleave.
fn classes(rng: &mut BenchRng) -> Vec<Class> {
    let n = SAMPLES.load(Ordering::Relaxed);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let mut bits = rng.next_u64();
        for _ in 0..64.min(n - out.len()) {
            out.push(if bits & 1 == 0 {
                Class::Left
            } else {
                Class::Right
            });
            bits >>= 1;
        }
    }
    out
}

/// Every sample's class and a fresh input for it (made by `make` from a value of the class),
/// generated before anything is timed.
fn inputs<T>(
    rng: &mut BenchRng,
    left: Input,
    right: Input,
    make: impl Fn(Vec<u8>) -> T,
) -> Vec<(Class, T)> {
    classes(rng)
        .into_iter()
        .map(|class| {
            let input = match class {
                Class::Left => left,
                Class::Right => right,
            };
            (class, make(draw(input, rng)))
        })
        .collect()
}

/// The digest comparison alone: the stored digest against itself, or against it with a random
/// nonzero change in its first (`First`) or last (`Last`) byte. Other inputs count as `Right`.
fn ct_eq(runner: &mut CtRunner, rng: &mut BenchRng, left: Input, right: Input) {
    let stored = TokenDigest::of(&NATIVE[0]);
    let samples: Vec<(Class, TokenDigest)> = classes(rng)
        .into_iter()
        .map(|class| {
            let input = match class {
                Class::Left => left,
                Class::Right => right,
            };
            let mut bytes = *stored.as_bytes();
            let change = u8::try_from(1 + below(rng.next_u64(), 255)).unwrap_or(1);
            match input {
                Input::First => bytes[0] ^= change,
                Input::Last => bytes[31] ^= change,
                _ => {}
            }
            (class, digest_of_bytes(&bytes))
        })
        .collect();
    for (class, presented) in &samples {
        runner.run_one(*class, || black_box(&stored).ct_eq(black_box(presented)));
    }
}

/// A digest with these bytes (the crate reads digests from hex only).
fn digest_of_bytes(bytes: &[u8; 32]) -> TokenDigest {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    TokenDigest::from_hex(&hex).expect("64 hex digits")
}

/// Hashing the presented value and looking its digest up in the keyring.
fn lookup(runner: &mut CtRunner, rng: &mut BenchRng, left: Input, right: Input) {
    let keyring = &*KEYRING;
    let samples = inputs(rng, left, right, |token| token);
    for (class, presented) in &samples {
        runner.run_one(*class, || {
            keyring
                .lookup(&TokenDigest::of(black_box(presented)))
                .is_some()
        });
    }
}

/// The format check alone ([`check_presented`](outbound_token::check_presented)), which
/// `verify` runs on a value the keyring does not hold: for a native-looking value, the CRC-32
/// checksum. It reads the presented value and nothing else.
fn check(runner: &mut CtRunner, rng: &mut BenchRng, left: Input, right: Input) {
    let samples = inputs(rng, left, right, |token| token);
    for (class, presented) in &samples {
        runner.run_one(*class, || {
            outbound_token::check_presented(black_box(presented)).is_ok()
        });
    }
}

/// The whole verification of a message.
fn verify_message(runner: &mut CtRunner, rng: &mut BenchRng, left: Input, right: Input) {
    let keyring = &*KEYRING;
    let policy = Policy::new().with_clock(UNIX_EPOCH + Duration::from_secs(1_796_000_000));
    let samples = inputs(rng, left, right, |token| message(&token));
    for (class, message) in &samples {
        runner.run_one(*class, || {
            verify(black_box(message), keyring, &policy).verdict.kind()
        });
    }
}

fn ct_eq_right_vs_first_byte(r: &mut CtRunner, g: &mut BenchRng) {
    ct_eq(r, g, Input::Right, Input::First);
}
fn ct_eq_right_vs_last_byte(r: &mut CtRunner, g: &mut BenchRng) {
    ct_eq(r, g, Input::Right, Input::Last);
}
fn ct_eq_first_vs_last_byte(r: &mut CtRunner, g: &mut BenchRng) {
    ct_eq(r, g, Input::First, Input::Last);
}
fn ct_eq_control_first_vs_first_byte(r: &mut CtRunner, g: &mut BenchRng) {
    ct_eq(r, g, Input::First, Input::First);
}
fn lookup_right_vs_first_byte(r: &mut CtRunner, g: &mut BenchRng) {
    lookup(r, g, Input::Right, Input::First);
}
fn lookup_right_vs_last_byte(r: &mut CtRunner, g: &mut BenchRng) {
    lookup(r, g, Input::Right, Input::Last);
}
fn lookup_right_vs_length(r: &mut CtRunner, g: &mut BenchRng) {
    lookup(r, g, Input::Right, Input::Length);
}
fn lookup_first_vs_last_byte(r: &mut CtRunner, g: &mut BenchRng) {
    lookup(r, g, Input::First, Input::Last);
}
fn lookup_opaque_first_vs_last_byte(r: &mut CtRunner, g: &mut BenchRng) {
    lookup(r, g, Input::OpaqueFirst, Input::OpaqueLast);
}
fn lookup_control_first_vs_first_byte(r: &mut CtRunner, g: &mut BenchRng) {
    lookup(r, g, Input::First, Input::First);
}
fn check_first_vs_last_byte(r: &mut CtRunner, g: &mut BenchRng) {
    check(r, g, Input::First, Input::Last);
}
fn verify_right_vs_first_byte(r: &mut CtRunner, g: &mut BenchRng) {
    verify_message(r, g, Input::Right, Input::First);
}
fn verify_right_vs_last_byte(r: &mut CtRunner, g: &mut BenchRng) {
    verify_message(r, g, Input::Right, Input::Last);
}
fn verify_right_vs_length(r: &mut CtRunner, g: &mut BenchRng) {
    verify_message(r, g, Input::Right, Input::Length);
}
fn verify_first_vs_last_byte(r: &mut CtRunner, g: &mut BenchRng) {
    verify_message(r, g, Input::First, Input::Last);
}
fn verify_opaque_first_vs_last_byte(r: &mut CtRunner, g: &mut BenchRng) {
    verify_message(r, g, Input::OpaqueFirst, Input::OpaqueLast);
}
fn verify_control_first_vs_first_byte(r: &mut CtRunner, g: &mut BenchRng) {
    verify_message(r, g, Input::First, Input::First);
}

macro_rules! benches {
    ($($f:ident),+ $(,)?) => {
        vec![$(BenchMetadata { name: BenchName(stringify!($f)), seed: None, benchfn: $f }),+]
    };
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let full = args.iter().any(|arg| arg == "--bench");
    let samples = std::env::var("OTK_LEAK_SAMPLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if full { 1_000_000 } else { 5_000 });
    SAMPLES.store(samples, Ordering::Relaxed);
    TENANTS.store(if full { 100_000 } else { 1_000 }, Ordering::Relaxed);
    let filter = args.into_iter().find(|arg| !arg.starts_with('-'));
    let opts = BenchOpts {
        filter,
        ..BenchOpts::default()
    };
    run_benches_console(
        opts,
        benches![
            ct_eq_right_vs_first_byte,
            ct_eq_right_vs_last_byte,
            ct_eq_first_vs_last_byte,
            ct_eq_control_first_vs_first_byte,
            lookup_right_vs_first_byte,
            lookup_right_vs_last_byte,
            lookup_right_vs_length,
            lookup_first_vs_last_byte,
            lookup_opaque_first_vs_last_byte,
            lookup_control_first_vs_first_byte,
            check_first_vs_last_byte,
            verify_right_vs_first_byte,
            verify_right_vs_last_byte,
            verify_right_vs_length,
            verify_first_vs_last_byte,
            verify_opaque_first_vs_last_byte,
            verify_control_first_vs_first_byte,
        ],
    )
}
