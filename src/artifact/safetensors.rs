//! safetensors headers and shard indexes. STUB.
use super::{ParseError, ParseResult};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SafetensorsHeader {
    pub header_len: u64,
    pub tensor_count: usize,
    pub parameter_count: u64,
    /// dtype → number of tensors.
    pub dtypes: BTreeMap<String, usize>,
    /// `__metadata__` (string → string).
    pub metadata: BTreeMap<String, String>,
    /// Bytes of tensor data the header describes.
    pub data_len: u64,
    /// `8 + header_len + data_len`: what the file size must be.
    pub expected_file_len: u64,
}

/// Read only `8 + N` bytes: the length prefix and the JSON header.
pub fn parse_header<R: Read>(_reader: R, _file_len: u64) -> ParseResult<SafetensorsHeader> {
    Err(ParseError::new("safetensors not implemented yet"))
}

/// `*.safetensors.index.json` / `pytorch_model.bin.index.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ShardIndex {
    pub total_size: Option<u64>,
    /// Shard file names the `weight_map` refers to, sorted and unique.
    pub shards: Vec<String>,
    pub tensor_count: usize,
}

pub fn parse_index(_text: &str) -> ParseResult<ShardIndex> {
    Err(ParseError::new("shard index not implemented yet"))
}
