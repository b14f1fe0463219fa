//! GDPR006: an erased subject's email or phone number is still in a corpus.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::privacy::KeyState;

pub struct ErasedSubjectPresent;

pub static META: RuleMeta = RuleMeta {
    code: "GDPR006",
    name: "erased-subject-present",
    family: Family::Gdpr,
    default_severity: Severity::Error,
    summary: "The email or phone number of an erased subject is still in the corpus, or in a corpus derived from it.",
    security: false,
    doc: RuleDoc {
        what: "For every completed erasure request whose subject is an `hmac:<hex>` keyed hash, hashes \
               each normalised email address and phone number the PII engine finds in the corpora of the \
               request's `scope` — and in every corpus whose `derived_from` leads back to one of them — \
               with the key from the environment variable `[privacy] hmac_key_env` names (default \
               `AIBOM_ERASURE_KEY`), and reports matches (subject `request:<request_id>:corpus:<id>`), \
               with the file, the type, the count and the first line. Values are hashed as they stream \
               past and never kept. When requests need the check and the key is not set, one finding at \
               note level says the check could not run (subject `key-missing`): it never passes silently. \
               This is the ERA-RESIDUE check.",
        why: "An erasure that left copies behind did not happen: the record survives in a derived corpus \
              (a filtered or deduplicated copy, a train/test split) or was re-imported from the raw export, \
              and the next training run learns it again. The log only holds keyed hashes, so this check \
              is the only way to verify erasure without keeping the identifiers.",
        example: "Request E-17 erased a subject from `support-chats`; `support-chats-dedup` (derived from \
                  it) still holds the address:\n\n```\nerror[GDPR006]: the subject of erasure request E-17 \
                  (completed 2025-03-20) is still in corpus support-chats-dedup: 2 email matches in \
                  data/dedup/train.jsonl, first at line 41\n```",
        fix: "Delete the subject's records from the file named (and its history, if the repository is \
              shared), then rescan. In CI, provide the key as a secret environment variable so the check \
              runs; without it, accept the `key-missing` note knowingly.",
    },
};

impl Rule for ErasedSubjectPresent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let facts = &cx.inventory.privacy;
        let manifest = &cx.policy.privacy;
        if facts.key == KeyState::Missing {
            out.push(
                Finding::new(
                    &META,
                    None,
                    "key-missing",
                    format!(
                        "erased subjects could not be looked for: completed erasure requests with hashed subjects concern scanned corpora, but the environment variable {} is not set",
                        manifest.key_env
                    ),
                )
                .at(&manifest.file, None)
                .with_help(format!("set {} to the erasure-log HMAC key (a CI secret) and rescan", manifest.key_env))
                .at_most(Severity::Note),
            );
        }
        for r in &facts.residue {
            let completed = facts
                .logs
                .get(&r.log)
                .and_then(|l| l.requests.iter().find(|q| q.request_id == r.request_id))
                .and_then(|q| q.completed_at)
                .map(|d| format!(" (completed {d})"))
                .unwrap_or_default();
            let component = facts
                .scans
                .get(&r.file)
                .and_then(|s| s.component.as_deref());
            let s = if r.count == 1 { "" } else { "es" };
            out.push(
                Finding::new(
                    &META,
                    component,
                    format!("request:{}:corpus:{}", r.request_id, r.corpus),
                    format!(
                        "the subject of erasure request {}{completed} is still in corpus {}: {} {} match{s} in {}, first at line {}",
                        r.request_id,
                        r.corpus,
                        r.count,
                        r.kind.as_str(),
                        r.file,
                        r.first_line
                    ),
                )
                .at(&r.file, None)
                .with_help("delete the subject's records from this file and rescan"),
            );
        }
    }
}
