//! Review and publication: sign-offs bound to the content approved, draft
//! banners, publishing only what is approved, and CI refusing drift.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;

use common::{bundled_copy, edit, run, write_file};
use tempfile::TempDir;

const CASE: &str = "imod-azure-services";
const CASE_FILE: &str = "cases/imod-azure-services.yaml";
const LEGAL: &str = "Jane Doe <jane@example.com>";
const COMMS: &str = "Sam Lee <sam@example.com>";

fn approve(root: &Path, role: &str, by: &str) -> String {
    run(root, &["approve", CASE, "--role", role, "--by", by], 0).1
}

/// The founding case, signed off by both required roles and marked approved.
fn approved_copy() -> TempDir {
    let repo = bundled_copy();
    let first = approve(repo.path(), "legal", LEGAL);
    assert!(first.contains("still awaiting: communications"), "{first}");
    let second = approve(repo.path(), "communications", COMMS);
    assert!(
        second.contains("every required sign-off is in: set `status: approved` to publish"),
        "{second}"
    );
    // Moving the case on after the sign-offs does not void them.
    edit(repo.path(), CASE_FILE, "status: review", "status: approved");
    repo
}

#[test]
fn an_approval_records_every_input_and_document_one_per_line() {
    let repo = bundled_copy();
    approve(repo.path(), "legal", LEGAL);
    let file = fs::read_to_string(
        repo.path()
            .join("cases/imod-azure-services.approvals/legal.yaml"),
    )
    .unwrap();
    let lines: Vec<&str> = file.lines().collect();
    assert_eq!(lines[3], "case: imod-azure-services");
    assert_eq!(lines[4], "role: legal");
    assert_eq!(lines[5], "by: \"Jane Doe <jane@example.com>\"");
    assert!(lines[6].starts_with("at: 20"), "{file}");
    assert!(lines[7].starts_with("digest: "), "{file}");
    let keys: Vec<&str> = lines
        .iter()
        .filter(|line| line.starts_with("  "))
        .map(|line| line.trim().split(": ").next().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "case",
            "document kind employee-memo",
            "document kind press-qa",
            "document kind public-statement",
            "organisation",
            "person brad-smith",
            "principle customer-privacy",
            "principle no-mass-surveillance",
            "template builtin/_letter-action.md",
            "template builtin/_letter-actions.md",
            "template builtin/_letter-background.md",
            "template builtin/_letter-exception.md",
            "template builtin/_letter-findings.md",
            "template builtin/_letter-next-inside.md",
            "template builtin/_letter-principle-basis.md",
            "template builtin/_letter-principles.md",
            "template builtin/_letter-review-limits.md",
            "template builtin/_letter-review.md",
            "template builtin/_letter-source.md",
            "template builtin/_letter-update.md",
            "template builtin/employee-memo.md",
            "template builtin/press-qa.md",
            "template builtin/public-statement.md",
            "employee-memo",
            "press-qa",
            "public-statement",
        ]
    );
}

#[test]
fn one_changed_word_voids_every_approval_and_stops_publication() {
    let repo = approved_copy();
    let (_, clean) = run(repo.path(), &["check"], 0);
    assert_eq!(
        clean,
        "checked 5 cases (22 documents)\n\
         note: 2 sign-offs are unsigned: anyone who can write to the repository could have \
         written them; set `approvals.signers` in candor.yaml to require SSH signatures\n"
    );
    let (_, published) = run(repo.path(), &["build", "--publish", "--out", "public"], 0);
    assert!(
        published.contains("held back: commons-harassment-network (in review)"),
        "{published}"
    );
    let statement = fs::read_to_string(
        repo.path()
            .join("public/imod-azure-services/public-statement.md"),
    )
    .unwrap();
    assert!(
        statement.starts_with("# Ceasing"),
        "an approved case has no banner:\n{statement}"
    );
    // A publish folder is for the public: no internal document.
    assert!(
        !repo
            .path()
            .join("public/imod-azure-services/employee-memo.md")
            .exists()
    );
    assert!(
        !repo
            .path()
            .join("public/commons-harassment-network")
            .exists()
    );

    edit(
        repo.path(),
        CASE_FILE,
        "statement: This evidence includes information relating to IMOD's consumption of Azure storage",
        "statement: This evidence includes information relating to IMOD's use of Azure storage",
    );
    let (_, report) = run(repo.path(), &["check"], 1);
    for (role, by) in [
        ("communications", "Sam Lee <sam@example.com>"),
        ("legal", "Jane Doe <jane@example.com>"),
    ] {
        let expected =
            format!("warning[approval-void]: the {role} sign-off on `imod-azure-services` ({by}, ");
        assert!(report.contains(&expected), "{report}");
        assert!(
            report.contains(&format!(
                "--> cases/imod-azure-services.approvals/{role}.yaml:11:9"
            )),
            "the warning points at the changed digest:\n{report}"
        );
    }
    assert!(
        report.contains(
            "is void: since it was given, the case file changed and the text of \
             `employee-memo`, `press-qa` and `public-statement` changed\n"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "error[not-approved]: the case is marked `approved` but lacks the sign-off of \
             legal (void: given before the last change) and communications (void: given \
             before the last change)\n --> cases/imod-azure-services.yaml:7:9"
        ),
        "{report}"
    );
    assert!(
        report.ends_with("failed: 1 error, 2 warnings\n"),
        "{report}"
    );

    let (_, refused) = run(repo.path(), &["build", "--publish", "--out", "public"], 1);
    assert!(refused.contains("`imod-azure-services`"), "{refused}");
    // Nothing was written: the published copy is the approved one.
    let still = fs::read_to_string(
        repo.path()
            .join("public/imod-azure-services/public-statement.md"),
    )
    .unwrap();
    assert_eq!(still, statement);
}

#[test]
fn a_check_says_which_input_changed() {
    let repo = approved_copy();
    edit(
        repo.path(),
        "principles/customer-privacy.yaml",
        "statement: ",
        "statement: Truly, ",
    );
    let (_, report) = run(repo.path(), &["check"], 1);
    assert!(
        report.contains(
            "is void: since it was given, the principle `customer-privacy` changed and the text \
             of `employee-memo`, `press-qa` and `public-statement` changed\n"
        ),
        "{report}"
    );

    let repo = approved_copy();
    edit(
        repo.path(),
        "candor.yaml",
        "title: Vice Chair and President",
        "title: President",
    );
    let (_, report) = run(repo.path(), &["check"], 1);
    assert!(
        report.contains(
            "is void: since it was given, the person `brad-smith` in candor.yaml changed and \
             the text of `employee-memo`, `press-qa` and `public-statement` changed\n"
        ),
        "{report}"
    );

    let repo = approved_copy();
    write_file(
        repo.path(),
        "templates/public-statement.md",
        "{% extends \"builtin/public-statement.md\" %}\n",
    );
    let (_, report) = run(repo.path(), &["check"], 1);
    assert!(
        report.contains(
            "is void: since it was given, the template `public-statement.md` came into use\n"
        ),
        "{report}"
    );
}

#[test]
fn what_a_case_does_not_use_and_its_status_do_not_void_it() {
    let repo = approved_copy();
    // Another person, and another case's edit, are not this case's content.
    edit(
        repo.path(),
        "candor.yaml",
        "people:\n",
        "people:\n  - id: new-hire\n    name: New Hire\n    title: Analyst\n",
    );
    edit(
        repo.path(),
        "cases/commons-harassment-network.yaml",
        "status: review",
        "status: draft",
    );
    edit(
        repo.path(),
        CASE_FILE,
        "status: approved",
        "status: published",
    );
    run(repo.path(), &["check", "--deny-warnings"], 0);
}

#[test]
fn drafts_say_which_sign_offs_they_await() {
    let repo = bundled_copy();
    approve(repo.path(), "legal", LEGAL);
    let (memo, _) = run(repo.path(), &["render", CASE, "--doc", "employee-memo"], 0);
    assert!(
        memo.starts_with(
            "> **DRAFT — not approved for release.** Awaiting sign-off: communications.\n\n# "
        ),
        "{memo}"
    );
    edit(repo.path(), CASE_FILE, "IMOD's consumption", "IMOD's use");
    let (memo, _) = run(repo.path(), &["render", CASE, "--doc", "employee-memo"], 0);
    assert!(
        memo.starts_with(
            "> **DRAFT — not approved for release.** Awaiting sign-off: legal (void: given \
             before the last change) and communications.\n\n# "
        ),
        "{memo}"
    );
    edit(
        repo.path(),
        CASE_FILE,
        "status: review",
        "status: withdrawn",
    );
    let (memo, _) = run(repo.path(), &["render", CASE, "--doc", "employee-memo"], 0);
    assert!(
        memo.starts_with("> **WITHDRAWN — not for release.**\n\n# "),
        "{memo}"
    );
}

#[test]
fn sign_offs_are_refused_when_they_cannot_count() {
    let repo = bundled_copy();
    approve(repo.path(), "legal", LEGAL);
    let (_, err) = run(
        repo.path(),
        &[
            "approve",
            CASE,
            "--role",
            "communications",
            "--by",
            "jane doe <JANE@example.com>",
        ],
        2,
    );
    assert_eq!(
        err,
        "error: jane doe <JANE@example.com> already signed off on `imod-azure-services` as \
         `legal`; one person, or one key, cannot fill two roles\n"
    );
    // The same person under another spelling: a name without the address.
    let (_, err) = run(
        repo.path(),
        &[
            "approve",
            CASE,
            "--role",
            "communications",
            "--by",
            "Jane  Doe",
        ],
        2,
    );
    assert!(
        err.starts_with("error: Jane  Doe already signed off on `imod-azure-services` as `legal`"),
        "{err}"
    );
    let (_, err) = run(
        repo.path(),
        &["approve", CASE, "--role", "legl", "--by", COMMS],
        2,
    );
    assert_eq!(
        err,
        "error: `legl` is not a role candor.yaml requires to sign off; did you mean `legal`?\n"
    );
    let (_, err) = run(
        repo.path(),
        &["approve", CASE, "--role", "legal", "--by", " "],
        2,
    );
    assert!(
        err.starts_with("error: say who signs off with --by"),
        "{err}"
    );
    let (_, err) = run(
        repo.path(),
        &[
            "approve",
            "imod-azure-service",
            "--role",
            "legal",
            "--by",
            COMMS,
        ],
        2,
    );
    assert_eq!(
        err,
        "error: no case has the id `imod-azure-service`; did you mean `imod-azure-services`?\n"
    );
    edit(repo.path(), CASE_FILE, "status: review", "status: draft");
    let (_, err) = run(
        repo.path(),
        &["approve", CASE, "--role", "communications", "--by", COMMS],
        2,
    );
    assert_eq!(
        err,
        "error: `imod-azure-services` is a draft; set `status: review` when it is ready for sign-off\n"
    );
    // A case with errors is not signed off.
    edit(repo.path(), CASE_FILE, "status: draft", "status: review");
    edit(
        repo.path(),
        CASE_FILE,
        "sources: [guardian-2025-08-06]",
        "sources: [guardian]",
    );
    let (_, err) = run(
        repo.path(),
        &["approve", CASE, "--role", "communications", "--by", COMMS],
        1,
    );
    assert!(err.contains("error[unresolved-reference]"), "{err}");
    assert!(
        !repo
            .path()
            .join("cases/imod-azure-services.approvals/communications.yaml")
            .exists()
    );
}

#[test]
fn hand_made_approval_files_are_checked() {
    let repo = approved_copy();
    let folder = "cases/imod-azure-services.approvals";
    let legal = fs::read_to_string(repo.path().join(folder).join("legal.yaml")).unwrap();
    let comms = fs::read_to_string(repo.path().join(folder).join("communications.yaml")).unwrap();

    // The same person in both roles.
    write_file(
        repo.path(),
        &format!("{folder}/communications.yaml"),
        &comms.replace("Sam Lee <sam@example.com>", "J. Doe <JANE@example.com>"),
    );
    let (_, report) = run(repo.path(), &["check"], 1);
    assert!(
        report.contains(
            "error[same-approver]: J. Doe <JANE@example.com> signs off as both `communications` \
             and `legal`; one person cannot fill two roles\n --> cases/imod-azure-services.approvals/legal.yaml:6:5"
        ) || report.contains(
            "error[same-approver]: Jane Doe <jane@example.com> signs off as both `communications` and `legal`"
        ),
        "{report}"
    );
    write_file(
        repo.path(),
        &format!("{folder}/communications.yaml"),
        &comms,
    );

    // A digest edited by hand.
    let digest_line = legal.lines().find(|l| l.starts_with("digest: ")).unwrap();
    write_file(
        repo.path(),
        &format!("{folder}/legal.yaml"),
        &legal.replace(digest_line, "digest: 0000"),
    );
    let (_, report) = run(repo.path(), &["check"], 1);
    assert!(
        report.contains("is void: its digest does not match the digests it lists: the file was edited by hand\n --> cases/imod-azure-services.approvals/legal.yaml:8:9"),
        "{report}"
    );

    // Filed under the wrong role, or beside the wrong case.
    fs::remove_file(repo.path().join(folder).join("legal.yaml")).unwrap();
    write_file(repo.path(), &format!("{folder}/security.yaml"), &legal);
    let (_, report) = run(repo.path(), &["check"], 1);
    assert!(
        report.contains(
            "error[approval-misplaced]: the file is named `security` but records the role `legal`\n --> cases/imod-azure-services.approvals/security.yaml:5:7"
        ),
        "{report}"
    );
    fs::remove_file(repo.path().join(folder).join("security.yaml")).unwrap();
    write_file(
        repo.path(),
        "cases/commons-harassment-network.approvals/legal.yaml",
        &legal,
    );
    let (_, report) = run(repo.path(), &["check"], 1);
    assert!(
        report.contains(
            "error[approval-misplaced]: this approval is of the case `imod-azure-services`, but it is filed beside the case `commons-harassment-network`"
        ),
        "{report}"
    );
    fs::remove_dir_all(
        repo.path()
            .join("cases/commons-harassment-network.approvals"),
    )
    .unwrap();

    // A role candor.yaml does not require.
    write_file(
        repo.path(),
        &format!("{folder}/securty.yaml"),
        &legal.replace("role: legal", "role: securty"),
    );
    let (_, report) = run(repo.path(), &["check"], 1);
    assert!(
        report.contains(
            "error[unknown-role]: `securty` is not a role candor.yaml requires to sign off"
        ),
        "{report}"
    );
    assert!(
        report.contains("the roles candor.yaml requires are: legal, communications"),
        "{report}"
    );

    // A field the format does not have.
    write_file(
        repo.path(),
        &format!("{folder}/securty.yaml"),
        &format!("{legal}note: fine by me\n"),
    );
    let (_, report) = run(repo.path(), &["check"], 1);
    assert!(
        report.contains("cases/imod-azure-services.approvals/securty.yaml:"),
        "{report}"
    );
}

#[test]
fn an_embargo_holds_a_case_back_until_it_passes() {
    let repo = approved_copy();
    edit(
        repo.path(),
        CASE_FILE,
        "status: approved\n",
        "status: approved\nembargo: 2999-01-01T09:00:00+01:00\n",
    );
    // The embargo is part of what was approved: set it before signing off.
    approve(repo.path(), "legal", LEGAL);
    approve(repo.path(), "communications", COMMS);
    let (_, err) = run(repo.path(), &["build", "--publish", "--out", "public"], 0);
    assert!(
        err.contains(
            "held back: imod-azure-services (under embargo until 2999-01-01T09:00:00+01:00)"
        ),
        "{err}"
    );
    assert!(!repo.path().join("public/imod-azure-services").exists());
    let (_, err) = run(
        repo.path(),
        &["build", "--publish", "--out", "public", CASE_FILE],
        1,
    );
    assert!(
        err.contains(
            "error[not-publishable]: `imod-azure-services` cannot be published: it is under embargo until 2999-01-01T09:00:00+01:00\n --> cases/imod-azure-services.yaml:8:10"
        ),
        "{err}"
    );
    let (_, err) = run(
        repo.path(),
        &[
            "build",
            "--publish",
            "--out",
            "public",
            "cases/commons-harassment-network.yaml",
        ],
        1,
    );
    assert!(
        err.contains("error[not-publishable]: `commons-harassment-network` cannot be published: it is in review"),
        "{err}"
    );

    edit(repo.path(), CASE_FILE, "2999-01-01", "2001-01-01");
    approve(repo.path(), "legal", LEGAL);
    approve(repo.path(), "communications", COMMS);
    run(
        repo.path(),
        &["build", "--publish", "--out", "public", CASE_FILE],
        0,
    );
    assert!(
        repo.path()
            .join("public/imod-azure-services/public-statement.md")
            .exists()
    );

    edit(
        repo.path(),
        CASE_FILE,
        "2001-01-01T09:00:00+01:00",
        "2001-01-01T09:00",
    );
    let (_, report) = run(repo.path(), &["check"], 1);
    assert!(
        report.contains("`2001-01-01T09:00` is not a date and time with a time zone"),
        "{report}"
    );
}

#[test]
fn publishing_into_a_folder_of_drafts_removes_the_drafts() {
    let repo = approved_copy();
    run(repo.path(), &["build"], 0);
    assert!(
        repo.path()
            .join("out/commons-harassment-network/employee-memo.md")
            .exists()
    );
    let (_, err) = run(repo.path(), &["build", "--publish"], 0);
    assert!(
        err.ends_with("removed 21 files an earlier build wrote and this one does not\n"),
        "{err}"
    );
    assert!(!repo.path().join("out/commons-harassment-network").exists());
    // The approved case's public documents stay; its internal ones go.
    assert!(
        repo.path()
            .join("out/imod-azure-services/public-statement.md")
            .exists()
    );
    assert!(
        !repo
            .path()
            .join("out/imod-azure-services/employee-memo.md")
            .exists()
    );
    let manifest = fs::read_to_string(repo.path().join("out/manifest.json")).unwrap();
    assert!(
        !manifest.contains("commons-harassment-network"),
        "{manifest}"
    );
    // A user's own file in the output folder is never touched.
    write_file(repo.path(), "out/README.txt", "ours");
    run(repo.path(), &["build"], 0);
    assert!(
        repo.path()
            .join("out/commons-harassment-network/employee-memo.md")
            .exists()
    );
    assert_eq!(
        fs::read_to_string(repo.path().join("out/README.txt")).unwrap(),
        "ours"
    );
}

#[test]
fn build_check_names_each_file_that_drifted_and_writes_nothing() {
    let repo = bundled_copy();
    let (out, err) = run(repo.path(), &["build", "--check"], 1);
    assert!(
        out.starts_with("missing: out/commons-harassment-network/employee-memo.md\n"),
        "{out}"
    );
    assert!(out.ends_with("missing: out/manifest.json\n"), "{out}");
    assert!(
        err.ends_with(
            "out is out of date: 23 files of 23 differ; run `candor build` and commit the result\n"
        ),
        "{err}"
    );
    assert!(!repo.path().join("out").exists(), "--check wrote files");

    run(repo.path(), &["build"], 0);
    let (out, err) = run(repo.path(), &["build", "--check"], 0);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "out is up to date: 23 files match what the build would write\n"
    );

    let before = common::snapshot_tree(&repo.path().join("out"));
    edit(
        repo.path(),
        "cases/commons-harassment-network.yaml",
        "title: Removing a coordinated harassment network",
        "title: Removing a coordinated abuse network",
    );
    let (out, err) = run(repo.path(), &["build", "--check"], 1);
    assert_eq!(
        out,
        "stale: out/commons-harassment-network/employee-memo.md\n\
         stale: out/commons-harassment-network/press-qa.md\n\
         stale: out/commons-harassment-network/public-statement.md\n\
         stale: out/manifest.json\n"
    );
    assert_eq!(
        err,
        "out is out of date: 4 files of 23 differ; run `candor build` and commit the result\n"
    );
    assert_eq!(common::snapshot_tree(&repo.path().join("out")), before);

    // A file removed from the output, and one no build would make now.
    fs::remove_file(repo.path().join("out/imod-azure-services/press-qa.md")).unwrap();
    fs::remove_file(repo.path().join("cases/meridale-ransomware-attack.yaml")).unwrap();
    let (out, _) = run(repo.path(), &["build", "--check"], 1);
    assert!(
        out.contains("missing: out/imod-azure-services/press-qa.md\n"),
        "{out}"
    );
    assert!(
        out.contains("left over: out/meridale-ransomware-attack/employee-memo.md\n"),
        "{out}"
    );
}

#[test]
fn an_incremental_build_notices_a_sign_off() {
    let repo = bundled_copy();
    run(repo.path(), &["build"], 0);
    let memo = repo.path().join("out/imod-azure-services/employee-memo.md");
    assert!(fs::read_to_string(&memo).unwrap().starts_with("> **DRAFT"));
    approve(repo.path(), "legal", LEGAL);
    approve(repo.path(), "communications", COMMS);
    let (_, err) = run(repo.path(), &["build"], 0);
    assert!(err.contains("wrote 3 files to out (19 unchanged)"), "{err}");
    assert!(fs::read_to_string(&memo).unwrap().starts_with("# Ceasing"));
    // Withdrawing a sign-off brings the banner back.
    fs::remove_file(
        repo.path()
            .join("cases/imod-azure-services.approvals/legal.yaml"),
    )
    .unwrap();
    run(repo.path(), &["build"], 0);
    assert!(
        fs::read_to_string(&memo)
            .unwrap()
            .starts_with("> **DRAFT — not approved for release.** Awaiting sign-off: legal.\n")
    );
    run(repo.path(), &["build", "--check"], 0);
}

/// The case file written as one flow mapping on one line, `status` and
/// `embargo` side by side: the layout where a digest that drops the
/// status *line* would drop the embargo too.
fn as_flow_mapping(block: &str) -> String {
    let value: serde_json::Value = serde_saphyr::from_str(block).unwrap();
    let flow = format!("{}\n", serde_json::to_string(&value).unwrap());
    assert_eq!(flow.lines().count(), 1);
    flow
}

#[test]
fn the_embargo_is_signed_off_whatever_the_layout_only_the_status_is_not() {
    for flow in [false, true] {
        let repo = bundled_copy();
        edit(
            repo.path(),
            CASE_FILE,
            "status: review\n",
            "status: review\nembargo: 2999-01-01T09:00:00+01:00\n",
        );
        if flow {
            let block = fs::read_to_string(repo.path().join(CASE_FILE)).unwrap();
            write_file(repo.path(), CASE_FILE, &as_flow_mapping(&block));
        }
        let (status, embargo) = if flow {
            ("\"status\":\"", "\"embargo\":\"")
        } else {
            ("status: ", "embargo: ")
        };
        approve(repo.path(), "legal", LEGAL);
        approve(repo.path(), "communications", COMMS);
        edit(
            repo.path(),
            CASE_FILE,
            &format!("{status}review"),
            &format!("{status}approved"),
        );
        run(repo.path(), &["check", "--deny-warnings"], 0);

        edit(
            repo.path(),
            CASE_FILE,
            &format!("{embargo}2999-01-01"),
            &format!("{embargo}2001-01-01"),
        );
        let (_, report) = run(repo.path(), &["check"], 1);
        for role in ["legal", "communications"] {
            assert!(
                report.contains(&format!(
                    "warning[approval-void]: the {role} sign-off on `imod-azure-services`"
                )) && report.contains("is void: since it was given, the case file changed"),
                "flow: {flow}\n{report}"
            );
        }
        let (_, refused) = run(repo.path(), &["build", "--publish", "--out", "public"], 1);
        assert!(refused.contains("error[not-approved]"), "{refused}");
        assert!(!repo.path().join("public/imod-azure-services").exists());
    }
}

#[test]
fn weakening_the_sign_off_policy_after_sign_off_holds_the_case_back() {
    for (what, to) in [
        ("a role removed", "approvals:\n  required: [legal]\n"),
        ("the approvals block deleted", ""),
        ("no role required", "approvals:\n  required: []\n"),
    ] {
        let repo = approved_copy();
        run(repo.path(), &["build", "--publish", "--out", "public"], 0);
        fs::remove_dir_all(repo.path().join("public")).unwrap();
        edit(
            repo.path(),
            "candor.yaml",
            "approvals:\n  required: [legal, communications]\n",
            to,
        );
        let (_, report) = run(repo.path(), &["check"], 1);
        for role in ["legal", "communications"] {
            assert!(
                report.contains(&format!(
                    "warning[approval-policy-changed]: the {role} sign-off on `imod-azure-services`"
                )),
                "{what}:\n{report}"
            );
        }
        assert!(
            report.contains(
                "no longer counts: the sign-off policy (`approvals` in candor.yaml) has changed \
                 since it was given\n --> cases/imod-azure-services.approvals/legal.yaml:9:9"
            ),
            "{what}:\n{report}"
        );
        assert!(
            report.contains("(given under another sign-off policy)"),
            "{what}:\n{report}"
        );
        assert!(!report.contains("unknown-role"), "{what}:\n{report}");
        let (_, err) = run(repo.path(), &["build", "--publish", "--out", "public"], 1);
        assert!(err.contains("error[not-approved]"), "{what}:\n{err}");
        assert!(!repo.path().join("public/imod-azure-services").exists());
        // The drafts say so too.
        edit(repo.path(), CASE_FILE, "status: approved", "status: review");
        let (memo, _) = run(repo.path(), &["render", CASE, "--doc", "employee-memo"], 0);
        let banner = memo.lines().next().unwrap();
        assert!(
            banner.starts_with("> **DRAFT — not approved for release.** Awaiting sign-off: ")
                && banner.contains("legal (given under another sign-off policy)")
                && banner.contains("communications (given under another sign-off policy)"),
            "{what}:\n{memo}"
        );
    }
}

#[test]
fn a_case_marked_approved_without_any_sign_off_never_publishes_while_a_role_is_required() {
    let repo = bundled_copy();
    edit(repo.path(), CASE_FILE, "status: review", "status: approved");
    let (_, err) = run(repo.path(), &["build", "--publish", "--out", "public"], 1);
    assert!(
        err.contains(
            "error[not-approved]: the case is marked `approved` but lacks the sign-off of legal \
             and communications"
        ),
        "{err}"
    );
    assert!(!repo.path().join("public").exists());
}
