//! Parallel and incremental builds: the same bytes as building each case on
//! its own, and a rebuild that does exactly the work its changes call for.
//!
//! Each test works on a throwaway copy of the bundled repository (its
//! settings, principles, cases and templates), so a case added to the
//! project is covered without touching the tests.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use candor::{Build, Options, WriteSummary};
use tempfile::TempDir;

/// A copy of the bundled repository, without its output.
fn bundled_copy() -> TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = TempDir::new().unwrap();
    fs::copy(root.join("candor.yaml"), dir.path().join("candor.yaml")).unwrap();
    for folder in ["cases", "principles", "templates"] {
        copy_dir(&root.join(folder), &dir.path().join(folder));
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn case_files(repo: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(repo.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "the bundled repository needs a few cases");
    files
}

/// An incremental build of `repo` into `repo/out`, written.
fn build(repo: &Path) -> (Build, WriteSummary) {
    let built = candor::build_incremental(&[repo.to_path_buf()], None, Options::default(), &|_| {})
        .unwrap();
    assert!(
        !built.outcome.has_errors(),
        "{:#?}",
        built.outcome.diagnostics
    );
    let written = candor::write_build(&built).unwrap();
    (built, written)
}

/// Every file under `folder` with its modification time.
fn mtimes(folder: &Path) -> BTreeMap<PathBuf, SystemTime> {
    let mut found = BTreeMap::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.insert(
                    path.clone(),
                    fs::metadata(&path).unwrap().modified().unwrap(),
                );
            }
        }
    }
    found
}

/// Sets every file under `folder` an hour back, so a rewrite shows.
fn age(folder: &Path) {
    let past = SystemTime::now() - Duration::from_secs(3600);
    for file in mtimes(folder).keys() {
        fs::File::options()
            .write(true)
            .open(file)
            .unwrap()
            .set_modified(past)
            .unwrap();
    }
}

/// The output files rewritten since `before`.
fn rewritten(folder: &Path, before: &BTreeMap<PathBuf, SystemTime>) -> BTreeSet<String> {
    mtimes(folder)
        .into_iter()
        .filter(|(file, time)| before.get(file) != Some(time))
        .map(|(file, _)| {
            file.strip_prefix(folder)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// The documents an incremental build rendered, as `case/file`.
fn rendered(built: &Build) -> Vec<String> {
    built
        .outcome
        .documents
        .iter()
        .map(|d| d.path.to_string_lossy().replace('\\', "/"))
        .collect()
}

#[test]
fn a_parallel_build_is_byte_identical_to_building_each_case_alone() {
    let repo = bundled_copy();
    let all = candor::build(&[repo.path().to_path_buf()], Options::default()).unwrap();
    assert!(!all.has_errors(), "{:#?}", all.diagnostics);
    let mut alone = Vec::new();
    for file in case_files(repo.path()) {
        let outcome = candor::build(&[file], Options::default()).unwrap();
        alone.extend(outcome.documents);
    }
    let texts = |documents: &[candor::Document]| -> BTreeMap<PathBuf, String> {
        documents
            .iter()
            .map(|d| (d.path.clone(), d.text.clone()))
            .collect()
    };
    assert_eq!(texts(&all.documents), texts(&alone));
    assert_eq!(all.documents.len(), alone.len());

    // The order case files are named in changes nothing either.
    let mut named = case_files(repo.path());
    named.reverse();
    let reversed = candor::build(&named, Options::default()).unwrap();
    assert_eq!(reversed.documents, all.documents);
}

#[test]
fn an_incremental_build_writes_the_same_bytes_as_a_full_one() {
    let repo = bundled_copy();
    let (first, written) = build(repo.path());
    assert!(first.unchanged_cases.is_empty());
    assert_eq!(written.written.len(), first.file_count());
    let full = candor::build(&[repo.path().to_path_buf()], Options::default()).unwrap();
    for document in &full.documents {
        let on_disk = fs::read_to_string(repo.path().join("out").join(&document.path)).unwrap();
        assert_eq!(on_disk, document.text, "{}", document.path.display());
    }
    let manifest = fs::read_to_string(repo.path().join("out/manifest.json")).unwrap();
    assert_eq!(manifest, first.manifest.to_json());
}

#[test]
fn a_rebuild_with_nothing_changed_writes_nothing() {
    let repo = bundled_copy();
    let out = repo.path().join("out");
    let (first, _) = build(repo.path());
    age(&out);
    let before = mtimes(&out);

    let (again, written) = build(repo.path());
    assert_eq!(rendered(&again), Vec::<String>::new());
    assert_eq!(again.unchanged_cases, case_files(repo.path()));
    assert!(written.written.is_empty());
    assert_eq!(written.unchanged.len(), first.file_count());
    assert_eq!(again.case_count(), first.case_count());
    assert_eq!(again.file_count(), first.file_count());
    assert_eq!(again.manifest, first.manifest);
    assert_eq!(rewritten(&out, &before), BTreeSet::new());
}

#[test]
fn changing_one_case_rebuilds_only_its_documents() {
    let repo = bundled_copy();
    let out = repo.path().join("out");
    build(repo.path());
    age(&out);
    let before = mtimes(&out);

    let file = repo.path().join("cases/imod-azure-services.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        "We have ceased and disabled",
        "We have now ceased and disabled",
        1,
    );
    assert_ne!(edited, text, "the founding case's summary changed wording");
    fs::write(&file, edited).unwrap();

    let (again, _) = build(repo.path());
    let changed = rendered(&again);
    assert!(!changed.is_empty());
    // The founding case updates nothing and nothing updates it.
    assert!(
        changed
            .iter()
            .all(|path| path.starts_with("imod-azure-services/"))
    );
    let mut expected: BTreeSet<String> = changed.iter().cloned().collect();
    expected.insert("manifest.json".to_owned());
    assert_eq!(rewritten(&out, &before), expected);

    // Touching a file without changing it rebuilds nothing.
    age(&out);
    let before = mtimes(&out);
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(SystemTime::now())
        .unwrap();
    let (again, _) = build(repo.path());
    assert_eq!(rendered(&again), Vec::<String>::new());
    assert_eq!(rewritten(&out, &before), BTreeSet::new());
}

#[test]
fn changing_an_earlier_case_rebuilds_the_update_too() {
    let repo = bundled_copy();
    build(repo.path());
    let file = repo
        .path()
        .join("cases/northwind-patient-portal-breach.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let edited = text.replacen("Between mid-February", "Between about mid-February", 1);
    assert_ne!(edited, text, "the breach case's summary changed wording");
    fs::write(&file, edited).unwrap();
    let (again, _) = build(repo.path());
    let cases: BTreeSet<String> = again
        .outcome
        .documents
        .iter()
        .map(|d| d.case_id.clone())
        .collect();
    assert!(cases.contains("northwind-patient-portal-breach"));
    assert!(cases.contains("northwind-patient-portal-breach-update"));
    assert!(!cases.contains("imod-azure-services"));
}

#[test]
fn changing_a_template_rebuilds_exactly_the_documents_that_use_it() {
    let repo = bundled_copy();
    let out = repo.path().join("out");
    let (first, _) = build(repo.path());
    let statements = first
        .manifest
        .cases
        .values()
        .filter(|c| c.documents.contains_key("public-statement"))
        .count();
    assert!(statements > 0);

    // The public statement's own template: only public statements.
    let template = repo.path().join("templates/public-statement.md");
    let text = fs::read_to_string(&template).unwrap();
    fs::write(
        &template,
        format!("{text}\nIssued by the communications team.\n"),
    )
    .unwrap();
    age(&out);
    let before = mtimes(&out);
    let (again, _) = build(repo.path());
    let changed = rendered(&again);
    assert_eq!(changed.len(), statements);
    assert!(changed.iter().all(|p| p.ends_with("/public-statement.md")));
    let mut expected: BTreeSet<String> = changed.iter().cloned().collect();
    expected.insert("manifest.json".to_owned());
    assert_eq!(rewritten(&out, &before), expected);

    // A partial: every document of a kind whose templates (either style's)
    // include it, and no other.
    let (before, _) = build(repo.path());
    let kinds_including: BTreeSet<String> = fs::read_dir(repo.path().join("templates"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            fs::read_to_string(path)
                .unwrap()
                .contains("_action-notes.md")
        })
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('_'))
        .map(|name| name.replace(".brief.md", "").replace(".md", ""))
        .collect();
    let documents = |wanted: &dyn Fn(&str) -> bool| -> BTreeSet<String> {
        before
            .manifest
            .cases
            .values()
            .flat_map(|case| &case.documents)
            .filter(|(kind, _)| wanted(kind))
            .flat_map(|(_, document)| document.files.keys().cloned())
            .collect()
    };
    let including = documents(&|kind| kinds_including.contains(kind));
    assert!(!including.is_empty());
    assert!(!documents(&|kind| !kinds_including.contains(kind)).is_empty());
    let partial = repo.path().join("templates/_action-notes.md");
    let text = fs::read_to_string(&partial).unwrap();
    fs::write(&partial, format!("{text}\n")).unwrap();
    let (again, _) = build(repo.path());
    assert_eq!(
        rendered(&again).into_iter().collect::<BTreeSet<_>>(),
        including
    );

    // A template no document uses: nothing.
    fs::write(repo.path().join("templates/unused.md"), "# nothing\n").unwrap();
    let (again, _) = build(repo.path());
    assert_eq!(rendered(&again), Vec::<String>::new());
}

#[test]
fn changed_settings_or_principles_rebuild_the_cases_that_depend_on_them() {
    let repo = bundled_copy();
    build(repo.path());

    // The founding case alone cites the library's principles.
    let principle = repo.path().join("principles/customer-privacy.yaml");
    let text = fs::read_to_string(&principle).unwrap();
    fs::write(
        &principle,
        text.replacen("We respect", "We fully respect", 1),
    )
    .unwrap();
    let (again, _) = build(repo.path());
    let cases: BTreeSet<String> = again
        .outcome
        .documents
        .iter()
        .map(|d| d.case_id.clone())
        .collect();
    assert!(cases.contains("imod-azure-services"), "{cases:?}");
    assert!(!cases.contains("commons-harassment-network"), "{cases:?}");

    let settings = repo.path().join("candor.yaml");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(&settings, format!("{text}\n# a comment\n")).unwrap();
    let (again, _) = build(repo.path());
    assert_eq!(again.unchanged_cases, Vec::<PathBuf>::new());
}

#[test]
fn a_missing_output_file_is_written_again() {
    let repo = bundled_copy();
    let (first, _) = build(repo.path());
    let document = first.outcome.documents[0].path.clone();
    fs::remove_file(repo.path().join("out").join(&document)).unwrap();
    let (again, written) = build(repo.path());
    assert!(rendered(&again).contains(&document.to_string_lossy().replace('\\', "/")));
    assert!(
        written
            .written
            .contains(&repo.path().join("out").join(&document))
    );

    // So is everything, without a manifest.
    fs::remove_file(repo.path().join("out/manifest.json")).unwrap();
    let (again, _) = build(repo.path());
    assert_eq!(again.outcome.documents.len(), first.outcome.documents.len());
}

#[test]
fn a_case_with_warnings_is_rebuilt_so_they_are_reported_again() {
    let repo = bundled_copy();
    let file = repo.path().join("cases/imod-azure-services.yaml");
    let text = fs::read_to_string(&file).unwrap();
    // A source nothing cites is a warning.
    let extra = "  - id: unused-report\n    kind: press-report\n    publisher: Reuters\n    \
                 date: 2025-08-07\n    claim: Nothing that any finding bears on.\n";
    fs::write(
        &file,
        text.replacen("sources:\n", &format!("sources:\n{extra}"), 1),
    )
    .unwrap();
    let (first, _) = build(repo.path());
    assert!(!first.outcome.diagnostics.is_empty());
    let (again, _) = build(repo.path());
    assert_eq!(again.outcome.diagnostics, first.outcome.diagnostics);
    assert!(
        again
            .outcome
            .documents
            .iter()
            .all(|d| d.case_id == "imod-azure-services")
    );
    assert!(!again.outcome.documents.is_empty());
}

#[test]
fn the_command_line_reports_a_no_change_rebuild_and_draws_no_progress_when_piped() {
    let repo = bundled_copy();
    let run = || {
        Command::cargo_bin("candor")
            .unwrap()
            .current_dir(repo.path())
            .arg("build")
            .assert()
            .success()
    };
    let first = String::from_utf8(run().get_output().stderr.clone()).unwrap();
    let again = String::from_utf8(run().get_output().stderr.clone()).unwrap();
    assert!(first.contains("(0 unchanged)"), "{first}");
    assert!(again.contains("wrote 0 files"), "{again}");
    assert!(
        !again.contains('\r') && !again.contains('\u{1b}'),
        "{again:?}"
    );
    let cases = case_files(repo.path()).len();
    assert!(
        again.starts_with(&format!("built {cases} cases")),
        "{again}"
    );
}
