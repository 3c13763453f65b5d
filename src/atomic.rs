//! Replacing a file whole: write a temporary file beside it, then rename
//! it over the old one, so a reader, or a build that is killed, only ever
//! sees a whole old file or a whole new one.
//!
//! Both the documents ([`crate::write`]) and the manifest
//! ([`crate::manifest`]) are written this way; this module sits below both.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Writes `bytes` to `target` through a temporary file renamed over it,
/// making its folder if need be.
pub(crate) fn write_atomically(target: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomically_with(target, |file| file.write_all(bytes))
}

/// Like [`write_atomically`], with what the file holds written by `fill`,
/// piece by piece rather than gathered into one buffer first.
pub(crate) fn write_atomically_with(
    target: &Path,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> Result<(), Error> {
    let folder = target.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(folder).map_err(|source| Error::Io {
        path: folder.to_path_buf(),
        source,
    })?;
    replace_with(target, fill)
}

/// Writes `bytes` to `target`, in a folder that exists, through a
/// temporary file renamed over it.
pub(crate) fn replace(target: &Path, bytes: &[u8]) -> Result<(), Error> {
    replace_with(target, |file| file.write_all(bytes))
}

/// [`replace`], with what the file holds written by `fill`.
fn replace_with(
    target: &Path,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> Result<(), Error> {
    let io_error = |source| Error::Io {
        path: target.to_path_buf(),
        source,
    };
    let mut replacement = Replacement::begin_in_place(target).map_err(io_error)?;
    fill(replacement.file()).map_err(io_error)?;
    replacement.commit().map_err(io_error)
}

/// A file being replaced whole, written in more than one go: what it will
/// hold goes into a temporary file beside it, which [`Replacement::commit`]
/// renames over it. Dropped before that, the temporary file is removed and
/// the file is left as it was.
#[derive(Debug)]
pub(crate) struct Replacement {
    target: PathBuf,
    temporary: PathBuf,
    file: fs::File,
    committed: bool,
}

impl Replacement {
    /// Begins replacing `target`, making its folder if need be.
    pub(crate) fn begin(target: &Path) -> io::Result<Replacement> {
        fs::create_dir_all(target.parent().unwrap_or_else(|| Path::new(".")))?;
        Replacement::begin_in_place(target)
    }

    /// Begins replacing `target`, in a folder that exists.
    fn begin_in_place(target: &Path) -> io::Result<Replacement> {
        let folder = target.parent().unwrap_or_else(|| Path::new("."));
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temporary = folder.join(format!(".{file_name}.{}.tmp", process_id()));
        let file = fs::File::create(&temporary)?;
        Ok(Replacement {
            target: target.to_path_buf(),
            temporary,
            file,
            committed: false,
        })
    }

    /// The file replaced.
    pub(crate) fn target(&self) -> &Path {
        &self.target
    }

    /// Where what the file will hold is written.
    pub(crate) fn file(&mut self) -> &mut fs::File {
        &mut self.file
    }

    /// Puts the file written in place of the one replaced.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        fs::rename(&self.temporary, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Replacement {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

/// This process's id, asked of the system once rather than once per file.
pub(crate) fn process_id() -> u32 {
    static ID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *ID.get_or_init(std::process::id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_replacement_dropped_before_commit_leaves_the_file_as_it_was() {
        let folder = tempfile::TempDir::new().unwrap();
        let target = folder.path().join("index");
        fs::write(&target, "old").unwrap();

        let mut replacement = Replacement::begin(&target).unwrap();
        replacement.file().write_all(b"half of the new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        drop(replacement);
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(names(folder.path()), ["index"]);

        let mut replacement = Replacement::begin(&target).unwrap();
        replacement.file().write_all(b"new").unwrap();
        replacement.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(names(folder.path()), ["index"]);
    }
}
