//! CycloneDX 1.6 JSON: the inventory as an ML-BOM for supply-chain platforms.
//!
//! Models, adapters, quantizations and merges are `machine-learning-model` components with a
//! model card (task, architecture, training datasets by reference, considerations drawn from
//! evidence); datasets and corpora are `data` components (with sensitive data and governance
//! where evidence exists); prompts are `data` (configuration), agent tools and MCP servers are
//! `application`, licence documents are `file`. Every component's `bom-ref` is its aibom id,
//! relations become `dependencies`, base models become `pedigree.ancestors`. Licences use `id`
//! only for an exact SPDX id, `name` and `url` otherwise, each with its acknowledgement.
//!
//! Reproducible: the serial number is a UUID derived from the BOM content (never random), the
//! timestamp is `SOURCE_DATE_EPOCH` when set, and everything is in inventory order.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::bom_facts::{self, LicenceTerm, PersonalData};
use super::{RenderOptions, Reporter};
use crate::inventory::{Component, ComponentKind, RelationKind};
use crate::scan::ScanResult;

pub const SPEC_VERSION: &str = "1.6";
/// The `bom-ref` of the scanned repository (`metadata.component`).
pub const ROOT_REF: &str = "aibom:repository";

pub struct CycloneDx;

impl Reporter for CycloneDx {
    fn render(
        &self,
        result: &ScanResult,
        _options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        super::write_json(out, &render_bom(result))
    }
}

/// The whole BOM as JSON.
pub fn render_bom(result: &ScanResult) -> Value {
    let inventory = &result.inventory;
    let serial = bom_facts::uuid_from_digest(&bom_facts::content_digest(result, "cyclonedx"));
    let components: Vec<Value> = inventory
        .components
        .values()
        .map(|c| component(result, c))
        .collect();

    let mut dependencies = vec![json!({
        "ref": ROOT_REF,
        "dependsOn": inventory
            .components
            .values()
            .filter(|c| !c.external)
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
    })];
    for c in inventory.components.values() {
        let targets: BTreeSet<&str> = inventory
            .relations_from(&c.id)
            .filter(|r| inventory.component(&r.to).is_some())
            .map(|r| r.to.as_str())
            .collect();
        let mut dependency = Map::new();
        dependency.insert("ref".into(), json!(c.id));
        if !targets.is_empty() {
            dependency.insert("dependsOn".into(), json!(targets));
        }
        dependencies.push(Value::Object(dependency));
    }

    let mut metadata_properties = vec![property(
        "aibom:licence-analysis",
        if inventory.licensing.evaluated {
            "evaluated"
        } else {
            "not evaluated"
        },
    )];
    for family in &result.policy.not_evaluated {
        metadata_properties.push(property("aibom:not-evaluated", family));
    }

    json!({
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": format!("urn:uuid:{serial}"),
        "version": 1,
        "metadata": {
            "timestamp": bom_facts::timestamp(),
            "tools": {
                "components": [{
                    "type": "application",
                    "name": "aibom",
                    "version": env!("CARGO_PKG_VERSION"),
                    "description": env!("CARGO_PKG_DESCRIPTION"),
                }]
            },
            "component": {
                "type": "application",
                "bom-ref": ROOT_REF,
                "name": bom_facts::root_name(result),
            },
            "properties": metadata_properties,
        },
        "components": components,
        "dependencies": dependencies,
    })
}

fn property(name: &str, value: impl Into<String>) -> Value {
    json!({ "name": name, "value": value.into() })
}

fn component_type(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Model
        | ComponentKind::Adapter
        | ComponentKind::Quantization
        | ComponentKind::Merge => "machine-learning-model",
        ComponentKind::Dataset | ComponentKind::Corpus | ComponentKind::Prompt => "data",
        ComponentKind::Tool | ComponentKind::ToolProvider => "application",
        ComponentKind::LicenceDocument => "file",
    }
}

fn component(result: &ScanResult, c: &Component) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!(component_type(c.kind)));
    out.insert("bom-ref".into(), json!(c.id));
    out.insert("name".into(), json!(c.name));
    if let Some(revision) = &c.revision {
        out.insert("version".into(), json!(revision));
    }
    if let Some(description) = c.properties.get("description").and_then(Value::as_str) {
        out.insert("description".into(), json!(description));
    }
    if let Some(sha256) = &c.sha256 {
        out.insert("hashes".into(), json!([sha256_hash(sha256)]));
    }
    let licences = licences(result, c);
    if !licences.is_empty() {
        out.insert("licenses".into(), Value::Array(licences));
    }
    if let Some(purl) = bom_facts::huggingface_purl(c) {
        out.insert("purl".into(), json!(purl));
    }
    if let Some(pedigree) = pedigree(result, c) {
        out.insert("pedigree".into(), pedigree);
    }
    out.insert("properties".into(), Value::Array(properties(result, c)));
    let files = file_components(c);
    if !files.is_empty() {
        out.insert("components".into(), Value::Array(files));
    }
    if c.kind.is_model_like() {
        out.insert("modelCard".into(), model_card(result, c));
    }
    if c.kind.is_data() || c.kind == ComponentKind::Prompt {
        out.insert("data".into(), json!([component_data(c)]));
    }
    Value::Object(out)
}

fn sha256_hash(hex: &str) -> Value {
    json!({ "alg": "SHA-256", "content": hex })
}

/// Declared licences, then concluded ones, each a `license` object (CycloneDX 1.6 does not let
/// a list of licences mix with an expression).
fn licences(result: &ScanResult, c: &Component) -> Vec<Value> {
    let declared = bom_facts::declared_licences(result, c);
    let concluded = bom_facts::concluded_licences(result, c);
    declared
        .iter()
        .map(|t| licence(t, "declared"))
        .chain(concluded.iter().map(|t| licence(t, "concluded")))
        .collect()
}

fn licence(term: &LicenceTerm, acknowledgement: &str) -> Value {
    let mut licence = Map::new();
    match &term.spdx_id {
        Some(id) => {
            licence.insert("id".into(), json!(id));
        }
        None => {
            licence.insert("name".into(), json!(term.name));
        }
    }
    if let Some(url) = &term.url {
        licence.insert("url".into(), json!(url));
    }
    licence.insert("acknowledgement".into(), json!(acknowledgement));
    json!({ "license": licence })
}

/// The parents a component derives from (base models of fine-tunes, adapters, quantizations
/// and merges), as ancestor components identified by name and purl.
fn pedigree(result: &ScanResult, c: &Component) -> Option<Value> {
    let inventory = &result.inventory;
    let ancestors: Vec<Value> = inventory
        .relations_from(&c.id)
        .filter(|r| r.kind == RelationKind::DerivedFrom)
        .filter_map(|r| inventory.component(&r.to))
        .map(|parent| {
            let mut ancestor = Map::new();
            ancestor.insert("type".into(), json!(component_type(parent.kind)));
            ancestor.insert("name".into(), json!(parent.name));
            if let Some(revision) = &parent.revision {
                ancestor.insert("version".into(), json!(revision));
            }
            if let Some(sha256) = &parent.sha256 {
                ancestor.insert("hashes".into(), json!([sha256_hash(sha256)]));
            }
            if let Some(purl) = bom_facts::huggingface_purl(parent) {
                ancestor.insert("purl".into(), json!(purl));
            }
            ancestor.insert(
                "properties".into(),
                json!([property("aibom:component", parent.id.clone())]),
            );
            Value::Object(ancestor)
        })
        .collect();
    (!ancestors.is_empty()).then(|| json!({ "ancestors": ancestors }))
}

/// A component made of several files lists each hashed file as a nested `file` component.
fn file_components(c: &Component) -> Vec<Value> {
    if c.sha256.is_some() || c.files.len() < 2 {
        return Vec::new();
    }
    c.files
        .iter()
        .filter_map(|f| {
            let sha256 = f.sha256.as_ref()?;
            Some(json!({
                "type": "file",
                "name": f.path,
                "hashes": [sha256_hash(sha256)],
                "properties": [property("aibom:size", f.size.to_string())],
            }))
        })
        .collect()
}

fn properties(result: &ScanResult, c: &Component) -> Vec<Value> {
    let mut props = vec![property("aibom:kind", c.kind.as_str())];
    if let Some(path) = &c.path {
        props.push(property("aibom:path", path.clone()));
    }
    if c.external {
        props.push(property("aibom:external", "true"));
    }
    if let Some(hub_id) = &c.hub_id {
        props.push(property("aibom:hub-id", hub_id.clone()));
    }
    if let Some(format) = &c.format {
        props.push(property("aibom:format", format.clone()));
    }
    if let Some(size) = c.size {
        props.push(property("aibom:size", size.to_string()));
    }
    if let Some(concluded) = &c.concluded_license {
        props.push(property("aibom:licence-status", concluded.status));
        props.push(property("aibom:commercial-use", concluded.commercial));
    }
    for inherited in bom_facts::inherited_licences(c) {
        props.push(property("aibom:inherited-licence", inherited));
    }
    if matches!(c.kind, ComponentKind::Tool | ComponentKind::ToolProvider) {
        match bom_facts::tool_entry(result, c) {
            Some(entry) => {
                let tier = entry.tier.map_or("unset", |t| t.as_str());
                props.push(property("aibom:tier", tier));
                props.push(property("aibom:registry-entry", entry.id.clone()));
                if let Some(owner) = &entry.owner {
                    props.push(property("aibom:owner", owner.clone()));
                }
                if let Some(approval) = entry.approval {
                    let approval = match approval {
                        crate::policy::tools::Approval::Human => "human",
                        crate::policy::tools::Approval::Auto => "auto",
                    };
                    props.push(property("aibom:approval", approval));
                }
            }
            None => props.push(property("aibom:tier", "unregistered")),
        }
    }
    if c.kind.is_model_like() && bom_facts::trained_on_personal_data(c).is_none() {
        props.push(property("aibom:trained-on-personal-data", "not evaluated"));
    }
    if c.kind.is_data() && bom_facts::personal_data(c) == PersonalData::NotEvaluated {
        props.push(property("aibom:personal-data", "not evaluated"));
    }
    for (key, value) in &c.properties {
        if key == "description" {
            continue;
        }
        props.push(property(
            &format!("aibom:{}", key.replace('_', "-")),
            bom_facts::property_text(value),
        ));
    }
    props
}

fn model_card(result: &ScanResult, c: &Component) -> Value {
    let inventory = &result.inventory;
    let text = |key: &str| c.properties.get(key).and_then(Value::as_str);
    let mut parameters = Map::new();
    if let Some(task) = text("pipeline_tag") {
        parameters.insert("task".into(), json!(task));
    }
    if let Some(family) = text("model_type").or_else(|| text("architecture")) {
        parameters.insert("architectureFamily".into(), json!(family));
    }
    if let Some(architecture) = c
        .properties
        .get("architectures")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_str)
    {
        parameters.insert("modelArchitecture".into(), json!(architecture));
    }
    let datasets: Vec<Value> = inventory
        .relations_from(&c.id)
        .filter(|r| r.kind == RelationKind::TrainedOn && inventory.component(&r.to).is_some())
        .map(|r| json!({ "ref": r.to }))
        .collect();
    if !datasets.is_empty() {
        parameters.insert("datasets".into(), Value::Array(datasets));
    }
    let mut card = Map::new();
    card.insert("bom-ref".into(), json!(format!("{}#model-card", c.id)));
    card.insert("modelParameters".into(), Value::Object(parameters));

    let mut considerations = Map::new();
    if let Some(types) = bom_facts::trained_on_personal_data(c).filter(|t| !t.is_empty()) {
        considerations.insert(
            "ethicalConsiderations".into(),
            json!([{
                "name": format!(
                    "Trained on personal data ({}): erasure requests on the training corpus cannot be honoured by these weights",
                    types.join(", ")
                )
            }]),
        );
    }
    let mut limitations = Vec::new();
    if let Some(code) = c.properties.get("remote_code").and_then(Value::as_array) {
        let code: Vec<&str> = code.iter().filter_map(Value::as_str).collect();
        limitations.push(format!(
            "Loading runs custom code from the repository (trust_remote_code): {}",
            code.join(", ")
        ));
    }
    let commercial = c.concluded_license.as_ref().map(|l| l.commercial);
    if let Some(commercial) = commercial.filter(|s| !matches!(*s, "allowed" | "unknown")) {
        limitations.push(format!("Commercial use is {commercial} under its licences"));
    }
    if !limitations.is_empty() {
        considerations.insert("technicalLimitations".into(), json!(limitations));
    }
    if !considerations.is_empty() {
        card.insert("considerations".into(), Value::Object(considerations));
    }
    Value::Object(card)
}

fn component_data(c: &Component) -> Value {
    let mut data = Map::new();
    let kind = if c.kind == ComponentKind::Prompt {
        "configuration"
    } else {
        "dataset"
    };
    data.insert("type".into(), json!(kind));
    data.insert("name".into(), json!(c.name));
    if c.kind == ComponentKind::Prompt {
        data.insert(
            "description".into(),
            json!("A prompt: instructions given to a model at run time"),
        );
    }
    if c.kind.is_data() {
        match bom_facts::personal_data(c) {
            PersonalData::Yes(evidence) => {
                data.insert("classification".into(), json!("personal data"));
                data.insert("sensitiveData".into(), json!(evidence));
            }
            PersonalData::No(how) => {
                data.insert(
                    "classification".into(),
                    json!(format!("no personal data ({how})")),
                );
            }
            PersonalData::NotEvaluated => {}
        }
    }
    let governance = bom_facts::governance(c);
    if !governance.is_empty() {
        let parties = |names: &[String]| -> Value {
            names
                .iter()
                .map(|n| json!({ "organization": { "name": n } }))
                .collect()
        };
        let mut g = Map::new();
        for (key, names) in [
            ("owners", &governance.owners),
            ("custodians", &governance.custodians),
            ("stewards", &governance.stewards),
        ] {
            if !names.is_empty() {
                g.insert(key.into(), parties(names));
            }
        }
        data.insert("governance".into(), Value::Object(g));
    }
    Value::Object(data)
}
