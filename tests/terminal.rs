//! Human output never passes control characters from the scanned tree to the terminal.
//!
//! A hostile repository names a pickle with cursor-up and erase-line sequences (to hide its own
//! MOD001 error), a C1 control and a bidi override, and names an MCP server with Python `\x1b`
//! escapes that aibom decodes. The terminal report must show all of them as visible escapes,
//! and still report the findings.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_aibom");

/// A pickle that would run `posix.system("true")`: MOD001.
const DANGEROUS_PICKLE: &[u8] = b"\x80\x02cposix\nsystem\n(S'true'\ntR.";

const HOSTILE_NAME: &str =
    "acme\x1b[1A\x1b[2K\x1b[1A\x1b[2K\u{9b}2K\u{202e}lkp.\u{2066}\x07\r\n\tweights.pkl";

const SERVER: &str = r#"from mcp.server.fastmcp import FastMCP

m = FastMCP("acme\x1b[2K\x1b]0;pwned\x07\x9b32m\u202eall clear\x1b[0m")


@m.tool()
def lookup(key: str) -> str:
    """Read a value."""
    return key
"#;

/// The characters a terminal would act on, or that reorder text, other than newline and tab.
fn hidden_controls(text: &str) -> Vec<(usize, char)> {
    text.char_indices()
        .filter(|&(_, c)| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

fn scan_human(root: &Path, extra: &[&str]) -> String {
    let out = Command::new(BIN)
        .args([
            "scan",
            "--no-cache",
            "--format",
            "human",
            "--color",
            "never",
        ])
        .args(extra)
        .arg(root)
        .output()
        .expect("run aibom");
    assert_eq!(out.status.code(), Some(1), "findings fail the scan");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 errors");
    format!("{stdout}{stderr}")
}

#[test]
fn control_characters_from_the_tree_are_shown_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("models")).unwrap();
    std::fs::create_dir_all(root.join("tools")).unwrap();
    std::fs::write(root.join("tools/server.py"), SERVER).unwrap();
    let named = match std::fs::write(root.join("models").join(HOSTILE_NAME), DANGEROUS_PICKLE) {
        Ok(()) => true,
        Err(e) => {
            eprintln!(
                "SKIPPED: this filesystem refuses a file name with control characters ({e}); \
                 only the decoded server name is checked"
            );
            false
        }
    };

    for extra in [&[][..], &["--quiet"][..]] {
        let text = scan_human(root, extra);
        assert_eq!(
            hidden_controls(&text),
            [],
            "control characters reach the terminal ({extra:?}):\n{text}"
        );
        assert!(
            text.contains(r"mcp:acme\u{1b}[2K\u{1b}]0;pwned\u{7}\u{9b}32m\u{202e}all clear"),
            "the server name is shown with its escapes visible:\n{text}"
        );
        assert!(text.contains("TOOL001"), "{text}");
        if named {
            let mod001: String = text
                .lines()
                .skip_while(|l| !l.contains("MOD001"))
                .take_while(|l| !l.contains("help:"))
                .collect();
            assert!(
                mod001.contains(r"models/acme\u{1b}[1A\u{1b}[2K")
                    && mod001.contains("imports posix.system"),
                "the MOD001 error names the file with its escapes visible:\n{text}"
            );
            assert!(
                text.contains(r"\u{9b}2K\u{202e}lkp.\u{2066}\u{7}\u{d}\u{a}\u{9}weights.pkl"),
                "C1, bidi, newline and tab in a path are escaped:\n{text}"
            );
        }
    }
}

/// `aibom licenses` shows records from a `--license-db` folder with their control characters
/// escaped.
#[test]
fn licence_records_from_a_folder_are_shown_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("acme-internal.toml"),
        "id = \"acme-internal\"\nname = \"Acme \\u001b[2K\\u202eInternal\"\n\
         [[fingerprint]]\nall = [\"acme internal model licence\"]\n[commercial]\nstatus = \"forbidden\"\n",
    )
    .unwrap();
    for args in [&["licenses"][..], &["licenses", "acme-internal"][..]] {
        let out = Command::new(BIN)
            .args(args)
            .arg("--license-db")
            .arg(dir.path())
            .output()
            .expect("run aibom");
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8(out.stdout).expect("utf-8 output");
        assert_eq!(hidden_controls(&text), [], "{args:?}:\n{text}");
        assert!(
            text.contains(r"Acme \u{1b}[2K\u{202e}Internal"),
            "{args:?}:\n{text}"
        );
    }
}

/// `aibom init` writes where a tool was found and why as TOML comments: a file name with
/// control characters is shown escaped (a raw one would also make the file invalid TOML).
#[test]
fn init_comments_show_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("tools")).unwrap();
    let name = "acme\x1b[2K\u{202e}server.py";
    if let Err(e) = std::fs::write(root.join("tools").join(name), SERVER) {
        eprintln!("SKIPPED: this filesystem refuses a file name with control characters ({e})");
        return;
    }
    let written = root.join("out.toml");
    let out = Command::new(BIN)
        .args(["init", "--output"])
        .arg(&written)
        .arg(root)
        .output()
        .expect("run aibom");
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&written).unwrap();
    assert_eq!(hidden_controls(&text), [], "{text}");
    assert!(
        text.contains(r"# defined in: tools/acme\u{1b}[2K\u{202e}server.py:7"),
        "{text}"
    );
    text.parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("init writes valid TOML: {e}\n{text}"));
}
