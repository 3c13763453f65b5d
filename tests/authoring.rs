//! What helps people write cases: `candor new` and its placeholders, the
//! JSON Schema editors check files with, shell completions and the manual.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;

use serde_json::Value;

use common::{bundled_case_files, bundled_repo, candor, copy_of_fixture, text};

#[test]
fn a_new_case_lists_each_placeholder_with_its_line_until_filled() {
    let repo = copy_of_fixture("minimal");
    let made = candor(repo.path())
        .args(["new", "demo-case"])
        .assert()
        .success();
    assert!(
        text(&made.get_output().stderr).contains("cases/demo-case.yaml"),
        "{}",
        text(&made.get_output().stderr)
    );
    let file = repo.path().join("cases/demo-case.yaml");
    let skeleton = fs::read_to_string(&file).unwrap();

    // Where every placeholder is, read from the file itself: line and the
    // column of the opening quote.
    let expected: Vec<(u64, u64)> = skeleton
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with('#'))
        .filter_map(|(i, line)| line.find("\"TODO").map(|c| (i as u64 + 1, c as u64 + 1)))
        .collect();
    assert!(expected.len() > 20, "{expected:?}");

    let checked = candor(repo.path())
        .args(["check", "--format", "json"])
        .assert()
        .code(1);
    let diagnostics: Vec<Value> = text(&checked.get_output().stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    // Nothing but placeholders: the skeleton is otherwise a sound case.
    for diagnostic in &diagnostics {
        assert_eq!(diagnostic["code"], "placeholder", "{diagnostic}");
        assert_eq!(diagnostic["file"], "cases/demo-case.yaml", "{diagnostic}");
    }
    let found: Vec<(u64, u64)> = diagnostics
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(found, expected);
    let paths: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    for path in [
        "title",
        "summary",
        "findings[0].statement",
        "actions[0].statement",
    ] {
        assert!(paths.contains(&path), "{path} in {paths:?}");
    }

    // The human report names each one with its line, as a person reads it.
    let human = candor(repo.path()).arg("check").assert().code(1);
    let report = text(&human.get_output().stderr);
    assert!(
        report.contains(
            "error[placeholder]: `title` is still a placeholder\n --> cases/demo-case.yaml:8:8"
        ),
        "{report}"
    );

    // Filling one in removes exactly that one.
    let one_filled = skeleton.replacen(
        "\"TODO: the headline every document opens with\"",
        "A headline",
        1,
    );
    fs::write(&file, one_filled).unwrap();
    let checked = candor(repo.path())
        .args(["check", "--format", "json"])
        .assert()
        .code(1);
    let remaining = text(&checked.get_output().stdout).lines().count();
    assert_eq!(remaining, expected.len() - 1);

    // Filling them all in leaves a clean case that renders, with nothing
    // in public until someone marks it public.
    let filled = skeleton.replace("\"TODO: ", "\"Filled in: ");
    fs::write(&file, &filled).unwrap();
    candor(repo.path()).arg("check").assert().success();
    let statement = candor(repo.path())
        .args(["render", "demo-case", "--doc", "public-statement"])
        .assert()
        .success();
    assert!(!text(&statement.get_output().stdout).contains("Filled in: what was done"));

    // Following the comment beside each item makes it public.
    fs::write(
        &file,
        filled.replace("visibility: internal", "visibility: public"),
    )
    .unwrap();
    candor(repo.path()).arg("check").assert().success();
    let statement = candor(repo.path())
        .args(["render", "demo-case", "--doc", "public-statement"])
        .assert()
        .success();
    assert!(text(&statement.get_output().stdout).contains("Filled in: what was done"));
}

#[test]
fn a_new_case_makes_nothing_public() {
    let repo = copy_of_fixture("minimal");
    candor(repo.path()).args(["new", "demo"]).assert().success();
    let skeleton = fs::read_to_string(repo.path().join("cases/demo.yaml")).unwrap();
    let marked: Vec<&str> = skeleton
        .lines()
        .filter(|line| line.contains("visibility:"))
        .filter(|line| !line.trim_start().starts_with('#'))
        .collect();
    assert!(marked.len() > 10, "{marked:?}");
    for line in marked {
        assert!(
            line.trim_start().starts_with("visibility: internal ")
                && line.ends_with("# or public, for public documents to say it"),
            "{line}"
        );
    }
    assert!(!skeleton.contains("visibility: public\n"));
}

#[test]
fn new_refuses_a_bad_id_and_an_existing_case() {
    let repo = copy_of_fixture("minimal");
    let bad = candor(repo.path())
        .args(["new", "Demo Case"])
        .assert()
        .code(2);
    assert!(text(&bad.get_output().stderr).contains("`demo-case`"));
    let existing = candor(repo.path())
        .args(["new", "book-fines"])
        .assert()
        .code(2);
    assert!(text(&existing.get_output().stderr).contains("already exists"));
    assert!(
        fs::read_to_string(repo.path().join("cases/book-fines.yaml"))
            .unwrap()
            .contains("id: book-fines")
    );
}

/// The schema `candor schema FILE` prints, compiled.
fn validator(file: &str) -> jsonschema::Validator {
    let printed = candor(&bundled_repo())
        .args(["schema", file])
        .assert()
        .success();
    let schema: Value = serde_json::from_slice(&printed.get_output().stdout).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// The YAML file as the JSON an editor's schema check sees.
fn as_json(file: &Path) -> Value {
    serde_saphyr::from_str(&fs::read_to_string(file).unwrap()).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, file: &Path) {
    let errors: Vec<String> = validator
        .iter_errors(&as_json(file))
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
}

#[test]
fn every_bundled_file_validates_against_the_schema() {
    let cases = validator("case");
    for file in bundled_case_files() {
        assert_valid(&cases, &file);
    }
    let principles = validator("principle");
    for entry in fs::read_dir(bundled_repo().join("principles")).unwrap() {
        assert_valid(&principles, &entry.unwrap().path());
    }
    assert_valid(&validator("settings"), &bundled_repo().join("candor.yaml"));

    // So does the skeleton `candor new` writes.
    let repo = copy_of_fixture("minimal");
    candor(repo.path())
        .args(["new", "demo-case"])
        .assert()
        .success();
    assert_valid(&cases, &repo.path().join("cases/demo-case.yaml"));
}

#[test]
fn the_schema_catches_what_an_editor_should_flag() {
    let cases = validator("case");
    let valid = |yaml: &str| cases.is_valid(&serde_saphyr::from_str::<Value>(yaml).unwrap());
    let base = "id: a-case\ntitle: T\ndate: 2025-08-06\nsummary: S\n";
    assert!(valid(base));
    assert!(valid(&base.replace("2025-08-06", "~2025-08")));
    assert!(valid(&base.replace("2025-08-06", "2025")));
    assert!(valid(&format!(
        "{base}principles: [a-principle, {{id: b, statement: S}}]\n"
    )));
    // A misspelt field, an id that is not a slug, a date in words, a status
    // that does not exist, a missing summary.
    assert!(!valid(&format!("{base}sumary: S\n")));
    assert!(!valid(&base.replace("a-case", "A Case")));
    assert!(!valid(&base.replace("2025-08-06", "6 August 2025")));
    assert!(!valid(&format!("{base}status: done\n")));
    assert!(!valid(&base.replace("summary: S\n", "")));
    // Months and days that no calendar has.
    assert!(!valid(&base.replace("2025-08-06", "2026-13-45")));
    assert!(!valid(&base.replace("2025-08-06", "2026-12-32")));
    assert!(!valid(&base.replace("2025-08-06", "2026-00")));
    assert!(valid(&base.replace("2025-08-06", "2026-12-31")));
    // Field descriptions come from the model's own documentation.
    let printed = candor(&bundled_repo()).arg("schema").assert().success();
    let schema: Value = serde_json::from_slice(&printed.get_output().stdout).unwrap();
    assert_eq!(
        schema["properties"]["summary"]["description"],
        "The decision in a few sentences: what the documents open with."
    );
    // A field of fixed words is described as a field; each word's own
    // description goes beside the word.
    let finding = &schema["definitions"]["Finding"]["properties"]["bearing"];
    assert!(
        finding["description"]
            .as_str()
            .unwrap()
            .starts_with("How the finding bears on those sources"),
        "{finding}"
    );
    let bearing = &schema["definitions"]["Bearing"];
    assert!(bearing.get("oneOf").is_none(), "{bearing}");
    assert_eq!(
        bearing["enum"],
        serde_json::json!(["supports", "contradicts", "inconclusive", "undetermined"])
    );
    assert_eq!(
        bearing["enumDescriptions"][0],
        "The finding supports the claim."
    );
    assert!(!valid(&format!(
        "{base}findings: [{{id: f, statement: S, evidence: E, bearing: maybe}}]\n"
    )));
}

#[test]
fn completions_for_every_shell_know_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let printed = candor(&bundled_repo())
            .args(["completions", shell])
            .assert()
            .success();
        let script = text(&printed.get_output().stdout);
        for word in ["check", "build", "serve", "deny-warnings"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    candor(&bundled_repo())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn the_manual_page_describes_every_command() {
    let printed = candor(&bundled_repo()).arg("man").assert().success();
    let page = text(&printed.get_output().stdout);
    assert!(page.starts_with(".ie"), "{page}");
    assert!(page.contains(".TH candor 1"), "{page}");
    for command in [
        "check", "build", "render", "trace", "new", "schema", "serve",
    ] {
        assert!(page.contains(command), "{command}");
    }

    let out = tempfile::TempDir::new().unwrap();
    candor(out.path())
        .args(["man", "--out", "pages"])
        .assert()
        .success();
    for page in ["candor.1", "candor-check.1", "candor-serve.1"] {
        let written = fs::read_to_string(out.path().join("pages").join(page)).unwrap();
        assert!(written.contains(".TH"), "{page}");
    }
}

#[test]
fn an_approval_file_validates_against_its_schema() {
    let repo = tempfile::TempDir::new().unwrap();
    for folder in ["principles", "cases"] {
        common::copy_dir(&bundled_repo().join(folder), &repo.path().join(folder));
    }
    fs::copy(
        bundled_repo().join("candor.yaml"),
        repo.path().join("candor.yaml"),
    )
    .unwrap();
    candor(repo.path())
        .args([
            "approve",
            "commons-harassment-network",
            "--role",
            "legal",
            "--by",
            "Jane Doe",
        ])
        .assert()
        .success();
    assert_valid(
        &validator("approval"),
        &repo
            .path()
            .join("cases/commons-harassment-network.approvals/legal.yaml"),
    );
}
