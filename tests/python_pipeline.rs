//! The benchmark's point of comparison does the same work: on a corpus
//! written by `benches/generate.py`, `benches/python_pipeline.py` (PyYAML
//! and Jinja2) writes byte for byte the documents `candor build` writes.
//! Without this, its templates drift from candor's and the benchmark
//! compares candor with a pipeline that produces something else.
//!
//! Needs python3 with PyYAML and Jinja2 (`.ci/run` installs them). Without
//! them the test says so and passes, unless `CI` is set: in CI a missing
//! tool is a failure, never a silent skip.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{bundled_repo, candor, snapshot_tree, text};

/// Enough cases for every shape the generator varies: updates, named
/// organisations, inline and internal principles, declined demands,
/// exceptions, limits, approximate dates, internal sources and findings.
const CASES: &str = "40";

/// What candor writes that the Python pipeline, by design, does not.
const CANDOR_ONLY: [&str; 1] = ["manifest.json"];

/// Whether python3 can import PyYAML and Jinja2; in CI it must.
fn python_available() -> bool {
    let available = Command::new("python3")
        .args(["-c", "import yaml, jinja2"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 with PyYAML and Jinja2 is missing: `pip install pyyaml jinja2`"
        );
        eprintln!(
            "skipped: python3 with PyYAML and Jinja2 is not installed (pip install pyyaml jinja2)"
        );
    }
    available
}

fn python(script: &str, args: &[&Path]) {
    let output = Command::new("python3")
        .arg(bundled_repo().join("benches").join(script))
        .args(args.iter().map(|a| a.as_os_str()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{script}: {}",
        text(&output.stderr)
    );
}

#[test]
fn the_python_pipeline_writes_what_candor_writes() {
    if !python_available() {
        return;
    }
    let dir = tempfile::TempDir::new().unwrap();
    let repo = dir.path().join("repo");
    let output = Command::new("python3")
        .arg(bundled_repo().join("benches/generate.py"))
        .args(["--cases", CASES, "--out"])
        .arg(&repo)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));

    let from_candor = dir.path().join("candor");
    candor(&repo)
        .arg("build")
        .arg("--out")
        .arg(&from_candor)
        .assert()
        .success();
    let from_python = dir.path().join("python");
    python(
        "python_pipeline.py",
        &[Path::new("build"), &repo, Path::new("--out"), &from_python],
    );

    let mut candor_files = snapshot_tree(&from_candor);
    for only in CANDOR_ONLY {
        assert!(
            candor_files.remove(&PathBuf::from(only)).is_some(),
            "candor no longer writes {only}: update CANDOR_ONLY"
        );
    }
    let python_files = snapshot_tree(&from_python);
    let documents = python_files.len();
    assert_eq!(
        documents,
        2 * CASES.parse::<usize>().unwrap(),
        "two documents a case"
    );
    assert_eq!(
        candor_files.keys().collect::<Vec<_>>(),
        python_files.keys().collect::<Vec<_>>(),
        "the same files"
    );
    let differing: Vec<String> = candor_files
        .iter()
        .filter(|(path, (bytes, _))| python_files[*path].0 != *bytes)
        .map(|(path, (bytes, _))| {
            let ours = text(bytes);
            let theirs = text(&python_files[path].0);
            let line = ours
                .lines()
                .zip(theirs.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| ours.lines().count().min(theirs.lines().count()));
            format!(
                "{}, from line {}:\n  candor: {}\n  python: {}",
                path.display(),
                line + 1,
                ours.lines().nth(line).unwrap_or("(end)"),
                theirs.lines().nth(line).unwrap_or("(end)"),
            )
        })
        .collect();
    assert!(
        differing.is_empty(),
        "{} of {documents} documents differ between candor and benches/python_pipeline.py:\n{}",
        differing.len(),
        differing.join("\n")
    );
}
