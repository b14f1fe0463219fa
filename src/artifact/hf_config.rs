//! Hugging Face configs: `config.json`, `adapter_config.json`, `tokenizer_config.json`, processor
//! `chat_template.json` and `chat_template.jinja`.
//!
//! They carry lineage (`_name_or_path`, `base_model_name_or_path`), remote-code hooks (`auto_map`,
//! which makes `transformers` import Python from the repository when `trust_remote_code=True`)
//! and chat templates (Jinja, evaluated at inference time). This module only records them, with
//! spans: it never imports, renders or evaluates anything.

use super::text::{self, Spanned, TextSpan};
use super::{ParseError, ParseResult};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ModelConfig {
    pub name_or_path: Option<Spanned<String>>,
    pub architectures: Vec<String>,
    pub model_type: Option<String>,
    /// `auto_map`: class → `module.Class` (or `repo--module.Class`): remote code. A list value
    /// (`[slow, fast]` for tokenizers) gives one entry per non-null item: `Class` for the first,
    /// `Class[1]` for the second, and so on.
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

/// The name given to an unnamed chat template.
pub const DEFAULT_TEMPLATE_NAME: &str = "default";

pub fn parse_model_config(text: &str) -> ParseResult<ModelConfig> {
    let object = parse_object(text, "config.json")?;
    let (auto_map, auto_map_span) = auto_map(text, &object);
    Ok(ModelConfig {
        name_or_path: spanned_string(text, &object, "_name_or_path"),
        architectures: strings(object.get("architectures")),
        model_type: str_of(&object, "model_type"),
        auto_map,
        auto_map_span,
        quantization_method: object
            .get("quantization_config")
            .and_then(|q| q.get("quant_method"))
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

pub fn parse_adapter_config(text: &str) -> ParseResult<AdapterConfig> {
    let object = parse_object(text, "adapter_config.json")?;
    Ok(AdapterConfig {
        base_model_name_or_path: spanned_string(text, &object, "base_model_name_or_path"),
        revision: str_of(&object, "revision"),
        peft_type: str_of(&object, "peft_type"),
        task_type: str_of(&object, "task_type"),
        r: object.get("r").and_then(Value::as_u64),
        lora_alpha: object.get("lora_alpha").and_then(Value::as_f64),
        target_modules: strings(object.get("target_modules")),
    })
}

/// `tokenizer_config.json`, and processor `chat_template.json` (`{"chat_template": …}`):
/// `chat_template` as a string or a list of `{name, template}`, and `auto_map`.
pub fn parse_tokenizer_config(text: &str) -> ParseResult<TokenizerConfig> {
    let object = parse_object(text, "tokenizer config")?;
    let (auto_map, auto_map_span) = auto_map(text, &object);
    let key_span = text::find_json_key(text, "chat_template");
    let after_key = key_span.map(|s| s.offset.saturating_add(s.len));
    let mut chat_templates = Vec::new();
    match object.get("chat_template") {
        Some(Value::String(template)) => chat_templates.push(ChatTemplate {
            name: DEFAULT_TEMPLATE_NAME.to_owned(),
            template: template.clone(),
            span: after_key
                .and_then(|at| value_string_span(text, at))
                .or(key_span),
        }),
        Some(Value::Array(items)) => {
            let mut cursor = after_key;
            for item in items {
                let Some(template) = item.get("template").and_then(Value::as_str) else {
                    continue;
                };
                let name = item
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or(DEFAULT_TEMPLATE_NAME);
                let span = cursor.and_then(|from| next_key_value_span(text, "template", from));
                if let Some(span) = span {
                    cursor = Some(span.offset.saturating_add(span.len));
                }
                chat_templates.push(ChatTemplate {
                    name: name.to_owned(),
                    template: template.to_owned(),
                    span: span.or(key_span),
                });
            }
        }
        _ => {}
    }
    Ok(TokenizerConfig {
        chat_templates,
        auto_map,
        auto_map_span,
    })
}

/// A `chat_template.jinja` sidecar (or `additional_chat_templates/*.jinja`): the whole file is
/// one template, named `default`. Any text is a template, so this cannot fail.
pub fn parse_chat_template_file(text: &str) -> TokenizerConfig {
    parse_named_chat_template_file(text, DEFAULT_TEMPLATE_NAME)
}

/// A Jinja chat-template file with a known name (the file stem of
/// `additional_chat_templates/<name>.jinja`).
pub fn parse_named_chat_template_file(text: &str, name: &str) -> TokenizerConfig {
    let template = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.len() - template.len();
    TokenizerConfig {
        chat_templates: vec![ChatTemplate {
            name: name.to_owned(),
            template: template.to_owned(),
            span: Some(TextSpan::at(text, start, template.len())),
        }],
        ..TokenizerConfig::default()
    }
}

fn parse_object(text: &str, what: &str) -> ParseResult<Map<String, Value>> {
    match text::parse_json(text)? {
        Value::Object(object) => Ok(object),
        _ => Err(ParseError::new(format!("{what} must be a JSON object"))),
    }
}

/// A string, or the strings of a list (non-strings skipped).
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn str_of(object: &Map<String, Value>, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A string value with the span of its literal (the key's span when the literal is not found).
fn spanned_string(text: &str, object: &Map<String, Value>, key: &str) -> Option<Spanned<String>> {
    let value = object.get(key)?.as_str()?;
    let key_span = text::find_json_key(text, key);
    let span = key_span
        .and_then(|s| value_string_span(text, s.offset.saturating_add(s.len)))
        .or(key_span);
    Some(Spanned::new(value.to_owned(), span))
}

/// `auto_map` entries and the span of the key.
fn auto_map(
    text: &str,
    object: &Map<String, Value>,
) -> (BTreeMap<String, String>, Option<TextSpan>) {
    let mut map = BTreeMap::new();
    let Some(Value::Object(entries)) = object.get("auto_map") else {
        return (map, None);
    };
    for (class, target) in entries {
        match target {
            Value::String(s) => {
                map.insert(class.clone(), s.clone());
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(s) = item.as_str() {
                        let key = if i == 0 {
                            class.clone()
                        } else {
                            format!("{class}[{i}]")
                        };
                        map.insert(key, s.to_owned());
                    }
                }
            }
            _ => {}
        }
    }
    (map, text::find_json_key(text, "auto_map"))
}

/// The span of the JSON string literal that is the value of the key ending at `after_key`
/// (`: "…"`), from the opening quote to the closing quote inclusive.
fn value_string_span(text: &str, after_key: usize) -> Option<TextSpan> {
    let bytes = text.as_bytes();
    let mut at = skip_whitespace(bytes, after_key);
    if bytes.get(at) != Some(&b':') {
        return None;
    }
    at = skip_whitespace(bytes, at + 1);
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let mut end = at + 1;
    loop {
        match bytes.get(end)? {
            b'\\' => end += 2,
            b'"' => break,
            _ => end += 1,
        }
    }
    Some(TextSpan::at(text, at, end + 1 - at))
}

/// The value span of the next `"key": "…"` at or after `from`.
fn next_key_value_span(text: &str, key: &str, from: usize) -> Option<TextSpan> {
    let needle = format!("\"{key}\"");
    let mut from = from;
    loop {
        let found = text::find_from(text, &needle, from)?;
        let after = found.offset.saturating_add(found.len);
        if let Some(span) = value_string_span(text, after) {
            return Some(span);
        }
        from = after;
    }
}

fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: TextSpan) -> &str {
        &text[span.offset..span.offset + span.len]
    }

    #[test]
    fn model_config() {
        let text = r#"{
  "_name_or_path": "meta-llama/Llama-3.1-8B",
  "architectures": ["LlamaForCausalLM"],
  "model_type": "llama",
  "auto_map": {
    "AutoConfig": "configuration_x.XConfig",
    "AutoModelForCausalLM": "org/repo--modeling_x.XForCausalLM",
    "AutoTokenizer": ["tokenization_x.XTokenizer", "tokenization_x_fast.XTokenizerFast"],
    "Other": 5
  },
  "quantization_config": {"quant_method": "gptq", "bits": 4}
}"#;
        let c = parse_model_config(text).unwrap();
        let name = c.name_or_path.unwrap();
        assert_eq!(name.value, "meta-llama/Llama-3.1-8B");
        let span = name.span.unwrap();
        assert_eq!(span.line, 2);
        assert_eq!(slice(text, span), "\"meta-llama/Llama-3.1-8B\"");
        assert_eq!(c.architectures, ["LlamaForCausalLM"]);
        assert_eq!(c.model_type.as_deref(), Some("llama"));
        assert_eq!(c.auto_map.len(), 4);
        assert_eq!(
            c.auto_map["AutoModelForCausalLM"],
            "org/repo--modeling_x.XForCausalLM"
        );
        assert_eq!(c.auto_map["AutoTokenizer"], "tokenization_x.XTokenizer");
        assert_eq!(
            c.auto_map["AutoTokenizer[1]"],
            "tokenization_x_fast.XTokenizerFast"
        );
        assert_eq!(c.auto_map_span.unwrap().line, 5);
        assert_eq!(c.quantization_method.as_deref(), Some("gptq"));
    }

    #[test]
    fn minimal_and_odd_model_configs() {
        let c = parse_model_config("{}").unwrap();
        assert_eq!(c, ModelConfig::default());
        let c = parse_model_config(r#"{"_name_or_path": 3, "architectures": "X", "auto_map": []}"#)
            .unwrap();
        assert!(c.name_or_path.is_none());
        assert_eq!(c.architectures, ["X"]);
        assert!(c.auto_map.is_empty() && c.auto_map_span.is_none());
    }

    #[test]
    fn escaped_value_span_covers_the_literal() {
        let text = "{\"_name_or_path\" :  \"a\\\"b\"}";
        let name = parse_model_config(text).unwrap().name_or_path.unwrap();
        assert_eq!(name.value, "a\"b");
        assert_eq!(slice(text, name.span.unwrap()), "\"a\\\"b\"");
    }

    #[test]
    fn adapter_config() {
        let text = r#"{"base_model_name_or_path": "mistralai/Mistral-7B-v0.1", "revision": "abc",
            "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": 16, "lora_alpha": 32.5,
            "target_modules": ["q_proj", "v_proj"]}"#;
        let a = parse_adapter_config(text).unwrap();
        let base = a.base_model_name_or_path.unwrap();
        assert_eq!(base.value, "mistralai/Mistral-7B-v0.1");
        assert_eq!(
            slice(text, base.span.unwrap()),
            "\"mistralai/Mistral-7B-v0.1\""
        );
        assert_eq!(a.revision.as_deref(), Some("abc"));
        assert_eq!(a.peft_type.as_deref(), Some("LORA"));
        assert_eq!(a.task_type.as_deref(), Some("CAUSAL_LM"));
        assert_eq!(a.r, Some(16));
        assert_eq!(a.lora_alpha, Some(32.5));
        assert_eq!(a.target_modules, ["q_proj", "v_proj"]);

        let a = parse_adapter_config(r#"{"r": -1, "target_modules": ".*proj", "lora_alpha": "x"}"#)
            .unwrap();
        assert_eq!(a.r, None);
        assert_eq!(a.lora_alpha, None);
        assert_eq!(a.target_modules, [".*proj"]);
    }

    #[test]
    fn tokenizer_config_string_template() {
        let text = "{\n  \"auto_map\": {\"AutoTokenizer\": [null, \"t.Fast\"]},\n  \"chat_template\": \"{% for m in messages %}{{ m['content'] }}{% endfor %}\"\n}";
        let t = parse_tokenizer_config(text).unwrap();
        assert_eq!(t.chat_templates.len(), 1);
        let ct = &t.chat_templates[0];
        assert_eq!(ct.name, "default");
        assert!(ct.template.starts_with("{% for m in messages %}"));
        let span = ct.span.unwrap();
        assert_eq!((span.line, span.column), (3, 20));
        assert!(slice(text, span).starts_with("\"{% for"));
        assert_eq!(t.auto_map.len(), 1);
        assert_eq!(t.auto_map["AutoTokenizer[1]"], "t.Fast");
        assert_eq!(t.auto_map_span.unwrap().line, 2);
    }

    #[test]
    fn tokenizer_config_template_list() {
        let text = r#"{"chat_template": [
  {"name": "default", "template": "A \"template\" here"},
  {"template": "B", "name": "tool_use"},
  {"name": "broken"}
]}"#;
        let t = parse_tokenizer_config(text).unwrap();
        assert_eq!(t.chat_templates.len(), 2);
        assert_eq!(t.chat_templates[0].template, "A \"template\" here");
        assert_eq!(t.chat_templates[0].span.unwrap().line, 2);
        assert_eq!(t.chat_templates[1].name, "tool_use");
        let span = t.chat_templates[1].span.unwrap();
        assert_eq!(span.line, 3);
        assert_eq!(slice(text, span), "\"B\"");
    }

    #[test]
    fn processor_chat_template_json_and_null_template() {
        let t = parse_tokenizer_config(r#"{"chat_template": "{{ x }}"}"#).unwrap();
        assert_eq!(t.chat_templates[0].template, "{{ x }}");
        let t = parse_tokenizer_config(r#"{"chat_template": null}"#).unwrap();
        assert!(t.chat_templates.is_empty());
    }

    #[test]
    fn jinja_file() {
        let t = parse_chat_template_file("\u{feff}{% if x %}\n{{ y }}{% endif %}");
        assert_eq!(t.chat_templates.len(), 1);
        assert_eq!(t.chat_templates[0].name, "default");
        assert_eq!(
            t.chat_templates[0].template,
            "{% if x %}\n{{ y }}{% endif %}"
        );
        assert_eq!(t.chat_templates[0].span.unwrap().len, 29);
        let t = parse_named_chat_template_file("", "tool_use");
        assert_eq!(t.chat_templates[0].name, "tool_use");
        assert!(t.auto_map.is_empty());
    }

    #[test]
    fn invalid_json_is_an_error() {
        let err = parse_model_config("{\n\"a\": }").unwrap_err();
        assert!(
            err.message.contains("invalid JSON") && err.message.contains("line 2"),
            "{}",
            err.message
        );
        assert!(
            parse_adapter_config("[]")
                .unwrap_err()
                .message
                .contains("JSON object")
        );
        assert!(parse_tokenizer_config("\"x\"").is_err());
        assert!(parse_tokenizer_config("").is_err());
        assert!(parse_model_config(&"{\"a\":".repeat(10_000)).is_err());
    }

    #[test]
    fn truncated_literal_has_no_span_panic() {
        assert!(value_string_span("\"k\": \"abc\\", 3).is_none());
        assert!(value_string_span("\"k\"", 3).is_none());
        assert!(value_string_span("\"k\": 1", 3).is_none());
        assert!(next_key_value_span("\"template\" \"template\": x", "template", 0).is_none());
    }
}
