//! LIC002: a licence the engine cannot resolve — an external parent nothing identifies, a
//! declared licence the database does not know, or a licence a notice names that it does not know.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::license::analysis::LicenseEvidence;
use crate::license::obligations::{local_components, location};

pub struct LicenseUnresolved;

pub static META: RuleMeta = RuleMeta {
    code: "LIC002",
    name: "license-unresolved",
    family: Family::Lic,
    default_severity: Severity::Warning,
    summary: "A parent's licence is unresolved, or a declared licence is not in the licence database.",
    security: false,
    doc: RuleDoc {
        what: "Reports (1) a model derived from, or trained on, an external model or dataset (`base_model: \
               acme/base`) whose licence cannot be identified from the reference, the local Hugging Face cache or \
               the Hub; (2) a licence declared in a card, GGUF header or Croissant file that is not a licence in \
               the database (an unknown `license_name`, a custom URL), or a `license_link` several licences share \
               (`https://falconllm.tii.ae`) when nothing else says which of them it is; (3) a licence file whose \
               text no record identifies, named by its title (else its first sentence, else its file name); \
               (4) each licence a licence notice names that is not in the database — a short licence file \
               that names licences rather than stating one (`License: Public Domain`, `GFDL License: \
               https://…`) — even when the other licences it names are known; (5) a licence notice \
               that names known licences and also states terms of its own (a sentence such as `The data may \
               not be used commercially.`), at its first such line: the terms bind beside the licences named.",
        why: "A derivative is bound by every parent's licence. If a parent's licence is unknown, the \
              derivative's obligations are unknown too — \"unresolved\" is a finding, never silence.",
        example: "`models/acme-chat/README.md` with `base_model: acme/secret-base`, and `data/acme-qa/LICENSE` \
                  with the line `License: Public Domain`:\n\n```\nwarning[LIC002]: the licence of \
                  model:hub/acme/secret-base, a parent of model:models/acme-chat, is unresolved\nwarning[LIC002]: \
                  dataset:data/acme-qa: the licence notice data/acme-qa/LICENSE names `Public Domain`, which is not \
                  in the licence database\n```",
        fix: "Vendor the parent's licence file or card next to the derivative, record its licence with \
              `[[licenses.clarify]]`, add a record for a custom licence with `--license-db`, or resolve \
              parents with `--hf-cache`.",
    },
};

impl Rule for LicenseUnresolved {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (c, facts) in local_components(cx.inventory) {
            let at = location(c);
            for parent in &facts.unresolved_parents {
                let mut f = Finding::new(
                    &META,
                    Some(&c.id),
                    format!("parent:{parent}"),
                    format!(
                        "the licence of {parent}, a parent of {}, is unresolved",
                        c.id
                    ),
                )
                .with_help(
                    "vendor the parent's licence or card, or pin it with [[licenses.clarify]]",
                );
                if let Some(path) = &at {
                    f = f.at(path, None);
                }
                out.push(f);
            }
            // An unknown value beside a known licence is noise; a shared link that nothing
            // settles is not (it may point at other terms than the licence concluded).
            let unsettled =
                |e: &&LicenseEvidence| facts.own.is_empty() || !e.shared_link.is_empty();
            for e in facts
                .evidence
                .iter()
                .filter(|e| e.licenses.is_empty() && e.unresolved.is_empty())
                .filter(unsettled)
            {
                let (message, help) = if e.shared_link.is_empty() {
                    (
                        format!(
                            "{} declares the licence `{}` ({}), which is not in the licence database",
                            c.id, e.value, e.source
                        ),
                        "use a known id (`aibom licenses`), or add a record with --license-db",
                    )
                } else {
                    (
                        format!(
                            "{} declares the licence `{}` ({}), a link {} share, and nothing else says which",
                            c.id,
                            e.value,
                            e.source,
                            e.shared_link.join(", ")
                        ),
                        "name the licence too (`license_name`), or keep its text next to the component",
                    )
                };
                let mut f =
                    Finding::new(&META, Some(&c.id), format!("declared:{}", e.value), message)
                        .with_help(help);
                if let Some(path) = e.path.as_ref().or(at.as_ref()) {
                    f = f.at(path, e.span);
                }
                out.push(f);
            }
            // What a notice names binds the component with the licences known beside it: each
            // unknown one is reported, whatever else is concluded.
            for e in &facts.evidence {
                let file = e.path.as_deref().unwrap_or_default();
                for name in &e.unresolved {
                    let mut f = Finding::new(
                        &META,
                        Some(&c.id),
                        format!("named:{file}:{name}"),
                        format!(
                            "{}: the {} {file} names `{name}`, which is not in the licence database",
                            c.id, e.source
                        ),
                    )
                    .with_help(
                        "add a record for it with --license-db, or record the component's licence with [[licenses.clarify]]",
                    );
                    if let Some(path) = e.path.as_ref().or(at.as_ref()) {
                        f = f.at(path, e.span);
                    }
                    out.push(f);
                }
                // A notice that names licences and adds terms of its own binds by more than
                // the licences it names.
                if let Some(line) = e.adds_terms {
                    let mut f = Finding::new(
                        &META,
                        Some(&c.id),
                        format!("terms:{file}"),
                        format!(
                            "{}: the {} {file} names {} but states terms of its own from line {}, which no \
                             licence record covers",
                            c.id,
                            e.source,
                            e.licenses.join(" AND "),
                            line.line
                        ),
                    )
                    .with_help(
                        "review the terms; add a record for the notice with --license-db, or record the component's licence with [[licenses.clarify]]",
                    );
                    if let Some(path) = e.path.as_ref().or(at.as_ref()) {
                        f = f.at(path, Some(line));
                    }
                    out.push(f);
                }
            }
        }
    }
}
