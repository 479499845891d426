"""Every case of the shared corpus, through Python: tokens, stripped bytes and verdict."""

from __future__ import annotations

import pytest

import outbound_token as ot
from conftest import Case, load_cases

CASES = load_cases()


def test_the_corpus_is_not_empty() -> None:
    # The Rust tests require at least 17 cases; an empty or missing corpus must fail here too.
    assert len(CASES) >= 17


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_find_returns_the_manifest_tokens(case: Case) -> None:
    fields = ot.find(case.message)
    assert [field.token for field in fields] == case.tokens
    for field in fields:
        assert field.name.lower() == ot.DEFAULT_HEADER.lower().encode()
        assert case.message[field.start : field.end].startswith(field.name)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_strip_gives_the_expected_bytes(case: Case) -> None:
    assert ot.strip(case.message) == case.stripped
    # Idempotent, and the same from every kind of buffer.
    assert ot.strip(case.stripped) == case.stripped
    assert ot.strip(bytearray(case.message)) == case.stripped
    assert ot.strip(memoryview(case.message)) == case.stripped


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_verify_gives_the_manifest_verdict(case: Case, case_keyring: ot.Keyring) -> None:
    result = ot.verify(case.message, case_keyring)
    assert result.verdict == ot.Verdict(case.verdict)
    assert result.verdict.value == case.verdict
    assert result.stripped == case.stripped
    assert result.removed == len(case.tokens)
    if case.verdict == "authenticated":
        assert result.tenant == "acme"
        assert result.reason is None
    else:
        assert result.tenant is None
        assert result.reason
