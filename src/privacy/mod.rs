//! Personal data, lineage and erasure: the privacy manifest (`[[corpus]]`, `[[model]]` of
//! `aibom.toml`), the erasure log, keyed subject hashes, and the scan stage that runs the PII
//! engine (`crate::pii`) over every corpus file and records what it found on the inventory.
//!
//! What this module must never do: keep, log or print a detected value. The engine hands each
//! match to a visitor; the stage counts it and, for erasure checks, hashes it with the
//! erasure-log key and compares digests — the value itself goes nowhere.

pub mod cli;
pub mod erasure_log;
pub mod lineage;
pub mod manifest;
pub mod stage;
pub mod subject;

use std::collections::BTreeMap;

use crate::pii::{FileReport, PiiType};
use crate::suppression::Date;

pub use stage::run;

/// What the privacy stage found, for the `PII`, `GDPR` and `LIN` rules. Rules never read files:
/// everything they need about corpora, erasure logs and documents is here.
#[derive(Debug, Clone, Default)]
pub struct PrivacyFacts {
    /// The scan date (retention and erasure deadlines are checked against it).
    pub today: Option<Date>,
    /// The PII scan of each data file, by repository-relative path.
    pub scans: BTreeMap<String, FileScan>,
    /// Component id → the paths in `scans` that belong to it (so per-component lookups do not
    /// walk every scan: a tree of 100,000 data files would make that quadratic).
    pub scans_by_component: BTreeMap<String, Vec<String>>,
    /// `[[corpus]]` id → the data files its `path` covers (sorted).
    pub corpus_files: BTreeMap<String, Vec<String>>,
    /// `[[corpus]]` id → the components holding those files.
    pub corpus_components: BTreeMap<String, Vec<String>>,
    /// `[[corpus]]` id → the corpus's current hash (`corpus_hash`), when every file has one.
    pub corpus_hashes: BTreeMap<String, String>,
    /// `[[model]]` id → the weight components its `path` names.
    pub model_components: BTreeMap<String, Vec<String>>,
    /// Documents the manifest names (`erasure_procedure`) → whether they exist.
    pub documents: BTreeMap<String, bool>,
    /// Erasure logs by repository-relative path.
    pub logs: BTreeMap<String, erasure_log::ErasureLog>,
    /// Erased subjects found again in a corpus.
    pub residue: Vec<Residue>,
    /// Whether the erasure-log key was needed and found.
    pub key: KeyState,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KeyState {
    /// No completed request with a hashed subject concerns a scanned corpus.
    #[default]
    NotNeeded,
    /// Needed, but the environment variable is not set (or empty): GDPR006 could not run.
    Missing,
    Used,
}

/// One data file's scan.
#[derive(Debug, Clone)]
pub struct FileScan {
    pub component: Option<String>,
    pub report: Result<FileReport, String>,
}

/// An erased subject whose normalised email or phone was found again.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Residue {
    pub request_id: String,
    /// The log the request is in, and its line.
    pub log: String,
    pub log_line: u32,
    /// The `[[corpus]]` whose file holds the subject.
    pub corpus: String,
    pub file: String,
    pub kind: PiiType,
    pub count: u64,
    pub first_line: u64,
}

/// The hash of a corpus: the file's SHA-256 when it is one file, else the SHA-256 of the
/// `sha256sum`-style listing (`<hex>  <path>\n` per file, sorted by path). `None` when a file has
/// no hash or there is no file.
pub fn corpus_hash(files: &[(&str, Option<&str>)]) -> Option<String> {
    use sha2::{Digest, Sha256};
    match files {
        [] => None,
        [(_, hash)] => hash.map(str::to_owned),
        _ => {
            let mut sorted = files.to_vec();
            sorted.sort();
            let mut hasher = Sha256::new();
            for (path, hash) in sorted {
                hasher.update(hash?.as_bytes());
                hasher.update(b"  ");
                hasher.update(path.as_bytes());
                hasher.update(b"\n");
            }
            Some(crate::artifact::hex(&hasher.finalize()))
        }
    }
}

/// Redacted samples and first lines of one PII type across a component's files.
pub fn type_summary(facts: &PrivacyFacts, component: &str, kind: PiiType) -> TypeSummary {
    let mut summary = TypeSummary::default();
    let reports: Vec<(&String, &crate::pii::TypeReport)> = component_scans(facts, component)
        .filter_map(|(path, scan)| Some((path, scan.report.as_ref().ok()?.by_type.get(&kind)?)))
        .collect();
    // Where real values were found, files of documentation values alone are not among the
    // files, first lines or samples (a file's own report keeps its real ones apart already).
    let any_real = reports.iter().any(|(_, t)| t.count > 0);
    for (path, t) in reports {
        summary.count += t.count;
        summary.synthetic += t.synthetic;
        if any_real && t.count == 0 {
            continue;
        }
        if t.count + t.synthetic > 0 {
            summary.files.push(path.clone());
        }
        for line in &t.first_lines {
            if summary.first.len() < 5 {
                summary.first.push((path.clone(), *line));
            }
        }
        for sample in &t.samples {
            if summary.samples.len() < 3 && !summary.samples.contains(sample) {
                summary.samples.push(sample.clone());
            }
        }
    }
    summary
}

#[derive(Debug, Clone, Default)]
pub struct TypeSummary {
    pub count: u64,
    pub synthetic: u64,
    pub files: Vec<String>,
    /// (file, line) of the first occurrences.
    pub first: Vec<(String, u64)>,
    /// Redacted samples only.
    pub samples: Vec<String>,
}

/// The scans of a component's files, in path order.
fn component_scans<'a>(
    facts: &'a PrivacyFacts,
    component: &str,
) -> impl Iterator<Item = (&'a String, &'a FileScan)> {
    facts
        .scans_by_component
        .get(component)
        .into_iter()
        .flatten()
        .filter_map(|path| facts.scans.get_key_value(path))
}

/// The PII types found in a component's files, with their summed counts.
pub fn found_types(facts: &PrivacyFacts, component: &str) -> BTreeMap<PiiType, (u64, u64)> {
    let mut out: BTreeMap<PiiType, (u64, u64)> = BTreeMap::new();
    for (_, scan) in component_scans(facts, component) {
        let Ok(report) = &scan.report else { continue };
        for (kind, t) in &report.by_type {
            let entry = out.entry(*kind).or_default();
            entry.0 += t.count;
            entry.1 += t.synthetic;
        }
    }
    out.retain(|_, (count, synthetic)| *count + *synthetic > 0);
    out
}

/// Whether a `[[corpus]]` holds personal data: declared (`contains_pii = true`) or found by the
/// scan (documentation values aside) in a file it covers.
pub fn corpus_holds_pii(facts: &PrivacyFacts, decl: &manifest::CorpusDecl) -> bool {
    decl.contains_pii == Some(true)
        || facts
            .corpus_files
            .get(&decl.id)
            .into_iter()
            .flatten()
            .filter_map(|path| facts.scans.get(path))
            .filter_map(|scan| scan.report.as_ref().ok())
            .any(|report| report.by_type.values().any(|t| t.count > 0))
}

/// A text file a finding about a component can point at: its card, else its first file.
pub fn anchor(c: &crate::inventory::Component) -> Option<String> {
    c.properties
        .get("card")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .or_else(|| c.files.first().map(|f| f.path.clone()))
        .or_else(|| c.path.clone())
}

/// Plural-aware count: `1 email value`, `3 email values`.
pub fn values(count: u64, kind: PiiType) -> String {
    let s = if count == 1 { "" } else { "s" };
    format!("{count} {} value{s}", kind.as_str())
}
