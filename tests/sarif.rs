//! SARIF output: structure (levels, rule indexes, fingerprints, anchoring of binary findings,
//! suppressions, the result cap) and conformance — the official SARIF 2.1.0 JSON schema
//! (check-jsonschema) and GitHub's ingestion rules (`sarif-multitool validate --rule-kind Gh`),
//! both installed by `.ci/run` into `.ci/tools` and found through `AIBOM_CI_TOOLS`.

use std::path::{Path, PathBuf};
use std::process::Command;

use aibom::report::sarif::{self, FINGERPRINT_KEY};
use aibom::rules::registry::RULES;
use aibom::{ScanOptions, ScanResult, scan};
use serde_json::Value;

mod common;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scan_with(dir: &Path, config: &str) -> ScanResult {
    let mut options = ScanOptions::new(dir);
    options.policy = aibom::policy::load_str(config, "aibom.toml", None).expect("valid config");
    scan(options).expect("scan runs")
}

/// The demo with one finding of each severity and one suppressed by an exception.
const MIXED_CONFIG: &str = r#"
[rules]
BOM002 = "note"

[[exception]]
rule = "BOM002"
component = "model:models/vision-onnx/model.onnx"
reason = "vendored ONNX export, provenance recorded in the release notes"
"#;

fn demo() -> ScanResult {
    scan_with(&root().join("fixtures/demo"), "")
}

fn mixed() -> ScanResult {
    scan_with(&root().join("fixtures/demo"), MIXED_CONFIG)
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

fn rules(log: &Value) -> &Vec<Value> {
    log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
}

#[test]
fn every_registered_rule_is_described_with_full_metadata() {
    let log = sarif::render_log(&demo(), sarif::MAX_RESULTS);
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["$schema"], sarif::SCHEMA_URI);
    let described = rules(&log);
    assert_eq!(described.len(), RULES.len());
    for (rule, meta) in described.iter().zip(RULES.iter().map(|r| r.meta())) {
        assert_eq!(rule["id"], meta.code);
        assert_eq!(rule["name"], meta.name);
        assert_eq!(rule["shortDescription"]["text"], meta.summary);
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(!full.is_empty() && full.len() <= 1024, "{}", meta.code);
        assert!(
            rule["help"]["text"]
                .as_str()
                .unwrap()
                .contains(meta.doc.why.trim())
        );
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("### How to fix or suppress")
        );
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            meta.default_severity.as_str()
        );
        let tags: Vec<&str> = rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(tags.contains(&"security"), meta.security, "{}", meta.code);
        assert_eq!(
            rule["properties"]["security-severity"].is_string(),
            meta.security,
            "{}: security-severity only on security rules",
            meta.code
        );
    }
}

#[test]
fn results_carry_level_rule_index_fingerprint_and_a_region() {
    let result = mixed();
    let log = sarif::render_log(&result, sarif::MAX_RESULTS);
    let results = results(&log);
    let rules = rules(&log);
    assert_eq!(
        results.len(),
        result.findings.len() + result.suppressed.len()
    );
    let levels: Vec<&str> = results
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    for level in ["error", "warning", "note"] {
        assert!(levels.contains(&level), "no {level} result in {levels:?}");
    }
    let mut sorted = levels.clone();
    sorted.sort_by_key(|l| ["error", "warning", "note"].iter().position(|x| x == l));
    assert_eq!(levels, sorted, "results are sorted by severity");
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let fingerprint = r["partialFingerprints"][FINGERPRINT_KEY].as_str().unwrap();
        let finding = result
            .findings
            .iter()
            .chain(result.suppressed.iter().map(|s| &s.finding))
            .find(|f| f.fingerprint == fingerprint)
            .expect("the fingerprint is a finding's");
        assert_eq!(r["ruleId"], finding.code);
        assert_eq!(r["level"], finding.severity.as_str());
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains(":"), "{uri}");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "external");
    assert!(
        suppressed[0]["suppressions"][0]["justification"]
            .as_str()
            .unwrap()
            .contains("vendored ONNX export")
    );
}

#[test]
fn text_findings_keep_their_line() {
    let log = sarif::render_log(&demo(), sarif::MAX_RESULTS);
    let remote = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "MOD004")
        .expect("the demo has remote code");
    let location = &remote["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"], "fixtures/demo/models/remote-code-model/config.json",
        "URIs are relative to the repository, not to the scanned directory"
    );
    assert_eq!(location["region"]["startLine"], 6);
    assert_eq!(location["region"]["startColumn"], 3);
}

#[test]
fn findings_on_binary_weights_are_anchored_on_the_model_card() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("models/classifier");
    std::fs::create_dir_all(&model).unwrap();
    std::fs::copy(
        root().join("fixtures/rules/MOD001/fail-global-posix-system/model.pkl"),
        model.join("model.pkl"),
    )
    .unwrap();
    std::fs::write(
        model.join("README.md"),
        "---\nlicense: apache-2.0\npipeline_tag: text-classification\n---\n# Classifier\n",
    )
    .unwrap();
    let result = scan_with(dir.path(), "");
    let log = sarif::render_log(&result, sarif::MAX_RESULTS);
    let pickle = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "MOD001")
        .expect("MOD001 fires");
    let location = &pickle["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "models/classifier/README.md"
    );
    assert_eq!(location["region"]["startLine"], 1);
    assert_eq!(
        pickle["properties"]["about"], "models/classifier/model.pkl",
        "the result still says which file it is about"
    );

    // With no text artefact next to it, the weights file itself at line 1.
    let log = sarif::render_log(&demo(), sarif::MAX_RESULTS);
    let bare = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "MOD001")
        .expect("the demo has a malicious pickle");
    let location = &bare["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "fixtures/demo/models/legacy-classifier/classifier.pt"
    );
    assert_eq!(location["region"]["startLine"], 1);
}

#[test]
fn findings_on_a_model_folder_are_anchored_on_a_file_in_it() {
    // Components of several files (or of a config alone) have a folder as their path; code
    // scanning cannot anchor a result there.
    let dir = tempfile::tempdir().unwrap();
    let adapter = dir.path().join("experiments/acme-lora");
    std::fs::create_dir_all(&adapter).unwrap();
    std::fs::write(
        adapter.join("adapter_config.json"),
        r#"{"peft_type": "LORA", "base_model_name_or_path": null, "r": 8}"#,
    )
    .unwrap();
    let model = dir.path().join("models/acme-7b");
    std::fs::create_dir_all(&model).unwrap();
    let shards = root().join("fixtures/rules/BOM003/pass-complete");
    for name in [
        "model-00001-of-00003.safetensors",
        "model-00002-of-00003.safetensors",
        "model-00003-of-00003.safetensors",
        "model.safetensors.index.json",
    ] {
        std::fs::copy(shards.join(name), model.join(name)).unwrap();
    }
    let result = scan_with(dir.path(), "");
    let log = sarif::render_log(&result, sarif::MAX_RESULTS);
    let found = results(&log);
    let about_folders: Vec<&Value> = found
        .iter()
        .filter(|r| {
            r["properties"]["about"]
                .as_str()
                .is_some_and(|about| dir.path().join(about).is_dir())
        })
        .collect();
    assert!(
        about_folders.len() >= 2,
        "findings about both folders (LIC001 at least): {found:#?}"
    );
    for r in found {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("a URI");
        assert!(
            dir.path().join(uri).is_file(),
            "{} is anchored on {uri}, which is not a file",
            r["ruleId"]
        );
    }
    let uris: Vec<&str> = about_folders
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        uris.contains(&"experiments/acme-lora/adapter_config.json"),
        "{uris:?}"
    );
    assert!(
        uris.contains(&"models/acme-7b/model.safetensors.index.json"),
        "{uris:?}"
    );
}

#[test]
fn results_beyond_the_cap_are_dropped_least_severe_first_and_counted() {
    let result = mixed();
    let total = result.findings.len() + result.suppressed.len();
    let log = sarif::render_log(&result, 2);
    let kept = results(&log);
    assert_eq!(kept.len(), 2);
    assert_eq!(kept[0]["level"], "error");
    let properties = &log["runs"][0]["properties"];
    assert_eq!(properties["resultsDropped"], total - 2);
    assert_eq!(properties["resultsTotal"], total);
    let uncapped = sarif::render_log(&result, sarif::MAX_RESULTS);
    assert!(uncapped["runs"][0].get("properties").is_none());
}

#[test]
fn output_is_deterministic_and_names_the_category() {
    let a = serde_json::to_string(&sarif::render_log(&mixed(), sarif::MAX_RESULTS)).unwrap();
    let b = serde_json::to_string(&sarif::render_log(&mixed(), sarif::MAX_RESULTS)).unwrap();
    assert_eq!(a, b);
    assert_eq!(sarif::automation_id(Path::new(".")), "aibom/");
    assert_eq!(
        sarif::automation_id(Path::new("./models/")),
        "aibom/models/"
    );
    assert_eq!(sarif::uri_of("models/a b/ü.pt"), "models/a%20b/%C3%BC.pt");
}

#[test]
fn the_cli_writes_sarif_to_stdout_and_to_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.sarif");
    let output = Command::new(env!("CARGO_BIN_EXE_aibom"))
        .current_dir(root())
        .env("AIBOM_CACHE_DIR", dir.path().join("cache"))
        .args(["scan", "fixtures/demo", "--format", "sarif", "--output"])
        .arg(format!("sarif={}", file.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "the demo has an error");
    assert_eq!(output.stdout, std::fs::read(&file).unwrap());
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        log["runs"][0]["automationDetails"]["id"],
        "aibom/fixtures/demo/"
    );
    let bom = Command::new(env!("CARGO_BIN_EXE_aibom"))
        .current_dir(root())
        .env("AIBOM_CACHE_DIR", dir.path().join("cache"))
        .args(["bom", "fixtures/demo", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(
        bom.status.code(),
        Some(2),
        "SARIF is for findings, not `bom`"
    );
}

fn validate(tools: &Path, sarif_path: &Path) {
    let schema =
        tools.join("node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    let output = Command::new(tools.join("py/bin/check-jsonschema"))
        .env("PYTHONPATH", tools.join("py"))
        .arg("--regex-variant")
        .arg("python")
        .arg("--schemafile")
        .arg(&schema)
        .arg(sarif_path)
        .output()
        .expect("check-jsonschema runs");
    assert!(
        output.status.success(),
        "{} does not match the SARIF 2.1.0 schema:\n{}{}",
        sarif_path.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    let report = sarif_path.with_extension("validation.sarif");
    let output =
        Command::new(tools.join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"))
            .arg("validate")
            .arg(sarif_path)
            .args(["--rule-kind", "Gh", "--level", "Error;Warning;Note"])
            .arg("--output")
            .arg(&report)
            .args(["--log", "ForceOverwrite"])
            .output()
            .expect("sarif-multitool runs");
    assert!(
        output.status.success(),
        "sarif-multitool failed:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let problems: Vec<String> = report["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| format!("{} {}: {}", r["ruleId"], r["level"], r["message"]))
        .collect();
    assert!(
        problems.is_empty(),
        "{} breaks GitHub's SARIF rules:\n{}",
        sarif_path.display(),
        problems.join("\n")
    );
}

#[test]
fn demo_and_mixed_sarif_pass_the_schema_and_github_rules() {
    let Some(tools) = common::ci_tools("SARIF conformance (schema and GitHub rules)") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, result) in [("demo", demo()), ("mixed", mixed())] {
        let path = dir.path().join(format!("{name}.sarif"));
        let log = sarif::render_log(&result, sarif::MAX_RESULTS);
        std::fs::write(&path, serde_json::to_vec_pretty(&log).unwrap()).unwrap();
        validate(&tools, &path);
    }
    // The validators are not vacuous: a log without rule help and locations fails.
    let broken = dir.path().join("broken.sarif");
    let mut log = sarif::render_log(&demo(), sarif::MAX_RESULTS);
    log["runs"][0]["tool"]["driver"]["rules"][0]
        .as_object_mut()
        .unwrap()
        .remove("help");
    std::fs::write(&broken, serde_json::to_vec(&log).unwrap()).unwrap();
    let caught = std::panic::catch_unwind(|| validate(&tools, &broken));
    assert!(
        caught.is_err(),
        "a rule without help must fail GitHub's rules"
    );
}
