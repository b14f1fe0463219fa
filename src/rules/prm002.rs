//! PRM002: a prompt changed after the newest changelog entry that mentions it.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::inventory::Change;

pub struct StalePromptChangelog;

pub static META: RuleMeta = RuleMeta {
    code: "PRM002",
    name: "stale-prompt-changelog",
    family: Family::Prm,
    default_severity: Severity::Warning,
    summary: "A prompt's content changed after the newest changelog entry that mentions it.",
    security: false,
    doc: RuleDoc {
        what: "For each prompt with a changelog, compares two dates from git history (HEAD's first-parent chain, \
               up to 1000 commits): the newest change to the prompt's content (its body; metadata such as \
               `version` does not count) and the newest change to the part of its changelog that mentions it \
               (its section or entry lines, its front matter `changelog:`, or its sidecar file). Reports the \
               prompt when its content changed later. Uncommitted edits count as the newest change; with \
               `--staged` the staged content is compared with HEAD, so a staged prompt whose changelog entry is \
               not staged is reported. Without a git repository the rule is silent.",
        why: "A changelog that stops at an older version is worse than none: it tells the reader the current \
              text is explained when it is not. The rule catches the common case — the prompt was tweaked in a \
              hurry and the entry was forgotten — at commit time.",
        example: "`prompts/support/system.md` changed in commit 3f2a…, the newest `prompts/CHANGELOG.md` entry \
                  for it is from an earlier commit:\n\n```\nwarning[PRM002]: prompts/support/system.md changed in \
                  commit 3f2a9c0d1e after the newest entry for it in prompts/CHANGELOG.md (commit 8b1c2d3e4f)\n```",
        fix: "Add an entry for the change to the changelog (and stage it with the prompt). If the change really \
              needs no entry (whitespace, a typo), record that with an `[[exception]]` for this prompt.",
    },
};

impl Rule for StalePromptChangelog {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for prompt in &cx.inventory.prompts {
            let (Some(changelog), Some(history)) = (&prompt.changelog, &prompt.history) else {
                continue;
            };
            let (Some(content), Some(entry)) = (&history.content_change, &history.changelog_change)
            else {
                continue;
            };
            if !content.is_newer_than(entry) {
                continue;
            }
            let what = match content {
                Change::Pending if history.current == "index" => "is staged".to_owned(),
                Change::Pending => "has uncommitted changes".to_owned(),
                commit => format!("changed in {}", commit.describe()),
            };
            let entry_state = match entry {
                Change::Pending => "its uncommitted entry".to_owned(),
                commit => format!("its newest entry ({})", commit.describe()),
            };
            out.push(
                Finding::new(
                    &META,
                    Some(&prompt.component),
                    "changelog",
                    format!(
                        "{} {what} after {entry_state} in {}",
                        prompt.path, changelog.path
                    ),
                )
                .at(&prompt.path, None)
                .with_help(format!(
                    "add an entry for this change to {}{}",
                    changelog.path,
                    if history.current == "index" {
                        " and stage it"
                    } else {
                        ""
                    }
                )),
            );
        }
    }
}
