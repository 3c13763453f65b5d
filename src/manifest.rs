//! The build manifest: `manifest.json` in the output folder.
//!
//! Every build that writes documents also writes a manifest saying, for
//! each case, exactly what went into its documents and what came out: the
//! SHA-256 digest of the case file, of `candor.yaml`, of each library
//! principle the case cites, of the earlier case it updates, of the
//! templates each document may use (one digest of their names and texts),
//! and of every file written. The next
//! build compares its inputs with these digests and skips the cases whose
//! inputs are all unchanged (see [`crate::build_incremental`]); later, the
//! same digests can bind an approval to the content that was approved.
//!
//! The file is deterministic: keys are sorted (struct fields are declared
//! in alphabetical order, maps are ordered), paths use `/`, and nothing in
//! it depends on time, the machine, or the order files were listed in. It
//! is compact JSON with one case per line — ten thousand cases make a file
//! of about 9 MB — so a change shows as a one-line diff.
//!
//! Each entry is self-contained — a case records the digests of the shared
//! inputs it used, not a pointer to a shared table — so a build of a few
//! named case files can update their entries and keep the others.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write as _};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest as _, Sha256};

use crate::error::Error;

/// The manifest's file name in the output folder.
pub const FILE_NAME: &str = "manifest.json";

/// The manifest format this candor writes. A manifest of another format is
/// ignored, so every case is rebuilt.
pub const FORMAT: u32 = 3;

/// The version of candor, as recorded in manifests. A manifest written by
/// another version is ignored: a new candor may render differently.
pub const CANDOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a build read and wrote, per case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The version of candor that wrote it.
    pub candor: String,
    /// Every case built, by its file: the path relative to the repository
    /// root, with `/` between folders (`cases/imod-azure-services.yaml`).
    pub cases: BTreeMap<String, CaseEntry>,
    /// The manifest format, [`FORMAT`].
    pub format: u32,
    /// Entries of cases a build skipped, kept as the line of the manifest
    /// it read them from, `"<file>":{<entry>}`, by file: written back as
    /// they are, neither parsed whole nor serialised again. An entry in
    /// `cases` replaces one here.
    #[serde(skip)]
    verbatim: BTreeMap<String, std::ops::Range<usize>>,
    /// The text the lines kept verbatim are in, shared rather than copied
    /// line by line.
    #[serde(skip)]
    source: Arc<String>,
    /// Entries made by this build kept as their lines, `"<file>":{<entry>}`,
    /// by file: serialised as each case finished, a line takes a third of
    /// the memory its entry would. An entry here replaces one kept
    /// verbatim; `cases` and these name different files.
    #[serde(skip)]
    lines: BTreeMap<String, String>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            candor: CANDOR_VERSION.to_owned(),
            cases: BTreeMap::new(),
            format: FORMAT,
            verbatim: BTreeMap::new(),
            source: Arc::new(String::new()),
            lines: BTreeMap::new(),
        }
    }
}

/// One case: its inputs and the files its documents were written to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseEntry {
    /// The case's approval files, by file name: the digest of each. A
    /// sign-off given or voided changes the banner of every document.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub approvals: BTreeMap<String, String>,
    /// The digest of the case file, as candor read it.
    pub digest: String,
    /// The case's documents, by document kind.
    pub documents: BTreeMap<String, DocumentEntry>,
    /// The case's id.
    pub id: String,
    /// The library principles the case cites, by id: the digest of each
    /// one's file. Principles defined inline are part of the case file.
    pub principles: BTreeMap<String, String>,
    /// Whether only the case's public documents were written, as a
    /// publishing build writes them: the entry then names nothing internal
    /// (its internal principles are left out), and a build that writes
    /// every document renders the case again rather than trust it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub public_only: bool,
    /// The digest of `candor.yaml`; absent when the repository has none.
    pub settings: Option<String>,
    /// Other case files the case reads — the earlier case an update
    /// updates — by file, with their digests.
    pub updates: BTreeMap<String, String>,
    /// How many warnings the case had. A case with warnings is always
    /// rebuilt, so its warnings are reported again; a case with errors is
    /// never in a manifest, because a build with errors writes nothing.
    pub warnings: usize,
}

/// One document of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    /// The files written for it, by path relative to the output folder:
    /// the document and, with `--html` and `--docx`, its page and its Word
    /// document.
    pub files: BTreeMap<String, FileEntry>,
    /// One digest of the templates the document may have used, by
    /// [`templates_digest`]: of their names (built-ins under `builtin/`)
    /// with the digest of each one's text. When candor cannot tell which
    /// templates a document uses, it counts them all. One digest is
    /// shared by every document of a kind.
    pub templates: Arc<str>,
}

/// A file written by a build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// Its size in bytes.
    pub bytes: u64,
    /// The digest of its content.
    pub sha256: String,
}

impl FileEntry {
    /// The entry for a file holding `content`.
    pub fn of(content: &[u8]) -> FileEntry {
        FileEntry {
            bytes: u64::try_from(content.len()).unwrap_or(u64::MAX),
            sha256: digest(content),
        }
    }
}

impl Manifest {
    /// Reads the manifest in `out`, if there is one this candor can use: a
    /// missing, unreadable or foreign manifest (another format or version)
    /// is no manifest, and the next build rebuilds everything.
    pub fn read(out: &Path) -> Option<Manifest> {
        let text = fs::read_to_string(out.join(FILE_NAME)).ok()?;
        let manifest = Manifest::from_json(&text)?;
        (manifest.format == FORMAT && manifest.candor == CANDOR_VERSION).then_some(manifest)
    }

    /// Parses a manifest. One laid out as [`Manifest::to_json`] writes it,
    /// one case per line, is parsed a line at a time on every core: ten
    /// thousand cases make 10 MB of JSON. Any other layout is parsed whole,
    /// to the same result.
    pub fn from_json(text: &str) -> Option<Manifest> {
        match by_lines(text) {
            Some(manifest) => Some(manifest),
            None => serde_json::from_str(text).ok(),
        }
    }

    /// The manifest as its file holds it: JSON with keys sorted, one case
    /// per line, ending in a newline.
    pub fn to_json(&self) -> String {
        self.layout().text()
    }

    /// The manifest laid out as its file holds it: the lines of the
    /// entries in `cases` made on every core, those kept verbatim copied.
    pub(crate) fn layout(&self) -> Layout<'_> {
        let cases: Vec<(&String, &CaseEntry)> = self.cases.iter().collect();
        let serialised: Vec<String> = cases
            .par_iter()
            .map(|(file, entry)| line_of(file, entry))
            .collect();
        let mut made: Vec<(&str, Line)> = cases
            .iter()
            .map(|(file, _)| file.as_str())
            .zip(serialised.into_iter().map(Line::Made))
            .chain(
                self.lines
                    .iter()
                    .map(|(file, line)| (file.as_str(), Line::Serialised(line))),
            )
            .collect();
        made.sort_by(|a, b| a.0.cmp(b.0));
        // Both in file order; merged, an entry made replacing one kept.
        let mut lines: Vec<(&str, Line)> = Vec::with_capacity(made.len() + self.verbatim.len());
        let mut made = made.into_iter().peekable();
        let mut kept = self.verbatim.iter().peekable();
        loop {
            let next_made = made.peek().map(|(file, _)| *file);
            let next_kept = kept.peek().map(|(file, _)| file.as_str());
            let from_made = match (next_made, next_kept) {
                (Some(a), Some(b)) if a == b => {
                    kept.next();
                    true
                }
                (Some(a), Some(b)) => a < b,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if from_made {
                lines.extend(made.next());
            } else if let Some((file, range)) = kept.next() {
                // A range the text does not hold is no line: left out, as
                // an entry that does not parse is.
                if self.source.get(range.clone()).is_some() {
                    lines.push((file.as_str(), Line::Kept(range.clone())));
                }
            }
        }
        Layout {
            head: format!("{{\"candor\":{},\"cases\":{{", json(&self.candor)),
            lines,
            tail: format!("}},\"format\":{}}}\n", self.format),
            source: &self.source,
        }
    }

    /// Keeps the entry of each case file of `lines` as its line of
    /// `source`, the text of the manifest it was read from, at its range,
    /// to be written back as it is. Fastest with `lines` in file order.
    pub(crate) fn keep_all_verbatim(
        &mut self,
        source: &Arc<String>,
        lines: impl Iterator<Item = (String, std::ops::Range<usize>)>,
    ) {
        if !Arc::ptr_eq(&self.source, source) {
            // Lines of another text would be lost: parse those kept so far.
            self.parse_verbatim();
            self.source = source.clone();
        }
        if self.verbatim.is_empty() {
            // Built whole, in one pass when in order, rather than an
            // insertion at a time.
            self.verbatim = lines.collect();
        } else {
            self.verbatim.extend(lines);
        }
    }

    /// The case files whose entries are kept as the lines read.
    pub(crate) fn verbatim_files(&self) -> impl Iterator<Item = &str> {
        self.verbatim.keys().map(String::as_str)
    }

    /// Adds the entry of the case in `file` made by this build as its
    /// line, `"<file>":{<entry>}` ([`line_of`]).
    pub(crate) fn add_line(&mut self, file: String, line: String) {
        self.lines.insert(file, line);
    }

    /// The entries made by this build and kept as lines: each case's file
    /// and line.
    pub(crate) fn made_lines(&self) -> impl Iterator<Item = (&str, &str)> {
        self.lines
            .iter()
            .map(|(file, line)| (file.as_str(), line.as_str()))
    }

    /// Whether this build made the entry of the case in `file`.
    pub(crate) fn made(&self, file: &str) -> bool {
        self.cases.contains_key(file) || self.lines.contains_key(file)
    }

    /// Whether the manifest lists no case.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty() && self.verbatim.is_empty() && self.lines.is_empty()
    }

    /// Parses every entry kept verbatim or as a line into `cases`, so
    /// that `cases` lists every case. An entry that does not parse is left
    /// out.
    pub(crate) fn parse_verbatim(&mut self) {
        let made: Vec<(String, CaseEntry)> = std::mem::take(&mut self.lines)
            .into_par_iter()
            .filter_map(|(_, line)| case_line(&line))
            .collect();
        self.cases.extend(made);
        let kept = std::mem::take(&mut self.verbatim);
        let source = &self.source;
        let parsed: Vec<(String, CaseEntry)> = kept
            .into_par_iter()
            .filter_map(|(_, range)| case_line(source.get(range)?))
            .collect();
        for (file, entry) in parsed {
            self.cases.entry(file).or_insert(entry);
        }
        self.source = Arc::new(String::new());
    }

    /// Writes the manifest into `out` atomically, unless the file already
    /// holds exactly this manifest.
    pub fn write(&self, out: &Path) -> Result<bool, Error> {
        self.layout().write(out)
    }

    /// Removes the manifest from `out`, if there is one.
    pub fn remove(out: &Path) -> Result<(), Error> {
        let target = out.join(FILE_NAME);
        match fs::remove_file(&target) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(Error::Io {
                path: target,
                source,
            }),
        }
    }
}

/// A manifest laid out as its file holds it, one case a line: what is
/// written, and where each case's line is, made once for both.
pub(crate) struct Layout<'m> {
    /// What comes before the first line.
    head: String,
    /// Each case's manifest key and line, in file order.
    lines: Vec<(&'m str, Line<'m>)>,
    /// What comes after the last line.
    tail: String,
    /// The text of the manifest read, which kept lines are ranges of.
    source: &'m str,
}

/// A case's line in a [`Layout`].
enum Line<'m> {
    /// Made now.
    Made(String),
    /// Made by the build, as each case finished.
    Serialised(&'m str),
    /// Kept as it was, where it is in the manifest read.
    Kept(std::ops::Range<usize>),
}

impl Layout<'_> {
    /// A line's text.
    fn text_of<'a>(&'a self, line: &'a Line<'_>) -> &'a str {
        match line {
            Line::Made(text) => text,
            Line::Serialised(text) => text,
            Line::Kept(range) => self.source.get(range.clone()).unwrap_or_default(),
        }
    }

    /// Each case's manifest key, where its line is in the text, and the
    /// line.
    pub(crate) fn lines(&self) -> Vec<(&str, std::ops::Range<usize>, &str)> {
        let mut at = self.head.len();
        self.lines
            .iter()
            .enumerate()
            .map(|(index, (file, line))| {
                // A newline before the first line, a comma and a newline
                // before each other.
                at += if index == 0 { 1 } else { 2 };
                let text = self.text_of(line);
                let range = at..at + text.len();
                at = range.end;
                (*file, range, text)
            })
            .collect()
    }

    /// The text in as few pieces as it can be: lines kept that follow one
    /// another in the manifest read are one piece of it, copied at once.
    fn pieces(&self) -> Vec<&str> {
        let mut pieces: Vec<&str> = vec![&self.head];
        // The range of the manifest read that the last piece is.
        let mut run: Option<std::ops::Range<usize>> = None;
        for (index, (_, line)) in self.lines.iter().enumerate() {
            let separator = if index == 0 { "\n" } else { ",\n" };
            if let (Line::Kept(range), Some(last)) = (line, &mut run)
                && range.start == last.end + separator.len()
                && self.source.get(last.end..range.start) == Some(separator)
            {
                last.end = range.end;
                if let Some(piece) = pieces.last_mut() {
                    *piece = self.source.get(last.clone()).unwrap_or_default();
                }
                continue;
            }
            pieces.push(separator);
            pieces.push(self.text_of(line));
            run = match line {
                Line::Kept(range) => Some(range.clone()),
                Line::Made(_) | Line::Serialised(_) => None,
            };
        }
        if !self.lines.is_empty() {
            pieces.push("\n");
        }
        pieces.push(&self.tail);
        pieces
    }

    /// The manifest's text.
    pub(crate) fn text(&self) -> String {
        let pieces = self.pieces();
        let mut text = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
        pieces.iter().for_each(|piece| text.push_str(piece));
        text
    }

    /// Writes the manifest into `out` atomically, unless the file already
    /// holds exactly this manifest.
    pub(crate) fn write(&self, out: &Path) -> Result<bool, Error> {
        let pieces = self.pieces();
        let same = fs::read(out.join(FILE_NAME)).is_ok_and(|existing| {
            let mut rest = existing.as_slice();
            pieces
                .iter()
                .all(|piece| match rest.strip_prefix(piece.as_bytes()) {
                    Some(after) => {
                        rest = after;
                        true
                    }
                    None => false,
                })
                && rest.is_empty()
        });
        if same {
            return Ok(false);
        }
        self.write_pieces(out, &pieces)?;
        Ok(true)
    }

    /// Writes the manifest into `out` atomically, when the caller knows
    /// the file is not there: nothing to read back and compare.
    pub(crate) fn write_new(&self, out: &Path) -> Result<(), Error> {
        self.write_pieces(out, &self.pieces())
    }

    /// Writes `pieces` into the manifest's file in `out`, atomically: the
    /// large ones straight from where they are, the small ones gathered.
    fn write_pieces(&self, out: &Path, pieces: &[&str]) -> Result<(), Error> {
        crate::atomic::write_atomically_with(&out.join(FILE_NAME), |file| {
            let mut file = io::BufWriter::with_capacity(1 << 20, file);
            for piece in pieces {
                file.write_all(piece.as_bytes())?;
            }
            file.flush()
        })
    }
}

/// A manifest laid out as [`Manifest::to_json`] writes it, parsed a line at
/// a time in parallel; `None` when `text` is laid out otherwise.
fn by_lines(text: &str) -> Option<Manifest> {
    let body = text.strip_suffix('\n')?;
    let (head, rest) = body.split_once('\n')?;
    let (lines, tail) = rest.rsplit_once('\n')?;
    let candor = head
        .strip_prefix("{\"candor\":")?
        .strip_suffix(",\"cases\":{")?;
    let candor: String = serde_json::from_str(candor).ok()?;
    let format = tail.strip_prefix("},\"format\":")?.strip_suffix('}')?;
    let format: u32 = serde_json::from_str(format).ok()?;
    let lines: Vec<&str> = lines.split('\n').collect();
    let last = lines.len().checked_sub(1)?;
    let entries: Vec<Option<(String, CaseEntry)>> = lines
        .par_iter()
        .enumerate()
        .map(|(index, line)| {
            let line = if index < last {
                line.strip_suffix(',')?
            } else {
                line
            };
            case_line(line)
        })
        .collect();
    let mut cases = BTreeMap::new();
    for entry in entries {
        let (file, entry) = entry?;
        cases.insert(file, entry);
    }
    Some(Manifest {
        candor,
        cases,
        format,
        verbatim: BTreeMap::new(),
        source: Arc::new(String::new()),
        lines: BTreeMap::new(),
    })
}

/// The lines of a manifest laid out as [`Manifest::to_json`] writes it,
/// `"<file>":{<entry>}`, without the comma between them; `None` when it is
/// laid out otherwise or is of another format or version.
fn lines_of(text: &str) -> Option<Vec<&str>> {
    let body = text.strip_suffix('\n')?;
    let Some((head, rest)) = body.split_once('\n') else {
        // No case: all on one line.
        let manifest: Manifest = serde_json::from_str(text).ok()?;
        let ours = manifest.format == FORMAT && manifest.candor == CANDOR_VERSION;
        return (ours && manifest.cases.is_empty()).then(Vec::new);
    };
    let candor = head
        .strip_prefix("{\"candor\":")?
        .strip_suffix(",\"cases\":{")?;
    let candor: String = serde_json::from_str(candor).ok()?;
    let (lines, tail) = match rest.rsplit_once('\n') {
        Some((lines, tail)) => (Some(lines), tail),
        // No case: the closing line follows the first.
        None => (None, rest),
    };
    let format = tail.strip_prefix("},\"format\":")?.strip_suffix('}')?;
    let format: u32 = serde_json::from_str(format).ok()?;
    if format != FORMAT || candor != CANDOR_VERSION {
        return None;
    }
    let Some(lines) = lines else {
        return Some(Vec::new());
    };
    let mut lines: Vec<&str> = lines.split('\n').collect();
    let last = lines.len().checked_sub(1)?;
    for line in &mut lines[..last] {
        *line = line.strip_suffix(',')?;
    }
    Some(lines)
}

/// Where each line of a manifest laid out as [`Manifest::to_json`]
/// writes it is in its text; `None` when it is laid out otherwise or is of
/// another format or version.
pub(crate) fn line_ranges(text: &str) -> Option<Vec<std::ops::Range<usize>>> {
    let start = text.as_ptr() as usize;
    lines_of(text)?
        .into_iter()
        .map(|line| {
            let from = (line.as_ptr() as usize).checked_sub(start)?;
            Some(from..from + line.len())
        })
        .collect()
}

/// A manifest as a build reads it: every entry parsed once, in parallel,
/// borrowing its strings from the file's text rather than copying them,
/// with the line it came from, by the case's file.
pub(crate) struct Previous<'a> {
    /// By case file: the line, `"<file>":{<entry>}`, where it is in the
    /// text, and its entry.
    pub(crate) cases: BTreeMap<String, Recorded<'a>>,
}

/// A case's line of a manifest, where it is in the manifest's text, and
/// its entry as read.
pub(crate) type Recorded<'a> = (&'a str, std::ops::Range<usize>, CaseView<'a>);

/// The text of the manifest in `out`, laid out one case per line as
/// [`Manifest::to_json`] writes it, if there is one this candor can use
/// (as [`Manifest::read`] decides). One laid out otherwise, by hand, is
/// parsed whole and laid out so.
pub(crate) fn read_text(out: &Path) -> Option<Arc<String>> {
    let text = fs::read_to_string(out.join(FILE_NAME)).ok()?;
    if lines_of(&text).is_some() {
        return Some(Arc::new(text));
    }
    let manifest: Manifest = serde_json::from_str(&text).ok()?;
    let ours = manifest.format == FORMAT && manifest.candor == CANDOR_VERSION;
    ours.then(|| Arc::new(manifest.to_json()))
}

impl<'a> Previous<'a> {
    /// The manifest `text` holds, laid out as [`read_text`] gives it. Like
    /// [`Manifest::read`], a manifest of which any line does not parse is
    /// none; the maps an entry keeps as text are parsed only when compared
    /// ([`crate::incremental`]), and an entry of which they do not parse
    /// then is rebuilt.
    pub(crate) fn parse(text: &'a str) -> Option<Previous<'a>> {
        let lines = lines_of(text)?;
        let start = text.as_ptr() as usize;
        let parsed: Vec<Option<(String, Recorded<'_>)>> = lines
            .par_iter()
            .map(|line| {
                let (file, view) = view_of_line(line)?;
                let from = (line.as_ptr() as usize).checked_sub(start)?;
                let range = from..from + line.len();
                Some((file, (*line, range, view)))
            })
            .collect();
        let mut cases = BTreeMap::new();
        for entry in parsed {
            let (file, entry) = entry?;
            cases.insert(file, entry);
        }
        Some(Previous { cases })
    }
}

/// One line of the manifest's cases, `"<file>":{<entry>}`, read as a
/// view borrowing from it.
pub(crate) fn view_of_line(line: &str) -> Option<(String, CaseView<'_>)> {
    let (file, entry) = split_line(line)?;
    Some((file, serde_json::from_str(entry).ok()?))
}

/// A manifest line's case file and the text of its entry.
fn split_line(line: &str) -> Option<(String, &str)> {
    let mut keys = serde_json::Deserializer::from_str(line).into_iter::<String>();
    let file = keys.next()?.ok()?;
    let entry = line.get(keys.byte_offset()..)?.strip_prefix(':')?;
    Some((file, entry))
}

/// A [`CaseEntry`] as read from a manifest's text, borrowing its strings,
/// its map of approvals left as the JSON text it is: enough to tell,
/// quickly, that nothing changed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseView<'a> {
    #[serde(default, borrow)]
    pub(crate) approvals: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) digest: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) documents: BTreeMap<Cow<'a, str>, DocumentView<'a>>,
    #[serde(borrow)]
    pub(crate) id: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) principles: BTreeMap<Cow<'a, str>, Cow<'a, str>>,
    #[serde(default)]
    pub(crate) public_only: bool,
    #[serde(borrow)]
    pub(crate) settings: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) updates: BTreeMap<Cow<'a, str>, Cow<'a, str>>,
    pub(crate) warnings: usize,
}

/// A [`DocumentEntry`] as read from a manifest's text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DocumentView<'a> {
    #[serde(borrow)]
    pub(crate) files: BTreeMap<Cow<'a, str>, FileView<'a>>,
    #[serde(borrow)]
    pub(crate) templates: Cow<'a, str>,
}

/// A [`FileEntry`] as read from a manifest's text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileView<'a> {
    pub(crate) bytes: u64,
    #[serde(borrow)]
    pub(crate) sha256: Cow<'a, str>,
}

/// The manifest's line of the case in `file`, `"<file>":{<entry>}`.
pub(crate) fn line_of(file: &str, entry: &CaseEntry) -> String {
    let mut line = json(file);
    line.push(':');
    line.push_str(&json(entry));
    line
}

/// One line of the manifest's cases, `"<file>":{<entry>}`, parsed whole.
pub(crate) fn parse_line(line: &str) -> Option<(String, CaseEntry)> {
    case_line(line)
}

/// One line of the manifest's cases: `"<file>":{<entry>}`.
fn case_line(line: &str) -> Option<(String, CaseEntry)> {
    let (file, entry) = split_line(line)?;
    Some((file, serde_json::from_str(entry).ok()?))
}

/// `value` as compact JSON, as the manifest holds it. Serialising
/// strings, numbers and maps of them cannot fail.
pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The digest a document's manifest entry records of the templates it may
/// use: of the JSON map of their names to the digests of their texts.
pub fn templates_digest(templates: &BTreeMap<String, String>) -> String {
    digest(json(templates).as_bytes())
}

/// The SHA-256 digest of `bytes`, as 64 lowercase hex digits.
pub fn digest(bytes: &[u8]) -> String {
    let mut digester = Digester::default();
    digester.update(bytes);
    digester.finish()
}

/// [`digest`] of bytes given a piece at a time, as if joined.
#[derive(Default)]
pub(crate) struct Digester(Sha256);

impl Digester {
    /// Adds `bytes` to what is digested.
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The digest of everything added, as 64 lowercase hex digits.
    pub(crate) fn finish(self) -> String {
        // A rebuild digests every manifest line: a digit looked up is many
        // times faster than a byte formatted with `write!`.
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let hash = self.0.finalize();
        let mut hex = String::with_capacity(64);
        for byte in hash.iter() {
            hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
            hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
        }
        hex
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_sha256_hex() {
        assert_eq!(
            digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_file_is_sorted_and_reads_back() {
        let mut manifest = Manifest::default();
        manifest.cases.insert(
            "cases/b.yaml".to_owned(),
            CaseEntry {
                approvals: BTreeMap::new(),
                digest: digest(b"b"),
                documents: BTreeMap::new(),
                id: "b".to_owned(),
                principles: BTreeMap::new(),
                public_only: false,
                settings: None,
                updates: BTreeMap::new(),
                warnings: 0,
            },
        );
        let json = manifest.to_json();
        let keys: Vec<usize> = ["\"candor\"", "\"cases\"", "\"format\""]
            .iter()
            .filter_map(|key| json.find(key))
            .collect();
        assert_eq!(keys.len(), 3);
        assert!(keys.windows(2).all(|pair| pair[0] < pair[1]));
        let folder = tempfile::tempdir().unwrap();
        assert!(manifest.write(folder.path()).unwrap());
        assert!(!manifest.write(folder.path()).unwrap());
        assert_eq!(Manifest::read(folder.path()), Some(manifest));
    }

    fn entry(id: &str) -> CaseEntry {
        let mut files = BTreeMap::new();
        files.insert(format!("{id}/memo.md"), FileEntry::of(id.as_bytes()));
        let mut documents = BTreeMap::new();
        documents.insert(
            "memo".to_owned(),
            DocumentEntry {
                files,
                templates: digest(b"builtin/memo.md").into(),
            },
        );
        CaseEntry {
            approvals: BTreeMap::new(),
            digest: digest(id.as_bytes()),
            documents,
            id: id.to_owned(),
            principles: BTreeMap::from([("p,\n\"q\":".to_owned(), digest(b"p"))]),
            public_only: false,
            settings: Some(digest(b"s")),
            updates: BTreeMap::new(),
            warnings: 0,
        }
    }

    #[test]
    fn a_manifest_parsed_by_lines_is_the_one_parsed_whole() {
        for count in [0, 1, 2, 5] {
            let mut manifest = Manifest::default();
            for index in 0..count {
                let id = format!("case-{index}");
                manifest
                    .cases
                    .insert(format!("cases/{id}.yaml"), entry(&id));
            }
            let json = manifest.to_json();
            let whole: Manifest = serde_json::from_str(&json).unwrap();
            assert_eq!(whole, manifest);
            assert_eq!(Manifest::from_json(&json), Some(manifest.clone()));
            if count > 0 {
                assert_eq!(by_lines(&json), Some(manifest.clone()));
            }
            // Laid out otherwise, it is parsed whole, to the same result.
            let pretty = serde_json::to_string_pretty(&manifest).unwrap();
            assert_eq!(by_lines(&pretty), None);
            assert_eq!(Manifest::from_json(&pretty), Some(manifest));
        }
    }

    #[test]
    fn a_manifest_spliced_from_kept_lines_is_the_one_serialised_whole() {
        let mut whole = Manifest::default();
        for index in 0..6 {
            let id = format!("case-{index}");
            whole.cases.insert(format!("cases/{id}.yaml"), entry(&id));
        }
        let source = Arc::new(whole.to_json());
        let read = Previous::parse(&source).unwrap();
        // Each case made anew in turn, the first, one between and the
        // last, the others kept as read; then one case gone, one added.
        for made in ["case-0", "case-3", "case-5"] {
            let mut spliced = Manifest::default();
            for (file, (_, range, _)) in &read.cases {
                spliced.keep_all_verbatim(&source, std::iter::once((file.clone(), range.clone())));
            }
            let file = format!("cases/{made}.yaml");
            let mut changed = entry(made);
            changed.warnings = 1;
            spliced.cases.insert(file.clone(), changed.clone());
            let mut expected = whole.clone();
            expected.cases.insert(file, changed);
            let layout = spliced.layout();
            let text = layout.text();
            assert_eq!(text, expected.to_json());
            // Fewer pieces than lines: the kept ones copied in runs.
            assert!(layout.pieces().len() < 2 * read.cases.len());
            for (file, range, line) in layout.lines() {
                assert_eq!(&text[range], line);
                assert!(line.starts_with(&json(file)));
            }
        }
        let mut fewer = Manifest::default();
        let mut expected = whole.clone();
        for (file, (_, range, _)) in &read.cases {
            if file != "cases/case-2.yaml" {
                fewer.keep_all_verbatim(&source, std::iter::once((file.clone(), range.clone())));
            }
        }
        expected.cases.remove("cases/case-2.yaml");
        fewer
            .cases
            .insert("cases/case-9.yaml".to_owned(), entry("case-9"));
        expected
            .cases
            .insert("cases/case-9.yaml".to_owned(), entry("case-9"));
        assert_eq!(fewer.layout().text(), expected.to_json());
        let folder = tempfile::tempdir().unwrap();
        fewer.layout().write_new(folder.path()).unwrap();
        assert_eq!(Manifest::read(folder.path()), Some(expected.clone()));
        assert!(!fewer.layout().write(folder.path()).unwrap());
        assert!(whole.layout().write(folder.path()).unwrap());
        assert_eq!(Manifest::read(folder.path()), Some(whole));
    }

    #[test]
    fn entries_kept_as_lines_lay_out_as_the_entries_themselves() {
        let mut whole = Manifest::default();
        for index in 0..5 {
            let id = format!("case-{index}");
            whole.cases.insert(format!("cases/{id}.yaml"), entry(&id));
        }
        let source = Arc::new(whole.to_json());
        let read = Previous::parse(&source).unwrap();
        // Two cases made again as lines, one as an entry, the rest kept.
        let mut mixed = Manifest::default();
        for (file, (_, range, _)) in &read.cases {
            mixed.keep_all_verbatim(&source, std::iter::once((file.clone(), range.clone())));
        }
        let mut expected = whole.clone();
        for (made, warnings) in [("case-0", 2), ("case-3", 3), ("case-4", 4)] {
            let file = format!("cases/{made}.yaml");
            let mut changed = entry(made);
            changed.warnings = warnings;
            if made == "case-4" {
                mixed.cases.insert(file.clone(), changed.clone());
            } else {
                mixed.add_line(file.clone(), line_of(&file, &changed));
            }
            expected.cases.insert(file, changed);
        }
        assert!(mixed.made("cases/case-0.yaml") && mixed.made("cases/case-4.yaml"));
        assert!(!mixed.made("cases/case-1.yaml"));
        assert_eq!(mixed.layout().text(), expected.to_json());
        mixed.parse_verbatim();
        assert_eq!(mixed, expected);
    }

    #[test]
    fn a_manifest_with_anything_unknown_is_no_manifest() {
        let mut manifest = Manifest::default();
        manifest.cases.insert("cases/a.yaml".to_owned(), entry("a"));
        manifest.cases.insert("cases/b.yaml".to_owned(), entry("b"));
        let json = manifest.to_json();
        let unknown = json.replacen("\"warnings\":0", "\"warnings\":0,\"extra\":1", 1);
        assert_eq!(Manifest::from_json(&unknown), None);
        let cut = json.replacen("},\n", "}\n", 1);
        assert_eq!(Manifest::from_json(&cut), None);
        let trailing = json.replacen("\"format\":3}", "\"format\":3,\"x\":1}", 1);
        assert_eq!(Manifest::from_json(&trailing), None);
    }
}
