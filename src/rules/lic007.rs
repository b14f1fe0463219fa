//! LIC007: a derivative published under a name without the prefix its base's licence requires.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::license::obligations::{
    clause, derivation_kinds, describe, has_prefix, local_components, location, naming_applies,
};

pub struct DerivativeNamePrefix;

pub static META: RuleMeta = RuleMeta {
    code: "LIC007",
    name: "derivative-name-prefix",
    family: Family::Lic,
    default_severity: Severity::Warning,
    summary: "A derivative's published name lacks the prefix its licence requires (\"Llama\" for Llama 3.1+ derivatives).",
    security: false,
    doc: RuleDoc {
        what: "For a fine-tune, adapter, merge (or another derivative kind the licence names) bound by a licence \
               with a naming rule, checks every name it is published under — `[project] published_names`, the \
               card's `model_name` or `model-index` name, GGUF `general.name` — begins with the required \
               prefix (compared case- and punctuation-insensitively).",
        why: "Llama 3 requires derivative names to begin with \"Llama 3\", Llama 3.1 and later with \"Llama\"; \
              the trademark licence covers only that use. A name without it breaches the licence.",
        example: "A Llama 3.1 fine-tune published as `acme-chat-8b`:\n\n```\nwarning[LIC007]: \
                  model:models/acme-chat is published as \"acme-chat-8b\", which does not begin with \"Llama\" \
                  (llama-3.1 through model:hub/meta-llama/Llama-3.1-8B [§1.b.i, §5.a])\n```",
        fix: "Rename the model (`Llama-3.1-acme-chat-8b`). If the model is not distributed or made available, \
              accept the finding with an `[[exception]]` and a reason.",
    },
};

impl Rule for DerivativeNamePrefix {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (c, facts) in local_components(cx.inventory) {
            let kinds = derivation_kinds(cx.inventory, &c.id);
            if kinds.is_empty() {
                continue;
            }
            for b in &facts.bound {
                let Some(naming) = &b.record.naming else {
                    continue;
                };
                if naming.derivative_prefix.is_empty()
                    || !kinds.iter().any(|k| naming_applies(&naming.applies_to, k))
                {
                    continue;
                }
                for (name, source) in &facts.names {
                    if has_prefix(name, &naming.derivative_prefix) {
                        continue;
                    }
                    let mut f = Finding::new(
                        &META,
                        Some(&c.id),
                        format!("name:{}:{name}", b.record.id),
                        format!(
                            "{} is published as \"{name}\" ({source}), which does not begin with \"{}\" ({}{})",
                            c.id,
                            naming.derivative_prefix,
                            describe(b),
                            clause(&naming.clause)
                        ),
                    )
                    .with_help(format!(
                        "rename it to begin with \"{}\", e.g. \"{}-{name}\"",
                        naming.derivative_prefix, naming.derivative_prefix
                    ));
                    if let Some(path) = location(c) {
                        f = f.at(&path, None);
                    }
                    out.push(f);
                }
            }
        }
    }
}
