//! LIC008: a model's outputs used to train other models where its licence forbids or conditions it.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::license::obligations::{
    clause, describe, has_prefix, is_model, local_components, location,
};

pub struct OutputTrainingRestricted;

pub static META: RuleMeta = RuleMeta {
    code: "LIC008",
    name: "output-training-restricted",
    family: Family::Lic,
    default_severity: Severity::Error,
    summary: "The project trains other models on a model's outputs, which its licence forbids or allows only under a condition not met.",
    security: false,
    doc: RuleDoc {
        what: "With `[project] distills_outputs = [\"name\", …]` (models trained on outputs of this repository's \
               models: distillation, synthetic data), reports every model bound by a licence that forbids using \
               outputs to train other models (Llama 2 §1.b.v, Tongyi Qianwen, Stability AI for foundational \
               models), and licences that allow it only under a condition that the declared names do not meet \
               (Llama 3.1+: the trained model's name must begin with \"Llama\").",
        why: "Output clauses bind the licensee, not the weights: a distilled model made in breach is the \
              licensee's liability even though the student's own licence is clean.",
        example: "`[project] distills_outputs = [\"acme-small\"]` with a Llama 2 model:\n\n```\n\
                  error[LIC008]: model:models/acme: llama-2 forbids using outputs to train other models \
                  (acme-small) [§1.b.v]\n```",
        fix: "Use a teacher whose licence allows it, meet the condition (rename the student), or obtain \
              permission and record it with an `[[exception]]` and a reason.",
    },
};

impl Rule for OutputTrainingRestricted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(project) = &cx.inventory.licensing.project else {
            return;
        };
        if project.distills_outputs.is_empty() {
            return;
        }
        let targets = project.distills_outputs.join(", ");
        for (c, facts) in local_components(cx.inventory) {
            if !is_model(c) {
                continue;
            }
            for b in &facts.bound {
                let Some(o) = &b.record.outputs else { continue };
                let problem = match o.train_other_models.as_str() {
                    "forbidden" => {
                        format!("forbids using outputs to train other models ({targets})")
                    }
                    "conditional" => {
                        let prefix = b
                            .record
                            .naming
                            .as_ref()
                            .map(|n| n.derivative_prefix.as_str());
                        let met = o.condition == "naming"
                            && prefix.is_some_and(|p| {
                                project.distills_outputs.iter().all(|t| has_prefix(t, p))
                            });
                        if met {
                            continue;
                        }
                        let condition = match (o.condition.as_str(), prefix) {
                            ("naming", Some(p)) => {
                                format!("the trained model's name begins with \"{p}\"")
                            }
                            ("", _) => "a condition".to_owned(),
                            (other, _) => other.replace('_', " "),
                        };
                        format!("allows training other models ({targets}) only if {condition}")
                    }
                    _ => continue,
                };
                let mut f = Finding::new(
                    &META,
                    Some(&c.id),
                    format!("outputs:{}", b.record.id),
                    format!("{}: {} {problem}{}", c.id, describe(b), clause(&o.clause)),
                )
                .with_help(
                    "use a teacher whose licence allows it, or meet the licence's condition",
                );
                if let Some(path) = location(c) {
                    f = f.at(&path, None);
                }
                out.push(f);
            }
        }
    }
}
