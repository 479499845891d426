#!/usr/bin/env bash
# Every test of the project, from a fresh clone: Rust (fmt, clippy, tests), Python, Node, a short
# fuzz smoke and a bench smoke. Installs what it needs from the registries and stops at the first
# failure, saying which step failed.
set -euo pipefail
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

echo
echo "test-all: every step passed"
