//! Confinement: every file candor writes or removes lies in its output
//! folder. This module is the one place that rule lives.
//!
//! A path is named relative to the output folder, by a build or by a
//! manifest. It is accepted only when it is made of plain names — no root,
//! no drive, no `.` or `..` — and when nothing on the way from the output
//! folder to it is a symbolic link, so that it cannot resolve anywhere
//! else. A manifest is a file anyone who can commit to the output folder
//! can edit, so what it lists is a claim to check, not an order: a file is
//! removed only when the manifest says candor wrote it *and* its bytes are
//! still the ones recorded. Anything else is left where it is and reported.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;
use crate::manifest::{self, FileEntry};

/// A path candor would not write or remove, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The path as it was named, relative to the output folder.
    pub path: PathBuf,
    /// Why, in words: `it leaves the output folder`.
    pub reason: String,
}

impl Refusal {
    fn new(path: &Path, reason: impl Into<String>) -> Refusal {
        Refusal {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}

/// `relative` resolved under `out`, if it stays there: plain names only,
/// and no symbolic link on the way, the file itself included.
pub fn resolve(out: &Path, relative: &Path) -> Result<PathBuf, Refusal> {
    if relative.as_os_str().is_empty() {
        return Err(Refusal::new(relative, "it names no file"));
    }
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(Refusal::new(relative, "it leaves the output folder"));
    }
    let mut path = out.to_path_buf();
    let mut exists = true;
    for component in relative.components() {
        path.push(component);
        // Once a part is missing, nothing further along exists to be a link.
        if !exists {
            continue;
        }
        match fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = path.strip_prefix(out).unwrap_or(&path);
                return Err(Refusal::new(
                    relative,
                    format!(
                        "{} is a symbolic link, and candor does not write through links",
                        link.display()
                    ),
                ));
            }
            Ok(_) => {}
            Err(_) => exists = false,
        }
    }
    Ok(path)
}

/// What removing a file an earlier build wrote should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    /// Remove this file: it is candor's, unchanged.
    Remove(PathBuf),
    /// Nothing: the file is already gone.
    Gone,
    /// Leave it: it is not, or no longer, candor's to remove.
    Refuse(Refusal),
}

/// Whether the file a manifest records at `relative`, as `recorded`, may be
/// removed from `out`.
pub fn removal(out: &Path, relative: &Path, recorded: &FileEntry) -> Removal {
    let target = match resolve(out, relative) {
        Ok(target) => target,
        Err(refusal) => return Removal::Refuse(refusal),
    };
    match fs::read(&target) {
        Ok(bytes) if manifest::digest(&bytes) == recorded.sha256 => Removal::Remove(target),
        Ok(_) => Removal::Refuse(Refusal::new(relative, "it changed since candor wrote it")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Removal::Gone,
        Err(_) if target.is_dir() => Removal::Refuse(Refusal::new(relative, "it is a folder")),
        Err(e) => Removal::Refuse(Refusal::new(relative, format!("it cannot be read: {e}"))),
    }
}

/// The folders of a repository at `root` that candor reads as input.
fn input_folders(root: &Path) -> [PathBuf; 3] {
    ["cases", "principles", "templates"].map(|name| root.join(name))
}

/// Refuses an output folder that holds an input folder of the repository
/// at `root`, or lies inside one: what a build writes there would be read
/// back as cases, principles or templates by the next.
pub fn check_output_folder(out: &Path, root: &Path) -> Result<(), Error> {
    let out_resolved = absolute(out);
    for input in input_folders(root) {
        let input_resolved = absolute(&input);
        let problem = if out_resolved.starts_with(&input_resolved) {
            "lies inside the input folder"
        } else if input_resolved.starts_with(&out_resolved) {
            "holds the input folder"
        } else {
            continue;
        };
        return Err(Error::Usage(format!(
            "the output folder `{}` {problem} `{}`; write the documents elsewhere, such as `{}`",
            out.display(),
            input.display(),
            crate::incremental::default_out(root).display()
        )));
    }
    Ok(())
}

/// `path` made absolute, `.` and `..` resolved by name, then links
/// resolved as far as it exists.
fn absolute(path: &Path) -> PathBuf {
    let whole = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for component in whole.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    let mut resolved = loop {
        if let Ok(found) = fs::canonicalize(existing) {
            break found;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => break existing.to_path_buf(),
        }
    };
    resolved.extend(rest.into_iter().rev());
    resolved
}

/// Whether `name` is a temporary file candor writes beside a document
/// before renaming it into place — `.NAME.PID.tmp` — of a process other
/// than `this_process`.
pub fn is_temporary(name: &str, this_process: u32) -> bool {
    let Some(middle) = name
        .strip_prefix('.')
        .and_then(|rest| rest.strip_suffix(".tmp"))
    else {
        return false;
    };
    let Some((file, pid)) = middle.rsplit_once('.') else {
        return false;
    };
    !file.is_empty()
        && !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && pid.parse::<u32>().is_ok_and(|pid| pid != this_process)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_resolve() {
        let out = Path::new("/nonexistent/out");
        assert_eq!(
            resolve(out, Path::new("a/b.md")),
            Ok(PathBuf::from("/nonexistent/out/a/b.md"))
        );
        for bad in ["", "/etc/passwd", "../candor.yaml", "a/../../b", "./a"] {
            assert!(resolve(out, Path::new(bad)).is_err(), "{bad:?} resolved");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_on_the_way_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        let out = dir.path().join("out");
        fs::create_dir_all(&outside).unwrap();
        fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("case")).unwrap();
        let refused = resolve(&out, Path::new("case/memo.md")).unwrap_err();
        assert!(
            refused.reason.starts_with("case is a symbolic link"),
            "{refused:?}"
        );
    }

    #[test]
    fn temporary_files_are_told_by_name() {
        assert!(is_temporary(".public-statement.md.4242.tmp", 1));
        assert!(is_temporary(".manifest.json.7.tmp", 1));
        assert!(!is_temporary(".manifest.json.7.tmp", 7));
        for other in [
            ".x.tmp",
            "x.md.4.tmp",
            "..4.tmp",
            ".x.md.4a.tmp",
            ".x.md.4.TMP",
        ] {
            assert!(!is_temporary(other, 1), "{other}");
        }
    }

    #[test]
    fn an_output_folder_may_not_overlap_an_input_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("cases")).unwrap();
        assert!(check_output_folder(&root.join("out"), root).is_ok());
        assert!(check_output_folder(&root.join("cases-out"), root).is_ok());
        for bad in [
            ".",
            "cases",
            "cases/out",
            "templates",
            "out/../principles/x",
        ] {
            let error = check_output_folder(&root.join(bad), root).unwrap_err();
            assert!(error.to_string().contains("input folder"), "{bad}: {error}");
        }
    }

    #[test]
    fn only_unchanged_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "written").unwrap();
        let recorded = FileEntry::of(b"written");
        assert_eq!(
            removal(dir.path(), Path::new("a.md"), &recorded),
            Removal::Remove(dir.path().join("a.md"))
        );
        fs::write(dir.path().join("a.md"), "edited").unwrap();
        assert!(matches!(
            removal(dir.path(), Path::new("a.md"), &recorded),
            Removal::Refuse(_)
        ));
        assert_eq!(
            removal(dir.path(), Path::new("gone.md"), &recorded),
            Removal::Gone
        );
    }
}
