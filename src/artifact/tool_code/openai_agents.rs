//! The hosted tools of the OpenAI Agents SDK built in Python code: `CodeInterpreterTool(…)`,
//! `ComputerTool(…)`, `LocalShellTool(…)`, `ImageGenerationTool(…)`, `FileSearchTool(…)`,
//! `WebSearchTool(…)`, each the built-in tool type of the Responses API it stands for (the
//! type a JSON tool list writes, so both are one tool, of the tier `agent::tier::BUILTINS`
//! gives), and `HostedMCPTool(tool_config={…})`, a remote MCP server named by its
//! `server_label`, with its `server_url` and its `require_approval` when they are string
//! literals (a label the file does not write out stands under the file's stem), and the
//! server's tools its literal `allowed_tools` and `require_approval={"never": {"tool_names":
//! […]}, "always": …}` name, as a JSON tool list's are read (those of `never` run without
//! approval).
//!
//! Only constructions count, and only of the SDK's classes: names the file imports `from agents
//! import …` (or from a module of the package, `agents.tool`), or reaches as attributes of the
//! package it imports (`import agents`, `agents.WebSearchTool(…)`). An import alone, or a class
//! of the same name in a file that does not import the SDK, is no tool.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use super::python_servers::FromName;
use super::{PythonSource, bounded_call, capture};
use crate::artifact::escapes::decode_python;
use crate::artifact::text::TextSpan;
use crate::artifact::tool_json::{Dialect, ToolDecl, hosted_mcp_named};
use crate::pattern::Pattern;

/// The SDK's hosted tool classes and the Responses API tool type each builds. Sorted.
pub static OPENAI_AGENTS_HOSTED: &[(&str, &str)] = &[
    ("CodeInterpreterTool", "code_interpreter"),
    ("ComputerTool", "computer_use_preview"),
    ("FileSearchTool", "file_search"),
    ("HostedMCPTool", "mcp"),
    ("ImageGenerationTool", "image_generation"),
    ("LocalShellTool", "local_shell"),
    ("WebSearchTool", "web_search"),
];

/// `"server_label": "acme"` in a dict, `server_label="acme"` as a keyword: group 1 the key,
/// groups 2 and 3 the value.
static MCP_SETTING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#"["']?\b(server_label|server_url|require_approval)["']?\s*[:=]\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')"#)
        .expect("valid regex")
});

/// `"allowed_tools": [`, `require_approval={` …: a list or dict a hosted MCP server's tools are
/// named in; group 1 the key. The value starts where the match ends.
static MCP_TOOL_LIST: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r#"["']?\b(allowed_tools|require_approval|never|always|tool_names)["']?\s*[:=]\s*"#,
    )
    .expect("valid regex")
});

/// A string literal: groups 1 and 2 its body.
static STRING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r#""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'"#).expect("valid regex")
});

/// Whether a module of a `from … import …` or an `import …` is the SDK's.
fn is_sdk(module: &str) -> bool {
    module == "agents" || module.starts_with("agents.")
}

/// The hosted tools the file builds, one per tool (the first construction of each); `stem`
/// names a hosted MCP server whose label is not written out. `imports` are the names the file
/// imports, `clauses` its `import` clauses.
pub(super) fn hosted_tools(
    source: &PythonSource,
    imports: &[FromName],
    clauses: &[&str],
    stem: &str,
) -> Vec<ToolDecl> {
    let mut callees: Vec<(String, &str)> = (imports.iter())
        .filter(|import| is_sdk(import.module))
        .filter_map(|import| {
            let (_, kind) = OPENAI_AGENTS_HOSTED
                .iter()
                .find(|(class, _)| *class == import.name)?;
            Some((import.bound.to_owned(), *kind))
        })
        .collect();
    for clause in clauses {
        let mut words = clause.split_whitespace();
        let (module, alias) = match (words.next(), words.next(), words.next()) {
            (Some(module), Some("as"), Some(alias)) => (module, alias),
            (Some(module), None, _) => (module, module),
            _ => continue,
        };
        if is_sdk(module) {
            callees.extend(
                (OPENAI_AGENTS_HOSTED.iter())
                    .map(|(class, kind)| (format!("{alias}.{class}"), *kind)),
            );
        }
    }
    let text = source.text;
    let mut seen = BTreeSet::new();
    let mut found: Vec<(usize, ToolDecl)> = Vec::new();
    for (callee, kind) in &callees {
        for (at, _) in text.match_indices(callee.as_str()) {
            let end = at + callee.len();
            let joined = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
            if text[..at].chars().next_back().is_some_and(joined)
                || text[end..].chars().next().is_some_and(joined)
            {
                continue;
            }
            let after = text[end..].trim_start();
            if !after.starts_with('(') || !source.is_code(at) {
                continue;
            }
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let statement = text[line_start..at].trim_start();
            if ["class ", "def ", "from ", "import "]
                .iter()
                .any(|keyword| statement.starts_with(keyword))
            {
                continue;
            }
            let args = bounded_call(after);
            let span = TextSpan::at(text, at, callee.len());
            let tools = if *kind == "mcp" {
                hosted_mcp(args, stem, span)
            } else {
                vec![ToolDecl {
                    id: format!("builtin:{kind}"),
                    name: (*kind).to_owned(),
                    provider: None,
                    dialect: Dialect::OpenaiHosted,
                    description: None,
                    annotations: None,
                    auto_approved: None,
                    url: None,
                    span: Some(span),
                    server_elsewhere: false,
                }]
            };
            for tool in tools {
                if seen.insert(tool.id.clone()) {
                    found.push((at, tool));
                }
            }
        }
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, tool)| tool).collect()
}

/// A `HostedMCPTool(…)` whose arguments are `args`: the MCP server it names and the tools it
/// names of that server, as a JSON tool list's `{"type": "mcp", …}` is read (`tool_json`).
fn hosted_mcp(args: &str, stem: &str, span: TextSpan) -> Vec<ToolDecl> {
    let (mut label, mut url, mut approval) = (None, None, None);
    for c in MCP_SETTING.captures_iter(args) {
        let value = capture(&c, &[2, 3]).map(decode_python);
        let slot = match &c[1] {
            "server_label" => &mut label,
            "server_url" => &mut url,
            _ => &mut approval,
        };
        if slot.is_none() {
            *slot = value;
        }
    }
    let label = label
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| stem.to_owned());
    let server = ToolDecl {
        id: format!("mcp:{label}"),
        provider: Some(format!("mcp:{label}")),
        name: label,
        dialect: Dialect::OpenaiHosted,
        description: None,
        annotations: None,
        auto_approved: approval.as_ref().map(|value| value == "never"),
        url,
        span: Some(span),
        server_elsewhere: false,
    };
    let approval_lists = valued(args, "require_approval");
    let listed = |key| approval_lists.and_then(|lists| valued(lists, key));
    let mut allowed = valued(args, "allowed_tools").map_or_else(Vec::new, tool_names);
    allowed.extend(listed("always").map_or_else(Vec::new, tool_names));
    let never = listed("never").map_or_else(Vec::new, tool_names);
    let all_never = approval.as_deref() == Some("never");
    let named = hosted_mcp_named(&server, allowed, &never, all_never);
    std::iter::once(server).chain(named).collect()
}

/// The list, dict or call `key` is given in `args` (`"key": [ … ]`, `key={ … }`,
/// `key=Filter( … )`), brackets included; `None` when it is given nothing of the kind.
fn valued<'a>(args: &'a str, key: &str) -> Option<&'a str> {
    let c = MCP_TOOL_LIST.captures_iter(args).find(|c| &c[1] == key)?;
    let rest = &args[c.get(0)?.end()..];
    let opens = rest.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
    opens
        .starts_with(['[', '{', '('])
        .then(|| bounded_call(rest))
}

/// The tool names of a list (`["search", 'fetch']`) or of a filter's `tool_names` list
/// (`{"tool_names": [ … ], "read_only": True}`), decoded.
fn tool_names(value: &str) -> Vec<String> {
    let list = match valued(value, "tool_names") {
        Some(list) => list,
        None if value.starts_with('[') => value,
        None => return Vec::new(),
    };
    (STRING.captures_iter(list))
        .filter_map(|c| capture(&c, &[1, 2]).map(decode_python))
        .filter(|name| !name.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::OPENAI_AGENTS_HOSTED;
    use crate::artifact::tool_code::{Language, scan};
    use crate::artifact::tool_json::{Dialect, OPENAI_HOSTED};

    fn tools(text: &str) -> Vec<(String, Option<String>, Option<bool>)> {
        let source = scan(text, Language::Python, "agent").unwrap();
        (source.tools.into_iter())
            .map(|tool| (tool.id, tool.url, tool.auto_approved))
            .collect()
    }

    #[test]
    fn the_table_is_sorted_and_names_hosted_types() {
        let mut sorted = OPENAI_AGENTS_HOSTED.to_vec();
        sorted.sort();
        assert_eq!(sorted, OPENAI_AGENTS_HOSTED);
        assert!(
            (OPENAI_AGENTS_HOSTED.iter()).all(|(_, kind)| OPENAI_HOSTED.contains(kind)),
            "every type is one a JSON tool list may declare"
        );
    }

    #[test]
    fn hosted_tools_built_with_the_sdk_are_tools() {
        let text = r#"from agents import Agent, CodeInterpreterTool, HostedMCPTool, function_tool
from agents.tool import WebSearchTool as Search, FileSearchTool, ComputerTool
import agents as sdk


@function_tool
def get_weather(city: str) -> str:
    """Return the weather for a city."""
    return "sunny"


agent = Agent(
    name="acme-assistant",
    tools=[
        get_weather,
        CodeInterpreterTool(tool_config={"type": "code_interpreter", "container": {"type": "auto"}}),
        CodeInterpreterTool(tool_config={}),
        HostedMCPTool(tool_config={"type": "mcp", "server_label": "acme-docs",
                                   "server_url": "https://mcp.example.com/sse",
                                   "require_approval": "never"}),
        HostedMCPTool(tool_config=Mcp(type="mcp", server_label='acme-crm', require_approval="always")),
        HostedMCPTool(tool_config=config),
        Search(),
        sdk.LocalShellTool(executor=run),
        sdk.ImageGenerationTool(tool_config={}),
    ],
)
# FileSearchTool(vector_store_ids=["x"])
HELP = "ComputerTool(computer)"
"#;
        let found = tools(text);
        let https = Some("https://mcp.example.com/sse".to_owned());
        assert_eq!(
            found,
            [
                ("fn:get_weather".to_owned(), None, None),
                ("builtin:code_interpreter".to_owned(), None, None),
                ("mcp:acme-docs".to_owned(), https, Some(true)),
                ("mcp:acme-crm".to_owned(), None, Some(false)),
                ("mcp:agent".to_owned(), None, None),
                ("builtin:web_search".to_owned(), None, None),
                ("builtin:local_shell".to_owned(), None, None),
                ("builtin:image_generation".to_owned(), None, None),
            ]
        );
        let source = scan(text, Language::Python, "agent").unwrap();
        assert_eq!(source.tools[2].provider.as_deref(), Some("mcp:acme-docs"));
        assert_eq!(source.tools[2].dialect, Dialect::OpenaiHosted);
    }

    #[test]
    fn hosted_mcp_tools_named_in_python_are_tools_of_the_server() {
        let text = r#"from agents import Agent, HostedMCPTool

crm = HostedMCPTool(tool_config={
    "type": "mcp", "server_label": "acme-crm", "server_url": "https://mcp.example.com",
    "allowed_tools": ["search_contacts", 'get_contact'],
    "require_approval": {"never": {"tool_names": ["search_contacts", "delete_contact"]},
                         "always": {"tool_names": ["merge_contacts"]}},
})
docs = HostedMCPTool(tool_config=Mcp(type="mcp", server_label="acme-docs",
    allowed_tools={"tool_names": ["read_page"], "read_only": True}, require_approval="never"))
"#;
        let found = tools(text);
        let ids: Vec<(&str, Option<bool>)> = (found.iter())
            .map(|(id, _, approved)| (id.as_str(), *approved))
            .collect();
        assert_eq!(
            ids,
            [
                ("mcp:acme-crm", None),
                ("mcp:acme-crm/delete_contact", Some(true)),
                ("mcp:acme-crm/get_contact", Some(false)),
                ("mcp:acme-crm/merge_contacts", Some(false)),
                ("mcp:acme-crm/search_contacts", Some(true)),
                ("mcp:acme-docs", Some(true)),
                ("mcp:acme-docs/read_page", Some(true)),
            ]
        );
        let source = scan(text, Language::Python, "agent").unwrap();
        assert_eq!(source.tools[1].provider.as_deref(), Some("mcp:acme-crm"));
        assert_eq!(source.tools[1].dialect, Dialect::OpenaiHosted);
        // A list built at run time names no tool.
        let built = "from agents import HostedMCPTool\n\n\
                     t = HostedMCPTool(tool_config={\"server_label\": \"x\", \"allowed_tools\": TOOLS})\n";
        assert_eq!(tools(built).len(), 1);
    }

    #[test]
    fn classes_of_the_same_name_elsewhere_are_not() {
        let imported_only = "from agents import CodeInterpreterTool, WebSearchTool\n\nTOOLS = []\n";
        assert!(tools(imported_only).is_empty());
        let own = "from acme.sandbox import CodeInterpreterTool\n\n\
                   class WebSearchTool:\n    pass\n\n\
                   tools = [CodeInterpreterTool(), WebSearchTool()]\n";
        assert!(tools(own).is_empty());
        let other_module = "import agentsx\nfrom agents_acme import ComputerTool\n\n\
                            t = [agentsx.ComputerTool(), ComputerTool()]\n";
        assert!(tools(other_module).is_empty());
    }
}
