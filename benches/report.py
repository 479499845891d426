"""Writes the results section of benches/README.md from one run's outputs.

    python3 benches/report.py RESULTS_DIR

reads criterion's target/criterion/*/*/new/{benchmark,estimates}.json, RESULTS_DIR/timing_leak.txt,
RESULTS_DIR/python.json and RESULTS_DIR/node.json (each optional), RESULTS_DIR/machine.txt, and
replaces what lies between the `<!-- results -->` and `<!-- /results -->` lines of the README.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = ROOT / "benches" / "README.md"
CASES = ["typical", "body_10k", "body_10m", "fields_500", "fields_5000", "folded_1000", "folded_10000"]
PEERS = ["outbound-token", "outbound-token zero-copy", "mail-parser", "mailparse", "memchr floor"]


def criterion_results() -> dict[tuple[str, str, str], tuple[float, int]]:
    """(op, case, function) -> (median ns per iteration, bytes per iteration)."""
    out = {}
    for bench in (ROOT / "target" / "criterion").glob("**/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        op, _, case = meta["group_id"].partition("/")
        size = (meta.get("throughput") or {}).get("Bytes", 0)
        out[(op, case, meta["function_id"])] = (estimates["median"]["point_estimate"], size)
    return out


def fmt_time(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_rate(ns: float, size: int) -> str:
    gib = size / ns * 1e9 / 2**30
    return f"{gib:.3g} GiB/s" if gib >= 1 else f"{gib * 1024:.3g} MiB/s"


def throughput_tables(res) -> list[str]:
    lines = []
    for op in ["find", "strip", "verify", "set_header"]:
        functions = [f for f in PEERS if any(k[0] == op and k[2] == f for k in res)]
        functions += sorted({k[2] for k in res if k[0] == op} - set(functions))
        if not functions:
            continue
        lines += [f"### {op}", "", "| case | bytes | " + " | ".join(functions) + " |"]
        lines.append("| --- | ---: | " + " | ".join("---:" for _ in functions) + " |")
        for case in CASES:
            cells, size = [], 0
            for f in functions:
                if (op, case, f) in res:
                    ns, size = res[(op, case, f)]
                    cells.append(f"{fmt_time(ns)}<br>{fmt_rate(ns, size)}")
                else:
                    cells.append("")
            if size:
                lines.append(f"| {case} | {size:,} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def ratio(res, a, b) -> float | None:
    if a in res and b in res:
        return res[a][0] / res[b][0]
    return None


def targets(res, py, node) -> list[str]:
    rows = []

    def add(target: str, value: float | None, ok, fmt="{:.2f}x") -> None:
        if value is None:
            rows.append(f"| {target} | not measured | |")
        else:
            rows.append(f"| {target} | {fmt.format(value)} | {'met' if ok(value) else '**missed**'} |")

    for op in ["find", "strip"]:
        for case in CASES:
            floor = ratio(res, (op, case, "memchr floor"), (op, case, "outbound-token"))
            add(f"{op} {case}: throughput vs memchr floor (≥ 0.5x)", floor, lambda v: v >= 0.5)
    for op in ["find", "strip"]:
        for case in CASES:
            mp = ratio(res, (op, case, "mail-parser"), (op, case, "outbound-token"))
            add(f"{op} {case}: speed vs mail-parser (≥ 4x)", mp, lambda v: v >= 4)
    for op, f in [("find", "outbound-token"), ("verify", "1 tenant"), ("strip", "outbound-token zero-copy"),
                  ("strip", "outbound-token")]:
        v = ratio(res, (op, "body_10m", f), (op, "body_10k", f))
        add(f"{op} ({f}): 10 MB body / 10 KB body time (≤ 1.1x)", v, lambda v: v <= 1.1)
    for op, f in [("find", "outbound-token"), ("strip", "outbound-token"), ("verify", "1 tenant")]:
        for small, big in [("fields_500", "fields_5000"), ("folded_1000", "folded_10000")]:
            if (op, big, f) in res and (op, small, f) in res:
                per_byte = (res[(op, big, f)][0] / res[(op, big, f)][1]) / (res[(op, small, f)][0] / res[(op, small, f)][1])
            else:
                per_byte = None
            add(f"{op} linear: {big} vs {small}, time per byte (≈ 1x)", per_byte, lambda v: v <= 1.25)
    for case in CASES:
        many = [k for k in res if k[0] == "verify" and k[1] == case and k[2].endswith("tenants")]
        v = ratio(res, many[0], ("verify", case, "1 tenant")) if many else None
        add(f"verify {case}: 1,000,000 tenants / 1 tenant time (≤ 1.5x)", v, lambda v: v <= 1.5)
    for label, data, target in [("Python stdlib", py, 200), ("mailsplit", node, 100)]:
        for row in (data or {}).get("rows", []):
            add(f"{row['op']} {row['message']}: speed vs {label} (≥ {target}x)", row["speedup"],
                lambda v, t=target: v >= t, "{:.0f}x")
        if not data:
            add(f"speed vs {label} (≥ {target}x)", None, None)
    return ["| target | measured | |", "| --- | ---: | --- |", *rows, ""]


def binding_table(data, theirs: str, key: str) -> list[str]:
    if not data:
        return ["Not run (the binding or the peer was not available).", ""]
    lines = [f"| message | bytes | op | ours | {theirs} | speedup | {theirs} byte-exact |",
             "| --- | ---: | --- | ---: | ---: | ---: | --- |"]
    for r in data["rows"]:
        exact = "" if r[f"{key}_byte_exact"] is None else ("yes" if r[f"{key}_byte_exact"] else "no")
        lines.append(f"| {r['message']} | {r['bytes']:,} | {r['op']} | {r['ours_us']:.2f} µs | "
                     f"{r[f'{key}_us']:.2f} µs | {r['speedup']:.0f}x | {exact} |")
    return [*lines, ""]


def leak_table(text: str | None) -> list[str]:
    if not text:
        return ["Not run.", ""]
    pattern = re.compile(r"bench (\S+)\s+\.\.\. : n == \+?([\d.]+)M, max t = ([+-][\d.]+)")
    lines = ["| test | samples (largest crop) | max t | |", "| --- | ---: | ---: | --- |"]
    for name, n, t in pattern.findall(text):
        verdict = "told apart" if abs(float(t)) > 4.5 else "not told apart"
        lines.append(f"| `{name}` | {float(n) * 1e6:,.0f} | {float(t):+.2f} | {verdict} |")
    return [*lines, ""]


def main() -> None:
    results = pathlib.Path(sys.argv[1])

    def read(name: str) -> str | None:
        p = results / name
        return p.read_text() if p.exists() else None

    py = json.loads(read("python.json") or "null")
    node = json.loads(read("node.json") or "null")
    res = criterion_results()
    body = [
        "<!-- results -->",
        "<!-- Written by benches/run.sh (benches/report.py): edits here are overwritten. -->",
        "",
        (read("machine.txt") or "").strip(),
        "",
        "Times are criterion's median per iteration (an iteration handles every message of the",
        "case once); rates are the case's bytes over that time.",
        "",
        *throughput_tables(res),
        "### Targets",
        "",
        *targets(res, py, node),
        "### Python: the binding against the standard library (`email`, compat32)",
        "",
        *binding_table(py, "stdlib", "stdlib"),
        "### Node: the binding against mailsplit",
        "",
        *binding_table(node, "mailsplit", "mailsplit"),
        "### Timing leak (dudect)",
        "",
        *leak_table(read("timing_leak.txt")),
        "<!-- /results -->",
    ]
    readme = README.read_text()
    start, end = readme.index("<!-- results -->"), readme.index("<!-- /results -->") + len("<!-- /results -->")
    README.write_text(readme[:start] + "\n".join(body) + readme[end:])


if __name__ == "__main__":
    main()
