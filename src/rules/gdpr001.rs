//! GDPR001: a corpus with personal data and no legal basis.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::privacy::corpus_holds_pii;

pub struct NoLegalBasis;

pub static META: RuleMeta = RuleMeta {
    code: "GDPR001",
    name: "no-legal-basis",
    family: Family::Gdpr,
    default_severity: Severity::Error,
    summary: "A `[[corpus]]` holding personal data declares no GDPR Art. 6(1) legal basis.",
    security: false,
    doc: RuleDoc {
        what: "Reports each `[[corpus]]` in `aibom.toml` that holds personal data — declared with \
               `contains_pii = true`, or found by the scan in the files its `path` covers — and has no \
               `legal_basis`. (Personal data in files no `[[corpus]]` covers is PII002.) This is the \
               LEGAL-BASIS check of the privacy manifest.",
        why: "Processing personal data is lawful only on one of the six bases of GDPR Art. 6(1): consent, \
              contract, legal obligation, vital interests, public task, legitimate interest. Training a \
              model is processing. Without a recorded basis the controller cannot demonstrate compliance \
              (Art. 5(2)); with legitimate interest, the balancing test (LIA) must exist too.",
        example: "```toml\n[[corpus]]\nid = \"support-chats\"\npath = \"data/support/*.jsonl\"\n\
                  contains_pii = true\n```\n\n```\nerror[GDPR001]: corpus support-chats holds personal data \
                  and declares no legal_basis\n```",
        fix: "Add `legal_basis = \"consent\" | \"contract\" | \"legal_obligation\" | \"vital_interests\" | \
              \"public_task\" | \"legitimate_interest\"` to the `[[corpus]]`, after checking it with your \
              data protection officer. If the corpus holds no personal data, set `contains_pii = false` \
              and remove the values the scan found.",
    },
};

impl Rule for NoLegalBasis {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let manifest = &cx.policy.privacy;
        for decl in &manifest.corpora {
            if decl.legal_basis.is_some() || !corpus_holds_pii(&cx.inventory.privacy, decl) {
                continue;
            }
            out.push(
                Finding::new(
                    &META,
                    None,
                    format!("corpus:{}", decl.id),
                    format!("corpus {} holds personal data and declares no legal_basis", decl.id),
                )
                .at(&manifest.file, Some(decl.span))
                .with_help("add legal_basis (GDPR Art. 6(1): consent, contract, legal_obligation, vital_interests, public_task, legitimate_interest)"),
            );
        }
    }
}
