//! The manifest index: a compact copy of what a rebuild compares in each
//! entry of the output folder's manifest, so that a rebuild need not read
//! and parse the whole manifest (9 MB at 10,000 cases) to find that
//! nothing, or one case, changed.
//!
//! It lives beside the stat cache ([`crate::stat_cache`]), outside the
//! output folder, which stays byte for byte what a build without it
//! writes. For each case it records what the manifest records of its
//! inputs, as digests (the case file, the settings, its sign-offs, each
//! principle it cites and case it updates; its templates as one digest),
//! its files with their sizes, where its line is in the manifest and the
//! digest of that line.
//!
//! Like the stat cache it is only ever an optimisation, trusted only when
//! it describes exactly the manifest in place, which it vouches for in one
//! of two ways:
//!
//! - *Settled*: written by a build that read the manifest whole and left it
//!   as it was, well after the manifest was last modified (see
//!   [`racy_margin`]). The manifest's stat must then be the one recorded
//!   (size, times to the nanosecond, inode, device), and the manifest need
//!   not be read at all.
//! - *Written*: written by the build that wrote the manifest, just after.
//!   A file changed in the same clock tick as it was written could keep its
//!   stat, so the stat alone vouches for nothing: the manifest must be read,
//!   and every line must have the digest recorded. A build that reads it so
//!   and leaves it as it is writes a settled index in its place.
//!
//! When the manifest's text is read, its lines must be where the index has
//! them. An index that is missing, damaged in any byte (a digest of the
//! whole ends it), of another version, or not the manifest's, is no index:
//! the manifest is read and parsed as without it. Whatever the index says,
//! a file is removed only when the manifest itself lists it and it still
//! holds what candor wrote ([`crate::confine`]).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

use crate::manifest::{self, CaseEntry, CaseView, FileEntry, Layout, Previous};
use crate::stat_cache::{self, FileStat};

/// The first line of an index file, before the version and threshold.
const MAGIC: &str = "candor-manifest-index 4";

/// The line before the last of an index file, before the manifest's stat:
/// last but for the digest, as the stat is taken once the manifest is
/// written and the rest is written while it is.
const STAT: &str = "manifest";

/// The threshold of an index written with its manifest: no manifest was
/// modified before it, so the stat never vouches for the manifest alone.
const WRITTEN: i64 = 0;

/// Every case's entry, by manifest key, with where its line is in the
/// manifest.
pub(crate) type Entries = BTreeMap<String, Located>;

/// A case's entry in a manifest not yet written: the digest of its line
/// when the line is carried over from the manifest read, and its entry,
/// or `None` when it is to be read from the line as the index is written
/// (the line made by this build as the case finished). Made then, a
/// window of lines at a time, the entries of ten thousand lines are never
/// held at once, at the end of a build, when its memory is highest.
pub(crate) type Unplaced = (Option<String>, Option<Arc<IndexEntry>>);

/// A case's entry, with where its line is in the manifest and what it
/// holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    /// Where its line, `"<file>":{<entry>}`, is in the manifest's text.
    pub(crate) range: Range<usize>,
    /// The digest of that line.
    pub(crate) line: String,
    /// What the line records; shared with the index written next, which
    /// records it again for a line kept.
    pub(crate) entry: Arc<IndexEntry>,
}

/// A case's entry, as the index records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexEntry {
    /// The case's id.
    pub(crate) id: String,
    /// The digest of the case file.
    pub(crate) digest: String,
    /// How many warnings the case had.
    pub(crate) warnings: usize,
    /// Whether only its public documents were written.
    pub(crate) public_only: bool,
    /// The digest of `candor.yaml`, with who may sign, or `-`.
    pub(crate) settings: String,
    /// The digest of the manifest's JSON of its sign-offs, or `-` when it
    /// has none.
    pub(crate) approvals: String,
    /// One digest of the templates its documents may use: see
    /// [`templates_digest`].
    pub(crate) templates: String,
    /// The library principles it cites, by id, with their digests.
    pub(crate) principles: Vec<(String, String)>,
    /// The case files it updates, by manifest key, with their digests.
    pub(crate) updates: Vec<(String, String)>,
    /// Its documents by kind, with their files.
    pub(crate) documents: Vec<(String, Vec<RecordedFile>)>,
}

/// A file of a document, as the manifest records it. What it held is
/// left to the manifest: only the manifest decides what is removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordedFile {
    /// Relative to the output folder, with `/` between parts.
    pub(crate) path: String,
    /// Its size.
    pub(crate) bytes: u64,
}

/// Each document kind with its files' paths and sizes, as the index
/// holds them, whether read from a manifest or made by this build.
fn recorded<'x, Files>(
    documents: impl Iterator<Item = (&'x str, Files)>,
) -> Vec<(String, Vec<RecordedFile>)>
where
    Files: Iterator<Item = (&'x str, u64)>,
{
    documents
        .map(|(kind, files)| {
            let files = files.map(|(path, bytes)| RecordedFile {
                path: path.to_owned(),
                bytes,
            });
            (kind.to_owned(), files.collect())
        })
        .collect()
}

/// `pairs`, owned.
fn owned_pairs<'x>(pairs: impl Iterator<Item = (&'x str, &'x str)>) -> Vec<(String, String)> {
    pairs.map(|(a, b)| (a.to_owned(), b.to_owned())).collect()
}

/// One digest of the templates a case's documents may use, as the
/// manifest records them: `documents` is each document kind, in order,
/// with the digest its entry records of its templates
/// ([`manifest::templates_digest`]). It depends only on the kinds and the
/// templates, so a build makes it once per set of kinds.
pub(crate) fn templates_digest<'k>(documents: impl Iterator<Item = (&'k str, &'k str)>) -> String {
    let mut text = String::with_capacity(256);
    for (kind, digest) in documents {
        text.push_str(kind);
        text.push('\t');
        text.push_str(digest);
        text.push('\n');
    }
    manifest::digest(text.as_bytes())
}

/// The digest of a case's sign-offs as the manifest's JSON lists them, or
/// `-` when it has none.
pub(crate) fn approvals_digest(json: Option<&str>) -> String {
    json.map_or_else(|| "-".to_owned(), |json| manifest::digest(json.as_bytes()))
}

/// Whether `text` may be a field of an index line.
fn plain(text: &str) -> bool {
    !text.is_empty() && !text.contains(['\t', '\n', '\r'])
}

/// Whether `field`, cut at its tabs from a line of an index file that
/// holds no carriage return ([`plain_line`]), is [`plain`].
fn plain_field(field: &str) -> bool {
    !field.is_empty()
}

/// Whether `line`, a line of an index file, holds no carriage return: the
/// one character that cutting it at its tabs can leave in a field, looked
/// for once a line rather than once a field.
fn plain_line(line: &str) -> bool {
    !line.as_bytes().contains(&b'\r')
}

impl IndexEntry {
    /// The index entry of a manifest entry read as `view`; `None` when a
    /// name in it cannot be indexed.
    pub(crate) fn of_view(view: &CaseView<'_>) -> Option<IndexEntry> {
        let templates = templates_digest(
            view.documents
                .iter()
                .map(|(kind, document)| (&**kind, &*document.templates)),
        );
        let documents = recorded(view.documents.iter().map(|(kind, document)| {
            let files = document.files.iter();
            (&**kind, files.map(|(path, file)| (&**path, file.bytes)))
        }));
        let pairs = |map: &BTreeMap<std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>>| {
            owned_pairs(map.iter().map(|(a, b)| (&**a, &**b)))
        };
        IndexEntry {
            id: view.id.to_string(),
            digest: view.digest.to_string(),
            warnings: view.warnings,
            public_only: view.public_only,
            settings: view.settings.as_deref().unwrap_or("-").to_owned(),
            approvals: approvals_digest(view.approvals.map(|raw| raw.get())),
            templates,
            principles: pairs(&view.principles),
            updates: pairs(&view.updates),
            documents,
        }
        .checked()
    }

    /// The index entry of a manifest entry made by this build; `None` when
    /// a name in it cannot be indexed. Its digests are of the JSON the
    /// manifest writes of it, as [`IndexEntry::of_view`] takes them from
    /// the JSON read.
    pub(crate) fn of_entry(entry: &CaseEntry) -> Option<IndexEntry> {
        let templates = templates_digest(
            entry
                .documents
                .iter()
                .map(|(kind, document)| (kind.as_str(), &*document.templates)),
        );
        let documents = recorded(entry.documents.iter().map(|(kind, document)| {
            let files = document.files.iter();
            (&**kind, files.map(|(path, file)| (&**path, file.bytes)))
        }));
        let pairs =
            |map: &BTreeMap<String, String>| owned_pairs(map.iter().map(|(a, b)| (&**a, &**b)));
        // The manifest leaves out a case's sign-offs when it has none.
        let approvals = (!entry.approvals.is_empty()).then(|| manifest::json(&entry.approvals));
        IndexEntry {
            id: entry.id.clone(),
            digest: entry.digest.clone(),
            warnings: entry.warnings,
            public_only: entry.public_only,
            settings: entry.settings.as_deref().unwrap_or("-").to_owned(),
            approvals: approvals_digest(approvals.as_deref()),
            templates,
            principles: pairs(&entry.principles),
            updates: pairs(&entry.updates),
            documents,
        }
        .checked()
    }

    /// Itself, when every name in it can be written on an index line.
    fn checked(self) -> Option<IndexEntry> {
        let names = [&self.id, &self.digest, &self.settings]
            .into_iter()
            .chain(self.principles.iter().flat_map(|(a, b)| [a, b]))
            .chain(self.updates.iter().flat_map(|(a, b)| [a, b]))
            .chain(self.documents.iter().map(|(kind, _)| kind))
            .chain(
                self.documents
                    .iter()
                    .flat_map(|(_, files)| files.iter().map(|f| &f.path)),
            );
        let plain_names = names.into_iter().all(|name| plain(name));
        plain_names.then_some(self)
    }

    /// Every file of its documents: path, size and digest.
    pub(crate) fn files(&self) -> impl Iterator<Item = &RecordedFile> {
        self.documents.iter().flat_map(|(_, files)| files)
    }

    /// Its line of the index file, after the case file's key and where its
    /// manifest line is.
    fn write_fields(&self, text: &mut String) {
        let public_only = if self.public_only { "1" } else { "0" };
        push_field(text, &self.id);
        push_field(text, &self.digest);
        push_number(text, self.warnings);
        for field in [
            public_only,
            &self.settings,
            &self.approvals,
            &self.templates,
        ] {
            push_field(text, field);
        }
        for list in [&self.principles, &self.updates] {
            push_number(text, list.len());
            for (name, digest) in list {
                push_field(text, name);
                push_field(text, digest);
            }
        }
        push_number(text, self.documents.len());
        for (kind, files) in &self.documents {
            push_field(text, kind);
            push_number(text, files.len());
            for file in files {
                push_field(text, &file.path);
                push_number(text, file.bytes);
            }
        }
    }

    /// The entry of an index line's fields after the key and range, cut
    /// from a [`plain_line`].
    fn parse(fields: &mut std::str::Split<'_, char>) -> Option<IndexEntry> {
        let mut next = || fields.next().filter(|f| plain_field(f)).map(str::to_owned);
        let id = next()?;
        let digest = next()?;
        let warnings = next()?.parse().ok()?;
        let public_only = match next()?.as_str() {
            "0" => false,
            "1" => true,
            _ => return None,
        };
        let settings = next()?;
        let approvals = next()?;
        let templates = next()?;
        let pairs = |next: &mut dyn FnMut() -> Option<String>| -> Option<Vec<(String, String)>> {
            let count: usize = next()?.parse().ok()?;
            (0..count).map(|_| Some((next()?, next()?))).collect()
        };
        let principles = pairs(&mut next)?;
        let updates = pairs(&mut next)?;
        let count: usize = next()?.parse().ok()?;
        let mut documents = Vec::new();
        for _ in 0..count {
            let kind = next()?;
            let files: usize = next()?.parse().ok()?;
            let mut recorded = Vec::new();
            for _ in 0..files {
                recorded.push(RecordedFile {
                    path: next()?,
                    bytes: next()?.parse().ok()?,
                });
            }
            documents.push((kind, recorded));
        }
        if next().is_some() {
            return None;
        }
        Some(IndexEntry {
            id,
            digest,
            warnings,
            public_only,
            settings,
            approvals,
            templates,
            principles,
            updates,
            documents,
        })
    }
}

/// The index of an output folder's manifest, as read at the start of a
/// build, when it is the index of the manifest in place as far as the
/// manifest's stat tells.
#[derive(Debug)]
pub(crate) struct Index {
    /// Each case's entry, by manifest key, with where its line is in the
    /// manifest.
    pub(crate) entries: Entries,
    /// Whether the stat vouches for the manifest, recorded well after it
    /// was last modified; otherwise only its text can, by the digests of
    /// its lines ([`Index::vouches_for`]).
    settled: bool,
}

impl Index {
    /// The index of the manifest in `out`, if there is one that this
    /// candor wrote of the manifest in place now.
    pub(crate) fn open(out: &Path) -> Option<Index> {
        let text = fs::read_to_string(index_file(out)?).ok()?;
        let sections = sections(&text)?;
        let metadata = fs::symlink_metadata(out.join(manifest::FILE_NAME)).ok()?;
        let stat = FileStat::of(&metadata);
        (metadata.is_file() && stat == sections.stat)
            .then(|| parse(&sections))
            .flatten()
            .map(|entries| Index {
                entries,
                settled: stat.mtime < sections.threshold,
            })
    }

    /// Whether the manifest's stat vouches for it: when not, the index may
    /// be used only once the manifest's text is read and
    /// [`Index::vouches_for`] it.
    pub(crate) fn settled(&self) -> bool {
        self.settled
    }

    /// Whether `text`, the manifest as read now, is laid out one case a
    /// line with its lines where the index has them, and, unless the stat
    /// vouched for it, each line the one the index has the digest of.
    pub(crate) fn vouches_for(&self, text: &str) -> bool {
        let Some(ranges) = manifest::line_ranges(text) else {
            return false;
        };
        let laid_out = ranges.len() == self.entries.len()
            && ranges
                .iter()
                .zip(self.entries.values())
                .all(|(range, located)| *range == located.range);
        laid_out
            && (self.settled
                || self.entries.par_iter().all(|(_, located)| {
                    text.get(located.range.clone())
                        .is_some_and(|line| manifest::digest(line.as_bytes()) == located.line)
                }))
    }
}

/// A case's entry in the last build's manifest, as a rebuild reads it:
/// its line parsed, or its index entry.
pub(crate) enum Recorded<'a> {
    /// The manifest's line, parsed, and where it is in the manifest.
    Line(&'a str, Range<usize>, Box<CaseView<'a>>),
    /// The index's entry, with where the line is in the manifest.
    Indexed(&'a Located),
}

impl<'a> Recorded<'a> {
    /// Every case of a manifest read and parsed.
    pub(crate) fn of_manifest(previous: Previous<'a>) -> BTreeMap<String, Recorded<'a>> {
        previous
            .cases
            .into_iter()
            .map(|(file, (line, range, view))| (file, Recorded::Line(line, range, Box::new(view))))
            .collect()
    }

    /// Every case of a manifest, as its index records them.
    pub(crate) fn of_index(index: &'a Index) -> BTreeMap<String, Recorded<'a>> {
        index
            .entries
            .iter()
            .map(|(file, located)| (file.clone(), Recorded::Indexed(located)))
            .collect()
    }

    /// Where its line is in the manifest's text.
    pub(crate) fn range(&self) -> Range<usize> {
        match self {
            Recorded::Line(_, range, _) => range.clone(),
            Recorded::Indexed(located) => located.range.clone(),
        }
    }

    /// Its line of the manifest: the line parsed, or the index's range of
    /// `text`, the manifest's text, when read.
    pub(crate) fn line<'t>(&'t self, text: Option<&'t str>) -> Option<&'t str> {
        match self {
            Recorded::Line(line, _, _) => Some(line),
            Recorded::Indexed(located) => text?.get(located.range.clone()),
        }
    }

    /// The path of every file its documents were written to, as recorded.
    pub(crate) fn files(&self) -> Vec<&str> {
        match self {
            Recorded::Line(_, _, view) => view
                .documents
                .values()
                .flat_map(|document| document.files.keys())
                .map(|path| &**path)
                .collect(),
            Recorded::Indexed(located) => located
                .entry
                .files()
                .map(|file| file.path.as_str())
                .collect(),
        }
    }

    /// Every file its documents were written to, with what was written,
    /// as the manifest itself says: its line parsed, read from `text`, the
    /// manifest's text, for an index entry. What a build removes is
    /// decided by the manifest, never by the index alone.
    pub(crate) fn manifest_files(&self, text: Option<&str>) -> Vec<(String, FileEntry)> {
        let owned = |path: &str, bytes: u64, sha256: &str| {
            let entry = FileEntry {
                bytes,
                sha256: sha256.to_owned(),
            };
            (path.to_owned(), entry)
        };
        match self {
            Recorded::Line(_, _, view) => view
                .documents
                .values()
                .flat_map(|document| &document.files)
                .map(|(path, file)| owned(path, file.bytes, &file.sha256))
                .collect(),
            Recorded::Indexed(..) => self
                .line(text)
                .and_then(manifest::parse_line)
                .map(|(_, entry)| {
                    entry
                        .documents
                        .into_values()
                        .flat_map(|document| document.files)
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// What the index records of it; `None` when a name in it cannot be
    /// indexed.
    pub(crate) fn index_entry(&self) -> Option<Arc<IndexEntry>> {
        match self {
            Recorded::Line(_, _, view) => IndexEntry::of_view(view).map(Arc::new),
            Recorded::Indexed(located) => Some(located.entry.clone()),
        }
    }

    /// The digest of its line: carried over from the index, which vouched
    /// for it, or made from the line read.
    pub(crate) fn line_digest(&self) -> String {
        match self {
            Recorded::Line(line, _, _) => manifest::digest(line.as_bytes()),
            Recorded::Indexed(located) => located.line.clone(),
        }
    }
}

/// The index to write once the build is written.
#[derive(Debug, Clone)]
pub(crate) struct Update {
    vouched: Vouched,
}

/// What an index to be written vouches for the manifest by.
#[derive(Debug, Clone)]
enum Vouched {
    /// The manifest read whole, and left as it was: every case's entry,
    /// with where its line is, and the time just before it was read.
    Read {
        entries: Entries,
        read_at: SystemTime,
    },
    /// The manifest this build writes: every case's entry, by manifest
    /// key, with the digest of its line when it is copied from the
    /// manifest read (made from the line written otherwise).
    Written { entries: BTreeMap<String, Unplaced> },
}

impl Update {
    /// The index of the manifest read at `read_at` and left as it is,
    /// whose cases are `entries`.
    pub(crate) fn read(entries: Entries, read_at: SystemTime) -> Update {
        Update {
            vouched: Vouched::Read { entries, read_at },
        }
    }

    /// The index of the manifest the build writes, whose cases are
    /// `entries`, each with the digest of its line when known.
    pub(crate) fn written(entries: BTreeMap<String, Unplaced>) -> Update {
        Update {
            vouched: Vouched::Written { entries },
        }
    }
}

/// An index file begun while the build is written: its lines are in a
/// temporary file, and [`seal`] ends it with the manifest's stat once the
/// manifest is in place, then puts it in place.
pub(crate) struct Pending {
    replacement: crate::atomic::Replacement,
    /// The digest of all written so far.
    check: manifest::Digester,
    /// The manifest's stat, when the manifest was left as it was and its
    /// stat taken already; otherwise it is taken once it is written.
    stat: Option<FileStat>,
}

/// Begins bringing the index of the output folder `out` up to date, while
/// the build is written: `update` is the index the build made, if any,
/// and `written` the manifest as the build writes it, or finds it already
/// written, `None` when the manifest is left as it was. `None` when there
/// is nothing to [`seal`]: an index in use stays as it is; one that cannot
/// be written, or would not describe the manifest in place, is removed,
/// as it would be ignored.
pub(crate) fn prepare(
    out: &Path,
    update: Option<&Update>,
    written: Option<&Layout<'_>>,
) -> Option<Pending> {
    let vouched = update.map(|u| &u.vouched);
    if vouched.is_none() && written.is_none() {
        return None;
    }
    let file = index_file(out)?;
    let pending = match (vouched, written) {
        (Some(Vouched::Read { entries, read_at }), None) => {
            begin_settled(&file, out, entries, *read_at)
        }
        (Some(Vouched::Written { entries }), Some(layout)) => begin_written(&file, entries, layout),
        _ => None,
    };
    if pending.is_none() {
        let _ = fs::remove_file(file);
    }
    pending
}

/// Ends the index begun as `pending` with the stat of the manifest in
/// `out`, now written, and puts it in place; when that fails, or the
/// manifest left as it was has changed since, no index is left.
pub(crate) fn seal(pending: Pending, out: &Path) {
    let Pending {
        mut replacement,
        check,
        stat,
    } = pending;
    let now = fs::symlink_metadata(out.join(manifest::FILE_NAME)).map(|m| FileStat::of(&m));
    let sealed = match (now, stat) {
        (Ok(now), Some(taken)) if now != taken => false,
        (Ok(now), _) => write_seal(check, &now, replacement.file()).is_ok(),
        (Err(_), _) => false,
    };
    let target = replacement.target().to_path_buf();
    if !(sealed && replacement.commit().is_ok()) {
        let _ = fs::remove_file(target);
    }
}

/// Begins at `file` a settled index of the manifest in `out`, read at
/// `read_at` and left as it was; `None` when the manifest was modified
/// too close to when it was read for its stat to vouch for it (it is read
/// whole again next time, and indexed then), or the index cannot be
/// written.
fn begin_settled(
    file: &Path,
    out: &Path,
    entries: &Entries,
    read_at: SystemTime,
) -> Option<Pending> {
    let metadata = fs::symlink_metadata(out.join(manifest::FILE_NAME)).ok()?;
    let stat = FileStat::of(&metadata);
    // What was read of the manifest vouches for it only from when it
    // was read.
    let threshold = read_at
        .checked_sub(racy_margin(&stat))
        .map(stat_cache::nanos_since_epoch)?;
    (stat.mtime < threshold).then_some(())?;
    let lines = index_lines(entries);
    let piece = |positions: Range<usize>| piece_of(lines.get(positions)?);
    begin_index(file, threshold, Some(stat), lines.len(), &piece)
}

/// The index lines of `entries`, each case's as it was read.
fn index_lines(entries: &Entries) -> Vec<IndexLine<'_>> {
    entries
        .iter()
        .map(|(file, located)| IndexLine {
            file,
            range: located.range.clone(),
            line: &located.line,
            entry: &located.entry,
        })
        .collect()
}

/// Begins at `file` the index of the manifest being written as `layout`
/// lays it out, whose cases are `entries`; `None` when they are not the
/// manifest's cases, or the index cannot be written.
fn begin_written(
    file: &Path,
    entries: &BTreeMap<String, Unplaced>,
    layout: &Layout<'_>,
) -> Option<Pending> {
    let placed = layout.lines();
    // Both are in file order: the manifest's lines are the entries' cases
    // only when each line is the entry's beside it.
    let entries: Vec<(&String, &Unplaced)> = entries.iter().collect();
    if placed.len() != entries.len()
        || !placed
            .iter()
            .zip(&entries)
            .all(|((placed, _, _), (file, _))| placed == file)
    {
        return None;
    }
    let piece = |positions: Range<usize>| {
        let placed = placed.get(positions.clone())?;
        let entries = entries.get(positions)?;
        // What the lines made by this build give: their digests, and their
        // entries when the build did not keep them.
        let made: Vec<(Option<String>, Option<IndexEntry>)> = placed
            .iter()
            .zip(entries)
            .map(|((_, _, text), (_, (carried, entry)))| {
                let digest = carried.is_none().then(|| manifest::digest(text.as_bytes()));
                let from_line = match entry {
                    Some(_) => None,
                    None => Some(of_line(text)?),
                };
                Some((digest, from_line))
            })
            .collect::<Option<_>>()?;
        let lines: Option<Vec<IndexLine<'_>>> = placed
            .iter()
            .zip(entries)
            .zip(&made)
            .map(
                |(((file, range, _), (_, (carried, entry))), (digest, from_line))| {
                    Some(IndexLine {
                        file,
                        range: range.clone(),
                        line: carried.as_ref().or(digest.as_ref())?,
                        entry: entry.as_deref().or(from_line.as_ref())?,
                    })
                },
            )
            .collect();
        piece_of(&lines?)
    };
    begin_index(file, WRITTEN, None, placed.len(), &piece)
}

/// The index entry of a manifest line; `None` when it is no line of a
/// manifest, or a name in it cannot be indexed.
fn of_line(line: &str) -> Option<IndexEntry> {
    let (_, view) = manifest::view_of_line(line)?;
    IndexEntry::of_view(&view)
}

/// How long before the index records the manifest's stat the manifest
/// must have been last modified for the stat to vouch for it. A time with
/// digits below the millisecond comes from a file system that keeps fine
/// times, stamped from a clock that ticks every few milliseconds at most:
/// a tenth of a second is well past a tick. Otherwise the stat cache's
/// margin, more than the coarsest tick of any file system.
fn racy_margin(stat: &FileStat) -> Duration {
    if stat.mtime % 1_000_000 != 0 {
        Duration::from_millis(100)
    } else {
        stat_cache::RACY_MARGIN
    }
}

/// One case's line of an index file, as written.
struct IndexLine<'a> {
    /// The case file's manifest key.
    file: &'a str,
    /// Where its manifest line is.
    range: Range<usize>,
    /// The digest of its manifest line.
    line: &'a str,
    entry: &'a IndexEntry,
}

/// How many index lines are made into one piece of its text.
const LINES_A_PIECE: usize = 512;

/// How many pieces are made at once, on every core, while the pieces
/// made before are written: the index is never held whole, at the end of
/// a build, when its memory is highest.
const PIECES_AT_ONCE: usize = 4;

/// Begins at `file` an index of `count` lines, made a piece at a time by
/// `piece` from their positions, to be sealed with the manifest's stat,
/// `stat` or the one taken once the manifest is written; `None` when it
/// cannot be written, or a case file's name cannot be written on an index
/// line.
fn begin_index(
    file: &Path,
    threshold: i64,
    stat: Option<FileStat>,
    count: usize,
    piece: &(dyn Fn(Range<usize>) -> Option<String> + Sync),
) -> Option<Pending> {
    let mut replacement = crate::atomic::Replacement::begin(file).ok()?;
    let check = write_lines(threshold, count, piece, replacement.file()).ok()?;
    Some(Pending {
        replacement,
        check,
        stat,
    })
}

/// Writes the first line of an index file and its `count` lines to `out`,
/// a piece at a time, each piece's text made by `piece` from the
/// positions of its lines, `None` when a case file's name cannot be
/// written on an index line; returns the digest of all written, for the
/// seal.
fn write_lines(
    threshold: i64,
    count: usize,
    piece: &(dyn Fn(Range<usize>) -> Option<String> + Sync),
    out: &mut (dyn io::Write + Send),
) -> io::Result<manifest::Digester> {
    let header = format!("{MAGIC} {} {threshold}\n", manifest::CANDOR_VERSION);
    // A digest of all above it ends the file: an index damaged in any
    // byte is no index.
    let mut check = manifest::Digester::default();
    check.update(header.as_bytes());
    out.write_all(header.as_bytes())?;
    let mut write_pieces = |pieces: &[String]| -> io::Result<()> {
        for piece in pieces {
            check.update(piece.as_bytes());
            out.write_all(piece.as_bytes())?;
        }
        Ok(())
    };
    // Each window of pieces is digested and written while the next is made.
    let window = LINES_A_PIECE * PIECES_AT_ONCE;
    let mut made: Vec<String> = Vec::new();
    for start in (0..count).step_by(window) {
        let pieces: Vec<Range<usize>> = (start..count.min(start + window))
            .step_by(LINES_A_PIECE)
            .map(|from| from..count.min(from + LINES_A_PIECE))
            .collect();
        let (written, pieces) = rayon::join(
            || write_pieces(&made),
            || {
                pieces
                    .into_par_iter()
                    .map(piece)
                    .collect::<Option<Vec<String>>>()
            },
        );
        written?;
        made = pieces.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "a case file's name cannot be written on an index line",
            )
        })?;
    }
    write_pieces(&made)?;
    Ok(check)
}

/// Ends an index file, whose text so far has the digest `check`, with the
/// manifest's stat and the digest of all above it.
fn write_seal(
    mut check: manifest::Digester,
    manifest: &FileStat,
    out: &mut (dyn io::Write + Send),
) -> io::Result<()> {
    let stat = format!("{STAT} {}\n", manifest.to_fields());
    check.update(stat.as_bytes());
    out.write_all(format!("{stat}end {}\n", check.finish()).as_bytes())
}

/// The index lines of `lines`, one after another; `None` when a case file's
/// name cannot be written on an index line.
fn piece_of(lines: &[IndexLine<'_>]) -> Option<String> {
    let mut text = String::new();
    for IndexLine {
        file,
        range,
        line,
        entry,
    } in lines
    {
        if !plain(file) || !plain(line) {
            return None;
        }
        text.push_str(file);
        push_number(&mut text, range.start);
        push_number(&mut text, range.end);
        push_field(&mut text, line);
        entry.write_fields(&mut text);
        text.push('\n');
    }
    Some(text)
}

/// Appends a tab and `field` to `text`, a line of an index file.
fn push_field(text: &mut String, field: &str) {
    text.push('\t');
    text.push_str(field);
}

/// Appends a tab and `number`, in decimal, to `text`, a line of an index
/// file: digit by digit, as `write!` would, without the formatting
/// machinery around each of the ten or so numbers of every line.
fn push_number(text: &mut String, number: impl Into<Number>) {
    let Number(mut number) = number.into();
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    text.push('\t');
    // Only ASCII digits were written.
    text.extend(digits[start..].iter().map(|&digit| char::from(digit)));
}

/// A count or size written on an index line: a `usize` or a `u64`, as
/// `u64`, which holds either whole.
struct Number(u64);

impl From<u64> for Number {
    fn from(number: u64) -> Number {
        Number(number)
    }
}

impl From<usize> for Number {
    fn from(number: usize) -> Number {
        // No platform Rust supports has a `usize` wider than 64 bits.
        Number(number as u64)
    }
}

/// An index file's text, taken apart.
struct Sections<'t> {
    /// Before when the manifest must have been last modified for its stat
    /// to vouch for it.
    threshold: i64,
    /// The manifest's stat, as recorded.
    stat: FileStat,
    /// The cases' lines.
    lines: &'t str,
    /// All but the last line, which ends with the digest of it.
    sealed: &'t str,
    /// That digest.
    check: &'t str,
}

/// The sections of an index file's `text`; `None` when it is not one this
/// candor wrote.
fn sections(text: &str) -> Option<Sections<'_>> {
    let (first, _) = text.split_once('\n')?;
    let header = first.strip_prefix(MAGIC)?.strip_prefix(' ')?;
    let (version, threshold) = header.split_once(' ')?;
    if version != manifest::CANDOR_VERSION {
        return None;
    }
    let threshold: i64 = threshold.parse().ok()?;
    let (above_end, end) = text.strip_suffix('\n')?.rsplit_once('\n')?;
    let check = end.strip_prefix("end ")?;
    let sealed = &text[..above_end.len() + 1];
    let (above_stat, stat) = above_end.rsplit_once('\n')?;
    let mut numbers = stat.strip_prefix(STAT)?.strip_prefix(' ')?.split(' ');
    let stat = FileStat::from_fields(&mut numbers)?;
    numbers.next().is_none().then_some(())?;
    // No lines when the stat's line follows the first.
    let lines = above_stat.get(first.len() + 1..).unwrap_or_default();
    Some(Sections {
        threshold,
        stat,
        lines,
        sealed,
        check,
    })
}

/// The entries of the index file taken apart as `sections`; `None` when
/// it is damaged in any byte or a line does not make sense.
fn parse(sections: &Sections<'_>) -> Option<Entries> {
    let Sections {
        lines,
        sealed,
        check,
        ..
    } = *sections;
    let lines: Vec<&str> = lines.lines().collect();
    // The lines are parsed while the whole is digested: an index that
    // fails its check is thrown away, parsed or not.
    let (sound, parsed) = rayon::join(
        || check == manifest::digest(sealed.as_bytes()),
        || -> Option<Vec<(String, Located)>> {
            lines
                .par_iter()
                .map(|line| {
                    plain_line(line).then_some(())?;
                    let mut fields = line.split('\t');
                    let file = fields.next().filter(|f| plain_field(f))?.to_owned();
                    let start: usize = fields.next()?.parse().ok()?;
                    let end: usize = fields.next()?.parse().ok()?;
                    (start <= end).then_some(())?;
                    let line = fields.next().filter(|f| plain_field(f))?.to_owned();
                    let entry = Arc::new(IndexEntry::parse(&mut fields)?);
                    let range = start..end;
                    Some((file, Located { range, line, entry }))
                })
                .collect()
        },
    );
    if !sound {
        return None;
    }
    let parsed = parsed?;
    let count = parsed.len();
    let entries: Entries = parsed.into_iter().collect();
    // Each case once, as the manifest lists them.
    (entries.len() == count).then_some(entries)
}

/// Where the index of the output folder `out` is kept, if anywhere.
fn index_file(out: &Path) -> Option<PathBuf> {
    stat_cache::cache_file_named(out, stat_cache::INDEX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::CaseEntry;

    fn entry(id: &str) -> IndexEntry {
        IndexEntry {
            id: id.to_owned(),
            digest: manifest::digest(b"case"),
            warnings: 0,
            public_only: false,
            settings: manifest::digest(b"settings"),
            approvals: "-".to_owned(),
            templates: manifest::digest(b"templates"),
            principles: vec![
                ("p".to_owned(), manifest::digest(b"p")),
                ("q".to_owned(), manifest::digest(b"q")),
            ],
            updates: Vec::new(),
            documents: vec![(
                "memo".to_owned(),
                vec![RecordedFile {
                    path: format!("{id}/memo.md"),
                    bytes: 12,
                }],
            )],
        }
    }

    fn stat() -> FileStat {
        FileStat {
            size: 100,
            mtime: 5,
            ctime: 6,
            ino: 7,
            dev: 8,
        }
    }

    fn read(text: &str) -> Option<(i64, FileStat, Entries)> {
        let sections = sections(text)?;
        Some((sections.threshold, sections.stat, parse(&sections)?))
    }

    fn written(entries: &Entries) -> String {
        let mut text = Vec::new();
        let lines = index_lines(entries);
        let piece = |positions: Range<usize>| piece_of(lines.get(positions)?);
        let check = write_lines(99, lines.len(), &piece, &mut text).unwrap();
        write_seal(check, &stat(), &mut text).unwrap();
        String::from_utf8(text).unwrap()
    }

    fn located(range: Range<usize>, id: &str) -> Located {
        Located {
            range,
            line: manifest::digest(id.as_bytes()),
            entry: Arc::new(entry(id)),
        }
    }

    fn two() -> Entries {
        BTreeMap::from([
            ("cases/a b.yaml".to_owned(), located(10..20, "a")),
            ("cases/c.yaml".to_owned(), located(22..40, "c")),
        ])
    }

    #[test]
    fn an_index_reads_back_and_a_damaged_one_is_none() {
        let entries = two();
        let text = written(&entries);
        assert_eq!(read(&text), Some((99, stat(), entries)));

        assert!(read(&text[..text.len() - 3]).is_none());
        assert!(read(&text.replacen("c/memo.md\t12", "c/memo.md\t13", 1)).is_none());
        assert!(read(&text.replacen(MAGIC, "candor-manifest-index 0", 1)).is_none());
        let other = text.replacen(manifest::CANDOR_VERSION, "0.0.0-other", 1);
        assert!(read(&other).is_none());
        assert!(read("").is_none());
        assert!(read("\u{0}garbage\nend x\n").is_none());
    }

    #[test]
    fn a_well_sealed_index_with_a_bad_line_is_none() {
        // Damage the body, then seal it again as a forger would: the lines
        // must still make sense, or there is no index.
        let text = written(&two());
        let body = text[..text.rfind("end ").unwrap()].to_owned();
        for damaged in [
            body.replacen("\t1\tmemo\t", "\t7\tmemo\t", 1),
            body.replacen("\t10\t20\t", "\t20\t10\t", 1),
            body.replacen("a/memo.md", "", 1),
            body.replacen("a/memo.md", "a/me\rmo.md", 1),
            body.replacen("cases/c.yaml", "cases/c\r.yaml", 1),
            body.replacen("manifest ", "cases/c.yaml\t1\t2\nmanifest ", 1),
        ] {
            let sealed = format!("{damaged}end {}\n", manifest::digest(damaged.as_bytes()));
            assert!(read(&sealed).is_none(), "{damaged}");
        }
    }

    fn case_entry(id: &str) -> CaseEntry {
        let files = BTreeMap::from([(format!("{id}/memo.md"), FileEntry::of(id.as_bytes()))]);
        let document = manifest::DocumentEntry {
            files,
            templates: manifest::digest(b"builtin/memo.md").into(),
        };
        CaseEntry {
            approvals: BTreeMap::from([("legal.yaml".to_owned(), manifest::digest(b"l"))]),
            digest: manifest::digest(id.as_bytes()),
            documents: BTreeMap::from([("memo".to_owned(), document)]),
            id: id.to_owned(),
            principles: BTreeMap::from([("p".to_owned(), manifest::digest(b"p"))]),
            public_only: false,
            settings: Some(manifest::digest(b"s")),
            updates: BTreeMap::new(),
            warnings: 0,
        }
    }

    #[test]
    fn an_index_vouches_only_for_a_manifest_laid_out_as_it_records() {
        let mut made = manifest::Manifest::default();
        for id in ["a", "b"] {
            made.cases
                .insert(format!("cases/{id}.yaml"), case_entry(id));
        }
        let text = made.to_json();
        let read = Previous::parse(&text).unwrap();
        let entries: Entries = read
            .cases
            .iter()
            .map(|(file, (line, range, view))| {
                let located = Located {
                    range: range.clone(),
                    line: manifest::digest(line.as_bytes()),
                    entry: Arc::new(IndexEntry::of_view(view).unwrap()),
                };
                (file.clone(), located)
            })
            .collect();
        // What the entry records of the sign-offs and templates, as
        // digests of the manifest's JSON of them; the same whether made
        // from the entry or read from its line.
        let entry = &entries["cases/a.yaml"].entry;
        let approvals = manifest::json(&case_entry("a").approvals);
        assert_eq!(entry.approvals, approvals_digest(Some(&approvals)));
        assert_eq!(entry.principles, [("p".to_owned(), manifest::digest(b"p"))]);
        assert_eq!(
            IndexEntry::of_entry(&case_entry("a")).as_ref(),
            Some(&**entry)
        );

        for settled in [true, false] {
            let mut index = Index {
                entries: entries.clone(),
                settled,
            };
            assert!(index.vouches_for(&text));
            // Laid out otherwise, or with a case more or less: never.
            assert!(!index.vouches_for(&text.replacen(",\n", ",\n\n", 1)));
            assert!(!index.vouches_for(&text.replacen(",\n", ", \n", 1)));
            // A line changed in place, its length kept: only the stat of
            // a settled index vouches for it.
            let changed = text.replacen("\"warnings\":0", "\"warnings\":1", 1);
            assert_eq!(index.vouches_for(&changed), settled);
            index.entries.pop_last();
            assert!(!index.vouches_for(&text));
        }
    }

    #[test]
    fn a_name_with_a_tab_or_line_break_is_not_indexed() {
        assert!(entry("a").checked().is_some());
        for id in ["a\tb", "a\nb", ""] {
            let mut bad = entry("a");
            bad.id = id.to_owned();
            assert!(bad.checked().is_none());
        }
    }
}
