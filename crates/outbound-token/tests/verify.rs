//! Verification: HEADER-RULES V1-V5, the rotation window and the policy options.

use std::time::{Duration, SystemTime};

use outbound_token::{
    AmbiguousReason, DEFAULT_GRACE, DEFAULT_HEADER, Keyring, Malformed, Policy, Token,
    UnknownReason, Verdict, VerdictKind, find, verify,
};

const ACME: &str = "otk_test_7Qm2VwXr9LpZ4sKd";
const ACME_2: &str = "otk_test_Second0Acme0Tok";
const GLOBEX: &str = "otk_test_Globex00000Tok1";

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000)
}

fn keyring() -> Keyring {
    let mut keyring = Keyring::new();
    keyring.add_tenant("acme", Some("Acme Corp")).unwrap();
    keyring
        .add_token("acme", &Token::import(ACME).unwrap(), t0())
        .unwrap();
    keyring
        .add_token("acme", &Token::import(ACME_2).unwrap(), t0())
        .unwrap();
    keyring.add_tenant("globex", None).unwrap();
    keyring
        .add_token("globex", &Token::import(GLOBEX).unwrap(), t0())
        .unwrap();
    keyring
}

fn message(token_lines: &[&str]) -> Vec<u8> {
    let mut m = b"From: a@example.com\r\n".to_vec();
    for line in token_lines {
        m.extend_from_slice(line.as_bytes());
        m.extend_from_slice(b"\r\n");
    }
    m.extend_from_slice(b"Subject: s\r\n\r\nbody\r\n");
    m
}

fn kind_of(token_lines: &[&str], keyring: &Keyring) -> (VerdictKind, Option<String>) {
    let m = message(token_lines);
    let result = verify(&m, keyring, &Policy::new().with_clock(t0()));
    let stripped = result.stripped.to_vec();
    assert!(
        find(&stripped, DEFAULT_HEADER).unwrap().is_empty(),
        "V5 for {token_lines:?}"
    );
    (
        result.verdict.kind(),
        result.verdict.tenant().map(str::to_owned),
    )
}

#[test]
fn v1_authenticated_only_when_every_field_is_known_and_names_one_tenant() {
    let keyring = keyring();
    let acme = format!("X-Vipre-Tenant-Key: {ACME}");
    let acme_folded = format!("x-vipre-tenant-key:\r\n\t{ACME}");
    let acme_2 = format!("X-Vipre-Tenant-Key: {ACME_2}");
    let globex = format!("X-Vipre-Tenant-Key: {GLOBEX}");
    let rows: &[(&[&str], VerdictKind, Option<&str>)] = &[
        (&[&acme], VerdictKind::Authenticated, Some("acme")),
        (&[&acme_folded], VerdictKind::Authenticated, Some("acme")),
        (&[&globex], VerdictKind::Authenticated, Some("globex")),
        (&[&acme, &acme], VerdictKind::Authenticated, Some("acme")),
        (&[&acme, &acme_2], VerdictKind::Authenticated, Some("acme")),
        (&[], VerdictKind::Missing, None),
        (&["X-Vipre-Tenant-Keys: x"], VerdictKind::Missing, None),
    ];
    for (lines, kind, tenant) in rows {
        assert_eq!(
            kind_of(lines, &keyring),
            (*kind, tenant.map(str::to_owned)),
            "{lines:?}"
        );
    }
}

#[test]
fn v2_different_tenants_or_known_with_unknown_are_ambiguous() {
    let keyring = keyring();
    let acme = format!("X-Vipre-Tenant-Key: {ACME}");
    let globex = format!("X-Vipre-Tenant-Key: {GLOBEX}");
    let unknown = "X-Vipre-Tenant-Key: otk_test_NotInTheKeyring1";
    let empty = "X-Vipre-Tenant-Key:";
    let cases: &[(&[&str], AmbiguousReason)] = &[
        (&[&acme, &globex], AmbiguousReason::DifferentTenants),
        (&[&globex, &acme], AmbiguousReason::DifferentTenants),
        (&[&acme, unknown], AmbiguousReason::ConflictingTokens),
        (&[unknown, &acme], AmbiguousReason::ConflictingTokens),
        (&[&acme, empty], AmbiguousReason::ConflictingTokens),
        (&[&acme, &acme, &globex], AmbiguousReason::DifferentTenants),
    ];
    for (lines, reason) in cases {
        let m = message(lines);
        let result = verify(&m, &keyring, &Policy::new());
        assert_eq!(result.verdict, Verdict::Ambiguous(*reason), "{lines:?}");
        assert_eq!(result.stripped.to_vec(), message(&[]), "{lines:?}");
    }
}

#[test]
fn v3_token_line_after_a_stray_line_is_ambiguous() {
    let keyring = keyring();
    let rows: &[(String, Option<AmbiguousReason>)] = &[
        (
            format!(
                "X-Vipre-Tenant-Key: {ACME}\r\nstray line\r\nX-Vipre-Tenant-Key: {ACME}\r\n\r\nbody"
            ),
            Some(AmbiguousReason::TokenAfterStrayLine),
        ),
        (
            format!("stray line\r\nX-Vipre-Tenant-Key: {ACME}\r\n\r\nbody"),
            Some(AmbiguousReason::TokenAfterStrayLine),
        ),
        (
            format!("To: b\r\nstray line\r\nx-vipre-tenant-key \t: {ACME}\r\n"),
            Some(AmbiguousReason::TokenAfterStrayLine),
        ),
        // After the first empty line a token-named line is only body text.
        (
            format!("X-Vipre-Tenant-Key: {ACME}\r\nstray\r\n\r\nX-Vipre-Tenant-Key: {GLOBEX}\r\n"),
            None,
        ),
        (
            format!("X-Vipre-Tenant-Key: {ACME}\r\nstray\r\nX-Vipre-Tenant-Keys: x\r\n\r\n"),
            None,
        ),
    ];
    for (input, expected) in rows {
        let result = verify(input.as_bytes(), &keyring, &Policy::new());
        match expected {
            Some(reason) => assert_eq!(result.verdict, Verdict::Ambiguous(*reason), "{input:?}"),
            None => assert_eq!(
                result.verdict.kind(),
                VerdictKind::Authenticated,
                "{input:?}"
            ),
        }
    }
}

#[test]
fn v4_empty_truncated_and_malformed_values_are_rejected_with_a_reason() {
    let keyring = keyring();
    let native = Token::generate().unwrap();
    let text = native.expose_secret();
    let truncated = format!("X-Vipre-Tenant-Key: {}", &text[..text.len() - 1]);
    let prefix_of_known = format!("X-Vipre-Tenant-Key: {}", &ACME[..12]);
    let rows: Vec<(String, VerdictKind)> = vec![
        ("X-Vipre-Tenant-Key:".to_owned(), VerdictKind::Malformed),
        (
            "X-Vipre-Tenant-Key:   \t".to_owned(),
            VerdictKind::Malformed,
        ),
        (truncated, VerdictKind::Malformed),
        (prefix_of_known, VerdictKind::Malformed),
        (
            "X-Vipre-Tenant-Key: otk_test 7Qm2VwXr9LpZ4sKd".to_owned(),
            VerdictKind::Malformed,
        ),
        (format!("X-Vipre-Tenant-Key: {ACME}x"), VerdictKind::Unknown),
        (format!("X-Vipre-Tenant-Key: {text}"), VerdictKind::Unknown),
    ];
    for (line, kind) in rows {
        let (got, tenant) = kind_of(&[&line], &keyring);
        assert_eq!((got, tenant), (kind, None), "{line:?}");
    }
    let m = message(&["X-Vipre-Tenant-Key:"]);
    assert_eq!(
        verify(&m, &keyring, &Policy::new()).verdict,
        Verdict::Malformed(Malformed::Empty)
    );
}

#[test]
fn v5_the_stripped_message_drops_every_token_field_whatever_the_verdict() {
    let keyring = keyring();
    let input = b"X-Vipre-Tenant-Key: a\r\nTo: b\r\nx-VIPRE-tenant-KEY :\r\n c\r\n\r\nX-Vipre-Tenant-Key: body\r\n";
    let result = verify(input, &keyring, &Policy::new());
    assert_ne!(result.verdict.kind(), VerdictKind::Authenticated);
    assert_eq!(result.stripped.removed(), 2);
    assert_eq!(
        result.stripped.to_vec(),
        b"To: b\r\n\r\nX-Vipre-Tenant-Key: body\r\n"
    );
}

#[test]
fn rotation_keeps_the_old_token_for_the_grace_period() {
    let mut keyring = keyring();
    let new = Token::generate().unwrap();
    keyring.rotate("acme", &new, t0(), DEFAULT_GRACE).unwrap();
    let old = message(&[&format!("X-Vipre-Tenant-Key: {ACME}")]);
    let fresh = message(&[&format!("X-Vipre-Tenant-Key: {}", new.expose_secret())]);
    let at = |secs: u64| Policy::new().with_clock(t0() + Duration::from_secs(secs));
    let grace = DEFAULT_GRACE.as_secs();
    assert_eq!(grace, 72 * 3600);

    let verdict = verify(&old, &keyring, &at(0)).verdict;
    assert!(
        matches!(verdict, Verdict::Authenticated(auth) if auth.tenant == "acme" && auth.retiring),
        "{verdict:?}"
    );
    assert!(
        verify(&old, &keyring, &at(grace))
            .verdict
            .is_authenticated()
    );
    assert_eq!(
        verify(&old, &keyring, &at(grace + 1)).verdict,
        Verdict::Unknown(UnknownReason::Expired)
    );
    assert_eq!(
        verify(&old, &keyring, &at(0).with_accept_retiring(false)).verdict,
        Verdict::Unknown(UnknownReason::RetiringRejected)
    );

    let verdict = verify(&fresh, &keyring, &at(grace + 1)).verdict;
    assert!(
        matches!(verdict, Verdict::Authenticated(auth) if auth.tenant == "acme" && !auth.retiring),
        "{verdict:?}"
    );
    // Old and new token of the same tenant in one message agree.
    let both = message(&[
        &format!("X-Vipre-Tenant-Key: {ACME}"),
        &format!("X-Vipre-Tenant-Key: {}", new.expose_secret()),
    ]);
    assert!(verify(&both, &keyring, &at(1)).verdict.is_authenticated());
}

#[test]
fn policy_header_name_is_checked_and_used() {
    assert!(Policy::new().with_header("X Bad").is_err());
    let keyring = keyring();
    let policy = Policy::new().with_header("X-Custom-Key").unwrap();
    let m = format!("X-Custom-Key: {ACME}\r\nX-Vipre-Tenant-Key: {GLOBEX}\r\n\r\n");
    let result = verify(m.as_bytes(), &keyring, &policy);
    assert_eq!(result.verdict.tenant(), Some("acme"));
    assert_eq!(
        result.stripped.to_vec(),
        format!("X-Vipre-Tenant-Key: {GLOBEX}\r\n\r\n").into_bytes()
    );
}

#[test]
fn reasons_never_contain_the_token() {
    let keyring = keyring();
    for line in [
        format!("X-Vipre-Tenant-Key: {ACME}"),
        "X-Vipre-Tenant-Key: otk_test_NotInTheKeyring1".to_owned(),
    ] {
        let m = message(&[&line, &format!("X-Vipre-Tenant-Key: {GLOBEX}")]);
        let verdict = verify(&m, &keyring, &Policy::new()).verdict;
        let shown = format!("{verdict:?} {}", verdict.reason().unwrap_or_default());
        for secret in [ACME, GLOBEX, "otk_test_NotInTheKeyring1"] {
            assert!(!shown.contains(&secret[9..]), "{shown}");
        }
    }
}
