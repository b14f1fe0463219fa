//! GDPR003: no erasure procedure or erasure log, or an erasure log that cannot be relied on.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::privacy::corpus_holds_pii;

pub struct ErasureRecordsMissing;

pub static META: RuleMeta = RuleMeta {
    code: "GDPR003",
    name: "erasure-procedure-missing",
    family: Family::Gdpr,
    default_severity: Severity::Warning,
    summary: "A corpus with personal data names no erasure procedure or erasure log, or its log is unusable.",
    security: false,
    doc: RuleDoc {
        what: "For each `[[corpus]]` holding personal data (declared or found): reports a missing \
               `erasure_procedure` or one naming a file that does not exist (subject \
               `corpus:<id>:procedure`), and a missing `erasure_log` or one that cannot be read (subject \
               `corpus:<id>:log`). For every erasure log the manifest names, whatever the corpus: reports \
               lines that are not valid requests (bad JSON, missing `request_id` or `received_at`, bad \
               dates), duplicate request ids, and subjects stored in clear instead of `hmac:<hex>` — by \
               line number, never quoting the line. With `--staged`, the procedure and the log are read as \
               the git index holds them: a log or procedure that is written but not staged is missing \
               from the commit being made. The log format is in `docs/erasure-log.md`. This is the \
               ERA-MISSING check plus the hygiene of the log itself.",
        why: "Data subjects have the right to erasure (GDPR Art. 17), to be answered within a month \
              (Art. 12(3)), and the controller must be able to show it did so (Art. 5(2)). Without a \
              procedure nobody knows what to do with a request; without a log nobody can show it was \
              done, and aibom cannot check deadlines (GDPR004), the weights (GDPR005) or leftovers \
              (GDPR006). A log that stores identifiers in clear is itself a store of personal data.",
        example: "```toml\n[[corpus]]\nid = \"support-chats\"\ncontains_pii = true\n\
                  erasure_log = \"privacy/erasure-log.jsonl\"\n```\n\n```\nwarning[GDPR003]: corpus \
                  support-chats holds personal data and names no erasure_procedure\nwarning[GDPR003]: \
                  privacy/erasure-log.jsonl: request E-3 (line 3) stores its subject in clear\n```",
        fix: "Write the procedure (who receives requests, how records are found and deleted, how models \
              are handled) and point `erasure_procedure` at it; keep the log as JSON Lines and point \
              `erasure_log` at it. Hash subjects with `aibom hash-subject` (key from the environment \
              variable `[privacy] hmac_key_env` names). Fix or remove malformed lines.",
    },
};

impl Rule for ErasureRecordsMissing {
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
            let procedure = match &decl.erasure_procedure {
                None => Some("names no erasure_procedure".to_owned()),
                Some(doc) if facts.documents.get(&doc.value) != Some(&true) => Some(format!(
                    "names erasure_procedure {}, which does not exist",
                    doc.value
                )),
                Some(_) => None,
            };
            let log = match &decl.erasure_log {
                None => Some("names no erasure_log".to_owned()),
                Some(log) => facts
                    .logs
                    .get(&log.value)
                    .and_then(|l| l.unreadable.as_ref())
                    .map(|why| format!("names erasure_log {}, but {why}", log.value)),
            };
            for (part, problem) in [("procedure", procedure), ("log", log)] {
                let Some(problem) = problem else { continue };
                out.push(
                    Finding::new(
                        &META,
                        None,
                        format!("corpus:{}:{part}", decl.id),
                        format!("corpus {} holds personal data and {problem}", decl.id),
                    )
                    .at(&manifest.file, Some(decl.span))
                    .with_help("see docs/erasure-log.md for the erasure log format"),
                );
            }
        }
        for log in facts.logs.values() {
            for problem in &log.problems {
                // Never a span: a snippet of the line could show a subject in clear.
                out.push(
                    Finding::new(
                        &META,
                        None,
                        format!("log:{}:{}", problem.kind, problem.key),
                        format!("{}: {}", log.path, problem.message),
                    )
                    .at(&log.path, None)
                    .with_help(if problem.kind == "subject-in-clear" {
                        "replace the subject with `hmac:<hex>` from `aibom hash-subject` (and purge the clear value from history)"
                    } else {
                        "each line must be one JSON object: request_id, received_at, completed_at, subject, scope, models_addressed"
                    }),
                );
            }
        }
    }
}
