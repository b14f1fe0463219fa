//! Finds personal data in corpus files (SPEC §5.1): streamed, bounded memory, never storing or
//! printing a detected value in clear (only redacted samples and, through the visitor, values
//! the caller hashes at once).
//!
//! Layout: `detect` (anchors, the digit-run tokenizer and the shape dispatch), `validate`
//! (checksums and issuing rules), `phone` (per-country validity and E.164), `synthetic`
//! (documentation values), `redact` (samples), `stream` (chunks, regions, JSON string values)
//! and `parquet` (string columns, row group by row group). Nothing here writes a file or
//! prints anything; callers decide what to report.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::artifact::parsed::WHOLE_FILE_BYTES;

pub mod cached;
pub mod cells;
pub mod detect;
mod find;
mod parquet;
pub mod phone;
pub mod redact;
pub mod stream;
pub mod synthetic;
pub mod validate;

pub use crate::artifact::corpus::CorpusFormat;

/// The kinds of personal data the engine detects. The snake_case names are the ones
/// `aibom.toml` uses in `pii_types`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeReport {
    /// Real (non-synthetic) occurrences.
    pub count: u64,
    /// Documentation values, reported at note level only.
    pub synthetic: u64,
    /// The first few lines where the type occurs: of real values, or of documentation values
    /// when there are no real ones.
    pub first_lines: Vec<u64>,
    /// A few redacted samples (`j***@e***.com`), chosen as the lines are; never a value in
    /// clear.
    pub samples: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub by_type: BTreeMap<PiiType, TypeReport>,
    pub bytes_scanned: u64,
    pub records: u64,
    /// A resource limit that stopped or narrowed the scan, said in words.
    pub limit: Option<String>,
}

/// At most this many first lines are kept per type.
pub const FIRST_LINES: usize = 5;
/// At most this many redacted samples are kept per type.
pub const SAMPLES: usize = 3;

/// Builds a `FileReport` from matches that arrive in file order.
#[derive(Default)]
struct Collector {
    by_type: BTreeMap<PiiType, Collected>,
}

#[derive(Default)]
struct Collected {
    report: TypeReport,
    synthetic_lines: Vec<u64>,
    synthetic_samples: Vec<String>,
}

impl Collector {
    fn add(&mut self, kind: PiiType, normalized: &str, line: u64, synthetic: bool) {
        let c = self.by_type.entry(kind).or_default();
        let (lines, samples) = if synthetic {
            c.report.synthetic += 1;
            (&mut c.synthetic_lines, &mut c.synthetic_samples)
        } else {
            c.report.count += 1;
            (&mut c.report.first_lines, &mut c.report.samples)
        };
        if lines.len() < FIRST_LINES && lines.last() != Some(&line) {
            lines.push(line);
        }
        if samples.len() < SAMPLES {
            let sample = redact::redact(kind, normalized);
            if !samples.contains(&sample) {
                samples.push(sample);
            }
        }
    }

    /// Real occurrences come first; synthetic ones fill the remaining places.
    fn finish(self) -> BTreeMap<PiiType, TypeReport> {
        self.by_type
            .into_iter()
            .map(|(kind, mut c)| {
                let r = &mut c.report;
                if r.count > 0 {
                    // Real values stand for themselves: documentation values among the first
                    // lines and samples would be taken for real ones.
                    return (kind, c.report);
                }
                for line in c.synthetic_lines {
                    if r.first_lines.len() < FIRST_LINES && !r.first_lines.contains(&line) {
                        r.first_lines.push(line);
                    }
                }
                r.first_lines.sort_unstable();
                for s in c.synthetic_samples {
                    if r.samples.len() < SAMPLES && !r.samples.contains(&s) {
                        r.samples.push(s);
                    }
                }
                (kind, c.report)
            })
            .collect()
    }

    fn hit(&mut self, h: &stream::Hit, line: u64, visit: &mut dyn FnMut(&Match<'_>)) {
        visit(&Match {
            kind: h.kind,
            normalized: &h.normalized,
            line,
            synthetic: h.synthetic,
        });
        self.add(h.kind, &h.normalized, line, h.synthetic);
    }
}

/// Scans one corpus file. `visit` sees every match (real and synthetic) as it is found, in
/// file order. A large text file is scanned in parallel in the current rayon pool; the
/// report is the same whatever the number of threads. `records` counts lines (JSONL
/// records, text, TSV and CSV lines: a CSV record whose quoted cell holds line ends counts
/// each of its lines, as [`Match::line`] numbers them; the corpus statistics count its records)
/// or, for Parquet, rows.
pub fn scan_file(
    path: &Path,
    format: CorpusFormat,
    visit: &mut dyn FnMut(&Match<'_>),
) -> io::Result<FileReport> {
    if format == CorpusFormat::Parquet {
        return parquet::scan(path, visit);
    }
    // A small file (the size the parsers read whole) is read whole, in one call: mapping it, and reading its last byte apart,
    // would cost more system calls than its scan costs time.
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_file() && meta.len() <= WHOLE_FILE_BYTES {
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        io::Read::read_to_end(&mut io::Read::take(&mut file, meta.len()), &mut bytes)?;
        return Ok(scan_bytes(&bytes, format, visit));
    }
    drop(file);
    let mut collector = Collector::default();
    let mut lines_before = 0u64;
    let mut bytes = 0u64;
    stream::scan_text_file(path, format, &mut |region| {
        for h in &region.hits {
            collector.hit(h, lines_before + h.line + 1, visit);
        }
        lines_before += region.newlines;
        bytes += region.bytes;
    })?;
    let partial_last_line = bytes > 0 && last_byte(path)? != Some(b'\n');
    Ok(FileReport {
        by_type: collector.finish(),
        bytes_scanned: bytes,
        records: lines_before + u64::from(partial_last_line),
        limit: None,
    })
}

fn last_byte(path: &Path) -> io::Result<Option<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok(None);
    }
    f.seek(SeekFrom::Start(len - 1))?;
    let mut b = [0u8; 1];
    f.read_exact(&mut b)?;
    Ok(Some(b[0]))
}

/// Scans bytes already in memory (tests, fuzzing, staged blobs). Parquet that cannot be
/// decoded gives an empty report whose `limit` says why.
pub fn scan_bytes(
    bytes: &[u8],
    format: CorpusFormat,
    visit: &mut dyn FnMut(&Match<'_>),
) -> FileReport {
    let mut collector = Collector::default();
    if format == CorpusFormat::Parquet {
        return parquet::scan_bytes(bytes, visit).unwrap_or_else(|e| FileReport {
            bytes_scanned: 0,
            limit: Some(format!(
                "Parquet could not be decoded ({e}); it was not scanned"
            )),
            ..FileReport::default()
        });
    }
    let mut hits = Vec::new();
    let mut scratch = Vec::new();
    let header = cells::Header::parse(bytes, format);
    let syntax = stream::Syntax::of(format, &header);
    let newlines = stream::scan_block(bytes, syntax, false, &mut scratch, &mut hits);
    for h in &hits {
        collector.hit(h, h.line + 1, visit);
    }
    let partial = !bytes.is_empty() && bytes.last() != Some(&b'\n');
    FileReport {
        by_type: collector.finish(),
        bytes_scanned: bytes.len() as u64,
        records: newlines + u64::from(partial),
        limit: None,
    }
}

/// The normalised form of an email address or phone number as the erasure log hashes it
/// (`aibom hash-subject`); `None` when `value` is not one. It is exactly what
/// [`Match::normalized`] carries for the same value in a corpus: an email trimmed and
/// lower-cased, a phone as `+` and digits (national numbers are assigned a country by their
/// prefix and grouping, so E.164 input is the reliable form).
pub fn normalize_subject(value: &str) -> Option<(PiiType, String)> {
    let value = value.trim();
    if value.is_empty() || value.len() > 320 {
        return None;
    }
    let mut found = Vec::new();
    detect::detect(value.as_bytes(), 0, value.len(), b"", &mut |f| {
        found.push(f)
    });
    let wanted = if value.contains('@') {
        PiiType::Email
    } else {
        PiiType::Phone
    };
    match found.as_slice() {
        [one] if one.kind == wanted => Some((one.kind, one.normalized.clone())),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
