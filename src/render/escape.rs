//! Case text is text: escaping by what a document is written in.
//!
//! Everything a template prints from a case is escaped for the document's
//! output type, decided by its template's extension ([`Output::of`]): in
//! markdown by [`markdown`], so `*`, `_`, `<script>`, `[link](x)` or
//! `# heading` in a YAML field come out literally instead of becoming
//! markup, minimally where that is safe so the markdown stays readable; in
//! HTML as HTML; in plain text as written, control characters shown.

use std::io::{self, Write};

/// What a document is written in, which decides how every value a template
/// prints is escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Output {
    /// `.md`, and any extension candor does not know: markdown-escaped.
    Markdown,
    /// `.html` or `.htm`: HTML-escaped.
    Html,
    /// `.txt`: as written, without markup.
    Plain,
}

impl Output {
    /// The output type of documents rendered through `template`.
    pub fn of(template: &str) -> Output {
        match template
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
        {
            Some(ext) if ext == "html" || ext == "htm" => Output::Html,
            Some(ext) if ext == "txt" => Output::Plain,
            _ => Output::Markdown,
        }
    }

    /// The escape Tera applies to every value printed.
    pub(crate) fn escape_fn(self) -> tera::EscapeFn {
        match self {
            Output::Markdown => markdown,
            Output::Html => html,
            Output::Plain => plain,
        }
    }

    /// `text` escaped for this output type.
    pub(crate) fn escape(self, text: &str) -> String {
        let mut out = Vec::with_capacity(text.len());
        // Writing to a vector cannot fail.
        let _ = (self.escape_fn())(text, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// Writes `input` HTML-escaped, control characters shown as in [`plain`].
fn html(input: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut shown = Vec::with_capacity(input.len());
    plain(input, &mut shown)?;
    tera::escape_html(&String::from_utf8_lossy(&shown), out)
}

/// Writes `input` as plain text: as written, but a control character other
/// than a line break or tab is shown as its code, never sent to a terminal
/// or a printer as it is.
fn plain(input: &str, out: &mut dyn Write) -> io::Result<()> {
    if !input
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return out.write_all(input.as_bytes());
    }
    let shown: String = input
        .chars()
        .flat_map(|c| {
            let hidden = c.is_control() && !matches!(c, '\n' | '\t');
            let code: Vec<char> = if hidden {
                c.escape_unicode().collect()
            } else {
                vec![c]
            };
            code
        })
        .collect();
    out.write_all(shown.as_bytes())
}

/// Characters that start markup wherever they appear. `#` and `>` start
/// markup only at the start of a line, `&` only as an entity (`&amp;`),
/// and `$` never (candor's markdown has no maths): escaping them elsewhere
/// would only put backslashes into the text a reader sees.
const ALWAYS: &[char] = &['\\', '`', '*', '[', ']', '<', '|', '~'];

/// Characters that start a block (a heading, a quote) at the start of a line.
const AT_START: &[char] = &['#', '>'];

/// Whether the `&` at `i` would start a character reference: `&amp;`,
/// `&#38;`, `&#x26;`.
fn starts_entity(chars: &[char], i: usize) -> bool {
    let name: Vec<&char> = chars[i + 1..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .collect();
    !name.is_empty() && chars.get(i + 1 + name.len()) == Some(&';')
}

/// Escapes `input` so markdown shows it exactly as written. Single line
/// breaks fold into spaces, as in a YAML folded scalar; blank lines are
/// kept as paragraph breaks; leading and trailing white space is dropped.
pub(crate) fn markdown(input: &str, out: &mut dyn Write) -> io::Result<()> {
    // Most case text is plain prose that comes out as it went in; every
    // printed value passes through here, so that is worth seeing first.
    if is_plain(input) {
        return out.write_all(input.as_bytes());
    }
    out.write_all(escape_marked_up(input).as_bytes())
}

/// [`markdown`]'s escape of text that is not plain.
fn escape_marked_up(input: &str) -> String {
    let mut escaped = String::with_capacity(input.len() + input.len() / 8);
    let paragraphs = input
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty());
    for (index, paragraph) in paragraphs.enumerate() {
        if index > 0 {
            escaped.push_str("\n\n");
        }
        escape_paragraph(&paragraph, &mut escaped);
    }
    escaped
}

/// Whether escaping leaves `input` as it is: one line, single spaces
/// between words and none around them, no character that could start
/// markup, and no start that could make a list, heading or rule.
fn is_plain(input: &str) -> bool {
    // Digits start a list only when a `.` or `)` follows them: dates such
    // as `6 August 2025` are plain.
    let after_digits = input.trim_start_matches(|c: char| c.is_ascii_digit());
    let starts_numbered_list =
        after_digits.len() < input.len() && after_digits.starts_with(['.', ')']);
    let starts_block = matches!(
        input.chars().next(),
        Some('-' | '+' | '=' | ' ' | '#' | '>')
    );
    let starts_plainly = !starts_block && !starts_numbered_list;
    starts_plainly && !input.ends_with(' ') && has_only_plain_characters(input)
}

/// Whether every character of `input` is plain and no two spaces meet.
/// ASCII is read a byte at a time, other characters decoded.
fn has_only_plain_characters(input: &str) -> bool {
    let bytes = input.as_bytes();
    let mut after_space = false;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            let double_space = byte == b' ' && after_space;
            if !PLAIN_ASCII[usize::from(byte)] || double_space {
                return false;
            }
            after_space = byte == b' ';
            at += 1;
            continue;
        }
        let Some(c) = input.get(at..).and_then(|rest| rest.chars().next()) else {
            return false;
        };
        if c.is_whitespace() || c.is_control() {
            return false;
        }
        after_space = false;
        at += c.len_utf8();
    }
    true
}

/// For each ASCII character, whether it is plain wherever it stands: a
/// space, or a printable character that starts no markup. Looked up rather
/// than worked out, since every character of every printed value is.
const PLAIN_ASCII: [bool; 128] = {
    let mut plain = [false; 128];
    let mut byte = b' ';
    while byte <= b'~' {
        plain[byte as usize] = true;
        byte += 1;
    }
    let mut i = 0;
    while i < ALWAYS.len() {
        plain[ALWAYS[i] as usize] = false;
        i += 1;
    }
    plain[b'_' as usize] = false;
    plain[b'&' as usize] = false;
    plain
};

fn escape_paragraph(text: &str, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    // A paragraph that would start a list, a heading or a thematic break.
    let leading_digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let starts_block = matches!(chars.first(), Some('-' | '+' | '='))
        || (leading_digits > 0 && matches!(chars.get(leading_digits), Some('.' | ')')));
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| chars.get(j));
        let after = chars.get(i + 1);
        let needs_escape = ALWAYS.contains(&c)
            || (i == 0 && AT_START.contains(&c))
            || (c == '&' && starts_entity(&chars, i))
            || (c == '_'
                && !(before.is_some_and(|b| b.is_alphanumeric())
                    && after.is_some_and(|a| a.is_alphanumeric())))
            || (starts_block && (i == 0 && !c.is_ascii_digit() || i == leading_digits && i > 0));
        if c.is_control() {
            // Control characters have no business in a document; show them.
            out.extend(c.escape_unicode());
            continue;
        }
        if needs_escape {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::Output;

    /// What [`super::markdown`] writes for `input`.
    fn escape_markdown(input: &str) -> String {
        let mut written = Vec::new();
        super::markdown(input, &mut written).unwrap();
        String::from_utf8(written).unwrap()
    }

    #[test]
    fn each_output_type_has_its_escape() {
        assert_eq!(Output::of("web.html"), Output::Html);
        assert_eq!(Output::of("web.HTM"), Output::Html);
        assert_eq!(Output::of("post.txt"), Output::Plain);
        assert_eq!(Output::of("memo.md"), Output::Markdown);
        assert_eq!(Output::of("feed.json"), Output::Markdown);
        let text = "<script>*x*</script> & \u{7}";
        assert_eq!(
            Output::Html.escape(text),
            "&lt;script&gt;*x*&lt;/script&gt; &amp; \\u{7}"
        );
        assert_eq!(Output::Plain.escape(text), "<script>*x*</script> & \\u{7}");
        assert_eq!(
            Output::Markdown.escape(text),
            "\\<script>\\*x\\*\\</script> & \\u{7}"
        );
    }

    #[test]
    fn markup_comes_out_literally() {
        assert_eq!(escape_markdown("*bold* _em_"), r"\*bold\* \_em\_");
        assert_eq!(escape_markdown("<script>"), r"\<script>");
        assert_eq!(escape_markdown("[x](y)"), r"\[x\](y)");
        assert_eq!(escape_markdown("# title"), r"\# title");
        assert_eq!(escape_markdown("- item"), r"\- item");
        assert_eq!(escape_markdown("1. item"), r"1\. item");
        assert_eq!(escape_markdown("{{ x }} {% y %}"), "{{ x }} {% y %}");
    }

    /// The escape without its shortcut for plain text.
    fn without_shortcut(input: &str) -> String {
        super::escape_marked_up(input)
    }

    #[test]
    fn the_shortcut_for_plain_text_changes_nothing() {
        let samples = [
            "",
            " ",
            "plain words here.",
            "two  spaces",
            " leading",
            "trailing ",
            "tab\there",
            "line\nbreak",
            "para\n\nbreak",
            "no\u{a0}break space",
            "- dash",
            "+ plus",
            "= equals",
            "12. twelve",
            "1999 was a year",
            "6 August 2025",
            "2025",
            "7) seven",
            "a_b snake",
            "_lead",
            "star * here",
            "bell \u{7} here",
            "ünïcödé words “quoted”",
        ];
        for sample in samples {
            assert_eq!(
                escape_markdown(sample),
                without_shortcut(sample),
                "{sample:?}"
            );
        }
    }

    #[test]
    fn the_shortcut_agrees_for_every_character_amid_words() {
        let others = ['\u{85}', '\u{a0}', '\u{2028}', '\u{3000}', 'é', '“'];
        for c in (0..=127u8).map(char::from).chain(others) {
            let sample = format!("a{c}b");
            assert_eq!(
                escape_markdown(&sample),
                without_shortcut(&sample),
                "{sample:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn the_shortcut_agrees_with_the_escape(
            input in "[a-z ]{0,5}[ -~\n\t\r\u{7}\u{7f}\u{85}\u{a0}\u{2028}é]{0,2}[a-z ]{0,5}"
        ) {
            proptest::prop_assert_eq!(escape_markdown(&input), without_shortcut(&input));
        }
    }

    #[test]
    fn characters_that_are_markup_only_somewhere_are_escaped_only_there() {
        assert_eq!(escape_markdown("LAPSUS$ sent"), "LAPSUS$ sent");
        assert_eq!(escape_markdown("Smith & Co"), "Smith & Co");
        assert_eq!(escape_markdown("&amp; and &#38;"), r"\&amp; and \&#38;");
        assert_eq!(escape_markdown("#ts-team channel"), r"\#ts-team channel");
        assert_eq!(escape_markdown("in #ts-team"), "in #ts-team");
        assert_eq!(escape_markdown("> quoted"), r"\> quoted");
        assert_eq!(escape_markdown("a > b"), "a > b");
    }

    #[test]
    fn plain_prose_stays_readable() {
        assert_eq!(
            escape_markdown("snake_case it's 2-3 (ok)."),
            "snake_case it's 2-3 (ok)."
        );
        assert_eq!(escape_markdown("a\nb\n\nc\n"), "a b\n\nc");
    }
}
