//! Properties of the scan's output that hold for any input, checked on generated variations of
//! the demo repository with the built binary:
//! - the JSON output is canonical: parsed and serialised again, it is byte-identical;
//! - `--jobs 1` and `--jobs 2` give byte-identical JSON;
//! - inserting lines into a text artefact moves findings' line numbers but not their
//!   fingerprints (baselines must survive edits above a finding).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;

const BIN: &str = env!("CARGO_BIN_EXE_aibom");

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let meta = std::fs::symlink_metadata(entry.path()).unwrap();
        let target = to.join(entry.file_name());
        if meta.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if meta.file_type().is_symlink() {
            let link = std::fs::read_link(entry.path()).unwrap();
            std::os::unix::fs::symlink(link, target).unwrap();
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo"),
        &dir.path().join("repo"),
    );
    dir
}

fn scan_json(root: &Path, jobs: &str) -> String {
    let output = Command::new(BIN)
        .args(["scan".as_ref(), root.as_os_str()])
        .args(["--format", "json", "--no-cache", "--jobs", jobs])
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "scan failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn fingerprints(json: &str) -> BTreeSet<String> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_owned())
        .collect()
}

/// `(fingerprint, path, line)` of findings located on a line of a text file.
fn located(json: &str) -> BTreeSet<(String, String, u64)> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| {
            let line = f["location"]["span"]["line"].as_u64()?;
            Some((
                f["fingerprint"].as_str()?.to_owned(),
                f["location"]["path"].as_str()?.to_owned(),
                line,
            ))
        })
        .collect()
}

/// Model and dataset cards of the demo: Markdown with YAML front matter.
fn cards(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "README.md")
                && std::fs::read_to_string(&path).is_ok_and(|t| t.starts_with("---\n"))
            {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

/// Inserts `count` lines that change no meaning before line `at` (modulo the length) of a text
/// artefact: blank lines in JSON, comments in Python, and in a card YAML comments in the front
/// matter or paragraphs in the body.
fn insert_neutral_lines(
    path: &str,
    text: &str,
    in_front_matter: bool,
    at: usize,
    count: usize,
) -> String {
    if path.ends_with(".md") {
        return insert_lines(text, in_front_matter, at, count);
    }
    let inserted = if path.ends_with(".py") {
        "# an inserted comment\n"
    } else {
        "\n"
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let position = at % (lines.len() + 1);
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i == position {
            out.push_str(&inserted.repeat(count));
        }
        out.push_str(line);
    }
    if position == lines.len() {
        out.push_str(&inserted.repeat(count));
    }
    out
}

/// Files the property edits: those holding located findings, and every card.
fn edited_files(root: &Path, json: &str) -> Vec<String> {
    let mut files: BTreeSet<String> = located(json).into_iter().map(|(_, p, _)| p).collect();
    files.extend(cards(root));
    files.into_iter().collect()
}

/// Inserts `count` lines after line `at` of the front matter (YAML comments) or of the body
/// (Markdown text), keeping the card valid.
fn insert_lines(text: &str, in_front_matter: bool, at: usize, count: usize) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let end = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map_or(0, |i| i + 1);
    let (first, last) = if in_front_matter {
        (1, end)
    } else {
        (end + 1, lines.len())
    };
    let position = first + at % (last - first + 1).max(1);
    let inserted = if in_front_matter {
        "# an inserted comment\n"
    } else {
        "An inserted paragraph.\n\n"
    };
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i == position {
            out.push_str(&inserted.repeat(count));
        }
        out.push_str(line);
    }
    if position >= lines.len() {
        out.push_str(&inserted.repeat(count));
    }
    out
}

#[test]
fn json_output_is_canonical_and_independent_of_jobs() {
    let dir = demo_copy();
    let root = dir.path().join("repo");
    let one = scan_json(&root, "1");
    let two = scan_json(&root, "2");
    assert_eq!(one, two, "--jobs 1 and --jobs 2 differ");
    let value: serde_json::Value = serde_json::from_str(&one).unwrap();
    let again = serde_json::to_string_pretty(&value).unwrap();
    assert_eq!(
        one.trim_end(),
        again,
        "parsed and re-serialised JSON differs"
    );
    assert!(!fingerprints(&one).is_empty(), "the demo has no findings");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fingerprints_survive_inserted_lines(
        file in 0usize..64,
        in_front_matter in any::<bool>(),
        at in 0usize..64,
        count in 1usize..5,
    ) {
        let dir = demo_copy();
        let root = dir.path().join("repo");
        let before = scan_json(&root, "2");
        let files = edited_files(&root, &before);
        prop_assume!(!files.is_empty());
        let file = &files[file % files.len()];
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, insert_neutral_lines(file, &text, in_front_matter, at, count)).unwrap();
        let after = scan_json(&root, "2");
        prop_assert_eq!(fingerprints(&before), fingerprints(&after));
        // Same findings, and output still canonical and deterministic after the edit.
        let value: serde_json::Value = serde_json::from_str(&after).unwrap();
        prop_assert_eq!(after.trim_end(), serde_json::to_string_pretty(&value).unwrap());
        prop_assert_eq!(&after, &scan_json(&root, "1"));
    }
}

/// The property test above can fail: inserting lines does move located findings.
#[test]
fn inserted_lines_move_located_findings() {
    let dir = demo_copy();
    let root = dir.path().join("repo");
    let before = located(&scan_json(&root, "2"));
    for moved_file in [".mcp.json", "agents/tools.py"] {
        assert!(
            before.iter().any(|(_, p, _)| p == moved_file),
            "no located finding in {moved_file}"
        );
        let path = root.join(moved_file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, insert_neutral_lines(moved_file, &text, false, 0, 3)).unwrap();
    }
    let moved_file = ".mcp.json";
    let after = located(&scan_json(&root, "2"));
    let lines = |set: &BTreeSet<(String, String, u64)>| -> Vec<u64> {
        set.iter()
            .filter(|(_, p, _)| *p == moved_file)
            .map(|(_, _, l)| *l)
            .collect()
    };
    assert_ne!(
        lines(&before),
        lines(&after),
        "no line moved in {moved_file}"
    );
    let prints = |set: &BTreeSet<(String, String, u64)>| -> BTreeSet<String> {
        set.iter().map(|(f, _, _)| f.clone()).collect()
    };
    assert_eq!(prints(&before), prints(&after));
}

#[test]
fn insert_lines_keeps_front_matter_delimiters() {
    let card = "---\nlicense: mit\n---\n# Title\nBody\n";
    let front = insert_lines(card, true, 0, 2);
    assert_eq!(
        front,
        "---\n# an inserted comment\n# an inserted comment\nlicense: mit\n---\n# Title\nBody\n"
    );
    let body = insert_lines(card, false, 1, 1);
    assert_eq!(
        body,
        "---\nlicense: mit\n---\n# Title\nAn inserted paragraph.\n\nBody\n"
    );
}
