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
