//! `outbound-token keyring ...`: tenants and the digests of their tokens.
//!
//! A token is printed once, when `add` or `rotate` generates it, and never again: the keyring
//! file holds only SHA-256 digests.

use std::io::{self, BufRead};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use clap::Subcommand;
use outbound_token::{Keyring, Token};

use crate::{CliError, Outcome};

#[derive(Subcommand)]
pub(crate) enum KeyringCommand {
    /// Add a tenant (creating the keyring file if missing) with a new or given token.
    Add {
        /// The keyring file (TOML); created when missing.
        #[arg(long)]
        keyring: PathBuf,
        /// The tenant id: 1 to 64 ASCII letters, digits, '-', '_' or '.'.
        #[arg(long)]
        tenant: String,
        /// A display name for the tenant.
        #[arg(long)]
        name: Option<String>,
        /// A token issued elsewhere, or `-` to read it from stdin (safer than the command line);
        /// without it a new token is generated and printed once.
        #[arg(long)]
        token: Option<String>,
    },
    /// Give a tenant a new token; its current tokens keep working for the grace period.
    Rotate {
        /// The keyring file (TOML).
        #[arg(long)]
        keyring: PathBuf,
        /// The tenant id.
        #[arg(long)]
        tenant: String,
        /// Hours the old tokens stay accepted (provider rule changes take up to 72 hours).
        #[arg(long, default_value_t = 72)]
        grace: u64,
    },
    /// End the grace period of a tenant's retiring tokens now and remove them.
    Retire {
        /// The keyring file (TOML).
        #[arg(long)]
        keyring: PathBuf,
        /// The tenant id.
        #[arg(long)]
        tenant: String,
    },
    /// List tenants and their tokens (as redacted hints, never the tokens).
    List {
        /// The keyring file (TOML).
        #[arg(long)]
        keyring: PathBuf,
    },
}

pub(crate) fn run(command: KeyringCommand) -> Result<Outcome, CliError> {
    let now = SystemTime::now();
    match command {
        KeyringCommand::Add {
            keyring: path,
            tenant,
            name,
            token,
        } => {
            let mut keyring = if path.exists() {
                load(&path)?
            } else {
                Keyring::new()
            };
            let (token, generated) = match token {
                Some(text) => (Token::import(&read_token_arg(&text)?)?, false),
                None => (Token::generate()?, true),
            };
            keyring.add_tenant(&tenant, name.as_deref())?;
            keyring.add_token(&tenant, &token, now)?;
            save(&keyring, &path)?;
            if generated {
                println!("{}", token.expose_secret());
                eprintln!(
                    "added tenant '{tenant}': the token above is shown once, put it in the provider rule now"
                );
            } else {
                eprintln!("added tenant '{tenant}' with token {}", token.redacted());
            }
        }
        KeyringCommand::Rotate {
            keyring: path,
            tenant,
            grace,
        } => {
            let mut keyring = load(&path)?;
            let token = Token::generate()?;
            let grace = Duration::from_secs(grace.saturating_mul(3600));
            keyring.rotate(&tenant, &token, now, grace)?;
            save(&keyring, &path)?;
            println!("{}", token.expose_secret());
            eprintln!(
                "rotated tenant '{tenant}': the new token above is shown once; older tokens stay accepted for {} hours",
                grace.as_secs() / 3600
            );
        }
        KeyringCommand::Retire {
            keyring: path,
            tenant,
        } => {
            let mut keyring = load(&path)?;
            let removed = keyring.retire(&tenant)?;
            save(&keyring, &path)?;
            eprintln!("retired {removed} token(s) of tenant '{tenant}'");
        }
        KeyringCommand::List { keyring: path } => {
            let keyring = load(&path)?;
            for tenant in keyring.tenants() {
                println!("{}\t{}", tenant.id(), tenant.name().unwrap_or(""));
                for entry in tenant.tokens() {
                    let state = match entry.not_after() {
                        None => "active".to_owned(),
                        Some(at) if at < now => {
                            format!("expired {}", humantime::format_rfc3339_seconds(at))
                        }
                        Some(at) => {
                            format!("retiring until {}", humantime::format_rfc3339_seconds(at))
                        }
                    };
                    println!("  {}\t{state}", entry.hint());
                }
            }
        }
    }
    Ok(Outcome::Success)
}

/// `--token -` reads the token from the first line of stdin, so it stays out of the shell
/// history and the process list.
fn read_token_arg(text: &str) -> Result<zeroize::Zeroizing<String>, CliError> {
    if text != "-" {
        return Ok(zeroize::Zeroizing::new(text.to_owned()));
    }
    let mut line = zeroize::Zeroizing::new(String::new());
    io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::io(Path::new("-"), &e))?;
    Ok(line)
}

fn load(path: &Path) -> Result<Keyring, CliError> {
    Keyring::load(path).map_err(|e| CliError::new(format!("{}: {e}", path.display())))
}

fn save(keyring: &Keyring, path: &Path) -> Result<(), CliError> {
    keyring
        .save(path)
        .map_err(|e| CliError::new(format!("{}: {e}", path.display())))
}
