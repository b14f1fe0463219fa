//! Streaming: text corpora are read in fixed-size chunks cut at line ends, and a large file is
//! split into regions that rayon scans in parallel (in the caller's pool), merged in file order
//! so the report does not depend on the number of threads. Memory is bounded by the chunk
//! size times the number of regions in flight, never by the file size: a line longer than a
//! chunk is streamed through a window that overlaps by the longest match.
//!
//! JSON and JSON Lines: only string values (and keys) are scanned; numbers, `true`/`false` and
//! arrays of numbers (embeddings, token ids) are skipped by jumping from quote to quote.
//! Raw newlines cannot occur inside a JSON string, so every line starts outside a string and
//! chunks can be cut at any line end. CSV, TSV and text are scanned as text: delimiters,
//! quotes and line ends already end every token.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use memchr::{memchr, memchr_iter, memchr3, memrchr};
use rayon::prelude::*;

use super::CorpusFormat;
use super::PiiType;
use super::detect::{self, Found, LOOK_AHEAD, LOOK_BEHIND};
use super::find;

/// Bytes read at a time.
pub const CHUNK_BYTES: usize = 1 << 20;
/// A file is cut into regions of this size for parallel scanning.
pub const REGION_BYTES: u64 = 8 << 20;
/// A segment longer than this (a huge line or JSON string) is scanned in windows.
const WINDOW_BYTES: usize = 256 * 1024;

/// One match with its line counted from the start of the block or region (0-based).
#[derive(Debug)]
pub struct Hit {
    pub kind: PiiType,
    pub normalized: String,
    pub line: u64,
    pub synthetic: bool,
}

fn json_like(format: CorpusFormat) -> bool {
    matches!(format, CorpusFormat::Json | CorpusFormat::Jsonl)
}

/// Line numbers of offsets that come in increasing order.
struct Lines {
    pos: usize,
    line: u64,
}

impl Lines {
    fn at(&mut self, block: &[u8], off: usize) -> u64 {
        let off = off.min(block.len());
        if off > self.pos {
            self.line += memchr_iter(b'\n', &block[self.pos..off]).count() as u64;
            self.pos = off;
        }
        self.line
    }
}

/// Scans a block of complete lines held in memory; `hits` get lines relative to the block.
/// Returns the number of line ends in the block (counted on the way for JSON).
pub fn scan_block(
    block: &[u8],
    format: CorpusFormat,
    scratch: &mut Vec<u8>,
    hits: &mut Vec<Hit>,
) -> u64 {
    let mut lines = Lines { pos: 0, line: 0 };
    if !json_like(format) {
        // Emails and digit tokens are found in two passes: put them back in text order.
        let mut found = Vec::new();
        detect::detect(block, 0, block.len(), b"", &mut |f: Found| found.push(f));
        found.sort_by_key(|f| f.anchor);
        for f in found {
            let line = lines.at(block, f.anchor);
            hits.push(hit(f, line));
        }
        return memchr_iter(b'\n', block).count() as u64;
    }
    json_scan(block, scratch, hits)
}

/// The JSON scan, compiled for the best instruction set the processor has.
fn json_scan(block: &[u8], scratch: &mut Vec<u8>, hits: &mut Vec<Hit>) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 was detected just above.
            return unsafe { json_scan_avx2(block, scratch, hits) };
        }
        // SAFETY: SSE2 is part of the x86_64 baseline.
        json_scan_with(block, scratch, hits, |c| unsafe {
            find::x86::classify_sse2(c)
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    json_scan_with(block, scratch, hits, find::classify_portable)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn json_scan_avx2(block: &[u8], scratch: &mut Vec<u8>, hits: &mut Vec<Hit>) -> u64 {
    // SAFETY: this function only runs where AVX2 is present.
    json_scan_with(block, scratch, hits, |c| unsafe {
        find::x86::classify_avx2(c)
    })
}

/// Walks the block 64 bytes at a time with masks of its quotes, line ends, backslashes and
/// triggers, following whether it is inside a string. A string that reaches its end with no
/// trigger or backslash costs a few bit operations; one that holds any is handed whole to
/// [`scan_string`]. Returns the number of line ends in the block.
#[inline(always)]
fn json_scan_with(
    block: &[u8],
    scratch: &mut Vec<u8>,
    hits: &mut Vec<Hit>,
    classify: impl Fn(&[u8; 64]) -> find::Masks,
) -> u64 {
    let mut newlines = 0u64;
    // The previous string (raw start and end): the key of the next one when followed by `:`.
    let mut last: Option<(usize, usize)> = None;
    // The raw start of the string being read, if any.
    let mut string: Option<usize> = None;
    let mut pos = 0;
    let mut padded = [b' '; 64];
    'chunks: while pos < block.len() {
        let chunk: &[u8; 64] = match block.get(pos..pos + 64) {
            Some(c) => c.try_into().unwrap_or(&padded),
            None => {
                padded = [b' '; 64];
                padded[..block.len() - pos].copy_from_slice(&block[pos..]);
                &padded
            }
        };
        let m = classify(chunk);
        let outside = m.quote | m.line_end;
        let inside = outside | m.backslash | m.trigger;
        let mut live = !0u64;
        loop {
            let events = live & if string.is_some() { inside } else { outside };
            if events == 0 {
                break;
            }
            let k = events.trailing_zeros() as usize;
            live = (!0u64 << k) << 1;
            let p = pos + k;
            let c = block[p];
            match string {
                None if c == b'\n' => newlines += 1,
                None => string = Some(p + 1),
                Some(s) if c == b'"' || c == b'\n' => {
                    last = Some((s, p));
                    string = None;
                    newlines += u64::from(c == b'\n');
                }
                Some(s) => {
                    let key = match last {
                        Some((ps, pe)) if pe - ps <= 64 && followed_by_colon(block, pe) => {
                            &block[ps..pe]
                        }
                        _ => b"",
                    };
                    // The string's end, when it is in this chunk and no escape comes first.
                    let stops = (m.quote | m.line_end | m.backslash) & live;
                    let known_end = Some(pos + stops.trailing_zeros() as usize)
                        .filter(|&e| c != b'\\' && stops != 0 && block[e] != b'\\');
                    let (end, escaped_newlines) =
                        scan_string(block, s, known_end, key, newlines, scratch, hits);
                    newlines += escaped_newlines;
                    last = Some((s, end));
                    string = None;
                    // A raw line end that closed the string is counted by the next chunk.
                    pos = if block.get(end) == Some(&b'\n') {
                        end
                    } else {
                        end + 1
                    };
                    continue 'chunks;
                }
            }
        }
        pos += 64;
    }
    newlines
}

/// Scans the string whose raw bytes start at `s` on block line `line` and end at `known_end`
/// when the caller saw its end (escapes decoded, detectors run with `key` as context unless
/// the string is itself a key). Returns its end (the closing quote, the line end or the
/// block's end) and the escaped line ends it holds.
fn scan_string(
    block: &[u8],
    s: usize,
    known_end: Option<usize>,
    key: &[u8],
    line: u64,
    scratch: &mut Vec<u8>,
    hits: &mut Vec<Hit>,
) -> (usize, u64) {
    let mut j = s;
    let mut escaped = false;
    let end = if let Some(end) = known_end {
        end
    } else {
        loop {
            match memchr3(b'"', b'\\', b'\n', &block[j..]) {
                None => break block.len(),
                Some(k) => match block[j + k] {
                    b'\\' => {
                        escaped = true;
                        j += k + 2;
                        if j >= block.len() {
                            break block.len();
                        }
                    }
                    _ => break j + k,
                },
            }
        }
    };
    let raw = &block[s..end];
    let mut escaped_newlines = 0;
    let seg: &[u8] = if escaped {
        escaped_newlines = memchr_iter(b'\n', raw).count() as u64;
        unescape(raw, scratch);
        scratch
    } else {
        raw
    };
    let key = if followed_by_colon(block, end) {
        b""
    } else {
        key
    };
    detect::detect(seg, 0, seg.len(), key, &mut |f| hits.push(hit(f, line)));
    (end, escaped_newlines)
}

/// Whether the string that ends at `end` is a key: `:` follows after blanks.
fn followed_by_colon(block: &[u8], end: usize) -> bool {
    let mut after = end + 1;
    while after < block.len() && matches!(block[after], b' ' | b'\t' | b'\r') {
        after += 1;
    }
    block.get(after) == Some(&b':')
}

fn hit(f: Found, line: u64) -> Hit {
    Hit {
        kind: f.kind,
        normalized: f.normalized,
        line,
        synthetic: f.synthetic,
    }
}

/// Decodes JSON string escapes into `out`; `\uXXXX` becomes its character (surrogate pairs
/// joined, anything invalid a replacement character), so `\u0040` is an `@` again.
pub fn unescape(raw: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = raw.get(i + 1).copied().unwrap_or(b' ');
        i += 2;
        match e {
            b'n' | b'r' | b't' | b'b' | b'f' => out.push(b' '),
            b'u' => {
                let hex = |at: usize| {
                    raw.get(at..at + 4)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                };
                let Some(mut cp) = hex(i) else {
                    out.push(b' ');
                    continue;
                };
                i += 4;
                if (0xD800..0xDC00).contains(&cp)
                    && raw.get(i) == Some(&b'\\')
                    && raw.get(i + 1) == Some(&b'u')
                    && let Some(lo) = hex(i + 2).filter(|lo| (0xDC00..0xE000).contains(lo))
                {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
                let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
            other => out.push(other),
        }
    }
}

/// A line too long for one chunk, scanned as it streams.
struct LongLine {
    json: bool,
    in_string: bool,
    escape: Option<Vec<u8>>,
    pending: Vec<u8>,
    from: usize,
}

impl LongLine {
    fn new(format: CorpusFormat) -> LongLine {
        LongLine {
            json: json_like(format),
            in_string: !json_like(format),
            escape: None,
            pending: Vec::new(),
            from: 0,
        }
    }

    fn feed(&mut self, bytes: &[u8], line: u64, hits: &mut Vec<Hit>) {
        if !self.json {
            self.push_string(bytes, line, hits);
            return;
        }
        let mut i = 0;
        while i < bytes.len() {
            if let Some(esc) = &mut self.escape {
                esc.push(bytes[i]);
                i += 1;
                let done = esc.len() >= 2 && (esc[1] != b'u' || esc.len() >= 6);
                if done {
                    let esc = self.escape.take().unwrap_or_default();
                    let mut decoded = Vec::new();
                    unescape(&esc, &mut decoded);
                    self.push_string(&decoded, line, hits);
                }
                continue;
            }
            if !self.in_string {
                match memchr(b'"', &bytes[i..]) {
                    Some(q) => {
                        self.in_string = true;
                        i += q + 1;
                    }
                    None => return,
                }
                continue;
            }
            match memchr3(b'"', b'\\', b'\n', &bytes[i..]) {
                None => {
                    self.push_string(&bytes[i..], line, hits);
                    return;
                }
                Some(k) => {
                    self.push_string(&bytes[i..i + k], line, hits);
                    if bytes[i + k] == b'\\' {
                        self.escape = Some(vec![b'\\']);
                    } else {
                        self.close(line, hits);
                    }
                    i += k + 1;
                }
            }
        }
    }

    fn push_string(&mut self, bytes: &[u8], line: u64, hits: &mut Vec<Hit>) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let room = WINDOW_BYTES + LOOK_AHEAD + LOOK_BEHIND - self.pending.len();
            let take = room.min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() >= WINDOW_BYTES + LOOK_AHEAD + LOOK_BEHIND {
                let to = self.pending.len() - LOOK_AHEAD;
                detect::detect(&self.pending, self.from, to, b"", &mut |f| {
                    hits.push(hit(f, line))
                });
                self.pending.drain(..to - LOOK_BEHIND);
                self.from = LOOK_BEHIND;
            }
        }
    }

    fn close(&mut self, line: u64, hits: &mut Vec<Hit>) {
        let len = self.pending.len();
        detect::detect(&self.pending, self.from, len, b"", &mut |f| {
            hits.push(hit(f, line))
        });
        self.pending.clear();
        self.from = 0;
        self.in_string = !self.json;
        self.escape = None;
    }
}

/// What one region of a file produced.
#[derive(Debug, Default)]
pub struct RegionScan {
    pub hits: Vec<Hit>,
    /// Line ends consumed (the first owned line is line 0 of the region).
    pub newlines: u64,
    pub bytes: u64,
}

/// Scans the lines that start in `start..end` of the file at `path` (a line that starts in
/// the region is read to its end, however far that is).
pub fn scan_region(
    path: &Path,
    start: u64,
    end: u64,
    format: CorpusFormat,
) -> io::Result<RegionScan> {
    let mut file = File::open(path)?;
    let mut out = RegionScan::default();
    let mut pos = start;
    if start > 0 {
        // Skip the tail of the line the previous region owns.
        file.seek(SeekFrom::Start(start - 1))?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut skipped = false;
        let mut first = true;
        while !skipped {
            let n = file.read(&mut buf)?;
            if n == 0 {
                return Ok(out);
            }
            let from = usize::from(first);
            if first && buf[0] == b'\n' {
                pos = start;
                skipped = true;
            } else if let Some(k) = memchr(b'\n', &buf[from..n]) {
                pos += (from + k) as u64 + 1 - u64::from(first);
                skipped = true;
            } else {
                pos += (n - from) as u64;
            }
            first = false;
        }
        if pos >= end {
            return Ok(out);
        }
        file.seek(SeekFrom::Start(pos))?;
    }
    let mut buf = vec![0u8; CHUNK_BYTES];
    let mut filled = 0usize;
    let mut buf_pos = pos; // file offset of buf[0]
    let mut scratch = Vec::new();
    let mut long: Option<LongLine> = None;
    let mut block_hits = Vec::new();
    loop {
        let n = file.read(&mut buf[filled..])?;
        filled += n;
        let eof = n == 0;
        if let Some(line) = &mut long {
            // Inside a line longer than a chunk: feed up to its end.
            match memchr(b'\n', &buf[..filled]) {
                Some(k) => {
                    line.feed(&buf[..k], out.newlines, &mut out.hits);
                    line.close(out.newlines, &mut out.hits);
                    long = None;
                    out.newlines += 1;
                    out.bytes += k as u64 + 1;
                    buf.copy_within(k + 1..filled, 0);
                    buf_pos += k as u64 + 1;
                    filled -= k + 1;
                    if buf_pos >= end {
                        return Ok(out);
                    }
                }
                None => {
                    line.feed(&buf[..filled], out.newlines, &mut out.hits);
                    out.bytes += filled as u64;
                    buf_pos += filled as u64;
                    filled = 0;
                    if eof {
                        line.close(out.newlines, &mut out.hits);
                        return Ok(out);
                    }
                }
            }
            continue;
        }
        // Complete lines owned by this region: up to the line end at or after `end - 1`.
        let owned_limit = (end.saturating_sub(1).saturating_sub(buf_pos)) as usize;
        let cut = if owned_limit < filled {
            memchr(b'\n', &buf[owned_limit..filled]).map(|k| (owned_limit + k + 1, true))
        } else {
            None
        };
        let (cut, last) = match cut {
            Some(c) => c,
            None => match memrchr(b'\n', &buf[..filled]) {
                Some(k) => (k + 1, false),
                None if eof => (filled, true),
                None if filled == buf.len() => {
                    let mut line = LongLine::new(format);
                    line.feed(&buf[..filled], out.newlines, &mut out.hits);
                    out.bytes += filled as u64;
                    buf_pos += filled as u64;
                    filled = 0;
                    long = Some(line);
                    continue;
                }
                None => (0, false),
            },
        };
        if cut > 0 {
            let block = &buf[..cut];
            block_hits.clear();
            let newlines = scan_block(block, format, &mut scratch, &mut block_hits);
            for mut h in block_hits.drain(..) {
                h.line += out.newlines;
                out.hits.push(h);
            }
            out.newlines += newlines;
            out.bytes += cut as u64;
            buf.copy_within(cut..filled, 0);
            filled -= cut;
            buf_pos += cut as u64;
        }
        if last || (eof && filled == 0) {
            return Ok(out);
        }
        if eof {
            // A final line without a line end.
            continue;
        }
    }
}

/// Scans a whole text file: one region when small or single-threaded, else regions in waves
/// of twice the pool's threads. `merge` receives each region's result in file order.
pub fn scan_text_file(
    path: &Path,
    format: CorpusFormat,
    merge: &mut dyn FnMut(RegionScan),
) -> io::Result<()> {
    let len = std::fs::metadata(path)?.len();
    let threads = rayon::current_num_threads().max(1);
    if len <= REGION_BYTES || threads == 1 {
        merge(scan_region(path, 0, len.max(1), format)?);
        return Ok(());
    }
    let regions: Vec<(u64, u64)> = (0..len.div_ceil(REGION_BYTES))
        .map(|i| (i * REGION_BYTES, ((i + 1) * REGION_BYTES).min(len)))
        .collect();
    for wave in regions.chunks(threads * 2) {
        let results: Vec<io::Result<RegionScan>> = wave
            .par_iter()
            .map(|&(s, e)| scan_region(path, s, e, format))
            .collect();
        for r in results {
            merge(r?);
        }
    }
    Ok(())
}
