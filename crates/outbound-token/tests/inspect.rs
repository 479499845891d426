//! `inspect`: one crafted message per finding, the shared nested-message case, and redaction.

use std::time::{Duration, SystemTime};

use outbound_token::inspect::{Code, InspectOptions, Severity, inspect};
use outbound_token::{DEFAULT_GRACE, Keyring, Policy, Token, VerdictKind, verify};

const ACME: &str = "otk_test_7Qm2VwXr9LpZ4sKd";

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000)
}

fn keyring() -> Keyring {
    let mut keyring = Keyring::new();
    keyring.add_tenant("acme", None).unwrap();
    keyring
        .add_token("acme", &Token::import(ACME).unwrap(), t0())
        .unwrap();
    keyring
}

/// A message with `fields` on top of a plain header, and `body`.
fn message(fields: &str, body: &str) -> Vec<u8> {
    format!("{fields}From: a@acme.example\r\nTo: b@example.org\r\nSubject: s\r\n\r\n{body}")
        .into_bytes()
}

fn codes(message: &[u8], options: &InspectOptions<'_>) -> Vec<(Code, Severity)> {
    let report = inspect(message, options);
    for finding in &report.findings {
        assert!(
            !finding.message.contains(&ACME[4..20]),
            "token shown in {:?}",
            finding.message
        );
    }
    report
        .findings
        .iter()
        .map(|f| (f.code, f.severity))
        .collect()
}

#[test]
fn each_token_field_finding_has_a_crafted_message() {
    let keyring = keyring();
    let options = InspectOptions::new()
        .with_keyring(&keyring)
        .with_clock(t0());
    let native = Token::generate().unwrap();
    let rows: Vec<(String, Code, Severity)> = vec![
        (
            format!("X-Vipre-Tenant-Key: {ACME}\r\n"),
            Code::TokenPresent,
            Severity::Info,
        ),
        (String::new(), Code::TokenMissing, Severity::Error),
        (
            format!("X-Vipre-Tenant-Key: {ACME}\r\nX-Vipre-Tenant-Key: {ACME}\r\n"),
            Code::TokenRepeated,
            Severity::Error,
        ),
        (
            format!("X-Vipre-Tenant-Key:\r\n {ACME}\r\n"),
            Code::TokenFolded,
            Severity::Warning,
        ),
        (
            format!("X-Vipre-Tenant-Key:   {ACME} \r\n"),
            Code::ValueWhitespace,
            Severity::Warning,
        ),
        (
            format!("X-Vipre-Tenant-Key: \"{ACME}\"\r\n"),
            Code::ValueQuoted,
            Severity::Error,
        ),
        (
            format!("X-Vipre-Tenant-Key: {ACME}\u{200B}\r\n"),
            Code::ValueInvisible,
            Severity::Error,
        ),
        (
            format!("X-Vipre-Tenant-Key: \u{00A0}{ACME}\r\n"),
            Code::ValueInvisible,
            Severity::Error,
        ),
        (
            "X-Vipre-Tenant-Key: otk_short\r\n".to_owned(),
            Code::TokenMalformed,
            Severity::Error,
        ),
        (
            format!("X-Vipre-Tenant-Key: {}\r\n", native.expose_secret()),
            Code::TokenWellFormed,
            Severity::Info,
        ),
        (
            format!("X-Vipre-Tenant-Key: {}\r\n", native.expose_secret()),
            Code::TokenUnknown,
            Severity::Error,
        ),
        (
            format!("X-Vipre-Tenant-Key: {ACME}\r\n"),
            Code::TokenOpaque,
            Severity::Info,
        ),
        (
            format!("X-Vipre-Tenant-Key: {ACME}\r\n"),
            Code::TokenKnown,
            Severity::Info,
        ),
    ];
    for (fields, code, severity) in rows {
        let found = codes(&message(&fields, "hi\r\n"), &options);
        assert!(
            found.contains(&(code, severity)),
            "{fields:?}: want {code:?}, got {found:?}"
        );
    }
}

#[test]
fn one_space_or_none_after_the_colon_is_not_padding() {
    for (line, padded) in [
        (format!("X-Vipre-Tenant-Key: {ACME}\r\n"), false),
        (format!("X-Vipre-Tenant-Key:{ACME}\r\n"), false),
        (format!("X-Vipre-Tenant-Key:  {ACME}\r\n"), true),
        (format!("X-Vipre-Tenant-Key:\t{ACME}\r\n"), true),
        (format!("X-Vipre-Tenant-Key: {ACME}\t\r\n"), true),
    ] {
        let found = codes(&message(&line, ""), &InspectOptions::new());
        assert_eq!(
            found.iter().any(|(c, _)| *c == Code::ValueWhitespace),
            padded,
            "{line:?}"
        );
    }
}

#[test]
fn retiring_and_expired_tokens_are_reported() {
    let mut keyring = keyring();
    keyring
        .rotate("acme", &Token::generate().unwrap(), t0(), DEFAULT_GRACE)
        .unwrap();
    let m = message(&format!("X-Vipre-Tenant-Key: {ACME}\r\n"), "hi\r\n");
    let at = |secs| {
        InspectOptions::new()
            .with_keyring(&keyring)
            .with_clock(t0() + Duration::from_secs(secs))
    };
    assert!(codes(&m, &at(60)).contains(&(Code::TokenRetiring, Severity::Warning)));
    assert!(
        codes(&m, &at(DEFAULT_GRACE.as_secs() + 1))
            .contains(&(Code::TokenExpired, Severity::Error))
    );
    assert_eq!(inspect(&m, &at(60)).tenant.as_deref(), Some("acme"));
}

#[test]
fn near_miss_names_are_reported() {
    let rows: &[(&str, Code)] = &[
        ("X-Vipre-Tenant-Keys: v\r\n", Code::NameNearMiss),
        ("X-Vipre-Tenant-Ke: v\r\n", Code::NameNearMiss),
        ("X-Vipre-Tenent-Key: v\r\n", Code::NameNearMiss),
        ("X_Vipre-Tenant-Key: v\r\n", Code::NameNearMiss),
        ("X-Vipre Tenant-Key: v\r\n", Code::NameHasSpace),
        ("X-Vipre-Tenant-\u{212A}ey: v\r\n", Code::NameLookAlike),
        ("\u{0425}-Vipre-Tenant-Key: v\r\n", Code::NameLookAlike),
        ("X-Vipre-Tenant-Key\u{FF1A} v\r\n", Code::NameLookAlike),
    ];
    for (line, code) in rows {
        // After a valid first field, so that a stray line ends the header where the near miss is.
        let m = message(&format!("Received: x\r\n{line}"), "hi\r\n");
        let found = codes(&m, &InspectOptions::new());
        assert!(
            found.iter().any(|(c, _)| c == code),
            "{line:?}: want {code:?}, got {found:?}"
        );
    }
    // Names farther away are not near misses.
    for line in [
        "X-Vipre-Tenant: v\r\n",
        "X-Vipre-Tenant-Key-Previous: v\r\n",
        "Subject2: v\r\n",
    ] {
        let found = codes(&message(line, ""), &InspectOptions::new());
        assert!(
            !found.iter().any(|(c, _)| *c == Code::NameNearMiss),
            "{line:?}: {found:?}"
        );
    }
}

#[test]
fn a_token_line_after_a_stray_line_is_reported() {
    let m = format!("X-Vipre-Tenant-Key: {ACME}\r\nstray\r\nX-Vipre-Tenant-Key: {ACME}\r\n\r\n");
    let found = codes(m.as_bytes(), &InspectOptions::new());
    assert!(
        found.contains(&(Code::TokenAfterStrayLine, Severity::Error)),
        "{found:?}"
    );
}

#[test]
fn signatures_that_cover_the_token_header_are_reported() {
    let signed = "DKIM-Signature: v=1; a=rsa-sha256; d=acme.example; s=s1;\r\n h=From:To:Subject:x-vipre-tenant-key; bh=abc=; b=def=\r\n";
    let arc = "ARC-Message-Signature: i=1; a=rsa-sha256; d=relay.example;\r\n h=from : X-Vipre-Tenant-Key : to; b=xyz\r\n";
    let unrelated = "DKIM-Signature: v=1; d=acme.example; h=From:To:X-Vipre-Tenant-Keys; b=x\r\n";
    let token = format!("X-Vipre-Tenant-Key: {ACME}\r\n");
    for (fields, expected) in [(signed, true), (arc, true), (unrelated, false)] {
        let found = codes(
            &message(&format!("{fields}{token}"), "hi\r\n"),
            &InspectOptions::new(),
        );
        let has = found.contains(&(Code::SignatureCoversToken, Severity::Warning));
        assert_eq!(has, expected, "{fields:?}: {found:?}");
    }
    let report = inspect(
        &message(&format!("{signed}{token}"), ""),
        &InspectOptions::new(),
    );
    let finding = report
        .findings
        .iter()
        .find(|f| f.code == Code::SignatureCoversToken)
        .unwrap();
    assert!(
        finding.message.contains("d=acme.example"),
        "{}",
        finding.message
    );
}

#[test]
fn leaks_in_decoded_bodies_and_attached_headers_are_reported() {
    let token = format!("X-Vipre-Tenant-Key: {ACME}\r\n");
    let b64 = "b3RrX3Rlc3RfN1FtMlZ3WHI5THBaNHNLZA=="; // base64 of the token
    let multipart = |part: &str| {
        message(
            &format!(
                "{token}MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n"
            ),
            &format!("--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\n{part}\r\n--b--\r\n"),
        )
    };
    let rows: Vec<(String, Vec<u8>, Severity)> = vec![
        (
            "plain body".into(),
            message(&token, &format!("the key is {ACME}\r\n")),
            Severity::Error,
        ),
        (
            "base64 part".into(),
            multipart(&format!(
                "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}"
            )),
            Severity::Error,
        ),
        (
            "quoted-printable part".into(),
            multipart(&format!(
                "Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nkey: {}=\r\n{}",
                &ACME[..10],
                &ACME[10..]
            )),
            Severity::Error,
        ),
    ];
    for (what, m, severity) in rows {
        let found = codes(&m, &InspectOptions::new());
        assert!(
            found.contains(&(Code::TokenInBody, severity)),
            "{what}: {found:?}"
        );
    }

    let attached_same = multipart(&format!(
        "Content-Type: message/rfc822\r\n\r\nFrom: x\r\n{token}\r\ninner\r\n"
    ));
    let found = codes(&attached_same, &InspectOptions::new());
    assert!(
        found.contains(&(Code::TokenFieldInAttachment, Severity::Error)),
        "{found:?}"
    );

    let clean = multipart("Content-Type: text/plain\r\n\r\nnothing here");
    let found = codes(&clean, &InspectOptions::new());
    assert!(
        !found
            .iter()
            .any(|(c, _)| matches!(c, Code::TokenInBody | Code::TokenFieldInAttachment)),
        "{found:?}"
    );
}

#[test]
fn shared_case_29_reports_the_nested_token_fields() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/cases/29-token-field-inside-nested-message.eml"
    );
    let m = std::fs::read(path).unwrap();
    let keyring = keyring();
    let report = inspect(
        &m,
        &InspectOptions::new()
            .with_keyring(&keyring)
            .with_clock(t0()),
    );
    let nested: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == Code::TokenFieldInAttachment)
        .collect();
    assert_eq!(nested.len(), 2, "{:?}", report.findings);
    assert!(
        nested[0].message.contains("attached message"),
        "{}",
        nested[0].message
    );
    assert!(
        nested[1].message.contains("text/rfc822-headers"),
        "{}",
        nested[1].message
    );
    assert!(nested.iter().all(|f| f.severity == Severity::Warning));
    assert!(report.has(Code::TokenKnown));
    assert_eq!(report.token_fields, 1);
    assert!(report.is_ok());
}

#[test]
fn verify_can_reject_a_token_that_appears_elsewhere() {
    let keyring = keyring();
    let leaked = message(
        &format!("X-Vipre-Tenant-Key: {ACME}\r\n"),
        &format!("psst: {ACME}\r\n"),
    );
    let lenient = verify(&leaked, &keyring, &Policy::new());
    assert_eq!(lenient.verdict.kind(), VerdictKind::Authenticated);
    let strict = verify(
        &leaked,
        &keyring,
        &Policy::new().with_reject_elsewhere(true),
    );
    assert_eq!(strict.verdict.kind(), VerdictKind::Ambiguous);
    assert_eq!(strict.stripped.removed(), 1);

    let clean = message(
        &format!("X-Vipre-Tenant-Key: {ACME}\r\n"),
        "nothing here\r\n",
    );
    let strict = verify(&clean, &keyring, &Policy::new().with_reject_elsewhere(true));
    assert_eq!(strict.verdict.kind(), VerdictKind::Authenticated);
}

#[test]
fn every_code_has_a_distinct_stable_name_that_reads_back() {
    let names: std::collections::HashSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(names.len(), Code::ALL.len());
    assert_eq!(Code::ALL.len(), 21);
    for code in Code::ALL {
        assert!(
            code.as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{code:?}"
        );
        assert_eq!(Code::from_name(code.as_str()), Some(*code));
    }
    assert_eq!(Code::from_name("token-repeat"), None);
}
