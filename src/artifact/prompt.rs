//! Prompt files and prompt changelogs.
//!
//! Prompts are load-bearing text that changes without review; the inventory needs each prompt's
//! id, owner, version, changelog entries and a hash of its content, so the changelog checks can
//! tell a content change from a metadata change. Formats read here: Microsoft Prompty (v1 and
//! v2), GitHub Models `*.prompt.yml`, Dotprompt `*.prompt`, VS Code `*.prompt.md`, Semantic
//! Kernel prompt directories (`skprompt.txt`, described by the `config.json` beside it), plain
//! templates under `prompts/`, and promptfoo configs (which only point at prompt files).
//! Changelogs (`CHANGELOG.md`, `<name>.changelog.md`) are kept as text, with a function that
//! extracts the part of one that mentions a prompt — the scan compares that part across git
//! history.
//!
//! This module parses text only: it never renders a template, never follows a reference and
//! makes no judgement on what it finds.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::text::{self, Spanned, TextSpan};
use super::{ParseError, ParseResult, hex};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PromptFormat {
    /// Microsoft Prompty `*.prompty`: YAML front matter and a template body.
    Prompty,
    /// GitHub Models `*.prompt.yml` / `*.prompt.yaml`: one YAML document with `messages`.
    GithubModels,
    /// Dotprompt (Genkit) `*.prompt`: YAML front matter and a Handlebars body.
    Dotprompt,
    /// VS Code / Copilot prompt files `*.prompt.md`: front matter and Markdown.
    PromptMarkdown,
    /// A template under `prompts/` or listed in `[prompts]`, with optional front matter.
    Plain,
    /// Semantic Kernel `skprompt.txt`: the template alone; its directory names the function and
    /// a `config.json` beside it describes it (`PromptConfig`).
    SemanticKernel,
}

impl PromptFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            PromptFormat::Prompty => "prompty",
            PromptFormat::GithubModels => "github-models",
            PromptFormat::Dotprompt => "dotprompt",
            PromptFormat::PromptMarkdown => "prompt-markdown",
            PromptFormat::Plain => "plain",
            PromptFormat::SemanticKernel => "semantic-kernel",
        }
    }
}

/// One prompt file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prompt {
    pub format: PromptFormat,
    /// Front matter `id`.
    pub id: Option<Spanned<String>>,
    /// `name` (Prompty, Dotprompt, GitHub Models, prompt files).
    pub name: Option<Spanned<String>>,
    /// `version` (Prompty v1, Dotprompt, our own key) or `metadata.version` (Prompty v2).
    pub version: Option<Spanned<String>>,
    /// `owner`, else the first of `authors` / `metadata.authors`.
    pub owner: Option<Spanned<String>>,
    /// Front matter `changelog:` entries, each as text (maps are written as JSON).
    pub changelog: Vec<String>,
    pub changelog_span: Option<TextSpan>,
    /// `tools` the prompt may call (an allow-list in prompt files and Dotprompt).
    pub tools: Vec<String>,
    /// SHA-256 of the prompt's content: the body after the front matter, or for GitHub Models
    /// files the document without its metadata keys. Metadata edits do not change it.
    pub content_sha256: String,
    /// SHA-256 of the whole file.
    pub file_sha256: String,
}

/// Keys that describe a prompt rather than being part of it; edits to them are not content
/// changes.
const METADATA_KEYS: &[&str] = &[
    "author",
    "authors",
    "changelog",
    "description",
    "displayName",
    "id",
    "metadata",
    "name",
    "owner",
    "tags",
    "version",
];

/// Parse a prompt file of a known format.
pub fn parse(text: &str, format: PromptFormat) -> ParseResult<Prompt> {
    let mut prompt = parse_format(text, format)?;
    prompt.file_sha256 = sha256(text.as_bytes());
    Ok(prompt)
}

fn parse_format(text: &str, format: PromptFormat) -> ParseResult<Prompt> {
    match format {
        PromptFormat::GithubModels => parse_yaml_document(text, format),
        PromptFormat::Prompty | PromptFormat::Dotprompt => {
            // Prompty's loader allows blank lines before the opening `---`.
            let lead = if format == PromptFormat::Prompty {
                leading_blank_lines(text)
            } else {
                0
            };
            let found = text::front_matter(&text[lead..]).map(|(yaml, at)| (yaml, lead + at));
            match found {
                Some((yaml, start)) => parse_front_matter_prompt(text, yaml, start, format),
                // Both formats let a file be its template alone, with no metadata.
                None if !text[lead..]
                    .trim_start_matches('\u{feff}')
                    .starts_with("---") =>
                {
                    Ok(template_only(text, format))
                }
                None => Err(ParseError::new(
                    "the YAML front matter is not closed (a `---` line, the metadata, and a closing `---`)",
                )),
            }
        }
        PromptFormat::PromptMarkdown | PromptFormat::Plain => match text::front_matter(text) {
            Some((yaml, start)) => parse_front_matter_prompt(text, yaml, start, format),
            None => Ok(template_only(text, format)),
        },
        PromptFormat::SemanticKernel => Ok(template_only(text, format)),
    }
}

/// A Semantic Kernel prompt's `config.json`: what it says about the `skprompt.txt` beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromptConfig {
    pub description: Option<Spanned<String>>,
    /// The template's input variables by name (`input_variables`, or `input.parameters` in the
    /// first schema).
    pub input_variables: Vec<String>,
}

/// Read a `config.json` as a Semantic Kernel prompt config; `None` when it is not one (a model
/// config, another JSON file). One is known by the keys no model config has:
/// `execution_settings` or `input_variables`, or in the first schema `schema` with `completion`
/// or `input`.
pub fn parse_semantic_kernel_config(text: &str) -> Option<PromptConfig> {
    let value = text::parse_json(text).ok()?;
    let object = value.as_object()?;
    let has = |key: &str| object.contains_key(key);
    let is_config = has("execution_settings")
        || has("input_variables")
        || (has("schema") && (has("completion") || has("input")));
    if !is_config {
        return None;
    }
    let variables = object
        .get("input_variables")
        .or_else(|| value.get("input").and_then(|i| i.get("parameters")));
    let input_variables = match variables {
        Some(Value::Array(items)) => items.iter().filter_map(|v| scalar(v.get("name"))).collect(),
        _ => Vec::new(),
    };
    let description = scalar(object.get("description"))
        .map(|d| Spanned::new(d, text::find_json_key(text, "description")));
    Some(PromptConfig {
        description,
        input_variables,
    })
}

/// A prompt file with no metadata: its whole text is the template.
fn template_only(text: &str, format: PromptFormat) -> Prompt {
    Prompt {
        content_sha256: sha256(text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes()),
        ..empty(format)
    }
}

/// The length of the byte-order mark and blank lines a text starts with.
fn leading_blank_lines(text: &str) -> usize {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut end = bom;
    for line in text[bom..].split_inclusive('\n') {
        if !line.ends_with('\n') || !line.trim().is_empty() {
            break;
        }
        end += line.len();
    }
    end
}

fn empty(format: PromptFormat) -> Prompt {
    Prompt {
        format,
        id: None,
        name: None,
        version: None,
        owner: None,
        changelog: Vec::new(),
        changelog_span: None,
        tools: Vec::new(),
        content_sha256: String::new(),
        file_sha256: String::new(),
    }
}

fn parse_front_matter_prompt(
    text: &str,
    yaml: &str,
    start: usize,
    format: PromptFormat,
) -> ParseResult<Prompt> {
    let value = text::parse_yaml(yaml)?;
    if !value.is_object() && !value.is_null() {
        return Err(ParseError::at(
            start as u64,
            "the front matter is not a YAML mapping",
        ));
    }
    let body = body_after_front_matter(text, yaml, start);
    let mut prompt = metadata(text, start, &value, format);
    prompt.content_sha256 = sha256(body.as_bytes());
    Ok(prompt)
}

/// The text after the closing `---` line of the front matter.
fn body_after_front_matter<'a>(text: &'a str, yaml: &str, start: usize) -> &'a str {
    let after = &text[start + yaml.len()..];
    match after.find('\n') {
        Some(i) => &after[i + 1..],
        None => "",
    }
}

fn parse_yaml_document(text: &str, format: PromptFormat) -> ParseResult<Prompt> {
    let value = text::parse_yaml(text)?;
    let Value::Object(map) = &value else {
        return Err(ParseError::new("a prompt file must be a YAML mapping"));
    };
    let content: serde_json::Map<String, Value> = map
        .iter()
        .filter(|(k, _)| !METADATA_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut prompt = metadata(text, 0, &value, format);
    prompt.content_sha256 = sha256(canonical_json(&Value::Object(content)).as_bytes());
    Ok(prompt)
}

/// The metadata every format shares, with spans located in the original text.
fn metadata(text: &str, start: usize, value: &Value, format: PromptFormat) -> Prompt {
    let section = &text[start..];
    let spanned = |key: &str, v: Option<String>| {
        v.map(|v| {
            let span = text::find_yaml_key(section, key)
                .map(|s| TextSpan::at(text, start + s.offset, s.len));
            Spanned::new(v, span)
        })
    };
    let meta = value.get("metadata");
    let version = scalar(value.get("version"))
        .map(|v| ("version", v))
        .or_else(|| scalar(meta.and_then(|m| m.get("version"))).map(|v| ("version", v)));
    let owner = scalar(value.get("owner"))
        .map(|v| ("owner", v))
        .or_else(|| first(value.get("authors")).map(|v| ("authors", v)))
        .or_else(|| first(meta.and_then(|m| m.get("authors"))).map(|v| ("authors", v)));
    let changelog_value = value
        .get("changelog")
        .or_else(|| meta.and_then(|m| m.get("changelog")));
    let changelog = match changelog_value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().map(entry_text).collect(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", entry_text(v)))
            .collect(),
        Some(other) => vec![entry_text(other)],
    };
    let tools = match value.get("tools") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|t| {
                t.as_str()
                    .map(str::to_owned)
                    .or_else(|| scalar(t.get("name")))
            })
            .collect(),
        _ => Vec::new(),
    };
    Prompt {
        format,
        id: spanned("id", scalar(value.get("id"))),
        name: spanned("name", scalar(value.get("name"))),
        version: version.and_then(|(k, v)| spanned(k, Some(v))),
        owner: owner.and_then(|(k, v)| spanned(k, Some(v))),
        changelog_span: changelog_value.and_then(|_| {
            text::find_yaml_key(section, "changelog")
                .map(|s| TextSpan::at(text, start + s.offset, s.len))
        }),
        changelog,
        tools,
        content_sha256: String::new(),
        file_sha256: String::new(),
    }
}

/// A string, number or boolean as text (YAML `version: 1.2` is a number).
fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The first string of a list (or the string itself).
fn first(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Array(items) => items.iter().find_map(|v| scalar(Some(v))),
        other => scalar(Some(other)),
    }
}

fn entry_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => canonical_json(other),
    }
}

/// JSON with object keys sorted, so equal documents hash equally.
fn canonical_json(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                Value::Object(
                    keys.into_iter()
                        .map(|k| (k.clone(), sorted(&map[k])))
                        .collect(),
                )
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A promptfoo config: the prompt files its `prompts:` names (`file://` references, relative to
/// the config's directory; functions in `.py`/`.js` files and inline prompts are not files).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromptfooConfig {
    pub prompt_files: Vec<Spanned<String>>,
}

/// Extensions of prompt files promptfoo reads as text.
const PROMPTFOO_TEXT_EXTENSIONS: &[&str] = &["j2", "jinja", "json", "md", "txt", "yaml", "yml"];

pub fn parse_promptfoo(text: &str) -> ParseResult<PromptfooConfig> {
    let value = text::parse_yaml(text)?;
    let mut references = Vec::new();
    match value.get("prompts") {
        Some(Value::String(s)) => references.push(s.clone()),
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::String(s) => references.push(s.clone()),
                    Value::Object(map) => {
                        if let Some(Value::String(s)) = map.get("id").or_else(|| map.get("raw")) {
                            references.push(s.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
        Some(Value::Object(map)) => references.extend(map.keys().cloned()),
        _ => {}
    }
    let mut prompt_files = Vec::new();
    for reference in references {
        let Some(path) = reference.trim().strip_prefix("file://") else {
            continue;
        };
        // `file://prompts.py:make_prompt` names a function; `file://a.txt` a file.
        let path = match path.rsplit_once(':') {
            Some((file, function)) if !function.contains('/') && file.contains('.') => file,
            _ => path,
        };
        let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if !extension.is_some_and(|e| PROMPTFOO_TEXT_EXTENSIONS.contains(&e.as_str())) {
            continue;
        }
        let span = text::find_from(text, path, 0);
        prompt_files.push(Spanned::new(path.to_owned(), span));
    }
    Ok(PromptfooConfig { prompt_files })
}

/// A changelog file, kept as text: which part of it concerns a given prompt is decided per
/// prompt (`mentions`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changelog {
    #[serde(skip)]
    pub text: String,
}

/// The part of a Markdown changelog that mentions any of `keys` (a prompt's paths and id): every
/// section whose heading mentions one (up to the next heading of the same or a higher level),
/// and every other line that mentions one. `None` when nothing does. The span is the first
/// mention.
pub fn mentions(changelog: &str, keys: &[&str]) -> Option<(String, TextSpan)> {
    let mut out = String::new();
    let mut first: Option<TextSpan> = None;
    let mut section_level: Option<usize> = None;
    let mut offset = 0;
    for line in changelog.split_inclusive('\n') {
        let level = heading_level(line);
        if let (Some(open), Some(level)) = (section_level, level)
            && level <= open
        {
            section_level = None;
        }
        let mentioned = keys.iter().any(|k| mentions_key(line, k));
        if section_level.is_none() && mentioned && level.is_some() {
            section_level = level;
        }
        // Blank lines are layout: adding a section below this one is not an edit of it.
        if (section_level.is_some() || mentioned) && !line.trim().is_empty() {
            out.push_str(line.trim_end());
            out.push('\n');
            if first.is_none() {
                first = Some(TextSpan::at(changelog, offset, line.trim_end().len()));
            }
        }
        offset += line.len();
    }
    first.map(|span| (out, span))
}

fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (hashes > 0 && line[hashes..].starts_with([' ', '\t'])).then_some(hashes)
}

/// `key` occurs in `line` as a whole word or path (not inside a longer name).
fn mentions_key(line: &str, key: &str) -> bool {
    if key.is_empty() {
        return false;
    }
    let is_name_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '/');
    let mut from = 0;
    while let Some(i) = line[from..].find(key) {
        let start = from + i;
        let end = start + key.len();
        let before_ok = line[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_name_char(c) && c != '.');
        let mut after = line[end..].chars();
        let after_ok = match after.next() {
            None => true,
            Some('.') => after.next().is_none_or(|c| !c.is_alphanumeric()),
            Some(c) => !is_name_char(c),
        };
        if before_ok && after_ok {
            return true;
        }
        from = start + key.len().max(1);
        while !line.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semantic_kernel_configs_are_told_from_model_configs() {
        let current = r#"{
  "schema": 1,
  "description": "Summarize a ticket",
  "execution_settings": { "default": { "max_tokens": 256 } },
  "input_variables": [{ "name": "input" }, { "name": "audience", "default": "agents" }]
}"#;
        let config = parse_semantic_kernel_config(current).expect("a prompt config");
        let description = config.description.unwrap();
        assert_eq!(description.value, "Summarize a ticket");
        assert_eq!(description.span.map(|s| s.line), Some(3));
        assert_eq!(config.input_variables, ["input", "audience"]);
        let first_schema = r#"{"schema": 1, "type": "completion", "completion": {"max_tokens": 8},
            "input": {"parameters": [{"name": "input", "defaultValue": ""}]}}"#;
        let config = parse_semantic_kernel_config(first_schema).expect("a prompt config");
        assert_eq!(config.description, None);
        assert_eq!(config.input_variables, ["input"]);
        for not_one in [
            r#"{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "input": 3}"#,
            r#"{"description": "a JSON file with a description", "schema": 2}"#,
            "[1, 2]",
            "{not json",
        ] {
            assert_eq!(parse_semantic_kernel_config(not_one), None, "{not_one}");
        }
        let template = "Summarize {{$input}}\n---\nfor {{$audience}}\n";
        let prompt = parse(template, PromptFormat::SemanticKernel).unwrap();
        assert_eq!(prompt.content_sha256, sha256(template.as_bytes()));
        assert_eq!(prompt.name, None);
    }

    #[test]
    fn prompty_v1_metadata_and_body_hash() {
        let text = "---\nname: Triage\nversion: 1.2\nauthors:\n  - support-ml\n---\nsystem:\nRoute tickets.\n";
        let p = parse(text, PromptFormat::Prompty).unwrap();
        assert_eq!(p.name.as_ref().unwrap().value, "Triage");
        assert_eq!(p.version.as_ref().unwrap().value, "1.2");
        assert_eq!(p.version.as_ref().unwrap().span.unwrap().line, 3);
        assert_eq!(p.owner.as_ref().unwrap().value, "support-ml");
        assert_eq!(p.content_sha256, sha256(b"system:\nRoute tickets.\n"));
        // A metadata edit is not a content change.
        let bumped = text.replace("version: 1.2", "version: 1.3");
        assert_eq!(
            parse(&bumped, PromptFormat::Prompty)
                .unwrap()
                .content_sha256,
            p.content_sha256
        );
        // A template alone, with no metadata, is a prompt (Prompty's loader reads it too); an
        // opened front matter must be closed.
        let bare = parse(
            "system:\nYou are Acme's assistant.\n",
            PromptFormat::Prompty,
        )
        .unwrap();
        assert_eq!(
            bare.content_sha256,
            sha256(b"system:\nYou are Acme's assistant.\n")
        );
        assert!(bare.version.is_none());
        assert!(
            parse(
                "---\nname: x\nsystem: no closing line\n",
                PromptFormat::Prompty
            )
            .is_err()
        );
        // Blank lines before the opening `---` are allowed, as Prompty's loader allows them.
        let padded = parse(&format!("\n  \n{text}"), PromptFormat::Prompty).unwrap();
        assert_eq!(padded.content_sha256, p.content_sha256);
        assert_eq!(padded.version.unwrap().span.unwrap().line, 5);
    }

    #[test]
    fn prompty_v2_reads_metadata_block() {
        let text = "---\nname: x\nmetadata:\n  version: \"2.0.1\"\n  authors: [acme-ml]\n  changelog:\n    - \"2.0.1: shorter\"\n---\nbody\n";
        let p = parse(text, PromptFormat::Prompty).unwrap();
        assert_eq!(p.version.unwrap().value, "2.0.1");
        assert_eq!(p.owner.unwrap().value, "acme-ml");
        assert_eq!(p.changelog, vec!["2.0.1: shorter"]);
    }

    #[test]
    fn github_models_content_ignores_metadata() {
        let a =
            "name: Summarise\nversion: 1\nmessages:\n  - role: system\n    content: Be brief.\n";
        let b =
            "name: Summarise v2\nversion: 2\nmessages:\n  - role: system\n    content: Be brief.\n";
        let c = "name: Summarise\nversion: 1\nmessages:\n  - role: system\n    content: Be very brief.\n";
        let pa = parse(a, PromptFormat::GithubModels).unwrap();
        assert_eq!(
            pa.content_sha256,
            parse(b, PromptFormat::GithubModels).unwrap().content_sha256
        );
        assert_ne!(
            pa.content_sha256,
            parse(c, PromptFormat::GithubModels).unwrap().content_sha256
        );
        assert!(parse("- a\n", PromptFormat::GithubModels).is_err());
    }

    #[test]
    fn dotprompt_changelog_and_tools() {
        let text = "---\nmodel: googleai/gemini-2.0-flash\nversion: 3\nowner: acme-search\ntools: [lookupOrder, refundOrder]\nchangelog:\n  - {version: 3, note: refunds}\n---\nHelp {{name}}.\n";
        let p = parse(text, PromptFormat::Dotprompt).unwrap();
        assert_eq!(p.tools, vec!["lookupOrder", "refundOrder"]);
        assert_eq!(p.changelog, vec![r#"{"note":"refunds","version":3}"#]);
        assert_eq!(p.changelog_span.unwrap().line, 6);
        assert_eq!(p.owner.unwrap().value, "acme-search");
    }

    #[test]
    fn plain_prompts_need_no_front_matter() {
        let p = parse("You are a helpful assistant.\n", PromptFormat::Plain).unwrap();
        assert_eq!(p.content_sha256, sha256(b"You are a helpful assistant.\n"));
        assert!(p.version.is_none());
        assert!(parse("---\n: [\n---\nx", PromptFormat::Plain).is_err());
    }

    #[test]
    fn promptfoo_file_references() {
        let text = "prompts:\n  - file://prompts/a.txt\n  - 'Inline {{x}}'\n  - file://gen.py:make\n  - id: file://b.md\n    label: b\n";
        let cfg = parse_promptfoo(text).unwrap();
        let files: Vec<&str> = cfg.prompt_files.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(files, ["prompts/a.txt", "b.md"]);
        assert_eq!(cfg.prompt_files[0].span.unwrap().line, 2);
    }

    #[test]
    fn changelog_mentions_sections_and_lines() {
        let log = "# Changelog\n\n## prompts/a.md\n\n- v2: shorter\n- v1: first\n\n## prompts/ab.md\n\n- v1\n\nUnrelated line about prompts/a.md.\n";
        let (text, span) = mentions(log, &["prompts/a.md"]).unwrap();
        assert_eq!(span.line, 3);
        assert!(text.contains("- v2: shorter"));
        assert!(!text.contains("prompts/ab.md"));
        assert!(text.contains("Unrelated line about prompts/a.md."));
        assert!(
            mentions(log, &["a.md"]).is_none(),
            "a partial path is not a mention"
        );
        assert!(mentions(log, &["prompts/c.md"]).is_none());
        assert!(!mentions_key("see triage-v2", "triage"));
        assert!(mentions_key("see `triage`, now", "triage"));
    }
}
