//! Patterns over source text: regular expressions with ASCII classes (`\s`, `\w`, `\b`, `[^"]`
//! and `.` take bytes, not Unicode scalar values), searched in a `&str` and giving `&str`
//! matches.
//!
//! Why: the tool and server readers compile a few dozen patterns, and a scan pays for each one
//! it uses. A Unicode class in a pattern costs a UTF-8 automaton (and a table of several hundred
//! KB) at compile time; the byte classes cost none, so a pattern compiles in about half the time.
//! Source code spells its keywords and punctuation in ASCII, so nothing a reader looks for
//! changes. A class that takes the first byte of a non-ASCII character (`[^=]` before `é`)
//! gives a match that ends inside it; the match is widened to whole characters, as a Unicode
//! class would have taken the character, so no match cuts a character in two.

use std::borrow::Cow;
use std::ops::Range;

/// A compiled pattern (see the module documentation for what its classes match).
#[derive(Debug, Clone)]
pub struct Pattern(regex::bytes::Regex);

impl Pattern {
    /// Compiles `pattern` with ASCII classes.
    pub fn new(pattern: &str) -> Result<Pattern, regex::Error> {
        regex::bytes::RegexBuilder::new(pattern)
            .unicode(false)
            .build()
            .map(Pattern)
    }

    /// The pattern's text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.0.is_match(haystack.as_bytes())
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        let m = self.0.find(haystack.as_bytes())?;
        Some(Match::new(haystack, m.range()))
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        self.0
            .find_iter(haystack.as_bytes())
            .map(move |m| Match::new(haystack, m.range()))
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        let groups = self.0.captures(haystack.as_bytes())?;
        Some(Captures { haystack, groups })
    }

    pub fn captures_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = Captures<'h>> + 'r
    where
        'h: 'r,
    {
        self.0
            .captures_iter(haystack.as_bytes())
            .map(move |groups| Captures { haystack, groups })
    }

    /// `haystack` with every match replaced by `replacement` (taken literally).
    pub fn replace_all<'h>(&self, haystack: &'h str, replacement: &str) -> Cow<'h, str> {
        let mut out = String::new();
        let mut last = 0;
        for m in self.find_iter(haystack) {
            out.push_str(&haystack[last..m.start]);
            out.push_str(replacement);
            last = m.end;
        }
        if last == 0 && out.is_empty() {
            return Cow::Borrowed(haystack);
        }
        out.push_str(&haystack[last..]);
        Cow::Owned(out)
    }
}

/// One match: its byte range in the haystack and the text there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    /// A match that would cut a character in two is widened to whole characters (see the
    /// module documentation).
    fn new(haystack: &'h str, range: Range<usize>) -> Match<'h> {
        let mut start = range.start.min(haystack.len());
        while !haystack.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = range.end.clamp(start, haystack.len());
        while !haystack.is_char_boundary(end) {
            end += 1;
        }
        Match {
            haystack,
            start,
            end,
        }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// The groups of one match.
#[derive(Debug)]
pub struct Captures<'h> {
    haystack: &'h str,
    groups: regex::bytes::Captures<'h>,
}

impl<'h> Captures<'h> {
    /// Group `i` (0 is the whole match), if it took part in the match.
    pub fn get(&self, i: usize) -> Option<Match<'h>> {
        let m = self.groups.get(i)?;
        Some(Match::new(self.haystack, m.range()))
    }

    /// The named group `name`, if it took part in the match.
    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        let m = self.groups.name(name)?;
        Some(Match::new(self.haystack, m.range()))
    }

    /// The number of groups, the whole match included.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.len() == 0
    }
}

impl<'h> std::ops::Index<usize> for Captures<'h> {
    type Output = str;

    /// The text of group `i`; panics if the group did not take part in the match, as `regex`
    /// does.
    fn index(&self, i: usize) -> &str {
        self.get(i)
            .map(|m| m.as_str())
            .unwrap_or_else(|| panic!("no group at index '{i}'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_ascii_and_matches_are_str() {
        let p = Pattern::new(r#"\bname\s*=\s*"((?:[^"\\\n]|\\.)*)""#).unwrap();
        let hay = "x = Tool(name = \"caf\u{e9} \\\"r\u{e9}sum\u{e9}\\\"\")";
        let c = p.captures(hay).unwrap();
        assert_eq!(&c[1], "caf\u{e9} \\\"r\u{e9}sum\u{e9}\\\"");
        assert_eq!(c.get(0).unwrap().start(), 9);
        // `\s` is ASCII white space only: a no-break space does not separate.
        assert!(!Pattern::new(r"a\sb").unwrap().is_match("a\u{a0}b"));
        // `\b` is an ASCII word boundary: a non-ASCII letter is no word character.
        assert!(Pattern::new(r"\bTool\(").unwrap().is_match("\u{e9}Tool("));
        // Non-ASCII literals in a pattern match their UTF-8 bytes.
        assert_eq!(
            Pattern::new("r\u{e9}sum\u{e9}")
                .unwrap()
                .find("a r\u{e9}sum\u{e9}")
                .map(|m| m.range()),
            Some(2..10)
        );
    }

    #[test]
    fn a_match_that_would_cut_a_character_takes_it_whole() {
        // `[^>=]` takes one byte, so `=[^>=]` ends inside the two-byte character after `=`.
        let p = Pattern::new("x=[^>=]").unwrap();
        let m = p.find("let x=\u{e9}t\u{e9}").unwrap();
        assert_eq!(m.range(), 4..8);
        assert_eq!(m.as_str(), "x=\u{e9}");
        let c = p.captures("x=\u{e9}").unwrap();
        assert_eq!(&c[0], "x=\u{e9}");
        // A match that starts inside a character starts at the character.
        let tail = Pattern::new("[\\x80-\\xff]t").unwrap();
        assert_eq!(tail.find("\u{e9}t").unwrap().as_str(), "\u{e9}t");
    }

    #[test]
    fn iterators_and_replace_all() {
        let p = Pattern::new(r"<!--.*?-->").unwrap();
        assert_eq!(p.replace_all("a<!-- x -->b<!--y-->c", ""), "abc");
        assert!(matches!(p.replace_all("abc", ""), Cow::Borrowed("abc")));
        let words = Pattern::new(r"[a-z]+").unwrap();
        let found: Vec<&str> = words
            .find_iter("ab, \u{e9}cd")
            .map(|m| m.as_str())
            .collect();
        assert_eq!(found, ["ab", "cd"]);
        let pairs: Vec<(String, String)> = Pattern::new(r"(\w+)=(\w+)")
            .unwrap()
            .captures_iter("a=1 b=2")
            .map(|c| (c[1].to_owned(), c[2].to_owned()))
            .collect();
        assert_eq!(pairs, [("a".into(), "1".into()), ("b".into(), "2".into())]);
    }
}
