//! GGUF v2/v3 header and metadata key/values, stopping before tensor data. STUB.
use super::{ParseError, ParseResult};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum GgufValue {
    UInt(u64),
    Int(i64),
    Float(f64),
    Bool(bool),
    String(String),
    /// Arrays are summarised; string arrays of small, known keys keep their items.
    Array { item_type: u32, len: u64, strings: Option<Vec<String>> },
}

/// A `general.base_model.N.*` or `general.dataset.N.*` group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GgufReference {
    pub name: Option<String>,
    pub organization: Option<String>,
    pub version: Option<String>,
    pub url: Option<String>,
    pub repo_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GgufMetadata {
    pub version: u32,
    pub big_endian: bool,
    pub tensor_count: u64,
    pub kv_count: u64,
    pub kv: BTreeMap<String, GgufValue>,
}

impl GgufMetadata {
    pub fn str(&self, key: &str) -> Option<&str> {
        match self.kv.get(key) {
            Some(GgufValue::String(s)) => Some(s),
            _ => None,
        }
    }
    /// `general.base_model.N.*` groups, in N order.
    pub fn base_models(&self) -> Vec<GgufReference> {
        Vec::new()
    }
    /// `general.dataset.N.*` groups, in N order.
    pub fn datasets(&self) -> Vec<GgufReference> {
        Vec::new()
    }
    /// `tokenizer.chat_template` and `tokenizer.chat_template.<name>`, as (key, template).
    pub fn chat_templates(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}

pub fn parse<R: Read>(_reader: R, _file_len: u64) -> ParseResult<GgufMetadata> {
    Err(ParseError::new("gguf not implemented yet"))
}
