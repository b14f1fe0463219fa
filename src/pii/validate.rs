//! Checksums and issuing rules for the structured identifiers. Pure functions over ASCII digits
//! and letters; no allocation, no panics on any input.

/// Luhn (mod 10) over ASCII digits.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        if !d.is_ascii_digit() {
            return false;
        }
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

fn prefix_num(digits: &[u8], n: usize) -> u32 {
    digits
        .iter()
        .take(n)
        .fold(0, |acc, &d| acc * 10 + u32::from(d - b'0'))
}

/// A payment card number: an issuer (IIN) range whose length matches, and Luhn.
pub fn payment_card(digits: &[u8]) -> bool {
    let len = digits.len();
    if !(13..=19).contains(&len) || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let p1 = prefix_num(digits, 1);
    let p2 = prefix_num(digits, 2);
    let p3 = prefix_num(digits, 3);
    let p4 = prefix_num(digits, 4);
    let p6 = prefix_num(digits, 6);
    let issuer_ok = match p1 {
        4 => matches!(len, 13 | 16 | 19),
        2 => {
            ((2221..=2720).contains(&p4) && len == 16) || ((2200..=2204).contains(&p4) && len >= 16)
        }
        3 => {
            ((p2 == 34 || p2 == 37) && len == 15)
                || ((3528..=3589).contains(&p4) && len >= 16)
                || (((300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39)
                    && (len == 14 || len >= 16))
        }
        5 => {
            ((51..=55).contains(&p2) && len == 16)
                || (matches!(p4, 5018 | 5020 | 5038 | 5893) && len >= 13)
        }
        6 => {
            let discover = p4 == 6011 || (644..=649).contains(&p3) || p2 == 65;
            let unionpay = p2 == 62 || (622126..=622925).contains(&p6);
            ((discover || unionpay) && len >= 16)
                || (matches!(p4, 6304 | 6759 | 6761..=6763) && len >= 13)
        }
        _ => false,
    };
    issuer_ok && luhn(digits)
}

/// IBAN lengths per country (ISO 13616 registry), sorted by country code.
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NL", 18),
    (b"NO", 15),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"SA", 24),
    (b"SC", 31),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
];

/// The IBAN length of a country, `None` for a country without IBANs.
pub fn iban_length(country: &[u8]) -> Option<usize> {
    let key: [u8; 2] = country.try_into().ok()?;
    IBAN_LENGTHS
        .binary_search_by(|(code, _)| code.as_slice().cmp(key.as_slice()))
        .ok()
        .map(|i| IBAN_LENGTHS[i].1)
}

/// An IBAN in compact upper-case form: country length and mod 97 == 1.
pub fn iban(compact: &[u8]) -> bool {
    if compact.len() < 15
        || Some(compact.len()) != compact.get(..2).and_then(iban_length)
        || !compact[2..4].iter().all(u8::is_ascii_digit)
        || !compact
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    {
        return false;
    }
    let mut rem = 0u32;
    for &c in compact[4..].iter().chain(&compact[..4]) {
        if c.is_ascii_digit() {
            rem = (rem * 10 + u32::from(c - b'0')) % 97;
        } else {
            let v = u32::from(c - b'A') + 10;
            rem = (rem * 100 + v) % 97;
        }
    }
    rem == 1
}

/// US Social Security number (9 digits) under the SSA's issuing rules; the advertising range
/// 987-65-4320..4329 and the 078-05-1120 wallet card are rejected.
pub fn us_ssn(d: &[u8]) -> bool {
    if d.len() != 9 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let area = prefix_num(d, 3);
    let group = prefix_num(&d[3..], 2);
    let serial = prefix_num(&d[5..], 4);
    if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 {
        return false;
    }
    !(d == b"078051120" || d == b"219099999" || (d.starts_with(b"98765432")))
}

/// UK National Insurance number: `AA999999A`, HMRC prefix rules, suffix A–D.
pub fn uk_nino(c: &[u8]) -> bool {
    if c.len() != 9 {
        return false;
    }
    let (a, b) = (c[0], c[1]);
    let letters_ok = a.is_ascii_uppercase()
        && b.is_ascii_uppercase()
        && !b"DFIQUV".contains(&a)
        && !b"DFIOQUV".contains(&b);
    let prefix = &c[..2];
    let banned = [b"BG", b"GB", b"KN", b"NK", b"NT", b"TN", b"ZZ"]
        .iter()
        .any(|p| p.as_slice() == prefix);
    letters_ok && !banned && c[2..8].iter().all(u8::is_ascii_digit) && (b'A'..=b'D').contains(&c[8])
}

/// UK NHS number: 10 digits, modulus 11 check digit; a single repeated digit is rejected.
pub fn uk_nhs(d: &[u8]) -> bool {
    if d.len() != 10 || !d.iter().all(u8::is_ascii_digit) || d.iter().all(|&c| c == d[0]) {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .enumerate()
        .map(|(i, &c)| u32::from(c - b'0') * (10 - i as u32))
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        v => v,
    };
    check == u32::from(d[9] - b'0')
}

/// German tax identification number (Steuer-IdNr): 11 digits, no leading zero, in the first
/// ten digits exactly one digit occurs twice or three times (three not all adjacent), and an
/// ISO 7064 MOD 11,10 check digit.
pub fn de_tax_id(d: &[u8]) -> bool {
    if d.len() != 11 || !d.iter().all(u8::is_ascii_digit) || d[0] == b'0' {
        return false;
    }
    let mut counts = [0u8; 10];
    for &c in &d[..10] {
        counts[usize::from(c - b'0')] += 1;
    }
    let repeated: Vec<usize> = (0..10).filter(|&i| counts[i] > 1).collect();
    if repeated.len() != 1 {
        return false;
    }
    let digit = repeated[0];
    match counts[digit] {
        2 => {}
        3 => {
            let run = d[..10]
                .windows(3)
                .any(|w| w.iter().all(|&c| usize::from(c - b'0') == digit));
            if run {
                return false;
            }
        }
        _ => return false,
    }
    let mut product = 10u32;
    for &c in &d[..10] {
        let mut sum = (u32::from(c - b'0') + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let check = match 11 - product {
        10 => 0,
        v => v,
    };
    check == u32::from(d[10] - b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_cards() {
        for pan in [
            "4111111111111111",
            "5555555555554444",
            "378282246310005",
            "6011111111111117",
            "4242424242424242",
            "2223003122003222",
            "3530111333300000",
        ] {
            assert!(payment_card(pan.as_bytes()), "{pan}");
        }
        // Luhn-valid but no issuer: a millisecond timestamp and a 9-prefixed id.
        let ts = b"1696517280008";
        assert!(luhn(ts), "a millisecond time that passes Luhn");
        assert!(!payment_card(ts));
        assert!(!payment_card(b"9780000000002"));
        assert!(!payment_card(b"4111111111111112"));
        assert!(!payment_card(b"41111111111111"));
        assert!(!luhn(b""));
    }

    #[test]
    fn ibans() {
        assert!(iban(b"DE89370400440532013000"));
        assert!(iban(b"GB82WEST12345698765432"));
        assert!(iban(b"GB29NWBK60161331926819"));
        assert!(iban(b"FR1420041010050500013M02606"));
        assert!(!iban(b"DE89370400440532013001"));
        assert!(!iban(b"DE8937040044053201300"));
        assert!(!iban(b"ZZ89370400440532013000"));
        assert!(!iban(b"de89370400440532013000"));
        let sorted = IBAN_LENGTHS.windows(2).all(|w| w[0].0 < w[1].0);
        assert!(sorted, "IBAN_LENGTHS must stay sorted");
    }

    #[test]
    fn ssn_rules() {
        assert!(us_ssn(b"123456789"));
        assert!(us_ssn(b"536221234"));
        for bad in [
            "000123456",
            "666123456",
            "900123456",
            "123001234",
            "123450000",
            "987654320",
            "987654329",
            "078051120",
            "12345678",
        ] {
            assert!(!us_ssn(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn nino_rules() {
        assert!(uk_nino(b"AB123456C"));
        for bad in [
            "QQ123456C",
            "TN123456A",
            "GB123456A",
            "AB123456E",
            "DA123456A",
            "AO123456A",
        ] {
            assert!(!uk_nino(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn nhs_and_de_tax() {
        assert!(uk_nhs(b"9434765919"));
        assert!(uk_nhs(b"4010232137"));
        assert!(!uk_nhs(b"9434765918"));
        assert!(!uk_nhs(b"0000000000"));
        assert!(de_tax_id(b"86095742719"));
        assert!(de_tax_id(b"65929970489"));
        assert!(!de_tax_id(b"12345678901"));
        assert!(!de_tax_id(b"86095742718"));
        assert!(!de_tax_id(b"06095742719"));
    }
}
