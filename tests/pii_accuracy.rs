//! Precision and recall of the PII engine per type, on a corpus made by the seeded generator
//! `fixtures/pii/gen_corpus.py` (its labels come from the generator's own check-digit code,
//! never from the engine). Prints the table; fails when a structured type falls below 0.95.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use aibom::pii::{CorpusFormat, PiiType, scan_file};

const SEED: &str = "20261122";
const LINES: &str = "1500";
const STRUCTURED: &[&str] = &[
    "email",
    "phone",
    "payment_card",
    "iban",
    "ip_address",
    "us_ssn",
    "uk_nino",
    "uk_nhs",
    "de_tax_id",
];
/// Keyword-gated types are held to a lower bar: the hotword window is a heuristic.
const GATED_MIN: f64 = 0.9;

type Key = (u64, String, String, bool); // line, type, value, synthetic

fn python() -> Option<&'static str> {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    match (ok, std::env::var_os("CI").is_some()) {
        (true, _) => Some("python3"),
        (false, true) => panic!("CI is set but python3 is missing: the PII accuracy test needs it"),
        (false, false) => {
            let _ = writeln!(
                std::io::stderr(),
                "\n*** SKIPPED: pii_accuracy needs python3 to run fixtures/pii/gen_corpus.py ***\n"
            );
            None
        }
    }
}

fn count(map: &mut BTreeMap<String, BTreeMap<Key, u64>>, file: &str, key: Key) {
    *map.entry(file.to_string())
        .or_default()
        .entry(key)
        .or_default() += 1;
}

#[test]
fn precision_and_recall_per_type() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pii/gen_corpus.py");
    let status = Command::new(python)
        .arg(&generator)
        .args(["--seed", SEED, "--lines", LINES, "--out"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "the generator failed");

    let mut expected: BTreeMap<String, BTreeMap<Key, u64>> = BTreeMap::new();
    let labels = std::fs::read_to_string(dir.path().join("labels.jsonl")).unwrap();
    for line in labels.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let key = (
            v["line"].as_u64().unwrap(),
            v["type"].as_str().unwrap().to_string(),
            v["value"].as_str().unwrap().to_string(),
            v["synthetic"].as_bool().unwrap(),
        );
        count(&mut expected, v["file"].as_str().unwrap(), key);
    }

    let mut found: BTreeMap<String, BTreeMap<Key, u64>> = BTreeMap::new();
    for (file, format) in [
        ("chat.jsonl", CorpusFormat::Jsonl),
        ("table.csv", CorpusFormat::Csv),
        ("notes.txt", CorpusFormat::Text),
    ] {
        let path = dir.path().join(file);
        scan_file(&path, format, &mut |m| {
            let key = (
                m.line,
                m.kind.as_str().to_string(),
                m.normalized.to_string(),
                m.synthetic,
            );
            count(&mut found, file, key);
        })
        .unwrap();
    }

    // Per type: labels, engine matches, true positives; a few misses of each kind to debug.
    let mut table: BTreeMap<&str, (u64, u64, u64)> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    let files: Vec<String> = expected.keys().chain(found.keys()).cloned().collect();
    for file in files.iter().collect::<std::collections::BTreeSet<_>>() {
        let empty = BTreeMap::new();
        let want = expected.get(file.as_str()).unwrap_or(&empty);
        let got = found.get(file.as_str()).unwrap_or(&empty);
        for (key, &n) in want {
            let kind = PiiType::parse(&key.1).unwrap().as_str();
            let hit = got.get(key).copied().unwrap_or(0).min(n);
            let row = table.entry(kind).or_default();
            row.0 += n;
            row.2 += hit;
            if hit < n && misses.len() < 40 {
                misses.push(format!(
                    "missed   {file}:{} {} {:?} synthetic={}",
                    key.0, key.1, key.2, key.3
                ));
            }
        }
        for (key, &n) in got {
            let kind = PiiType::parse(&key.1).unwrap().as_str();
            table.entry(kind).or_default().1 += n;
            let labelled = want.get(key).copied().unwrap_or(0);
            if n > labelled && misses.len() < 80 {
                misses.push(format!(
                    "spurious {file}:{} {} {:?} synthetic={}",
                    key.0, key.1, key.2, key.3
                ));
            }
        }
    }

    let mut report = String::from("\ntype            labels  found     tp  precision  recall\n");
    let mut failures = Vec::new();
    for kind in PiiType::ALL {
        let name = kind.as_str();
        let (labels, got, tp) = table.get(name).copied().unwrap_or_default();
        let precision = if got == 0 {
            1.0
        } else {
            tp as f64 / got as f64
        };
        let recall = if labels == 0 {
            1.0
        } else {
            tp as f64 / labels as f64
        };
        report.push_str(&format!(
            "{name:<15} {labels:>6} {got:>6} {tp:>6}  {precision:>9.3}  {recall:>6.3}\n"
        ));
        let min = if STRUCTURED.contains(&name) {
            0.95
        } else {
            GATED_MIN
        };
        if labels == 0 {
            failures.push(format!("{name}: the generator planted none"));
        } else if precision < min || recall < min {
            failures.push(format!(
                "{name}: precision {precision:.3}, recall {recall:.3} (minimum {min})"
            ));
        }
    }
    println!("{report}");
    let _ = writeln!(std::io::stderr(), "{report}");
    for m in &misses {
        println!("{m}");
    }
    assert!(
        failures.is_empty(),
        "below the bar:\n{}\n{report}",
        failures.join("\n")
    );
}
