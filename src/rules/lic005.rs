//! LIC005: declared usage above a licence's MAU or revenue threshold.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::license::obligations::{clause, describe, local_components, location};
use crate::license::record::Metric;

pub struct UsageThresholdExceeded;

pub static META: RuleMeta = RuleMeta {
    code: "LIC005",
    name: "usage-threshold-exceeded",
    family: Family::Lic,
    default_severity: Severity::Error,
    summary: "Declared monthly active users or revenue exceed a binding licence's threshold (Llama 700M MAU, Stability $1M …).",
    security: false,
    doc: RuleDoc {
        what: "Compares `[project] monthly_active_users`, `annual_revenue_usd` and `monthly_revenue_usd` with the \
               thresholds of every licence binding a model (its own and inherited ones): Llama's 700 million \
               monthly active users, Qwen's 100 million, Stability AI's $1M annual revenue, and so on. A \
               threshold that applies only to commercial use is skipped when `commercial = false`.",
        why: "Above the threshold the licence no longer grants the rights: a separate licence must be requested, \
              or the licence terminates. The threshold usually counts affiliates too.",
        example: "`[project] monthly_active_users = 800_000_000` with a Llama 3.1 fine-tune:\n\n```\n\
                  error[LIC005]: model:models/acme: 800000000 monthly active users exceeds the 700000000 limit of \
                  llama-3.1 [§2]: separate license required\n```",
        fix: "Obtain the licence the term requires from the licensor and record it with `[[licenses.clarify]]`, \
              or use a model whose licence has no such threshold. If the declared figure is wrong, correct it.",
    },
};

impl Rule for UsageThresholdExceeded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(project) = &cx.inventory.licensing.project else {
            return;
        };
        for (c, facts) in local_components(cx.inventory) {
            for b in &facts.bound {
                for t in &b.record.threshold {
                    if t.applies_if == "commercial" && project.commercial == Some(false) {
                        continue;
                    }
                    let declared = match t.metric {
                        Metric::Mau => project.monthly_active_users,
                        Metric::AnnualRevenueUsd => project.annual_revenue_usd,
                        Metric::MonthlyRevenueUsd => project.monthly_revenue_usd,
                    };
                    let Some(declared) = declared.filter(|d| *d > t.limit) else {
                        continue;
                    };
                    let mut f = Finding::new(
                        &META,
                        Some(&c.id),
                        format!("threshold:{}:{}", b.record.id, t.metric.project_key()),
                        format!(
                            "{}: {declared} {} exceeds the {} limit of {}{}: {}",
                            c.id,
                            t.metric.describe(),
                            t.limit,
                            describe(b),
                            clause(&t.clause),
                            t.on_exceed.replace('_', " ")
                        ),
                    )
                    .with_help("obtain the licence the term requires, or use a model without this threshold");
                    if let Some(path) = location(c) {
                        f = f.at(&path, None);
                    }
                    out.push(f);
                }
            }
        }
    }
}
