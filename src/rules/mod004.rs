//! MOD004: a model that needs remote code (`auto_map`).

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::artifact::parsed::Artifact;
use crate::finding::{Finding, Severity};

pub struct RemoteCodeRequired;

pub static META: RuleMeta = RuleMeta {
    code: "MOD004",
    name: "remote-code-required",
    family: Family::Mod,
    default_severity: Severity::Warning,
    summary: "A config's `auto_map` makes loaders import Python code shipped with the model.",
    security: true,
    doc: RuleDoc {
        what: "Reports `config.json` and `tokenizer_config.json` files with an `auto_map`: the model (or its \
               tokenizer) can only be loaded with `trust_remote_code=True`, which imports the Python modules \
               it names — from the model directory or from another hub repository (`org/repo--module.Class`).",
        why: "`trust_remote_code=True` runs arbitrary code from the model's repository at load time, with the \
              loader's privileges, and that code can change with every revision unless pinned. It must be \
              reviewed like any other dependency.",
        example: "`models/acme/config.json`:\n\n```json\n\"auto_map\": {\"AutoModelForCausalLM\": \
                  \"modeling_acme.AcmeForCausalLM\"}\n```\n\n```\nwarning[MOD004]: models/acme/config.json \
                  requires remote code: modeling_acme.AcmeForCausalLM\n```",
        fix: "Use an architecture supported natively by the library, or review the referenced modules, vendor \
              them into the repository, and pin the revision. Record the review with an `[[exception]]` and a \
              reason.",
    },
};

impl Rule for RemoteCodeRequired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for file in &cx.inventory.files {
            let (auto_map, span) = match &file.artifact {
                Ok(Artifact::ModelConfig(cfg)) => (&cfg.auto_map, cfg.auto_map_span),
                Ok(Artifact::TokenizerConfig(cfg)) => (&cfg.auto_map, cfg.auto_map_span),
                _ => continue,
            };
            if auto_map.is_empty() {
                continue;
            }
            let mut classes: Vec<&str> = auto_map.values().map(String::as_str).collect();
            classes.sort();
            classes.dedup();
            out.push(
                Finding::new(
                    &META,
                    file.component.as_deref(),
                    format!(
                        "auto_map:{}",
                        file.path.rsplit('/').next().unwrap_or(&file.path)
                    ),
                    format!("{} requires remote code: {}", file.path, classes.join(", ")),
                )
                .at(&file.path, span)
                .with_help("review and vendor the modules `auto_map` names, and pin the revision"),
            );
        }
    }
}
