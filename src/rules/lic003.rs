//! LIC003: sources disagree about a component's licence, or its licence text has been edited.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::license::analysis::LicenseEvidence;
use crate::license::obligations::{local_components, location};

pub struct LicenseEvidenceConflict;

pub static META: RuleMeta = RuleMeta {
    code: "LIC003",
    name: "license-evidence-conflict",
    family: Family::Lic,
    default_severity: Severity::Warning,
    summary: "Licence sources disagree (file, card, GGUF), or a licence file is an edited copy of a known licence.",
    security: false,
    doc: RuleDoc {
        what: "Reports a component whose licence sources name different licences — a `LICENSE` file with the \
               Llama 3.1 text next to a card saying `license: apache-2.0`, a GGUF `general.license` that \
               contradicts the card — and licence files that match a known licence's fingerprint but are not its \
               canonical text (a clause added or removed), with the word-count difference. Case, punctuation, line \
               breaks, list markers that start a list item (`1.`, `(a)`, `iv.`, `*`), `https://` for `http://` and a \
               template's copyright line filled in are not edits. A licence file named for one part of a repository \
               binds only that part — `DATA_LICENSE` the datasets and corpora beside it, `WEIGHTS_LICENSE` or \
               `MODEL_LICENSE` the models, adapters, quantizations and merges, `CODE_LICENSE` the code — and a plain \
               `LICENSE` binds what no such file covers, so an Apache-2.0 `LICENSE` for the code beside a CC-BY-NC \
               `DATA_LICENSE` is not a conflict.",
        why: "Hub licence tags are wrong about half the time, usually more permissive than the real terms. An \
              edited licence text is a different contract: treating it as the original would hide the change.",
        example: "```\nwarning[LIC003]: model:models/acme: card license says apache-2.0 but licence file says \
                  llama-3.1\nwarning[LIC003]: models/acme/LICENSE matches llama-3.1 but is not its canonical text \
                  (+14 words)\n```",
        fix: "Make the sources agree (the licence text decides), or review the edited text and record the \
              decision with `[[licenses.clarify]]` (pinned to the file's SHA-256).",
    },
};

impl Rule for LicenseEvidenceConflict {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (c, facts) in local_components(cx.inventory) {
            for (a, b) in &facts.conflicts {
                // Two sources of one kind (two licence files) are told apart by their paths.
                let named = |e: &LicenseEvidence| match &e.path {
                    Some(path) if a.source == b.source || is_notice(e) => {
                        format!("{} {path}", e.source)
                    }
                    _ => e.source.clone(),
                };
                // The licences a notice names all apply; the others are alternatives.
                let says = |e: &LicenseEvidence| {
                    e.licenses.join(if is_notice(e) { " AND " } else { " OR " })
                };
                let mut f = Finding::new(
                    &META,
                    Some(&c.id),
                    format!("conflict:{}:{}", a.licenses.join("+"), b.licenses.join("+")),
                    format!(
                        "{}: {} says {} but {} says {}",
                        c.id,
                        named(a),
                        says(a),
                        named(b),
                        says(b)
                    ),
                )
                .with_help(match (&a.path, a.source == b.source) {
                    // Neither outranks the other: the first by path decides, for now.
                    (Some(path), true) => format!(
                        "neither source outranks the other, so {path}'s licence is used for now; \
                         make them agree, or pin the decision with [[licenses.clarify]]"
                    ),
                    _ => format!(
                        "the stronger source ({}) is used; make the sources agree",
                        a.source
                    ),
                });
                if let Some(path) = b
                    .path
                    .as_ref()
                    .or(a.path.as_ref())
                    .cloned()
                    .or_else(|| location(c))
                {
                    f = f.at(&path, b.span);
                }
                out.push(f);
            }
            for m in &facts.modified_texts {
                let diff = m
                    .word_difference
                    .map(|d| format!(" ({d:+} words)"))
                    .unwrap_or_default();
                out.push(
                    Finding::new(
                        &META,
                        Some(&c.id),
                        format!("modified:{}", m.path),
                        format!(
                            "{} matches the {} licence but is not its canonical text{diff}: it has been edited",
                            m.path, m.license
                        ),
                    )
                    .at(&m.path, None)
                    .with_help("review the changes; pin the decision with [[licenses.clarify]] and the file's SHA-256"),
                );
            }
        }
    }
}

/// Evidence from a licence notice (`license::notice`), read in the tree or a Hugging Face cache.
fn is_notice(e: &LicenseEvidence) -> bool {
    e.source.ends_with("licence notice")
}
