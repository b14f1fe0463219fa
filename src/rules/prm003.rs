//! PRM003: a prompt's content changed but its version did not.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct PromptVersionNotBumped;

pub static META: RuleMeta = RuleMeta {
    code: "PRM003",
    name: "prompt-version-not-bumped",
    family: Family::Prm,
    default_severity: Severity::Warning,
    summary: "A prompt's content changed while its declared `version` stayed the same.",
    security: false,
    doc: RuleDoc {
        what: "For prompts that declare a version (Prompty `version` or `metadata.version`, Dotprompt `version`, \
               or a `version` key in any prompt's front matter), compares the prompt with its state at HEAD — or \
               at the merge base with `--since REF` — and reports it when the content (the body, not the \
               metadata) differs and the version is the same. The current state is the working tree, or the \
               index with `--staged`. Prompts that are new since the base, or that declare no version, are not \
               judged. Without a git repository the rule is silent.",
        why: "Evaluations, traces and incident reports name prompts by version. Two different texts under one \
              version make every comparison between them meaningless, and a rollback to \"1.2.0\" may not \
              restore what ran.",
        example: "`prompts/triage.prompty` has `version: 1.2.0` at HEAD and in the working tree, but its body \
                  changed:\n\n```\nwarning[PRM003]: prompts/triage.prompty changed since HEAD but its version \
                  is still 1.2.0\n```",
        fix: "Bump the `version` (and add the changelog entry). If the edit does not change behaviour (a typo in \
              a comment), accept it with an `[[exception]]` for this prompt and a reason.",
    },
};

impl Rule for PromptVersionNotBumped {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for prompt in &cx.inventory.prompts {
            let (Some(version), Some(history)) = (&prompt.version, &prompt.history) else {
                continue;
            };
            let (Some(base_version), Some(base_content)) =
                (&history.base_version, &history.base_content_sha256)
            else {
                continue;
            };
            if *base_version != version.value || *base_content == prompt.content_sha256 {
                continue;
            }
            out.push(
                Finding::new(
                    &META,
                    Some(&prompt.component),
                    format!("version {}", version.value),
                    format!(
                        "{} changed since {} but its version is still {}",
                        prompt.path, history.base, version.value
                    ),
                )
                .at(&prompt.path, version.span)
                .with_help("bump the version with the change"),
            );
        }
    }
}
