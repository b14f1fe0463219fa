//! PII003: weights trained on personal data, directly or through the models they derive from.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::privacy::{anchor, lineage};

pub struct TrainedOnPii;

pub static META: RuleMeta = RuleMeta {
    code: "PII003",
    name: "trained-on-pii",
    family: Family::Pii,
    default_severity: Severity::Warning,
    summary: "Weights were trained on a corpus holding personal data (inherited by adapters, quantizations and merges).",
    security: false,
    doc: RuleDoc {
        what: "Follows lineage from each model, adapter, quantization and merge in the repository: its \
               `trained_on` relations (the `[[model]]` manifest, card `datasets:`, training configs, GGUF \
               `general.dataset.*`) and, transitively, the `trained_on` of every model it derives from \
               (`derived_from`: adapter bases, fine-tune parents, quantization sources, merge inputs). \
               Reports one finding per data component with personal data — found by the scan, or declared \
               with `contains_pii = true` — that reaches the weights. The component also gets the property \
               `trained_on_pii` (the PII types; `unspecified` when a corpus declares personal data without \
               naming its kinds), which the BOM outputs carry. Corpora derived from a corpus with \
               personal data are judged by their own scan and declaration: filtering may have removed it. \
               A model that a training config describes but whose weights are not in the repository is \
               checked too: the finding says it *is trained* on the data.",
        why: "Models trained on personal data are not anonymous by default (EDPB Opinion 28/2024): \
              training data can be extracted or inferred from them, so the weights are personal data too, \
              and erasure requests on the corpus concern them (GDPR005). A LoRA adapter or a quantization \
              of such a model carries the same data, which is why the flag is inherited.",
        example: "`models/support-lora` with `adapter_config.json` naming `models/base`, itself trained on \
                  `data/support` (which holds emails):\n\n```\nwarning[PII003]: adapter:models/support-lora \
                  was trained on personal data (email) in dataset:data/support, through model:models/base\n```",
        fix: "Record the model in `aibom.toml` (`[[model]]` with `trained_at`, `trained_on` and an \
              `erasure_strategy`), document the legal basis and the anonymity assessment, and accept the \
              finding with an `[[exception]]` that names them. Or retrain on a corpus without personal data.",
    },
};

impl Rule for TrainedOnPii {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let inv = cx.inventory;
        for c in inv.components.values() {
            if !c.kind.is_model_like() || c.external {
                continue;
            }
            // A model a training config describes, whose weights are not in the tree.
            let to_be_trained = c.properties.contains_key("training_config");
            for source in lineage::pii_sources(inv, &c.id) {
                let types: Vec<&str> = source.types.iter().map(String::as_str).collect();
                let via = source
                    .via
                    .as_ref()
                    .map(|v| format!(", through {v}"))
                    .unwrap_or_default();
                let mut finding = Finding::new(
                    &META,
                    Some(&c.id),
                    source.data.clone(),
                    format!(
                        "{} {} on personal data ({}) in {}{via}",
                        c.id,
                        if to_be_trained {
                            "(its weights are not in the repository) is trained"
                        } else {
                            "was trained"
                        },
                        types.join(", "),
                        source.data
                    ),
                )
                .with_help("record the model under [[model]] in aibom.toml with trained_at, trained_on and erasure_strategy");
                if let Some(path) = anchor(c) {
                    finding = finding.at(&path, None);
                }
                out.push(finding);
            }
        }
    }
}
