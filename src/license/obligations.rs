//! Small pure helpers the `LIC` rules share: which components are checked, where a finding
//! about one points, and how a binding licence is described.

use super::analysis::{Bound, ComponentLicensing};
use super::normalize;
use crate::inventory::{Component, ComponentKind, Inventory, RelationKind};

/// The repository's own components that licences bind (models, adapters, quantizations, merges,
/// datasets, corpora), with the engine's facts, in id order.
pub fn local_components(inventory: &Inventory) -> Vec<(&Component, &ComponentLicensing)> {
    inventory
        .components
        .values()
        .filter(|c| !c.external && (c.kind.is_model_like() || c.kind.is_data()))
        .filter_map(|c| Some((c, inventory.licensing.component(&c.id)?)))
        .collect()
}

/// Where a finding about a component points: its card when it has one, else its path.
pub fn location(c: &Component) -> Option<String> {
    c.properties
        .get("card")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .or_else(|| c.path.clone())
}

/// `llama-3.1 (through model:hub/meta-llama/Llama-3.1-8B)`, or just the id for an own licence.
pub fn describe(b: &Bound) -> String {
    match b.via.as_slice() {
        [] => b.record.id.clone(),
        via => format!("{} (through {})", b.record.id, via.join(" → ")),
    }
}

/// ` [§2]` or nothing.
pub fn clause(c: &str) -> String {
    if c.trim().is_empty() {
        String::new()
    } else {
        format!(" [{}]", c.trim())
    }
}

/// Whether a name begins with a required prefix, compared normalised (`Llama-3.1-acme` begins
/// with `Llama`; `acme-llama` does not).
pub fn has_prefix(name: &str, prefix: &str) -> bool {
    let prefix = normalize(prefix);
    !prefix.is_empty() && normalize(name).starts_with(&prefix)
}

/// How the component derives from others (`adapter`, `finetune`, `quantized`, `merge`), from
/// its `derived_from` relations.
pub fn derivation_kinds(inventory: &Inventory, id: &str) -> Vec<String> {
    let mut kinds: Vec<String> = inventory
        .relations_from(id)
        .filter(|r| r.kind == RelationKind::DerivedFrom)
        .map(|r| r.relation.clone().unwrap_or_else(|| "finetune".to_owned()))
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// Whether a naming rule's `applies_to` covers a derivation kind.
pub fn naming_applies(applies_to: &[String], kind: &str) -> bool {
    applies_to.is_empty()
        || applies_to.iter().any(|a| {
            a == kind
                || (a.starts_with("quantiz") && kind.starts_with("quantiz"))
                || (a == "fine-tune" && kind == "finetune")
        })
}

/// Whether the component is a model that is itself used (weights), as opposed to data.
pub fn is_model(c: &Component) -> bool {
    c.kind.is_model_like() && c.kind != ComponentKind::LicenceDocument
}
