//! The example CI workflow, `examples/candor-ci.yml`, run as a script: its
//! steps must pass on the first push of a repository, whether or not it
//! commits `out/`, and must fail once committed documents are stale.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use common::{bundled_copy, bundled_repo, candor, edit, text};

/// The steps of the workflow's one job.
fn steps() -> Vec<Value> {
    let workflow = std::fs::read_to_string(bundled_repo().join("examples/candor-ci.yml")).unwrap();
    let workflow: Value = serde_saphyr::from_str(&workflow).unwrap();
    workflow["jobs"]["candor"]["steps"]
        .as_array()
        .unwrap()
        .clone()
}

fn git(repo: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=CI", "-c", "user.email=ci@example.com"])
        .args(args)
        .current_dir(repo)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// Runs every `run:` step but the installation (the candor under test is
/// put on `PATH` instead), as the runner would: bash, stopping at the
/// first failing command. The exit code of the first step that fails, or
/// 0.
fn run_steps(repo: &Path) -> (i32, String) {
    let bin: PathBuf = Path::new(env!("CARGO_BIN_EXE_candor"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut log = String::new();
    for step in steps() {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        if step["name"] == "Install candor" {
            continue;
        }
        let output = Command::new("bash")
            .args(["-e", "-c", script])
            .current_dir(repo)
            .env("PATH", &path)
            .env("CANDOR_SOURCE", ".")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        log.push_str(&text(&output.stdout));
        log.push_str(&text(&output.stderr));
        if !output.status.success() {
            return (output.status.code().unwrap_or(-1), log);
        }
    }
    (0, log)
}

#[test]
fn the_workflow_installs_candor_from_its_source_and_caches_on_its_lock_file() {
    let steps = steps();
    let install = steps
        .iter()
        .find(|s| s["name"] == "Install candor")
        .unwrap();
    assert_eq!(
        install["run"],
        "cargo install --locked --path \"$CANDOR_SOURCE\""
    );
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache"))
        })
        .unwrap();
    let key = cache["with"]["key"].as_str().unwrap();
    assert!(
        key.contains("Cargo.lock") && key.contains("Cargo.toml"),
        "{key}"
    );
}

#[test]
fn the_workflow_passes_on_the_first_push_with_out_committed() {
    let repo = bundled_copy();
    candor(repo.path()).arg("build").assert().success();
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "cases and their documents"]);
    let (code, log) = run_steps(repo.path());
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("out is up to date"), "{log}");

    // A case edited without building again: the committed documents are
    // stale, and the job fails.
    edit(
        repo.path(),
        "cases/imod-azure-services.yaml",
        "title: Ceasing and disabling",
        "title: Ending",
    );
    git(repo.path(), &["commit", "-qam", "an edit, not built"]);
    let (code, log) = run_steps(repo.path());
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("stale: out/imod-azure-services/"), "{log}");
}

#[test]
fn the_workflow_passes_on_the_first_push_with_out_ignored() {
    let repo = bundled_copy();
    std::fs::copy(
        bundled_repo().join(".gitignore"),
        repo.path().join(".gitignore"),
    )
    .unwrap();
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-qm", "cases"]);
    let (code, log) = run_steps(repo.path());
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("out/ is not committed"), "{log}");
}
