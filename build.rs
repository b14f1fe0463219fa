//! Embeds every `license-db/*.toml` record in the binary, so a new record needs no code change.

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
        out.push_str(&format!("    ({name:?}, include_str!({path:?})),\n"));
    }
    out.push_str("];\n");
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("license_db.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
