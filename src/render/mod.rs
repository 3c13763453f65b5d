//! Rendering: a [`View`] through a Tera template into markdown.
//!
//! Built-in templates are compiled into the binary under the `builtin/`
//! prefix. A user's `templates/` folder is loaded over them: a user template
//! with the same name as a built-in replaces it, and a user template can
//! extend a built-in by its full name (`{% extends "builtin/public-statement.md" %}`).
//!
//! Every value a template prints is escaped for the document's output type,
//! decided by the extension of the kind's template ([`Output`]): markdown
//! for `.md` (and any extension candor does not know), HTML for `.html`,
//! plain text for `.txt`. Each output type has its own compiled templates.

mod cite;
pub mod dependencies;
pub mod docx;
mod escape;
mod filters;
pub mod html;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use std::cell::RefCell;

use tera::value::Key;
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::diagnostic::{Code, Diagnostic};
use crate::load::TemplateFile;
use crate::model::{DocumentKind, Pos, Style};
use crate::project::{MadeFor, View};

pub use escape::Output;

/// The prefix under which built-in templates are registered.
pub const BUILTIN_PREFIX: &str = "builtin/";

/// The built-in templates: name and text.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "_action-notes.md",
        include_str!("../../templates/_action-notes.md"),
    ),
    ("_update.md", include_str!("../../templates/_update.md")),
    (
        "_letter-background.md",
        include_str!("../../templates/_letter-background.md"),
    ),
    (
        "_letter-action.md",
        include_str!("../../templates/_letter-action.md"),
    ),
    (
        "_letter-exception.md",
        include_str!("../../templates/_letter-exception.md"),
    ),
    (
        "_letter-principle-basis.md",
        include_str!("../../templates/_letter-principle-basis.md"),
    ),
    (
        "_letter-source.md",
        include_str!("../../templates/_letter-source.md"),
    ),
    (
        "_letter-principles.md",
        include_str!("../../templates/_letter-principles.md"),
    ),
    (
        "_letter-review.md",
        include_str!("../../templates/_letter-review.md"),
    ),
    (
        "_letter-review-limits.md",
        include_str!("../../templates/_letter-review-limits.md"),
    ),
    (
        "_letter-findings.md",
        include_str!("../../templates/_letter-findings.md"),
    ),
    (
        "_letter-actions.md",
        include_str!("../../templates/_letter-actions.md"),
    ),
    (
        "_letter-update.md",
        include_str!("../../templates/_letter-update.md"),
    ),
    (
        "_letter-next-inside.md",
        include_str!("../../templates/_letter-next-inside.md"),
    ),
    (
        "_incident-facts.md",
        include_str!("../../templates/_incident-facts.md"),
    ),
    ("press-qa.md", include_str!("../../templates/press-qa.md")),
    (
        "press-qa.brief.md",
        include_str!("../../templates/press-qa.brief.md"),
    ),
    (
        "customer-notice.md",
        include_str!("../../templates/customer-notice.md"),
    ),
    (
        "customer-notice.brief.md",
        include_str!("../../templates/customer-notice.brief.md"),
    ),
    (
        "social-post.txt",
        include_str!("../../templates/social-post.txt"),
    ),
    (
        "gdpr-art33-notice.md",
        include_str!("../../templates/gdpr-art33-notice.md"),
    ),
    (
        "gdpr-art34-notice.md",
        include_str!("../../templates/gdpr-art34-notice.md"),
    ),
    (
        "sec-8k-item-1-05.md",
        include_str!("../../templates/sec-8k-item-1-05.md"),
    ),
    (
        "employee-memo.md",
        include_str!("../../templates/employee-memo.md"),
    ),
    (
        "employee-memo.brief.md",
        include_str!("../../templates/employee-memo.brief.md"),
    ),
    (
        "public-statement.md",
        include_str!("../../templates/public-statement.md"),
    ),
    (
        "public-statement.brief.md",
        include_str!("../../templates/public-statement.brief.md"),
    ),
];

/// The name of the `brief` variant of a template: `employee-memo.md` →
/// `employee-memo.brief.md`.
pub fn brief_variant(template: &str) -> String {
    match template.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.brief.{extension}"),
        None => format!("{template}.brief"),
    }
}

/// The template a document is rendered through in `style`. In `brief`
/// style: the user's brief variant (`employee-memo.brief.md`) if they wrote
/// one, else their own template of the kind if they wrote that, else the
/// built-in brief variant where there is one. A user's override thus serves
/// both styles until they write a brief of their own. `user_has` says
/// whether the user has a template of a name.
pub fn template_for(template: &str, style: Style, user_has: impl Fn(&str) -> bool) -> String {
    let brief = brief_variant(template);
    let chosen = match style {
        Style::Letter => template,
        Style::Brief if user_has(&brief) => &brief,
        Style::Brief if user_has(template) => template,
        Style::Brief if is_builtin(&brief) => &brief,
        Style::Brief => template,
    };
    chosen.to_owned()
}

/// Every template a document of a kind whose template is `template` may
/// be rendered through, whatever its style.
pub fn templates_of_kind(template: &str) -> [String; 2] {
    [template.to_owned(), brief_variant(template)]
}

/// Whether a built-in template of this name exists.
pub fn is_builtin(name: &str) -> bool {
    BUILTIN_TEMPLATES
        .iter()
        .any(|(builtin, _)| *builtin == name)
}

/// A rendered document and what it cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The markdown.
    pub text: String,
    /// The ids of the items the template cited through `cite()`.
    pub cited: BTreeSet<String>,
}

/// Compiled templates, ready to render any number of views.
pub struct Renderer {
    /// The templates compiled for markdown output.
    tera: Tera,
    /// The same templates compiled for HTML output, once a document needs
    /// them: most builds have no kind written in HTML.
    html: OnceLock<Tera>,
    /// The same templates compiled for plain text output, once a document
    /// needs them.
    plain: OnceLock<Tera>,
    /// The user's templates, to compile for another output when needed.
    user_templates: Vec<TemplateFile>,
    /// User templates by name, to locate errors in them.
    user_files: Vec<(String, std::path::PathBuf)>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("user_files", &self.user_files)
            .finish_non_exhaustive()
    }
}

impl Renderer {
    /// Compiles the built-in templates and the user's. A user template that
    /// does not compile is reported and left out, so the built-in of the
    /// same name still serves.
    pub fn new(user_templates: &[TemplateFile]) -> (Renderer, Vec<Diagnostic>) {
        // The same templates compile, or fail, whatever the escape: what is
        // wrong with them is told by this compile alone.
        let (tera, user_files, diagnostics) = compile(Output::Markdown, user_templates);
        let renderer = Renderer {
            tera,
            html: OnceLock::new(),
            plain: OnceLock::new(),
            user_templates: user_templates.to_vec(),
            user_files,
        };
        (renderer, diagnostics)
    }

    /// The templates compiled for `output`.
    fn tera_for(&self, output: Output) -> &Tera {
        let compiled = |output| compile(output, &self.user_templates).0;
        match output {
            Output::Markdown => &self.tera,
            Output::Html => self.html.get_or_init(|| compiled(Output::Html)),
            Output::Plain => self.plain.get_or_init(|| compiled(Output::Plain)),
        }
    }
}

/// The user's template files by name, as a renderer keeps them.
type UserFiles = Vec<(String, std::path::PathBuf)>;

/// The built-in templates and the user's compiled for `output`, with the
/// user files that compiled and what was wrong with the others.
fn compile(output: Output, user_templates: &[TemplateFile]) -> (Tera, UserFiles, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut tera = configured_tera(output);
    let builtins = BUILTIN_TEMPLATES
        .iter()
        .map(|(name, text)| (format!("{BUILTIN_PREFIX}{name}"), *text));
    if let Err(e) = tera.add_raw_templates(builtins) {
        unreachable!("built-in templates are tested to compile: {e}");
    }

    // `__tera_context` prints the data in hash-map order, different on
    // every render; a document using it could never be reproduced.
    let (user_templates, refused): (Vec<&TemplateFile>, Vec<&TemplateFile>) = user_templates
        .iter()
        .partition(|t| !t.text.contains("__tera_context"));
    for template in refused {
        let line = template
            .text
            .lines()
            .position(|l| l.contains("__tera_context"))
            .unwrap_or(0);
        let column = template
            .text
            .lines()
            .nth(line)
            .and_then(|l| l.find("__tera_context"))
            .map_or(1, |byte| {
                template
                    .text
                    .lines()
                    .nth(line)
                    .map_or(0, |l| l[..byte].chars().count())
                    + 1
            });
        diagnostics.push(
            Diagnostic::new(
                Code::TemplateSyntax,
                "`__tera_context` prints the data in a different order on every render, \
                     so the document would not be the same twice",
            )
            .in_file(&template.file)
            .at(Pos {
                line: u32::try_from(line + 1).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            })
            .with_help(
                "print the fields you need; `candor context CASE --doc KIND` shows \
                     everything a template receives",
            ),
        );
    }
    let mut user_files = Vec::new();
    let batch: Vec<(&str, &str)> = user_templates
        .iter()
        .map(|t| (t.name.as_str(), t.text.as_str()))
        .collect();
    if tera.add_raw_templates(batch).is_err() {
        // Add them one by one to report each failure and keep the rest.
        for template in &user_templates {
            match tera.add_raw_template(&template.name, &template.text) {
                Ok(()) => user_files.push((template.name.clone(), template.file.clone())),
                Err(error) => diagnostics.push(template_diagnostic(
                    Code::TemplateSyntax,
                    &error,
                    Some(&template.file),
                )),
            }
        }
    } else {
        user_files.extend(
            user_templates
                .iter()
                .map(|t| (t.name.clone(), t.file.clone())),
        );
    }
    (tera, user_files, diagnostics)
}

impl Renderer {
    /// Whether a template of this name exists, the user's or a built-in.
    pub fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
            || self
                .tera
                .contains_template(&format!("{BUILTIN_PREFIX}{name}"))
    }

    /// Renders `view` through `kind`'s template.
    pub fn render(
        &self,
        kind: &DocumentKind,
        view: &View<'_>,
    ) -> Result<Rendered, Box<Diagnostic>> {
        self.render_in(kind, view, &CaseContexts::default())
    }

    /// Renders `view`, one of a case's projections, through `kind`'s
    /// template, taking what the case's other documents for the same
    /// audience already made of it from `contexts`.
    pub fn render_in(
        &self,
        kind: &DocumentKind,
        view: &View<'_>,
        contexts: &CaseContexts,
    ) -> Result<Rendered, Box<Diagnostic>> {
        let context = contexts.context(view).map_err(|e| {
            Box::new(Diagnostic::new(
                Code::TemplateRender,
                format!("cannot pass the case to templates: {e}"),
            ))
        })?;
        let style = if view.document.style == Style::Brief.as_str() {
            Style::Brief
        } else {
            Style::Letter
        };
        let template = template_for(&kind.template, style, |name| {
            self.user_files.iter().any(|(user, _)| user == name)
        });
        let output = Output::of(&kind.template);
        let tera = self.tera_for(output);
        let (rendered, cited) =
            cite::with_session(view, output, || tera.render(&template, &context));
        let rendered = rendered.map_err(|error| {
            let failed_in = match error.kind() {
                tera::ErrorKind::RenderingError(report) => report.filename(),
                _ => template.as_str(),
            };
            let file = self
                .user_files
                .iter()
                .find(|(name, _)| name == failed_in)
                .map(|(_, file)| file.as_path());
            Box::new(template_diagnostic(Code::TemplateRender, &error, file))
        })?;
        Ok(Rendered {
            text: tidy(&rendered),
            cited,
        })
    }
}

/// The template data of one case's documents. A projection's fields become
/// Tera values once for each audience (and locale and date) the case is
/// projected for: its other documents for the same take the same values,
/// and only their own `document` and `spokesperson` are converted again.
/// The values are what [`Context::from_serialize`] makes of the view.
#[derive(Debug, Default)]
pub struct CaseContexts {
    made: RefCell<Vec<(MadeFor, Fields)>>,
}

/// A view's fields as Tera values, in the order the view declares them.
type Fields = Vec<(&'static str, Value)>;

impl CaseContexts {
    /// What `view`'s template receives.
    fn context(&self, view: &View<'_>) -> TeraResult<Context> {
        let mut context = Context::new();
        for (name, value) in self.fields(view)? {
            context.insert_value(name, value);
        }
        Ok(context)
    }

    /// `view`'s fields as Tera values, from those made for the same
    /// audience where there are some.
    fn fields(&self, view: &View<'_>) -> TeraResult<Fields> {
        let public = match &view.public {
            Some(public) => {
                let fields = self.fields(public)?;
                let mut map = tera::Map::with_capacity(fields.len());
                for (name, value) in fields {
                    map.insert(Key::Str(name), value);
                }
                Value::from(map)
            }
            None => Value::try_from_serializable(&None::<()>)?,
        };
        let made = self
            .made
            .borrow()
            .iter()
            .find(|(made_for, _)| *made_for == view.made_for)
            .map(|(_, fields)| fields.clone());
        let mut fields = match made {
            Some(mut fields) => {
                for (name, value) in &mut fields {
                    match *name {
                        "document" => *value = Value::try_from_serializable(&view.document)?,
                        "spokesperson" => {
                            *value = Value::try_from_serializable(&view.spokesperson)?;
                        }
                        _ => {}
                    }
                }
                fields
            }
            None => {
                let fields = view_fields(view)?;
                self.made.borrow_mut().push((view.made_for, fields.clone()));
                fields
            }
        };
        if let Some((_, value)) = fields.iter_mut().find(|(name, _)| *name == "public") {
            *value = public;
        }
        Ok(fields)
    }
}

/// Every field of `view` but `public` as a Tera value, in the order the
/// view declares them; `public` is left empty for the caller to fill.
fn view_fields(view: &View<'_>) -> TeraResult<Fields> {
    fn value<T: serde::Serialize + ?Sized>(value: &T) -> TeraResult<Value> {
        Value::try_from_serializable(value)
    }
    Ok(vec![
        ("audience", value(&view.audience)?),
        ("organisation", value(&view.organisation)?),
        ("document", value(&view.document)?),
        ("update", value(&view.update)?),
        ("case", value(&view.case)?),
        ("spokesperson", value(&view.spokesperson)?),
        ("principles", value(&view.principles)?),
        ("sources", value(&view.sources)?),
        ("review", value(&view.review)?),
        ("findings", value(&view.findings)?),
        ("framing", value(&view.framing)?),
        ("bearings", value(&view.bearings)?),
        ("actions", value(&view.actions)?),
        ("declined", value(&view.declined)?),
        ("acknowledgements", value(&view.acknowledgements)?),
        ("next_steps", value(&view.next_steps)?),
        ("timeline", value(&view.timeline)?),
        ("quotes", value(&view.quotes)?),
        ("incident", value(&view.incident)?),
        ("customers", value(&view.customers)?),
        ("press", value(&view.press)?),
        ("not_for_disclosure", value(&view.not_for_disclosure)?),
        ("talking_points", value(&view.talking_points)?),
        ("talking_points_to", value(&view.talking_points_to)?),
        ("contacts", value(&view.contacts)?),
        ("faq", value(&view.faq)?),
        ("public", Value::try_from_serializable(&None::<()>)?),
    ])
}

/// A Tera escaping every template's values for `output`, with candor's
/// filters and functions, and no template.
fn configured_tera(output: Output) -> Tera {
    let mut tera = Tera::new();
    // The prefix is set before any template is added, as Tera requires.
    if let Err(e) = tera.set_fallback_prefixes([BUILTIN_PREFIX]) {
        unreachable!("no template added yet: {e}");
    }
    // Every template, whatever its name: what is escaped, and how, is the
    // document's output type, not the name of a partial.
    tera.autoescape_on([""]);
    tera.set_escape_fn(output.escape_fn());
    tera.register_filter("link", LinkFilter(output));
    tera.register_function("cite", cite::cite);
    tera.register_function("footnotes", cite::footnotes);
    filters::register(&mut tera);
    tera
}

/// Template output with its blank lines tidied: no line ends in spaces
/// unless it is a markdown hard break, no more than one blank line in a row,
/// none at the start, and exactly one newline at the end. Templates can then
/// be written for readability rather than for whitespace control.
fn tidy(rendered: &str) -> String {
    let mut out = String::with_capacity(rendered.len());
    let mut blank_run = 0;
    for line in rendered.lines() {
        let is_hard_break = line.ends_with("  ") && !line.trim().is_empty();
        let line = if is_hard_break { line } else { line.trim_end() };
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out.is_empty() {
        out.push('\n');
    }
    out
}

/// Prints a URL as a markdown autolink when it is a plain web address, and
/// as escaped text otherwise, so a URL cannot smuggle markup.
struct LinkFilter(Output);

impl<'a> tera::Filter<Cow<'a, str>, Value> for LinkFilter {
    fn call(&self, url: Cow<'a, str>, _: Kwargs, _: &State) -> Value {
        Value::safe_string(&link(&url, self.0))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// In markdown, `<url>` for a plain web address and escaped text for
/// anything else; in other output types, the address as escaped text.
fn link(url: &str, output: Output) -> String {
    let is_web = url.starts_with("https://") || url.starts_with("http://");
    let is_plain = url
        .chars()
        .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '\\' | '`'));
    if output == Output::Markdown && is_web && is_plain {
        format!("<{url}>")
    } else {
        output.escape(url)
    }
}

/// The first message and `--> name:line:column` position of a rendered
/// Tera report.
fn parse_report(text: &str) -> (String, Pos, Option<String>) {
    let message = text
        .lines()
        .next()
        .unwrap_or(text)
        .trim_start_matches("error: ")
        .to_owned();
    let located = text.lines().find_map(|line| {
        let place = line.trim_start().strip_prefix("--> ")?;
        let mut parts = place.rsplitn(3, ':');
        let column: u32 = parts.next()?.trim().parse().ok()?;
        let line: u32 = parts.next()?.trim().parse().ok()?;
        let name = parts.next()?.to_owned();
        Some((Pos { line, column }, name))
    });
    match located {
        Some((pos, name)) => (message, pos, Some(name)),
        None => (message, Pos::default(), None),
    }
}

/// A Tera error as a diagnostic, located in the user's template when it is
/// one.
fn template_diagnostic(code: Code, error: &tera::Error, file: Option<&Path>) -> Diagnostic {
    let (message, pos, template) = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            (
                report.message().to_owned(),
                Pos {
                    line: u32::try_from(span.start_line).unwrap_or(u32::MAX),
                    column: u32::try_from(span.start_col + 1).unwrap_or(u32::MAX),
                },
                Some(report.filename().to_owned()),
            )
        }
        // Load-time checks (unknown filters, functions, tests) arrive as
        // rendered reports; take the message and position back out.
        tera::ErrorKind::Msg(text) => {
            let (message, pos, template) = parse_report(text);
            (message, pos, template)
        }
        other => (other.to_string(), Pos::default(), None),
    };
    let mut diagnostic = Diagnostic::new(code, message);
    match (file, template) {
        (Some(file), _) => diagnostic = diagnostic.in_file(file).at(pos),
        (None, Some(template)) if !template.is_empty() => {
            diagnostic = diagnostic.with_path(format!("template {template}"));
        }
        _ => {}
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use tera::Context;

    use super::CaseContexts;
    use crate::{load, project, validate};

    /// The values shared between a case's documents are exactly what
    /// converting each document's own view would give, in the same order,
    /// whichever document of the case comes first.
    #[test]
    fn shared_context_is_each_views_own() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let repository = load::open(&[root], load::Limits::default()).expect("bundled cases load");
        let checked = validate::validate(&repository);
        let mut compared = 0;
        for case in &checked.cases {
            let projector = project::Projector::new(&checked, case);
            for kinds in [
                checked.documents.iter().collect::<Vec<_>>(),
                checked.documents.iter().rev().collect(),
            ] {
                let contexts = CaseContexts::default();
                for kind in kinds {
                    let view = projector.project(kind);
                    let own = Context::from_serialize(&view).expect("a view converts");
                    let shared = contexts.context(&view).expect("a view converts");
                    let what = format!("{} {}", case.case.id.as_str(), kind.id.as_str());
                    assert!(shared == own, "{what}");
                    // In the same order too, for templates that loop over a map.
                    let json = |context: &Context, key: &str| {
                        serde_json::to_string(&context.get(key)).expect("a value prints")
                    };
                    for key in ["public", "document", "actions", "sources"] {
                        assert_eq!(json(&shared, key), json(&own, key), "{what}: {key}");
                    }
                    compared += 1;
                }
            }
        }
        assert!(compared > 20, "{compared}");
    }
}
