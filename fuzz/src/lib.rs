//! The fuzz targets' bodies, one function per parser.
//!
//! Each function takes arbitrary bytes and calls aibom's public parser entry points the way a scan
//! does; a panic, a hang or an unbounded allocation is the bug a fuzzer looks for. The same
//! functions run in CI over the saved crash inputs (`tests/fuzz_regressions.rs` includes this
//! file), so a fixed crash stays fixed.
//!
//! Only the library's public API is used, and nothing here touches the file system.

use std::io::{Cursor, Write};

use aibom::artifact::corpus::CorpusFormat;
use aibom::artifact::{
    card, corpus, croissant, gguf, hf_config, keras, lfs, mcp, numpy, onnx, pickle, prompt,
    safetensors, tool_code, tool_json, training, zipped,
};

/// One fuzz target's body.
pub type Target = fn(&[u8]);

/// The targets by name, as `fuzz/run.sh` and the regression test know them.
pub const TARGETS: &[(&str, Target)] = &[
    ("gguf", gguf_target),
    ("keras_config", keras_config),
    ("license_record", license_record),
    ("mcp_tools", mcp_tools),
    ("model_card", model_card),
    ("numpy", numpy_target),
    ("onnx", onnx_target),
    ("parquet", parquet_target),
    ("pickle", pickle_target),
    ("pii", pii),
    ("policy_config", policy_config),
    ("safetensors", safetensors_target),
    ("zip", zip_target),
];

/// Splits off the first byte as a selector, so one target can reach several entry points.
fn selector(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((first, rest)) => (*first, rest),
        None => (0, data),
    }
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// safetensors header (8-byte length + JSON) and shard index JSON.
pub fn safetensors_target(data: &[u8]) {
    let _ = safetensors::parse_header(Cursor::new(data), data.len() as u64);
    // A file that claims to be larger than the bytes we hold: the length checks must not trust it.
    let _ = safetensors::parse_header(Cursor::new(data), u64::MAX);
    if let Some(text) = text(data) {
        let _ = safetensors::parse_index(text);
    }
}

/// GGUF header and metadata key/values.
pub fn gguf_target(data: &[u8]) {
    let _ = gguf::parse(Cursor::new(data), data.len() as u64);
    if let Ok(meta) = gguf::parse(Cursor::new(data), u64::MAX) {
        let _ = meta.base_models();
        let _ = meta.datasets();
        let _ = meta.chat_templates();
        let _ = meta.license();
    }
}

/// Pickle opcode walker (never unpickles).
pub fn pickle_target(data: &[u8]) {
    if let Ok(scan) = pickle::scan(Cursor::new(data)) {
        let _ = scan.dangerous().count();
        let _ = scan.unknown().count();
    }
    // As a file: its size known, and decompressed when it starts with a compression's magic.
    if let Ok(scan) = pickle::scan_file(Cursor::new(data), data.len() as u64) {
        let _ = scan.dangerous().count();
        let _ = scan.stopped_at_limit.as_ref().map(|stop| stop.offset);
    }
}

/// Zip containers: torch zip checkpoints, `.keras` archives, `.npz`, and the entry listing.
pub fn zip_target(data: &[u8]) {
    let _ = zipped::is_zip(data);
    let _ = zipped::entry_names(Cursor::new(data));
    let _ = zipped::scan_torch_zip(Cursor::new(data));
    let _ = keras::scan_keras_zip(Cursor::new(data));
    let _ = numpy::scan_npz(Cursor::new(data));
}

/// NumPy `.npy` header (and an object array's pickle).
pub fn numpy_target(data: &[u8]) {
    let _ = numpy::scan_npy(Cursor::new(data), data.len() as u64);
    let _ = numpy::scan_npy(Cursor::new(data), u64::MAX);
}

/// ONNX protobuf metadata walk.
pub fn onnx_target(data: &[u8]) {
    let _ = onnx::parse(Cursor::new(data), data.len() as u64);
    let _ = onnx::parse(Cursor::new(data), u64::MAX);
}

/// Keras model config: the JSON as `config.json` of a `.keras` archive, and an `.h5` byte window.
pub fn keras_config(data: &[u8]) {
    let _ = keras::scan_h5(Cursor::new(data), data.len() as u64);
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    if archive.start_file("config.json", stored).is_ok()
        && archive.write_all(data).is_ok()
        && let Ok(cursor) = archive.finish()
    {
        let _ = keras::scan_keras_zip(Cursor::new(cursor.into_inner()));
    }
}

/// Model-card front matter, and the other text artefacts read whole: Croissant, HF configs,
/// training configs, prompts, LFS pointers.
pub fn model_card(data: &[u8]) {
    let (which, rest) = selector(data);
    let _ = lfs::parse(rest);
    let Some(text) = text(rest) else { return };
    match which % 8 {
        0 => {
            let _ = card::parse(text);
        }
        1 => {
            let _ = croissant::parse(text);
        }
        2 => {
            let _ = hf_config::parse_model_config(text);
            let _ = hf_config::parse_adapter_config(text);
        }
        3 => {
            let _ = hf_config::parse_tokenizer_config(text);
            let _ = hf_config::parse_chat_template_file(text);
        }
        4 => {
            let _ = training::parse(text, true);
            let _ = training::parse_dataset_info(text);
        }
        5 => {
            let _ = training::parse(text, false);
        }
        6 => {
            for format in [
                prompt::PromptFormat::Prompty,
                prompt::PromptFormat::GithubModels,
                prompt::PromptFormat::Dotprompt,
                prompt::PromptFormat::PromptMarkdown,
                prompt::PromptFormat::Plain,
            ] {
                let _ = prompt::parse(text, format);
            }
        }
        _ => {
            let _ = prompt::parse_promptfoo(text);
            let _ = card::parse(text);
        }
    }
}

/// The corpus scanners: PII (`aibom::pii::scan_bytes`) and record statistics.
pub fn pii(data: &[u8]) {
    let (which, rest) = selector(data);
    let format = match which % 5 {
        0 => CorpusFormat::Jsonl,
        1 => CorpusFormat::Json,
        2 => CorpusFormat::Csv,
        3 => CorpusFormat::Tsv,
        _ => CorpusFormat::Text,
    };
    let mut matches = 0u64;
    let report = aibom::pii::scan_bytes(rest, format, &mut |_| matches += 1);
    let _ = (report, matches);
    let _ = corpus::scan_text(Cursor::new(rest), format);
    // The rest of the selector picks where a file scan's region boundary falls.
    let cut = rest.len() * usize::from(which / 5).min(50) / 50;
    regions_agree(rest, cut, format);
}

/// A file scanned as two regions cut at `cut` gives the matches, line ends and bytes of one
/// region over the whole file: no match is lost or counted twice at a region boundary. (File
/// scans read memory-mapped regions of this kind; `data` stands for the map.)
fn regions_agree(data: &[u8], cut: usize, format: CorpusFormat) {
    use aibom::pii::cells::Header;
    use aibom::pii::stream::{Hit, RegionScan, Syntax, scan_region_mapped};
    let header = Header::parse(data, format);
    let format = Syntax::of(format, &header);
    let flat = |hits: &[Hit], lines_before: u64| -> Vec<(String, String, u64, bool)> {
        hits.iter()
            .map(|h| {
                let kind = format!("{:?}", h.kind);
                (
                    kind,
                    h.normalized.clone(),
                    lines_before + h.line,
                    h.synthetic,
                )
            })
            .collect()
    };
    // Whether the second region starts inside a quoted CSV cell (other formats ignore it).
    let open = aibom::pii::cells::odd_quotes(&data[..cut]);
    let whole: RegionScan = scan_region_mapped(data, 0, data.len(), format, false);
    let first = scan_region_mapped(data, 0, cut, format, false);
    let second = scan_region_mapped(data, cut, data.len(), format, open);
    let mut split = flat(&first.hits, 0);
    split.extend(flat(&second.hits, first.newlines));
    assert_eq!(split, flat(&whole.hits, 0), "matches, cut at {cut}");
    assert_eq!(
        first.newlines + second.newlines,
        whole.newlines,
        "line ends"
    );
    assert_eq!(first.bytes + second.bytes, whole.bytes, "bytes");
}

/// Parquet footers and pages: the corpus statistics (footer only) and the PII scan of string
/// columns (pages decoded and decompressed).
pub fn parquet_target(data: &[u8]) {
    let _ = corpus::scan_parquet_bytes(data);
    let mut matches = 0u64;
    let report = aibom::pii::scan_bytes(data, CorpusFormat::Parquet, &mut |_| matches += 1);
    let _ = (report, matches);
}

/// MCP configs, tool JSON and tool declarations in code.
pub fn mcp_tools(data: &[u8]) {
    let (which, rest) = selector(data);
    let Some(text) = text(rest) else { return };
    match which % 6 {
        0 => {
            let _ = mcp::parse(text);
        }
        1 => {
            let _ = tool_json::parse(text, "fuzz");
        }
        2 => {
            let _ = tool_code::scan(text, tool_code::Language::Python, "fuzz");
        }
        3 => {
            let _ = tool_code::scan(text, tool_code::Language::Script, "fuzz");
        }
        4 => {
            let _ = tool_code::scan(text, tool_code::Language::Go, "fuzz");
        }
        _ => {
            let _ = tool_code::scan(text, tool_code::Language::CSharp, "fuzz");
        }
    }
}

/// `aibom.toml` parsing and validation.
pub fn policy_config(data: &[u8]) {
    if let Some(text) = text(data)
        && let Err(err) = aibom::policy::config::load_str(text, "aibom.toml", None)
    {
        let _ = err.line_column();
    }
}

/// One licence-database record (TOML).
pub fn license_record(data: &[u8]) {
    if let Some(text) = text(data) {
        let _ = aibom::license::db::parse_record("fuzz.toml", text);
    }
}
