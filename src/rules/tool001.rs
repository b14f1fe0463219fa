//! TOOL001: an agent tool with no `[[tool]]` entry.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::policy::tools::entries_for;

pub struct ToolNotRegistered;

pub static META: RuleMeta = RuleMeta {
    code: "TOOL001",
    name: "tool-not-registered",
    family: Family::Tool,
    default_severity: Severity::Warning,
    summary: "An agent tool or MCP server has no `[[tool]]` entry in the blast-radius registry.",
    security: true,
    doc: RuleDoc {
        what: "Reports every agent tool the scan finds — MCP servers in client configs (`mcp:<server>`), \
               their tools (`mcp:<server>/<tool>`), function tools in code or JSON (`fn:<name>`) and hosted \
               or built-in tools (`builtin:<type>`) — that no `[[tool]]` entry in `aibom.toml` names, by id \
               or glob. A tool of an MCP server is also covered by an entry naming its server. The finding \
               gives the tier the scan inferred and the evidence for it.",
        why: "An agent can call any tool it is given. Without a registry entry nobody has said what the tool \
              can break, who owns it, where its calls are logged or how to undo them — the questions an \
              incident responder asks first (OWASP LLM06, Excessive Agency).",
        example: "`agents/tools.py`:\n\n```python\n@tool\ndef refund_order(order_id: str, amount_cents: int) -> str:\n    ...\n```\n\n\
                  ```\nwarning[TOOL001]: fn:refund_order has no [[tool]] entry (inferred tier: financial — name contains \"refund\")\n```",
        fix: "Run `aibom init` to write skeleton entries, or add one by hand:\n\n```toml\n[[tool]]\nid = \"fn:refund_order\"\n\
              tier = \"financial\"\nsystems = [\"billing\"]\nowner = \"payments-oncall\"\naudit_log = \"billing audit table\"\n\
              rollback = \"reverse the refund within 30 days\"\ncredential = \"BILLING_API_KEY (refunds:write)\"\napproval = \"human\"\n```",
    },
};

impl Rule for ToolNotRegistered {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for tool in cx.inventory.agent_tools.values() {
            if !entries_for(&cx.policy.tools, tool).is_empty() {
                continue;
            }
            let why: Vec<String> = tool.deciding_evidence().map(|e| e.reason.clone()).collect();
            let why = if why.is_empty() {
                String::new()
            } else {
                format!(" — {}", why.join("; "))
            };
            let sites = tool.definition_sites();
            let sites = if sites.is_empty() {
                String::new()
            } else {
                format!("; defined in {} places: {}", sites.len(), sites.join(", "))
            };
            let mut finding = Finding::new(
                &META,
                Some(&tool.component),
                tool.id.clone(),
                format!(
                    "{} has no [[tool]] entry (inferred tier: {}{why}){sites}",
                    tool.id, tool.tier
                ),
            )
            .with_help("`aibom init` writes a skeleton entry with the inferred tier");
            if let Some(source) = tool.location() {
                finding = finding.at(&source.path, source.span);
            }
            out.push(finding);
        }
    }
}
