//! String constants one file shares with the files that import it, and the constant a server is
//! named by when the file that builds it does not hold the name (`FastMCP(SERVER_NAME)` after
//! `from .config import SERVER_NAME`, or `FastMCP(config.SERVER_NAME)` after `from . import
//! config`; `new McpServer({ name: CONFIG.name })` after `import { CONFIG } from
//! "./config.js"`). Discovery joins the two through the imports (`agent::code_servers`), so the
//! server takes the name it announces at run time.
//!
//! Only literals are shared, and only where nothing else can bind the name: a Python module's
//! `NAME = "…"` at the margin (`NAME: str = "…"`, `NAME: Final = "…"` too) when the file binds
//! that name nowhere else, and a TypeScript/JavaScript `export const NAME = "…"` or the string
//! properties of an `export const CONFIG = { name: "…" }`. A value built at run time
//! (`os.environ.get(…)`, an f-string, a template literal with `${…}`) is none.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use crate::pattern::Pattern;
use serde::Serialize;

use super::{PythonSource, TS_STRING_PROPERTY, capture};
use crate::artifact::escapes::{decode_python, decode_script};
use crate::artifact::script_lex::Lexed;

/// Constants one file shares at most: a generated file of thousands keeps the first.
const MAX_SHARED_CONSTANTS: usize = 64;
/// Bytes of a shared constant's value at most: a server's name is short.
const MAX_VALUE_BYTES: usize = 256;
/// Bytes of an exported object read for its string properties at most (a larger one is not).
const MAX_OBJECT_BYTES: usize = 8 * 1024;
/// String properties of a file's exported objects looked at, at most.
const MAX_PROPERTIES_READ: usize = 256;

/// `NAME = "acme"`, `NAME: str = 'acme'`, `NAME: Final[str] = "acme"` at the margin, nothing
/// after the literal but a comment: group 1 the name, groups 2 and 3 the literal's body.
static PY_STRING_CONSTANT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"(?m)^([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?::[ \t]*[A-Za-z_][A-Za-z0-9_.\[\] ]*)?=[ \t]*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')[ \t\r]*(?:#[^\n]*)?$"#)
        .expect("valid regex")
});
/// A name bound by assignment anywhere (`NAME =`, `NAME: str =`, `NAME +=`), not compared
/// (`NAME == …`): group 1 the name.
static PY_ASSIGNMENT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?m)^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?::[^=\n]*)?[-+*/%@&|^]?=(?:[^=]|$)")
        .expect("valid regex")
});
/// `mcp = FastMCP(SERVER_NAME` or `FastMCP(name=SERVER_NAME` (also `MCPServer`, and through a
/// module: `fastmcp.FastMCP(`), the name an identifier or an attribute of a module
/// (`config.SERVER_NAME`): group 1 the object, group 2 the name.
static PY_SERVER_BY_NAME: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?m)(?:^|[^A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:[A-Za-z_.]*\.)?(?:FastMCP|MCPServer)\(\s*(?:name\s*=\s*)?([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*[,)]")
        .expect("valid regex")
});
/// `export const NAME = "acme"` (with a type, a template literal without `${…}`): group 1 the
/// name, groups 2 to 4 the literal's body.
static TS_EXPORTED_STRING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\bexport\s+const\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*(?::\s*[A-Za-z_$][A-Za-z0-9_$.<>\[\]| ]*)?=\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`)"#)
        .expect("valid regex")
});
/// `export const CONFIG = {` (with a type): group 1 the name.
static TS_EXPORTED_OBJECT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\bexport\s+const\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*(?::\s*[A-Za-z_$][A-Za-z0-9_$.<>\[\]| ]*)?=\s*\{")
        .expect("valid regex")
});

/// The constant of another file (or of the file itself) a server is named by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameConstant {
    /// The module it is imported from, as written (`.config`, `acme_pkg.config`,
    /// `./config.js`); `None` for a constant of the file itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// Python: the name the module is imported by from `module` (`config` of `from . import
    /// config`, for `FastMCP(config.SERVER_NAME)`): the constant is an attribute of that name
    /// of `module`, or of its submodule by that name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module_name: Option<String>,
    /// Its name in that module (`SERVER_NAME`, `CONFIG`).
    pub name: String,
    /// The string property of a constant object that holds the name (`name` of `CONFIG.name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
}

impl NameConstant {
    /// How the file that defines it shares it (`SourceTools::constants`): `SERVER_NAME`,
    /// `CONFIG.name`.
    pub fn key(&self) -> String {
        match &self.property {
            Some(property) => format!("{}.{property}", self.name),
            None => self.name.clone(),
        }
    }
}

/// The module-level string constants of a Python file bound once in it, by name, decoded.
pub(super) fn python(source: &PythonSource) -> BTreeMap<String, String> {
    let text = source.text;
    let mut found: BTreeMap<&str, String> = BTreeMap::new();
    for c in PY_STRING_CONSTANT.captures_iter(text) {
        let (Some(whole), Some(name)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let Some(body) = capture(&c, &[2, 3]) else {
            continue;
        };
        if source.is_code(whole.start()) && body.len() <= MAX_VALUE_BYTES {
            found.insert(name.as_str(), decode_python(body));
        }
        if found.len() == MAX_SHARED_CONSTANTS {
            break;
        }
    }
    if found.is_empty() {
        return BTreeMap::new();
    }
    let mut bindings: HashMap<&str, usize> = HashMap::new();
    for c in PY_ASSIGNMENT.captures_iter(text) {
        if let Some(name) = c.get(1)
            && found.contains_key(name.as_str())
            && source.is_code(name.start())
        {
            *bindings.entry(name.as_str()).or_default() += 1;
        }
    }
    found
        .into_iter()
        .filter(|(name, _)| bindings.get(name) == Some(&1))
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
}

/// Whether the Python file assigns the name `name` anywhere in its code.
pub(super) fn python_assigns(source: &PythonSource, name: &str) -> bool {
    source.text.contains(name)
        && PY_ASSIGNMENT
            .captures_iter(source.text)
            .filter_map(|c| c.get(1))
            .any(|m| m.as_str() == name && source.is_code(m.start()))
}

/// The identifier each server object of a Python file is built with when its name is one
/// (`mcp = FastMCP(SERVER_NAME)`, `FastMCP(config.SERVER_NAME)`), by object.
pub(super) fn python_server_names<'t>(source: &PythonSource<'t>) -> BTreeMap<&'t str, &'t str> {
    PY_SERVER_BY_NAME
        .captures_iter(source.text)
        .filter(|c| c.get(1).is_some_and(|m| source.is_code(m.start())))
        .filter_map(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str())))
        .collect()
}

/// The string constants a TypeScript/JavaScript file exports, by name (`SERVER_NAME`), and the
/// string properties of the constant objects it exports (`CONFIG.name`), decoded.
pub(super) fn script(lexed: &Lexed) -> BTreeMap<String, String> {
    let text = lexed.text;
    let mut found = BTreeMap::new();
    if !text.contains("export") {
        return found;
    }
    let in_code = |c: &crate::pattern::Captures| c.get(0).is_some_and(|m| lexed.is_code(m.start()));
    for c in TS_EXPORTED_STRING.captures_iter(text).filter(in_code) {
        if let (Some(name), Some(body)) = (c.get(1), capture(&c, &[2, 3, 4]))
            && body.len() <= MAX_VALUE_BYTES
            && found.len() < MAX_SHARED_CONSTANTS
        {
            found
                .entry(name.as_str().to_owned())
                .or_insert_with(|| decode_script(body));
        }
    }
    let mut properties_read = 0;
    for c in TS_EXPORTED_OBJECT.captures_iter(text).filter(in_code) {
        let (Some(name), Some(whole)) = (c.get(1), c.get(0)) else {
            continue;
        };
        let open = whole.end() - 1;
        let Some(close) = lexed
            .close_of(open)
            .filter(|close| close - open <= MAX_OBJECT_BYTES)
        else {
            continue;
        };
        // Its own properties, not those of the objects it holds.
        let body = &text[open..close];
        for p in TS_STRING_PROPERTY.captures_iter(body) {
            let (Some(key), Some(value)) = (p.get(1), capture(&p, &[2, 3, 4])) else {
                continue;
            };
            properties_read += 1;
            if properties_read > MAX_PROPERTIES_READ {
                return found;
            }
            if lexed.enclosing(open + key.start()) != Some(open) || value.len() > MAX_VALUE_BYTES {
                continue;
            }
            if found.len() == MAX_SHARED_CONSTANTS {
                return found;
            }
            found
                .entry(format!("{}.{}", name.as_str(), key.as_str()))
                .or_insert_with(|| decode_script(value));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python_constants(text: &str) -> Vec<(String, String)> {
        python(&PythonSource::new(text)).into_iter().collect()
    }

    fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        (pairs.iter())
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn python_constants_are_literals_at_the_margin_bound_once() {
        let text = r#"from typing import Final
SERVER_NAME = "acme-billing"  # announced
TYPED: str = 'acme-typed'
FINAL: Final[str] = "acme-\x66inal"
TWICE = "acme-one"
TWICE = "acme-two"
CHANGED = "acme-base"
if DEBUG:
    CHANGED = "acme-debug"
GROWN = "acme"
GROWN += "-more"
FROM_ENV = os.environ.get("NAME", "acme")
FORMATTED = f"acme-{x}"
JOINED = "acme" + SUFFIX
COMPARED = "acme-compared"
assert COMPARED == "acme-compared"
def f():
    return "x"
    INDENTED = "acme-indented"
"""
IN_DOCSTRING = "acme-doc"
"""
# COMMENTED = "acme-commented"
"#;
        assert_eq!(
            python_constants(text),
            pairs(&[
                ("COMPARED", "acme-compared"),
                ("FINAL", "acme-final"),
                ("SERVER_NAME", "acme-billing"),
                ("TYPED", "acme-typed"),
            ])
        );
        assert!(python_constants("x = 1\n").is_empty());
    }

    #[test]
    fn python_servers_named_by_an_identifier() {
        let source = PythonSource::new(
            "mcp = FastMCP(SERVER_NAME)\nother = fastmcp.FastMCP(name=NAME, instructions=\"x\")\n\
             literal = FastMCP(\"acme\")\ncalled = FastMCP(name())\n# old = FastMCP(OLD)\n\
             dotted = FastMCP(config.SERVER_NAME)\nmethod = FastMCP(config.name())\n",
        );
        let found: Vec<(&str, &str)> = python_server_names(&source).into_iter().collect();
        assert_eq!(
            found,
            [
                ("dotted", "config.SERVER_NAME"),
                ("mcp", "SERVER_NAME"),
                ("other", "NAME")
            ]
        );
    }

    #[test]
    fn script_constants_are_exported_literals_and_object_properties() {
        let text = r#"export const SERVER_NAME = "acme-billing";
export const TYPED: string = 'acme-typed';
export const TEMPLATE = `acme-template`;
export const COMPUTED = `acme-${env}`;
const LOCAL = "acme-local";
export let CHANGING = "acme-let";
export const CONFIG = { name: "acme-config", version: "1.0.0", nested: { title: 'x' } } as const;
// export const COMMENTED = "acme-commented";
"#;
        let found: Vec<(String, String)> = script(&Lexed::new(text)).into_iter().collect();
        assert_eq!(
            found,
            pairs(&[
                ("CONFIG.name", "acme-config"),
                ("CONFIG.version", "1.0.0"),
                ("SERVER_NAME", "acme-billing"),
                ("TEMPLATE", "acme-template"),
                ("TYPED", "acme-typed"),
            ])
        );
    }

    #[test]
    fn shared_constants_are_bounded() {
        let text: String = (0..200)
            .map(|i| format!("NAME_{i} = \"acme-{i}\"\n"))
            .collect();
        assert_eq!(python_constants(&text).len(), MAX_SHARED_CONSTANTS);
        let long = format!("NAME = \"{}\"\n", "a".repeat(MAX_VALUE_BYTES + 1));
        assert!(python_constants(&long).is_empty());
        let text: String = (0..200)
            .map(|i| format!("export const NAME_{i} = \"acme-{i}\";\n"))
            .collect();
        assert_eq!(script(&Lexed::new(&text)).len(), MAX_SHARED_CONSTANTS);
        // Objects of many properties and brackets cost a bounded read.
        let object: String = (0..400)
            .map(|i| format!("k{i}: '', n{i}: {{}}, "))
            .collect();
        let text: String = (0..200)
            .map(|i| format!("export const O{i} = {{ {object} }};\n"))
            .collect();
        let started = std::time::Instant::now();
        let found = script(&Lexed::new(&text));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(found.len() <= MAX_SHARED_CONSTANTS && !found.is_empty());
    }
}
