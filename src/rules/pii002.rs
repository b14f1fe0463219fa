//! PII002: personal data that the privacy manifest does not declare.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::privacy::{found_types, type_summary, values};

pub struct PiiUndeclared;

pub static META: RuleMeta = RuleMeta {
    code: "PII002",
    name: "pii-undeclared",
    family: Family::Pii,
    default_severity: Severity::Warning,
    summary: "Personal data found in a file no `[[corpus]]` covers, or that its `[[corpus]]` does not declare.",
    security: false,
    doc: RuleDoc {
        what: "For each type of personal data the scan finds (documentation values aside), checks the \
               privacy manifest in `aibom.toml`: every file holding it must be covered by a `[[corpus]]` \
               `path`, and that corpus must say `contains_pii = true` and list the type in `pii_types`. \
               Reports files no corpus covers, corpora with `contains_pii = false` or no `contains_pii`, \
               and types missing from `pii_types`. One finding per component and type.",
        why: "The manifest is what legal bases, retention limits and erasure procedures hang on \
              (GDPR Art. 5(2) accountability, Art. 30 records of processing). Data the manifest does not \
              know about has none of them; a corpus declared free of personal data that holds some is \
              the worst case, because nobody will look.",
        example: "```toml\n[[corpus]]\nid = \"support-chats\"\npath = \"data/support/*.jsonl\"\n\
                  contains_pii = true\npii_types = [\"email\"]\n```\n\nwith phone numbers in the files:\n\n\
                  ```\nwarning[PII002]: dataset:data/support holds 4 phone values that [[corpus]] \
                  support-chats does not list in pii_types\n```",
        fix: "Add or correct the `[[corpus]]` entry (`contains_pii = true`, every type found in \
              `pii_types`), or remove the values from the data. Type names: email, phone, payment_card, \
              iban, ip_address, us_ssn, uk_nino, uk_nhs, de_tax_id, date_of_birth, postcode, passport.",
    },
};

impl Rule for PiiUndeclared {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let facts = &cx.inventory.privacy;
        let manifest = &cx.policy.privacy;
        for c in cx.inventory.components.values() {
            if !c.kind.is_data() || c.external {
                continue;
            }
            for (kind, (count, _)) in found_types(facts, &c.id) {
                if count == 0 {
                    continue;
                }
                let s = type_summary(facts, &c.id, kind);
                let holding: Vec<&String> = s
                    .files
                    .iter()
                    .filter(|f| {
                        facts
                            .scans
                            .get(*f)
                            .and_then(|scan| scan.report.as_ref().ok())
                            .is_some_and(|r| r.by_type.get(&kind).is_some_and(|t| t.count > 0))
                    })
                    .collect();
                let uncovered: Vec<&str> = holding
                    .iter()
                    .filter(|f| manifest.corpora_covering(f).next().is_none())
                    .map(|f| f.as_str())
                    .collect();
                let what = values(count, kind);
                if let Some(first) = uncovered.first() {
                    let listed = if uncovered.len() > 3 {
                        format!(
                            "{} and {} more",
                            uncovered[..3].join(", "),
                            uncovered.len() - 3
                        )
                    } else {
                        uncovered.join(", ")
                    };
                    out.push(
                        Finding::new(
                            &META,
                            Some(&c.id),
                            kind.as_str(),
                            format!("{} holds {what} in files no [[corpus]] in aibom.toml covers: {listed}", c.id),
                        )
                        .at(first, None)
                        .with_help("add a [[corpus]] whose path covers these files, with contains_pii = true and pii_types"),
                    );
                    continue;
                }
                let covering: Vec<&crate::privacy::manifest::CorpusDecl> = holding
                    .iter()
                    .flat_map(|f| manifest.corpora_covering(f))
                    .collect();
                let Some(decl) = covering
                    .iter()
                    .find(|d| d.contains_pii != Some(true))
                    .or_else(|| covering.iter().find(|d| !d.pii_types.contains(&kind)))
                else {
                    continue;
                };
                let problem = match decl.contains_pii {
                    Some(false) => format!("[[corpus]] {} declares contains_pii = false", decl.id),
                    None => format!("[[corpus]] {} does not declare contains_pii", decl.id),
                    Some(true) => format!("[[corpus]] {} does not list in pii_types", decl.id),
                };
                out.push(
                    Finding::new(
                        &META,
                        Some(&c.id),
                        kind.as_str(),
                        format!("{} holds {what} that {problem}", c.id),
                    )
                    .at(&manifest.file, Some(decl.span))
                    .with_help(format!(
                        "set contains_pii = true and add \"{}\" to pii_types",
                        kind.as_str()
                    )),
                );
            }
        }
    }
}
