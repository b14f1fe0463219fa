//! Croissant JSON-LD dataset metadata (MLCommons, with the Responsible AI extension): the dataset's
//! name, licence, URL, declared personal and sensitive information, and the files it distributes
//! with their SHA-256 when given.
//!
//! JSON-LD is read as plain JSON with the prefixes Croissant files use in practice (`sc:`,
//! `schema:`, `cr:`, `rai:`, `dct:`); no context is fetched or expanded, and nothing is resolved
//! over the network.

use super::text;
use super::{ParseError, ParseResult, is_sha256_hex};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Croissant {
    pub name: Option<String>,
    pub license: Vec<String>,
    pub url: Option<String>,
    pub conforms_to: Option<String>,
    /// `rai:personalSensitiveInformation` values.
    pub personal_sensitive_information: Vec<String>,
    /// `distribution[]` content URLs / file names, with sha256 when given.
    pub files: Vec<(String, Option<String>)>,
}

/// How deep `@context` is searched for a Croissant namespace.
const CONTEXT_SEARCH_DEPTH: usize = 8;

/// True when a JSON value looks like Croissant: a `Dataset` (`sc:Dataset`, `schema:Dataset`, …)
/// that declares conformance to Croissant or uses the MLCommons Croissant context.
pub fn is_croissant(value: &Value) -> bool {
    let Some(object) = value.as_object() else {
        return false;
    };
    let is_dataset = match object.get("@type") {
        Some(Value::String(t)) => is_dataset_type(t),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).any(is_dataset_type),
        _ => false,
    };
    if !is_dataset {
        return false;
    }
    let conforms = ["conformsTo", "dct:conformsTo"]
        .iter()
        .filter_map(|k| object.get(*k))
        .any(|v| mentions(v, "croissant", CONTEXT_SEARCH_DEPTH));
    conforms
        || object
            .get("@context")
            .is_some_and(|c| mentions(c, "mlcommons.org/croissant", CONTEXT_SEARCH_DEPTH))
}

fn is_dataset_type(t: &str) -> bool {
    matches!(
        t,
        "sc:Dataset"
            | "schema:Dataset"
            | "Dataset"
            | "http://schema.org/Dataset"
            | "https://schema.org/Dataset"
    )
}

/// True when some string in `value` (searched to `depth` levels) contains `needle`, ignoring case.
fn mentions(value: &Value, needle: &str, depth: usize) -> bool {
    match value {
        Value::String(s) => s.to_ascii_lowercase().contains(needle),
        Value::Array(items) if depth > 0 => items.iter().any(|v| mentions(v, needle, depth - 1)),
        Value::Object(map) if depth > 0 => map.values().any(|v| mentions(v, needle, depth - 1)),
        _ => false,
    }
}

/// Parse Croissant metadata. The caller decides whether a file is Croissant ([`is_croissant`]);
/// this reads whatever of the known fields are present.
pub fn parse(text: &str) -> ParseResult<Croissant> {
    let value = text::parse_json(text)?;
    let Some(object) = value.as_object() else {
        return Err(ParseError::new("Croissant metadata must be a JSON object"));
    };
    let get = |keys: &[&str]| keys.iter().find_map(|k| object.get(*k));

    let mut license = Vec::new();
    if let Some(value) = get(&["license", "sc:license", "schema:license"]) {
        collect_licenses(value, &mut license);
    }
    let conforms_to = get(&["conformsTo", "dct:conformsTo"]).and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(|i| i.as_str().map(str::to_owned)),
        Value::Object(map) => map.get("@id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    });
    let personal_sensitive_information = get(&[
        "rai:personalSensitiveInformation",
        "personalSensitiveInformation",
    ])
    .map(strings)
    .unwrap_or_default();

    let mut files = Vec::new();
    match get(&["distribution", "sc:distribution", "schema:distribution"]) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(file_object)
            .for_each(|f| files.push(f)),
        Some(item @ Value::Object(_)) => files.extend(file_object(item)),
        _ => {}
    }

    Ok(Croissant {
        name: get(&["name", "sc:name", "schema:name"])
            .and_then(Value::as_str)
            .map(str::to_owned),
        license,
        url: get(&["url", "sc:url", "schema:url"])
            .and_then(Value::as_str)
            .map(str::to_owned),
        conforms_to,
        personal_sensitive_information,
        files,
    })
}

/// A licence given as a string, a list, or an object (`{"@id": …}`, `{"url": …}`, `{"name": …}`).
fn collect_licenses(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => {
            for item in items {
                if !item.is_array() {
                    collect_licenses(item, out);
                }
            }
        }
        Value::Object(map) => {
            if let Some(s) = ["@id", "url", "name"]
                .iter()
                .find_map(|k| map.get(*k)?.as_str())
            {
                out.push(s.to_owned());
            }
        }
        _ => {}
    }
}

/// Strings of a string-or-list value (non-strings skipped).
fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// A `cr:FileObject` distribution entry: its content URL (or name) and SHA-256 (only when it is
/// one: the Hub writes a URL there for its git repository entry). `cr:FileSet`
/// entries describe globs, not files, and are skipped.
fn file_object(item: &Value) -> Option<(String, Option<String>)> {
    let object = item.as_object()?;
    let types = object.get("@type").map(strings).unwrap_or_default();
    if types.iter().any(|t| t.ends_with("FileSet")) {
        return None;
    }
    let get_str = |keys: &[&str]| keys.iter().find_map(|k| object.get(*k)?.as_str());
    let location = get_str(&[
        "contentUrl",
        "cr:contentUrl",
        "sc:contentUrl",
        "name",
        "sc:name",
    ])?;
    let sha256 = get_str(&["sha256", "cr:sha256", "sc:sha256"])
        .filter(|s| is_sha256_hex(s))
        .map(str::to_ascii_lowercase);
    Some((location.to_owned(), sha256))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
  "@context": {"@language": "en", "@vocab": "https://schema.org/", "cr": "http://mlcommons.org/croissant/",
               "rai": "http://mlcommons.org/croissant/RAI/", "sc": "https://schema.org/"},
  "@type": "sc:Dataset",
  "dct:conformsTo": "http://mlcommons.org/croissant/1.0",
  "name": "support-chats",
  "license": "https://creativecommons.org/licenses/by/4.0/",
  "url": "https://huggingface.co/datasets/acme/support-chats",
  "rai:personalSensitiveInformation": ["email addresses", "names"],
  "distribution": [
    {"@type": "cr:FileObject", "@id": "repo", "name": "repo", "contentUrl": "https://huggingface.co/datasets/acme/support-chats/tree/refs%2Fconvert%2Fparquet", "encodingFormat": "git+https", "sha256": "https://github.com/mlcommons/croissant/issues/80"},
    {"@type": "cr:FileSet", "@id": "parquet-files", "containedIn": {"@id": "repo"}, "includes": "default/*/*.parquet"},
    {"@type": "cr:FileObject", "name": "data.jsonl", "contentUrl": "data/train.jsonl", "sha256": "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789"}
  ]
}"#;

    #[test]
    fn sample_is_croissant_and_parses() {
        let value: Value = serde_json::from_str(SAMPLE).unwrap();
        assert!(is_croissant(&value));
        let c = parse(SAMPLE).unwrap();
        assert_eq!(c.name.as_deref(), Some("support-chats"));
        assert_eq!(c.license, ["https://creativecommons.org/licenses/by/4.0/"]);
        assert_eq!(
            c.url.as_deref(),
            Some("https://huggingface.co/datasets/acme/support-chats")
        );
        assert_eq!(
            c.conforms_to.as_deref(),
            Some("http://mlcommons.org/croissant/1.0")
        );
        assert_eq!(
            c.personal_sensitive_information,
            ["email addresses", "names"]
        );
        assert_eq!(c.files.len(), 2);
        assert!(c.files[0].0.starts_with("https://huggingface.co/"));
        assert_eq!(c.files[0].1, None);
        assert_eq!(c.files[1].0, "data/train.jsonl");
        assert_eq!(
            c.files[1].1.as_deref(),
            Some("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")
        );
    }

    #[test]
    fn recognition_variants() {
        let yes = [
            r#"{"@type": "schema:Dataset", "conformsTo": "http://mlcommons.org/croissant/1.1"}"#,
            r#"{"@type": ["Dataset"], "conformsTo": ["http://mlcommons.org/croissant/1.0"]}"#,
            r#"{"@type": "Dataset", "@context": {"cr": "http://mlcommons.org/croissant/"}}"#,
            r#"{"@type": "https://schema.org/Dataset", "@context": ["x", "http://MLCommons.org/croissant/"]}"#,
        ];
        for doc in yes {
            assert!(is_croissant(&serde_json::from_str(doc).unwrap()), "{doc}");
        }
        let no = [
            r#"{"@type": "Dataset", "@context": "https://schema.org/"}"#,
            r#"{"@type": "sc:Person", "conformsTo": "http://mlcommons.org/croissant/1.0"}"#,
            r#"{"conformsTo": "http://mlcommons.org/croissant/1.0"}"#,
            r#"[{"@type": "sc:Dataset"}]"#,
            r#"{"@type": 5}"#,
        ];
        for doc in no {
            assert!(!is_croissant(&serde_json::from_str(doc).unwrap()), "{doc}");
        }
    }

    #[test]
    fn licence_shapes() {
        let c = parse(r#"{"license": ["mit", {"@id": "https://x/l"}, {"url": "u"}, {"name": "n"}, 3, ["nested"]]}"#)
            .unwrap();
        assert_eq!(c.license, ["mit", "https://x/l", "u", "n"]);
        let c = parse(r#"{"sc:license": {"name": "cc-by-4.0"}}"#).unwrap();
        assert_eq!(c.license, ["cc-by-4.0"]);
    }

    #[test]
    fn pii_as_string_and_single_distribution() {
        let c = parse(
            r#"{"personalSensitiveInformation": "none",
                "distribution": {"@type": "cr:FileObject", "name": "a.csv"}}"#,
        )
        .unwrap();
        assert_eq!(c.personal_sensitive_information, ["none"]);
        assert_eq!(c.files, [("a.csv".to_owned(), None)]);
    }

    #[test]
    fn invalid_input_is_an_error() {
        let err = parse("{\"name\": ").unwrap_err();
        assert!(err.message.starts_with("invalid JSON"), "{}", err.message);
        assert!(parse("[1, 2]").unwrap_err().message.contains("JSON object"));
        assert!(parse("").is_err());
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn deep_context_is_bounded() {
        let mut context = String::from("\"http://mlcommons.org/croissant/\"");
        for _ in 0..20 {
            context = format!("[{context}]");
        }
        let doc = format!(r#"{{"@type": "Dataset", "@context": {context}}}"#);
        assert!(!is_croissant(&serde_json::from_str(&doc).unwrap()));
    }
}
