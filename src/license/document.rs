//! Which file names are licence documents: `LICENSE`, `COPYING.txt`, `LICENSE-MIT`,
//! `LICENSE.apache`, and the prefixed names repositories give licences of their parts
//! (`DATA_LICENSE`, `WEIGHT_DIFF_LICENSE`, `model.licence`). One rule, so that the walk, the
//! Hugging Face cache and the Hub look-ups agree on what a licence file is.
//!
//! It looks at the name only, never at content, and never at directories. A REUSE sidecar
//! (`logo.png.license`) is not a licence document.
//!
//! The name also says what a licence document covers (`scope`): `DATA_LICENSE` is the licence of
//! the data beside it, `WEIGHTS_LICENSE` of the weights, `CODE_LICENSE` of the code, and a plain
//! `LICENSE` of whatever no licence named for its part covers (`applies`). A repository that ships
//! its code under Apache-2.0 and its data under CC-BY-NC puts both in one directory; which file
//! sorts first must not decide which binds the weights.

use crate::inventory::ComponentKind;

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

/// The parts of a repository that licence file names tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Code,
    Data,
    Weights,
}

impl Part {
    /// The part a component is: weights for models, adapters, quantizations and merges; data for
    /// datasets and corpora; code for tools. Prompts and licence documents are none.
    pub fn of(kind: ComponentKind) -> Option<Part> {
        match kind {
            k if k.is_model_like() => Some(Part::Weights),
            k if k.is_data() => Some(Part::Data),
            ComponentKind::Tool | ComponentKind::ToolProvider => Some(Part::Code),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Part::Code => "code",
            Part::Data => "data",
            Part::Weights => "weights",
        }
    }

    /// The component kinds of the part, for people.
    fn kinds(self) -> &'static str {
        match self {
            Part::Code => "tools",
            Part::Data => "datasets and corpora",
            Part::Weights => "models, adapters, quantizations and merges",
        }
    }
}

/// Words of a licence document's name that mark the part it covers (`DATA_LICENSE`,
/// `LICENSE-MODEL.md`, `WEIGHT_DIFF_LICENSE`). Sorted by word.
static PART_WORDS: &[(&str, Part)] = &[
    ("checkpoint", Part::Weights),
    ("checkpoints", Part::Weights),
    ("code", Part::Code),
    ("corpora", Part::Data),
    ("corpus", Part::Data),
    ("data", Part::Data),
    ("dataset", Part::Data),
    ("datasets", Part::Data),
    ("model", Part::Weights),
    ("models", Part::Weights),
    ("software", Part::Code),
    ("weight", Part::Weights),
    ("weights", Part::Weights),
];

/// Licence document names that are notices or use terms, not licences (`NOTICE`, `USE_POLICY`).
/// Sorted.
static NOTICE_NAMES: &[&str] = &["notice", "use_policy"];

/// What a licence document's name says it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// `NOTICE`, `USE_POLICY`: attributions and use terms, for everything beside them, beside
    /// their licences.
    Notice,
    /// `LICENSE`, `COPYING`, `LICENSE-MIT`: everything beside it that no licence named for its
    /// part covers.
    General,
    /// `DATA_LICENSE`, `WEIGHTS_LICENSE`, `LICENSE_MODEL.md`: the parts its name names (sorted),
    /// and nothing else.
    Parts(Vec<Part>),
}

impl Scope {
    fn names(&self, part: Part) -> bool {
        matches!(self, Scope::Parts(parts) if parts.contains(&part))
    }
}

/// What a licence document's name (no directory) says it covers, case-insensitively. Words are
/// separated by `-`, `.`, `_` or spaces; a text extension (`.txt`, `.md`) is not a word.
pub fn scope(file_name: &str) -> Scope {
    let name = file_name.to_ascii_lowercase();
    let stem = TEXT_EXTENSIONS
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(&name);
    if NOTICE_NAMES.iter().any(|n| {
        stem.strip_prefix(n)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(SEPARATORS))
    }) {
        return Scope::Notice;
    }
    let mut parts: Vec<Part> = stem
        .split(|c: char| SEPARATORS.contains(&c) || c.is_whitespace())
        .filter_map(|word| {
            PART_WORDS
                .binary_search_by(|(w, _)| w.cmp(&word))
                .ok()
                .map(|i| PART_WORDS[i].1)
        })
        .collect();
    parts.sort();
    parts.dedup();
    if parts.is_empty() {
        Scope::General
    } else {
        Scope::Parts(parts)
    }
}

/// Why a licence document beside a component binds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applies {
    /// Its name is for the component's part (`DATA_LICENSE` beside a corpus).
    NamedFor(Part),
    /// A general licence (`LICENSE`), and nothing beside it is named for the component's part.
    /// `others`: the names of the licences beside it named for other parts.
    General {
        part: Option<Part>,
        others: Vec<String>,
    },
    /// A notice or use policy, which concerns everything beside it.
    Notice,
}

impl Applies {
    /// The reason, for people.
    pub fn reason(&self) -> String {
        match self {
            Applies::NamedFor(part) => format!(
                "named for {}: binds the {} beside it",
                part.as_str(),
                part.kinds()
            ),
            Applies::General { others, .. } if others.is_empty() => {
                "the licence file in the component's directory".to_owned()
            }
            Applies::General { part, others } => {
                let named: Vec<String> = others
                    .iter()
                    .map(|other| match scope(other) {
                        Scope::Parts(parts) => {
                            let parts: Vec<&str> = parts.iter().map(|p| p.as_str()).collect();
                            format!("{other} is for {}", parts.join(" and "))
                        }
                        _ => other.clone(),
                    })
                    .collect();
                let part = part.map_or("this component".to_owned(), |p| p.as_str().to_owned());
                format!(
                    "the general licence of its directory, as none there is named for {part} ({})",
                    named.join("; ")
                )
            }
            Applies::Notice => "a notice for everything in its directory".to_owned(),
        }
    }
}

/// Whether the licence document `file_name` binds a component of `part` (`Part::of`) in its
/// directory, whose licence documents are `beside` (file names, `file_name` among them), and why.
///
/// A document named for parts binds those parts only. A general one binds every part that
/// nothing beside it is named for: `LICENSE` next to `DATA_LICENSE` binds the weights and not the
/// data. Notices and use policies bind everything.
pub fn applies<S: AsRef<str>>(
    file_name: &str,
    part: Option<Part>,
    beside: &[S],
) -> Option<Applies> {
    match scope(file_name) {
        Scope::Notice => Some(Applies::Notice),
        Scope::Parts(parts) => {
            let part = part?;
            parts.contains(&part).then_some(Applies::NamedFor(part))
        }
        Scope::General => {
            let scoped: Vec<(String, Scope)> = beside
                .iter()
                .map(AsRef::as_ref)
                .filter(|name| *name != file_name)
                .map(|name| (name.to_owned(), scope(name)))
                .filter(|(_, s)| matches!(s, Scope::Parts(_)))
                .collect();
            if part.is_some_and(|p| scoped.iter().any(|(_, s)| s.names(p))) {
                return None;
            }
            let others = scoped.into_iter().map(|(name, _)| name).collect();
            Some(Applies::General { part, others })
        }
    }
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
        assert!(PART_WORDS.is_sorted_by_key(|(word, _)| *word));
        assert!(NOTICE_NAMES.is_sorted());
    }

    #[test]
    fn names_say_what_a_licence_document_covers() {
        use Part::*;
        for (name, expected) in [
            ("LICENSE", Scope::General),
            ("licence.md", Scope::General),
            ("COPYING.LESSER", Scope::General),
            ("LICENSE-MIT", Scope::General),
            ("LICENSE-2.0.txt", Scope::General),
            ("acme.LICENSE", Scope::General),
            ("NOTICE", Scope::Notice),
            ("NOTICE.txt", Scope::Notice),
            ("USE_POLICY.md", Scope::Notice),
            ("DATA_LICENSE", Scope::Parts(vec![Data])),
            ("data-license.txt", Scope::Parts(vec![Data])),
            ("LICENSE_DATA", Scope::Parts(vec![Data])),
            ("Dataset_License.md", Scope::Parts(vec![Data])),
            ("LICENSE-DATA.md", Scope::Parts(vec![Data])),
            ("WEIGHTS_LICENSE", Scope::Parts(vec![Weights])),
            ("WEIGHT_LICENSE", Scope::Parts(vec![Weights])),
            ("WEIGHT_DIFF_LICENSE", Scope::Parts(vec![Weights])),
            ("MODEL_LICENSE", Scope::Parts(vec![Weights])),
            ("LICENSE_MODEL", Scope::Parts(vec![Weights])),
            ("model.licence", Scope::Parts(vec![Weights])),
            ("LICENSE-MODEL.md", Scope::Parts(vec![Weights])),
            ("CODE_LICENSE", Scope::Parts(vec![Code])),
            ("LICENSE.code.txt", Scope::Parts(vec![Code])),
            ("MODEL_AND_DATA_LICENSE", Scope::Parts(vec![Data, Weights])),
        ] {
            assert!(is_licence_document(name), "{name}");
            assert_eq!(scope(name), expected, "{name}");
        }
    }

    #[test]
    fn a_named_licence_binds_its_part_and_the_general_one_the_rest() {
        use Part::*;
        let beside = ["DATA_LICENSE", "LICENSE", "NOTICE", "WEIGHT_DIFF_LICENSE"];
        let applies_to = |name: &str, part| applies(name, Some(part), &beside);
        assert_eq!(
            applies_to("DATA_LICENSE", Data),
            Some(Applies::NamedFor(Data))
        );
        assert_eq!(applies_to("DATA_LICENSE", Weights), None);
        assert_eq!(
            applies_to("WEIGHT_DIFF_LICENSE", Weights),
            Some(Applies::NamedFor(Weights))
        );
        assert_eq!(applies_to("WEIGHT_DIFF_LICENSE", Data), None);
        assert_eq!(applies_to("LICENSE", Data), None);
        assert_eq!(applies_to("LICENSE", Weights), None);
        assert_eq!(
            applies_to("LICENSE", Code),
            Some(Applies::General {
                part: Some(Code),
                others: vec!["DATA_LICENSE".to_owned(), "WEIGHT_DIFF_LICENSE".to_owned()],
            })
        );
        assert_eq!(applies_to("NOTICE", Data), Some(Applies::Notice));
        assert_eq!(applies_to("NOTICE", Weights), Some(Applies::Notice));
        // A prompt is no part: only what is for everything binds it.
        assert!(applies("LICENSE", None, &beside).is_some());
        assert_eq!(applies("DATA_LICENSE", None, &beside), None);
    }

    #[test]
    fn a_general_licence_says_which_named_licences_it_gives_way_to() {
        let beside = ["DATA_LICENSE", "LICENSE"];
        let general = applies("LICENSE", Some(Part::Weights), &beside).unwrap();
        assert_eq!(
            general.reason(),
            "the general licence of its directory, as none there is named for weights \
             (DATA_LICENSE is for data)"
        );
        let alone = applies("LICENSE", Some(Part::Weights), &["LICENSE"]).unwrap();
        assert_eq!(
            alone.reason(),
            "the licence file in the component's directory"
        );
        let named = applies("DATA_LICENSE", Some(Part::Data), &beside).unwrap();
        assert_eq!(
            named.reason(),
            "named for data: binds the datasets and corpora beside it"
        );
    }

    #[test]
    fn every_part_belongs_to_component_kinds() {
        use ComponentKind as K;
        assert_eq!(Part::of(K::Model), Some(Part::Weights));
        assert_eq!(Part::of(K::Adapter), Some(Part::Weights));
        assert_eq!(Part::of(K::Quantization), Some(Part::Weights));
        assert_eq!(Part::of(K::Merge), Some(Part::Weights));
        assert_eq!(Part::of(K::Dataset), Some(Part::Data));
        assert_eq!(Part::of(K::Corpus), Some(Part::Data));
        assert_eq!(Part::of(K::Tool), Some(Part::Code));
        assert_eq!(Part::of(K::Prompt), None);
        assert_eq!(Part::of(K::LicenceDocument), None);
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
