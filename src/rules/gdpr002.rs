//! GDPR002: no retention limit, or a retention limit that has passed while the data remains.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::privacy::corpus_holds_pii;

pub struct RetentionGap;

pub static META: RuleMeta = RuleMeta {
    code: "GDPR002",
    name: "retention-missing-or-expired",
    family: Family::Gdpr,
    default_severity: Severity::Warning,
    summary: "A corpus with personal data has no `retention_until`, or it has passed and the files are still here.",
    security: false,
    doc: RuleDoc {
        what: "For each `[[corpus]]` holding personal data (declared or found): reports a missing \
               `retention_until` (subject `corpus:<id>:retention-missing`), and a `retention_until` before \
               the scan date while files its `path` covers are still in the repository (subject \
               `corpus:<id>:retention-expired`). The scan date is today in UTC, or the day of \
               `SOURCE_DATE_EPOCH`. These are the RET-MISSING and RET-EXPIRED checks.",
        why: "Storage limitation (GDPR Art. 5(1)(e)): personal data may be kept in identifiable form no \
              longer than necessary, and the record of processing must state the time limits for erasure \
              (Art. 30(1)(f)). The AI Act asks for the same for special-category data used to correct \
              bias (Art. 10(5)). A corpus past its date that is still in the repository is a breach in \
              plain sight.",
        example: "```toml\n[[corpus]]\nid = \"support-chats\"\npath = \"data/support/*.jsonl\"\n\
                  contains_pii = true\nretention_until = 2024-12-31\n```\n\n```\nwarning[GDPR002]: corpus \
                  support-chats passed its retention date 2024-12-31 and 2 files are still here (scan date 2025-06-01)\n```",
        fix: "Set `retention_until` to the date your retention schedule gives. When it has passed, delete \
              the files (and their history, if the repository is shared), or extend the date with a \
              documented reason.",
    },
};

impl Rule for RetentionGap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let manifest = &cx.policy.privacy;
        let facts = &cx.inventory.privacy;
        for decl in &manifest.corpora {
            if !corpus_holds_pii(facts, decl) {
                continue;
            }
            let files = facts.corpus_files.get(&decl.id).map_or(0, Vec::len);
            match (decl.retention_until, facts.today) {
                (None, _) => out.push(
                    Finding::new(
                        &META,
                        None,
                        format!("corpus:{}:retention-missing", decl.id),
                        format!(
                            "corpus {} holds personal data and has no retention_until",
                            decl.id
                        ),
                    )
                    .at(&manifest.file, Some(decl.span))
                    .with_help("add retention_until = YYYY-MM-DD from your retention schedule"),
                ),
                (Some(until), Some(today)) if until < today && files > 0 => {
                    let of = if files == 1 { "file is" } else { "files are" };
                    let files = format!("{files} {of}");
                    out.push(
                        Finding::new(
                            &META,
                            None,
                            format!("corpus:{}:retention-expired", decl.id),
                            format!(
                                "corpus {} passed its retention date {until} and {files} still here (scan date {today})",
                                decl.id
                            ),
                        )
                        .at(&manifest.file, Some(decl.span))
                        .with_help("delete the corpus files, or extend retention_until with a documented reason"),
                    )
                }
                _ => {}
            }
        }
    }
}
