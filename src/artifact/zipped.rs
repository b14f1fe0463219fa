//! Zip containers: torch `.pt`/`.bin` zip checkpoints, Keras `.keras` and NumPy `.npz`.
//!
//! Zip archives are the usual carrier of decompression bombs and of sizes that lie, so every
//! entry is read here, through one bounded reader: the number of entries is capped
//! ([`limits::ZIP_ENTRIES`]), each read has a byte cap chosen by the caller, all reads of one
//! archive share a budget ([`limits::ZIP_ENTRY_READ_BYTES`]), and an entry that inflates more than
//! [`limits::ZIP_RATIO`] times its compressed size is cut off. Declared sizes are never used to
//! allocate. CRCs are not enforced: PyTorch's own reader does not check them either, and a
//! scanner that rejects what the loader accepts can be bypassed.
//!
//! This module must never extract to disk, follow entry paths, or decompress without a bound.
use super::pickle::{self, PickleScan};
use super::{ParseError, ParseResult, limits};
use serde::Serialize;
use std::io::{self, Read, Seek};
use zip::read::ZipReadOptions;

/// Entries may inflate this much whatever their compressed size, so that tiny well-compressed
/// entries (a `config.json` of zeros) are not mistaken for bombs.
pub const ZIP_RATIO_FLOOR_BYTES: u64 = 1024 * 1024;

/// True when a file starts with a zip local header (`PK\x03\x04`) or is an empty archive.
pub fn is_zip(prefix: &[u8]) -> bool {
    prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(b"PK\x05\x06")
}

/// An open zip archive whose entries can only be read through bounds.
pub struct ZipContainer<R> {
    archive: zip::ZipArchive<R>,
    /// Bytes that may still be read from this archive, over all entries.
    budget: u64,
    /// Entries whose declared size exceeds the limits: (entry name, what it claims).
    suspicious_claims: Vec<(String, String)>,
}

impl<R: Read + Seek> ZipContainer<R> {
    /// Read the central directory and check the entry count.
    pub fn open(reader: R) -> ParseResult<Self> {
        let archive = zip::ZipArchive::new(reader)
            .map_err(|e| ParseError::new(format!("invalid zip archive: {e}")))?;
        if archive.len() > limits::ZIP_ENTRIES {
            return Err(ParseError::limit(
                "zip entries",
                format!(
                    "zip archive has {} entries, more than {}",
                    archive.len(),
                    limits::ZIP_ENTRIES
                ),
            ));
        }
        Ok(ZipContainer {
            archive,
            budget: limits::ZIP_ENTRY_READ_BYTES,
            suspicious_claims: Vec::new(),
        })
    }

    pub fn len(&self) -> usize {
        self.archive.len()
    }

    pub fn is_empty(&self) -> bool {
        self.archive.is_empty()
    }

    /// Entry names in archive order (non-UTF-8 bytes replaced).
    pub fn names(&self) -> Vec<String> {
        self.archive
            .file_names_raw()
            .map(|raw| String::from_utf8_lossy(raw).into_owned())
            .collect()
    }

    /// Two central-directory entries share a name; only one of them can be read here, and a
    /// loader may pick the other.
    pub fn has_duplicate_names(&self) -> bool {
        self.archive.has_duplicate_names()
    }

    pub fn index_for_name(&self, name: &str) -> Option<usize> {
        self.archive.index_for_name(name)
    }

    /// Bytes left in this archive's read budget.
    pub fn budget_left(&self) -> u64 {
        self.budget
    }

    /// Read a whole entry into memory. Fails, before reading anything, when the entry declares
    /// more than `max_bytes` or a compression ratio above [`limits::ZIP_RATIO`]; and fails while
    /// reading when the data turns out larger than declared.
    pub fn read_entry(&mut self, index: usize, max_bytes: u64) -> ParseResult<Vec<u8>> {
        let (declared, compressed) = {
            let entry = self
                .archive
                .by_index_data(index)
                .map_err(|e| entry_error(index, e))?;
            (entry.size(), entry.compressed_size())
        };
        if declared > max_bytes {
            return Err(ParseError::limit(
                "zip entry size",
                format!("zip entry {index} declares {declared} bytes, more than {max_bytes}"),
            ));
        }
        if declared > ratio_allowance(compressed) {
            return Err(ParseError::limit(
                "zip ratio",
                format!(
                    "zip entry {index} declares {declared} bytes from {compressed} compressed \
                     (ratio above {})",
                    limits::ZIP_RATIO
                ),
            ));
        }
        self.with_entry(index, max_bytes, |reader, declared| {
            let mut out = Vec::with_capacity(declared.min(64 * 1024) as usize);
            reader.read_to_end(&mut out)?;
            Ok(out)
        })
    }

    /// Read a whole entry found by name; `Ok(None)` when there is no such entry.
    pub fn read_named(&mut self, name: &str, max_bytes: u64) -> ParseResult<Option<Vec<u8>>> {
        match self.index_for_name(name) {
            Some(index) => self.read_entry(index, max_bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Stream an entry through `read`, which gets a bounded reader and the entry's declared
    /// (untrusted) uncompressed size. At most `max_bytes` (and what is left of the archive
    /// budget) can be read; more, or an inflation above the ratio limit, is an error naming the
    /// limit.
    /// Entries read so far whose declared size exceeded the limits, with what they claim.
    pub fn take_suspicious_claims(&mut self) -> Vec<(String, String)> {
        std::mem::take(&mut self.suspicious_claims)
    }

    pub fn with_entry<T>(
        &mut self,
        index: usize,
        max_bytes: u64,
        read: impl FnOnce(&mut dyn Read, u64) -> ParseResult<T>,
    ) -> ParseResult<T> {
        if self.budget == 0 {
            return Err(budget_error());
        }
        let options = ZipReadOptions::new().ignore_crc32(true);
        let entry = self
            .archive
            .by_index_with_options(index, options)
            .map_err(|e| entry_error(index, e))?;
        if entry.encrypted() {
            return Err(ParseError::new(format!("zip entry {index} is encrypted")));
        }
        let declared = entry.size();
        let ratio_allowance = ratio_allowance(entry.compressed_size());
        let (cap, cap_limit) = if self.budget < max_bytes {
            (self.budget, "zip read budget")
        } else {
            (max_bytes, "zip entry size")
        };
        // A declared size is never trusted for allocation, and reading goes by the real bytes;
        // but a claim past the limits is a bomb or a parser-differential trick, so it is
        // recorded for the caller to report.
        if declared > cap || declared > ratio_allowance {
            let name = entry
                .name()
                .map_or_else(|_| format!("entry {index}"), |n| n.into_owned());
            let limit = if declared > ratio_allowance {
                "zip ratio"
            } else {
                cap_limit
            };
            self.suspicious_claims.push((
                name,
                format!(
                    "claims {declared} bytes uncompressed from {} compressed (limits: {cap} bytes, ratio {}:1) [limit: {limit}]",
                    entry.compressed_size(),
                    limits::ZIP_RATIO
                ),
            ));
        }
        let mut bounded = BoundedEntry {
            inner: entry,
            read: 0,
            cap,
            cap_limit,
            ratio_allowance,
            tripped: None,
        };
        let result = read(&mut bounded, declared);
        self.budget = self.budget.saturating_sub(bounded.read);
        match (result, bounded.tripped) {
            (Err(_), Some((limit, message))) => Err(ParseError::limit(limit, message)),
            (result, _) => result,
        }
    }
}

/// How many bytes an entry of `compressed` bytes may inflate to.
fn ratio_allowance(compressed: u64) -> u64 {
    compressed
        .saturating_mul(limits::ZIP_RATIO)
        .max(ZIP_RATIO_FLOOR_BYTES)
}

fn budget_error() -> ParseError {
    ParseError::limit(
        "zip read budget",
        format!(
            "more than {} bytes read from one zip archive",
            limits::ZIP_ENTRY_READ_BYTES
        ),
    )
}

fn entry_error(index: usize, err: zip::result::ZipError) -> ParseError {
    ParseError::new(format!("cannot read zip entry {index}: {err}"))
}

/// A reader over one entry that stops at a byte cap and at the compression-ratio allowance.
struct BoundedEntry<Z> {
    inner: Z,
    read: u64,
    cap: u64,
    cap_limit: &'static str,
    ratio_allowance: u64,
    tripped: Option<(&'static str, String)>,
}

impl<Z: Read> BoundedEntry<Z> {
    fn trip(&mut self, limit: &'static str, message: String) -> io::Error {
        let err = io::Error::other(format!("{message} [limit: {limit}]"));
        self.tripped = Some((limit, message));
        err
    }
}

impl<Z: Read> Read for BoundedEntry<Z> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some((limit, message)) = &self.tripped {
            return Err(io::Error::other(format!("{message} [limit: {limit}]")));
        }
        let allowed = self.cap.min(self.ratio_allowance);
        let left = allowed.saturating_sub(self.read);
        if left == 0 {
            // At the bound: only fine if the entry ends exactly here.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            return Err(if self.ratio_allowance < self.cap {
                let message = format!(
                    "zip entry inflates beyond {} times its compressed size",
                    limits::ZIP_RATIO
                );
                self.trip("zip ratio", message)
            } else {
                let message = format!("zip entry larger than {} bytes", self.cap);
                let limit = self.cap_limit;
                self.trip(limit, message)
            });
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.read += n as u64;
        Ok(n)
    }
}

/// A torch zip checkpoint: every `.pkl` entry walked (`*/data.pkl`, `constants.pkl` …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TorchZipScan {
    pub entries: usize,
    /// Pickle entries by name, each with its walk, in archive order.
    pub pickles: Vec<(String, PickleScan)>,
    /// TorchScript archives carry `code/` entries.
    pub torchscript: bool,
    /// Entries that share a name (a loader may read one this scan did not).
    pub duplicate_names: bool,
    /// Pickle entries that could not be walked, with the reason. The scan itself fails only when
    /// no pickle entry could be walked at all.
    pub errors: Vec<(String, String)>,
}

/// Walk every `.pkl` entry of a torch zip checkpoint.
pub fn scan_torch_zip<R: Read + Seek>(reader: R) -> ParseResult<TorchZipScan> {
    let mut zip = ZipContainer::open(reader)?;
    let names = zip.names();
    let mut scan = TorchZipScan {
        entries: names.len(),
        duplicate_names: zip.has_duplicate_names(),
        ..TorchZipScan::default()
    };
    let mut first_error = None;
    for (index, name) in names.iter().enumerate() {
        if name.starts_with("code/") || name.contains("/code/") {
            scan.torchscript = true;
        }
        if !name.ends_with(".pkl") {
            continue;
        }
        match zip.with_entry(index, limits::PICKLE_BYTES, |reader, _| {
            pickle::scan(reader)
        }) {
            Ok(walk) => scan.pickles.push((name.clone(), walk)),
            Err(err) => {
                scan.errors.push((name.clone(), err.to_string()));
                first_error.get_or_insert(err);
            }
        }
    }
    let claims = zip.take_suspicious_claims();
    match first_error {
        // The claims say why the entries could not be walked (a bomb), so they stay in the error.
        Some(mut err) if scan.pickles.is_empty() => {
            for (name, claim) in claims {
                err.message = format!("{}; entry {name} {claim}", err.message);
            }
            Err(err)
        }
        _ => {
            scan.errors.extend(claims);
            Ok(scan)
        }
    }
}

/// Entry names of a zip archive, in archive order.
pub fn entry_names<R: Read + Seek>(reader: R) -> ParseResult<Vec<String>> {
    Ok(ZipContainer::open(reader)?.names())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::CompressionMethod;
    use zip::write::{SimpleFileOptions, ZipWriter};

    /// Build a zip in memory; `deflate` compresses every entry.
    pub(crate) fn build_zip(entries: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let method = if deflate {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    const OS_SYSTEM: &[u8] = b"\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85q\x02Rq\x03.";
    const REBUILD: &[u8] = b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\nq\x00)Rq\x01.";

    #[test]
    fn is_zip_sniffs_both_headers() {
        assert!(is_zip(b"PK\x03\x04rest"));
        assert!(is_zip(b"PK\x05\x06"));
        assert!(!is_zip(b"PK\x01\x02"));
        assert!(!is_zip(b"\x80\x02"));
    }

    #[test]
    fn torch_zip_pickles_are_walked() {
        let bytes = build_zip(
            &[
                ("archive/data.pkl", REBUILD),
                ("archive/data/0", &[0u8; 64]),
                ("archive/version", b"3\n"),
                ("archive/constants.pkl", OS_SYSTEM),
            ],
            false,
        );
        let scan = scan_torch_zip(Cursor::new(bytes)).unwrap();
        assert_eq!(scan.entries, 4);
        assert!(!scan.torchscript);
        assert!(scan.errors.is_empty());
        let names: Vec<_> = scan.pickles.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["archive/data.pkl", "archive/constants.pkl"]);
        assert_eq!(scan.pickles[0].1.dangerous().count(), 0);
        assert_eq!(scan.pickles[1].1.dangerous().count(), 1);
    }

    #[test]
    fn torchscript_is_detected_and_deflated_entries_read() {
        let bytes = build_zip(
            &[
                ("m/code/__torch__.py", b"def f(): pass"),
                ("m/data.pkl", REBUILD),
            ],
            true,
        );
        let scan = scan_torch_zip(Cursor::new(bytes)).unwrap();
        assert!(scan.torchscript);
        assert_eq!(scan.pickles.len(), 1);
    }

    #[test]
    fn a_bad_pickle_entry_is_remembered_and_others_still_scanned() {
        let bytes = build_zip(
            &[("a/data.pkl", b"not a pickle"), ("a/extra.pkl", OS_SYSTEM)],
            false,
        );
        let scan = scan_torch_zip(Cursor::new(bytes)).unwrap();
        assert_eq!(scan.errors.len(), 1);
        assert_eq!(scan.errors[0].0, "a/data.pkl");
        assert_eq!(scan.pickles.len(), 1);
        let only_bad = build_zip(&[("a/data.pkl", b"not a pickle")], false);
        assert!(scan_torch_zip(Cursor::new(only_bad)).is_err());
    }

    #[test]
    fn garbage_and_truncated_archives_are_errors() {
        assert!(scan_torch_zip(Cursor::new(b"PK\x03\x04garbage".to_vec())).is_err());
        let bytes = build_zip(&[("a/data.pkl", REBUILD)], false);
        for cut in [10, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                scan_torch_zip(Cursor::new(bytes[..cut].to_vec())).is_err(),
                "{cut}"
            );
        }
    }

    #[test]
    fn bombs_are_cut_off_by_the_ratio() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let bytes = build_zip(&[("bomb.bin", &zeros)], true);
        let mut zip = ZipContainer::open(Cursor::new(bytes)).unwrap();
        // declared sizes are checked before reading a whole entry
        let err = zip.read_entry(0, u64::MAX).unwrap_err();
        assert_eq!(err.limit, Some("zip ratio"));
        // and streamed reads stop at the allowance
        let err = zip
            .with_entry(0, u64::MAX, |r, _| {
                io::copy(r, &mut io::sink())?;
                Ok(())
            })
            .unwrap_err();
        assert_eq!(err.limit, Some("zip ratio"));
        // a short prefix of the same entry is fine
        let head = zip
            .with_entry(0, u64::MAX, |r, _| {
                let mut buf = [1u8; 16];
                r.read_exact(&mut buf)?;
                Ok(buf)
            })
            .unwrap();
        assert_eq!(head, [0u8; 16]);
    }

    #[test]
    fn entry_size_cap_is_enforced() {
        let data = vec![7u8; 5000];
        let bytes = build_zip(&[("x", &data)], false);
        let mut zip = ZipContainer::open(Cursor::new(bytes)).unwrap();
        assert_eq!(
            zip.read_entry(0, 4999).unwrap_err().limit,
            Some("zip entry size")
        );
        assert_eq!(zip.read_entry(0, 5000).unwrap().len(), 5000);
        let err = zip
            .with_entry(0, 100, |r, _| {
                io::copy(r, &mut io::sink())?;
                Ok(())
            })
            .unwrap_err();
        assert_eq!(err.limit, Some("zip entry size"));
        assert_eq!(zip.read_named("missing", 10).unwrap(), None);
    }

    /// An entry whose headers claim 3 GB: rejected from the declared size, never allocated.
    #[test]
    fn lying_declared_sizes_are_rejected() {
        let bytes = build_zip(&[("big.pkl", REBUILD)], false);
        let patched = patch_sizes(bytes, 3 * 1024 * 1024 * 1024);
        let mut zip = ZipContainer::open(Cursor::new(patched.clone())).unwrap();
        let err = zip.read_entry(0, limits::TEXT_BYTES).unwrap_err();
        assert_eq!(err.limit, Some("zip entry size"));
        // streaming reads see only the real bytes
        let scan = scan_torch_zip(Cursor::new(patched)).unwrap();
        assert_eq!(scan.pickles[0].1.globals.len(), 1);
    }

    /// Rewrite the uncompressed size in every local and central header.
    fn patch_sizes(mut bytes: Vec<u8>, size: u64) -> Vec<u8> {
        let value = u32::try_from(size).unwrap().to_le_bytes();
        let mut i = 0;
        while i + 46 <= bytes.len() {
            if bytes[i..].starts_with(b"PK\x03\x04") {
                bytes[i + 22..i + 26].copy_from_slice(&value);
            } else if bytes[i..].starts_with(b"PK\x01\x02") {
                bytes[i + 24..i + 28].copy_from_slice(&value);
            }
            i += 1;
        }
        bytes
    }

    #[test]
    fn the_archive_budget_is_shared() {
        let data = vec![1u8; 1000];
        let bytes = build_zip(&[("a", &data), ("b", &data)], false);
        let mut zip = ZipContainer::open(Cursor::new(bytes)).unwrap();
        zip.budget = 1500;
        assert_eq!(zip.read_entry(0, 1000).unwrap().len(), 1000);
        assert_eq!(zip.budget_left(), 500);
        let err = zip.read_entry(1, 1000).unwrap_err();
        assert_eq!(err.limit, Some("zip read budget"));
    }

    #[test]
    fn entry_count_is_limited() {
        let names: Vec<String> = (0..=limits::ZIP_ENTRIES).map(|i| format!("{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let bytes = build_zip(&entries, false);
        let err = scan_torch_zip(Cursor::new(bytes)).err().unwrap();
        assert_eq!(err.limit, Some("zip entries"));
    }

    #[test]
    fn entry_names_and_duplicates() {
        let bytes = build_zip(&[("b/x.npy", b"1"), ("a.json", b"{}")], false);
        assert_eq!(
            entry_names(Cursor::new(bytes)).unwrap(),
            ["b/x.npy", "a.json"]
        );
        assert!(entry_names(Cursor::new(b"nope".to_vec())).is_err());
    }
}
