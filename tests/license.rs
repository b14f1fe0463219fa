//! The licence engine: identification of real licence texts, edited texts, look-ups, layering
//! of an organisation's records, and the `aibom licenses` command.

use std::path::{Path, PathBuf};

use aibom::license::{LicenseDb, normalize};

mod common;

fn texts_dir() -> Option<PathBuf> {
    common::license_texts_dir()
}

/// One licence text by file name, or `None` when the texts are not available (see `texts_dir`).
fn text(name: &str) -> Option<String> {
    let path = texts_dir()?.join(name);
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn db() -> LicenseDb {
    LicenseDb::embedded().expect("the built-in database loads")
}

/// The licence texts of `dir` (`*.txt`), sorted; the shared folder holds well over 50.
fn licence_text_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() > 50, "only {} texts", files.len());
    files
}

#[test]
fn every_licence_text_is_identified_as_itself() {
    let db = db();
    let Some(dir) = texts_dir() else { return };
    let files = licence_text_files(&dir);
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read(path).unwrap();
        let normalized = normalize(&String::from_utf8_lossy(&text));
        let owner = db
            .records()
            .iter()
            .find(|r| r.text.as_ref().is_some_and(|t| t.file == name));
        // Texts without a record yet are the data test's concern (tests/license_db.rs).
        let Some(owner) = owner else { continue };
        checked += 1;
        let matches = db.identify_text(&normalized);
        match matches.first() {
            Some(m) if m.record.id == owner.id && !m.modified => {}
            Some(m) => failures.push(format!(
                "{name}: identified as {} (modified: {}), expected {}",
                m.record.id, m.modified, owner.id
            )),
            None => failures.push(format!("{name}: not identified (expected {})", owner.id)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 40, "only {checked} texts have records");
}

#[test]
fn an_edited_llama_text_is_modified_not_the_original() {
    let db = db();
    let Some(text) = text("llama-3.1.txt") else {
        return;
    };
    let edited = text.replacen(
        "2. Additional Commercial Terms.",
        "1.c. The licensee may also relicense the Llama Materials under any terms it likes.\n\n2. Additional Commercial Terms.",
        1,
    );
    assert_ne!(edited, text, "the clause was inserted");
    let matches = db.identify_text(&normalize(&edited));
    let m = matches
        .first()
        .expect("still recognised as a Llama 3.1 text");
    assert_eq!(m.record.id, "llama-3.1");
    assert!(m.modified, "an edited text must not pass as the original");
    assert!(
        m.word_difference.is_some_and(|d| d > 10),
        "{:?}",
        m.word_difference
    );
    let original = db.identify_text(&normalize(&text));
    assert!(!original[0].modified);
}

#[test]
fn lookups_cover_hub_ids_aliases_spdx_and_links() {
    let db = db();
    let id = |v: &str| db.lookup(v).map(|r| r.id.clone());
    assert_eq!(id("llama3.1").as_deref(), Some("llama-3.1"));
    assert_eq!(id("LLAMA3.1").as_deref(), Some("llama-3.1"));
    assert_eq!(id("apache-2.0").as_deref(), Some("apache-2.0"));
    assert_eq!(id("Apache-2.0").as_deref(), Some("apache-2.0"));
    assert_eq!(id("gemma").map(|i| i.starts_with("gemma")), Some(true));
    assert_eq!(id("cc-by-nc-4.0").as_deref(), Some("cc-by-nc-4.0"));
    for (name, expected) in [
        ("MIT License", "mit"),
        ("CC BY 4.0", "cc-by-4.0"),
        ("CC BY-SA 4.0", "cc-by-sa-4.0"),
        ("CC BY-NC-SA 4.0", "cc-by-nc-sa-4.0"),
        (
            "Creative Commons Attribution-NoDerivatives 4.0 International",
            "cc-by-nd-4.0",
        ),
        ("Open Data Commons Attribution License", "odc-by-1.0"),
    ] {
        assert_eq!(id(name).as_deref(), Some(expected), "{name}");
    }
    assert_eq!(id("no-such-licence"), None);
    assert_eq!(
        db.lookup_link("https://www.llama.com/llama3_1/license/")
            .map(|r| r.id.as_str()),
        Some("llama-3.1")
    );
    let both: Vec<&str> = db
        .lookup_expression("MIT OR Apache-2.0")
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(both, vec!["apache-2.0", "mit"]);
}

#[test]
fn hub_ids_of_known_publishers_identify_their_licence() {
    let db = db();
    let id = |hub: &str| aibom::license::analysis::identify_hub_id(&db, hub).map(|r| r.id.clone());
    assert_eq!(id("meta-llama/Llama-3.1-8B").as_deref(), Some("llama-3.1"));
    assert_eq!(id("meta-llama/Meta-Llama-3-8B").as_deref(), Some("llama-3"));
    assert_eq!(id("meta-llama/Llama-2-7b-hf").as_deref(), Some("llama-2"));
    assert_eq!(
        id("meta-llama/Llama-3.2-11B-Vision").as_deref(),
        Some("llama-3.2")
    );
    assert!(id("google/gemma-2-9b").is_some_and(|i| i.starts_with("gemma")));
    assert_eq!(id("google/flan-t5-base"), None);
    assert_eq!(id("acme/Llama-3.1-8B"), None);
}

#[test]
fn an_organisation_record_overrides_and_extends_the_builtin_database() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("acme-internal.toml"),
        "id = \"acme-internal\"\nname = \"Acme Internal Model Licence\"\naliases = [\"acme\"]\n\
         [[fingerprint]]\nall = [\"acme internal model licence\"]\n[commercial]\nstatus = \"forbidden\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("mit.toml"),
        "id = \"mit\"\nname = \"MIT, as Acme reads it\"\n[commercial]\nstatus = \"conditional\"\n",
    )
    .unwrap();
    let db = LicenseDb::with_overlay(dir.path()).unwrap();
    assert_eq!(
        db.get("acme-internal").unwrap().name,
        "Acme Internal Model Licence"
    );
    assert_eq!(db.lookup("ACME").unwrap().id, "acme-internal");
    assert_eq!(db.get("mit").unwrap().name, "MIT, as Acme reads it");
    assert!(db.get("llama-3.1").is_some(), "built-in records stay");
    let found = db.identify_text(&normalize("ACME Internal Model Licence — v1"));
    assert_eq!(found[0].record.id, "acme-internal");
}

#[test]
fn a_broken_record_is_an_error_naming_its_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "id = \"x\"\nname = 3\n").unwrap();
    let e = LicenseDb::from_dir(dir.path()).unwrap_err();
    assert!(e.file.ends_with("bad.toml"), "{e}");
    assert!(e.to_string().contains("line 2"), "{e}");
    std::fs::write(dir.path().join("bad.toml"), "id = \"\"\nname = \"n\"\n").unwrap();
    let e = LicenseDb::from_dir(dir.path()).unwrap_err();
    assert!(e.message.contains("`id` is empty"), "{e}");
}

#[test]
fn licenses_command_lists_and_explains() {
    let out = assert_cmd::Command::cargo_bin("aibom")
        .unwrap()
        .args(["licenses"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    assert!(
        list.contains("llama-3.1") && list.contains("conditional"),
        "{list}"
    );
    let out = assert_cmd::Command::cargo_bin("aibom")
        .unwrap()
        .args(["licenses", "llama-3.1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let terms = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "700M monthly active users",
        "§2",
        "Built with Llama",
        "\"Llama\"",
        "Sources",
    ] {
        assert!(terms.contains(needle), "missing {needle}:\n{terms}");
    }
    let out = assert_cmd::Command::cargo_bin("aibom")
        .unwrap()
        .args(["licenses", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// The issue's acceptance list, on the rule fixtures.
// ---------------------------------------------------------------------------------------------

fn rule_case(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rules")
        .join(case)
}

fn scan_case(case: &str) -> aibom::ScanResult {
    let dir = rule_case(case);
    let mut options = aibom::ScanOptions::new(&dir);
    let config = dir.join("aibom.toml");
    if config.is_file() {
        options.policy = aibom::policy::load(&config).expect("fixture config is valid");
    }
    aibom::scan(options).expect("scan runs")
}

fn messages(case: &str, code: &str) -> Vec<String> {
    scan_case(case)
        .findings
        .into_iter()
        .filter(|f| f.code == code)
        .map(|f| f.message)
        .collect()
}

#[test]
fn a_llama_fine_tune_named_without_the_prefix_is_flagged_and_with_it_is_not() {
    let flagged = messages("LIC007/fail-acme-chat-8b", "LIC007");
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert!(
        flagged[0].contains("\"acme-chat-8b\"") && flagged[0].contains("\"Llama\""),
        "{flagged:?}"
    );
    assert!(messages("LIC007/pass-llama-prefix", "LIC007").is_empty());
    let from_card = messages("LIC007/fail-card-model-index-name", "LIC007");
    assert!(
        from_card.iter().any(|m| m.contains("model-index name")),
        "{from_card:?}"
    );
}

#[test]
fn an_apache_adapter_over_a_llama_base_is_flagged_naming_both_licences() {
    let flagged = messages("LIC009/fail-apache-adapter-on-llama", "LIC009");
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert!(
        flagged[0].contains("apache-2.0") && flagged[0].contains("llama-3.1"),
        "{flagged:?}"
    );
    assert!(messages("LIC009/pass-llama-adapter-on-llama", "LIC009").is_empty());
}

#[test]
fn a_non_commercial_dataset_trained_into_a_commercial_model_is_flagged() {
    let flagged = messages("LIC004/fail-nc-dataset-commercial", "LIC004");
    assert!(
        flagged.iter().any(|m| m.starts_with("model:models/acme")
            && m.contains("cc-by-nc-4.0 (through dataset:data/chats)")),
        "{flagged:?}"
    );
    assert!(messages("LIC004/pass-nc-dataset-research", "LIC004").is_empty());
}

#[test]
fn mau_above_the_llama_threshold_is_flagged_and_below_is_not() {
    let flagged = messages("LIC005/fail-800m-mau-on-llama", "LIC005");
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert!(
        flagged[0].contains("llama-3.1") && flagged[0].contains("§2"),
        "{flagged:?}"
    );
    assert!(messages("LIC005/pass-10m-mau-on-llama", "LIC005").is_empty());
}

#[test]
fn a_gguf_with_no_licence_and_no_card_is_lic001() {
    let flagged = messages("LIC001/fail-gguf-no-licence", "LIC001");
    assert_eq!(
        flagged,
        vec!["quantization:models/acme-q4.gguf has no licence"]
    );
    assert!(messages("LIC001/pass-gguf-licence", "LIC001").is_empty());
}

#[test]
fn a_gemma_derivative_needs_review_for_flow_down() {
    let reviews = messages("LIC010/fail-gemma-flow-down", "LIC010");
    assert!(
        reviews
            .iter()
            .any(|m| m.contains("gemma") && m.contains("must flow down")),
        "{reviews:?}"
    );
}

#[test]
fn an_edited_llama_licence_file_is_not_silently_the_original() {
    let result = scan_case("LIC003/fail-edited-llama-text");
    let flagged: Vec<&String> = result
        .findings
        .iter()
        .filter(|f| f.code == "LIC003")
        .map(|f| &f.message)
        .collect();
    assert!(
        flagged
            .iter()
            .any(|m| m.contains("llama-3.1") && m.contains("edited") && m.contains("+14 words")),
        "{flagged:?}"
    );
    let concluded = result.inventory.components["model:models/acme"]
        .concluded_license
        .as_ref()
        .expect("a conclusion");
    assert_eq!(concluded.status, "modified");
    let unedited = scan_case("LIC003/pass-sources-agree");
    let concluded = conclusion(&unedited);
    assert_eq!(concluded.status, "identified");
    assert_eq!(concluded.licenses, vec!["llama-3.1"]);
    assert!(
        concluded
            .evidence
            .iter()
            .any(|e| e.source == "licence file")
    );
}

/// A dataset `data/<name>` whose card declares `license`, with a corpus file and the licence
/// files `licences` (file name, text).
fn dataset_with(name: &str, license: &str, licences: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").join(name);
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("README.md"),
        format!("---\nlicense: {license}\npretty_name: Acme {name}\n---\n# Acme {name}\n"),
    )
    .unwrap();
    std::fs::write(data.join("train.jsonl"), "{\"text\": \"hello\"}\n").unwrap();
    for (file, text) in licences {
        std::fs::write(data.join(file), text).unwrap();
    }
    dir
}

#[test]
fn a_corpus_under_two_licence_files_has_one_conflict_naming_both() {
    let (Some(mit), Some(cc)) = (text("mit.txt"), text("cc-by-nc-4.0.txt")) else {
        return;
    };
    // Two general licence files: both bind the corpus (a `LICENSE-DATA` would be its licence
    // alone, `licence_files_named_for_data_or_weights_bind_only_that_part`).
    let dir = dataset_with("chats", "mit", &[("LICENSE", &mit), ("COPYING", &cc)]);
    let result = aibom::scan(aibom::ScanOptions::new(dir.path())).unwrap();
    let conflicts: Vec<&String> = result
        .findings
        .iter()
        .filter(|f| f.code == "LIC003" && f.message.contains(" says "))
        .map(|f| &f.message)
        .collect();
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    let help = result
        .findings
        .iter()
        .find(|f| f.code == "LIC003")
        .and_then(|f| f.help.clone())
        .unwrap_or_default();
    assert!(
        help.starts_with("neither source outranks the other, so data/chats/COPYING's licence"),
        "two files of one kind: the help says which is used, not that one is stronger: {help}"
    );
    assert!(
        conflicts[0].contains("licence file data/chats/LICENSE says mit")
            && conflicts[0].contains("licence file data/chats/COPYING says cc-by-nc-4.0"),
        "{conflicts:?}"
    );
    let concluded = result.inventory.components["dataset:data/chats"]
        .concluded_license
        .clone()
        .expect("a conclusion");
    assert_eq!(concluded.status, "conflicting");
}

// ---------------------------------------------------------------------------------------------
// Licence files named for a part: `DATA_LICENSE` binds the data beside it, `WEIGHTS_LICENSE` the
// weights, a plain `LICENSE` what no licence named for its part covers.
// ---------------------------------------------------------------------------------------------

const APACHE_NOTICE: &str = "License: Apache-2.0\n";
const NON_COMMERCIAL_NOTICE: &str = "License: CC BY-NC 4.0\n";

/// A safetensors file with one tensor of two floats.
fn tiny_safetensors() -> Vec<u8> {
    let header = br#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#;
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header);
    bytes.extend_from_slice(&[0; 8]);
    bytes
}

/// The JSON report of a tree of `files` (path, content) used commercially, checked against the
/// schema.
fn scan_commercial_json(files: &[(&str, &[u8])]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    for (rel, content) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    std::fs::write(
        dir.path().join("aibom.toml"),
        "[project]\ncommercial = true\n",
    )
    .unwrap();
    scan_json(dir.path())
}

/// `aibom scan --format json` of `dir` (with its `aibom.toml`, if any), checked against the
/// schema.
fn scan_json(dir: &std::path::Path) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("aibom")
        .unwrap()
        .args([
            "scan",
            "--format",
            "json",
            "--no-cache",
            "--fail-on",
            "never",
        ])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    common::assert_matches_scan_schema(&report);
    report
}

fn component<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report:#}"))
}

/// (code, component) of every finding.
fn finding_codes(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let code = f["code"].as_str().unwrap_or_default().to_owned();
            (code, f["component"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

#[test]
fn licence_files_named_for_data_or_weights_bind_only_that_part() {
    let weights = tiny_safetensors();
    let report = scan_commercial_json(&[
        ("a-data/LICENSE", APACHE_NOTICE.as_bytes()),
        ("a-data/DATA_LICENSE", NON_COMMERCIAL_NOTICE.as_bytes()),
        (
            "a-data/seed_tasks.jsonl",
            b"{\"instruction\": \"Name a colour.\", \"output\": \"Blue.\"}\n",
        ),
        ("a-data/model.safetensors", &weights),
        ("b-weights/LICENSE", APACHE_NOTICE.as_bytes()),
        (
            "b-weights/WEIGHTS_LICENSE",
            NON_COMMERCIAL_NOTICE.as_bytes(),
        ),
        ("b-weights/model.safetensors", &weights),
    ]);
    // (component, licence, the file it is read from, why that file applies)
    for (id, licence, path, why) in [
        (
            "corpus:a-data/seed_tasks.jsonl",
            "cc-by-nc-4.0",
            "a-data/DATA_LICENSE",
            "named for data: binds the datasets and corpora beside it",
        ),
        (
            "model:a-data/model.safetensors",
            "apache-2.0",
            "a-data/LICENSE",
            "the general licence of its directory, as none there is named for weights \
             (DATA_LICENSE is for data)",
        ),
        (
            "model:b-weights/model.safetensors",
            "cc-by-nc-4.0",
            "b-weights/WEIGHTS_LICENSE",
            "named for weights: binds the models, adapters, quantizations and merges beside it",
        ),
    ] {
        let concluded = &component(&report, id)["concluded_license"];
        assert_eq!(concluded["status"], "identified", "{id}: {concluded:#}");
        assert_eq!(concluded["licenses"], serde_json::json!([licence]), "{id}");
        let evidence = concluded["evidence"].as_array().unwrap();
        assert_eq!(
            evidence.len(),
            1,
            "{id}: only one file binds it: {concluded:#}"
        );
        assert_eq!(evidence[0]["path"], path, "{id}");
        assert_eq!(evidence[0]["applies"], why, "{id}");
    }
    let licensed_by: Vec<(&str, &str)> = report["relations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "licensed_by")
        .map(|r| (r["from"].as_str().unwrap(), r["to"].as_str().unwrap()))
        .collect();
    assert_eq!(
        licensed_by,
        [
            (
                "corpus:a-data/seed_tasks.jsonl",
                "licence-document:a-data/DATA_LICENSE"
            ),
            (
                "model:a-data/model.safetensors",
                "licence-document:a-data/LICENSE"
            ),
            (
                "model:b-weights/model.safetensors",
                "licence-document:b-weights/WEIGHTS_LICENSE"
            ),
        ]
    );
    let codes = finding_codes(&report);
    assert!(!codes.iter().any(|(code, _)| code == "LIC003"), "{codes:?}");
    let commercial: Vec<&str> = codes
        .iter()
        .filter(|(code, _)| code == "LIC004")
        .map(|(_, c)| c.as_str())
        .collect();
    assert_eq!(
        commercial,
        [
            "corpus:a-data/seed_tasks.jsonl",
            "model:b-weights/model.safetensors"
        ]
    );
}

#[test]
fn a_licence_named_for_another_part_does_not_bind_and_a_general_one_still_can_conflict() {
    let weights = tiny_safetensors();
    // Only a data licence beside weights: the weights have no licence.
    let report = scan_commercial_json(&[
        ("models/acme/DATA_LICENSE", NON_COMMERCIAL_NOTICE.as_bytes()),
        ("models/acme/model.safetensors", &weights),
    ]);
    let concluded = &component(&report, "model:models/acme/model.safetensors")["concluded_license"];
    assert_eq!(concluded["status"], "none", "{concluded:#}");
    let codes = finding_codes(&report);
    assert!(
        codes.contains(&(
            "LIC001".to_owned(),
            "model:models/acme/model.safetensors".to_owned()
        )),
        "{codes:?}"
    );
    assert!(!codes.iter().any(|(code, _)| code == "LIC004"), "{codes:?}");
    // Two general licences beside a weights licence: the weights licence decides; the general
    // ones still bind the data, and disagree.
    let report = scan_commercial_json(&[
        ("acme/LICENSE", APACHE_NOTICE.as_bytes()),
        ("acme/COPYING", b"License: MIT\n"),
        ("acme/MODEL_LICENSE", NON_COMMERCIAL_NOTICE.as_bytes()),
        ("acme/model.safetensors", &weights),
        ("acme/train.jsonl", b"{\"text\": \"hello\"}\n"),
    ]);
    let model = &component(&report, "model:acme/model.safetensors")["concluded_license"];
    assert_eq!(model["status"], "identified", "{model:#}");
    assert_eq!(model["licenses"], serde_json::json!(["cc-by-nc-4.0"]));
    let data = &component(&report, "corpus:acme/train.jsonl")["concluded_license"];
    assert_eq!(data["status"], "conflicting", "{data:#}");
    let codes = finding_codes(&report);
    let conflicts: Vec<&str> = codes
        .iter()
        .filter(|(code, _)| code == "LIC003")
        .map(|(_, c)| c.as_str())
        .collect();
    assert_eq!(conflicts, ["corpus:acme/train.jsonl"]);
}

// ---------------------------------------------------------------------------------------------
// Replaceable text: a filled-in copyright line is not an edit (SPDX matching guidelines).
// ---------------------------------------------------------------------------------------------

/// `text` with `placeholder` replaced, failing the test when the placeholder is not there.
fn filled_in(text: &str, placeholder: &str, filled: &str) -> String {
    assert!(
        text.contains(placeholder),
        "{placeholder:?} is not in the text"
    );
    text.replacen(placeholder, filled, 1)
}

/// The best match of a text: its record id, whether it is modified, and the word difference.
fn identified(db: &LicenseDb, text: &str) -> (String, bool, Option<i64>) {
    let matches = db.identify_text(&normalize(text));
    let m = matches.first().expect("the text is identified");
    (m.record.id.clone(), m.modified, m.word_difference)
}

#[test]
fn a_filled_in_copyright_line_is_not_an_edit() {
    let db = db();
    let (Some(apache), Some(mit), Some(bsd)) = (
        text("apache-2.0.txt"),
        text("mit.txt"),
        text("bsd-3-clause.txt"),
    ) else {
        return;
    };
    let apache = filled_in(
        &apache,
        "Copyright [yyyy] [name of copyright owner]",
        "Copyright 2023 Acme Research Lab. All rights reserved.",
    );
    assert_eq!(
        identified(&db, &apache),
        ("apache-2.0".to_owned(), false, Some(0))
    );
    let mit = filled_in(
        &mit,
        "MIT License\n\nCopyright (c) <year> <copyright holders>",
        "The MIT License (MIT)\n\n\
         Copyright (c) 2021-2024 Acme Research Lab and example.com contributors",
    );
    assert_eq!(identified(&db, &mit), ("mit".to_owned(), false, Some(0)));
    let bsd = filled_in(
        &bsd,
        "Copyright (c) <year> <owner>.",
        "BSD 3-Clause License\n\nCopyright (c) 2024, Acme Research Lab\nAll rights reserved.",
    );
    assert_eq!(
        identified(&db, &bsd),
        ("bsd-3-clause".to_owned(), false, Some(0))
    );
}

/// Every passage a record marks as replaceable, filled in with another holder's notice, leaves
/// the text its record's canonical text.
#[test]
fn every_replaceable_passage_can_be_filled_in() {
    let db = db();
    let Some(_) = texts_dir() else { return };
    let mut checked = 0;
    let mut failures = Vec::new();
    for r in db.records() {
        let Some(t) = r.text.as_ref().filter(|t| !t.variable.is_empty()) else {
            continue;
        };
        let canonical = normalize(&text(&t.file).expect("the record's text"));
        let mut candidate = canonical.clone();
        for v in &t.variable {
            let original = normalize(&v.original);
            assert!(candidate.contains(&original), "{}: {original:?}", r.id);
            // What precedes the copyright line in the passage (a title) stays.
            let (head, _) = original.split_once("copyright").expect("a copyright line");
            let filled = format!("{head}copyright c 2024 acme research lab");
            candidate = candidate.replacen(&original, &filled, 1);
        }
        assert_ne!(candidate, canonical);
        checked += 1;
        match db.identify_text(&candidate).first() {
            Some(m) if m.record.id == r.id && !m.modified => {}
            Some(m) => failures.push(format!(
                "{}: identified as {} (modified: {})",
                r.id, m.record.id, m.modified
            )),
            None => failures.push(format!("{}: not identified", r.id)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 4, "only {checked} records have replaceable text");
}

#[test]
fn an_edited_clause_is_still_an_edit_when_the_copyright_line_is_filled_in() {
    let db = db();
    let (Some(apache), Some(bsd), Some(mit)) = (
        text("apache-2.0.txt"),
        text("bsd-3-clause.txt"),
        text("mit.txt"),
    ) else {
        return;
    };
    let apache = filled_in(
        &apache,
        "Copyright [yyyy] [name of copyright owner]",
        "Copyright 2023 Acme Research Lab",
    );
    let edited = filled_in(&apache, "royalty-free", "royalty-bearing");
    assert_eq!(
        identified(&db, &edited),
        ("apache-2.0".to_owned(), true, Some(0))
    );
    // A long clause written into the copyright passage is not a copyright line.
    let restriction = "Copyright (c) 2024 Acme Research Lab. ".to_owned()
        + &"No use of this software is permitted for any commercial purpose whatsoever. ".repeat(4);
    let bsd = filled_in(&bsd, "Copyright (c) <year> <owner>.", &restriction);
    let (id, modified, _) = identified(&db, &bsd);
    assert_eq!((id.as_str(), modified), ("bsd-3-clause", true));
    // MIT's size cap keeps appended terms out; an edit within it is an edit, not a notice.
    let mit = filled_in(
        &mit,
        "without restriction",
        "for non-commercial purposes only",
    );
    let (id, modified, _) = identified(&db, &mit);
    assert_eq!((id.as_str(), modified), ("mit", true));
}

#[test]
fn a_filled_in_apache_licence_file_is_identified_not_edited() {
    let Some(apache) = text("apache-2.0.txt") else {
        return;
    };
    let filled = filled_in(
        &apache,
        "Copyright [yyyy] [name of copyright owner]",
        "Copyright 2023 Acme Research Lab",
    );
    let result = scan_card("license: apache-2.0\n", Some(&filled));
    assert_eq!(findings_of(&result, "LIC003"), Vec::<String>::new());
    let concluded = conclusion(&result);
    assert_eq!(concluded.status, "identified");
    assert_eq!(concluded.licenses, ["apache-2.0"]);
}

// ---------------------------------------------------------------------------------------------
// MIT without its title: the title and copyright line are variable (SPDX matching guidelines).
// ---------------------------------------------------------------------------------------------

/// The MIT text with its title and copyright line replaced by `head`.
fn mit_headed(mit: &str, head: &str) -> String {
    filled_in(
        mit,
        "MIT License\n\nCopyright (c) <year> <copyright holders>\n\n",
        head,
    )
}

#[test]
fn an_mit_licence_without_its_title_is_mit() {
    let db = db();
    let Some(mit) = text("mit.txt") else { return };
    for head in [
        "Copyright (c) 2024 Acme Research Lab\n\n",
        "Copyright 2019-2024 example.com contributors. All rights reserved.\n\n",
        "",
    ] {
        assert_eq!(
            identified(&db, &mit_headed(&mit, head)),
            ("mit".to_owned(), false, Some(0)),
            "{head:?}"
        );
    }
}

#[test]
fn other_permissive_texts_are_not_taken_for_mit() {
    let db = db();
    let Some(mit) = text("mit.txt") else { return };
    let untitled = mit_headed(&mit, "Copyright (c) 2024 Acme Research Lab\n\n");
    let best = |text: &str| {
        db.identify_text(&normalize(text))
            .first()
            .map(|m| (m.record.id.clone(), m.modified))
    };
    // MIT-0: the grant without the condition to keep the notice.
    let mit_0 = filled_in(
        &untitled,
        ", subject to the\nfollowing conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial\nportions of the Software.",
        ".",
    );
    assert_eq!(best(&mit_0), None, "MIT-0");
    // An ISC-style grant in place of MIT's.
    let isc = filled_in(
        &untitled,
        "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and",
        "Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted, provided that the above copyright notice and this permission notice appear in all copies. The",
    );
    assert!(best(&isc).is_none_or(|(id, _)| id != "mit"), "ISC-style");
    // X11-style: MIT with a clause added (no use of the holder's name) is MIT edited.
    let x11 = format!(
        "{untitled}\nExcept as contained in this notice, the name of Acme Research Lab shall not be used in \
         advertising or otherwise to promote the sale, use or other dealings in this Software without \
         prior written authorization from Acme Research Lab.\n"
    );
    assert_eq!(best(&x11), Some(("mit".to_owned(), true)), "X11-style");
    // BSD texts stay BSD.
    for (file, id) in [
        ("bsd-2-clause.txt", "bsd-2-clause"),
        ("bsd-3-clause.txt", "bsd-3-clause"),
    ] {
        let bsd = text(file).expect("a BSD text");
        assert_eq!(best(&bsd), Some((id.to_owned(), false)), "{file}");
    }
}

#[test]
fn an_untitled_mit_licence_file_identifies_its_component() {
    let Some(mit) = text("mit.txt") else { return };
    let result = scan_card(
        "",
        Some(&mit_headed(
            &mit,
            "Copyright (c) 2024 Acme Research Lab\n\n",
        )),
    );
    let concluded = conclusion(&result);
    assert_eq!(concluded.status, "identified");
    assert_eq!(concluded.licenses, ["mit"]);
}

// ---------------------------------------------------------------------------------------------
// Text outside the terms: Apache-2.0's appendix, the Creative Commons notices.
// ---------------------------------------------------------------------------------------------

/// `text` up to (not including) `marker`, failing the test when the marker is not there.
fn cut_at(text: &str, marker: &str) -> String {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} is not in the text"));
    text[..at].to_owned()
}

#[test]
fn an_apache_licence_without_its_appendix_is_the_licence() {
    let db = db();
    let Some(apache) = text("apache-2.0.txt") else {
        return;
    };
    let terms = cut_at(&apache, "APPENDIX: How to apply the Apache License");
    let (id, modified, difference) = identified(&db, &terms);
    assert_eq!((id.as_str(), modified), ("apache-2.0", false));
    assert!(difference.is_some_and(|d| d < -100), "{difference:?}");
    // The appendix, present, is compared; so is anything after the terms.
    for edited in [
        filled_in(
            &apache,
            "limitations under the License.",
            "limitations under the License. Not for use by competitors of Acme.",
        ),
        format!("{terms}Acme adds: no commercial use.\n"),
        // Cut short inside the terms.
        cut_at(&apache, "9. Accepting Warranty or Additional Liability."),
        cut_at(&apache, "END OF TERMS AND CONDITIONS"),
        // An edited clause, the appendix left out.
        filled_in(&terms, "royalty-free", "royalty-bearing"),
    ] {
        let (id, modified, _) = identified(&db, &edited);
        assert_eq!(
            (id.as_str(), modified),
            ("apache-2.0", true),
            "{}",
            &edited[edited.len().saturating_sub(200)..]
        );
    }
}

#[test]
fn an_apache_licence_file_without_its_appendix_is_not_reported_edited() {
    let Some(apache) = text("apache-2.0.txt") else {
        return;
    };
    let cut = cut_at(&apache, "APPENDIX: How to apply the Apache License");
    let result = scan_card("license: apache-2.0\n", Some(&cut));
    assert_eq!(findings_of(&result, "LIC003"), Vec::<String>::new());
    let concluded = conclusion(&result);
    assert_eq!(concluded.status, "identified");
    assert_eq!(concluded.licenses, ["apache-2.0"]);
}

#[test]
fn an_apache_licence_that_links_over_https_is_the_licence() {
    let db = db();
    let Some(apache) = text("apache-2.0.txt") else {
        return;
    };
    let http = "http://www.apache.org/licenses/";
    assert_eq!(
        apache.matches(http).count(),
        2,
        "the links the test rewrites"
    );
    let https = apache.replace(http, "https://www.apache.org/licenses/");
    let (id, modified, difference) = identified(&db, &https);
    assert_eq!(
        (id.as_str(), modified, difference),
        ("apache-2.0", false, Some(0))
    );
    let result = scan_card("license: apache-2.0\n", Some(&https));
    assert_eq!(findings_of(&result, "LIC003"), Vec::<String>::new());
    assert_eq!(conclusion(&result).licenses, ["apache-2.0"]);
    // A `www.` prefix is not equivalent to none (SPDX): without it the copy is edited.
    let bare = apache.replacen(http, "http://apache.org/licenses/", 1);
    let (id, modified, _) = identified(&db, &bare);
    assert_eq!((id.as_str(), modified), ("apache-2.0", true));
}

/// A Creative Commons 4.0 text as creativecommons.org's `legalcode.txt` words its notices: the
/// title without "Creative Commons", the wiki links after "More considerations", the sentence
/// dedicating the licence texts to the public domain in the closing notice.
fn as_legalcode_txt(text: &str) -> String {
    let text = text
        .strip_prefix("Creative Commons ")
        .expect("the text starts with its title");
    let (title, rest) = text.split_once('\n').expect("a title line");
    let text = format!(
        "{title}\n\n=======================================================================\n{rest}"
    );
    let text = filled_in(
        &text,
        "More considerations for licensors.",
        "More considerations for licensors:\n\twiki.creativecommons.org/Considerations_for_licensors",
    );
    let text = filled_in(
        &text,
        "More considerations for the public.",
        "More considerations for the public:\n\twiki.creativecommons.org/Considerations_for_licensees",
    );
    filled_in(
        &text,
        "Except for the limited purpose of indicating",
        "The text of the Creative Commons public licenses is dedicated to the public domain under the CC0 Public Domain Dedication. Except for the limited purpose of indicating",
    )
}

#[test]
fn creative_commons_notices_worded_otherwise_or_left_out_are_not_edits() {
    let db = db();
    let Some(_) = texts_dir() else { return };
    let mut checked = 0;
    for id in [
        "cc-by-4.0",
        "cc-by-nc-4.0",
        "cc-by-nc-nd-4.0",
        "cc-by-nc-sa-4.0",
        "cc-by-nd-4.0",
        "cc-by-sa-4.0",
    ] {
        let file = &db.get(id).expect(id).text.as_ref().expect("a text").file;
        let canonical = text(file).expect("the record's text");
        let legalcode = as_legalcode_txt(&canonical);
        let (found, modified, difference) = identified(&db, &legalcode);
        assert_eq!(
            (found.as_str(), modified),
            (id, false),
            "{id} legalcode.txt"
        );
        assert!(difference.is_some_and(|d| d > 25), "{id}: {difference:?}");
        let from = canonical
            .find("By exercising the Licensed Rights")
            .expect("the terms");
        let to = canonical
            .find("Creative Commons is not a party")
            .expect("the notice");
        let terms_only = format!("{}\n", canonical[from..to].trim());
        assert_eq!(identified(&db, &terms_only).0, id);
        assert!(!identified(&db, &terms_only).1, "{id}: the terms alone");
        checked += 1;
    }
    assert_eq!(checked, 6);
}

#[test]
fn an_edit_to_creative_commons_terms_is_still_an_edit() {
    let db = db();
    let Some(canonical) = text("cc-by-nc-4.0.txt") else {
        return;
    };
    let legalcode = as_legalcode_txt(&canonical);
    let edited_terms = filled_in(
        &legalcode,
        "NonCommercial means not primarily intended for or directed towards commercial advantage",
        "NonCommercial means not intended for or directed towards commercial advantage",
    );
    let cut_short = cut_at(&canonical, "Section 8 – Interpretation.");
    let long_preamble = format!(
        "{}{canonical}",
        "Acme adds these terms to the licence below and they bind every user of the data. "
            .repeat(4)
    );
    let long_trailer = format!(
        "{canonical}\n{}",
        "Acme adds these terms to the licence above and they bind every user of the data. "
            .repeat(4)
    );
    for (what, edited) in [
        ("an edited definition", edited_terms),
        ("a text cut short", cut_short),
        ("more than a notice before the terms", long_preamble),
        ("more than a notice after the terms", long_trailer),
    ] {
        let (id, modified, _) = identified(&db, &edited);
        assert_eq!((id.as_str(), modified), ("cc-by-nc-4.0", true), "{what}");
    }
}

// ---------------------------------------------------------------------------------------------
// List markers: `1.`, `(a)`, `i.`, `*` at the start of a line are not words (SPDX matching
// guidelines, bullets and numbering).
// ---------------------------------------------------------------------------------------------

/// `text` with each `(from, to)` replaced once, failing the test when a `from` is not there.
fn remarked(text: &str, replacements: &[(&str, &str)]) -> String {
    replacements
        .iter()
        .fold(text.to_owned(), |text, (from, to)| {
            filled_in(&text, from, to)
        })
}

/// A BSD text with its numbered conditions (`1.`, `2.` …) written with `markers`, in order.
fn bsd_marked(bsd: &str, markers: &[&str]) -> String {
    markers
        .iter()
        .enumerate()
        .fold(bsd.to_owned(), |text, (i, marker)| {
            filled_in(&text, &format!("\n{}. ", i + 1), &format!("\n{marker} "))
        })
}

#[test]
fn bsd_conditions_with_bullets_or_letters_are_the_licence() {
    let db = db();
    let (Some(bsd_3), Some(bsd_2)) = (text("bsd-3-clause.txt"), text("bsd-2-clause.txt")) else {
        return;
    };
    for markers in [
        ["*", "*", "*"],
        ["-", "-", "-"],
        ["•", "•", "•"],
        ["(a)", "(b)", "(c)"],
        ["a.", "b.", "c."],
        ["a)", "b)", "c)"],
        ["i.", "ii.", "iii."],
        ["(1)", "(2)", "(3)"],
        ["  * 1.", "  * 2.", "  * 3."],
    ] {
        assert_eq!(
            identified(&db, &bsd_marked(&bsd_3, &markers)),
            ("bsd-3-clause".to_owned(), false, Some(0)),
            "{markers:?}"
        );
    }
    for markers in [["*", "*"], ["-", "-"], ["(a)", "(b)"], ["I.", "II."]] {
        let bulleted = bsd_marked(&bsd_2, &markers);
        assert_eq!(
            identified(&db, &bulleted),
            ("bsd-2-clause".to_owned(), false, Some(0)),
            "{markers:?}"
        );
    }
}

#[test]
fn a_bulleted_bsd_licence_file_is_identified_not_edited() {
    let Some(bsd) = text("bsd-3-clause.txt") else {
        return;
    };
    let bulleted = filled_in(
        &bsd_marked(&bsd, &["*", "*", "*"]),
        "Copyright (c) <year> <owner>.",
        "BSD 3-Clause License\n\nCopyright (c) 2024, Acme Research Lab\nAll rights reserved.",
    );
    let result = scan_card("license: bsd-3-clause\n", Some(&bulleted));
    assert_eq!(findings_of(&result, "LIC003"), Vec::<String>::new());
    let concluded = conclusion(&result);
    assert_eq!(
        (concluded.status, concluded.licenses.clone()),
        ("identified", vec!["bsd-3-clause".to_owned()])
    );
}

#[test]
fn an_edited_condition_is_an_edit_whatever_its_marker() {
    let db = db();
    let Some(bsd) = text("bsd-3-clause.txt") else {
        return;
    };
    let bulleted = bsd_marked(&bsd, &["*", "*", "*"]);
    for edited in [
        filled_in(&bulleted, "must retain the above", "may retain the above"),
        filled_in(
            &bulleted,
            "without specific prior written",
            "without prior written",
        ),
        // A condition left out is not a marker.
        filled_in(
            &bulleted,
            "* Redistributions in binary form must reproduce",
            "* Redistributions in binary form need not reproduce",
        ),
    ] {
        let (id, modified, _) = identified(&db, &edited);
        assert_eq!((id.as_str(), modified), ("bsd-3-clause", true));
    }
}

/// CC BY 4.0 with Section 6 numbered `1.`–`5.` and its reinstatement cases `(i)`, `(ii)`, where
/// the licence letters them `a.`–`e.` and numbers them `1.`, `2.`.
fn cc_by_section_6_renumbered(cc: &str) -> String {
    remarked(
        cc,
        &[
            (
                "a.\tThis Public License applies for the term",
                "1.\tThis Public License applies for the term",
            ),
            ("b.\tWhere Your right to use", "2.\tWhere Your right to use"),
            (
                "1. automatically as of the date",
                "(i) automatically as of the date",
            ),
            (
                "2. upon express reinstatement",
                "(ii) upon express reinstatement",
            ),
            (
                "c.\tFor the avoidance of doubt, this Section 6(b)",
                "3.\tFor the avoidance of doubt, this Section 6(b)",
            ),
            (
                "d.\tFor the avoidance of doubt, the Licensor may",
                "4.\tFor the avoidance of doubt, the Licensor may",
            ),
            (
                "e.\tSections 1, 5, 6, 7, and 8 survive",
                "5.\tSections 1, 5, 6, 7, and 8 survive",
            ),
        ],
    )
}

#[test]
fn a_creative_commons_section_lettered_otherwise_is_the_licence() {
    let db = db();
    let Some(cc) = text("cc-by-4.0.txt") else {
        return;
    };
    let renumbered = cc_by_section_6_renumbered(&cc);
    assert_eq!(
        identified(&db, &renumbered),
        ("cc-by-4.0".to_owned(), false, Some(0))
    );
    // Through the terms alone too (the notices worded as legalcode.txt words them).
    let (id, modified, _) = identified(&db, &as_legalcode_txt(&renumbered));
    assert_eq!((id.as_str(), modified), ("cc-by-4.0", false));
    // References inside the text are words: "Section 6(a)" changed is an edit.
    let edited = filled_in(
        &renumbered,
        "terminated under Section 6(a)",
        "terminated under Section 6(c)",
    );
    let (id, modified, _) = identified(&db, &edited);
    assert_eq!((id.as_str(), modified), ("cc-by-4.0", true));
}

/// `text` with every line longer than `width` wrapped at spaces, the lines it continues on
/// indented four more, as an editor reflows a licence.
fn wrapped(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let indent = &line[..line.len() - line.trim_start().len()];
        let mut current = indent.to_owned();
        for word in line.split_whitespace() {
            let started = !current.trim().is_empty();
            if started && current.chars().count() + 1 + word.chars().count() > width {
                out.push_str(&current);
                out.push('\n');
                current = format!("{indent}    ");
            } else if started {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

#[test]
fn a_line_that_continues_a_sentence_keeps_its_first_token() {
    let db = db();
    let Some(cc) = text("cc-by-4.0.txt") else {
        return;
    };
    // As creativecommons.org's legalcode.txt wraps Section 2(a)(4).
    let reference = "For purposes of this Public License, simply making modifications authorized by \
                     this Section 2(a)(4) never produces";
    let legalcode_wrap = "For purposes of this Public License,\n          simply making modifications \
                          authorized by this Section 2(a)\n          (4) never produces";
    let wrapped_there = filled_in(&cc, reference, legalcode_wrap);
    assert_eq!(
        identified(&db, &wrapped_there),
        ("cc-by-4.0".to_owned(), false, Some(0))
    );
    let edited = filled_in(&cc, reference, &legalcode_wrap.replace("(4)", "(5)"));
    let (id, modified, _) = identified(&db, &edited);
    assert_eq!((id.as_str(), modified), ("cc-by-4.0", true));
}

#[test]
fn licences_wrapped_at_other_widths_are_the_licence() {
    let db = db();
    let Some(bsd) = text("bsd-3-clause.txt") else {
        return;
    };
    let bulleted_bsd = bsd_marked(&bsd, &["*", "*", "*"]);
    let mut checked = 0;
    for (id, licence) in [
        ("apache-2.0", text("apache-2.0.txt").expect("a text")),
        ("bsd-3-clause", bulleted_bsd),
        ("cc-by-4.0", text("cc-by-4.0.txt").expect("a text")),
        ("gpl-3.0", text("gpl-3.0-only.txt").expect("a text")),
        ("llama-3.1", text("llama-3.1.txt").expect("a text")),
    ] {
        for width in [60, 72, 80] {
            let (found, modified, _) = identified(&db, &wrapped(&licence, width));
            assert_eq!((found.as_str(), modified), (id, false), "{id} at {width}");
            checked += 1;
        }
    }
    assert_eq!(checked, 15);
}

#[test]
fn a_llama_licence_lettered_otherwise_is_the_licence() {
    let db = db();
    let Some(llama) = text("llama-3.1.txt") else {
        return;
    };
    let relettered = remarked(
        &llama,
        &[
            ("    a. Grant of Rights.", "    (a) Grant of Rights."),
            (
                "    b. Redistribution and Use.",
                "    (b) Redistribution and Use.",
            ),
            (
                "          i. If you distribute",
                "          - If you distribute",
            ),
            (
                "          ii.\u{a0}If you receive",
                "          -\u{a0}If you receive",
            ),
        ],
    );
    assert_eq!(
        identified(&db, &relettered),
        ("llama-3.1".to_owned(), false, Some(0))
    );
}

// ---------------------------------------------------------------------------------------------
// An unrecognised licence file is named by its title (LIC002).
// ---------------------------------------------------------------------------------------------

/// What LIC002 says about a model whose only licence evidence is a `LICENSE` with `licence`.
fn unrecognised_licence_finding(licence: &str) -> String {
    let result = scan_card("license: other\n", Some(licence));
    let unresolved = findings_of(&result, "LIC002");
    assert_eq!(unresolved.len(), 1, "{unresolved:?}");
    unresolved[0].clone()
}

#[test]
fn an_unrecognised_licence_file_is_named_by_its_title() {
    let titled = "Copyright (c) 2024 Acme Research Lab. All rights reserved.\n\n\
                  ACME RESEARCH MODEL LICENSE AGREEMENT\n\n\
                  1. You may use the weights for research at example.com only.\n";
    assert_eq!(
        unrecognised_licence_finding(titled),
        "model:models/acme declares the licence `ACME RESEARCH MODEL LICENSE AGREEMENT` \
         (licence file), which is not in the licence database"
    );
}

#[test]
fn an_untitled_licence_file_is_named_by_its_first_sentence_clipped() {
    let untitled = "Acme Research Lab grants every researcher who agrees to these conditions the\n\
                    right to use, copy and study the released weights for non-commercial research\n\
                    only. Any other use needs a written agreement with Acme.\n";
    let finding = unrecognised_licence_finding(untitled);
    assert_eq!(
        finding,
        "model:models/acme declares the licence `Acme Research Lab grants every researcher who \
         agrees to these conditions the right to use, copy and…` (licence file), which is not in \
         the licence database"
    );
}

#[test]
fn a_licence_file_without_words_is_named_by_its_file_name() {
    for empty in ["", " \n\t\n\n"] {
        assert_eq!(
            unrecognised_licence_finding(empty),
            "model:models/acme declares the licence `LICENSE` (licence file), which is not in the \
             licence database",
            "{empty:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Licence notices: short licence files that name licences instead of stating one.
// ---------------------------------------------------------------------------------------------

/// A dataset `data/acme-qa` whose card declares `license: other`, with a `LICENSE` of `licence`.
fn dataset_with_licence(licence: &str) -> tempfile::TempDir {
    dataset_with("acme-qa", "other", &[("LICENSE", licence)])
}

/// The dataset's conclusion and LIC002 messages, from `aibom scan --format json`.
fn scan_dataset_json(licence: &str) -> (serde_json::Value, Vec<String>) {
    let dir = dataset_with_licence(licence);
    let report = scan_json(dir.path());
    let concluded = report["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "dataset:data/acme-qa")
        .expect("the dataset is a component")["concluded_license"]
        .clone();
    let unresolved = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "LIC002")
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    (concluded, unresolved)
}

#[test]
fn a_notice_naming_two_licences_binds_the_dataset_by_both() {
    let notice = "Acme QA:\n\
                  MIT License: https://opensource.org/license/mit/\n\
                  Source: https://github.com/acme/qa\n\n\
                  Acme crawl:\n\
                  ODC-BY License: https://opendatacommons.org/licenses/by/\n\
                  Source: https://example.com/acme-crawl\n";
    let (concluded, unresolved) = scan_dataset_json(notice);
    assert_eq!(concluded["status"], "identified", "{concluded:#}");
    assert_eq!(
        concluded["licenses"],
        serde_json::json!(["mit", "odc-by-1.0"])
    );
    let evidence = &concluded["evidence"][0];
    assert_eq!(evidence["source"], "licence notice");
    assert_eq!(evidence["path"], "data/acme-qa/LICENSE");
    assert_eq!(evidence["note"], "notice naming 2 licences");
    assert_eq!(evidence.get("unresolved"), None, "{evidence:#}");
    assert_eq!(unresolved, Vec::<String>::new());
    // A card that names another licence disagrees with all of them.
    let card = dataset_with("acme-qa", "apache-2.0", &[("LICENSE", notice)]);
    let result = aibom::scan(aibom::ScanOptions::new(card.path())).unwrap();
    assert_eq!(
        findings_of(&result, "LIC003"),
        [
            "dataset:data/acme-qa: licence notice data/acme-qa/LICENSE says mit AND odc-by-1.0 but \
          card license says apache-2.0"
        ]
    );
}

#[test]
fn licences_a_notice_names_by_name_or_link_are_resolved() {
    for (line, expected) in [
        (
            "License: Creative Commons Attribution 4.0 International License \
             https://creativecommons.org/licenses/by/4.0/legalcode.txt",
            vec!["cc-by-4.0"],
        ),
        ("License: CC BY-SA 4.0", vec!["cc-by-sa-4.0"]),
        ("Licence: MIT, Apache-2.0", vec!["apache-2.0", "mit"]),
        (
            "* **License**: [ODC-BY](https://opendatacommons.org/licenses/by/)",
            vec!["odc-by-1.0"],
        ),
        (
            "Released under https://creativecommons.org/licenses/by-nc/4.0/ by Acme.",
            vec!["cc-by-nc-4.0"],
        ),
    ] {
        let result = aibom::scan(aibom::ScanOptions::new(
            dataset_with_licence(&format!("Acme QA\n\n{line}\n")).path(),
        ))
        .unwrap();
        let concluded = result.inventory.components["dataset:data/acme-qa"]
            .concluded_license
            .as_ref()
            .unwrap();
        assert_eq!(concluded.licenses, expected, "{line}");
        assert_eq!(
            findings_of(&result, "LIC002"),
            Vec::<String>::new(),
            "{line}"
        );
    }
}

#[test]
fn a_notice_that_states_its_licence_in_a_sentence_names_it() {
    let concluded_of = |text: &str| {
        let result =
            aibom::scan(aibom::ScanOptions::new(dataset_with_licence(text).path())).unwrap();
        let licences = result.inventory.components["dataset:data/acme-qa"]
            .concluded_license
            .as_ref()
            .map(|c| c.licenses.clone())
            .unwrap_or_default();
        (licences, findings_of(&result, "LIC002").len())
    };
    for (text, expected) in [
        (
            "This dataset is licensed under CC BY 4.0.\n",
            vec!["cc-by-4.0"],
        ),
        (
            "# Acme QA Dataset License\n\nCopyright 2025 Acme Corp.\n\nThe Acme QA data is released \
             under the Creative Commons Attribution-ShareAlike 4.0 International License \
             (https://creativecommons.org/licenses/by-sa/4.0/).\n",
            vec!["cc-by-sa-4.0"],
        ),
        (
            "Acme QA\n\nThe questions are made available under the terms of the MIT License, \
             see the notice below.\n",
            vec!["mit"],
        ),
    ] {
        let (licences, unknown) = concluded_of(text);
        assert_eq!(licences, expected, "{text}");
        assert_eq!(unknown, 0, "{text}");
    }
    // A sentence that adds a term, or a name the database does not know, leaves the file an
    // unknown licence to review.
    for text in [
        "Acme QA Licence\n\nThis dataset is licensed under CC BY 4.0.\nIt may not be used to \
         train commercial models.\n",
        "Acme QA Licence\n\nLicensed under CC BY 4.0\nNo commercial use\n",
        "Acme QA Licence\n\nThis dataset is licensed under the terms set out below.\n",
    ] {
        let (licences, unknown) = concluded_of(text);
        assert_eq!((licences.len(), unknown), (0, 1), "{text}: {licences:?}");
    }
}

#[test]
fn a_notice_that_adds_terms_to_the_licences_it_names_is_lic002_at_the_terms() {
    let text = "Acme Model Licence\n\nLicense: MIT\nSource: https://example.com/acme\n\n\
                You may not use the model for military purposes.\n";
    let result = aibom::scan(aibom::ScanOptions::new(dataset_with_licence(text).path())).unwrap();
    let concluded = result.inventory.components["dataset:data/acme-qa"]
        .concluded_license
        .as_ref()
        .unwrap();
    assert_eq!(concluded.licenses, ["mit"]);
    let terms: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.code == "LIC002")
        .map(|f| {
            (
                f.message.as_str(),
                f.location.as_ref().and_then(|l| l.span).map(|s| s.line),
            )
        })
        .collect();
    assert_eq!(
        terms,
        [(
            "dataset:data/acme-qa: the licence notice data/acme-qa/LICENSE names mit but states terms \
             of its own from line 6, which no licence record covers",
            Some(6)
        )]
    );
    // The JSON report, valid against its schema, points at the line.
    let (concluded, _) = scan_dataset_json(text);
    assert_eq!(concluded["evidence"][0]["adds_terms"]["line"], 6);
    // The same notice without the sentence is MIT alone.
    let plain = text.replace("You may not use the model for military purposes.\n", "");
    let result = aibom::scan(aibom::ScanOptions::new(dataset_with_licence(&plain).path())).unwrap();
    assert_eq!(findings_of(&result, "LIC002"), Vec::<String>::new());
}

#[test]
fn a_short_custom_licence_based_on_a_known_one_is_not_that_licence() {
    let text = "Acme Data Licence\n\nBased on https://opensource.org/licenses/MIT, except that \
                the data may not be used commercially.\n";
    let result = aibom::scan(aibom::ScanOptions::new(dataset_with_licence(text).path())).unwrap();
    let concluded = &result.inventory.components["dataset:data/acme-qa"].concluded_license;
    assert!(
        concluded.as_ref().is_none_or(|c| c.licenses.is_empty()),
        "{concluded:?}"
    );
    assert_eq!(findings_of(&result, "LIC002").len(), 1);
}

#[test]
fn what_a_notice_names_that_the_database_does_not_know_is_lic002() {
    let notice = "Acme QA:\n\
                  MIT License: https://opensource.org/license/mit/\n\n\
                  Acme ballots:\n\
                  License: Public Domain\n\
                  Source: https://example.com/ballots\n\n\
                  Acme wiki dump:\n\
                  License: Creative Commons Attribution-ShareAlike 3.0 Unported License (CC BY-SA): \
                  https://example.com/wiki/CC-BY-SA-3.0 and the GNU Free Documentation License (GFDL): \
                  https://example.com/wiki/GFDL\n";
    let (concluded, unresolved) = scan_dataset_json(notice);
    assert_eq!(concluded["licenses"], serde_json::json!(["mit"]));
    assert_eq!(
        concluded["evidence"][0]["unresolved"],
        serde_json::json!([
            "Public Domain",
            "Creative Commons Attribution-ShareAlike 3.0 Unported License (CC BY-SA)",
            "GNU Free Documentation License (GFDL)"
        ])
    );
    assert_eq!(
        concluded["evidence"][0]["note"],
        "notice naming 4 licences; not in the licence database: `Public Domain`, `Creative Commons \
         Attribution-ShareAlike 3.0 Unported License (CC BY-SA)`, `GNU Free Documentation License (GFDL)`"
    );
    let named = |name: &str| {
        format!(
            "dataset:data/acme-qa: the licence notice data/acme-qa/LICENSE names `{name}`, which is \
             not in the licence database"
        )
    };
    assert_eq!(
        unresolved,
        [
            named("Creative Commons Attribution-ShareAlike 3.0 Unported License (CC BY-SA)"),
            named("GNU Free Documentation License (GFDL)"),
            named("Public Domain"),
        ]
    );
    // Alone, an unknown name is the only thing reported: once, by its name.
    let (concluded, unresolved) = scan_dataset_json("Acme ballots\n\nLicense: Public Domain\n");
    assert_eq!(concluded["status"], "unrecognised");
    assert_eq!(unresolved, [named("Public Domain")]);
}

#[test]
fn custom_terms_that_name_no_licence_are_still_an_unknown_licence() {
    let custom = "Acme Research Licence\n\n\
                  Grant of License: Acme grants you the right to use the dataset for research. \
                  Write to https://example.com/acme/contact for any other use.\n";
    let result = aibom::scan(aibom::ScanOptions::new(dataset_with_licence(custom).path())).unwrap();
    assert_eq!(
        findings_of(&result, "LIC002"),
        [
            "dataset:data/acme-qa declares the licence `Acme Research Licence` (licence file), which \
          is not in the licence database"
        ]
    );
}

#[test]
fn a_licence_text_a_fingerprint_identifies_is_not_read_as_a_notice() {
    let (Some(apache), Some(mit)) = (text("apache-2.0.txt"), text("mit.txt")) else {
        return;
    };
    let result = scan_card("license: other\n", Some(&apache));
    let concluded = conclusion(&result);
    assert_eq!(concluded.licenses, ["apache-2.0"]);
    assert_eq!(
        (
            concluded.evidence[0].source.as_str(),
            &concluded.evidence[0].note
        ),
        ("licence file", &None)
    );
    // A short text too: MIT with a link to another licence appended is MIT, edited.
    let linked = format!("{mit}\nLicense: https://creativecommons.org/licenses/by/4.0/\n");
    let result = scan_card("license: other\n", Some(&linked));
    let concluded = conclusion(&result);
    assert_eq!(
        (concluded.status, concluded.licenses.clone()),
        ("modified", vec!["mit".to_owned()])
    );
    assert!(
        concluded
            .evidence
            .iter()
            .all(|e| e.source == "licence file"),
        "{concluded:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Licences named by URL.
// ---------------------------------------------------------------------------------------------

#[test]
fn licence_urls_resolve_in_their_equivalent_forms() {
    let db = db();
    let id = |url: &str| db.lookup_link(url).map(|r| r.id.clone());
    for (url, expected) in [
        (
            "https://creativecommons.org/licenses/by/4.0/legalcode",
            "cc-by-4.0",
        ),
        ("https://creativecommons.org/licenses/by/4.0/", "cc-by-4.0"),
        ("https://creativecommons.org/licenses/by/4.0", "cc-by-4.0"),
        (
            "http://www.creativecommons.org/licenses/by/4.0/",
            "cc-by-4.0",
        ),
        (
            "https://creativecommons.org/licenses/by/4.0/deed.en",
            "cc-by-4.0",
        ),
        (
            "https://creativecommons.org/licenses/by-nc/4.0/deed.de",
            "cc-by-nc-4.0",
        ),
        (
            "https://creativecommons.org/licenses/by-nc-sa/4.0/legalcode.en",
            "cc-by-nc-sa-4.0",
        ),
        (
            "https://creativecommons.org/publicdomain/zero/1.0/",
            "cc0-1.0",
        ),
        (
            "https://choosealicense.com/licenses/apache-2.0/",
            "apache-2.0",
        ),
        ("https://choosealicense.com/licenses/mit", "mit"),
        ("https://opensource.org/licenses/Apache-2.0", "apache-2.0"),
        ("https://opensource.org/license/apache-2-0", "apache-2.0"),
        (
            "https://opensource.org/licenses/BSD-3-Clause",
            "bsd-3-clause",
        ),
        (
            "https://spdx.org/licenses/CC-BY-SA-4.0.html",
            "cc-by-sa-4.0",
        ),
        ("https://spdx.org/licenses/MIT", "mit"),
        (
            "https://www.apache.org/licenses/LICENSE-2.0.txt",
            "apache-2.0",
        ),
        ("https://www.gnu.org/licenses/gpl-3.0.txt", "gpl-3.0"),
        ("https://opensource.org/license/mit/", "mit"),
        ("https://opendatacommons.org/licenses/by/", "odc-by-1.0"),
        ("https://opendatacommons.org/licenses/by/1-0/", "odc-by-1.0"),
        ("https://opendatacommons.org/licenses/odbl/", "odbl-1.0"),
        ("https://opendatacommons.org/licenses/pddl/", "pddl-1.0"),
    ] {
        assert_eq!(id(url).as_deref(), Some(expected), "{url}");
    }
    for url in [
        "https://creativecommons.org/licenses/by/3.0/",
        "https://choosealicense.com/licenses/",
        "https://choosealicense.com/licenses/no-such-licence/",
        "https://example.com/licenses/mit",
    ] {
        assert_eq!(id(url), None, "{url}");
    }
}

#[test]
fn a_link_several_licences_share_names_none_of_them_alone() {
    let db = db();
    let shared: Vec<&str> = db
        .lookup_link_shared("https://falconllm.tii.ae/")
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(
        shared,
        [
            "falcon-180b-tii-1.0",
            "falcon-2-11b-tii-1.0",
            "falcon-3-tii",
            "falcon-llm-tii-1.0"
        ],
        "the licences, not the use policies that share the link"
    );
    assert_eq!(
        db.lookup_link("https://falconllm.tii.ae")
            .map(|r| r.id.clone()),
        None
    );
    // A longer link of one record under it is that record's.
    assert_eq!(
        db.lookup_link("https://huggingface.co/tiiuae/falcon-180B/blob/main/LICENSE.txt")
            .map(|r| r.id.as_str()),
        Some("falcon-180b-tii-1.0")
    );
}

/// Scan one model whose card has `front_matter` (and a `LICENSE` with `licence` when given).
fn scan_card(front_matter: &str, licence: Option<&str>) -> aibom::ScanResult {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("models/acme");
    std::fs::create_dir_all(&model).unwrap();
    std::fs::write(
        model.join("README.md"),
        format!("---\n{front_matter}pipeline_tag: text-generation\n---\n# Acme\n"),
    )
    .unwrap();
    if let Some(text) = licence {
        std::fs::write(model.join("LICENSE"), text).unwrap();
    }
    aibom::scan(aibom::ScanOptions::new(dir.path())).unwrap()
}

fn findings_of(result: &aibom::ScanResult, code: &str) -> Vec<String> {
    result
        .findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.message.clone())
        .collect()
}

/// The licence concluded for the model `scan_card` writes (`models/acme`).
fn conclusion(result: &aibom::ScanResult) -> &aibom::license::ConcludedLicense {
    result.inventory.components["model:models/acme"]
        .concluded_license
        .as_ref()
        .expect("a conclusion")
}

#[test]
fn a_shared_licence_link_is_settled_by_the_other_evidence_or_reported() {
    let link = "license_link: https://falconllm.tii.ae/\n";
    // The licence name picks one of the licences at the link: no conflict.
    let named = scan_card(
        &format!("license: other\nlicense_name: falcon-3-license\n{link}"),
        None,
    );
    let concluded = conclusion(&named);
    assert_eq!(
        (concluded.status, concluded.licenses.clone()),
        ("identified", vec!["falcon-3-tii".to_owned()])
    );
    let from_link = concluded
        .evidence
        .iter()
        .find(|e| e.source == "card license_link")
        .expect("the link is evidence");
    assert_eq!(from_link.licenses, ["falcon-3-tii"]);
    assert!(
        from_link
            .note
            .as_deref()
            .is_some_and(|n| n.contains("card license_name names falcon-3-tii")),
        "{from_link:?}"
    );
    assert!(
        findings_of(&named, "LIC003").is_empty(),
        "{:?}",
        findings_of(&named, "LIC003")
    );
    assert!(
        findings_of(&named, "LIC002").is_empty(),
        "{:?}",
        findings_of(&named, "LIC002")
    );
    // So does a licence text.
    let text = scan_card(
        &format!("license: other\n{link}"),
        Some("Falcon 180B TII License Version 1.0\n\nInvented terms for a test.\n"),
    );
    let concluded = conclusion(&text);
    assert_eq!(concluded.licenses, ["falcon-180b-tii-1.0"]);
    assert!(
        findings_of(&text, "LIC003").is_empty(),
        "{:?}",
        findings_of(&text, "LIC003")
    );
    // Alone, the link names none of them, and says so.
    let alone = scan_card(&format!("license: other\n{link}"), None);
    let concluded = conclusion(&alone);
    assert!(concluded.licenses.is_empty(), "{concluded:?}");
    let unresolved = findings_of(&alone, "LIC002");
    assert_eq!(unresolved.len(), 1, "{unresolved:?}");
    assert!(
        unresolved[0].contains("falcon-3-tii") && unresolved[0].contains("nothing else says which"),
        "{unresolved:?}"
    );
    // A licence that is not at the link does not settle it: the sources disagree.
    let other = scan_card(&format!("license: apache-2.0\n{link}"), None);
    let concluded = conclusion(&other);
    assert_eq!(concluded.licenses, ["apache-2.0"]);
    assert_eq!(findings_of(&other, "LIC002").len(), 1);
}

#[test]
fn a_card_licence_link_in_another_form_is_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("models/acme");
    std::fs::create_dir_all(&model).unwrap();
    std::fs::write(
        model.join("README.md"),
        "---\nlicense: other\nlicense_link: https://creativecommons.org/licenses/by-nc/4.0/\n\
         pipeline_tag: text-generation\n---\n# Acme\n",
    )
    .unwrap();
    let result = aibom::scan(aibom::ScanOptions::new(dir.path())).unwrap();
    let concluded = conclusion(&result);
    assert_eq!(concluded.licenses, vec!["cc-by-nc-4.0"]);
}

#[test]
fn external_parents_are_identified_from_the_reference_or_unresolved() {
    let result = scan_case("LIC009/fail-apache-adapter-on-llama");
    let base = &result.inventory.components["model:hub/meta-llama/Llama-3.1-8B"];
    let concluded = base.concluded_license.as_ref().unwrap();
    assert_eq!(concluded.licenses, vec!["llama-3.1"]);
    assert_eq!(concluded.evidence[0].source, "hub id publisher and name");
    let adapter = &result.inventory.components["adapter:adapters/acme-lora"];
    let concluded = adapter.concluded_license.as_ref().unwrap();
    assert_eq!(concluded.licenses, vec!["apache-2.0"]);
    assert_eq!(
        concluded.commercial, "conditional",
        "the strictest status wins"
    );
    assert!(concluded.inherited.iter().any(|i| i.license == "llama-3.1"));

    let unresolved = messages("LIC002/fail-unknown-parent", "LIC002");
    assert!(
        unresolved.iter().any(|m| m.contains("acme/secret-base")),
        "{unresolved:?}"
    );
}

#[test]
fn attribution_is_checked_in_the_declared_files() {
    let flagged = messages("LIC006/fail-no-built-with-llama", "LIC006");
    assert!(
        flagged
            .iter()
            .any(|m| m.contains("Built with Llama") && m.contains("ABOUT.md")),
        "{flagged:?}"
    );
    assert!(messages("LIC006/pass-built-with-llama", "LIC006").is_empty());
    let copy = messages("LIC006/fail-no-licence-copy", "LIC006");
    assert_eq!(
        copy,
        vec!["model:models/acme is redistributed without a copy of llama-3.1 [§1.b.i]"]
    );
}

#[test]
fn json_output_carries_the_concluded_licence() {
    let out = assert_cmd::Command::cargo_bin("aibom")
        .unwrap()
        .args(["bom", "--format", "json", "--no-cache"])
        .arg(rule_case("LIC009/fail-apache-adapter-on-llama"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let concluded = &json["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "adapter:adapters/acme-lora")
        .unwrap()["concluded_license"];
    assert_eq!(concluded["licenses"][0], "apache-2.0");
    assert_eq!(concluded["inherited"][0]["license"], "llama-3.1");
}

// ---------------------------------------------------------------------------------------------
// `[project]` and `[licenses]` in aibom.toml.
// ---------------------------------------------------------------------------------------------

#[test]
fn an_unknown_licence_in_allow_is_an_error_at_its_line_and_column() {
    let e = aibom::policy::load_str(
        "[licenses]\nallow = [\"mit\", \"acme-nope\"]\n",
        "t.toml",
        None,
    )
    .unwrap_err();
    assert!(
        e.message.contains("unknown licence `acme-nope`"),
        "{}",
        e.message
    );
    assert_eq!(e.line_column(), Some((2, 17)));
}

#[test]
fn a_malformed_review_date_is_an_error_at_its_line_and_column() {
    let config = "[licenses]\n[[licenses.clarify]]\npath = \"LICENSE\"\nsha256 = \"".to_owned()
        + &"a".repeat(64)
        + "\"\nlicense = \"mit\"\nreason = \"read by legal\"\nreviewed = \"2026-02-30\"\n";
    let e = aibom::policy::load_str(&config, "t.toml", None).unwrap_err();
    assert!(
        e.message.contains("`reviewed` must be a date"),
        "{}",
        e.message
    );
    assert_eq!(e.line_column(), Some((7, 12)));
}

#[test]
fn project_and_licenses_are_validated_and_evaluated() {
    let policy = aibom::policy::load_str(
        "[project]\ncommercial = true\nmonthly_active_users = 5\nattribution_files = [\"NOTICE\"]\n\
         [licenses]\nallow = [\"Apache-2.0\", \"llama3.1\"]\ndeny = [\"cc-by-nc-4.0\"]\nlicense_review_max_age_days = 365\n",
        "t.toml",
        None,
    )
    .unwrap();
    let project = policy.project.as_ref().unwrap();
    assert_eq!(project.commercial, Some(true));
    assert_eq!(project.monthly_active_users, Some(5.0));
    assert_eq!(policy.licenses.allow, vec!["apache-2.0", "llama-3.1"]);
    assert_eq!(policy.licenses.review_max_age_days, Some(365));
    assert!(
        !policy
            .not_evaluated
            .iter()
            .any(|t| t == "project" || t == "licenses")
    );

    let e = aibom::policy::load_str("[project]\ncomercial = true\n", "t.toml", None).unwrap_err();
    assert_eq!(e.line_column().map(|(l, _)| l), Some(2));
    let e = aibom::policy::load_str("[project]\nmonthly_active_users = -1\n", "t.toml", None)
        .unwrap_err();
    assert_eq!(e.line_column(), Some((2, 24)));
}

#[test]
fn a_licence_from_an_organisation_database_can_be_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let db_dir = dir.path().join("db");
    std::fs::create_dir(&db_dir).unwrap();
    std::fs::write(
        db_dir.join("acme-internal.toml"),
        "id = \"acme-internal\"\nname = \"Acme Internal\"\n[commercial]\nstatus = \"allowed\"\n",
    )
    .unwrap();
    let config = dir.path().join("aibom.toml");
    std::fs::write(&config, "[licenses]\nallow = [\"acme-internal\"]\n").unwrap();
    assert!(
        aibom::policy::load(&config).is_err(),
        "unknown without the organisation's records"
    );
    let db = LicenseDb::with_overlay(&db_dir).unwrap();
    let policy = aibom::policy::config::load_with_license_db(&config, db).unwrap();
    assert_eq!(policy.licenses.allow, vec!["acme-internal"]);
}

#[test]
fn a_clarification_pins_the_conclusion_and_goes_stale_with_age() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("models/acme");
    std::fs::create_dir_all(&model).unwrap();
    std::fs::write(
        model.join("README.md"),
        "---\npipeline_tag: text-generation\n---\n",
    )
    .unwrap();
    let text = b"Acme Model Licence\n\nUse it for anything.\n";
    std::fs::write(model.join("LICENSE"), text).unwrap();
    let sha = aibom::license::db::sha256_bytes_hex(text);
    let config = format!(
        "[licenses]\nlicense_review_max_age_days = 30\n[[licenses.clarify]]\npath = \"models/acme/LICENSE\"\n\
         sha256 = \"{sha}\"\nlicense = \"mit\"\nreason = \"Acme legal: equivalent to MIT (LEGAL-7)\"\nreviewed = 2020-01-01\n"
    );
    let mut options = aibom::ScanOptions::new(dir.path());
    options.policy = aibom::policy::load_str(&config, "aibom.toml", None).unwrap();
    let result = aibom::scan(options).unwrap();
    let concluded = result.inventory.components["model:models/acme"]
        .concluded_license
        .clone()
        .unwrap();
    assert_eq!(concluded.licenses, vec!["mit"]);
    assert_eq!(concluded.evidence[0].source, "clarify");
    let lic011: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.code == "LIC011")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(lic011.len(), 1, "{lic011:?}");
    assert!(lic011[0].contains("reviewed 2020-01-01"), "{lic011:?}");
    assert!(
        !result.findings.iter().any(|f| f.code == "LIC002"),
        "the clarification settles it"
    );
}

// ---------------------------------------------------------------------------------------------
// `--hf-cache`: external parents resolved from a local Hugging Face cache.
// ---------------------------------------------------------------------------------------------

/// A cache holding `acme/secret-base` at one commit, with a card and a licence file.
fn fake_hf_cache(card: &str, licence: &str) -> tempfile::TempDir {
    fake_hf_cache_with(card, "LICENSE", licence)
}

/// `fake_hf_cache`, with the licence file named `licence_name`.
fn fake_hf_cache_with(card: &str, licence_name: &str, licence: &str) -> tempfile::TempDir {
    let cache = tempfile::tempdir().unwrap();
    let repo = cache.path().join("models--acme--secret-base");
    let commit = "0123456789abcdef0123456789abcdef01234567";
    std::fs::create_dir_all(repo.join("refs")).unwrap();
    std::fs::create_dir_all(repo.join("blobs")).unwrap();
    std::fs::create_dir_all(repo.join("snapshots").join(commit)).unwrap();
    std::fs::write(repo.join("refs/main"), commit).unwrap();
    for (name, blob, text) in [
        (
            "README.md",
            "1111111111111111111111111111111111111111",
            card,
        ),
        (
            licence_name,
            "2222222222222222222222222222222222222222",
            licence,
        ),
    ] {
        std::fs::write(repo.join("blobs").join(blob), text).unwrap();
        std::os::unix::fs::symlink(
            format!("../../blobs/{blob}"),
            repo.join("snapshots").join(commit).join(name),
        )
        .unwrap();
    }
    cache
}

#[test]
fn an_external_parent_is_resolved_from_a_local_hf_cache() {
    let Some(mit) = text("mit.txt") else { return };
    let cache = fake_hf_cache("---\nlicense: mit\n---\n# Secret base\n", &mit);
    let dir = rule_case("LIC002/fail-unknown-parent");

    let without = aibom::scan(aibom::ScanOptions::new(&dir)).unwrap();
    assert!(without.findings.iter().any(|f| f.code == "LIC002"));

    let mut options = aibom::ScanOptions::new(&dir);
    options.hf_cache = Some(cache.path().to_owned());
    let with = aibom::scan(options).unwrap();
    assert!(
        !with.findings.iter().any(|f| f.code == "LIC002"),
        "{:#?}",
        with.findings
    );
    let parent = with.inventory.components["model:hub/acme/secret-base"]
        .concluded_license
        .clone()
        .unwrap();
    assert_eq!(parent.licenses, vec!["mit"]);
    let sources: Vec<&str> = parent.evidence.iter().map(|e| e.source.as_str()).collect();
    assert_eq!(
        sources,
        vec!["hf cache licence file", "hf cache card license"]
    );
}

/// The licence concluded for `acme/secret-base`, the external parent of the rule case
/// `LIC002/fail-unknown-parent`, from `cache`.
fn cached_parent_licence(cache: &tempfile::TempDir) -> aibom::license::ConcludedLicense {
    let mut options = aibom::ScanOptions::new(rule_case("LIC002/fail-unknown-parent"));
    options.hf_cache = Some(cache.path().to_owned());
    let with = aibom::scan(options).unwrap();
    with.inventory.components["model:hub/acme/secret-base"]
        .concluded_license
        .clone()
        .unwrap()
}

#[test]
fn a_cached_licence_notice_resolves_an_external_parent() {
    let cache = fake_hf_cache(
        "---\npipeline_tag: text-generation\n---\n",
        "Acme secret base\n\nLicense: CC BY 4.0\nLicense: Acme Community Terms\n",
    );
    let parent = cached_parent_licence(&cache);
    assert_eq!(parent.licenses, ["cc-by-4.0"]);
    assert_eq!(parent.evidence[0].source, "hf cache licence notice");
    assert_eq!(parent.evidence[0].unresolved, ["Acme Community Terms"]);
}

#[test]
fn a_cached_licence_file_with_a_prefixed_name_is_read() {
    let Some(mit) = text("mit.txt") else { return };
    let cache = fake_hf_cache_with(
        "---\npipeline_tag: text-generation\n---\n",
        "WEIGHT_DIFF_LICENSE",
        &mit,
    );
    let parent = cached_parent_licence(&cache);
    assert_eq!(parent.licenses, vec!["mit"]);
    let paths: Vec<&str> = parent
        .evidence
        .iter()
        .filter_map(|e| e.path.as_deref())
        .collect();
    assert!(
        paths.iter().all(|p| p.ends_with("/WEIGHT_DIFF_LICENSE")),
        "{paths:?}"
    );
}

#[test]
fn a_cached_llama_parent_binds_its_derivative() {
    let Some(llama) = text("llama-3.1.txt") else {
        return;
    };
    let cache = fake_hf_cache("---\nlicense: llama3.1\n---\n", &llama);
    let out = assert_cmd::Command::cargo_bin("aibom")
        .unwrap()
        .args(["scan", "--no-cache", "--format", "json"])
        .arg(format!("--hf-cache={}", cache.path().display()))
        .arg(rule_case("LIC002/fail-unknown-parent"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"LIC009"),
        "mit over a Llama base: {codes:?}"
    );
    assert!(!codes.contains(&"LIC002"), "{codes:?}");
}

#[test]
fn a_clarification_can_pin_a_weight_file() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("data");
    std::fs::create_dir_all(&corpus).unwrap();
    let rows = b"{\"q\": \"Where is my order?\"}\n";
    std::fs::write(corpus.join("train.jsonl"), rows).unwrap();
    let sha = aibom::license::db::sha256_bytes_hex(rows);
    let config = format!(
        "[[licenses.clarify]]\npath = \"data/train.jsonl\"\nsha256 = \"{sha}\"\nlicense = \"cc0-1.0\"\n\
         reason = \"written by Acme staff (DATA-3)\"\nreviewed = 2026-01-15\n"
    );
    let mut options = aibom::ScanOptions::new(dir.path());
    options.policy = aibom::policy::load_str(&config, "aibom.toml", None).unwrap();
    let result = aibom::scan(options).unwrap();
    let concluded = result.inventory.components["corpus:data/train.jsonl"]
        .concluded_license
        .clone()
        .unwrap();
    assert_eq!(concluded.licenses, vec!["cc0-1.0"]);
    assert!(!result.findings.iter().any(|f| f.code == "LIC001"));
}

// ---------------------------------------------------------------------------------------------
// `--online`: a local server that answers like the Hub (never the real one).
// ---------------------------------------------------------------------------------------------

/// Serve `routes` (path → body) on 127.0.0.1; every request's head is recorded.
fn fake_hub(
    routes: Vec<(String, String)>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
            log.lock().unwrap().push(head);
            let (status, body) = match routes.iter().find(|(p, _)| *p == path) {
                Some((_, body)) => ("200 OK", body.clone()),
                None => ("404 Not Found", "{}".to_owned()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, seen)
}

#[test]
fn online_asks_the_hub_at_hf_endpoint_with_hf_token() {
    let Some(llama) = text("llama-3.1.txt") else {
        return;
    };
    let info = serde_json::json!({
        "id": "acme/secret-base",
        "sha": "abc123",
        "cardData": { "license": "llama3.1" },
        "siblings": [{ "rfilename": "LICENSE" }, { "rfilename": "model.safetensors" }]
    });
    let (url, seen) = fake_hub(vec![
        ("/api/models/acme/secret-base".to_owned(), info.to_string()),
        ("/acme/secret-base/resolve/abc123/LICENSE".to_owned(), llama),
    ]);
    let out = assert_cmd::Command::cargo_bin("aibom")
        .unwrap()
        .args(["scan", "--no-cache", "--format", "json", "--online"])
        .arg(rule_case("LIC002/fail-unknown-parent"))
        .env("HF_ENDPOINT", &url)
        .env("HF_TOKEN", "hf_test_token_123")
        .env_remove("HF_HUB_CACHE")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.contains("hf_test_token_123"),
        "the token is never printed"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let parent = json["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "model:hub/acme/secret-base")
        .unwrap();
    assert_eq!(parent["concluded_license"]["licenses"][0], "llama-3.1");
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"LIC009") && !codes.contains(&"LIC002"),
        "{codes:?}"
    );
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 2, "{requests:?}");
    for head in &requests {
        assert!(
            head.to_ascii_lowercase()
                .contains("authorization: bearer hf_test_token_123"),
            "{head}"
        );
    }
}

#[test]
fn online_licence_files_named_for_data_do_not_bind_an_external_model() {
    let info = serde_json::json!({
        "id": "acme/secret-base",
        "sha": "abc123",
        "siblings": [
            { "rfilename": "DATA_LICENSE" },
            { "rfilename": "LICENSE" },
            { "rfilename": "WEIGHTS_LICENSE" },
            { "rfilename": "model.safetensors" }
        ]
    });
    let resolve = |name: &str| format!("/acme/secret-base/resolve/abc123/{name}");
    let (url, _) = fake_hub(vec![
        ("/api/models/acme/secret-base".to_owned(), info.to_string()),
        (
            resolve("DATA_LICENSE"),
            "License: CC BY-SA 4.0\n".to_owned(),
        ),
        (resolve("LICENSE"), APACHE_NOTICE.to_owned()),
        (resolve("WEIGHTS_LICENSE"), NON_COMMERCIAL_NOTICE.to_owned()),
    ]);
    let out = assert_cmd::Command::cargo_bin("aibom")
        .unwrap()
        .args(["scan", "--no-cache", "--format", "json", "--online"])
        .arg(rule_case("LIC002/fail-unknown-parent"))
        .env("HF_ENDPOINT", &url)
        .env_remove("HF_TOKEN")
        .env_remove("HF_HUB_CACHE")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let concluded = &component(&json, "model:hub/acme/secret-base")["concluded_license"];
    assert_eq!(concluded["status"], "identified", "{concluded:#}");
    assert_eq!(concluded["licenses"], serde_json::json!(["cc-by-nc-4.0"]));
    let evidence = concluded["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 1, "{concluded:#}");
    assert_eq!(
        evidence[0]["path"],
        "acme/secret-base@abc123/WEIGHTS_LICENSE"
    );
}

#[test]
fn without_online_nothing_is_asked() {
    let (url, seen) = fake_hub(Vec::new());
    let out = assert_cmd::Command::cargo_bin("aibom")
        .unwrap()
        .args(["scan", "--no-cache", "--format", "json"])
        .arg(rule_case("LIC002/fail-unknown-parent"))
        .env("HF_ENDPOINT", &url)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("LIC002"));
    assert!(seen.lock().unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Scope statements: what a licence file's text says it covers narrows what its name says.
// ---------------------------------------------------------------------------------------------

#[test]
fn no_real_licence_text_states_a_scope() {
    let Some(dir) = texts_dir() else { return };
    let files = licence_text_files(&dir);
    let stated: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
            aibom::license::statement::read(&text).map(|s| {
                format!(
                    "{}: {:?} ({:?})",
                    path.file_name().unwrap().to_string_lossy(),
                    s.covers,
                    s.quote
                )
            })
        })
        .collect();
    assert!(
        stated.is_empty(),
        "licence bodies must state no scope:\n{}",
        stated.join("\n")
    );
}

/// `head`, a blank line, then the real licence text `name`; `None` without the texts.
fn headed(head: &str, name: &str) -> Option<String> {
    Some(format!("{head}\n\n{}", text(name)?))
}

#[test]
fn a_preamble_over_a_real_licence_narrows_it_and_the_body_is_still_the_licence() {
    let db = db();
    for (head, name, covers, licence) in [
        (
            "The source code in this repository is licensed under the Apache License 2.0. The \
             model weights are licensed under the Acme Model License, see MODEL_LICENSE.",
            "apache-2.0.txt",
            "[Code]",
            "apache-2.0",
        ),
        (
            "This license applies to the code only; the weights are released under the Acme \
             Model License.",
            "mit.txt",
            "[Code]",
            "mit",
        ),
        (
            "The model weights in this repository are licensed under the license below.",
            "llama-3.1.txt",
            "[Weights]",
            "llama-3.1",
        ),
    ] {
        let Some(text) = headed(head, name) else {
            return;
        };
        let s = aibom::license::statement::read(&text)
            .unwrap_or_else(|| panic!("{name}: no statement read from {head:?}"));
        assert_eq!(format!("{:?}", s.covers), covers, "{name}");
        let body = normalize(&text[s.body_start..]);
        let m = db.identify_text(&body);
        assert_eq!(
            m.first().map(|m| m.record.id.as_str()),
            Some(licence),
            "{name}"
        );
        assert!(!m[0].modified, "{name}: the preamble is not an edit");
    }
}

const APACHE_CODE_ONLY_HEAD: &str = "The source code in this repository is licensed under the \
    Apache License 2.0. The model weights are licensed under the Acme Model License, see \
    MODEL_LICENSE.\n\n";

/// A LICENSE whose preamble limits it to code, over the head of an Apache-2.0 body (its title is
/// what the preamble's `Apache License 2.0` is matched against).
fn code_only_licence() -> String {
    format!(
        "{APACHE_CODE_ONLY_HEAD}Apache License\nVersion 2.0, January 2004\n\nTERMS AND CONDITIONS\n"
    )
}

#[test]
fn weights_beside_a_licence_for_code_only_have_no_licence() {
    let weights = tiny_safetensors();
    let licence = code_only_licence();
    let report = scan_commercial_json(&[
        ("LICENSE", licence.as_bytes()),
        ("model.safetensors", &weights),
    ]);
    let concluded = &component(&report, "model:model.safetensors")["concluded_license"];
    assert_eq!(concluded["status"], "none", "{concluded:#}");
    let relations: Vec<&serde_json::Value> = report["relations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "licensed_by")
        .collect();
    assert!(relations.is_empty(), "{relations:?}");
    let document = &component(&report, "licence-document:LICENSE")["properties"];
    assert_eq!(
        document["covers"],
        serde_json::json!(["code"]),
        "{document:#}"
    );
    assert_eq!(
        document["scope_statement"],
        "The source code in this repository is licensed under the Apache License 2.0"
    );
    let lic001: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "LIC001")
        .collect();
    assert_eq!(lic001.len(), 1, "{report:#}");
    let help = lic001[0]["help"].as_str().unwrap();
    assert!(
        help.starts_with(
            "the repository's LICENSE covers only code (\"The source code in this repository is \
             licensed under the Apache License 2.0\"); it says the weights are under the Acme \
             Model License, see MODEL_LICENSE:"
        ),
        "{help}"
    );
    // A card that declares the weights' licence settles it.
    let report = scan_commercial_json(&[
        ("LICENSE", licence.as_bytes()),
        ("model.safetensors", &weights),
        ("README.md", b"---\nlicense: cc-by-nc-4.0\n---\n# Acme\n"),
    ]);
    let concluded = &component(&report, "model:.")["concluded_license"];
    assert_eq!(
        concluded["licenses"],
        serde_json::json!(["cc-by-nc-4.0"]),
        "{concluded:#}"
    );
    let codes = finding_codes(&report);
    assert!(
        !codes.iter().any(|(c, _)| c == "LIC001" || c == "LIC003"),
        "{codes:?}"
    );
    assert!(codes.iter().any(|(c, _)| c == "LIC004"), "{codes:?}");
}

#[test]
fn a_licence_whose_text_is_for_the_weights_binds_them_and_says_why() {
    let weights = tiny_safetensors();
    let report = scan_commercial_json(&[
        (
            "acme/LICENSE",
            b"The model weights in this repository are licensed under the license below.\n\n\
              License: CC BY-NC 4.0\n",
        ),
        ("acme/model.safetensors", &weights),
        ("acme/train.jsonl", b"{\"text\": \"hello\"}\n"),
    ]);
    let model = &component(&report, "model:acme/model.safetensors")["concluded_license"];
    assert_eq!(
        model["licenses"],
        serde_json::json!(["cc-by-nc-4.0"]),
        "{model:#}"
    );
    assert_eq!(
        model["evidence"][0]["applies"],
        "its text says it is for weights: binds the models, adapters, quantizations and merges \
         beside it (\"The model weights in this repository are licensed under the license below\")"
    );
    // The data beside it is not the weights.
    let data = &component(&report, "corpus:acme/train.jsonl")["concluded_license"];
    assert_eq!(data["status"], "none", "{data:#}");
}

#[test]
fn a_licence_split_by_part_binds_each_part_by_its_section() {
    let weights = tiny_safetensors();
    let report = scan_commercial_json(&[
        (
            "acme/LICENSE",
            b"# Licenses\n\n## Code: MIT\n\nThe code may be used by anyone.\n\n\
              ## Model weights: CC-BY-NC-4.0\n\nFor non-commercial use only.\n",
        ),
        ("acme/model.safetensors", &weights),
    ]);
    let model = &component(&report, "model:acme/model.safetensors")["concluded_license"];
    assert_eq!(
        model["licenses"],
        serde_json::json!(["cc-by-nc-4.0"]),
        "{model:#}"
    );
    let evidence = model["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 1, "{model:#}");
    assert_eq!(evidence[0]["source"], "licence file section");
    assert_eq!(evidence[0]["value"], "Model weights: CC-BY-NC-4.0");
    assert_eq!(
        evidence[0]["applies"],
        "its section \"Model weights: CC-BY-NC-4.0\" is for weights: binds the models, adapters, \
         quantizations and merges beside it"
    );
    let codes = finding_codes(&report);
    assert!(!codes.iter().any(|(c, _)| c == "LIC003"), "{codes:?}");
    assert!(
        codes.contains(&(
            "LIC004".to_owned(),
            "model:acme/model.safetensors".to_owned()
        )),
        "{codes:?}"
    );
    // Labelled lines split a notice the same way.
    let report = scan_commercial_json(&[
        (
            "acme/LICENSE",
            b"Code license: Apache-2.0\nWeights license: CC-BY-NC-4.0\n",
        ),
        ("acme/model.safetensors", &weights),
    ]);
    let model = &component(&report, "model:acme/model.safetensors")["concluded_license"];
    assert_eq!(
        model["licenses"],
        serde_json::json!(["cc-by-nc-4.0"]),
        "{model:#}"
    );
}
