//! Redacted samples for reports: enough to recognise the kind of value, never the value.

use super::PiiType;
use super::phone;

/// The redacted form of a normalised value.
pub fn redact(kind: PiiType, normalized: &str) -> String {
    match kind {
        PiiType::Email => email(normalized),
        PiiType::Phone => phone::redact(normalized),
        PiiType::PaymentCard => {
            format!("**** **** **** {}", tail(normalized, 4))
        }
        PiiType::Iban => {
            let cc: String = normalized.chars().take(2).collect();
            let hidden = normalized.len().saturating_sub(4);
            format!("{cc}{} {}", "*".repeat(hidden), tail(normalized, 2))
        }
        PiiType::IpAddress => match normalized.split_once(['.', ':']) {
            Some((first, _)) if normalized.contains('.') => format!("{first}.*.*.*"),
            Some((first, _)) => format!("{first}:****:…"),
            None => "*".into(),
        },
        PiiType::UsSsn => format!("***-**-**{}", tail(normalized, 2)),
        PiiType::UkNino => format!(
            "{} ** ** ** *",
            normalized.chars().take(2).collect::<String>()
        ),
        PiiType::UkNhs => format!("*** *** **{}", tail(normalized, 2)),
        PiiType::DeTaxId => format!("*********{}", tail(normalized, 2)),
        PiiType::DateOfBirth => "****-**-**".into(),
        PiiType::Postcode => match normalized.split_once(' ') {
            Some((outward, _)) => format!("{outward} ***"),
            None => format!("{}**", normalized.chars().take(3).collect::<String>()),
        },
        PiiType::Passport => format!("*******{}", tail(normalized, 2)),
    }
}

fn tail(s: &str, n: usize) -> &str {
    let start = s.len().saturating_sub(n);
    s.get(start..).unwrap_or("")
}

fn email(normalized: &str) -> String {
    let Some((local, domain)) = normalized.rsplit_once('@') else {
        return "***".into();
    };
    let tld = domain.rsplit_once('.').map_or("", |(_, t)| t);
    let first = |s: &str| s.chars().next().unwrap_or('*');
    format!("{}***@{}***.{tld}", first(local), first(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_the_value() {
        assert_eq!(
            redact(PiiType::Email, "jane.doe@example.com"),
            "j***@e***.com"
        );
        assert_eq!(
            redact(PiiType::PaymentCard, "4111111111111111"),
            "**** **** **** 1111"
        );
        assert_eq!(redact(PiiType::Phone, "+442079460123"), "+44 ******* 123");
        assert_eq!(redact(PiiType::IpAddress, "81.2.69.160"), "81.*.*.*");
        assert_eq!(redact(PiiType::Postcode, "SW1A 1AA"), "SW1A ***");
        for (kind, v) in [
            (PiiType::Iban, "DE89370400440532013000"),
            (PiiType::UsSsn, "536221234"),
            (PiiType::UkNino, "AB123456C"),
            (PiiType::UkNhs, "9434765919"),
            (PiiType::DeTaxId, "86095742719"),
            (PiiType::DateOfBirth, "1985-03-12"),
            (PiiType::Passport, "123456789"),
        ] {
            let r = redact(kind, v);
            assert!(!r.contains(v) && r.len() >= 4, "{kind:?}: {r}");
        }
    }
}
