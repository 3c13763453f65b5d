use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Id, Spanned, Timestamp};

/// One sign-off: `cases/<case>.approvals/<role>.yaml`, written by
/// `candor approve`. It records the digest of everything that decided the
/// case's documents when it was given; any later change to any of it voids
/// the sign-off.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The id of the case approved.
    pub case: Spanned<Id>,
    /// The role signing off, from `approvals.required` in `candor.yaml`.
    pub role: Spanned<Id>,
    /// Who signed off, as they wish to be named.
    pub by: Spanned<String>,
    /// The signer's principal, from the allowed signers entry of the key
    /// that signed `<role>.sig`: present on signed sign-offs.
    #[serde(default)]
    pub principal: Option<Spanned<String>>,
    /// When.
    pub at: Spanned<Timestamp>,
    /// The digest of the sign-off policy (`approvals` in `candor.yaml`)
    /// the sign-off was given under; absent in files written before it
    /// was recorded.
    #[serde(default)]
    pub policy: Option<Spanned<String>>,
    /// The digest of all the inputs and documents below together.
    pub digest: Spanned<String>,
    /// The digest of each input, by what it is: `case`, `principle <id>`,
    /// `template <name>`, and so on.
    pub inputs: BTreeMap<String, Spanned<String>>,
    /// The digest of each document as rendered, without any draft banner,
    /// by document kind.
    pub documents: BTreeMap<String, Spanned<String>>,
}
