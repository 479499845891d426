"""outbound_token (the PyO3 binding) against the standard library's email package, per message.

For each message, and each of find, strip and verify, times the binding and the stdlib way of
doing the same thing:

- find:   ``BytesHeaderParser(policy=compat32).parsebytes(data).get_all(name)``
- strip:  the same parse, ``del msg[name]``, ``msg.as_bytes()``
- verify: the same parse, the value's SHA-256 looked up in a dict of digests and confirmed
          with ``hmac.compare_digest``, then the strip above

and records whether the stdlib's stripped message is byte-exact with ours (it is not: compat32
writes LF line endings and re-wraps nothing else, so every CRLF message differs).

    python benches/python/bench.py [--quick] [--json OUT]

Needs the binding installed (``maturin develop`` in bindings/python, or the venv that
scripts/test-all.sh builds at target/py-venv).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import pathlib
import platform
import time
from email.parser import BytesHeaderParser
from email.policy import compat32

import outbound_token as ot

ROOT = pathlib.Path(__file__).resolve().parents[2]
NAME = ot.DEFAULT_HEADER
MASTER_KEY = bytes([0x5A]) * 32
BODY_LINE = b"QWxsIHdvcmsgYW5kIG5vIHBsYXkgbWFrZXMgSmFjayBhIGR1bGwgYm95LiBBbGwgd29yayBhbmQg\r\n"


def with_token(path: str, token: bytes) -> bytes:
    """An example message with its token replaced by ``token``."""
    data = (ROOT / "examples" / "messages" / path).read_bytes()
    head, sep, body = data.partition(b"\r\n\r\n")
    lines = [
        NAME.encode() + b": " + token if line.lower().startswith(NAME.lower().encode() + b":") else line
        for line in head.split(b"\r\n")
    ]
    return b"\r\n".join(lines) + sep + body


def with_body(data: bytes, size: int) -> bytes:
    head, _, _ = data.partition(b"\r\n\r\n")
    body = (BODY_LINE * (size // len(BODY_LINE) + 1))[:size]
    return head + b"\r\n\r\n" + body


def messages(token: bytes) -> dict[str, bytes]:
    m365 = with_token("m365-outbound.eml", token)
    return {
        "m365": m365,
        "google": with_token("google-workspace.eml", token),
        "m365 10 KB body": with_body(m365, 10 * 1024),
        "m365 1 MB body": with_body(m365, 1024 * 1024),
    }


def stdlib_parse(data: bytes):
    return BytesHeaderParser(policy=compat32).parsebytes(data)


def stdlib_find(data: bytes) -> int:
    return len(stdlib_parse(data).get_all(NAME, []))


def stdlib_strip(data: bytes) -> bytes:
    msg = stdlib_parse(data)
    del msg[NAME]
    return msg.as_bytes()


def stdlib_verify(data: bytes, digests: dict[bytes, str]) -> tuple[str | None, bytes]:
    msg = stdlib_parse(data)
    tenant = None
    value = msg.get(NAME)
    if value is not None:
        digest = hashlib.sha256(value.strip().encode("ascii", "surrogateescape")).digest()
        for stored, owner in digests.items():
            if hmac.compare_digest(stored, digest):
                tenant = owner
    del msg[NAME]
    return tenant, msg.as_bytes()


def per_call(fn, seconds: float) -> float:
    """Seconds per call: the best of three time-based runs of about ``seconds / 3`` each."""
    fn()
    best = float("inf")
    for _ in range(3):
        calls, start = 0, time.perf_counter_ns()
        deadline = start + int(seconds / 3 * 1e9)
        now = start
        while now < deadline or calls == 0:
            fn()
            calls += 1
            now = time.perf_counter_ns()
        best = min(best, (now - start) / calls / 1e9)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few milliseconds per timing")
    parser.add_argument("--json", type=pathlib.Path, help="also write the results here")
    args = parser.parse_args()
    seconds = 0.03 if args.quick else 1.0

    token = ot.Token.derive(ot.MasterKey.from_bytes(MASTER_KEY), "t0000000")
    keyring = ot.Keyring()
    keyring.add_tenant("t0000000")
    keyring.add_token("t0000000", token)
    digests = {token.digest(): "t0000000"}

    rows = []
    for label, data in messages(token.expose_secret().encode()).items():
        ours_stripped = ot.strip(data)
        # The results are checked before timing: both sides find one field and agree on the
        # tenant, and ours removes exactly the token line.
        assert len(ot.find(data)) == 1 and stdlib_find(data) == 1, label
        assert ot.verify(data, keyring).tenant == "t0000000", label
        assert stdlib_verify(data, digests)[0] == "t0000000", label
        assert len(ours_stripped) < len(data) and NAME.encode() not in ours_stripped, label
        exact = stdlib_strip(data) == ours_stripped
        ops = {
            "find": (lambda: ot.find(data), lambda: stdlib_find(data)),
            "strip": (lambda: ot.strip(data), lambda: stdlib_strip(data)),
            "verify": (
                lambda: ot.verify(data, keyring),
                lambda: stdlib_verify(data, digests),
            ),
        }
        for op, (ours, theirs) in ops.items():
            t_ours, t_std = per_call(ours, seconds), per_call(theirs, seconds)
            rows.append(
                {
                    "message": label,
                    "bytes": len(data),
                    "op": op,
                    "ours_us": t_ours * 1e6,
                    "stdlib_us": t_std * 1e6,
                    "speedup": t_std / t_ours,
                    "stdlib_byte_exact": exact if op != "find" else None,
                }
            )

    print(f"Python {platform.python_version()}, outbound_token {ot.__version__}, email (compat32)")
    print(f"{'message':<18} {'bytes':>8} {'op':<7} {'ours µs':>10} {'stdlib µs':>10} {'speedup':>8}  stdlib byte-exact")
    for r in rows:
        exact = "" if r["stdlib_byte_exact"] is None else ("yes" if r["stdlib_byte_exact"] else "no")
        print(
            f"{r['message']:<18} {r['bytes']:>8} {r['op']:<7} {r['ours_us']:>10.2f} "
            f"{r['stdlib_us']:>10.2f} {r['speedup']:>7.0f}x  {exact}"
        )
    if args.json:
        args.json.write_text(json.dumps({"python": platform.python_version(), "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
