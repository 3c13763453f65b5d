//! Helpers shared by the integration tests: where the bundled repository and
//! the fixtures are, throwaway copies of them, and the `candor` binary.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use tempfile::TempDir;

/// The two document kinds every repository has.
pub(crate) const KINDS: [&str; 2] = ["employee-memo", "public-statement"];

/// The project's own repository: `candor.yaml`, `cases/`, `principles/`.
pub(crate) fn bundled_repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The case files of the bundled repository, by name, read from disk now so
/// that a case added later is covered without touching the tests.
pub(crate) fn bundled_case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(bundled_repo().join("cases"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.is_file()
                && path
                    .extension()
                    .is_some_and(|ext| ext == "yaml" || ext == "yml")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the bundled repository has no cases");
    files
}

/// The ids of the bundled cases: their file names, which candor requires to
/// match the id.
pub(crate) fn bundled_case_ids() -> Vec<String> {
    bundled_case_files()
        .iter()
        .map(|file| file.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// A fixture repository under `tests/fixtures/`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    bundled_repo().join("tests/fixtures").join(name)
}

/// A temporary copy of the fixture `name`: the copy is the folder's root.
pub(crate) fn copy_of_fixture(name: &str) -> TempDir {
    let dir = TempDir::new().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

/// A temporary repository holding exactly `files`, given as
/// (path under the root, text).
pub(crate) fn repo_with(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (path, text) in files {
        write_file(dir.path(), path, text);
    }
    dir
}

/// Writes `text` to `root/path`, creating folders as needed.
pub(crate) fn write_file(root: &Path, path: &str, text: &str) {
    let target = root.join(path);
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(target, text).unwrap();
}

/// Copies the folder `from` into `to`, recursively.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The `candor` binary, run in `dir`, never in colour, keeping its caches
/// under the build's folder for tests rather than the user's own.
pub(crate) fn candor(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("candor").unwrap();
    command.current_dir(dir).env("NO_COLOR", "1").env(
        "CANDOR_CACHE_DIR",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("candor-cache"),
    );
    command
}

/// Every file under `dir`, by path relative to it, with its bytes and
/// modification time. Empty when `dir` does not exist.
pub(crate) fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let metadata = fs::metadata(&path).unwrap();
                files.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    (fs::read(&path).unwrap(), metadata.modified().unwrap()),
                );
            }
        }
    }
    files
}

/// The documents candor renders for the repository at `repo`, as the
/// library reports them, by relative path: what `candor build` must write.
/// Taken from the library so the tests follow the set of document kinds.
pub(crate) fn library_outputs(repo: &Path) -> Vec<PathBuf> {
    let outcome = candor::build(&[repo.to_path_buf()], candor::Options::default()).unwrap();
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    let mut paths: Vec<PathBuf> = outcome.documents.into_iter().map(|d| d.path).collect();
    paths.sort();
    paths
}

/// Asserts that every case in `case_ids` has at least the kinds in [`KINDS`]
/// among `paths`.
pub(crate) fn assert_every_case_has_memo_and_statement(paths: &[PathBuf], case_ids: &[String]) {
    for id in case_ids {
        for kind in KINDS {
            let path = Path::new(id).join(format!("{kind}.md"));
            assert!(paths.contains(&path), "no {} in {paths:?}", path.display());
        }
    }
}

/// What a process wrote, as text.
pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Runs candor in `root`, expecting `code`; returns (stdout, stderr).
pub(crate) fn run(root: &Path, args: &[&str], code: i32) -> (String, String) {
    let output = candor(root).args(args).output().unwrap();
    let (out, err) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(
        output.status.code(),
        Some(code),
        "candor {}\nstdout:\n{out}\nstderr:\n{err}",
        args.join(" ")
    );
    (out, err)
}

/// "1 case", "2 cases".
pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A throwaway copy of the bundled repository's settings, principles and
/// cases: the built-in templates only.
pub(crate) fn bundled_copy() -> TempDir {
    let dir = TempDir::new().unwrap();
    fs::copy(
        bundled_repo().join("candor.yaml"),
        dir.path().join("candor.yaml"),
    )
    .unwrap();
    copy_dir(
        &bundled_repo().join("principles"),
        &dir.path().join("principles"),
    );
    copy_dir(&bundled_repo().join("cases"), &dir.path().join("cases"));
    dir
}

/// Replaces the first `from` by `to` in a file of `root`, insisting it was
/// there.
pub(crate) fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let before = fs::read_to_string(&path).unwrap();
    assert!(before.contains(from), "{file} does not contain {from:?}");
    fs::write(&path, before.replacen(from, to, 1)).unwrap();
}

/// Every file of `repo`'s output folder with its bytes.
pub(crate) fn output_files(repo: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot_tree(&repo.join("out"))
        .into_iter()
        .map(|(path, (bytes, _))| (path, bytes))
        .collect()
}

/// The output folder of a build of `repo` as it is now, from nothing and
/// without any cache: `build` runs in a copy with its caches in a folder
/// that can never be made.
pub(crate) fn fresh_output<R>(
    repo: &Path,
    build: impl Fn(&Path, &Path) -> R,
) -> BTreeMap<PathBuf, Vec<u8>> {
    let copy = TempDir::new().unwrap();
    for folder in ["cases", "principles"] {
        copy_dir(&repo.join(folder), &copy.path().join(folder));
    }
    fs::copy(repo.join("candor.yaml"), copy.path().join("candor.yaml")).unwrap();
    let cache = TempDir::new().unwrap();
    // A cache folder under a file can never be made.
    fs::write(cache.path().join("file"), "").unwrap();
    build(copy.path(), &cache.path().join("file/cache"));
    output_files(copy.path())
}

/// Sets the modification time of every input file of `repo` an hour back,
/// so the next build records them as settled, not racy.
pub(crate) fn settle_inputs(repo: &Path) {
    let past = SystemTime::now() - Duration::from_secs(3600);
    for folder in ["cases", "principles"] {
        for entry in fs::read_dir(repo.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                set_modified(&path, past);
            }
        }
    }
}

/// Sets `file`'s modification time.
pub(crate) fn set_modified(file: &Path, time: SystemTime) {
    fs::File::options()
        .write(true)
        .open(file)
        .unwrap()
        .set_modified(time)
        .unwrap();
}
