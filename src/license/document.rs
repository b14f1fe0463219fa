//! Which file names are licence documents: `LICENSE`, `COPYING.txt`, `LICENSE-MIT`,
//! `LICENSE.apache`, and the prefixed names repositories give licences of their parts
//! (`DATA_LICENSE`, `WEIGHT_DIFF_LICENSE`, `model.licence`). One rule, so that the walk, the
//! Hugging Face cache and the Hub look-ups agree on what a licence file is.
//!
//! Whether a file is a licence document looks at the name only, never at content, and never at
//! directories. A REUSE sidecar (`logo.png.license`) is not a licence document.
//!
//! The name also says what a licence document covers (`scope`): `DATA_LICENSE` is the licence of
//! the data beside it, `WEIGHTS_LICENSE` of the weights, `CODE_LICENSE` of the code, and a plain
//! `LICENSE` of whatever no licence named for its part covers (`applies`). A repository that ships
//! its code under Apache-2.0 and its data under CC-BY-NC puts both in one directory; which file
//! sorts first must not decide which binds the weights. What the document's own text states
//! (`license::statement`: "This license applies to the code only") narrows or overrides what its
//! name says (`Document::scope`).

use super::statement::Statement;
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

/// A licence document as `applies` sees it: its file name, and the scope statement its text
/// makes (`license::statement::read`), if any.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub name: &'a str,
    pub stated: Option<&'a Statement>,
}

impl<'a> Document<'a> {
    /// A document known by its name alone.
    pub fn named(name: &'a str) -> Document<'a> {
        Document { name, stated: None }
    }

    /// What the document covers: what its text states, when it states something and is not a
    /// notice; else what its name says.
    pub fn scope(&self) -> Scope {
        match (scope(self.name), self.stated) {
            (Scope::Notice, _) => Scope::Notice,
            (_, Some(stated)) => Scope::Parts(stated.covers.clone()),
            (by_name, None) => by_name,
        }
    }

    /// The statement by which the document's text takes `part` away from what its name gives it
    /// (`LICENSE` saying it covers the code only, beside weights), if it does.
    pub fn stated_away(&self, part: Part) -> Option<&'a Statement> {
        let stated = self.stated?;
        let by_name = match scope(self.name) {
            Scope::Notice => false,
            Scope::General => true,
            Scope::Parts(parts) => parts.contains(&part),
        };
        (by_name && !stated.covers.contains(&part)).then_some(stated)
    }
}

/// Why a licence document beside a component binds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applies {
    /// Its name is for the component's part (`DATA_LICENSE` beside a corpus).
    NamedFor(Part),
    /// Its text says it covers the component's part (`The model weights are licensed under the
    /// license below.`); `quote`: that statement.
    StatedFor { part: Part, quote: String },
    /// It is split by part, and one of its sections is for the component's part (`## Model
    /// weights: CC-BY-NC-4.0`); `heading`: that section's heading.
    Section { part: Part, heading: String },
    /// A general licence (`LICENSE`), and nothing beside it is named for the component's part.
    /// `others`: the licences beside it for other parts, each with what it is for (`DATA_LICENSE
    /// is for data`).
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
            Applies::StatedFor { part, quote } => format!(
                "its text says it is for {}: binds the {} beside it (\"{quote}\")",
                part.as_str(),
                part.kinds()
            ),
            Applies::Section { part, heading } => format!(
                "its section \"{heading}\" is for {}: binds the {} beside it",
                part.as_str(),
                part.kinds()
            ),
            Applies::General { others, .. } if others.is_empty() => {
                "the licence file in the component's directory".to_owned()
            }
            Applies::General { part, others } => {
                let part = part.map_or("this component".to_owned(), |p| p.as_str().to_owned());
                format!(
                    "the general licence of its directory, as none there is named for {part} ({})",
                    others.join("; ")
                )
            }
            Applies::Notice => "a notice for everything in its directory".to_owned(),
        }
    }
}

/// Whether the licence `document` binds a component of `part` (`Part::of`) in its directory,
/// whose licence documents are `beside` (`document` among them), and why.
///
/// A document for parts (by its name, or by what its text states) binds those parts only. A
/// general one binds every part that nothing beside it is for: `LICENSE` next to `DATA_LICENSE`
/// binds the weights and not the data. Notices and use policies bind everything.
pub fn applies(
    document: Document<'_>,
    part: Option<Part>,
    beside: &[Document<'_>],
) -> Option<Applies> {
    match document.scope() {
        Scope::Notice => Some(Applies::Notice),
        Scope::Parts(parts) => {
            let part = part?;
            if !parts.contains(&part) {
                return None;
            }
            Some(match document.stated {
                Some(stated) => match stated.section(part) {
                    Some(section) => Applies::Section {
                        part,
                        heading: section.heading.clone(),
                    },
                    None => Applies::StatedFor {
                        part,
                        quote: stated.quote.clone(),
                    },
                },
                None => Applies::NamedFor(part),
            })
        }
        Scope::General => {
            let scoped: Vec<(&str, Vec<Part>)> = beside
                .iter()
                .filter(|other| other.name != document.name)
                .filter_map(|other| match other.scope() {
                    Scope::Parts(parts) => Some((other.name, parts)),
                    _ => None,
                })
                .collect();
            if part.is_some_and(|p| scoped.iter().any(|(_, parts)| parts.contains(&p))) {
                return None;
            }
            let others = scoped
                .into_iter()
                .map(|(name, parts)| {
                    let parts: Vec<&str> = parts.iter().map(|p| p.as_str()).collect();
                    format!("{name} is for {}", parts.join(" and "))
                })
                .collect();
            Some(Applies::General { part, others })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named<'a>(names: &[&'a str]) -> Vec<Document<'a>> {
        names.iter().map(|n| Document::named(n)).collect()
    }

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
        let beside = named(&["DATA_LICENSE", "LICENSE", "NOTICE", "WEIGHT_DIFF_LICENSE"]);
        let applies_to = |name, part| applies(Document::named(name), Some(part), &beside);
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
                others: vec![
                    "DATA_LICENSE is for data".to_owned(),
                    "WEIGHT_DIFF_LICENSE is for weights".to_owned()
                ],
            })
        );
        assert_eq!(applies_to("NOTICE", Data), Some(Applies::Notice));
        assert_eq!(applies_to("NOTICE", Weights), Some(Applies::Notice));
        // A prompt is no part: only what is for everything binds it.
        assert!(applies(Document::named("LICENSE"), None, &beside).is_some());
        assert_eq!(
            applies(Document::named("DATA_LICENSE"), None, &beside),
            None
        );
    }

    #[test]
    fn a_general_licence_says_which_named_licences_it_gives_way_to() {
        let beside = named(&["DATA_LICENSE", "LICENSE"]);
        let general = applies(Document::named("LICENSE"), Some(Part::Weights), &beside).unwrap();
        assert_eq!(
            general.reason(),
            "the general licence of its directory, as none there is named for weights \
             (DATA_LICENSE is for data)"
        );
        let alone = applies(
            Document::named("LICENSE"),
            Some(Part::Weights),
            &named(&["LICENSE"]),
        )
        .unwrap();
        assert_eq!(
            alone.reason(),
            "the licence file in the component's directory"
        );
        let data = applies(Document::named("DATA_LICENSE"), Some(Part::Data), &beside).unwrap();
        assert_eq!(
            data.reason(),
            "named for data: binds the datasets and corpora beside it"
        );
    }

    #[test]
    fn what_a_text_states_narrows_or_overrides_what_the_name_says() {
        use Part::*;
        let mit = "\n\nMIT License\n\nPermission is hereby granted, free of charge, to any \
                   person obtaining a copy of this software.\n";
        let code_only = crate::license::statement::read(&format!(
            "This license applies to the code only; the weights are released under the Acme \
             Model License.{mit}"
        ))
        .expect("a statement");
        let weights_only = crate::license::statement::read(&format!(
            "The model weights are licensed under the license below.{mit}"
        ))
        .expect("a statement");
        let licence = Document {
            name: "LICENSE",
            stated: Some(&code_only),
        };
        assert_eq!(licence.scope(), Scope::Parts(vec![Code]));
        assert_eq!(licence.stated_away(Weights), Some(&code_only));
        assert_eq!(licence.stated_away(Code), None);
        let beside = [licence];
        assert_eq!(applies(licence, Some(Weights), &beside), None);
        assert_eq!(applies(licence, Some(Data), &beside), None);
        assert_eq!(
            applies(licence, Some(Code), &beside),
            Some(Applies::StatedFor {
                part: Code,
                quote: "This license applies to the code only".to_owned()
            })
        );
        // A name for data, a text for the weights: the text decides.
        let data_named = Document {
            name: "DATA_LICENSE",
            stated: Some(&weights_only),
        };
        assert_eq!(data_named.scope(), Scope::Parts(vec![Weights]));
        assert_eq!(data_named.stated_away(Data), Some(&weights_only));
        // A general licence beside a text-scoped one gives way to it for its part only.
        let general = Document::named("COPYING");
        let beside = [data_named, general];
        assert_eq!(applies(general, Some(Weights), &beside), None);
        let data = applies(general, Some(Data), &beside).unwrap();
        assert_eq!(
            data.reason(),
            "the general licence of its directory, as none there is named for data \
             (DATA_LICENSE is for weights)"
        );
        // A notice stays a notice whatever its text says.
        let notice = Document {
            name: "NOTICE",
            stated: Some(&code_only),
        };
        assert_eq!(notice.scope(), Scope::Notice);
        assert_eq!(notice.stated_away(Weights), None);
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
