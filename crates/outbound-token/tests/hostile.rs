//! Hostile inputs: a relay parses mail from the whole internet, so the library must finish on
//! huge and degenerate messages with the right answer, without deep recursion, and without
//! allocating more than a small amount per call.
//!
//! Allocations are counted by a `#[global_allocator]` that wraps [`System`] and counts, per
//! thread, the allocations and bytes requested while a closure runs (building the input is not
//! counted). Time is not asserted here (benches measure speed); linear cost shows indirectly: a
//! larger input does not allocate more, and everything finishes in the normal debug test run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::SystemTime;

use outbound_token::{
    DEFAULT_HEADER, EndKind, Keyring, Policy, Token, Verdict, VerdictKind, find, scan, set_header,
    strip, verify,
};

/// [`System`], counting what the current thread allocates.
struct Counting;

thread_local! {
    /// Allocations and bytes requested by this thread so far.
    static ALLOCATED: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

fn record(bytes: usize) {
    // `try_with`: the slot may be gone while the thread shuts down; const-initialized, it
    // never allocates itself.
    let _ = ALLOCATED.try_with(|cell| {
        let (count, total) = cell.get();
        cell.set((count + 1, total + bytes));
    });
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so `System`'s
// guarantees hold; the bookkeeping only touches a thread-local `Cell` and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: same contract as this method, forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: same contract as this method, forwarded.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        // SAFETY: same contract as this method, forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as this method, forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// What a call allocated: how many allocations (reallocations included) and how many bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Allocs {
    count: usize,
    bytes: usize,
}

/// Runs `f` and returns its result with what it allocated on this thread.
fn measure<R>(f: impl FnOnce() -> R) -> (R, Allocs) {
    let before = ALLOCATED.with(Cell::get);
    let result = f();
    let after = ALLOCATED.with(Cell::get);
    let allocs = Allocs {
        count: after.0 - before.0,
        bytes: after.1 - before.1,
    };
    (result, allocs)
}

const MB: usize = 1 << 20;

/// An opaque token and a keyring in which it belongs to tenant `acme`.
fn keyring() -> (Keyring, String) {
    let token = Token::opaque("hostile-token-0123456789").unwrap();
    let mut keyring = Keyring::new();
    keyring.add_tenant("acme", None).unwrap();
    keyring
        .add_token("acme", &token, SystemTime::now())
        .unwrap();
    (keyring, token.expose_secret().to_owned())
}

/// Why the header section ended, where, and where the body starts.
type End = (EndKind, usize, usize);

/// What every hostile message is checked for: its fields (all of them and the token fields),
/// the end of its header, and its verdict.
struct Expect {
    fields: usize,
    tokens: usize,
    end: End,
    verdict: VerdictKind,
}

/// Runs scan, find, strip and verify over `message` and checks the results and that each call
/// allocates at most a small amount: nothing for scan, a vector of spans or slices for the
/// others, O(number of token fields) and never O(size of the message).
fn check(message: &[u8], keyring: &Keyring, expect: &Expect) {
    let ((fields, end), allocs) = measure(|| {
        let mut scanner = scan(message);
        let fields = scanner.by_ref().count();
        (fields, scanner.end().unwrap())
    });
    assert_eq!(fields, expect.fields);
    assert_eq!(
        (end.kind(), end.offset(), end.body_start()),
        expect.end,
        "end of the header section"
    );
    assert_eq!(
        allocs,
        Allocs { count: 0, bytes: 0 },
        "scan allocates nothing"
    );

    // A vector that grows by doubling: about log2(n) allocations of at most 2n items.
    let vec_bound = |items: usize, item: usize| Allocs {
        count: 2 + usize::BITS as usize - items.leading_zeros() as usize,
        bytes: 64 + 4 * items * item,
    };
    let within = |allocs: Allocs, bound: Allocs, what: &str| {
        assert!(
            allocs.count <= bound.count && allocs.bytes <= bound.bytes,
            "{what} allocated {allocs:?}, more than {bound:?}"
        );
    };

    let (found, allocs) = measure(|| find(message, DEFAULT_HEADER).unwrap());
    assert_eq!(found.len(), expect.tokens);
    within(allocs, vec_bound(expect.tokens, 64), "find");
    drop(found);

    let (stripped, allocs) = measure(|| strip(message, DEFAULT_HEADER).unwrap());
    assert_eq!(stripped.removed(), expect.tokens);
    within(allocs, vec_bound(expect.tokens + 1, 16), "strip");
    let kept: usize = found_spans(message).iter().map(|span| span.len()).sum();
    assert_eq!(stripped.len(), message.len() - kept);

    let (verification, allocs) = measure(|| verify(message, keyring, &Policy::new()));
    assert_eq!(verification.verdict.kind(), expect.verdict, "verdict");
    assert_eq!(verification.stripped, stripped);
    assert_eq!(verification.header_end, end);
    // Two vectors, of spans and of kept slices (16 bytes an item), and the policy's header name.
    let bound = vec_bound(expect.tokens + 1, 16);
    let bound = Allocs {
        count: 2 * bound.count + 2,
        bytes: 2 * bound.bytes + 64,
    };
    within(allocs, bound, "verify");
}

/// The spans of the token fields.
fn found_spans(message: &[u8]) -> Vec<std::ops::Range<usize>> {
    scan(message)
        .filter(|field| field.has_name(DEFAULT_HEADER))
        .map(|field| field.span())
        .collect()
}

/// A 100 MB header section with no empty line: 100,000 fields of 1 KB, three of them token
/// fields (first, middle, last). Built once and reused for every check.
#[test]
fn hundred_megabyte_header_without_empty_line() {
    let (keyring, token) = keyring();
    let filler = format!("X-Filler: {}\r\n", "a".repeat(1024 - 12));
    assert_eq!(filler.len(), 1024);
    let token_field = format!("{DEFAULT_HEADER}: {token}\r\n");
    let fields = 100 * 1024;
    let mut message = Vec::with_capacity(fields * 1024 + 3 * token_field.len());
    for i in 0..fields {
        if i == 0 || i == fields / 2 || i == fields - 1 {
            message.extend_from_slice(token_field.as_bytes());
        }
        message.extend_from_slice(filler.as_bytes());
    }
    let len = message.len();
    assert!(len > 100 * MB);
    check(
        &message,
        &keyring,
        &Expect {
            fields: fields + 3,
            tokens: 3,
            end: (EndKind::EndOfInput, len, len),
            verdict: VerdictKind::Authenticated,
        },
    );

    // Stamping copies the message once: one buffer of its size, plus the spans and slices.
    let (stamped, allocs) = measure(|| set_header(&message, DEFAULT_HEADER, "new").unwrap());
    assert!(allocs.count <= 8, "set_header allocated {allocs:?}");
    assert!(
        allocs.bytes <= len + 1024,
        "set_header allocated {allocs:?}"
    );
    assert_eq!(
        stamped.len(),
        len - 3 * token_field.len() + DEFAULT_HEADER.len() + 7
    );
    assert!(stamped.starts_with(format!("{DEFAULT_HEADER}: new\r\nX-Filler").as_bytes()));
}

/// A message of `fields` one-line fields, every 1000th a token field, then an empty line and a
/// body.
fn many_fields(fields: usize, token: &str) -> Vec<u8> {
    let mut message = Vec::with_capacity(fields * 8 + 16);
    for i in 0..fields {
        if i % 1000 == 0 {
            message.extend_from_slice(format!("{DEFAULT_HEADER}: {token}\r\n").as_bytes());
        } else {
            message.extend_from_slice(b"A: b\r\n");
        }
    }
    message.extend_from_slice(b"\r\nbody\r\n");
    message
}

/// 1,000,000 fields, 1,000 of them token fields holding the same known token; and 2,000,000 with
/// the same 1,000 token fields, which allocates no more.
#[test]
fn a_million_fields() {
    let (keyring, token) = keyring();
    let message = many_fields(1_000_000, &token);
    let header_end = message.len() - 8;
    check(
        &message,
        &keyring,
        &Expect {
            fields: 1_000_000,
            tokens: 1_000,
            end: (EndKind::EmptyLine, header_end, header_end + 2),
            verdict: VerdictKind::Authenticated,
        },
    );

    // Twice the filler, the same token fields: the same allocations.
    let mut doubled = Vec::with_capacity(2 * message.len());
    for line in message[..header_end].split_inclusive(|&b| b == b'\n') {
        doubled.extend_from_slice(line);
        if line == b"A: b\r\n" {
            doubled.extend_from_slice(line);
        }
    }
    doubled.extend_from_slice(&message[header_end..]);
    let (_, small) = measure(|| strip(&message, DEFAULT_HEADER).unwrap().removed());
    let (removed, large) = measure(|| strip(&doubled, DEFAULT_HEADER).unwrap().removed());
    assert_eq!(removed, 1_000);
    assert_eq!(
        small, large,
        "strip allocates for removed fields, not for the input's size"
    );
    let (_, small) = measure(|| verify(&message, &keyring, &Policy::new()).verdict.kind());
    let (verdict, large) = measure(|| verify(&doubled, &keyring, &Policy::new()).verdict.kind());
    assert_eq!(verdict, VerdictKind::Authenticated);
    assert_eq!(
        small, large,
        "verify allocates for token fields, not for the input's size"
    );
}

/// One token field folded over 1,000,000 lines; the token sits on the last one, so it is
/// borrowed (no fold inside it). And a field whose value has a fold on every line, whose token
/// is unfolded into one buffer.
#[test]
fn one_field_folded_over_a_million_lines() {
    let (keyring, token) = keyring();
    let mut message = format!("{DEFAULT_HEADER}:\r\n").into_bytes();
    for _ in 0..999_999 {
        message.extend_from_slice(b" \r\n");
    }
    message.extend_from_slice(format!("\t{token} \r\n\r\nbody").as_bytes());
    let header_end = message.len() - 6;
    check(
        &message,
        &keyring,
        &Expect {
            fields: 1,
            tokens: 1,
            end: (EndKind::EmptyLine, header_end, header_end + 2),
            verdict: VerdictKind::Authenticated,
        },
    );
    let field = scan(&message).next().unwrap();
    assert_eq!(field.span(), 0..header_end);
    let (value, allocs) = measure(|| field.token());
    assert_eq!(&*value, token.as_bytes());
    assert_eq!(allocs.count, 0, "a token without an inner fold is borrowed");

    let mut folded = b"Subject: a".to_vec();
    for _ in 0..1_000_000 {
        folded.extend_from_slice(b"\r\n a");
    }
    folded.extend_from_slice(b"\r\n\r\n");
    let field = scan(&folded).next().unwrap();
    assert_eq!(field.span(), 0..folded.len() - 2);
    let (value, allocs) = measure(|| field.token());
    assert_eq!(value.len(), 2_000_001);
    assert_eq!(allocs.count, 1, "unfolding allocates one buffer");
    assert!(allocs.bytes <= folded.len());
}

/// A 10 MB line: as one token field without a line ending (too long to be a token), and as a
/// line without a colon (a stray line at offset 0).
#[test]
fn ten_megabyte_single_line() {
    let (keyring, _) = keyring();
    let mut message = format!("{DEFAULT_HEADER}: ").into_bytes();
    message.resize(10 * MB, b'a');
    check(
        &message,
        &keyring,
        &Expect {
            fields: 1,
            tokens: 1,
            end: (EndKind::EndOfInput, 10 * MB, 10 * MB),
            verdict: VerdictKind::Malformed,
        },
    );
    let verdict = verify(&message, &keyring, &Policy::new()).verdict;
    assert_eq!(
        verdict,
        Verdict::Malformed(outbound_token::Malformed::TooLong)
    );

    let stray = vec![b'a'; 10 * MB];
    check(
        &stray,
        &keyring,
        &Expect {
            fields: 0,
            tokens: 0,
            end: (EndKind::StrayLine, 0, 0),
            verdict: VerdictKind::Missing,
        },
    );
}

/// 10 MB of one byte: CR (one stray line), LF (an empty line at offset 0), NUL (a stray line),
/// SP (one leading continuation line, E5) and `" \n"` (five million of them).
#[test]
fn ten_megabytes_of_one_byte() {
    let (keyring, _) = keyring();
    let len = 10 * MB;
    let missing = |end| Expect {
        fields: 0,
        tokens: 0,
        end,
        verdict: VerdictKind::Missing,
    };
    let cases: [(&[u8], End); 5] = [
        (b"\r", (EndKind::StrayLine, 0, 0)),
        (b"\n", (EndKind::EmptyLine, 0, 1)),
        (b"\0", (EndKind::StrayLine, 0, 0)),
        (b" ", (EndKind::EndOfInput, len, len)),
        (b" \n", (EndKind::EndOfInput, len, len)),
    ];
    for (unit, end) in cases {
        let message = unit.repeat(len / unit.len());
        assert_eq!(message.len(), len);
        check(&message, &keyring, &missing(end));
        let (stamped, allocs) = measure(|| set_header(&message, DEFAULT_HEADER, "v").unwrap());
        assert!(
            allocs.count <= 6 && allocs.bytes <= len + 1024,
            "set_header on {unit:?} allocated {allocs:?}"
        );
        assert_eq!(
            scan(&stamped)
                .filter(|f| f.has_name(DEFAULT_HEADER))
                .count(),
            1
        );
    }
}

/// A stray line followed by 1,000,000 lines and no empty line, the last of them token-named: the
/// V3 look-ahead walks them all once and finds it.
#[test]
fn a_million_lines_after_a_stray_line() {
    let (keyring, token) = keyring();
    let mut message = format!("{DEFAULT_HEADER}: {token}\r\nstray line\r\n").into_bytes();
    let header_end = message.len() - 12;
    for _ in 0..1_000_000 {
        message.extend_from_slice(b"b\r\n");
    }
    message.extend_from_slice(format!("{DEFAULT_HEADER}: {token}").as_bytes());
    check(
        &message,
        &keyring,
        &Expect {
            fields: 1,
            tokens: 1,
            end: (EndKind::StrayLine, header_end, header_end),
            verdict: VerdictKind::Ambiguous,
        },
    );
}
