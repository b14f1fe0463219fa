//! Keras `.keras` (zip with `config.json`) and legacy `.h5` (HDF5 with a JSON `model_config`). STUB.
use super::{ParseError, ParseResult};
use serde::Serialize;
use std::io::{Read, Seek};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CustomObject {
    pub class_name: String,
    pub module: Option<String>,
    pub registered_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KerasScan {
    /// `keras-v3` or `h5`.
    pub format: &'static str,
    pub keras_version: Option<String>,
    /// Layer class names with their counts, sorted.
    pub layer_classes: Vec<(String, usize)>,
    /// Names of `Lambda` layers (they carry marshalled Python bytecode).
    pub lambda_layers: Vec<String>,
    /// Classes from modules outside `keras.*` (custom code a loader must import).
    pub custom_objects: Vec<CustomObject>,
}

pub fn scan_keras_zip<R: Read + Seek>(_reader: R) -> ParseResult<KerasScan> {
    Err(ParseError::new("keras not implemented yet"))
}

pub fn scan_h5<R: Read>(_reader: R, _file_len: u64) -> ParseResult<KerasScan> {
    Err(ParseError::new("h5 not implemented yet"))
}
