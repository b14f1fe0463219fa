//! Escape sequences in the string literals the source scanners read (`tool_code`), decoded as
//! the language itself would: a tool named `"get\u005Fuser"` in TypeScript is `get_user`, as
//! the same name in a JSON tool list is (serde decodes JSON escapes).
//!
//! Only the body of a literal is decoded, never a raw string (Python `r"…"`, which the
//! scanners do not read; Go's `` `…` ``, which has no escapes). A sequence the language would
//! reject (`\x4`, `\u{110000}`) is kept as written, and a lone UTF-16 surrogate becomes U+FFFD
//! (in Go, which rejects one, it is kept as written): decoding never fails.

/// Decode the body of a JavaScript/TypeScript string or template literal (without its quotes):
/// `\n`-style single characters, `\xHH`, `\uHHHH` (surrogate pairs joined), `\u{H…}`, legacy
/// octal `\0`–`\377`, line continuations, and an escaped character standing for itself.
pub fn decode_script(body: &str) -> String {
    decode(body, Dialect::Script)
}

/// Decode the body of a Python (non-raw) string literal: `\n`-style single characters, octal
/// `\ooo`, `\xHH`, `\uHHHH`, `\UHHHHHHHH` and line continuations. An unknown escape keeps its
/// backslash, as in Python; `\N{name}` is kept as written (no name table here).
pub fn decode_python(body: &str) -> String {
    decode(body, Dialect::Python)
}

/// Decode the body of a C# regular string literal (not verbatim, not raw): `\n`-style single
/// characters (with `\a`, `\e` and `\0`), `\uHHHH` (surrogate pairs joined), `\UHHHHHHHH` and
/// `\x` with one to four hex digits. Any other escape is a compile error, kept as written.
pub fn decode_csharp(body: &str) -> String {
    decode(body, Dialect::CSharp)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Script,
    Python,
    CSharp,
}

fn decode(body: &str, dialect: Dialect) -> String {
    if !body.contains('\\') {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let escape = &rest[at + 1..];
        let (decoded, used) = match dialect {
            Dialect::Script => script_escape(escape),
            Dialect::Python => python_escape(escape),
            Dialect::CSharp => csharp_escape(escape),
        };
        match decoded {
            Some(Decoded::Text(c)) => out.push(c),
            Some(Decoded::Nothing) => {}
            // Not a valid escape: keep the backslash; what follows is copied as text.
            None => out.push('\\'),
        }
        rest = &escape[used..];
    }
    out.push_str(rest);
    out
}

enum Decoded {
    Text(char),
    /// A line continuation.
    Nothing,
}

/// One escape after its backslash: what it stands for and how many bytes it used (0 when it is
/// not valid, so that the text after the backslash is kept).
fn script_escape(escape: &str) -> (Option<Decoded>, usize) {
    let Some(first) = escape.chars().next() else {
        return (None, 0);
    };
    if let Some(c) = control_letter(first) {
        return (Some(Decoded::Text(c)), 1);
    }
    match first {
        'x' => fixed_hex(&escape[1..], 2).map_or((None, 0), |c| (Some(Decoded::Text(c)), 3)),
        'u' => script_unicode(escape),
        '0'..='7' => octal(escape, 0o377),
        '\r' if escape[1..].starts_with('\n') => (Some(Decoded::Nothing), 2),
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => (Some(Decoded::Nothing), first.len_utf8()),
        other => (Some(Decoded::Text(other)), other.len_utf8()),
    }
}

/// The control characters both languages write as a letter after the backslash (`\n`, `\t` …).
fn control_letter(letter: char) -> Option<char> {
    match letter {
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        _ => None,
    }
}

/// `\uHHHH` (a high surrogate joined with a following `\uHHHH` low one) or `\u{H…}`.
fn script_unicode(escape: &str) -> (Option<Decoded>, usize) {
    let after = &escape[1..];
    if let Some(braced) = after.strip_prefix('{') {
        let Some(end) = braced.find('}') else {
            return (None, 0);
        };
        let digits = &braced[..end];
        let valid = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_hexdigit());
        return match u32::from_str_radix(digits, 16) {
            Ok(value) if valid && value <= 0x10FFFF => (
                Some(Decoded::Text(
                    char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER),
                )),
                2 + end + 1,
            ),
            _ => (None, 0),
        };
    }
    utf16_unit(escape)
}

fn python_escape(escape: &str) -> (Option<Decoded>, usize) {
    let Some(first) = escape.chars().next() else {
        return (None, 0);
    };
    let simple = match first {
        '\\' | '\'' | '"' => Some(first),
        'a' => Some('\u{7}'),
        other => control_letter(other),
    };
    if let Some(c) = simple {
        return (Some(Decoded::Text(c)), 1);
    }
    let hex = |digits: usize| {
        hex_value(&escape[1..], digits).map_or((None, 0), |value| {
            let c = char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER);
            (Some(Decoded::Text(c)), 1 + digits)
        })
    };
    match first {
        'x' => hex(2),
        'u' => hex(4),
        'U' => match hex_value(&escape[1..], 8) {
            Some(value) if value <= 0x10FFFF => hex(8),
            _ => (None, 0),
        },
        '0'..='7' => octal(escape, 0o777),
        '\r' if escape[1..].starts_with('\n') => (Some(Decoded::Nothing), 2),
        '\n' | '\r' => (Some(Decoded::Nothing), 1),
        _ => (None, 0),
    }
}

fn csharp_escape(escape: &str) -> (Option<Decoded>, usize) {
    let Some(first) = escape.chars().next() else {
        return (None, 0);
    };
    let simple = match first {
        '\\' | '\'' | '"' => Some(first),
        '0' => Some('\0'),
        'a' => Some('\u{7}'),
        'e' => Some('\u{1b}'),
        other => control_letter(other),
    };
    if let Some(c) = simple {
        return (Some(Decoded::Text(c)), 1);
    }
    match first {
        'u' => utf16_unit(escape),
        'U' => match hex_value(&escape[1..], 8) {
            Some(value) if value <= 0x10FFFF => {
                let c = char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER);
                (Some(Decoded::Text(c)), 9)
            }
            _ => (None, 0),
        },
        'x' => {
            let digits = escape[1..]
                .bytes()
                .take(4)
                .take_while(u8::is_ascii_hexdigit)
                .count();
            match hex_value(&escape[1..], digits) {
                Some(unit) if digits > 0 => {
                    let c = char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER);
                    (Some(Decoded::Text(c)), 1 + digits)
                }
                _ => (None, 0),
            }
        }
        _ => (None, 0),
    }
}

/// `\uHHHH`, a high surrogate joined with a following `\uHHHH` low one (JavaScript and C#
/// strings are UTF-16).
fn utf16_unit(escape: &str) -> (Option<Decoded>, usize) {
    let after = &escape[1..];
    let Some(unit) = hex_value(after, 4) else {
        return (None, 0);
    };
    if (0xD800..0xDC00).contains(&unit)
        && let Some(low) = after[4..].strip_prefix("\\u").and_then(|l| hex_value(l, 4))
        && (0xDC00..0xE000).contains(&low)
    {
        let joined = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        let c = char::from_u32(joined).unwrap_or(char::REPLACEMENT_CHARACTER);
        return (Some(Decoded::Text(c)), 11);
    }
    let c = char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER);
    (Some(Decoded::Text(c)), 5)
}

/// One to three octal digits, up to `max` (`\377` in JavaScript, where a digit that would go
/// past it is text; `\777` in Python).
fn octal(escape: &str, max: u32) -> (Option<Decoded>, usize) {
    let mut value = 0u32;
    let mut used = 0;
    for b in escape.bytes().take(3) {
        if !(b'0'..=b'7').contains(&b) || value * 8 + u32::from(b - b'0') > max {
            break;
        }
        value = value * 8 + u32::from(b - b'0');
        used += 1;
    }
    let c = char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER);
    (Some(Decoded::Text(c)), used)
}

/// Exactly `digits` hex digits at the start of `text`, as a character.
fn fixed_hex(text: &str, digits: usize) -> Option<char> {
    hex_value(text, digits).and_then(char::from_u32)
}

/// Exactly `digits` hex digits at the start of `text`.
fn hex_value(text: &str, digits: usize) -> Option<u32> {
    let candidate = text.get(..digits)?;
    if !candidate.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(candidate, 16).ok()
}

/// Decode the body of a Go interpreted string literal (`"…"`, without its quotes): `\n`-style
/// single characters, `\a`, `\xHH` and octal `\ooo` (bytes, which together may spell a UTF-8
/// character), `\uHHHH` and `\UHHHHHHHH`. An escape Go rejects (`\'` in a string, `\x4`, a
/// surrogate) is kept as written, and bytes that spell no UTF-8 become U+FFFD.
pub fn decode_go(body: &str) -> String {
    if !body.contains('\\') {
        return body.to_owned();
    }
    let mut out: Vec<u8> = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find('\\') {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        let escape = &rest[at + 1..];
        let (decoded, used) = go_escape(escape);
        match decoded {
            Some(GoEscape::Char(c)) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Some(GoEscape::Byte(b)) => out.push(b),
            None => out.push(b'\\'),
        }
        rest = &escape[used..];
    }
    out.extend_from_slice(rest.as_bytes());
    match String::from_utf8(out) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// What a Go escape stands for: a character, or one byte of the string (`\xHH`, `\ooo`).
enum GoEscape {
    Char(char),
    Byte(u8),
}

/// One Go escape after its backslash: what it stands for and how many bytes it used (0 when it
/// is not valid).
fn go_escape(escape: &str) -> (Option<GoEscape>, usize) {
    let Some(first) = escape.chars().next() else {
        return (None, 0);
    };
    let simple = match first {
        '\\' | '"' => Some(first),
        'a' => Some('\u{7}'),
        other => control_letter(other),
    };
    if let Some(c) = simple {
        return (Some(GoEscape::Char(c)), 1);
    }
    match first {
        'x' => hex_value(&escape[1..], 2)
            .map_or((None, 0), |value| (Some(GoEscape::Byte(value as u8)), 3)),
        'u' | 'U' => {
            let digits = if first == 'u' { 4 } else { 8 };
            match hex_value(&escape[1..], digits).and_then(char::from_u32) {
                Some(c) => (Some(GoEscape::Char(c)), 1 + digits),
                None => (None, 0),
            }
        }
        '0'..='7' => {
            let digits = escape
                .as_bytes()
                .get(..3)
                .filter(|d| d.iter().all(|b| (b'0'..=b'7').contains(b)));
            match digits.map(|d| d.iter().fold(0u32, |v, b| v * 8 + u32::from(b - b'0'))) {
                Some(value) if value <= 0xFF => (Some(GoEscape::Byte(value as u8)), 3),
                _ => (None, 0),
            }
        }
        _ => (None, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_escapes() {
        assert_eq!(decode_script(r"get\u005Fuser"), "get_user");
        assert_eq!(decode_script(r"it\'s"), "it's");
        assert_eq!(decode_script(r#"say \"hi\""#), "say \"hi\"");
        assert_eq!(decode_script(r"\x41\x62c"), "Abc");
        assert_eq!(decode_script(r"smile \u{1F600}"), "smile \u{1F600}");
        assert_eq!(decode_script(r"\uD83D\uDE00"), "\u{1F600}");
        assert_eq!(decode_script(r"a\tb\nc\\d\/e"), "a\tb\nc\\d/e");
        assert_eq!(decode_script(r"\0\101"), "\0A");
        assert_eq!(decode_script("line\\\ncontinued"), "linecontinued");
        assert_eq!(decode_script(r"plain"), "plain");
    }

    #[test]
    fn python_escapes() {
        assert_eq!(decode_python(r"get\u005fuser"), "get_user");
        assert_eq!(decode_python(r"it\'s"), "it's");
        assert_eq!(decode_python(r"\x41\101\U0001F600"), "AA\u{1F600}");
        assert_eq!(decode_python(r"a\tb\nc\\d"), "a\tb\nc\\d");
        // Unknown escapes keep their backslash, as in Python.
        assert_eq!(decode_python(r"C:\path\q"), r"C:\path\q");
        assert_eq!(decode_python(r"\N{BULLET}"), r"\N{BULLET}");
    }

    #[test]
    fn go_escapes() {
        assert_eq!(decode_go(r"get\u005fuser"), "get_user");
        assert_eq!(decode_go(r#"say \"hi\""#), "say \"hi\"");
        assert_eq!(decode_go(r"a\tb\nc\\d\a"), "a\tb\nc\\d\u{7}");
        // `\x` and octal escapes are bytes: together they may spell a UTF-8 character.
        assert_eq!(
            decode_go(r"caf\xc3\xa9 \303\251 \101"),
            "caf\u{e9} \u{e9} A"
        );
        assert_eq!(decode_go(r"\U0001F600"), "\u{1F600}");
        assert_eq!(decode_go(r"lone \xff byte"), "lone \u{FFFD} byte");
        // Escapes Go rejects are kept as written.
        for body in [
            r"it\'s",
            r"\x4",
            r"\u12",
            r"\uD800",
            r"\U00110000",
            r"\400",
            r"\18",
            r"\q",
            "\\",
        ] {
            assert_eq!(decode_go(body), body, "{body}");
        }
    }

    #[test]
    fn csharp_escapes() {
        assert_eq!(decode_csharp(r"get\u005Fuser"), "get_user");
        assert_eq!(decode_csharp(r#"it\'s \"so\""#), "it's \"so\"");
        // `\x` takes one to four hex digits, as many as there are.
        assert_eq!(decode_csharp(r"\x41\x4\x0041b\x00411"), "A\u{4}AbA1");
        assert_eq!(
            decode_csharp(r"\U0001F600 \uD83D\uDE00"),
            "\u{1F600} \u{1F600}"
        );
        assert_eq!(
            decode_csharp(r"a\tb\nc\\d\0\a\e"),
            "a\tb\nc\\d\0\u{7}\u{1b}"
        );
    }

    #[test]
    fn invalid_escapes_are_kept_as_written() {
        for body in [
            r"\x4",
            r"\xZZ",
            r"\u12",
            r"\u{}",
            r"\u{110000}",
            r"\u{12",
            r"\u{zz}",
            "\\",
            r"end\",
        ] {
            assert_eq!(decode_script(body), body, "{body}");
        }
        for body in [r"\x4", r"\u12", r"\U00110000", r"\U1234", "\\", r"\q"] {
            assert_eq!(decode_python(body), body, "{body}");
        }
        for body in [
            r"\xg",
            r"\u12",
            r"\U00110000",
            r"\U1234",
            "\\",
            r"\q",
            r"\101",
        ] {
            assert_eq!(decode_csharp(body), body, "{body}");
        }
        // A lone surrogate is not a character.
        assert_eq!(decode_script(r"\uD800x"), "\u{FFFD}x");
        assert_eq!(decode_script(r"\u{D800}"), "\u{FFFD}");
        assert_eq!(decode_python(r"\udc00"), "\u{FFFD}");
    }

    #[test]
    fn arbitrary_text_never_panics() {
        let pieces = [
            "\\",
            "u",
            "{",
            "}",
            "x",
            "U",
            "D83D",
            "DE00",
            "0",
            "7",
            "8",
            "é",
            "\u{1F600}",
            "\n",
            "\r",
            "N",
            "'",
            "a",
            "F",
        ];
        for text in crate::test_support::random_texts(&pieces, 0x2545_F491_4F6C_DD1D, 20_000, 16) {
            let _ = decode_script(&text);
            let _ = decode_python(&text);
            let _ = decode_go(&text);
            let _ = decode_csharp(&text);
        }
    }
}
