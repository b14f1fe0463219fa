//! Scope statements: what a licence file's own text says it covers. A plain `LICENSE` whose
//! preamble says "The source code in this repository is licensed under the Apache License 2.0.
//! The model weights are licensed under the Acme Model License, see MODEL_LICENSE." is the
//! licence of the code only, whatever its name says (`license::document::Scope`); and one
//! `LICENSE` split into a section for the code and one for the weights binds each part by its
//! own section.
//!
//! Only explicit statements count, and only where a preamble or a section heading stands: the
//! short paragraphs before the licence body proper, and headings or `Code license:` lines that
//! name a part. Words deep in a licence body never narrow anything — the Apache, MIT and GPL
//! bodies speak of "source" and "software", and model licences define "model weights" in their
//! first lines. A statement is read when the file is parsed; reading decides nothing about which
//! licence it is.

use super::document::Part;
use super::notice::{self, Notice};
use super::{normalize, title, word_count};

/// The most paragraphs a preamble has, titles and copyright lines before it included.
const PREAMBLE_PARAGRAPHS: usize = 4;

/// The most words of one preamble paragraph; a longer one is licence prose.
const MAX_PREAMBLE_WORDS: usize = 80;

/// The most words before the verb of a statement (`The model weights in this repository`).
const MAX_SUBJECT_WORDS: usize = 8;

/// The most words of a section heading's label (`Model weights license`).
const MAX_LABEL_WORDS: usize = 5;

/// A quoted statement is cut to this many characters.
const MAX_QUOTE_CHARS: usize = 160;

/// Words that name a part, in statements and section labels. Sorted by word.
static PART_NOUNS: &[(&str, Part)] = &[
    ("checkpoint", Part::Weights),
    ("checkpoints", Part::Weights),
    ("code", Part::Code),
    ("data", Part::Data),
    ("dataset", Part::Data),
    ("datasets", Part::Data),
    ("model", Part::Weights),
    ("models", Part::Weights),
    ("parameters", Part::Weights),
    ("software", Part::Code),
    ("source", Part::Code),
    ("weight", Part::Weights),
    ("weights", Part::Weights),
];

/// Words a section label may hold besides part nouns (`Model weights license`, `Licence for
/// the code`). Sorted.
static LABEL_WORDS: &[&str] = &[
    "and",
    "for",
    "licence",
    "license",
    "licensing",
    "of",
    "pretrained",
    "terms",
    "the",
    "trained",
];

/// Verbs by which a statement gives a part's licence, after `is`/`are`: `licensed under`,
/// `released under`, `subject to`. Sorted.
static LICENSING_VERBS: &[&str] = &[
    "available",
    "covered",
    "distributed",
    "governed",
    "licenced",
    "licensed",
    "provided",
    "published",
    "released",
    "shared",
    "subject",
];

/// Verbs by which a licence says what it covers (`This license applies to the code only`).
/// Sorted.
static COVERING_VERBS: &[&str] = &["applies", "apply", "covers", "pertains"];

/// Words after which a statement's object names no more parts it covers (`the code only, not
/// the weights`). Sorted.
static EXCLUDING_WORDS: &[&str] = &["but", "except", "excluding", "not", "other", "unlike"];

/// Words by which a licence refers to itself in a statement's object (`under the license
/// below`). Sorted.
static SELF_WORDS: &[&str] = &["below", "following", "herein", "this"];

/// What a licence file's text says it covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    /// The parts the file's own text covers, sorted; never empty.
    pub covers: Vec<Part>,
    /// The statement, as written, at most `MAX_QUOTE_CHARS`.
    pub quote: String,
    /// Parts the statement gives to another licence or file, with what it names for them, as
    /// written (`the Acme Model License, see MODEL_LICENSE`).
    pub elsewhere: Vec<(Part, String)>,
    /// The sections of a file split by part, in text order; empty for a file that is not split.
    pub sections: Vec<Section>,
    /// Where the licence body starts, in bytes: after the preamble that holds the statement.
    pub body_start: usize,
}

/// One section of a licence file split by part (`## Model weights: CC-BY-NC-4.0` and the text
/// under it, or a `Weights license: CC-BY-NC-4.0` line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// Sorted, never empty.
    pub parts: Vec<Part>,
    /// The heading or line, as written (Markdown marks aside), at most `MAX_QUOTE_CHARS`.
    pub heading: String,
    /// What the heading names after its `:`, as written; empty when it names nothing.
    pub declared: String,
    /// The text under the heading, normalised (`license::normalize`).
    pub normalized: String,
    /// The licences the text under the heading names, when it is short (`license::notice`).
    pub notice: Option<Notice>,
}

impl Statement {
    /// The section for `part`, in a split file.
    pub fn section(&self, part: Part) -> Option<&Section> {
        self.sections.iter().find(|s| s.parts.contains(&part))
    }
}

/// The scope statement of a licence file's `text`, or `None` when it states none: a file split
/// into sections for two or more parts ([`sections`]), else a preamble that says which parts the
/// file covers ([`preamble`]).
pub fn read(text: &str) -> Option<Statement> {
    let sections = sections(text);
    if !sections.is_empty() {
        let mut covers: Vec<Part> = sections.iter().flat_map(|s| s.parts.clone()).collect();
        covers.sort();
        covers.dedup();
        let headings: Vec<&str> = sections.iter().map(|s| s.heading.as_str()).collect();
        return Some(Statement {
            covers,
            quote: clipped(&headings.join("; ")),
            elsewhere: Vec::new(),
            sections,
            body_start: 0,
        });
    }
    preamble(text)
}

/// One clause of a preamble, read.
#[derive(Debug)]
enum Clause {
    /// `This license applies to the code only`: the file covers these parts.
    Covers(Vec<Part>),
    /// `The model weights are licensed under X`: the parts, and X as written.
    Licensed(Vec<Part>, String),
}

/// A preamble's statement: the paragraphs before the licence body (at most
/// `PREAMBLE_PARAGRAPHS`, each of at most `MAX_PREAMBLE_WORDS` words; titles and copyright lines
/// may stand before them), as long as each holds a clause that says what covers a part.
///
/// A clause covers parts for this file when it says so (`This license applies to the code
/// only`), or when it gives the parts' licence as this one (`under the license below`) or as the
/// one the body's title names (`the Apache License 2.0` over an `Apache License` body). A clause
/// that names another file or a link (`see MODEL_LICENSE`), or another licence, gives the parts
/// elsewhere. Without a body, or when no clause is for this file, there is no statement.
fn preamble(text: &str) -> Option<Statement> {
    let mut clauses: Vec<(Clause, &str)> = Vec::new();
    let mut body_start = None;
    for (start, paragraph) in paragraphs(text).take(PREAMBLE_PARAGRAPHS) {
        let found: Vec<(Clause, &str)> = if word_count(&normalize(paragraph)) > MAX_PREAMBLE_WORDS {
            Vec::new()
        } else {
            split_clauses(paragraph)
                .filter_map(|c| clause(c).map(|read| (read, c)))
                .collect()
        };
        if found.is_empty() {
            let heading = paragraph.lines().count() == 1
                && (title::is_title_line(paragraph) || is_copyright(paragraph));
            if clauses.is_empty() && heading {
                continue;
            }
            body_start = Some(start);
            break;
        }
        clauses.extend(found);
    }
    let body_start = body_start?;
    let body = &text[body_start..];
    let body_title = title::document_name(body, "");
    let mut covers = Vec::new();
    let mut elsewhere = Vec::new();
    let mut quote = None;
    for (clause, written) in &clauses {
        match clause {
            Clause::Covers(parts) => {
                covers.extend(parts);
                quote.get_or_insert(*written);
            }
            Clause::Licensed(parts, object) => {
                if refers_to_itself(object) || names_the_same(object, &body_title) {
                    covers.extend(parts);
                    quote.get_or_insert(*written);
                } else {
                    elsewhere.extend(parts.iter().map(|p| (*p, clipped(object))));
                }
            }
        }
    }
    covers.sort();
    covers.dedup();
    elsewhere.retain(|(p, _)| !covers.contains(p));
    if covers.is_empty() {
        return None;
    }
    Some(Statement {
        covers,
        quote: clipped(quote.unwrap_or_default()),
        elsewhere,
        sections: Vec::new(),
        body_start,
    })
}

/// The paragraphs of `text` (separated by blank lines), with where each starts.
fn paragraphs(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let blank = !line.chars().any(char::is_alphanumeric);
        match (blank, start) {
            (false, None) => start = Some(at),
            (true, Some(s)) => {
                out.push((s, text[s..at].trim_end()));
                start = None;
            }
            _ => {}
        }
        at += line.len();
    }
    if let Some(s) = start {
        out.push((s, text[s..].trim_end()));
    }
    out.into_iter()
}

fn is_copyright(line: &str) -> bool {
    let folded = line.trim().to_lowercase();
    folded.starts_with("copyright") || folded.starts_with("(c)") || folded.starts_with('©')
}

/// The clauses of a paragraph: split where a sentence ends (`.`, `!`, `?` before white space or
/// the end) and at `;`, so that `Apache License 2.0` stays whole.
fn split_clauses(paragraph: &str) -> impl Iterator<Item = &str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        let next_is_space = chars.get(i + 1).is_none_or(|(_, n)| n.is_whitespace());
        if c == ';' || (matches!(c, '.' | '!' | '?') && next_is_space) {
            out.push(paragraph[start..at].trim());
            start = at + c.len_utf8();
        }
    }
    out.push(paragraph[start..].trim());
    out.into_iter().filter(|c| !c.is_empty())
}

/// Words of a clause, lower case, split at anything but letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn is_in(table: &[&str], word: &str) -> bool {
    table.binary_search(&word).is_ok()
}

/// The parts `words` name: `model weights` is weights once, `model code` is code, `source code`
/// code once. In a statement (not a section's `label`), `the model card` and `the Acme Model
/// License` name no part.
fn parts_named(words: &[String], label: bool) -> Vec<Part> {
    let mut parts = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Ok(k) = PART_NOUNS.binary_search_by(|(n, _)| n.cmp(&w.as_str())) else {
            continue;
        };
        let next = words.get(i + 1).map(String::as_str);
        // An adjective before another part noun (`model weights`, `source code`, `model code`)
        // is that noun's part.
        if next.is_some_and(|n| PART_NOUNS.binary_search_by(|(p, _)| p.cmp(&n)).is_ok()) {
            continue;
        }
        // `model card`, `model license`, `data license`: not the part itself.
        if next.is_some_and(|n| matches!(n, "card" | "cards"))
            || (!label && next.is_some_and(|n| matches!(n, "licence" | "license")))
        {
            continue;
        }
        parts.push(PART_NOUNS[k].1);
    }
    parts.sort();
    parts.dedup();
    parts
}

/// One clause read as a statement, or `None`.
fn clause(written: &str) -> Option<Clause> {
    let w = words(written);
    // `This license (file) applies (only) to …`, `The license below covers …`.
    let self_subject = match w.as_slice() {
        [a, b, ..] if a == "this" && is_licence_word(b) => Some(2),
        [a, b, c, ..] if a == "the" && is_licence_word(b) && c == "below" => Some(3),
        [a, b, c, ..] if a == "the" && b == "following" && is_licence_word(c) => Some(3),
        [a, b, ..] if a == "this" && b == "file" => Some(2),
        _ => None,
    };
    if let Some(at) = self_subject {
        let mut rest = &w[at..];
        while let [first, tail @ ..] = rest
            && matches!(first.as_str(), "file" | "agreement" | "text" | "only")
        {
            rest = tail;
        }
        let [verb, object @ ..] = rest else {
            return None;
        };
        if !is_in(COVERING_VERBS, verb) {
            return None;
        }
        let end = object
            .iter()
            .position(|w| is_in(EXCLUDING_WORDS, w))
            .unwrap_or(object.len());
        let parts = parts_named(&object[..end], false);
        return (!parts.is_empty()).then_some(Clause::Covers(parts));
    }
    // `<parts> is/are (also) <licensed> under|by|to <object>`, or `<parts> is/are under <object>`.
    let be = w.iter().position(|x| x == "is" || x == "are")?;
    if be == 0 || be > MAX_SUBJECT_WORDS {
        return None;
    }
    let subject = &w[..be];
    // `The code …`, `All model weights …`; not a bare `Data is provided to You …`, which is how
    // data licences open their grant.
    if !matches!(
        subject[0].as_str(),
        "the" | "all" | "any" | "our" | "these" | "its"
    ) {
        return None;
    }
    let mut rest = &w[be + 1..];
    if rest.first().is_some_and(|x| x == "also" || x == "each") {
        rest = &rest[1..];
    }
    let object_at = match rest {
        [p, ..] if p == "under" => 1,
        [v, p, ..]
            if is_in(LICENSING_VERBS, v)
                && match v.as_str() {
                    "subject" => p == "to",
                    "covered" | "governed" => p == "by",
                    _ => p == "under",
                } =>
        {
            2
        }
        [m, a, p, ..] if m == "made" && a == "available" && p == "under" => 3,
        _ => return None,
    };
    // The subject names the parts, up to `in this repository`, `of the model` and the like.
    let subject_end = subject
        .iter()
        .position(|x| matches!(x.as_str(), "in" | "of" | "from" | "for" | "at" | "within"))
        .unwrap_or(subject.len());
    let parts = parts_named(&subject[..subject_end], false);
    if parts.is_empty() {
        return None;
    }
    let object_words = rest.len() - object_at;
    if object_words == 0 {
        return None;
    }
    Some(Clause::Licensed(
        parts,
        object_as_written(written, object_words),
    ))
}

fn is_licence_word(word: &str) -> bool {
    matches!(word, "license" | "licence")
}

/// The last `count` words of `written`, as written (punctuation inside kept).
fn object_as_written(written: &str, count: usize) -> String {
    let mut seen = 0;
    let mut at = written.len();
    let mut in_word = false;
    for (i, c) in written.char_indices().rev() {
        if c.is_alphanumeric() {
            in_word = true;
            at = i;
        } else if in_word {
            in_word = false;
            seen += 1;
            if seen == count {
                break;
            }
        }
    }
    written[at..].trim().to_owned()
}

/// An object that names this licence (`the license below`, `this license`, `the following
/// terms`) and no other file or link.
fn refers_to_itself(object: &str) -> bool {
    !names_another_document(object) && words(object).iter().any(|w| is_in(SELF_WORDS, w))
}

/// An object that names a licence file or a link (`see MODEL_LICENSE`, `https://…`).
fn names_another_document(object: &str) -> bool {
    object.contains("://")
        || object
            .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | '`' | '"' | '\''))
            .map(|t| t.trim_end_matches(['.', ':', ';']))
            .any(is_document_reference)
}

/// A token that names a licence file: a licence document's name written with a separator
/// (`MODEL_LICENSE`, `LICENSE.md`, `weights/LICENSE`) or in capitals (`LICENSE`), not the word
/// `license` in a licence's name.
fn is_document_reference(token: &str) -> bool {
    let name = token.rsplit('/').next().unwrap_or(token);
    super::is_licence_document(name)
        && (token.contains(['-', '.', '_', '/'])
            || name
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase))
}

/// Words a licence name shares with most others, which say nothing about which it is. Sorted.
static GENERIC_NAME_WORDS: &[&str] = &[
    "a",
    "agreement",
    "an",
    "and",
    "community",
    "licence",
    "license",
    "of",
    "open",
    "public",
    "see",
    "terms",
    "the",
    "under",
    "use",
    "version",
];

/// Whether the licence `object` names is the one `body_title` names: they share a word that is
/// not generic (`GENERIC_NAME_WORDS`) or a number, and the object names no other file or link.
fn names_the_same(object: &str, body_title: &str) -> bool {
    if names_another_document(object) {
        return false;
    }
    let distinctive = |text: &str| -> Vec<String> {
        words(text)
            .into_iter()
            .filter(|w| !is_in(GENERIC_NAME_WORDS, w) && !w.chars().all(|c| c.is_ascii_digit()))
            .collect()
    };
    let title = distinctive(body_title);
    distinctive(object).iter().any(|w| title.contains(w))
}

/// The sections of a text split by part: headings (`## Code: MIT`, `**Model weights**`) and
/// labelled lines (`Weights license: CC-BY-NC-4.0`) whose label names a part and nothing else
/// (`LABEL_WORDS` aside). Empty unless at least two parts have sections: a lone heading that
/// names a part is not a split.
fn sections(text: &str) -> Vec<Section> {
    let mut heads: Vec<(usize, usize, Section)> = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if let Some(section) = section_heading(line) {
            heads.push((at, at + line.len(), section));
        }
        at += line.len();
    }
    let mut parts: Vec<Part> = heads.iter().flat_map(|(_, _, s)| s.parts.clone()).collect();
    parts.sort();
    parts.dedup();
    if parts.len() < 2 {
        return Vec::new();
    }
    let ends: Vec<usize> = heads
        .iter()
        .skip(1)
        .map(|(start, _, _)| *start)
        .chain([text.len()])
        .collect();
    heads
        .into_iter()
        .zip(ends)
        .map(|((_, body, mut section), end)| {
            section.normalized = normalize(&text[body..end]);
            section.notice = notice::read(&text[body..end], word_count(&section.normalized));
            section
        })
        .collect()
}

/// A line that heads a section for a part: a Markdown heading, a line in emphasis, or a
/// labelled line, whose label names a part.
fn section_heading(line: &str) -> Option<Section> {
    let trimmed = line.trim();
    let heading = trimmed.starts_with('#');
    let bare = trimmed.trim_start_matches('#').trim();
    let emphasised = bare.starts_with(['*', '_']);
    let bare = bare
        .trim_start_matches(['*', '_'])
        .trim_end_matches(['*', '_']);
    let (label, declared) = match bare.split_once(':') {
        Some((label, value)) if !label.contains("//") => (label, value),
        // A plain line of its own (`Model License`) heads a section as a title does: no
        // sentence ends it.
        _ if bare.ends_with(['.', ',', ';']) => return None,
        _ => (bare, ""),
    };
    let label = label.trim_end_matches(['*', '_']).trim();
    let declared = declared.trim().trim_matches(['*', '_']).trim();
    let w = words(label);
    // `Source:` names where something comes from, not the source code.
    let bare_source = w
        .iter()
        .enumerate()
        .any(|(i, x)| x == "source" && w.get(i + 1).is_none_or(|n| n != "code"));
    // A plain line heads a section only when its label says it gives a licence
    // (`Code license: MIT`, `Model License`); `Data: see below` does not.
    let gives_licence = w
        .iter()
        .any(|x| matches!(x.as_str(), "licence" | "license" | "licensing"));
    if w.is_empty()
        || bare_source
        || (!heading && !emphasised && !gives_licence)
        || w.len() > MAX_LABEL_WORDS
        || !w.iter().all(|x| {
            is_in(LABEL_WORDS, x)
                || PART_NOUNS
                    .binary_search_by(|(n, _)| n.cmp(&x.as_str()))
                    .is_ok()
        })
    {
        return None;
    }
    let parts = parts_named(&w, true);
    if parts.is_empty() {
        return None;
    }
    Some(Section {
        parts,
        heading: clipped(bare.trim()),
        declared: declared.chars().take(MAX_QUOTE_CHARS).collect(),
        normalized: String::new(),
        notice: None,
    })
}

/// `text` on one line, cut at a word boundary with an ellipsis when longer than
/// `MAX_QUOTE_CHARS`.
fn clipped(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= MAX_QUOTE_CHARS {
        return text;
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 2 > MAX_QUOTE_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    format!("{out}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Part::*;

    #[test]
    fn static_tables_are_sorted() {
        assert!(PART_NOUNS.is_sorted_by_key(|(w, _)| *w));
        assert!(LABEL_WORDS.is_sorted());
        assert!(LICENSING_VERBS.is_sorted());
        assert!(COVERING_VERBS.is_sorted());
        assert!(EXCLUDING_WORDS.is_sorted());
        assert!(SELF_WORDS.is_sorted());
        assert!(GENERIC_NAME_WORDS.is_sorted());
    }

    const APACHE_HEAD: &str = "                                 Apache License\n\
                               Version 2.0, January 2004\n\
                            http://www.apache.org/licenses/\n\n\
       TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\n\n\
       1. Definitions.\n\n\
          \"License\" shall mean the terms and conditions for use, reproduction,\n\
          and distribution as defined by Sections 1 through 9 of this document.\n";

    const MIT_BODY: &str = "MIT License\n\nCopyright (c) 2025 Acme Labs\n\n\
        Permission is hereby granted, free of charge, to any person obtaining a copy of this \
        software and associated documentation files (the \"Software\"), to deal in the Software \
        without restriction.\n";

    #[test]
    fn a_preamble_that_gives_the_code_this_licence_and_the_weights_another_narrows_it() {
        let text = format!(
            "The source code in this repository is licensed under the Apache License 2.0. The \
             model weights are licensed under the Acme Model License, see MODEL_LICENSE.\n\n\
             {APACHE_HEAD}"
        );
        let s = read(&text).expect("a statement");
        assert_eq!(s.covers, [Code]);
        assert_eq!(
            s.quote,
            "The source code in this repository is licensed under the Apache License 2.0"
        );
        assert_eq!(
            s.elsewhere,
            [(
                Weights,
                "the Acme Model License, see MODEL_LICENSE".to_owned()
            )]
        );
        assert!(
            text[s.body_start..]
                .trim_start()
                .starts_with("Apache License")
        );
        assert!(s.sections.is_empty());
    }

    #[test]
    fn a_licence_that_says_it_applies_to_the_code_only_covers_the_code() {
        for (text, covers) in [
            (
                format!(
                    "This license applies to the code only; the weights are released under the \
                     Acme Model License.\n\n{MIT_BODY}"
                ),
                vec![Code],
            ),
            (
                format!(
                    "# License\n\nThis license covers only the source code in this repository, \
                     not the model checkpoints.\n\n{MIT_BODY}"
                ),
                vec![Code],
            ),
            (
                format!(
                    "Copyright 2025 Acme Labs\n\nThe model weights and the dataset are released \
                     under the license below.\n\n{MIT_BODY}"
                ),
                vec![Data, Weights],
            ),
            (
                format!(
                    "The Acme-7B model weights are made available under the MIT License.\n\n\
                     {MIT_BODY}"
                ),
                vec![Weights],
            ),
        ] {
            let s = read(&text).unwrap_or_else(|| panic!("no statement in {text:?}"));
            assert_eq!(s.covers, covers, "{text:?}");
        }
        let s = read(&format!(
            "This license applies to the code only; the weights are released under the Acme \
             Model License.\n\n{MIT_BODY}"
        ))
        .unwrap();
        assert_eq!(s.quote, "This license applies to the code only");
        assert_eq!(
            s.elsewhere,
            [(Weights, "the Acme Model License".to_owned())]
        );
    }

    #[test]
    fn a_licence_body_without_a_preamble_states_nothing() {
        for text in [
            APACHE_HEAD.to_owned(),
            MIT_BODY.to_owned(),
            // A definition of the model in the first lines of a model licence.
            "ACME MODEL LICENSE AGREEMENT\n\n\"Model\" means the trained model weights and \
             source code Acme releases.\n\nThe Model is licensed under the terms below.\n"
                .to_owned(),
            // A statement that names no part, and one that names parts deep in prose.
            format!("This project is licensed under the MIT License.\n\n{MIT_BODY}"),
            format!("{MIT_BODY}\nThe model weights are licensed under the license above.\n"),
            // Only other licences: nothing says what this file covers.
            format!(
                "The model weights are licensed under the Acme Model License, see \
                 MODEL_LICENSE.\n\n{APACHE_HEAD}"
            ),
            // How data licences open their grant.
            "Data is provided to You under this Agreement by each of the Data Providers.\n\n\
             1. Definitions.\n"
                .to_owned(),
            "The data is provided to you under this agreement, subject to its terms.\n\n\
             1. Definitions.\n"
                .to_owned(),
            // A preamble with no body after it is a notice, not a scope.
            "The source code is licensed under the Apache License 2.0.\n".to_owned(),
            String::new(),
        ] {
            assert_eq!(read(&text), None, "{text:?}");
        }
    }

    #[test]
    fn a_file_split_by_part_has_a_section_for_each() {
        let text = format!(
            "# Licenses\n\n## Code: MIT\n\n{MIT_BODY}\n## Model weights: CC-BY-NC-4.0\n\n\
             The weights are for non-commercial use only.\n"
        );
        let s = read(&text).expect("a statement");
        assert_eq!(s.covers, [Code, Weights]);
        assert_eq!(s.sections.len(), 2);
        let code = s.section(Code).unwrap();
        assert_eq!(code.heading, "Code: MIT");
        assert_eq!(code.declared, "MIT");
        assert!(
            code.normalized.starts_with("mit license copyright"),
            "{}",
            code.normalized
        );
        let weights = s.section(Weights).unwrap();
        assert_eq!(weights.declared, "CC-BY-NC-4.0");
        assert_eq!(
            weights.normalized,
            "the weights are for non commercial use only"
        );
        assert_eq!(s.quote, "Code: MIT; Model weights: CC-BY-NC-4.0");
        assert_eq!(s.section(Data), None);

        let lines = read("Code license: Apache-2.0\nWeights license: Acme Research License\n")
            .expect("a statement");
        assert_eq!(lines.covers, [Code, Weights]);
        assert_eq!(
            lines.section(Weights).unwrap().declared,
            "Acme Research License"
        );
        // Plain title lines head sections too; the text under each names its licence.
        let titled = read(
            "Code License\n\nThe code in this repository is released under the MIT License.\n\n\
             Model License\n\nThe use of the model weights is subject to the Acme Model License.\n",
        )
        .expect("a statement");
        assert_eq!(titled.covers, [Code, Weights]);
        assert_eq!(titled.section(Weights).unwrap().heading, "Model License");
        assert_eq!(
            titled
                .section(Code)
                .unwrap()
                .notice
                .as_ref()
                .unwrap()
                .stated,
            ["MIT License"]
        );
        // One part's heading alone is not a split, nor are headings that name no part.
        assert_eq!(read("## Code\n\nMIT\n"), None);
        assert_eq!(
            read("### 2.0 What this License covers\n\n## Definitions\n"),
            None
        );
        assert_eq!(
            read("Source: https://example.com/code\nData: see below\n"),
            None
        );
    }

    #[test]
    fn odd_texts_do_not_panic() {
        for text in [
            "#",
            "**",
            ":",
            "## :",
            "# Code:\n# Weights:",
            "The code is",
            "The code is licensed under",
            "This license applies to",
            "This license",
            "\u{feff}The código é licenciado. Los pesos 模型权重 are licensed under the license \
             below.\n\nÄcme Licénse\n",
            "The weights are licensed under the license below.\r\n\r\nAcme License\r\n",
            ".;.;.;\n\n\n;",
        ] {
            let _ = read(text);
        }
        let s = read("The weights are licensed under the license below.\r\n\r\nAcme License\r\n")
            .expect("CRLF lines");
        assert_eq!(s.covers, [Weights]);
    }

    proptest::proptest! {
        /// Any text reads without panicking; a statement covers some parts, sorted, quotes
        /// briefly, and its body starts on a character boundary of the text.
        #[test]
        fn any_text_reads_to_a_well_formed_statement_or_none(
            text in "((The (model )?(code|weights|data) (is|are) (licensed|released) under (the license below|MIT|see LICENSE_X)[.;] ?)|(#+ ?(Code|Model weights|Data)( license)?:? ?[A-Za-z0-9-]*)|(This license (applies|covers) (only )?(to )?the (code|weights|data)[.;]?)|\\PC{0,20}|[\\n\\r:;.#*_ é])*"
        ) {
            if let Some(s) = read(&text) {
                proptest::prop_assert!(!s.covers.is_empty());
                proptest::prop_assert!(s.covers.is_sorted());
                proptest::prop_assert!(text.is_char_boundary(s.body_start));
                proptest::prop_assert!(s.quote.chars().count() <= MAX_QUOTE_CHARS);
            }
        }
    }

    #[test]
    fn quotes_are_short() {
        let long = format!(
            "The source code, the training scripts and the evaluation harness in this repository \
             (everything under src, scripts and eval, including the notebooks and the tooling that \
             builds the Acme images) is licensed under the Apache License 2.0.\n\n{APACHE_HEAD}"
        );
        // A subject that long is not a statement.
        assert_eq!(read(&long), None);
        assert!(clipped(&"word ".repeat(100)).chars().count() <= MAX_QUOTE_CHARS);
    }
}
