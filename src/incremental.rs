//! Incremental builds: render only the cases whose inputs changed.
//!
//! A case's documents depend on the case file, the library principles it
//! cites, the earlier case it updates, `candor.yaml`, the templates each
//! document uses, its sign-offs (which decide its draft banner), and candor
//! itself. The build's manifest
//! ([`crate::manifest`]) records the digest of each; the next build
//! compares, and a case whose inputs all match, whose files are all still
//! in place with the sizes recorded, and which had no warnings, is skipped:
//! its file is read and digested but not parsed, checked or rendered.
//! When the manifest has an index, beside the stat cache, the build
//! compares with the index instead, and reads the manifest only to write it
//! again, to tell what the index cannot, or to check it against an index
//! written with it.
//!
//! Skipping never changes the output, and never hides a diagnostic:
//!
//! - A build with errors writes nothing, so a case in a manifest had no
//!   errors, and with the same inputs it has none now.
//! - A case that had warnings is always rebuilt, so its warnings are
//!   reported again.
//! - What a case is checked against outside its own file is an input: the
//!   only rules that look across cases are about the case an update
//!   updates (an input) and duplicate case ids. A skipped case's id is its
//!   file's name (otherwise it would have had a warning), so a case whose
//!   id matches another file's name is parsed with it and the duplicate
//!   is found. A new rule that reads other cases must make them inputs.
//! - Settings, principles and templates are always read and checked.
//!
//! `candor check` never skips anything. A build of named case files
//! renders them all and updates their entries, keeping the others.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::error::Error;
use crate::load::{self, Repository, TemplateFile};
use crate::manifest::{self, CaseEntry, CaseView, DocumentEntry, FileEntry, Manifest, Previous};
use crate::manifest_index::{self, Index, IndexEntry, Recorded};
use crate::model::{DocumentKind, PrincipleEntry, Visibility};
use crate::open_folder::OpenFolder;
use crate::outcome::{Document, Options, Outcome};
use crate::pipeline::{self, Finished, Scope};
use crate::render::dependencies::Dependencies;
use crate::render::{BUILTIN_PREFIX, BUILTIN_TEMPLATES};
use crate::spill::Spill;
use crate::stat_cache::{self, FileStat, StatCache};
use crate::write::{Staged, Stager};

/// What [`build_incremental`] produced, ready for [`crate::write_build`].
#[derive(Debug, Clone)]
pub struct Build {
    /// The documents rendered this time and every diagnostic. The
    /// documents of skipped cases are not in it: they are already written.
    pub outcome: Outcome,
    /// The output folder.
    pub out: PathBuf,
    /// The manifest describing the output folder once written.
    pub manifest: Manifest,
    /// Whether the manifest differs from the one the build started from;
    /// when it does not, writing it is skipped.
    pub manifest_changed: bool,
    /// The case files skipped because nothing they depend on changed.
    pub unchanged_cases: Vec<PathBuf>,
    /// The files of the skipped cases, relative to the output folder.
    pub unchanged_files: Vec<PathBuf>,
    /// Files written by an earlier build that this one no longer
    /// produces, relative to the output folder, with what the manifest
    /// recorded of each: writing the build removes those still holding
    /// exactly that (see [`crate::confine`]).
    pub removed_files: Vec<(PathBuf, FileEntry)>,
    /// The stat cache to write with the build, when it changed.
    pub stat_cache: Option<stat_cache::Update>,
    /// The index of the manifest, to write with it.
    pub(crate) manifest_index: Option<manifest_index::Update>,
    /// The documents a streaming build ([`build_streaming`]) rendered,
    /// written into the output folder's staging folder as they were
    /// produced, for [`crate::write_build`] to move into place; they are
    /// not in `outcome`. Dropped unwritten, they are removed.
    pub staged: Option<Arc<Staged>>,
}

impl Build {
    /// How many cases the output folder holds documents of once written:
    /// those rendered and those skipped.
    pub fn case_count(&self) -> usize {
        let rendered: BTreeSet<&Path> = self
            .outcome
            .documents
            .iter()
            .map(|d| d.case_file.as_path())
            .collect();
        let staged = self.staged.as_ref().map_or(0, |s| s.case_count());
        rendered.len() + staged + self.unchanged_cases.len()
    }

    /// How many files the build produced: rendered and skipped.
    pub fn file_count(&self) -> usize {
        let staged = self.staged.as_ref().map_or(0, |s| s.document_count());
        self.outcome.documents.len() + staged + self.unchanged_files.len()
    }
}

/// How far a build has got, reported as it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// What it is doing.
    pub stage: Stage,
    /// How many cases that stage has finished.
    pub done: usize,
    /// How many cases that stage has to do.
    pub total: usize,
}

/// A stage of a build that takes time in proportion to the cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Parsing case files.
    Reading,
    /// Checking and rendering cases.
    Rendering,
}

/// Renders every case of the repository `paths` point into whose inputs
/// changed since the build that wrote `out`'s manifest (by default `out/`
/// in the repository), and the manifest of the result. Reports progress
/// to `progress`, from any thread. Writes nothing: see
/// [`crate::write_build`]. When anything is wrong the outcome holds the
/// diagnostics and no documents.
pub fn build_incremental(
    paths: &[PathBuf],
    out: Option<&Path>,
    options: Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Build, Error> {
    build_with(paths, out, options, progress, Mode::Incremental)
}

/// Like [`build_incremental`], but writes each case's documents as the
/// case finishes, on a thread of its own, into a staging folder inside the
/// output folder (see [`Staged`]), so that writing overlaps rendering and
/// no document is held longer than it takes to write it. Nothing in the
/// output folder changes until [`crate::write_build`] moves them into
/// place; a build with errors stages nothing that outlives it.
pub fn build_streaming(
    paths: &[PathBuf],
    out: Option<&Path>,
    options: Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Build, Error> {
    build_with(paths, out, options, progress, Mode::Streaming)
}

/// Like [`build_incremental`], but renders every case, skipping none:
/// what `candor build --check` compares with the output folder.
pub fn build_fresh(
    paths: &[PathBuf],
    out: Option<&Path>,
    options: Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Build, Error> {
    build_with(paths, out, options, progress, Mode::Fresh)
}

/// How a build treats what an earlier one wrote, and where its documents go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Skips what is up to date; documents kept in the build.
    Incremental,
    /// Renders every case; documents kept in the build.
    Fresh,
    /// Skips what is up to date; documents staged as they are rendered.
    Streaming,
}

/// Each markdown document followed by its page and its Word document, as
/// `options` ask.
fn with_other_formats(mut documents: Vec<Document>, options: Options) -> Vec<Document> {
    if options.html {
        documents = pipeline::with_html_pages(documents);
    }
    if options.docx {
        documents = pipeline::with_word_documents(documents);
    }
    documents
}

fn build_with(
    paths: &[PathBuf],
    out: Option<&Path>,
    options: Options,
    progress: &(dyn Fn(Progress) + Sync),
    mode: Mode,
) -> Result<Build, Error> {
    let fresh = mode == Mode::Fresh;
    // Before any file is looked at: what changes from now on is not
    // trusted to the stat cache (see `stat_cache`).
    let started = SystemTime::now();
    let Opened {
        mut repository,
        out,
        stat_cache,
        whole_repository,
    } = open(paths, out, options, fresh)?;
    let stat_cache_enabled = stat_cache.is_some();
    let public_only = options.publish && !options.include_internal;
    // A publishing build renders every case it publishes afresh: the
    // files in place may be drafts.
    let judged = !(options.publish || fresh);

    // The last build's manifest, as its index records it when there is an
    // index of the manifest in place (see `manifest_index`); its text is
    // read only when the index does not say enough, the manifest will be
    // written again, or the index was written with it and must be checked
    // against it. Without an index the manifest is read once and
    // parsed once, its entries borrowing from its text. Skipped cases'
    // lines are written back as they are.
    //
    // The index is read while the inputs' digests are gathered: each
    // leaves a core idle part of the time.
    let outputs = OpenFolder::open(&out);
    let (inputs, index) = rayon::join(
        || Inputs::of(&repository),
        || stat_cache_enabled.then(|| Index::open(&out)).flatten(),
    );
    let settled = index.as_ref().is_some_and(Index::settled);
    let from_index = index.as_ref().map(Recorded::of_index);
    let told_by_index = from_index.as_ref().filter(|_| judged).map(|recorded| {
        let judge = Judge {
            inputs: &inputs,
            recorded,
            text: None,
            options,
            outputs: &outputs,
        };
        judge.each(&repository)
    });
    let needs_text = match (&from_index, &told_by_index) {
        (Some(recorded), Some(verdicts)) => {
            mode != Mode::Streaming || !settled || !all_skipped(verdicts, recorded)
        }
        _ => true,
    };
    let read_at = SystemTime::now();
    let (previous_text, use_index) = last_manifest_text(&out, index.as_ref(), needs_text);
    let text = previous_text.as_deref().map(String::as_str);
    let previous = if use_index {
        from_index
    } else {
        text.and_then(Previous::parse).map(Recorded::of_manifest)
    };
    let has_previous = previous.is_some();
    let recorded = previous.unwrap_or_default();
    // What the index could not tell is told from the manifest's lines.
    let judge = Judge {
        inputs: &inputs,
        recorded: &recorded,
        text,
        options,
        outputs: &outputs,
    };
    let verdicts = (judged && has_previous).then(|| match told_by_index.filter(|_| use_index) {
        Some(verdicts) => judge.told_by_lines(verdicts),
        None => judge.each(&repository),
    });
    let plan = Plan::of(&repository.deferred, verdicts, &recorded, text, judged);
    parse_needed(&mut repository, &plan.to_parse, progress)?;

    let maker = EntryMaker::new(&repository, &inputs, &plan.partly, public_only);
    let rendering = render(&repository, &maker, &plan, options, progress, mode, &out)?;
    let outcome = rendering.outcome;
    // The manifest changes unless every case it listed was skipped: when
    // cases were rendered, or removed, or there was none.
    let manifest_changed = !(rendering.rendered.is_empty() && judged && has_previous)
        || (whole_repository && plan.unmatched > 0);
    let mut manifest = Manifest::default();
    // The cases whose entries are kept as the last build recorded them: a
    // build of named case files keeps the other cases' entries.
    let kept: BTreeSet<&str> = if whole_repository {
        plan.skipped.keys().map(String::as_str).collect()
    } else {
        recorded.keys().map(String::as_str).collect()
    };
    let unchanged_files = unchanged_files(&plan, &recorded);
    // Without the manifest's text nothing is written back: every case was
    // skipped, and the manifest stays as it is.
    if let Some(source) = &previous_text {
        let lines = in_both(kept.iter().copied(), &recorded)
            .map(|(key, recorded)| (key.clone(), recorded.range()));
        manifest.keep_all_verbatim(source, lines);
    }
    let stat_cache = stat_cache.and_then(|cache| {
        let entries = stat_cache_entries(&repository, &inputs);
        cache.update(started, entries)
    });
    if !outcome.has_errors() && rendering.staged.is_none() {
        manifest
            .cases
            .extend(entries_of_outcome(&outcome, &rendering.rendered, &maker));
    }
    // Every case's entry is made: the cases are let go now, before the
    // lines streamed are read back into the memory they held.
    drop(maker);
    let_go(repository);
    if !outcome.has_errors() && rendering.staged.is_some() {
        let lines = rendering
            .streamed
            .into_texts()
            .map_err(|source| Error::Io {
                path: std::env::temp_dir(),
                source,
            })?;
        for (key, line) in lines {
            manifest.add_line(key, line);
        }
    }
    // The entries made as lines, read back: what they name.
    let made_lines: Vec<(&str, &str)> = manifest.made_lines().collect();
    let made_views: Vec<Option<(String, CaseView<'_>)>> = made_lines
        .par_iter()
        .map(|(_, line)| manifest::view_of_line(line))
        .collect();
    let removed_files = if outcome.has_errors() {
        Vec::new()
    } else {
        left_over_files(&manifest, &made_views, &kept, &recorded, text)
    };
    let manifest_changed = manifest_changed || !removed_files.is_empty();
    // The index of the manifest once written: of the manifest written
    // again, or of the one read whole and left as it is, so that the next
    // build need not parse it; a settled index in use stays as it is.
    let manifest_index = if !stat_cache_enabled {
        None
    } else if manifest_changed {
        written_index(&manifest, &recorded)
    } else if !(use_index && settled) {
        read_index(&recorded, read_at)
    } else {
        None
    };
    drop(made_views);
    // Callers of the library read every entry in `cases`; a streaming
    // build, the command line's, writes the skipped ones back as read.
    if mode != Mode::Streaming {
        manifest.parse_verbatim();
    }
    // Freeing the index read takes milliseconds: done on another thread,
    // while the build is written.
    drop(recorded);
    rayon::spawn(move || drop(index));
    Ok(Build {
        outcome,
        out,
        manifest,
        manifest_changed,
        unchanged_cases: plan.skip.into_iter().collect(),
        unchanged_files,
        removed_files,
        stat_cache,
        manifest_index,
        staged: rendering.staged,
    })
}

/// The repository a build reads, where it writes, and the stat cache it
/// trusts, if any.
struct Opened {
    repository: Repository,
    out: PathBuf,
    stat_cache: Option<StatCache>,
    /// Whether the build is of whole repository folders, not named case
    /// files.
    whole_repository: bool,
}

/// Opens the repository `paths` point into, its case files listed but
/// not parsed when it is built whole, and the stat cache of the output
/// folder, `out` or the repository's `out/`, when one is to be trusted.
fn open(
    paths: &[PathBuf],
    out: Option<&Path>,
    options: Options,
    fresh: bool,
) -> Result<Opened, Error> {
    // Named case files are rebuilt whatever their state, with the earlier
    // cases they update, which only the full loader finds.
    let whole_repository = paths.iter().all(|path| path.is_dir());
    // A build that renders every case reads every case: no cache then.
    let stat_cache = (whole_repository && !fresh && !options.publish)
        .then(|| StatCache::open(&out.map_or_else(|| guessed_out(paths), Path::to_path_buf)));
    let repository = if whole_repository {
        let known = stat_cache.as_ref().map(|cache| {
            move |root: &Path, file: &Path, stat: &stat_cache::FileStat| {
                cache.digest(&key(root, file), stat).map(str::to_owned)
            }
        });
        let known = known.as_ref().map(|k| k as load::KnownDigest<'_>);
        load::open_deferred(paths, options.limits, known)?
    } else {
        load::open(paths, options.limits)?
    };
    let out = match out {
        Some(out) => out.to_path_buf(),
        None => default_out(&repository.root),
    };
    crate::confine::check_output_folder(&out, &repository.root)?;
    Ok(Opened {
        repository,
        out,
        stat_cache,
        whole_repository,
    })
}

/// Whether the index's `verdicts` skip every case it `recorded`, and no
/// case is new: then the manifest stays as it is.
fn all_skipped(verdicts: &[(String, Verdict)], recorded: &BTreeMap<String, Recorded<'_>>) -> bool {
    verdicts.len() == recorded.len()
        && verdicts
            .iter()
            .all(|(_, verdict)| matches!(verdict, Verdict::Known(Stale::Nothing)))
}

/// The last manifest's text in `out`, when `needed`, or when there is no
/// `index` to use instead; and whether the index is used, which it is
/// only while it vouches for the text read. Shared with the manifest
/// written, as read: a manifest is tens of megabytes, not to be copied.
fn last_manifest_text(
    out: &Path,
    index: Option<&Index>,
    needed: bool,
) -> (Option<Arc<String>>, bool) {
    let Some(index) = index else {
        return (manifest::read_text(out), false);
    };
    if !needed {
        return (None, true);
    }
    match fs::read_to_string(out.join(manifest::FILE_NAME)) {
        Ok(raw) if index.vouches_for(&raw) => (Some(Arc::new(raw)), true),
        _ => (manifest::read_text(out), false),
    }
}

/// What a build does with each case file, as the verdicts on them decide.
struct Plan {
    /// The cases skipped, by manifest key, with their files.
    skipped: BTreeMap<String, PathBuf>,
    /// Cases of which only some documents are rendered again, by file,
    /// with those documents' kinds and the case's last entry, which holds
    /// the others.
    partly: BTreeMap<PathBuf, (BTreeSet<String>, CaseEntry)>,
    /// The files of the cases skipped, as the pipeline takes them
    /// ([`Scope`]): made once from `skipped`.
    skip: BTreeSet<PathBuf>,
    /// The kinds rendered again of each case in `partly`, as the pipeline
    /// takes them.
    kinds: BTreeMap<PathBuf, BTreeSet<String>>,
    /// How many cases of the manifest no case file matches.
    unmatched: usize,
    /// The case files to parse.
    to_parse: Vec<PathBuf>,
}

impl Plan {
    /// The plan for the case files `deferred`, from the `verdicts` on them
    /// in that order (none: every case is parsed), the entries the last
    /// build `recorded`, and its manifest's `text`, when read. Cases are
    /// `judged` unless the build renders them all.
    fn of(
        deferred: &[PathBuf],
        verdicts: Option<Vec<(String, Verdict)>>,
        recorded: &BTreeMap<String, Recorded<'_>>,
        text: Option<&str>,
        judged: bool,
    ) -> Plan {
        let mut skipped = BTreeMap::new();
        let mut partly = BTreeMap::new();
        let mut unmatched = if judged { recorded.len() } else { 0 };
        let mut to_parse = Vec::new();
        match verdicts {
            None => to_parse = deferred.to_vec(),
            Some(verdicts) => {
                for (file, (key, verdict)) in deferred.iter().zip(verdicts) {
                    if !matches!(verdict, Verdict::New) {
                        unmatched -= 1;
                    }
                    match verdict {
                        Verdict::Known(Stale::Nothing) => {
                            skipped.insert(key, file.clone());
                        }
                        Verdict::Known(Stale::Documents(kinds)) => {
                            let line = recorded.get(&key).and_then(|r| r.line(text));
                            if let Some((_, entry)) = line.and_then(manifest::parse_line) {
                                partly.insert(file.clone(), (kinds, entry));
                            }
                            to_parse.push(file.clone());
                        }
                        _ => to_parse.push(file.clone()),
                    }
                }
            }
        }
        let skip = skipped.values().cloned().collect();
        let kinds = partly
            .iter()
            .map(|(file, (kinds, _))| (file.clone(), kinds.clone()))
            .collect();
        Plan {
            skipped,
            partly,
            skip,
            kinds,
            unmatched,
            to_parse,
        }
    }
}

/// Parses the case files `to_parse`, then those that a parsed case needs
/// to be checked, the case it updates and a case named like its id, until
/// none is missing.
fn parse_needed(
    repository: &mut Repository,
    to_parse: &[PathBuf],
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(), Error> {
    parse_with_progress(repository, to_parse, progress)?;
    loop {
        let wanted: BTreeSet<&str> = repository
            .cases
            .iter()
            .flat_map(|c| [Some(&c.value.id), c.value.updates.as_ref()])
            .flatten()
            .map(|id| id.as_str())
            .collect();
        let needed: Vec<PathBuf> = repository
            .deferred
            .iter()
            .filter(|file| stem(file).is_some_and(|s| wanted.contains(s)))
            .cloned()
            .collect();
        if needed.is_empty() {
            return Ok(());
        }
        parse_with_progress(repository, &needed, progress)?;
    }
}

/// Makes the manifest entry of each case rendered this build.
struct EntryMaker<'a> {
    repository: &'a Repository,
    inputs: &'a Inputs,
    cases: BTreeMap<&'a Path, &'a crate::model::Case>,
    /// The file of each case by id, to find the case an update updates:
    /// of two with one id, the first in file order.
    files_by_id: BTreeMap<&'a str, &'a Path>,
    /// The cases rendered only in part, with their last entries.
    partly: &'a BTreeMap<PathBuf, (BTreeSet<String>, CaseEntry)>,
    public_only: bool,
}

impl<'a> EntryMaker<'a> {
    fn new(
        repository: &'a Repository,
        inputs: &'a Inputs,
        partly: &'a BTreeMap<PathBuf, (BTreeSet<String>, CaseEntry)>,
        public_only: bool,
    ) -> EntryMaker<'a> {
        let cases = repository
            .cases
            .iter()
            .map(|c| (c.file.as_path(), &c.value))
            .collect();
        let mut files_by_id = BTreeMap::new();
        for loaded in repository.cases.iter().chain(&repository.earlier_cases) {
            files_by_id
                .entry(loaded.value.id.as_str())
                .or_insert(loaded.file.as_path());
        }
        EntryMaker {
            repository,
            inputs,
            cases,
            files_by_id,
            partly,
            public_only,
        }
    }

    /// The manifest key and entry of the case in `file`, rendered into
    /// `documents` with `warnings`.
    fn entry(
        &self,
        file: &Path,
        warnings: usize,
        documents: &[&Document],
    ) -> Option<(String, CaseEntry)> {
        let case = self.cases.get(file)?;
        let updated = case
            .updates
            .as_ref()
            .and_then(|id| self.files_by_id.get(id.as_str()).copied());
        let rendered = Rendered {
            file,
            case,
            updated,
            warnings,
            documents,
        };
        let mut entry = self
            .inputs
            .entry(self.repository, &rendered, self.public_only)?;
        if let Some((_, kept)) = self.partly.get(file) {
            keep_documents_not_rendered(&mut entry, kept);
        }
        Some((self.inputs.key(file), entry))
    }
}

/// What rendering the cases of a build gave.
struct RenderedCases {
    outcome: Outcome,
    /// Every case rendered, by file, with its number of diagnostics.
    rendered: Vec<(PathBuf, usize)>,
    /// What a streaming build staged, when it has no errors.
    staged: Option<Arc<Staged>>,
    /// The manifest lines of the cases a streaming build staged.
    streamed: Spill,
}

/// Checks and renders the cases `plan` does not skip. A streaming build
/// hands each case's documents to the writer as the case finishes, and
/// keeps only its manifest entry, as its line, out of memory until the
/// cases are let go.
fn render(
    repository: &Repository,
    maker: &EntryMaker<'_>,
    plan: &Plan,
    options: Options,
    progress: &(dyn Fn(Progress) + Sync),
    mode: Mode,
    out: &Path,
) -> Result<RenderedCases, Error> {
    let stager = (mode == Mode::Streaming).then(|| Stager::start(out));
    let streamed: Mutex<Spill> = Mutex::new(Spill::default());
    let sink = |finished: Finished| {
        let Some(stager) = &stager else { return };
        if finished.doomed {
            return;
        }
        let documents = with_other_formats(finished.documents, options);
        let all: Vec<&Document> = documents.iter().collect();
        if let Some((key, entry)) = maker.entry(finished.file, finished.diagnostics, &all) {
            let line = manifest::line_of(&key, &entry);
            streamed
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(key, line);
        }
        stager.send(documents);
    };
    let run = pipeline::run_with(
        repository,
        Scope {
            only: None,
            skip: &plan.skip,
            kinds: &plan.kinds,
            progress,
            rendering: pipeline::Rendering::of(options),
            sink: stager
                .is_some()
                .then_some(&sink as &(dyn Fn(Finished) + Sync)),
        },
    );
    let mut outcome = run.outcome;
    outcome.documents = with_other_formats(outcome.documents, options);
    // Whatever the writer staged is removed again when the build has
    // errors, which are reported rather than any failure of the writer:
    // dropping it leaves the output folder as it was.
    let staged = match stager.map(Stager::finish) {
        Some(staged) if !outcome.has_errors() => Some(Arc::new(staged?)),
        _ => None,
    };
    Ok(RenderedCases {
        outcome,
        rendered: run.rendered,
        staged,
        streamed: streamed
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
    })
}

/// The manifest entries of the cases `rendered` into `outcome`'s
/// documents, digested on every core.
fn entries_of_outcome(
    outcome: &Outcome,
    rendered: &[(PathBuf, usize)],
    maker: &EntryMaker<'_>,
) -> Vec<(String, CaseEntry)> {
    let mut documents: BTreeMap<&Path, Vec<&Document>> = BTreeMap::new();
    for document in &outcome.documents {
        documents
            .entry(document.case_file.as_path())
            .or_default()
            .push(document);
    }
    let entries: Vec<Option<(String, CaseEntry)>> = rendered
        .par_iter()
        .map(|(file, warnings)| {
            let case_documents = documents.get(file.as_path()).map_or(&[][..], Vec::as_slice);
            maker.entry(file, *warnings, case_documents)
        })
        .collect();
    entries.into_iter().flatten().collect()
}

/// The files, relative to the output folder, of the cases `plan` skips
/// and of the documents it keeps, sorted.
fn unchanged_files(plan: &Plan, recorded: &BTreeMap<String, Recorded<'_>>) -> Vec<PathBuf> {
    let mut files: Vec<&str> = Vec::new();
    let skipped = plan.skipped.keys().map(String::as_str);
    for (_, recorded) in in_both(skipped, recorded) {
        files.extend(recorded.files());
    }
    for (kinds, entry) in plan.partly.values() {
        for (kind, document) in &entry.documents {
            if !kinds.contains(kind) {
                files.extend(document.files.keys().map(String::as_str));
            }
        }
    }
    files.sort_unstable();
    files.into_iter().map(PathBuf::from).collect()
}

/// The entries of `map` whose keys are among `keys`, which are in order:
/// the two walked side by side, each key compared once or twice rather
/// than looked up (10,000 times in a rebuild of 10,000 cases).
fn in_both<'m, V>(
    keys: impl Iterator<Item = &'m str>,
    map: &'m BTreeMap<String, V>,
) -> impl Iterator<Item = (&'m String, &'m V)> {
    let mut entries = map.iter().peekable();
    keys.filter_map(move |key| {
        while entries.next_if(|(k, _)| k.as_str() < key).is_some() {}
        entries.next_if(|(k, _)| k.as_str() == key)
    })
}

/// The stat cache's entries for every case file read: its stat and
/// digest, by manifest key.
fn stat_cache_entries(
    repository: &Repository,
    inputs: &Inputs,
) -> BTreeMap<String, stat_cache::Entry> {
    let stats: Vec<(&PathBuf, &FileStat)> = repository.case_stats().iter().collect();
    let entries: Vec<(String, stat_cache::Entry)> = stats
        .par_iter()
        .filter_map(|(file, stat)| {
            let key = inputs.key(file);
            let digest = inputs.cases.get(&key)?.clone();
            let stat = **stat;
            Some((key, stat_cache::Entry { stat, digest }))
        })
        .collect();
    // In file order, which is key order: the map is built in one pass.
    entries.into_iter().collect()
}

/// Files an earlier build wrote that this one does not produce: of
/// deleted cases and kinds, or of cases a publishing build holds back,
/// with what the manifest recorded of each. Only the files of cases not
/// `kept` can be left over; what they were is read from the manifest's
/// lines in `text`. Each is struck out once a file the manifest names
/// once written is found to be it: of the entries made, of those made as
/// lines (`made_views`), or of the cases `kept` as the last build
/// `recorded` them. Most builds leave none over: the search stops then.
fn left_over_files(
    manifest: &Manifest,
    made_views: &[Option<(String, CaseView<'_>)>],
    kept: &BTreeSet<&str>,
    recorded: &BTreeMap<String, Recorded<'_>>,
    text: Option<&str>,
) -> Vec<(PathBuf, FileEntry)> {
    let mut left_over: BTreeMap<String, FileEntry> = recorded
        .iter()
        .filter(|(key, _)| !kept.contains(key.as_str()))
        .flat_map(|(_, recorded)| recorded.manifest_files(text))
        .collect();
    let made = manifest
        .cases
        .values()
        .flat_map(|entry| entry.documents.values())
        .flat_map(|document| document.files.keys().map(String::as_str));
    let made_as_lines = made_views
        .iter()
        .flatten()
        .flat_map(|(_, view)| view.documents.values())
        .flat_map(|document| document.files.keys().map(|file| &**file));
    for file in made.chain(made_as_lines) {
        if left_over.is_empty() {
            break;
        }
        left_over.remove(file);
    }
    for key in kept {
        if left_over.is_empty() {
            break;
        }
        if manifest.made(key) {
            continue;
        }
        for file in recorded.get(*key).iter().flat_map(|r| r.files()) {
            left_over.remove(file);
        }
    }
    left_over
        .into_iter()
        .map(|(file, recorded)| (PathBuf::from(file), recorded))
        .collect()
}

/// Frees `repository` on every core: its cases are tens of thousands of
/// allocations, tens of milliseconds to free one after another.
fn let_go(mut repository: Repository) {
    let cases = std::mem::take(&mut repository.cases);
    rayon::join(|| cases.into_par_iter().for_each(drop), || drop(repository));
}

/// The index of `manifest` as the build writes it, its kept
/// lines as the last build `recorded` them; `None` when a name in it
/// cannot be indexed.
fn written_index(
    manifest: &Manifest,
    recorded: &BTreeMap<String, Recorded<'_>>,
) -> Option<manifest_index::Update> {
    let kept: Vec<&str> = manifest
        .verbatim_files()
        .filter(|file| !manifest.made(file))
        .collect();
    let kept: Option<Vec<(String, manifest_index::Unplaced)>> = kept
        .par_iter()
        .map(|file| {
            let recorded = recorded.get(*file)?;
            let entry = recorded.index_entry()?;
            Some((
                (*file).to_owned(),
                (Some(recorded.line_digest()), Some(entry)),
            ))
        })
        .collect();
    let made: Option<Vec<(String, manifest_index::Unplaced)>> = manifest
        .cases
        .par_iter()
        .map(|(file, entry)| {
            let indexed = IndexEntry::of_entry(entry)?;
            Some((file.clone(), (None, Some(Arc::new(indexed)))))
        })
        .collect();
    // Entries made as lines are read from their lines as the index is
    // written.
    let made_as_lines = manifest
        .made_lines()
        .map(|(file, _)| (file.to_owned(), (None, None)));
    let entries = kept?
        .into_iter()
        .chain(made?)
        .chain(made_as_lines)
        .collect();
    Some(manifest_index::Update::written(entries))
}

/// The index of the manifest as read whole at `read_at` and left
/// as it is, its cases as `recorded`; `None` when a name in it cannot be
/// indexed.
fn read_index(
    recorded: &BTreeMap<String, Recorded<'_>>,
    read_at: SystemTime,
) -> Option<manifest_index::Update> {
    let entries: Option<manifest_index::Entries> = recorded
        .par_iter()
        .map(|(key, recorded)| {
            let located = manifest_index::Located {
                range: recorded.range(),
                line: recorded.line_digest(),
                entry: recorded.index_entry()?,
            };
            Some((key.clone(), located))
        })
        .collect();
    Some(manifest_index::Update::read(entries?, read_at))
}

/// Adds to `entry` the documents of `kept`, the case's entry in the last
/// manifest, that were not rendered again: their templates are unchanged,
/// so their digests stand.
fn keep_documents_not_rendered(entry: &mut CaseEntry, kept: &CaseEntry) {
    for (kind, document) in &kept.documents {
        entry
            .documents
            .entry(kind.clone())
            .or_insert_with(|| document.clone());
    }
}

/// The output folder of a build of the repository folder `paths` names,
/// as [`load::open`] will find it, to open its stat cache before.
fn guessed_out(paths: &[PathBuf]) -> PathBuf {
    let folder = paths.first().map_or(Path::new("."), PathBuf::as_path);
    default_out(&load::find_root(folder).unwrap_or_else(|| folder.to_path_buf()))
}

/// `out/` in the repository at `root`.
pub fn default_out(root: &Path) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from("out")
    } else {
        root.join("out")
    }
}

fn parse_with_progress(
    repository: &mut Repository,
    files: &[PathBuf],
    progress: &(dyn Fn(crate::Progress) + Sync),
) -> Result<(), Error> {
    let done = AtomicUsize::new(0);
    let total = files.len();
    repository.parse_deferred(files, &|| {
        let done = done.fetch_add(1, Ordering::Relaxed) + 1;
        progress(Progress {
            stage: Stage::Reading,
            done,
            total,
        });
    })
}

/// What a rebuild knows of a case file before parsing it.
enum Verdict {
    /// The last build's manifest has no entry for it.
    New,
    /// What of it is out of date.
    Known(Stale),
    /// Its index entry does not tell: its manifest line must.
    Unknown,
}

/// What a rebuild judges each case file by: the inputs now, and the
/// entries the last build `recorded`, with its manifest's `text` when
/// read, which tells what the index cannot.
struct Judge<'a, 'r> {
    inputs: &'a Inputs,
    recorded: &'a BTreeMap<String, Recorded<'r>>,
    text: Option<&'a str>,
    options: Options,
    /// The output folder, where the files recorded are looked for.
    outputs: &'a OpenFolder,
}

impl Judge<'_, '_> {
    /// The verdict on the case with manifest key `key`.
    fn verdict(&self, key: &str) -> Verdict {
        self.recorded.get(key).map_or(Verdict::New, |recorded| {
            exact_verdict(
                self.inputs,
                key,
                recorded,
                self.text,
                self.options,
                self.outputs,
            )
        })
    }

    /// The verdict on each case file waiting to be parsed in
    /// `repository`, by manifest key, in file order.
    fn each(&self, repository: &Repository) -> Vec<(String, Verdict)> {
        repository
            .deferred
            .par_iter()
            .map(|file| {
                let key = self.inputs.key(file);
                let verdict = self.verdict(&key);
                (key, verdict)
            })
            .collect()
    }

    /// The index's `verdicts`, those it could not tell told now.
    fn told_by_lines(&self, verdicts: Vec<(String, Verdict)>) -> Vec<(String, Verdict)> {
        verdicts
            .into_par_iter()
            .map(|(key, verdict)| match verdict {
                Verdict::Unknown => {
                    let verdict = self.verdict(&key);
                    (key, verdict)
                }
                verdict => (key, verdict),
            })
            .collect()
    }
}

/// What of the case with manifest key `key` is out of date, as `recorded`
/// and, when it does not tell, the manifest's `text` say.
fn exact_verdict(
    inputs: &Inputs,
    key: &str,
    recorded: &Recorded<'_>,
    text: Option<&str>,
    options: Options,
    outputs: &OpenFolder,
) -> Verdict {
    match recorded {
        Recorded::Line(line, _, view) => {
            Verdict::Known(inputs.stale(key, view, line, options, outputs))
        }
        Recorded::Indexed(located) => {
            if let Some(stale) = inputs.stale_indexed(key, &located.entry, options, outputs) {
                return Verdict::Known(stale);
            }
            match recorded.line(text) {
                Some(line) => Verdict::Known(match manifest::parse_line(line) {
                    Some((_, entry)) => inputs.stale_exactly(key, &entry, options, outputs),
                    None => Stale::Case,
                }),
                None => Verdict::Unknown,
            }
        }
    }
}

/// What of a case is out of date.
enum Stale {
    /// Nothing: the case is skipped.
    Nothing,
    /// These documents, by kind: their templates changed or their files
    /// are gone. The others are kept.
    Documents(BTreeSet<String>),
    /// The case itself, or something every document of it depends on.
    Case,
}

/// A case rendered this build, as its manifest entry is made from it.
#[derive(Clone, Copy)]
struct Rendered<'a> {
    /// The case file.
    file: &'a Path,
    case: &'a crate::model::Case,
    /// The file of the case it updates, when it updates one.
    updated: Option<&'a Path>,
    /// How many diagnostics its checks and documents produced.
    warnings: usize,
    /// Its documents.
    documents: &'a [&'a Document],
}

/// The digest of the templates each set of document kinds may use, as the
/// index records it, by set of kinds.
type TemplatesMade = BTreeMap<Vec<String>, Option<Arc<str>>>;

/// The digests of everything a case's documents can depend on, as they are
/// now.
struct Inputs {
    root: PathBuf,
    /// `candor.yaml`, when there is one.
    settings: Option<String>,
    /// Library principles by id. Of two files with one id, the first
    /// counts, as in validation.
    principles: BTreeMap<String, String>,
    /// Every case file read, by manifest key.
    cases: BTreeMap<String, String>,
    /// The document kinds, by id.
    kinds: BTreeMap<String, DocumentKind>,
    /// The digest of the templates each kind may use, by kind id, as a
    /// document's manifest entry records it
    /// ([`manifest::templates_digest`]): one shared by every document of
    /// the kind.
    templates: BTreeMap<String, Arc<str>>,
    /// What [`Inputs::templates_digest`] made, by set of kinds.
    templates_made: Mutex<TemplatesMade>,
    /// The approval files of each case, by manifest key of the case file:
    /// file name and digest.
    approvals: BTreeMap<String, BTreeMap<String, String>>,
}

impl Inputs {
    fn of(repository: &Repository) -> Inputs {
        let text_digest = |file: &Path| repository.digest_of(file);
        let mut principles = BTreeMap::new();
        for loaded in &repository.principles {
            if let Some(digest) = text_digest(&loaded.file) {
                principles
                    .entry(loaded.value.id.to_string())
                    .or_insert(digest);
            }
        }
        let case_files: Vec<&PathBuf> = repository
            .deferred
            .iter()
            .chain(repository.cases.iter().map(|c| &c.file))
            .chain(repository.earlier_cases.iter().map(|c| &c.file))
            .collect();
        let root = repository.root.clone();
        let cases = case_files
            .par_iter()
            .filter_map(|file| Some((key(&root, file), text_digest(file)?)))
            .collect();
        // The kinds depend only on the settings: checking a repository
        // whose cases are not parsed yet costs next to nothing.
        let kinds: BTreeMap<String, DocumentKind> = crate::validate::validate(repository)
            .documents
            .into_iter()
            .map(|kind| (kind.id.to_string(), kind))
            .collect();
        // Each kind's templates are parsed to find what they include: on
        // every core.
        let templates: BTreeMap<String, Arc<str>> = kinds
            .par_iter()
            .map(|(id, kind)| {
                // Either style's template may serve, by case.
                let exists = |name: &str| {
                    crate::render::is_builtin(name)
                        || repository.templates.iter().any(|t| t.name == name)
                };
                let [letter, brief] = crate::render::templates_of_kind(&kind.template);
                let mut used = templates_used(&letter, &repository.templates);
                if exists(&brief) {
                    used.extend(templates_used(&brief, &repository.templates));
                }
                (id.clone(), Arc::from(manifest::templates_digest(&used)))
            })
            .collect();
        let approvals = repository
            .approvals
            .iter()
            .map(|(case_file, approvals)| {
                // A signature decides whether a sign-off counts, as its
                // file does.
                let signatures = approvals
                    .iter()
                    .filter_map(|loaded| repository.signatures.get(&loaded.file))
                    .map(|signature| &signature.file);
                let files = approvals
                    .iter()
                    .map(|loaded| &loaded.file)
                    .chain(signatures)
                    .filter_map(|file| {
                        let name = file.file_name()?.to_string_lossy().into_owned();
                        Some((name, text_digest(file)?))
                    })
                    .collect();
                (key(&root, case_file), files)
            })
            .collect();
        Inputs {
            templates_made: Mutex::new(BTreeMap::new()),
            approvals,
            // Who may sign is part of the settings.
            settings: text_digest(&repository.settings.file).map(|settings| {
                match &repository.allowed_signers {
                    Some(signers) => manifest::digest(
                        format!("{settings} {}", manifest::digest(signers.value.as_bytes()))
                            .as_bytes(),
                    ),
                    None => settings,
                }
            }),
            principles,
            cases,
            kinds,
            templates,
            root,
        }
    }

    /// The manifest key of a case file.
    fn key(&self, file: &Path) -> String {
        key(&self.root, file)
    }

    /// What of the case with manifest key `key`, recorded as `entry` by
    /// the last build, is out of date. Most often nothing, which
    /// [`Inputs::plainly_unchanged`] tells from the entry as read; when it
    /// cannot, the entry's line is parsed whole and every input compared.
    fn stale(
        &self,
        key: &str,
        entry: &CaseView<'_>,
        line: &str,
        options: Options,
        outputs: &OpenFolder,
    ) -> Stale {
        if self.plainly_unchanged(key, entry, options, outputs) {
            return Stale::Nothing;
        }
        match manifest::parse_line(line) {
            Some((_, entry)) => self.stale_exactly(key, &entry, options, outputs),
            None => Stale::Case,
        }
    }

    /// The templates the document kinds `kinds` may use, as one digest
    /// ([`manifest_index::templates_digest`]), as the index records it for
    /// a case of those kinds; `None` when a kind is unknown. Made once for
    /// each set of kinds.
    fn templates_digest(&self, kinds: &[&str]) -> Option<Arc<str>> {
        let key: Vec<String> = kinds.iter().map(|kind| (*kind).to_owned()).collect();
        if let Some(found) = self.templates_made.lock().ok()?.get(&key) {
            return found.clone();
        }
        let digests: Option<Vec<(&str, &str)>> = kinds
            .iter()
            .map(|kind| Some((*kind, &**self.templates.get(*kind)?)))
            .collect();
        let made =
            digests.map(|digests| Arc::from(manifest_index::templates_digest(digests.into_iter())));
        self.templates_made.lock().ok()?.insert(key, made.clone());
        made
    }

    /// Whether nothing the case with manifest key `key` depends on changed
    /// since the last build recorded `entry`, comparing the maps of digests
    /// as the manifest's JSON holds them with the same maps made now: the
    /// manifest is written canonically, so equal text is equal maps. Text
    /// that differs says nothing, and [`Inputs::stale_exactly`] decides.
    fn plainly_unchanged(
        &self,
        key: &str,
        entry: &CaseView<'_>,
        options: Options,
        outputs: &OpenFolder,
    ) -> bool {
        let same_approvals = match (self.approvals.get(key), entry.approvals) {
            (None, None) => true,
            (Some(now), None) => now.is_empty(),
            (Some(now), Some(recorded)) => !now.is_empty() && manifest::json(now) == recorded.get(),
            (None, Some(_)) => false,
        };
        let same_inputs = entry.warnings == 0
            && !entry.public_only
            && self.cases.get(key).map(String::as_str) == Some(&*entry.digest)
            && same_approvals
            && self.settings.as_deref() == entry.settings.as_deref()
            && entry.principles.iter().all(|(id, digest)| {
                self.principles.get(&**id).map(String::as_str) == Some(&**digest)
            })
            && entry.updates.iter().all(|(file, digest)| {
                self.cases.get(&**file).map(String::as_str) == Some(&**digest)
            });
        if !same_inputs {
            return false;
        }
        entry.documents.iter().all(|(kind_id, document)| {
            let Some(kind) = self.kinds.get(&**kind_id) else {
                return false;
            };
            let same_templates = self
                .templates
                .get(&**kind_id)
                .is_some_and(|digest| **digest == *document.templates);
            let expected = expected_files(&entry.id, kind, options);
            let files_in_place = document.files.len() == expected.len()
                && expected.iter().all(|path| {
                    document
                        .files
                        .get(path.as_str())
                        .is_some_and(|recorded| outputs.file_size(path) == Some(recorded.bytes))
                });
            same_templates && files_in_place
        })
    }

    /// What of the case with manifest key `key`, recorded in the index as
    /// `entry`, is out of date, when the index tells: the whole case, as
    /// [`Inputs::stale_exactly`] would find, when the case file, the
    /// settings, its sign-offs, a principle or the case it updates changed
    /// or it had warnings; nothing, when its templates are unchanged and
    /// its files in place. `None` when only its manifest line can tell.
    fn stale_indexed(
        &self,
        key: &str,
        entry: &IndexEntry,
        options: Options,
        outputs: &OpenFolder,
    ) -> Option<Stale> {
        let approvals = self
            .approvals
            .get(key)
            .filter(|approvals| !approvals.is_empty())
            .map(manifest::json);
        let same_inputs = entry.warnings == 0
            && !entry.public_only
            && self.cases.get(key).map(String::as_str) == Some(entry.digest.as_str())
            && self.settings.as_deref().unwrap_or("-") == entry.settings
            && manifest_index::approvals_digest(approvals.as_deref()) == entry.approvals
            && entry.principles.iter().all(|(id, digest)| {
                self.principles.get(id).map(String::as_str) == Some(digest.as_str())
            })
            && entry
                .updates
                .iter()
                .all(|(file, digest)| self.cases.get(file) == Some(digest));
        if !same_inputs {
            return Some(Stale::Case);
        }
        let kinds: Vec<&str> = entry
            .documents
            .iter()
            .map(|(kind, _)| kind.as_str())
            .collect();
        if self.templates_digest(&kinds)?.as_ref() != entry.templates {
            return None;
        }
        let in_place = entry.documents.iter().all(|(kind_id, files)| {
            let Some(kind) = self.kinds.get(kind_id) else {
                return false;
            };
            let expected = expected_files(&entry.id, kind, options);
            files.len() == expected.len()
                && expected.iter().all(|path| {
                    files
                        .iter()
                        .find(|file| file.path == *path)
                        .is_some_and(|recorded| outputs.file_size(path) == Some(recorded.bytes))
                })
        });
        in_place.then_some(Stale::Nothing)
    }

    /// What of the case with manifest key `key`, recorded as `entry` by
    /// the last build, is out of date, entry parsed whole.
    fn stale_exactly(
        &self,
        key: &str,
        entry: &CaseEntry,
        options: Options,
        outputs: &OpenFolder,
    ) -> Stale {
        let no_approvals = BTreeMap::new();
        let same_inputs = entry.warnings == 0
            && !entry.public_only
            && self.cases.get(key) == Some(&entry.digest)
            && *self.approvals.get(key).unwrap_or(&no_approvals) == entry.approvals
            && self.settings == entry.settings
            && entry
                .principles
                .iter()
                .all(|(id, digest)| self.principles.get(id) == Some(digest))
            && entry
                .updates
                .iter()
                .all(|(file, digest)| self.cases.get(file) == Some(digest));
        if !same_inputs {
            return Stale::Case;
        }
        let mut stale = BTreeSet::new();
        for (kind_id, document) in &entry.documents {
            // The kinds a case produces depend on the case and the
            // settings, both unchanged: a kind gone means candor changed.
            let Some(kind) = self.kinds.get(kind_id) else {
                return Stale::Case;
            };
            let expected = expected_files(&entry.id, kind, options);
            let same_templates = self.templates.get(kind_id) == Some(&document.templates);
            let files_in_place = document.files.len() == expected.len()
                && expected.iter().all(|path| {
                    document
                        .files
                        .get(path)
                        .is_some_and(|recorded| outputs.file_size(path) == Some(recorded.bytes))
                });
            if !(same_templates && files_in_place) {
                stale.insert(kind_id.clone());
            }
        }
        if stale.is_empty() {
            Stale::Nothing
        } else {
            Stale::Documents(stale)
        }
    }

    /// The manifest entry of a case `rendered` this time.
    fn entry(
        &self,
        repository: &Repository,
        rendered: &Rendered<'_>,
        public_only: bool,
    ) -> Option<CaseEntry> {
        let Rendered {
            file,
            case,
            updated,
            warnings,
            documents,
        } = *rendered;
        let is_public = |id: &str| {
            repository
                .principles
                .iter()
                .find(|loaded| loaded.value.id.as_str() == id)
                .is_some_and(|loaded| loaded.value.visibility == Visibility::Public)
        };
        let principles = case
            .principles
            .iter()
            .filter_map(|entry| match &entry.value {
                PrincipleEntry::Library(id) => {
                    if public_only && !is_public(id.as_str()) {
                        return None;
                    }
                    let digest = self.principles.get(id.as_str())?;
                    Some((id.to_string(), digest.clone()))
                }
                PrincipleEntry::Inline(_) => None,
            })
            .collect();
        let updates = updated
            .and_then(|earlier| {
                let key = self.key(earlier);
                let digest = self.cases.get(&key)?;
                Some((key, digest.clone()))
            })
            .into_iter()
            .collect();
        let mut entries: BTreeMap<String, DocumentEntry> = BTreeMap::new();
        for document in documents {
            let entry = entries
                .entry(document.kind.clone())
                .or_insert_with(|| DocumentEntry {
                    files: BTreeMap::new(),
                    templates: self
                        .templates
                        .get(&document.kind)
                        .cloned()
                        .unwrap_or_default(),
                });
            entry
                .files
                .insert(slashed(&document.path), FileEntry::of(document.bytes()));
        }
        Some(CaseEntry {
            approvals: self
                .approvals
                .get(&self.key(file))
                .cloned()
                .unwrap_or_default(),
            digest: self.cases.get(&self.key(file))?.clone(),
            documents: entries,
            id: case.id.to_string(),
            principles,
            public_only,
            settings: self.settings.clone(),
            updates,
            warnings,
        })
    }
}

/// The files a document of `kind` of the case `id` is written to: the
/// markdown, and the page and Word document `options` ask for.
fn expected_files(id: &str, kind: &DocumentKind, options: Options) -> Vec<String> {
    let markdown = format!("{id}/{}", kind.output_file_name());
    let mut expected = vec![markdown.clone()];
    if let Some(stem) = markdown.strip_suffix(".md") {
        if options.html {
            expected.push(format!("{stem}.html"));
        }
        if options.docx {
            expected.push(format!("{stem}.docx"));
        }
    }
    expected
}

/// A case file's manifest key: its path below the repository root, with
/// `/` between folders.
fn key(root: &Path, file: &Path) -> String {
    // Most often the file's path is the root's, a `/` and plain names:
    // then the key is the rest as it is, found without taking either
    // path apart (30,000 times in a rebuild of 10,000 cases).
    let below = file
        .to_str()
        .zip(root.to_str())
        .and_then(|(file, root)| file.strip_prefix(root)?.strip_prefix('/'));
    if let Some(below) = below.filter(|below| plain_relative(below)) {
        return below.to_owned();
    }
    slashed(file.strip_prefix(root).unwrap_or(file))
}

/// Whether `path` is relative, with `/` between names none of which is
/// `.` or `..`: what [`slashed`] makes of it is itself.
fn plain_relative(path: &str) -> bool {
    cfg!(unix)
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// A relative path with `/` between its parts, whatever the platform.
fn slashed(path: &Path) -> String {
    match path.to_str().filter(|text| plain_relative(text)) {
        Some(text) => text.to_owned(),
        None => slashed_by_parts(path),
    }
}

/// [`slashed`], the path taken apart.
fn slashed_by_parts(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn stem(file: &Path) -> Option<&str> {
    file.file_stem().and_then(|s| s.to_str())
}

/// The templates a document rendered through `template` may use, by the
/// name Tera resolves them to (a user's template by its name, a built-in
/// as `builtin/<name>`), with the digest of each one's text.
///
/// candor follows what Tera parsed of each template
/// ([`crate::render::dependencies`]): `{% include %}`, `{% extends %}`, and
/// component calls, to every template defining the component called. When
/// it cannot tell for sure — a name that resolves to nothing, a template
/// Tera refuses — it lists every template: a document may then be rebuilt
/// for nothing, but never skipped when one of its templates changed.
pub fn templates_used(template: &str, user_templates: &[TemplateFile]) -> BTreeMap<String, String> {
    let mut all: BTreeMap<String, &str> = BUILTIN_TEMPLATES
        .iter()
        .map(|(name, text)| (format!("{BUILTIN_PREFIX}{name}"), *text))
        .collect();
    for user in user_templates {
        all.insert(user.name.clone(), user.text.as_str());
    }
    let resolve = |name: &str| -> Option<String> {
        if all.contains_key(name) {
            return Some(name.to_owned());
        }
        let built_in = format!("{BUILTIN_PREFIX}{name}");
        all.contains_key(&built_in).then_some(built_in)
    };
    let digests = |names: &mut dyn Iterator<Item = &String>| -> BTreeMap<String, String> {
        names
            .filter_map(|name| Some((name.clone(), manifest::digest(all.get(name)?.as_bytes()))))
            .collect()
    };
    let references = |name: &str| dependencies_of(name, all.get(name).copied().unwrap_or_default());

    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut pending = vec![template.to_owned()];
    while let Some(name) = pending.pop() {
        let Some(resolved) = resolve(&name) else {
            return digests(&mut all.keys());
        };
        if !used.insert(resolved.clone()) {
            continue;
        }
        let Some(found) = references(&resolved) else {
            return digests(&mut all.keys());
        };
        pending.extend(found.templates.iter().cloned());
        for component in &found.calls {
            let mut definers = Vec::new();
            for name in all.keys() {
                match references(name) {
                    Some(other) if other.defines.contains(component) => definers.push(name.clone()),
                    Some(_) => {}
                    None => return digests(&mut all.keys()),
                }
            }
            if definers.is_empty() {
                return digests(&mut all.keys());
            }
            pending.extend(definers);
        }
    }
    digests(&mut used.iter())
}

/// [`crate::render::dependencies::of`], asked once per template text for
/// the life of the process: built-ins never change, and every build asks
/// for every document kind.
fn dependencies_of(name: &str, text: &str) -> Option<Dependencies> {
    type Known = BTreeMap<(String, String), Option<Dependencies>>;
    static KNOWN: std::sync::Mutex<Known> = std::sync::Mutex::new(BTreeMap::new());
    let key = (name.to_owned(), manifest::digest(text.as_bytes()));
    if let Some(found) = KNOWN.lock().ok().and_then(|known| known.get(&key).cloned()) {
        return found;
    }
    let found = crate::render::dependencies::of(name, text);
    if let Ok(mut known) = KNOWN.lock() {
        known.insert(key, found.clone());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_both_finds_the_keys_the_map_holds() {
        let map: BTreeMap<String, u8> = [("a", 1), ("b", 2), ("c", 3), ("e", 5)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let found: Vec<(&str, u8)> = in_both(["a", "c", "d", "f"].into_iter(), &map)
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(found, [("a", 1), ("c", 3)]);
        assert_eq!(in_both(["0", "e"].into_iter(), &map).count(), 1);
        assert_eq!(in_both(std::iter::empty(), &map).count(), 0);
    }

    fn user(name: &str, text: &str) -> TemplateFile {
        TemplateFile {
            name: name.to_owned(),
            file: PathBuf::from("templates").join(name),
            text: text.to_owned(),
        }
    }

    #[test]
    fn a_key_found_without_taking_paths_apart_is_the_one_found_by_parts() {
        let parts = ["a", "b.yaml", ".", "..", "", "c d"];
        let mut rests = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = rests
                .iter()
                .flat_map(|rest| parts.iter().map(move |part| format!("{rest}/{part}")))
                .collect();
            rests.extend(longer);
        }
        for root in [".", "repo", "./repo", "/abs/repo", "repo/", "/"] {
            for rest in &rests {
                for file in [format!("{root}{rest}"), rest.clone(), format!("x{rest}")] {
                    let (root, file) = (Path::new(root), Path::new(&file));
                    let by_parts = slashed_by_parts(file.strip_prefix(root).unwrap_or(file));
                    assert_eq!(key(root, file), by_parts, "{root:?} {file:?}");
                }
            }
        }
    }

    #[test]
    fn a_component_call_depends_on_the_template_defining_it() {
        let users = [
            user("notes.md", "{% component Note() %}n{% endcomponent Note %}"),
            user("other.md", "unrelated"),
            user("mine.md", "{{ < Note /> }}{% include \"_update.md\" %}"),
        ];
        let used = templates_used("mine.md", &users);
        let names: Vec<&str> = used.keys().map(String::as_str).collect();
        assert_eq!(names, ["builtin/_update.md", "mine.md", "notes.md"]);
    }

    #[test]
    fn a_document_depends_on_its_template_and_what_it_includes() {
        let used = templates_used("employee-memo.md", &[]);
        assert!(used.contains_key("builtin/employee-memo.md"));
        assert!(used.contains_key("builtin/_letter-update.md"));
        assert!(!used.contains_key("builtin/public-statement.md"));

        let users = [user("_letter-update.md", "changed")];
        let used = templates_used("employee-memo.md", &users);
        assert!(used.contains_key("_letter-update.md"));
        assert!(!used.contains_key("builtin/_update.md"));

        let users = [user("mine.md", "{% include 'nowhere.md' %}")];
        let used = templates_used("mine.md", &users);
        assert_eq!(used.len(), BUILTIN_TEMPLATES.len() + 1);
    }
}
