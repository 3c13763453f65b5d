//! Inputs kept from fuzzing the pipeline (`tests/fuzz`): each, as a case
//! file beside the bundled settings and principles, must end in documents
//! or diagnostics, never a panic.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;

#[test]
fn every_kept_fuzz_input_ends_in_documents_or_diagnostics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = tempfile::tempdir().unwrap();
    fs::copy(root.join("candor.yaml"), repo.path().join("candor.yaml")).unwrap();
    fs::create_dir(repo.path().join("principles")).unwrap();
    for entry in fs::read_dir(root.join("principles")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(
            entry.path(),
            repo.path().join("principles").join(entry.file_name()),
        )
        .unwrap();
    }
    fs::create_dir(repo.path().join("cases")).unwrap();
    let mut inputs: Vec<_> = fs::read_dir(root.join("tests/fuzz/regressions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 100, "the kept fuzz inputs are missing");
    for input in inputs {
        fs::write(
            repo.path().join("cases/fuzzed.yaml"),
            fs::read(&input).unwrap(),
        )
        .unwrap();
        let options = candor::Options {
            html: true,
            docx: true,
            ..candor::Options::default()
        };
        let outcome = candor::build(&[repo.path().to_path_buf()], options);
        assert!(outcome.is_ok(), "{}", input.display());
    }
}
