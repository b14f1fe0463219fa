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
pub mod notice;
pub mod obligations;
pub mod record;
pub mod render;
pub mod statement;
pub mod template;
pub mod title;

pub use analysis::{ConcludedLicense, Licensing, analyse};
pub use db::{LicenseDb, LicenseDbError};
pub use document::is_licence_document;
pub use record::LicenseRecord;

/// The normalisation every fingerprint and text hash uses: list markers that start a list item
/// are dropped (`line_words`); then lower case; every maximal run of characters that are not ASCII
/// letters or digits becomes one space; trimmed; the word `https` is `http` (`fold_word`).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Where the word being written starts in `out`.
    let mut word_start = None;
    let mut before = LineBefore::BREAK;
    for line in lines(text) {
        let (words, after) = line_words(line, before);
        for c in words.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                if word_start.is_none() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    word_start = Some(out.len());
                }
                out.push(c);
            } else if let Some(start) = word_start.take() {
                fold_word(&mut out, start);
            }
        }
        if let Some(start) = word_start.take() {
            fold_word(&mut out, start);
        }
        before = after;
    }
    out
}

/// Folds the word that ends `out`, from `start`, into the word it is equivalent to: `https` is
/// `http`, as the SPDX License List Matching Guidelines hold `http://` and `https://` equivalent
/// (a copy of Apache-2.0 that links `https://www.apache.org/licenses/` is the licence). A `www.`
/// prefix is not equivalent to none, and stays a word.
fn fold_word(out: &mut String, start: usize) {
    if &out[start..] == "https" {
        out.pop();
    }
}

/// The lines of a text, whether they end in `\n`, `\r\n` or `\r`.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

/// Marks that may stand before a list marker, or between two, besides white space: bullets,
/// dashes, and Markdown's heading, quote and emphasis marks. A line that starts with one is a
/// list item or a heading. Sorted.
static LEADING_MARKS: &[char] = &[
    '#', '*', '+', '-', '>', '_', '·', '–', '—', '•', '‣', '▪', '●', '◦',
];

/// What closes a sentence or clause at the end of a line. Sorted.
static CLAUSE_ENDS: &[char] = &['!', '.', ':', ';', '?'];

/// What may stand after the close of a sentence or clause: closing quotes, Markdown emphasis.
/// Sorted.
static AFTER_CLAUSE_END: &[char] = &['"', '\'', '*', '_', '’', '”'];

/// Roman numerals one to nine (`x`, `xx`, `xxx` may come before them). Sorted.
static ROMAN_UNITS: &[&[u8]] = &[
    b"i", b"ii", b"iii", b"iv", b"ix", b"v", b"vi", b"vii", b"viii",
];

/// What a line tells the next one: whether a list item may start there.
#[derive(Debug, Clone, Copy)]
struct LineBefore {
    /// The line is the text's start or blank (no ASCII letter or digit), ends a sentence or
    /// clause, or is a list item or heading itself.
    item_may_follow: bool,
    /// Its indentation, in characters of white space.
    indent: usize,
}

impl LineBefore {
    const BREAK: LineBefore = LineBefore {
        item_may_follow: true,
        indent: 0,
    };
}

/// `line` without the list markers that start it, and what it tells the next line. Numbering and
/// bullets are not part of a licence's words (SPDX License List Matching Guidelines, "Bullets and
/// numbering"): a copy that writes `*` or `(a)` where the licence writes `1.` is the licence.
///
/// A line starts a list item where the text starts, or after a line that is blank (no ASCII
/// letter or digit), ends with
/// `.` `:` `;` `!` or `?` (closing quotes aside), is a list item or a heading (starts with a marker
/// or a `LEADING_MARKS` mark), or is indented deeper than this one (the end of an item this one
/// follows). Anywhere else it continues the sentence before it, and keeps its first token: a
/// copy wrapped as `…authorized by this Section 2(a)` / `(4) never produces` still says `4`.
///
/// At the start of an item, after white space and `LEADING_MARKS`, a marker is a label followed
/// by `.` or `)`, or enclosed in `(` and `)`, that no ASCII letter or digit directly follows;
/// further markers right after it (`1. (a)`) are markers too. A label is a number of one to three
/// digits, or such numbers joined by dots (`2.1`, up to four parts); one ASCII letter; or a roman
/// numeral up to 39 (`iv`, `XII`). So `30 days`, `2024 Acme Inc.`, `I agree`, `a licence`, `e.g.`,
/// `1.1 Definitions` and `(2024)` at the start of a line are words, as is anything after a line's
/// markers (`Section 6(a)`).
fn line_words(line: &str, before: LineBefore) -> (&str, LineBefore) {
    let indent = line.chars().take_while(|c| c.is_whitespace()).count();
    let words = if before.item_may_follow || before.indent > indent {
        skip_list_markers(line)
    } else {
        line
    };
    let item = words.len() < line.len() || line.trim_start().starts_with(LEADING_MARKS);
    let blank = !line.bytes().any(|b| b.is_ascii_alphanumeric());
    let ends_clause = line
        .trim_end()
        .trim_end_matches(AFTER_CLAUSE_END)
        .ends_with(CLAUSE_ENDS);
    let after = LineBefore {
        item_may_follow: blank || item || ends_clause,
        indent,
    };
    (words, after)
}

/// `line` without the list markers it starts with (`line_words`), or all of it.
fn skip_list_markers(line: &str) -> &str {
    let mut rest = line;
    loop {
        let item =
            rest.trim_start_matches(|c: char| c.is_whitespace() || LEADING_MARKS.contains(&c));
        match list_marker_len(item.as_bytes()) {
            Some(len) => rest = &item[len..],
            None => return rest,
        }
    }
}

/// Bytes of the list marker `item` starts with (`skip_list_markers`), if it starts with one.
fn list_marker_len(item: &[u8]) -> Option<usize> {
    let enclosed = item.first() == Some(&b'(');
    let label_start = usize::from(enclosed);
    let end = label_start + list_label_len(&item[label_start..])?;
    let closed = match item.get(end) {
        Some(b')') => true,
        Some(b'.') => !enclosed,
        _ => false,
    };
    let after = end + 1;
    (closed && !item.get(after).is_some_and(u8::is_ascii_alphanumeric)).then_some(after)
}

/// Bytes of the list label `bytes` starts with: `2`, `2.1`, `a`, `iv`.
fn list_label_len(bytes: &[u8]) -> Option<usize> {
    let run = |from: usize, accept: fn(&u8) -> bool| {
        bytes[from..].iter().take_while(|b| accept(b)).count()
    };
    let digits = run(0, u8::is_ascii_digit);
    if digits > 3 {
        return None;
    }
    if digits > 0 {
        let (mut len, mut parts) = (digits, 1);
        while bytes.get(len) == Some(&b'.') {
            match run(len + 1, u8::is_ascii_digit) {
                0 => break,
                next if next > 3 || parts == 4 => return None,
                next => (len, parts) = (len + 1 + next, parts + 1),
            }
        }
        return Some(len);
    }
    let letters = run(0, u8::is_ascii_alphabetic);
    let word = bytes[..letters].to_ascii_lowercase();
    let tens = word.iter().take_while(|&&b| b == b'x').count();
    let units = &word[tens..];
    let roman =
        letters > 1 && tens <= 3 && (units.is_empty() || ROMAN_UNITS.binary_search(&units).is_ok());
    (letters == 1 || roman).then_some(letters)
}

/// Words of a normalised text.
pub fn word_count(normalized: &str) -> usize {
    normalized.split(' ').filter(|w| !w.is_empty()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_tables_are_sorted() {
        assert!(LEADING_MARKS.is_sorted());
        assert!(ROMAN_UNITS.is_sorted());
        assert!(CLAUSE_ENDS.is_sorted());
        assert!(AFTER_CLAUSE_END.is_sorted());
    }

    #[test]
    fn normalisation_folds_case_and_punctuation_runs() {
        assert_eq!(
            normalize("  LLAMA 3.1 — Community\n\nLicense, ©2024  "),
            "llama 3 1 community license 2024"
        );
        assert_eq!(normalize("é-x"), "x");
        assert_eq!(
            normalize("See HTTPS://www.apache.org/ or https\nhttps-https.httpsx"),
            "see http www apache org or http http http httpsx",
            "the word https is http"
        );
        assert_eq!(normalize("...."), "");
        assert_eq!(word_count("a b c"), 3);
        assert_eq!(word_count(""), 0);
    }

    #[test]
    fn list_markers_at_the_start_of_a_line_are_not_words() {
        for line in [
            "1. Redistributions must",
            "12) Redistributions must",
            "(3) Redistributions must",
            "2.1. Redistributions must",
            "3.1.2) Redistributions must",
            "a. Redistributions must",
            "B) Redistributions must",
            "(c) Redistributions must",
            "iv. Redistributions must",
            "(XII) Redistributions must",
            "xx. Redistributions must",
            "* Redistributions must",
            "- Redistributions must",
            "• Redistributions must",
            "   a.\tRedistributions must",
            "ii.\u{a0}Redistributions must",
            "1. (a) Redistributions must",
            "- (i) Redistributions must",
            "## 2. Redistributions must",
            "**2.1.** Redistributions must",
            "> 1) Redistributions must",
        ] {
            assert_eq!(normalize(line), "redistributions must", "{line:?}");
            assert_eq!(
                normalize(&format!("Conditions:\r\n{line}")),
                "conditions redistributions must",
                "{line:?} after a line end"
            );
        }
        assert_eq!(normalize("1.\n2."), "", "markers alone on their lines");
    }

    #[test]
    fn words_that_start_a_line_are_kept() {
        for (line, normalized) in [
            ("a licence to use", "a licence to use"),
            (
                "A compilation of a covered work",
                "a compilation of a covered work",
            ),
            ("I agree to the terms.", "i agree to the terms"),
            ("I, the licensee, agree", "i the licensee agree"),
            ("30 days after notice", "30 days after notice"),
            ("2024 Acme Inc.", "2024 acme inc"),
            ("2024. Acme Inc.", "2024 acme inc"),
            ("(2024) Acme Inc.", "2024 acme inc"),
            ("1.1 Definitions", "1 1 definitions"),
            ("2.0 (the License)", "2 0 the license"),
            ("e.g. a model", "e g a model"),
            ("U.S. export laws", "u s export laws"),
            ("i.e. the model", "i e the model"),
            ("mix. of terms", "mix of terms"),
            ("1a. Grant", "1a grant"),
            ("(a Grant", "a grant"),
            (
                "Section 6 – Term and Termination.",
                "section 6 term and termination",
            ),
            (
                "under Section 6(a), it reinstates",
                "under section 6 a it reinstates",
            ),
            ("terminated under (b) above", "terminated under b above"),
            ("1.2.3.4.5. Grant", "1 2 3 4 5 grant"),
        ] {
            assert_eq!(normalize(line), normalized, "{line:?}");
        }
        assert_eq!(
            normalize("as set out in\n(b) below; and 2. the rest"),
            "as set out in b below and 2 the rest",
            "a line that continues a sentence keeps its first token"
        );
    }

    #[test]
    fn list_items_start_where_the_line_before_allows_one() {
        for (text, normalized) in [
            // After the text's start, a blank line, or a line without words.
            ("(a) Keep", "keep"),
            ("Terms\n\n(a) Keep", "terms keep"),
            ("Terms\n=====\n(a) Keep", "terms keep"),
            // After the end of a sentence or clause, closing quotes aside.
            (
                "the following conditions:\n(a) Keep",
                "the following conditions keep",
            ),
            ("the disclaimer;\nb) Keep", "the disclaimer keep"),
            ("the “License.”\n2. Keep", "the license keep"),
            ("**Grant.**\n2. Keep", "grant keep"),
            // After a list item or a heading, punctuated or not.
            (
                "1. Violence or terrorism\n2. Exploitation",
                "violence or terrorism exploitation",
            ),
            ("* Violence\n2. Exploitation", "violence exploitation"),
            ("## Definitions\n(a) Agreement", "definitions agreement"),
            // After the deeper indented end of the item before.
            (
                "  vi. database rights of the\n      European Union; and\n vii. other rights",
                "database rights of the european union and other rights",
            ),
            // Line ends of every kind.
            (
                "conditions:\r\n1. Keep\r\n2. Retain",
                "conditions keep retain",
            ),
            ("conditions:\r1. Keep\r2. Retain", "conditions keep retain"),
            // Elsewhere the line continues the sentence before it.
            (
                "authorized by this Section 2(a)\n(4) never produces",
                "authorized by this section 2 a 4 never produces",
            ),
            (
                "licensed under Section\n9. Licence to use",
                "licensed under section 9 licence to use",
            ),
            // Not told apart: a token that continues the first line of an item (the line after
            // an item may start another, as in lists without punctuation), and a heading without
            // punctuation before a list (the list's first marker is a word).
            ("  (a) under Section\n  9. Licence", "under section licence"),
            (
                "1.1 Definitions\n(a) Agreement",
                "1 1 definitions a agreement",
            ),
        ] {
            assert_eq!(normalize(text), normalized, "{text:?}");
        }
    }

    proptest::proptest! {
        /// Any text, list-like or not, normalises without panicking to words of lower-case ASCII
        /// letters and digits, one space apart, which normalise to themselves.
        #[test]
        fn normalised_text_is_words_and_normalises_to_itself(
            text in "[ \\n\\r\\t().*#>•1-3aivxAIX]{0,60}|\\PC{0,120}"
        ) {
            let normalized = normalize(&text);
            let is_word =
                |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
            let words = normalized.is_empty() || normalized.split(' ').all(is_word);
            proptest::prop_assert!(words, "{normalized:?}");
            proptest::prop_assert_eq!(normalize(&normalized), normalized);
        }
    }
}
