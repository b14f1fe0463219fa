//! LIN003: references to corpora that do not exist.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::inventory::RelationKind;

pub struct DanglingCorpusReference;

pub static META: RuleMeta = RuleMeta {
    code: "LIN003",
    name: "dangling-corpus-reference",
    family: Family::Lin,
    default_severity: Severity::Warning,
    summary: "A `trained_on`, `derived_from`, erasure `scope` or dataset reference names a corpus that does not exist.",
    security: false,
    doc: RuleDoc {
        what: "Reports references to training data that lead nowhere: a `[[model]]` `trained_on` corpus \
               or a `[[corpus]]` `derived_from` that is no `[[corpus]]` id (subjects \
               `trained_on:<model>:<corpus>`, `derived_from:<corpus>:<id>`); an erasure request whose \
               `scope` names no `[[corpus]]` (`scope:<request>:<id>`); and a card `datasets:` entry, \
               training config or GGUF dataset reference naming a local path that is not in the \
               repository (`dataset:<reference>`). Hub dataset ids (`org/name`) are external references, \
               not dangling ones. This is the LIN-DANGLING check.",
        why: "A dangling reference breaks the chain every other check walks: PII flags do not reach the \
              weights (PII003), erasures on the real corpus do not reach the model (GDPR005), and a typo \
              in a corpus id silently disables them.",
        example: "```toml\n[[model]]\nid = \"support-lora\"\ntrained_on = [{ corpus = \"suport-chats\" }]\n\
                  ```\n\n```\nwarning[LIN003]: model support-lora is trained_on corpus suport-chats, which \
                  no [[corpus]] declares\n```",
        fix: "Correct the id or path, or declare the missing corpus with a `[[corpus]]` entry (its files may \
              be gone; the entry is still the record).",
    },
};

impl Rule for DanglingCorpusReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let manifest = &cx.policy.privacy;
        let inv = cx.inventory;
        let help = "use the id of a [[corpus]] in aibom.toml, or declare the corpus";
        for model in &manifest.models {
            for t in &model.trained_on {
                if manifest.corpus(&t.corpus).is_none() {
                    out.push(
                        Finding::new(
                            &META,
                            None,
                            format!("trained_on:{}:{}", model.id, t.corpus),
                            format!(
                                "model {} is trained_on corpus {}, which no [[corpus]] declares",
                                model.id, t.corpus
                            ),
                        )
                        .at(&manifest.file, Some(t.span))
                        .with_help(help),
                    );
                }
            }
        }
        for corpus in &manifest.corpora {
            for d in &corpus.derived_from {
                if manifest.corpus(&d.value).is_none() {
                    out.push(
                        Finding::new(
                            &META,
                            None,
                            format!("derived_from:{}:{}", corpus.id, d.value),
                            format!(
                                "corpus {} is derived_from {}, which no [[corpus]] declares",
                                corpus.id, d.value
                            ),
                        )
                        .at(&manifest.file, Some(d.span))
                        .with_help(help),
                    );
                }
            }
        }
        for log in inv.privacy.logs.values() {
            for r in &log.requests {
                for s in &r.scope {
                    if manifest.corpus(s).is_none() {
                        out.push(
                            Finding::new(
                                &META,
                                None,
                                format!("scope:{}:{s}", r.request_id),
                                format!(
                                    "erasure request {} (line {}) has corpus {s} in its scope, which no [[corpus]] declares",
                                    r.request_id, r.line
                                ),
                            )
                            .at(&log.path, None)
                            .with_help(help),
                        );
                    }
                }
            }
        }
        for r in &inv.relations {
            if r.kind != RelationKind::TrainedOn {
                continue;
            }
            let Some(target) = inv.component(&r.to) else {
                continue;
            };
            let Some(reference) = target
                .properties
                .get("unresolved_reference")
                .and_then(|v| v.as_str())
            else {
                continue;
            };
            let mut finding = Finding::new(
                &META,
                Some(&r.from),
                format!("dataset:{reference}"),
                format!(
                    "{} names training data {reference}, which is not in the repository",
                    r.from
                ),
            )
            .with_help("correct the path, or use a hub dataset id (org/name) for external data");
            if let Some(e) = r.evidence.first() {
                finding = finding.at(&e.path, e.span);
            }
            out.push(finding);
        }
    }
}
