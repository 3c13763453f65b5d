//! What candor gives shells and editors: completion scripts and manual pages
//! generated from the same clap definitions the command parses with, so they
//! can never describe options that do not exist, and the JSON Schema of its
//! files.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;

use super::Cli;

/// Prints the completion script for `shell` on standard output.
pub(super) fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "candor", &mut script);
    write_stdout(&script)
}

/// Prints the manual page of `candor` on standard output, or, with `out`,
/// writes `candor.1` and one page per subcommand (`candor-check.1`, …) there.
pub(super) fn man(out: Option<&Path>) -> Result<ExitCode, candor::Error> {
    let command = Cli::command();
    let Some(out) = out else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .map_err(|source| candor::Error::Io {
                path: "<stdout>".into(),
                source,
            })?;
        return Ok(write_stdout(&page));
    };
    let io_error = |source| candor::Error::Io {
        path: out.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(out).map_err(io_error)?;
    clap_mangen::generate_to(command, out).map_err(io_error)?;
    eprintln!("wrote the manual pages to {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// Prints the JSON Schema of one kind of file on standard output.
pub(super) fn print_schema(file: super::SchemaFile) -> ExitCode {
    use candor::schema::FileKind;
    let kind = match file {
        super::SchemaFile::Case => FileKind::Case,
        super::SchemaFile::Principle => FileKind::Principle,
        super::SchemaFile::Settings => FileKind::Settings,
        super::SchemaFile::Approval => FileKind::Approval,
    };
    let mut text = serde_json::to_string_pretty(&candor::schema::schema(kind)).unwrap_or_default();
    text.push('\n');
    write_stdout(text.as_bytes())
}

/// Writes `bytes` to standard output; exit 2 when it is closed or full.
fn write_stdout(bytes: &[u8]) -> ExitCode {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(2),
    }
}
