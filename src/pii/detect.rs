//! The detectors over one text segment (a JSON string value, or a block of text lines).
//!
//! Speed comes from anchors, not from regexes: one vector-wide search (`find`) stops only
//! where a digit or an `@` (an email's anchor) is. From each digit the run of
//! digit groups around it is read once, its shape (group lengths, separators, neighbours)
//! decides which validators to try, and only then are hotwords looked up in a short window
//! before it. Nothing here allocates except for a match's normalised value.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::PiiType;
use super::find;
use super::phone::{self, Written};
use super::synthetic;
use super::validate;

/// One detected value inside a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: PiiType,
    /// Byte offset of the match's anchor (its `@` or first digit) in the segment.
    pub anchor: usize,
    pub normalized: String,
    pub synthetic: bool,
}

/// How far before a candidate its hotword may stand, in bytes.
const HOTWORD_WINDOW: usize = 40;
/// Bytes a detector may look back from its anchor (local part of an email, hotword window).
pub const LOOK_BEHIND: usize = 128;
/// Bytes a match may extend past its anchor.
pub const LOOK_AHEAD: usize = 320;

/// Hotwords (ASCII, lower case) and the set of their first letters, worked out at compile time.
struct Hotwords {
    words: &'static [&'static [u8]],
    /// Bit `c - b'a'` for each first letter `c`.
    firsts: u32,
    /// Words of up to `SHORT_HOTWORD` letters match only as whole words.
    short_whole: bool,
}

impl Hotwords {
    const fn new(words: &'static [&'static [u8]]) -> Hotwords {
        let mut firsts = 0u32;
        let mut i = 0;
        while i < words.len() {
            let c = words[i][0];
            assert!(
                c.is_ascii_lowercase(),
                "a hotword starts with a lower-case letter"
            );
            firsts |= 1 << (c - b'a');
            i += 1;
        }
        Hotwords {
            words,
            firsts,
            short_whole: false,
        }
    }

    /// The same words, the short ones matched only as whole words: for a list whose words alone
    /// decide (an ungrouped card number needs one), where `pan` must not match "pandas".
    const fn short_words_whole(self) -> Hotwords {
        Hotwords {
            short_whole: true,
            ..self
        }
    }
}

/// Hotwords this short are whole words in a `short_words_whole` list.
const SHORT_HOTWORD: usize = 3;

const NHS_WORDS: Hotwords = Hotwords::new(&[b"nhs"]);
const TAX_WORDS: Hotwords =
    Hotwords::new(&[b"steuer", b"tax", b"idnr", b"identifikationsnummer", b"tin"]);
const SSN_WORDS: Hotwords = Hotwords::new(&[b"ssn", b"social security"]);
const ZIP_WORDS: Hotwords = Hotwords::new(&[b"zip", b"postal code", b"postcode", b"post code"]);
const POSTCODE_WORDS: Hotwords =
    Hotwords::new(&[b"postcode", b"post code", b"postal code", b"zip"]);
const CARD_WORDS: Hotwords = Hotwords::new(&[
    b"card",
    b"credit",
    b"debit",
    b"cc",
    b"ccn",
    b"pan",
    b"visa",
    b"mastercard",
    b"amex",
    b"payment",
    b"karte",
    b"carte",
    b"tarjeta",
])
.short_words_whole();
const PASSPORT_WORDS: Hotwords = Hotwords::new(&[b"passport", b"reisepass", b"passeport"]);
const DOB_WORDS: Hotwords = Hotwords::new(&[
    b"date of birth",
    b"dob",
    b"d.o.b",
    b"born",
    b"birth",
    b"geburtsdatum",
    b"geboren",
]);
const PHONE_WORDS: Hotwords = Hotwords::new(&[
    b"phone",
    b"tel",
    b"call",
    b"mobile",
    b"cell",
    b"fax",
    b"whatsapp",
    b"contact",
    b"ring",
    b"text me",
    b"sms",
]);
const VERSION_WORDS: Hotwords = Hotwords::new(&[
    b"version",
    b"ver",
    b"release",
    b"build",
    b"oid",
    b"firmware",
]);
/// Words before a clause or outline number (whole words where a shorter prefix would take in
/// others: `sec` would take in "secure", `art` "artifact").
const SECTION_WORDS: Hotwords = Hotwords::new(&[
    b"section",
    b"clause",
    b"article",
    b"chapter",
    b"paragraph",
    b"appendix",
    b"annex",
    b"schedule",
    b"exhibit",
    b"item",
    b"step",
    b"figure",
    b"table",
    b"rfc",
]);
/// Words that introduce an example (`e.g` takes in `e.g.` and `e.g.,`).
const EXAMPLE_WORDS: Hotwords = Hotwords::new(&[
    b"example",
    b"for instance",
    b"e.g",
    b"sample",
    b"such as",
    b"placeholder",
    b"dummy",
    b"zum beispiel",
    b"z.b",
    b"par exemple",
    b"por ejemplo",
]);
/// Words that say a number is a network address.
const IP_WORDS: Hotwords = Hotwords::new(&[
    b"ip",
    b"addr",
    b"host",
    b"server",
    b"client",
    b"remote",
    b"peer",
    b"gateway",
    b"dns",
    b"resolver",
    b"nameserver",
    b"inet",
    b"src",
    b"dst",
    b"source",
    b"destination",
    b"proxy",
    b"connect",
    b"ping",
]);
/// Domain endings that are file names (`icon@2x.png`), not mail domains.
const FILE_TLDS: &[&[u8]] = &[
    b"bmp", b"css", b"gif", b"htm", b"html", b"ico", b"jpeg", b"jpg", b"js", b"json", b"lock",
    b"mjs", b"png", b"scss", b"svg", b"toml", b"ts", b"tsx", b"txt", b"webp", b"yaml", b"yml",
];

/// Runs every detector over `seg`, a whole value (a JSON string, a text line) or a window of
/// one, reporting matches whose anchor lies in `from..to`. `key` is the JSON key or column name
/// of the value (empty elsewhere); it counts as context for hotwords.
pub fn detect(seg: &[u8], from: usize, to: usize, key: &[u8], out: &mut dyn FnMut(Found)) {
    let to = to.min(seg.len());
    // A number introduced as an example is a documentation value (emails see to it themselves,
    // from the start of their local part).
    let out = &mut |mut found: Found| {
        if !found.synthetic && found.kind != PiiType::Email {
            found.synthetic = introduced_as_example(seg, found.anchor);
        }
        out(found)
    };
    let mut i = from;
    while let Some(p) = find::next_trigger(seg, i, to) {
        i = if seg[p] == b'@' {
            email(seg, p, out);
            p + 1
        } else {
            digit_token(seg, p, key, out).max(p + 1)
        };
    }
}

/// Runs every detector over the cell `line[start..]` of a CSV or TSV line cut at the cell's
/// end, with `column` (its header name) as key: the cells before it stay in reach as context
/// for hotwords, as the words before a number in a text line do.
pub fn detect_cell(line: &[u8], start: usize, column: &[u8], out: &mut dyn FnMut(Found)) {
    detect(line, start, line.len(), column, out);
}

/// Whether a value starting at `start` follows a word that introduces an example within the
/// hotword window: `(enter your ZIP code, for example 00544 or 94305)`, `e.g. jane@gmail.com`.
/// Forms, prompts and documentation in a corpus show a format this way; the value is counted
/// as a documentation value, as `example.com` addresses are. Digits may stand between the
/// word and the value (the second example of a list). A word inside a name (`jane@example.com`,
/// `/examples/`, `acme-sample`) introduces nothing.
fn introduced_as_example(seg: &[u8], start: usize) -> bool {
    let window = &seg[start.saturating_sub(HOTWORD_WINDOW)..start];
    (0..window.len()).any(|i| {
        let prev = if i == 0 { b' ' } else { window[i - 1] };
        let c = window[i] | 0x20;
        c.is_ascii_lowercase()
            && !prev.is_ascii_alphanumeric()
            && !matches!(prev, b'@' | b'.' | b'/' | b'-' | b'_')
            && EXAMPLE_WORDS.firsts & 1 << (c - b'a') != 0
            && EXAMPLE_WORDS.words.iter().any(|w| {
                let end = i + w.len();
                window.len() >= end
                    && window[i..end].eq_ignore_ascii_case(w)
                    && !(at(window, end) == b'.' && at(window, end + 1).is_ascii_alphanumeric())
            })
    })
}

/// Whether a whole JSON string is a UUID (`8-4-4-4-12` hex digits) or a hash (32 to 64 hex
/// digits): values no detector can match, skipped without running them.
pub fn is_identifier(seg: &[u8]) -> bool {
    // Bits of the dashes of a UUID.
    const UUID_DASHES: u64 = 1 << 8 | 1 << 13 | 1 << 18 | 1 << 23;
    let n = seg.len();
    if !(32..=64).contains(&n) || !seg[0].is_ascii_hexdigit() {
        return false;
    }
    let all = u64::MAX >> (64 - n);
    let hex = find::hex_digits(seg);
    hex == all
        || n == 36
            && hex == all & !UUID_DASHES
            && seg[8] == b'-'
            && seg[13] == b'-'
            && seg[18] == b'-'
            && seg[23] == b'-'
}

fn at(seg: &[u8], i: usize) -> u8 {
    seg.get(i).copied().unwrap_or(b' ')
}

fn before(seg: &[u8], i: usize) -> u8 {
    if i == 0 { b' ' } else { seg[i - 1] }
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// A hotword (ASCII case-insensitive, starting at a word boundary) in the window before
/// `start` with no digit between it and `start` (another value would stand between them), or
/// in the JSON key.
fn hotword(seg: &[u8], start: usize, key: &[u8], words: &Hotwords) -> bool {
    let window = &seg[start.saturating_sub(HOTWORD_WINDOW)..start];
    let tail = window
        .iter()
        .rposition(u8::is_ascii_digit)
        .map_or(window, |d| &window[d + 1..]);
    contains_word(key, words) || contains_word(tail, words)
}

/// Whether the byte after a hotword carries its word on: a lower-case letter. An upper-case one
/// starts the next word of a camel-case key (`panNumber`, `ccExpiry`).
fn continues_word(next: Option<&u8>) -> bool {
    next.is_some_and(u8::is_ascii_lowercase)
}

fn contains_word(hay: &[u8], words: &Hotwords) -> bool {
    let mut carry = 0u64;
    for (n, part) in hay.chunks(64).enumerate() {
        // Word starts: letters with no letter before them.
        let alpha = find::letters(part);
        let mut starts = alpha & !(alpha << 1 | carry);
        carry = alpha >> 63;
        while starts != 0 {
            let i = 64 * n + starts.trailing_zeros() as usize;
            starts &= starts - 1;
            let c = hay[i] | 0x20;
            if words.firsts & 1 << (c - b'a') == 0 {
                continue;
            }
            for w in words.words {
                if w[0] == c
                    && hay.len() - i >= w.len()
                    && hay[i..i + w.len()].eq_ignore_ascii_case(w)
                    && !(words.short_whole
                        && w.len() <= SHORT_HOTWORD
                        && continues_word(hay.get(i + w.len())))
                {
                    return true;
                }
            }
        }
    }
    false
}

/// Skips a word (or a path, version or hash) as a whole.
fn skip_word(seg: &[u8], j: usize) -> usize {
    find::skip_wordish(seg, j)
}

// ---------------------------------------------------------------------------------------------
// Email

fn email(seg: &[u8], at_pos: usize, out: &mut dyn FnMut(Found)) {
    let local_char =
        |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let mut s = at_pos;
    while s > 0 && at_pos - s < 65 && local_char(seg[s - 1]) {
        s -= 1;
    }
    let local = &seg[s..at_pos];
    if local.is_empty()
        || local.len() > 64
        || local[0] == b'.'
        || local[local.len() - 1] == b'.'
        || (s > 0 && matches!(seg[s - 1], b'@' | b'/' | b'\\'))
    {
        return;
    }
    let mut e = at_pos + 1;
    while e < seg.len()
        && e - at_pos <= 254
        && (seg[e].is_ascii_alphanumeric() || matches!(seg[e], b'.' | b'-'))
    {
        e += 1;
    }
    while e > at_pos + 1 && matches!(seg[e - 1], b'.' | b'-') {
        e -= 1;
    }
    let domain = &seg[at_pos + 1..e];
    if domain.len() < 4 || domain.len() > 253 {
        return;
    }
    // `git@github.com:org/repo`, `user@host.com/path`, `x@y.com@z`.
    let next = at(seg, e);
    if (next == b':' && !at(seg, e + 1).is_ascii_whitespace() && e + 1 < seg.len())
        || next == b'@'
        || next == b'_'
    {
        return;
    }
    let mut labels = 0;
    let mut tld: &[u8] = &[];
    for label in domain.split(|&c| c == b'.') {
        if label.is_empty()
            || label.len() > 63
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
        {
            return;
        }
        labels += 1;
        tld = label;
    }
    if labels < 2
        || !(2..=24).contains(&tld.len())
        || !tld.iter().all(u8::is_ascii_alphabetic)
        || FILE_TLDS.iter().any(|f| tld.eq_ignore_ascii_case(f))
    {
        return;
    }
    // Retina image names: `icon@2x.png` is caught above; `@2x.` domains in general.
    if domain.len() > 3 && domain[0].is_ascii_digit() && domain[1] == b'x' && domain[2] == b'.' {
        return;
    }
    let normalized = String::from_utf8_lossy(&seg[s..e]).to_ascii_lowercase();
    let synthetic = synthetic::email_domain(&normalized[normalized.len() - domain.len()..])
        || synthetic::email_local(&normalized[..local.len()])
        || introduced_as_example(seg, s);
    out(Found {
        kind: PiiType::Email,
        anchor: at_pos,
        normalized,
        synthetic,
    });
}

// ---------------------------------------------------------------------------------------------
// Digit runs

/// The groups of digits read from one anchor, with the separators between them.
#[derive(Clone)]
struct Run {
    digits: [u8; 32],
    nd: usize,
    groups: [u8; 12],
    /// End offset of each group in the segment.
    ends: [usize; 12],
    /// Separator kinds (`SEP_*` bits) of the gap after each group.
    gaps: [u8; 12],
    ng: usize,
    end: usize,
    too_long: bool,
    lead_paren: bool,
    dot: bool,
    slash: bool,
    dash: bool,
    space: bool,
    paren: bool,
}

const SEP_DOT: u8 = 1;
const SEP_SLASH: u8 = 2;
const SEP_DASH: u8 = 4;
const SEP_SPACE: u8 = 8;
const SEP_PAREN: u8 = 16;

impl Run {
    fn digits(&self) -> &[u8] {
        &self.digits[..self.nd]
    }
    fn groups(&self) -> &[u8] {
        &self.groups[..self.ng]
    }
    fn shape(&self, g: &[u8]) -> bool {
        self.groups() == g
    }

    /// The run cut to its first `k` groups.
    fn prefix(&self, k: usize) -> Run {
        let mut r = self.clone();
        r.ng = k;
        r.nd = self.groups[..k]
            .iter()
            .map(|&g| g as usize)
            .sum::<usize>()
            .min(32);
        r.end = self.ends[k - 1];
        let flags = self.gaps[..k - 1].iter().fold(0, |a, &g| a | g);
        r.dot = flags & SEP_DOT != 0;
        r.slash = flags & SEP_SLASH != 0;
        r.dash = flags & SEP_DASH != 0;
        r.space = flags & SEP_SPACE != 0;
        r.paren = self.lead_paren || flags & SEP_PAREN != 0;
        r
    }
}

fn read_run(seg: &[u8], p: usize) -> Run {
    let mut r = Run {
        digits: [0; 32],
        nd: 0,
        groups: [0; 12],
        ends: [0; 12],
        gaps: [0; 12],
        ng: 0,
        end: p,
        too_long: false,
        lead_paren: before(seg, p) == b'(',
        dot: false,
        slash: false,
        dash: false,
        space: false,
        paren: false,
    };
    let mut j = p;
    loop {
        let start = j;
        while j < seg.len() && seg[j].is_ascii_digit() {
            if r.nd < r.digits.len() {
                r.digits[r.nd] = seg[j];
                r.nd += 1;
            } else {
                r.too_long = true;
            }
            j += 1;
        }
        if r.ng < r.groups.len() {
            r.groups[r.ng] = (j - start).min(255) as u8;
            r.ends[r.ng] = j;
            r.ng += 1;
        } else {
            r.too_long = true;
        }
        r.end = j;
        // A separator: at most one of ` -./` and at most one parenthesis.
        let mut k = j;
        let (mut plain, mut parens) = (0, 0);
        let mut flags = 0u8;
        while k < seg.len() && k - j < 3 {
            match seg[k] {
                b' ' => flags |= SEP_SPACE,
                b'-' => flags |= SEP_DASH,
                b'.' => flags |= SEP_DOT,
                b'/' => flags |= SEP_SLASH,
                b'(' | b')' => {
                    flags |= SEP_PAREN;
                    parens += 1;
                    k += 1;
                    continue;
                }
                _ => break,
            }
            plain += 1;
            k += 1;
        }
        if k == j || plain > 1 || parens > 1 || !at(seg, k).is_ascii_digit() || r.too_long {
            let flags = r.gaps[..r.ng.saturating_sub(1)]
                .iter()
                .fold(0, |a, &g| a | g);
            r.dot = flags & SEP_DOT != 0;
            r.slash = flags & SEP_SLASH != 0;
            r.dash = flags & SEP_DASH != 0;
            r.space = flags & SEP_SPACE != 0;
            r.paren = r.lead_paren || flags & SEP_PAREN != 0;
            return r;
        }
        if r.ng <= r.gaps.len() {
            r.gaps[r.ng - 1] = flags;
        }
        j = k;
    }
}

fn emit(
    out: &mut dyn FnMut(Found),
    kind: PiiType,
    anchor: usize,
    normalized: String,
    synthetic: bool,
) {
    out(Found {
        kind,
        anchor,
        normalized,
        synthetic,
    });
}

fn ascii(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Handles the digit at `p` (the previous byte is not a digit) and returns where scanning
/// resumes.
fn digit_token(seg: &[u8], p: usize, key: &[u8], out: &mut dyn FnMut(Found)) -> usize {
    let prev = before(seg, p);
    let digits_end = p + seg[p..].iter().take_while(|c| c.is_ascii_digit()).count();
    let next_after_digits = at(seg, digits_end);
    if (next_after_digits == b':'
        || next_after_digits.is_ascii_hexdigit() && !next_after_digits.is_ascii_digit()
        || prev == b':'
        || prev.is_ascii_hexdigit())
        && let Some(end) = ipv6(seg, p, out)
    {
        return end;
    }
    if prev.is_ascii_alphabetic() {
        return lettered(seg, p, key, out).unwrap_or_else(|| skip_word(seg, p));
    }
    if prev == b' '
        && p >= 3
        && seg[p - 2].is_ascii_uppercase()
        && seg[p - 3].is_ascii_uppercase()
        && let Some(end) = nino(seg, p - 3, p, out)
    {
        return end;
    }
    if is_word(prev)
        || matches!(
            prev,
            b'.' | b'-' | b'/' | b'\\' | b'#' | b'@' | b'$' | b'%' | b'&' | b'^' | b'~' | b'*'
        )
        || !prev.is_ascii() && is_currency_tail(seg, p)
    {
        return skip_word(seg, p);
    }
    if let Some(end) = short_number_end(seg, p, digits_end) {
        return end;
    }
    digit_run(seg, p, prev, key, out)
}

/// Where scanning resumes after a number of at most four digits that no separator joins to
/// more digits (`170 balloons`, `$1600`, `in 2008,`), which no validator takes: `None` for any
/// other number, and for one or two digits before a word (a day before a month name).
/// [`digit_run`] would come to the same end the long way (tested), after reading the run.
fn short_number_end(seg: &[u8], p: usize, digits_end: usize) -> Option<usize> {
    let next = at(seg, digits_end);
    if digits_end - p > 4
        || run_goes_on(seg, digits_end)
        || digits_end - p <= 2 && next == b' ' && at(seg, digits_end + 1).is_ascii_alphabetic()
    {
        return None;
    }
    Some(if is_word(next) {
        skip_word(seg, digits_end)
    } else {
        digits_end
    })
}

/// Whether a separator [`read_run`] accepts (at most one of ` -./` and one parenthesis, three
/// bytes at most) joins the digits ending at `j` to another group.
fn run_goes_on(seg: &[u8], j: usize) -> bool {
    let (mut plain, mut parens) = (0, 0);
    let mut k = j;
    while k < seg.len() && k - j < 3 {
        match seg[k] {
            b' ' | b'-' | b'.' | b'/' => plain += 1,
            b'(' | b')' => parens += 1,
            _ => break,
        }
        k += 1;
    }
    k > j && plain <= 1 && parens <= 1 && at(seg, k).is_ascii_digit()
}

/// The run of digit groups from `p` (after a byte `prev` that leaves it a number of its own),
/// tried against the validators its shape fits; returns where scanning resumes.
fn digit_run(seg: &[u8], p: usize, prev: u8, key: &[u8], out: &mut dyn FnMut(Found)) -> usize {
    let full = read_run(seg, p);
    if full.too_long {
        return skip_word(seg, full.end);
    }
    // The longest prefix of the groups that is something wins (`+44 7911 123456 4556 …` is a
    // phone followed by a card); when none is, the whole run is skipped, so the tail of a
    // number that failed its checksum is not read as a number of its own.
    for k in (1..=full.ng).rev() {
        // A prefix followed by `.`, `-` or `/` and more of the run is attached to it, which
        // `dispatch` refuses first thing: do not build it.
        if k < full.ng
            && matches!(at(seg, full.ends[k - 1]), b'.' | b'-' | b'/')
            && is_word(at(seg, full.ends[k - 1] + 1))
        {
            continue;
        }
        let prefix;
        let run = if k == full.ng {
            &full
        } else {
            prefix = full.prefix(k);
            &prefix
        };
        if let Some(end) = dispatch(seg, p, prev, run, key, out) {
            return end;
        }
    }
    if is_word(at(seg, full.end)) {
        return skip_word(seg, full.end);
    }
    full.end
}

/// Tries the validators that fit the shape of `run`; `Some(end)` when one matched.
fn dispatch(
    seg: &[u8],
    p: usize,
    prev: u8,
    run: &Run,
    key: &[u8],
    out: &mut dyn FnMut(Found),
) -> Option<usize> {
    let end = run.end;
    let next = at(seg, end);
    let attached_after = is_word(next)
        || next == b'@'
        || (matches!(next, b'.' | b'-' | b'/' | b',' | b':')
            && is_word(at(seg, end + 1))
            && !(next == b':' && run.dot && run.ng == 4));
    if attached_after {
        return None;
    }
    if run.ng == 1 && run.nd <= 2 && next == b' ' && at(seg, end + 1).is_ascii_alphabetic() {
        return textual_date(seg, p, key, out);
    }
    let plus = prev == b'+' && !is_word(before(seg, p - 1));
    let d = run.digits();
    if plus {
        if !run.dot && !run.slash && (8..=16).contains(&run.nd) {
            let how = Written {
                plus: true,
                groups: run.ng,
                first_group: run.groups[0] as usize,
                pairs: false,
                hotword: false,
            };
            if let Some(ph) = phone::validate(d, how)
                && !arithmetic_operand(seg, p, end)
            {
                emit(out, PiiType::Phone, p, ph.e164, ph.synthetic);
                return Some(end);
            }
        }
        return None;
    }
    let start = if run.lead_paren { p - 1 } else { p };
    if run.slash {
        return date_numeric(seg, start, run, key, out).then_some(end);
    }
    if run.dot {
        let all_le3 = run.groups().iter().all(|&g| (1..=3).contains(&g));
        let found = if run.ng == 4 && all_le3 && !run.dash && !run.space && !run.paren {
            ipv4(seg, start, run, key, out)
        } else if (run.shape(&[3, 3, 4]) && !hotword(seg, start, key, &VERSION_WORDS))
            || run.shape(&[2, 2, 2, 2, 2])
        {
            phone_national(seg, start, run, key, out)
        } else if run.ng == 3 {
            date_numeric(seg, start, run, key, out)
        } else {
            false
        };
        return found.then_some(end);
    }
    // Spaces, dashes and parentheses only from here.
    if run.ng == 3 && (run.shape(&[4, 2, 2]) || run.shape(&[2, 2, 4])) && run.dash && !run.space {
        return date_numeric(seg, start, run, key, out).then_some(end);
    }
    let nd = run.nd;
    let gated = |words: &Hotwords| hotword(seg, start, key, words);
    if nd == 10
        && (run.ng == 1 || run.shape(&[3, 3, 4]))
        && validate::uk_nhs(d)
        && gated(&NHS_WORDS)
    {
        emit(out, PiiType::UkNhs, p, ascii(d), d.starts_with(b"999"));
        return Some(end);
    }
    if nd == 11 && !run.paren && validate::de_tax_id(d) && gated(&TAX_WORDS) {
        emit(out, PiiType::DeTaxId, p, ascii(d), false);
        return Some(end);
    }
    if nd == 9
        && !run.paren
        && ((run.shape(&[3, 2, 4]) && run.dash != run.space) || (run.ng == 1 && gated(&SSN_WORDS)))
        && validate::us_ssn(d)
    {
        emit(out, PiiType::UsSsn, p, ascii(d), d == b"123456789");
        return Some(end);
    }
    // One run of digits is a number (an order id, a snowflake id, a millisecond time, the
    // result of a sum): about one in ten passes the Luhn check by chance, so it is a card only
    // where a hotword (its key or column name too) says so, as payment logs and forms have
    // one. Digits grouped in fours are written as a card is.
    if (13..=19).contains(&nd)
        && !run.paren
        && card_shape(run)
        && validate::payment_card(d)
        && (run.ng > 1 || gated(&CARD_WORDS))
    {
        emit(
            out,
            PiiType::PaymentCard,
            p,
            ascii(d),
            synthetic::test_card(d),
        );
        return Some(end);
    }
    if ((nd == 5 && run.ng == 1) || (run.shape(&[5, 4]) && run.dash && !run.space))
        && gated(&ZIP_WORDS)
    {
        emit(out, PiiType::Postcode, p, ascii(d), false);
        return Some(end);
    }
    if run.ng == 1 && (8..=9).contains(&nd) && gated(&PASSPORT_WORDS) {
        emit(out, PiiType::Passport, p, ascii(d), false);
        return Some(end);
    }
    if (9..=13).contains(&nd) && !run.shape(&[3, 2, 4]) && phone_national(seg, start, run, key, out)
    {
        return Some(end);
    }
    None
}

/// `£`, `€` (multi-byte) right before a number: a price.
fn is_currency_tail(seg: &[u8], p: usize) -> bool {
    let pre = &seg[p.saturating_sub(3)..p];
    pre.ends_with("£".as_bytes()) || pre.ends_with("€".as_bytes()) || pre.ends_with("¥".as_bytes())
}

fn card_shape(run: &Run) -> bool {
    if run.ng == 1 {
        return true;
    }
    if run.space == run.dash {
        return false;
    }
    let g = run.groups();
    let fours = g[..g.len() - 1].iter().all(|&x| x == 4) && (1..=4).contains(&g[g.len() - 1]);
    fours || g == [4, 6, 5] || g == [4, 6, 4]
}

/// Whether the groups of a number written without `+` are grouped as phone numbers are:
/// North American 3-3-4 or 3-7 (after an optional trunk `1`: `1-303-867-5309`), French pairs
/// (`01 23 45 67 89`), or a trunk `0` and an area code in a first group of at least three
/// digits, then one to three groups of at least two (`020 7946 0018`, `030 12345678`,
/// `07911 123456`). Rows of small numbers (`caps 7 34 46 10 15 4`, a tennis score
/// `7-6 6-1 4-6 7-5`, a list `9 8 7 6 5 4 3 2 1`) hold ten digits as often as a phone does,
/// but nobody writes a phone number that way.
fn national_phone_shape(run: &Run) -> bool {
    let g = run.groups();
    if g.len() == 1 {
        return true;
    }
    if run.digits()[0] == b'0' {
        return g == [2, 2, 2, 2, 2]
            || (g.len() <= 4 && g[0] >= 3 && g[1..].iter().all(|&n| n >= 2));
    }
    let body = if g[0] == 1 { &g[1..] } else { g };
    body == [3, 3, 4] || body == [3, 7]
}

fn phone_national(
    seg: &[u8],
    start: usize,
    run: &Run,
    key: &[u8],
    out: &mut dyn FnMut(Found),
) -> bool {
    if !national_phone_shape(run) {
        return false;
    }
    // A grouped number that the next group of a longer row of numbers follows
    // (`balls 252 642 7293 4833`) is a phone only where a phone word says so.
    let row_goes_on =
        run.ng > 1 && at(seg, run.end) == b' ' && at(seg, run.end + 1).is_ascii_digit();
    let phone_word = (run.ng == 1 || row_goes_on) && hotword(seg, start, key, &PHONE_WORDS);
    if row_goes_on && !phone_word {
        return false;
    }
    let how = Written {
        plus: false,
        groups: run.ng,
        first_group: run.groups[0] as usize,
        pairs: run.ng == 5 && run.groups().iter().all(|&g| g == 2),
        hotword: run.ng == 1 && phone_word,
    };
    let Some(ph) = phone::validate(run.digits(), how) else {
        return false;
    };
    if arithmetic_operand(seg, start, run.end) {
        return false;
    }
    emit(
        out,
        PiiType::Phone,
        start + usize::from(seg[start] == b'('),
        ph.e164,
        ph.synthetic,
    );
    true
}

/// Arithmetic operators, and whether each is one between any two numbers (`-` and `/` join
/// ranges, dates and alternatives as often: they count only in an equation).
const OPERATORS: &[(&[u8], bool)] = &[
    (b"+", true),
    (b"*", true),
    (b"=", true),
    ("×".as_bytes(), true),
    ("÷".as_bytes(), true),
    (b"-", false),
    (b"/", false),
    ("−".as_bytes(), false),
];

/// The length of the operator at `i` and whether it counts between any two numbers.
fn operator_at(seg: &[u8], i: usize) -> Option<(usize, bool)> {
    let rest = seg.get(i..)?;
    OPERATORS
        .iter()
        .find(|(op, _)| rest.starts_with(op))
        .map(|&(op, strong)| (op.len(), strong))
}

/// Where the operator that ends at `i` starts, and whether it counts between any two numbers.
fn operator_ending_at(seg: &[u8], i: usize) -> Option<(usize, bool)> {
    OPERATORS
        .iter()
        .find(|(op, _)| seg[..i].ends_with(op))
        .map(|&(op, strong)| (i - op.len(), strong))
}

fn skip_blanks_back(seg: &[u8], mut i: usize) -> usize {
    while i > 0 && matches!(seg[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    i
}

fn skip_blanks(seg: &[u8], mut i: usize) -> usize {
    while matches!(seg.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// Whether the number `seg[start..end]` is an operand of arithmetic: after another number and
/// an operator on its line (`381920475 +447911123456`, `12 * 2128675309`), before an operator
/// and another number (`2128675309 = …`), or an addend of a column sum, the numbers one a line
/// with the operator at the start of the line (`381920475` above `+447911123456`). Maths
/// answers in instruction corpora write long sums so; a `+` there is no phone's. It runs only
/// on a number a phone validator took: nothing here is on the path of every digit.
fn arithmetic_operand(seg: &[u8], start: usize, end: usize) -> bool {
    if let Some((op, strong)) = operator_ending_at(seg, skip_blanks_back(seg, start)) {
        let j = skip_blanks_back(seg, op);
        if plain_number_ends_at(seg, j) {
            return strong || equation_line(seg, start);
        }
        if j > 0 && seg[j - 1] == b'\n' && column_above(seg, j - 1) {
            return true;
        }
    }
    let k = skip_blanks(seg, end);
    if let Some((len, strong)) = operator_at(seg, k) {
        let m = skip_blanks(seg, k + len);
        // `+44 … +44 …`: a `+` written against digits after a space starts the next phone.
        let next_phone = seg[k] == b'+' && k > end && m == k + 1;
        if (at(seg, m).is_ascii_digit() || at(seg, m) == b'(') && !next_phone {
            return strong || equation_line(seg, start);
        }
    }
    false
}

/// Whether a number that is not part of a time, date or version (`12:00:01`, `2024-03-15`,
/// `1.2`) ends at `j`.
fn plain_number_ends_at(seg: &[u8], j: usize) -> bool {
    let mut i = j;
    while i > 0 && seg[i - 1].is_ascii_digit() {
        i -= 1;
    }
    let lead = before(seg, i);
    let date_dash = lead == b'-' && i >= 2 && seg[i - 2].is_ascii_digit();
    i < j && !matches!(lead, b':' | b'/' | b'.') && !date_dash && !is_word(lead)
}

/// Whether the line that ends at the line end `nl` heads a column of numbers to add up: a line
/// of digits and operators ending in a digit (`381920475`), under which the lines that start
/// with an operator are its addends. A list of phone numbers one a line has a word (or
/// nothing) above its first `+`.
fn column_above(seg: &[u8], mut nl: usize) -> bool {
    let floor = nl.saturating_sub(LOOK_BEHIND);
    loop {
        let line_start = seg[floor..nl]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(floor, |i| floor + i + 1);
        let line = seg[line_start..nl].trim_ascii();
        if (line_start == floor && floor > 0)
            || !line.last().is_some_and(u8::is_ascii_digit)
            || !arithmetic_line(line)
        {
            return false;
        }
        if operator_at(line, 0).is_none() {
            return true;
        }
        if line_start == 0 {
            return false;
        }
        nl = line_start - 1;
    }
}

/// Whether `line` holds only numbers, blanks, parentheses and operators.
fn arithmetic_line(line: &[u8]) -> bool {
    let mut i = 0;
    while i < line.len() {
        if line[i].is_ascii_digit() || matches!(line[i], b' ' | b'\t' | b',' | b'.' | b'(' | b')') {
            i += 1;
        } else if let Some((len, _)) = operator_at(line, i) {
            i += len;
        } else {
            return false;
        }
    }
    true
}

/// Whether the line around `pos` is an equation: numbers and operators only, with an `=`.
fn equation_line(seg: &[u8], pos: usize) -> bool {
    let lo = pos.saturating_sub(LOOK_BEHIND);
    let hi = (pos + LOOK_AHEAD).min(seg.len());
    let start = seg[lo..pos]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(lo, |i| lo + i + 1);
    let end = seg[pos..hi]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(hi, |i| pos + i);
    let line = &seg[start..end];
    line.contains(&b'=') && arithmetic_line(line.trim_ascii())
}

fn ipv4(seg: &[u8], start: usize, run: &Run, key: &[u8], out: &mut dyn FnMut(Found)) -> bool {
    let g = run.groups();
    let d = run.digits();
    let mut octets = [0u8; 4];
    let mut k = 0;
    for (i, &len) in g.iter().enumerate() {
        let part = &d[k..k + len as usize];
        k += len as usize;
        if part.len() > 1 && part[0] == b'0' {
            return false;
        }
        let v = part.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
        if v > 255 {
            return false;
        }
        octets[i] = v as u8;
    }
    // `torch==2.1.0.1`, `>=1.2.3.4`, `version 1.2.3.4`, OIDs.
    let p2 = &seg[start.saturating_sub(2)..start];
    if p2.contains(&b'=') || p2.contains(&b'>') || p2.contains(&b'<') || p2.contains(&b'~') {
        return false;
    }
    if hotword(seg, start, key, &VERSION_WORDS) {
        return false;
    }
    // Clause and outline numbers (`§ 5.3.1.1`, `Section 12.4.2.1`, `see 5.3.1.1`). A number
    // whose four parts are all small is one unless an address word stands before it: an
    // address drawn at random has all four parts under 20 about once in 30,000 times, and the
    // public resolvers that do (`1.1.1.1`, `8.8.8.8`) are no one's personal data.
    if seg[..start].trim_ascii_end().ends_with("§".as_bytes())
        || hotword(seg, start, key, &SECTION_WORDS)
        || octets.iter().all(|&o| o < 20) && !hotword(seg, start, key, &IP_WORDS)
    {
        return false;
    }
    let ip = Ipv4Addr::from(octets);
    let [a, b, _, _] = octets;
    let not_personal = ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || a >= 224
        || a == 0
        || (a == 100 && (64..128).contains(&b));
    if not_personal {
        return false;
    }
    let synthetic = synthetic::ipv4(octets);
    emit(out, PiiType::IpAddress, start, ip.to_string(), synthetic);
    true
}

/// An IPv6 address around the digit at `p`; returns the end when one was found (or the
/// hex-colon run was clearly not one and should be skipped).
fn ipv6(seg: &[u8], p: usize, out: &mut dyn FnMut(Found)) -> Option<usize> {
    // A group has at most four hex digits, so a colon stands within five bytes of any digit.
    if !seg[p.saturating_sub(4)..(p + 5).min(seg.len())].contains(&b':') {
        return None;
    }
    let hexc = |c: u8| c.is_ascii_hexdigit() || c == b':';
    let mut s = p;
    while s > 0 && p - s < 40 && hexc(seg[s - 1]) {
        s -= 1;
    }
    let mut e = p;
    while e < seg.len() && e - s < 46 && hexc(seg[e]) {
        e += 1;
    }
    let text = &seg[s..e];
    let colons = text.iter().filter(|&&c| c == b':').count();
    let double = text.windows(2).any(|w| w == b"::");
    if colons < 2 || !(double || colons == 7) {
        return None;
    }
    if is_word(before(seg, s))
        || matches!(before(seg, s), b'.' | b'-')
        || is_word(at(seg, e))
        || at(seg, e) == b'.'
    {
        return None;
    }
    let str = std::str::from_utf8(text).ok()?;
    let ip: Ipv6Addr = str.parse().ok()?;
    // A prefix length makes it a network (`2001:db8:4f8::/32`), as a CIDR block is for IPv4.
    if at(seg, e) == b'/' && at(seg, e + 1).is_ascii_digit() {
        return Some(e);
    }
    let seg0 = ip.segments()[0];
    let not_personal = ip.is_loopback()
        || ip.is_unspecified()
        || (seg0 & 0xffc0) == 0xfe80
        || (seg0 & 0xfe00) == 0xfc00
        || (seg0 & 0xff00) == 0xff00
        || ip.to_ipv4_mapped().is_some();
    if !not_personal {
        let synthetic = seg0 == 0x2001 && ip.segments()[1] == 0x0db8;
        emit(out, PiiType::IpAddress, p, ip.to_string(), synthetic);
    }
    Some(e)
}

/// Candidates that start with letters right before the digit at `p`: IBAN, NINO, UK
/// postcode, lettered passport numbers.
fn lettered(seg: &[u8], p: usize, key: &[u8], out: &mut dyn FnMut(Found)) -> Option<usize> {
    let mut ls = p;
    while ls > 0 && p - ls < 3 && seg[ls - 1].is_ascii_alphabetic() {
        ls -= 1;
    }
    if ls > 0 && is_word(seg[ls - 1]) {
        return None;
    }
    let letters = p - ls;
    if letters == 2 && seg[ls].is_ascii_uppercase() && seg[ls + 1].is_ascii_uppercase() {
        if let Some(end) = iban(seg, ls, out) {
            return Some(end);
        }
        if let Some(end) = nino(seg, ls, p, out) {
            return Some(end);
        }
    }
    if (1..=2).contains(&letters) {
        if let Some(end) = uk_postcode(seg, ls, key, out) {
            return Some(end);
        }
        // Passport: one or two capital letters and 6–8 digits, after a hotword.
        let mut e = p;
        while e < seg.len() && seg[e].is_ascii_digit() {
            e += 1;
        }
        if (6..=8).contains(&(e - p))
            && !is_word(at(seg, e))
            && seg[ls..p].iter().all(u8::is_ascii_uppercase)
            && hotword(seg, ls, key, &PASSPORT_WORDS)
        {
            emit(out, PiiType::Passport, p, ascii(&seg[ls..e]), false);
            return Some(e);
        }
    }
    None
}

fn iban(seg: &[u8], s: usize, out: &mut dyn FnMut(Found)) -> Option<usize> {
    let len = validate::iban_length(&seg[s..s + 2])?;
    let mut compact = [0u8; 34];
    let mut n = 0;
    let mut j = s;
    while n < len && j < seg.len() {
        let c = seg[j];
        if c.is_ascii_digit() || c.is_ascii_uppercase() {
            compact[n] = c;
            n += 1;
            j += 1;
        } else if c == b' ' && n % 4 == 0 && n > 0 && at(seg, j + 1).is_ascii_alphanumeric() {
            j += 1;
        } else {
            return None;
        }
    }
    if n != len || is_word(at(seg, j)) {
        return None;
    }
    let code = &compact[..n];
    if !validate::iban(code) {
        return None;
    }
    emit(
        out,
        PiiType::Iban,
        s + 2,
        ascii(code),
        synthetic::iban(code),
    );
    Some(j)
}

/// `AB123456C` or `AB 12 34 56 C`, letters at `s`, first digit at `p`.
fn nino(seg: &[u8], s: usize, p: usize, out: &mut dyn FnMut(Found)) -> Option<usize> {
    if before(seg, s).is_ascii_alphanumeric() {
        return None;
    }
    let mut c = [0u8; 9];
    c[0] = seg[s];
    c[1] = seg[s + 1];
    let mut n = 2;
    let mut j = p;
    while n < 8 && j < seg.len() {
        if seg[j].is_ascii_digit() {
            c[n] = seg[j];
            n += 1;
            j += 1;
        } else if seg[j] == b' ' && n % 2 == 0 && at(seg, j + 1).is_ascii_digit() {
            j += 1;
        } else {
            return None;
        }
    }
    if n != 8 {
        return None;
    }
    if at(seg, j) == b' ' && (b'A'..=b'D').contains(&at(seg, j + 1)) {
        j += 1;
    }
    c[8] = at(seg, j);
    j += 1;
    if is_word(at(seg, j)) || !validate::uk_nino(&c) {
        return None;
    }
    emit(out, PiiType::UkNino, p, ascii(&c), false);
    Some(j)
}

/// UK postcodes (`SW1A 1AA`, `M1 1AE`) after a hotword.
fn uk_postcode(seg: &[u8], s: usize, key: &[u8], out: &mut dyn FnMut(Found)) -> Option<usize> {
    let up = |i: usize| at(seg, i).is_ascii_uppercase();
    let dig = |i: usize| at(seg, i).is_ascii_digit();
    let mut j = s;
    while up(j) && j - s < 2 {
        j += 1;
    }
    let d0 = j;
    while dig(j) && j - d0 < 2 {
        j += 1;
    }
    if j == d0 {
        return None;
    }
    if up(j) && j - d0 == 1 && !dig(j + 1) && at(seg, j + 1) == b' ' {
        j += 1;
    }
    let outward_end = j;
    if at(seg, j) == b' ' {
        j += 1;
    }
    if !(dig(j) && up(j + 1) && up(j + 2)) || is_word(at(seg, j + 3)) {
        return None;
    }
    let end = j + 3;
    if !hotword(seg, s, key, &POSTCODE_WORDS) {
        return None;
    }
    let mut norm = ascii(&seg[s..outward_end]);
    norm.push(' ');
    norm.push_str(&ascii(&seg[j..end]));
    emit(out, PiiType::Postcode, d0, norm, false);
    Some(end)
}

fn plausible_date(y: u32, m: u32, d: u32) -> bool {
    (1900..=2030).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

fn iso(y: u32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Numeric dates (`1985-03-12`, `12/03/1985`, `12.03.1985`), reported only after a
/// date-of-birth hotword.
fn date_numeric(
    seg: &[u8],
    start: usize,
    run: &Run,
    key: &[u8],
    out: &mut dyn FnMut(Found),
) -> bool {
    if run.ng != 3 {
        return false;
    }
    let d = run.digits();
    let g = run.groups();
    let num = |a: usize, b: usize| {
        d[a..b]
            .iter()
            .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'))
    };
    let date = if g == [4, 2, 2] || g == [4, 1, 1] || g == [4, 1, 2] || g == [4, 2, 1] {
        let (a, b) = (g[0] as usize, g[0] as usize + g[1] as usize);
        Some((num(0, a), num(a, b), num(b, d.len())))
    } else if g[2] == 4 && g[0] <= 2 && g[1] <= 2 {
        let (a, b) = (g[0] as usize, g[0] as usize + g[1] as usize);
        let (x, y, year) = (num(0, a), num(a, b), num(b, d.len()));
        // Day first unless that is impossible (US month/day order).
        if y <= 12 {
            Some((year, y, x))
        } else {
            Some((year, x, y))
        }
    } else {
        None
    };
    if let Some((y, m, day)) = date
        && plausible_date(y, m, day)
        && hotword(seg, start, key, &DOB_WORDS)
    {
        emit(out, PiiType::DateOfBirth, start, iso(y, m, day), false);
        return true;
    }
    false
}

const MONTHS: &[&[u8]] = &[
    b"january",
    b"february",
    b"march",
    b"april",
    b"may",
    b"june",
    b"july",
    b"august",
    b"september",
    b"october",
    b"november",
    b"december",
];

/// `12 March 1985` after a date-of-birth hotword.
fn textual_date(seg: &[u8], p: usize, key: &[u8], out: &mut dyn FnMut(Found)) -> Option<usize> {
    let mut j = p;
    let mut day = 0u32;
    while at(seg, j).is_ascii_digit() {
        day = day * 10 + u32::from(seg[j] - b'0');
        j += 1;
    }
    j += 1;
    let ms = j;
    while at(seg, j).is_ascii_alphabetic() {
        j += 1;
    }
    let word = &seg[ms..j];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(word))? as u32 + 1;
    if at(seg, j) != b' ' {
        return None;
    }
    j += 1;
    let ys = j;
    let mut year = 0u32;
    while at(seg, j).is_ascii_digit() && j - ys < 5 {
        year = year * 10 + u32::from(seg[j] - b'0');
        j += 1;
    }
    if j - ys != 4 || is_word(at(seg, j)) || !plausible_date(year, month, day) {
        return None;
    }
    if !hotword(seg, p, key, &DOB_WORDS) {
        return None;
    }
    emit(out, PiiType::DateOfBirth, p, iso(year, month, day), false);
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::random_bytes;

    fn run(text: &str) -> Vec<(PiiType, String, bool)> {
        let mut v = Vec::new();
        detect(text.as_bytes(), 0, text.len(), b"", &mut |f| {
            v.push((f.kind, f.normalized, f.synthetic))
        });
        v
    }

    fn kinds(text: &str) -> Vec<PiiType> {
        run(text).into_iter().map(|f| f.0).collect()
    }

    #[test]
    fn emails() {
        assert_eq!(
            run("mail Jane.Doe+x@Acme-Corp.co.uk."),
            vec![(PiiType::Email, "jane.doe+x@acme-corp.co.uk".into(), false)]
        );
        assert!(run("a@example.com")[0].2);
        assert!(run("b@sub.example.org")[0].2);
        assert!(run("c@foo.test")[0].2);
        for neg in [
            "git@github.com:acme/repo.git",
            "pip install pkg@1.2.3",
            "@decorator",
            "root@localhost",
            "image@sha256:abcdef",
            "icon@2x.png",
            "a @ b",
            "x@y",
        ] {
            assert!(run(neg).is_empty(), "{neg}: {:?}", run(neg));
        }
    }

    #[test]
    fn phones() {
        assert_eq!(
            run("call +44 20 7946 0123 now"),
            vec![(PiiType::Phone, "+442079460123".into(), true)]
        );
        assert_eq!(run("+44 (0) 20 8123 4567")[0].1, "+442081234567");
        assert_eq!(
            run("(212) 555-0142")[0],
            (PiiType::Phone, "+12125550142".into(), true)
        );
        assert_eq!(run("212-867-5309")[0].1, "+12128675309");
        assert_eq!(run("1-303-867-5309")[0].1, "+13038675309");
        assert_eq!(run("030 12345678")[0].1, "+493012345678");
        assert_eq!(run("01 23 45 67 89")[0].1, "+33123456789");
        assert_eq!(run("tel 2128675309")[0].1, "+12128675309");
        for neg in [
            "2128675309",
            "v1.2+3",
            "+1 for this",
            "+100 points",
            "1696517280",
            "x+4471234567",
            "freephone 1-800-867-5309",
            "call 0800 123 4567",
        ] {
            assert!(run(neg).is_empty(), "{neg}: {:?}", run(neg));
        }
    }

    #[test]
    fn rows_of_small_numbers_are_not_phones() {
        // Each holds ten digits that pass a national plan's rules when read as one number.
        for neg in [
            "caps is 7 34 46 10 15 4 28 50 22",
            "won 7-6 (8-6) 6-1 4-6 7-5 in three hours",
            "9 8 7 6 5 4 3 2 1 1 2 3 4 5 6 7 8 9",
            "26 27 28 29 30 31 32 33 34 35 36",
            "goals is 0 3 3 1 1 0 0 8 2",
            "balls 252 642 7293 4833",
            "caps 53 14 12 31 21 31 8 70",
        ] {
            assert!(run(neg).is_empty(), "{neg}: {:?}", run(neg));
        }
        // The shapes people write, alone or in a row under a phone word.
        assert_eq!(kinds("call us at 650-636-4884 or"), vec![PiiType::Phone]);
        assert_eq!(kinds("ring 07911 123456"), vec![PiiType::Phone]);
        assert_eq!(kinds("0171 2345678"), vec![PiiType::Phone]);
        assert_eq!(kinds("020 7946 0018 today"), vec![PiiType::Phone]);
        assert_eq!(kinds("1 (212) 867-5309"), vec![PiiType::Phone]);
        assert_eq!(kinds("phone 212 867 5309 4556"), vec![PiiType::Phone]);
    }

    #[test]
    fn values_introduced_as_examples_are_documentation_values() {
        let synthetic = |text: &str| run(text).into_iter().map(|f| f.2).collect::<Vec<_>>();
        let mut zips = Vec::new();
        let cell = b"(5 digits; for example, 00544 or 94305)";
        detect(cell, 0, cell.len(), b"zip", &mut |f| {
            zips.push((f.kind, f.synthetic))
        });
        assert_eq!(
            zips,
            vec![(PiiType::Postcode, true), (PiiType::Postcode, true)]
        );
        assert_eq!(
            synthetic("an address, e.g. jane.doe@acme-mail.com"),
            vec![true]
        );
        assert_eq!(synthetic("such as 212-867-5309"), vec![true]);
        assert_eq!(synthetic("Beispiel: z.B. 030 12345678"), vec![true]);
        // Without such a word, the same values are real.
        assert_eq!(synthetic("mail jane.doe@acme-mail.com"), vec![false]);
        assert_eq!(synthetic("call 212-867-5309"), vec![false]);
        // Placeholder addresses on real domains, and made-up addresses that count up.
        assert_eq!(synthetic("string = 'example@gmail.com'"), vec![true]);
        assert_eq!(synthetic("login('your.name@acme-mail.com')"), vec![true]);
        assert_eq!(synthetic("host 123.45.67.89"), vec![true]);
        assert_eq!(synthetic("host 81.2.69.160"), vec![false]);
        // A word inside a name is no such word.
        assert_eq!(
            synthetic("jane@example.com or 212-867-5309"),
            vec![true, false]
        );
        assert_eq!(synthetic("see /examples/ or 212-867-5309"), vec![false]);
        // Out of the window, an earlier example says nothing about a later value.
        assert_eq!(
            synthetic("for example a table; then the customer wrote to say call 212-867-5309"),
            vec![false]
        );
    }

    #[test]
    fn digits_that_count_up_or_down_are_placeholder_phones() {
        assert_eq!(
            run("text me 0123456789"),
            vec![(PiiType::Phone, "+44123456789".into(), true)]
        );
        assert!(run("call 987-654-3210")[0].2);
        assert!(run("call 222-222-2222")[0].2);
        assert!(!run("call 212-867-5309")[0].2);
    }

    #[test]
    fn clause_numbers_are_not_addresses() {
        for neg in [
            "see 5.3.1.1 of the agreement",
            "5.3.1.1 Scope",
            "Section 12.40.2.1 applies",
            "under § 21.3.4.1",
            "Clause 4.2.10.3",
            "1.1.1.1",
        ] {
            assert!(run(neg).is_empty(), "{neg}: {:?}", run(neg));
        }
        // Small parts after an address word, and any address with a large part, still count.
        assert_eq!(kinds("client ip 5.3.1.1"), vec![PiiType::IpAddress]);
        assert_eq!(kinds("dns 8.8.8.8"), vec![PiiType::IpAddress]);
        assert_eq!(kinds("from 81.2.69.160"), vec![PiiType::IpAddress]);
        assert_eq!(kinds("5.3.1.201"), vec![PiiType::IpAddress]);
        let mut key_hits = Vec::new();
        detect(b"5.3.1.1", 0, 7, b"client_ip", &mut |f| {
            key_hits.push(f.kind)
        });
        assert_eq!(key_hits, vec![PiiType::IpAddress]);
    }

    #[test]
    fn a_value_that_is_only_digits_is_a_card_under_a_card_word_alone() {
        // Luhn-valid with a Visa prefix, as one number in ten of that shape is.
        assert!(run("4556737586899855").is_empty());
        assert!(run(" 4556737586899855 \r").is_empty());
        assert_eq!(kinds("card 4556737586899855"), vec![PiiType::PaymentCard]);
        // Inside prose too: no card word, no card.
        assert!(run("paid with 4556737586899855").is_empty());
        assert_eq!(
            kinds("paid by visa 4556737586899855"),
            vec![PiiType::PaymentCard]
        );
        assert_eq!(kinds("4556 7375 8689 9855"), vec![PiiType::PaymentCard]);
        let keyed = |key: &[u8]| {
            let mut v = Vec::new();
            detect(b"4556737586899855", 0, 16, key, &mut |f| v.push(f.kind));
            v
        };
        assert_eq!(keyed(b"cc_number"), vec![PiiType::PaymentCard]);
        assert!(keyed(b"order_id").is_empty());
        // A cell of a CSV line: the cells before it are context, the cell alone is the value.
        let line = b"acme,4556737586899855";
        let mut v = Vec::new();
        detect_cell(line, 5, b"id", &mut |f| v.push(f.kind));
        assert!(v.is_empty());
        let line = b"card on file,4556737586899855";
        detect_cell(line, 13, b"value", &mut |f| v.push(f.kind));
        assert_eq!(v, vec![PiiType::PaymentCard]);
    }

    #[test]
    fn sums_are_not_phones_or_cards() {
        for neg in [
            // A column sum: the addend's `+` is an operator (a valid UK mobile, NANP and German
            // mobile number each), as is a `+` after a number and a space.
            "Line them up:\n\n381920475\n+447911123456\n-------\n448293043931",
            "12345\n+12128675309\n+4915112345678\n=\n4927241493129",
            "  381920475\r\n  +447911123456\r\n",
            "381920475 +447911123456 = 448293043931",
            "+447911123456 * (2 + 3)",
            "+447911123456 + 5 is the next",
            "4 × 0171 2345678 = 6849382712",
            "0171 2345678 - 12 = 0171 2345666",
            // An addend too long for its country (Maldives numbers have seven digits).
            "381920475\n+960397912423686\n-------\n960398294344161",
            "the total is +960397912423686",
            // Luhn-valid sums with a card's prefix, written without groups.
            "123456789012 + 3900000000001 =\n\nThe result is:\n\n4023456789013",
            "So the sum is 4556737586899855.",
            "4556737586899855",
        ] {
            assert!(run(neg).is_empty(), "{neg:?}: {:?}", run(neg));
        }
    }

    #[test]
    fn phones_and_cards_next_to_numbers_stay() {
        assert_eq!(
            run("call +44 20 7946 0958"),
            vec![(PiiType::Phone, "+442079460958".into(), true)]
        );
        // Lists of phones, one a line or side by side, under a word or at the start.
        let list = "Phones:\n+44 20 7946 0958\n+44 7911 123456\n+1 212 867 5309";
        assert_eq!(kinds(list), vec![PiiType::Phone; 3]);
        assert_eq!(
            kinds("+447911123456\n+447911123457"),
            vec![PiiType::Phone; 2]
        );
        assert_eq!(
            kinds("tel +44 20 7946 0958, +33 6 12 34 56 78"),
            vec![PiiType::Phone; 2]
        );
        // A time, a date, a list's number or a word before the `+` is no operand.
        assert_eq!(
            kinds("1) +44 20 7946 0958\n2. +44 7911 123456"),
            vec![PiiType::Phone; 2]
        );
        assert_eq!(
            kinds("2024-03-15 12:00:01 +447911123456 called"),
            vec![PiiType::Phone]
        );
        assert_eq!(kinds("on 2024-03-15 +447911123456"), vec![PiiType::Phone]);
        // Alternatives and ranges are no sums.
        assert_eq!(
            kinds("0171 2345678 / 0171 2345679"),
            vec![PiiType::Phone; 2]
        );
        // NANP fiction numbers stay documentation values; area 555 is no area.
        assert_eq!(
            run("+1 212 555 0142"),
            vec![(PiiType::Phone, "+12125550142".into(), true)]
        );
        assert!(run("+1 555 867 5309").is_empty());
        // Cards grouped as cards are, or with a card word, in prose and in payment logs.
        assert_eq!(kinds("4556 7375 8689 9855"), vec![PiiType::PaymentCard]);
        assert_eq!(kinds("card 4023456789013"), vec![PiiType::PaymentCard]);
        assert_eq!(
            kinds("2024-03-15 12:00:01 charge ok card=4556737586899855 amount=12.00"),
            vec![PiiType::PaymentCard]
        );
        assert_eq!(
            kinds("txn 7781 cc 4556737586899855 ok"),
            vec![PiiType::PaymentCard]
        );
        let mut v = Vec::new();
        detect_cell(b"T-1,4556737586899855", 4, b"card_number", &mut |f| {
            v.push(f.kind)
        });
        assert_eq!(v, vec![PiiType::PaymentCard]);
    }

    #[test]
    fn cards_ibans_ids() {
        assert_eq!(
            run("4111 1111 1111 1111")[0],
            (PiiType::PaymentCard, "4111111111111111".into(), true)
        );
        assert_eq!(
            kinds("pay 4556-7375-8689-9855 now"),
            vec![PiiType::PaymentCard]
        );
        assert_eq!(run("IBAN DE89 3704 0044 0532 0130 00")[0].0, PiiType::Iban);
        assert!(run("GB82WEST12345698765432")[0].2);
        assert_eq!(kinds("ssn 536-22-1234"), vec![PiiType::UsSsn]);
        assert!(run("987-65-4321").is_empty());
        assert!(run("078-05-1120").is_empty());
        assert_eq!(kinds("NI AB 12 34 56 C."), vec![PiiType::UkNino]);
        assert_eq!(kinds("NI AB123456C"), vec![PiiType::UkNino]);
        assert!(run("QQ123456C").is_empty());
        assert_eq!(kinds("NHS number 943 476 5919"), vec![PiiType::UkNhs]);
        assert_eq!(kinds("Steuer-ID 86095742719"), vec![PiiType::DeTaxId]);
        assert!(run("order 86095742719").is_empty());
    }

    #[test]
    fn ips() {
        assert_eq!(
            run("from 81.2.69.160:443")[0],
            (PiiType::IpAddress, "81.2.69.160".into(), false)
        );
        assert!(run("host 203.0.113.7")[0].2);
        assert_eq!(
            run("addr 2a00:1450:4009:81b::200e")[0].0,
            PiiType::IpAddress
        );
        assert!(run("addr 2001:db8::1")[0].2);
        for neg in [
            "version 1.2.3.4",
            "torch==2.1.0.1",
            "oid 1.3.6.1.4.1",
            "10.0.0.1",
            "127.0.0.1",
            "at 12:30:00",
            "std::vector",
            "v1.2.3.4",
            "allow 2a01:4f8::/32",
            "route 2a00:1450:4009:81b::/64",
            "allow 81.2.69.0/24",
        ] {
            assert!(run(neg).is_empty(), "{neg}: {:?}", run(neg));
        }
    }

    #[test]
    fn keyword_gated() {
        assert_eq!(
            run("date of birth: 12/03/1985")[0],
            (PiiType::DateOfBirth, "1985-03-12".into(), false)
        );
        assert_eq!(run("DOB 1985-03-12")[0].1, "1985-03-12");
        assert_eq!(run("born 12 March 1985")[0].1, "1985-03-12");
        assert!(run("released 2024-03-15").is_empty());
        assert_eq!(
            run("postcode SW1A 1AA")[0],
            (PiiType::Postcode, "SW1A 1AA".into(), false)
        );
        assert_eq!(run("post code: M1 1AE")[0].1, "M1 1AE");
        assert_eq!(run("zip 10001")[0].1, "10001");
        assert!(run("SW1A 1AA").is_empty());
        assert_eq!(run("passport no. 123456789")[0].0, PiiType::Passport);
        assert_eq!(run("passport AB1234567")[0].1, "AB1234567");
        assert!(run("123456789").is_empty());
    }

    #[test]
    fn hotwords_are_found_at_word_starts_in_any_case() {
        // That every hotword starts with a lower-case letter is checked when it is compiled.
        assert!(contains_word(b"my Tel: ", &PHONE_WORDS));
        assert!(!contains_word(b"hotel ", &PHONE_WORDS));
        assert!(contains_word(b"x.D.O.B ", &DOB_WORDS));
        // Where the word alone decides, a short one is a whole word (or a camel-case key's).
        assert!(!contains_word(b"import pandas as pd; ", &CARD_WORDS));
        assert!(!contains_word(b"the ccache dir ", &CARD_WORDS));
        assert!(contains_word(b"PAN: ", &CARD_WORDS));
        assert!(contains_word(b"\"panNumber\": ", &CARD_WORDS));
        assert!(contains_word(b"cc_number=", &CARD_WORDS));
        assert!(contains_word(b"cardholder ", &CARD_WORDS));
    }

    #[test]
    fn negatives() {
        for neg in [
            "123e4567-e89b-12d3-a456-426614174000",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "aGVsbG8gd29ybGQgMTIzNDU2Nzg5MA==",
            "ts 1696517280123",
            "2024-03-15T12:30:00Z",
            "20240315",
            "ISBN 978-3-16-148410-0 9783161484100",
            "price $1,234,567.89 £1299",
            "at 48.8566, 2.3522",
            "[101, 2023, 2003, 1037, 3231]",
            "[0.0123456789, -0.98765]",
            "DE12ABCDEFGH1234567890XYZ",
        ] {
            assert!(run(neg).is_empty(), "{neg}: {:?}", run(neg));
        }
    }

    /// The shortcut for short numbers ends where reading the whole run and trying every
    /// validator on it ends, and those find nothing there: random segments built from digits,
    /// separators, month names and hotwords.
    #[test]
    fn short_numbers_end_where_the_full_run_ends() {
        let pieces: &[&[u8]] = &[
            b"1", b"12", b"123", b"1234", b"12345", b"4111", b"0", b"9", b" ", b"-", b".", b"/",
            b"(", b")", b",", b":", b"a", b"x", b"March", b"phone ", b"zip ", b"card ", b"born ",
            b"nhs ", b"@", b"+", b"$", b"\xc2", b"\xa3",
        ];
        let (mut short, mut checked) = (0, 0);
        for seg in random_bytes(pieces, 0x2545_F491_4F6C_DD1D, 20_000, 13) {
            for p in 0..seg.len() {
                if !seg[p].is_ascii_digit() || before(&seg, p).is_ascii_digit() {
                    continue;
                }
                let end = p + seg[p..].iter().take_while(|c| c.is_ascii_digit()).count();
                checked += 1;
                let Some(fast) = short_number_end(&seg, p, end) else {
                    continue;
                };
                short += 1;
                let mut found = Vec::new();
                let slow = digit_run(&seg, p, before(&seg, p), b"", &mut |f| found.push(f));
                let text = String::from_utf8_lossy(&seg);
                assert_eq!((fast, found), (slow, vec![]), "at {p} of {text:?}");
            }
        }
        assert!(short > 1000 && short < checked, "{short} of {checked}");
    }

    #[test]
    fn hostile_input_never_panics() {
        let mut junk: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
        junk.extend_from_slice(b"+ @ 1 ( ) :: . - 9999999999999999999999999999999999999999");
        detect(&junk, 0, junk.len(), b"", &mut |_| {});
        for n in 0..64 {
            let s = &b"+44 (0) 20 7946 0123 a@b.co 4111 1111 1111 1111 DE89 3704 0044 0532 0130 00"
                [..n];
            detect(s, 0, s.len(), b"", &mut |_| {});
        }
        detect(b"", 0, 0, b"", &mut |_| {});
    }
}
