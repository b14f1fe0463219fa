//! TOOL006: a literal secret in an MCP server's `env`, `headers` or `args`.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct LiteralSecret;

pub static META: RuleMeta = RuleMeta {
    code: "TOOL006",
    name: "literal-secret-in-mcp-config",
    family: Family::Tool,
    default_severity: Severity::Error,
    summary: "An MCP client config holds a literal credential in `env`, `headers` or `args` instead of a reference.",
    security: true,
    doc: RuleDoc {
        what: "Reports MCP server entries whose `env` values, `headers` or arguments are literal credentials: \
               known token formats (`sk-…`, `ghp_…`, `xoxb-…`, `AKIA…` …), `Bearer`/`Basic` headers with a literal \
               token, and long opaque values under secret-sounding keys (`*_TOKEN`, `*_API_KEY`, `--api-key`). \
               References such as `${VAR}`, `${VAR:-default}` and `${input:id}` are not secrets. The finding names \
               the file, the server and the key — never the value, in any output.",
        why: "MCP configs are committed and shared (`.mcp.json`, `.vscode/mcp.json`); a token in them is readable \
              by everyone with the repository and survives in git history after it is removed.",
        example: "`.mcp.json`:\n\n```json\n\"github\": {\"command\": \"github-mcp\", \"env\": {\"GITHUB_TOKEN\": \"ghp_…\"}}\n```\n\n\
                  ```\nerror[TOOL006]: MCP server `github` in .mcp.json has a literal secret in env GITHUB_TOKEN\n```",
        fix: "Rotate the credential, then reference it: `\"GITHUB_TOKEN\": \"${GITHUB_TOKEN}\"` (Claude Code, Cursor) or a \
              VS Code `inputs` entry with `\"password\": true` and `${input:github-token}`.",
    },
};

impl Rule for LiteralSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for tool in cx.inventory.agent_tools.values() {
            let server = tool.id.strip_prefix("mcp:").unwrap_or(&tool.id);
            for site in &tool.secrets {
                out.push(
                    Finding::new(
                        &META,
                        Some(&tool.component),
                        format!("{}:{}.{}", site.path, site.field, site.key),
                        format!(
                            "MCP server `{server}` in {} has a literal secret in {} {}",
                            site.path, site.field, site.key
                        ),
                    )
                    .at(&site.path, site.span)
                    .with_help(
                        "rotate the credential and reference it (`${VAR}` or `${input:id}`)",
                    ),
                );
            }
        }
    }
}
