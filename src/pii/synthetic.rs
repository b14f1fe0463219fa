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

/// Local parts that stand for "an address goes here" (`example@gmail.com`,
/// `your.email@acme-mail.com`, `user@domain`): code samples, forms and templates in a corpus
/// use them on real mail domains. Sorted, for the binary search.
const PLACEHOLDER_LOCALS: &[&str] = &[
    "abc.def",
    "anybody",
    "anyone",
    "dummy",
    "email",
    "example",
    "examples",
    "fake",
    "foo",
    "foo.bar",
    "foobar",
    "mail",
    "name",
    "nobody",
    "placeholder",
    "sample",
    "somebody",
    "someone",
    "test",
    "tester",
    "testing",
    "user",
    "user.name",
    "user_name",
    "username",
    "xxx",
    "you",
    "your",
    "your.email",
    "your.name",
    "your_email",
    "your_name",
    "youremail",
    "yourmail",
    "yourname",
];

/// Whether an email's local part (lower case) is a placeholder.
pub fn email_local(local: &str) -> bool {
    PLACEHOLDER_LOCALS.binary_search(&local).is_ok()
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

/// RFC 5737 documentation blocks, and addresses whose digits count up (`123.45.67.89`,
/// `12.34.56.78`), the address people make up for an example.
pub fn ipv4(o: [u8; 4]) -> bool {
    let digits: String = o.iter().map(u8::to_string).collect();
    let counts_up = digits.len() >= 6
        && digits
            .as_bytes()
            .windows(2)
            .all(|w| w[1] == w[0] + 1 || (w[0] == b'9' && w[1] == b'0'));
    counts_up || matches!(o, [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _])
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
        assert!(ipv4([123, 45, 67, 89]));
        assert!(ipv4([12, 34, 56, 78]));
        assert!(!ipv4([123, 45, 67, 98]));
    }

    #[test]
    fn placeholder_local_parts() {
        assert!(PLACEHOLDER_LOCALS.windows(2).all(|w| w[0] < w[1]));
        assert!(email_local("example"));
        assert!(email_local("your.name"));
        assert!(email_local("user"));
        assert!(!email_local("jane.doe"));
        assert!(!email_local("users"));
        assert!(!email_local("kolbyreese82"));
    }
}
