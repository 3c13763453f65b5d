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
//! A build's manifest ([`crate::manifest`]) is written last, and before any
//! document is replaced the old manifest is removed, so a build killed
//! half-way can never make a later one skip a case whose files it did not
//! finish writing.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::atomic::{process_id, replace};
use crate::confine::{self, Refusal, Removal};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::Error;
use crate::incremental::Build;
use crate::manifest::Manifest;
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
/// documents it rendered, then its manifest. The files of the cases it
/// skipped are already in place and are not touched; they count as
/// unchanged. A build that changed nothing writes nothing at all.
pub fn write_build(build: &Build) -> Result<WriteSummary, Error> {
    let out = build.out.as_path();
    // From here until the new manifest is written, no manifest vouches
    // for any case: removing it costs one system call, where rewriting it
    // without the cases being rebuilt cost as much as writing it. A build
    // killed in between rebuilds every case next time.
    let manifest_removed = !build.outcome.documents.is_empty();
    if manifest_removed {
        Manifest::remove(out)?;
    }
    let mut summary = write(out, &build.outcome.documents)?;
    // The manifest's own temporary file sits in the output folder itself.
    summary.temporaries.extend(remove_temporaries(out));
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
    if manifest_removed {
        build.manifest.write_new(out)?;
    } else if build.manifest_changed {
        build.manifest.write(out)?;
    }
    // Outside the output folder, and only ever an optimisation.
    if let Some(cache) = &build.stat_cache {
        cache.write();
    }
    Ok(summary)
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
