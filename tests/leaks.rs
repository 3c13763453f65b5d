//! Guarantee 2, no leaks: a public document is rendered from a projection
//! that holds only public items, so nothing internal reaches it, whatever
//! the template tries.
//!
//! The fixture `tests/fixtures/leaky` has one case, `mixed`, with an internal
//! and a public item of every kind. Every internal text and id holds the
//! token `7f3a`; no public one does. Internal items come first in each list.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;

use candor::{Options, Outcome};

use common::{candor, copy_of_fixture, fixture, repo_with, write_file};

/// In every internal text, id and name, and in nothing public.
const TOKEN: &str = "7f3a";

/// One marker per kind of internal item, to say which one leaked.
const INTERNAL: &[(&str, &str)] = &[
    ("finding", "INTERNAL-MARKER-7f3a"),
    ("finding evidence", "INTERNAL-FINDING-EVIDENCE-7f3a"),
    ("source claim", "INTERNAL-SOURCE-CLAIM-7f3a"),
    ("source publisher", "INTERNAL-SOURCE-PUBLISHER-7f3a"),
    ("source title", "INTERNAL-SOURCE-TITLE-7f3a"),
    ("source url", "https://internal.example/7f3a"),
    ("library principle title", "INTERNAL-PRINCIPLE-TITLE-7f3a"),
    (
        "library principle statement",
        "INTERNAL-PRINCIPLE-STATEMENT-7f3a",
    ),
    ("library principle basis", "INTERNAL-PRINCIPLE-BASIS-7f3a"),
    ("inline principle title", "INLINE-PRINCIPLE-TITLE-7f3a"),
    (
        "inline principle statement",
        "INLINE-PRINCIPLE-STATEMENT-7f3a",
    ),
    ("examined", "INTERNAL-EXAMINED-7f3a"),
    ("not examined", "INTERNAL-NOT-EXAMINED-7f3a"),
    ("action", "INTERNAL-ACTION-7f3a"),
    ("acknowledgement", "INTERNAL-THANKS-7f3a"),
    ("next step", "INTERNAL-NEXT-STEP-7f3a"),
    ("timeline event", "INTERNAL-EVENT-7f3a"),
    ("quote", "INTERNAL-QUOTE-7f3a"),
    ("quoted person", "Ivan Internal-7f3a"),
    ("talking point", "INTERNAL-TALKING-POINT-7f3a"),
    ("faq question", "INTERNAL-FAQ-QUESTION-7f3a"),
    ("faq answer", "INTERNAL-FAQ-ANSWER-7f3a"),
    ("contact topic", "INTERNAL-CONTACT-TOPIC-7f3a"),
    ("contact name", "INTERNAL-CONTACT-NAME-7f3a"),
    ("contact reach", "INTERNAL-CONTACT-REACH-7f3a"),
];

/// The internal ids, which only a template printing ids could show.
const INTERNAL_IDS: &[&str] = &[
    "internal-finding-7f3a",
    "internal-source-7f3a",
    "internal-principle-7f3a",
    "inline-internal-7f3a",
    "internal-action-7f3a",
    "internal-quote-7f3a",
];

/// Public texts the built-in public statement prints.
const PUBLIC: &[&str] = &[
    "PUBLIC-TITLE",
    "PUBLIC-SUMMARY.",
    "PUBLIC-PRINCIPLE-STATEMENT.",
    "PUBLIC-SOURCE-CLAIM.",
    "PUBLIC-EXAMINED",
    "PUBLIC-NOT-EXAMINED",
    "PUBLIC-FINDING.",
    "PUBLIC-ACTION.",
    "PUBLIC-QUOTE.",
    "PUBLIC-THANKS.",
    "PUBLIC-THANKS-TO-INTERNAL-SOURCE.",
    "PUBLIC-NEXT-STEP.",
];

fn build(repo: &std::path::Path) -> Outcome {
    let outcome = candor::build(&[repo.to_path_buf()], Options::default()).unwrap();
    assert!(
        !outcome.has_errors(),
        "the build found errors: {:#?}",
        outcome.diagnostics
    );
    outcome
}

fn document<'a>(outcome: &'a Outcome, case: &str, kind: &str) -> &'a str {
    &outcome
        .documents
        .iter()
        .find(|d| d.case_id == case && d.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} for {case}"))
        .text
}

/// Fails naming every internal item found in `text`.
fn assert_nothing_internal(text: &str) {
    let leaked: Vec<&str> = INTERNAL
        .iter()
        .filter(|(_, marker)| text.contains(marker))
        .map(|(what, _)| *what)
        .chain(INTERNAL_IDS.iter().copied().filter(|id| text.contains(id)))
        .collect();
    assert!(
        leaked.is_empty(),
        "internal items reached a public document: {leaked:?}\n\n{text}"
    );
    assert!(
        !text.contains(TOKEN),
        "internal text reached a public document:\n\n{text}"
    );
}

#[test]
fn the_public_statement_holds_no_internal_item() {
    let outcome = build(&fixture("leaky"));
    let statement = document(&outcome, "mixed", "public-statement");
    assert_nothing_internal(statement);
    for public in PUBLIC {
        assert!(
            statement.contains(public),
            "the public statement lost the public {public}:\n\n{statement}"
        );
    }
}

#[test]
fn the_employee_memo_holds_the_internal_items() {
    let outcome = build(&fixture("leaky"));
    let memo = document(&outcome, "mixed", "employee-memo");
    for marker in [
        "INTERNAL-MARKER-7f3a",
        "INTERNAL-SOURCE-CLAIM-7f3a",
        "INTERNAL-ACTION-7f3a",
        "INTERNAL-PRINCIPLE-STATEMENT-7f3a",
        "INLINE-PRINCIPLE-STATEMENT-7f3a",
        "INTERNAL-TALKING-POINT-7f3a",
        "INTERNAL-FAQ-QUESTION-7f3a",
        "INTERNAL-FAQ-ANSWER-7f3a",
        "INTERNAL-CONTACT-NAME-7f3a",
    ] {
        assert!(memo.contains(marker), "the memo lacks {marker}:\n\n{memo}");
    }
    for public in PUBLIC {
        assert!(memo.contains(public), "the memo lacks {public}:\n\n{memo}");
    }
}

/// Public items are labelled first, so the public statement shows no gaps
/// where internal items were taken out, and both documents give a public
/// item the same label even though the internal one is written first.
#[test]
fn public_labels_and_footnotes_have_no_gaps_and_match_the_memo() {
    let outcome = build(&fixture("leaky"));
    let statement = document(&outcome, "mixed", "public-statement");
    let memo = document(&outcome, "mixed", "employee-memo");

    for both in [statement, memo] {
        assert!(both.contains("- **F1.** PUBLIC-FINDING.[^1]"), "{both}");
        assert!(both.contains("- **A1.** PUBLIC-ACTION."), "{both}");
        assert!(
            both.contains("- **P1 · PUBLIC-PRINCIPLE-TITLE.** PUBLIC-PRINCIPLE-STATEMENT."),
            "{both}"
        );
        assert!(
            both.contains("\n[^1]: PUBLIC-PUBLISHER, “PUBLIC-SOURCE-TITLE”, 15 April 2025."),
            "{both}"
        );
    }
    // The memo marks what is internal, for employees who quote from it.
    assert!(
        memo.contains("- **F2.** *(Internal.)* INTERNAL-MARKER-7f3a"),
        "{memo}"
    );
    assert!(
        memo.contains("- **A2.** *(Internal.)* INTERNAL-ACTION-7f3a."),
        "{memo}"
    );
    for absent in ["F2", "A2", "P2", "P3", "[^2]"] {
        assert!(
            !statement.contains(absent),
            "the public statement mentions {absent}:\n\n{statement}"
        );
    }
    // The public action cites only what the public may see.
    assert!(
        statement.contains("This rests on P1 (PUBLIC-PRINCIPLE-TITLE), and on finding F1."),
        "{statement}"
    );
}

/// Prints everything a template can reach: every field of every list, and
/// the whole memo template rendered with the public view. (`__tera_context`
/// itself is refused in user templates: see `documents.rs`.)
const DUMP_TEMPLATE: &str = r#"# Everything I can see

{{ audience }} {{ organisation.name }} {{ document.kind }} {{ document.title }}
{{ case.id }} {{ case.title }} {{ case.status }} {{ case.summary }} {{ case.date.iso }}
{% if spokesperson %}{{ spokesperson.name }} {{ spokesperson.title }}{% endif %}
{% for p in principles %}{{ p.id }} {{ p.label }} {{ p.title }} {{ p.statement }} {{ p.basis }} {{ p.since }}
{% endfor %}
{% for s in sources %}{{ s.id }} {{ s.footnote }} {{ s.kind }} {{ s.publisher }} {{ s.title }} {{ s.url }} {{ s.claim }}
{% endfor %}
{% if review %}{{ review.conducted_by }} {{ review.state }}
{% for e in review.examined %}{{ e }}
{% endfor %}{% for e in review.not_examined %}{{ e.what }} {{ e.principle }}
{% endfor %}{% endif %}
{% for f in findings %}{{ f.id }} {{ f.label }} {{ f.statement }} {{ f.bearing }} {{ f.evidence }}{% for s in f.sources %} {{ s.id }} {{ s.publisher }}{% endfor %}
{% endfor %}
{% for a in actions %}{{ a.id }} {{ a.label }} {{ a.statement }}{% for p in a.principles %} {{ p.id }} {{ p.name }}{% endfor %}{% for f in a.findings %} {{ f.id }}{% endfor %}
{% endfor %}
{% for a in acknowledgements %}{{ a.text }} {{ a.source }}
{% endfor %}
{% for n in next_steps %}{{ n.text }} {{ n.date }}
{% endfor %}
{% for t in timeline %}{{ t.date.text }} {{ t.event }}
{% endfor %}
{% for q in quotes %}{{ q.id }} {{ q.text }} {{ q.by }} {{ q.by_title }}
{% endfor %}
{% for t in talking_points %}{{ t }}
{% endfor %}
{% for q in faq %}{{ q.question }} {{ q.answer }}
{% endfor %}
{% for c in contacts %}{{ c.topic }} {{ c.name }} {{ c.reach }}
{% endfor %}

{% include "builtin/employee-memo.md" %}

{% for a in actions %}{{ cite(id=a.id) }}{% for p in a.principles %} {{ cite(id=p.id) }}{% endfor %}{% for f in a.findings %} {{ cite(id=f.id) }}{% endfor %}
{% endfor %}
{% for f in findings %}{{ cite(id=f.id) }}{% for s in f.sources %} {{ cite(id=s.id) }}{% endfor %}
{% endfor %}
{% for p in principles %}{{ cite(id=p.id) }} {% endfor %}
{% for s in sources %}{{ cite(id=s.id) }} {% endfor %}
{{ footnotes() }}
"#;

#[test]
fn a_user_template_that_dumps_everything_it_can_see_finds_nothing_internal() {
    let repo = copy_of_fixture("leaky");
    write_file(repo.path(), "templates/public-statement.md", DUMP_TEMPLATE);

    candor(repo.path()).arg("build").assert().code(0);
    let statement = fs::read_to_string(repo.path().join("out/mixed/public-statement.md")).unwrap();
    // The dump worked: it shows public fields no built-in template prints.
    for shown in [
        "PUBLIC-FINDING-EVIDENCE.",
        "PUBLIC-EVENT.",
        "All Example Corp employees",
    ] {
        assert!(
            statement.contains(shown),
            "the dump lacks {shown}:\n\n{statement}"
        );
    }
    assert_nothing_internal(&statement);

    // The same template, used for the memo, does see the internal items:
    // the markers are reachable, only not from a public document.
    write_file(repo.path(), "templates/employee-memo.md", DUMP_TEMPLATE);
    candor(repo.path()).arg("build").assert().code(0);
    let memo = fs::read_to_string(repo.path().join("out/mixed/employee-memo.md")).unwrap();
    for (what, marker) in INTERNAL {
        assert!(memo.contains(marker), "the memo dump lacks the {what}");
    }
    for id in INTERNAL_IDS {
        assert!(memo.contains(id), "the memo dump lacks the id {id}");
    }
}

/// Guarantee 2: "A public action whose only justifying findings are
/// internal is an error: it would be unjustified in public."
#[test]
fn a_public_action_justified_only_by_internal_findings_is_an_error() {
    let repo = repo_with(&[(
        "cases/suspension.yaml",
        "\
id: suspension
title: Suspending an account
date: 2025-06-02
summary: We suspended an account.
principles:
  - id: safety
    title: Safety
    statement: We keep our users safe.
    visibility: public
findings:
  - id: confidential
    statement: The confidential evidence showed abuse.
    evidence: A confidential report.
actions:
  - id: suspend
    statement: We suspended the account.
    principles: [safety]
    findings: [confidential]
    visibility: public
",
    )]);
    let outcome = candor::build(&[repo.path().to_path_buf()], Options::default()).unwrap();
    let errors: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = errors[0];
    assert_eq!(error.code.as_str(), "unjustified-in-public");
    assert_eq!(error.id.as_deref(), Some("suspend"));
    assert_eq!(error.line, Some(15));
    assert!(outcome.documents.is_empty());
    candor(repo.path())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "error[unjustified-in-public]: public action `suspend` is justified only by \
             internal findings",
        ));
    assert!(!repo.path().join("out").exists());
}

/// Guarantee 2: "After rendering, internal texts are searched for in public
/// output as a second line of defence." A template cannot reach internal
/// items, but its author can paste internal words into it.
#[test]
fn internal_text_written_into_a_public_template_is_caught() {
    let repo = copy_of_fixture("leaky");
    let template = fs::read_to_string(bundled_templates().join("public-statement.md"))
        .unwrap()
        .replace(
            "{{ document.summary }}",
            "{{ document.summary }} As our review found: INTERNAL-MARKER-7f3a",
        );
    assert!(template.contains("INTERNAL-MARKER-7f3a"));
    write_file(repo.path(), "templates/public-statement.md", &template);

    let output = candor(repo.path())
        .args(["build", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let leak: serde_json::Value = stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|d| d["code"] == "leak")
        .unwrap_or_else(|| panic!("no leak reported:\n{stdout}"));
    assert_eq!(leak["severity"], "error");
    assert_eq!(leak["file"], "cases/mixed.yaml");
    assert_eq!(leak["id"], "internal-finding-7f3a");
    assert_eq!(
        leak["message"],
        "mixed/public-statement.md contains internal text from finding `internal-finding-7f3a`"
    );
    // It points at the internal finding.
    let case = fs::read_to_string(repo.path().join("cases/mixed.yaml")).unwrap();
    let line = case
        .lines()
        .position(|l| l == "  - id: internal-finding-7f3a")
        .unwrap()
        + 1;
    assert_eq!(leak["line"], line);
    assert_eq!(leak["column"], 9);
    assert!(!repo.path().join("out").exists(), "the leak was written");
}

/// An internal text that the case also says in public is no secret: the
/// public statement prints the public action, and an internal finding's
/// evidence repeats it word for word.
#[test]
fn internal_words_the_case_also_says_in_public_are_no_leak() {
    let repo = copy_of_fixture("leaky");
    let file = repo.path().join("cases/mixed.yaml");
    let case = fs::read_to_string(&file).unwrap();
    let evidence = "    evidence: INTERNAL-FINDING-EVIDENCE-7f3a";
    assert!(case.contains(evidence));
    fs::write(
        &file,
        case.replace(evidence, "    evidence: PUBLIC-ACTION."),
    )
    .unwrap();

    let outcome = build(repo.path());
    assert!(document(&outcome, "mixed", "public-statement").contains("PUBLIC-ACTION."));
}

/// `cite()` knows only what the audience may see: a public template that
/// names an internal item fails instead of printing its label.
#[test]
fn a_public_template_cannot_cite_an_internal_item() {
    let repo = copy_of_fixture("leaky");
    let template = fs::read_to_string(bundled_templates().join("public-statement.md"))
        .unwrap()
        .replace(
            "{{ document.summary }}",
            "{{ document.summary }} See {{ cite(id=\"internal-finding-7f3a\") }}.",
        );
    write_file(repo.path(), "templates/public-statement.md", &template);

    let output = candor(repo.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("error[template-render]: "), "{stderr}");
    assert!(
        stderr.contains("no item with the id `internal-finding-7f3a`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(" --> templates/public-statement.md:"),
        "{stderr}"
    );
    assert!(!stderr.contains("INTERNAL-MARKER"), "{stderr}");
    assert!(!repo.path().join("out").exists());
}

fn bundled_templates() -> std::path::PathBuf {
    common::bundled_repo().join("templates")
}
