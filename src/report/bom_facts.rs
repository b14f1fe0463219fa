//! What the CycloneDX and SPDX writers both need to know about a scan, worked out once.
//!
//! The two bill-of-materials formats say the same things in different words: which licences a
//! component declares and which aibom concluded (an SPDX id only when the licence has an exact
//! one), whether a corpus holds personal data (or whether nobody looked), a hub model's purl, and
//! ids and timestamps that make two runs over the same tree byte-identical. This module reads
//! only the `ScanResult`; it never decides policy and never touches the scanned tree, except
//! [`licence_text`], which reads one licence document (bounded, regular files only) so that the
//! SPDX output can carry a custom licence's text.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::inventory::Component;
use crate::license::LicenseRecord;
use crate::scan::ScanResult;

/// Licence documents larger than this are not embedded in a BOM.
const MAX_LICENCE_TEXT_BYTES: u64 = 1024 * 1024;

/// SHA-256 of everything the BOM says about the tree: aibom's version, the components and the
/// relations, as aibom's JSON writes them. No time, no absolute path: the same tree gives the
/// same digest on any machine, so ids derived from it are reproducible.
pub fn content_digest(result: &ScanResult, label: &str) -> [u8; 32] {
    let inventory = &result.inventory;
    let components: Vec<&Component> = inventory.components.values().collect();
    let body = serde_json::json!({
        "label": label,
        "aibom": env!("CARGO_PKG_VERSION"),
        "components": components,
        "relations": inventory.relations,
    });
    let mut hasher = Sha256::new();
    hasher.update(body.to_string().as_bytes());
    hasher.finalize().into()
}

/// A UUID from the first 16 bytes of a digest, with the RFC 9562 version-5 and variant bits set
/// (a name-based UUID; the name is the BOM content, hashed with SHA-256 rather than SHA-1).
pub fn uuid_from_digest(digest: &[u8; 32]) -> String {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The document's creation time: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now;
/// RFC 3339 in UTC, whole seconds.
pub fn timestamp() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    rfc3339(seconds)
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian calendar).
pub fn rfc3339(seconds: i64) -> String {
    let seconds = seconds.clamp(0, 253_402_300_799); // up to 9999-12-31T23:59:59Z
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        in_day / 3600,
        (in_day % 3600) / 60,
        in_day % 60
    )
}

/// Days since 1970-01-01 to a (year, month, day) date: eras of 400 years of 146,097 days,
/// years counted from March so that the leap day is the last day of the year.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The name of the scanned repository: the last component of its root path.
pub fn root_name(result: &ScanResult) -> String {
    let root = std::path::absolute(&result.root).unwrap_or_else(|_| result.root.clone());
    root.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "repository".to_owned())
}

/// `pkg:huggingface/<namespace>/<name>@<commit>` for a model on the hub (the purl type covers
/// models; the commit is lower-cased, as the purl type requires).
pub fn huggingface_purl(component: &Component) -> Option<String> {
    if !component.kind.is_model_like() {
        return None;
    }
    let hub_id = component.hub_id.as_deref()?;
    let mut purl = String::from("pkg:huggingface/");
    let segments: Vec<&str> = hub_id.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() || segments.len() > 2 {
        return None;
    }
    purl.push_str(
        &segments
            .iter()
            .map(|s| percent_encode(s))
            .collect::<Vec<_>>()
            .join("/"),
    );
    if let Some(revision) = &component.revision {
        purl.push('@');
        purl.push_str(&percent_encode(&revision.to_ascii_lowercase()));
    }
    Some(purl)
}

/// Percent-encodes everything but the characters a purl or IRI segment may hold as they are.
pub fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One licence as a BOM states it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LicenceTerm {
    /// aibom's licence record id (`llama-3.1`), or `None` for a declared value no record knows.
    pub record: Option<String>,
    /// The exact SPDX licence id, when the licence has one (`Apache-2.0`).
    pub spdx_id: Option<String>,
    /// A name for people: the record's name, or the value as declared.
    pub name: String,
    /// Where the licence text is published.
    pub url: Option<String>,
}

impl LicenceTerm {
    fn from_record(record: &LicenseRecord) -> LicenceTerm {
        let spdx_id = Some(record.spdx.trim())
            .filter(|id| spdx::license_id(id).is_some())
            .map(str::to_owned);
        LicenceTerm {
            record: Some(record.id.clone()),
            spdx_id,
            name: record.name.clone(),
            url: record.links.first().map(|link| {
                if link.starts_with("http://") || link.starts_with("https://") {
                    link.clone()
                } else {
                    format!("https://{link}")
                }
            }),
        }
    }

    fn unrecognised(value: &str) -> LicenceTerm {
        let looks_like_url = value.starts_with("https://") || value.starts_with("http://");
        // A declared value that is itself an exact SPDX id needs no record.
        let spdx_id = spdx::license_id(value).map(|_| value.to_owned());
        LicenceTerm {
            record: None,
            spdx_id,
            name: value.to_owned(),
            url: looks_like_url.then(|| value.to_owned()),
        }
    }

    /// The term in an SPDX licence expression: the SPDX id, else `LicenseRef-<record or value>`.
    pub fn expression(&self) -> String {
        match (&self.spdx_id, &self.record) {
            (Some(id), _) => id.clone(),
            (None, Some(record)) => format!("LicenseRef-{}", licence_ref_idstring(record)),
            (None, None) => format!("LicenseRef-declared-{}", licence_ref_idstring(&self.name)),
        }
    }
}

/// Letters, digits, `.` and `-` only (the SPDX `idstring`); runs of anything else become `-`.
pub fn licence_ref_idstring(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "unknown".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Declared values that name no licence (the card's `license: other` points at `license_name`).
fn names_no_licence(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "" | "other" | "unknown" | "none" | "noassertion"
    )
}

/// Licence records aibom knows for this component: its own, those that bind it through its
/// parents, and use policies found next to it.
fn known_records(result: &ScanResult, component: &Component) -> Vec<Arc<LicenseRecord>> {
    let Some(licensing) = result.inventory.licensing.component(&component.id) else {
        return Vec::new();
    };
    licensing
        .own
        .iter()
        .chain(licensing.bound.iter().map(|b| &b.record))
        .chain(licensing.use_policies.iter())
        .cloned()
        .collect()
}

/// The licences the component's sources declare, one term per distinct licence.
pub fn declared_licences(result: &ScanResult, component: &Component) -> Vec<LicenceTerm> {
    let records = known_records(result, component);
    let evidence = component
        .concluded_license
        .as_ref()
        .map(|c| c.evidence.as_slice())
        .unwrap_or_default();
    let mut terms = BTreeSet::new();
    for declared in &component.declared_licenses {
        if names_no_licence(&declared.value) {
            continue;
        }
        let identified: Vec<&String> = evidence
            .iter()
            .filter(|e| e.value == declared.value && e.path.as_deref() == Some(&declared.path))
            .flat_map(|e| e.licenses.iter())
            .collect();
        if identified.is_empty() {
            terms.insert(LicenceTerm::unrecognised(&declared.value));
        }
        for id in identified {
            terms.insert(term_for(&records, id));
        }
    }
    terms.into_iter().collect()
}

/// The licences aibom concluded are the component's own (not those inherited from parents).
pub fn concluded_licences(result: &ScanResult, component: &Component) -> Vec<LicenceTerm> {
    let records = known_records(result, component);
    let Some(concluded) = &component.concluded_license else {
        return Vec::new();
    };
    let mut terms: Vec<LicenceTerm> = concluded
        .licenses
        .iter()
        .map(|id| term_for(&records, id))
        .collect();
    terms.sort();
    terms.dedup();
    terms
}

/// Licences that bind the component through a parent or its training data, with where from.
pub fn inherited_licences(component: &Component) -> Vec<String> {
    component
        .concluded_license
        .iter()
        .flat_map(|c| c.inherited.iter())
        .map(|i| format!("{} (from {})", i.license, i.from))
        .collect()
}

fn term_for(records: &[Arc<LicenseRecord>], id: &str) -> LicenceTerm {
    records
        .iter()
        .find(|r| r.id == id)
        .map(|r| LicenceTerm::from_record(r))
        .unwrap_or_else(|| LicenceTerm {
            record: Some(id.to_owned()),
            spdx_id: None,
            name: id.to_owned(),
            url: None,
        })
}

/// A licence document in the tree that aibom identified as a licence without an SPDX id: its
/// text goes into the SPDX output as a custom licence.
#[derive(Debug, Clone)]
pub struct CustomLicence {
    pub term: LicenceTerm,
    /// The licence document's repository-relative path.
    pub path: String,
}

/// Every licence record, identified from a licence file in the scanned tree, that has no SPDX
/// id — keyed by its `LicenseRef-` term, the first file in path order wins.
pub fn custom_licences(result: &ScanResult) -> Vec<CustomLicence> {
    let mut found: Vec<CustomLicence> = Vec::new();
    for component in result.inventory.components.values() {
        let records = known_records(result, component);
        let Some(concluded) = &component.concluded_license else {
            continue;
        };
        for evidence in &concluded.evidence {
            if evidence.source != "licence file" {
                continue;
            }
            let Some(path) = &evidence.path else { continue };
            for id in &evidence.licenses {
                let term = term_for(&records, id);
                if term.spdx_id.is_some() || found.iter().any(|c| c.term == term) {
                    continue;
                }
                found.push(CustomLicence {
                    term,
                    path: path.clone(),
                });
            }
        }
    }
    found.sort_by(|a, b| (&a.path, &a.term).cmp(&(&b.path, &b.term)));
    found.dedup_by(|a, b| a.term == b.term);
    found
}

/// The text of a licence document in the scanned tree (or, after `--staged`, in the git index): a
/// regular file (never a symlink), at most 1 MiB, as UTF-8 (invalid bytes replaced). `None` when
/// it cannot be read.
pub fn licence_text(result: &ScanResult, path: &str) -> Option<String> {
    let bytes = result
        .documents
        .read(&result.root, path, MAX_LICENCE_TEXT_BYTES)
        .ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Whether a corpus holds personal data, and how aibom knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonalData {
    /// Found or declared; one line per kind of evidence (types and counts, never values).
    Yes(Vec<String>),
    /// Scanned (or declared) and none found.
    No(String),
    /// Nobody looked: the privacy scan did not run on it and nothing declares it.
    NotEvaluated,
}

/// Personal data in a dataset or corpus, from the privacy stage's `pii` facts, the manifest's
/// `contains_pii`, or the dataset card's "Personal and Sensitive Information" section.
pub fn personal_data(component: &Component) -> PersonalData {
    let props = &component.properties;
    let mut found = Vec::new();
    let mut scanned_clean = None;
    if let Some(types) = props
        .get("pii")
        .and_then(|p| p.get("types"))
        .and_then(Value::as_object)
    {
        for (kind, counts) in types {
            let count = counts.get("count").and_then(Value::as_u64).unwrap_or(0);
            let synthetic = counts.get("synthetic").and_then(Value::as_u64).unwrap_or(0);
            if count > synthetic {
                found.push(format!(
                    "{kind}: {count} found by the aibom privacy scan ({synthetic} synthetic)"
                ));
            }
        }
        if found.is_empty() {
            scanned_clean = Some("the aibom privacy scan found no real personal data".to_owned());
        }
    }
    match props.get("contains_pii").and_then(Value::as_bool) {
        Some(true) => found.push("declared in the aibom.toml manifest (contains_pii)".to_owned()),
        Some(false) if found.is_empty() && scanned_clean.is_none() => {
            scanned_clean = Some("declared free of personal data in aibom.toml".to_owned());
        }
        _ => {}
    }
    if let Some(texts) = props
        .get("personal_sensitive_information")
        .and_then(Value::as_array)
    {
        for text in texts.iter().filter_map(Value::as_str) {
            found.push(format!("dataset card: {text}"));
        }
    }
    match (found.is_empty(), scanned_clean) {
        (false, _) => PersonalData::Yes(found),
        (true, Some(how)) => PersonalData::No(how),
        (true, None) => PersonalData::NotEvaluated,
    }
}

/// For model-like components: the personal-data types of the corpora they were trained on,
/// `Some(empty)` when the privacy stage found none, `None` when it did not evaluate them.
pub fn trained_on_personal_data(component: &Component) -> Option<Vec<String>> {
    let value = component.properties.get("trained_on_pii")?;
    Some(
        value
            .as_array()
            .map(|types| {
                types
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
    )
}

/// A property value as one string: strings as they are, everything else as compact JSON.
pub fn property_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Owners, custodians and stewards of a dataset, from optional manifest properties (`owner`,
/// `owners`, `custodians`, `stewards`; a string or a list of strings).
pub fn governance(component: &Component) -> Governance {
    let list = |keys: &[&str]| -> Vec<String> {
        let mut names = BTreeSet::new();
        for key in keys {
            match component.properties.get(*key) {
                Some(Value::String(s)) if !s.trim().is_empty() => {
                    names.insert(s.trim().to_owned());
                }
                Some(Value::Array(items)) => {
                    for s in items.iter().filter_map(Value::as_str) {
                        if !s.trim().is_empty() {
                            names.insert(s.trim().to_owned());
                        }
                    }
                }
                _ => {}
            }
        }
        names.into_iter().collect()
    };
    Governance {
        owners: list(&["owner", "owners"]),
        custodians: list(&["custodian", "custodians"]),
        stewards: list(&["steward", "stewards"]),
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Governance {
    pub owners: Vec<String>,
    pub custodians: Vec<String>,
    pub stewards: Vec<String>,
}

impl Governance {
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty() && self.custodians.is_empty() && self.stewards.is_empty()
    }
}

/// The `[[tool]]` registry entry that covers an agent tool component, if any.
pub fn tool_entry<'a>(
    result: &'a ScanResult,
    component: &Component,
) -> Option<&'a crate::policy::tools::ToolEntry> {
    let tool_id = component
        .properties
        .get("tool_id")
        .and_then(Value::as_str)
        .unwrap_or(&component.name);
    let is_provider = component.kind == crate::inventory::ComponentKind::ToolProvider;
    result
        .policy
        .tools
        .iter()
        .find(|entry| entry.matches(tool_id, is_provider))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_epoch_seconds() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(4_102_444_799), "2099-12-31T23:59:59Z");
        assert_eq!(rfc3339(-5), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn uuid_has_version_and_variant_bits() {
        let uuid = uuid_from_digest(&[0xff; 32]);
        assert_eq!(uuid, "ffffffff-ffff-5fff-bfff-ffffffffffff");
        let uuid = uuid_from_digest(&[0; 32]);
        assert_eq!(uuid, "00000000-0000-5000-8000-000000000000");
    }

    #[test]
    fn licence_ref_idstrings_keep_only_allowed_characters() {
        assert_eq!(licence_ref_idstring("llama-3.1"), "llama-3.1");
        assert_eq!(
            licence_ref_idstring("https://x.example/a b"),
            "https-x.example-a-b"
        );
        assert_eq!(licence_ref_idstring("///"), "unknown");
    }

    #[test]
    fn exact_spdx_ids_only() {
        assert_eq!(
            LicenceTerm::unrecognised("Apache-2.0").spdx_id.as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(LicenceTerm::unrecognised("apache-2.0").spdx_id, None);
        assert_eq!(
            LicenceTerm::unrecognised("llama3.1").expression(),
            "LicenseRef-declared-llama3.1"
        );
    }
}
