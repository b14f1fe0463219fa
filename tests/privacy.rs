//! The privacy stage end to end: manifest lineage on the inventory, the component properties
//! other writers read, erased subjects found again with the HMAC key (and not without it),
//! `aibom hash-subject`, config errors with line and column, and hostile manifests.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use aibom::inventory::{Confidence, RelationKind};
use aibom::{ScanOptions, scan};

mod common;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn case(code: &str, name: &str) -> PathBuf {
    root().join("fixtures/rules").join(code).join(name)
}

fn aibom(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aibom"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("AIBOM_ERASURE_KEY")
        .env_remove("AIBOM_FIXTURE_KEY_NEVER_SET");
    cmd
}

fn scan_with_config(dir: &Path) -> aibom::ScanResult {
    let mut options = ScanOptions::new(dir);
    options.policy = aibom::policy::load(&dir.join("aibom.toml")).expect("config loads");
    scan(options).expect("scan runs")
}

/// Findings of `aibom scan DIR --format json` as (code, subject, severity, message).
fn json_findings(cmd: &mut Command) -> Vec<(String, String, String, String)> {
    let out = cmd
        .args(["scan", ".", "--no-cache", "--format", "json"])
        .output()
        .expect("runs");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    value["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
            (s("code"), s("subject"), s("severity"), s("message"))
        })
        .collect()
}

#[test]
fn manifest_lineage_and_properties_are_on_the_inventory() {
    let result = scan_with_config(&case("PII003", "fail-adapter-inherits"));
    let inv = &result.inventory;
    let declared = inv
        .relations
        .iter()
        .find(|r| r.kind == RelationKind::TrainedOn && r.from == "model:models/base")
        .expect("the [[model]] trained_on is a relation");
    assert_eq!(declared.to, "corpus:data/support/chats.jsonl");
    assert_eq!(declared.confidence, Confidence::High);
    assert_eq!(
        declared.evidence[0].source,
        "aibom.toml [[model]] trained_on"
    );
    assert_eq!(declared.evidence[0].span.map(|s| s.line), Some(9));

    let corpus = inv.component("corpus:data/support/chats.jsonl").unwrap();
    assert_eq!(
        corpus.properties["pii"],
        serde_json::json!({"types": {"email": {"count": 1, "synthetic": 0}}})
    );
    assert_eq!(corpus.properties["contains_pii"], serde_json::json!(true));
    for id in ["model:models/base", "adapter:models/lora"] {
        assert_eq!(
            inv.component(id).unwrap().properties["trained_on_pii"],
            serde_json::json!(["email"]),
            "{id}"
        );
    }
}

#[test]
fn declarations_are_recorded_and_clean_corpora_say_so() {
    let result = scan_with_config(&case("GDPR002", "pass-retention-ahead"));
    let c = result
        .inventory
        .component("corpus:data/support/chats.jsonl")
        .unwrap();
    assert_eq!(
        c.properties["retention_until"],
        serde_json::json!("2099-12-31")
    );
    assert_eq!(c.properties["contains_pii"], serde_json::json!(true));
    // Scanned, nothing found: an empty type map, not a missing key.
    assert_eq!(c.properties["pii"], serde_json::json!({"types": {}}));
    let result = scan_with_config(&case("GDPR005", "fail-erased-after-training"));
    let c = result
        .inventory
        .component("corpus:data/support/chats.jsonl")
        .unwrap();
    assert_eq!(
        c.properties["legal_basis"],
        serde_json::json!("legitimate_interest")
    );
}

#[test]
fn erased_subjects_are_found_with_the_key_in_derived_corpora() {
    let dir = case("GDPR006", "fail-key-missing");
    let without = json_findings(&mut aibom(&dir));
    let gdpr006: Vec<_> = without.iter().filter(|f| f.0 == "GDPR006").collect();
    assert_eq!(gdpr006.len(), 1, "{without:#?}");
    assert_eq!(gdpr006[0].1, "key-missing");
    assert_eq!(gdpr006[0].2, "note");

    let with = json_findings(aibom(&dir).env("AIBOM_FIXTURE_KEY_NEVER_SET", "fixture-key"));
    let gdpr006: Vec<_> = with.iter().filter(|f| f.0 == "GDPR006").collect();
    assert_eq!(gdpr006.len(), 1, "{with:#?}");
    assert_eq!(gdpr006[0].1, "request:E-1:corpus:support-dedup");
    assert_eq!(gdpr006[0].2, "error");
    assert!(
        gdpr006[0]
            .3
            .contains("data/dedup/chats.jsonl, first at line 1"),
        "{}",
        gdpr006[0].3
    );
    assert!(!gdpr006[0].3.contains("acme-mail"), "{}", gdpr006[0].3);

    let wrong_key = json_findings(aibom(&dir).env("AIBOM_FIXTURE_KEY_NEVER_SET", "another-key"));
    assert!(
        wrong_key.iter().all(|f| f.0 != "GDPR006"),
        "a different key matches nothing: {wrong_key:#?}"
    );
}

#[test]
fn hash_subject_matches_the_library_and_never_echoes() {
    let run = |input: &str, key: Option<&str>| {
        let mut cmd = aibom(&std::env::temp_dir());
        cmd.args(["hash-subject", "--key-env", "AIBOM_TEST_SUBJECT_KEY"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match key {
            Some(k) => cmd.env("AIBOM_TEST_SUBJECT_KEY", k),
            None => cmd.env_remove("AIBOM_TEST_SUBJECT_KEY"),
        };
        let mut child = cmd.spawn().unwrap();
        use std::io::Write;
        // The binary may exit before reading (no key): a broken pipe is not a failure.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let expected = aibom::privacy::subject::hashed(b"fixture-key", "alex.customer@acme-mail.net");
    let (code, stdout, stderr) = run("  Alex.Customer@ACME-mail.net\n", Some("fixture-key"));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.trim(), expected);
    assert!(
        !stdout.to_lowercase().contains("acme-mail")
            && !stderr.to_lowercase().contains("acme-mail")
    );

    let (code, stdout, stderr) = run("call me, maybe: secret-words", Some("fixture-key"));
    assert_eq!(code, Some(2));
    assert!(
        stdout.is_empty() && !stderr.contains("secret-words"),
        "{stderr}"
    );

    let (code, _, stderr) = run("alex.customer@acme-mail.net", None);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("AIBOM_TEST_SUBJECT_KEY") && !stderr.contains("acme-mail"),
        "{stderr}"
    );
}

#[test]
fn config_errors_point_at_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aibom.toml"),
        "[[corpus]]\nid = \"support\"\nlegal_basis = \"vibes\"\n",
    )
    .unwrap();
    let out = aibom(dir.path())
        .args(["scan", ".", "--no-cache"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown legal basis"), "{stderr}");
    assert!(stderr.contains("aibom.toml:3:15"), "{stderr}");
}

#[test]
fn files_a_corpus_covers_are_scanned_even_when_no_detector_knows_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("exports");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("tickets.log"),
        "ticket 1 from alex.customer@acme-mail.net\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("aibom.toml"),
        "[[corpus]]\nid = \"tickets\"\npath = \"exports/*.log\"\ncontains_pii = true\npii_types = [\"email\"]\n",
    )
    .unwrap();
    let result = scan_with_config(dir.path());
    let c = result
        .inventory
        .component("corpus:exports/tickets.log")
        .expect("the covered file is a corpus");
    assert_eq!(c.properties["pii"]["types"]["email"]["count"], 1);
    assert!(result.findings.iter().any(|f| f.code == "PII001"));
    assert!(result.findings.iter().all(|f| f.code != "PII002"));
}

#[test]
fn cycles_in_declared_lineage_terminate() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "b"] {
        let d = dir.path().join("data").join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("x.jsonl"),
            "{\"t\":\"write to alex.customer@acme-mail.net\"}\n",
        )
        .unwrap();
    }
    std::fs::create_dir_all(dir.path().join("models/m")).unwrap();
    std::fs::write(
        dir.path().join("models/m/adapter_config.json"),
        "{\"base_model_name_or_path\": \"../m\"}",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("aibom.toml"),
        "[[corpus]]\nid = \"a\"\npath = \"data/a\"\nderived_from = [\"b\"]\n\n[[corpus]]\nid = \"b\"\npath = \"data/b\"\nderived_from = [\"a\"]\n\n\
         [[model]]\nid = \"m\"\npath = \"models/m\"\nbase_model = \"m\"\ntrained_on = [{ corpus = \"a\" }]\n",
    )
    .unwrap();
    let result = scan_with_config(dir.path());
    assert_eq!(
        result
            .inventory
            .component("adapter:models/m")
            .unwrap()
            .properties["trained_on_pii"],
        serde_json::json!(["email"])
    );
}

#[test]
fn hostile_erasure_logs_are_findings_not_failures() {
    let dir = tempfile::tempdir().unwrap();
    let mut log = Vec::new();
    log.extend_from_slice(b"\xff\xfe\x00garbage\n");
    log.extend_from_slice(&vec![b'{'; 70 * 1024]);
    log.extend_from_slice(b"\n{\"request_id\":\"E-1\",\"received_at\":\"2024-02-30\"}\n");
    std::fs::create_dir_all(dir.path().join("privacy")).unwrap();
    std::fs::write(dir.path().join("privacy/log.jsonl"), log).unwrap();
    std::fs::write(
        dir.path().join("aibom.toml"),
        "[[corpus]]\nid = \"c\"\ncontains_pii = true\nerasure_log = \"privacy/log.jsonl\"\n",
    )
    .unwrap();
    let result = scan_with_config(dir.path());
    let lines: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.code == "GDPR003" && f.subject.starts_with("log:"))
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(lines.iter().any(|m| m.contains("line 2 is longer")));
    assert!(lines.iter().any(|m| m.contains("request E-1 (line 3)")));
    // The erasure log is the stage's input, never a corpus component.
    assert!(
        result
            .inventory
            .component("corpus:privacy/log.jsonl")
            .is_none()
    );
}

#[test]
fn json_output_with_privacy_properties_matches_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/aibom-scan.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    for dir in [
        case("PII003", "fail-adapter-inherits"),
        case("GDPR005", "fail-erased-after-training"),
    ] {
        let out = aibom(&dir)
            .args(["scan", ".", "--no-cache", "--format", "json"])
            .output()
            .unwrap();
        let instance: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {}",
            dir.display(),
            errors.join("\n")
        );
        let text = instance.to_string();
        assert!(text.contains("\"trained_on_pii\"") || text.contains("\"legal_basis\""));
    }
}

#[test]
fn declared_personal_data_without_types_still_reaches_the_weights() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("data/notes.jsonl"),
        "{\"t\":\"no detectable values\"}\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("models/m")).unwrap();
    std::fs::write(
        dir.path().join("models/m/README.md"),
        "---\npipeline_tag: text-generation\n---\n# M\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("aibom.toml"),
        "[[corpus]]\nid = \"notes\"\npath = \"data/notes.jsonl\"\ncontains_pii = true\n\n[[model]]\nid = \"m\"\npath = \"models/m\"\ntrained_on = [{ corpus = \"notes\" }]\n",
    )
    .unwrap();
    let result = scan_with_config(dir.path());
    assert_eq!(
        result
            .inventory
            .component("model:models/m")
            .unwrap()
            .properties["trained_on_pii"],
        serde_json::json!(["unspecified"])
    );
    assert!(result.findings.iter().any(|f| f.code == "PII003"));
}

#[cfg(unix)]
#[test]
fn an_erasure_log_behind_a_symlink_out_of_the_tree_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("log.jsonl"),
        "{\"request_id\":\"E-1\",\"received_at\":\"2020-01-01\"}\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("privacy")).unwrap();
    std::fs::write(
        dir.path().join("aibom.toml"),
        "[[corpus]]\nid = \"c\"\ncontains_pii = true\nerasure_log = \"privacy/log.jsonl\"\n",
    )
    .unwrap();
    let result = scan_with_config(dir.path());
    assert!(
        result.findings.iter().all(|f| f.code != "GDPR004"),
        "{:#?}",
        result.findings
    );
    assert!(
        result
            .findings
            .iter()
            .any(|f| f.code == "GDPR003" && f.message.contains("resolves outside the repository")),
        "{:#?}",
        result.findings
    );
}

/// What the PII, GDPR and LIN rules say on their fixtures, with each case's manifest loaded and
/// the scan date fixed (the fixtures snapshot in tests/snapshots.rs scans without configs).
#[test]
fn privacy_rule_findings_with_their_manifests() {
    use std::fmt::Write;
    let mut report = String::new();
    for code in [
        "GDPR001", "GDPR002", "GDPR003", "GDPR004", "GDPR005", "GDPR006", "GDPR007", "LIN001",
        "LIN002", "LIN003", "PII001", "PII002", "PII003",
    ] {
        let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/rules").join(code))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        cases.sort();
        for dir in cases {
            let mut options = ScanOptions::new(&dir);
            if dir.join("aibom.toml").is_file() {
                options.policy = aibom::policy::load(&dir.join("aibom.toml")).unwrap();
            }
            options.today = aibom::suppression::Date::parse("2026-01-01");
            let result = scan(options).unwrap();
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            writeln!(report, "{code}/{name}").unwrap();
            for f in result
                .findings
                .iter()
                .filter(|f| ["PII", "GDPR", "LIN"].iter().any(|p| f.code.starts_with(p)))
            {
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
    insta::assert_snapshot!("privacy_rule_findings", report);
}

#[test]
fn a_model_entry_without_path_matches_the_one_model_of_that_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/c.jsonl"), "{\"t\":\"x\"}\n").unwrap();
    std::fs::create_dir_all(dir.path().join("models/support-lora")).unwrap();
    std::fs::write(
        dir.path().join("models/support-lora/adapter_config.json"),
        "{\"base_model_name_or_path\": \"acme/base\"}",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("aibom.toml"),
        "[[corpus]]\nid = \"c\"\npath = \"data/c.jsonl\"\ncontains_pii = true\npii_types = [\"phone\"]\n\n\
         [[model]]\nid = \"support-lora\"\ntrained_on = [{ corpus = \"c\" }]\n",
    )
    .unwrap();
    let result = scan_with_config(dir.path());
    assert!(
        result
            .inventory
            .relations
            .iter()
            .any(|r| r.from == "adapter:models/support-lora"
                && r.kind == RelationKind::TrainedOn
                && r.to == "corpus:data/c.jsonl")
    );
    assert_eq!(
        result
            .inventory
            .component("adapter:models/support-lora")
            .unwrap()
            .properties["trained_on_pii"],
        serde_json::json!(["phone"])
    );
}

/// `--staged` judges the documents the commit will hold: the erasure log and procedure as the
/// git index has them, not as the work tree does.
#[test]
fn staged_mode_reads_erasure_documents_from_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(dir.path()).unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let stage = |rel: &str| {
        let mut index = repo.index().unwrap();
        index.add_path(Path::new(rel)).unwrap();
        index.write().unwrap();
    };
    let config = "[[corpus]]\nid = \"c\"\ncontains_pii = true\n\
                  erasure_procedure = \"privacy/ERASURE.md\"\n\
                  erasure_log = \"privacy/log.jsonl\"\n";
    write("aibom.toml", config);
    stage("aibom.toml");
    // The staged log has a request with an impossible date; the work tree's was fixed after.
    write(
        "privacy/log.jsonl",
        "{\"request_id\":\"E-1\",\"received_at\":\"2024-02-30\"}\n",
    );
    stage("privacy/log.jsonl");
    write("privacy/log.jsonl", "");
    // The procedure is written but not staged: the commit will not have it.
    write("privacy/ERASURE.md", "# Erasure\n");

    let gdpr003 = |changes: aibom::git::ChangeScope| {
        let mut options = ScanOptions::new(dir.path());
        options.policy = aibom::policy::load(&dir.path().join("aibom.toml")).unwrap();
        options.changes = changes;
        let mut messages: Vec<String> = scan(options)
            .expect("scan runs")
            .findings
            .into_iter()
            .filter(|f| f.code == "GDPR003")
            .map(|f| f.message)
            .collect();
        messages.sort();
        messages
    };
    let staged = gdpr003(aibom::git::ChangeScope::Staged);
    assert_eq!(staged.len(), 2, "{staged:#?}");
    assert!(
        staged[0].contains("ERASURE.md, which does not exist"),
        "{staged:#?}"
    );
    assert!(staged[1].contains("request E-1 (line 1)"), "{staged:#?}");
    assert!(gdpr003(aibom::git::ChangeScope::All).is_empty());

    // A log that is not in the index at all is named as such.
    std::fs::remove_file(dir.path().join("privacy/log.jsonl")).unwrap();
    let mut index = repo.index().unwrap();
    index.remove_path(Path::new("privacy/log.jsonl")).unwrap();
    index.write().unwrap();
    write("privacy/log.jsonl", "");
    let staged = gdpr003(aibom::git::ChangeScope::Staged);
    assert!(
        staged
            .iter()
            .any(|m| m.contains("not in the git index (not staged)")),
        "{staged:#?}"
    );
}

/// Personal-data reports are cached by device, inode, size and modification time: an
/// unchanged corpus is not read again, a changed one is, the cache holds no value in clear, and
/// a file searched for erased subjects is always read.
#[test]
fn personal_data_reports_are_cached_for_unchanged_files() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aibom.toml"),
        "[[corpus]]\nid = \"chats\"\npath = \"data/chats.jsonl\"\nlegal_basis = \"consent\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    let corpus = dir.path().join("data/chats.jsonl");
    std::fs::write(&corpus, "{\"text\": \"write to jane@acme-mail.com\"}\n").unwrap();
    let run = || {
        let mut options = ScanOptions::new(dir.path());
        options.policy = aibom::policy::load(&dir.path().join("aibom.toml")).unwrap();
        options.cache_dir = Some(cache.path().to_owned());
        let result = scan(options).expect("scan runs");
        let scan = &result.inventory.privacy.scans["data/chats.jsonl"];
        let types: Vec<aibom::pii::PiiType> = scan
            .report
            .as_ref()
            .unwrap()
            .by_type
            .keys()
            .copied()
            .collect();
        (result.stats.pii_from_cache, types)
    };
    use aibom::pii::PiiType::{Email, Phone};
    // Written within seconds of the scan: not cached until its modification time has settled.
    assert_eq!(run(), (0, vec![Email]));
    assert_eq!(run(), (0, vec![Email]));
    common::settle(&corpus);
    assert_eq!(run(), (0, vec![Email]));
    assert_eq!(run(), (1, vec![Email]));
    let kept = std::fs::read_to_string(cache.path().join("pii-v1.txt")).unwrap();
    assert!(
        kept.contains("\"email\"") && !kept.contains("jane@acme-mail.com"),
        "{kept}"
    );

    // A changed file (another size) is read again.
    std::fs::write(
        &corpus,
        "{\"text\": \"write to jane@acme-mail.com or call +44 7911 123456\"}\n",
    )
    .unwrap();
    common::settle(&corpus);
    assert_eq!(run(), (0, vec![Email, Phone]));
    assert_eq!(run(), (1, vec![Email, Phone]));

    // With the key, erased subjects are looked for: the file is read on every scan.
    let fixture = case("GDPR006", "fail-key-missing");
    let gdpr006 = |cache_dir: &Path| {
        let out = aibom(&fixture)
            .env("AIBOM_CACHE_DIR", cache_dir)
            .env("AIBOM_FIXTURE_KEY_NEVER_SET", "fixture-key")
            .args(["scan", ".", "--format", "json"])
            .output()
            .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        value["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "GDPR006" && f["severity"] == "error")
            .count()
    };
    assert_eq!(gdpr006(cache.path()), 1);
    assert_eq!(
        gdpr006(cache.path()),
        1,
        "the second scan reads the file too"
    );
}

/// A dataset with real emails in one file and documentation emails in another: the finding's
/// first lines and samples are the real ones only; the documentation values are counted apart.
#[test]
fn first_lines_and_samples_of_real_values_leave_documentation_values_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data/acme-support");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("README.md"),
        "---\nlicense: cc-by-4.0\ntask_categories:\n- text-generation\n---\n# Acme support\n",
    )
    .unwrap();
    std::fs::write(
        data.join("a-docs.jsonl"),
        "{\"text\":\"write to help@example.com\"}\n",
    )
    .unwrap();
    std::fs::write(
        data.join("b-real.jsonl"),
        "{\"text\":\"hi\"}\n{\"text\":\"I am jane@acme-mail.com, or test@example.org\"}\n",
    )
    .unwrap();
    let result = scan(ScanOptions::new(dir.path())).unwrap();
    let pii001: Vec<&str> = result
        .findings
        .iter()
        .filter(|f| f.code == "PII001" && f.subject.contains("email"))
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(pii001.len(), 1, "{pii001:?}");
    let message = pii001[0];
    assert!(message.contains("b-real.jsonl:2"), "{message}");
    assert!(message.contains("in 1 file"), "{message}");
    assert!(!message.contains("a-docs.jsonl:1"), "{message}");
    assert!(message.contains("j***@a***"), "{message}");
    assert!(
        !message.contains("e***.com") && !message.contains("e***.org"),
        "{message}"
    );
}
