//! The command line: clap definitions, and the dispatch from each
//! subcommand to the library. Exit codes: 0 clean, 1 the content has
//! errors, 2 usage or I/O failure.

mod diff;
mod progress;
mod report;
mod serve;
mod shell;

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

    /// Fail (exit 1) on warnings as well as errors.
    #[arg(long, global = true)]
    deny_warnings: bool,

    /// The largest file candor reads, in bytes.
    #[arg(long, value_name = "BYTES", global = true, default_value_t = Limits::default().max_file_bytes)]
    max_file_size: u64,

    /// The deepest nesting of YAML collections candor accepts.
    #[arg(long, value_name = "LEVELS", global = true, default_value_t = Limits::default().max_depth)]
    max_depth: usize,

    /// The most YAML nodes one file may produce, aliases expanded.
    #[arg(long, value_name = "NODES", global = true, default_value_t = Limits::default().max_nodes)]
    max_nodes: usize,

    /// The most aliases one file may use.
    #[arg(long, value_name = "ALIASES", global = true, default_value_t = Limits::default().max_aliases)]
    max_aliases: usize,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate cases and render them in memory; write nothing.
    Check {
        /// The repository, or case files in it (default: the repository
        /// holding the current directory).
        paths: Vec<PathBuf>,
        /// The repository, named outright rather than found from where
        /// candor runs; PATHS are then case files in it.
        #[arg(long, value_name = "DIR")]
        repo: Option<PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Render every case into every document kind.
    Build {
        /// The repository, or case files in it (default: the repository
        /// holding the current directory).
        paths: Vec<PathBuf>,
        /// The repository, named outright rather than found from where
        /// candor runs; PATHS are then case files in it.
        #[arg(long, value_name = "DIR")]
        repo: Option<PathBuf>,
        /// Where to write the documents (default: `out/` in the repository).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Also write a standalone, print-friendly HTML page per document.
        #[arg(long)]
        html: bool,
        /// Also write a Word document (.docx) per markdown document.
        #[arg(long)]
        docx: bool,
        /// Render only the cases that may go out: approved, every sign-off
        /// holding, past any embargo. A case file named here that may not
        /// go out fails the build.
        #[arg(long)]
        publish: bool,
        /// With --publish, write the internal document kinds too; by
        /// default a publish folder holds public documents only.
        #[arg(long, requires = "publish")]
        include_internal: bool,
        /// Write nothing: compare what the build would write with the
        /// output folder, and exit 1 naming each stale, missing or
        /// left-over file.
        #[arg(long)]
        check: bool,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Sign off on a case in a role: records the digest of its documents
    /// and of everything that decides them beside the case, in
    /// cases/CASE.approvals/ROLE.yaml, signed with --key into ROLE.sig. Any
    /// later change voids it.
    Approve {
        /// A case id, or the path of a case file.
        case: String,
        /// The role signing off, from `approvals.required` in candor.yaml.
        #[arg(long)]
        role: String,
        /// Who signs off, such as "Jane Doe <jane@example.com>". With
        /// --key, the principal of the key's allowed signers entry.
        #[arg(long, value_name = "PERSON", required_unless_present = "key")]
        by: Option<String>,
        /// Sign with this SSH key (with `ssh-keygen -Y sign` when it is
        /// installed, so ssh-agent, passphrases and hardware keys work):
        /// a private key file, or the public key of one ssh-agent holds.
        #[arg(long, value_name = "PATH")]
        key: Option<PathBuf>,
        /// The repository, named outright (default: the one holding the
        /// current directory).
        #[arg(long, value_name = "DIR")]
        repo: Option<PathBuf>,
    },
    /// Render one document of one case to standard output.
    Render {
        /// A case id, or the path of a case file.
        case: String,
        /// The document kind, such as `employee-memo` or `public-statement`.
        #[arg(long, value_name = "KIND")]
        doc: String,
        /// The repository, named outright (default: the one holding the
        /// current directory).
        #[arg(long, value_name = "DIR")]
        repo: Option<PathBuf>,
        /// How to print diagnostics (on standard error).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Show which principles and findings justify each action, and which
    /// documents cite each item.
    Trace {
        /// A case id, or the path of a case file.
        case: String,
        /// The repository, named outright (default: the one holding the
        /// current directory).
        #[arg(long, value_name = "DIR")]
        repo: Option<PathBuf>,
        /// How to print the trace.
        #[arg(long, value_enum, default_value_t = TraceFormat::Table)]
        format: TraceFormat,
    },
    /// Show, document by document, what changed in a case's rendered text
    /// since an earlier version, word by word.
    Diff {
        /// A case id, or the path of a case file.
        case: String,
        /// The git revision to compare with, such as `HEAD`, `main` or a
        /// commit id.
        #[arg(long, value_name = "REV")]
        against: Option<String>,
        /// The repository, named outright (default: the one holding the
        /// current directory).
        #[arg(long, value_name = "DIR")]
        repo: Option<PathBuf>,
        /// How to print the changes.
        #[arg(long, value_enum, default_value_t = DiffFormat::Terminal)]
        format: DiffFormat,
        /// With --format docx, the folder to write the Word documents into.
        #[arg(long, value_name = "DIR", required_if_eq("format", "docx"))]
        out: Option<PathBuf>,
        /// Exit 1 when any document changed, was added or was removed.
        #[arg(long)]
        exit_code: bool,
    },
    /// Print, as JSON, exactly the data a document kind's template receives.
    Context {
        /// A case id, or the path of a case file.
        case: String,
        /// The document kind.
        #[arg(long, value_name = "KIND")]
        doc: String,
        /// The repository, named outright (default: the one holding the
        /// current directory).
        #[arg(long, value_name = "DIR")]
        repo: Option<PathBuf>,
    },
    /// List the templates, or copy a built-in one to customise.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Write cases/CASE-ID.yaml: every section, with placeholders `check`
    /// reports until they are filled.
    New {
        /// The new case's id: lowercase letters, digits and single hyphens.
        id: String,
        /// The repository (default: the current directory).
        #[arg(long, value_name = "DIR", default_value = ".")]
        repo: PathBuf,
    },
    /// Print the JSON Schema of case files, principle files or candor.yaml,
    /// for editors to complete and check fields.
    Schema {
        /// Which file the schema describes.
        #[arg(value_enum, default_value_t = SchemaFile::Case)]
        file: SchemaFile,
    },
    /// Preview every case's documents in the browser, updated as files change.
    Serve {
        /// The repository, named outright (default: the one holding the
        /// current directory).
        #[arg(long, value_name = "DIR")]
        repo: Option<PathBuf>,
        /// The port to listen on, on 127.0.0.1 only.
        #[arg(long, default_value_t = 4000)]
        port: u16,
    },
    /// Print a completion script for a shell.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, or write one page per command into a folder.
    Man {
        /// Write candor.1 and a page per subcommand here instead.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// What `candor templates` does.
#[derive(Debug, Subcommand)]
enum TemplatesCommand {
    /// List every template: built-in, yours, and which of yours replace a built-in.
    List {
        /// The repository, named outright (default: the one holding the
        /// current directory).
        #[arg(long, value_name = "DIR")]
        repo: Option<PathBuf>,
    },
    /// Copy a built-in template into templates/ to customise it.
    Eject {
        /// The template's name, such as `public-statement.md`.
        name: String,
        /// The repository, named outright (default: the one holding the
        /// current directory).
        #[arg(long, value_name = "DIR")]
        repo: Option<PathBuf>,
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

/// How `candor diff` prints the changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// Changed lines with two lines of context, in colour on a terminal.
    Terminal,
    /// Each changed document whole, deletions struck through and insertions
    /// marked, to paste into a review.
    Markdown,
    /// One Word document per changed document, written into --out, each
    /// change a tracked change to accept or reject.
    Docx,
}

/// Which file `candor schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaFile {
    /// A case file, under cases/.
    Case,
    /// A principle file, under principles/.
    Principle,
    /// candor.yaml.
    Settings,
    /// An approval file, as `candor approve` writes it.
    Approval,
}

/// How a trace is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TraceFormat {
    /// An aligned table for the terminal.
    Table,
    /// Markdown tables, to paste into a review.
    Markdown,
    /// One JSON object.
    Json,
}

/// Parses the command line, runs it, and returns the exit code.
pub(crate) fn run() -> ExitCode {
    let cli = Cli::parse();
    let options = Options {
        limits: Limits {
            max_file_bytes: cli.max_file_size,
            max_depth: cli.max_depth,
            max_nodes: cli.max_nodes,
            max_aliases: cli.max_aliases,
        },
        html: false,
        docx: false,
        publish: false,
        include_internal: false,
    };
    let result = match &cli.command {
        Command::Check {
            paths,
            repo,
            format,
        } => candor::load::paths_in(repo.as_deref(), paths)
            .and_then(|paths| check(&paths, *format, options, cli.deny_warnings)),
        Command::Build {
            paths,
            repo,
            out,
            format,
            html,
            docx,
            publish,
            include_internal,
            check,
        } => {
            let options = Options {
                html: *html,
                docx: *docx,
                publish: *publish,
                include_internal: *include_internal,
                ..options
            };
            candor::load::paths_in(repo.as_deref(), paths).and_then(|paths| {
                if *check {
                    check_build(&paths, out.as_deref(), *format, options, cli.deny_warnings)
                } else {
                    build(&paths, out.as_deref(), *format, options, cli.deny_warnings)
                }
            })
        }
        Command::Approve {
            case,
            role,
            by,
            key,
            repo,
        } => repository(repo).and_then(|repo| {
            let signer = candor::Signer {
                by: by.as_deref(),
                key: key.as_deref(),
            };
            approve(repo, case, role, signer, options)
        }),
        Command::Render {
            case,
            doc,
            repo,
            format,
        } => repository(repo)
            .and_then(|repo| render(repo, case, doc, *format, options, cli.deny_warnings)),
        Command::Trace { case, repo, format } => {
            repository(repo).and_then(|repo| trace(repo, case, *format, options, cli.deny_warnings))
        }
        Command::Diff {
            case,
            against,
            repo,
            format,
            out,
            exit_code,
        } => repository(repo).and_then(|repo| {
            diff(
                repo,
                case,
                against.as_deref(),
                (*format, out.as_deref()),
                *exit_code,
                options,
                cli.deny_warnings,
            )
        }),
        Command::Context { case, doc, repo } => {
            repository(repo).and_then(|repo| context(repo, case, doc, options))
        }
        Command::Templates(TemplatesCommand::List { repo }) => {
            repository(repo).and_then(|repo| list_templates(repo, options))
        }
        Command::Templates(TemplatesCommand::Eject { name, repo }) => repository(repo)
            .and_then(|repo| candor::eject_template(repo, name))
            .map(|target| {
                eprintln!("copied the built-in {name} to {}", target.display());
                ExitCode::SUCCESS
            }),
        Command::New { id, repo } => candor::new_case(repo, id).map(|file| {
            eprintln!(
                "wrote {}; fill in each placeholder `candor check` lists",
                file.display()
            );
            ExitCode::SUCCESS
        }),
        Command::Schema { file } => Ok(shell::print_schema(*file)),
        Command::Serve { repo, port } => {
            repository(repo).and_then(|repo| serve::serve(repo, *port, options))
        }
        Command::Completions { shell } => Ok(shell::completions(*shell)),
        Command::Man { out } => shell::man(out.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// The repository a command reads: the one named with `--repo`, which
/// must be one, or the one found from the current directory.
fn repository(named: &Option<PathBuf>) -> Result<&std::path::Path, candor::Error> {
    match named {
        Some(folder) => candor::load::named_repository(folder),
        None => Ok(std::path::Path::new(".")),
    }
}

/// Prints the diagnostics and returns the exit code they call for, or
/// `None` when the run may go on.
fn report(
    outcome: &Outcome,
    format: Format,
    to_stdout: bool,
    deny_warnings: bool,
) -> Option<ExitCode> {
    print_diagnostics(&outcome.diagnostics, format, to_stdout);
    let failed = outcome.has_errors() || (deny_warnings && !outcome.diagnostics.is_empty());
    failed.then(|| ExitCode::from(1))
}

fn check(
    paths: &[PathBuf],
    format: Format,
    options: Options,
    deny_warnings: bool,
) -> Result<ExitCode, candor::Error> {
    let (outcome, tally) = candor::check_and_count(paths, options)?;
    if let Some(code) = report(&outcome, format, format != Format::Human, deny_warnings) {
        return Ok(code);
    }
    if format == Format::Human {
        eprintln!(
            "{}",
            summary_of(
                "checked",
                tally.cases,
                tally.documents,
                outcome.diagnostics.len()
            )
        );
        if outcome.unsigned_sign_offs > 0 {
            eprintln!(
                "note: {} unsigned: anyone who can write to the repository could have \
                 written {}; set `approvals.signers` in candor.yaml to require SSH signatures",
                if outcome.unsigned_sign_offs == 1 {
                    "1 sign-off is".to_owned()
                } else {
                    format!("{} sign-offs are", outcome.unsigned_sign_offs)
                },
                if outcome.unsigned_sign_offs == 1 {
                    "it"
                } else {
                    "them"
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn build(
    paths: &[PathBuf],
    out: Option<&std::path::Path>,
    format: Format,
    options: Options,
    deny_warnings: bool,
) -> Result<ExitCode, candor::Error> {
    let bar = progress::Bar::on_stderr();
    let built = candor::build_streaming(paths, out, options, &|p| bar.update(p));
    bar.finish();
    let built = built?;
    let outcome = &built.outcome;
    if let Some(code) = report(outcome, format, format != Format::Human, deny_warnings) {
        return Ok(code);
    }
    let written = candor::write_build(&built)?;
    print_held_back(outcome);
    if format == Format::Human {
        eprintln!(
            "{}; wrote {} to {} ({} unchanged)",
            summary_of(
                "built",
                built.case_count(),
                built.file_count(),
                outcome.diagnostics.len()
            ),
            plural(written.written.len(), "file"),
            built.out.display(),
            written.unchanged.len()
        );
        if !written.removed.is_empty() {
            eprintln!(
                "removed {} an earlier build wrote and this one does not",
                plural(written.removed.len(), "file")
            );
        }
        if !written.temporaries.is_empty() {
            eprintln!(
                "removed {} a build that was stopped left behind",
                plural(written.temporaries.len(), "temporary file")
            );
        }
    }
    // Said whatever the format: a manifest asked for something refused.
    for refusal in &written.refused {
        eprintln!(
            "warning: left {} in place, which the manifest listed for removal: {}",
            refusal.path.display(),
            refusal.reason
        );
    }
    // The process ends here: freeing the build's documents and manifest
    // entries one by one, tens of milliseconds at 10,000 cases, would
    // only delay it.
    std::mem::forget(written);
    std::mem::forget(built);
    Ok(ExitCode::SUCCESS)
}

/// `candor build --check`: renders in memory and compares with the output
/// folder.
fn check_build(
    paths: &[PathBuf],
    out: Option<&std::path::Path>,
    format: Format,
    options: Options,
    deny_warnings: bool,
) -> Result<ExitCode, candor::Error> {
    let bar = progress::Bar::on_stderr();
    let built = candor::build_fresh(paths, out, options, &|p| bar.update(p));
    bar.finish();
    let built = built?;
    if let Some(code) = report(
        &built.outcome,
        format,
        format != Format::Human,
        deny_warnings,
    ) {
        return Ok(code);
    }
    print_held_back(&built.outcome);
    let drift = candor::compare(&built);
    let out = built.out.display();
    let text = match format {
        Format::Human => {
            let mut text = String::new();
            for (files, what) in [
                (&drift.stale, "stale"),
                (&drift.missing, "missing"),
                (&drift.left_over, "left over"),
            ] {
                for file in files {
                    text.push_str(&format!("{what}: {out}/{}\n", file.display()));
                }
            }
            text
        }
        Format::Json => report::json(&drift.diagnostics(&built.out)),
        Format::Github => report::github(&drift.diagnostics(&built.out)),
    };
    let _ = io::stdout().lock().write_all(text.as_bytes());
    if drift.is_clean() {
        eprintln!(
            "{out} is up to date: {} match what the build would write",
            plural(drift.up_to_date, "file")
        );
        Ok(ExitCode::SUCCESS)
    } else {
        let differing = drift.stale.len() + drift.missing.len() + drift.left_over.len();
        eprintln!(
            "{out} is out of date: {} of {} differ; run `candor build` and commit the result",
            plural(differing, "file"),
            differing + drift.up_to_date
        );
        Ok(ExitCode::from(1))
    }
}

/// Lists the cases a publishing build left out.
fn print_held_back(outcome: &Outcome) {
    for held in &outcome.held_back {
        eprintln!("held back: {} ({})", held.case_id, held.reason);
    }
}

fn approve(
    repo: &std::path::Path,
    case: &str,
    role: &str,
    signer: candor::Signer<'_>,
    options: Options,
) -> Result<ExitCode, candor::Error> {
    let (outcome, approved) = candor::approve(repo, case, role, signer, options)?;
    if let Some(code) = report(&outcome, Format::Human, false, false) {
        return Ok(code);
    }
    let Some(approved) = approved else {
        return Ok(ExitCode::from(1));
    };
    let short = approved.digest.get(..12).unwrap_or(&approved.digest);
    let signed = approved
        .signature
        .as_ref()
        .map_or_else(String::new, |sig| format!(", signed in {}", sig.display()));
    eprintln!(
        "{} signed off as {role} on content {short}; recorded in {}{signed}",
        approved.signer,
        approved.file.display()
    );
    if approved.still_missing.is_empty() {
        eprintln!("every required sign-off is in: set `status: approved` to publish");
    } else {
        eprintln!("still awaiting: {}", approved.still_missing.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

fn render(
    repo: &std::path::Path,
    case: &str,
    doc: &str,
    format: Format,
    options: Options,
    deny_warnings: bool,
) -> Result<ExitCode, candor::Error> {
    let outcome = candor::render_one(repo, case, doc, options)?;
    // Standard output carries the document; diagnostics go to standard error.
    if let Some(code) = report(&outcome, format, false, deny_warnings) {
        return Ok(code);
    }
    let mut stdout = io::stdout().lock();
    for document in &outcome.documents {
        if stdout.write_all(document.text.as_bytes()).is_err() {
            return Ok(ExitCode::from(2));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn trace(
    repo: &std::path::Path,
    case: &str,
    format: TraceFormat,
    options: Options,
    deny_warnings: bool,
) -> Result<ExitCode, candor::Error> {
    let (outcome, trace) = candor::trace(repo, case, options)?;
    if let Some(code) = report(&outcome, Format::Human, false, deny_warnings) {
        return Ok(code);
    }
    let Some(trace) = trace else {
        return Ok(ExitCode::from(1));
    };
    let text = match format {
        TraceFormat::Table => report::trace_table(&trace, false),
        TraceFormat::Markdown => report::trace_table(&trace, true),
        TraceFormat::Json => serde_json::to_string_pretty(&trace)
            .map(|mut json| {
                json.push('\n');
                json
            })
            .unwrap_or_default(),
    };
    if io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

fn diff(
    repo: &std::path::Path,
    case: &str,
    against: Option<&str>,
    (format, out): (DiffFormat, Option<&std::path::Path>),
    exit_code: bool,
    options: Options,
    deny_warnings: bool,
) -> Result<ExitCode, candor::Error> {
    let (compared, since) = match against {
        Some(revision) => (
            candor::diff_against(repo, case, revision, options)?,
            format!("`{revision}`"),
        ),
        None => {
            let (compared, sign_off) = candor::diff_since_approval(repo, case, options)?;
            if !compared.documents.is_empty() {
                eprintln!("comparing with {}", sign_off.describe());
            }
            for note in &sign_off.notes {
                eprintln!("note: {note}");
            }
            (compared, sign_off.describe())
        }
    };
    if let Some(code) = report(&compared.outcome, Format::Human, false, deny_warnings) {
        return Ok(code);
    }
    let text = match format {
        DiffFormat::Terminal => {
            let colour = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            diff::terminal(&compared, colour)
        }
        DiffFormat::Markdown => diff::markdown(&compared, &since),
        DiffFormat::Docx => {
            let out = out.unwrap_or_else(|| std::path::Path::new("."));
            let documents = candor::word_redlines(repo, &compared)?;
            candor::write(out, &documents)?;
            for document in &documents {
                eprintln!("wrote {}", out.join(&document.path).display());
            }
            if documents.is_empty() {
                eprintln!("no document changed since {since}; wrote nothing");
            }
            String::new()
        }
    };
    if io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return Ok(ExitCode::from(2));
    }
    if exit_code && compared.has_changes() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn context(
    repo: &std::path::Path,
    case: &str,
    doc: &str,
    options: Options,
) -> Result<ExitCode, candor::Error> {
    let (outcome, json) = candor::context(repo, case, doc, options)?;
    if let Some(code) = report(&outcome, Format::Human, false, false) {
        return Ok(code);
    }
    let Some(json) = json else {
        return Ok(ExitCode::from(1));
    };
    let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
    text.push('\n');
    if io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

fn list_templates(repo: &std::path::Path, options: Options) -> Result<ExitCode, candor::Error> {
    let templates = candor::templates(repo, options)?;
    let mut out = String::new();
    for template in templates {
        let origin = match (&template.user_file, template.built_in) {
            (Some(file), true) => format!("{} (replaces the built-in)", file.display()),
            (Some(file), false) => file.display().to_string(),
            (None, _) => "built-in".to_owned(),
        };
        out.push_str(&format!("{:<24} {origin}\n", template.name));
    }
    if io::stdout().lock().write_all(out.as_bytes()).is_err() {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

fn summary_of(verb: &str, cases: usize, documents: usize, warnings: usize) -> String {
    let mut line = format!(
        "{verb} {} ({})",
        plural(cases, "case"),
        plural(documents, "document")
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

fn print_diagnostics(diagnostics: &[Diagnostic], format: Format, to_stdout: bool) {
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
    if !to_stdout {
        let _ = stderr.write_all(text.as_bytes());
    } else {
        let _ = io::stdout().lock().write_all(text.as_bytes());
    }
}
