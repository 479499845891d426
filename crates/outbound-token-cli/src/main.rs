//! `outbound-token`: find, strip and set tenant tokens; verify and relay messages; manage a
//! keyring.
//!
//! Errors are one line on stderr. Exit codes: 0 success, 1 a negative answer (no token found, a
//! message not authenticated), 2 a usage or I/O error.

mod commands;
mod input;
mod keyring_cmd;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use outbound_token::{DEFAULT_HEADER, Policy};

#[derive(Parser)]
#[command(
    name = "outbound-token",
    version,
    about = "Outbound tenant tokens for email-security relays"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print each token found, one per line (exit 1 when none is found).
    Find {
        /// The header field to look for.
        #[arg(long, default_value = DEFAULT_HEADER)]
        header: String,
        /// Messages to read; `-` or none reads stdin.
        files: Vec<PathBuf>,
    },
    /// Remove every occurrence of the header, changing no other byte.
    Strip {
        /// The header field to remove.
        #[arg(long, default_value = DEFAULT_HEADER)]
        header: String,
        /// Where to write the result (default: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The message to read; `-` or none reads stdin.
        file: Option<PathBuf>,
    },
    /// Replace every occurrence of the header with one field at the top of the header section.
    Set {
        /// The value to set, such as the tenant's token.
        #[arg(long)]
        value: String,
        /// The header field to set.
        #[arg(long, default_value = DEFAULT_HEADER)]
        header: String,
        /// Where to write the result (default: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The message to read; `-` or none reads stdin.
        file: Option<PathBuf>,
    },
    /// Verify each message's tenant token against a keyring (exit 1 when any is not authenticated).
    Verify {
        #[command(flatten)]
        policy: PolicyArgs,
        /// Write one JSON object per message instead of a line of text.
        #[arg(long)]
        json: bool,
        /// Messages, directories of messages, or mbox files; `-` or none reads stdin.
        files: Vec<PathBuf>,
    },
    /// Verify each message, write the stripped authenticated ones to a directory, list the rest.
    Relay {
        #[command(flatten)]
        policy: PolicyArgs,
        /// The directory the stripped, authenticated messages are written to.
        #[arg(long)]
        out: PathBuf,
        /// Messages, directories of messages, or mbox files; `-` or none reads stdin.
        files: Vec<PathBuf>,
    },
    /// Check messages the way an admin checks that the provider rule works (exit 1 on any error).
    Inspect {
        /// Also check the token against this keyring (tenant, active or retiring).
        #[arg(long)]
        keyring: Option<PathBuf>,
        /// The header field to check.
        #[arg(long, default_value = DEFAULT_HEADER)]
        header: String,
        /// Write one JSON object per message instead of text.
        #[arg(long)]
        json: bool,
        /// Messages, directories of messages, or mbox files; `-` or none reads stdin.
        files: Vec<PathBuf>,
    },
    /// Generate new random tokens, one per line.
    Generate {
        /// How many tokens to generate.
        #[arg(long, default_value_t = 1)]
        count: usize,
    },
    /// Derive a tenant's token from a master key (HMAC-SHA256).
    Derive {
        /// A file holding the master key as hex (at least 64 hex digits).
        #[arg(long)]
        master_key_file: PathBuf,
        /// The tenant id.
        #[arg(long)]
        tenant: String,
        /// The token version; bump it to rotate.
        #[arg(long, default_value_t = 1)]
        version: u32,
    },
    /// Manage a keyring file: tenants and the digests of their tokens.
    #[command(subcommand)]
    Keyring(keyring_cmd::KeyringCommand),
}

/// What `verify` and `relay` check messages against.
#[derive(clap::Args)]
struct PolicyArgs {
    /// The keyring file (TOML).
    #[arg(long)]
    keyring: PathBuf,
    /// Read the token from this header field.
    #[arg(long, default_value = DEFAULT_HEADER)]
    header: String,
    /// Reject retiring tokens (by default they are accepted until their not-after time).
    #[arg(long)]
    reject_retiring: bool,
    /// Reject a message whose token also appears in its body or in an attached message.
    #[arg(long)]
    reject_elsewhere: bool,
}

impl PolicyArgs {
    fn policy(&self) -> Result<Policy, CliError> {
        Ok(Policy::new()
            .with_header(&self.header)?
            .with_accept_retiring(!self.reject_retiring)
            .with_reject_elsewhere(self.reject_elsewhere))
    }
}

/// An error the CLI reports in one line; never holds a token.
#[derive(Debug)]
pub(crate) struct CliError {
    message: String,
    /// Set when writing to stdout failed because its reader went away.
    broken_pipe: bool,
}

impl CliError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            broken_pipe: false,
        }
    }

    pub(crate) fn io(path: &Path, error: &std::io::Error) -> Self {
        CliError::new(format!("{}: {error}", path.display()))
    }

    pub(crate) fn stdout(error: &std::io::Error) -> Self {
        CliError {
            message: format!("writing to stdout: {error}"),
            broken_pipe: error.kind() == std::io::ErrorKind::BrokenPipe,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<outbound_token::Error> for CliError {
    fn from(error: outbound_token::Error) -> Self {
        CliError::new(error.to_string())
    }
}

/// What a command found: success, or a negative answer (exit 1).
pub(crate) enum Outcome {
    Success,
    Negative,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Find { header, files } => commands::find(&header, &files),
        Command::Strip {
            header,
            output,
            file,
        } => commands::strip(&header, output.as_deref(), file.as_deref()),
        Command::Set {
            value,
            header,
            output,
            file,
        } => commands::set(&header, &value, output.as_deref(), file.as_deref()),
        Command::Verify {
            policy,
            json,
            files,
        } => {
            let checked = policy.policy();
            checked.and_then(|checked| commands::verify(&policy.keyring, &checked, json, &files))
        }
        Command::Relay { policy, out, files } => {
            let checked = policy.policy();
            checked.and_then(|checked| commands::relay(&policy.keyring, &out, &checked, &files))
        }
        Command::Inspect {
            keyring,
            header,
            json,
            files,
        } => commands::inspect(keyring.as_deref(), &header, json, &files),
        Command::Generate { count } => commands::generate(count),
        Command::Derive {
            master_key_file,
            tenant,
            version,
        } => commands::derive(&master_key_file, &tenant, version),
        Command::Keyring(command) => keyring_cmd::run(command),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Negative) => ExitCode::from(1),
        // A reader that stopped early (`| head`) is not an error worth a message.
        Err(error) if error.broken_pipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("outbound-token: error: {error}");
            ExitCode::from(2)
        }
    }
}
