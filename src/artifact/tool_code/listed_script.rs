//! Tools a low-level TypeScript/JavaScript MCP server (the SDK's `Server` class) lists from its
//! `setRequestHandler(ListToolsRequestSchema, …)` handler (written in the call, or a function of
//! the same file passed by name): the `{ tools: [...] }` it returns, where the array may be
//! written in the handler, held in a constant of the same file
//! (`const TOOLS: Tool[] = [...]`, `{ tools: TOOLS }`, `{ tools }`, spread `...TOOLS`) or
//! returned by a function of the file (`{ tools: getTools() }`), and each tool an object
//! literal or a constant of the same file (`const FOO_TOOL: Tool = { … }`). A tool's `name` is
//! a string literal (a template literal without `${…}`), a string constant, or an enum member
//! or constant object property of the same file (`ToolName.ECHO`); a name that is computed is
//! not statically known and the tool is skipped, as the Python side does.
//!
//! A list built at run time from a known one is read in a few shapes ([`Source::derived_listing`]):
//! the values of a constant object of tools (`Object.values(TOOLS)`), its keys as the tools'
//! names (`Object.entries(TOOLS).map(([name, t]) => ({ name, ...t }))`, [`Entries`]), and a
//! `.map(…)` that keeps each tool's own name.
//!
//! What a handler takes from another file — the handler itself, the array, a tool constant or a
//! function returning the array, imported (`import { TOOLS } from "./tools.js"`, a default or
//! `* as` import, `require`) — is recorded as a [`ListedImport`]; the file that defines it
//! reads the same shapes for the names it exports, ES or CommonJS (`module.exports`,
//! `exports.X`) ([`ScriptLinks`]), and discovery joins the two (`agent::code_servers`).
//!
//! The file is read as lexed once (`script_lex`: strings, template literals and comments told
//! from code, brackets paired), so that a handler in a comment or a string lists nothing and a
//! `{` in a description does not end an object early.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::rc::Rc;
use std::sync::LazyLock;

use crate::pattern::Pattern;
use serde::Serialize;

use super::{annotations_in, literal_body};
use crate::artifact::escapes::decode_script;
use crate::artifact::script_lex::Lexed;
use crate::artifact::text::TextSpan;
use crate::artifact::tool_json::{Annotations, Dialect, ToolDecl, short_description};

/// Constants and functions followed from a handler to its tools: an array constant of object
/// constants, an array spread into another, a function returning a constant.
const MAX_INDIRECTION: usize = 4;
/// Exported names of one file read for the tools they stand for.
const MAX_EXPORTED_NAMES: usize = 256;
/// Functions of one file looked up by name (each a regular expression built and run).
const MAX_FUNCTION_LOOKUPS: usize = 64;

/// `const NAME =` (also `let`/`var`, with a type: `const NAME: Tool[] =`) followed by `value`:
/// group 1 the name.
fn declared_as(value: &str) -> Pattern {
    Pattern::new(&format!(
        r"\b(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*(?::\s*[A-Za-z_$][A-Za-z0-9_$.<>\[\]| ]*)?=\s*{value}"
    ))
    .expect("valid regex")
}

/// `server.setRequestHandler(ListToolsRequestSchema` (also `types.ListToolsRequestSchema`):
/// group 1 the server object, group 2 the call's opening parenthesis.
static LIST_TOOLS_HANDLER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"([A-Za-z_$][A-Za-z0-9_$]*)\s*\.\s*setRequestHandler\s*(\()\s*(?:[A-Za-z_$][A-Za-z0-9_$]*\s*\.\s*)?ListToolsRequestSchema\b")
        .expect("valid regex")
});
/// `const TOOLS: Tool[] = [` or `const FOO_TOOL: Tool = {` (also `let`/`var`): group 1 the
/// name, group 2 the opening bracket.
static COLLECTION_CONST: LazyLock<Pattern> = LazyLock::new(|| declared_as(r"([\[{])"));
/// `const shown = TOOLS.filter(` (also `let`/`var`, `slice`, `sort`, `toSorted`): group 1 the
/// name, group 2 the array it keeps some or all tools of.
static SUBSET_CONST: LazyLock<Pattern> = LazyLock::new(|| {
    declared_as(r"([A-Za-z_$][A-Za-z0-9_$]*)\s*\.\s*(?:filter|slice|sort|toSorted)\s*\(")
});
/// `const TOOLS = createTools(` or `= await tools.load(`: group 1 the name, group 2 the function
/// called.
static CALL_CONST: LazyLock<Pattern> = LazyLock::new(|| {
    declared_as(
        r"(?:await\s+)?([A-Za-z_$][A-Za-z0-9_$]*(?:\s*\.\s*[A-Za-z_$][A-Za-z0-9_$]*)?)\s*\(",
    )
});
/// `const tools = Object.values(` or `= TOOLS.map(` (also `let`/`var`, `Object.entries`,
/// `Object.keys`): group 1 the name, group 2 the value.
static DERIVED_CONST: LazyLock<Pattern> = LazyLock::new(|| {
    declared_as(
        r"(Object\s*\.\s*(?:values|entries|keys)\s*\(|[A-Za-z_$][A-Za-z0-9_$]*\s*\.\s*map\s*\()",
    )
});
/// `module.exports =`, `module.exports.NAME =`, `exports.NAME =`: group 1 `module.`, group 2
/// the name, group 3 the `=`.
static COMMONJS_EXPORT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"\b(module\s*\.\s*)?exports\s*(?:\.\s*([A-Za-z_$][A-Za-z0-9_$]*)\s*)?(=)(?:[^=>]|$)",
    )
    .expect("valid regex")
});
/// An identifier at the start of a text.
static LEADING_IDENTIFIER: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"^[A-Za-z_$][A-Za-z0-9_$]*").expect("valid regex"));
/// `TOOLS.filter(…)` as a value: group 1 the array.
static SUBSET: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^([A-Za-z_$][A-Za-z0-9_$]*)\s*\.\s*(?:filter|slice|sort|toSorted)\s*\(")
        .expect("valid regex")
});
/// `getTools(…)`, `await tools.list(…)` as a value: group 1 the function, group 2 the call's
/// opening parenthesis.
static CALL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"^(?:await\s+)?([A-Za-z_$][A-Za-z0-9_$]*(?:\s*\.\s*[A-Za-z_$][A-Za-z0-9_$]*)?)\s*(\()",
    )
    .expect("valid regex")
});
/// `import A, { B, C as D } from "m"`, `import * as NS from "m"` (also `import type`): group 1
/// a default binding, group 2 the named bindings, group 3 a namespace, group 4 the module.
static IMPORT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\bimport\s+(?:type\s+)?(?:([A-Za-z_$][A-Za-z0-9_$]*)\s*,?\s*)?(?:\{([^}]*)\}|\*\s*as\s+([A-Za-z_$][A-Za-z0-9_$]*))?\s*from\s*["']([^"'\n]+)["']"#)
        .expect("valid regex")
});
/// `const { A, B: C } = require("m")` or `const NS = require("m")`: group 1 the named bindings,
/// group 2 a namespace, group 3 the module.
static REQUIRE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\b(?:const|let|var)\s+(?:\{([^}]*)\}|([A-Za-z_$][A-Za-z0-9_$]*))\s*=\s*require\s*\(\s*["']([^"'\n]+)["']\s*\)"#)
        .expect("valid regex")
});
/// `export function NAME(`, `export default async function NAME(`, `export const NAME`: group
/// 1 `default`, group 2 a function's name (none for a default export), group 3 its
/// parameters' parenthesis, group 4 a constant's name, group 5 its `=`.
static EXPORT_DECLARATION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\bexport\s+(default\s+)?(?:declare\s+)?(?:(?:async\s+)?function\s*\*?\s*([A-Za-z_$][A-Za-z0-9_$]*)?\s*(?:<[^>(]*>\s*)?(\()|(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)\b[^=;]*(=))")
        .expect("valid regex")
});
/// `export default NAME` or `export default [`: group 1 the name, group 2 the bracket.
static EXPORT_DEFAULT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\bexport\s+default\s+(?:([A-Za-z_$][A-Za-z0-9_$]*)\s*(?:;|$|\n)|(\[))")
        .expect("valid regex")
});
/// `export { A, B as C }`, `export { A } from "m"`: group 1 the names, group 2 the module.
static EXPORT_LIST: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\bexport\s+(?:type\s+)?\{([^}]*)\}(?:\s*from\s*["']([^"'\n]+)["'])?"#)
        .expect("valid regex")
});
/// `export * from "m"`: group 1 the module.
static EXPORT_ALL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\bexport\s*\*\s*from\s*["']([^"'\n]+)["']"#).expect("valid regex")
});
/// ` as Type` or ` satisfies Type` after a value (its first one).
static CAST: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\s(?:as|satisfies)\s").expect("valid regex"));
static RETURN: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\breturn\b").expect("valid regex"));
/// `enum ToolName {`: group 1 the name, group 2 the opening brace.
static ENUM: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\benum\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*(\{)").expect("valid regex")
});
/// The key of an object property (`name:`, `"name":`) or of an enum member (`ECHO =`): group 1
/// to 3 the key, group 4 the separator.
static KEY: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r#"^(?:([A-Za-z_$][A-Za-z0-9_$]*)|"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')\s*([:=])"#,
    )
    .expect("valid regex")
});
static IDENTIFIER: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"^[A-Za-z_$][A-Za-z0-9_$]*$").expect("valid regex"));
/// `ToolName.ECHO`: group 1 the enum or object, group 2 the member.
static MEMBER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^([A-Za-z_$][A-Za-z0-9_$]*)\s*\.\s*([A-Za-z_$][A-Za-z0-9_$]*)$")
        .expect("valid regex")
});
static INPUT_SCHEMA_KEY: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\binputSchema\b").expect("valid regex"));
static TOOLS_WORD: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\btools\b").expect("valid regex"));

/// Tools listed by one file at most: a generated file of millions is not read to its end.
const MAX_LISTED_TOOLS: usize = 10_000;

/// A binding a file imports, as the module that exports it names it: `TOOLS` from
/// `./tools.js`, `default` for a default import.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ImportedName {
    pub module: String,
    pub name: String,
    /// Set when the binding is an object of tools a list takes its properties from
    /// (`Object.values(TOOLS)`): how it names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<Entries>,
}

impl ImportedName {
    pub fn new(module: &str, name: &str) -> ImportedName {
        ImportedName {
            module: module.to_owned(),
            name: name.to_owned(),
            entries: None,
        }
    }
}

/// How a list takes the tools of an object whose properties are tools (`const TOOLS = {
/// refund: { name: "refund_invoice", … }, lookup: LOOKUP_TOOL }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Entries {
    /// `Object.values(TOOLS)`: each value, named as it names itself.
    Values,
    /// `Object.keys(TOOLS).map((name) => ({ name, … }))`: each named by its key.
    Keys,
    /// `Object.entries(TOOLS).map(([name, t]) => ({ name, ...t }))`: each named by its key,
    /// unless the value has a `name` of its own (spread over the key).
    KeysUnlessNamed,
}

/// One property of an object of tools, as each way of listing it names it (`T` a tool).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry<T> {
    /// The tool named by the property's key (none for a computed key `[K]: …`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_key: Option<T>,
    /// The tool the value names itself, when its name is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own: Option<T>,
    /// The value has a `name` of its own, known or not.
    pub named: bool,
    /// The value is a binding of another module (a tool constant imported).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<ImportedName>,
}

impl<T> Entry<T> {
    /// The tool this property stands for when listed `how`, or the binding of another module
    /// that holds it. An imported value is taken to name itself.
    pub fn select(&self, how: Entries) -> (Option<&T>, Option<&ImportedName>) {
        match how {
            Entries::Keys => (self.by_key.as_ref(), None),
            Entries::KeysUnlessNamed if !self.named && self.from.is_none() => {
                (self.by_key.as_ref(), None)
            }
            Entries::Values | Entries::KeysUnlessNamed => (self.own.as_ref(), self.from.as_ref()),
        }
    }

    fn map<U>(&self, f: impl Fn(&T) -> U) -> Entry<U> {
        Entry {
            by_key: self.by_key.as_ref().map(&f),
            own: self.own.as_ref().map(&f),
            named: self.named,
            from: self.from.clone(),
        }
    }
}

/// Tools a low-level server of this file lists from another file: the imported handler,
/// array, tool constant or function returning the array (`from`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ListedImport {
    /// The server's name, or the file's stem for a server whose name the file does not hold.
    pub server: String,
    /// True when the file does not construct the server (`ToolDecl::server_elsewhere`).
    pub server_elsewhere: bool,
    pub from: ImportedName,
}

/// What a TypeScript/JavaScript file's lists of tools have to do with other files: the tools
/// its servers list from them, and the tools its exported names stand for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScriptLinks {
    /// Only in a file that names the MCP SDK.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub listed: Vec<ListedImport>,
    /// The tools an exported name (`default` for the default export) stands for, written in
    /// this file: of a server named after the file until a handler that imports them is found.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub exported_tools: BTreeMap<String, Vec<ToolDecl>>,
    /// The bindings of other modules an exported name stands for (`export { TOOLS } from`, a
    /// function returning an imported array); `*` for `export * from`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub exported_links: BTreeMap<String, Vec<ImportedName>>,
    /// The properties of an exported object of tools (`export const TOOLS = { refund: {…} }`),
    /// for a handler that lists them (`Object.values(TOOLS)`, [`Entries`]).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub exported_entries: BTreeMap<String, Vec<Entry<ToolDecl>>>,
}

impl ScriptLinks {
    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
            && self.exported_tools.is_empty()
            && self.exported_links.is_empty()
            && self.exported_entries.is_empty()
    }
}

/// The tools the file's `setRequestHandler(ListToolsRequestSchema, …)` handlers list
/// ([`listed_tools`]) and, in a file that names the MCP SDK (`sdk`), the tool objects no
/// handler lists ([`defined_tools`]) and the tools the handlers list from other files; then
/// what the file's exported names stand for ([`exports`]). The file's constants are read once
/// for all. `servers` names the server objects constructed with a name, `objects` the server
/// objects constructed at all, `strings` the string constants of the file (bodies as written),
/// `declared` the tools the file declared otherwise.
pub(super) fn object_tools(
    lexed: &Lexed,
    servers: &BTreeMap<&str, String>,
    objects: &BTreeMap<&str, &str>,
    strings: &BTreeMap<&str, &str>,
    stem: &str,
    declared: &[ToolDecl],
    sdk: bool,
) -> (Vec<ToolDecl>, ScriptLinks) {
    let text = lexed.text;
    let lists = text.contains("ListToolsRequestSchema");
    let defines = sdk && text.contains("inputSchema");
    let exports = text.contains("export");
    let mut links = ScriptLinks::default();
    if !lists && !defines && !exports {
        return (Vec::new(), links);
    }
    let source = Source::new(lexed, strings);
    let mut memo = Memo::default();
    let mut out = Vec::new();
    if lists {
        let listed;
        (out, listed) = listed_tools(&source, &mut memo, servers, objects, stem);
        if sdk {
            links.listed = listed;
        }
    }
    if defines {
        let known: BTreeSet<usize> = declared
            .iter()
            .chain(&out)
            .filter_map(|t| t.span.map(|s| s.offset))
            .chain(memo.renamed.iter().copied())
            .collect();
        out.extend(defined_tools(&source, &mut memo, stem, &known));
    }
    if exports {
        (
            links.exported_tools,
            links.exported_links,
            links.exported_entries,
        ) = self::exports(&source, &mut memo, stem);
    }
    (out, links)
}

/// The tools every `setRequestHandler(ListToolsRequestSchema, …)` handler of the file lists,
/// and what they list from other files; a tool of an object not constructed here belongs to a
/// server named after `stem` until discovery finds it (`ToolDecl::server_elsewhere`).
fn listed_tools<'t>(
    source: &Source<'t>,
    memo: &mut Memo<'t>,
    servers: &BTreeMap<&str, String>,
    objects: &BTreeMap<&str, &str>,
    stem: &str,
) -> (Vec<ToolDecl>, Vec<ListedImport>) {
    let text = source.text;
    let mut out = Vec::new();
    let mut imported = BTreeSet::new();
    let mut handled_until = 0;
    'handlers: for c in LIST_TOOLS_HANDLER.captures_iter(text) {
        let (Some(object), Some(paren)) = (c.get(1), c.get(2)) else {
            continue;
        };
        if object.start() < handled_until {
            continue;
        }
        // A parenthesis in a comment or a string is never paired: such a handler lists nothing.
        let Some(close) = source.lexed.close_of(paren.start()) else {
            continue;
        };
        handled_until = close;
        let server = servers.get(object.as_str()).map_or(stem, String::as_str);
        let elsewhere = !objects.contains_key(object.as_str());
        let listing = source.handler_listing(paren.start()..close, memo);
        for from in &listing.imported {
            imported.insert(ListedImport {
                server: server.to_owned(),
                server_elsewhere: elsewhere,
                from: from.clone(),
            });
        }
        for tool in &listing.tools {
            if out.len() == MAX_LISTED_TOOLS {
                break 'handlers;
            }
            out.push(tool.clone().declared(text, server, elsewhere));
        }
    }
    // A tool object held in a constant may be listed twice by one server (`[...A, X]`).
    out.sort_by(|a, b| (&a.id, a.span).cmp(&(&b.id, b.span)));
    out.dedup_by(|a, b| a.id == b.id && a.span == b.span);
    (out, imported.into_iter().collect())
}

/// MCP tool definitions that no handler of this file lists: object literals in code with a
/// `name` and an `inputSchema` (the shape of the protocol's `Tool`), as a file of tool
/// definitions exports them for a server elsewhere (`export const TOOLS: Tool[] = [{ name: …,
/// inputSchema: … }]`, a function returning such an array). Each is a tool of a server named
/// after `stem` until discovery finds the server through the files that import this one. A
/// tool whose name starts at an offset in `known` (a handler of this file lists it) is left out.
fn defined_tools<'t>(
    source: &Source<'t>,
    memo: &mut Memo<'t>,
    stem: &str,
    known: &BTreeSet<usize>,
) -> Vec<ToolDecl> {
    let (text, lexed) = (source.text, source.lexed);
    let mut out: Vec<ToolDecl> = Vec::new();
    for key in INPUT_SCHEMA_KEY.find_iter(text) {
        if out.len() == MAX_LISTED_TOOLS {
            break;
        }
        if !lexed.is_code(key.start()) {
            continue;
        }
        let after = lexed.skip_trivia(key.end(), text.len());
        if !matches!(text.as_bytes().get(after), Some(b':' | b',' | b'}')) {
            continue;
        }
        let Some(open) = lexed.enclosing(key.start()) else {
            continue;
        };
        if text.as_bytes()[open] != b'{' {
            continue;
        }
        let Some(tool) = source.tool(open, memo) else {
            continue;
        };
        if known.contains(&tool.name_at.start) {
            continue;
        }
        out.push(tool.declared(text, stem, true));
    }
    out.sort_by(|a, b| (&a.id, a.span).cmp(&(&b.id, b.span)));
    out.dedup_by(|a, b| a.id == b.id && a.span == b.span);
    out
}

/// What the file's exported names stand for, as a handler of another file that imports one
/// would list it (`ScriptLinks::exported_tools`, `ScriptLinks::exported_links`): `export const
/// TOOLS = [...]`, `export const FOO_TOOL = {…}`, `export function listTools()` (the `{ tools }`
/// it returns, else the array), `export default …`, `export { A, B as C }`, and what is only
/// passed on (`export { TOOLS } from "./tools.js"`, `export * from "./tools.js"`, an exported
/// name that is imported). Names that stand for no tools are left out.
type Exports = (
    BTreeMap<String, Vec<ToolDecl>>,
    BTreeMap<String, Vec<ImportedName>>,
    BTreeMap<String, Vec<Entry<ToolDecl>>>,
);

fn exports<'t>(source: &Source<'t>, memo: &mut Memo<'t>, stem: &str) -> Exports {
    let (text, lexed) = (source.text, source.lexed);
    let in_code = |m: Option<crate::pattern::Match>| m.is_some_and(|m| lexed.is_code(m.start()));
    // Each exported name and where its value is: a local name, a function's body, an array.
    let mut named: Vec<(String, Exported<'t>)> = Vec::new();
    for c in EXPORT_DECLARATION.captures_iter(text) {
        if !in_code(c.get(0)) {
            continue;
        }
        let (name, value) = match (c.get(3), c.get(4), c.get(5)) {
            (Some(paren), ..) => (c.get(2), Exported::Parameters(paren.start())),
            (None, Some(name), Some(equals)) => {
                (Some(name), Exported::Assigned(name.as_str(), equals.end()))
            }
            _ => continue,
        };
        // `export default function () {…}` has no name of its own.
        let key = match (c.get(1), name) {
            (Some(_), _) => "default",
            (None, Some(name)) => name.as_str(),
            (None, None) => continue,
        };
        named.push((key.to_owned(), value));
    }
    for c in EXPORT_DEFAULT.captures_iter(text) {
        if !in_code(c.get(0)) {
            continue;
        }
        match (c.get(1), c.get(2)) {
            (Some(name), _) => named.push(("default".to_owned(), Exported::Local(name.as_str()))),
            (_, Some(open)) => named.push(("default".to_owned(), Exported::Array(open.start()))),
            _ => {}
        }
    }
    let mut links: BTreeMap<String, Vec<ImportedName>> = BTreeMap::new();
    for c in EXPORT_LIST.captures_iter(text) {
        if !in_code(c.get(0)) {
            continue;
        }
        for (local, exported) in bindings(c.get(1).map_or("", |m| m.as_str()), " as ") {
            match c.get(2) {
                Some(module) => links
                    .entry(exported.to_owned())
                    .or_default()
                    .push(ImportedName::new(module.as_str(), local)),
                None => named.push((exported.to_owned(), Exported::Local(local))),
            }
        }
    }
    commonjs_exports(source, &mut named);
    for c in EXPORT_ALL.captures_iter(text) {
        if in_code(c.get(0))
            && let Some(module) = c.get(1)
        {
            links
                .entry("*".to_owned())
                .or_default()
                .push(ImportedName::new(module.as_str(), "*"));
        }
    }
    let mut tools: BTreeMap<String, Vec<ToolDecl>> = BTreeMap::new();
    let mut entries: BTreeMap<String, Vec<Entry<ToolDecl>>> = BTreeMap::new();
    for (key, value) in named.into_iter().take(MAX_EXPORTED_NAMES) {
        // An object of tools, for a handler that lists its properties (`Object.values(…)`).
        let object = match value {
            Exported::Assigned(name, equals) => {
                source.collection(name, '{', lexed.skip_trivia(equals, text.len()) + 1)
            }
            Exported::Local(name) => source.collection(name, '{', text.len()),
            Exported::Value(start) => text[start..].starts_with('{').then_some(start),
            Exported::Parameters(_) | Exported::Array(_) => None,
        };
        if let Some(open) = object {
            let found = source.entries(open, memo);
            let tools = |e: &Entry<Listed>| {
                e.own.is_some()
                    || e.named
                    || e.from.is_some()
                    || e.by_key.as_ref().is_some_and(|t| t.description.is_some())
            };
            if found.iter().any(tools) {
                entries.insert(
                    key.clone(),
                    found
                        .iter()
                        .map(|e| e.map(|t| t.clone().declared(text, stem, true)))
                        .collect(),
                );
            }
        }
        let listing = match value {
            Exported::Parameters(paren) => source
                .function_body(paren, true)
                .map(|body| source.function_listing(body, 0, memo)),
            Exported::Assigned(name, equals) => {
                // Where the value starts: the constant declared here, not one of the same name
                // declared before.
                let value = lexed.skip_trivia(equals, text.len()) + 1;
                let listing = source.constant_listing(name, value, memo);
                if listing.is_empty() {
                    source
                        .function_body(equals, false)
                        .map(|body| source.function_listing(body, 0, memo))
                } else {
                    Some(listing)
                }
            }
            Exported::Local(name) => Some(source.local_listing(name, memo)),
            Exported::Array(open) => Some(source.array_tools(open, 0, memo)),
            Exported::Value(start) => Some(source.value_listing(start, memo)),
        };
        let Some(listing) = listing else {
            continue;
        };
        if !listing.tools.is_empty() {
            let declared = tools.entry(key.clone()).or_default();
            declared.extend(
                listing
                    .tools
                    .iter()
                    .map(|t| t.clone().declared(text, stem, true)),
            );
            declared.sort_by(|a, b| (&a.id, a.span).cmp(&(&b.id, b.span)));
            declared.dedup_by(|a, b| a.id == b.id && a.span == b.span);
        }
        if !listing.imported.is_empty() {
            let linked = links.entry(key).or_default();
            linked.extend(listing.imported.iter().cloned());
        }
    }
    for linked in links.values_mut() {
        linked.sort();
        linked.dedup();
    }
    (tools, links, entries)
}

/// The names a CommonJS module exports, added to `named`: `module.exports = { A, B: C }`,
/// `module.exports = VALUE` (its default export), `module.exports.A = VALUE`, `exports.A =
/// VALUE`.
fn commonjs_exports<'t>(source: &Source<'t>, named: &mut Vec<(String, Exported<'t>)>) {
    let (text, lexed) = (source.text, source.lexed);
    for c in COMMONJS_EXPORT.captures_iter(text) {
        let (Some(whole), Some(equals)) = (c.get(0), c.get(3)) else {
            continue;
        };
        // `exports = …` alone rebinds a variable; `a.exports = …` is some other object's.
        let whole_module = c.get(1).is_some();
        if !lexed.is_code(whole.start())
            || text[..whole.start()].trim_end().ends_with('.')
            || !whole_module && c.get(2).is_none()
        {
            continue;
        }
        let value = lexed.skip_trivia(equals.end(), text.len());
        if value >= text.len() {
            continue;
        }
        if let Some(name) = c.get(2) {
            named.push((name.as_str().to_owned(), Exported::Value(value)));
            continue;
        }
        if !text[value..].starts_with('{') {
            named.push(("default".to_owned(), Exported::Value(value)));
            continue;
        }
        let close = lexed.close_of(value).unwrap_or(value);
        for item in source.items(value, close) {
            let property = &text[item.clone()];
            if IDENTIFIER.is_match(property) {
                named.push((property.to_owned(), Exported::Local(property)));
            } else if let Some(key) = KEY.captures(property)
                && let (Some(name), Some(colon)) = ((1..=3).find_map(|g| key.get(g)), key.get(4))
                && colon.as_str() == ":"
            {
                let at = lexed.skip_trivia(item.start + colon.end(), item.end);
                named.push((name.as_str().to_owned(), Exported::Value(at)));
            }
        }
    }
}

/// Where an exported name's value is.
enum Exported<'t> {
    /// `export function NAME(`: the parameters' opening parenthesis.
    Parameters(usize),
    /// `export const NAME =`: the name and the offset past the `=`.
    Assigned(&'t str, usize),
    /// `export { NAME }`, `export default NAME`.
    Local(&'t str),
    /// `export default [`.
    Array(usize),
    /// `module.exports.NAME = VALUE`: where the value starts.
    Value(usize),
}

/// How a TypeScript/JavaScript file imports a binding: by name from a module (`import { A as
/// B } from "m"`, a destructuring `require`), or as the namespace of a module (`import * as ns
/// from "m"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Import<'t> {
    /// The module as written and the binding's name there.
    Named(&'t str, &'t str),
    Namespace(&'t str),
}

/// How the file imports the binding `local`, where an import in code binds it.
pub(super) fn import_of<'t>(lexed: &Lexed<'t>, local: &str) -> Option<Import<'t>> {
    let text = lexed.text;
    if !text.contains(local) {
        return None;
    }
    let in_code = |m: Option<crate::pattern::Match>| m.is_some_and(|m| lexed.is_code(m.start()));
    for c in IMPORT.captures_iter(text) {
        let Some(module) = c.get(4).filter(|_| in_code(c.get(0))) else {
            continue;
        };
        let module = module.as_str();
        if c.get(1).is_some_and(|m| m.as_str() == local) {
            return Some(Import::Named(module, "default"));
        }
        if c.get(3).is_some_and(|m| m.as_str() == local) {
            return Some(Import::Namespace(module));
        }
        let list = c.get(2).map_or("", |m| m.as_str());
        if let Some((theirs, _)) = bindings(list, " as ").into_iter().find(|b| b.1 == local) {
            return Some(Import::Named(module, theirs));
        }
    }
    for c in REQUIRE.captures_iter(text) {
        let Some(module) = c.get(3).filter(|_| in_code(c.get(0))) else {
            continue;
        };
        let module = module.as_str();
        if c.get(2).is_some_and(|m| m.as_str() == local) {
            return Some(Import::Namespace(module));
        }
        let list = c.get(1).map_or("", |m| m.as_str());
        if let Some((theirs, _)) = bindings(list, ":").into_iter().find(|b| b.1 == local) {
            return Some(Import::Named(module, theirs));
        }
    }
    None
}

/// The bindings of an import or export list (`A, type B, C as D`; `A, B: C` for a
/// destructuring `require`, `separator` `:`): each as the module names it and as this file
/// does.
fn bindings<'l>(list: &'l str, separator: &str) -> Vec<(&'l str, &'l str)> {
    list.split(',')
        .filter_map(|item| {
            let item = item.trim();
            let item = item.strip_prefix("type ").map_or(item, str::trim_start);
            let (theirs, ours) = match item.split_once(separator) {
                Some((theirs, ours)) => (theirs.trim(), ours.trim()),
                None => (item, item),
            };
            (IDENTIFIER.is_match(theirs) && IDENTIFIER.is_match(ours)).then_some((theirs, ours))
        })
        .collect()
}

/// One tool object of a list.
#[derive(Debug, Clone)]
struct Listed {
    name: String,
    /// The name's literal body or expression.
    name_at: Range<usize>,
    description: Option<String>,
    annotations: Option<Annotations>,
}

impl Listed {
    /// The tool of `server` (in the source `text`); `elsewhere` when the file does not
    /// construct that server.
    fn declared(self, text: &str, server: &str, elsewhere: bool) -> ToolDecl {
        ToolDecl {
            id: format!("mcp:{server}/{}", self.name),
            name: self.name,
            provider: Some(format!("mcp:{server}")),
            dialect: Dialect::McpListTools,
            description: self.description.as_deref().map(short_description),
            annotations: self.annotations,
            auto_approved: None,
            url: None,
            span: Some(TextSpan::at(text, self.name_at.start, self.name_at.len())),
            server_elsewhere: elsewhere,
        }
    }
}

/// What an object literal says of a tool.
#[derive(Debug, Default)]
struct Fields {
    name: Option<(String, Range<usize>)>,
    /// It has a `name`, known or not.
    named: bool,
    description: Option<String>,
    annotations: Option<Annotations>,
}

/// The parameter of a function that maps a list (`.map(…)`): the element (`t`), a key and
/// value pair (`[name, t]`), or the binding of the element's `name` when it is destructured
/// (`{ name, description }`).
enum Parameter<'t> {
    Element(&'t str),
    Entry(&'t str, Option<&'t str>),
    Fields(&'t str),
}

/// What a list mapped from another names its tools: each element's own name, or as an object
/// of tools' properties ([`Entries`]).
#[derive(Clone, Copy, PartialEq)]
enum Mapped {
    Own,
    Entries(Entries),
}

/// What a list of tools holds: the tool objects of this file, and the bindings of other files
/// it takes tools from.
#[derive(Debug, Default)]
struct Listing {
    tools: Vec<Listed>,
    imported: Vec<ImportedName>,
}

impl Listing {
    fn is_empty(&self) -> bool {
        self.tools.is_empty() && self.imported.is_empty()
    }

    fn extend(&mut self, other: &Listing) {
        self.tools.extend(other.tools.iter().cloned());
        self.imported.extend(other.imported.iter().cloned());
    }
}

/// What has been read already, by opening bracket: each array, object, enum, constant object
/// or function body is read once however often it is named.
#[derive(Default)]
struct Memo<'t> {
    arrays: HashMap<usize, Rc<Listing>>,
    functions: HashMap<usize, Rc<Listing>>,
    /// Functions of the file looked up by name: their bodies.
    function_names: HashMap<String, Option<Range<usize>>>,
    tools: HashMap<usize, Option<Listed>>,
    members: HashMap<usize, Rc<BTreeMap<&'t str, String>>>,
    entries: HashMap<usize, Rc<Vec<Entry<Listed>>>>,
    /// Where tool objects name themselves that a list names by their key instead: not tools
    /// of their own.
    renamed: BTreeSet<usize>,
}

/// A lexed source file and its constants.
struct Source<'t> {
    text: &'t str,
    lexed: &'t Lexed<'t>,
    /// `const` arrays and objects by name: the offsets of their opening brackets, in order.
    collections: HashMap<&'t str, Vec<usize>>,
    /// Constants that keep some of another array's tools (`TOOLS.filter(…)`), by name: that
    /// array's name. A tool the file lists may be filtered out at run time; it is still listed.
    subsets: HashMap<&'t str, &'t str>,
    /// Constants that hold what a function returns (`const TOOLS = createTools()`), by name:
    /// the function as called (`createTools`, `tools.create`).
    calls: HashMap<&'t str, &'t str>,
    /// Constants that hold a list built from another (`Object.values(TOOLS)`, `TOOLS.map(…)`),
    /// by name: where the value starts.
    derived: HashMap<&'t str, usize>,
    /// Imported bindings by the name this file gives them: the module and the name it exports.
    imports: HashMap<&'t str, (&'t str, &'t str)>,
    /// Modules imported whole (`import * as tools`, `const tools = require(…)`), by name.
    namespaces: HashMap<&'t str, &'t str>,
    enums: HashMap<&'t str, usize>,
    strings: &'t BTreeMap<&'t str, &'t str>,
}

impl<'t> Source<'t> {
    fn new(lexed: &'t Lexed<'t>, strings: &'t BTreeMap<&'t str, &'t str>) -> Source<'t> {
        let text = lexed.text;
        let mut source = Source {
            text,
            lexed,
            collections: HashMap::new(),
            subsets: HashMap::new(),
            calls: HashMap::new(),
            derived: HashMap::new(),
            imports: HashMap::new(),
            namespaces: HashMap::new(),
            enums: HashMap::new(),
            strings,
        };
        let in_code =
            |m: Option<crate::pattern::Match>| m.is_some_and(|m| lexed.is_code(m.start()));
        for c in COLLECTION_CONST.captures_iter(text) {
            if let (Some(name), Some(open)) = (c.get(1), c.get(2))
                && source.lexed.is_code(name.start())
            {
                source
                    .collections
                    .entry(name.as_str())
                    .or_default()
                    .push(open.start());
            }
        }
        for c in SUBSET_CONST.captures_iter(text) {
            if let (Some(name), Some(of)) = (c.get(1), c.get(2))
                && source.lexed.is_code(name.start())
            {
                source.subsets.entry(name.as_str()).or_insert(of.as_str());
            }
        }
        for c in CALL_CONST.captures_iter(text) {
            // `require(…)` is an import (below).
            if let (Some(name), Some(function)) = (c.get(1), c.get(2))
                && source.lexed.is_code(name.start())
                && function.as_str() != "require"
            {
                source
                    .calls
                    .entry(name.as_str())
                    .or_insert(function.as_str());
            }
        }
        for c in DERIVED_CONST.captures_iter(text) {
            if let (Some(name), Some(value)) = (c.get(1), c.get(2))
                && source.lexed.is_code(name.start())
            {
                source.derived.entry(name.as_str()).or_insert(value.start());
            }
        }
        for c in IMPORT.captures_iter(text) {
            let Some(module) = c.get(4).filter(|_| in_code(c.get(0))) else {
                continue;
            };
            let module = module.as_str();
            if let Some(default) = c.get(1) {
                source.imports.insert(default.as_str(), (module, "default"));
            }
            for (theirs, ours) in bindings(c.get(2).map_or("", |m| m.as_str()), " as ") {
                source.imports.insert(ours, (module, theirs));
            }
            if let Some(namespace) = c.get(3) {
                source.namespaces.insert(namespace.as_str(), module);
            }
        }
        for c in REQUIRE.captures_iter(text) {
            let Some(module) = c.get(3).filter(|_| in_code(c.get(0))) else {
                continue;
            };
            let module = module.as_str();
            for (theirs, ours) in bindings(c.get(1).map_or("", |m| m.as_str()), ":") {
                source.imports.insert(ours, (module, theirs));
            }
            // The binding is what the module assigns to `module.exports`: its default export,
            // and the namespace of its names.
            if let Some(namespace) = c.get(2) {
                source.namespaces.insert(namespace.as_str(), module);
                source
                    .imports
                    .insert(namespace.as_str(), (module, "default"));
            }
        }
        for c in ENUM.captures_iter(text) {
            if let (Some(name), Some(open)) = (c.get(1), c.get(2))
                && source.lexed.is_code(name.start())
            {
                source.enums.entry(name.as_str()).or_insert(open.start());
            }
        }
        source
    }

    /// What the handler of a `setRequestHandler(ListToolsRequestSchema, …)` call lists (`call`
    /// the range of its parentheses): the `tools` of the objects written in the call, else of
    /// the function it passes by name, else the handler imported from another file.
    fn handler_listing(&self, call: Range<usize>, memo: &mut Memo<'t>) -> Listing {
        let mut listing = self.tools_listing(call.clone(), memo);
        if !listing.is_empty() {
            return listing;
        }
        let Some(handler) = self.handler_name(call.clone()) else {
            return listing;
        };
        match self.function_named(handler, memo) {
            Some(body) => listing.extend(&self.function_listing(body, 0, memo)),
            None => listing.imported.extend(self.imported(handler)),
        }
        listing
    }

    /// What the `tools` properties of the objects in `range` hold: arrays written there
    /// (`tools: [`), constants (`tools: TOOLS`, `{ tools }`), what a function returns (`tools:
    /// getTools()`), or bindings imported from other files.
    fn tools_listing(&self, range: Range<usize>, memo: &mut Memo<'t>) -> Listing {
        let mut listing = Listing::default();
        for word in TOOLS_WORD.find_iter(&self.text[range.clone()]) {
            let at = range.start + word.start();
            if !self.lexed.is_code(at) {
                continue;
            }
            let before = self.text[range.start..at].trim_end();
            let after =
                &self.text[self.lexed.skip_trivia(range.start + word.end(), range.end)..range.end];
            let declared = ["const", "let", "var"].iter().any(|k| before.ends_with(k));
            if declared || before.ends_with('.') {
                continue;
            }
            if let Some(value) = after.strip_prefix(':') {
                let value = self.lexed.skip_trivia(range.end - value.len(), range.end);
                let item = self.item_at(value, range.end);
                listing.extend(&self.listing_of(item, 0, memo));
            } else if (before.ends_with('{') || before.ends_with(','))
                && (after.starts_with(',') || after.starts_with('}'))
            {
                listing.extend(&self.named_listing("tools", at, 0, memo));
            }
        }
        listing
    }

    /// The tools the value `value` lists: an array written there, a constant, a subset of one
    /// (`TOOLS.filter(…)`), what a function returns (`getTools()`), an imported binding.
    fn listing_of(&self, value: Range<usize>, depth: usize, memo: &mut Memo<'t>) -> Rc<Listing> {
        let value = self.uncast(value);
        let text = &self.text[value.clone()];
        if text.starts_with('[') {
            return self.array_tools(value.start, depth, memo);
        }
        if let Some(listing) = self.derived_listing(value.clone(), depth, memo) {
            return Rc::new(listing);
        }
        if let Some(of) = SUBSET.captures(text) {
            let name = of.get(1).map_or("", |m| m.as_str());
            return Rc::new(self.named_listing(name, value.start, depth, memo));
        }
        if let Some(call) = CALL.captures(text)
            && let (Some(function), Some(paren)) = (call.get(1), call.get(2))
            && self
                .lexed
                .close_of(value.start + paren.start())
                .map(|c| c + 1)
                == Some(value.end)
        {
            return Rc::new(self.called_listing(function.as_str(), depth, memo));
        }
        if IDENTIFIER.is_match(text) {
            return Rc::new(self.named_listing(text, value.start, depth, memo));
        }
        Rc::new(Listing {
            imported: self.imported(text).into_iter().collect(),
            ..Listing::default()
        })
    }

    /// What a local name exported stands for: a constant, else a function of the file.
    fn local_listing(&self, name: &str, memo: &mut Memo<'t>) -> Rc<Listing> {
        let listing = self.constant_listing(name, self.text.len(), memo);
        match self.function_named(name, memo) {
            Some(body) if listing.is_empty() => self.function_listing(body, 0, memo),
            _ => listing,
        }
    }

    /// What a value assigned to a CommonJS export (starting at `start`) stands for: an array,
    /// a tool object, a name of the file, a list built from one, or a function.
    fn value_listing(&self, start: usize, memo: &mut Memo<'t>) -> Rc<Listing> {
        let text = &self.text[start..];
        if text.starts_with('[') {
            return self.array_tools(start, 0, memo);
        }
        if text.starts_with('{') {
            return Rc::new(Listing {
                tools: self.tool(start, memo).into_iter().collect(),
                ..Listing::default()
            });
        }
        // A function written there: `function (…) {…}`, `async (…) => …`, `(…) => …`, `t => …`.
        let function = text.starts_with('(')
            || LEADING_IDENTIFIER.find(text).is_some_and(|word| {
                matches!(word.as_str(), "async" | "function")
                    || text[word.end()..].trim_start().starts_with("=>")
            });
        if function {
            return match self.function_body(start, false) {
                Some(body) => self.function_listing(body, 0, memo),
                None => Rc::new(Listing::default()),
            };
        }
        let chain = start..self.chain_end(start);
        match self.identifier(chain.clone()) {
            Some(name) => self.local_listing(name, memo),
            None => self.listing_of(chain, 0, memo),
        }
    }

    /// What a list built at run time from a known one lists (`value`, `None` for any other
    /// value): `Object.values(TOOLS)` of an object of tools, `Object.keys(TOOLS).map(…)` and
    /// `Object.entries(TOOLS).map(…)` where each tool is named by its key, and `TOOLS.map(…)`
    /// where each keeps its own name ([`Source::mapped`]).
    fn derived_listing(
        &self,
        value: Range<usize>,
        depth: usize,
        memo: &mut Memo<'t>,
    ) -> Option<Listing> {
        if depth > MAX_INDIRECTION || !self.text[value.clone()].ends_with(')') {
            return None;
        }
        let paren = self.final_call(value.clone())?;
        let close = value.end - 1;
        if let Some((kind, object)) = self.object_call(value.start..paren, paren, close) {
            return (kind == "values").then(|| self.entries_listing(object, Entries::Values, memo));
        }
        // `LIST.map(FUNCTION)`.
        let callee = self.lexed.trimmed(value.start..paren);
        let base = self.text[callee.clone()].strip_suffix("map")?.trim_end();
        let base = self
            .lexed
            .trimmed(callee.start..callee.start + base.strip_suffix('.')?.len());
        let function = self.items(paren, close).into_iter().next()?;
        let object = self
            .final_call(base.clone())
            .and_then(|paren| self.object_call(base.start..paren, paren, base.end.checked_sub(1)?));
        let mapped = self.mapped(function, object.as_ref().map(|(kind, _)| *kind))?;
        match (object, mapped) {
            (Some((_, object)), Mapped::Entries(how)) => {
                Some(self.entries_listing(object, how, memo))
            }
            (_, Mapped::Own) => {
                let mut listing = Listing::default();
                listing.extend(&self.listing_of(base, depth + 1, memo));
                Some(listing)
            }
            (None, Mapped::Entries(_)) => None,
        }
    }

    /// The opening parenthesis of the call that ends the expression `value` (`f(x)`,
    /// `a.b(x).map(y)`), if it ends with one.
    fn final_call(&self, value: Range<usize>) -> Option<usize> {
        let mut at = value.start;
        while at < value.end {
            if self.lexed.is_code(at) && matches!(self.text.as_bytes()[at], b'(' | b'[' | b'{') {
                let close = self.lexed.close_of(at)?;
                if close + 1 == value.end {
                    return (self.text.as_bytes()[at] == b'(' && at > value.start).then_some(at);
                }
                at = close + 1;
            } else {
                at += 1;
            }
        }
        None
    }

    /// `Object.values(X)`, `Object.entries(X)`, `Object.keys(X)` (the callee, the call's
    /// parentheses): which one, and its argument.
    fn object_call(
        &self,
        callee: Range<usize>,
        paren: usize,
        close: usize,
    ) -> Option<(&'t str, Range<usize>)> {
        let callee: String = self.text[callee]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let kind = ["values", "entries", "keys"]
            .into_iter()
            .find(|kind| callee.strip_prefix("Object.") == Some(kind))?;
        match self.items(paren, close).as_slice() {
            [object] => Some((kind, object.clone())),
            _ => None,
        }
    }

    /// What the function `function` given to `.map(…)` names each tool it returns: the
    /// element's own name (`(t) => ({ name: t.name, … })`, `(t) => ({ ...t, … })`, `({ name,
    /// description }) => ({ name, description })`), or, over `Object.keys(…)` or
    /// `Object.entries(…)` (`object`), the property's key (`([name, t]) => ({ name, ...t })`).
    /// `None` for anything else.
    fn mapped(&self, function: Range<usize>, object: Option<&str>) -> Option<Mapped> {
        let (parameter, result) = self.arrow(function)?;
        let close = self.lexed.close_of(result)?;
        // The result's `name` (its position among the properties and its value as written,
        // `name` for the shorthand), and the names spread into it.
        let mut name = None;
        let mut spreads = Vec::new();
        for (at, item) in self.items(result, close).into_iter().enumerate() {
            let text = &self.text[item.clone()];
            if text == "name" {
                name = Some((at, text));
            } else if let Some(spread) = text.strip_prefix("...") {
                spreads.push((at, spread.trim()));
            } else if let Some(key) = KEY.captures(text)
                && (1..=3).find_map(|g| key.get(g)).map(|k| k.as_str()) == Some("name")
                && key.get(4).map(|s| s.as_str()) == Some(":")
            {
                let value = self
                    .lexed
                    .trimmed(item.start + key.get(0).map_or(0, |k| k.end())..item.end);
                name = Some((at, &self.text[value]));
            }
        }
        let spread = |of: &str, after: Option<usize>| {
            spreads
                .iter()
                .any(|&(at, spread)| spread == of && after.is_none_or(|after| at > after))
        };
        let name_of = |expression: &str, of: &str| {
            MEMBER
                .captures(expression)
                .is_some_and(|m| &m[1] == of && &m[2] == "name")
        };
        let (named_at, name) = name.unzip();
        let kind = object.filter(|kind| *kind != "values");
        match (kind, parameter) {
            (None, Parameter::Element(element)) => match name {
                Some(name) => name_of(name, element).then_some(Mapped::Own),
                None => spread(element, None).then_some(Mapped::Own),
            },
            (None, Parameter::Fields(binding)) => (name == Some(binding)).then_some(Mapped::Own),
            (Some("keys"), Parameter::Element(key)) => {
                (name == Some(key)).then_some(Mapped::Entries(Entries::Keys))
            }
            (Some("entries"), Parameter::Entry(key, value)) => match (name, value) {
                (Some(name), Some(value)) if name == key && spread(value, named_at) => {
                    Some(Mapped::Entries(Entries::KeysUnlessNamed))
                }
                (Some(name), _) if name == key => Some(Mapped::Entries(Entries::Keys)),
                (Some(name), Some(value)) if name_of(name, value) => {
                    Some(Mapped::Entries(Entries::Values))
                }
                (None, Some(value)) if spread(value, None) => {
                    Some(Mapped::Entries(Entries::Values))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The parameter of the arrow function `function` and the object literal it returns
    /// (`(t) => ({ … })`, `t => { return { … }; }`), if it is one.
    fn arrow(&self, function: Range<usize>) -> Option<(Parameter<'t>, usize)> {
        let text = &self.text[function.clone()];
        let start = match text.strip_prefix("async") {
            Some(rest) if rest.starts_with(|c: char| c.is_whitespace() || c == '(') => self
                .lexed
                .skip_trivia(function.end - rest.len(), function.end),
            _ => function.start,
        };
        let (parameter, body) = if self.text[start..].starts_with('(') {
            let close = self.lexed.close_of(start)?;
            let first = self.items(start, close).into_iter().next()?;
            let body = self.function_body(start, true)?;
            if !self.text.get(close..body.start)?.contains("=>") {
                return None;
            }
            (self.parameter(first)?, body)
        } else {
            let name = LEADING_IDENTIFIER.find(&self.text[start..function.end])?;
            let after = self.lexed.skip_trivia(start + name.end(), function.end);
            if !self.text[after..function.end].starts_with("=>") {
                return None;
            }
            let body = self.function_body(start + name.end(), false)?;
            (Parameter::Element(name.as_str()), body)
        };
        if body.end > function.end {
            return None;
        }
        let result = match self.text.as_bytes()[body.start] {
            b'(' => self.item_at(body.start + 1, body.end).start,
            b'{' => {
                // A block: its one `return`.
                let mut returns = RETURN
                    .find_iter(&self.text[body.clone()])
                    .filter(|m| self.lexed.is_code(body.start + m.start()));
                let only = returns.next()?;
                if returns.next().is_some() {
                    return None;
                }
                self.lexed.skip_trivia(body.start + only.end(), body.end)
            }
            _ => return None,
        };
        (self.text.as_bytes().get(result) == Some(&b'{')).then_some((parameter, result))
    }

    /// A mapping function's parameter (`t`, `t: Tool`, `[name, t]`, `{ name, description }`).
    fn parameter(&self, parameter: Range<usize>) -> Option<Parameter<'t>> {
        // Without a type annotation or a default value.
        let mut end = parameter.start;
        while end < parameter.end {
            if self.lexed.is_code(end) {
                match self.text.as_bytes()[end] {
                    b'(' | b'[' | b'{' => {
                        end = self.lexed.close_of(end)? + 1;
                        continue;
                    }
                    b':' | b'=' => break,
                    _ => {}
                }
            }
            end += 1;
        }
        let parameter = self.lexed.trimmed(parameter.start..end.min(parameter.end));
        if let Some(element) = self.identifier(parameter.clone()) {
            return Some(Parameter::Element(element));
        }
        let close = self.lexed.close_of(parameter.start)?;
        let items = self.items(parameter.start, close);
        match self.text.as_bytes()[parameter.start] {
            b'[' => {
                let key = self.identifier(items.first()?.clone())?;
                let value = items.get(1).and_then(|item| self.identifier(item.clone()));
                Some(Parameter::Entry(key, value))
            }
            b'{' => items.iter().find_map(|item| {
                let text = &self.text[item.clone()];
                if text == "name" {
                    return Some(Parameter::Fields(text));
                }
                let (key, binding) = text.split_once(':')?;
                let binding = binding.trim();
                (key.trim() == "name" && IDENTIFIER.is_match(binding))
                    .then_some(Parameter::Fields(binding))
            }),
            _ => None,
        }
    }

    /// The tools of the object of tools `object` (a constant of this file, an object literal,
    /// or a binding imported), each property named `how`.
    fn entries_listing(&self, object: Range<usize>, how: Entries, memo: &mut Memo<'t>) -> Listing {
        let mut listing = Listing::default();
        let text = &self.text[object.clone()];
        let open = if text.starts_with('{') {
            Some(object.start)
        } else {
            self.identifier(object.clone())
                .and_then(|name| self.collection(name, '{', object.start))
        };
        match open {
            Some(open) => {
                for entry in self.entries(open, memo).iter() {
                    let (tool, from) = entry.select(how);
                    if let (Some(own), Some(tool)) = (&entry.own, tool)
                        && tool.name_at != own.name_at
                    {
                        memo.renamed.insert(own.name_at.start);
                    }
                    listing.tools.extend(tool.cloned());
                    listing.imported.extend(from.cloned());
                }
            }
            None => listing
                .imported
                .extend(self.imported(text).map(|from| ImportedName {
                    entries: Some(how),
                    ..from
                })),
        }
        listing
    }

    /// The properties of the object literal opening at `open`, each as the tool its key
    /// names and the tool its value is: an object literal, an object constant of this file
    /// (`refund: REFUND_TOOL`, the shorthand `{ REFUND_TOOL }`) or a binding imported.
    fn entries(&self, open: usize, memo: &mut Memo<'t>) -> Rc<Vec<Entry<Listed>>> {
        if let Some(known) = memo.entries.get(&open) {
            return Rc::clone(known);
        }
        let mut out = Vec::new();
        let close = self.lexed.close_of(open).unwrap_or(open);
        for item in self.items(open, close) {
            if out.len() == MAX_LISTED_TOOLS {
                break;
            }
            let text = &self.text[item.clone()];
            let (key, value) = if IDENTIFIER.is_match(text) {
                (Some(item.clone()), item.clone())
            } else if text.starts_with('[') {
                // A computed key: the value may still name itself.
                let Some(end) = self.lexed.close_of(item.start) else {
                    continue;
                };
                let colon = self.lexed.skip_trivia(end + 1, item.end);
                if self.text.as_bytes().get(colon) != Some(&b':') || colon >= item.end {
                    continue;
                }
                (None, self.lexed.skip_trivia(colon + 1, item.end)..item.end)
            } else if let Some(c) = KEY.captures(text)
                && let (Some(key), Some(colon)) = ((1..=3).find_map(|g| c.get(g)), c.get(4))
                && colon.as_str() == ":"
            {
                let key = item.start + key.start()..item.start + key.end();
                let value = self.lexed.skip_trivia(item.start + colon.end(), item.end);
                (Some(key), value..item.end)
            } else {
                continue;
            };
            let value_text = &self.text[value.clone()];
            let object = if value_text.starts_with('{') {
                Some(value.start)
            } else {
                self.identifier(value.clone())
                    .and_then(|name| self.collection(name, '{', open))
            };
            let fields = object.and_then(|object| self.fields(object, memo));
            let from = object
                .is_none()
                .then(|| self.imported(value_text))
                .flatten();
            let fields = fields.unwrap_or_default();
            let by_key = key.filter(|key| !key.is_empty()).map(|key| Listed {
                name: decode_script(&self.text[key.clone()]),
                name_at: key,
                description: fields.description.clone(),
                annotations: fields.annotations,
            });
            let own = fields.name.map(|(name, name_at)| Listed {
                name,
                name_at,
                description: fields.description,
                annotations: fields.annotations,
            });
            out.push(Entry {
                by_key,
                own,
                named: fields.named,
                from,
            });
        }
        let out = Rc::new(out);
        memo.entries.insert(open, Rc::clone(&out));
        out
    }

    /// Where the chain of names and calls starting at `start` ends (`Object.values(TOOLS)`,
    /// `TOOLS\n  .map(…)`), for a constant's value written without a semicolon after it.
    fn chain_end(&self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = start;
        while at < bytes.len() {
            match bytes[at] {
                b'(' | b'[' if self.lexed.is_code(at) => match self.lexed.close_of(at) {
                    Some(close) => at = close + 1,
                    None => break,
                },
                c if c.is_ascii_alphanumeric() || b"_$.".contains(&c) => at += 1,
                _ => {
                    let next = self.lexed.skip_trivia(at, bytes.len());
                    if next > at && bytes.get(next) == Some(&b'.') && self.lexed.is_code(next) {
                        at = next;
                    } else {
                        break;
                    }
                }
            }
        }
        at
    }

    /// The tools the name `name` lists where it is used (`used_at`): an array constant of this
    /// file, a constant holding what a function returns, or a binding imported.
    fn named_listing(
        &self,
        name: &str,
        used_at: usize,
        depth: usize,
        memo: &mut Memo<'t>,
    ) -> Listing {
        let mut listing = Listing::default();
        if depth > MAX_INDIRECTION {
            return listing;
        }
        let derived = |memo: &mut Memo<'t>| {
            let &start = self.derived.get(name)?;
            self.derived_listing(start..self.chain_end(start), depth + 1, memo)
        };
        if let Some(open) = self.collection(name, '[', used_at) {
            listing.extend(&self.array_tools(open, depth + 1, memo));
        } else if let Some(derived) = derived(memo) {
            listing = derived;
        } else if let Some(function) = self.calls.get(name) {
            listing = self.called_listing(function, depth + 1, memo);
        } else {
            listing.imported.extend(self.imported(name));
        }
        listing
    }

    /// What the constant `name` stands for where it is used (`used_at`): a tool object, an
    /// array ([`Source::named_listing`]).
    fn constant_listing(&self, name: &str, used_at: usize, memo: &mut Memo<'t>) -> Rc<Listing> {
        if let Some(open) = self.collection(name, '{', used_at) {
            let tool = self.tool(open, memo);
            return Rc::new(Listing {
                tools: tool.into_iter().collect(),
                ..Listing::default()
            });
        }
        Rc::new(self.named_listing(name, used_at, 0, memo))
    }

    /// What calling `function` (`getTools`, `tools.create`) returns: a function of this file
    /// read, one imported from another file named.
    fn called_listing(&self, function: &str, depth: usize, memo: &mut Memo<'t>) -> Listing {
        let mut listing = Listing::default();
        if depth > MAX_INDIRECTION {
            return listing;
        }
        if IDENTIFIER.is_match(function)
            && let Some(body) = self.function_named(function, memo)
        {
            listing.extend(&self.function_listing(body, depth + 1, memo));
        } else {
            listing.imported.extend(self.imported(function));
        }
        listing
    }

    /// What the function whose body is `body` (a block, or an arrow function's value) returns:
    /// the `tools` of the objects it returns (a handler), else the array (`return [...]`,
    /// `return TOOLS`, `=> [...]`, `=> getTools()`).
    fn function_listing(
        &self,
        body: Range<usize>,
        depth: usize,
        memo: &mut Memo<'t>,
    ) -> Rc<Listing> {
        if let Some(known) = memo.functions.get(&body.start) {
            return Rc::clone(known);
        }
        // A function that calls itself adds nothing.
        memo.functions
            .insert(body.start, Rc::new(Listing::default()));
        let mut listing = self.tools_listing(body.clone(), memo);
        let block = self.text[body.start..].starts_with('{');
        if listing.is_empty() && depth <= MAX_INDIRECTION && !block {
            // An arrow function's value: `=> [...]`, `=> (…)`, `=> TOOLS`.
            let value = if self.text[body.start..].starts_with('(') {
                self.item_at(body.start + 1, body.end)
            } else {
                body.clone()
            };
            listing.extend(&self.listing_of(value, depth + 1, memo));
        }
        if listing.is_empty() && depth <= MAX_INDIRECTION && block {
            for word in RETURN.find_iter(&self.text[body.clone()]) {
                let at = body.start + word.end();
                if !self.lexed.is_code(body.start + word.start()) {
                    continue;
                }
                let value = self.item_at(self.lexed.skip_trivia(at, body.end), body.end);
                if !value.is_empty() {
                    listing.extend(&self.listing_of(value, depth + 1, memo));
                }
            }
        }
        let listing = Rc::new(listing);
        memo.functions.insert(body.start, Rc::clone(&listing));
        listing
    }

    /// `value` without a type assertion after it (`TOOLS as Tool[]`, `handleList as Handler`,
    /// `… satisfies T`).
    fn uncast(&self, value: Range<usize>) -> Range<usize> {
        // The first at the value's own level: not in a string, nor in its brackets.
        let cast = CAST.find_iter(&self.text[value.clone()]).find(|cast| {
            let at = value.start + cast.start();
            self.lexed.is_code(at)
                && self
                    .lexed
                    .enclosing(at)
                    .is_none_or(|open| open < value.start)
        });
        match cast {
            Some(cast) => self.lexed.trimmed(value.start..value.start + cast.start()),
            None => value,
        }
    }

    /// The binding of another module `name` is (`TOOLS`, `tools.TOOLS` of a namespace).
    fn imported(&self, name: &str) -> Option<ImportedName> {
        let (module, exported) = match self.imports.get(name) {
            Some(&(module, exported)) => (module, exported),
            None => {
                let member = MEMBER.captures(name)?;
                let module = self.namespaces.get(member.get(1)?.as_str())?;
                (*module, member.get(2)?.as_str())
            }
        };
        Some(ImportedName::new(module, exported))
    }

    /// The function a handler call passes by name (`setRequestHandler(Schema, listTools)`,
    /// `this.listTools`, `this.listTools.bind(this)`, `handlers.listTools` of an imported
    /// module). `call` is the range of the call's parentheses.
    fn handler_name(&self, call: Range<usize>) -> Option<&'t str> {
        let items = self.items(call.start, call.end);
        let handler = &self.text[self.uncast(items.get(1)?.clone())];
        let handler = handler
            .strip_suffix(".bind(this)")
            .unwrap_or(handler)
            .trim_end();
        let handler = handler
            .strip_prefix("this.")
            .unwrap_or(handler)
            .trim_start();
        (IDENTIFIER.is_match(handler) || MEMBER.is_match(handler)).then_some(handler)
    }

    /// The body of the function `name` of this file: a function declaration, an arrow
    /// function or function expression held in a constant, or a class method, or a class field
    /// holding a function (`private handleList = async () => …`).
    /// Names are looked up at most `MAX_FUNCTION_LOOKUPS` times a file.
    fn function_named(&self, name: &str, memo: &mut Memo<'t>) -> Option<Range<usize>> {
        if let Some(known) = memo.function_names.get(name) {
            return known.clone();
        }
        if !IDENTIFIER.is_match(name) || memo.function_names.len() >= MAX_FUNCTION_LOOKUPS {
            return None;
        }
        let body = self.find_function(name);
        memo.function_names.insert(name.to_owned(), body.clone());
        body
    }

    fn find_function(&self, name: &str) -> Option<Range<usize>> {
        let name = regex::escape(name);
        // A declaration of the name, then the function's parameters or, for a constant, its
        // value.
        let declaration = Pattern::new(&format!(
            r"(?m)\bfunction\s*\*?\s+{name}\s*(?:<[^>(]*>\s*)?\(|\b(?:const|let|var)\s+{name}\b[^=;]*=|^\s*(?:(?:public|private|protected|static|readonly|async|override)\s+)*{name}\s*(?:(?:<[^>(]*>\s*)?\(|(?::[^=;]*)?=[^>=])"
        ))
        .ok()?;
        declaration
            .find_iter(self.text)
            .filter(|m| {
                self.lexed
                    .is_code(self.lexed.skip_trivia(m.start(), m.end()))
            })
            .find_map(|m| {
                let parameters = m.as_str().ends_with('(');
                let at = if parameters { m.end() - 1 } else { m.end() };
                self.function_body(at, parameters)
            })
    }

    /// The body of a function declared at `at`: its parameters' opening parenthesis when
    /// `parameters`, else the offset past the `=` of a constant. The body is a block, or the
    /// value of an arrow function (bracketed or not). `None` for a call (`listTools();` at the
    /// start of a line) or a constant that holds no function.
    fn function_body(&self, at: usize, parameters: bool) -> Option<Range<usize>> {
        // The body: the first brace at this level that does not open a type (`Promise<{ … }>`,
        // `: { tools: Tool[] }`), or the bracket right after `=>` (`async () => ({ tools })`).
        let bytes = self.text.as_bytes();
        let (mut at, mut previous) = if parameters {
            // Past a function's parameters, which may destructure (`({ params }) => …`).
            (self.lexed.close_of(at)? + 1, b')')
        } else {
            (at, b'=')
        };
        // A return type is never this long: past it, the declaration was a call.
        let limit = bytes.len().min(at + 1024);
        while at < limit {
            if !self.lexed.is_code(at) || bytes[at].is_ascii_whitespace() {
                at += 1;
                continue;
            }
            let c = bytes[at];
            let arrow = previous == b'>' && self.text[..at].trim_end().ends_with("=>");
            match c {
                b'{' | b'(' | b'[' if arrow || c == b'{' && !b"<:|&,=".contains(&previous) => {
                    return Some(at..self.lexed.close_of(at)?);
                }
                // An arrow function's body that is an expression (`() => TOOLS`).
                _ if arrow => return Some(at..self.expression_end(at, bytes.len())),
                b'(' | b'[' | b'{' => at = self.lexed.close_of(at)?,
                b';' => return None,
                _ => {}
            }
            previous = bytes[at];
            at += 1;
        }
        None
    }

    /// The tools of the array literal opening at `open`, with those of the arrays spread into
    /// it and the bindings of other files it holds or spreads.
    fn array_tools(&self, open: usize, depth: usize, memo: &mut Memo<'t>) -> Rc<Listing> {
        if let Some(known) = memo.arrays.get(&open) {
            return Rc::clone(known);
        }
        // An array spread into itself, directly or not, adds nothing.
        memo.arrays.insert(open, Rc::new(Listing::default()));
        let mut out = Listing::default();
        let close = self.lexed.close_of(open).unwrap_or(open);
        for item in self.items(open, close) {
            let text = &self.text[item.clone()];
            let object = if text.starts_with('{') {
                Some(item.start)
            } else if let Some(spread) = text.strip_prefix("...") {
                let inner = self.lexed.trimmed(item.end - spread.len()..item.end);
                if depth < MAX_INDIRECTION {
                    out.extend(&self.listing_of(inner, depth + 1, memo));
                }
                None
            } else if let Some(object) = self
                .identifier(item.clone())
                .and_then(|name| self.collection(name, '{', open))
            {
                Some(object)
            } else {
                out.imported.extend(self.imported(text));
                None
            };
            if let Some(object) = object {
                let tool = match memo.tools.get(&object) {
                    Some(known) => known.clone(),
                    None => {
                        let tool = self.tool(object, memo);
                        memo.tools.insert(object, tool.clone());
                        tool
                    }
                };
                out.tools.extend(tool);
            }
        }
        let out = Rc::new(out);
        memo.arrays.insert(open, Rc::clone(&out));
        out
    }

    /// The tool the object literal opening at `open` describes, when its name is known.
    fn tool(&self, open: usize, memo: &mut Memo<'t>) -> Option<Listed> {
        let fields = self.fields(open, memo)?;
        let (name, name_at) = fields.name?;
        Some(Listed {
            name,
            name_at,
            description: fields.description,
            annotations: fields.annotations,
        })
    }

    /// What the object literal opening at `open` says of a tool.
    fn fields(&self, open: usize, memo: &mut Memo<'t>) -> Option<Fields> {
        let close = self.lexed.close_of(open)?;
        let mut fields = Fields::default();
        for (key, value) in self.properties(open, close, ':') {
            match key {
                "name" => {
                    fields.named = true;
                    fields.name = self.name_value(value, memo);
                }
                "description" => fields.description = self.text_value(value),
                "annotations" => fields.annotations = annotations_in(&self.text[value]),
                _ => {}
            }
        }
        Some(fields)
    }

    /// A tool name: a string literal, a string constant, or an enum member or constant object
    /// property of this file.
    fn name_value(
        &self,
        value: Range<usize>,
        memo: &mut Memo<'t>,
    ) -> Option<(String, Range<usize>)> {
        if let Some(body) = self.literal(value.clone()) {
            return Some((decode_script(&self.text[body.clone()]), body));
        }
        let expression = &self.text[value.clone()];
        if IDENTIFIER.is_match(expression) {
            let constant = self.strings.get(expression)?;
            return Some((decode_script(constant), value));
        }
        let member = MEMBER.captures(expression)?;
        let members = self.members(member.get(1)?.as_str(), value.start, memo)?;
        Some((members.get(&member[2])?.clone(), value))
    }

    /// A description: string literals joined with `+` (template literals as written), or a
    /// string constant.
    fn text_value(&self, value: Range<usize>) -> Option<String> {
        let expression = &self.text[value.clone()];
        if IDENTIFIER.is_match(expression) {
            return self.strings.get(expression).map(|s| decode_script(s));
        }
        let mut joined = String::new();
        let mut at = value.start;
        loop {
            let body = literal_body(&self.text[at..value.end])?;
            joined.push_str(&decode_script(body));
            at = self.lexed.skip_trivia(at + body.len() + 2, value.end);
            match self.text[at..value.end].strip_prefix('+') {
                Some(rest) => at = self.lexed.skip_trivia(value.end - rest.len(), value.end),
                None if at == value.end => return Some(joined),
                None => return None,
            }
        }
    }

    /// The string members of `owner`, an `enum` or a constant object (`MEMBER = "value"`,
    /// `MEMBER: "value"`).
    fn members(
        &self,
        owner: &str,
        used_at: usize,
        memo: &mut Memo<'t>,
    ) -> Option<Rc<BTreeMap<&'t str, String>>> {
        let (open, separator) = match self.enums.get(owner) {
            Some(&open) => (open, '='),
            None => (self.collection(owner, '{', used_at)?, ':'),
        };
        if let Some(known) = memo.members.get(&open) {
            return Some(Rc::clone(known));
        }
        let close = self.lexed.close_of(open)?;
        let members: BTreeMap<&'t str, String> = self
            .properties(open, close, separator)
            .into_iter()
            .filter_map(|(key, value)| {
                let body = self.literal(value)?;
                Some((key, decode_script(&self.text[body])))
            })
            .collect();
        let members = Rc::new(members);
        memo.members.insert(open, Rc::clone(&members));
        Some(members)
    }

    /// The literal body when `value` is exactly one string or template literal without `${`.
    fn literal(&self, value: Range<usize>) -> Option<Range<usize>> {
        let text = &self.text[value.clone()];
        let body = literal_body(text)?;
        let whole = body.len() + 2 == text.len();
        (whole && !(text.starts_with('`') && body.contains("${")))
            .then(|| value.start + 1..value.end - 1)
    }

    fn identifier(&self, item: Range<usize>) -> Option<&'t str> {
        let text = &self.text[item];
        IDENTIFIER.is_match(text).then_some(text)
    }

    /// The opening bracket (`[` or `{`) of the constant `name` as seen from `used_at`: the
    /// last declared before it, else the file's first.
    /// A constant that keeps some of another array's tools stands for that array.
    fn collection(&self, name: &str, bracket: char, used_at: usize) -> Option<usize> {
        let mut name = name;
        for _ in 0..MAX_INDIRECTION {
            match (self.collections.contains_key(name), self.subsets.get(name)) {
                (false, Some(of)) => name = of,
                _ => break,
            }
        }
        let opens = self.collections.get(name)?;
        let open = opens
            .iter()
            .rev()
            .find(|&&open| open < used_at)
            .or_else(|| opens.first())?;
        self.text[*open..].starts_with(bracket).then_some(*open)
    }

    /// The `key: value` properties (or, with `=`, the enum members) between `open` and `close`,
    /// shorthand and spread properties left out: each key and its value's range.
    fn properties(
        &self,
        open: usize,
        close: usize,
        separator: char,
    ) -> Vec<(&'t str, Range<usize>)> {
        let mut out = Vec::new();
        for item in self.items(open, close) {
            let Some(key) = KEY.captures(&self.text[item.clone()]) else {
                continue;
            };
            let (Some(name), Some(sep)) = ((1..=3).find_map(|g| key.get(g)), key.get(4)) else {
                continue;
            };
            if !sep.as_str().starts_with(separator) {
                continue;
            }
            let name = &self.text[item.start + name.start()..item.start + name.end()];
            let value = self.lexed.skip_trivia(item.start + sep.end(), item.end)..item.end;
            out.push((name, value));
        }
        out
    }

    /// The comma-separated items between the brackets at `open` and `close`, without the
    /// white space and comments around them.
    fn items(&self, open: usize, close: usize) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = open + 1;
        while start < close {
            let end = self.expression_end(start, close);
            out.push(self.lexed.trimmed(start..end));
            start = end + 1;
        }
        out.retain(|item| !item.is_empty());
        out
    }

    /// The expression that starts at `start`, without the white space and comments around it.
    fn item_at(&self, start: usize, limit: usize) -> Range<usize> {
        self.lexed.trimmed(start..self.expression_end(start, limit))
    }

    /// Where the expression that starts at `start` ends: at the first comma, closing bracket or
    /// semicolon of its own level, or at `limit`.
    fn expression_end(&self, start: usize, limit: usize) -> usize {
        let mut at = start;
        while at < limit {
            if self.lexed.is_code(at) {
                match self.text.as_bytes()[at] {
                    b'(' | b'[' | b'{' => {
                        at = self.lexed.close_of(at).map_or(at + 1, |c| c + 1);
                        continue;
                    }
                    b',' | b')' | b']' | b'}' | b';' => return at,
                    _ => {}
                }
            }
            at += 1;
        }
        limit.min(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::tool_code::{Language, scan};

    fn listed(src: &str) -> Vec<ToolDecl> {
        scan(src, Language::Script, "index").unwrap().tools
    }

    fn ids(tools: &[ToolDecl]) -> Vec<&str> {
        tools.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn tools_written_in_the_handler() {
        let src = r#"import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const server = new Server(
  { name: "acme-files", version: "1.0.0" },
  { capabilities: { tools: {} } },
);

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    {
      name: "read_file",
      description: "Read a file {as text}. " +
        'Never writes.',
      inputSchema: { type: "object", properties: { name: { type: "string", description: "delete me" } } },
      annotations: { readOnlyHint: true },
    },
    // { name: "old_tool", description: "commented out" },
    { name: `write_file`, description: `Write a file`, inputSchema: {} },
    { name: `make_${kind}`, description: "computed", inputSchema: {} },
    { name: prefix + "_x", inputSchema: {} },
  ],
}));
"#;
        let tools = listed(src);
        assert_eq!(
            ids(&tools),
            ["mcp:acme-files/read_file", "mcp:acme-files/write_file"]
        );
        assert!(tools.iter().all(|t| t.dialect == Dialect::McpListTools));
        assert_eq!(tools[0].provider.as_deref(), Some("mcp:acme-files"));
        assert_eq!(
            tools[0].description.as_deref(),
            Some("Read a file {as text}. Never writes.")
        );
        assert_eq!(tools[0].annotations.unwrap().read_only, Some(true));
        assert_eq!(tools[1].description.as_deref(), Some("Write a file"));
        assert!(tools[1].annotations.is_none());
        let span = tools[0].span.unwrap();
        assert_eq!(
            (span.line, &src[span.offset..span.offset + span.len]),
            (12, "read_file")
        );
        assert!(!tools[0].server_elsewhere);
    }

    #[test]
    fn handlers_passed_by_name() {
        let head = r#"import { Server } from "@modelcontextprotocol/sdk/server/index.js";
const server = new Server({ name: "acme-named", version: "1.0.0" }, {});
const TOOLS: Tool[] = [{ name: "from_const", inputSchema: {} }];
"#;
        let cases = [
            (
                "async function listTools(): Promise<{ tools: Tool[] }> {\n  return { tools: [{ name: \"declared\", inputSchema: {} }] };\n}\nserver.setRequestHandler(ListToolsRequestSchema, listTools);",
                "mcp:acme-named/declared",
            ),
            (
                "const listTools = async ({ params }: Req): Promise<{ tools: Tool[] }> => ({ tools: TOOLS });\nserver.setRequestHandler(ListToolsRequestSchema, listTools);",
                "mcp:acme-named/from_const",
            ),
            (
                "class Acme {\n  init() {\n    handleList(null);\n  }\n  private async handleList(_r: Req) {\n    return { tools: [{ name: \"method\", inputSchema: {} }] };\n  }\n  setup() { server.setRequestHandler(ListToolsRequestSchema, this.handleList.bind(this)); }\n}",
                "mcp:acme-named/method",
            ),
            (
                "class Acme {\n  register() { server.setRequestHandler(ListToolsRequestSchema, this.handleList); }\n  private handleList = async () => ({\n    tools: TOOLS,\n  });\n}",
                "mcp:acme-named/from_const",
            ),
        ];
        // `TOOLS`, where no handler lists it, is a tool defined for a server elsewhere.
        let by_handlers = |tools: &[ToolDecl]| -> Vec<String> {
            tools
                .iter()
                .filter(|t| !t.server_elsewhere)
                .map(|t| t.id.clone())
                .collect()
        };
        for (body, want) in cases {
            let tools = listed(&format!("{head}{body}\n"));
            assert_eq!(by_handlers(&tools), [want], "{body}");
        }
        // A name this file does not define, or a call in a comment, lists nothing.
        let src = format!(
            "{head}// function listTools() {{ return {{ tools: TOOLS }}; }}\nserver.setRequestHandler(ListToolsRequestSchema, listTools);\n"
        );
        assert!(by_handlers(&listed(&src)).is_empty());
    }

    #[test]
    fn tool_definitions_for_a_server_elsewhere() {
        let src = r#"import type { Tool } from "@modelcontextprotocol/sdk/types.js";

export function createToolDefinitions(): Tool[] {
  return [
    {
      name: "browser_navigate",
      description: "Open a URL",
      inputSchema: { type: "object", properties: { url: { type: "string" } } },
    },
    // { name: "browser_old", inputSchema: {} },
    { name: `browser_${kind}`, inputSchema: {} },
  ];
}

const description = "Delete a page";
export const DELETE_TOOL: Tool = {
  name: "browser_delete",
  description,
  inputSchema,
  annotations: { destructiveHint: true },
};
const request = { name: "not_a_tool", arguments: {} };
const doc = '{ name: "in_string", inputSchema: {} }';
"#;
        let tools = listed(src);
        assert_eq!(
            ids(&tools),
            ["mcp:index/browser_navigate", "mcp:index/browser_delete"]
        );
        assert!(tools.iter().all(|t| t.server_elsewhere));
        assert_eq!(tools[0].description.as_deref(), Some("Open a URL"));
        assert_eq!(tools[1].annotations.unwrap().destructive, Some(true));
        // Without the protocol's SDK in sight, the shape alone is no tool.
        let plain = src.replace("@modelcontextprotocol/sdk/types.js", "./types.js");
        assert!(listed(&plain).is_empty());
    }

    #[test]
    fn tools_held_in_constants() {
        let src = r#"import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ListToolsRequestSchema, Tool } from "@modelcontextprotocol/sdk/types.js";

enum ToolName {
  PURGE = "purge_cache",
  STATS = 'cache_stats',
}
const Names = { SEND: "send_report" } as const;
const PING = "ping";
const PURGE_DESCRIPTION = "Purge the edge cache";

const PURGE_TOOL: Tool = {
  name: ToolName.PURGE,
  description: PURGE_DESCRIPTION,
  inputSchema: { type: "object" },
  annotations: { destructiveHint: true, readOnlyHint: false },
};
const STATS_TOOL: Tool = { name: ToolName.STATS, inputSchema: {} };
const BASE_TOOLS: Tool[] = [STATS_TOOL, { name: PING, inputSchema: {} }];
const TOOLS: Tool[] = [PURGE_TOOL, ...BASE_TOOLS, { name: Names.SEND, inputSchema: {} }, UNKNOWN_TOOL];

class AcmeCache {
  private server = new Server({ name: "acme-cache", version: "0.1.0" }, { capabilities: {} });
  constructor() {
    this.server.setRequestHandler(types.ListToolsRequestSchema, async () => {
      return { tools: TOOLS };
    });
  }
}
"#;
        let tools = listed(src);
        assert_eq!(
            ids(&tools),
            [
                "mcp:acme-cache/purge_cache",
                "mcp:acme-cache/cache_stats",
                "mcp:acme-cache/ping",
                "mcp:acme-cache/send_report"
            ]
        );
        assert_eq!(
            tools[0].description.as_deref(),
            Some("Purge the edge cache")
        );
        assert_eq!(tools[0].annotations.unwrap().destructive, Some(true));
        // The span is where the tool object names itself.
        let span = tools[0].span.unwrap();
        assert_eq!(
            (span.line, &src[span.offset..span.offset + span.len]),
            (13, "ToolName.PURGE")
        );

        // `{ tools }` returns a constant of the handler, which may list object constants.
        let src = r#"
const ECHO_TOOL = { name: "echo", description: "Echo the input" };
server.setRequestHandler(ListToolsRequestSchema, async () => {
  const tools: Tool[] = [ECHO_TOOL, { name: "add", description: "Add two numbers" }];
  return { tools };
});
"#;
        let tools = listed(src);
        assert_eq!(ids(&tools), ["mcp:index/echo", "mcp:index/add"]);
        // The server object is not constructed here: discovery looks for it.
        assert!(tools.iter().all(|t| t.server_elsewhere));
    }

    #[test]
    fn other_handlers_comments_and_strings_list_no_tools() {
        let src = r#"
const server = new Server({ name: "acme-prompts", version: "1.0.0" }, {});
// server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: "in_comment" }] }));
/* server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: "in_block" }] })); */
const doc = "server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [{ name: 'in_string' }] }))";
server.setRequestHandler(ListPromptsRequestSchema, async () => ({
  prompts: [{ name: "summarise", description: "Summarise a ticket" }],
}));
server.setRequestHandler(ListResourcesRequestSchema, async () => ({
  resources: [{ name: "tools", uri: "acme://tools" }],
}));
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: registry.list().map((t) => ({ name: t.id })),
}));
"#;
        assert!(listed(src).is_empty(), "{:?}", ids(&listed(src)));
    }

    #[test]
    fn filtered_lists_keep_the_tools_of_their_array() {
        // A list filtered at run time (per client, per feature flag) lists every tool it may
        // keep: the array's.
        let src = r#"
server.setRequestHandler(ListToolsRequestSchema, async () => {
  const allTools = [{ name: "read_file" }, { name: "write_file" }];
  const shown = allTools.filter((tool) => allowed(tool.name));
  return { tools: shown };
});
server2.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: BASE.slice(0, 1),
}));
const BASE = [{ name: "ping" }];
"#;
        assert_eq!(
            ids(&listed(src)),
            [
                "mcp:index/read_file",
                "mcp:index/write_file",
                "mcp:index/ping"
            ]
        );
    }

    fn imported(module: &str, name: &str) -> ImportedName {
        ImportedName::new(module, name)
    }

    #[test]
    fn handlers_and_lists_imported_from_other_files() {
        let head = r#"import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import listDefault, { listTools, TOOLS as ALL_TOOLS, PING_TOOL, getTools, createTools } from "./tools.js";
import * as handlers from "./handlers.js";
const { EXTRA } = require("./extra.js");
const server = new Server({ name: "acme-relay", version: "1.0.0" }, {});
"#;
        let cases = [
            (
                "server.setRequestHandler(ListToolsRequestSchema, listTools);",
                "listTools",
            ),
            (
                "server.setRequestHandler(ListToolsRequestSchema, handlers.listTools);",
                "listTools",
            ),
            (
                "server.setRequestHandler(ListToolsRequestSchema, listDefault as () => Result);",
                "default",
            ),
            (
                "server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: ALL_TOOLS }));",
                "TOOLS",
            ),
            (
                "server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: getTools() }));",
                "getTools",
            ),
            (
                "const TOOLS = await createTools();\nserver.setRequestHandler(ListToolsRequestSchema, async () => {\n  return { tools: TOOLS as Tool[] };\n});",
                "createTools",
            ),
        ];
        for (body, name) in cases {
            let found = scan(&format!("{head}{body}\n"), Language::Script, "index").unwrap();
            let module = if body.contains("handlers.") {
                "./handlers.js"
            } else {
                "./tools.js"
            };
            assert_eq!(
                found.links.listed,
                [ListedImport {
                    server: "acme-relay".to_owned(),
                    server_elsewhere: false,
                    from: imported(module, name),
                }],
                "{body}"
            );
        }
        // Tools of this file and of others in one array.
        let body = "server.setRequestHandler(ListToolsRequestSchema, () => ({\n  tools: [PING_TOOL, { name: \"local\", inputSchema: {} }, ...EXTRA, ...handlers.MORE],\n}));\n";
        let found = scan(&format!("{head}{body}"), Language::Script, "index").unwrap();
        assert_eq!(ids(&found.tools), ["mcp:acme-relay/local"]);
        let from: Vec<ImportedName> = found.links.listed.into_iter().map(|l| l.from).collect();
        assert_eq!(
            from,
            [
                imported("./extra.js", "EXTRA"),
                imported("./handlers.js", "MORE"),
                imported("./tools.js", "PING_TOOL"),
            ]
        );
        // A handler of this file is read here; a file that names no MCP SDK, or only imports
        // the list, lists nothing from elsewhere.
        let local = "function listTools() { return { tools: [{ name: \"own\" }] }; }\nserver.setRequestHandler(ListToolsRequestSchema, listTools);\n";
        let found = scan(&format!("{head}{local}"), Language::Script, "index").unwrap();
        assert!(found.links.listed.is_empty());
        let plain = "import { listTools } from \"./tools.js\";\nserver.setRequestHandler(ListToolsRequestSchema, listTools);\n";
        assert!(
            scan(plain, Language::Script, "index")
                .unwrap()
                .links
                .listed
                .is_empty()
        );
        let user = "import { TOOLS } from \"./tools.js\";\nconsole.log(TOOLS.length);\n";
        assert!(
            scan(user, Language::Script, "index")
                .unwrap()
                .links
                .is_empty()
        );
    }

    #[test]
    fn a_handler_may_call_a_function_of_its_file() {
        let src = "function getTools() {\n  const tools = [{ name: \"ping\" }];\n  return tools;\n}\n\
                   const list = () => [{ name: \"pong\" }];\n\
                   s.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...getTools(), ...list()] }));\n";
        assert_eq!(ids(&listed(src)), ["mcp:index/ping", "mcp:index/pong"]);
    }

    /// Each exported name that stands for tools, with their ids.
    fn exported_ids(links: &ScriptLinks) -> Vec<(&str, Vec<&str>)> {
        links
            .exported_tools
            .iter()
            .map(|(name, tools)| (name.as_str(), ids(tools)))
            .collect()
    }

    #[test]
    fn exported_names_stand_for_their_tools() {
        let src = r#"import { REMOTE_TOOLS } from "./remote.js";
enum Names { PURGE = "purge_cache" }
const PURGE_TOOL = { name: Names.PURGE, description: "Purge the cache", inputSchema: {} };
const HIDDEN = [{ name: "not_exported", inputSchema: {} }];
export const TOOLS = [PURGE_TOOL, { name: "stats", inputSchema: {} }];
export const PING_TOOL = { name: "ping", inputSchema: {} };
export async function listTools() {
  return { tools: TOOLS };
}
export default function () {
  return [...TOOLS, ...REMOTE_TOOLS];
}
export const remoteTools = () => REMOTE_TOOLS;
export { PURGE_TOOL as CACHE_TOOL, REMOTE_TOOLS };
export { OTHER } from "./other.js";
export * from "./more.js";
export const VERSION = "1.0.0";
"#;
        let links = scan(src, Language::Script, "tools").unwrap().links;
        let exported = exported_ids(&links);
        let all = ["mcp:tools/purge_cache", "mcp:tools/stats"];
        assert_eq!(
            exported,
            [
                ("CACHE_TOOL", vec!["mcp:tools/purge_cache"]),
                ("PING_TOOL", vec!["mcp:tools/ping"]),
                ("TOOLS", all.to_vec()),
                ("default", all.to_vec()),
                ("listTools", all.to_vec()),
            ]
        );
        assert!(
            links
                .exported_tools
                .values()
                .flatten()
                .all(|t| t.server_elsewhere)
        );
        let linked: Vec<(&str, &[ImportedName])> = links
            .exported_links
            .iter()
            .map(|(name, to)| (name.as_str(), to.as_slice()))
            .collect();
        assert_eq!(
            linked,
            [
                ("*", &[imported("./more.js", "*")][..]),
                ("OTHER", &[imported("./other.js", "OTHER")][..]),
                (
                    "REMOTE_TOOLS",
                    &[imported("./remote.js", "REMOTE_TOOLS")][..]
                ),
                ("default", &[imported("./remote.js", "REMOTE_TOOLS")][..]),
                (
                    "remoteTools",
                    &[imported("./remote.js", "REMOTE_TOOLS")][..]
                ),
            ]
        );
        // Exports in a comment or a string are not read.
        let commented =
            "// export const TOOLS = [{ name: \"a\" }];\nconst s = \"export * from './x.js'\";\n";
        assert!(
            scan(commented, Language::Script, "tools")
                .unwrap()
                .links
                .is_empty()
        );
    }

    #[test]
    fn objects_of_tools_listed_by_their_values() {
        let src = r#"import { Server } from "@modelcontextprotocol/sdk/server/index.js";
const server = new Server({ name: "acme-billing", version: "1.0.0" }, {});
const LOOKUP_TOOL: Tool = { name: "lookup_invoice", description: "Find an invoice", inputSchema: {} };
const TOOLS = {
  refund: { name: "refund_invoice", description: "Refund an invoice", inputSchema: {} },
  lookup: LOOKUP_TOOL,
  [Kind.VOID]: { name: "void_invoice", inputSchema: {} },
  computed: { name: `acme_${kind}`, inputSchema: {} },
  count: 3,
} as const;
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: Object.values(TOOLS) }));
"#;
        let tools = listed(src);
        let by_handler: Vec<&str> = tools
            .iter()
            .filter(|t| !t.server_elsewhere)
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(
            by_handler,
            [
                "mcp:acme-billing/lookup_invoice",
                "mcp:acme-billing/refund_invoice",
                "mcp:acme-billing/void_invoice"
            ]
        );
        assert_eq!(tools[1].description.as_deref(), Some("Refund an invoice"));
        // The same list held in a constant first, or mapped keeping each tool's name.
        let forms = [
            "const tools = Object.values(TOOLS)\nserver.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));",
            "server.setRequestHandler(ListToolsRequestSchema, async () => {\n  const tools: Tool[] = Object.values(TOOLS) as Tool[];\n  return { tools };\n});",
            "server.setRequestHandler(ListToolsRequestSchema, () => ({\n  tools: Object.values(TOOLS).map((t: AcmeTool) => ({ name: t.name, description: t.description, inputSchema: zod(t.schema) })),\n}));",
            "server.setRequestHandler(ListToolsRequestSchema, () => ({\n  tools: [...Object.values(TOOLS)],\n}));",
        ];
        let head = &src[..src.find("server.setRequestHandler").unwrap()];
        for form in forms {
            let tools = listed(&format!("{head}{form}\n"));
            let by_handler: Vec<&str> = tools
                .iter()
                .filter(|t| !t.server_elsewhere)
                .map(|t| t.id.as_str())
                .collect();
            assert_eq!(by_handler.len(), 3, "{form}: {by_handler:?}");
        }
    }

    #[test]
    fn objects_of_tools_listed_by_their_keys() {
        let head = r#"const server = new Server({ name: "acme-mail", version: "1.0.0" }, {});
const SEND = { description: "Send a message", inputSchema: {} };
const TOOLS = {
  send_message: SEND,
  "archive-thread": { description: "Archive a thread", inputSchema: {} },
  named: { name: "own_name", inputSchema: {} },
};
"#;
        let keyed = [
            "mcp:acme-mail/archive-thread",
            "mcp:acme-mail/named",
            "mcp:acme-mail/send_message",
        ];
        let unless_named = [
            "mcp:acme-mail/archive-thread",
            "mcp:acme-mail/own_name",
            "mcp:acme-mail/send_message",
        ];
        let cases: [(&str, &[&str]); 6] = [
            (
                "tools: Object.entries(TOOLS).map(([name, t]) => ({ name, ...t }))",
                &unless_named,
            ),
            (
                "tools: Object.entries(TOOLS).map(([name, t]) => ({ ...t, name }))",
                &keyed,
            ),
            (
                "tools: Object.entries(TOOLS).map(([key, tool]: [string, Def]) => {\n    return { name: key, description: tool.description, inputSchema: tool.inputSchema };\n  })",
                &keyed,
            ),
            (
                "tools: Object.keys(TOOLS).map(name => ({ name, inputSchema: TOOLS[name].inputSchema }))",
                &keyed,
            ),
            // The key is not the name: nothing is read.
            (
                "tools: Object.keys(TOOLS).map((name) => ({ name: `acme_${name}` }))",
                &[],
            ),
            (
                "tools: Object.entries(TOOLS).map(([k, t]) => ({ name: prefix + k, ...t }))",
                &[],
            ),
        ];
        for (form, want) in cases {
            let src = format!(
                "{head}server.setRequestHandler(ListToolsRequestSchema, async () => ({{\n  {form},\n}}));\n"
            );
            let tools = listed(&src);
            let mut found: Vec<&str> = tools
                .iter()
                .filter(|t| !t.server_elsewhere)
                .map(|t| t.id.as_str())
                .collect();
            found.sort_unstable();
            assert_eq!(found, want, "{form}");
            // A tool object listed by its key is no tool of its own name; one not listed is
            // defined for a server elsewhere.
            let own = tools.iter().find(|t| t.name == "own_name");
            assert_eq!(
                own.is_some(),
                !want.contains(&"mcp:acme-mail/named"),
                "{form}"
            );
        }
        let src = format!(
            "{head}server.setRequestHandler(ListToolsRequestSchema, async () => ({{ tools: Object.keys(TOOLS).map(name => ({{ name }})) }}));\n"
        );
        let tools = listed(&src);
        // Named where the key is written, described by its value.
        let send = tools.iter().find(|t| t.name == "send_message").unwrap();
        assert_eq!(send.description.as_deref(), Some("Send a message"));
        assert_eq!(send.span.unwrap().line, 4);
        let archive = tools.iter().find(|t| t.name == "archive-thread").unwrap();
        assert_eq!(
            &src[archive.span.unwrap().offset..][..archive.span.unwrap().len],
            "archive-thread"
        );
    }

    #[test]
    fn arrays_mapped_keeping_each_name() {
        let head = "const TOOLS = [{ name: \"ping\", inputSchema: {} }, { name: \"pong\", inputSchema: {} }];\n";
        let kept = [
            "TOOLS.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }))",
            "TOOLS.map(t => ({ ...t, inputSchema: toJson(t.inputSchema) }))",
            "TOOLS.map(({ name, description, inputSchema }) => ({ name, description, inputSchema }))",
            "TOOLS.map(({ name: id, inputSchema }: Tool) => ({ name: id, inputSchema }))",
            "TOOLS.map(async function (t) { return t; })",
        ];
        for (i, form) in kept.iter().enumerate() {
            let src = format!(
                "{head}s.setRequestHandler(ListToolsRequestSchema, () => ({{ tools: {form} }}));\n"
            );
            let want: &[&str] = if i == 4 {
                // Not an arrow function: not read.
                &[]
            } else {
                &["mcp:index/ping", "mcp:index/pong"]
            };
            let by_handler: Vec<String> = listed(&src)
                .into_iter()
                .filter(|t| !t.server_elsewhere || !src.contains("@modelcontextprotocol"))
                .map(|t| t.id)
                .collect();
            assert_eq!(by_handler, want, "{form}");
        }
        // A mapping that renames the tools, or over an unknown list, lists nothing.
        let renamed = [
            "TOOLS.map((t) => ({ name: `acme_${t.name}`, inputSchema: t.inputSchema }))",
            "TOOLS.map((t) => ({ ...t, name: t.id }))",
            "TOOLS.map((t) => ({ name: \"x\", ...t }))",
            "registry.list().map((t) => ({ name: t.name }))",
            "TOOLS.map((t) => { if (a) return { name: t.name }; return { name: t.id }; })",
        ];
        for form in renamed {
            let src = format!(
                "{head}s.setRequestHandler(ListToolsRequestSchema, () => ({{ tools: {form} }}));\n"
            );
            assert!(listed(&src).is_empty(), "{form}");
        }
    }

    #[test]
    fn commonjs_exports_stand_for_their_tools() {
        let src = r#"const TOOLS = [{ name: "ping", inputSchema: {} }];
const PONG_TOOL = { name: "pong", inputSchema: {} };
const BY_NAME = { stats: { description: "Cache stats", inputSchema: {} } };
module.exports = { TOOLS, pong: PONG_TOOL, BY_NAME };
module.exports.listTools = async () => ({ tools: TOOLS });
exports.MORE = [{ name: "more", inputSchema: {} }];
exports.ALL = Object.values({ a: PONG_TOOL });
other.exports = [{ name: "not_exported", inputSchema: {} }];
"#;
        let links = scan(src, Language::Script, "tools").unwrap().links;
        let exported = exported_ids(&links);
        assert_eq!(
            exported,
            [
                ("ALL", vec!["mcp:tools/pong"]),
                ("MORE", vec!["mcp:tools/more"]),
                ("TOOLS", vec!["mcp:tools/ping"]),
                ("listTools", vec!["mcp:tools/ping"]),
                ("pong", vec!["mcp:tools/pong"]),
            ]
        );
        let by_key: Vec<(&str, Vec<String>)> = links
            .exported_entries
            .iter()
            .map(|(name, entries)| {
                let keys = entries
                    .iter()
                    .filter_map(|e| e.by_key.as_ref().map(|t| t.id.clone()))
                    .collect();
                (name.as_str(), keys)
            })
            .collect();
        assert_eq!(by_key, [("BY_NAME", vec!["mcp:tools/stats".to_owned()])]);
        // The default export: `module.exports = NAME`.
        let src = "const TOOLS = [{ name: \"ping\" }];\nmodule.exports = TOOLS;\n";
        let links = scan(src, Language::Script, "tools").unwrap().links;
        assert_eq!(links.exported_tools.keys().collect::<Vec<_>>(), ["default"]);
        // A `require` binding whole stands for that default export.
        let src = "const { Server } = require(\"@modelcontextprotocol/sdk/server/index.js\");\nconst TOOLS = require(\"./tools\");\nconst s = new Server({ name: \"acme-cjs\", version: \"1\" }, {});\ns.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));\n";
        let listed = scan(src, Language::Script, "index").unwrap().links.listed;
        assert_eq!(
            listed.into_iter().map(|l| l.from).collect::<Vec<_>>(),
            [imported("./tools", "default")]
        );
    }

    #[test]
    fn objects_of_tools_imported_are_looked_up_by_how_they_are_listed() {
        let src = r#"import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { TOOLS, MORE } from "./tools.js";
const s = new Server({ name: "acme-relay", version: "1" }, {});
s.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    ...Object.values(TOOLS),
    ...Object.entries(MORE).map(([name, tool]) => ({ name, ...tool })),
  ],
}));
"#;
        let found = scan(src, Language::Script, "index").unwrap();
        let from: Vec<ImportedName> = found.links.listed.into_iter().map(|l| l.from).collect();
        assert_eq!(
            from,
            [
                ImportedName {
                    entries: Some(Entries::KeysUnlessNamed),
                    ..imported("./tools.js", "MORE")
                },
                ImportedName {
                    entries: Some(Entries::Values),
                    ..imported("./tools.js", "TOOLS")
                },
            ]
        );
    }

    #[test]
    fn arrays_spread_into_themselves_end() {
        let src = "const A = [...B, { name: \"a\" }];\nconst B = [...A, { name: \"b\" }];\n\
                   s.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...A] }));\n";
        assert_eq!(ids(&listed(src)), ["mcp:index/a", "mcp:index/b"]);
        // Lists mapped from each other, or an object holding itself, end too.
        let src = "const A = B.map((t) => ({ ...t }));\nconst B = Object.values(C).map((t) => ({ ...t }));\n\
                   const C = { c: C, d: { name: \"d\" } };\n\
                   s.setRequestHandler(ListToolsRequestSchema, () => ({ tools: A }));\n";
        assert_eq!(ids(&listed(src)), ["mcp:index/d"]);
        let src = "const A = B.map((t) => ({ ...t }));\nconst B = A.map((t) => ({ ...t }));\n\
                   s.setRequestHandler(ListToolsRequestSchema, () => ({ tools: A }));\n";
        assert!(listed(src).is_empty());
    }
}
