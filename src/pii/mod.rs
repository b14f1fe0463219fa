//! STUB — the PII engine's public contract (issue #4). The engine helper replaces the bodies;
//! the privacy stage (`crate::privacy`) is written against these names and signatures.
//!
//! Finds personal data in corpus files: streamed, bounded memory, never storing or printing a
//! detected value in clear (only redacted samples and, through the visitor, values the caller
//! hashes at once).

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::Serialize;

pub use crate::artifact::corpus::CorpusFormat;

/// The kinds of personal data the engine detects. The snake_case names are the ones
/// `aibom.toml` uses in `pii_types`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiType {
    Email,
    Phone,
    PaymentCard,
    Iban,
    IpAddress,
    UsSsn,
    UkNino,
    UkNhs,
    DeTaxId,
    DateOfBirth,
    Postcode,
    Passport,
}

impl PiiType {
    pub const ALL: [PiiType; 12] = [
        PiiType::Email,
        PiiType::Phone,
        PiiType::PaymentCard,
        PiiType::Iban,
        PiiType::IpAddress,
        PiiType::UsSsn,
        PiiType::UkNino,
        PiiType::UkNhs,
        PiiType::DeTaxId,
        PiiType::DateOfBirth,
        PiiType::Postcode,
        PiiType::Passport,
    ];

    /// The snake_case name (`email`, `payment_card` …).
    pub fn as_str(self) -> &'static str {
        match self {
            PiiType::Email => "email",
            PiiType::Phone => "phone",
            PiiType::PaymentCard => "payment_card",
            PiiType::Iban => "iban",
            PiiType::IpAddress => "ip_address",
            PiiType::UsSsn => "us_ssn",
            PiiType::UkNino => "uk_nino",
            PiiType::UkNhs => "uk_nhs",
            PiiType::DeTaxId => "de_tax_id",
            PiiType::DateOfBirth => "date_of_birth",
            PiiType::Postcode => "postcode",
            PiiType::Passport => "passport",
        }
    }

    pub fn parse(name: &str) -> Option<PiiType> {
        PiiType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// One detected value, handed to the visitor while the file streams. `normalized` is the
/// canonical form (lower-cased email, E.164 phone …) that erasure-log hashes are computed
/// over; the caller must not keep or print it.
pub struct Match<'a> {
    pub kind: PiiType,
    pub normalized: &'a str,
    /// 1-based line (record) number.
    pub line: u64,
    /// A documentation value (example.com, 555-01xx, 4111 1111 1111 1111 …).
    pub synthetic: bool,
}

/// What one file holds, per type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TypeReport {
    /// Real (non-synthetic) occurrences.
    pub count: u64,
    /// Documentation values, reported at note level only.
    pub synthetic: u64,
    /// The first few lines where the type occurs.
    pub first_lines: Vec<u64>,
    /// A few redacted samples (`j***@e***.com`); never a value in clear.
    pub samples: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub by_type: BTreeMap<PiiType, TypeReport>,
    pub bytes_scanned: u64,
    pub records: u64,
    /// A resource limit that stopped or narrowed the scan, said in words.
    pub limit: Option<String>,
}

/// Scans one corpus file. `visit` sees every match (real and synthetic) as it is found.
pub fn scan_file(
    path: &Path,
    format: CorpusFormat,
    visit: &mut dyn FnMut(&Match<'_>),
) -> io::Result<FileReport> {
    let _ = (path, format, visit);
    Ok(FileReport::default())
}

/// Scans bytes already in memory (tests, fuzzing, staged blobs).
pub fn scan_bytes(
    bytes: &[u8],
    format: CorpusFormat,
    visit: &mut dyn FnMut(&Match<'_>),
) -> FileReport {
    let _ = (bytes, format, visit);
    FileReport::default()
}

/// The normalised form of an email address or phone number as the erasure log hashes it
/// (`aibom hash-subject`); `None` when `value` is not one.
pub fn normalize_subject(value: &str) -> Option<(PiiType, String)> {
    let _ = value;
    None
}
