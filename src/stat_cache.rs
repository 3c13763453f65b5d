//! The stat cache: what each case file's size, times and inode were when
//! its digest was last computed, so a rebuild can take the digest of an
//! unchanged file without reading it.
//!
//! It lives outside the output folder, which stays byte for byte what a
//! build without it writes: under `$CANDOR_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/candor`, else `~/.cache/candor`, one file per output
//! folder, named by the digest of the folder's canonical path, beside a
//! record of that path: the caches of folders that are gone are removed.
//!
//! It is only ever an optimisation. A cache that is missing, unreadable,
//! corrupt, of another version or format, or cannot be written is no
//! cache: every file is read and digested, as without it, and nothing is
//! reported. A file is trusted only when every recorded detail of its
//! stat matches (size, modification and change times to the nanosecond,
//! inode and device) and it was last modified well before the build that
//! recorded it began: like git's "racy" entries, a file changed in the
//! same clock tick as it was read could keep its stat, so it is digested
//! again until a later build records it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

/// The first line of a cache file, before the version and threshold.
const MAGIC: &str = "candor-stat-cache 1";

/// How long before a build began a file must have been last modified for
/// the build's record of it to be trusted: more than the coarsest clock
/// tick a file system stamps times with.
pub(crate) const RACY_MARGIN: Duration = Duration::from_secs(1);

/// What the system says of a file, as far as telling it unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, in nanoseconds since 1970.
    pub mtime: i64,
    /// Its status change time, in nanoseconds since 1970 (0 where the
    /// platform has none): setting the modification time back changes it.
    pub ctime: i64,
    /// Its inode, 0 where the platform has none.
    pub ino: u64,
    /// Its device, 0 where the platform has none.
    pub dev: u64,
}

impl FileStat {
    /// The stat as the caches write it: `size mtime ctime ino dev`.
    pub(crate) fn to_fields(self) -> String {
        let mut fields = String::new();
        self.write_fields(&mut fields);
        fields
    }

    /// [`FileStat::to_fields`], written at the end of `text`.
    fn write_fields(self, text: &mut String) {
        let FileStat {
            size,
            mtime,
            ctime,
            ino,
            dev,
        } = self;
        let _ = write!(text, "{size} {mtime} {ctime} {ino} {dev}");
    }

    /// A stat from the next five of `fields`, as [`FileStat::to_fields`]
    /// writes it; `None` when one is missing or not a number.
    pub(crate) fn from_fields<'a>(fields: &mut impl Iterator<Item = &'a str>) -> Option<FileStat> {
        let mut number = || fields.next()?.parse::<i64>().ok();
        // Fields are evaluated in the order written.
        Some(FileStat {
            size: u64::try_from(number()?).ok()?,
            mtime: number()?,
            ctime: number()?,
            ino: number()? as u64,
            dev: number()? as u64,
        })
    }

    /// The stat of a file from its metadata.
    pub fn of(metadata: &fs::Metadata) -> FileStat {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let nanos = |seconds: i64, nanos: i64| {
                seconds.saturating_mul(1_000_000_000).saturating_add(nanos)
            };
            FileStat {
                size: metadata.size(),
                mtime: nanos(metadata.mtime(), metadata.mtime_nsec()),
                ctime: nanos(metadata.ctime(), metadata.ctime_nsec()),
                ino: metadata.ino(),
                dev: metadata.dev(),
            }
        }
        #[cfg(not(unix))]
        {
            FileStat {
                size: metadata.len(),
                mtime: metadata.modified().map_or(0, nanos_since_epoch),
                ctime: 0,
                ino: 0,
                dev: 0,
            }
        }
    }
}

/// A file's stat and the digest of its text, as a build found them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file's stat, taken before it was read.
    pub stat: FileStat,
    /// The digest of its text, as the manifest records it.
    pub digest: String,
}

/// The cache of one output folder, as read at the start of a build.
#[derive(Debug, Clone, Default)]
pub struct StatCache {
    /// The output folder it is of.
    out: PathBuf,
    /// Entries recorded before this time (nanoseconds since 1970) are
    /// trusted.
    threshold: i64,
    /// By file, relative to the repository root with `/` between parts.
    entries: BTreeMap<String, Entry>,
}

impl StatCache {
    /// The cache of the output folder `out`, or an empty one.
    pub fn open(out: &Path) -> StatCache {
        let parsed = cache_file(out)
            .and_then(|file| fs::read_to_string(file).ok())
            .and_then(|text| parse(&text));
        let (threshold, entries) = parsed.unwrap_or_default();
        StatCache {
            out: out.to_path_buf(),
            threshold,
            entries,
        }
    }

    /// The digest of the file with key `key`, if it is recorded with
    /// exactly `stat` and was not modified too close to being recorded.
    pub fn digest(&self, key: &str, stat: &FileStat) -> Option<&str> {
        let entry = self.entries.get(key)?;
        (entry.stat == *stat && stat.mtime < self.threshold).then_some(entry.digest.as_str())
    }

    /// The cache to write after a build that began at `started` and found
    /// `entries`; `None` when it would say what this one says.
    pub fn update(&self, started: SystemTime, entries: BTreeMap<String, Entry>) -> Option<Update> {
        // Entries all trusted already stay trusted: nothing to write. Both
        // maps are in key order: compared side by side, not looked up.
        let same = entries.len() == self.entries.len()
            && entries
                .iter()
                .zip(&self.entries)
                .all(|((key, entry), (known_key, known))| {
                    key == known_key
                        && known.stat == entry.stat
                        && entry.stat.mtime < self.threshold
                        && known.digest == entry.digest
                });
        if same {
            return None;
        }
        let threshold = nanos_since_epoch(started.checked_sub(RACY_MARGIN)?);
        Some(Update {
            out: self.out.clone(),
            threshold,
            entries,
        })
    }
}

/// A cache to be written once the build is.
#[derive(Debug, Clone)]
pub struct Update {
    /// The output folder, which may not have existed before the build.
    out: PathBuf,
    threshold: i64,
    entries: BTreeMap<String, Entry>,
}

impl Update {
    /// Writes the cache, replacing the old one whole. A cache that cannot
    /// be written is left as it is: the next build reads more.
    pub fn write(&self) {
        let Ok(folder) = fs::canonicalize(&self.out) else {
            return;
        };
        let Some(file) = cache_file_of(&folder, STAT) else {
            return;
        };
        let _ = crate::atomic::write_atomically(&file, self.text().as_bytes());
        record_folder(&folder);
        remove_caches_of_folders_gone();
    }

    /// The cache file's text.
    fn text(&self) -> String {
        let mut text = format!(
            "{MAGIC} {} {}\n",
            crate::manifest::CANDOR_VERSION,
            self.threshold
        );
        // About 150 bytes an entry: reserved once.
        text.reserve(self.entries.len() * 160);
        for (key, entry) in &self.entries {
            if key.contains('\n') {
                continue;
            }
            entry.stat.write_fields(&mut text);
            let _ = writeln!(text, " {} {key}", entry.digest);
        }
        // A digest of all above it ends the file: a cache damaged in any
        // byte is no cache.
        let check = crate::manifest::digest(text.as_bytes());
        text.push_str(&format!("end {check}\n"));
        text
    }
}

/// The threshold and entries of a cache file's text; `None` when it is not
/// one this candor wrote.
fn parse(text: &str) -> Option<(i64, BTreeMap<String, Entry>)> {
    let body = text.strip_suffix('\n')?;
    let (body, check) = match body.rsplit_once('\n') {
        Some((body, check)) => (&text[..body.len() + 1], check),
        None => return None,
    };
    let check = check.strip_prefix("end ")?;
    let mut lines = body.lines();
    let header = lines.next()?.strip_prefix(MAGIC)?.strip_prefix(' ')?;
    let (version, threshold) = header.split_once(' ')?;
    if version != crate::manifest::CANDOR_VERSION {
        return None;
    }
    let threshold: i64 = threshold.parse().ok()?;
    let lines: Vec<&str> = lines.collect();
    // The lines are parsed on every core while the whole is digested: a
    // cache that fails its check is thrown away, parsed or not.
    let (sound, parsed) = rayon::join(
        || check == crate::manifest::digest(body.as_bytes()),
        || {
            lines
                .par_iter()
                .map(|line| entry_of_line(line))
                .collect::<Option<Vec<(String, Entry)>>>()
        },
    );
    // Written in key order, so the map is built in one pass.
    let entries = parsed.filter(|_| sound)?.into_iter().collect();
    Some((threshold, entries))
}

/// The key and entry of a line of a cache file; `None` when it is not one
/// this candor wrote.
fn entry_of_line(line: &str) -> Option<(String, Entry)> {
    let mut fields = line.splitn(7, ' ');
    let stat = FileStat::from_fields(&mut fields)?;
    let digest = fields.next()?;
    let key = fields.next()?;
    let hex = digest.len() == 64
        && digest
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !hex || key.is_empty() {
        return None;
    }
    let entry = Entry {
        stat,
        digest: digest.to_owned(),
    };
    Some((key.to_owned(), entry))
}

/// Where the cache of the output folder `out` is kept, if anywhere.
fn cache_file(out: &Path) -> Option<PathBuf> {
    cache_file_named(out, STAT)
}

/// The name of an output folder's stat cache file.
const STAT: &str = "stat";

/// The name of the cache file of an output folder's manifest index
/// ([`crate::manifest_index`]).
pub(crate) const INDEX: &str = "index";

/// The name of the cache file that records which output folder the
/// others beside it are of: its canonical path.
const FOLDER: &str = "folder";

/// Records which output folder, by its canonical path `folder`, the cache
/// files beside the record are of, unless recorded already or its path is
/// not text.
fn record_folder(folder: &Path) {
    let (Some(record), Some(folder)) = (cache_file_of(folder, FOLDER), folder.to_str()) else {
        return;
    };
    if fs::read_to_string(&record).is_ok_and(|recorded| recorded == folder) {
        return;
    }
    let _ = crate::atomic::write_atomically(&record, folder.as_bytes());
}

/// Removes the cache files of every output folder that no longer exists,
/// so that the cache folder does not grow with each output folder ever
/// built (a temporary one per CI run, say). Caches are only ever
/// optimisations: at worst, a folder made again is read whole once.
fn remove_caches_of_folders_gone() {
    let Some(entries) = cache_folder().and_then(|folder| fs::read_dir(folder).ok()) else {
        return;
    };
    let prefix = format!("{FOLDER}-");
    for entry in entries.flatten() {
        let record = entry.path();
        let Some(digest) = entry
            .file_name()
            .to_str()
            .and_then(|name| name.strip_prefix(&prefix))
            .map(str::to_owned)
        else {
            continue;
        };
        let gone = fs::read_to_string(&record).is_ok_and(|folder| {
            fs::symlink_metadata(folder).is_err_and(|e| e.kind() == io::ErrorKind::NotFound)
        });
        if gone {
            // The record last: were this stopped midway, the next build
            // would remove the rest.
            for name in [STAT, INDEX] {
                let _ = fs::remove_file(record.with_file_name(format!("{name}-{digest}")));
            }
            let _ = fs::remove_file(&record);
        }
    }
}

/// Where the cache file `name` of the output folder `out` is kept, if
/// anywhere: in the cache folder, named by `name` and the digest of the
/// output folder's canonical path.
pub(crate) fn cache_file_named(out: &Path, name: &str) -> Option<PathBuf> {
    cache_file_of(&fs::canonicalize(out).ok()?, name)
}

/// [`cache_file_named`], of the output folder whose canonical path is
/// `folder`.
fn cache_file_of(folder: &Path, name: &str) -> Option<PathBuf> {
    let digest = crate::manifest::digest(folder.as_os_str().as_encoded_bytes());
    Some(cache_folder()?.join(format!("{name}-{}", &digest[..32])))
}

/// `$CANDOR_CACHE_DIR`, else `$XDG_CACHE_HOME/candor`, else
/// `~/.cache/candor`. An empty or relative variable counts as unset.
fn cache_folder() -> Option<PathBuf> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    if let Some(folder) = absolute("CANDOR_CACHE_DIR") {
        return Some(folder);
    }
    if let Some(folder) = absolute("XDG_CACHE_HOME") {
        return Some(folder.join("candor"));
    }
    Some(absolute("HOME")?.join(".cache").join("candor"))
}

pub(crate) fn nanos_since_epoch(time: SystemTime) -> i64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(mtime: i64) -> FileStat {
        FileStat {
            size: 10,
            mtime,
            ctime: mtime,
            ino: 7,
            dev: 3,
        }
    }

    fn cache(threshold: i64) -> StatCache {
        let mut entries = BTreeMap::new();
        entries.insert(
            "cases/a b.yaml".to_owned(),
            Entry {
                stat: stat(100),
                digest: crate::manifest::digest(b"a"),
            },
        );
        StatCache {
            out: PathBuf::from("/nowhere"),
            threshold,
            entries,
        }
    }

    #[test]
    fn only_an_exact_stat_recorded_in_time_is_trusted() {
        let trusted = cache(200);
        assert!(trusted.digest("cases/a b.yaml", &stat(100)).is_some());
        assert!(trusted.digest("cases/a b.yaml", &stat(101)).is_none());
        let other_size = FileStat {
            size: 11,
            ..stat(100)
        };
        assert!(trusted.digest("cases/a b.yaml", &other_size).is_none());
        let other_ctime = FileStat {
            ctime: 150,
            ..stat(100)
        };
        assert!(trusted.digest("cases/a b.yaml", &other_ctime).is_none());
        assert!(trusted.digest("cases/other.yaml", &stat(100)).is_none());
        // Modified in the same tick as it was recorded: racy.
        assert!(cache(100).digest("cases/a b.yaml", &stat(100)).is_none());
    }

    #[test]
    fn a_written_cache_reads_back_and_a_damaged_one_is_none() {
        let original = cache(0);
        let text = Update {
            out: PathBuf::from("/nowhere"),
            threshold: 200,
            entries: original.entries.clone(),
        }
        .text();
        let (threshold, entries) = parse(&text).unwrap();
        assert_eq!(threshold, 200);
        assert_eq!(entries, original.entries);
        let cut = &text[..text.len() - 10];
        assert!(parse(cut).is_none());
        let flipped = text.replacen("cases/a b", "cases/a c", 1);
        assert!(parse(&flipped).is_none());
        assert!(parse(&text.replacen(MAGIC, "candor-stat-cache 0", 1)).is_none());
        let other_version = text.replacen(crate::manifest::CANDOR_VERSION, "0.0.0-other", 1);
        assert!(parse(&other_version).is_none());
        assert!(parse("\u{0}\u{1}garbage").is_none());
    }
}
