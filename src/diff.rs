//! What changed in a case's documents since an earlier version of the
//! repository: each document rendered now and then, and a [`Redline`] of
//! the two.
//!
//! The earlier version is a set of input files ([`history::Files`]): the
//! repository at a git revision ([`diff_against`]), or any inputs found
//! some other way, such as the files an approval's digests name
//! ([`diff_with_files`]). They are written to a private temporary folder,
//! run through the same pipeline as the repository now, and the folder is
//! removed afterwards, whatever happens.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::history::{self, Files};
use crate::outcome::{Document, Options, Outcome};
use crate::pipeline::{Rendering, run};
use crate::redline::{self, Redline};
use crate::render::docx::tracked as word;
use crate::{load, model};

/// How a document changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentStatus {
    /// The same text then and now.
    Unchanged,
    /// Rendered then and now, with different text.
    Changed,
    /// Rendered now but not then: a new case, or a kind the case did not
    /// produce.
    Added,
    /// Rendered then but not now.
    Removed,
}

impl DocumentStatus {
    /// The status as one lowercase word: `unchanged`, `changed`, `added`
    /// or `removed`.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Unchanged => "unchanged",
            DocumentStatus::Changed => "changed",
            DocumentStatus::Added => "added",
            DocumentStatus::Removed => "removed",
        }
    }
}

/// One document of the case, compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentDiff {
    /// The document kind.
    pub kind: String,
    /// Where the document goes under the output folder: `<case>/<kind>.md`.
    pub path: PathBuf,
    /// How it changed.
    pub status: DocumentStatus,
    /// The text then against the text now; an added document is compared
    /// with nothing, and nothing with a removed one.
    pub redline: Redline,
    /// The markdown then; empty for an added document.
    pub before: String,
    /// The markdown now; empty for a removed document.
    pub after: String,
}

/// The documents of one case, compared with an earlier version.
#[derive(Debug, Clone, Default)]
pub struct DiffOutcome {
    /// Rendering the case now: its diagnostics, and its documents. When it
    /// has errors, nothing is compared.
    pub outcome: Outcome,
    /// The case's id.
    pub case_id: String,
    /// Every document rendered then or now, in the order of the document
    /// kinds. Empty when the case has errors now.
    pub documents: Vec<DocumentDiff>,
}

impl DiffOutcome {
    /// Whether any document changed, was added or was removed.
    pub fn has_changes(&self) -> bool {
        self.documents
            .iter()
            .any(|d| d.status != DocumentStatus::Unchanged)
    }
}

/// Compares the documents of `case` (an id, or the path of a case file)
/// in the repository at `root` as it is now with the same case's documents
/// at the git `revision`. The case is found at the revision by its id; if
/// it did not exist then, every document is added.
///
/// Fails when `root` is not in a git repository, git is missing, the
/// revision is unknown, or the case had errors at the revision. Errors in
/// the case now are in the outcome, as for [`crate::render_one`].
pub fn diff_against(
    root: &Path,
    case: &str,
    revision: &str,
    options: Options,
) -> Result<DiffOutcome, Error> {
    let root = &load::find_root(root).unwrap_or_else(|| root.to_path_buf());
    diff_with(root, case, options, |case_id| {
        let files = history::files_at(root, revision)?;
        render_files(&files, case_id, &format!("revision `{revision}`"), options)
    })
}

/// What a comparison with a sign-off compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    /// The role.
    pub role: String,
    /// Who signed off.
    pub by: String,
    /// When, as recorded.
    pub at: String,
    /// What could not be restored exactly, in words.
    pub notes: Vec<String>,
}

impl SignOff {
    /// The sign-off in words: `the legal sign-off (Jane Doe, 2026-…)`.
    pub fn describe(&self) -> String {
        format!("the {} sign-off ({}, {})", self.role, self.by, self.at)
    }
}

/// Compares the documents of `case` as they are now with the documents as
/// they were when the case was last signed off (the latest sign-off of any
/// role): the inputs that sign-off recorded are found by their digests in
/// the working tree or in git history ([`crate::approval::approved_files`]).
/// A case with no sign-off, or whose signed-off inputs are found nowhere,
/// is a usage error that suggests `--against`.
pub fn diff_since_approval(
    root: &Path,
    case: &str,
    options: Options,
) -> Result<(DiffOutcome, SignOff), Error> {
    let (repository, case_id) = crate::load::open_case(root, case, options.limits)?;
    let Some(loaded) = repository
        .cases
        .iter()
        .find(|c| c.value.id.as_str() == case_id)
    else {
        // The case does not load: say why, as rendering it would.
        let (outcome, _) = run(&repository, None, Rendering::Bare);
        let sign_off = SignOff {
            role: String::new(),
            by: String::new(),
            at: String::new(),
            notes: Vec::new(),
        };
        return Ok((
            DiffOutcome {
                outcome,
                case_id,
                documents: Vec::new(),
            },
            sign_off,
        ));
    };
    let latest = repository
        .approvals
        .get(&loaded.file)
        .into_iter()
        .flatten()
        .max_by_key(|a| a.value.at.unix_seconds())
        .ok_or_else(|| {
            Error::Usage(format!(
                "`{case_id}` has no sign-off to compare with; compare with a git revision \
                 instead, with --against REV"
            ))
        })?;
    let (files, notes) = crate::approval::approved_files(&repository, &loaded.file, &latest.value)?;
    let sign_off = SignOff {
        role: latest.value.role.to_string(),
        by: latest.value.by.value.trim().to_owned(),
        at: latest.value.at.value.to_string(),
        notes,
    };
    let compared = diff_with_files(root, case, &files, &sign_off.describe(), options)?;
    Ok((compared, sign_off))
}

/// Like [`diff_against`], with the earlier inputs given: `files` holds the
/// repository's input files as they were, by path relative to its root.
/// `label` names that version in errors, such as `the approval by Ana`.
pub fn diff_with_files(
    root: &Path,
    case: &str,
    files: &Files,
    label: &str,
    options: Options,
) -> Result<DiffOutcome, Error> {
    let root = &load::find_root(root).unwrap_or_else(|| root.to_path_buf());
    diff_with(root, case, options, |case_id| {
        render_files(files, case_id, label, options)
    })
}

/// Renders the case with the id `case_id` from a repository given as its
/// input files (`candor.yaml`, `principles/…`, `cases/…`, `templates/…`,
/// by path relative to its root, `/` between folders): its documents, or
/// `None` when no case has that id. The files are written to a private
/// temporary folder, removed before this returns.
///
/// Only that case (and any earlier case it updates) is checked: problems
/// in other cases do not stop it. Errors in it fail with a usage error
/// naming `label` and the first error.
pub fn render_files(
    files: &Files,
    case_id: &str,
    label: &str,
    options: Options,
) -> Result<Option<Vec<Document>>, Error> {
    if let Some(path) = files.keys().find(|p| !history::is_plain_relative(p)) {
        return Err(Error::Usage(format!(
            "{label}: `{path}` is not a path inside a repository"
        )));
    }
    let options = Options {
        html: false,
        docx: false,
        ..options
    };
    let tree = TempTree::new()?;
    // Everything but the cases; of those, only what this one needs, so a
    // repository of thousands of cases costs no more than one of five.
    for (path, bytes) in files.iter().filter(|(path, _)| !path.starts_with("cases/")) {
        tree.write(path, bytes)?;
    }
    let Some(case_file) = case_file_of(files, case_id, &tree, options)? else {
        return Ok(None);
    };
    let repository = with_earlier_cases(files, &tree, &case_file, options)?;
    let (outcome, _) = run(&repository, Some((case_id, None)), Rendering::Bare);
    if let Some(error) = outcome.diagnostics.iter().find(|d| d.is_error()) {
        return Err(Error::Usage(format!(
            "the case `{case_id}` has errors at {label}, so it cannot be compared; the first: {}",
            describe(error, &tree.path)
        )));
    }
    let documents = outcome
        .documents
        .into_iter()
        .map(|document| Document {
            case_file: relative_to(&document.case_file, &tree.path),
            ..document
        })
        .collect();
    Ok(Some(documents))
}

/// The path of the file holding the case `case_id` among `files`, written
/// into `tree`: the one named after it, as candor expects, or else
/// whichever holds it.
fn case_file_of(
    files: &Files,
    case_id: &str,
    tree: &TempTree,
    options: Options,
) -> Result<Option<String>, Error> {
    let named = ["yaml", "yml"]
        .map(|extension| format!("cases/{case_id}.{extension}"))
        .into_iter()
        .find_map(|path| Some((files.get(&path)?, path)));
    if let Some((bytes, path)) = named {
        tree.write(&path, bytes)?;
        let repository = load::open(&[tree.path.join(&path)], options.limits)?;
        match repository.cases.first() {
            Some(loaded) if loaded.value.id.as_str() != case_id => {}
            // The case, or a file that does not load: rendering it says why.
            _ => return Ok(Some(path)),
        }
    }
    // Named otherwise (candor warns of it), or not there at all: read
    // every case to find it.
    for (path, bytes) in files.iter().filter(|(path, _)| path.starts_with("cases/")) {
        tree.write(path, bytes)?;
    }
    if !tree.path.join("cases").is_dir() {
        return Ok(None);
    }
    let repository = load::open(std::slice::from_ref(&tree.path), options.limits)?;
    Ok(repository
        .cases
        .iter()
        .find(|loaded| loaded.value.id.as_str() == case_id)
        .map(|loaded| {
            relative_to(&loaded.file, &tree.path)
                .to_string_lossy()
                .replace('\\', "/")
        }))
}

/// Reads the case in `case_file` after writing into `tree` the earlier
/// cases it updates, directly or through others. The loader finds those by
/// file name, so they are looked for the same way.
fn with_earlier_cases(
    files: &Files,
    tree: &TempTree,
    case_file: &str,
    options: Options,
) -> Result<load::Repository, Error> {
    loop {
        let repository = load::open(&[tree.path.join(case_file)], options.limits)?;
        let read: Vec<&model::Case> = repository
            .cases
            .iter()
            .chain(&repository.earlier_cases)
            .map(|loaded| &loaded.value)
            .collect();
        let mut wrote = false;
        for case in &read {
            let Some(earlier) = &case.updates else {
                continue;
            };
            if read.iter().any(|c| c.id.as_str() == earlier.as_str()) {
                continue;
            }
            for extension in ["yaml", "yml"] {
                let path = format!("cases/{}.{extension}", earlier.as_str());
                if let Some(bytes) = files.get(&path)
                    && !tree.path.join(&path).exists()
                {
                    tree.write(&path, bytes)?;
                    wrote = true;
                }
            }
        }
        if !wrote {
            return Ok(repository);
        }
    }
}

/// The case `case` as it is now, and then as `old` renders it, compared.
fn diff_with(
    root: &Path,
    case: &str,
    options: Options,
    old: impl FnOnce(&str) -> Result<Option<Vec<Document>>, Error>,
) -> Result<DiffOutcome, Error> {
    let options = Options {
        html: false,
        docx: false,
        ..options
    };
    let (repository, case_id) = crate::load::open_case(root, case, options.limits)?;
    let kinds = crate::validate::document_kind_ids(&repository.settings.value);
    let (outcome, _) = run(&repository, Some((&case_id, None)), Rendering::Bare);
    if outcome.has_errors() {
        return Ok(DiffOutcome {
            outcome,
            case_id,
            documents: Vec::new(),
        });
    }
    let then = old(&case_id)?.unwrap_or_default();
    let documents = compare_documents(&then, &outcome.documents, &kinds);
    Ok(DiffOutcome {
        outcome,
        case_id,
        documents,
    })
}

/// Each document of `diff` that changed, was added or was removed, as a
/// Word document with every change a tracked change ([`word`]), at
/// `<case>/<kind>.docx`, for [`crate::write`]. The changes are
/// attributed to the author of the last commit that touched the case's
/// inputs, dated by its commit time; while those inputs have changes git
/// has not recorded, to `candor`, dated by the case file's last change.
pub fn word_redlines(root: &Path, diff: &DiffOutcome) -> Result<Vec<Document>, Error> {
    let Some(now) = diff.outcome.documents.first() else {
        return Ok(Vec::new());
    };
    let case_file = relative_to(&now.case_file, root)
        .to_string_lossy()
        .replace('\\', "/");
    let inputs = [
        case_file.as_str(),
        load::SETTINGS_FILE,
        "principles",
        "templates",
    ];
    let (author, time) = match history::last_change(root, &inputs)? {
        Some(commit) => (commit.author, commit.time),
        None => ("candor".to_owned(), modified_at(&now.case_file)),
    };
    let date = model::Timestamp::from_unix(time);
    let change = word::Change {
        author: &author,
        date: date.as_str(),
    };
    Ok(diff
        .documents
        .iter()
        .filter(|document| document.status != DocumentStatus::Unchanged)
        .map(|document| {
            let about = crate::render::docx::About {
                organisation: &now.organisation,
                kind: &document.kind,
                mark: Some("TRACKED CHANGES"),
            };
            Document {
                case_id: diff.case_id.clone(),
                kind: document.kind.clone(),
                path: document.path.with_extension("docx"),
                text: String::new(),
                binary: Some(word::document(
                    &document.before,
                    &document.after,
                    &about,
                    &change,
                )),
                mark: None,
                cited: Default::default(),
                ..now.clone()
            }
        })
        .collect())
}

/// When `file` last changed, in seconds since 1970; 0 when unknown.
fn modified_at(file: &Path) -> i64 {
    fs::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(0)
}

/// Pairs the documents of then and now by kind and compares each pair, in
/// the order of `kinds`; kinds not in it come last.
fn compare_documents(then: &[Document], now: &[Document], kinds: &[String]) -> Vec<DocumentDiff> {
    let mut pairs: Vec<(&str, Option<&Document>, Option<&Document>)> = now
        .iter()
        .map(|document| {
            let before = then.iter().find(|d| d.kind == document.kind);
            (document.kind.as_str(), before, Some(document))
        })
        .collect();
    for document in then {
        if !now.iter().any(|d| d.kind == document.kind) {
            pairs.push((document.kind.as_str(), Some(document), None));
        }
    }
    let rank = |kind: &str| kinds.iter().position(|k| k == kind).unwrap_or(usize::MAX);
    pairs.sort_by_key(|(kind, _, _)| rank(kind));
    pairs
        .into_iter()
        .filter_map(|(kind, before, after)| {
            let (status, redline, path) = match (before, after) {
                (Some(before), Some(after)) => {
                    let redline = redline::compare(&before.text, &after.text);
                    let status = if redline.is_unchanged() {
                        DocumentStatus::Unchanged
                    } else {
                        DocumentStatus::Changed
                    };
                    (status, redline, &after.path)
                }
                (None, Some(after)) => (
                    DocumentStatus::Added,
                    redline::compare("", &after.text),
                    &after.path,
                ),
                (Some(before), None) => (
                    DocumentStatus::Removed,
                    redline::compare(&before.text, ""),
                    &before.path,
                ),
                (None, None) => return None,
            };
            Some(DocumentDiff {
                kind: kind.to_owned(),
                path: path.clone(),
                status,
                redline,
                before: before.map(|d| d.text.clone()).unwrap_or_default(),
                after: after.map(|d| d.text.clone()).unwrap_or_default(),
            })
        })
        .collect()
}

/// A diagnostic in one line, naming its file relative to `root`.
fn describe(diagnostic: &Diagnostic, root: &Path) -> String {
    let mut place = diagnostic
        .file
        .as_deref()
        .map(|file| relative_to(file, root).display().to_string())
        .unwrap_or_default();
    if let (Some(line), false) = (diagnostic.line, place.is_empty()) {
        place.push_str(&format!(":{line}"));
        if let Some(column) = diagnostic.column {
            place.push_str(&format!(":{column}"));
        }
    }
    let place = if place.is_empty() {
        String::new()
    } else {
        format!("{place}: ")
    };
    format!(
        "{place}error[{}]: {}",
        diagnostic.code.as_str(),
        diagnostic.message
    )
}

fn relative_to(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// A folder of our own under the system's temporary folder, removed with
/// everything in it when dropped. Only this user may read it: the inputs
/// hold internal material.
struct TempTree {
    path: PathBuf,
}

impl TempTree {
    fn new() -> Result<TempTree, Error> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let base = std::env::temp_dir();
        let mut last_error = None;
        for _ in 0..16 {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = base.join(format!(
                "candor-diff-{}-{}-{nanos}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            match private_dir(&path) {
                Ok(()) => return Ok(TempTree { path }),
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    last_error = Some(error);
                }
                Err(source) => return Err(Error::Io { path, source }),
            }
        }
        Err(Error::Io {
            path: base,
            source: last_error.unwrap_or_else(|| io::Error::other("no free name")),
        })
    }
}

impl TempTree {
    /// Writes `bytes` to `path` under the folder, making folders as needed.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let target = self.path.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        fs::write(&target, bytes).map_err(|source| Error::Io {
            path: target.clone(),
            source,
        })
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Creates the folder `path`, readable by this user only; fails if
/// anything is there already.
fn private_dir(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled_files() -> Files {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Files::new();
        let mut pending = vec![
            root.join("candor.yaml"),
            root.join("principles"),
            root.join("cases"),
            root.join("templates"),
        ];
        while let Some(path) = pending.pop() {
            if path.is_dir() {
                pending.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else {
                let relative = relative_to(&path, root);
                let name = relative.to_string_lossy().replace('\\', "/");
                files.insert(name, fs::read(&path).unwrap());
            }
        }
        files
    }

    #[test]
    fn the_temporary_folder_is_private_and_goes_when_dropped() {
        let tree = TempTree::new().unwrap();
        let other = TempTree::new().unwrap();
        assert_ne!(tree.path, other.path);
        let path = tree.path.clone();
        fs::create_dir_all(path.join("cases/deep")).unwrap();
        fs::write(path.join("cases/deep/x.yaml"), "x").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        drop(tree);
        assert!(!path.exists());
        assert!(other.path.exists());
    }

    #[test]
    fn renders_a_case_from_files_and_cleans_up() {
        let files = bundled_files();
        let documents = render_files(
            &files,
            "imod-azure-services",
            "the test",
            Options::default(),
        )
        .unwrap()
        .unwrap();
        let kinds: Vec<&str> = documents.iter().map(|d| d.kind.as_str()).collect();
        assert_eq!(kinds, ["employee-memo", "public-statement", "press-qa"]);
        assert_eq!(
            documents[0].case_file,
            Path::new("cases/imod-azure-services.yaml")
        );
        assert_eq!(
            render_files(&files, "no-such-case", "the test", Options::default()).unwrap(),
            None
        );
    }

    #[test]
    fn an_update_is_rendered_with_the_case_it_updates() {
        let files = bundled_files();
        let update = "northwind-patient-portal-breach-update";
        let text = String::from_utf8(files[&format!("cases/{update}.yaml")].clone()).unwrap();
        assert!(text.contains("updates: northwind-patient-portal-breach"));
        let documents = render_files(&files, update, "the test", Options::default())
            .unwrap()
            .unwrap();
        assert!(!documents.is_empty());
        // Without the earlier case, the update cannot be rendered.
        let mut without = files.clone();
        without.remove("cases/northwind-patient-portal-breach.yaml");
        assert!(matches!(
            render_files(&without, update, "the test", Options::default()),
            Err(Error::Usage(_))
        ));
    }

    #[test]
    fn a_case_in_a_file_named_otherwise_is_found_by_id() {
        let mut files = bundled_files();
        let text = files.remove("cases/imod-azure-services.yaml").unwrap();
        files.insert("cases/renamed.yaml".to_owned(), text);
        let documents = render_files(
            &files,
            "imod-azure-services",
            "the test",
            Options::default(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(documents.len(), 3);
    }

    #[test]
    fn errors_in_the_case_name_the_version_and_the_first_error() {
        let mut files = bundled_files();
        let text = String::from_utf8(files["cases/imod-azure-services.yaml"].clone()).unwrap();
        let broken = text.replace("findings: [azure-storage-nl]", "findings: [nowhere]");
        assert_ne!(text, broken);
        files.insert(
            "cases/imod-azure-services.yaml".to_owned(),
            broken.into_bytes(),
        );
        // A broken case elsewhere does not matter.
        files.insert(
            "cases/broken.yaml".to_owned(),
            b"id: broken\n: :\n".to_vec(),
        );
        match render_files(
            &files,
            "imod-azure-services",
            "revision `v1`",
            Options::default(),
        ) {
            Err(Error::Usage(message)) => {
                assert!(
                    message.starts_with(
                        "the case `imod-azure-services` has errors at revision `v1`, so it cannot be compared; the first: cases/imod-azure-services.yaml:"
                    ),
                    "{message}"
                );
                assert!(message.contains("nowhere"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_path_leaving_the_folder_is_refused() {
        let mut files = Files::new();
        files.insert("../escape.yaml".to_owned(), b"id: x\n".to_vec());
        assert!(matches!(
            render_files(&files, "x", "the test", Options::default()),
            Err(Error::Usage(_))
        ));
    }

    #[test]
    fn documents_pair_by_kind_in_kind_order() {
        let document = |kind: &str, text: &str| Document {
            case_id: "c".to_owned(),
            case_file: PathBuf::from("cases/c.yaml"),
            kind: kind.to_owned(),
            audience: crate::model::Audience::Public,
            path: PathBuf::from(format!("c/{kind}.md")),
            text: text.to_owned(),
            cited: Default::default(),
            organisation: String::new(),
            mark: None,
            binary: None,
        };
        let kinds: Vec<String> = ["a", "b", "c", "d"].map(str::to_owned).to_vec();
        let then = [
            document("a", "same"),
            document("b", "old"),
            document("c", "gone"),
        ];
        let now = [
            document("d", "new"),
            document("a", "same"),
            document("b", "new"),
        ];
        let compared = compare_documents(&then, &now, &kinds);
        let statuses: Vec<(&str, DocumentStatus)> = compared
            .iter()
            .map(|d| (d.kind.as_str(), d.status))
            .collect();
        assert_eq!(
            statuses,
            [
                ("a", DocumentStatus::Unchanged),
                ("b", DocumentStatus::Changed),
                ("c", DocumentStatus::Removed),
                ("d", DocumentStatus::Added),
            ]
        );
        assert_eq!(compared[2].path, Path::new("c/c.md"));
    }
}
