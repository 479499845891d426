//! The message commands: find, strip, set, verify, relay; and the token commands generate and
//! derive.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use outbound_token::{
    InspectOptions, Keyring, MasterKey, Policy, Token, VerdictKind, Verification,
};
use serde_json::json;

use crate::input::{self, Message};
use crate::{CliError, Outcome};

/// Batches at least this large get a progress bar (on a terminal only).
const PROGRESS_THRESHOLD: usize = 200;

pub(crate) fn find(header: &str, files: &[PathBuf]) -> Result<Outcome, CliError> {
    let files = input::expand(files)?;
    let prefix = files.len() > 1;
    let mut out = io::stdout().lock();
    let mut found = false;
    for path in &files {
        let message = input::read(path)?;
        for field in outbound_token::find(&message, header)? {
            found = true;
            if prefix {
                write!(out, "{}: ", path.display()).map_err(stdout_error)?;
            }
            out.write_all(&field.token())
                .and_then(|()| out.write_all(b"\n"))
                .map_err(stdout_error)?;
        }
    }
    out.flush().map_err(stdout_error)?;
    Ok(if found {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}

pub(crate) fn strip(
    header: &str,
    output: Option<&Path>,
    file: Option<&Path>,
) -> Result<Outcome, CliError> {
    let message = input::read(file.unwrap_or(Path::new("-")))?;
    let stripped = outbound_token::strip(&message, header)?;
    write_output(output, |out| stripped.write_to(out))?;
    Ok(Outcome::Success)
}

pub(crate) fn set(
    header: &str,
    value: &str,
    output: Option<&Path>,
    file: Option<&Path>,
) -> Result<Outcome, CliError> {
    let message = input::read(file.unwrap_or(Path::new("-")))?;
    let stamped = outbound_token::set_header(&message, header, value)?;
    write_output(output, |out| out.write_all(&stamped))?;
    Ok(Outcome::Success)
}

pub(crate) fn verify(
    keyring: &Path,
    policy: &Policy,
    json: bool,
    files: &[PathBuf],
) -> Result<Outcome, CliError> {
    let keyring = load_keyring(keyring)?;
    let mut out = io::stdout().lock();
    let mut all_authenticated = true;
    for path in input::expand(files)? {
        for message in input::read_messages(&path)? {
            let result = outbound_token::verify(&message.bytes, &keyring, policy);
            all_authenticated &= result.verdict.is_authenticated();
            let line = if json {
                json_line(&message, &result)
            } else {
                text_line(&message, &result)
            };
            writeln!(out, "{line}").map_err(stdout_error)?;
        }
    }
    out.flush().map_err(stdout_error)?;
    Ok(if all_authenticated {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}

pub(crate) fn relay(
    keyring: &Path,
    out_dir: &Path,
    policy: &Policy,
    files: &[PathBuf],
) -> Result<Outcome, CliError> {
    let keyring = load_keyring(keyring)?;
    fs::create_dir_all(out_dir).map_err(|e| CliError::io(out_dir, &e))?;

    let files = input::expand(files)?;
    let progress = progress_bar(files.len());
    let mut summary = Summary::default();
    let mut written = HashSet::new();
    let mut out = io::stdout().lock();
    for path in &files {
        for message in input::read_messages(path)? {
            let result = outbound_token::verify(&message.bytes, &keyring, policy);
            summary.count(&result);
            if let Some(tenant) = result.verdict.tenant() {
                let target = out_dir.join(output_name(&message, &mut written));
                let file = fs::File::create(&target).map_err(|e| CliError::io(&target, &e))?;
                let mut writer = io::BufWriter::new(file);
                result
                    .stripped
                    .write_to(&mut writer)
                    .and_then(|()| writer.flush())
                    .map_err(|e| CliError::io(&target, &e))?;
                progress
                    .suspend(|| {
                        writeln!(
                            out,
                            "relayed {} -> {} (tenant {tenant})",
                            message.name,
                            target.display()
                        )
                    })
                    .map_err(stdout_error)?;
            } else {
                let reason = result.verdict.reason().unwrap_or_default();
                progress
                    .suspend(|| {
                        writeln!(
                            out,
                            "rejected {}: {} ({reason})",
                            message.name,
                            result.verdict.kind()
                        )
                    })
                    .map_err(stdout_error)?;
            }
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    summary.print(&mut out).map_err(stdout_error)?;
    Ok(Outcome::Success)
}

pub(crate) fn inspect(
    keyring: Option<&Path>,
    header: &str,
    json: bool,
    files: &[PathBuf],
) -> Result<Outcome, CliError> {
    let keyring = keyring.map(load_keyring).transpose()?;
    let mut options = InspectOptions::new().with_header(header)?;
    if let Some(keyring) = &keyring {
        options = options.with_keyring(keyring);
    }
    let mut out = io::stdout().lock();
    let mut all_ok = true;
    for path in input::expand(files)? {
        for message in input::read_messages(&path)? {
            let report = outbound_token::inspect(&message.bytes, &options);
            all_ok &= report.is_ok();
            if json {
                let findings: Vec<_> = report
                    .findings
                    .iter()
                    .map(|f| json!({"code": f.code.as_str(), "severity": f.severity.as_str(), "message": f.message}))
                    .collect();
                let line = json!({
                    "file": message.source.0.display().to_string(),
                    "index": message.source.1,
                    "ok": report.is_ok(),
                    "token_fields": report.token_fields,
                    "tenant": report.tenant,
                    "findings": findings,
                });
                writeln!(out, "{line}").map_err(stdout_error)?;
            } else {
                let verdict = if report.is_ok() {
                    "ok"
                } else {
                    "problems found"
                };
                writeln!(out, "{}: {verdict}", message.name).map_err(stdout_error)?;
                for f in &report.findings {
                    writeln!(
                        out,
                        "  {:<7} {:<26} {}",
                        f.severity.as_str(),
                        f.code.as_str(),
                        f.message
                    )
                    .map_err(stdout_error)?;
                }
            }
        }
    }
    out.flush().map_err(stdout_error)?;
    Ok(if all_ok {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}

pub(crate) fn generate(count: usize) -> Result<Outcome, CliError> {
    let mut out = io::stdout().lock();
    for _ in 0..count {
        let token = Token::generate()?;
        writeln!(out, "{}", token.expose_secret()).map_err(stdout_error)?;
    }
    Ok(Outcome::Success)
}

pub(crate) fn derive(
    master_key_file: &Path,
    tenant: &str,
    version: u32,
) -> Result<Outcome, CliError> {
    let text = zeroize::Zeroizing::new(
        fs::read_to_string(master_key_file).map_err(|e| CliError::io(master_key_file, &e))?,
    );
    let key = MasterKey::from_hex(&text)
        .map_err(|e| CliError::new(format!("{}: {e}", master_key_file.display())))?;
    let token = Token::derive(&key, tenant, version)?;
    println!("{}", token.expose_secret());
    Ok(Outcome::Success)
}

fn load_keyring(path: &Path) -> Result<Keyring, CliError> {
    Keyring::load(path).map_err(|e| CliError::new(format!("{}: {e}", path.display())))
}

fn text_line(message: &Message, result: &Verification<'_, '_>) -> String {
    let verdict = &result.verdict;
    let mut line = format!("{}: {}", message.name, verdict.kind());
    if let Some(tenant) = verdict.tenant() {
        line.push_str(&format!(" tenant={tenant}"));
    }
    if let outbound_token::Verdict::Authenticated(auth) = verdict
        && auth.retiring
    {
        line.push_str(" (retiring token: update the provider rule)");
    }
    if let Some(reason) = verdict.reason() {
        line.push_str(&format!(" ({reason})"));
    }
    line
}

fn json_line(message: &Message, result: &Verification<'_, '_>) -> String {
    let verdict = &result.verdict;
    let retiring = match verdict {
        outbound_token::Verdict::Authenticated(auth) => Some(auth.retiring),
        _ => None,
    };
    json!({
        "file": message.source.0.display().to_string(),
        "index": message.source.1,
        "verdict": verdict.kind().as_str(),
        "tenant": verdict.tenant(),
        "retiring": retiring,
        "reason": verdict.reason(),
        "removed": result.stripped.removed(),
    })
    .to_string()
}

/// The file name a relayed message is written under: the input's own name (with the message's
/// number for an mbox), made unique within this run.
fn output_name(message: &Message, taken: &mut HashSet<String>) -> String {
    let (path, index) = &message.source;
    let stem = path
        .file_stem()
        .map_or_else(|| "stdin".to_owned(), |s| s.to_string_lossy().into_owned());
    let stem = if stem == "-" {
        "stdin".to_owned()
    } else {
        stem
    };
    let base = match index {
        Some(n) => format!("{stem}-{n}"),
        None => stem,
    };
    let mut name = format!("{base}.eml");
    let mut n = 1;
    while !taken.insert(name.clone()) {
        n += 1;
        name = format!("{base}-{n}.eml");
    }
    name
}

#[derive(Default)]
struct Summary {
    verdicts: BTreeMap<&'static str, usize>,
    tenants: BTreeMap<String, usize>,
}

impl Summary {
    fn count(&mut self, result: &Verification<'_, '_>) {
        *self
            .verdicts
            .entry(result.verdict.kind().as_str())
            .or_default() += 1;
        if let Some(tenant) = result.verdict.tenant() {
            *self.tenants.entry(tenant.to_owned()).or_default() += 1;
        }
    }

    fn print(&self, out: &mut impl Write) -> io::Result<()> {
        let total: usize = self.verdicts.values().sum();
        writeln!(out, "\nsummary: {total} message(s)")?;
        for kind in [
            VerdictKind::Authenticated,
            VerdictKind::Missing,
            VerdictKind::Unknown,
            VerdictKind::Malformed,
            VerdictKind::Ambiguous,
        ] {
            let count = self.verdicts.get(kind.as_str()).copied().unwrap_or(0);
            writeln!(out, "  {:<14} {count}", kind.as_str())?;
        }
        for (tenant, count) in &self.tenants {
            writeln!(out, "  tenant {tenant:<7} {count}")?;
        }
        Ok(())
    }
}

fn progress_bar(files: usize) -> ProgressBar {
    if files < PROGRESS_THRESHOLD {
        return ProgressBar::hidden();
    }
    // indicatif draws to stderr and hides itself when stderr is not a terminal.
    let bar = ProgressBar::new(files as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}") {
        bar.set_style(style);
    }
    bar
}

fn write_output(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    match output {
        Some(path) => {
            let file = fs::File::create(path).map_err(|e| CliError::io(path, &e))?;
            let mut writer = io::BufWriter::new(file);
            write(&mut writer)
                .and_then(|()| writer.flush())
                .map_err(|e| CliError::io(path, &e))
        }
        None => {
            let mut out = io::stdout().lock();
            write(&mut out)
                .and_then(|()| out.flush())
                .map_err(stdout_error)
        }
    }
}

fn stdout_error(error: io::Error) -> CliError {
    CliError::stdout(&error)
}
