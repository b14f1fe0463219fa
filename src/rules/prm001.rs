//! PRM001: a prompt with no changelog.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct PromptWithoutChangelog;

pub static META: RuleMeta = RuleMeta {
    code: "PRM001",
    name: "prompt-without-changelog",
    family: Family::Prm,
    default_severity: Severity::Warning,
    summary: "A prompt has no changelog: no `changelog:` front matter, no sidecar, no CHANGELOG.md entry.",
    security: false,
    doc: RuleDoc {
        what: "Reports every prompt (Prompty, GitHub Models `.prompt.yml`, Dotprompt, `.prompt.md`, Semantic \
               Kernel `skprompt.txt`, templates under `prompts/`, files a promptfoo config or `[prompts] paths` \
               names) for which none of these \
               exists: `changelog:` entries in its front matter; a `<name>.changelog.md` file next to it; a \
               `CHANGELOG.md` in its directory or an ancestor that mentions its path or `id` (in a heading or an \
               entry); the `[prompts] changelog` file mentioning it. Needs no git history.",
        why: "Prompts are load-bearing code that changes without review. When the author leaves, a changelog is \
              the only record of why a line is there — which incident a refusal rule answers, which customer a \
              tone change was for — and the first thing an incident responder reads after a behaviour change.",
        example: "`prompts/support/refunds.md` is a prompt and `prompts/CHANGELOG.md` has no entry naming it:\n\n\
                  ```\nwarning[PRM001]: prompts/support/refunds.md has no changelog\n```",
        fix: "Add a section to the nearest `CHANGELOG.md` headed by the prompt's path (`## prompts/support/refunds.md`) \
              with one entry per change, or `changelog:` entries in its front matter, or a \
              `refunds.changelog.md` next to it.",
    },
};

impl Rule for PromptWithoutChangelog {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for prompt in cx
            .inventory
            .prompts
            .iter()
            .filter(|p| p.changelog.is_none())
        {
            out.push(
                Finding::new(
                    &META,
                    Some(&prompt.component),
                    "changelog",
                    format!("{} has no changelog", prompt.path),
                )
                .at(&prompt.path, None)
                .with_help(
                    "add an entry naming this prompt to the nearest CHANGELOG.md, `changelog:` front matter, \
                     or a <name>.changelog.md next to it",
                ),
            );
        }
    }
}
