//! Errors that show the shape a value must have, outside what the corpus
//! of case files can hold: `candor.yaml`, and a regulatory notice missing
//! part of its incident.

#![allow(clippy::unwrap_used)]

mod common;

use common::{bundled_copy, candor, edit, text};

/// The JSON diagnostics of `candor check` in `repo`.
fn diagnostics(repo: &std::path::Path) -> Vec<serde_json::Value> {
    let output = candor(repo)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn an_organisation_written_as_text_is_shown_as_a_mapping_with_its_name() {
    let repo = bundled_copy();
    let settings = std::fs::read_to_string(repo.path().join("candor.yaml")).unwrap();
    let start = settings.find("organisation:\n").unwrap();
    let name_line = settings[start..].lines().nth(1).unwrap().to_owned();
    let name = name_line.trim().strip_prefix("name: ").unwrap().to_owned();
    edit(
        repo.path(),
        "candor.yaml",
        &format!("organisation:\n{name_line}\n"),
        &format!("organisation: {name}\n"),
    );
    let found = diagnostics(repo.path());
    let first = &found[0];
    assert_eq!(first["file"], "candor.yaml");
    assert_eq!(
        first["message"],
        format!("expected a mapping such as `name: {name}`, found text")
    );
    assert_eq!(
        first["help"],
        format!(
            "write `organisation:` alone on its line and, on the line below, indented, `name: {name}`"
        )
    );
}

#[test]
fn a_missing_materiality_date_is_reported_at_the_incident() {
    let repo = bundled_copy();
    let file = "cases/meridale-ransomware-attack.yaml";
    edit(repo.path(), file, "  material: 2026-01-16\n", "");
    let found = diagnostics(repo.path());
    let missing = found
        .iter()
        .find(|d| d["code"] == "regulatory-element-missing")
        .unwrap();
    let case = std::fs::read_to_string(repo.path().join(file)).unwrap();
    let incident_line = case.lines().position(|l| l == "incident:").unwrap() + 1;
    assert_eq!(missing["line"], incident_line, "{missing}");
    assert_eq!(missing["column"], 1);
    assert_eq!(
        missing["help"],
        "add the date under `incident:`, such as `material: 2026-01-16`"
    );
}
