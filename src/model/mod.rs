//! The case model: serde types for case files, principle files and
//! `candor.yaml`. These types hold data and defaults only; every rule about
//! what makes a case valid lives in [`crate::validate`].
//!
//! Every struct rejects unknown fields, so a misspelt key is an error rather
//! than silently ignored text.

mod approval;
mod case;
mod date;
mod id;
mod principle;
mod settings;
mod time;

pub use approval::Approval;
pub use case::{
    Acknowledgement, Action, ActionState, Bearing, Case, Contact, ContactPoint, Count,
    CustomerAdvice, Departure, DocumentOverride, Exclusion, FaqEntry, Finding, Framing, Incident,
    NextStep, Placement, PressBriefing, PrincipleEntry, Quote, Review, ReviewState, ScopeItem,
    Source, SourceKind, Status, TalkingPoint, TimelineEvent,
};
pub use date::{Date, Precision};
pub use id::Id;
pub use principle::{Principle, Since};
pub use settings::{
    Approvals, Audience, Coverage, DocumentKind, Locale, NamedOrganisation, Organisation, Person,
    Regulation, Settings, Style,
};
pub use time::Timestamp;

use serde::Deserialize;

/// A position in a source file: 1-based line and column. Line 0 means the
/// position is not known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

/// A value together with where it was written. Its `Deserialize`
/// implementation lives in [`crate::load`], the only module that knows YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub pos: Pos,
}

impl<T> Spanned<T> {
    /// A value with no known position, for defaults and tests.
    pub fn unplaced(value: T) -> Self {
        Spanned {
            value,
            pos: Pos::default(),
        }
    }
}

impl<T: Default> Default for Spanned<T> {
    fn default() -> Self {
        Spanned::unplaced(T::default())
    }
}

/// A spanned value is written out as the value alone.
impl<T: serde::Serialize> serde::Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// A spanned value is written exactly like the value itself.
impl<T: schemars::JsonSchema> schemars::JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// Who may see an item. Nothing is public unless someone said so.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Anyone: may appear in public documents.
    Public,
    /// Employees only: never reaches a public document.
    #[default]
    Internal,
}

impl Visibility {
    /// Whether an item with this visibility may be shown to `audience`.
    pub fn visible_to(self, audience: Audience) -> bool {
        match audience {
            Audience::Internal => true,
            Audience::Public => self == Visibility::Public,
        }
    }
}
