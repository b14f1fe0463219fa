//! GDPR005: "weights cannot forget" — an erasure completed after a model was trained on the
//! corpus, the weights still here, and nothing recorded for that model.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::privacy::{lineage, stage::corpus_ancestors};

pub struct WeightsCannotForget;

pub static META: RuleMeta = RuleMeta {
    code: "GDPR005",
    name: "weights-cannot-forget",
    family: Family::Gdpr,
    default_severity: Severity::Error,
    summary: "An erasure on a training corpus completed after the model was trained; the weights are still here and no retrain, filter or unlearning is recorded.",
    security: false,
    doc: RuleDoc {
        what: "For each `[[model]]` with `trained_at` and `trained_on`: finds the erasure requests (in the \
               logs of any corpus) whose `scope` names a corpus the model was trained on, or a corpus one \
               of those derives from (`derived_from`, transitively), and that were completed on or after \
               the training day. If the model's weights are in the repository (its `path` holds weight \
               files) and the request's `models_addressed` has no entry for the model with action \
               `retrained`, `filtered` or `unlearned:<method>` dated on or after the completion, reports \
               it (subject `request:<request_id>`, on the model). Local adapters, quantizations and merges \
               derived from the model are named in the message: they carry the same data. This is the \
               ERA-AFTER-TRAIN check.",
        why: "Deleting a person's records from the corpus does not delete what the model learned from \
              them. A model trained on personal data is not anonymous by default (EDPB Opinion 28/2024), so \
              the erasure extends to it; CNIL's guidance expects retraining (at the next update at the \
              latest) or, where that is disproportionate, output filtering — and the person told which. \
              Without a record, the erasure was not honoured for the weights.",
        example: "`support-lora` trained 2025-01-15 on `support-chats`; request E-17 on `support-chats` \
                  completed 2025-03-20 with `\"models_addressed\": []`:\n\n```\nerror[GDPR005]: erasure \
                  request E-17 on support-chats completed 2025-03-20, after model support-lora was trained \
                  (2025-01-15); its weights are still here and no retrain, filter or unlearning is recorded\n```",
        fix: "Retrain the model without the subject's records (or filter its outputs, or apply an \
              unlearning method), then record it in the request: `\"models_addressed\": [{\"model\": \
              \"support-lora\", \"action\": \"retrained\", \"date\": \"2025-04-01\"}]`. Or remove the \
              weights from the repository.",
    },
};

impl Rule for WeightsCannotForget {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let manifest = &cx.policy.privacy;
        let facts = &cx.inventory.privacy;
        let inv = cx.inventory;
        for model in &manifest.models {
            let Some(trained_at) = model.trained_at else {
                continue;
            };
            let Some(weights) = facts
                .model_components
                .get(&model.id)
                .into_iter()
                .flatten()
                .filter_map(|id| inv.component(id))
                .find(|c| !c.files.is_empty())
            else {
                continue;
            };
            let corpora: std::collections::BTreeSet<String> = model
                .trained_on
                .iter()
                .flat_map(|t| corpus_ancestors(manifest, &t.corpus))
                .collect();
            for log in facts.logs.values() {
                for r in &log.requests {
                    let Some(done) = r.completed_at else { continue };
                    let Some(corpus) = r.scope.iter().find(|s| corpora.contains(*s)) else {
                        continue;
                    };
                    if done < trained_at {
                        continue;
                    }
                    let addressed = r.models_addressed.iter().any(|a| {
                        a.model == model.id && a.addresses() && a.date.is_none_or(|d| d >= done)
                    });
                    if addressed {
                        continue;
                    }
                    let mut derived: Vec<String> = lineage::descendants(inv, &weights.id)
                        .into_iter()
                        .filter(|id| *id != weights.id)
                        .collect();
                    derived.sort();
                    let also = if derived.is_empty() {
                        String::new()
                    } else {
                        format!(" (and derived {} carry the same data)", derived.join(", "))
                    };
                    let strategy = model
                        .erasure_strategy
                        .as_ref()
                        .map(|s| format!("; its erasure_strategy is {s}"))
                        .unwrap_or_default();
                    out.push(
                        Finding::new(
                            &META,
                            Some(&weights.id),
                            format!("request:{}", r.request_id),
                            format!(
                                "erasure request {} on {corpus} completed {done}, after model {} was trained ({trained_at}); its weights are still here{also} and no retrain, filter or unlearning is recorded{strategy}",
                                r.request_id, model.id
                            ),
                        )
                        .at(&log.path, None)
                        .with_help(format!(
                            "retrain, filter or unlearn, then add {{\"model\": \"{}\", \"action\": \"retrained\", \"date\": \"YYYY-MM-DD\"}} to the request's models_addressed",
                            model.id
                        )),
                    );
                }
            }
        }
    }
}
