//! MOD005: a chat template that reaches for Python internals.

use std::sync::LazyLock;

use crate::pattern::Pattern;

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::artifact::parsed::Artifact;
use crate::artifact::text::TextSpan;
use crate::finding::{Finding, Severity};

pub struct ChatTemplateInternals;

pub static META: RuleMeta = RuleMeta {
    code: "MOD005",
    name: "chat-template-python-internals",
    family: Family::Mod,
    default_severity: Severity::Error,
    summary: "A chat template (GGUF or tokenizer) reaches for Python internals: template injection.",
    security: true,
    doc: RuleDoc {
        what: "Scans every chat template — `tokenizer.chat_template` in GGUF metadata, `chat_template` in \
               `tokenizer_config.json` and `chat_template.json`, `chat_template.jinja` files — for constructs a \
               chat template never needs: dunder attributes (`__class__`, `__globals__`, `__subclasses__`, \
               `__builtins__`, `__mro__`, `__init__`), `__import__`, `os.`, `popen`, `subprocess`, `eval(`/`exec(`.",
        why: "Runtimes render chat templates with Jinja when the model is loaded or served; a template that \
              walks from a string to `__globals__` escapes the sandbox-less renderer and runs code \
              (CVE-2024-34359 in llama-cpp-python via a GGUF chat template).",
        example: "A GGUF whose `tokenizer.chat_template` contains \
                  `{{ cycler.__init__.__globals__.os.popen('id').read() }}`:\n\n```\nerror[MOD005]: \
                  model.gguf chat template `default` reaches for Python internals: `__globals__`\n```",
        fix: "Replace the template with the publisher's original, or remove it and set a reviewed template in \
              your serving configuration. Never serve the model with the injected template.",
    },
};

static INTERNALS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"__[A-Za-z_]+__|\bos\s*\.|\bpopen\b|\bsubprocess\b|\beval\s*\(|\bexec\s*\(")
        .expect("valid regex")
});

/// The first suspicious construct in a template, with its byte offset.
pub fn first_internal(template: &str) -> Option<(usize, &str)> {
    INTERNALS.find(template).map(|m| (m.start(), m.as_str()))
}

impl Rule for ChatTemplateInternals {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for file in &cx.inventory.files {
            let templates: Vec<(String, String, Option<TextSpan>, bool)> = match &file.artifact {
                Ok(Artifact::TokenizerConfig(cfg)) => cfg
                    .chat_templates
                    .iter()
                    .map(|t| (t.name.clone(), t.template.clone(), t.span, false))
                    .collect(),
                Ok(Artifact::ChatTemplate(cfg)) => cfg
                    .chat_templates
                    .iter()
                    .map(|t| {
                        (
                            t.name.clone(),
                            t.template.clone(),
                            t.span,
                            file.kind == crate::detect::ArtifactKind::ChatTemplate,
                        )
                    })
                    .collect(),
                Ok(Artifact::Gguf(meta)) => meta
                    .chat_templates()
                    .into_iter()
                    .map(|(k, t)| (k, t, None, false))
                    .collect(),
                _ => continue,
            };
            for (name, template, span, raw_file) in templates {
                let Some((offset, construct)) = first_internal(&template) else {
                    continue;
                };
                // In a raw .jinja file the match offset is a file offset; point at it.
                let span = if raw_file {
                    Some(TextSpan::at(&template, offset, construct.len()))
                } else {
                    span
                };
                out.push(
                    Finding::new(
                        &META,
                        file.component.as_deref(),
                        format!("template:{name}"),
                        format!(
                            "{} chat template `{name}` reaches for Python internals: `{}`",
                            file.path,
                            construct.trim()
                        ),
                    )
                    .at(&file.path, span)
                    .with_help(
                        "replace the template with a reviewed one; never serve the model with it",
                    ),
                );
            }
        }
    }
}
