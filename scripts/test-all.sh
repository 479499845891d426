#!/usr/bin/env bash
# Every test of the project, from a fresh clone: Rust (fmt, clippy, tests), Python, Node, a short
# fuzz smoke and a bench smoke. Installs what it needs from the registries and stops at the first
# failure, saying which step failed.
set -euo pipefail
# Nothing here reads standard input; don't let a tool inherit whatever the caller's is.
exec </dev/null
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "test-all: '$1' is required but not installed: $2" >&2; exit 1; }; }
trap 'echo "test-all: FAILED during: ${current:-setup}" >&2' ERR

need cargo "install Rust with rustup (stable)"

current="rust: fmt"; step "$current"
cargo fmt --all -- --check

current="rust: clippy"; step "$current"
cargo clippy --workspace --all-targets --locked -- -D warnings

current="rust: docs"; step "$current"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked -p outbound-token

current="rust: tests"; step "$current"
cargo test --workspace --locked

# Python binding (bindings/python): a venv in target/, the package built by `pip install` through
# its pyproject.toml (maturin; dev profile and the shared target dir, so the Rust dependencies
# built above are reused), then stubtest, mypy on the tests and pytest.
current="python: venv"; step "$current"
need python3 "install CPython 3.9 or later with pip and venv (Debian: apt-get install python3 python3-venv)"
py_venv="$root/target/py-venv"
py="$py_venv/bin/python"
if ! "$py" -c 'import sys; assert sys.version_info >= (3, 9)' 2>/dev/null; then
    rm -rf "$py_venv"
    python3 -m venv "$py_venv" || { echo "test-all: 'python3 -m venv' failed: install the venv module (Debian: apt-get install python3-venv)" >&2; exit 1; }
fi
"$py" -m pip install --quiet --disable-pip-version-check "maturin>=1.9,<2" "pytest>=8,<10" "mypy>=2,<3"

current="python: build and install"; step "$current"
CARGO_TARGET_DIR="$root/target" MATURIN_PEP517_ARGS="--profile dev" \
    "$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./bindings/python

current="python: stubtest"; step "$current"
(cd "$root/target" && "$py" -m mypy.stubtest outbound_token \
    --allowlist "$root/bindings/python/stubtest-allowlist.txt")

current="python: mypy"; step "$current"
"$py" -m mypy --strict --cache-dir "$root/target/mypy-cache" bindings/python/tests

current="python: pytest"; step "$current"
"$py" -m pytest -p no:cacheprovider bindings/python

# Node binding (bindings/node): npm installs @napi-rs/cli and typescript from the lockfile, then
# `npm test` builds the addon from source (`napi build --platform --release`, in the shared target
# dir, so a second run reuses the release build) and runs node:test over the shared case corpus
# and the API, then tsc over the typed usage file. The build regenerates index.js and index.d.ts,
# which are committed: a difference means the committed ones are stale.
current="node: install"; step "$current"
need node "install Node.js 20.17 or later (it comes with npm)"
need npm "install npm (it comes with Node.js)"
(cd bindings/node && npm install --no-audit --no-fund)

current="node: build and test"; step "$current"
(cd bindings/node && CARGO_TARGET_DIR="$root/target" npm test)

current="node: generated index.js and index.d.ts are committed"; step "$current"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git diff --exit-code -- bindings/node/index.js bindings/node/index.d.ts
fi

# Bench smoke (benches/, see benches/README.md): the peer checks, every criterion benchmark run
# once as a test (debug build, no LTO; a 1,000-tenant keyring instead of a million) and the
# timing-leak harness with 5,000 samples per test and no assertion on t; then the Python and Node
# bench scripts with --quick, against the venv and the addon built above. About a minute.
current="bench: rust smoke"; step "$current"
cargo test -p outbound-token-benches --locked --lib --benches

current="bench: python smoke"; step "$current"
"$py" benches/python/bench.py --quick

current="bench: node smoke"; step "$current"
(cd benches/node && npm ci --no-audit --no-fund)
node benches/node/bench.js --quick

# Fuzz smoke (fuzz/, its own workspace, see fuzz/README.md): cargo-fuzz on nightly builds every
# target once, then runs each for 10 s from its committed seed corpus, two at a time (2 cores).
# New inputs go to fuzz/corpus-local/ (ignored) so the committed corpus stays small. A crash
# leaves its input in fuzz/artifacts/<target>/ and fails the step: fix its whole kind and add the
# input as a regression test (crates/outbound-token/src/fuzzing.rs, tests/hostile.rs or tests/inspect_hostile.rs).
current="fuzz: toolchain"; step "$current"
need rustup "install Rust with rustup, then: rustup toolchain install nightly"
if ! rustup toolchain list | grep -q nightly; then
    echo "test-all: the fuzz step needs a nightly toolchain: rustup toolchain install nightly" >&2
    exit 1
fi
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked

current="fuzz: build"; step "$current"
(cd fuzz && cargo +nightly fuzz build)

fuzz_run() {
    local log="$root/target/fuzz-$1.log"
    mkdir -p "$root/target" "fuzz/corpus-local/$1"
    # shellcheck disable=SC2086 # $2: extra cargo-fuzz flags, word-split on purpose
    if (cd fuzz && cargo +nightly fuzz run ${2:-} "$1" "corpus-local/$1" "corpus/$1" -- \
            -max_total_time=10 -timeout=5) >"$log" 2>&1; then
        echo "fuzz $1: $(grep -E '^Done' "$log" || echo done)"
    else
        tail -n 60 "$log" >&2
        echo "test-all: fuzz target '$1' failed; its input is in fuzz/artifacts/$1/" >&2
        return 1
    fi
}
fuzz_targets=(scan strip differential token keyring set_header)
for ((i = 0; i < ${#fuzz_targets[@]}; i += 2)); do
    pair=("${fuzz_targets[@]:i:2}")
    current="fuzz: run ${pair[*]}"; step "$current"
    pids=()
    for target in "${pair[@]}"; do
        fuzz_run "$target" &
        pids+=("$!")
    done
    for pid in "${pids[@]}"; do
        wait "$pid"
    done
done

# `inspect` walks MIME trees with mail-parser, whose 0.11.9 has a debug assertion that hostile
# MIME trips (a panic in debug builds only; see inspect.rs). cargo-fuzz turns debug assertions
# on for every crate, so this one target runs as a release build (-O), built on its own.
current="fuzz: run inspect (release build)"; step "$current"
(cd fuzz && cargo +nightly fuzz build -O inspect)
fuzz_run inspect -O

echo
echo "test-all: every step passed"
