use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor, value::MapAccessDeserializer};

use super::{Date, Id, Principle, Spanned, Style, Timestamp, Visibility};

/// One decision to explain: a case file under `cases/`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The case's id; names its output folder.
    pub id: Spanned<Id>,
    /// The headline of every document.
    pub title: String,
    /// The publication date.
    pub date: Date,
    /// Where the case is in its lifecycle.
    #[serde(default)]
    pub status: Spanned<Status>,
    /// How this case's narrative documents are written, over the style of
    /// `candor.yaml` and of each document kind.
    #[serde(default)]
    pub style: Option<Style>,
    /// Held back from publication until this moment has passed.
    #[serde(default)]
    pub embargo: Option<Spanned<Timestamp>>,
    /// The id of an earlier case this one updates.
    #[serde(default)]
    pub updates: Option<Spanned<Id>>,
    /// Per-document senders and dates, where a document kind is sent by
    /// someone else or on another day than the case's `date`.
    #[serde(default, deserialize_with = "exact")]
    pub documents: Vec<DocumentOverride>,
    /// The organisation speaking, from `organisations` in `candor.yaml`;
    /// the default organisation when absent.
    #[serde(default)]
    pub organisation: Option<Spanned<Id>>,
    /// The person, from `candor.yaml`, who speaks for the organisation.
    #[serde(default)]
    pub spokesperson: Option<Spanned<Id>>,
    /// The decision in a few sentences: what the documents open with.
    pub summary: String,
    /// Paragraphs that are neither principle, finding nor action: framing
    /// ("like every company, we decide which services to offer"), regret,
    /// an admission. Each is printed in its place.
    #[serde(default, deserialize_with = "exact")]
    pub framing: Vec<Framing>,
    /// The principles at stake: ids from the library, or inline definitions.
    #[serde(default, deserialize_with = "exact")]
    pub principles: Vec<Spanned<PrincipleEntry>>,
    /// What prompted or informed the review.
    #[serde(default, deserialize_with = "exact")]
    pub sources: Vec<Source>,
    /// How the review was carried out.
    #[serde(default)]
    pub review: Option<Spanned<Review>>,
    /// The incident, when the case is about one: what regulatory notices
    /// are built from.
    #[serde(default)]
    pub incident: Option<Box<Spanned<Incident>>>,
    /// What the review found.
    #[serde(default, deserialize_with = "exact")]
    pub findings: Vec<Finding>,
    /// What the organisation did.
    #[serde(default, deserialize_with = "exact")]
    pub actions: Vec<Action>,
    /// Who is thanked, and for what.
    #[serde(default, deserialize_with = "exact")]
    pub acknowledgements: Vec<Spanned<Acknowledgement>>,
    /// What happens next.
    #[serde(default, deserialize_with = "exact")]
    pub next_steps: Vec<Spanned<NextStep>>,
    /// Dated events, in any order.
    #[serde(default, deserialize_with = "exact")]
    pub timeline: Vec<Spanned<TimelineEvent>>,
    /// Approved, attributed quotes: documents quote only from here.
    #[serde(default, deserialize_with = "exact")]
    pub quotes: Vec<Quote>,
    /// What employees may say when asked. Always internal.
    #[serde(default, deserialize_with = "exact")]
    pub talking_points: Vec<TalkingPoint>,
    /// Whom employees may say them to, in words that follow "If … asks
    /// you about this" ("a patient or anyone outside Northwind"): the memo
    /// says "someone outside the company" when absent. Always internal.
    #[serde(default)]
    pub talking_points_to: Option<String>,
    /// What customers need to know: for the customer notice.
    #[serde(default)]
    pub customers: Option<Box<Spanned<CustomerAdvice>>>,
    /// Questions the press is likely to ask, and lines not to cross. Always
    /// internal.
    #[serde(default)]
    pub press: Option<PressBriefing>,
    /// Where the public statement is published, for documents that link
    /// to it.
    #[serde(default)]
    pub url: Option<String>,
    /// The text of the social media post, written for the public; the
    /// link to the statement is added after it.
    #[serde(default)]
    pub social_post: Option<String>,
    /// Whom employees should send questions to. Always internal.
    #[serde(default, deserialize_with = "exact")]
    pub contacts: Vec<Contact>,
    /// Questions employees are likely to ask, with answers. Always internal.
    #[serde(default, deserialize_with = "exact")]
    pub faq: Vec<FaqEntry>,
}

/// Where a case is in its lifecycle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written.
    #[default]
    Draft,
    /// With reviewers.
    Review,
    /// Signed off.
    Approved,
    /// Sent or posted.
    Published,
    /// Taken back.
    Withdrawn,
}

impl Status {
    /// The status as written in a case file.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Approved => "approved",
            Status::Published => "published",
            Status::Withdrawn => "withdrawn",
        }
    }
}

/// Who sends one kind of document of a case, and when.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentOverride {
    /// The document kind.
    pub kind: Spanned<Id>,
    /// The person, from `candor.yaml`, who sends it.
    #[serde(default)]
    pub sender: Option<Spanned<Id>>,
    /// The date it carries.
    #[serde(default)]
    pub date: Option<Date>,
    /// How it is written, over every other choice of style.
    #[serde(default)]
    pub style: Option<Style>,
    /// The paragraph it opens with, in the sender's voice ("I want to let
    /// you know…"), before the news.
    #[serde(default)]
    pub opening: Option<String>,
    /// The news as this document tells it, in place of the case's
    /// `summary`: a memo tells staff in the sender's voice what the
    /// statement tells the public.
    #[serde(default)]
    pub summary: Option<String>,
    /// The paragraph it closes with, before the signature.
    #[serde(default)]
    pub closing: Option<String>,
}

/// A paragraph that frames the decision without being a principle, a
/// finding or an action.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framing {
    /// The paragraph's id.
    pub id: Spanned<Id>,
    /// The paragraph, as every document prints it.
    pub text: String,
    /// Where documents print it.
    #[serde(default)]
    pub at: Placement,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// Where in a document a framing paragraph goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// Right after the news.
    #[default]
    Opening,
    /// Before the principles.
    Principles,
    /// Before what was found.
    Findings,
    /// Before what was decided.
    Actions,
    /// Before the closing words.
    Closing,
}

impl Placement {
    /// The placement as written in a case file.
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Opening => "opening",
            Placement::Principles => "principles",
            Placement::Findings => "findings",
            Placement::Actions => "actions",
            Placement::Closing => "closing",
        }
    }
}

/// A principle a case rests on: either the id of one in the principles
/// library, or a definition written in the case itself.
#[derive(Debug, Clone)]
pub enum PrincipleEntry {
    /// `- no-mass-surveillance`
    Library(Id),
    /// `- id: …\n  statement: …`; boxed, as most entries are ids and an
    /// entry takes the room of its largest kind.
    Inline(Box<Principle>),
}

impl<'de> Deserialize<'de> for PrincipleEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;

        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = PrincipleEntry;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the id of a principle, or a principle with an id and a statement")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<PrincipleEntry, E> {
                Id::parse(text)
                    .map(PrincipleEntry::Library)
                    .map_err(E::custom)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PrincipleEntry, A::Error> {
                Principle::deserialize(MapAccessDeserializer::new(map))
                    .map(|principle| PrincipleEntry::Inline(Box::new(principle)))
            }
        }

        deserializer.deserialize_any(EntryVisitor)
    }
}

/// For editors: the id of a library principle, or a principle written out.
impl schemars::JsonSchema for PrincipleEntry {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PrincipleEntry".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The id of a principle in principles/, or a principle defined here.",
            "anyOf": [generator.subschema_for::<Id>(), generator.subschema_for::<Principle>()]
        })
    }
}

/// What prompted or informed the review.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Cited by findings and acknowledgements.
    pub id: Spanned<Id>,
    /// What kind of source it is.
    pub kind: SourceKind,
    /// Who published or filed it.
    pub publisher: String,
    /// Its title, as published.
    #[serde(default)]
    pub title: Option<String>,
    /// When it was published or received; left out when not known.
    #[serde(default)]
    pub date: Option<Date>,
    /// Where to read it.
    #[serde(default)]
    pub url: Option<String>,
    /// The allegation or request, in neutral words.
    pub claim: String,
    /// What the review made of the claim, in the author's words ("Our
    /// review confirmed what the research found about how the network
    /// worked."): letters say this in place of the sentence they would
    /// build from the `bearing` of the findings that cite the source.
    #[serde(default)]
    pub verdict: Option<String>,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// What kind of source prompted a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// Reporting by the press.
    PressReport,
    /// A complaint from a person or group.
    Complaint,
    /// A letter to the organisation that its authors published.
    OpenLetter,
    /// An audit, internal or external.
    Audit,
    /// A question or demand from a regulator.
    RegulatorInquiry,
    /// A report from the organisation's own staff or systems.
    InternalReport,
    /// Research published by others.
    Research,
    /// The organisation's own publication: a blog post, a status page, an
    /// earlier statement.
    OwnPublication,
    /// Anything else.
    Other,
}

impl SourceKind {
    /// The kind in words.
    pub fn as_words(self) -> &'static str {
        match self {
            SourceKind::PressReport => "press report",
            SourceKind::Complaint => "complaint",
            SourceKind::OpenLetter => "open letter",
            SourceKind::Audit => "audit",
            SourceKind::RegulatorInquiry => "regulator inquiry",
            SourceKind::InternalReport => "internal report",
            SourceKind::Research => "research",
            SourceKind::OwnPublication => "publication",
            SourceKind::Other => "report",
        }
    }
}

/// How the review was carried out.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// What the organisation calls it, as a noun: "investigation", "audit".
    /// Letters say "our review" when absent.
    #[serde(default)]
    pub called: Option<String>,
    /// When it began.
    pub opened: Spanned<Date>,
    /// Who carried it out: one name, or a list.
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(with = "OneOrMany")]
    pub conducted_by: Vec<String>,
    /// Whether it continues; documents say nothing of it when absent.
    #[serde(default)]
    pub state: Option<ReviewState>,
    /// What was looked at.
    #[serde(default, deserialize_with = "exact")]
    pub examined: Vec<Spanned<ScopeItem>>,
    /// What was deliberately not looked at, each with the principle that
    /// excludes it.
    #[serde(default, deserialize_with = "exact")]
    pub not_examined: Vec<Spanned<Exclusion>>,
    /// How it was carried out, in the author's words: who, what it looked
    /// at and left alone, whether it continues. Letters say this in place
    /// of the sentences they would build from the fields above, which
    /// the brief, `trace` and the checks still read.
    #[serde(default)]
    pub summary: Option<String>,
    /// Who may see that a review took place and how.
    #[serde(default)]
    pub visibility: Visibility,
}

/// One text, or a list of them.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// `conducted_by: Legal` and `conducted_by: [Legal, Security]` alike.
/// A list as written, in memory of exactly its length. YAML tells a
/// list's length only at its end, so a list read grows as it goes, to as
/// much as twice what it holds; ten thousand cases are held at once.
fn exact<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut list = Vec::<T>::deserialize(deserializer)?;
    list.shrink_to_fit();
    Ok(list)
}

fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct OneOrManyVisitor;

    impl<'de> Visitor<'de> for OneOrManyVisitor {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a name, or a list of names")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<String>, E> {
            Ok(vec![text.to_owned()])
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut names = Vec::new();
            while let Some(name) = seq.next_element::<String>()? {
                names.push(name);
            }
            Ok(names)
        }
    }

    deserializer.deserialize_any(OneOrManyVisitor)
}

/// Whether a review continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReviewState {
    /// Still under way.
    Ongoing,
    /// Finished.
    Concluded,
}

/// Something the review looked at.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeItem {
    /// What it was, in words: "our own business records".
    pub what: String,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// Something the review deliberately did not look at.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// What it was, in words: "customer content".
    pub what: String,
    /// The principle that kept the review away from it.
    #[serde(default)]
    pub principle: Option<Spanned<Id>>,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// What the review found.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Cited by actions.
    pub id: Spanned<Id>,
    /// The finding, as every document states it.
    pub statement: String,
    /// The sources whose claims the finding bears on.
    #[serde(default, deserialize_with = "exact")]
    pub sources: Vec<Spanned<Id>>,
    /// How the finding bears on those sources; documents say nothing of it
    /// when absent.
    #[serde(default)]
    pub bearing: Option<Bearing>,
    /// What the finding rests on.
    #[serde(default)]
    pub evidence: Option<String>,
    /// `false` when the statement names a fact not yet known ("whether any
    /// information was copied"): documents say so instead of asserting it.
    #[serde(default = "yes")]
    pub known: bool,
    /// In an update, the id of the finding of the earlier case that this
    /// one revises; documents show the old and the new text side by side.
    #[serde(default)]
    pub revises: Option<Spanned<Id>>,
    /// With `revises`, what the earlier communication said, in brief, as a
    /// clause: "the records of 18,240 patients had been viewed from about
    /// 14 February". Letters then say "We said … that …" and the new
    /// finding, instead of quoting the earlier finding whole; the brief
    /// style quotes it whole either way.
    #[serde(default)]
    pub said: Option<String>,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

fn yes() -> bool {
    true
}

/// How a finding bears on the claims of the sources it cites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Bearing {
    /// The finding supports the claim.
    Supports,
    /// The finding contradicts the claim.
    Contradicts,
    /// The evidence points neither way.
    Inconclusive,
    /// Not yet determined.
    Undetermined,
}

impl Bearing {
    /// The bearing as written in a case file.
    pub fn as_str(self) -> &'static str {
        match self {
            Bearing::Supports => "supports",
            Bearing::Contradicts => "contradicts",
            Bearing::Inconclusive => "inconclusive",
            Bearing::Undetermined => "undetermined",
        }
    }
}

/// What the organisation did, does or will do.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The action's id.
    pub id: Spanned<Id>,
    /// The action, as every document states it.
    pub statement: String,
    /// The principles that justify it.
    #[serde(default, deserialize_with = "exact")]
    pub principles: Vec<Spanned<Id>>,
    /// The findings that justify it.
    #[serde(default, deserialize_with = "exact")]
    pub findings: Vec<Spanned<Id>>,
    /// Sources the action answers, such as who made a declined demand.
    #[serde(default, deserialize_with = "exact")]
    pub sources: Vec<Spanned<Id>>,
    /// When it takes or took effect.
    #[serde(default)]
    pub effective: Option<Date>,
    /// Whether it is done, under way, planned, or a demand that was declined.
    #[serde(default)]
    pub state: ActionState,
    /// Why a declined demand was refused. Required when `state: declined`.
    #[serde(default)]
    pub reason: Option<String>,
    /// Standing principles this action is an exception to, each with why.
    #[serde(default, deserialize_with = "exact")]
    pub departs_from: Vec<Spanned<Departure>>,
    /// Principles that bound the decision without justifying it.
    #[serde(default, deserialize_with = "exact")]
    pub constrained_by: Vec<Spanned<Id>>,
    /// What the action does not cover or change.
    #[serde(default, deserialize_with = "exact")]
    pub limits: Vec<String>,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// An exception to a standing principle, which still stands.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Departure {
    /// The principle departed from.
    pub principle: Spanned<Id>,
    /// Why the exception is made. Required.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Whether an action is done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActionState {
    /// Carried out.
    #[default]
    Done,
    /// Under way.
    InProgress,
    /// Decided, not yet begun.
    Planned,
    /// A demand considered and refused.
    Declined,
}

impl ActionState {
    /// The state as written in a case file.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionState::Done => "done",
            ActionState::InProgress => "in-progress",
            ActionState::Planned => "planned",
            ActionState::Declined => "declined",
        }
    }
}

/// Thanks, and for what.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The thanks, in words.
    pub text: String,
    /// The source being thanked, if it is one.
    #[serde(default)]
    pub source: Option<Spanned<Id>>,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// Something that will happen next.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NextStep {
    /// What will happen.
    pub text: String,
    /// When, if known.
    #[serde(default)]
    pub date: Option<Date>,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// A dated event.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineEvent {
    /// When it happened.
    pub date: Date,
    /// What happened.
    pub event: String,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// An approved quote.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// The quote's id.
    pub id: Spanned<Id>,
    /// The words, exactly as approved.
    pub text: String,
    /// The person, from `candor.yaml`, who said it; the organisation when
    /// absent.
    #[serde(default)]
    pub by: Option<Spanned<Id>>,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// Something employees may say when asked. Always internal.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TalkingPoint {
    /// The point, in words.
    pub text: String,
}

/// Whom employees should send questions to. Always internal.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// What to ask them about.
    pub topic: String,
    /// Who, or which team.
    pub name: String,
    /// How to reach them.
    pub reach: String,
}

/// A question employees are likely to ask. Always internal.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    /// The question.
    pub question: String,
    /// The answer.
    pub answer: String,
}

/// A security or personal-data incident.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// What happened, in plain words.
    #[serde(default)]
    pub nature: Option<String>,
    /// When it began.
    #[serde(default)]
    pub began: Option<Date>,
    /// When it was detected.
    #[serde(default)]
    pub detected: Option<Date>,
    /// When the organisation became aware of a personal-data breach: the
    /// start of GDPR's 72 hours.
    #[serde(default)]
    pub aware: Option<Spanned<Date>>,
    /// When it was contained.
    #[serde(default)]
    pub contained: Option<Date>,
    /// What it reached: systems, services, operations.
    #[serde(default)]
    pub scope: Option<String>,
    /// When the organisation determined the incident material: the start of
    /// the SEC's four business days.
    #[serde(default)]
    pub material: Option<Spanned<Date>>,
    /// The categories of personal data concerned.
    #[serde(default, deserialize_with = "exact")]
    pub data: Vec<String>,
    /// The people concerned: who, and about how many.
    #[serde(default)]
    pub subjects: Option<Count>,
    /// The records concerned: what, and about how many.
    #[serde(default)]
    pub records: Option<Count>,
    /// The likely consequences for the people concerned.
    #[serde(default, deserialize_with = "exact")]
    pub consequences: Vec<String>,
    /// The data protection officer or other contact point.
    #[serde(default)]
    pub contact: Option<ContactPoint>,
    /// The supervisory authority or regulator notified.
    #[serde(default)]
    pub authority: Option<String>,
    /// The material impact, or reasonably likely material impact, including
    /// on financial condition and results of operations.
    #[serde(default)]
    pub impact: Option<String>,
    /// Why a notification comes later than the law asks, if it does.
    #[serde(default)]
    pub delay_reason: Option<String>,
    /// What is not yet known, to be given later.
    #[serde(default, deserialize_with = "exact")]
    pub unknowns: Vec<String>,
    /// Who may see it. Notices to regulators and the public are rendered
    /// from public items, so an incident they describe must be public.
    #[serde(default)]
    pub visibility: Visibility,
}

/// How many of something, and what they are.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Count {
    /// What is counted: "patients of Northwind Health".
    pub what: String,
    /// About how many, when known.
    #[serde(default)]
    pub number: Option<u64>,
    /// Whether the number is an estimate.
    #[serde(default)]
    pub approximate: bool,
}

/// A contact point for regulators and the people affected.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactPoint {
    /// Name, or the office's name.
    pub name: String,
    /// Role, such as "Data Protection Officer".
    #[serde(default)]
    pub role: Option<String>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<String>,
}

/// What customers need to know.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerAdvice {
    /// What the decision or incident means for them.
    pub meaning: String,
    /// What they can do.
    #[serde(default, deserialize_with = "exact")]
    pub steps: Vec<String>,
    /// The words that lead into the steps in a statement, when "If you
    /// are affected, here is what you can do:" does not fit those who
    /// read it ("If you buy from us, please:").
    #[serde(default)]
    pub steps_intro: Option<String>,
    /// Whom they can contact, and how.
    #[serde(default)]
    pub contact: Option<String>,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

/// The press briefing: internal.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PressBriefing {
    /// Likely questions with approved answers.
    #[serde(default, deserialize_with = "exact")]
    pub questions: Vec<FaqEntry>,
    /// What spokespeople must not say or speculate on.
    #[serde(default, deserialize_with = "exact")]
    pub red_lines: Vec<String>,
}
