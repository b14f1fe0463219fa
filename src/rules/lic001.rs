//! LIC001: a model or dataset with no licence at all.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::license::obligations::{local_components, location};

pub struct NoLicenseFound;

pub static META: RuleMeta = RuleMeta {
    code: "LIC001",
    name: "no-license-found",
    family: Family::Lic,
    default_severity: Severity::Warning,
    summary: "A model or dataset has no licence: no licence file, card field, GGUF key or parent to inherit one from.",
    security: false,
    doc: RuleDoc {
        what: "Reports models, adapters, quantizations, merges, datasets and corpora in the repository for which \
               no source states a licence: no `LICENSE`/`NOTICE` file in their directory, no card `license`, \
               `license_name` or `license_link`, no GGUF `general.license`, no Croissant `license`, and no parent \
               (`base_model`, training data) whose licence they inherit. A card saying only `license: other` \
               counts as no licence.",
        why: "Without a licence nobody may use, copy or ship the weights or data; with an unknown one nobody can \
              tell which obligations apply. Hub licence tags are missing for a large share of models and \
              datasets, and a GGUF copied from elsewhere usually carries none.",
        example: "`models/acme-q4.gguf` with no `general.license` key, no card and no `general.base_model`:\n\n\
                  ```\nwarning[LIC001]: quantization:models/acme-q4.gguf has no licence\n```",
        fix: "Ship the licence text next to the weights (`LICENSE`), set `license:` in the card (for a custom \
              licence, `license: other` with `license_name` and `license_link`), or record the parent with \
              `base_model`. Pin a reviewed decision with `[[licenses.clarify]]`.",
    },
};

impl Rule for NoLicenseFound {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (c, facts) in local_components(cx.inventory) {
            if facts.has_evidence()
                || !facts.bound.is_empty()
                || !facts.unresolved_parents.is_empty()
            {
                continue;
            }
            let mut f = Finding::new(
                &META,
                Some(&c.id),
                "licence",
                format!("{} has no licence", c.id),
            )
            .with_help("add a LICENSE file or a card `license:`, or record the parent model with `base_model`");
            if let Some(path) = location(c) {
                f = f.at(&path, None);
            }
            out.push(f);
        }
    }
}
