//! MOD003: a Keras model with a Lambda layer or custom code.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::artifact::parsed::Artifact;
use crate::finding::{Finding, Severity};

pub struct KerasCustomCode;

pub static META: RuleMeta = RuleMeta {
    code: "MOD003",
    name: "keras-custom-code",
    family: Family::Mod,
    default_severity: Severity::Warning,
    summary: "A Keras model holds a Lambda layer (serialized Python bytecode) or custom objects that need code.",
    security: true,
    doc: RuleDoc {
        what: "Reads the model config of Keras v3 `.keras` archives (`config.json`) and of legacy `.h5` files \
               (the `model_config` attribute) and reports `Lambda` layers, which carry marshalled Python \
               bytecode, and custom objects — layers or functions from modules outside `keras.*`, or \
               registered names such as `Acme>Scaler` — which a loader must import.",
        why: "A Lambda layer runs its bytecode when the model is loaded with `safe_mode=False` (and in older \
              Keras versions, always); custom objects make the loader import and run a project's code. Both \
              are code execution riding inside a file people treat as data (CVE-2024-3660, CVE-2025-1550).",
        example: "`model.keras` with a `Lambda` layer named `scale`:\n\n```\nwarning[MOD003]: model.keras has \
                  a Lambda layer `scale` (serialized Python code)\n```",
        fix: "Replace Lambda layers with built-in layers or registered custom layers whose code is reviewed \
              and shipped as source; load with `safe_mode=True`. Accept a reviewed custom object with an \
              `[[exception]]` and a reason.",
    },
};

impl Rule for KerasCustomCode {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for file in &cx.inventory.files {
            let Ok(Artifact::Keras(scan)) = &file.artifact else {
                continue;
            };
            for layer in &scan.lambda_layers {
                out.push(
                    Finding::new(
                        &META,
                        file.component.as_deref(),
                        format!("lambda:{layer}"),
                        format!(
                            "{} has a Lambda layer `{layer}` (serialized Python code)",
                            file.path
                        ),
                    )
                    .at(&file.path, None)
                    .with_help(
                        "replace the Lambda layer with a built-in or a registered custom layer whose \
                         code is reviewed, and load with `safe_mode=True`",
                    ),
                );
            }
            // `__lambda__` is the serialized function of a Lambda layer, reported above.
            let custom = scan
                .custom_objects
                .iter()
                .filter(|o| o.class_name != "__lambda__");
            for object in custom {
                let origin = object
                    .module
                    .as_deref()
                    .map(|m| format!(" from module `{m}`"))
                    .or_else(|| {
                        object
                            .registered_name
                            .as_deref()
                            .map(|r| format!(" registered as `{r}`"))
                    })
                    .unwrap_or_default();
                out.push(
                    Finding::new(
                        &META,
                        file.component.as_deref(),
                        format!(
                            "custom:{}",
                            object
                                .registered_name
                                .as_deref()
                                .unwrap_or(&object.class_name)
                        ),
                        format!(
                            "{} needs custom code: `{}`{origin}",
                            file.path, object.class_name
                        ),
                    )
                    .at(&file.path, None)
                    .with_help(
                        "review the custom object's code and ship it as source; accept a reviewed \
                         object with an [[exception]] for MOD003 and a reason",
                    ),
                );
            }
        }
    }
}
