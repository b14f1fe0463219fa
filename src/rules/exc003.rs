//! EXC003: a `--baseline` entry that matches no finding any more.
//!
//! Emitted by `suppression::apply` when a baseline is given; `check` has nothing to do.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct StaleBaselineEntry;

pub static META: RuleMeta = RuleMeta {
    code: "EXC003",
    name: "stale-baseline-entry",
    family: Family::Exc,
    default_severity: Severity::Note,
    summary: "A baseline entry matches no finding any more.",
    security: false,
    doc: RuleDoc {
        what: "With `--baseline FILE`, reports each entry of the baseline whose fingerprint (rule, component, \
               subject — never a line number) matches no finding of this scan. The finding points at the \
               baseline file.",
        why: "A baseline is a list of accepted findings. Entries for findings that were fixed keep accepting \
              them silently should they come back (a pickle restored from an old branch), so the baseline \
              should shrink as the findings go.",
        example: "```\nnote[EXC003]: the baseline entry for MOD002 on model:models/scaler/scaler.pkl \
                  (sklearn.preprocessing._data.StandardScaler) matches no finding any more; regenerate the \
                  baseline with --write-baseline\n```",
        fix: "Regenerate the baseline: `aibom scan --baseline aibom-baseline.json --write-baseline \
              aibom-baseline.json` keeps the entries still found and drops the stale ones. Set \
              `EXC003 = \"off\"` in `[rules]` to ignore stale entries.",
    },
};

impl Rule for StaleBaselineEntry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Finding>) {}
}
