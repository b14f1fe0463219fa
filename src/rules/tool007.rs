//! TOOL007: an MCP server launched from a package without a pinned version.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct UnpinnedServerPackage;

pub static META: RuleMeta = RuleMeta {
    code: "TOOL007",
    name: "unpinned-mcp-server-package",
    family: Family::Tool,
    default_severity: Severity::Warning,
    summary: "An MCP server runs a package fetched at launch (`npx -y`, `uvx`, `bunx`, `docker run`) without an exact version.",
    security: true,
    doc: RuleDoc {
        what: "Reports MCP servers whose command is a package launcher — `npx`, `bunx`, `pnpm dlx`, `uvx`, \
               `uv tool run`, `pipx run` — running a package without an exact version (`pkg`, `pkg@latest`, \
               `pkg@^1.2`), and `docker run` images with neither a digest nor a tag other than `latest`.",
        why: "Launchers fetch whatever the registry serves at start-up. A compromised or hijacked package release \
              then runs with the agent's credentials on the next launch, without any change in the repository.",
        example: "`.mcp.json`:\n\n```json\n\"filesystem\": {\"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/srv\"]}\n```\n\n\
                  ```\nwarning[TOOL007]: MCP server `filesystem` runs npx @modelcontextprotocol/server-filesystem without a pinned version\n```",
        fix: "Pin an exact version (`@modelcontextprotocol/server-filesystem@2025.8.21`, `mcp-server-git==0.6.2`, \
              `image@sha256:…`) and update it deliberately.",
    },
};

impl Rule for UnpinnedServerPackage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for tool in cx.inventory.agent_tools.values() {
            let server = tool.id.strip_prefix("mcp:").unwrap_or(&tool.id);
            for site in tool.packages.iter().filter(|p| !p.package.pinned) {
                let p = &site.package;
                let version = match &p.version {
                    Some(v) => format!(" (version `{v}` is not exact)"),
                    None => " without a pinned version".to_owned(),
                };
                out.push(
                    Finding::new(
                        &META,
                        Some(&tool.component),
                        // One finding for each config that launches it: each is fixed on its own.
                        format!("{}:{}", site.path, p.name),
                        format!(
                            "MCP server `{server}` in {} runs {} {}{version}",
                            site.path, p.launcher, p.name
                        ),
                    )
                    .at(&site.path, p.span)
                    .with_help("pin an exact version or image digest"),
                );
            }
        }
    }
}
