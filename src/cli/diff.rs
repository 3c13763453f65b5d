//! `candor diff`: a case's documents compared with an earlier version, as
//! coloured hunks for a terminal or as redlined markdown for a reviewer.

use std::fmt::Write as _;

use candor::redline::{CONTEXT_LINES, Line, LineEnd, Redline, Segment};
use candor::{DiffOutcome, DocumentDiff, DocumentStatus};

/// Deleted text: red, struck through.
const DELETED: &str = "\x1b[31;9m";
/// Inserted text: green, underlined.
const INSERTED: &str = "\x1b[32;4m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Shown for a line break that only one version has.
const LINE_BREAK: &str = "¶";

/// Each document's header line, and the hunks of those that changed: line
/// numbers of the new text, deletions and insertions in colour, or as
/// `[-old-]` and `{+new+}` without it.
pub(super) fn terminal(diff: &DiffOutcome, colour: bool) -> String {
    let paint = |style: &'static str| if colour { style } else { "" };
    let mut out = String::new();
    let mut previous_had_hunks = false;
    for (index, document) in diff.documents.iter().enumerate() {
        let hunks = document.redline.hunks(CONTEXT_LINES);
        if index > 0 && (previous_had_hunks || !hunks.is_empty()) {
            out.push('\n');
        }
        previous_had_hunks = !hunks.is_empty();
        let _ = writeln!(
            out,
            "{}── {} ({}): {}{}",
            paint(BOLD),
            document.kind,
            document.path.display(),
            status_text(document),
            paint(RESET)
        );
        let width = gutter_width(&document.redline);
        for (number, hunk) in hunks.iter().enumerate() {
            if number > 0 {
                let _ = writeln!(out, "{}{:>width$}{}", paint(DIM), "…", paint(RESET));
            }
            for line in hunk.lines {
                let gutter = line.new_number.map_or_else(String::new, |n| n.to_string());
                let _ = write!(out, "{}{gutter:>width$} │{}", paint(DIM), paint(RESET));
                let mut text = String::new();
                terminal_line(line, colour, &mut text);
                if !text.is_empty() {
                    out.push(' ');
                    out.push_str(&text);
                }
                out.push('\n');
            }
        }
    }
    out
}

/// What happened to a document, in a few words.
fn status_text(document: &DocumentDiff) -> String {
    match document.status {
        DocumentStatus::Changed => document.redline.summary(),
        status => status.as_str().to_owned(),
    }
}

fn gutter_width(redline: &Redline) -> usize {
    redline
        .lines()
        .iter()
        .filter_map(|line| line.new_number)
        .max()
        .map_or(1, |n| n.to_string().len())
}

fn terminal_line(line: &Line, colour: bool, out: &mut String) {
    let mark = |text: &str, style: &str, open: &str, close: &str, out: &mut String| {
        let text = printable(text);
        if colour {
            let _ = write!(out, "{style}{text}{RESET}");
        } else {
            let _ = write!(out, "{open}{text}{close}");
        }
    };
    for segment in &line.segments {
        match segment {
            Segment::Same(text) => out.push_str(&printable(text)),
            Segment::Deleted(text) => mark(text, DELETED, "[-", "-]", out),
            Segment::Inserted(text) => mark(text, INSERTED, "{+", "+}", out),
        }
    }
    // A line break alone that changed, or an empty line only one version
    // has, shows as a mark: there is no text to colour.
    if line.break_changed() || (line.segments.is_empty() && line.end != LineEnd::Same) {
        match line.end {
            LineEnd::Deleted => mark(LINE_BREAK, DELETED, "[-", "-]", out),
            LineEnd::Inserted => mark(LINE_BREAK, INSERTED, "{+", "+}", out),
            LineEnd::Same => {}
        }
    }
}

/// Document text for a terminal: control characters, which could move the
/// cursor or change colours, are shown as `�`.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// Every document that changed, as `## kind` and the whole redlined
/// document; then the unchanged ones, listed.
pub(super) fn markdown(diff: &DiffOutcome, since: &str) -> String {
    let mut out = format!(
        "Changes to the documents of `{}` since {since}.\n",
        diff.case_id
    );
    let mut unchanged = Vec::new();
    for document in &diff.documents {
        if document.status == DocumentStatus::Unchanged {
            unchanged.push(document);
            continue;
        }
        let _ = write!(
            out,
            "\n## {}\n\n`{}`: {}\n\n{}",
            document.kind,
            document.path.display(),
            status_text(document),
            nested(&document.redline.to_markdown(), &document.kind)
        );
    }
    if !unchanged.is_empty() {
        out.push_str("\n## Unchanged\n\n");
        for document in unchanged {
            let _ = writeln!(out, "- {} (`{}`)", document.kind, document.path.display());
        }
    }
    out
}

/// A document's markdown made a section of the redline: its headings two
/// levels down, below the section's `##`, and its footnote labels its own
/// (`[^employee-memo-1]`), so the footnotes of one document are never
/// taken for another's. Fenced code is left as it is.
fn nested(markdown: &str, kind: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 8);
    let mut in_fence = false;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if in_fence || trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push_str(line);
            continue;
        }
        let level = line.bytes().take_while(|&b| b == b'#').count();
        let is_heading = (1..=6).contains(&level)
            && (line.len() == level || line[level..].starts_with([' ', '\n']));
        if is_heading {
            out.push_str(&"#".repeat((level + 2).min(6) - level));
        }
        let mut rest = line;
        while let Some(at) = rest.find("[^") {
            let escaped = rest[..at].ends_with('\\');
            out.push_str(&rest[..at + 2]);
            if !escaped {
                out.push_str(kind);
                out.push('-');
            }
            rest = &rest[at + 2..];
        }
        out.push_str(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::path::PathBuf;

    use candor::redline::compare;

    fn outcome(old: &str, new: &str) -> DiffOutcome {
        let redline = compare(old, new);
        let status = if redline.is_unchanged() {
            DocumentStatus::Unchanged
        } else {
            DocumentStatus::Changed
        };
        DiffOutcome {
            case_id: "c".to_owned(),
            documents: vec![DocumentDiff {
                kind: "memo".to_owned(),
                path: PathBuf::from("c/memo.md"),
                status,
                redline,
                before: old.to_owned(),
                after: new.to_owned(),
            }],
            ..DiffOutcome::default()
        }
    }

    #[test]
    fn colour_strikes_deletions_in_red_and_underlines_insertions_in_green() {
        let out = terminal(&outcome("It supports it.\n", "It contradicts it.\n"), true);
        assert_eq!(
            out,
            "\x1b[1m── memo (c/memo.md): 1 word changed\x1b[0m\n\
             \x1b[2m1 │\x1b[0m It \x1b[31;9msupports\x1b[0m\x1b[32;4mcontradicts\x1b[0m it.\n"
        );
    }

    #[test]
    fn without_colour_marks_are_plain_and_hunks_are_apart() {
        let old: String = (1..=20).map(|n| format!("line {n}\n")).collect();
        let new = old
            .replace("line 2\n", "line two\n")
            .replace("line 10\n", "line 10\n\n")
            .replace("line 18\n", "");
        let out = terminal(&outcome(&old, &new), false);
        assert_eq!(
            out,
            "── memo (c/memo.md): 3 words deleted, 1 inserted\n\
             \x201 │ line 1\n\
             \x202 │ line [-2-]{+two+}\n\
             \x203 │ line 3\n\
             \x204 │ line 4\n\
             \x20…\n\
             \x209 │ line 9\n\
             10 │ line 10\n\
             11 │ {+¶+}\n\
             12 │ line 11\n\
             13 │ line 12\n\
             \x20…\n\
             17 │ line 16\n\
             18 │ line 17\n\
             \x20  │ [-line 18-]\n\
             19 │ line 19\n\
             20 │ line 20\n"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let out = terminal(&outcome("a\n", "a \x1b[2J\n"), false);
        assert!(!out.contains('\x1b'), "{out:?}");
        assert!(out.contains("a{+ \u{fffd}[2J+}"), "{out:?}");
    }

    #[test]
    fn markdown_lists_unchanged_documents() {
        let mut both = outcome("same\n", "same\n");
        both.documents.extend(outcome("old\n", "new\n").documents);
        both.documents[1].kind = "notice".to_owned();
        both.documents[1].path = PathBuf::from("c/notice.md");
        assert_eq!(
            markdown(&both, "`HEAD`"),
            "Changes to the documents of `c` since `HEAD`.\n\
             \n## notice\n\n`c/notice.md`: 1 word changed\n\n~~old~~<ins>new</ins>\n\
             \n## Unchanged\n\n- memo (`c/memo.md`)\n"
        );
    }

    #[test]
    fn a_document_nests_below_its_section_with_footnotes_of_its_own() {
        let nested = nested(
            "# Title\n\nText[^1] and \\[^2\\].\n\n##### Deep\n\n```\n# code\n```\n\n[^1]: A source.\n",
            "memo",
        );
        assert_eq!(
            nested,
            "### Title\n\nText[^memo-1] and \\[^2\\].\n\n###### Deep\n\n```\n# code\n```\n\n[^memo-1]: A source.\n"
        );
    }
}
