//! The shared real-world cases (`tests/data/cases`, copied from the project's case corpus): each
//! message's tokens must equal the manifest, and its stripped bytes the `.stripped.eml` file.

use std::fs;
use std::path::{Path, PathBuf};

use std::time::SystemTime;

use outbound_token::{DEFAULT_HEADER, Keyring, Policy, Token, find, strip, verify};
use serde_json::Value;

struct Case {
    name: String,
    tokens: Vec<Vec<u8>>,
    verdict: String,
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cases")
}

fn cases() -> Vec<Case> {
    let manifest = fs::read_to_string(data_dir().join("MANIFEST.jsonl")).unwrap();
    let cases: Vec<Case> = manifest
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let entry: Value = serde_json::from_str(line).unwrap();
            // Tokens are written as Latin-1 text so that any byte survives JSON.
            let latin1 = |v: &Value| {
                v.as_str()
                    .unwrap()
                    .chars()
                    .map(|c| u8::try_from(c).unwrap())
                    .collect()
            };
            Case {
                name: entry["case"].as_str().unwrap().to_owned(),
                tokens: entry["tokens"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(latin1)
                    .collect(),
                verdict: entry["verdict"].as_str().unwrap().to_owned(),
            }
        })
        .collect();
    assert!(
        cases.len() >= 17,
        "the case corpus is missing or empty: {} cases",
        cases.len()
    );
    cases
}

fn read(case: &Case, suffix: &str) -> Vec<u8> {
    fs::read(data_dir().join(format!("{}{suffix}", case.name))).unwrap()
}

#[test]
fn every_case_finds_the_manifest_tokens() {
    for case in cases() {
        let message = read(&case, ".eml");
        let found: Vec<Vec<u8>> = find(&message, DEFAULT_HEADER)
            .unwrap()
            .iter()
            .map(|f| f.token().into_owned())
            .collect();
        assert_eq!(found, case.tokens, "case {}", case.name);
    }
}

#[test]
fn every_case_strips_to_the_expected_bytes() {
    for case in cases() {
        let message = read(&case, ".eml");
        let expected = read(&case, ".stripped.eml");
        let stripped = strip(&message, DEFAULT_HEADER).unwrap();
        assert_eq!(stripped.to_vec(), expected, "case {}", case.name);
        assert_eq!(stripped.len(), expected.len(), "case {}", case.name);
        assert_eq!(stripped.removed(), case.tokens.len(), "case {}", case.name);

        let mut written = Vec::new();
        stripped.write_to(&mut written).unwrap();
        assert_eq!(written, expected, "case {}", case.name);

        // S3: idempotent.
        assert_eq!(
            strip(&expected, DEFAULT_HEADER).unwrap().to_vec(),
            expected,
            "case {}",
            case.name
        );
    }
}

/// The manifest's verdicts are against a keyring where tenant `acme` holds one opaque token.
fn case_keyring() -> Keyring {
    let mut keyring = Keyring::new();
    keyring.add_tenant("acme", Some("Acme Corp")).unwrap();
    let token = Token::import("otk_test_7Qm2VwXr9LpZ4sKd").unwrap();
    keyring
        .add_token("acme", &token, SystemTime::now())
        .unwrap();
    keyring
}

#[test]
fn every_case_has_the_manifest_verdict_and_strips_whatever_the_verdict() {
    let keyring = case_keyring();
    for case in cases() {
        let message = read(&case, ".eml");
        let result = verify(&message, &keyring, &Policy::new());
        assert_eq!(
            result.verdict.kind().as_str(),
            case.verdict,
            "case {}",
            case.name
        );
        if case.verdict == "authenticated" {
            assert_eq!(result.verdict.tenant(), Some("acme"), "case {}", case.name);
        }
        // V5: the stripped message drops every token field, whatever the verdict.
        assert_eq!(
            result.stripped.to_vec(),
            read(&case, ".stripped.eml"),
            "case {}",
            case.name
        );
    }
}
