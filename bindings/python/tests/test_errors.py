"""The exception classes: each raised by a real call, all ValueErrors, none showing a secret."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest

import outbound_token as ot

SECRET = ot.Token.generate()
SECRET_TEXT = SECRET.expose_secret()
# A native token with one body character changed: its checksum no longer matches.
CHANGED = SECRET_TEXT[:20] + ("A" if SECRET_TEXT[20] != "A" else "B") + SECRET_TEXT[21:]
MASTER_HEX = ot.MasterKey.generate().expose_secret_hex()
UTC = datetime.timezone.utc


def keyring_with(token: ot.Token | None = None) -> ot.Keyring:
    keyring = ot.Keyring()
    keyring.add_tenant("acme")
    if token is not None:
        keyring.add_token("acme", token)
    return keyring


# Every class, with a real call that raises it and the exact message.
CALLS: dict[type[ot.OutboundTokenError], tuple[Callable[[], object], str]] = {
    ot.InvalidHeaderNameError: (
        lambda: ot.find(b"", header="Bad Name"),
        "invalid header field name: byte 3 is not a printable ASCII character other than ':'",
    ),
    ot.InvalidHeaderValueError: (
        lambda: ot.set_header(b"", SECRET_TEXT + "\r\nBcc: x"),
        "invalid header field value: control character at byte 53",
    ),
    ot.TokenPrefixError: (lambda: ot.Token.parse("x" + SECRET_TEXT[1:]), "token does not start with the prefix 'otk_'"),
    ot.TokenCharacterError: (
        lambda: ot.Token.parse(SECRET_TEXT[:10] + "-" + SECRET_TEXT[11:]),
        "token has an invalid character at position 10",
    ),
    ot.TokenLengthError: (lambda: ot.Token.parse(SECRET_TEXT[:52]), "token has length 52, expected 53"),
    ot.TokenChecksumError: (
        lambda: ot.Token.parse(CHANGED),
        "token checksum does not match: a character was mistyped or lost",
    ),
    ot.MasterKeyLengthError: (
        lambda: ot.MasterKey.from_bytes(bytes.fromhex(MASTER_HEX)[:31]),
        "master key has 31 bytes, at least 32 are required",
    ),
    ot.InvalidHexError: (lambda: ot.MasterKey.from_hex(MASTER_HEX[:63] + "z"), "master key is not hexadecimal: character 63 is not a hex digit"),
    ot.HexLengthError: (lambda: ot.MasterKey.from_hex(MASTER_HEX[:62]), "master key has 62 hex digits"),
    ot.TimeOutOfRangeError: (
        lambda: keyring_with().add_token("acme", SECRET, now=datetime.datetime(1969, 12, 31, tzinfo=UTC)),
        "time is out of range: keyring times must fall between 1970 and 9999",
    ),
    ot.IoError: (lambda: ot.Keyring.load("/nonexistent/dir/keyring.toml"), "cannot read '/nonexistent/dir/keyring.toml'"),
    ot.KeyringFileError: (
        lambda: ot.Keyring.from_toml("version = 1\n\n[[tenant]]\nid = 'acme'\nsecret = 1\n"),
        "keyring file line",
    ),
    ot.InvalidTenantIdError: (
        lambda: keyring_with().add_tenant("bad id"),
        "invalid tenant id: use 1 to 64 ASCII letters, digits, '-', '_' or '.'",
    ),
    ot.DuplicateTenantError: (lambda: keyring_with().add_tenant("acme"), "tenant 'acme' already exists"),
    ot.UnknownTenantError: (lambda: keyring_with().add_token("globex", SECRET), "no tenant 'globex' in the keyring"),
    ot.DuplicateTokenError: (
        lambda: keyring_with(SECRET).add_token("acme", ot.Token.parse(SECRET_TEXT)),
        "this token is already in the keyring",
    ),
}

# Raised only when the operating system's random source fails, which a test cannot cause; its
# mapping is checked by the Rust unit test in src/errors.rs.
UNREACHABLE = {ot.RandomError}

ALL_CLASSES = [
    value
    for value in vars(ot).values()
    if isinstance(value, type) and issubclass(value, ot.OutboundTokenError) and value is not ot.OutboundTokenError
]


def test_every_class_is_exported_and_covered() -> None:
    assert set(ALL_CLASSES) == set(CALLS) | UNREACHABLE
    assert len(ALL_CLASSES) == 17
    for cls in ALL_CLASSES:
        assert cls.__name__.endswith("Error")
        assert cls.__name__ in ot.__all__


def test_hierarchy() -> None:
    assert issubclass(ot.OutboundTokenError, ValueError)
    for cls in ALL_CLASSES:
        assert issubclass(cls, ot.OutboundTokenError)
        assert issubclass(cls, ValueError)
        assert cls.__bases__ == (ot.OutboundTokenError,)
        assert cls.__module__ == "outbound_token"


@pytest.mark.parametrize("cls", list(CALLS), ids=lambda cls: cls.__name__)
def test_each_class_is_raised_by_a_real_call(cls: type[ot.OutboundTokenError]) -> None:
    call, message = CALLS[cls]
    with pytest.raises(cls) as info:
        call()
    assert type(info.value) is cls
    assert str(info.value).startswith(message)
    # `except ValueError` catches it too.
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("cls", list(CALLS), ids=lambda cls: cls.__name__)
def test_messages_never_show_a_secret(cls: type[ot.OutboundTokenError]) -> None:
    call, _ = CALLS[cls]
    with pytest.raises(cls) as info:
        call()
    shown = f"{info.value} {info.value!r} {info.value.args}"
    for secret in [SECRET_TEXT, CHANGED, SECRET_TEXT[4:-6], MASTER_HEX, MASTER_HEX[:62]]:
        assert secret not in shown


def test_errors_of_a_keyring_file_do_not_quote_it(tmp_path: Path) -> None:
    path = tmp_path / "keyring.toml"
    path.write_text(f'version = 1\n\n[[tenant]]\nid = "acme"\n\n[[tenant.token]]\nsha256 = "{SECRET_TEXT}"\n')
    with pytest.raises(ot.KeyringFileError) as info:
        ot.Keyring.load(path)
    assert SECRET_TEXT not in str(info.value)
    assert str(info.value).startswith("keyring file line ")
