//! The pipeline itself: validate → project → render → lint, for every case
//! and document kind. Cases are rendered in parallel, each on one thread
//! from start to finish; their documents and diagnostics are gathered in
//! case order, so the outcome is the same as rendering them one after the
//! other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diagnostic::{self, Code, Diagnostic};
use crate::incremental::{Progress, Stage};
use crate::load::Repository;
use crate::model::{self, Audience};
use crate::outcome::{Document, HeldBack, Options, Outcome, Review};
use crate::{approval, lint, project, render, trace, validate};

/// Each markdown document followed by its HTML page, made in parallel.
pub(crate) fn with_html_pages(documents: Vec<Document>) -> Vec<Document> {
    documents
        .into_par_iter()
        .flat_map_iter(|document| {
            let is_markdown = document.path.extension().is_some_and(|e| e == "md");
            let page = is_markdown.then(|| Document {
                path: document.path.with_extension("html"),
                text: render::html::page(&document.text),
                ..document.clone()
            });
            std::iter::once(document).chain(page)
        })
        .collect()
}

/// Each markdown document followed by its Word document, made in
/// parallel; other files as they are.
pub(crate) fn with_word_documents(documents: Vec<Document>) -> Vec<Document> {
    documents
        .into_par_iter()
        .flat_map_iter(|document| {
            let is_markdown = document.path.extension().is_some_and(|e| e == "md");
            let word = is_markdown.then(|| {
                let about = render::docx::About {
                    organisation: &document.organisation,
                    kind: &document.kind,
                    mark: document.mark,
                };
                Document {
                    path: document.path.with_extension("docx"),
                    binary: Some(render::docx::document(&document.text, &about)),
                    text: String::new(),
                    ..document.clone()
                }
            });
            std::iter::once(document).chain(word)
        })
        .collect()
}

/// validate → project → render → lint, for every case and kind, or only the
/// case (and kind) named in `only`. With one case named, also returns its
/// trace when it rendered cleanly.
pub(crate) fn run(
    repository: &Repository,
    only: Option<(&str, Option<&str>)>,
    rendering: Rendering,
) -> (Outcome, Option<trace::Trace>) {
    let run = run_with(
        repository,
        Scope {
            only,
            skip: &BTreeSet::new(),
            kinds: &BTreeMap::new(),
            progress: &|_| {},
            rendering,
            sink: None,
        },
    );
    (run.outcome, run.traced)
}

/// Which cases a run renders, and who hears how far it has got.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    /// Only this case (and kind), when named.
    pub(crate) only: Option<(&'a str, Option<&'a str>)>,
    /// Case files checked but not rendered: an incremental build knows
    /// their documents are already up to date.
    pub(crate) skip: &'a BTreeSet<PathBuf>,
    /// Case files of which only these document kinds are rendered: the
    /// others are up to date.
    pub(crate) kinds: &'a BTreeMap<PathBuf, BTreeSet<String>>,
    /// Told after each case is rendered.
    pub(crate) progress: &'a (dyn Fn(Progress) + Sync),
    /// Which cases are rendered, and whether drafts are marked.
    pub(crate) rendering: Rendering,
    /// When set, each case's documents are handed to it as the case
    /// finishes, rather than gathered into the outcome: a streaming build
    /// writes them while other cases render, and no run holds them all.
    pub(crate) sink: Option<&'a (dyn Fn(Finished) + Sync)>,
}

/// One case rendered, as handed to a [`Scope`]'s sink.
pub(crate) struct Finished<'a> {
    /// The case file.
    pub(crate) file: &'a Path,
    /// How many diagnostics its checks and documents produced.
    pub(crate) diagnostics: usize,
    /// Its documents.
    pub(crate) documents: Vec<Document>,
    /// Whether the run has already found an error, so that nothing of it
    /// will be written.
    pub(crate) doomed: bool,
}

/// How a run treats sign-offs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rendering {
    /// Every case; documents lacking sign-offs carry a draft banner.
    Marked,
    /// Only the cases that may go out now, none of them a draft; of their
    /// documents, the internal ones only when `internal`.
    Publishing {
        /// Whether internal document kinds are rendered.
        internal: bool,
    },
    /// Every case, no banner: the words alone, as a redline compares them.
    Bare,
}

impl Rendering {
    /// What `options` ask for.
    pub(crate) fn of(options: Options) -> Rendering {
        if options.publish {
            Rendering::Publishing {
                internal: options.include_internal,
            }
        } else {
            Rendering::Marked
        }
    }
}

/// What a run produced.
pub(crate) struct Run {
    pub(crate) outcome: Outcome,
    pub(crate) traced: Option<trace::Trace>,
    /// Every case rendered, by file, with the number of diagnostics its
    /// checks and documents produced; in case order.
    pub(crate) rendered: Vec<(PathBuf, usize)>,
}

/// [`run`], with cases to skip and progress reported. Cases are rendered in
/// parallel, each on one thread from start to finish; their documents and
/// diagnostics are gathered in case order, so the outcome is the same as
/// rendering them one after the other.
pub(crate) fn run_with(repository: &Repository, scope: Scope<'_>) -> Run {
    let only = scope.only;
    let checked = validate::validate(repository);
    let mut diagnostics = checked.diagnostics.clone();
    let (renderer, template_diagnostics) = render::Renderer::new(&repository.templates);
    diagnostics.extend(template_diagnostics);
    diagnostics.extend(missing_templates(&checked, &renderer));

    let found_in = diagnostics_by_file(&diagnostics);
    let (selected, held_back) = select_cases(&checked, &scope, &found_in, &mut diagnostics);
    let doomed = AtomicBool::new(diagnostics.iter().any(Diagnostic::is_error));
    let per_case = render_selected(&checked, &renderer, &selected, &scope, &found_in, &doomed);

    let mut documents = Vec::new();
    let mut traced = None;
    let mut rendered = Vec::with_capacity(selected.len());
    let mut reviews = Vec::new();
    for (case, case_render) in selected.iter().zip(per_case) {
        reviews.extend(case_render.review);
        let checks = found_in.get(case.file).map_or(0, |(_, count)| *count);
        rendered.push((
            case.file.to_path_buf(),
            checks + case_render.diagnostics.len(),
        ));
        if only.is_some() {
            traced = Some(trace::trace(&checked, case, &case_render.documents));
        }
        documents.extend(case_render.documents);
        diagnostics.extend(case_render.diagnostics);
    }

    repository.attach_source_lines(&mut diagnostics);
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    let mut outcome = Outcome {
        root: repository.root.clone(),
        documents,
        diagnostics,
        held_back,
        unsigned_sign_offs: unsigned_sign_offs(&checked, only),
        reviews,
    };
    if outcome.has_errors() {
        outcome.documents.clear();
        traced = None;
    }
    Run {
        outcome,
        traced,
        rendered,
    }
}

/// A diagnostic for each document kind whose template does not exist.
fn missing_templates(
    checked: &validate::Checked<'_>,
    renderer: &render::Renderer,
) -> Vec<Diagnostic> {
    let settings_file = &checked.repository.settings.file;
    checked
        .documents
        .iter()
        .filter(|kind| !renderer.has_template(&kind.template))
        .map(|kind| {
            Diagnostic::new(
                Code::UnknownTemplate,
                format!(
                    "document kind `{}` uses the template `{}`, which does not exist",
                    kind.id.value, kind.template
                ),
            )
            .in_file(settings_file)
            .at(kind.id.pos)
            .with_id(kind.id.as_str())
            .with_help(format!("add templates/{}", kind.template))
        })
        .collect()
}

/// For each file, whether any of `diagnostics` is an error in it, and how
/// many point into it: one pass over the diagnostics, rather than one per
/// case.
fn diagnostics_by_file(diagnostics: &[Diagnostic]) -> BTreeMap<PathBuf, (bool, usize)> {
    let mut found_in: BTreeMap<PathBuf, (bool, usize)> = BTreeMap::new();
    for diagnostic in diagnostics {
        if let Some(file) = &diagnostic.file {
            let (has_errors, count) = found_in.entry(file.clone()).or_default();
            *has_errors |= diagnostic.is_error();
            *count += 1;
        }
    }
    found_in
}

/// The cases `scope` renders, in case order: those named, not skipped,
/// without errors, and, when publishing, free to go out now. A case held
/// back is listed, or, when it was named, an error.
fn select_cases<'c, 'r>(
    checked: &'c validate::Checked<'r>,
    scope: &Scope<'_>,
    found_in: &BTreeMap<PathBuf, (bool, usize)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<&'c validate::CheckedCase<'r>>, Vec<HeldBack>) {
    let repository = checked.repository;
    let mut held_back = Vec::new();
    let publishing = matches!(scope.rendering, Rendering::Publishing { .. });
    let now = publishing.then(model::Timestamp::now);
    let selected = checked
        .cases
        .iter()
        .filter(|case| {
            scope
                .only
                .is_none_or(|(wanted, _)| wanted == case.case.id.as_str())
        })
        .filter(|case| !scope.skip.contains(case.file))
        .filter(|case| !found_in.get(case.file).is_some_and(|(errors, _)| *errors))
        .filter(|case| {
            let Some(now) = &now else { return true };
            let Some(held) = approval::hold(case, now) else {
                return true;
            };
            if repository.named_cases {
                diagnostics.push(held.diagnostic(case));
            } else {
                held_back.push(HeldBack {
                    case_id: case.case.id.to_string(),
                    case_file: case.file.to_path_buf(),
                    reason: held.reason,
                });
            }
            false
        })
        .collect();
    (selected, held_back)
}

/// Renders the `selected` cases in parallel, each on one thread from start
/// to finish, telling `scope`'s progress after each; in case order. With a
/// sink, each case's documents go to it instead, and `doomed` is set once
/// any case has an error.
fn render_selected(
    checked: &validate::Checked<'_>,
    renderer: &render::Renderer,
    selected: &[&validate::CheckedCase<'_>],
    scope: &Scope<'_>,
    found_in: &BTreeMap<PathBuf, (bool, usize)>,
    doomed: &AtomicBool,
) -> Vec<CaseRender> {
    let only = scope.only;
    let public_only = scope.rendering == Rendering::Publishing { internal: false };
    let total = selected.len();
    let done = AtomicUsize::new(0);
    selected
        .par_iter()
        .map(|case| {
            let kinds = scope.kinds.get(case.file);
            let wanted = |kind: &model::DocumentKind| {
                if public_only && kind.audience != Audience::Public {
                    return false;
                }
                match (only.and_then(|(_, k)| k), kinds) {
                    // A kind named explicitly is rendered even for a case
                    // that does not produce it by default.
                    (Some(wanted), _) => wanted == kind.id.as_str(),
                    (None, Some(kinds)) => kinds.contains(kind.id.as_str()),
                    (None, None) => kind.produced_for(case.case),
                }
            };
            let mut rendered = render_case(
                checked,
                renderer,
                case,
                &wanted,
                scope.rendering != Rendering::Bare,
            );
            if let Some(sink) = scope.sink {
                if rendered.diagnostics.iter().any(Diagnostic::is_error) {
                    doomed.store(true, Ordering::Relaxed);
                }
                let checks = found_in.get(case.file).map_or(0, |(_, count)| *count);
                sink(Finished {
                    file: case.file,
                    diagnostics: checks + rendered.diagnostics.len(),
                    documents: std::mem::take(&mut rendered.documents),
                    doomed: doomed.load(Ordering::Relaxed),
                });
            }
            let done = done.fetch_add(1, Ordering::Relaxed) + 1;
            (scope.progress)(Progress {
                stage: Stage::Rendering,
                done,
                total,
            });
            rendered
        })
        .collect()
}

/// How many sign-offs of the cases run count without a signature: all of
/// them, in a repository whose settings name no signers.
fn unsigned_sign_offs(
    checked: &validate::Checked<'_>,
    only: Option<(&str, Option<&str>)>,
) -> usize {
    if checked
        .repository
        .settings
        .value
        .approvals
        .signers
        .is_some()
    {
        return 0;
    }
    checked
        .cases
        .iter()
        .filter(|case| only.is_none_or(|(wanted, _)| wanted == case.case.id.as_str()))
        .flat_map(|case| &case.sign_offs)
        .filter(|sign_off| !sign_off.under_other_policy)
        .count()
}

/// What rendering one case produced.
pub(crate) struct CaseRender {
    /// The documents asked for, with their banner when they carry one.
    pub(crate) documents: Vec<Document>,
    /// What rendering, linting and the sign-offs found.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Where the case stands in review, when its sign-offs were assessed.
    pub(crate) review: Option<Review>,
}

/// Renders the `wanted` documents of one case that has no errors: its
/// documents, and what rendering and linting them found. A case lacking
/// sign-offs gets its draft banner here, last, so every check before sees
/// the document exactly as it would be published.
pub(crate) fn render_case(
    checked: &validate::Checked<'_>,
    renderer: &render::Renderer,
    case: &validate::CheckedCase<'_>,
    wanted: &dyn Fn(&model::DocumentKind) -> bool,
    banners: bool,
) -> CaseRender {
    let case_id = case.case.id.as_str();
    let mut documents = Vec::new();
    let mut diagnostics = Vec::new();
    let case_lint = lint::CaseLint::new(case);
    let projector = project::Projector::new(checked, case);
    let contexts = render::CaseContexts::default();
    for kind in &checked.documents {
        if !wanted(kind) || !renderer.has_template(&kind.template) {
            continue;
        }
        if !kind.produced_for(case.case) {
            let refused = validate::regulatory_diagnostics(case, kind);
            let stop = refused.iter().any(Diagnostic::is_error);
            diagnostics.extend(refused);
            if stop {
                continue;
            }
        }
        let view = projector.project(kind);
        match renderer.render_in(kind, &view, &contexts) {
            Ok(rendered) => {
                let document = Document {
                    case_id: case_id.to_owned(),
                    case_file: case.file.to_path_buf(),
                    kind: kind.id.to_string(),
                    audience: kind.audience,
                    path: PathBuf::from(case_id).join(kind.output_file_name()),
                    text: rendered.text,
                    cited: rendered.cited,
                    organisation: view.organisation.name.to_owned(),
                    mark: None,
                    binary: None,
                };
                diagnostics.extend(lint::lint(&document, kind, &case_lint, &view));
                documents.push(document);
            }
            Err(diagnostic) => diagnostics.push((*diagnostic).with_id(case_id).with_help(format!(
                "while rendering `{}` for case `{case_id}`",
                kind.id.value
            ))),
        }
    }
    // Without banners the words alone matter: a redline, or a sign-off
    // being recorded, is not held up by the state of the sign-offs.
    let mut review = None;
    if banners {
        let record = checked
            .repository
            .approvals
            .contains_key(case.file)
            .then(|| {
                approval::Record::of(
                    checked,
                    case,
                    &produced_texts(checked, renderer, case, &documents),
                )
            });
        let (standing, found) = approval::assess(checked, case, record.as_ref());
        diagnostics.extend(found);
        let status = *case.case.status;
        review = Some(Review {
            case_id: case_id.to_owned(),
            state: approval::review_state(
                &standing,
                status,
                case.case.embargo.as_ref().map(|e| &e.value),
                &model::Timestamp::now(),
            ),
            signed_off: standing.is_complete(),
            has_sign_off: !case.sign_offs.is_empty(),
        });
        if let Some(banner) = approval::banner(&standing, status, true) {
            let plain = approval::banner(&standing, status, false).unwrap_or_default();
            let mark = if status == model::Status::Withdrawn {
                "WITHDRAWN"
            } else {
                "DRAFT"
            };
            for document in &mut documents {
                document.mark = Some(mark);
                let is_markdown = document.path.extension().is_some_and(|e| e == "md");
                document
                    .text
                    .insert_str(0, if is_markdown { &banner } else { &plain });
            }
        }
    }
    CaseRender {
        documents,
        diagnostics,
        review,
    }
}

/// The text of every document `case` produces, by kind, without banner:
/// those in `rendered`, and the others rendered now.
pub(crate) fn produced_texts(
    checked: &validate::Checked<'_>,
    renderer: &render::Renderer,
    case: &validate::CheckedCase<'_>,
    rendered: &[Document],
) -> Vec<(String, String)> {
    checked
        .documents
        .iter()
        .filter(|kind| kind.produced_for(case.case) && renderer.has_template(&kind.template))
        .filter_map(|kind| {
            if let Some(document) = rendered.iter().find(|d| d.kind == kind.id.as_str()) {
                return Some((document.kind.clone(), document.text.clone()));
            }
            let view = project::project(checked, case, kind);
            let text = renderer.render(kind, &view).ok()?.text;
            Some((kind.id.to_string(), text))
        })
        .collect()
}
