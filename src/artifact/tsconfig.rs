//! The module resolution settings of a `tsconfig.json` or `jsconfig.json`: `compilerOptions`
//! `baseUrl` and `paths`, and the configs it `extends`, as written in that one file. Discovery
//! (`agent::code_servers`) follows `extends` and resolves path aliases with them, to link a tool
//! file to the file that constructs its MCP server through an `@/server` import.
//!
//! These files are JSON with comments and trailing commas (the TypeScript compiler accepts
//! both): the shared lexer (`script_lex`) tells comments and strings from the rest, comments are
//! blanked and trailing commas dropped, and what is left is read as JSON. Nothing else of the
//! file is read, and nothing is resolved here.

use serde_json::Value;

use super::ParseResult;
use super::script_lex::{Class, Lexed};
use super::text::{parse_json, strings_at};

/// The larger a config is, the less it is a config: not read past this.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// `compilerOptions.paths`: each pattern (`@/*`) with its substitutions (`src/*`), in order.
pub type PathPatterns = Vec<(String, Vec<String>)>;

/// What one config file sets for module resolution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TsConfig {
    /// `compilerOptions.baseUrl`, relative to the file's directory.
    pub base_url: Option<String>,
    /// `compilerOptions.paths`; `None` when the file does not set it.
    pub paths: Option<PathPatterns>,
    /// The configs `extends` names (a string, or a list of them), as written.
    pub extends: Vec<String>,
}

/// Read the module resolution settings of a config file's text.
pub fn parse(text: &str) -> ParseResult<TsConfig> {
    let value = parse_json(&without_comments(text))?;
    let options = value.get("compilerOptions");
    let base_url = options
        .and_then(|o| o.get("baseUrl"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let paths = options.and_then(|o| o.get("paths")).and_then(|paths| {
        let patterns = paths.as_object()?.keys();
        Some(
            patterns
                .map(|pattern| (pattern.clone(), strings_at(paths, pattern)))
                .collect(),
        )
    });
    Ok(TsConfig {
        base_url,
        paths,
        extends: strings_at(&value, "extends"),
    })
}

/// `text` as JSON: comments blanked (line ends kept) and commas before a closing bracket
/// dropped.
fn without_comments(text: &str) -> String {
    let lexed = Lexed::new(text);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    for (at, &byte) in bytes.iter().enumerate() {
        let kept = match lexed.class(at) {
            Some(Class::Comment) if byte != b'\n' => b' ',
            Some(Class::Code) if byte == b',' => {
                let next = lexed.skip_trivia(at + 1, bytes.len());
                if matches!(bytes.get(next), Some(b'}' | b']')) {
                    b' '
                } else {
                    byte
                }
            }
            _ => byte,
        };
        out.push(kept);
    }
    // Whole characters are blanked, so the text stays UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas_are_read_past() {
        let text = r#"{
  // Shared settings.
  "extends": "./tsconfig.base.json",
  "compilerOptions": {
    /* Aliases — résumé */
    "baseUrl": ".",
    "paths": {
      "@/*": ["./src/*",],
      "@acme/db": ["../db/index.ts"], // the database package
      "//not-a-comment/*": ["lib/*"],
    },
  },
}
"#;
        let config = parse(text).unwrap();
        assert_eq!(config.base_url.as_deref(), Some("."));
        assert_eq!(config.extends, ["./tsconfig.base.json"]);
        let paths = config.paths.unwrap();
        let patterns: Vec<(&str, &[String])> = paths
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_slice()))
            .collect();
        assert_eq!(
            patterns,
            [
                ("@/*", &["./src/*".to_owned()][..]),
                ("@acme/db", &["../db/index.ts".to_owned()][..]),
                ("//not-a-comment/*", &["lib/*".to_owned()][..]),
            ]
        );
        let config = parse(r#"{ "extends": ["./a.json", "@tsconfig/node20"] }"#).unwrap();
        assert_eq!(config.extends, ["./a.json", "@tsconfig/node20"]);
        assert_eq!((config.base_url, config.paths), (None, None));
        assert!(parse("{ \"compilerOptions\": ").is_err());
    }
}
