//! Telephone numbers: validity rules for NANP (+1), the UK (+44), Germany (+49) and France
//! (+33), the national number's length for other E.164 country codes, normalisation to E.164 (`+` and
//! digits) and the fiction/drama ranges regulators reserve for documentation. Service numbers
//! of those plans (freephone, shared-cost and premium-rate, UK `03`) belong to organisations,
//! not people: they are not personal data and are not reported.

/// A validated phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// `+` followed by the country code and national significant number.
    pub e164: String,
    pub synthetic: bool,
}

/// How the digits were written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// Preceded by `+`.
    pub plus: bool,
    /// Digit groups (1 when written without separators).
    pub groups: usize,
    /// The length of the first group.
    pub first_group: usize,
    /// Every group has two digits (French style `01 23 45 67 89`).
    pub pairs: bool,
    /// A phone hotword (phone, tel, call …) stands shortly before.
    pub hotword: bool,
}

/// Validates `digits` (ASCII digits only, trunk `(0)` already removed for `+` numbers).
pub fn validate(digits: &[u8], how: Written) -> Option<Phone> {
    if how.plus {
        return international(digits);
    }
    let bare = how.groups <= 1;
    match digits.first()? {
        b'0' => {
            let nsn = &digits[1..];
            if how.pairs && digits.len() == 10 {
                return national("33", nsn, france(nsn));
            }
            if bare && !how.hotword {
                // Bare runs of digits are IDs more often than phones, except mobiles.
                let uk_mobile = digits.len() == 11 && uk(nsn) && nsn[0] == b'7';
                let fr_mobile = digits.len() == 10 && france(nsn) && matches!(nsn[0], b'6' | b'7');
                if uk_mobile {
                    return national("44", nsn, true);
                }
                return national("33", nsn, fr_mobile);
            }
            // German style is area code + subscriber (`030 12345678`, `0171 2345678`); UK
            // style is three groups or `07700 900123`.
            let de_style = digits.len() == 12
                || (how.groups == 2 && !(how.first_group == 5 && digits.len() == 11));
            if !de_style && uk(nsn) {
                return national("44", nsn, true);
            }
            if germany(nsn) {
                return national("49", nsn, true);
            }
            national("33", nsn, digits.len() == 10 && france(nsn))
        }
        b'1' if digits.len() == 11 && !bare => national("1", &digits[1..], nanp(&digits[1..])),
        _ if digits.len() == 10 && (!bare || how.hotword) => national("1", digits, nanp(digits)),
        _ => None,
    }
}

fn national(cc: &str, nsn: &[u8], valid: bool) -> Option<Phone> {
    if !valid || service(cc, nsn) {
        return None;
    }
    let mut e164 = String::with_capacity(1 + cc.len() + nsn.len());
    e164.push('+');
    e164.push_str(cc);
    e164.extend(nsn.iter().map(|&c| c as char));
    let synthetic = synthetic(cc, nsn) || placeholder(nsn);
    Some(Phone { e164, synthetic })
}

fn international(d: &[u8]) -> Option<Phone> {
    let strip = |nsn: &'_ [u8]| -> Vec<u8> {
        let mut v = nsn.to_vec();
        if v.first() == Some(&b'0') {
            v.remove(0);
        }
        v
    };
    if d.first() == Some(&b'1') {
        return national("1", &d[1..], nanp(&d[1..]));
    }
    for (cc, rule) in [
        ("44", uk as fn(&[u8]) -> bool),
        ("49", germany),
        ("33", france),
    ] {
        if d.starts_with(cc.as_bytes()) {
            let nsn = strip(&d[2..]);
            return national(cc, &nsn, rule(&nsn));
        }
    }
    // Other countries: the national number's length must be one the country uses.
    let (cc, lengths) = country(d)?;
    // A trunk `0` written after the code (`+31 (0)20 …`) is not dialled; Italy keeps its `0`.
    let italy = cc == &b"39"[..];
    let nsn = if italy {
        d[2..].to_vec()
    } else {
        strip(&d[cc.len()..])
    };
    if !lengths.contains(&nsn.len()) || nsn.first() == Some(&b'0') && !italy {
        return None;
    }
    let mut e164 = String::with_capacity(1 + cc.len() + nsn.len());
    e164.push('+');
    e164.extend(cc.iter().chain(&nsn).map(|&c| c as char));
    Some(Phone {
        e164,
        synthetic: false,
    })
}

/// Lengths of the national significant number (mobile and geographic numbers, the country
/// code and a trunk `0` not counted) per E.164 country code, as the ITU's national numbering
/// plans give them, for the codes of the larger numbering plans; sorted by code. Every
/// two-digit code is here: codes are prefix-free, so a number whose first two digits are none
/// of them, and not `1` or `7`, has a three-digit code.
const NATIONAL_LENGTHS: &[(&[u8], u8, u8)] = &[
    (b"20", 8, 10),  // Egypt
    (b"212", 9, 9),  // Morocco
    (b"213", 8, 9),  // Algeria
    (b"216", 8, 8),  // Tunisia
    (b"233", 9, 9),  // Ghana
    (b"234", 8, 10), // Nigeria
    (b"254", 9, 9),  // Kenya
    (b"27", 9, 9),   // South Africa
    (b"30", 10, 10), // Greece
    (b"31", 9, 9),   // Netherlands
    (b"32", 8, 9),   // Belgium
    (b"33", 9, 9),   // France
    (b"34", 9, 9),   // Spain
    (b"351", 9, 9),  // Portugal
    (b"353", 7, 9),  // Ireland
    (b"358", 5, 12), // Finland
    (b"359", 8, 9),  // Bulgaria
    (b"36", 8, 9),   // Hungary
    (b"370", 8, 8),  // Lithuania
    (b"371", 8, 8),  // Latvia
    (b"372", 7, 8),  // Estonia
    (b"380", 9, 9),  // Ukraine
    (b"385", 8, 9),  // Croatia
    (b"386", 8, 8),  // Slovenia
    (b"39", 6, 11),  // Italy
    (b"40", 9, 9),   // Romania
    (b"41", 9, 9),   // Switzerland
    (b"420", 9, 9),  // Czechia
    (b"421", 9, 9),  // Slovakia
    (b"43", 7, 13),  // Austria
    (b"44", 9, 10),  // United Kingdom
    (b"45", 8, 8),   // Denmark
    (b"46", 7, 10),  // Sweden
    (b"47", 8, 8),   // Norway
    (b"48", 9, 9),   // Poland
    (b"49", 6, 13),  // Germany
    (b"51", 8, 9),   // Peru
    (b"52", 10, 10), // Mexico
    (b"53", 6, 8),   // Cuba
    (b"54", 10, 11), // Argentina
    (b"55", 10, 11), // Brazil
    (b"56", 9, 9),   // Chile
    (b"57", 8, 10),  // Colombia
    (b"58", 10, 10), // Venezuela
    (b"60", 8, 10),  // Malaysia
    (b"61", 9, 9),   // Australia
    (b"62", 7, 12),  // Indonesia
    (b"63", 8, 10),  // Philippines
    (b"64", 8, 10),  // New Zealand
    (b"65", 8, 8),   // Singapore
    (b"66", 8, 9),   // Thailand
    (b"7", 10, 10),  // Russia, Kazakhstan
    (b"81", 9, 10),  // Japan
    (b"82", 8, 10),  // South Korea
    (b"84", 9, 10),  // Vietnam
    (b"852", 8, 8),  // Hong Kong
    (b"86", 9, 11),  // China
    (b"880", 8, 10), // Bangladesh
    (b"886", 8, 9),  // Taiwan
    (b"90", 10, 10), // Turkey
    (b"91", 10, 10), // India
    (b"92", 9, 10),  // Pakistan
    (b"93", 9, 9),   // Afghanistan
    (b"94", 9, 9),   // Sri Lanka
    (b"95", 7, 10),  // Myanmar
    (b"960", 7, 7),  // Maldives
    (b"966", 9, 9),  // Saudi Arabia
    (b"971", 8, 9),  // United Arab Emirates
    (b"972", 8, 9),  // Israel
    (b"974", 8, 8),  // Qatar
    (b"98", 10, 10), // Iran
];

/// National lengths for a three-digit code not in [`NATIONAL_LENGTHS`]: the plans of the
/// smaller countries use six to ten digits.
const OTHER_LENGTHS: std::ops::RangeInclusive<usize> = 6..=10;

/// The country code `digits` start with and the lengths its national numbers have; `None`
/// for a code that is spare or belongs to no one's line: `0`, `28`, `80` (international
/// freephone and shared cost), `83` and `89`.
fn country(digits: &[u8]) -> Option<(&[u8], std::ops::RangeInclusive<usize>)> {
    if digits.len() < 4
        || [&b"0"[..], b"28", b"80", b"83", b"89"]
            .iter()
            .any(|p| digits.starts_with(p))
    {
        return None;
    }
    let lengths = |code: &[u8]| {
        NATIONAL_LENGTHS
            .binary_search_by(|(c, _, _)| (*c).cmp(code))
            .ok()
            .map(|i| usize::from(NATIONAL_LENGTHS[i].1)..=usize::from(NATIONAL_LENGTHS[i].2))
    };
    let one_or_two = if digits[0] == b'7' { 1 } else { 2 };
    let code = &digits[..one_or_two];
    if let Some(range) = lengths(code) {
        return Some((code, range));
    }
    // Codes are prefix-free and every one- and two-digit code is in the table.
    let code = &digits[..3];
    Some((code, lengths(code).unwrap_or(OTHER_LENGTHS)))
}

/// NANP: `NXX NXX XXXX`, area and exchange not starting 0/1 and not N11.
fn nanp(d: &[u8]) -> bool {
    if d.len() != 10 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n11 = |x: &[u8]| x[1] == b'1' && x[2] == b'1';
    d[0] >= b'2' && d[3] >= b'2' && !n11(&d[0..3]) && !n11(&d[3..6]) && &d[0..3] != b"555"
}

/// UK national significant number (without the trunk 0).
fn uk(n: &[u8]) -> bool {
    match (n.first(), n.len()) {
        (Some(b'7'), 10) => matches!(n[1], b'1'..=b'5' | b'7'..=b'9'),
        (Some(b'1'), 9 | 10) => true,
        (Some(b'2' | b'3'), 10) => true,
        (Some(b'8'), 9 | 10) => matches!(n[1], b'0' | b'4' | b'7'),
        _ => false,
    }
}

/// German national number (without the trunk 0): mobiles 15x/16x/17x, geographic 2–9.
fn germany(n: &[u8]) -> bool {
    match n.first() {
        Some(b'1') => matches!(n.get(1), Some(b'5' | b'6' | b'7')) && (10..=11).contains(&n.len()),
        Some(b'2'..=b'9') => (6..=11).contains(&n.len()),
        _ => false,
    }
}

/// French national number (without the trunk 0): nine digits, 1–7 or 9 first.
fn france(n: &[u8]) -> bool {
    n.len() == 9 && matches!(n[0], b'1'..=b'7' | b'9')
}

/// Freephone, shared-cost and premium-rate numbers, and the UK's `03` non-geographic numbers
/// that organisations hold: NANP 800, 822 … 888 and 880–889 (toll-free codes, assigned and
/// reserved) and 900; UK 080, 084, 087, 03 (and 09, which [`uk`] already refuses); German 0800
/// and 0900 (0180 and 0137 [`germany`] already refuses); France's 08 is refused by [`france`].
fn service(cc: &str, nsn: &[u8]) -> bool {
    match cc {
        "1" => {
            matches!(nsn, [b'8', a, b, ..] if (a == b && *a != b'9') || *a == b'8')
                || nsn.starts_with(b"900")
        }
        "44" => [&b"80"[..], b"84", b"87", b"3"]
            .iter()
            .any(|p| nsn.starts_with(p)),
        "49" => nsn.starts_with(b"800") || nsn.starts_with(b"900"),
        _ => false,
    }
}

/// Numbers regulators reserve for drama and documentation.
fn synthetic(cc: &str, nsn: &[u8]) -> bool {
    const UK: &[&[u8]] = &[
        b"7700900", b"2079460", b"1134960", b"1144960", b"1154960", b"1164960", b"1174960",
        b"1184960", b"1214960", b"1314960", b"1414960", b"1514960", b"1614960", b"1914980",
        b"1632960", b"2896496", b"2920180", b"8081570", b"9098790", b"3069990",
    ];
    const FR: &[&[u8]] = &[
        b"19900", b"26191", b"35301", b"46571", b"53649", b"63998", b"97598",
    ];
    match cc {
        "1" => nsn.len() == 10 && &nsn[3..6] == b"555" && &nsn[6..8] == b"01",
        "44" => UK.iter().any(|p| nsn.starts_with(p)),
        "33" => FR.iter().any(|p| nsn.starts_with(p)),
        _ => false,
    }
}

/// A run of digits that counts up or down (`0123456789`, `9876543210`) or repeats one digit:
/// what people type when a form asks for a number they will not give.
fn placeholder(nsn: &[u8]) -> bool {
    let steps = |step: u8| {
        nsn.windows(2)
            .all(|w| (w[0] - b'0' + step) % 10 == w[1] - b'0')
    };
    nsn.len() >= 8 && (steps(0) || steps(1) || steps(9))
}

/// Redacts an E.164 number: `+44 ******* 123`.
pub fn redact(e164: &str) -> String {
    let digits = e164.trim_start_matches('+');
    let cc_len = if digits.starts_with('1') || digits.starts_with('7') {
        1
    } else {
        2
    };
    let (cc, rest) = digits.split_at(cc_len.min(digits.len()));
    let keep = rest.len().min(3);
    let hidden = rest.len() - keep;
    format!("+{cc} {} {}", "*".repeat(hidden), &rest[hidden..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(plus: bool, groups: usize, first: usize) -> Written {
        Written {
            plus,
            groups,
            first_group: first,
            pairs: false,
            hotword: false,
        }
    }

    #[test]
    fn nanp_rules() {
        let p = validate(b"2125550142", w(false, 3, 3)).unwrap();
        assert_eq!(p.e164, "+12125550142");
        assert!(p.synthetic);
        assert!(!validate(b"2125550299", w(false, 3, 3)).unwrap().synthetic);
        assert!(
            validate(b"1125550142", w(false, 3, 3)).is_none(),
            "area 1xx"
        );
        assert!(
            validate(b"2111550142", w(false, 3, 3)).is_none(),
            "N11 area"
        );
        assert!(
            validate(b"2121150142", w(false, 3, 3)).is_none(),
            "exchange 1xx"
        );
        assert!(
            validate(b"2125550142", w(false, 1, 10)).is_none(),
            "bare, no hotword"
        );
        assert!(
            validate(b"1696517280", w(false, 1, 10)).is_none(),
            "epoch seconds"
        );
    }

    #[test]
    fn uk_de_fr() {
        let p = validate(b"02079460123", w(false, 3, 3)).unwrap();
        assert_eq!(p.e164, "+442079460123");
        assert!(p.synthetic);
        let m = validate(b"07700900123", w(false, 1, 11)).unwrap();
        assert!(m.synthetic);
        assert_eq!(
            validate(b"07911123456", w(false, 1, 11)).unwrap().e164,
            "+447911123456"
        );
        assert_eq!(
            validate(b"01712345678", w(false, 2, 4)).unwrap().e164,
            "+491712345678"
        );
        let fr = Written {
            pairs: true,
            ..w(false, 5, 2)
        };
        assert_eq!(validate(b"0612345678", fr).unwrap().e164, "+33612345678");
        assert_eq!(
            validate(b"442079460123", w(true, 3, 2)).unwrap().e164,
            "+442079460123"
        );
        assert_eq!(
            validate(b"4402079460123", w(true, 4, 2)).unwrap().e164,
            "+442079460123",
            "trunk (0)"
        );
        assert!(validate(b"1", w(true, 1, 1)).is_none());
        assert!(validate(b"100", w(true, 1, 3)).is_none());
        assert!(validate(b"4479", w(true, 1, 4)).is_none());
    }

    #[test]
    fn other_countries_need_a_national_number_of_their_length() {
        let plus = |d: &[u8]| validate(d, w(true, 1, d.len())).map(|p| p.e164);
        // India 10, Japan 9–10, Spain 9, Russia 10, Hong Kong 8 (three-digit code), Italy
        // with its `0`, a trunk `(0)` dropped elsewhere, a three-digit code off the table.
        assert_eq!(plus(b"919876543210").as_deref(), Some("+919876543210"));
        assert_eq!(plus(b"81312345678").as_deref(), Some("+81312345678"));
        assert_eq!(plus(b"34612345678").as_deref(), Some("+34612345678"));
        assert_eq!(plus(b"74951234567").as_deref(), Some("+74951234567"));
        assert_eq!(plus(b"85221234567").as_deref(), Some("+85221234567"));
        assert_eq!(plus(b"390612345678").as_deref(), Some("+390612345678"));
        assert_eq!(plus(b"310201234567").as_deref(), Some("+31201234567"));
        assert_eq!(plus(b"2637712345678").as_deref(), Some("+2637712345678"));
        for (digits, why) in [
            (&b"960397912423686"[..], "Maldives has 7 digits, not 12"),
            (b"9198765432101", "India has 10"),
            (b"3461234567", "Spain has 9"),
            (b"349123456789", "Spain has 9"),
            (b"7495123456789", "Russia has 10"),
            (
                b"2637712345678901",
                "more than 10 after a code off the table",
            ),
            (b"800123456789", "international freephone"),
            (b"2812345678", "spare code"),
            (b"0123456789", "no code starts with 0"),
            (b"3101234567", "a trunk 0 and then too short"),
        ] {
            assert_eq!(plus(digits), None, "{why}");
        }
    }

    #[test]
    fn the_length_table_is_sorted_and_holds_every_short_code() {
        assert!(NATIONAL_LENGTHS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(NATIONAL_LENGTHS.iter().all(|(c, min, max)| {
            (1..=3).contains(&c.len()) && min <= max && c.len() + usize::from(*max) <= 15
        }));
        // ITU's two-digit codes, written out, against the table's.
        let two: Vec<&[u8]> = "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 \
             54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98"
            .split_whitespace()
            .map(str::as_bytes)
            .collect();
        let in_table: Vec<&[u8]> = NATIONAL_LENGTHS
            .iter()
            .map(|e| e.0)
            .filter(|c| c.len() == 2)
            .collect();
        assert_eq!(in_table, two);
    }

    #[test]
    fn kept_positives() {
        // UK drama numbers and NANP fiction numbers stay synthetic phones; area 555 is not one.
        let uk = validate(b"442079460958", w(true, 4, 2)).unwrap();
        assert_eq!((uk.e164.as_str(), uk.synthetic), ("+442079460958", true));
        let us = validate(b"12125550142", w(true, 4, 1)).unwrap();
        assert_eq!((us.e164.as_str(), us.synthetic), ("+12125550142", true));
        assert_eq!(validate(b"15551234567", w(true, 3, 1)), None);
    }

    #[test]
    fn service_numbers_are_not_personal() {
        for (digits, how) in [
            (&b"8004327781"[..], w(false, 3, 3)),
            (b"18884327781", w(false, 4, 1)),
            (b"18334327781", w(true, 4, 1)),
            (b"8224327781", w(false, 3, 3)),
            (b"8854327781", w(false, 3, 3)),
            (b"9004327781", w(false, 3, 3)),
            (b"08001234567", w(false, 3, 4)),
            (b"08081570123", w(false, 2, 5)),
            (b"03001234567", w(false, 3, 4)),
            (b"08451234567", w(false, 3, 4)),
            (b"448001234567", w(true, 3, 2)),
            (b"08001234567", w(false, 2, 4)),
            (b"4980012345678", w(true, 3, 2)),
            (b"09001234567", w(false, 2, 4)),
        ] {
            assert_eq!(
                validate(digits, how),
                None,
                "{}",
                String::from_utf8_lossy(digits)
            );
        }
        // Geographic and mobile numbers next to them still are.
        assert!(
            validate(b"8014327781", w(false, 3, 3)).is_some(),
            "Utah 801"
        );
        assert!(validate(b"8684327781", w(false, 3, 3)).is_some(), "868");
        assert!(
            validate(b"8994327781", w(false, 3, 3)).is_some(),
            "899 is no toll-free code"
        );
        assert!(validate(b"02079460123", w(false, 3, 3)).is_some());
        assert!(validate(b"089123456", w(false, 2, 3)).is_some(), "Munich");
    }

    #[test]
    fn redaction_keeps_three_digits() {
        assert_eq!(redact("+442079460123"), "+44 ******* 123");
        assert_eq!(redact("+12125550142"), "+1 ******* 142");
    }
}
