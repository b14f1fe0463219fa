//! LIC009: a derivative that declares a more permissive licence than its base.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::finding::{Finding, Severity};
use crate::license::obligations::{describe, local_components, location};

pub struct MorePermissiveThanBase;

pub static META: RuleMeta = RuleMeta {
    code: "LIC009",
    name: "license-more-permissive-than-base",
    family: Family::Lic,
    default_severity: Severity::Error,
    summary: "A derivative declares a licence more permissive than its base's (an adapter card saying apache-2.0 on a Llama base).",
    security: false,
    doc: RuleDoc {
        what: "Reports an adapter, fine-tune, quantization or merge whose own declared licence differs from a \
               parent's licence when the parent's terms flow down to derivatives (Llama, Gemma, RAIL, \
               share-alike) or are stricter about commercial use. Both licences are named.",
        why: "Relicensing a derivative does not remove its base's terms: an adapter needs the base weights to \
              run, and the merged result is bound by the base licence. Permissive relabelling of derivatives is \
              the most common licence error on model hubs.",
        example: "`adapters/acme-lora/README.md` says `license: apache-2.0`, `base_model: \
                  meta-llama/Llama-3.1-8B`:\n\n```\nerror[LIC009]: adapter:adapters/acme-lora declares apache-2.0, \
                  but its base is under llama-3.1 (through model:hub/meta-llama/Llama-3.1-8B), whose terms bind \
                  derivatives\n```",
        fix: "Declare the base's licence (for Llama: `license: llama3.1`, with its licence file and notice), \
              or both where your own code or data adds terms.",
    },
};

impl Rule for MorePermissiveThanBase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (c, facts) in local_components(cx.inventory) {
            if facts.own.is_empty() {
                continue;
            }
            let own_strictness = facts
                .own
                .iter()
                .map(|r| r.commercial.status.strictness())
                .max()
                .unwrap_or(0);
            let own_ids: Vec<&str> = facts.own.iter().map(|r| r.id.as_str()).collect();
            for b in &facts.bound {
                let from_parent = b.relation.as_deref().is_some_and(|r| r != "trained_on");
                if !from_parent || own_ids.contains(&b.record.id.as_str()) {
                    continue;
                }
                let flows_down = matches!(
                    b.record.derivatives.copyleft.as_str(),
                    "license_flow_down" | "same_license" | "use_restrictions_flow_down"
                );
                if !flows_down && b.record.commercial.status.strictness() <= own_strictness {
                    continue;
                }
                let mut f = Finding::new(
                    &META,
                    Some(&c.id),
                    format!("relicensed:{}:{}", own_ids.join("+"), b.record.id),
                    format!(
                        "{} declares {}, but its base is under {}, whose terms bind derivatives",
                        c.id,
                        own_ids.join(" OR "),
                        describe(b)
                    ),
                )
                .with_help(format!(
                    "declare {} (the base's licence) for this derivative",
                    b.record.id
                ));
                let declared = facts.evidence.iter().find(|e| !e.licenses.is_empty());
                match declared.and_then(|e| e.path.clone().map(|p| (p, e.span))) {
                    Some((path, span)) => f = f.at(&path, span),
                    None => {
                        if let Some(path) = location(c) {
                            f = f.at(&path, None);
                        }
                    }
                }
                out.push(f);
            }
        }
    }
}
