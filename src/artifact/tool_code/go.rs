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
//! "delete_record"`, `name := "…"`, also converted: `string(ToolEcho)`); a name computed at run
//! time (`fmt.Sprintf`, a concatenation, a field) is not statically known and the tool is skipped.
//! A name the file neither binds nor declares (no local, parameter, function or type of that
//! name) may be a constant of another file of its package: the tool waits for discovery, which
//! sees the package (`PackageScope`; every file shares its package-level string constants for
//! that), and so does a server named that way. An exported name of a package the file imports
//! (`names.ToolRefund`, its qualifier no name of the file) waits likewise for that package's
//! constant, with the import path recorded (`PackageScope::imported`). A description may also
//! be a concatenation of
//! literals and constants, or a translation helper's call (`t("KEY", "default text")`, its key
//! built of literals, names and calls), which gives its last argument.
//!
//! A tool declared in a helper function of the file with a parameter as its name (`func
//! newTool(name, desc string, opts ...mcp.ToolOption) mcp.Tool { return mcp.NewTool(name, …) }`)
//! is read at each call of the helper (`newTool("acme_refund", "Refund an order")`), the call's
//! arguments standing for the parameters, and located at the call; the options a call passes
//! through the helper's variadic parameter are not read.
//!
//! Everything is read where it starts in code, with brackets paired by the lexer: a call or
//! literal in a comment or a string declares nothing, and one whose bracket never closes is not
//! read. Nesting costs no rescans: each call's arguments are split once, stepping over the
//! brackets they hold.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use crate::pattern::Pattern;
use serde::Serialize;

use crate::artifact::escapes::decode_go;
use crate::artifact::script_lex::{Class, Lexed};
use crate::artifact::text::TextSpan;
use crate::artifact::tool_json::{Annotations, Dialect, ToolDecl, short_description};

/// `import` (a declaration, its block or one spec follows).
static IMPORT: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\bimport\b").expect("valid regex"));
/// One import spec: group 1 the alias (`.` and `_` included), group 2 the quoted path.
static IMPORT_SPEC: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"(?:([A-Za-z_][A-Za-z0-9_]*|\.)[ \t]+)?("(?:[^"\\\n]|\\.)*"|`[^`]*`)"#)
        .expect("valid regex")
});
/// One import spec where it must start (after `import`).
static IMPORT_SPEC_HERE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(&format!("^(?:{})", IMPORT_SPEC.as_str())).expect("valid regex"));
/// `name = "value"`, `name := "value"`, `name Type = "value"` (a constant, a variable): group 1
/// the name, group 2 the literal.
static STRING_BINDING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\b(?:(?:const|var)[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)(?:[ \t]+[A-Za-z_][A-Za-z0-9_.]*)?[ \t]*:?=[ \t]*("(?:[^"\\\n]|\\.)*"|`[^`]*`)"#)
        .expect("valid regex")
});
/// `pkg.NewMCPServer(` or `pkg.NewServer(`: group 1 the package, group 2 the function.
static SERVER_CALL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*(NewMCPServer|NewServer)\s*\(")
        .expect("valid regex")
});
/// `pkg.NewTool(` or `pkg.NewToolWithRawSchema(`: group 1 the package, group 2 the function.
static NEW_TOOL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*(NewTool|NewToolWithRawSchema)\s*\(")
        .expect("valid regex")
});
/// `pkg.Tool{`, also `[]pkg.Tool{` and `[]*pkg.Tool{` (group 1): group 2 the package.
static TOOL_LITERAL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(\[\]\s*\*?\s*)?\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*Tool\s*\{")
        .expect("valid regex")
});
/// `x.AddTool(`, `x.AddTools(`, `x.SetTools(`, `x.AddSessionTool(s)(`: group 1 the receiver's
/// last identifier (a server object, or the official SDK's package for `mcp.AddTool(s, …)`).
static REGISTRATION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*(?:AddTools?|SetTools|AddSessionTools?)\s*\(")
        .expect("valid regex")
});
/// What an expression ending at the end of the text is bound to: `x :=`, `x =`, `var x *T =`,
/// `s.x =` or a keyed field `x:` (group 1 or 2 the name).
static BINDING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?m)(?:(?:\bvar[ \t]+|^[ \t]*)([A-Za-z_][A-Za-z0-9_]*)[ \t]+\*?[ \t]*[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?|([A-Za-z_][A-Za-z0-9_]*))[ \t]*(?::=|=|:)\s*&?\s*\z")
        .expect("valid regex")
});
/// `pkg.Option(` at the start of an argument: group 1 the option.
static OPTION_CALL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^(?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*\(")
        .expect("valid regex")
});
/// A call of a helper that makes a pointer of a boolean (`mcp.ToBoolPtr(true)`,
/// `jsonschema.Ptr(false)`, Go 1.26's `new(true)`): group 1 the value.
static BOOL_POINTER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^[A-Za-z_][A-Za-z0-9_.]*\s*\(\s*(true|false)\s*\)$").expect("valid regex")
});
static IDENTIFIER: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"^[A-Za-z_][A-Za-z0-9_]*$").expect("valid regex"));
/// An exported name of another package, `names.ToolRefund`: group 1 the qualifier.
static QUALIFIED_EXPORT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^([A-Za-z_][A-Za-z0-9_]*)\.[A-Z][A-Za-z0-9_]*$").expect("valid regex")
});
/// A composite literal at the start of an expression: `T{`, `&pkg.T{` (the brace ends it).
static COMPOSITE_START: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^&?\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)?[A-Za-z_][A-Za-z0-9_]*\s*\{")
        .expect("valid regex")
});
/// `pkg.Implementation{` (the official SDK's server name and version): group 1 the package.
static IMPLEMENTATION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*Implementation\s*\{").expect("valid regex")
});
/// A selector chain (`s`, `cmd.Server`, `&srv.mcp`): group 1 its last identifier.
static SELECTOR: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^&?\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)*([A-Za-z_][A-Za-z0-9_]*)$")
        .expect("valid regex")
});

/// The `package` clause: group 1 the name.
static PACKAGE_CLAUSE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?m)^[ \t]*package[ \t]+([A-Za-z_][A-Za-z0-9_]*)").expect("valid regex")
});
static FUNC: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(r"\bfunc\b").expect("valid regex"));
/// An identifier where it must start (and not a longer one's start).
static IDENTIFIER_START: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"^[A-Za-z_][A-Za-z0-9_]*\b").expect("valid regex"));
/// A parameter written with its name (`name string`, `opts ...mcp.ToolOption`): group 1 the
/// name, unless it is a keyword that starts a type (`func(int)`, `map[string]int`, `chan T`).
static NAMED_PARAMETER: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"^([A-Za-z_][A-Za-z0-9_]*)\s+[^\s]").expect("valid regex"));
/// Keywords a type starts with.
const TYPE_KEYWORDS: &[&str] = &["chan", "func", "interface", "map", "struct"];
/// Names a file declares other than by binding a string literal: `var x`, `const x`, `type x`,
/// `x, y :=`
/// (group 1 the first, group 2 the whole list).
static DECLARATION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b(?:var|const|type)[ \t]+([A-Za-z_][A-Za-z0-9_]*)|\b([A-Za-z_][A-Za-z0-9_]*(?:[ \t]*,[ \t]*[A-Za-z_][A-Za-z0-9_]*)*)[ \t]*:=")
        .expect("valid regex")
});
/// A slice literal of options where it starts: `[]mcp.ToolOption{`.
static OPTION_SLICE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^\[\]\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)?[A-Za-z_][A-Za-z0-9_]*\s*\{")
        .expect("valid regex")
});
/// A conversion to `string` where it starts.
static STRING_CONVERSION: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"^string\s*\(").expect("valid regex"));
/// A call by name: group 1 the name.
static CALL: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(").expect("valid regex"));

/// The text before an expression searched for what it is bound to.
const BINDING_WINDOW: usize = 200;
/// The longest hint value read (`jsonschema.Ptr(false)` and the like are short).
const MAX_BOOLEAN_BYTES: usize = 64;

/// What one Go file gives: its tools, the servers it constructs, and what it shares with the
/// other files of its package (`PackageScope`, `None` when it shares nothing).
pub(super) struct GoSource {
    pub tools: Vec<ToolDecl>,
    pub servers: Vec<String>,
    pub scope: Option<Box<PackageScope>>,
}

/// What a Go file shares with the other files of its package (the files of its directory with
/// the same `package` clause, whose package-level names are one scope), and what it needs of
/// them: discovery resolves the one with the other (`agent::code_servers`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PackageScope {
    /// The name in the file's `package` clause.
    pub package: String,
    /// The package-level names the file binds to a string literal (`const ToolRefund =
    /// "acme_refund"`, `var X = "…"`, in a `const (…)` block too), with their values.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub constants: Vec<(String, String)>,
    /// Tools whose name or description is a name the file does not bind, so a package-level
    /// constant of another file of the package.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<PendingTool>,
    /// The constant of another file that names the server the file constructs
    /// (`server.NewMCPServer(ServerName, …)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_constant: Option<ServerConstant>,
    /// The packages the file imports whose exported constants name its pending tools or its
    /// server (`names.ToolRefund`): each qualifier with its import path.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub imported: BTreeMap<String, String>,
}

/// A server named by a constant of another file of its package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerConstant {
    pub constant: String,
    /// The name the server, and the tools that are its, stand under until it is resolved (the
    /// file's stem).
    pub placeholder: String,
}

/// A tool whose name or description waits for a constant of another file of its package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendingTool {
    /// The tool; while its name waits, `name` (and the name in `id`) is the constant's name.
    pub tool: ToolDecl,
    /// The constant that holds the tool's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The constant that holds the tool's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The most package-level constants a file shares, and the longest value shared.
const MAX_SHARED_CONSTANTS: usize = 2048;
const MAX_SHARED_VALUE_BYTES: usize = 4096;
/// The most tools read from the calls of helper functions in one file, and the most bytes of
/// helper bodies those reads may go through.
const MAX_HELPER_TOOLS: usize = 4096;
const MAX_HELPER_BYTES: usize = 8 * 1024 * 1024;

/// The tools a Go file declares (when `declares`, the file holding words that may declare one)
/// and the servers it constructs (names, or `stem` for a server whose name is not written
/// out). A tool registered on a server object the file does not construct, or not registered
/// in the file while it constructs no server or several, is named after `stem` until discovery
/// finds its server (`ToolDecl::server_elsewhere`). The file's package-level string constants
/// are shared whatever it declares: another file of its package may name a tool with one.
pub(super) fn scan(lexed: &Lexed, stem: &str, declares: bool) -> GoSource {
    let mut scope = PackageScope {
        package: package_clause(lexed).unwrap_or_default().to_owned(),
        constants: package_constants(lexed),
        ..PackageScope::default()
    };
    let (tools, servers) = if declares {
        declared(lexed, stem, &mut scope)
    } else {
        (Vec::new(), Vec::new())
    };
    let needed =
        !scope.constants.is_empty() || !scope.pending.is_empty() || scope.server_constant.is_some();
    let shares = needed && !scope.package.is_empty();
    GoSource {
        tools,
        servers,
        scope: shares.then(|| Box::new(scope)),
    }
}

/// The tools and servers of a file that may declare some; tools that wait for a constant of
/// another file, and the constant naming its server, go to `scope`.
fn declared(lexed: &Lexed, stem: &str, scope: &mut PackageScope) -> (Vec<ToolDecl>, Vec<String>) {
    let imports = imports(lexed);
    let qualifiers: BTreeSet<String> = imports
        .iter()
        .filter(|(_, path)| is_mcp_path(path))
        .filter_map(|(alias, path)| package_name(*alias, path))
        .collect();
    if qualifiers.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut strings: HashMap<&str, Option<String>> = HashMap::new();
    for binding in string_bindings(lexed, 0..lexed.text.len()) {
        strings
            .entry(binding.name)
            .and_modify(|known| {
                if known.as_ref() != Some(&binding.value) {
                    *known = None;
                }
            })
            .or_insert(Some(binding.value));
    }
    let functions = functions(lexed);
    let packages: HashMap<String, &str> = imports
        .iter()
        .filter(|(_, path)| !is_mcp_path(path))
        .filter_map(|(alias, path)| Some((package_name(*alias, path)?, path.as_str())))
        .collect();
    let file = GoFile {
        lexed,
        qualifiers,
        packages,
        strings,
        declared: OnceCell::new(),
        functions: &functions,
    };
    let constructions = file.constructions();
    let constants: BTreeSet<&str> = constructions
        .iter()
        .filter_map(|(_, name)| match name {
            Some(Value::Constant(constant)) => Some(*constant),
            _ => None,
        })
        .collect();
    // The stem stands for the server named by a constant alone: for no server left unnamed,
    // nor one the file names so.
    let unnamed = constructions.iter().any(|(_, name)| match name {
        Some(Value::Known(name)) => name == stem,
        Some(Value::Constant(_)) => false,
        _ => true,
    });
    if constants.len() == 1 && !unnamed {
        scope.server_constant = constants.first().map(|c| ServerConstant {
            constant: (*c).to_owned(),
            placeholder: stem.to_owned(),
        });
    }
    let mut servers: Vec<String> = constructions
        .iter()
        .map(|(_, name)| match name {
            Some(Value::Known(name)) => name.clone(),
            _ => stem.to_owned(),
        })
        .collect();
    servers.sort();
    servers.dedup();
    let objects: BTreeMap<&str, Option<String>> = constructions
        .into_iter()
        .filter_map(|(object, name)| match name {
            Some(Value::Known(name)) => Some((object?, Some(name))),
            _ => Some((object?, None)),
        })
        .collect();
    let mut found = file.tools();
    found.sort_by_key(|t| t.start);
    let registrations = file.registrations();
    let objects_of = registered_objects(&found, &registrations);
    let names: Vec<Range<usize>> = found.iter().map(|t| t.name_at.clone()).collect();
    let spans = spans_of(lexed.text, &names);
    let mut tools = Vec::new();
    for ((tool, object), span) in found.into_iter().zip(objects_of).zip(spans) {
        let (server, server_elsewhere) = match object {
            Some(object) => match objects.get(object) {
                Some(name) => (name.as_deref().unwrap_or(stem), false),
                None => (stem, true),
            },
            None if servers.len() == 1 => (servers[0].as_str(), false),
            None => (stem, true),
        };
        let (name, name_constant) = match tool.name {
            Value::Known(name) => (name, None),
            Value::Constant(constant) => (constant.to_owned(), Some(constant.to_owned())),
            Value::Parameter => continue,
        };
        let (description, description_constant) = match tool.description {
            Some(Value::Known(text)) => (Some(short_description(&text)), None),
            Some(Value::Constant(constant)) => (None, Some(constant.to_owned())),
            _ => (None, None),
        };
        let decl = ToolDecl {
            id: format!("mcp:{server}/{name}"),
            provider: Some(format!("mcp:{server}")),
            name,
            dialect: Dialect::GoMcpTool,
            description,
            annotations: tool.annotations,
            auto_approved: None,
            url: None,
            span: Some(span),
            server_elsewhere,
        };
        if name_constant.is_some() || description_constant.is_some() {
            scope.pending.push(PendingTool {
                tool: decl,
                name: name_constant,
                description: description_constant,
            });
        } else {
            tools.push(decl);
        }
    }
    let waiting = (scope.pending.iter())
        .flat_map(|pending| pending.name.iter().chain(&pending.description))
        .chain(scope.server_constant.iter().map(|server| &server.constant));
    for constant in waiting {
        if let Some((qualifier, _)) = constant.split_once('.')
            && let Some(path) = file.packages.get(qualifier)
        {
            scope
                .imported
                .insert(qualifier.to_owned(), (*path).to_owned());
        }
    }
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
        let specs: Vec<(usize, crate::pattern::Captures)> =
            if text.as_bytes().get(at) == Some(&b'(') {
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

/// A name bound to a string literal in code (`const name = "x"`, `name := "x"`), and the value
/// decoded. A literal that is only part of its value (`"a" + b`,
/// `a, b := "x", "y"`) binds nothing.
struct StringBinding<'t> {
    name: &'t str,
    value: String,
}

/// The string bindings written in `range` of the file.
fn string_bindings<'t>(lexed: &Lexed<'t>, range: Range<usize>) -> Vec<StringBinding<'t>> {
    let text = lexed.text;
    let base = range.start;
    let mut out = Vec::new();
    for c in STRING_BINDING.captures_iter(&text[range]) {
        let (Some(name), Some(literal)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let name_at = base + name.start();
        let (start, end) = (base + literal.start(), base + literal.end());
        let starts_literal = start == 0 || lexed.class(start - 1) != Some(Class::Literal);
        if !lexed.is_code(name_at) || lexed.class(start) != Some(Class::Literal) || !starts_literal
        {
            continue;
        }
        let ends_value = text[end..]
            .bytes()
            .find(|b| !matches!(b, b' ' | b'\t'))
            .is_none_or(|b| matches!(b, b'\n' | b'\r' | b';' | b')' | b'}' | b'/'));
        if !ends_value {
            continue;
        }
        out.push(StringBinding {
            name: &text[name_at..base + name.end()],
            value: literal_value(&text[start..end]),
        });
    }
    out
}

/// The name in the file's `package` clause.
fn package_clause<'t>(lexed: &Lexed<'t>) -> Option<&'t str> {
    PACKAGE_CLAUSE
        .captures_iter(lexed.text)
        .filter_map(|c| c.get(1))
        .find(|name| lexed.is_code(name.start()))
        .map(|name| name.as_str())
}

/// The string bindings of the package level (outside every function body and type or composite
/// literal), by name; a name bound there twice is left out.
fn package_constants(lexed: &Lexed) -> Vec<(String, String)> {
    let text = lexed.text;
    if !text.contains("const") && !text.contains("var") {
        return Vec::new();
    }
    // Only the text between the outermost blocks is read.
    let mut bindings = Vec::new();
    let mut from = 0;
    for (open, close) in lexed
        .outermost(b'{')
        .into_iter()
        .chain([(text.len(), text.len())])
    {
        bindings.extend(string_bindings(lexed, from..open));
        from = close + 1;
    }
    let mut out: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for binding in &bindings {
        if binding.value.len() > MAX_SHARED_VALUE_BYTES {
            continue;
        }
        out.entry(binding.name)
            .and_modify(|value| *value = None)
            .or_insert(Some(&binding.value));
    }
    out.into_iter()
        .filter_map(|(name, value)| Some((name.to_owned(), value?.to_owned())))
        .take(MAX_SHARED_CONSTANTS)
        .collect()
}

/// A function of the file, declared (`func name(…)`, `func (r *T) name(…)`) or a literal
/// (`func(…) {…}`), with a body.
struct Function<'t> {
    /// The declared name, and where it is written; `None` for a literal.
    name: Option<(&'t str, usize)>,
    /// Whether it is a method (its calls are `x.name(…)`).
    method: bool,
    /// The names of its parameters, in order (none when they are unnamed).
    params: Vec<&'t str>,
    /// The index of its variadic parameter (`opts ...T`), else the number of parameters.
    fixed: usize,
    /// Its body's braces.
    body: (usize, usize),
}

/// The functions of a file with their bodies, sorted by where the body opens.
fn functions<'t>(lexed: &Lexed<'t>) -> Vec<Function<'t>> {
    let text = lexed.text;
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for keyword in FUNC.find_iter(text) {
        if !lexed.is_code(keyword.start()) {
            continue;
        }
        let mut at = lexed.skip_trivia(keyword.end(), text.len());
        let mut method = false;
        let mut name = None;
        if bytes.get(at) == Some(&b'(') {
            // A receiver when a name and parameters follow it, else a literal's parameters.
            let Some(close) = lexed.close_of(at) else {
                continue;
            };
            let next = lexed.skip_trivia(close + 1, text.len());
            if let Some(m) = IDENTIFIER_START.find(&text[next..]) {
                let after = lexed.skip_trivia(next + m.end(), text.len());
                if matches!(bytes.get(after), Some(b'(' | b'[')) {
                    method = true;
                    name = Some((m.as_str(), next));
                    at = after;
                }
            }
        } else if let Some(m) = IDENTIFIER_START.find(&text[at..]) {
            name = Some((m.as_str(), at));
            at += m.end();
        } else {
            continue;
        }
        at = lexed.skip_trivia(at, text.len());
        if name.is_some() && bytes.get(at) == Some(&b'[') {
            // Type parameters.
            let Some(close) = lexed.close_of(at) else {
                continue;
            };
            at = lexed.skip_trivia(close + 1, text.len());
        }
        if bytes.get(at) != Some(&b'(') {
            continue;
        }
        let Some(params_close) = lexed.close_of(at) else {
            continue;
        };
        let Some(body) = body_after(lexed, params_close + 1) else {
            continue;
        };
        let (params, fixed) = parameters(lexed, at, params_close);
        out.push(Function {
            name,
            method,
            params,
            fixed,
            body,
        });
    }
    out.sort_by_key(|f| f.body.0);
    out
}

/// The braces of the body that follows a function's parameters (after its result types), if
/// it has one: `struct{…}` and `interface{…}` results are stepped over.
fn body_after(lexed: &Lexed, from: usize) -> Option<(usize, usize)> {
    let text = lexed.text;
    let bytes = text.as_bytes();
    let mut at = from;
    let limit = (from + BINDING_WINDOW).min(text.len());
    while at < limit {
        if !lexed.is_code(at) {
            return None;
        }
        match bytes[at] {
            b'{' => {
                let close = lexed.close_of(at)?;
                let word = text[from..at].trim_end();
                if word.ends_with("struct") || word.ends_with("interface") {
                    at = close + 1;
                    continue;
                }
                return Some((at, close));
            }
            b'(' | b'[' => at = lexed.close_of(at)? + 1,
            b'\n' | b';' | b',' | b')' | b'}' | b'=' | b'"' | b'`' => return None,
            _ => at += 1,
        }
    }
    None
}

/// The names of the parameters between the parentheses `open` and `close`, and the index of
/// the variadic one (else their number); none when the parameters are unnamed (`func(int,
/// string)`). Go names all or none: `name, desc string` names two.
fn parameters<'t>(lexed: &Lexed<'t>, open: usize, close: usize) -> (Vec<&'t str>, usize) {
    let text = lexed.text;
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut start = open + 1;
    let mut at = open + 1;
    while at < close {
        if lexed.is_code(at) {
            match text.as_bytes()[at] {
                b'(' | b'[' | b'{' => {
                    if let Some(end) = lexed.close_of(at).filter(|&c| c < close) {
                        at = end + 1;
                        continue;
                    }
                }
                b',' => {
                    pieces.push(lexed.trimmed(start..at));
                    start = at + 1;
                }
                _ => {}
            }
        }
        at += 1;
    }
    pieces.push(lexed.trimmed(start..close));
    if pieces.last().is_some_and(|last| last.is_empty()) {
        pieces.pop();
    }
    let named = pieces.iter().any(|piece| {
        NAMED_PARAMETER
            .captures(&text[piece.clone()])
            .and_then(|c| c.get(1))
            .is_some_and(|name| !TYPE_KEYWORDS.contains(&name.as_str()))
    });
    if !named {
        return (Vec::new(), 0);
    }
    let mut names = Vec::with_capacity(pieces.len());
    let mut fixed = pieces.len();
    for (index, piece) in pieces.iter().enumerate() {
        let written = &text[piece.clone()];
        let Some(m) = IDENTIFIER_START.find(written) else {
            return (Vec::new(), 0);
        };
        if written.contains("...") && fixed == pieces.len() {
            fixed = index;
        }
        names.push(&text[piece.start..piece.start + m.end()]);
    }
    (names, fixed)
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

/// A Go file being read: its lexed text, the names it imports MCP packages under, its string
/// bindings and its functions.
struct GoFile<'l, 't> {
    lexed: &'l Lexed<'t>,
    qualifiers: BTreeSet<String>,
    /// The packages the file imports other than MCP's, by qualifier, with their paths.
    packages: HashMap<String, &'l str>,
    strings: HashMap<&'t str, Option<String>>,
    /// Names the file declares other than by binding a string literal, parameters included
    /// (read when a name is not bound: such a name is no constant of another file).
    declared: OnceCell<HashSet<&'t str>>,
    functions: &'l [Function<'t>],
}

/// What a name or a text is.
#[derive(Debug, Clone, PartialEq)]
enum Value<'t> {
    Known(String),
    /// A name the file does not bind or declare: a package-level constant of another file of
    /// its package, if any; or an exported constant of a package it imports
    /// (`names.ToolRefund`).
    Constant(&'t str),
    /// A parameter of the named function around it, known at each call of that function.
    Parameter,
}

/// What names mean where a tool is declared: the functions around it (the innermost last),
/// whose parameters hide the file's bindings; and, for a tool read through one call of the
/// helper it is declared in, what that call passes for the helper's parameters (with where).
#[derive(Clone, Copy, Default)]
struct Scope<'s, 't> {
    frames: &'s [&'s Function<'t>],
    passed: Option<&'s HashMap<&'t str, (Value<'t>, Range<usize>)>>,
}

/// Where a tool is declared: an `mcp.NewTool(…)` call (`call`) or a `Tool` literal's fields,
/// between the brackets `open` and `close`.
#[derive(Clone)]
struct Site<'t> {
    call: bool,
    start: usize,
    binding: Option<&'t str>,
    open: usize,
    close: usize,
}

/// A tool found in the file, before its server is known.
struct FoundTool<'t> {
    /// Where its expression starts: a registration whose arguments hold it registers it.
    start: usize,
    /// The name the tool is bound to (`tool := mcp.NewTool(…)`): a registration that passes
    /// that name registers it.
    binding: Option<&'t str>,
    name: Value<'t>,
    name_at: Range<usize>,
    description: Option<Value<'t>>,
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
    /// when it is written out or is a name the file does not bind.
    fn constructions(&self) -> Vec<(Option<&'t str>, Option<Value<'t>>)> {
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
    ) -> Option<Value<'t>> {
        let scope = Scope::default();
        let written = &self.text()[first.clone()];
        if let Some((name, _)) = self.name_of(first.clone(), scope) {
            let implementation =
                matches!(name, Value::Constant(_)) && implementations.contains_key(written);
            if !implementation {
                return Some(name);
            }
        }
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
            .and_then(|(_, value)| self.name_of(value, scope))
            .map(|(name, _)| name)
    }

    /// The tools the file declares: at each declaration, and through each call of a helper
    /// function whose declaration takes the tool's name as a parameter.
    fn tools(&self) -> Vec<FoundTool<'t>> {
        let mut sites = self.new_tool_calls();
        sites.extend(self.tool_literals());
        sites.sort_by_key(|site| site.open);
        let mut out = Vec::new();
        // Templates by the body of their helper: each site with the functions around it.
        let mut templates: BTreeMap<usize, Vec<(Site<'t>, Vec<&Function<'t>>)>> = BTreeMap::new();
        // Function bodies nest like the brackets they are: a stack of those open at a site
        // holds the innermost last.
        let mut frames: Vec<&Function<'t>> = Vec::new();
        let mut next = 0;
        for site in sites {
            while let Some(f) = self.functions.get(next).filter(|f| f.body.0 < site.open) {
                while frames.last().is_some_and(|o| o.body.1 < f.body.0) {
                    frames.pop();
                }
                frames.push(f);
                next += 1;
            }
            while frames.last().is_some_and(|o| o.body.1 < site.open) {
                frames.pop();
            }
            let scope = Scope {
                frames: &frames,
                passed: None,
            };
            let Some(tool) = self.evaluate(&site, scope, None) else {
                continue;
            };
            if tool.name != Value::Parameter {
                out.push(tool);
            } else if let Some(helper) = frames.iter().rev().find(|f| f.name.is_some()) {
                templates
                    .entry(helper.body.0)
                    .or_default()
                    .push((site, frames.clone()));
            }
        }
        if !templates.is_empty() {
            out.extend(self.helper_tools(&templates));
        }
        out
    }

    /// The tools declared through calls of helper functions (`newTool("acme_refund", "Refund
    /// an order")` with `func newTool(name, desc string, …) mcp.Tool { return
    /// mcp.NewTool(name, mcp.WithDescription(desc), …) }`): each call's arguments stand for the
    /// helper's parameters. A method is called as `x.name(…)`, a function as `name(…)`; a name
    /// declared twice (methods of two types) is left out.
    fn helper_tools(
        &self,
        templates: &BTreeMap<usize, Vec<(Site<'t>, Vec<&Function<'t>>)>>,
    ) -> Vec<FoundTool<'t>> {
        let text = self.text();
        let mut helpers: HashMap<&str, Option<&Function<'t>>> = HashMap::new();
        for f in self.functions {
            if let Some((name, _)) = f.name {
                let entry = helpers.entry(name).or_insert(Some(f));
                if entry.is_some_and(|known| known.body != f.body) {
                    *entry = None;
                }
            }
        }
        let mut out = Vec::new();
        let mut budget = MAX_HELPER_BYTES;
        for c in CALL.captures_iter(text) {
            let (Some(name), Some(whole)) = (c.get(1), c.get(0)) else {
                continue;
            };
            let Some(Some(helper)) = helpers.get(name.as_str()) else {
                continue;
            };
            let Some(sites) = templates.get(&helper.body.0) else {
                continue;
            };
            let declaration = helper.name.is_some_and(|(_, at)| at == name.start());
            if declaration || !self.lexed.is_code(name.start()) {
                continue;
            }
            let selected = self
                .previous_code(name.start())
                .is_some_and(|at| text.as_bytes()[at] == b'.');
            if selected != helper.method {
                continue;
            }
            let open = whole.end() - 1;
            let Some(close) = self.lexed.close_of(open) else {
                continue;
            };
            let args = self.arguments(open, close);
            let passed: HashMap<&'t str, (Value<'t>, Range<usize>)> = helper.params[..helper.fixed]
                .iter()
                .zip(&args)
                .filter_map(|(param, arg)| Some((*param, self.argument(arg.clone())?)))
                .collect();
            let start = self.selector_start(name.start());
            let binding = self.binding_before(start);
            for (site, frames) in sites {
                let cost = site.close - site.open;
                if out.len() >= MAX_HELPER_TOOLS || cost > budget {
                    return out;
                }
                budget -= cost;
                let scope = Scope {
                    frames,
                    passed: Some(&passed),
                };
                if let Some(tool) = self.evaluate(site, scope, Some((start, binding)))
                    && tool.name != Value::Parameter
                {
                    out.push(tool);
                }
            }
        }
        out
    }

    /// What a call passes for a parameter: a string literal (where its body is), or a name
    /// bound to one or not bound in the file.
    fn argument(&self, arg: Range<usize>) -> Option<(Value<'t>, Range<usize>)> {
        self.name_of(arg, Scope::default())
    }

    /// Where the selector chain ending with the identifier at `at` starts (`h.tools.add` → `h`).
    fn selector_start(&self, at: usize) -> usize {
        let text = self.text().as_bytes();
        let mut start = at;
        while let Some(dot) = self.previous_code(start).filter(|&d| text[d] == b'.') {
            let Some(end) = self.previous_code(dot).filter(|&e| is_word_byte(text[e])) else {
                break;
            };
            let mut word = end;
            while word > 0 && is_word_byte(text[word - 1]) {
                word -= 1;
            }
            start = word;
        }
        start
    }

    /// The tool declared at `site` where names mean what `scope` says; `at_call` gives the
    /// start and binding of the helper call it is read through.
    fn evaluate(
        &self,
        site: &Site<'t>,
        scope: Scope<'_, 't>,
        at_call: Option<(usize, Option<&'t str>)>,
    ) -> Option<FoundTool<'t>> {
        let (start, binding) = at_call.unwrap_or((site.start, site.binding));
        if !site.call {
            return self.tool_of_fields(site.open, site.close, start, binding, scope);
        }
        let args = self.arguments(site.open, site.close);
        let (name, name_at) = self.name_of(args.first()?.clone(), scope)?;
        let mut description = args
            .get(1)
            .and_then(|a| self.text_of(a.clone(), false, scope));
        let mut annotations = None;
        for arg in args.iter().skip(1) {
            self.apply_option(arg.clone(), scope, true, &mut description, &mut annotations);
        }
        Some(FoundTool {
            start,
            binding,
            name,
            name_at,
            description,
            annotations,
        })
    }

    /// mcp-go's `mcp.NewTool(name, options…)` (and `NewToolWithRawSchema(name, description,
    /// schema)`; a library whose `NewTool` takes the description second is read the same way).
    fn new_tool_calls(&self) -> Vec<Site<'t>> {
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
            out.push(Site {
                call: true,
                start: package.start(),
                binding: self.binding_before(package.start()),
                open,
                close,
            });
        }
        out
    }

    /// What one option of `mcp.NewTool` sets: the description, or annotations (the hint options
    /// set one hint each; `WithToolAnnotation` replaces them all, as mcp-go does). With
    /// `spread`, the options of a slice literal spread into the call are read too
    /// (`append([]mcp.ToolOption{mcp.WithDescription(desc)}, opts...)...`).
    fn apply_option(
        &self,
        arg: Range<usize>,
        scope: Scope<'_, 't>,
        spread: bool,
        description: &mut Option<Value<'t>>,
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
                *description = self.text_of(inner, true, scope);
                return;
            }
            "WithToolAnnotation" => {
                *annotations = self.annotation_literal(inner);
                return;
            }
            "append" if spread => {
                let Some(first) = self.arguments(open, close).into_iter().next() else {
                    return;
                };
                let Some(m) = OPTION_SLICE.find(&self.text()[first.clone()]) else {
                    return;
                };
                let brace = first.start + m.end() - 1;
                let Some(end) = self.lexed.close_of(brace) else {
                    return;
                };
                for option in self.arguments(brace, end) {
                    self.apply_option(option, scope, false, description, annotations);
                }
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
    fn tool_literals(&self) -> Vec<Site<'t>> {
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
                out.push(Site {
                    call: false,
                    start,
                    binding,
                    open,
                    close,
                });
                continue;
            }
            for element in self.arguments(open, close) {
                let brace = element.start;
                if text.as_bytes()[brace] == b'{'
                    && let Some(end) = self.lexed.close_of(brace)
                {
                    out.push(Site {
                        call: false,
                        start: brace,
                        binding,
                        open: brace,
                        close: end,
                    });
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
        scope: Scope<'_, 't>,
    ) -> Option<FoundTool<'t>> {
        let mut name = None;
        let mut description = None;
        let mut annotations = None;
        for (key, value) in self.fields(open, close) {
            match key {
                "Name" => name = self.name_of(value, scope),
                "Description" => description = self.text_of(value, true, scope),
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

    /// A tool's name: a string literal written out whole, or a name (what it means in
    /// `scope`); with the offsets of what names it (the literal's body, the name, or what a
    /// helper's call passes for it).
    fn name_of(
        &self,
        range: Range<usize>,
        scope: Scope<'_, 't>,
    ) -> Option<(Value<'t>, Range<usize>)> {
        let range = self.lexed.trimmed(range);
        if let Some(value) = self.literal(range.clone()) {
            return Some((Value::Known(value), range.start + 1..range.end - 1));
        }
        let written = &self.text()[range.clone()];
        if IDENTIFIER.is_match(written) {
            let (value, passed_at) = self.lookup(written, scope)?;
            return Some((value, passed_at.unwrap_or(range)));
        }
        if self.is_imported_constant(written) {
            return Some((Value::Constant(written), range));
        }
        // A conversion of a typed constant: `string(ToolEcho)`.
        let m = STRING_CONVERSION.find(written)?;
        let open = range.start + m.end() - 1;
        if self.lexed.close_of(open) != Some(range.end - 1) {
            return None;
        }
        let inner = self.lexed.trimmed(open + 1..range.end - 1);
        let name = &self.text()[inner.clone()];
        if !IDENTIFIER.is_match(name) {
            return None;
        }
        let (value, passed_at) = self.lookup(name, scope)?;
        Some((value, passed_at.unwrap_or(inner)))
    }

    /// What a name means in `scope`: a parameter of the functions around (what a helper's call
    /// passes for it, with where), else the string the file binds it to, else a constant of
    /// another file when the file does not declare it.
    fn lookup(
        &self,
        name: &'t str,
        scope: Scope<'_, 't>,
    ) -> Option<(Value<'t>, Option<Range<usize>>)> {
        for frame in scope.frames.iter().rev() {
            let Some(index) = frame.params.iter().position(|p| *p == name) else {
                continue;
            };
            if frame.name.is_none() || index >= frame.fixed {
                return None;
            }
            return match scope.passed {
                Some(passed) => passed
                    .get(name)
                    .map(|(value, at)| (value.clone(), Some(at.clone()))),
                None => Some((Value::Parameter, None)),
            };
        }
        match self.strings.get(name) {
            Some(value) => Some((Value::Known(value.clone()?), None)),
            None => (!self.declared().contains(name)).then_some((Value::Constant(name), None)),
        }
    }

    /// Whether `written` is an exported name of a package the file imports (`names.ToolRefund`),
    /// its qualifier no name of the file.
    fn is_imported_constant(&self, written: &str) -> bool {
        QUALIFIED_EXPORT.captures(written).is_some_and(|c| {
            let qualifier = c.get(1).map_or("", |m| m.as_str());
            self.packages.contains_key(qualifier) && !self.declared().contains(qualifier)
        })
    }

    /// The names the file declares other than by binding a string literal (see `declared`).
    fn declared(&self) -> &HashSet<&'t str> {
        self.declared.get_or_init(|| {
            let text = self.text();
            let mut out: HashSet<&'t str> = HashSet::new();
            for c in DECLARATION.captures_iter(text) {
                let Some(m) = c.get(1).or(c.get(2)) else {
                    continue;
                };
                if self.lexed.is_code(m.start()) {
                    out.extend(m.as_str().split(',').map(str::trim));
                }
            }
            for f in self.functions {
                out.extend(f.params.iter().copied());
                out.extend(f.name.map(|(name, _)| name));
            }
            out
        })
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

    /// A text from string literals and names (what they mean in `scope`) joined by `+`; with
    /// `calls`, a term may also be a translation helper's call (`t("KEY", "default")`), which
    /// gives its default. A name alone may be a constant of another file or a parameter.
    fn text_of(&self, range: Range<usize>, calls: bool, scope: Scope<'_, 't>) -> Option<Value<'t>> {
        let text = self.text();
        let terms = self.split(range, b'+');
        if let [term] = &terms[..] {
            let term = self.lexed.trimmed(term.clone());
            let written = &text[term];
            if IDENTIFIER.is_match(written) {
                return self.lookup(written, scope).map(|(value, _)| value);
            }
            if self.is_imported_constant(written) {
                return Some(Value::Constant(written));
            }
        }
        let mut out = String::new();
        for term in terms {
            let term = self.lexed.trimmed(term);
            if let Some(value) = self.literal(term.clone()) {
                out.push_str(&value);
                continue;
            }
            let written = &text[term.clone()];
            if IDENTIFIER.is_match(written) {
                match self.lookup(written, scope)? {
                    (Value::Known(value), _) => out.push_str(&value),
                    _ => return None,
                }
                continue;
            }
            if !calls {
                return None;
            }
            out.push_str(&self.translation(term, scope)?);
        }
        Some(Value::Known(out))
    }

    /// The default text of a translation helper's call that is all of `range`
    /// (`t("TOOL_REFUND_DESCRIPTION", "Refund an order")`): its last argument, a literal or a
    /// name known in `scope`, after keys made of literals, names and calls joined by `+`
    /// that start with a literal (`"TOOL_" + strings.ToUpper(name)`). A format
    /// (`fmt.Sprintf("%s", …)`) is none.
    fn translation(&self, range: Range<usize>, scope: Scope<'_, 't>) -> Option<String> {
        let text = self.text();
        let m = OPTION_CALL.find(&text[range.clone()])?;
        let open = range.start + m.end() - 1;
        if self.lexed.close_of(open) != Some(range.end - 1) {
            return None;
        }
        let args = self.arguments(open, range.end - 1);
        let (last, keys) = args.split_last()?;
        let key_terms: Vec<Range<usize>> = keys
            .iter()
            .flat_map(|key| self.split(key.clone(), b'+'))
            .map(|term| self.lexed.trimmed(term))
            .collect();
        let is_format = |key: String| key.contains('%');
        if let Some(first) = key_terms.first()
            && self.literal(first.clone()).is_none_or(is_format)
        {
            return None;
        }
        let is_key = |term: &Range<usize>| {
            let written = &text[term.clone()];
            self.literal(term.clone()).is_some()
                || IDENTIFIER.is_match(written)
                || OPTION_CALL.find(written).is_some_and(|m| {
                    self.lexed.close_of(term.start + m.end() - 1) == Some(term.end - 1)
                })
        };
        if !key_terms.iter().all(is_key) {
            return None;
        }
        if let Some(value) = self.literal(last.clone()) {
            return Some(value);
        }
        let written = &text[last.clone()];
        match IDENTIFIER
            .is_match(written)
            .then(|| self.lookup(written, scope))??
        {
            (Value::Known(value), _) => Some(value),
            _ => None,
        }
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

    /// A pending tool: its name, the constant of its name, its description, the constant of
    /// its description, its provider.
    type Pending<'a> = (
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        &'a str,
    );

    fn pending(found: &SourceTools) -> Vec<Pending<'_>> {
        let scope = found.go_scope.as_deref().expect("a package scope");
        scope
            .pending
            .iter()
            .map(|p| {
                (
                    p.tool.name.as_str(),
                    p.name.as_deref(),
                    p.tool.description.as_deref(),
                    p.description.as_deref(),
                    p.tool.provider.as_deref().unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn names_the_file_does_not_bind_wait_for_the_package() {
        let src = r#"package billing

import (
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

const statusName = "acme_status"

func Serve(cfg Config) {
	s := server.NewMCPServer(ServerName, "1.0.0")
	s.AddTool(mcp.NewTool(ToolRefund, mcp.WithDescription(RefundDescription)), refund)
	s.AddTool(mcp.NewTool(statusName, mcp.WithDescription(StatusDescription)), status)
	s.AddTool(mcp.NewTool("acme_ping", mcp.WithDescription("Ping " + Suffix)), ping)
	s.AddTool(mcp.NewTool(string(ToolEcho)), echo)
	configured := cfg.ToolName
	s.AddTool(mcp.NewTool(configured), h)
	var declared string
	s.AddTool(mcp.NewTool(declared), h)
	for _, ranged := range cfg.Names {
		s.AddTool(mcp.NewTool(ranged), h)
	}
}
"#;
        let found = go(src, "serve");
        // The server stands under the file's stem until its constant is known.
        assert_eq!(found.servers, ["serve"]);
        assert_eq!(ids(&found.tools), [("mcp:serve/acme_ping", 14, false)]);
        assert_eq!(found.tools[0].description, None);
        let scope = found.go_scope.as_deref().unwrap();
        assert_eq!(scope.package, "billing");
        let server = scope.server_constant.as_ref().unwrap();
        assert_eq!(
            (server.constant.as_str(), server.placeholder.as_str()),
            ("ServerName", "serve")
        );
        assert_eq!(
            scope.constants,
            [("statusName".to_owned(), "acme_status".to_owned())]
        );
        assert_eq!(
            pending(&found),
            [
                (
                    "ToolRefund",
                    Some("ToolRefund"),
                    None,
                    Some("RefundDescription"),
                    "mcp:serve"
                ),
                (
                    "acme_status",
                    None,
                    None,
                    Some("StatusDescription"),
                    "mcp:serve"
                ),
                ("ToolEcho", Some("ToolEcho"), None, None, "mcp:serve"),
            ]
        );
        // The stem stands for one server named by a constant, or for none.
        let header = "package billing\n\nimport \"github.com/mark3labs/mcp-go/server\"\n\n";
        for servers in [
            "var a = server.NewMCPServer(ServerName, \"1\")\nvar b = server.NewMCPServer(version(), \"1\")\n",
            "var a = server.NewMCPServer(ServerName, \"1\")\nvar b = server.NewMCPServer(OtherName, \"1\")\n",
            "var a = server.NewMCPServer(ServerName, \"1\")\nvar b = server.NewMCPServer(\"serve\", \"1\")\n",
        ] {
            let found = go(&format!("{header}{servers}"), "serve");
            assert_eq!(found.servers, ["serve"]);
            assert!(found.go_scope.is_none(), "{servers}");
        }
        let span = scope.pending[0].tool.span.unwrap();
        assert_eq!(
            (span.line, &src[span.offset..span.offset + span.len]),
            (12, "ToolRefund")
        );
    }

    #[test]
    fn a_name_converted_to_string_is_the_constant_s_value() {
        let src = "package main\n\nimport \"github.com/mark3labs/mcp-go/mcp\"\n\ntype ToolName string\n\nconst (\n\tECHO ToolName = \"echo\"\n)\n\nvar echo = mcp.NewTool(string( ECHO ))\nvar sum = mcp.NewTool(string(ECHO + \"x\"))\n";
        let found = go(src, "main");
        assert_eq!(ids(&found.tools), [("mcp:main/echo", 11, true)]);
        let span = found.tools[0].span.unwrap();
        assert_eq!(&src[span.offset..span.offset + span.len], "ECHO");
    }

    #[test]
    fn exported_names_of_imported_packages_wait_for_those_packages() {
        let src = r#"package main

import (
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	names "github.com/acme/ops/internal/names"
	"github.com/acme/ops/internal/text"
)

func main() {
	s := server.NewMCPServer("acme-ops", "1.0.0")
	s.AddTool(mcp.NewTool(names.ToolRefund, mcp.WithDescription(text.Refund)), refund)
	s.AddTool(mcp.NewTool(names.unexported), refund)
	s.AddTool(mcp.NewTool(other.ToolVoid), refund)
	cfg := names.Config{}
	s.AddTool(mcp.NewTool(cfg.Name), refund)
}
"#;
        let found = go(src, "main");
        assert_eq!(
            pending(&found),
            [(
                "names.ToolRefund",
                Some("names.ToolRefund"),
                None,
                Some("text.Refund"),
                "mcp:acme-ops"
            )]
        );
        let imported: Vec<(&str, &str)> = (found.go_scope.as_deref().unwrap().imported.iter())
            .map(|(qualifier, path)| (qualifier.as_str(), path.as_str()))
            .collect();
        assert_eq!(
            imported,
            [
                ("names", "github.com/acme/ops/internal/names"),
                ("text", "github.com/acme/ops/internal/text")
            ]
        );
    }

    #[test]
    fn a_file_shares_its_package_level_constants_whatever_it_declares() {
        let src = "package billing\n\n// Names of the billing tools.\nconst (\n\tToolRefund = \"acme_refund\"\n\tToolVoid   ToolName = `acme_void`\n\tcomputed   = prefix + \"x\"\n)\n\nvar RefundDescription = \"Refund an order\"\nvar twice = \"a\"\nvar twice = \"b\"\n\nfunc f() {\n\tlocal := \"inside\"\n\tconst alsoLocal = \"inside\"\n}\n\nvar table = map[string]string{\"k\": \"v\"}\n";
        let found = go(src, "names");
        assert!(found.tools.is_empty() && found.imports.is_empty());
        assert!(!found.is_empty());
        let scope = found.go_scope.as_deref().unwrap();
        assert_eq!(scope.package, "billing");
        let constants: Vec<(&str, &str)> = scope
            .constants
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        assert_eq!(
            constants,
            [
                ("RefundDescription", "Refund an order"),
                ("ToolRefund", "acme_refund"),
                ("ToolVoid", "acme_void"),
            ]
        );
        // A file with no package-level constant and nothing pending shares nothing.
        let src = "package billing\n\nfunc f() { local := \"inside\" }\n";
        assert!(go(src, "f").go_scope.is_none());
    }

    #[test]
    fn tools_built_by_helper_functions_are_read_at_each_call() {
        let src = r#"package main

import (
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// newTool builds a tool with the options every tool has.
func newTool(name, desc string, opts ...mcp.ToolOption) mcp.Tool {
	return mcp.NewTool(name, append([]mcp.ToolOption{mcp.WithDescription(desc)}, opts...)...)
}

type registry struct{ s *server.MCPServer }

func (r *registry) readOnly(name string, title string) *mcp.Tool {
	return &mcp.Tool{Name: name, Description: t("TOOL_"+strings.ToUpper(name)+"_DESCRIPTION", title)}
}

func main() {
	s := server.NewMCPServer("acme-shop", "1.0.0")
	s.AddTool(newTool("acme_refund", "Refund an order", mcp.WithDestructiveHintAnnotation(true)), refund)
	s.AddTool(newTool(voidName, "Void an invoice"), void)
	r := &registry{s: s}
	s.AddTool(*r.readOnly("acme_orders", "List the orders"), orders)
	s.AddTool(newTool(fmt.Sprintf("acme_%s", kind), "Made at run time"), h)
	s.AddTool(readOnly("not_a_method_call", "x"), h)
	s.AddTool(mcp.NewTool("acme_format", mcp.WithDescription(fmt.Sprintf("Get %s", "x"))), h)
	name := "outer"
	inner := func(name string) mcp.Tool { return mcp.NewTool(name) }
	_ = inner("from_a_closure")
}
"#;
        let found = go(src, "main");
        assert_eq!(
            ids(&found.tools),
            [
                ("mcp:acme-shop/acme_refund", 23, false),
                ("mcp:acme-shop/acme_orders", 26, false),
                ("mcp:acme-shop/acme_format", 29, false),
            ]
        );
        let descriptions: Vec<Option<&str>> = found
            .tools
            .iter()
            .map(|t| t.description.as_deref())
            .collect();
        assert_eq!(
            descriptions,
            [Some("Refund an order"), Some("List the orders"), None]
        );
        // The span is the literal the call passes.
        let span = found.tools[0].span.unwrap();
        assert_eq!(&src[span.offset..span.offset + span.len], "acme_refund");
        // A name held in a constant of another file waits for the package.
        assert_eq!(
            pending(&found),
            [(
                "voidName",
                Some("voidName"),
                Some("Void an invoice"),
                None,
                "mcp:acme-shop"
            )]
        );
    }

    #[test]
    fn a_helper_declared_twice_or_passed_no_literal_declares_nothing() {
        let src = r#"package tools

import "github.com/mark3labs/mcp-go/mcp"

type a struct{}
type b struct{}

func (a) tool(name string) mcp.Tool { return mcp.NewTool(name) }
func (b) tool(name string) mcp.Tool { return mcp.NewTool(name) }

func build(name string) mcp.Tool { return mcp.NewTool(name) }

func use(x a, names []string) {
	_ = x.tool("ambiguous")
	_ = build(names[0])
	_ = build(build)
	_ = other.build("another_package")
}
"#;
        let found = go(src, "tools");
        assert!(found.tools.is_empty(), "{:?}", ids(&found.tools));
        assert!(found.go_scope.is_none());
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
            "func ",
            "func (r *T) h(name, desc string, opts ...mcp.ToolOption) ",
            "h(",
            "r.h(",
            "append([]mcp.ToolOption{",
            "opts...)...",
            "package x\n",
            "const (",
            "Name: name",
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
            "func f(name string) mcp.Tool { return mcp.NewTool(name) }\n".to_owned()
                + &"f(\"a\")\n".repeat(100_000),
            format!(
                "func f(name string) {{ {} }}\n{}",
                "mcp.NewTool(name, mcp.WithDescription(\"d\")); ".repeat(2_000),
                "f(\"a\")\n".repeat(20_000)
            ),
            "func f(a string) {}\n".repeat(50_000),
            "func (".repeat(50_000),
            "func f(".repeat(50_000) + &")".repeat(50_000),
            "const x = \"a\"\n".repeat(100_000),
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
