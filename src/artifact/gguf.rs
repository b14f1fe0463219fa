//! GGUF headers and metadata key/values, stopping before tensor infos.
//!
//! GGUF (llama.cpp's single-file format) puts everything the bill of materials needs in its
//! metadata section: architecture, name, licence, base models, datasets, and the Jinja chat
//! template that runtimes execute. This module reads the fixed header and every key/value pair,
//! and stops where tensor infos begin; tensor data is never read.
//!
//! Versions 1 (u32 counts and lengths), 2 and 3 are read; big-endian files are recognised by a
//! byte-swapped version field, as the format has no flag for it. Every count and length read from
//! the file is checked against a limit from [`limits`] first and against the bytes left in the
//! file second, before anything is allocated or looped over, so a claimed 2^60-element array
//! fails at once. Array contents are skipped (the ~150k-string token lists of every LLM) except
//! for the few small string arrays the inventory uses. Duplicate keys keep their first value and
//! are listed, so a later key cannot silently shadow the one a runtime would read.
//!
//! The parser makes no judgement about what it reads (a suspicious chat template is for `rules/`).
use super::{ParseError, ParseResult, limits};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, BufReader, Read};

/// Longest metadata key (the format's own bound).
pub const GGUF_KEY_BYTES: u64 = 65_535;
/// String arrays longer than this are summarised even under a key whose items are kept.
pub const GGUF_KEPT_ARRAY_LEN: u64 = 1024;
/// Keys whose string-array items are kept (when the array is at most [`GGUF_KEPT_ARRAY_LEN`]).
pub const KEPT_STRING_ARRAYS: &[&str] = &[
    "general.datasets",
    "general.languages",
    "general.tags",
    "imatrix.datasets",
    "tokenizer.chat_templates",
];

const MAGIC: &[u8; 4] = b"GGUF";
const TYPE_U8: u32 = 0;
const TYPE_I8: u32 = 1;
const TYPE_U16: u32 = 2;
const TYPE_I16: u32 = 3;
const TYPE_U32: u32 = 4;
const TYPE_I32: u32 = 5;
const TYPE_F32: u32 = 6;
const TYPE_BOOL: u32 = 7;
const TYPE_STRING: u32 = 8;
const TYPE_ARRAY: u32 = 9;
const TYPE_U64: u32 = 10;
const TYPE_I64: u32 = 11;
const TYPE_F64: u32 = 12;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum GgufValue {
    UInt(u64),
    Int(i64),
    Float(f64),
    Bool(bool),
    String(String),
    /// Arrays are summarised; string arrays of small, known keys keep their items.
    Array {
        item_type: u32,
        len: u64,
        strings: Option<Vec<String>>,
    },
}

/// A `general.base_model.N.*` or `general.dataset.N.*` group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GgufReference {
    pub name: Option<String>,
    pub organization: Option<String>,
    pub version: Option<String>,
    pub url: Option<String>,
    pub repo_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GgufMetadata {
    pub version: u32,
    pub big_endian: bool,
    pub tensor_count: u64,
    pub kv_count: u64,
    pub kv: BTreeMap<String, GgufValue>,
    /// Keys that appeared more than once, in file order (each repeat listed); `kv` keeps the first.
    pub duplicate_keys: Vec<String>,
    /// Byte offset where the tensor infos start (the end of what was read).
    pub metadata_end: u64,
}

impl GgufMetadata {
    pub fn str(&self, key: &str) -> Option<&str> {
        match self.kv.get(key) {
            Some(GgufValue::String(s)) => Some(s),
            _ => None,
        }
    }

    /// An integer value that is non-negative, whatever its width and signedness.
    pub fn uint(&self, key: &str) -> Option<u64> {
        match self.kv.get(key) {
            Some(GgufValue::UInt(n)) => Some(*n),
            Some(GgufValue::Int(n)) => u64::try_from(*n).ok(),
            _ => None,
        }
    }

    /// The kept items of a string array (see [`KEPT_STRING_ARRAYS`]).
    pub fn strings(&self, key: &str) -> Option<&[String]> {
        match self.kv.get(key) {
            Some(GgufValue::Array {
                strings: Some(items),
                ..
            }) => Some(items),
            _ => None,
        }
    }

    /// `general.architecture` (`llama`, `qwen2` …).
    pub fn architecture(&self) -> Option<&str> {
        self.str("general.architecture")
    }

    /// `general.name`.
    pub fn name(&self) -> Option<&str> {
        self.str("general.name")
    }

    /// `general.license`: meant to be an SPDX expression, often a Hub licence id.
    pub fn license(&self) -> Option<&str> {
        self.str("general.license")
    }

    /// `general.license.name`, for licences without an SPDX id.
    pub fn license_name(&self) -> Option<&str> {
        self.str("general.license.name")
    }

    /// `general.license.link`.
    pub fn license_link(&self) -> Option<&str> {
        self.str("general.license.link")
    }

    /// `general.base_model.N.*` groups, in N order.
    ///
    /// Every index that has at least one key is a group; `general.base_model.count` is not
    /// trusted to bound the loop (a hostile count would be a DoS) nor to hide a present group.
    pub fn base_models(&self) -> Vec<GgufReference> {
        self.references("general.base_model.")
    }

    /// `general.dataset.N.*` groups, in N order, then the legacy `general.datasets` string array
    /// (kept when it has at most [`GGUF_KEPT_ARRAY_LEN`] items) as references with only a name.
    pub fn datasets(&self) -> Vec<GgufReference> {
        let mut out = self.references("general.dataset.");
        if let Some(names) = self.strings("general.datasets") {
            out.extend(names.iter().map(|name| GgufReference {
                name: Some(name.clone()),
                ..GgufReference::default()
            }));
        }
        out
    }

    /// `tokenizer.chat_template` and `tokenizer.chat_template.<name>`, as (key, template):
    /// the default template first, then named ones in key order.
    pub fn chat_templates(&self) -> Vec<(String, String)> {
        const DEFAULT: &str = "tokenizer.chat_template";
        let mut out = Vec::new();
        if let Some(template) = self.str(DEFAULT) {
            out.push((DEFAULT.to_owned(), template.to_owned()));
        }
        let prefix = "tokenizer.chat_template.";
        for (key, value) in self.kv.range(prefix.to_owned()..) {
            if !key.starts_with(prefix) {
                break;
            }
            if let GgufValue::String(template) = value {
                out.push((key.clone(), template.clone()));
            }
        }
        out
    }

    fn references(&self, prefix: &str) -> Vec<GgufReference> {
        let mut groups: BTreeMap<u64, GgufReference> = BTreeMap::new();
        for (key, value) in self.kv.range(prefix.to_owned()..) {
            let Some(rest) = key.strip_prefix(prefix) else {
                break;
            };
            let Some((index, field)) = rest.split_once('.') else {
                continue;
            };
            let Ok(index) = index.parse::<u64>() else {
                continue;
            };
            let group = groups.entry(index).or_default();
            let GgufValue::String(text) = value else {
                continue;
            };
            let slot = match field {
                "name" => &mut group.name,
                "organization" => &mut group.organization,
                "version" => &mut group.version,
                "url" => &mut group.url,
                "repo_url" => &mut group.repo_url,
                _ => continue,
            };
            *slot = Some(text.clone());
        }
        groups.into_values().collect()
    }
}

pub fn parse<R: Read>(reader: R, file_len: u64) -> ParseResult<GgufMetadata> {
    let mut input = Input {
        reader: BufReader::with_capacity(64 * 1024, reader),
        pos: 0,
        file_len,
        big_endian: false,
        wide: true,
    };
    let magic: [u8; 4] = input.array("magic")?;
    if &magic != MAGIC {
        return Err(ParseError::at(0, "not a GGUF file (magic is not `GGUF`)"));
    }
    let version_bytes: [u8; 4] = input.array("version")?;
    let (version, big_endian) = match (
        u32::from_le_bytes(version_bytes),
        u32::from_be_bytes(version_bytes),
    ) {
        (v @ 1..=3, _) => (v, false),
        (_, v @ 1..=3) => (v, true),
        (v, _) => {
            return Err(ParseError::at(
                4,
                format!("unsupported GGUF version {v} (versions 1 to 3 are understood)"),
            ));
        }
    };
    input.big_endian = big_endian;
    input.wide = version >= 2;
    let tensor_count = input.count("tensor count")?;
    let kv_count = input.count("metadata key/value count")?;
    if kv_count > limits::GGUF_KV_COUNT {
        return Err(ParseError::limit(
            "GGUF key/value count",
            format!(
                "GGUF claims {kv_count} metadata key/values, more than the limit of {}",
                limits::GGUF_KV_COUNT
            ),
        ));
    }
    // Smallest pair: empty key (length only), value type, one byte of value.
    let min_pair = input.length_width() + 4 + 1;
    input.need(kv_count * min_pair, "metadata key/values")?;

    let mut meta = GgufMetadata {
        version,
        big_endian,
        tensor_count,
        kv_count,
        ..GgufMetadata::default()
    };
    for _ in 0..kv_count {
        let key = input.key()?;
        let value_type = input.u32("value type")?;
        let value = input.value(&key, value_type)?;
        match meta.kv.entry(key) {
            std::collections::btree_map::Entry::Occupied(first) => {
                meta.duplicate_keys.push(first.key().clone());
            }
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(value);
            }
        }
    }
    meta.metadata_end = input.pos;
    Ok(meta)
}

/// A counting, bounded view of the file.
struct Input<R> {
    reader: BufReader<R>,
    pos: u64,
    file_len: u64,
    big_endian: bool,
    /// Counts and lengths are u64 (v2+), not u32 (v1).
    wide: bool,
}

impl<R: Read> Input<R> {
    /// Checks that `len` more bytes exist in the file and stay within the metadata budget.
    fn need(&self, len: u64, what: &str) -> ParseResult<()> {
        let end = self.pos.checked_add(len);
        if end.is_none_or(|end| end > self.file_len) {
            return Err(ParseError::at(
                self.pos,
                format!(
                    "truncated GGUF: {what} needs {len} bytes but only {} remain",
                    self.file_len.saturating_sub(self.pos)
                ),
            ));
        }
        if end.is_none_or(|end| end > limits::GGUF_METADATA_BYTES) {
            return Err(ParseError::limit(
                "GGUF metadata size",
                format!(
                    "GGUF metadata runs past {} bytes while reading {what}",
                    limits::GGUF_METADATA_BYTES
                ),
            ));
        }
        Ok(())
    }

    fn array<const N: usize>(&mut self, what: &str) -> ParseResult<[u8; N]> {
        self.need(N as u64, what)?;
        let mut buf = [0u8; N];
        self.reader
            .read_exact(&mut buf)
            .map_err(|e| self.io_error(e, what))?;
        self.pos += N as u64;
        Ok(buf)
    }

    fn io_error(&self, err: io::Error, what: &str) -> ParseError {
        if err.kind() == io::ErrorKind::UnexpectedEof {
            ParseError::at(self.pos, format!("truncated GGUF: file ends inside {what}"))
        } else {
            ParseError::at(self.pos, format!("read error in {what}: {err}"))
        }
    }

    fn skip(&mut self, len: u64, what: &str) -> ParseResult<()> {
        self.need(len, what)?;
        let copied = io::copy(&mut (&mut self.reader).take(len), &mut io::sink())
            .map_err(|e| self.io_error(e, what))?;
        if copied < len {
            return Err(ParseError::at(
                self.pos + copied,
                format!("truncated GGUF: file ends inside {what}"),
            ));
        }
        self.pos += len;
        Ok(())
    }

    fn u32(&mut self, what: &str) -> ParseResult<u32> {
        let b = self.array(what)?;
        Ok(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    fn u64(&mut self, what: &str) -> ParseResult<u64> {
        let b = self.array(what)?;
        Ok(if self.big_endian {
            u64::from_be_bytes(b)
        } else {
            u64::from_le_bytes(b)
        })
    }

    /// A count or length: u64 from v2 on, u32 in v1.
    fn count(&mut self, what: &str) -> ParseResult<u64> {
        if self.wide {
            self.u64(what)
        } else {
            self.u32(what).map(u64::from)
        }
    }

    fn length_width(&self) -> u64 {
        if self.wide { 8 } else { 4 }
    }

    /// A length-prefixed string whose length is checked against `limit` then the file.
    fn string_len(&mut self, max: u64, limit: &'static str, what: &str) -> ParseResult<u64> {
        let len = self.count(what)?;
        if len > max {
            return Err(ParseError::limit(
                limit,
                format!("GGUF {what} claims {len} bytes, more than the limit of {max}"),
            ));
        }
        self.need(len, what)?;
        Ok(len)
    }

    fn string_body(&mut self, len: u64, what: &str) -> ParseResult<String> {
        let len_usize = usize::try_from(len)
            .map_err(|_| ParseError::limit("GGUF string size", "string too large"))?;
        let mut buf = Vec::new();
        buf.try_reserve_exact(len_usize)
            .map_err(|_| ParseError::limit("GGUF string size", "cannot allocate string"))?;
        (&mut self.reader)
            .take(len)
            .read_to_end(&mut buf)
            .map_err(|e| self.io_error(e, what))?;
        if (buf.len() as u64) < len {
            return Err(ParseError::at(
                self.pos + buf.len() as u64,
                format!("truncated GGUF: file ends inside {what}"),
            ));
        }
        self.pos += len;
        Ok(match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    fn key(&mut self) -> ParseResult<String> {
        let len = self.string_len(GGUF_KEY_BYTES, "GGUF key length", "key")?;
        self.string_body(len, "key")
    }

    fn string(&mut self, what: &str) -> ParseResult<String> {
        let len = self.string_len(limits::GGUF_STRING_BYTES, "GGUF string size", what)?;
        self.string_body(len, what)
    }

    fn value(&mut self, key: &str, value_type: u32) -> ParseResult<GgufValue> {
        let le_or_be = |this: &Self, b: [u8; 2]| {
            if this.big_endian {
                u16::from_be_bytes(b)
            } else {
                u16::from_le_bytes(b)
            }
        };
        Ok(match value_type {
            TYPE_U8 => GgufValue::UInt(u64::from(self.array::<1>("u8 value")?[0])),
            TYPE_I8 => GgufValue::Int(i64::from(self.array::<1>("i8 value")?[0] as i8)),
            TYPE_U16 => {
                let b = self.array("u16 value")?;
                GgufValue::UInt(u64::from(le_or_be(self, b)))
            }
            TYPE_I16 => {
                let b = self.array("i16 value")?;
                GgufValue::Int(i64::from(le_or_be(self, b) as i16))
            }
            TYPE_U32 => GgufValue::UInt(u64::from(self.u32("u32 value")?)),
            TYPE_I32 => GgufValue::Int(i64::from(self.u32("i32 value")? as i32)),
            TYPE_F32 => GgufValue::Float(f64::from(f32::from_bits(self.u32("f32 value")?))),
            TYPE_BOOL => match self.array::<1>("bool value")? {
                [0] => GgufValue::Bool(false),
                [1] => GgufValue::Bool(true),
                [other] => {
                    return Err(ParseError::at(
                        self.pos.saturating_sub(1),
                        format!(
                            "GGUF key `{}`: bool byte is {other}, not 0 or 1",
                            shown(key)
                        ),
                    ));
                }
            },
            TYPE_STRING => GgufValue::String(self.string("string value")?),
            TYPE_ARRAY => self.array_value(key)?,
            TYPE_U64 => GgufValue::UInt(self.u64("u64 value")?),
            TYPE_I64 => GgufValue::Int(self.u64("i64 value")? as i64),
            TYPE_F64 => GgufValue::Float(f64::from_bits(self.u64("f64 value")?)),
            other => {
                return Err(ParseError::at(
                    self.pos.saturating_sub(4),
                    format!("GGUF key `{}` has unknown value type {other}", shown(key)),
                ));
            }
        })
    }

    /// Array header and, for kept keys, string items; everything else is skipped.
    fn array_value(&mut self, key: &str) -> ParseResult<GgufValue> {
        let (item_type, len) = self.array_header(key, 1)?;
        let keep = item_type == TYPE_STRING
            && len <= GGUF_KEPT_ARRAY_LEN
            && KEPT_STRING_ARRAYS.contains(&key);
        if keep {
            let mut items = Vec::new();
            for _ in 0..len {
                items.push(self.string("array string")?);
            }
            return Ok(GgufValue::Array {
                item_type,
                len,
                strings: Some(items),
            });
        }
        self.skip_items(key, item_type, len, 1)?;
        Ok(GgufValue::Array {
            item_type,
            len,
            strings: None,
        })
    }

    /// Reads `u32 item type, count`, checking the length limit, the nesting depth and that
    /// `len` of the smallest such item fit in the file.
    fn array_header(&mut self, key: &str, depth: u32) -> ParseResult<(u32, u64)> {
        if depth > limits::GGUF_ARRAY_DEPTH {
            return Err(ParseError::limit(
                "GGUF array depth",
                format!(
                    "GGUF key `{}` nests arrays deeper than {}",
                    shown(key),
                    limits::GGUF_ARRAY_DEPTH
                ),
            ));
        }
        let item_type = self.u32("array item type")?;
        let len = self.count("array length")?;
        if len > limits::GGUF_ARRAY_LEN {
            return Err(ParseError::limit(
                "GGUF array length",
                format!(
                    "GGUF key `{}` claims an array of {len} items, more than the limit of {}",
                    shown(key),
                    limits::GGUF_ARRAY_LEN
                ),
            ));
        }
        let item_min = match item_type {
            TYPE_U8 | TYPE_I8 | TYPE_BOOL => 1,
            TYPE_U16 | TYPE_I16 => 2,
            TYPE_U32 | TYPE_I32 | TYPE_F32 => 4,
            TYPE_U64 | TYPE_I64 | TYPE_F64 => 8,
            TYPE_STRING => self.length_width(),
            TYPE_ARRAY => 4 + self.length_width(),
            other => {
                return Err(ParseError::at(
                    self.pos.saturating_sub(4 + self.length_width()),
                    format!(
                        "GGUF key `{}` has an array of unknown type {other}",
                        shown(key)
                    ),
                ));
            }
        };
        // len ≤ 2^24 and item_min ≤ 12: no overflow.
        self.need(len * item_min, "array items")?;
        Ok((item_type, len))
    }

    fn skip_items(&mut self, key: &str, item_type: u32, len: u64, depth: u32) -> ParseResult<()> {
        match item_type {
            TYPE_STRING => {
                for _ in 0..len {
                    let item_len = self.string_len(
                        limits::GGUF_STRING_BYTES,
                        "GGUF string size",
                        "array string",
                    )?;
                    self.skip(item_len, "array string")?;
                }
                Ok(())
            }
            TYPE_ARRAY => {
                for _ in 0..len {
                    let (inner_type, inner_len) = self.array_header(key, depth + 1)?;
                    self.skip_items(key, inner_type, inner_len, depth + 1)?;
                }
                Ok(())
            }
            TYPE_BOOL => {
                // Checked like scalar bools, so a misread array is not silently accepted.
                for _ in 0..len {
                    if self.array::<1>("bool item")?[0] > 1 {
                        return Err(ParseError::at(
                            self.pos.saturating_sub(1),
                            format!("GGUF key `{}`: bool item is not 0 or 1", shown(key)),
                        ));
                    }
                }
                Ok(())
            }
            // Fixed-size items; array_header already bounded the product.
            _ => {
                let item_size = match item_type {
                    TYPE_U8 | TYPE_I8 => 1,
                    TYPE_U16 | TYPE_I16 => 2,
                    TYPE_U32 | TYPE_I32 | TYPE_F32 => 4,
                    _ => 8,
                };
                self.skip(len * item_size, "array items")
            }
        }
    }
}

fn shown(key: &str) -> String {
    const MAX: usize = 120;
    if key.chars().count() <= MAX {
        return key.to_owned();
    }
    let mut short: String = key.chars().take(MAX).collect();
    short.push('…');
    short
}

#[cfg(test)]
pub mod test_build {
    //! Hand-built GGUF inputs for tests (little-endian unless stated).

    /// A typed value, encoded by [`Gguf::kv`].
    pub enum V<'a> {
        U8(u8),
        I8(i8),
        U16(u16),
        I16(i16),
        U32(u32),
        I32(i32),
        F32(f32),
        Bool(u8),
        Str(&'a str),
        U64(u64),
        I64(i64),
        F64(f64),
        /// String array.
        Strs(&'a [&'a str]),
        /// Array of u32.
        U32s(&'a [u32]),
        /// Raw: value type then the bytes that follow it, verbatim.
        Raw(u32, Vec<u8>),
    }

    /// A GGUF file under construction.
    pub struct Gguf {
        pub version: u32,
        pub big_endian: bool,
        pub tensor_count: u64,
        kvs: Vec<u8>,
        kv_count: u64,
    }

    impl Gguf {
        pub fn v3() -> Self {
            Gguf {
                version: 3,
                big_endian: false,
                tensor_count: 0,
                kvs: Vec::new(),
                kv_count: 0,
            }
        }

        fn wide(&self) -> bool {
            self.version >= 2
        }

        pub fn u32_bytes(&self, v: u32) -> [u8; 4] {
            if self.big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        }

        pub fn u64_bytes(&self, v: u64) -> [u8; 8] {
            if self.big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        }

        /// A count or length in this version's width.
        pub fn len_bytes(&self, v: u64) -> Vec<u8> {
            if self.wide() {
                self.u64_bytes(v).to_vec()
            } else {
                self.u32_bytes(v as u32).to_vec()
            }
        }

        pub fn string_bytes(&self, s: &str) -> Vec<u8> {
            let mut out = self.len_bytes(s.len() as u64);
            out.extend_from_slice(s.as_bytes());
            out
        }

        pub fn kv(mut self, key: &str, value: V<'_>) -> Self {
            let mut out = self.string_bytes(key);
            let (ty, body): (u32, Vec<u8>) = match value {
                V::U8(v) => (0, vec![v]),
                V::I8(v) => (1, vec![v as u8]),
                V::U16(v) => (
                    2,
                    if self.big_endian {
                        v.to_be_bytes()
                    } else {
                        v.to_le_bytes()
                    }
                    .to_vec(),
                ),
                V::I16(v) => (
                    3,
                    if self.big_endian {
                        v.to_be_bytes()
                    } else {
                        v.to_le_bytes()
                    }
                    .to_vec(),
                ),
                V::U32(v) => (4, self.u32_bytes(v).to_vec()),
                V::I32(v) => (5, self.u32_bytes(v as u32).to_vec()),
                V::F32(v) => (6, self.u32_bytes(v.to_bits()).to_vec()),
                V::Bool(v) => (7, vec![v]),
                V::Str(s) => (8, self.string_bytes(s)),
                V::U64(v) => (10, self.u64_bytes(v).to_vec()),
                V::I64(v) => (11, self.u64_bytes(v as u64).to_vec()),
                V::F64(v) => (12, self.u64_bytes(v.to_bits()).to_vec()),
                V::Strs(items) => {
                    let mut body = self.u32_bytes(8).to_vec();
                    body.extend(self.len_bytes(items.len() as u64));
                    for item in items {
                        body.extend(self.string_bytes(item));
                    }
                    (9, body)
                }
                V::U32s(items) => {
                    let mut body = self.u32_bytes(4).to_vec();
                    body.extend(self.len_bytes(items.len() as u64));
                    for item in items {
                        body.extend(self.u32_bytes(*item));
                    }
                    (9, body)
                }
                V::Raw(ty, body) => (ty, body),
            };
            out.extend(self.u32_bytes(ty));
            out.extend(body);
            self.kvs.extend(out);
            self.kv_count += 1;
            self
        }

        /// The file image, with `kv_count` as given (or the real count).
        pub fn bytes_with_count(&self, kv_count: u64) -> Vec<u8> {
            let mut out = b"GGUF".to_vec();
            out.extend(self.u32_bytes(self.version));
            out.extend(self.len_bytes(self.tensor_count));
            out.extend(self.len_bytes(kv_count));
            out.extend(&self.kvs);
            out
        }

        pub fn bytes(&self) -> Vec<u8> {
            self.bytes_with_count(self.kv_count)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_build::{Gguf, V};
    use super::*;

    fn parse_bytes(bytes: &[u8]) -> ParseResult<GgufMetadata> {
        parse(bytes, bytes.len() as u64)
    }

    fn sample(builder: Gguf) -> Gguf {
        builder
            .kv("general.architecture", V::Str("llama"))
            .kv("general.name", V::Str("Tiny"))
            .kv("general.license", V::Str("apache-2.0"))
            .kv("general.alignment", V::U32(32))
            .kv("general.tags", V::Strs(&["text-generation", "gguf"]))
            .kv("tokenizer.ggml.tokens", V::Strs(&["<s>", "</s>", "a"]))
            .kv("tokenizer.ggml.token_type", V::U32s(&[1, 2, 3]))
            .kv("tokenizer.chat_template", V::Str("{{ messages }}"))
    }

    #[test]
    fn parses_header_and_kvs() {
        let mut builder = sample(Gguf::v3());
        builder.tensor_count = 291;
        let bytes = builder.bytes();
        let meta = parse_bytes(&bytes).unwrap();
        assert_eq!(
            (meta.version, meta.big_endian, meta.tensor_count),
            (3, false, 291)
        );
        assert_eq!(meta.kv_count, 8);
        assert_eq!(meta.architecture(), Some("llama"));
        assert_eq!(meta.name(), Some("Tiny"));
        assert_eq!(meta.license(), Some("apache-2.0"));
        assert_eq!(meta.uint("general.alignment"), Some(32));
        assert_eq!(
            meta.strings("general.tags").unwrap(),
            ["text-generation", "gguf"]
        );
        assert_eq!(
            meta.kv.get("tokenizer.ggml.tokens"),
            Some(&GgufValue::Array {
                item_type: 8,
                len: 3,
                strings: None
            })
        );
        assert_eq!(
            meta.kv.get("tokenizer.ggml.token_type"),
            Some(&GgufValue::Array {
                item_type: 4,
                len: 3,
                strings: None
            })
        );
        assert_eq!(meta.metadata_end, bytes.len() as u64);
        assert!(meta.duplicate_keys.is_empty());
    }

    #[test]
    fn stops_before_tensor_infos() {
        let mut bytes = sample(Gguf::v3()).bytes();
        let end = bytes.len() as u64;
        bytes.extend_from_slice(&[0xAB; 100]);
        let meta = parse_bytes(&bytes).unwrap();
        assert_eq!(meta.metadata_end, end);
    }

    #[test]
    fn every_scalar_type() {
        let bytes = Gguf::v3()
            .kv("u8", V::U8(200))
            .kv("i8", V::I8(-3))
            .kv("u16", V::U16(60000))
            .kv("i16", V::I16(-300))
            .kv("u32", V::U32(4_000_000_000))
            .kv("i32", V::I32(-70000))
            .kv("f32", V::F32(0.5))
            .kv("t", V::Bool(1))
            .kv("f", V::Bool(0))
            .kv("u64", V::U64(u64::MAX))
            .kv("i64", V::I64(i64::MIN))
            .kv("f64", V::F64(-2.25))
            .bytes();
        let meta = parse_bytes(&bytes).unwrap();
        let get = |k: &str| meta.kv.get(k).cloned();
        assert_eq!(get("u8"), Some(GgufValue::UInt(200)));
        assert_eq!(get("i8"), Some(GgufValue::Int(-3)));
        assert_eq!(get("u16"), Some(GgufValue::UInt(60000)));
        assert_eq!(get("i16"), Some(GgufValue::Int(-300)));
        assert_eq!(get("u32"), Some(GgufValue::UInt(4_000_000_000)));
        assert_eq!(get("i32"), Some(GgufValue::Int(-70000)));
        assert_eq!(get("f32"), Some(GgufValue::Float(0.5)));
        assert_eq!(get("t"), Some(GgufValue::Bool(true)));
        assert_eq!(get("f"), Some(GgufValue::Bool(false)));
        assert_eq!(get("u64"), Some(GgufValue::UInt(u64::MAX)));
        assert_eq!(get("i64"), Some(GgufValue::Int(i64::MIN)));
        assert_eq!(get("f64"), Some(GgufValue::Float(-2.25)));
        assert_eq!(meta.uint("i8"), None);
    }

    #[test]
    fn big_endian_files() {
        let mut builder = Gguf::v3();
        builder.big_endian = true;
        builder.tensor_count = 7;
        let bytes = sample(builder).kv("x", V::I16(-2)).bytes();
        assert_eq!(&bytes[4..8], &[0, 0, 0, 3]);
        let meta = parse_bytes(&bytes).unwrap();
        assert!(meta.big_endian);
        assert_eq!((meta.version, meta.tensor_count), (3, 7));
        assert_eq!(meta.architecture(), Some("llama"));
        assert_eq!(meta.kv.get("x"), Some(&GgufValue::Int(-2)));
        assert_eq!(meta.uint("general.alignment"), Some(32));
    }

    #[test]
    fn versions_one_and_two() {
        for version in [1, 2] {
            let mut builder = Gguf::v3();
            builder.version = version;
            let bytes = sample(builder).bytes();
            let meta = parse_bytes(&bytes).unwrap();
            assert_eq!(meta.version, version);
            assert_eq!(meta.architecture(), Some("llama"));
            assert_eq!(meta.strings("general.tags").unwrap().len(), 2);
            assert_eq!(meta.chat_templates().len(), 1);
        }
    }

    #[test]
    fn rejects_bad_magic_and_versions() {
        let mut bytes = sample(Gguf::v3()).bytes();
        bytes[0] = b'X';
        assert!(parse_bytes(&bytes).unwrap_err().message.contains("magic"));
        for version in [0u32, 4, 0x0400_0000, u32::MAX] {
            let mut builder = Gguf::v3();
            builder.version = version;
            let err = parse_bytes(&builder.bytes()).unwrap_err();
            assert!(err.message.contains("version"), "{version}: {err}");
        }
    }

    #[test]
    fn duplicate_keys_keep_the_first() {
        let bytes = Gguf::v3()
            .kv("general.license", V::Str("mit"))
            .kv("general.license", V::Str("other"))
            .kv("general.license", V::U32(1))
            .bytes();
        let meta = parse_bytes(&bytes).unwrap();
        assert_eq!(meta.license(), Some("mit"));
        assert_eq!(
            meta.duplicate_keys,
            vec!["general.license", "general.license"]
        );
    }

    #[test]
    fn base_models_and_datasets() {
        let bytes = Gguf::v3()
            .kv("general.base_model.count", V::U32(2))
            .kv("general.base_model.1.name", V::Str("Second"))
            .kv("general.base_model.0.name", V::Str("Llama 3.1 8B"))
            .kv("general.base_model.0.organization", V::Str("Meta Llama"))
            .kv("general.base_model.0.version", V::Str("3.1"))
            .kv(
                "general.base_model.0.repo_url",
                V::Str("https://huggingface.co/meta-llama/x"),
            )
            .kv("general.base_model.0.url", V::Str("https://example.org"))
            .kv("general.base_model.10.author", V::Str("someone"))
            .kv("general.dataset.count", V::U32(1))
            .kv("general.dataset.0.name", V::Str("OpenHermes"))
            .kv("general.datasets", V::Strs(&["legacy/ds"]))
            .bytes();
        let meta = parse_bytes(&bytes).unwrap();
        let bases = meta.base_models();
        assert_eq!(bases.len(), 3);
        assert_eq!(
            bases[0],
            GgufReference {
                name: Some("Llama 3.1 8B".into()),
                organization: Some("Meta Llama".into()),
                version: Some("3.1".into()),
                url: Some("https://example.org".into()),
                repo_url: Some("https://huggingface.co/meta-llama/x".into()),
            }
        );
        assert_eq!(bases[1].name.as_deref(), Some("Second"));
        assert_eq!(bases[2], GgufReference::default());
        let datasets = meta.datasets();
        let names: Vec<_> = datasets.iter().map(|d| d.name.as_deref()).collect();
        assert_eq!(names, vec![Some("OpenHermes"), Some("legacy/ds")]);
    }

    #[test]
    fn hostile_base_model_count_is_harmless() {
        let bytes = Gguf::v3()
            .kv("general.base_model.count", V::U64(1 << 60))
            .kv("general.base_model.0.name", V::Str("x"))
            .bytes();
        assert_eq!(parse_bytes(&bytes).unwrap().base_models().len(), 1);
    }

    #[test]
    fn chat_templates_default_then_named() {
        let bytes = Gguf::v3()
            .kv("tokenizer.chat_template.tool_use", V::Str("{{ tools }}"))
            .kv("tokenizer.chat_template.rag", V::Str("{{ docs }}"))
            .kv("tokenizer.chat_template", V::Str("{{ m }}"))
            .kv("tokenizer.chat_templates", V::Strs(&["rag", "tool_use"]))
            .kv("tokenizer.chat_template.bad", V::U32(1))
            .bytes();
        let meta = parse_bytes(&bytes).unwrap();
        let keys: Vec<_> = meta.chat_templates().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            vec![
                "tokenizer.chat_template",
                "tokenizer.chat_template.rag",
                "tokenizer.chat_template.tool_use"
            ]
        );
        assert_eq!(
            meta.strings("tokenizer.chat_templates").unwrap(),
            ["rag", "tool_use"]
        );
    }

    #[test]
    fn only_small_known_string_arrays_keep_items() {
        let many: Vec<String> = (0..1025).map(|i| i.to_string()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let bytes = Gguf::v3()
            .kv("general.languages", V::Strs(&many))
            .kv("general.other", V::Strs(&["a"]))
            .bytes();
        let meta = parse_bytes(&bytes).unwrap();
        assert_eq!(
            meta.kv.get("general.languages"),
            Some(&GgufValue::Array {
                item_type: 8,
                len: 1025,
                strings: None
            })
        );
        assert_eq!(meta.strings("general.other"), None);
    }

    #[test]
    fn nested_arrays_are_skipped_within_depth() {
        let b = Gguf::v3();
        // array of 2 arrays of u16 [1,2] and [3]
        let mut body = b.u32_bytes(9).to_vec();
        body.extend(b.u64_bytes(2));
        body.extend(b.u32_bytes(2));
        body.extend(b.u64_bytes(2));
        body.extend([1, 0, 2, 0]);
        body.extend(b.u32_bytes(2));
        body.extend(b.u64_bytes(1));
        body.extend([3, 0]);
        let bytes = b
            .kv("nested", V::Raw(9, body))
            .kv("after", V::U8(5))
            .bytes();
        let meta = parse_bytes(&bytes).unwrap();
        assert_eq!(
            meta.kv.get("nested"),
            Some(&GgufValue::Array {
                item_type: 9,
                len: 2,
                strings: None
            })
        );
        assert_eq!(meta.kv.get("after"), Some(&GgufValue::UInt(5)));
    }

    #[test]
    fn array_depth_limit() {
        let nested = |levels: u32| {
            let b = Gguf::v3();
            let mut body = Vec::new();
            for level in 1..=levels {
                body.extend(b.u32_bytes(if level == levels { 0 } else { 9 }));
                body.extend(b.u64_bytes(1));
            }
            body.push(0);
            b.kv("deep", V::Raw(9, body)).bytes()
        };
        assert!(parse_bytes(&nested(limits::GGUF_ARRAY_DEPTH)).is_ok());
        let err = parse_bytes(&nested(limits::GGUF_ARRAY_DEPTH + 1)).unwrap_err();
        assert_eq!(err.limit, Some("GGUF array depth"), "{err}");
    }

    #[test]
    fn hostile_counts_fail_fast_with_limits() {
        let b = Gguf::v3();
        let err = parse_bytes(&b.bytes_with_count(1 << 60)).unwrap_err();
        assert_eq!(err.limit, Some("GGUF key/value count"));

        let mut body = b.u32_bytes(8).to_vec();
        body.extend(b.u64_bytes(1 << 60));
        let err = parse_bytes(&Gguf::v3().kv("tokens", V::Raw(9, body)).bytes()).unwrap_err();
        assert_eq!(err.limit, Some("GGUF array length"), "{err}");

        let mut body = b.u64_bytes(1 << 63).to_vec();
        body.extend(b"abc");
        let err = parse_bytes(&Gguf::v3().kv("s", V::Raw(8, body)).bytes()).unwrap_err();
        assert_eq!(err.limit, Some("GGUF string size"), "{err}");

        let mut key = b.u64_bytes(GGUF_KEY_BYTES + 1).to_vec();
        key.extend(b"k");
        let mut bytes = b.bytes_with_count(1);
        bytes.extend(key);
        bytes.extend([0u8; 16]);
        let err = parse_bytes(&bytes).unwrap_err();
        assert_eq!(err.limit, Some("GGUF key length"), "{err}");
    }

    #[test]
    fn claims_larger_than_the_file_are_truncation() {
        let b = Gguf::v3();
        // 1000 key/values claimed, none present.
        let err = parse_bytes(&b.bytes_with_count(1000)).unwrap_err();
        assert!(
            err.message.contains("truncated") && err.limit.is_none(),
            "{err}"
        );
        // An array of a million u64 in a tiny file.
        let mut body = b.u32_bytes(10).to_vec();
        body.extend(b.u64_bytes(1_000_000));
        let err = parse_bytes(&Gguf::v3().kv("a", V::Raw(9, body)).bytes()).unwrap_err();
        assert!(err.message.contains("truncated"), "{err}");
        // A string of a megabyte in a tiny file.
        let mut body = b.u64_bytes(1 << 20).to_vec();
        body.extend(b"abc");
        let err = parse_bytes(&Gguf::v3().kv("s", V::Raw(8, body)).bytes()).unwrap_err();
        assert!(err.message.contains("truncated"), "{err}");
    }

    #[test]
    fn every_truncation_point_fails_cleanly() {
        let bytes = sample(Gguf::v3()).bytes();
        for cut in 0..bytes.len() {
            assert!(
                parse_bytes(&bytes[..cut]).is_err(),
                "accepted a cut at {cut}"
            );
            // Reader shorter than the claimed size.
            assert!(
                parse(&bytes[..cut], bytes.len() as u64).is_err(),
                "cut {cut}"
            );
        }
    }

    #[test]
    fn metadata_budget_is_a_limit() {
        let budget = limits::GGUF_METADATA_BYTES;
        let input = Input {
            reader: BufReader::new(&[][..]),
            pos: budget - 10,
            file_len: budget * 2,
            big_endian: false,
            wide: true,
        };
        assert!(input.need(10, "x").is_ok());
        assert_eq!(
            input.need(11, "x").unwrap_err().limit,
            Some("GGUF metadata size")
        );
        let err = input.need(budget * 2, "x").unwrap_err();
        assert!(
            err.message.contains("truncated") && err.limit.is_none(),
            "{err}"
        );
        assert!(input.need(u64::MAX, "x").is_err());
    }

    #[test]
    fn rejects_bad_bools_and_unknown_types() {
        let err = parse_bytes(&Gguf::v3().kv("b", V::Bool(2)).bytes()).unwrap_err();
        assert!(err.message.contains("bool"), "{err}");
        let err = parse_bytes(&Gguf::v3().kv("x", V::Raw(13, vec![0; 8])).bytes()).unwrap_err();
        assert!(err.message.contains("unknown value type 13"), "{err}");
        let b = Gguf::v3();
        let mut body = b.u32_bytes(99).to_vec();
        body.extend(b.u64_bytes(1));
        body.extend([0; 8]);
        let err = parse_bytes(&Gguf::v3().kv("x", V::Raw(9, body)).bytes()).unwrap_err();
        assert!(err.message.contains("unknown type 99"), "{err}");
        let mut body = b.u32_bytes(7).to_vec();
        body.extend(b.u64_bytes(2));
        body.extend([1, 5]);
        assert!(parse_bytes(&Gguf::v3().kv("x", V::Raw(9, body)).bytes()).is_err());
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        let b = Gguf::v3();
        let mut body = b.u64_bytes(3).to_vec();
        body.extend([b'a', 0xff, b'b']);
        let meta = parse_bytes(&b.kv("general.name", V::Raw(8, body)).bytes()).unwrap();
        assert_eq!(meta.name(), Some("a\u{fffd}b"));
    }

    #[test]
    fn kept_array_keys_are_sorted_and_unique() {
        assert!(KEPT_STRING_ARRAYS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn garbage_never_panics() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for round in 0..2000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut bytes = sample(Gguf::v3()).bytes();
            let at = (seed as usize) % bytes.len();
            bytes[at] = (seed >> 32) as u8;
            if round % 2 == 0 {
                bytes.truncate(((seed >> 40) as usize) % (bytes.len() + 1));
            }
            let _ = parse_bytes(&bytes);
        }
    }

    #[test]
    fn skips_a_large_token_list_quickly() {
        let tokens: Vec<String> = (0..150_000).map(|i| format!("tok{i}")).collect();
        let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
        let bytes = Gguf::v3()
            .kv("tokenizer.ggml.tokens", V::Strs(&tokens))
            .kv("general.architecture", V::Str("llama"))
            .bytes();
        let start = std::time::Instant::now();
        let meta = parse_bytes(&bytes).unwrap();
        assert_eq!(meta.architecture(), Some("llama"));
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }
}
