"""Shared fixtures: the case corpus of the core crate and a keyring that knows its token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

import outbound_token as ot

# bindings/python/tests -> repository root.
ROOT = Path(__file__).resolve().parents[3]
CASES_DIR = ROOT / "crates" / "outbound-token" / "tests" / "data" / "cases"

# The opaque token that tenant `acme` holds for the corpus verdicts.
CASE_TOKEN = "otk_test_7Qm2VwXr9LpZ4sKd"


@dataclass(frozen=True)
class Case:
    name: str
    tokens: list[bytes]
    verdict: str
    message: bytes
    stripped: bytes


def load_cases() -> list[Case]:
    manifest = CASES_DIR / "MANIFEST.jsonl"
    cases = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        name = entry["case"]
        cases.append(
            Case(
                name=name,
                # Tokens are written as Latin-1 text so that any byte survives JSON.
                tokens=[token.encode("latin-1") for token in entry["tokens"]],
                verdict=entry["verdict"],
                message=(CASES_DIR / f"{name}.eml").read_bytes(),
                stripped=(CASES_DIR / f"{name}.stripped.eml").read_bytes(),
            )
        )
    return cases


@pytest.fixture
def case_keyring() -> ot.Keyring:
    keyring = ot.Keyring()
    keyring.add_tenant("acme", "Acme Corp")
    keyring.add_token("acme", ot.Token.opaque(CASE_TOKEN))
    return keyring
