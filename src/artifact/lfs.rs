//! Git LFS pointer files: the SHA-256 and size of the real content, read from a ~130-byte text
//! file, so a repository checked out without LFS still gets hashes without reading any weights.

use super::{ParseError, ParseResult, is_sha256_hex};

pub const POINTER_PREFIX: &[u8] = b"version https://git-lfs.github.com/spec/v1";
/// Pointer files are specified to be smaller than 1024 bytes.
pub const MAX_POINTER_BYTES: u64 = 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LfsPointer {
    pub oid_sha256: String,
    pub size: u64,
}

/// True when a file's first bytes are an LFS pointer's version line.
pub fn looks_like_pointer(prefix: &[u8]) -> bool {
    prefix.starts_with(POINTER_PREFIX)
}

pub fn parse(bytes: &[u8]) -> ParseResult<LfsPointer> {
    if bytes.len() as u64 > MAX_POINTER_BYTES {
        return Err(ParseError::limit(
            "LFS pointer size",
            "LFS pointer larger than 1024 bytes",
        ));
    }
    let text =
        std::str::from_utf8(bytes).map_err(|_| ParseError::new("LFS pointer is not UTF-8"))?;
    let mut oid = None;
    let mut size = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("oid ") {
            let hash = rest
                .strip_prefix("sha256:")
                .ok_or_else(|| ParseError::new(format!("unsupported LFS oid `{rest}`")))?;
            if !is_sha256_hex(hash) {
                return Err(ParseError::new("LFS oid is not a 64-digit hex SHA-256"));
            }
            oid = Some(hash.to_ascii_lowercase());
        } else if let Some(rest) = line.strip_prefix("size ") {
            size = Some(
                rest.trim()
                    .parse::<u64>()
                    .map_err(|_| ParseError::new(format!("LFS size `{rest}` is not a number")))?,
            );
        }
    }
    match (oid, size) {
        (Some(oid_sha256), Some(size)) => Ok(LfsPointer { oid_sha256, size }),
        (None, _) => Err(ParseError::new("LFS pointer has no `oid sha256:` line")),
        (_, None) => Err(ParseError::new("LFS pointer has no `size` line")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OID: &str = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";

    #[test]
    fn parses_a_pointer() {
        let text =
            format!("version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 12345\n");
        assert!(looks_like_pointer(text.as_bytes()));
        let p = parse(text.as_bytes()).unwrap();
        assert_eq!(p.oid_sha256, OID);
        assert_eq!(p.size, 12345);
    }

    #[test]
    fn rejects_bad_pointers() {
        let no_size = format!("version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\n");
        assert!(parse(no_size.as_bytes()).is_err());
        let bad_oid = "version https://git-lfs.github.com/spec/v1\noid sha256:xyz\nsize 1\n";
        assert!(parse(bad_oid.as_bytes()).is_err());
    }
}
