//! LIC010: licence terms that cannot be checked statically, or not without facts the project
//! has not declared — "needs review", naming the clause, never a silent pass.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::license::obligations::{
    clause, derivation_kinds, describe, local_components, location, naming_applies,
};
use crate::license::record::{CommercialStatus, Metric};

pub struct NeedsReview;

pub static META: RuleMeta = RuleMeta {
    code: "LIC010",
    name: "license-needs-review",
    family: Family::Lic,
    default_severity: Severity::Note,
    summary: "A licence term cannot be checked statically (use-restriction flow-down, AUP, regions, ongoing thresholds) or needs undeclared usage facts.",
    security: false,
    doc: RuleDoc {
        what: "For every licence binding a model or dataset, lists the terms a scan cannot settle, each with its \
               clause: use restrictions that must flow down to your users (Gemma, RAIL); an acceptable use \
               policy the licensor may change; geographic exclusions (multimodal Llama 3.2+ in the EU); \
               thresholds measured on an ongoing basis; and terms that depend on usage facts `[project]` does not \
               declare (`commercial`, `monthly_active_users`, `redistributes_weights`, `hosts_as_service`, \
               `regions`, `published_names`) — the message says which fact would settle it.",
        why: "A term that cannot be verified is not satisfied: it needs a person to confirm it. Reporting it \
              keeps the audit honest and tells legal exactly which clauses to read.",
        example: "A Gemma fine-tune:\n\n```\nnote[LIC010]: model:models/acme-gemma: gemma-2025-03-24 (through \
                  model:hub/google/gemma-2-9b): use restrictions must flow down to everyone you distribute to \
                  or serve [§3.1]; review your terms of service\n```",
        fix: "Review the clause and record the outcome: declare the missing `[project]` facts, or accept the \
              term with an `[[exception]]` and a reason (e.g. \"prohibited-use policy incorporated in our ToS, \
              LEGAL-42\"). Lower the rule's severity in `[rules]` if reviews are tracked elsewhere.",
    },
};

struct Review {
    subject: String,
    message: String,
}

impl Rule for NeedsReview {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let project = cx.inventory.licensing.project.as_ref();
        for (c, facts) in local_components(cx.inventory) {
            let kinds = derivation_kinds(cx.inventory, &c.id);
            let mut reviews = Vec::new();
            for b in &facts.bound {
                let r = &b.record;
                let who = describe(b);
                // Terms that depend on usage facts `[project]` does not declare: one review per
                // licence, listing the facts that would settle them.
                let mut undeclared: Vec<String> = Vec::new();
                let mut review = |term: &str, message: String| {
                    reviews.push(Review {
                        subject: format!("review:{}:{term}", r.id),
                        message: format!("{}: {who}: {message}", c.id),
                    })
                };
                if let Some(u) = &r.use_restrictions {
                    if u.flow_down_required {
                        review(
                            "flow-down",
                            format!(
                                "use restrictions must flow down to everyone you distribute to or serve{}; \
                                 review your terms of service",
                                clause(&u.clause)
                            ),
                        );
                    }
                    if u.mutable && !u.aup_url.is_empty() {
                        review(
                            "aup",
                            format!(
                                "the acceptable use policy ({}) may change and restricts uses ({}){}; confirm \
                                 your use cases",
                                u.aup_url,
                                u.categories.join(", "),
                                clause(&u.clause)
                            ),
                        );
                    }
                }
                for g in r.geo.iter().filter(|g| !g.excluded.is_empty()) {
                    let modality = if g.modality.is_empty() {
                        String::new()
                    } else {
                        format!(" for {} models", g.modality)
                    };
                    let regions = project.map(|p| p.regions.as_slice()).unwrap_or_default();
                    let hit = regions
                        .iter()
                        .any(|r| g.excluded.iter().any(|e| e.eq_ignore_ascii_case(r)));
                    let message = if regions.is_empty() {
                        format!(
                            "rights are not granted in {}{modality}{}; declare `[project] regions` and review",
                            g.excluded.join(", "),
                            clause(&g.clause)
                        )
                    } else if hit {
                        format!(
                            "the project declares a region ({}) where rights are not granted{modality}{}; \
                             review whether the model is multimodal and whether only end users are there",
                            regions.join(", "),
                            clause(&g.clause)
                        )
                    } else {
                        continue;
                    };
                    review("geo", message);
                }
                for t in &r.threshold {
                    let declared = project.and_then(|p| match t.metric {
                        Metric::Mau => p.monthly_active_users,
                        Metric::AnnualRevenueUsd => p.annual_revenue_usd,
                        Metric::MonthlyRevenueUsd => p.monthly_revenue_usd,
                    });
                    match declared {
                        None => undeclared.push(format!(
                            "`{}` (a limit of {} {}{})",
                            t.metric.project_key(),
                            t.limit,
                            t.metric.describe(),
                            clause(&t.clause)
                        )),
                        Some(d) if d <= t.limit && t.basis == "ongoing" => review(
                            &format!("threshold-{}", t.metric.project_key()),
                            format!(
                                "the limit of {} {} is measured on an ongoing basis{}; re-check whenever it \
                                 changes",
                                t.limit,
                                t.metric.describe(),
                                clause(&t.clause)
                            ),
                        ),
                        Some(_) => {}
                    }
                }
                let commercial = project.and_then(|p| p.commercial);
                if commercial.is_none()
                    && matches!(
                        r.commercial.status,
                        CommercialStatus::Forbidden | CommercialStatus::Conditional
                    )
                {
                    undeclared.push(format!(
                        "`commercial` (commercial use is {}{})",
                        r.commercial.status.as_str(),
                        clause(&r.commercial.clause)
                    ));
                }
                if let Some(a) = &r.attribution
                    && !a.display_text.is_empty()
                    && project.is_none_or(|p| super::lic006::triggered(p, r).is_none())
                {
                    undeclared.push(format!(
                        "`redistributes_weights` and `hosts_as_service` (attribution \"{}\" is required \
                         when the model is distributed or served{})",
                        a.display_text.join("\" or \""),
                        clause(&a.clause)
                    ));
                }
                if let Some(n) = &r.naming
                    && !n.derivative_prefix.is_empty()
                    && kinds.iter().any(|k| naming_applies(&n.applies_to, k))
                    && facts.names.is_empty()
                {
                    undeclared.push(format!(
                        "`published_names` (a derivative's name must begin with \"{}\"{})",
                        n.derivative_prefix,
                        clause(&n.clause)
                    ));
                }
                if !undeclared.is_empty() {
                    review(
                        "usage",
                        format!(
                            "terms depend on usage `[project]` does not declare: {}",
                            undeclared.join("; ")
                        ),
                    );
                }
            }
            for r in reviews {
                let mut f = Finding::new(&META, Some(&c.id), r.subject, r.message).with_help(
                    "review the clause; record the outcome in [project] or an [[exception]]",
                );
                if let Some(path) = location(c) {
                    f = f.at(&path, None);
                }
                out.push(f);
            }
        }
    }
}
