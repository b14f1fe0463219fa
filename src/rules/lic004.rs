//! LIC004: commercial use declared where a binding licence forbids it.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::license::obligations::{clause, describe, local_components, location};
use crate::license::record::CommercialStatus;

pub struct CommercialUseForbidden;

pub static META: RuleMeta = RuleMeta {
    code: "LIC004",
    name: "commercial-use-forbidden",
    family: Family::Lic,
    default_severity: Severity::Error,
    summary: "The project declares commercial use, but a licence binding a model or its training data forbids it.",
    security: false,
    doc: RuleDoc {
        what: "With `[project] commercial = true`, reports every component bound by a licence whose commercial \
               use is forbidden — its own, a parent's (an adapter over a research-only base), or a training \
               corpus's (a CC-BY-NC-4.0 dataset trained into the model) — naming the licence and the chain it \
               comes through.",
        why: "Non-commercial terms travel: a model fine-tuned on NC data, or derived from a research-only base, \
              cannot be used commercially whatever its own card says.",
        example: "`aibom.toml` has `[project] commercial = true`; `models/acme` is trained on `data/chats` \
                  (CC-BY-NC-4.0):\n\n```\nerror[LIC004]: model:models/acme is used commercially but is bound by \
                  cc-by-nc-4.0 (through dataset:data/chats), which forbids commercial use\n```",
        fix: "Retrain without the non-commercial data or parent, obtain a commercial licence (then record it \
              with `[[licenses.clarify]]`), or declare `commercial = false`.",
    },
};

impl Rule for CommercialUseForbidden {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let licensing = &cx.inventory.licensing;
        let commercial = licensing.project.as_ref().and_then(|p| p.commercial);
        if commercial != Some(true) {
            return;
        }
        for (c, facts) in local_components(cx.inventory) {
            for b in &facts.bound {
                if b.record.commercial.status != CommercialStatus::Forbidden {
                    continue;
                }
                let mut f = Finding::new(
                    &META,
                    Some(&c.id),
                    format!("commercial:{}", b.record.id),
                    format!(
                        "{} is used commercially but is bound by {}, which forbids commercial use{}",
                        c.id,
                        describe(b),
                        clause(&b.record.commercial.clause)
                    ),
                )
                .with_help("remove the non-commercial parent or data, or obtain a commercial licence");
                if let Some(path) = location(c) {
                    f = f.at(&path, None);
                }
                out.push(f);
            }
        }
    }
}
