//! GDPR007: a dataset card says nothing about the personal data its files hold.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::artifact::card::PiiSection;
use crate::artifact::parsed::Artifact;
use crate::finding::{Finding, Severity};
use crate::privacy::found_types;

pub struct CardPiiSectionMissing;

pub static META: RuleMeta = RuleMeta {
    code: "GDPR007",
    name: "card-pii-section-missing",
    family: Family::Gdpr,
    default_severity: Severity::Warning,
    summary: "A dataset card's \"Personal and Sensitive Information\" section is missing or a placeholder while the scan finds personal data.",
    security: false,
    doc: RuleDoc {
        what: "For each dataset (a directory with a dataset card) whose files hold personal data found by \
               the scan (documentation values aside): reports its card when it has no \"Personal and \
               Sensitive Information\" section, or when the section is empty or the template placeholder \
               (`[More Information Needed]`, `TODO`, `N/A` …). A Croissant `rai:personalSensitiveInformation` \
               in the same dataset counts as the disclosure. This is the CARD-PLACEHOLDER check.",
        why: "The dataset card is what users of the data read. The Hugging Face template asks whether the \
              dataset holds personal or sensitive information; leaving the placeholder while it does \
              misleads everyone downstream, and the AI Act's technical documentation (Annex IV 2(d)) and \
              Art. 10(2)(b) expect the origin and nature of personal data to be described.",
        example: "`data/support/README.md` with `## Personal and Sensitive Information` followed by \
                  `[More Information Needed]`, and emails in `train.jsonl`:\n\n```\nwarning[GDPR007]: \
                  data/support/README.md leaves \"Personal and Sensitive Information\" as a placeholder, but \
                  dataset:data/support holds email\n```",
        fix: "Fill in the section: which kinds of personal data the files hold, whose, why they are kept, \
              how they were minimised or pseudonymised, and whom to contact for erasure.",
    },
};

impl Rule for CardPiiSectionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let inv = cx.inventory;
        for c in inv.components.values() {
            if !c.kind.is_data() || c.external {
                continue;
            }
            let types: Vec<&str> = found_types(&inv.privacy, &c.id)
                .into_iter()
                .filter(|(_, (count, _))| *count > 0)
                .map(|(kind, _)| kind.as_str())
                .collect();
            if types.is_empty() || c.properties.contains_key("personal_sensitive_information") {
                continue;
            }
            let Some(card_path) = c.properties.get("card").and_then(|v| v.as_str()) else {
                continue;
            };
            let Some(Ok(Artifact::Card(card))) = inv.file(card_path).map(|f| &f.artifact) else {
                continue;
            };
            let (state, span) = match &card.pii_section {
                PiiSection::Present { .. } => continue,
                PiiSection::Missing => (
                    "has no \"Personal and Sensitive Information\" section",
                    None,
                ),
                PiiSection::Placeholder { span } => (
                    "leaves \"Personal and Sensitive Information\" as a placeholder",
                    Some(*span),
                ),
            };
            out.push(
                Finding::new(
                    &META,
                    Some(&c.id),
                    "card:pii-section",
                    format!("{card_path} {state}, but {} holds {}", c.id, types.join(", ")),
                )
                .at(card_path, span)
                .with_help("describe the personal data under \"## Personal and Sensitive Information\" in the card"),
            );
        }
    }
}
