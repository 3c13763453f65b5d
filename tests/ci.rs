//! The example CI workflow, `examples/candor-ci.yml`, and the composite
//! action, `.github/actions/candor/action.yml`, run as scripts: their steps
//! must pass on the first push of a repository, whether or not it commits
//! `out/`, and must fail once committed documents are stale.

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

const ACTION: &str = ".github/actions/candor/action.yml";

/// The action's steps, and its inputs' defaults.
fn action() -> (Vec<Value>, Value) {
    let action = std::fs::read_to_string(bundled_repo().join(ACTION)).unwrap();
    let action: Value = serde_saphyr::from_str(&action).unwrap();
    let steps = action["runs"]["steps"].as_array().unwrap().clone();
    (steps, action["inputs"].clone())
}

/// The environment the action's steps see with every input left at its
/// default: each `${{ inputs.NAME }}` in a step's `env` replaced.
fn action_env(step: &Value, inputs: &Value) -> Vec<(String, String)> {
    let Some(env) = step["env"].as_object() else {
        return Vec::new();
    };
    env.iter()
        .map(|(name, value)| {
            let value = value.as_str().unwrap();
            let value = match value
                .strip_prefix("${{ inputs.")
                .and_then(|v| v.strip_suffix(" }}"))
            {
                Some(input) => inputs[input]["default"].as_str().unwrap().to_owned(),
                None => value.to_owned(),
            };
            (name.clone(), value)
        })
        .collect()
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

/// Runs every `run:` step of `steps` but those named in `skipped` (the
/// candor under test is put on `PATH` instead of installed), as the runner
/// would: bash, stopping at the first failing command, with `env` and each
/// step's own environment. The exit code of the first step that fails, or
/// 0.
fn run_steps(
    repo: &Path,
    steps: &[Value],
    skipped: &[&str],
    env: &dyn Fn(&Value) -> Vec<(String, String)>,
) -> (i32, String) {
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
    for step in steps {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        if skipped.iter().any(|name| step["name"] == *name) {
            continue;
        }
        let output = Command::new("bash")
            .args(["-e", "-c", script])
            .current_dir(repo)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .envs(env(step))
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

/// The example workflow's steps, run in `repo`.
fn run_workflow(repo: &Path) -> (i32, String) {
    let env = |_: &Value| vec![("CANDOR_SOURCE".to_owned(), ".".to_owned())];
    run_steps(repo, &steps(), &["Install candor"], &env)
}

/// The action's steps with its default inputs, run in `repo`.
fn run_action(repo: &Path) -> (i32, String) {
    let (steps, inputs) = action();
    let env = |step: &Value| action_env(step, &inputs);
    run_steps(
        repo,
        &steps,
        &["Key the candor cache", "Install candor"],
        &env,
    )
}

/// `repo` as a git repository of one commit, holding its built `out/`.
fn committed_with_out(repo: &Path) {
    candor(repo).arg("build").assert().success();
    git(repo, &["init", "-q"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "cases and their documents"]);
}

/// Edits a case and commits it without building again.
fn commit_an_unbuilt_edit(repo: &Path) {
    edit(
        repo,
        "cases/imod-azure-services.yaml",
        "title: Ceasing and disabling",
        "title: Ending",
    );
    git(repo, &["commit", "-qam", "an edit, not built"]);
}

/// `repo` as a git repository of one commit, ignoring `out/`.
fn committed_without_out(repo: &Path) {
    std::fs::copy(bundled_repo().join(".gitignore"), repo.join(".gitignore")).unwrap();
    git(repo, &["init", "-q"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "cases"]);
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
    committed_with_out(repo.path());
    let (code, log) = run_workflow(repo.path());
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("out is up to date"), "{log}");

    // The committed documents are stale, and the job fails.
    commit_an_unbuilt_edit(repo.path());
    let (code, log) = run_workflow(repo.path());
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("stale: out/imod-azure-services/"), "{log}");
}

#[test]
fn the_workflow_passes_on_the_first_push_with_out_ignored() {
    let repo = bundled_copy();
    committed_without_out(repo.path());
    let (code, log) = run_workflow(repo.path());
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("out/ is not committed"), "{log}");
}

#[test]
fn the_action_passes_on_the_first_push_and_fails_on_stale_documents() {
    let repo = bundled_copy();
    committed_with_out(repo.path());
    let (code, log) = run_action(repo.path());
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("out is up to date"), "{log}");

    commit_an_unbuilt_edit(repo.path());
    let (code, log) = run_action(repo.path());
    assert_eq!(code, 1, "{log}");
    // The default format annotates each stale file for GitHub.
    assert!(
        log.contains(
            "::error file=out/imod-azure-services/public-statement.md,title=stale-output::"
        ),
        "{log}"
    );

    let ignored = bundled_copy();
    committed_without_out(ignored.path());
    let (code, log) = run_action(ignored.path());
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("out/ is not committed"), "{log}");
}

#[test]
fn the_action_keys_its_cache_on_the_candor_lock_file() {
    let (steps, inputs) = action();
    let step = steps
        .iter()
        .find(|s| s["name"] == "Key the candor cache")
        .unwrap();
    let output = tempfile::NamedTempFile::new().unwrap();
    let result = Command::new("bash")
        .args(["-e", "-c", step["run"].as_str().unwrap()])
        .envs(action_env(step, &inputs))
        .env("SOURCE", bundled_repo())
        .env("RUNNER_OS", "Linux")
        .env("GITHUB_OUTPUT", output.path())
        .output()
        .unwrap();
    assert!(result.status.success(), "{}", text(&result.stderr));
    let key = std::fs::read_to_string(output.path()).unwrap();
    let hash = key
        .trim()
        .strip_prefix("key=candor-Linux-source-")
        .unwrap_or_else(|| panic!("{key}"));
    assert_eq!(hash.len(), 16, "{key}");
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "{key}");
}
