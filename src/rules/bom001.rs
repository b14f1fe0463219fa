//! BOM001: an artefact that could not be parsed or read.

use super::{Context, Family, Rule, RuleDoc, RuleMeta};
use crate::artifact::corpus::{CorpusFormat, CorpusStats};
use crate::artifact::parsed::Artifact;
use crate::artifact::pickle::PickleScan;
use crate::artifact::text::TextSpan;
use crate::finding::{Finding, Severity};

pub struct ParseFailure;

pub static META: RuleMeta = RuleMeta {
    code: "BOM001",
    name: "unparseable-artifact",
    family: Family::Bom,
    default_severity: Severity::Warning,
    summary: "An artefact could not be parsed or read; it is missing from the inventory's checks.",
    security: false,
    doc: RuleDoc {
        what: "Reports every file aibom recognised as an AI artefact (weights, card, config, corpus, \
               Hugging Face cache repository) but could not parse or read: a truncated safetensors file, a \
               header length past the end of the file, a GGUF metadata count beyond any sane limit, a card \
               whose YAML front matter is invalid, a zip entry that claims gigabytes, an MCP config server \
               entry that is a string or an array instead of an object, an unreadable file. It also reports \
               corpus files that parse only in part: JSON Lines lines that are not valid JSON, CSV or TSV \
               rows whose field count differs from the header's, records too long to read for columns; \
               with how many there are and the line the first one starts on (never its content, which \
               may hold personal data). The message says what was wrong and, when a resource limit was \
               hit, which limit.",
        why: "Whatever aibom cannot parse it cannot check: a corrupt checkpoint hides its pickle imports, a \
              broken card hides its licence. Hostile files are crafted to break parsers, so a parse failure \
              on a weight file deserves a look. An MCP server entry that is not an object is not taken as \
              a server, so the tools it would launch are missing from the blast-radius checks. The scan \
              goes on; this finding makes sure the gap is seen. A training loader meets a malformed \
              corpus line too, and stops or silently drops the record.",
        example: "`models/base/model.safetensors` is 20 bytes long but its first 8 bytes declare a 4096-byte \
                  header:\n\n```\nwarning[BOM001]: models/base/model.safetensors could not be parsed: header \
                  length 4096 is past the end of the file\n```",
        fix: "Re-download or regenerate the file (for LFS-tracked weights, `git lfs pull`), or fix the YAML or \
              JSON the message points at (an MCP server entry is an object such as \
              `{\"command\": \"npx\", \"args\": [\"-y\", \"pkg@1.2.3\"]}`). For a corpus, the line number \
              leads to the first malformed record (`sed -n 3p data/chats.jsonl`). If the file is not an \
              artefact at all, rename it or exclude it (`[scan] exclude = [\"path/glob\"]` in \
              `aibom.toml`).",
    },
};

impl Rule for ParseFailure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for file in &cx.inventory.files {
            let problems = match &file.artifact {
                Err(err) => vec![(
                    String::new(),
                    format!("could not be parsed: {err}"),
                    None,
                    if err.limit.is_some() {
                        LIMIT
                    } else {
                        UNPARSEABLE
                    },
                )],
                Ok(artifact) => partial_problems(artifact),
            };
            for (part, problem, span, help) in problems {
                let subject = if part.is_empty() {
                    file.path.clone()
                } else {
                    format!("{}:{part}", file.path)
                };
                let message = format!("{} ({}) {problem}", file.path, file.kind.name());
                out.push(
                    Finding::new(&META, file.component.as_deref(), subject, message)
                        .at(&file.path, span)
                        .with_help(help),
                );
            }
        }
        for (dir, repo) in &cx.inventory.cache_repos {
            if let Err(err) = repo {
                out.push(
                    Finding::new(
                        &META,
                        None,
                        dir.clone(),
                        format!("Hugging Face cache repository {dir} could not be read: {err}"),
                    )
                    .at(dir, None)
                    .with_help(
                        "re-download the repository into the cache (`hf download`), or exclude \
                         the directory (`[scan] exclude` in aibom.toml)",
                    ),
                );
            }
        }
        for unreadable in &cx.inventory.unreadable {
            out.push(
                Finding::new(
                    &META,
                    None,
                    unreadable.path.clone(),
                    format!(
                        "{} could not be read: {}",
                        unreadable.path, unreadable.error
                    ),
                )
                .at(&unreadable.path, None)
                .with_help(unreadable_help(&unreadable.error)),
            );
        }
    }
}

const LIMIT: &str = "a resource limit was reached (docs/limits.md): check that the file is what it \
                     claims to be; if it is genuine, review it by hand, and exclude it (`[scan] \
                     exclude` in aibom.toml) only with a reason";
const UNPARSEABLE: &str = "re-download or regenerate the file (for LFS-tracked weights, `git lfs \
                           pull`), fix it where the message points, or exclude it if it is not an \
                           artefact (`[scan] exclude` in aibom.toml)";

/// What to do about a path the walk could not read, by the cause its error names.
fn unreadable_help(error: &str) -> &'static str {
    if error.contains("[limit:") {
        LIMIT
    } else if error.contains("points outside the scanned root") {
        "a link out of the repository is not scanned: copy what it points at into the \
         repository, or scan the directory it points into as well"
    } else if error.starts_with("symbolic link") {
        "fix or remove the link (a loop or a missing target), or exclude it (`[scan] exclude` in \
         aibom.toml)"
    } else if error.contains("not a regular file") {
        "a FIFO, socket or device is never read: remove it from the repository, or exclude it \
         (`[scan] exclude` in aibom.toml)"
    } else {
        "make the file readable by the user running the scan (check its permissions), or exclude \
         it (`[scan] exclude` in aibom.toml)"
    }
}

/// What a corpus's malformed records are, how many, and where the first one starts.
fn malformed_records(corpus: &CorpusStats) -> String {
    let what = match corpus.format {
        CorpusFormat::Jsonl => "line(s) that are not valid JSON",
        CorpusFormat::Json => {
            "record(s) that are not valid JSON (only the first records are parsed, so later ones \
             may hold more)"
        }
        CorpusFormat::Csv | CorpusFormat::Tsv => {
            "row(s) whose field count differs from the header's, or with a quote left open"
        }
        CorpusFormat::Text | CorpusFormat::Parquet => "malformed record(s)",
    };
    let first = corpus
        .first_malformed_line
        .map(|line| format!(" (the first on line {line})"))
        .unwrap_or_default();
    format!(
        "has {} {what}{first}: counted as records, but a strict loader stops at them or skips them",
        corpus.malformed_records
    )
}

/// Parts of a file that parsed but not completely: a pickle stream that broke after some
/// imports, zip entries that could not be read, duplicate entry names, MCP server entries that
/// are not objects; each with where it is, when that is known.
fn partial_problems(artifact: &Artifact) -> Vec<(String, String, Option<TextSpan>, &'static str)> {
    let mut problems = Vec::new();
    let mut pickle = |part: &str, scan: &PickleScan| {
        if let Some(reason) = &scan.incomplete {
            let place = if part.is_empty() {
                String::new()
            } else {
                format!(" in {part}")
            };
            problems.push((
                part.to_owned(),
                format!("was only partly walked{place}: {reason}; imports after that point are not checked"),
                None,
                "do not load this file: imports past that point are unchecked; obtain the weights \
                 as safetensors, or re-download the file if it is damaged",
            ));
        }
    };
    match artifact {
        Artifact::Pickle(scan) => pickle("", scan),
        Artifact::Npy(npy) => npy.pickle.iter().for_each(|scan| pickle("", scan)),
        Artifact::TorchZip(zip) => {
            zip.pickles
                .iter()
                .for_each(|(entry, scan)| pickle(entry, scan));
            for (entry, error) in &zip.errors {
                problems.push((
                    entry.clone(),
                    format!("entry {entry} could not be read: {error}"),
                    None,
                    if error.contains("[limit:") {
                        LIMIT
                    } else {
                        UNPARSEABLE
                    },
                ));
            }
            if zip.duplicate_names {
                problems.push((
                    "duplicate-names".to_owned(),
                    "has duplicate zip entry names: loaders may disagree on which one they read"
                        .to_owned(),
                    None,
                    "do not load this file: regenerate it with one entry per name, or obtain \
                     the weights as safetensors",
                ));
            }
        }
        Artifact::Corpus(corpus) => {
            if corpus.oversized_records > 0 {
                problems.push((
                    "oversized-records".to_owned(),
                    format!(
                        "has {} record(s) longer than {} bytes: counted, but their columns were not read \
                         [limit: record size]",
                        corpus.oversized_records,
                        crate::artifact::corpus::RECORD_BYTES
                    ),
                    None,
                    "check those records by hand: their columns (and any personal data in \
                     them) were not read",
                ));
            }
            if corpus.malformed_records > 0 {
                // The line number only, never a span: a span would quote the line, and a corpus
                // line may hold personal data.
                problems.push((
                    "malformed-records".to_owned(),
                    malformed_records(corpus),
                    None,
                    "fix or remove the malformed records; the line number leads to the first \
                     (`sed -n <line>p <file>`)",
                ));
            }
        }
        Artifact::Npz(npz) => {
            npz.arrays
                .iter()
                .for_each(|(entry, npy)| npy.pickle.iter().for_each(|scan| pickle(entry, scan)));
            for (entry, error) in &npz.errors {
                problems.push((
                    entry.clone(),
                    format!("entry {entry} could not be read: {error}"),
                    None,
                    if error.contains("[limit:") {
                        LIMIT
                    } else {
                        UNPARSEABLE
                    },
                ));
            }
        }
        Artifact::McpConfig(config) => {
            for entry in &config.malformed {
                problems.push((
                    format!("server:{}", entry.name),
                    format!(
                        "server entry `{}` is {}, not an object with a `command` or a `url`: it is not taken as an MCP server",
                        entry.name, entry.found
                    ),
                    entry.span,
                    "write the server entry as an object such as `{\"command\": \"npx\", \
                     \"args\": [\"-y\", \"pkg@1.2.3\"]}` or `{\"url\": \"https://…\"}`",
                ));
            }
        }
        _ => {}
    }
    problems
}
