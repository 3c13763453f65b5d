//! Replacing a file whole: write a temporary file beside it, then rename
//! it over the old one, so a reader, or a build that is killed, only ever
//! sees a whole old file or a whole new one.
//!
//! Both the documents ([`crate::write`]) and the manifest
//! ([`crate::manifest`]) are written this way; this module sits below both.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

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
    let folder = target.parent().unwrap_or_else(|| Path::new("."));
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{file_name}.{}.tmp", process_id()));
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        fill(&mut file)?;
        fs::rename(&temporary, target)
    })();
    if let Err(source) = result {
        let _ = fs::remove_file(&temporary);
        return Err(Error::Io {
            path: target.to_path_buf(),
            source,
        });
    }
    Ok(())
}

/// This process's id, asked of the system once rather than once per file.
pub(crate) fn process_id() -> u32 {
    static ID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *ID.get_or_init(std::process::id)
}
