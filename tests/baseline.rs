//! Exceptions and baselines through the binary: config validation with line and column,
//! suppression, expiry against `SOURCE_DATE_EPOCH`, `--write-baseline` / `--baseline`, stale
//! entries (EXC003), and baselines that survive inserted lines.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn aibom(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aibom"))
        .current_dir(dir)
        .env("AIBOM_CACHE_DIR", dir.join(".cache-for-test"))
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1798675200") // 2026-12-31
        .args(args)
        .output()
        .expect("aibom runs")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn codes(report: &Value, key: &str) -> Vec<String> {
    report[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// The JSON output, suppressed findings included, matches `schemas/aibom-scan.schema.json`.
fn assert_matches_schema(report: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/aibom-scan.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

const REMOTE_CONFIG: &str = "{\n  \"model_type\": \"acme\",\n  \"auto_map\": {\n    \"AutoModelForCausalLM\": \"modeling_acme.AcmeForCausalLM\"\n  }\n}\n";

/// A repository with one remote-code model (MOD004, a warning, on `models/acme/config.json`).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("models/acme");
    std::fs::create_dir_all(&model).unwrap();
    std::fs::write(model.join("config.json"), REMOTE_CONFIG).unwrap();
    dir
}

#[test]
fn a_baselined_finding_stays_accepted_when_lines_move() {
    let dir = repo();
    let first = aibom(
        dir.path(),
        &["scan", ".", "--format", "json", "--fail-on", "warning"],
    );
    assert_eq!(first.status.code(), Some(1));
    assert_eq!(codes(&json(&first), "findings"), ["MOD004"]);

    let written = aibom(
        dir.path(),
        &["scan", ".", "-q", "--write-baseline", "baseline.json"],
    );
    assert_eq!(
        written.status.code(),
        Some(0),
        "writing a baseline succeeds"
    );
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["format"], "aibom-baseline");
    assert_eq!(baseline["version"], 1);
    let entry = &baseline["findings"][0];
    assert_eq!(entry["rule"], "MOD004");
    assert!(
        entry["fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    let text = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(
        !text.contains("\"line\"") && !text.contains("\"span\""),
        "baselines hold no line numbers:\n{text}"
    );

    // Move the finding down four lines.
    let config = dir.path().join("models/acme/config.json");
    std::fs::write(
        &config,
        REMOTE_CONFIG.replacen(
            "{\n",
            "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3,\n  \"architectures\": [\"AcmeForCausalLM\"],\n",
            1,
        ),
    )
    .unwrap();
    let moved = aibom(
        dir.path(),
        &["scan", ".", "--format", "json", "--fail-on", "warning"],
    );
    let moved_report = json(&moved);
    assert_eq!(codes(&moved_report, "findings"), ["MOD004"]);
    assert_ne!(
        moved_report["findings"][0]["location"]["span"]["line"],
        json(&first)["findings"][0]["location"]["span"]["line"],
        "the finding did move"
    );

    let accepted = aibom(
        dir.path(),
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--fail-on",
            "warning",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(
        accepted.status.code(),
        Some(0),
        "a baselined finding does not fail"
    );
    let report = json(&accepted);
    assert!(codes(&report, "findings").is_empty());
    assert_eq!(codes(&report, "suppressed"), ["MOD004"]);
    assert_eq!(report["suppressed"][0]["suppression"]["kind"], "baseline");
    assert_matches_schema(&report);

    // A new finding is still new.
    let other = dir.path().join("models/other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("config.json"), REMOTE_CONFIG).unwrap();
    let new = aibom(
        dir.path(),
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--fail-on",
            "warning",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(new.status.code(), Some(1));
    assert_eq!(codes(&json(&new), "findings"), ["MOD004"]);
    assert_eq!(
        json(&new)["findings"][0]["location"]["path"],
        "models/other/config.json"
    );
}

#[test]
fn stale_baseline_entries_are_reported_and_regenerating_drops_them() {
    let dir = repo();
    aibom(
        dir.path(),
        &["scan", ".", "-q", "--write-baseline", "baseline.json"],
    );
    std::fs::remove_dir_all(dir.path().join("models/acme")).unwrap();
    let stale = aibom(
        dir.path(),
        &[
            "scan",
            ".",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(stale.status.code(), Some(0), "EXC003 is a note by default");
    let report = json(&stale);
    assert_eq!(codes(&report, "findings"), ["EXC003"]);
    assert_eq!(report["findings"][0]["location"]["path"], "baseline.json");
    assert!(
        report["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("MOD004")
    );

    let regenerated = aibom(
        dir.path(),
        &[
            "scan",
            ".",
            "-q",
            "--baseline",
            "baseline.json",
            "--write-baseline",
            "baseline.json",
        ],
    );
    assert_eq!(regenerated.status.code(), Some(0));
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(
        baseline["findings"],
        serde_json::json!([]),
        "no EXC003 in a baseline"
    );
}

#[test]
fn a_bad_baseline_file_is_a_usage_error() {
    let dir = repo();
    std::fs::write(dir.path().join("baseline.json"), "{\"format\": \"other\"}").unwrap();
    let out = aibom(dir.path(), &["scan", ".", "--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read baseline"));
    let out = aibom(dir.path(), &["scan", ".", "--baseline", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    // A baseline is written from a full scan only.
    let out = aibom(
        dir.path(),
        &["scan", ".", "--staged", "--write-baseline", "b.json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("b.json").exists());
}

#[test]
fn exceptions_suppress_by_path_or_component_and_expire() {
    let dir = repo();
    let config = dir.path().join("aibom.toml");
    std::fs::write(
        &config,
        "fail_on = \"warning\"\n\n[[exception]]\nrule = \"MOD004\"\npath = \"models/acme/**\"\n\
         reason = \"modeling_acme.py reviewed in SEC-1234\"\nexpires = 2027-01-31\n",
    )
    .unwrap();
    let ok = aibom(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(ok.status.code(), Some(0));
    let report = json(&ok);
    assert_matches_schema(&report);
    assert!(codes(&report, "findings").is_empty());
    assert_eq!(report["suppressed"][0]["suppression"]["kind"], "exception");
    assert_eq!(
        report["suppressed"][0]["suppression"]["reason"],
        "modeling_acme.py reviewed in SEC-1234"
    );

    // The same exception, expired the day before SOURCE_DATE_EPOCH.
    std::fs::write(
        &config,
        std::fs::read_to_string(&config)
            .unwrap()
            .replace("2027-01-31", "2026-12-30"),
    )
    .unwrap();
    let expired = aibom(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(expired.status.code(), Some(1));
    let report = json(&expired);
    assert_eq!(codes(&report, "findings"), ["EXC002", "MOD004"]);
    let exc = &report["findings"][0];
    assert_eq!(exc["location"]["path"], "aibom.toml");
    assert_eq!(
        exc["location"]["span"]["line"], 4,
        "points at the exception's rule key"
    );

    // Unused: a component id that matches nothing.
    std::fs::write(
        &config,
        "[[exception]]\nrule = \"MOD004\"\ncomponent = \"model:models/gone\"\nreason = \"x\"\n",
    )
    .unwrap();
    let unused = aibom(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(codes(&json(&unused), "findings"), ["EXC001", "MOD004"]);
}

#[test]
fn exceptions_are_validated_with_line_and_column() {
    let dir = repo();
    let cases: &[(&str, &str, &str)] = &[
        (
            "[[exception]]\nrule = \"NOPE001\"\npath = \"x\"\nreason = \"r\"\n",
            "aibom.toml:2:8",
            "unknown rule",
        ),
        (
            "[[exception]]\nrule = \"MOD004\"\nreason = \"r\"\n",
            "aibom.toml:2:8",
            "needs a `path` glob or a `component` id",
        ),
        (
            "[[exception]]\nrule = \"MOD004\"\npath = \"models/**\"\n",
            "aibom.toml:2:8",
            "has no `reason`",
        ),
        (
            "[[exception]]\nrule = \"MOD004\"\npath = \"models/**\"\nreason = \"  \"\n",
            "aibom.toml:4:10",
            "must not be empty",
        ),
        (
            "[[exception]]\nrule = \"MOD004\"\npath = \"models/**\"\nreason = \"r\"\nexpires = \"soon\"\n",
            "aibom.toml:5:11",
            "must be a date",
        ),
        (
            "[[exception]]\nrule = \"MOD004\"\npath = \"models/**\"\nreason = \"r\"\nexpires = \"2026-02-30\"\n",
            "aibom.toml:5:11",
            "must be a date",
        ),
        (
            "[[exception]]\nrule = \"MOD004\"\npath = \"models/[\"\nreason = \"r\"\n",
            "aibom.toml:3:8",
            "invalid exception path glob",
        ),
        (
            "[[exception]]\nrule = \"MOD004\"\npath = \"models/**\"\nreason = \"r\"\nowner = \"x\"\n",
            "aibom.toml:5:1",
            "unknown field",
        ),
    ];
    for (config, position, message) in cases {
        std::fs::write(dir.path().join("aibom.toml"), config).unwrap();
        let out = aibom(dir.path(), &["scan", "."]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{config}\n{stderr}");
        assert!(
            stderr.contains(message),
            "{config}: expected `{message}` in\n{stderr}"
        );
        assert!(
            stderr.contains(position),
            "{config}: expected `{position}` in\n{stderr}"
        );
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn baselines_apply_in_staged_mode() {
    let dir = repo();
    let path = dir.path();
    git(path, &["init", "-q"]);
    git(path, &["config", "user.email", "ci@example.com"]);
    git(path, &["config", "user.name", "CI"]);
    git(path, &["add", "models"]);
    git(
        path,
        &["commit", "-q", "--no-verify", "-m", "remote-code model"],
    );
    let written = aibom(
        path,
        &["scan", ".", "-q", "--write-baseline", "baseline.json"],
    );
    assert_eq!(written.status.code(), Some(0));

    // Stage an edit that moves the finding; it is in the staged scope.
    std::fs::write(
        path.join("models/acme/config.json"),
        REMOTE_CONFIG.replacen("{\n", "{\n  \"torch_dtype\": \"bfloat16\",\n", 1),
    )
    .unwrap();
    git(path, &["add", "models/acme/config.json"]);
    let without = aibom(
        path,
        &[
            "scan",
            "--staged",
            "--format",
            "json",
            "--fail-on",
            "warning",
        ],
    );
    assert_eq!(without.status.code(), Some(1));
    assert_eq!(codes(&json(&without), "findings"), ["MOD004"]);
    let with = aibom(
        path,
        &[
            "scan",
            "--staged",
            "--format",
            "json",
            "--fail-on",
            "warning",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(
        with.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&with.stderr)
    );
    assert_eq!(codes(&json(&with), "suppressed"), ["MOD004"]);
    assert!(
        codes(&json(&with), "findings").is_empty(),
        "no stale-entry noise in staged mode"
    );
}
