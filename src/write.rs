//! Writing documents: atomic, deterministic, and inside the output folder.
//!
//! Every path written or removed is first resolved by [`crate::confine`],
//! which keeps it inside the output folder; a file of an earlier build is
//! removed only when it still holds what that build wrote.
//!
//! Each file is written to a temporary file beside it and renamed over the
//! old one, so a reader, or a build that is killed, only ever sees a whole
//! old file or a whole new one. A file whose content has not changed is left
//! untouched, modification time included. Files are written in parallel.
//!
//! Files are not flushed to disk one by one (`fsync`): on a 10,000-case
//! repository that alone took a minute, 3.5 ms a file, for a guarantee
//! against power loss rather than against a killed build. The rename keeps
//! every file whole when candor is killed; file systems that replace a file
//! by renaming (ext4, XFS, btrfs, APFS) flush its data before the rename.
//!
//! A streaming build ([`crate::build_streaming`], what `candor build` runs)
//! hands each case's documents to a writer thread as the case finishes.
//! The writer puts each in a staging folder inside the output folder
//! ([`Staged`]); only once the whole build is known clean does
//! [`write_build`] rename them into place. A build with an error removes
//! what it staged, so it writes nothing, as before.
//!
//! A build's manifest ([`crate::manifest`]) is written last, and before any
//! document is replaced the old manifest is removed, so a build killed
//! half-way can never make a later one skip a case whose files it did not
//! finish writing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

use rayon::prelude::*;

use crate::atomic::{process_id, replace};
use crate::confine::{self, Refusal, Removal};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::Error;
use crate::incremental::Build;
use crate::manifest::Manifest;
use crate::manifest_index;
use crate::outcome::Document;

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files created or replaced.
    pub written: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: Vec<PathBuf>,
    /// Files of an earlier build that this one no longer produces.
    pub removed: Vec<PathBuf>,
    /// Files a manifest listed for removal that were left in place, and
    /// why: outside the output folder, or changed since candor wrote them.
    pub refused: Vec<Refusal>,
    /// Temporary files a build that was killed left behind.
    pub temporaries: Vec<PathBuf>,
}

/// How an output folder differs from what a build would write into it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files whose content differs, relative to the output folder.
    pub stale: Vec<PathBuf>,
    /// Files the build would write that are not there.
    pub missing: Vec<PathBuf>,
    /// Files an earlier build wrote that the build would remove.
    pub left_over: Vec<PathBuf>,
    /// How many files match.
    pub up_to_date: usize,
}

impl Drift {
    /// Whether the folder holds exactly what the build would write.
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.left_over.is_empty()
    }

    /// One `stale-output` error for each file of `out` that differs, for
    /// machines: CI annotates each on its file.
    pub fn diagnostics(&self, out: &Path) -> Vec<Diagnostic> {
        let differing = [
            (
                &self.stale,
                "is stale: it is not what the build would write",
            ),
            (&self.missing, "is missing: the build would write it"),
            (&self.left_over, "is left over: the build would remove it"),
        ];
        differing
            .into_iter()
            .flat_map(|(files, what)| {
                files.iter().map(move |file| {
                    let path = out.join(file);
                    Diagnostic::new(Code::StaleOutput, format!("`{}` {what}", path.display()))
                        .in_file(&path)
                        .with_help("run `candor build` and commit the result")
                })
            })
            .collect()
    }
}

/// Compares what `build` would write — every document and the manifest —
/// with what its output folder holds, writing nothing. `build` should be
/// a full build ([`crate::build_fresh`]), so that every file is compared.
pub fn compare(build: &Build) -> Drift {
    let out = build.out.as_path();
    let mut expected: Vec<(PathBuf, Vec<u8>)> = build
        .outcome
        .documents
        .iter()
        .map(|d| (d.path.clone(), d.bytes().to_vec()))
        .collect();
    // Files by name, then the manifest, which vouches for them all.
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    expected.push((
        PathBuf::from(crate::manifest::FILE_NAME),
        build.manifest.to_json().into_bytes(),
    ));
    let verdicts: Vec<(PathBuf, Option<bool>)> = expected
        .into_par_iter()
        .map(|(path, bytes)| {
            let found = match fs::read(out.join(&path)) {
                Ok(existing) => Some(existing == bytes),
                Err(_) => None,
            };
            (path, found)
        })
        .collect();
    let mut drift = Drift::default();
    for (path, found) in verdicts {
        match found {
            Some(true) => drift.up_to_date += 1,
            Some(false) => drift.stale.push(path),
            None => drift.missing.push(path),
        }
    }
    drift.left_over = build
        .removed_files
        .iter()
        .filter(|(file, recorded)| {
            matches!(confine::removal(out, file, recorded), Removal::Remove(_))
        })
        .map(|(file, _)| file.clone())
        .collect();
    drift
}

/// Writes every document under `out`.
pub fn write(out: &Path, documents: &[Document]) -> Result<WriteSummary, Error> {
    let targets: Vec<Result<PathBuf, Refusal>> = documents
        .par_iter()
        .map(|document| confine::resolve(out, &document.path))
        .collect();
    let targets: Vec<PathBuf> =
        targets
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(|refusal| {
                Error::Usage(format!(
                    "refusing to write {}: {}",
                    refusal.path.display(),
                    refusal.reason
                ))
            })?;
    // Each folder is made once rather than once per file: on a slow file
    // system a failed `mkdir` costs as much as writing the file. A folder
    // made now holds nothing to compare with. A folder already there may
    // hold the temporary files of a build that was killed writing it.
    let folders: BTreeSet<PathBuf> = targets
        .iter()
        .filter_map(|target| target.parent().map(Path::to_path_buf))
        .collect();
    let made: Vec<Result<MadeFolder, Error>> = folders
        .into_par_iter()
        .map(|folder| {
            if folder.is_dir() {
                return Ok((None, remove_temporaries(&folder)));
            }
            fs::create_dir_all(&folder).map_err(|source| Error::Io {
                path: folder.clone(),
                source,
            })?;
            Ok((Some(folder), Vec::new()))
        })
        .collect();
    let mut new_folders = BTreeSet::new();
    let mut temporaries = Vec::new();
    for made in made {
        let (folder, left) = made?;
        new_folders.extend(folder);
        temporaries.extend(left);
    }
    let results: Vec<Result<(PathBuf, bool), Error>> = documents
        .par_iter()
        .zip(targets)
        .map(|(document, target)| {
            let in_new_folder = target.parent().is_some_and(|f| new_folders.contains(f));
            let unchanged = !in_new_folder
                && fs::read(&target).is_ok_and(|existing| existing == document.bytes());
            if unchanged {
                return Ok((target, false));
            }
            replace(&target, document.bytes())?;
            Ok((target, true))
        })
        .collect();
    let mut summary = WriteSummary {
        temporaries,
        ..WriteSummary::default()
    };
    for result in results {
        match result? {
            (target, true) => summary.written.push(target),
            (target, false) => summary.unchanged.push(target),
        }
    }
    Ok(summary)
}

/// Writes what an incremental build produced into its output folder: the
/// documents it rendered (or, of a streaming build, moves those it staged
/// into place), then its manifest. The files of the cases it
/// skipped are already in place and are not touched; they count as
/// unchanged. A build that changed nothing writes nothing at all.
pub fn write_build(build: &Build) -> Result<WriteSummary, Error> {
    let out = build.out.as_path();
    // From here until the new manifest is written, no manifest vouches
    // for any case: removing it costs one system call, where rewriting it
    // without the cases being rebuilt cost as much as writing it. A build
    // killed in between rebuilds every case next time.
    let staged = build.staged.as_deref();
    let manifest_removed = !build.outcome.documents.is_empty()
        || staged.is_some_and(|staged| staged.document_count() > 0);
    if manifest_removed {
        Manifest::remove(out)?;
    }
    let mut summary = write(out, &build.outcome.documents)?;
    if let Some(staged) = staged {
        let (written, temporaries) = staged.commit()?;
        summary.written.extend(written);
        summary.unchanged.extend(staged.unchanged.iter().cloned());
        summary.temporaries.extend(temporaries);
    }
    summary.temporaries.extend(remove_abandoned_staging(out));
    summary
        .unchanged
        .extend(build.unchanged_files.iter().map(|file| out.join(file)));
    for (file, recorded) in &build.removed_files {
        let target = match confine::removal(out, file, recorded) {
            Removal::Remove(target) => target,
            Removal::Gone => continue,
            Removal::Refuse(refusal) => {
                summary.refused.push(refusal);
                continue;
            }
        };
        match fs::remove_file(&target) {
            Ok(()) => summary.removed.push(target.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(Error::Io {
                    path: target,
                    source,
                });
            }
        }
        // The case's folder goes with its last file; a folder holding
        // anything else stays.
        if let Some(folder) = target.parent().filter(|f| *f != out) {
            let _ = fs::remove_dir(folder);
        }
    }
    // The manifest as written, or as found already in place when it holds
    // exactly what would be written.
    let layout = (manifest_removed || build.manifest_changed).then(|| build.manifest.layout());
    // The stat cache and the manifest's index, outside the output folder
    // and only ever optimisations, are written while the manifest is; so
    // are the temporary files other processes left beside the manifest
    // removed, which takes listing the output folder. The index is sealed
    // with the manifest's stat once the manifest is in place.
    let (manifest, (temporaries, index)) = rayon::join(
        || match &layout {
            Some(layout) if manifest_removed => layout.write_new(out),
            Some(layout) => layout.write(out).map(|_| ()),
            None => Ok(()),
        },
        || {
            rayon::join(
                || {
                    if let Some(cache) = &build.stat_cache {
                        cache.write();
                    }
                    remove_temporaries(out)
                },
                || manifest_index::prepare(out, build.manifest_index.as_ref(), layout.as_ref()),
            )
        },
    );
    manifest?;
    summary.temporaries.extend(temporaries);
    if let Some(index) = index {
        manifest_index::seal(index, out);
    }
    Ok(summary)
}

/// The folder inside the output folder where a streaming build
/// ([`crate::build_streaming`]) keeps what it has written until it is
/// known clean: one folder per process below it.
pub const STAGING: &str = ".candor-staging";

/// How many documents may wait for the writer: enough to keep it busy,
/// few enough that memory is bounded by them rather than by the
/// repository.
const IN_FLIGHT: usize = 64;

/// Documents written as a streaming build produced them, each into a file
/// of its own in a staging folder inside the output folder
/// (`out/.candor-staging/<pid>/`), and moved into place by
/// [`write_build`] only once the whole build is known clean.
///
/// Until then nothing of the output folder is touched: a build that ends
/// with an error, or whose writer fails, drops this, and dropping it
/// removes every staged file and every folder the build made, the output
/// folder itself included when the build made it. A build that is killed
/// leaves only its staging folder, which the next build that writes into
/// the output folder removes. The move into place is one rename per file,
/// in the same file system, so each file is whole, old or new.
#[derive(Debug)]
pub struct Staged {
    out: PathBuf,
    /// This process's staging folder, once made.
    folder: Option<PathBuf>,
    /// Folders made for staging, outermost first: the output folder and
    /// those above it when missing, the staging folders.
    made: Vec<PathBuf>,
    /// Whether each folder a document goes into was there when staged.
    folders: BTreeMap<PathBuf, bool>,
    /// Each staged file and where it goes.
    files: Vec<(PathBuf, PathBuf)>,
    /// Files that already hold what the build would write.
    unchanged: Vec<PathBuf>,
    /// The case files whose documents were staged.
    cases: BTreeSet<PathBuf>,
    /// How many documents were staged, unchanged ones included.
    documents: usize,
    /// Set once every staged file is in place.
    committed: AtomicBool,
}

impl Staged {
    fn new(out: &Path) -> Staged {
        Staged {
            out: out.to_path_buf(),
            folder: None,
            made: Vec::new(),
            folders: BTreeMap::new(),
            files: Vec::new(),
            unchanged: Vec::new(),
            cases: BTreeSet::new(),
            documents: 0,
            committed: AtomicBool::new(false),
        }
    }

    /// How many cases had documents staged.
    pub fn case_count(&self) -> usize {
        self.cases.len()
    }

    /// How many documents were staged, those already up to date included.
    pub fn document_count(&self) -> usize {
        self.documents
    }

    /// Writes `document` into the staging folder, unless its file already
    /// holds exactly it.
    fn add(&mut self, document: &Document) -> Result<(), Error> {
        let target = confine::resolve(&self.out, &document.path).map_err(refused)?;
        self.documents += 1;
        self.cases.insert(document.case_file.clone());
        let folder = target.parent().unwrap_or(&self.out).to_path_buf();
        // A folder not there yet holds nothing to compare with.
        let exists = *self
            .folders
            .entry(folder)
            .or_insert_with_key(|folder| folder.is_dir());
        if exists && fs::read(&target).is_ok_and(|existing| existing == document.bytes()) {
            self.unchanged.push(target);
            return Ok(());
        }
        let name = self.files.len().to_string();
        let staged = self.staging_folder()?.join(name);
        fs::write(&staged, document.bytes()).map_err(|source| Error::Io {
            path: staged.clone(),
            source,
        })?;
        self.files.push((staged, target));
        Ok(())
    }

    /// This process's staging folder, made the first time it is needed,
    /// with the output folder when it is not there yet.
    fn staging_folder(&mut self) -> Result<&Path, Error> {
        if self.folder.is_none() {
            let mut missing = Vec::new();
            let mut folder = self.out.as_path();
            while !folder.as_os_str().is_empty() && fs::symlink_metadata(folder).is_err() {
                missing.push(folder.to_path_buf());
                folder = folder.parent().unwrap_or(Path::new(""));
            }
            for folder in missing.into_iter().rev() {
                self.make_folder(folder)?;
            }
            let staging = self.out.join(STAGING);
            self.make_folder(staging.clone())?;
            let mine = staging.join(process_id().to_string());
            // Left by an earlier process that had this id.
            if fs::symlink_metadata(&mine).is_ok_and(|m| m.is_dir()) {
                let _ = fs::remove_dir_all(&mine);
            }
            self.make_folder(mine.clone())?;
            self.folder = Some(mine);
        }
        Ok(self.folder.as_deref().unwrap_or(&self.out))
    }

    /// Makes `folder`, remembering it to remove. One already there is used
    /// when it is a real folder, not a link to one elsewhere.
    fn make_folder(&mut self, folder: PathBuf) -> Result<(), Error> {
        match fs::create_dir(&folder) {
            Ok(()) => {
                self.made.push(folder);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                if fs::symlink_metadata(&folder).is_ok_and(|m| m.is_dir()) {
                    Ok(())
                } else {
                    Err(Error::Usage(format!(
                        "refusing to write into {}: it is not a folder",
                        folder.display()
                    )))
                }
            }
            Err(source) => Err(Error::Io {
                path: folder,
                source,
            }),
        }
    }

    /// Moves every staged file into place: the folders first, each made
    /// once, then one rename per file, on every core. Returns the files
    /// written and the temporary files of killed builds removed.
    fn commit(&self) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Error> {
        // Every folder a document goes into, those of unchanged ones too:
        // any may hold the temporary files of a build that was killed.
        let targets: BTreeSet<&Path> = self
            .files
            .iter()
            .map(|(_, target)| target)
            .chain(&self.unchanged)
            .filter_map(|target| target.parent())
            .collect();
        let made: Vec<Result<Vec<PathBuf>, Error>> = targets
            .into_par_iter()
            .map(|folder| {
                if self.folders.get(folder).copied().unwrap_or(false) || folder.is_dir() {
                    return Ok(remove_temporaries(folder));
                }
                fs::create_dir_all(folder).map_err(|source| Error::Io {
                    path: folder.to_path_buf(),
                    source,
                })?;
                Ok(Vec::new())
            })
            .collect();
        let mut temporaries = Vec::new();
        for made in made {
            temporaries.extend(made?);
        }
        let moved: Vec<Result<PathBuf, Error>> = self
            .files
            .par_iter()
            .map(|(staged, target)| {
                fs::rename(staged, target).map_err(|source| Error::Io {
                    path: target.clone(),
                    source,
                })?;
                Ok(target.clone())
            })
            .collect();
        let written = moved.into_iter().collect::<Result<Vec<_>, _>>()?;
        self.committed.store(true, Ordering::Release);
        // The staging folders, now empty; the output folder stays.
        for folder in self.made.iter().rev() {
            if folder.starts_with(self.out.join(STAGING)) {
                let _ = fs::remove_dir(folder);
            }
        }
        Ok((written, temporaries))
    }
}

impl Drop for Staged {
    /// Leaves the output folder as it was: removes what was staged and
    /// every folder made for it, unless it was all moved into place.
    fn drop(&mut self) {
        if self.committed.load(Ordering::Acquire) {
            return;
        }
        if let Some(folder) = &self.folder {
            let _ = fs::remove_dir_all(folder);
        }
        for folder in self.made.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
    }
}

/// The writer of a streaming build: a thread of its own that writes each
/// document into the staging folder as it arrives, while cases are still
/// being rendered.
pub(crate) struct Stager {
    sender: SyncSender<Document>,
    writer: JoinHandle<Result<Staged, Error>>,
}

impl Stager {
    /// Starts the writer for the output folder `out`. Nothing is made in it
    /// until the first document that differs from what is there arrives.
    pub(crate) fn start(out: &Path) -> Stager {
        let (sender, documents) = sync_channel::<Document>(IN_FLIGHT);
        let mut staged = Staged::new(out);
        let writer = std::thread::spawn(move || {
            let mut failed = None;
            // After a failure the rest are taken and dropped, so no
            // renderer waits for a writer that has stopped.
            for document in documents {
                if failed.is_none()
                    && let Err(error) = staged.add(&document)
                {
                    failed = Some(error);
                }
            }
            match failed {
                // Dropping what was staged removes it.
                Some(error) => Err(error),
                None => Ok(staged),
            }
        });
        Stager { sender, writer }
    }

    /// Hands `documents` to the writer, waiting while it is behind.
    pub(crate) fn send(&self, documents: Vec<Document>) {
        for document in documents {
            // The writer only stops once every sender is gone.
            let _ = self.sender.send(document);
        }
    }

    /// Waits for the writer to finish what it was given.
    pub(crate) fn finish(self) -> Result<Staged, Error> {
        let Stager { sender, writer } = self;
        drop(sender);
        writer.join().unwrap_or_else(|_| {
            Err(Error::Usage(
                "the writer stopped unexpectedly; nothing was written".to_owned(),
            ))
        })
    }
}

fn refused(refusal: Refusal) -> Error {
    Error::Usage(format!(
        "refusing to write {}: {}",
        refusal.path.display(),
        refusal.reason
    ))
}

/// Removes the staging folders of other processes, which builds killed
/// before they finished left, and returns the files they held.
fn remove_abandoned_staging(out: &Path) -> Vec<PathBuf> {
    let staging = out.join(STAGING);
    let Ok(entries) = fs::read_dir(&staging) else {
        return Vec::new();
    };
    let mine = process_id().to_string();
    let mut removed = Vec::new();
    for folder in entries.filter_map(Result::ok) {
        if folder.file_name() == mine.as_str() {
            continue;
        }
        let folder = folder.path();
        let files: Vec<PathBuf> = fs::read_dir(&folder)
            .map(|files| files.filter_map(Result::ok).map(|f| f.path()).collect())
            .unwrap_or_default();
        if fs::remove_dir_all(&folder).is_ok() {
            removed.extend(files);
        }
    }
    let _ = fs::remove_dir(&staging);
    removed
}

/// A folder made for a write, if it was not there, and the temporary
/// files removed from it if it was.
type MadeFolder = (Option<PathBuf>, Vec<PathBuf>);

/// Removes the temporary files ([`confine::is_temporary`]) other processes
/// left in `folder`, and returns them. What cannot be removed stays.
fn remove_temporaries(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|name| confine::is_temporary(name, process_id()))
        })
        .map(|entry| entry.path())
        .filter(|path| fs::remove_file(path).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Audience;

    fn document(path: &str, text: &str) -> Document {
        Document {
            case_id: "a".to_owned(),
            case_file: PathBuf::from("cases/a.yaml"),
            kind: "memo".to_owned(),
            audience: Audience::Internal,
            path: PathBuf::from(path),
            text: text.to_owned(),
            cited: BTreeSet::new(),
            organisation: String::new(),
            mark: None,
            binary: None,
        }
    }

    /// Every path under `folder`, folders included, relative to it.
    fn tree(folder: &Path) -> BTreeSet<PathBuf> {
        let mut found = BTreeSet::new();
        let mut pending = vec![folder.to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                found.insert(path.strip_prefix(folder).unwrap().to_path_buf());
                if path.is_dir() {
                    pending.push(path);
                }
            }
        }
        found
    }

    #[test]
    fn what_was_staged_and_not_committed_leaves_no_trace() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("new/out");
        let stager = Stager::start(&out);
        stager.send(vec![document("a/memo.md", "memo"), document("b/x.md", "x")]);
        let staged = stager.finish().unwrap();
        assert_eq!(staged.document_count(), 2);
        assert!(out.join(STAGING).is_dir());
        drop(staged);
        // Even the output folder, and the one above it, made to stage.
        assert!(!root.path().join("new").exists());

        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/memo.md"), "old").unwrap();
        let before = tree(&out);
        let stager = Stager::start(&out);
        stager.send(vec![document("a/memo.md", "memo"), document("b/x.md", "x")]);
        drop(stager.finish().unwrap());
        assert_eq!(tree(&out), before);
        assert_eq!(fs::read_to_string(out.join("a/memo.md")).unwrap(), "old");
    }

    #[test]
    fn a_commit_moves_every_changed_document_into_place_and_leaves_no_staging() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/memo.md"), "same").unwrap();
        fs::write(out.join("a/.memo.md.999999.tmp"), "left").unwrap();
        let stager = Stager::start(&out);
        stager.send(vec![document("a/memo.md", "same"), document("b/x.md", "x")]);
        let staged = stager.finish().unwrap();
        let (written, temporaries) = staged.commit().unwrap();
        assert_eq!(written, [out.join("b/x.md")]);
        assert_eq!(staged.unchanged, [out.join("a/memo.md")]);
        assert_eq!(temporaries, [out.join("a/.memo.md.999999.tmp")]);
        drop(staged);
        let expected: BTreeSet<PathBuf> = ["a", "a/memo.md", "b", "b/x.md"]
            .into_iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(tree(&out), expected);
        assert_eq!(fs::read_to_string(out.join("b/x.md")).unwrap(), "x");
    }

    #[test]
    fn a_document_the_writer_refuses_fails_and_leaves_nothing_staged() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        fs::create_dir_all(&out).unwrap();
        let stager = Stager::start(&out);
        stager.send(vec![
            document("a/memo.md", "memo"),
            document("../x.md", "x"),
        ]);
        stager.send(vec![document("c/memo.md", "memo")]);
        let error = stager.finish().unwrap_err().to_string();
        assert!(error.contains("it leaves the output folder"), "{error}");
        assert_eq!(tree(&out), BTreeSet::new());
    }
}
