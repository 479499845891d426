#!/usr/bin/env bash
# The main job: the relay run over the example messages shipped in the repository. Builds the
# CLI, verifies every message of examples/messages against examples/keyring.toml, writes the
# stripped authenticated ones to target/relay-out and prints the verdicts and a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "main-job: cargo is required (install Rust with rustup)" >&2; exit 1; }
cargo build --release --locked -p outbound-token-cli
bin=target/release/outbound-token

echo "== verify (one line per message)"
"$bin" verify --keyring examples/keyring.toml examples/messages || true
echo
echo "== relay (stripped authenticated messages -> target/relay-out)"
rm -rf target/relay-out
"$bin" relay --keyring examples/keyring.toml --out target/relay-out examples/messages
echo
echo "== inspect (the admin's check of a sent message; tokens are shown redacted)"
"$bin" inspect --keyring examples/keyring.toml examples/messages/forwarded-attachment.eml examples/messages/header-twice.eml || true
