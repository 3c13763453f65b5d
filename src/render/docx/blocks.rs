//! A document's markdown as the paragraphs a Word document holds: each
//! block (heading, paragraph, list item, quote) with its runs of text, and
//! the footnotes apart, in the order they are first cited.
//!
//! The markdown is read with pulldown-cmark, with the options every other
//! reader of rendered documents uses ([`crate::lint::parser_options`]).

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// How a block is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// A heading of level 1 to 6.
    Heading(u8),
    /// A paragraph.
    Body,
    /// A paragraph in a block quote.
    Quote,
    /// The draft or withdrawn banner a document opens with.
    Banner,
    /// A list item; `list` tells the lists apart, so each numbers from 1.
    Item {
        /// Which list, counted from 1 in the document; 0 for bullets.
        list: usize,
        /// How deep the list is nested, from 0.
        level: usize,
    },
    /// A later paragraph of a list item, indented like it.
    Continued {
        /// How deep the list is nested, from 0.
        level: usize,
    },
    /// A line of preformatted text.
    Code,
    /// A footnote's text.
    Note,
}

/// How a run of text is set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Format {
    pub(crate) bold: bool,
    pub(crate) italic: bool,
    pub(crate) strike: bool,
    pub(crate) code: bool,
}

/// A piece of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline {
    /// Text, never holding a line break.
    Text(String, Format),
    /// A line break within the block.
    Break,
    /// A citation of the footnote numbered so, from 1.
    Note(usize),
    /// A later citation of a footnote already cited: Word gives a
    /// footnote one mark, so later ones are its number in superscript.
    NoteAgain(usize),
}

/// A paragraph of the Word document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) style: Style,
    pub(crate) inlines: Vec<Inline>,
}

impl Block {
    /// The block's text as a reader sees it: line breaks as `\n`, a first
    /// citation as nothing (Word draws its mark) and a later one as its
    /// number.
    pub(crate) fn text(&self) -> String {
        let mut text = String::new();
        for inline in &self.inlines {
            match inline {
                Inline::Text(t, _) => text.push_str(t),
                Inline::Break => text.push('\n'),
                Inline::Note(_) => {}
                Inline::NoteAgain(number) => text.push_str(&number.to_string()),
            }
        }
        text
    }
}

/// A document read into blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Blocks {
    /// The body, in order.
    pub(crate) body: Vec<Block>,
    /// The footnotes, numbered from 1 in the order they are first cited;
    /// a footnote never cited is left out.
    pub(crate) notes: Vec<Vec<Block>>,
}

impl Blocks {
    /// The text of the first heading: the document's title.
    pub(crate) fn title(&self) -> String {
        self.body
            .iter()
            .find(|b| matches!(b.style, Style::Heading(_)))
            .map(|b| b.text().replace('\n', " "))
            .unwrap_or_default()
    }

    /// How many numbered lists the body holds.
    pub(crate) fn numbered_lists(&self) -> usize {
        self.body
            .iter()
            .filter_map(|b| match b.style {
                Style::Item { list, .. } => Some(list),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }
}

/// Reads `markdown` into blocks. With `banner`, the document opens with a
/// banner (see [`crate::approval::banner`]): its first block quote.
pub(crate) fn read(markdown: &str, banner: bool) -> Blocks {
    let mut reader = Reader {
        banner_pending: banner,
        ..Reader::default()
    };
    for event in Parser::new_ext(markdown, crate::lint::parser_options()) {
        reader.event(event);
    }
    reader.flush();
    reader.finish()
}

/// What the reader is inside of, as it goes through the events.
#[derive(Default)]
struct Reader {
    body: Vec<Block>,
    /// Footnote definitions by label, in the order they are defined.
    definitions: Vec<(String, Vec<Block>)>,
    /// Labels by number: the order they are first cited.
    cited: Vec<String>,
    /// The footnote being defined, if any, and its blocks so far.
    defining: Option<(String, Vec<Block>)>,
    current: Option<Block>,
    quotes: usize,
    banner_pending: bool,
    in_banner: bool,
    /// Each open list: its number for the numbered ones, 0 for bullets.
    lists: Vec<usize>,
    lists_numbered: usize,
    /// Whether the open list item has had its first paragraph.
    item_started: bool,
    bold: usize,
    italic: usize,
    strike: usize,
    in_code_block: bool,
    /// Each open link's address, to print after its text when different.
    links: Vec<(String, String)>,
}

impl Reader {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) if self.in_code_block => {
                for (index, line) in text.trim_end_matches('\n').split('\n').enumerate() {
                    if index > 0 {
                        self.flush();
                    }
                    self.open(Style::Code);
                    self.push_text(line, Format::default());
                }
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                let format = self.format();
                self.push_lines(&text, format);
            }
            Event::Code(text) => {
                let format = Format {
                    code: true,
                    ..self.format()
                };
                self.push_text(&text, format);
            }
            Event::SoftBreak => self.push_text(" ", self.format()),
            Event::HardBreak => self.push(Inline::Break),
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                let inline = match self.cited.iter().position(|l| *l == label) {
                    Some(index) => Inline::NoteAgain(index + 1),
                    None => {
                        self.cited.push(label);
                        Inline::Note(self.cited.len())
                    }
                };
                self.push(inline);
            }
            Event::TaskListMarker(done) => {
                self.push_text(if done { "☒ " } else { "☐ " }, Format::default());
            }
            Event::Rule | Event::InlineMath(_) | Event::DisplayMath(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                if self.lists.is_empty() || self.quotes > 0 {
                    self.flush();
                    self.open(self.paragraph_style());
                } else if self.item_started {
                    self.flush();
                    self.open(Style::Continued {
                        level: self.lists.len() - 1,
                    });
                } else {
                    self.item_started = true;
                }
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.open(Style::Heading(heading_number(level)));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quotes += 1;
                if self.banner_pending && self.quotes == 1 && self.body.is_empty() {
                    self.in_banner = true;
                }
                self.banner_pending = false;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.in_code_block = true;
            }
            Tag::List(start) => {
                self.flush();
                let number = if start.is_some() {
                    self.lists_numbered += 1;
                    self.lists_numbered
                } else {
                    0
                };
                self.lists.push(number);
            }
            Tag::Item => {
                self.flush();
                let level = self.lists.len().saturating_sub(1);
                let list = self.lists.last().copied().unwrap_or(0);
                self.open(Style::Item { list, level });
                self.item_started = false;
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                self.defining = Some((label.to_string(), Vec::new()));
            }
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link { dest_url, .. } => self.links.push((dest_url.to_string(), String::new())),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_)
                if self.lists.is_empty() || self.quotes > 0 || self.item_started =>
            {
                self.flush();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quotes = self.quotes.saturating_sub(1);
                if self.quotes == 0 {
                    self.in_banner = false;
                }
            }
            TagEnd::CodeBlock => {
                self.flush();
                self.in_code_block = false;
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                // Back in the item that held the list: what follows is a
                // later paragraph of it.
                self.item_started = true;
            }
            TagEnd::Item => {
                self.flush();
                self.item_started = false;
            }
            TagEnd::FootnoteDefinition => {
                self.flush();
                if let Some(definition) = self.defining.take() {
                    self.definitions.push(definition);
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => {
                if let Some((url, text)) = self.links.pop()
                    && !url.is_empty()
                    && url != text
                    && url.strip_prefix("mailto:") != Some(text.as_str())
                {
                    self.push_text(&format!(" ({url})"), Format::default());
                }
            }
            _ => {}
        }
    }

    fn paragraph_style(&self) -> Style {
        if self.in_banner {
            Style::Banner
        } else if self.quotes > 0 {
            Style::Quote
        } else if self.defining.is_some() {
            Style::Note
        } else {
            Style::Body
        }
    }

    fn format(&self) -> Format {
        Format {
            bold: self.bold > 0,
            italic: self.italic > 0,
            strike: self.strike > 0,
            code: false,
        }
    }

    fn open(&mut self, style: Style) {
        self.current = Some(Block {
            style,
            inlines: Vec::new(),
        });
    }

    /// Text that may hold line breaks, as raw HTML can.
    fn push_lines(&mut self, text: &str, format: Format) {
        for (index, line) in text.split('\n').enumerate() {
            if index > 0 {
                self.push_text(" ", format);
            }
            self.push_text(line, format);
        }
    }

    fn push_text(&mut self, text: &str, format: Format) {
        if text.is_empty() {
            return;
        }
        for (_, link_text) in &mut self.links {
            link_text.push_str(text);
        }
        // Runs of the same format are one run.
        if let Some(Block { inlines, .. }) = &mut self.current
            && let Some(Inline::Text(last, last_format)) = inlines.last_mut()
            && *last_format == format
        {
            last.push_str(text);
            return;
        }
        self.push(Inline::Text(text.to_owned(), format));
    }

    fn push(&mut self, inline: Inline) {
        if self.current.is_none() {
            // Text outside any paragraph, as in a tight list item or a
            // footnote definition's first line.
            let style = self.paragraph_style();
            self.open(style);
        }
        if let Some(block) = &mut self.current {
            block.inlines.push(inline);
        }
    }

    /// Ends the open block, keeping it if it holds anything.
    fn flush(&mut self) {
        let Some(block) = self.current.take() else {
            return;
        };
        if block.inlines.is_empty() {
            return;
        }
        let block = Block {
            style: match (block.style, &self.defining) {
                (Style::Body, Some(_)) => Style::Note,
                (style, _) => style,
            },
            ..block
        };
        match &mut self.defining {
            Some((_, blocks)) => blocks.push(block),
            None => self.body.push(block),
        }
    }

    fn finish(mut self) -> Blocks {
        let notes = self
            .cited
            .iter()
            .map(|label| {
                self.definitions
                    .iter_mut()
                    .find(|(l, _)| l == label)
                    .map(|(_, blocks)| std::mem::take(blocks))
                    .unwrap_or_default()
            })
            .collect();
        Blocks {
            body: self.body,
            notes,
        }
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<(Style, String)> {
        blocks.iter().map(|b| (b.style, b.text())).collect()
    }

    #[test]
    fn blocks_keep_their_kind_and_words() {
        let read = read(
            "> **DRAFT — not approved.** Awaiting legal.\n\n# Title\n\nOne *two* **three**.[^1]  \nFour\n\n\
             - a\n- b\n\n1. c\n2. d\n\n> quoted\n\n[^1]: The source. <https://example.org/x>\n",
            true,
        );
        assert_eq!(
            texts(&read.body),
            vec![
                (
                    Style::Banner,
                    "DRAFT — not approved. Awaiting legal.".to_owned()
                ),
                (Style::Heading(1), "Title".to_owned()),
                (Style::Body, "One two three.\nFour".to_owned()),
                (Style::Item { list: 0, level: 0 }, "a".to_owned()),
                (Style::Item { list: 0, level: 0 }, "b".to_owned()),
                (Style::Item { list: 1, level: 0 }, "c".to_owned()),
                (Style::Item { list: 1, level: 0 }, "d".to_owned()),
                (Style::Quote, "quoted".to_owned()),
            ]
        );
        assert_eq!(read.notes.len(), 1);
        assert_eq!(
            texts(&read.notes[0]),
            vec![(Style::Note, "The source. https://example.org/x".to_owned())]
        );
        assert_eq!(read.title(), "Title");
        let Inline::Text(_, format) = &read.body[2].inlines[1] else {
            panic!("{:?}", read.body[2]);
        };
        assert!(format.italic && !format.bold);
    }

    #[test]
    fn without_a_banner_a_first_quote_is_a_quote() {
        let read = read("> Not a banner.\n\n# T\n", false);
        assert_eq!(read.body[0].style, Style::Quote);
    }

    #[test]
    fn footnotes_are_numbered_as_first_cited_and_marked_once() {
        let read = read(
            "A.[^b] B.[^a] C.[^b]\n\n[^a]: First defined.\n[^b]: Second defined.\n[^c]: Never cited.\n",
            false,
        );
        assert_eq!(read.notes.len(), 2);
        assert_eq!(read.notes[0][0].text(), "Second defined.");
        assert_eq!(
            read.body[0]
                .inlines
                .iter()
                .filter(|i| matches!(i, Inline::Note(_)))
                .count(),
            2
        );
        assert_eq!(read.body[0].text(), "A. B. C.1");
    }

    #[test]
    fn loose_and_nested_list_items() {
        let read = read("- a\n\n  more\n\n  - inner\n- b\n", false);
        assert_eq!(
            texts(&read.body),
            vec![
                (Style::Item { list: 0, level: 0 }, "a".to_owned()),
                (Style::Continued { level: 0 }, "more".to_owned()),
                (Style::Item { list: 0, level: 1 }, "inner".to_owned()),
                (Style::Item { list: 0, level: 0 }, "b".to_owned()),
            ]
        );
    }
}
