//! The documents themselves: every bundled case rendered into every document
//! kind, compared with approved snapshots, and the guarantee that the same
//! inputs give the same bytes whatever order they are named in.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use candor::{Document, Options, Outcome};

use common::{KINDS, bundled_case_files, bundled_case_ids, bundled_repo, fixture};

/// Builds in memory and insists nothing is wrong.
fn build(paths: &[PathBuf]) -> Outcome {
    let outcome = candor::build(paths, Options::default()).unwrap();
    let errors: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "the build found errors: {errors:#?}");
    outcome
}

/// What a reader gets from a build: where each document goes and its bytes.
fn published(outcome: &Outcome) -> Vec<(String, String, PathBuf, String)> {
    outcome
        .documents
        .iter()
        .map(|d| {
            (
                d.case_id.clone(),
                d.kind.clone(),
                d.path.clone(),
                d.text.clone(),
            )
        })
        .collect()
}

fn snapshot_name(document: &Document) -> String {
    format!("{}@{}", document.case_id, document.kind)
}

#[test]
fn every_bundled_case_renders_every_document_as_drafted() {
    let outcome = build(&[bundled_repo()]);
    let ids = bundled_case_ids();

    // Every case file in cases/ gives a memo and a public statement.
    for id in &ids {
        let kinds: Vec<&str> = outcome
            .documents
            .iter()
            .filter(|d| d.case_id == *id)
            .map(|d| d.kind.as_str())
            .collect();
        for kind in KINDS {
            assert!(
                kinds.contains(&kind),
                "case `{id}` has no {kind}; it has {kinds:?}"
            );
        }
    }
    let built_cases: BTreeSet<&str> = outcome
        .documents
        .iter()
        .map(|d| d.case_id.as_str())
        .collect();
    let listed_cases: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(built_cases, listed_cases);

    for document in &outcome.documents {
        // Plain-text kinds (the social post) keep their template's extension.
        let extension = if document.kind == "social-post" {
            "txt"
        } else {
            "md"
        };
        assert_eq!(
            document.path,
            Path::new(&document.case_id).join(format!("{}.{extension}", document.kind))
        );
        // No bundled case is signed off, so every document says so first.
        let banner = if extension == "md" {
            "> **DRAFT — not approved for release.** Awaiting sign-off: legal and communications.\n\n"
        } else {
            "[DRAFT — not approved for release. Awaiting sign-off: legal and communications.]\n\n"
        };
        let Some(body) = document.text.strip_prefix(banner) else {
            panic!(
                "{} does not open with the draft banner",
                document.path.display()
            );
        };
        assert!(
            extension == "txt" || body.starts_with("# "),
            "{} does not open with a title after its banner",
            document.path.display()
        );
        insta::assert_snapshot!(snapshot_name(document), document.text);
    }
}

/// A snapshot whose case or kind is gone would never be checked again; it
/// must be deleted with the case.
#[test]
fn every_document_snapshot_belongs_to_a_bundled_document() {
    let outcome = build(&[bundled_repo()]);
    let expected: BTreeSet<String> = outcome
        .documents
        .iter()
        .map(|d| format!("documents__{}.snap", snapshot_name(d)))
        .collect();
    let folder = bundled_repo().join("tests/snapshots");
    let stale: Vec<String> = fs::read_dir(&folder)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name.starts_with("documents__") && name.ends_with(".snap"))
                .filter(|name| !expected.contains(name))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty(),
        "snapshots of documents that are no longer built: {stale:?}"
    );
}

#[test]
fn two_builds_of_the_same_inputs_are_byte_identical() {
    for repo in [bundled_repo(), fixture("minimal"), fixture("leaky")] {
        let first = build(std::slice::from_ref(&repo));
        let second = build(std::slice::from_ref(&repo));
        assert!(
            !first.documents.is_empty(),
            "{} built nothing",
            repo.display()
        );
        assert_eq!(
            published(&first),
            published(&second),
            "{} built differently twice",
            repo.display()
        );
    }
}

/// The documents do not depend on where the repository is on disk.
#[test]
fn a_copy_of_the_repository_elsewhere_builds_the_same_bytes() {
    let copy = tempfile::TempDir::new().unwrap();
    for name in ["candor.yaml", "cases", "principles", "templates"] {
        let from = bundled_repo().join(name);
        if from.is_dir() {
            common::copy_dir(&from, &copy.path().join(name));
        } else if from.is_file() {
            fs::copy(&from, copy.path().join(name)).unwrap();
        }
    }
    let here = build(&[bundled_repo()]);
    let there = build(&[copy.path().to_path_buf()]);
    assert_eq!(published(&here), published(&there));
}

#[test]
fn the_documents_do_not_depend_on_the_order_paths_are_given_in() {
    let cases = fixture("minimal").join("cases");
    let alphabetical = [
        cases.join("book-fines.yaml"),
        cases.join("reading-room.yaml"),
    ];
    let reversed = [
        cases.join("reading-room.yaml"),
        cases.join("book-fines.yaml"),
    ];
    let repeated = [
        cases.join("reading-room.yaml"),
        cases.join("book-fines.yaml"),
        cases.join("reading-room.yaml"),
    ];

    let whole = build(&[fixture("minimal")]);
    // Ordered by case, then by kind in the order kinds are defined.
    let kinds: Vec<&str> = whole
        .documents
        .iter()
        .filter(|d| d.case_id == "book-fines")
        .map(|d| d.kind.as_str())
        .collect();
    assert_eq!(kinds[..2], KINDS);
    let cases: Vec<&str> = whole.documents.iter().map(|d| d.case_id.as_str()).collect();
    let mut expected = vec!["book-fines"; kinds.len()];
    expected.extend(vec!["reading-room"; kinds.len()]);
    assert_eq!(cases, expected);
    for paths in [&alphabetical[..], &reversed[..], &repeated[..]] {
        assert_eq!(
            published(&build(paths)),
            published(&whole),
            "building {paths:?}"
        );
    }

    // The same for the bundled cases, named one by one from last to first.
    let mut files = bundled_case_files();
    files.reverse();
    assert_eq!(
        published(&build(&files)),
        published(&build(&[bundled_repo()]))
    );
}

/// `{{ __tera_context }}` prints the view's keys in a different order on
/// every render (Tera 2 builds it in a hash map), so a user template using
/// it is refused at load, at its line, rather than breaking "same inputs,
/// same bytes".
#[test]
fn a_user_template_that_prints_the_whole_context_is_refused() {
    let repo = common::copy_of_fixture("minimal");
    common::write_file(
        repo.path(),
        "templates/public-statement.md",
        "# Everything\n\n{{ __tera_context | safe }}\n",
    );
    let outcome = candor::build(&[repo.path().to_path_buf()], Options::default()).unwrap();
    assert!(outcome.documents.is_empty());
    let refused: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == candor::Code::TemplateSyntax)
        .collect();
    assert_eq!(refused.len(), 1, "{:#?}", outcome.diagnostics);
    assert_eq!((refused[0].line, refused[0].column), (Some(3), Some(4)));
    assert!(
        refused[0].message.contains("`__tera_context`"),
        "{}",
        refused[0].message
    );
    assert!(
        refused[0]
            .file
            .as_ref()
            .is_some_and(|f| f.ends_with("templates/public-statement.md"))
    );
}
