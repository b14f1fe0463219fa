//! NumPy `.npy` headers and `.npz` archives; object arrays hold pickles, which are walked. STUB.
use super::pickle::PickleScan;
use super::{ParseError, ParseResult};
use serde::Serialize;
use std::io::{Read, Seek};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NpyHeader {
    pub version: (u8, u8),
    pub descr: String,
    pub fortran_order: bool,
    pub shape: Vec<u64>,
    /// `descr` contains `O`: the payload is a pickle.
    pub object_dtype: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NpyScan {
    pub header: NpyHeader,
    /// The walk of the pickle payload of an object array.
    pub pickle: Option<PickleScan>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NpzScan {
    pub arrays: Vec<(String, NpyScan)>,
}

pub fn scan_npy<R: Read>(_reader: R, _file_len: u64) -> ParseResult<NpyScan> {
    Err(ParseError::new("npy not implemented yet"))
}

pub fn scan_npz<R: Read + Seek>(_reader: R) -> ParseResult<NpzScan> {
    Err(ParseError::new("npz not implemented yet"))
}
