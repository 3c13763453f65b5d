//! What the bundled cases must show, end to end through the binary:
//! citations and traces, regulatory notices and deadlines, HTML, and the
//! shapes of real communications (exceptions, updates, uncertain dates).

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;

use common::{bundled_copy, candor, edit, text, write_file};

fn render(root: &Path, case: &str, kind: &str) -> String {
    let output = candor(root)
        .args(["render", case, "--doc", kind])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
}

fn check_fails(root: &Path) -> String {
    let output = candor(root).args(["check"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    text(&output.stderr)
}

#[test]
fn the_founding_case_cites_the_same_sources_and_items_the_same_way_everywhere() {
    let repo = bundled_copy();
    let memo = render(repo.path(), "imod-azure-services", "employee-memo");
    let statement = render(repo.path(), "imod-azure-services", "public-statement");
    for document in [&memo, &statement] {
        assert!(
            document.contains("\n[^1]: The Guardian, “‘A million calls an hour’: Israel relying on Microsoft cloud for expansive surveillance of Palestinians”, August 6, 2025.\n"),
            "{document}"
        );
        // Each finding and action in its own words, and the principles in
        // prose, with the source as a footnote.
        for words in [
            "This evidence includes information relating to IMOD's consumption of Azure storage capacity in the Netherlands and its use of AI services.",
            "On the basis of these preliminary findings, we informed IMOD of our decision to cease and disable specified IMOD subscriptions",
            "Two principles guided our review and our decision. First, we do not provide technology to facilitate mass surveillance of civilians.",
            "We opened a review that month, confined to our own business records, including financial statements, internal documents, email and messages.",
            "Our review found evidence that supports elements of the reporting by The Guardian. This evidence includes",
        ] {
            assert!(document.contains(words), "no {words:?} in:\n{document}");
        }
    }
}

#[test]
fn the_trace_lists_every_action_with_its_principles_and_findings() {
    let repo = bundled_copy();
    let output = candor(repo.path())
        .args(["trace", "imod-azure-services", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let trace: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let action = &trace["actions"][0];
    assert_eq!(action["id"], "disable-subscriptions");
    assert_eq!(
        action["principles"],
        serde_json::json!(["P1 no-mass-surveillance"])
    );
    assert_eq!(
        action["findings"],
        serde_json::json!(["F1 azure-storage-nl"])
    );
    assert_eq!(
        action["cited_in"],
        serde_json::json!(["employee-memo", "public-statement", "press-qa"])
    );

    let markdown = candor(repo.path())
        .args(["trace", "imod-azure-services", "--format", "markdown"])
        .output()
        .unwrap();
    let markdown = text(&markdown.stdout);
    assert!(
        markdown.contains("| A1 disable-subscriptions "),
        "{markdown}"
    );
    assert!(
        markdown.contains("| P1 no-mass-surveillance "),
        "{markdown}"
    );
}

#[test]
fn a_public_action_resting_only_on_an_internal_finding_is_refused_and_the_finding_never_leaks() {
    let repo = bundled_copy();
    let case = "cases/imod-azure-services.yaml";
    edit(
        repo.path(),
        case,
        "actions:\n",
        "  - id: secret-finding\n    statement: MARKER-5c1d internal detail of the review.\n    evidence: Internal notes.\n\nactions:\n  - id: leaky-action\n    statement: We acted on something only employees may know.\n    principles: [no-mass-surveillance]\n    findings: [secret-finding]\n    visibility: public\n",
    );
    let stderr = check_fails(repo.path());
    assert!(
        stderr.contains("error[unjustified-in-public]: public action `leaky-action`"),
        "{stderr}"
    );

    // Without the action, the marker stays out of every public document,
    // even through a template written to print all it can see.
    edit(
        repo.path(),
        case,
        "  - id: leaky-action\n    statement: We acted on something only employees may know.\n    principles: [no-mass-surveillance]\n    findings: [secret-finding]\n    visibility: public\n",
        "",
    );
    write_file(
        repo.path(),
        "templates/public-statement.md",
        "{% extends \"builtin/public-statement.md\" %}\n{% block summary %}{{ case.summary }}\n{% for f in findings %}{{ f.statement }} {{ f.evidence }}\n{% endfor %}{% include \"builtin/employee-memo.md\" %}{% endblock summary %}\n",
    );
    let out = repo.path().join("out");
    candor(repo.path())
        .args(["build", "--html", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let memo = fs::read_to_string(out.join("imod-azure-services/employee-memo.md")).unwrap();
    assert!(memo.contains("MARKER-5c1d"), "the memo must still state it");
    for entry in fs::read_dir(out.join("imod-azure-services")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("public-statement") {
            assert!(
                !fs::read_to_string(&path).unwrap().contains("MARKER-5c1d"),
                "{name}"
            );
        }
    }
}

#[test]
fn a_user_template_that_leaves_out_a_public_action_fails_naming_it() {
    let repo = bundled_copy();
    write_file(
        repo.path(),
        "templates/public-statement.md",
        "# {{ case.title }}\n\n{{ case.summary }}\n",
    );
    let output = candor(repo.path()).args(["build"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[coverage]: public-statement omits action `disable-subscriptions`"),
        "{stderr}"
    );
    assert!(
        !repo.path().join("out").exists(),
        "a failed build wrote output"
    );
}

#[test]
fn a_breach_notice_without_a_contact_point_fails_naming_article_33_3_b() {
    let repo = bundled_copy();
    edit(
        repo.path(),
        "cases/northwind-patient-portal-breach.yaml",
        "  contact:\n    name: Clara Jansen\n    role: Data Protection Officer, Northwind Health\n    email: dpo@northwind-health.example\n    phone: 0800 555 0150\n",
        "",
    );
    let stderr = check_fails(repo.path());
    assert!(
        stderr.contains("error[regulatory-element-missing]: gdpr-art33-notice: Art. 33(3)(b) requires the name and contact details of the data protection officer or other contact point"),
        "{stderr}"
    );
}

#[test]
fn the_8k_is_due_four_business_days_later_across_a_weekend_and_a_federal_holiday() {
    let repo = bundled_copy();
    // Determined Friday 16 January 2026; Monday 19 January is Martin Luther
    // King Jr. Day: Tuesday 20, Wednesday 21, Thursday 22, Friday 23.
    let output = candor(repo.path())
        .args([
            "context",
            "meridale-ransomware-attack",
            "--doc",
            "employee-memo",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let context: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        context["incident"]["sec_8k_due"]["text"],
        "January 23, 2026"
    );
    assert_eq!(context["incident"]["material"]["text"], "January 16, 2026");
    // Dated after the deadline without a reason, it is refused.
    let case =
        fs::read_to_string(repo.path().join("cases/meridale-ransomware-attack.yaml")).unwrap();
    let dated = case
        .lines()
        .position(|l| l.contains("kind: sec-8k-item-1-05"))
        .map(|i| case.lines().nth(i + 1).unwrap_or_default().to_owned());
    match dated {
        Some(line) if line.trim_start().starts_with("date:") => {
            edit(
                repo.path(),
                "cases/meridale-ransomware-attack.yaml",
                &line,
                "    date: 2026-01-26",
            );
        }
        _ => edit(
            repo.path(),
            "cases/meridale-ransomware-attack.yaml",
            "kind: sec-8k-item-1-05",
            "kind: sec-8k-item-1-05\n    date: 2026-01-26",
        ),
    }
    let stderr = check_fails(repo.path());
    assert!(
        stderr.contains("error[late-notification]: sec-8k-item-1-05 is dated 26 January 2026, after it was due on 23 January 2026"),
        "{stderr}"
    );
}

#[test]
fn script_in_a_public_finding_is_text_in_markdown_and_inert_in_html() {
    let repo = bundled_copy();
    edit(
        repo.path(),
        "cases/imod-azure-services.yaml",
        "Netherlands and its use of AI services.\n    sources",
        "Netherlands and its use of AI services <script>alert(1)</script> [x](javascript:alert(1)).\n    sources",
    );
    let out = repo.path().join("out");
    candor(repo.path())
        .args(["build", "--html", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let markdown = fs::read_to_string(out.join("imod-azure-services/public-statement.md")).unwrap();
    assert!(
        markdown.contains(r"AI services \<script>alert(1)\</script> \[x\](javascript:alert(1))."),
        "{markdown}"
    );
    let html = fs::read_to_string(out.join("imod-azure-services/public-statement.html")).unwrap();
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("href=\"javascript"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
}

#[test]
fn an_exception_to_a_principle_is_stated_in_memo_and_statement_and_needs_a_reason() {
    let repo = bundled_copy();
    let case = "northwind-patient-portal-breach-update";
    for kind in ["employee-memo", "public-statement"] {
        let document = render(repo.path(), case, kind);
        assert!(
            document.contains("This is an exception to our vendor security standard, which still stands. Unlike the exception that let the stolen password through, it is public, it ends with the current claims cycle, and every record it lets Calder open is reviewed."),
            "{kind}:\n{document}"
        );
    }
    // Drop the departure's reason: its `reason:` line and the lines of
    // its folded text below it.
    let file = fs::read_to_string(repo.path().join(format!("cases/{case}.yaml"))).unwrap();
    let lines: Vec<&str> = file.lines().collect();
    let departs = lines
        .iter()
        .position(|l| l.trim() == "departs_from:")
        .unwrap();
    let reason = departs
        + lines[departs..]
            .iter()
            .position(|l| l.trim_start().starts_with("reason:"))
            .unwrap();
    let indent = lines[reason].len() - lines[reason].trim_start().len();
    let end = reason
        + 1
        + lines[reason + 1..]
            .iter()
            .take_while(|l| l.len() - l.trim_start().len() > indent)
            .count();
    let without_reason = [&lines[..reason], &lines[end..]].concat().join("\n");
    fs::write(
        repo.path().join(format!("cases/{case}.yaml")),
        without_reason,
    )
    .unwrap();
    let stderr = check_fails(repo.path());
    assert!(
        stderr.contains("error[departure-without-reason]"),
        "{stderr}"
    );
}

#[test]
fn an_update_gives_its_news_then_each_revised_finding_old_and_new() {
    let repo = bundled_copy();
    for kind in ["employee-memo", "public-statement"] {
        let document = render(repo.path(), "northwind-patient-portal-breach-update", kind);
        let update = document
            .find("What we said on 20 March, and what we know now:")
            .unwrap_or(usize::MAX);
        let summary = document
            .find("The forensic investigation into the unauthorised access")
            .unwrap_or(usize::MAX);
        assert!(
            summary < update && update < usize::MAX,
            "{kind}: the news does not come before what it changes:\n{document}"
        );
        // What was said, in brief, and the new words beside it.
        assert!(
            document.contains("- We said that the portal records of 18,240 patients had been viewed, from on or about 14 February. We now know that the access began on 11 February."),
            "{kind}:\n{document}"
        );
        assert!(
            document.contains("We now know that the access began on 11 February. Whoever used the Calder support account searched the portal and opened the full portal records of 2,913 patients: name, date of birth, address, phone number, upcoming appointments and insurer."),
            "{kind}:\n{document}"
        );
    }
}

#[test]
fn month_and_approximate_dates_read_naturally_in_every_document() {
    let repo = bundled_copy();
    let case = "northwind-patient-portal-breach-update";
    for kind in ["employee-memo", "public-statement"] {
        let document = render(repo.path(), case, kind);
        assert!(
            document.contains("In April,"),
            "{kind}: no month-precision date:\n{document}"
        );
        assert!(
            document.contains("in or around")
                || document.contains("In or around")
                || document.contains("on or about"),
            "{kind}: no approximate date:\n{document}"
        );
    }
}

#[test]
fn a_revision_without_said_quotes_what_was_said_whole() {
    let repo = bundled_copy();
    edit(
        repo.path(),
        "cases/northwind-patient-portal-breach-update.yaml",
        "    said: the portal records of 18,240 patients had been viewed, from on or about 14 February\n",
        "",
    );
    let document = render(
        repo.path(),
        "northwind-patient-portal-breach-update",
        "public-statement",
    );
    assert!(
        document.contains("- We said: “The access began on or about 14 February and used a Calder Billing Services support account, whose password had been stolen from a Calder employee.”"),
        "{document}"
    );
}

#[test]
fn said_without_revises_is_an_error_at_the_finding() {
    let repo = bundled_copy();
    edit(
        repo.path(),
        "cases/northwind-patient-portal-breach-update.yaml",
        "    revises: unauthorised-access\n",
        "",
    );
    let stderr = check_fails(repo.path());
    assert!(
        stderr.contains("error[invalid-value]: finding `records-opened` says what was said before, but revises no finding"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "help: name the earlier finding it corrects with `revises:`, or remove `said:`"
        ),
        "{stderr}"
    );
}
