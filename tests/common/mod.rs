//! Helpers shared by the integration tests: the tools `.ci/run` installs, the licence texts,
//! file times.

use std::io::Write;
use std::path::PathBuf;

/// Where `.ci/run` installed the external tools (`AIBOM_CI_TOOLS`), or `None` with a loud
/// SKIPPED message naming `what` is skipped. Under CI a missing tools folder is a failure.
#[allow(dead_code)] // not every test binary that includes this module needs the tools
pub fn ci_tools(what: &str) -> Option<PathBuf> {
    match std::env::var_os("AIBOM_CI_TOOLS") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            Some(if dir.is_absolute() {
                dir
            } else {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir)
            })
        }
        None if std::env::var_os("CI").is_some() => {
            panic!("CI is set but AIBOM_CI_TOOLS is not: run the tests through .ci/run")
        }
        None => {
            // Written to the stderr stream directly, which the test harness does not capture.
            let _ = writeln!(
                std::io::stderr(),
                "\n*** SKIPPED: {what} needs the tools .ci/run installs; run `bash .ci/run` ***\n"
            );
            None
        }
    }
}

/// The real licence texts (`AIBOM_LICENSE_TEXTS`, or `../shared/license-texts` beside the
/// repository). They are not part of the project: when they are missing, a test that needs them
/// fails under CI and says loudly elsewhere that it was skipped.
#[allow(dead_code)] // not every test binary that includes this module reads licence texts
pub fn license_texts_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("AIBOM_LICENSE_TEXTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/license-texts")
        });
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "licence texts not found at {} (set AIBOM_LICENSE_TEXTS)",
            dir.display()
        );
    }
    // Written to the stderr stream directly, which the test harness does not capture.
    let _ = writeln!(
        std::io::stderr(),
        "\n*** SKIPPED: licence texts not found at {} (set AIBOM_LICENSE_TEXTS) ***\n",
        dir.display()
    );
    None
}

/// Sets `path`'s modification time a minute back, so that a scan's caches keep it (a file
/// modified within seconds of a scan is not cached: its time could not tell a rewrite apart).
#[allow(dead_code)]
pub fn settle(path: &std::path::Path) {
    let minute_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(minute_ago))
        .unwrap_or_else(|e| panic!("set the modification time of {}: {e}", path.display()));
}

/// Fails unless `report`, the JSON output of `aibom scan`, matches
/// `schemas/aibom-scan.schema.json`.
#[allow(dead_code)]
pub fn assert_matches_scan_schema(report: &serde_json::Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas/aibom-scan.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "JSON output does not match its schema:\n{}",
        errors.join("\n")
    );
}
