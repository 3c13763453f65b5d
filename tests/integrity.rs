//! Nothing outside its place: candor writes and removes files only inside
//! its output folder, whatever a manifest or the folder itself says.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

use common::{bundled_copy, candor, snapshot_tree, text, write_file};

/// Runs candor in `root`, expecting `code`; returns (stdout, stderr).
fn run(root: &Path, args: &[&str], code: i32) -> (String, String) {
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

/// The manifest's record of a file holding `bytes`.
fn file_entry(bytes: &[u8]) -> Value {
    serde_json::json!({
        "bytes": bytes.len(),
        "sha256": candor::manifest::digest(bytes),
    })
}

/// Adds `files` to the first document of the first case in `out/manifest.json`.
fn plant_in_manifest(root: &Path, files: &[(String, Value)]) {
    let path = root.join("out/manifest.json");
    let mut manifest: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let cases = manifest["cases"].as_object_mut().unwrap();
    let case = cases.values_mut().next().unwrap();
    let documents = case["documents"].as_object_mut().unwrap();
    let document = documents.values_mut().next().unwrap();
    let listed = document["files"].as_object_mut().unwrap();
    for (file, entry) in files {
        listed.insert(file.clone(), entry.clone());
    }
    fs::write(&path, serde_json::to_string(&manifest).unwrap()).unwrap();
}

#[test]
fn a_tampered_manifest_touches_nothing_outside_the_output_folder() {
    let repo = bundled_copy();
    let elsewhere = TempDir::new().unwrap();
    let secret = elsewhere.path().join("precious.txt");
    fs::write(&secret, "not candor's").unwrap();
    run(repo.path(), &["build"], 0);
    // A file of the user's inside the output folder, and an edited one.
    write_file(repo.path(), "out/notes.txt", "ours");
    let first_document = {
        let manifest: Value = serde_json::from_str(
            &fs::read_to_string(repo.path().join("out/manifest.json")).unwrap(),
        )
        .unwrap();
        let case = manifest["cases"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .clone();
        let document = case["documents"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .clone();
        document["files"]
            .as_object()
            .unwrap()
            .keys()
            .next()
            .unwrap()
            .clone()
    };
    let candor_yaml = fs::read(repo.path().join("candor.yaml")).unwrap();
    // Each entry records the file's true digest, as an attacker would.
    plant_in_manifest(
        repo.path(),
        &[
            (secret.display().to_string(), file_entry(b"not candor's")),
            ("../candor.yaml".to_owned(), file_entry(&candor_yaml)),
            (
                format!("../{}", repo.path().file_name().unwrap().to_string_lossy()),
                file_entry(b""),
            ),
            ("notes.txt".to_owned(), file_entry(b"an older text")),
        ],
    );
    let repo_before = snapshot_tree(&repo.path().join("cases"));
    let elsewhere_before = snapshot_tree(elsewhere.path());

    let (_, err) = run(repo.path(), &["build"], 0);

    assert_eq!(snapshot_tree(elsewhere.path()), elsewhere_before);
    assert_eq!(snapshot_tree(&repo.path().join("cases")), repo_before);
    assert_eq!(
        fs::read(repo.path().join("candor.yaml")).unwrap(),
        candor_yaml
    );
    assert_eq!(
        fs::read_to_string(repo.path().join("out/notes.txt")).unwrap(),
        "ours"
    );
    assert!(repo.path().join("out").join(&first_document).is_file());
    // The build says what it refused, naming each path.
    for (path, reason) in [
        (secret.display().to_string(), "it leaves the output folder"),
        ("../candor.yaml".to_owned(), "it leaves the output folder"),
        ("notes.txt".to_owned(), "it changed since candor wrote it"),
    ] {
        assert!(
            err.contains(&format!(
                "warning: left {path} in place, which the manifest listed for removal: {reason}\n"
            )),
            "{path}: {err}"
        );
    }
    assert!(!err.contains("removed"), "{err}");
    // The new manifest no longer lists what was planted.
    let manifest = fs::read_to_string(repo.path().join("out/manifest.json")).unwrap();
    assert!(!manifest.contains("candor.yaml"), "{manifest}");
    assert!(!manifest.contains("notes.txt"), "{manifest}");
}

#[test]
fn files_an_earlier_build_wrote_are_still_removed_when_unchanged() {
    let repo = bundled_copy();
    run(repo.path(), &["build"], 0);
    let case = "imod-azure-services";
    fs::remove_file(repo.path().join(format!("cases/{case}.yaml"))).unwrap();
    let (_, err) = run(repo.path(), &["build"], 0);
    assert!(
        err.contains("an earlier build wrote and this one does not"),
        "{err}"
    );
    assert!(!repo.path().join("out").join(case).exists());
}

#[cfg(unix)]
#[test]
fn a_removal_through_a_linked_folder_is_refused() {
    let repo = bundled_copy();
    run(repo.path(), &["build"], 0);
    let case = "imod-azure-services";
    // The case's folder becomes a link to a copy of itself elsewhere.
    let elsewhere = TempDir::new().unwrap();
    common::copy_dir(&repo.path().join("out").join(case), elsewhere.path());
    fs::remove_dir_all(repo.path().join("out").join(case)).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), repo.path().join("out").join(case)).unwrap();
    let before = snapshot_tree(elsewhere.path());
    fs::remove_file(repo.path().join(format!("cases/{case}.yaml"))).unwrap();

    let (_, err) = run(repo.path(), &["build"], 0);

    assert_eq!(snapshot_tree(elsewhere.path()), before);
    assert!(
        err.contains(&format!(
            "in place, which the manifest listed for removal: {case} is a symbolic link"
        )),
        "{err}"
    );
}
