//! Rule fixtures: every `fixtures/rules/<CODE>/fail-*` case triggers its rule, every `pass-*`
//! case does not, every finding a fail case yields says what to do (its help), and the
//! malicious pickle cases name the global they import.

use std::path::{Path, PathBuf};

use aibom::finding::Finding;
use aibom::report::{Content, Format, RenderOptions, reporter};
use aibom::{ScanOptions, scan};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

/// The findings of one case, with the case's own `aibom.toml` when it has one.
fn findings(dir: &Path) -> Vec<Finding> {
    let mut options = ScanOptions::new(dir);
    let config = dir.join("aibom.toml");
    if config.is_file() {
        options.policy =
            aibom::policy::load(&config).unwrap_or_else(|e| panic!("{}: {e}", config.display()));
    }
    scan(options).expect("scan runs").findings
}

fn cases(code: &str) -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(fixtures().join(code))
        .unwrap_or_else(|e| panic!("fixtures/rules/{code}: {e}"))
        .map(|e| e.expect("dir entry"))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_rule_with_fixtures_fires_on_fail_cases_and_not_on_pass_cases() {
    let mut checked = 0;
    let mut without_help = Vec::new();
    for rule in aibom::rules::registry::RULES {
        let code = rule.meta().code;
        if !fixtures().join(code).is_dir() {
            // BOM004 needs a git directory and is built at run time (tests/scan.rs); EXC003
            // needs a baseline file given on the command line (tests/baseline.rs); PRM002 and
            // PRM003 and TOOL008 need git history, built in temporary repositories
            // (tests/prompts.rs).
            assert!(
                ["BOM004", "EXC003", "PRM002", "PRM003", "TOOL008"].contains(&code),
                "{code} has no fixtures/rules/{code}/"
            );
            continue;
        }
        let cases = cases(code);
        assert!(
            cases.iter().any(|(n, _)| n.starts_with("fail-")),
            "{code} has no fail- case"
        );
        assert!(
            cases.iter().any(|(n, _)| n.starts_with("pass-")),
            "{code} has no pass- case"
        );
        for (name, path) in cases {
            let found: Vec<Finding> = findings(&path)
                .into_iter()
                .filter(|f| f.code == code)
                .collect();
            if name.starts_with("fail-") {
                assert!(
                    !found.is_empty(),
                    "{code}/{name}: expected a {code} finding, got none"
                );
                // A finding says what to do about it, not only where it is.
                without_help.extend(
                    found
                        .iter()
                        .filter(|f| f.help.as_deref().is_none_or(|h| h.trim().is_empty()))
                        .map(|f| format!("{code}/{name}: {}", f.message)),
                );
            } else {
                assert!(
                    found.is_empty(),
                    "{code}/{name}: expected no {code} finding, got {found:#?}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} cases checked");
    assert!(
        without_help.is_empty(),
        "findings without help:\n{}",
        without_help.join("\n")
    );
}

#[test]
fn malicious_pickles_are_caught_with_the_global_named() {
    let expected: &[(&str, &[&str])] = &[
        (
            "fail-getattr-chain",
            &["builtins.getattr", "builtins.__import__"],
        ),
        ("fail-global-posix-system", &["posix.system"]),
        ("fail-inst-subprocess", &["subprocess.Popen"]),
        ("fail-joblib", &["os.system"]),
        // in a fake array's data, which joblib.load skips and pickle.load runs as opcodes
        ("fail-joblib-array-hides-opcodes", &["os.system"]),
        // inside an object array's nested pickle, and after the arrays' raw data
        ("fail-joblib-arrays", &["posix.system", "os.system"]),
        ("fail-joblib-bz2", &["os.system"]),
        ("fail-joblib-gzip", &["os.system"]),
        ("fail-joblib-lzma", &["os.system"]),
        ("fail-joblib-xz", &["os.system"]),
        ("fail-joblib-zlib", &["os.system"]),
        // a bomb imports nothing before its limit: see `a_pickle_stopped_at_a_limit_is_an_error`
        ("fail-joblib-zlib-bomb", &[]),
        ("fail-multi-stream", &["runpy._run_code"]),
        ("fail-npy-object", &["posix.system"]),
        ("fail-npz-object", &["subprocess.check_output"]),
        ("fail-protocol-5", &["nt.system"]),
        ("fail-stack-global-memo", &["builtins.exec"]),
        ("fail-torch-zip", &["os.system"]),
    ];
    let all: Vec<String> = cases("MOD001")
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n.starts_with("fail-"))
        .collect();
    let listed: Vec<String> = expected.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(
        all, listed,
        "every MOD001 fail case needs its expected globals here"
    );
    for (case, globals) in expected {
        let found = findings(&fixtures().join("MOD001").join(case));
        for global in *globals {
            assert!(
                found
                    .iter()
                    .any(|f| f.code == "MOD001"
                        && f.message.contains(&format!(" imports {global} "))),
                "MOD001/{case}: no finding names {global}: {found:#?}"
            );
        }
    }
}

/// xz and lzma joblib files are decompressed and walked like the others.
#[test]
fn xz_and_lzma_joblib_files_are_walked() {
    for (case, stream) in [("fail-joblib-xz", "xz"), ("fail-joblib-lzma", "lzma")] {
        let found = findings(&fixtures().join("MOD001").join(case));
        let mod001: Vec<&Finding> = found.iter().filter(|f| f.code == "MOD001").collect();
        assert_eq!(mod001.len(), 1, "{found:#?}");
        assert_eq!(mod001[0].severity, aibom::finding::Severity::Error);
        let message = &mod001[0].message;
        assert!(
            message.ends_with(&format!("at byte 36 of the decompressed {stream} stream")),
            "{message}"
        );
    }
}

/// A decompression bomb stops the walk before the end of the pickle: what follows is unchecked
/// and a loader would run it, so it is an error naming the limit and where the walk stopped,
/// not a warning that `--fail-on error` lets through.
#[test]
fn a_pickle_stopped_at_a_limit_is_an_error() {
    let found = findings(&fixtures().join("MOD001/fail-joblib-zlib-bomb"));
    let mod001: Vec<&Finding> = found.iter().filter(|f| f.code == "MOD001").collect();
    assert_eq!(mod001.len(), 1, "{found:#?}");
    assert_eq!(mod001[0].severity, aibom::finding::Severity::Error);
    let message = &mod001[0].message;
    assert!(
        message.contains("is a pickle that cannot be checked: the walk stopped at the decompression ratio limit at byte ")
            && message.contains(" of the decompressed zlib stream"),
        "{message}"
    );
    assert!(
        !found.iter().any(|f| f.code == "BOM001"),
        "the limit is said once, by MOD001: {found:#?}"
    );
}

#[test]
fn benign_checkpoints_are_not_called_unsafe() {
    for case in [
        "pass-joblib-arrays",
        "pass-numpy-array",
        "pass-sklearn",
        "pass-sklearn-xz",
        "pass-sklearn-zlib",
        "pass-torch-state-dict",
        "pass-transformers-training-args",
    ] {
        let found = findings(&fixtures().join("MOD001").join(case));
        let unsafe_findings: Vec<&Finding> = found
            .iter()
            .filter(|f| f.code.starts_with("MOD") || f.code == "BOM001")
            .collect();
        assert!(
            unsafe_findings.is_empty(),
            "MOD001/{case} was flagged: {unsafe_findings:#?}"
        );
    }
}

/// A corpus whose records do not all parse is counted whole, and BOM001 says how many records
/// are malformed and on which line the first starts, never what it holds.
#[test]
fn malformed_corpus_records_are_counted_and_located_not_quoted() {
    let expected = [
        (
            "fail-malformed-jsonl",
            "has 2 line(s) that are not valid JSON (the first on line 3)",
        ),
        (
            "fail-ragged-csv",
            "has 2 row(s) whose field count differs from the header's, or with a quote left open (the first on line 3)",
        ),
    ];
    for (case, words) in expected {
        let dir = fixtures().join("BOM001").join(case);
        let result = scan(ScanOptions::new(&dir)).expect("scan runs");
        let bom001: Vec<&Finding> = result
            .findings
            .iter()
            .filter(|f| f.code == "BOM001")
            .collect();
        assert_eq!(bom001.len(), 1, "BOM001/{case}: {bom001:#?}");
        assert!(bom001[0].message.contains(words), "{}", bom001[0].message);
        let location = bom001[0].location.as_ref().expect("a location");
        assert!(location.span.is_none(), "a span would quote the line");
        let corpus = result
            .inventory
            .components
            .values()
            .next()
            .expect("the corpus");
        assert_eq!(corpus.properties["records"], 4, "{case}");
        assert_eq!(corpus.properties["malformed_records"], 2, "{case}");
    }
    // The malformed line holds an email address: no output quotes it.
    let result = scan(ScanOptions::new(
        fixtures().join("BOM001/fail-malformed-jsonl"),
    ))
    .expect("scan runs");
    for format in [Format::Human, Format::Json, Format::Sarif, Format::Md] {
        let mut out = Vec::new();
        let options = RenderOptions {
            content: Content::Scan,
            color: false,
            quiet: false,
        };
        reporter(format)
            .render(&result, &options, &mut out)
            .expect("render");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("not valid JSON"), "{format:?}: {text}");
        assert!(!text.contains("ops@acme-shop"), "{format:?}: {text}");
    }
}

#[test]
fn hostile_headers_are_parse_findings_naming_the_problem() {
    let expected = [
        ("fail-huge-header", "limit"),
        ("fail-gguf-huge-count", "limit"),
        ("fail-zip-claims-10gb", "limit"),
        ("fail-truncated-safetensors", ""),
        ("fail-bad-card-yaml", "YAML"),
    ];
    for (case, word) in expected {
        let found = findings(&fixtures().join("BOM001").join(case));
        let bom001: Vec<&Finding> = found.iter().filter(|f| f.code == "BOM001").collect();
        assert_eq!(bom001.len(), 1, "BOM001/{case}: {found:#?}");
        assert!(
            bom001[0].message.contains(word),
            "BOM001/{case}: message should mention `{word}`: {}",
            bom001[0].message
        );
    }
}

/// A path the walk cannot read gets a help that fits why: a link out of the root, a FIFO.
#[test]
fn unreadable_paths_say_what_to_do_for_their_cause() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("acme.jsonl"), "{}\n").unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("acme.jsonl"),
        dir.path().join("data/link.jsonl"),
    )
    .unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(dir.path().join("data/pipe.jsonl"))
        .status()
        .is_ok_and(|s| s.success());
    if !fifo {
        eprintln!("SKIPPED: mkfifo failed; only the link is checked");
    }
    let found = findings(dir.path());
    let help = |path: &str| {
        found
            .iter()
            .find(|f| f.code == "BOM001" && f.subject == path)
            .and_then(|f| f.help.clone())
            .unwrap_or_else(|| panic!("no BOM001 with help for {path}: {found:#?}"))
    };
    assert!(help("data/link.jsonl").contains("link out of the repository"));
    if fifo {
        assert!(help("data/pipe.jsonl").contains("FIFO, socket or device"));
    }
}

/// A corpus has no parent model: its LIC001 help points at where data licences go, not at
/// `base_model`.
#[test]
fn a_corpus_without_licence_is_told_where_a_data_licence_goes() {
    let found = findings(&fixtures().join("LIC001/fail-corpus-without-licence"));
    let help = found
        .iter()
        .find(|f| {
            f.code == "LIC001" && f.component.as_deref() == Some("corpus:data/acme_catalogue.csv")
        })
        .and_then(|f| f.help.clone())
        .unwrap_or_else(|| panic!("no LIC001 with help on the corpus: {found:#?}"));
    assert!(!help.contains("base_model"), "{help}");
    for place in ["DATA_LICENSE", "dataset card", "[[licenses.clarify]]"] {
        assert!(help.contains(place), "the help names {place}: {help}");
    }
}
