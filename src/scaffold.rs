//! `candor new`: the skeleton it writes, a case with every section, a comment
//! saying what each field is for, and `TODO` placeholders that `candor
//! check` reports one by one until someone writes the real text.
//!
//! The skeleton loads and passes every other rule as it stands, so the
//! placeholders are the only thing between it and a clean check: filling
//! them in is the whole job.

use std::path::{Path, PathBuf};

use crate::calendar::Day;
use crate::error::Error;
use crate::load;
use crate::model::{Date, Id};

/// Writes `cases/<id>.yaml` in the repository at `root`: a skeleton of a
/// case with every section and a placeholder for every value to write.
/// Refuses an invalid id, and never overwrites a file.
pub fn new_case(root: &Path, id: &str) -> Result<PathBuf, Error> {
    let id = Id::parse(id).map_err(Error::Usage)?;
    // Outside any repository, the folder given becomes one.
    let root = load::find_root(root).unwrap_or_else(|| root.to_path_buf());
    let folder = root.join("cases");
    let target = folder.join(format!("{id}.yaml"));
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(&folder).map_err(io_error(&folder))?;
    let text = case_skeleton(&id, today());
    // `create_new`, so a case written meanwhile is never replaced.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()));
    match written {
        Ok(()) => Ok(target),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Usage(
            format!("{} already exists; choose another id", target.display()),
        )),
        Err(source) => Err(io_error(&target)(source)),
    }
}

/// The case file for a new case `id`, dated `today`.
pub fn case_skeleton(id: &Id, today: Date) -> String {
    SKELETON
        .replace("{id}", id.as_str())
        .replace("{today}", &today.iso())
}

/// Today's date from the system clock, in UTC; 1 January 1970 if the clock
/// is set before it.
pub fn today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0);
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let epoch = Day::from_ymd(1970, 1, 1);
    epoch
        .plus(days)
        .to_date()
        .or_else(|| epoch.to_date())
        .unwrap_or_else(|| unreachable!("1 January 1970 is a date"))
}

/// Every value a person must write says `TODO: …`, in double quotes so
/// that any text can replace it. Dates are today's, and ids are generic
/// but valid, so the case loads and references resolve.
const SKELETON: &str = r#"# A new case. Replace every value that says TODO with the real text:
# `candor check` lists each one still to fill, with its line. Delete the
# sections this case does not need, and the comments once you know them.
# Every item is `visibility: internal`, for employees only: nothing reaches a
# public document until you change an item to `visibility: public`.

id: {id}                     # names the output folder; same as the file name
title: "TODO: the headline every document opens with"
date: {today}                # publication: YYYY-MM-DD, YYYY-MM or YYYY; ~ in front if approximate
status: draft                # draft, review, approved, published or withdrawn
summary: "TODO: the decision in a few sentences, which every document opens with"
# spokesperson: a-person     # a person from candor.yaml, who signs the memo
# organisation: an-org       # from `organisations` in candor.yaml, if not the default one
# updates: an-earlier-case   # the id of an earlier case this one updates

# The principles at stake: the ids of principles in principles/, or
# principles written out here.
principles:
  - id: principle-1
    title: "TODO: a short name for the principle"
    statement: "TODO: the principle, worded as every document will cite it"
    basis: "TODO: where it is written down, such as a policy or the terms of service"
    visibility: internal     # or public, for public documents to say it

# What prompted or informed the review: reporting, a complaint, an audit.
sources:
  - id: source-1
    kind: press-report       # complaint, audit, regulator-inquiry, internal-report, research or other
    publisher: "TODO: who published or filed it"
    title: "TODO: its title, as published"
    date: {today}            # when it was published or received
    # url: https://…         # where to read it
    claim: "TODO: the allegation or request, in neutral words"
    visibility: internal     # or public, for public documents to say it

# How the review was carried out.
review:
  opened: {today}
  conducted_by: "TODO: who carried out the review"
  state: ongoing             # or concluded
  examined:                  # what the review looked at
    - what: "TODO: something the review looked at"
      visibility: internal   # or public, for public documents to say it
  not_examined:              # what it deliberately did not look at, and which principle kept it away
    - what: "TODO: something the review did not look at"
      principle: principle-1
      visibility: internal   # or public, for public documents to say it
  visibility: internal       # or public, for public documents to say it

# What the review found. Each finding cites the sources it bears on, or
# states its evidence.
findings:
  - id: finding-1
    statement: "TODO: what the review found, as every document will state it"
    sources: [source-1]
    bearing: supports        # contradicts, inconclusive or undetermined
    evidence: "TODO: what the finding rests on"
    visibility: internal     # or public, for public documents to say it

# What the organisation did. Each action cites the principles and the
# findings that justify it.
actions:
  - id: action-1
    statement: "TODO: what was done, as every document will state it"
    principles: [principle-1]
    findings: [finding-1]
    effective: {today}       # when it took or takes effect
    state: done              # in-progress, planned, or declined (with a `reason`)
    # limits: ["what the action does not cover or change"]
    # departs_from: [{principle: a-principle, reason: "why the exception"}]
    visibility: internal     # or public, for public documents to say it

# Who is thanked, and for what: each names the source it thanks.
acknowledgements:
  - text: "TODO: whom you thank, and for what"
    source: source-1
    visibility: internal     # or public, for public documents to say it

# What happens next.
next_steps:
  - text: "TODO: what will happen next"
    # date: 2026-12          # when, if known
    visibility: internal     # or public, for public documents to say it

# Dated events, in any order.
timeline:
  - date: {today}
    event: "TODO: what happened that day"
    visibility: internal     # or public, for public documents to say it

# Approved quotes: documents quote only from here.
quotes:
  - id: quote-1
    text: "TODO: the approved words, exactly"
    # by: a-person           # a person from candor.yaml; the organisation when absent
    visibility: internal     # or public, for public documents to say it

# For employees only: what they may say, whom to ask, what they will ask.
talking_points:
  - text: "TODO: something employees may say when asked"
contacts:
  - topic: "TODO: what to ask about"
    name: "TODO: who, or which team"
    reach: "TODO: how to reach them"
faq:
  - question: "TODO: a question employees are likely to ask"
    answer: "TODO: its answer"

# For the press Q&A, internal: likely questions, and lines not to cross.
press:
  questions:
    - question: "TODO: a question the press is likely to ask"
      answer: "TODO: the approved answer"
  red_lines:
    - "TODO: what spokespeople must not say or speculate on"

# The documents beyond the memo, statement and press Q&A that this case
# produces, each with its own sender or date if it has one:
# documents:
#   - kind: customer-notice  # also social-post, gdpr-art33-notice, gdpr-art34-notice, sec-8k-item-1-05
#     sender: a-person
#     date: {today}

# For the customer notice: what the decision means for customers.
# customers:
#   meaning: "what it means for them"
#   steps: ["what they can do"]
#   contact: "whom they can ask, and how"
#   visibility: internal     # or public, for public documents to say it

# For the social post: its text, and the statement it links to.
# social_post: "the post, written for the public"
# url: https://…

# For regulatory notices: the incident, when the case is about one.
# incident:
#   nature: "what happened, in plain words"
#   began: {today}
#   detected: {today}
#   aware: {today}           # when you became aware: GDPR's 72 hours start here
#   material: {today}        # when it was judged material: the SEC's four business days start here
#   scope: "what it reached"
#   data: ["the categories of personal data concerned"]
#   subjects: {what: "the people concerned", number: 100, approximate: true}
#   consequences: ["the likely consequences for them"]
#   contact: {name: "a contact point", role: "Data Protection Officer", email: "dpo@example.com"}
#   impact: "the material impact"
#   unknowns: ["what is not yet known"]
#   visibility: internal     # or public, for public documents to say it
"#;
