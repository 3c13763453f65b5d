//! Reading a repository from disk: the only module that knows YAML.
//!
//! Loading never stops at the first bad file. Each file is read, checked for
//! size and encoding, and parsed on its own; what cannot be parsed becomes a
//! located diagnostic and the rest of the repository still loads.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::error::Error;
use crate::model::{Approval, Case, Pos, Principle, Settings, Spanned};
use crate::open_folder::OpenFolder;
use crate::stat_cache::FileStat;

/// Tells, from the repository root, a case file and its stat, the digest
/// of the file's text when it is known unchanged: [`open_deferred`] then
/// does not read it.
pub type KnownDigest<'a> = &'a (dyn Fn(&Path, &Path, &FileStat) -> Option<String> + Sync);

/// The name of the organisation settings file at a repository's root.
pub const SETTINGS_FILE: &str = "candor.yaml";

/// The longest source line, in bytes, that diagnostics quote.
const MAX_QUOTED_LINE: usize = 4096;

/// Limits that keep hostile or mistaken input from costing more than it
/// should. A real case file is a few kilobytes and a few hundred YAML nodes;
/// the defaults leave a wide margin above that and answer any file within
/// them in a fraction of a second.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest file candor reads, in bytes.
    pub max_file_bytes: u64,
    /// The deepest nesting of YAML collections accepted.
    pub max_depth: usize,
    /// The most YAML nodes one file may produce, aliases expanded.
    pub max_nodes: usize,
    /// The most aliases (`*name`) and, separately, merge keys (`<<`) one
    /// file may use.
    pub max_aliases: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1024 * 1024,
            max_depth: 64,
            max_nodes: 100_000,
            max_aliases: 1_000,
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

/// A value still to be written: text that starts with [`PLACEHOLDER`], as
/// `candor new` leaves them. Found here because only the loader knows where
/// each value was written; [`crate::validate`] decides what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// The file it is in.
    pub file: PathBuf,
    /// Where the value starts.
    pub pos: Pos,
    /// The field's path in its file, such as `findings[0].statement`.
    pub path: String,
    /// The placeholder as written, which says what to write instead.
    pub text: String,
}

/// The word that marks a value as still to be written.
pub const PLACEHOLDER: &str = "TODO";

/// Whether `text` is a placeholder: it starts with `TODO` as a word.
pub fn is_placeholder(text: &str) -> bool {
    text.trim_start()
        .strip_prefix(PLACEHOLDER)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', ' ', '.', '\n']))
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
    /// When only some case files were named: the other cases that they
    /// update, read so references to them resolve, but neither checked nor
    /// rendered.
    pub earlier_cases: Vec<Loaded<Case>>,
    /// The user's templates, ordered by name.
    pub templates: Vec<TemplateFile>,
    /// The sign-offs recorded beside each case file read, by case file:
    /// `cases/<name>.approvals/<role>.yaml`, in file order. Files that do
    /// not parse are reported, not listed.
    pub approvals: BTreeMap<PathBuf, Vec<Loaded<Approval>>>,
    /// The signatures beside approval files (`<role>.sig` beside
    /// `<role>.yaml`), by approval file.
    pub signatures: BTreeMap<PathBuf, Signature>,
    /// The allowed signers file `approvals.signers` names, with its text,
    /// when it is set and could be read.
    pub allowed_signers: Option<Loaded<String>>,
    /// Whether case files were named, rather than the whole repository.
    pub named_cases: bool,
    /// What went wrong while reading.
    pub diagnostics: Vec<Diagnostic>,
    /// The values still to be written, in files that otherwise loaded.
    pub placeholders: Vec<Placeholder>,
    /// Case files read but not parsed yet, by name: see [`open_deferred`].
    /// Empty after [`open`].
    pub deferred: Vec<PathBuf>,
    /// The text of every file read, to quote in diagnostics, but of case
    /// files once parsed: thousands of them would be held to the end of the
    /// run for the few lines a diagnostic quotes.
    sources: BTreeMap<PathBuf, String>,
    /// The digest of every case file read, by file, taken as it was read:
    /// the digest of a file whose text was let go after parsing, and what
    /// its text is read again against (see [`Repository::source_text`]).
    case_digests: HashMap<PathBuf, String>,
    /// The deferred case files not read because their digest was known,
    /// with that digest: read when they are parsed.
    known_digests: HashMap<PathBuf, String>,
    /// The stat of each case file that is a regular file, as it was
    /// before candor read it (or found it unchanged).
    case_stats: BTreeMap<PathBuf, FileStat>,
    /// The repository's root, its links resolved, to read deferred cases.
    within: Option<PathBuf>,
    /// The limits the repository was read with, to parse deferred cases.
    limits: Limits,
}

impl Repository {
    /// The text of `file` as candor read it (UTF-8, without a byte order
    /// mark), if candor read it. The text of a parsed case file is read
    /// again, and told only when the file still holds exactly what was read.
    pub fn source_text(&self, file: &Path) -> Option<Cow<'_, str>> {
        if let Some(text) = self.sources.get(file) {
            return Some(Cow::Borrowed(text));
        }
        let digest = self.case_digests.get(file)?;
        let mut reader = Reader {
            within: self.within.clone(),
            ..Reader::new(self.limits)
        };
        let text = reader.read_text(file).ok()??;
        (crate::manifest::digest(text.as_bytes()) == *digest).then_some(Cow::Owned(text))
    }

    /// The limits the repository was read with.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The digest ([`crate::manifest::digest`]) of the text of `file`, if
    /// candor read it or knew it unchanged.
    pub fn digest_of(&self, file: &Path) -> Option<String> {
        match self
            .known_digests
            .get(file)
            .or_else(|| self.case_digests.get(file))
        {
            Some(digest) => Some(digest.clone()),
            None => Some(crate::manifest::digest(self.sources.get(file)?.as_bytes())),
        }
    }

    /// The stat of each case file that is a regular file, taken before it
    /// was read.
    pub fn case_stats(&self) -> &BTreeMap<PathBuf, FileStat> {
        &self.case_stats
    }

    /// Parses the deferred case files among `files`, in parallel, calling
    /// `parsed` after each one. The cases join [`Repository::cases`] in file
    /// order, exactly as [`open`] would have read them; problems join
    /// [`Repository::diagnostics`].
    /// Files not read yet are read first; the first I/O failure stops the
    /// run, as it would have in [`open_deferred`].
    pub fn parse_deferred(
        &mut self,
        files: &[PathBuf],
        parsed: &(dyn Fn() + Sync),
    ) -> Result<(), Error> {
        let wanted: std::collections::BTreeSet<&PathBuf> = files.iter().collect();
        let (now, later): (Vec<PathBuf>, Vec<PathBuf>) = std::mem::take(&mut self.deferred)
            .into_iter()
            .partition(|file| wanted.contains(file));
        self.deferred = later;
        if now.is_empty() {
            return Ok(());
        }
        let mut reader = Reader {
            within: self.within.clone(),
            ..Reader::new(self.limits)
        };
        let unread: Vec<PathBuf> = now
            .iter()
            .filter(|file| self.known_digests.contains_key(*file))
            .cloned()
            .collect();
        for file in &unread {
            self.known_digests.remove(file);
        }
        let read = reader.read_all(&unread, None, None)?;
        self.sources.append(&mut reader.sources);
        self.case_digests.extend(reader.case_digests.drain());
        let read: BTreeSet<&PathBuf> = read.iter().collect();
        // A file that no longer reads as text is reported, not parsed.
        let now: Vec<PathBuf> = now
            .into_iter()
            .filter(|file| !unread.contains(file) || read.contains(file))
            .collect();
        let cases = reader.parse_cases(&mut self.sources, &now, parsed);
        self.diagnostics.append(&mut reader.diagnostics);
        self.placeholders.append(&mut reader.placeholders);
        if self.cases.is_empty() {
            // Taken as they are: extended into an empty list, they were
            // copied, and both lists held at once (14 MiB each at ten
            // thousand cases).
            self.cases = cases;
        } else {
            self.cases.extend(cases);
        }
        // Files are unique, so an unstable sort gives the one order; a
        // stable one takes a buffer of 8 MB at ten thousand cases, when
        // memory is at its highest.
        self.cases.sort_unstable_by(|a, b| a.file.cmp(&b.file));
        Ok(())
    }
    /// The text of line `line` (1-based) of `file`, if candor read it.
    pub fn source_line(&self, file: &Path, line: u32) -> Option<String> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        lines(&self.source_text(file)?)
            .nth(index)
            .map(str::to_owned)
    }

    /// Fills in the source line of every diagnostic that points into a file
    /// candor read. Control characters are shown as symbols, so quoting a
    /// line never sends them to a terminal; a line too long to be worth
    /// quoting is left out.
    pub fn attach_source_lines(&self, diagnostics: &mut [Diagnostic]) {
        let quoted =
            |diagnostic: &Diagnostic| diagnostic.source_line.is_none() && diagnostic.line.is_some();
        // Each file is read (when it was let go) and split into lines once,
        // however many diagnostics point into it: thousands of them in one
        // large file would otherwise each scan it from the top.
        let texts: BTreeMap<PathBuf, Cow<'_, str>> = diagnostics
            .iter()
            .filter(|diagnostic| quoted(diagnostic))
            .filter_map(|diagnostic| diagnostic.file.as_deref())
            .collect::<BTreeSet<&Path>>()
            .into_iter()
            .filter_map(|file| Some((file.to_path_buf(), self.source_text(file)?)))
            .collect();
        let mut split: BTreeMap<&Path, Vec<&str>> = BTreeMap::new();
        for diagnostic in diagnostics {
            if !quoted(diagnostic) {
                continue;
            }
            let (Some(file), Some(line)) = (&diagnostic.file, diagnostic.line) else {
                continue;
            };
            let Some((file, text)) = texts.get_key_value(file) else {
                continue;
            };
            let file_lines = split
                .entry(file.as_path())
                .or_insert_with(|| lines(text).collect());
            let index = usize::try_from(line).ok().and_then(|l| l.checked_sub(1));
            diagnostic.source_line = index
                .and_then(|i| file_lines.get(i).copied())
                .filter(|text| text.len() <= MAX_QUOTED_LINE)
                .map(printable_line);
        }
    }
}

/// The signature of an approval file, and what it signs.
#[derive(Debug, Clone)]
pub struct Signature {
    /// The `.sig` file.
    pub file: PathBuf,
    /// Its text: an armored `SSH SIGNATURE` block.
    pub armored: String,
    /// The exact bytes of the approval file, as signed.
    pub message: Vec<u8>,
}

/// Finds the repository that `paths` belong to and reads it. With no paths,
/// the current directory is the repository. A path may be the repository's
/// folder or one of its case files; when case files are named, only those
/// cases are read.
pub fn open(paths: &[PathBuf], limits: Limits) -> Result<Repository, Error> {
    open_with(paths, limits, true, None)
}

/// Like [`open`], but the case files are only read, not parsed: they wait
/// in [`Repository::deferred`], their text in [`Repository::source_text`],
/// until [`Repository::parse_deferred`] parses those the caller needs. An
/// incremental build parses only the cases whose inputs changed. Earlier
/// cases of named case files are not read.
///
/// A case file that `known` gives the digest of is not even read until it
/// is parsed: [`Repository::digest_of`] tells its digest meanwhile.
pub fn open_deferred(
    paths: &[PathBuf],
    limits: Limits,
    known: Option<KnownDigest<'_>>,
) -> Result<Repository, Error> {
    open_with(paths, limits, false, known)
}

fn open_with(
    paths: &[PathBuf],
    limits: Limits,
    parse_cases: bool,
    known: Option<KnownDigest<'_>>,
) -> Result<Repository, Error> {
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
            // Outside any repository the folder itself is taken for one, so
            // the run fails as a repository with no cases does, naming
            // where it looked, rather than passing on nothing.
            let root = find_root(path).unwrap_or_else(|| tidy(path));
            (root, None)
        } else {
            let root = root_of_case_file(path);
            let case = within_root(path, &root);
            (root, Some(case))
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
    let mut reader = Reader::of_repository(limits, &root)?;

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
    for file in reader.yaml_files(&join(&root, "principles"))? {
        if let Some(value) = reader.parse::<Principle>(&file)? {
            principles.push(Loaded { file, value });
        }
    }

    // Templates before cases: they are few, and a link loop among them
    // fails the run before thousands of cases are read for nothing.
    let templates = reader.templates(&join(&root, "templates"))?;

    let selected_only = !only_cases.is_empty();
    let cases_folder = join(&root, "cases");
    // The folder's sign-off folders are found in the same listing.
    let (case_files, cases_listed) = if only_cases.is_empty() {
        let listing = reader.listing(&cases_folder)?;
        (listing.yaml_files, Some((&cases_folder, listing.approvals)))
    } else {
        only_cases.sort();
        only_cases.dedup();
        (only_cases, None)
    };
    // Case files are many: read and parse them in parallel.
    let known = known.map(|known| (root.as_path(), known));
    let mut case_stats = BTreeMap::new();
    let mut known_digests = HashMap::new();
    let mut deferred = reader.read_all(
        &case_files,
        known.map(|(root, known)| (root, known, &mut known_digests)),
        Some(&mut case_stats),
    )?;
    let mut cases = Vec::new();
    if parse_cases {
        let mut sources = std::mem::take(&mut reader.sources);
        cases = reader.parse_cases(&mut sources, &deferred, &|| {});
        reader.sources = sources;
        deferred.clear();
    }
    let earlier_cases = if selected_only && parse_cases {
        read_earlier_cases(&mut reader, &root, &cases)?
    } else {
        Vec::new()
    };

    if case_files.is_empty() {
        reader.diagnostics.push(no_cases(&cases_folder));
    }
    let allowed_signers = reader.allowed_signers(&root, &settings)?;

    let mut approvals = BTreeMap::new();
    let mut signatures = BTreeMap::new();
    let may_have_approvals = approvals_folders_listed(&case_files, cases_listed);
    for case_file in &case_files {
        let folder = approvals_folder(case_file);
        if !may_have_approvals(&folder) {
            continue;
        }
        let mut signed = Vec::new();
        for file in reader.yaml_files(&folder)? {
            if let Some(value) = reader.parse::<Approval>(&file)? {
                if let Some(signature) = reader.signature_of(&file)? {
                    signatures.insert(file.clone(), signature);
                }
                signed.push(Loaded { file, value });
            }
        }
        if !signed.is_empty() {
            approvals.insert(case_file.clone(), signed);
        }
    }

    Ok(Repository {
        root,
        settings,
        principles,
        cases,
        earlier_cases,
        templates,
        approvals,
        signatures,
        allowed_signers,
        named_cases: selected_only,
        diagnostics: reader.diagnostics,
        placeholders: reader.placeholders,
        deferred,
        sources: reader.sources,
        case_digests: reader.case_digests,
        known_digests,
        case_stats,
        within: reader.within,
        limits,
    })
}

/// The cases in `cases/` that the named ones update, directly or through
/// other updates. Problems in them are not the named cases' problems, so
/// their diagnostics are dropped.
fn read_earlier_cases(
    reader: &mut Reader,
    root: &Path,
    named: &[Loaded<Case>],
) -> Result<Vec<Loaded<Case>>, Error> {
    let mut wanted: Vec<String> = named
        .iter()
        .filter_map(|c| c.value.updates.as_ref().map(|u| u.to_string()))
        .collect();
    let mut found: Vec<Loaded<Case>> = Vec::new();
    let folder = join(root, "cases");
    let files = reader.yaml_files(&folder)?;
    while let Some(id) = wanted.pop() {
        let known = named
            .iter()
            .chain(&found)
            .any(|c| c.value.id.as_str() == id);
        if known {
            continue;
        }
        let file = files
            .iter()
            .find(|f| f.file_stem().is_some_and(|s| s == id.as_str()));
        let Some(file) = file else { continue };
        let before = reader.diagnostics.len();
        let parsed = reader.parse::<Case>(file)?;
        reader.diagnostics.truncate(before);
        if let Some(value) = parsed {
            wanted.extend(value.updates.as_ref().map(|u| u.to_string()));
            found.push(Loaded {
                file: file.clone(),
                value,
            });
        }
    }
    Ok(found)
}

/// `candor.yaml` as `text` holds it, or `None` when it does not load: for
/// telling which version of the file an approval was given on.
pub fn settings_from_text(text: &str, limits: Limits) -> Option<Settings> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Reader::new(limits).parse_text::<Settings>(text).ok()
}

/// What the YAML in `text` says, as a generic value, read under `limits`;
/// `None` when it does not parse. For digests of what a file says rather
/// than of how it is laid out.
pub fn value_from_text(text: &str, limits: Limits) -> Option<serde_json::Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Reader::new(limits)
        .parse_text::<serde_json::Value>(text)
        .ok()
}

/// The folder holding the sign-offs of the case in `case_file`:
/// Whether an approvals folder may exist, from one listing of each folder
/// holding case files: looking for each case's folder in turn cost one
/// failed open per case. A folder that cannot be listed may hold anything.
/// A folder already `listed`, with the approvals names in it, is not
/// listed again.
fn approvals_folders_listed(
    case_files: &[PathBuf],
    listed: Option<(&PathBuf, BTreeSet<std::ffi::OsString>)>,
) -> impl Fn(&Path) -> bool + use<> {
    // Case files come folder by folder: a folder is compared with the
    // last one's bytes before it is ordered among the others, part by part.
    let mut parents: BTreeSet<&Path> = BTreeSet::new();
    let mut last: Option<&Path> = None;
    for parent in case_files.iter().filter_map(|f| f.parent()) {
        if last.is_none_or(|last| last.as_os_str() != parent.as_os_str()) {
            parents.insert(parent);
            last = Some(parent);
        }
    }
    let mut listed_already = listed;
    let listed: BTreeMap<PathBuf, Option<BTreeSet<std::ffi::OsString>>> = parents
        .into_iter()
        .map(|parent| {
            if let Some((_, names)) =
                listed_already.take_if(|(folder, _)| folder.as_path() == parent)
            {
                return (parent.to_path_buf(), Some(names));
            }
            let names = fs::read_dir(parent).ok().and_then(|entries| {
                entries
                    .map(|entry| entry.map(|entry| entry.file_name()))
                    .filter(|name| {
                        name.as_ref().is_err()
                            || name.as_ref().is_ok_and(|name| {
                                Path::new(name)
                                    .extension()
                                    .is_some_and(|e| e == "approvals")
                            })
                    })
                    .collect::<Result<BTreeSet<_>, _>>()
                    .ok()
            });
            (parent.to_path_buf(), names)
        })
        .collect();
    move |folder: &Path| {
        let (Some(parent), Some(name)) = (folder.parent(), folder.file_name()) else {
            return true;
        };
        match listed.get(parent) {
            Some(Some(names)) => names.contains(name),
            _ => true,
        }
    }
}

/// `cases/<name>.approvals/` beside `cases/<name>.yaml`.
pub fn approvals_folder(case_file: &Path) -> PathBuf {
    case_file.with_extension("approvals")
}

/// The repository a case file belongs to: the folder above `cases/`, or the
/// nearest folder above it that is a repository, or the file's own folder.
fn root_of_case_file(file: &Path) -> PathBuf {
    let file = tidy(file);
    let parent = file
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    if parent.file_name().is_some_and(|name| name == "cases") {
        return parent
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
    }
    find_root(&parent).unwrap_or(parent)
}

/// The repository holding `start`, as cargo finds a package and git a work
/// tree: `start` itself or the nearest folder above it holding
/// `candor.yaml` or a `cases/` folder. Given relative to where candor runs
/// when `start` is (`..` from inside `cases/`), so diagnostics name files
/// as the user can open them. `None` when no folder up to the file
/// system's root is one.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let start = tidy(start);
    let absolute = fs::canonicalize(&start).ok()?;
    let mut folder = absolute.as_path();
    while !is_repository_root(folder) {
        folder = folder.parent()?;
    }
    if folder == absolute {
        return Some(start);
    }
    if start.is_absolute() {
        return Some(folder.to_path_buf());
    }
    Some(relative_to_here(folder))
}

/// A repository named outright, as with `--repo`: it must be one itself,
/// for candor does not look above a folder it was told to read.
pub fn named_repository(folder: &Path) -> Result<&Path, Error> {
    if is_repository_root(folder) {
        Ok(folder)
    } else {
        Err(Error::Usage(format!(
            "`{}` is not a candor repository: it holds neither {SETTINGS_FILE} nor a cases/ folder",
            folder.display()
        )))
    }
}

/// What `check` and `build` are to read: `paths` as given or, with a
/// repository named outright, that repository and the case files of it
/// among `paths`.
pub fn paths_in(repository: Option<&Path>, paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let Some(repository) = repository else {
        return Ok(paths.to_vec());
    };
    let repository = named_repository(repository)?;
    if let Some(folder) = paths.iter().find(|path| path.is_dir()) {
        return Err(Error::Usage(format!(
            "`{}` is a folder; with --repo, name case files only",
            folder.display()
        )));
    }
    Ok(std::iter::once(repository.to_path_buf())
        .chain(paths.iter().cloned())
        .collect())
}

/// Whether `folder` holds a repository: `candor.yaml`, or `cases/`.
fn is_repository_root(folder: &Path) -> bool {
    folder.join(SETTINGS_FILE).is_file() || folder.join("cases").is_dir()
}

/// `folder` (canonical) as a path from the current directory: `..` for its
/// parent, `sub` for a folder below it, absolute when neither.
fn relative_to_here(folder: &Path) -> PathBuf {
    let Some(here) = std::env::current_dir()
        .ok()
        .and_then(|here| fs::canonicalize(here).ok())
    else {
        return folder.to_path_buf();
    };
    if let Ok(below) = here.strip_prefix(folder) {
        let mut up = PathBuf::new();
        for _ in below.components() {
            up.push("..");
        }
        return tidy(&up);
    }
    match folder.strip_prefix(&here) {
        Ok(inside) => tidy(inside),
        Err(_) => folder.to_path_buf(),
    }
}

/// The case file `file` as a path through `root`, so its name agrees with
/// the repository's (`../cases/a.yaml` rather than `a.yaml` from inside
/// `cases/`). Unchanged when it already goes through `root` or cannot be
/// resolved.
fn within_root(file: &Path, root: &Path) -> PathBuf {
    let file = tidy(file);
    let through_root = (root == Path::new(".") && file.is_relative()) || file.starts_with(root);
    if through_root {
        return file;
    }
    let (Ok(absolute_file), Ok(absolute_root)) = (fs::canonicalize(&file), fs::canonicalize(root))
    else {
        return file;
    };
    match absolute_file.strip_prefix(&absolute_root) {
        Ok(inside) => join(root, &inside.to_string_lossy()),
        Err(_) => file,
    }
}

/// A repository without a single case: checking it would prove nothing.
fn no_cases(cases_folder: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::NoCases,
        format!(
            "no case files in `{}`: there is nothing to check or build",
            cases_folder.display()
        ),
    )
    .in_file(cases_folder)
    .with_help(
        "write one with `candor new CASE-ID`, or run candor in the repository that holds \
         your cases",
    )
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

/// What one listing of a folder finds.
#[derive(Default)]
struct Listing {
    /// Its `.yaml` and `.yml` files, by name.
    yaml_files: Vec<PathBuf>,
    /// The names in it that end in `.approvals`, of whatever kind.
    approvals: BTreeSet<std::ffi::OsString>,
}

/// What is directly in `folder`; nothing when it does not exist.
fn listing(folder: &Path) -> Result<Listing, Error> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Listing::default()),
        Err(source) => {
            return Err(Error::Io {
                path: folder.to_path_buf(),
                source,
            });
        }
    };
    let mut files = Vec::new();
    let mut approvals = BTreeSet::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: folder.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let extension = path.extension();
        if extension.is_some_and(|ext| ext == "approvals")
            && let Some(name) = path.file_name()
        {
            approvals.insert(name.to_owned());
            continue;
        }
        let is_yaml = extension.is_some_and(|ext| ext == "yaml" || ext == "yml");
        // The listing usually says what an entry is, saving a system call
        // per file; a link is followed to see.
        let is_file = match entry.file_type() {
            Ok(kind) if !kind.is_symlink() => kind.is_file(),
            _ => path.is_file(),
        };
        if is_yaml && is_file {
            files.push(path);
        }
    }
    // All in one folder, each its name joined to the same folder: ordered
    // as paths are, by file name, which the bytes of the whole paths
    // compare as. Names in a folder are unique. Comparing paths part by
    // part took 12 ms at ten thousand files, and taking each name out
    // again at every comparison still showed in profiles.
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    Ok(Listing {
        yaml_files: files,
        approvals,
    })
}

/// A copy of `case`, made once it is parsed and kept in its place. The
/// parser's short-lived allocations fall among the case's own, and the
/// holes they leave when freed keep memory half used for as long as the
/// case is held, which is the whole run. The copy is laid out on its own,
/// and the parse's memory is freed whole for the next file to use. At
/// 10,000 cases, `check` peaks at 105 MiB instead of 111, for 0.2 % more
/// instructions.
fn laid_out_anew(case: &Case) -> Case {
    case.clone()
}

/// What parsing one case file found: the case, when it parsed, and the
/// problems and placeholders in it.
struct ParsedCase {
    case: Option<Loaded<Case>>,
    diagnostics: Vec<Diagnostic>,
    placeholders: Vec<Placeholder>,
}

struct Reader {
    limits: Limits,
    /// The repository's root, its links resolved: nothing is read from
    /// outside it. `None` for a reader that only parses text.
    within: Option<PathBuf>,
    diagnostics: Vec<Diagnostic>,
    placeholders: Vec<Placeholder>,
    sources: BTreeMap<PathBuf, String>,
    /// The digests of the case files [`Reader::read_all`] read.
    case_digests: HashMap<PathBuf, String>,
}

/// Adds `pairs` to `map`: built at once when `map` is empty, which on
/// pairs in file order compares each path with the next only, where
/// inserting one at a time compares paths, part by part, a dozen times
/// each at 10,000 case files.
fn add_all<V>(map: &mut BTreeMap<PathBuf, V>, pairs: Vec<(PathBuf, V)>) {
    if map.is_empty() {
        *map = pairs.into_iter().collect();
    } else {
        map.extend(pairs);
    }
}

impl Reader {
    fn new(limits: Limits) -> Reader {
        Reader {
            limits,
            within: None,
            diagnostics: Vec::new(),
            placeholders: Vec::new(),
            sources: BTreeMap::new(),
            case_digests: HashMap::new(),
        }
    }

    /// A reader of the repository at `root`, which reads nothing outside it.
    fn of_repository(limits: Limits, root: &Path) -> Result<Reader, Error> {
        let within = fs::canonicalize(root).map_err(|source| Error::Io {
            path: root.to_path_buf(),
            source,
        })?;
        Ok(Reader {
            within: Some(within),
            ..Reader::new(limits)
        })
    }

    /// Refuses `path` when it resolves outside the repository: a symbolic
    /// link out of it, or in a folder linked out of it. A link that loops
    /// fails at once, as the system refuses to resolve it. Returns where
    /// `path` resolves to.
    fn check_inside(&self, path: &Path) -> Result<Option<PathBuf>, Error> {
        let Some(within) = &self.within else {
            return Ok(None);
        };
        let resolved = fs::canonicalize(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if resolved.starts_with(within) {
            return Ok(Some(resolved));
        }
        Err(Error::Io {
            path: path.to_path_buf(),
            source: io::Error::other(format!(
                "leads to {}, outside the repository; candor reads nothing outside it",
                resolved.display()
            )),
        })
    }

    /// The YAML files in `folder`, by name; none when it does not exist.
    /// A folder or file linked out of the repository is refused.
    fn yaml_files(&self, folder: &Path) -> Result<Vec<PathBuf>, Error> {
        Ok(self.listing(folder)?.yaml_files)
    }

    /// [`listing`], checked to be inside the repository as
    /// [`Reader::yaml_files`] is.
    fn listing(&self, folder: &Path) -> Result<Listing, Error> {
        let listing = listing(folder)?;
        if !listing.yaml_files.is_empty() {
            self.check_inside(folder)?;
        }
        Ok(listing)
    }

    /// Reads `files` in parallel, keeping their text and its digest.
    /// Returns the files read as text, in order; the others are reported.
    /// The first I/O failure, in file order, stops the run.
    ///
    /// With `known`, a regular file within the size limit whose digest it
    /// knows is not read: it counts as read, its digest joins the map.
    /// With `stats`, the stat of every regular file, taken before reading
    /// it, joins that map.
    fn read_all(
        &mut self,
        files: &[PathBuf],
        known: Option<(&Path, KnownDigest<'_>, &mut HashMap<PathBuf, String>)>,
        stats: Option<&mut BTreeMap<PathBuf, FileStat>>,
    ) -> Result<Vec<PathBuf>, Error> {
        let limits = self.limits;
        let this = &*self;
        let (known, known_digests) = match known {
            Some((root, known, digests)) => (Some((root, known)), Some(digests)),
            None => (None, None),
        };
        // The digest is known, or made from the text read.
        type Read = (Reader, Option<FileStat>, Option<String>);
        // A known file is looked up in its folder, held open: see
        // `open_folder`.
        let (folders, folder_of) = match known {
            Some(_) => OpenFolder::of_each(files),
            None => (Vec::new(), Vec::new()),
        };
        // The digest known of `file` at `stat`, when it is within the limit.
        let known_digest = |file: &Path, stat: &FileStat| {
            let (root, known) = known?;
            (stat.size <= limits.max_file_bytes)
                .then(|| known(root, file, stat))
                .flatten()
        };
        let read: Vec<Result<Read, Error>> = files
            .par_iter()
            .enumerate()
            .map(|(at, file)| {
                if let Some(folder) = folder_of.get(at).and_then(|&i| folders.get(i))
                    && let Some(name) = file.file_name()
                    && let Some(stat) = folder.file_stat(Path::new(name))
                    && let Some(digest) = known_digest(file, &stat)
                {
                    return Ok((Reader::new(limits), Some(stat), Some(digest)));
                }
                let mut own = Reader {
                    within: this.within.clone(),
                    ..Reader::new(limits)
                };
                let metadata = fs::symlink_metadata(file).map_err(|source| Error::Io {
                    path: file.clone(),
                    source,
                })?;
                // A link's target may change under an unchanged link: a
                // link is always read.
                let stat = metadata.is_file().then(|| FileStat::of(&metadata));
                if let Some(stat) = stat
                    && let Some(digest) = known_digest(file, &stat)
                {
                    return Ok((own, Some(stat), Some(digest)));
                }
                let mut digest = None;
                if let Some(text) = own.read_text_of(file, metadata)? {
                    digest = Some(crate::manifest::digest(text.as_bytes()));
                    own.sources.insert(file.clone(), text);
                }
                Ok((own, stat, digest))
            })
            .collect();
        let mut texts = Vec::new();
        let mut found_stats = Vec::new();
        let mut found_digests = Vec::new();
        for (file, result) in files.iter().zip(read) {
            let (mut own, stat, digest) = result?;
            self.diagnostics.append(&mut own.diagnostics);
            if let (true, Some(stat)) = (stats.is_some(), stat) {
                found_stats.push((file.clone(), stat));
            }
            match (own.sources.remove(file), digest) {
                (Some(text), Some(digest)) => {
                    self.sources.insert(file.clone(), text);
                    self.case_digests.insert(file.clone(), digest);
                    texts.push(file.clone());
                }
                (None, Some(digest)) => {
                    if known_digests.is_some() {
                        found_digests.push((file.clone(), digest));
                    }
                    texts.push(file.clone());
                }
                _ => {}
            }
        }
        if let Some(stats) = stats {
            add_all(stats, found_stats);
        }
        if let Some(digests) = known_digests {
            digests.extend(found_digests);
        }
        Ok(texts)
    }

    /// Parses the case files `files`, whose text is in `sources`, in
    /// parallel, calling `parsed` after each. Returns the cases that parsed,
    /// in file order, and records the problems of the others.
    ///
    /// Each file's text leaves `sources` and is let go as soon as it is
    /// parsed: at ten thousand cases the texts would otherwise be held,
    /// beside every parsed case, to the end of the run for the few lines a
    /// diagnostic quotes, which are read again ([`Repository::source_text`]).
    fn parse_cases(
        &mut self,
        sources: &mut BTreeMap<PathBuf, String>,
        files: &[PathBuf],
        parsed: &(dyn Fn() + Sync),
    ) -> Vec<Loaded<Case>> {
        let limits = self.limits;
        let texts: Vec<String> = files
            .iter()
            .map(|file| sources.remove(file).unwrap_or_default())
            .collect();
        let mut results: Vec<ParsedCase> = files
            .par_iter()
            .zip(texts)
            .map(|(file, text)| {
                let mut own = Reader::new(limits);
                let text = text.as_str();
                let value = own.parse_read::<Case>(file, text).map(|mut case| {
                    // A missing part of the incident is missing from
                    // `incident:`, not from its first field.
                    if let Some(incident) = &mut case.incident {
                        incident.pos = key_of_block_value(text, incident.pos);
                    }
                    Loaded {
                        file: file.clone(),
                        value: laid_out_anew(&case),
                    }
                });
                parsed();
                ParsedCase {
                    case: value,
                    diagnostics: own.diagnostics,
                    placeholders: own.placeholders,
                }
            })
            .collect();
        for result in &mut results {
            self.diagnostics.append(&mut result.diagnostics);
            self.placeholders.append(&mut result.placeholders);
        }
        // Collected in place, in the results' own memory: at ten thousand
        // cases a second list of them was 22 MiB of the run's peak.
        let cases: Vec<Loaded<Case>> = results
            .into_iter()
            .filter_map(|result| result.case)
            .collect();
        cases
    }

    /// Reads a file as text, or records why it cannot be read as text.
    /// I/O failures are not content errors: they stop the run.
    fn read_text(&mut self, file: &Path) -> Result<Option<String>, Error> {
        let metadata = fs::symlink_metadata(file).map_err(|source| Error::Io {
            path: file.to_path_buf(),
            source,
        })?;
        self.read_text_of(file, metadata)
    }

    /// [`Reader::read_text`], given the file's `symlink_metadata`.
    fn read_text_of(
        &mut self,
        file: &Path,
        mut metadata: fs::Metadata,
    ) -> Result<Option<String>, Error> {
        let io_error = |source| Error::Io {
            path: file.to_path_buf(),
            source,
        };
        let limit = self.limits.max_file_bytes;
        let too_large = |size: Option<u64>| {
            let size = size.map_or_else(String::new, |size| format!(" is {size} bytes,"));
            Diagnostic::new(
                Code::FileTooLarge,
                format!("file{size} more than the limit of {limit} bytes"),
            )
            .in_file(file)
            .with_help("split the file, or raise the limit with --max-file-size")
        };
        // A link is followed only inside the repository.
        if metadata.file_type().is_symlink() {
            self.check_inside(file)?;
            metadata = fs::metadata(file).map_err(io_error)?;
        }
        if !metadata.is_file() {
            // A pipe or a device: reading it could block, or never end.
            return Err(io_error(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            )));
        }
        if metadata.len() > limit {
            self.diagnostics.push(too_large(Some(metadata.len())));
            return Ok(None);
        }
        // Never more than the limit, even from a file that grows while it
        // is read. Sized to the file, it is read in one call, not ten.
        let expected = usize::try_from(metadata.len()).unwrap_or(0);
        let mut bytes = Vec::with_capacity(expected.saturating_add(1));
        fs::File::open(file)
            .and_then(|f| f.take(limit.saturating_add(1)).read_to_end(&mut bytes))
            .map_err(io_error)?;
        if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
            self.diagnostics.push(too_large(None));
            return Ok(None);
        }
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                if text.starts_with('\u{feff}') {
                    text.remove(0);
                }
                Ok(Some(text))
            }
            Err(e) => {
                self.diagnostics
                    .push(not_utf8(e.as_bytes(), e.utf8_error().valid_up_to()).in_file(file));
                Ok(None)
            }
        }
    }

    /// The signature beside the approval file `file`, if there is one
    /// that can be read.
    fn signature_of(&mut self, file: &Path) -> Result<Option<Signature>, Error> {
        let sig_file = file.with_extension("sig");
        if !sig_file.is_file() {
            return Ok(None);
        }
        let Some(armored) = self.read_text(&sig_file)? else {
            return Ok(None);
        };
        let message = fs::read(file).map_err(|source| Error::Io {
            path: file.to_path_buf(),
            source,
        })?;
        self.sources.insert(sig_file.clone(), armored.clone());
        Ok(Some(Signature {
            file: sig_file,
            armored,
            message,
        }))
    }

    /// The allowed signers file `settings` names, read; a path that leaves
    /// the repository, or a file that does not exist, is reported.
    fn allowed_signers(
        &mut self,
        root: &Path,
        settings: &Loaded<Settings>,
    ) -> Result<Option<Loaded<String>>, Error> {
        let Some(named) = &settings.value.approvals.signers else {
            return Ok(None);
        };
        let relative = Path::new(named.value.as_str());
        let inside = !named.value.trim().is_empty()
            && relative
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        let problem = if !inside {
            Some((
                Code::InvalidValue,
                format!("`{}` is not a path inside the repository", named.value),
            ))
        } else if !join(root, &named.value).is_file() {
            Some((
                Code::UnresolvedReference,
                format!("the allowed signers file `{}` does not exist", named.value),
            ))
        } else {
            None
        };
        if let Some((code, message)) = problem {
            self.diagnostics.push(
                Diagnostic::new(code, message)
                    .in_file(&settings.file)
                    .at(named.pos)
                    .with_path("approvals.signers")
                    .with_help(
                        "name an OpenSSH allowed signers file below the repository root, \
                         such as `.candor/allowed_signers`",
                    ),
            );
            return Ok(None);
        }
        let file = join(root, &named.value);
        let Some(text) = self.read_text(&file)? else {
            return Ok(None);
        };
        self.sources.insert(file.clone(), text.clone());
        Ok(Some(Loaded { file, value: text }))
    }

    /// Reads and parses one YAML file. `Ok(None)` means the file had
    /// problems, now recorded as diagnostics.
    fn parse<T: DeserializeOwned>(&mut self, file: &Path) -> Result<Option<T>, Error> {
        let Some(text) = self.read_text(file)? else {
            return Ok(None);
        };
        let parsed = self.parse_read(file, &text);
        self.sources.insert(file.to_path_buf(), text);
        Ok(parsed)
    }

    /// Parses the text of `file`, already read. `None` means the file had
    /// problems, now recorded as diagnostics.
    fn parse_read<T: DeserializeOwned>(&mut self, file: &Path, text: &str) -> Option<T> {
        match self.parse_text::<T>(text) {
            Ok(value) => {
                // Most files hold no placeholder: only they are read twice.
                if text.contains(PLACEHOLDER) {
                    self.find_placeholders(file, text);
                }
                Some(value)
            }
            Err(diagnostics) => {
                self.diagnostics
                    .extend(diagnostics.into_iter().map(|d| d.in_file(file)));
                None
            }
        }
    }

    /// Parses the text of one file, or says, located, why it cannot be
    /// read: every problem of its shape, not only the first.
    fn parse_text<T: DeserializeOwned>(&self, text: &str) -> Result<T, Vec<Diagnostic>> {
        if holds_nothing(text) {
            return Err(vec![
                Diagnostic::new(Code::EmptyFile, "file is empty")
                    .at(Pos { line: 1, column: 1 })
                    .with_help("remove the file, or fill it in"),
            ]);
        }
        if let Some(diagnostic) = raw_control_character(text) {
            return Err(vec![diagnostic]);
        }
        let value = serde_saphyr::from_str_with_options::<T>(text, self.options())
            .map_err(|error| self.every_problem::<T>(text, &error))?;
        // Escapes in double-quoted text (`"\a"`, `"\x07"`, `"\u0000"`)
        // produce control characters the raw scan above cannot see. Only
        // double-quoted text has escapes, and escapes start with `\`.
        if text.contains('\\') {
            serde_saphyr::from_str_with_options::<ControlScan>(text, self.options())
                .map_err(|error| vec![escaped_control_diagnostic(&error, text)])?;
        }
        Ok(value)
    }

    /// The problem `first` that stopped the parse of `text`, and those
    /// after it. The parser stops at the first, so each time the part of
    /// the file it is in is set aside (a misplaced field, or the list item
    /// holding the problem), with its lines left blank so later problems
    /// keep their places, and the file is parsed again. Syntax errors and
    /// problems outside any list item end the search: what follows them
    /// cannot be read with confidence.
    fn every_problem<T: DeserializeOwned>(
        &self,
        text: &str,
        first: &serde_saphyr::Error,
    ) -> Vec<Diagnostic> {
        let mut found = vec![yaml_diagnostic(first, text)];
        // An item set aside may be an anchor others refer to.
        if has_anchor(text) {
            return found;
        }
        let mut current = found[0].clone();
        let mut lines: Vec<String> = lines(text).map(str::to_owned).collect();
        // Fields an unknown field was taken to be a misspelling of: their
        // absence is the same mistake, not another.
        let mut suggested: Vec<String> = Vec::new();
        while found.len() < MAX_PROBLEMS_PER_FILE {
            if current.code == Code::UnknownField {
                suggested.extend(suggested_field(&current));
            }
            if !set_aside(&mut lines, &current) {
                break;
            }
            let again = lines.join("\n");
            let Err(error) = serde_saphyr::from_str_with_options::<T>(&again, self.options())
            else {
                break;
            };
            // Placed with the file as written: only blank lines differ.
            let next = yaml_diagnostic(&error, text);
            let no_progress = next.code == current.code
                && next.line == current.line
                && next.column == current.column;
            if no_progress {
                break;
            }
            let same_mistake = next.code == Code::MissingField
                && suggested
                    .iter()
                    .any(|field| next.message == format!("missing field `{field}`"));
            if !same_mistake {
                found.push(next.clone());
            }
            current = next;
        }
        found
    }

    /// Records every placeholder value in `text`, a file that parsed.
    fn find_placeholders(&mut self, file: &Path, text: &str) {
        // The file parsed once under the same budget, so it parses again;
        // were it somehow not to, there would be nothing to point at.
        let Ok(root) = serde_saphyr::from_str_with_options::<serde_saphyr::Spanned<Node>>(
            text,
            self.options(),
        ) else {
            return;
        };
        let mut pending = vec![(String::new(), root)];
        while let Some((path, node)) = pending.pop() {
            let pos = Pos {
                line: u32::try_from(node.referenced.line()).unwrap_or(u32::MAX),
                column: u32::try_from(node.referenced.column()).unwrap_or(u32::MAX),
            };
            match node.value {
                Node::Text(text) if is_placeholder(&text) => self.placeholders.push(Placeholder {
                    file: file.to_path_buf(),
                    pos,
                    path,
                    text,
                }),
                Node::Text(_) | Node::Other => {}
                // Pushed in reverse, so they come out in file order.
                Node::List(items) => pending.extend(
                    items
                        .into_iter()
                        .enumerate()
                        .rev()
                        .map(|(i, item)| (format!("{path}[{i}]"), item)),
                ),
                Node::Map(entries) => {
                    pending.extend(entries.into_iter().rev().map(|(key, value)| {
                        let path = if path.is_empty() {
                            key
                        } else {
                            format!("{path}.{key}")
                        };
                        (path, value)
                    }))
                }
            }
        }
    }

    fn options(&self) -> serde_saphyr::Options {
        let limits = self.limits;
        let max_bytes = usize::try_from(limits.max_file_bytes).unwrap_or(usize::MAX);
        let mut budget = serde_saphyr::Budget::default();
        budget.max_reader_input_bytes = Some(max_bytes);
        budget.max_depth = limits.max_depth;
        budget.flow_nesting_limit = limits.max_depth;
        budget.max_nodes = limits.max_nodes;
        budget.max_events = limits.max_nodes.saturating_mul(3);
        budget.max_aliases = limits.max_aliases;
        budget.max_anchors = limits.max_aliases;
        budget.max_merge_keys = limits.max_aliases;
        budget.max_recorded_anchor_events = limits.max_nodes;
        budget.max_recorded_anchor_bytes = max_bytes.saturating_mul(2);
        budget.max_total_scalar_bytes = max_bytes.saturating_mul(4);
        let mut options = serde_saphyr::Options::default();
        options.budget = Some(budget);
        options.alias_limits.max_total_replayed_events = limits.max_nodes;
        options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
        // Text is text: a tag never changes what a field says.
        options.reject_unsupported_tags = true;
        options.ignore_binary_tag_for_string = true;
        options.with_snippet = false;
        options
    }

    /// Every file under `folder`, named by its path below it with `/`.
    fn templates(&mut self, folder: &Path) -> Result<Vec<TemplateFile>, Error> {
        let mut templates = Vec::new();
        if !folder.exists() {
            return Ok(templates);
        }
        // Folders by where they resolve to, so a link back to a folder
        // already read is a loop, found before it is followed.
        let top = self.check_inside(folder)?;
        let mut pending = vec![(folder.to_path_buf(), top)];
        while let Some((dir, resolved)) = pending.pop() {
            let entries = match fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(source) => return Err(Error::Io { path: dir, source }),
            };
            for entry in entries {
                let entry = entry.map_err(|source| Error::Io {
                    path: dir.clone(),
                    source,
                })?;
                let path = entry.path();
                let linked = entry.file_type().is_ok_and(|kind| kind.is_symlink());
                let target = if linked {
                    self.check_inside(&path)?
                } else {
                    resolved.as_ref().map(|r| r.join(entry.file_name()))
                };
                if path.is_dir() {
                    if let (Some(target), Some(resolved)) = (&target, &resolved)
                        && resolved.starts_with(target)
                    {
                        return Err(Error::Io {
                            path,
                            source: io::Error::other(
                                "a link to a folder that holds it, which would be read \
                                 without end; remove the link",
                            ),
                        });
                    }
                    pending.push((path, target));
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

/// Says where a file stops being UTF-8, or that it is UTF-16 or UTF-32,
/// which YAML allows but candor does not read.
fn not_utf8(bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let wide = if bytes.starts_with(&[0xff, 0xfe, 0, 0]) || bytes.starts_with(&[0, 0, 0xfe, 0xff]) {
        Some("UTF-32")
    } else if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        Some("UTF-16")
    } else {
        None
    };
    if let Some(encoding) = wide {
        return Diagnostic::new(Code::NotUtf8, format!("file is {encoding} text, not UTF-8"))
            .at(Pos { line: 1, column: 1 })
            .with_help("save the file as UTF-8");
    }
    let valid = bytes.get(..valid_up_to).unwrap_or_default();
    let before = String::from_utf8_lossy(valid);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Diagnostic::new(
        Code::NotUtf8,
        format!(
            "file is not UTF-8 text: invalid byte 0x{:02x}",
            bytes.get(valid_up_to).copied().unwrap_or_default()
        ),
    )
    .at(Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    })
    .with_help("save the file as UTF-8")
}

/// The lines of `text` as YAML counts them: broken by `\n`, `\r\n` or a
/// lone `\r`.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().flat_map(|line| line.split('\r'))
}

/// Whether a file holds no YAML content: only blank lines, comments,
/// directives and document markers.
fn holds_nothing(text: &str) -> bool {
    lines(text).all(|line| {
        let line = line.trim_end();
        let after_marker = line
            .strip_prefix("---")
            .or_else(|| line.strip_prefix("..."))
            .map(str::trim_start);
        line.trim_start().is_empty()
            || line.trim_start().starts_with('#')
            || line.starts_with('%')
            || after_marker.is_some_and(|rest| rest.is_empty() || rest.starts_with('#'))
    })
}

/// Whether `c` is a control character that has no place in text. Tabs and
/// line breaks are the only ones a case file may hold.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The first control character written as such in `text`, located exactly.
/// YAML does not allow them, and the parser would place the error at the
/// start of the value holding one rather than at the character itself.
fn raw_control_character(text: &str) -> Option<Diagnostic> {
    if !may_hold_control(text) {
        return None;
    }
    let mut pos = Pos { line: 1, column: 1 };
    let mut after_cr = false;
    for c in text.chars() {
        if c == '\r' || (c == '\n' && !after_cr) {
            pos.line = pos.line.saturating_add(1);
            pos.column = 1;
        }
        after_cr = c == '\r';
        if matches!(c, '\r' | '\n') {
            continue;
        }
        if is_forbidden_control(c) {
            return Some(
                Diagnostic::new(
                    Code::YamlSyntax,
                    format!(
                        "the control character {} is not allowed in a YAML file",
                        char_name(c)
                    ),
                )
                .at(pos)
                .with_help(
                    "delete it: a YAML file holds text, tabs and line breaks, \
                     no other control characters",
                ),
            );
        }
        pos.column = pos.column.saturating_add(1);
    }
    None
}

/// Whether `text` may hold a control character other than a tab or a line
/// break, told from its bytes alone: those below U+0020 and U+007F are one
/// byte each, and U+0080 to U+009F are two, the first 0xC2. Most files hold
/// none, and are then not read again character by character.
fn may_hold_control(text: &str) -> bool {
    // Blocks are screened first without stopping at each byte, which the
    // compiler does many bytes at a time; a block that may hold one (a
    // 0xC2 may start a letter such as `é`) is read byte by byte.
    const BLOCK: usize = 64;
    let suspect = |byte: u8| {
        (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0x7f || byte == 0xc2
    };
    let bytes = text.as_bytes();
    bytes.chunks(BLOCK).enumerate().any(|(block, chunk)| {
        chunk
            .iter()
            .fold(false, |found, &byte| found | suspect(byte))
            && is_control_at_any(bytes, block * BLOCK, chunk.len())
    })
}

/// Whether one of the `len` bytes of `bytes` from `start` begins a control
/// character other than a tab or a line break.
fn is_control_at_any(bytes: &[u8], start: usize, len: usize) -> bool {
    (start..start + len).any(|at| match bytes[at] {
        b'\t' | b'\n' | b'\r' => false,
        0..0x20 | 0x7f => true,
        0xc2 => bytes
            .get(at + 1)
            .is_some_and(|next| (0x80..0xa0).contains(next)),
        _ => false,
    })
}

/// A character as `U+0007`, with its usual name when it has one.
fn char_name(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\u{7}' => " (BEL)",
        '\u{8}' => " (BS)",
        '\u{b}' => " (VT)",
        '\u{c}' => " (FF)",
        '\u{1b}' => " (ESC)",
        '\u{7f}' => " (DEL)",
        '\u{85}' => " (NEL)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

/// `text` with each control character other than a tab written as an
/// escape, such as `\u{1b}`.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_forbidden_control(c) || matches!(c, '\n' | '\r') {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A source line as diagnostics quote it: each control character but the
/// tab replaced by one symbol (its Unicode control picture, such as `␛`),
/// so columns still line up.
fn printable_line(line: &str) -> String {
    line.chars()
        .map(|c| match u32::from(c) {
            code @ 0..=0x1f if c != '\t' => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
            0x7f => '\u{2421}',
            _ if is_forbidden_control(c) => '\u{fffd}',
            _ => c,
        })
        .collect()
}

/// Any YAML value, read only to find control characters that escapes in
/// double-quoted text put into it.
struct ControlScan;

impl<'de> Deserialize<'de> for ControlScan {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ControlScan)
    }
}

impl<'de> Visitor<'de> for ControlScan {
    type Value = ControlScan;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<ControlScan, E> {
        match text.chars().find(|&c| is_forbidden_control(c)) {
            Some(c) => Err(E::custom(format!(
                "this text holds the control character {}",
                char_name(c)
            ))),
            None => Ok(ControlScan),
        }
    }

    fn visit_char<E: de::Error>(self, c: char) -> Result<ControlScan, E> {
        self.visit_str(c.encode_utf8(&mut [0; 4]))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<ControlScan, E> {
        Ok(ControlScan)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<ControlScan, E> {
        Ok(ControlScan)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<ControlScan, E> {
        Ok(ControlScan)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<ControlScan, E> {
        Ok(ControlScan)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<ControlScan, E> {
        Ok(ControlScan)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ControlScan, E> {
        Ok(ControlScan)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<ControlScan, E> {
        Ok(ControlScan)
    }

    fn visit_unit<E: de::Error>(self) -> Result<ControlScan, E> {
        Ok(ControlScan)
    }

    fn visit_none<E: de::Error>(self) -> Result<ControlScan, E> {
        Ok(ControlScan)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<ControlScan, D::Error> {
        ControlScan::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ControlScan, A::Error> {
        while seq.next_element::<ControlScan>()?.is_some() {}
        Ok(ControlScan)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ControlScan, A::Error> {
        while map.next_entry::<ControlScan, ControlScan>()?.is_some() {}
        Ok(ControlScan)
    }
}

/// The diagnostic for the scan for escaped control characters: the scan's
/// own finding, or whatever else stopped it.
fn escaped_control_diagnostic(error: &serde_saphyr::Error, text: &str) -> Diagnostic {
    match innermost(error) {
        serde_saphyr::Error::Message { msg, .. } if msg.contains("control character") => {
            let mut diagnostic = Diagnostic::new(Code::InvalidValue, msg.clone()).with_help(
                "remove the escape; write `\\t` or `\\n` only if you mean a tab or a line break",
            );
            if let Some(pos) = error.location().and_then(pos_of) {
                diagnostic = diagnostic.at(control_escape_in(text, pos).unwrap_or(pos));
            }
            diagnostic
        }
        _ => yaml_diagnostic(error, text),
    }
}

/// Where, in the double-quoted text starting at `start`, the first escape
/// that produces a forbidden control character is written.
fn control_escape_in(text: &str, start: Pos) -> Option<Pos> {
    let skip_lines = usize::try_from(start.line).ok()?.checked_sub(1)?;
    let skip_chars = usize::try_from(start.column).ok()?.checked_sub(1)?;
    let mut lines = lines(text).skip(skip_lines);
    let first = lines.next()?.chars().skip(skip_chars);
    let mut pos = start;
    let mut chars = first.chain(lines.flat_map(|line| std::iter::once('\n').chain(line.chars())));
    if chars.next() != Some('"') {
        return None;
    }
    pos.column = pos.column.saturating_add(1);
    let advance = |pos: &mut Pos, c: char| {
        if c == '\n' {
            pos.line = pos.line.saturating_add(1);
            pos.column = 1;
        } else {
            pos.column = pos.column.saturating_add(1);
        }
    };
    while let Some(c) = chars.next() {
        let at = pos;
        advance(&mut pos, c);
        match c {
            '"' => return None,
            '\\' => {
                let kind = chars.next()?;
                advance(&mut pos, kind);
                let digits = match kind {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => 0,
                };
                let escaped = if digits == 0 {
                    match kind {
                        '0' => Some('\0'),
                        'a' => Some('\u{7}'),
                        'b' => Some('\u{8}'),
                        'e' => Some('\u{1b}'),
                        'f' => Some('\u{c}'),
                        'v' => Some('\u{b}'),
                        'N' => Some('\u{85}'),
                        _ => None,
                    }
                } else {
                    let mut hex = String::new();
                    for _ in 0..digits {
                        let digit = chars.next()?;
                        advance(&mut pos, digit);
                        hex.push(digit);
                    }
                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                };
                if escaped.is_some_and(is_forbidden_control) {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// The `---` line that starts the document holding `pos`.
fn document_marker_before(text: &str, pos: Pos) -> Pos {
    let lines: Vec<&str> = lines(text).collect();
    let mut number = pos.line;
    while let Some(line) = number
        .checked_sub(1)
        .and_then(|i| lines.get(usize::try_from(i).ok()?))
    {
        if line.starts_with("---") {
            return Pos {
                line: number,
                column: 1,
            };
        }
        number -= 1;
    }
    pos
}

/// The flow collection (`[` or `{`) nearest before `pos` that opens a value
/// and is still open at `pos`: the likely cause of a syntax error there.
/// Brackets inside quoted text are counted too, so this is a hint.
fn unclosed_flow_before(text: &str, pos: Pos) -> Option<(char, Pos)> {
    const LOOK_BACK: usize = 20;
    let lines: Vec<&str> = lines(text).collect();
    let last = usize::try_from(pos.line).ok()?.checked_sub(1)?;
    let column = usize::try_from(pos.column).ok()?;
    let first = last.saturating_sub(LOOK_BACK);
    for index in (first..=last).rev() {
        let line = lines.get(index)?;
        let Some(open) = value_opener(line) else {
            continue;
        };
        let mut depth = 0_i32;
        for (n, line) in lines.get(index..=last)?.iter().enumerate() {
            let from = if n == 0 { open } else { 0 };
            let to = if index + n == last {
                column.saturating_sub(1)
            } else {
                usize::MAX
            };
            for c in line.chars().skip(from).take(to.saturating_sub(from)) {
                match c {
                    '[' | '{' => depth += 1,
                    ']' | '}' => depth -= 1,
                    _ => {}
                }
            }
        }
        let bracket = line.chars().nth(open)?;
        let at = Pos {
            line: u32::try_from(index + 1).ok()?,
            column: u32::try_from(open + 1).ok()?,
        };
        return (depth > 0).then_some((bracket, at));
    }
    None
}

/// The character index of a `[` or `{` that opens a value on `line`: as
/// the first thing after indentation and `- ` markers, or right after
/// `key: `.
fn value_opener(line: &str) -> Option<usize> {
    let start = content_column(line) - 1;
    let chars: Vec<char> = line.chars().collect();
    if matches!(chars.get(start), Some('[' | '{')) {
        return Some(start);
    }
    let mut quote = None;
    for (i, pair) in chars.windows(3).enumerate().skip(start) {
        match (quote, pair[0]) {
            (None, '"' | '\'') if i == start => quote = Some(pair[0]),
            (Some(q), c) if c == q => quote = None,
            (None, '#') => return None,
            (None, ':') if pair[1] == ' ' && matches!(pair[2], '[' | '{') => return Some(i + 2),
            _ => {}
        }
    }
    None
}

/// The error inside any alias wrappers: what actually went wrong.
fn innermost(error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    let mut error = error.without_snippet();
    while let serde_saphyr::Error::AliasError { error: inner, .. } = error {
        error = inner.without_snippet();
    }
    error
}

fn pos_of(location: serde_saphyr::Location) -> Option<Pos> {
    let pos = Pos {
        line: u32::try_from(location.line()).unwrap_or(u32::MAX),
        column: u32::try_from(location.column()).unwrap_or(u32::MAX),
    };
    (pos.line > 0).then_some(pos)
}

/// Turns a YAML or schema error into a located diagnostic. `text` is the
/// file's text, to describe and place some errors more precisely than the
/// parser does.
fn yaml_diagnostic(error: &serde_saphyr::Error, text: &str) -> Diagnostic {
    use serde_saphyr::Error as E;
    // Where an alias is involved, the place the alias is used.
    let mut pos = error
        .location()
        .and_then(pos_of)
        .or_else(|| innermost(error).location().and_then(pos_of));
    let error = innermost(error);
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
            // The parser places this at the mapping's last key; the item
            // begins at its first.
            pos = pos.map(|p| first_key_of_block_mapping(text, p));
            match pos.and_then(|p| misindented_key(text, p, field)) {
                Some((at, written, wanted)) => {
                    pos = Some(at);
                    (
                        Code::MissingField,
                        format!(
                            "missing field `{field}`: the `{field}:` here is indented {written} \
                             spaces, not {wanted} like the rest of its item"
                        ),
                        Some(format!(
                            "indent `{field}:` by {wanted} spaces, like the other fields of \
                             this item"
                        )),
                    )
                }
                None => (
                    Code::MissingField,
                    format!("missing field `{field}`"),
                    Some(format!("add `{field}:` to this item")),
                ),
            }
        }
        E::NullIntoString { .. } => {
            let message = match pos.and_then(|p| key_before(text, p)) {
                Some((key, at)) => {
                    pos = Some(at);
                    format!("`{key}` has no value")
                }
                None => "a value is missing".to_owned(),
            };
            (
                Code::MissingField,
                message,
                Some("write the value after the colon".to_owned()),
            )
        }
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            if expected.starts_with("a date") {
                Code::InvalidDate
            } else {
                Code::InvalidValue
            },
            format!(
                "expected {expected}, found {}",
                match unexpected.as_str() {
                    "map" => "a mapping",
                    "sequence" => "a list",
                    other => other,
                }
            ),
            match (expected.as_str(), pos.and_then(|p| owner_of(text, p))) {
                ("a name, or a list of names", Some((key, _))) => Some(format!(
                    "write one name, `{key}: Legal`, or a list, `{key}: [Legal, Security]`"
                )),
                _ => None,
            },
        ),
        E::Unexpected { expected, .. } => {
            let wanted = match *expected {
                "string scalar" | "scalar" | "str expected" => "text",
                "mapping start" | "empty mapping start" => "a mapping of `field: value` pairs",
                "sequence start" => "a list",
                other => other,
            };
            let found = pos.and_then(|p| found_at(text, p));
            let message = match found {
                Some(found) if found != wanted => format!("expected {wanted}, found {found}"),
                _ => format!("expected {wanted}"),
            };
            match pos.and_then(|p| expected_shape(text, p, wanted, found)) {
                Some((message, help)) => (Code::InvalidValue, message, Some(help)),
                None => (Code::InvalidValue, message, None),
            }
        }
        E::TaggedScalarCannotDeserializeIntoString { .. } => (
            Code::InvalidValue,
            "expected text, found a value with a YAML tag".to_owned(),
            Some("remove the tag (such as `!!int`) and write the text".to_owned()),
        ),
        E::UnsupportedTag { tag, .. } => (
            Code::InvalidValue,
            format!("the YAML tag `{tag}` is not supported"),
            Some("remove the tag: case files hold plain values".to_owned()),
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
            format!("file exceeds the parse budget: {}", breach_text(breach)),
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
        E::MultipleDocuments { .. } => {
            pos = pos.map(|p| document_marker_before(text, p));
            (
                Code::YamlSyntax,
                "the file holds more than one YAML document".to_owned(),
                Some(
                    "a file holds one item: remove the `---` line and what follows it, \
                 or move that to a file of its own"
                        .to_owned(),
                ),
            )
        }
        E::UnknownAnchor { .. } => {
            let name = pos.and_then(|p| alias_name_at(text, p));
            (
                Code::YamlSyntax,
                match &name {
                    Some(name) => format!("the alias `*{name}` refers to no anchor"),
                    None => "an alias refers to no anchor".to_owned(),
                },
                Some(match &name {
                    Some(name) => format!("define `&{name}` before it, or write the value out"),
                    None => "define the anchor before it, or write the value out".to_owned(),
                }),
            )
        }
        E::Eof { .. } => {
            pos = pos.or_else(|| Some(end_of(text)));
            (
                Code::YamlSyntax,
                "the file ends in the middle of a value".to_owned(),
                None,
            )
        }
        E::Message { msg, .. } if msg.contains("is not a valid id") => {
            (Code::InvalidId, msg.clone(), None)
        }
        E::Message { msg, .. } if msg.contains("is not a date") => {
            (Code::InvalidDate, msg.clone(), None)
        }
        E::Message { msg, .. } => (Code::InvalidValue, msg.clone(), None),
        other => {
            let message = strip_location(&other.to_string());
            if message.contains("recursion limit") {
                (
                    Code::ParseBudget,
                    "file exceeds the parse budget: collections nested too deep".to_owned(),
                    Some(
                        "simplify the file: deep nesting and aliases are not needed in a case"
                            .to_owned(),
                    ),
                )
            } else if message.contains("tab") {
                pos = pos.map(|p| nearest_tab(text, p));
                (
                    Code::YamlSyntax,
                    message,
                    Some("indent with spaces: YAML does not allow tabs here".to_owned()),
                )
            } else if let Some((bracket, at)) = pos.and_then(|p| unclosed_flow_before(text, p)) {
                let help = format!(
                    "the `{bracket}` at line {}, column {} is not closed",
                    at.line, at.column
                );
                (Code::YamlSyntax, message, Some(help))
            } else if message.contains("mapping values are not allowed") {
                let help = "text holding `: ` must be quoted; or is this line indented too far?";
                (Code::YamlSyntax, message, Some(help.to_owned()))
            } else {
                (Code::YamlSyntax, message, None)
            }
        }
    };
    // Names taken from the file (fields, keys, values) may hold escaped
    // control characters; a message never does.
    let message = printable(&message);
    let mut diagnostic =
        Diagnostic::new(code, message).at(pos.unwrap_or(Pos { line: 1, column: 1 }));
    if let Some(help) = help {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// The most problems one file reports: each after the first costs a parse.
const MAX_PROBLEMS_PER_FILE: usize = 50;

/// Whether `text` defines a YAML anchor (`&name`), as opposed to an `&` in
/// words such as `R&D` or `Q & A`.
fn has_anchor(text: &str) -> bool {
    let mut previous = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '&'
            && (previous.is_whitespace() || matches!(previous, '[' | '{' | ','))
            && chars
                .peek()
                .is_some_and(|next| next.is_alphanumeric() || matches!(next, '_' | '-'))
        {
            return true;
        }
        previous = c;
    }
    false
}

/// The field an unknown field's did-you-mean names, if any.
fn suggested_field(diagnostic: &Diagnostic) -> Option<String> {
    let help = diagnostic.help.as_deref()?;
    let near = help.strip_prefix("did you mean `")?.strip_suffix("`?")?;
    Some(near.to_owned())
}

/// Sets aside, in `lines`, the part of the file `diagnostic` is about so
/// that parsing can go on past it: an unknown field with its value, or
/// else the innermost list item holding the problem. Returns whether it
/// set anything aside.
fn set_aside(lines: &mut [String], diagnostic: &Diagnostic) -> bool {
    let recoverable = matches!(
        diagnostic.code,
        Code::UnknownField
            | Code::MissingField
            | Code::InvalidValue
            | Code::InvalidDate
            | Code::InvalidId
            | Code::DuplicateKey
    );
    let (Some(line), Some(column)) = (diagnostic.line, diagnostic.column) else {
        return false;
    };
    let (Ok(line), Ok(column)) = (usize::try_from(line), usize::try_from(column)) else {
        return false;
    };
    let Some(index) = line.checked_sub(1).filter(|&i| i < lines.len()) else {
        return false;
    };
    if !recoverable || column == 0 {
        return false;
    }
    if diagnostic.code == Code::UnknownField {
        return set_aside_field(lines, index, column);
    }
    set_aside_item(lines, index, column)
}

/// The number of spaces a line is indented by.
fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Whether a line holds nothing YAML reads: blank, or a comment.
fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// The index of the last line of the block that starts at `start` and
/// holds every following line indented by more than `indent`.
fn end_of_block(lines: &[String], start: usize, indent: usize) -> usize {
    let mut end = start;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if is_blank_or_comment(line) {
            continue;
        }
        if indent_of(line) <= indent {
            break;
        }
        end = i;
    }
    end
}

/// Blanks the field whose key starts at 1-based `column` of line `index`,
/// and its value; a `- ` before the key stays, so the item goes on.
fn set_aside_field(lines: &mut [String], index: usize, column: usize) -> bool {
    let line = &lines[index];
    let Some((start, _)) = line.char_indices().nth(column - 1) else {
        return false;
    };
    let end = end_of_block(lines, index, column - 1);
    lines[index] = lines[index][..start].trim_end().to_owned();
    for line in &mut lines[index + 1..=end] {
        line.clear();
    }
    true
}

/// Blanks the innermost block list item holding 1-based `column` of line
/// `index`. The last item of a list leaves the list empty (`key: []`), so
/// the key keeps a value of its kind.
fn set_aside_item(lines: &mut [String], index: usize, column: usize) -> bool {
    // The item's `-` is less indented than everything between it and the
    // problem.
    let mut bound = column - 1;
    let mut dash = None;
    for i in (0..=index).rev() {
        let line = &lines[i];
        if is_blank_or_comment(line) {
            continue;
        }
        let indent = indent_of(line);
        let rest = &line[indent..];
        let is_item = rest == "-" || rest.starts_with("- ");
        if is_item && indent < bound {
            dash = Some((i, indent));
            break;
        }
        bound = bound.min(indent);
    }
    let Some((start, indent)) = dash else {
        return false;
    };
    let end = end_of_block(lines, start, indent);
    let is_sibling = |line: &String| {
        indent_of(line) == indent && {
            let rest = &line[indent..];
            rest == "-" || rest.starts_with("- ")
        }
    };
    let before = lines[..start]
        .iter()
        .rev()
        .find(|line| !is_blank_or_comment(line) && indent_of(line) <= indent);
    let after = lines[end + 1..]
        .iter()
        .find(|line| !is_blank_or_comment(line) && indent_of(line) <= indent);
    let alone = !before.is_some_and(is_sibling) && !after.is_some_and(is_sibling);
    if alone {
        // The key that opens the list: `examined:` becomes `examined: []`.
        let Some(opener) = lines[..start]
            .iter()
            .rposition(|line| !is_blank_or_comment(line) && indent_of(line) <= indent)
        else {
            return false;
        };
        let key_line = lines[opener].trim_end();
        if !key_line.ends_with(':') || key_line.trim_start().starts_with("- ") {
            return false;
        }
        lines[opener] = format!("{key_line} []");
    }
    for line in &mut lines[start..=end] {
        line.clear();
    }
    true
}

/// A budget breach in words.
fn breach_text(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Depth { depth } => format!("collections nested {depth} deep"),
        B::Nodes { nodes } => format!("more than {} values", nodes.saturating_sub(1)),
        B::Events { events } => format!("more than {} parser events", events.saturating_sub(1)),
        B::Aliases { aliases } => format!("more than {} aliases", aliases.saturating_sub(1)),
        B::Anchors { anchors } => format!("more than {} anchors", anchors.saturating_sub(1)),
        B::MergeKeys { merge_keys } => {
            format!("more than {} merge keys", merge_keys.saturating_sub(1))
        }
        B::AliasAnchorRatio { aliases, anchors } => {
            format!("{aliases} aliases of only {anchors} anchors")
        }
        B::ScalarBytes { total_scalar_bytes } => {
            format!("{total_scalar_bytes} bytes of text, aliases expanded")
        }
        B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => {
            "anchors that hold too much".to_owned()
        }
        B::InputBytes { input_bytes } => format!("{input_bytes} bytes"),
        B::Documents { documents } => format!("{documents} documents"),
        other => format!("{other:?}"),
    }
}

/// The text of line `line` (1-based) of `text`.
fn line_of(text: &str, line: u32) -> Option<&str> {
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    lines(text).nth(index)
}

/// The text of `line` from 1-based character `column` on.
fn rest_of_line(text: &str, pos: Pos) -> Option<&str> {
    let line = line_of(text, pos.line)?;
    let skip = usize::try_from(pos.column).ok()?.checked_sub(1)?;
    let start = line.char_indices().nth(skip).map(|(i, _)| i)?;
    line.get(start..)
}

/// Where an item's text begins: the column of its first character after
/// indentation and any `- ` markers of the sequences it opens.
fn content_column(line: &str) -> usize {
    let mut rest = line;
    let mut column = 1;
    loop {
        let trimmed = rest.trim_start_matches(' ');
        column += rest.len() - trimmed.len();
        match trimmed.strip_prefix('-') {
            Some(after) if after.starts_with(' ') => {
                column += 1;
                rest = after;
            }
            _ => return column,
        }
    }
}

/// The first key of the block mapping whose key at `pos` the parser stopped
/// on. Walks back over the mapping's earlier keys and anything nested in
/// them; stops at the line that opens the mapping. Flow mappings, and
/// anything the walk does not recognise, keep `pos`.
fn first_key_of_block_mapping(text: &str, pos: Pos) -> Pos {
    let Ok(column) = usize::try_from(pos.column) else {
        return pos;
    };
    let Some(line) = line_of(text, pos.line) else {
        return pos;
    };
    if content_column(line) != column {
        return pos;
    }
    let lines: Vec<&str> = lines(text).collect();
    let mut first = pos.line;
    let mut number = pos.line;
    while let Some(line) = number
        .checked_sub(1)
        .and_then(|i| lines.get(usize::try_from(i).ok()?))
    {
        let trimmed = line.trim_start();
        if line.starts_with("---") || line.starts_with('%') {
            break;
        }
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            let at = content_column(line);
            if at < column {
                break;
            }
            if at == column {
                first = number;
                // Only spaces and `- ` markers come before the key, so the
                // byte offset is the character offset.
                if line
                    .get(..column - 1)
                    .is_some_and(|before| before.contains('-'))
                {
                    break;
                }
            }
        }
        number -= 1;
    }
    Pos {
        line: first,
        column: pos.column,
    }
}

/// The key whose value at `pos` is missing, as in `title:` for an empty
/// title, and where that key starts. The parser places the empty value at
/// the colon or just after it.
fn key_before(text: &str, pos: Pos) -> Option<(String, Pos)> {
    let line = line_of(text, pos.line)?;
    let column = usize::try_from(pos.column).ok()?;
    // Before `~` or `null`, or up to the colon of an empty value.
    let before: String = line.chars().take(column.saturating_sub(1)).collect();
    let through: String = line.chars().take(column).collect();
    let before_colon = before
        .trim_end()
        .strip_suffix(':')
        .or_else(|| through.trim_end().strip_suffix(':'))?;
    let start = content_column(before_colon);
    let key = before_colon
        .trim_start()
        .trim_start_matches(['-', ' '])
        .trim();
    let key = key.trim_matches(['"', '\'']);
    if key.is_empty() || key.contains([':', '{', '[', ',', '#']) {
        return None;
    }
    let at = Pos {
        line: pos.line,
        column: u32::try_from(start).ok()?,
    };
    Some((key.to_owned(), at))
}

/// The key whose value starts at `pos`, and whether the value is an item
/// of that key's list: `organisation` for `organisation: Microsoft`, and
/// `examined` for an item `- our records` under `examined:`.
fn owner_of(text: &str, pos: Pos) -> Option<(String, bool)> {
    let opener = key_of_block_value(text, pos);
    if opener != pos {
        let line = line_of(text, opener.line)?;
        let key = line.trim().strip_suffix(':')?.trim_start_matches("- ");
        return Some((key.to_owned(), false));
    }
    let line = line_of(text, pos.line)?;
    let column = usize::try_from(pos.column).ok()?;
    let before: String = line.chars().take(column.saturating_sub(1)).collect();
    let before = before.trim_end();
    if let Some(key) = before.strip_suffix(':') {
        let key = key.trim_start().trim_start_matches("- ").trim();
        return (!key.is_empty()).then(|| (key.to_owned(), false));
    }
    if before.trim_start() != "-" {
        return None;
    }
    let dash = indent_of(line);
    let opener = lines(text)
        .take(usize::try_from(pos.line).ok()?.saturating_sub(1))
        .filter(|line| !is_blank_or_comment(line))
        .filter(|line| {
            let indent = indent_of(line);
            indent < dash || (indent == dash && !line[indent..].starts_with('-'))
        })
        .last()?;
    let key = opener.trim().strip_suffix(':')?.trim_start_matches("- ");
    Some((key.to_owned(), true))
}

/// The field that holds the words of an item of the list `key`, or of the
/// mapping `key`: what a user writing text in its place meant.
fn main_field_of(key: &str, in_list: bool) -> Option<&'static str> {
    match (key, in_list) {
        ("examined" | "not_examined", true) => Some("what"),
        ("acknowledgements" | "next_steps" | "talking_points" | "framing", true) => Some("text"),
        ("timeline", true) => Some("event"),
        ("organisation", false) => Some("name"),
        _ => None,
    }
}

/// A message and help that show the shape expected at `pos`, where
/// `wanted` was expected and `found` written, for the mistakes a person
/// porting a document makes: text where a mapping goes, a mapping or list
/// where text goes.
fn expected_shape(
    text: &str,
    pos: Pos,
    wanted: &str,
    found: Option<&str>,
) -> Option<(String, String)> {
    let (key, in_list) = owner_of(text, pos)?;
    let written = rest_of_line(text, pos)?.trim();
    match (wanted, found?) {
        ("a mapping of `field: value` pairs", "text") => {
            let field = main_field_of(&key, in_list)?;
            let words: String = written.chars().take(60).collect();
            let example = format!("{field}: {words}");
            let help = if in_list {
                format!("each item of `{key}` is a mapping: write `- {example}`")
            } else {
                format!(
                    "write `{key}:` alone on its line and, on the line below, indented, `{example}`"
                )
            };
            Some((
                format!("expected a mapping such as `{example}`, found text"),
                help,
            ))
        }
        ("text", found @ ("a list" | "a mapping")) if !in_list => Some((
            format!("expected text, found {found}"),
            format!(
                "`{key}` takes one piece of text: write it after the colon, or below \
                 `{key}: |` for several lines"
            ),
        )),
        _ => None,
    }
}

/// Where `field:` is written, one or two spaces off, among the fields of
/// the block mapping whose first key is at `first`: the parser took it
/// for part of another value and reported it missing. With the number of
/// spaces it is indented by, and the number its item's fields are.
fn misindented_key(text: &str, first: Pos, field: &str) -> Option<(Pos, usize, usize)> {
    let wanted = usize::try_from(first.column).ok()?.checked_sub(1)?;
    let start = usize::try_from(first.line).ok()?;
    for (index, line) in lines(text).enumerate().skip(start) {
        if is_blank_or_comment(line) {
            continue;
        }
        let indent = indent_of(line);
        let is_field = line[indent..]
            .strip_prefix(field)
            .is_some_and(|rest| rest.starts_with(':'));
        if is_field && indent != wanted && indent.abs_diff(wanted) <= 2 {
            let at = Pos {
                line: u32::try_from(index + 1).ok()?,
                column: u32::try_from(indent + 1).ok()?,
            };
            return Some((at, indent, wanted));
        }
        // The item ends where its own `- ` or a less indented line does.
        if indent + 2 < wanted || (indent < wanted && line[indent..].starts_with('-')) {
            break;
        }
    }
    None
}

/// Where the key holding the block mapping that starts at `pos` is
/// written: `incident:` for the mapping whose first key is `nature:`
/// below it. `pos` when the mapping is not a key's block value.
fn key_of_block_value(text: &str, pos: Pos) -> Pos {
    let all: Vec<&str> = lines(text).collect();
    let Some(index) = usize::try_from(pos.line)
        .ok()
        .and_then(|l| l.checked_sub(1))
    else {
        return pos;
    };
    let Some(line) = all.get(index) else {
        return pos;
    };
    if usize::try_from(pos.column).ok() != Some(indent_of(line) + 1) {
        return pos;
    }
    let opener = all[..index]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, line)| !is_blank_or_comment(line));
    match opener {
        Some((i, opener))
            if indent_of(opener) < indent_of(line) && opener.trim_end().ends_with(':') =>
        {
            Pos {
                line: u32::try_from(i + 1).unwrap_or(pos.line),
                column: u32::try_from(content_column(opener)).unwrap_or(pos.column),
            }
        }
        _ => pos,
    }
}

/// What the value starting at `pos` looks like, to say what was found
/// where something else was expected.
fn found_at(text: &str, pos: Pos) -> Option<&'static str> {
    let rest = rest_of_line(text, pos)?;
    let first = rest.chars().next()?;
    match first {
        '[' => Some("a list"),
        '{' => Some("a mapping"),
        '-' if rest.len() == 1 || rest[1..].starts_with(' ') => Some("a list"),
        '&' | '*' | '!' | '?' => None,
        '"' | '\'' | '|' | '>' => Some("text"),
        _ if rest.contains(": ") || rest.trim_end().ends_with(':') => Some("a mapping"),
        _ => Some("text"),
    }
}

/// The name of the alias written at `pos`: `nope` for `*nope`.
fn alias_name_at(text: &str, pos: Pos) -> Option<String> {
    let rest = rest_of_line(text, pos)?.strip_prefix('*')?;
    let name: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The tab a tab error is about: the last one on `pos`'s line before it,
/// or else the first one after it. The parser may place such an error at
/// the start of the value the tab follows.
fn nearest_tab(text: &str, pos: Pos) -> Pos {
    let column = usize::try_from(pos.column).unwrap_or(usize::MAX);
    if let Some(line) = line_of(text, pos.line)
        && let Some(at) = line
            .chars()
            .take(column)
            .enumerate()
            .filter(|&(_, c)| c == '\t')
            .map(|(i, _)| i)
            .last()
    {
        return Pos {
            line: pos.line,
            column: u32::try_from(at + 1).unwrap_or(pos.column),
        };
    }
    let start = usize::try_from(pos.line)
        .unwrap_or(usize::MAX)
        .saturating_sub(1);
    for (index, line) in lines(text).enumerate().skip(start) {
        let from = if index == start { column } else { 0 };
        if let Some(at) = line
            .chars()
            .enumerate()
            .skip(from)
            .find(|&(_, c)| c == '\t')
        {
            return Pos {
                line: u32::try_from(index + 1).unwrap_or(pos.line),
                column: u32::try_from(at.0 + 1).unwrap_or(pos.column),
            };
        }
    }
    pos
}

/// The position just after the last character of `text`.
fn end_of(text: &str) -> Pos {
    let line = lines(text).count().max(1);
    let column = lines(text).last().map_or(0, |l| l.chars().count()) + 1;
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
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

/// Any YAML value, with where each of its parts was written: what the search
/// for placeholders walks.
enum Node {
    Text(String),
    List(Vec<serde_saphyr::Spanned<Node>>),
    Map(Vec<(String, serde_saphyr::Spanned<Node>)>),
    Other,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Node, E> {
        Ok(Node::Text(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Node, E> {
        Ok(Node::Text(text))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value()?;
            // Field names are text; any other key cannot name a field.
            if let Node::Text(key) = key {
                entries.push((key, value));
            }
        }
        Ok(Node::Map(entries))
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

/// Reads the repository holding `case` (a case id, or the path of a case
/// file) and returns it with the case's id. A case that does not exist is
/// a usage error; one that exists but does not load is left to its
/// diagnostics, with an empty id.
pub(crate) fn open_case(
    root: &Path,
    case: &str,
    limits: Limits,
) -> Result<(Repository, String), Error> {
    let as_path = Path::new(case);
    let looks_like_path = case.ends_with(".yaml") || case.ends_with(".yml") || case.contains('/');
    if looks_like_path {
        if !as_path.is_file() {
            return Err(Error::Usage(format!("no case file at `{case}`")));
        }
        let repository = open(&[as_path.to_path_buf()], limits)?;
        let case_id = repository
            .cases
            .first()
            .map(|loaded| loaded.value.id.to_string())
            .unwrap_or_default();
        return Ok((repository, case_id));
    }
    let repository = open(&[root.to_path_buf()], limits)?;
    let known: Vec<&str> = repository
        .cases
        .iter()
        .map(|c| c.value.id.as_str())
        .collect();
    if known.contains(&case) {
        return Ok((repository, case.to_owned()));
    }
    if repository.diagnostics.iter().any(Diagnostic::is_error) {
        return Ok((repository, String::new()));
    }
    let hint = match did_you_mean(case, known.iter().copied()) {
        Some(near) => format!("; did you mean `{near}`?"),
        None if known.is_empty() => " (this repository has no cases)".to_owned(),
        None => format!("; the cases are: {}", known.join(", ")),
    };
    Err(Error::Usage(format!("no case has the id `{case}`{hint}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }

    #[test]
    fn a_case_file_is_quoted_only_while_it_holds_what_was_read() {
        let dir = tempfile::TempDir::new().unwrap();
        fs::create_dir_all(dir.path().join("cases")).unwrap();
        let file = dir.path().join("cases/x.yaml");
        fs::write(&file, "\u{feff}id: x\ntitle: [\n").unwrap();
        let repository = open(&[dir.path().to_path_buf()], Limits::default()).unwrap();
        assert!(repository.sources.is_empty(), "the parsed text is let go");
        assert_eq!(
            repository.source_text(&file).as_deref(),
            Some("id: x\ntitle: [\n")
        );
        assert_eq!(
            repository.source_line(&file, 2).as_deref(),
            Some("title: [")
        );
        fs::write(&file, "id: x\ntitle: [\n# edited\n").unwrap();
        assert_eq!(repository.source_text(&file), None);
        assert_eq!(repository.source_line(&file, 2), None);
    }

    #[test]
    fn the_byte_scan_finds_control_characters_across_its_blocks() {
        for c in ['\u{7}', '\u{7f}', '\u{85}', '\u{9f}', '\u{a0}', 'é', '\n'] {
            for before in 0..140 {
                let text = format!("{}{c}b", "a".repeat(before));
                assert_eq!(
                    may_hold_control(&text),
                    is_forbidden_control(c),
                    "{c:?} after {before} bytes"
                );
            }
        }
    }

    #[test]
    fn the_byte_scan_misses_no_control_character() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(may_hold_control(&text), is_forbidden_control(c), "{:?}", c);
        }
    }

    #[test]
    fn nothing_but_comments_and_markers_is_empty() {
        assert!(holds_nothing(""));
        assert!(holds_nothing("# only\n\n  # comments\n"));
        assert!(holds_nothing("%YAML 1.2\n--- # start\n...\n"));
        assert!(!holds_nothing("--- {id: x}\n"));
        assert!(!holds_nothing("id: x\n"));
    }

    #[test]
    fn control_characters_are_located_exactly() {
        let found = raw_control_character("a: b\nc: d\u{7}e\n").unwrap();
        assert_eq!((found.line, found.column), (Some(2), Some(5)));
        let found = raw_control_character("a: b\rc: \u{0}\n").unwrap();
        assert_eq!((found.line, found.column), (Some(2), Some(4)));
        assert!(raw_control_character("a:\tb\r\nc: é\n").is_none());
        let text = "a: x\nb: \"one \\\\x07 two\n  three \\x1b end\"\n";
        assert_eq!(control_escape_in(text, at(2, 4)), Some(at(3, 9)));
        assert_eq!(control_escape_in("b: \"\\t \\n\"", at(1, 4)), None);
    }

    #[test]
    fn missing_fields_point_at_the_start_of_their_mapping() {
        let text = "id: x\nlist:\n  - id: a\n    text: >\n      more\n    state: done\nend: 1\n";
        assert_eq!(first_key_of_block_mapping(text, at(6, 5)), at(3, 5));
        assert_eq!(first_key_of_block_mapping(text, at(7, 1)), at(1, 1));
        // A flow mapping keeps the parser's position.
        assert_eq!(
            first_key_of_block_mapping("a: {b: 1}\n", at(1, 5)),
            at(1, 5)
        );
    }

    #[test]
    fn empty_values_are_named_by_their_key() {
        assert_eq!(
            key_before("  - title:\n", at(1, 10)),
            Some(("title".to_owned(), at(1, 5)))
        );
        assert_eq!(
            key_before("date: ~\n", at(1, 7)),
            Some(("date".to_owned(), at(1, 1)))
        );
        assert_eq!(key_before("- ~\n", at(1, 3)), None);
    }

    #[test]
    fn syntax_errors_are_placed_at_their_cause() {
        assert_eq!(nearest_tab("a:\n  b: c\n\td: e\n", at(2, 6)), at(3, 1));
        assert_eq!(nearest_tab("a:\n \tb: c\n", at(2, 3)), at(2, 2));
        let text = "a: 1\nlist: [x, y\nb: 2\n";
        assert_eq!(unclosed_flow_before(text, at(3, 2)), Some(('[', at(2, 7))));
        assert_eq!(unclosed_flow_before("list: [x]\nb: : 2\n", at(2, 4)), None);
        let two = "a: 1\n---\nb: 2\n";
        assert_eq!(document_marker_before(two, at(3, 1)), at(2, 1));
    }

    #[test]
    fn what_was_found_is_described() {
        assert_eq!(found_at("a: [1]\n", at(1, 4)), Some("a list"));
        assert_eq!(found_at("- x\n", at(1, 1)), Some("a list"));
        assert_eq!(found_at("a: {b: 1}\n", at(1, 4)), Some("a mapping"));
        assert_eq!(found_at("  b: 1\n", at(1, 3)), Some("a mapping"));
        assert_eq!(found_at("a: text\n", at(1, 4)), Some("text"));
        assert_eq!(
            alias_name_at("a: *nope\n", at(1, 4)),
            Some("nope".to_owned())
        );
    }

    #[test]
    fn quoted_lines_and_messages_carry_no_control_characters() {
        assert_eq!(
            printable_line("a\u{1b}[2J\u{7f}\tb"),
            "a\u{241b}[2J\u{2421}\tb"
        );
        assert_eq!(printable("sum\u{1b}mary"), "sum\\u{1b}mary");
    }

    #[test]
    fn utf16_is_named() {
        let d = not_utf8(b"\xff\xfei\0d\0", 0);
        assert_eq!(d.message, "file is UTF-16 text, not UTF-8");
        let d = not_utf8(b"ok\nab\xe9", 5);
        assert_eq!((d.line, d.column), (Some(2), Some(3)));
    }
}
