//! Zip containers (torch `.pt`/`.bin` zip archives, Keras `.keras`, NumPy `.npz`). STUB.
use super::pickle::PickleScan;
use super::{ParseError, ParseResult};
use serde::Serialize;
use std::io::{Read, Seek};

/// True when a file starts with a zip local header (`PK\x03\x04`) or is an empty archive.
pub fn is_zip(prefix: &[u8]) -> bool {
    prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(b"PK\x05\x06")
}

/// A torch zip checkpoint: every `.pkl` entry walked (`*/data.pkl`, `constants.pkl` …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TorchZipScan {
    pub entries: usize,
    /// Pickle entries by name, each with its walk.
    pub pickles: Vec<(String, PickleScan)>,
    /// TorchScript archives carry `code/` entries.
    pub torchscript: bool,
}

pub fn scan_torch_zip<R: Read + Seek>(_reader: R) -> ParseResult<TorchZipScan> {
    Err(ParseError::new("torch zip scanning not implemented yet"))
}
