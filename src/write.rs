//! Writing documents: atomic, deterministic, and inside the output folder.
//!
//! Each file is written to a temporary file beside it and renamed over the
//! old one, so a reader, or a build that is killed, only ever sees a whole
//! old file or a whole new one. A file whose content has not changed is left
//! untouched, modification time included.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::{Document, Error};

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files created or replaced.
    pub written: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: Vec<PathBuf>,
}

/// Writes every document under `out`.
pub fn write(out: &Path, documents: &[Document]) -> Result<WriteSummary, Error> {
    let mut summary = WriteSummary::default();
    for document in documents {
        let relative = &document.path;
        if relative.as_os_str().is_empty()
            || !relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(Error::Usage(format!(
                "refusing to write outside the output folder: {}",
                relative.display()
            )));
        }
        let target = out.join(relative);
        if fs::read(&target).is_ok_and(|existing| existing == document.text.as_bytes()) {
            summary.unchanged.push(target);
            continue;
        }
        write_atomically(&target, document.text.as_bytes())?;
        summary.written.push(target);
    }
    Ok(summary)
}

fn write_atomically(target: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let folder = target.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(folder).map_err(io_error(folder))?;
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
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
