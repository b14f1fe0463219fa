//! LIC011: the licence policy in `aibom.toml` — denied or not-allowed licences, and
//! `[[licenses.clarify]]` decisions that no longer apply or are overdue for review.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::license::analysis::ClarifyState;
use crate::license::obligations::{describe, local_components, location};

pub struct LicensePolicyViolation;

pub static META: RuleMeta = RuleMeta {
    code: "LIC011",
    name: "license-policy-violation",
    family: Family::Lic,
    default_severity: Severity::Error,
    summary: "A binding licence is denied (or not allowed) by `[licenses]`, or a `[[licenses.clarify]]` decision is stale.",
    security: false,
    doc: RuleDoc {
        what: "Checks every licence binding a model or dataset (its own and inherited ones) against \
               `[licenses] deny` and, when it is set, `[licenses] allow`. Also reports `[[licenses.clarify]]` \
               entries whose file is gone or whose SHA-256 no longer matches (the decision no longer applies), \
               and entries whose `reviewed` date is older than `license_review_max_age_days`.",
        why: "An organisation's licence policy is only useful if it is enforced on every inherited licence, \
              and a manual licence decision is only valid for the exact file that was reviewed, for as long \
              as the review is current.",
        example: "```toml\n[licenses]\ndeny = [\"cc-by-nc-4.0\"]\n```\n\n```\nerror[LIC011]: model:models/acme is \
                  bound by cc-by-nc-4.0 (through dataset:data/chats), which [licenses] deny lists\n```",
        fix: "Replace the component, change the policy, or re-review the clarification: update its `sha256` \
              and `reviewed` date after reading the changed file.",
    },
};

impl Rule for LicensePolicyViolation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let licensing = &cx.inventory.licensing;
        let policy = &licensing.policy;
        for (c, facts) in local_components(cx.inventory) {
            for b in &facts.bound {
                let id = &b.record.id;
                let problem = if policy.deny.contains(id) {
                    "which [licenses] deny lists"
                } else if !policy.allow.is_empty() && !policy.allow.contains(id) {
                    "which [licenses] allow does not list"
                } else {
                    continue;
                };
                let mut f = Finding::new(
                    &META,
                    Some(&c.id),
                    format!("policy:{id}"),
                    format!("{} is bound by {}, {problem}", c.id, describe(b)),
                )
                .with_help("replace the component, or change [licenses] in aibom.toml");
                if let Some(path) = location(c) {
                    f = f.at(&path, None);
                }
                out.push(f);
            }
        }
        let config = cx
            .policy
            .source
            .as_ref()
            .map_or("aibom.toml".to_owned(), |p| p.display().to_string());
        for status in &licensing.clarify {
            let Some(entry) = policy.clarify.get(status.index) else {
                continue;
            };
            let problem = match &status.state {
                ClarifyState::Applied => None,
                ClarifyState::Missing => Some(format!(
                    "the clarification for {} ({}) names a file that is not in the repository",
                    entry.path, entry.license
                )),
                ClarifyState::HashChanged { actual } => Some(format!(
                    "the clarification for {} ({}) is pinned to {} but the file's SHA-256 is now {actual}: it no \
                     longer applies",
                    entry.path, entry.license, entry.sha256
                )),
            };
            for (subject, message) in problem
                .map(|m| ("clarify-stale", m))
                .into_iter()
                .chain(status.overdue_days.map(|days| {
                    (
                        "clarify-overdue",
                        format!(
                            "the clarification for {} ({}) was reviewed {} ({days} days ago), more than \
                             license_review_max_age_days ({}) ago",
                            entry.path,
                            entry.license,
                            entry.reviewed,
                            policy.review_max_age_days.unwrap_or(0)
                        ),
                    )
                }))
            {
                out.push(
                    Finding::new(&META, None, format!("{subject}:{}", entry.path), message)
                        .at(&config, None)
                        .with_help("re-review the file, then update `sha256` and `reviewed`"),
                );
            }
        }
    }
}
