//! Compressed pickles: what `joblib.dump(obj, f, compress=…)` writes.
//!
//! zlib, gzip, bz2 and LZ4 frames are decompressed; xz and lzma are recognised only.
//!
//! joblib wraps the pickle stream in zlib, gzip, bz2, xz, lzma-alone or an LZ4 frame, and
//! `joblib.load` unwraps it by its first bytes, whatever the file is called. A scanner that reads
//! those bytes as a pickle sees garbage and misses every import, so the compression is recognised
//! here by the same magic bytes, and the formats this crate can decompress are streamed to the
//! pickle walker through one bounded reader: the decompressed bytes are capped
//! ([`limits::DECOMPRESSED_PICKLE_BYTES`]) and may not exceed [`limits::DECOMPRESSION_RATIO`]
//! times the compressed size (above [`RATIO_FLOOR_BYTES`]), so a decompression bomb ends in a
//! named limit, never in memory exhaustion. The formats it cannot decompress are still
//! recognised, so that the file is reported as unchecked rather than as a broken pickle.
//!
//! This module must never decompress without a bound, nor hold a decompressed stream in memory.
use super::{ParseError, limits};
use serde::Serialize;
use std::io::{self, Read};

/// Streams may inflate this much whatever their compressed size, as zip entries may.
pub const RATIO_FLOOR_BYTES: u64 = 1024 * 1024;

/// A compression joblib recognises by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compression {
    Zlib,
    Gzip,
    Bz2,
    Xz,
    /// The legacy `.lzma` ("lzma-alone") container.
    Lzma,
    /// An LZ4 frame.
    Lz4,
}

impl Compression {
    /// The compression `prefix` (a file's first bytes) starts with, by joblib's magic bytes.
    /// None of them starts a real pickle: `x`, 0x1f, 0xfd and 0x04 are no opcodes, `]` (an empty
    /// list) is never followed by a zero byte, and `B` (bytes) never by a `Zh` length.
    pub fn sniff(prefix: &[u8]) -> Option<Compression> {
        match prefix {
            [0x78, ..] => Some(Compression::Zlib),
            [0x1f, 0x8b, ..] => Some(Compression::Gzip),
            [b'B', b'Z', b'h', ..] => Some(Compression::Bz2),
            [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Some(Compression::Xz),
            [0x5d, 0x00, 0x00, ..] => Some(Compression::Lzma),
            [0x04, 0x22, 0x4d, 0x18, ..] => Some(Compression::Lz4),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Compression::Zlib => "zlib",
            Compression::Gzip => "gzip",
            Compression::Bz2 => "bz2",
            Compression::Xz => "xz",
            Compression::Lzma => "lzma",
            Compression::Lz4 => "lz4",
        }
    }

    /// Whether this crate can decompress it (the others are reported as unchecked).
    pub fn is_supported(self) -> bool {
        !matches!(self, Compression::Xz | Compression::Lzma)
    }

    /// A streaming decoder over `compressed`, or `None` for a format this crate cannot read
    /// (as [`Compression::is_supported`] says).
    fn decoder<'a, R: Read + 'a>(self, compressed: R) -> Option<Box<dyn Read + 'a>> {
        match self {
            Compression::Zlib => Some(Box::new(flate2::read::ZlibDecoder::new(compressed))),
            // Python's gzip module reads every member of a multi-member file.
            Compression::Gzip => Some(Box::new(flate2::read::MultiGzDecoder::new(compressed))),
            Compression::Lz4 => Some(Box::new(lz4_flex::frame::FrameDecoder::new(compressed))),
            // Python's bz2 module reads every stream of a multi-stream file.
            Compression::Bz2 => Some(Box::new(bzip2::read::MultiBzDecoder::new(compressed))),
            Compression::Xz | Compression::Lzma => None,
        }
    }
}

/// How far a compressed stream may inflate.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Decompressed bytes that may be read at all.
    pub max_bytes: u64,
    /// Decompressed bytes allowed per compressed byte.
    pub ratio: u64,
    /// Decompressed bytes allowed whatever the ratio.
    pub ratio_floor: u64,
}

impl Budget {
    pub const DEFAULT: Budget = Budget {
        max_bytes: limits::DECOMPRESSED_PICKLE_BYTES,
        ratio: limits::DECOMPRESSION_RATIO,
        ratio_floor: RATIO_FLOOR_BYTES,
    };
}

/// A decompressed stream that stops at its budget: reading past it is an error naming the limit,
/// which [`Decompressed::tripped`] keeps for the caller.
pub struct Decompressed<'a> {
    decoder: Box<dyn Read + 'a>,
    compression: Compression,
    read: u64,
    cap: u64,
    cap_limit: &'static str,
    tripped: Option<ParseError>,
}

impl<'a> Decompressed<'a> {
    /// Decompress `compressed` (of `compressed_len` bytes) within `budget`; `None` when the
    /// format is not supported.
    pub fn new<R: Read + 'a>(
        compression: Compression,
        compressed: R,
        compressed_len: u64,
        budget: Budget,
    ) -> Option<Self> {
        let ratio_allowance = compressed_len
            .saturating_mul(budget.ratio)
            .max(budget.ratio_floor);
        let (cap, cap_limit) = if ratio_allowance < budget.max_bytes {
            (ratio_allowance, "decompression ratio")
        } else {
            (budget.max_bytes, "decompressed size")
        };
        Some(Decompressed {
            decoder: compression.decoder(compressed)?,
            compression,
            read: 0,
            cap,
            cap_limit,
            tripped: None,
        })
    }

    /// Decompressed bytes delivered so far.
    pub fn position(&self) -> u64 {
        self.read
    }

    /// The limit the stream hit, if it hit one.
    pub fn tripped(&self) -> Option<&ParseError> {
        self.tripped.as_ref()
    }

    fn trip(&mut self) -> io::Error {
        let message = if self.cap_limit == "decompression ratio" {
            format!(
                "{} stream inflates to more than {} bytes, beyond {} times its compressed size",
                self.compression.name(),
                self.cap,
                limits::DECOMPRESSION_RATIO
            )
        } else {
            format!(
                "{} stream inflates to more than {} bytes",
                self.compression.name(),
                self.cap
            )
        };
        let err = ParseError::limit(self.cap_limit, message);
        let io_err = io::Error::other(err.to_string());
        self.tripped = Some(err);
        io_err
    }
}

impl Read for Decompressed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.tripped.is_some() {
            return Err(self.trip());
        }
        let left = self.cap.saturating_sub(self.read);
        if left == 0 {
            // At the bound: only fine if the stream ends exactly here.
            let mut probe = [0u8; 1];
            if self.decoder.read(&mut probe).map_err(corrupt)? == 0 {
                return Ok(0);
            }
            return Err(self.trip());
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.decoder.read(&mut buf[..want]).map_err(corrupt)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// A decoder's error means the compressed data is corrupt or cut short; say so, whatever the
/// decoder calls it.
fn corrupt(err: io::Error) -> io::Error {
    if err.kind() == io::ErrorKind::UnexpectedEof {
        return err;
    }
    io::Error::new(err.kind(), format!("corrupt compressed data: {err}"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    pub(crate) fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(3));
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(3));
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    pub(crate) fn bz2(data: &[u8]) -> Vec<u8> {
        let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::new(9));
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    pub(crate) fn lz4(data: &[u8]) -> Vec<u8> {
        let mut e = lz4_flex::frame::FrameEncoder::new(Vec::new());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn joblib_magic_bytes_are_recognised() {
        assert_eq!(Compression::sniff(&zlib(b"x")), Some(Compression::Zlib));
        assert_eq!(Compression::sniff(&gzip(b"x")), Some(Compression::Gzip));
        assert_eq!(Compression::sniff(&lz4(b"x")), Some(Compression::Lz4));
        assert_eq!(Compression::sniff(&bz2(b"x")), Some(Compression::Bz2));
        assert_eq!(Compression::sniff(b"BZh91AY&SY"), Some(Compression::Bz2));
        assert_eq!(
            Compression::sniff(b"\xfd7zXZ\x00\x00"),
            Some(Compression::Xz)
        );
        assert_eq!(
            Compression::sniff(b"\x5d\x00\x00\x80\x00"),
            Some(Compression::Lzma)
        );
        for pickle in [&b"\x80\x04\x95"[..], b"cos\nsystem\n", b"BZ", b"B\x01\x00"] {
            assert_eq!(Compression::sniff(pickle), None, "{pickle:?}");
        }
    }

    #[test]
    fn streams_are_decompressed_within_the_budget() {
        let data: Vec<u8> = (0..100_000u32).flat_map(|i| i.to_le_bytes()).collect();
        for (compression, bytes) in [
            (Compression::Zlib, zlib(&data)),
            (Compression::Gzip, gzip(&data)),
            (Compression::Lz4, lz4(&data)),
            (Compression::Bz2, bz2(&data)),
        ] {
            let mut out = Vec::new();
            let len = bytes.len() as u64;
            Decompressed::new(compression, &bytes[..], len, Budget::DEFAULT)
                .unwrap()
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, data, "{compression:?}");
        }
        for compression in [
            Compression::Zlib,
            Compression::Gzip,
            Compression::Bz2,
            Compression::Xz,
            Compression::Lzma,
            Compression::Lz4,
        ] {
            assert_eq!(
                compression.is_supported(),
                compression.decoder(io::empty()).is_some(),
                "{compression:?}"
            );
        }
        assert!(!Compression::Xz.is_supported());
    }

    #[test]
    fn a_bomb_stops_at_the_ratio_and_at_the_size_cap() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let bomb = zlib(&zeros);
        let len = bomb.len() as u64;
        let mut stream =
            Decompressed::new(Compression::Zlib, &bomb[..], len, Budget::DEFAULT).unwrap();
        let err = io::copy(&mut stream, &mut io::sink()).unwrap_err();
        assert!(
            err.to_string().contains("[limit: decompression ratio]"),
            "{err}"
        );
        assert_eq!(stream.tripped().unwrap().limit, Some("decompression ratio"));
        assert!(stream.read <= len * limits::DECOMPRESSION_RATIO);

        let small = Budget {
            max_bytes: 4096,
            ..Budget::DEFAULT
        };
        let mut stream = Decompressed::new(Compression::Zlib, &bomb[..], len, small).unwrap();
        assert!(io::copy(&mut stream, &mut io::sink()).is_err());
        assert_eq!(stream.tripped().unwrap().limit, Some("decompressed size"));
        assert_eq!(stream.read, 4096);

        // a stream that ends exactly at the cap is whole
        let exact = Budget {
            max_bytes: 1000,
            ..Budget::DEFAULT
        };
        let bytes = zlib(&[7u8; 1000]);
        let mut stream =
            Decompressed::new(Compression::Zlib, &bytes[..], bytes.len() as u64, exact).unwrap();
        assert_eq!(io::copy(&mut stream, &mut io::sink()).unwrap(), 1000);
    }

    #[test]
    fn corrupt_streams_are_errors_not_panics() {
        let good = zlib(b"\x80\x04N.");
        for cut in 0..good.len() {
            let mut out = Vec::new();
            let _ = Decompressed::new(Compression::Zlib, &good[..cut], cut as u64, Budget::DEFAULT)
                .unwrap()
                .read_to_end(&mut out);
        }
        let mut out = Vec::new();
        let garbage = b"\x78\x9c\xff\xff\xff\xff\xff";
        assert!(
            Decompressed::new(Compression::Zlib, &garbage[..], 7, Budget::DEFAULT)
                .unwrap()
                .read_to_end(&mut out)
                .is_err()
        );
    }
}
