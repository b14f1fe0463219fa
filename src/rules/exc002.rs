//! EXC002: an `[[exception]]` whose `expires` date has passed.
//!
//! Emitted by `suppression::apply` (exceptions are applied after every other rule); `check` has
//! nothing to do.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct ExpiredException;

pub static META: RuleMeta = RuleMeta {
    code: "EXC002",
    name: "expired-exception",
    family: Family::Exc,
    default_severity: Severity::Error,
    summary: "An `[[exception]]` in aibom.toml has expired; the findings it covered are reported again.",
    security: false,
    doc: RuleDoc {
        what: "Reports each `[[exception]]` whose `expires` date is before today (UTC; `SOURCE_DATE_EPOCH` \
               overrides the clock for reproducible runs). An expired exception no longer suppresses \
               anything: the findings it covered are reported as active again, next to this one.",
        why: "Accepted risk is accepted for a time: a licence review until the next release, a pickle until \
              the safetensors conversion lands. An expiry nobody acts on must become visible, or the \
              exception outlives its reason.",
        example: "```toml\n[[exception]]\nrule = \"MOD002\"\ncomponent = \"model:models/scaler/scaler.pkl\"\n\
                  reason = \"sklearn scaler, conversion tracked in ML-88\"\nexpires = 2026-03-31\n```\n\n```\n\
                  error[EXC002]: the exception for MOD002 component=model:models/scaler/scaler.pkl expired on \
                  2026-03-31; its findings are reported again\n```",
        fix: "Fix the underlying findings and delete the exception, or review it again and move `expires` to \
              a new date with an updated `reason`.",
    },
};

impl Rule for ExpiredException {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}
}
