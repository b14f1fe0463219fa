//! Policy: `aibom.toml`, the presets in `policies/`, and (with the licence engine) `license-db/`.
//!
//! Loading is two-phase: the raw TOML is deserialised with spans kept (`config::RawConfig`), then
//! validated once into a `Policy` that rules and the scan use. Every error points at the TOML line
//! and column. Precedence, lowest first: rule defaults, the preset, `[rules]` in the config file,
//! command-line options.

pub mod config;
pub mod exceptions;
pub mod privacy;
pub mod prompts;
pub mod tools;
pub mod usage;

use std::collections::BTreeMap;
use std::path::PathBuf;

use globset::GlobSet;

use crate::finding::Severity;

pub use config::{ConfigError, load, load_str};

/// The built-in presets, embedded in the binary, sorted by name.
pub static PRESETS: &[(&str, &str)] = &[
    ("default", include_str!("../../policies/default.toml")),
    ("research", include_str!("../../policies/research.toml")),
    ("strict", include_str!("../../policies/strict.toml")),
];

/// `--fail-on`: the lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<FailOn> {
        match s {
            "error" => Some(FailOn::Error),
            "warning" => Some(FailOn::Warning),
            "note" => Some(FailOn::Note),
            "never" => Some(FailOn::Never),
            _ => None,
        }
    }

    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::Note => true,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Error => severity >= Severity::Error,
        }
    }
}

/// The validated policy. Rules only ever see this.
#[derive(Debug, Clone)]
pub struct Policy {
    /// `[[tool]]`: the blast-radius registry, in file order.
    pub tools: Vec<tools::ToolEntry>,
    /// `[[exception]]` entries, in file order (the first that matches a finding applies).
    pub exceptions: Vec<crate::suppression::Exception>,
    /// Severity per rule code after preset and overrides; `None` = the rule is off.
    pub severities: BTreeMap<&'static str, Option<Severity>>,
    pub preset: String,
    pub fail_on: Option<FailOn>,
    pub exclude: GlobSet,
    pub exclude_patterns: Vec<String>,
    /// The config file this came from, if any.
    pub source: Option<PathBuf>,
    /// Top-level tables accepted for features this version does not evaluate yet.
    pub not_evaluated: Vec<String>,
    /// `[prompts]`: extra prompt paths and a shared prompt changelog.
    pub prompts: prompts::PromptPaths,
    /// `[project]`: the declared usage licence obligations are checked against.
    pub project: Option<usage::Project>,
    /// `[licenses]`: allow, deny, clarify.
    pub licenses: usage::LicensePolicy,
    /// `[[corpus]]`, `[[model]]` and `[privacy]`: the privacy manifest and declared lineage.
    pub privacy: crate::privacy::manifest::Manifest,
}

impl Default for Policy {
    fn default() -> Self {
        config::validate(config::RawConfig::default(), None, "").expect("the empty config is valid")
    }
}

impl Policy {
    /// The effective severity of a rule; `None` when it is off.
    pub fn severity(&self, code: &str) -> Option<Severity> {
        self.severities.get(code).copied().flatten()
    }

    pub fn is_excluded(&self, rel_path: &str) -> bool {
        self.exclude.is_match(rel_path)
    }
}
