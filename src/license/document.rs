//! Which file names are licence documents: `LICENSE`, `COPYING.txt`, `LICENSE-MIT`,
//! `LICENSE.apache`, and the prefixed names repositories give licences of their parts
//! (`DATA_LICENSE`, `WEIGHT_DIFF_LICENSE`, `model.licence`). One rule, so that the walk, the
//! Hugging Face cache and the Hub look-ups agree on what a licence file is.
//!
//! It looks at the name only, never at content, and never at directories. A REUSE sidecar
//! (`logo.png.license`) is not a licence document.

/// Names a licence document is, or starts with followed by `-`, `.` or `_`. Sorted.
static DOCUMENT_NAMES: &[&str] = &[
    "copying",
    "licence",
    "licences",
    "license",
    "licenses",
    "notice",
    "use_policy",
];

/// Names a licence document may end with, after `-`, `.` or `_` (`DATA_LICENSE`). Sorted.
static DOCUMENT_SUFFIXES: &[&str] = &["licence", "license"];

/// Extensions a licence document is written with; others end up as part of the name
/// (`LICENSE.apache`). Sorted.
static TEXT_EXTENSIONS: &[&str] = &[".markdown", ".md", ".rst", ".txt"];

/// Extensions of code, configuration and data, which a `license_utils.py` or `license.json`
/// is, not a licence text. Sorted.
static NOT_TEXT_EXTENSIONS: &[&str] = &[
    "bash", "c", "cc", "cfg", "cpp", "css", "csv", "go", "h", "hpp", "ini", "ipynb", "java", "js",
    "json", "jsonl", "kt", "lock", "mjs", "parquet", "pdf", "pkl", "png", "ps1", "py", "pyc", "rb",
    "rs", "sh", "svg", "toml", "ts", "tsv", "tsx", "xml", "yaml", "yml",
];

const SEPARATORS: [char; 3] = ['-', '.', '_'];

/// Whether a file name (no directory) is a licence document's, case-insensitively.
pub fn is_licence_document(file_name: &str) -> bool {
    let name = file_name.to_ascii_lowercase();
    let stem = TEXT_EXTENSIONS
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(&name);
    if stem
        .rsplit_once('.')
        .is_some_and(|(_, ext)| NOT_TEXT_EXTENSIONS.contains(&ext))
    {
        return false;
    }
    let named = DOCUMENT_NAMES.iter().any(|base| {
        stem.strip_prefix(base)
            .is_some_and(|rest| rest.is_empty() || (rest.len() > 1 && rest.starts_with(SEPARATORS)))
    });
    named
        || DOCUMENT_SUFFIXES.iter().any(|base| {
            stem.strip_suffix(base).is_some_and(|rest| {
                // `logo.png.license` is a REUSE sidecar: the licence of the file it names, in
                // SPDX tags, not a licence text.
                let sidecar = rest.ends_with('.') && rest[..rest.len() - 1].contains('.');
                rest.len() > 1 && rest.ends_with(SEPARATORS) && !sidecar
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_tables_are_sorted() {
        assert!(DOCUMENT_NAMES.is_sorted());
        assert!(DOCUMENT_SUFFIXES.is_sorted());
        assert!(TEXT_EXTENSIONS.is_sorted());
        assert!(NOT_TEXT_EXTENSIONS.is_sorted());
    }

    #[test]
    fn licence_documents_by_name() {
        for name in [
            "LICENSE",
            "license.txt",
            "LICENCE.md",
            "COPYING",
            "COPYING.LESSER",
            "NOTICE",
            "NOTICE.txt",
            "USE_POLICY.md",
            "LICENSE-MIT",
            "LICENSE.apache",
            "LICENSE_MODEL",
            "LICENSE-2.0.txt",
            "LICENSE-MODEL.md",
            "DATA_LICENSE",
            "WEIGHT_DIFF_LICENSE",
            "model-licence.txt",
            "acme.LICENSE",
            "Data_License.md",
            "LICENSES.md",
        ] {
            assert!(is_licence_document(name), "{name}");
        }
    }

    #[test]
    fn other_files_are_not_licence_documents() {
        for name in [
            "README.md",
            "licensed.txt",
            "licenses_overview.csv",
            "license_utils.py",
            "license.json",
            "check_license.py",
            "sublicense",
            "LICENSE-",
            "_LICENSE",
            "noticeboard.md",
            "relicensed",
            "data_license.yaml",
            "logo.png.license",
            "weights.safetensors.license",
        ] {
            assert!(!is_licence_document(name), "{name}");
        }
    }
}
