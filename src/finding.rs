//! Findings: what a rule reports. Data only — reporters decide how a finding looks.
//!
//! A finding's fingerprint is the rule code, the component id (for a finding about no
//! component, its file path) and the subject (a pickle global, a shard name, a licence clause …),
//! never a line number, so baselines survive edits.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::artifact::hex;
use crate::artifact::text::TextSpan;

/// Severities are ordered: `Note < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" => Some(Severity::Note),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Where a finding points: a repository-relative path and, for text artefacts, a span.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<TextSpan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    /// The component the finding is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// What exactly, within the component (`posix.system`, `model-00003-of-00003.safetensors`).
    pub subject: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub fingerprint: String,
    /// The highest severity policy may give this finding (a check that could not run, or
    /// documentation values, are notes whatever the rule's configured severity).
    #[serde(skip)]
    pub severity_cap: Option<Severity>,
}

impl Finding {
    pub fn new(
        meta: &crate::rules::RuleMeta,
        component: Option<&str>,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        let subject = subject.into();
        let component = component.map(str::to_owned);
        let fingerprint = fingerprint(meta.code, component.as_deref(), &subject);
        Finding {
            code: meta.code,
            rule: meta.name,
            severity: meta.default_severity,
            component,
            subject,
            message: message.into(),
            location: None,
            help: None,
            fingerprint,
            severity_cap: None,
        }
    }

    /// Never more severe than `cap`, whatever the policy says (see `severity_cap`).
    pub fn at_most(mut self, cap: Severity) -> Finding {
        self.severity_cap = Some(cap);
        self.severity = self.severity.min(cap);
        self
    }

    /// Where the finding points. A finding about no component is identified by its file: the
    /// fingerprint then covers the path (never the line), so the same problem in two files
    /// gives two findings and two baseline entries.
    pub fn at(mut self, path: &str, span: Option<TextSpan>) -> Finding {
        if self.component.is_none() {
            self.fingerprint = fingerprint(self.code, Some(&format!("file:{path}")), &self.subject);
        }
        self.location = Some(Location {
            path: path.to_owned(),
            span,
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Order for every output: by location, then code, component and subject.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.location
                .as_ref()
                .map(|l| (l.path.as_str(), l.span.map(|s| (s.line, s.column)))),
            self.code,
            self.component.as_deref(),
            self.subject.as_str(),
        )
    }
}

/// `sha256:` of rule code, component id and subject, separated by NUL bytes.
pub fn fingerprint(code: &str, component: Option<&str>, subject: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(code.as_bytes());
    hasher.update([0]);
    hasher.update(component.unwrap_or("").as_bytes());
    hasher.update([0]);
    hasher.update(subject.as_bytes());
    format!("sha256:{}", hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_depend_on_code_component_and_subject_only() {
        let a = fingerprint("MOD001", Some("model:m"), "posix.system");
        assert_eq!(a, fingerprint("MOD001", Some("model:m"), "posix.system"));
        assert_ne!(a, fingerprint("MOD001", Some("model:m"), "os.system"));
        assert_ne!(a, fingerprint("MOD002", Some("model:m"), "posix.system"));
        assert_ne!(
            fingerprint("X", Some("ab"), "c"),
            fingerprint("X", Some("a"), "bc")
        );
    }

    #[test]
    fn severities_are_ordered() {
        assert!(Severity::Note < Severity::Warning && Severity::Warning < Severity::Error);
        assert_eq!(Severity::parse("warning"), Some(Severity::Warning));
        assert_eq!(Severity::parse("fatal"), None);
    }
}
