//! Earlier inputs, read from git: a repository's files as they were at a
//! revision, and the version of a file that has a given digest.
//!
//! git runs as a separate program, `git -C ROOT …`, so candor needs no git
//! library; a missing git, a folder outside any git repository and an
//! unknown revision are usage errors that say so. The repository may be a
//! folder inside a larger git work tree. Many files are read through one
//! `git cat-file --batch` process, not one process per file.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Component, Path};
use std::process::{Child, ChildStdin, ChildStdout, Command, Output, Stdio};

use crate::error::Error;
use crate::load::SETTINGS_FILE;
use crate::manifest;

/// Files of a repository by path relative to its root, with `/` between
/// folders (`cases/imod-azure-services.yaml`), and their bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// What candor reads from a repository, as git path arguments relative to
/// its root.
const INPUTS: [&str; 4] = [SETTINGS_FILE, "principles", "cases", "templates"];

/// The byte order mark candor drops when it reads a file.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// The files candor reads from the repository at `root`, as they were at
/// `revision` (anything git names a commit by: `HEAD~2`, a branch, a tag,
/// a commit id): `candor.yaml`, `principles/*.yaml`, `cases/*.yaml` (and
/// `.yml`), and everything under `templates/`. Symbolic links and
/// submodules are left out.
pub fn files_at(root: &Path, revision: &str) -> Result<Files, Error> {
    let prefix = prefix_of(root)?;
    let commit = resolve(root, revision)?;
    let listing = output(
        git(root)
            .args(["ls-tree", "-r", "-z", "--full-name", &commit, "--"])
            .args(INPUTS),
    )?;
    if !listing.status.success() {
        return Err(failed("ls-tree", said(&listing.stderr)));
    }
    let mut wanted: Vec<(String, String)> = Vec::new();
    for entry in listing.stdout.split(|b| *b == 0) {
        // `<mode> SP <type> SP <object> TAB <path>`
        let Some(tab) = entry.iter().position(|b| *b == b'\t') else {
            continue;
        };
        let (Ok(header), Ok(path)) = (
            std::str::from_utf8(&entry[..tab]),
            std::str::from_utf8(&entry[tab + 1..]),
        ) else {
            continue;
        };
        let mut fields = header.split(' ');
        let (Some(mode), Some(kind), Some(object)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Some(relative) = path.strip_prefix(prefix.as_str()) else {
            continue;
        };
        if kind == "blob" && mode != "120000" && is_input(relative) {
            wanted.push((relative.to_owned(), object.to_owned()));
        }
    }
    let objects: Vec<String> = wanted.iter().map(|(_, object)| object.clone()).collect();
    let blobs = Batch::read_all(root, &objects)?;
    let files = wanted
        .into_iter()
        .zip(blobs)
        .filter_map(|((path, _), blob)| Some((path, blob?.1)))
        .collect();
    Ok(files)
}

/// The content of the file `relative_path` (relative to the repository
/// root, with `/` between folders) whose SHA-256 digest, as
/// [`manifest::digest`] writes it, is `digest`: the file in the working
/// tree if it matches, else the newest version committed that does, found
/// by walking the commits that touched the path, newest first. `None` when
/// no version matches.
///
/// candor digests a file as it read it from a working tree, so a committed
/// version also matches as git checks it out with `\r\n` line endings
/// (`core.autocrlf`, `eol=crlf`), and a digest of the text without its
/// byte order mark matches too; the bytes returned are the ones that
/// matched. Other checkout filters (LFS, encryption) are not applied.
///
/// The working tree is read first and git only when it does not match, so
/// a match there needs no git at all.
pub fn find_by_digest(
    root: &Path,
    relative_path: &str,
    digest: &str,
) -> Result<Option<Vec<u8>>, Error> {
    let wanted = digest.to_ascii_lowercase();
    find_matching(root, relative_path, &|bytes: &[u8]| {
        manifest::digest(bytes) == wanted
            || bytes
                .strip_prefix(BOM)
                .is_some_and(|text| manifest::digest(text) == wanted)
    })
}

/// Like [`find_by_digest`], for any test of a version: the working tree's
/// file if `matches` accepts it, else the newest committed version it
/// accepts, also as checked out with `\r\n` line endings.
pub fn find_matching(
    root: &Path,
    relative_path: &str,
    matches: &dyn Fn(&[u8]) -> bool,
) -> Result<Option<Vec<u8>>, Error> {
    if !is_plain_relative(relative_path) {
        return Err(Error::Usage(format!(
            "`{relative_path}` is not a path inside the repository"
        )));
    }
    let on_disk = root.join(relative_path);
    match std::fs::read(&on_disk) {
        Ok(bytes) if matches(&bytes) => return Ok(Some(bytes)),
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(Error::Io {
                path: on_disk,
                source,
            });
        }
    }
    let prefix = prefix_of(root)?;
    let log = output(git(root).args([
        "log",
        "--format=%H",
        "--full-history",
        "--no-show-signature",
        "--",
        relative_path,
    ]))?;
    if !log.status.success() {
        // A repository without a commit has no history to search.
        let head = output(git(root).args(["rev-parse", "--verify", "--quiet", "HEAD"]))?;
        if !head.status.success() {
            return Ok(None);
        }
        return Err(failed("log", said(&log.stderr)));
    }
    let commits = String::from_utf8_lossy(&log.stdout).into_owned();
    let mut batch = Batch::start(root, false)?;
    let mut seen = BTreeSet::new();
    for commit in commits.lines().filter(|line| !line.is_empty()) {
        let Some((object, bytes)) = batch.read(&format!("{commit}:{prefix}{relative_path}"))?
        else {
            // The path did not exist in that commit: it deleted the file.
            continue;
        };
        if !seen.insert(object) {
            continue;
        }
        let checked_out = with_crlf(&bytes);
        if let Some(found) = [Some(bytes), checked_out]
            .into_iter()
            .flatten()
            .find(|candidate| matches(candidate))
        {
            batch.finish()?;
            return Ok(Some(found));
        }
    }
    batch.finish()?;
    Ok(None)
}

/// A commit, as a tracked change names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The author's name.
    pub author: String,
    /// The commit time, in seconds since 1970.
    pub time: i64,
}

/// The last commit that changed any of `paths` (relative to the
/// repository at `root`, `/` between folders), when the working tree holds
/// them as committed; `None` when it holds changes git has not recorded,
/// or no commit touched them.
pub fn last_change(root: &Path, paths: &[&str]) -> Result<Option<Commit>, Error> {
    let status = output(
        git(root)
            .args(["status", "--porcelain", "-z", "--untracked-files=all", "--"])
            .args(paths),
    )?;
    if !status.status.success() {
        return Err(failed("status", said(&status.stderr)));
    }
    if !status.stdout.is_empty() {
        return Ok(None);
    }
    let log = output(
        git(root)
            .args([
                "log",
                "-1",
                "--no-show-signature",
                "--format=%an%x00%ct",
                "--",
            ])
            .args(paths),
    )?;
    if !log.status.success() {
        // A repository without a commit has no history.
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&log.stdout);
    let Some((author, time)) = text.trim_end().split_once('\0') else {
        return Ok(None);
    };
    Ok(time.parse().ok().map(|time| Commit {
        author: author.to_owned(),
        time,
    }))
}

/// `bytes` with every line feed not already after a carriage return made
/// `\r\n`, as git checks text out on Windows; `None` when that changes
/// nothing.
fn with_crlf(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut converted = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    let mut changed = false;
    let mut previous = None;
    for &byte in bytes {
        if byte == b'\n' && previous != Some(b'\r') {
            converted.push(b'\r');
            changed = true;
        }
        converted.push(byte);
        previous = Some(byte);
    }
    changed.then_some(converted)
}

/// Whether `path` is relative, with `/` between plain names: no `..`, no
/// `.`, no empty name, nothing git's batch protocol cannot carry.
pub(crate) fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\n', '\r', '\0', '\\'])
        && path.split('/').all(|name| !name.is_empty())
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Whether candor reads the file at `path`, relative to the root.
fn is_input(path: &str) -> bool {
    let yaml_in = |folder: &str| {
        path.strip_prefix(folder)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|name| {
                !name.contains('/') && (name.ends_with(".yaml") || name.ends_with(".yml"))
            })
    };
    path == SETTINGS_FILE
        || yaml_in("principles")
        || yaml_in("cases")
        || path.starts_with("templates/")
}

/// `git -C root`, reading nothing from standard input, taking paths
/// literally, and speaking English like candor, so its messages can be
/// quoted and recognised.
fn git(root: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(root)
        .arg("--literal-pathspecs")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    command
}

/// Runs a git command to the end.
fn output(command: &mut Command) -> Result<Output, Error> {
    command.output().map_err(not_started)
}

fn not_started(error: io::Error) -> Error {
    if error.kind() == io::ErrorKind::NotFound {
        Error::Usage(
            "git was not found: install git, or put it on PATH, to compare with earlier versions"
                .to_owned(),
        )
    } else {
        Error::Usage(format!("git could not be started: {error}"))
    }
}

/// Where the repository at `root` is in its git work tree: `""` at the
/// top, or `folder/` with `/` at the end.
fn prefix_of(root: &Path) -> Result<String, Error> {
    let out = output(git(root).args(["rev-parse", "--show-prefix"]))?;
    if !out.status.success() {
        let message = said(&out.stderr);
        return Err(Error::Usage(if message.contains("not a git repository") {
            format!(
                "{} is not in a git repository, so it has no earlier versions",
                root.display()
            )
        } else {
            format!("git cannot read {}: {message}", root.display())
        }));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_owned())
}

/// The id of the commit `revision` names.
fn resolve(root: &Path, revision: &str) -> Result<String, Error> {
    let unknown = |message: &str| {
        let message = if message.is_empty() {
            String::new()
        } else {
            format!(": {message}")
        };
        Error::Usage(format!("unknown revision `{revision}`{message}"))
    };
    // A revision starting with `-` would be read as an option.
    if revision.is_empty() || revision.starts_with('-') || revision.contains(['\0', '\n']) {
        return Err(unknown("not a revision name"));
    }
    let out = output(git(root).args([
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{revision}^{{commit}}"),
    ]))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned());
    }
    // `--quiet` keeps quiet about a name git does not know; ask in a way
    // that makes git say what is wrong with it.
    let mut message = said(&out.stderr);
    if message.is_empty() {
        let log = output(git(root).args(["log", "-1", "--no-walk", "--format=", revision, "--"]))?;
        message = said(&log.stderr);
    }
    Err(unknown(&message))
}

/// The first line git wrote to standard error, without `fatal: ` or
/// `error: ` in front.
fn said(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    line.strip_prefix("fatal: ")
        .or_else(|| line.strip_prefix("error: "))
        .unwrap_or(line)
        .to_owned()
}

fn failed(command: &str, detail: impl Display) -> Error {
    Error::Usage(format!("git {command} failed: {detail}"))
}

/// One `git cat-file --batch` process.
struct Batch {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

/// An object's id and content.
type Blob = (String, Vec<u8>);

impl Batch {
    /// Starts git. `buffered`, it answers only as its output fills up or
    /// its input ends: for many names written at once, not for one name
    /// at a time.
    fn start(root: &Path, buffered: bool) -> Result<Batch, Error> {
        let mut command = git(root);
        command.args(["cat-file", "--batch"]);
        if buffered {
            command.arg("--buffer");
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(not_started)?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(failed("cat-file", "no pipe to it"));
        };
        Ok(Batch {
            child,
            stdin: Some(stdin),
            stdout: BufReader::new(stdout),
        })
    }

    /// The contents of the blobs `objects` names, in order, through one
    /// buffered process: a second thread writes the names while this one
    /// reads the answers, so neither side waits on the other.
    fn read_all(root: &Path, objects: &[String]) -> Result<Vec<Option<Blob>>, Error> {
        let mut batch = Batch::start(root, true)?;
        let Some(stdin) = batch.stdin.take() else {
            return Err(failed("cat-file", "no pipe to it"));
        };
        let read = std::thread::scope(|scope| {
            scope.spawn(move || -> io::Result<()> {
                let mut stdin = io::BufWriter::new(stdin);
                for object in objects {
                    stdin.write_all(object.as_bytes())?;
                    stdin.write_all(b"\n")?;
                }
                stdin.flush()
                // Dropping the pipe tells git there is no more.
            });
            let read: Result<Vec<Option<Blob>>, Error> =
                objects.iter().map(|_| batch.answer()).collect();
            if read.is_err() {
                // Stops git, so the writer is not left blocked on it.
                let _ = batch.child.kill();
            }
            read
        })?;
        batch.finish()?;
        Ok(read)
    }

    /// The object `name` names (an object id, or `commit:path`) with its
    /// id, if it exists and is a file's content. Only for an unbuffered
    /// process.
    fn read(&mut self, name: &str) -> Result<Option<Blob>, Error> {
        let Some(stdin) = self.stdin.as_mut() else {
            return Err(failed("cat-file", "already finished"));
        };
        stdin
            .write_all(format!("{name}\n").as_bytes())
            .and_then(|()| stdin.flush())
            .map_err(|error| failed("cat-file", error))?;
        self.answer()
    }

    /// Reads git's answer to the next name asked.
    fn answer(&mut self) -> Result<Option<Blob>, Error> {
        let broken = |error: io::Error| failed("cat-file", error);
        let mut header = Vec::new();
        self.stdout.read_until(b'\n', &mut header).map_err(broken)?;
        if header.last() != Some(&b'\n') {
            return Err(failed("cat-file", "it stopped answering"));
        }
        let header = String::from_utf8_lossy(&header);
        // `<object> SP <type> SP <size>`, or `<name> SP missing`.
        let mut fields = header.trim_end().rsplitn(3, ' ');
        let (Some(size), Some(kind), Some(object)) = (fields.next(), fields.next(), fields.next())
        else {
            return Ok(None);
        };
        let Ok(size) = size.parse::<u64>() else {
            // `missing` or `ambiguous`: nothing follows.
            return Ok(None);
        };
        let mut bytes = Vec::new();
        (&mut self.stdout)
            .take(size)
            .read_to_end(&mut bytes)
            .map_err(broken)?;
        let mut newline = [0u8; 1];
        self.stdout.read_exact(&mut newline).map_err(broken)?;
        if u64::try_from(bytes.len()).ok() != Some(size) {
            return Err(failed("cat-file", "an object was cut short"));
        }
        Ok((kind == "blob").then(|| (object.to_owned(), bytes)))
    }

    /// Ends the process, reporting a failure.
    fn finish(mut self) -> Result<(), Error> {
        drop(self.stdin.take());
        let status = self.child.wait().map_err(|e| failed("cat-file", e))?;
        if status.success() {
            Ok(())
        } else {
            Err(failed("cat-file", status))
        }
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // After `finish` this does nothing; on an early return it stops
        // git rather than leave it waiting.
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::fs;

    /// Runs git in `dir` with a fixed identity and no user or system
    /// configuration, so the tests work on a machine without git set up.
    fn run_git(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn write(root: &Path, path: &str, text: &str) {
        let target = root.join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, text).unwrap();
    }

    fn commit_all(dir: &Path, message: &str) {
        run_git(dir, &["add", "-A"]);
        run_git(dir, &["commit", "-q", "-m", message]);
    }

    /// A git work tree whose candor repository is the folder `repo/`.
    fn work_tree() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        run_git(dir.path(), &["init", "-q"]);
        let root = dir.path().join("repo");
        for (path, text) in [
            ("candor.yaml", "organisation: {name: Example}\n"),
            ("principles/fairness.yaml", "id: fairness\n"),
            ("principles/notes.txt", "not a principle\n"),
            ("cases/first.yaml", "id: first\n"),
            ("cases/second.yml", "id: second\n"),
            ("cases/old/third.yaml", "id: third\n"),
            ("templates/memo.md", "{{ case.title }}\n"),
            ("templates/partials/_footer.md", "footer\n"),
            ("README.md", "not an input\n"),
        ] {
            write(&root, path, text);
        }
        write(dir.path(), "cases/outside.yaml", "id: outside\n");
        commit_all(dir.path(), "first");
        (dir, root)
    }

    #[test]
    fn reads_the_inputs_at_a_revision() {
        let (dir, root) = work_tree();
        write(&root, "cases/first.yaml", "id: first\ntitle: changed\n");
        fs::remove_file(root.join("templates/memo.md")).unwrap();
        commit_all(dir.path(), "second");
        write(
            &root,
            "cases/first.yaml",
            "id: first\ntitle: not committed\n",
        );

        let before = files_at(&root, "HEAD~1").unwrap();
        let names: Vec<&str> = before.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "candor.yaml",
                "cases/first.yaml",
                "cases/second.yml",
                "principles/fairness.yaml",
                "templates/memo.md",
                "templates/partials/_footer.md",
            ]
        );
        assert_eq!(before["cases/first.yaml"], b"id: first\n");

        let now = files_at(&root, "HEAD").unwrap();
        assert_eq!(now["cases/first.yaml"], b"id: first\ntitle: changed\n");
        assert!(!now.contains_key("templates/memo.md"));
        // By branch name too.
        assert_eq!(files_at(&root, "main").unwrap(), now);
    }

    #[test]
    fn an_unknown_revision_is_a_usage_error_saying_what_git_said() {
        let (_dir, root) = work_tree();
        for (revision, expected) in [
            (
                "no-such-branch",
                "unknown revision `no-such-branch`: bad revision 'no-such-branch'",
            ),
            ("HEAD~5", "unknown revision `HEAD~5`: bad revision 'HEAD~5'"),
            ("--all", "unknown revision `--all`: not a revision name"),
            ("", "unknown revision ``: not a revision name"),
        ] {
            match files_at(&root, revision) {
                Err(Error::Usage(message)) => assert_eq!(message, expected),
                other => panic!("{revision}: {other:?}"),
            }
        }
        // A tree is not a commit.
        match files_at(&root, "HEAD^{tree}") {
            Err(Error::Usage(message)) => {
                assert!(
                    message.starts_with("unknown revision `HEAD^{tree}`"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_folder_outside_git_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        match files_at(dir.path(), "HEAD") {
            Err(Error::Usage(message)) => {
                assert!(message.contains("is not in a git repository"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        match find_by_digest(dir.path(), "cases/x.yaml", &manifest::digest(b"x")) {
            Err(Error::Usage(message)) => {
                assert!(message.contains("is not in a git repository"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn finds_the_version_with_a_digest() {
        let (dir, root) = work_tree();
        let path = "cases/first.yaml";
        let versions = [
            "id: first\n",
            "id: first\ntitle: two\n",
            "id: first\ntitle: three\n",
        ];
        for (n, text) in versions.iter().enumerate().skip(1) {
            write(&root, path, text);
            commit_all(dir.path(), &format!("version {n}"));
        }
        // Back to the first text, then an edit not committed.
        write(&root, path, versions[0]);
        commit_all(dir.path(), "revert");
        write(&root, path, "id: first\ntitle: draft\n");

        for text in versions.iter().chain(&["id: first\ntitle: draft\n"]) {
            let found = find_by_digest(&root, path, &manifest::digest(text.as_bytes())).unwrap();
            assert_eq!(found.as_deref(), Some(text.as_bytes()));
        }
        let never = manifest::digest(b"never written");
        assert_eq!(find_by_digest(&root, path, &never).unwrap(), None);
        // Upper-case hex is the same digest.
        let upper = manifest::digest(versions[1].as_bytes()).to_uppercase();
        assert!(find_by_digest(&root, path, &upper).unwrap().is_some());
        // A file never committed, or never there at all.
        assert_eq!(
            find_by_digest(&root, "cases/none.yaml", &never).unwrap(),
            None
        );
    }

    #[test]
    fn a_digest_of_the_text_without_its_byte_order_mark_matches() {
        let (dir, root) = work_tree();
        let with_bom = "\u{feff}id: first\ntitle: marked\n";
        write(&root, "cases/first.yaml", with_bom);
        commit_all(dir.path(), "bom");
        write(&root, "cases/first.yaml", "id: first\n");
        let digest = manifest::digest("id: first\ntitle: marked\n".as_bytes());
        let found = find_by_digest(&root, "cases/first.yaml", &digest).unwrap();
        assert_eq!(found.as_deref(), Some(with_bom.as_bytes()));
    }

    #[test]
    fn a_version_checked_out_with_crlf_line_endings_matches() {
        let (dir, root) = work_tree();
        write(&root, "cases/first.yaml", "id: first\ntitle: lf\n");
        commit_all(dir.path(), "lf");
        write(&root, "cases/first.yaml", "id: first\n");
        let on_windows = "id: first\r\ntitle: lf\r\n";
        let found = find_by_digest(
            &root,
            "cases/first.yaml",
            &manifest::digest(on_windows.as_bytes()),
        )
        .unwrap();
        assert_eq!(found.as_deref(), Some(on_windows.as_bytes()));
        assert_eq!(with_crlf(b"a\r\nb\n").as_deref(), Some(&b"a\r\nb\r\n"[..]));
        assert_eq!(with_crlf(b"a\r\nb"), None);
    }

    #[test]
    fn a_path_outside_the_repository_is_refused() {
        let (_dir, root) = work_tree();
        for path in [
            "../cases/outside.yaml",
            "/etc/passwd",
            "cases//first.yaml",
            "./cases/first.yaml",
            "",
        ] {
            assert!(
                matches!(find_by_digest(&root, path, "00"), Err(Error::Usage(_))),
                "{path}"
            );
        }
    }

    #[test]
    fn a_repository_without_commits_has_no_history() {
        let dir = tempfile::tempdir().unwrap();
        run_git(dir.path(), &["init", "-q"]);
        write(dir.path(), "cases/x.yaml", "id: x\n");
        let found =
            find_by_digest(dir.path(), "cases/x.yaml", &manifest::digest(b"other")).unwrap();
        assert_eq!(found, None);
        assert!(matches!(files_at(dir.path(), "HEAD"), Err(Error::Usage(_))));
    }

    #[test]
    fn inputs_are_the_files_candor_reads() {
        assert!(is_input("candor.yaml"));
        assert!(is_input("cases/a.yml"));
        assert!(is_input("templates/a/b/c.md"));
        assert!(!is_input("cases/a/b.yaml"));
        assert!(!is_input("cases/a.txt"));
        assert!(!is_input("casesx/a.yaml"));
        assert!(!is_input("out/a.md"));
    }
}
