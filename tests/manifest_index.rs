//! The manifest index a rebuild reads instead of the whole manifest: an
//! optimisation only. A rebuild trusting it does exactly the work its
//! changes call for, writes what a build without it writes, and an index
//! that is damaged, forged or not of the manifest in place changes nothing
//! of that, and never makes candor remove a file.
//!
//! Each test keeps its cache in a folder of its own (`CANDOR_CACHE_DIR`).

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use tempfile::TempDir;

use common::{
    bundled_copy, candor, edit, fresh_output, output_files, settle_inputs, snapshot_tree,
    write_file,
};

const CASE: &str = "cases/imod-azure-services.yaml";

/// `candor build` in `repo` with its caches in `cache`; must succeed.
/// Returns what it said on stderr.
fn build(repo: &Path, cache: &Path) -> String {
    let output = candor(repo)
        .arg("build")
        .env("CANDOR_CACHE_DIR", cache)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

/// A build, then, once the manifest it wrote is old enough for its stat to
/// vouch for it, a rebuild that reads it whole and indexes it: the next
/// build trusts the index without reading the manifest.
fn build_and_settle(repo: &Path, cache: &Path) {
    settle_inputs(repo);
    build(repo, cache);
    std::thread::sleep(Duration::from_millis(1100));
    build(repo, cache);
}

/// The index file in `cache`.
fn index_file(cache: &Path) -> PathBuf {
    let found: Vec<PathBuf> = fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("index-"))
        })
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

/// The files of the output folder whose bytes or modification time
/// differ between `before` and now, by path with `/`.
fn rewritten(repo: &Path, before: &BTreeMap<PathBuf, (Vec<u8>, SystemTime)>) -> BTreeSet<String> {
    snapshot_tree(&repo.join("out"))
        .into_iter()
        .filter(|(path, now)| before.get(path) != Some(now))
        .map(|(path, _)| path.to_string_lossy().replace('\\', "/"))
        .collect()
}

/// The manifest in `repo`'s output folder.
fn manifest(repo: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(repo.join("out/manifest.json")).unwrap()).unwrap()
}

/// The files of the cases whose manifest entries `select` picks.
fn files_of(manifest: &Value, select: impl Fn(&str, &Value) -> bool) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    for (key, entry) in manifest["cases"].as_object().unwrap() {
        if !select(key, entry) {
            continue;
        }
        for document in entry["documents"].as_object().unwrap().values() {
            files.extend(document["files"].as_object().unwrap().keys().cloned());
        }
    }
    files
}

#[test]
fn with_the_index_a_one_case_edit_rewrites_only_that_cases_documents() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    build_and_settle(repo.path(), cache.path());
    let before = snapshot_tree(&repo.path().join("out"));
    // A rebuild with nothing changed touches nothing.
    build(repo.path(), cache.path());
    assert_eq!(snapshot_tree(&repo.path().join("out")), before);

    edit(repo.path(), CASE, "ceased", "stopped");
    build(repo.path(), cache.path());
    let mut expected = files_of(&manifest(repo.path()), |key, _| key == CASE);
    assert!(!expected.is_empty());
    expected.insert("manifest.json".to_owned());
    // The case's documents holding the word, and the manifest; no other.
    let changed = rewritten(repo.path(), &before);
    assert!(changed.is_subset(&expected), "{changed:?}");
    assert!(changed.len() >= 2, "{changed:?}");
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));

    // A build that wrote the manifest indexed it as written: the next one
    // checks the manifest's lines against the index, and still finds
    // exactly the one change.
    let before = snapshot_tree(&repo.path().join("out"));
    edit(repo.path(), CASE, "stopped", "halted");
    build(repo.path(), cache.path());
    assert_eq!(rewritten(repo.path(), &before), changed);
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));
}

#[test]
fn with_the_index_a_changed_principle_rebuilds_every_case_citing_it() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    build_and_settle(repo.path(), cache.path());
    let citing = |_: &str, entry: &Value| {
        entry["principles"]
            .as_object()
            .unwrap()
            .contains_key("customer-privacy")
    };
    let mut expected = files_of(&manifest(repo.path()), citing);
    let all = files_of(&manifest(repo.path()), |_, _| true);
    assert!(!expected.is_empty() && expected.len() < all.len());
    let before = snapshot_tree(&repo.path().join("out"));

    let text = fs::read_to_string(repo.path().join("principles/customer-privacy.yaml")).unwrap();
    fs::write(
        repo.path().join("principles/customer-privacy.yaml"),
        format!("{text}\n# reviewed\n"),
    )
    .unwrap();
    build(repo.path(), cache.path());
    expected.insert("manifest.json".to_owned());
    // Documents whose text did not change keep their bytes, but every
    // case citing the principle was rendered again: its manifest entry
    // records the principle's new digest.
    let changed = rewritten(repo.path(), &before);
    assert!(changed.is_subset(&expected), "{changed:?}");
    let digest = candor::manifest::digest(
        fs::read_to_string(repo.path().join("principles/customer-privacy.yaml"))
            .unwrap()
            .as_bytes(),
    );
    let now = manifest(repo.path());
    for (key, entry) in now["cases"].as_object().unwrap() {
        if let Some(recorded) = entry["principles"].get("customer-privacy") {
            assert_eq!(recorded.as_str(), Some(digest.as_str()), "{key}");
        }
    }
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));
}

/// The fields of an index line, split at tabs, and where the file count of
/// its last document is.
fn last_document_count(fields: &[&str]) -> usize {
    // key, start, end, line digest, id, digest, warnings, public,
    // settings, approvals, templates; then principles and updates, each a
    // count and pairs.
    let mut at = 11;
    for _ in 0..2 {
        let count: usize = fields[at].parse().unwrap();
        at += 1 + 2 * count;
    }
    let documents: usize = fields[at].parse().unwrap();
    at += 1;
    let mut last = 0;
    for _ in 0..documents {
        last = at + 1;
        let files: usize = fields[last].parse().unwrap();
        at = last + 1 + 2 * files;
    }
    assert_eq!(at, fields.len());
    last
}

/// Replaces the body of the index file, sealed again with its digest as a
/// forger who read candor's source would.
fn forge(index: &Path, change: impl Fn(&str) -> String) {
    let text = fs::read_to_string(index).unwrap();
    let body = &text[..text.rfind("end ").unwrap()];
    let forged = change(body);
    assert_ne!(forged, body);
    let sealed = format!(
        "{forged}end {}\n",
        candor::manifest::digest(forged.as_bytes())
    );
    fs::write(index, sealed).unwrap();
}

#[test]
fn a_forged_index_never_makes_candor_remove_a_file() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    build_and_settle(repo.path(), cache.path());
    write_file(repo.path(), "out/notes.txt", "ours");
    let index = index_file(cache.path());
    // The edited case's entry now claims candor wrote notes.txt, with its
    // true size: once the case is rendered again without it, a build
    // trusting the index would remove it.
    forge(&index, |body| {
        body.lines()
            .map(|line| {
                let mut fields: Vec<String> = line.split('\t').map(str::to_owned).collect();
                if fields[0] != CASE {
                    return format!("{line}\n");
                }
                let borrowed: Vec<&str> = fields.iter().map(String::as_str).collect();
                let at = last_document_count(&borrowed);
                let count: usize = fields[at].parse().unwrap();
                fields[at] = (count + 1).to_string();
                fields.extend(["notes.txt".to_owned(), "4".to_owned()]);
                format!("{}\n", fields.join("\t"))
            })
            .collect()
    });
    edit(repo.path(), CASE, "ceased", "stopped");
    let said = build(repo.path(), cache.path());
    assert_eq!(
        fs::read_to_string(repo.path().join("out/notes.txt")).unwrap(),
        "ours"
    );
    assert!(!said.contains("removed"), "{said}");
    let mut built = output_files(repo.path());
    built.remove(Path::new("notes.txt"));
    assert_eq!(built, fresh_output(repo.path(), build));
}

#[test]
fn a_damaged_index_or_one_of_another_manifest_is_ignored() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    build_and_settle(repo.path(), cache.path());
    let index = index_file(cache.path());

    // One byte changed, not sealed again.
    let text = fs::read_to_string(&index).unwrap();
    fs::write(&index, text.replacen("\t0\t", "\t1\t", 1)).unwrap();
    edit(repo.path(), CASE, "ceased", "stopped");
    build(repo.path(), cache.path());
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));

    // Not an index at all.
    fs::write(&index, b"\xff\x00 not an index").unwrap();
    edit(repo.path(), CASE, "stopped", "halted");
    build(repo.path(), cache.path());
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));

    // A settled index, then a manifest edited by hand: the index is not
    // the manifest's any more, and the edited manifest decides.
    std::thread::sleep(Duration::from_millis(1100));
    build(repo.path(), cache.path());
    let mut edited = manifest(repo.path());
    let entry = edited["cases"].get_mut(CASE).unwrap();
    entry["digest"] = Value::String("0".repeat(64));
    fs::write(
        repo.path().join("out/manifest.json"),
        serde_json::to_string(&edited).unwrap(),
    )
    .unwrap();
    let before = snapshot_tree(&repo.path().join("out"));
    build(repo.path(), cache.path());
    let mut expected = files_of(&manifest(repo.path()), |key, _| key == CASE);
    expected.insert("manifest.json".to_owned());
    let changed = rewritten(repo.path(), &before);
    assert!(changed.contains("manifest.json"), "{changed:?}");
    assert!(changed.is_subset(&expected), "{changed:?}");
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));
}

#[test]
fn one_case_rebuilds_in_a_row_keep_an_index_and_write_what_a_full_build_writes() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    build_and_settle(repo.path(), cache.path());
    // Each rebuild indexes the manifest it writes, for the next to use.
    for (from, to) in [
        ("ceased", "stopped"),
        ("stopped", "halted"),
        ("halted", "ceased"),
    ] {
        let before = snapshot_tree(&repo.path().join("out"));
        edit(repo.path(), CASE, from, to);
        build(repo.path(), cache.path());
        index_file(cache.path());
        let mut expected = files_of(&manifest(repo.path()), |key, _| key == CASE);
        expected.insert("manifest.json".to_owned());
        let changed = rewritten(repo.path(), &before);
        assert!(changed.contains("manifest.json"), "{changed:?}");
        assert!(changed.is_subset(&expected), "{changed:?}");
        assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));
    }
    // And a rebuild with nothing changed after them touches nothing.
    let before = snapshot_tree(&repo.path().join("out"));
    build(repo.path(), cache.path());
    build(repo.path(), cache.path());
    assert_eq!(snapshot_tree(&repo.path().join("out")), before);
}

/// The index's record of the manifest's stat replaced by the stat the
/// manifest has now, and the index sealed again: as if the manifest had
/// been changed within the clock tick it was written in, keeping its
/// stat.
#[cfg(unix)]
fn vouch_for_the_manifest_in_place(index: &Path, manifest: &Path) {
    use std::os::unix::fs::MetadataExt;
    let m = fs::symlink_metadata(manifest).unwrap();
    let nanos = |seconds: i64, nanos: i64| seconds * 1_000_000_000 + nanos;
    let stat = format!(
        "{} {} {} {} {}",
        m.size(),
        nanos(m.mtime(), m.mtime_nsec()),
        nanos(m.ctime(), m.ctime_nsec()),
        m.ino(),
        m.dev()
    );
    forge(index, |body| {
        let (first, rest) = body.split_once('\n').unwrap();
        let (_, lines) = rest.split_once('\n').unwrap();
        format!("{first}\n{stat}\n{lines}")
    });
}

#[cfg(unix)]
#[test]
fn a_manifest_changed_in_place_after_it_was_written_decides_over_its_index() {
    let repo = bundled_copy();
    let cache = TempDir::new().unwrap();
    build_and_settle(repo.path(), cache.path());
    edit(repo.path(), CASE, "ceased", "stopped");
    build(repo.path(), cache.path());
    // The case's recorded digest changed in place, its length kept, with
    // a stat the index records: only the line's digest in the index can
    // tell the manifest is not the one it indexed.
    let manifest_file = repo.path().join("out/manifest.json");
    let text = fs::read_to_string(&manifest_file).unwrap();
    let recorded = manifest(repo.path())["cases"][CASE]["digest"]
        .as_str()
        .unwrap()
        .to_owned();
    let tampered = text.replacen(&recorded, &"0".repeat(64), 1);
    assert_eq!(tampered.len(), text.len());
    fs::write(&manifest_file, &tampered).unwrap();
    vouch_for_the_manifest_in_place(&index_file(cache.path()), &manifest_file);

    // The edited manifest decides: the case is rendered again, and its
    // entry written as a full build writes it.
    let before = snapshot_tree(&repo.path().join("out"));
    build(repo.path(), cache.path());
    let changed = rewritten(repo.path(), &before);
    assert!(changed.contains("manifest.json"), "{changed:?}");
    assert_eq!(output_files(repo.path()), fresh_output(repo.path(), build));
}
