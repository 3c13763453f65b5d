//! A public document depends on public items only: adding internal
//! findings, actions, next steps, framing and events to any bundled case
//! changes no byte of any public document, its footnote numbers included.
//! An internal finding may cite a public source, of this case or of the
//! case it updates; that must not bring the source into public documents.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use candor::model::Audience;
use proptest::prelude::*;

/// Every public document of the repository at `root`, by path.
fn public_documents(root: &Path) -> BTreeMap<PathBuf, String> {
    let outcome = candor::build(&[root.to_path_buf()], candor::Options::default()).unwrap();
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    outcome
        .documents
        .into_iter()
        .filter(|d| d.audience == Audience::Public)
        .map(|d| (d.path, d.text))
        .collect()
}

/// The ids of the sources a case file lists.
fn source_ids(case: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut in_sources = false;
    for line in case.lines() {
        if !line.starts_with(' ') && !line.starts_with('#') && !line.is_empty() {
            in_sources = line == "sources:";
        } else if in_sources && let Some(id) = line.strip_prefix("  - id: ") {
            ids.push(id.trim().to_owned());
        }
    }
    ids
}

/// `case` with `items` added at the top of its top-level list `key`
/// (created when the case has none).
fn with_items(case: &str, key: &str, items: &str) -> String {
    let header = format!("\n{key}:\n");
    match case.find(&header) {
        Some(at) => {
            let split = at + header.len();
            format!("{}{items}{}", &case[..split], &case[split..])
        }
        None => format!("{case}\n{key}:\n{items}"),
    }
}

#[derive(Debug, Clone)]
struct Additions {
    findings: Vec<(u32, usize)>,
    next_steps: Vec<u32>,
    framing: Vec<u32>,
    events: Vec<u32>,
}

fn additions() -> impl Strategy<Value = Additions> {
    (
        prop::collection::vec((0u32..1_000_000, 0usize..1_000), 1..3),
        prop::collection::vec(0u32..1_000_000, 0..3),
        prop::collection::vec(0u32..1_000_000, 0..2),
        prop::collection::vec(0u32..1_000_000, 0..2),
    )
        .prop_map(|(findings, next_steps, framing, events)| Additions {
            findings,
            next_steps,
            framing,
            events,
        })
}

/// `case` with the internal items of `add`; `cited` are the source ids its
/// findings may cite (its own and those of the case it updates).
fn with_internal_items(case: &str, cited: &[String], add: &Additions) -> String {
    let mut findings = String::new();
    let mut actions = String::new();
    for (n, source) in &add.findings {
        let source = &cited[source % cited.len()];
        findings.push_str(&format!(
            "  - id: internal-finding-{n}\n    statement: Internal finding {n} for employees only.\n    sources: [{source}]\n    bearing: supports\n    evidence: Internal notes {n}.\n"
        ));
        actions.push_str(&format!(
            "  - id: internal-action-{n}\n    statement: Internal action {n} for employees only.\n    principles: [{{principle}}]\n    findings: [internal-finding-{n}]\n    state: in-progress\n"
        ));
    }
    let principle = first_principle(case);
    let actions = actions.replace("{principle}", &principle);
    let mut case = with_items(case, "findings", &findings);
    case = with_items(&case, "actions", &actions);
    let steps: String = add
        .next_steps
        .iter()
        .map(|n| format!("  - text: Internal next step {n}.\n"))
        .collect();
    if !steps.is_empty() {
        case = with_items(&case, "next_steps", &steps);
    }
    let framing: String = add
        .framing
        .iter()
        .map(|n| format!("  - id: internal-framing-{n}\n    text: Internal framing {n}.\n"))
        .collect();
    if !framing.is_empty() {
        case = with_items(&case, "framing", &framing);
    }
    let events: String = add
        .events
        .iter()
        .map(|n| format!("  - date: 2020-01-01\n    event: Internal event {n}.\n"))
        .collect();
    if !events.is_empty() {
        case = with_items(&case, "timeline", &events);
    }
    case
}

/// The first principle a case lists: a library id or an inline one's id.
fn first_principle(case: &str) -> String {
    let after = &case[case.find("\nprinciples:\n").unwrap() + "\nprinciples:\n".len()..];
    let line = after.lines().next().unwrap();
    let entry = line.trim_start().trim_start_matches("- ");
    entry
        .strip_prefix("id: ")
        .unwrap_or(entry)
        .trim()
        .to_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn internal_items_change_no_public_document(
        add in additions(),
        pick in any::<prop::sample::Index>(),
        brief in any::<bool>(),
    ) {
        let repo = common::bundled_copy();
        if brief {
            common::edit(repo.path(), "candor.yaml", "\napprovals:", "\nstyle: brief\n\napprovals:");
        }
        let before = public_documents(repo.path());
        let files = common::bundled_case_files();
        let file = &files[pick.index(files.len())];
        let name = file.file_name().unwrap();
        let path = repo.path().join("cases").join(name);
        let case = fs::read_to_string(&path).unwrap();
        let mut cited = source_ids(&case);
        if let Some(earlier) = case.lines().find_map(|l| l.strip_prefix("updates: ")) {
            let earlier = fs::read_to_string(repo.path().join("cases").join(format!("{}.yaml", earlier.trim()))).unwrap();
            cited.extend(source_ids(&earlier));
        }
        prop_assume!(!cited.is_empty());
        fs::write(&path, with_internal_items(&case, &cited, &add)).unwrap();
        let after = public_documents(repo.path());
        prop_assert_eq!(before, after, "adding internal items to {:?} changed a public document", name);
    }
}

/// The reproduction: in the update case, an internal finding citing the
/// earlier case's public source used to add that source to the public
/// statement and renumber its footnotes.
#[test]
fn an_internal_finding_citing_an_earlier_public_source_leaves_public_footnotes_alone() {
    let repo = common::bundled_copy();
    // The brief style prints every source it may cite as a footnote.
    common::edit(
        repo.path(),
        "candor.yaml",
        "\napprovals:",
        "\nstyle: brief\n\napprovals:",
    );
    let before = public_documents(repo.path());
    let path = repo
        .path()
        .join("cases/northwind-patient-portal-breach-update.yaml");
    let case = fs::read_to_string(&path).unwrap();
    let earlier = fs::read_to_string(
        repo.path()
            .join("cases/northwind-patient-portal-breach.yaml"),
    )
    .unwrap();
    let earlier_sources = source_ids(&earlier);
    let own = source_ids(&case);
    // A source of the earlier case that the update does not cite at all.
    let borrowed: Vec<String> = earlier_sources
        .into_iter()
        .filter(|s| !own.contains(s) && !case.contains(s.as_str()))
        .collect();
    assert!(!borrowed.is_empty());
    let add = Additions {
        findings: vec![(7, 0)],
        next_steps: vec![],
        framing: vec![],
        events: vec![],
    };
    fs::write(&path, with_internal_items(&case, &borrowed, &add)).unwrap();
    assert_eq!(before, public_documents(repo.path()));
}
