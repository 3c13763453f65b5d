//! Case text is text: escaping for markdown.
//!
//! Everything a template prints from a case passes through [`markdown`], so
//! `*`, `_`, `<script>`, `[link](x)` or `# heading` in a YAML field come out
//! literally instead of becoming markup. The escape is minimal where that
//! is safe, so the markdown stays readable as plain text.

use std::io::{self, Write};

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
    out.write_all(escape_markdown(input).as_bytes())
}

/// The escaped text as a string; see [`markdown`].
pub(crate) fn escape_markdown(input: &str) -> String {
    // Most case text is plain prose that comes out as it went in; every
    // printed value passes through here, so that is worth seeing first.
    if is_plain(input) {
        return input.to_owned();
    }
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
    let mut after_space = false;
    starts_plainly
        && !input.ends_with(' ')
        && input.chars().all(|c| {
            let double_space = c == ' ' && after_space;
            after_space = c == ' ';
            let plain = c == ' '
                || (!c.is_whitespace()
                    && !c.is_control()
                    && !ALWAYS.contains(&c)
                    && c != '_'
                    && c != '&');
            plain && !double_space
        })
}

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
    use super::escape_markdown;

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
        let mut escaped = String::new();
        let paragraphs = input
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty());
        for (index, paragraph) in paragraphs.enumerate() {
            if index > 0 {
                escaped.push_str("\n\n");
            }
            super::escape_paragraph(&paragraph, &mut escaped);
        }
        escaped
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

    proptest::proptest! {
        #[test]
        fn the_shortcut_agrees_with_the_escape(input in "[a-c1 _*#>&;$.\\-+=)\n\t\u{a0}\u{7}é]{0,12}") {
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
