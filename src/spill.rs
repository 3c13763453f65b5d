//! Texts a build makes early and needs only at its end, each case's
//! manifest line made as the case finishes rendering, kept in an unnamed
//! temporary file instead of in memory. Held in memory they grow with the
//! repository (about a kilobyte a case) while every parsed case is still
//! held; read back once the cases are let go, they take memory the cases
//! gave up. The file has no name, so nothing of it outlives the process,
//! however the build ends.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

/// How much is written or read at a time.
const BUFFER: usize = 256 * 1024;

/// Texts by key, in the temporary file or, when none could be made, in
/// memory.
#[derive(Debug, Default)]
pub(crate) struct Spill {
    /// The file, made with the first text.
    file: Option<BufWriter<File>>,
    /// Whether making the file was tried and failed: texts are then kept
    /// in memory, as a build without a temporary folder still works.
    no_file: bool,
    /// The key and length of each text in the file, in the order written.
    written: Vec<(String, usize)>,
    /// Texts kept in memory.
    kept: Vec<(String, String)>,
    /// The first failure to write the file: the texts in it are lost.
    failed: Option<io::Error>,
}

impl Spill {
    /// Keeps `text` by `key` until [`Spill::into_texts`].
    pub(crate) fn push(&mut self, key: String, text: String) {
        if self.failed.is_some() {
            return;
        }
        if self.file.is_none() && !self.no_file {
            match tempfile::tempfile() {
                Ok(file) => self.file = Some(BufWriter::with_capacity(BUFFER, file)),
                Err(_) => self.no_file = true,
            }
        }
        let Some(file) = &mut self.file else {
            self.kept.push((key, text));
            return;
        };
        match file.write_all(text.as_bytes()) {
            Ok(()) => self.written.push((key, text.len())),
            Err(error) => self.failed = Some(error),
        }
    }

    /// Every text kept, with its key, in no particular order; an error when
    /// the file could not be written or read back whole.
    pub(crate) fn into_texts(self) -> io::Result<Vec<(String, String)>> {
        if let Some(error) = self.failed {
            return Err(error);
        }
        let mut texts = self.kept;
        let Some(file) = self.file else {
            return Ok(texts);
        };
        let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.seek(SeekFrom::Start(0))?;
        let mut reader = BufReader::with_capacity(BUFFER, file);
        texts.reserve(self.written.len());
        // One allocation a text, as each was made: they fill the memory
        // the build has let go by now, rather than a block of their own.
        for (key, len) in self.written {
            let mut bytes = vec![0; len];
            reader.read_exact(&mut bytes)?;
            let text = String::from_utf8(bytes)
                .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))?;
            texts.push((key, text));
        }
        // Nothing may follow the last text.
        if reader.read(&mut [0])? != 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the temporary file holds more than was written",
            ));
        }
        Ok(texts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut texts: Vec<(String, String)>) -> Vec<(String, String)> {
        texts.sort();
        texts
    }

    #[test]
    fn texts_come_back_as_they_were_kept() {
        let mut spill = Spill::default();
        let texts: Vec<(String, String)> = (0..2000)
            .map(|n| {
                (
                    format!("cases/{n}.yaml"),
                    format!("{{\"n\":{n}}}é").repeat(n % 7),
                )
            })
            .collect();
        for (key, text) in &texts {
            spill.push(key.clone(), text.clone());
        }
        assert!(spill.file.is_some(), "kept in a file");
        assert!(spill.kept.is_empty());
        assert_eq!(sorted(spill.into_texts().unwrap()), sorted(texts));
    }

    #[test]
    fn without_a_file_texts_are_kept_in_memory() {
        let mut spill = Spill {
            no_file: true,
            ..Spill::default()
        };
        spill.push("a".to_owned(), "one".to_owned());
        spill.push("b".to_owned(), String::new());
        assert!(spill.file.is_none());
        assert_eq!(
            sorted(spill.into_texts().unwrap()),
            [
                ("a".to_owned(), "one".to_owned()),
                ("b".to_owned(), String::new())
            ]
        );
    }

    #[test]
    fn nothing_kept_gives_nothing_back() {
        assert!(Spill::default().into_texts().unwrap().is_empty());
    }

    #[test]
    fn a_failed_write_is_an_error_not_a_shorter_list() {
        let mut spill = Spill::default();
        spill.push("a".to_owned(), "one".to_owned());
        spill.failed = Some(io::Error::other("disk full"));
        spill.push("b".to_owned(), "two".to_owned());
        let error = spill.into_texts().unwrap_err();
        assert_eq!(error.to_string(), "disk full");
    }

    #[test]
    fn a_file_that_reads_back_short_or_long_is_an_error() {
        let mut short = Spill::default();
        short.push("a".to_owned(), "one".to_owned());
        short.written[0].1 = 4;
        assert_eq!(
            short.into_texts().unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
        let mut long = Spill::default();
        long.push("a".to_owned(), "one".to_owned());
        long.written[0].1 = 2;
        assert_eq!(
            long.into_texts().unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
    }
}
