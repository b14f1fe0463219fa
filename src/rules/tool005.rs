//! TOOL005: a tool at write-irreversible or above that runs without human approval.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::agent::Tier;
use crate::finding::{Finding, Severity};
use crate::policy::tools::{Approval, entries_for};

pub struct AutoApprovedHighTier;

pub static META: RuleMeta = RuleMeta {
    code: "TOOL005",
    name: "auto-approved-high-tier",
    family: Family::Tool,
    default_severity: Severity::Error,
    summary: "A tool that can cause irreversible harm (write-irreversible, financial, execute) is approved automatically.",
    security: true,
    doc: RuleDoc {
        what: "Reports auto-approval of tools whose tier — the higher of the inferred and the registered tier — is \
               `write-irreversible`, `financial` or `execute`: MCP client `alwaysAllow` / `autoApprove` lists, \
               OpenAI hosted MCP `require_approval: \"never\"` (in a JSON tool list or an Agents SDK \
               `HostedMCPTool`), Agents SDK `needs_approval=False`, and \
               `approval = \"auto\"` in the tool's `[[tool]]` entry.",
        why: "Auto-approval removes the last human check between a model's output and the tool call. For tools \
              whose effects cannot be undone — deleting data, moving money, running code — a prompt injection or \
              a model error then becomes the incident.",
        example: "`.mcp.json`:\n\n```json\n\"shell\": {\"command\": \"acme-shell-mcp\", \"alwaysAllow\": [\"run_command\"]}\n```\n\n\
                  ```\nerror[TOOL005]: mcp:shell/run_command (execute) is approved automatically (alwaysAllow in .mcp.json)\n```",
        fix: "Remove the tool from `alwaysAllow`/`autoApprove`, set `require_approval` to `\"always\"` (or list only \
              read-only tools under `never`), pass `needs_approval=True`, or set `approval = \"human\"`. If the \
              tool is in fact harmless, correct its annotations or name so the inferred tier drops.",
    },
};

impl Rule for AutoApprovedHighTier {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for tool in cx.inventory.agent_tools.values() {
            let entry = entries_for(&cx.policy.tools, tool).into_iter().next();
            let tier = tool
                .tier
                .max(entry.and_then(|e| e.tier).unwrap_or(Tier::Read));
            if tier < Tier::WriteIrreversible {
                continue;
            }
            for approval in &tool.auto_approval {
                out.push(
                    Finding::new(
                        &META,
                        Some(&tool.component),
                        format!("{}:{}", tool.id, approval.setting),
                        format!(
                            "{} ({tier}) is approved automatically ({} in {})",
                            tool.id, approval.setting, approval.path
                        ),
                    )
                    .at(&approval.path, approval.span)
                    .with_help("require a human approval for this tool"),
                );
            }
            if let Some(entry) = entry.filter(|e| e.approval == Some(Approval::Auto)) {
                out.push(
                    Finding::new(
                        &META,
                        Some(&tool.component),
                        format!("{}:approval=auto", tool.id),
                        format!(
                            "{} ({tier}) is registered with approval = \"auto\" (entry `{}`)",
                            tool.id, entry.id
                        ),
                    )
                    .at(&entry.file, Some(entry.span))
                    .with_help("set approval = \"human\""),
                );
            }
        }
    }
}
