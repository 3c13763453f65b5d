//! Sign-offs bound to content.
//!
//! An approval records the digest of everything that decided a case's
//! documents when it was given — the case file, the library principles it
//! cites, the earlier case it updates, the parts of `candor.yaml` it uses,
//! the templates of its documents — and of the documents themselves, as
//! rendered without a banner. When any of these differs now, the approval
//! is void: it was given on other words. The digests are kept one per
//! input, so candor can say what changed.
//!
//! The case's `status` is left out of its digest, by field, whatever the
//! file's layout: moving a case from review to approved after the
//! sign-offs must not void them, and nothing else may escape the digest.
//!
//! This stage runs after rendering: a case's standing decides whether its
//! documents carry a draft banner, and whether it may be published.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diagnostic::{Code, Diagnostic};
use crate::incremental::templates_used;
use crate::load::{Limits, Loaded, Repository};
use crate::manifest::digest;
use crate::model::{Approval, PrincipleEntry, Status, Timestamp};
use crate::render::BUILTIN_PREFIX;
use crate::validate::{Checked, CheckedCase};

/// The digests a sign-off is bound to, as they are now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Each input, by what it is: `case`, `principle <id>`, `template
    /// <name>`, and so on.
    pub inputs: BTreeMap<String, String>,
    /// Each document as rendered, without a banner, by document kind.
    pub documents: BTreeMap<String, String>,
}

impl Record {
    /// What `case` and its `documents` (every kind the case produces,
    /// rendered without a banner) depend on, now.
    pub fn of(
        checked: &Checked<'_>,
        case: &CheckedCase<'_>,
        documents: &[(String, String)],
    ) -> Record {
        let repository = checked.repository;
        let settings = &repository.settings.value;
        let limits = repository.limits();
        let mut inputs = BTreeMap::new();
        let raw = case.case;
        inputs.insert(
            "case".to_owned(),
            case_digest(
                repository.source_text(case.file).as_deref().unwrap_or(""),
                limits,
            ),
        );
        if let Some(earlier) = raw.updates.as_ref().and_then(|id| {
            repository
                .cases
                .iter()
                .chain(&repository.earlier_cases)
                .find(|c| c.value.id.value == id.value)
        }) {
            inputs.insert(
                format!("earlier case {}", earlier.value.id.value),
                case_digest(
                    repository
                        .source_text(&earlier.file)
                        .as_deref()
                        .unwrap_or(""),
                    limits,
                ),
            );
        }
        for entry in &raw.principles {
            if let PrincipleEntry::Library(id) = &entry.value
                && let Some(loaded) = repository
                    .principles
                    .iter()
                    .find(|p| p.value.id.value == *id)
            {
                let text = repository.source_text(&loaded.file);
                let text = text.as_deref().unwrap_or("");
                inputs.insert(format!("principle {id}"), digest(text.as_bytes()));
            }
        }
        let organisation = match &raw.organisation {
            Some(id) => settings
                .organisations
                .iter()
                .find(|o| o.id.value == id.value)
                .map(json_digest),
            None => Some(json_digest(&settings.organisation)),
        };
        if let Some(organisation) = organisation {
            inputs.insert("organisation".to_owned(), organisation);
        }
        let people = raw
            .spokesperson
            .iter()
            .chain(raw.documents.iter().filter_map(|d| d.sender.as_ref()))
            .chain(raw.quotes.iter().filter_map(|q| q.by.as_ref()));
        for id in people {
            if let Some(person) = checked.person(id) {
                inputs.insert(format!("person {}", id.value), json_digest(person));
            }
        }
        for kind in checked.documents.iter().filter(|k| k.produced_for(raw)) {
            inputs.insert(
                format!("document kind {}", kind.id.value),
                json_digest(kind),
            );
            let (style, _) = crate::project::style_of(checked, raw, kind);
            let template = crate::render::template_for(&kind.template, style, |name| {
                repository.templates.iter().any(|t| t.name == name)
            });
            for (name, template_digest) in templates_used(&template, &repository.templates) {
                inputs.insert(format!("template {name}"), template_digest);
            }
        }
        let documents = documents
            .iter()
            .map(|(kind, text)| (kind.clone(), digest(text.as_bytes())))
            .collect();
        Record { inputs, documents }
    }

    /// The record an approval file holds.
    pub fn recorded_in(approval: &Approval) -> Record {
        Record {
            inputs: approval
                .inputs
                .iter()
                .map(|(k, v)| (k.clone(), v.value.clone()))
                .collect(),
            documents: approval
                .documents
                .iter()
                .map(|(k, v)| (k.clone(), v.value.clone()))
                .collect(),
        }
    }

    /// The digest of the whole record: what an approval names as the
    /// content it approved.
    pub fn digest(&self) -> String {
        digest(self.listing().as_bytes())
    }

    /// Every digest, one per line, as the record's digest covers them.
    fn listing(&self) -> String {
        let mut text = String::new();
        for (key, value) in &self.inputs {
            let _ = writeln!(text, "input {key} {value}");
        }
        for (key, value) in &self.documents {
            let _ = writeln!(text, "document {key} {value}");
        }
        text
    }

    /// The approval file recording the sign-off `sign_off` describes on
    /// this record: YAML meant to be read in a pull request, one digest
    /// per line, so a change shows as one line. A signature covers every
    /// byte of it.
    pub fn approval_file(&self, sign_off: &Header<'_>) -> String {
        let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
        // Keys are written plain where YAML reads them back as written.
        let key = |text: &str| {
            let plain = text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/'))
                && text.starts_with(|c: char| c.is_ascii_alphabetic())
                && !text.ends_with(' ')
                && !matches!(
                    text.to_ascii_lowercase().as_str(),
                    "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
                );
            if plain { text.to_owned() } else { quoted(text) }
        };
        let Header {
            case_id,
            role,
            by,
            principal,
            at,
            policy,
        } = *sign_off;
        let principal =
            principal.map_or_else(String::new, |p| format!("principal: {}\n", quoted(p)));
        let mut text = format!(
            "# {role} signed off on the case {case_id}.\n\
             # Written by `candor approve`. Any change to what is listed below\n\
             # voids it, and `candor check` says what changed.\n\
             case: {case_id}\n\
             role: {role}\n\
             by: {}\n\
             {principal}\
             at: {at}\n\
             digest: {}\n\
             policy: {policy}\n\
             inputs:\n",
            quoted(by),
            self.digest()
        );
        for (name, value) in &self.inputs {
            let _ = writeln!(text, "  {}: {value}", key(name));
        }
        text.push_str("documents:\n");
        for (name, value) in &self.documents {
            let _ = writeln!(text, "  {}: {value}", key(name));
        }
        text
    }
}

/// Who signs off on what, as an approval file's first lines say.
#[derive(Debug, Clone, Copy)]
pub struct Header<'a> {
    /// The case's id.
    pub case_id: &'a str,
    /// The role signing off.
    pub role: &'a str,
    /// Who, as they wish to be named.
    pub by: &'a str,
    /// The principal of the key signing it, for a signed sign-off.
    pub principal: Option<&'a str>,
    /// When.
    pub at: &'a Timestamp,
    /// The digest of the sign-off policy in force.
    pub policy: &'a str,
}

/// The digest of what a case file says, its top-level `status` field left
/// out: the digest of its parsed value, so the field is left out however
/// the file is laid out (block or flow style, one line or many), and
/// nothing else is. Comments, quoting and key order do not count; every
/// value does. Text that does not parse is digested as it is.
pub fn case_digest(text: &str, limits: Limits) -> String {
    match crate::load::value_from_text(text, limits) {
        Some(mut value) => {
            if let serde_json::Value::Object(fields) = &mut value {
                fields.remove("status");
            }
            let mut canonical = String::from("case value\n");
            canonical_json(&value, &mut canonical);
            digest(canonical.as_bytes())
        }
        None => digest(format!("case text\n{text}").as_bytes()),
    }
}

/// `value` as JSON with every mapping's keys in order, so the same value
/// always gives the same text.
fn canonical_json(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(fields) => {
            let mut entries: Vec<(&String, &serde_json::Value)> = fields.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::from(key.as_str()).to_string());
                out.push(':');
                canonical_json(item, out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                canonical_json(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The digest of `value` as JSON: for parts of `candor.yaml`.
fn json_digest<T: serde::Serialize>(value: &T) -> String {
    digest(serde_json::to_string(value).unwrap_or_default().as_bytes())
}

/// Where a case stands with its sign-offs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    /// The roles that must sign off, in `candor.yaml`'s order.
    pub required: Vec<String>,
    /// The required roles whose sign-off holds, with who gave it.
    pub approved: Vec<(String, String)>,
    /// The required roles whose sign-off was given on content since
    /// changed.
    pub void: Vec<String>,
    /// The roles whose sign-off was given under another sign-off policy:
    /// they must sign off again, even where the policy now in force
    /// requires no sign-off of them.
    pub stale: Vec<String>,
}

impl Standing {
    /// The roles without a sign-off that holds, in order: the required
    /// ones, then those signed off under another policy.
    pub fn missing(&self) -> Vec<&str> {
        let mut missing: Vec<&str> = self
            .required
            .iter()
            .filter(|role| !self.approved.iter().any(|(r, _)| r == *role))
            .map(String::as_str)
            .collect();
        for role in &self.stale {
            if !missing.contains(&role.as_str()) && !self.approved.iter().any(|(r, _)| r == role) {
                missing.push(role);
            }
        }
        missing
    }

    /// Whether every required role has signed off on the content as it is.
    pub fn is_complete(&self) -> bool {
        self.missing().is_empty()
    }

    /// The missing sign-offs in words: `legal (void: given on earlier
    /// content) and communications`.
    pub fn missing_text(&self) -> String {
        let names: Vec<String> = self
            .missing()
            .into_iter()
            .map(|role| {
                if self.void.iter().any(|v| v == role) {
                    format!("{role} (void: given before the last change)")
                } else if self.stale.iter().any(|v| v == role) {
                    format!("{role} (given under another sign-off policy)")
                } else {
                    role.to_owned()
                }
            })
            .collect();
        join_words(&names)
    }
}

/// Where `case` stands, given `record` (absent when the case has no
/// approval files, so nothing needs comparing), and what is wrong: void
/// sign-offs, and a status claiming sign-offs the case lacks.
pub fn assess(
    checked: &Checked<'_>,
    case: &CheckedCase<'_>,
    record: Option<&Record>,
) -> (Standing, Vec<Diagnostic>) {
    let repository = checked.repository;
    let mut standing = Standing {
        required: repository
            .settings
            .value
            .approvals
            .required
            .iter()
            .map(|r| r.to_string())
            .collect(),
        ..Standing::default()
    };
    let mut diagnostics = Vec::new();
    let case_id = case.case.id.as_str();
    // How the help says to sign off.
    let signer = if repository.settings.value.approvals.signers.is_some() {
        "--key PATH"
    } else {
        "--by PERSON"
    };
    for sign_off in &case.sign_offs {
        let loaded = sign_off.loaded;
        let approval = &loaded.value;
        let role = approval.role.as_str();
        if sign_off.under_other_policy {
            // Reported by validation.
            standing.stale.push(role.to_owned());
            continue;
        }
        let Some(record) = record else { continue };
        match void_reason(approval, record) {
            None => standing
                .approved
                .push((role.to_owned(), sign_off.signer.clone())),
            Some((why, pos)) => {
                standing.void.push(role.to_owned());
                diagnostics.push(
                    Diagnostic::new(
                        Code::ApprovalVoid,
                        format!(
                            "the {role} sign-off on `{case_id}` ({}, {}) is void: {why}",
                            approval.by.value.trim(),
                            approval.at.value
                        ),
                    )
                    .in_file(&loaded.file)
                    .at(pos)
                    .with_id(case_id)
                    .with_help(format!(
                        "see what changed with `candor diff {case_id}`, then sign off again \
                         with `candor approve {case_id} --role {role} {signer}`"
                    )),
                );
            }
        }
    }
    let status = *case.case.status;
    if matches!(status, Status::Approved | Status::Published) && !standing.is_complete() {
        diagnostics.push(
            Diagnostic::new(
                Code::NotApproved,
                format!(
                    "the case is marked `{}` but lacks the sign-off of {}",
                    status.as_str(),
                    standing.missing_text()
                ),
            )
            .in_file(case.file)
            .at(case.case.status.pos)
            .with_path("status")
            .with_id(case_id)
            .with_help(format!(
                "sign off with `candor approve {case_id} --role ROLE {signer}`, \
                 or set `status: review` until then"
            )),
        );
    }
    (standing, diagnostics)
}

/// Why `approval` no longer holds for `record`, and where in its file to
/// point; `None` when it holds.
fn void_reason(approval: &Approval, record: &Record) -> Option<(String, crate::model::Pos)> {
    let recorded = Record::recorded_in(approval);
    if recorded.digest() != approval.digest.value {
        return Some((
            "its digest does not match the digests it lists: the file was edited by hand"
                .to_owned(),
            approval.digest.pos,
        ));
    }
    if recorded == *record {
        return None;
    }
    // What happened to each input, then to the documents, in words.
    let mut clauses: Vec<String> = Vec::new();
    let mut first_pos = None;
    for (key, now) in &record.inputs {
        match approval.inputs.get(key) {
            Some(then) if then.value == *now => {}
            Some(then) => {
                first_pos.get_or_insert(then.pos);
                clauses.push(format!("{} changed", describe(key)));
            }
            None => clauses.push(format!("{} came into use", describe(key))),
        }
    }
    for (key, then) in &approval.inputs {
        if !record.inputs.contains_key(key) {
            first_pos.get_or_insert(then.pos);
            clauses.push(format!("{} is no longer used", describe(key)));
        }
    }
    let inputs_changed = !clauses.is_empty();
    let mut texts: Vec<String> = Vec::new();
    let mut kinds_changed: Vec<String> = Vec::new();
    for (kind, now) in &record.documents {
        match approval.documents.get(kind) {
            Some(then) if then.value == *now => {}
            Some(then) => {
                if !inputs_changed {
                    first_pos.get_or_insert(then.pos);
                }
                texts.push(format!("`{kind}`"));
            }
            None => kinds_changed.push(format!("`{kind}` is now produced")),
        }
    }
    for kind in approval.documents.keys() {
        if !record.documents.contains_key(kind) {
            kinds_changed.push(format!("`{kind}` is no longer produced"));
        }
    }
    if !texts.is_empty() {
        clauses.push(format!("the text of {} changed", join_words(&texts)));
    }
    clauses.extend(kinds_changed);
    let mut why = format!("since it was given, {}", join_words(&clauses));
    if !inputs_changed {
        why.push_str(
            ", though no input did: this candor renders differently from the one \
             that recorded the sign-off",
        );
    }
    Some((why, first_pos.unwrap_or(approval.digest.pos)))
}

/// An input's key in words.
fn describe(key: &str) -> String {
    if key == "case" {
        return "the case file".to_owned();
    }
    if key == "organisation" {
        return "the organisation in candor.yaml".to_owned();
    }
    let (what, name) = key.split_once(' ').unwrap_or((key, ""));
    match what {
        "principle" => format!("the principle `{name}`"),
        "person" => format!("the person `{name}` in candor.yaml"),
        "template" => match name.strip_prefix(BUILTIN_PREFIX) {
            Some(built_in) => format!("the built-in template `{built_in}`"),
            None => format!("the template `{name}`"),
        },
        "earlier" => format!(
            "the earlier case `{}`",
            name.strip_prefix("case ").unwrap_or(name)
        ),
        "document" => format!(
            "the document kind `{}` in candor.yaml",
            name.strip_prefix("kind ").unwrap_or(name)
        ),
        _ => format!("`{key}`"),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The banner a document of a case opens with when it may not go out as
/// it is: a withdrawn case, or one lacking sign-offs. `markdown` says
/// whether the document is markdown or plain text.
pub fn banner(standing: &Standing, status: Status, markdown: bool) -> Option<String> {
    let text = if status == Status::Withdrawn {
        "WITHDRAWN — not for release.".to_owned()
    } else if !standing.is_complete() {
        format!(
            "DRAFT — not approved for release. Awaiting sign-off: {}.",
            standing.missing_text()
        )
    } else {
        return None;
    };
    Some(if markdown {
        let (headline, rest) = text.split_once(". ").unwrap_or((&text, ""));
        let headline = headline.trim_end_matches('.');
        if rest.is_empty() {
            format!("> **{headline}.**\n\n")
        } else {
            format!("> **{headline}.** {rest}\n\n")
        }
    } else {
        format!("[{text}]\n\n")
    })
}

/// Where a case stands in review, in a few words for a list of cases:
/// `draft · awaiting legal and communications`, `in review · awaiting
/// legal (void: given before the last change)`, `approved`, `approved ·
/// under embargo until …`, `withdrawn`. Whether it may go out as far as
/// its sign-offs go is `standing.is_complete()`.
pub fn review_state(
    standing: &Standing,
    status: Status,
    embargo: Option<&crate::model::Timestamp>,
    now: &crate::model::Timestamp,
) -> String {
    let awaiting =
        (!standing.is_complete()).then(|| format!("awaiting {}", standing.missing_text()));
    let (word, note) = match status {
        Status::Withdrawn => return "withdrawn".to_owned(),
        Status::Draft => ("draft", awaiting),
        Status::Review => (
            "in review",
            awaiting.or_else(|| Some("every sign-off in: set `status: approved`".to_owned())),
        ),
        Status::Approved | Status::Published => {
            let word = if status == Status::Approved {
                "approved"
            } else {
                "published"
            };
            match (awaiting, embargo) {
                (Some(awaiting), _) => (word, Some(format!("but {awaiting}"))),
                (None, Some(until)) if until.unix_seconds() > now.unix_seconds() => {
                    (word, Some(format!("under embargo until {until}")))
                }
                (None, _) => (word, None),
            }
        }
    };
    match note {
        Some(note) => format!("{word} · {note}"),
        None => word.to_owned(),
    }
}

/// Why a case may not go out now, before its sign-offs are even looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// In words, for a list of cases held back.
    pub reason: String,
    /// Whether the embargo, rather than the status, holds it.
    embargo: bool,
}

/// Whether `case` is held back from publication at `now`: its status says
/// it is not approved, or its embargo has not passed. Sign-offs that do
/// not hold make an approved case an error instead (see [`assess`]).
pub fn hold(case: &CheckedCase<'_>, now: &Timestamp) -> Option<Hold> {
    let reason = match *case.case.status {
        Status::Draft => "a draft",
        Status::Review => "in review",
        Status::Withdrawn => "withdrawn",
        Status::Approved | Status::Published => {
            let embargo = case.case.embargo.as_ref()?;
            if embargo.unix_seconds() <= now.unix_seconds() {
                return None;
            }
            return Some(Hold {
                reason: format!("under embargo until {}", embargo.value),
                embargo: true,
            });
        }
    };
    Some(Hold {
        reason: reason.to_owned(),
        embargo: false,
    })
}

impl Hold {
    /// The error for a case named for publication that is held back.
    pub fn diagnostic(&self, case: &CheckedCase<'_>) -> Diagnostic {
        let case_id = case.case.id.as_str();
        let diagnostic = Diagnostic::new(
            Code::NotPublishable,
            format!("`{case_id}` cannot be published: it is {}", self.reason),
        )
        .in_file(case.file)
        .with_id(case_id);
        match (&case.case.embargo, self.embargo) {
            (Some(embargo), true) => diagnostic
                .at(embargo.pos)
                .with_path("embargo")
                .with_help("publish it once the embargo has passed"),
            _ => diagnostic
                .at(case.case.status.pos)
                .with_path("status")
                .with_help(
                    "only approved cases are published: gather the sign-offs, \
                     then set `status: approved`",
                ),
        }
    }
}

/// The input files of the repository as they were when `approval` was
/// given on the case in `case_file`, by path relative to the root: the
/// files of the repository now, with every input the approval names
/// replaced by the version whose digest it recorded — from the working
/// tree, or else from git history, where a rebase or a squash does not
/// lose it. Also returns notes on what could not be restored exactly: a
/// built-in template changed by a newer candor.
///
/// Fails, naming the file, when a version the approval names is found
/// nowhere.
pub fn approved_files(
    repository: &Repository,
    case_file: &std::path::Path,
    approval: &Approval,
) -> Result<(crate::history::Files, Vec<String>), crate::error::Error> {
    use crate::history::{self, Files};
    let root = repository.root.as_path();
    let relative = |file: &std::path::Path| -> String {
        file.strip_prefix(root)
            .unwrap_or(file)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    };
    let text_of = |file: &std::path::Path| {
        repository
            .source_text(file)
            .map(std::borrow::Cow::into_owned)
    };
    let mut files = Files::new();
    let mut put = |path: String, text: Option<String>| {
        if let Some(text) = text {
            files.insert(path, text.into_bytes());
        }
    };
    put(
        crate::load::SETTINGS_FILE.to_owned(),
        text_of(&repository.settings.file),
    );
    for principle in &repository.principles {
        put(relative(&principle.file), text_of(&principle.file));
    }
    for template in &repository.templates {
        put(
            format!("templates/{}", template.name),
            Some(template.text.clone()),
        );
    }
    let all_cases: Vec<&Loaded<crate::model::Case>> = repository
        .cases
        .iter()
        .chain(&repository.earlier_cases)
        .collect();
    let case_path = relative(case_file);
    put(case_path.clone(), text_of(case_file));
    let mut wanted = all_cases
        .iter()
        .find(|c| c.file == case_file)
        .and_then(|c| c.value.updates.as_ref().map(|u| u.to_string()));
    while let Some(id) = wanted.take() {
        if let Some(earlier) = all_cases.iter().find(|c| c.value.id.as_str() == id) {
            put(relative(&earlier.file), text_of(&earlier.file));
            wanted = earlier.value.updates.as_ref().map(|u| u.to_string());
        }
    }

    let role = approval.role.as_str();
    let not_found = |path: &str| {
        crate::error::Error::Usage(format!(
            "the version of {path} the {role} sign-off was given on is neither in the working \
             tree nor in git history; compare with a revision instead, with --against REV"
        ))
    };
    let limits = repository.limits();
    let case_matcher = |wanted: String| {
        move |bytes: &[u8]| {
            let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
            std::str::from_utf8(bytes).is_ok_and(|text| case_digest(text, limits) == wanted)
        }
    };
    let mut notes = Vec::new();
    let mut settings_keys: Vec<(&str, &str)> = Vec::new();
    for (key, recorded) in &approval.inputs {
        let recorded = recorded.value.as_str();
        let (what, name) = key.split_once(' ').unwrap_or((key.as_str(), ""));
        match what {
            "case" | "earlier" => {
                let path = if what == "case" {
                    case_path.clone()
                } else {
                    let id = name.strip_prefix("case ").unwrap_or(name);
                    all_cases
                        .iter()
                        .find(|c| c.value.id.as_str() == id)
                        .map_or_else(|| format!("cases/{id}.yaml"), |c| relative(&c.file))
                };
                let current = files
                    .get(&path)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .map(|text| case_digest(text, limits));
                if current.as_deref() != Some(recorded) {
                    let found =
                        history::find_matching(root, &path, &case_matcher(recorded.to_owned()))?
                            .ok_or_else(|| not_found(&path))?;
                    files.insert(path, found);
                }
            }
            "principle" => {
                let path = repository
                    .principles
                    .iter()
                    .find(|p| p.value.id.as_str() == name)
                    .map_or_else(|| format!("principles/{name}.yaml"), |p| relative(&p.file));
                let current = files.get(&path).map(|b| digest(b));
                if current.as_deref() != Some(recorded) {
                    let found = history::find_by_digest(root, &path, recorded)?
                        .ok_or_else(|| not_found(&path))?;
                    files.insert(path, found);
                }
            }
            "template" => match name.strip_prefix(BUILTIN_PREFIX) {
                Some(built_in) => {
                    let now = crate::render::BUILTIN_TEMPLATES
                        .iter()
                        .find(|(n, _)| *n == built_in)
                        .map(|(_, text)| digest(text.as_bytes()));
                    if now.as_deref() != Some(recorded) {
                        notes.push(format!(
                            "the built-in template `{built_in}` has changed since the sign-off \
                             (another version of candor): the documents then are shown with \
                             today's"
                        ));
                    }
                    // A template of the user's that replaces it came later.
                    if !approval
                        .inputs
                        .contains_key(&format!("template {built_in}"))
                    {
                        files.remove(&format!("templates/{built_in}"));
                    }
                }
                None => {
                    let path = format!("templates/{name}");
                    let current = files.get(&path).map(|b| digest(b));
                    if current.as_deref() != Some(recorded) {
                        let found = history::find_by_digest(root, &path, recorded)?
                            .ok_or_else(|| not_found(&path))?;
                        files.insert(path, found);
                    }
                }
            },
            _ => settings_keys.push((key.as_str(), recorded)),
        }
    }
    if !settings_keys.is_empty() {
        let holds = |bytes: &[u8]| {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return false;
            };
            let Some(settings) = crate::load::settings_from_text(text, limits) else {
                return false;
            };
            settings_keys.iter().all(|(key, recorded)| {
                settings_part_digests(&settings, key).contains(&(*recorded).to_owned())
            })
        };
        let path = crate::load::SETTINGS_FILE;
        let current_holds = files.get(path).is_some_and(|b| holds(b));
        if !current_holds {
            let found =
                history::find_matching(root, path, &holds)?.ok_or_else(|| not_found(path))?;
            files.insert(path.to_owned(), found);
        }
    }
    Ok((files, notes))
}

/// The digests the part of `settings` an approval's input `key` names may
/// have had: one, or, for the organisation, any of those it can speak as.
fn settings_part_digests(settings: &crate::model::Settings, key: &str) -> Vec<String> {
    if key == "organisation" {
        return std::iter::once(json_digest(&settings.organisation))
            .chain(settings.organisations.iter().map(json_digest))
            .collect();
    }
    if let Some(id) = key.strip_prefix("person ") {
        return settings
            .people
            .iter()
            .filter(|p| p.id.as_str() == id)
            .map(json_digest)
            .collect();
    }
    if let Some(id) = key.strip_prefix("document kind ") {
        return crate::validate::document_kinds(settings)
            .iter()
            .filter(|k| k.id.as_str() == id)
            .map(json_digest)
            .collect();
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::case_digest;
    use crate::Limits;

    fn digest_of(text: &str) -> String {
        case_digest(text, Limits::default())
    }

    #[test]
    fn only_the_status_field_is_left_out() {
        let review = "id: a\nstatus: review\nsummary: x\n";
        let approved = "id: a\nstatus : approved  # signed\nsummary: x\n";
        assert_eq!(digest_of(review), digest_of(approved));
        assert_ne!(
            digest_of(review),
            digest_of("id: a\nstatus: review\nsummary: y\n")
        );
        // A nested `status` is content.
        assert_ne!(
            digest_of("id: a\nx:\n  status: a\n"),
            digest_of("id: a\nx:\n  status: b\n")
        );
    }

    #[test]
    fn a_flow_mapping_keeps_everything_but_the_status() {
        let flow = |status: &str, embargo: &str| {
            format!("{{id: a, summary: x, status: {status}, embargo: {embargo}}}\n")
        };
        let signed = digest_of(&flow("review", "2099-01-01T00:00:00Z"));
        assert_eq!(
            signed,
            digest_of(&flow("approved", "2099-01-01T00:00:00Z")),
            "moving the status voids nothing"
        );
        assert_ne!(
            signed,
            digest_of(&flow("review", "2001-01-01T00:00:00Z")),
            "moving the embargo on the status line voids the sign-off"
        );
        // The same case, laid out in blocks, is the same content.
        assert_eq!(
            signed,
            digest_of("id: a\nsummary: x\nembargo: 2099-01-01T00:00:00Z\nstatus: approved\n")
        );
    }

    #[test]
    fn a_status_line_holding_more_than_the_status_keeps_the_rest() {
        // A value continued on the status line's neighbours, and a second
        // `status:`-looking line inside a block scalar, are content.
        let text = |tail: &str| format!("id: a\nstatus: review\nsummary: |\n  status: {tail}\n");
        assert_ne!(digest_of(&text("one")), digest_of(&text("two")));
    }

    #[test]
    fn text_that_does_not_parse_is_digested_as_written() {
        assert_ne!(digest_of("id: [a\n"), digest_of("id: [b\n"));
        assert_ne!(digest_of("status: [a\n"), digest_of("status: [b\n"));
    }
}
