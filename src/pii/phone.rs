//! Telephone numbers: validity rules for NANP (+1), the UK (+44), Germany (+49) and France
//! (+33), a plausibility rule for other E.164 numbers, normalisation to E.164 (`+` and
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
    // Other countries: a plausible length and no leading zero.
    if (8..=15).contains(&d.len()) && d[0] != b'0' {
        let e164 = format!("+{}", String::from_utf8_lossy(d));
        return Some(Phone {
            e164,
            synthetic: false,
        });
    }
    None
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
