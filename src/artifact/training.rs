//! Training and merge configs: axolotl, LLaMA-Factory (incl. `dataset_info.json`), TRL-style
//! YAML/JSON, mergekit. They tell which corpus trained which model, and which models a merge was
//! made from.
//!
//! Most YAML and JSON files in a repository are not training configs, so recognition is
//! conservative: a document must carry a model key *and* the keys that make it one tool's config,
//! otherwise it is `Ok(None)`. Text that mentions none of the model keys is not even parsed.
//! References are recorded as written (local path, hub id or LLaMA-Factory dataset name); nothing
//! is resolved, downloaded or opened here.

use super::card::find_token;
use super::text::{self, Spanned, TextSpan};
use super::{ParseError, ParseResult};
use serde::Serialize;
use serde_json::{Map, Value};
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
    /// TRL `hub_model_id`: the hub repository the trained model is pushed to.
    pub hub_model_id: Option<String>,
    /// The run trains an adapter (axolotl `adapter: lora`, LLaMA-Factory `finetuning_type:
    /// lora` or `oft`, TRL `use_peft: true`), not full weights.
    pub trains_adapter: bool,
    /// The run only evaluates or predicts (`do_train: false`, or `do_predict: true` without
    /// `do_train: true`): it trains nothing.
    pub evaluation_only: bool,
}

/// Text that contains none of these is not a training config and is not parsed.
const MODEL_KEYS: &[&str] = &["base_model", "merge_method", "model_name_or_path"];

/// `datasets` loader names (`path: json` + `data_files: …`): the files are the reference.
const LOADER_NAMES: &[&str] = &["arrow", "csv", "json", "parquet", "text"];

/// TRL / HF example-script dataset keys.
const TRL_DATASET_KEYS: &[&str] = &[
    "dataset_name",
    "dataset_path",
    "train_file",
    "validation_file",
    "test_file",
    "data_files",
];

/// Recognise and parse a training config from YAML or JSON text; `Ok(None)` when the document is
/// not a training config. Text that is not valid YAML/JSON but names a model key is an error.
pub fn parse(text: &str, is_yaml: bool) -> ParseResult<Option<TrainingConfig>> {
    if !MODEL_KEYS.iter().any(|k| text.contains(k)) {
        return Ok(None);
    }
    let value = if is_yaml {
        text::parse_yaml(text)?
    } else {
        text::parse_json(text)?
    };
    let Some(object) = value.as_object() else {
        return Ok(None);
    };
    let doc = Document {
        text,
        is_yaml,
        object,
    };
    Ok(doc
        .mergekit()
        .or_else(|| doc.axolotl())
        .or_else(|| doc.llama_factory())
        .or_else(|| doc.trl()))
}

/// One LLaMA-Factory `dataset_info.json` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DatasetInfoEntry {
    pub file_name: Option<String>,
    pub hf_hub_url: Option<String>,
}

/// LLaMA-Factory `dataset_info.json`: `{name: {file_name, hf_hub_url, …}}`. Entries that are not
/// objects are skipped.
pub fn parse_dataset_info(text: &str) -> ParseResult<BTreeMap<String, DatasetInfoEntry>> {
    let Value::Object(object) = text::parse_json(text)? else {
        return Err(ParseError::new(
            "dataset_info.json must be a JSON object of dataset entries",
        ));
    };
    let str_of = |entry: &Value, key: &str| text::str_at(entry, key).map(str::to_owned);
    Ok(object
        .iter()
        .filter(|(_, entry)| entry.is_object())
        .map(|(name, entry)| {
            let info = DatasetInfoEntry {
                file_name: str_of(entry, "file_name"),
                hf_hub_url: str_of(entry, "hf_hub_url"),
            };
            (name.clone(), info)
        })
        .collect())
}

/// A parsed document with its source text, for spans.
struct Document<'a> {
    text: &'a str,
    is_yaml: bool,
    object: &'a Map<String, Value>,
}

impl Document<'_> {
    fn str(&self, key: &str) -> Option<&str> {
        self.object.get(key).and_then(Value::as_str)
    }

    fn has(&self, key: &str) -> bool {
        self.object.get(key).is_some_and(|v| !v.is_null())
    }

    fn mergekit(&self) -> Option<TrainingConfig> {
        let moe = self.has("gate_mode") && self.object.get("experts").is_some_and(Value::is_array);
        let merge = self.str("merge_method").is_some()
            && (self.object.get("models").is_some_and(Value::is_array)
                || self.object.get("slices").is_some_and(Value::is_array));
        if !merge && !moe {
            return None;
        }
        let items = |key: &str| {
            self.object
                .get(key)
                .and_then(Value::as_array)
                .map(Vec::as_slice)
        };
        let mut models = Vec::new();
        for model in items("models").unwrap_or_default() {
            models.extend(
                model
                    .get("model")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            );
        }
        let mut slice_models = Vec::new();
        for slice in items("slices").unwrap_or_default() {
            for source in slice
                .get("sources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                slice_models.extend(
                    source
                        .get("model")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                );
            }
        }
        let mut experts = Vec::new();
        for expert in items("experts").unwrap_or_default() {
            experts.extend(
                expert
                    .get("source_model")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            );
        }
        let base_model = self.spanned("base_model");
        let mut merge_models = self.spanned_values("models", models);
        merge_models.extend(self.spanned_values("slices", slice_models));
        merge_models.extend(self.spanned_values("experts", experts));
        merge_models.extend(base_model.clone());
        Some(TrainingConfig {
            flavour: TrainingFlavour::Mergekit,
            base_model,
            merge_models: dedup(merge_models),
            datasets: Vec::new(),
            dataset_dir: None,
            output_dir: None,
            hub_model_id: None,
            trains_adapter: false,
            evaluation_only: false,
        })
    }

    fn axolotl(&self) -> Option<TrainingConfig> {
        self.str("base_model")?;
        let has_path_entry = self
            .object
            .get("datasets")
            .and_then(Value::as_array)
            .is_some_and(|items| {
                items
                    .iter()
                    .any(|i| i.get("path").is_some_and(Value::is_string))
            });
        // A run with no dataset of its own (reinforcement learning against an environment) is
        // still axolotl's when it has the keys only axolotl configs have.
        let axolotl_keys = ["rl", "micro_batch_size", "sequence_len"]
            .iter()
            .any(|k| self.has(k));
        if !has_path_entry && !self.has("pretraining_dataset") && !axolotl_keys {
            return None;
        }
        let mut datasets = Vec::new();
        for key in ["datasets", "pretraining_dataset", "test_datasets"] {
            let mut values = Vec::new();
            match self.object.get(key) {
                Some(Value::String(s)) => values.push(s.clone()),
                Some(Value::Array(items)) => {
                    items.iter().for_each(|i| dataset_entry(i, &mut values))
                }
                Some(entry @ Value::Object(_)) => dataset_entry(entry, &mut values),
                _ => {}
            }
            datasets.extend(self.spanned_values(key, values));
        }
        Some(self.config(TrainingFlavour::Axolotl, "base_model", datasets, None))
    }

    fn llama_factory(&self) -> Option<TrainingConfig> {
        self.str("model_name_or_path")?;
        if !self.has("stage") && !self.has("finetuning_type") {
            return None;
        }
        let mut datasets = Vec::new();
        for key in ["dataset", "eval_dataset"] {
            let names: Vec<String> = match self.object.get(key) {
                Some(Value::String(s)) => s.split(',').map(str::trim).map(str::to_owned).collect(),
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(|v| v.as_str().map(|s| s.trim().to_owned()))
                    .collect(),
                _ => Vec::new(),
            };
            let names = names.into_iter().filter(|n| !n.is_empty()).collect();
            datasets.extend(self.spanned_values(key, names));
        }
        let dataset_dir = self.str("dataset_dir").map(str::to_owned);
        Some(self.config(
            TrainingFlavour::LlamaFactory,
            "model_name_or_path",
            datasets,
            dataset_dir,
        ))
    }

    fn trl(&self) -> Option<TrainingConfig> {
        let model_key = ["model_name_or_path", "base_model"]
            .into_iter()
            .find(|k| self.str(k).is_some())?;
        let mixture = |key| self.object.get(key).and_then(Value::as_object);
        let has_mixture =
            mixture("dataset_mixture").is_some() || mixture("dataset_mixer").is_some();
        if !has_mixture && !TRL_DATASET_KEYS.iter().any(|k| self.has(k)) {
            return None;
        }
        // As for `load_dataset(dataset_name, data_files=…)`: a loader name defers to the files;
        // any other name (a hub dataset or a folder) is the reference, the files inside it.
        let loader = self
            .str("dataset_name")
            .map(|name| LOADER_NAMES.contains(&name));
        let mut datasets = Vec::new();
        for key in TRL_DATASET_KEYS {
            let mut values = Vec::new();
            strings_deep(self.object.get(*key), 2, &mut values);
            if *key == "dataset_name" && self.has("data_files") {
                values.retain(|v| !LOADER_NAMES.contains(&v.as_str()));
            }
            if *key == "data_files" && loader == Some(false) {
                values.clear();
            }
            datasets.extend(self.spanned_values(key, values));
        }
        if let Some(Value::Array(items)) = self
            .object
            .get("dataset_mixture")
            .and_then(|m| m.get("datasets"))
        {
            let ids = items
                .iter()
                .filter_map(|i| i.get("id").and_then(Value::as_str))
                .map(str::to_owned);
            datasets.extend(self.spanned_values("dataset_mixture", ids.collect()));
        }
        // The alignment-handbook recipes' older form: `dataset_mixer: {<dataset>: <fraction>}`.
        if let Some(mixer) = mixture("dataset_mixer") {
            let ids = mixer.keys().filter(|id| !id.is_empty()).cloned();
            datasets.extend(self.spanned_values("dataset_mixer", ids.collect()));
        }
        Some(self.config(TrainingFlavour::Trl, model_key, datasets, None))
    }

    fn config(
        &self,
        flavour: TrainingFlavour,
        model_key: &str,
        datasets: Vec<Spanned<String>>,
        dataset_dir: Option<String>,
    ) -> TrainingConfig {
        TrainingConfig {
            flavour,
            base_model: self.spanned(model_key),
            merge_models: Vec::new(),
            datasets: dedup(datasets),
            dataset_dir,
            output_dir: self.spanned("output_dir"),
            hub_model_id: self.str("hub_model_id").map(str::to_owned),
            trains_adapter: self.trains_adapter(),
            evaluation_only: self.flag("do_train") == Some(false)
                || (self.flag("do_predict") == Some(true) && self.flag("do_train") != Some(true)),
        }
    }

    fn flag(&self, key: &str) -> Option<bool> {
        self.object.get(key).and_then(Value::as_bool)
    }

    fn trains_adapter(&self) -> bool {
        let axolotl = self.str("adapter").is_some_and(|v| !v.trim().is_empty());
        let llama_factory = self
            .str("finetuning_type")
            .is_some_and(|v| ["lora", "oft"].contains(&v.trim().to_ascii_lowercase().as_str()));
        axolotl || llama_factory || self.flag("use_peft") == Some(true)
    }

    fn key_span(&self, key: &str) -> Option<TextSpan> {
        if self.is_yaml {
            text::find_yaml_key(self.text, key)
        } else {
            text::find_json_key(self.text, key)
        }
    }

    /// A string value at `key` with the span of the value as written (else of the key).
    fn spanned(&self, key: &str) -> Option<Spanned<String>> {
        let value = self.str(key)?.to_owned();
        self.spanned_values(key, vec![value]).pop()
    }

    /// Values written, in order, somewhere after `key`: each is located as a token after the
    /// previous one, falling back to the key's span. Template placeholders are no references
    /// and are dropped.
    fn spanned_values(&self, key: &str, values: Vec<String>) -> Vec<Spanned<String>> {
        let key_span = self.key_span(key);
        let mut cursor = key_span.map(|s| s.offset.saturating_add(s.len));
        values
            .into_iter()
            .filter(|value| !is_placeholder(value))
            .map(|value| {
                let found =
                    cursor.and_then(|from| find_token(self.text, &value, from, self.text.len()));
                let span = match found {
                    Some(at) => {
                        cursor = Some(at.saturating_add(value.len()));
                        Some(TextSpan::at(self.text, at, value.len()))
                    }
                    None => key_span,
                };
                Spanned::new(value, span)
            })
            .collect()
    }
}

/// A value a template fills in (`${BASE_MODEL}`, `{{ model }}`, `<your-hf-dataset-id>`), or
/// none at all.
fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    value.is_empty()
        || value.contains("${")
        || value.contains("{{")
        || (value.starts_with('<') && value.ends_with('>'))
}

/// An axolotl dataset entry: a string, or `{path, data_files, …}`. As for `load_dataset`, a
/// loader-name `path` (`json`, `csv` …) defers to its `data_files`; any other `path` (a hub
/// dataset or a folder) is the reference, and its `data_files` name files inside it.
fn dataset_entry(entry: &Value, out: &mut Vec<String>) {
    match entry {
        Value::String(s) => out.push(s.clone()),
        Value::Object(map) => match map.get("path").and_then(Value::as_str) {
            Some(path) if !LOADER_NAMES.contains(&path) => out.push(path.to_owned()),
            _ => strings_deep(map.get("data_files"), 2, out),
        },
        _ => {}
    }
}

/// Strings of a string, list or `{split: string-or-list}` value, to `depth` levels.
fn strings_deep(value: Option<&Value>, depth: usize, out: &mut Vec<String>) {
    match value {
        Some(Value::String(s)) => out.push(s.clone()),
        Some(Value::Array(items)) if depth > 0 => {
            items
                .iter()
                .for_each(|v| strings_deep(Some(v), depth - 1, out));
        }
        Some(Value::Object(map)) if depth > 0 => {
            map.values()
                .for_each(|v| strings_deep(Some(v), depth - 1, out));
        }
        _ => {}
    }
}

/// Keep the first occurrence of each value.
fn dedup(items: Vec<Spanned<String>>) -> Vec<Spanned<String>> {
    let mut seen = std::collections::BTreeSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(item.value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Option<TextSpan>) -> &str {
        let span = span.unwrap();
        &text[span.offset..span.offset + span.len]
    }

    fn values(items: &[Spanned<String>]) -> Vec<&str> {
        items.iter().map(|i| i.value.as_str()).collect()
    }

    #[test]
    fn axolotl() {
        let text = "base_model: NousResearch/Llama-2-7b-hf\nmodel_type: LlamaForCausalLM\n\
datasets:\n  - path: mhenrichsen/alpaca_2k_test\n    type: alpaca\n  - path: json\n    data_files: data/chats.jsonl\n    type: chat_template\n\
dataset_prepared_path: last_run_prepared\noutput_dir: ./outputs/lora-out\nadapter: lora\n";
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::Axolotl);
        let base = c.base_model.unwrap();
        assert_eq!(base.value, "NousResearch/Llama-2-7b-hf");
        assert_eq!(slice(text, base.span), "NousResearch/Llama-2-7b-hf");
        assert_eq!(
            values(&c.datasets),
            ["mhenrichsen/alpaca_2k_test", "data/chats.jsonl"]
        );
        assert_eq!(c.datasets[0].span.unwrap().line, 4);
        assert_eq!(c.datasets[1].span.unwrap().line, 7);
        let out = c.output_dir.unwrap();
        assert_eq!(out.value, "./outputs/lora-out");
        assert_eq!(out.span.unwrap().line, 10);
        assert!(c.merge_models.is_empty());
        assert!(c.trains_adapter);
    }

    #[test]
    fn data_files_of_a_hub_dataset_or_folder_are_inside_it() {
        // `load_dataset(path, data_files=…)`: only a loader name defers to the files.
        let text = "base_model: acme/acme-7b
adapter: lora
datasets:
  - path: acme/instruct-mix
    data_files:
      - subsets/math_train.jsonl
    type: alpaca
  - path: data/local-set
    data_files: train.jsonl
    type: alpaca
  - path: csv
    data_files: [data/a.csv, data/b.csv]
output_dir: ./out
";
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::Axolotl);
        assert_eq!(
            values(&c.datasets),
            [
                "acme/instruct-mix",
                "data/local-set",
                "data/a.csv",
                "data/b.csv"
            ]
        );

        let text = "model_name_or_path: acme/acme-7b
dataset_name: acme/chats
data_files: {train: part-1.jsonl}
output_dir: out
";
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::Trl);
        assert_eq!(values(&c.datasets), ["acme/chats"]);
    }

    #[test]
    fn an_axolotl_run_without_datasets_is_still_a_training_config() {
        let text = "base_model: acme/acme-7b
rl: grpo
sequence_len: 2048
micro_batch_size: 1
adapter: lora
output_dir: ./outputs/grpo
";
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::Axolotl);
        assert_eq!(c.base_model.unwrap().value, "acme/acme-7b");
        assert!(c.datasets.is_empty());
        assert!(c.trains_adapter);
        // `base_model` alone (a card's front matter, any other config) is not enough.
        assert!(
            parse("base_model: acme/acme-7b\nlicense: mit\n", true)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn llama_factory() {
        let text = "### model\nmodel_name_or_path: meta-llama/Meta-Llama-3-8B-Instruct\n\n\
stage: sft\nfinetuning_type: lora\ndataset: identity, alpaca_en_demo\ndataset_dir: data\n\
template: llama3\noutput_dir: saves/llama3-8b/lora/sft\n";
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::LlamaFactory);
        assert_eq!(
            c.base_model.unwrap().value,
            "meta-llama/Meta-Llama-3-8B-Instruct"
        );
        assert_eq!(values(&c.datasets), ["identity", "alpaca_en_demo"]);
        let span = c.datasets[1].span.unwrap();
        assert_eq!((span.line, span.column), (6, 20));
        assert_eq!(c.dataset_dir.as_deref(), Some("data"));
        assert_eq!(c.output_dir.unwrap().value, "saves/llama3-8b/lora/sft");
        assert!(c.trains_adapter);
        assert!(!c.evaluation_only);

        let predict = "model_name_or_path: org/m\nadapter_name_or_path: saves/lora\nstage: sft\n\
do_predict: true\nfinetuning_type: oft\neval_dataset: identity\noutput_dir: saves/predict\n";
        let c = parse(predict, true).unwrap().unwrap();
        assert!(c.trains_adapter);
        assert!(c.evaluation_only);
        let c = parse(
            &predict.replace("do_predict: true", "do_train: true\ndo_predict: true"),
            true,
        );
        assert!(!c.unwrap().unwrap().evaluation_only);
        let c = parse(
            &predict.replace("do_predict: true", "do_train: false"),
            true,
        );
        assert!(c.unwrap().unwrap().evaluation_only);
    }

    #[test]
    fn llama_factory_json() {
        let text =
            r#"{"model_name_or_path": "Qwen/Qwen2-7B", "stage": "pt", "dataset": "c4_demo"}"#;
        let c = parse(text, false).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::LlamaFactory);
        assert_eq!(values(&c.datasets), ["c4_demo"]);
        assert_eq!(slice(text, c.datasets[0].span), "c4_demo");
        assert!(c.output_dir.is_none());
        assert!(!c.trains_adapter);
    }

    #[test]
    fn trl_style() {
        let text = r#"{
  "model_name_or_path": "Qwen/Qwen2-0.5B",
  "dataset_name": "json",
  "data_files": {"train": ["data/a.jsonl", "data/b.jsonl"], "test": "data/c.jsonl"},
  "output_dir": "out"
}"#;
        let c = parse(text, false).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::Trl);
        assert_eq!(
            values(&c.datasets),
            ["data/a.jsonl", "data/b.jsonl", "data/c.jsonl"]
        );
        assert_eq!(c.datasets[2].span.unwrap().line, 4);
        assert_eq!(c.output_dir.unwrap().value, "out");
        assert!(!c.trains_adapter);
        assert_eq!(c.hub_model_id, None);

        let text = "base_model: org/m\ndataset_name: trl-lib/Capybara\n";
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::Trl);
        assert_eq!(c.base_model.unwrap().value, "org/m");
        assert_eq!(values(&c.datasets), ["trl-lib/Capybara"]);

        let text = "model_name_or_path: org/m\ndataset_mixture:\n  datasets:\n    - id: org/d1\n    - id: org/d2\nuse_peft: true\nhub_model_id: acme-7b-sft\n";
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(values(&c.datasets), ["org/d1", "org/d2"]);
        assert_eq!(c.datasets[1].span.unwrap().line, 5);
        assert!(c.trains_adapter);
        assert_eq!(c.hub_model_id.as_deref(), Some("acme-7b-sft"));

        let text = "model_name_or_path: org/m-sft\nuse_peft: true\ndataset_mixer:\n  org/prefs: 1.0\n  org/more-prefs: 0.5\ndataset_splits:\n- train_prefs\noutput_dir: out\n";
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::Trl);
        assert_eq!(values(&c.datasets), ["org/prefs", "org/more-prefs"]);
        assert_eq!(c.datasets[1].span.unwrap().line, 5);
        assert_eq!(c.datasets[0].span.unwrap().line, 4);
        assert!(c.trains_adapter);
    }

    #[test]
    fn mergekit() {
        let text = concat!(
            "slices:\n  - sources:\n      - model: org/a\n        layer_range: [0, 32]\n",
            "      - model: org/b\n        layer_range: [0, 32]\n",
            "  - sources:\n      - model: org/a\n        layer_range: [32, 40]\n",
            "merge_method: slerp\nbase_model: org/a\nparameters:\n  t: 0.5\n",
        );
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::Mergekit);
        assert_eq!(values(&c.merge_models), ["org/a", "org/b"]);
        assert_eq!(c.merge_models[1].span.unwrap().line, 5);
        assert_eq!(c.base_model.unwrap().span.unwrap().line, 11);

        let text = "models:\n  - model: org/x\n    parameters: {weight: 0.5}\n  - model: org/y+org/lora\nmerge_method: ties\nbase_model: org/base\n";
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(
            values(&c.merge_models),
            ["org/x", "org/y+org/lora", "org/base"]
        );

        let text = "base_model: org/base\ngate_mode: hidden\nexperts:\n  - source_model: org/e1\n    positive_prompts: [x]\n";
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::Mergekit);
        assert_eq!(values(&c.merge_models), ["org/e1", "org/base"]);
    }

    #[test]
    fn template_placeholders_are_no_references() {
        let text = concat!(
            "base_model: ${BASE_MODEL}\ndatasets:\n  - path: <your-hf-dataset-id>\n",
            "    type: alpaca\n  - path: \"data/{{ name }}.jsonl\"\n  - path: data/chats.jsonl\n",
            "output_dir: ${OUTPUT_DIR}\n",
        );
        let c = parse(text, true).unwrap().unwrap();
        assert_eq!(c.flavour, TrainingFlavour::Axolotl);
        assert_eq!(c.base_model, None);
        assert_eq!(values(&c.datasets), ["data/chats.jsonl"]);
        assert_eq!(c.output_dir, None);
    }

    #[test]
    fn other_documents_are_not_training_configs() {
        let not = [
            ("name: CI\non: push\njobs: {}\n", true),
            ("base_model: org/a\n", true),
            ("base_model: org/a\ndatasets: [org/d]\n", true),
            ("model_name_or_path: org/a\nlearning_rate: 1e-4\n", true),
            ("- base_model: x\n", true),
            ("merge_method: slerp\n", true),
            (
                r#"{"base_model": "x", "datasets": [{"type": "alpaca"}]}"#,
                false,
            ),
            ("[1, 2, 3]", false),
            ("not: [valid", true),
        ];
        for (text, is_yaml) in not {
            assert_eq!(parse(text, is_yaml).unwrap(), None, "{text}");
        }
    }

    #[test]
    fn invalid_documents_with_model_keys_are_errors() {
        let err = parse("base_model: [org/a\n", true).unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
        let err = parse("{\"base_model\": }", false).unwrap_err();
        assert!(err.message.starts_with("invalid JSON"), "{}", err.message);
        let deep = format!("{{\"base_model\": {}", "[".repeat(50_000));
        assert!(parse(&deep, false).is_err());
    }

    #[test]
    fn dataset_info() {
        let text = r#"{
  "alpaca_en_demo": {"file_name": "alpaca_en_demo.json"},
  "identity": {"file_name": "identity.json", "formatting": "alpaca"},
  "hub": {"hf_hub_url": "org/ds", "ms_hub_url": "x"},
  "junk": 5
}"#;
        let info = parse_dataset_info(text).unwrap();
        assert_eq!(info.len(), 3);
        assert_eq!(
            info["alpaca_en_demo"].file_name.as_deref(),
            Some("alpaca_en_demo.json")
        );
        assert_eq!(info["hub"].hf_hub_url.as_deref(), Some("org/ds"));
        assert_eq!(info["hub"].file_name, None);
        assert!(
            parse_dataset_info("[]")
                .unwrap_err()
                .message
                .contains("JSON object")
        );
        assert!(
            parse_dataset_info("{")
                .unwrap_err()
                .message
                .starts_with("invalid JSON")
        );
    }
}
