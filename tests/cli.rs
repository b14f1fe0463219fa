//! The binary: exit codes, formats, outputs, config errors, rule docs.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn aibom() -> Command {
    let mut cmd = Command::cargo_bin("aibom").expect("binary");
    cmd.current_dir(root())
        .env(
            "AIBOM_CACHE_DIR",
            std::env::temp_dir().join("aibom-cli-test-cache"),
        )
        .env("NO_COLOR", "1");
    cmd
}

fn schema() -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/aibom-scan.schema.json")).unwrap(),
    )
    .unwrap()
}

fn assert_valid(instance: &serde_json::Value) {
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "JSON output does not match its schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn scanning_the_demo_reports_findings_and_exits_one() {
    let out = aibom().args(["scan", "fixtures/demo"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "MOD001 is an error: exit 1");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "Inventory:",
        "posix.system",
        "MOD001",
        "MOD004",
        "Summary",
        "derived from (adapter)",
    ] {
        assert!(stdout.contains(needle), "missing `{needle}` in:\n{stdout}");
    }
}

#[test]
fn json_output_validates_against_its_schema() {
    let out = aibom()
        .args(["scan", "fixtures/demo", "--format", "json"])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_valid(&value);
    assert!(value["findings"].as_array().is_some_and(|f| !f.is_empty()));

    let out = aibom()
        .args(["bom", "fixtures/demo", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "bom does not fail on findings");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_valid(&value);
    assert!(
        value.get("findings").is_none(),
        "the BOM alone has no findings"
    );
}

#[test]
fn the_schema_rejects_what_it_should() {
    let out = aibom()
        .args(["scan", "fixtures/demo", "--format", "json"])
        .output()
        .unwrap();
    let mut value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    value["findings"][0]["severity"] = "fatal".into();
    let validator = jsonschema::validator_for(&schema()).unwrap();
    assert!(
        !validator.is_valid(&value),
        "a bad severity must fail the schema"
    );
}

#[test]
fn fail_on_sets_the_exit_code() {
    let code = |level: &str| {
        aibom()
            .args(["scan", "fixtures/demo", "--quiet", "--fail-on", level])
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code("never"), Some(0));
    assert_eq!(code("error"), Some(1));
    let clean = aibom()
        .args(["scan", "fixtures/rules/MOD004/pass-no-auto-map", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn several_outputs_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("out.json");
    let text = dir.path().join("out.txt");
    let out = aibom()
        .args(["scan", "fixtures/demo", "--quiet"])
        .arg("--output")
        .arg(format!("json={}", json.display()))
        .arg("--output")
        .arg(format!("human={}", text.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_valid(&value);
    assert!(std::fs::read_to_string(&text).unwrap().contains("MOD001"));
    let bad = aibom()
        .args(["scan", "fixtures/demo", "--output", "xml=out.xml"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn config_errors_exit_two_and_point_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aibom.toml");
    std::fs::write(
        &config,
        "preset = \"strict\"\n\n[rules]\nMOD002 = \"loud\"\n",
    )
    .unwrap();
    let out = aibom()
        .args(["scan", "fixtures/demo", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid severity `loud`"), "{stderr}");
    assert!(
        stderr.contains("aibom.toml:4:10"),
        "the diagnostic must point at line 4, column 10:\n{stderr}"
    );
}

#[test]
fn a_config_at_the_root_is_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("fixtures/rules/MOD002/fail-unknown-global"),
        dir.path(),
    );
    let status = |dir: &Path| {
        aibom()
            .arg("scan")
            .arg(dir)
            .arg("--quiet")
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(
        status(dir.path()),
        Some(0),
        "MOD002 is a warning by default"
    );
    std::fs::write(dir.path().join("aibom.toml"), "preset = \"strict\"\n").unwrap();
    assert_eq!(
        status(dir.path()),
        Some(1),
        "the strict preset makes MOD002 an error"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn bad_arguments_and_roots_exit_two() {
    assert_eq!(
        aibom()
            .args(["scan", "no/such/dir"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        aibom()
            .args(["scan", "--format", "yaml"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        aibom()
            .args(["rules", "XYZ999"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn rules_are_explained_in_four_parts() {
    let out = aibom().args(["rules", "mod001"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for part in [
        "## MOD001",
        "What it checks",
        "Why it matters",
        "Example",
        "How to fix or suppress",
    ] {
        assert!(text.contains(part), "{part} missing:\n{text}");
    }
    let list = aibom().arg("rules").output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).lines().count() >= 9);
}

#[test]
fn docs_rules_md_is_generated_from_the_registry() {
    let committed = std::fs::read_to_string(root().join("docs/rules.md")).unwrap_or_default();
    let generated = aibom::rules::render_docs();
    assert!(
        committed == generated,
        "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md`"
    );
}
