//! NumPy `.npy` headers and `.npz` archives.
//!
//! An `.npy` file is a magic string, a version, and a Python dict literal giving the dtype,
//! memory order and shape. Arrays of dtype `object` are stored as a pickle, which `np.load`
//! runs when `allow_pickle=True`; that pickle is walked with the static walker. This module reads
//! the header with a small tolerant parser for Python literals (never `eval`), bounded by
//! [`limits::NPY_HEADER_BYTES`], and never reads the numeric array data.
use super::pickle::{self, PickleScan};
use super::zipped::ZipContainer;
use super::{ParseError, ParseResult, limits};
use serde::Serialize;
use std::io::{Read, Seek};

const MAGIC: &[u8; 6] = b"\x93NUMPY";
/// Nesting of the header literal (structured dtypes nest lists of tuples).
const LITERAL_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NpyHeader {
    pub version: (u8, u8),
    /// The dtype string (`<f4`, `|O`), or for a structured dtype its literal, normalised.
    pub descr: String,
    pub fortran_order: bool,
    pub shape: Vec<u64>,
    /// `descr` has an object (`O`) type: the payload is a pickle.
    pub object_dtype: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NpyScan {
    pub header: NpyHeader,
    /// The walk of the pickle payload of an object array.
    pub pickle: Option<PickleScan>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NpzScan {
    /// `.npy` entries by name, sorted.
    pub arrays: Vec<(String, NpyScan)>,
    /// `.npy` entries that could not be read, with the reason. The scan itself fails only when
    /// no entry could be read at all.
    pub errors: Vec<(String, String)>,
}

/// Read an `.npy` header, and walk the pickle payload of an object array. `file_len` is the
/// size of the file (or the declared size of the zip entry), used to reject impossible lengths.
pub fn scan_npy<R: Read>(mut reader: R, file_len: u64) -> ParseResult<NpyScan> {
    let mut prefix = [0u8; 8];
    reader
        .read_exact(&mut prefix)
        .map_err(|_| ParseError::new("not a NumPy file: too short"))?;
    if !prefix.starts_with(MAGIC) {
        return Err(ParseError::new("not a NumPy file: bad magic"));
    }
    let version = (prefix[6], prefix[7]);
    let (header_len, prefix_len) = match version.0 {
        1 => {
            let mut len = [0u8; 2];
            reader
                .read_exact(&mut len)
                .map_err(|_| ParseError::at(8, "truncated npy header"))?;
            (u64::from(u16::from_le_bytes(len)), 10u64)
        }
        2 | 3 => {
            let mut len = [0u8; 4];
            reader
                .read_exact(&mut len)
                .map_err(|_| ParseError::at(8, "truncated npy header"))?;
            (u64::from(u32::from_le_bytes(len)), 12u64)
        }
        major => {
            return Err(ParseError::at(
                6,
                format!("unsupported npy version {major}.{}", version.1),
            ));
        }
    };
    if header_len > limits::NPY_HEADER_BYTES {
        return Err(ParseError::limit(
            "npy header",
            format!(
                "npy header of {header_len} bytes, more than {}",
                limits::NPY_HEADER_BYTES
            ),
        ));
    }
    if prefix_len + header_len > file_len {
        return Err(ParseError::at(
            prefix_len,
            format!("npy header of {header_len} bytes runs past the end of the file"),
        ));
    }
    let mut raw = vec![0u8; header_len as usize];
    reader
        .read_exact(&mut raw)
        .map_err(|_| ParseError::at(prefix_len, "truncated npy header"))?;
    let text = if version.0 >= 3 {
        String::from_utf8(raw).map_err(|_| ParseError::at(prefix_len, "npy header is not UTF-8"))?
    } else {
        raw.iter().map(|&b| char::from(b)).collect()
    };
    let header = parse_header(&text, version)
        .map_err(|message| ParseError::at(prefix_len, format!("invalid npy header: {message}")))?;
    let pickle = if header.object_dtype {
        let walk = pickle::scan(reader).map_err(|err| ParseError {
            message: format!("object array payload: {}", err.message),
            ..err
        })?;
        Some(walk)
    } else {
        None
    };
    Ok(NpyScan { header, pickle })
}

/// Read every `.npy` entry of an `.npz` archive.
pub fn scan_npz<R: Read + Seek>(reader: R) -> ParseResult<NpzScan> {
    let mut zip = ZipContainer::open(reader)?;
    let mut scan = NpzScan::default();
    let mut first_error = None;
    for (index, name) in zip.names().into_iter().enumerate() {
        if !name.ends_with(".npy") {
            continue;
        }
        let result = zip.with_entry(index, limits::ZIP_ENTRY_READ_BYTES, |entry, declared| {
            scan_npy(entry, declared)
        });
        match result {
            Ok(array) => scan.arrays.push((name, array)),
            Err(err) => {
                scan.errors.push((name, err.to_string()));
                first_error.get_or_insert(err);
            }
        }
    }
    scan.arrays.sort_by(|a, b| a.0.cmp(&b.0));
    scan.errors.extend(zip.take_suspicious_claims());
    scan.errors.sort();
    match first_error {
        Some(err) if scan.arrays.is_empty() => Err(err),
        _ => Ok(scan),
    }
}

fn parse_header(text: &str, version: (u8, u8)) -> Result<NpyHeader, String> {
    let mut parser = Literal {
        text: text.as_bytes(),
        pos: 0,
    };
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.pos < parser.text.len() {
        return Err(format!("unexpected text after the dict at {}", parser.pos));
    }
    let Py::Dict(items) = value else {
        return Err("not a dict".to_owned());
    };
    let field = |key: &str| {
        items
            .iter()
            .find(|(k, _)| matches!(k, Py::Str(s) if s == key))
            .map(|(_, v)| v)
    };
    let descr = field("descr").ok_or("no 'descr'")?;
    let fortran_order = match field("fortran_order").ok_or("no 'fortran_order'")? {
        Py::Bool(b) => *b,
        _ => return Err("'fortran_order' is not a bool".to_owned()),
    };
    let shape = match field("shape").ok_or("no 'shape'")? {
        Py::Tuple(items) | Py::List(items) => items
            .iter()
            .map(|item| match item {
                Py::Int(n) => u64::try_from(*n).map_err(|_| "negative dimension in 'shape'"),
                _ => Err("'shape' holds a non-integer"),
            })
            .collect::<Result<Vec<u64>, _>>()?,
        Py::Int(n) => vec![u64::try_from(*n).map_err(|_| "negative dimension in 'shape'")?],
        _ => return Err("'shape' is not a tuple".to_owned()),
    };
    let descr_text = match descr {
        Py::Str(s) => s.clone(),
        other => other.render(),
    };
    Ok(NpyHeader {
        version,
        object_dtype: has_object_type(descr),
        descr: descr_text,
        fortran_order,
        shape,
    })
}

/// Whether a dtype description has an object type: a type string with `O`, or a structured
/// dtype (a list of `(name, type[, shape])` tuples) with one. Field names are not types.
fn has_object_type(descr: &Py) -> bool {
    match descr {
        Py::Str(s) => s.contains('O'),
        Py::List(fields) => fields.iter().any(|field| match field {
            Py::Tuple(parts) | Py::List(parts) => parts.get(1).is_some_and(has_object_type),
            _ => false,
        }),
        _ => false,
    }
}

/// The subset of Python literals a NumPy header uses.
#[derive(Debug, Clone, PartialEq)]
enum Py {
    Str(String),
    Int(i128),
    Bool(bool),
    None,
    List(Vec<Py>),
    Tuple(Vec<Py>),
    Dict(Vec<(Py, Py)>),
}

impl Py {
    /// Python-like text, for structured dtypes.
    fn render(&self) -> String {
        let join = |items: &[Py]| items.iter().map(Py::render).collect::<Vec<_>>().join(", ");
        match self {
            Py::Str(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            Py::Int(n) => n.to_string(),
            Py::Bool(true) => "True".to_owned(),
            Py::Bool(false) => "False".to_owned(),
            Py::None => "None".to_owned(),
            Py::List(items) => format!("[{}]", join(items)),
            Py::Tuple(items) if items.len() == 1 => format!("({},)", join(items)),
            Py::Tuple(items) => format!("({})", join(items)),
            Py::Dict(items) => {
                let inner: Vec<String> = items
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.render(), v.render()))
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
        }
    }
}

struct Literal<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Literal<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Py, String> {
        if depth > LITERAL_DEPTH {
            return Err("literal nested too deeply".to_owned());
        }
        self.skip_space();
        let Some(b) = self.peek() else {
            return Err("unexpected end".to_owned());
        };
        match b {
            b'{' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        return Ok(Py::Dict(items));
                    }
                    let key = self.value(depth + 1)?;
                    self.skip_space();
                    if self.peek() != Some(b':') {
                        return Err(format!("expected ':' at {}", self.pos));
                    }
                    self.pos += 1;
                    let value = self.value(depth + 1)?;
                    items.push((key, value));
                    if !self.separator(b'}')? {
                        self.pos += 1;
                        return Ok(Py::Dict(items));
                    }
                }
            }
            b'[' | b'(' => {
                self.pos += 1;
                let close = if b == b'[' { b']' } else { b')' };
                let mut items = Vec::new();
                let mut trailing_comma = false;
                loop {
                    self.skip_space();
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        break;
                    }
                    items.push(self.value(depth + 1)?);
                    trailing_comma = self.separator(close)?;
                    if !trailing_comma {
                        self.pos += 1;
                        break;
                    }
                }
                Ok(match (b, items.len(), trailing_comma) {
                    (b'[', _, _) => Py::List(items),
                    (_, 1, false) => items.pop().unwrap_or(Py::None),
                    _ => Py::Tuple(items),
                })
            }
            b'\'' | b'"' => self.string(),
            b'u' | b'b' if matches!(self.text.get(self.pos + 1), Some(b'\'' | b'"')) => {
                self.pos += 1;
                self.string()
            }
            b'-' | b'0'..=b'9' => self.int(),
            _ => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    self.pos += 1;
                }
                match self.text.get(start..self.pos) {
                    Some(b"True") => Ok(Py::Bool(true)),
                    Some(b"False") => Ok(Py::Bool(false)),
                    Some(b"None") => Ok(Py::None),
                    _ => Err(format!("unexpected character at {start}")),
                }
            }
        }
    }

    /// After an item: `,` (returns true, consumed) or the closing bracket (returns false, not
    /// consumed).
    fn separator(&mut self, close: u8) -> Result<bool, String> {
        self.skip_space();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b) if b == close => Ok(false),
            _ => Err(format!(
                "expected ',' or '{}' at {}",
                char::from(close),
                self.pos
            )),
        }
    }

    fn int(&mut self) -> Result<Py, String> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = std::str::from_utf8(self.text.get(start..self.pos).unwrap_or_default())
            .map_err(|_| "invalid integer".to_owned())?;
        let value = digits
            .parse::<i128>()
            .map_err(|_| format!("invalid integer at {start}"))?;
        if matches!(self.peek(), Some(b'L' | b'l')) {
            self.pos += 1;
        }
        Ok(Py::Int(value))
    }

    fn string(&mut self) -> Result<Py, String> {
        let Some(quote) = self.peek() else {
            return Err("unexpected end".to_owned());
        };
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(b) = self.peek() else {
                return Err(format!("unterminated string at {start}"));
            };
            self.pos += 1;
            if b == quote {
                break;
            }
            if b != b'\\' {
                out.push(b);
                continue;
            }
            let Some(esc) = self.peek() else {
                return Err(format!("unterminated string at {start}"));
            };
            self.pos += 1;
            match esc {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'r' => out.push(b'\r'),
                b'0' => out.push(0),
                b'x' => {
                    let hex = self.text.get(self.pos..self.pos + 2);
                    let value = hex
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                        .ok_or_else(|| format!("bad \\x escape at {}", self.pos))?;
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(char::from(value).encode_utf8(&mut buf).as_bytes());
                    self.pos += 2;
                }
                other => out.push(other),
            }
        }
        Ok(Py::Str(String::from_utf8_lossy(&out).into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::zipped::tests::build_zip;
    use std::io::Cursor;

    fn npy(version: (u8, u8), header: &str, payload: &[u8]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend([version.0, version.1]);
        if version.0 == 1 {
            out.extend((header.len() as u16).to_le_bytes());
        } else {
            out.extend((header.len() as u32).to_le_bytes());
        }
        out.extend(header.as_bytes());
        out.extend(payload);
        out
    }

    fn scan_bytes(bytes: &[u8]) -> ParseResult<NpyScan> {
        scan_npy(bytes, bytes.len() as u64)
    }

    const F4: &str = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }          \n";
    const OBJECT_PICKLE: &[u8] = b"\x80\x04cos\nsystem\n\x94\x8c\x02ls\x94\x85\x94R\x94.";

    #[test]
    fn version_1_header_is_read() {
        let scan = scan_bytes(&npy((1, 0), F4, &[0u8; 48])).unwrap();
        assert_eq!(
            scan.header,
            NpyHeader {
                version: (1, 0),
                descr: "<f4".to_owned(),
                fortran_order: false,
                shape: vec![3, 4],
                object_dtype: false,
            }
        );
        assert_eq!(scan.pickle, None);
    }

    #[test]
    fn versions_2_and_3_use_four_byte_lengths() {
        let header = "{\"descr\": \"<M8[D]\", \"fortran_order\": True, \"shape\": (7,)}\n";
        let scan = scan_bytes(&npy((2, 0), header, b"")).unwrap();
        assert_eq!(
            (scan.header.shape.as_slice(), scan.header.fortran_order),
            (&[7u64][..], true)
        );
        let header = "{'descr': '<U3', 'fortran_order': False, 'shape': (), 'é': 1}";
        let scan = scan_bytes(&npy((3, 0), header, b"")).unwrap();
        assert_eq!(scan.header.shape, Vec::<u64>::new());
        assert_eq!(scan.header.version, (3, 0));
    }

    #[test]
    fn object_arrays_have_their_pickle_walked() {
        let header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }";
        let scan = scan_bytes(&npy((1, 0), header, OBJECT_PICKLE)).unwrap();
        assert!(scan.header.object_dtype);
        let walk = scan.pickle.unwrap();
        assert_eq!(walk.dangerous().count(), 1);
        assert_eq!(walk.globals[0].name, "system");
        // an object array whose payload is not a pickle is an error
        let err = scan_bytes(&npy((1, 0), header, b"")).unwrap_err();
        assert!(err.message.starts_with("object array payload"), "{err}");
    }

    #[test]
    fn structured_dtypes_are_checked_by_type_not_by_name() {
        let header = "{'descr': [('Obj', '<i4'), ('b', [('c', '|O')])], 'fortran_order': False, 'shape': (2L,)}";
        let scan = scan_bytes(&npy((1, 0), header, OBJECT_PICKLE)).unwrap();
        assert!(scan.header.object_dtype);
        assert_eq!(scan.header.descr, "[('Obj', '<i4'), ('b', [('c', '|O')])]");
        assert_eq!(scan.header.shape, vec![2]);
        let header = "{'descr': [('Obj', '<i4')], 'fortran_order': False, 'shape': (2,)}";
        assert!(
            !scan_bytes(&npy((1, 0), header, b""))
                .unwrap()
                .header
                .object_dtype
        );
    }

    #[test]
    fn malformed_headers_are_errors() {
        for header in [
            "",
            "{",
            "{'descr': '<f4'}",
            "{'descr': '<f4', 'fortran_order': 0, 'shape': ()}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': ('a',)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': ()} junk",
            "{'descr': '<f4' 'fortran_order': False}",
            "{'descr': __import__('os'), 'fortran_order': False, 'shape': ()}",
            "{'descr': 'unterminated, 'fortran_order': False, 'shape': ()}",
            "{'shape': (99999999999999999999999999999999999999999,)}",
        ] {
            assert!(scan_bytes(&npy((1, 0), header, b"")).is_err(), "{header}");
        }
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let header = format!("{{'descr': {deep}, 'fortran_order': False, 'shape': ()}}");
        assert!(
            scan_bytes(&npy((1, 0), &header, b""))
                .unwrap_err()
                .message
                .contains("deeply")
        );
    }

    #[test]
    fn bad_prefixes_and_lengths_are_errors() {
        assert!(scan_bytes(b"").is_err());
        assert!(scan_bytes(b"\x93NUMPZ\x01\x00\x10\x00").is_err());
        assert!(
            scan_bytes(b"\x93NUMPY\x04\x00\x10\x00")
                .unwrap_err()
                .message
                .contains("version")
        );
        assert!(scan_bytes(b"\x93NUMPY\x01\x00\x10").is_err());
        // a header length past the end of the file
        let mut bytes = npy((1, 0), F4, b"");
        bytes.truncate(bytes.len() - 5);
        assert!(
            scan_bytes(&bytes)
                .unwrap_err()
                .message
                .contains("past the end")
        );
        // hostile lengths never allocate
        let mut hostile = MAGIC.to_vec();
        hostile.extend([2, 0, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(
            scan_npy(&hostile[..], u64::MAX).unwrap_err().limit,
            Some("npy header")
        );
        // v3 headers must be UTF-8
        let mut bytes = npy((3, 0), F4, b"");
        bytes[20] = 0xff;
        assert!(scan_bytes(&bytes).unwrap_err().message.contains("UTF-8"));
    }

    #[test]
    fn npz_entries_are_scanned_and_sorted() {
        let plain = npy((1, 0), F4, &[0u8; 48]);
        let object = npy(
            (1, 0),
            "{'descr': '|O', 'fortran_order': False, 'shape': (1,)}",
            OBJECT_PICKLE,
        );
        let bytes = build_zip(
            &[
                ("weights.npy", &plain),
                ("meta.txt", b"x"),
                ("labels.npy", &object),
            ],
            true,
        );
        let scan = scan_npz(Cursor::new(bytes)).unwrap();
        let names: Vec<_> = scan.arrays.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["labels.npy", "weights.npy"]);
        assert!(
            scan.arrays[0]
                .1
                .pickle
                .as_ref()
                .unwrap()
                .dangerous()
                .next()
                .is_some()
        );
        assert!(scan.errors.is_empty());
    }

    #[test]
    fn npz_errors_are_kept_per_entry() {
        let plain = npy((1, 0), F4, &[0u8; 48]);
        let bytes = build_zip(&[("a.npy", b"garbage"), ("b.npy", &plain)], false);
        let scan = scan_npz(Cursor::new(bytes)).unwrap();
        assert_eq!(scan.arrays.len(), 1);
        assert_eq!(scan.errors.len(), 1);
        assert_eq!(scan.errors[0].0, "a.npy");
        let only_bad = build_zip(&[("a.npy", b"garbage")], false);
        assert!(scan_npz(Cursor::new(only_bad)).is_err());
        assert!(scan_npz(Cursor::new(b"not a zip".to_vec())).is_err());
        assert_eq!(
            scan_npz(Cursor::new(build_zip(&[], false))).unwrap(),
            NpzScan::default()
        );
    }
}
