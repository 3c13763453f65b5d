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
