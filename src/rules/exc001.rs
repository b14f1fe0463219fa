//! EXC001: an `[[exception]]` that matches no finding.
//!
//! Exceptions are applied after every other rule has run (`suppression::apply`), so this rule's
//! `check` has nothing to do; the finding is emitted there, with the severity policy gives it.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct UnusedException;

pub static META: RuleMeta = RuleMeta {
    code: "EXC001",
    name: "unused-exception",
    family: Family::Exc,
    default_severity: Severity::Warning,
    summary: "An `[[exception]]` in aibom.toml matches no finding.",
    security: false,
    doc: RuleDoc {
        what: "Reports each `[[exception]]` in `aibom.toml` that suppressed nothing in this scan: no finding of \
               its `rule` on its `path` glob or `component` id. The finding points at the exception's `rule` \
               key in the config file.",
        why: "An exception that matches nothing is either stale (the problem was fixed, the file moved) or \
              wrong (a typo in the glob or the component id) — and a wrong exception silently fails to do \
              what its reason claims, while a stale one would hide the problem if it came back.",
        example: "```toml\n[[exception]]\nrule = \"MOD004\"\npath = \"models/old-model/**\"   # directory deleted\n\
                  reason = \"remote code reviewed in SEC-1234\"\n```\n\n```\nwarning[EXC001]: the exception for \
                  MOD004 path=models/old-model/** matches no finding; remove it\n```",
        fix: "Delete the exception, or correct its `path`/`component` so it matches the finding it was written \
              for (`aibom scan --format json` shows each finding's component id and path).",
    },
};

impl Rule for UnusedException {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}
}
