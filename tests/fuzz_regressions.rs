//! Every input the fuzzers found a crash, hang or blow-up with, replayed through the same target
//! functions the fuzzers run (`fuzz/src/lib.rs`), plus each target's smallest inputs, so a fixed
//! parser bug stays fixed in CI without cargo-fuzz or a nightly toolchain.
//!
//! Inputs live in `tests/fuzz-regressions/<target>/`; a directory whose name is not a target is
//! an error, so a renamed target cannot silently drop its regressions.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

use std::path::Path;
use std::time::{Duration, Instant};

/// A regression input must finish well inside the fuzzers' `-timeout=10`, even in a dev build.
const PER_INPUT: Duration = Duration::from_secs(10);

fn target(name: &str) -> fn(&[u8]) {
    targets::TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .unwrap_or_else(|| panic!("tests/fuzz-regressions/{name}: no fuzz target has this name"))
}

#[test]
fn saved_inputs_do_not_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/fuzz-regressions exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut replayed = 0;
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let run = target(&name);
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        inputs.sort();
        for input in inputs {
            let bytes = std::fs::read(&input).unwrap();
            let started = Instant::now();
            let outcome = std::panic::catch_unwind(|| run(&bytes));
            assert!(outcome.is_ok(), "{} panics", input.display());
            assert!(
                started.elapsed() < PER_INPUT,
                "{} took {:?}",
                input.display(),
                started.elapsed()
            );
            replayed += 1;
        }
    }
    assert!(
        replayed > 0,
        "no regression inputs found under {}",
        root.display()
    );
}

/// Degenerate inputs every target must take: empty, one byte of each value, and lengths at the
/// integer limits.
#[test]
fn degenerate_inputs_do_not_panic() {
    let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
    inputs.extend((0..=255u8).map(|b| vec![b]));
    inputs.push(u64::MAX.to_le_bytes().to_vec());
    inputs.push([u64::MAX.to_le_bytes().as_slice(), b"{}"].concat());
    inputs.push(
        b"GGUF\x03\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x0f".to_vec(),
    );
    inputs.push(b"\x80\x02".repeat(1000));
    inputs.push(b"[".repeat(100_000));
    inputs.push(b"{\"a\":".repeat(50_000));
    inputs.push(b"---\n".repeat(1000));
    for (name, run) in targets::TARGETS {
        for input in &inputs {
            let outcome = std::panic::catch_unwind(|| run(input));
            assert!(
                outcome.is_ok(),
                "target {name} panics on {:?}",
                &input[..input.len().min(32)]
            );
        }
    }
}

#[test]
fn every_fuzz_target_is_declared_in_the_fuzz_manifest() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/Cargo.toml"))
            .unwrap();
    let run_sh =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/run.sh")).unwrap();
    let listed = run_sh
        .lines()
        .find(|l| l.starts_with("all_targets=("))
        .expect("fuzz/run.sh lists all_targets");
    for (name, _) in targets::TARGETS {
        assert!(
            listed.split(['(', ')', ' ']).any(|t| t == *name),
            "fuzz/run.sh all_targets does not list {name}"
        );
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "fuzz/Cargo.toml has no [[bin]] for {name}"
        );
        let body =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fuzz/fuzz_targets/{name}.rs"));
        assert!(body.is_file(), "{} is missing", body.display());
    }
}
