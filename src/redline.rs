//! Word-level comparison of two texts: the redline a reviewer reads to see
//! what changed in a rendered document.
//!
//! [`compare`] first pairs the lines of the two texts, then compares the
//! lines that differ word by word, so that a one-word change in a paragraph
//! shows as exactly that word deleted and the new one inserted. Words, runs
//! of whitespace and single punctuation marks are the units compared.
//!
//! The result, a [`Redline`], is the new text line by line with the old
//! text marked in it, plus the lines only the old text had. No mark ever
//! spans a line break. `\r\n` and `\n` are the same line break, and a final
//! line break is not part of the text: documents that differ only in those
//! are unchanged.
//!
//! The module knows nothing of terminals: [`Redline::to_markdown`] writes
//! the redline for a markdown viewer, and [`Redline::hunks`] gives the
//! changed lines with some context, for the command line to colour.

use std::fmt::Write as _;
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

/// Lines of context shown around each change in [`Redline::hunks`].
pub const CONTEXT_LINES: usize = 2;

/// How long one comparison may search for the fewest changes before it
/// settles for more; only a pathological pair of texts takes that long.
const TIME_LIMIT: Duration = Duration::from_secs(2);

/// Compares `old` with `new`, word by word.
pub fn compare(old: &str, new: &str) -> Redline {
    let old = old.replace("\r\n", "\n");
    let new = new.replace("\r\n", "\n");
    let old_lines = lines_of(&old);
    let new_lines = lines_of(&new);
    let deadline = Instant::now().checked_add(TIME_LIMIT);
    let mut builder = Builder::default();
    for op in capture_diff_slices_deadline(Algorithm::Patience, &old_lines, &new_lines, deadline) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let old_part = old_lines.get(old_range).unwrap_or_default();
        let new_part = new_lines.get(new_range).unwrap_or_default();
        match tag {
            DiffTag::Equal => new_part.iter().for_each(|l| builder.whole(Kind::Same, l)),
            DiffTag::Delete => old_part
                .iter()
                .for_each(|l| builder.whole(Kind::Deleted, l)),
            DiffTag::Insert => new_part
                .iter()
                .for_each(|l| builder.whole(Kind::Inserted, l)),
            DiffTag::Replace => builder.words(old_part, new_part, deadline),
        }
    }
    Redline {
        lines: builder.lines,
    }
}

/// A comparison of two texts: the new text, line by line, with what was
/// deleted and inserted marked in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redline {
    lines: Vec<Line>,
}

/// One line of a [`Redline`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line's number in the old text, from 1; absent for a line only
    /// the new text has.
    pub old_number: Option<usize>,
    /// The line's number in the new text, from 1; absent for a line only
    /// the old text had.
    pub new_number: Option<usize>,
    /// The line's text, in order, without the line break. Neighbouring
    /// segments are never of the same kind; a deletion comes before the
    /// insertion replacing it. Empty for an empty line.
    pub segments: Vec<Segment>,
    /// Whether the line break ending the line is in both texts.
    pub end: LineEnd,
}

/// A piece of a [`Line`]. Its text never holds a line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text in both texts.
    Same(String),
    /// Text only the old text had.
    Deleted(String),
    /// Text only the new text has.
    Inserted(String),
}

/// What ends a [`Line`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnd {
    /// A line break both texts have, or the end of the text.
    Same,
    /// A line break only the old text had: in the new text, the line runs
    /// on into the next one. Every line only the old text had ends so.
    Deleted,
    /// A line break only the new text has. Every line only the new text
    /// has ends so.
    Inserted,
}

/// Consecutive lines of a [`Redline`] holding changes, with up to
/// [`CONTEXT_LINES`] unchanged lines around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hunk<'a> {
    /// The lines, in order.
    pub lines: &'a [Line],
}

/// How many words a [`Redline`] deletes and inserts. Punctuation and
/// whitespace are not words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordCounts {
    /// Words only the old text had.
    pub deleted: usize,
    /// Words only the new text has.
    pub inserted: usize,
}

impl Segment {
    /// The segment's text.
    pub fn text(&self) -> &str {
        match self {
            Segment::Same(text) | Segment::Deleted(text) | Segment::Inserted(text) => text,
        }
    }

    /// Whether the text is in both texts.
    pub fn is_same(&self) -> bool {
        matches!(self, Segment::Same(_))
    }
}

impl Line {
    /// Whether anything on the line, or its line break, differs.
    pub fn is_changed(&self) -> bool {
        self.end != LineEnd::Same || self.segments.iter().any(|s| !s.is_same())
    }

    /// Whether the line is in both texts but only one of them breaks it
    /// here: the change is the line break itself, which a reader cannot
    /// see in the words.
    pub fn break_changed(&self) -> bool {
        self.end != LineEnd::Same && self.old_number.is_some() && self.new_number.is_some()
    }
}

impl Redline {
    /// Every line, in order: the new text's lines, with the lines only the
    /// old text had where they were.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// Whether the two texts are the same, line breaks aside.
    pub fn is_unchanged(&self) -> bool {
        !self.lines.iter().any(Line::is_changed)
    }

    /// How many words were deleted and inserted.
    pub fn word_counts(&self) -> WordCounts {
        let mut counts = WordCounts::default();
        for segment in self.lines.iter().flat_map(|l| &l.segments) {
            match segment {
                Segment::Same(_) => {}
                Segment::Deleted(text) => counts.deleted += word_count(text),
                Segment::Inserted(text) => counts.inserted += word_count(text),
            }
        }
        counts
    }

    /// What changed, in a few words: `unchanged`, `1 word changed`,
    /// `3 words deleted`, `2 words deleted, 5 inserted`, or
    /// `punctuation or spacing changed`.
    pub fn summary(&self) -> String {
        if self.is_unchanged() {
            return "unchanged".to_owned();
        }
        let WordCounts { deleted, inserted } = self.word_counts();
        let words = |n: usize| {
            if n == 1 {
                "1 word".to_owned()
            } else {
                format!("{n} words")
            }
        };
        match (deleted, inserted) {
            (0, 0) => "punctuation or spacing changed".to_owned(),
            (d, i) if d == i => format!("{} changed", words(d)),
            (d, 0) => format!("{} deleted", words(d)),
            (0, i) => format!("{} inserted", words(i)),
            (d, i) => format!("{} deleted, {i} inserted", words(d)),
        }
    }

    /// The runs of changed lines, each with up to `context` unchanged lines
    /// before and after it. Runs whose context would touch or overlap are
    /// one hunk. None when nothing changed.
    pub fn hunks(&self, context: usize) -> Vec<Hunk<'_>> {
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for (index, line) in self.lines.iter().enumerate() {
            if !line.is_changed() {
                continue;
            }
            let start = index.saturating_sub(context);
            let end = index
                .saturating_add(context)
                .saturating_add(1)
                .min(self.lines.len());
            match ranges.last_mut() {
                Some(last) if start <= last.end => last.end = last.end.max(end),
                _ => ranges.push(start..end),
            }
        }
        ranges
            .into_iter()
            .map(|range| Hunk {
                lines: self.lines.get(range).unwrap_or_default(),
            })
            .collect()
    }

    /// The whole new text as markdown, with deleted text struck through
    /// (`~~old words~~`) and inserted text marked (`<ins>new words</ins>`),
    /// a deletion before the insertion that replaces it. The texts are
    /// taken to be markdown already, so nothing is escaped; whitespace at
    /// the edges of a change is put outside its marks, and a mark is
    /// widened to the whole word where markdown would not otherwise see it
    /// (a struck-out full stop right after a word). Lines only the old
    /// text had are shown struck out where they were, keeping a heading's
    /// or list item's marker outside the marks. The lines are the new
    /// text's: where only the old text broke a line, the new line runs on.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let mut pending: Vec<Segment> = Vec::new();
        for line in &self.lines {
            pending.extend(line.segments.iter().cloned());
            if line.end == LineEnd::Deleted && line.new_number.is_some() {
                // The old line break reads as a space, struck out with
                // whatever is struck around it.
                pending.push(Segment::Deleted(" ".to_owned()));
                continue;
            }
            markdown_line(&pending, &mut out);
            out.push('\n');
            pending.clear();
        }
        if !pending.is_empty() {
            markdown_line(&pending, &mut out);
            out.push('\n');
        }
        out
    }
}

impl Hunk<'_> {
    /// The new text's number of the hunk's first line that has one.
    pub fn first_new_number(&self) -> Option<usize> {
        self.lines.iter().find_map(|line| line.new_number)
    }
}

/// What a token or a segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Same,
    Deleted,
    Inserted,
}

/// Builds a redline's lines, numbering them as it goes.
#[derive(Default)]
struct Builder {
    lines: Vec<Line>,
    /// The number of the next old line, less one.
    old: usize,
    /// The number of the next new line, less one.
    new: usize,
}

impl Builder {
    /// A line that is entirely in one text, or in both.
    fn whole(&mut self, kind: Kind, text: &str) {
        let items: Vec<(Kind, &str)> = if text.is_empty() {
            Vec::new()
        } else {
            vec![(kind, text)]
        };
        let end = match kind {
            Kind::Same => LineEnd::Same,
            Kind::Deleted => LineEnd::Deleted,
            Kind::Inserted => LineEnd::Inserted,
        };
        self.finish(&items, end);
    }

    /// Lines that differ, compared word by word.
    fn words(&mut self, old: &[&str], new: &[&str], deadline: Option<Instant>) {
        let old_tokens = tokens_of_lines(old);
        let new_tokens = tokens_of_lines(new);
        let mut items: Vec<(Kind, &str)> = Vec::new();
        let ops =
            capture_diff_slices_deadline(Algorithm::Myers, &old_tokens, &new_tokens, deadline);
        for op in ops {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            let old_part = old_tokens.get(old_range).unwrap_or_default();
            let new_part = new_tokens.get(new_range).unwrap_or_default();
            if tag == DiffTag::Equal {
                items.extend(new_part.iter().map(|t| (Kind::Same, *t)));
                continue;
            }
            items.extend(old_part.iter().map(|t| (Kind::Deleted, *t)));
            items.extend(new_part.iter().map(|t| (Kind::Inserted, *t)));
        }
        let mut start = 0;
        for (index, (kind, token)) in items.iter().enumerate() {
            if *token == "\n" {
                let end = match kind {
                    Kind::Same => LineEnd::Same,
                    Kind::Deleted => LineEnd::Deleted,
                    Kind::Inserted => LineEnd::Inserted,
                };
                self.finish(items.get(start..index).unwrap_or_default(), end);
                start = index + 1;
            }
        }
        // Every line compared ends with a line break token, so nothing is
        // left; should anything be, it still shows.
        if let Some(rest) = items.get(start..).filter(|rest| !rest.is_empty()) {
            self.finish(rest, LineEnd::Same);
        }
    }

    /// Adds the line made of `items`, ended by `end`.
    fn finish(&mut self, items: &[(Kind, &str)], end: LineEnd) {
        let has = |kind: Kind| items.iter().any(|(k, _)| *k == kind);
        let in_old = has(Kind::Same) || has(Kind::Deleted) || end != LineEnd::Inserted;
        let in_new = has(Kind::Same) || has(Kind::Inserted) || end != LineEnd::Deleted;
        self.lines.push(Line {
            old_number: in_old.then_some(self.old + 1),
            new_number: in_new.then_some(self.new + 1),
            segments: segments(items),
            end,
        });
        if end != LineEnd::Inserted {
            self.old += 1;
        }
        if end != LineEnd::Deleted {
            self.new += 1;
        }
    }
}

/// A line's text as it reads: text in both, or a change of some text into
/// another (either may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Chunk {
    Same(String),
    Change { deleted: String, inserted: String },
}

/// The segments of one line from its tokens, tidied for reading: a change,
/// a run of spaces and another change read as one change; whitespace both
/// sides of a change share is not part of it.
fn segments(items: &[(Kind, &str)]) -> Vec<Segment> {
    let mut chunks: Vec<Chunk> = Vec::new();
    for (kind, text) in items {
        match (kind, chunks.last_mut()) {
            (Kind::Same, Some(Chunk::Same(same))) => same.push_str(text),
            (Kind::Same, _) => chunks.push(Chunk::Same((*text).to_owned())),
            (Kind::Deleted, Some(Chunk::Change { deleted, .. })) => deleted.push_str(text),
            (Kind::Inserted, Some(Chunk::Change { inserted, .. })) => inserted.push_str(text),
            (Kind::Deleted, _) => chunks.push(Chunk::Change {
                deleted: (*text).to_owned(),
                inserted: String::new(),
            }),
            (Kind::Inserted, _) => chunks.push(Chunk::Change {
                deleted: String::new(),
                inserted: (*text).to_owned(),
            }),
        }
    }
    let chunks = merge_changes_across_spaces(chunks);
    let mut segments: Vec<Segment> = Vec::new();
    let mut push = |segment: Segment| {
        if segment.text().is_empty() {
            return;
        }
        match (segments.last_mut(), &segment) {
            (Some(Segment::Same(last)), Segment::Same(text)) => last.push_str(text),
            _ => segments.push(segment),
        }
    };
    for chunk in chunks {
        match chunk {
            Chunk::Same(text) => push(Segment::Same(text)),
            Chunk::Change { deleted, inserted } => {
                let (before, deleted, inserted, after) = shared_blank_edges(&deleted, &inserted);
                push(Segment::Same(before.to_owned()));
                push(Segment::Deleted(deleted.to_owned()));
                push(Segment::Inserted(inserted.to_owned()));
                push(Segment::Same(after.to_owned()));
            }
        }
    }
    segments
}

/// Joins a change, a run of spaces and the next change into one change:
/// `~~a b~~<ins>x y</ins>` reads better than `~~a~~<ins>x</ins> ~~b~~<ins>y</ins>`.
fn merge_changes_across_spaces(chunks: Vec<Chunk>) -> Vec<Chunk> {
    let mut merged: Vec<Chunk> = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let Chunk::Change { deleted, inserted } = chunk else {
            merged.push(chunk);
            continue;
        };
        let spaces_after_change = matches!(
            merged.as_slice(),
            [.., Chunk::Change { .. }, Chunk::Same(spaces)] if is_blank(spaces)
        );
        if spaces_after_change
            && let Some(Chunk::Same(spaces)) = merged.pop()
            && let Some(Chunk::Change {
                deleted: mut old,
                inserted: mut new,
            }) = merged.pop()
        {
            old.push_str(&spaces);
            old.push_str(&deleted);
            new.push_str(&spaces);
            new.push_str(&inserted);
            merged.push(Chunk::Change {
                deleted: old,
                inserted: new,
            });
        } else {
            merged.push(Chunk::Change { deleted, inserted });
        }
    }
    merged
}

/// A change split into the whitespace both sides start with, the deleted
/// and inserted text between, and the whitespace both sides end with.
fn shared_blank_edges<'a>(
    deleted: &'a str,
    inserted: &'a str,
) -> (&'a str, &'a str, &'a str, &'a str) {
    if deleted.is_empty() || inserted.is_empty() {
        return ("", deleted, inserted, "");
    }
    let front = deleted
        .char_indices()
        .zip(inserted.chars())
        .find(|((_, a), b)| a != b || !a.is_whitespace())
        .map_or(deleted.len().min(inserted.len()), |((i, _), _)| i);
    let (before, deleted, inserted) = (
        &deleted[..front],
        &deleted[front..],
        inserted.get(front..).unwrap_or_default(),
    );
    let back = deleted
        .chars()
        .rev()
        .zip(inserted.chars().rev())
        .take_while(|(a, b)| a == b && a.is_whitespace())
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    let deleted_cut = deleted.len() - back;
    let inserted_cut = inserted.len() - back;
    (
        before,
        &deleted[..deleted_cut],
        &inserted[..inserted_cut],
        &deleted[deleted_cut..],
    )
}

/// The lines of `text`, without their line breaks. A final line break ends
/// the last line rather than starting an empty one.
fn lines_of(text: &str) -> Vec<&str> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Vec::new();
    }
    text.split('\n').collect()
}

/// The tokens of `lines`, each line followed by a line break token.
fn tokens_of_lines<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let mut tokens = Vec::new();
    for line in lines {
        tokens.extend(tokens_of(line));
        tokens.push("\n");
    }
    tokens
}

/// What a character is, for cutting a line into tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Part of a word: a letter, a digit, or a combining mark.
    Word,
    /// Whitespace.
    Blank,
    /// Anything else, a token of its own: punctuation, a dash, a quote.
    Mark,
}

fn class_of(c: char) -> Class {
    if c.is_alphanumeric() || is_combining_mark(c) {
        Class::Word
    } else if c.is_whitespace() {
        Class::Blank
    } else {
        Class::Mark
    }
}

/// Whether `c` is a combining mark, which belongs to the letter before it
/// (`e` + U+0301 reads `é`). The common blocks, not the whole category.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036f}'
            | '\u{1ab0}'..='\u{1aff}'
            | '\u{1dc0}'..='\u{1dff}'
            | '\u{20d0}'..='\u{20ff}'
            | '\u{fe20}'..='\u{fe2f}'
    )
}

/// `line` cut into words, runs of whitespace and single other characters.
/// A markdown footnote reference such as `[^1]` is one token, so a
/// renumbered footnote reads as one reference replaced by another rather
/// than a broken one.
fn tokens_of(line: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut current: Option<Class> = None;
    let mut skip_to = 0;
    for (index, c) in line.char_indices() {
        if index < skip_to {
            continue;
        }
        let footnote = footnote_reference_at(&line[index..]);
        let class = class_of(c);
        let continues = footnote == 0 && current == Some(class) && class != Class::Mark;
        if !continues && index > start {
            tokens.push(&line[start..index]);
            start = index;
        }
        if footnote > 0 {
            tokens.push(&line[index..index + footnote]);
            start = index + footnote;
            skip_to = start;
            current = None;
        } else {
            current = Some(class);
        }
    }
    if start < line.len() {
        tokens.push(&line[start..]);
    }
    tokens
}

/// The length of the footnote reference (`[^label]`) `text` starts with,
/// or 0.
fn footnote_reference_at(text: &str) -> usize {
    let Some(rest) = text.strip_prefix("[^") else {
        return 0;
    };
    let label = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    if label > 0 && rest[label..].starts_with(']') {
        label + 3
    } else {
        0
    }
}

/// The words in `text`: tokens with a letter or digit, footnote references
/// included.
fn word_count(text: &str) -> usize {
    tokens_of(text)
        .iter()
        .filter(|t| t.chars().any(|c| class_of(c) == Class::Word))
        .count()
}

fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

/// Punctuation or a symbol, as markdown counts them when deciding whether
/// `~~` opens or closes a strikethrough.
fn is_punctuation(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

/// Writes one line of the redline as markdown.
fn markdown_line(segments: &[Segment], out: &mut String) {
    // A line only one text has: keep its heading, list or quote marker
    // outside the marks, so it still reads as a heading or a list item.
    if let [single] = segments
        && !single.is_same()
    {
        let text = single.text();
        let prefix = block_prefix(text);
        // A line of nothing but markers is marked whole.
        let prefix = if text[prefix..].trim().is_empty() {
            0
        } else {
            prefix
        };
        let (marker, rest) = text.split_at(prefix);
        let mut chunks = vec![Chunk::Same(marker.to_owned()), change_of(single, rest)];
        if marker.is_empty() {
            chunks.remove(0);
        }
        return write_chunks(&chunks, out);
    }
    let mut chunks: Vec<Chunk> = Vec::new();
    for segment in segments {
        match (segment, chunks.last_mut()) {
            (Segment::Same(text), _) => chunks.push(Chunk::Same(text.clone())),
            (Segment::Deleted(text), Some(Chunk::Change { deleted, .. })) => deleted.push_str(text),
            (Segment::Inserted(text), Some(Chunk::Change { inserted, .. })) => {
                inserted.push_str(text);
            }
            (changed, _) => chunks.push(change_of(changed, changed.text())),
        }
    }
    widen_to_words(&mut chunks);
    write_chunks(&join_touching_changes(chunks), out);
}

/// `text` as the change `segment` makes.
fn change_of(segment: &Segment, text: &str) -> Chunk {
    match segment {
        Segment::Same(_) => Chunk::Same(text.to_owned()),
        Segment::Deleted(_) => Chunk::Change {
            deleted: text.to_owned(),
            inserted: String::new(),
        },
        Segment::Inserted(_) => Chunk::Change {
            deleted: String::new(),
            inserted: text.to_owned(),
        },
    }
}

/// The length of the markdown block marker `line` starts with: indentation
/// and any heading (`## `), quote (`> `), list (`- `, `1. `) or footnote
/// definition (`[^1]: `) markers.
fn block_prefix(line: &str) -> usize {
    let mut rest = line.trim_start_matches(' ');
    loop {
        let hashes = rest.len() - rest.trim_start_matches('#').len();
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let marker = if (1..=6).contains(&hashes) {
            hashes
        } else if rest.starts_with(['>', '-', '*', '+']) {
            1
        } else if (1..=9).contains(&digits) && rest[digits..].starts_with(['.', ')']) {
            digits + 1
        } else if footnote_reference_at(rest) > 0
            && rest[footnote_reference_at(rest)..].starts_with(':')
        {
            // A footnote's definition, `[^1]: `.
            footnote_reference_at(rest) + 1
        } else {
            0
        };
        let after = &rest[marker..];
        let spaces = after.len() - after.trim_start_matches(' ').len();
        if marker == 0 || spaces == 0 {
            break;
        }
        rest = &after[spaces..];
    }
    line.len() - rest.len()
}

/// Widens deletions so that markdown sees their `~~` marks: an opening
/// `~~` between a letter and a punctuation mark, or a closing one between
/// a punctuation mark and a letter, would be read as text. The word next
/// to the mark joins both sides of the change.
fn widen_to_words(chunks: &mut [Chunk]) {
    for index in 0..chunks.len() {
        let (before, rest) = chunks.split_at_mut(index);
        let Some((Chunk::Change { deleted, inserted }, after)) = rest.split_first_mut() else {
            continue;
        };
        let core = deleted.trim();
        let opens_on_mark = !deleted.starts_with(char::is_whitespace)
            && core.chars().next().is_some_and(is_punctuation);
        if opens_on_mark
            && let Some(Chunk::Same(previous)) = before.last_mut()
            && previous
                .chars()
                .next_back()
                .is_some_and(|c| !is_punctuation(c) && !c.is_whitespace())
        {
            let cut = previous.rfind(char::is_whitespace).map_or(0, |i| {
                i + previous[i..].chars().next().map_or(1, char::len_utf8)
            });
            let word = previous.split_off(cut);
            deleted.insert_str(0, &word);
            inserted.insert_str(0, &word);
        }
        let core = deleted.trim();
        let closes_on_mark = !deleted.ends_with(char::is_whitespace)
            && inserted.is_empty()
            && core.chars().next_back().is_some_and(is_punctuation);
        if closes_on_mark
            && let Some(Chunk::Same(next)) = after.first_mut()
            && next
                .chars()
                .next()
                .is_some_and(|c| !is_punctuation(c) && !c.is_whitespace())
        {
            let cut = next.find(char::is_whitespace).unwrap_or(next.len());
            let word: String = next.drain(..cut).collect();
            deleted.push_str(&word);
            inserted.push_str(&word);
        }
    }
}

/// Joins changes that widening left with nothing between them: two struck
/// runs side by side (`~~a~~~~b~~`) would read as neither.
fn join_touching_changes(chunks: Vec<Chunk>) -> Vec<Chunk> {
    let mut joined: Vec<Chunk> = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        match (joined.last_mut(), chunk) {
            (_, Chunk::Same(text)) if text.is_empty() => {}
            (
                Some(Chunk::Change { deleted, inserted }),
                Chunk::Change {
                    deleted: more_deleted,
                    inserted: more_inserted,
                },
            ) => {
                deleted.push_str(&more_deleted);
                inserted.push_str(&more_inserted);
            }
            (_, chunk) => joined.push(chunk),
        }
    }
    joined
}

/// Writes chunks as markdown: deletions struck through, insertions marked,
/// whitespace outside the marks.
fn write_chunks(chunks: &[Chunk], out: &mut String) {
    let line_start = out.len();
    for (index, chunk) in chunks.iter().enumerate() {
        let (deleted, inserted) = match chunk {
            Chunk::Same(text) => {
                out.push_str(text);
                continue;
            }
            Chunk::Change { deleted, inserted } => (deleted, inserted),
        };
        let next = match chunks.get(index + 1) {
            Some(Chunk::Same(text)) => text.as_str(),
            _ => "",
        };
        let core = deleted.trim();
        if !core.is_empty() {
            let (lead, trail) = edges(deleted, core);
            let line_so_far = out.get(line_start..).unwrap_or_default();
            if !lead.is_empty()
                && !line_so_far.is_empty()
                && !line_so_far.ends_with(char::is_whitespace)
            {
                out.push_str(lead);
            }
            let _ = write!(out, "~~{core}~~");
            // The old text's spacing, only where it keeps words apart.
            let follows = if inserted.is_empty() {
                next
            } else {
                inserted.as_str()
            };
            if !trail.is_empty() && !follows.is_empty() && !follows.starts_with(char::is_whitespace)
            {
                out.push_str(trail);
            }
        }
        let core = inserted.trim();
        if core.is_empty() {
            out.push_str(inserted);
        } else {
            let (lead, trail) = edges(inserted, core);
            let _ = write!(out, "{lead}<ins>{core}</ins>{trail}");
        }
    }
}

/// The whitespace before and after `core` in `text`, which holds it.
fn edges<'a>(text: &'a str, core: &str) -> (&'a str, &'a str) {
    let lead = text.len() - text.trim_start().len();
    let trail = lead + core.len();
    (
        text.get(..lead).unwrap_or_default(),
        text.get(trail..).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Segment {
        Segment::Same(text.to_owned())
    }
    fn d(text: &str) -> Segment {
        Segment::Deleted(text.to_owned())
    }
    fn i(text: &str) -> Segment {
        Segment::Inserted(text.to_owned())
    }

    /// Every line's segments, for compact assertions.
    fn segments_of(redline: &Redline) -> Vec<Vec<Segment>> {
        redline.lines().iter().map(|l| l.segments.clone()).collect()
    }

    fn numbers(redline: &Redline) -> Vec<(Option<usize>, Option<usize>)> {
        redline
            .lines()
            .iter()
            .map(|l| (l.old_number, l.new_number))
            .collect()
    }

    const PARAGRAPH: &str = "# Findings\n\nThe review found evidence that supports elements of the reporting.\n\nWe thank the reporters.\n";

    #[test]
    fn one_word_changed_in_a_paragraph() {
        let new = PARAGRAPH.replace("supports", "contradicts");
        let redline = compare(PARAGRAPH, &new);
        assert!(!redline.is_unchanged());
        assert_eq!(
            segments_of(&redline)[2],
            vec![
                s("The review found evidence that "),
                d("supports"),
                i("contradicts"),
                s(" elements of the reporting."),
            ]
        );
        assert_eq!(
            redline.word_counts(),
            WordCounts {
                deleted: 1,
                inserted: 1
            }
        );
        assert_eq!(redline.summary(), "1 word changed");
        assert_eq!(
            redline.to_markdown(),
            "# Findings\n\nThe review found evidence that ~~supports~~<ins>contradicts</ins> elements of the reporting.\n\nWe thank the reporters.\n"
        );
        let changed: Vec<bool> = redline.lines().iter().map(Line::is_changed).collect();
        assert_eq!(changed, [false, false, true, false, false]);
    }

    #[test]
    fn a_line_inserted() {
        let new = PARAGRAPH.replace("\nWe thank", "\nWe acted.\n\nWe thank");
        let redline = compare(PARAGRAPH, &new);
        assert_eq!(
            numbers(&redline),
            [
                (Some(1), Some(1)),
                (Some(2), Some(2)),
                (Some(3), Some(3)),
                (Some(4), Some(4)),
                (None, Some(5)),
                (None, Some(6)),
                (Some(5), Some(7)),
            ]
        );
        assert_eq!(segments_of(&redline)[4], vec![i("We acted.")]);
        assert_eq!(redline.summary(), "2 words inserted");
        assert!(
            redline
                .to_markdown()
                .contains("\n<ins>We acted.</ins>\n\nWe thank")
        );
    }

    #[test]
    fn a_line_removed() {
        let new = PARAGRAPH.replace("We thank the reporters.\n", "");
        let redline = compare(PARAGRAPH, &new);
        let last = redline.lines().last().unwrap();
        assert_eq!(last.segments, vec![d("We thank the reporters.")]);
        assert_eq!((last.old_number, last.new_number), (Some(5), None));
        assert_eq!(last.end, LineEnd::Deleted);
        assert!(!last.break_changed());
        assert_eq!(redline.summary(), "4 words deleted");
        assert!(
            redline
                .to_markdown()
                .ends_with("\n~~We thank the reporters.~~\n")
        );
    }

    #[test]
    fn identical_texts_are_unchanged() {
        let redline = compare(PARAGRAPH, PARAGRAPH);
        assert!(redline.is_unchanged());
        assert!(redline.hunks(CONTEXT_LINES).is_empty());
        assert_eq!(redline.to_markdown(), PARAGRAPH);
        assert_eq!(redline.summary(), "unchanged");
        assert!(compare("", "").is_unchanged());
        assert_eq!(compare("", "").to_markdown(), "");
    }

    #[test]
    fn line_endings_and_a_final_line_break_are_not_changes() {
        let crlf = PARAGRAPH.replace('\n', "\r\n");
        assert!(compare(PARAGRAPH, &crlf).is_unchanged());
        assert!(compare(&crlf, PARAGRAPH).is_unchanged());
        let without_final = PARAGRAPH.trim_end_matches('\n');
        assert!(compare(PARAGRAPH, without_final).is_unchanged());
        assert!(compare(without_final, &crlf).is_unchanged());
        // A change under different line endings is still only that change.
        let redline = compare(&crlf, &PARAGRAPH.replace("thank", "salute"));
        assert_eq!(redline.summary(), "1 word changed");
        assert_eq!(redline.hunks(0).len(), 1);
        // An empty line at the end is a line, though.
        assert!(!compare("a\n", "a\n\n").is_unchanged());
    }

    #[test]
    fn unicode_words_are_whole_words() {
        let old = "Le café — “fermé” — a été vu.";
        let new = "Le café — “ouvert” — a été vu.";
        let redline = compare(old, new);
        assert_eq!(
            segments_of(&redline),
            [vec![
                s("Le café — “"),
                d("fermé"),
                i("ouvert"),
                s("” — a été vu."),
            ]]
        );
        assert_eq!(
            redline.to_markdown(),
            "Le café — “~~fermé~~<ins>ouvert</ins>” — a été vu.\n"
        );
        // A combining accent belongs to its letter.
        let decomposed = compare("un cafe\u{301} noir", "un cafe\u{301} blanc");
        assert_eq!(
            decomposed.word_counts(),
            WordCounts {
                deleted: 1,
                inserted: 1
            }
        );
        assert_eq!(
            decomposed.to_markdown(),
            "un cafe\u{301} ~~noir~~<ins>blanc</ins>\n"
        );
        // A dash that changes is one mark.
        let dash = compare("before — after", "before – after");
        assert_eq!(
            segments_of(&dash)[0],
            vec![s("before "), d("—"), i("–"), s(" after")]
        );
        assert_eq!(dash.summary(), "punctuation or spacing changed");
    }

    #[test]
    fn marks_never_span_a_line_break() {
        let old = "one two\nthree four\nfive\n";
        let new = "one TWO\nTHREE four\nsix\nseven\n";
        let redline = compare(old, new);
        for line in redline.lines() {
            for segment in &line.segments {
                assert!(!segment.text().contains('\n'), "{segment:?}");
            }
        }
        let markdown = redline.to_markdown();
        for line in markdown.lines() {
            assert_eq!(line.matches("~~").count() % 2, 0, "{line}");
            assert_eq!(
                line.matches("<ins>").count(),
                line.matches("</ins>").count(),
                "{line}"
            );
        }
        assert!(
            markdown.starts_with("one ~~two~~<ins>TWO</ins>\n~~three~~<ins>THREE</ins> four\n")
        );
    }

    #[test]
    fn a_replaced_run_of_words_is_one_change() {
        let redline = compare(
            "We found evidence supporting the report.",
            "We found nothing about the report.",
        );
        assert_eq!(
            redline.to_markdown(),
            "We found ~~evidence supporting~~<ins>nothing about</ins> the report.\n"
        );
        assert_eq!(redline.summary(), "2 words changed");
    }

    #[test]
    fn whitespace_stays_outside_the_marks() {
        let deleted = compare("a b c", "a c");
        assert_eq!(deleted.to_markdown(), "a ~~b~~ c\n");
        let inserted = compare("a c", "a b c");
        assert_eq!(inserted.to_markdown(), "a <ins>b</ins> c\n");
        let at_end = compare("a b", "a");
        assert_eq!(at_end.to_markdown(), "a ~~b~~\n");
        let at_start = compare("b a", "a");
        assert_eq!(at_start.to_markdown(), "~~b~~ a\n");
        // A markdown hard break (two spaces at the end) is kept, and a
        // deleted one is not written.
        assert_eq!(
            compare("a  \nb", "a c  \nb").to_markdown(),
            "a <ins>c</ins>  \nb\n"
        );
        assert_eq!(compare("a  \nb", "a\nb").to_markdown(), "a\nb\n");
    }

    #[test]
    fn punctuation_next_to_a_word_widens_the_mark_to_the_word() {
        // `found~~.~~` would not be struck through in markdown.
        let redline = compare("We found. Then", "We found Then");
        assert_eq!(
            redline.to_markdown(),
            "We ~~found.~~<ins>found</ins> Then\n"
        );
        let redline = compare("It is (final) now", "It is final) now");
        assert_eq!(
            redline.to_markdown(),
            "It is ~~(final)~~<ins>final)</ins> now\n"
        );
        // Nor does `found~~.~~<ins>;</ins>`.
        let redline = compare("We found.", "We found;");
        assert_eq!(redline.to_markdown(), "We ~~found.~~<ins>found;</ins>\n");
        // Nor after a space.
        let redline = compare("a (b", "a b");
        assert_eq!(redline.to_markdown(), "a ~~(b~~<ins>b</ins>\n");
    }

    #[test]
    fn whole_lines_keep_their_markdown_markers_outside_the_marks() {
        let redline = compare("# Title\n\n- one\n", "# Title\n\n- one\n- two\n## More\n");
        assert_eq!(
            redline.to_markdown(),
            "# Title\n\n- one\n- <ins>two</ins>\n## <ins>More</ins>\n"
        );
        let redline = compare("> quoted\n1. first\ntext\n", "text\n");
        assert_eq!(redline.to_markdown(), "> ~~quoted~~\n1. ~~first~~\ntext\n");
        assert_eq!(block_prefix("  - **A1.** x"), 4);
        assert_eq!(block_prefix("-not a list"), 0);
        assert_eq!(block_prefix("2025 was"), 0);
    }

    #[test]
    fn a_changed_line_break_is_a_change() {
        let joined = compare("a.\nb", "a. b");
        assert!(!joined.is_unchanged());
        assert!(joined.lines().iter().any(Line::break_changed));
        // Markdown follows the new text's lines.
        assert_eq!(joined.to_markdown(), "a. b\n");
        assert_eq!(
            compare("one\ntwo three", "one two").to_markdown(),
            "one two ~~three~~\n"
        );
        let split = compare("a b", "a\nb");
        assert!(!split.is_unchanged());
    }

    #[test]
    fn hunks_hold_changes_with_two_lines_of_context() {
        let old: String = (1..=20).map(|n| format!("line {n}\n")).collect();
        let new = old
            .replace("line 3\n", "line three\n")
            .replace("line 5\n", "line five\n")
            .replace("line 15\n", "line fifteen\n");
        let redline = compare(&old, &new);
        let hunks = redline.hunks(CONTEXT_LINES);
        let spans: Vec<Vec<usize>> = hunks
            .iter()
            .map(|h| h.lines.iter().filter_map(|l| l.new_number).collect())
            .collect();
        assert_eq!(spans, [vec![1, 2, 3, 4, 5, 6, 7], vec![13, 14, 15, 16, 17]]);
        assert_eq!(hunks[1].first_new_number(), Some(13));
        // Context that only touches joins two hunks.
        let new = old.replace("line 3\n", "x\n").replace("line 8\n", "y\n");
        assert_eq!(compare(&old, &new).hunks(2).len(), 1);
        let new = old.replace("line 3\n", "x\n").replace("line 9\n", "y\n");
        assert_eq!(compare(&old, &new).hunks(2).len(), 2);
    }

    /// Every `~~` the redline writes is read as a strikethrough by a
    /// markdown parser, and every deleted word is inside one.
    #[test]
    fn markdown_viewers_see_every_mark() {
        use pulldown_cmark::{Options, Parser, html};
        let pairs = [
            ("We found. Then", "We found Then"),
            ("We found.", "We found;"),
            ("It is (final) now", "It is final) now"),
            ("a (b", "a b"),
            (
                "**F1.** IMOD consumed storage.",
                "**F2.** IMOD used storage.",
            ),
            (
                "*This supports the report.*",
                "*This contradicts the report.*",
            ),
            ("see [^1] here", "see here"),
            ("x, y, z", "x; y; z"),
            ("“quoted”", "“requoted”"),
            ("end.", "end"),
            ("- item one\n- item two\n", "- item one\n"),
            ("# Old title\n", "# New title\n"),
            ("See.[^1]\n\n[^1]: A.\n", "See.[^2]\n\n[^2]: B.\n"),
            ("a—a—word —aaa b—a a# a", "b.  aaa"),
        ];
        for (old, new) in pairs {
            let redline = compare(old, new);
            let markdown = redline.to_markdown();
            let mut rendered = String::new();
            html::push_html(
                &mut rendered,
                Parser::new_ext(
                    &markdown,
                    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES,
                ),
            );
            assert!(
                !rendered.contains('~'),
                "{old:?} → {new:?}: {markdown:?} → {rendered}"
            );
            let struck: usize = rendered.matches("<del>").count();
            let deletions = redline
                .lines()
                .iter()
                .flat_map(|l| &l.segments)
                .filter(|s| matches!(s, Segment::Deleted(t) if !t.trim().is_empty()))
                .count();
            // Deletions widened into one another are struck as one.
            let expected = if deletions == 0 { 0..=0 } else { 1..=deletions };
            assert!(
                expected.contains(&struck),
                "{old:?} → {new:?}: {markdown:?} → {rendered}"
            );
        }
    }

    /// A text made of pieces that exercise the tokens: words, accents,
    /// spaces, marks, footnotes and both kinds of line break.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        const PIECES: &[&str] = &[
            "a", "b", "word", "é", "e\u{301}", " ", "  ", "\t", "—", ".", "“", "*", "[^1]", "# ",
            "- ", "\n", "\n", "\r\n",
        ];
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat())
    }

    /// `text` as the redline reads it: `\r\n` as `\n`, every line ending
    /// with a line break.
    fn as_lines(text: &str) -> String {
        let text = text.replace("\r\n", "\n");
        lines_of(&text)
            .iter()
            .map(|line| format!("{line}\n"))
            .collect()
    }

    /// One side of the redline read back: its segments, and its line
    /// breaks.
    fn read_back(redline: &Redline, old: bool) -> String {
        let mut text = String::new();
        for line in redline.lines() {
            for segment in &line.segments {
                match segment {
                    Segment::Same(t) => text.push_str(t),
                    Segment::Deleted(t) if old => text.push_str(t),
                    Segment::Inserted(t) if !old => text.push_str(t),
                    _ => {}
                }
            }
            let breaks = match line.end {
                LineEnd::Same => true,
                LineEnd::Deleted => old,
                LineEnd::Inserted => !old,
            };
            if breaks {
                text.push('\n');
            }
        }
        text
    }

    proptest::proptest! {
        // Seeds of past failures live with the tests, not at the top level.
        #![proptest_config(proptest::test_runner::Config {
            failure_persistence: Some(Box::new(
                proptest::test_runner::FileFailurePersistence::Direct(
                    "tests/redline.proptest-regressions",
                ),
            )),
            ..proptest::test_runner::Config::default()
        })]

        /// Nothing is lost or made up: the old text is the redline without
        /// its insertions, the new one without its deletions; no mark holds
        /// a line break, and a text compared with itself is unchanged.
        #[test]
        fn both_texts_read_back_from_the_redline(old in text(), new in text()) {
            let redline = compare(&old, &new);
            proptest::prop_assert_eq!(read_back(&redline, true), as_lines(&old));
            proptest::prop_assert_eq!(read_back(&redline, false), as_lines(&new));
            for line in redline.lines() {
                for segment in &line.segments {
                    proptest::prop_assert!(!segment.text().contains('\n'));
                    proptest::prop_assert!(!segment.text().is_empty());
                }
            }
            proptest::prop_assert_eq!(redline.is_unchanged(), as_lines(&old) == as_lines(&new));
            proptest::prop_assert!(compare(&new, &new).is_unchanged());
            let markdown = compare(&new, &new).to_markdown();
            proptest::prop_assert_eq!(markdown, as_lines(&new));
        }

        /// Every deletion shows struck through in a markdown viewer.
        #[test]
        fn markdown_viewers_see_every_generated_mark(old in text(), new in text()) {
            use pulldown_cmark::{Options, Parser, html};
            // Emphasis cut in two by a change can pair across marks, and
            // text indented four spaces is code, where nothing is marked:
            // the documents are markdown, and are not escaped.
            let plain = |text: &str| -> String {
                let mut text = text.replace(['*', '\t'], "");
                while text.contains("  ") {
                    text = text.replace("  ", " ");
                }
                text.split('\n').map(str::trim_start).collect::<Vec<_>>().join("\n")
            };
            let (old, new) = (plain(&old), plain(&new));
            let redline = compare(&old, &new);
            let markdown = redline.to_markdown();
            let mut rendered = String::new();
            html::push_html(&mut rendered, Parser::new_ext(&markdown, Options::ENABLE_STRIKETHROUGH));
            proptest::prop_assert!(!rendered.contains('~'), "{:?}", markdown);
        }
    }

    #[test]
    fn tokens_are_words_spaces_and_single_marks() {
        assert_eq!(
            tokens_of("It's   “done”—now."),
            ["It", "'", "s", "   ", "“", "done", "”", "—", "now", "."]
        );
        assert_eq!(word_count("It's “done”—now."), 4);
        assert_eq!(
            tokens_of("found.[^12] See [^a-b][x] [^] [^1"),
            [
                "found", ".", "[^12]", " ", "See", " ", "[^a-b]", "[", "x", "]", " ", "[", "^",
                "]", " ", "[", "^", "1"
            ]
        );
        assert_eq!(tokens_of("[^1]"), ["[^1]"]);
        assert_eq!(word_count("[^1] and [^2]"), 3);
    }

    #[test]
    fn footnotes_change_whole() {
        let redline = compare(
            "We found it.[^1]\n\n[^1]: The Guardian.\n",
            "We found it.[^2]\n\n[^1]: The Guardian.\n[^2]: The Times.\n",
        );
        assert_eq!(
            redline.to_markdown(),
            "We found it.~~[^1]~~<ins>[^2]</ins>\n\n[^1]: The Guardian.\n[^2]: <ins>The Times.</ins>\n"
        );
        assert_eq!(redline.summary(), "1 word deleted, 4 inserted");
    }
}
