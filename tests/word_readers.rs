//! The Word documents read back by a reader candor has no part in:
//! python-docx opens every .docx `build --docx` writes for the bundled
//! repository, and every tracked-changes redline `diff --format docx`
//! writes; the text of every paragraph must be the markdown's, and the
//! footnotes as many as the sources the document cites.
//!
//! Needs python3 with python-docx (`.ci/run` installs it). Without it the
//! test says so and passes, unless `CI` is set: in CI a missing reader is
//! a failure, never a silent skip.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{bundled_copy, candor, text};
use serde_json::Value;

/// Reads each .docx named on the command line and prints, per file, its
/// paragraphs' text, its footnotes (counted in the footnotes part, past
/// Word's separators) and its core properties, as JSON.
const READER: &str = r#"
import json, sys
import docx
from docx.oxml.ns import qn
from lxml import etree

result = {}
for path in sys.argv[1:]:
    document = docx.Document(path)
    footnotes = 0
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            root = etree.fromstring(rel.target_part.blob)
            footnotes = sum(
                1 for note in root.iter(qn("w:footnote"))
                if int(note.get(qn("w:id"))) > 0
            )
    result[path] = {
        "paragraphs": [p.text for p in document.paragraphs],
        "footnotes": footnotes,
        "title": document.core_properties.title,
        "author": document.core_properties.author,
        "footer": [p.text for p in document.sections[0].footer.paragraphs],
    }
print(json.dumps(result))
"#;

/// Whether python3 can import python-docx; in CI it must.
fn reader_available() -> bool {
    let available = Command::new("python3")
        .args(["-c", "import docx"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 with python-docx is missing: `pip install python-docx`"
        );
        eprintln!("skipped: python3 with python-docx is not installed (pip install python-docx)");
    }
    available
}

/// What python-docx reads in each file, by path.
fn read_with_python_docx(files: &[PathBuf]) -> BTreeMap<String, Value> {
    let output = Command::new("python3")
        .args(["-c", READER])
        .args(files)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "python-docx: {}",
        text(&output.stderr)
    );
    let read: BTreeMap<String, Value> = serde_json::from_slice(&output.stdout).unwrap();
    read
}

/// The paragraphs of a document's markdown as Word should show them,
/// read independently with pulldown-cmark: one per heading, paragraph or
/// list item (the banner's quote included), hard breaks as line breaks,
/// a first citation as nothing (Word draws the footnote's mark), a later
/// one as its number; footnote definitions are not body text.
fn paragraphs(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let options =
        Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut body = Vec::new();
    let mut cited: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    let mut defining = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Paragraph) if current.is_some() => {}
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item) => {
                if let Some(text) = current.take().filter(|t| !t.is_empty() && !defining) {
                    body.push(text);
                }
                current = Some(String::new());
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                if let Some(text) = current.take().filter(|t| !t.is_empty() && !defining) {
                    body.push(text);
                }
            }
            Event::Start(Tag::FootnoteDefinition(_)) => defining = true,
            Event::End(TagEnd::FootnoteDefinition) => defining = false,
            Event::Text(t) | Event::Code(t) => current.get_or_insert_default().push_str(&t),
            Event::SoftBreak => current.get_or_insert_default().push(' '),
            Event::HardBreak => current.get_or_insert_default().push('\n'),
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                match cited.iter().position(|l| *l == label) {
                    Some(index) => current
                        .get_or_insert_default()
                        .push_str(&(index + 1).to_string()),
                    None => cited.push(label),
                }
            }
            _ => {}
        }
    }
    body
}

/// How many footnotes the markdown cites: distinct labels, each defined.
fn footnoted_sources(markdown: &str) -> usize {
    use pulldown_cmark::{Event, Options, Parser};
    let mut labels: Vec<String> = Vec::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_FOOTNOTES) {
        if let Event::FootnoteReference(label) = event
            && !labels.iter().any(|l| **l == *label)
        {
            labels.push(label.to_string());
        }
    }
    labels.len()
}

/// The sources each document of `case` cites, by document kind, as
/// `candor trace` reports them.
fn sources_cited(root: &Path, case: &str) -> BTreeMap<String, usize> {
    let output = candor(root)
        .args(["trace", case, "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let trace: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut cited = BTreeMap::new();
    for kind in trace["documents"].as_array().unwrap() {
        cited.insert(kind.as_str().unwrap().to_owned(), 0);
    }
    for item in trace["items"].as_array().unwrap() {
        if item["kind"] == "source" {
            for kind in item["cited_in"].as_array().unwrap() {
                *cited.get_mut(kind.as_str().unwrap()).unwrap() += 1;
            }
        }
    }
    cited
}

#[test]
fn python_docx_reads_every_bundled_document_as_its_markdown() {
    if !reader_available() {
        return;
    }
    let repo = bundled_copy();
    let out = repo.path().join("out");
    let output = candor(repo.path())
        .arg("build")
        .arg(repo.path())
        .args(["--docx", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let mut files = Vec::new();
    for case in common::bundled_case_ids() {
        for entry in fs::read_dir(out.join(&case)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "docx") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    let read = read_with_python_docx(&files);
    let mut footnotes = 0;
    let mut named_in_prose = Vec::new();
    for file in &files {
        let found = &read[&file.to_string_lossy().into_owned()];
        let markdown = fs::read_to_string(file.with_extension("md")).unwrap();
        let wanted = paragraphs(&markdown);
        let got: Vec<&str> = found["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(got, wanted, "{}", file.display());

        // One Word footnote per source the markdown cites in a footnote.
        // A letter may name a source in its prose instead (the press
        // answers do), so the trace's count is a bound, not the number.
        let case = file
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy();
        let kind = file.file_stem().unwrap().to_string_lossy();
        let in_footnotes = footnoted_sources(&markdown);
        let found_footnotes = usize::try_from(found["footnotes"].as_u64().unwrap()).unwrap();
        assert_eq!(found_footnotes, in_footnotes, "{}", file.display());
        let cited = sources_cited(repo.path(), &case)[kind.as_ref()];
        assert!(found_footnotes <= cited, "{}", file.display());
        if found_footnotes < cited {
            named_in_prose.push(format!("{case}/{kind}"));
        }
        footnotes += found_footnotes;
        assert_eq!(
            found["title"].as_str().unwrap(),
            markdown.lines().find_map(|l| l.strip_prefix("# ")).unwrap()
        );
        assert!(!found["author"].as_str().unwrap().is_empty());
        assert_eq!(found["footer"][0], format!("{kind} · DRAFT"));
    }
    assert!(footnotes > 0);
    eprintln!("sources named in the prose rather than footnoted: {named_in_prose:?}");
}

#[test]
fn python_docx_opens_the_tracked_changes_redline() {
    if !reader_available() {
        return;
    }
    let repo = bundled_copy();
    let root = repo.path();
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "commit.gpgsign=false", "-c", "user.name=Test"])
            .args(["-c", "user.email=test@example.com"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "bundled"]);
    common::edit(
        root,
        "cases/imod-azure-services.yaml",
        "statement: This evidence includes information relating to IMOD's consumption of Azure storage",
        "statement: This evidence includes information relating to IMOD's use of Azure storage",
    );
    let out = root.join("redlines");
    let output = candor(root)
        .args(["diff", "imod-azure-services", "--against", "HEAD"])
        .args(["--format", "docx", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let memo = out.join("imod-azure-services/employee-memo.docx");
    let read = read_with_python_docx(std::slice::from_ref(&memo));
    let found = &read[&memo.to_string_lossy().into_owned()];
    // python-docx reads a paragraph's own runs, not those inside tracked
    // changes: the changed paragraph reads with neither word.
    let paragraphs: Vec<&str> = found["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        paragraphs
            .iter()
            .any(|p| p.contains("IMOD's  of Azure storage capacity")),
        "{paragraphs:?}"
    );
    assert_eq!(found["footer"][0], "employee-memo · TRACKED CHANGES");
}
