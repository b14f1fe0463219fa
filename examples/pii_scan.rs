//! Runs the PII engine alone on one corpus file, in a rayon pool of N threads, and prints the
//! per-type counts and the throughput. Used by `bench/pii.sh`; prints no detected value.
//!
//! `cargo run --release --example pii_scan -- [--threads N] [--digest | --first-stage] FILE [FORMAT]`
//!
//! `--digest` also prints a SHA-256 over every match (type, line, normalised value, synthetic)
//! in report order: two builds of the engine that print the same digest found the same values.
//!
//! `--first-stage` runs only the JSON walk's first stage on one thread (each 64-byte block
//! classified, its in-string bytes worked out, no detectors) over the memory-mapped file: the
//! floor under any engine that reads every byte of the corpus.

use std::path::PathBuf;
use std::time::Instant;

use aibom::pii::stream::first_stage;
use aibom::pii::{CorpusFormat, scan_file};
use sha2::{Digest, Sha256};

fn main() {
    let mut threads = 1usize;
    let mut digest = false;
    let mut first_stage_only = false;
    let mut positional = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            threads = args
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| usage());
        } else if arg == "--digest" {
            digest = true;
        } else if arg == "--first-stage" {
            first_stage_only = true;
        } else if arg.starts_with('-') {
            usage();
        } else {
            positional.push(arg);
        }
    }
    let Some(path) = positional.first().map(PathBuf::from) else {
        usage()
    };
    let format = match positional.get(1).map(String::as_str).unwrap_or("jsonl") {
        "jsonl" => CorpusFormat::Jsonl,
        "json" => CorpusFormat::Json,
        "csv" => CorpusFormat::Csv,
        "tsv" => CorpusFormat::Tsv,
        "text" | "txt" => CorpusFormat::Text,
        "parquet" => CorpusFormat::Parquet,
        _ => usage(),
    };
    if first_stage_only {
        run_first_stage(&path);
        return;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("rayon pool");
    let start = Instant::now();
    let mut matches = 0u64;
    let mut hasher = Sha256::new();
    let report = pool
        .install(|| {
            scan_file(&path, format, &mut |m| {
                matches += 1;
                if digest {
                    let line = format!(
                        "{}\t{}\t{}\t{}\n",
                        m.kind.as_str(),
                        m.line,
                        m.normalized,
                        m.synthetic
                    );
                    hasher.update(line.as_bytes());
                }
            })
        })
        .unwrap_or_else(|e| {
            eprintln!("pii_scan: {}: {e}", path.display());
            std::process::exit(2)
        });
    let secs = start.elapsed().as_secs_f64();
    for (kind, t) in &report.by_type {
        println!(
            "{:<14} {:>9} real {:>9} synthetic",
            kind.as_str(),
            t.count,
            t.synthetic
        );
    }
    println!(
        "{} bytes, {} records, {matches} matches, {threads} thread(s), {secs:.3} s, {:.0} MB/s",
        report.bytes_scanned,
        report.records,
        report.bytes_scanned as f64 / 1e6 / secs.max(1e-9)
    );
    if digest {
        let sum: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        println!("digest {sum}");
    }
    if let Some(limit) = report.limit {
        println!("limit: {limit}");
    }
}

/// Times the first stage alone, the file's mapping and page faults included (as a search tool
/// that maps the file pays them).
fn run_first_stage(path: &std::path::Path) {
    let start = Instant::now();
    let file = std::fs::File::open(path).unwrap_or_else(|e| {
        eprintln!("pii_scan: {}: {e}", path.display());
        std::process::exit(2)
    });
    // SAFETY: the map is only read, and the benchmark's corpus is not written while it runs.
    let map = unsafe { memmap2::Mmap::map(&file) }.unwrap_or_else(|e| {
        eprintln!("pii_scan: {}: {e}", path.display());
        std::process::exit(2)
    });
    let found = first_stage(&map);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} bytes, {} line ends, {} of {} blocks with a digit or @ in a string, first stage only, \
         1 thread(s), {secs:.3} s, {:.0} MB/s",
        map.len(),
        found.line_ends,
        found.blocks_with_triggers,
        map.len().div_ceil(64),
        map.len() as f64 / 1e6 / secs.max(1e-9)
    );
}

fn usage() -> ! {
    eprintln!(
        "usage: pii_scan [--threads N] [--digest | --first-stage] FILE [jsonl|json|csv|tsv|text|parquet]"
    );
    std::process::exit(2)
}
