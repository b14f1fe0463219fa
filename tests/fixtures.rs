//! The committed fixtures are exactly what `fixtures/generate.py` writes.

use std::process::Command;

#[test]
fn generated_fixtures_are_up_to_date() {
    let root = env!("CARGO_MANIFEST_DIR");
    let status = Command::new("python3")
        .arg("fixtures/generate.py")
        .arg("--check")
        .current_dir(root)
        .status();
    match status {
        Ok(status) => assert!(
            status.success(),
            "fixtures differ from generate.py: run `python3 fixtures/generate.py`"
        ),
        Err(e) if std::env::var_os("CI").is_some() => panic!("python3 is required in CI: {e}"),
        Err(e) => eprintln!(
            "\n*** SKIPPED generated_fixtures_are_up_to_date: python3 not available ({e}) ***\n"
        ),
    }
}
