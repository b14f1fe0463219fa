//! How personal data flows into weights: through `trained_on` (a model and the data it was trained
//! on) and `derived_from` (adapters, fine-tunes, quantizations and merges and their parents),
//! transitively and cycle-safe. Pure functions over the inventory, shared by the privacy stage
//! (which records `trained_on_pii` on components) and the rules.

use std::collections::{BTreeMap, BTreeSet};

use crate::inventory::{Component, Inventory, RelationKind};

/// The PII types a data component holds: those the scan found (not counting documentation
/// values), plus the manifest's `pii_types` when it declares `contains_pii = true`
/// (`unspecified` when it names none and the scan found none).
pub fn data_pii_types(c: &Component) -> BTreeSet<String> {
    let mut types = BTreeSet::new();
    if let Some(found) = c
        .properties
        .get("pii")
        .and_then(|p| p.get("types"))
        .and_then(|t| t.as_object())
    {
        for (name, counts) in found {
            if counts.get("count").and_then(|n| n.as_u64()).unwrap_or(0) > 0 {
                types.insert(name.clone());
            }
        }
    }
    if c.properties.get("contains_pii").and_then(|v| v.as_bool()) == Some(true) {
        for name in c
            .properties
            .get("pii_types")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
        {
            types.insert(name.to_owned());
        }
        if types.is_empty() {
            // Declared as personal data without saying which kinds.
            types.insert(UNSPECIFIED.to_owned());
        }
    }
    types
}

/// The PII type recorded when a corpus declares `contains_pii = true` with no `pii_types` and
/// the scan found none of the kinds it detects.
pub const UNSPECIFIED: &str = "unspecified";

/// One way personal data reaches a model: the data component, the PII types it holds, and the
/// ancestor model it was trained into (`None` when the model itself was trained on it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PiiSource {
    pub data: String,
    pub via: Option<String>,
    pub types: BTreeSet<String>,
}

/// Every data component with personal data that `model` was trained on, directly or through the
/// models it derives from.
pub fn pii_sources(inv: &Inventory, model: &str) -> Vec<PiiSource> {
    let mut out: BTreeMap<String, PiiSource> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut stack = vec![model.to_owned()];
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        for r in inv.relations_from(&id) {
            let Some(target) = inv.component(&r.to) else {
                continue;
            };
            match r.kind {
                RelationKind::TrainedOn if target.kind.is_data() => {
                    let types = data_pii_types(target);
                    if types.is_empty() {
                        continue;
                    }
                    let via = (id != model).then(|| id.clone());
                    out.entry(target.id.clone())
                        .and_modify(|s| s.types.extend(types.iter().cloned()))
                        .or_insert(PiiSource {
                            data: target.id.clone(),
                            via,
                            types,
                        });
                }
                RelationKind::DerivedFrom if target.kind.is_model_like() => {
                    stack.push(target.id.clone());
                }
                _ => {}
            }
        }
    }
    out.into_values().collect()
}

/// The union of the PII types of `pii_sources`.
pub fn trained_on_pii(inv: &Inventory, model: &str) -> BTreeSet<String> {
    pii_sources(inv, model)
        .into_iter()
        .flat_map(|s| s.types)
        .collect()
}

/// `id` and every local model-like component that derives from it, transitively.
pub fn descendants(inv: &Inventory, id: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::from([id.to_owned()]);
    loop {
        let more: Vec<String> = inv
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::DerivedFrom && found.contains(&r.to))
            .filter(|r| !found.contains(&r.from))
            .filter(|r| {
                inv.component(&r.from)
                    .is_some_and(|c| c.kind.is_model_like())
            })
            .map(|r| r.from.clone())
            .collect();
        if more.is_empty() {
            return found;
        }
        found.extend(more);
    }
}
