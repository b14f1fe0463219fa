//! safetensors headers and shard indexes.
//!
//! A safetensors file is an 8-byte little-endian length `N`, an `N`-byte JSON header describing
//! every tensor (dtype, shape, byte range) plus an optional `__metadata__` string map, and then
//! the raw tensor bytes. The header is where the bill of materials comes from: tensor and
//! parameter counts, dtypes, and `__metadata__`, which in the wild carries lineage and training
//! details (transformers' `format`, Stability ModelSpec `modelspec.*`, kohya-ss `ss_*` keys,
//! ComfyUI workflows). Those keys are kept verbatim; judging them is for `rules/`.
//!
//! This module reads exactly `8 + N` bytes and never touches tensor data. The length prefix is
//! checked against [`limits::SAFETENSORS_HEADER_BYTES`] and the file size before anything is
//! allocated. The header is parsed as a generic JSON value first, so a dtype this build does not
//! know is counted rather than fatal; the tensor byte ranges are then checked the way the
//! reference loader checks them (sizes match shapes, no overlaps, no holes: a hole is room for a
//! polyglot payload), and finally the `safetensors` crate's own deserializer is run so its verdict
//! can be reported too. Whether the file size matches [`SafetensorsHeader::expected_file_len`] is
//! for the caller, which knows the real size.
//!
//! Decision on `__metadata__` values that are not strings (the format allows only strings): they
//! are kept as their compact JSON text, their keys are listed in
//! [`SafetensorsHeader::non_string_metadata`], and the loader's rejection shows in
//! [`SafetensorsHeader::loader_error`]. Losing lineage because one value is a number would help
//! nobody.
use super::{ParseError, ParseResult, limits, text};
use serde::Serialize;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;

/// Longest tensor name or key quoted in an error message.
const SHOWN_NAME_CHARS: usize = 120;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SafetensorsHeader {
    pub header_len: u64,
    pub tensor_count: usize,
    pub parameter_count: u64,
    /// dtype → number of tensors.
    pub dtypes: BTreeMap<String, usize>,
    /// `__metadata__` (string → string), keys and values verbatim.
    pub metadata: BTreeMap<String, String>,
    /// Bytes of tensor data the header describes.
    pub data_len: u64,
    /// `8 + header_len + data_len`: what the file size must be.
    pub expected_file_len: u64,
    /// `__metadata__` keys whose values were not strings (kept in `metadata` as JSON text).
    pub non_string_metadata: Vec<String>,
    /// Why the reference loader (the `safetensors` crate) rejects this header, when it does
    /// although our own checks passed: unknown dtypes, non-string metadata.
    pub loader_error: Option<String>,
}

impl SafetensorsHeader {
    /// `__metadata__` entries whose key starts with `prefix` (`ss_`, `modelspec.` …), in key order.
    pub fn metadata_with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.metadata
            .range(prefix.to_owned()..)
            .take_while(move |(key, _)| key.starts_with(prefix))
            .map(|(key, value)| (key.as_str(), value.as_str()))
    }

    /// dtypes this build does not know the element size of, sorted.
    pub fn unknown_dtypes(&self) -> Vec<&str> {
        self.dtypes
            .keys()
            .filter(|dtype| dtype_bits(dtype).is_none())
            .map(String::as_str)
            .collect()
    }
}

/// Bits per element of a dtype known to safetensors 0.8; `None` for anything newer.
pub fn dtype_bits(dtype: &str) -> Option<u64> {
    Some(match dtype {
        "F4" => 4,
        "F6_E2M3" | "F6_E3M2" => 6,
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" | "F8_E8M0" | "F8_E4M3FNUZ"
        | "F8_E5M2FNUZ" => 8,
        "I16" | "U16" | "F16" | "BF16" => 16,
        "I32" | "U32" | "F32" => 32,
        "C64" | "F64" | "I64" | "U64" => 64,
        _ => return None,
    })
}

/// Read only `8 + N` bytes: the length prefix and the JSON header.
pub fn parse_header<R: Read>(mut reader: R, file_len: u64) -> ParseResult<SafetensorsHeader> {
    if file_len < 8 {
        return Err(ParseError::new(format!(
            "file of {file_len} bytes is too small for the 8-byte safetensors header length"
        )));
    }
    let mut prefix = [0u8; 8];
    reader
        .read_exact(&mut prefix)
        .map_err(|e| truncated_or_io(e, 0))?;
    let header_len = u64::from_le_bytes(prefix);
    if header_len > limits::SAFETENSORS_HEADER_BYTES {
        return Err(ParseError::limit(
            "safetensors header size",
            format!(
                "safetensors header claims {header_len} bytes, more than the {} byte maximum",
                limits::SAFETENSORS_HEADER_BYTES
            ),
        ));
    }
    if header_len > file_len - 8 {
        return Err(ParseError::at(
            0,
            format!(
                "truncated safetensors file: header claims {header_len} bytes but only {} follow",
                file_len - 8
            ),
        ));
    }
    let header = read_exactly(&mut reader, header_len)?;
    parse_header_bytes(&header, header_len)
}

fn read_exactly<R: Read>(reader: &mut R, len: u64) -> ParseResult<Vec<u8>> {
    let capacity = usize::try_from(len)
        .map_err(|_| ParseError::limit("safetensors header size", "header too large"))?;
    let mut buf = Vec::new();
    buf.try_reserve_exact(capacity)
        .map_err(|_| ParseError::limit("safetensors header size", "cannot allocate header"))?;
    reader.take(len).read_to_end(&mut buf)?;
    if (buf.len() as u64) < len {
        return Err(ParseError::at(
            8 + buf.len() as u64,
            format!(
                "truncated safetensors header: {} of {len} bytes present",
                buf.len()
            ),
        ));
    }
    Ok(buf)
}

fn truncated_or_io(err: std::io::Error, offset: u64) -> ParseError {
    if err.kind() == std::io::ErrorKind::UnexpectedEof {
        ParseError::at(offset, "truncated safetensors file")
    } else {
        ParseError::from(err)
    }
}

/// Checks on the header bytes; `header_len` is `header.len()` as read from the prefix.
fn parse_header_bytes(header: &[u8], header_len: u64) -> ParseResult<SafetensorsHeader> {
    if header.first() != Some(&b'{') {
        return Err(ParseError::at(
            8,
            "safetensors header does not start with `{`",
        ));
    }
    let json = std::str::from_utf8(header).map_err(|e| {
        ParseError::at(
            8 + e.valid_up_to() as u64,
            "safetensors header is not valid UTF-8",
        )
    })?;
    let entries: HeaderEntries = serde_json::from_str(json)
        .map_err(|e| ParseError::new(format!("safetensors header is not valid JSON: {e}")))?;

    let mut out = SafetensorsHeader {
        header_len,
        ..SafetensorsHeader::default()
    };
    let mut seen_metadata = false;
    let mut seen_tensors = std::collections::HashSet::new();
    let mut ranges: Vec<(u64, u64, usize)> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (name, value) in &entries.0 {
        if name == "__metadata__" {
            if seen_metadata {
                return Err(ParseError::new(
                    "safetensors header has `__metadata__` twice",
                ));
            }
            seen_metadata = true;
            read_metadata(value, &mut out)?;
            continue;
        }
        if !seen_tensors.insert(name.as_str()) {
            return Err(ParseError::new(format!(
                "safetensors header lists tensor `{}` twice",
                shown(name)
            )));
        }
        let tensor = read_tensor(name, value)?;
        out.parameter_count = out
            .parameter_count
            .checked_add(tensor.elements)
            .ok_or_else(|| ParseError::new("safetensors parameter count overflows 64 bits"))?;
        *out.dtypes.entry(tensor.dtype.to_owned()).or_default() += 1;
        ranges.push((tensor.begin, tensor.end, names.len()));
        names.push(name);
    }
    out.tensor_count = names.len();
    out.data_len = check_coverage(&mut ranges, &names)?;
    out.expected_file_len = 8u64
        .checked_add(header_len)
        .and_then(|n| n.checked_add(out.data_len))
        .ok_or_else(|| ParseError::new("safetensors expected file size overflows 64 bits"))?;
    out.non_string_metadata.sort();
    if let Err(e) = serde_json::from_str::<safetensors::tensor::Metadata>(json) {
        out.loader_error = Some(e.to_string());
    }
    Ok(out)
}

fn read_metadata(value: &serde_json::Value, out: &mut SafetensorsHeader) -> ParseResult<()> {
    let map = match value {
        serde_json::Value::Object(map) => map,
        serde_json::Value::Null => return Ok(()),
        _ => {
            return Err(ParseError::new(
                "safetensors `__metadata__` is not an object",
            ));
        }
    };
    for (key, value) in map {
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            other => {
                out.non_string_metadata.push(key.clone());
                other.to_string()
            }
        };
        out.metadata.insert(key.clone(), text);
    }
    Ok(())
}

struct TensorEntry<'a> {
    dtype: &'a str,
    elements: u64,
    begin: u64,
    end: u64,
}

fn read_tensor<'a>(name: &str, value: &'a serde_json::Value) -> ParseResult<TensorEntry<'a>> {
    let bad = |what: &str| ParseError::new(format!("safetensors tensor `{}`: {what}", shown(name)));
    let dtype = value
        .get("dtype")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| bad("`dtype` is missing or not a string"))?;
    let shape = value
        .get("shape")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| bad("`shape` is missing or not an array"))?;
    let mut elements: u64 = 1;
    for dim in shape {
        let dim = dim
            .as_u64()
            .ok_or_else(|| bad("`shape` holds something other than a non-negative integer"))?;
        elements = elements
            .checked_mul(dim)
            .ok_or_else(|| bad("element count overflows 64 bits"))?;
    }
    let offsets = value
        .get("data_offsets")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| bad("`data_offsets` is missing or not an array"))?;
    let (begin, end) = match offsets.as_slice() {
        [begin, end] => (begin.as_u64(), end.as_u64()),
        _ => (None, None),
    };
    let (Some(begin), Some(end)) = (begin, end) else {
        return Err(bad("`data_offsets` is not a pair of non-negative integers"));
    };
    if begin > end {
        return Err(bad(&format!(
            "`data_offsets` begin {begin} is after end {end}"
        )));
    }
    if let Some(bits) = dtype_bits(dtype) {
        let total_bits = elements
            .checked_mul(bits)
            .ok_or_else(|| bad("byte size overflows 64 bits"))?;
        if total_bits % 8 != 0 {
            return Err(bad(&format!(
                "{elements} elements of {dtype} do not fill a whole number of bytes"
            )));
        }
        let expected = total_bits / 8;
        if end - begin != expected {
            return Err(bad(&format!(
                "`data_offsets` span {} bytes but shape {:?} of {dtype} needs {expected}",
                end - begin,
                shape
                    .iter()
                    .filter_map(serde_json::Value::as_u64)
                    .collect::<Vec<_>>()
            )));
        }
    }
    Ok(TensorEntry {
        dtype,
        elements,
        begin,
        end,
    })
}

/// Sorts the byte ranges and checks they tile `0..data_len` exactly; returns `data_len`.
fn check_coverage(ranges: &mut [(u64, u64, usize)], names: &[&str]) -> ParseResult<u64> {
    ranges.sort_unstable();
    let name = |index: usize| shown(names.get(index).copied().unwrap_or("?"));
    let mut covered_to = 0u64;
    let mut previous: Option<usize> = None;
    for &(begin, end, index) in ranges.iter() {
        if begin > covered_to {
            return Err(ParseError::new(format!(
                "safetensors data has a hole: bytes {covered_to}..{begin} belong to no tensor \
                 (before tensor `{}`)",
                name(index)
            )));
        }
        if begin < covered_to {
            let other = previous.map(name).unwrap_or_default();
            return Err(ParseError::new(format!(
                "safetensors tensors `{other}` and `{}` overlap (bytes {begin}..{covered_to})",
                name(index)
            )));
        }
        covered_to = end;
        previous = Some(index);
    }
    Ok(covered_to)
}

fn shown(name: &str) -> String {
    if name.chars().count() <= SHOWN_NAME_CHARS {
        return name.to_owned();
    }
    let mut short: String = name.chars().take(SHOWN_NAME_CHARS).collect();
    short.push('…');
    short
}

/// The top-level JSON object as written, duplicates included (a `Map` would silently keep one).
struct HeaderEntries(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for HeaderEntries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = HeaderEntries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HeaderEntries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, serde_json::Value>()? {
                    entries.push(entry);
                }
                Ok(HeaderEntries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// `*.safetensors.index.json` / `pytorch_model.bin.index.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ShardIndex {
    pub total_size: Option<u64>,
    /// Shard file names the `weight_map` refers to, sorted and unique.
    pub shards: Vec<String>,
    pub tensor_count: usize,
    /// Shard names that are not a plain file name next to the index: containing `/` or `\`,
    /// `..`, or absolute. Kept in `shards` too; sorted and unique.
    pub suspicious_paths: Vec<String>,
}

pub fn parse_index(text: &str) -> ParseResult<ShardIndex> {
    let root = text::parse_json(text)?;
    let root = root
        .as_object()
        .ok_or_else(|| ParseError::new("shard index is not a JSON object"))?;
    let mut index = ShardIndex::default();
    if let Some(metadata) = root.get("metadata").filter(|m| !m.is_null()) {
        let metadata = metadata
            .as_object()
            .ok_or_else(|| ParseError::new("shard index `metadata` is not an object"))?;
        index.total_size = match metadata.get("total_size") {
            None | Some(serde_json::Value::Null) => None,
            Some(value) => Some(total_size(value).ok_or_else(|| {
                ParseError::new(format!(
                    "shard index `metadata.total_size` is not a byte count: {value}"
                ))
            })?),
        };
    }
    let weight_map = root
        .get("weight_map")
        .and_then(serde_json::Value::as_object)
        .ok_or_else(|| ParseError::new("shard index has no `weight_map` object"))?;
    let mut shards = std::collections::BTreeSet::new();
    for (tensor, shard) in weight_map {
        let shard = shard.as_str().ok_or_else(|| {
            ParseError::new(format!(
                "shard index maps tensor `{}` to something other than a file name",
                shown(tensor)
            ))
        })?;
        shards.insert(shard);
    }
    index.tensor_count = weight_map.len();
    index.suspicious_paths = shards
        .iter()
        .filter(|s| is_suspicious_shard_path(s))
        .map(|s| (*s).to_owned())
        .collect();
    index.shards = shards.into_iter().map(str::to_owned).collect();
    Ok(index)
}

/// A non-negative integer, also when written as an integral float (`1.5e10`) or a string.
fn total_size(value: &serde_json::Value) -> Option<u64> {
    match value {
        serde_json::Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 18_446_744_073_709_551_616.0)
                .map(|f| f as u64)
        }),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// True for a shard name that is not a plain file name in the index's own directory.
pub fn is_suspicious_shard_path(name: &str) -> bool {
    let drive_letter =
        matches!(name.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic());
    name.is_empty()
        || name == "."
        || name == ".."
        || name.contains('/')
        || name.contains('\\')
        || drive_letter
}

#[cfg(test)]
pub mod test_build {
    //! Hand-built safetensors inputs for tests.

    /// A file image: 8-byte length, the JSON header verbatim, then `data_len` zero bytes.
    pub fn file(header_json: &str, data_len: usize) -> Vec<u8> {
        let mut out = (header_json.len() as u64).to_le_bytes().to_vec();
        out.extend_from_slice(header_json.as_bytes());
        out.resize(out.len() + data_len, 0);
        out
    }

    /// One tensor entry, `"name":{...}`, for concatenating into a header.
    pub fn tensor(name: &str, dtype: &str, shape: &[u64], begin: u64, end: u64) -> String {
        let shape: Vec<String> = shape.iter().map(u64::to_string).collect();
        format!(
            r#""{name}":{{"dtype":"{dtype}","shape":[{}],"data_offsets":[{begin},{end}]}}"#,
            shape.join(",")
        )
    }

    /// `{entries...}` joined by commas.
    pub fn header(entries: &[String]) -> String {
        format!("{{{}}}", entries.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::test_build::{file, header, tensor};
    use super::*;

    fn parse(bytes: &[u8]) -> ParseResult<SafetensorsHeader> {
        parse_header(bytes, bytes.len() as u64)
    }

    fn two_tensor_header() -> String {
        header(&[
            r#""__metadata__":{"format":"pt","ss_output_name":"my-lora","modelspec.title":"T"}"#
                .to_owned(),
            tensor("b.weight", "F32", &[2, 3], 8, 32),
            tensor("a.bias", "BF16", &[4], 0, 8),
        ])
    }

    #[test]
    fn parses_counts_metadata_and_sizes() {
        let json = two_tensor_header();
        let bytes = file(&json, 32);
        let h = parse(&bytes).unwrap();
        assert_eq!(h.header_len, json.len() as u64);
        assert_eq!(h.tensor_count, 2);
        assert_eq!(h.parameter_count, 10);
        assert_eq!(h.dtypes.get("F32"), Some(&1));
        assert_eq!(h.dtypes.get("BF16"), Some(&1));
        assert_eq!(h.metadata.get("format").map(String::as_str), Some("pt"));
        assert_eq!(h.data_len, 32);
        assert_eq!(h.expected_file_len, bytes.len() as u64);
        assert_eq!(h.loader_error, None);
        assert!(h.non_string_metadata.is_empty());
        let ss: Vec<_> = h.metadata_with_prefix("ss_").collect();
        assert_eq!(ss, vec![("ss_output_name", "my-lora")]);
    }

    #[test]
    fn reads_only_the_header_not_the_data() {
        let json = two_tensor_header();
        let bytes = file(&json, 32);
        // Give the parser the header only but claim the full size: it must not need the data.
        let header_only = &bytes[..8 + json.len()];
        let h = parse_header(header_only, bytes.len() as u64).unwrap();
        assert_eq!(h.expected_file_len, bytes.len() as u64);
    }

    #[test]
    fn accepts_trailing_space_padding_and_empty_header() {
        let json = format!("{}    ", header(&[tensor("x", "U8", &[3], 0, 3)]));
        let h = parse(&file(&json, 3)).unwrap();
        assert_eq!(h.tensor_count, 1);
        let h = parse(&file("{}", 0)).unwrap();
        assert_eq!(
            (h.tensor_count, h.data_len, h.expected_file_len),
            (0, 0, 10)
        );
    }

    #[test]
    fn scalar_and_zero_sized_tensors() {
        let json = header(&[
            tensor("scalar", "F64", &[], 0, 8),
            tensor("empty", "F32", &[0, 5], 8, 8),
            tensor("empty2", "I8", &[0], 8, 8),
        ]);
        let h = parse(&file(&json, 8)).unwrap();
        assert_eq!(h.parameter_count, 1);
        assert_eq!(h.tensor_count, 3);
        assert_eq!(h.loader_error, None);
    }

    #[test]
    fn sub_byte_dtypes() {
        let ok = header(&[tensor("q", "F4", &[4], 0, 2)]);
        assert_eq!(parse(&file(&ok, 2)).unwrap().parameter_count, 4);
        let misaligned = header(&[tensor("q", "F4", &[3], 0, 2)]);
        let err = parse(&file(&misaligned, 2)).unwrap_err();
        assert!(err.message.contains("whole number of bytes"), "{err}");
    }

    #[test]
    fn unknown_dtype_is_counted_and_reported_by_loader() {
        let json = header(&[tensor("x", "F2_FUTURE", &[8], 0, 5)]);
        let h = parse(&file(&json, 5)).unwrap();
        assert_eq!(h.dtypes.get("F2_FUTURE"), Some(&1));
        assert_eq!(h.unknown_dtypes(), vec!["F2_FUTURE"]);
        assert_eq!(h.data_len, 5);
        let loader = h.loader_error.expect("the crate rejects unknown dtypes");
        assert!(loader.contains("F2_FUTURE"), "{loader}");
    }

    #[test]
    fn non_string_metadata_is_kept_as_json_and_flagged() {
        let json = header(&[
            r#""__metadata__":{"epochs":3,"name":"x","nested":{"a":[1]}}"#.to_owned(),
            tensor("t", "U8", &[1], 0, 1),
        ]);
        let h = parse(&file(&json, 1)).unwrap();
        assert_eq!(h.metadata.get("epochs").map(String::as_str), Some("3"));
        assert_eq!(
            h.metadata.get("nested").map(String::as_str),
            Some(r#"{"a":[1]}"#)
        );
        assert_eq!(
            h.non_string_metadata,
            vec!["epochs".to_owned(), "nested".to_owned()]
        );
        assert!(h.loader_error.is_some());
    }

    #[test]
    fn metadata_null_is_absent_but_other_kinds_fail() {
        let ok = header(&[r#""__metadata__":null"#.to_owned()]);
        assert!(parse(&file(&ok, 0)).unwrap().metadata.is_empty());
        let bad = header(&[r#""__metadata__":"pt""#.to_owned()]);
        assert!(parse(&file(&bad, 0)).is_err());
    }

    #[test]
    fn metadata_values_are_verbatim() {
        let json = header(&[r#""__metadata__":{"prompt":"  {\"a\": 1}\n "}"#.to_owned()]);
        let h = parse(&file(&json, 0)).unwrap();
        assert_eq!(
            h.metadata.get("prompt").map(String::as_str),
            Some("  {\"a\": 1}\n ")
        );
    }

    #[test]
    fn rejects_hole_overlap_and_gap_at_start() {
        let hole = header(&[
            tensor("a", "U8", &[4], 0, 4),
            tensor("b", "U8", &[4], 6, 10),
        ]);
        let err = parse(&file(&hole, 10)).unwrap_err();
        assert!(
            err.message.contains("hole") && err.message.contains("4..6"),
            "{err}"
        );

        let overlap = header(&[tensor("a", "U8", &[4], 0, 4), tensor("b", "U8", &[4], 2, 6)]);
        let err = parse(&file(&overlap, 6)).unwrap_err();
        assert!(
            err.message.contains("overlap") && err.message.contains("`a`"),
            "{err}"
        );

        let late = header(&[tensor("a", "U8", &[4], 4, 8)]);
        let err = parse(&file(&late, 8)).unwrap_err();
        assert!(
            err.message.contains("hole") && err.message.contains("0..4"),
            "{err}"
        );
    }

    #[test]
    fn rejects_size_mismatch_and_reversed_offsets() {
        let wrong = header(&[tensor("w", "F16", &[4], 0, 4)]);
        let err = parse(&file(&wrong, 4)).unwrap_err();
        assert!(err.message.contains("needs 8"), "{err}");
        let reversed = header(&[tensor("w", "U8", &[0], 5, 4)]);
        assert!(
            parse(&file(&reversed, 5))
                .unwrap_err()
                .message
                .contains("after end")
        );
    }

    #[test]
    fn rejects_duplicate_tensor_names() {
        let json = header(&[tensor("a", "U8", &[2], 0, 2), tensor("a", "U8", &[2], 2, 4)]);
        let err = parse(&file(&json, 4)).unwrap_err();
        assert!(err.message.contains("twice"), "{err}");
    }

    #[test]
    fn rejects_malformed_tensor_entries() {
        for entry in [
            r#""t":1"#,
            r#""t":{"shape":[1],"data_offsets":[0,1]}"#,
            r#""t":{"dtype":"U8","data_offsets":[0,1]}"#,
            r#""t":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}"#,
            r#""t":{"dtype":"U8","shape":[1]}"#,
            r#""t":{"dtype":"U8","shape":[1],"data_offsets":[0]}"#,
            r#""t":{"dtype":"U8","shape":[1],"data_offsets":[0,1,2]}"#,
            r#""t":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}"#,
        ] {
            let json = header(&[entry.to_owned()]);
            assert!(parse(&file(&json, 1)).is_err(), "accepted {entry}");
        }
    }

    #[test]
    fn parameter_and_element_overflow_fail() {
        let huge = u64::MAX / 2;
        let json = header(&[tensor("x", "X_UNKNOWN", &[huge, 4], 0, 0)]);
        assert!(
            parse(&file(&json, 0))
                .unwrap_err()
                .message
                .contains("overflow")
        );
        let json = header(&[
            tensor("x", "X_UNKNOWN", &[huge], 0, 0),
            tensor("y", "X_UNKNOWN", &[huge], 0, 0),
            tensor("z", "X_UNKNOWN", &[huge], 0, 0),
        ]);
        assert!(
            parse(&file(&json, 0))
                .unwrap_err()
                .message
                .contains("overflow")
        );
        let json = header(&[tensor("x", "F64", &[u64::MAX / 4], 0, 8)]);
        assert!(
            parse(&file(&json, 8))
                .unwrap_err()
                .message
                .contains("overflow")
        );
    }

    #[test]
    fn hostile_lengths_fail_before_allocating() {
        for claimed in [1u64 << 63, u64::MAX, limits::SAFETENSORS_HEADER_BYTES + 1] {
            let mut bytes = claimed.to_le_bytes().to_vec();
            bytes.extend_from_slice(b"{}");
            let err = parse(&bytes).unwrap_err();
            assert_eq!(err.limit, Some("safetensors header size"), "{claimed}");
        }
        let mut bytes = 1000u64.to_le_bytes().to_vec();
        bytes.extend_from_slice(b"{}");
        let err = parse(&bytes).unwrap_err();
        assert!(
            err.message.contains("truncated") && err.limit.is_none(),
            "{err}"
        );
    }

    #[test]
    fn truncated_inputs_fail() {
        assert!(parse(b"").is_err());
        assert!(parse(&[2, 0, 0]).is_err());
        // The file is claimed longer than the reader delivers.
        let bytes = file("{}", 0);
        assert!(
            parse_header(&bytes[..9], 100)
                .unwrap_err()
                .message
                .contains("truncated")
        );
        assert!(
            parse_header(&bytes[..4], 100)
                .unwrap_err()
                .message
                .contains("truncated")
        );
    }

    #[test]
    fn rejects_non_object_bad_utf8_and_bad_json() {
        assert!(parse(&file("[]", 0)).unwrap_err().message.contains("`{`"));
        assert!(parse(&file(" {}", 0)).unwrap_err().message.contains("`{`"));
        assert!(parse(&file("", 0)).is_err());
        let mut bytes = file("{\"a?\":1}", 0);
        bytes[10] = 0xff;
        assert!(parse(&bytes).unwrap_err().message.contains("UTF-8"));
        assert!(
            parse(&file("{\"a\":", 0))
                .unwrap_err()
                .message
                .contains("JSON")
        );
        assert!(
            parse(&file("{}\0\0", 0))
                .unwrap_err()
                .message
                .contains("JSON")
        );
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&file(&deep, 0)).is_err());
    }

    #[test]
    fn duplicate_metadata_fails() {
        let json = header(&[
            r#""__metadata__":{}"#.to_owned(),
            r#""__metadata__":{}"#.to_owned(),
        ]);
        assert!(parse(&file(&json, 0)).is_err());
    }

    #[test]
    fn long_names_are_shortened_in_messages() {
        let name = "n".repeat(10_000);
        let json = header(&[tensor(&name, "U8", &[2], 0, 1)]);
        let err = parse(&file(&json, 1)).unwrap_err();
        assert!(err.message.len() < 400, "{}", err.message.len());
    }

    #[test]
    fn index_lists_sorted_unique_shards() {
        let text = r#"{"metadata":{"total_size":123456},"weight_map":{
            "b":"model-00002-of-00002.safetensors",
            "a":"model-00001-of-00002.safetensors",
            "c":"model-00002-of-00002.safetensors"}}"#;
        let index = parse_index(text).unwrap();
        assert_eq!(index.total_size, Some(123456));
        assert_eq!(index.tensor_count, 3);
        assert_eq!(
            index.shards,
            vec![
                "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors"
            ]
        );
        assert!(index.suspicious_paths.is_empty());
    }

    #[test]
    fn index_total_size_variants() {
        let with = |size: &str| {
            parse_index(&format!(
                r#"{{"metadata":{{"total_size":{size}}},"weight_map":{{}}}}"#
            ))
        };
        assert_eq!(with("2.5e9").unwrap().total_size, Some(2_500_000_000));
        assert_eq!(with("\"42\"").unwrap().total_size, Some(42));
        assert_eq!(with("null").unwrap().total_size, None);
        assert!(with("-1").is_err());
        assert!(with("1.5").is_err());
        assert!(with("[1]").is_err());
        let none = parse_index(r#"{"weight_map":{"a":"x.bin"}}"#).unwrap();
        assert_eq!((none.total_size, none.tensor_count), (None, 1));
    }

    #[test]
    fn index_flags_suspicious_shard_paths() {
        let text = r#"{"weight_map":{"a":"../../etc/passwd","b":"/abs/x.safetensors",
            "c":"sub/x.safetensors","d":"ok.safetensors","e":"C:\\x.bin","f":"a..b.bin"}}"#;
        let index = parse_index(text).unwrap();
        assert_eq!(index.shards.len(), 6);
        assert_eq!(
            index.suspicious_paths,
            vec![
                "../../etc/passwd",
                "/abs/x.safetensors",
                "C:\\x.bin",
                "sub/x.safetensors"
            ]
        );
    }

    #[test]
    fn index_rejects_malformed() {
        assert!(parse_index("[]").is_err());
        assert!(parse_index("{}").is_err());
        assert!(parse_index(r#"{"weight_map":[]}"#).is_err());
        assert!(parse_index(r#"{"weight_map":{"a":1}}"#).is_err());
        assert!(parse_index(r#"{"metadata":3,"weight_map":{}}"#).is_err());
        assert!(parse_index("{\"weight_map\":{").is_err());
    }
}
