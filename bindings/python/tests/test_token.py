"""Token and MasterKey: parsing, derivation, redaction and constant-time equality."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import zlib

import pytest

import outbound_token as ot

OPAQUE = "otk_test_7Qm2VwXr9LpZ4sKd"
TEST_MASTER = bytes(range(32))
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(value: int, digits: int) -> str:
    out = []
    for _ in range(digits):
        value, digit = divmod(value, 62)
        out.append(BASE62[digit])
    assert value == 0
    return "".join(reversed(out))


def reference_derive(master: bytes, tenant_id: str, version: int) -> str:
    """Token.derive as the core crate's token module documents it, with hmac and zlib."""
    message = b"outbound-token/v1\x00" + tenant_id.encode() + b"\x00" + version.to_bytes(4, "big")
    mac = hmac.new(master, message, hashlib.sha256).digest()
    body = base62(int.from_bytes(mac, "big"), 43)
    return "otk_" + body + base62(zlib.crc32(body.encode()), 6)


def test_generate() -> None:
    token = ot.Token.generate()
    text = token.expose_secret()
    assert len(text) == 53 and text.startswith("otk_")
    assert token.is_native
    assert ot.Token.parse(text) == token
    assert ot.Token.generate() != token


def test_parse_trims() -> None:
    token = ot.Token.generate()
    assert ot.Token.parse(f"  {token.expose_secret()}\n").expose_secret() == token.expose_secret()


def test_opaque_and_import() -> None:
    opaque = ot.Token.opaque(OPAQUE)
    assert opaque.expose_secret() == OPAQUE
    assert not opaque.is_native
    assert ot.Token.import_(OPAQUE) == opaque
    native = ot.Token.generate()
    assert ot.Token.import_(native.expose_secret()) == native
    # It has the native prefix but not the native length.
    with pytest.raises(ot.TokenLengthError):
        ot.Token.parse(OPAQUE)


def test_derive_matches_a_reference() -> None:
    master = ot.MasterKey.from_bytes(TEST_MASTER)
    other = ot.MasterKey.from_bytes(b"\x07" * 64)
    for tenant, version in [("acme", 1), ("acme", 2), ("globex", 1), ("a.b-c_D9", 0), ("x" * 64, 4294967295)]:
        token = ot.Token.derive(master, tenant, version)
        assert token.expose_secret() == reference_derive(TEST_MASTER, tenant, version)
        assert token.is_native
        assert ot.Token.parse(token.expose_secret()) == token
        assert ot.Token.derive(other, tenant, version).expose_secret() == reference_derive(b"\x07" * 64, tenant, version)
    assert ot.Token.derive(master, "acme") == ot.Token.derive(master, "acme", version=1)
    with pytest.raises(OverflowError):
        ot.Token.derive(master, "acme", -1)
    # A token for a tenant id no keyring accepts would be useless.
    for tenant in ["", "a\x00b", "two words", "caf\u00e9", "x" * 65]:
        with pytest.raises(ot.InvalidTenantIdError):
            ot.Token.derive(master, tenant)


def test_generated_tokens_have_a_valid_checksum() -> None:
    for _ in range(20):
        text = ot.Token.generate().expose_secret()
        assert set(text[4:]) <= set(BASE62)
        assert text[-6:] == base62(zlib.crc32(text[4:-6].encode()), 6)


def test_master_key() -> None:
    master = ot.MasterKey.from_hex(TEST_MASTER.hex().upper())
    assert master.expose_secret_hex() == TEST_MASTER.hex()
    assert len(master) == 32
    assert ot.MasterKey.from_bytes(bytearray(TEST_MASTER)).expose_secret_hex() == TEST_MASTER.hex()
    assert ot.MasterKey.from_bytes(memoryview(b"x" + TEST_MASTER)[1:]).expose_secret_hex() == TEST_MASTER.hex()
    assert len(ot.MasterKey.generate()) == 32
    with pytest.raises(TypeError, match="^key must be bytes, bytearray or memoryview, not str$"):
        ot.MasterKey.from_bytes(TEST_MASTER.hex())  # type: ignore[arg-type]


def test_digest_is_sha256() -> None:
    token = ot.Token.opaque(OPAQUE)
    assert token.digest() == hashlib.sha256(OPAQUE.encode()).digest()


def test_token_repr_and_str_are_redacted() -> None:
    for token in [ot.Token.generate(), ot.Token.opaque(OPAQUE), ot.Token.opaque("supersecretvalue-1234567890")]:
        secret = token.expose_secret()
        for shown in [repr(token), str(token), token.redacted, f"{token}", f"{token!r}"]:
            assert secret not in shown
            assert secret[:-4] not in shown
    assert ot.Token.opaque(OPAQUE).redacted == "otk_…4sKd"
    assert str(ot.Token.opaque(OPAQUE)) == "otk_…4sKd"
    assert repr(ot.Token.opaque(OPAQUE)) == "Token(otk_…4sKd)"
    assert ot.Token.opaque("supersecretvalue-1234567890").redacted == "…7890"


def test_master_key_repr_is_redacted() -> None:
    master = ot.MasterKey.generate()
    secret = master.expose_secret_hex()
    assert repr(master) == "MasterKey(<redacted, 32 bytes>)"
    assert str(master) == repr(master)
    assert secret[:8] not in repr(master)


def test_tokens_cannot_be_pickled() -> None:
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(ot.Token.generate())


def test_equality_matches_compare_digest() -> None:
    # A reference: hmac.compare_digest over the token texts must agree with Token.__eq__.
    base = ot.Token.generate().expose_secret()
    texts = [base, base[:-1] + ("A" if base[-1] != "A" else "B"), OPAQUE, OPAQUE.upper(), "x" * 16, "x" * 17]
    texts += [secrets.token_urlsafe(24) for _ in range(5)]
    tokens = [ot.Token.opaque(text) for text in texts]
    for a_text, a in zip(texts, tokens):
        for b_text, b in zip(texts, tokens):
            expected = hmac.compare_digest(a_text.encode(), b_text.encode())
            assert (a == b) is expected, (a, b)
            assert (a != b) is (not expected)
    # A native token read as opaque is the same token.
    assert ot.Token.opaque(base) == ot.Token.parse(base)


def test_equality_with_other_types() -> None:
    token = ot.Token.opaque(OPAQUE)
    assert token != OPAQUE
    assert (token == OPAQUE) is False
    with pytest.raises(TypeError):
        token < token  # type: ignore[operator]  # noqa: B015
    with pytest.raises(TypeError):
        hash(token)


def test_no_constructor() -> None:
    with pytest.raises(TypeError):
        ot.Token()
