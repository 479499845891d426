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
