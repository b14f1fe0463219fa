//! Data test for `license-db/`: every record is well-formed, names are unique, and each record's
//! fingerprints identify its own licence text in the shared texts folder and no other text there.
//!
//! Records are read as plain `toml::Value` so this test does not depend on the engine's types;
//! texts and phrases are normalised by the engine's `license::normalize`, whose words and hashes
//! the records hold.
//! The texts folder is `AIBOM_LICENSE_TEXTS`, or `../shared/license-texts` next to the repository.

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use toml::Value;

use aibom::license::{normalize, word_count};

mod common;

const TOP_KEYS: &[&str] = &[
    "id",
    "name",
    "family",
    "version_date",
    "spdx",
    "scancode",
    "hf_ids",
    "aliases",
    "links",
    "category",
    "fingerprint",
    "commercial",
    "threshold",
    "attribution",
    "naming",
    "outputs",
    "derivatives",
    "use_restrictions",
    "redistribution",
    "geo",
    "termination",
    "meta",
    "text",
];
const CATEGORIES: &[&str] = &[
    "permissive",
    "copyleft",
    "public-domain",
    "no-derivatives",
    "source-available",
    "responsible-ai",
    "non-commercial",
    "use-policy",
];
const COMMERCIAL: &[&str] = &["allowed", "conditional", "forbidden"];
const METRICS: &[&str] = &["mau", "annual_revenue_usd", "monthly_revenue_usd"];
const BASES: &[&str] = &["release_date_snapshot", "ongoing"];
const ON_EXCEED: &[&str] = &[
    "separate_license_required",
    "terminate",
    "no_license",
    "attribution_required",
];
const COPYLEFT: &[&str] = &[
    "none",
    "use_restrictions_flow_down",
    "license_flow_down",
    "same_license",
];
/// Term tables that must say which clause they come from.
const CLAUSED: &[&str] = &[
    "attribution",
    "naming",
    "outputs",
    "derivatives",
    "use_restrictions",
    "redistribution",
];

fn sha256_hex(normalized: &str) -> String {
    Sha256::digest(normalized.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Fingerprint {
    phrases: Vec<String>,
    max_words: Option<usize>,
}

impl Fingerprint {
    fn matches(&self, normalized: &str, words: usize) -> bool {
        self.max_words.is_none_or(|max| words <= max)
            && self.phrases.iter().all(|p| normalized.contains(p.as_str()))
    }
}

/// A replaceable passage of a record's text (`[[text.variable]]`), normalised.
struct Variable {
    preceded_by: String,
    original: String,
    followed_by: String,
}

/// Where the terms stand in a record's text (`[text.terms]`), normalised.
struct Terms {
    begins: String,
    ends: String,
    words: Option<i64>,
    sha: String,
    max_words_before: i64,
    max_words_after: i64,
}

struct Record {
    id: String,
    terms: Option<Terms>,
    fingerprints: Vec<Fingerprint>,
    text_file: Option<String>,
    text_words: Option<i64>,
    text_sha: Option<String>,
    variables: Vec<Variable>,
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn str_field<'a>(table: &'a toml::Table, key: &str, errs: &mut Vec<String>, at: &str) -> &'a str {
    match table.get(key) {
        Some(Value::String(s)) => s,
        Some(_) => {
            errs.push(format!("{at}: `{key}` must be a string"));
            ""
        }
        None => {
            errs.push(format!("{at}: `{key}` is missing"));
            ""
        }
    }
}

fn str_list(table: &toml::Table, key: &str, errs: &mut Vec<String>, at: &str) -> Vec<String> {
    match table.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
                _ => {
                    errs.push(format!("{at}: `{key}` holds a non-string or empty item"));
                    None
                }
            })
            .collect(),
        Some(_) => {
            errs.push(format!("{at}: `{key}` must be an array of strings"));
            Vec::new()
        }
        None => {
            errs.push(format!("{at}: `{key}` is missing"));
            Vec::new()
        }
    }
}

fn enum_field(table: &toml::Table, key: &str, allowed: &[&str], errs: &mut Vec<String>, at: &str) {
    let value = str_field(table, key, errs, at);
    if !value.is_empty() && !allowed.contains(&value) {
        errs.push(format!(
            "{at}: `{key}` = {value:?} is not one of {allowed:?}"
        ));
    }
}

fn bool_field(table: &toml::Table, key: &str, errs: &mut Vec<String>, at: &str) {
    if !matches!(table.get(key), Some(Value::Boolean(_))) {
        errs.push(format!("{at}: `{key}` must be a boolean"));
    }
}

fn nonempty_str(table: &toml::Table, key: &str, errs: &mut Vec<String>, at: &str) {
    if str_field(table, key, errs, at).trim().is_empty() {
        errs.push(format!("{at}: `{key}` must not be empty"));
    }
}

fn sub_table<'a>(
    rec: &'a toml::Table,
    key: &str,
    errs: &mut Vec<String>,
    at: &str,
) -> Option<&'a toml::Table> {
    match rec.get(key) {
        Some(Value::Table(t)) => Some(t),
        Some(_) => {
            errs.push(format!("{at}: `{key}` must be a table"));
            None
        }
        None => None,
    }
}

fn array_of_tables<'a>(
    rec: &'a toml::Table,
    key: &str,
    errs: &mut Vec<String>,
    at: &str,
) -> Vec<&'a toml::Table> {
    match rec.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::Table(t) => Some(t),
                _ => {
                    errs.push(format!("{at}: `[[{key}]]` items must be tables"));
                    None
                }
            })
            .collect(),
        Some(_) => {
            errs.push(format!("{at}: `{key}` must be an array of tables"));
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// Validates one parsed record and returns what the text checks need.
fn validate(file_stem: &str, rec: &toml::Table, errs: &mut Vec<String>) -> Record {
    let at = format!("license-db/{file_stem}.toml");
    let at = at.as_str();
    for key in rec.keys() {
        if !TOP_KEYS.contains(&key.as_str()) {
            errs.push(format!("{at}: unknown key `{key}`"));
        }
    }
    let id = str_field(rec, "id", errs, at).to_string();
    if id != file_stem {
        errs.push(format!("{at}: id {id:?} differs from the file name"));
    }
    for key in ["name", "family", "category"] {
        nonempty_str(rec, key, errs, at);
    }
    for key in ["version_date", "spdx", "scancode"] {
        str_field(rec, key, errs, at);
    }
    for key in ["hf_ids", "aliases", "links"] {
        str_list(rec, key, errs, at);
    }
    let category = str_field(rec, "category", errs, at);
    if !category.is_empty() && !CATEGORIES.contains(&category) {
        errs.push(format!(
            "{at}: category {category:?} is not one of {CATEGORIES:?}"
        ));
    }

    let mut fingerprints = Vec::new();
    let fp_tables = array_of_tables(rec, "fingerprint", errs, at);
    if fp_tables.is_empty() {
        errs.push(format!("{at}: at least one [[fingerprint]] is required"));
    }
    for fp in fp_tables {
        let phrases: Vec<String> = str_list(fp, "all", errs, at)
            .iter()
            .map(|p| normalize(p))
            .collect();
        if phrases.is_empty() || phrases.iter().any(String::is_empty) {
            errs.push(format!("{at}: a fingerprint has no usable phrase"));
        }
        let max_words = match fp.get("max_words") {
            None => None,
            Some(Value::Integer(n)) if *n > 0 => Some(*n as usize),
            Some(_) => {
                errs.push(format!(
                    "{at}: fingerprint max_words must be a positive integer"
                ));
                None
            }
        };
        fingerprints.push(Fingerprint { phrases, max_words });
    }

    match sub_table(rec, "commercial", errs, at) {
        Some(c) => {
            enum_field(c, "status", COMMERCIAL, errs, &format!("{at} [commercial]"));
            bool_field(
                c,
                "registration_required",
                errs,
                &format!("{at} [commercial]"),
            );
        }
        None if category != "use-policy" => {
            errs.push(format!("{at}: [commercial] is required for a licence"))
        }
        None => {}
    }
    for th in array_of_tables(rec, "threshold", errs, at) {
        let at = &format!("{at} [[threshold]]");
        enum_field(th, "metric", METRICS, errs, at);
        enum_field(th, "basis", BASES, errs, at);
        enum_field(th, "on_exceed", ON_EXCEED, errs, at);
        nonempty_str(th, "scope", errs, at);
        nonempty_str(th, "clause", errs, at);
        let positive = match th.get("limit") {
            Some(Value::Integer(n)) => *n > 0,
            Some(Value::Float(f)) => *f > 0.0 && f.is_finite(),
            _ => false,
        };
        if !positive {
            errs.push(format!("{at}: `limit` must be a positive number"));
        }
        if let Some(v) = th.get("applies_if")
            && !matches!(v, Value::String(s) if !s.is_empty())
        {
            errs.push(format!("{at}: `applies_if` must be a non-empty string"));
        }
    }
    for key in CLAUSED {
        if let Some(t) = sub_table(rec, key, errs, at) {
            nonempty_str(t, "clause", errs, &format!("{at} [{key}]"));
        }
    }
    if let Some(t) = sub_table(rec, "outputs", errs, at) {
        enum_field(
            t,
            "train_other_models",
            COMMERCIAL,
            errs,
            &format!("{at} [outputs]"),
        );
    }
    if let Some(t) = sub_table(rec, "derivatives", errs, at) {
        enum_field(
            t,
            "copyleft",
            COPYLEFT,
            errs,
            &format!("{at} [derivatives]"),
        );
        bool_field(
            t,
            "includes_distillation",
            errs,
            &format!("{at} [derivatives]"),
        );
    }
    if let Some(t) = sub_table(rec, "redistribution", errs, at) {
        for key in [
            "license_copy",
            "modified_file_notice",
            "hosted_counts_as_distribution",
        ] {
            bool_field(t, key, errs, &format!("{at} [redistribution]"));
        }
    }
    if let Some(t) = sub_table(rec, "naming", errs, at) {
        nonempty_str(t, "derivative_prefix", errs, &format!("{at} [naming]"));
        str_list(t, "applies_to", errs, &format!("{at} [naming]"));
    }
    if let Some(t) = sub_table(rec, "termination", errs, at) {
        bool_field(t, "on_ip_suit", errs, &format!("{at} [termination]"));
        bool_field(
            t,
            "on_guardrail_bypass",
            errs,
            &format!("{at} [termination]"),
        );
    }
    for geo in array_of_tables(rec, "geo", errs, at) {
        let at = &format!("{at} [[geo]]");
        if str_list(geo, "excluded", errs, at).is_empty() {
            errs.push(format!("{at}: `excluded` must name at least one region"));
        }
        nonempty_str(geo, "source", errs, at);
    }
    match sub_table(rec, "meta", errs, at) {
        Some(meta) => {
            str_field(meta, "governing_law", errs, &format!("{at} [meta]"));
            if str_list(meta, "sources", errs, &format!("{at} [meta]")).is_empty() {
                errs.push(format!("{at}: [meta] sources must not be empty"));
            }
        }
        None => errs.push(format!("{at}: [meta] is required")),
    }

    let mut record = Record {
        id,
        fingerprints,
        text_file: None,
        text_words: None,
        text_sha: None,
        variables: Vec::new(),
        terms: None,
    };
    if let Some(text) = sub_table(rec, "text", errs, at) {
        let at = &format!("{at} [text]");
        let file = str_field(text, "file", errs, at);
        if file.is_empty() || file.contains('/') || file.contains('\\') {
            errs.push(format!("{at}: `file` must be a bare file name"));
        }
        record.text_file = Some(file.to_string());
        match text.get("words") {
            Some(Value::Integer(n)) if *n > 0 => record.text_words = Some(*n),
            _ => errs.push(format!("{at}: `words` must be a positive integer")),
        }
        let sha = str_field(text, "normalized_sha256", errs, at);
        if sha.len() != 64
            || !sha
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        {
            errs.push(format!(
                "{at}: `normalized_sha256` must be 64 lowercase hex digits"
            ));
        }
        record.text_sha = Some(sha.to_string());
        for key in text.keys() {
            if !["file", "words", "normalized_sha256", "variable", "terms"].contains(&key.as_str())
            {
                errs.push(format!("{at}: unknown key `{key}`"));
            }
        }
        for v in array_of_tables(text, "variable", errs, at) {
            let at = &format!("{at} [[text.variable]]");
            for key in v.keys() {
                if !["preceded_by", "original", "followed_by"].contains(&key.as_str()) {
                    errs.push(format!("{at}: unknown key `{key}`"));
                }
            }
            let preceded_by = match v.get("preceded_by") {
                None => String::new(),
                Some(_) => normalize(str_field(v, "preceded_by", errs, at)),
            };
            let [original, followed_by] =
                ["original", "followed_by"].map(|key| normalize(str_field(v, key, errs, at)));
            if original.is_empty() || followed_by.is_empty() {
                errs.push(format!(
                    "{at}: `original` and `followed_by` must have words"
                ));
            }
            record.variables.push(Variable {
                preceded_by,
                original,
                followed_by,
            });
        }
        if let Some(terms) = sub_table(text, "terms", errs, at) {
            let at = &format!("{at} [text.terms]");
            const KEYS: &[&str] = &[
                "begins",
                "ends",
                "words",
                "normalized_sha256",
                "max_words_before",
                "max_words_after",
            ];
            for key in terms.keys() {
                if !KEYS.contains(&key.as_str()) {
                    errs.push(format!("{at}: unknown key `{key}`"));
                }
            }
            let begins = match terms.get("begins") {
                None => String::new(),
                Some(_) => normalize(str_field(terms, "begins", errs, at)),
            };
            let ends = normalize(str_field(terms, "ends", errs, at));
            if ends.is_empty() {
                errs.push(format!("{at}: `ends` must have words"));
            }
            let count = |key: &str, errs: &mut Vec<String>| match terms.get(key) {
                None => 0,
                Some(Value::Integer(n)) if *n >= 0 => *n,
                Some(_) => {
                    errs.push(format!("{at}: `{key}` must be a whole number"));
                    0
                }
            };
            let words = match terms.get("words") {
                Some(Value::Integer(n)) if *n > 0 => Some(*n),
                _ => {
                    errs.push(format!("{at}: `words` must be a positive integer"));
                    None
                }
            };
            record.terms = Some(Terms {
                begins,
                ends,
                words,
                sha: str_field(terms, "normalized_sha256", errs, at).to_owned(),
                max_words_before: count("max_words_before", errs),
                max_words_after: count("max_words_after", errs),
            });
        }
    }
    record
}

/// Each replaceable passage is where its anchors say, in order: the first `preceded_by` (or the
/// start) directly precedes `original`, which directly precedes `followed_by`, so the engine's
/// restoring leaves the canonical text as it is. The passage fits the engine's size limit.
fn check_variables(rec: &Record, file: &str, canonical: &str, errs: &mut Vec<String>) {
    let padded = format!(" {canonical} ");
    let mut from = 0;
    for v in &rec.variables {
        let at = format!("{}: [[text.variable]] {:?}", rec.id, v.original);
        let start = if v.preceded_by.is_empty() {
            Some(0)
        } else {
            padded[from..]
                .find(&format!(" {} ", v.preceded_by))
                .map(|i| from + i + v.preceded_by.len() + 1)
        };
        let Some(start) = start else {
            errs.push(format!("{at}: `preceded_by` is not in {file}"));
            continue;
        };
        let passage = format!(" {} {} ", v.original, v.followed_by);
        if !padded[start..].starts_with(&passage) {
            errs.push(format!(
                "{at}: `preceded_by original followed_by` is not in {file}"
            ));
            continue;
        }
        if format!(" {} ", v.original).contains(&format!(" {} ", v.followed_by)) {
            errs.push(format!("{at}: `original` contains `followed_by`"));
        }
        if word_count(&v.original) > aibom::license::template::MAX_VARIABLE_WORDS {
            errs.push(format!(
                "{at}: the passage is longer than the engine restores"
            ));
        }
        from = start + v.original.len() + 1;
    }
}

/// The terms are where their anchors say in the canonical text, with the words and hash the record
/// gives; a bound on the text outside them admits at least the canonical text's own (0 admits
/// none, leaving the canonical wording to the whole-text hash).
fn check_terms(rec: &Record, file: &str, canonical: &str, errs: &mut Vec<String>) {
    let Some(terms) = &rec.terms else { return };
    let at = format!("{}: [text.terms]", rec.id);
    let words: Vec<&str> = canonical.split(' ').collect();
    let find = |from: usize, phrase: &str| {
        let needle: Vec<&str> = phrase.split(' ').filter(|w| !w.is_empty()).collect();
        if needle.is_empty() {
            return Some(from);
        }
        words[from..]
            .windows(needle.len())
            .position(|w| w == needle.as_slice())
            .map(|i| from + i)
    };
    let Some(start) = find(0, &terms.begins) else {
        errs.push(format!("{at}: `begins` is not in {file}"));
        return;
    };
    let Some(end) = find(start, &terms.ends).map(|i| i + word_count(&terms.ends)) else {
        errs.push(format!("{at}: `ends` is not in {file} after `begins`"));
        return;
    };
    let found = words[start..end].join(" ");
    if terms.words != Some((end - start) as i64) {
        errs.push(format!(
            "{at}: words = {:?}, the terms have {}",
            terms.words,
            end - start
        ));
    }
    let sha = sha256_hex(&found);
    if terms.sha != sha {
        errs.push(format!(
            "{at}: normalized_sha256 differs from the terms ({sha})"
        ));
    }
    for (bound, outside, key) in [
        (terms.max_words_before, start, "max_words_before"),
        (terms.max_words_after, words.len() - end, "max_words_after"),
    ] {
        if bound != 0 && bound < outside as i64 {
            errs.push(format!(
                "{at}: `{key}` = {bound} is less than the {outside} words {file} holds there"
            ));
        }
    }
}

/// Every id, Hugging Face id and alias (case-folded) names exactly one record.
fn check_unique_names(raw: &[(String, toml::Table)], errs: &mut Vec<String>) {
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for (stem, rec) in raw {
        let mut names = BTreeSet::new();
        if let Some(Value::String(id)) = rec.get("id") {
            names.insert(id.to_lowercase());
        }
        for key in ["hf_ids", "aliases"] {
            if let Some(Value::Array(items)) = rec.get(key) {
                for item in items {
                    if let Value::String(s) = item {
                        names.insert(s.trim().to_lowercase());
                    }
                }
            }
        }
        for name in names {
            if let Some(prev) = owner.insert(name.clone(), stem.clone()) {
                errs.push(format!(
                    "name {name:?} is claimed by both {prev}.toml and {stem}.toml"
                ));
            }
        }
    }
}

fn load_raw_records() -> Vec<(String, toml::Table)> {
    let dir = repo_root().join("license-db");
    let mut raw = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    entries.sort();
    for path in entries {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let src = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let table: toml::Table = toml::from_str(&src)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
        raw.push((stem, table));
    }
    raw
}

fn load_records(errs: &mut Vec<String>) -> Vec<Record> {
    let raw = load_raw_records();
    assert!(
        raw.len() >= 60,
        "license-db/ holds only {} records",
        raw.len()
    );
    check_unique_names(&raw, errs);
    raw.iter()
        .map(|(stem, rec)| validate(stem, rec, errs))
        .collect()
}

fn fail_on(errs: Vec<String>) {
    if !errs.is_empty() {
        panic!(
            "{} problem(s) in license-db/:\n  {}",
            errs.len(),
            errs.join("\n  ")
        );
    }
}

#[test]
fn records_are_well_formed_and_names_unique() {
    let mut errs = Vec::new();
    let records = load_records(&mut errs);
    fail_on(errs);
    println!("{} licence records validated", records.len());
}

#[test]
fn spec_licences_have_records() {
    let raw = load_raw_records();
    let ids: BTreeSet<&str> = raw.iter().map(|(stem, _)| stem.as_str()).collect();
    let required = [
        "llama-2",
        "llama-3",
        "llama-3.1",
        "llama-3.2",
        "llama-3.3",
        "llama-4",
        "gemma-2024-02-21",
        "gemma-2025-03-24",
        "qwen",
        "tongyi-qianwen",
        "deepseek",
        "mrl-0.1",
        "mnpl-0.1",
        "falcon-180b-tii-1.0",
        "stability-ai-community",
        "nvidia-open-model",
        "bigscience-openrail-m",
        "bigscience-bloom-rail-1.0",
        "creativeml-openrail-m",
        "bigcode-openrail-m-v1",
        "creativeml-openrail-pp-m",
        "apple-ascl",
        "apple-amlr",
        "fair-noncommercial-research",
        "openmdw-1.0",
        "openmdw-1.1",
        "apache-2.0",
        "mit",
        "bsd-3-clause",
        "gpl-3.0",
        "agpl-3.0",
        "cc0-1.0",
        "cc-by-4.0",
        "cc-by-sa-4.0",
        "cc-by-nc-4.0",
        "cc-by-nc-sa-4.0",
        "cc-by-nd-4.0",
        "odc-by-1.0",
        "odbl-1.0",
        "pddl-1.0",
        "cdla-permissive-2.0",
        "cdla-sharing-1.0",
    ];
    let missing: Vec<&str> = required
        .into_iter()
        .filter(|id| !ids.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "SPEC §4.1 licences without a record: {missing:?}"
    );
}

#[test]
fn normalization_matches_the_documented_rule() {
    assert_eq!(
        normalize("  LLAMA 3.1 — Community\tLicense!! "),
        "llama 3 1 community license"
    );
    assert_eq!(normalize("Rail++-M"), "rail m");
    assert_eq!(normalize("café"), "caf");
    assert_eq!(word_count(&normalize("a, b;  c")), 3);
    assert_eq!(word_count(""), 0);
    assert_eq!(
        normalize("see https://example.com/ or HTTP://example.com/"),
        "see http example com or http example com",
        "http:// and https:// are equivalent"
    );
    assert_eq!(
        normalize("Conditions:\n  1. Keep the notice.\n  (b) Keep the disclaimer."),
        "conditions keep the notice keep the disclaimer",
        "list markers at the start of a line are not words"
    );
}

fn texts_dir() -> Option<PathBuf> {
    common::license_texts_dir()
}

struct Text {
    normalized: String,
    words: usize,
}

fn load_texts(dir: &Path) -> BTreeMap<String, Text> {
    let mut texts = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("licence texts folder is readable") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("licence text is readable");
        let normalized = normalize(&String::from_utf8_lossy(&bytes));
        let words = word_count(&normalized);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        texts.insert(name, Text { normalized, words });
    }
    texts
}

#[test]
fn fingerprints_identify_each_text_and_only_it() {
    let Some(dir) = texts_dir() else { return };
    let mut errs = Vec::new();
    let records = load_records(&mut errs);
    fail_on(errs);
    let texts = load_texts(&dir);
    assert!(!texts.is_empty(), "no .txt files in {}", dir.display());

    let mut errs = Vec::new();
    let mut identified: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    println!("{:<45} {:<45} fingerprints", "record", "matched text");
    for rec in &records {
        let own = rec.text_file.as_deref();
        if let Some(file) = own {
            match texts.get(file) {
                None => errs.push(format!(
                    "{}: [text] file {file} is not in {}",
                    rec.id,
                    dir.display()
                )),
                Some(t) => {
                    if rec.text_words != Some(t.words as i64) {
                        errs.push(format!(
                            "{}: words = {:?}, text has {}",
                            rec.id, rec.text_words, t.words
                        ));
                    }
                    let sha = sha256_hex(&t.normalized);
                    if rec.text_sha.as_deref() != Some(sha.as_str()) {
                        errs.push(format!(
                            "{}: normalized_sha256 differs from {file} ({sha})",
                            rec.id
                        ));
                    }
                    check_variables(rec, file, &t.normalized, &mut errs);
                    check_terms(rec, file, &t.normalized, &mut errs);
                    if !rec
                        .fingerprints
                        .iter()
                        .any(|fp| fp.matches(&t.normalized, t.words))
                    {
                        errs.push(format!(
                            "{}: no fingerprint identifies its own text {file}",
                            rec.id
                        ));
                    }
                }
            }
        }
        let mut matched = Vec::new();
        for (name, t) in &texts {
            if rec
                .fingerprints
                .iter()
                .any(|fp| fp.matches(&t.normalized, t.words))
            {
                matched.push(name.as_str());
                identified
                    .entry(name.as_str())
                    .or_default()
                    .push(rec.id.as_str());
                if Some(name.as_str()) != own {
                    errs.push(format!("{}: a fingerprint also matches {name}", rec.id));
                }
            }
        }
        println!(
            "{:<45} {:<45} {}",
            rec.id,
            if matched.is_empty() {
                "-".to_string()
            } else {
                matched.join(", ")
            },
            rec.fingerprints.len()
        );
    }
    for name in texts.keys() {
        match identified.get(name.as_str()).map(Vec::as_slice) {
            None | Some([]) => errs.push(format!("{name}: no record identifies this text")),
            Some([_]) => {}
            Some(many) => errs.push(format!("{name}: identified as several records {many:?}")),
        }
        if !records
            .iter()
            .any(|r| r.text_file.as_deref() == Some(name.as_str()))
        {
            errs.push(format!("{name}: no record names it in [text] file"));
        }
    }
    fail_on(errs);
}

/// A licence text with one clause added still carries the fingerprint phrases, but its word count
/// and hash no longer equal the record's, which is what lets the engine refuse to call it the original.
#[test]
fn an_edited_text_keeps_its_fingerprint_but_not_its_hash() {
    let Some(dir) = texts_dir() else { return };
    let mut errs = Vec::new();
    let records = load_records(&mut errs);
    fail_on(errs);
    let rec = records
        .iter()
        .find(|r| r.id == "llama-3.1")
        .expect("llama-3.1 record");
    let original = std::fs::read_to_string(dir.join("llama-3.1.txt")).expect("llama-3.1 text");
    let edited = original.replacen(
        "2. Additional Commercial Terms.",
        "1.c. Licensee may also sublicense the Llama Materials to anyone.\n\n2. Additional Commercial Terms.",
        1,
    );
    assert_ne!(
        edited, original,
        "the clause anchor was not found in the text"
    );
    let normalized = normalize(&edited);
    let words = word_count(&normalized);
    assert!(
        rec.fingerprints
            .iter()
            .any(|fp| fp.matches(&normalized, words))
    );
    assert_ne!(rec.text_words, Some(words as i64));
    assert_ne!(
        rec.text_sha.as_deref(),
        Some(sha256_hex(&normalized).as_str())
    );
}
