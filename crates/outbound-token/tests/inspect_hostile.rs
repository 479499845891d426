//! `inspect` and `verify(.., reject_elsewhere)` walk the MIME tree with mail-parser: hostile
//! trees must neither overflow the stack nor take more than linear time.

use outbound_token::inspect::{Code, InspectOptions, inspect};
use outbound_token::{Keyring, Policy, Token, VerdictKind, verify};

const ACME: &str = "otk_test_7Qm2VwXr9LpZ4sKd";

fn keyring() -> Keyring {
    let mut keyring = Keyring::new();
    keyring.add_tenant("acme", None).unwrap();
    keyring
        .add_token(
            "acme",
            &Token::import(ACME).unwrap(),
            std::time::SystemTime::now(),
        )
        .unwrap();
    keyring
}

/// `depth` messages, each attached (message/rfc822) to the one around it; the innermost body
/// holds the token.
fn nested(depth: usize) -> Vec<u8> {
    let mut inner = format!("Subject: inner\r\n\r\nkey {ACME}\r\n");
    for _ in 0..depth {
        inner = format!("Content-Type: message/rfc822\r\n\r\n{inner}");
    }
    format!("X-Vipre-Tenant-Key: {ACME}\r\n{inner}").into_bytes()
}

#[test]
fn deeply_nested_attached_messages_do_not_overflow() {
    let keyring = keyring();
    for depth in [10, 5_000] {
        let message = nested(depth);
        // Run on a small stack, as a relay's worker thread might have.
        let report = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || inspect(&message, &InspectOptions::new()))
            .unwrap()
            .join()
            .expect("inspect must not overflow the stack");
        assert_eq!(report.token_fields, 1, "depth {depth}");
        // Whatever depth mail-parser follows, the raw body still holds the token.
        assert!(
            report.has(Code::TokenInBody),
            "depth {depth}: {:?}",
            report.findings
        );

        let message = nested(depth);
        let verdict = verify(
            &message,
            &keyring,
            &Policy::new().with_reject_elsewhere(true),
        )
        .verdict;
        assert_eq!(verdict.kind(), VerdictKind::Ambiguous, "depth {depth}");
    }
}

#[test]
fn a_repeated_problem_is_listed_a_few_times_and_counted() {
    let mut body = String::from("--b\r\n");
    for _ in 0..1_000 {
        body.push_str(&format!(
            "Content-Type: text/plain\r\n\r\nleak {ACME}\r\n--b\r\n"
        ));
    }
    let message = format!(
        "X-Vipre-Tenant-Key: {ACME}\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n{body}"
    );
    let report = inspect(message.as_bytes(), &InspectOptions::new());
    let leaks: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == Code::TokenInBody)
        .collect();
    assert_eq!(leaks.len(), 17, "{leaks:?}");
    assert_eq!(leaks[16].message, "and 984 more findings like the above");
}

#[test]
fn many_parts_and_a_large_encoded_body_are_walked() {
    let mut body = String::from("--b\r\n");
    for i in 0..20_000 {
        body.push_str(&format!(
            "Content-Type: text/plain\r\n\r\npart {i}\r\n--b\r\n"
        ));
    }
    body.push_str("Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    body.push_str(&"QUFB".repeat(500_000));
    body.push_str("\r\n--b--\r\n");
    let message = format!(
        "X-Vipre-Tenant-Key: {ACME}\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n{body}"
    );
    let report = inspect(message.as_bytes(), &InspectOptions::new());
    assert!(report.has(Code::TokenPresent));
    assert!(!report.has(Code::TokenInBody), "{:?}", report.findings);
}

/// A message that repeats the token field `fields` times (identical, so verify still
/// authenticates) over a body of `body` bytes without the token.
fn repeated_field(fields: usize, body: usize) -> Vec<u8> {
    let mut message = format!("X-Vipre-Tenant-Key: {ACME}\r\n").repeat(fields);
    message.push_str("Content-Type: text/plain\r\n\r\n");
    message.push_str(&"otk_test_".repeat(body / 9));
    message.into_bytes()
}

#[test]
fn repeated_token_fields_do_not_multiply_the_body_search() {
    // verify once searched the whole body again for each copy of the token (over a minute in a
    // debug build), and inspect compared each distinct value with all before it.
    let message = repeated_field(20_000, 500_000);
    let keyring = keyring();
    let started = std::time::Instant::now();
    let verification = verify(
        &message,
        &keyring,
        &Policy::new().with_reject_elsewhere(true),
    );
    assert_eq!(verification.verdict.kind(), VerdictKind::Authenticated);
    let report = inspect(&message, &InspectOptions::new());
    assert_eq!(report.token_fields, 20_000);
    assert!(!report.has(Code::TokenInBody));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

/// No finding shows 8 characters of the token.
fn shows_no_token(report: &outbound_token::inspect::Report) {
    for finding in &report.findings {
        for at in 0..=ACME.len() - 8 {
            assert!(
                !finding.message.contains(&ACME[at..at + 8]),
                "{finding:?} shows {:?}",
                &ACME[at..at + 8]
            );
        }
    }
}

#[test]
fn findings_do_not_echo_a_token_from_elsewhere_in_the_message() {
    // Found by the inspect fuzz target: a signature's d= tag, a content type and a field name
    // are shown in findings, and any of them can hold the token (or a part of it), whether or
    // not the token field holds the same one.
    let signature = |domain: &str| {
        format!("DKIM-Signature: v=1; d={domain}; h=From:X-Vipre-Tenant-Key; b=x\r\n")
    };
    let cases = [
        format!(
            "{}X-Vipre-Tenant-Key: {ACME}\r\n\r\nhi\r\n",
            signature(ACME)
        ),
        format!("{}\r\nhi\r\n", signature(&format!("a{ACME}.example"))),
        format!("{}\r\nhi\r\n", signature(&ACME[9..])),
        format!("{}\r\nhi\r\n", signature(&ACME[1..9])),
        format!(
            "X-Vipre-Tenant-Key: {ACME}\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
             --b\r\nContent-Type: text/{ACME}\r\n\r\nleak {ACME}\r\n--b--\r\n"
        ),
        format!(
            "X-Vipre-Tenant-Key: {ACME}\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
             --b\r\nContent-Type: {}/x\r\n\r\nleak {ACME}\r\n--b--\r\n",
            &ACME[13..]
        ),
    ];
    for message in &cases {
        let report = inspect(message.as_bytes(), &InspectOptions::new());
        assert!(
            report.has(Code::SignatureCoversToken) || report.has(Code::TokenInBody),
            "{message:?}: {:?}",
            report.findings
        );
        shows_no_token(&report);
    }
    // A custom header name whose near misses look like the token.
    let options = InspectOptions::new().with_header("X-Key-7Qm2VwXr").unwrap();
    let report = inspect(b"X-Key-7Qm2VwXr9: v\r\n\r\n", &options);
    assert!(report.has(Code::NameNearMiss), "{:?}", report.findings);
    assert!(
        report
            .findings
            .iter()
            .all(|f| !f.message.contains("7Qm2VwXr9")),
        "{:?}",
        report.findings
    );
    // Ordinary domains are still shown, cut short and on one line.
    let long = format!("{}.example", "a".repeat(100));
    let message = format!("{}\r\nhi\r\n", signature("acme\u{1}.example"));
    let report = inspect(message.as_bytes(), &InspectOptions::new());
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.message.contains("(d=acme?.example)")),
        "{:?}",
        report.findings
    );
    let report = inspect(
        format!("{}\r\nhi\r\n", signature(&long)).as_bytes(),
        &InspectOptions::new(),
    );
    let shown = format!("(d={}…)", "a".repeat(64));
    assert!(
        report.findings.iter().any(|f| f.message.contains(&shown)),
        "{:?}",
        report.findings
    );
}

/// A nested message whose header names two content types: mail-parser 0.11.9 trips a debug
/// assertion on it. `inspect` and `verify` must neither panic nor miss the token.
#[test]
fn a_mime_shape_that_trips_a_mail_parser_assertion() {
    let message = format!(
        "X-Vipre-Tenant-Key: {ACME}\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
         Content-Type: message/rfc822\r\n\r\nContent-Type: multipart/mixed; boundary=c\r\n\
         Content-Type: message/rfc822\r\n\r\nX: {ACME}\r\n\r\n--c--\r\n--b--\r\n"
    );
    let report = inspect(message.as_bytes(), &InspectOptions::new());
    assert_eq!(report.token_fields, 1);
    assert!(report.has(Code::TokenInBody), "{:?}", report.findings);
    let keyring = keyring();
    let verdict = verify(
        message.as_bytes(),
        &keyring,
        &Policy::new().with_reject_elsewhere(true),
    )
    .verdict;
    assert_eq!(verdict.kind(), VerdictKind::Ambiguous);
}
