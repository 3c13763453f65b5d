//! A redline as a Word document whose changes are Word tracked changes:
//! each deletion a `w:del`, each insertion a `w:ins`, one per changed run
//! of words, attributed and dated, so a reviewer can accept or reject them
//! one by one. Accepting every change gives the text now; rejecting every
//! change gives the text then.
//!
//! Both versions are read into blocks ([`super::blocks`]); each block is
//! one line of plain text, and the two texts are compared word by word by
//! [`crate::redline`]. A line is a paragraph, set as the block it comes
//! from (the new one when it is in both). A line break only one version
//! has is a paragraph mark deleted or inserted. Inline formatting is not
//! carried over; footnotes are written as numbered paragraphs at the end
//! (`[1] …`), cited as `[1]`, so a change to a source shows as a change.

use docx_rs::{Delete, Docx, Insert, Paragraph, Run};

use super::blocks::{self, Block, Inline, Style};
use super::{About, ParagraphIds, package};
use crate::redline::{self, LineEnd, Segment};

/// Who made the changes, and when, as Word shows them.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    /// The author: a person's name, or `candor` when nobody is known.
    pub author: &'a str,
    /// When, as an ISO 8601 date and time (`2026-11-28T21:40:12Z`).
    pub date: &'a str,
}

/// A line break inside a paragraph: a character the word comparison
/// treats as white space and no document holds.
const LINE_BREAK: char = '\u{2028}';

/// The document now, `after`, with every change since `before` (both
/// markdown; either may be empty) as a tracked change made by `change`.
pub fn document(before: &str, after: &str, about: &About<'_>, change: &Change<'_>) -> Vec<u8> {
    let old = blocks::read(before, false);
    let new = blocks::read(after, false);
    let (old_text, old_styles) = lines(&old);
    let (new_text, new_styles) = lines(&new);
    let compared = redline::compare(&old_text, &new_text);
    let mut ids = ParagraphIds::default();
    let lists = old.numbered_lists().max(new.numbered_lists());
    let mut docx: Docx = super::with_numbered_lists(super::layout(about, &mut ids), lists);
    for line in compared.lines() {
        let style = line
            .new_number
            .and_then(|n| new_styles.get(n - 1))
            .or_else(|| line.old_number.and_then(|n| old_styles.get(n - 1)))
            .copied()
            .unwrap_or(Style::Body);
        let mut paragraph = super::styled(ids.paragraph(), style);
        for segment in &line.segments {
            paragraph = add_segment(paragraph, segment, change);
        }
        paragraph = match line.end {
            LineEnd::Same => paragraph,
            LineEnd::Deleted => paragraph.delete(change.author, change.date),
            LineEnd::Inserted => paragraph.insert(change.author, change.date),
        };
        docx = docx.add_paragraph(paragraph);
    }
    package::pack(
        docx,
        &package::Properties {
            title: &new.title(),
            organisation: about.organisation,
            subject: about.kind,
        },
    )
}

/// The document as plain lines, one a block, and each line's style: the
/// body, then each footnote's paragraphs, the first opening with its
/// number.
fn lines(read: &blocks::Blocks) -> (String, Vec<Style>) {
    let mut lines = Vec::new();
    let mut styles = Vec::new();
    for block in &read.body {
        lines.push(line_of(block));
        styles.push(block.style);
    }
    for (index, note) in read.notes.iter().enumerate() {
        for (paragraph, block) in note.iter().enumerate() {
            let text = line_of(block);
            lines.push(if paragraph == 0 {
                format!("[{}] {text}", index + 1)
            } else {
                text
            });
            styles.push(Style::Note);
        }
    }
    (lines.join("\n"), styles)
}

/// A block as one line: citations as `[n]`, breaks as [`LINE_BREAK`].
fn line_of(block: &Block) -> String {
    let mut line = String::new();
    for inline in &block.inlines {
        match inline {
            Inline::Text(text, _) => line.push_str(&text.replace(['\n', '\r'], " ")),
            Inline::Break => line.push(LINE_BREAK),
            Inline::Note(number) | Inline::NoteAgain(number) => {
                line.push_str(&format!("[{number}]"));
            }
        }
    }
    line
}

fn add_segment(paragraph: Paragraph, segment: &Segment, change: &Change<'_>) -> Paragraph {
    match segment {
        Segment::Same(text) => pieces(text)
            .into_iter()
            .fold(paragraph, |p, piece| p.add_run(run(piece, false))),
        Segment::Deleted(text) => {
            let mut delete = Delete::new().author(change.author).date(change.date);
            for piece in pieces(text) {
                delete = delete.add_run(run(piece, true));
            }
            paragraph.add_delete(delete)
        }
        Segment::Inserted(text) => {
            let mut pieces = pieces(text).into_iter();
            let first = pieces.next().unwrap_or(Piece::Text(""));
            let mut insert = Insert::new(run(first, false))
                .author(change.author)
                .date(change.date);
            for piece in pieces {
                insert = insert.add_run(run(piece, false));
            }
            paragraph.add_insert(insert)
        }
    }
}

/// A piece of a segment's text: text, or a line break.
#[derive(Debug, Clone, Copy)]
enum Piece<'a> {
    Text(&'a str),
    Break,
}

fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    for (index, part) in text.split(LINE_BREAK).enumerate() {
        if index > 0 {
            pieces.push(Piece::Break);
        }
        if !part.is_empty() {
            pieces.push(Piece::Text(part));
        }
    }
    pieces
}

fn run(piece: Piece<'_>, deleted: bool) -> Run {
    match (piece, deleted) {
        (Piece::Text(text), false) => Run::new().add_text(text),
        (Piece::Text(text), true) => Run::new().add_delete_text(text),
        (Piece::Break, _) => Run::new().add_break(docx_rs::BreakType::TextWrapping),
    }
}
