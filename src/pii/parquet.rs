//! Parquet: string columns (BYTE_ARRAY annotated UTF8/STRING, ENUM or JSON), decoded row group
//! by row group and column by column in batches, so memory is bounded by one batch of values,
//! not by the file. Numeric columns (embeddings, token ids) are never decoded. The column name
//! is context for hotwords (a `dob` column). Line numbers are 1-based row numbers.
//!
//! Column chunks may be uncompressed or compressed with Snappy, gzip, zstd, LZ4 or Brotli. A
//! chunk that cannot be decoded (another codec, corrupt pages) or that declares more than
//! [`CHUNK_BYTES`] decompressed or a ratio above [`CHUNK_RATIO`] is skipped, and the report's
//! `limit` says so instead of failing the scan.

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{ConvertedType, LogicalType, Type as PhysicalType};
use parquet::column::reader::ColumnReader;
use parquet::data_type::ByteArray;
use parquet::file::reader::{ChunkReader, FileReader, Length, SerializedFileReader};

use super::stream::Hit;
use super::{Collector, FileReport, Match, detect};
use crate::artifact::contain::contain;
use crate::artifact::thrift;

const BATCH: usize = 1024;
/// A string column chunk that declares more bytes than this once decompressed is not read.
pub const CHUNK_BYTES: i64 = 512 * 1024 * 1024;
/// Nor is one that declares a compression ratio above this (a decompression bomb).
pub const CHUNK_RATIO: i64 = 200;

fn is_text_column(descr: &parquet::schema::types::ColumnDescriptor) -> bool {
    descr.physical_type() == PhysicalType::BYTE_ARRAY
        && (matches!(
            descr.converted_type(),
            ConvertedType::UTF8 | ConvertedType::ENUM | ConvertedType::JSON
        ) || matches!(
            descr.logical_type_ref(),
            Some(LogicalType::String | LogicalType::Enum | LogicalType::Json)
        ))
}

pub fn scan(path: &Path, visit: &mut dyn FnMut(&Match<'_>)) -> io::Result<FileReport> {
    scan_source(File::open(path)?, visit)
}

/// [`scan`] on a Parquet file held in memory.
pub fn scan_bytes(data: &[u8], visit: &mut dyn FnMut(&Match<'_>)) -> io::Result<FileReport> {
    scan_source(bytes::Bytes::copy_from_slice(data), visit)
}

/// The scan of a file or of bytes in memory. The Parquet decoder reads footers and pages an
/// attacker may have crafted: its Thrift is checked before it decodes any (the footer, and
/// every page header of a column it reads), and a panic in it is contained: in a column, the
/// column is skipped and named; elsewhere, the file is reported as not decoded. Matches already
/// passed to `visit` stay passed, as after a read error in a text file.
fn scan_source<R: ChunkReader + 'static>(
    source: R,
    visit: &mut dyn FnMut(&Match<'_>),
) -> io::Result<FileReport> {
    contain(|| decode(Shared(Arc::new(source)), visit)).unwrap_or_else(|at| {
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the Parquet decoder failed on this file ({at})"),
        ))
    })
}

fn decode<R: ChunkReader + 'static>(
    source: Shared<R>,
    visit: &mut dyn FnMut(&Match<'_>),
) -> io::Result<FileReport> {
    let bytes = source.len();
    crate::artifact::corpus::check_parquet_footer(&source).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("invalid Parquet footer: {e}"),
        )
    })?;
    let reader = SerializedFileReader::new(source.clone()).map_err(io::Error::other)?;
    let mut collector = Collector::default();
    let mut rows_before = 0u64;
    let mut limit = None;
    let mut hits: Vec<(u64, Hit)> = Vec::new();
    for g in 0..reader.num_row_groups() {
        let group = reader.get_row_group(g).map_err(io::Error::other)?;
        let meta = group.metadata();
        let group_rows = u64::try_from(meta.num_rows()).unwrap_or(0);
        hits.clear();
        for c in 0..group.num_columns() {
            let column = meta.column(c);
            let descr = column.column_descr();
            if !is_text_column(descr) {
                continue;
            }
            let skip = |why: String| format!("column `{}` {why}; it was skipped", descr.name());
            let (packed, unpacked) = (column.compressed_size(), column.uncompressed_size());
            let offset = column
                .dictionary_page_offset()
                .unwrap_or(column.data_page_offset());
            let (Ok(start), Ok(len), true) =
                (u64::try_from(offset), u64::try_from(packed), unpacked >= 0)
            else {
                // The decoder asserts these are not negative.
                limit.get_or_insert_with(|| skip("declares a negative offset or size".into()));
                continue;
            };
            if let Err(why) = too_large(packed, unpacked) {
                limit.get_or_insert_with(|| skip(why));
                continue;
            }
            if let Err(why) = check_pages(&source, start, len) {
                limit.get_or_insert_with(|| skip(why));
                continue;
            }
            let name = descr.name().as_bytes().to_vec();
            let result = contain(|| {
                group
                    .get_column_reader(c)
                    .and_then(|r| scan_column(r, descr, &name, &mut hits))
                    .map_err(|e| e.to_string())
            })
            .and_then(|decoded| decoded);
            if let Err(e) = result {
                limit.get_or_insert_with(|| {
                    skip(format!(
                        "could not be decoded ({e}; compression {:?})",
                        column.compression()
                    ))
                });
            }
        }
        // Rows in order, columns in schema order within a row.
        hits.sort_by_key(|(row, _)| *row);
        for (row, h) in &hits {
            collector.hit(h, rows_before + row + 1, visit);
        }
        rows_before += group_rows;
    }
    Ok(FileReport {
        by_type: collector.finish(),
        bytes_scanned: bytes,
        records: rows_before,
        limit,
    })
}

/// A column chunk, or a page, declaring more than [`CHUNK_BYTES`] decompressed, or a ratio
/// above [`CHUNK_RATIO`] past 1 MiB (a decompression bomb), is not decompressed.
fn too_large(packed: i64, unpacked: i64) -> Result<(), String> {
    let bomb = unpacked > 1024 * 1024 && unpacked > packed.saturating_mul(CHUNK_RATIO);
    if unpacked > CHUNK_BYTES || bomb {
        return Err(format!(
            "declares {unpacked} bytes decompressed from {packed} [limit: parquet column chunk]"
        ));
    }
    Ok(())
}

/// A page header is read in prefixes growing from this size up to the rest of the chunk.
const HEADER_PREFIX: usize = 4096;

/// Walks the page headers of the column chunk at `start..start + len` before the decoder reads
/// them: each must be Thrift whose counts its bytes can back (a decoder skipping a crafted
/// boolean list loops once per declared element), must declare a page that fits in the chunk,
/// and must not declare a page that [`too_large`] refuses (the decoder allocates the declared
/// size). Work is linear in the chunk: each page takes at least its header's bytes.
fn check_pages<R: ChunkReader>(source: &R, start: u64, len: u64) -> Result<(), String> {
    let mut at = 0u64;
    while at < len {
        let left = len - at;
        let mut want = HEADER_PREFIX as u64;
        let sizes = loop {
            let take = want.min(left);
            let prefix = source
                .get_bytes(start + at, take as usize)
                .map_err(|e| format!("could not be read ({e})"))?;
            match thrift::page_header(&prefix) {
                Ok(Some(sizes)) => break sizes,
                Ok(None) if take < left => want = want.saturating_mul(16),
                Ok(None) => {
                    return Err(format!(
                        "has a page header at byte {} that runs past the chunk",
                        start + at
                    ));
                }
                Err(e) => {
                    return Err(format!(
                        "has an invalid page header at byte {} ({e})",
                        start + at
                    ));
                }
            }
        };
        let data = u64::try_from(sizes.compressed).ok().filter(|data| {
            data.checked_add(sizes.header as u64)
                .is_some_and(|page| page <= left)
        });
        let Some(data) = data.filter(|_| sizes.uncompressed >= 0) else {
            return Err(format!(
                "has a page at byte {} declaring {} bytes ({} decompressed) where {left} are left",
                start + at,
                sizes.compressed,
                sizes.uncompressed
            ));
        };
        too_large(sizes.compressed, sizes.uncompressed)
            .map_err(|why| format!("has a page at byte {} that {why}", start + at))?;
        at += sizes.header as u64 + data;
    }
    Ok(())
}

/// A source shared between the decoder and [`check_pages`].
struct Shared<R>(Arc<R>);

impl<R> Clone for Shared<R> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<R: ChunkReader> Length for Shared<R> {
    fn len(&self) -> u64 {
        self.0.len()
    }
}

impl<R: ChunkReader> ChunkReader for Shared<R> {
    type T = R::T;

    fn get_read(&self, start: u64) -> parquet::errors::Result<R::T> {
        self.0.get_read(start)
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<bytes::Bytes> {
        self.0.get_bytes(start, length)
    }
}

fn scan_column(
    reader: ColumnReader,
    descr: &parquet::schema::types::ColumnDescriptor,
    name: &[u8],
    hits: &mut Vec<(u64, Hit)>,
) -> parquet::errors::Result<()> {
    let ColumnReader::ByteArrayColumnReader(mut typed) = reader else {
        return Ok(());
    };
    let (max_def, max_rep) = (descr.max_def_level(), descr.max_rep_level());
    let mut values: Vec<ByteArray> = Vec::with_capacity(BATCH);
    let mut defs: Vec<i16> = Vec::with_capacity(BATCH);
    let mut reps: Vec<i16> = Vec::with_capacity(BATCH);
    let mut row_base = 0u64;
    loop {
        values.clear();
        defs.clear();
        reps.clear();
        let (records, values_read, levels_read) =
            typed.read_records(BATCH, Some(&mut defs), Some(&mut reps), &mut values)?;
        if records == 0 && values_read == 0 && levels_read == 0 {
            return Ok(());
        }
        // The row of each value: levels give it when the column is optional or repeated.
        let mut rows = Vec::with_capacity(values_read);
        if max_def == 0 && max_rep == 0 {
            rows.extend((0..values_read as u64).map(|i| row_base + i));
        } else {
            let mut row: i64 = -1;
            for l in 0..levels_read {
                if max_rep == 0 || reps.get(l) == Some(&0) {
                    row += 1;
                }
                if defs.get(l) == Some(&max_def) {
                    rows.push(row_base + row.max(0) as u64);
                }
            }
        }
        for (v, row) in values.iter().zip(rows) {
            let text = v.data();
            detect::detect(text, 0, text.len(), name, &mut |f| {
                hits.push((
                    row,
                    Hit {
                        kind: f.kind,
                        normalized: f.normalized,
                        line: row,
                        synthetic: f.synthetic,
                    },
                ));
            });
        }
        row_base += records as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::{CHUNK_BYTES, check_pages};

    /// A page header: type DATA_PAGE, then the two sizes (zigzag varints), then stop.
    fn header(uncompressed: u64, compressed: u64) -> Vec<u8> {
        let mut out = vec![0x15, 0x00];
        for size in [uncompressed, compressed] {
            out.push(0x15);
            let mut n = size << 1;
            while n >= 0x80 {
                out.push((n as u8 & 0x7f) | 0x80);
                n >>= 7;
            }
            out.push(n as u8);
        }
        out.push(0x00);
        out
    }

    fn check(pages: &[(u64, u64)]) -> Result<(), String> {
        let mut chunk = Vec::new();
        for &(uncompressed, compressed) in pages {
            chunk.extend(header(uncompressed, compressed));
            chunk.extend(std::iter::repeat_n(0u8, compressed as usize));
        }
        let len = chunk.len() as u64;
        // The chunk starts 3 bytes into the source, as after a file's magic.
        let mut source = b"PAR".to_vec();
        source.extend(chunk);
        check_pages(&bytes::Bytes::from(source), 3, len)
    }

    #[test]
    fn pages_that_fit_their_chunk_and_limits_pass() {
        assert_eq!(check(&[(10, 10), (5000, 4000), (0, 0)]), Ok(()));
        // A header longer than the first prefix read is read whole.
        let mut chunk = vec![0x15, 0x00, 0x15, 0x02, 0x15, 0x00, 0x18, 0xa0, 0x9c, 0x01];
        chunk.extend(std::iter::repeat_n(b'x', 20_000));
        chunk.push(0x00);
        let len = chunk.len() as u64;
        assert_eq!(check_pages(&bytes::Bytes::from(chunk), 0, len), Ok(()));
    }

    #[test]
    fn pages_past_their_chunk_or_over_the_limits_are_refused() {
        // The page declares more data than the chunk has left.
        let mut chunk = header(100, 100);
        chunk.extend([0u8; 50]);
        let len = chunk.len() as u64;
        let err = check_pages(&bytes::Bytes::from(chunk), 0, len).unwrap_err();
        assert!(err.contains("declaring 100 bytes"), "{err}");
        // The decoder would allocate the declared decompressed size.
        let err = check(&[(CHUNK_BYTES as u64 + 1, 10)]).unwrap_err();
        assert!(err.contains("[limit: parquet column chunk]"), "{err}");
        let err = check(&[(2 << 20, 1000)]).unwrap_err();
        assert!(err.contains("[limit: parquet column chunk]"), "{err}");
        // A header cut by the chunk's end.
        let err = check_pages(&bytes::Bytes::from(header(5, 5)), 0, 3).unwrap_err();
        assert!(err.contains("runs past the chunk"), "{err}");
    }
}
