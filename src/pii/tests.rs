//! Whole-engine tests: formats, streaming, parallel determinism, hostile input.

use super::*;
use std::io::Write;

fn collect(bytes: &[u8], format: CorpusFormat) -> (FileReport, Vec<(PiiType, String, u64, bool)>) {
    let mut seen = Vec::new();
    let report = scan_bytes(bytes, format, &mut |m| {
        seen.push((m.kind, m.normalized.to_string(), m.line, m.synthetic))
    });
    (report, seen)
}

#[test]
fn jsonl_scans_string_values_only() {
    let corpus = concat!(
        r#"{"messages":[{"role":"user","content":"I'm jane@acme-mail.com, card 4556 7375 8689 9855"}]}"#,
        "\n",
        r#"{"embedding":[0.0123, 4556737586899855, 2125550142], "ids":[101, 2023], "ts":1696517280123}"#,
        "\n",
        r#"{"version":"81.2.69.160","text":"from 81.2.69.160 ok"}"#,
        "\n",
        r#"{"text":"mail me: bob\u0040acme-mail.com or \"x@example.com\""}"#,
        "\n"
    );
    let (report, seen) = collect(corpus.as_bytes(), CorpusFormat::Jsonl);
    assert_eq!(report.records, 4);
    let kinds: Vec<_> = seen.iter().map(|s| (s.0, s.2, s.3)).collect();
    assert_eq!(
        kinds,
        vec![
            (PiiType::Email, 1, false),
            (PiiType::PaymentCard, 1, false),
            (PiiType::IpAddress, 3, false),
            (PiiType::Email, 4, false),
            (PiiType::Email, 4, true),
        ]
    );
    assert_eq!(seen[3].1, "bob@acme-mail.com");
    let email = &report.by_type[&PiiType::Email];
    assert_eq!((email.count, email.synthetic), (2, 1));
    assert_eq!(email.first_lines, vec![1, 4]);
    // Real values found: the documentation value is counted but neither listed nor sampled.
    assert_eq!(email.samples, vec!["j***@a***.com", "b***@a***.com"]);
    let (docs_only, _) = collect(b"write to x@example.com\n", CorpusFormat::Text);
    let email = &docs_only.by_type[&PiiType::Email];
    assert_eq!((email.count, email.synthetic), (0, 1));
    assert_eq!(email.first_lines, vec![1]);
    assert_eq!(email.samples, vec!["x***@e***.com"]);
}

#[test]
fn csv_and_text() {
    let csv = "name,phone,note\nacme,+44 7911 123456,\"call 020 7946 0123\"\nx,\"4111-1111-1111-1111\",y\n";
    let (report, _) = collect(csv.as_bytes(), CorpusFormat::Csv);
    assert_eq!(report.by_type[&PiiType::Phone].count, 1);
    assert_eq!(report.by_type[&PiiType::Phone].synthetic, 1);
    assert_eq!(report.by_type[&PiiType::PaymentCard].synthetic, 1);
    assert_eq!(report.by_type[&PiiType::Phone].first_lines, vec![2]);
    let (empty, _) = collect(b"", CorpusFormat::Text);
    assert_eq!(empty, FileReport::default());
}

#[test]
fn csv_cells_get_their_column_name_as_key() {
    // A column of Luhn-valid integers is ids; under a card column they are cards. A column name
    // gates as a JSON key does (`zip`), and a cell before a value is context as in text.
    let csv = concat!(
        "order_id,Card Number,zip,note\n",
        "4556737586899855,4556737586899855,94105,shipped\n",
        "\"4716108999716531\",\"4716108999716531\", 10001 ,ssn 536-22-1234\n",
        "4556737586899855,4556737586899855\n",
    );
    let (report, seen) = collect(csv.as_bytes(), CorpusFormat::Csv);
    let found: Vec<_> = seen.iter().map(|s| (s.0, s.2)).collect();
    assert_eq!(
        found,
        vec![
            (PiiType::PaymentCard, 2),
            (PiiType::Postcode, 2),
            (PiiType::PaymentCard, 3),
            (PiiType::Postcode, 3),
            (PiiType::UsSsn, 3),
        ],
        "a line with fewer cells than the header gives them no column names"
    );
    assert_eq!(report.records, 4);
    let tsv = "id\tcc\n4556737586899855\t4556737586899855\n";
    let (_, seen) = collect(tsv.as_bytes(), CorpusFormat::Tsv);
    assert_eq!(seen.len(), 1);
    // Key and value in neighbouring cells, as a settings export writes them.
    let pairs = "field,value\ncredit card,4556737586899855\nid,4556737586899855\n";
    let (_, seen) = collect(pairs.as_bytes(), CorpusFormat::Csv);
    assert_eq!(seen.iter().map(|s| s.2).collect::<Vec<_>>(), vec![2]);
}

#[test]
fn samples_never_hold_the_value() {
    let text =
        "jane.doe@acme-mail.com +44 7911 123456 4556 7375 8689 9855 IBAN GB33BUKB20201555555555";
    let (report, seen) = collect(text.as_bytes(), CorpusFormat::Text);
    assert_eq!(seen.len(), 4);
    let json = serde_json::to_string(&report).unwrap();
    for (_, value, _, _) in &seen {
        assert!(!json.contains(value.as_str()), "{value} leaked into {json}");
    }
    for needle in ["jane.doe", "7911 123456", "4556 7375", "GB33BUKB"] {
        assert!(!json.contains(needle), "{needle}");
    }
}

#[test]
fn normalize_subject_matches_the_scanner() {
    assert_eq!(
        normalize_subject("  Jane.Doe@Acme-Mail.COM "),
        Some((PiiType::Email, "jane.doe@acme-mail.com".into()))
    );
    assert_eq!(
        normalize_subject("+44 (0)20 7946 0123"),
        Some((PiiType::Phone, "+442079460123".into()))
    );
    assert_eq!(
        normalize_subject("(212) 867-5309"),
        Some((PiiType::Phone, "+12128675309".into()))
    );
    assert_eq!(normalize_subject("hello"), None);
    assert_eq!(normalize_subject("4111 1111 1111 1111"), None);
    let (_, seen) = collect(b"call +44 20 7946 0123", CorpusFormat::Text);
    assert_eq!(
        Some(seen[0].1.clone()),
        normalize_subject("+442079460123").map(|s| s.1)
    );
}

fn big_corpus(lines: usize) -> Vec<u8> {
    let mut v = Vec::new();
    for i in 0..lines {
        if i % 7 == 0 {
            writeln!(
                v,
                r#"{{"content":"user{i}@acme-mail.com called +1 212 867 {:04}"}}"#,
                i % 10000
            )
            .unwrap();
        } else {
            writeln!(v, r#"{{"embedding":[0.{i}, 1.5, 3.25], "id":"{i:08x}"}}"#).unwrap();
        }
    }
    v
}

/// Scans `data` as a file named `name` on one thread and on three: the report and the matches
/// are those of one block over the same bytes, which are returned.
fn file_scan_matches_bytes_scan(data: &[u8], name: &str, format: CorpusFormat) -> FileReport {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, data).unwrap();
    let (from_bytes, seen_bytes) = collect(data, format);
    for threads in [1, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut seen = Vec::new();
        let report = pool
            .install(|| {
                scan_file(&path, format, &mut |m| {
                    seen.push((m.kind, m.normalized.to_string(), m.line, m.synthetic))
                })
            })
            .unwrap();
        assert!(report == from_bytes, "{format:?} threads={threads}");
        assert!(seen == seen_bytes, "{format:?} threads={threads}");
    }
    from_bytes
}

#[test]
fn file_scan_matches_bytes_scan_and_is_thread_independent() {
    let data = big_corpus(400_000); // > 2 regions
    assert!(data.len() as u64 > 2 * stream::REGION_BYTES);
    let from_bytes = file_scan_matches_bytes_scan(&data, "c.jsonl", CorpusFormat::Jsonl);
    assert_eq!(from_bytes.records, 400_000);
    assert!(from_bytes.by_type[&PiiType::Email].count > 50_000);
}

#[test]
fn long_lines_stream_through_windows() {
    // One 5 MB line (longer than a chunk) with matches spread through it, in text and JSON.
    let mut line = Vec::new();
    let mut expected = 0;
    while line.len() < 5 * stream::CHUNK_BYTES {
        line.extend_from_slice(b"lorem ipsum dolor sit amet ");
        if line.len() % 7 == 0 {
            line.extend_from_slice(b"jane@acme-mail.com ");
            expected += 1;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    for (format, wrap) in [(CorpusFormat::Text, false), (CorpusFormat::Jsonl, true)] {
        let mut data = Vec::new();
        if wrap {
            data.extend_from_slice(b"{\"a\":\"first a@acme-mail.com\"}\n");
        } else {
            data.extend_from_slice(b"first a@acme-mail.com\n");
        }
        if wrap {
            data.extend_from_slice(b"{\"text\":\"");
        }
        data.extend_from_slice(&line);
        if wrap {
            data.extend_from_slice(b"\", \"n\": [4556737586899855]}");
        }
        data.extend_from_slice(if wrap {
            b"\n{\"b\":\"last b@acme-mail.com\"}".as_slice()
        } else {
            b"\nlast b@acme-mail.com".as_slice()
        });
        let path = dir.path().join("long.txt");
        std::fs::write(&path, &data).unwrap();
        let mut lines = Vec::new();
        let report = scan_file(&path, format, &mut |m| lines.push(m.line)).unwrap();
        let (mem, _) = collect(&data, format);
        let email = &report.by_type[&PiiType::Email];
        assert_eq!(email.count, expected + 2, "{format:?}");
        assert_eq!(report, mem, "{format:?}");
        assert_eq!(report.records, 3);
        assert_eq!(lines.first(), Some(&1));
        assert_eq!(lines.last(), Some(&3));
        assert!(!report.by_type.contains_key(&PiiType::PaymentCard));
    }
}

#[test]
fn hostile_files_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\n\n\n".to_vec(),
        vec![b'"'; 3 * stream::CHUNK_BYTES],
        vec![b'\\'; 2 * stream::CHUNK_BYTES + 3],
        (0..=255u8)
            .cycle()
            .take(2 * stream::CHUNK_BYTES + 17)
            .collect(),
        b"{\"a\":\"\\u12\"}\n{\"b\":\"\\ud800\\u0041\"}\n\"unterminated".to_vec(),
        vec![b'9'; 2 * stream::CHUNK_BYTES],
    ];
    for (i, data) in cases.iter().enumerate() {
        let path = dir.path().join(format!("h{i}"));
        std::fs::write(&path, data).unwrap();
        for format in [
            CorpusFormat::Jsonl,
            CorpusFormat::Json,
            CorpusFormat::Csv,
            CorpusFormat::Text,
        ] {
            let report = scan_file(&path, format, &mut |_| {}).unwrap();
            assert_eq!(report.bytes_scanned, data.len() as u64);
            scan_bytes(data, format, &mut |_| {});
        }
    }
    assert!(scan_file(&dir.path().join("h0"), CorpusFormat::Parquet, &mut |_| {}).is_err());
}

fn write_parquet(path: &std::path::Path, compression: ::parquet::basic::Compression) {
    use ::parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
    use ::parquet::file::properties::WriterProperties;
    use ::parquet::file::writer::SerializedFileWriter;
    use ::parquet::schema::parser::parse_message_type;
    use std::sync::Arc;

    let schema = Arc::new(
        parse_message_type(
            "message m { required binary text (UTF8); optional binary note (STRING); \
             required int64 id; required binary blob; }",
        )
        .unwrap(),
    );
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(compression)
            .build(),
    );
    let file = std::fs::File::create(path).unwrap();
    let mut writer = SerializedFileWriter::new(file, schema, props).unwrap();
    // Two row groups of three rows; the second row of each has a null note.
    for group in 0..2 {
        let texts: Vec<ByteArray> = (0..3)
            .map(|i| match (group, i) {
                (0, 0) => "mail jane@acme-mail.com".into(),
                (1, 2) => "card 4556 7375 8689 9855".into(),
                _ => "nothing here 1.2.3".into(),
            })
            .collect();
        let notes: Vec<ByteArray> = vec!["call +44 7911 123456".into(), "x".into()];
        let mut rg = writer.next_row_group().unwrap();
        let mut n = 0;
        while let Some(mut col) = rg.next_column().unwrap() {
            match n {
                0 => {
                    col.typed::<ByteArrayType>()
                        .write_batch(&texts, None, None)
                        .unwrap();
                }
                1 => {
                    col.typed::<ByteArrayType>()
                        .write_batch(&notes, Some(&[1, 0, 1]), None)
                        .unwrap();
                }
                2 => {
                    col.typed::<Int64Type>()
                        .write_batch(&[4556737586899855, 2, 3], None, None)
                        .unwrap();
                }
                _ => {
                    let blob: Vec<ByteArray> = vec!["bob@acme-mail.com".into(); 3];
                    col.typed::<ByteArrayType>()
                        .write_batch(&blob, None, None)
                        .unwrap();
                }
            }
            col.close().unwrap();
            n += 1;
        }
        rg.close().unwrap();
    }
    writer.close().unwrap();
}

/// String columns are read row group by row group, uncompressed or in every codec the
/// common writers use (pyarrow writes Snappy by default).
#[test]
fn parquet_string_columns_row_group_by_row_group() {
    use ::parquet::basic::{BrotliLevel, Compression, GzipLevel, ZstdLevel};
    let dir = tempfile::tempdir().unwrap();
    for compression in [
        Compression::UNCOMPRESSED,
        Compression::SNAPPY,
        Compression::GZIP(GzipLevel::default()),
        Compression::ZSTD(ZstdLevel::default()),
        Compression::LZ4_RAW,
        Compression::BROTLI(BrotliLevel::default()),
    ] {
        let path = dir.path().join(format!("{compression}.parquet"));
        write_parquet(&path, compression);
        let mut seen = Vec::new();
        let report = scan_file(&path, CorpusFormat::Parquet, &mut |m| {
            seen.push((m.kind, m.line))
        })
        .unwrap();
        assert_eq!(report.limit, None, "{compression}");
        assert_eq!(report.records, 6);
        // The same bytes held in memory (a staged blob) give the same matches.
        let mut in_memory = Vec::new();
        let data = std::fs::read(&path).unwrap();
        let report = scan_bytes(&data, CorpusFormat::Parquet, &mut |m| {
            in_memory.push((m.kind, m.line))
        });
        assert_eq!((report.limit, report.records), (None, 6), "{compression}");
        assert_eq!(in_memory, seen, "{compression}");
        // Rows are 1-based across row groups; the int64 column and the unannotated binary
        // column (no UTF8 annotation) are not read.
        assert_eq!(
            seen,
            vec![
                (PiiType::Email, 1),
                (PiiType::Phone, 1),
                (PiiType::Phone, 4),
                (PiiType::PaymentCard, 6),
            ],
            "{compression}"
        );
    }
}

/// A Parquet file of one row group whose required UTF8 columns hold `columns`' values.
fn text_parquet(
    props: ::parquet::file::properties::WriterProperties,
    columns: &[(&str, &[&str])],
) -> Vec<u8> {
    use ::parquet::data_type::{ByteArray, ByteArrayType};
    use ::parquet::file::writer::SerializedFileWriter;
    use ::parquet::schema::parser::parse_message_type;
    use std::sync::Arc;

    let fields: String = columns
        .iter()
        .map(|(name, _)| format!("required binary {name} (UTF8); "))
        .collect();
    let schema = Arc::new(parse_message_type(&format!("message m {{ {fields}}}")).unwrap());
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, Arc::new(props)).unwrap();
    let mut rg = writer.next_row_group().unwrap();
    for (_, values) in columns {
        let values: Vec<ByteArray> = values.iter().map(|v| (*v).into()).collect();
        let mut col = rg.next_column().unwrap().unwrap();
        col.typed::<ByteArrayType>()
            .write_batch(&values, None, None)
            .unwrap();
        col.close().unwrap();
    }
    rg.close().unwrap();
    writer.into_inner().unwrap()
}

/// A string column chunk that declares a decompression bomb is skipped, and the report says
/// which limit it hit; the other columns are still read.
#[test]
fn parquet_column_bombs_are_skipped() {
    use ::parquet::basic::{Compression, ZstdLevel};
    use ::parquet::file::properties::WriterProperties;

    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_dictionary_enabled(false)
        .build();
    let pad = format!("{} a@acme-mail.com", "a".repeat(1 << 20));
    let text = "mail jane@acme-mail.com";
    let data = text_parquet(props, &[("pad", &[pad.as_str(); 4]), ("text", &[text; 4])]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.parquet");
    std::fs::write(&path, data).unwrap();
    let mut seen = 0;
    let report = scan_file(&path, CorpusFormat::Parquet, &mut |_| seen += 1).unwrap();
    let limit = report.limit.expect("the bomb is named");
    assert!(limit.contains("column `pad`") && limit.contains("[limit: parquet column chunk]"));
    assert_eq!(seen, 4, "the text column is still read");
}

/// A page header is checked before the decoder reads it: one declaring a list of 2^31 - 1
/// booleans (which the decoder would skip one by one, for seconds) skips its column, named,
/// and the next column is still read.
#[test]
fn parquet_hostile_page_headers_skip_their_column() {
    use ::parquet::file::properties::WriterProperties;
    use ::parquet::file::reader::{FileReader, SerializedFileReader};

    let props = WriterProperties::builder()
        .set_dictionary_enabled(false)
        .build();
    let columns: [(&str, &[&str]); 2] = [
        ("a", &["mail jane@acme-mail.com"]),
        ("b", &["mail bob@acme-mail.com"]),
    ];
    let mut data = text_parquet(props, &columns);
    let reader = SerializedFileReader::new(bytes::Bytes::from(data.clone())).unwrap();
    let page = reader.metadata().row_group(0).column(0).data_page_offset() as usize;
    let mut seen = 0;
    let report = scan_bytes(&data, CorpusFormat::Parquet, &mut |_| seen += 1);
    assert_eq!((report.limit, seen), (None, 2));

    // Field 1 becomes a list of 2^31 - 1 booleans.
    data[page..page + 7].copy_from_slice(&[0x19, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07]);
    let mut seen = 0;
    let report = scan_bytes(&data, CorpusFormat::Parquet, &mut |_| seen += 1);
    let limit = report.limit.unwrap_or_default();
    assert!(
        limit.starts_with("column `a` has a page header at byte") && limit.contains("skipped"),
        "{limit}"
    );
    assert_eq!(seen, 1, "column b is still read");
}

/// The JSON scan as it was before the vector fast path (every string read with `memchr3`,
/// its key tracked eagerly): the oracle the fast path must agree with.
fn reference_json_scan(block: &[u8]) -> Vec<(PiiType, String, usize, bool)> {
    let mut out = Vec::new();
    let mut scratch = Vec::new();
    let mut i = 0;
    let mut key: &[u8] = b"";
    while let Some(q) = memchr::memchr(b'"', &block[i..]) {
        if memchr::memchr(b'\n', &block[i..i + q]).is_some() {
            // A key gives context on its own line only.
            key = b"";
        }
        let s = i + q + 1;
        let mut j = s;
        let mut escaped = false;
        let end = loop {
            match memchr::memchr3(b'"', b'\\', b'\n', &block[j..]) {
                None => break block.len(),
                Some(k) if block[j + k] == b'\\' && block.get(j + k + 1) == Some(&b'\n') => {
                    escaped = true;
                    break j + k + 1;
                }
                Some(k) if block[j + k] == b'\\' => {
                    escaped = true;
                    j += k + 2;
                    if j >= block.len() {
                        break block.len();
                    }
                }
                Some(k) => break j + k,
            }
        };
        let raw = &block[s..end.min(block.len())];
        let mut after = end + 1;
        while after < block.len() && matches!(block[after], b' ' | b'\t' | b'\r') {
            after += 1;
        }
        let is_key = block.get(after) == Some(&b':');
        let seg: &[u8] = if escaped {
            stream::unescape(raw, &mut scratch);
            &scratch
        } else {
            raw
        };
        let line = memchr::memchr_iter(b'\n', &block[..s]).count();
        detect::detect(
            seg,
            0,
            seg.len(),
            if is_key { b"" } else { key },
            &mut |f| out.push((f.kind, f.normalized, line, f.synthetic)),
        );
        key = if is_key && raw.len() <= 64 { raw } else { b"" };
        i = if block.get(end) == Some(&b'\n') {
            end
        } else {
            end + 1
        };
        if i >= block.len() {
            break;
        }
    }
    out
}

#[test]
fn json_fast_path_agrees_with_the_reference_scan() {
    let pieces: &[&[u8]] = &[
        br#"{"messages": [{"role": "user", "content": "#,
        br#""call me on 020 7946 0123 or jane@acme-mail.com""#,
        br#""plain words only, nothing to see here at all, none""#,
        br#""phone": "+44 7911 123456", "#,
        br#""ssn" : "536-22-1234""#,
        br#""tax":"86095742719""#,
        br#""esc \"q\" \\ \u0040 bob\u0040acme-mail.com \
""#,
        br#""embedding": [0.0123, -4556737586899855, 2125550142], "#,
        br#""id": "41bac2c1-95cb-4c3a-9127-f981cb6249f4", "v": "81.2.69.160""#,
        br#""unterminated 4556 7375 8689 9855"#,
        b"\n",
        b"\n",
        b"}]}",
        b"\"",
        b"\\",
        b" : ",
        b"NHS number 943 476 5919",
        br#"{"nhs": "9434765919"}"#,
        b"[0.1, 4556737586899855, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5]",
    ];
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut total = 0;
    for round in 0..300 {
        let mut block = Vec::new();
        for _ in 0..(round % 40) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            block.extend_from_slice(pieces[(x % pieces.len() as u64) as usize]);
        }
        let text = String::from_utf8_lossy(&block);
        let reference = reference_json_scan(&block);
        let variants = stream::json_scan_variants(&block);
        #[cfg(target_arch = "x86_64")]
        assert!(variants.len() >= 2, "the portable and SSE2 scans at least");
        for (name, hits, newlines) in variants {
            let fast: Vec<_> = hits
                .into_iter()
                .map(|h| (h.kind, h.normalized, h.line as usize, h.synthetic))
                .collect();
            total += fast.len();
            assert_eq!(fast, reference, "{name}: {text}");
            assert_eq!(
                newlines,
                memchr::memchr_iter(b'\n', &block).count() as u64,
                "{name}: {text}"
            );
        }
    }
    assert!(total > 500, "the random blocks must hold matches: {total}");
}

/// A region's hits (kind, value, line, synthetic), line ends and bytes.
type Flat = (Vec<(PiiType, String, u64, bool)>, u64, u64);

fn flat(r: stream::RegionScan) -> Flat {
    let hits: Vec<_> = r
        .hits
        .into_iter()
        .map(|h| (h.kind, h.normalized, h.line, h.synthetic))
        .collect();
    (hits, r.newlines, r.bytes)
}

/// Scans `data`, the file at `path`, as the regions between consecutive `cuts`, mapped and
/// read: each region gives the same both ways, and the regions joined give what one region
/// over the whole file gives, which is returned.
fn regions_agree(
    data: &[u8],
    path: &std::path::Path,
    syntax: stream::Syntax<'_>,
    cuts: &[usize],
) -> Flat {
    let mut joined = (Vec::new(), 0, 0);
    for pair in cuts.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        // Whether `start` is inside a quoted CSV cell (other formats ignore it).
        let open = cells::odd_quotes(&data[..start]);
        let read = stream::scan_region(path, start as u64, end as u64, syntax, open).unwrap();
        let mapped = flat(stream::scan_region_mapped(data, start, end, syntax, open));
        assert!(mapped == flat(read), "{syntax:?} {start}..{end}");
        let (hits, newlines, bytes) = mapped;
        joined.0.extend(
            hits.into_iter()
                .map(|(k, n, line, s)| (k, n, joined.1 + line, s)),
        );
        joined.1 += newlines;
        joined.2 += bytes;
    }
    let whole = flat(stream::scan_region_mapped(
        data,
        0,
        data.len(),
        syntax,
        false,
    ));
    assert!(
        joined == whole,
        "{syntax:?}: the regions differ from the whole file"
    );
    whole
}

/// The memory-mapped region scan and the read-based one (the fallback for files that cannot
/// be mapped) agree on every region, wherever its bounds fall: mid-line, on a line end, in a
/// line longer than a chunk.
#[test]
fn mapped_and_read_regions_agree() {
    let mut data = big_corpus(30_000);
    data.extend_from_slice(b"{\"long\":\"");
    while data.len() < 3 * stream::CHUNK_BYTES {
        data.extend_from_slice(b"call +1 212 867 5309 or jane@acme-mail.com \\\" ");
    }
    data.extend_from_slice(b"\"}\n");
    data.extend(big_corpus(2_000));
    data.extend_from_slice(b"{\"last\":\"no line end bob@acme-mail.com\"}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.jsonl");
    std::fs::write(&path, &data).unwrap();
    let len = data.len();
    let cuts = [
        0,
        1,
        17,
        4096,
        len / 3,
        len / 3 + 1,
        len / 2,
        len - 40,
        len - 1,
        len,
    ];
    let mut total = 0;
    for format in [CorpusFormat::Jsonl, CorpusFormat::Text, CorpusFormat::Csv] {
        let header = crate::pii::cells::Header::parse(&data, format);
        let format = stream::Syntax::of(format, &header);
        total += regions_agree(&data, &path, format, &cuts).0.len();
        // No line starts in an empty region.
        for at in [0, 1, len / 2, len] {
            let empty = (Vec::new(), 0, 0);
            assert_eq!(
                flat(stream::scan_region_mapped(&data, at, at, format, false)),
                empty
            );
            let read = stream::scan_region(&path, at as u64, at as u64, format, false).unwrap();
            assert_eq!(flat(read), empty, "{format:?} {at}..{at}");
        }
    }
    assert!(total > 20_000, "the regions must hold matches: {total}");
}

#[test]
fn first_stage_counts_line_ends_and_blocks_with_triggers_in_strings() {
    // Byte by byte: quotes toggle the string state (the first stage reads no escapes).
    let reference = |data: &[u8]| {
        let mut inside = false;
        let mut blocks = 0;
        for chunk in data.chunks(64) {
            let mut wanted = false;
            for &b in chunk {
                if b == b'"' {
                    inside = !inside;
                }
                wanted |= inside && (b.is_ascii_digit() || b == b'@');
            }
            blocks += u64::from(wanted);
        }
        stream::FirstStage {
            line_ends: memchr::memchr_iter(b'\n', data).count() as u64,
            blocks_with_triggers: blocks,
        }
    };
    let lines = [
        &br#"{"id": 17, "embedding": [0.25, -0.5, 0.125]}"#[..],
        br#"{"messages": [{"role": "user", "content": "call 020 7946 0018 or mail a@acme.example"}]}"#,
        br#"{"note": "no digits here at all, only words and more words to fill a block"}"#,
        b"plain 42 outside strings",
    ];
    let mut data = Vec::new();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..300 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        data.extend_from_slice(lines[(x % lines.len() as u64) as usize]);
        data.push(b'\n');
        let cut = (x >> 20) as usize % (data.len() + 1);
        assert_eq!(stream::first_stage(&data[..cut]), reference(&data[..cut]));
    }
    let whole = stream::first_stage(&data);
    assert_eq!(whole, reference(&data));
    assert!(whole.blocks_with_triggers > 0 && whole.line_ends == 300);
}

/// Parquet found by the `parquet` fuzz target: a column chunk whose footer entry declares a
/// negative offset (the decoder asserts on it) is skipped and named, not handed to the decoder;
/// a corrupt dictionary page on which the decoder panics is contained, and the column is
/// reported as skipped, with where the decoder panicked.
#[test]
fn parquet_fuzz_findings_are_reported() {
    let cases: [(&[u8], &str); 2] = [
        (
            include_bytes!("../../tests/fuzz-regressions/parquet/negative-column-offset.parquet"),
            "negative offset or size",
        ),
        (
            include_bytes!("../../tests/fuzz-regressions/parquet/corrupt-dictionary-page.parquet"),
            "could not be decoded (panicked at parquet-",
        ),
    ];
    for (data, reason) in cases {
        let report = scan_bytes(data, CorpusFormat::Parquet, &mut |_| {});
        let limit = report.limit.unwrap_or_default();
        assert!(limit.contains(reason), "{limit}");
    }
}

/// A backslash before a raw line end escapes nothing: the line end ends the string, so the
/// next line starts outside a string wherever a region or chunk boundary falls.
#[test]
fn a_backslash_does_not_carry_a_string_over_a_line_end() {
    let data = b"{\"a\": \"x\\\n{\"card\": \"4111 1111 1111 1111\"}\n";
    for format in [CorpusFormat::Json, CorpusFormat::Jsonl] {
        let mut found = Vec::new();
        scan_bytes(data, format, &mut |m| found.push((m.kind, m.line)));
        assert_eq!(found, [(PiiType::PaymentCard, 2)], "{format:?}");
    }
}

/// The kinds and lines of what a CSV scan finds.
fn csv_found(csv: &[u8]) -> Vec<(PiiType, u64)> {
    let (_, seen) = collect(csv, CorpusFormat::Csv);
    seen.iter().map(|s| (s.0, s.2)).collect()
}

/// A quoted cell that holds line ends (`\n` or `\r\n`), doubled quotes and separators does not
/// end its record: the record is read whole, each cell with its column's name, and a match
/// keeps the line it is on. A record with another number of cells gets no names.
#[test]
fn csv_records_spanning_lines_keep_their_column_names() {
    let csv = concat!(
        "id,notes,ssn,zip,card_number\n",
        "1,\"first line of the note\n",
        "second, with a comma and \"\"quotes\"\" from jane@acme-mail.com\r\n",
        "third\",536221234,94105,4556737586899855\n",
        "2,\"note with\r\n",
        "a \"\"quoted\"\" word\r\n",
        "end\",536221235,10001,4716108999716531\r\n",
        "3,one line,536221236,30301,4556737586899855\n",
        "4,\"broken\n",
        "note\",536221234,94105,4556737586899855,x,y\n",
        "5,\"last, with no line end\n",
        "\",536221237,60601,4716108999716531",
    );
    assert_eq!(
        csv_found(csv.as_bytes()),
        vec![
            (PiiType::Email, 3),
            (PiiType::UsSsn, 4),
            (PiiType::Postcode, 4),
            (PiiType::PaymentCard, 4),
            (PiiType::UsSsn, 7),
            (PiiType::Postcode, 7),
            (PiiType::PaymentCard, 7),
            (PiiType::UsSsn, 8),
            (PiiType::Postcode, 8),
            (PiiType::PaymentCard, 8),
            // Record 4 (lines 9 and 10) has seven cells: no names, nothing found. Record 5
            // ends the file with no line end.
            (PiiType::UsSsn, 12),
            (PiiType::Postcode, 12),
            (PiiType::PaymentCard, 12),
        ]
    );
    let (report, _) = collect(csv.as_bytes(), CorpusFormat::Csv);
    assert_eq!(report.records, 12, "records counts lines");
}

/// Stray quotes in unquoted cells (`12" screen`) flip the quote parity: the lines they join
/// do not hold together as a record, so they are read line by line as each line stands,
/// never with the names a joined reading would give; the records after them are whole again.
#[test]
fn csv_stray_quotes_fall_back_to_lines() {
    let csv = concat!(
        "id,item,note,zip,extra\n",
        // Joined, these two lines have five cells and 94105 would fall under `zip`.
        "1,12\" screen,hello\n",
        "2,94105,27\" tv\n",
        "3,mouse,ok,10001,x\n",
        "4,cable,\"multi\nline\",30301,x\n",
    );
    assert_eq!(
        csv_found(csv.as_bytes()),
        vec![(PiiType::Postcode, 4), (PiiType::Postcode, 6)]
    );
    // One stray quote: the rest of the file is one record that does not hold together, read
    // line by line with each line's own names.
    let csv = concat!(
        "id,item,ssn,zip\n",
        "1,12\" screen,536221234,94105\n",
        "2,cable,536221235,10001\n",
        "3,mouse,536221236\n",
    );
    assert_eq!(
        csv_found(csv.as_bytes()),
        vec![
            (PiiType::UsSsn, 2),
            (PiiType::Postcode, 2),
            (PiiType::UsSsn, 3),
            (PiiType::Postcode, 3),
        ]
    );
}

/// Which records [`big_csv`] writes longer than a chunk.
#[derive(Clone, Copy, PartialEq)]
enum LongRecords {
    None,
    /// Records of many short lines.
    OfLines,
    /// Those, and records with a line longer than a chunk (where a stream reads the line as
    /// text, and a block read whole cuts it into cells).
    WithLongLines,
}

/// A CSV of `records` records after its header `id,notes,ssn,zip,card_number`, whose last three
/// columns hold bare numbers: one-line records, records whose quoted note spans lines (`\n` and
/// `\r\n`, doubled quotes, separators), pairs of lines with a stray quote each, records with a
/// cell too many, records longer than a chunk as `long` says, and a last record with no line
/// end. Also returns how many of its zip cells have their column's name (and so are postcodes).
fn big_csv(records: usize, long: LongRecords) -> (Vec<u8>, u64) {
    let mut v = b"id,notes,ssn,zip,card_number\n".to_vec();
    let mut named = 1;
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let cards = ["4556737586899855", "4716108999716531"];
    let long_at = [records / 4, records / 2, 3 * records / 4];
    for i in 0..records {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let tail = format!(
            "53622{:04},{:05},{}",
            1 + i % 9999,
            10000 + i % 89999,
            cards[i % 2]
        );
        if long != LongRecords::None && long_at.contains(&i) {
            write!(v, "{i},\"").unwrap();
            let start = v.len();
            let long_line = long == LongRecords::WithLongLines && i != long_at[0];
            if long_line && i == long_at[2] {
                // A record that starts with a line longer than a chunk.
                while v.len() - start < stream::CHUNK_BYTES + 5000 {
                    write!(v, "words and a{} mail, ", v.len()).unwrap();
                }
                v.extend_from_slice(b"\n");
            }
            while v.len() - start < stream::CHUNK_BYTES * 3 / 2 {
                writeln!(v, "line {} mail a{i}@acme-mail.com, \"\"q\"\"", v.len()).unwrap();
            }
            if long_line && i == long_at[1] {
                // The quote that ends the record in a line longer than a chunk.
                let line = v.len();
                while v.len() - line < stream::CHUNK_BYTES + 5000 {
                    write!(v, "text and b{i}@acme-mail.com ").unwrap();
                }
            }
            writeln!(v, "\",{tail}").unwrap();
            continue;
        }
        named += [1, 1, 1, 1, 1, 1, 1, 2, 0, 1][(x % 10) as usize];
        match x % 10 {
            0..=3 => writeln!(v, "{i},plain note {i},{tail}"),
            4 | 5 => write!(
                v,
                "{i},\"first line\nsecond, with \"\"quotes\"\" and u{i}@acme-mail.com\nthird\",{tail}\n"
            ),
            6 => write!(v, "{i},\"crlf note\r\ncall +44 7911 123456\r\n\",{tail}\r\n"),
            7 => write!(v, "{i},12\" screen,{tail}\n{i},27\" tv,{tail}\n"),
            8 => write!(v, "{i},\"too\nmany\",{tail},x\n"),
            _ => writeln!(v, "{i},\"\",{tail}"),
        }
        .unwrap();
    }
    write!(v, "{records},\"end\nof file\",536221234,94105,{}", cards[0]).unwrap();
    (v, named)
}

/// The mapped and read region scans agree on CSV records that span lines, wherever a region
/// starts or ends (inside a quoted cell, on a line end inside a record, inside a record longer
/// than a chunk or a line longer than one), and the regions joined give the whole file.
#[test]
fn mapped_and_read_csv_regions_agree() {
    let (data, named) = big_csv(60_000, LongRecords::WithLongLines);
    let len = data.len();
    assert!(len > 6 * stream::CHUNK_BYTES, "{len}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.csv");
    std::fs::write(&path, &data).unwrap();
    let header = cells::Header::parse(&data, CorpusFormat::Csv);
    let syntax = stream::Syntax::of(CorpusFormat::Csv, &header);
    // Cuts spread through the file, cuts just after line ends inside records, and cuts inside
    // records and lines longer than a chunk.
    let mut cuts: Vec<usize> = (0..len).step_by(len / 29).collect();
    let inside = |needle: &[u8], skip: usize| {
        data.windows(needle.len())
            .enumerate()
            .filter(|(_, w)| *w == needle)
            .skip(skip)
            .map(|(k, _)| k + needle.len())
            .next()
            .unwrap()
    };
    cuts.extend([
        inside(b"first line\n", 1000),
        inside(b"crlf note\r\n", 1000),
        inside(b"\"\"q\"\"\n", 20_000),
        inside(b"\"\"q\"\"\n", 20_001) - 1,
        inside(b"12\" screen,", 3000),
        inside(b"words and a", 5),
        inside(b"text and b", 5),
        len - 1,
        len,
    ]);
    cuts.sort_unstable();
    cuts.dedup();
    let whole = regions_agree(&data, &path, syntax, &cuts);
    assert_eq!(whole.1 as usize, memchr::memchr_iter(b'\n', &data).count());
    let zips = whole.0.iter().filter(|h| h.0 == PiiType::Postcode).count() as u64;
    assert_eq!(zips, named, "zip cells with their column's name");
}

/// A whole CSV file scanned in regions, on one thread or three, finds what one block over
/// the same bytes finds, records longer than a chunk included (read line by line in both).
#[test]
fn csv_file_scan_matches_bytes_scan_and_is_thread_independent() {
    let (data, named) = big_csv(260_000, LongRecords::OfLines);
    assert!(data.len() as u64 > 2 * stream::REGION_BYTES);
    let from_bytes = file_scan_matches_bytes_scan(&data, "c.csv", CorpusFormat::Csv);
    let zips = from_bytes.by_type[&PiiType::Postcode].count;
    assert_eq!(zips, named, "zip cells with their column's name");
}

/// A record longer than a chunk is read line by line, each line with its own cell count:
/// its matches keep their lines, the cells after its closing quote get no names, and the
/// records after it get theirs again.
#[test]
fn csv_records_longer_than_a_chunk_are_read_line_by_line() {
    let mut data = b"id,notes,ssn,zip,card_number\n1,\"start\n".to_vec();
    let mut lines = 2;
    while data.len() < 2 * stream::CHUNK_BYTES {
        writeln!(data, "a line with x{lines}@acme-mail.com, \"\"q\"\"").unwrap();
        lines += 1;
    }
    data.extend_from_slice(b"end\",536221234,94105,4556737586899855\n");
    data.extend_from_slice(b"2,\"short\nnote\",536221235,10001,4716108999716531\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    std::fs::write(&path, &data).unwrap();
    let mut seen = Vec::new();
    let report = scan_file(&path, CorpusFormat::Csv, &mut |m| {
        seen.push((m.kind, m.line))
    })
    .unwrap();
    let emails: Vec<u64> = seen
        .iter()
        .filter(|s| s.0 == PiiType::Email)
        .map(|s| s.1)
        .collect();
    assert_eq!(emails, (3..=lines).collect::<Vec<u64>>());
    let rest: Vec<_> = seen.iter().filter(|s| s.0 != PiiType::Email).collect();
    let next = lines + 3;
    assert_eq!(
        rest,
        [
            &(PiiType::UsSsn, next),
            &(PiiType::Postcode, next),
            &(PiiType::PaymentCard, next),
        ]
    );
    assert_eq!(report.records, next);
    assert_eq!(report, collect(&data, CorpusFormat::Csv).0);
}
