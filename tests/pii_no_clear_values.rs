//! The privacy guarantee: no output format ever contains a detected value in clear.
//!
//! A repository with known values planted in its corpora (emails, phone numbers, a card number,
//! an IBAN, an SSN …), a privacy manifest and an erasure log (one subject hashed, one written in
//! clear by mistake) is scanned with the binary into every format `report::Format` knows — the
//! list comes from clap, so formats added later are covered without editing this test — through
//! `aibom scan`, `aibom bom` and `aibom report`. No output may contain any planted value, nor its
//! digits with the separators removed.

use std::path::Path;
use std::process::Command;

use clap::ValueEnum;

const KEY: &str = "no-clear-values-key";

/// Values planted in the corpora, as written there.
const PLANTED: &[&str] = &[
    "alex.customer@acme-mail.net",
    "Sam.Client@Acme-Mail.net",
    "+1 212 555 0299",
    "(646) 555-0187",
    "+44 20 7946 0321",
    "4539 1488 0343 6467",
    "5425-2334-3010-9903",
    "DE75 5121 0800 1245 1261 99",
    "536-22-8614",
    "203.0.114.77",
];

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn plant(dir: &Path) {
    let mut chats = String::new();
    for (i, value) in PLANTED.iter().enumerate() {
        chats.push_str(&format!(
            "{{\"messages\":[{{\"role\":\"user\",\"content\":\"ticket {i}: reach me at {value} please\"}}]}}\n"
        ));
    }
    write(dir, "data/support/train.jsonl", &chats);
    write(
        dir,
        "data/support/README.md",
        "---\npretty_name: Support\ntask_categories: [text-generation]\n---\n# Support\n\n## Personal and Sensitive Information\n\n[More Information Needed]\n",
    );
    let mut csv = String::from("id,contact,card\n");
    for (i, value) in PLANTED.iter().enumerate() {
        csv.push_str(&format!(
            "{i},\"{value}\",\"{}\"\n",
            PLANTED[(i + 5) % PLANTED.len()]
        ));
    }
    write(dir, "data/raw/export.csv", &csv);
    write(
        dir,
        "notes/free-text.txt",
        &format!("Escalation: {}\n", PLANTED.join(" / ")),
    );
    write(
        dir,
        "models/lora/adapter_config.json",
        "{\"base_model_name_or_path\": \"acme/base-1b\", \"peft_type\": \"LORA\", \"r\": 8}\n",
    );
    write(
        dir,
        "models/lora/adapter_model.safetensors",
        &format!(
            "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize 1048576\n",
            "cd".repeat(32)
        ),
    );
    write(
        dir,
        "aibom.toml",
        "[privacy]\nhmac_key_env = \"AIBOM_NO_CLEAR_KEY\"\n\n\
         [[corpus]]\nid = \"raw\"\npath = [\"data/raw\", \"notes/*.txt\"]\ncontains_pii = false\n\n\
         [[corpus]]\nid = \"support\"\npath = \"data/support/*.jsonl\"\nderived_from = [\"raw\"]\ncontains_pii = true\n\
         pii_types = [\"email\"]\nerasure_procedure = \"docs/erasure.md\"\nerasure_log = \"privacy/erasure-log.jsonl\"\n\n\
         [[model]]\nid = \"support-lora\"\npath = \"models/lora\"\ntrained_at = 2024-01-15\ntrained_on = [{ corpus = \"support\" }]\n",
    );
    let hashed = aibom::privacy::subject::hashed(KEY.as_bytes(), "alex.customer@acme-mail.net");
    write(
        dir,
        "privacy/erasure-log.jsonl",
        &format!(
            "{{\"request_id\":\"E-1\",\"received_at\":\"2024-02-01\",\"completed_at\":\"2024-02-20\",\"subject\":\"{hashed}\",\"scope\":[\"raw\"]}}\n\
             {{\"request_id\":\"E-2\",\"received_at\":\"2024-02-01\",\"subject\":\"{}\",\"scope\":[\"support\"]}}\n\
             {{\"request_id\":\"E-3\",\"subject\":\"{}\"\n",
            PLANTED[1], PLANTED[2]
        ),
    );
}

fn aibom(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aibom"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("AIBOM_NO_CLEAR_KEY", KEY)
        .env("SOURCE_DATE_EPOCH", "1767225600");
    cmd
}

fn forbidden() -> Vec<String> {
    let mut out = Vec::new();
    for value in PLANTED {
        out.push(value.to_string());
        out.push(value.to_lowercase());
        let compact: String = value
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '@' || *c == '.')
            .collect();
        out.push(compact.clone());
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 7 {
            out.push(digits);
        }
    }
    out
}

fn assert_clean(label: &str, text: &str) {
    for value in forbidden() {
        assert!(
            !text.contains(&value),
            "{label} contains the planted value `{value}`"
        );
    }
}

#[test]
fn no_output_format_contains_a_planted_value() {
    let repo = tempfile::tempdir().unwrap();
    plant(repo.path());
    let out_dir = tempfile::tempdir().unwrap();
    let formats: Vec<String> = aibom::report::Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_owned()))
        .collect();
    assert!(formats.len() >= 3, "{formats:?}");

    // The scan must actually see the data (otherwise the test proves nothing).
    let json = aibom(repo.path())
        .args(["scan", ".", "--no-cache", "--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&json.stdout).into_owned();
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON output");
    let codes: Vec<&str> = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    for code in [
        "PII001", "PII002", "PII003", "GDPR003", "GDPR006", "GDPR007",
    ] {
        assert!(codes.contains(&code), "no {code} finding: {codes:?}");
    }
    assert_clean("scan --format json", &text);
    // The check itself catches a leak, in any of the spellings it looks for.
    for leak in [
        "alex.customer@acme-mail.net",
        "4539148803436467",
        "sam.client@acme-mail.net",
        "+12125550299",
    ] {
        let caught = std::panic::catch_unwind(|| assert_clean("self-test", &format!("x {leak} y")));
        assert!(caught.is_err(), "the leak check misses `{leak}`");
    }

    let mut written = 0;
    let subcommands: Vec<&str> = ["scan", "bom", "report"]
        .into_iter()
        .filter(|sub| {
            aibom(repo.path())
                .args([sub, "--help"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .collect();
    for sub in &subcommands {
        for format in &formats {
            let file = out_dir.path().join(format!("{sub}.{format}"));
            let out = aibom(repo.path())
                .args([sub, ".", "--no-cache", "--quiet"])
                .arg("--output")
                .arg(format!("{format}={}", file.display()))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            assert_clean(&format!("{sub} {format} stderr"), &stderr);
            assert_clean(&format!("{sub} {format} stdout"), &stdout);
            if out.status.code() == Some(2) {
                // `aibom bom` refuses SARIF, `aibom report` writes only html and md.
                assert!(
                    *sub != "scan",
                    "aibom scan --output {format}= failed: {stderr}"
                );
                continue;
            }
            let bytes = std::fs::read(&file)
                .unwrap_or_else(|e| panic!("{sub} --output {format}=: {e}; {stderr}"));
            assert_clean(&format!("{sub} {format}"), &String::from_utf8_lossy(&bytes));
            written += 1;
        }
    }
    assert!(
        written > formats.len(),
        "only {written} outputs were written"
    );
    // The human report on standard output, with colours off.
    let human = aibom(repo.path())
        .args(["scan", ".", "--no-cache"])
        .output()
        .unwrap();
    assert_clean("scan human stdout", &String::from_utf8_lossy(&human.stdout));
    assert_clean("scan human stderr", &String::from_utf8_lossy(&human.stderr));
}
