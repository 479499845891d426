//! Reading the messages named on the command line: files, directories, mbox files and stdin.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::CliError;

/// One message to work on, with a name to report it by.
pub(crate) struct Message {
    /// The file name, `-` for stdin, with `#N` (1-based) for the Nth message of an mbox file.
    pub(crate) name: String,
    /// The file the message came from and, for an mbox file, its number in it.
    pub(crate) source: (PathBuf, Option<usize>),
    pub(crate) bytes: Vec<u8>,
}

/// Expands `args` into the list of input files: `-` or nothing means stdin, a directory means
/// every regular file in it (sorted, not recursive, hidden files skipped).
pub(crate) fn expand(args: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    if args.is_empty() {
        return Ok(vec![PathBuf::from("-")]);
    }
    let mut files = Vec::new();
    for arg in args {
        if arg.as_os_str() != "-" && arg.is_dir() {
            let mut entries: Vec<PathBuf> = fs::read_dir(arg)
                .map_err(|e| CliError::io(arg, &e))?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_file())
                .filter(|path| {
                    !path
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            entries.sort();
            files.extend(entries);
        } else {
            files.push(arg.clone());
        }
    }
    Ok(files)
}

/// Reads one file (or stdin for `-`) whole.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::io(path, &e))?;
    } else {
        bytes = fs::read(path).map_err(|e| CliError::io(path, &e))?;
    }
    Ok(bytes)
}

/// Reads `path` as one message, or as a batch when it is an mbox file: one whose first line is
/// an mbox envelope line (`From `) and that holds more than one message.
pub(crate) fn read_messages(path: &Path) -> Result<Vec<Message>, CliError> {
    let bytes = read(path)?;
    let display = path.display().to_string();
    let starts = mbox_starts(&bytes);
    if starts.len() <= 1 {
        return Ok(vec![Message {
            name: display,
            source: (path.to_owned(), None),
            bytes,
        }]);
    }
    let mut messages = Vec::with_capacity(starts.len());
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(bytes.len());
        let chunk = bytes.get(start..end).unwrap_or_default();
        messages.push(Message {
            name: format!("{display}#{}", i + 1),
            source: (path.to_owned(), Some(i + 1)),
            bytes: chunk.to_vec(),
        });
    }
    Ok(messages)
}

/// Offsets of the envelope lines of an mbox file: `From ` at offset 0 and after every empty line.
///
/// Limitation: mboxrd `>From ` quoting in bodies is left as it is (a relay forwards the bytes it
/// was given); the envelope line stays at the head of each message, where the scanner skips it
/// (HEADER-RULES E1).
fn mbox_starts(bytes: &[u8]) -> Vec<usize> {
    if !bytes.starts_with(b"From ") {
        return Vec::new();
    }
    let mut starts = vec![0];
    for pattern in [&b"\n\nFrom "[..], &b"\n\r\nFrom "[..]] {
        let finder = memchr::memmem::find_iter(bytes, pattern);
        starts.extend(finder.map(|at| at + pattern.len() - b"From ".len()));
    }
    starts.sort_unstable();
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mbox_splits_after_empty_lines_only() {
        let mbox = b"From a@x Mon\nTo: b\n\nbody From x\nFrom b@x Tue\r\nTo: c\r\n\r\nFrom c@x Wed\nTo: d\n";
        let starts = mbox_starts(mbox);
        assert_eq!(starts.len(), 2);
        assert_eq!(&mbox[starts[1]..starts[1] + 8], b"From c@x");
        assert!(mbox_starts(b"To: b\n\nFrom x\n").is_empty());
    }
}
