//! The `outbound-token` binary end to end: output, exit codes, files written.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_outbound-token"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).current_dir(repo()).output().unwrap()
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("outbound-token-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn find_prints_every_token_and_exits_1_when_none() {
    let out = run(&["find", "examples/messages/header-twice.eml"]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines.iter().all(|l| l.starts_with("otk_") && l.len() == 53),
        "{lines:?}"
    );

    let out = run(&[
        "find",
        "examples/messages/no-header.eml",
        "examples/messages/lf-only.eml",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).starts_with("examples/messages/lf-only.eml: otk_"),
        "{}",
        text(&out.stdout)
    );

    let out = run(&["find", "examples/messages/no-header.eml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());

    let out = run_stdin(
        &["find", "--header", "X-Custom", "-"],
        b"X-Custom:  v1 \r\n\r\n",
    );
    assert_eq!(text(&out.stdout), "v1\n");
}

#[test]
fn strip_and_set_are_byte_exact() {
    for entry in std::fs::read_dir(repo().join("examples/messages")).unwrap() {
        let path = entry.unwrap().path();
        let input = std::fs::read(&path).unwrap();
        let out = run(&["strip", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0));
        let expected = outbound_token::strip(&input, outbound_token::DEFAULT_HEADER)
            .unwrap()
            .to_vec();
        assert_eq!(out.stdout, expected, "{}", path.display());
    }

    let dir = temp_dir("set");
    let target = dir.join("stamped.eml");
    let out = run_stdin(
        &[
            "set",
            "--value",
            "otk_value",
            "-o",
            target.to_str().unwrap(),
        ],
        b"To: b\nX-Vipre-Tenant-Key: old\n\nbody\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read(&target).unwrap(),
        b"X-Vipre-Tenant-Key: otk_value\nTo: b\n\nbody\n"
    );

    let out = run_stdin(&["set", "--value", "a\r\nBcc: x"], b"To: b\r\n\r\n");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).lines().count(),
        1,
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("invalid header field value"));
}

#[test]
fn verify_reports_each_example_and_exits_1_when_any_is_rejected() {
    let out = run(&[
        "verify",
        "--keyring",
        "examples/keyring.toml",
        "examples/messages",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let verdict = |file: &str| {
        stdout
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} missing in {stdout}"))
            .to_owned()
    };
    assert!(verdict("m365-outbound.eml").contains("authenticated tenant=acme"));
    assert!(verdict("google-workspace.eml").contains("authenticated tenant=globex"));
    assert!(verdict("header-twice.eml").contains("ambiguous"));
    assert!(verdict("no-header.eml").contains("missing"));
    assert!(verdict("unknown-tenant.eml").contains("unknown"));
    assert!(verdict("truncated-token.eml").contains("malformed"));
    // Verify prints no token, not even a redacted one.
    assert!(
        !stdout.split_whitespace().any(|w| w.starts_with("otk_")),
        "{stdout}"
    );

    let out = run(&[
        "verify",
        "--json",
        "--keyring",
        "examples/keyring.toml",
        "examples/messages/m365-outbound.eml",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["verdict"], "authenticated");
    assert_eq!(value["tenant"], "acme");
    assert_eq!(value["removed"], 1);
}

#[test]
fn relay_writes_the_stripped_authenticated_messages() {
    let dir = temp_dir("relay");
    let out = run(&[
        "relay",
        "--keyring",
        "examples/keyring.toml",
        "--out",
        dir.to_str().unwrap(),
        "examples/messages",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut written: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "forwarded-attachment.eml",
            "google-workspace.eml",
            "lf-only.eml",
            "m365-outbound.eml"
        ]
    );
    for name in &written {
        let input = std::fs::read(repo().join("examples/messages").join(name)).unwrap();
        let output = std::fs::read(dir.join(name)).unwrap();
        assert_eq!(
            output,
            outbound_token::strip(&input, outbound_token::DEFAULT_HEADER)
                .unwrap()
                .to_vec()
        );
    }
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("rejected examples/messages/header-twice.eml: ambiguous"),
        "{stdout}"
    );
    assert!(stdout.contains("authenticated  4"), "{stdout}");
    assert!(stdout.contains("tenant acme    3"), "{stdout}");
}

#[test]
fn mbox_files_are_read_as_batches() {
    let dir = temp_dir("mbox");
    let mut mbox = Vec::new();
    for name in ["m365-outbound.eml", "no-header.eml"] {
        mbox.extend_from_slice(b"From sender@example.org Wed Dec  3 10:00:00 2026\r\n");
        mbox.extend_from_slice(
            &std::fs::read(repo().join("examples/messages").join(name)).unwrap(),
        );
        mbox.extend_from_slice(b"\r\n");
    }
    let path = dir.join("batch.mbox");
    std::fs::write(&path, &mbox).unwrap();
    let out = run(&[
        "verify",
        "--keyring",
        "examples/keyring.toml",
        path.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("batch.mbox#1: authenticated tenant=acme"),
        "{stdout}"
    );
    assert!(stdout.contains("batch.mbox#2: missing"), "{stdout}");
}

#[test]
fn keyring_commands_print_a_token_once_and_never_list_it() {
    let dir = temp_dir("keyring");
    let file = dir.join("ring.toml");
    let file = file.to_str().unwrap();
    let out = run(&[
        "keyring",
        "add",
        "--keyring",
        file,
        "--tenant",
        "initech",
        "--name",
        "Initech",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let token = text(&out.stdout).trim().to_owned();
    assert!(outbound_token::Token::parse(&token).is_ok(), "{token}");

    let rotated = run(&[
        "keyring",
        "rotate",
        "--keyring",
        file,
        "--tenant",
        "initech",
        "--grace",
        "1",
    ]);
    assert_eq!(rotated.status.code(), Some(0), "{}", text(&rotated.stderr));
    let new_token = text(&rotated.stdout).trim().to_owned();
    assert_ne!(new_token, token);

    let list = run(&["keyring", "list", "--keyring", file]);
    let listed = text(&list.stdout);
    assert!(listed.contains("initech\tInitech"), "{listed}");
    assert!(listed.contains("retiring until"), "{listed}");
    assert!(listed.contains("active"), "{listed}");
    let saved = std::fs::read_to_string(file).unwrap();
    for secret in [&token, &new_token] {
        assert!(!listed.contains(&secret[4..40]) && !saved.contains(&secret[4..40]));
    }

    let retire = run(&[
        "keyring",
        "retire",
        "--keyring",
        file,
        "--tenant",
        "initech",
    ]);
    assert_eq!(retire.status.code(), Some(0));
    assert!(!text(&run(&["keyring", "list", "--keyring", file]).stdout).contains("retiring"));

    let message = format!("X-Vipre-Tenant-Key: {new_token}\r\n\r\nhi\r\n");
    let out = run_stdin(&["verify", "--keyring", file], message.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    let dup = run(&["keyring", "add", "--keyring", file, "--tenant", "initech"]);
    assert_eq!(dup.status.code(), Some(2));
    assert!(text(&dup.stderr).contains("already exists"));

    let out = run_stdin(
        &[
            "keyring",
            "add",
            "--keyring",
            file,
            "--tenant",
            "hooli",
            "--token",
            "-",
        ],
        b"otk_test_FromStdin000001\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let mut child = bin()
        .args(["generate", "--count", "200000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(&first[..4], b"otk_");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn generate_and_derive() {
    let out = run(&["generate", "--count", "3"]);
    let tokens: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(tokens.len(), 3);
    assert!(
        tokens
            .iter()
            .all(|t| outbound_token::Token::parse(t).is_ok())
    );

    let dir = temp_dir("derive");
    let key = dir.join("master.hex");
    std::fs::write(&key, format!("{}\n", "ab".repeat(32))).unwrap();
    let derive = |tenant: &str| {
        text(
            &run(&[
                "derive",
                "--master-key-file",
                key.to_str().unwrap(),
                "--tenant",
                tenant,
            ])
            .stdout,
        )
    };
    assert_eq!(derive("acme"), derive("acme"));
    assert_ne!(derive("acme"), derive("globex"));
    let master = outbound_token::MasterKey::from_hex(&"ab".repeat(32)).unwrap();
    let expected = outbound_token::Token::derive(&master, "acme", 1).unwrap();
    assert_eq!(derive("acme").trim(), expected.expose_secret());
    let bad = run(&[
        "derive",
        "--master-key-file",
        key.to_str().unwrap(),
        "--tenant",
        "two words",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("invalid tenant id"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn inspect_reports_findings_and_exits_1_on_errors() {
    let out = run(&[
        "inspect",
        "--keyring",
        "examples/keyring.toml",
        "examples/messages/m365-outbound.eml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("token-known"));

    let out = run(&["inspect", "--json", "examples/messages/header-twice.eml"]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["ok"], false);
    assert!(
        value["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "token-repeated")
    );
}

#[test]
fn errors_are_one_line_with_exit_2() {
    for args in [
        &[
            "verify",
            "--keyring",
            "/nonexistent/ring.toml",
            "examples/messages",
        ][..],
        &["find", "/nonexistent/message.eml"],
        &[
            "find",
            "--header",
            "bad name",
            "examples/messages/lf-only.eml",
        ],
        &["strip", "--bogus-flag"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        if args[1] != "--bogus-flag" {
            assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        }
    }
}
