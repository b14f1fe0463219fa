//! One parsed file: its kind, where its hash came from, and what its parser returned.
//!
//! This is the seam between the per-kind parsers and the inventory: `parse_file` opens a file
//! (bounded reads only; a file of up to [`WHOLE_FILE_BYTES`] is read whole and parsed from
//! memory), picks the parser for its kind, and folds every outcome — including an LFS pointer
//! standing in for the real content — into a `ParsedFile` value.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use serde::Serialize;

use super::corpus::CorpusFormat;
use super::{
    ParseError, ParseResult, card, corpus, croissant, gguf, hf_config, keras, lfs, limits, mcp,
    numpy, onnx, pickle, prompt, safetensors, tool_code, tool_json, training, zipped,
};
use crate::detect::{ArtifactKind, Sniffed, sniff};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HashSource {
    /// The `oid sha256:` of a Git LFS pointer.
    LfsPointer,
    /// A Hugging Face cache blob name.
    HfCacheBlob,
    /// The file's content, hashed by this scan or by an earlier one (the hash cache); the two
    /// are not distinguished so that a rescan gives identical output.
    Content,
}

/// One value per parsed file, held until the scan ends; boxing the larger variants would save
/// a few hundred bytes per file and cost an allocation each, so they are not boxed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "data", rename_all = "kebab-case")]
#[allow(clippy::large_enum_variant)]
pub enum Artifact {
    AdapterConfig(hf_config::AdapterConfig),
    Card(card::Card),
    Changelog(prompt::Changelog),
    ChatTemplate(hf_config::TokenizerConfig),
    Corpus(corpus::CorpusStats),
    Croissant(croissant::Croissant),
    DatasetInfo(BTreeMap<String, training::DatasetInfoEntry>),
    Gguf(gguf::GgufMetadata),
    Keras(keras::KerasScan),
    LfsPointer {
        oid_sha256: String,
        size: u64,
    },
    LicenseFile {
        title: String,
        /// The text normalised for fingerprint matching (`license::normalize`), at most
        /// `LICENSE_TEXT_BYTES` of the file.
        #[serde(skip)]
        normalized: String,
        /// SHA-256 of the file's bytes (what `[[licenses.clarify]]` pins).
        content_sha256: Option<String>,
        /// The licences a short file names (`license::notice`), read in case no fingerprint
        /// identifies it; `None` for a longer file, or one that names none.
        #[serde(skip)]
        notice: Option<crate::license::notice::Notice>,
        /// What the text says the file covers (`license::statement`); `normalized` is then the
        /// text after the preamble that says it.
        #[serde(skip)]
        statement: Option<crate::license::statement::Statement>,
    },
    McpConfig(mcp::McpConfig),
    ModelConfig(hf_config::ModelConfig),
    Npy(numpy::NpyScan),
    Npz(numpy::NpzScan),
    Onnx(onnx::OnnxMetadata),
    Pickle(pickle::PickleScan),
    Prompt(prompt::Prompt),
    /// A `config.json` that describes a Semantic Kernel prompt, not a model.
    PromptConfig(prompt::PromptConfig),
    PromptfooConfig(prompt::PromptfooConfig),
    Safetensors(safetensors::SafetensorsHeader),
    ShardIndex(safetensors::ShardIndex),
    TokenizerConfig(hf_config::TokenizerConfig),
    /// Agent tools defined in a JSON tool list.
    Tools(Vec<tool_json::ToolDecl>),
    /// A source file's agent tools, the MCP servers it constructs and its relative imports.
    SourceTools(tool_code::SourceTools),
    TorchZip(zipped::TorchZipScan),
    Training(training::TrainingConfig),
    /// A YAML/JSON candidate that turned out not to be a training config.
    Other,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParsedFile {
    pub path: String,
    pub kind: ArtifactKind,
    /// The size of the content: the real size for an LFS pointer.
    pub size: u64,
    pub sha256: Option<String>,
    pub hash_source: Option<HashSource>,
    pub artifact: Result<Artifact, ParseError>,
    /// The component this file belongs to, set by the inventory.
    pub component: Option<String>,
}

impl ParsedFile {
    pub fn is_lfs_pointer(&self) -> bool {
        matches!(self.artifact, Ok(Artifact::LfsPointer { .. }))
    }
}

/// Licence files are read up to this many bytes (the longest common licence texts are under
/// 100 KB).
const LICENSE_TEXT_BYTES: u64 = 1024 * 1024;

/// Read a whole text artefact (at most `limits::TEXT_BYTES`) from an open file as UTF-8.
fn read_text(mut file: &File, size: u64) -> ParseResult<String> {
    if size > limits::TEXT_BYTES {
        return Err(ParseError::limit(
            "text size",
            format!(
                "{size} bytes is more than the {} byte limit for text artefacts",
                limits::TEXT_BYTES
            ),
        ));
    }
    file.seek(SeekFrom::Start(0))?;
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limits::TEXT_BYTES).read_to_end(&mut bytes)?;
    utf8(bytes)
}

/// Files up to this size are read whole, in one go, and parsed (and hashed) from memory: on a
/// repository of small cards, configs and fixtures, the system calls of reading a file piece
/// by piece cost more than parsing it.
pub const WHOLE_FILE_BYTES: u64 = 1 << 20;

/// What `parse_file` found, and the open file or its bytes, so the caller can hash it without
/// opening it again.
pub struct Parsed {
    pub artifact: ParseResult<Artifact>,
    /// Set when the file is a Git LFS pointer standing in for the real content.
    pub pointer: Option<lfs::LfsPointer>,
    pub file: Option<File>,
    /// The whole content, when the file was small enough to be read whole.
    pub bytes: Option<Vec<u8>>,
}

/// Where a parser reads a file's content from.
#[derive(Clone, Copy)]
enum Content<'a> {
    /// The open file, at its start.
    File(&'a File),
    /// All of its bytes.
    Bytes(&'a [u8]),
}

impl<'a> Content<'a> {
    /// The whole content as UTF-8 (at most `limits::TEXT_BYTES`).
    fn text(self, size: u64) -> ParseResult<String> {
        match self {
            Content::File(file) => read_text(file, size),
            Content::Bytes(bytes) => utf8(bytes.to_vec()),
        }
    }

    /// The first `limit` bytes.
    fn head(self, limit: u64) -> std::io::Result<Cow<'a, [u8]>> {
        match self {
            Content::File(file) => {
                let mut bytes = Vec::new();
                file.take(limit).read_to_end(&mut bytes)?;
                Ok(Cow::Owned(bytes))
            }
            Content::Bytes(bytes) => {
                let end = bytes
                    .len()
                    .min(usize::try_from(limit).unwrap_or(usize::MAX));
                Ok(Cow::Borrowed(&bytes[..end]))
            }
        }
    }
}

fn utf8(bytes: Vec<u8>) -> ParseResult<String> {
    String::from_utf8(bytes)
        .map_err(|e| ParseError::at(e.utf8_error().valid_up_to() as u64, "not valid UTF-8"))
}

/// Parse one file whose kind is known: the artefact (or why it could not be parsed) and, for
/// an LFS pointer, the pointer.
pub fn parse_file(path: &Path, kind: ArtifactKind, size: u64) -> Parsed {
    let failed = |e: ParseError| Parsed {
        artifact: Err(e),
        pointer: None,
        file: None,
        bytes: None,
    };
    let mut file = match crate::walk::open_regular(path) {
        Ok(f) => f,
        Err(e) => return failed(e.into()),
    };
    let whole = match (size <= WHOLE_FILE_BYTES).then(|| read_whole(&file, size)) {
        None => None,
        Some(Ok(whole)) => whole,
        Some(Err(e)) => return failed(e.into()),
    };
    let sniffed = match &whole {
        Some(bytes) => sniff(&bytes[..bytes.len().min(64)]),
        None => {
            let mut prefix = [0u8; 64];
            match read_prefix(&mut file, &mut prefix) {
                Ok(n) => sniff(&prefix[..n]),
                Err(e) => return failed(e.into()),
            }
        }
    };
    let content = match &whole {
        Some(bytes) => Ok(Content::Bytes(bytes)),
        None => file
            .seek(SeekFrom::Start(0))
            .map(|_| Content::File(&file))
            .map_err(ParseError::from),
    };
    let (artifact, pointer) = if sniffed == Sniffed::LfsPointer && size <= lfs::MAX_POINTER_BYTES {
        match content
            .and_then(|c| c.text(size))
            .and_then(|t| lfs::parse(t.as_bytes()))
        {
            Ok(p) => (
                Ok(Artifact::LfsPointer {
                    oid_sha256: p.oid_sha256.clone(),
                    size: p.size,
                }),
                Some(p),
            ),
            Err(e) => (Err(e), None),
        }
    } else {
        let artifact = content.and_then(|c| parse_content(path, c, kind, size, sniffed));
        (artifact, None)
    };
    Parsed {
        artifact,
        pointer,
        file: Some(file),
        bytes: whole,
    }
}

/// The whole file, or `None` when it has grown past [`WHOLE_FILE_BYTES`] since the walk. Room
/// for one byte more than `size` (what the walk saw) lets the end of the file show in two
/// reads.
fn read_whole(file: &File, size: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(WHOLE_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= WHOLE_FILE_BYTES).then_some(bytes))
}

fn read_prefix(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn parse_content(
    path: &Path,
    content: Content<'_>,
    kind: ArtifactKind,
    size: u64,
    sniffed: Sniffed,
) -> ParseResult<Artifact> {
    use ArtifactKind as K;
    let text = || content.text(size);
    match kind {
        K::Safetensors | K::Gguf | K::Pickle | K::Keras | K::H5 | K::Onnx | K::Npy | K::Npz => {
            let parsed = match content {
                Content::File(file) => {
                    parse_binary(BufReader::with_capacity(1 << 16, file), kind, size, sniffed)
                }
                Content::Bytes(bytes) => parse_binary(Cursor::new(bytes), kind, size, sniffed),
            };
            let unread = match &parsed {
                Err(_) => true,
                // torch.load decompresses nothing: a compressed `.bin` stopped by its
                // decompression budget before any import is no checkpoint either.
                Ok(Artifact::Pickle(scan)) => {
                    scan.compression.is_some()
                        && scan.stopped_at_limit.is_some()
                        && scan.globals.is_empty()
                }
                Ok(_) => false,
            };
            if unread && kind == K::Pickle && sniffed != Sniffed::Zip && is_generic_bin(path) {
                // Many formats end in `.bin` (legacy GGML models, vector indexes, raw arrays,
                // compressed blobs). A pickle walk that fails before it meets any import cannot
                // run anything, and `torch.load` decompresses nothing, so such a file is not a
                // PyTorch checkpoint: it is not an artefact at all.
                return Ok(Artifact::Other);
            }
            parsed
        }
        K::ShardIndex => Ok(Artifact::ShardIndex(safetensors::parse_index(&text()?)?)),
        K::Card => Ok(Artifact::Card(card::parse(&text()?)?)),
        K::ModelConfig => {
            let text = text()?;
            Ok(match prompt::parse_semantic_kernel_config(&text) {
                Some(config) => Artifact::PromptConfig(config),
                None => Artifact::ModelConfig(hf_config::parse_model_config(&text)?),
            })
        }
        K::AdapterConfig => Ok(Artifact::AdapterConfig(hf_config::parse_adapter_config(
            &text()?,
        )?)),
        K::TokenizerConfig => Ok(Artifact::TokenizerConfig(
            hf_config::parse_tokenizer_config(&text()?)?,
        )),
        K::ChatTemplate => Ok(Artifact::ChatTemplate(hf_config::parse_chat_template_file(
            &text()?,
        ))),
        K::ChatTemplateJson => Ok(Artifact::ChatTemplate(hf_config::parse_tokenizer_config(
            &text()?,
        )?)),
        K::Croissant => Ok(Artifact::Croissant(croissant::parse(&text()?)?)),
        K::DatasetInfo => Ok(Artifact::DatasetInfo(training::parse_dataset_info(
            &text()?
        )?)),
        K::TrainingCandidate => {
            if size > 1024 * 1024 {
                return Ok(Artifact::Other);
            }
            let is_yaml = path.extension().is_none_or(|e| e != "json");
            Ok(training::parse(&text()?, is_yaml)?.map_or(Artifact::Other, Artifact::Training))
        }
        K::Corpus(CorpusFormat::Parquet) => Ok(Artifact::Corpus(match content {
            Content::File(file) => corpus::scan_parquet(file.try_clone()?)?,
            Content::Bytes(bytes) => corpus::scan_parquet_bytes(bytes)?,
        })),
        K::Corpus(format) => Ok(Artifact::Corpus(match content {
            Content::File(file) => {
                let regions = (format == CorpusFormat::Jsonl)
                    .then(|| corpus::scan_jsonl_file(file))
                    .flatten();
                match regions {
                    Some(stats) => stats,
                    None => corpus::scan_text(BufReader::with_capacity(1 << 16, file), format)?,
                }
            }
            Content::Bytes(bytes) => corpus::scan_text(bytes, format)?,
        })),
        K::Prompt(format) => Ok(Artifact::Prompt(prompt::parse(&text()?, format)?)),
        K::PromptfooConfig => Ok(Artifact::PromptfooConfig(
            prompt::parse_promptfoo(&text()?)?,
        )),
        K::Changelog => Ok(Artifact::Changelog(prompt::Changelog { text: text()? })),
        K::McpConfig => Ok(Artifact::McpConfig(mcp::parse(&text()?)?)),
        K::ToolJson => {
            let stem = file_stem(path);
            Ok(tool_json::parse(&text()?, &stem)?.map_or(Artifact::Other, Artifact::Tools))
        }
        K::ToolCode => {
            if size > tool_code::MAX_SOURCE_BYTES {
                return Ok(Artifact::Other);
            }
            let bytes = content.head(tool_code::MAX_SOURCE_BYTES)?;
            let text = String::from_utf8_lossy(&bytes);
            let language = match path.extension().and_then(|e| e.to_str()) {
                Some("py") => tool_code::Language::Python,
                Some("go") => tool_code::Language::Go,
                Some("cs") => tool_code::Language::CSharp,
                _ => tool_code::Language::Script,
            };
            let source = tool_code::scan(&text, language, &file_stem(path))?;
            Ok(if source.is_empty() {
                Artifact::Other
            } else {
                Artifact::SourceTools(source)
            })
        }
        K::LicenseFile => {
            let bytes = content.head(LICENSE_TEXT_BYTES)?;
            let content_sha256 =
                (size <= LICENSE_TEXT_BYTES).then(|| crate::license::db::sha256_bytes_hex(&bytes));
            let text = String::from_utf8_lossy(&bytes);
            let statement = crate::license::statement::read(&text);
            let body = statement.as_ref().map_or(&*text, |s| &text[s.body_start..]);
            let normalized = crate::license::normalize(body);
            let notice =
                crate::license::notice::read(body, crate::license::word_count(&normalized));
            let file_name = path.file_name().unwrap_or_default().to_string_lossy();
            let title = crate::license::title::document_name(&text, &file_name);
            Ok(Artifact::LicenseFile {
                title,
                normalized,
                content_sha256,
                notice,
                statement,
            })
        }
    }
}

/// The weight formats, read from the file or from its bytes.
fn parse_binary<R: Read + Seek>(
    reader: R,
    kind: ArtifactKind,
    size: u64,
    sniffed: Sniffed,
) -> ParseResult<Artifact> {
    use ArtifactKind as K;
    match kind {
        K::Safetensors => {
            let header = safetensors::parse_header(reader, size)?;
            if header.expected_file_len != size {
                return Err(ParseError::new(format!(
                    "file is {size} bytes but its header describes {} bytes (8 + {} header + {} data): truncated or padded",
                    header.expected_file_len, header.header_len, header.data_len
                )));
            }
            Ok(Artifact::Safetensors(header))
        }
        K::Gguf => Ok(Artifact::Gguf(gguf::parse(reader, size)?)),
        K::Pickle if sniffed == Sniffed::Zip => {
            Ok(Artifact::TorchZip(zipped::scan_torch_zip(reader)?))
        }
        K::Pickle => Ok(Artifact::Pickle(pickle::scan_file(reader, size)?)),
        K::Keras => Ok(Artifact::Keras(keras::scan_keras_zip(reader)?)),
        K::H5 => Ok(Artifact::Keras(keras::scan_h5(reader, size)?)),
        K::Onnx => Ok(Artifact::Onnx(onnx::parse(reader, size)?)),
        K::Npy => Ok(Artifact::Npy(numpy::scan_npy(reader, size)?)),
        K::Npz => Ok(Artifact::Npz(numpy::scan_npz(reader)?)),
        other => Err(ParseError::new(format!(
            "{} is not a weights format",
            other.name()
        ))),
    }
}

/// A file's name without its extensions (`billing.tools.json` → `billing`), for tools whose
/// server is not named in the file.
/// Whether a file ends in `.bin`, which many formats share, without the name of a PyTorch pickle
/// of the Hugging Face and PEFT conventions (`pytorch_model*.bin`, `adapter_model.bin`,
/// `training_args.bin` …).
fn is_generic_bin(path: &Path) -> bool {
    const TORCH_BIN_NAMES: &[&str] = &[
        "adapter_model",
        "optimizer",
        "pytorch_model",
        "rng_state",
        "scheduler",
        "training_args",
    ];
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".bin") && !TORCH_BIN_NAMES.iter().any(|n| name.starts_with(n))
}

fn file_stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let stem = name.split('.').find(|s| !s.is_empty()).unwrap_or("tools");
    stem.trim_end_matches("_tools")
        .trim_end_matches("-tools")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every fixture of a known kind parses to the same artefact, or fails with the same
    /// error, from its bytes read whole as from the open file.
    #[test]
    fn a_file_read_whole_parses_as_when_read_from_the_open_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut compared = 0;
        for entry in walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = crate::walk::rel_path(&root, entry.path());
            let Some(kind) = crate::detect::detect(&rel) else {
                continue;
            };
            let bytes = std::fs::read(entry.path()).unwrap();
            let size = bytes.len() as u64;
            let sniffed = sniff(&bytes[..bytes.len().min(64)]);
            let file = File::open(entry.path()).unwrap();
            let parse = |content| {
                parse_content(entry.path(), content, kind, size, sniffed).map_err(|e| e.to_string())
            };
            assert_eq!(
                parse(Content::File(&file)),
                parse(Content::Bytes(&bytes)),
                "{rel}"
            );
            compared += 1;
        }
        assert!(compared > 300, "only {compared} fixtures compared");
    }

    /// A `.bin` file that is no pickle is not an artefact, unless its name says PyTorch wrote
    /// it; a `.bin` pickle is read whatever its name.
    #[test]
    fn a_bin_file_that_is_no_pickle_is_a_model_only_by_its_torch_name() {
        let parse = |name: &str, bytes: &[u8]| {
            let size = bytes.len() as u64;
            let sniffed = sniff(&bytes[..bytes.len().min(64)]);
            parse_content(
                Path::new(name),
                Content::Bytes(bytes),
                ArtifactKind::Pickle,
                size,
                sniffed,
            )
        };
        // A legacy GGML model's magic, then tensor data.
        let ggml = b"lmgg\x01\x00\x00\x00\x80\x0c\x00\x00";
        for name in ["models/ggml-tiny.bin", "index/link_lists.bin", "data/x.BIN"] {
            assert!(matches!(parse(name, ggml), Ok(Artifact::Other)), "{name}");
        }
        for name in [
            "m/pytorch_model.bin",
            "m/pytorch_model-00001-of-00002.bin",
            "a/adapter_model.bin",
            "x.pt",
        ] {
            assert!(parse(name, ggml).is_err(), "{name}");
        }
        let os_system = b"cos\nsystem\n(S'ls'\ntR.";
        let Ok(Artifact::Pickle(scan)) = parse("models/ggml-tiny.bin", os_system) else {
            panic!("a pickle named .bin is read as one");
        };
        assert_eq!(scan.globals[0].name, "system");
        // a compressed blob that is no pickle is not one either
        let xz = b"\xfd7zXZ\x00\x00\x04\xe6\xd6\xb4F";
        assert!(matches!(parse("index/x.bin", xz), Ok(Artifact::Other)));
        let zlib = crate::artifact::compressed::tests::zlib(b"lmgg\x01\x00");
        assert!(matches!(parse("index/x.bin", &zlib), Ok(Artifact::Other)));
        // nor is a compressed blob that inflates past its budget before any import
        let zeros = crate::artifact::compressed::tests::zlib(&[0x80, 4, 0x4e].repeat(1 << 20));
        assert!(matches!(parse("index/x.bin", &zeros), Ok(Artifact::Other)));
        // but a pickle whose walk stops at a limit may still run what follows
        let deep: Vec<u8> = std::iter::repeat_n(b'(', crate::artifact::limits::PICKLE_STACK + 1)
            .chain(*b"cos\nsystem\n")
            .collect();
        let Ok(Artifact::Pickle(scan)) = parse("m/pytorch_model.bin", &deep) else {
            panic!("a pickle stopped at a limit is kept");
        };
        assert_eq!(scan.stopped_at_limit.unwrap().limit, "pickle stack");
    }

    /// A pickle joblib compressed is walked through its compression, whatever the file's name.
    #[test]
    fn a_compressed_pickle_file_is_walked() {
        use crate::artifact::compressed::{Compression, tests};
        let parse = |name: &str, bytes: &[u8]| {
            let sniffed = sniff(&bytes[..bytes.len().min(64)]);
            let kind = crate::detect::detect(name).unwrap();
            parse_content(
                Path::new(name),
                Content::Bytes(bytes),
                kind,
                bytes.len() as u64,
                sniffed,
            )
        };
        let os_system = b"cos\nsystem\n(S'ls'\ntR.";
        for (compression, bytes) in [
            (Compression::Zlib, tests::zlib(os_system)),
            (Compression::Gzip, tests::gzip(os_system)),
            (Compression::Bz2, tests::bz2(os_system)),
            (Compression::Xz, tests::xz(os_system)),
            (Compression::Lzma, tests::lzma(os_system)),
            (Compression::Lz4, tests::lz4(os_system)),
        ] {
            for name in ["m/model.joblib", "m/model.pkl", "m/pytorch_model.bin"] {
                let Ok(Artifact::Pickle(scan)) = parse(name, &bytes) else {
                    panic!("{name} {compression:?} is not read as a pickle");
                };
                assert_eq!(scan.compression, Some(compression));
                assert_eq!(scan.dangerous().count(), 1, "{name} {compression:?}");
            }
        }
        let err = parse("m/model.joblib", b"\xfd7zXZ\x00\x00\x04").unwrap_err();
        assert!(err.message.ends_with("(in the xz stream)"), "{err}");
    }
}
