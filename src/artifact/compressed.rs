//! Compressed pickles: what `joblib.dump(obj, f, compress=…)` writes.
//!
//! joblib wraps the pickle stream in zlib, gzip, bz2, xz, lzma-alone or an LZ4 frame, and
//! `joblib.load` unwraps it by its first bytes, whatever the file is called. A scanner that reads
//! those bytes as a pickle sees garbage and misses every import, so the compression is recognised
//! here by the same magic bytes, and every format is streamed to the pickle walker through one
//! bounded reader: the decompressed bytes are capped ([`limits::DECOMPRESSED_PICKLE_BYTES`]) and
//! may not exceed [`limits::DECOMPRESSION_RATIO`] times the compressed size (above
//! [`RATIO_FLOOR_BYTES`]), so a decompression bomb ends in a named limit, never in memory
//! exhaustion. xz and lzma are decoded by liblzma, the library Python's `lzma` module (and so
//! `joblib.load`) uses, so both read the same bytes the same way; its dictionary, whose size the
//! file declares, is held within [`LZMA_DECODER_MEMORY`].
//!
//! This module must never decompress without a bound, nor hold a decompressed stream in memory.
use super::{ParseError, limits};
use serde::Serialize;
use std::io::{self, BufRead, Read};

/// Streams may inflate this much whatever their compressed size, as zip entries may.
pub const RATIO_FLOOR_BYTES: u64 = 1024 * 1024;

/// Memory the xz and lzma decoder may take, most of it the dictionary the file declares: xz's
/// and Python's strongest preset (9, extreme) needs 65 MiB. A file that needs more cannot be
/// checked (`lzma decoder memory`).
pub const LZMA_DECODER_MEMORY: u64 = 128 * 1024 * 1024;

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

    /// A streaming decoder over `compressed`.
    fn decoder<'a, R: Read + 'a>(self, compressed: R) -> io::Result<Box<dyn Read + 'a>> {
        Ok(match self {
            Compression::Zlib => Box::new(flate2::read::ZlibDecoder::new(compressed)),
            // Python's gzip module reads every member of a multi-member file.
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(compressed)),
            Compression::Lz4 => Box::new(lz4_flex::frame::FrameDecoder::new(compressed)),
            // Python's bz2 module reads every stream of a multi-stream file.
            Compression::Bz2 => Box::new(bzip2::read::MultiBzDecoder::new(compressed)),
            Compression::Xz | Compression::Lzma => {
                Box::new(LzmaStreams::new(io::BufReader::new(compressed))?)
            }
        })
    }
}

/// xz and lzma-alone streams one after another, as Python's `lzma.LZMAFile` (which joblib opens
/// for both) reads them: each stream in either format, whatever the magic bytes said, and bytes
/// after a stream that start no valid stream (xz stream padding included) taken as the end.
struct LzmaStreams<R: BufRead> {
    input: R,
    /// The stream being decoded; `None` once the last one ended.
    stream: Option<liblzma::stream::Stream>,
    /// Whether the current stream follows another and has produced nothing yet: an error there
    /// is trailing garbage, which Python ignores.
    trailing: bool,
}

impl<R: BufRead> LzmaStreams<R> {
    fn new(input: R) -> io::Result<Self> {
        Ok(LzmaStreams {
            input,
            stream: Some(Self::decoder()?),
            trailing: false,
        })
    }

    fn decoder() -> io::Result<liblzma::stream::Stream> {
        Ok(liblzma::stream::Stream::new_auto_decoder(
            LZMA_DECODER_MEMORY,
            0,
        )?)
    }
}

impl<R: BufRead> Read for LzmaStreams<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use liblzma::stream::{Action, Error, Status};
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let Some(stream) = &mut self.stream else {
                return Ok(0);
            };
            let input = self.input.fill_buf()?;
            let eof = input.is_empty();
            let (before_in, before_out) = (stream.total_in(), stream.total_out());
            let action = if eof { Action::Finish } else { Action::Run };
            let status = stream.process(input, buf, action);
            let consumed = usize::try_from(stream.total_in() - before_in).unwrap_or(usize::MAX);
            let produced = usize::try_from(stream.total_out() - before_out).unwrap_or(usize::MAX);
            self.input.consume(consumed);
            match status {
                Err(err) if self.trailing && produced == 0 && !matches!(err, Error::MemLimit) => {
                    self.stream = None;
                    return Ok(0);
                }
                Err(err) => return Err(err.into()),
                Ok(Status::StreamEnd) => {
                    self.stream = if self.input.fill_buf()?.is_empty() {
                        None
                    } else {
                        Some(Self::decoder()?)
                    };
                    self.trailing = true;
                    if produced > 0 {
                        return Ok(produced);
                    }
                }
                Ok(_) if produced > 0 => {
                    self.trailing = false;
                    return Ok(produced);
                }
                Ok(_) if eof => {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "compressed stream cut short",
                    ));
                }
                Ok(_) if consumed == 0 => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "the decoder makes no progress",
                    ));
                }
                Ok(_) => {}
            }
        }
    }
}

/// Whether a decoder's error is liblzma's memory limit.
fn is_lzma_memory_limit(err: &io::Error) -> bool {
    err.get_ref()
        .and_then(|e| e.downcast_ref::<liblzma::stream::Error>())
        .is_some_and(|e| matches!(e, liblzma::stream::Error::MemLimit))
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
    /// Decompress `compressed` (of `compressed_len` bytes) within `budget`.
    pub fn new<R: Read + 'a>(
        compression: Compression,
        compressed: R,
        compressed_len: u64,
        budget: Budget,
    ) -> io::Result<Self> {
        let ratio_allowance = compressed_len
            .saturating_mul(budget.ratio)
            .max(budget.ratio_floor);
        let (cap, cap_limit) = if ratio_allowance < budget.max_bytes {
            (ratio_allowance, "decompression ratio")
        } else {
            (budget.max_bytes, "decompressed size")
        };
        Ok(Decompressed {
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
        self.trip_at(self.cap_limit, self.cap_message())
    }

    fn trip_at(&mut self, limit: &'static str, message: String) -> io::Error {
        let err = ParseError::limit(limit, message);
        let io_err = io::Error::other(err.to_string());
        self.tripped = Some(err);
        io_err
    }

    /// A decoder error, told as the limit it is when it is one.
    fn decoder_error(&mut self, err: io::Error) -> io::Error {
        if is_lzma_memory_limit(&err) {
            let message = format!(
                "{} stream needs more than {} bytes of decoder memory (its dictionary)",
                self.compression.name(),
                LZMA_DECODER_MEMORY
            );
            return self.trip_at("lzma decoder memory", message);
        }
        corrupt(err)
    }

    fn cap_message(&self) -> String {
        if self.cap_limit == "decompression ratio" {
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
        }
    }
}

impl Read for Decompressed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(err) = &self.tripped {
            return Err(io::Error::other(err.to_string()));
        }
        let left = self.cap.saturating_sub(self.read);
        if left == 0 {
            // At the bound: only fine if the stream ends exactly here.
            let mut probe = [0u8; 1];
            let more = match self.decoder.read(&mut probe) {
                Ok(n) => n,
                Err(err) => return Err(self.decoder_error(err)),
            };
            if more == 0 {
                return Ok(0);
            }
            return Err(self.trip());
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = match self.decoder.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(err) => return Err(self.decoder_error(err)),
        };
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

    pub(crate) fn xz(data: &[u8]) -> Vec<u8> {
        let stream =
            liblzma::stream::Stream::new_easy_encoder(3, liblzma::stream::Check::Crc64).unwrap();
        let mut e = liblzma::write::XzEncoder::new_stream(Vec::new(), stream);
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// The legacy `.lzma` container, as Python's `lzma.compress(format=FORMAT_ALONE)` writes it.
    pub(crate) fn lzma(data: &[u8]) -> Vec<u8> {
        let options = liblzma::stream::LzmaOptions::new_preset(3).unwrap();
        let stream = liblzma::stream::Stream::new_lzma_encoder(&options).unwrap();
        let mut e = liblzma::write::XzEncoder::new_stream(Vec::new(), stream);
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
        assert_eq!(Compression::sniff(&xz(b"x")), Some(Compression::Xz));
        assert_eq!(Compression::sniff(&lzma(b"x")), Some(Compression::Lzma));
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
            (Compression::Xz, xz(&data)),
            (Compression::Lzma, lzma(&data)),
        ] {
            assert_eq!(
                read_all(compression, &bytes).unwrap(),
                data,
                "{compression:?}"
            );
        }
    }

    fn read_all(compression: Compression, bytes: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        Decompressed::new(compression, bytes, bytes.len() as u64, Budget::DEFAULT)?
            .read_to_end(&mut out)?;
        Ok(out)
    }

    /// As Python's `lzma.LZMAFile` reads them: streams one after another, in either format
    /// after the first, and trailing bytes that start no stream ignored.
    #[test]
    fn xz_and_lzma_streams_follow_one_another() {
        for (compression, encode) in [
            (Compression::Xz, xz as fn(&[u8]) -> Vec<u8>),
            (Compression::Lzma, lzma),
        ] {
            let mut bytes = encode(b"acme-first ");
            bytes.extend(lzma(b"acme-second "));
            bytes.extend(xz(b"acme-third"));
            assert_eq!(
                read_all(compression, &bytes).unwrap(),
                b"acme-first acme-second acme-third",
                "{compression:?}"
            );
            let mut bytes = encode(b"acme");
            bytes.extend(b"not a stream");
            assert_eq!(read_all(compression, &bytes).unwrap(), b"acme");
        }
    }

    /// A dictionary larger than the decoder may hold is a named limit, not an allocation.
    #[test]
    fn an_lzma_dictionary_past_the_memory_limit_is_a_limit() {
        // .lzma header: properties, a 1 GiB dictionary, unknown size; then range-coder bytes
        let mut bytes = vec![0x5d, 0x00, 0x00, 0x00, 0x40];
        bytes.extend([0xff; 8]);
        bytes.extend([0u8; 32]);
        assert_eq!(Compression::sniff(&bytes), Some(Compression::Lzma));
        let mut stream = Decompressed::new(
            Compression::Lzma,
            &bytes[..],
            bytes.len() as u64,
            Budget::DEFAULT,
        )
        .unwrap();
        assert!(io::copy(&mut stream, &mut io::sink()).is_err());
        let tripped = stream.tripped().unwrap();
        assert_eq!(tripped.limit, Some("lzma decoder memory"), "{tripped}");
        assert!(
            tripped.message.starts_with("lzma stream needs more than"),
            "{tripped}"
        );
    }

    #[test]
    fn a_bomb_stops_at_the_ratio_and_at_the_size_cap() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        for (compression, bomb) in [
            (Compression::Zlib, zlib(&zeros)),
            (Compression::Xz, xz(&zeros)),
            (Compression::Lzma, lzma(&zeros)),
        ] {
            let len = bomb.len() as u64;
            let mut stream =
                Decompressed::new(compression, &bomb[..], len, Budget::DEFAULT).unwrap();
            let err = io::copy(&mut stream, &mut io::sink()).unwrap_err();
            assert!(
                err.to_string().contains("[limit: decompression ratio]"),
                "{compression:?}: {err}"
            );
            assert_eq!(stream.tripped().unwrap().limit, Some("decompression ratio"));
            let allowed = (len * limits::DECOMPRESSION_RATIO).max(RATIO_FLOOR_BYTES);
            assert_eq!(stream.read, allowed, "{compression:?}");
        }
        let bomb = zlib(&zeros);
        let len = bomb.len() as u64;

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
        for (compression, good) in [
            (Compression::Zlib, zlib(b"\x80\x04N.")),
            (Compression::Xz, xz(b"\x80\x04N.")),
            (Compression::Lzma, lzma(b"\x80\x04N.")),
        ] {
            for cut in 0..good.len() {
                let whole = read_all(compression, &good[..cut]);
                assert!(whole.is_err() || cut == good.len(), "{compression:?} {cut}");
            }
            let mut flipped = good.clone();
            for i in 0..flipped.len() {
                flipped[i] ^= 0x55;
                let _ = read_all(compression, &flipped);
                flipped[i] ^= 0x55;
            }
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
