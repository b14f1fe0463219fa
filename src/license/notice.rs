//! Licence notices: a short `LICENSE` that names licences instead of stating one, as dataset
//! folders ship for data gathered from several sources (`MIT License: https://…`,
//! `License: Public Domain`). When no record's fingerprint identifies a licence file, the licences
//! its notice names are its evidence (`analysis::text_evidence`).
//!
//! A notice is read when its file is parsed, so that only its names and links are kept, never its
//! text; they are resolved against the licence database in the scan stage. Reading decides
//! nothing, and a name the database does not know is kept as written so that it can be reported.

use std::collections::BTreeSet;

use super::{LEADING_MARKS, LicenseDb, skip_list_markers, title};
use crate::artifact::text::TextSpan;

/// A licence file of more words than this (`license::word_count` of its normalised text) is a
/// licence text, not a notice, and is not read as one.
pub const MAX_NOTICE_WORDS: usize = 300;

/// The most names and links read from one notice; a longer list is cut.
const MAX_ENTRIES: usize = 64;

/// A longer link is not read (no licence page has one).
const MAX_LINK_CHARS: usize = 2_000;

/// A name is cut to this many characters.
const MAX_NAME_CHARS: usize = 200;

/// Labels of a line that names licences (`License: …`), case-folded. Sorted.
static LICENCE_LABELS: &[&str] = &["licence", "licences", "license", "licenses"];

/// Verbs that state a licence before `under` and a link (`released under https://…`). Sorted.
static LICENSING_VERBS: &[&str] = &[
    "available",
    "distributed",
    "licensed",
    "provided",
    "published",
    "released",
    "shared",
];

/// Words that join a name to another, or a name to its link, without being part of either;
/// stripped from the start of a name. Sorted.
static LEADING_JOINERS: &[&str] = &["&", "and", "or", "plus", "the"];

/// Words between a name and the link that follows it; stripped from the end of a name. Sorted.
static TRAILING_JOINERS: &[&str] = &["at", "see", "under", "via"];

/// What separates two names in one value (`MIT, Apache-2.0`, `CC0 and ODbL`), case-folded.
static NAME_SEPARATORS: &[&str] = &[" & ", " / ", " and ", " or ", ",", ";"];

/// What a licence notice names, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notice {
    /// The licences named on `License:` lines and in `<name> License:` prefixes, each with the
    /// link written after it, in text order.
    pub named: Vec<NamedLicence>,
    /// Links on lines of their own, and links a sentence states the licence by (`released under
    /// https://…`); only those that name a licence count.
    pub links: Vec<String>,
    /// Names a sentence states the licence by (`This dataset is licensed under CC BY 4.0.`), kept
    /// only when the notice states no term of its own (see [`read`]); only those the database
    /// knows count.
    pub stated: Vec<String>,
    /// Where the first clause that states a term of its own starts (`No commercial use.`): the
    /// notice binds by more than the licences it names.
    pub adds_terms: Option<TextSpan>,
}

/// One licence a notice names: a name, a link, or a name and its link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedLicence {
    /// The name as written; empty for a link alone.
    pub name: String,
    pub link: Option<String>,
}

/// What a notice names, resolved against the database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeLicences {
    /// Record ids, sorted.
    pub licenses: Vec<String>,
    /// Names (or links, where no name is written) the database does not know, as written, in
    /// text order.
    pub unresolved: Vec<String>,
}

/// The notice in a licence file's `text` of `words` words: `None` when the text is longer than
/// `MAX_NOTICE_WORDS` or names nothing (no `License:` line, no `<name> License:` prefix followed by
/// a link, no link on a line of its own or after `licensed under`).
///
/// A line's label is what stands before its first `:` (not a link's `://`), list markers and
/// Markdown emphasis aside. `License:` (or `Licence:`, `Licenses:`) names licences in its value:
/// each link there, with the words before it as its name, and the words after the last link as
/// a name without a link. `<name> License:` followed by a link names `<name> License` with that
/// link, and reads on as a `License:` value. A line that is only a link, and a link right after
/// `licensed under` (`released`, `distributed` … `under`), are kept apart. Other links in sentences
/// and on other labelled lines (`Source:`, `Terms:`) name nothing: a short custom licence that says
/// it is "based on" a known licence's page is not that licence.
///
/// A name after `licensed under` in a sentence (`This dataset is licensed under CC BY 4.0.`) is
/// kept only when no clause of the text states a term of its own ([`first_own_term`]): a
/// sentence that adds one (`You may not use it commercially.`) leaves the file an unknown
/// licence to review.
pub fn read(text: &str, words: usize) -> Option<Notice> {
    if words > MAX_NOTICE_WORDS {
        return None;
    }
    let mut notice = Notice::default();
    for line in text.lines() {
        let line = skip_list_markers(line)
            .trim_start_matches(|c: char| c.is_whitespace() || LEADING_MARKS.contains(&c))
            .trim_end();
        let Some((label, value)) = labelled(line) else {
            notice.links.extend(stated_links(line));
            notice.stated.extend(stated_names(line));
            continue;
        };
        if is_licence_label(label) {
            notice.named.extend(named_in(value));
            continue;
        }
        let names_a_licence = label.contains(char::is_whitespace)
            && label
                .split_whitespace()
                .last()
                .is_some_and(is_licence_label);
        let mut named = named_in(value);
        match named.first_mut() {
            Some(first) if names_a_licence && first.name.is_empty() && first.link.is_some() => {
                first.name = clipped(label);
                notice.named.extend(named);
            }
            _ => {}
        }
    }
    notice.adds_terms = first_own_term(text);
    if notice.adds_terms.is_some() {
        notice.stated.clear();
    }
    notice.named.truncate(MAX_ENTRIES);
    notice.links.truncate(MAX_ENTRIES);
    notice.stated.truncate(MAX_ENTRIES);
    (!notice.named.is_empty() || !notice.links.is_empty() || !notice.stated.is_empty())
        .then_some(notice)
}

impl Notice {
    /// The records the notice names, and what it names that the database does not know. A name
    /// and its link are one licence, known when either resolves; a link outside the named
    /// licences counts only when it resolves.
    pub fn resolve(&self, db: &LicenseDb) -> NoticeLicences {
        let mut ids = BTreeSet::new();
        let mut unresolved: Vec<String> = Vec::new();
        for named in &self.named {
            let by_link = named
                .link
                .as_deref()
                .and_then(|l| db.lookup_link(l))
                .map(|r| r.id.clone());
            let (by_name, unknown) = resolve_name(db, &named.name);
            ids.extend(by_link.clone());
            ids.extend(by_name);
            let unknown = match (&by_link, named.link.as_deref()) {
                (Some(_), _) => Vec::new(),
                (None, Some(link)) if named.name.is_empty() => vec![link.to_owned()],
                (None, _) => unknown,
            };
            for name in unknown {
                if !unresolved.contains(&name) {
                    unresolved.push(name);
                }
            }
        }
        ids.extend(
            self.links
                .iter()
                .filter_map(|l| db.lookup_link(l))
                .map(|r| r.id.clone()),
        );
        ids.extend(self.stated.iter().flat_map(|name| stated_ids(db, name)));
        NoticeLicences {
            licenses: ids.into_iter().collect(),
            unresolved,
        }
    }
}

/// The records a name stated in a sentence names: the whole name, else its part before the first
/// `,`, ` and ` or ` or ` (`CC BY 4.0 and the code under MIT`), as a name or an SPDX expression;
/// nothing when neither is known (`the terms below`).
fn stated_ids(db: &LicenseDb, name: &str) -> Vec<String> {
    let folded = name.to_ascii_lowercase();
    let first_part = [",", " and ", " or "]
        .iter()
        .filter_map(|s| folded.find(s))
        .min()
        .map(|at| name[..at].trim());
    [Some(name), first_part]
        .into_iter()
        .flatten()
        .find_map(|candidate| {
            let ids: Vec<String> = match lookup_name(db, candidate) {
                Some(id) => vec![id],
                None => db
                    .lookup_expression(candidate)
                    .into_iter()
                    .map(|r| r.id.clone())
                    .collect(),
            };
            (!ids.is_empty()).then_some(ids)
        })
        .unwrap_or_default()
}

/// The records a name written in a notice names, and the parts of it the database does not know.
/// The whole name is tried first (`lookup_name`), then as an SPDX expression, then each part
/// between separators (`MIT, Apache-2.0`); when no part is known either, the whole name is
/// unknown.
fn resolve_name(db: &LicenseDb, name: &str) -> (Vec<String>, Vec<String>) {
    if name.is_empty() {
        return (Vec::new(), Vec::new());
    }
    if let Some(id) = lookup_name(db, name) {
        return (vec![id], Vec::new());
    }
    let expression: Vec<String> = db
        .lookup_expression(name)
        .into_iter()
        .map(|r| r.id.clone())
        .collect();
    if !expression.is_empty() {
        return (expression, Vec::new());
    }
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for part in split_names(name) {
        match lookup_name(db, part) {
            Some(id) => known.push(id),
            None => unknown.push(part.to_owned()),
        }
    }
    if known.is_empty() {
        return (Vec::new(), vec![name.to_owned()]);
    }
    (known, unknown)
}

/// The record a name looks up to (`LicenseDb::lookup`): as written; without a parenthesised
/// abbreviation after it, a leading `the` or a trailing `License`/`Licence`; or the abbreviation
/// alone (`GNU Free Documentation License (GFDL)`).
fn lookup_name(db: &LicenseDb, name: &str) -> Option<String> {
    let (main, abbreviation) = match name.strip_suffix(')').and_then(|n| n.rsplit_once('(')) {
        Some((main, abbreviation)) => (main.trim(), Some(abbreviation.trim())),
        None => (name, None),
    };
    let main = without_first_word(main, &["the"]).unwrap_or(main);
    let bare = without_last_word(main, &["licence", "license"]).unwrap_or(main);
    [name, main, bare]
        .into_iter()
        .chain(abbreviation)
        .find_map(|v| db.lookup(v))
        .map(|r| r.id.clone())
}

/// `text` without its first word, when that is one of `words` (sorted, lower case).
fn without_first_word<'a>(text: &'a str, words: &[&str]) -> Option<&'a str> {
    let (first, rest) = text.split_once(char::is_whitespace)?;
    is_one_of(first, words).then(|| rest.trim_start())
}

/// `text` without its last word, when that is one of `words` (sorted, lower case).
fn without_last_word<'a>(text: &'a str, words: &[&str]) -> Option<&'a str> {
    let (rest, last) = text.rsplit_once(char::is_whitespace)?;
    is_one_of(last, words).then(|| rest.trim_end())
}

fn is_one_of(word: &str, words: &[&str]) -> bool {
    words
        .binary_search(&word.to_ascii_lowercase().as_str())
        .is_ok()
}

/// The parts of a name between `NAME_SEPARATORS`, trimmed, empty parts left out.
fn split_names(name: &str) -> Vec<&str> {
    let folded = name.to_ascii_lowercase();
    let mut parts = Vec::new();
    let mut from = 0;
    let mut at = 0;
    while at < folded.len() {
        match NAME_SEPARATORS
            .iter()
            .find(|s| folded[at..].starts_with(*s))
        {
            Some(separator) => {
                parts.push(name_part(&name[from..at]));
                at += separator.len();
                from = at;
            }
            None => at += folded[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    parts.push(name_part(&name[from..]));
    parts.retain(|p| !p.is_empty());
    parts
}

/// The label and value of a line `label: value`, emphasis and white space trimmed; `None` when the
/// line has no `:` before its first link.
fn labelled(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let (label, value) = (&line[..colon], &line[colon + 1..]);
    if value.starts_with("//") {
        return None;
    }
    let emphasis = |c: char| c.is_whitespace() || c == '*' || c == '_';
    Some((label.trim_matches(emphasis), value.trim_matches(emphasis)))
}

fn is_licence_label(label: &str) -> bool {
    let folded = label.to_ascii_lowercase();
    let folded = folded.strip_suffix("(s)").unwrap_or(&folded);
    LICENCE_LABELS.binary_search(&folded).is_ok()
}

/// The licences a `License:` line's value names: each link with the words before it, then the
/// words after the last link.
fn named_in(value: &str) -> Vec<NamedLicence> {
    let mut named = Vec::new();
    let mut from = 0;
    for (start, end) in link_spans(value) {
        named.push(NamedLicence {
            name: name_part(&value[from..start]).to_owned(),
            link: Some(value[start..end].to_owned()),
        });
        from = end;
    }
    let rest = name_part(&value[from..]);
    if !rest.is_empty() {
        named.push(NamedLicence {
            name: rest.to_owned(),
            link: None,
        });
    }
    for n in &mut named {
        n.name = clipped(&n.name);
    }
    named
}

/// A piece of a value as a name: without the punctuation and joining words around it
/// (`) and the GFDL (GFDL): ` → `GFDL (GFDL)`); empty when nothing else is left (` and `).
fn name_part(piece: &str) -> &str {
    let around = |c: char| c.is_whitespace() || ",;:.|-–—([<>]\"'`*_".contains(c);
    let mut name = piece.trim_start_matches(|c| around(c) || c == ')');
    loop {
        name = name.trim_matches(around);
        if name.ends_with(')') && !name.contains('(') {
            name = &name[..name.len() - 1];
            continue;
        }
        if is_one_of(name, LEADING_JOINERS) || is_one_of(name, TRAILING_JOINERS) {
            return "";
        }
        match without_first_word(name, LEADING_JOINERS)
            .or_else(|| without_last_word(name, TRAILING_JOINERS))
        {
            Some(shorter) => name = shorter,
            None => return name,
        }
    }
}

/// Byte ranges of the `http://` and `https://` links in `text` (any case): up to white space, a
/// quote, `<`, `>`, `[`, `]` or a `)` without its `(`, less the punctuation that ends a sentence.
/// Links longer than `MAX_LINK_CHARS` are left out.
fn link_spans(text: &str) -> Vec<(usize, usize)> {
    let folded = text.to_ascii_lowercase();
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(found) = folded[from..].find("http") {
        let start = from + found;
        let rest = &folded[start + 4..];
        let scheme = if rest.starts_with("://") {
            7
        } else if rest.starts_with("s://") {
            8
        } else {
            from = start + 4;
            continue;
        };
        let mut depth = 0usize;
        let mut end = start + scheme;
        for (i, c) in text[end..].char_indices() {
            let stop = match c {
                '(' => {
                    depth += 1;
                    false
                }
                ')' if depth > 0 => {
                    depth -= 1;
                    false
                }
                ')' | '<' | '>' | '[' | ']' | '"' | '\'' | '`' => true,
                c => c.is_whitespace(),
            };
            if stop {
                break;
            }
            end = start + scheme + i + c.len_utf8();
        }
        let link = text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_']);
        let end_of_link = start + link.len();
        let after_word = start == 0 || !folded.as_bytes()[start - 1].is_ascii_alphanumeric();
        if after_word && link.len() > scheme && link.chars().count() <= MAX_LINK_CHARS {
            spans.push((start, end_of_link));
        }
        from = end.max(start + scheme);
    }
    spans
}

/// The links of an unlabelled `line` that state a licence: all of them when the line holds nothing
/// else but white space and brackets, else those right after `<verb> under` (`licensed under`,
/// `released under` …).
fn stated_links(line: &str) -> Vec<String> {
    let spans = link_spans(line);
    let only_links = only_links(line);
    spans
        .into_iter()
        .filter(|&(start, _)| only_links || follows_licensing_verb(&line[..start]))
        .map(|(start, end)| line[start..end].to_owned())
        .collect()
}

/// The names a line's sentences state their licence by: the words after `<verb> under` (the verb
/// one of `LICENSING_VERBS`; `the terms of` skipped), up to the end of the sentence, `;`, `:` or a
/// bracket, when they hold no link.
fn stated_names(line: &str) -> Vec<String> {
    let folded = line.to_ascii_lowercase();
    let mut names = Vec::new();
    let mut from = 0;
    while let Some(k) = folded[from..].find(" under ") {
        let at = from + k + " under ".len();
        from = at;
        if !follows_licensing_verb(&line[..at]) {
            continue;
        }
        let rest = &line[at..];
        let rest = [
            "the terms of the ",
            "the terms of ",
            "terms of the ",
            "terms of ",
        ]
        .iter()
        .find_map(|p| {
            rest.get(..p.len())
                .filter(|head| head.eq_ignore_ascii_case(p))
                .map(|_| &rest[p.len()..])
        })
        .unwrap_or(rest);
        let rest = rest.trim_start();
        if link_spans(rest)
            .first()
            .is_some_and(|&(start, _)| start == 0)
        {
            // A stated link, which `stated_links` reads.
            continue;
        }
        let end = rest
            .char_indices()
            .find(|&(i, c)| {
                matches!(c, ';' | ':' | '(' | '[' | '<')
                    || c == '.' && rest[i + 1..].chars().next().is_none_or(char::is_whitespace)
            })
            .map_or(rest.len(), |(i, _)| i);
        let name = name_part(&rest[..end]);
        if !name.is_empty() && link_spans(name).is_empty() {
            names.push(clipped(name));
        }
    }
    names
}

/// The first clause of `text` that states a term of its own: words that restrict or oblige
/// ([`TERM_WORDS`], [`TERM_PAIRS`]: `may not`, `must`, `only for`, `non-commercial` …) in a
/// clause that does not speak of a licence. The standard notices speak of theirs (`you may not
/// use this file except in compliance with the License`); a sentence added to them does not
/// (`You may not use the model for military purposes.`). Clauses end at `.` `!` `?` `;` before
/// white space, at blank lines, and at a line end before a line that starts with a capital or
/// a list marker; headings and the title line are clauses of their own and state no terms.
fn first_own_term(text: &str) -> Option<TextSpan> {
    let mut clause = String::new();
    let mut clause_start: Option<usize> = None;
    let mut title_seen = false;
    let mut found = None;
    let mut close = |clause: &mut String, start: &mut Option<usize>| {
        if let Some(at) = start.take()
            && found.is_none()
            && states_a_term(clause)
        {
            found = Some(TextSpan::at(text, at, 0));
        }
        clause.clear();
    };
    for raw in text.lines() {
        // `raw` is a slice of `text`.
        let line_start = raw.as_ptr() as usize - text.as_ptr() as usize;
        let trimmed = raw.trim();
        let title = !title_seen
            && !trimmed.is_empty()
            && (title::is_title_line(raw)
                || trimmed.split_whitespace().count() <= 6
                    && !trimmed.ends_with(['.', '!', '?', ';', ':', ',']));
        title_seen |= !trimmed.is_empty();
        let starts_anew = trimmed.is_empty()
            || title
            || trimmed.starts_with('#')
            || trimmed.starts_with(char::is_uppercase)
            || skip_list_markers(trimmed).len() != trimmed.len();
        if starts_anew {
            close(&mut clause, &mut clause_start);
        }
        if trimmed.is_empty() || title || trimmed.starts_with('#') {
            continue;
        }
        let mut from = 0;
        for (i, c) in raw.char_indices() {
            let at_end = matches!(c, '.' | '!' | '?' | ';')
                && raw[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace);
            if clause_start.is_none() && !c.is_whitespace() {
                clause_start = Some(line_start + i);
            }
            if at_end {
                clause.push_str(&raw[from..i]);
                close(&mut clause, &mut clause_start);
                from = i + c.len_utf8();
            }
        }
        clause.push_str(&raw[from..]);
        clause.push(' ');
    }
    close(&mut clause, &mut clause_start);
    found
}

/// Words of a clause that restrict or oblige. Sorted.
static TERM_WORDS: &[&str] = &[
    "cannot",
    "exclusively",
    "forbidden",
    "must",
    "non-commercial",
    "noncommercial",
    "prohibited",
    "shall",
    "solely",
];

/// Pairs of words of a clause that restrict or oblige. Sorted.
static TERM_PAIRS: &[(&str, &str)] = &[
    ("agree", "to"),
    ("can", "not"),
    ("do", "not"),
    ("may", "not"),
    ("no", "commercial"),
    ("not", "allowed"),
    ("not", "be"),
    ("not", "for"),
    ("not", "permitted"),
    ("only", "be"),
    ("only", "for"),
    ("required", "to"),
    ("research", "purposes"),
    ("research", "use"),
    ("you", "agree"),
];

/// Whether a clause restricts or obliges (see [`first_own_term`]) without speaking of a licence.
fn states_a_term(clause: &str) -> bool {
    let folded = clause.to_lowercase();
    if folded.contains("licen") {
        return false;
    }
    let words: Vec<&str> = folded
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().any(|w| TERM_WORDS.binary_search(w).is_ok())
        || words
            .windows(2)
            .any(|pair| TERM_PAIRS.binary_search(&(pair[0], pair[1])).is_ok())
}

/// Whether `text` holds nothing but links (and punctuation).
fn only_links(text: &str) -> bool {
    let mut rest = text.to_owned();
    for (start, end) in link_spans(text).into_iter().rev() {
        rest.replace_range(start..end, " ");
    }
    !rest.chars().any(char::is_alphanumeric)
}

/// Whether `before` ends with `<verb> under` (brackets and white space aside), the verb one of
/// `LICENSING_VERBS`.
fn follows_licensing_verb(before: &str) -> bool {
    let mut words = before
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '(' | '[' | '<' | ':'))
        .rsplit(char::is_whitespace);
    words
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("under"))
        && words
            .next()
            .is_some_and(|w| LICENSING_VERBS.contains(&w.to_ascii_lowercase().as_str()))
}

/// `name`, cut to `MAX_NAME_CHARS` characters.
fn clipped(name: &str) -> String {
    name.chars().take(MAX_NAME_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_tables_are_sorted() {
        assert!(LICENCE_LABELS.is_sorted());
        assert!(LICENSING_VERBS.is_sorted());
        assert!(LEADING_JOINERS.is_sorted());
        assert!(TRAILING_JOINERS.is_sorted());
        assert!(NAME_SEPARATORS.is_sorted());
        assert!(TERM_WORDS.is_sorted());
        assert!(TERM_PAIRS.is_sorted());
    }

    fn named(name: &str, link: Option<&str>) -> NamedLicence {
        NamedLicence {
            name: name.to_owned(),
            link: link.map(str::to_owned),
        }
    }

    #[test]
    fn licence_lines_and_licence_prefixes_name_licences() {
        let text = "Acme QA:\n\
                    MIT License: https://opensource.org/license/mit/\n\
                    Source: https://github.com/acme/qa\n\n\
                    Acme ballots:\n\
                    - **License:** Public Domain\n\
                    Acme wiki dump:\n\
                    License: Creative Commons Attribution-ShareAlike 3.0 Unported License (CC BY-SA): \
                    https://example.com/wiki/CC_BY-SA_(3.0). and the GNU Free Documentation License \
                    (GFDL): https://example.com/fdl\n\
                    License: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)\n";
        let notice = read(text, 60).expect("a notice");
        assert_eq!(
            notice.named,
            [
                named("MIT License", Some("https://opensource.org/license/mit/")),
                named("Public Domain", None),
                named(
                    "Creative Commons Attribution-ShareAlike 3.0 Unported License (CC BY-SA)",
                    Some("https://example.com/wiki/CC_BY-SA_(3.0)")
                ),
                named(
                    "GNU Free Documentation License (GFDL)",
                    Some("https://example.com/fdl")
                ),
                named(
                    "CC BY 4.0",
                    Some("https://creativecommons.org/licenses/by/4.0/")
                ),
            ]
        );
        assert_eq!(
            notice.links,
            Vec::<String>::new(),
            "a Source: link names nothing"
        );
        let only = read("<https://creativecommons.org/licenses/by/4.0/>\n", 1).expect("a link");
        assert_eq!(only.links, ["https://creativecommons.org/licenses/by/4.0/"]);
        let stated = read(
            "Released under (https://a.example/l) by Acme, see https://b.example",
            9,
        );
        assert_eq!(
            stated.expect("a stated link").links,
            ["https://a.example/l"]
        );
    }

    #[test]
    fn long_texts_and_texts_naming_nothing_are_not_notices() {
        assert_eq!(read("License: MIT", MAX_NOTICE_WORDS + 1), None);
        for text in [
            "",
            "Acme grants you a licence to use the weights for research.",
            "Grant of License: Acme grants you a licence to use the weights.",
            "Acme Model License:\nYou may use the weights.",
            "See httpx://example.com and xhttp://example.com",
            // A short custom licence that points at a known licence is not that licence.
            "Acme Model License\n\nBased on https://opensource.org/licenses/MIT, except that you \
             may not use the weights commercially.",
            "Acme Model License\nTerms: https://opensource.org/licenses/MIT\nNo commercial use.",
        ] {
            assert_eq!(read(text, 10), None, "{text:?}");
        }
    }

    #[test]
    fn links_end_where_the_sentence_or_bracket_does() {
        let links = |text: &str| {
            link_spans(text)
                .into_iter()
                .map(|(start, end)| text[start..end].to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            links("see <https://a.example/x>, [b](HTTP://b.example/y). (https://c.example/z_(1))"),
            [
                "https://a.example/x",
                "HTTP://b.example/y",
                "https://c.example/z_(1)"
            ]
        );
        assert_eq!(links("https:// and http://"), Vec::<&str>::new());
    }

    #[test]
    fn sentences_state_names_after_a_licensing_verb() {
        assert_eq!(
            stated_names("It is licensed under the terms of the MIT License. Enjoy."),
            ["MIT License"]
        );
        assert_eq!(
            stated_names("Released under CC BY 4.0; see below. Code published under Apache-2.0"),
            ["CC BY 4.0", "Apache-2.0"]
        );
        assert_eq!(
            stated_names("Made available under CC0 1.0 (https://example.com/cc0)."),
            ["CC0 1.0"]
        );
        assert!(stated_names("Go under the bridge. Licensed under https://a.example/l").is_empty());
        let notice = read(
            "Acme QA\n\nLicensed under CC BY 4.0.\nNo commercial use.\n",
            12,
        );
        assert_eq!(
            notice, None,
            "a sentence that adds a term drops the stated name"
        );
    }

    #[test]
    fn own_terms_are_clauses_that_restrict_without_speaking_of_a_licence() {
        let line_of = |text: &str| first_own_term(text).map(|span| span.line);
        // The standard notices speak of their licence in every clause that restricts.
        let apache = "Copyright 2025 Acme Corp\n\n\
                      Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use\n\
                      this file except in compliance with the License. You may obtain a copy of the\n\
                      License at\n\n    https://www.apache.org/licenses/LICENSE-2.0\n\n\
                      Unless required by applicable law or agreed to in writing, software distributed\n\
                      under the License is distributed on an \"AS IS\" BASIS, WITHOUT WARRANTIES OR\n\
                      CONDITIONS OF ANY KIND, either express or implied.\n";
        assert_eq!(line_of(apache), None);
        assert_eq!(
            line_of(&format!(
                "{apache}\nThe weights may not be used\nfor military purposes.\n"
            )),
            Some(13)
        );
        assert_eq!(
            line_of("Acme Non-Commercial Data\n\nLicense: CC BY-NC 4.0\n"),
            None
        );
        assert_eq!(
            line_of("Licensed under CC BY 4.0; research use only.\n"),
            Some(1)
        );
        assert_eq!(
            line_of("Licensed under CC BY 4.0\nNo commercial use\n"),
            Some(2)
        );
        assert_eq!(
            line_of("The data was collected from public forums in 2024.\n"),
            None
        );
    }

    #[test]
    fn names_lose_the_words_that_join_them() {
        assert_eq!(name_part(") and the GFDL (GFDL): "), "GFDL (GFDL)");
        assert_eq!(name_part("MIT, see "), "MIT");
        assert_eq!(name_part("[MIT]("), "MIT");
        assert_eq!(name_part(" and "), "");
        assert_eq!(name_part("Acme and"), "Acme and");
        assert_eq!(
            split_names("MIT, Public Domain and CC0"),
            ["MIT", "Public Domain", "CC0"]
        );
    }
}
