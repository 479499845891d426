"""verify: verdicts, retiring tokens, the clock, and mismatch versus malformed."""

from __future__ import annotations

import datetime

import pytest

import outbound_token as ot

UTC = datetime.timezone.utc
T0 = datetime.datetime(2026, 12, 3, 10, 0, 0, tzinfo=UTC)
BODY = b"To: b@example.org\r\n\r\nHi\r\n"


def stamped(token: str, header: str = ot.DEFAULT_HEADER) -> bytes:
    return f"{header}: {token}\r\n".encode() + BODY


@pytest.fixture
def keyring() -> ot.Keyring:
    keyring = ot.Keyring()
    keyring.add_tenant("acme")
    keyring.add_tenant("globex")
    return keyring


def test_verdict_enum() -> None:
    assert [member.name for member in ot.Verdict] == ["AUTHENTICATED", "MISSING", "UNKNOWN", "MALFORMED", "AMBIGUOUS"]
    for member in ot.Verdict:
        assert member.value == member.name.lower()
        assert member == member.value
        assert ot.Verdict(member.value) is member
    assert ot.Verdict.__module__ == "outbound_token"
    assert issubclass(ot.Verdict, str)


def test_authenticated(keyring: ot.Keyring) -> None:
    token = ot.Token.generate()
    keyring.add_token("acme", token)
    result = ot.verify(stamped(token.expose_secret()), keyring)
    assert result.verdict is ot.Verdict.AUTHENTICATED
    assert (result.tenant, result.retiring, result.reason) == ("acme", False, None)
    assert (result.stripped, result.removed) == (BODY, 1)
    assert token.expose_secret() not in repr(result)
    assert repr(result) == "Verification(verdict=Verdict.AUTHENTICATED, tenant='acme', retiring=False, reason=None, removed=1)"


def test_missing_unknown_malformed(keyring: ot.Keyring) -> None:
    result = ot.verify(BODY, keyring)
    assert (result.verdict, result.reason, result.removed, result.stripped) == (ot.Verdict.MISSING, "no token field", 0, BODY)

    # Mismatch: a well-formed token the keyring does not know is UNKNOWN, not an exception.
    result = ot.verify(stamped(ot.Token.generate().expose_secret()), keyring)
    assert (result.verdict, result.reason, result.stripped) == (ot.Verdict.UNKNOWN, "token not in keyring", BODY)

    # Malformed: a truncated token is MALFORMED, not an exception either.
    truncated = ot.Token.generate().expose_secret()[:30]
    result = ot.verify(stamped(truncated), keyring)
    assert result.verdict is ot.Verdict.MALFORMED
    assert result.tenant is None and result.reason and truncated not in result.reason
    assert result.stripped == BODY


def test_ambiguous(keyring: ot.Keyring) -> None:
    a, b = ot.Token.generate(), ot.Token.generate()
    keyring.add_token("acme", a)
    keyring.add_token("globex", b)
    message = stamped(a.expose_secret()).replace(b"To:", f"{ot.DEFAULT_HEADER}: {b.expose_secret()}\r\nTo:".encode())
    result = ot.verify(message, keyring)
    assert result.verdict is ot.Verdict.AMBIGUOUS
    assert result.reason == "token fields name different tenants"
    assert (result.stripped, result.removed) == (BODY, 2)


def test_retiring_tokens_and_the_clock(keyring: ot.Keyring) -> None:
    old, new = ot.Token.generate(), ot.Token.generate()
    keyring.add_token("acme", old, now=T0)
    keyring.rotate("acme", new, now=T0, grace_hours=1)
    message = stamped(old.expose_secret())

    inside = ot.verify(message, keyring, now=T0 + datetime.timedelta(minutes=30))
    assert (inside.verdict, inside.tenant, inside.retiring) == (ot.Verdict.AUTHENTICATED, "acme", True)
    at_the_end = ot.verify(message, keyring, now=T0 + datetime.timedelta(hours=1))
    assert at_the_end.verdict is ot.Verdict.AUTHENTICATED

    after = ot.verify(message, keyring, now=T0 + datetime.timedelta(hours=1, microseconds=1))
    assert (after.verdict, after.reason) == (ot.Verdict.UNKNOWN, "token retired and its grace period is over")

    rejected = ot.verify(message, keyring, accept_retiring=False, now=T0)
    assert rejected.verdict is ot.Verdict.UNKNOWN
    assert rejected.reason == "token is retiring and the policy rejects retiring tokens"

    current = ot.verify(stamped(new.expose_secret()), keyring, accept_retiring=False, now=T0)
    assert (current.verdict, current.retiring) == (ot.Verdict.AUTHENTICATED, False)

    with pytest.raises(TypeError, match="timezone-aware"):
        ot.verify(message, keyring, now=datetime.datetime(2026, 12, 3))


def test_other_header_and_buffers(keyring: ot.Keyring) -> None:
    token = ot.Token.generate()
    keyring.add_token("globex", token)
    message = stamped(token.expose_secret(), header="X-Tenant")
    assert ot.verify(message, keyring).verdict is ot.Verdict.MISSING
    buffers: list[bytes | bytearray | memoryview] = [
        message,
        bytearray(message),
        memoryview(message),
        memoryview(b"??" + message)[2:],
    ]
    for data in buffers:
        result = ot.verify(data, keyring, header="x-tenant")
        assert (result.verdict, result.tenant, result.stripped) == (ot.Verdict.AUTHENTICATED, "globex", BODY)
    with pytest.raises(ot.InvalidHeaderNameError):
        ot.verify(message, keyring, header="X Tenant")
    with pytest.raises(TypeError):
        ot.verify(message, "keyring")  # type: ignore[arg-type]


def test_results_are_read_only(keyring: ot.Keyring) -> None:
    result = ot.verify(BODY, keyring)
    with pytest.raises(AttributeError):
        result.tenant = "acme"  # type: ignore[misc]


def test_reject_elsewhere(keyring: ot.Keyring) -> None:
    token = ot.Token.generate()
    keyring.add_token("acme", token)
    leaked = stamped(token.expose_secret()) + f"PS: our key is {token.expose_secret()}\r\n".encode()
    assert ot.verify(leaked, keyring).verdict is ot.Verdict.AUTHENTICATED
    result = ot.verify(leaked, keyring, reject_elsewhere=True)
    assert result.verdict is ot.Verdict.AMBIGUOUS
    assert result.reason == "the token also appears elsewhere in the message, where recipients would read it"
    assert result.tenant is None
    assert result.removed == 1
    clean = ot.verify(stamped(token.expose_secret()), keyring, reject_elsewhere=True)
    assert clean.verdict is ot.Verdict.AUTHENTICATED
