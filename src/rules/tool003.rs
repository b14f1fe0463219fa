//! TOOL003: a `[[tool]]` entry missing the fields its tier needs.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct EntryIncomplete;

pub static META: RuleMeta = RuleMeta {
    code: "TOOL003",
    name: "tool-entry-incomplete",
    family: Family::Tool,
    default_severity: Severity::Warning,
    summary: "A `[[tool]]` entry lacks fields its tier requires (owner, systems, audit log; rollback, credential, approval from external-send up).",
    security: false,
    doc: RuleDoc {
        what: "Checks every `[[tool]]` entry for the fields an incident responder needs: `tier`, `owner`, \
               `systems` and `audit_log` always; `rollback`, `credential` and `approval` when the tier — the \
               higher of the declared tier and the inferred tier of the tools it names — is `external-send` or \
               above. A value of `TODO` (as `aibom init` writes) counts as missing.",
        why: "A registry entry is only useful during an incident if it says who to call, what the tool touches, \
              where its calls are recorded and how to undo them. Entries that merely exist give false comfort.",
        example: "```toml\n[[tool]]\nid = \"mcp:billing/*\"\ntier = \"financial\"\nowner = \"TODO\"\n```\n\n```\nwarning[TOOL003]: \
                  [[tool]] mcp:billing/* (financial) is missing owner, systems, audit_log, rollback, credential, approval\n```",
        fix: "Fill the listed fields. `rollback = \"none\"` is an answer (the action cannot be undone); `approval` is \
              `\"human\"` or `\"auto\"`.",
    },
};

impl Rule for EntryIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for entry in &cx.policy.tools {
            let inferred = cx
                .inventory
                .agent_tools
                .values()
                .filter(|t| entry.matches(&t.id, t.is_provider))
                .map(|t| t.tier)
                .max();
            let tier = entry.tier.max(inferred);
            let missing = entry.missing_fields(tier);
            if missing.is_empty() {
                continue;
            }
            let tier_text = tier.map_or_else(|| "no tier".to_owned(), |t| t.to_string());
            out.push(
                Finding::new(
                    &META,
                    None,
                    entry.id.clone(),
                    format!(
                        "[[tool]] {} ({tier_text}) is missing {}",
                        entry.id,
                        missing.join(", ")
                    ),
                )
                .at(&entry.file, Some(entry.span))
                .with_help("fill the listed fields; `TODO` counts as missing"),
            );
        }
    }
}
