//! LIC006: required attribution ("Built with Llama") missing from the declared attribution files.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::license::obligations::{clause, describe, local_components, location};
use crate::license::{normalize, record::LicenseRecord};
use crate::policy::usage::Project;

pub struct AttributionMissing;

pub static META: RuleMeta = RuleMeta {
    code: "LIC006",
    name: "attribution-missing",
    family: Family::Lic,
    default_severity: Severity::Warning,
    summary: "A binding licence requires displayed attribution (\"Built with Llama\") and no attribution file shows it.",
    security: false,
    doc: RuleDoc {
        what: "When the project redistributes weights or hosts a model as a service (`[project] \
               redistributes_weights`, `hosts_as_service`), checks that one of the licence's attribution phrases \
               appears in one of `[project] attribution_files` (README, NOTICE, docs; matched case- and \
               punctuation-insensitively). A missing attribution file counts as not showing it.",
        why: "Llama 3.x and 4 require \"Built with Llama\" to be displayed prominently on a website, user \
              interface, blog post, about page or documentation of any product that contains the model; other \
              licences require their own notices. It is the condition most often forgotten.",
        example: "`[project] redistributes_weights = true`, `attribution_files = [\"README.md\"]`, a Llama 3.1 \
                  fine-tune, and a README without the phrase:\n\n```\nwarning[LIC006]: model:models/acme: none of \
                  README.md displays \"Built with Llama\" (llama-3.1 [§1.b.i])\n```",
        fix: "Add the phrase to a file listed in `attribution_files` (and ship the licence's notice file), or \
              list the file that already shows it.",
    },
};

/// Whether the project's declared distribution triggers the licence's attribution duty:
/// `Some(true)`/`Some(false)`, or `None` when the facts that decide it are not declared.
pub fn triggered(project: &Project, record: &LicenseRecord) -> Option<bool> {
    let hosted_counts = record.redistribution.hosted_counts_as_distribution
        || record.attribution.as_ref().is_some_and(|a| {
            a.trigger
                .iter()
                .any(|t| t == "product_contains" || t == "hosted")
        });
    match (project.redistributes_weights, project.hosts_as_service) {
        (Some(true), _) => Some(true),
        (_, Some(true)) => Some(hosted_counts),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

impl Rule for AttributionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let licensing = &cx.inventory.licensing;
        let Some(project) = &licensing.project else {
            return;
        };
        for (c, facts) in local_components(cx.inventory) {
            for b in &facts.bound {
                let Some(a) = &b.record.attribution else {
                    continue;
                };
                if a.display_text.is_empty() || triggered(project, &b.record) != Some(true) {
                    continue;
                }
                let shown = licensing.attribution_texts.iter().any(|(_, text)| {
                    text.as_ref().is_some_and(|text| {
                        a.display_text
                            .iter()
                            .any(|phrase| text.contains(&normalize(phrase)))
                    })
                });
                if shown {
                    continue;
                }
                let files = if project.attribution_files.is_empty() {
                    "no attribution file is declared, so none".to_owned()
                } else {
                    format!("none of {}", project.attribution_files.join(", "))
                };
                let phrases: Vec<String> =
                    a.display_text.iter().map(|t| format!("\"{t}\"")).collect();
                let mut f = Finding::new(
                    &META,
                    Some(&c.id),
                    format!("attribution:{}", b.record.id),
                    format!(
                        "{}: {files} displays {} ({}{})",
                        c.id,
                        phrases.join(" or "),
                        describe(b),
                        clause(&a.clause)
                    ),
                )
                .with_help("show the phrase in a file listed in [project] attribution_files");
                if let Some(path) = location(c) {
                    f = f.at(&path, None);
                }
                out.push(f);
            }
        }
    }
}
