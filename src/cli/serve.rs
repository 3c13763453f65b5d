//! `candor serve`: a local preview of every case's documents side by side,
//! with its trace and diagnostics, that updates itself as files change.
//!
//! The server is a small HTTP/1.1 responder on std's `TcpListener`, bound to
//! 127.0.0.1 only: it answers a handful of GET routes, reads at most
//! [`MAX_REQUEST_HEAD`] bytes of any request, gives every connection a
//! deadline, and closes it after one response, so no client can hold it up
//! or make it allocate without bound. A file watcher bumps a version counter
//! whenever a case, principle, `candor.yaml` or template changes; the page
//! polls that counter and, when it moves, swaps in the new content in place,
//! keeping every scroll position. Rendering happens at most once per
//! version, whatever the number of open pages.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use candor::{Diagnostic, Options};

/// The largest request line plus headers read; anything longer is refused.
const MAX_REQUEST_HEAD: usize = 16 * 1024;
/// The longest a client may take to send its request, or to read the answer.
const IO_DEADLINE: Duration = Duration::from_secs(5);
/// Connections served at once; more are turned away until one finishes.
const MAX_CONNECTIONS: usize = 64;
/// What the watcher watches under the repository, besides `candor.yaml`.
const WATCHED_FOLDERS: [&str; 3] = ["cases", "principles", "templates"];

/// Serves the preview of the repository at `repo` until interrupted.
pub(super) fn serve(repo: &Path, port: u16, options: Options) -> Result<ExitCode, candor::Error> {
    let repo = &candor::load::find_root(repo).unwrap_or_else(|| repo.to_path_buf());
    let root = std::fs::canonicalize(repo).map_err(|source| candor::Error::Io {
        path: repo.to_path_buf(),
        source,
    })?;
    if !root.is_dir() {
        return Err(candor::Error::Usage(format!(
            "`{}` is not a folder; give the repository with --repo",
            repo.display()
        )));
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|error| {
        candor::Error::Usage(format!("cannot listen on 127.0.0.1:{port}: {error}"))
    })?;
    let address = listener.local_addr().map_err(|source| candor::Error::Io {
        path: repo.to_path_buf(),
        source,
    })?;
    let state = Arc::new(State {
        root,
        options,
        port: address.port(),
        version: AtomicU64::new(1),
        rendered: Mutex::new(None),
        connections: AtomicUsize::new(0),
    });
    watch(Arc::clone(&state))?;
    eprintln!(
        "previewing {} at http://{address}/ (Ctrl-C to stop)",
        repo.display()
    );

    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let Some(slot) = Slot::take(&state) else {
            // Too many at once: closing is the cheapest answer.
            drop(stream);
            continue;
        };
        let state = Arc::clone(&state);
        let spawned = thread::Builder::new()
            .name("candor-serve".to_owned())
            .spawn(move || {
                let _slot = slot;
                // The client may have gone away; nothing to tell anyone.
                let _ = answer(stream, &state);
            });
        if spawned.is_err() {
            thread::sleep(Duration::from_millis(50));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What every connection shares.
struct State {
    /// The repository, canonical, so watcher paths compare with it.
    root: PathBuf,
    options: Options,
    /// The port listened on, for checking the `Host` of requests.
    port: u16,
    /// Moves whenever a watched file changes.
    version: AtomicU64,
    /// The preview rendered for a version.
    rendered: Mutex<Option<Arc<Rendered>>>,
    /// Connections being served.
    connections: AtomicUsize,
}

impl State {
    /// The preview for the current version, rendered now if it is not yet.
    /// The lock is held while rendering, so simultaneous requests wait for
    /// one rendering rather than each doing their own.
    fn current(&self) -> Arc<Rendered> {
        let mut cached = self.rendered.lock().unwrap_or_else(PoisonError::into_inner);
        let version = self.version.load(Ordering::SeqCst);
        if let Some(rendered) = cached.as_ref().filter(|r| r.version == version) {
            return Arc::clone(rendered);
        }
        let rendered = Arc::new(Rendered {
            version,
            cases: render_cases(&self.root, self.options),
        });
        *cached = Some(Arc::clone(&rendered));
        rendered
    }
}

/// A place among the connections served at once, given back when dropped.
struct Slot(Arc<State>);

impl Slot {
    fn take(state: &Arc<State>) -> Option<Slot> {
        let before = state.connections.fetch_add(1, Ordering::SeqCst);
        let slot = Slot(Arc::clone(state));
        (before < MAX_CONNECTIONS).then_some(slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.connections.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Watches `candor.yaml` and the folders of cases, principles and
/// templates, and moves the version on every change. Only those are
/// watched, never the whole repository: `out/`, `target/` or `.git/` can
/// hold thousands of folders.
fn watch(state: Arc<State>) -> Result<(), candor::Error> {
    let (sender, events) = mpsc::channel::<notify::Result<notify::Event>>();
    let watch_error = |error: notify::Error| {
        candor::Error::Usage(format!(
            "cannot watch {} for changes: {error}",
            state.root.display()
        ))
    };
    // Where the system's file events are not available (some network and
    // container file systems), looking every half second still updates the
    // page within a second.
    let mut watcher: Box<dyn Watcher + Send> = match notify::recommended_watcher(sender.clone()) {
        Ok(watcher) => Box::new(watcher),
        Err(_) => Box::new(
            notify::PollWatcher::new(
                sender,
                notify::Config::default().with_poll_interval(Duration::from_millis(500)),
            )
            .map_err(watch_error)?,
        ),
    };
    watcher
        .watch(&state.root, RecursiveMode::NonRecursive)
        .map_err(watch_error)?;
    let mut watching = BTreeSet::new();
    follow_folders(watcher.as_mut(), &state.root, &mut watching);

    thread::Builder::new()
        .name("candor-watch".to_owned())
        .spawn(move || {
            let changes = |event: &notify::Result<notify::Event>| match event {
                // An error may mean events were lost: look again.
                Err(_) => true,
                Ok(event) => {
                    !matches!(event.kind, EventKind::Access(_))
                        && event.paths.iter().any(|p| is_watched(&state.root, p))
                }
            };
            while let Ok(event) = events.recv() {
                let mut changed = changes(&event);
                // One save is often several events: take them together.
                while let Ok(event) = events.recv_timeout(Duration::from_millis(20)) {
                    changed |= changes(&event);
                }
                // A folder created or removed since: follow it.
                if follow_folders(watcher.as_mut(), &state.root, &mut watching) || changed {
                    state.version.fetch_add(1, Ordering::SeqCst);
                    // Render now rather than when the page next asks, so
                    // the page's wait and the rendering overlap.
                    state.current();
                }
            }
        })
        .map_err(|source| candor::Error::Io {
            path: PathBuf::from("<watcher thread>"),
            source,
        })?;
    Ok(())
}

/// Starts watching the watched folders that now exist and forgets those
/// that no longer do. Whether anything changed.
fn follow_folders(
    watcher: &mut (dyn Watcher + Send),
    root: &Path,
    watching: &mut BTreeSet<&'static str>,
) -> bool {
    let mut changed = false;
    for folder in WATCHED_FOLDERS {
        let path = root.join(folder);
        let exists = path.is_dir();
        if exists && !watching.contains(folder) {
            if watcher.watch(&path, RecursiveMode::Recursive).is_ok() {
                watching.insert(folder);
                changed = true;
            }
        } else if !exists && watching.remove(folder) {
            let _ = watcher.unwatch(&path);
            changed = true;
        }
    }
    changed
}

/// Whether a change to `path` can change the preview.
fn is_watched(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    match relative.components().next() {
        Some(first) => {
            let first = first.as_os_str();
            first == candor::load::SETTINGS_FILE || WATCHED_FOLDERS.iter().any(|f| first == *f)
        }
        None => false,
    }
}

/// The preview of every case, for one version of the files.
struct Rendered {
    version: u64,
    cases: Vec<CaseView>,
}

/// One case as the page shows it.
struct CaseView {
    /// The case's id, or its file's name when it does not load.
    id: String,
    title: String,
    errors: usize,
    warnings: usize,
    /// Where it stands in review, in words; empty when it has errors.
    review: String,
    /// Whether every required role has signed off on it as it is.
    signed_off: bool,
    /// The case's part of the page: diagnostics, documents, trace.
    body: String,
    /// Each markdown document's print-ready HTML page, by kind.
    pages: Vec<(String, String)>,
}

/// Renders every case file under `cases/`, each on its own, so that one
/// broken case never hides the others' documents.
fn render_cases(root: &Path, options: Options) -> Vec<CaseView> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("cases"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| {
                    path.is_file()
                        && path
                            .extension()
                            .is_some_and(|ext| ext == "yaml" || ext == "yml")
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    // Each case is a whole pipeline run: spread them over the cores.
    let workers = thread::available_parallelism().map_or(1, usize::from);
    let next = AtomicUsize::new(0);
    let mut rendered: Vec<(usize, CaseView)> = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.min(files.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::SeqCst);
                        let Some(file) = files.get(index) else {
                            return done;
                        };
                        done.push((index, render_case(root, file, options)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_default())
            .collect()
    });
    rendered.sort_by_key(|(index, _)| *index);
    rendered.into_iter().map(|(_, view)| view).collect()
}

fn render_case(root: &Path, file: &Path, options: Options) -> CaseView {
    let shown_file = file
        .strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string();
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut body = String::new();
    let (outcome, trace) = match candor::trace(root, &file.to_string_lossy(), options) {
        Ok(result) => result,
        Err(error) => {
            let _ = write!(
                body,
                "<header><h2>{}</h2><p class=\"file\">{}</p></header>\
                 <section class=\"diagnostics\"><ul><li class=\"error\">{}</li></ul></section>",
                escape(&stem),
                escape(&shown_file),
                escape(&error.to_string())
            );
            return CaseView {
                id: stem.clone(),
                title: stem,
                errors: 1,
                warnings: 0,
                review: String::new(),
                signed_off: false,
                body,
                pages: Vec::new(),
            };
        }
    };
    let (id, title) = match &trace {
        Some(trace) => (trace.case.clone(), trace.title.clone()),
        None => (stem.clone(), stem),
    };
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = outcome.diagnostics.len() - errors;

    let review = outcome.reviews.first();
    let _ = write!(
        body,
        "<header><h2>{}</h2><p class=\"file\">{} · {}</p>{}</header>",
        escape(&title),
        escape(&shown_file),
        escape(&summary_of(outcome.documents.len(), errors, warnings)),
        review.map_or_else(String::new, |review| format!(
            "<p class=\"review {}\">{}</p>",
            if review.signed_off {
                "signed-off"
            } else {
                "unsigned"
            },
            escape(&review.state)
        )),
    );
    if !outcome.diagnostics.is_empty() {
        body.push_str("<section class=\"diagnostics\"><h3>Diagnostics</h3><ul>");
        for diagnostic in &outcome.diagnostics {
            body.push_str(&diagnostic_item(diagnostic, root));
        }
        body.push_str("</ul></section>");
    }
    if review.is_some_and(|review| review.has_sign_off) {
        body.push_str(&redline_since_sign_off(root, file, options));
    }
    let mut pages = Vec::new();
    if !outcome.documents.is_empty() {
        body.push_str("<div class=\"documents\" data-keep-scroll=\"documents\">");
        for document in &outcome.documents {
            let is_markdown = document.path.extension().is_some_and(|e| e == "md");
            let text = if is_markdown {
                own_anchors(
                    &candor::render::html::fragment(&document.text),
                    &document.kind,
                )
            } else {
                format!("<pre class=\"plain\">{}</pre>", escape(&document.text))
            };
            // The page `build --html` writes, to print or send for review.
            let page_link = if is_markdown {
                pages.push((
                    document.kind.clone(),
                    candor::render::html::page(&document.text),
                ));
                format!(
                    " <a class=\"page-link\" href=\"/page?case={case}&amp;doc={kind}\" \
                     target=\"_blank\" rel=\"noopener\">print-ready page</a>",
                    case = escape(&id),
                    kind = escape(&document.kind),
                )
            } else {
                String::new()
            };
            let _ = write!(
                body,
                "<article class=\"document\" data-kind=\"{kind}\" data-keep-scroll=\"doc-{kind}\">\
                 <header class=\"kind\">{kind} <span class=\"audience {audience}\">{audience}</span>{page_link}</header>\
                 <div class=\"text\">{text}</div></article>",
                kind = escape(&document.kind),
                audience = document.audience.as_str(),
            );
        }
        body.push_str("</div>");
    }
    if let Some(trace) = &trace {
        body.push_str(&trace_section(trace));
    }
    CaseView {
        id,
        title,
        errors,
        warnings,
        review: review.map_or_else(String::new, |review| review.state.clone()),
        signed_off: review.is_some_and(|review| review.signed_off),
        body,
        pages,
    }
}

/// The redline of each changed document since the case's last sign-off,
/// or why there is none.
fn redline_since_sign_off(root: &Path, file: &Path, options: Options) -> String {
    let mut html = String::from("<section class=\"redline\" data-keep-scroll=\"redline\">");
    match candor::diff::diff_since_approval(root, &file.to_string_lossy(), options) {
        Ok((compared, sign_off)) => {
            let _ = write!(
                html,
                "<h3>Changes since {}</h3>",
                escape(&sign_off.describe())
            );
            let changed: Vec<_> = compared
                .documents
                .iter()
                .filter(|d| !d.redline.is_unchanged())
                .collect();
            if changed.is_empty() {
                html.push_str("<p>No document has changed.</p>");
            }
            for document in changed {
                let _ = write!(
                    html,
                    "<article class=\"change\"><h4>{kind}</h4>{text}</article>",
                    kind = escape(&document.kind),
                    text = own_anchors(
                        &candor::render::html::fragment(&document.redline.to_markdown()),
                        &format!("redline-{}", document.kind)
                    ),
                );
            }
        }
        Err(error) => {
            let _ = write!(
                html,
                "<h3>Changes since the last sign-off</h3><p>{}</p>",
                escape(&error.to_string())
            );
        }
    }
    html.push_str("</section>");
    html
}

/// A document's footnote anchors made its own: side by side, every
/// document has a `fn-1`, and a link must stay within its document.
fn own_anchors(html: &str, document: &str) -> String {
    let prefix = format!("{}-", escape(document));
    html.replace("id=\"fn", &format!("id=\"{prefix}fn"))
        .replace("href=\"#fn", &format!("href=\"#{prefix}fn"))
}

/// The trace as two tables, each under its own heading: why each action
/// was taken, and which documents cite each item. Sources are named
/// `source 1` rather than by their footnote marker.
fn trace_section(trace: &candor::trace::Trace) -> String {
    let label = |label: &str| match label
        .strip_prefix("[^")
        .and_then(|rest| rest.strip_suffix(']'))
    {
        Some(number) => format!("source {number}"),
        None => label.to_owned(),
    };
    let cell = |items: &[String]| {
        if items.is_empty() {
            "–".to_owned()
        } else {
            escape(&items.join(", "))
        }
    };
    let mut html = String::from(
        "<section class=\"trace\"><h3>Why each action was taken</h3><table><thead><tr>\
         <th>Action</th><th>Visibility</th><th>State</th><th>Principles</th><th>Findings</th>\
         <th>Exception to</th><th>Bound by</th><th>Cited in</th></tr></thead><tbody>",
    );
    for action in &trace.actions {
        let _ = write!(
            html,
            "<tr><td><b>{}</b> {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&action.label),
            escape(&action.id),
            action.visibility,
            action.state,
            cell(&action.principles),
            cell(&action.findings),
            cell(&action.exception_to),
            cell(&action.bound_by),
            cell(&action.cited_in),
        );
    }
    html.push_str(
        "</tbody></table><h3>Where each item is cited</h3><table><thead><tr>\
         <th>Item</th><th>Kind</th><th>Visibility</th>",
    );
    for kind in &trace.documents {
        let _ = write!(html, "<th>{}</th>", escape(kind));
    }
    html.push_str("</tr></thead><tbody>");
    for item in &trace.items {
        let _ = write!(
            html,
            "<tr><td><b>{}</b> {}</td><td>{}</td><td>{}</td>",
            escape(&label(&item.label)),
            escape(&item.id),
            item.kind,
            item.visibility
        );
        for kind in &trace.documents {
            html.push_str(if item.cited_in.contains(kind) {
                "<td class=\"cited\">cited</td>"
            } else {
                "<td>–</td>"
            });
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></section>");
    html
}

fn summary_of(documents: usize, errors: usize, warnings: usize) -> String {
    let count = |n: usize, noun: &str| {
        if n == 1 {
            format!("1 {noun}")
        } else {
            format!("{n} {noun}s")
        }
    };
    let mut parts = vec![count(documents, "document")];
    if errors > 0 {
        parts.push(count(errors, "error"));
    }
    if warnings > 0 {
        parts.push(count(warnings, "warning"));
    }
    parts.join(", ")
}

fn diagnostic_item(diagnostic: &Diagnostic, root: &Path) -> String {
    let mut item = format!(
        "<li class=\"{severity}\"><span class=\"severity\">{severity}[{code}]</span> ",
        severity = diagnostic.severity,
        code = diagnostic.code,
    );
    if let Some(file) = &diagnostic.file {
        let mut place = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        for part in [diagnostic.line, diagnostic.column].into_iter().flatten() {
            let _ = write!(place, ":{part}");
        }
        let _ = write!(item, "<span class=\"place\">{}</span> ", escape(&place));
    }
    item.push_str(&escape(&diagnostic.message));
    if let Some(line) = &diagnostic.source_line {
        let _ = write!(item, "<pre>{}</pre>", escape(line));
    }
    if let Some(help) = &diagnostic.help {
        let _ = write!(item, "<p class=\"help\">help: {}</p>", escape(help));
    }
    item.push_str("</li>");
    item
}

/// The part of the page that changes: the list of cases and the chosen one.
fn content(rendered: &Rendered, chosen: Option<&str>) -> String {
    let current = rendered
        .cases
        .iter()
        .find(|case| Some(case.id.as_str()) == chosen)
        .or_else(|| rendered.cases.first());
    let mut html =
        String::from("<nav class=\"cases\" data-keep-scroll=\"cases\"><h1>candor</h1><ul>");
    for case in &rendered.cases {
        // Where it stands in review, and what checking it found: a
        // case nobody approved is never shown as done.
        let mut state = if case.errors > 0 {
            format!("{}&nbsp;✗", case.errors)
        } else {
            escape(&case.review)
        };
        if case.errors == 0 && case.warnings > 0 {
            let _ = write!(state, " · {}&nbsp;⚠", case.warnings);
        }
        let class = if case.errors > 0 {
            "broken"
        } else if case.signed_off {
            "signed-off"
        } else {
            "unsigned"
        };
        let here = if current.is_some_and(|c| std::ptr::eq(c, case)) {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            html,
            "<li class=\"{class}\"><a href=\"/?case={id}\"{here}>{title}</a> <span class=\"state\">{state}</span></li>",
            id = escape(&case.id),
            title = escape(&case.title),
        );
    }
    html.push_str("</ul></nav><main data-keep-scroll=\"main\">");
    match current {
        Some(case) => html.push_str(&case.body),
        None => html.push_str(
            "<p class=\"empty\">No cases yet. Write one with <code>candor new CASE-ID</code>.</p>",
        ),
    }
    html.push_str("</main>");
    html
}

fn page(rendered: &Rendered, chosen: Option<&str>) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>candor preview</title>\n<link rel=\"stylesheet\" href=\"/preview.css\">\n\
         <script src=\"/preview.js\" defer></script>\n</head>\n\
         <body>\n<div id=\"content\" data-version=\"{}\">{}</div>\n</body>\n</html>\n",
        rendered.version,
        content(rendered, chosen)
    )
}

/// Text as HTML text or attribute value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1b1b;background:#f3f3f1}\
#content{display:flex;min-height:100vh}\
nav.cases{flex:0 0 15rem;padding:1rem;background:#23262b;color:#eee;position:sticky;top:0;height:100vh;overflow:auto}\
nav.cases h1{font-size:1.1rem;margin:0 0 1rem;letter-spacing:.05em}\
nav.cases ul{list-style:none;margin:0;padding:0}\
nav.cases li{margin:.5rem 0;display:flex;flex-direction:column}\
nav.cases a{color:#cfe3ff;text-decoration:none}nav.cases a[aria-current]{color:#fff;font-weight:600}\
nav.cases .state{font-size:.8rem;color:#f0c36d}nav.cases .broken .state{color:#ff8a80}\
nav.cases .signed-off .state{color:#8fd18f}\
.review{margin:0 0 1rem;padding:.3rem .6rem;border-radius:3px;display:inline-block;font-size:.9rem}\
.review.unsigned{background:#fff3d6}.review.signed-off{background:#e3f2e3}\
.redline{background:#fff;border:1px solid #ddd;border-radius:4px;padding:.5rem 1rem;margin-bottom:1rem;max-height:60vh;overflow:auto}\
.redline h1{font-size:1.2rem}.redline h2{font-size:1.05rem}.redline h4{margin:.8rem 0 0}\
.redline del{color:#b71c1c}.redline ins{color:#1b5e20;background:#e8f5e9}\
main{flex:1;min-width:0;padding:1rem 1.5rem}\
main>header h2{margin:.2rem 0}.file{color:#555;margin:0 0 1rem;font-size:.9rem}\
.diagnostics ul{list-style:none;padding:0}\
.diagnostics li{background:#fff;border-left:4px solid #c62828;padding:.4rem .8rem;margin:.4rem 0}\
.diagnostics li.warning{border-color:#ef8f00}\
.diagnostics .severity{font-weight:700}.diagnostics .place{font-family:monospace;color:#444}\
.diagnostics pre{margin:.3rem 0;background:#f6f6f6;padding:.2rem .4rem;overflow:auto}\
.diagnostics .help{margin:.2rem 0;color:#2e5d2e}\
.documents{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,26rem),1fr));gap:1rem;align-items:start}\
.document{min-width:0;max-height:78vh;overflow:auto;background:#fff;border:1px solid #ddd;border-radius:4px}\
.document .kind{position:sticky;top:0;background:#fafafa;border-bottom:1px solid #ddd;padding:.4rem .8rem;font-weight:600;font-size:.85rem}\
.audience{font-weight:400;font-size:.75rem;padding:.05rem .4rem;border-radius:3px;margin-left:.4rem}\
.audience.public{background:#e3f2e3}.audience.internal{background:#fde7d9}\
.page-link{float:right;font-weight:400;font-size:.8rem}\
.document .text{padding:0 1rem 1rem;font:15px/1.55 Georgia,'Times New Roman',serif}\
.document h1{font-size:1.3rem}.document h2{font-size:1.1rem}\
.document blockquote{margin:1rem 0;padding:.2rem .8rem;border-left:3px solid #999}\
.footnotes{border-top:1px solid #ccc;font-size:.85rem}.footnote{display:flex;gap:.4rem}.footnote p{margin:0}\
pre.plain{white-space:pre-wrap;font:15px/1.5 system-ui,sans-serif;margin:1rem 0}\
.trace{margin-top:1.5rem;background:#fff;padding:.5rem 1rem;overflow-x:auto}\
.trace h3{margin:1rem 0 .4rem}.trace table{border-collapse:collapse;font-size:.85rem;margin-bottom:1.5rem}\
.trace td.cited{background:#e3f2e3}.trace th,.trace td{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}\
.empty{font-size:1.1rem}";

/// Polls the version; when it moves, fetches the new content and swaps it
/// in, putting every scroll position back where it was.
const SCRIPT: &str = r#""use strict";
(() => {
  const content = document.getElementById("content");
  let version = content.dataset.version;
  const positions = () =>
    Array.from(document.querySelectorAll("[data-keep-scroll]"), (el) => [
      el.dataset.keepScroll, el.scrollTop, el.scrollLeft,
    ]);
  async function poll() {
    try {
      const answer = await fetch("/version", { cache: "no-store" });
      const latest = (await answer.text()).trim();
      if (answer.ok && latest !== version) {
        const fresh = await fetch("/content" + location.search, { cache: "no-store" });
        if (fresh.ok) {
          const html = await fresh.text();
          const kept = positions();
          const [x, y] = [window.scrollX, window.scrollY];
          content.innerHTML = html;
          for (const [key, top, left] of kept) {
            const el = document.querySelector(`[data-keep-scroll="${CSS.escape(key)}"]`);
            if (el) { el.scrollTop = top; el.scrollLeft = left; }
          }
          window.scrollTo(x, y);
          version = fresh.headers.get("X-Candor-Version") || latest;
          content.dataset.version = version;
        }
      }
    } catch (_) {
      // The server is restarting, or gone: keep the page, try again.
    }
    setTimeout(poll, 250);
  }
  setTimeout(poll, 250);
})();
"#;

/// One HTTP response.
struct Response {
    status: &'static str,
    content_type: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: &'static str, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    fn text(status: &'static str, body: &str) -> Self {
        Response::new(status, "text/plain; charset=utf-8", body)
    }
}

/// Reads one request from `stream`, answers it, and closes the connection.
fn answer(mut stream: TcpStream, state: &State) -> io::Result<()> {
    // One deadline for the whole request, not one per read: a client
    // sending a byte every few seconds would otherwise hold its connection,
    // and one of the few allowed at once, for as long as it likes.
    let deadline = Instant::now() + IO_DEADLINE;
    stream.set_write_timeout(Some(IO_DEADLINE))?;
    let (response, head_only) = match read_head(&mut stream, deadline) {
        Ok(head) => {
            let head_only = head.starts_with("HEAD ");
            (respond(&head, state), head_only)
        }
        Err(HeadError::TooLarge) => (
            Response::text("431 Request Header Fields Too Large", "request too large\n"),
            false,
        ),
        Err(HeadError::Malformed) => (Response::text("400 Bad Request", "bad request\n"), false),
        // Timed out or gone: there is nobody to answer.
        Err(HeadError::Io(error)) => return Err(error),
    };
    let mut out = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n\
         Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; \
         connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    for (name, value) in &response.headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()?;
    // Say we are done, and let the client read it all before closing.
    let _ = stream.shutdown(std::net::Shutdown::Write);
    Ok(())
}

enum HeadError {
    TooLarge,
    Malformed,
    Io(io::Error),
}

/// The request line and headers, up to the blank line that ends them.
fn read_head(stream: &mut TcpStream, deadline: Instant) -> Result<String, HeadError> {
    let mut head = Vec::new();
    let mut chunk = [0_u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::Io(io::Error::new(
                io::ErrorKind::TimedOut,
                "the request took too long",
            )));
        }
        stream.set_read_timeout(Some(left)).map_err(HeadError::Io)?;
        let read = stream.read(&mut chunk).map_err(HeadError::Io)?;
        if read == 0 {
            return Err(HeadError::Malformed);
        }
        head.extend_from_slice(&chunk[..read]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            head.truncate(end);
            return String::from_utf8(head).map_err(|_| HeadError::Malformed);
        }
        if head.len() > MAX_REQUEST_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

/// The answer to a request, given its head.
fn respond(head: &str, state: &State) -> Response {
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Response::text("400 Bad Request", "bad request line\n");
    };
    if !version.starts_with("HTTP/1.") {
        return Response::text("505 HTTP Version Not Supported", "HTTP/1.x only\n");
    }
    if method != "GET" && method != "HEAD" {
        let mut response = Response::text("405 Method Not Allowed", "GET only\n");
        response.headers.push(("Allow", "GET, HEAD".to_owned()));
        return response;
    }
    // A page elsewhere on the web can point a name of its own at 127.0.0.1
    // and read what it gets back; the Host it sends then gives it away.
    // Case files hold internal material, so only local names are served.
    let host = lines.find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("host")
            .then(|| value.trim())
    });
    if let Some(host) = host {
        let port = state.port;
        let local = [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ];
        if !local.iter().any(|name| name.eq_ignore_ascii_case(host)) {
            return Response::text("403 Forbidden", "only local names are served\n");
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let parameter = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
            .filter(|value| !value.is_empty())
    };
    let chosen = parameter("case");
    match path {
        "/" => Response::new(
            "200 OK",
            "text/html; charset=utf-8",
            page(&state.current(), chosen),
        ),
        "/content" => {
            let rendered = state.current();
            let mut response = Response::new(
                "200 OK",
                "text/html; charset=utf-8",
                content(&rendered, chosen),
            );
            response
                .headers
                .push(("X-Candor-Version", rendered.version.to_string()));
            response
        }
        "/page" => {
            let rendered = state.current();
            let page = rendered
                .cases
                .iter()
                .filter(|case| Some(case.id.as_str()) == chosen)
                .flat_map(|case| &case.pages)
                .find(|(kind, _)| Some(kind.as_str()) == parameter("doc"));
            match page {
                Some((_, html)) => {
                    Response::new("200 OK", "text/html; charset=utf-8", html.clone())
                }
                None => Response::text("404 Not Found", "no such document\n"),
            }
        }
        "/version" => Response::text("200 OK", &state.version.load(Ordering::SeqCst).to_string()),
        "/preview.css" => Response::new("200 OK", "text/css; charset=utf-8", STYLE),
        "/preview.js" => Response::new("200 OK", "text/javascript; charset=utf-8", SCRIPT),
        "/favicon.ico" => Response::new("204 No Content", "image/x-icon", Vec::new()),
        _ => Response::text("404 Not Found", "not found\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_repository_files_candor_reads_count_as_changes() {
        let root = Path::new("/repo");
        assert!(is_watched(root, Path::new("/repo/candor.yaml")));
        assert!(is_watched(root, Path::new("/repo/cases/a.yaml")));
        assert!(is_watched(root, Path::new("/repo/templates/x/y.md")));
        assert!(!is_watched(root, Path::new("/repo/out/a/memo.md")));
        assert!(!is_watched(root, Path::new("/repo")));
        assert!(!is_watched(root, Path::new("/elsewhere/cases/a.yaml")));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<b a=\"1\">&'"),
            "&lt;b a=&quot;1&quot;&gt;&amp;&#39;"
        );
    }
}
