//! Properties that must hold for every input, checked on generated ones.
//!
//! - No internal text ever reaches a public document, whatever mix of
//!   visibilities a case has.
//! - No input, however mangled, makes candor panic: load → validate →
//!   render → lint always ends in documents or diagnostics.
//!
//! `PROPTEST_CASES` raises the number of cases for a long soak run.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use candor::model::Audience;
use proptest::prelude::*;

/// One generated citable item: its visibility and the unique marker in its text.
#[derive(Debug, Clone)]
struct Item {
    public: bool,
    marker: String,
}

#[derive(Debug, Clone)]
struct GeneratedCase {
    principles: Vec<Item>,
    sources: Vec<Item>,
    findings: Vec<(Item, Vec<usize>)>,
    actions: Vec<(Item, Vec<usize>, Vec<usize>)>,
    talking_point: String,
    review_public: bool,
    exclusion_public: bool,
}

fn item(kind: &'static str) -> impl Strategy<Value = Item> {
    (any::<bool>(), 0u32..1_000_000).prop_map(move |(public, n)| Item {
        public,
        marker: format!("{kind}-MARK-{n:06}"),
    })
}

fn generated_case() -> impl Strategy<Value = GeneratedCase> {
    (
        prop::collection::vec(item("PRINCIPLE"), 1..4),
        prop::collection::vec(item("SOURCE"), 1..4),
        prop::collection::vec(item("FINDING"), 1..5),
        prop::collection::vec(item("ACTION"), 1..5),
        any::<(bool, bool)>(),
        prop::collection::vec(any::<prop::sample::Index>(), 12),
    )
        .prop_map(
            |(principles, sources, findings, actions, (review_public, exclusion_public), picks)| {
                let pick = |i: usize, len: usize| picks[i % picks.len()].index(len);
                let findings_len = findings.len();
                let finding_public: Vec<bool> = findings.iter().map(|f| f.public).collect();
                let findings = findings
                    .into_iter()
                    .enumerate()
                    .map(|(i, f)| (f, vec![pick(i, sources.len())]))
                    .collect();
                // A public action must rest on a public principle and finding,
                // or the case is rightly refused; keep generated cases valid so
                // every run renders documents to search.
                let public_principles: Vec<usize> = (0..principles.len())
                    .filter(|&i| principles[i].public)
                    .collect();
                let public_findings: Vec<usize> =
                    (0..findings_len).filter(|&i| finding_public[i]).collect();
                let actions = actions
                    .into_iter()
                    .enumerate()
                    .map(|(i, mut a)| {
                        if public_principles.is_empty() || public_findings.is_empty() {
                            a.public = false;
                        }
                        let (principle, finding) = if a.public {
                            (
                                public_principles[pick(i + 3, public_principles.len())],
                                public_findings[pick(i + 6, public_findings.len())],
                            )
                        } else {
                            (pick(i + 3, principles.len()), pick(i + 6, findings_len))
                        };
                        (a, vec![principle], vec![finding])
                    })
                    .collect();
                GeneratedCase {
                    principles,
                    sources,
                    findings,
                    actions,
                    talking_point: "TALKING-MARK-000001".to_owned(),
                    review_public,
                    exclusion_public,
                }
            },
        )
}

fn visibility(public: bool) -> &'static str {
    if public { "public" } else { "internal" }
}

fn case_yaml(case: &GeneratedCase) -> String {
    let mut yaml = String::from(
        "id: generated\ntitle: A generated case\ndate: 2025-09-25\nsummary: A decision.\nprinciples:\n",
    );
    for (i, p) in case.principles.iter().enumerate() {
        yaml.push_str(&format!(
            "  - id: p{i}\n    statement: Principle {}.\n    visibility: {}\n",
            p.marker,
            visibility(p.public)
        ));
    }
    yaml.push_str("sources:\n");
    for (i, s) in case.sources.iter().enumerate() {
        yaml.push_str(&format!(
            "  - id: s{i}\n    kind: complaint\n    publisher: Publisher {i}\n    date: 2025-08-01\n    claim: Claim {}.\n    visibility: {}\n",
            s.marker,
            visibility(s.public)
        ));
    }
    yaml.push_str(&format!(
        "review:\n  opened: 2025-08-15\n  visibility: {}\n  examined:\n    - what: Records EXAMINED-MARK-000001.\n      visibility: {}\n  not_examined:\n    - what: Content EXCLUDED-MARK-000001.\n      principle: p0\n      visibility: {}\n",
        visibility(case.review_public),
        visibility(case.exclusion_public),
        visibility(case.exclusion_public),
    ));
    yaml.push_str("findings:\n");
    for (i, (f, sources)) in case.findings.iter().enumerate() {
        let sources: Vec<String> = sources.iter().map(|s| format!("s{s}")).collect();
        yaml.push_str(&format!(
            "  - id: f{i}\n    statement: Finding {}.\n    evidence: Evidence for {}.\n    sources: [{}]\n    bearing: supports\n    visibility: {}\n",
            f.marker,
            f.marker,
            sources.join(", "),
            visibility(f.public)
        ));
    }
    yaml.push_str("actions:\n");
    for (i, (a, principles, findings)) in case.actions.iter().enumerate() {
        let principles: Vec<String> = principles.iter().map(|p| format!("p{p}")).collect();
        let findings: Vec<String> = findings.iter().map(|f| format!("f{f}")).collect();
        yaml.push_str(&format!(
            "  - id: a{i}\n    statement: Action {}.\n    principles: [{}]\n    findings: [{}]\n    effective: 2025-09-01\n    visibility: {}\n",
            a.marker,
            principles.join(", "),
            findings.join(", "),
            visibility(a.public)
        ));
    }
    yaml.push_str(&format!(
        "talking_points:\n  - text: Say {}.\n",
        case.talking_point
    ));
    yaml
}

/// A repository in a fresh folder holding one case and, optionally, a
/// public template that prints everything it can reach.
fn repository(case: &str, hostile_template: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("cases")).unwrap();
    fs::write(dir.path().join("cases/generated.yaml"), case).unwrap();
    if hostile_template {
        fs::create_dir(dir.path().join("templates")).unwrap();
        fs::write(
            dir.path().join("templates/public-statement.md"),
            HOSTILE_PUBLIC_TEMPLATE,
        )
        .unwrap();
    }
    dir
}

/// A public template that walks every list raw,
/// includes the internal memo's template, and cites everything it sees.
const HOSTILE_PUBLIC_TEMPLATE: &str = r#"# {{ case.title }}
{% for p in principles %}{{ cite(id=p.id) }} {{ p | safe }}{% endfor %}
{% for f in findings %}{{ cite(id=f.id) }} {{ f | safe }}{% endfor %}
{% for a in actions %}{{ cite(id=a.id) }} {{ a | safe }}{% endfor %}
{% for s in sources %}{{ cite(id=s.id) }}{% endfor %}
{{ talking_points | safe }} {{ faq | safe }} {{ contacts | safe }}
{% include "builtin/employee-memo.md" %}
{{ footnotes() }}
"#;

fn internal_markers(case: &GeneratedCase) -> Vec<String> {
    let mut markers = Vec::new();
    let mut add = |item: &Item| {
        if !item.public {
            markers.push(item.marker.clone());
        }
    };
    case.principles.iter().for_each(&mut add);
    case.sources.iter().for_each(&mut add);
    case.findings.iter().for_each(|(f, _)| add(f));
    case.actions.iter().for_each(|(a, _, _)| add(a));
    markers.push(case.talking_point.clone());
    if !case.review_public || !case.exclusion_public {
        markers.push("EXAMINED-MARK-000001".to_owned());
        markers.push("EXCLUDED-MARK-000001".to_owned());
    }
    markers
}

/// The public documents of the repository at `root`. The projection must
/// keep internal items out on its own: the leak check behind it is the
/// second line of defence, and must never have to fire.
fn public_documents(root: &Path) -> Vec<candor::Document> {
    let outcome = candor::build(&[root.to_path_buf()], candor::Options::default()).unwrap();
    let leaks: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == candor::Code::Leak)
        .collect();
    assert!(leaks.is_empty(), "the leak check fired: {leaks:#?}");
    let errors: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(
        errors.is_empty(),
        "a generated case was refused: {errors:#?}"
    );
    outcome
        .documents
        .into_iter()
        .filter(|d| d.audience == Audience::Public)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Whatever the mix of visibilities, no internal marker appears in a
    /// public document, from the built-in template or a hostile one.
    #[test]
    fn no_internal_text_reaches_a_public_document(case in generated_case(), hostile in any::<bool>()) {
        let yaml = case_yaml(&case);
        let repo = repository(&yaml, hostile);
        let markers = internal_markers(&case);
        for document in public_documents(repo.path()) {
            for marker in &markers {
                prop_assert!(
                    !document.text.contains(marker.as_str()),
                    "{marker} leaked into {}:\n{}\n--- case ---\n{yaml}",
                    document.kind,
                    document.text
                );
            }
        }
    }

    /// Mangled case files end in diagnostics or documents, never a panic.
    #[test]
    fn mangled_input_never_panics(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let mut text = bundled_case(seed);
        for e in &edits {
            text = apply(&text, e);
        }
        // With the bundled settings and principles beside it, a mangled
        // case that still loads goes on through render and lint.
        let repo = repository(&text, false);
        fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("candor.yaml"),
            repo.path().join("candor.yaml"),
        )
        .unwrap();
        let principles = repo.path().join("principles");
        fs::create_dir(&principles).unwrap();
        for entry in fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("principles")).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), principles.join(entry.file_name())).unwrap();
        }
        let outcome = candor::build(
            &[repo.path().to_path_buf()],
            candor::Options { html: true, ..candor::Options::default() },
        );
        prop_assert!(outcome.is_ok());
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// A mangled approval file ends in diagnostics, never a panic, and
    /// never in a case counted as signed off by it unless it still
    /// records exactly what the case renders now.
    #[test]
    fn mangled_approval_files_never_panic(edits in prop::collection::vec(edit(), 1..6)) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let repo = tempfile::TempDir::new().unwrap();
        fs::copy(root.join("candor.yaml"), repo.path().join("candor.yaml")).unwrap();
        let cases = repo.path().join("cases");
        fs::create_dir(&cases).unwrap();
        fs::copy(
            root.join("cases/imod-azure-services.yaml"),
            cases.join("imod-azure-services.yaml"),
        )
        .unwrap();
        let principles = repo.path().join("principles");
        fs::create_dir(&principles).unwrap();
        for entry in fs::read_dir(root.join("principles")).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), principles.join(entry.file_name())).unwrap();
        }
        let (_, approved) = candor::approve(
            repo.path(),
            "imod-azure-services",
            "legal",
            candor::Signer { by: Some("Jane Doe"), key: None },
            candor::Options::default(),
        )
        .unwrap();
        let file = approved.unwrap().file;
        let original = fs::read_to_string(&file).unwrap();
        let mut text = original.clone();
        for e in &edits {
            text = apply(&text, e);
        }
        fs::write(&file, &text).unwrap();
        for publish in [false, true] {
            let outcome = candor::build(
                &[repo.path().to_path_buf()],
                candor::Options { publish, ..candor::Options::default() },
            );
            prop_assert!(outcome.is_ok());
        }
        let outcome = candor::check(&[repo.path().to_path_buf()], candor::Options::default()).unwrap();
        let memo = outcome.documents.iter().find(|d| d.kind == "employee-memo");
        if let Some(memo) = memo {
            // Communications never signed off: the banner always stays.
            prop_assert!(memo.text.starts_with("> **DRAFT"), "{}", memo.text);
        }
    }
}

/// One of the bundled cases, chosen by `seed`, renamed `generated`.
fn bundled_case(seed: prop::sample::Index) -> String {
    let mut files: Vec<PathBuf> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let file = &files[seed.index(files.len())];
    let id = file.file_stem().unwrap().to_string_lossy().into_owned();
    fs::read_to_string(file)
        .unwrap()
        .replace(&format!("id: {id}\n"), "id: generated\n")
}

/// One random edit to a file's text.
#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(prop::sample::Index),
    DuplicateLine(prop::sample::Index),
    SwapLines(prop::sample::Index, prop::sample::Index),
    Insert(prop::sample::Index, String),
    Truncate(prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let hostile = prop::sample::select(vec![
        ":",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "!!str ",
        "|",
        ">",
        "'",
        "\"",
        "#",
        "\t",
        "\u{0}",
        "\u{1b}",
        "\u{feff}",
        "\u{202e}",
        "é",
        "{{ x }}",
        "{% if %}",
        "<script>",
        "2025-02-30",
        "../x",
        "visibility: public",
        "  - id: dup\n",
        "\n",
        "~",
        "? ",
        "<<: *a\n",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Edit::DeleteLine),
        any::<prop::sample::Index>().prop_map(Edit::DuplicateLine),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Edit::SwapLines(a, b)),
        (any::<prop::sample::Index>(), hostile).prop_map(|(at, text)| Edit::Insert(at, text)),
        any::<prop::sample::Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return String::new();
    }
    match edit {
        Edit::DeleteLine(at) => {
            lines.remove(at.index(lines.len()));
        }
        Edit::DuplicateLine(at) => {
            let i = at.index(lines.len());
            lines.insert(i, lines[i]);
        }
        Edit::SwapLines(a, b) => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
        }
        Edit::Insert(at, inserted) => {
            let joined = lines.join("\n");
            let boundaries: Vec<usize> = joined
                .char_indices()
                .map(|(i, _)| i)
                .chain([joined.len()])
                .collect();
            let i = boundaries[at.index(boundaries.len())];
            return format!("{}{inserted}{}", &joined[..i], &joined[i..]);
        }
        Edit::Truncate(at) => {
            let joined = lines.join("\n");
            let boundaries: Vec<usize> = joined.char_indices().map(|(i, _)| i).collect();
            if boundaries.is_empty() {
                return joined;
            }
            return joined[..boundaries[at.index(boundaries.len())]].to_owned();
        }
    }
    lines.join("\n")
}
