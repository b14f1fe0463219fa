//! PII001: personal data found in a corpus.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::pii::PiiType;
use crate::privacy::{found_types, type_summary, values};

pub struct PiiInCorpus;

pub static META: RuleMeta = RuleMeta {
    code: "PII001",
    name: "pii-in-corpus",
    family: Family::Pii,
    default_severity: Severity::Warning,
    summary: "A corpus or dataset holds personal data (emails, phone numbers, card numbers, IBANs …).",
    security: false,
    doc: RuleDoc {
        what: "Reports each type of personal data the PII engine finds in a corpus or dataset's files \
               (JSONL, JSON, CSV/TSV, text, Parquet string columns): email, phone, payment card, IBAN, IP \
               address, US SSN, UK National Insurance and NHS numbers, German tax id, and keyword-gated \
               dates of birth, postcodes and passport numbers. One finding per component and type, with \
               the count, the first lines where it occurs and redacted samples (`j***@e***.com`) — never a \
               value in clear. Documentation values (`example.com`, `555-01xx`, `4111 1111 1111 1111`, \
               RFC 5737 addresses, placeholders such as `example@gmail.com`, `0123456789` or \
               `123.45.67.89`, and values after a word that introduces an example: `for example`, \
               `e.g.`, `such as` …) are counted apart. Service numbers (freephone, shared-cost and \
               premium-rate: `1-800`, `0800`, `0900`, the UK's `03`) belong to organisations and are not \
               reported. Where a number alone is ambiguous, its context \
               decides: a JSON key or CSV/TSV column name counts as a hotword (a column `zip`, `ssn` or \
               `card_number` over bare numbers), a run of 13–19 digits without the groups of a card \
               (`4556 7375 8689 9855`) is a card only under a card word (`card`, `visa`, `cc` …), wherever \
               it stands (one id, timestamp or sum in ten passes the Luhn check by chance), a number after \
               `+` is a phone only when its national part has a length its country code uses and the `+` \
               is no operator (`381920475 +447911123456`, or a column sum with the `+` at a line's start), \
               a number without `+` is a \
               phone only when grouped as phone numbers are written (`212-867-5309`, `020 7946 0018`, \
               not a row of small numbers such as `7 34 46 10 15 4`), and a dotted number whose \
               four parts are all under 20 is a clause number unless an address word stands before it. \
               A type found only as documentation values is \
               reported as a note whatever the configured severity (subject `synthetic:<type>`). A file the \
               engine could not read, or scanned only in part because of a resource limit, is a note too \
               (subject `not-scanned:<path>`): its personal data may be missing from the counts.",
        why: "A fine-tuning corpus with personal data makes the corpus, and every model trained on it, \
              subject to the GDPR: it needs a legal basis, a retention limit and a way to honour erasure \
              requests (GDPR001–GDPR006), and the weights inherit the problem (PII003). Knowing what is in \
              the data is the first step; declared metadata is wrong more often than not.",
        example: "`data/support/train.jsonl` with customer emails:\n\n```\nwarning[PII001]: \
                  corpus:data/support/train.jsonl holds 12 email values in 1 file (first at \
                  data/support/train.jsonl:3, :7; e.g. j***@e***.com)\n```",
        fix: "Remove or pseudonymise the values if the corpus does not need them. If it does, declare the \
              corpus in `aibom.toml` (`[[corpus]]` with `contains_pii = true`, `pii_types`, `legal_basis`, \
              `retention_until`, `erasure_procedure`, `erasure_log`) and accept the finding with an \
              `[[exception]]` whose reason names the record of processing.",
    },
};

impl Rule for PiiInCorpus {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let facts = &cx.inventory.privacy;
        for c in cx.inventory.components.values() {
            if !c.kind.is_data() || c.external {
                continue;
            }
            for (kind, (count, synthetic)) in found_types(facts, &c.id) {
                let s = type_summary(facts, &c.id, kind);
                let Some(first_file) = s.files.first() else {
                    continue;
                };
                let files = if s.files.len() == 1 { "file" } else { "files" };
                let lines: Vec<String> = s
                    .first
                    .iter()
                    .enumerate()
                    .map(|(i, (file, line))| {
                        if i == 0 || s.first[i - 1].0 != *file {
                            format!("{file}:{line}")
                        } else {
                            format!(":{line}")
                        }
                    })
                    .collect();
                let mut message = if count > 0 {
                    format!(
                        "{} holds {} in {} {files}",
                        c.id,
                        values(count, kind),
                        s.files.len()
                    )
                } else {
                    let s_ = if synthetic == 1 { "" } else { "s" };
                    format!(
                        "{} holds {synthetic} {} documentation value{s_} ({}) and no real ones, in {} {files}",
                        c.id,
                        kind.as_str(),
                        documentation_values(kind),
                        s.files.len()
                    )
                };
                if !lines.is_empty() {
                    message.push_str(&format!(" (first at {}", lines.join(", ")));
                    if !s.samples.is_empty() && count > 0 {
                        message.push_str(&format!("; e.g. {}", s.samples.join(", ")));
                    }
                    message.push(')');
                }
                if count > 0 && synthetic > 0 {
                    let s = if synthetic == 1 { "" } else { "s" };
                    message.push_str(&format!(", plus {synthetic} documentation value{s}"));
                }
                let finding = if count > 0 {
                    Finding::new(&META, Some(&c.id), kind.as_str(), message)
                        .with_help("declare the corpus in aibom.toml ([[corpus]] contains_pii, pii_types, legal_basis) or remove the values")
                } else {
                    Finding::new(&META, Some(&c.id), format!("synthetic:{}", kind.as_str()), message)
                        .with_help("documentation values only; nothing to do unless real values are expected here")
                        .at_most(Severity::Note)
                };
                // Never a span: a snippet of a data file would print the value.
                out.push(finding.at(first_file, None));
            }
        }
        for (path, scan) in &facts.scans {
            let why = match &scan.report {
                Err(e) => format!("could not be scanned for personal data: {e}"),
                Ok(report) => match &report.limit {
                    Some(limit) => format!("was only partly scanned for personal data: {limit}"),
                    None => continue,
                },
            };
            out.push(
                Finding::new(
                    &META,
                    scan.component.as_deref(),
                    format!("not-scanned:{path}"),
                    format!("{path} {why}"),
                )
                .at(path, None)
                .with_help("personal data in this file may go unreported; check it by hand")
                .at_most(Severity::Note),
            );
        }
    }
}

/// What the documentation values of `kind` are, for a finding that found only those.
fn documentation_values(kind: PiiType) -> &'static str {
    match kind {
        PiiType::Email => {
            "example.com, .test and other reserved domains, placeholder mailboxes, addresses given as examples"
        }
        PiiType::Phone => {
            "555-01xx and the other ranges reserved for drama, placeholders, numbers given as examples"
        }
        PiiType::PaymentCard => "card numbers published for testing, numbers given as examples",
        PiiType::Iban => {
            "IBANs printed in standards and bank documentation, IBANs given as examples"
        }
        PiiType::IpAddress => "the RFC 5737 documentation blocks, made-up addresses, examples",
        _ => "values given as examples",
    }
}
