//! Hugging Face configs: `config.json`, `adapter_config.json`, `tokenizer_config.json`,
//! `chat_template.jinja`. STUB.
use super::text::{Spanned, TextSpan};
use super::{ParseError, ParseResult};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ModelConfig {
    pub name_or_path: Option<Spanned<String>>,
    pub architectures: Vec<String>,
    pub model_type: Option<String>,
    /// `auto_map`: class → `module.Class` (or `repo--module.Class`): remote code.
    pub auto_map: BTreeMap<String, String>,
    pub auto_map_span: Option<TextSpan>,
    pub quantization_method: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AdapterConfig {
    pub base_model_name_or_path: Option<Spanned<String>>,
    pub revision: Option<String>,
    pub peft_type: Option<String>,
    pub task_type: Option<String>,
    pub r: Option<u64>,
    pub lora_alpha: Option<f64>,
    pub target_modules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatTemplate {
    /// `default` or the template's name.
    pub name: String,
    pub template: String,
    /// Where the template starts in the file (for a JSON string, the opening quote).
    pub span: Option<TextSpan>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TokenizerConfig {
    pub chat_templates: Vec<ChatTemplate>,
    pub auto_map: BTreeMap<String, String>,
    pub auto_map_span: Option<TextSpan>,
}

pub fn parse_model_config(_text: &str) -> ParseResult<ModelConfig> {
    Err(ParseError::new("config.json not implemented yet"))
}

pub fn parse_adapter_config(_text: &str) -> ParseResult<AdapterConfig> {
    Err(ParseError::new("adapter_config.json not implemented yet"))
}

pub fn parse_tokenizer_config(_text: &str) -> ParseResult<TokenizerConfig> {
    Err(ParseError::new("tokenizer_config.json not implemented yet"))
}
