//! Reading a repository from disk: the only module that knows YAML.
//!
//! Loading never stops at the first bad file. Each file is read, checked for
//! size and encoding, and parsed on its own; what cannot be parsed becomes a
//! located diagnostic and the rest of the repository still loads.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use serde::de::{Deserialize, DeserializeOwned, Deserializer};

use crate::Error;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::{Case, Pos, Principle, Settings, Spanned};

/// The name of the organisation settings file at a repository's root.
pub const SETTINGS_FILE: &str = "candor.yaml";

/// Limits that keep hostile or mistaken input from costing more than it should.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest file candor reads, in bytes.
    pub max_file_bytes: u64,
    /// The deepest nesting of YAML collections accepted.
    pub max_depth: usize,
    /// The most YAML nodes one file may produce, aliases expanded.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1024 * 1024,
            max_depth: 64,
            max_nodes: 250_000,
        }
    }
}

/// A value read from a file, with the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// The file, as candor names it in diagnostics.
    pub file: PathBuf,
    /// What it held.
    pub value: T,
}

/// A user's template, read from `templates/`.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The name documents refer to it by: its path under `templates/`.
    pub name: String,
    /// The file, as candor names it in diagnostics.
    pub file: PathBuf,
    /// Its text.
    pub text: String,
}

/// Everything candor read: settings, principles, cases and templates, plus
/// the diagnostics for files that could not be read.
#[derive(Debug, Clone)]
pub struct Repository {
    /// The repository's root folder.
    pub root: PathBuf,
    /// `candor.yaml`, or the defaults.
    pub settings: Loaded<Settings>,
    /// The principles library.
    pub principles: Vec<Loaded<Principle>>,
    /// The cases, ordered by file name.
    pub cases: Vec<Loaded<Case>>,
    /// The user's templates, ordered by name.
    pub templates: Vec<TemplateFile>,
    /// What went wrong while reading.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file read, to quote in diagnostics.
    sources: BTreeMap<PathBuf, String>,
}

impl Repository {
    /// The text of line `line` (1-based) of `file`, if candor read it.
    pub fn source_line(&self, file: &Path, line: u32) -> Option<&str> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        self.sources.get(file)?.lines().nth(index)
    }

    /// Fills in the source line of every diagnostic that points into a file
    /// candor read.
    pub fn attach_source_lines(&self, diagnostics: &mut [Diagnostic]) {
        for diagnostic in diagnostics {
            if diagnostic.source_line.is_some() {
                continue;
            }
            if let (Some(file), Some(line)) = (&diagnostic.file, diagnostic.line) {
                diagnostic.source_line = self.source_line(file, line).map(str::to_owned);
            }
        }
    }
}

/// Finds the repository that `paths` belong to and reads it. With no paths,
/// the current directory is the repository. A path may be the repository's
/// folder or one of its case files; when case files are named, only those
/// cases are read.
pub fn open(paths: &[PathBuf], limits: Limits) -> Result<Repository, Error> {
    let mut root: Option<PathBuf> = None;
    let mut only_cases: Vec<PathBuf> = Vec::new();
    let defaulted = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &defaulted[..]
    } else {
        paths
    };
    for path in paths {
        let metadata = fs::metadata(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let (this_root, case) = if metadata.is_dir() {
            (tidy(path), None)
        } else {
            (root_of_case_file(path), Some(tidy(path)))
        };
        match &root {
            Some(existing) if !same_folder(existing, &this_root) => {
                return Err(Error::Usage(format!(
                    "`{}` and `{}` belong to different repositories; run candor once for each",
                    existing.display(),
                    this_root.display()
                )));
            }
            Some(_) => {}
            None => root = Some(this_root),
        }
        only_cases.extend(case);
    }
    let root = root.unwrap_or_else(|| PathBuf::from("."));
    let mut reader = Reader {
        limits,
        diagnostics: Vec::new(),
        sources: BTreeMap::new(),
    };

    let settings_path = join(&root, SETTINGS_FILE);
    let settings = if settings_path.is_file() {
        let value = reader
            .parse::<Settings>(&settings_path)?
            .unwrap_or_default();
        Loaded {
            file: settings_path,
            value,
        }
    } else {
        Loaded {
            file: settings_path,
            value: Settings::default(),
        }
    };

    let mut principles = Vec::new();
    for file in yaml_files(&join(&root, "principles"))? {
        if let Some(value) = reader.parse::<Principle>(&file)? {
            principles.push(Loaded { file, value });
        }
    }

    let case_files = if only_cases.is_empty() {
        yaml_files(&join(&root, "cases"))?
    } else {
        only_cases.sort();
        only_cases.dedup();
        only_cases
    };
    let mut cases = Vec::new();
    for file in case_files {
        if let Some(value) = reader.parse::<Case>(&file)? {
            cases.push(Loaded { file, value });
        }
    }

    let templates = reader.templates(&join(&root, "templates"))?;

    Ok(Repository {
        root,
        settings,
        principles,
        cases,
        templates,
        diagnostics: reader.diagnostics,
        sources: reader.sources,
    })
}

/// The repository a case file belongs to: the folder above `cases/`, or the
/// nearest folder above it holding `candor.yaml`, or the file's own folder.
fn root_of_case_file(file: &Path) -> PathBuf {
    let file = tidy(file);
    let parent = file.parent().map(Path::to_path_buf).unwrap_or_default();
    if parent.file_name().is_some_and(|name| name == "cases") {
        return parent
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
    }
    let mut folder = parent.clone();
    loop {
        if join(&folder, SETTINGS_FILE).is_file() {
            return folder;
        }
        if !folder.pop() || folder.as_os_str().is_empty() {
            break;
        }
    }
    if parent.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parent
    }
}

/// `path` without `./` in front, so diagnostics name files as a user types them.
fn tidy(path: &Path) -> PathBuf {
    let tidied: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if tidied.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        tidied
    }
}

fn join(root: &Path, name: &str) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from(name)
    } else {
        root.join(name)
    }
}

fn same_folder(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (fs::canonicalize(a), fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// The `.yaml` and `.yml` files directly in `folder`, by name; none if the
/// folder does not exist.
fn yaml_files(folder: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Io {
                path: folder.to_path_buf(),
                source,
            });
        }
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Io {
                path: folder.to_path_buf(),
                source,
            })?
            .path();
        let is_yaml = path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml");
        if is_yaml && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

struct Reader {
    limits: Limits,
    diagnostics: Vec<Diagnostic>,
    sources: BTreeMap<PathBuf, String>,
}

impl Reader {
    /// Reads a file as text, or records why it cannot be read as text.
    /// I/O failures are not content errors: they stop the run.
    fn read_text(&mut self, file: &Path) -> Result<Option<String>, Error> {
        let io_error = |source| Error::Io {
            path: file.to_path_buf(),
            source,
        };
        let size = fs::metadata(file).map_err(io_error)?.len();
        if size > self.limits.max_file_bytes {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::FileTooLarge,
                    format!(
                        "file is {size} bytes, more than the limit of {} bytes",
                        self.limits.max_file_bytes
                    ),
                )
                .in_file(file)
                .with_help("split the file, or raise the limit with --max-file-size"),
            );
            return Ok(None);
        }
        let bytes = fs::read(file).map_err(io_error)?;
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.starts_with('\u{feff}') {
                    text.remove(0);
                }
                Ok(Some(text))
            }
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let before = String::from_utf8_lossy(valid);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::NotUtf8,
                        format!(
                            "file is not UTF-8 text: invalid byte 0x{:02x}",
                            e.as_bytes().get(valid.len()).copied().unwrap_or_default()
                        ),
                    )
                    .in_file(file)
                    .at(Pos {
                        line: u32::try_from(line).unwrap_or(u32::MAX),
                        column: u32::try_from(column).unwrap_or(u32::MAX),
                    })
                    .with_help("save the file as UTF-8"),
                );
                Ok(None)
            }
        }
    }

    /// Reads and parses one YAML file. `Ok(None)` means the file had
    /// problems, now recorded as diagnostics.
    fn parse<T: DeserializeOwned>(&mut self, file: &Path) -> Result<Option<T>, Error> {
        let Some(text) = self.read_text(file)? else {
            return Ok(None);
        };
        let holds_nothing = text
            .lines()
            .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'));
        let parsed = if holds_nothing {
            self.diagnostics.push(
                Diagnostic::new(Code::EmptyFile, "file is empty")
                    .in_file(file)
                    .with_help("remove the file, or fill it in"),
            );
            None
        } else {
            match serde_saphyr::from_str_with_options::<T>(&text, self.options()) {
                Ok(value) => Some(value),
                Err(error) => {
                    self.diagnostics.push(yaml_diagnostic(&error).in_file(file));
                    None
                }
            }
        };
        self.sources.insert(file.to_path_buf(), text);
        Ok(parsed)
    }

    fn options(&self) -> serde_saphyr::Options {
        let mut budget = serde_saphyr::Budget::default();
        budget.max_depth = self.limits.max_depth;
        budget.flow_nesting_limit = self.limits.max_depth;
        budget.max_nodes = self.limits.max_nodes;
        budget.max_reader_input_bytes =
            Some(usize::try_from(self.limits.max_file_bytes).unwrap_or(usize::MAX));
        let mut options = serde_saphyr::Options::default();
        options.budget = Some(budget);
        options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
        options.with_snippet = false;
        options
    }

    /// Every file under `folder`, named by its path below it with `/`.
    fn templates(&mut self, folder: &Path) -> Result<Vec<TemplateFile>, Error> {
        let mut templates = Vec::new();
        let mut pending = vec![folder.to_path_buf()];
        while let Some(dir) = pending.pop() {
            let entries = match fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(source) => return Err(Error::Io { path: dir, source }),
            };
            for entry in entries {
                let path = entry
                    .map_err(|source| Error::Io {
                        path: dir.clone(),
                        source,
                    })?
                    .path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let Ok(relative) = path.strip_prefix(folder) else {
                    continue;
                };
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                if let Some(text) = self.read_text(&path)? {
                    self.sources.insert(path.clone(), text.clone());
                    templates.push(TemplateFile {
                        name,
                        file: path,
                        text,
                    });
                }
            }
        }
        templates.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(templates)
    }
}

/// Turns a YAML or schema error into a located diagnostic.
fn yaml_diagnostic(error: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error as E;
    let error = error.without_snippet();
    let (code, message, help) = match error {
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let help = match did_you_mean(field, expected.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None if expected.is_empty() => "this item takes no fields".to_owned(),
                None => format!("the fields here are: {}", expected.join(", ")),
            };
            (
                Code::UnknownField,
                format!("unknown field `{field}`"),
                Some(help),
            )
        }
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let help = match did_you_mean(variant, expected.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("write one of: {}", expected.join(", ")),
            };
            (
                Code::InvalidValue,
                format!("`{variant}` is not allowed here"),
                Some(help),
            )
        }
        E::SerdeMissingField { field, .. } => {
            (Code::MissingField, format!("missing field `{field}`"), None)
        }
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => (
            Code::InvalidValue,
            format!("expected {expected}, found {unexpected}"),
            None,
        ),
        E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            Code::InvalidValue,
            format!("expected {expected}, found {unexpected}"),
            None,
        ),
        E::DuplicateMappingKey { key, .. } => (
            Code::DuplicateKey,
            match key {
                Some(key) => format!("the key `{key}` appears twice"),
                None => "a key appears twice".to_owned(),
            },
            Some("keep one of them".to_owned()),
        ),
        E::Budget { breach, .. } => (
            Code::ParseBudget,
            format!("file exceeds the parse budget: {breach:?}"),
            Some("simplify the file: deep nesting and aliases are not needed in a case".to_owned()),
        ),
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => (
            Code::ParseBudget,
            "file expands aliases beyond the parse budget".to_owned(),
            Some("write the values out instead of using aliases".to_owned()),
        ),
        E::Message { msg, .. } if msg.contains("is not a valid id") => {
            (Code::InvalidId, msg.clone(), None)
        }
        E::Message { msg, .. } if msg.contains("is not a date") => {
            (Code::InvalidDate, msg.clone(), None)
        }
        E::Message { msg, .. } => (Code::InvalidValue, msg.clone(), None),
        other => (Code::YamlSyntax, strip_location(&other.to_string()), None),
    };
    let mut diagnostic = Diagnostic::new(code, message);
    if let Some(location) = error.location() {
        diagnostic = diagnostic.at(Pos {
            line: u32::try_from(location.line()).unwrap_or(u32::MAX),
            column: u32::try_from(location.column()).unwrap_or(u32::MAX),
        });
    }
    if let Some(help) = help {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// The parser's message without the "at line X, column Y" it appends:
/// candor reports the position separately.
fn strip_location(message: &str) -> String {
    let message = message.lines().next().unwrap_or(message);
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Spanned {
            pos: Pos {
                line: u32::try_from(spanned.referenced.line()).unwrap_or(u32::MAX),
                column: u32::try_from(spanned.referenced.column()).unwrap_or(u32::MAX),
            },
            value: spanned.value,
        })
    }
}
