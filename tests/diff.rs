//! `candor diff`: a case's documents compared with a git revision, as a
//! reviewer reads them. Every test works in a temporary git repository
//! holding a copy of the bundled one.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{bundled_repo, candor, copy_dir, edit, text};
use tempfile::TempDir;

const CASE: &str = "imod-azure-services";
const CASE_FILE: &str = "cases/imod-azure-services.yaml";

/// The word changed: in a public finding, so in every document that
/// states the findings.
const OLD_WORDS: &str = "IMOD's consumption of Azure storage";
const NEW_WORDS: &str = "IMOD's use of Azure storage";

/// Runs git in `dir` with a fixed identity and no user or system
/// configuration, so the tests pass on a machine where git is not set up.
fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        text(&output.stderr)
    );
}

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// A git work tree holding a copy of the bundled repository in `folder`
/// (the work tree's top when empty), committed. The founding case also
/// produces a social post, which does not state the findings.
fn committed_copy(folder: &str) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join(folder);
    fs::create_dir_all(&root).unwrap();
    for name in ["candor.yaml", "cases", "principles", "templates"] {
        let from = bundled_repo().join(name);
        if from.is_dir() {
            copy_dir(&from, &root.join(name));
        } else {
            fs::copy(&from, root.join(name)).unwrap();
        }
    }
    edit(
        &root,
        CASE_FILE,
        "\ndocuments:\n",
        "\ndocuments:\n  - kind: social-post\n",
    );
    git(dir.path(), &["init", "-q"]);
    commit_all(dir.path(), "the bundled repository");
    (dir, root)
}

/// [`committed_copy`] at the top of the work tree, with the word changed
/// and not committed.
fn changed_copy() -> (TempDir, PathBuf) {
    let (dir, root) = committed_copy("");
    edit(&root, CASE_FILE, OLD_WORDS, NEW_WORDS);
    (dir, root)
}

/// The documents that state the findings, with their paths.
const STATING: [&str; 3] = ["employee-memo", "public-statement", "press-qa"];

/// The section of markdown `candor diff` wrote for `kind`: from its
/// heading to the next document's.
fn section<'a>(markdown: &'a str, kind: &str) -> &'a str {
    let heading = format!("\n## {kind}\n");
    let start = markdown
        .find(&heading)
        .unwrap_or_else(|| panic!("no section for {kind} in:\n{markdown}"));
    let rest = &markdown[start + heading.len()..];
    let end = STATING
        .iter()
        .map(|k| format!("\n## {k}\n"))
        .chain(["\n## Unchanged\n".to_owned()])
        .filter_map(|h| rest.find(&h))
        .min()
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn markdown_strikes_the_old_word_and_marks_the_new_one_in_each_document() {
    let (_dir, root) = changed_copy();
    let output = candor(&root)
        .args(["diff", CASE, "--against", "HEAD", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stderr), "");
    let markdown = text(&output.stdout);
    assert!(markdown.starts_with(&format!(
        "Changes to the documents of `{CASE}` since `HEAD`.\n\n## employee-memo\n\n"
    )));
    for kind in STATING {
        let section = section(&markdown, kind);
        let path = format!("{CASE}/{kind}.md");
        assert!(
            section.starts_with(&format!("\n`{path}`: 1 word changed\n\n")),
            "{kind}:\n{section}"
        );
        assert_eq!(
            section
                .matches("IMOD's ~~consumption~~<ins>use</ins> of Azure storage")
                .count(),
            1,
            "{kind}:\n{section}"
        );
        assert_eq!(section.matches("~~").count(), 2, "{kind}:\n{section}");
        let now = candor(&root)
            .args(["render", CASE, "--doc", kind])
            .output()
            .unwrap();
        // Each document's headings sit below its `##`, and its footnotes
        // are its own.
        let body = section.split_once("\n\n").unwrap().1;
        assert!(body.starts_with("### "), "{kind}:\n{section}");
        assert!(
            !body
                .lines()
                .any(|l| l.starts_with("# ") || l.starts_with("## ")),
            "{kind}:\n{section}"
        );
        if kind != "press-qa" {
            assert!(
                body.contains(&format!("[^{kind}-1]: ")),
                "{kind}:\n{section}"
            );
        }
        assert!(!body.contains("[^1]"), "{kind}:\n{section}");
        // Without the marks, the redline is the document as it is now.
        let read = body
            .lines()
            .map(|line| {
                line.strip_prefix("##")
                    .filter(|_| line.starts_with("###"))
                    .unwrap_or(line)
            })
            .collect::<Vec<_>>()
            .join("\n")
            .replace(&format!("[^{kind}-"), "[^")
            .replace("~~consumption~~", "")
            .replace("<ins>use</ins>", "use");
        // Redlines compare the words alone; `render` also marks the draft.
        let rendered = text(&now.stdout);
        let words = rendered
            .strip_prefix(
                "> **DRAFT — not approved for release.** Awaiting sign-off: legal and communications.\n\n",
            )
            .unwrap_or_else(|| panic!("no draft banner:\n{rendered}"));
        assert_eq!(read.trim_end(), words.trim_end(), "{kind}");
    }
    assert!(
        markdown.ends_with(&format!(
            "\n## Unchanged\n\n- social-post (`{CASE}/social-post.txt`)\n"
        )),
        "{markdown}"
    );
}

#[test]
fn terminal_shows_hunks_with_plain_marks_without_colour() {
    let (_dir, root) = changed_copy();
    let output = candor(&root)
        .args(["diff", CASE, "--against", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = text(&output.stdout);
    assert!(!out.contains('\x1b'), "{out}");
    assert!(
        out.contains(
            "── public-statement (imod-azure-services/public-statement.md): 1 word changed\n \
             9 │ Two principles guided our review and our decision."
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "11 │ Our review found evidence that supports elements of the reporting by The Guardian. \
             This evidence includes information relating to IMOD's [-consumption-]{+use+} of Azure storage capacity in the Netherlands \
             and its use of AI services."
        ),
        "{out}"
    );
    assert!(
        out.ends_with("\n── social-post (imod-azure-services/social-post.txt): unchanged\n"),
        "{out}"
    );
    insta::assert_snapshot!("terminal_one_word_changed", out);
}

#[test]
fn exit_code_says_whether_anything_changed() {
    let (dir, root) = changed_copy();
    let changed = candor(&root)
        .args(["diff", CASE, "--against", "HEAD", "--exit-code"])
        .output()
        .unwrap();
    assert_eq!(changed.status.code(), Some(1), "{}", text(&changed.stderr));
    assert_eq!(text(&changed.stderr), "");

    commit_all(dir.path(), "the word changed");
    let same = candor(&root)
        .args(["diff", CASE, "--against", "HEAD", "--exit-code"])
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));
    assert_eq!(
        text(&same.stdout),
        "── employee-memo (imod-azure-services/employee-memo.md): unchanged\n\
         ── public-statement (imod-azure-services/public-statement.md): unchanged\n\
         ── press-qa (imod-azure-services/press-qa.md): unchanged\n\
         ── social-post (imod-azure-services/social-post.txt): unchanged\n"
    );
    // The revision before shows the change, committed or not.
    let before = candor(&root)
        .args(["diff", CASE, "--against", "HEAD~1", "--exit-code"])
        .output()
        .unwrap();
    assert_eq!(before.status.code(), Some(1));
}

#[test]
fn a_case_new_since_the_revision_has_every_document_added() {
    let (_dir, root) = committed_copy("");
    let from = root.join(CASE_FILE);
    let text_of_case = fs::read_to_string(&from)
        .unwrap()
        .replace(&format!("id: {CASE}"), "id: fresh-case");
    fs::write(root.join("cases/fresh-case.yaml"), text_of_case).unwrap();
    let output = candor(&root)
        .args([
            "diff",
            "fresh-case",
            "--against",
            "HEAD",
            "--format",
            "markdown",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let markdown = text(&output.stdout);
    for kind in STATING {
        let section = section(&markdown, kind);
        assert!(section.starts_with(&format!("\n`fresh-case/{kind}.md`: added\n\n")));
        assert!(section.contains("\n### <ins>"), "{section}");
        assert!(!section.contains("~~"), "{section}");
    }
    assert!(!markdown.contains("## Unchanged"));
}

#[test]
fn the_repository_may_be_a_folder_of_the_git_work_tree() {
    let (dir, root) = committed_copy("site/comms");
    edit(&root, CASE_FILE, OLD_WORDS, NEW_WORDS);
    // Run from the work tree's top, naming the repository.
    let output = candor(dir.path())
        .args(["diff", CASE, "--against", "HEAD", "--repo", "site/comms"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = text(&output.stdout);
    assert_eq!(out.matches("[-consumption-]{+use+}").count(), 3, "{out}");
}

#[test]
fn a_case_with_errors_at_the_revision_cannot_be_compared() {
    let (dir, root) = committed_copy("");
    edit(
        &root,
        CASE_FILE,
        "findings: [azure-storage-nl]",
        "findings: [no-such-finding]",
    );
    commit_all(dir.path(), "broken");
    edit(
        &root,
        CASE_FILE,
        "findings: [no-such-finding]",
        "findings: [azure-storage-nl]",
    );
    let output = candor(&root)
        .args(["diff", CASE, "--against", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(
            "error: the case `imod-azure-services` has errors at revision `HEAD`, so it cannot be compared; the first: cases/imod-azure-services.yaml:"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("no-such-finding"), "{stderr}");
    // The other way round, the errors are the case's now: exit 1 with the
    // diagnostics, as `candor render` does.
    let output = candor(&root)
        .args(["diff", CASE, "--against", "HEAD~1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    edit(
        &root,
        CASE_FILE,
        "findings: [azure-storage-nl]",
        "findings: [no-such-finding]",
    );
    let output = candor(&root)
        .args(["diff", CASE, "--against", "HEAD~1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    assert!(text(&output.stderr).contains("no-such-finding"));
}

#[test]
fn an_unknown_revision_is_a_usage_error() {
    let (_dir, root) = changed_copy();
    let output = candor(&root)
        .args(["diff", CASE, "--against", "no-such-rev"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(
        text(&output.stderr),
        "error: unknown revision `no-such-rev`: bad revision 'no-such-rev'\n"
    );
}

#[test]
fn a_folder_outside_git_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    for name in ["candor.yaml", "cases", "principles"] {
        let from = bundled_repo().join(name);
        if from.is_dir() {
            copy_dir(&from, &dir.path().join(name));
        } else {
            fs::copy(&from, dir.path().join(name)).unwrap();
        }
    }
    let output = candor(dir.path())
        .args(["diff", CASE, "--against", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: . is not in a git repository, so it has no earlier versions\n"
    );
}

#[test]
fn an_unknown_case_is_a_usage_error_with_a_suggestion() {
    let (_dir, root) = changed_copy();
    let output = candor(&root)
        .args(["diff", "imod-azure-service", "--against", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: no case has the id `imod-azure-service`; did you mean `imod-azure-services`?\n"
    );
}

#[test]
fn git_missing_from_the_path_is_a_usage_error() {
    let (_dir, root) = changed_copy();
    let output = candor(&root)
        .args(["diff", CASE, "--against", "HEAD"])
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: git was not found: install git, or put it on PATH, to compare with earlier versions\n"
    );
}

/// Signs off on the founding case in `role` as it is in `root`.
fn approve(root: &Path, role: &str, by: &str) {
    let output = candor(root)
        .args(["approve", CASE, "--role", role, "--by", by])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
}

#[test]
fn without_a_revision_the_diff_is_against_the_last_sign_off() {
    let (dir, root) = committed_copy("");
    approve(&root, "legal", "Jane Doe");
    approve(&root, "communications", "Sam Lee");
    edit(&root, CASE_FILE, "status: review", "status: approved");
    commit_all(dir.path(), "signed off");
    edit(
        &root,
        CASE_FILE,
        "statement: This evidence includes information relating to IMOD's consumption of Azure storage",
        "statement: This evidence includes information relating to IMOD's use of Azure storage",
    );
    // Committed or not, the signed-off version is found by its digest.
    for commit in [false, true] {
        if commit {
            commit_all(dir.path(), "one word");
        }
        let output = candor(&root)
            .args(["diff", CASE, "--format", "markdown"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let stderr = text(&output.stderr);
        // The latest sign-off: both were given within the same second or so.
        let latest = [
            "the communications sign-off (Sam Lee, 20",
            "the legal sign-off (Jane Doe, 20",
        ];
        assert!(
            latest
                .iter()
                .any(|s| stderr.starts_with(&format!("comparing with {s}")))
                && stderr.lines().count() == 1,
            "no diagnostics about the void sign-offs, only what is compared:\n{stderr}"
        );
        let markdown = text(&output.stdout);
        assert!(
            latest.iter().any(|s| markdown
                .starts_with(&format!("Changes to the documents of `{CASE}` since {s}"))),
            "{markdown}"
        );
        for kind in STATING {
            assert_eq!(
                section(&markdown, kind)
                    .matches("IMOD's ~~consumption~~<ins>use</ins> of Azure storage")
                    .count(),
                1,
                "{kind}:\n{markdown}"
            );
        }
        assert!(
            markdown.ends_with(&format!(
                "\n## Unchanged\n\n- social-post (`{CASE}/social-post.txt`)\n"
            )),
            "{markdown}"
        );
    }

    // A change to candor.yaml the case uses shows too, found in history.
    edit(
        &root,
        "candor.yaml",
        "title: Vice Chair and President",
        "title: President",
    );
    let output = candor(&root).args(["diff", CASE]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let terminal = text(&output.stdout);
    assert!(
        terminal.contains("**From:** Brad Smith, [-Vice Chair and -]President"),
        "{terminal}"
    );
    assert!(
        terminal.contains("IMOD's [-consumption-]{+use+} of Azure"),
        "{terminal}"
    );
}

#[test]
fn a_sign_off_whose_content_is_found_nowhere_cannot_be_compared() {
    let (_dir, root) = committed_copy("");
    let output = candor(&root).args(["diff", CASE]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        format!(
            "error: `{CASE}` has no sign-off to compare with; compare with a git revision \
             instead, with --against REV\n"
        )
    );
    // Signed off on words never committed, then changed.
    edit(
        &root,
        CASE_FILE,
        "IMOD's consumption",
        "IMOD's real consumption",
    );
    approve(&root, "legal", "Jane Doe");
    edit(
        &root,
        CASE_FILE,
        "IMOD's real consumption",
        "IMOD's consumption",
    );
    let output = candor(&root).args(["diff", CASE]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        format!(
            "error: the version of {CASE_FILE} the legal sign-off was given on is neither in \
             the working tree nor in git history; compare with a revision instead, with \
             --against REV\n"
        )
    );
}
