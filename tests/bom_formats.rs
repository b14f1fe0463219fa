//! CycloneDX 1.6 and SPDX 3.0.1 output: key content (hub purls, licences by SPDX id or by
//! name, lineage, personal data), determinism, `--output FORMAT=FILE`, and conformance — the
//! official validators (`cyclonedx-python-lib`'s strict 1.6 JSON validator, `spdx-python-model`'s
//! JSON-LD deserializer plus graph-link checks, in `tests/validate/`), installed by `.ci/run` and
//! found through `AIBOM_CI_TOOLS`, run on the demo and on `fixtures/all-kinds`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;

const EPOCH: &str = "1700000000";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn aibom() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("aibom").expect("binary");
    cmd.env("SOURCE_DATE_EPOCH", EPOCH);
    cmd
}

/// `aibom bom fixtures/<fixture> --format <format>`, its standard output.
fn bom_bytes(fixture: &str, format: &str) -> Vec<u8> {
    let out = assert_cmd::Command::cargo_bin("aibom")
        .expect("binary")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["bom", "--no-cache", "--format", format])
        .arg(root().join("fixtures").join(fixture))
        .output()
        .expect("aibom runs");
    assert!(
        out.status.success(),
        "aibom bom --format {format} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn bom(fixture: &str, format: &str) -> Value {
    serde_json::from_slice(&bom_bytes(fixture, format)).expect("valid JSON")
}

fn component<'a>(bom: &'a Value, bom_ref: &str) -> &'a Value {
    bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["bom-ref"] == bom_ref)
        .unwrap_or_else(|| panic!("no component {bom_ref}"))
}

fn property<'a>(component: &'a Value, name: &str) -> Option<&'a str> {
    component["properties"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["value"].as_str())
}

fn licences(component: &Value) -> Vec<&Value> {
    component["licenses"]
        .as_array()
        .map(|l| l.iter().map(|l| &l["license"]).collect())
        .unwrap_or_default()
}

#[test]
fn cyclonedx_lists_every_kind_with_its_cyclonedx_type() {
    let bom = bom("all-kinds", "cyclonedx");
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["specVersion"], "1.6");
    assert_eq!(bom["metadata"]["timestamp"], "2023-11-14T22:13:20Z");
    assert_eq!(bom["metadata"]["tools"]["components"][0]["name"], "aibom");
    assert_eq!(
        bom["metadata"]["tools"]["components"][0]["version"],
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(bom["metadata"]["component"]["name"], "all-kinds");
    for (bom_ref, kind) in [
        ("model:models/acme-help-1b", "machine-learning-model"),
        ("adapter:models/help-lora", "machine-learning-model"),
        (
            "quantization:models/help-gguf/acme-help-8b.Q4_K_M.gguf",
            "machine-learning-model",
        ),
        ("merge:merges/help-blend", "machine-learning-model"),
        (
            "model:hub/meta-llama/Llama-3.1-8B",
            "machine-learning-model",
        ),
        ("dataset:data/help-chats", "data"),
        ("corpus:data/eval.csv", "data"),
        ("prompt:prompts/help.md", "data"),
        ("tool:fn:lookup_order", "application"),
        ("tool:mcp:tickets/close_ticket", "application"),
        ("tool-provider:mcp:tickets", "application"),
        ("licence-document:models/help-lora/LICENSE", "file"),
    ] {
        let c = component(&bom, bom_ref);
        assert_eq!(c["type"], kind, "{bom_ref}");
    }
    let tool = component(&bom, "tool:fn:lookup_order");
    assert_eq!(property(tool, "aibom:tier"), Some("read"));
    assert_eq!(property(tool, "aibom:owner"), Some("help-ml"));
    let unregistered = component(&bom, "tool:mcp:tickets/close_ticket");
    assert_eq!(property(unregistered, "aibom:tier"), Some("unregistered"));
    let prompt = component(&bom, "prompt:prompts/help.md");
    assert_eq!(prompt["data"][0]["type"], "configuration");
    assert_eq!(
        prompt["hashes"][0]["alg"], "SHA-256",
        "prompts carry their hash"
    );
}

#[test]
fn cyclonedx_names_hub_models_by_purl_and_licences_by_spdx_id_or_by_name() {
    let bom = bom("all-kinds", "cyclonedx");
    let hub = component(&bom, "model:hub/meta-llama/Llama-3.1-8B");
    assert_eq!(hub["purl"], "pkg:huggingface/meta-llama/Llama-3.1-8B");
    assert_eq!(property(hub, "aibom:external"), Some("true"));

    let adapter = component(&bom, "adapter:models/help-lora");
    let llama = licences(adapter);
    assert!(!llama.is_empty());
    for licence in &llama {
        assert!(
            licence.get("id").is_none(),
            "a model licence has no SPDX id: {licence}"
        );
        assert_eq!(licence["name"], "Llama 3.1 Community License Agreement");
        assert!(licence["url"].as_str().unwrap().starts_with("https://"));
    }
    let acknowledgements: Vec<&str> = llama
        .iter()
        .map(|l| l["acknowledgement"].as_str().unwrap())
        .collect();
    assert_eq!(acknowledgements, ["declared", "concluded"]);

    let base = component(&bom, "model:models/acme-help-1b");
    assert!(
        licences(base).iter().all(|l| l["id"] == "Apache-2.0"),
        "{base}"
    );
    assert_eq!(base["hashes"][0]["alg"], "SHA-256");
    assert_eq!(base["hashes"][0]["content"].as_str().unwrap().len(), 64);
}

#[test]
fn cyclonedx_records_lineage_training_data_and_personal_data() {
    let bom = bom("all-kinds", "cyclonedx");
    let adapter = component(&bom, "adapter:models/help-lora");
    let ancestors = adapter["pedigree"]["ancestors"].as_array().unwrap();
    assert_eq!(ancestors.len(), 1);
    assert_eq!(
        ancestors[0]["purl"],
        "pkg:huggingface/meta-llama/Llama-3.1-8B"
    );
    assert_eq!(
        adapter["modelCard"]["modelParameters"]["datasets"][0]["ref"],
        "dataset:data/help-chats"
    );
    let dependencies = bom["dependencies"].as_array().unwrap();
    let adapter_deps = dependencies
        .iter()
        .find(|d| d["ref"] == "adapter:models/help-lora")
        .unwrap();
    let on: Vec<&str> = adapter_deps["dependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(on.contains(&"model:hub/meta-llama/Llama-3.1-8B"), "{on:?}");
    assert!(on.contains(&"dataset:data/help-chats"), "{on:?}");
    let server = dependencies
        .iter()
        .find(|d| d["ref"] == "tool-provider:mcp:tickets")
        .unwrap();
    assert_eq!(server["dependsOn"][0], "tool:mcp:tickets/close_ticket");

    // The model a training config trains, its weights not committed: named by its hub id, with
    // its base model and training data.
    let sft = component(&bom, "model:train/help-sft.yaml");
    assert_eq!(sft["name"], "acme/acme-help-sft");
    assert_eq!(property(sft, "aibom:weights-present"), Some("false"));
    assert_eq!(
        sft["pedigree"]["ancestors"][0]["properties"][0]["value"],
        "model:models/acme-help-1b"
    );
    assert_eq!(
        sft["modelCard"]["modelParameters"]["datasets"][0]["ref"],
        "dataset:data/help-chats"
    );
    assert!(sft.get("hashes").is_none());

    // A hub dataset nobody scanned for personal data: said so, not guessed.
    let hub_data = component(&bom, "dataset:hub/acme/support-chats");
    assert_eq!(
        property(hub_data, "aibom:personal-data"),
        Some("not evaluated")
    );
    assert!(hub_data["data"][0].get("sensitiveData").is_none());
    assert!(hub_data["data"][0].get("classification").is_none());
    // The in-tree corpus holds none: "none found" once the privacy scan ran, else not evaluated.
    let chats = component(&bom, "dataset:data/help-chats");
    assert!(chats["data"][0].get("sensitiveData").is_none());
    if property(chats, "aibom:pii").is_some() {
        let classification = chats["data"][0]["classification"].as_str().unwrap();
        assert!(
            classification.starts_with("no personal data"),
            "{classification}"
        );
        assert_eq!(property(chats, "aibom:personal-data"), None);
    } else {
        assert_eq!(
            property(chats, "aibom:personal-data"),
            Some("not evaluated")
        );
    }
    // The demo's dataset card declares personal data.
    let demo = self::bom("demo", "cyclonedx");
    let support = component(&demo, "dataset:data/support-chats");
    assert_eq!(support["data"][0]["classification"], "personal data");
    let sensitive = support["data"][0]["sensitiveData"].as_array().unwrap();
    assert!(
        sensitive.iter().any(|s| s
            .as_str()
            .unwrap()
            .starts_with("dataset card: Contains customer names")),
        "{sensitive:?}"
    );
    assert_eq!(property(support, "aibom:personal-data"), None);
}

fn graph(doc: &Value) -> &Vec<Value> {
    doc["@graph"].as_array().expect("@graph")
}

fn element_by_name<'a>(doc: &'a Value, name: &str) -> &'a Value {
    graph(doc)
        .iter()
        .find(|e| e["name"] == name && e["type"] != "software_File")
        .unwrap_or_else(|| panic!("no element named {name}"))
}

/// `(from name, relationship type, to names)` of every relationship.
fn relationships(doc: &Value) -> Vec<(String, String, Vec<String>)> {
    let name = |id: &Value| -> String {
        graph(doc)
            .iter()
            .find(|e| e["spdxId"] == *id)
            .map(|e| {
                e["name"]
                    .as_str()
                    .or(e["simplelicensing_licenseExpression"].as_str())
                    .unwrap_or("?")
                    .to_owned()
            })
            .unwrap_or_else(|| format!("<dangling {id}>"))
    };
    graph(doc)
        .iter()
        .filter(|e| e["type"] == "Relationship")
        .map(|r| {
            (
                name(&r["from"]),
                r["relationshipType"].as_str().unwrap().to_owned(),
                r["to"].as_array().unwrap().iter().map(name).collect(),
            )
        })
        .collect()
}

#[test]
fn spdx_has_ai_and_dataset_packages_lineage_and_licences() {
    let doc = bom("all-kinds", "spdx");
    assert_eq!(
        doc["@context"],
        "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    );
    let creation = graph(&doc)
        .iter()
        .find(|e| e["type"] == "CreationInfo")
        .unwrap();
    assert_eq!(creation["specVersion"], "3.0.1");
    assert_eq!(creation["created"], "2023-11-14T22:13:20Z");
    let document = graph(&doc)
        .iter()
        .find(|e| e["type"] == "SpdxDocument")
        .unwrap();
    for profile in ["core", "software", "ai", "dataset", "simpleLicensing"] {
        assert!(
            document["profileConformance"]
                .as_array()
                .unwrap()
                .contains(&Value::from(profile))
        );
    }

    let lora = element_by_name(&doc, "help-lora");
    assert_eq!(lora["type"], "ai_AIPackage");
    assert_eq!(lora["software_primaryPurpose"], "model");
    assert_eq!(lora["verifiedUsing"][0]["algorithm"], "sha256");
    assert_eq!(lora["ai_useSensitivePersonalInformation"], "noAssertion");
    let hub = element_by_name(&doc, "meta-llama/Llama-3.1-8B");
    assert_eq!(
        hub["software_packageUrl"],
        "pkg:huggingface/meta-llama/Llama-3.1-8B"
    );
    let chats = element_by_name(&doc, "help-chats");
    assert_eq!(chats["type"], "dataset_DatasetPackage");
    assert_eq!(chats["dataset_datasetType"][0], "text");
    let hub_data = element_by_name(&doc, "acme/support-chats");
    assert_eq!(
        hub_data["dataset_hasSensitivePersonalInformation"],
        "noAssertion"
    );
    assert!(
        hub_data["comment"]
            .as_str()
            .unwrap()
            .contains("personal data: not evaluated")
    );
    let expected = if chats["comment"].as_str().unwrap().contains("privacy scan") {
        "no"
    } else {
        "noAssertion"
    };
    assert_eq!(chats["dataset_hasSensitivePersonalInformation"], expected);

    let rels = relationships(&doc);
    let has = |from: &str, kind: &str, to: &str| {
        rels.iter()
            .any(|(f, k, t)| f == from && k == kind && t.iter().any(|t| t == to))
    };
    assert!(
        has("help-lora", "descendantOf", "meta-llama/Llama-3.1-8B"),
        "{rels:?}"
    );
    assert!(has("help-lora", "trainedOn", "help-chats"), "{rels:?}");
    assert!(
        has("help-blend", "descendantOf", "acme-help-1b"),
        "{rels:?}"
    );
    assert!(
        has("mcp:tickets", "contains", "mcp:tickets/close_ticket"),
        "{rels:?}"
    );
    assert!(
        has("help-lora", "hasDeclaredLicense", "LicenseRef-llama-3.1"),
        "{rels:?}"
    );
    assert!(
        has("help-lora", "hasConcludedLicense", "LicenseRef-llama-3.1"),
        "{rels:?}"
    );
    assert!(
        has("acme-help-1b", "hasDeclaredLicense", "Apache-2.0"),
        "{rels:?}"
    );
    assert!(
        has("help-chats", "hasConcludedLicense", "CC-BY-4.0"),
        "{rels:?}"
    );

    // The Llama notice in the adapter's folder is carried as the custom licence's text.
    let custom = graph(&doc)
        .iter()
        .find(|e| e["type"] == "expandedlicensing_CustomLicense")
        .expect("a custom licence");
    assert_eq!(custom["name"], "Llama 3.1 Community License Agreement");
    assert!(
        custom["simplelicensing_licenseText"]
            .as_str()
            .unwrap()
            .starts_with("Llama 3.1 is licensed under the Llama 3.1 Community License")
    );
    let expression = graph(&doc)
        .iter()
        .find(|e| e["simplelicensing_licenseExpression"] == "LicenseRef-llama-3.1")
        .unwrap();
    assert_eq!(
        expression["simplelicensing_customIdToUri"][0]["value"],
        custom["spdxId"]
    );
}

#[test]
fn spdx_says_yes_when_a_dataset_card_declares_personal_data() {
    let doc = bom("demo", "spdx");
    let support = element_by_name(&doc, "support-chats");
    assert_eq!(support["dataset_hasSensitivePersonalInformation"], "yes");
    let rels = relationships(&doc);
    assert!(
        rels.iter()
            .any(|(f, k, t)| f == "support-lora" && k == "trainedOn" && t == &["support-chats"]),
        "{rels:?}"
    );
}

#[test]
fn two_runs_are_byte_identical_and_ids_come_from_content_not_time() {
    for format in ["cyclonedx", "spdx"] {
        for fixture in ["demo", "all-kinds"] {
            assert_eq!(
                bom_bytes(fixture, format),
                bom_bytes(fixture, format),
                "{fixture} {format}"
            );
        }
    }
    let later = |format: &str| -> Value {
        let out = assert_cmd::Command::cargo_bin("aibom")
            .unwrap()
            .env("SOURCE_DATE_EPOCH", "1800000000")
            .args(["bom", "--no-cache", "--format", format])
            .arg(root().join("fixtures/all-kinds"))
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let (now, then) = (bom("all-kinds", "cyclonedx"), later("cyclonedx"));
    assert_eq!(then["metadata"]["timestamp"], "2027-01-15T08:00:00Z");
    assert_eq!(now["serialNumber"], then["serialNumber"]);
    let serial = now["serialNumber"].as_str().unwrap();
    assert!(
        serial.starts_with("urn:uuid:") && serial.len() == 45,
        "{serial}"
    );
    assert_ne!(
        serial,
        bom("demo", "cyclonedx")["serialNumber"].as_str().unwrap(),
        "different trees, different serial numbers"
    );
    let (now, then) = (bom("all-kinds", "spdx"), later("spdx"));
    assert_eq!(graph(&now)[0]["spdxId"], graph(&then)[0]["spdxId"]);
}

#[test]
fn scan_and_bom_write_both_formats_with_output_format_file() {
    let dir = tempfile::tempdir().unwrap();
    let cdx = dir.path().join("bom.cdx.json");
    let spdx = dir.path().join("bom.spdx.json");
    aibom()
        .arg("scan")
        .arg(root().join("fixtures/all-kinds"))
        .args(["--quiet", "--no-cache"])
        .arg("--output")
        .arg(format!("cyclonedx={}", cdx.display()))
        .arg("--output")
        .arg(format!("spdx={}", spdx.display()))
        .arg("--fail-on=never")
        .assert()
        .success();
    let cdx: Value = serde_json::from_slice(&std::fs::read(&cdx).unwrap()).unwrap();
    assert_eq!(cdx["specVersion"], "1.6");
    let spdx: Value = serde_json::from_slice(&std::fs::read(&spdx).unwrap()).unwrap();
    assert_eq!(
        spdx["@context"],
        "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    );
    // The BOM of a scan is the BOM of `aibom bom`.
    assert_eq!(cdx, bom("all-kinds", "cyclonedx"));
}

/// Runs `tests/validate/<script>` on the files; `Err` with its output when it reports problems.
fn validate(tools: &Path, script: &str, files: &[PathBuf]) -> Result<String, String> {
    let out = Command::new("python3")
        .arg(root().join("tests/validate").join(script))
        .args(files)
        .env("PYTHONPATH", tools.join("py"))
        .output()
        .expect("python3 runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    match out.status.code() {
        Some(0) => Ok(text),
        Some(2) => panic!("{script}: the validator is not installed in {tools:?}: {text}"),
        _ => Err(text),
    }
}

fn write_boms(dir: &Path, format: &str) -> Vec<PathBuf> {
    ["demo", "all-kinds"]
        .iter()
        .map(|fixture| {
            let path = dir.join(format!("{fixture}.{format}.json"));
            std::fs::write(&path, bom_bytes(fixture, format)).unwrap();
            path
        })
        .collect()
}

#[test]
fn official_cyclonedx_validator_accepts_demo_and_all_kinds() {
    let Some(tools) = common::ci_tools("CycloneDX 1.6 validation (cyclonedx-python-lib)") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let files = write_boms(dir.path(), "cyclonedx");
    let report = validate(&tools, "check_cyclonedx.py", &files).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.matches("valid CycloneDX 1.6").count(), 2, "{report}");

    // The validator can fail: an HF licence id where an SPDX id belongs, a dangling reference.
    let mut broken: Value = serde_json::from_slice(&std::fs::read(&files[1]).unwrap()).unwrap();
    let base = broken["components"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["bom-ref"] == "model:models/acme-help-1b")
        .unwrap();
    base["licenses"][0]["license"]["id"] = Value::from("apache-2.0");
    broken["dependencies"][0]["dependsOn"][0] = Value::from("model:nowhere");
    let path = dir.path().join("broken.json");
    std::fs::write(&path, serde_json::to_vec(&broken).unwrap()).unwrap();
    let problems = validate(&tools, "check_cyclonedx.py", &[path]).unwrap_err();
    assert!(problems.contains("licenses"), "{problems}");
    assert!(
        problems.contains("unknown bom-ref: model:nowhere"),
        "{problems}"
    );
}

#[test]
fn official_spdx_model_loads_demo_and_all_kinds_with_every_link_resolved() {
    let Some(tools) = common::ci_tools("SPDX 3.0.1 validation (spdx-python-model)") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let files = write_boms(dir.path(), "spdx");
    let report = validate(&tools, "check_spdx.py", &files).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.matches("valid SPDX 3.0.1").count(), 2, "{report}");

    // The checks can fail: a relationship to nothing, a value outside an enumeration.
    let mut broken: Value = serde_json::from_slice(&std::fs::read(&files[1]).unwrap()).unwrap();
    for element in broken["@graph"].as_array_mut().unwrap() {
        if element["relationshipType"] == "trainedOn" {
            element["to"] = serde_json::json!(["https://example.com/nowhere"]);
        }
    }
    let path = dir.path().join("dangling.json");
    std::fs::write(&path, serde_json::to_vec(&broken).unwrap()).unwrap();
    let problems = validate(&tools, "check_spdx.py", &[path]).unwrap_err();
    assert!(problems.contains("to names no element"), "{problems}");

    for element in broken["@graph"].as_array_mut().unwrap() {
        if element["type"] == "dataset_DatasetPackage" {
            element["dataset_hasSensitivePersonalInformation"] = Value::from("perhaps");
        }
    }
    let path = dir.path().join("enum.json");
    std::fs::write(&path, serde_json::to_vec(&broken).unwrap()).unwrap();
    let problems = validate(&tools, "check_spdx.py", &[path]).unwrap_err();
    assert!(problems.contains("does not load"), "{problems}");
}
