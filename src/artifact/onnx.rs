//! ONNX model metadata by walking protobuf wire format. STUB.
use super::{ParseError, ParseResult};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{Read, Seek};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OnnxMetadata {
    pub ir_version: Option<i64>,
    pub producer_name: Option<String>,
    pub producer_version: Option<String>,
    pub domain: Option<String>,
    pub model_version: Option<i64>,
    pub doc_string: Option<String>,
    /// (domain, version); a non-default domain implies a custom-op library.
    pub opset_imports: Vec<(String, i64)>,
    pub metadata_props: BTreeMap<String, String>,
    /// `location` of external-data tensors, as written.
    pub external_data: Vec<String>,
}

pub fn parse<R: Read + Seek>(_reader: R, _file_len: u64) -> ParseResult<OnnxMetadata> {
    Err(ParseError::new("onnx not implemented yet"))
}
