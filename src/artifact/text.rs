//! Helpers for text artefacts: line/column spans, YAML front matter, and bounded JSON/YAML
//! parsing into `serde_json::Value` so every text format shares one value type.
//!
//! Spans are what let a finding point at the line of a card or config; they are computed from
//! byte offsets in the original text, never re-serialised text.

use serde::Serialize;

use super::{ParseError, ParseResult, limits};

/// A place in a text file: 1-based line and column, byte offset and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TextSpan {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
    pub len: usize,
}

impl TextSpan {
    /// The span of `len` bytes starting at byte `offset` of `text`.
    pub fn at(text: &str, offset: usize, len: usize) -> TextSpan {
        let offset = offset.min(text.len());
        let before = &text.as_bytes()[..offset];
        let line = memchr::memchr_iter(b'\n', before).count() as u32 + 1;
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() as u32 + 1;
        TextSpan {
            line,
            column,
            offset,
            len,
        }
    }

    /// The first line of a file, for findings about a whole file.
    pub fn first_line() -> TextSpan {
        TextSpan {
            line: 1,
            column: 1,
            offset: 0,
            len: 0,
        }
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Option<TextSpan>,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Option<TextSpan>) -> Self {
        Spanned { value, span }
    }
}

/// Locate the first occurrence of `needle` at or after byte `from`.
pub fn find_from(text: &str, needle: &str, from: usize) -> Option<TextSpan> {
    let from = from.min(text.len());
    memchr::memmem::find(&text.as_bytes()[from..], needle.as_bytes())
        .map(|i| TextSpan::at(text, from + i, needle.len()))
}

/// Locate a JSON key (`"key"`) in a JSON text.
pub fn find_json_key(text: &str, key: &str) -> Option<TextSpan> {
    find_from(text, &format!("\"{key}\""), 0)
}

/// Locate a YAML mapping key (`key:` at the start of a line, any indentation) in YAML text.
pub fn find_yaml_key(text: &str, key: &str) -> Option<TextSpan> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t', '-']).trim_start();
        let indent = line.len() - trimmed.len();
        let bare = trimmed.strip_prefix(key);
        let quoted = trimmed
            .strip_prefix('"')
            .and_then(|t| t.strip_prefix(key))
            .and_then(|t| t.strip_prefix('"'));
        if let Some(rest) = bare.or(quoted)
            && rest.trim_start().starts_with(':')
        {
            return Some(TextSpan::at(
                text,
                offset + indent,
                trimmed.len() - rest.len(),
            ));
        }
        offset += line.len();
    }
    None
}

/// YAML front matter of a Markdown file: the text between a leading `---` line and the next
/// `---` (or `...`) line, with the byte offset where it starts.
pub fn front_matter(text: &str) -> Option<(&str, usize)> {
    let text_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let rest = &text[text_start..];
    let first_end = rest.find('\n')?;
    if rest[..first_end].trim_end() != "---" {
        return None;
    }
    let body_start = text_start + first_end + 1;
    let mut offset = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return Some((&text[body_start..offset], body_start));
        }
        offset += line.len();
    }
    None
}

/// Parse YAML into a JSON value, with budgets against alias bombs and deep nesting.
pub fn parse_yaml(text: &str) -> ParseResult<serde_json::Value> {
    if text.len() as u64 > limits::TEXT_BYTES {
        return Err(ParseError::limit("text size", "YAML document too large"));
    }
    if text.trim().is_empty() {
        return Ok(serde_json::Value::Null);
    }
    serde_saphyr::from_str::<serde_json::Value>(text)
        .map_err(|e| ParseError::new(format!("invalid YAML: {}", first_line(&e.to_string()))))
}

/// Parse JSON into a value (serde_json bounds nesting at 128 levels).
pub fn parse_json(text: &str) -> ParseResult<serde_json::Value> {
    if text.len() as u64 > limits::TEXT_BYTES {
        return Err(ParseError::limit("text size", "JSON document too large"));
    }
    // Editors on Windows start UTF-8 files with a byte order mark, which JSON does not allow
    // (RFC 8259 §8.1 lets a parser ignore it).
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| {
        let mut err = ParseError::new(format!("invalid JSON: {e}"));
        if e.classify() == serde_json::error::Category::Syntax
            && e.to_string().contains("recursion")
        {
            err.limit = Some("nesting depth");
        }
        err
    })
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// The value at `key` as a string, if it is one.
pub fn str_at<'a>(value: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(|v| v.as_str())
}

/// The value at `key` as a list of strings: a string gives a list of one; non-strings are skipped.
pub fn strings_at(value: &serde_json::Value, key: &str) -> Vec<String> {
    match value.get(key) {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_lines_and_columns() {
        let text = "a\nbc: 1\n  key: 2\n";
        let span = find_yaml_key(text, "key").unwrap();
        assert_eq!((span.line, span.column), (3, 3));
        assert_eq!(&text[span.offset..span.offset + span.len], "key");
    }

    #[test]
    fn front_matter_is_found() {
        let text = "---\nlicense: mit\n---\n# Title\n";
        let (fm, start) = front_matter(text).unwrap();
        assert_eq!(fm, "license: mit\n");
        assert_eq!(start, 4);
        assert!(front_matter("# no front matter\n").is_none());
    }

    #[test]
    fn yaml_becomes_json_values() {
        let v = parse_yaml("base_model:\n  - a/b\n  - c/d\nlicense: other\n").unwrap();
        assert_eq!(strings_at(&v, "base_model"), vec!["a/b", "c/d"]);
        assert_eq!(str_at(&v, "license"), Some("other"));
    }
}
