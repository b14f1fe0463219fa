//! Keyed hashes of data subjects for the erasure log: `hmac:<hex>` = HMAC-SHA256 over the
//! normalised identifier (`pii::normalize_subject`), keyed with the bytes of an environment
//! variable's value. The log never holds an identifier in clear, and the scanner compares hashes,
//! never values.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The prefix of a hashed subject in the erasure log.
pub const PREFIX: &str = "hmac:";

/// HMAC-SHA256 of a normalised identifier.
pub fn digest(key: &[u8], normalized: &str) -> [u8; 32] {
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(key) else {
        // HMAC accepts keys of any length; this branch is unreachable.
        return [0; 32];
    };
    mac.update(normalized.as_bytes());
    mac.finalize().into_bytes().into()
}

/// A key prepared once, for hashing many values (the scan hashes every email and phone it finds
/// in corpora that erased subjects concern).
#[derive(Clone)]
pub struct Keyed(Hmac<Sha256>);

impl Keyed {
    pub fn new(key: &[u8]) -> Option<Keyed> {
        <Hmac<Sha256> as KeyInit>::new_from_slice(key)
            .ok()
            .map(Keyed)
    }

    pub fn digest(&self, normalized: &str) -> [u8; 32] {
        let mut mac = self.0.clone();
        mac.update(normalized.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

/// `hmac:<64 hex digits>`, the form the erasure log stores.
pub fn hashed(key: &[u8], normalized: &str) -> String {
    format!("{PREFIX}{}", crate::artifact::hex(&digest(key, normalized)))
}

/// The digest of a `hmac:<hex>` subject; `None` when it is not one.
pub fn parse_hashed(subject: &str) -> Option<[u8; 32]> {
    let hex = subject.strip_prefix(PREFIX)?;
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in hex.as_bytes().chunks(2).enumerate() {
        let text = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4231_case_2() {
        let d = digest(b"Jefe", "what do ya want for nothing?");
        assert_eq!(
            crate::artifact::hex(&d),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_prepared_key_gives_the_same_digest() {
        let keyed = Keyed::new(b"Jefe").unwrap();
        assert_eq!(keyed.digest("a"), digest(b"Jefe", "a"));
        assert_eq!(keyed.digest("a"), keyed.digest("a"));
    }

    #[test]
    fn round_trip() {
        let h = hashed(b"k", "user@example.com");
        assert!(h.starts_with("hmac:"));
        assert_eq!(parse_hashed(&h), Some(digest(b"k", "user@example.com")));
        assert_eq!(parse_hashed("hmac:xyz"), None);
        assert_eq!(parse_hashed("user@example.com"), None);
    }
}
