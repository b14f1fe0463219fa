//! LIN001: trained weights with no record of their training data.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::inventory::{ComponentKind, RelationKind};
use crate::privacy::anchor;

pub struct NoTrainingDataRecord;

pub static META: RuleMeta = RuleMeta {
    code: "LIN001",
    name: "no-training-data-record",
    family: Family::Lin,
    default_severity: Severity::Note,
    summary: "Trained weights in the repository have no record of the data they were trained on.",
    security: false,
    doc: RuleDoc {
        what: "Reports models and adapters whose weights are in the repository with no `trained_on` \
               lineage at all: no `[[model]]` entry with `trained_on` in `aibom.toml`, no card \
               `datasets:`, no training config (axolotl, LLaMA-Factory, TRL) naming its data, no GGUF \
               `general.dataset.*`. Quantizations and merges train nothing: they are reported only when \
               they also have no parent (`derived_from`), since their data is their parents'. This is the \
               LIN-NO-SOURCE check. Hub models vendored in a Hugging Face cache are not reported: their \
               training data is documented on the hub.",
        why: "Without a training-data record nobody can tell whether the weights carry personal data, \
              which licences bind them through their data, or which erasure requests concern them. The AI \
              Act's technical documentation (Annex IV 2(d)) and the GPAI training-content summary \
              (Art. 53(1)(d)) both start from this record.",
        example: "`models/support-lora/adapter_model.safetensors` whose card has no `datasets:` and no \
                  `[[model]]` names it:\n\n```\nnote[LIN001]: adapter:models/support-lora has no record of \
                  its training data\n```",
        fix: "Add `datasets:` to the model card, or a `[[model]]` entry in `aibom.toml` with `trained_on = \
              [{ corpus = \"<id>\", sha256 = \"…\" }]` naming the `[[corpus]]` it was trained on. For a \
              vendored base model, add its card (which names its data) or accept the finding with an \
              `[[exception]]`.",
    },
};

impl Rule for NoTrainingDataRecord {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let inv = cx.inventory;
        let manifest = &cx.policy.privacy;
        for c in inv.components.values() {
            // A hub model (a Hugging Face cache entry) documents its data on the hub.
            if !c.kind.is_model_like() || c.external || c.files.is_empty() || c.hub_id.is_some() {
                continue;
            }
            let relations: Vec<RelationKind> = inv.relations_from(&c.id).map(|r| r.kind).collect();
            if relations.contains(&RelationKind::TrainedOn) {
                continue;
            }
            let conversion = matches!(c.kind, ComponentKind::Quantization | ComponentKind::Merge);
            if conversion && relations.contains(&RelationKind::DerivedFrom) {
                continue;
            }
            let declared = manifest.models.iter().any(|m| {
                !m.trained_on.is_empty()
                    && inv
                        .privacy
                        .model_components
                        .get(&m.id)
                        .is_some_and(|ids| ids.contains(&c.id))
            });
            if declared {
                continue;
            }
            let mut finding = Finding::new(
                &META,
                Some(&c.id),
                "training-data",
                format!("{} has no record of its training data", c.id),
            )
            .with_help(
                "add `datasets:` to the model card, or a [[model]] with trained_on in aibom.toml",
            );
            if let Some(path) = anchor(c) {
                finding = finding.at(&path, None);
            }
            out.push(finding);
        }
    }
}
