//! The two styles: documents as letters in prose by default, and the brief
//! with labels for legal review; both keep every citation guarantee.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use candor::{Document, Options, Outcome};

use common::{bundled_copy, bundled_repo, candor, edit, text, write_file};

fn build(root: &Path) -> Outcome {
    let outcome = candor::build(&[root.to_path_buf()], Options::default()).unwrap();
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    outcome
}

fn document<'a>(outcome: &'a Outcome, case: &str, kind: &str) -> &'a Document {
    outcome
        .documents
        .iter()
        .find(|d| d.case_id == case && d.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} for {case}"))
}

/// `P1`, `F12`, `A3` standing as words: a label a letter must not print.
fn label_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| {
            let mut chars = word.chars();
            matches!(chars.next(), Some('P' | 'F' | 'A'))
                && !chars.as_str().is_empty()
                && chars.all(|c| c.is_ascii_digit())
        })
        .map(str::to_owned)
        .collect()
}

/// The footnote definitions of a document: number → the source it names.
fn footnotes(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| line.starts_with("[^"))
        .map(str::to_owned)
        .collect()
}

fn with_brief_style(root: &Path) {
    edit(
        root,
        "candor.yaml",
        "\napprovals:",
        "\nstyle: brief\n\napprovals:",
    );
}

#[test]
fn letters_print_no_labels_and_no_justification_lines() {
    let outcome = build(&bundled_repo());
    for d in &outcome.documents {
        if !["employee-memo", "public-statement", "customer-notice"].contains(&d.kind.as_str()) {
            continue;
        }
        assert_eq!(
            label_tokens(&d.text),
            Vec::<String>::new(),
            "{}",
            d.path.display()
        );
        for form in [
            "rests on",
            "Why:",
            "resting on",
            "*Limits:*",
            "*Exception:*",
        ] {
            assert!(!d.text.contains(form), "{} says {form:?}", d.path.display());
        }
    }
}

#[test]
fn the_founding_memo_and_statement_state_each_item_in_the_same_words() {
    let outcome = build(&bundled_repo());
    let memo = document(&outcome, "imod-azure-services", "employee-memo");
    let statement = document(&outcome, "imod-azure-services", "public-statement");
    let case = fs::read_to_string(bundled_repo().join("cases/imod-azure-services.yaml")).unwrap();
    let statements = statements_of(&case);
    assert!(statements.len() >= 2, "{statements:?}");
    for words in &statements {
        assert!(memo.text.contains(words.as_str()), "memo lacks {words:?}");
        assert!(
            statement.text.contains(words.as_str()),
            "statement lacks {words:?}"
        );
    }
    // Footnotes name the same source under the same number.
    assert_eq!(footnotes(&memo.text), footnotes(&statement.text));
    assert!(!footnotes(&memo.text).is_empty());
    // Citations are recorded though no label is printed.
    for id in [
        "azure-storage-nl",
        "disable-subscriptions",
        "no-mass-surveillance",
    ] {
        assert!(memo.cited.contains(id), "memo did not cite {id}");
        assert!(statement.cited.contains(id), "statement did not cite {id}");
    }
}

/// The `statement:` of every finding and action of a case file, folded as
/// YAML folds `>-` text.
fn statements_of(case: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let lines: Vec<&str> = case.lines().collect();
    let mut section = "";
    for (i, line) in lines.iter().enumerate() {
        if !line.starts_with(' ') && line.ends_with(':') {
            section = line.trim_end_matches(':');
        }
        if !matches!(section, "findings" | "actions") {
            continue;
        }
        let Some(value) = line.trim_start().strip_prefix("statement:") else {
            continue;
        };
        let value = value.trim();
        if value == ">-" {
            let indent = lines[i + 1].len() - lines[i + 1].trim_start().len();
            let folded: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|l| l.len() - l.trim_start().len() >= indent && !l.trim().is_empty())
                .map(|l| l.trim())
                .collect();
            statements.push(folded.join(" "));
        } else {
            statements.push(value.to_owned());
        }
    }
    statements
}

#[test]
fn the_brief_style_prints_labels_again_and_the_trace_is_unchanged() {
    let letters = bundled_copy();
    let brief = bundled_copy();
    with_brief_style(brief.path());
    let outcome = build(brief.path());
    let memo = document(&outcome, "imod-azure-services", "employee-memo");
    assert!(
        memo.text
            .contains("- **F1.** This evidence includes information relating to IMOD's consumption of Azure storage capacity in the Netherlands and its use of AI services.[^1]"),
        "{}",
        memo.text
    );
    assert!(
        memo.text
            .contains("*Why:* P1 (No mass surveillance of civilians)"),
        "{}",
        memo.text
    );

    let trace = |root: &Path| {
        let output = candor(root)
            .args(["trace", "imod-azure-services", "--format", "json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
        text(&output.stdout)
    };
    assert_eq!(trace(letters.path()), trace(brief.path()));
}

#[test]
fn every_bundled_case_in_the_brief_style_matches_its_snapshot() {
    let repo = bundled_copy();
    with_brief_style(repo.path());
    let outcome = build(repo.path());
    let mut names = BTreeSet::new();
    for d in &outcome.documents {
        let name = format!("{}@{}", d.case_id, d.kind);
        insta::assert_snapshot!(name.clone(), d.text);
        names.insert(format!("letters__{name}.snap"));
    }
    let stale: Vec<String> = fs::read_dir(bundled_repo().join("tests/snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("letters__") && !names.contains(n))
        .collect();
    assert!(
        stale.is_empty(),
        "snapshots of documents no longer built: {stale:?}"
    );
}

#[test]
fn a_letter_that_leaves_out_a_public_action_fails_coverage() {
    let repo = bundled_copy();
    write_file(
        repo.path(),
        "templates/public-statement.md",
        "# {{ case.title }}\n\n{{ case.summary }}\n\n{% for f in findings %}{{ f.statement }}{{ cite(id=f.id, show=false) }} {% endfor %}\n",
    );
    let output = candor(repo.path()).args(["check"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report = text(&output.stderr);
    assert!(report.contains("error[coverage]"), "{report}");
    assert!(report.contains("disable-subscriptions"), "{report}");
}

#[test]
fn the_locale_decides_how_dates_are_written() {
    // The founding case's organisation writes American dates; without that
    // choice the repository's default is British.
    let repo = bundled_copy();
    edit(
        repo.path(),
        "candor.yaml",
        "  name: Microsoft\n  locale: en-US\n",
        "  name: Microsoft\n",
    );
    let outcome = build(repo.path());
    let memo = document(&outcome, "imod-azure-services", "employee-memo");
    assert!(
        memo.text.contains("**Date:** 25 September 2025"),
        "{}",
        memo.text
    );

    edit(
        repo.path(),
        "candor.yaml",
        "\napprovals:",
        "\nlocale: en-US\n\napprovals:",
    );
    let outcome = build(repo.path());
    let memo = document(&outcome, "imod-azure-services", "employee-memo");
    assert!(
        memo.text.contains("**Date:** September 25, 2025"),
        "{}",
        memo.text
    );
    assert!(
        memo.text.contains("On August 6, The Guardian reported"),
        "{}",
        memo.text
    );
    let other = document(&outcome, "commons-harassment-network", "public-statement");
    assert!(
        other.text.contains("*Commons Social · February 18, 2026*"),
        "{}",
        other.text
    );

    // The Form 8-K is written the American way whatever the repository says.
    let outcome = build(&bundled_repo());
    let filing = document(&outcome, "meridale-ransomware-attack", "sec-8k-item-1-05");
    assert!(filing.text.contains("January 11, 2026"), "{}", filing.text);
    let statement = document(&outcome, "commons-harassment-network", "public-statement");
    assert!(
        statement
            .text
            .contains("*Commons Social · 18 February 2026*"),
        "{}",
        statement.text
    );
}

#[test]
fn the_press_answers_hold_only_what_may_be_said_in_public() {
    let repo = bundled_copy();
    let internal_step = "Procurement will quietly review every government contract by March.";
    edit(
        repo.path(),
        "cases/imod-azure-services.yaml",
        "\ntimeline:",
        &format!("  - text: {internal_step}\n\ntimeline:"),
    );
    let outcome = build(repo.path());
    let qa = &document(&outcome, "imod-azure-services", "press-qa").text;
    let guidance = qa
        .find("## Internal guidance")
        .expect("an internal heading");
    let answers = &qa[..guidance];
    assert!(!answers.contains(internal_step), "{qa}");
    assert!(qa[guidance..].contains(internal_step), "{qa}");
    // The public next step is still answered.
    assert!(
        answers
            .contains("Our review continues, and we will share further findings as appropriate."),
        "{qa}"
    );
}

#[test]
fn a_case_without_a_review_or_a_bearing_says_nothing_of_them() {
    let repo = bundled_copy();
    let case = "cases/imod-azure-services.yaml";
    let text = fs::read_to_string(repo.path().join(case)).unwrap();
    let start = text.find("\nreview:\n").unwrap();
    let end = text.find("\nfindings:\n").unwrap();
    let without_review =
        format!("{}{}", &text[..start], &text[end..]).replace("    bearing: supports\n", "");
    fs::write(repo.path().join(case), without_review).unwrap();
    for style in ["letter", "brief"] {
        if style == "brief" {
            with_brief_style(repo.path());
        }
        let outcome = build(repo.path());
        for kind in ["employee-memo", "public-statement", "press-qa"] {
            let d = &document(&outcome, "imod-azure-services", kind).text;
            for words in [
                "How we reviewed it",
                "We opened a review",
                "How did you investigate?",
                "supports elements of the",
                "supports the",
                "bears out",
                "not yet determined",
                "The review is continuing",
            ] {
                assert!(!d.contains(words), "{style} {kind} says {words:?}:\n{d}");
            }
        }
    }
}

#[test]
fn a_review_without_the_author_s_summary_is_told_from_its_fields() {
    let repo = bundled_copy();
    edit(
        repo.path(),
        "cases/imod-azure-services.yaml",
        "  summary: >-\n    We opened a review that month, confined to our own business records,\n    including financial statements, internal documents, email and messages.\n",
        "",
    );
    let outcome = build(repo.path());
    let statement = &document(&outcome, "imod-azure-services", "public-statement").text;
    // What the review left alone is said with the review, once.
    assert!(
        statement.contains(
            "[^1] We opened a review that month. It examined only our own business records, including financial statements, internal documents, email and messages. It did not examine IMOD's customer content.\n"
        ),
        "{statement}"
    );
    assert_eq!(
        statement.matches("customer content").count(),
        1,
        "{statement}"
    );
    // The summary or not, the same items are cited.
    let bundled = build(&bundled_repo());
    let with_summary = document(&bundled, "imod-azure-services", "public-statement");
    assert_eq!(
        document(&outcome, "imod-azure-services", "public-statement").cited,
        with_summary.cited
    );
}

#[test]
fn an_empty_review_summary_is_an_error_where_it_is_written() {
    let repo = bundled_copy();
    edit(
        repo.path(),
        "cases/imod-azure-services.yaml",
        "  summary: >-\n    We opened a review that month, confined to our own business records,\n    including financial statements, internal documents, email and messages.\n",
        "  summary: \" \"\n",
    );
    let output = candor(repo.path()).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[missing-field]: `summary` is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cases/imod-azure-services.yaml:"),
        "{stderr}"
    );
}

#[test]
fn what_staff_may_say_is_the_last_of_their_questions() {
    let repo = bundled_copy();
    let outcome = build(repo.path());
    // A memo with no other question says it in a paragraph, under no
    // heading of one question.
    let imod = &document(&outcome, "imod-azure-services", "employee-memo").text;
    assert!(
        imod.contains("\n\nIf a customer, a partner or a friend asks you about this, you can say:\n\n- We have disabled"),
        "{imod}"
    );
    assert!(!imod.contains("question you may have"), "{imod}");
    assert!(!imod.contains("If you are asked about this"), "{imod}");
    // After the others, before whom to ask.
    let meridale = &document(&outcome, "meridale-ransomware-attack", "employee-memo").text;
    let asked = meridale.find(
        "**What can I say if a customer, a supplier, a friend or a neighbor asks me about this?**",
    );
    assert!(
        meridale.find("**May I buy or sell Meridale shares?**") < asked,
        "{meridale}"
    );
    assert!(asked < meridale.find("## Whom to ask"), "{meridale}");
    // Whom to, when the case does not say.
    edit(
        repo.path(),
        "cases/imod-azure-services.yaml",
        "talking_points_to: a customer, a partner or a friend\n",
        "",
    );
    let outcome = build(repo.path());
    let imod = &document(&outcome, "imod-azure-services", "employee-memo").text;
    assert!(
        imod.contains("\n\nIf someone outside the company asks you about this, you can say:\n"),
        "{imod}"
    );
}

#[test]
fn what_the_review_made_of_a_source_is_said_in_the_author_s_words() {
    let repo = bundled_copy();
    let statement = |root: &Path| {
        document(
            &build(root),
            "commons-harassment-network",
            "public-statement",
        )
        .text
        .clone()
    };
    let told = statement(repo.path());
    assert!(
        told.contains("\n\nOur review confirmed what the Open Web Safety Lab's research found about how the network worked. Between October 2025"),
        "{told}"
    );
    assert!(!told.contains("but not all of it"), "{told}");
    // Without the author's words, the findings' bearings give the sentence.
    let verdict = "    verdict: >-\n      Our review confirmed what the Open Web Safety Lab's research found\n      about how the network worked.\n";
    edit(
        repo.path(),
        "cases/commons-harassment-network.yaml",
        verdict,
        "",
    );
    let built = statement(repo.path());
    assert!(
        built.contains("\n\nOur review confirmed parts of the research by the Open Web Safety Lab, but not all of it. Between October 2025"),
        "{built}"
    );
    // An empty verdict is an error where it is written.
    edit(
        repo.path(),
        "cases/commons-harassment-network.yaml",
        "    visibility: public\n\nreview:",
        "    verdict: \"\"\n    visibility: public\n\nreview:",
    );
    let output = candor(repo.path()).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[missing-field]: `verdict` is empty"),
        "{stderr}"
    );
}

#[test]
fn letters_say_what_real_communications_say_in_their_place() {
    let outcome = build(&bundled_repo());
    let text = |case: &str, kind: &str| document(&outcome, case, kind).text.clone();

    // The review in the author's words, in place of the sentences built
    // from its fields; the principle that kept it from customer content is
    // stated with the others.
    let statement = text("imod-azure-services", "public-statement");
    assert!(
        statement.contains(
            "[^1] We opened a review that month, confined to our own business records, including financial statements, internal documents, email and messages.\n"
        ),
        "{statement}"
    );
    assert!(!statement.contains("It did not examine"), "{statement}");
    assert!(
        statement.contains(
            "in this type of investigation. This principle is set out in our privacy commitments to customers.\n"
        ),
        "{statement}"
    );

    // A demand refused is refused plainly; the signer speaks in their own
    // voice rather than quoting themselves.
    let meridale = text("meridale-ransomware-attack", "public-statement");
    assert!(
        meridale.contains("\nWe will not pay the attackers for a decryption key, or to keep them from publishing the files they copied. Paying would fund further crime"),
        "{meridale}"
    );
    assert!(
        meridale.contains(
            "\nWe are sorry for the disruption this has caused our customers, and for the worry"
        ),
        "{meridale}"
    );
    assert!(!meridale.contains("— Karen Whitfield"), "{meridale}");

    // An update does not restate the principles it set out before; a memo
    // sent before the statement says when its lines may be used.
    let update = text("northwind-patient-portal-breach-update", "public-statement");
    // The principles new in the update are stated once, together, before
    // what was decided, led in by the case's own words; the exception
    // names the one it departs from.
    assert!(
        update.contains("\nIn deciding whether to keep Calder, we had to weigh two of our standards against each other. Every vendor that handles patient information on our behalf must meet our security standard. Changes to how we run our services must not interrupt or delay the care patients are receiving.\n"),
        "{update}"
    );
    assert!(
        update.contains("This is an exception to our vendor security standard, which still stands. Unlike the exception that let the stolen password through"),
        "{update}"
    );
    assert!(
        !update.contains("Information patients entrust to us must be protected"),
        "{update}"
    );
    let memo = text("northwind-patient-portal-breach-update", "employee-memo");
    assert!(
        memo.contains("\n**What can I say if a patient or anyone else outside Northwind asks me about this?**  \nOnce our statement is published on 30 April, you can say:\n\n- "),
        "{memo}"
    );

    // A source that is not a publication is told, not footnoted; CommonMark
    // needs no escape for `$` or a `#` inside a line.
    let commons = text("commons-harassment-network", "employee-memo");
    assert!(
        commons.contains("the #ts-investigations channel in team chat"),
        "{commons}"
    );
    assert!(!commons.contains("\\#"), "{commons}");
}

#[test]
fn a_document_states_only_what_was_true_on_its_own_date() {
    // The notice to the authority, dated 4 March, was sent before the
    // patients' letters of 20 March: it gives them as proposed.
    let outcome = build(&bundled_repo());
    let notice = &document(
        &outcome,
        "northwind-patient-portal-breach",
        "gdpr-art33-notice",
    )
    .text;
    assert!(
        notice.contains("offer two years of identity monitoring at no cost. A dedicated helpline is open seven days a week. *(Proposed, on 20 March 2026.)*"),
        "{notice}"
    );

    // A memo dated before a principle was adopted cannot rest on it.
    let repo = bundled_copy();
    edit(
        repo.path(),
        "cases/commons-harassment-network.yaml",
        "  - kind: employee-memo\n",
        "  - kind: employee-memo\n    date: 2022-01-10\n",
    );
    let output = candor(repo.path()).args(["check"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report = text(&output.stderr);
    assert!(
        report.contains(
            "error[date-order]: principle `no-coordinated-harassment` is held since March 2022, after the employee-memo is dated (10 January 2022)"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "error[date-order]: source `guild-open-letter` is dated 12 January 2026, after the employee-memo is dated (10 January 2022), which cites it"
        ),
        "{report}"
    );
}

#[test]
fn the_facts_come_before_the_principles_and_a_review_s_limits_stay_with_it() {
    let outcome = build(&bundled_repo());
    let paragraphs = |case: &str| -> Vec<String> {
        document(&outcome, case, "public-statement")
            .text
            .split("\n\n")
            .map(str::to_owned)
            .collect()
    };
    let starting = |paragraphs: &[String], start: &str| {
        paragraphs
            .iter()
            .position(|p| p.starts_with(start))
            .unwrap_or_else(|| panic!("no paragraph starts {start:?}:\n{paragraphs:#?}"))
    };

    // What prompted the review comes before the principles that guided it.
    let imod = paragraphs("imod-azure-services");
    assert!(
        starting(&imod, "On August 6, The Guardian reported")
            < starting(&imod, "Two principles guided our review and our decision."),
        "{imod:#?}"
    );

    // After two sources the review starts a paragraph of its own, with what
    // it left alone; three principles or more are stated once, together,
    // between what was found and what was decided on them;
    // and no principle is said again before an action resting on it.
    let northwind = paragraphs("northwind-patient-portal-breach");
    let review = starting(
        &northwind,
        "On 2 March, our information security team opened an investigation",
    );
    // The case's own words lead into them.
    let principles = starting(
        &northwind,
        "What we did next was guided by three commitments to our patients. Information patients entrust to us must be protected",
    );
    let found = starting(&northwind, "The access began on or about 14 February");
    assert_eq!(found, review + 1, "{northwind:#?}");
    assert!(
        northwind[review].contains(
            "the text messages 41 patients have forwarded to us or to the Commission. The investigation continues."
        ),
        "{northwind:#?}"
    );
    assert!(
        northwind[principles].contains(
            " Staff and vendors may look at patient information only when their work requires it, and only as much of it as that work requires. When patient information is exposed, "
        ),
        "{northwind:#?}"
    );
    // An action whose words say when it takes effect gets no date added.
    let console = starting(
        &northwind,
        "By June, we will change the vendor support console",
    );
    assert!(
        !northwind[console].contains("This takes effect"),
        "{northwind:#?}"
    );
    let closed = starting(&northwind, "We disabled the Calder support account");
    let viewed = starting(&northwind, "We have not been able to establish whether");
    assert!(
        viewed < principles && principles < closed && closed < console,
        "{northwind:#?}"
    );
    let stated = |p: &String| {
        p.contains("patients entrust to us") || p.contains("Staff and vendors may look")
    };
    assert_eq!(
        northwind.iter().filter(|p| stated(p)).count(),
        1,
        "{northwind:#?}"
    );

    // An update whose review was announced before leaves its end to the news,
    // and opens what it changes without restating that it changes something.
    let update = document(
        &outcome,
        "northwind-patient-portal-breach-update",
        "public-statement",
    )
    .text
    .clone();
    assert!(!update.contains("The review is now complete."), "{update}");
    assert!(
        update.contains("\nWhat we said on 20 March, and what we know now:\n\n- We said that"),
        "{update}"
    );
}

#[test]
fn the_memo_ends_with_the_public_statement_as_published() {
    let outcome = build(&bundled_repo());
    for case in [
        "imod-azure-services",
        "commons-harassment-network",
        "meridale-ransomware-attack",
        "northwind-patient-portal-breach",
        "northwind-patient-portal-breach-update",
    ] {
        let statement = &document(&outcome, case, "public-statement").text;
        let memo = &document(&outcome, case, "employee-memo").text;
        // The statement from its first paragraph to its signature, without
        // its heading and date line or its footnotes.
        let body_start = statement.find("*\n\n").map(|i| i + 3).expect("a date line");
        let body_end = statement.find("\n\n[^1]:").unwrap_or(statement.len());
        let body = statement[body_start..body_end].trim();
        assert!(
            memo.contains(body),
            "{case}: the memo does not hold the statement\n--- statement:\n{body}\n--- memo:\n{memo}"
        );
        let heading = memo.find("\n## The statement we ").expect("its heading");
        assert!(memo.find(body).unwrap_or(0) > heading, "{case}:\n{memo}");
    }
    let update = &document(
        &outcome,
        "northwind-patient-portal-breach-update",
        "employee-memo",
    )
    .text;
    // Sent on 29 April by the security officer, it ends with the statement
    // the chief executive will sign the next day.
    assert!(
        update.contains("Lena Marsh  \nChief Information Security Officer, Northwind Health\n\n## The statement we will publish on 30 April\n"),
        "{update}"
    );
    assert!(
        update.contains("Dana Okafor  \nChief Executive Officer, Northwind Health"),
        "{update}"
    );
    // Sent the day before, it says once, before anything staff must not
    // repeat, when its story may be told; the statement's heading says
    // where the published text is.
    let embargo = "*Please do not share any of this before we publish our statement on 30 April.*";
    assert_eq!(update.matches(embargo).count(), 1, "{update}");
    assert!(
        update.find(embargo) < update.find("## Not for sharing outside Northwind Health"),
        "{update}"
    );
    assert!(!update.contains("at the end of this message"), "{update}");

    // What the sender said for the record is said once, in the statement,
    // not again in the memo above it.
    let commons = &document(&outcome, "commons-harassment-network", "employee-memo").text;
    let quote = "Reporting on a financial scheme should not mean facing an organised crowd";
    assert_eq!(commons.matches(quote).count(), 1, "{commons}");
    let heading = commons.find("\n## The statement we ").expect("its heading");
    assert!(
        commons.find(quote).is_some_and(|at| at > heading),
        "{commons}"
    );

    // The steps lead in with the case's words when it has them.
    let meridale = &document(&outcome, "meridale-ransomware-attack", "public-statement").text;
    assert!(
        meridale.contains("\nIf you are a Meridale customer:\n"),
        "{meridale}"
    );
    assert!(!meridale.contains("If you are affected"), "{meridale}");
}

#[test]
fn a_letter_footnotes_only_what_a_reader_can_read_and_dates_no_principle() {
    let outcome = build(&bundled_repo());
    // The regulator's letter to Northwind was never published: it is told,
    // with no footnote pointing at it.
    let northwind = &document(
        &outcome,
        "northwind-patient-portal-breach",
        "public-statement",
    )
    .text;
    assert!(
        northwind.contains("The Health Information Privacy Commission opened an inquiry on 27 February: the Commission had received complaints"),
        "{northwind}"
    );
    assert_eq!(footnotes(northwind), Vec::<String>::new(), "{northwind}");
    // A principle held "since May 2019" under a named policy is stated
    // without its provenance; one held, in the author's words, "in every
    // country for more than two decades" keeps it.
    let update = &document(
        &outcome,
        "northwind-patient-portal-breach-update",
        "public-statement",
    )
    .text;
    assert!(
        !update.contains("We have held to this principle"),
        "{update}"
    );
    let imod = &document(&outcome, "imod-azure-services", "public-statement").text;
    assert!(
        imod.contains("We have held to this principle in every country for more than two decades, and it is set out in our standard terms of service"),
        "{imod}"
    );
}

#[test]
fn a_memo_with_news_of_its_own_tells_it_and_the_statement_keeps_the_case_s() {
    let outcome = build(&bundled_repo());
    let case = "northwind-patient-portal-breach-update";
    let memo = &document(&outcome, case, "employee-memo").text;
    let statement = &document(&outcome, case, "public-statement").text;
    let own = "The forensic investigation is complete. It found that the full records of 2,913 patients were opened";
    let public = "The forensic investigation into the unauthorised access to our patient portal is complete. It found that information was copied from the portal";
    let heading = memo
        .find("\n## The statement we will publish on 30 April\n")
        .expect("the statement");
    // The memo's news is its own, before the statement it ends with; the
    // statement, standing alone or inside the memo, tells the case's.
    assert!(memo.find(own).is_some_and(|at| at < heading), "{memo}");
    assert!(memo.find(public).is_some_and(|at| at > heading), "{memo}");
    assert!(
        statement.contains(public) && !statement.contains(own),
        "{statement}"
    );
}

#[test]
fn three_principles_or_more_precede_what_was_decided_led_in_by_the_case_or_a_plain_sentence() {
    let repo = bundled_copy();
    let case = "cases/northwind-patient-portal-breach.yaml";
    let statement = |root: &Path| {
        document(
            &build(root),
            "northwind-patient-portal-breach",
            "public-statement",
        )
        .text
        .clone()
    };
    let led = statement(repo.path());
    assert!(
        led.contains("\n\nWhat we did next was guided by three commitments to our patients. Information patients entrust to us must be protected"),
        "{led}"
    );
    assert!(
        !led.contains("These decisions rest on principles we hold."),
        "{led}"
    );
    // Without the case's words, a plain sentence leads in, before the
    // actions.
    let text = fs::read_to_string(repo.path().join(case)).unwrap();
    let start = text.find("  - id: three-commitments\n").unwrap();
    let end = start + text[start..].find("    visibility: public\n").unwrap() + 23;
    fs::write(
        repo.path().join(case),
        format!("{}{}", &text[..start], &text[end..]),
    )
    .unwrap();
    let plain = statement(repo.path());
    let lead = plain
        .find("\n\nThese decisions rest on principles we hold. Information patients entrust to us")
        .expect("the plain lead-in");
    assert!(
        plain.find("We disabled the Calder support account") > Some(lead),
        "{plain}"
    );
}
