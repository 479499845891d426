"""Keyring: tenants, tokens, rotation, files and times."""

from __future__ import annotations

import datetime
import threading
from pathlib import Path

import pytest

import outbound_token as ot

UTC = datetime.timezone.utc
T0 = datetime.datetime(2026, 12, 3, 10, 0, 0, tzinfo=UTC)


def make_keyring() -> tuple[ot.Keyring, ot.Token]:
    token = ot.Token.generate()
    keyring = ot.Keyring()
    keyring.add_tenant("acme", "Acme Corp")
    keyring.add_tenant("globex")
    keyring.add_token("acme", token, now=T0)
    return keyring, token


def test_tenants_are_snapshots() -> None:
    keyring, token = make_keyring()
    assert len(keyring) == 2
    acme, globex = keyring.tenants()
    assert (acme.id, acme.name, globex.id, globex.name) == ("acme", "Acme Corp", "globex", None)
    (entry,) = acme.tokens
    assert entry.hint == token.redacted
    assert entry.sha256 == token.digest().hex()
    assert entry.added == T0
    assert entry.not_after is None
    assert entry.is_active
    assert repr(acme) == "Tenant(id='acme', name='Acme Corp', tokens=1)"
    assert repr(entry) == f"KeyEntry(hint={token.redacted!r}, is_active=True)"
    assert token.expose_secret() not in repr(keyring) + repr(acme) + repr(entry)

    keyring.add_token("globex", ot.Token.generate())
    assert globex.tokens == []
    assert keyring.tenant("globex") is not None
    assert keyring.tenant("nobody") is None


def test_rotate_and_retire() -> None:
    keyring, old = make_keyring()
    new = ot.Token.generate()
    keyring.rotate("acme", new, now=T0, grace_hours=24)
    entries = keyring.tenant("acme").tokens  # type: ignore[union-attr]
    assert [entry.hint for entry in entries] == [old.redacted, new.redacted]
    assert entries[0].not_after == T0 + datetime.timedelta(hours=24)
    assert not entries[0].is_active
    assert entries[1].not_after is None

    assert keyring.retire("acme") == 1
    assert [entry.hint for entry in keyring.tenant("acme").tokens] == [new.redacted]  # type: ignore[union-attr]


def test_rotate_default_grace_is_72_hours() -> None:
    keyring, _ = make_keyring()
    keyring.rotate("acme", ot.Token.generate(), now=T0)
    assert keyring.tenant("acme").tokens[0].not_after == T0 + datetime.timedelta(hours=72)  # type: ignore[union-attr]


def test_rotate_fractional_and_bad_grace() -> None:
    keyring, _ = make_keyring()
    keyring.rotate("acme", ot.Token.generate(), now=T0, grace_hours=0.5)
    assert keyring.tenant("acme").tokens[0].not_after == T0 + datetime.timedelta(minutes=30)  # type: ignore[union-attr]
    for bad in [-1.0, float("nan"), float("inf")]:
        with pytest.raises(ValueError, match="grace_hours"):
            keyring.rotate("acme", ot.Token.generate(), now=T0, grace_hours=bad)


def test_prune() -> None:
    keyring, _ = make_keyring()
    keyring.rotate("acme", ot.Token.generate(), now=T0, grace_hours=1)
    assert keyring.prune(now=T0 + datetime.timedelta(minutes=59)) == 0
    assert keyring.prune(now=T0 + datetime.timedelta(hours=2)) == 1
    assert len(keyring.tenant("acme").tokens) == 1  # type: ignore[union-attr]


def test_remove_tenant() -> None:
    keyring, _ = make_keyring()
    removed = keyring.remove_tenant("acme")
    assert removed.id == "acme" and len(removed.tokens) == 1
    assert [tenant.id for tenant in keyring.tenants()] == ["globex"]


def test_now_must_be_aware() -> None:
    keyring, _ = make_keyring()
    with pytest.raises(TypeError, match="^now must be a timezone-aware datetime or None, not naive datetime$"):
        keyring.add_token("globex", ot.Token.generate(), now=datetime.datetime(2026, 1, 1))
    with pytest.raises(TypeError, match="^now must be a timezone-aware datetime or None, not str$"):
        keyring.add_token("globex", ot.Token.generate(), now="2026-01-01")  # type: ignore[arg-type]
    # Any timezone: the instant is what counts.
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    keyring.add_token("globex", ot.Token.generate(), now=datetime.datetime(2026, 12, 3, 12, 0, tzinfo=plus_two))
    assert keyring.tenant("globex").tokens[0].added == T0  # type: ignore[union-attr]


def test_now_defaults_to_the_clock() -> None:
    keyring, _ = make_keyring()
    before = datetime.datetime.now(UTC)
    keyring.add_token("globex", ot.Token.generate())
    after = datetime.datetime.now(UTC)
    added = keyring.tenant("globex").tokens[0].added  # type: ignore[union-attr]
    # The keyring records whole seconds, rounded down.
    assert before.replace(microsecond=0) <= added <= after
    assert added.tzinfo is not None


def test_toml_round_trip(tmp_path: Path) -> None:
    keyring, token = make_keyring()
    keyring.rotate("acme", ot.Token.generate(), now=T0 + datetime.timedelta(microseconds=1))
    text = keyring.to_toml()
    assert token.expose_secret() not in text
    assert ot.Keyring.from_toml(text) == keyring

    path = tmp_path / "keyring.toml"
    keyring.save(path)
    assert path.read_text(encoding="utf-8") == text
    assert ot.Keyring.load(path) == keyring
    assert ot.Keyring.load(str(path)) == keyring
    assert ot.Keyring.load(path) != ot.Keyring()
    assert keyring != "not a keyring"


def test_keyring_changes_while_verify_runs_in_another_thread() -> None:
    # verify and inspect release the GIL; they work on a snapshot, so changing the keyring
    # meanwhile must not fail with RuntimeError("Already borrowed").
    keyring, token = make_keyring()
    message = (
        b"X-Vipre-Tenant-Key: " + token.expose_secret().encode() + b"\r\n"
        + b"Subject: x\r\n" * 100_000 + b"\r\nbody"
    )
    errors: list[BaseException] = []
    done = threading.Event()

    def check() -> None:
        try:
            while not done.is_set():
                assert ot.verify(message, keyring, now=T0).tenant == "acme"
                assert ot.inspect(message, keyring, now=T0).tenant == "acme"
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=check) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        for i in range(300):
            keyring.add_tenant(f"t{i}")
            keyring.remove_tenant(f"t{i}")
            keyring.prune(now=T0)
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert len(keyring) == 2


def test_save_never_replaces_a_directory_or_device(tmp_path: Path) -> None:
    keyring, _ = make_keyring()
    for path in (tmp_path, Path("/dev/null")):
        with pytest.raises(ot.IoError, match="not a regular file"):
            keyring.save(path)
    assert Path("/dev/null").is_char_device()
    assert list(tmp_path.iterdir()) == []


def test_load_refuses_an_endless_file() -> None:
    with pytest.raises(ot.IoError, match="larger than"):
        ot.Keyring.load("/dev/zero")
