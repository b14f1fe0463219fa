//! TOOL002: a `[[tool]]` entry whose tier is below the tier the evidence supports.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::policy::tools::entries_for;

pub struct TierBelowInferred;

pub static META: RuleMeta = RuleMeta {
    code: "TOOL002",
    name: "tier-below-inferred",
    family: Family::Tool,
    default_severity: Severity::Error,
    summary: "A `[[tool]]` entry declares a lower blast-radius tier than the tool's evidence supports.",
    security: true,
    doc: RuleDoc {
        what: "Compares each tool's registered `tier` (from the first `[[tool]]` entry that names it) with the \
               minimum tier inferred from evidence: built-in tool types (bash, computer use, code interpreters), \
               known MCP server packages, how a server is launched (a shell, container flags, filesystem roots at \
               `/` or `~`), tool and server names, MCP annotations (missing hints mean the MCP defaults: not \
               read-only, destructive, open world) and descriptions (delete/drop/purge → write-irreversible, \
               send/email/post/publish → external-send, pay/charge/refund/transfer → financial, \
               exec/shell/run/eval → execute). Evidence ranks in that order, and the highest tier the \
               counting evidence gives wins. Words count as words in forms that keep their meaning: `runs` in \
               `list_training_runs` is a noun, and the words after a leading read verb (`get_`, `list_`, \
               `search_` …) name what is read unless joined as a second verb (`get_or_create_user`). A \
               description's word counts only where it says the tool does it: leading a sentence (\"Executes a \
               shell command\", \"Send an email to …\") or joined to a verb by and/or/then, and a noun such as \
               `shell` in a sentence such a verb leads (\"Run a shell command\"); not as an object, a subject or \
               after a negation (\"returns the email\", \"the client executes\", \"does not send\"). Declared \
               annotations that bound the tool — `readOnlyHint: true` or `destructiveHint: false` — outrank \
               descriptions, whose words then stay as notes; names and launch facts still count. Tiers are \
               ordered read < write-reversible < external-send < write-irreversible < financial < execute.",
        why: "The tier decides which fields an entry needs, whether auto-approval is acceptable and how an \
              incident is triaged. An understated tier hides a tool that can move money or run code behind \
              the paperwork of a read-only one.",
        example: "```toml\n[[tool]]\nid = \"fn:refund_order\"\ntier = \"read\"\n```\n\n```\nerror[TOOL002]: fn:refund_order is \
                  registered as read but the evidence says financial: name contains \"refund\" (agents/tools.py:7)\n```",
        fix: "Raise the entry's `tier` to the inferred one (and fill the fields that tier needs). If a description \
              word is wrong, declare the MCP annotations that bound the tool (`readOnlyHint: true`, or \
              `destructiveHint: false` with `openWorldHint`). If a name is wrong — a tool named `delete_draft` that \
              only hides a draft — rename the tool, or suppress with an `[[exception]]` giving the reason.",
    },
};

impl Rule for TierBelowInferred {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for tool in cx.inventory.agent_tools.values() {
            let Some(entry) = entries_for(&cx.policy.tools, tool).into_iter().next() else {
                continue;
            };
            let Some(registered) = entry.tier else {
                continue;
            };
            if registered >= tool.tier {
                continue;
            }
            let evidence: Vec<String> = tool.deciding_evidence().map(|e| e.describe()).collect();
            out.push(
                Finding::new(
                    &META,
                    Some(&tool.component),
                    format!("{}:{registered}", tool.id),
                    format!(
                        "{} is registered as {registered} (entry `{}`) but the evidence says {}: {}",
                        tool.id,
                        entry.id,
                        tool.tier,
                        evidence.join("; ")
                    ),
                )
                .at(&entry.file, Some(entry.span))
                .with_help(format!("set tier = \"{}\" and fill the fields it needs", tool.tier)),
            );
        }
    }
}
