//! Tools defined in source code, found lexically: Python `@tool` (LangChain, CrewAI),
//! `@function_tool` (OpenAI Agents SDK, with `needs_approval`), `@kernel_function` (Semantic
//! Kernel plugin methods), `@<server>.tool(...)` (FastMCP,
//! with `annotations=`; servers built by factory functions and subclasses, and tools registered
//! by call, are `python_servers`'; an object the file binds only to another class's instance,
//! such as a Pydantic AI `agent = Agent(…)`, is no server), `BaseTool` and smolagents `Tool`
//! subclasses (`python_classes`), the OpenAI Agents SDK's hosted tools (`openai_agents`), the
//! `Tool(name=…)` a low-level MCP server returns from its `@server.list_tools()` function (also
//! `@self.server.list_tools()` in a class; a name in an enum member of the same file too);
//! TypeScript/JavaScript `server.registerTool(name, {…annotations…})` and `server.tool(name, …)`,
//! where the name and the options may be constants of the same file, and the tools a low-level
//! server's `setRequestHandler(ListToolsRequestSchema, …)` returns (`listed_script`); Go MCP
//! servers, mcp-go and the official SDK (`go`); C# `[McpServerTool]` and `[KernelFunction]`
//! methods (`csharp`). Escapes in the string literals read are decoded as each language would
//! (`escapes`).
//!
//! Nothing is imported, compiled or run: decorators, class headers and call sites are matched
//! with bounded regular expressions over at most `MAX_SOURCE_BYTES` of text, and a match counts
//! only where it starts in code — TypeScript/JavaScript, Go and C# as lexed by `script_lex`,
//! Python outside `#` comments, docstrings and the strings of its line — so a commented-out tool
//! or a snippet in a string declares nothing. What is missed is missed conservatively — a tool
//! that is not found is still reported nowhere, which is why the JSON and MCP config paths exist
//! as well.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::pattern::Pattern;
use serde::Serialize;

use super::ParseResult;
use super::escapes::{decode_python, decode_script};
use super::script_lex::{self, Lexed};
use super::text::TextSpan;
use super::tool_json::{Annotations, Dialect, ToolDecl, short_description};
pub use go::{PackageScope as GoPackageScope, PendingTool as GoPendingTool, ServerConstant};
use python_modules::ModuleNames;
use python_servers::PythonServers;

mod constants;
mod csharp;
mod go;
mod listed_script;
mod openai_agents;
mod python_classes;
mod python_exports;
mod python_modules;
mod python_servers;

pub use constants::NameConstant;
pub use listed_script::{ImportedName, ListedImport, ScriptLinks};
pub use openai_agents::OPENAI_AGENTS_HOSTED;
pub use python_classes::PythonToolClass;
pub use python_modules::PythonModule;

/// Source files larger than this are not scanned for tools.
pub const MAX_SOURCE_BYTES: u64 = 2 * 1024 * 1024;
/// Server objects reached as attributes of imported modules (`@server.mcp.tool()`) one file
/// shares, at most: the first ones; the tools of others are read as if the module were not known.
pub const MAX_MODULE_SERVERS: usize = 16;
/// Lines a decorator or a call's argument list may span.
const MAX_SPAN_LINES: usize = 60;
/// Bytes after a TypeScript `registerTool(` searched for its options.
const MAX_CALL_BYTES: usize = 8 * 1024;

static HINT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"["']?(readOnlyHint|destructiveHint|idempotentHint|openWorldHint)["']?\s*[=:]\s*(True|False|true|false)"#)
        .expect("valid regex")
});
static PY_DEF: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^\s*(?:async\s+)?def\s+([A-Za-z_][A-Za-z0-9_]*)").expect("valid regex")
});
static PY_CLASS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"^class\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)").expect("valid regex")
});
static PY_SERVER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"(?m)(?:^|[^A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:[A-Za-z_.]*\.)?(?:FastMCP|MCPServer|Server)\(\s*(?:name\s*=\s*)?(?:"((?:[^"\\\n]|\\.)+)"|'((?:[^'\\\n]|\\.)+)')"#)
        .expect("valid regex")
});
static PY_KWARG: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\b(name|name_override|description|needs_approval)\s*=\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|(True|False))"#)
        .expect("valid regex")
});
static PY_FIRST_STRING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"^\(\s*(?:"((?:[^"\\\n]|\\.)+)"|'((?:[^'\\\n]|\\.)+)')"#).expect("valid regex")
});
/// `server.registerTool("name", …` or `server.registerTool(name, config, …` (identifiers
/// resolved to constants of the same file): groups 3 to 5 a quoted name, 6 an identifier, 7 the
/// options' identifier.
static TS_CALL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"([A-Za-z_$][A-Za-z0-9_$]*)\s*\.\s*(registerTool|tool)\(\s*(?:"((?:[^"\\\n]|\\.)+)"|'((?:[^'\\\n]|\\.)+)'|`((?:[^`\\$]|\\.)+)`|([A-Za-z_$][A-Za-z0-9_$]*)\s*,\s*([A-Za-z_$][A-Za-z0-9_$]*\s*,)?)"#)
        .expect("valid regex")
});
/// `const name = "echo"` (also `let`/`var`, with a type annotation): group 1 the name, groups 2
/// to 4 the value.
static TS_STRING_CONST: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\b(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*(?::\s*[A-Za-z_$][A-Za-z0-9_$.<>\[\]| ]*)?=\s*(?:"((?:[^"\\\n]|\\.)+)"|'((?:[^'\\\n]|\\.)+)'|`((?:[^`\\$]|\\.)+)`)"#)
        .expect("valid regex")
});
/// `const config = {` (also `let`/`var`, with a type annotation): group 1 the name.
static TS_OBJECT_CONST: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\b(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*(?::\s*[A-Za-z_$][A-Za-z0-9_$.<>\[\]| ]*)?=\s*\{"#)
        .expect("valid regex")
});
/// `@server.list_tools()`, `@self.server.list_tools()`: the low-level Python MCP server lists
/// its tools in a function (group 1 the server object).
static PY_LIST_TOOLS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?m)^\s*@\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*\.\s*list_tools\s*\(",
    )
    .expect("valid regex")
});
/// `Tool(` or `types.Tool(`, the low-level server's tool description (not `BaseTool(`).
static PY_TOOL_CALL: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\bTool\s*\(").expect("valid regex"));
/// `name="…"`, or `name=Enum.MEMBER(.value)` (group 3) resolved within the same file.
static PY_NAME_ARG: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\bname\s*=\s*(?:"((?:[^"\\\n]|\\.)+)"|'((?:[^'\\\n]|\\.)+)'|[A-Za-z_][A-Za-z0-9_]*\.([A-Za-z_][A-Za-z0-9_]*)(?:\.value)?\b)"#)
        .expect("valid regex")
});
/// `description="…"` (also triple-quoted).
static PY_DESCRIPTION_ARG: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"(?s)\bdescription\s*=\s*(?:"""(.*?)"""|'''(.*?)'''|"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')"#)
        .expect("valid regex")
});
/// `    MEMBER = "value"`: an enum member or class constant.
static PY_MEMBER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"(?m)^[ \t]+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"((?:[^"\\\n]|\\.)+)"|'((?:[^'\\\n]|\\.)+)')"#)
        .expect("valid regex")
});
static TS_SERVER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"([A-Za-z_$][A-Za-z0-9_$]*)\s*=\s*new\s+(?:McpServer|Server)\(\s*\{[^}]*?name\s*:\s*(?:"((?:[^"\\\n]|\\.)+)"|'((?:[^'\\\n]|\\.)+)'|`((?:[^`\\$]|\\.)+)`)"#)
        .expect("valid regex")
});
/// `obj = new McpServer({ name: NAME` or `new Server({ name: info.name`, the name held in a
/// constant: group 1 the object, group 2 the constant, group 3 its property.
static TS_SERVER_NAME_CONST: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"([A-Za-z_$][A-Za-z0-9_$]*)\s*=\s*new\s+(?:McpServer|Server)\(\s*\{[^}]*?\bname\s*:\s*([A-Za-z_$][A-Za-z0-9_$]*)(?:\s*\.\s*([A-Za-z_$][A-Za-z0-9_$]*))?\s*[,}\n]"#)
        .expect("valid regex")
});
/// `import { Server } from "@modelcontextprotocol/sdk/server/index.js"`: the SDK's low-level
/// server class, which a bare `new Server(` then constructs.
static TS_SDK_SERVER_IMPORT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r#"\bimport\s*\{[^}]*\bServer\b[^}]*\}\s*from\s*["']@modelcontextprotocol/sdk/server\b"#,
    )
    .expect("valid regex")
});
/// A string property of an object literal (`name: "acme"`): group 1 the key, group 2 to 4 the
/// value.
static TS_STRING_PROPERTY: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"\b([A-Za-z_$][A-Za-z0-9_$]*)\s*:\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`)"#)
        .expect("valid regex")
});
/// `obj = new McpServer(` or `new Server(`, whatever its arguments: group 1 the object, group 2
/// the class.
static TS_SERVER_OBJECT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"([A-Za-z_$][A-Za-z0-9_$]*)\s*=\s*new\s+(McpServer|Server)\s*\(")
        .expect("valid regex")
});
/// `obj = FastMCP(`, `MCPServer(` (FastMCP's name in later SDK releases) or `Server(` (also
/// `mcp.server.FastMCP(`), whatever its arguments: group 1 the object, group 2 the class.
static PY_SERVER_OBJECT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?m)(?:^|[^A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:[A-Za-z_.]*\.)?(FastMCP|MCPServer|Server)\s*\(")
        .expect("valid regex")
});
/// The module specifier of an `import`/`export … from`, a side-effect `import "…"`, a
/// `require(` or an `import(`: group 1.
static TS_IMPORT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"(?m)(?:^[ \t]*(?:import|export)\b[^;'"`]*?\bfrom\s*|^[ \t]*import\s*|\b(?:require|import)\s*\(\s*)["']([^"'\n]+)["']"#)
        .expect("valid regex")
});
/// `from .mod import a, b`, `from acme.server import (a, b)`: group 1 the module (its dots and
/// name), group 2 the names (up to the end of the line, or of the parenthesised list).
static PY_FROM_IMPORT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?m)^[ \t]*from\s+(\.+[A-Za-z0-9_.]*|[A-Za-z_][A-Za-z0-9_.]*)\s+import\s+(\([^)]*\)|[^#\n]*)")
        .expect("valid regex")
});
/// `import acme.server, acme.tools as tools`: group 1 the modules and their aliases.
static PY_IMPORT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?m)^[ \t]*import[ \t]+([A-Za-z_][A-Za-z0-9_.]*(?:[ \t]+as[ \t]+[A-Za-z_][A-Za-z0-9_]*)?(?:[ \t]*,[ \t]*[A-Za-z_][A-Za-z0-9_.]*(?:[ \t]+as[ \t]+[A-Za-z_][A-Za-z0-9_]*)?)*)")
        .expect("valid regex")
});
static PY_RISKY_CLASS: LazyLock<Pattern> = LazyLock::new(|| {
    let names = RISKY_LANGCHAIN_TOOLS.join("|");
    Pattern::new(&format!(r"\b({names})\s*\(")).expect("valid regex")
});

/// Ready-made LangChain tools and toolkits with a large blast radius, instantiated by name.
/// Sorted; their tiers are in `agent::tier::BUILTINS`.
pub static RISKY_LANGCHAIN_TOOLS: &[&str] = &[
    "DeleteFileTool",
    "FileManagementToolkit",
    "PythonAstREPLTool",
    "PythonREPLTool",
    "RequestsToolkit",
    "ShellTool",
    "WriteFileTool",
];

static TS_DESCRIPTION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"description\s*:\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\(?s:.))*)`)"#).expect("valid regex")
});

/// Which language a source file is, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Python,
    Script,
    Go,
    /// C#: the MCP SDK's `[McpServerTool]` methods and Semantic Kernel's `[KernelFunction]`
    /// ones (`csharp`).
    CSharp,
}

/// What one source file says about agent tools, and what discovery needs to find the MCP server
/// of a tool whose server the file does not construct.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SourceTools {
    pub tools: Vec<ToolDecl>,
    /// The MCP servers the file constructs: their names, or the file's stem for a server whose
    /// name is not written out (what the file's own tools are named after).
    pub servers: Vec<String>,
    /// Imports as written: `./echo.js`, `../tools/index.js`, `@/server`; Python `.tools`,
    /// `..server.app` (for `from . import a`, `.a`), `acme.server`; Go package paths
    /// (`github.com/acme/ops/internal/tools`). Discovery resolves those
    /// that lead to files of the scan (`agent::code_servers`).
    pub imports: Vec<String>,
    /// The entry of `servers` (the file's stem) that stands for a server the file builds without
    /// naming it, or with a name the file does not hold (`FastMCP(name=SERVER_NAME)`, the
    /// constant imported): a C# MCP server is named after its assembly, the project's, unless it
    /// sets `ServerInfo`; a Python or TypeScript one by the value of the constant it is built
    /// with (`unnamed_by`) where discovery finds it, else after its package (`pyproject.toml`,
    /// `package.json`). Discovery names it (`agent::code_servers`); the file's tools of that
    /// server are marked `server_elsewhere` for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unnamed_server: Option<String>,
    /// Python, TypeScript/JavaScript: the constant the server the file leaves unnamed is built
    /// with (`FastMCP(SERVER_NAME)`, `new McpServer({ name: CONFIG.name })`), imported or, in
    /// Python, of the file itself, when every server it leaves unnamed is built with that one.
    /// Discovery names the server by the constant's value where it finds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unnamed_by: Option<NameConstant>,
    /// Python, TypeScript/JavaScript: the string constants the file shares with the files that
    /// import it, by name (`SERVER_NAME`, `CONFIG.name`), decoded (`constants`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub constants: BTreeMap<String, String>,
    /// C#: the classes that declare the file's MCP tools.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tool_classes: Vec<ToolClass>,
    /// C#: what the file's `WithTools…` calls register.
    #[serde(skip_serializing_if = "ToolRegistrations::is_empty")]
    pub registrations: ToolRegistrations,
    /// TypeScript/JavaScript: the tools a low-level server of the file lists from other files,
    /// and the tools the file's exported names stand for; discovery joins them.
    #[serde(skip_serializing_if = "ScriptLinks::is_empty")]
    pub links: ScriptLinks,
    /// Go: what the file shares with the other files of its package (its package-level string
    /// constants) and the tools and server name that wait for one of theirs. Discovery
    /// resolves them (`agent::code_servers`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go_scope: Option<Box<GoPackageScope>>,
    /// Python: the server classes the file defines and the instances it builds of server
    /// classes imported from other files; discovery joins them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub python_links: Option<Box<PythonLinks>>,
}

/// What a Python file shares with the files that import it, and what it waits for from the
/// files it imports: server classes defined in one file and built or derived from in another,
/// and the names it imports, which a file that imports them from it reaches through it (a
/// package's `__init__.py` that re-exports `mcp` from `.server`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PythonLinks {
    /// The file's subclasses of `FastMCP` or `MCPServer`, each with the name its `__init__`
    /// gives its server (`None`: the one it is built with).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub server_classes: Vec<(String, Option<String>)>,
    /// The file's instances of classes imported from other files whose names say they are
    /// servers (`server = AcmeBaseServer()` after `from .base import AcmeBaseServer`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub imported_servers: Vec<ImportedServer>,
    /// The file's classes that derive from classes imported from other files (`class
    /// AcmeExt(AcmeBase)` after `from .base import AcmeBase`), in the order their bodies start.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subclasses: Vec<PythonSubclass>,
    /// The names the file imports by `from … import …`, sorted by the name they are bound to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<PythonName>,
    /// The modules the file imports `*` from (`from .server import *`), as written, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub star_imports: Vec<String>,
    /// The names its literal `__all__` lists, sorted: all that `*` takes from it. `None` without
    /// one (or with one built at run time): `*` takes every name not starting with `_`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<String>>,
    /// The names it binds at the margin (`mcp = …`, `def create_server`, `class AcmeServer`),
    /// sorted, when it may build a server: those `*` can lead to one by.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bound: Vec<String>,
    /// The server objects the file's tools are registered on as attributes of modules it
    /// imports (`@server.mcp.tool()` after `from acme_pkg import server`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub module_servers: Vec<ModuleServer>,
    /// The file's classes that are tool classes (`BaseTool` subclasses) or may be ones through
    /// classes imported from other files, in file order; discovery finishes them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tool_classes: Vec<PythonToolClass>,
}

/// A server object a Python file reaches as an attribute of a module it imports: `server.mcp`
/// after `from acme_pkg import server`, `srv.mcp` after `import acme_pkg.server as srv`,
/// `acme_pkg.mcp` after `import acme_pkg`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModuleServer {
    /// The module, as the file names it.
    pub module: PythonModule,
    /// The object's name in that module (`mcp`).
    pub object: String,
    /// In a file that does not name MCP, the tools registered on it, read as tools of a server
    /// elsewhere under the file's stem: they take the place of the plain tools read at their
    /// spans when discovery finds the module's server. Empty in a file that names MCP, whose
    /// tools are read as such already.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<ToolDecl>,
}

impl PythonLinks {
    pub fn is_empty(&self) -> bool {
        self.server_classes.is_empty()
            && self.imported_servers.is_empty()
            && self.subclasses.is_empty()
            && self.names.is_empty()
            && self.star_imports.is_empty()
            && self.all.is_none()
            && self.bound.is_empty()
            && self.module_servers.is_empty()
            && self.tool_classes.is_empty()
    }

    /// Whether the file binds the name `name` at the margin.
    pub fn binds(&self, name: &str) -> bool {
        self.bound
            .binary_search_by(|bound| bound.as_str().cmp(name))
            .is_ok()
    }

    /// What the name `bound` of the file stands for when the file imports it.
    pub fn imported(&self, bound: &str) -> Option<&PythonName> {
        let k = self
            .names
            .partition_point(|name| name.bound.as_str() < bound);
        self.names.get(k).filter(|name| name.bound == bound)
    }
}

/// Whether `from <module> import *` takes the name `name` from the Python module whose links
/// are `links`: the names its `__all__` lists, else every name not starting with `_`.
pub fn star_takes(links: Option<&PythonLinks>, name: &str) -> bool {
    match links.and_then(|links| links.all.as_deref()) {
        Some(all) => all
            .binary_search_by(|listed| listed.as_str().cmp(name))
            .is_ok(),
        None => !name.starts_with('_'),
    }
}

/// A name a Python file imports: `from .server import mcp as app` binds `app` to `mcp` of
/// `.server`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PythonName {
    /// The name in the file.
    pub bound: String,
    /// The module as written: `.server`, `acme.server`, `..`.
    pub module: String,
    /// The name in that module.
    pub name: String,
}

/// A class of a Python file that derives from classes imported from other files: a server class
/// when one of those is one, which discovery tells by reading them in their files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PythonSubclass {
    pub class: String,
    /// The classes it derives from, in order: each one's module as written and name there.
    pub bases: Vec<(String, String)>,
    /// The name its `__init__` gives its server (or a class of the file it derives from
    /// gives); `None`: the name of the class it derives from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// The file binds an instance of it to a name (`server = AcmeExt()`).
    pub built: bool,
    /// The tools registered on its server (on `self` in its body, on its instances), were it
    /// a server class: under the file's stem, as tools of a server elsewhere. They take the
    /// place of the tools read at their spans when it is one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<ToolDecl>,
}

/// An instance of a class imported from another Python file, and the file's tools that are
/// its tools if the class is a server class there: until then they are tools of a server
/// elsewhere under the file's stem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedServer {
    /// The module as written: `.base`, `acme.base`.
    pub module: String,
    /// The class's name in that module.
    pub class: String,
    /// The name the instance is built with, when written out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The byte offsets of the spans of its tools.
    pub tools: Vec<usize>,
}

impl SourceTools {
    pub fn is_empty(&self) -> bool {
        self.tools.is_empty()
            && self.servers.is_empty()
            && self.imports.is_empty()
            && self.registrations.is_empty()
            && self.links.is_empty()
            && self.go_scope.is_none()
            && self.python_links.is_none()
            && self.constants.is_empty()
    }
}

/// C#: a class of the file that declares MCP tools (`[McpServerTool]` methods), which
/// `WithTools<T>()` registers by its name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ToolClass {
    /// Its name, without namespace, enclosing classes or type parameters.
    pub name: String,
    /// It carries `[McpServerToolType]`, so `WithToolsFromAssembly()` registers it.
    pub tool_type: bool,
    /// Its tools: indices into `SourceTools::tools`.
    pub tools: Vec<usize>,
}

/// C#: what the `WithTools…` calls of a file register with an MCP server builder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ToolRegistrations {
    /// The `WithTools…` calls of the file.
    pub calls: usize,
    /// The classes named by `WithTools<T>()`, `WithTools([typeof(T)])`, `WithTools(new[] {
    /// typeof(T) })` (the last part of each name).
    pub types: Vec<String>,
    /// `WithToolsFromAssembly(…)`: `None` for the calling assembly (the file's project), else
    /// the class whose assembly it names (`typeof(T).Assembly`).
    pub assemblies: Vec<Option<String>>,
    /// Some call registers what the file does not show: tools made in code or held in a
    /// variable, an assembly held in one.
    pub unread: bool,
    /// The methods called by name on the builders of the file's servers: chained after
    /// `AddMcpServer(…)` or on a variable that holds its builder (`.WithAcmeTools()`); in an
    /// extension method, on its builder parameter. `WithTools…` calls are not among them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chained: Vec<String>,
    /// The extension methods on `IMcpServerBuilder` the file declares that register tools or
    /// call other methods on their builder.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<BuilderExtension>,
}

impl ToolRegistrations {
    pub fn is_empty(&self) -> bool {
        self.calls == 0 && self.chained.is_empty() && self.extensions.is_empty()
    }
}

/// C#: an extension method on `IMcpServerBuilder` (`static IMcpServerBuilder
/// WithAcmeTools(this IMcpServerBuilder builder)`), which a server's builder chain calls by
/// name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuilderExtension {
    pub name: String,
    /// What its body registers: its `WithTools…` calls, and the methods it calls on its
    /// builder parameter (`chained`); it declares no extensions.
    pub registrations: ToolRegistrations,
}

/// Tools defined in one source file, the servers it constructs and its imports; empty when it
/// has none. `stem` names an MCP server whose constructor is not found in the file
/// (`ToolDecl::server_elsewhere` says which tools discovery should look further for). Only
/// code is read: a declaration, construction or import that starts in a comment or a string
/// (a TypeScript template literal, a Python docstring) is example text.
pub fn scan(text: &str, language: Language, stem: &str) -> ParseResult<SourceTools> {
    let markers = ["tool", "Tool", "Server", "FastMCP", "kernel_function"];
    let declares = markers.iter().any(|marker| text.contains(marker));
    let mut links = ScriptLinks::default();
    let mut go_scope = None;
    let mut python_links = None;
    let mut unnamed_by = None;
    let mut constants = BTreeMap::new();
    let ((mut tools, servers, unnamed), imports) = match language {
        Language::Python => {
            let source = PythonSource::new(text);
            let imports = python_servers::from_names(&source);
            let subclasses = python_servers::subclasses(&source, &imports);
            let clauses = python_import_clauses(&source);
            let modules = ModuleNames::read(&imports, &clauses);
            let (mut declared, mut links, named_by) = if declares {
                scan_python(&source, stem, &imports, &subclasses, &modules)
            } else {
                let links = PythonLinks {
                    subclasses: subclass_links(&subclasses, None, stem),
                    ..PythonLinks::default()
                };
                (Declared::default(), links, None)
            };
            let (class_tools, tool_classes) = python_classes::read(&source, &imports);
            declared.0.extend(class_tools);
            links.tool_classes = tool_classes;
            if declares {
                declared.0.extend(openai_agents::hosted_tools(
                    &source, &imports, &clauses, stem,
                ));
            }
            links.names = (imports.iter())
                .map(|import| PythonName {
                    bound: import.bound.to_owned(),
                    module: import.module.to_owned(),
                    name: import.name.to_owned(),
                })
                .collect();
            links.names.sort();
            links.names.dedup();
            let exports = python_exports::read(&source, declares);
            (links.star_imports, links.all, links.bound) =
                (exports.modules, exports.all, exports.bound);
            constants = constants::python(&source);
            // A name the file imports as well as assigns is no constant of it.
            constants.retain(|name, _| links.imported(name).is_none());
            // The constant is the one the file imports by that name and never assigns, else its
            // own; or an attribute of a module the file imports and never assigns.
            unnamed_by = named_by.and_then(|name| match links.imported(name) {
                _ if name.contains('.') => {
                    let (module, attribute) = modules.attribute(name)?;
                    let head = ModuleNames::head(name);
                    (!constants::python_assigns(&source, head)).then(|| NameConstant {
                        module: Some(module.module),
                        module_name: module.name,
                        name: attribute.to_owned(),
                        property: None,
                    })
                }
                Some(_) if constants::python_assigns(&source, name) => None,
                Some(import) => Some(NameConstant {
                    module: Some(import.module.clone()),
                    module_name: None,
                    name: import.name.clone(),
                    property: None,
                }),
                None => constants.contains_key(name).then(|| NameConstant {
                    module: None,
                    module_name: None,
                    name: name.to_owned(),
                    property: None,
                }),
            });
            python_links = (!links.is_empty()).then(|| Box::new(links));
            (declared, python_imports(&source, &clauses))
        }
        Language::Script => {
            let lexed = Lexed::new(text);
            // A file that exports a list of tools may name no tool or server.
            let declared;
            (declared, links, unnamed_by) = if declares || text.contains("export") {
                scan_script(&lexed, stem)
            } else {
                Default::default()
            };
            constants = constants::script(&lexed);
            (declared, script_imports(&lexed))
        }
        Language::Go => {
            let lexed = Lexed::of(text, script_lex::Dialect::Go);
            let source = go::scan(&lexed, stem, declares);
            go_scope = source.scope;
            (
                (source.tools, source.servers, false),
                go::import_paths(&lexed),
            )
        }
        Language::CSharp => return Ok(csharp::scan(text, stem)),
    };
    tools.sort_by_key(|t| t.span.map(|s| s.offset));
    // The tools of a server the file leaves unnamed are named by discovery, after the package.
    let provider = format!("mcp:{stem}");
    if unnamed {
        for tool in &mut tools {
            if tool.provider.as_deref() == Some(provider.as_str()) {
                tool.server_elsewhere = true;
            }
        }
        for listed in &mut links.listed {
            listed.server_elsewhere |= listed.server == stem;
        }
    }
    Ok(SourceTools {
        tools,
        servers,
        imports,
        unnamed_server: unnamed.then(|| stem.to_owned()),
        unnamed_by: unnamed_by.filter(|_| unnamed),
        constants,
        links,
        go_scope,
        python_links,
        ..SourceTools::default()
    })
}

/// The MCP servers a file constructs (see `SourceTools::servers`), from its named servers by
/// object and the objects bound to a construction of one of `anonymous_classes`, the server
/// classes that are MCP's alone (`McpServer`, `FastMCP`; a bare `Server` may be an HTTP server).
/// Whether a server is unnamed comes with them: it stands under `stem` until discovery names it
/// after its package (`SourceTools::unnamed_server`).
fn constructed_servers(
    named: &BTreeMap<&str, String>,
    objects: &BTreeMap<&str, &str>,
    anonymous_classes: &[&str],
    stem: &str,
) -> (Vec<String>, bool) {
    let mut servers: Vec<String> = named.values().cloned().collect();
    let unnamed = objects
        .iter()
        .any(|(object, class)| anonymous_classes.contains(class) && !named.contains_key(object))
        && !servers.iter().any(|name| name == stem);
    if unnamed {
        servers.push(stem.to_owned());
    }
    servers.sort();
    servers.dedup();
    (servers, unnamed)
}

/// What a reader found in one file: its tools, the servers it constructs, and whether one of
/// them is unnamed (see [`constructed_servers`]).
type Declared = (Vec<ToolDecl>, Vec<String>, bool);

/// The module specifiers a JavaScript/TypeScript file imports in code, relative (`./echo.js`)
/// or not (`@/server`, `acme-sdk`).
fn script_imports(lexed: &Lexed) -> Vec<String> {
    let mut imports: Vec<String> = TS_IMPORT
        .captures_iter(lexed.text)
        .filter(|c| c.get(0).is_some_and(|m| lexed.is_code(first_word(m))))
        .filter_map(|c| Some(c.get(1)?.as_str().to_owned()))
        .collect();
    imports.sort();
    imports.dedup();
    imports
}

/// The modules a Python file imports in code: `from .a import b` gives `.a` and `.a.b` (`b` may
/// be a module), `from acme.server import mcp` gives `acme.server` and `acme.server.mcp`,
/// `import acme.tools as tools` gives `acme.tools` (of its `clauses`, [`python_import_clauses`]);
/// discovery keeps those that are files.
fn python_imports(source: &PythonSource, clauses: &[&str]) -> Vec<String> {
    let text = source.text;
    if !text.contains("import") {
        return Vec::new();
    }
    let in_code = |m: crate::pattern::Match| source.is_code(first_word(m));
    let mut imports = Vec::new();
    for c in PY_FROM_IMPORT.captures_iter(text) {
        if !c.get(0).is_some_and(in_code) {
            continue;
        }
        let module = &c[1];
        imports.push(module.to_owned());
        let names = c[2].trim_matches(|ch: char| ch == '(' || ch == ')' || ch.is_whitespace());
        for name in names.split(',') {
            let name = name.split_whitespace().next().unwrap_or("");
            if !name.is_empty() && name.chars().all(|ch| ch.is_alphanumeric() || ch == '_') {
                let sep = if module.ends_with('.') { "" } else { "." };
                imports.push(format!("{module}{sep}{name}"));
            }
        }
    }
    for clause in clauses {
        if let Some(module) = clause.split_whitespace().next() {
            imports.push(module.to_owned());
        }
    }
    imports.sort();
    imports.dedup();
    imports
}

/// The clauses of a Python file's `import` statements in code, as written: `acme.tools as
/// tools` and `os` of `import acme.tools as tools, os`.
fn python_import_clauses<'t>(source: &PythonSource<'t>) -> Vec<&'t str> {
    let text = source.text;
    if !text.contains("import") {
        return Vec::new();
    }
    PY_IMPORT
        .captures_iter(text)
        .filter(|c| c.get(0).is_some_and(|m| source.is_code(first_word(m))))
        .filter_map(|c| c.get(1))
        .flat_map(|modules| modules.as_str().split(','))
        .collect()
}

/// Where a match begins after the white space it starts with (a line's indentation).
fn first_word(m: crate::pattern::Match) -> usize {
    m.end() - m.as_str().trim_start().len()
}

fn capture<'t>(c: &crate::pattern::Captures<'t>, groups: &[usize]) -> Option<&'t str> {
    groups.iter().find_map(|&g| c.get(g).map(|m| m.as_str()))
}

fn annotations_in(text: &str) -> Option<Annotations> {
    let mut found = Annotations::default();
    let mut any = false;
    for c in HINT.captures_iter(text) {
        let value = Some(c[2].eq_ignore_ascii_case("true"));
        any = true;
        match &c[1] {
            "readOnlyHint" => found.read_only = value,
            "destructiveHint" => found.destructive = value,
            "idempotentHint" => found.idempotent = value,
            _ => found.open_world = value,
        }
    }
    any.then_some(found)
}

/// Byte offset of each line start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .filter(|&i| i <= text.len())
        .collect()
}

/// The tools, servers and links of a Python file, and the identifier the servers it leaves
/// unnamed are all built with, if they are (`mcp = FastMCP(SERVER_NAME)`); `imports` are the
/// names it imports, `subclasses` its classes that derive from imported ones, `modules` the
/// modules its imports name.
fn scan_python<'t>(
    source: &PythonSource<'t>,
    stem: &str,
    imports: &[python_servers::FromName<'t>],
    subclasses: &[python_servers::Subclass<'t>],
    modules: &ModuleNames,
) -> (Declared, PythonLinks, Option<&'t str>) {
    let text = source.text;
    // Where the object starts: a match may start at the character before it.
    let in_code =
        |c: &crate::pattern::Captures| c.get(1).is_some_and(|m| source.is_code(m.start()));
    let named: BTreeMap<&str, String> = PY_SERVER
        .captures_iter(text)
        .filter(in_code)
        .filter_map(|c| Some((c.get(1)?.as_str(), decode_python(capture(&c, &[2, 3])?))))
        .collect();
    let objects: BTreeMap<&str, &str> = PY_SERVER_OBJECT
        .captures_iter(text)
        .filter(in_code)
        .filter_map(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str())))
        .collect();
    // Read a second time, with the classes derived from imported ones as server classes, only
    // where such a class may register tools: discovery keeps what that reading finds when
    // one of the imported classes is a server class.
    let registers = text.contains(".tool") || text.contains(".add_tool");
    let as_servers = (!subclasses.is_empty() && registers).then(|| {
        let servers = PythonServers::read(source, named.clone(), objects.clone(), imports, true);
        let tools = python_tools(source, &servers, stem, modules, &mut Vec::new());
        (servers.named, tools)
    });
    let servers = PythonServers::read(source, named, objects, imports, false);
    let mut module_servers = Vec::new();
    let mut out = python_tools(source, &servers, stem, modules, &mut module_servers);
    let anonymous = ["FastMCP", "MCPServer"];
    let (constructed, unnamed) =
        constructed_servers(&servers.named, &servers.objects, &anonymous, stem);
    let named_by = if unnamed {
        let by_name = constants::python_server_names(source);
        let unnamed_objects = (servers.objects.iter()).filter(|(object, class)| {
            anonymous.contains(class) && !servers.named.contains_key(*object)
        });
        one_name(unnamed_objects.map(|(object, _)| by_name.get(object).copied()))
    } else {
        None
    };
    let mut links = python_links(&servers, &mut out, stem);
    links.subclasses = subclass_links(subclasses, as_servers, stem);
    links.module_servers = waiting_for_modules(module_servers, &mut out, names_mcp(source.text));
    ((out, constructed, unnamed), links, named_by)
}

/// Whether a Python file names MCP: a decorator `@obj.tool()` in it is an MCP server's, unless
/// the file binds `obj` only to instances of other classes (`agent = Agent("test")`,
/// `PythonServers::is_other`).
fn names_mcp(text: &str) -> bool {
    ["fastmcp", "from mcp", "import mcp"]
        .iter()
        .any(|marker| text.contains(marker))
}

/// The server objects of imported modules the file's tools are registered on; in a file that
/// does not name MCP, each keeps its tools as they were read (`python_tools`, as MCP tools of
/// a server elsewhere), and those read at their spans become the plain tools they are read as
/// while the module's server is not known.
fn waiting_for_modules(
    mut module_servers: Vec<ModuleServer>,
    tools: &mut [ToolDecl],
    names_mcp: bool,
) -> Vec<ModuleServer> {
    for module_server in &mut module_servers {
        if names_mcp {
            module_server.tools.clear();
            continue;
        }
        let spans: Vec<usize> = (module_server.tools.iter())
            .filter_map(|t| Some(t.span?.offset))
            .collect();
        for tool in tools.iter_mut() {
            if tool.span.is_some_and(|span| spans.contains(&span.offset)) {
                tool.id = format!("fn:{}", tool.name);
                tool.provider = None;
                tool.dialect = Dialect::PythonTool;
                tool.annotations = None;
                tool.server_elsewhere = false;
            }
        }
    }
    module_servers
}

/// The one value all of `names` are, when none is `None`.
fn one_name<T: PartialEq>(mut names: impl Iterator<Item = Option<T>>) -> Option<T> {
    let first = names.next()??;
    names
        .all(|name| name.as_ref() == Some(&first))
        .then_some(first)
}

/// The tools of a Python file whose servers are `servers`. A tool registered on a server
/// object reached as an attribute of a module it imports (`@server.mcp.tool()`, `modules`) is
/// read as a tool of a server elsewhere and added to that object's entry of `module_servers`.
fn python_tools(
    source: &PythonSource,
    servers: &PythonServers,
    stem: &str,
    modules: &ModuleNames,
    module_servers: &mut Vec<ModuleServer>,
) -> Vec<ToolDecl> {
    let text = source.text;
    let is_crewai = text.contains("crewai");
    let is_mcp = names_mcp(text);
    let (lines, quoted, starts) = (&source.lines, &source.quoted, &source.starts);
    let mut out = risky_instances(source);
    out.extend(listed_tools(source, &servers.named, &servers.objects, stem));
    out.extend(python_servers::registered_tools(
        source, servers, is_mcp, stem,
    ));
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if quoted[i] {
            // Example code in a docstring declares nothing.
            i += 1;
            continue;
        }
        let trimmed = line.trim_start();
        let Some(decorator) = trimmed.strip_prefix('@') else {
            i += 1;
            continue;
        };
        let target_end = decorator
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(decorator.len());
        let target = &decorator[..target_end];
        let (dialect, server) = match target.rsplit_once('.') {
            None if target == "tool" => (
                if is_crewai {
                    Dialect::CrewaiTool
                } else {
                    Dialect::PythonTool
                },
                None,
            ),
            None if target == "function_tool" => (Dialect::FunctionTool, None),
            Some((_, "function_tool")) => (Dialect::FunctionTool, None),
            // Semantic Kernel's plugin methods.
            None if target == "kernel_function" => (Dialect::SemanticKernelFunction, None),
            Some((_, "kernel_function")) => (Dialect::SemanticKernelFunction, None),
            // Pydantic AI's tool that takes no run context.
            Some((_, "tool_plain")) => (Dialect::PythonTool, None),
            Some((module, "tool")) if module.contains("tools") || module == "langchain" => {
                (Dialect::PythonTool, None)
            }
            Some((object, "tool"))
                if servers.is_server(object, starts[i])
                    || (is_mcp && !servers.is_other(object)) =>
            {
                (Dialect::Fastmcp, Some(object))
            }
            Some((object, "tool")) if module_server(modules, module_servers, object).is_some() => {
                (Dialect::Fastmcp, Some(object))
            }
            // `@promptflow.tool`, `@lt.tool` (an alias of LangChain's tools): not an MCP server.
            Some((_, "tool")) => (Dialect::PythonTool, None),
            _ => {
                i += 1;
                continue;
            }
        };
        // The decorator's arguments, up to balanced parentheses.
        let mut args = String::from(&decorator[target_end..]);
        let mut end = i;
        while paren_depth(&args) > 0 && end + 1 < lines.len() && end - i < MAX_SPAN_LINES {
            end += 1;
            args.push('\n');
            args.push_str(lines[end]);
        }
        // The decorated function.
        let Some((def_line, function)) = (end + 1..lines.len().min(end + 1 + 20))
            .find_map(|j| PY_DEF.captures(lines[j]).map(|c| (j, c[1].to_owned())))
        else {
            i = end + 1;
            continue;
        };
        let mut name = function.clone();
        let mut description = None;
        let mut auto_approved = None;
        if let Some(c) = PY_FIRST_STRING.captures(args.trim_start()) {
            name = capture(&c, &[1, 2]).map_or(name, decode_python);
        }
        for c in PY_KWARG.captures_iter(&args) {
            match (&c[1], capture(&c, &[2, 3]), c.get(4).map(|m| m.as_str())) {
                ("name" | "name_override", Some(v), _) => name = decode_python(v),
                ("description", Some(v), _) => description = Some(decode_python(v)),
                ("needs_approval", _, Some(flag)) => auto_approved = Some(flag == "False"),
                _ => {}
            }
        }
        if description.is_none() {
            description = docstring(&lines[def_line + 1..]);
        }
        let (id, provider, server_elsewhere) = match server {
            Some(object) => {
                let (server, here) = servers.server_of(object, starts[i]);
                let server = server.unwrap_or(stem);
                (
                    format!("mcp:{server}/{name}"),
                    Some(format!("mcp:{server}")),
                    !here,
                )
            }
            None => (format!("fn:{name}"), None, false),
        };
        let def_text = lines[def_line];
        let offset = starts[def_line] + def_text.find(&function).unwrap_or(0);
        let tool = ToolDecl {
            id,
            name,
            provider,
            dialect,
            description: description.map(|d| short_description(&d)),
            annotations: if dialect == Dialect::Fastmcp {
                annotations_in(&args)
            } else {
                None
            },
            auto_approved,
            url: None,
            span: Some(TextSpan::at(text, offset, function.len())),
            server_elsewhere,
        };
        if server_elsewhere
            && let Some(object) = server
            && let Some(k) = module_server(modules, module_servers, object)
        {
            module_servers[k].tools.push(tool.clone());
        }
        out.push(tool);
        i = def_line + 1;
    }
    out
}

/// The entry of `module_servers` for `object` when it is an attribute of a module the file
/// imports (`server.mcp`), added if new and there is room for it ([`MAX_MODULE_SERVERS`]).
fn module_server(
    modules: &ModuleNames,
    module_servers: &mut Vec<ModuleServer>,
    object: &str,
) -> Option<usize> {
    if modules.is_empty() || !object.contains('.') || object.starts_with("self.") {
        return None;
    }
    let (module, object) = modules.attribute(object)?;
    let found =
        (module_servers.iter()).position(|known| known.module == module && known.object == object);
    if found.is_some() || module_servers.len() == MAX_MODULE_SERVERS {
        return found;
    }
    module_servers.push(ModuleServer {
        module,
        object: object.to_owned(),
        tools: Vec::new(),
    });
    Some(module_servers.len() - 1)
}

/// What the file shares with other files (see [`PythonLinks`]); the tools of an instance of an
/// imported class, which stand under its placeholder name, go under the file's stem as tools
/// of a server elsewhere until discovery reads the class.
fn python_links(servers: &PythonServers, tools: &mut [ToolDecl], stem: &str) -> PythonLinks {
    let mut links = PythonLinks {
        server_classes: servers
            .server_classes()
            .map(|(name, server)| (name.to_owned(), server.cloned()))
            .collect(),
        imported_servers: (servers.imported_builds.iter())
            .map(|build| ImportedServer {
                module: build.module.to_owned(),
                class: build.class.to_owned(),
                name: build.name.clone(),
                tools: Vec::new(),
            })
            .collect(),
        ..PythonLinks::default()
    };
    if !links.imported_servers.is_empty() {
        for tool in tools.iter_mut() {
            let Some(k) = (tool.provider.as_deref())
                .and_then(|p| p.strip_prefix("mcp:\u{1}"))
                .and_then(|k| k.parse::<usize>().ok())
            else {
                continue;
            };
            tool.provider = Some(format!("mcp:{stem}"));
            tool.id = format!("mcp:{stem}/{}", tool.name);
            tool.server_elsewhere = true;
            if let (Some(imported), Some(span)) = (links.imported_servers.get_mut(k), tool.span) {
                imported.tools.push(span.offset);
            }
        }
    }
    links
}

/// The file's [`Subclass`](python_servers::Subclass)es as links, each with the tools the
/// reading that takes them as server classes found (`as_servers`: the names its objects are
/// bound to and its tools), under the file's stem as tools of a server elsewhere until
/// discovery reads the classes they derive from.
fn subclass_links(
    subclasses: &[python_servers::Subclass],
    as_servers: Option<(BTreeMap<&str, String>, Vec<ToolDecl>)>,
    stem: &str,
) -> Vec<PythonSubclass> {
    let mut links: Vec<PythonSubclass> = (subclasses.iter())
        .map(|subclass| PythonSubclass {
            class: subclass.class.to_owned(),
            bases: (subclass.bases.iter())
                .map(|(module, name)| ((*module).to_owned(), (*name).to_owned()))
                .collect(),
            server: subclass.server.clone(),
            built: false,
            tools: Vec::new(),
        })
        .collect();
    let Some((named, tools)) = as_servers else {
        return links;
    };
    for (k, link) in links.iter_mut().enumerate() {
        let mark = python_servers::subclass_mark(k);
        link.built = named.values().any(|name| *name == mark);
    }
    for mut tool in tools {
        let Some(k) = (tool.provider.as_deref())
            .and_then(|p| p.strip_prefix("mcp:\u{2}"))
            .and_then(|k| k.parse::<usize>().ok())
        else {
            continue;
        };
        if let Some(link) = links.get_mut(k) {
            tool.provider = Some(format!("mcp:{stem}"));
            tool.id = format!("mcp:{stem}/{}", tool.name);
            tool.server_elsewhere = true;
            link.tools.push(tool);
        }
    }
    links
}

/// A Python source by line, and where it is code: not in a `#` comment, not on a line that
/// starts inside a triple-quoted string (a docstring; the line that opens one is code).
struct PythonSource<'t> {
    text: &'t str,
    lines: Vec<&'t str>,
    /// Byte offset of each line start.
    starts: Vec<usize>,
    /// `lines_in_triple_quotes`.
    quoted: Vec<bool>,
}

impl<'t> PythonSource<'t> {
    fn new(text: &'t str) -> PythonSource<'t> {
        let lines: Vec<&str> = text.lines().collect();
        PythonSource {
            text,
            starts: line_starts(text),
            quoted: lines_in_triple_quotes(&lines),
            lines,
        }
    }

    /// Whether the byte at `at` is code.
    fn is_code(&self, at: usize) -> bool {
        let line = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        match (self.lines.get(line), self.quoted.get(line)) {
            (Some(text), Some(false)) => {
                python_line_at(text, at - self.starts[line]) == LinePosition::Code
            }
            _ => false,
        }
    }
}

/// What a column of a Python line is, as far as the line itself tells.
#[derive(Debug, PartialEq, Eq)]
enum LinePosition {
    Code,
    /// Inside a string that opens on the line.
    Literal,
    /// In the comment that begins at this offset.
    Comment(usize),
}

/// What column `at` of `line` is: the strings (one-line or triple-quoted) and the `#` comment
/// before it are walked from the line's start.
fn python_line_at(line: &str, at: usize) -> LinePosition {
    const QUOTES: [&[u8]; 4] = [b"\"\"\"", b"'''", b"\"", b"'"];
    let bytes = line.as_bytes();
    let mut open: Option<&[u8]> = None;
    let mut i = 0;
    while i < at.min(bytes.len()) {
        let rest = &bytes[i..];
        match open {
            Some(_) if rest[0] == b'\\' => i += 2,
            Some(quote) if rest.starts_with(quote) => {
                open = None;
                i += quote.len();
            }
            Some(_) => i += 1,
            None if rest[0] == b'#' => return LinePosition::Comment(i),
            None => match QUOTES.iter().find(|q| rest.starts_with(q)) {
                Some(quote) => {
                    open = Some(quote);
                    i += quote.len();
                }
                None => i += 1,
            },
        }
    }
    if open.is_some() {
        LinePosition::Literal
    } else {
        LinePosition::Code
    }
}

/// Where a line's `#` comment begins, outside the strings before it.
fn comment_start(line: &str) -> Option<usize> {
    match python_line_at(line, line.len()) {
        LinePosition::Comment(at) => Some(at),
        _ => None,
    }
}

/// For each line, whether it starts inside a triple-quoted string (a docstring). A `#` before
/// the quotes makes them a comment's; a triple quote inside a one-line string is not told apart.
fn lines_in_triple_quotes(lines: &[&str]) -> Vec<bool> {
    const QUOTES: [&str; 2] = ["\"\"\"", "'''"];
    let mut open: Option<&str> = None;
    lines
        .iter()
        .map(|line| {
            let starts_inside = open.is_some();
            let mut rest = *line;
            loop {
                if let Some(quote) = open {
                    let Some(k) = rest.find(quote) else { break };
                    rest = &rest[k + 3..];
                    open = None;
                    continue;
                }
                let comment = comment_start(rest).unwrap_or(rest.len());
                let next = QUOTES
                    .iter()
                    .filter_map(|q| rest.find(q).map(|k| (k, *q)))
                    .min();
                match next {
                    Some((k, quote)) if k < comment => {
                        rest = &rest[k + 3..];
                        open = Some(quote);
                    }
                    _ => break,
                }
            }
            starts_inside
        })
        .collect()
}

/// `ShellTool()`, `FileManagementToolkit(root_dir=…)`: built-in tools handed to an agent, in
/// code.
fn risky_instances(source: &PythonSource) -> Vec<ToolDecl> {
    let text = source.text;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for c in PY_RISKY_CLASS.captures_iter(text) {
        let Some(m) = c.get(1).filter(|m| source.is_code(m.start())) else {
            continue;
        };
        let before = &text[..m.start()];
        // Skip the class's own definition and imports.
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..m.start()];
        if line.trim_start().starts_with("class ") || line.contains("import") {
            continue;
        }
        if !seen.insert(m.as_str()) {
            continue;
        }
        out.push(ToolDecl {
            id: format!("builtin:{}", m.as_str()),
            name: m.as_str().to_owned(),
            provider: None,
            dialect: Dialect::LangchainBuiltin,
            description: None,
            annotations: None,
            auto_approved: None,
            url: None,
            span: Some(TextSpan::at(text, m.start(), m.len())),
            server_elsewhere: false,
        });
    }
    out
}

fn paren_depth(s: &str) -> i32 {
    s.chars().fold(0, |d, c| match c {
        '(' => d + 1,
        ')' => d - 1,
        _ => d,
    })
}

/// The first paragraph of a function's docstring, from the lines after its `def`.
fn docstring(after: &[&str]) -> Option<String> {
    let mut lines = after.iter().take(MAX_SPAN_LINES);
    // Skip the rest of a multi-line signature.
    let first = lines.find(|l| {
        let t = l.trim();
        !t.is_empty() && !t.ends_with(':') && !t.ends_with(',') && !t.starts_with(')')
    })?;
    let t = first.trim();
    let quote = ["\"\"\"", "'''"].into_iter().find(|q| t.starts_with(q))?;
    let body = &t[3..];
    if let Some(end) = body.find(quote) {
        return Some(decode_python(body[..end].trim()));
    }
    let mut text = body.trim().to_owned();
    for l in lines {
        let l = l.trim();
        if l.is_empty() || l.contains(quote) {
            if let Some(end) = l.find(quote) {
                text.push(' ');
                text.push_str(&l[..end]);
            }
            break;
        }
        text.push(' ');
        text.push_str(l);
    }
    Some(decode_python(text.trim()))
}

fn scan_script(lexed: &Lexed, stem: &str) -> (Declared, ScriptLinks, Option<NameConstant>) {
    let text = lexed.text;
    let in_code = |c: &crate::pattern::Captures| c.get(0).is_some_and(|m| lexed.is_code(m.start()));
    let servers: BTreeMap<&str, String> = TS_SERVER
        .captures_iter(text)
        .filter(in_code)
        .filter_map(|c| Some((c.get(1)?.as_str(), decode_script(capture(&c, &[2, 3, 4])?))))
        .collect();
    let objects: BTreeMap<&str, &str> = TS_SERVER_OBJECT
        .captures_iter(text)
        .filter(in_code)
        .filter_map(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str())))
        .collect();
    let is_mcp = text.contains("modelcontextprotocol") || !servers.is_empty();
    let strings: BTreeMap<&str, &str> = TS_STRING_CONST
        .captures_iter(text)
        .filter(in_code)
        .filter_map(|c| Some((c.get(1)?.as_str(), capture(&c, &[2, 3, 4])?)))
        .collect();
    // A name held in a string constant or a constant object's property (`name: info.name`);
    // else, by object, the constant and property it is held in, which may be imported.
    let mut servers = servers;
    let mut named_by: BTreeMap<&str, (&str, Option<&str>)> = BTreeMap::new();
    for c in TS_SERVER_NAME_CONST.captures_iter(text).filter(in_code) {
        let (Some(object), Some(constant)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let name = match c.get(3) {
            None => strings.get(constant.as_str()).copied(),
            Some(property) => object_const(lexed, constant.as_str()).and_then(|body| {
                TS_STRING_PROPERTY
                    .captures_iter(body)
                    .find(|p| &p[1] == property.as_str())
                    .and_then(|p| capture(&p, &[2, 3, 4]))
            }),
        };
        match name {
            Some(name) => {
                servers
                    .entry(object.as_str())
                    .or_insert_with(|| decode_script(name));
            }
            None => {
                let held_in = (constant.as_str(), c.get(3).map(|p| p.as_str()));
                named_by.entry(object.as_str()).or_insert(held_in);
            }
        }
    }
    let mut out = Vec::new();
    // A call in a comment or a string (a commented-out tool, a README snippet) declares nothing.
    for c in TS_CALL.captures_iter(text).filter(in_code) {
        let (object, method) = (&c[1], &c[2]);
        // The name: a string, or a constant of this file holding one.
        let (name, name_at) = match (c.get(3).or(c.get(4)).or(c.get(5)), c.get(6)) {
            (Some(literal), _) => (literal.as_str(), literal),
            (None, Some(ident)) => match strings.get(ident.as_str()) {
                Some(value) => (*value, ident),
                None => continue,
            },
            (None, None) => continue,
        };
        let name = decode_script(name);
        if method == "tool" && !is_mcp {
            continue;
        }
        let whole = c.get(0).map_or(0..0, |m| m.range());
        // The options: inline in the call, or a constant object of this file named there.
        let call = c
            .get(7)
            .and_then(|config| object_const(lexed, config.as_str().trim_end_matches(',').trim()))
            .unwrap_or_else(|| bounded_call(&text[whole.start..]));
        let description = TS_DESCRIPTION
            .captures(call)
            .and_then(|d| capture(&d, &[1, 2, 3]))
            .or_else(|| {
                // Legacy `server.tool(name, description, schema, handler)`.
                let rest = text[whole.end..]
                    .trim_start()
                    .strip_prefix(',')?
                    .trim_start();
                literal_body(rest)
            })
            .map(decode_script);
        let server = servers.get(object).map_or(stem, String::as_str);
        out.push(ToolDecl {
            id: format!("mcp:{server}/{name}"),
            provider: Some(format!("mcp:{server}")),
            name: name.clone(),
            dialect: if method == "registerTool" {
                Dialect::TsRegisterTool
            } else {
                Dialect::TsServerTool
            },
            description: description.map(|d| short_description(&d)),
            annotations: annotations_in(call),
            auto_approved: None,
            url: None,
            span: Some(TextSpan::at(text, name_at.start(), name_at.len())),
            server_elsewhere: !objects.contains_key(object),
        });
    }
    let (objects_listed, links) =
        listed_script::object_tools(lexed, &servers, &objects, &strings, stem, &out, is_mcp);
    out.extend(objects_listed);
    // A bare `Server` may be an HTTP server, unless the file imports the SDK's.
    let sdk_server = TS_SDK_SERVER_IMPORT
        .find_iter(text)
        .any(|m| lexed.is_code(m.start()));
    let anonymous: &[&str] = if sdk_server {
        &["McpServer", "Server"]
    } else {
        &["McpServer"]
    };
    let (constructed, unnamed) = constructed_servers(&servers, &objects, anonymous, stem);
    let unnamed_by = if unnamed {
        let unnamed_objects = (objects.iter())
            .filter(|(object, class)| anonymous.contains(class) && !servers.contains_key(*object));
        one_name(unnamed_objects.map(|(object, _)| named_by.get(object).copied()))
            .and_then(|held_in| imported_constant(lexed, held_in))
    } else {
        None
    };
    ((out, constructed, unnamed), links, unnamed_by)
}

/// The imported constant a name held in `constant` (its `property`) comes from: `SERVER_NAME`
/// imported by name, `CONFIG.name` with `CONFIG` imported, `config.SERVER_NAME` of a module
/// imported as a namespace.
fn imported_constant(
    lexed: &Lexed,
    (constant, property): (&str, Option<&str>),
) -> Option<NameConstant> {
    let (module, name, property) = match listed_script::import_of(lexed, constant)? {
        listed_script::Import::Named(module, name) => (module, name, property),
        listed_script::Import::Namespace(module) => (module, property?, None),
    };
    Some(NameConstant {
        module_name: None,
        module: Some(module.to_owned()),
        name: name.to_owned(),
        property: property.map(str::to_owned),
    })
}

/// The body of the JavaScript string literal `text` starts with (up to its closing quote, escapes
/// skipped), or `None` when it starts with no quote or the literal does not end.
fn literal_body(text: &str) -> Option<&str> {
    let quote = text
        .chars()
        .next()
        .filter(|q| matches!(q, '"' | '\'' | '`'))?;
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            _ if c == quote => return Some(&text[1..i]),
            _ => {}
        }
    }
    None
}

/// The text of the object literal `const <ident> = { … }` of this file assigns (bounded).
fn object_const<'t>(lexed: &Lexed<'t>, ident: &str) -> Option<&'t str> {
    let text = lexed.text;
    TS_OBJECT_CONST
        .captures_iter(text)
        .find(|c| &c[1] == ident && c.get(0).is_some_and(|m| lexed.is_code(m.start())))
        .and_then(|c| c.get(0))
        .map(|m| bounded_call(&text[m.end() - 1..]))
}

/// Tools a low-level Python MCP server lists from its `@server.list_tools()` function: each
/// `Tool(name=…, description=…, annotations=…)` of the file, with a name written out or held by
/// an enum member or class constant of the same file. The server is the one whose `list_tools`
/// decorator comes last before the call (the first one for calls above every decorator).
fn listed_tools(
    source: &PythonSource,
    servers: &BTreeMap<&str, String>,
    objects: &BTreeMap<&str, &str>,
    stem: &str,
) -> Vec<ToolDecl> {
    let text = source.text;
    let in_code =
        |c: &crate::pattern::Captures| c.get(0).is_some_and(|m| source.is_code(first_word(m)));
    let listers: Vec<(usize, &str)> = PY_LIST_TOOLS
        .captures_iter(text)
        .filter(in_code)
        .filter_map(|c| Some((c.get(0)?.start(), c.get(1)?.as_str())))
        .collect();
    let Some(&(_, first)) = listers.first() else {
        return Vec::new();
    };
    let members: BTreeMap<&str, &str> = PY_MEMBER
        .captures_iter(text)
        .filter(in_code)
        .filter_map(|c| Some((c.get(1)?.as_str(), capture(&c, &[2, 3])?)))
        .collect();
    let mut out = Vec::new();
    for call_at in PY_TOOL_CALL.find_iter(text) {
        if !source.is_code(call_at.start()) {
            continue;
        }
        let call = bounded_call(&text[call_at.start()..]);
        let Some(n) = PY_NAME_ARG.captures(call) else {
            continue;
        };
        let (name, at) = match (n.get(1).or(n.get(2)), n.get(3)) {
            (Some(literal), _) => (literal.as_str(), literal),
            (None, Some(member)) => match members.get(member.as_str()) {
                Some(value) => (*value, member),
                None => continue,
            },
            (None, None) => continue,
        };
        let object = listers
            .iter()
            .rev()
            .find(|(start, _)| *start < call_at.start())
            .map_or(first, |(_, object)| object);
        let server = servers.get(object).map_or(stem, String::as_str);
        let description = PY_DESCRIPTION_ARG
            .captures(call)
            .and_then(|d| capture(&d, &[1, 2, 3, 4]))
            .map(|d| short_description(&decode_python(d)));
        let name = decode_python(name);
        out.push(ToolDecl {
            id: format!("mcp:{server}/{name}"),
            name,
            provider: Some(format!("mcp:{server}")),
            dialect: Dialect::McpListTools,
            description,
            annotations: annotations_in(call),
            auto_approved: None,
            url: None,
            span: Some(TextSpan::at(text, call_at.start() + at.start(), at.len())),
            server_elsewhere: !objects.contains_key(object),
        });
    }
    out
}

/// The text of a call from its name to its closing parenthesis (bounded; strings are not
/// parsed, so a parenthesis inside a string can end it early — the cost is a missed hint).
fn bounded_call(from: &str) -> &str {
    let limit = from.len().min(MAX_CALL_BYTES);
    let mut depth = 0i32;
    for (i, c) in from.char_indices() {
        if i >= limit {
            return &from[..i];
        }
        match c {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => {
                depth -= 1;
                if depth <= 0 {
                    return &from[..i + c.len_utf8()];
                }
            }
            _ => {}
        }
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_decorators_and_classes() {
        let src = r#"
from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations
from agents import function_tool
mcp = FastMCP("billing")

@mcp.tool(
    annotations=ToolAnnotations(readOnlyHint=True, openWorldHint=False),
)
def get_invoice(invoice_id: str) -> str:
    """Fetch one invoice."""

@function_tool(needs_approval=False)
async def issue_refund(order: str) -> str:
    ...

@tool("Search Docs")
def search(q):
    '''Search the
    documentation.'''

class DeleteRecords(BaseTool):
    name: str = "delete_records"
    description = "Deletes records"
"#;
        let tools = scan(src, Language::Python, "x").unwrap().tools;
        let ids: Vec<&str> = tools.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "mcp:billing/get_invoice",
                "fn:issue_refund",
                "fn:Search Docs",
                "fn:delete_records"
            ]
        );
        let a = tools[0].annotations.unwrap();
        assert_eq!(
            (a.read_only, a.open_world, a.destructive),
            (Some(true), Some(false), None)
        );
        assert_eq!(tools[0].description.as_deref(), Some("Fetch one invoice."));
        assert_eq!(tools[1].auto_approved, Some(true));
        assert_eq!(
            tools[2].description.as_deref(),
            Some("Search the documentation.")
        );
        assert_eq!(tools[3].dialect, Dialect::LangchainBaseTool);
        assert_eq!(tools[0].span.unwrap().line, 10);
        let src = "from langchain_community.tools import ShellTool\nagent = make(tools=[ShellTool(), ShellTool()])\n";
        let tools = scan(src, Language::Python, "x").unwrap().tools;
        let ids: Vec<&str> = tools.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["builtin:ShellTool"]);
        let mut sorted = RISKY_LANGCHAIN_TOOLS.to_vec();
        sorted.sort();
        assert_eq!(sorted, RISKY_LANGCHAIN_TOOLS);
    }

    #[test]
    fn agent_tools_stay_plain_tools_in_a_file_that_names_mcp() {
        let src = r#"from fastmcp.client.transports import StdioTransport
from pydantic_ai import Agent, FunctionToolset
from .server import mcp

remote = StdioTransport(command="acme-forecast-server", args=[])
agent = Agent("test")
toolset = FunctionToolset()


@agent.tool
def city_label(ctx, city: str) -> str:
    """Return the display label for a city name."""
    return city.title()


@toolset.tool
def city_zone(city: str) -> str:
    return city


@mcp.tool()
def forecast(city: str) -> str:
    return city


toolset.tool(name="city_code")(city_zone)
"#;
        let tools = scan(src, Language::Python, "weather").unwrap().tools;
        let found: Vec<(&str, Option<&str>, bool)> = (tools.iter())
            .map(|t| (t.id.as_str(), t.provider.as_deref(), t.server_elsewhere))
            .collect();
        assert_eq!(
            found,
            [
                ("fn:city_label", None, false),
                ("fn:city_zone", None, false),
                ("mcp:weather/forecast", Some("mcp:weather"), true),
            ]
        );
        assert_eq!(tools[0].dialect, Dialect::PythonTool);
        // An object bound to a server as well is one, and a server built in the file makes
        // its tools MCP tools beside the agent's.
        let src = "from fastmcp import FastMCP\nfrom pydantic_ai import Agent\n\n\
                   agent = Agent('test')\nmcp = FastMCP('acme-weather')\n\n\
                   @agent.tool_plain\ndef city_label(city): ...\n\n\
                   @mcp.tool()\ndef forecast(city): ...\n\n\
                   if DEBUG:\n    agent = FastMCP('acme-debug')\n\n\
                   @agent.tool()\ndef dump(city): ...\n";
        let tools = scan(src, Language::Python, "weather").unwrap().tools;
        let ids: Vec<&str> = tools.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "fn:city_label",
                "mcp:acme-weather/forecast",
                "mcp:acme-debug/dump"
            ]
        );
    }

    #[test]
    fn typescript_calls() {
        let src = r#"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
const server = new McpServer({ name: "deploy", version: "1.0.0" });
server.registerTool(
  "rollout",
  { title: "Roll out", description: "Deploy a build", annotations: { destructiveHint: false, readOnlyHint: false } },
  async () => ({ content: [] })
);
server.tool("status", "Show status", {}, async () => ({}));
"#;
        let tools = scan(src, Language::Script, "x").unwrap().tools;
        assert_eq!(tools[0].id, "mcp:deploy/rollout");
        assert_eq!(tools[0].annotations.unwrap().destructive, Some(false));
        assert_eq!(tools[0].description.as_deref(), Some("Deploy a build"));
        assert_eq!(tools[1].id, "mcp:deploy/status");
        assert_eq!(tools[1].description.as_deref(), Some("Show status"));
        assert!(tools[1].annotations.is_none());
    }

    #[test]
    fn typescript_names_and_options_held_in_constants() {
        let src = r#"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
const name = "purge_cache";
const other: string = 'ping';
const config = {
  title: "Purge",
  description: "Purge the edge cache",
  annotations: { readOnlyHint: false, destructiveHint: true },
};
export const register = (server: McpServer) => {
  server.registerTool(name, config, async () => ({ content: [] }));
  server.registerTool(other, { description: "Ping" }, async () => ({}));
  server.registerTool(unknownName, config, async () => ({}));
};
"#;
        let tools = scan(src, Language::Script, "acme-ops").unwrap().tools;
        let ids: Vec<&str> = tools.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["mcp:acme-ops/purge_cache", "mcp:acme-ops/ping"]);
        assert_eq!(
            tools[0].description.as_deref(),
            Some("Purge the edge cache")
        );
        assert_eq!(tools[0].annotations.unwrap().destructive, Some(true));
        assert_eq!(tools[1].description.as_deref(), Some("Ping"));
        // The span points at the name where the tool is registered.
        let span = tools[0].span.unwrap();
        assert_eq!(&src[span.offset..span.offset + span.len], "name");
        assert!(src[..span.offset].ends_with("registerTool("));
    }

    #[test]
    fn escapes_in_string_literals_are_decoded() {
        let src = r#"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
const server = new McpServer({ name: "acme\u002Dfiles", version: "1.0.0" });
const other = 'it\'s';
server.registerTool("get\u005Fuser", { description: "Fetch a user\u2019s \"profile\"" }, async () => ({}));
server.registerTool(other, { description: 'Say \x41' }, async () => ({}));
server.tool("smile_\u{1F600}", "Legacy \"quoted\" text", {}, async () => ({}));
server.registerTool("bad\u{110000}", {}, async () => ({}));
"#;
        let tools = scan(src, Language::Script, "x").unwrap().tools;
        let ids: Vec<&str> = tools.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "mcp:acme-files/get_user",
                "mcp:acme-files/it's",
                "mcp:acme-files/smile_\u{1F600}",
                r"mcp:acme-files/bad\u{110000}",
            ]
        );
        let descriptions: Vec<Option<&str>> =
            tools.iter().map(|t| t.description.as_deref()).collect();
        assert_eq!(
            descriptions,
            [
                Some("Fetch a user\u{2019}s \"profile\""),
                Some("Say A"),
                Some("Legacy \"quoted\" text"),
                None
            ]
        );

        let src = r#"
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("acme\x2dnotes")

@mcp.tool(name="get\u005fnote", description='It\'s a note')
def get_note():
    ...

@mcp.tool()
def list_notes():
    """Lists every note\u2026"""
"#;
        let tools = scan(src, Language::Python, "x").unwrap().tools;
        let ids: Vec<&str> = tools.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            ["mcp:acme-notes/get_note", "mcp:acme-notes/list_notes"]
        );
        assert_eq!(tools[0].description.as_deref(), Some("It's a note"));
        assert_eq!(
            tools[1].description.as_deref(),
            Some("Lists every note\u{2026}")
        );
    }

    #[test]
    fn tools_in_docstrings_are_examples_not_tools() {
        let src = r#"from pydantic_ai import Agent

agent = Agent("acme:model")


class Helper:
    """Register a tool like this:

    @agent.tool
    def wipe_database(ctx):
        ...

    Or hand the agent a `ShellTool()`.
    """


'''
@tool
def send_invoice_email(to):
    ...
'''


@agent.tool_plain  # no run context
def lookup_customer(customer_id: str) -> str:
    """Finds a customer."""
    return customer_id
"#;
        let tools = scan(src, Language::Python, "agent").unwrap().tools;
        let ids: Vec<&str> = tools.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["fn:lookup_customer"]);
        assert_eq!(
            lines_in_triple_quotes(&["x = 1  # \"\"\" in a comment", "@tool"]),
            [false, false]
        );
    }

    fn ids_and_lines(tools: &[ToolDecl]) -> Vec<(&str, u32)> {
        tools
            .iter()
            .map(|t| (t.id.as_str(), t.span.unwrap().line))
            .collect()
    }

    #[test]
    fn typescript_calls_in_comments_and_strings_declare_nothing() {
        let src = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
// import { old } from "./legacy.js";
const server = new McpServer({ name: "acme-ops", version: "1.0.0" });
/* const server = new McpServer({ name: "acme-old" }); */
// server.registerTool("acme_delete", {}, async () => ({}));
server.registerTool("acme_status", {}, async () => ({}));
/* server.registerTool("acme_purge", {}, async () => ({}));
   server.tool("acme_wipe", async () => ({})); */
const doc = `server.registerTool("acme_drop", {}, handler)`;
const tip = 'server.tool("acme_quoted", async () => ({}))';
const name = "acme_ping";
// const name = "acme_stale";
server.tool(name, "Ping", async () => ({}));
"#;
        let found = scan(src, Language::Script, "x").unwrap();
        assert_eq!(
            ids_and_lines(&found.tools),
            [
                ("mcp:acme-ops/acme_status", 6),
                ("mcp:acme-ops/acme_ping", 13)
            ]
        );
        assert_eq!(found.servers, ["acme-ops"]);
        assert_eq!(found.imports, ["@modelcontextprotocol/sdk/server/mcp.js"]);
    }

    #[test]
    fn typescript_server_names_held_in_constants() {
        let servers = |src: &str| scan(src, Language::Script, "main").unwrap().servers;
        let sdk = "import { Server } from \"@modelcontextprotocol/sdk/server/index.js\";\n";
        assert_eq!(
            servers(&format!(
                "{sdk}const info = {{ version: '1', name: 'acme-info' }};\nconst server = new Server({{ name: info.name, version: info.version }}, {{}});\n"
            )),
            ["acme-info"]
        );
        assert_eq!(
            servers(
                "const NAME = \"acme-const\";\nconst server = new McpServer({ name: NAME, version: \"1\" });\n"
            ),
            ["acme-const"]
        );
        // A name that cannot be read: the SDK's `Server` is named after the file; a bare
        // `Server` of another library is no MCP server.
        let computed = "const server = new Server({ name: config.get(\"name\") }, {});\n";
        assert_eq!(servers(&format!("{sdk}{computed}")), ["main"]);
        assert!(servers(computed).is_empty());
    }

    #[test]
    fn servers_named_by_a_constant_of_another_file_record_it() {
        let by = |text: &str, language| scan(text, language, "server").unwrap().unnamed_by;
        let constant = |module: Option<&str>, name: &str, property: Option<&str>| {
            Some(NameConstant {
                module: module.map(str::to_owned),
                module_name: None,
                name: name.to_owned(),
                property: property.map(str::to_owned),
            })
        };
        let fastmcp = "from mcp.server.fastmcp import FastMCP\n";
        let python = |rest: &str| by(&format!("{fastmcp}{rest}"), Language::Python);
        assert_eq!(
            python("from .config import SERVER_NAME as NAME\nmcp = FastMCP(name=NAME)\n"),
            constant(Some(".config"), "SERVER_NAME", None)
        );
        assert_eq!(
            python("NAME: str = 'acme'\nmcp = FastMCP(NAME)\n"),
            constant(None, "NAME", None)
        );
        // Not a literal of the file, reassigned after its import, two unnamed servers built
        // with different names, or one built with none.
        let unread = [
            "NAME = os.environ['NAME']\nmcp = FastMCP(NAME)\n",
            "from .config import NAME\nNAME = NAME.upper()\nmcp = FastMCP(NAME)\n",
            "from .config import A, B\nmcp = FastMCP(A)\nother = FastMCP(B)\n",
            "from .config import A\nmcp = FastMCP(A)\nother = FastMCP()\n",
        ];
        for text in unread {
            assert_eq!(python(text), None, "{text}");
        }
        // A server named in the file records nothing.
        assert_eq!(
            python("from .config import A\nmcp = FastMCP('acme')\n"),
            None
        );
        // An attribute of a module the file imports, and never assigns.
        let attribute = |module: &str, module_name: Option<&str>| {
            Some(NameConstant {
                module: Some(module.to_owned()),
                module_name: module_name.map(str::to_owned),
                name: "SERVER_NAME".to_owned(),
                property: None,
            })
        };
        assert_eq!(
            python("from . import config\nmcp = FastMCP(config.SERVER_NAME)\n"),
            attribute(".", Some("config"))
        );
        assert_eq!(
            python("import acme.config\nmcp = FastMCP(name=acme.config.SERVER_NAME)\n"),
            attribute("acme.config", None)
        );
        for text in [
            "from . import config\nconfig = reload()\nmcp = FastMCP(config.SERVER_NAME)\n",
            "mcp = FastMCP(config.SERVER_NAME)\n",
        ] {
            assert_eq!(python(text), None, "{text}");
        }

        let sdk = "import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n";
        let script = |rest: &str| by(&format!("{sdk}{rest}"), Language::Script);
        assert_eq!(
            script(
                "import { SERVER_NAME as NAME } from \"./config.js\";\n\
                 const server = new McpServer({ name: NAME, version: \"1\" });\n"
            ),
            constant(Some("./config.js"), "SERVER_NAME", None)
        );
        assert_eq!(
            script(
                "import { CONFIG } from \"@/config\";\n\
                 const server = new McpServer({ name: CONFIG.name, version: CONFIG.version });\n"
            ),
            constant(Some("@/config"), "CONFIG", Some("name"))
        );
        assert_eq!(
            script(
                "import * as names from \"./names.js\";\n\
                 const server = new McpServer({ name: names.SERVER, version: \"1\" });\n"
            ),
            constant(Some("./names.js"), "SERVER", None)
        );
        assert_eq!(
            script(
                "const { NAME } = require(\"./names\");\n\
                 const server = new McpServer({ name: NAME, version: \"1\" });\n"
            ),
            constant(Some("./names"), "NAME", None)
        );
        // Not imported, or only in a comment.
        assert_eq!(
            script("const server = new McpServer({ name: process.env.NAME });\n"),
            None
        );
        assert_eq!(
            script(
                "// import { NAME } from \"./names.js\";\n\
                 const server = new McpServer({ name: NAME, version: \"1\" });\n"
            ),
            None
        );
    }

    #[test]
    fn tools_on_servers_of_imported_modules_wait_for_discovery() {
        let text = "from acme_pkg import server\n\n@server.mcp.tool()\ndef refund() -> str:\n    return 'ok'\n";
        let found = scan(text, Language::Python, "refund").unwrap();
        // Read as a plain tool until discovery finds the module's server.
        assert_eq!(found.tools[0].id, "fn:refund");
        let links = found.python_links.as_deref().unwrap();
        let [module_server] = links.module_servers.as_slice() else {
            panic!("{links:?}");
        };
        assert_eq!(
            (
                module_server.module.module.as_str(),
                module_server.module.name.as_deref()
            ),
            ("acme_pkg", Some("server"))
        );
        assert_eq!(module_server.object, "mcp");
        assert_eq!(module_server.tools[0].id, "mcp:refund/refund");
        assert!(module_server.tools[0].server_elsewhere);
        // A file that names MCP reads it as an MCP tool at once.
        let named = format!("from mcp.server.fastmcp import Context\n{text}");
        let found = scan(&named, Language::Python, "refund").unwrap();
        assert_eq!(found.tools[0].id, "mcp:refund/refund");
        let links = found.python_links.as_deref().unwrap();
        assert!(links.module_servers[0].tools.is_empty());
        // Not an attribute of an imported module: as before.
        let unknown = text.replace("from acme_pkg import server\n", "");
        let found = scan(&unknown, Language::Python, "refund").unwrap();
        assert_eq!(found.tools[0].id, "fn:refund");
        assert!(
            (found.python_links.as_deref()).is_none_or(|links| links.module_servers.is_empty())
        );
    }

    #[test]
    fn files_share_their_string_constants() {
        let found = scan("SERVER_NAME = \"acme\"\n", Language::Python, "config").unwrap();
        assert_eq!(
            found.constants.get("SERVER_NAME").map(String::as_str),
            Some("acme")
        );
        assert!(!found.is_empty());
        // A name the file imports is not its constant.
        let imported = "from .base import NAME\nNAME = \"acme\"\n";
        let found = scan(imported, Language::Python, "config").unwrap();
        assert!(found.constants.is_empty());
        let found = scan("export const NAME = `acme`;\n", Language::Script, "names").unwrap();
        assert_eq!(
            found.constants.get("NAME").map(String::as_str),
            Some("acme")
        );
    }

    #[test]
    fn typescript_regular_expressions_hide_no_code() {
        // A backtick or a quote inside a regular expression opens no literal: read as one, the
        // backtick would swallow the declarations up to the next backtick.
        let src = r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
const server = new McpServer({ name: "acme-docs", version: "1.0.0" });
const fence = (s: string) => s.replace(/`/g, "'");
const unquote = (s: string) => s.replace(/^['"]|['"]$/g, "");
server.registerTool("acme_render", { description: "Render a page" }, async () => ({}));
const half = total / 2; server.tool("acme_count", async () => ({}));
const tpl = `server.tool("acme_in_template")`;
"#;
        let found = scan(src, Language::Script, "x").unwrap();
        assert_eq!(
            ids_and_lines(&found.tools),
            [
                ("mcp:acme-docs/acme_render", 5),
                ("mcp:acme-docs/acme_count", 6)
            ]
        );
    }

    #[test]
    fn python_comments_and_strings_declare_nothing() {
        let src = r##"from mcp.server import Server
from mcp.types import Tool
# from .legacy import old

server = Server("acme-orders")
# server = Server("acme-old-orders")

@server.list_tools()
async def list_tools() -> list[Tool]:
    return [
        Tool(name="lookup_order", inputSchema={}),
        # Tool(name="drop_orders", inputSchema={}),
    ]

x = "# ShellTool()"; ShellTool()  # ShellTool(), PythonREPLTool()
hint = 'PythonREPLTool()'
"##;
        let found = scan(src, Language::Python, "x").unwrap();
        assert_eq!(
            ids_and_lines(&found.tools),
            [
                ("mcp:acme-orders/lookup_order", 11),
                ("builtin:ShellTool", 15)
            ]
        );
        assert_eq!(
            found.imports,
            [
                "mcp.server",
                "mcp.server.Server",
                "mcp.types",
                "mcp.types.Tool"
            ]
        );
        assert_eq!(python_line_at("a = '#' # b", 9), LinePosition::Comment(8));
        assert_eq!(python_line_at("a = \"x\\\"#", 9), LinePosition::Literal);
        assert_eq!(python_line_at(r#"a = """x""" + b"#, 14), LinePosition::Code);
        assert_eq!(python_line_at("a = '''x # y", 12), LinePosition::Literal);
    }

    #[test]
    fn a_low_level_server_built_in_a_class_lists_its_tools() {
        let src = r#"from mcp.server.lowlevel import Server
from mcp.types import TextContent, Tool


class LedgerServer:
    def __init__(self) -> None:
        self.server = Server("acme-ledger")
        self._register()

    async def list_tools(self) -> list[Tool]:
        return [
            Tool(
                name="refund_payment",
                description="Refund a customer payment through the billing provider",
                inputSchema={"type": "object"},
            )
        ]

    def _register(self) -> None:
        @self.server.list_tools()
        async def list_tools() -> list[Tool]:
            return await self.list_tools()
"#;
        let found = scan(src, Language::Python, "server").unwrap();
        let tools: Vec<(&str, Option<&str>, bool)> = (found.tools.iter())
            .map(|t| (t.id.as_str(), t.provider.as_deref(), t.server_elsewhere))
            .collect();
        assert_eq!(
            tools,
            [(
                "mcp:acme-ledger/refund_payment",
                Some("mcp:acme-ledger"),
                false
            )]
        );
        assert_eq!(found.tools[0].dialect, Dialect::McpListTools);
        assert_eq!(found.servers, ["acme-ledger"]);
    }

    #[test]
    fn mcpserver_is_fastmcp_under_its_later_name() {
        let named = "from mcp.server.mcpserver import MCPServer\n\nmcp = MCPServer(\"acme-demo\")\n\n\
                     @mcp.tool()\ndef echo(text: str) -> str:\n    return text\n";
        let found = scan(named, Language::Python, "server").unwrap();
        assert_eq!(found.tools[0].id, "mcp:acme-demo/echo");
        assert_eq!(found.servers, ["acme-demo"]);
        let unnamed = "from mcp.server.mcpserver import MCPServer\n\nmcp = MCPServer(instructions=\"x\")\n\n\
                       @mcp.tool()\ndef echo(text: str) -> str:\n    return text\n";
        let found = scan(unnamed, Language::Python, "server").unwrap();
        assert_eq!(found.tools[0].id, "mcp:server/echo");
        assert_eq!(found.servers, ["server"]);
    }

    #[test]
    fn a_tool_decorator_of_another_framework_is_no_mcp_tool() {
        let src = "import promptflow\n\n@promptflow.tool\ndef summarize(x):\n    return x\n";
        let tools = scan(src, Language::Python, "geval").unwrap().tools;
        assert_eq!(tools[0].id, "fn:summarize");
        assert_eq!(tools[0].provider, None);
        let src =
            "from mcp.server.fastmcp import FastMCP\n\n@app.tool()\ndef ping():\n    return 1\n";
        let tools = scan(src, Language::Python, "ops").unwrap().tools;
        assert_eq!(tools[0].id, "mcp:ops/ping");
    }

    #[test]
    fn python_low_level_server_lists_its_tools() {
        let src = r#"
from enum import Enum
from mcp.server import Server
from mcp.types import Tool, ToolAnnotations

class AcmeTools(str, Enum):
    LOOKUP = "lookup_order"
    REFUND = "issue_refund"

server = Server("acme-orders")

@server.list_tools()
async def list_tools() -> list[Tool]:
    return [
        Tool(
            name=AcmeTools.LOOKUP.value,
            description="""Look an order up.""",
            inputSchema={"type": "object", "properties": {"name": {"type": "string"}}},
            annotations=ToolAnnotations(readOnlyHint=True),
        ),
        Tool(name=AcmeTools.REFUND, description='Refund an order', inputSchema={}),
        Tool(name="ship", inputSchema={}),
        Tool(name=Missing.MEMBER.value, inputSchema={}),
    ]
"#;
        let tools = scan(src, Language::Python, "x").unwrap().tools;
        let ids: Vec<&str> = tools.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "mcp:acme-orders/lookup_order",
                "mcp:acme-orders/issue_refund",
                "mcp:acme-orders/ship"
            ]
        );
        assert!(tools.iter().all(|t| t.dialect == Dialect::McpListTools));
        assert_eq!(tools[0].provider.as_deref(), Some("mcp:acme-orders"));
        assert_eq!(tools[0].description.as_deref(), Some("Look an order up."));
        assert_eq!(tools[0].annotations.unwrap().read_only, Some(true));
        assert_eq!(tools[1].description.as_deref(), Some("Refund an order"));
        assert!(tools[2].annotations.is_none());
        // A `Tool(` in a file with no `list_tools` function is not an MCP tool.
        let plain = "from x import Tool\nt = Tool(name='ship')\n";
        assert!(scan(plain, Language::Python, "x").unwrap().tools.is_empty());
    }

    #[test]
    fn semantic_kernel_plugin_methods_are_tools() {
        let src = r#"from typing import Annotated

from semantic_kernel.functions import kernel_function


class AcmeOrdersPlugin:
    """Orders for the support agent.

    @kernel_function
    def example(self): ...
    """

    @kernel_function(name="get_order", description="Look an order up by its id.")
    def lookup(self, order_id: Annotated[str, "The order id"]) -> str:
        return order_id

    @kernel_function
    async def cancel_order(self, order_id: str) -> str:
        """Cancel an order that has not shipped."""
        return order_id

    @kernel_function(
        description="Refund an order to its card",
    )
    def refund_order(self, order_id: str) -> str:
        return order_id

    def helper(self) -> None:
        pass
"#;
        let tools = scan(src, Language::Python, "orders").unwrap().tools;
        let found: Vec<(&str, Option<&str>, u32)> = tools
            .iter()
            .map(|t| {
                (
                    t.id.as_str(),
                    t.description.as_deref(),
                    t.span.unwrap().line,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("fn:get_order", Some("Look an order up by its id."), 14),
                (
                    "fn:cancel_order",
                    Some("Cancel an order that has not shipped."),
                    18
                ),
                ("fn:refund_order", Some("Refund an order to its card"), 25),
            ]
        );
        assert!(
            tools
                .iter()
                .all(|t| t.dialect == Dialect::SemanticKernelFunction && t.provider.is_none())
        );
    }

    #[test]
    fn plain_code_has_no_tools() {
        assert!(
            scan("def f():\n    return 1\n", Language::Python, "x")
                .unwrap()
                .tools
                .is_empty()
        );
        assert!(
            scan("app.tool('x')", Language::Script, "x")
                .unwrap()
                .tools
                .is_empty()
        );
        assert!(
            scan("@tool\n", Language::Python, "x")
                .unwrap()
                .tools
                .is_empty()
        );
        assert!(
            scan(&"(".repeat(100_000), Language::Script, "x")
                .unwrap()
                .tools
                .is_empty()
        );
    }

    #[test]
    fn arbitrary_text_never_panics() {
        let pieces = [
            "@tool",
            "@mcp.tool(",
            "def f(",
            "class T(BaseTool):",
            "\n",
            "\r\n",
            "\"\"\"",
            "'''",
            "name = \"é\"",
            "(",
            ")",
            "server.registerTool(\"x\", {",
            "annotations: {readOnlyHint: true",
            "`",
            "ShellTool(",
            "é",
            "\u{1F600}",
            "    ",
            "async def g",
            "description=\"",
            "@server.list_tools()",
            "Tool(name=",
            "X.Y.value",
            "    Y = \"y\"",
            "const name = \"n\";",
            "const config = {",
            "server.registerTool(name, config,",
            "\\",
            "\\u{",
            "\\x4",
            "'it\\'s'",
            "server.setRequestHandler(ListToolsRequestSchema, () => ({",
            "tools: [",
            "tools: TOOLS",
            "{ tools }",
            "const TOOLS: Tool[] = [",
            "const T: Tool = {",
            "{ name: E.A, description: \"d\" + `e` }",
            "enum E { A = \"a\" }",
            "...TOOLS",
            "]",
            "}",
            "`${",
            "/*",
            "//",
            "export const L = () => ",
            "export default function () {",
            "export { A as B } from \"./x.js\";",
            "export * from \"./y.js\";",
            "import * as h from \"./h.js\";",
            "import D, { listTools as L } from \"./l.js\";",
            "h.listTools",
            "getTools()",
            "return ",
            " as Tool[]",
            "if (x) /",
            "Object.values(TOOLS)",
            "Object.entries(T).map(([name, t]) => ({ name, ...t }))",
            "Object.keys(T).map(name => ({ name",
            ".map((t: Tool) => {",
            ".map(({ name: n, description }) => ({ name: n",
            "[K.A]: {",
            "const T = { a: A_TOOL, b",
            "module.exports = {",
            "module.exports.L = async () => ",
            "exports.T = ",
            "const ns = require(\"./t\");",
        ];
        for text in crate::test_support::random_texts(&pieces, 0x9E37_79B9_7F4A_7C15, 3000, 40) {
            let _ = scan(&text, Language::Python, "x");
            let _ = scan(&text, Language::Script, "x");
        }
    }
}
