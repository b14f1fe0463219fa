//! SPDX 3.0.1 JSON-LD: the inventory with the Core, Software, AI, Dataset and licensing profiles.
//!
//! Models, adapters, quantizations and merges are `ai_AIPackage`s; datasets and corpora are
//! `dataset_DatasetPackage`s (with their data type and whether they hold personal data — `yes`,
//! `no`, or `noAssertion` when nothing was evaluated); prompts and licence documents are
//! `software_File`s; agent tools and MCP servers are `software_Package`s. Relations become
//! `Relationship`s (`descendantOf`, `trainedOn`, `dependsOn` for prompts, `contains` for a
//! server's tools); licences are `hasDeclaredLicense`/`hasConcludedLicense` relationships to
//! `simplelicensing_LicenseExpression`s, with `LicenseRef-<record>` for licences that have no SPDX
//! id, and the text of such a licence as an `expandedlicensing_CustomLicense` when the scanned
//! tree holds its licence file.
//!
//! Reproducible: every `spdxId` is an IRI under a document namespace derived from the BOM
//! content, `created` is `SOURCE_DATE_EPOCH` when set, and the graph is in inventory order.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::bom_facts::{self, LicenceTerm, PersonalData};
use super::{RenderOptions, Reporter};
use crate::inventory::{Component, ComponentKind, RelationKind};
use crate::scan::ScanResult;

pub const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
pub const SPEC_VERSION: &str = "3.0.1";
const CREATION_INFO: &str = "_:creationinfo";

pub struct Spdx;

impl Reporter for Spdx {
    fn render(
        &self,
        result: &ScanResult,
        _options: &RenderOptions,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        super::write_json(out, &render_document(result))
    }
}

/// The graph being built: elements in insertion order, with ids already used.
struct Graph {
    namespace: String,
    elements: Vec<Value>,
    ids: BTreeSet<String>,
    relationships: usize,
}

impl Graph {
    fn id(&self, kind: &str, name: &str) -> String {
        format!(
            "{}{kind}/{}",
            self.namespace,
            bom_facts::percent_encode(name)
        )
    }

    fn push(&mut self, element: Value) {
        if let Some(id) = element.get("spdxId").and_then(Value::as_str)
            && !self.ids.insert(id.to_owned())
        {
            return;
        }
        self.elements.push(element);
    }

    fn relationship(&mut self, from: &str, kind: &str, to: Vec<String>, comment: Option<&str>) {
        if to.is_empty() {
            return;
        }
        self.relationships += 1;
        let mut r = Map::new();
        r.insert("type".into(), json!("Relationship"));
        r.insert(
            "spdxId".into(),
            json!(format!(
                "{}relationship/{}",
                self.namespace, self.relationships
            )),
        );
        r.insert("creationInfo".into(), json!(CREATION_INFO));
        r.insert("from".into(), json!(from));
        r.insert("relationshipType".into(), json!(kind));
        r.insert("to".into(), json!(to));
        if let Some(comment) = comment {
            r.insert("comment".into(), json!(comment));
        }
        self.push(Value::Object(r));
    }
}

/// The whole document as JSON-LD.
pub fn render_document(result: &ScanResult) -> Value {
    let inventory = &result.inventory;
    let uuid = bom_facts::uuid_from_digest(&bom_facts::content_digest(result, "spdx"));
    let mut graph = Graph {
        namespace: format!("https://spdx.org/spdxdocs/aibom-{uuid}/"),
        elements: Vec::new(),
        ids: BTreeSet::new(),
        relationships: 0,
    };
    let agent = graph.id("agent", "aibom");
    let tool = graph.id("tool", "aibom");
    let document = format!("{}document", graph.namespace);
    let repository = graph.id("repository", &bom_facts::root_name(result));

    graph.push(json!({
        "type": "CreationInfo",
        "@id": CREATION_INFO,
        "specVersion": SPEC_VERSION,
        "created": bom_facts::timestamp(),
        "createdBy": [agent],
        "createdUsing": [tool],
    }));
    graph.push(json!({
        "type": "SoftwareAgent",
        "spdxId": agent,
        "creationInfo": CREATION_INFO,
        "name": "aibom",
    }));
    graph.push(json!({
        "type": "Tool",
        "spdxId": tool,
        "creationInfo": CREATION_INFO,
        "name": format!("aibom {}", env!("CARGO_PKG_VERSION")),
    }));
    let mut repository_comment = vec![format!(
        "Licence analysis: {}.",
        if inventory.licensing.evaluated {
            "evaluated"
        } else {
            "not evaluated"
        }
    )];
    if !result.policy.not_evaluated.is_empty() {
        repository_comment.push(format!(
            "Not evaluated: {}.",
            result.policy.not_evaluated.join(", ")
        ));
    }
    graph.push(json!({
        "type": "software_Package",
        "spdxId": repository,
        "creationInfo": CREATION_INFO,
        "name": bom_facts::root_name(result),
        "software_primaryPurpose": "source",
        "comment": repository_comment.join(" "),
    }));

    let custom = custom_licences(result, &mut graph);
    let component_ids: BTreeMap<&str, String> = inventory
        .components
        .keys()
        .map(|id| (id.as_str(), graph.id("component", id)))
        .collect();

    for c in inventory.components.values() {
        let id = component_ids[c.id.as_str()].clone();
        graph.push(element(c, &id));
        file_elements(&mut graph, c, &id);
        licence_relationships(result, &mut graph, c, &id, &custom);
    }
    graph.relationship(
        &repository,
        "contains",
        inventory
            .components
            .values()
            .filter(|c| !c.external)
            .map(|c| component_ids[c.id.as_str()].clone())
            .collect(),
        None,
    );
    for r in &inventory.relations {
        let (Some(from), Some(to)) = (
            component_ids.get(r.from.as_str()),
            component_ids.get(r.to.as_str()),
        ) else {
            continue;
        };
        let (kind, comment) = match r.kind {
            RelationKind::DerivedFrom => ("descendantOf", r.relation.as_deref()),
            RelationKind::TrainedOn => ("trainedOn", None),
            RelationKind::UsesPrompt => ("dependsOn", Some("uses_prompt")),
            RelationKind::ProvidesTool => ("contains", Some("provides_tool")),
            RelationKind::LicensedBy => {
                ("other", Some("licensed_by: the licence file that applies"))
            }
        };
        let comment = comment.map(|c| format!("aibom relation: {c}"));
        graph.relationship(from, kind, vec![to.clone()], comment.as_deref());
    }

    let mut elements: Vec<String> = graph
        .ids
        .iter()
        .filter(|id| **id != document)
        .cloned()
        .collect();
    elements.sort();
    let mut all = vec![json!({
        "type": "SpdxDocument",
        "spdxId": document,
        "creationInfo": CREATION_INFO,
        "name": format!("aibom bill of materials of {}", bom_facts::root_name(result)),
        "profileConformance": ["core", "software", "ai", "dataset", "simpleLicensing", "expandedLicensing"],
        "rootElement": [repository],
        "element": elements,
    })];
    all.append(&mut graph.elements);
    json!({
        "@context": CONTEXT,
        "@graph": all,
    })
}

fn hash(hex: &str) -> Value {
    json!({ "type": "Hash", "algorithm": "sha256", "hashValue": hex })
}

fn presence(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "noAssertion",
    }
}

/// What the data is, from its file format.
fn dataset_type(format: Option<&str>) -> &'static str {
    match format.unwrap_or_default() {
        "csv" | "tsv" | "parquet" | "arrow" => "structured",
        "jsonl" | "json" | "txt" | "text" | "md" => "text",
        "png" | "jpg" | "jpeg" | "webp" => "image",
        "wav" | "flac" | "mp3" => "audio",
        _ => "noAssertion",
    }
}

fn element(c: &Component, id: &str) -> Value {
    let mut e = Map::new();
    let class = match c.kind {
        k if k.is_model_like() => "ai_AIPackage",
        k if k.is_data() => "dataset_DatasetPackage",
        ComponentKind::Prompt | ComponentKind::LicenceDocument => "software_File",
        _ => "software_Package",
    };
    e.insert("type".into(), json!(class));
    e.insert("spdxId".into(), json!(id));
    e.insert("creationInfo".into(), json!(CREATION_INFO));
    e.insert("name".into(), json!(c.name));
    let purpose = match c.kind {
        k if k.is_model_like() => "model",
        k if k.is_data() => "data",
        ComponentKind::Prompt => "configuration",
        ComponentKind::LicenceDocument => "documentation",
        ComponentKind::ToolProvider => "application",
        _ => "module",
    };
    e.insert("software_primaryPurpose".into(), json!(purpose));
    if let Some(revision) = &c.revision
        && class != "software_File"
    {
        e.insert("software_packageVersion".into(), json!(revision));
    }
    if let Some(purl) = bom_facts::huggingface_purl(c) {
        e.insert("software_packageUrl".into(), json!(purl));
    }
    if let Some(sha256) = &c.sha256 {
        e.insert("verifiedUsing".into(), json!([hash(sha256)]));
    }
    if let Some(description) = c.properties.get("description").and_then(Value::as_str) {
        e.insert("description".into(), json!(description));
    }
    let mut comment = vec![format!("aibom component {}", c.id)];
    if let Some(path) = &c.path {
        comment.push(format!("path {path}"));
    }
    if c.external {
        comment.push("external: referenced, not in the scanned tree".to_owned());
    }
    let inherited = bom_facts::inherited_licences(c);
    if !inherited.is_empty() {
        comment.push(format!("also bound by {}", inherited.join(", ")));
    }
    for key in ["inferred_tier", "owner", "version", "changelog_state"] {
        if let Some(value) = c.properties.get(key) {
            comment.push(format!("{key} {}", bom_facts::property_text(value)));
        }
    }

    if c.kind.is_model_like() {
        let text = |key: &str| c.properties.get(key).and_then(Value::as_str);
        let types: Vec<&str> = text("model_type")
            .or_else(|| text("architecture"))
            .into_iter()
            .collect();
        if !types.is_empty() {
            e.insert("ai_typeOfModel".into(), json!(types));
        }
        if let Some(task) = text("pipeline_tag") {
            e.insert("ai_domain".into(), json!([task]));
        }
        let trained_on_pii = bom_facts::trained_on_personal_data(c);
        e.insert(
            "ai_useSensitivePersonalInformation".into(),
            json!(presence(trained_on_pii.as_ref().map(|t| !t.is_empty()))),
        );
        match trained_on_pii {
            Some(types) if !types.is_empty() => {
                comment.push(format!("trained on personal data: {}", types.join(", ")))
            }
            Some(_) => {}
            None => comment.push("personal data in training corpora: not evaluated".to_owned()),
        }
        if let Some(r) = c.properties.get("lora_r") {
            e.insert(
                "ai_hyperparameter".into(),
                json!([{ "type": "DictionaryEntry", "key": "lora_r", "value": bom_facts::property_text(r) }]),
            );
        }
    }
    if c.kind.is_data() {
        e.insert(
            "dataset_datasetType".into(),
            json!([dataset_type(c.format.as_deref())]),
        );
        if let Some(size) = c.size {
            e.insert("dataset_datasetSize".into(), json!(size));
        }
        let pii = bom_facts::personal_data(c);
        let has = match &pii {
            PersonalData::Yes(_) => Some(true),
            PersonalData::No(_) => Some(false),
            PersonalData::NotEvaluated => None,
        };
        e.insert(
            "dataset_hasSensitivePersonalInformation".into(),
            json!(presence(has)),
        );
        match pii {
            PersonalData::Yes(evidence) => {
                comment.push(format!("personal data: {}", evidence.join("; ")))
            }
            PersonalData::No(how) => comment.push(format!("personal data: none ({how})")),
            PersonalData::NotEvaluated => comment.push("personal data: not evaluated".to_owned()),
        }
    }
    e.insert("comment".into(), json!(comment.join("; ")));
    Value::Object(e)
}

/// Components made of several hashed files list each as a `software_File` they contain.
fn file_elements(graph: &mut Graph, c: &Component, id: &str) {
    if c.sha256.is_some() || c.files.len() < 2 {
        return;
    }
    let mut files = Vec::new();
    for f in c.files.iter() {
        let Some(sha256) = &f.sha256 else { continue };
        let file_id = graph.id("file", &f.path);
        graph.push(json!({
            "type": "software_File",
            "spdxId": file_id,
            "creationInfo": CREATION_INFO,
            "name": f.path,
            "verifiedUsing": [hash(sha256)],
        }));
        files.push(file_id);
    }
    graph.relationship(id, "contains", files, None);
}

/// `LicenseRef-` ids of licences whose text the scanned tree holds, mapped to the
/// `expandedlicensing_CustomLicense` element carrying it.
fn custom_licences(result: &ScanResult, graph: &mut Graph) -> BTreeMap<String, String> {
    let mut by_ref = BTreeMap::new();
    for custom in bom_facts::custom_licences(result) {
        let Some(text) = bom_facts::licence_text(result, &custom.path) else {
            continue;
        };
        let licence_ref = custom.term.expression();
        let id = graph.id("custom-licence", &licence_ref);
        let mut e = Map::new();
        e.insert("type".into(), json!("expandedlicensing_CustomLicense"));
        e.insert("spdxId".into(), json!(id));
        e.insert("creationInfo".into(), json!(CREATION_INFO));
        e.insert("name".into(), json!(custom.term.name));
        e.insert("simplelicensing_licenseText".into(), json!(text));
        if let Some(url) = &custom.term.url {
            e.insert("expandedlicensing_seeAlso".into(), json!([url]));
        }
        e.insert(
            "comment".into(),
            json!(format!("text of {} in the scanned repository", custom.path)),
        );
        graph.push(Value::Object(e));
        by_ref.insert(licence_ref, id);
    }
    by_ref
}

fn licence_relationships(
    result: &ScanResult,
    graph: &mut Graph,
    c: &Component,
    id: &str,
    custom: &BTreeMap<String, String>,
) {
    for (kind, terms) in [
        (
            "hasDeclaredLicense",
            bom_facts::declared_licences(result, c),
        ),
        (
            "hasConcludedLicense",
            bom_facts::concluded_licences(result, c),
        ),
    ] {
        if terms.is_empty() {
            continue;
        }
        let expression = expression(&terms);
        let expression_id = graph.id("licence-expression", &expression);
        let mut e = Map::new();
        e.insert("type".into(), json!("simplelicensing_LicenseExpression"));
        e.insert("spdxId".into(), json!(expression_id));
        e.insert("creationInfo".into(), json!(CREATION_INFO));
        e.insert(
            "simplelicensing_licenseExpression".into(),
            json!(expression),
        );
        let mapped: Vec<Value> = terms
            .iter()
            .map(LicenceTerm::expression)
            .filter_map(|r| {
                custom
                    .get(&r)
                    .map(|to| json!({ "type": "DictionaryEntry", "key": r, "value": to }))
            })
            .collect();
        if !mapped.is_empty() {
            e.insert("simplelicensing_customIdToUri".into(), json!(mapped));
        }
        let names: Vec<String> = terms
            .iter()
            .filter(|t| t.spdx_id.is_none())
            .map(|t| format!("{} = {}", t.expression(), t.name))
            .collect();
        if !names.is_empty() {
            e.insert("comment".into(), json!(names.join("; ")));
        }
        graph.push(Value::Object(e));
        graph.relationship(id, kind, vec![expression_id], None);
    }
}

/// Several licences that all apply: `A AND B`, in a stable order.
fn expression(terms: &[LicenceTerm]) -> String {
    let parts: BTreeSet<String> = terms.iter().map(LicenceTerm::expression).collect();
    parts.into_iter().collect::<Vec<_>>().join(" AND ")
}
