//! Keras models: `.keras` archives (a zip with `config.json`) and legacy `.h5` files (HDF5 with
//! a JSON `model_config` attribute).
//!
//! A Keras model config names the Python classes a loader instantiates. `Lambda` layers carry
//! marshalled bytecode, and any class or function from a module outside Keras is custom code a
//! loader must import (the `safe_mode` bypasses, e.g. CVE-2025-1550, go through these). This
//! module walks the serialized config and reports layer classes, `Lambda` layers and custom
//! objects; judging them is for `rules/`.
//!
//! There is no light pure-Rust HDF5 reader, so `.h5` files are not parsed as HDF5: a bounded
//! window at the start of the file is searched, in chunks, for the JSON config text, with a
//! byte search for `Lambda` layers as the fallback. This module never deserializes, imports or
//! executes anything, and reads at most [`H5_SCAN_BYTES`] of an `.h5` file.
use super::text::parse_json;
use super::zipped::ZipContainer;
use super::{ParseError, ParseResult, limits};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek};

/// Bytes at the start of an `.h5` file searched for the model config.
pub const H5_SCAN_BYTES: u64 = 64 * 1024 * 1024;
/// JSON objects captured from an `.h5` file before the search gives up on more.
const H5_MAX_CONFIGS: usize = 64;
/// `Lambda` layers reported by the byte-search fallback.
const H5_MAX_LAMBDA_HITS: usize = 10_000;
const H5_CHUNK_BYTES: usize = 1024 * 1024;
const HDF5_MAGIC: &[u8; 8] = b"\x89HDF\r\n\x1a\n";
const CONFIG_START: &[u8] = b"{\"class_name\"";
const LAMBDA_NEEDLES: [&[u8]; 2] = [b"\"class_name\": \"Lambda\"", b"\"class_name\":\"Lambda\""];
const VERSION_ATTRIBUTE: &[u8] = b"keras_version";
/// Bytes kept from one chunk to the next so that no needle is split (longest needle − 1).
const OVERLAP: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CustomObject {
    /// The class name, or for a serialized function (`"class_name": "function"`) the function's
    /// name.
    pub class_name: String,
    pub module: Option<String>,
    pub registered_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KerasScan {
    /// `keras-v3` or `h5`.
    pub format: &'static str,
    pub keras_version: Option<String>,
    /// Layer class names with their counts, sorted.
    pub layer_classes: Vec<(String, usize)>,
    /// Names of `Lambda` layers (they carry marshalled Python bytecode), sorted; `?` when the
    /// layer was found by byte search only.
    pub lambda_layers: Vec<String>,
    /// Classes from modules outside `keras.*` (custom code a loader must import), sorted.
    pub custom_objects: Vec<CustomObject>,
}

/// Scan a Keras 3 `.keras` archive.
pub fn scan_keras_zip<R: Read + Seek>(reader: R) -> ParseResult<KerasScan> {
    let mut zip = ZipContainer::open(reader)?;
    let config = zip
        .read_named("config.json", limits::TEXT_BYTES)?
        .ok_or_else(|| ParseError::new("not a Keras archive: no config.json"))?;
    let config = std::str::from_utf8(&config)
        .map_err(|_| ParseError::new("config.json is not UTF-8"))
        .and_then(parse_json)?;
    let keras_version = match zip.read_named("metadata.json", limits::TEXT_BYTES) {
        Ok(Some(bytes)) => std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| parse_json(text).ok())
            .and_then(|meta| meta.get("keras_version")?.as_str().map(str::to_owned)),
        _ => None,
    };
    let mut scan = KerasScan {
        format: "keras-v3",
        keras_version,
        ..KerasScan::default()
    };
    ConfigWalk::default().run(&config, &mut scan);
    Ok(scan)
}

/// Scan a legacy HDF5 `.h5` model by searching its first [`H5_SCAN_BYTES`] for the JSON config.
pub fn scan_h5<R: Read>(reader: R, file_len: u64) -> ParseResult<KerasScan> {
    scan_h5_chunked(reader, file_len, H5_CHUNK_BYTES)
}

fn scan_h5_chunked<R: Read>(
    mut reader: R,
    file_len: u64,
    chunk_len: usize,
) -> ParseResult<KerasScan> {
    let window = file_len.min(H5_SCAN_BYTES);
    let mut search = H5Search::default();
    let mut chunk = vec![0u8; chunk_len.max(1)];
    let mut offset = 0u64;
    while offset < window {
        let want = usize::try_from(window - offset)
            .unwrap_or(usize::MAX)
            .min(chunk.len());
        let n = read_full(&mut reader, &mut chunk[..want])?;
        if n == 0 {
            break;
        }
        search.feed(offset, &chunk[..n]);
        offset += n as u64;
    }
    search.finish()
}

/// Fill `buf` as far as the reader allows; returns the bytes read (short only at the end).
fn read_full<R: Read>(reader: &mut R, buf: &mut [u8]) -> ParseResult<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(filled)
}

/// Streaming search state over the window of an `.h5` file.
#[derive(Default)]
struct H5Search {
    /// The last [`OVERLAP`] bytes already seen, searched again with the next chunk.
    tail: Vec<u8>,
    magic_at: Option<u64>,
    /// Absolute offset from which JSON is searched for, or fed to the capture in progress.
    json_cursor: u64,
    capture: Option<Capture>,
    configs: Vec<Value>,
    lambda_cursors: [u64; 2],
    lambda_hits: usize,
    keras_version: Option<String>,
}

impl H5Search {
    fn feed(&mut self, chunk_offset: u64, chunk: &[u8]) {
        let mut joined = std::mem::take(&mut self.tail);
        joined.extend_from_slice(chunk);
        let base = chunk_offset - (joined.len() - chunk.len()) as u64;
        let end = base + joined.len() as u64;

        if self.magic_at.is_none() {
            // The superblock is at 0, 512, 1024, 2048 …
            let mut candidate = 0u64;
            while candidate < end {
                let at = candidate
                    .checked_sub(base)
                    .and_then(|i| usize::try_from(i).ok());
                if at.and_then(|i| joined.get(i..i + HDF5_MAGIC.len())) == Some(&HDF5_MAGIC[..]) {
                    self.magic_at = Some(candidate);
                    break;
                }
                candidate = if candidate == 0 { 512 } else { candidate * 2 };
            }
        }

        for (needle, cursor) in LAMBDA_NEEDLES.iter().zip(self.lambda_cursors.iter_mut()) {
            for at in memchr::memmem::find_iter(&joined, needle) {
                let abs = base + at as u64;
                if abs >= *cursor && self.lambda_hits < H5_MAX_LAMBDA_HITS {
                    self.lambda_hits += 1;
                    *cursor = abs + 1;
                }
            }
        }

        if self.keras_version.is_none() {
            self.keras_version = find_version(&joined);
        }

        let mut pos = usize::try_from(self.json_cursor.saturating_sub(base)).unwrap_or(usize::MAX);
        while pos < joined.len() {
            let rest = &joined[pos..];
            if let Some(capture) = &mut self.capture {
                match capture.feed(rest) {
                    Step::More => pos = joined.len(),
                    Step::Abandon(used) => {
                        pos += used;
                        self.capture = None;
                    }
                    Step::Done(used) => {
                        pos += used;
                        let json = self.capture.take().map(|c| c.buf).unwrap_or_default();
                        let parsed = std::str::from_utf8(&json)
                            .ok()
                            .and_then(|t| parse_json(t).ok());
                        if let Some(value) = parsed.filter(Value::is_object) {
                            self.configs.push(value);
                        }
                    }
                }
            } else if self.configs.len() >= H5_MAX_CONFIGS {
                pos = joined.len();
            } else if let Some(at) = memchr::memmem::find(rest, CONFIG_START) {
                pos += at;
                self.capture = Some(Capture::default());
            } else {
                // Leave room for a needle split across chunks.
                pos = pos.max(joined.len().saturating_sub(CONFIG_START.len() - 1));
                break;
            }
        }
        self.json_cursor = base + pos as u64;

        let keep = joined.len().min(OVERLAP);
        self.tail = joined.split_off(joined.len() - keep);
    }

    fn finish(self) -> ParseResult<KerasScan> {
        if self.magic_at.is_none() {
            return Err(ParseError::new(
                "not an HDF5 file: no superblock signature found",
            ));
        }
        let mut scan = KerasScan {
            format: "h5",
            keras_version: self.keras_version,
            ..KerasScan::default()
        };
        if let Some(model) = self.configs.iter().find(|c| looks_like_model(c)) {
            ConfigWalk::default().run(model, &mut scan);
        } else if self.lambda_hits > 0 {
            scan.layer_classes = vec![("Lambda".to_owned(), self.lambda_hits)];
            scan.lambda_layers = vec!["?".to_owned(); self.lambda_hits];
        }
        Ok(scan)
    }
}

/// A model config (rather than an optimizer or layer config found elsewhere in the file).
fn looks_like_model(config: &Value) -> bool {
    let inner = config.get("config");
    matches!(
        config.get("class_name").and_then(Value::as_str),
        Some("Sequential" | "Functional" | "Model")
    ) || inner.is_some_and(Value::is_array)
        || inner
            .and_then(|c| c.get("layers"))
            .is_some_and(Value::is_array)
}

/// A version such as `2.13.1` within a few hundred bytes after the `keras_version` attribute
/// name, when it lies wholly inside `bytes`.
fn find_version(bytes: &[u8]) -> Option<String> {
    let at = memchr::memmem::find(bytes, VERSION_ATTRIBUTE)? + VERSION_ATTRIBUTE.len();
    let window = bytes.get(at..)?;
    let window = &window[..window.len().min(256)];
    let start = window.iter().position(u8::is_ascii_digit)?;
    let len = window[start..]
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'.'))?;
    let version = std::str::from_utf8(&window[start..start + len])
        .ok()?
        .trim_end_matches('.');
    let parts: Vec<&str> = version.split('.').collect();
    (parts.len() >= 2 && parts.iter().all(|p| !p.is_empty())).then(|| version.to_owned())
}

enum Step {
    /// Every byte was taken; the object continues.
    More,
    /// The object ended after this many bytes.
    Done(usize),
    /// Not JSON, or too large; stopped after this many bytes.
    Abandon(usize),
}

/// A balanced JSON object being copied out of the file.
#[derive(Default)]
struct Capture {
    buf: Vec<u8>,
    depth: usize,
    in_string: bool,
    escaped: bool,
}

impl Capture {
    fn feed(&mut self, bytes: &[u8]) -> Step {
        for (i, &b) in bytes.iter().enumerate() {
            if self.buf.len() as u64 >= limits::TEXT_BYTES
                || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            {
                return Step::Abandon(i + 1);
            }
            self.buf.push(b);
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Step::Done(i + 1);
                    }
                }
                _ => {}
            }
        }
        Step::More
    }
}

/// Keys whose value (or, for lists, whose elements) are layers.
const LAYER_KEYS: &[&str] = &[
    "backward_layer",
    "cell",
    "cells",
    "forward_layer",
    "layer",
    "layers",
];

#[derive(Default)]
struct ConfigWalk {
    classes: BTreeMap<String, usize>,
    lambdas: Vec<String>,
    custom: BTreeSet<CustomObject>,
}

impl ConfigWalk {
    fn run(mut self, config: &Value, scan: &mut KerasScan) {
        self.visit(config, true, 0);
        scan.layer_classes = self.classes.into_iter().collect();
        self.lambdas.sort();
        scan.lambda_layers = self.lambdas;
        scan.custom_objects = self.custom.into_iter().collect();
    }

    fn visit(&mut self, value: &Value, is_layer: bool, depth: usize) {
        if depth > limits::NESTING_DEPTH {
            return;
        }
        match value {
            Value::Array(items) => {
                for item in items {
                    self.visit(item, is_layer, depth + 1);
                }
            }
            Value::Object(map) => {
                let class_name = map.get("class_name").and_then(Value::as_str);
                if let Some(class_name) = class_name {
                    self.serialized_object(map, class_name, is_layer);
                }
                for (key, child) in map {
                    let child_is_layer = LAYER_KEYS.contains(&key.as_str())
                        || (is_layer
                            && class_name.is_some()
                            && key == "config"
                            && child.is_array());
                    self.visit(child, child_is_layer, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn serialized_object(
        &mut self,
        map: &serde_json::Map<String, Value>,
        class_name: &str,
        is_layer: bool,
    ) {
        let config = map.get("config");
        if is_layer {
            *self.classes.entry(class_name.to_owned()).or_default() += 1;
            if class_name == "Lambda" {
                let name = config
                    .and_then(|c| c.get("name"))
                    .or_else(|| map.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("?");
                self.lambdas.push(name.to_owned());
            }
        }
        let module = map.get("module").and_then(Value::as_str);
        let registered_name = map.get("registered_name").and_then(Value::as_str);
        let outside_keras = module.is_some_and(|m| !is_keras_module(m));
        let registered_custom = registered_name.is_some_and(|r| r.contains('>'));
        if outside_keras || registered_custom || class_name == "__lambda__" {
            let class_name = match (class_name, config.and_then(Value::as_str)) {
                ("function", Some(function)) => function,
                _ => class_name,
            };
            self.custom.insert(CustomObject {
                class_name: class_name.to_owned(),
                module: module.map(str::to_owned),
                registered_name: registered_name.map(str::to_owned),
            });
        }
    }
}

/// Modules that are Keras itself (Keras 3, tf-keras, and Keras as bundled with TensorFlow).
fn is_keras_module(module: &str) -> bool {
    [
        "keras",
        "tf_keras",
        "tensorflow.keras",
        "tensorflow.python.keras",
    ]
    .iter()
    .any(|root| {
        module == *root
            || module
                .strip_prefix(root)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::zipped::tests::build_zip;
    use std::io::Cursor;

    const CONFIG_V3: &str = r#"{
      "module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
      "config": {"name": "model", "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"name": "input"}, "registered_name": null},
        {"module": "keras.layers", "class_name": "Dense", "config": {"name": "d1",
            "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {}},
            "activation": {"module": "acme.activations", "class_name": "function", "config": "swishy", "registered_name": "function"}},
         "registered_name": null},
        {"module": "keras.layers", "class_name": "Lambda", "config": {"name": "to_the_moon",
            "function": {"class_name": "__lambda__", "config": {"code": "4wEAAAAA"}}}, "registered_name": null},
        {"module": "keras.layers", "class_name": "Bidirectional", "config": {"name": "bi",
            "layer": {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "lstm"}},
            "backward_layer": {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "back"}}}},
        {"module": "keras.layers", "class_name": "TimeDistributed", "config": {"name": "td",
            "layer": {"module": "acme.layers", "class_name": "Sparkle", "config": {}, "registered_name": "Custom>Sparkle"}}},
        {"module": "keras.src.models.sequential", "class_name": "Sequential", "config": {"name": "inner", "layers": [
            {"module": "keras.layers", "class_name": "Lambda", "config": {"name": "again"}},
            {"module": "__main__", "class_name": "MyLayer", "config": {}, "registered_name": "MyLayer"},
            {"module": "keras_hub.src.layers", "class_name": "Hub", "config": {}, "registered_name": "keras_hub>Hub"}
        ]}}
      ]}
    }"#;

    fn counts(scan: &KerasScan) -> Vec<(&str, usize)> {
        scan.layer_classes
            .iter()
            .map(|(c, n)| (c.as_str(), *n))
            .collect()
    }

    fn custom(class_name: &str, module: Option<&str>, registered: Option<&str>) -> CustomObject {
        CustomObject {
            class_name: class_name.to_owned(),
            module: module.map(str::to_owned),
            registered_name: registered.map(str::to_owned),
        }
    }

    fn check_v3_walk(scan: &KerasScan) {
        assert_eq!(
            counts(scan),
            [
                ("Bidirectional", 1),
                ("Dense", 1),
                ("Functional", 1),
                ("InputLayer", 1),
                ("LSTM", 2),
                ("Lambda", 2),
                ("MyLayer", 1),
                ("Hub", 1),
                ("Sequential", 1),
                ("Sparkle", 1),
                ("TimeDistributed", 1),
            ]
            .iter()
            .copied()
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect::<Vec<_>>()
        );
        assert_eq!(scan.lambda_layers, ["again", "to_the_moon"]);
        assert_eq!(
            scan.custom_objects,
            vec![
                custom("Hub", Some("keras_hub.src.layers"), Some("keras_hub>Hub")),
                custom("MyLayer", Some("__main__"), Some("MyLayer")),
                custom("Sparkle", Some("acme.layers"), Some("Custom>Sparkle")),
                custom("__lambda__", None, None),
                custom("swishy", Some("acme.activations"), Some("function")),
            ]
        );
    }

    #[test]
    fn keras_v3_archive_is_walked() {
        let bytes = build_zip(
            &[
                (
                    "metadata.json",
                    br#"{"keras_version": "3.4.1", "date_saved": "2024-07-01@12:00:00"}"#,
                ),
                ("config.json", CONFIG_V3.as_bytes()),
                ("model.weights.h5", b"\x89HDF\r\n\x1a\n"),
            ],
            true,
        );
        let scan = scan_keras_zip(Cursor::new(bytes)).unwrap();
        assert_eq!(scan.format, "keras-v3");
        assert_eq!(scan.keras_version.as_deref(), Some("3.4.1"));
        check_v3_walk(&scan);
    }

    #[test]
    fn keras_archive_errors() {
        let no_config = build_zip(&[("metadata.json", b"{}")], false);
        assert!(
            scan_keras_zip(Cursor::new(no_config))
                .unwrap_err()
                .message
                .contains("config.json")
        );
        let bad_json = build_zip(&[("config.json", b"{\"class_name\": ")], false);
        assert!(scan_keras_zip(Cursor::new(bad_json)).is_err());
        assert!(scan_keras_zip(Cursor::new(b"PK\x03\x04".to_vec())).is_err());
        // a bad metadata.json only loses the version
        let bad_meta = build_zip(&[("config.json", b"{}"), ("metadata.json", b"\xff")], false);
        assert_eq!(
            scan_keras_zip(Cursor::new(bad_meta)).unwrap().keras_version,
            None
        );
    }

    #[test]
    fn keras_modules_are_recognised() {
        assert!(is_keras_module("keras"));
        assert!(is_keras_module("keras.src.layers.core.dense"));
        assert!(is_keras_module("tf_keras.src.engine"));
        assert!(is_keras_module("tensorflow.python.keras.layers"));
        assert!(!is_keras_module("keras_hub.src.models"));
        assert!(!is_keras_module("kerasx"));
        assert!(!is_keras_module("acme.keras"));
    }

    /// A fake HDF5 file: superblock signature, binary noise, attributes holding JSON.
    fn fake_h5(user_block: usize, attributes: &[&[u8]]) -> Vec<u8> {
        let mut out = vec![0u8; user_block];
        out.extend(HDF5_MAGIC);
        out.extend((0..200u32).map(|i| (i * 7 % 251) as u8));
        for attribute in attributes {
            out.extend(b"\x00\x01\x00\x08");
            out.extend(*attribute);
            out.extend([0u8; 11]);
        }
        out.extend((0..300u32).map(|i| (i * 13 % 256) as u8));
        out
    }

    const TRAINING_CONFIG: &[u8] =
        br#"{"loss": "mse", "optimizer_config": {"class_name": "Adam", "config": {"lr": 0.001}}}"#;
    const CONFIG_H5: &[u8] = br#"{"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d", "units": 3}}, {"class_name": "Lambda", "config": {"name": "lam", "function": ["4wEAAA\"}{", null, null], "function_type": "lambda"}}]}, "keras_version": "2.x", "backend": "tensorflow"}"#;

    #[test]
    fn h5_model_config_is_found_in_every_chunking() {
        let bytes = fake_h5(
            0,
            &[
                b"keras_version\x00\x00\x00\x0c\x00\x002.13.1",
                TRAINING_CONFIG,
                CONFIG_H5,
            ],
        );
        for chunk in (1..80).chain([4096, H5_CHUNK_BYTES]) {
            let scan = scan_h5_chunked(&bytes[..], bytes.len() as u64, chunk).unwrap();
            assert_eq!(scan.format, "h5");
            assert_eq!(
                counts(&scan),
                [("Dense", 1), ("Lambda", 1), ("Sequential", 1)],
                "chunk {chunk}"
            );
            assert_eq!(scan.lambda_layers, ["lam"]);
            assert!(scan.custom_objects.is_empty());
            if chunk >= 64 {
                assert_eq!(scan.keras_version.as_deref(), Some("2.13.1"));
            }
        }
    }

    #[test]
    fn h5_legacy_sequential_list_config() {
        let config = br#"{"class_name": "Sequential", "config": [{"class_name": "Lambda", "config": {"name": "l1"}}]}"#;
        let bytes = fake_h5(512, &[config]);
        let scan = scan_h5(&bytes[..], bytes.len() as u64).unwrap();
        assert_eq!(scan.lambda_layers, ["l1"]);
        assert_eq!(scan.keras_version, None);
    }

    #[test]
    fn h5_falls_back_to_a_byte_search() {
        // The config is cut by binary data, so it is not valid JSON.
        let broken = br#"{"class_name": "Model", "config": {"layers": [{"class_name": "Lambda", "x": 1}, {"class_name":"Lambda""#;
        let bytes = fake_h5(0, &[broken, TRAINING_CONFIG]);
        let scan = scan_h5_chunked(&bytes[..], bytes.len() as u64, 7).unwrap();
        assert_eq!(counts(&scan), [("Lambda", 2)]);
        assert_eq!(scan.lambda_layers, ["?", "?"]);
        // without any config, an h5 file is just weights
        let bytes = fake_h5(0, &[TRAINING_CONFIG]);
        let scan = scan_h5(&bytes[..], bytes.len() as u64).unwrap();
        assert!(scan.layer_classes.is_empty());
    }

    #[test]
    fn h5_requires_the_signature_in_the_window() {
        assert!(scan_h5(&b"not hdf5 at all"[..], 15).is_err());
        let bytes = fake_h5(300, &[CONFIG_H5]);
        assert!(
            scan_h5(&bytes[..], bytes.len() as u64).is_err(),
            "300 is not a superblock offset"
        );
        let bytes = fake_h5(1024, &[CONFIG_H5]);
        assert!(scan_h5(&bytes[..], bytes.len() as u64).is_ok());
        // the window is bounded by the declared file length
        assert!(scan_h5(&bytes[..], 1000).is_err());
        assert!(scan_h5(&b""[..], 0).is_err());
    }

    #[test]
    fn h5_runaway_objects_are_abandoned() {
        let mut attribute = b"{\"class_name\": ".to_vec();
        attribute.extend(std::iter::repeat_n(b'[', 5000));
        let bytes = fake_h5(0, &[&attribute, CONFIG_H5]);
        let scan = scan_h5(&bytes[..], bytes.len() as u64).unwrap();
        assert_eq!(scan.lambda_layers, ["lam"]);
    }

    #[test]
    fn find_version_needs_a_dotted_number() {
        assert_eq!(
            find_version(b"keras_version\0\0\x05\x002.4.0\0"),
            Some("2.4.0".to_owned())
        );
        assert_eq!(find_version(b"keras_version\0\0\x05\x00garbage 7\0"), None);
        assert_eq!(
            find_version(b"keras_version 2.4"),
            None,
            "may continue in the next chunk"
        );
        assert_eq!(find_version(b"no attribute 2.4.0 "), None);
    }
}
