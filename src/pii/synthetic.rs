//! Documentation values: reserved domains, test card numbers, documentation address blocks and
//! example IBANs. They are counted as `synthetic` (note level), never as real personal data.

/// RFC 2606 / RFC 6761 names: `example.com/.org/.net` and subdomains, `.test`, `.example`,
/// `.invalid`, `.localhost`.
pub fn email_domain(domain: &str) -> bool {
    const RESERVED: &[&str] = &["example.com", "example.net", "example.org"];
    const TLDS: &[&str] = &["example", "invalid", "localhost", "test"];
    let d = domain.to_ascii_lowercase();
    RESERVED
        .iter()
        .any(|r| d == *r || (d.ends_with(r) && d[..d.len() - r.len()].ends_with('.')))
        || d.rsplit('.').next().is_some_and(|tld| TLDS.contains(&tld))
}

/// Card numbers that payment providers publish for testing.
pub fn test_card(digits: &[u8]) -> bool {
    const TEST_PANS: &[&[u8]] = &[
        b"2223003122003222",
        b"30569309025904",
        b"3530111333300000",
        b"3566002020360505",
        b"371449635398431",
        b"378282246310005",
        b"378734493671000",
        b"38520000023237",
        b"4000000000000002",
        b"4000000000000077",
        b"4000056655665556",
        b"4012888888881881",
        b"4111111111111111",
        b"4222222222222",
        b"4242424242424242",
        b"5105105105105100",
        b"5200828282828210",
        b"5555555555554444",
        b"6011000990139424",
        b"6011111111111117",
        b"6200000000000005",
    ];
    TEST_PANS.binary_search(&digits).is_ok()
}

/// RFC 5737 documentation blocks.
pub fn ipv4(o: [u8; 4]) -> bool {
    matches!(o, [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _])
}

/// IBANs printed in standards and bank documentation.
pub fn iban(compact: &[u8]) -> bool {
    const DOC: &[&[u8]] = &[
        b"DE89370400440532013000",
        b"FR1420041010050500013M02606",
        b"GB29NWBK60161331926819",
        b"GB82WEST12345698765432",
        b"NL91ABNA0417164300",
    ];
    DOC.contains(&compact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_sorted_and_matching() {
        assert!(email_domain("example.com"));
        assert!(email_domain("mail.example.org"));
        assert!(email_domain("acme.test"));
        assert!(!email_domain("notexample.com"));
        assert!(!email_domain("acme.com"));
        assert!(test_card(b"4111111111111111"));
        assert!(!test_card(b"4556737586899855"));
        assert!(ipv4([203, 0, 113, 9]));
        assert!(!ipv4([81, 2, 69, 160]));
    }
}
