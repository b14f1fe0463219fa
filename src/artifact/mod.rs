//! One parser per artefact kind.
//!
//! Parsers read headers and metadata only, return typed data, and make no policy decisions:
//! whether a pickle global is dangerous is recorded here as a classification, but whether that is
//! a finding, and how severe, is for `rules/`. A malformed or hostile file is a `ParseError`
//! value, never a panic, and every length read from a file is checked against a limit or against
//! the file size before anything is allocated.
//!
//! Parsers never execute, unpickle or import anything, and never write.

pub mod card;
pub mod compressed;
pub mod contain;
pub mod corpus;
pub mod croissant;
pub mod escapes;
pub mod gguf;
pub mod hf_cache;
pub mod hf_config;
pub mod keras;
pub mod lfs;
pub mod mapped;
pub mod mcp;
pub mod numpy;
pub mod onnx;
pub mod parsed;
pub mod pickle;
pub mod prompt;
pub mod safetensors;
pub mod script_lex;
pub mod text;
pub mod thrift;
pub mod tool_code;
pub mod tool_json;
pub mod training;
pub mod tsconfig;
pub mod zipped;

use std::fmt;

/// Why a file could not be parsed. `limit` names the resource limit that was hit, when that is
/// the reason, so the finding can say which limit (header size, GGUF count, zip ratio …).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParseError {
    pub message: String,
    pub offset: Option<u64>,
    pub limit: Option<&'static str>,
}

impl ParseError {
    pub fn new(message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
            offset: None,
            limit: None,
        }
    }

    pub fn at(offset: u64, message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
            offset: Some(offset),
            limit: None,
        }
    }

    pub fn limit(limit: &'static str, message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
            offset: None,
            limit: Some(limit),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(offset) = self.offset {
            write!(f, " (at byte {offset})")?;
        }
        if let Some(limit) = self.limit {
            write!(f, " [limit: {limit}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

impl From<std::io::Error> for ParseError {
    fn from(err: std::io::Error) -> Self {
        ParseError::new(format!("read error: {err}"))
    }
}

pub type ParseResult<T> = Result<T, ParseError>;

/// Resource limits shared by every parser. Documented in `docs/limits.md`.
pub mod limits {
    /// safetensors JSON header (the safetensors crate's own maximum).
    pub const SAFETENSORS_HEADER_BYTES: u64 = 100_000_000;
    /// Total bytes of GGUF metadata read before tensor infos.
    pub const GGUF_METADATA_BYTES: u64 = 256 * 1024 * 1024;
    /// Number of GGUF metadata key/value pairs.
    pub const GGUF_KV_COUNT: u64 = 1_000_000;
    /// One GGUF string.
    pub const GGUF_STRING_BYTES: u64 = 64 * 1024 * 1024;
    /// Elements of one GGUF array (token lists run to a few hundred thousand).
    pub const GGUF_ARRAY_LEN: u64 = 16 * 1024 * 1024;
    /// Nesting of GGUF arrays.
    pub const GGUF_ARRAY_DEPTH: u32 = 4;
    /// Bytes of one pickle stream that are walked. The walk streams (large payloads are skipped,
    /// the stack, memo and kept strings have limits of their own), so this bounds time, not
    /// memory: a scikit-learn forest pickles to several GiB, and a stream past this limit cannot
    /// be checked (MOD001), so it is set above the models people really save.
    pub const PICKLE_BYTES: u64 = 4 * 1024 * 1024 * 1024;
    /// Pickle virtual stack depth and memo entries tracked by the opcode walker.
    pub const PICKLE_STACK: usize = 1_000_000;
    pub const PICKLE_MEMO: usize = 1_000_000;
    /// Consecutive pickle streams in one file (legacy torch files hold five).
    pub const PICKLE_STREAMS: usize = 16;
    /// A compressed pickle (joblib `compress=`): decompressed bytes read, and the expansion
    /// ratio above which (and above 1 MiB) it is treated as a bomb. Decompression is streamed,
    /// so the size bounds time, as [`PICKLE_BYTES`] does, and matches it; the ratio is the
    /// bomb guard (4 GiB takes a compressed file of at least 20 MiB).
    pub const DECOMPRESSED_PICKLE_BYTES: u64 = 4 * 1024 * 1024 * 1024;
    pub const DECOMPRESSION_RATIO: u64 = 200;
    /// Zip containers: entries, total uncompressed bytes of entries we read, and the
    /// compression ratio above which an entry is treated as a bomb.
    pub const ZIP_ENTRIES: usize = 100_000;
    pub const ZIP_ENTRY_READ_BYTES: u64 = 512 * 1024 * 1024;
    pub const ZIP_RATIO: u64 = 200;
    /// Nested zip depth (npz inside keras …).
    pub const ZIP_DEPTH: u32 = 2;
    /// NumPy header.
    pub const NPY_HEADER_BYTES: u64 = 1024 * 1024;
    /// ONNX top-level metadata read (the graph is skipped, not read).
    pub const ONNX_FIELD_BYTES: u64 = 64 * 1024 * 1024;
    /// Text artefacts (cards, configs, templates) read whole.
    pub const TEXT_BYTES: u64 = 32 * 1024 * 1024;
    /// JSON / YAML nesting.
    pub const NESTING_DEPTH: usize = 128;
}

/// Lower-case hex of a byte slice.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// True for a 64-character lower- or upper-case hex string (a SHA-256).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}
