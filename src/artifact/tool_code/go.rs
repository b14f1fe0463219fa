//! Tools a Go MCP server declares, read from one file as lexed by `script_lex` (Go dialect):
//! mcp-go's `mcp.NewTool("name", mcp.WithDescription(…), mcp.WithReadOnlyHintAnnotation(…),
//! mcp.WithToolAnnotation(mcp.ToolAnnotation{…}), …)`, and `mcp.Tool{Name: …, Description: …,
//! Annotations: …}` literals of either SDK (the official SDK's `&mcp.Tool{…}` with its
//! `&mcp.ToolAnnotations{…}`, also the elements of a `[]mcp.Tool{…}`); the servers the file
//! constructs (mcp-go's `server.NewMCPServer("name", …)`, the official SDK's
//! `mcp.NewServer(&mcp.Implementation{Name: …}, …)`); the server object each tool is registered
//! on (`s.AddTool(tool, …)`, `s.AddTools(…)`, `mcp.AddTool(s, tool, …)`); and the import paths
//! discovery follows to a server constructed in another package (`agent::code_servers`).
//!
//! Only calls and literals qualified by a package whose import path has an element naming MCP
//! (`github.com/mark3labs/mcp-go/server`, `github.com/modelcontextprotocol/go-sdk/mcp`) are read,
//! so an RPC library's `rpc.NewServer(…)` is no MCP server and `llm.Tool{…}` no MCP tool. A tool's
//! name is a string literal or a name the same file binds to one (`const deleteTool =
//! "delete_record"`, `name := "…"`); a name computed at run time (`fmt.Sprintf`, a concatenation, a field, a
//! constant of another file) is not statically known and the tool is skipped. A description may
//! also be a concatenation of literals and constants, or a call whose arguments are all literals (a
//! translation helper's `t("KEY", "default text")`), which gives its last argument.
//!
//! Everything is read where it starts in code, with brackets paired by the lexer: a call or
//! literal in a comment or a string declares nothing, and one whose bracket never closes is not
//! read. Nesting costs no rescans: each call's arguments are split once, stepping over the
//! brackets they hold.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::artifact::escapes::decode_go;
use crate::artifact::script_lex::{Class, Lexed};
use crate::artifact::text::TextSpan;
use crate::artifact::tool_json::{Annotations, Dialect, ToolDecl, short_description};

/// `import` (a declaration, its block or one spec follows).
static IMPORT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bimport\b").expect("valid regex"));
/// One import spec: group 1 the alias (`.` and `_` included), group 2 the quoted path.
static IMPORT_SPEC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:([A-Za-z_][A-Za-z0-9_]*|\.)[ \t]+)?("(?:[^"\\\n]|\\.)*"|`[^`]*`)"#)
        .expect("valid regex")
});
/// One import spec where it must start (after `import`).
static IMPORT_SPEC_HERE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{})", IMPORT_SPEC.as_str())).expect("valid regex"));
/// `name = "value"`, `name := "value"`, `name Type = "value"` (a constant, a variable): group 1
/// the name, group 2 the literal.
static STRING_BINDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:(?:const|var)[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)(?:[ \t]+[A-Za-z_][A-Za-z0-9_.]*)?[ \t]*:?=[ \t]*("(?:[^"\\\n]|\\.)*"|`[^`]*`)"#)
        .expect("valid regex")
});
/// `pkg.NewMCPServer(` or `pkg.NewServer(`: group 1 the package, group 2 the function.
static SERVER_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*(NewMCPServer|NewServer)\s*\(")
        .expect("valid regex")
});
/// `pkg.NewTool(` or `pkg.NewToolWithRawSchema(`: group 1 the package, group 2 the function.
static NEW_TOOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*(NewTool|NewToolWithRawSchema)\s*\(")
        .expect("valid regex")
});
/// `pkg.Tool{`, also `[]pkg.Tool{` and `[]*pkg.Tool{` (group 1): group 2 the package.
static TOOL_LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\[\]\s*\*?\s*)?\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*Tool\s*\{").expect("valid regex")
});
/// `x.AddTool(`, `x.AddTools(`, `x.SetTools(`, `x.AddSessionTool(s)(`: group 1 the receiver's
/// last identifier (a server object, or the official SDK's package for `mcp.AddTool(s, …)`).
static REGISTRATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*(?:AddTools?|SetTools|AddSessionTools?)\s*\(")
        .expect("valid regex")
});
/// What an expression ending at the end of the text is bound to: `x :=`, `x =`, `var x *T =`,
/// `s.x =` or a keyed field `x:` (group 1 or 2 the name).
static BINDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)(?:(?:\bvar[ \t]+|^[ \t]*)([A-Za-z_][A-Za-z0-9_]*)[ \t]+\*?[ \t]*[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?|([A-Za-z_][A-Za-z0-9_]*))[ \t]*(?::=|=|:)\s*&?\s*\z")
        .expect("valid regex")
});
/// `pkg.Option(` at the start of an argument: group 1 the option.
static OPTION_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*\(")
        .expect("valid regex")
});
/// A call of a helper that makes a pointer of a boolean (`mcp.ToBoolPtr(true)`,
/// `jsonschema.Ptr(false)`, Go 1.26's `new(true)`): group 1 the value.
static BOOL_POINTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z_][A-Za-z0-9_.]*\s*\(\s*(true|false)\s*\)$").expect("valid regex")
});
static IDENTIFIER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*$").expect("valid regex"));
/// A composite literal at the start of an expression: `T{`, `&pkg.T{` (the brace ends it).
static COMPOSITE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^&?\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)?[A-Za-z_][A-Za-z0-9_]*\s*\{")
        .expect("valid regex")
});
/// `pkg.Implementation{` (the official SDK's server name and version): group 1 the package.
static IMPLEMENTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*Implementation\s*\{").expect("valid regex")
});
/// A selector chain (`s`, `cmd.Server`, `&srv.mcp`): group 1 its last identifier.
static SELECTOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^&?\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)*([A-Za-z_][A-Za-z0-9_]*)$")
        .expect("valid regex")
});

/// The text before an expression searched for what it is bound to.
const BINDING_WINDOW: usize = 200;
/// The longest hint value read (`jsonschema.Ptr(false)` and the like are short).
const MAX_BOOLEAN_BYTES: usize = 64;

/// The tools a Go file declares and the servers it constructs (names, or `stem` for a server
/// whose name is not written out). A tool registered on a server object the file does not
/// construct, or not registered in the file while it constructs no server or several, is named
/// after `stem` until discovery finds its server (`ToolDecl::server_elsewhere`).
pub(super) fn scan(lexed: &Lexed, stem: &str) -> (Vec<ToolDecl>, Vec<String>) {
    let imports = imports(lexed);
    let qualifiers: BTreeSet<String> = imports
        .iter()
        .filter(|(_, path)| is_mcp_path(path))
        .filter_map(|(alias, path)| package_name(*alias, path))
        .collect();
    if qualifiers.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let file = GoFile {
        lexed,
        qualifiers,
        strings: string_bindings(lexed),
    };
    let constructions = file.constructions();
    let mut servers: Vec<String> = constructions
        .iter()
        .map(|(_, name)| name.clone().unwrap_or_else(|| stem.to_owned()))
        .collect();
    servers.sort();
    servers.dedup();
    let objects: BTreeMap<&str, Option<String>> = constructions
        .into_iter()
        .filter_map(|(object, name)| Some((object?, name)))
        .collect();
    let mut found = file.new_tool_calls();
    found.extend(file.tool_literals());
    found.sort_by_key(|t| t.start);
    let registrations = file.registrations();
    let objects_of = registered_objects(&found, &registrations);
    let names: Vec<Range<usize>> = found.iter().map(|t| t.name_at.clone()).collect();
    let spans = spans_of(lexed.text, &names);
    let tools = found
        .into_iter()
        .zip(objects_of)
        .zip(spans)
        .map(|((tool, object), span)| {
            let (server, server_elsewhere) = match object {
                Some(object) => match objects.get(object) {
                    Some(name) => (name.as_deref().unwrap_or(stem), false),
                    None => (stem, true),
                },
                None if servers.len() == 1 => (servers[0].as_str(), false),
                None => (stem, true),
            };
            ToolDecl {
                id: format!("mcp:{server}/{}", tool.name),
                provider: Some(format!("mcp:{server}")),
                name: tool.name,
                dialect: Dialect::GoMcpTool,
                description: tool.description.as_deref().map(short_description),
                annotations: tool.annotations,
                auto_approved: None,
                url: None,
                span: Some(span),
                server_elsewhere,
            }
        })
        .collect();
    (tools, servers)
}

/// The spans of `ranges` of `text` (in any order), from one pass over the text: a file of many
/// tools on one long line costs no more than one with a tool per line.
fn spans_of(text: &str, ranges: &[Range<usize>]) -> Vec<TextSpan> {
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_by_key(|&i| ranges[i].start);
    let mut spans = vec![TextSpan::first_line(); ranges.len()];
    let (mut at, mut line, mut column) = (0, 1, 1);
    for i in order {
        let offset = ranges[i].start.min(text.len());
        let between = &text.as_bytes()[at..offset];
        match memchr::memrchr(b'\n', between) {
            Some(last) => {
                line += memchr::memchr_iter(b'\n', between).count() as u32;
                column = text[at + last + 1..offset].chars().count() as u32 + 1;
            }
            None => column += text[at..offset].chars().count() as u32,
        }
        at = offset;
        spans[i] = TextSpan {
            line,
            column,
            offset,
            len: ranges[i].len(),
        };
    }
    spans
}

/// The import paths of a Go file, as written (`github.com/acme/ops/internal/tools`), sorted.
pub(super) fn import_paths(lexed: &Lexed) -> Vec<String> {
    let mut paths: Vec<String> = imports(lexed).into_iter().map(|(_, path)| path).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// The import specs of the file's `import` declarations: the alias as written and the path.
fn imports<'t>(lexed: &Lexed<'t>) -> Vec<(Option<&'t str>, String)> {
    let text = lexed.text;
    if !text.contains("import") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut read_until = 0;
    for keyword in IMPORT.find_iter(text) {
        if keyword.start() < read_until || !lexed.is_code(keyword.start()) {
            continue;
        }
        let at = lexed.skip_trivia(keyword.end(), text.len());
        let specs: Vec<(usize, regex::Captures)> = if text.as_bytes().get(at) == Some(&b'(') {
            let Some(close) = lexed.close_of(at) else {
                continue;
            };
            read_until = close;
            let block = at + 1;
            IMPORT_SPEC
                .captures_iter(&text[block..close])
                .map(|spec| (block, spec))
                .collect()
        } else {
            let Some(spec) = IMPORT_SPEC_HERE.captures(&text[at..]) else {
                continue;
            };
            read_until = at + spec.get(0).map_or(0, |m| m.end());
            vec![(at, spec)]
        };
        for (base, spec) in specs {
            let Some(path) = spec.get(2) else {
                continue;
            };
            let path_at = base + path.start();
            let starts_literal = lexed.class(path_at - 1) != Some(Class::Literal);
            let alias_in_code = spec.get(1).is_none_or(|a| lexed.is_code(base + a.start()));
            if lexed.class(path_at) != Some(Class::Literal) || !starts_literal || !alias_in_code {
                continue;
            }
            out.push((
                spec.get(1).map(|m| m.as_str()),
                literal_value(path.as_str()),
            ));
        }
    }
    out
}

/// Whether an import path is an MCP package's: one of its elements names MCP (`mcp`, `mcp-go`,
/// `mcpserver`).
fn is_mcp_path(path: &str) -> bool {
    path.split('/')
        .any(|element| element.to_ascii_lowercase().contains("mcp"))
}

/// The name a file refers to an imported package by: its alias, else the last element of its
/// path (before a major version element, and before a `.` or with `-` as `_`). A blank (`_`) or
/// dot import names nothing.
fn package_name(alias: Option<&str>, path: &str) -> Option<String> {
    match alias {
        Some("_" | ".") => None,
        Some(alias) => Some(alias.to_owned()),
        None => {
            let mut elements = path.rsplit('/');
            let last = elements.next()?;
            let is_version = |e: &str| {
                e.len() > 1 && e.starts_with('v') && e[1..].bytes().all(|b| b.is_ascii_digit())
            };
            let element = if is_version(last) {
                elements.next()?
            } else {
                last
            };
            Some(element.split('.').next()?.replace('-', "_"))
        }
    }
}

/// Names bound to a string literal in code (`const name = "x"`, `name := "x"`), with their
/// values decoded; `None` for a name bound to different values in different places. A literal
/// that is only part of its value (`"a" + b`, `a, b := "x", "y"`) binds nothing.
fn string_bindings<'t>(lexed: &Lexed<'t>) -> HashMap<&'t str, Option<String>> {
    let text = lexed.text;
    let mut out: HashMap<&'t str, Option<String>> = HashMap::new();
    for c in STRING_BINDING.captures_iter(text) {
        let (Some(name), Some(literal)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let starts_literal =
            literal.start() == 0 || lexed.class(literal.start() - 1) != Some(Class::Literal);
        if !lexed.is_code(name.start())
            || lexed.class(literal.start()) != Some(Class::Literal)
            || !starts_literal
        {
            continue;
        }
        let ends_value = text[literal.end()..]
            .bytes()
            .find(|b| !matches!(b, b' ' | b'\t'))
            .is_none_or(|b| matches!(b, b'\n' | b'\r' | b';' | b')' | b'}' | b'/'));
        if !ends_value {
            continue;
        }
        let value = literal_value(literal.as_str());
        out.entry(name.as_str())
            .and_modify(|known| {
                if known.as_ref() != Some(&value) {
                    *known = None;
                }
            })
            .or_insert(Some(value));
    }
    out
}

/// The value of a Go string literal written out whole (its quotes included): a raw string as
/// written (without carriage returns, as Go reads it), an interpreted one decoded.
fn literal_value(literal: &str) -> String {
    let body = &literal[1..literal.len() - 1];
    if literal.starts_with('`') {
        body.replace('\r', "")
    } else {
        decode_go(body)
    }
}

/// A Go file being read: its lexed text, the names it imports MCP packages under, and its
/// string bindings.
struct GoFile<'l, 't> {
    lexed: &'l Lexed<'t>,
    qualifiers: BTreeSet<String>,
    strings: HashMap<&'t str, Option<String>>,
}

/// A tool found in the file, before its server is known.
struct FoundTool<'t> {
    /// Where its expression starts: a registration whose arguments hold it registers it.
    start: usize,
    /// The name the tool is bound to (`tool := mcp.NewTool(…)`): a registration that passes
    /// that name registers it.
    binding: Option<&'t str>,
    name: String,
    name_at: Range<usize>,
    description: Option<String>,
    annotations: Option<Annotations>,
}

/// A call that registers tools on a server object.
struct Registration<'t> {
    /// The call's parentheses.
    open: usize,
    close: usize,
    /// The server object (its last identifier: `s.server.AddTool` → `server`), when it is one.
    object: Option<&'t str>,
    /// The names passed as tools: `s.AddTool(tool, …)`, `s.AddTools(server.ServerTool{Tool:
    /// tool, …})`.
    names: Vec<&'t str>,
}

impl<'t> GoFile<'_, 't> {
    fn text(&self) -> &'t str {
        self.lexed.text
    }

    fn is_mcp(&self, package: &str) -> bool {
        self.qualifiers.contains(package)
    }

    /// The servers the file constructs: the object each is bound to, when it is, and its name
    /// when it is written out.
    fn constructions(&self) -> Vec<(Option<&'t str>, Option<String>)> {
        let text = self.text();
        let mut implementations = None;
        let mut out = Vec::new();
        for c in SERVER_CALL.captures_iter(text) {
            let (Some(package), Some(whole)) = (c.get(1), c.get(0)) else {
                continue;
            };
            if !self.lexed.is_code(package.start()) || !self.is_mcp(package.as_str()) {
                continue;
            }
            let open = whole.end() - 1;
            let Some(close) = self.lexed.close_of(open) else {
                continue;
            };
            let name = self.arguments(open, close).first().and_then(|first| {
                let implementations = implementations.get_or_insert_with(|| self.implementations());
                self.server_name(first.clone(), implementations)
            });
            out.push((self.binding_before(package.start()), name));
        }
        out
    }

    /// The official SDK's `&mcp.Implementation{…}` literals bound to a name: their braces.
    fn implementations(&self) -> HashMap<&'t str, (usize, usize)> {
        let mut out = HashMap::new();
        for c in IMPLEMENTATION.captures_iter(self.text()) {
            let (Some(package), Some(whole)) = (c.get(1), c.get(0)) else {
                continue;
            };
            if !self.lexed.is_code(package.start()) || !self.is_mcp(package.as_str()) {
                continue;
            }
            let open = whole.end() - 1;
            if let (Some(close), Some(name)) = (
                self.lexed.close_of(open),
                self.binding_before(package.start()),
            ) {
                out.entry(name).or_insert((open, close));
            }
        }
        out
    }

    /// A server's name from its constructor's first argument: a string (mcp-go's
    /// `NewMCPServer("name", …)`), or the `Name` of an `Implementation` literal written there
    /// or bound to the name written there (the official SDK).
    fn server_name(
        &self,
        first: Range<usize>,
        implementations: &HashMap<&'t str, (usize, usize)>,
    ) -> Option<String> {
        if let Some((name, _)) = self.name_of(first.clone()) {
            return Some(name);
        }
        let written = &self.text()[first.clone()];
        let (open, close) = match COMPOSITE_START.find(written) {
            Some(m) => {
                let open = first.start + m.end() - 1;
                (open, self.lexed.close_of(open)?)
            }
            None if IDENTIFIER.is_match(written) => *implementations.get(written)?,
            None => return None,
        };
        self.fields(open, close)
            .into_iter()
            .find(|(key, _)| *key == "Name")
            .and_then(|(_, value)| self.name_of(value))
            .map(|(name, _)| name)
    }

    /// mcp-go's `mcp.NewTool(name, options…)` (and `NewToolWithRawSchema(name, description,
    /// schema)`; a library whose `NewTool` takes the description second is read the same way).
    fn new_tool_calls(&self) -> Vec<FoundTool<'t>> {
        let text = self.text();
        let mut out = Vec::new();
        for c in NEW_TOOL.captures_iter(text) {
            let (Some(package), Some(whole)) = (c.get(1), c.get(0)) else {
                continue;
            };
            if !self.lexed.is_code(package.start()) || !self.is_mcp(package.as_str()) {
                continue;
            }
            let open = whole.end() - 1;
            let Some(close) = self.lexed.close_of(open) else {
                continue;
            };
            let args = self.arguments(open, close);
            let Some((name, name_at)) = args.first().and_then(|a| self.name_of(a.clone())) else {
                continue;
            };
            let mut description = args.get(1).and_then(|a| self.text_of(a.clone(), false));
            let mut annotations = None;
            for arg in args.iter().skip(1) {
                self.apply_option(arg.clone(), &mut description, &mut annotations);
            }
            out.push(FoundTool {
                start: package.start(),
                binding: self.binding_before(package.start()),
                name,
                name_at,
                description,
                annotations,
            });
        }
        out
    }

    /// What one option of `mcp.NewTool` sets: the description, or annotations (the hint options
    /// set one hint each; `WithToolAnnotation` replaces them all, as mcp-go does).
    fn apply_option(
        &self,
        arg: Range<usize>,
        description: &mut Option<String>,
        annotations: &mut Option<Annotations>,
    ) {
        let Some(c) = OPTION_CALL.captures(&self.text()[arg.clone()]) else {
            return;
        };
        let (Some(whole), Some(option)) = (c.get(0), c.get(1)) else {
            return;
        };
        let open = arg.start + whole.end() - 1;
        let Some(close) = self.lexed.close_of(open) else {
            return;
        };
        let inner = open + 1..close;
        let hint: fn(&mut Annotations) -> &mut Option<bool> = match option.as_str() {
            "WithDescription" => {
                *description = self.text_of(inner, true);
                return;
            }
            "WithToolAnnotation" => {
                *annotations = self.annotation_literal(inner);
                return;
            }
            "WithReadOnlyHintAnnotation" => |a| &mut a.read_only,
            "WithDestructiveHintAnnotation" => |a| &mut a.destructive,
            "WithIdempotentHintAnnotation" => |a| &mut a.idempotent,
            "WithOpenWorldHintAnnotation" => |a| &mut a.open_world,
            _ => return,
        };
        if let Some(value) = self.boolean(inner) {
            *hint(annotations.get_or_insert_default()) = Some(value);
        }
    }

    /// `mcp.Tool{Name: …, Description: …, Annotations: …}` literals where they are values
    /// (`&mcp.Tool{…}` too), and the elements of `[]mcp.Tool{{…}, {…}}` whose type is left out.
    fn tool_literals(&self) -> Vec<FoundTool<'t>> {
        let text = self.text();
        let mut out = Vec::new();
        for c in TOOL_LITERAL.captures_iter(text) {
            let (Some(whole), Some(package)) = (c.get(0), c.get(2)) else {
                continue;
            };
            if !self.lexed.is_code(whole.start()) || !self.is_mcp(package.as_str()) {
                continue;
            }
            let Some(start) = self.value_start(whole.start()) else {
                continue;
            };
            let open = whole.end() - 1;
            let Some(close) = self.lexed.close_of(open) else {
                continue;
            };
            let binding = self.binding_before(start);
            if c.get(1).is_none() {
                out.extend(self.tool_of_fields(open, close, start, binding));
                continue;
            }
            for element in self.arguments(open, close) {
                let brace = element.start;
                if text.as_bytes()[brace] == b'{'
                    && let Some(end) = self.lexed.close_of(brace)
                {
                    out.extend(self.tool_of_fields(brace, end, brace, binding));
                }
            }
        }
        out
    }

    /// The tool a `Tool` literal's fields (between the braces `open` and `close`) describe,
    /// when its `Name` is known.
    fn tool_of_fields(
        &self,
        open: usize,
        close: usize,
        start: usize,
        binding: Option<&'t str>,
    ) -> Option<FoundTool<'t>> {
        let mut name = None;
        let mut description = None;
        let mut annotations = None;
        for (key, value) in self.fields(open, close) {
            match key {
                "Name" => name = self.name_of(value),
                "Description" => description = self.text_of(value, true),
                "Annotations" => annotations = self.annotation_literal(value),
                _ => {}
            }
        }
        let (name, name_at) = name?;
        Some(FoundTool {
            start,
            binding,
            name,
            name_at,
            description,
            annotations,
        })
    }

    /// Where the composite literal whose type starts at `at` starts as a value (`at`, or its
    /// `&`), or `None` where the type is no value's: a function's result type before its body
    /// (`func f() mcp.Tool {`), a map's element type.
    fn value_start(&self, at: usize) -> Option<usize> {
        let before = self.previous_code(at)?;
        let text = self.text().as_bytes();
        match text[before] {
            b'&' => Some(before),
            b'=' | b'(' | b',' | b'{' | b':' => Some(at),
            b'n' if self.text()[..=before].ends_with("return")
                && (before < 6 || !is_word_byte(text[before - 6])) =>
            {
                Some(at)
            }
            _ => None,
        }
    }

    /// The offset of the last byte of code before `at` that is no white space.
    fn previous_code(&self, at: usize) -> Option<usize> {
        (0..at)
            .rev()
            .take(BINDING_WINDOW)
            .find(|&i| !self.lexed.is_trivia(i))
    }

    /// The annotations an `mcp.ToolAnnotation{…}` (mcp-go) or `&mcp.ToolAnnotations{…}` (the
    /// official SDK) literal at the start of `range` declares, when it declares a hint.
    fn annotation_literal(&self, range: Range<usize>) -> Option<Annotations> {
        let range = self.lexed.trimmed(range);
        let m = COMPOSITE_START.find(&self.text()[range.clone()])?;
        let open = range.start + m.end() - 1;
        let close = self.lexed.close_of(open)?;
        let mut found = Annotations::default();
        let mut any = false;
        for (key, value) in self.fields(open, close) {
            let hint = match key {
                "ReadOnlyHint" => &mut found.read_only,
                "DestructiveHint" => &mut found.destructive,
                "IdempotentHint" => &mut found.idempotent,
                "OpenWorldHint" => &mut found.open_world,
                _ => continue,
            };
            if let Some(value) = self.boolean(value) {
                *hint = Some(value);
                any = true;
            }
        }
        any.then_some(found)
    }

    /// A hint's value: `true`, `false`, or a call that makes a pointer of one
    /// (`mcp.ToBoolPtr(true)`, `jsonschema.Ptr(false)`, `new(true)`); `new(bool)` is false.
    fn boolean(&self, range: Range<usize>) -> Option<bool> {
        let range = self.lexed.trimmed(range);
        if range.len() > MAX_BOOLEAN_BYTES || !range.clone().all(|i| self.lexed.is_code(i)) {
            return None;
        }
        let written = &self.text()[range];
        match written {
            "true" => return Some(true),
            "false" => return Some(false),
            _ => {}
        }
        if let Some(c) = BOOL_POINTER.captures(written) {
            return Some(&c[1] == "true");
        }
        let spaced: String = written.split_whitespace().collect();
        (spaced == "new(bool)").then_some(false)
    }

    /// The registrations of tools on server objects.
    fn registrations(&self) -> Vec<Registration<'t>> {
        let text = self.text();
        let mut out = Vec::new();
        for c in REGISTRATION.captures_iter(text) {
            let (Some(receiver), Some(whole)) = (c.get(1), c.get(0)) else {
                continue;
            };
            if !self.lexed.is_code(receiver.start()) {
                continue;
            }
            let open = whole.end() - 1;
            let Some(close) = self.lexed.close_of(open) else {
                continue;
            };
            let args = self.arguments(open, close);
            let (object, tools) = if self.is_mcp(receiver.as_str()) {
                // The official SDK's `mcp.AddTool(server, tool, handler)`.
                let Some((first, rest)) = args.split_first() else {
                    continue;
                };
                let server = SELECTOR
                    .captures(&text[first.clone()])
                    .and_then(|c| c.get(1))
                    .map(|m| &text[first.start + m.start()..first.start + m.end()]);
                (server, rest)
            } else {
                (Some(receiver.as_str()), &args[..])
            };
            let names = tools
                .iter()
                .filter_map(|arg| self.passed_tool(arg.clone()))
                .collect();
            out.push(Registration {
                open,
                close,
                object,
                names,
            });
        }
        out
    }

    /// The name an argument of a registration passes a tool by: the argument itself
    /// (`tool`, `tools...`), or the `Tool` field of a literal (`server.ServerTool{Tool: tool}`).
    fn passed_tool(&self, arg: Range<usize>) -> Option<&'t str> {
        let text = self.text();
        let written = text[arg.clone()].trim_end_matches("...").trim_end();
        if IDENTIFIER.is_match(written) {
            return Some(&text[arg.start..arg.start + written.len()]);
        }
        let m = COMPOSITE_START.find(written)?;
        let open = arg.start + m.end() - 1;
        let close = self.lexed.close_of(open)?;
        let (_, value) = self
            .fields(open, close)
            .into_iter()
            .find(|(key, _)| *key == "Tool")?;
        let value = self.lexed.trimmed(value);
        IDENTIFIER
            .is_match(&text[value.clone()])
            .then(|| &text[value])
    }

    /// The name the expression starting at `at` is bound to (`x :=`, `x =`, `var x *T =`,
    /// `s.x =`, a keyed field `x:`), if any.
    fn binding_before(&self, at: usize) -> Option<&'t str> {
        let text = self.text();
        let mut from = at.saturating_sub(BINDING_WINDOW);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let c = BINDING.captures(&text[from..at])?;
        let name = c.get(1).or(c.get(2))?;
        let start = from + name.start();
        self.lexed
            .is_code(start)
            .then(|| &text[start..from + name.end()])
    }

    /// A tool's name: a string literal written out whole, or a name bound to one in this file;
    /// with the offsets of what names it (the literal's body, or the name).
    fn name_of(&self, range: Range<usize>) -> Option<(String, Range<usize>)> {
        let range = self.lexed.trimmed(range);
        if let Some(value) = self.literal(range.clone()) {
            return Some((value, range.start + 1..range.end - 1));
        }
        let written = &self.text()[range.clone()];
        if IDENTIFIER.is_match(written) {
            let value = self.strings.get(written)?.clone()?;
            return Some((value, range));
        }
        None
    }

    /// The value of the string literal that is all of `range`.
    fn literal(&self, range: Range<usize>) -> Option<String> {
        let written = self.text().get(range.clone())?;
        let quote = written.chars().next().filter(|q| matches!(q, '"' | '`'))?;
        let whole = written.len() >= 2
            && written.ends_with(quote)
            && (range.start..range.end).all(|i| self.lexed.class(i) == Some(Class::Literal));
        whole.then(|| literal_value(written))
    }

    /// A text from string literals and names bound to them, joined by `+`; with `calls`, a term
    /// may also be a call whose arguments are all string literals (`t("KEY", "default")`),
    /// which gives its last one.
    fn text_of(&self, range: Range<usize>, calls: bool) -> Option<String> {
        let text = self.text();
        let mut out = String::new();
        for term in self.split(range, b'+') {
            let term = self.lexed.trimmed(term);
            if let Some(value) = self.literal(term.clone()) {
                out.push_str(&value);
                continue;
            }
            let written = &text[term.clone()];
            if IDENTIFIER.is_match(written) {
                out.push_str(self.strings.get(written)?.as_deref()?);
                continue;
            }
            let m = OPTION_CALL.find(written).filter(|_| calls)?;
            let open = term.start + m.end() - 1;
            if self.lexed.close_of(open) != Some(term.end - 1) {
                return None;
            }
            let args = self.arguments(open, term.end - 1);
            let values: Option<Vec<String>> =
                args.iter().map(|a| self.literal(a.clone())).collect();
            out.push_str(&values?.pop()?);
        }
        Some(out)
    }

    /// The keyed fields of the composite literal between the braces `open` and `close`: each
    /// key with the range of its value.
    fn fields(&self, open: usize, close: usize) -> Vec<(&'t str, Range<usize>)> {
        let text = self.text();
        self.arguments(open, close)
            .into_iter()
            .filter_map(|element| {
                let colon = self.separators(element.clone(), b':').into_iter().next()?;
                let key = text[element.start..colon].trim();
                IDENTIFIER
                    .is_match(key)
                    .then(|| (key, colon + 1..element.end))
            })
            .collect()
    }

    /// The arguments (or elements) between the brackets `open` and `close`, trimmed; a trailing
    /// comma adds none.
    fn arguments(&self, open: usize, close: usize) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = self
            .split(open + 1..close, b',')
            .into_iter()
            .map(|piece| self.lexed.trimmed(piece))
            .collect();
        if out.last().is_some_and(|last| last.is_empty()) {
            out.pop();
        }
        out
    }

    /// `range` split at the separators in its code outside brackets.
    fn split(&self, range: Range<usize>, separator: u8) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = range.start;
        for at in self.separators(range.clone(), separator) {
            out.push(start..at);
            start = at + 1;
        }
        out.push(start..range.end);
        out
    }

    /// The offsets of `separator` in the code of `range` outside the brackets it holds.
    fn separators(&self, range: Range<usize>, separator: u8) -> Vec<usize> {
        let bytes = self.text().as_bytes();
        let mut out = Vec::new();
        let mut at = range.start;
        while at < range.end {
            if self.lexed.is_code(at) {
                match bytes[at] {
                    b'(' | b'[' | b'{' => {
                        if let Some(close) = self.lexed.close_of(at).filter(|&c| c < range.end) {
                            at = close + 1;
                            continue;
                        }
                    }
                    b if b == separator => out.push(at),
                    _ => {}
                }
            }
            at += 1;
        }
        out
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// For each tool (sorted by start), the server object a registration of the file registers it
/// on: the innermost registration whose arguments hold it, else the first registration after it
/// (else before it) that passes the name it is bound to.
fn registered_objects<'t>(
    tools: &[FoundTool<'t>],
    registrations: &[Registration<'t>],
) -> Vec<Option<&'t str>> {
    let mut by_name: HashMap<&str, Vec<(usize, Option<&'t str>)>> = HashMap::new();
    for r in registrations {
        for name in &r.names {
            by_name.entry(*name).or_default().push((r.open, r.object));
        }
    }
    // Registrations are sorted by their opening parenthesis and nest like the brackets they
    // are: a stack of those open at a tool's start holds the innermost last.
    let mut open: Vec<&Registration> = Vec::new();
    let mut next = 0;
    let mut out = Vec::with_capacity(tools.len());
    for tool in tools {
        while let Some(r) = registrations.get(next).filter(|r| r.open < tool.start) {
            while open.last().is_some_and(|o| o.close < r.open) {
                open.pop();
            }
            open.push(r);
            next += 1;
        }
        while open.last().is_some_and(|o| o.close < tool.start) {
            open.pop();
        }
        let object = match open.last() {
            Some(r) => r.object,
            None => tool.binding.and_then(|binding| {
                let passes = by_name.get(binding)?;
                let after = passes.partition_point(|(at, _)| *at < tool.start);
                passes
                    .get(after)
                    .or(passes.first())
                    .and_then(|(_, object)| *object)
            }),
        };
        out.push(object);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::artifact::text::TextSpan;
    use crate::artifact::tool_code::{Language, SourceTools, scan};
    use crate::artifact::tool_json::{Annotations, Dialect, ToolDecl};

    fn go(text: &str, stem: &str) -> SourceTools {
        scan(text, Language::Go, stem).unwrap()
    }

    /// Each tool's id, line, and whether its server is elsewhere.
    fn ids(tools: &[ToolDecl]) -> Vec<(&str, u32, bool)> {
        tools
            .iter()
            .map(|t| (t.id.as_str(), t.span.unwrap().line, t.server_elsewhere))
            .collect()
    }

    fn hints(read_only: Option<bool>, destructive: Option<bool>) -> Option<Annotations> {
        Some(Annotations {
            read_only,
            destructive,
            ..Annotations::default()
        })
    }

    const MCP_GO_SERVER: &str = r#"package main

import (
	"context"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

const (
	purgeTool   = "purge_cache"
	serverName  = "acme-ops"
	purgeDetail = "Purge the edge cache " +
		"for a zone"
)

const statusDescription = `Show the status
of a job`

func main() {
	s := server.NewMCPServer(
		serverName,
		"1.0.0",
		server.WithToolCapabilities(true),
	)

	status := mcp.NewTool("job_status",
		mcp.WithDescription(statusDescription),
		mcp.WithReadOnlyHintAnnotation(true),
		mcp.WithString("job", mcp.Required(), mcp.Description("The job id")),
	)
	s.AddTool(status, statusHandler)

	s.AddTool(mcp.NewTool(purgeTool,
		mcp.WithDescription(t("TOOL_PURGE_DESCRIPTION", "Purge the edge cache")),
		mcp.WithDestructiveHintAnnotation(true),
		mcp.WithOpenWorldHintAnnotation(false),
	), purgeHandler)

	s.AddTools(server.ServerTool{
		Tool: mcp.NewTool("restart_job",
			mcp.WithToolAnnotation(mcp.ToolAnnotation{
				Title:           "Restart",
				ReadOnlyHint:    mcp.ToBoolPtr(false),
				DestructiveHint: mcp.ToBoolPtr(false),
			}),
			mcp.WithDescription("Restart " + "a job"),
		),
		Handler: restartHandler,
	})

	// s.AddTool(mcp.NewTool("drop_database"), dropHandler)
	/* s.AddTool(mcp.NewTool("wipe_disk"), wipeHandler) */
	usage := "s.AddTool(mcp.NewTool(\"in_a_string\"), h)"
	raw := `mcp.NewTool("in_a_raw_string")`
	for _, zone := range zones {
		s.AddTool(mcp.NewTool(fmt.Sprintf("purge_%s", zone)), purgeHandler)
	}
	s.AddTool(mcp.NewTool(unknownName), purgeHandler)
	fmt.Println(usage, raw, purgeDetail)
	_ = server.ServeStdio(s)
}
"#;

    #[test]
    fn mcp_go_tools_with_their_descriptions_and_hints() {
        let found = go(MCP_GO_SERVER, "main");
        assert_eq!(found.servers, ["acme-ops"]);
        assert_eq!(
            found.imports,
            [
                "context",
                "fmt",
                "github.com/mark3labs/mcp-go/mcp",
                "github.com/mark3labs/mcp-go/server"
            ]
        );
        let tools = &found.tools;
        assert_eq!(
            ids(tools),
            [
                ("mcp:acme-ops/job_status", 28, false),
                ("mcp:acme-ops/purge_cache", 35, false),
                ("mcp:acme-ops/restart_job", 42, false),
            ]
        );
        assert!(tools.iter().all(|t| t.dialect == Dialect::GoMcpTool));
        assert_eq!(tools[0].provider.as_deref(), Some("mcp:acme-ops"));
        let descriptions: Vec<Option<&str>> =
            tools.iter().map(|t| t.description.as_deref()).collect();
        assert_eq!(
            descriptions,
            [
                Some("Show the status of a job"),
                Some("Purge the edge cache"),
                Some("Restart a job")
            ]
        );
        assert_eq!(tools[0].annotations, hints(Some(true), None));
        let purge = Annotations {
            destructive: Some(true),
            open_world: Some(false),
            ..Annotations::default()
        };
        assert_eq!(tools[1].annotations, Some(purge));
        assert_eq!(tools[2].annotations, hints(Some(false), Some(false)));
        // The span is the name: the literal's body, or the constant where it is used.
        let span = tools[1].span.unwrap();
        assert_eq!(
            &MCP_GO_SERVER[span.offset..span.offset + span.len],
            "purgeTool"
        );
        let span = tools[0].span.unwrap();
        assert_eq!(
            &MCP_GO_SERVER[span.offset..span.offset + span.len],
            "job_status"
        );
    }

    const GO_SDK_SERVER: &str = r#"package main

import (
	"context"

	gomcp "github.com/modelcontextprotocol/go-sdk/mcp"
	"example.com/acme/ptrs"
)

const refundName = "refund_invoice"

func main() {
	impl := &gomcp.Implementation{Name: "acme-billing", Version: "v1.0.0"}
	server := gomcp.NewServer(impl, nil)

	gomcp.AddTool(server, &gomcp.Tool{
		Name:        "lookup_invoice",
		Description: "Look an invoice up",
		Annotations: &gomcp.ToolAnnotations{ReadOnlyHint: true},
	}, lookup)

	server.AddTool(&gomcp.Tool{
		Name:        refundName,
		Description: "Refund an invoice\u2019s \"total\"",
		Annotations: &gomcp.ToolAnnotations{
			ReadOnlyHint:    false,
			DestructiveHint: ptrs.Ptr(false),
			IdempotentHint:  true,
			OpenWorldHint:   new(bool),
		},
	}, refund)

	send := &gomcp.Tool{Name: "send_receipt", Annotations: &gomcp.ToolAnnotations{DestructiveHint: flag}}
	server.AddTool(send, sendReceipt)
}

func other() gomcp.Tool {
	return gomcp.Tool{Name: "plain_literal"}
}

func names() map[string]gomcp.Tool {
	return map[string]gomcp.Tool{"x": {Name: "in_a_map"}}
}
"#;

    #[test]
    fn official_sdk_tools_and_an_aliased_import() {
        let found = go(GO_SDK_SERVER, "main");
        assert_eq!(found.servers, ["acme-billing"]);
        let tools = &found.tools;
        assert_eq!(
            ids(tools),
            [
                ("mcp:acme-billing/lookup_invoice", 17, false),
                ("mcp:acme-billing/refund_invoice", 23, false),
                ("mcp:acme-billing/send_receipt", 33, false),
                ("mcp:acme-billing/plain_literal", 38, false),
            ]
        );
        assert_eq!(tools[0].description.as_deref(), Some("Look an invoice up"));
        assert_eq!(tools[0].annotations, hints(Some(true), None));
        assert_eq!(
            tools[1].description.as_deref(),
            Some("Refund an invoice\u{2019}s \"total\"")
        );
        let refund = Annotations {
            read_only: Some(false),
            destructive: Some(false),
            idempotent: Some(true),
            open_world: Some(false),
        };
        assert_eq!(tools[1].annotations, Some(refund));
        // A hint held in a variable is not known: no annotations are read.
        assert_eq!(tools[2].annotations, None);
        assert_eq!(tools[2].description, None);
    }

    #[test]
    fn a_tool_package_without_a_server_names_its_tools_after_the_file() {
        let src = r#"package tools

import "github.com/mark3labs/mcp-go/mcp"

// DeleteRecord is registered by the server's main package.
func DeleteRecord() mcp.Tool {
	return mcp.NewTool("delete_record",
		mcp.WithDescription("Delete a record for good"),
	)
}

func Register(s *server.MCPServer) {
	s.AddTool(mcp.NewTool("list_records"), listRecords)
}

var Catalog = []mcp.Tool{
	{Name: "export_records", Description: "Export every record"},
	{Name: dynamicName},
	mcp.NewTool("import_records"),
}
"#;
        let found = go(src, "records");
        assert!(found.servers.is_empty());
        assert_eq!(found.imports, ["github.com/mark3labs/mcp-go/mcp"]);
        assert_eq!(
            ids(&found.tools),
            [
                ("mcp:records/delete_record", 7, true),
                ("mcp:records/list_records", 13, true),
                ("mcp:records/export_records", 17, true),
                ("mcp:records/import_records", 19, true),
            ]
        );
        assert_eq!(
            found.tools[2].description.as_deref(),
            Some("Export every record")
        );
    }

    #[test]
    fn tools_belong_to_the_server_they_are_registered_on() {
        let src = r#"package main

import (
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

type app struct {
	admin *server.MCPServer
}

func main() {
	reader := server.NewMCPServer("acme-reader", "1.0.0")
	a := &app{admin: server.NewMCPServer("acme-admin", "1.0.0")}
	var unnamed *server.MCPServer = server.NewMCPServer(version(), "1.0.0")

	search := mcp.NewTool("search_docs")
	drop := mcp.NewTool("drop_index")
	reader.AddTool(search, searchHandler)
	a.admin.AddTool(drop, dropHandler)
	unnamed.AddTool(mcp.NewTool("ping"), pingHandler)
	a.admin.AddTools(server.ServerTool{Tool: mcp.NewTool("reindex")})
	helper(reader).AddTool(mcp.NewTool("stray"), h)
	orphan := mcp.NewTool("orphan")
}
"#;
        let found = go(src, "main");
        assert_eq!(found.servers, ["acme-admin", "acme-reader", "main"]);
        assert_eq!(
            ids(&found.tools),
            [
                ("mcp:acme-reader/search_docs", 17, false),
                ("mcp:acme-admin/drop_index", 18, false),
                ("mcp:main/ping", 21, false),
                ("mcp:acme-admin/reindex", 22, false),
                // Registered on a server the file does not name: discovery looks further.
                ("mcp:main/stray", 23, true),
                ("mcp:main/orphan", 24, true),
            ]
        );
    }

    #[test]
    fn only_mcp_packages_declare_servers_and_tools() {
        let src = r#"package main

import (
	"example.com/acme/rpc"
	llm "example.com/acme/llm-go"
)

func main() {
	s := rpc.NewServer()
	tools := []llm.Tool{{Name: "get_weather"}}
	t := llm.NewTool("get_time")
	_ = mcp.NewTool("no_import")
}
"#;
        let found = go(src, "main");
        assert!(found.tools.is_empty() && found.servers.is_empty());
        assert_eq!(
            found.imports,
            ["example.com/acme/llm-go", "example.com/acme/rpc"]
        );
        // An import in a comment or a string is none.
        let src = "package x\n\n// import \"github.com/acme/mcp\"\nimport (\n\t// \"github.com/acme/old\"\n\t_ \"embed\"\n\t. \"github.com/acme/dot\"\n\tv2 `github.com/acme/lib/v2`\n)\n\nvar s = \"import \\\"x\\\"\"\n";
        assert_eq!(
            go(src, "x").imports,
            ["embed", "github.com/acme/dot", "github.com/acme/lib/v2"]
        );
    }

    #[test]
    fn spans_are_those_of_text_span_at() {
        let text = "a\u{e9}b\ncd \u{1F600} e\n\nfg";
        let ranges = [13..14, 0..1, 16..18, 3..4, 8..12, 12..13];
        let expected: Vec<TextSpan> = ranges
            .iter()
            .map(|r| TextSpan::at(text, r.start, r.len()))
            .collect();
        assert_eq!(super::spans_of(text, &ranges), expected);
    }

    #[test]
    fn package_names_follow_the_path() {
        use super::package_name;
        let name = |alias, path| package_name(alias, path);
        assert_eq!(
            name(None, "github.com/mark3labs/mcp-go/mcp").as_deref(),
            Some("mcp")
        );
        assert_eq!(
            name(None, "github.com/acme/mcp-golang").as_deref(),
            Some("mcp_golang")
        );
        assert_eq!(name(None, "github.com/acme/mcp/v2").as_deref(), Some("mcp"));
        assert_eq!(name(None, "gopkg.in/mcp.v1").as_deref(), Some("mcp"));
        assert_eq!(name(Some("m"), "github.com/acme/mcp").as_deref(), Some("m"));
        assert_eq!(name(Some("_"), "github.com/acme/mcp"), None);
        assert_eq!(name(Some("."), "github.com/acme/mcp"), None);
    }

    #[test]
    fn a_name_bound_to_two_values_is_unknown() {
        let src = r#"package main

import "github.com/mark3labs/mcp-go/mcp"

func a() { name := "first"; _ = mcp.NewTool(name) }
func b() { name := "second"; _ = mcp.NewTool(name) }
func c() { same := "same"; other := "x" + same; _ = mcp.NewTool(same); _ = mcp.NewTool(other) }
func d() { same := "same"; _ = mcp.NewTool("literal\tname", mcp.WithDescription(same + "!")) }
"#;
        let found = go(src, "tools");
        let names: Vec<&str> = found.tools.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["same", "literal\tname"]);
        assert_eq!(found.tools[1].description.as_deref(), Some("same!"));
    }

    /// Every prefix of the sample servers (cut inside calls, literals, strings and comments)
    /// reads without panicking, and no prefix finds a tool the whole file does not have.
    #[test]
    fn truncated_sources_never_panic() {
        for sample in [MCP_GO_SERVER, GO_SDK_SERVER] {
            let whole = go(sample, "x");
            let names: Vec<&str> = whole.tools.iter().map(|t| t.name.as_str()).collect();
            for end in (0..=sample.len()).filter(|&i| sample.is_char_boundary(i)) {
                let found = go(&sample[..end], "x");
                for tool in &found.tools {
                    assert!(names.contains(&tool.name.as_str()), "{end}: {}", tool.name);
                }
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics() {
        let pieces = [
            "import (",
            "import ",
            "\"github.com/acme/mcp-go/mcp\"",
            "\"github.com/acme/mcp-go/server\"",
            "m ",
            ")",
            "(",
            "{",
            "}",
            "[]",
            "*",
            "&",
            "mcp.NewTool(",
            "m.NewTool(",
            "mcp.Tool{",
            "server.NewMCPServer(",
            "mcp.NewServer(",
            "mcp.Implementation{",
            "Name: ",
            "Description: ",
            "Annotations: ",
            "ReadOnlyHint: ",
            "mcp.ToBoolPtr(true)",
            "new(bool)",
            "mcp.WithDescription(",
            "mcp.WithToolAnnotation(",
            "mcp.WithReadOnlyHintAnnotation(",
            "t(\"K\", \"d\")",
            "s.AddTool(",
            "mcp.AddTool(",
            "s.AddTools(",
            "server.ServerTool{Tool: ",
            "x := ",
            "const x = ",
            "var x *T = ",
            "return ",
            "func f() mcp.Tool ",
            "\"name\"",
            "`raw",
            "`",
            "\"",
            "'",
            "\\",
            "\\x",
            "\\u12",
            "+",
            ",",
            ":",
            "...",
            "//",
            "/*",
            "*/",
            "\n",
            "é",
            "\u{1F600}",
            "true",
        ];
        for text in crate::test_support::random_texts(&pieces, 0x2545_F491_4F6C_DD1D, 3000, 60) {
            let _ = go(&text, "x");
        }
    }

    #[test]
    fn deep_or_repeated_constructs_stay_fast() {
        let header = "package x\nimport \"github.com/acme/mcp\"\n";
        for body in [
            "mcp.NewTool(".repeat(50_000),
            "mcp.NewTool(\"a\", ".repeat(120_000) + &")".repeat(120_000),
            "s.AddTool(".repeat(50_000) + &")".repeat(50_000),
            "[]mcp.Tool{".repeat(40_000) + &"}".repeat(40_000),
            "import (".repeat(50_000) + &")".repeat(50_000),
            "mcp.NewTool(\"a\", mcp.WithReadOnlyHintAnnotation(".repeat(20_000)
                + &"))".repeat(20_000),
            "mcp.Tool{Name: \"a\", Annotations: mcp.ToolAnnotation{ReadOnlyHint: ".repeat(20_000)
                + &"}}".repeat(20_000),
            "x := \"a\"\n".repeat(100_000),
        ] {
            let text = format!("{header}{body}");
            let started = std::time::Instant::now();
            let _ = go(&text, "x");
            assert!(
                started.elapsed() < std::time::Duration::from_secs(8),
                "{:?} for {}…",
                started.elapsed(),
                &body[..20]
            );
        }
    }
}
