//! Replaceable text in licence templates. A licensee fills in the copyright line of a template
//! (Apache-2.0's `Copyright [yyyy] [name of copyright owner]`, MIT's `Copyright (c) <year>
//! <copyright holders>`); that is how the licence is meant to be used, not an edit. As the SPDX
//! matching guidelines treat copyright notices and replaceable text as variable, the passages a
//! record lists (`[[text.variable]]`) are put back to their canonical wording before a text's
//! hash is compared with the record's.
//!
//! Some canonical texts also carry text that is not part of the terms (Apache-2.0's appendix,
//! the Creative Commons notices); `terms_within` finds the terms of a copy so that only they are
//! compared when the whole text is not the canonical one.
//!
//! It works on normalised text (`license::normalize`) and does no I/O. A passage never reaches
//! past its anchors or beyond `MAX_VARIABLE_WORDS`, so an edited clause outside the passages, or a
//! long one hidden in them, still changes the hash. The terms are found by their first and last
//! words and compared whole, so an edit inside them, or a text cut short within them, is still an
//! edit; what stands outside them is bounded by the record.

use std::borrow::Cow;

use super::normalize;
use super::record::{Terms, VariableText};

/// The most words a filled-in passage may hold (several copyright lines, a title).
pub const MAX_VARIABLE_WORDS: usize = 40;

/// `normalized` with each variable passage, found between its anchors, replaced by the
/// canonical wording. Passages are looked for in order, each after the previous one; a passage
/// whose anchors are missing, or that is longer than `MAX_VARIABLE_WORDS`, is left as it is.
pub fn restore_template<'a>(normalized: &'a str, variables: &[VariableText]) -> Cow<'a, str> {
    if variables.is_empty() {
        return Cow::Borrowed(normalized);
    }
    let phrases: Vec<[String; 3]> = variables
        .iter()
        .map(|v| {
            [
                normalize(&v.preceded_by),
                normalize(&v.original),
                normalize(&v.followed_by),
            ]
        })
        .collect();
    let words: Vec<&str> = words_of(normalized);
    let mut rest = words.as_slice();
    let mut restored: Vec<&str> = Vec::with_capacity(words.len());
    for [preceded_by, original, followed_by] in &phrases {
        let (preceded_by, followed_by) = (words_of(preceded_by), words_of(followed_by));
        if followed_by.is_empty() {
            continue;
        }
        let Some(at) = find(rest, &preceded_by) else {
            continue;
        };
        let start = at + preceded_by.len();
        let Some(filled) = find(&rest[start..], &followed_by) else {
            continue;
        };
        if filled > MAX_VARIABLE_WORDS {
            continue;
        }
        restored.extend_from_slice(&rest[..start]);
        restored.extend(words_of(original));
        rest = &rest[start + filled..];
    }
    restored.extend_from_slice(rest);
    Cow::Owned(restored.join(" "))
}

/// The terms of a normalised copy: its words from the first `begins` (or the start) through the
/// first `ends` after it, when the words before and after them fit `max_words_before` and
/// `max_words_after`. `None` when an anchor is missing or too much stands outside.
pub fn terms_within(normalized: &str, terms: &Terms) -> Option<String> {
    let words = words_of(normalized);
    let (begins, ends) = (normalize(&terms.begins), normalize(&terms.ends));
    let (begins, ends) = (words_of(&begins), words_of(&ends));
    if ends.is_empty() {
        return None;
    }
    let start = find(&words, &begins)?;
    let end = start + find(&words[start..], &ends)? + ends.len();
    let fits = start <= terms.max_words_before && words.len() - end <= terms.max_words_after;
    fits.then(|| words[start..end].join(" "))
}

fn words_of(normalized: &str) -> Vec<&str> {
    normalized.split(' ').filter(|w| !w.is_empty()).collect()
}

/// Where `needle` first occurs in `haystack`, in words; an empty needle is at the start.
fn find(haystack: &[&str], needle: &[&str]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable(preceded_by: &str, original: &str, followed_by: &str) -> VariableText {
        VariableText {
            original: original.to_owned(),
            preceded_by: preceded_by.to_owned(),
            followed_by: followed_by.to_owned(),
        }
    }

    #[test]
    fn a_filled_in_passage_is_put_back_between_its_anchors() {
        let v = [variable(
            "the notice:",
            "Copyright [yyyy] [owner]",
            "Licensed under",
        )];
        assert_eq!(
            restore_template(
                "the notice copyright 2023 acme research lab licensed under x",
                &v
            ),
            "the notice copyright yyyy owner licensed under x"
        );
        assert_eq!(
            restore_template("the notice licensed under x", &v),
            "the notice copyright yyyy owner licensed under x",
            "an omitted notice is the notice"
        );
    }

    #[test]
    fn an_empty_preceding_anchor_is_the_start_of_the_text() {
        let v = [variable(
            "",
            "Copyright (c) <year> <owner>",
            "Redistribution",
        )];
        assert_eq!(
            restore_template(
                "bsd license copyright c 2023 acme redistribution and use",
                &v
            ),
            "copyright c year owner redistribution and use"
        );
    }

    #[test]
    fn passages_are_left_alone_without_anchors_or_when_too_long() {
        let v = [variable("before", "x", "after")];
        assert_eq!(restore_template("before y z", &v), "before y z");
        assert_eq!(restore_template("y z after", &v), "y z after");
        let long = format!(
            "before {} after",
            vec!["w"; MAX_VARIABLE_WORDS + 1].join(" ")
        );
        assert_eq!(restore_template(&long, &v), long);
        let fits = format!("before {} after", vec!["w"; MAX_VARIABLE_WORDS].join(" "));
        assert_eq!(restore_template(&fits, &v), "before x after");
        assert!(matches!(restore_template("a b", &[]), Cow::Borrowed("a b")));
    }

    fn terms(begins: &str, ends: &str, before: usize, after: usize) -> Terms {
        Terms {
            begins: begins.to_owned(),
            ends: ends.to_owned(),
            max_words_before: before,
            max_words_after: after,
            ..Terms::default()
        }
    }

    #[test]
    fn the_terms_are_found_between_their_anchors_within_the_bounds() {
        let t = terms("By exercising", "end of terms.", 3, 2);
        assert_eq!(
            terms_within("notice a b by exercising x y end of terms trailer z", &t).as_deref(),
            Some("by exercising x y end of terms")
        );
        assert_eq!(
            terms_within("by exercising x end of terms", &t).as_deref(),
            Some("by exercising x end of terms"),
            "nothing outside the terms"
        );
        assert_eq!(
            terms_within("one two three four by exercising x end of terms", &t),
            None,
            "too much before"
        );
        assert_eq!(
            terms_within("by exercising x end of terms a b c", &t),
            None,
            "too much after"
        );
        assert_eq!(
            terms_within("by exercising x end of", &t),
            None,
            "cut short"
        );
        assert_eq!(terms_within("x end of terms", &t), None, "no start");
        assert_eq!(
            terms_within("end of terms by exercising x end of terms", &t).as_deref(),
            Some("by exercising x end of terms"),
            "the end is looked for after the start"
        );
        let from_start = terms("", "end", 0, 0);
        assert_eq!(
            terms_within("a b end", &from_start).as_deref(),
            Some("a b end")
        );
        assert_eq!(terms_within("a b end c", &from_start), None);
        assert_eq!(terms_within("", &from_start), None);
        assert_eq!(terms_within("a end", &terms("", "", 9, 9)), None);
    }

    #[test]
    fn passages_are_found_in_order_and_anchors_match_whole_words() {
        let v = [variable("one", "x", "two"), variable("two", "y", "three")];
        assert_eq!(
            restore_template("one a two b three", &v),
            "one x two y three"
        );
        let v = [variable("one", "x", "two")];
        assert_eq!(
            restore_template("ones a twos one b two", &v),
            "ones a twos one x two"
        );
    }
}
