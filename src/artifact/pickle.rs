//! Static pickle opcode walker.
//!
//! A pickle is a program for a stack machine: `GLOBAL`, `STACK_GLOBAL`, `INST` and `EXT*` import any
//! Python callable and `REDUCE`/`OBJ`/`NEWOBJ`/`BUILD` call it, so loading a checkpoint can run
//! arbitrary code. This module walks the opcodes of every pickle stream in a file (protocols 0–5,
//! as CPython's `pickletools` documents them), keeps a small virtual stack and memo so that the
//! string arguments of `STACK_GLOBAL` can be resolved, and records every import with a
//! classification against an allow list and a deny list. Whether an import is a finding is for
//! `rules/`.
//!
//! It must never unpickle, import or execute anything, never hold a whole file in memory (large
//! byte payloads are skipped, not stored), and never allocate from a length read from the file
//! without checking it against the limits in [`limits`].
//!
//! Classification, in order: an exact allow-list entry is safe (this is how `uuid.UUID` escapes
//! the `uuid` deny entry); then the deny list (matched on the dotted path `module.name`, so a
//! denied module covers its submodules and protocol-4 dotted names); then any dunder attribute in
//! the name (`x.__globals__`) is dangerous; then the allow-list patterns (`torch._utils._rebuild_*`,
//! `sklearn.*` classes …); everything else is unknown. Python 2 module names are mapped to their
//! Python 3 names first, as CPython's `fix_imports` does. `copyreg._reconstructor` is allowed: it
//! only instantiates a class that is itself imported, and classified, separately.
//!
//! A pickle file may be one `joblib.dump` wrote, with NumPy array data between its opcodes; the
//! walk skips that data as `joblib.load` does ([`joblib`]), and walks an object array's nested
//! pickle. A pickle in a zip entry or an `.npy` file is walked as plain opcodes.
use super::compressed::{Budget, Compression, Decompressed};
use super::{ParseError, ParseResult, limits};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

mod joblib;

/// Strings longer than this are not kept on the virtual stack (an import name never is).
pub const PICKLE_KEPT_STRING_BYTES: u64 = 64 * 1024;
/// Total bytes of strings kept on the virtual stack and memo of one stream; past it, strings are
/// tracked as opaque values (a `STACK_GLOBAL` on them is then reported as unresolvable).
pub const PICKLE_KEPT_TEXT_BYTES: u64 = 64 * 1024 * 1024;
/// Tuples longer than this, and dicts with more entries, are not kept (a dtype's state has nine
/// items, an array's shape at most 64, joblib's array wrapper state six entries).
const KEPT_ITEMS: usize = 64;
/// Total tuple items and dict entries kept on the virtual stack and memo of one stream; past
/// it, tuples and dicts are tracked as opaque values.
const KEPT_CELLS: u64 = 1024 * 1024;
/// Bytes past the end of one NumPy array's data that the walk of that data as opcodes (what
/// plain `pickle.load` runs) may read; the bytes read past the end are held to be walked again.
const CONTINUATION_BYTES: u64 = 1024 * 1024;
/// Bytes past the ends of array data that all those walks of one input may read together.
const CONTINUATION_TOTAL_BYTES: u64 = 16 * 1024 * 1024;

/// How an imported global is classified against the allow and deny lists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "class", rename_all = "kebab-case")]
pub enum GlobalSafety {
    /// On the allow list (torch rebuild helpers, OrderedDict, numpy reconstruct …).
    Safe,
    /// On the deny list, or an unresolvable import; `reason` says why in a few words.
    Dangerous { reason: String },
    /// On neither list: cannot be verified.
    Unknown,
}

/// One global a pickle stream imports.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ImportedGlobal {
    /// The module as written in the pickle (`?` when it could not be resolved statically).
    pub module: String,
    pub name: String,
    /// `GLOBAL`, `STACK_GLOBAL`, `INST` or `EXT`.
    pub opcode: &'static str,
    /// Byte offset of the opcode in the input (the file or zip entry, or the decompressed
    /// stream of a compressed pickle), not in its stream.
    pub offset: u64,
    /// Index of the stream in the file (0 for the first pickle).
    pub stream: usize,
    pub safety: GlobalSafety,
    /// Set when the import sits in bytes `joblib.load` skips as NumPy array data, which plain
    /// `pickle.load` reads as opcodes and runs (see [`joblib`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub in_array_data: bool,
}

/// What the walker learned from every pickle stream in one file or zip entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PickleScan {
    /// Complete streams walked (up to `STOP`).
    pub streams: usize,
    /// Protocol of the first `PROTO` opcode (`None` for protocol 0/1 pickles).
    pub protocol: Option<u8>,
    pub opcodes: u64,
    /// Every import, in stream order.
    pub globals: Vec<ImportedGlobal>,
    /// Calls of imported callables (REDUCE, OBJ, NEWOBJ, NEWOBJ_EX, BUILD, and INST which both
    /// imports and calls) counted.
    pub calls: u64,
    /// Set when the first stream could not be walked to its end but imports had already been
    /// seen: those imports are kept (an unpickler runs them before it fails), and this says why
    /// the walk stopped. Anything after that point was not seen.
    pub incomplete: Option<String>,
    /// Set when the walk stopped at a resource limit before the end of the input: what follows
    /// was not checked, yet a loader would go on and run it, so the pickle cannot be checked.
    /// Imports seen before the limit are kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_at_limit: Option<LimitStop>,
    /// The compression the pickle was wrapped in (joblib `compress=`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compression: Option<Compression>,
}

/// Where and why a walk stopped at a resource limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LimitStop {
    /// The limit, as `docs/limits.md` names it (`pickle size`, `decompression ratio` …).
    pub limit: &'static str,
    /// The byte of the input (the decompressed stream of a compressed pickle) the walk reached.
    pub offset: u64,
    /// What the limit is, in a sentence.
    pub message: String,
}

impl PickleScan {
    pub fn dangerous(&self) -> impl Iterator<Item = &ImportedGlobal> {
        self.globals
            .iter()
            .filter(|g| matches!(g.safety, GlobalSafety::Dangerous { .. }))
    }
    pub fn unknown(&self) -> impl Iterator<Item = &ImportedGlobal> {
        self.globals
            .iter()
            .filter(|g| g.safety == GlobalSafety::Unknown)
    }
}

/// Walk a pickle file of `size` bytes: a plain pickle, or one joblib compressed (recognised by
/// its first bytes, as `joblib.load` recognises it), whose decompressed stream is walked within
/// [`Budget::DEFAULT`].
pub fn scan_file<R: Read>(reader: R, size: u64) -> ParseResult<PickleScan> {
    scan_file_within(reader, size, Budget::DEFAULT)
}

fn scan_file_within<R: Read>(reader: R, size: u64, budget: Budget) -> ParseResult<PickleScan> {
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let prefix = reader.fill_buf().map_err(|e| io_error_at(0, e))?;
    let Some(compression) = Compression::sniff(prefix) else {
        return scan_with_len(reader, size);
    };
    let mut stream = Decompressed::new(compression, reader, size, budget)
        .map_err(|e| ParseError::new(format!("{} decoder: {e}", compression.name())))?;
    let in_stream = format!(" (in the {} stream)", compression.name());
    let (mut scan, stop) = walk_all(&mut stream, None, Walk::FILE).map_err(|mut err| {
        err.message.push_str(&in_stream);
        err
    })?;
    let stop = match (stop, stream.tripped()) {
        // The walk failed because the decompressed stream was cut at its budget.
        // The decompressed stream was cut at its budget: whatever stopped the walk (a later
        // stream that broke off there included), the rest is unchecked.
        (_, Some(limit)) => Some((limit.clone(), stream.position())),
        (stop, None) => stop,
    };
    scan.compression = Some(compression);
    match finish(scan, stop) {
        Ok(mut scan) => {
            if let Some(reason) = &mut scan.incomplete {
                reason.push_str(&in_stream);
            }
            Ok(scan)
        }
        Err(mut err) => {
            err.message.push_str(&in_stream);
            Err(err)
        }
    }
}

/// Walk every pickle stream in `reader` (a plain pickle file, or one zip entry), streaming.
///
/// The first stream must be a pickle: an empty input, or one whose first stream is malformed
/// before any import was seen, is an error. After each `STOP`, following bytes that start with
/// `PROTO` are walked as a further stream (legacy torch files hold five); the walk stops quietly
/// at the first following bytes that are not a valid pickle.
///
/// joblib's raw array data is not skipped here: only `joblib.load` skips it, and a pickle in a
/// zip entry or an `.npy` file is read by loaders that take those bytes as opcodes.
pub fn scan<R: Read>(reader: R) -> ParseResult<PickleScan> {
    let (scan, stop) = walk_all(reader, None, Walk::PLAIN)?;
    finish(scan, stop)
}

/// How a walk reads its input.
#[derive(Debug, Clone, Copy)]
struct Walk {
    /// Bytes one stream may take ([`limits::PICKLE_BYTES`]).
    stream_bytes: u64,
    /// Whether the array data joblib writes after each `NumpyArrayWrapper` is skipped (or,
    /// for an object array, walked as the nested pickle it is), as `joblib.load` reads it.
    joblib_arrays: bool,
}

impl Walk {
    const PLAIN: Walk = Walk {
        stream_bytes: limits::PICKLE_BYTES,
        joblib_arrays: false,
    };
    /// A pickle file, which `joblib.load` may read.
    const FILE: Walk = Walk {
        stream_bytes: limits::PICKLE_BYTES,
        joblib_arrays: true,
    };
}

/// [`scan`] of a file `len` bytes long (a length read from the stream that runs past it is
/// reported as a truncation, before any limit), skipping joblib's raw array data.
fn scan_with_len<R: Read>(reader: R, len: u64) -> ParseResult<PickleScan> {
    let (scan, stop) = walk_all(reader, Some(len), Walk::FILE)?;
    finish(scan, stop)
}

/// The error that stopped a walk, with the byte of the input it had reached.
type Stop = (ParseError, u64);

/// Walk every stream of `reader`, returning what was seen and what stopped the walk early: an
/// error in the first stream, or a limit in a later one (a broken later stream is no stop, as
/// a loader fails there too). Only an empty input is an error here.
fn walk_all<R: Read>(
    reader: R,
    len: Option<u64>,
    walk: Walk,
) -> ParseResult<(PickleScan, Option<Stop>)> {
    let mut input = Input::new(BufReader::with_capacity(64 * 1024, reader), len);
    input.walk = walk;
    let mut result = PickleScan::default();
    if input.peek()?.is_none() {
        return Err(ParseError::new("empty file: not a pickle"));
    }
    if let Err(err) = walk_stream(&mut input, 0, &mut result) {
        let at = input.pos;
        return Ok((result, Some((err, at))));
    }
    result.streams = 1;
    while result.streams < limits::PICKLE_STREAMS {
        match input.peek() {
            Ok(Some(op::PROTO)) => {}
            Ok(_) => break,
            Err(err) => {
                let at = input.pos;
                return Ok((result, Some((err, at))));
            }
        }
        input.start_stream();
        let index = result.streams;
        match walk_stream(&mut input, index, &mut result) {
            Ok(()) => result.streams += 1,
            Err(err) if err.limit.is_some() => {
                let at = input.pos;
                return Ok((result, Some((err, at))));
            }
            Err(_) => break,
        }
    }
    if result.streams >= limits::PICKLE_STREAMS && matches!(input.peek(), Ok(Some(op::PROTO))) {
        // A further stream could hide an import from a loader that keeps calling `load`.
        let err = ParseError::limit(
            "pickle streams",
            format!(
                "more than {} pickle streams; the rest were not walked",
                limits::PICKLE_STREAMS
            ),
        );
        let at = input.pos;
        return Ok((result, Some((err, at))));
    }
    Ok((result, None))
}

/// What a walk's stop makes of the scan: a limit leaves the rest of the input unchecked
/// ([`PickleScan::stopped_at_limit`]); any other error in the first stream is the file's error,
/// unless imports were already seen (a loader runs them before it fails), when the scan is kept
/// and says why it is [`PickleScan::incomplete`]. An error after the first complete stream is
/// no stop: a loader fails there too.
fn finish(mut scan: PickleScan, stop: Option<Stop>) -> ParseResult<PickleScan> {
    drop_repeated_imports(&mut scan.globals);
    let Some((err, at)) = stop else {
        return Ok(scan);
    };
    if let Some(limit) = err.limit {
        scan.stopped_at_limit = Some(LimitStop {
            limit,
            offset: at,
            message: err.message,
        });
        return Ok(scan);
    }
    if scan.streams > 0 {
        return Ok(scan);
    }
    if scan.globals.is_empty() {
        return Err(err);
    }
    let mut reason = err.to_string();
    if scan.globals.iter().any(is_joblib_array_wrapper) {
        reason.push_str(" (joblib stores array data raw inside the stream)");
    }
    scan.incomplete = Some(reason);
    Ok(scan)
}

/// Drop the imports a walk of array data as opcodes found again past the data's end, where it
/// read the stream's own opcodes: the same import at the same byte as one already kept.
fn drop_repeated_imports(globals: &mut Vec<ImportedGlobal>) {
    if !globals.iter().any(|g| g.in_array_data) {
        return;
    }
    let key = |g: &ImportedGlobal| (g.offset, g.opcode, g.module.clone(), g.name.clone());
    let mut seen: std::collections::HashSet<_> = globals
        .iter()
        .filter(|g| !g.in_array_data)
        .map(key)
        .collect();
    globals.retain(|g| !g.in_array_data || seen.insert(key(g)));
}

fn is_joblib_array_wrapper(global: &ImportedGlobal) -> bool {
    global.module == "joblib.numpy_pickle"
        && matches!(global.name.as_str(), "NumpyArrayWrapper" | "NDArrayWrapper")
}

/// Opcode bytes, as in CPython's `pickletools`.
mod op {
    pub const MARK: u8 = b'(';
    pub const STOP: u8 = b'.';
    pub const POP: u8 = b'0';
    pub const POP_MARK: u8 = b'1';
    pub const DUP: u8 = b'2';
    pub const FLOAT: u8 = b'F';
    pub const INT: u8 = b'I';
    pub const BININT: u8 = b'J';
    pub const BININT1: u8 = b'K';
    pub const LONG: u8 = b'L';
    pub const BININT2: u8 = b'M';
    pub const NONE: u8 = b'N';
    pub const PERSID: u8 = b'P';
    pub const BINPERSID: u8 = b'Q';
    pub const REDUCE: u8 = b'R';
    pub const STRING: u8 = b'S';
    pub const BINSTRING: u8 = b'T';
    pub const SHORT_BINSTRING: u8 = b'U';
    pub const UNICODE: u8 = b'V';
    pub const BINUNICODE: u8 = b'X';
    pub const APPEND: u8 = b'a';
    pub const BUILD: u8 = b'b';
    pub const GLOBAL: u8 = b'c';
    pub const DICT: u8 = b'd';
    pub const EMPTY_DICT: u8 = b'}';
    pub const APPENDS: u8 = b'e';
    pub const GET: u8 = b'g';
    pub const BINGET: u8 = b'h';
    pub const INST: u8 = b'i';
    pub const LONG_BINGET: u8 = b'j';
    pub const LIST: u8 = b'l';
    pub const EMPTY_LIST: u8 = b']';
    pub const OBJ: u8 = b'o';
    pub const PUT: u8 = b'p';
    pub const BINPUT: u8 = b'q';
    pub const LONG_BINPUT: u8 = b'r';
    pub const SETITEM: u8 = b's';
    pub const TUPLE: u8 = b't';
    pub const EMPTY_TUPLE: u8 = b')';
    pub const SETITEMS: u8 = b'u';
    pub const BINFLOAT: u8 = b'G';
    pub const PROTO: u8 = 0x80;
    pub const NEWOBJ: u8 = 0x81;
    pub const EXT1: u8 = 0x82;
    pub const EXT2: u8 = 0x83;
    pub const EXT4: u8 = 0x84;
    pub const TUPLE1: u8 = 0x85;
    pub const TUPLE2: u8 = 0x86;
    pub const TUPLE3: u8 = 0x87;
    pub const NEWTRUE: u8 = 0x88;
    pub const NEWFALSE: u8 = 0x89;
    pub const LONG1: u8 = 0x8a;
    pub const LONG4: u8 = 0x8b;
    pub const BINBYTES: u8 = b'B';
    pub const SHORT_BINBYTES: u8 = b'C';
    pub const SHORT_BINUNICODE: u8 = 0x8c;
    pub const BINUNICODE8: u8 = 0x8d;
    pub const BINBYTES8: u8 = 0x8e;
    pub const EMPTY_SET: u8 = 0x8f;
    pub const ADDITEMS: u8 = 0x90;
    pub const FROZENSET: u8 = 0x91;
    pub const NEWOBJ_EX: u8 = 0x92;
    pub const STACK_GLOBAL: u8 = 0x93;
    pub const MEMOIZE: u8 = 0x94;
    pub const FRAME: u8 = 0x95;
    pub const BYTEARRAY8: u8 = 0x96;
    pub const NEXT_BUFFER: u8 = 0x97;
    pub const READONLY_BUFFER: u8 = 0x98;
}

/// The highest pickle protocol CPython knows.
const HIGHEST_PROTOCOL: u8 = 5;

/// A buffered input that counts its position and enforces the per-stream byte budget.
struct Input<R> {
    inner: Replay<R>,
    pos: u64,
    stream_start: u64,
    /// The input's length, when it is known (a file's size, not a decompressed stream's).
    len: Option<u64>,
    walk: Walk,
    /// Bytes past the ends of array data that walks of that data as opcodes may still read.
    continuation_left: u64,
    /// In a walk of array data as opcodes: where the data ends, and where the walk must stop.
    continuation: Option<Continuation>,
}

/// The bounds of a walk of joblib array data as the opcodes plain `pickle.load` reads there.
#[derive(Debug, Clone, Copy)]
struct Continuation {
    /// The byte after the array data.
    data_end: u64,
    /// The byte at which the walk stops at its limit.
    limit: u64,
}

impl<R: BufRead> Input<R> {
    fn new(inner: R, len: Option<u64>) -> Self {
        Input {
            inner: Replay {
                inner,
                pending: Vec::new(),
                at: 0,
            },
            pos: 0,
            stream_start: 0,
            len,
            walk: Walk::PLAIN,
            continuation_left: CONTINUATION_TOTAL_BYTES,
            continuation: None,
        }
    }

    fn start_stream(&mut self) {
        self.stream_start = self.pos;
    }

    fn io_error(&self, err: io::Error) -> ParseError {
        io_error_at(self.pos, err)
    }

    /// Fail unless `n` more bytes fit in this stream's budget.
    fn ensure(&self, n: u64) -> ParseResult<()> {
        if n > self.budget_left() {
            return Err(ParseError::limit(
                "pickle size",
                format!("pickle stream longer than {} bytes", self.walk.stream_bytes),
            ));
        }
        Ok(())
    }

    /// Bytes this stream may still read.
    fn budget_left(&self) -> u64 {
        let used = self.pos.saturating_sub(self.stream_start);
        self.walk.stream_bytes.saturating_sub(used)
    }

    /// The error for the opcode at `offset`, whose argument declares `declared` bytes that the
    /// input, `len` bytes long, does not hold.
    fn declared_past_end(&self, offset: u64, declared: u64, len: u64) -> ParseError {
        let whole = if self.len.is_some() {
            "the file has"
        } else {
            "the stream ends after"
        };
        ParseError::new(format!(
            "truncated pickle: the opcode at byte {offset} declares {declared} bytes; {whole} {len}"
        ))
    }

    fn peek(&mut self) -> ParseResult<Option<u8>> {
        let pos = self.pos;
        let buf = self.inner.fill_buf().map_err(|e| io_error_at(pos, e))?;
        Ok(buf.first().copied())
    }

    fn byte(&mut self) -> ParseResult<u8> {
        let [b] = self.array::<1>()?;
        Ok(b)
    }

    fn array<const N: usize>(&mut self) -> ParseResult<[u8; N]> {
        self.ensure(N as u64)?;
        let mut out = [0u8; N];
        self.inner
            .read_exact(&mut out)
            .map_err(|e| self.io_error(e))?;
        self.pos += N as u64;
        Ok(out)
    }

    /// Read the `n` bytes of the opcode at `offset` when they are worth keeping (`keep` and
    /// short), otherwise skip them. A length past the end of the input is a truncation, told
    /// as such before any limit: checked against the input's length when it is known, and
    /// otherwise by skipping what is there, up to the limit.
    fn payload(&mut self, offset: u64, n: u64, keep: bool) -> ParseResult<Option<Vec<u8>>> {
        if let Some(bounds) = self.continuation
            && n > bounds.limit.saturating_sub(self.pos)
        {
            // a length past what the walk of array data may read is not followed
            return Err(ParseError::new("not read by pickle.load"));
        }
        if let Some(len) = self.len
            && n > len.saturating_sub(self.pos)
        {
            return Err(self.declared_past_end(offset, n, len));
        }
        if keep && n <= PICKLE_KEPT_STRING_BYTES {
            self.ensure(n)?;
            let mut out = vec![0u8; n as usize];
            let start = self.pos;
            let read = io::copy(&mut (&mut self.inner).take(n), &mut out.as_mut_slice())
                .map_err(|e| self.io_error(e))?;
            self.pos += read;
            if read < n {
                return Err(self.declared_past_end(offset, n, start + read));
            }
            return Ok(Some(out));
        }
        let skip = n.min(self.budget_left());
        let copied = io::copy(&mut (&mut self.inner).take(skip), &mut io::sink())
            .map_err(|e| self.io_error(e))?;
        self.pos += copied;
        if copied < skip {
            return Err(self.declared_past_end(offset, n, self.pos));
        }
        self.ensure(n - skip)?;
        Ok(None)
    }

    /// Skip `n` bytes of array data that joblib wrote after the opcode at `offset`, of which
    /// the first `done` were already taken from the input (by the walk of the data as opcodes).
    /// They are data, not opcodes, so they do not count against the stream's byte budget: the
    /// input's own size (or the decompression budget) bounds them.
    fn skip_data(&mut self, offset: u64, n: u64, done: u64) -> ParseResult<()> {
        if let Some(len) = self.len
            && n > len.saturating_sub(self.pos)
        {
            return Err(self.declared_past_end(offset, n, len));
        }
        let done = done.min(n);
        self.pos += done;
        self.stream_start += done;
        let rest = n - done;
        let copied = io::copy(&mut (&mut self.inner).take(rest), &mut io::sink())
            .map_err(|e| self.io_error(e))?;
        self.pos += copied;
        self.stream_start += copied;
        if copied < rest {
            return Err(self.declared_past_end(offset, n, self.pos));
        }
        Ok(())
    }

    /// Read a newline-terminated argument; returns the line without `\n`, or `None` when it was
    /// longer than `keep` bytes (it is then skipped). In a walk of array data as opcodes, a
    /// byte that `pickle.load` would not take in a line of that `kind` stops the walk.
    fn line(&mut self, keep: u64, kind: Line) -> ParseResult<Option<Vec<u8>>> {
        let mut out = Vec::new();
        let mut overflow = false;
        loop {
            let pos = self.pos;
            let buf = self.inner.fill_buf().map_err(|e| io_error_at(pos, e))?;
            if buf.is_empty() {
                return Err(truncated_at(pos));
            }
            let newline = memchr::memchr(b'\n', buf);
            let take = newline.map_or(buf.len(), |i| i + 1);
            let content = newline.unwrap_or(buf.len());
            if self.continuation.is_some()
                && !buf
                    .get(..content)
                    .unwrap_or_default()
                    .iter()
                    .all(|&b| kind.takes(b))
            {
                return Err(ParseError::new("not read by pickle.load"));
            }
            if !overflow {
                if (out.len() + content) as u64 > keep {
                    overflow = true;
                    out = Vec::new();
                } else {
                    out.extend_from_slice(buf.get(..content).unwrap_or_default());
                }
            }
            self.ensure(take as u64)?;
            self.inner.consume(take);
            self.pos += take as u64;
            if newline.is_some() {
                return Ok(if overflow { None } else { Some(out) });
            }
        }
    }

    /// A decimal line argument (`GET`, `PUT`); `None` when it is not a non-negative integer.
    fn decimal_line(&mut self) -> ParseResult<Option<u64>> {
        let line = self.line(64, Line::Number)?;
        Ok(line.and_then(|l| std::str::from_utf8(&l).ok()?.trim().parse::<u64>().ok()))
    }

    fn u32_le(&mut self) -> ParseResult<u32> {
        Ok(u32::from_le_bytes(self.array::<4>()?))
    }

    fn u64_le(&mut self) -> ParseResult<u64> {
        Ok(u64::from_le_bytes(self.array::<8>()?))
    }

    /// A signed 4-byte length, which CPython rejects when negative.
    fn i32_len(&mut self, offset: u64) -> ParseResult<u64> {
        let n = i32::from_le_bytes(self.array::<4>()?);
        u64::try_from(n).map_err(|_| ParseError::at(offset, "negative length in pickle"))
    }
}

/// A buffered reader that serves the bytes given back to it ([`Replay::unread`]) before its own.
struct Replay<R> {
    inner: R,
    pending: Vec<u8>,
    at: usize,
}

impl<R: BufRead> Replay<R> {
    /// Give back `bytes`, read last, to be read again before what was not read yet.
    fn unread(&mut self, mut bytes: Vec<u8>) {
        bytes.extend_from_slice(self.pending.get(self.at..).unwrap_or_default());
        self.pending = bytes;
        self.at = 0;
    }
}

impl<R: BufRead> Read for Replay<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_buffered(self, out)
    }
}

impl<R: BufRead> BufRead for Replay<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.pending.len() {
            return Ok(self.pending.get(self.at..).unwrap_or_default());
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.at < self.pending.len() {
            self.at = (self.at + n).min(self.pending.len());
            if self.at == self.pending.len() {
                self.pending = Vec::new();
                self.at = 0;
            }
        } else {
            self.inner.consume(n);
        }
    }
}

/// What a walk of array data as opcodes reads: the main input from the start of the data, up
/// to `data` bytes of it and `past` bytes after it. The bytes after the data are recorded, to
/// be given back to the main walk, which reads them next.
struct Tee<'a> {
    inner: &'a mut dyn BufRead,
    data: u64,
    past: u64,
    consumed: u64,
    recorded: Vec<u8>,
}

impl Read for Tee<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_buffered(self, out)
    }
}

impl BufRead for Tee<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let allowed = self.data.saturating_add(self.past);
        let buf = self.inner.fill_buf()?;
        let n = buf
            .len()
            .min(usize::try_from(allowed).unwrap_or(usize::MAX));
        Ok(buf.get(..n).unwrap_or_default())
    }

    fn consume(&mut self, n: usize) {
        let inside = (n as u64).min(self.data);
        let past = n - inside as usize;
        if past > 0 {
            // the buffer fill_buf returned, unchanged until consumed
            if let Ok(buf) = self.inner.fill_buf() {
                self.recorded
                    .extend_from_slice(buf.get(inside as usize..n).unwrap_or_default());
            }
        }
        self.data -= inside;
        self.past = self.past.saturating_sub(past as u64);
        self.consumed += n as u64;
        self.inner.consume(n);
    }
}

/// `Read::read` through a reader's own buffer.
fn read_buffered<B: BufRead + ?Sized>(reader: &mut B, out: &mut [u8]) -> io::Result<usize> {
    let n = {
        let buf = reader.fill_buf()?;
        let n = buf.len().min(out.len());
        out.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(buf.get(..n).unwrap_or_default());
        n
    };
    reader.consume(n);
    Ok(n)
}

/// What a line argument holds, as far as a walk of array data as opcodes checks it.
#[derive(Debug, Clone, Copy)]
enum Line {
    Any,
    /// A number (`INT`, `LONG`, `FLOAT`, a memo key): what Python's `int` and `float` read.
    Number,
    /// A module or a global's name: a dotted path of ASCII identifiers.
    Name,
}

impl Line {
    fn takes(self, b: u8) -> bool {
        match self {
            Line::Any => true,
            Line::Number => {
                b.is_ascii_alphanumeric()
                    || matches!(b, b'+' | b'-' | b'.' | b'_' | b' ' | b'\t' | b'\r')
            }
            Line::Name => b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'),
        }
    }
}

fn truncated_at(pos: u64) -> ParseError {
    ParseError::at(pos, "truncated pickle")
}

fn io_error_at(pos: u64, err: io::Error) -> ParseError {
    if err.kind() == io::ErrorKind::UnexpectedEof {
        truncated_at(pos)
    } else {
        ParseError::from(err)
    }
}

/// A value on the virtual stack. Strings matter because they may name a module or a global;
/// integers, small tuples and dicts, two callables and NumPy dtypes because joblib's raw array
/// data is sized from them (see [`joblib`]). Everything else is `Other`.
#[derive(Clone)]
enum Value {
    Text(Rc<str>),
    Int(i64),
    None,
    Tuple(Rc<[Value]>),
    Dict(Rc<RefCell<Entries>>),
    /// `numpy.dtype`, joblib's `NumpyArrayWrapper` class, or `copyreg._reconstructor`.
    Callable(Known),
    Dtype(Rc<RefCell<joblib::Dtype>>),
    /// A `NumpyArrayWrapper` instance, with its attributes when they are known.
    ArrayWrapper(Rc<RefCell<Option<Entries>>>),
    /// A value that is not a string (bytes, a float, a list, an array …), or what an unpickler
    /// fails on (a stack underflow, a memo miss).
    NotText,
    Other,
}

impl Value {
    /// Whether the value may be a `str`, which `STACK_GLOBAL` requires.
    fn may_be_text(&self) -> bool {
        matches!(self, Value::Text(_) | Value::Other)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    NumpyDtype,
    ArrayWrapper,
    Reconstructor,
}

impl Known {
    fn of(module: &str, name: &str) -> Option<Known> {
        match (module, name) {
            ("numpy", "dtype") => Some(Known::NumpyDtype),
            (
                "joblib.numpy_pickle" | "sklearn.externals.joblib.numpy_pickle",
                "NumpyArrayWrapper",
            ) => Some(Known::ArrayWrapper),
            ("copyreg" | "copy_reg", "_reconstructor") => Some(Known::Reconstructor),
            _ => None,
        }
    }

    fn value(module: &str, name: &str) -> Value {
        Known::of(module, name).map_or(Value::Other, Value::Callable)
    }
}

/// The string-keyed entries of a dict (or of an object's attributes), as Python keeps them:
/// a later value for a key replaces the earlier one. `overflow` is set when some were not kept.
#[derive(Clone, Default)]
struct Entries {
    items: Vec<(Rc<str>, Value)>,
    overflow: bool,
}

impl Entries {
    fn set(&mut self, key: Value, value: Value) {
        let Value::Text(key) = key else {
            self.overflow = true;
            return;
        };
        if let Some(slot) = self.items.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else if self.items.len() < KEPT_ITEMS {
            self.items.push((key, value));
        } else {
            self.overflow = true;
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.items
            .iter()
            .find(|(key, _)| &**key == name)
            .map(|(_, value)| value)
    }
}

/// The virtual stack machine of one stream.
#[derive(Default)]
struct Machine<'p> {
    stack: Vec<Value>,
    marks: Vec<usize>,
    memo: HashMap<u64, Value>,
    kept_text: u64,
    kept_cells: u64,
    /// In a walk of array data as opcodes: the stream's machine where the data starts, which
    /// this one carries on from, as `pickle.load` does.
    parent: Option<Parent<'p>>,
}

/// The part of a stream's machine a walk of array data as opcodes can still reach: the stack
/// below its own values, down to the marks it pops, and the memo.
struct Parent<'p> {
    stack: &'p [Value],
    marks: &'p [usize],
    memo: &'p HashMap<u64, Value>,
    /// Entries of `stack` and `marks` not popped yet.
    top: usize,
    mark_count: usize,
    /// Whether the walk has changed what a later `STACK_GLOBAL` of the stream could find
    /// (pushed a string, popped the parent's values, written the memo).
    touched: bool,
}

impl Parent<'_> {
    fn fence(&self) -> usize {
        self.mark_count
            .checked_sub(1)
            .and_then(|i| self.marks.get(i))
            .copied()
            .unwrap_or(0)
            .min(self.top)
    }

    fn peek(&self) -> Value {
        if self.top > self.fence() {
            self.stack
                .get(self.top - 1)
                .cloned()
                .unwrap_or(Value::NotText)
        } else {
            Value::NotText
        }
    }

    fn pop(&mut self) -> Value {
        let value = self.peek();
        if self.top > self.fence() {
            self.top -= 1;
            self.touched = true;
        }
        value
    }

    /// Pop the innermost mark and what is above it, returning those values.
    fn take_mark(&mut self) -> Vec<Value> {
        let fence = self.fence();
        let items = self.stack.get(fence..self.top).unwrap_or_default().to_vec();
        self.top = fence;
        self.mark_count = self.mark_count.saturating_sub(1);
        self.touched = true;
        items
    }
}

impl<'p> Machine<'p> {
    /// The machine of a walk of array data as opcodes, carrying on from `parent`.
    fn continuing(parent: &'p Machine<'_>) -> Machine<'p> {
        Machine {
            parent: Some(Parent {
                stack: &parent.stack,
                marks: &parent.marks,
                memo: &parent.memo,
                top: parent.stack.len(),
                mark_count: parent.marks.len(),
                touched: false,
            }),
            ..Machine::default()
        }
    }

    /// Whether this walks array data as opcodes, where whatever `pickle.load` fails on stops
    /// the walk quietly.
    fn strict(&self) -> bool {
        self.parent.is_some()
    }

    /// Whether this walk of array data may have changed what the rest of the stream imports.
    fn touched(&self) -> bool {
        self.parent.as_ref().is_some_and(|p| p.touched)
    }

    fn base(&self) -> usize {
        self.marks.last().copied().unwrap_or(0)
    }

    fn push(&mut self, value: Value) -> ParseResult<()> {
        if let (Some(parent), Value::Text(_)) = (&mut self.parent, &value) {
            parent.touched = true;
        }
        if self.stack.len() >= limits::PICKLE_STACK {
            return Err(ParseError::limit(
                "pickle stack",
                format!("pickle stack deeper than {} entries", limits::PICKLE_STACK),
            ));
        }
        self.stack.push(value);
        Ok(())
    }

    fn mark(&mut self) -> ParseResult<()> {
        if self.marks.len() >= limits::PICKLE_STACK {
            return Err(ParseError::limit(
                "pickle stack",
                format!("more than {} nested pickle marks", limits::PICKLE_STACK),
            ));
        }
        self.marks.push(self.stack.len());
        Ok(())
    }

    /// Pop within the current mark frame; an underflow yields an opaque value (a real unpickler
    /// would fail here, so being tolerant only ever shows more of the stream).
    fn pop(&mut self) -> Value {
        if self.stack.len() > self.base() {
            self.stack.pop().unwrap_or(Value::Other)
        } else if let Some(parent) = &mut self.parent {
            if self.marks.is_empty() {
                parent.pop()
            } else {
                Value::NotText
            }
        } else {
            Value::Other
        }
    }

    fn pop_n(&mut self, n: usize) {
        for _ in 0..n {
            self.pop();
        }
    }

    fn pop_mark(&mut self) {
        if self.marks.is_empty()
            && let Some(parent) = &mut self.parent
        {
            parent.take_mark();
        }
        let base = self.marks.pop().unwrap_or(0);
        self.stack.truncate(base);
    }

    /// Pop the mark frame, returning its values when there are few enough to keep.
    fn take_mark(&mut self) -> Option<Vec<Value>> {
        if self.marks.is_empty()
            && let Some(parent) = &mut self.parent
        {
            let mut items = parent.take_mark();
            items.append(&mut self.stack);
            return (items.len() <= KEPT_ITEMS).then_some(items);
        }
        let base = self.marks.pop().unwrap_or(0).min(self.stack.len());
        if self.stack.len() - base > KEPT_ITEMS {
            self.stack.truncate(base);
            return None;
        }
        Some(self.stack.split_off(base))
    }

    /// Whether `cells` more tuple items or dict entries may be kept.
    fn keep(&mut self, cells: usize) -> bool {
        let cells = cells as u64;
        if self.kept_cells.saturating_add(cells) > KEPT_CELLS {
            return false;
        }
        self.kept_cells += cells;
        true
    }

    fn tuple(&mut self, items: Option<Vec<Value>>) -> Value {
        match items {
            Some(items) if self.keep(items.len()) => Value::Tuple(Rc::from(items)),
            _ => Value::Other,
        }
    }

    /// Set `pairs` (key, value, key, value …) in the dict on top of the stack, if it is one.
    fn set_items(&mut self, pairs: Option<Vec<Value>>) {
        let Value::Dict(dict) = self.top() else {
            return;
        };
        let mut dict = dict.borrow_mut();
        let Some(pairs) = pairs.filter(|p| p.len() % 2 == 0) else {
            dict.overflow = true;
            return;
        };
        if !self.keep(pairs.len() / 2) {
            dict.overflow = true;
            return;
        }
        let mut pairs = pairs.into_iter();
        while let (Some(key), Some(value)) = (pairs.next(), pairs.next()) {
            dict.set(key, value);
        }
    }

    fn top(&self) -> Value {
        if self.stack.len() > self.base() {
            self.stack.last().cloned().unwrap_or(Value::Other)
        } else if let Some(parent) = &self.parent {
            if self.marks.is_empty() {
                parent.peek()
            } else {
                Value::NotText
            }
        } else {
            Value::Other
        }
    }

    fn put(&mut self, key: u64) -> ParseResult<()> {
        if !self.memo.contains_key(&key) && self.memo.len() >= limits::PICKLE_MEMO {
            return Err(ParseError::limit(
                "pickle memo",
                format!("pickle memo larger than {} entries", limits::PICKLE_MEMO),
            ));
        }
        let top = self.top();
        self.memo.insert(key, top);
        if let Some(parent) = &mut self.parent {
            parent.touched = true;
        }
        Ok(())
    }

    fn get(&self, key: Option<u64>) -> Value {
        let Some(parent) = &self.parent else {
            return key
                .and_then(|k| self.memo.get(&k).cloned())
                .unwrap_or(Value::Other);
        };
        key.and_then(|k| self.memo.get(&k).or_else(|| parent.memo.get(&k)))
            .cloned()
            .unwrap_or(Value::NotText)
    }

    /// A string value, kept while the per-stream text budget lasts.
    fn text(&mut self, text: Option<String>) -> Value {
        match text {
            Some(s) if self.kept_text.saturating_add(s.len() as u64) <= PICKLE_KEPT_TEXT_BYTES => {
                self.kept_text += s.len() as u64;
                Value::Text(Rc::from(s))
            }
            _ => Value::Other,
        }
    }
}

/// Walk one stream up to and including its `STOP`.
fn walk_stream<R: BufRead>(
    input: &mut Input<R>,
    stream: usize,
    scan: &mut PickleScan,
) -> ParseResult<()> {
    walk_machine(input, stream, scan, &mut Machine::default())
}

/// Walk a stream on the machine `m` up to and including its `STOP`. When `m` walks array data
/// as opcodes ([`Machine::strict`]), what `pickle.load` fails on (an unknown opcode, an import
/// that is no Python name, a `STACK_GLOBAL` of values that are no strings) ends the walk with
/// an error, which the caller drops; so does reaching the end of the data in step with the
/// stream's own opcodes, having changed nothing a later import could read.
fn walk_machine<R: BufRead>(
    input: &mut Input<R>,
    stream: usize,
    scan: &mut PickleScan,
    m: &mut Machine<'_>,
) -> ParseResult<()> {
    let strict = m.strict();
    let quiet_stop = || ParseError::new("not read by pickle.load");
    loop {
        let offset = input.pos;
        if let Some(bounds) = input.continuation {
            if offset == bounds.data_end && !m.touched() {
                // from here the walk reads the stream's own opcodes, as the stream's walk does
                return Ok(());
            }
            if offset >= bounds.limit {
                return Err(ParseError::limit(
                    "array data as opcodes",
                    format!(
                        "the NumPy array data before byte {} reads as pickle opcodes, which plain pickle.load runs, \
                         for more than {CONTINUATION_BYTES} bytes past its end",
                        bounds.data_end
                    ),
                ));
            }
        }
        let code = input.byte()?;
        scan.opcodes += 1;
        let record = |scan: &mut PickleScan, module: String, name: String, opcode, safety| {
            scan.globals.push(ImportedGlobal {
                module,
                name,
                opcode,
                offset,
                stream,
                safety,
                in_array_data: false,
            });
        };
        match code {
            op::MARK => m.mark()?,
            op::STOP => {
                if m.stack.is_empty() {
                    return Err(ParseError::at(offset, "pickle STOP with an empty stack"));
                }
                return Ok(());
            }
            op::POP => {
                if m.stack.len() > m.base() {
                    m.pop();
                } else {
                    m.pop_mark();
                }
            }
            op::POP_MARK => m.pop_mark(),
            op::DUP => {
                let top = m.top();
                m.push(top)?;
            }
            op::FLOAT => {
                input.line(0, Line::Number)?;
                m.push(Value::NotText)?;
            }
            op::INT | op::LONG => {
                let line = input.line(64, Line::Number)?;
                let value = line
                    .as_deref()
                    .and_then(|l| std::str::from_utf8(l).ok())
                    .and_then(|l| l.trim_end_matches('L').parse::<i64>().ok())
                    .map_or(Value::Other, Value::Int);
                m.push(value)?;
            }
            op::BININT => {
                let n = i32::from_le_bytes(input.array::<4>()?);
                m.push(Value::Int(i64::from(n)))?;
            }
            op::BININT1 => {
                let n = input.byte()?;
                m.push(Value::Int(i64::from(n)))?;
            }
            op::BININT2 => {
                let n = u16::from_le_bytes(input.array::<2>()?);
                m.push(Value::Int(i64::from(n)))?;
            }
            op::LONG1 => {
                let n = u64::from(input.byte()?);
                let bytes = input.payload(offset, n, n <= 8)?;
                m.push(bytes.map_or(Value::Other, |b| Value::Int(long_le(&b))))?;
            }
            op::LONG4 => {
                let n = input.i32_len(offset)?;
                input.payload(offset, n, false)?;
                m.push(Value::NotText)?;
            }
            op::BINFLOAT => {
                input.array::<8>()?;
                m.push(Value::NotText)?;
            }
            op::STRING => {
                if strict && !matches!(input.peek()?, Some(b'\'' | b'"')) {
                    return Err(quiet_stop());
                }
                let line = input.line(PICKLE_KEPT_STRING_BYTES, Line::Any)?;
                let text = line.and_then(|l| unquote_string(&l)).map(|b| latin1(&b));
                let value = m.text(text);
                m.push(value)?;
            }
            op::UNICODE => {
                let line = input.line(PICKLE_KEPT_STRING_BYTES, Line::Any)?;
                let value = m.text(line.map(|l| raw_unicode_escape(&l)));
                m.push(value)?;
            }
            op::BINSTRING | op::SHORT_BINSTRING => {
                let n = if code == op::BINSTRING {
                    input.i32_len(offset)?
                } else {
                    u64::from(input.byte()?)
                };
                let bytes = input.payload(offset, n, true)?;
                let value = m.text(bytes.map(|b| latin1(&b)));
                m.push(value)?;
            }
            op::BINUNICODE | op::SHORT_BINUNICODE | op::BINUNICODE8 => {
                let n = match code {
                    op::BINUNICODE => u64::from(input.u32_le()?),
                    op::SHORT_BINUNICODE => u64::from(input.byte()?),
                    _ => input.u64_le()?,
                };
                let bytes = input.payload(offset, n, true)?;
                let value = m.text(bytes.map(|b| String::from_utf8_lossy(&b).into_owned()));
                m.push(value)?;
            }
            op::BINBYTES | op::SHORT_BINBYTES | op::BINBYTES8 | op::BYTEARRAY8 => {
                let n = match code {
                    op::BINBYTES => u64::from(input.u32_le()?),
                    op::SHORT_BINBYTES => u64::from(input.byte()?),
                    _ => input.u64_le()?,
                };
                input.payload(offset, n, false)?;
                m.push(Value::NotText)?;
            }
            op::NONE => m.push(Value::None)?,
            op::EMPTY_TUPLE => m.push(Value::Tuple(Rc::from([])))?,
            op::EMPTY_DICT => m.push(Value::Dict(Rc::default()))?,
            op::NEWTRUE | op::NEWFALSE | op::EMPTY_LIST | op::EMPTY_SET | op::NEXT_BUFFER => {
                m.push(Value::NotText)?
            }
            op::READONLY_BUFFER => {}
            op::APPEND => m.pop_n(1),
            op::SETITEM => {
                let value = m.pop();
                let key = m.pop();
                m.set_items(Some(vec![key, value]));
            }
            op::SETITEMS => {
                let pairs = m.take_mark();
                m.set_items(pairs);
            }
            op::APPENDS | op::ADDITEMS => m.pop_mark(),
            op::LIST | op::FROZENSET => {
                m.pop_mark();
                m.push(Value::NotText)?;
            }
            op::TUPLE => {
                let items = m.take_mark();
                let value = m.tuple(items);
                m.push(value)?;
            }
            op::DICT => {
                let pairs = m.take_mark();
                m.push(Value::Dict(Rc::default()))?;
                m.set_items(pairs);
            }
            op::TUPLE1 | op::TUPLE2 | op::TUPLE3 => {
                let n = usize::from(code - op::TUPLE1 + 1);
                let mut items: Vec<Value> = (0..n).map(|_| m.pop()).collect();
                items.reverse();
                let value = m.tuple(Some(items));
                m.push(value)?;
            }
            op::GET => {
                let key = input.decimal_line()?;
                let value = m.get(key);
                m.push(value)?;
            }
            op::BINGET => {
                let key = u64::from(input.byte()?);
                let value = m.get(Some(key));
                m.push(value)?;
            }
            op::LONG_BINGET => {
                let key = u64::from(input.u32_le()?);
                let value = m.get(Some(key));
                m.push(value)?;
            }
            op::PUT => {
                if let Some(key) = input.decimal_line()? {
                    m.put(key)?;
                }
            }
            op::BINPUT => {
                let key = u64::from(input.byte()?);
                m.put(key)?;
            }
            op::LONG_BINPUT => {
                let key = u64::from(input.u32_le()?);
                m.put(key)?;
            }
            op::MEMOIZE => {
                let inherited = m.parent.as_ref().map_or(0, |p| p.memo.len());
                let key = (m.memo.len() + inherited) as u64;
                m.put(key)?;
            }
            // the extension registry is empty unless a program fills it
            op::EXT1 | op::EXT2 | op::EXT4 if strict => return Err(quiet_stop()),
            op::EXT1 | op::EXT2 | op::EXT4 => {
                let ext = match code {
                    op::EXT1 => i64::from(input.byte()?),
                    op::EXT2 => i64::from(u16::from_le_bytes(input.array::<2>()?)),
                    _ => i64::from(i32::from_le_bytes(input.array::<4>()?)),
                };
                record(
                    scan,
                    "copyreg._extension_registry".to_owned(),
                    ext.to_string(),
                    "EXT",
                    GlobalSafety::Dangerous {
                        reason: "extension registry import".to_owned(),
                    },
                );
                m.push(Value::Other)?;
            }
            op::GLOBAL | op::INST => {
                let module = input.line(PICKLE_KEPT_STRING_BYTES, Line::Name)?;
                let name = input.line(PICKLE_KEPT_STRING_BYTES, Line::Name)?;
                let opcode = if code == op::GLOBAL { "GLOBAL" } else { "INST" };
                let mut global = Value::Other;
                match (module, name) {
                    (Some(module), Some(name))
                        if strict && !(python_name(&module) && python_name(&name)) =>
                    {
                        return Err(quiet_stop());
                    }
                    (Some(module), Some(name)) => {
                        let module = String::from_utf8_lossy(&module).into_owned();
                        let name = String::from_utf8_lossy(&name).into_owned();
                        global = Known::value(&module, &name);
                        let safety = classify(&module, &name);
                        record(scan, module, name, opcode, safety);
                    }
                    _ if strict => return Err(quiet_stop()),
                    _ => record(scan, "?".to_owned(), "?".to_owned(), opcode, unresolvable()),
                }
                if code == op::INST {
                    let args = m.take_mark();
                    scan.calls += 1;
                    let args = args.map(|a| Value::Tuple(Rc::from(a)));
                    global = called(&global, args.as_ref().unwrap_or(&Value::Other));
                }
                m.push(global)?;
            }
            op::STACK_GLOBAL => {
                let name = m.pop();
                let module = m.pop();
                match (module, name) {
                    (Value::Text(module), Value::Text(name))
                        if strict
                            && !(python_name(module.as_bytes())
                                && python_name(name.as_bytes())) =>
                    {
                        return Err(quiet_stop());
                    }
                    (module, name) if strict && !(module.may_be_text() && name.may_be_text()) => {
                        return Err(quiet_stop());
                    }
                    (Value::Text(module), Value::Text(name)) => {
                        let safety = classify(&module, &name);
                        record(
                            scan,
                            module.to_string(),
                            name.to_string(),
                            "STACK_GLOBAL",
                            safety,
                        );
                        m.push(Known::value(&module, &name))?;
                    }
                    _ => {
                        record(
                            scan,
                            "?".to_owned(),
                            "?".to_owned(),
                            "STACK_GLOBAL",
                            unresolvable(),
                        );
                        m.push(Value::Other)?;
                    }
                }
            }
            op::REDUCE => {
                let args = m.pop();
                let callable = m.pop();
                m.push(called(&callable, &args))?;
                scan.calls += 1;
            }
            op::NEWOBJ | op::NEWOBJ_EX => {
                if code == op::NEWOBJ_EX {
                    m.pop();
                }
                m.pop();
                let class = m.pop();
                m.push(created(&class))?;
                scan.calls += 1;
            }
            op::OBJ => {
                let value = match m.take_mark() {
                    Some(items) if !items.is_empty() => {
                        let args = Value::Tuple(Rc::from(items.get(1..).unwrap_or_default()));
                        called(items.first().unwrap_or(&Value::Other), &args)
                    }
                    _ => Value::Other,
                };
                m.push(value)?;
                scan.calls += 1;
            }
            op::BUILD => {
                let state = m.pop();
                scan.calls += 1;
                match m.top() {
                    Value::Dtype(dtype) => dtype.borrow_mut().apply_state(&state),
                    Value::ArrayWrapper(attributes) => {
                        let data = {
                            let mut attributes = attributes.borrow_mut();
                            match (&mut *attributes, &state) {
                                (Some(known), Value::Dict(dict)) => {
                                    for (key, value) in &dict.borrow().items {
                                        known.set(Value::Text(key.clone()), value.clone());
                                    }
                                    known.overflow |= dict.borrow().overflow;
                                }
                                _ => *attributes = None,
                            }
                            attributes.as_ref().and_then(joblib::array_data)
                        };
                        if input.walk.joblib_arrays {
                            // joblib.load reads the array here and puts it in the wrapper's
                            // place; pickle.load reads on with the wrapper there.
                            m.pop();
                            m.push(Value::NotText)?;
                            read_array_data(input, data, offset, stream, scan, m)?;
                        }
                    }
                    _ => {}
                }
            }
            op::PROTO => {
                let version = input.byte()?;
                if version > HIGHEST_PROTOCOL {
                    return Err(ParseError::at(
                        offset,
                        format!("unsupported pickle protocol {version}"),
                    ));
                }
                scan.protocol.get_or_insert(version);
            }
            op::FRAME => {
                input.u64_le()?;
            }
            // pickle.load fails on a persistent id unless a program gives it persistent_load
            op::PERSID | op::BINPERSID if strict => return Err(quiet_stop()),
            op::PERSID => {
                input.line(0, Line::Any)?;
                m.push(Value::Other)?;
            }
            op::BINPERSID => {
                m.pop_n(1);
                m.push(Value::Other)?;
            }
            other => {
                return Err(ParseError::at(
                    offset,
                    format!("not a pickle: unknown opcode 0x{other:02x}"),
                ));
            }
        }
    }
}

/// What calling `callable` with `args` (REDUCE, INST, OBJ) makes, as far as the walk tracks it.
fn called(callable: &Value, args: &Value) -> Value {
    let Value::Callable(known) = callable else {
        return Value::Other;
    };
    let args: &[Value] = match args {
        Value::Tuple(items) => items,
        _ => &[Value::Other],
    };
    match known {
        Known::NumpyDtype => match args.first() {
            Some(Value::Text(descr)) => {
                Value::Dtype(Rc::new(RefCell::new(joblib::Dtype::from_descr(descr))))
            }
            _ => Value::Other,
        },
        // the constructor sets attributes from its arguments, which are not tracked
        Known::ArrayWrapper if args.is_empty() => created(callable),
        Known::ArrayWrapper => Value::ArrayWrapper(Rc::new(RefCell::new(None))),
        // copyreg._reconstructor(cls, object, None) is cls.__new__(cls)
        Known::Reconstructor => match args {
            [class, _, Value::None] => created(class),
            [Value::Callable(Known::ArrayWrapper), ..] => {
                Value::ArrayWrapper(Rc::new(RefCell::new(None)))
            }
            _ => Value::Other,
        },
    }
}

/// What `class.__new__(class, …)` (NEWOBJ, NEWOBJ_EX) makes: an array wrapper without
/// attributes yet, for joblib's wrapper class.
fn created(class: &Value) -> Value {
    match class {
        Value::Callable(Known::ArrayWrapper) => {
            Value::ArrayWrapper(Rc::new(RefCell::new(Some(Entries::default()))))
        }
        _ => Value::Other,
    }
}

/// Read the array data joblib wrote after the `BUILD` at `offset`: skip raw data, or walk the
/// nested pickle of an object array (its imports are the file's too). Data whose size cannot
/// be worked out stops the walk.
///
/// Raw data is also walked as the opcodes plain `pickle.load` reads there, since it skips no
/// array data ([`walk_as_opcodes`]); `m` is the stream's machine at that point.
fn read_array_data<R: BufRead>(
    input: &mut Input<R>,
    data: Option<joblib::ArrayData>,
    offset: u64,
    stream: usize,
    scan: &mut PickleScan,
    m: &Machine<'_>,
) -> ParseResult<()> {
    match data {
        None => {
            // The walk stops here; pickle.load reads on.
            walk_as_opcodes(input, u64::MAX, stream, scan, m)?;
            Err(ParseError::at(
                input.pos,
                "joblib array data follows whose size cannot be worked out from its dtype and shape",
            ))
        }
        Some(joblib::ArrayData::Raw { bytes, padded }) => {
            let padding = if padded {
                match input.peek()? {
                    Some(padding) => Some(padding),
                    None => Some(input.byte()?),
                }
            } else {
                None
            };
            let region = padding
                .map_or(0, |p| 1 + u64::from(p))
                .saturating_add(bytes);
            let (mut done, past) = walk_as_opcodes(input, region, stream, scan, m)?;
            if let Some(padding) = padding {
                if done == 0 {
                    input.byte()?;
                } else {
                    input.pos += 1;
                    input.stream_start += 1;
                    done -= 1;
                }
                let padding = u64::from(padding);
                input.skip_data(offset, padding, done)?;
                done = done.saturating_sub(padding);
            }
            input.skip_data(offset, bytes, done)?;
            input.inner.unread(past);
            Ok(())
        }
        Some(joblib::ArrayData::Pickle) => {
            // A plain pickle: joblib reads it with pickle.load, which skips no array data.
            let walk = input.walk;
            input.walk.joblib_arrays = false;
            let nested = walk_stream(input, stream, scan);
            input.walk = walk;
            nested
        }
    }
}

/// Walk the `data` bytes of joblib array data that start at the input's position as the
/// opcodes plain `pickle.load` reads there, carrying on from the stream's machine `m`, and on
/// past the data's end into the stream, as `pickle.load` does, until `STOP`, what it would fail
/// on, or [`CONTINUATION_BYTES`] past the end. Imports found are the stream's, marked as in
/// array data. Whatever the walk stops on is no error, but a limit: it is the scan's, and the
/// main walk goes on.
///
/// The main walk's position does not move: returns how many bytes of the data the walk took
/// from the input, and the bytes it took past the data's end, for the main walk to read again.
fn walk_as_opcodes<R: BufRead>(
    input: &mut Input<R>,
    data: u64,
    stream: usize,
    scan: &mut PickleScan,
    m: &Machine<'_>,
) -> ParseResult<(u64, Vec<u8>)> {
    if data == 0 {
        return Ok((0, Vec::new()));
    }
    let start = input.pos;
    if input.continuation_left == 0 {
        if scan.stopped_at_limit.is_none() {
            scan.stopped_at_limit = Some(LimitStop {
                limit: "array data as opcodes",
                offset: start,
                message: format!(
                    "NumPy array data read as pickle opcodes for more than {CONTINUATION_TOTAL_BYTES} bytes \
                     past the ends of arrays in all; the array data from here on was not checked as plain \
                     pickle.load runs it"
                ),
            });
        }
        return Ok((0, Vec::new()));
    }
    let past = CONTINUATION_BYTES.min(input.continuation_left);
    let mut tee = Tee {
        inner: &mut input.inner,
        data,
        past,
        consumed: 0,
        recorded: Vec::new(),
    };
    let mut found = PickleScan::default();
    let outcome = {
        let mut walk = Input::new(&mut tee as &mut dyn BufRead, input.len);
        walk.pos = start;
        walk.stream_start = start;
        walk.walk = Walk {
            stream_bytes: u64::MAX,
            joblib_arrays: false,
        };
        walk.continuation = Some(Continuation {
            data_end: start.saturating_add(data),
            limit: start.saturating_add(data).saturating_add(past),
        });
        walk_machine(&mut walk, stream, &mut found, &mut Machine::continuing(m))
    };
    let Tee {
        consumed, recorded, ..
    } = tee;
    input.continuation_left -= (recorded.len() as u64).min(input.continuation_left);
    if let Err(err) = outcome
        && let Some(limit) = err.limit
        && scan.stopped_at_limit.is_none()
    {
        scan.stopped_at_limit = Some(LimitStop {
            limit,
            offset: start,
            message: err.message,
        });
    }
    for mut global in found.globals {
        global.in_array_data = true;
        scan.globals.push(global);
    }
    Ok((consumed.min(data), recorded))
}

/// A little-endian two's complement integer (LONG1), up to 8 bytes.
fn long_le(bytes: &[u8]) -> i64 {
    let mut buf = if bytes.last().is_some_and(|&b| b & 0x80 != 0) {
        [0xff; 8]
    } else {
        [0; 8]
    };
    for (slot, &b) in buf.iter_mut().zip(bytes) {
        *slot = b;
    }
    i64::from_le_bytes(buf)
}

/// Whether `name` is a dotted path of ASCII Python identifiers (`os`, `os.path`, `A.b_2`), the
/// only module and global names the walk of array data as opcodes takes for imports: random
/// array data hardly ever spells one, and real imports do.
fn python_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name.split(|&b| b == b'.').all(|part| {
            part.first()
                .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
                && part.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

fn unresolvable() -> GlobalSafety {
    GlobalSafety::Dangerous {
        reason: "unresolvable import".to_owned(),
    }
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// The argument of protocol-0 `STRING`: a quoted Python bytes literal with escapes. `None` when
/// it is not quoted (CPython rejects it).
fn unquote_string(line: &[u8]) -> Option<Vec<u8>> {
    let (&first, rest) = line.split_first()?;
    let (&last, inner) = rest.split_last()?;
    if first != last || !matches!(first, b'\'' | b'"') {
        return None;
    }
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while let Some(&b) = inner.get(i) {
        i += 1;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let Some(&esc) = inner.get(i) else {
            out.push(b'\\');
            break;
        };
        i += 1;
        match esc {
            b'\\' | b'\'' | b'"' => out.push(esc),
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'v' => out.push(0x0b),
            b'\n' => {}
            b'x' => {
                let hex = inner
                    .get(i..i + 2)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.extend_from_slice(b"\\x"),
                }
            }
            b'0'..=b'7' => {
                let mut value = u32::from(esc - b'0');
                let mut digits = 1;
                while digits < 3 {
                    match inner.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            i += 1;
                            digits += 1;
                        }
                        _ => break,
                    }
                }
                out.push((value & 0xff) as u8);
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Some(out)
}

/// Decode Python's `raw-unicode-escape` (protocol-0 `UNICODE`): `\uXXXX`, `\UXXXXXXXX`, and
/// every other byte as Latin-1.
fn raw_unicode_escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' {
            let width = match bytes.get(i + 1) {
                Some(b'u') => 4,
                Some(b'U') => 8,
                _ => 0,
            };
            if width > 0 {
                let hex = bytes
                    .get(i + 2..i + 2 + width)
                    .and_then(|h| std::str::from_utf8(h).ok());
                if let Some(c) = hex
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                {
                    out.push(c);
                    i += 2 + width;
                    continue;
                }
            }
        }
        out.push(char::from(b));
        i += 1;
    }
    out
}

/// Python 2 module names that CPython's `fix_imports` maps to Python 3 modules, sorted.
static PY2_MODULES: &[(&str, &str)] = &[
    ("BaseHTTPServer", "http.server"),
    ("CGIHTTPServer", "http.server"),
    ("SimpleHTTPServer", "http.server"),
    ("StringIO", "io"),
    ("__builtin__", "builtins"),
    ("__builtins__", "builtins"),
    ("cPickle", "pickle"),
    ("cStringIO", "io"),
    ("commands", "subprocess"),
    ("copy_reg", "copyreg"),
    ("exceptions", "builtins"),
    ("httplib", "http.client"),
    ("urllib2", "urllib.request"),
    ("xmlrpclib", "xmlrpc.client"),
];

/// Denied dotted paths with the reason, sorted. An entry covers itself and everything below it
/// (`os` covers `os.system` and `os.path.join`).
static DENY: &[(&str, &str)] = &[
    ("_aix_support", "executes shell commands"),
    ("_functools", "builds arbitrary calls"),
    ("_io", "opens files"),
    ("_operator.attrgetter", "arbitrary attribute access"),
    ("_operator.call", "calls arbitrary functions"),
    ("_operator.itemgetter", "arbitrary item access"),
    ("_operator.methodcaller", "calls arbitrary methods"),
    ("_osx_support", "executes shell commands"),
    ("_pickle", "nested unpickling"),
    ("_posixsubprocess", "executes shell commands"),
    ("_pyrepl", "executes shell commands"),
    ("aiohttp", "network access"),
    ("asyncio", "runs subprocesses and network I/O"),
    ("bdb", "starts a debugger"),
    ("builtins.__import__", "imports modules"),
    ("builtins.apply", "calls arbitrary functions"),
    ("builtins.breakpoint", "starts a debugger"),
    ("builtins.compile", "compiles code"),
    ("builtins.delattr", "arbitrary attribute access"),
    ("builtins.eval", "evaluates code"),
    ("builtins.exec", "executes code"),
    ("builtins.execfile", "executes code"),
    ("builtins.getattr", "arbitrary attribute access"),
    ("builtins.globals", "interpreter internals"),
    ("builtins.input", "reads input"),
    ("builtins.locals", "interpreter internals"),
    ("builtins.open", "opens files"),
    ("builtins.raw_input", "reads input"),
    ("builtins.setattr", "arbitrary attribute access"),
    ("builtins.vars", "interpreter internals"),
    ("cProfile", "executes code"),
    ("cloudpickle", "serialised code"),
    ("code", "executes code"),
    ("codecs.open", "opens files"),
    ("codeop", "compiles code"),
    ("ctypes", "calls native code"),
    ("dill", "serialised code"),
    ("distutils", "executes commands and writes files"),
    ("doctest", "executes code"),
    ("ensurepip", "installs packages"),
    ("ftplib", "network access"),
    ("functools.partial", "builds arbitrary calls"),
    ("glob", "filesystem access"),
    ("http.client", "network access"),
    ("http.server", "network access"),
    ("idlelib", "executes code"),
    ("imaplib.IMAP4_stream", "executes shell commands"),
    ("importlib", "imports modules"),
    ("io", "opens files"),
    ("joblib.load", "nested unpickling"),
    ("joblib.numpy_pickle.load", "nested unpickling"),
    ("lib2to3", "evaluates code"),
    ("logging.FileHandler", "creates files"),
    ("logging.config", "executes configuration code"),
    ("marshal", "loads bytecode"),
    ("multiprocessing", "runs processes"),
    ("nt", "executes shell commands"),
    ("numpy.ctypeslib", "calls native code"),
    ("numpy.f2py", "compiles and runs code"),
    ("numpy.lib._npyio_impl.load", "nested unpickling"),
    ("numpy.lib.npyio.load", "nested unpickling"),
    ("numpy.load", "nested unpickling"),
    ("numpy.testing", "executes code"),
    ("operator.attrgetter", "arbitrary attribute access"),
    ("operator.call", "calls arbitrary functions"),
    ("operator.itemgetter", "arbitrary item access"),
    ("operator.methodcaller", "calls arbitrary methods"),
    ("os", "executes shell commands"),
    ("pandas.io.pickle", "nested unpickling"),
    ("pandas.read_pickle", "nested unpickling"),
    ("pdb", "starts a debugger"),
    ("pickle", "nested unpickling"),
    ("pip", "installs packages"),
    ("pkgutil.resolve_name", "imports modules"),
    ("platform", "executes shell commands"),
    ("popen2", "executes shell commands"),
    ("posix", "executes shell commands"),
    ("profile", "executes code"),
    ("pty", "spawns a shell"),
    ("pydoc", "imports modules"),
    ("requests", "network access"),
    ("runpy", "executes code"),
    ("shelve", "nested unpickling"),
    ("shutil", "changes files"),
    ("signal", "sends process signals"),
    ("smtplib", "network access"),
    ("socket", "network access"),
    ("ssl", "network access"),
    ("subprocess", "executes shell commands"),
    ("sys", "interpreter internals"),
    ("telnetlib", "network access"),
    ("tempfile", "creates files"),
    ("test.support", "executes code"),
    ("timeit", "executes code"),
    ("torch._dynamo", "compiles and runs code"),
    ("torch._inductor", "compiles and runs code"),
    ("torch.fx.experimental.symbolic_shapes", "evaluates code"),
    ("torch.hub", "downloads and runs code"),
    ("torch.jit.load", "loads TorchScript code"),
    ("torch.jit.unsupported_tensor_ops", "executes code"),
    ("torch.load", "nested unpickling"),
    ("torch.ops", "calls native operators"),
    ("torch.serialization.load", "nested unpickling"),
    ("torch.storage._load_from_bytes", "nested unpickling"),
    ("torch.utils._config_module", "executes code"),
    ("torch.utils.bottleneck", "executes code"),
    ("torch.utils.collect_env", "executes shell commands"),
    ("torch.utils.cpp_extension", "compiles native code"),
    (
        "torch.utils.data.datapipes.utils.decoder",
        "nested unpickling",
    ),
    ("trace", "executes code"),
    ("types.CodeType", "builds bytecode"),
    ("types.FunctionType", "builds functions"),
    ("urllib", "network access"),
    ("uuid", "executes shell commands"),
    ("venv", "creates environments"),
    ("webbrowser", "opens URLs"),
    ("xmlrpc", "network access"),
    ("zipimport", "imports code"),
];

/// Allowed `(module, name)` pairs, sorted. A pattern may use `*` (any characters; in a name it
/// never matches a dotted path) and `<Class>` (one identifier starting with an upper-case
/// letter). Entries without a pattern are checked before the deny list, patterns after it.
static ALLOW: &[(&str, &str)] = &[
    ("_codecs", "encode"),
    ("accelerate.utils.dataclasses", "<Class>"),
    ("argparse", "Namespace"),
    ("builtins", "bool"),
    ("builtins", "bytearray"),
    ("builtins", "bytes"),
    ("builtins", "complex"),
    ("builtins", "dict"),
    ("builtins", "float"),
    ("builtins", "frozenset"),
    ("builtins", "int"),
    ("builtins", "list"),
    ("builtins", "long"),
    ("builtins", "object"),
    ("builtins", "range"),
    ("builtins", "set"),
    ("builtins", "slice"),
    ("builtins", "str"),
    ("builtins", "tuple"),
    ("builtins", "unicode"),
    ("builtins", "xrange"),
    ("collections", "Counter"),
    ("collections", "OrderedDict"),
    ("collections", "defaultdict"),
    ("collections", "deque"),
    ("copyreg", "_reconstructor"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("decimal", "Decimal"),
    ("joblib.numpy_pickle", "NDArrayWrapper"),
    ("joblib.numpy_pickle", "NumpyArrayWrapper"),
    ("numpy", "dtype"),
    ("numpy", "ndarray"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy.dtypes", "*DType"),
    ("numpy.random._pickle", "__bit_generator_ctor"),
    ("numpy.random._pickle", "__generator_ctor"),
    ("numpy.random._pickle", "__randomstate_ctor"),
    ("pathlib", "*Path"),
    ("sklearn.*", "<Class>"),
    ("torch", "*Storage"),
    ("torch", "Size"),
    ("torch", "Tensor"),
    ("torch", "bfloat16"),
    ("torch", "bool"),
    ("torch", "channels_last"),
    ("torch", "complex128"),
    ("torch", "complex64"),
    ("torch", "contiguous_format"),
    ("torch", "device"),
    ("torch", "float16"),
    ("torch", "float32"),
    ("torch", "float64"),
    ("torch", "float8_e4m3fn"),
    ("torch", "float8_e5m2"),
    ("torch", "half"),
    ("torch", "int16"),
    ("torch", "int32"),
    ("torch", "int64"),
    ("torch", "int8"),
    ("torch", "per_channel_affine"),
    ("torch", "per_tensor_affine"),
    ("torch", "preserve_format"),
    ("torch", "qint32"),
    ("torch", "qint8"),
    ("torch", "quint8"),
    ("torch", "sparse_coo"),
    ("torch", "strided"),
    ("torch", "uint16"),
    ("torch", "uint32"),
    ("torch", "uint64"),
    ("torch", "uint8"),
    ("torch._tensor", "_rebuild_from_type_v2"),
    ("torch._utils", "_rebuild_*"),
    ("torch.cuda", "*Storage"),
    ("torch.nn.modules.*", "<Class>"),
    ("torch.nn.parameter", "Parameter"),
    ("torch.storage", "*Storage"),
    ("transformers.configuration_utils", "<Class>"),
    ("transformers.models.*.configuration_*", "<Class>"),
    ("transformers.trainer_utils", "<Class>"),
    ("transformers.training_args", "<Class>"),
    ("transformers.training_args_seq2seq", "<Class>"),
    ("transformers.utils.generic", "<Class>"),
    ("uuid", "UUID"),
];

/// Classes of denied packages that hold data and do nothing when built: a pickled HTTP response
/// cache holds `requests.models.Response`, which reaches no network. `<Class>` names only (no
/// functions, no attribute paths such as `Session.request`); they are unknown, not safe, so
/// `MOD002` still asks for a review. Sorted.
static DATA_CLASSES_OF_DENIED: &[&str] = &[
    "requests.cookies",
    "requests.exceptions",
    "requests.models",
    "requests.structures",
];

/// Classify one imported global.
pub fn classify(module: &str, name: &str) -> GlobalSafety {
    let module = canonical_module(module);
    let is_pattern = |pattern: &str| pattern.contains('*') || pattern.contains('<');
    if ALLOW
        .iter()
        .any(|&(m, n)| !is_pattern(m) && !is_pattern(n) && m == module && n == name)
    {
        return GlobalSafety::Safe;
    }
    if DATA_CLASSES_OF_DENIED.contains(&module) && name_matches("<Class>", name) {
        return GlobalSafety::Unknown;
    }
    let path = format!("{module}.{name}");
    if let Some(reason) = deny_reason(&path) {
        return GlobalSafety::Dangerous {
            reason: reason.to_owned(),
        };
    }
    if name
        .split('.')
        .any(|part| part.len() > 4 && part.starts_with("__") && part.ends_with("__"))
    {
        return GlobalSafety::Dangerous {
            reason: "dunder attribute access".to_owned(),
        };
    }
    let allowed = ALLOW.iter().any(|&(m, n)| {
        (is_pattern(m) || is_pattern(n)) && glob(m, module) && name_matches(n, name)
    });
    if allowed {
        GlobalSafety::Safe
    } else {
        GlobalSafety::Unknown
    }
}

/// The Python 3 name of a module, following CPython's `fix_imports` mapping.
fn canonical_module(module: &str) -> &str {
    PY2_MODULES
        .iter()
        .find(|&&(old, _)| old == module)
        .map_or(module, |&(_, new)| new)
}

fn deny_reason(path: &str) -> Option<&'static str> {
    DENY.iter()
        .find(|&&(entry, _)| {
            path == entry
                || (path.starts_with(entry) && path.as_bytes().get(entry.len()) == Some(&b'.'))
        })
        .map(|&(_, reason)| reason)
}

fn name_matches(pattern: &str, name: &str) -> bool {
    if pattern == "<Class>" {
        return name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    }
    !name.contains('.') && glob(pattern, name)
}

/// Match `text` against a pattern where `*` stands for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return false;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((&last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn global(module: &str, name: &str) -> Vec<u8> {
        format!("c{module}\n{name}\n").into_bytes()
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    fn short_unicode(s: &str) -> Vec<u8> {
        let mut out = vec![op::SHORT_BINUNICODE, s.len() as u8];
        out.extend_from_slice(s.as_bytes());
        out
    }

    fn dangerous(reason: &str) -> GlobalSafety {
        GlobalSafety::Dangerous {
            reason: reason.to_owned(),
        }
    }

    fn names(scan: &PickleScan) -> Vec<(String, String, &'static str)> {
        scan.globals
            .iter()
            .map(|g| (g.module.clone(), g.name.clone(), g.opcode))
            .collect()
    }

    /// `pickle.dumps(os.system, protocol=0)`-style reduce: `cos\nsystem\n(S'ls'\ntR.`
    #[test]
    fn protocol0_global_reduce_is_dangerous() {
        let scan = scan(&b"cos\nsystem\n(S'ls'\ntR."[..]).unwrap();
        assert_eq!(scan.streams, 1);
        assert_eq!(scan.protocol, None);
        assert_eq!(scan.calls, 1);
        assert_eq!(scan.globals.len(), 1);
        let g = &scan.globals[0];
        assert_eq!(
            (g.module.as_str(), g.name.as_str(), g.opcode, g.offset),
            ("os", "system", "GLOBAL", 0)
        );
        assert_eq!(g.safety, dangerous("executes shell commands"));
        assert_eq!(scan.dangerous().count(), 1);
    }

    /// Bytes of `pickle.dumps(collections.OrderedDict(), protocol=4)`, from CPython 3.
    #[test]
    fn protocol4_stack_global_with_memoize_is_resolved() {
        let bytes = b"\x80\x04\x95\"\x00\x00\x00\x00\x00\x00\x00\x8c\x0bcollections\x94\x8c\x0bOrderedDict\x94\x93\x94)R\x94.";
        let scan = scan(&bytes[..]).unwrap();
        assert_eq!(scan.protocol, Some(4));
        assert_eq!(
            names(&scan),
            vec![("collections".into(), "OrderedDict".into(), "STACK_GLOBAL")]
        );
        assert_eq!(scan.globals[0].safety, GlobalSafety::Safe);
        assert_eq!(scan.globals[0].offset, 39);
        assert_eq!(scan.calls, 1);
    }

    #[test]
    fn memoised_strings_are_resolved_through_every_get_form() {
        // module memoised with BINPUT 1, name with LONG_BINPUT 7; both popped, then fetched back.
        let mut p = vec![op::PROTO, 4];
        p.extend(short_unicode("subprocess"));
        p.extend([op::BINPUT, 1, op::POP]);
        p.extend(short_unicode("Popen"));
        p.extend([op::LONG_BINPUT, 7, 0, 0, 0, op::POP]);
        p.extend([op::BINGET, 1, op::LONG_BINGET, 7, 0, 0, 0, op::STACK_GLOBAL]);
        // protocol-0 PUT/GET with decimal lines
        p.extend(b"Vposix\np3\n0Vsystem\np4\n0g3\ng4\n");
        p.push(op::STACK_GLOBAL);
        // MEMOIZE's key is the memo size: {1, 7, 3, 4} has 4 entries, so key 4 now holds "builtins"
        p.extend(short_unicode("builtins"));
        p.push(op::MEMOIZE);
        p.extend([op::POP, op::BINGET, 4]);
        p.extend(short_unicode("eval"));
        p.extend([op::STACK_GLOBAL, op::TUPLE3, op::STOP]);
        let scan = scan(&p[..]).unwrap();
        assert_eq!(
            names(&scan),
            vec![
                ("subprocess".into(), "Popen".into(), "STACK_GLOBAL"),
                ("posix".into(), "system".into(), "STACK_GLOBAL"),
                ("builtins".into(), "eval".into(), "STACK_GLOBAL"),
            ]
        );
        assert!(
            scan.globals
                .iter()
                .all(|g| matches!(g.safety, GlobalSafety::Dangerous { .. }))
        );
    }

    #[test]
    fn unresolvable_stack_global_is_dangerous() {
        // module is an int, name from a missing memo slot
        let p = [
            op::PROTO,
            4,
            op::BININT1,
            5,
            op::BINGET,
            9,
            op::STACK_GLOBAL,
            op::STOP,
        ];
        let scan = scan(&p[..]).unwrap();
        assert_eq!(names(&scan), vec![("?".into(), "?".into(), "STACK_GLOBAL")]);
        assert_eq!(scan.globals[0].safety, dangerous("unresolvable import"));
    }

    #[test]
    fn bytes_are_not_import_names() {
        let mut p = vec![op::PROTO, 4, op::SHORT_BINBYTES, 2];
        p.extend(b"os");
        p.extend(short_unicode("system"));
        p.extend([op::STACK_GLOBAL, op::STOP]);
        let scan = scan(&p[..]).unwrap();
        assert_eq!(scan.globals[0].module, "?");
    }

    #[test]
    fn inst_and_ext_are_recorded() {
        let mut p = b"(S'id'\nisubprocess\ncheck_output\n".to_vec();
        p.extend([
            op::PROTO,
            2,
            op::EXT1,
            0x11,
            op::EXT2,
            0x34,
            0x12,
            op::EXT4,
            1,
            0,
            0,
            0,
        ]);
        p.extend([op::TUPLE3, op::TUPLE2, op::STOP]);
        let scan = scan(&p[..]).unwrap();
        assert_eq!(
            names(&scan),
            vec![
                ("subprocess".into(), "check_output".into(), "INST"),
                ("copyreg._extension_registry".into(), "17".into(), "EXT"),
                ("copyreg._extension_registry".into(), "4660".into(), "EXT"),
                ("copyreg._extension_registry".into(), "1".into(), "EXT"),
            ]
        );
        assert_eq!(
            scan.globals[1].safety,
            dangerous("extension registry import")
        );
        assert_eq!(scan.calls, 1);
        assert_eq!(scan.protocol, Some(2));
    }

    #[test]
    fn every_call_opcode_is_counted() {
        let mut p = vec![op::PROTO, 4];
        p.extend(global("collections", "OrderedDict"));
        p.extend([op::EMPTY_TUPLE, op::REDUCE]); // 1
        p.extend([op::EMPTY_DICT, op::BUILD]); // 2
        p.extend([op::MARK]);
        p.extend(global("collections", "deque"));
        p.extend([op::OBJ]); // 3
        p.extend(global("collections", "Counter"));
        p.extend([op::EMPTY_TUPLE, op::NEWOBJ]); // 4
        p.extend(global("collections", "Counter"));
        p.extend([op::EMPTY_TUPLE, op::EMPTY_DICT, op::NEWOBJ_EX]); // 5
        p.extend([op::TUPLE3, op::STOP]);
        let scan = scan(&p[..]).unwrap();
        assert_eq!(scan.calls, 5);
        assert_eq!(scan.globals.len(), 4);
        assert_eq!(scan.unknown().count(), 0);
    }

    /// Every opcode of protocols 0–5 is understood (the stream must reach STOP).
    #[test]
    fn all_opcodes_are_walked() {
        let mut p = vec![op::PROTO, 5, op::FRAME, 0, 0, 0, 0, 0, 0, 0, 0];
        p.push(op::MARK);
        p.extend(b"F1.5\nI12\nL99999999999999999999L\n");
        p.extend([op::BININT, 1, 2, 3, 4, op::BININT1, 1, op::BININT2, 1, 2]);
        p.extend([op::LONG1, 2, 0xff, 0x7f, op::LONG4, 1, 0, 0, 0, 5]);
        p.extend(b"S'a\\'b'\nT\x01\x00\x00\x00xU\x01yVz\\u00e9\n");
        p.extend(b"X\x01\x00\x00\x00w");
        p.extend([op::BINUNICODE8, 1, 0, 0, 0, 0, 0, 0, 0, b'v']);
        p.extend(b"B\x01\x00\x00\x00bC\x01c");
        p.extend([op::BINBYTES8, 1, 0, 0, 0, 0, 0, 0, 0, b'd']);
        p.extend([op::BYTEARRAY8, 1, 0, 0, 0, 0, 0, 0, 0, b'e']);
        p.extend([
            op::NONE,
            op::NEWTRUE,
            op::NEWFALSE,
            op::BINFLOAT,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
        ]);
        p.extend([op::NEXT_BUFFER, op::READONLY_BUFFER, op::POP, op::POP_MARK]);
        p.extend([
            op::EMPTY_LIST,
            op::NONE,
            op::APPEND,
            op::MARK,
            op::NONE,
            op::APPENDS,
        ]);
        p.extend([op::MARK, op::NONE, op::LIST, op::POP]);
        p.extend([
            op::EMPTY_TUPLE,
            op::MARK,
            op::TUPLE,
            op::TUPLE1,
            op::NONE,
            op::TUPLE2,
        ]);
        p.extend([op::NONE, op::DUP, op::TUPLE3, op::POP, op::POP]);
        p.extend([
            op::EMPTY_DICT,
            op::NONE,
            op::NONE,
            op::SETITEM,
            op::MARK,
            op::SETITEMS,
        ]);
        p.extend([op::MARK, op::DICT, op::POP, op::POP]);
        p.extend([
            op::EMPTY_SET,
            op::MARK,
            op::NONE,
            op::ADDITEMS,
            op::MARK,
            op::FROZENSET,
            op::POP,
            op::POP,
        ]);
        p.extend(b"Ppid\nN");
        p.extend([op::BINPERSID, op::POP]);
        p.extend([
            op::NONE,
            op::MEMOIZE,
            op::BINPUT,
            1,
            op::LONG_BINPUT,
            2,
            0,
            0,
            0,
        ]);
        p.extend(b"p3\ng3\n");
        p.extend([
            op::BINGET,
            1,
            op::LONG_BINGET,
            2,
            0,
            0,
            0,
            op::TUPLE3,
            op::STOP,
        ]);
        let scan = scan(&p[..]).unwrap();
        assert_eq!(scan.streams, 1);
        assert_eq!(scan.protocol, Some(5));
        assert!(scan.globals.is_empty());
        assert_eq!(scan.opcodes, 82); // as counted by pickletools.genops
    }

    #[test]
    fn protocol0_strings_are_unescaped() {
        assert_eq!(unquote_string(b"'o\\x73'"), Some(b"os".to_vec()));
        assert_eq!(unquote_string(b"\"a\\nb\\101\""), Some(b"a\nbA".to_vec()));
        assert_eq!(unquote_string(b"'unterminated"), None);
        assert_eq!(unquote_string(b"'"), None);
        assert_eq!(
            raw_unicode_escape(b"p\\u006fsix\\U00000021\\x"),
            "posix!\\x"
        );
        // the walker resolves an escaped STRING module
        let p = b"\x80\x02S'o\\x73'\nS'system'\n\x93.";
        assert_eq!(names(&scan(&p[..]).unwrap())[0].0, "os");
    }

    #[test]
    fn several_streams_are_walked_and_trailing_data_is_ignored() {
        let mut p = vec![op::PROTO, 2, op::BININT1, 1, op::STOP];
        p.extend([op::PROTO, 2]);
        p.extend(global("torch._utils", "_rebuild_tensor_v2"));
        p.push(op::STOP);
        p.extend([op::PROTO, 2]);
        p.extend(global("os", "system"));
        p.push(op::STOP);
        // raw storage bytes follow
        p.extend([8, 0, 0, 0, 0, 0, 0, 0, 0xde, 0xad]);
        let scan = scan(&p[..]).unwrap();
        assert_eq!(scan.streams, 3);
        assert_eq!(
            scan.globals
                .iter()
                .map(|g| (g.stream, g.safety.clone()))
                .collect::<Vec<_>>(),
            vec![
                (1, GlobalSafety::Safe),
                (2, dangerous("executes shell commands"))
            ]
        );
        assert_eq!(scan.globals[1].offset, 5 + 2 + 33 + 1 + 2);
    }

    #[test]
    fn a_broken_later_stream_stops_quietly() {
        let mut p = vec![op::PROTO, 2, op::NONE, op::STOP, op::PROTO, 2, 0xff, 0xff];
        assert_eq!(scan(&p[..]).unwrap().streams, 1);
        p = vec![op::PROTO, 2, op::NONE, op::STOP, op::PROTO, 9];
        assert_eq!(scan(&p[..]).unwrap().streams, 1);
    }

    #[test]
    fn stream_count_is_bounded() {
        let one = [op::PROTO, 2, op::NONE, op::STOP];
        let p: Vec<u8> = one.iter().copied().cycle().take(one.len() * 40).collect();
        let stopped = scan(&p[..]).unwrap();
        assert_eq!(stopped.streams, limits::PICKLE_STREAMS);
        let stop = stopped.stopped_at_limit.unwrap();
        assert_eq!(stop.limit, "pickle streams");
        assert_eq!(stop.offset, (one.len() * limits::PICKLE_STREAMS) as u64);
        // exactly as many streams as allowed is a whole walk
        let p: Vec<u8> = one
            .iter()
            .copied()
            .cycle()
            .take(one.len() * limits::PICKLE_STREAMS)
            .collect();
        assert_eq!(scan(&p[..]).unwrap().stopped_at_limit, None);
    }

    #[test]
    fn not_a_pickle_is_an_error() {
        assert!(scan(&b""[..]).unwrap_err().message.contains("empty"));
        assert!(
            scan(&b"{\"a\": 1}"[..])
                .unwrap_err()
                .message
                .contains("unknown opcode")
        );
        assert!(scan(&b"."[..]).is_err());
        assert!(scan(&[op::PROTO, 6, op::NONE, op::STOP][..]).is_err());
    }

    #[test]
    fn truncated_input_is_an_error() {
        let full = b"\x80\x04\x95\"\x00\x00\x00\x00\x00\x00\x00\x8c\x0bcollections\x94\x8c\x0bOrderedDict\x94\x93\x94)R\x94.";
        for cut in 1..=39 {
            let err = scan(&full[..cut]).unwrap_err();
            assert!(err.message.contains("truncated"), "{cut}: {err}");
        }
        // once the import is seen, a truncation keeps it and says why the walk stopped
        for cut in 40..full.len() {
            let partial = scan(&full[..cut]).unwrap();
            assert_eq!(partial.globals.len(), 1);
            assert!(partial.incomplete.as_deref().unwrap().contains("truncated"));
        }
        assert!(scan(&b"cos\nsys"[..]).is_err());
    }

    #[test]
    fn imports_before_an_error_are_kept() {
        let scan = scan(&b"cos\nsystem\n(S'ls'\ntR\xff"[..]).unwrap();
        assert_eq!(scan.streams, 0);
        assert_eq!(scan.dangerous().count(), 1);
        assert!(
            scan.incomplete
                .as_deref()
                .unwrap()
                .contains("unknown opcode 0xff")
        );

        let mut p = vec![op::PROTO, 2];
        p.extend(global("joblib.numpy_pickle", "NumpyArrayWrapper"));
        p.extend([op::EMPTY_DICT, op::BUILD, 0x00, 0x3f]);
        let scan = super::scan(&p[..]).unwrap();
        assert!(scan.incomplete.unwrap().contains("joblib"));
    }

    #[test]
    fn hostile_lengths_hit_the_limit_without_allocating() {
        for code in [op::BINBYTES8, op::BINUNICODE8, op::BYTEARRAY8] {
            let mut p = vec![op::PROTO, 5, code];
            p.extend((1u64 << 63).to_le_bytes());
            // a stream that really is that long stops at the limit
            // (the limit is lowered to 1 MiB, as reading 4 GiB takes a while)
            let endless = io::Read::chain(&p[..], io::repeat(0));
            let walk = Walk {
                stream_bytes: 1 << 20,
                ..Walk::PLAIN
            };
            let (walked, stop) = walk_all(endless, None, walk).unwrap();
            let stop = finish(walked, stop).unwrap().stopped_at_limit.unwrap();
            assert_eq!(stop.limit, "pickle size", "{code:#x}");
            assert_eq!(stop.offset, 1 << 20, "{code:#x}");
            assert_eq!(stop.message, "pickle stream longer than 1048576 bytes");
            // a short one is truncated, whether its length is known or not
            let err = scan(&p[..]).unwrap_err();
            assert_eq!(err.limit, None, "{code:#x}");
            assert!(err.message.contains("stream ends after 11"), "{err}");
            let err = scan_file(&p[..], p.len() as u64).unwrap_err();
            assert_eq!(err.limit, None, "{code:#x}");
        }
        let mut p = vec![op::PROTO, 5, op::BINBYTES8];
        p.extend((1u64 << 20).to_le_bytes());
        p.extend([0u8; 10]);
        assert!(scan(&p[..]).unwrap_err().message.contains("truncated"));
        let p = [op::PROTO, 2, op::LONG4, 0, 0, 0, 0x80];
        assert!(scan(&p[..]).unwrap_err().message.contains("negative"));
        let p = [op::PROTO, 2, op::BINSTRING, 0xff, 0xff, 0xff, 0xff];
        assert!(scan(&p[..]).unwrap_err().message.contains("negative"));
    }

    /// An 18-byte file whose BINUNICODE declares about 1.1 GB is cut short, not over a limit.
    #[test]
    fn a_length_past_the_end_of_the_file_is_a_truncation() {
        let mut p = vec![op::PROTO, 4, op::BINUNICODE];
        p.extend(0x4141_4141u32.to_le_bytes());
        p.extend(b"acme-text");
        let err = scan_file(&p[..], p.len() as u64).unwrap_err();
        assert_eq!(err.limit, None);
        assert_eq!(
            err.to_string(),
            "truncated pickle: the opcode at byte 2 declares 1094795585 bytes; the file has 16"
        );
        for code in [op::BINBYTES, op::BINSTRING] {
            let mut p = vec![op::PROTO, 3, code];
            p.extend(1000u32.to_le_bytes());
            p.extend(b"short");
            let err = scan_file(&p[..], p.len() as u64).unwrap_err();
            assert_eq!(
                err.message,
                "truncated pickle: the opcode at byte 2 declares 1000 bytes; the file has 12"
            );
        }
        let p = [op::PROTO, 3, op::SHORT_BINBYTES, 200, b'a'];
        let err = scan_file(&p[..], 5).unwrap_err();
        assert!(
            err.message.contains("declares 200 bytes; the file has 5"),
            "{err}"
        );
        // without a known length, what is there is read before it is called short
        let err = scan(&p[..]).unwrap_err();
        assert!(
            err.message
                .contains("declares 200 bytes; the stream ends after 5"),
            "{err}"
        );
    }

    fn os_system_pickle() -> Vec<u8> {
        let mut p = vec![op::PROTO, 4];
        p.extend(short_unicode("os"));
        p.extend(short_unicode("system"));
        p.extend([op::STACK_GLOBAL]);
        p.extend(short_unicode("echo acme"));
        p.extend([op::TUPLE1, op::REDUCE, op::STOP]);
        p
    }

    #[test]
    fn compressed_pickles_are_decompressed_and_walked() {
        use crate::artifact::compressed::tests::{bz2, gzip, lz4, lzma, xz, zlib};
        let plain = os_system_pickle();
        for (expected, bytes) in [
            (Compression::Zlib, zlib(&plain)),
            (Compression::Gzip, gzip(&plain)),
            (Compression::Bz2, bz2(&plain)),
            (Compression::Xz, xz(&plain)),
            (Compression::Lzma, lzma(&plain)),
            (Compression::Lz4, lz4(&plain)),
        ] {
            let scan = scan_file(&bytes[..], bytes.len() as u64).unwrap();
            assert_eq!(scan.compression, Some(expected));
            assert_eq!(scan.stopped_at_limit, None);
            assert_eq!(scan.streams, 1);
            assert_eq!(
                names(&scan),
                vec![("os".into(), "system".into(), "STACK_GLOBAL")]
            );
            assert_eq!(scan.dangerous().count(), 1, "{expected:?}");
            // offsets count decompressed bytes
            assert_eq!(scan.globals[0].offset, 14);
        }
        // a plain pickle is not taken for a compressed one
        let scan = scan_file(&plain[..], plain.len() as u64).unwrap();
        assert_eq!(scan.compression, None);
        assert_eq!(scan.dangerous().count(), 1);
    }

    /// xz and lzma joblib files: a cut anywhere is an error or a partial walk, never a panic;
    /// a bomb under each stops at the ratio, and the import before it is kept.
    #[test]
    fn xz_and_lzma_pickles_are_walked_within_the_budget() {
        use crate::artifact::compressed::tests::{lzma, xz};
        for (compression, encode) in [
            (Compression::Xz, xz as fn(&[u8]) -> Vec<u8>),
            (Compression::Lzma, lzma),
        ] {
            let whole = encode(&os_system_pickle());
            for cut in 1..whole.len() {
                let cut = &whole[..cut];
                match scan_file(cut, cut.len() as u64) {
                    // too short to be recognised, it is no pickle either
                    Err(_) if Compression::sniff(cut).is_none() => {}
                    Err(err) => assert!(
                        err.message
                            .ends_with(&format!("(in the {} stream)", compression.name())),
                        "{err}"
                    ),
                    // cut after the pickle's STOP (in the xz index or footer), it is whole
                    Ok(partial) => assert!(
                        partial.incomplete.is_some() || partial.streams == 1,
                        "{compression:?}"
                    ),
                }
            }
            let mut p = os_system_pickle();
            p.extend([op::PROTO, 4, op::BINBYTES8]);
            p.extend((8u64 << 20).to_le_bytes());
            p.resize(p.len() + (8 << 20), 0);
            p.push(op::STOP);
            p.extend(global("posix", "system"));
            let bomb = encode(&p);
            let stopped = scan_file(&bomb[..], bomb.len() as u64).unwrap();
            assert_eq!(
                names(&stopped),
                vec![("os".into(), "system".into(), "STACK_GLOBAL")]
            );
            let stop = stopped.stopped_at_limit.unwrap();
            assert_eq!(stop.limit, "decompression ratio", "{compression:?}");
            let allowed = (bomb.len() as u64 * limits::DECOMPRESSION_RATIO)
                .max(crate::artifact::compressed::RATIO_FLOOR_BYTES);
            assert_eq!(stop.offset, allowed, "{compression:?}");
        }
    }

    #[test]
    fn a_corrupt_compressed_pickle_is_an_error_naming_its_compression() {
        use crate::artifact::compressed::tests::zlib;
        let whole = zlib(&os_system_pickle());
        let cut = &whole[..6];
        let err = scan_file(cut, cut.len() as u64).unwrap_err();
        assert!(err.message.ends_with("(in the zlib stream)"), "{err}");
        // cut after the import: the import is kept, and the walk says where it stopped
        let cut = &whole[..whole.len() - 6];
        let scan = scan_file(cut, cut.len() as u64).unwrap();
        assert_eq!(scan.dangerous().count(), 1);
        let incomplete = scan.incomplete.unwrap();
        assert!(incomplete.ends_with("(in the zlib stream)"), "{incomplete}");
        let err = scan_file(&b"\x78\x9cnot deflate"[..], 14).unwrap_err();
        assert!(err.message.contains("corrupt compressed data"), "{err}");
    }

    /// A zlib bomb: a pickle whose first opcode declares 64 MiB of bytes, all zeros, compressed
    /// to a few KiB. It stops at the ratio, or at a lowered size cap, never reading it all.
    #[test]
    fn a_decompression_bomb_hits_the_budget() {
        use crate::artifact::compressed::tests::zlib;
        let n: u64 = 64 * 1024 * 1024;
        let mut p = vec![op::PROTO, 4, op::BINBYTES8];
        p.extend(n.to_le_bytes());
        p.resize(p.len() + n as usize, 0);
        p.push(op::STOP);
        let bomb = zlib(&p);
        drop(p);
        let len = bomb.len() as u64;
        assert!(len < n / 500, "{len}");
        let stop = scan_file(&bomb[..], len).unwrap().stopped_at_limit.unwrap();
        assert_eq!(stop.limit, "decompression ratio");
        assert!(stop.message.contains("zlib stream inflates"), "{stop:?}");
        assert_eq!(stop.offset, len * limits::DECOMPRESSION_RATIO);
        let small = Budget {
            max_bytes: 64 * 1024,
            ..Budget::DEFAULT
        };
        let stopped = scan_file_within(&bomb[..], len, small).unwrap();
        assert_eq!(stopped.compression, Some(Compression::Zlib));
        let stop = stopped.stopped_at_limit.unwrap();
        assert_eq!((stop.limit, stop.offset), ("decompressed size", 64 * 1024));

        // imports before the bomb are kept, and the walk says where it stopped
        let mut p = os_system_pickle();
        p.extend([op::PROTO, 4, op::BINBYTES8]);
        p.extend((1u64 << 40).to_le_bytes());
        p.resize(p.len() + (4 << 20), 0);
        let bytes = zlib(&p);
        let scan = scan_file_within(&bytes[..], bytes.len() as u64, small).unwrap();
        assert_eq!(scan.dangerous().count(), 1);
        assert_eq!(scan.streams, 1);
        assert_eq!(scan.stopped_at_limit.unwrap().limit, "decompressed size");
        assert_eq!(scan.incomplete, None);
    }

    #[test]
    fn large_payloads_are_streamed_past() {
        let n: u32 = 3 * 1024 * 1024;
        let mut p = vec![op::PROTO, 4, op::BINUNICODE];
        p.extend(n.to_le_bytes());
        p.extend(std::iter::repeat_n(b'a', n as usize));
        p.extend(short_unicode("system"));
        p.extend([op::STACK_GLOBAL, op::STOP]);
        let scan = scan(&p[..]).unwrap();
        assert_eq!(scan.globals[0].module, "?");
    }

    #[test]
    fn long_lines_are_skipped() {
        let mut p = b"c".to_vec();
        p.extend(std::iter::repeat_n(b'x', 100_000));
        p.extend(b"\nsystem\n.");
        let scan = scan(&p[..]).unwrap();
        assert_eq!(names(&scan), vec![("?".into(), "?".into(), "GLOBAL")]);
    }

    #[test]
    fn memo_and_stack_are_bounded() {
        let mut p = vec![op::PROTO, 4, op::NONE];
        for i in 0..=limits::PICKLE_MEMO as u32 {
            p.push(op::LONG_BINPUT);
            p.extend(i.to_le_bytes());
        }
        assert_eq!(limit_stop(&p), "pickle memo");
        let p: Vec<u8> = std::iter::once(op::PROTO)
            .chain([4])
            .chain(std::iter::repeat_n(op::NONE, limits::PICKLE_STACK + 1))
            .collect();
        assert_eq!(limit_stop(&p), "pickle stack");
        let p: Vec<u8> = std::iter::repeat_n(op::MARK, limits::PICKLE_STACK + 1).collect();
        assert_eq!(limit_stop(&p), "pickle stack");
        // an import after the limit is not seen, and the scan says the rest is unchecked
        let mut p: Vec<u8> = std::iter::repeat_n(op::MARK, limits::PICKLE_STACK + 1).collect();
        p.extend(global("os", "system"));
        let stopped = scan(&p[..]).unwrap();
        assert!(stopped.globals.is_empty());
        let stop = stopped.stopped_at_limit.unwrap();
        assert_eq!(stop.offset, limits::PICKLE_STACK as u64 + 1);
        assert_eq!(stopped.incomplete, None);
    }

    fn limit_stop(pickle: &[u8]) -> &'static str {
        let stopped = scan(pickle).unwrap();
        assert_eq!(stopped.incomplete, None);
        stopped.stopped_at_limit.unwrap().limit
    }

    #[test]
    fn garbage_never_panics() {
        let mut state: u32 = 0x1234_5678;
        for len in 0..400 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    (state >> 24) as u8
                })
                .collect();
            let _ = scan(&bytes[..]);
        }
    }

    #[test]
    fn classification_follows_the_lists() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("__builtin__", "eval", Some("evaluates code")),
            ("builtins", "getattr", Some("arbitrary attribute access")),
            ("__builtin__", "set", None),
            ("os.path", "join", Some("executes shell commands")),
            ("posix", "system", Some("executes shell commands")),
            ("nt", "system", Some("executes shell commands")),
            ("commands", "getoutput", Some("executes shell commands")),
            ("cPickle", "loads", Some("nested unpickling")),
            ("torch", "load", Some("nested unpickling")),
            ("torch", "serialization.load", Some("nested unpickling")),
            ("torch.hub", "load", Some("downloads and runs code")),
            ("functools", "partial", Some("builds arbitrary calls")),
            ("operator", "attrgetter", Some("arbitrary attribute access")),
            ("numpy", "load", Some("nested unpickling")),
            ("numpy.f2py", "compile", Some("compiles and runs code")),
            // Gadgets from published pickle-scanner bypasses: standard-library and torch
            // callables that run code, commands or nested unpickling.
            (
                "idlelib.pyshell",
                "ModifiedInterpreter.runcode",
                Some("executes code"),
            ),
            (
                "torch.jit.unsupported_tensor_ops",
                "execWrapper",
                Some("executes code"),
            ),
            (
                "torch._inductor.codecache",
                "compile_file",
                Some("compiles and runs code"),
            ),
            ("imaplib", "IMAP4_stream", Some("executes shell commands")),
            ("logging", "FileHandler", Some("creates files")),
            ("trace", "Trace.runctx", Some("executes code")),
            (
                "torch.utils.collect_env",
                "run",
                Some("executes shell commands"),
            ),
            (
                "lib2to3.pgen2.grammar",
                "Grammar.loads",
                Some("evaluates code"),
            ),
            ("pkgutil", "resolve_name", Some("imports modules")),
            ("uuid", "_popen", Some("executes shell commands")),
            ("codecs", "open", Some("opens files")),
            (
                "collections",
                "OrderedDict.__init__.__globals__",
                Some("dunder attribute access"),
            ),
            (
                "torch._utils",
                "_rebuild_tensor.__globals__",
                Some("dunder attribute access"),
            ),
        ];
        for &(module, name, reason) in cases {
            let got = classify(module, name);
            match reason {
                Some(reason) => assert_eq!(got, dangerous(reason), "{module}.{name}"),
                None => assert_ne!(got, GlobalSafety::Unknown, "{module}.{name}"),
            }
        }
        for (module, name) in [
            ("collections", "OrderedDict"),
            ("torch._utils", "_rebuild_tensor_v2"),
            ("torch._utils", "_rebuild_parameter"),
            ("torch", "FloatStorage"),
            ("torch.storage", "UntypedStorage"),
            ("torch", "bfloat16"),
            ("torch.nn.modules.linear", "Linear"),
            ("numpy.core.multiarray", "_reconstruct"),
            ("numpy._core.multiarray", "_reconstruct"),
            ("numpy.dtypes", "Float32DType"),
            ("sklearn.linear_model._logistic", "LogisticRegression"),
            ("transformers.training_args", "TrainingArguments"),
            ("transformers.models.bert.configuration_bert", "BertConfig"),
            ("uuid", "UUID"),
            ("copy_reg", "_reconstructor"),
            ("_codecs", "encode"),
            ("pathlib", "PosixPath"),
        ] {
            assert_eq!(
                classify(module, name),
                GlobalSafety::Safe,
                "{module}.{name}"
            );
        }
        for (module, name) in [
            ("__main__", "MyModel"),
            ("builtins", "type"),
            ("sklearn.utils", "check_output"),
            ("torch.nn.modules.linear", "F.linear"),
            ("torch", "FloatStorage.x"),
            ("numpy", "frombuffer"),
            ("codecs", "encode"),
            ("requests.models", "Response"),
            ("requests.structures", "CaseInsensitiveDict"),
            ("requests.cookies", "RequestsCookieJar"),
        ] {
            assert_eq!(
                classify(module, name),
                GlobalSafety::Unknown,
                "{module}.{name}"
            );
        }
        // The package's functions, other modules and attribute paths reach the network.
        for (module, name) in [
            ("requests", "get"),
            ("requests.api", "post"),
            ("requests.models", "requote_uri"),
            ("requests.models", "Response.iter_content"),
            ("requests.sessions", "Session"),
            ("requests.hooks", "dispatch_hook"),
        ] {
            assert!(
                matches!(classify(module, name), GlobalSafety::Dangerous { .. }),
                "{module}.{name}"
            );
        }
        assert!(matches!(classify("osx", "thing"), GlobalSafety::Unknown));
        assert!(matches!(
            classify("codeop_extra", "x"),
            GlobalSafety::Unknown
        ));
    }

    #[test]
    fn tables_are_sorted_and_unique() {
        assert!(PY2_MODULES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(DENY.windows(2).all(|w| w[0].0 < w[1].0), "DENY not sorted");
        assert!(DATA_CLASSES_OF_DENIED.windows(2).all(|w| w[0] < w[1]));
        assert!(ALLOW.windows(2).all(|w| w[0] < w[1]), "ALLOW not sorted");
    }

    #[test]
    fn only_uuid_uuid_is_allowed_over_the_deny_list() {
        let overriding: Vec<_> = ALLOW
            .iter()
            .filter(|(m, n)| !m.contains(['*', '<']) && !n.contains(['*', '<']))
            .filter(|(m, n)| deny_reason(&format!("{m}.{n}")).is_some())
            .collect();
        assert_eq!(overriding, vec![&("uuid", "UUID")]);
    }

    #[test]
    fn glob_matches() {
        assert!(glob("torch.nn.modules.*", "torch.nn.modules.linear"));
        assert!(!glob("torch.nn.modules.*", "torch.nn.modules"));
        assert!(glob(
            "transformers.models.*.configuration_*",
            "transformers.models.bert.configuration_bert"
        ));
        assert!(!glob(
            "transformers.models.*.configuration_*",
            "transformers.models.bert.modeling_bert"
        ));
        assert!(glob("*Storage", "Storage"));
        assert!(!glob("a*a", "a"));
        assert!(glob("exact", "exact"));
        assert!(!glob("exact", "exactly"));
    }

    /// joblib's wrapper for an array of dtype `descr` (whose state gives `elsize`) and `shape`,
    /// as `joblib.dump` pickles it at protocol 4, without the data that follows it. Memo: 0 the
    /// class, 1 the wrapper, 2 its state dict, 3 the dtype (in a fresh stream).
    fn joblib_wrapper(
        descr: &str,
        elsize: i32,
        shape: &[u8],
        alignment: Option<Option<u8>>,
    ) -> Vec<u8> {
        let mut p = short_unicode("joblib.numpy_pickle");
        p.extend(short_unicode("NumpyArrayWrapper"));
        p.extend([
            op::STACK_GLOBAL,
            op::MEMOIZE,
            op::EMPTY_TUPLE,
            op::NEWOBJ,
            op::MEMOIZE,
        ]);
        p.extend([op::EMPTY_DICT, op::MEMOIZE, op::MARK]);
        p.extend(short_unicode("shape"));
        p.push(op::MARK);
        for &dim in shape {
            p.extend([op::BININT1, dim]);
        }
        p.push(op::TUPLE);
        p.extend(short_unicode("dtype"));
        p.extend(short_unicode("numpy"));
        p.extend(short_unicode("dtype"));
        p.push(op::STACK_GLOBAL);
        p.extend(short_unicode(descr));
        p.extend([
            op::NEWFALSE,
            op::NEWTRUE,
            op::TUPLE3,
            op::REDUCE,
            op::MEMOIZE,
        ]);
        p.extend([op::MARK, op::BININT1, 3]);
        p.extend(short_unicode("<"));
        p.extend([op::NONE, op::NONE, op::NONE, op::BININT]);
        p.extend(elsize.to_le_bytes());
        p.push(op::BININT);
        p.extend((-1i32).to_le_bytes());
        p.extend([op::BININT1, 0, op::TUPLE, op::BUILD]);
        if let Some(alignment) = alignment {
            p.extend(short_unicode("numpy_array_alignment_bytes"));
            match alignment {
                Some(n) => p.extend([op::BININT1, n]),
                None => p.push(op::NONE),
            }
        }
        p.extend([op::SETITEMS, op::BUILD]);
        p
    }

    /// `os.system("echo acme")` called, ending the stream.
    fn os_system_tail() -> Vec<u8> {
        let mut p = short_unicode("os");
        p.extend(short_unicode("system"));
        p.push(op::STACK_GLOBAL);
        p.extend(short_unicode("echo acme"));
        p.extend([op::TUPLE1, op::REDUCE, op::STOP]);
        p
    }

    fn dangerous_names(scan: &PickleScan) -> Vec<String> {
        scan.dangerous()
            .map(|g| format!("{}.{}", g.module, g.name))
            .collect()
    }

    /// Two arrays whose data, raw in the stream, is all `c` (GLOBAL) bytes, then an import.
    fn joblib_two_arrays() -> Vec<u8> {
        let mut p = vec![op::PROTO, 4];
        p.extend(joblib_wrapper("f8", -1, &[2, 3], Some(Some(16))));
        p.push(5);
        p.extend([0xff; 5]);
        p.extend([b'c'; 48]);
        p.extend(joblib_wrapper("U3", 12, &[2], None));
        p.extend([b'c'; 24]);
        p.extend(os_system_tail());
        p
    }

    #[test]
    fn joblib_raw_array_data_is_skipped() {
        let p = joblib_two_arrays();
        let walked = scan_file(&p[..], p.len() as u64).unwrap();
        assert_eq!(walked.incomplete, None);
        assert_eq!(walked.streams, 1);
        assert_eq!(dangerous_names(&walked), ["os.system"]);
        // an alignment of None means no padding byte
        let mut p = vec![op::PROTO, 4];
        p.extend(joblib_wrapper("<i4", -1, &[3], Some(None)));
        p.extend([b'c'; 12]);
        p.extend(os_system_tail());
        let walked = scan_file(&p[..], p.len() as u64).unwrap();
        assert_eq!(dangerous_names(&walked), ["os.system"]);
        // a zip entry or an .npy payload is not read by joblib.load: the data is taken as opcodes
        let p = joblib_two_arrays();
        let plain = scan(&p[..]).unwrap();
        assert!(plain.incomplete.is_some());
        assert!(plain.dangerous().all(|g| g.module != "os"));
    }

    /// joblib.load reads array data at every BUILD of a wrapper, one fetched from the memo too.
    #[test]
    fn a_wrapper_built_again_reads_its_data_again() {
        let mut p = vec![op::PROTO, 4];
        p.extend(joblib_wrapper("u1", -1, &[4], None));
        p.extend([b'c'; 4]);
        p.extend([op::BINGET, 1, op::EMPTY_DICT, op::BUILD]);
        p.extend([b'c'; 4]);
        p.extend(os_system_tail());
        let walked = scan_file(&p[..], p.len() as u64).unwrap();
        assert_eq!(walked.incomplete, None);
        assert_eq!(dangerous_names(&walked), ["os.system"]);
    }

    /// An object array's data is a nested pickle: its imports are walked, and the outer stream
    /// goes on after it.
    #[test]
    fn a_joblib_object_array_is_walked_as_a_nested_pickle() {
        let mut p = vec![op::PROTO, 4];
        p.extend(joblib_wrapper("O8", -1, &[1], Some(Some(16))));
        let mut nested = vec![op::PROTO, 2];
        nested.extend(global("posix", "system"));
        nested.push(op::STOP);
        p.extend(&nested);
        p.extend(os_system_tail());
        let walked = scan_file(&p[..], p.len() as u64).unwrap();
        assert_eq!(walked.incomplete, None);
        assert_eq!(dangerous_names(&walked), ["posix.system", "os.system"]);
    }

    /// Data whose size cannot be worked out stops the walk, which says so; so does data cut short.
    #[test]
    fn joblib_array_data_of_unknown_size_stops_the_walk() {
        let mut p = vec![op::PROTO, 4];
        p.extend(joblib_wrapper("x8", -1, &[2], None));
        p.extend([b'c'; 16]);
        p.extend(os_system_tail());
        let walked = scan_file(&p[..], p.len() as u64).unwrap();
        let reason = walked.incomplete.unwrap();
        assert!(reason.contains("size cannot be worked out"), "{reason}");
        assert!(reason.contains("joblib stores array data raw"), "{reason}");
        let p = joblib_two_arrays();
        let cut = &p[..p.len() - os_system_tail().len() - 10];
        let walked = scan_file(cut, cut.len() as u64).unwrap();
        assert!(walked.incomplete.unwrap().contains("truncated"));
    }

    /// What `pickle.load` runs in the data of a fake uint8 array: `os.system("echo acme")`.
    fn hidden_os_system() -> Vec<u8> {
        let mut p = global("os", "system");
        p.push(op::MARK);
        p.extend(b"Vecho acme\n");
        p.extend([op::TUPLE, op::REDUCE, op::STOP]);
        p
    }

    /// A joblib stream of one uint8 array whose data is `data` (with an alignment, after the
    /// padding byte `padding` and as many 0xff), then a harmless end.
    fn joblib_with_data(padding: Option<u8>, data: &[u8]) -> Vec<u8> {
        let len = u8::try_from(data.len()).unwrap();
        let mut p = vec![op::PROTO, 4];
        p.extend(joblib_wrapper("u1", -1, &[len], padding.map(|_| Some(16))));
        if let Some(padding) = padding {
            p.push(padding);
            p.extend(vec![0xff; usize::from(padding)]);
        }
        p.extend(data);
        p.push(op::STOP);
        p
    }

    /// joblib.load skips array data, but plain pickle.load reads it as opcodes and runs them.
    #[test]
    fn imports_in_array_data_are_found_as_pickle_load_reads_them() {
        let p = joblib_with_data(None, &hidden_os_system());
        let walked = scan_file(&p[..], p.len() as u64).unwrap();
        assert_eq!(walked.incomplete, None);
        assert_eq!(walked.stopped_at_limit, None);
        assert_eq!(dangerous_names(&walked), ["os.system"]);
        let hidden = walked.dangerous().next().unwrap();
        assert!(hidden.in_array_data);
        let start = (p.len() - hidden_os_system().len() - 1) as u64;
        assert_eq!(hidden.offset, start);
        // the main walk still reads the stream to its end
        assert_eq!(walked.streams, 1);
        // a padding byte that is an opcode (N, None) leads pickle.load into the padding
        let mut padding = hidden_os_system();
        padding.resize(usize::from(op::NONE), 0xff);
        let mut p = vec![op::PROTO, 4];
        p.extend(joblib_wrapper("u1", -1, &[4], Some(Some(16))));
        p.push(op::NONE);
        p.extend(&padding);
        p.extend([1, 2, 3, 4, op::STOP]);
        let walked = scan_file(&p[..], p.len() as u64).unwrap();
        assert_eq!(dangerous_names(&walked), ["os.system"]);
        // in a compressed file too
        let p = joblib_with_data(None, &hidden_os_system());
        let packed = zlib(&p);
        let walked = scan_file(&packed[..], packed.len() as u64).unwrap();
        assert_eq!(dangerous_names(&walked), ["os.system"]);
    }

    /// Hidden opcodes may run on past the array data into the stream, and use its stack and
    /// memo: STACK_GLOBAL of strings pushed in the data, or memoised before it.
    #[test]
    fn the_walk_of_array_data_carries_on_from_the_stream() {
        // the data pushes the strings; the stream's own bytes after it import them
        let mut data = short_unicode("os");
        data.extend(short_unicode("system"));
        let mut p = vec![op::PROTO, 4];
        p.extend(joblib_wrapper(
            "u1",
            -1,
            &[u8::try_from(data.len()).unwrap()],
            None,
        ));
        p.extend(&data);
        let tail = p.len() as u64;
        p.extend([op::STACK_GLOBAL, op::STOP]);
        let walked = scan_file(&p[..], p.len() as u64).unwrap();
        let names: Vec<_> = walked
            .globals
            .iter()
            .map(|g| {
                (
                    format!("{}.{}", g.module, g.name),
                    g.offset,
                    g.in_array_data,
                )
            })
            .collect();
        // the stream's walk finds STACK_GLOBAL of the array (not a string): unresolvable
        assert!(
            names.contains(&("os.system".to_owned(), tail, true)),
            "{names:?}"
        );
        // the strings come from the stream's memo (memoised before the array), fetched in the data
        let mut p = vec![op::PROTO, 4];
        p.extend(short_unicode("os"));
        p.extend([op::BINPUT, 200]);
        p.extend(short_unicode("system"));
        p.extend([op::BINPUT, 201, op::POP, op::POP]);
        p.extend(joblib_wrapper("u1", -1, &[5], None));
        p.extend([op::BINGET, 200, op::BINGET, 201, op::STACK_GLOBAL]);
        p.push(op::STOP);
        let walked = scan_file(&p[..], p.len() as u64).unwrap();
        assert_eq!(dangerous_names(&walked), ["os.system"]);
    }

    /// A tiny xorshift generator, for array data that looks like real numbers.
    fn noise(seed: u64, n: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

    /// Data that is no pickle (random floats, small integers, text) stops the walk as opcodes
    /// quietly: no import, no limit, and the stream's own imports once each.
    #[test]
    fn benign_array_data_adds_nothing() {
        let mut p = vec![op::PROTO, 4, op::EMPTY_LIST, op::MARK];
        let mut arrays = 0;
        for seed in 1..3000u64 {
            p.extend(joblib_wrapper("f8", -1, &[8], None));
            p.extend(noise(seed, 64));
            arrays += 1;
        }
        for value in 0..=255u8 {
            // int64 values, uint8 runs, UCS-4 text
            p.extend(joblib_wrapper("<i8", -1, &[4], None));
            for _ in 0..4 {
                p.extend(i64::from(value).to_le_bytes());
            }
            p.extend(joblib_wrapper("u1", -1, &[32], None));
            p.extend([value; 32]);
            p.extend(joblib_wrapper("U3", 12, &[2], None));
            for c in "acme-1".chars() {
                p.extend(u32::from(c).to_le_bytes());
            }
            p.extend(joblib_wrapper("f8", -1, &[0], None));
            arrays += 4;
        }
        p.extend([op::APPENDS, op::STOP]);
        for packed in [p.clone(), zlib(&p)] {
            let walked = scan_file(&packed[..], packed.len() as u64).unwrap();
            assert_eq!(walked.incomplete, None);
            assert_eq!(walked.stopped_at_limit, None);
            let hidden: Vec<_> = walked.globals.iter().filter(|g| g.in_array_data).collect();
            assert!(hidden.is_empty(), "{hidden:?}");
            // each wrapper imports its class and numpy.dtype once
            assert_eq!(walked.globals.len(), arrays * 2);
        }
    }

    /// The walks of array data as opcodes read at most a set number of bytes past the data's
    /// ends in all; past that, the scan says the rest could not be checked.
    #[test]
    fn walks_of_array_data_are_bounded() {
        // each array's data is a UNICODE whose line runs 64 KiB past the data's end, through
        // the bytes the stream pushes next, and ends before an opcode pickle.load fails on
        let mut p = vec![op::PROTO, 4, op::EMPTY_LIST, op::MARK];
        let arrays = (CONTINUATION_TOTAL_BYTES / 65536) as usize + 10;
        let mut line = vec![b'a'; 65534];
        line.extend([b'\n', 0xff]);
        for _ in 0..arrays {
            p.extend(joblib_wrapper("u1", -1, &[1], None));
            p.push(op::UNICODE);
            p.push(op::BINBYTES);
            p.extend((line.len() as u32).to_le_bytes());
            p.extend(&line);
        }
        p.extend([op::APPENDS, op::STOP]);
        let walked = scan_file(&p[..], p.len() as u64).unwrap();
        let stop = walked.stopped_at_limit.unwrap();
        assert_eq!(stop.limit, "array data as opcodes");
        assert!(stop.message.contains("in all"), "{}", stop.message);
        assert_eq!(walked.incomplete, None);
        assert_eq!(walked.streams, 1);
        // one array's data that reads as opcodes far past its end, one byte out of step with
        // the stream's own opcodes
        let mut p = vec![op::PROTO, 4];
        p.extend(joblib_wrapper("u1", -1, &[1], None));
        p.push(op::BINPUT);
        for _ in 0..CONTINUATION_BYTES / 2 + 10 {
            p.extend([op::NONE, op::POP]);
        }
        p.push(op::STOP);
        let walked = scan_file(&p[..], p.len() as u64).unwrap();
        let stop = walked.stopped_at_limit.unwrap();
        assert_eq!(stop.limit, "array data as opcodes");
        assert!(stop.message.contains("past its end"), "{}", stop.message);
        assert_eq!(walked.streams, 1);
    }

    /// Every truncation of a file with hidden opcodes, plain and compressed, is walked without
    /// a panic.
    #[test]
    fn truncated_array_data_never_panics() {
        let mut p = joblib_two_arrays();
        p.pop();
        p.extend(
            joblib_with_data(Some(3), &hidden_os_system())
                .get(2..)
                .unwrap(),
        );
        for end in 0..p.len() {
            let cut = &p[..end];
            let _ = scan_file(cut, cut.len() as u64);
            let _ = scan_file(cut, u64::MAX);
            let packed = zlib(cut);
            let _ = scan_file(&packed[..], packed.len() as u64);
        }
    }

    /// Raw array data is bounded by the file, not by the stream's opcode budget.
    #[test]
    fn joblib_array_data_does_not_count_against_the_stream_limit() {
        let mut p = vec![op::PROTO, 4];
        p.extend(joblib_wrapper("f8", -1, &[255, 255], None));
        p.extend(vec![0u8; 255 * 255 * 8]);
        p.extend(os_system_tail());
        let walk = Walk {
            stream_bytes: 4096,
            ..Walk::FILE
        };
        let (walked, stop) = walk_all(&p[..], Some(p.len() as u64), walk).unwrap();
        let walked = finish(walked, stop).unwrap();
        assert_eq!(walked.stopped_at_limit, None);
        assert_eq!(dangerous_names(&walked), ["os.system"]);
    }
}
