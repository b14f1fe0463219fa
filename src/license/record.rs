//! One licence record (`license-db/<id>.toml`), as the data folder writes it.
//!
//! Deserialisation is tolerant: every table but the identity is optional, and keys this version
//! does not know are ignored here (the data test in `tests/license_db.rs` rejects them in the
//! built-in records). A record that does not parse is an error naming its file.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LicenseRecord {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub family: String,
    #[serde(default)]
    pub version_date: String,
    #[serde(default)]
    pub spdx: String,
    #[serde(default)]
    pub scancode: String,
    #[serde(default)]
    pub hf_ids: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub fingerprint: Vec<Fingerprint>,
    #[serde(default)]
    pub text: Option<TextInfo>,
    #[serde(default)]
    pub commercial: Commercial,
    #[serde(default)]
    pub threshold: Vec<Threshold>,
    #[serde(default)]
    pub attribution: Option<Attribution>,
    #[serde(default)]
    pub naming: Option<Naming>,
    #[serde(default)]
    pub outputs: Option<Outputs>,
    #[serde(default)]
    pub derivatives: Derivatives,
    #[serde(default)]
    pub use_restrictions: Option<UseRestrictions>,
    #[serde(default)]
    pub redistribution: Redistribution,
    #[serde(default)]
    pub geo: Vec<Geo>,
    #[serde(default)]
    pub termination: toml::Table,
    #[serde(default)]
    pub meta: Meta,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Fingerprint {
    pub all: Vec<String>,
    #[serde(default)]
    pub max_words: Option<usize>,
    /// `all`, each phrase normalised (`license::normalize`) once, when the record is read.
    #[serde(skip)]
    pub normalized: Vec<String>,
}

/// The canonical text's size and hash after normalisation (`license::normalize`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TextInfo {
    /// The canonical text's file name in the shared licence-text collection.
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub words: usize,
    #[serde(default)]
    pub normalized_sha256: String,
    /// Replaceable passages of the canonical text, in text order (the copyright line of a
    /// template such as Apache-2.0's `Copyright [yyyy] [name of copyright owner]`).
    #[serde(default)]
    pub variable: Vec<VariableText>,
    /// Where the terms stand in the canonical text, when it also holds text that is not part of
    /// them (Apache-2.0's appendix, the Creative Commons notices).
    #[serde(default)]
    pub terms: Option<Terms>,
}

/// The terms of a licence whose canonical text also carries text that binds no one: Apache-2.0's
/// "APPENDIX: How to apply the Apache License to your work", which many copies leave out, and the
/// notices Creative Commons prints before and after its 4.0 licences, which copies word in
/// several ways (with or without the wiki links, the CC0 sentence, Markdown headings). A copy
/// whose terms are the canonical terms is the licence, whatever stands outside them, within
/// `max_words_before` and `max_words_after`; an edit to the terms is still an edit.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Terms {
    /// The first words of the terms; empty = the start of the text.
    #[serde(default)]
    pub begins: String,
    /// The last words of the terms (the first occurrence after `begins`).
    pub ends: String,
    /// Words of the canonical terms, `begins` through `ends`, after normalisation.
    pub words: usize,
    /// SHA-256 of the canonical terms after normalisation.
    pub normalized_sha256: String,
    /// The most words a copy may hold before the terms. 0: none, so that the canonical text's
    /// own words there may only be left out or kept as they are (the whole-text hash compares).
    #[serde(default)]
    pub max_words_before: usize,
    /// The most words a copy may hold after the terms; 0 as for `max_words_before`.
    #[serde(default)]
    pub max_words_after: usize,
}

/// A passage of the canonical text that a licensee fills in, as the SPDX matching guidelines
/// treat copyright notices and replaceable text: whatever stands between the two anchors, up to
/// `license::template::MAX_VARIABLE_WORDS` words, counts as `original`. The data test checks that
/// `preceded_by original followed_by` occurs in the canonical text, so restoring is the identity
/// on it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct VariableText {
    /// The passage as the canonical text words it.
    pub original: String,
    /// The text just before the passage; empty = the start of the text.
    #[serde(default)]
    pub preceded_by: String,
    /// The text just after the passage.
    pub followed_by: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommercialStatus {
    Allowed,
    Conditional,
    Forbidden,
    /// The record does not say.
    #[default]
    Unknown,
}

impl CommercialStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommercialStatus::Allowed => "allowed",
            CommercialStatus::Conditional => "conditional",
            CommercialStatus::Forbidden => "forbidden",
            CommercialStatus::Unknown => "unknown",
        }
    }

    /// Larger is stricter: the strictest status of a set of licences binds.
    pub fn strictness(self) -> u8 {
        match self {
            CommercialStatus::Allowed => 0,
            CommercialStatus::Conditional => 1,
            CommercialStatus::Unknown => 2,
            CommercialStatus::Forbidden => 3,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Commercial {
    #[serde(default)]
    pub status: CommercialStatus,
    #[serde(default)]
    pub registration_required: bool,
    #[serde(default)]
    pub clause: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Mau,
    AnnualRevenueUsd,
    MonthlyRevenueUsd,
}

impl Metric {
    pub fn describe(self) -> &'static str {
        match self {
            Metric::Mau => "monthly active users",
            Metric::AnnualRevenueUsd => "annual revenue (USD)",
            Metric::MonthlyRevenueUsd => "monthly revenue (USD)",
        }
    }

    /// The `[project]` key that declares this metric.
    pub fn project_key(self) -> &'static str {
        match self {
            Metric::Mau => "monthly_active_users",
            Metric::AnnualRevenueUsd => "annual_revenue_usd",
            Metric::MonthlyRevenueUsd => "monthly_revenue_usd",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Threshold {
    pub metric: Metric,
    pub limit: f64,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub on_exceed: String,
    #[serde(default)]
    pub clause: String,
    /// `commercial`: the threshold only applies to commercial use.
    #[serde(default)]
    pub applies_if: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Attribution {
    #[serde(default)]
    pub notice_file: String,
    /// Any one of these must be displayed.
    #[serde(default)]
    pub display_text: Vec<String>,
    #[serde(default)]
    pub display_where: Vec<String>,
    /// `redistribute`, `product_contains`, `hosted` …
    #[serde(default)]
    pub trigger: Vec<String>,
    #[serde(default)]
    pub clause: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Naming {
    pub derivative_prefix: String,
    /// `finetune`, `adapter`, `merge`, `quantized`, `output_trained` …
    #[serde(default)]
    pub applies_to: Vec<String>,
    #[serde(default)]
    pub clause: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Outputs {
    /// `allowed`, `conditional` or `forbidden`.
    #[serde(default)]
    pub train_other_models: String,
    #[serde(default)]
    pub condition: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub clause: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Derivatives {
    #[serde(default)]
    pub includes_distillation: bool,
    /// `none`, `use_restrictions_flow_down`, `license_flow_down`, `same_license`.
    #[serde(default)]
    pub copyleft: String,
    #[serde(default)]
    pub clause: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct UseRestrictions {
    #[serde(default)]
    pub aup_url: String,
    #[serde(default)]
    pub mutable: bool,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub flow_down_required: bool,
    #[serde(default)]
    pub clause: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Redistribution {
    #[serde(default)]
    pub license_copy: bool,
    #[serde(default)]
    pub modified_file_notice: bool,
    #[serde(default)]
    pub hosted_counts_as_distribution: bool,
    #[serde(default)]
    pub clause: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Geo {
    #[serde(default)]
    pub excluded: Vec<String>,
    #[serde(default)]
    pub modality: String,
    #[serde(default)]
    pub end_users_exempt: bool,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub clause: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Meta {
    #[serde(default)]
    pub governing_law: String,
    #[serde(default)]
    pub sources: Vec<String>,
}
