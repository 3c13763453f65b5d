//! Word documents: a `.docx` beside each markdown document, and a redline
//! whose changes are Word tracked changes ([`tracked`]).
//!
//! The markdown is read into blocks ([`blocks`]) with pulldown-cmark, and
//! the blocks are laid out with docx-rs: headings, paragraphs, emphasis,
//! lists and block quotes in Word's own styles, the draft banner as a
//! shaded paragraph, and footnotes as Word footnotes. The document's
//! properties name its title and the organisation; its footer names the
//! document kind and, while the case is not approved, says so.
//!
//! The file is packed by [`package`], so the same markdown always gives
//! the same bytes.

mod blocks;
mod package;
pub mod tracked;

use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, Footer, Footnote, IndentLevel, Level, LevelJc,
    LevelOverride, LevelText, LineSpacing, NumberFormat, Numbering, NumberingId, Paragraph,
    RunFonts, Shading, ShdType, SpecialIndentType, Start, Style, StyleType, VertAlignType,
};

use blocks::{Block, Format, Inline};

use blocks::Style as BlockStyle;

/// What a Word document says about itself, beyond its text.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    /// The organisation speaking, for the document's properties.
    pub organisation: &'a str,
    /// The document kind, for the footer.
    pub kind: &'a str,
    /// What the document's banner says in a word (`DRAFT`, `WITHDRAWN`),
    /// for the footer, when it opens with one; its first block quote is
    /// then that banner.
    pub mark: Option<&'a str>,
}

/// The markdown `markdown` as a Word document.
pub fn document(markdown: &str, about: &About<'_>) -> Vec<u8> {
    let read = blocks::read(markdown, about.mark.is_some());
    let mut ids = ParagraphIds::default();
    let mut docx = with_numbered_lists(layout(about, &mut ids), read.numbered_lists());
    let notes: Vec<Footnote> = read
        .notes
        .iter()
        .enumerate()
        .map(|(index, blocks)| Footnote {
            id: index + 1,
            content: blocks
                .iter()
                .map(|block| paragraph(block, &mut ids, &[]))
                .collect(),
        })
        .collect();
    for block in &read.body {
        docx = docx.add_paragraph(paragraph(block, &mut ids, &notes));
    }
    package::pack(
        docx,
        &package::Properties {
            title: &read.title(),
            organisation: about.organisation,
            subject: about.kind,
        },
    )
}

/// A document's paragraph ids (`w14:paraId`), given in order, so that
/// they never depend on what else was built before or on another thread.
#[derive(Default)]
pub(crate) struct ParagraphIds {
    next: u32,
}

impl ParagraphIds {
    pub(crate) fn paragraph(&mut self) -> Paragraph {
        self.next += 1;
        Paragraph::new().id(format!("{:08X}", self.next))
    }
}

/// Numbering definitions: bullets, and numbers. docx-rs defines one of
/// its own, numbered 1.
const BULLETS: usize = 10;
const NUMBERS: usize = 11;
/// How far each level of a list is indented, in twentieths of a point.
const LIST_INDENT: i32 = 360;

/// A Word document with candor's styles, numbering and footer, and no
/// text yet.
pub(crate) fn layout(about: &About<'_>, ids: &mut ParagraphIds) -> Docx {
    let mut docx = Docx::new()
        .default_fonts(
            RunFonts::new()
                .ascii("Calibri")
                .hi_ansi("Calibri")
                .cs("Calibri"),
        )
        .default_size(22)
        .default_line_spacing(LineSpacing::new().after(160).line(264));
    for style in styles() {
        docx = docx.add_style(style);
    }
    let mut bullets = AbstractNumbering::new(BULLETS);
    let mut numbers = AbstractNumbering::new(NUMBERS);
    for level in 0..9 {
        let indent = Some(LIST_INDENT * (i32::try_from(level).unwrap_or(0) + 1));
        let hanging = Some(SpecialIndentType::Hanging(LIST_INDENT));
        bullets = bullets.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new(["•", "◦", "▪"][level % 3]),
                LevelJc::new("left"),
            )
            .indent(indent, hanging, None, None),
        );
        numbers = numbers.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new(["decimal", "lowerLetter", "lowerRoman"][level % 3]),
                LevelText::new(format!("%{}.", level + 1)),
                LevelJc::new("left"),
            )
            .indent(indent, hanging, None, None),
        );
    }
    docx = docx
        .add_abstract_numbering(bullets)
        .add_abstract_numbering(numbers)
        .add_numbering(Numbering::new(BULLETS, BULLETS));
    let footer_text = match about.mark {
        Some(mark) => format!("{} · {mark}", about.kind),
        None => about.kind.to_owned(),
    };
    let footer = Footer::new().add_paragraph(
        ids.paragraph()
            .style("Footer")
            .align(AlignmentType::Center)
            .add_run(docx_rs::Run::new().add_text(footer_text)),
    );
    docx.footer(footer)
}

/// The numbering instance of the `list`-th numbered list: one each, so
/// every list numbers from 1.
pub(crate) fn numbered_list_id(list: usize) -> usize {
    NUMBERS + 10 + list
}

/// Adds a numbering instance for every numbered list the blocks use.
pub(crate) fn with_numbered_lists(mut docx: Docx, lists: usize) -> Docx {
    for list in 1..=lists {
        docx = docx.add_numbering(
            Numbering::new(numbered_list_id(list), NUMBERS)
                .add_override(LevelOverride::new(0).start(1)),
        );
    }
    docx
}

/// The paragraph styles candor's documents use, named as Word names its
/// built-in ones so that Word's style pane and navigation know them.
fn styles() -> Vec<Style> {
    let mut styles = vec![
        Style::new("Normal", StyleType::Paragraph).name("Normal"),
        Style::new("Quote", StyleType::Paragraph)
            .name("Quote")
            .based_on("Normal")
            .italic()
            .indent(Some(720), None, Some(720), None),
        Style::new("Banner", StyleType::Paragraph)
            .name("Banner")
            .based_on("Normal"),
        Style::new("ListParagraph", StyleType::Paragraph)
            .name("List Paragraph")
            .based_on("Normal"),
        Style::new("Code", StyleType::Paragraph)
            .name("Code")
            .based_on("Normal")
            .fonts(RunFonts::new().ascii("Consolas").hi_ansi("Consolas"))
            .size(20),
        Style::new("FootnoteText", StyleType::Paragraph)
            .name("footnote text")
            .based_on("Normal")
            .size(18),
        Style::new("Footer", StyleType::Paragraph)
            .name("footer")
            .based_on("Normal")
            .size(18)
            .color("595959"),
    ];
    let mut banner = styles.remove(2);
    banner.paragraph_property = banner.paragraph_property.shading(
        Shading::new()
            .shd_type(ShdType::Clear)
            .color("auto")
            .fill("FFF2CC"),
    );
    styles.push(banner);
    let mut reference =
        Style::new("FootnoteReference", StyleType::Character).name("footnote reference");
    reference.run_property = reference
        .run_property
        .vert_align(VertAlignType::SuperScript);
    styles.push(reference);
    for level in 1..=6u8 {
        let size = [32, 26, 24, 22, 22, 22][usize::from(level - 1)];
        styles.push(
            Style::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("heading {level}"))
                .based_on("Normal")
                .next("Normal")
                .bold()
                .size(size)
                .color("1F3864")
                .line_spacing(LineSpacing::new().before(240).after(80))
                .outline_lvl(usize::from(level - 1)),
        );
    }
    styles
}

/// An empty paragraph set as `style` asks.
pub(crate) fn styled(paragraph: Paragraph, style: BlockStyle) -> Paragraph {
    match style {
        BlockStyle::Heading(level) => paragraph.style(&format!("Heading{level}")),
        BlockStyle::Body => paragraph,
        BlockStyle::Quote => paragraph.style("Quote"),
        BlockStyle::Banner => paragraph.style("Banner"),
        BlockStyle::Item { list, level } => {
            let id = if list == 0 {
                BULLETS
            } else {
                numbered_list_id(list)
            };
            paragraph
                .style("ListParagraph")
                .numbering(NumberingId::new(id), IndentLevel::new(level))
        }
        BlockStyle::Continued { level } => paragraph.style("ListParagraph").indent(
            Some(LIST_INDENT * (i32::try_from(level).unwrap_or(0) + 1)),
            None,
            None,
            None,
        ),
        BlockStyle::Code => paragraph.style("Code"),
        BlockStyle::Note => paragraph.style("FootnoteText"),
    }
}

/// A run of `text` set as `format` asks.
pub(crate) fn run(text: &str, format: Format) -> docx_rs::Run {
    let mut run = docx_rs::Run::new().add_text(text);
    if format.bold {
        run = run.bold();
    }
    if format.italic {
        run = run.italic();
    }
    if format.strike {
        run = run.strike();
    }
    if format.code {
        run = run.fonts(RunFonts::new().ascii("Consolas").hi_ansi("Consolas"));
    }
    run
}

/// A block as a paragraph, each first citation a Word footnote reference
/// to its note among `notes`; without the note, its number in superscript.
fn paragraph(block: &Block, ids: &mut ParagraphIds, notes: &[Footnote]) -> Paragraph {
    let mut paragraph = styled(ids.paragraph(), block.style);
    for inline in &block.inlines {
        paragraph = match inline {
            Inline::Text(text, format) => paragraph.add_run(run(text, *format)),
            Inline::Break => {
                paragraph.add_run(docx_rs::Run::new().add_break(docx_rs::BreakType::TextWrapping))
            }
            Inline::Note(number) => match notes.get(number - 1) {
                Some(note) => paragraph.add_run(
                    docx_rs::Run::new()
                        .style("FootnoteReference")
                        .add_footnote_reference(note.clone()),
                ),
                None => paragraph.add_run(superscript(*number)),
            },
            Inline::NoteAgain(number) => paragraph.add_run(superscript(*number)),
        };
    }
    paragraph
}

fn superscript(number: usize) -> docx_rs::Run {
    docx_rs::Run::new()
        .style("FootnoteReference")
        .add_text(number.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKDOWN: &str = "> **DRAFT — not approved for release.** Awaiting sign-off: legal.\n\n\
        # A title & more\n\nA claim.[^1] Another.[^2]\n\n- one\n- two\n\n1. first\n\n[^1]: A source.\n[^2]: Another source.\n";

    fn about() -> About<'static> {
        About {
            organisation: "Example Ltd",
            kind: "employee-memo",
            mark: Some("DRAFT"),
        }
    }

    #[test]
    fn the_same_markdown_gives_the_same_bytes_whatever_was_built_before_or_beside() {
        let first = document(MARKDOWN, &about());
        let _ = document("# Other\n\nText.[^1]\n\n[^1]: Note.\n", &about());
        let on_other_threads: Vec<Vec<u8>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| document(MARKDOWN, &about())))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(on_other_threads.iter().all(|bytes| *bytes == first));
        assert_eq!(document(MARKDOWN, &about()), first);
    }

    #[test]
    fn nothing_in_markdown_panics() {
        for markdown in [
            "",
            "[^x]",
            "[^x]: never cited",
            "> ",
            "- \n  - \n    - \n",
            "```\n\n```",
            "<ins>x</ins>\n\n<script>",
            "# \n\n#",
            "[a](<>)",
            "\u{0}\u{1b}",
        ] {
            let bytes = document(markdown, &about());
            assert!(bytes.starts_with(b"PK"), "{markdown:?}");
        }
    }
}
