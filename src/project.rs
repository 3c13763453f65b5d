//! The audience projection: the leak boundary.
//!
//! A template never sees a case. It sees a [`View`]: a copy of the case
//! holding only what the document's audience may see, with every reference
//! resolved and every citable item labelled. For a public document, internal
//! items are not hidden; they are absent, so no template can reach them.
//!
//! Labels and footnote numbers are assigned over the whole case with public
//! items first, so every document of a case numbers the same item the same
//! way, and public documents show no gaps where internal items were removed.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{
    ActionState, Audience, Case, Date, DocumentKind, DocumentOverride, Id, Locale, Person,
    Principle, Since, Source, Style, Visibility,
};
use crate::validate::{Checked, CheckedCase};

/// What a template sees: one case, as one audience may see it.
#[derive(Debug, Clone, Serialize)]
pub struct View<'a> {
    /// `public` or `internal`.
    pub audience: &'static str,
    /// The organisation speaking.
    pub organisation: OrganisationView<'a>,
    /// The document being rendered.
    pub document: DocumentView<'a>,
    /// For an update: the earlier communication and what changed since.
    pub update: Option<UpdateView<'a>>,
    /// The case's own fields.
    pub case: CaseView<'a>,
    /// Who signs, if anyone.
    pub spokesperson: Option<PersonView<'a>>,
    /// The principles at stake, by label.
    pub principles: Vec<PrincipleView<'a>>,
    /// The sources, by footnote number.
    pub sources: Vec<SourceView<'a>>,
    /// The review, if this audience may see it.
    pub review: Option<ReviewView<'a>>,
    /// The findings, by label.
    pub findings: Vec<FindingView<'a>>,
    /// Framing paragraphs, in the order written, each with where it goes.
    pub framing: Vec<FramingView<'a>>,
    /// What the findings say of the reporting, complaints and research that
    /// prompted them: sources whose claims may be said to be borne out or
    /// not. An attacker's claim or the organisation's own report is never
    /// among them.
    pub bearings: BearingsView<'a>,
    /// The actions, by label, declined demands included.
    pub actions: Vec<ActionView<'a>>,
    /// The declined demands alone, by label: also in `actions`.
    pub declined: Vec<ActionView<'a>>,
    /// Thanks.
    pub acknowledgements: Vec<AcknowledgementView<'a>>,
    /// What happens next.
    pub next_steps: Vec<NextStepView<'a>>,
    /// Dated events, earliest first.
    pub timeline: Vec<TimelineView<'a>>,
    /// Approved quotes.
    pub quotes: Vec<QuoteView<'a>>,
    /// The incident, if the case has one this audience may see.
    pub incident: Option<IncidentView<'a>>,
    /// What customers need to know, if this audience may see it.
    pub customers: Option<CustomerView<'a>>,
    /// Internal only: likely press questions and lines not to cross.
    pub press: Option<PressView<'a>>,
    /// Internal only: the texts of internal findings, actions and sources,
    /// which spokespeople must not disclose.
    pub not_for_disclosure: Vec<Cow<'a, str>>,
    /// Internal only: what employees may say.
    pub talking_points: Vec<&'a str>,
    /// Internal only: whom they may say it to, in words.
    pub talking_points_to: Option<&'a str>,
    /// Internal only: whom to ask.
    pub contacts: Vec<ContactView<'a>>,
    /// Internal only: likely questions and their answers.
    pub faq: Vec<FaqView<'a>>,
    /// Internal only: the same case as a public document sees it, for what
    /// may be said outside (the press answers). Absent in public documents.
    pub public: Option<Box<View<'a>>>,
    /// What the projection depends on beyond the case: documents of the
    /// same case made for the same of these see the same items.
    #[serde(skip)]
    pub(crate) made_for: MadeFor,
}

/// What a projection depends on beyond the case and its kind's own
/// document fields: who reads it, the language its dates are written in,
/// and the date it is written as of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MadeFor {
    pub(crate) audience: Audience,
    pub(crate) locale: Locale,
    pub(crate) as_of: Date,
}

/// The organisation.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationView<'a> {
    /// Its name.
    pub name: &'a str,
    /// Whether `candor.yaml` names it; when not, `name` is a stand-in
    /// that documents avoid printing.
    pub named: bool,
    /// What its people call it in running text: `Meridale`.
    pub short_name: &'a str,
}

/// The document kind being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView<'a> {
    /// The kind's id.
    pub kind: &'a str,
    /// What the document is called.
    pub title: Option<&'a str>,
    /// The date it carries: the case's, unless the case gives this kind
    /// its own.
    pub date: DateView,
    /// `letter` or `brief`.
    pub style: &'static str,
    /// The language tag dates are written in: `en-GB`, `en-US`.
    pub locale: &'static str,
    /// The paragraph it opens with, in the sender's voice.
    pub opening: Option<&'a str>,
    /// The news as it tells it: its own `summary`, or the case's.
    pub summary: &'a str,
    /// The paragraph it closes with.
    pub closing: Option<&'a str>,
}

/// The sources the findings bear on, by how.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BearingsView<'a> {
    /// Sources some finding supports.
    pub supports: Vec<SourceRef<'a>>,
    /// Sources some finding contradicts.
    pub contradicts: Vec<SourceRef<'a>>,
    /// Sources some finding can neither confirm nor refute.
    pub inconclusive: Vec<SourceRef<'a>>,
    /// Sources some findings support and others contradict: borne out in
    /// part. They are in neither `supports` nor `contradicts`.
    pub in_part: Vec<SourceRef<'a>>,
    /// Sources a visible finding cites whose case gives what the review
    /// made of them in its own words. They are in none of the lists above.
    pub told: Vec<VerdictView<'a>>,
}

/// What the review made of a source's claim, in the author's words.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictView<'a> {
    /// The source.
    pub source: SourceRef<'a>,
    /// The author's sentence.
    pub verdict: &'a str,
}

/// A paragraph that frames the decision.
#[derive(Debug, Clone, Serialize)]
pub struct FramingView<'a> {
    /// Its id.
    pub id: &'a str,
    /// The paragraph.
    pub text: &'a str,
    /// Where it goes: `opening`, `principles`, `findings`, `actions` or
    /// `closing`.
    pub at: &'static str,
}

/// The case's own fields.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView<'a> {
    /// The case's id.
    pub id: &'a str,
    /// The headline.
    pub title: &'a str,
    /// Publication date.
    pub date: DateView,
    /// Lifecycle status.
    pub status: &'static str,
    /// The decision in brief.
    pub summary: &'a str,
    /// Where the public statement is published.
    pub url: Option<&'a str>,
    /// The social media post's text.
    pub social_post: Option<&'a str>,
    /// The public statement as it is published, which the memo ends with.
    pub statement: StatementView<'a>,
}

/// What the public statement says in its own voice, beyond the case's
/// items: who signs it, and its own opening and closing paragraphs.
#[derive(Debug, Clone, Serialize)]
pub struct StatementView<'a> {
    /// Who signs it.
    pub spokesperson: Option<PersonView<'a>>,
    /// Its opening paragraph, if it has one.
    pub opening: Option<&'a str>,
    /// The news as it tells it: its own `summary`, or the case's.
    pub summary: &'a str,
    /// Its closing paragraph, if it has one.
    pub closing: Option<&'a str>,
}

/// A date, ready to write.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2025-08-06`, `2025-08` or `2025`.
    pub iso: String,
    /// `6 August 2025`, `April 2022`, `about 22 March 2022`.
    pub text: String,
    /// `on 6 August 2025`, `in April 2022`, `on or about 22 March 2022`.
    pub phrase: String,
    /// `text` as a letter written the same year says it: `6 August`,
    /// `April`, `about 22 March`; with the year when it is another.
    pub short_text: String,
    /// `phrase` as a letter written the same year says it: `on 6 August`,
    /// `in April`; with the year when it is another.
    pub short_phrase: String,
    /// Whether the date is approximate.
    pub approximate: bool,
}

impl DateView {
    /// `date` as `locale` writes it in a document of `year`.
    pub fn new(date: &Date, locale: Locale, year: u16) -> Self {
        let words = date.text_in(locale);
        let short_words = date.text_within(locale, year);
        let about = |words: &str| {
            if date.is_approximate() {
                ["about ", words].concat()
            } else {
                words.to_owned()
            }
        };
        DateView {
            iso: date.iso(),
            text: about(&words),
            phrase: date.phrase_from(&words),
            short_text: about(&short_words),
            short_phrase: date.phrase_from(&short_words),
            approximate: date.is_approximate(),
        }
    }
}

/// A person who speaks or is quoted.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView<'a> {
    /// The id `candor.yaml` gives them.
    pub id: &'a str,
    /// Full name.
    pub name: &'a str,
    /// Role.
    pub title: &'a str,
}

impl<'a> From<&'a Person> for PersonView<'a> {
    fn from(person: &'a Person) -> Self {
        PersonView {
            id: person.id.value.as_str(),
            name: &person.name,
            title: &person.title,
        }
    }
}

/// A principle.
#[derive(Debug, Clone, Serialize)]
pub struct PrincipleView<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its stable label: `P1`.
    pub label: String,
    /// Its short name, if it has one.
    pub title: Option<&'a str>,
    /// The principle, worded as in the library.
    pub statement: &'a str,
    /// Where it is written down.
    pub basis: Option<&'a str>,
    /// Since when it has been held, when that is a date.
    pub since: Option<DateView>,
    /// How long it has been held, as a phrase that follows "held":
    /// `since May 2002`, `for more than two decades`.
    pub held: Option<Cow<'a, str>>,
    /// Its title, or a short form of its statement, for prose that names it.
    pub name: &'a str,
    /// In an update, whether the earlier case already stated it.
    pub earlier: bool,
    /// Whether a refusal resting on it already says it in its own words
    /// ("We will not pay the attackers…" for "We do not pay criminals…"),
    /// so that a letter does not state it again.
    pub introduced: bool,
}

/// A reference to a principle, from an action or an exclusion.
#[derive(Debug, Clone, Serialize)]
pub struct PrincipleRef<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its label.
    pub label: String,
    /// Its short name, or its statement when it has none.
    pub name: &'a str,
}

/// A source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its footnote number, the same in every document of the case.
    pub footnote: usize,
    /// The kind, as written: `press-report`.
    pub kind: &'static str,
    /// The kind in words: `press report`.
    pub kind_words: &'static str,
    /// Who published it.
    pub publisher: &'a str,
    /// What happened, as a clause: `The Guardian published a press report`,
    /// `we received a complaint from a patient`.
    pub event: String,
    /// Whether the source comes from the earlier case this one updates.
    pub earlier: bool,
    /// Whether it may be cited in public.
    pub public: bool,
    /// Its title.
    pub title: Option<&'a str>,
    /// When, if known.
    pub date: Option<DateView>,
    /// The date in ISO form, or `~` when not known, to sort by in prose.
    pub sort_date: String,
    /// Where to read it.
    pub url: Option<&'a str>,
    /// The claim, in neutral words.
    pub claim: &'a str,
}

/// A reference to a source: its footnote.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRef<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its footnote number.
    pub footnote: usize,
    /// Who published it.
    pub publisher: &'a str,
    /// The kind, as written: `press-report`.
    pub kind: &'static str,
    /// The kind in words: `press report`.
    pub kind_words: &'static str,
    /// The source as prose names what it claims: `the reporting by The
    /// Guardian`, `the complaint from a patient`.
    pub reference: String,
}

/// The review.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewView<'a> {
    /// What it is called, as a noun: "review" unless the case says.
    pub called: &'a str,
    /// When it began.
    pub opened: DateView,
    /// Who carried it out, in the order written.
    pub conducted_by: Vec<&'a str>,
    /// `ongoing` or `concluded`; absent when the case does not say.
    pub state: Option<&'static str>,
    /// What was looked at.
    pub examined: Vec<&'a str>,
    /// What was not looked at, and why.
    pub not_examined: Vec<ExclusionView<'a>>,
    /// How it was carried out, in the author's words, when given.
    pub summary: Option<&'a str>,
}

/// Something the review did not look at.
#[derive(Debug, Clone, Serialize)]
pub struct ExclusionView<'a> {
    /// What.
    pub what: &'a str,
    /// The principle that excluded it.
    pub principle: Option<PrincipleRef<'a>>,
}

/// A finding.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its stable label: `F1`.
    pub label: String,
    /// Whether it may be stated in public.
    pub public: bool,
    /// The finding.
    pub statement: &'a str,
    /// `supports`, `contradicts`, `inconclusive` or `undetermined`;
    /// absent when the case does not say.
    pub bearing: Option<&'static str>,
    /// What it rests on.
    pub evidence: Option<&'a str>,
    /// `false` when the statement names something not yet known.
    pub known: bool,
    /// The finding of the earlier case it revises, if visible here.
    pub revises: Option<RevisionView<'a>>,
    /// With `revises`, what the earlier communication said, in brief.
    pub said: Option<&'a str>,
    /// The sources it bears on.
    pub sources: Vec<SourceRef<'a>>,
    /// The ids of the actions it is the last justification of, in order: a
    /// letter states each action right after the findings it rests on.
    pub followed_by: Vec<&'a str>,
}

/// A reference to a finding, from an action.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRef<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its label.
    pub label: String,
}

/// An action.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its stable label: `A1`.
    pub label: String,
    /// Whether it may be stated in public.
    pub public: bool,
    /// The action.
    pub statement: &'a str,
    /// `done`, `in-progress`, `planned` or `declined`.
    pub state: &'static str,
    /// Whether this is a demand that was refused.
    pub declined: bool,
    /// Why a declined demand was refused.
    pub reason: Option<&'a str>,
    /// When it takes effect.
    pub effective: Option<DateView>,
    /// Whether its words already say when it takes effect, so that a
    /// letter need not.
    pub says_when: bool,
    /// The principles that justify it (or, when declined, the refusal).
    pub principles: Vec<PrincipleRef<'a>>,
    /// The findings that justify it.
    pub findings: Vec<FindingRef<'a>>,
    /// The sources it answers.
    pub sources: Vec<SourceRef<'a>>,
    /// The standing principles it is an exception to, and why.
    pub departs_from: Vec<DepartureView<'a>>,
    /// Principles that bound the decision without justifying it.
    pub constrained_by: Vec<PrincipleRef<'a>>,
    /// What it does not cover or change.
    pub limits: Vec<&'a str>,
    /// The id of the last of its findings this audience sees, in finding
    /// order, after which a letter states it; absent when it rests on none.
    pub after_finding: Option<&'a str>,
}

/// An incident, ready to write, with the deadlines it sets.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentView<'a> {
    /// What happened.
    pub nature: Option<&'a str>,
    /// When it began.
    pub began: Option<DateView>,
    /// When it was detected.
    pub detected: Option<DateView>,
    /// When the organisation became aware of it.
    pub aware: Option<DateView>,
    /// When it was contained.
    pub contained: Option<DateView>,
    /// What it reached.
    pub scope: Option<&'a str>,
    /// When it was determined material.
    pub material: Option<DateView>,
    /// Categories of personal data.
    pub data: Vec<&'a str>,
    /// The people concerned.
    pub subjects: Option<CountView<'a>>,
    /// The records concerned.
    pub records: Option<CountView<'a>>,
    /// Likely consequences.
    pub consequences: Vec<&'a str>,
    /// The contact point.
    pub contact: Option<ContactPointView<'a>>,
    /// The authority notified.
    pub authority: Option<&'a str>,
    /// The material impact.
    pub impact: Option<&'a str>,
    /// Why a notification is late.
    pub delay_reason: Option<&'a str>,
    /// What is not yet known.
    pub unknowns: Vec<&'a str>,
    /// GDPR Art. 33: 72 hours from awareness, as a day.
    pub gdpr_art33_due: Option<DateView>,
    /// SEC 8-K Item 1.05: four business days from the materiality
    /// determination.
    pub sec_8k_due: Option<DateView>,
}

/// A count: what, and about how many.
#[derive(Debug, Clone, Serialize)]
pub struct CountView<'a> {
    /// What is counted.
    pub what: &'a str,
    /// How many, when known: "about 18,240", or null.
    pub number: Option<String>,
}

/// A contact point.
#[derive(Debug, Clone, Serialize)]
pub struct ContactPointView<'a> {
    /// Name.
    pub name: &'a str,
    /// Role.
    pub role: Option<&'a str>,
    /// Email.
    pub email: Option<&'a str>,
    /// Telephone.
    pub phone: Option<&'a str>,
    /// Postal address.
    pub address: Option<&'a str>,
}

/// What customers need to know.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerView<'a> {
    /// What it means for them.
    pub meaning: &'a str,
    /// What they can do.
    pub steps: Vec<&'a str>,
    /// What leads into the steps, in the author's words.
    pub steps_intro: Option<&'a str>,
    /// Whom to contact.
    pub contact: Option<&'a str>,
}

/// The press briefing.
#[derive(Debug, Clone, Serialize)]
pub struct PressView<'a> {
    /// Likely questions with approved answers.
    pub questions: Vec<FaqView<'a>>,
    /// What not to say.
    pub red_lines: Vec<&'a str>,
}

/// An exception to a principle that still stands.
#[derive(Debug, Clone, Serialize)]
pub struct DepartureView<'a> {
    /// The principle.
    pub principle: PrincipleRef<'a>,
    /// Why the exception is made.
    pub reason: &'a str,
}

/// The earlier text of a revised finding.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionView<'a> {
    /// The earlier finding's id.
    pub id: &'a str,
    /// What the earlier communication said.
    pub statement: &'a str,
    /// Whether that was stated as known.
    pub known: bool,
}

/// What an update changes since the earlier communication.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateView<'a> {
    /// The case this one updates.
    pub earlier: EarlierView<'a>,
    /// Each revised finding, old and new.
    pub changes: Vec<ChangeView<'a>>,
}

/// The earlier case an update follows.
#[derive(Debug, Clone, Serialize)]
pub struct EarlierView<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// When it was published.
    pub date: DateView,
}

/// One revised finding: what was said, and what is said now.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView<'a> {
    /// The new finding's label.
    pub label: String,
    /// The new finding's id.
    pub id: &'a str,
    /// The earlier text.
    pub before: &'a str,
    /// What the earlier communication said, in brief, when the case gives
    /// it.
    pub said: Option<&'a str>,
    /// Whether the earlier text was stated as known.
    pub before_known: bool,
    /// The text now.
    pub now: &'a str,
    /// Whether it is now known.
    pub now_known: bool,
}

/// Thanks.
#[derive(Debug, Clone, Serialize)]
pub struct AcknowledgementView<'a> {
    /// The thanks.
    pub text: &'a str,
    /// The source thanked.
    pub source: Option<SourceRef<'a>>,
}

/// A next step.
#[derive(Debug, Clone, Serialize)]
pub struct NextStepView<'a> {
    /// What.
    pub text: &'a str,
    /// When.
    pub date: Option<DateView>,
    /// Whether its words already say when, so that a letter need not.
    pub says_when: bool,
    /// Whether it may be said in public.
    pub public: bool,
}

/// A dated event.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineView<'a> {
    /// When.
    pub date: DateView,
    /// What.
    pub event: &'a str,
}

/// An approved quote.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView<'a> {
    /// Its id.
    pub id: &'a str,
    /// The words.
    pub text: &'a str,
    /// Whether the quote may be used in public.
    pub public: bool,
    /// Who said it; the organisation when no person is named.
    pub by: &'a str,
    /// The id of the person who said it, from `candor.yaml`; absent when
    /// the organisation speaks. A letter signed by that person does not
    /// quote them to themselves.
    pub by_id: Option<&'a str>,
    /// Their role, when a person said it.
    pub by_title: Option<&'a str>,
    /// Whether its words are already those of the summary, a principle, a
    /// finding or an action, so that a letter need not say them twice.
    pub repeats: bool,
}

/// A contact.
#[derive(Debug, Clone, Serialize)]
pub struct ContactView<'a> {
    /// What to ask about.
    pub topic: &'a str,
    /// Whom.
    pub name: &'a str,
    /// How.
    pub reach: &'a str,
}

/// A question and answer.
#[derive(Debug, Clone, Serialize)]
pub struct FaqView<'a> {
    /// The question.
    pub question: &'a str,
    /// The answer.
    pub answer: &'a str,
}

/// Labels and footnote numbers for one case, shared by all its documents.
struct Numbering {
    principles: BTreeMap<Id, String>,
    findings: BTreeMap<Id, String>,
    actions: BTreeMap<Id, String>,
    footnotes: BTreeMap<Id, usize>,
}

impl Numbering {
    fn of(checked: &CheckedCase<'_>, sources: &[CaseSource<'_>]) -> Numbering {
        let case = checked.case;
        fn labels<'a>(
            prefix: &str,
            items: impl Iterator<Item = (&'a Id, Visibility)> + Clone,
        ) -> BTreeMap<Id, String> {
            let mut labels = BTreeMap::new();
            let public = items.clone().filter(|(_, v)| *v == Visibility::Public);
            let internal = items.filter(|(_, v)| *v == Visibility::Internal);
            for (id, _) in public.chain(internal) {
                let next = labels.len() + 1;
                labels
                    .entry(id.clone())
                    .or_insert_with(|| format!("{prefix}{next}"));
            }
            labels
        }
        let principles = labels(
            "P",
            checked
                .principles
                .iter()
                .map(|p| (&p.id.value, p.visibility)),
        );
        let findings = labels(
            "F",
            case.findings.iter().map(|f| (&f.id.value, f.visibility)),
        );
        let actions = labels(
            "A",
            case.actions.iter().map(|a| (&a.id.value, a.visibility)),
        );

        // Sources are numbered in date order, public before internal: the
        // order in which documents first cite them, since every document
        // opens by saying what prompted the review. A stable sort keeps
        // sources of the same date in the order written.
        let mut ordered: Vec<&CaseSource<'_>> = sources.iter().collect();
        // Publications (with a title or an address) come before what was
        // only received, such as a complaint or an internal alert, which a
        // letter does not footnote; a source of unknown date comes after
        // the dated ones.
        ordered.sort_by_key(|s| {
            (
                s.visibility != Visibility::Public,
                s.source.title.is_none() && s.source.url.is_none(),
                s.source
                    .date
                    .as_ref()
                    .map_or((u16::MAX, 0, 0), Date::earliest),
            )
        });
        let footnotes = ordered
            .iter()
            .enumerate()
            .map(|(index, s)| (s.source.id.value.clone(), index + 1))
            .collect();
        Numbering {
            principles,
            findings,
            actions,
            footnotes,
        }
    }
}

/// The style and locale a document is written in. The style: the case's
/// choice for that document, then the case's, the kind's, the
/// repository's. The locale: the kind's, then the speaking organisation's,
/// then the repository's.
pub fn style_of(checked: &Checked<'_>, case: &Case, kind: &DocumentKind) -> (Style, Locale) {
    let settings = &checked.repository.settings.value;
    let override_for_kind = case
        .documents
        .iter()
        .find(|d| d.kind.value == kind.id.value);
    let style = override_for_kind
        .and_then(|o| o.style)
        .or(case.style)
        .or(kind.style)
        .or(settings.style)
        .unwrap_or_default();
    let organisation_locale = match &case.organisation {
        Some(id) => settings
            .organisations
            .iter()
            .find(|o| o.id.value == id.value)
            .and_then(|o| o.locale),
        None => settings.organisation.locale,
    };
    let locale = kind
        .locale
        .or(organisation_locale)
        .or(settings.locale)
        .unwrap_or_default();
    (style, locale)
}

/// Builds what `kind`'s template may see of `case`.
pub fn project<'a>(
    checked: &'a Checked<'a>,
    case: &'a CheckedCase<'a>,
    kind: &'a DocumentKind,
) -> View<'a> {
    Projector::new(checked, case).project(kind)
}

/// What every projection of one case shares, worked out once for all its
/// documents: the labels and footnote numbers, the sources it may cite,
/// and the words of what it says, to tell whether a quote repeats it.
pub struct Projector<'a> {
    checked: &'a Checked<'a>,
    case: &'a CheckedCase<'a>,
    numbering: Numbering,
    sources: Vec<CaseSource<'a>>,
    /// Whether each of the case's quotes, in order, repeats what the
    /// case says: worked out once, for every document that shows them.
    repeats: OnceCell<Vec<bool>>,
}

impl<'a> Projector<'a> {
    /// Prepares the projections of `case`.
    pub fn new(checked: &'a Checked<'a>, case: &'a CheckedCase<'a>) -> Projector<'a> {
        let sources = all_sources(case);
        Projector {
            checked,
            case,
            numbering: Numbering::of(case, &sources),
            sources,
            repeats: OnceCell::new(),
        }
    }

    /// What `kind`'s template may see of the case.
    pub fn project(&self, kind: &'a DocumentKind) -> View<'a> {
        let mut view = self.project_for(kind, kind.audience);
        if kind.audience == Audience::Internal {
            // What may be said outside, for internal documents that brief
            // spokespeople: the projection a public document would get.
            view.public = Some(Box::new(self.project_for(kind, Audience::Public)));
        }
        view
    }

    /// The projection of the case for `audience`, through `kind`.
    fn project_for(&self, kind: &'a DocumentKind, audience: Audience) -> View<'a> {
        let (checked, case) = (self.checked, self.case);
        let raw: &'a Case = case.case;
        let (style, locale) = style_of(checked, raw, kind);
        let override_for_kind = raw.documents.iter().find(|d| d.kind.value == kind.id.value);
        let document_date = override_for_kind
            .and_then(|o| o.date.as_ref())
            .unwrap_or(&raw.date);
        let projection = Projection {
            case,
            audience,
            numbering: &self.numbering,
            locale,
            as_of: *document_date,
            sources: &self.sources,
        };
        let visible = |v: Visibility| v.visible_to(audience);

        let mut findings = projection.findings();
        let mut actions = projection.actions();
        let mut principles = projection.principles();
        place_actions_after_findings(&mut findings, &mut actions);
        introduce_principles(&actions, &mut principles);
        let organisation = self.organisation();
        let briefing = Briefing::of(raw, audience);
        View {
            audience: audience.as_str(),
            document: DocumentView {
                kind: kind.id.as_str(),
                title: kind.title.as_deref(),
                date: projection.date(document_date),
                style: style.as_str(),
                locale: locale.tag(),
                opening: override_for_kind.and_then(|o| o.opening.as_deref()),
                summary: override_for_kind
                    .and_then(|o| o.summary.as_deref())
                    .unwrap_or(&raw.summary),
                closing: override_for_kind.and_then(|o| o.closing.as_deref()),
            },
            update: projection.update(&findings),
            case: CaseView {
                id: raw.id.as_str(),
                title: &raw.title,
                date: projection.date(&raw.date),
                status: raw.status.as_str(),
                summary: &raw.summary,
                url: raw.url.as_deref(),
                social_post: raw.social_post.as_deref(),
                statement: statement_of(checked, raw),
            },
            spokesperson: sender_of(checked, raw, override_for_kind),
            principles,
            sources: projection.sources(),
            review: projection.review(),
            bearings: projection.bearings(&findings),
            findings,
            framing: projection.framing(),
            declined: actions.iter().filter(|a| a.declined).cloned().collect(),
            actions,
            acknowledgements: projection.acknowledgements(),
            next_steps: projection.next_steps(),
            timeline: projection.timeline(),
            quotes: self.quotes(audience, organisation.name),
            incident: raw
                .incident
                .as_ref()
                .filter(|i| visible(i.visibility))
                .map(|i| incident_view(&i.value, locale, projection.as_of.year())),
            customers: raw
                .customers
                .as_ref()
                .filter(|c| visible(c.visibility))
                .map(|c| CustomerView {
                    meaning: &c.meaning,
                    steps: c.steps.iter().map(String::as_str).collect(),
                    steps_intro: c.steps_intro.as_deref(),
                    contact: c.contact.as_deref(),
                }),
            organisation,
            press: briefing.press,
            not_for_disclosure: briefing.not_for_disclosure,
            talking_points: briefing.talking_points,
            talking_points_to: briefing.talking_points_to,
            contacts: briefing.contacts,
            faq: briefing.faq,
            public: None,
            made_for: MadeFor {
                audience,
                locale,
                as_of: *document_date,
            },
        }
    }

    /// The organisation speaking: the one the case names, or the
    /// repository's.
    fn organisation(&self) -> OrganisationView<'a> {
        let settings = &self.checked.repository.settings.value;
        let named_organisation = self.case.case.organisation.as_ref().and_then(|id| {
            settings
                .organisations
                .iter()
                .find(|o| o.id.value == id.value)
        });
        let name = named_organisation.map_or(settings.organisation.name.as_str(), |o| &o.name);
        let short_name = named_organisation
            .map_or(settings.organisation.short_name.as_deref(), |o| {
                o.short_name.as_deref()
            })
            .unwrap_or(name);
        OrganisationView {
            name,
            named: named_organisation.is_some()
                || settings.organisation.name != crate::model::Organisation::default().name,
            short_name,
        }
    }

    /// The approved quotes `audience` may see; a quote no person is named
    /// for is the organisation's, `organisation`.
    fn quotes(&self, audience: Audience, organisation: &'a str) -> Vec<QuoteView<'a>> {
        let repeats = self.repeats.get_or_init(|| self.repeats_the_case());
        self.case
            .case
            .quotes
            .iter()
            .zip(repeats)
            .filter(|(q, _)| q.visibility.visible_to(audience))
            .map(|(q, &repeats)| {
                let person = q.by.as_ref().and_then(|by| self.checked.person(&by.value));
                QuoteView {
                    id: q.id.as_str(),
                    text: &q.text,
                    public: q.visibility == Visibility::Public,
                    by: person.map_or(organisation, |p| p.name.as_str()),
                    by_id: q.by.as_ref().map(|by| by.value.as_str()),
                    by_title: person.map(|p| p.title.as_str()),
                    repeats,
                }
            })
            .collect()
    }

    /// Whether each quote of the case, in order, says word for word what
    /// the case's summary, a principle, a finding or an action already
    /// says.
    fn repeats_the_case(&self) -> Vec<bool> {
        let case = self.case;
        if case.case.quotes.is_empty() {
            return Vec::new();
        }
        let said: Vec<String> = std::iter::once(case.case.summary.as_str())
            .chain(case.principles.iter().map(|p| p.statement.as_str()))
            .chain(case.case.findings.iter().map(|f| f.statement.as_str()))
            .chain(case.case.actions.iter().map(|a| a.statement.as_str()))
            .map(words)
            .collect();
        case.case
            .quotes
            .iter()
            .map(|quote| {
                let quote = words(&quote.text);
                said.iter().any(|said| said.contains(&quote))
            })
            .collect()
    }
}

/// What only internal documents carry: the press briefing, what must not
/// be disclosed, what employees may say, whom to ask and the FAQ. Empty
/// for a public document.
struct Briefing<'a> {
    press: Option<PressView<'a>>,
    not_for_disclosure: Vec<Cow<'a, str>>,
    talking_points: Vec<&'a str>,
    talking_points_to: Option<&'a str>,
    contacts: Vec<ContactView<'a>>,
    faq: Vec<FaqView<'a>>,
}

impl<'a> Briefing<'a> {
    fn of(raw: &'a Case, audience: Audience) -> Briefing<'a> {
        if audience != Audience::Internal {
            return Briefing {
                press: None,
                not_for_disclosure: Vec::new(),
                talking_points: Vec::new(),
                talking_points_to: None,
                contacts: Vec::new(),
                faq: Vec::new(),
            };
        }
        Briefing {
            press: raw.press.as_ref().map(|p| PressView {
                questions: p
                    .questions
                    .iter()
                    .map(|q| FaqView {
                        question: &q.question,
                        answer: &q.answer,
                    })
                    .collect(),
                red_lines: p.red_lines.iter().map(String::as_str).collect(),
            }),
            not_for_disclosure: not_for_disclosure(raw),
            talking_points: raw.talking_points.iter().map(|t| t.text.as_str()).collect(),
            talking_points_to: raw.talking_points_to.as_deref(),
            contacts: raw
                .contacts
                .iter()
                .map(|c| ContactView {
                    topic: &c.topic,
                    name: &c.name,
                    reach: &c.reach,
                })
                .collect(),
            faq: raw
                .faq
                .iter()
                .map(|f| FaqView {
                    question: &f.question,
                    answer: &f.answer,
                })
                .collect(),
        }
    }
}

/// Text as a quote is compared with what the case says: white space
/// folded, lower case.
fn words(text: &str) -> String {
    let mut joined = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(word);
    }
    if joined.is_ascii() {
        joined.make_ascii_lowercase();
        joined
    } else {
        joined.to_lowercase()
    }
}

/// The items of one case as one audience may see them, resolved, labelled
/// and dated in the document's locale.
struct Projection<'p, 'a> {
    case: &'a CheckedCase<'a>,
    audience: Audience,
    numbering: &'p Numbering,
    locale: Locale,
    /// The document's own date: what was still to come then reads as
    /// planned.
    as_of: Date,
    /// The sources the case may cite, found once for all lookups.
    sources: &'p [CaseSource<'a>],
}

impl<'p, 'a> Projection<'p, 'a> {
    fn visible(&self, visibility: Visibility) -> bool {
        visibility.visible_to(self.audience)
    }

    fn date(&self, date: &Date) -> DateView {
        DateView::new(date, self.locale, self.as_of.year())
    }

    fn principle(&self, id: &Id) -> Option<&'a Principle> {
        self.case
            .principles
            .iter()
            .copied()
            .find(|p| p.id.value == *id && self.visible(p.visibility))
    }

    fn principle_ref(&self, id: &'a Id) -> Option<PrincipleRef<'a>> {
        let principle = self.principle(id)?;
        Some(PrincipleRef {
            id: id.as_str(),
            label: self.numbering.principles.get(id)?.clone(),
            name: principle_name(principle),
        })
    }

    fn source(&self, id: &Id) -> Option<&'a Source> {
        self.sources
            .iter()
            .find(|s| s.source.id.value == *id && self.visible(s.visibility))
            .map(|s| s.source)
    }

    /// What the review made of the source `id`, in the author's words.
    fn verdict_of(&self, id: &str) -> Option<&'a str> {
        self.sources
            .iter()
            .find(|s| s.source.id.as_str() == id && self.visible(s.visibility))
            .and_then(|s| s.source.verdict.as_deref())
    }

    fn source_ref(&self, id: &'a Id) -> Option<SourceRef<'a>> {
        let source = self.source(id)?;
        Some(SourceRef {
            id: id.as_str(),
            footnote: *self.numbering.footnotes.get(id)?,
            publisher: &source.publisher,
            kind: kind_name(source.kind),
            kind_words: source.kind.as_words(),
            reference: source_reference(source),
        })
    }

    /// The sources the visible findings take a side on, where a letter may
    /// say so: published reporting and research. A complaint, a question
    /// or an attacker's claim is answered by the findings themselves.
    fn bearings(&self, findings: &[FindingView<'a>]) -> BearingsView<'a> {
        let mut bearings = BearingsView::default();
        for finding in findings {
            for source in &finding.sources {
                let told = bearings.told.iter().any(|t| t.source.id == source.id);
                if let (Some(verdict), false) = (self.verdict_of(source.id), told) {
                    bearings.told.push(VerdictView {
                        source: source.clone(),
                        verdict,
                    });
                }
            }
            let list = match finding.bearing {
                Some("supports") => &mut bearings.supports,
                Some("contradicts") => &mut bearings.contradicts,
                Some("inconclusive") => &mut bearings.inconclusive,
                _ => continue,
            };
            for source in &finding.sources {
                let speaks_of_claims = matches!(source.kind, "press-report" | "research");
                let unsaid = self.verdict_of(source.id).is_none();
                if speaks_of_claims && unsaid && !list.iter().any(|s| s.id == source.id) {
                    list.push(source.clone());
                }
            }
        }
        let both: Vec<SourceRef<'a>> = bearings
            .supports
            .iter()
            .filter(|s| bearings.contradicts.iter().any(|c| c.id == s.id))
            .cloned()
            .collect();
        bearings
            .supports
            .retain(|s| !both.iter().any(|b| b.id == s.id));
        bearings
            .contradicts
            .retain(|s| !both.iter().any(|b| b.id == s.id));
        bearings.in_part = both;
        for list in [
            &mut bearings.supports,
            &mut bearings.contradicts,
            &mut bearings.inconclusive,
            &mut bearings.in_part,
        ] {
            list.sort_by_key(|s| s.footnote);
        }
        bearings.told.sort_by_key(|t| t.source.footnote);
        bearings
    }

    fn finding_ref(&self, id: &'a Id) -> Option<FindingRef<'a>> {
        let finding = self.case.case.findings.iter().find(|f| f.id.value == *id)?;
        if !self.visible(finding.visibility) {
            return None;
        }
        Some(FindingRef {
            id: id.as_str(),
            label: self.numbering.findings.get(id)?.clone(),
        })
    }

    fn principles(&self) -> Vec<PrincipleView<'a>> {
        let mut principles: Vec<PrincipleView<'a>> = self
            .case
            .principles
            .iter()
            .filter(|p| self.visible(p.visibility))
            .filter_map(|p| {
                Some(PrincipleView {
                    id: p.id.as_str(),
                    label: self.numbering.principles.get(&p.id.value)?.clone(),
                    title: p.title.as_deref(),
                    statement: &p.statement,
                    basis: p.basis.as_deref(),
                    since: p.since.as_ref().and_then(Since::date).map(|d| self.date(d)),
                    held: p.since.as_ref().map(|since| match since {
                        Since::Date(date) => Cow::Owned(format!("since {}", self.date(date).text)),
                        Since::Words(words) => Cow::Borrowed(words.as_str()),
                    }),
                    name: principle_name(p),
                    introduced: false,
                    earlier: self.case.earlier.is_some_and(|earlier| {
                        earlier.principles.iter().any(|entry| match &entry.value {
                            crate::model::PrincipleEntry::Library(id) => *id == p.id.value,
                            crate::model::PrincipleEntry::Inline(inline) => {
                                inline.id.value == p.id.value
                            }
                        })
                    }),
                })
            })
            .collect();
        principles.dedup_by(|a, b| a.id == b.id);
        principles.sort_by_key(|p| natural_key(&p.label));
        principles
    }

    fn sources(&self) -> Vec<SourceView<'a>> {
        let mut sources: Vec<SourceView<'a>> = self
            .sources
            .iter()
            .filter(|s| self.visible(s.visibility))
            .filter_map(
                |CaseSource {
                     source: s,
                     earlier,
                     visibility,
                 }| {
                    Some(SourceView {
                        id: s.id.as_str(),
                        footnote: *self.numbering.footnotes.get(&s.id.value)?,
                        kind: kind_name(s.kind),
                        kind_words: s.kind.as_words(),
                        publisher: &s.publisher,
                        event: source_event(s),
                        earlier: *earlier,
                        public: *visibility == Visibility::Public,
                        title: s.title.as_deref(),
                        date: s.date.as_ref().map(|d| self.date(d)),
                        sort_date: s.date.as_ref().map_or_else(|| "~".to_owned(), Date::iso),
                        url: s.url.as_deref(),
                        claim: &s.claim,
                    })
                },
            )
            .collect();
        sources.sort_by_key(|s| s.footnote);
        sources
    }

    fn review(&self) -> Option<ReviewView<'a>> {
        let r = self.case.case.review.as_ref()?;
        if !self.visible(r.visibility) {
            return None;
        }
        Some(ReviewView {
            called: r.called.as_deref().unwrap_or("review"),
            summary: r.summary.as_deref(),
            opened: self.date(&r.opened.value),
            conducted_by: r.conducted_by.iter().map(String::as_str).collect(),
            state: r.state.map(|state| match state {
                crate::model::ReviewState::Ongoing => "ongoing",
                crate::model::ReviewState::Concluded => "concluded",
            }),
            examined: r
                .examined
                .iter()
                .filter(|e| self.visible(e.visibility))
                .map(|e| e.what.as_str())
                .collect(),
            not_examined: r
                .not_examined
                .iter()
                .filter(|e| self.visible(e.visibility))
                .map(|e| ExclusionView {
                    what: &e.what,
                    principle: e
                        .principle
                        .as_ref()
                        .and_then(|p| self.principle_ref(&p.value)),
                })
                .collect(),
        })
    }

    fn findings(&self) -> Vec<FindingView<'a>> {
        let mut findings: Vec<FindingView<'a>> = self
            .case
            .case
            .findings
            .iter()
            .filter(|f| self.visible(f.visibility))
            .filter_map(|f| {
                // A finding names only the sources this audience may see, so
                // an internal finding never changes a public footnote.
                let mut cited: Vec<SourceRef<'a>> = f
                    .sources
                    .iter()
                    .filter_map(|s| self.source_ref(&s.value))
                    .collect();
                cited.sort_by_key(|s| s.footnote);
                cited.dedup_by_key(|s| s.footnote);
                Some(FindingView {
                    id: f.id.as_str(),
                    label: self.numbering.findings.get(&f.id.value)?.clone(),
                    public: f.visibility == Visibility::Public,
                    statement: &f.statement,
                    bearing: f.bearing.map(|b| b.as_str()),
                    evidence: f.evidence.as_deref(),
                    known: f.known,
                    revises: f.revises.as_ref().and_then(|old| self.revision(&old.value)),
                    said: f.said.as_deref(),
                    sources: cited,
                    followed_by: Vec::new(),
                })
            })
            .collect();
        findings.sort_by_key(|f| natural_key(&f.label));
        findings
    }

    fn revision(&self, old: &Id) -> Option<RevisionView<'a>> {
        let earlier = self.case.earlier?;
        let old = earlier
            .findings
            .iter()
            .find(|e| e.id.value == *old && self.visible(e.visibility))?;
        Some(RevisionView {
            id: old.id.as_str(),
            statement: &old.statement,
            known: old.known,
        })
    }

    fn update(&self, findings: &[FindingView<'a>]) -> Option<UpdateView<'a>> {
        let earlier = self.case.earlier?;
        Some(UpdateView {
            earlier: EarlierView {
                id: earlier.id.as_str(),
                title: &earlier.title,
                date: self.date(&earlier.date),
            },
            changes: findings
                .iter()
                .filter_map(|f| {
                    let old = f.revises.as_ref()?;
                    Some(ChangeView {
                        label: f.label.clone(),
                        id: f.id,
                        before: old.statement,
                        said: f.said,
                        before_known: old.known,
                        now: f.statement,
                        now_known: f.known,
                    })
                })
                .collect(),
        })
    }

    fn actions(&self) -> Vec<ActionView<'a>> {
        let by_label = |a: &String, b: &String| natural_key(a).cmp(&natural_key(b));
        let mut actions: Vec<ActionView<'a>> = self
            .case
            .case
            .actions
            .iter()
            .filter(|a| self.visible(a.visibility))
            .filter_map(|a| {
                let mut principles: Vec<PrincipleRef<'a>> = a
                    .principles
                    .iter()
                    .filter_map(|p| self.principle_ref(&p.value))
                    .collect();
                principles.sort_by(|x, y| by_label(&x.label, &y.label));
                principles.dedup_by(|x, y| x.id == y.id);
                let mut findings: Vec<FindingRef<'a>> = a
                    .findings
                    .iter()
                    .filter_map(|f| self.finding_ref(&f.value))
                    .collect();
                findings.sort_by(|x, y| by_label(&x.label, &y.label));
                findings.dedup_by(|x, y| x.id == y.id);
                Some(ActionView {
                    id: a.id.as_str(),
                    label: self.numbering.actions.get(&a.id.value)?.clone(),
                    public: a.visibility == Visibility::Public,
                    statement: &a.statement,
                    state: self.action_state(a),
                    declined: a.state == ActionState::Declined,
                    reason: a.reason.as_deref(),
                    effective: a.effective.as_ref().map(|d| self.date(d)),
                    says_when: a
                        .effective
                        .as_ref()
                        .is_some_and(|d| d.is_said_in(&a.statement)),
                    principles,
                    findings,
                    sources: a
                        .sources
                        .iter()
                        .filter_map(|s| self.source_ref(&s.value))
                        .collect(),
                    departs_from: a
                        .departs_from
                        .iter()
                        .filter_map(|d| {
                            Some(DepartureView {
                                principle: self.principle_ref(&d.principle.value)?,
                                reason: d.reason.as_deref().unwrap_or_default(),
                            })
                        })
                        .collect(),
                    constrained_by: a
                        .constrained_by
                        .iter()
                        .filter_map(|p| self.principle_ref(&p.value))
                        .collect(),
                    limits: a.limits.iter().map(String::as_str).collect(),
                    after_finding: None,
                })
            })
            .collect();
        actions.sort_by(|a, b| by_label(&a.label, &b.label));
        actions
    }

    /// An action's state as of the document's date: one that takes effect
    /// after the document is sent is still planned in it.
    fn action_state(&self, action: &crate::model::Action) -> &'static str {
        let later = action
            .effective
            .as_ref()
            .is_some_and(|effective| self.as_of.certainly_before(effective));
        match action.state {
            ActionState::Done | ActionState::InProgress if later => ActionState::Planned.as_str(),
            state => state.as_str(),
        }
    }

    fn framing(&self) -> Vec<FramingView<'a>> {
        self.case
            .case
            .framing
            .iter()
            .filter(|f| self.visible(f.visibility))
            .map(|f| FramingView {
                id: f.id.as_str(),
                text: &f.text,
                at: f.at.as_str(),
            })
            .collect()
    }

    fn timeline(&self) -> Vec<TimelineView<'a>> {
        let mut timeline: Vec<(Date, TimelineView<'a>)> = self
            .case
            .case
            .timeline
            .iter()
            .filter(|t| self.visible(t.visibility))
            .map(|t| {
                (
                    t.date,
                    TimelineView {
                        date: self.date(&t.date),
                        event: &t.event,
                    },
                )
            })
            .collect();
        // A stable sort keeps events on the same day in the order written.
        timeline.sort_by_key(|(date, _)| date.latest());
        timeline.into_iter().map(|(_, view)| view).collect()
    }

    fn acknowledgements(&self) -> Vec<AcknowledgementView<'a>> {
        self.case
            .case
            .acknowledgements
            .iter()
            .filter(|a| self.visible(a.visibility))
            .map(|a| AcknowledgementView {
                text: &a.text,
                source: a.source.as_ref().and_then(|s| self.source_ref(&s.value)),
            })
            .collect()
    }

    fn next_steps(&self) -> Vec<NextStepView<'a>> {
        self.case
            .case
            .next_steps
            .iter()
            .filter(|n| self.visible(n.visibility))
            .map(|n| NextStepView {
                text: &n.text,
                date: n.date.as_ref().map(|d| self.date(d)),
                says_when: n.date.as_ref().is_some_and(|d| d.is_said_in(&n.text)),
                public: n.visibility == Visibility::Public,
            })
            .collect()
    }
}
/// Marks each action to follow the last finding it rests on, so a letter
/// can state a fix right after what it fixes.
fn place_actions_after_findings<'a>(
    findings: &mut [FindingView<'a>],
    actions: &mut [ActionView<'a>],
) {
    for action in actions.iter_mut() {
        let last = findings
            .iter()
            .rposition(|f| action.findings.iter().any(|cited| cited.id == f.id));
        if let Some(index) = last {
            findings[index].followed_by.push(action.id);
            action.after_finding = Some(findings[index].id);
        }
    }
}

/// The public statement's own voice, from its entry under `documents`.
fn statement_of<'a>(checked: &'a Checked<'a>, raw: &'a Case) -> StatementView<'a> {
    let own = raw
        .documents
        .iter()
        .find(|d| d.kind.value.as_str() == "public-statement");
    StatementView {
        spokesperson: sender_of(checked, raw, own),
        opening: own.and_then(|o| o.opening.as_deref()),
        summary: own
            .and_then(|o| o.summary.as_deref())
            .unwrap_or(&raw.summary),
        closing: own.and_then(|o| o.closing.as_deref()),
    }
}

/// Who sends a document: its entry's `sender`, else the case's
/// spokesperson.
fn sender_of<'a>(
    checked: &'a Checked<'a>,
    raw: &'a Case,
    entry: Option<&'a DocumentOverride>,
) -> Option<PersonView<'a>> {
    entry
        .and_then(|o| o.sender.as_ref())
        .or(raw.spokesperson.as_ref())
        .and_then(|id| checked.person(&id.value))
        .map(PersonView::from)
}

/// Marks the principles a refusal already says: a letter states every
/// principle once, in one paragraph, except one whose only part is a
/// refused demand, whose reason says it.
fn introduce_principles(actions: &[ActionView<'_>], principles: &mut [PrincipleView<'_>]) {
    for principle in principles.iter_mut() {
        let rests_on = |a: &&ActionView<'_>| {
            a.principles
                .iter()
                .chain(a.departs_from.iter().map(|d| &d.principle))
                .any(|p| p.id == principle.id)
        };
        let mut resting = actions.iter().filter(rests_on).peekable();
        principle.introduced = resting.peek().is_some() && resting.all(|a| a.declined);
    }
}

/// A principle's name in prose: its title, or the first clause of its
/// statement.
fn principle_name(principle: &Principle) -> &str {
    match &principle.title {
        Some(title) => title,
        None => {
            let statement = principle.statement.trim();
            statement
                .split([';', ':'])
                .next()
                .unwrap_or(statement)
                .trim_end_matches(['.', ','])
                .trim()
        }
    }
}

/// A source a case may cite, with the visibility it has in this case.
struct CaseSource<'a> {
    source: &'a Source,
    /// Whether it comes from the earlier case this one updates.
    earlier: bool,
    /// An earlier case's source that only internal findings cite is
    /// internal here, whatever it was there: otherwise an internal finding
    /// would add a footnote to public documents and renumber the rest.
    visibility: Visibility,
}

/// The sources a case may cite: its own, then those of the case it
/// updates that its findings cite.
fn all_sources<'a>(checked: &CheckedCase<'a>) -> Vec<CaseSource<'a>> {
    let case = checked.case;
    let mut sources: Vec<CaseSource<'a>> = case
        .sources
        .iter()
        .map(|source| CaseSource {
            source,
            earlier: false,
            visibility: source.visibility,
        })
        .collect();
    if let Some(earlier) = checked.earlier {
        for source in &earlier.sources {
            let shadowed = case.sources.iter().any(|s| s.id.value == source.id.value);
            let citing = case
                .findings
                .iter()
                .filter(|f| f.sources.iter().any(|id| id.value == source.id.value));
            let cited_by = citing.map(|f| f.visibility).min();
            if let (Some(cited_by), false) = (cited_by, shadowed) {
                sources.push(CaseSource {
                    source,
                    earlier: true,
                    visibility: source.visibility.max(cited_by),
                });
            }
        }
    }
    sources
}

/// The incident as `audience` may see it.
fn incident_view<'a>(
    incident: &'a crate::model::Incident,
    locale: Locale,
    year: u16,
) -> IncidentView<'a> {
    use crate::calendar::Day;
    let date = |d: &Date| DateView::new(d, locale, year);
    let count = |c: &'a crate::model::Count| CountView {
        what: &c.what,
        number: c.number.map(|n| {
            let digits = group_thousands(n);
            if c.approximate {
                format!("about {digits}")
            } else {
                digits
            }
        }),
    };
    IncidentView {
        nature: incident.nature.as_deref(),
        began: incident.began.as_ref().map(date),
        detected: incident.detected.as_ref().map(date),
        aware: incident.aware.as_ref().map(|d| date(&d.value)),
        contained: incident.contained.as_ref().map(date),
        scope: incident.scope.as_deref(),
        material: incident.material.as_ref().map(|d| date(&d.value)),
        data: incident.data.iter().map(String::as_str).collect(),
        subjects: incident.subjects.as_ref().map(count),
        records: incident.records.as_ref().map(count),
        consequences: incident.consequences.iter().map(String::as_str).collect(),
        contact: incident.contact.as_ref().map(|c| ContactPointView {
            name: &c.name,
            role: c.role.as_deref(),
            email: c.email.as_deref(),
            phone: c.phone.as_deref(),
            address: c.address.as_deref(),
        }),
        impact: incident.impact.as_deref(),
        authority: incident.authority.as_deref(),
        delay_reason: incident.delay_reason.as_deref(),
        unknowns: incident.unknowns.iter().map(String::as_str).collect(),
        gdpr_art33_due: incident
            .aware
            .as_ref()
            .and_then(|d| crate::calendar::gdpr_art33_due(&d.value))
            .as_ref()
            .map(date),
        sec_8k_due: incident
            .material
            .as_ref()
            .and_then(|d| Day::latest_of(&d.value).plus_us_business_days(4).to_date())
            .as_ref()
            .map(date),
    }
}

/// What spokespeople must not disclose: the statements of internal
/// findings and actions, and the claims of internal sources.
fn not_for_disclosure(raw: &Case) -> Vec<Cow<'_, str>> {
    let internal = |v: Visibility| v == Visibility::Internal;
    raw.findings
        .iter()
        .filter(|f| internal(f.visibility))
        .map(|f| Cow::Borrowed(f.statement.as_str()))
        .chain(
            raw.next_steps
                .iter()
                .filter(|n| internal(n.visibility))
                .map(|n| Cow::Borrowed(n.text.as_str())),
        )
        .chain(
            raw.actions
                .iter()
                .filter(|a| internal(a.visibility))
                .map(|a| Cow::Borrowed(a.statement.as_str())),
        )
        .chain(
            raw.sources
                .iter()
                .filter(|s| internal(s.visibility))
                .map(|s| Cow::Owned(format!("{}: {}", s.publisher, s.claim))),
        )
        .collect()
}

/// `18240` as `18,240`.
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// A source as prose names its claim.
fn source_reference(source: &Source) -> String {
    use crate::model::SourceKind as K;
    let who = &source.publisher;
    match source.kind {
        K::PressReport => format!("the reporting by {who}"),
        K::Complaint => format!("the complaint from {who}"),
        K::OpenLetter => format!("the open letter from {who}"),
        K::Audit => format!("the audit by {who}"),
        K::RegulatorInquiry => format!("the inquiry by {who}"),
        K::InternalReport => format!("the report from {who}"),
        K::Research => format!("the research by {who}"),
        K::OwnPublication => who.clone(),
        K::Other => format!("the claim by {who}"),
    }
}

/// How a source came about, as a clause that follows a date phrase.
fn source_event(source: &Source) -> String {
    use crate::model::SourceKind as K;
    let who = &source.publisher;
    match source.kind {
        K::PressReport => format!("{who} published a press report"),
        K::Complaint => format!("we received a complaint from {who}"),
        K::OpenLetter => format!("{who} published an open letter to us"),
        K::Audit => format!("{who} completed an audit"),
        K::RegulatorInquiry => format!("{who} opened an inquiry"),
        K::InternalReport => format!("{who} raised an internal report"),
        K::Research => format!("{who} published research"),
        K::OwnPublication => format!("we published {who}"),
        K::Other => format!("{who} sent us a report"),
    }
}

/// Sorts `P2` before `P10`.
fn natural_key(label: &str) -> (String, usize) {
    let digits = label.trim_start_matches(|c: char| !c.is_ascii_digit());
    (
        label[..label.len() - digits.len()].to_owned(),
        digits.parse().unwrap_or(usize::MAX),
    )
}

fn kind_name(kind: crate::model::SourceKind) -> &'static str {
    use crate::model::SourceKind as K;
    match kind {
        K::PressReport => "press-report",
        K::Complaint => "complaint",
        K::OpenLetter => "open-letter",
        K::Audit => "audit",
        K::RegulatorInquiry => "regulator-inquiry",
        K::InternalReport => "internal-report",
        K::Research => "research",
        K::OwnPublication => "own-publication",
        K::Other => "other",
    }
}
