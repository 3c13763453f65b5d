//! Finding the repository from any folder inside it, as git and cargo do,
//! and refusing to call nothing checked.

#![allow(clippy::unwrap_used)]

mod common;

use common::{bundled_case_ids, bundled_copy, candor, plural, repo_with, text};

#[test]
fn check_inside_cases_checks_the_whole_repository() {
    let repo = bundled_copy();
    let output = candor(&repo.path().join("cases"))
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let checked = format!("checked {} (", plural(bundled_case_ids().len(), "case"));
    assert!(
        text(&output.stderr).starts_with(&checked),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_case_file_named_inside_cases_reads_the_settings_one_folder_up() {
    let repo = bundled_copy();
    // Its spokesperson and document kinds are in ../candor.yaml.
    let output = candor(&repo.path().join("cases"))
        .args(["check", "imod-azure-services.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stderr).starts_with("checked 1 case ("));
}

#[test]
fn errors_in_a_case_named_inside_cases_name_it_from_there() {
    let repo = bundled_copy();
    common::edit(
        repo.path(),
        "cases/imod-azure-services.yaml",
        "spokesperson: brad-smith",
        "spokesperson: brad-smyth",
    );
    let output = candor(&repo.path().join("cases"))
        .args(["check", "--format", "json", "imod-azure-services.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["file"], "../cases/imod-azure-services.yaml",
        "{stdout}"
    );
}

#[test]
fn build_inside_cases_writes_to_the_repository_out_folder() {
    let repo = bundled_copy();
    let output = candor(&repo.path().join("cases"))
        .arg("build")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        repo.path()
            .join("out/imod-azure-services/public-statement.md")
            .is_file()
    );
    assert!(!repo.path().join("cases/out").exists());
}

#[test]
fn outside_any_repository_check_fails_and_says_so() {
    let empty = tempfile::TempDir::new().unwrap();
    for command in ["check", "build"] {
        let output = candor(empty.path()).arg(command).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}");
        assert!(
            text(&output.stderr).starts_with(
                "error[no-cases]: no case files in `cases`: there is nothing to check or build"
            ),
            "{command}: {}",
            text(&output.stderr)
        );
        assert!(!empty.path().join("out").exists(), "{command} wrote out/");
    }
}

#[test]
fn a_repository_without_cases_fails_check_and_build() {
    let repo = repo_with(&[("candor.yaml", "organisation:\n  name: Acme\n")]);
    for command in ["check", "build"] {
        let output = candor(repo.path())
            .args([command, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}");
        let stdout = text(&output.stdout);
        let diagnostic: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        assert_eq!(diagnostic["code"], "no-cases", "{command}: {stdout}");
        assert_eq!(
            diagnostic["message"],
            "no case files in `cases`: there is nothing to check or build"
        );
    }
    assert!(!repo.path().join("out").exists());
}

#[test]
fn a_repository_named_with_repo_is_checked_and_built_from_anywhere() {
    let repo = bundled_copy();
    let elsewhere = tempfile::TempDir::new().unwrap();
    let root = repo.path().to_str().unwrap();
    let output = candor(elsewhere.path())
        .args(["check", "--repo", root])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let checked = format!("checked {} (", plural(bundled_case_ids().len(), "case"));
    assert!(text(&output.stderr).starts_with(&checked));

    let case = repo.path().join("cases/imod-azure-services.yaml");
    let output = candor(elsewhere.path())
        .args(["build", "--repo", root, case.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stderr).starts_with("built 1 case ("));
    assert!(
        repo.path()
            .join("out/imod-azure-services/public-statement.md")
            .is_file()
    );
    assert!(!elsewhere.path().join("out").exists());
}

#[test]
fn a_folder_named_with_repo_must_be_a_repository_itself() {
    let repo = bundled_copy();
    // `cases/` is inside a repository, but is not one: --repo does not
    // look above the folder it is given.
    let output = candor(repo.path())
        .args(["check", "--repo", "cases"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: `cases` is not a candor repository: it holds neither candor.yaml nor a cases/ folder\n"
    );
}

#[test]
fn a_case_file_of_another_repository_is_refused_with_repo() {
    let repo = bundled_copy();
    let other = bundled_copy();
    let case = other.path().join("cases/imod-azure-services.yaml");
    let output = candor(repo.path())
        .args(["check", "--repo", ".", case.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("belong to different repositories"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn every_command_reads_the_repository_named_with_repo_and_only_that() {
    let repo = bundled_copy();
    let elsewhere = tempfile::TempDir::new().unwrap();
    let root = repo.path().to_str().unwrap();
    let output = candor(elsewhere.path())
        .args(["render", "imod-azure-services", "--doc", "public-statement"])
        .args(["--repo", root])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(!output.stdout.is_empty());

    for command in [
        &["trace", "imod-azure-services"][..],
        &["templates", "list"],
        &[
            "context",
            "imod-azure-services",
            "--doc",
            "public-statement",
        ],
    ] {
        let output = candor(repo.path())
            .args(command)
            .args(["--repo", "cases"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{command:?}");
        assert!(
            text(&output.stderr).starts_with("error: `cases` is not a candor repository"),
            "{command:?}: {}",
            text(&output.stderr)
        );
    }
}
