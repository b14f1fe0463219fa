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
        // Written to the stderr stream directly, which the test harness does not capture.
        Err(e) => {
            let note = format!(
                "\n*** SKIPPED generated_fixtures_are_up_to_date: python3 not available ({e}) ***\n"
            );
            let _ = std::io::Write::write_all(&mut std::io::stderr(), note.as_bytes());
        }
    }
}
