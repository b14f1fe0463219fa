//! The privacy manifest: `[[corpus]]`, `[[model]]` and `[privacy]` of `aibom.toml`, validated
//! (`policy::privacy` parses them with spans and builds these types).
//!
//! It is the highest-confidence lineage there is (a human wrote it down) and the only place that
//! says what a corpus may hold, why it may be kept, until when, and how erasure requests are
//! handled. It holds no personal data: the erasure log it names carries keyed hashes only.

use globset::GlobSet;

use crate::artifact::text::TextSpan;
use crate::pii::PiiType;
use crate::suppression::Date;

/// The environment variable that holds the erasure-log HMAC key when `[privacy]` names none.
pub const DEFAULT_KEY_ENV: &str = "AIBOM_ERASURE_KEY";

#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// The config file's name (`aibom.toml`), for finding locations.
    pub file: String,
    /// `[privacy] hmac_key_env`: the environment variable holding the erasure-log HMAC key.
    pub key_env: String,
    pub corpora: Vec<CorpusDecl>,
    pub models: Vec<ModelDecl>,
}

impl Manifest {
    pub fn is_empty(&self) -> bool {
        self.corpora.is_empty() && self.models.is_empty()
    }

    pub fn corpus(&self, id: &str) -> Option<&CorpusDecl> {
        self.corpora.iter().find(|c| c.id == id)
    }

    pub fn model(&self, id: &str) -> Option<&ModelDecl> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The corpora whose `path` covers a repository-relative file.
    pub fn corpora_covering<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a CorpusDecl> {
        self.corpora.iter().filter(move |c| c.covers(path))
    }

    /// The kind a file that no detector recognises has when a `[[corpus]]` `path` names it (the
    /// exact file or a pattern matching it — not merely a directory it sits in, which may hold
    /// images and other binaries): data, scanned for personal data like any corpus file.
    pub fn declared_data_kind(&self, path: &str) -> Option<crate::detect::ArtifactKind> {
        use crate::artifact::corpus::CorpusFormat;
        if self.is_erasure_log(path) || !self.corpora.iter().any(|c| c.names.is_match(path)) {
            return None;
        }
        let format = if path.ends_with(".json") {
            CorpusFormat::Json
        } else {
            CorpusFormat::Text
        };
        Some(crate::detect::ArtifactKind::Corpus(format))
    }

    /// Whether a file is one of the manifest's erasure logs (read by the privacy stage, never
    /// inventoried as a corpus).
    pub fn is_erasure_log(&self, path: &str) -> bool {
        self.corpora
            .iter()
            .any(|c| c.erasure_log.as_ref().is_some_and(|l| l.value == path))
    }
}

/// A value with where it is written in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared<T> {
    pub value: T,
    pub span: TextSpan,
}

/// GDPR Art. 6(1) lawful bases, (a) to (f).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LegalBasis {
    Consent,
    Contract,
    LegalObligation,
    VitalInterests,
    PublicTask,
    LegitimateInterest,
}

impl LegalBasis {
    pub const ALL: [LegalBasis; 6] = [
        LegalBasis::Consent,
        LegalBasis::Contract,
        LegalBasis::LegalObligation,
        LegalBasis::VitalInterests,
        LegalBasis::PublicTask,
        LegalBasis::LegitimateInterest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LegalBasis::Consent => "consent",
            LegalBasis::Contract => "contract",
            LegalBasis::LegalObligation => "legal_obligation",
            LegalBasis::VitalInterests => "vital_interests",
            LegalBasis::PublicTask => "public_task",
            LegalBasis::LegitimateInterest => "legitimate_interest",
        }
    }

    pub fn parse(s: &str) -> Option<LegalBasis> {
        LegalBasis::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// One `[[corpus]]`.
#[derive(Debug, Clone)]
pub struct CorpusDecl {
    pub id: String,
    /// Where `id` is written.
    pub span: TextSpan,
    /// The `path` globs as written.
    pub paths: Vec<String>,
    pub matcher: GlobSet,
    /// The globs as written, without the `<dir>/**` a plain directory path also covers.
    pub names: GlobSet,
    /// A pinned hash of the corpus (see `privacy::corpus_hash`).
    pub sha256: Option<Declared<String>>,
    pub derived_from: Vec<Declared<String>>,
    pub contains_pii: Option<bool>,
    pub pii_types: Vec<PiiType>,
    pub legal_basis: Option<LegalBasis>,
    pub original_purpose: Option<String>,
    pub retention_until: Option<Date>,
    /// A repository-relative document describing how erasure requests are handled.
    pub erasure_procedure: Option<Declared<String>>,
    /// A repository-relative JSON Lines erasure log.
    pub erasure_log: Option<Declared<String>>,
}

impl CorpusDecl {
    pub fn covers(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }
}

/// One `[[model]]`.
#[derive(Debug, Clone)]
pub struct ModelDecl {
    pub id: String,
    pub span: TextSpan,
    /// The weights directory or file, repository-relative, without a trailing slash.
    pub path: Option<String>,
    pub base_model: Option<Declared<String>>,
    pub published_name: Option<String>,
    pub trained_at: Option<Date>,
    pub trained_on: Vec<TrainedOn>,
    pub erasure_strategy: Option<String>,
}

/// One `trained_on` entry of a `[[model]]`.
#[derive(Debug, Clone)]
pub struct TrainedOn {
    pub corpus: String,
    pub sha256: Option<String>,
    pub span: TextSpan,
}
