//! BOM002: weights with no model card and no other provenance.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::artifact::parsed::Artifact;
use crate::finding::{Finding, Severity};
use crate::inventory::{RelationKind, parent};

pub struct WeightsWithoutProvenance;

pub static META: RuleMeta = RuleMeta {
    code: "BOM002",
    name: "weights-without-provenance",
    family: Family::Bom,
    default_severity: Severity::Warning,
    summary: "Weights have no model card and nothing else that says where they came from.",
    security: false,
    doc: RuleDoc {
        what: "Reports a model, adapter, quantization or merge whose weights sit in the repository with no \
               model card (`README.md` with front matter) and no other provenance: no `config.json` naming \
               its origin (`_name_or_path`), no `adapter_config.json`, no base model or name in GGUF metadata, \
               no `modelspec.*` or training keys in safetensors metadata, no training config producing it, and \
               no declared licence, and no hub repository id (a Hugging Face cache entry names its source).",
        why: "Weights without provenance cannot be licensed, audited or reproduced: nobody can say which \
              licence binds them, what they were trained on, or whether they are the file that was reviewed. \
              They are the first thing an auditor asks about and the last thing anyone remembers.",
        example: "`models/vision/model.onnx` with nothing else in its directory:\n\n```\nwarning[BOM002]: \
                  model:models/vision/model.onnx has no model card or provenance\n```",
        fix: "Add a model card next to the weights with at least `license`, `base_model` (if any) and \
              `datasets`, or record the model in `aibom.toml` under `[[model]]`. To accept the finding for a \
              vendored file, add an `[[exception]]` with a reason.",
    },
};

impl Rule for WeightsWithoutProvenance {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let inv = cx.inventory;
        for c in inv.components.values() {
            if !c.kind.is_model_like() || c.external || c.files.is_empty() {
                continue;
            }
            let has_relation = inv
                .relations_from(&c.id)
                .any(|r| matches!(r.kind, RelationKind::DerivedFrom | RelationKind::TrainedOn));
            if has_relation
                || c.hub_id.is_some()
                || !c.declared_licenses.is_empty()
                || c.properties.contains_key("card")
            {
                continue;
            }
            let dir = if c.files.len() == 1 && c.path.as_deref() == Some(&c.files[0].path) {
                parent(&c.files[0].path).to_owned()
            } else {
                c.path.clone().unwrap_or_default()
            };
            let provenance_in_dir = inv.files_in_dir(&dir).any(|f| match &f.artifact {
                Ok(Artifact::ModelConfig(cfg)) => cfg
                    .name_or_path
                    .as_ref()
                    .is_some_and(|n| !n.value.trim().is_empty()),
                Ok(Artifact::AdapterConfig(_)) => true,
                _ => false,
            });
            let provenance_in_files =
                c.files
                    .iter()
                    .filter_map(|f| inv.file(&f.path))
                    .any(|f| match &f.artifact {
                        Ok(Artifact::Gguf(meta)) => {
                            meta.str("general.name").is_some() || !meta.base_models().is_empty()
                        }
                        Ok(Artifact::Safetensors(h)) => h
                            .metadata
                            .keys()
                            .any(|k| k.starts_with("modelspec.") || k.starts_with("ss_")),
                        _ => false,
                    });
            if provenance_in_dir || provenance_in_files {
                continue;
            }
            let anchor = c.files[0].path.clone();
            out.push(
                Finding::new(&META, Some(&c.id), "provenance", format!("{} has no model card or provenance", c.id))
                    .at(&anchor, None)
                    .with_help("add a README.md model card with `license`, `base_model` and `datasets` next to the weights"),
            );
        }
    }
}
