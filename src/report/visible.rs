//! Text from the scanned repository made safe to show on a terminal.
//!
//! File names, card values and strings decoded from source code (a Python `"\x1b[2K"`) can
//! carry control characters. Written raw, they move the cursor, erase the lines above (a
//! repository could hide its own findings), set the window title or reorder text (the bidi
//! overrides of "Trojan Source"). Human-readable output passes every such string through this
//! module, which shows each of those characters as a visible Rust-style escape (`\u{1b}`,
//! `\u{202e}`) so that an auditor sees what is there. Formats with their own escaping (JSON,
//! SARIF, the BOMs) never need it; the audit report replaces the same characters
//! ([`is_hidden_control`]) with U+FFFD.

use std::borrow::Cow;

/// A character that a terminal acts on or that reorders the text around it: C0 controls
/// (newline and tab included), DEL, C1 controls, and the bidi embeddings, overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069).
pub fn is_hidden_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A single-line field (a path, a name, a message): every hidden control, newline and tab
/// included, is shown escaped.
pub fn line(text: &str) -> Cow<'_, str> {
    escaped(text, |_, _| false).0
}

/// Text whose layout is kept (a help text, a quoted file): newline, tab and a carriage return
/// that ends a line stay as they are, every other hidden control is shown escaped.
pub fn lines(text: &str) -> Cow<'_, str> {
    lines_with_offsets(text).0
}

/// [`lines`], and where each byte offset of `text` is in the escaped text (to move a span).
pub fn lines_with_offsets(text: &str) -> (Cow<'_, str>, Offsets) {
    escaped(text, |c, next| match c {
        '\n' | '\t' => true,
        '\r' => next == Some('\n'),
        _ => false,
    })
}

/// Maps byte offsets of a text to byte offsets of its escaped form.
#[derive(Debug, Default)]
pub struct Offsets {
    /// For each escaped character: its offset in the original text and the bytes the escapes
    /// up to and including it added.
    added: Vec<(usize, usize)>,
}

impl Offsets {
    pub fn map(&self, offset: usize) -> usize {
        let before = self.added.partition_point(|&(at, _)| at < offset);
        match before.checked_sub(1) {
            Some(i) => offset + self.added[i].1,
            None => offset,
        }
    }
}

fn escaped(text: &str, keep: impl Fn(char, Option<char>) -> bool) -> (Cow<'_, str>, Offsets) {
    let mut chars = text.char_indices().peekable();
    let mut out: Option<String> = None;
    let mut offsets = Offsets::default();
    let mut added = 0;
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if is_hidden_control(c) && !keep(c, next) {
            let out = out.get_or_insert_with(|| {
                let mut s = String::with_capacity(text.len() + 16);
                s.push_str(&text[..at]);
                s
            });
            let before = out.len();
            out.extend(c.escape_unicode());
            added += out.len() - before - c.len_utf8();
            offsets.added.push((at, added));
        } else if let Some(out) = out.as_mut() {
            out.push(c);
        }
    }
    match out {
        Some(out) => (Cow::Owned(out), offsets),
        None => (Cow::Borrowed(text), offsets),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_as_escapes() {
        assert_eq!(
            line("acme\x1b[1A\x1b[2Kweights.pkl"),
            "acme\\u{1b}[1A\\u{1b}[2Kweights.pkl"
        );
        assert_eq!(line("a\nb\tc\u{7f}\u{9b}"), "a\\u{a}b\\u{9}c\\u{7f}\\u{9b}");
        assert_eq!(line("abc\u{202e}fed\u{2066}"), "abc\\u{202e}fed\\u{2066}");
        assert!(matches!(line("plain ünïcode — text"), Cow::Borrowed(_)));
    }

    #[test]
    fn layout_is_kept_in_multi_line_text() {
        assert_eq!(lines("a\r\n\tb\rc\x07"), "a\r\n\tb\\u{d}c\\u{7}");
    }

    #[test]
    fn offsets_follow_the_escapes() {
        let text = "a\x1bbc\u{202e}d";
        let (shown, offsets) = lines_with_offsets(text);
        for (at, c) in text.char_indices().filter(|&(_, c)| !is_hidden_control(c)) {
            assert_eq!(shown[offsets.map(at)..].chars().next(), Some(c), "{at}");
        }
        assert_eq!(offsets.map(text.len()), shown.len());
        assert_eq!(
            offsets.map(1),
            1,
            "an escape starts where its character was"
        );
    }
}
