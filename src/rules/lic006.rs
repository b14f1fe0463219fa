//! LIC006: required attribution ("Built with Llama") missing from the declared attribution files.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::artifact::parsed::Artifact;
use crate::finding::{Finding, Severity};
use crate::inventory::RelationKind;
use crate::license::analysis::ComponentLicensing;
use crate::license::obligations::{clause, describe, local_components, location};
use crate::license::{normalize, record::LicenseRecord};
use crate::policy::usage::Project;

pub struct AttributionMissing;

pub static META: RuleMeta = RuleMeta {
    code: "LIC006",
    name: "attribution-missing",
    family: Family::Lic,
    default_severity: Severity::Warning,
    summary: "Redistributed or served weights lack the attribution (\"Built with Llama\"), notice or licence copy a binding licence requires.",
    security: false,
    doc: RuleDoc {
        what: "When the project redistributes weights or hosts a model as a service (`[project] \
               redistributes_weights`, `hosts_as_service`), checks that one of the licence's attribution phrases \
               appears in one of `[project] attribution_files` (README, NOTICE, docs; matched case- and \
               punctuation-insensitively); a missing attribution file counts as not showing it, and with \
               `--staged` the files are read as the git index holds them. When weights \
               are redistributed, also checks that a copy of every binding licence that requires one ships next \
               to them (a `LICENSE` file identified as that licence), and the licence's notice text (Llama's \
               \"… is licensed under the … Community License\") in a `NOTICE`-like file or an attribution file.",
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

/// Whether a licence text identified as `id` ships with the component (a notice alone is not a
/// copy of the licence).
fn ships_licence_copy(facts: &ComponentLicensing, id: &str) -> bool {
    facts.evidence.iter().any(|e| {
        matches!(e.source.as_str(), "licence file" | "clarify")
            && e.licenses.iter().any(|l| l == id)
            && e.note.as_deref() != Some("notice file")
    })
}

/// Whether the licence's notice text (its first words, enough to recognise it) appears in a
/// licence or notice file next to the component or in an attribution file.
fn ships_notice(cx: &Context<'_>, component: &str, notice: &str) -> bool {
    let words: Vec<String> = normalize(notice)
        .split(' ')
        .take(10)
        .map(str::to_owned)
        .collect();
    let needle = words.join(" ");
    if needle.is_empty() {
        return true;
    }
    let inventory = cx.inventory;
    let beside = inventory
        .relations_from(component)
        .filter(|r| r.kind == RelationKind::LicensedBy)
        .filter_map(|r| inventory.component(&r.to)?.path.as_deref())
        .filter_map(|path| match &inventory.file(path)?.artifact {
            Ok(Artifact::LicenseFile { normalized, .. }) => Some(normalized.as_str()),
            _ => None,
        })
        .any(|text| text.contains(&needle));
    beside
        || inventory
            .licensing
            .attribution_texts
            .iter()
            .any(|(_, t)| t.as_ref().is_some_and(|t| t.contains(&needle)))
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
        let redistributes = project.redistributes_weights == Some(true);
        for (c, facts) in local_components(cx.inventory) {
            let mut missing: Vec<(String, String, &'static str)> = Vec::new();
            for b in &facts.bound {
                let id = &b.record.id;
                if redistributes && c.kind.is_model_like() {
                    let rd = &b.record.redistribution;
                    if rd.license_copy && !ships_licence_copy(facts, id) {
                        missing.push((
                            format!("license-copy:{id}"),
                            format!(
                                "{} is redistributed without a copy of {}{}",
                                c.id,
                                describe(b),
                                clause(&rd.clause)
                            ),
                            "ship the licence text (LICENSE) next to the weights",
                        ));
                    }
                    if let Some(a) = &b.record.attribution
                        && !a.notice_file.trim().is_empty()
                        && !ships_notice(cx, &c.id, &a.notice_file)
                    {
                        missing.push((
                            format!("notice:{id}"),
                            format!(
                                "{} is redistributed without the notice {} requires: \"{}\"{}",
                                c.id,
                                describe(b),
                                a.notice_file,
                                clause(&a.clause)
                            ),
                            "add a NOTICE file with the licence's notice text",
                        ));
                    }
                }
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
                missing.push((
                    format!("attribution:{id}"),
                    format!(
                        "{}: {files} displays {} ({}{})",
                        c.id,
                        phrases.join(" or "),
                        describe(b),
                        clause(&a.clause)
                    ),
                    "show the phrase in a file listed in [project] attribution_files",
                ));
            }
            for (subject, message, help) in missing {
                let mut f = Finding::new(&META, Some(&c.id), subject, message).with_help(help);
                if let Some(path) = location(c) {
                    f = f.at(&path, None);
                }
                out.push(f);
            }
        }
    }
}
