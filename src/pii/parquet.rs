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
use std::panic::AssertUnwindSafe;
use std::path::Path;

use parquet::basic::{ConvertedType, LogicalType, Type as PhysicalType};
use parquet::column::reader::ColumnReader;
use parquet::data_type::ByteArray;
use parquet::file::reader::{ChunkReader, FileReader, SerializedFileReader};

use super::stream::Hit;
use super::{Collector, FileReport, Match, detect};

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
/// attacker may have crafted: a panic in it is contained and reported as an error (matches
/// already passed to `visit` stay passed, as after a read error in a text file).
fn scan_source<R: ChunkReader + 'static>(
    source: R,
    visit: &mut dyn FnMut(&Match<'_>),
) -> io::Result<FileReport> {
    std::panic::catch_unwind(AssertUnwindSafe(|| decode(source, visit))).unwrap_or_else(|_| {
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the Parquet decoder failed on this file",
        ))
    })
}

fn decode<R: ChunkReader + 'static>(
    source: R,
    visit: &mut dyn FnMut(&Match<'_>),
) -> io::Result<FileReport> {
    let bytes = source.len();
    crate::artifact::corpus::check_parquet_footer(&source).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("invalid Parquet footer: {e}"),
        )
    })?;
    let reader = SerializedFileReader::new(source).map_err(io::Error::other)?;
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
            let (packed, unpacked) = (column.compressed_size(), column.uncompressed_size());
            let offset = column
                .dictionary_page_offset()
                .unwrap_or(column.data_page_offset());
            if offset < 0 || packed < 0 || unpacked < 0 {
                // The decoder asserts these are not negative.
                limit.get_or_insert_with(|| {
                    format!(
                        "column `{}` declares a negative offset or size; it was skipped",
                        descr.name()
                    )
                });
                continue;
            }
            let bomb = unpacked > 1024 * 1024 && unpacked > packed.saturating_mul(CHUNK_RATIO);
            if unpacked > CHUNK_BYTES || bomb {
                limit.get_or_insert_with(|| {
                    format!(
                        "column `{}` declares {unpacked} bytes decompressed from {packed}; it \
                         was skipped [limit: parquet column chunk]",
                        descr.name()
                    )
                });
                continue;
            }
            let name = descr.name().as_bytes().to_vec();
            let result = group
                .get_column_reader(c)
                .and_then(|r| scan_column(r, descr, &name, &mut hits));
            if let Err(e) = result {
                limit.get_or_insert_with(|| {
                    format!(
                        "column `{}` could not be decoded ({e}; compression {:?}); it was skipped",
                        descr.name(),
                        column.compression()
                    )
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
