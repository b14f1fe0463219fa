//! Tool definitions written as JSON: MCP `tools/list` results (`inputSchema`, `annotations`),
//! OpenAI Chat Completions and Responses tool lists (functions and hosted tools such as
//! `code_interpreter`, `shell` or `mcp` with `require_approval`), and Anthropic tool lists
//! (`input_schema`, versioned built-ins such as `bash_20250124`).
//!
//! The parser only names what each definition is and what it declares; which tier that means is
//! decided by `agent::tier`.

use serde::Serialize;

use super::ParseResult;
use super::text::{TextSpan, find_from, parse_json};

/// MCP tool annotations as declared; `None` = not declared (the MCP defaults then apply:
/// not read-only, destructive, not idempotent, open world).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Annotations {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destructive: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotent: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_world: Option<bool>,
}

impl Annotations {
    pub fn from_json(value: &serde_json::Value) -> Annotations {
        let flag = |k: &str| value.get(k).and_then(|v| v.as_bool());
        Annotations {
            read_only: flag("readOnlyHint"),
            destructive: flag("destructiveHint"),
            idempotent: flag("idempotentHint"),
            open_world: flag("openWorldHint"),
        }
    }
}

/// How a definition was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    McpJson,
    OpenaiFunction,
    OpenaiHosted,
    Anthropic,
    AnthropicBuiltin,
    PythonTool,
    FunctionTool,
    Fastmcp,
    /// A tool a low-level MCP server lists: a `Tool(…)` a Python server returns from its
    /// `list_tools` function, a tool object a TypeScript server returns from its
    /// `setRequestHandler(ListToolsRequestSchema, …)`.
    McpListTools,
    LangchainBaseTool,
    LangchainBuiltin,
    CrewaiTool,
    /// A subclass of smolagents' `Tool`.
    SmolagentsTool,
    /// A Semantic Kernel plugin method (Python `@kernel_function`, C# `[KernelFunction]`).
    SemanticKernelFunction,
    TsRegisterTool,
    TsServerTool,
    /// A tool a Go MCP server declares: mcp-go's `mcp.NewTool(…)`, an `mcp.Tool{…}` literal.
    GoMcpTool,
    /// A C# MCP server tool: an `[McpServerTool]` method, or `McpServerTool.Create(…)` with
    /// options naming it.
    CsharpMcpServerTool,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::McpJson => "mcp-json",
            Dialect::OpenaiFunction => "openai-function",
            Dialect::OpenaiHosted => "openai-hosted",
            Dialect::Anthropic => "anthropic",
            Dialect::AnthropicBuiltin => "anthropic-builtin",
            Dialect::PythonTool => "python-tool",
            Dialect::FunctionTool => "function-tool",
            Dialect::Fastmcp => "fastmcp",
            Dialect::McpListTools => "mcp-list-tools",
            Dialect::LangchainBaseTool => "langchain-base-tool",
            Dialect::LangchainBuiltin => "langchain-builtin",
            Dialect::CrewaiTool => "crewai-tool",
            Dialect::SmolagentsTool => "smolagents-tool",
            Dialect::SemanticKernelFunction => "semantic-kernel-function",
            Dialect::TsRegisterTool => "ts-register-tool",
            Dialect::TsServerTool => "ts-server-tool",
            Dialect::GoMcpTool => "go-mcp-tool",
            Dialect::CsharpMcpServerTool => "csharp-mcp-server-tool",
        }
    }
}

/// One tool as some file defines it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolDecl {
    /// `mcp:<server>/<tool>`, `fn:<name>` or `builtin:<type>`.
    pub id: String,
    pub name: String,
    /// `mcp:<server>` for MCP tools and OpenAI hosted `mcp` tools.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub dialect: Dialect,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Annotations>,
    /// `Some(true)`: runs without asking (`require_approval: "never"`, `needs_approval=False`);
    /// `Some(false)`: asks a human.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_approved: Option<bool>,
    /// For OpenAI hosted `mcp` tools: the server url.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub span: Option<TextSpan>,
    /// True for a tool of an MCP server its file does not construct (a parameter, an
    /// import): the server in `id` and `provider` is named after the file until discovery
    /// finds the server (`agent::code_servers`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub server_elsewhere: bool,
}

/// Descriptions are kept short: they are evidence, not content.
pub fn short_description(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 200 {
        let mut cut: String = one_line.chars().take(200).collect();
        cut.push('…');
        cut
    } else {
        one_line
    }
}

/// OpenAI hosted tool types (Responses API).
pub static OPENAI_HOSTED: &[&str] = &[
    "code_interpreter",
    "computer_use_preview",
    "file_search",
    "image_generation",
    "local_shell",
    "mcp",
    "shell",
    "web_search",
    "web_search_preview",
];

/// Anthropic built-in tool families; the `type` is the family plus a date (`bash_20250124`).
pub static ANTHROPIC_BUILTIN_PREFIXES: &[&str] = &[
    "bash_",
    "code_execution_",
    "computer_",
    "memory_",
    "text_editor_",
    "web_fetch_",
    "web_search_",
];

/// Parse a JSON file that may hold tool definitions. `Ok(None)` when it does not look like one
/// (the file is then an ordinary JSON file). `fallback_server` names the MCP server of an MCP
/// tool list that does not name itself (the file stem).
pub fn parse(text: &str, fallback_server: &str) -> ParseResult<Option<Vec<ToolDecl>>> {
    let value = parse_json(text)?;
    let (tools, server) = match &value {
        serde_json::Value::Array(items) => (items, None),
        serde_json::Value::Object(obj) => {
            let container = obj
                .get("result")
                .filter(|r| r.get("tools").is_some())
                .unwrap_or(&value);
            let Some(tools) = container.get("tools").and_then(|t| t.as_array()) else {
                return Ok(None);
            };
            let server = obj
                .get("serverInfo")
                .and_then(|s| s.get("name"))
                .or_else(|| obj.get("server"))
                .or_else(|| obj.get("name"))
                .and_then(|v| v.as_str());
            (tools, server)
        }
        _ => return Ok(None),
    };
    let server = server.unwrap_or(fallback_server);
    let mut out = Vec::new();
    let mut cursor = 0;
    for tool in tools {
        let Some(mut decl) = classify(tool, server) else {
            continue;
        };
        let needle = serde_json::to_string(&decl.name).unwrap_or_default();
        decl.span = find_from(text, &needle, cursor);
        if let Some(s) = decl.span {
            cursor = s.offset + s.len;
        }
        let hosted_tools = hosted_mcp_tools(tool, &decl);
        out.push(decl);
        out.extend(hosted_tools);
    }
    Ok((!out.is_empty()).then_some(out))
}

/// The tools of an OpenAI hosted `mcp` tool that the file names: `allowed_tools` and the
/// `require_approval: {never: {tool_names}, always: {tool_names}}` lists (those of `never` run
/// without approval).
fn hosted_mcp_tools(tool: &serde_json::Value, provider: &ToolDecl) -> Vec<ToolDecl> {
    if provider.dialect != Dialect::OpenaiHosted || !provider.id.starts_with("mcp:") {
        return Vec::new();
    }
    let names = |v: Option<&serde_json::Value>| -> Vec<String> {
        let list = match v {
            Some(serde_json::Value::Object(o)) => o.get("tool_names"),
            other => other,
        };
        list.and_then(|l| l.as_array())
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect()
    };
    let approval = tool.get("require_approval");
    let never = names(approval.and_then(|a| a.get("never")));
    let all_never = approval.and_then(|a| a.as_str()) == Some("never");
    let mut named = names(tool.get("allowed_tools"));
    named.extend(names(approval.and_then(|a| a.get("always"))));
    hosted_mcp_named(provider, named, &never, all_never)
}

/// The tools a hosted MCP server `provider` names, one per name of `allowed` and `never`
/// (sorted, once each): those of `never`, or all when `all_never` (`require_approval:
/// "never"`), run without approval. Shared by JSON tool lists and the SDK's `HostedMCPTool`.
pub(crate) fn hosted_mcp_named(
    provider: &ToolDecl,
    allowed: Vec<String>,
    never: &[String],
    all_never: bool,
) -> Vec<ToolDecl> {
    let mut all = allowed;
    all.extend(never.iter().cloned());
    all.sort();
    all.dedup();
    all.into_iter()
        .map(|name| ToolDecl {
            id: format!("{}/{name}", provider.id),
            auto_approved: Some(all_never || never.contains(&name)),
            name,
            provider: Some(provider.id.clone()),
            dialect: Dialect::OpenaiHosted,
            description: None,
            annotations: None,
            url: None,
            span: provider.span,
            server_elsewhere: false,
        })
        .collect()
}

fn classify(tool: &serde_json::Value, server: &str) -> Option<ToolDecl> {
    let s = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    let kind = s(tool, "type");
    let description = |v: &serde_json::Value| s(v, "description").map(|d| short_description(&d));
    let decl = |id: String, name: String, dialect| ToolDecl {
        id,
        name,
        provider: None,
        dialect,
        description: None,
        annotations: None,
        auto_approved: None,
        url: None,
        span: None,
        server_elsewhere: false,
    };
    match kind.as_deref() {
        Some("function") => {
            let inner = tool.get("function").unwrap_or(tool);
            let name = s(inner, "name")?;
            let mut d = decl(format!("fn:{name}"), name, Dialect::OpenaiFunction);
            d.description = description(inner);
            Some(d)
        }
        Some("mcp") => {
            let label = s(tool, "server_label")?;
            let mut d = decl(format!("mcp:{label}"), label.clone(), Dialect::OpenaiHosted);
            d.provider = Some(format!("mcp:{label}"));
            d.description = description(tool);
            d.url = s(tool, "server_url");
            d.auto_approved = match tool.get("require_approval") {
                Some(serde_json::Value::String(v)) => Some(v == "never"),
                _ => None,
            };
            Some(d)
        }
        Some(t) if OPENAI_HOSTED.contains(&t) => Some(decl(
            format!("builtin:{t}"),
            t.to_owned(),
            Dialect::OpenaiHosted,
        )),
        Some(t) if ANTHROPIC_BUILTIN_PREFIXES.iter().any(|p| t.starts_with(p)) => {
            let name = s(tool, "name").unwrap_or_else(|| t.to_owned());
            Some(decl(
                format!("builtin:{t}"),
                name,
                Dialect::AnthropicBuiltin,
            ))
        }
        _ => {
            let name = s(tool, "name")?;
            if tool.get("inputSchema").is_some() {
                let mut d = decl(format!("mcp:{server}/{name}"), name, Dialect::McpJson);
                d.provider = Some(format!("mcp:{server}"));
                d.description = description(tool);
                d.annotations = tool.get("annotations").map(Annotations::from_json);
                Some(d)
            } else if tool.get("input_schema").is_some() {
                let mut d = decl(format!("fn:{name}"), name, Dialect::Anthropic);
                d.description = description(tool);
                Some(d)
            } else if tool.get("parameters").is_some() {
                let mut d = decl(format!("fn:{name}"), name, Dialect::OpenaiFunction);
                d.description = description(tool);
                Some(d)
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        for table in [OPENAI_HOSTED, ANTHROPIC_BUILTIN_PREFIXES] {
            let mut sorted = table.to_vec();
            sorted.sort();
            assert_eq!(sorted, table);
        }
    }

    #[test]
    fn openai_chat_and_responses_shapes() {
        let text = r#"{"model": "gpt-x", "tools": [
            {"type": "function", "function": {"name": "send_email", "description": "Send an email", "parameters": {}}},
            {"type": "function", "name": "lookup", "parameters": {}},
            {"type": "code_interpreter", "container": {"type": "auto"}},
            {"type": "mcp", "server_label": "billing", "server_url": "https://mcp.example.com", "require_approval": "never"}
        ]}"#;
        let tools = parse(text, "x").unwrap().unwrap();
        let ids: Vec<&str> = tools.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "fn:send_email",
                "fn:lookup",
                "builtin:code_interpreter",
                "mcp:billing"
            ]
        );
        assert_eq!(tools[0].span.unwrap().line, 2);
        assert_eq!(tools[3].auto_approved, Some(true));
        let text = r#"{"tools": [{"type": "mcp", "server_label": "crm", "server_url": "https://mcp.example.com",
            "allowed_tools": ["search"], "require_approval": {"never": {"tool_names": ["delete_contact"]},
            "always": {"tool_names": ["merge_contacts"]}}}]}"#;
        let tools = parse(text, "x").unwrap().unwrap();
        let ids: Vec<(&str, Option<bool>)> = tools
            .iter()
            .map(|t| (t.id.as_str(), t.auto_approved))
            .collect();
        assert_eq!(
            ids,
            [
                ("mcp:crm", None),
                ("mcp:crm/delete_contact", Some(true)),
                ("mcp:crm/merge_contacts", Some(false)),
                ("mcp:crm/search", Some(false))
            ]
        );
    }

    #[test]
    fn anthropic_and_mcp_lists() {
        let text = r#"[{"name": "get_weather", "input_schema": {"type": "object"}},
            {"type": "bash_20250124", "name": "bash"}]"#;
        let tools = parse(text, "x").unwrap().unwrap();
        assert_eq!(tools[0].id, "fn:get_weather");
        assert_eq!(tools[1].id, "builtin:bash_20250124");
        let text = r#"{"result": {"tools": [{"name": "drop_table", "inputSchema": {}, "annotations": {"readOnlyHint": false}}]}}"#;
        let tools = parse(text, "db").unwrap().unwrap();
        assert_eq!(tools[0].id, "mcp:db/drop_table");
        assert_eq!(tools[0].annotations.unwrap().read_only, Some(false));
        assert_eq!(tools[0].annotations.unwrap().destructive, None);
    }

    #[test]
    fn other_json_is_not_a_tool_list() {
        assert_eq!(parse(r#"{"a": 1}"#, "x").unwrap(), None);
        assert_eq!(parse("[1, 2]", "x").unwrap(), None);
        assert!(parse("{", "x").is_err());
    }
}
