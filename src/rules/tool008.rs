//! TOOL008: a new tool, or a tool whose tier rose, in the same change as a prompt edit.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct ToolChangeWithPromptEdit;

pub static META: RuleMeta = RuleMeta {
    code: "TOOL008",
    name: "tool-change-with-prompt-edit",
    family: Family::Tool,
    default_severity: Severity::Warning,
    summary: "A new agent tool, or a raised tier, ships in the same change as a prompt edit.",
    security: true,
    doc: RuleDoc {
        what: "Only with `--staged` or `--since REF`. When the change edits the content of a prompt (compared \
               with HEAD, or with the merge base), reports every agent tool the change adds and every tool whose \
               inferred blast-radius tier is higher than at the base (the tool definitions that changed — MCP \
               configs, tool JSON, tool code — are read as they were at the base).",
        why: "Authority and behaviour need separate reviews. A pull request titled \"small prompt tweak\" that \
              also registers a refund tool gets reviewed as a prompt tweak; the new authority ships unnoticed. \
              Splitting the change lets the tool get the review its tier calls for.",
        example: "A staged edit of `prompts/support/system.md` and a staged `.mcp.json` that adds a `billing` \
                  server:\n\n```\nwarning[TOOL008]: new tool mcp:billing (tier financial) in the same change as \
                  a prompt edit (prompts/support/system.md)\n```",
        fix: "Split the change: land the tool (with its `[[tool]]` entry) and the prompt edit in separate commits \
              or pull requests. If they must ship together, record the joint review with an `[[exception]]`.",
    },
};

impl Rule for ToolChangeWithPromptEdit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(base) = &cx.inventory.base_tool_tiers else {
            return;
        };
        let edited: Vec<&str> = cx
            .inventory
            .prompts
            .iter()
            .filter(|p| {
                p.history.as_ref().is_some_and(|h| {
                    !h.base_exists || h.base_content_sha256.as_deref() != Some(&p.content_sha256)
                })
            })
            .map(|p| p.path.as_str())
            .collect();
        let Some(first) = edited.first() else {
            return;
        };
        let prompts = match edited.len() {
            1 => (*first).to_owned(),
            n => format!("{first} and {} more", n - 1),
        };
        for tool in cx.inventory.agent_tools.values() {
            let (subject, what) = match base.get(&tool.id) {
                None => (
                    "new tool".to_owned(),
                    format!("new tool {} (tier {})", tool.id, tool.tier),
                ),
                Some(before) if *before < tool.tier => (
                    format!("tier raised to {}", tool.tier),
                    format!("tool {} raised from {before} to {}", tool.id, tool.tier),
                ),
                Some(_) => continue,
            };
            let mut finding = Finding::new(
                &META,
                Some(&tool.component),
                subject,
                format!("{what} in the same change as a prompt edit ({prompts})"),
            )
            .with_help("land the tool change and the prompt edit in separate reviews");
            if let Some(source) = tool.location() {
                finding = finding.at(&source.path, source.span);
            }
            out.push(finding);
        }
    }
}
