//! LIC001: a model or dataset with no licence at all.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::inventory::{ComponentKind, file_name};
use crate::license::analysis::StatedAway;
use crate::license::document::Part;
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
               no source states a licence: no `LICENSE`/`NOTICE` file in their directory that binds them, no card \
               `license`, `license_name` or `license_link`, no GGUF `general.license`, no Croissant `license`, and \
               no parent (`base_model`, training data) whose licence they inherit. A card saying only \
               `license: other` counts as no licence. A `LICENSE` whose own text says it covers other parts only \
               (\"The source code in this repository is licensed under the MIT License. The model weights are \
               licensed under …\", \"This license applies to the code only\") does not bind weights or data; the \
               help then says so, and what the file names for them.",
        why: "Without a licence nobody may use, copy or ship the weights or data; with an unknown one nobody can \
              tell which obligations apply. Hub licence tags are missing for a large share of models and \
              datasets, and a GGUF copied from elsewhere usually carries none.",
        example: "`models/acme-q4.gguf` with no `general.license` key, no card and no `general.base_model`:\n\n\
                  ```\nwarning[LIC001]: quantization:models/acme-q4.gguf has no licence\n```",
        fix: "Ship the licence text next to the weights (`LICENSE`, or `WEIGHTS_LICENSE` when the `LICENSE` is \
              the code's), set `license:` in the card (for a custom licence, `license: other` with `license_name` \
              and `license_link`), or record the parent with `base_model`. For a corpus or dataset, ship \
              `DATA_LICENSE` (or a `LICENSE`) beside the data or set `license:` in its dataset card. Pin a \
              reviewed decision with `[[licenses.clarify]]`.",
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
            let help = match facts.stated_away.first() {
                Some(away) => stated_away_help(c.kind, away),
                None if matches!(c.kind, ComponentKind::Corpus | ComponentKind::Dataset) => {
                    DATA_HELP.to_owned()
                }
                None => "add a LICENSE file or a card `license:`, or record the parent model with \
                         `base_model`"
                    .to_owned(),
            };
            let mut f = Finding::new(
                &META,
                Some(&c.id),
                "licence",
                format!("{} has no licence", c.id),
            )
            .with_help(help);
            if let Some(path) = location(c) {
                f = f.at(&path, None);
            }
            out.push(f);
        }
    }
}

/// Data has no parent model to inherit from: its licence comes from a file beside it, a dataset
/// card, or a reviewed decision (`[[corpus]]` has no licence field).
const DATA_HELP: &str = "ship the data's licence beside it (`DATA_LICENSE`, or a `LICENSE` in its \
                         directory), set `license:` in a dataset card (README.md front matter \
                         beside the data, with a dataset key such as `pretty_name`), or pin a \
                         reviewed decision with `[[licenses.clarify]]` on the data file";

/// Help for a component whose directory's licence file says it covers other parts only: which,
/// what it names for this part, and what to add.
fn stated_away_help(kind: ComponentKind, away: &StatedAway) -> String {
    let part = Part::of(kind).map_or("this component", Part::as_str);
    let covers: Vec<&str> = away.covers.iter().map(|p| p.as_str()).collect();
    let named = away
        .elsewhere
        .as_ref()
        .map(|what| format!("; it says the {part} are under {what}"))
        .unwrap_or_default();
    let (licence, file) = match part {
        "weights" => ("the weights' licence", "WEIGHTS_LICENSE"),
        "data" => ("the data's licence", "DATA_LICENSE"),
        _ => ("its licence", "a licence file"),
    };
    format!(
        "the repository's {} covers only {} (\"{}\"){named}: ship {licence} beside them ({file}) \
         or declare it in the card's `license:`",
        file_name(&away.path),
        covers.join(" and "),
        away.quote,
    )
}
