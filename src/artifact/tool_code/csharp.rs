//! Agent tools in C# source: methods with the ModelContextProtocol SDK's `[McpServerTool]`
//! attribute (in `[McpServerToolType]` classes or registered with `WithTools<T>()`), tools made
//! by `McpServerTool.Create(…, new McpServerToolCreateOptions { Name = … })`, and Semantic
//! Kernel plugin methods with `[KernelFunction]`. The MCP servers a file builds are its
//! `AddMcpServer(…)`, `McpServer.Create(…)` and `McpServerFactory.Create(…)` calls, named by
//! the `ServerInfo = new … { Name = … }` the file sets; a server the file leaves unnamed is
//! named after its assembly at run time, which is the project's (`SourceTools::unnamed_server`).
//!
//! Tools are named as the libraries name them at run time. The MCP SDK takes `Name` when the
//! attribute sets it, else the method's name without an `Async` suffix when it returns a
//! `Task`, `ValueTask` or `IAsyncEnumerable`, anything but ASCII letters and digits made `_`,
//! in `JsonNamingPolicy.SnakeCaseLower` (`GetOrderAsync` is `get_order`; since 0.3.0-preview.2,
//! July 2025: earlier previews kept the method's name). Semantic Kernel takes the name the
//! attribute gives (`[KernelFunction("get_order")]`), else the method's name with anything but
//! ASCII letters, digits and `_` made `_` and the same `Async` rule, in its own case
//! (`GetOrderAsync` is `GetOrder`). Descriptions are the method's `[Description("…")]`; an MCP
//! tool method without one that is `partial` takes the `<summary>` (and `<remarks>`) of its
//! `///` documentation comment, as the SDK's source generator writes it into a `[Description]`
//! for partial methods only (`doc`). Semantic Kernel reads no documentation comments.
//!
//! Which server serves a tool is discovery's answer (`agent::code_servers`); this module gives
//! it the class each MCP tool is declared in, what the file's `WithTools<T>()`,
//! `WithTools([typeof(T)])` and `WithToolsFromAssembly(…)` calls register, the methods its
//! servers' builders call by name (`AddMcpServer().WithAcmeTools()`, or on a variable holding
//! the builder) and the extension methods on `IMcpServerBuilder` it declares with what each
//! registers.
//!
//! Read lexically (`script_lex`, C# dialect), never compiled: an attribute section counts only
//! where it starts in code, so a tool in a comment, a string or a verbatim string is example
//! text. Names and descriptions are string literals (regular, verbatim, raw, interpolated
//! without holes), concatenations of them, `nameof(…)` and `const string` fields of the same
//! file; a tool named by anything else (a constant of another file) is not statically known and
//! is skipped.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::LazyLock;

use crate::pattern::Pattern;

use super::{BuilderExtension, SourceTools, ToolClass, ToolRegistrations};
use crate::artifact::escapes::decode_csharp;
use crate::artifact::script_lex::{Class, Dialect as Syntax, Lexed};
use crate::artifact::text::TextSpan;
use crate::artifact::tool_json::{Annotations, Dialect, ToolDecl, short_description};

mod doc;

/// Bytes after its attributes searched for a method's name.
const MAX_DECLARATION_BYTES: usize = 4096;
/// Constants followed from a name to its value (`Refund = Prefix + "refund"`).
const MAX_CONSTANT_DEPTH: usize = 8;
/// A constant string longer than this is no name or description to read.
const MAX_VALUE_BYTES: usize = 4096;

/// The return types whose methods lose an `Async` suffix in both libraries.
const ASYNC_TYPES: &[&str] = &["IAsyncEnumerable", "Task", "ValueTask"];
/// Modifiers that may precede a method's return type; sorted.
const MODIFIERS: &[&str] = &[
    "abstract",
    "async",
    "extern",
    "file",
    "internal",
    "new",
    "override",
    "partial",
    "private",
    "protected",
    "public",
    "readonly",
    "required",
    "sealed",
    "static",
    "unsafe",
    "virtual",
];

/// `const string Name =`: group 1 the constant.
static STRING_CONST: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\bconst\s+string\s+([A-Za-z_][A-Za-z0-9_]*)\s*=").expect("valid regex")
});
/// A call that builds an MCP server.
static SERVER_BUILDER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b(?:AddMcpServer|McpServerFactory\s*\.\s*Create|McpServer\s*\.\s*Create)\s*\(")
        .expect("valid regex")
});
/// `ServerInfo = new`: the server's name follows in the initializer.
static SERVER_INFO: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\bServerInfo\s*=\s*new\b").expect("valid regex"));
/// `McpServerTool.Create(`.
static TOOL_CREATE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\bMcpServerTool\s*\.\s*Create\s*\(").expect("valid regex"));
/// `WithTools<` or `WithTools(` (group 1 empty), `WithToolsFromAssembly(` (group 1 set).
static WITH_TOOLS: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\bWithTools(FromAssembly)?\s*[<(]").expect("valid regex"));
/// `(this IMcpServerBuilder builder`: the first parameter of an extension method on the MCP
/// server builder, from the `(` of its parameter list; group 1 the parameter's name.
static BUILDER_EXTENSION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"\(\s*this\s+(?:global\s*::\s*)?(?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)*IMcpServerBuilder\s+@?([A-Za-z_][A-Za-z0-9_]*)\b",
    )
    .expect("valid regex")
});
/// The statement that holds a server's builder in a variable, up to the builder's call
/// (`var mcp = builder.Services.`): group 1 the variable.
static HELD_BUILDER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"^(?:[A-Za-z_][A-Za-z0-9_.]*\s+)?@?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*[A-Za-z0-9_.()\s]*$",
    )
    .expect("valid regex")
});
/// A type declaration: group 1 its name (`record struct Name` too).
static TYPE_DECLARATION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"\b(?:class|struct|record|interface)\s+(?:(?:class|struct)\s+)?@?([A-Za-z_][A-Za-z0-9_]*)",
    )
    .expect("valid regex")
});
/// Words after `class` in a generic constraint (`where T : class where U : …`), no type names.
const NOT_TYPE_NAMES: &[&str] = &["new", "where"];

/// The tools, servers and unnamed server of a C# source (no imports: a C# file names
/// namespaces, not files).
pub(super) fn scan(text: &str, stem: &str) -> SourceTools {
    if !["McpServer", "KernelFunction", "WithTools"]
        .iter()
        .any(|marker| text.contains(marker))
    {
        return SourceTools::default();
    }
    let source = Source::new(text);
    let (mut named, builds) = source.servers();
    named.sort();
    named.dedup();
    let unnamed = builds && named.is_empty();
    // The file's own server when it builds exactly one it names; else discovery decides.
    let own = match named.as_slice() {
        [one] => Some(one.as_str()),
        _ => None,
    };
    let server = own.unwrap_or(stem);
    let groups = source.attribute_groups();
    let classes = source.classes(&groups);
    let mut tools = Vec::new();
    for tool in source
        .attributed_tools(&groups, &classes)
        .into_iter()
        .chain(source.created_tools())
    {
        let mcp = tool.dialect == Dialect::CsharpMcpServerTool;
        let decl = ToolDecl {
            id: if mcp {
                format!("mcp:{server}/{}", tool.name)
            } else {
                format!("fn:{}", tool.name)
            },
            name: tool.name,
            provider: mcp.then(|| format!("mcp:{server}")),
            dialect: tool.dialect,
            description: tool.description.map(|d| short_description(&d)),
            annotations: tool.annotations,
            auto_approved: None,
            url: None,
            span: Some(TextSpan::at(text, tool.at.start, tool.at.len())),
            server_elsewhere: mcp && own.is_none(),
        };
        tools.push((decl, tool.class));
    }
    tools.sort_by_key(|(t, _)| t.span.map(|s| s.offset));
    let mut tool_classes: Vec<ToolClass> = Vec::new();
    for (index, (_, class)) in tools.iter().enumerate() {
        let Some(class) = class.and_then(|c| classes.get(c)) else {
            continue;
        };
        match tool_classes.iter_mut().find(|c| c.name == class.name) {
            Some(known) => {
                known.tool_type |= class.tool_type;
                known.tools.push(index);
            }
            None => tool_classes.push(ToolClass {
                name: class.name.to_owned(),
                tool_type: class.tool_type,
                tools: vec![index],
            }),
        }
    }
    let mut servers = named;
    if unnamed {
        servers.push(stem.to_owned());
    }
    SourceTools {
        tools: tools.into_iter().map(|(t, _)| t).collect(),
        servers,
        imports: Vec::new(),
        unnamed_server: unnamed.then(|| stem.to_owned()),
        tool_classes,
        registrations: source.registrations(),
        links: Default::default(),
        go_scope: None,
        python_links: None,
        ..SourceTools::default()
    }
}

/// A tool as the file declares it, before it is given its server.
struct Found {
    name: String,
    dialect: Dialect,
    description: Option<String>,
    annotations: Option<Annotations>,
    /// What the span points at: the method's name, or the `Name` value of a created tool.
    at: Range<usize>,
    /// The class an MCP tool method is declared in: an index into `Source::classes`.
    class: Option<usize>,
}

/// A class, struct or record of the file.
struct TypeDecl<'t> {
    name: &'t str,
    /// The `{` of its body.
    body: usize,
    /// It carries `[McpServerToolType]`.
    tool_type: bool,
}

/// `[target: A, B(args)]`: an attribute section.
struct Section<'t> {
    open: usize,
    close: usize,
    target: Option<&'t str>,
    attributes: Vec<Attribute<'t>>,
}

struct Attribute<'t> {
    /// The last part of its name, without an `Attribute` suffix.
    name: &'t str,
    /// Its arguments, trimmed (empty without parentheses).
    args: Vec<Range<usize>>,
}

/// The method an attribute group stands on.
struct Method {
    name: Range<usize>,
    /// Its return type is a `Task`, a `ValueTask` or an `IAsyncEnumerable`.
    returns_async: bool,
    /// It is declared `partial`.
    partial: bool,
}

/// A lexed C# file and its `const string` fields.
struct Source<'t> {
    lexed: Lexed<'t>,
    /// Each constant's value expression; `None` for a name declared twice.
    constants: BTreeMap<&'t str, Option<Range<usize>>>,
    /// The values of the constants worked out so far, each worked out once.
    values: RefCell<BTreeMap<&'t str, String>>,
}

impl<'t> Source<'t> {
    fn new(text: &'t str) -> Source<'t> {
        let lexed = Lexed::of(text, Syntax::CSharp);
        let mut constants: BTreeMap<&str, Option<Range<usize>>> = BTreeMap::new();
        for c in STRING_CONST.captures_iter(text) {
            let (Some(whole), Some(name)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if !lexed.is_code(whole.start()) {
                continue;
            }
            let value = whole.end()..expression_end(&lexed, whole.end());
            constants
                .entry(name.as_str())
                .and_modify(|known| {
                    if known.as_ref().map(|r| lexed.text[r.clone()].trim())
                        != Some(lexed.text[value.clone()].trim())
                    {
                        *known = None;
                    }
                })
                .or_insert(Some(value));
        }
        Source {
            lexed,
            constants,
            values: RefCell::default(),
        }
    }

    fn text(&self) -> &'t str {
        self.lexed.text
    }

    fn bytes(&self) -> &'t [u8] {
        self.lexed.text.as_bytes()
    }

    fn skip(&self, at: usize, limit: usize) -> usize {
        self.lexed.skip_trivia(at, limit)
    }

    /// The names of the servers the file names in code, and whether it builds a server.
    fn servers(&self) -> (Vec<String>, bool) {
        let text = self.text();
        let in_code = |m: &crate::pattern::Match| self.lexed.is_code(m.start());
        let builds = SERVER_BUILDER.find_iter(text).any(|m| in_code(&m));
        let mut named = Vec::new();
        for m in SERVER_INFO.find_iter(text).filter(in_code) {
            let Some(inside) = self.initializer(m.end()) else {
                continue;
            };
            if let Some(name) = self
                .assignments(inside)
                .into_iter()
                .find(|(key, _)| *key == "Name")
                .and_then(|(_, value)| self.string_value(value, 0))
            {
                named.push(name);
            }
        }
        (named, builds)
    }

    /// The attribute sections of the file, each run of adjacent ones a group.
    fn attribute_groups(&self) -> Vec<Vec<Section<'t>>> {
        let mut groups: Vec<Vec<Section>> = Vec::new();
        let mut inside_until = 0;
        for open in memchr::memchr_iter(b'[', self.bytes()) {
            if open < inside_until || !self.lexed.is_code(open) {
                continue;
            }
            let Some(section) = self.section(open) else {
                continue;
            };
            inside_until = section.close;
            match groups.last_mut() {
                Some(group)
                    if group
                        .last()
                        .is_some_and(|last| self.skip(last.close + 1, open) == open) =>
                {
                    group.push(section);
                }
                _ => groups.push(vec![section]),
            }
        }
        groups
    }

    /// The classes, structs and records of the file, and which carry `[McpServerToolType]`.
    fn classes(&self, groups: &[Vec<Section>]) -> Vec<TypeDecl<'t>> {
        let text = self.text();
        // Where the keyword of each type declared after a `[McpServerToolType]` starts.
        let mut tool_types = BTreeSet::new();
        for group in groups {
            let marked = group
                .iter()
                .filter(|s| matches!(s.target, None | Some("type")))
                .flat_map(|s| &s.attributes)
                .any(|a| a.name == "McpServerToolType");
            if let Some(last) = group.last().filter(|_| marked) {
                let mut at = self.skip(last.close + 1, text.len());
                while let Some(word) = self.ident_at(at) {
                    if MODIFIERS.binary_search(&&text[word.clone()]).is_err() {
                        tool_types.insert(at);
                        break;
                    }
                    at = self.skip(word.end, text.len());
                }
            }
        }
        let mut out = Vec::new();
        for c in TYPE_DECLARATION.captures_iter(text) {
            let (Some(whole), Some(name)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if !self.lexed.is_code(whole.start()) || NOT_TYPE_NAMES.contains(&name.as_str()) {
                continue;
            }
            if let Some(body) = self.body_after(name.end()) {
                out.push(TypeDecl {
                    name: name.as_str(),
                    body,
                    tool_type: tool_types.contains(&whole.start()),
                });
            }
        }
        out
    }

    /// The `{` that opens the body of the type whose name ends at `at`, past its type
    /// parameters, primary constructor, base types and constraints; `None` for a body-less
    /// `record R(…);`.
    fn body_after(&self, mut at: usize) -> Option<usize> {
        let bytes = self.bytes();
        let limit = (at + MAX_DECLARATION_BYTES).min(bytes.len());
        while at < limit {
            if self.lexed.is_code(at) {
                match bytes[at] {
                    b'{' => return Some(at),
                    b'(' | b'[' => at = self.lexed.close_of(at)?,
                    b';' | b'}' | b')' | b']' | b'=' => return None,
                    _ => {}
                }
            }
            at += 1;
        }
        None
    }

    /// The type whose body holds `at` most closely: an index into `classes`.
    fn class_of(&self, at: usize, classes: &[TypeDecl]) -> Option<usize> {
        let mut inner = at;
        while let Some(open) = self.lexed.enclosing(inner) {
            if let Some(i) = classes.iter().position(|c| c.body == open) {
                return Some(i);
            }
            inner = open;
        }
        None
    }

    /// Tools declared by attributes on methods: `[McpServerTool]` and `[KernelFunction]`.
    fn attributed_tools(&self, groups: &[Vec<Section>], classes: &[TypeDecl]) -> Vec<Found> {
        let mut out = Vec::new();
        for group in groups {
            let attributes: Vec<&Attribute> = group
                .iter()
                .filter(|s| matches!(s.target, None | Some("method")))
                .flat_map(|s| &s.attributes)
                .collect();
            let find = |name: &str| attributes.iter().find(|a| a.name == name);
            let (tool, function) = (find("McpServerTool"), find("KernelFunction"));
            if tool.is_none() && function.is_none() {
                continue;
            }
            let Some(last) = group.last() else {
                continue;
            };
            let Some(method) = self.method_at(last.close + 1) else {
                continue;
            };
            let description = find("Description")
                .and_then(|d| d.args.first())
                .and_then(|arg| self.string_value(self.positional(arg.clone()), 0));
            let method_name = &self.text()[method.name.clone()];
            if let Some(tool) = tool {
                let description = match &description {
                    None if method.partial => group
                        .first()
                        .and_then(|first| doc::description(&self.doc_comment(first.open))),
                    _ => description.clone(),
                };
                let assigned = self.assigned_args(&tool.args);
                let name = match assigned.get("Name") {
                    Some(value) if !self.is_null(value) => self.string_value(value.clone(), 0),
                    _ => Some(mcp_default_name(method_name, method.returns_async)),
                };
                // An empty name is refused by the SDK at run time.
                if let Some(name) = name.filter(|name| !name.is_empty()) {
                    out.push(Found {
                        name,
                        dialect: Dialect::CsharpMcpServerTool,
                        description,
                        annotations: self.annotations(&assigned),
                        at: method.name.clone(),
                        class: self.class_of(method.name.start, classes),
                    });
                }
            }
            if let Some(function) = function {
                // The name given, trimmed; a null, empty or blank one names nothing.
                let given = match function.args.first() {
                    Some(arg) if !self.is_null(arg) => {
                        // A name that is not statically known names the function unknowably.
                        let Some(name) = self.string_value(self.positional(arg.clone()), 0) else {
                            continue;
                        };
                        Some(name.trim().to_owned()).filter(|name| !name.is_empty())
                    }
                    _ => None,
                };
                out.push(Found {
                    name: given
                        .unwrap_or_else(|| kernel_default_name(method_name, method.returns_async)),
                    dialect: Dialect::SemanticKernelFunction,
                    description,
                    annotations: None,
                    at: method.name,
                    class: None,
                });
            }
        }
        out
    }

    /// The lines of the `///` documentation comment of the declaration whose attributes start
    /// at `at`, without their `///`: those of the comments before it, not on the line of the
    /// code before (the compiler's leading trivia).
    fn doc_comment(&self, at: usize) -> String {
        let mut start = at;
        while start > 0 && self.lexed.is_trivia(start - 1) {
            start -= 1;
        }
        let mut lines = self.text()[start..at].split('\n');
        if start > 0 {
            lines.next();
        }
        lines
            .filter_map(|line| {
                let rest = line.trim_start().strip_prefix("///")?;
                (!rest.starts_with('/')).then_some(rest)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// What the file's `WithTools…` calls register, the methods its servers' builders call and
    /// the extension methods on `IMcpServerBuilder` it declares.
    fn registrations(&self) -> ToolRegistrations {
        let mut out = self.registrations_in(0..self.text().len());
        out.chained = self.server_chains();
        out.extensions = self.extensions();
        out
    }

    /// What the `WithTools…` calls that start in `range` register.
    fn registrations_in(&self, range: Range<usize>) -> ToolRegistrations {
        let mut out = ToolRegistrations::default();
        for c in WITH_TOOLS.captures_iter(&self.text()[range.clone()]) {
            let Some(whole) = c.get(0) else {
                continue;
            };
            if !self.lexed.is_code(range.start + whole.start()) {
                continue;
            }
            out.calls += 1;
            let bracket = range.start + whole.end() - 1;
            let read = if c.get(1).is_some() {
                self.assembly_registered(bracket)
                    .map(|assembly| out.assemblies.push(assembly))
            } else if self.bytes()[bracket] == b'<' {
                self.generic_registered(bracket)
                    .map(|name| out.types.push(name.to_owned()))
            } else {
                self.types_registered(bracket)
                    .map(|names| out.types.extend(names.into_iter().map(str::to_owned)))
            };
            out.unread |= read.is_none();
        }
        out.types.sort();
        out.types.dedup();
        out.assemblies.sort();
        out.assemblies.dedup();
        out
    }

    /// The methods called by name on the builders of the file's `AddMcpServer(…)` calls: chained
    /// after the call, and on the variable its statement assigns the builder to.
    fn server_chains(&self) -> Vec<String> {
        let text = self.text();
        let mut out: Vec<String> = Vec::new();
        for m in SERVER_BUILDER.find_iter(text) {
            if !self.lexed.is_code(m.start()) || !m.as_str().starts_with("AddMcpServer") {
                continue;
            }
            let Some(close) = self.lexed.close_of(m.end() - 1) else {
                continue;
            };
            out.extend(self.chain_calls(close + 1, text.len()));
            if let Some(variable) = self.held_in(m.start()) {
                out.extend(self.calls_on(variable, close + 1..text.len()));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The variable the statement holding the call at `at` assigns to, when the call starts
    /// its value (`var mcp = builder.Services.AddMcpServer()…;`, `mcp = services.AddMcpServer()`).
    fn held_in(&self, at: usize) -> Option<&'t str> {
        let bytes = self.bytes();
        // The statement starts after the last `;` or block before `at` in its block.
        let block = self.lexed.enclosing(at);
        if block.is_some_and(|open| bytes[open] != b'{') {
            return None;
        }
        let mut start = block.map_or(0, |open| open + 1);
        let mut i = start;
        while i < at {
            if self.lexed.is_code(i) {
                match bytes[i] {
                    b'(' | b'[' | b'{' => {
                        let close = self.lexed.close_of(i).filter(|&c| c < at)?;
                        if bytes[i] == b'{' {
                            start = close + 1;
                        }
                        i = close;
                    }
                    b';' | b'}' => start = i + 1,
                    _ => {}
                }
            }
            i += 1;
        }
        let start = self.skip(start, at);
        if (start..at).any(|i| !self.lexed.is_code(i)) {
            return None;
        }
        let held = HELD_BUILDER.captures(&self.text()[start..at])?.get(1)?;
        Some(&self.text()[start + held.start()..start + held.end()])
    }

    /// The methods called on `variable` in `range`: the chains after each of its uses.
    fn calls_on(&self, variable: &str, range: Range<usize>) -> Vec<String> {
        let text = self.text();
        let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let mut out = Vec::new();
        for (offset, _) in text[range.clone()].match_indices(variable) {
            let at = range.start + offset;
            let end = at + variable.len();
            let bounded = !text.as_bytes()[..at].last().is_some_and(|&b| is_ident(b))
                && !text.as_bytes().get(end).is_some_and(|&b| is_ident(b));
            if bounded && self.lexed.is_code(at) && self.previous_code(at) != Some(b'.') {
                out.extend(self.chain_calls(end, range.end));
            }
        }
        out
    }

    /// The methods called one after another from `at` (`.WithHttpTransport(…).WithAcmeTools()`,
    /// type arguments aside), up to `limit`; `WithTools…` calls are read as registrations, not
    /// named here.
    fn chain_calls(&self, mut at: usize, limit: usize) -> Vec<String> {
        let bytes = self.bytes();
        let mut out = Vec::new();
        loop {
            at = self.skip(at, limit);
            if bytes.get(at) != Some(&b'.') || at >= limit {
                return out;
            }
            let Some(name) = self.ident_at(self.skip(at + 1, limit)) else {
                return out;
            };
            let mut after = self.skip(name.end, limit);
            if bytes.get(after) == Some(&b'<') {
                let Some(close) = self.type_arguments_end(after, limit) else {
                    return out;
                };
                after = self.skip(close + 1, limit);
            }
            if bytes.get(after) != Some(&b'(') {
                return out;
            }
            let Some(close) = self.lexed.close_of(after) else {
                return out;
            };
            let name = &self.text()[name];
            if !matches!(name, "WithTools" | "WithToolsFromAssembly") {
                out.push(name.to_owned());
            }
            at = close + 1;
        }
    }

    /// The `>` that closes the type arguments opened at `open`.
    fn type_arguments_end(&self, open: usize, limit: usize) -> Option<usize> {
        let bytes = self.bytes();
        let limit = limit.min(open + MAX_DECLARATION_BYTES).min(bytes.len());
        let mut depth = 0usize;
        for (at, &byte) in bytes.iter().enumerate().take(limit).skip(open) {
            if !self.lexed.is_code(at) {
                continue;
            }
            match byte {
                b'<' => depth += 1,
                b'>' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(at);
                    }
                }
                b'(' | b')' | b';' | b'{' | b'}' | b'=' => return None,
                _ => {}
            }
        }
        None
    }

    /// The extension methods on `IMcpServerBuilder` the file declares (`static
    /// IMcpServerBuilder WithAcmeTools(this IMcpServerBuilder builder) => …`), with what their
    /// bodies register; those that register nothing and call nothing on their builder are
    /// left out, and so are methods named `WithTools…`, read as registrations.
    fn extensions(&self) -> Vec<BuilderExtension> {
        let mut out = Vec::new();
        for c in BUILDER_EXTENSION.captures_iter(self.text()) {
            let (Some(whole), Some(parameter)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let open = whole.start();
            if !self.lexed.is_code(open) {
                continue;
            }
            let Some(name) = self.method_name_before(open) else {
                continue;
            };
            if matches!(name, "WithTools" | "WithToolsFromAssembly") {
                continue;
            }
            let Some(body) = self
                .lexed
                .close_of(open)
                .and_then(|close| self.method_body(close + 1))
            else {
                continue;
            };
            let mut registrations = self.registrations_in(body.clone());
            registrations.chained = self.calls_on(parameter.as_str(), body);
            registrations.chained.sort();
            registrations.chained.dedup();
            if !registrations.is_empty() {
                out.push(BuilderExtension {
                    name: name.to_owned(),
                    registrations,
                });
            }
        }
        out
    }

    /// The name of the method whose parameter list opens at `open`, type parameters aside.
    fn method_name_before(&self, open: usize) -> Option<&'t str> {
        let bytes = self.bytes();
        let mut end = self.previous_code_at(open)?;
        if bytes[end] == b'>' {
            let floor = end.saturating_sub(MAX_DECLARATION_BYTES);
            let mut depth = 0usize;
            let mut at = end + 1;
            loop {
                at = at.checked_sub(1).filter(|&at| at >= floor)?;
                if !self.lexed.is_code(at) {
                    continue;
                }
                match bytes[at] {
                    b'>' => depth += 1,
                    b'<' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            break;
                        }
                    }
                    b';' | b'{' | b'}' => return None,
                    _ => {}
                }
            }
            end = self.previous_code_at(at)?;
        }
        let mut start = end + 1;
        while start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            start -= 1;
        }
        let name = self.ident_at(start).filter(|name| name.end == end + 1)?;
        Some(&self.text()[name])
    }

    /// The code of the method body that starts from `at`, after its parameter list and
    /// constraints: inside its `{ … }`, or the expression after `=>`; `None` for none.
    fn method_body(&self, mut at: usize) -> Option<Range<usize>> {
        let bytes = self.bytes();
        let limit = (at + MAX_DECLARATION_BYTES).min(bytes.len());
        while at < limit {
            if self.lexed.is_code(at) {
                match bytes[at] {
                    b'{' => return Some(at + 1..self.lexed.close_of(at)?),
                    b'=' if bytes.get(at + 1) == Some(&b'>') => {
                        return Some(at + 2..expression_end(&self.lexed, at + 2));
                    }
                    b'(' | b'[' => at = self.lexed.close_of(at)?,
                    b';' | b'}' | b')' | b']' => return None,
                    _ => {}
                }
            }
            at += 1;
        }
        None
    }

    /// The class `WithTools<T>(…)` names, from its `<`.
    fn generic_registered(&self, open: usize) -> Option<&'t str> {
        let bytes = self.bytes();
        let close = self.type_arguments_end(open, bytes.len())?;
        let called = self.skip(close + 1, bytes.len());
        if bytes.get(called) != Some(&b'(') {
            return None;
        }
        self.type_name(self.lexed.trimmed(open + 1..close))
    }

    /// The classes `WithTools(typeof(A), …)`, `WithTools([typeof(A), …])` or `WithTools(new[]
    /// { typeof(A), … })` names, from its `(`; `None` when it passes anything else.
    fn types_registered(&self, open: usize) -> Option<Vec<&'t str>> {
        let close = self.lexed.close_of(open)?;
        let args: Vec<Range<usize>> = self
            .split(open + 1..close, b',')
            .into_iter()
            .filter(|arg| matches!(self.arg_name(arg), None | Some("toolTypes" | "tools")))
            .map(|arg| self.positional(arg))
            .collect();
        let first = args.first()?;
        if self.typeof_name(first.clone()).is_some() {
            return args
                .iter()
                .map(|arg| self.typeof_name(arg.clone()))
                .collect();
        }
        let bytes = self.bytes();
        let elements = if bytes[first.start] == b'[' {
            (self.lexed.close_of(first.start)? + 1 == first.end)
                .then(|| first.start + 1..first.end - 1)?
        } else {
            // `new[] { … }`, `new Type[] { … }`, `new List<Type> { … }`.
            let word = self.ident_at(first.start)?;
            let brace =
                (word.end..first.end).find(|&i| bytes[i] == b'{' && self.lexed.is_code(i))?;
            (&self.text()[word] == "new" && self.lexed.close_of(brace)? + 1 == first.end)
                .then(|| brace + 1..first.end - 1)?
        };
        self.split(elements, b',')
            .into_iter()
            .map(|element| self.typeof_name(element))
            .collect()
    }

    /// The assembly `WithToolsFromAssembly(…)` names, from its `(`: `Some(None)` for the
    /// calling one, `Some(Some(T))` for `typeof(T).Assembly`; `None` for anything else.
    fn assembly_registered(&self, open: usize) -> Option<Option<String>> {
        let close = self.lexed.close_of(open)?;
        let Some(arg) = self
            .split(open + 1..close, b',')
            .into_iter()
            .find(|arg| matches!(self.arg_name(arg), None | Some("toolAssembly")))
        else {
            return Some(None);
        };
        let arg = self.positional(arg);
        let text = self.text();
        let compact: String = text[arg.clone()]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if compact == "null" || compact.ends_with("Assembly.GetExecutingAssembly()") {
            return Some(None);
        }
        // `typeof(T).Assembly`.
        let word = self.ident_at(arg.start)?;
        let paren = self.skip(word.end, arg.end);
        if &text[word] != "typeof" || self.bytes().get(paren) != Some(&b'(') {
            return None;
        }
        let close = self.lexed.close_of(paren)?;
        let name = self.type_name(self.lexed.trimmed(paren + 1..close))?;
        let dot = self.skip(close + 1, arg.end);
        let member = self.ident_at(self.skip(dot + 1, arg.end))?;
        (self.bytes().get(dot) == Some(&b'.')
            && &text[member.clone()] == "Assembly"
            && member.end == arg.end)
            .then(|| Some(name.to_owned()))
    }

    /// `T` of `typeof(T)` (the last part of its name), the whole of `range`.
    fn typeof_name(&self, range: Range<usize>) -> Option<&'t str> {
        let word = self.ident_at(range.start)?;
        let paren = self.skip(word.end, range.end);
        if &self.text()[word] != "typeof" || self.bytes().get(paren) != Some(&b'(') {
            return None;
        }
        let close = self.lexed.close_of(paren).filter(|&c| c + 1 == range.end)?;
        self.type_name(self.lexed.trimmed(paren + 1..close))
    }

    /// The last part of the type name that is the whole of `range`, type arguments aside
    /// (`Acme.Tools.OrderTools`, `global::Acme.OrderTools`, `Box<int>`).
    fn type_name(&self, range: Range<usize>) -> Option<&'t str> {
        let (name, after) = self.qualified_name(range.start, range.end)?;
        (after == range.end || self.bytes().get(after) == Some(&b'<')).then(|| &self.text()[name])
    }

    /// The name of a named argument (`toolTypes: …`).
    fn arg_name(&self, arg: &Range<usize>) -> Option<&'t str> {
        let word = self.ident_at(arg.start)?;
        (self.positional(arg.clone()) != *arg).then(|| &self.text()[word])
    }

    /// Tools made by `McpServerTool.Create(…)` whose options set a `Name`.
    fn created_tools(&self) -> Vec<Found> {
        let mut out = Vec::new();
        for m in TOOL_CREATE.find_iter(self.text()) {
            if !self.lexed.is_code(m.start()) {
                continue;
            }
            let open = m.end() - 1;
            let Some(close) = self.lexed.close_of(open) else {
                continue;
            };
            for arg in self.split(open + 1..close, b',') {
                let arg = self.positional(arg);
                let Some(inside) = self.new_initializer(arg.start) else {
                    continue;
                };
                let assigned: BTreeMap<&str, Range<usize>> =
                    self.assignments(inside).into_iter().collect();
                let Some(value) = assigned.get("Name") else {
                    continue;
                };
                let Some(name) = self.string_value(value.clone(), 0) else {
                    continue;
                };
                out.push(Found {
                    name,
                    dialect: Dialect::CsharpMcpServerTool,
                    description: assigned
                        .get("Description")
                        .and_then(|d| self.string_value(d.clone(), 0)),
                    annotations: self.annotations(&assigned),
                    at: value.clone(),
                    class: None,
                });
            }
        }
        out
    }

    /// The hints an attribute's or options' named values set.
    fn annotations(&self, assigned: &BTreeMap<&str, Range<usize>>) -> Option<Annotations> {
        let flag = |key: &str| match assigned.get(key).map(|v| &self.text()[v.clone()]) {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        };
        let found = Annotations {
            read_only: flag("ReadOnly"),
            destructive: flag("Destructive"),
            idempotent: flag("Idempotent"),
            open_world: flag("OpenWorld"),
        };
        (found != Annotations::default()).then_some(found)
    }

    /// The attribute section opening at `open`, when the bracket starts one: it follows a
    /// declaration's end, an opening brace or another section, and holds attributes only.
    fn section(&self, open: usize) -> Option<Section<'t>> {
        let close = self.lexed.close_of(open)?;
        if !matches!(
            self.previous_code(open),
            None | Some(b';' | b'{' | b'}' | b']')
        ) {
            return None;
        }
        let mut items = self.split(open + 1..close, b',');
        let mut target = None;
        if let Some(first) = items.first_mut()
            && let Some(word) = self.ident_at(first.start)
        {
            let after = self.skip(word.end, first.end);
            let bytes = self.bytes();
            if bytes.get(after) == Some(&b':') && bytes.get(after + 1) != Some(&b':') {
                target = Some(&self.text()[word]);
                first.start = self.skip(after + 1, first.end);
            }
        }
        let attributes = items
            .into_iter()
            .map(|item| self.attribute(item))
            .collect::<Option<Vec<_>>>()?;
        (!attributes.is_empty()).then_some(Section {
            open,
            close,
            target,
            attributes,
        })
    }

    /// `A.B.Name` or `Name(args)`, the whole of `item`.
    fn attribute(&self, item: Range<usize>) -> Option<Attribute<'t>> {
        let (name, mut at) = self.qualified_name(item.start, item.end)?;
        let mut args = Vec::new();
        if self.bytes().get(at) == Some(&b'(') {
            let close = self.lexed.close_of(at).filter(|&c| c < item.end)?;
            args = self.split(at + 1..close, b',');
            at = self.skip(close + 1, item.end);
        }
        let name = &self.text()[name];
        let name = name.strip_suffix("Attribute").unwrap_or(name);
        (at == item.end).then_some(Attribute { name, args })
    }

    /// The last identifier of the dotted name at `at` (`global::` and `.` parts before it) and
    /// where the code after it starts.
    fn qualified_name(&self, at: usize, limit: usize) -> Option<(Range<usize>, usize)> {
        let bytes = self.bytes();
        let mut word = self.ident_at(at)?;
        loop {
            let after = self.skip(word.end, limit);
            let next = match (bytes.get(after), bytes.get(after + 1)) {
                (Some(b'.'), _) => after + 1,
                (Some(b':'), Some(b':')) => after + 2,
                _ => return Some((word, after)),
            };
            word = self.ident_at(self.skip(next, limit))?;
        }
    }

    /// The method declared from `start` (after its attributes): the identifier before the
    /// first `(` of the declaration that opens no tuple type, with the type before it.
    fn method_at(&self, start: usize) -> Option<Method> {
        let text = self.text();
        let bytes = self.bytes();
        let limit = (start + MAX_DECLARATION_BYTES).min(bytes.len());
        let mut at = start;
        let mut angle = 0usize;
        // Identifiers outside type arguments, in order.
        let mut words: Vec<Range<usize>> = Vec::new();
        let mut after_type_arguments = false;
        loop {
            at = self.skip(at, limit);
            if at >= limit || !self.lexed.is_code(at) {
                return None;
            }
            if let Some(word) = self.ident_at(at) {
                at = word.end;
                if angle == 0 {
                    words.push(word);
                }
                after_type_arguments = false;
                continue;
            }
            match bytes[at] {
                b'<' => angle += 1,
                b'>' => {
                    angle = angle.checked_sub(1)?;
                    after_type_arguments = angle == 0;
                    at += 1;
                    continue;
                }
                b'(' if angle == 0 => {
                    let last = words.last().map(|w| &text[w.clone()]);
                    let names_method = after_type_arguments
                        || last.is_some_and(|w| MODIFIERS.binary_search(&w).is_err());
                    if names_method {
                        let name = words.last()?.clone();
                        let type_word = words.len().checked_sub(2).map(|i| &text[words[i].clone()]);
                        let before = &words[..words.len() - 1];
                        return Some(Method {
                            name,
                            returns_async: type_word.is_some_and(|t| ASYNC_TYPES.contains(&t)),
                            partial: before.iter().any(|w| &text[w.clone()] == "partial"),
                        });
                    }
                    // A tuple return type.
                    at = self.lexed.close_of(at)?;
                }
                b'(' | b'[' => at = self.lexed.close_of(at)?,
                b';' | b'{' | b'}' | b'=' => return None,
                _ => {}
            }
            at += 1;
            after_type_arguments = false;
        }
    }

    /// The identifier at `at` in code (without the `@` of a verbatim identifier).
    fn ident_at(&self, at: usize) -> Option<Range<usize>> {
        let text = self.text();
        if !self.lexed.is_code(at) {
            return None;
        }
        // `at` comes from a byte scan and may fall inside a character (a stray BOM in code).
        let start = if text.get(at..)?.starts_with('@') {
            at + 1
        } else {
            at
        };
        let mut chars = text.get(start..)?.char_indices();
        let first = chars.next()?.1;
        if !(first == '_' || first.is_alphabetic()) {
            return None;
        }
        let len = chars
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(text.len() - start, |(i, _)| i);
        Some(start..start + len)
    }

    /// The last byte of code before `at` that is neither white space nor a comment.
    fn previous_code(&self, at: usize) -> Option<u8> {
        self.previous_code_at(at).map(|i| self.bytes()[i])
    }

    /// Where the last byte before `at` that is neither white space nor a comment is.
    fn previous_code_at(&self, at: usize) -> Option<usize> {
        (0..at).rev().find(|&i| !self.lexed.is_trivia(i))
    }

    /// `range` split at the `separator`s of its code outside brackets, each part trimmed;
    /// empty parts are dropped.
    fn split(&self, range: Range<usize>, separator: u8) -> Vec<Range<usize>> {
        let bytes = self.bytes();
        let mut parts = Vec::new();
        let mut start = range.start;
        let mut at = range.start;
        while at < range.end {
            if self.lexed.is_code(at) {
                match bytes[at] {
                    b'(' | b'[' | b'{' => {
                        at = self.lexed.close_of(at).unwrap_or(range.end).min(range.end);
                    }
                    b if b == separator => {
                        parts.push(start..at);
                        start = at + 1;
                    }
                    _ => {}
                }
            }
            at += 1;
        }
        parts.push(start..range.end.max(start));
        parts
            .into_iter()
            .map(|part| self.lexed.trimmed(part))
            .filter(|part| !part.is_empty())
            .collect()
    }

    /// An argument without the `name:` of a named argument.
    fn positional(&self, arg: Range<usize>) -> Range<usize> {
        let Some(word) = self.ident_at(arg.start) else {
            return arg;
        };
        let after = self.skip(word.end, arg.end);
        let bytes = self.bytes();
        if bytes.get(after) == Some(&b':') && bytes.get(after + 1) != Some(&b':') {
            self.skip(after + 1, arg.end)..arg.end
        } else {
            arg
        }
    }

    fn is_null(&self, arg: &Range<usize>) -> bool {
        &self.text()[self.positional(arg.clone())] == "null"
    }

    /// `Key = value` arguments of an attribute, by key.
    fn assigned_args(&self, args: &[Range<usize>]) -> BTreeMap<&'t str, Range<usize>> {
        args.iter()
            .filter_map(|arg| self.assignment(arg.clone()))
            .collect()
    }

    /// The `Key = value` parts of an object initializer's inside.
    fn assignments(&self, inside: Range<usize>) -> Vec<(&'t str, Range<usize>)> {
        self.split(inside, b',')
            .into_iter()
            .filter_map(|part| self.assignment(part))
            .collect()
    }

    fn assignment(&self, part: Range<usize>) -> Option<(&'t str, Range<usize>)> {
        let key = self.ident_at(part.start)?;
        let eq = self.skip(key.end, part.end);
        let bytes = self.bytes();
        if bytes.get(eq) != Some(&b'=') || bytes.get(eq + 1) == Some(&b'=') {
            return None;
        }
        let value = self.lexed.trimmed(eq + 1..part.end);
        Some((&self.text()[key], value))
    }

    /// The inside of the object initializer of `new Type(…) { … }` or `new() { … }` whose
    /// type follows `at` (just after `new`).
    fn initializer(&self, at: usize) -> Option<Range<usize>> {
        let limit = self.bytes().len();
        let mut at = self.skip(at, limit);
        if let Some((_, after)) = self.qualified_name(at, limit) {
            at = after;
        }
        if self.bytes().get(at) == Some(&b'(') {
            at = self.skip(self.lexed.close_of(at)? + 1, limit);
        }
        if self.bytes().get(at) != Some(&b'{') || !self.lexed.is_code(at) {
            return None;
        }
        Some(at + 1..self.lexed.close_of(at)?)
    }

    /// The initializer of a `new …{ … }` that starts at `at`.
    fn new_initializer(&self, at: usize) -> Option<Range<usize>> {
        let word = self.ident_at(at)?;
        (&self.text()[word.clone()] == "new")
            .then(|| self.initializer(word.end))
            .flatten()
    }

    /// The value of a constant string expression: literals, `nameof(…)` and `const string`
    /// fields of the file, joined by `+`; `None` when any part is not statically known.
    fn string_value(&self, range: Range<usize>, depth: usize) -> Option<String> {
        if depth > MAX_CONSTANT_DEPTH {
            return None;
        }
        let range = self.lexed.trimmed(range);
        let parts = self.split(range.clone(), b'+');
        if parts.is_empty() {
            return None;
        }
        let mut out = String::new();
        for part in parts {
            out.push_str(&self.operand_value(part, depth)?);
            if out.len() > MAX_VALUE_BYTES {
                return None;
            }
        }
        Some(out)
    }

    fn operand_value(&self, part: Range<usize>, depth: usize) -> Option<String> {
        let text = self.text();
        if self.lexed.class(part.start) == Some(Class::Literal) {
            let end = (part.start..part.end)
                .find(|&i| self.lexed.class(i) != Some(Class::Literal))
                .unwrap_or(part.end);
            return (end == part.end).then(|| literal_value(&text[part]))?;
        }
        let bytes = self.bytes();
        if bytes[part.start] == b'(' && self.lexed.close_of(part.start) == Some(part.end - 1) {
            return self.string_value(part.start + 1..part.end - 1, depth + 1);
        }
        let (last, after) = self.qualified_name(part.start, part.end)?;
        let word = &text[last.clone()];
        if after == part.end {
            if let Some(known) = self.values.borrow().get(word) {
                return Some(known.clone());
            }
            let expression = self.constants.get(word)?.clone()?;
            let value = self.string_value(expression, depth + 1)?;
            self.values.borrow_mut().insert(word, value.clone());
            return Some(value);
        }
        // `nameof(A.B.C)` is `C`.
        if word == "nameof" && last.start == part.start && bytes[after] == b'(' {
            let close = self.lexed.close_of(after).filter(|&c| c + 1 == part.end)?;
            let inside = self.lexed.trimmed(after + 1..close);
            let (named, end) = self.qualified_name(inside.start, inside.end)?;
            return (end == inside.end).then(|| text[named].to_owned());
        }
        None
    }
}

/// Where the value of a `const` declaration ends: at its `;` (or `,`, the next declarator) in
/// code outside brackets, or at a closing bracket it did not open.
fn expression_end(lexed: &Lexed, from: usize) -> usize {
    let bytes = lexed.text.as_bytes();
    let limit = (from + MAX_DECLARATION_BYTES).min(bytes.len());
    let mut at = from;
    while at < limit {
        if lexed.is_code(at) {
            match bytes[at] {
                b'(' | b'[' | b'{' => match lexed.close_of(at) {
                    Some(close) => at = close,
                    None => return at,
                },
                b';' | b',' | b')' | b']' | b'}' => return at,
                _ => {}
            }
        }
        at += 1;
    }
    limit
}

/// The value of a C# string literal written whole (with its prefixes and quotes): regular,
/// verbatim (`@"…"`), raw (`"""…"""`) or interpolated without holes; `None` for anything else
/// (a character, an unterminated string, an interpolation).
fn literal_value(token: &str) -> Option<String> {
    let prefix = token
        .bytes()
        .take_while(|&b| b == b'$' || b == b'@')
        .count();
    let (flags, rest) = token.split_at(prefix);
    let quotes = rest.bytes().take_while(|&b| b == b'"').count();
    let verbatim = flags.contains('@');
    let value = if quotes >= 3 && !verbatim {
        if rest.len() < 2 * quotes || !rest.ends_with(&rest[..quotes]) {
            return None;
        }
        raw_body(&rest[quotes..rest.len() - quotes])
    } else if quotes > 0 && rest.len() >= 2 && rest.ends_with('"') {
        let body = &rest[1..rest.len() - 1];
        if verbatim {
            body.replace("\"\"", "\"")
        } else {
            let backslashes = body.bytes().rev().take_while(|&b| b == b'\\').count();
            if backslashes % 2 == 1 {
                // The last quote is escaped: the string does not end.
                return None;
            }
            decode_csharp(body)
        }
    } else {
        return None;
    };
    if !flags.contains('$') {
        return Some(value);
    }
    if quotes >= 3 {
        return (!value.contains('{')).then_some(value);
    }
    // `{{` and `}}` stand for braces; a single brace opens or closes a hole.
    let holes = value.replace("{{", "").replace("}}", "");
    if holes.contains(['{', '}']) {
        return None;
    }
    Some(value.replace("{{", "{").replace("}}", "}"))
}

/// A raw string's content: on one line as written; on several, without its first and last
/// lines and with the last line's indentation taken off every line.
fn raw_body(body: &str) -> String {
    let Some((first, rest)) = body.split_once('\n') else {
        return body.to_owned();
    };
    if !first.trim().is_empty() {
        return body.to_owned();
    }
    let (lines, indent) = match rest.rsplit_once('\n') {
        Some((lines, last)) if last.trim().is_empty() => (lines, last),
        _ => (rest, ""),
    };
    lines
        .split('\n')
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            line.strip_prefix(indent).unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The name the MCP C# SDK gives the tool of a method whose `[McpServerTool]` sets none
/// (`AIFunctionMcpServerTool.DeriveName`): the method's name without `Async` when it returns a
/// task, each run of characters other than ASCII letters and digits made one `_`, `_` trimmed
/// from both ends (the method's name as written if nothing is left), in snake case.
pub(crate) fn mcp_default_name(method: &str, returns_async: bool) -> String {
    let base = match method.strip_suffix("Async") {
        Some(stem) if returns_async && !stem.is_empty() => stem,
        _ => method,
    };
    let mut sanitized = String::with_capacity(base.len());
    for c in base.chars() {
        if c.is_ascii_alphanumeric() {
            sanitized.push(c);
        } else if !sanitized.ends_with('_') {
            sanitized.push('_');
        }
    }
    let sanitized = sanitized.trim_matches('_');
    snake_case_lower(if sanitized.is_empty() {
        method
    } else {
        sanitized
    })
}

/// `JsonNamingPolicy.SnakeCaseLower`: a `_` before an upper-case letter that follows a
/// lower-case letter or a digit, or that ends a run of capitals before a lower-case letter
/// (`XMLReader` is `xml_reader`, `SHA512Hash` is `sha512_hash`); spaces between words become
/// one `_`; other characters are kept and start a new word.
fn snake_case_lower(name: &str) -> String {
    #[derive(PartialEq)]
    enum State {
        NotStarted,
        Upper,
        LowerOrDigit,
        Space,
    }
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    let mut state = State::NotStarted;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let split = match state {
                State::LowerOrDigit | State::Space => true,
                State::Upper => chars.get(i + 1).is_some_and(|next| next.is_lowercase()),
                State::NotStarted => false,
            };
            if split {
                out.push('_');
            }
            out.extend(c.to_lowercase());
            state = State::Upper;
        } else if c.is_lowercase() || c.is_numeric() {
            if state == State::Space {
                out.push('_');
            }
            out.push(c);
            state = State::LowerOrDigit;
        } else if c == ' ' || (c.is_whitespace() && !c.is_control()) {
            if state != State::NotStarted {
                state = State::Space;
            }
        } else {
            out.push(c);
            state = State::NotStarted;
        }
    }
    out
}

/// The name Semantic Kernel gives the function of a method whose `[KernelFunction]` names
/// none (`KernelFunctionFromMethod`): each UTF-16 unit other than an ASCII letter, digit or `_`
/// made `_`, then `Async` taken off when the method returns a task.
pub(crate) fn kernel_default_name(method: &str, returns_async: bool) -> String {
    let mut sanitized = String::with_capacity(method.len());
    for c in method.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            sanitized.push(c);
        } else {
            sanitized.extend(std::iter::repeat_n('_', c.len_utf16()));
        }
    }
    match sanitized.strip_suffix("Async") {
        Some(stem) if returns_async && !stem.is_empty() => stem.to_owned(),
        _ => sanitized,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tools as (id, description, line).
    fn found(source: &SourceTools) -> Vec<(&str, Option<&str>, u32)> {
        source
            .tools
            .iter()
            .map(|t| {
                (
                    t.id.as_str(),
                    t.description.as_deref(),
                    t.span.unwrap().line,
                )
            })
            .collect()
    }

    const ORDER_TOOLS: &str = r#"using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Acme.Ops.Tools;

/// <summary>Order tools, e.g. <c>[McpServerTool] public static string Wipe()</c>.</summary>
[McpServerToolType]
public sealed class OrderTools
{
    private const string Prefix = "acme_";
    public const string Refund = Prefix + "refund_order";

    [McpServerTool, Description("Look an order up by its id.")]
    public static async Task<Order?> GetOrderAsync(OrderStore store, [Description("The id")] string id)
        => await store.FindAsync(id);

    [McpServerTool(
        Name = Refund,
        Destructive = true,
        OpenWorld = false)]
    [Description(
        "Refund an order " +
        "to the card it was paid with.")]
    public async Task<string> RefundOrderAsync(string id)
    {
        return await Task.FromResult(id);
    }

    [ModelContextProtocol.Server.McpServerToolAttribute(ReadOnly = true, Idempotent = true), Description(@"List the ""open"" orders")]
    public static IEnumerable<string> ListOpenOrders() => [];

    [McpServerTool(Name = nameof(OrderTools.Ping))]
    public static string Ping() => "pong";

    [McpServerTool]
    public static T Echo<T>(T value) where T : class => value;

    [McpServerTool, Description("""Export every order as CSV.""")]
    public static System.Threading.Tasks.ValueTask<string> ExportAsync() => new("");

    [McpServerTool(Name = null)]
    public static string ExportHTMLReport() => "";

    [McpServerTool(Name = ToolNames.Archive)]
    public static void Archive() { }

    public static string Helper() => "";

    #region Customer's orders
    [McpServerTool]
    [return: Description("Whether it was cancelled")]
    public static (bool Ok, string Message) CancelOrder(string id) => (true, id);
    #endregion

    // [McpServerTool] public static string Commented() => "";
    /* [McpServerTool]
       public static string Blocked() => ""; */
    private const string Doc = @"
        [McpServerTool]
        public static string InVerbatim() => """";
    ";
    private const string Raw = """
        [McpServerTool] public static string InRaw() => "";
        """;
    private static string Interpolated = $"{Doc ?? "x"} [McpServerTool] static string InInterpolated() => 1;";
}
"#;

    #[test]
    fn mcp_tools_are_named_described_and_annotated_as_the_sdk_does() {
        let source = scan(ORDER_TOOLS, "OrderTools");
        assert_eq!(
            found(&source),
            [
                (
                    "mcp:OrderTools/get_order",
                    Some("Look an order up by its id."),
                    14
                ),
                (
                    "mcp:OrderTools/acme_refund_order",
                    Some("Refund an order to the card it was paid with."),
                    24
                ),
                (
                    "mcp:OrderTools/list_open_orders",
                    Some("List the \"open\" orders"),
                    30
                ),
                ("mcp:OrderTools/Ping", None, 33),
                ("mcp:OrderTools/echo", None, 36),
                (
                    "mcp:OrderTools/export",
                    Some("Export every order as CSV."),
                    39
                ),
                ("mcp:OrderTools/export_html_report", None, 42),
                ("mcp:OrderTools/cancel_order", None, 52),
            ]
        );
        let tools = &source.tools;
        assert!(
            tools
                .iter()
                .all(|t| t.dialect == Dialect::CsharpMcpServerTool
                    && t.server_elsewhere
                    && t.provider.as_deref() == Some("mcp:OrderTools"))
        );
        let annotations = |i: usize| tools[i].annotations;
        assert_eq!(annotations(0), None);
        assert_eq!(
            annotations(1),
            Some(Annotations {
                destructive: Some(true),
                open_world: Some(false),
                ..Annotations::default()
            })
        );
        assert_eq!(
            annotations(2),
            Some(Annotations {
                read_only: Some(true),
                idempotent: Some(true),
                ..Annotations::default()
            })
        );
        // The span is the method's name.
        let span = tools[1].span.unwrap();
        assert_eq!(
            &ORDER_TOOLS[span.offset..span.offset + span.len],
            "RefundOrderAsync"
        );
        assert!(source.servers.is_empty() && source.unnamed_server.is_none());
        // An empty name is no name the SDK accepts.
        let empty = "[McpServerTool(Name = \"\")] static string F() => \"\";";
        assert!(scan(empty, "x").tools.is_empty());
    }

    #[test]
    fn the_server_a_file_builds_names_its_tools() {
        let named = r#"using ModelContextProtocol.Server;
using System.ComponentModel;

var builder = Host.CreateApplicationBuilder(args);
// builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "acme-old" });
builder.Services
    .AddMcpServer(options =>
    {
        options.ServerInfo = new Implementation
        {
            Icons = [new Icon { Source = "https://example.com/icon.svg" }],
            Name = "acme-" + "ops",
            Version = "1.0.0",
        };
    })
    .WithStdioServerTransport()
    .WithTools<EchoTool>();
await builder.Build().RunAsync();

[McpServerToolType]
public static class EchoTool
{
    [McpServerTool, Description("Echoes the message back.")]
    public static string Echo(string message) => $"hello {message}";
}
"#;
        let source = scan(named, "Program");
        assert_eq!(
            found(&source),
            [("mcp:acme-ops/echo", Some("Echoes the message back."), 24)]
        );
        assert!(!source.tools[0].server_elsewhere);
        assert_eq!(source.servers, ["acme-ops"]);
        assert_eq!(source.unnamed_server, None);

        // Without `ServerInfo`, the server is named after the assembly: discovery knows it.
        let unnamed = named.replace("options.ServerInfo", "options.Other");
        let source = scan(&unnamed, "Program");
        assert_eq!(source.tools[0].id, "mcp:Program/echo");
        assert!(source.tools[0].server_elsewhere);
        assert_eq!(source.servers, ["Program"]);
        assert_eq!(source.unnamed_server.as_deref(), Some("Program"));

        // The same name set twice (one branch of an `#if` each) names one server.
        let twice = named.replace(
            "    .WithStdioServerTransport()",
            "#if DEBUG\n    .AddMcpServer(o => o.ServerInfo = new() { Name = \"acme-ops\" })\n#endif\n    .WithStdioServerTransport()",
        );
        let source = scan(&twice, "Program");
        assert_eq!(source.tools[0].id, "mcp:acme-ops/echo");
        assert!(!source.tools[0].server_elsewhere);
        assert_eq!(source.servers, ["acme-ops"]);

        // A builder in a comment or a string builds nothing.
        let quoted = "// builder.Services.AddMcpServer();\nvar s = \"AddMcpServer()\";\n";
        assert!(scan(quoted, "Program").is_empty());
    }

    #[test]
    fn tools_created_with_options_that_name_them() {
        let src = r#"using ModelContextProtocol.Server;

var options = new McpServerOptions
{
    ServerInfo = new() { Name = "acme-low", Version = "1.0" },
    ToolCollection = [
        McpServerTool.Create((string text) => text, new() { Name = "echo", Description = "Echo it", ReadOnly = true }),
        McpServerTool.Create(Wipe, options: new McpServerToolCreateOptions
        {
            Name = "wipe_cache",
            Destructive = true,
        }),
        McpServerTool.Create((int x) => x),
    ],
};
await using var server = McpServer.Create(new StdioServerTransport("acme"), options);
"#;
        let source = scan(src, "Program");
        assert_eq!(
            found(&source),
            [
                ("mcp:acme-low/echo", Some("Echo it"), 7),
                ("mcp:acme-low/wipe_cache", None, 10),
            ]
        );
        assert_eq!(source.tools[0].annotations.unwrap().read_only, Some(true));
        assert_eq!(source.tools[1].annotations.unwrap().destructive, Some(true));
        assert_eq!(source.servers, ["acme-low"]);
    }

    #[test]
    fn semantic_kernel_functions_are_named_as_the_kernel_does() {
        let src = r#"using System.ComponentModel;
using Microsoft.SemanticKernel;

public sealed class BillingPlugin
{
    [KernelFunction, Description("Get an invoice by its number.")]
    public async Task<Invoice> GetInvoiceAsync(string number) => await Find(number);

    [KernelFunction("refund_invoice")]
    [Description("Refund an invoice in full.")]
    public Task<string> RefundAsync(string number) => Task.FromResult(number);

    [KernelFunction(name: " send_statement "), Description("Email the statement.")]
    [return: Description("The message id")]
    public string SendStatement() => "";

    [KernelFunction]
    public void ArchiveAsync() { }

    [KernelFunction(null)]
    public string Total() => "";

    [KernelFunction("  ")]
    public string Blank() => "";

    [KernelFunction(Names.Dynamic)]
    public string Dynamic() => "";

    [Description("Not a kernel function")]
    public string Plain() => "";
}
"#;
        let source = scan(src, "BillingPlugin");
        assert_eq!(
            found(&source),
            [
                ("fn:GetInvoice", Some("Get an invoice by its number."), 7),
                ("fn:refund_invoice", Some("Refund an invoice in full."), 11),
                ("fn:send_statement", Some("Email the statement."), 15),
                ("fn:ArchiveAsync", None, 18),
                ("fn:Total", None, 21),
                ("fn:Blank", None, 24),
            ]
        );
        assert!(source.tools.iter().all(|t| {
            t.dialect == Dialect::SemanticKernelFunction
                && t.provider.is_none()
                && !t.server_elsewhere
        }));
        assert!(source.servers.is_empty());
    }

    #[test]
    fn partial_methods_take_the_summary_of_their_documentation_comment() {
        let src = r#"using System.ComponentModel;
using ModelContextProtocol.Server;

[McpServerToolType]
public static partial class OrderTools
{
    private const string Unused = ""; /// <summary>On the line of code: not this method's.</summary>
    // A plain comment between the doc comment and the method is trivia too.
    /// <summary>
    ///   Refund an order &amp; tell <see cref="Customer"/> the
    ///   <c>customer</c>.
    /// </summary>
    /// <remarks>Irreversible.</remarks>
    /// <param name="id">The order id</param>
    // Not documentation.
    [McpServerTool]
    public static partial string Refund(string id);

    /// <summary>Not partial: the generator writes nothing.</summary>
    [McpServerTool]
    public static string GetOrder(string id) => id;

    /// <summary>Documented.</summary>
    [McpServerTool, Description("The attribute wins.")]
    public static partial string Cancel(string id);

    //// <summary>Four slashes are no documentation.</summary>
    [McpServerTool]
    public static partial string Archive(string id);

    /// <summary>Broken <b>XML</summary>
    [McpServerTool]
    public static partial string Broken(string id);

    /// <summary>Semantic Kernel reads no documentation comments.</summary>
    [KernelFunction]
    public partial string Summarize(string id);
}
"#;
        let source = scan(src, "OrderTools");
        let descriptions: Vec<(&str, Option<&str>)> = source
            .tools
            .iter()
            .map(|t| (t.id.as_str(), t.description.as_deref()))
            .collect();
        assert_eq!(
            descriptions,
            [
                (
                    "mcp:OrderTools/refund",
                    Some("Refund an order & tell the customer. Irreversible.")
                ),
                ("mcp:OrderTools/get_order", None),
                ("mcp:OrderTools/cancel", Some("The attribute wins.")),
                ("mcp:OrderTools/archive", None),
                ("mcp:OrderTools/broken", None),
                ("fn:Summarize", None),
            ]
        );
    }

    #[test]
    fn tool_classes_and_registrations_are_read() {
        let src = r#"using ModelContextProtocol.Server;

builder.Services.AddMcpServer()
    .WithTools<OrderTools>()
    .WithTools<Acme.Tools.MailTools>(serializerOptions: Json.Options)
    .WithTools([typeof(global::Acme.BillingTools), typeof(Box<int>)])
    .WithTools(toolTypes: new Type[] { typeof(NoteTools) })
    .WithTools(typeof(JobTools), typeof(OrderTools))
    .WithTools(tools: [])
    .WithToolsFromAssembly()
    .WithToolsFromAssembly(typeof(LibraryMarker).Assembly, Json.Options);
// .WithTools<CommentedTools>()
var text = ".WithTools<QuotedTools>()";

[McpServerToolType]
public sealed partial class OrderTools<T> : ToolBase, IDisposable where T : class where U : struct
{
    [McpServerTool] public static string Refund() => "";

    public sealed class Nested
    {
        [McpServerTool] public static string Inner() => "";
    }

    [McpServerTool] public static string Cancel() => "";
}

public record struct Plain(int X);

[McpServerToolType, Obsolete]
internal static class MailTools
{
    [McpServerTool] public static string Send() => "";
}
"#;
        let source = scan(src, "Program");
        let classes: Vec<(&str, bool, &[usize])> = source
            .tool_classes
            .iter()
            .map(|c| (c.name.as_str(), c.tool_type, c.tools.as_slice()))
            .collect();
        assert_eq!(
            classes,
            [
                ("OrderTools", true, &[0, 2][..]),
                ("Nested", false, &[1][..]),
                ("MailTools", true, &[3][..]),
            ]
        );
        let registrations = &source.registrations;
        assert_eq!(registrations.calls, 8);
        assert_eq!(
            registrations.types,
            [
                "BillingTools",
                "Box",
                "JobTools",
                "MailTools",
                "NoteTools",
                "OrderTools"
            ]
        );
        assert_eq!(
            registrations.assemblies,
            [None, Some("LibraryMarker".to_owned())]
        );
        assert!(!registrations.unread);

        // Tools made in code, held in a variable, or an assembly that is no `typeof`: unread.
        for unread in [
            "AddMcpServer().WithTools([McpServerTool.Create(Echo)]);",
            "AddMcpServer().WithTools(toolList);",
            "AddMcpServer().WithTools();",
            "AddMcpServer().WithTools(new[] { typeof(A), other });",
            "AddMcpServer().WithToolsFromAssembly(assembly);",
            "AddMcpServer().WithToolsFromAssembly(typeof(A).Module);",
        ] {
            let registrations = scan(unread, "Program").registrations;
            assert_eq!(registrations.calls, 1, "{unread}");
            assert!(registrations.unread, "{unread}");
        }
        // A file that only registers (an extension method) is kept for its registrations.
        let extension = "public static IMcpServerBuilder AddAcme(this IMcpServerBuilder b) => b.WithTools<AcmeTools>();";
        let source = scan(extension, "Extensions");
        assert!(!source.is_empty());
        assert_eq!(source.registrations.types, ["AcmeTools"]);
    }

    #[test]
    fn builder_extension_methods_and_the_calls_of_server_builders_are_read() {
        let src = r#"namespace Acme.Tools;

public static class McpBuilderExtensions
{
    public static IMcpServerBuilder WithAcmeTools(this IMcpServerBuilder builder) =>
        builder.WithTools<OrderTools>().WithStockTools().WithTools(typeof(MailTools));

    /// <summary>Block body, a parameter named as a keyword, a type parameter with an attribute.</summary>
    public static ModelContextProtocol.Server.IMcpServerBuilder WithStockTools<[Marker(typeof(int))] T>(
        this global::ModelContextProtocol.Server.IMcpServerBuilder @mcp, int units = 1) where T : new()
    {
        mcp.Services.AddSingleton(new Options());
        mcp.WithTools<StockTools>();
        // mcp.WithCommented();
        return mcp.WithJobs();
    }

    // Registers nothing and calls nothing on its builder: left out.
    public static IMcpServerBuilder WithAcmeOptions(this IMcpServerBuilder builder)
    {
        builder.Services.AddSingleton(new Options());
        return builder;
    }

    // Read as a registration where it is called, not as an extension.
    public static IMcpServerBuilder WithTools(this IMcpServerBuilder builder, Kernel kernel) => builder.WithMore();

    // Not an extension method: the builder is an ordinary parameter.
    public static void Configure(IMcpServerBuilder builder) => builder.WithTools<NoteTools>();
}
// public static IMcpServerBuilder WithCommented(this IMcpServerBuilder b) => b.WithTools<A>();
"#;
        let registrations = scan(src, "McpBuilderExtensions").registrations;
        let extensions: Vec<(&str, &[String], &[String], usize)> = registrations
            .extensions
            .iter()
            .map(|e| {
                let r = &e.registrations;
                (e.name.as_str(), &r.types[..], &r.chained[..], r.calls)
            })
            .collect();
        let names = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            extensions,
            [
                (
                    "WithAcmeTools",
                    &names(&["MailTools", "OrderTools"])[..],
                    &names(&["WithStockTools"])[..],
                    2
                ),
                (
                    "WithStockTools",
                    &names(&["StockTools"])[..],
                    &names(&["WithJobs"])[..],
                    1
                ),
            ]
        );
        // The file builds no server: no chain of its own.
        assert!(registrations.chained.is_empty());

        // Chained after `AddMcpServer(…)`, and on a variable that holds its builder.
        let src = r#"var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMcpServer(options => { options.ServerInfo = new() { Name = "acme" }; })
    .WithHttpTransport(o => o.Stateless = true)
    .WithTools<NoteTools>()
    .WithAcmeTools();
var mcp = builder.Services.AddMcpServer();
mcp.WithShippingTools().WithPrompts<Prompts>();
mcp.WithTools<ParcelTools>();
IMcpServerBuilder other = new ServiceCollection().AddMcpServer();
other
    .WithBillingTools();
Register(builder.Services.AddMcpServer());
unrelated.WithNothing();
builder.Build().Run();
"#;
        let registrations = scan(src, "Program").registrations;
        assert_eq!(
            registrations.chained,
            [
                "WithAcmeTools",
                "WithBillingTools",
                "WithHttpTransport",
                "WithPrompts",
                "WithShippingTools"
            ]
        );
        assert_eq!(registrations.types, ["NoteTools", "ParcelTools"]);
        assert!(registrations.extensions.is_empty());
    }

    #[test]
    fn default_names_follow_the_libraries() {
        for (method, returns_async, mcp, kernel) in [
            ("GetOrderAsync", true, "get_order", "GetOrder"),
            ("GetOrderAsync", false, "get_order_async", "GetOrderAsync"),
            ("Async", true, "async", "Async"),
            ("XMLReader", false, "xml_reader", "XMLReader"),
            ("SHA512Hash", false, "sha512_hash", "SHA512Hash"),
            ("getV2Items", false, "get_v2_items", "getV2Items"),
            ("Get_User_", false, "get_user", "Get_User_"),
            ("Über", false, "ber", "_ber"),
            ("获取", false, "获取", "__"),
            ("Größe", false, "gr_e", "Gr__e"),
        ] {
            assert_eq!(mcp_default_name(method, returns_async), mcp, "{method}");
            assert_eq!(
                kernel_default_name(method, returns_async),
                kernel,
                "{method}"
            );
        }
        assert_eq!(snake_case_lower("Two  Words"), "two_words");
    }

    #[test]
    fn literals_decode_as_csharp_does() {
        assert_eq!(literal_value(r#""a\tb\x41""#).as_deref(), Some("a\tbA"));
        assert_eq!(
            literal_value(r#"@"c:\a ""q""""#).as_deref(),
            Some(r#"c:\a "q""#)
        );
        assert_eq!(
            literal_value("\"\"\"\n    first\n      second\n    \"\"\"").as_deref(),
            Some("first\n  second")
        );
        assert_eq!(
            literal_value(r#""""one "line" raw""""#).as_deref(),
            Some(r#"one "line" raw"#)
        );
        assert_eq!(
            literal_value(r#"$"{{braced}}""#).as_deref(),
            Some("{braced}")
        );
        assert_eq!(literal_value(r#""""#).as_deref(), Some(""));
        assert_eq!(literal_value(r#"@"""""#).as_deref(), Some("\""));
        for not_constant in [
            r#"$"{hole}""#,
            r#"$"""{x}""""#,
            "'c'",
            "\"open\n",
            r#""a\""#,
            "\"",
        ] {
            assert_eq!(literal_value(not_constant), None, "{not_constant}");
        }
    }

    #[test]
    fn truncated_and_arbitrary_sources_never_panic() {
        let sources = [
            ORDER_TOOLS,
            "[KernelFunction(\"x\")] public string F() => \"\";",
            "/// <summary>A &lt; B</summary>\n[McpServerTool] public static partial string F();\n\
             b.WithTools<A.B<C>>().WithTools([typeof(D)]).WithToolsFromAssembly(typeof(E).Assembly);\n\
             var m = s.AddMcpServer().WithA<B>(); m.WithC();\n\
             static IMcpServerBuilder WithD<[X(typeof(Y))] T>(this IMcpServerBuilder b) where T : new() => b.WithE();\n\
             [McpServerToolType] public sealed class G<T> where T : class { }",
        ];
        for text in sources {
            for (cut, _) in text.char_indices() {
                let _ = scan(&text[..cut], "x");
            }
        }
        let pieces = [
            "[",
            "]",
            "[McpServerTool",
            "[KernelFunction(",
            "(Name = ",
            "Description(",
            "\"",
            "@\"",
            "$\"{",
            "\"\"\"",
            "'",
            "nameof(",
            "const string A = ",
            "A + ",
            "ServerInfo = new() {",
            "McpServerTool.Create(",
            "new() { Name = ",
            "AddMcpServer(",
            ")",
            "}",
            "{",
            "<",
            ">",
            " Task<string> ",
            "Foo(",
            "public ",
            ";",
            ",",
            ":",
            "::",
            "@",
            "é",
            "\n#region\n",
            "//",
            "/*",
            "\\",
            "///",
            "<summary>",
            "</summary>",
            "&amp;",
            "partial ",
            "class ",
            "record struct ",
            "[McpServerToolType]",
            ".WithTools<",
            ".WithTools(",
            "typeof(",
            "new[] {",
            ".WithToolsFromAssembly(",
            ".Assembly",
            "(this IMcpServerBuilder b",
            "static IMcpServerBuilder WithAcme<",
            "var mcp = ",
            "mcp.",
            ".WithAcme(",
            "b.",
            "=>",
        ];
        for text in crate::test_support::random_texts(&pieces, 0x9E37_79B9_7F4A_7C15, 3000, 40) {
            let _ = scan(&text, "x");
        }
        // Constants that refer to each other end.
        let cycle = "const string A = B; const string B = A;\n[McpServerTool(Name = A)] static string F() => \"\";";
        assert!(scan(cycle, "x").tools.is_empty());
        // Constants that use the one before twenty times are worked out once each (not 20^7
        // times), and a value past
        // `MAX_VALUE_BYTES` names nothing.
        let mut chained = String::from("const string C0 = \"\";\n");
        for i in 1..MAX_CONSTANT_DEPTH {
            let previous = vec![format!("C{}", i - 1); 20].join(" + ");
            chained.push_str(&format!("const string C{i} = {previous};\n"));
        }
        chained.push_str("[McpServerTool(Name = C7 + \"ping\")] static string F() => \"\";\n");
        assert_eq!(scan(&chained, "x").tools[0].name, "ping");
        let long = format!(
            "[McpServerTool(Name = \"{}\")] static string F() => \"\";",
            "a".repeat(MAX_VALUE_BYTES + 1)
        );
        assert!(scan(&long, "x").tools.is_empty());
    }
}
