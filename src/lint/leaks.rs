//! The second line of defence: internal text must not appear in a public
//! document. The projection already keeps internal items out of a public
//! document's reach; this check searches the output for every internal
//! text of the case anyway, whatever a template did to hide it.
//!
//! Both sides are compared as a reader would see them ([`normalise`]):
//! HTML entities decoded, tags, markdown escapes and emphasis marks
//! removed, invisible characters dropped, Unicode in compatibility form
//! (NFKC) and lower case, white space collapsed. A markdown document is
//! searched as written and, when it holds HTML or entities, as the HTML
//! page `--html` would make of it. A long internal text is found anywhere;
//! a short one, which could be a coincidence inside a longer word, only as
//! a whole phrase.

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind, Span};
use std::borrow::Cow;
use std::cell::OnceCell;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Audience, Pos, Visibility};
use crate::outcome::Document;
use crate::validate::CheckedCase;

/// Texts shorter than this, once normalised, are found only as whole
/// phrases: a short text inside a longer word is a coincidence.
const SHORT_SECRET: usize = 16;

/// Texts shorter than this, once normalised, are not searched for at all:
/// a word or two that common cannot tell a leak from prose.
const SHORTEST_SECRET: usize = 4;

/// The searcher looks for at most this many bytes of each secret, its
/// opening: every occurrence of a secret starts with an occurrence of its
/// opening, where the rest is then compared. A trie of whole paragraphs
/// would find the same, but take many times longer to build.
const OPENING: usize = 32;

/// Every internal text of one case, normalised once, and one automaton that
/// finds them all: built at the case's first public document and used for
/// each of them.
pub(super) struct Search<'a> {
    /// The internal texts worth searching for, normalised, with how many
    /// characters each has.
    secrets: Vec<(String, usize, Secret<'a>)>,
    /// Finds the next place any secret's opening starts; `None` when
    /// there is no secret to find.
    searcher: Option<Openings>,
    /// The case's public texts, as written.
    public: Vec<String>,
    /// The same, normalised: only needed once a secret is found, to tell
    /// whether the case says it in public too.
    public_normalised: OnceCell<String>,
}

impl<'a> Search<'a> {
    pub(super) fn new(case: &'a CheckedCase<'a>) -> Search<'a> {
        let (internal, public) = texts(case);
        let secrets: Vec<(String, usize, Secret<'a>)> = internal
            .into_iter()
            .map(|secret| {
                let text = normalise(secret.text);
                let chars = text.chars().count();
                (text, chars, secret)
            })
            .filter(|(_, chars, _)| *chars >= SHORTEST_SECRET)
            .collect();
        let searcher = Openings::of(&secrets);
        Search {
            secrets,
            searcher,
            public,
            public_normalised: OnceCell::new(),
        }
    }

    /// Whether the case says `text`, normalised, in public too: then it is
    /// no secret.
    fn said_in_public(&self, text: &str) -> bool {
        self.public_normalised
            .get_or_init(|| normalise(&self.public.join("\n")))
            .contains(text)
    }

    /// The leaks in `document`: every secret it contains, once, in the
    /// order the case holds them.
    /// `holds_raw_html` says whether the markdown parser found HTML of the
    /// document's own in it.
    pub(super) fn check(
        &self,
        document: &Document,
        case: &CheckedCase<'_>,
        holds_raw_html: bool,
    ) -> Vec<Diagnostic> {
        if document.audience != Audience::Public {
            return Vec::new();
        }
        let Some(searcher) = &self.searcher else {
            return Vec::new();
        };
        let mut outputs = vec![normalise(&document.text)];
        let is_markdown = document.path.extension().is_some_and(|e| e == "md");
        if is_markdown && document.text.contains(['<', '&']) {
            let page = crate::render::html::body_to_read(&document.text, holds_raw_html);
            outputs.push(normalise(&page));
        }
        let mut found = vec![false; self.secrets.len()];
        for output in &outputs {
            mark_found(searcher, &self.secrets, output, &mut found);
        }
        self.secrets
            .iter()
            .zip(found)
            .filter(|((text, _, _), found)| *found && !self.said_in_public(text))
            .map(|((_, _, secret), _)| leak(document, case, secret))
            .collect()
    }
}

/// What finds, from a place in an output, the next place where the opening
/// of any secret starts.
enum Openings {
    /// A packed (SIMD) searcher: built in a few microseconds, where an
    /// automaton over the same openings takes several times longer to
    /// build than to run over a case's one or two public documents.
    Packed(packed::Searcher),
    /// An automaton, where the packed searcher cannot be had: on a
    /// processor without the instructions it needs, or for more openings
    /// than it takes.
    Automaton(AhoCorasick),
}

impl Openings {
    /// A searcher for the openings of `secrets`; `None` for no secrets.
    fn of(secrets: &[(String, usize, Secret<'_>)]) -> Option<Openings> {
        let openings = openings(secrets);
        if openings.is_empty() {
            return None;
        }
        let mut packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder();
        packed.extend(&openings);
        match packed.build() {
            Some(searcher) => Some(Openings::Packed(searcher)),
            None => Openings::automaton(&openings),
        }
    }

    /// The automaton, built whatever the processor.
    fn automaton(openings: &[&str]) -> Option<Openings> {
        AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .match_kind(MatchKind::LeftmostFirst)
            .build(openings)
            .ok()
            .map(Openings::Automaton)
    }

    /// Where the first opening at or after byte `from` of `output` starts.
    /// Of several that start at one place only one is reported: the caller
    /// compares every secret there.
    fn next_in(&self, output: &str, from: usize) -> Option<usize> {
        let span = Span::from(from..output.len());
        match self {
            Openings::Packed(searcher) => searcher.find_in(output, span).map(|hit| hit.start()),
            Openings::Automaton(automaton) => automaton
                .find(Input::new(output).span(span))
                .map(|hit| hit.start()),
        }
    }
}

/// The distinct openings of `secrets`, in order.
fn openings<'s>(secrets: &'s [(String, usize, Secret<'_>)]) -> Vec<&'s str> {
    let mut openings: Vec<&str> = Vec::new();
    for (text, _, _) in secrets {
        let opening = opening(text);
        if !openings.contains(&opening) {
            openings.push(opening);
        }
    }
    openings
}

/// Marks in `found` each of `secrets` that `output` contains: anywhere for
/// a long one, as a whole phrase for a short one. Every place an opening
/// starts is visited, and every secret compared there, so each occurrence
/// of each secret is seen.
fn mark_found(
    searcher: &Openings,
    secrets: &[(String, usize, Secret<'_>)],
    output: &str,
    found: &mut [bool],
) {
    let mut from = 0;
    while from < output.len()
        && let Some(start) = searcher.next_in(output, from)
    {
        let rest = &output.as_bytes()[start..];
        for (index, (text, chars, _)) in secrets.iter().enumerate() {
            if found[index] || !rest.starts_with(text.as_bytes()) {
                continue;
            }
            let end = start + text.len();
            if *chars >= SHORT_SECRET || is_whole_phrase(output, start, end) {
                found[index] = true;
            }
        }
        if found.iter().all(|found| *found) {
            return;
        }
        from = start + 1;
    }
}

/// The first [`OPENING`] bytes of `text`, or fewer to end on a character.
fn opening(text: &str) -> &str {
    let mut end = text.len().min(OPENING);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The diagnostic for `secret` found in `document`.
fn leak(document: &Document, case: &CheckedCase<'_>, secret: &Secret<'_>) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Code::Leak,
        format!(
            "{} contains internal text from {}",
            document.path.display(),
            secret.what
        ),
    )
    .in_file(case.file)
    .at(secret.pos)
    .with_help(
        "a public template printed internal material: check the templates for this \
         document kind, or make the item public if it is meant to be",
    );
    if let Some(id) = secret.id {
        diagnostic = diagnostic.with_id(id);
    }
    diagnostic
}

/// Whether `text[start..end]` stands as a phrase of its own: neither end
/// inside a word.
fn is_whole_phrase(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let inside = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    // A phrase that starts or ends in punctuation bounds itself there.
    let cut_at_start = inside(before) && inside(first);
    let cut_at_end = inside(after) && inside(last);
    !(cut_at_start || cut_at_end)
}

/// `text` as a reader sees it, for comparing: HTML entities decoded, tags
/// and comments, markdown escapes and emphasis marks removed, characters
/// that show nothing dropped, NFKC, lower case, white space collapsed.
pub(crate) fn normalise(text: &str) -> String {
    let stripped = if text.contains('<') {
        Cow::Owned(strip_tags(text))
    } else {
        Cow::Borrowed(text)
    };
    let decoded = if stripped.contains('&') {
        Cow::Owned(decode_entities(&stripped))
    } else {
        stripped
    };
    // Most text is ASCII, which NFKC leaves as it is, and most of the rest
    // (typographic quotes and dashes) is already in NFKC, which the quick
    // check says without composing anything: such text is lowered and
    // folded as its marks are dropped, in one pass.
    if let Some(folded) = plain_lowered_and_folded(&decoded) {
        return folded;
    }
    let plain = without_marks(&decoded);
    let folded: String = plain.nfkc().flat_map(char::to_lowercase).collect();
    super::fold_whitespace(&folded)
}

/// `text` without its marks ([`without_marks`]), each character lowered
/// on its own and white space folded, in one reading; `None` when what is
/// left is not surely in NFKC already, and must be composed first. (The
/// standard library's `to_lowercase` of a whole text differs from lowering
/// each character only for a capital sigma, which it writes as a final
/// sigma at the end of a word.)
fn plain_lowered_and_folded(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut folded = Folded::with_capacity(text.len());
    // The characters of the run of non-ASCII text read last, as the
    // marks' removal leaves it: the quick check reads only such runs, as
    // every ASCII character between them starts its reading afresh.
    let mut run = String::new();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            at += 1;
            if ascii_shows(byte, bytes.get(at)) {
                if !run.is_empty() && !is_nfkc_already(&mut run) {
                    return None;
                }
                folded.push_ascii(byte);
            }
            continue;
        }
        let c = text[at..].chars().next()?;
        at += c.len_utf8();
        if !is_invisible(c) {
            run.push(c);
            c.to_lowercase().for_each(|lower| folded.push(lower));
        }
    }
    (run.is_empty() || is_nfkc_already(&mut run)).then_some(folded.text)
}

/// Whether `run` is surely in NFKC by the quick check; empties it.
fn is_nfkc_already(run: &mut String) -> bool {
    let already = is_nfkc_quick(run.chars()) == IsNormalized::Yes;
    run.clear();
    already
}

/// Text lowered and folded as it is pushed, a character at a time: every
/// run of white space becomes one space, with none at either end.
struct Folded {
    text: String,
    space: bool,
}

impl Folded {
    fn with_capacity(capacity: usize) -> Folded {
        Folded {
            text: String::with_capacity(capacity),
            space: false,
        }
    }

    /// An ASCII character, lowered: read without decoding a character.
    fn push_ascii(&mut self, byte: u8) {
        // The ASCII characters `char::is_whitespace` counts.
        if matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            self.space = true;
            return;
        }
        if self.space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.space = false;
        self.text.push(char::from(byte.to_ascii_lowercase()));
    }

    /// A character already lowered.
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.space = true;
            return;
        }
        if self.space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.space = false;
        self.text.push(c);
    }
}

/// `text` without what shows nothing: a markdown escape's backslash,
/// emphasis, strike-through and code marks, invisible characters. Runs of
/// plain text are copied whole.
fn without_marks(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut plain = String::with_capacity(text.len());
    let mut kept_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        let width = match bytes[at] {
            byte if byte.is_ascii() => usize::from(ascii_shows(byte, bytes.get(at + 1))),
            _ => match text[at..].chars().next() {
                Some(c) if is_invisible(c) => 0,
                Some(c) => c.len_utf8(),
                None => 1,
            },
        };
        if width == 0 {
            plain.push_str(&text[kept_from..at]);
            at += text[at..].chars().next().map_or(1, char::len_utf8);
            kept_from = at;
        } else {
            at += width;
        }
    }
    plain.push_str(&text[kept_from..]);
    plain
}

/// Whether the ASCII character `byte`, with `next` after it, shows on the
/// page: a markdown escape's backslash shows only the character after it,
/// and emphasis, strike-through and code marks show nothing.
fn ascii_shows(byte: u8, next: Option<&u8>) -> bool {
    match byte {
        b'\\' => !next.is_some_and(u8::is_ascii_punctuation),
        b'*' | b'_' | b'~' | b'`' => false,
        _ => true,
    }
}

/// Characters that take no room on the page: joiners, soft hyphens,
/// direction marks, byte order marks.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
    )
}

/// `text` without HTML tags and comments: `<…>` wherever the `<` starts a
/// tag (a letter, `/` or `!` after it), as a browser would hide it.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let starts_tag =
            after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let end = if after.starts_with("!--") {
            after.find("-->").map(|at| at + 3)
        } else {
            after.find('>').map(|at| at + 1)
        };
        match (starts_tag, end) {
            (true, Some(end)) => rest = &after[end..],
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` with HTML character references decoded: numeric ones, and the
/// named ones markup uses. Decoding repeats while anything changes, so an
/// encoded `&amp;#73;` is decoded too.
fn decode_entities(text: &str) -> String {
    let mut current = text.to_owned();
    // Each round removes at least one `&`; a handful suffices for any text
    // a template would write.
    for _ in 0..4 {
        if !current.contains('&') {
            break;
        }
        let decoded = decode_once(&current);
        if decoded == current {
            break;
        }
        current = decoded;
    }
    current
}

fn decode_once(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity's name (between `&` and `;`) stands for.
fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "shy" => '\u{ad}',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        _ => return None,
    })
}

struct Secret<'a> {
    text: &'a str,
    what: String,
    pos: Pos,
    id: Option<&'a str>,
}

/// Every text of the case, split into internal and public.
fn texts<'a>(case: &'a CheckedCase<'a>) -> (Vec<Secret<'a>>, Vec<String>) {
    let mut internal = Vec::new();
    let mut public = Vec::new();
    let mut add =
        |visibility: Visibility, text: &'a str, what: String, pos: Pos, id: Option<&'a str>| {
            if visibility == Visibility::Public {
                public.push(text.to_owned());
            } else {
                internal.push(Secret {
                    text,
                    what,
                    pos,
                    id,
                });
            }
        };
    let raw = case.case;
    add(
        Visibility::Public,
        &raw.title,
        String::new(),
        Pos::default(),
        None,
    );
    add(
        Visibility::Public,
        &raw.summary,
        String::new(),
        Pos::default(),
        None,
    );
    for p in &case.principles {
        let what = format!("principle `{}`", p.id.value);
        add(
            p.visibility,
            &p.statement,
            what.clone(),
            p.id.pos,
            Some(p.id.as_str()),
        );
        if let Some(basis) = &p.basis {
            add(p.visibility, basis, what, p.id.pos, Some(p.id.as_str()));
        }
    }
    for s in &raw.sources {
        let what = format!("source `{}`", s.id.value);
        add(
            s.visibility,
            &s.claim,
            what.clone(),
            s.id.pos,
            Some(s.id.as_str()),
        );
        if let Some(verdict) = &s.verdict {
            add(
                s.visibility,
                verdict,
                what.clone(),
                s.id.pos,
                Some(s.id.as_str()),
            );
        }
        if let Some(title) = &s.title {
            add(s.visibility, title, what, s.id.pos, Some(s.id.as_str()));
        }
    }
    if let Some(review) = &raw.review {
        let review_public = review.visibility;
        for by in &review.conducted_by {
            add(
                review_public,
                by,
                "the review's `conducted_by`".to_owned(),
                review.pos,
                None,
            );
        }
        if let Some(summary) = &review.summary {
            add(
                review_public,
                summary,
                "review.summary".to_owned(),
                review.pos,
                None,
            );
        }
        for (i, e) in review.examined.iter().enumerate() {
            let visibility = e.visibility.max(review_public);
            add(
                visibility,
                &e.what,
                format!("review.examined[{i}]"),
                e.pos,
                None,
            );
        }
        for (i, e) in review.not_examined.iter().enumerate() {
            let visibility = e.visibility.max(review_public);
            add(
                visibility,
                &e.what,
                format!("review.not_examined[{i}]"),
                e.pos,
                None,
            );
        }
    }
    for f in &raw.findings {
        let what = format!("finding `{}`", f.id.value);
        add(
            f.visibility,
            &f.statement,
            what.clone(),
            f.id.pos,
            Some(f.id.as_str()),
        );
        if let Some(evidence) = &f.evidence {
            add(
                f.visibility,
                evidence,
                what.clone(),
                f.id.pos,
                Some(f.id.as_str()),
            );
        }
        if let Some(said) = &f.said {
            add(f.visibility, said, what, f.id.pos, Some(f.id.as_str()));
        }
    }
    for a in &raw.actions {
        let what = format!("action `{}`", a.id.value);
        let id = Some(a.id.as_str());
        add(a.visibility, &a.statement, what.clone(), a.id.pos, id);
        if let Some(reason) = &a.reason {
            add(a.visibility, reason, what.clone(), a.id.pos, id);
        }
        for limit in &a.limits {
            add(a.visibility, limit, what.clone(), a.id.pos, id);
        }
        for departure in &a.departs_from {
            if let Some(reason) = &departure.reason {
                add(a.visibility, reason, what.clone(), departure.pos, id);
            }
        }
    }
    for (i, a) in raw.acknowledgements.iter().enumerate() {
        add(
            a.visibility,
            &a.text,
            format!("acknowledgements[{i}]"),
            a.pos,
            None,
        );
    }
    for (i, n) in raw.next_steps.iter().enumerate() {
        add(
            n.visibility,
            &n.text,
            format!("next_steps[{i}]"),
            n.pos,
            None,
        );
    }
    for (i, t) in raw.timeline.iter().enumerate() {
        add(
            t.visibility,
            &t.event,
            format!("timeline[{i}]"),
            t.pos,
            None,
        );
    }
    for q in &raw.quotes {
        let what = format!("quote `{}`", q.id.value);
        add(q.visibility, &q.text, what, q.id.pos, Some(q.id.as_str()));
    }
    if let Some(post) = &raw.social_post {
        add(
            Visibility::Public,
            post,
            String::new(),
            Pos::default(),
            None,
        );
    }
    if let Some(incident) = &raw.incident {
        let v = incident.visibility;
        let what = || "the incident".to_owned();
        let texts = [
            &incident.nature,
            &incident.scope,
            &incident.impact,
            &incident.delay_reason,
            &incident.authority,
        ];
        for text in texts.into_iter().flatten() {
            add(v, text, what(), incident.pos, None);
        }
        for text in incident
            .consequences
            .iter()
            .chain(&incident.unknowns)
            .chain(&incident.data)
        {
            add(v, text, what(), incident.pos, None);
        }
        if let Some(contact) = &incident.contact {
            add(v, &contact.name, what(), incident.pos, None);
            for text in [&contact.email, &contact.phone, &contact.address]
                .into_iter()
                .flatten()
            {
                add(v, text, what(), incident.pos, None);
            }
        }
    }
    if let Some(customers) = &raw.customers {
        let v = customers.visibility;
        add(
            v,
            &customers.meaning,
            "customers".to_owned(),
            customers.pos,
            None,
        );
        for text in customers
            .steps
            .iter()
            .chain(&customers.steps_intro)
            .chain(&customers.contact)
        {
            add(v, text, "customers".to_owned(), customers.pos, None);
        }
    }
    for (i, t) in raw.talking_points.iter().enumerate() {
        add(
            Visibility::Internal,
            &t.text,
            format!("talking_points[{i}]"),
            Pos::default(),
            None,
        );
    }
    if let Some(to) = &raw.talking_points_to {
        add(
            Visibility::Internal,
            to,
            "talking_points_to".to_owned(),
            Pos::default(),
            None,
        );
    }
    for (i, f) in raw.faq.iter().enumerate() {
        add(
            Visibility::Internal,
            &f.question,
            format!("faq[{i}]"),
            Pos::default(),
            None,
        );
        add(
            Visibility::Internal,
            &f.answer,
            format!("faq[{i}]"),
            Pos::default(),
            None,
        );
    }
    for (i, c) in raw.contacts.iter().enumerate() {
        add(
            Visibility::Internal,
            &c.reach,
            format!("contacts[{i}]"),
            Pos::default(),
            None,
        );
    }
    (internal, public)
}

#[cfg(test)]
mod tests {
    use super::{Secret, is_whole_phrase, normalise};
    use crate::model::Pos;

    proptest::proptest! {
        #[test]
        fn ascii_is_lowered_and_folded_as_every_character_is(text in "[\\x00-\\x7f]{0,24}") {
            let by_character: String = super::super::fold_whitespace(
                &super::without_marks(&text).chars().flat_map(char::to_lowercase).collect::<String>(),
            );
            proptest::prop_assert_eq!(super::plain_lowered_and_folded(&text), Some(by_character));
        }
    }

    #[test]
    fn both_sides_read_as_a_reader_sees_them() {
        for disguised in [
            "&#73;NTERNAL  marker",
            "&amp;#73;nternal marker",
            "\\*INTERNAL\\* *marker*",
            "<b>Internal</b>\nmarker",
            "ｉｎｔｅｒｎａｌ mar\u{ad}ker",
        ] {
            assert_eq!(normalise(disguised), "internal marker", "{disguised}");
        }
        assert_eq!(normalise("a < b & c"), "a < b & c");
    }

    #[test]
    fn marks_go_as_a_character_by_character_reading_drops_them() {
        // The reading `without_marks` copies in runs: one character at a
        // time, as it was first written.
        let by_character = |text: &str| {
            let mut plain = String::new();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek().is_some_and(char::is_ascii_punctuation) => {}
                    '*' | '_' | '~' | '`' => {}
                    c if super::is_invisible(c) => {}
                    c => plain.push(c),
                }
            }
            plain
        };
        for text in [
            "",
            "plain text",
            "\\*INTERNAL\\* *marker* __x__ ~~y~~ `z`",
            "\\\\ \\a \\é \\",
            "“quoted” — café\u{ad}s\u{200b}\u{feff}x\u{2064}",
            "trailing backslash \\",
            "\u{202e}é*\u{200f}",
        ] {
            assert_eq!(super::without_marks(text), by_character(text), "{text:?}");
        }
    }

    #[test]
    fn a_whole_phrase_has_no_word_around_it() {
        let text = "we plan 300 layoffs. 1300 layoffs.";
        assert!(is_whole_phrase(text, 8, 20));
        assert!(!is_whole_phrase(text, 22, 34));
    }

    #[test]
    fn secrets_that_open_alike_are_told_apart() {
        let opening = "the storage account held backups of ";
        let secret = |text: &'static str| {
            let text = text.to_owned();
            let chars = text.chars().count();
            (
                text,
                chars,
                Secret {
                    text: "",
                    what: String::new(),
                    pos: Pos::default(),
                    id: None,
                },
            )
        };
        let secrets = vec![
            secret("the storage account held backups of patient records"),
            secret("the storage account held backups of staff payroll"),
            secret("the storage account held backups of staff payroll"),
            secret("ünïcode töxt thät öpens wïth wïde chäracters längër"),
            secret("rota"),
            // Two openings that start at the same place, one the other's
            // beginning: both are compared there.
            secret("shift plan"),
            secret("shift plan for the night staff"),
            // Found only at its second occurrence, which overlaps the first.
            secret("a a b"),
        ];
        assert!(opening.len() > super::OPENING);
        let output = "we found that the storage account held backups of staff payroll \
                      and of ünïcode töxt thät öpens wïth wïde chäracters längër; protation; \
                      the shift plan for the night staff; a a a bx";
        let expected = [false, true, true, true, false, true, true, false];
        let automaton = super::Openings::automaton(&super::openings(&secrets));
        let searchers = [super::Openings::of(&secrets), automaton];
        for searcher in searchers {
            let searcher = searcher.expect("secrets to find");
            let mut found = vec![false; secrets.len()];
            super::mark_found(&searcher, &secrets, output, &mut found);
            assert_eq!(found, expected);
            let mut found = vec![false; secrets.len()];
            super::mark_found(&searcher, &secrets, &output.replace("bx", "b."), &mut found);
            assert!(found[7], "an overlapping occurrence is seen");
        }
    }

    /// [`normalise`] as it reads, one stage after another, each stage
    /// building its text.
    fn stage_by_stage(text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let stripped = super::strip_tags(text);
        let decoded = super::decode_entities(&stripped);
        let plain = super::without_marks(&decoded);
        let lowered: String = plain.nfkc().flat_map(char::to_lowercase).collect();
        super::super::fold_whitespace(&lowered)
    }

    #[test]
    fn one_pass_reads_as_the_stages_do() {
        for text in [
            "ΟΔΟΣ ΣΑΣ Σ",
            "Straße İstanbul ǅ",
            "“Quoted” — DASH",
            "ΑΣ.",
            "  lead\t\n and\u{a0}trail\u{3000} ",
            "ｉｎｔｅｒｎａｌ e\u{301} \\*x\\* a\u{ad}b",
            "&#931;&#x3a3; &lt;b&gt; <i>Σ</i>",
            // A combining mark after a mark or an invisible character
            // composes with what is before them.
            "e*\u{301} É_\u{301} “\u{ad}\u{301}” Σ\u{200b}\u{301}",
        ] {
            assert_eq!(normalise(text), stage_by_stage(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn one_pass_agrees_with_the_stages(
            input in "[aZ \t\n*_~`\\\\&#;<>/!x3aÉΣİǅ“\u{a0}\u{ad}\u{200b}\u{301}\u{3000}\u{ff49}]{0,16}"
        ) {
            proptest::prop_assert_eq!(normalise(&input), stage_by_stage(&input));
        }
    }
}
