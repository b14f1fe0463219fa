//! The name a licence document goes by: what LIC002 calls a licence text no record identifies,
//! and the title the inventory lists for it. A document's first line is often a copyright line,
//! or the start of a sentence that goes on for lines, neither of which names the licence; the
//! title a licence gives itself near its top does.
//!
//! It reads only the text it is given, and always gives a name: a document without words is
//! named by its file name.

use super::skip_list_markers;

/// The most characters of a name.
pub const MAX_NAME_CHARS: usize = 100;

/// How many of a document's first lines with words may hold its title.
const TITLE_LINES: usize = 10;

/// The most words a title has; a longer line is a sentence.
const MAX_TITLE_WORDS: usize = 12;

/// Words of which a title has one: what a licence document calls itself. Sorted.
static TITLE_WORDS: &[&str] = &[
    "agreement",
    "eula",
    "licence",
    "licences",
    "license",
    "licenses",
    "policy",
    "terms",
];

/// What ends a line that goes on, rather than a title. Sorted.
static CONTINUING_ENDS: &[char] = &[',', '.', ':', ';'];

/// The name of a licence document with `text`, in `file_name`: the first of its first
/// `TITLE_LINES` lines with words that reads as a title (`is_title`); else its first sentence
/// after any copyright lines, clipped at a word boundary with an ellipsis when longer than
/// `MAX_NAME_CHARS`; else, for a document without words, the file name.
pub fn document_name(text: &str, file_name: &str) -> String {
    let lines: Vec<&str> = text.lines().map(bare_line).collect();
    let head: Vec<usize> = (0..lines.len())
        .filter(|&i| has_words(lines[i]))
        .take(TITLE_LINES)
        .collect();
    if let Some(&title) = head.iter().find(|&&i| is_title(lines[i])) {
        return lines[title].to_owned();
    }
    let Some(&first) = head
        .iter()
        .find(|&&i| !is_copyright(lines[i]))
        .or(head.first())
    else {
        return file_name.to_owned();
    };
    let paragraph: Vec<&str> = lines[first..]
        .iter()
        .take_while(|l| !l.is_empty())
        .copied()
        .collect();
    clipped(first_sentence(&paragraph.join(" ")))
}

/// Whether `line` (as written) names a licence document (see `is_title`).
pub fn is_title_line(line: &str) -> bool {
    is_title(bare_line(line))
}

/// A line without its indentation, Markdown heading marks and emphasis around it.
fn bare_line(line: &str) -> &str {
    line.trim()
        .trim_start_matches('#')
        .trim()
        .trim_matches(['*', '_'])
        .trim()
}

fn has_words(line: &str) -> bool {
    line.chars().any(char::is_alphanumeric)
}

fn words(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A line that names a licence document: a few words, one of them a `TITLE_WORDS` word; not a
/// sentence or clause (no final `.`, `,`, `:` or `;`), a numbered heading, a copyright line or
/// a link.
fn is_title(line: &str) -> bool {
    let count = words(line).count();
    (1..=MAX_TITLE_WORDS).contains(&count)
        && line.chars().count() <= MAX_NAME_CHARS
        && words(line).any(|w| {
            TITLE_WORDS
                .binary_search(&w.to_lowercase().as_str())
                .is_ok()
        })
        && !line.ends_with(CONTINUING_ENDS)
        && skip_list_markers(line).len() == line.len()
        && !is_copyright(line)
        && !line.contains("://")
}

fn is_copyright(line: &str) -> bool {
    let folded = line.to_lowercase();
    folded.starts_with("copyright")
        || folded.starts_with("(c)")
        || folded.starts_with('©')
        || folded.contains("all rights reserved")
}

/// `paragraph` up to the end of its first sentence (`.`, `!` or `?` and a space), or all of it.
fn first_sentence(paragraph: &str) -> &str {
    let ends = paragraph.char_indices().zip(paragraph.chars().skip(1));
    for ((at, c), next) in ends {
        if matches!(c, '.' | '!' | '?') && next.is_whitespace() {
            return &paragraph[..=at];
        }
    }
    paragraph
}

/// `sentence`, or as many of its first words as fit in `MAX_NAME_CHARS` with an ellipsis.
fn clipped(sentence: &str) -> String {
    if sentence.chars().count() <= MAX_NAME_CHARS {
        return sentence.to_owned();
    }
    let mut name = String::new();
    for word in sentence.split_whitespace() {
        if name.chars().count() + word.chars().count() + 2 > MAX_NAME_CHARS {
            break;
        }
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(word);
    }
    if name.is_empty() {
        name = sentence.chars().take(MAX_NAME_CHARS - 1).collect();
    }
    let name = name.trim_end_matches(|c: char| !c.is_alphanumeric());
    format!("{name}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_tables_are_sorted() {
        assert!(TITLE_WORDS.is_sorted());
        assert!(CONTINUING_ENDS.is_sorted());
    }

    #[test]
    fn a_title_is_found_below_copyright_lines() {
        let text = "Copyright (c) 2024 Acme Research Lab. All rights reserved.\n\n\
                    ACME RESEARCH MODEL LICENSE AGREEMENT\n\n\
                    1. Definitions. \"Model\" means the weights Acme releases.\n";
        assert_eq!(
            document_name(text, "LICENSE"),
            "ACME RESEARCH MODEL LICENSE AGREEMENT"
        );
        assert_eq!(
            document_name(
                "# Acme Model Licence v1.0\n\nYou may use it.\n",
                "LICENSE.md"
            ),
            "Acme Model Licence v1.0"
        );
        assert_eq!(
            document_name("**Acme Terms of Use**\n\nYou may use it.\n", "LICENSE.md"),
            "Acme Terms of Use"
        );
    }

    #[test]
    fn sentences_headings_and_copyright_lines_are_not_titles() {
        for line in [
            "Please read these license terms:",
            "The license below applies to the model.",
            "Acme grants you a license to use the model, subject to the terms below, and may end \
             it at any time",
            "1. License Grant",
            "(a) License Grant",
            "Copyright 2024 Acme Research Lab, under the Acme license",
            "https://example.com/acme/license",
            "Acme Research Lab",
        ] {
            assert!(!is_title(line), "{line:?}");
        }
        assert!(is_title("Acme Model License"));
        assert!(is_title("EXAMPLE.COM DATA LICENCE – VERSION 2"));
    }

    #[test]
    fn without_a_title_the_first_sentence_names_the_document() {
        let long = "Acme Research Lab grants every researcher who agrees to these conditions the \
                    right to use, copy and study the released weights for non-commercial research \
                    only. Any other use needs a written agreement.\n";
        let name = document_name(long, "LICENSE");
        assert_eq!(
            name,
            "Acme Research Lab grants every researcher who agrees to these conditions the right to \
             use, copy and…"
        );
        assert!(name.chars().count() <= MAX_NAME_CHARS, "{name}");
        // A sentence that wraps over lines, after a copyright line, ends at its full stop.
        assert_eq!(
            document_name(
                "Copyright 2024 Acme\n\nYou may use the weights\nfor research. Nothing else.\n",
                "LICENSE"
            ),
            "You may use the weights for research."
        );
        assert_eq!(
            document_name("Copyright 2024 Acme Research Lab\n", "LICENSE"),
            "Copyright 2024 Acme Research Lab"
        );
        let word = "x".repeat(150);
        assert_eq!(
            document_name(&word, "LICENSE").chars().count(),
            MAX_NAME_CHARS
        );
    }

    #[test]
    fn a_document_without_words_is_named_by_its_file_name() {
        for text in ["", "   \n\t\n", "\n=====\n---\n"] {
            assert_eq!(
                document_name(text, "LICENSE.txt"),
                "LICENSE.txt",
                "{text:?}"
            );
        }
    }
}
