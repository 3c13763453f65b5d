//! Transcripts of the `candor` command as a user runs it: what it prints,
//! what it writes, and the exit code (0 clean, 1 content errors, 2 usage or
//! I/O failure). Every test works in a temporary copy of a small repository.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use common::{
    assert_every_case_has_memo_and_statement, bundled_case_ids, bundled_repo, candor,
    copy_of_fixture, library_outputs, plural, repo_with, snapshot_tree, text, write_file,
};

/// A case whose one action cites a finding that does not exist: line 16,
/// column 30 is where `missing-finding` is written.
const DANGLING: &str = "\
id: x
title: A case with a dangling reference
date: 2025-01-15
summary: An action cites a finding that does not exist.
principles:
  - id: fairness
    statement: We treat every customer alike.
findings:
  - id: real-finding
    statement: Something was found.
    evidence: A record.
actions:
  - id: act
    statement: We did something.
    principles: [fairness]
    findings: [real-finding, missing-finding]
";

/// Line 16 of [`DANGLING`], and where on it the missing id starts.
fn dangling_position() -> (usize, usize) {
    let line = DANGLING.lines().nth(15).unwrap();
    assert_eq!(line, "    findings: [real-finding, missing-finding]");
    (16, line.find("missing-finding").unwrap() + 1)
}

/// The JSON diagnostics `candor --format json` printed, one per line.
fn json_lines(stdout: &[u8]) -> Vec<Value> {
    text(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

// ---------------------------------------------------------------------------
// The bundled repository

#[test]
fn check_accepts_the_bundled_repository() {
    let cases = bundled_case_ids().len();
    let documents = library_outputs(&bundled_repo()).len();
    let output = candor(&bundled_repo()).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(
        text(&output.stderr),
        format!(
            "checked {} ({})\n",
            plural(cases, "case"),
            plural(documents, "document")
        )
    );
}

#[test]
fn build_writes_every_bundled_document_and_a_second_build_changes_nothing() {
    let ids = bundled_case_ids();
    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path().join("out");

    let first = candor(&bundled_repo())
        .arg("build")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let written = snapshot_tree(&out);
    let written_paths: Vec<PathBuf> = written.keys().cloned().collect();
    // Every document the library renders and the build's manifest, and
    // nothing else: no temporary files. Among them, a memo and a public
    // statement for every case.
    let mut expected = library_outputs(&bundled_repo());
    expected.push(PathBuf::from("manifest.json"));
    expected.sort();
    assert_eq!(written_paths, expected);
    assert_every_case_has_memo_and_statement(&written_paths, &ids);
    for (path, (bytes, _)) in &written {
        assert!(!bytes.is_empty(), "{} is empty", path.display());
    }
    // Every file but the manifest is a document.
    let document_count = written.len() - 1;
    let documents = plural(document_count, "document");
    let cases = plural(ids.len(), "case");
    assert_eq!(
        text(&first.stderr),
        format!(
            "built {cases} ({documents}); wrote {} to {} (0 unchanged)\n",
            plural(document_count, "file"),
            out.display()
        )
    );

    let second = candor(&bundled_repo())
        .arg("build")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert_eq!(
        text(&second.stderr),
        format!(
            "built {cases} ({documents}); wrote 0 files to {} ({} unchanged)\n",
            out.display(),
            document_count
        )
    );
    // Same bytes, and the files were not even touched.
    assert_eq!(snapshot_tree(&out), written);
}

#[test]
fn render_prints_the_same_document_that_build_writes() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path().join("out");
    candor(&bundled_repo())
        .arg("build")
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let built = snapshot_tree(&out);
    assert!(!built.is_empty());
    for (path, (bytes, _)) in &built {
        if path == Path::new("manifest.json") {
            continue;
        }
        let id = path.parent().unwrap().to_str().unwrap();
        let kind = path.file_stem().unwrap().to_str().unwrap();
        let output = candor(&bundled_repo())
            .args(["render", id, "--doc", kind])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert_eq!(text(&output.stderr), "");
        assert_eq!(text(&output.stdout), text(bytes), "{id} {kind}");
    }
}

// ---------------------------------------------------------------------------
// A dangling reference, in each output format

#[test]
fn a_dangling_reference_is_reported_at_its_line_for_people() {
    let repo = repo_with(&[("cases/x.yaml", DANGLING)]);
    let (line, column) = dangling_position();
    let output = candor(repo.path()).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(
        text(&output.stderr),
        format!(
            "\
error[unresolved-reference]: no finding has the id `missing-finding`
  --> cases/x.yaml:{line}:{column}
   |
16 |     findings: [real-finding, missing-finding]
   |                              ^
   = at actions[0].findings[1] (`missing-finding`)
   = help: add it under `findings`

failed: 1 error, 0 warnings
"
        )
    );
}

#[test]
fn a_dangling_reference_is_reported_as_one_json_line() {
    let repo = repo_with(&[("cases/x.yaml", DANGLING)]);
    let (line, column) = dangling_position();
    let output = candor(repo.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    // Machine-read output goes to stdout, and nothing else is printed.
    assert_eq!(text(&output.stderr), "");
    let diagnostics = json_lines(&output.stdout);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "unresolved-reference");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "cases/x.yaml");
    assert_eq!(d["line"], line);
    assert_eq!(d["column"], column);
    assert_eq!(d["id"], "missing-finding");
    assert_eq!(d["path"], "actions[0].findings[1]");
    assert_eq!(d["message"], "no finding has the id `missing-finding`");
}

#[test]
fn a_dangling_reference_is_reported_as_one_github_annotation() {
    let repo = repo_with(&[("cases/x.yaml", DANGLING)]);
    let (line, column) = dangling_position();
    let output = candor(repo.path())
        .args(["check", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stderr), "");
    assert_eq!(
        text(&output.stdout),
        format!(
            "::error file=cases/x.yaml,line={line},col={column},title=unresolved-reference::\
             no finding has the id `missing-finding`%0Ahelp: add it under `findings`\n"
        )
    );
}

// ---------------------------------------------------------------------------
// A build that fails writes nothing

#[test]
fn a_build_that_fails_its_check_writes_nothing() {
    // One good case beside the bad one: not even the good one is written.
    let repo = copy_of_fixture("minimal");
    write_file(repo.path(), "cases/x.yaml", DANGLING);
    let elsewhere = tempfile::TempDir::new().unwrap();
    let out = elsewhere.path().join("out");

    let output = candor(repo.path())
        .args(["build", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("error[unresolved-reference]"));
    assert!(!out.exists(), "the failed build created {}", out.display());

    let output = candor(repo.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        !repo.path().join("out").exists(),
        "the failed build created out/"
    );
}

#[test]
fn a_build_that_fails_leaves_the_previous_output_whole() {
    let repo = copy_of_fixture("minimal");
    let n = library_outputs(repo.path()).len();
    candor(repo.path())
        .arg("build")
        .assert()
        .code(0)
        .stderr(format!(
            "built 2 cases ({n} documents); wrote {n} files to out (0 unchanged)\n"
        ));
    let before = snapshot_tree(&repo.path().join("out"));
    // The documents and the manifest.
    assert_eq!(before.len(), n + 1);

    // A valid edit to one case and a dangling reference in the other.
    let cases = repo.path().join("cases");
    let fines = fs::read_to_string(cases.join("book-fines.yaml")).unwrap();
    fs::write(
        cases.join("book-fines.yaml"),
        fines.replace("Ending fines", "No more fines"),
    )
    .unwrap();
    let room = fs::read_to_string(cases.join("reading-room.yaml")).unwrap();
    fs::write(
        cases.join("reading-room.yaml"),
        room.replace("findings: [sunday-visits]", "findings: [sunday-visit]"),
    )
    .unwrap();

    let output = candor(repo.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[unresolved-reference]: no finding has the id `sunday-visit`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `sunday-visits`?"),
        "{stderr}"
    );
    assert_eq!(snapshot_tree(&repo.path().join("out")), before);
}

// ---------------------------------------------------------------------------
// Usage errors and `render`

#[test]
fn a_missing_case_path_is_a_usage_error() {
    let repo = copy_of_fixture("minimal");
    let output = candor(repo.path())
        .args(["check", "does/not/exist.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(
        text(&output.stderr),
        "error: does/not/exist.yaml: No such file or directory (os error 2)\n"
    );
}

#[test]
fn rendering_a_case_that_does_not_exist_is_a_usage_error() {
    let repo = copy_of_fixture("minimal");
    let output = candor(repo.path())
        .args(["render", "nope", "--doc", "employee-memo"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(
        text(&output.stderr),
        "error: no case has the id `nope`; the cases are: book-fines, reading-room\n"
    );

    // A near miss is named.
    candor(repo.path())
        .args(["render", "reading-rom", "--doc", "employee-memo"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("error: no case has the id `reading-rom`; did you mean `reading-room`?\n");
}

#[test]
fn render_prints_the_memo_on_stdout() {
    let repo = copy_of_fixture("minimal");
    let output = candor(repo.path())
        .args(["render", "reading-room", "--doc", "employee-memo"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stderr), "");
    let memo = text(&output.stdout);
    assert!(
        memo.starts_with("# Closing the reading room on Sundays\n"),
        "{memo}"
    );
    assert!(
        memo.contains(
            "a standing principle: we spend our budget where it serves the most readers."
        ),
        "{memo}"
    );
    assert!(memo.contains("The reading room will close on Sundays."));
    // Only the one case.
    assert!(!memo.contains("fines"), "{memo}");

    // The same document, named by its file, from the repository or not.
    let by_path = candor(repo.path())
        .args([
            "render",
            "cases/reading-room.yaml",
            "--doc",
            "employee-memo",
        ])
        .output()
        .unwrap();
    assert_eq!(by_path.status.code(), Some(0));
    assert_eq!(text(&by_path.stdout), memo);
    let by_repo = candor(&std::env::temp_dir())
        .args(["render", "reading-room", "--doc", "employee-memo", "--repo"])
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(by_repo.status.code(), Some(0));
    assert_eq!(text(&by_repo.stdout), memo);
}

/// Like an unknown case, an unknown kind is a usage error (exit 2), as
/// `candor::Error::Usage` documents.
#[test]
fn rendering_an_unknown_document_kind_is_a_usage_error_naming_the_known_kinds() {
    let repo = copy_of_fixture("minimal");
    let output = candor(repo.path())
        .args(["render", "reading-room", "--doc", "press-release"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");
    let stderr = text(&output.stderr);
    let known = stderr
        .strip_prefix("error: no document kind `press-release`; the document kinds are: ")
        .unwrap_or_else(|| panic!("{stderr}"))
        .trim_end()
        .split(", ")
        .collect::<Vec<_>>();
    assert_eq!(
        known[..2],
        ["employee-memo", "public-statement"],
        "{stderr}"
    );

    // A near miss is named.
    candor(repo.path())
        .args(["render", "reading-room", "--doc", "public-statment"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("error: no document kind `public-statment`; did you mean `public-statement`?\n");
}

// ---------------------------------------------------------------------------
// Traceability and ids

const UNJUSTIFIED: &str = "\
id: unjustified
title: Two actions, each missing half its justification
date: 2025-01-15
summary: One action cites no principle, the other no finding.
principles:
  - id: fairness
    statement: We treat every customer alike.
findings:
  - id: found
    statement: Something was found.
    evidence: A record.
actions:
  - id: no-principle
    statement: We did something.
    findings: [found]
  - id: no-finding
    statement: We did something else.
    principles: [fairness]
";

#[test]
fn an_action_without_a_principle_or_a_finding_is_an_error() {
    let repo = repo_with(&[("cases/unjustified.yaml", UNJUSTIFIED)]);
    let output = candor(repo.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diagnostics = json_lines(&output.stdout);
    assert_eq!(
        codes(&diagnostics),
        ["action-without-principle", "action-without-finding"]
    );
    let (without_principle, without_finding) = (&diagnostics[0], &diagnostics[1]);
    assert_eq!(without_principle["id"], "no-principle");
    assert_eq!(
        without_principle["message"],
        "action `no-principle` cites no principle"
    );
    assert_eq!(without_principle["file"], "cases/unjustified.yaml");
    assert_eq!(without_principle["line"], 13);
    assert_eq!(without_finding["id"], "no-finding");
    assert_eq!(
        without_finding["message"],
        "action `no-finding` cites no finding"
    );
    assert_eq!(without_finding["line"], 16);

    let human = candor(repo.path()).arg("check").output().unwrap();
    assert_eq!(human.status.code(), Some(1));
    let stderr = text(&human.stderr);
    assert!(
        stderr.contains(
            "error[action-without-principle]: action `no-principle` cites no principle\n  \
             --> cases/unjustified.yaml:13:9\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "error[action-without-finding]: action `no-finding` cites no finding\n  \
             --> cases/unjustified.yaml:16:9\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("failed: 2 errors, 0 warnings\n"),
        "{stderr}"
    );
}

#[test]
fn two_findings_with_one_id_are_an_error() {
    let case = "\
id: twice
title: Two findings share an id
date: 2025-01-15
summary: The second finding reuses the first one's id.
principles:
  - id: fairness
    statement: We treat every customer alike.
findings:
  - id: same
    statement: Something was found.
    evidence: A record.
  - id: same
    statement: Something else was found.
    evidence: Another record.
actions:
  - id: act
    statement: We did something.
    principles: [fairness]
    findings: [same]
";
    let repo = repo_with(&[("cases/twice.yaml", case)]);
    let output = candor(repo.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diagnostics = json_lines(&output.stdout);
    assert_eq!(codes(&diagnostics), ["duplicate-id"]);
    let d = &diagnostics[0];
    assert_eq!(d["message"], "another finding already has the id `same`");
    assert_eq!(d["file"], "cases/twice.yaml");
    // The second one is reported, where its id is written.
    assert_eq!(d["line"], 12);
    assert_eq!(d["column"], 9);
    assert_eq!(d["id"], "same");

    candor(repo.path())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "error[duplicate-id]: another finding already has the id `same`\n  \
             --> cases/twice.yaml:12:9\n",
        ));
    assert!(!repo.path().join("out").exists());
}

#[test]
fn deny_warnings_fails_on_a_warning_alone() {
    // The file name differs from the case's id: a warning.
    let repo = copy_of_fixture("minimal");
    let cases = repo.path().join("cases");
    fs::rename(cases.join("book-fines.yaml"), cases.join("fines.yaml")).unwrap();
    let n = library_outputs(repo.path()).len();

    let output = candor(repo.path()).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(
            "warning[file-name-mismatch]: the case `book-fines` is in a file named differently"
        ),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(&format!("checked 2 cases ({n} documents), 1 warning\n")),
        "{stderr}"
    );

    let output = candor(repo.path())
        .args(["build", "--deny-warnings"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("warning[file-name-mismatch]"));
    assert!(!repo.path().join("out").exists());
}

// ---------------------------------------------------------------------------
// The user's templates

/// A public statement in the user's own words, citing every action and
/// what justifies it, as a public statement must.
const OWN_PUBLIC_STATEMENT: &str = "\
# {{ case.title }}

In our own words: {{ case.summary }}

{% for a in actions %}
- {{ cite(id=a.id) }}: {{ a.statement }} ({% for p in a.principles %}{{ cite(id=p.id) }}{% endfor %}{% for f in a.findings %}; {{ cite(id=f.id) }}{% endfor %})
{% endfor %}
";

#[test]
fn a_user_template_replaces_the_built_in_one() {
    let repo = copy_of_fixture("minimal");
    write_file(
        repo.path(),
        "templates/public-statement.md",
        OWN_PUBLIC_STATEMENT,
    );
    candor(repo.path()).arg("build").assert().code(0);
    let out = repo.path().join("out/reading-room");
    assert_eq!(
        fs::read_to_string(out.join("public-statement.md")).unwrap(),
        "# Closing the reading room on Sundays\n\n\
         In our own words: From April the reading room will close on Sundays.\n\n\
         - A1: The reading room will close on Sundays. (P1; F1)\n"
    );
    // The memo still comes from the built-in template.
    let memo = fs::read_to_string(out.join("employee-memo.md")).unwrap();
    assert!(
        memo.starts_with("# Closing the reading room on Sundays\n\n**To:** "),
        "{memo}"
    );
}

const BROKEN_TEMPLATE: &str = "\
# {{ case.title }}

{% for f in findings %}
- {{ f.statement }
{% endfor %}
";

#[test]
fn a_user_template_with_a_syntax_error_is_located() {
    let repo = copy_of_fixture("minimal");
    write_file(
        repo.path(),
        "templates/public-statement.md",
        BROKEN_TEMPLATE,
    );

    let output = candor(repo.path())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let diagnostics = json_lines(&output.stdout);
    assert_eq!(codes(&diagnostics), ["template-syntax"]);
    let d = &diagnostics[0];
    assert_eq!(d["file"], "templates/public-statement.md");
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 18);
    assert_eq!(d["source_line"], "- {{ f.statement }");

    let output = candor(repo.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("error[template-syntax]: "), "{stderr}");
    assert!(
        stderr.contains(" --> templates/public-statement.md:4:18\n"),
        "{stderr}"
    );
    assert!(!repo.path().join("out").exists());
}

/// An unknown filter is a compile-time error in Tera 2, reported as
/// `template-syntax`, but without a line: the position is only inside the
/// message text, with Tera's own snippet, so GitHub cannot annotate it.
#[test]
fn an_unknown_filter_in_a_user_template_is_located() {
    let repo = copy_of_fixture("minimal");
    write_file(
        repo.path(),
        "templates/public-statement.md",
        "# {{ case.title }}\n\n{{ case.summary | no_such_filter }}\n",
    );
    let output = candor(repo.path())
        .args(["check", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with(
            "::error file=templates/public-statement.md,line=3,col=19,title=template-syntax::"
        ),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

// ---------------------------------------------------------------------------
// Defaults

#[test]
fn a_repository_with_only_cases_builds_with_the_defaults() {
    let repo = copy_of_fixture("minimal");
    assert!(!repo.path().join("candor.yaml").exists());
    assert!(!repo.path().join("principles").exists());
    assert!(!repo.path().join("templates").exists());

    let expected = library_outputs(repo.path());
    let n = expected.len();
    candor(repo.path())
        .arg("check")
        .assert()
        .code(0)
        .stderr(format!("checked 2 cases ({n} documents)\n"));
    candor(repo.path())
        .arg("build")
        .assert()
        .code(0)
        .stdout("")
        .stderr(format!(
            "built 2 cases ({n} documents); wrote {n} files to out (0 unchanged)\n"
        ));

    let out = repo.path().join("out");
    let files: Vec<PathBuf> = snapshot_tree(&out)
        .into_keys()
        .filter(|file| file != Path::new("manifest.json"))
        .collect();
    assert_eq!(files, expected);
    assert_every_case_has_memo_and_statement(
        &files,
        &["book-fines".to_owned(), "reading-room".to_owned()],
    );
    let statement = fs::read_to_string(out.join("reading-room/public-statement.md")).unwrap();
    let memo = fs::read_to_string(out.join("reading-room/employee-memo.md")).unwrap();
    // With no organisation named, no document prints a stand-in name.
    assert!(statement.contains("\n*3 March 2025*\n"), "{statement}");
    assert!(memo.contains("\n**To:** All employees  \n"), "{memo}");
    for document in [&statement, &memo] {
        assert!(!document.contains("The organisation"), "{document}");
        assert!(!document.contains("**From:**"), "{document}");
    }
    // The inline principle is stated in both, in the same words.
    let principle = "Our decision rests on a standing principle: we spend our budget where it serves the most readers.";
    assert!(statement.contains(principle), "{statement}");
    assert!(memo.contains(principle), "{memo}");
}

/// A diagnostic that looks across cases is located, and quotes its line,
/// exactly as one about a case alone, in `check` and in `build`: the case
/// files' text is let go once parsed, and read again to quote.
#[test]
fn cross_case_diagnostics_quote_the_line_they_point_at() {
    let repo = copy_of_fixture("minimal");
    let room = std::fs::read_to_string(repo.path().join("cases/reading-room.yaml")).unwrap();
    write_file(repo.path(), "cases/reading-room-again.yaml", &room);
    let fines = std::fs::read_to_string(repo.path().join("cases/book-fines.yaml")).unwrap();
    let fines = fines.replace(
        "date: 2025-02-10\n",
        "date: 2025-02-10\nupdates: reading-rooms\n",
    );
    write_file(repo.path(), "cases/book-fines.yaml", &fines);

    for command in ["check", "build"] {
        let output = candor(repo.path())
            .args([command, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}");
        let diagnostics = json_lines(&output.stdout);
        let find = |code: &str, file: &str| {
            diagnostics
                .iter()
                .find(|d| d["code"] == code && d["file"] == file)
                .unwrap_or_else(|| panic!("{command}: no {code} in {file}: {diagnostics:?}"))
        };
        let duplicate = find("duplicate-id", "cases/reading-room.yaml");
        assert_eq!(duplicate["line"], 3, "{command}");
        assert_eq!(duplicate["column"], 5, "{command}");
        assert_eq!(duplicate["source_line"], "id: reading-room", "{command}");
        let update = find("unresolved-reference", "cases/book-fines.yaml");
        assert_eq!(update["line"], 4, "{command}");
        assert_eq!(update["column"], 10, "{command}");
        assert_eq!(update["source_line"], "updates: reading-rooms", "{command}");
    }
}
