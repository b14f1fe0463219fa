//! Snapshots of what users read: the terminal report of the demo, and the findings of every
//! rule fixture. A change in wording, order or grouping shows up as a reviewed diff
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test` then `git diff`).

use std::fmt::Write;
use std::path::{Path, PathBuf};

use aibom::report::{Content, Format, RenderOptions, reporter};
use aibom::{ScanOptions, scan};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

#[test]
fn demo_terminal_report() {
    let result = scan(ScanOptions::new(fixtures().join("demo"))).unwrap();
    let mut out = Vec::new();
    let options = RenderOptions {
        content: Content::Scan,
        color: false,
        quiet: false,
    };
    reporter(Format::Human)
        .render(&result, &options, &mut out)
        .unwrap();
    insta::assert_snapshot!("demo_terminal_report", String::from_utf8(out).unwrap());
}

/// The licence column of the terminal inventory: declared values as written; with none, what a
/// licence file identifies and which file it is.
#[test]
fn terminal_licence_column() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let card = "---\npipeline_tag: text-generation\n---\n# Acme\n";
    let falcon = "Falcon 180B TII License Version 1.0\n\nInvented terms for a test.\n";
    write(
        "models/acme-declared/README.md",
        "---\nlicense: apache-2.0\npipeline_tag: text-generation\n---\n# Acme\n",
    );
    write("models/acme-declared/LICENSE", falcon);
    write("models/acme-file/README.md", card);
    write("models/acme-file/LICENSE.md", falcon);
    write("models/acme-none/README.md", card);
    write("data/acme-chats/train.jsonl", "{\"text\": \"hello\"}\n");
    write("data/acme-chats/DATA_LICENSE", falcon);
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let mut out = Vec::new();
    let options = RenderOptions {
        content: Content::BomOnly,
        color: false,
        quiet: false,
    };
    reporter(Format::Human)
        .render(&result, &options, &mut out)
        .unwrap();
    insta::assert_snapshot!("terminal_licence_column", String::from_utf8(out).unwrap());
}

#[test]
fn rule_fixture_findings() {
    let mut report = String::new();
    let mut codes: Vec<PathBuf> = std::fs::read_dir(fixtures().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    codes.sort();
    for code_dir in codes {
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&code_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        cases.sort();
        for case in cases {
            let rel = case.strip_prefix(fixtures()).unwrap().display().to_string();
            writeln!(report, "{rel}").unwrap();
            for f in scan(ScanOptions::new(&case)).unwrap().findings {
                writeln!(
                    report,
                    "  {} {} [{}] {}",
                    f.severity.as_str(),
                    f.code,
                    f.subject,
                    f.message
                )
                .unwrap();
            }
        }
    }
    insta::assert_snapshot!("rule_fixture_findings", report);
}
