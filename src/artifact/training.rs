//! Training and merge configs: axolotl, LLaMA-Factory (incl. `dataset_info.json`), TRL-style
//! YAML/JSON, mergekit. They tell which corpus trained which model. STUB.
use super::text::Spanned;
use super::{ParseError, ParseResult};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrainingFlavour {
    Axolotl,
    LlamaFactory,
    Trl,
    Mergekit,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingConfig {
    pub flavour: TrainingFlavour,
    pub base_model: Option<Spanned<String>>,
    /// Merge inputs (mergekit `models[].model`, `slices[].sources[].model`, `base_model`).
    pub merge_models: Vec<Spanned<String>>,
    /// Dataset references: local paths or hub ids as written; LLaMA-Factory names are kept as
    /// names (resolved through `dataset_info.json` by the inventory).
    pub datasets: Vec<Spanned<String>>,
    /// LLaMA-Factory `dataset_dir`.
    pub dataset_dir: Option<String>,
    pub output_dir: Option<Spanned<String>>,
}

/// Recognise and parse a training config from YAML or JSON text; `Ok(None)` when the document is
/// not a training config.
pub fn parse(_text: &str, _is_yaml: bool) -> ParseResult<Option<TrainingConfig>> {
    Err(ParseError::new("training config not implemented yet"))
}

/// One LLaMA-Factory `dataset_info.json` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DatasetInfoEntry {
    pub file_name: Option<String>,
    pub hf_hub_url: Option<String>,
}

pub fn parse_dataset_info(_text: &str) -> ParseResult<BTreeMap<String, DatasetInfoEntry>> {
    Err(ParseError::new("dataset_info.json not implemented yet"))
}
