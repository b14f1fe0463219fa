//! Corpora: JSONL, JSON, CSV, TSV, plain text and Parquet — format, records, columns, size.
//! Streamed; memory does not grow with file size. STUB.
use super::{ParseError, ParseResult};
use serde::Serialize;
use std::io::Read;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CorpusFormat {
    Jsonl,
    Json,
    Csv,
    Tsv,
    Text,
    Parquet,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorpusStats {
    pub format: CorpusFormat,
    /// Records: JSONL lines, JSON array items, CSV rows after the header, text lines,
    /// Parquet rows from the footer.
    pub records: u64,
    /// Column or top-level field names (union over the first records), sorted.
    pub columns: Vec<String>,
    /// Records that did not parse (a JSONL line that is not JSON …).
    pub malformed_records: u64,
    pub bytes: u64,
}

/// Stream a text corpus.
pub fn scan_text<R: Read>(_reader: R, _format: CorpusFormat) -> ParseResult<CorpusStats> {
    Err(ParseError::new("corpus not implemented yet"))
}

/// Parquet: rows and columns from the footer only.
pub fn scan_parquet(_file: std::fs::File) -> ParseResult<CorpusStats> {
    Err(ParseError::new("parquet not implemented yet"))
}
