//! Source in a C-like syntax (JavaScript/TypeScript, Go, C#) told apart once: which bytes are
//! code, which belong to a string, character or template literal and which to a comment, and
//! which brackets of the code pair up. The tool readers (`tool_code`) read a declaration only
//! where its call starts in code, and walk brackets without being misled by one in a string;
//! `tsconfig` reads JSON with comments and trailing commas through it. A C# preprocessor
//! directive line (`#region …`, `#if …`) counts as a comment.
//!
//! Lexical only, and never fails. A JavaScript `/` starts a regular-expression literal where an
//! expression can start (after an operator, an opening bracket, `,` `;` `:`, a keyword such as
//! `return`, or at the start of the text) and a division elsewhere, as the usual lexers guess
//! without parsing; a regular expression must end on its line, else the `/` is taken for code.
//! The holes of a C# interpolated string are taken for part of the string (the strings and
//! braces in them are skipped whole, eight interpolated strings deep; a hole that does not close
//! within 4 KiB is text), and a bracket that does not close the innermost open one is left
//! unpaired.

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

    /// The brackets paired in code outside every pair of `open` brackets (`{` gives a Go file's
    /// function bodies and type literals at the top level): their offsets, in order.
    pub fn outermost(&self, open: u8) -> Vec<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let mut out: Vec<(usize, usize)> = Vec::new();
        for &(start, close) in &self.pairs {
            if bytes[start] == open && out.last().is_none_or(|last| last.1 < start) {
                out.push((start, close));
            }
        }
        out
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
    let mut csharp_strings = CSharpStrings::new(bytes);
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
            (b'#', _) if dialect == Dialect::CSharp && starts_line(bytes, at) => {
                // A preprocessor directive (`#region Customer's tools`, `#if DEBUG`) is no code.
                let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |k| at + k);
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
                    .then(|| csharp_strings.end(at))
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
                    && expression_starts(bytes, &class, pairs.last(), at))
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

/// Keywords whose parenthesised header a statement follows (`if (x) /re/.test(s)`). Sorted.
static HEADER_KEYWORDS: &[&str] = &["for", "if", "while", "with"];

/// Whether an expression can start at `at`: the code before it, past white space and comments,
/// ends in an operator, an opening bracket, `,` `;` `:`, `}` (the end of a block) or one of
/// [`REGEX_KEYWORDS`], or the `)` of an `if`, `while`, `for` or `with` header (`closed`, the
/// pair of brackets closed last), or there is none. After a name, a number, another `)`, `]` or
/// a literal a `/` divides.
fn expression_starts(
    bytes: &[u8],
    class: &[Class],
    closed: Option<&(usize, usize)>,
    at: usize,
) -> bool {
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
        return keyword_ends_at(bytes, last, REGEX_KEYWORDS);
    }
    if c == b')' {
        return match closed {
            Some(&(open, close)) if close == last => {
                let before = (0..open).rev().find(|&i| {
                    class[i] != Class::Comment
                        && !(class[i] == Class::Code && bytes[i].is_ascii_whitespace())
                });
                before.is_some_and(|end| {
                    class[end] == Class::Code && keyword_ends_at(bytes, end, HEADER_KEYWORDS)
                })
            }
            _ => false,
        };
    }
    !matches!(c, b']' | b'.') && c.is_ascii()
}

/// Whether the word that ends at `last` is one of `keywords` (sorted), not a property
/// (`x.if`).
fn keyword_ends_at(bytes: &[u8], last: usize, keywords: &[&str]) -> bool {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$');
    if !is_word(bytes[last]) {
        return false;
    }
    let start = (0..=last)
        .rev()
        .take_while(|&i| is_word(bytes[i]))
        .last()
        .unwrap_or(last);
    let word = std::str::from_utf8(&bytes[start..=last]).unwrap_or("");
    let member = start > 0 && bytes[start - 1] == b'.';
    !member && keywords.binary_search(&word).is_ok()
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

/// Whether only blanks precede `at` on its line.
fn starts_line(bytes: &[u8], at: usize) -> bool {
    bytes[..at]
        .iter()
        .rev()
        .take_while(|&&b| b != b'\n')
        .all(|&b| b == b' ' || b == b'\t')
}

/// Interpolated strings nested in the holes of others that are followed; deeper ones are read
/// as plain strings.
const MAX_INTERPOLATION_DEPTH: usize = 8;
/// Bytes an interpolation hole may span: one that does not close within them is text.
const MAX_HOLE_BYTES: usize = 4096;
/// Steps spent following interpolation holes, per byte of the text: a hole that does not close
/// is read again as text, so the steps are capped to keep lexing linear; once they are spent,
/// holes are text.
const HOLE_STEPS_PER_BYTE: usize = 4;

/// The C# strings of one text, and the steps left to follow the holes of interpolated ones.
struct CSharpStrings<'b> {
    bytes: &'b [u8],
    hole_steps: usize,
}

impl<'b> CSharpStrings<'b> {
    fn new(bytes: &'b [u8]) -> CSharpStrings<'b> {
        CSharpStrings {
            bytes,
            hole_steps: HOLE_STEPS_PER_BYTE * bytes.len() + MAX_HOLE_BYTES,
        }
    }

    /// The end of the C# verbatim, raw or interpolated string that starts at `at` (with its `$`
    /// and `@` prefixes), `None` when none starts there (a plain `"…"` string is lexed as in the
    /// other dialects). An unterminated verbatim or raw string runs to the end of the text.
    fn end(&mut self, at: usize) -> Option<usize> {
        self.end_within(at, self.bytes.len(), 0)
    }

    /// `end` for a string that ends by `limit` (the end of the hole it is in), `depth`
    /// interpolated strings deep.
    fn end_within(&mut self, at: usize, limit: usize, depth: usize) -> Option<usize> {
        let bytes = &self.bytes[..limit];
        let prefix = bytes[at..]
            .iter()
            .take(3)
            .take_while(|&&b| matches!(b, b'$' | b'@'))
            .count();
        let verbatim = bytes[at..at + prefix].contains(&b'@');
        let open = at + prefix;
        let quotes = bytes[open..].iter().take_while(|&&b| b == b'"').count();
        if quotes >= 3 && !verbatim {
            // A raw string: it ends at the first run of as many quotes.
            let fence = &bytes[open..open + quotes];
            let body = open + quotes;
            return Some(
                memchr::memmem::find(&bytes[body..], fence).map_or(limit, |k| body + k + quotes),
            );
        }
        if quotes == 0 || prefix == 0 {
            return None;
        }
        let interpolated = bytes[at..open].contains(&b'$') && depth < MAX_INTERPOLATION_DEPTH;
        let mut end = open + 1;
        while end < limit {
            if depth > 0 {
                self.hole_steps = self.hole_steps.saturating_sub(1);
            }
            match bytes[end] {
                // `$"…"`: escapes, and one line (its holes aside).
                b'\\' if !verbatim => end += 2,
                b'\n' if !verbatim => return Some(end + 1),
                // A verbatim string: `""` is a quote, line ends are part of it.
                b'"' if verbatim && bytes.get(end + 1) == Some(&b'"') => end += 2,
                b'"' => return Some(end + 1),
                b'{' if interpolated && bytes.get(end + 1) == Some(&b'{') => end += 2,
                b'{' if interpolated => match self.hole_end(end + 1, limit, depth + 1) {
                    Some(after) => end = after,
                    // A hole that does not close (invalid code) is read as text.
                    None => end += 1,
                },
                _ => end += 1,
            }
        }
        Some(limit)
    }

    /// The offset after the `}` that closes the interpolation hole whose code starts at `at`:
    /// the strings and characters in it (`$"{name ?? "guest"}"`) are skipped whole, and its
    /// braces counted. `None` when it does not close within `MAX_HOLE_BYTES`, before `limit`
    /// or before the steps run out.
    fn hole_end(&mut self, mut at: usize, limit: usize, depth: usize) -> Option<usize> {
        let bytes = self.bytes;
        let limit = limit.min(at + MAX_HOLE_BYTES);
        let mut braces = 0usize;
        while at < limit {
            self.hole_steps = self.hole_steps.checked_sub(1)?;
            match bytes[at] {
                b'{' => {
                    braces += 1;
                    at += 1;
                }
                b'}' if braces == 0 => return Some(at + 1),
                b'}' => {
                    braces -= 1;
                    at += 1;
                }
                b'@' | b'$' | b'"' if let Some(end) = self.end_within(at, limit, depth) => {
                    at = end;
                }
                quote @ (b'"' | b'\'') => {
                    at += 1;
                    while at < limit && bytes[at] != quote && bytes[at] != b'\n' {
                        at += if bytes[at] == b'\\' { 2 } else { 1 };
                    }
                    at += 1;
                }
                _ => at += 1,
            }
        }
        None
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
        let cases = [
            (
                "s.replace(/`/g, '\\`'); x = a / b / c; if (/[/\"]\\//.test(t)) return /'/g\nf()",
                "s.replace(, ); x = a / b / c; if (.test(t)) return \nf()",
            ),
            // A division after a bracket, a member named like a keyword, a `/` with no end on
            // its line, and comments are code and comments as before.
            (
                "(a) / 2 / (b); o.return / 2; n = 1 /* c */ / 3; // x\n/ unended",
                "(a) / 2 / (b); o.return / 2; n = 1  / 3; \n/ unended",
            ),
            // The `)` that closes an `if`, `while`, `for` or `with` header ends no expression:
            // a `/` after it starts a regular expression, whose quote or backtick opens nothing.
            (
                "if (x) /[\"`]/.test(s); while (a(b)) /'/g.exec(t); for (;;) /`/;\nf(\"y\")",
                "if (x) .test(s); while (a(b)) .exec(t); for (;;) ;\nf()",
            ),
            // After any other `)` (a call, a grouping, a property named `if`) it divides.
            (
                "(a) / b / c; f(x) / 2 / g(y); o.if(z) / 3 / 4; g(`t`)",
                "(a) / b / c; f(x) / 2 / g(y); o.if(z) / 3 / 4; g()",
            ),
        ];
        for (text, code) in cases {
            assert_eq!(code_of(text, Dialect::Script), code, "{text}");
        }
        let sorted = |words: &[&str]| words.windows(2).all(|w| w[0] < w[1]);
        assert!(sorted(HEADER_KEYWORDS) && sorted(REGEX_KEYWORDS));
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
        // `@""""` is a verbatim string holding a quote, not a raw string.
        assert_eq!(code_of(r#"f(@"""", x) g"#, Dialect::CSharp), "f(, x) g");
    }

    #[test]
    fn csharp_interpolation_holes_hold_strings_and_braces() {
        // The quotes of a string in a hole do not end the interpolated string.
        let text = r#"a($"hi {name ?? "guest"}, {{x}} {f(new { k = '}' })}") b"#;
        assert_eq!(code_of(text, Dialect::CSharp), "a() b");
        let text = "a($@\"{d[\"k\"]}\n\"\" {$\"{\"in\"}\"}\") b";
        assert_eq!(code_of(text, Dialect::CSharp), "a() b");
        // A plain string's braces are text.
        assert_eq!(code_of(r#"a("{") b"#, Dialect::CSharp), "a() b");
        // A hole that never closes is text, and so are the braces of too deep a nesting.
        assert_eq!(code_of(r#"a($"{x"#, Dialect::CSharp), "a(");
        let text = "a($\"{x ?? \\\"y\\\"}\") b\nc(d)";
        assert_eq!(code_of(text, Dialect::CSharp), "a() b\nc(d)");
        assert_eq!(code_of("a($@\"{x\n\") b", Dialect::CSharp), "a() b");
        let long_hole = format!("a($\"{{{}\") b", " ".repeat(MAX_HOLE_BYTES));
        assert_eq!(code_of(&long_hole, Dialect::CSharp), "a() b");
        let deep = "$\"{".repeat(10_000);
        assert!(code_of(&deep, Dialect::CSharp).chars().all(|c| c == '{'));
        // Holes that do not close are not followed again and again: this ends at once.
        let unclosed = "a($\"{\"x\"\n".repeat(100_000);
        assert!(code_of(&unclosed, Dialect::CSharp) == "a(x".repeat(100_000));
    }

    #[test]
    fn csharp_preprocessor_lines_are_not_code() {
        let text = "#region Customer's tools\n  #if DEBUG\nx; // a\ny # z\n#endregion";
        assert_eq!(code_of(text, Dialect::CSharp), "\n  \nx; \ny # z\n");
        // Other dialects have no directives.
        assert_eq!(code_of("#x", Dialect::Script), "#x");
    }
}
