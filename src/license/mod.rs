//! The licence engine: the licence database (`license-db/`, embedded, with an organisation's
//! records layered over it), identification of each component's licence with its evidence,
//! inheritance through lineage, and the facts the `LIC` rules check against the declared usage.
//!
//! It runs in the scan stage, after the inventory is built, and stores its conclusions on the
//! inventory; rules only read them. It does no I/O of its own except reading the attribution
//! files `[project]` names, inside the scanned root and bounded. It never uses the network.

pub mod analysis;
pub mod db;
pub mod document;
pub mod hf_cache;
pub mod hub;
pub mod obligations;
pub mod record;
pub mod render;
pub mod template;

pub use analysis::{ConcludedLicense, Licensing, analyse};
pub use db::{LicenseDb, LicenseDbError};
pub use document::is_licence_document;
pub use record::LicenseRecord;

/// The normalisation every fingerprint and text hash uses: lower case; every maximal run of
/// characters that are not ASCII letters or digits becomes one space; trimmed.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// Words of a normalised text.
pub fn word_count(normalized: &str) -> usize {
    normalized.split(' ').filter(|w| !w.is_empty()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_case_and_punctuation_runs() {
        assert_eq!(
            normalize("  LLAMA 3.1 — Community\n\nLicense, ©2024  "),
            "llama 3 1 community license 2024"
        );
        assert_eq!(normalize("é-x"), "x");
        assert_eq!(normalize("...."), "");
        assert_eq!(word_count("a b c"), 3);
        assert_eq!(word_count(""), 0);
    }
}
