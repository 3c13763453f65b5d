//! The stat cache a rebuild uses to skip reading unchanged case files: an
//! optimisation only. Every change is still found, whatever the cache says
//! or whether it can be read or written, and the output folder is byte for
//! byte what a build without it writes.
//!
//! Each test keeps its cache in a folder of its own (`CANDOR_CACHE_DIR`).

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use tempfile::TempDir;

use common::{bundled_copy, candor, edit, fresh_output, output_files, set_modified, settle_inputs};

const CASE: &str = "cases/imod-azure-services.yaml";

/// `candor build` in `repo` with its stat cache in `cache`; must succeed
/// and say nothing on stderr.
fn build(repo: &Path, cache: &Path) {
    let output = candor(repo)
        .arg("build")
        .env("CANDOR_CACHE_DIR", cache)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("cache"), "{stderr}");
}

fn modified(file: &Path) -> SystemTime {
    fs::metadata(file).unwrap().modified().unwrap()
}

fn cache_files(cache: &Path) -> Vec<PathBuf> {
    fs::read_dir(cache)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

/// The stat cache's files in `cache`, without the manifest's index.
fn stat_files(cache: &Path) -> Vec<PathBuf> {
    cache_files(cache)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("stat-"))
        })
        .collect()
}

#[test]
fn the_cache_is_kept_outside_the_output_folder_which_is_as_without_it() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    settle_inputs(repo.path());
    build(repo.path(), cache.path());
    // The stat cache; the manifest's index comes with a rebuild that
    // leaves the manifest as it is.
    assert_eq!(stat_files(cache.path()).len(), 1);
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));

    // A rebuild trusting the cache, then one after an edit, as without it.
    build(repo.path(), cache.path());
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));
    edit(repo.path(), CASE, "ceased", "stopped");
    build(repo.path(), cache.path());
    let built = output_files(repo.path());
    assert_eq!(built, fresh_output(repo.path(), build));
    assert!(
        built
            .values()
            .any(|bytes| String::from_utf8_lossy(bytes).contains("stopped"))
    );
}

#[test]
fn an_edit_of_the_same_size_with_its_time_set_back_is_found() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    settle_inputs(repo.path());
    build(repo.path(), cache.path());
    // Recorded as settled: this rebuild trusts the cache, and keeps it.
    build(repo.path(), cache.path());

    let file = repo.path().join(CASE);
    let before = modified(&file);
    edit(repo.path(), CASE, "ceased", "CEASED");
    set_modified(&file, before);
    build(repo.path(), cache.path());
    let built = output_files(repo.path());
    assert!(
        built
            .values()
            .any(|bytes| String::from_utf8_lossy(bytes).contains("CEASED"))
    );
    assert_eq!(built, fresh_output(repo.path(), build));
}

#[test]
fn an_edit_of_the_same_size_within_the_same_second_is_found() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    // The inputs were written just now: every build records them as racy.
    build(repo.path(), cache.path());
    let file = repo.path().join(CASE);
    let before = modified(&file);
    edit(repo.path(), CASE, "ceased", "CEASED");
    set_modified(&file, before);
    build(repo.path(), cache.path());
    edit(repo.path(), CASE, "CEASED", "Ceased");
    set_modified(&file, before);
    build(repo.path(), cache.path());
    let built = output_files(repo.path());
    assert!(
        built
            .values()
            .any(|bytes| String::from_utf8_lossy(bytes).contains("Ceased"))
    );
    assert_eq!(built, fresh_output(repo.path(), build));
}

#[test]
fn a_corrupt_cache_is_ignored() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    settle_inputs(repo.path());
    build(repo.path(), cache.path());
    let files = stat_files(cache.path());
    assert_eq!(files.len(), 1);
    let text = fs::read_to_string(&files[0]).unwrap();
    // Every recorded digest now names other content, and a stray byte.
    let zeros = "0".repeat(64);
    let damaged: String = text
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            if fields.len() >= 7 && fields[5].len() == 64 {
                line.replacen(fields[5], &zeros, 1)
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(damaged, text);
    fs::write(&files[0], damaged).unwrap();
    edit(repo.path(), CASE, "ceased", "stopped");
    build(repo.path(), cache.path());
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));

    fs::write(&files[0], b"\xff\x00 not a cache at all").unwrap();
    edit(repo.path(), CASE, "stopped", "halted");
    build(repo.path(), cache.path());
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));
}

#[test]
fn a_cache_that_cannot_be_written_is_ignored() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    fs::write(cache.path().join("file"), "").unwrap();
    let unwritable = cache.path().join("file/cache");
    settle_inputs(repo.path());
    build(repo.path(), &unwritable);
    edit(repo.path(), CASE, "ceased", "stopped");
    build(repo.path(), &unwritable);
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));
    assert!(!unwritable.exists());
}

/// The names of the files in `cache`, sorted.
fn cache_names(cache: &Path) -> Vec<String> {
    let mut names: Vec<String> = cache_files(cache)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_caches_of_output_folders_that_are_gone_are_removed() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    let elsewhere = TempDir::new().unwrap();
    let gone = elsewhere.path().join("out");
    let output = candor(repo.path())
        .args(["build", "--out"])
        .arg(&gone)
        .env("CANDOR_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    build(repo.path(), cache.path());
    // Each folder's stat cache, and the record of which folder it is of.
    let both = cache_names(cache.path());
    assert_eq!(both.iter().filter(|n| n.starts_with("stat-")).count(), 2);
    assert_eq!(both.iter().filter(|n| n.starts_with("folder-")).count(), 2);

    // Once one folder is gone, the next build that updates its own cache
    // removes the other's.
    fs::remove_dir_all(&gone).unwrap();
    edit(repo.path(), CASE, "ceased", "stopped");
    build(repo.path(), cache.path());
    let left = cache_names(cache.path());
    let digest = left[0].split_once('-').unwrap().1;
    assert!(left.iter().all(|n| n.ends_with(digest)), "{left:?}");
    assert!(left.contains(&format!("stat-{digest}")), "{left:?}");
    let record = fs::read_to_string(cache.path().join(format!("folder-{digest}"))).unwrap();
    let out = fs::canonicalize(repo.path().join("out")).unwrap();
    assert_eq!(Path::new(&record), out);
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));
}
