"""inspect: the Severity enum, findings and report, keyring and clock, redaction and types."""

from __future__ import annotations

import datetime

import pytest

import outbound_token as ot
from conftest import CASE_TOKEN, CASES_DIR

UTC = datetime.timezone.utc
T0 = datetime.datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)
BODY = b"From: a@acme.example\r\nTo: b@example.org\r\nSubject: s\r\n\r\nhi\r\n"
FIELD = f"{ot.DEFAULT_HEADER}: {CASE_TOKEN}\r\n".encode()
# The part of the token that no finding may show (its redacted form shows the last four).
SECRET_PART = CASE_TOKEN[4:20]


def assert_redacted(report: ot.Report) -> None:
    for finding in report.findings:
        assert SECRET_PART not in finding.message
        assert SECRET_PART not in repr(finding)
    assert SECRET_PART not in repr(report)


def test_severity_enum() -> None:
    assert [member.name for member in ot.Severity] == ["INFO", "WARNING", "ERROR"]
    for member in ot.Severity:
        assert member.value == member.name.lower()
        assert member == member.value
        assert ot.Severity(member.value) is member
    assert ot.Severity.__module__ == "outbound_token"
    assert issubclass(ot.Severity, str)


def test_repeated_header_is_an_error() -> None:
    report = ot.inspect(FIELD + FIELD + BODY)
    assert report.has("token-repeated")
    repeated = [finding for finding in report.findings if finding.code == "token-repeated"]
    assert len(repeated) == 1
    assert repeated[0].severity is ot.Severity.ERROR
    assert ot.DEFAULT_HEADER in repeated[0].message
    assert report.severity is ot.Severity.ERROR
    assert report.ok is False
    assert report.token_fields == 2
    assert report.tenant is None
    # Most severe first.
    assert report.findings[0].severity is ot.Severity.ERROR
    assert_redacted(report)


def test_clean_message_with_a_keyring(case_keyring: ot.Keyring) -> None:
    report = ot.inspect(FIELD + BODY, case_keyring, now=T0)
    assert report.has("token-present") and report.has("token-known")
    known = [finding for finding in report.findings if finding.code == "token-known"]
    assert [finding.severity for finding in known] == [ot.Severity.INFO]
    assert "acme" in known[0].message
    assert report.tenant == "acme"
    assert report.token_fields == 1
    assert report.ok is True
    assert report.severity is ot.Severity.INFO
    assert not report.has("token-unknown")
    assert not report.has("token-repeated")
    assert_redacted(report)


def test_without_a_keyring_nothing_is_said_of_tenants() -> None:
    report = ot.inspect(FIELD + BODY)
    assert report.ok and report.tenant is None
    assert not report.has("token-known") and not report.has("token-unknown")


def test_unknown_token_and_missing_field(case_keyring: ot.Keyring) -> None:
    other = ot.Token.generate().expose_secret()
    report = ot.inspect(f"{ot.DEFAULT_HEADER}: {other}\r\n".encode() + BODY, keyring=case_keyring)
    assert report.has("token-unknown") and report.has("token-well-formed")
    assert report.ok is False and report.tenant is None
    for finding in report.findings:
        assert other[4:-4] not in finding.message

    report = ot.inspect(BODY, case_keyring)
    assert report.has("token-missing") and report.token_fields == 0 and not report.ok


def test_retiring_token_and_the_clock() -> None:
    keyring = ot.Keyring()
    keyring.add_tenant("acme")
    keyring.add_token("acme", ot.Token.opaque(CASE_TOKEN), now=T0)
    keyring.rotate("acme", ot.Token.generate(), now=T0, grace_hours=1)
    message = FIELD + BODY

    report = ot.inspect(message, keyring, now=T0 + datetime.timedelta(minutes=30))
    assert report.has("token-retiring") and report.ok and report.severity is ot.Severity.WARNING
    assert report.tenant == "acme"

    report = ot.inspect(message, keyring, now=T0 + datetime.timedelta(hours=2))
    assert report.has("token-expired") and not report.ok


def test_another_header() -> None:
    report = ot.inspect(f"X-Other-Key: {CASE_TOKEN}\r\n".encode() + BODY, header="X-Other-Key")
    assert report.has("token-present") and report.token_fields == 1
    with pytest.raises(ot.InvalidHeaderNameError):
        ot.inspect(BODY, header="Bad Name")


def test_shared_case_29_reports_two_nested_token_fields(case_keyring: ot.Keyring) -> None:
    message = (CASES_DIR / "29-token-field-inside-nested-message.eml").read_bytes()
    report = ot.inspect(message, case_keyring, now=T0)
    nested = [finding for finding in report.findings if finding.code == "token-field-in-attachment"]
    assert [finding.severity for finding in nested] == [ot.Severity.WARNING, ot.Severity.WARNING]
    assert "attached message" in nested[0].message
    assert "text/rfc822-headers" in nested[1].message
    assert report.has("token-known") and report.tenant == "acme" and report.ok
    assert_redacted(report)
    for finding in report.findings:
        assert "InnerJournal" not in finding.message and "InnerNDRHeader" not in finding.message


def test_every_buffer_kind_gives_the_same_report(case_keyring: ot.Keyring) -> None:
    message = FIELD + FIELD + BODY
    expected = [(f.code, f.severity, f.message) for f in ot.inspect(message, case_keyring, now=T0).findings]
    for data in (bytearray(message), memoryview(message)):
        report = ot.inspect(data, case_keyring, now=T0)
        assert [(f.code, f.severity, f.message) for f in report.findings] == expected


def test_reprs() -> None:
    report = ot.inspect(FIELD + FIELD + BODY)
    finding = next(finding for finding in report.findings if finding.code == "token-repeated")
    assert repr(finding) == f"Finding(code='token-repeated', severity=Severity.ERROR, message={finding.message!r})"
    assert repr(report).startswith("Report(severity=Severity.ERROR, ok=False, codes=['token-repeated'")
    assert repr(report).endswith("token_fields=2, tenant=None)")


def test_wrong_types_raise_type_error(case_keyring: ot.Keyring) -> None:
    for value, type_name in ((BODY.decode(), "str"), (None, "NoneType"), (1, "int"), ([1], "list")):
        message = f"message must be bytes, bytearray or memoryview, not {type_name}"
        with pytest.raises(TypeError, match=f"^{message}$"):
            ot.inspect(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ot.inspect(BODY, keyring="acme")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ot.inspect(BODY, header=b"X-Vipre-Tenant-Key")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="naive datetime"):
        ot.inspect(BODY, case_keyring, now=datetime.datetime(2026, 6, 1))
    with pytest.raises(TypeError):
        ot.inspect(BODY, case_keyring, now=1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ot.inspect(BODY).has(1)  # type: ignore[arg-type]


def test_has_rejects_a_misspelled_code() -> None:
    report = ot.inspect(b"To: b\r\n\r\n")
    assert report.has("token-missing")
    with pytest.raises(ValueError, match="no finding code"):
        report.has("token-repeat")
