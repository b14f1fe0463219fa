//! Source in a C-like syntax (JavaScript/TypeScript, Go, C#) told apart once: which bytes are
//! code, which belong to a string, character or template literal and which to a comment, and
//! which brackets of the code pair up. The tool readers (`tool_code`) read a declaration only
//! where its call starts in code, and walk brackets without being misled by one in a string;
//! `tsconfig` reads JSON with comments and trailing commas through it.
//!
//! Lexical only, and never fails. A JavaScript `/` starts a regular-expression literal where an
//! expression can start (after an operator, an opening bracket, `,` `;` `:`, a keyword such as
//! `return`, or at the start of the text) and a division elsewhere, as the usual lexers guess
//! without parsing; a regular expression must end on its line, else the `/` is taken for code.
//! The holes of a C# interpolated string are taken for part of the string, and a bracket that
//! does not close the innermost open one is left unpaired.

use std::ops::Range;

/// What a byte of the source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Code,
    /// Inside a string or template literal (its quotes included; code in `${…}` is code).
    Literal,
    Comment,
}

/// The syntax a source is written in: which literals it has beside `"…"` strings and `//`, `/* */`
/// comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// JavaScript/TypeScript: `'…'` strings, `` `…` `` template literals with code in `${…}`.
    Script,
    /// Go: `'…'` runes, `` `…` `` raw strings (no escapes, several lines).
    Go,
    /// C#: `'…'` characters, `@"…"` verbatim strings (`""` for a quote, several lines), raw
    /// strings between three or more quotes, `$` (interpolated) before either kind.
    CSharp,
}

/// A lexed source: the class of each byte and the brackets paired in code.
pub struct Lexed<'t> {
    pub text: &'t str,
    class: Vec<Class>,
    /// `(open, close)` offsets of the brackets paired in code, sorted by `open`.
    pairs: Vec<(usize, usize)>,
}

impl<'t> Lexed<'t> {
    /// A JavaScript/TypeScript source.
    pub fn new(text: &'t str) -> Lexed<'t> {
        Lexed::of(text, Dialect::Script)
    }

    pub fn of(text: &'t str, dialect: Dialect) -> Lexed<'t> {
        let (class, pairs) = lex(text, dialect);
        Lexed { text, class, pairs }
    }

    /// The class of the byte at `at` (`None` past the end).
    pub fn class(&self, at: usize) -> Option<Class> {
        self.class.get(at).copied()
    }

    pub fn is_code(&self, at: usize) -> bool {
        self.class(at) == Some(Class::Code)
    }

    /// The offset of the bracket that closes the one at `open`.
    pub fn close_of(&self, open: usize) -> Option<usize> {
        let i = self.pairs.binary_search_by_key(&open, |p| p.0).ok()?;
        Some(self.pairs[i].1)
    }

    /// The opening bracket of the innermost pair that holds `at` in code.
    pub fn enclosing(&self, at: usize) -> Option<usize> {
        let before = self.pairs.partition_point(|p| p.0 < at);
        self.pairs[..before]
            .iter()
            .rev()
            .find(|p| p.1 > at)
            .map(|p| p.0)
    }

    /// White space in code, or a comment.
    pub fn is_trivia(&self, at: usize) -> bool {
        match self.class[at] {
            Class::Comment => true,
            Class::Code => self.text.as_bytes()[at].is_ascii_whitespace(),
            Class::Literal => false,
        }
    }

    /// `range` without the white space and comments at either end.
    pub fn trimmed(&self, range: Range<usize>) -> Range<usize> {
        let start = self.skip_trivia(range.start, range.end);
        let mut end = range.end;
        while end > start && self.is_trivia(end - 1) {
            end -= 1;
        }
        start..end
    }

    /// The first offset from `at` (up to `limit`) that is neither white space nor a comment.
    pub fn skip_trivia(&self, mut at: usize, limit: usize) -> usize {
        while at < limit && self.is_trivia(at) {
            at += 1;
        }
        at
    }
}

/// Classify every byte of a source and pair its brackets. A closing bracket that does not match
/// the innermost open one is left unpaired.
fn lex(text: &str, dialect: Dialect) -> (Vec<Class>, Vec<(usize, usize)>) {
    /// What an open bracket or a template literal's `${` is waiting for.
    enum Open {
        Bracket(usize, u8),
        Substitution,
    }
    let bytes = text.as_bytes();
    let mut class = vec![Class::Code; bytes.len()];
    let mut pairs = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut in_template = false;
    let mut at = 0;
    while at < bytes.len() {
        if in_template {
            class[at] = Class::Literal;
            match bytes[at] {
                b'\\' => {
                    if let Some(next) = class.get_mut(at + 1) {
                        *next = Class::Literal;
                    }
                    at += 2;
                }
                b'`' => {
                    in_template = false;
                    at += 1;
                }
                b'$' if bytes.get(at + 1) == Some(&b'{') => {
                    class[at + 1] = Class::Literal;
                    stack.push(Open::Substitution);
                    in_template = false;
                    at += 2;
                }
                _ => at += 1,
            }
            continue;
        }
        let end = match (bytes[at], bytes.get(at + 1)) {
            (b'/', Some(b'/')) => {
                let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |k| at + k);
                class[at..end].fill(Class::Comment);
                end
            }
            (b'/', Some(b'*')) => {
                let end = memchr::memmem::find(&bytes[at + 2..], b"*/")
                    .map_or(bytes.len(), |k| at + 2 + k + 2);
                class[at..end].fill(Class::Comment);
                end
            }
            (b'`', _) if dialect == Dialect::Go => {
                let end =
                    memchr::memchr(b'`', &bytes[at + 1..]).map_or(bytes.len(), |k| at + k + 2);
                class[at..end].fill(Class::Literal);
                end
            }
            (b'@' | b'$' | b'"', _)
                if let Some(end) = (dialect == Dialect::CSharp)
                    .then(|| csharp_string(bytes, at))
                    .flatten() =>
            {
                class[at..end].fill(Class::Literal);
                end
            }
            (quote @ (b'"' | b'\''), _) => {
                let mut end = at + 1;
                while end < bytes.len() && bytes[end] != quote && bytes[end] != b'\n' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                let end = (end + 1).min(bytes.len());
                class[at..end].fill(Class::Literal);
                end
            }
            (b'/', _)
                if let Some(end) = (dialect == Dialect::Script
                    && expression_starts(bytes, &class, at))
                .then(|| regex_end(bytes, at))
                .flatten() =>
            {
                class[at..end].fill(Class::Literal);
                end
            }
            (b'`', _) if dialect == Dialect::Script => {
                class[at] = Class::Literal;
                in_template = true;
                at + 1
            }
            (open @ (b'(' | b'[' | b'{'), _) => {
                stack.push(Open::Bracket(at, open));
                at + 1
            }
            (close @ (b')' | b']' | b'}'), _) => {
                match stack.last() {
                    Some(Open::Substitution) if close == b'}' => {
                        stack.pop();
                        class[at] = Class::Literal;
                        in_template = true;
                    }
                    Some(&Open::Bracket(open, kind))
                        if matches!((kind, close), (b'(', b')') | (b'[', b']') | (b'{', b'}')) =>
                    {
                        stack.pop();
                        pairs.push((open, at));
                    }
                    _ => {}
                }
                at + 1
            }
            _ => at + 1,
        };
        at = end;
    }
    pairs.sort_unstable();
    (class, pairs)
}

/// Keywords after which a JavaScript `/` starts a regular expression (`return /x/.test(s)`).
/// Sorted.
static REGEX_KEYWORDS: &[&str] = &[
    "await",
    "case",
    "delete",
    "do",
    "else",
    "in",
    "instanceof",
    "new",
    "of",
    "return",
    "throw",
    "typeof",
    "void",
    "yield",
];

/// Whether an expression can start at `at`: the code before it, past white space and comments,
/// ends in an operator, an opening bracket, `,` `;` `:`, `}` (the end of a block) or one of
/// [`REGEX_KEYWORDS`], or there is none. After a name, a number, `)`, `]` or a literal a `/`
/// divides.
fn expression_starts(bytes: &[u8], class: &[Class], at: usize) -> bool {
    let Some(last) = (0..at).rev().find(|&i| {
        class[i] != Class::Comment && !(class[i] == Class::Code && bytes[i].is_ascii_whitespace())
    }) else {
        return true;
    };
    if class[last] == Class::Literal {
        return false;
    }
    let c = bytes[last];
    if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$') {
        let start = (0..=last)
            .rev()
            .take_while(|&i| bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'$'))
            .last()
            .unwrap_or(last);
        let word = std::str::from_utf8(&bytes[start..=last]).unwrap_or("");
        let member = start > 0 && bytes[start - 1] == b'.';
        return !member && REGEX_KEYWORDS.binary_search(&word).is_ok();
    }
    !matches!(c, b')' | b']' | b'.') && c.is_ascii()
}

/// The end of the regular-expression literal that starts with the `/` at `at` (its flags
/// included), `None` when it does not end on its line: a `/` inside a `[…]` class or after a
/// backslash does not end it.
fn regex_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut in_class = false;
    let mut end = at + 1;
    while let Some(&c) = bytes.get(end) {
        match c {
            b'\n' | b'\r' => return None,
            b'\\' => end += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => {
                end += 1;
                while bytes.get(end).is_some_and(u8::is_ascii_alphabetic) {
                    end += 1;
                }
                return Some(end);
            }
            _ => {}
        }
        end += 1;
    }
    None
}

/// The end of the C# verbatim, raw or interpolated string that starts at `at` (with its `$` and
/// `@` prefixes), `None` when none starts there (a plain `"…"` string is lexed as in the other
/// dialects). An unterminated verbatim or raw string runs to the end of the text.
fn csharp_string(bytes: &[u8], at: usize) -> Option<usize> {
    let prefix = bytes[at..]
        .iter()
        .take(3)
        .take_while(|&&b| matches!(b, b'$' | b'@'))
        .count();
    let verbatim = bytes[at..at + prefix].contains(&b'@');
    let open = at + prefix;
    let quotes = bytes[open..].iter().take_while(|&&b| b == b'"').count();
    if quotes >= 3 {
        // A raw string: it ends at the first run of as many quotes.
        let fence = &bytes[open..open + quotes];
        let body = open + quotes;
        return Some(
            memchr::memmem::find(&bytes[body..], fence).map_or(bytes.len(), |k| body + k + quotes),
        );
    }
    if quotes == 0 || prefix == 0 {
        return None;
    }
    if !verbatim {
        // `$"…"`: an interpolated string with escapes, on one line.
        let mut end = open + 1;
        while end < bytes.len() && bytes[end] != b'"' && bytes[end] != b'\n' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        return Some((end + 1).min(bytes.len()));
    }
    // A verbatim string: no escapes, `""` is a quote, line ends are part of it.
    let mut end = open + 1;
    loop {
        match memchr::memchr(b'"', &bytes[end..]) {
            None => return Some(bytes.len()),
            Some(k) if bytes.get(end + k + 1) == Some(&b'"') => end += k + 2,
            Some(k) => return Some(end + k + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexing_tells_code_from_strings_and_comments() {
        let text = "a(\"(\") // )\n`x${ {b: '}'} }y` /* ] */ [c]";
        let (class, pairs) = lex(text, Dialect::Script);
        let code: String = text
            .char_indices()
            .filter(|(i, _)| class[*i] == Class::Code)
            .map(|(_, c)| c)
            .collect();
        assert_eq!(code, "a() \n {b: }   [c]");
        let paired: Vec<&str> = pairs.iter().map(|&(o, c)| &text[o..=c]).collect();
        assert_eq!(
            paired,
            ["(\"(\")", "{b: '}'}", "[c]"],
            "brackets in literals and comments are not paired"
        );
    }

    #[test]
    fn regular_expressions_are_literals_where_an_expression_starts() {
        let text =
            "s.replace(/`/g, '\\`'); x = a / b / c; if (/[/\"]\\//.test(t)) return /'/g\nf()";
        assert_eq!(
            code_of(text, Dialect::Script),
            "s.replace(, ); x = a / b / c; if (.test(t)) return \nf()"
        );
        // A division after a bracket, a member named like a keyword, a `/` with no end on its
        // line, and comments are code and comments as before.
        let text = "(a) / 2 / (b); o.return / 2; n = 1 /* c */ / 3; // x\n/ unended";
        assert_eq!(
            code_of(text, Dialect::Script),
            "(a) / 2 / (b); o.return / 2; n = 1  / 3; \n/ unended"
        );
    }

    fn code_of(text: &str, dialect: Dialect) -> String {
        let (class, _) = lex(text, dialect);
        text.char_indices()
            .filter(|(i, _)| class[*i] == Class::Code)
            .map(|(_, c)| c)
            .collect()
    }

    #[test]
    fn go_raw_strings_and_runes_are_literals() {
        // A raw string has no escapes and may hold line ends, quotes and `//`.
        let text = "a(`x \\ \" // (\ny`, '\\'', \"q\\\"\") // c\nb";
        assert_eq!(code_of(text, Dialect::Go), "a(, , ) \nb");
    }

    #[test]
    fn csharp_verbatim_raw_and_interpolated_strings_are_literals() {
        let text = r#"a(@"x "" \", $"{b}\"", $@"(
""", """
 q "" """"", '\'') b"#;
        assert_eq!(code_of(text, Dialect::CSharp), "a(, , , , ) b");
        // A verbatim string ends at a lone quote, however many backslashes precede it.
        assert_eq!(code_of(r#"f(@"c:\") g"#, Dialect::CSharp), "f() g");
    }
}
