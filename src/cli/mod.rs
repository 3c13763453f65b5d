//! The command line: clap definitions, and the dispatch from each
//! subcommand to the library. Exit codes: 0 clean, 1 the content has
//! errors, 2 usage or I/O failure.

mod report;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use candor::{Diagnostic, Limits, Options, Outcome};

/// Turn one structured case file into every document that explains a decision.
#[derive(Debug, Parser)]
#[command(name = "candor", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human, global = true)]
    format: Format,

    /// Fail (exit 1) on warnings as well as errors.
    #[arg(long, global = true)]
    deny_warnings: bool,

    /// The largest file candor reads, in bytes.
    #[arg(long, value_name = "BYTES", global = true, default_value_t = Limits::default().max_file_bytes)]
    max_file_size: u64,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate cases and render them in memory; write nothing.
    Check {
        /// The repository, or case files in it (default: the current directory).
        paths: Vec<PathBuf>,
    },
    /// Render every case into every document kind.
    Build {
        /// The repository, or case files in it (default: the current directory).
        paths: Vec<PathBuf>,
        /// Where to write the documents (default: `out/` in the repository).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Render one document of one case to standard output.
    Render {
        /// A case id, or the path of a case file.
        case: String,
        /// The document kind, such as `employee-memo` or `public-statement`.
        #[arg(long, value_name = "KIND")]
        doc: String,
        /// The repository (default: the current directory).
        #[arg(long, value_name = "DIR", default_value = ".")]
        repo: PathBuf,
    },
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people: a snippet of the file with a caret, in colour on a terminal.
    Human,
    /// One JSON object per line per diagnostic.
    Json,
    /// GitHub Actions workflow commands, annotating the exact line.
    Github,
}

/// Parses the command line, runs it, and returns the exit code.
pub(crate) fn run() -> ExitCode {
    let cli = Cli::parse();
    let options = Options {
        limits: Limits {
            max_file_bytes: cli.max_file_size,
            ..Limits::default()
        },
    };
    let result = match &cli.command {
        Command::Check { paths } => candor::check(paths, options).map(|outcome| (outcome, None)),
        Command::Build { paths, out } => candor::build(paths, options).map(|o| {
            let out = out.clone().unwrap_or_else(|| {
                if o.root == std::path::Path::new(".") {
                    PathBuf::from("out")
                } else {
                    o.root.join("out")
                }
            });
            (o, Some(out))
        }),
        Command::Render { case, doc, repo } => {
            candor::render_one(repo, case, doc, options).map(|o| (o, None))
        }
    };
    let (outcome, out) = match result {
        Ok(done) => done,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };

    let stdout_is_document = matches!(cli.command, Command::Render { .. });
    print_diagnostics(&outcome.diagnostics, cli.format, stdout_is_document);
    let failed = outcome.has_errors() || (cli.deny_warnings && !outcome.diagnostics.is_empty());
    if failed {
        return ExitCode::from(1);
    }

    match &cli.command {
        Command::Check { .. } => {
            if cli.format == Format::Human {
                eprintln!("{}", summary(&outcome, "checked"));
            }
        }
        Command::Build { .. } => {
            let out = out.unwrap_or_else(|| PathBuf::from("out"));
            match candor::write(&out, &outcome.documents) {
                Ok(written) => {
                    if cli.format == Format::Human {
                        eprintln!(
                            "{}; wrote {} to {} ({} unchanged)",
                            summary(&outcome, "built"),
                            plural(written.written.len(), "file"),
                            out.display(),
                            written.unchanged.len()
                        );
                    }
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::from(2);
                }
            }
        }
        Command::Render { .. } => {
            let mut stdout = io::stdout().lock();
            for document in &outcome.documents {
                if stdout.write_all(document.text.as_bytes()).is_err() {
                    return ExitCode::from(2);
                }
            }
        }
    }
    ExitCode::SUCCESS
}

fn summary(outcome: &Outcome, verb: &str) -> String {
    let mut cases: Vec<&str> = outcome
        .documents
        .iter()
        .map(|d| d.case_id.as_str())
        .collect();
    cases.dedup();
    let warnings = outcome.diagnostics.len();
    let mut line = format!(
        "{verb} {} ({})",
        plural(cases.len(), "case"),
        plural(outcome.documents.len(), "document")
    );
    if warnings > 0 {
        line.push_str(&format!(", {}", plural(warnings, "warning")));
    }
    line
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], format: Format, stdout_is_document: bool) {
    let stderr = io::stderr();
    let mut stderr = stderr.lock();
    let text = match format {
        Format::Human => {
            let colour = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
            report::human(diagnostics, colour)
        }
        Format::Json => report::json(diagnostics),
        Format::Github => report::github(diagnostics),
    };
    // Machine-read formats go to stdout, unless stdout carries a document.
    if format == Format::Human || stdout_is_document {
        let _ = stderr.write_all(text.as_bytes());
    } else {
        let _ = io::stdout().lock().write_all(text.as_bytes());
    }
}
