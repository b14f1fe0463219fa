//! LIN002: a corpus whose content changed since it was pinned or since a model was trained on it.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};

pub struct CorpusHashDrift;

pub static META: RuleMeta = RuleMeta {
    code: "LIN002",
    name: "corpus-hash-drift",
    family: Family::Lin,
    default_severity: Severity::Warning,
    summary: "A corpus's current hash differs from the `sha256` a `[[model]]` was trained on or a `[[corpus]]` pins.",
    security: false,
    doc: RuleDoc {
        what: "Computes each `[[corpus]]`'s current hash from the files its `path` covers — the file's \
               SHA-256 when it is one file, else the SHA-256 of the `sha256sum`-style listing \
               (`<hex>  <path>` per file, sorted by path, one line each) — and compares it with \
               `trained_on = [{ corpus, sha256 }]` of every `[[model]]` (subject \
               `trained_on:<model>:<corpus>`) and with the corpus's own `sha256` pin (subject \
               `pin:<corpus>`). A corpus with no files left is not compared. This is the LIN-DRIFT check.",
        why: "Lineage is only evidence if it names the exact data. When the corpus changed after training, \
              either the record is wrong or the model was trained on data nobody can reproduce — and \
              records erased since (or added since) are not what the weights saw.",
        example: "```toml\n[[model]]\nid = \"support-lora\"\ntrained_on = [{ corpus = \"support-chats\", \
                  sha256 = \"9f2c…\" }]\n```\n\n```\nwarning[LIN002]: model support-lora was trained on \
                  support-chats with sha256 9f2c…, but the corpus is now 4be1…\n```",
        fix: "If the corpus changed on purpose (an erasure, a cleanup), record the new hash — and retrain, \
              or note in the erasure log what the model still holds. If the record was wrong, correct it. \
              The current hash is in the message.",
    },
};

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

impl Rule for CorpusHashDrift {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let manifest = &cx.policy.privacy;
        let hashes = &cx.inventory.privacy.corpus_hashes;
        for model in &manifest.models {
            for t in &model.trained_on {
                let (Some(recorded), Some(current)) = (&t.sha256, hashes.get(&t.corpus)) else {
                    continue;
                };
                if recorded == current {
                    continue;
                }
                out.push(
                    Finding::new(
                        &META,
                        None,
                        format!("trained_on:{}:{}", model.id, t.corpus),
                        format!(
                            "model {} was trained on {} with sha256 {}…, but the corpus is now {current}",
                            model.id,
                            t.corpus,
                            short(recorded)
                        ),
                    )
                    .at(&manifest.file, Some(t.span))
                    .with_help("record the current hash after retraining, or correct the record"),
                );
            }
        }
        for corpus in &manifest.corpora {
            let (Some(pin), Some(current)) = (&corpus.sha256, hashes.get(&corpus.id)) else {
                continue;
            };
            if pin.value == *current {
                continue;
            }
            out.push(
                Finding::new(
                    &META,
                    None,
                    format!("pin:{}", corpus.id),
                    format!(
                        "corpus {} is pinned to sha256 {}…, but its files now hash to {current}",
                        corpus.id,
                        short(&pin.value)
                    ),
                )
                .at(&manifest.file, Some(pin.span))
                .with_help("update the pin if the change was intended"),
            );
        }
    }
}
