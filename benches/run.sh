#!/usr/bin/env bash
# Runs every benchmark and rewrites the results section of benches/README.md:
#   1. the Rust throughput benches (criterion, [profile.bench]: LTO, one codegen unit);
#   2. the timing-leak harness (dudect-bencher, 1,000,000 samples per test);
#   3. benches/python/bench.py against a release build of the Python binding, in its own venv
#      (target/bench-py-venv), so the test venv's debug build is not what gets measured;
#   4. benches/node/bench.js against bindings/node (built with `npm run build` if missing).
# Steps 3 and 4 are skipped, and say so in the README, when Python or Node is missing.
#
#   bash benches/run.sh            # about 10 minutes on 2 cores, after the builds
#   BENCH_ARGS="--warm-up-time 3 --measurement-time 5" bash benches/run.sh   # steadier
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/target/bench-results"
rm -rf "$out" "$root/target/criterion"
mkdir -p "$out"

{
    echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores of $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
    echo "(a shared VM: other builds ran beside it), $(rustc --version)."
} >"$out/machine.txt"

# shellcheck disable=SC2086
cargo bench -p outbound-token-benches --bench throughput -- ${BENCH_ARGS:---warm-up-time 1 --measurement-time 2}
cargo bench -p outbound-token-benches --bench timing_leak | tee "$out/timing_leak.txt"

if command -v python3 >/dev/null 2>&1; then
    venv="$root/target/bench-py-venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.9,<2"
    CARGO_TARGET_DIR="$root/target" "$venv/bin/python" -m pip install --quiet \
        --disable-pip-version-check --force-reinstall --no-deps ./bindings/python
    "$venv/bin/python" benches/python/bench.py --json "$out/python.json"
else
    echo "run.sh: python3 not found, Python bench skipped" >&2
fi

if command -v node >/dev/null 2>&1; then
    (cd benches/node && npm ci --no-audit --no-fund --silent)
    if ! ls bindings/node/*.node >/dev/null 2>&1; then
        (cd bindings/node && npm install --no-audit --no-fund --silent && npm run build)
    fi
    node benches/node/bench.js --json "$out/node.json"
else
    echo "run.sh: node not found, Node bench skipped" >&2
fi

python3 benches/report.py "$out"
echo "run.sh: results written to benches/README.md"
