//! TOOL004: a `[[tool]]` entry that names no tool the scan found.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct EntryUnused;

pub static META: RuleMeta = RuleMeta {
    code: "TOOL004",
    name: "tool-entry-unused",
    family: Family::Tool,
    default_severity: Severity::Warning,
    summary: "A `[[tool]]` entry matches no tool in the repository.",
    security: false,
    doc: RuleDoc {
        what: "Reports `[[tool]]` entries whose `id` (or glob) matches no tool, MCP server or server tool the scan \
               found. An entry for a server (`mcp:billing` or `mcp:billing/*`) is used when the server is \
               configured or any of its tools is defined.",
        why: "Stale entries make the registry lie: a renamed tool keeps its old entry while the new name goes \
              unreviewed, and a reader cannot tell which entries still describe something real.",
        example: "```toml\n[[tool]]\nid = \"fn:legacy_refund\"\n```\n\n```\nwarning[TOOL004]: [[tool]] fn:legacy_refund matches no tool\n```",
        fix: "Delete the entry, or correct its `id` to the tool's current id (`aibom bom --format json` lists every \
              tool id).",
    },
};

impl Rule for EntryUnused {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for entry in &cx.policy.tools {
            let used = cx
                .inventory
                .agent_tools
                .values()
                .any(|t| entry.matches(&t.id, t.is_provider));
            if used {
                continue;
            }
            out.push(
                Finding::new(
                    &META,
                    None,
                    entry.id.clone(),
                    format!("[[tool]] {} matches no tool in this repository", entry.id),
                )
                .at(&entry.file, Some(entry.span))
                .with_help("remove the entry or correct its id"),
            );
        }
    }
}
