//! Word documents: `build --docx` writes a .docx beside every markdown
//! document, deterministic to the byte and covered by the manifest, with
//! real Word footnotes, the title and organisation in its properties and
//! the draft state in its footer.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use common::{bundled_copy, candor, text};

/// One part of a .docx, as text.
fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut entry = archive.by_name(name).unwrap();
    let mut xml = String::new();
    entry.read_to_string(&mut xml).unwrap();
    xml
}

/// Every file under `dir` whose name ends with `extension`, sorted.
fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for case in fs::read_dir(dir).unwrap() {
        let case = case.unwrap().path();
        if !case.is_dir() {
            continue;
        }
        for file in fs::read_dir(&case).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == extension) {
                found.push(file);
            }
        }
    }
    found.sort();
    found
}

fn build(root: &Path, out: &Path) {
    let output = candor(root)
        .arg("build")
        .arg(root)
        .arg("--docx")
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[test]
fn every_markdown_document_gets_a_word_document_the_same_bytes_every_build() {
    let repo = bundled_copy();
    let (first, second) = (repo.path().join("out1"), repo.path().join("out2"));
    build(repo.path(), &first);
    build(repo.path(), &second);
    let markdown = files(&first, "md");
    let word = files(&first, "docx");
    assert!(!markdown.is_empty());
    assert_eq!(
        word,
        markdown
            .iter()
            .map(|m| m.with_extension("docx"))
            .collect::<Vec<_>>(),
        "one .docx per markdown document, and only those"
    );
    for file in &word {
        let again = second.join(file.strip_prefix(&first).unwrap());
        assert!(
            fs::read(file).unwrap() == fs::read(&again).unwrap(),
            "{} differs between two builds",
            file.display()
        );
    }
    // The manifest vouches for them like for every other file.
    let manifest = fs::read_to_string(first.join("manifest.json")).unwrap();
    for file in &word {
        let relative = file
            .strip_prefix(&first)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(manifest.contains(&format!("\"{relative}\"")), "{relative}");
    }
}

#[test]
fn check_and_incremental_builds_cover_word_documents() {
    let repo = bundled_copy();
    let out = repo.path().join("out");
    build(repo.path(), &out);
    let check = |expected: i32| {
        let output = candor(repo.path())
            .arg("build")
            .arg(repo.path())
            .args(["--docx", "--check", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(expected),
            "{}",
            text(&output.stderr)
        );
        text(&output.stderr) + &text(&output.stdout)
    };
    check(0);
    let memo = out.join("imod-azure-services/employee-memo.docx");
    let bytes = fs::read(&memo).unwrap();
    fs::write(&memo, b"not a word document").unwrap();
    let said = check(1);
    assert!(
        said.contains("imod-azure-services/employee-memo.docx"),
        "{said}"
    );
    // The next build writes that file again, and only that one.
    let output = candor(repo.path())
        .arg("build")
        .arg(repo.path())
        .args(["--docx", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(fs::read(&memo).unwrap(), bytes);
    assert!(
        text(&output.stderr).contains("wrote 1 file"),
        "{}",
        text(&output.stderr)
    );
    check(0);
}

/// The labels of the footnotes a markdown document defines.
fn footnote_definitions(markdown: &str) -> usize {
    markdown
        .lines()
        .filter(|l| l.starts_with("[^") && l.contains("]: "))
        .count()
}

#[test]
fn footnotes_are_word_footnotes_and_properties_name_title_and_organisation() {
    let repo = bundled_copy();
    let out = repo.path().join("out");
    build(repo.path(), &out);
    let mut footnotes_seen = 0;
    for markdown_file in files(&out, "md") {
        let markdown = fs::read_to_string(&markdown_file).unwrap();
        let docx = fs::read(markdown_file.with_extension("docx")).unwrap();
        let document = part(&docx, "word/document.xml");
        let notes = footnote_definitions(&markdown);
        footnotes_seen += notes;
        assert_eq!(
            document.matches("<w:footnoteReference ").count(),
            notes,
            "{}",
            markdown_file.display()
        );
        let footnotes = part(&docx, "word/footnotes.xml");
        assert_eq!(footnotes.matches("<w:footnoteRef/>").count(), notes);
        assert!(!document.contains("[^"), "no footnote left as text");

        let title = markdown
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .unwrap()
            .replace('&', "&amp;");
        let core = part(&docx, "docProps/core.xml");
        assert!(
            core.contains(&format!("<dc:title>{title}</dc:title>")),
            "{core}"
        );
        // Every bundled document is a draft: the banner is shaded, the
        // footer says so.
        assert!(markdown.starts_with("> **DRAFT"));
        assert!(
            document.contains("<w:pStyle w:val=\"Banner\" />"),
            "{document}"
        );
        let footer = part(&docx, "word/footer1.xml");
        let kind = markdown_file.file_stem().unwrap().to_string_lossy();
        assert!(footer.contains(&format!("{kind} · DRAFT")), "{footer}");
    }
    assert!(footnotes_seen > 0, "the bundled documents cite sources");
    let imod = fs::read(out.join("imod-azure-services/public-statement.docx")).unwrap();
    assert!(part(&imod, "docProps/core.xml").contains("<dc:creator>Microsoft</dc:creator>"));
    let northwind =
        fs::read(out.join("northwind-patient-portal-breach/public-statement.docx")).unwrap();
    assert!(part(&northwind, "docProps/app.xml").contains("<Company>Northwind Health</Company>"));
}

#[test]
fn an_approved_case_has_no_banner_and_no_draft_in_the_footer() {
    let repo = bundled_copy();
    for (role, by) in [("legal", "Jane Doe"), ("communications", "Sam Lee")] {
        let output = candor(repo.path())
            .args(["approve", "imod-azure-services", "--role", role, "--by", by])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    let out = repo.path().join("out");
    build(repo.path(), &out);
    let docx = fs::read(out.join("imod-azure-services/employee-memo.docx")).unwrap();
    let footer = part(&docx, "word/footer1.xml");
    assert!(footer.contains(">employee-memo<"), "{footer}");
    assert!(!footer.contains("DRAFT"), "{footer}");
    assert!(!part(&docx, "word/document.xml").contains("Banner"));
}

/// The body's paragraphs as Word shows them with every tracked change
/// accepted (`accept`) or rejected: text in `w:t` and `w:delText`, `w:br`
/// as a line break; inserted text dropped on rejecting, deleted text on
/// accepting, and a paragraph whose mark is dropped run on into the next.
fn resolved(document_xml: &str, accept: bool) -> Vec<String> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(document_xml);
    let (mut inserted, mut deleted) = (0usize, 0usize);
    let (mut in_paragraph_properties, mut in_text) = (false, false);
    let mut mark_dropped = false;
    let mut paragraph = String::new();
    let mut pending = String::new();
    let mut paragraphs = Vec::new();
    loop {
        let event = reader.read_event().unwrap();
        let dropped = |inserted: usize, deleted: usize| {
            if accept { deleted > 0 } else { inserted > 0 }
        };
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let is_empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    b"w:pPr" if !is_empty => in_paragraph_properties = true,
                    b"w:ins" if in_paragraph_properties => mark_dropped |= !accept,
                    b"w:del" if in_paragraph_properties => mark_dropped |= accept,
                    b"w:ins" if !is_empty => inserted += 1,
                    b"w:del" if !is_empty => deleted += 1,
                    b"w:t" | b"w:delText" if !is_empty => in_text = true,
                    b"w:br" if !dropped(inserted, deleted) => paragraph.push('\n'),
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:pPr" => in_paragraph_properties = false,
                b"w:ins" => inserted -= 1,
                b"w:del" => deleted -= 1,
                b"w:t" | b"w:delText" => in_text = false,
                b"w:p" => {
                    pending.push_str(&paragraph);
                    paragraph.clear();
                    if !std::mem::take(&mut mark_dropped) {
                        paragraphs.push(std::mem::take(&mut pending));
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text && !dropped(inserted, deleted) => {
                paragraph.push_str(&t.decode().unwrap());
            }
            Event::GeneralRef(r) if in_text && !dropped(inserted, deleted) => {
                let name = r.decode().unwrap();
                paragraph.push_str(match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            _ => {}
        }
    }
    if !pending.is_empty() {
        paragraphs.push(pending);
    }
    paragraphs
}

/// The paragraphs of a document's markdown as the Word redline writes
/// them, read independently with pulldown-cmark: one per heading,
/// paragraph or list item, hard breaks as line breaks, citations as
/// `[n]` numbered as first cited, then each footnote as `[n] text`.
fn redline_paragraphs(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let options =
        Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut body = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    let mut cited: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    let mut defining: Option<String> = None;
    let mut close = |current: &mut Option<String>, defining: &Option<String>| {
        if let Some(text) = current.take().filter(|t| !t.is_empty()) {
            match defining {
                Some(label) => notes.push((label.clone(), text)),
                None => body.push(text),
            }
        }
    };
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Paragraph) if current.is_some() => {}
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item) => {
                close(&mut current, &defining);
                current = Some(String::new());
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                close(&mut current, &defining);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => defining = Some(label.to_string()),
            Event::End(TagEnd::FootnoteDefinition) => defining = None,
            Event::Text(t) | Event::Code(t) => current.get_or_insert_default().push_str(&t),
            Event::SoftBreak => current.get_or_insert_default().push(' '),
            Event::HardBreak => current.get_or_insert_default().push('\n'),
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                if !cited.contains(&label) {
                    cited.push(label.clone());
                }
                let number = cited.iter().position(|l| *l == label).unwrap() + 1;
                current
                    .get_or_insert_default()
                    .push_str(&format!("[{number}]"));
            }
            _ => {}
        }
    }
    for (number, label) in cited.iter().enumerate() {
        for (_, text) in notes.iter().filter(|(l, _)| l == label) {
            body.push(format!("[{}] {text}", number + 1));
        }
    }
    body
}

/// Runs git in `dir` as `who`, with no user or system configuration.
fn git(dir: &Path, who: &str, args: &[&str]) {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_NAME", who)
        .env("GIT_AUTHOR_EMAIL", "someone@example.com")
        .env("GIT_COMMITTER_NAME", who)
        .env("GIT_COMMITTER_EMAIL", "someone@example.com")
        .env("GIT_COMMITTER_DATE", "2026-11-30T12:00:00Z")
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

const CASE: &str = "imod-azure-services";

/// The documents of the founding case that state its findings.
const STATING: [&str; 3] = ["employee-memo", "public-statement", "press-qa"];

/// A committed copy of the bundled repository whose founding case is
/// signed off in both roles, then has one word changed: committed by Ana
/// Ruiz when `commit`, else left in the working tree. With the text of
/// each stating document as signed off.
fn signed_off_then_edited(commit: bool) -> (tempfile::TempDir, Vec<(String, String)>) {
    let repo = bundled_copy();
    let root = repo.path();
    git(root, "Setup", &["init", "-q"]);
    for (role, by) in [("legal", "Jane Doe"), ("communications", "Sam Lee")] {
        let output = candor(root)
            .args(["approve", CASE, "--role", role, "--by", by])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    git(root, "Setup", &["add", "-A"]);
    git(root, "Setup", &["commit", "-q", "-m", "signed off"]);
    let approved = STATING
        .iter()
        .map(|kind| ((*kind).to_owned(), rendered(root, kind)))
        .collect();
    common::edit(
        root,
        "cases/imod-azure-services.yaml",
        "statement: This evidence includes information relating to IMOD's consumption of Azure storage",
        "statement: This evidence includes information relating to IMOD's use of Azure storage",
    );
    if commit {
        git(root, "Ana Ruiz", &["commit", "-q", "-a", "-m", "one word"]);
    }
    (repo, approved)
}

/// Each document of the case, rendered now, by kind.
fn rendered(root: &Path, kind: &str) -> String {
    let output = candor(root)
        .args(["render", CASE, "--doc", kind])
        .output()
        .unwrap();
    text(&output.stdout)
}

#[test]
fn a_one_word_edit_is_one_tracked_deletion_and_insertion_that_resolve_both_ways() {
    let (repo, approved) = signed_off_then_edited(true);
    let root = repo.path();
    let out = root.join("redlines");
    let output = candor(root)
        .args(["diff", CASE, "--format", "docx", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let written = files(&out, "docx");
    assert_eq!(
        written.len(),
        3,
        "one per changed document, none for the unchanged: {written:?}"
    );
    let now_dir = root.join("now");
    build(root, &now_dir);
    for file in &written {
        let kind = file.file_stem().unwrap().to_string_lossy().into_owned();
        let xml = part(&fs::read(file).unwrap(), "word/document.xml");
        // Exactly that change: one deletion, one insertion, attributed to
        // whoever committed it, at the commit's time.
        assert_eq!(xml.matches("<w:del ").count(), 1, "{kind}: {xml}");
        assert_eq!(xml.matches("<w:ins ").count(), 1, "{kind}");
        assert!(xml.contains(
            r#"<w:del w:id="1" w:author="Ana Ruiz" w:date="2026-11-30T12:00:00Z"><w:r><w:rPr /><w:delText xml:space="preserve">consumption</w:delText></w:r></w:del><w:ins w:id="2" w:author="Ana Ruiz" w:date="2026-11-30T12:00:00Z"><w:r><w:rPr /><w:t xml:space="preserve">use</w:t></w:r></w:ins>"#
        ), "{kind}: {xml}");

        let now = fs::read_to_string(now_dir.join(CASE).join(format!("{kind}.md"))).unwrap();
        // The redline compares the words, not the banner.
        let now = now.split_once("\n\n").unwrap().1;
        assert_eq!(
            resolved(&xml, true),
            redline_paragraphs(now),
            "{kind}: accept all"
        );
        let then = &approved.iter().find(|(k, _)| *k == kind).unwrap().1;
        assert!(!then.starts_with("> **DRAFT"), "signed off, so no banner");
        assert!(then.contains("IMOD's consumption of Azure storage"));
        assert_eq!(
            resolved(&xml, false),
            redline_paragraphs(then),
            "{kind}: reject all"
        );
    }
}

#[test]
fn paragraphs_added_and_removed_resolve_both_ways_and_uncommitted_changes_are_candors() {
    let (repo, approved) = signed_off_then_edited(false);
    let root = repo.path();
    // A talking point removed and two added: whole paragraphs of the memo.
    common::edit(
        root,
        "cases/imod-azure-services.yaml",
        "  - text: We acted to enforce our terms of service, which prohibit the use of our technology for the mass surveillance of civilians.\n",
        "  - text: A new first point.\n  - text: And a second one, with *stars* & <angles>.\n",
    );
    let out = root.join("redlines");
    let output = candor(root)
        .args(["diff", CASE, "--format", "docx", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let memo = out.join(CASE).join("employee-memo.docx");
    let xml = part(&fs::read(&memo).unwrap(), "word/document.xml");
    assert!(xml.contains(r#"w:author="candor""#), "{xml}");
    assert!(!xml.contains("Setup"), "nobody committed these changes");
    // A paragraph mark inserted: the new points are paragraphs of their own.
    assert!(xml.contains("<w:rPr><w:ins "), "{xml}");
    let now = rendered(root, "employee-memo");
    let now = now.split_once("\n\n").unwrap().1;
    assert!(now.contains("A new first point."));
    let then = &approved
        .iter()
        .find(|(k, _)| k == "employee-memo")
        .unwrap()
        .1;
    assert_eq!(resolved(&xml, true), redline_paragraphs(now), "accept all");
    assert_eq!(
        resolved(&xml, false),
        redline_paragraphs(then),
        "reject all"
    );
}

#[test]
fn diff_as_docx_needs_a_folder() {
    let (repo, _) = signed_off_then_edited(false);
    let output = candor(repo.path())
        .args(["diff", CASE, "--format", "docx"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("--out"),
        "{}",
        text(&output.stderr)
    );
}
