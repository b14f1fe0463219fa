//! ONNX model metadata, by walking the protobuf wire format by hand.
//!
//! An `.onnx` file is one serialized `ModelProto`. The bill of materials needs its producer,
//! versions, opset imports (a non-default domain means a custom-op library, i.e. native code) and
//! `metadata_props`, and the files it pulls in through external data: tensors whose bytes live in
//! another file named by a relative `location`. A `location` that is absolute or climbs out with
//! `..` is how the ONNX path-traversal CVEs (2022-25882, 2024-27318) worked, so those are listed
//! separately in [`OnnxMetadata::unsafe_external_paths`].
//!
//! The walk reads tags and lengths only and *seeks* over every length-delimited field it does not
//! need — above all `raw_data`, which holds the weights — so a 2 GB model costs a few reads per
//! tensor, not 2 GB. It descends only into the messages that can hold tensors (graphs, nodes,
//! attributes, sparse tensors, training info, functions). Every length is checked against the
//! end of its enclosing message (and so the file) before it is used; kept strings are bounded by
//! [`limits::ONNX_FIELD_BYTES`] each and in total; nesting depth and the number of fields walked
//! are bounded too. Groups and unknown wire types are errors, never guesses.
use super::{ParseError, ParseResult, limits};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufReader, Read, Seek};

/// Nesting of messages walked (model → graph → node → attribute → graph …).
pub const ONNX_NESTING_DEPTH: u32 = 64;
/// Protobuf fields walked in one file, whatever their size.
pub const ONNX_FIELDS_WALKED: u64 = 20_000_000;
/// Bytes of `doc_string` kept.
pub const ONNX_DOC_STRING_BYTES: u64 = 4096;
/// `TensorProto.data_location` value meaning "in another file".
const DATA_LOCATION_EXTERNAL: u64 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OnnxMetadata {
    pub ir_version: Option<i64>,
    pub producer_name: Option<String>,
    pub producer_version: Option<String>,
    pub domain: Option<String>,
    pub model_version: Option<i64>,
    /// The first [`ONNX_DOC_STRING_BYTES`] bytes of the model's `doc_string`.
    pub doc_string: Option<String>,
    /// (domain, version); a non-default domain implies a custom-op library.
    pub opset_imports: Vec<(String, i64)>,
    pub metadata_props: BTreeMap<String, String>,
    /// `location` of external-data tensors, as written; sorted and unique.
    pub external_data: Vec<String>,
    /// Locations from `external_data` that are absolute or contain a `..` component.
    pub unsafe_external_paths: Vec<String>,
    /// Tensors (initializers, constants, sparse parts, anywhere in the model) whose data is
    /// external: `data_location = EXTERNAL` or an `external_data` entry.
    pub external_tensor_count: usize,
}

pub fn parse<R: Read + Seek>(reader: R, file_len: u64) -> ParseResult<OnnxMetadata> {
    parse_bounded(reader, file_len, ONNX_FIELDS_WALKED)
}

fn parse_bounded<R: Read + Seek>(
    reader: R,
    file_len: u64,
    max_fields: u64,
) -> ParseResult<OnnxMetadata> {
    if file_len == 0 {
        return Err(ParseError::new("empty file is not an ONNX model"));
    }
    let mut walker = Walker {
        reader: BufReader::with_capacity(64 * 1024, reader),
        pos: 0,
        fields_walked: 0,
        max_fields,
        kept_bytes: 0,
        out: OnnxMetadata::default(),
        external: BTreeSet::new(),
        saw_graph: false,
    };
    walker.model(file_len)?;
    if walker.out.ir_version.is_none() && !walker.saw_graph {
        return Err(ParseError::new(
            "not an ONNX model: no `ir_version` and no `graph`",
        ));
    }
    let mut out = walker.out;
    out.unsafe_external_paths = walker
        .external
        .iter()
        .filter(|p| is_unsafe_location(p))
        .cloned()
        .collect();
    out.external_data = walker.external.into_iter().collect();
    Ok(out)
}

/// True for an external-data location that is absolute (`/x`, `\x`, `C:…`) or has a `..`
/// component: it would resolve outside the model's directory.
pub fn is_unsafe_location(location: &str) -> bool {
    let drive_letter =
        matches!(location.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic());
    location.starts_with('/')
        || location.starts_with('\\')
        || drive_letter
        || location.split(['/', '\\']).any(|part| part == "..")
}

/// One field's tag and, for length-delimited fields, the payload length (not yet consumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wire {
    Varint(u64),
    /// A fixed-size field, already skipped.
    Fixed,
    Len(u64),
}

struct Walker<R> {
    reader: BufReader<R>,
    pos: u64,
    fields_walked: u64,
    max_fields: u64,
    kept_bytes: u64,
    out: OnnxMetadata,
    external: BTreeSet<String>,
    saw_graph: bool,
}

impl<R: Read + Seek> Walker<R> {
    fn byte(&mut self, end: u64) -> ParseResult<u8> {
        if self.pos >= end {
            return Err(ParseError::at(
                self.pos,
                "ONNX field runs past the end of its message",
            ));
        }
        let mut b = [0u8; 1];
        self.reader
            .read_exact(&mut b)
            .map_err(|e| self.io_error(e))?;
        self.pos += 1;
        Ok(b[0])
    }

    fn io_error(&self, err: std::io::Error) -> ParseError {
        if err.kind() == std::io::ErrorKind::UnexpectedEof {
            ParseError::at(self.pos, "truncated ONNX file")
        } else {
            ParseError::at(self.pos, format!("read error: {err}"))
        }
    }

    fn varint(&mut self, end: u64) -> ParseResult<u64> {
        let start = self.pos;
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte(end)?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(ParseError::at(start, "ONNX varint longer than 10 bytes"))
    }

    fn skip(&mut self, len: u64) -> ParseResult<()> {
        let offset = i64::try_from(len)
            .map_err(|_| ParseError::at(self.pos, "ONNX field length too large"))?;
        self.reader
            .seek_relative(offset)
            .map_err(|e| self.io_error(e))?;
        self.pos += len;
        Ok(())
    }

    /// The next field of a message ending at `end`, or `None` at its end. Fixed-size fields
    /// are skipped; a `Len` payload is checked to fit and left for the caller to read or skip.
    fn next_field(&mut self, end: u64) -> ParseResult<Option<(u64, Wire)>> {
        if self.pos == end {
            return Ok(None);
        }
        self.fields_walked += 1;
        if self.fields_walked > self.max_fields {
            return Err(ParseError::limit(
                "ONNX fields walked",
                format!(
                    "ONNX file has more than {} protobuf fields",
                    self.max_fields
                ),
            ));
        }
        let tag_at = self.pos;
        let tag = self.varint(end)?;
        let field = tag >> 3;
        if field == 0 || field > (1 << 29) - 1 {
            return Err(ParseError::at(
                tag_at,
                format!("invalid protobuf field number {field}"),
            ));
        }
        let wire = match tag & 7 {
            0 => Wire::Varint(self.varint(end)?),
            1 | 5 => {
                let size = if tag & 7 == 1 { 8 } else { 4 };
                if end.saturating_sub(self.pos) < size {
                    return Err(ParseError::at(
                        self.pos,
                        "ONNX fixed-size field runs past the end of its message",
                    ));
                }
                self.skip(size)?;
                Wire::Fixed
            }
            2 => {
                let len = self.varint(end)?;
                let left = end.saturating_sub(self.pos);
                if len > left {
                    return Err(ParseError::at(
                        tag_at,
                        format!(
                            "ONNX field {field} claims {len} bytes but its message has {left} left"
                        ),
                    ));
                }
                Wire::Len(len)
            }
            3 | 4 => {
                return Err(ParseError::at(
                    tag_at,
                    format!("ONNX field {field} uses protobuf groups, which ONNX never does"),
                ));
            }
            other => {
                return Err(ParseError::at(
                    tag_at,
                    format!("ONNX field {field} has invalid wire type {other}"),
                ));
            }
        };
        Ok(Some((field, wire)))
    }

    /// Reads a string payload of `len` bytes, keeping at most `keep` of them.
    fn string(&mut self, len: u64, keep: u64) -> ParseResult<String> {
        if len > limits::ONNX_FIELD_BYTES && keep >= len {
            return Err(ParseError::limit(
                "ONNX field size",
                format!(
                    "ONNX string field of {len} bytes is over the {} byte limit",
                    limits::ONNX_FIELD_BYTES
                ),
            ));
        }
        let kept = len.min(keep);
        self.kept_bytes += kept;
        if self.kept_bytes > limits::ONNX_FIELD_BYTES {
            return Err(ParseError::limit(
                "ONNX field size",
                format!(
                    "ONNX strings kept exceed the {} byte limit in total",
                    limits::ONNX_FIELD_BYTES
                ),
            ));
        }
        let mut buf = Vec::new();
        (&mut self.reader)
            .take(kept)
            .read_to_end(&mut buf)
            .map_err(|e| self.io_error(e))?;
        if (buf.len() as u64) < kept {
            return Err(ParseError::at(
                self.pos + buf.len() as u64,
                "truncated ONNX file",
            ));
        }
        self.pos += kept;
        self.skip(len - kept)?;
        Ok(utf8_prefix(buf))
    }

    fn enter(&self, depth: u32) -> ParseResult<u32> {
        if depth >= ONNX_NESTING_DEPTH {
            return Err(ParseError::limit(
                "ONNX nesting depth",
                format!("ONNX messages nest deeper than {ONNX_NESTING_DEPTH}"),
            ));
        }
        Ok(depth + 1)
    }

    fn model(&mut self, end: u64) -> ParseResult<()> {
        while let Some((field, wire)) = self.next_field(end)? {
            match (field, wire) {
                (1, Wire::Varint(v)) => self.out.ir_version = Some(v as i64),
                (2, Wire::Len(n)) => self.out.producer_name = Some(self.string(n, n)?),
                (3, Wire::Len(n)) => self.out.producer_version = Some(self.string(n, n)?),
                (4, Wire::Len(n)) => self.out.domain = Some(self.string(n, n)?),
                (5, Wire::Varint(v)) => self.out.model_version = Some(v as i64),
                (6, Wire::Len(n)) => {
                    self.out.doc_string = Some(self.string(n, ONNX_DOC_STRING_BYTES)?);
                }
                (7, Wire::Len(n)) => {
                    self.saw_graph = true;
                    self.graph(n, 1)?;
                }
                (8, Wire::Len(n)) => {
                    let (domain, version) = self.opset_import(n)?;
                    self.out.opset_imports.push((domain, version));
                }
                (14, Wire::Len(n)) => {
                    let (key, value) = self.entry(n)?;
                    self.out.metadata_props.entry(key).or_insert(value);
                }
                (20, Wire::Len(n)) => self.training_info(n, 1)?,
                (25, Wire::Len(n)) => self.function(n, 1)?,
                (_, Wire::Len(n)) => self.skip(n)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn message_end(&self, len: u64) -> u64 {
        // `next_field` checked that `len` fits in the enclosing message, itself within the file.
        self.pos + len
    }

    fn opset_import(&mut self, len: u64) -> ParseResult<(String, i64)> {
        let end = self.message_end(len);
        let (mut domain, mut version) = (String::new(), 0i64);
        while let Some((field, wire)) = self.next_field(end)? {
            match (field, wire) {
                (1, Wire::Len(n)) => domain = self.string(n, n)?,
                (2, Wire::Varint(v)) => version = v as i64,
                (_, Wire::Len(n)) => self.skip(n)?,
                _ => {}
            }
        }
        Ok((domain, version))
    }

    /// A `StringStringEntryProto`: (key, value), empty when absent.
    fn entry(&mut self, len: u64) -> ParseResult<(String, String)> {
        let end = self.message_end(len);
        let (mut key, mut value) = (String::new(), String::new());
        while let Some((field, wire)) = self.next_field(end)? {
            match (field, wire) {
                (1, Wire::Len(n)) => key = self.string(n, n)?,
                (2, Wire::Len(n)) => value = self.string(n, n)?,
                (_, Wire::Len(n)) => self.skip(n)?,
                _ => {}
            }
        }
        Ok((key, value))
    }

    /// `GraphProto`: node=1, initializer=5, sparse_initializer=15.
    fn graph(&mut self, len: u64, depth: u32) -> ParseResult<()> {
        let depth = self.enter(depth)?;
        let end = self.message_end(len);
        while let Some((field, wire)) = self.next_field(end)? {
            match (field, wire) {
                (1, Wire::Len(n)) => self.node(n, depth)?,
                (5, Wire::Len(n)) => self.tensor(n, depth)?,
                (15, Wire::Len(n)) => self.sparse_tensor(n, depth)?,
                (_, Wire::Len(n)) => self.skip(n)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// `NodeProto`: attribute=5.
    fn node(&mut self, len: u64, depth: u32) -> ParseResult<()> {
        let depth = self.enter(depth)?;
        let end = self.message_end(len);
        while let Some((field, wire)) = self.next_field(end)? {
            match (field, wire) {
                (5, Wire::Len(n)) => self.attribute(n, depth)?,
                (_, Wire::Len(n)) => self.skip(n)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// `AttributeProto`: t=5, g=6, tensors=10, graphs=11, sparse_tensor=22, sparse_tensors=23.
    fn attribute(&mut self, len: u64, depth: u32) -> ParseResult<()> {
        let depth = self.enter(depth)?;
        let end = self.message_end(len);
        while let Some((field, wire)) = self.next_field(end)? {
            match (field, wire) {
                (5 | 10, Wire::Len(n)) => self.tensor(n, depth)?,
                (6 | 11, Wire::Len(n)) => self.graph(n, depth)?,
                (22 | 23, Wire::Len(n)) => self.sparse_tensor(n, depth)?,
                (_, Wire::Len(n)) => self.skip(n)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// `SparseTensorProto`: values=1, indices=2 (both `TensorProto`).
    fn sparse_tensor(&mut self, len: u64, depth: u32) -> ParseResult<()> {
        let depth = self.enter(depth)?;
        let end = self.message_end(len);
        while let Some((field, wire)) = self.next_field(end)? {
            match (field, wire) {
                (1 | 2, Wire::Len(n)) => self.tensor(n, depth)?,
                (_, Wire::Len(n)) => self.skip(n)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// `TrainingInfoProto`: initialization=1, algorithm=2 (both `GraphProto`).
    fn training_info(&mut self, len: u64, depth: u32) -> ParseResult<()> {
        let depth = self.enter(depth)?;
        let end = self.message_end(len);
        while let Some((field, wire)) = self.next_field(end)? {
            match (field, wire) {
                (1 | 2, Wire::Len(n)) => self.graph(n, depth)?,
                (_, Wire::Len(n)) => self.skip(n)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// `FunctionProto`: node=7.
    fn function(&mut self, len: u64, depth: u32) -> ParseResult<()> {
        let depth = self.enter(depth)?;
        let end = self.message_end(len);
        while let Some((field, wire)) = self.next_field(end)? {
            match (field, wire) {
                (7, Wire::Len(n)) => self.node(n, depth)?,
                (_, Wire::Len(n)) => self.skip(n)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// `TensorProto`: external_data=13, data_location=14; `raw_data`=9 and the rest are skipped.
    fn tensor(&mut self, len: u64, depth: u32) -> ParseResult<()> {
        self.enter(depth)?;
        let end = self.message_end(len);
        let mut external = false;
        while let Some((field, wire)) = self.next_field(end)? {
            match (field, wire) {
                (13, Wire::Len(n)) => {
                    external = true;
                    let (key, value) = self.entry(n)?;
                    if key == "location" {
                        self.external.insert(value);
                    }
                }
                (14, Wire::Varint(v)) => external |= v == DATA_LOCATION_EXTERNAL,
                (_, Wire::Len(n)) => self.skip(n)?,
                _ => {}
            }
        }
        if external {
            self.out.external_tensor_count += 1;
        }
        Ok(())
    }
}

/// UTF-8 text of `bytes`, dropping a multi-byte character cut at the end and replacing
/// invalid sequences elsewhere.
fn utf8_prefix(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(err) => {
            let bytes = err.into_bytes();
            let cut = match std::str::from_utf8(&bytes) {
                Err(e) if e.error_len().is_none() => e.valid_up_to(),
                _ => bytes.len(),
            };
            String::from_utf8_lossy(bytes.get(..cut).unwrap_or(&bytes)).into_owned()
        }
    }
}

#[cfg(test)]
pub mod test_build {
    //! Hand-built protobuf encodings of ONNX messages for tests.

    pub fn varint(mut v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return out;
            }
            out.push(b | 0x80);
        }
    }

    pub fn tag(field: u64, wire: u64) -> Vec<u8> {
        varint(field << 3 | wire)
    }

    /// A varint field.
    pub fn int(field: u64, v: u64) -> Vec<u8> {
        let mut out = tag(field, 0);
        out.extend(varint(v));
        out
    }

    /// A length-delimited field (string, bytes or sub-message).
    pub fn bytes(field: u64, payload: &[u8]) -> Vec<u8> {
        let mut out = tag(field, 2);
        out.extend(varint(payload.len() as u64));
        out.extend_from_slice(payload);
        out
    }

    /// A `StringStringEntryProto` as field `field`.
    pub fn entry(field: u64, key: &str, value: &str) -> Vec<u8> {
        bytes(
            field,
            &[bytes(1, key.as_bytes()), bytes(2, value.as_bytes())].concat(),
        )
    }

    /// An initializer `TensorProto` with `raw` bytes inline (field 5 of a graph).
    pub fn inline_tensor(name: &str, raw: &[u8]) -> Vec<u8> {
        bytes(
            5,
            &[
                int(1, raw.len() as u64),
                int(2, 2),
                bytes(8, name.as_bytes()),
                bytes(9, raw),
            ]
            .concat(),
        )
    }

    /// An initializer `TensorProto` whose data is in `location` (field 5 of a graph).
    pub fn external_tensor(name: &str, location: &str) -> Vec<u8> {
        bytes(5, &external_tensor_body(name, location))
    }

    /// The body of a `TensorProto` whose data is in `location`, to wrap in any field.
    pub fn external_tensor_body(name: &str, location: &str) -> Vec<u8> {
        [
            int(1, 4),
            int(2, 1),
            bytes(8, name.as_bytes()),
            entry(13, "location", location),
            entry(13, "offset", "0"),
            entry(13, "length", "16"),
            int(14, 1),
        ]
        .concat()
    }

    /// A model: ir_version 9, producer, opset imports, one metadata prop, and `graph` as field 7.
    pub fn model(graph: &[u8]) -> Vec<u8> {
        [
            int(1, 9),
            bytes(2, b"pytorch"),
            bytes(3, b"2.3.0"),
            bytes(4, b"ai.example"),
            int(5, 2),
            bytes(6, b"A small model."),
            bytes(7, graph),
            bytes(8, &[bytes(1, b""), int(2, 17)].concat()),
            bytes(8, &[bytes(1, b"com.microsoft"), int(2, 1)].concat()),
            entry(14, "author", "someone"),
        ]
        .concat()
    }
}

#[cfg(test)]
mod tests {
    use super::test_build::*;
    use super::*;
    use std::io::{Cursor, SeekFrom};

    fn parse_bytes(data: &[u8]) -> ParseResult<OnnxMetadata> {
        parse(Cursor::new(data), data.len() as u64)
    }

    #[test]
    fn reads_model_fields() {
        let graph = [bytes(2, b"main"), inline_tensor("w", &[1, 2, 3, 4])].concat();
        let meta = parse_bytes(&model(&graph)).unwrap();
        assert_eq!(meta.ir_version, Some(9));
        assert_eq!(meta.producer_name.as_deref(), Some("pytorch"));
        assert_eq!(meta.producer_version.as_deref(), Some("2.3.0"));
        assert_eq!(meta.domain.as_deref(), Some("ai.example"));
        assert_eq!(meta.model_version, Some(2));
        assert_eq!(meta.doc_string.as_deref(), Some("A small model."));
        assert_eq!(
            meta.opset_imports,
            vec![(String::new(), 17), ("com.microsoft".to_owned(), 1)]
        );
        assert_eq!(
            meta.metadata_props.get("author").map(String::as_str),
            Some("someone")
        );
        assert!(meta.external_data.is_empty());
        assert_eq!(meta.external_tensor_count, 0);
    }

    #[test]
    fn finds_external_data_everywhere_and_flags_unsafe_paths() {
        let constant_node = bytes(
            1,
            &[
                bytes(4, b"Constant"),
                bytes(
                    5,
                    &[
                        bytes(1, b"value"),
                        bytes(5, &external_tensor_body("c", "../../etc/passwd")),
                    ]
                    .concat(),
                ),
            ]
            .concat(),
        );
        let subgraph = [external_tensor("s", "sub.bin")].concat();
        let if_node = bytes(
            1,
            &[
                bytes(4, b"If"),
                bytes(5, &[bytes(1, b"then_branch"), bytes(6, &subgraph)].concat()),
            ]
            .concat(),
        );
        let sparse = bytes(
            15,
            &[bytes(1, &external_tensor_body("v", "/abs/values.bin"))].concat(),
        );
        let graph = [
            external_tensor("a", "weights.bin"),
            external_tensor("b", "weights.bin"),
            constant_node,
            if_node,
            sparse,
            inline_tensor("inline", &[0; 64]),
        ]
        .concat();
        let meta = parse_bytes(&model(&graph)).unwrap();
        assert_eq!(
            meta.external_data,
            vec![
                "../../etc/passwd",
                "/abs/values.bin",
                "sub.bin",
                "weights.bin"
            ]
        );
        assert_eq!(
            meta.unsafe_external_paths,
            vec!["../../etc/passwd", "/abs/values.bin"]
        );
        assert_eq!(meta.external_tensor_count, 5);
    }

    #[test]
    fn training_info_and_functions_are_walked() {
        let training = bytes(20, &bytes(2, &external_tensor("t", "train.bin")));
        let function_node = bytes(
            7,
            &bytes(5, &bytes(5, &external_tensor_body("f", "C:\\f.bin"))),
        );
        let function = bytes(25, &[bytes(1, b"fn"), function_node].concat());
        let data = [model(&[]), training, function].concat();
        let meta = parse_bytes(&data).unwrap();
        assert_eq!(meta.external_data, vec!["C:\\f.bin", "train.bin"]);
        assert_eq!(meta.unsafe_external_paths, vec!["C:\\f.bin"]);
    }

    #[test]
    fn unsafe_location_rules() {
        for bad in [
            "/x", "\\x", "C:/x", "c:x", "..", "../x", "a/../b", "a\\..\\b",
        ] {
            assert!(is_unsafe_location(bad), "{bad}");
        }
        for good in ["x.bin", "a/b.bin", "a..b", "..x", "x..", "./x"] {
            assert!(!is_unsafe_location(good), "{good}");
        }
    }

    /// A reader that counts bytes actually read, to prove `raw_data` is seeked over.
    struct Counting<'a> {
        inner: Cursor<&'a [u8]>,
        read: u64,
    }
    impl Read for Counting<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.read += n as u64;
            Ok(n)
        }
    }
    impl Seek for Counting<'_> {
        fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
            self.inner.seek(pos)
        }
    }

    #[test]
    fn seeks_over_raw_data() {
        let big = vec![7u8; 4 << 20];
        let graph = [inline_tensor("w1", &big), inline_tensor("w2", &big)].concat();
        let data = model(&graph);
        let mut counting = Counting {
            inner: Cursor::new(&data[..]),
            read: 0,
        };
        let meta = parse(&mut counting, data.len() as u64).unwrap();
        assert_eq!(meta.ir_version, Some(9));
        assert!(
            counting.read < 512 * 1024,
            "read {} of {} bytes",
            counting.read,
            data.len()
        );
    }

    #[test]
    fn doc_string_keeps_first_4_kib_on_a_char_boundary() {
        let mut doc = "a".repeat(4095);
        doc.push('é'); // bytes 4095..4097: cut in the middle
        doc.push_str(&"b".repeat(10_000));
        let data = [int(1, 9), bytes(6, doc.as_bytes()), bytes(2, b"after")].concat();
        let meta = parse_bytes(&data).unwrap();
        assert_eq!(meta.doc_string.as_deref(), Some("a".repeat(4095).as_str()));
        assert_eq!(meta.producer_name.as_deref(), Some("after"));
    }

    #[test]
    fn metadata_props_keep_the_first_of_duplicates_and_skip_unknown_fields() {
        let data = [
            int(1, 8),
            entry(14, "k", "first"),
            entry(14, "k", "second"),
            int(99, 5),
            tag(100, 1),
            vec![0; 8],
            tag(101, 5),
            vec![0; 4],
            bytes(102, b"whatever"),
            int(5, 3),
        ]
        .concat();
        let meta = parse_bytes(&data).unwrap();
        assert_eq!(
            meta.metadata_props.get("k").map(String::as_str),
            Some("first")
        );
        assert_eq!(meta.model_version, Some(3));
    }

    #[test]
    fn negative_versions_round_trip() {
        let data = [int(1, 9), int(5, (-1i64) as u64)].concat();
        assert_eq!(parse_bytes(&data).unwrap().model_version, Some(-1));
    }

    #[test]
    fn rejects_groups_bad_wire_types_and_field_zero() {
        for bad in [tag(3, 3), tag(3, 4), tag(3, 6), tag(3, 7), tag(0, 0)] {
            let data = [int(1, 9), bad, vec![0; 4]].concat();
            assert!(parse_bytes(&data).is_err(), "{data:?}");
        }
        let err = parse_bytes(&[int(1, 9), tag(3, 3)].concat()).unwrap_err();
        assert!(err.message.contains("groups"), "{err}");
    }

    #[test]
    fn lengths_past_the_end_fail() {
        // Top level: claims 2^62 bytes.
        let data = [int(1, 9), tag(7, 2), varint(1 << 62)].concat();
        assert!(parse_bytes(&data).unwrap_err().message.contains("claims"));
        // Nested: a tensor claiming more than its graph holds.
        let tensor = [tag(5, 2), varint(100), vec![0; 3]].concat();
        let data = [int(1, 9), bytes(7, &tensor)].concat();
        assert!(parse_bytes(&data).is_err());
        // Fixed64 cut short.
        let data = [int(1, 9), tag(9, 1), vec![0; 3]].concat();
        assert!(parse_bytes(&data).is_err());
        // Varint longer than 10 bytes.
        let data = [int(1, 9), tag(9, 0), vec![0xff; 11]].concat();
        assert!(parse_bytes(&data).unwrap_err().message.contains("varint"));
    }

    #[test]
    fn every_truncation_point_fails_cleanly() {
        let graph = [external_tensor("a", "w.bin"), inline_tensor("b", &[1; 32])].concat();
        let data = model(&graph);
        for cut in 1..data.len() {
            // The size is right but the content is cut: each cut must error or parse a prefix,
            // and a reader shorter than the claimed size must error.
            let _ = parse_bytes(&data[..cut]);
            assert!(
                parse(Cursor::new(&data[..cut]), data.len() as u64).is_err(),
                "cut {cut}"
            );
        }
    }

    #[test]
    fn empty_and_non_onnx_inputs_fail() {
        assert!(parse_bytes(&[]).is_err());
        assert!(parse_bytes(&bytes(2, b"only a producer")).is_err());
        assert!(parse_bytes(b"\x89PNG\r\n\x1a\n garbage").is_err());
        assert!(parse_bytes(b"{\"json\": true}").is_err());
    }

    #[test]
    fn nesting_depth_is_bounded() {
        // graph → node → attribute(g) → graph → … deeper than the limit.
        let mut graph = Vec::new();
        for _ in 0..ONNX_NESTING_DEPTH {
            graph = bytes(1, &bytes(5, &bytes(6, &graph)));
        }
        let err = parse_bytes(&[int(1, 9), bytes(7, &graph)].concat()).unwrap_err();
        assert_eq!(err.limit, Some("ONNX nesting depth"), "{err}");
        let mut shallow = Vec::new();
        for _ in 0..5 {
            shallow = bytes(1, &bytes(5, &bytes(6, &shallow)));
        }
        assert!(parse_bytes(&[int(1, 9), bytes(7, &shallow)].concat()).is_ok());
    }

    #[test]
    fn string_limits() {
        // A string field larger than the limit (the bytes exist in a sparse file) is a limit error.
        let len = limits::ONNX_FIELD_BYTES + 1;
        let mut data = [int(1, 9), tag(2, 2), varint(len)].concat();
        let header = data.len() as u64;
        data.resize(data.len() + 16, 0);
        let err = parse(Cursor::new(&data[..]), header + len).unwrap_err();
        assert_eq!(err.limit, Some("ONNX field size"), "{err}");
        // A huge doc_string is fine: only its prefix is kept.
        let mut data = [int(1, 9), tag(6, 2), varint(len)].concat();
        data.resize(data.len() + len as usize, b'x');
        let meta = parse_bytes(&data).unwrap();
        assert_eq!(
            meta.doc_string.map(|d| d.len()),
            Some(ONNX_DOC_STRING_BYTES as usize)
        );
    }

    #[test]
    fn fields_walked_are_bounded() {
        // Many tiny fields, nested and top-level, all count.
        let graph: Vec<u8> = (0..50).flat_map(|_| int(2, 1)).collect();
        let data = [int(1, 9), bytes(7, &graph), int(5, 1)].concat();
        let fields = 1 + 1 + 50 + 1;
        assert!(parse_bounded(Cursor::new(&data[..]), data.len() as u64, fields).is_ok());
        let err = parse_bounded(Cursor::new(&data[..]), data.len() as u64, fields - 1).unwrap_err();
        assert_eq!(err.limit, Some("ONNX fields walked"), "{err}");
    }

    #[test]
    fn garbage_never_panics() {
        let graph = [external_tensor("a", "w.bin"), inline_tensor("b", &[1; 32])].concat();
        let original = model(&graph);
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..3000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut data = original.clone();
            let at = (seed as usize) % data.len();
            data[at] = (seed >> 24) as u8;
            let _ = parse_bytes(&data);
        }
    }
}
