//! Embeds every `license-db/*.toml` record in the binary, so a new record needs no code change.
//!
//! Each record is embedded as JSON converted from its TOML here: reading the 86 records' TOML at
//! every start of `aibom` took most of the time of a scan of an empty folder, JSON a fraction
//! of it. A record that is not valid TOML fails the build; a date written bare (`2024-07-23`
//! rather than `"2024-07-23"`) does too, as the record format takes dates as strings.

use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&root).join("license-db");
    println!("cargo:rerun-if-changed=license-db");
    let mut records: Vec<(String, String)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_owned();
            Some((name, p.to_str()?.to_owned()))
        })
        .collect();
    records.sort();
    let mut out = String::from("pub static EMBEDDED: &[(&str, &str)] = &[\n");
    for (name, path) in &records {
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let json = to_json(toml::Value::Table(table), path);
        out.push_str(&format!("    ({name:?}, {:?}),\n", json.to_string()));
    }
    out.push_str("];\n");
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("license_db.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}

/// The JSON form of a TOML value; `path` names the record in a failure.
fn to_json(value: toml::Value, path: &str) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map(J::Number)
            .unwrap_or_else(|| panic!("{path}: {f} has no JSON form")),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => panic!("{path}: write the date {d} as a string (\"{d}\")"),
        toml::Value::Array(items) => {
            J::Array(items.into_iter().map(|v| to_json(v, path)).collect())
        }
        toml::Value::Table(table) => J::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, to_json(v, path)))
                .collect(),
        ),
    }
}
