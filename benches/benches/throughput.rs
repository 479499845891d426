//! find, strip, verify and set_header on every corpus case, with the peers side by side in the
//! same criterion group. Each timed closure asserts on what it found.
//!
//! `cargo bench -p outbound-token-benches --bench throughput`; under `cargo test --benches`
//! criterion runs each benchmark once, and the big keyring is made smaller (debug builds are
//! slow to derive a million tokens).

use std::hint::black_box;
use std::sync::LazyLock;
use std::time::Instant;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use outbound_token::{DEFAULT_HEADER, Keyring, Policy, set_header, verify};
use outbound_token_benches::corpus::{self, Case};
use outbound_token_benches::{keyring, peers, tenant_token};

/// The token every message carries (tenant 0's).
static TOKEN: LazyLock<String> = LazyLock::new(|| tenant_token(0).expose_secret().to_owned());

static CASES: LazyLock<Vec<Case>> = LazyLock::new(|| corpus::all(&TOKEN));

static ONE_TENANT: LazyLock<Keyring> = LazyLock::new(|| keyring(1));

/// A million tenants, built once, the first time a benchmark needs it, outside the timing.
static MANY_TENANTS: LazyLock<Keyring> = LazyLock::new(|| {
    let started = Instant::now();
    let keyring = keyring(many_tenants());
    eprintln!(
        "built a keyring of {} tenants in {:.1} s",
        keyring.len(),
        started.elapsed().as_secs_f64()
    );
    keyring
});

/// A million under `cargo bench`; a thousand when criterion runs the benches once as tests.
fn many_tenants() -> usize {
    if std::env::args().any(|arg| arg == "--bench") {
        1_000_000
    } else {
        1_000
    }
}

fn group<'c>(c: &'c mut Criterion, op: &str, case: &Case) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(format!("{op}/{}", case.name));
    group.throughput(Throughput::Bytes(case.bytes()));
    if case.name != "typical" {
        group.sample_size(20);
    }
    group
}

fn find(c: &mut Criterion) {
    for case in CASES.iter() {
        let msgs = &case.messages;
        let mut g = group(c, "find", case);
        g.bench_function("outbound-token", |b| {
            b.iter(|| {
                for m in msgs {
                    assert_eq!(peers::ours_find(black_box(&m.bytes)), 1);
                }
            });
        });
        g.bench_function("mail-parser", |b| {
            b.iter(|| {
                for m in msgs {
                    assert_eq!(peers::mail_parser_find(black_box(&m.bytes)), 1);
                }
            });
        });
        g.bench_function("mailparse", |b| {
            b.iter(|| {
                for m in msgs {
                    assert_eq!(peers::mailparse_find(black_box(&m.bytes)), 1);
                }
            });
        });
        g.bench_function("memchr floor", |b| {
            b.iter(|| {
                for m in msgs {
                    let found = peers::floor_find(black_box(&m.bytes));
                    assert_eq!(found, (m.header_end, m.header_lines));
                }
            });
        });
        g.finish();
    }
}

fn strip(c: &mut Criterion) {
    for case in CASES.iter() {
        let msgs = &case.messages;
        let mut g = group(c, "strip", case);
        g.bench_function("outbound-token", |b| {
            b.iter(|| {
                for m in msgs {
                    let out = peers::ours_strip(black_box(&m.bytes));
                    assert_eq!(out.len(), m.bytes.len() - m.token_span.len());
                }
            });
        });
        g.bench_function("outbound-token zero-copy", |b| {
            b.iter(|| {
                for m in msgs {
                    let len = peers::ours_strip_slices(black_box(&m.bytes));
                    assert_eq!(len, m.bytes.len() - m.token_span.len());
                }
            });
        });
        g.bench_function("mail-parser", |b| {
            b.iter(|| {
                for m in msgs {
                    let out = peers::mail_parser_strip(black_box(&m.bytes));
                    assert_eq!(out.len(), m.bytes.len() - m.token_span.len());
                }
            });
        });
        g.bench_function("mailparse", |b| {
            b.iter(|| {
                for m in msgs {
                    let out = peers::mailparse_strip(black_box(&m.bytes));
                    assert_eq!(out.len(), m.bytes.len() - m.token_span.len());
                }
            });
        });
        g.bench_function("memchr floor", |b| {
            b.iter(|| {
                for m in msgs {
                    let (lines, out) = peers::floor_strip(black_box(&m.bytes));
                    assert_eq!((lines, out.len()), (m.header_lines, m.bytes.len()));
                }
            });
        });
        g.finish();
    }
}

fn verify_with(g: &mut BenchmarkGroup<'_, WallTime>, label: &str, case: &Case, keyring: &Keyring) {
    let policy = Policy::new();
    g.bench_function(label, |b| {
        b.iter(|| {
            for m in &case.messages {
                let result = verify(black_box(&m.bytes), keyring, &policy);
                assert_eq!(
                    result.verdict.tenant(),
                    Some(outbound_token_benches::TENANT)
                );
                assert_eq!(result.stripped.len(), m.bytes.len() - m.token_span.len());
            }
        });
    });
}

fn verify_bench(c: &mut Criterion) {
    for case in CASES.iter() {
        let mut g = group(c, "verify", case);
        verify_with(&mut g, "1 tenant", case, &ONE_TENANT);
        let label = format!("{} tenants", many_tenants());
        verify_with(&mut g, &label, case, &MANY_TENANTS);
        g.finish();
    }
}

fn set_header_bench(c: &mut Criterion) {
    let value = tenant_token(1);
    let value = value.expose_secret();
    for case in CASES.iter() {
        let mut g = group(c, "set_header", case);
        g.bench_function("outbound-token", |b| {
            b.iter(|| {
                for m in &case.messages {
                    let out = set_header(black_box(&m.bytes), DEFAULT_HEADER, value);
                    let added = DEFAULT_HEADER.len() + 2 + value.len() + 2;
                    let want = m.bytes.len() - m.token_span.len() + added;
                    assert_eq!(out.map(|out| out.len()).ok(), Some(want));
                }
            });
        });
        g.finish();
    }
}

criterion_group!(benches, find, strip, verify_bench, set_header_bench);
criterion_main!(benches);
