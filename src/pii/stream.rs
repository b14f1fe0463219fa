//! Streaming: text corpora are read in fixed-size chunks cut at record ends (line ends, but in
//! CSV), and a large file is split into regions that rayon scans in parallel (in the caller's
//! pool), merged in file order so the report does not depend on the number of threads. Memory
//! is bounded by the chunk size times the number of regions in flight, never by the file size:
//! a line longer than a chunk is streamed through a window that overlaps by the longest match.
//!
//! JSON and JSON Lines: only string values (and keys) are scanned; numbers, `true`/`false` and
//! arrays of numbers (embeddings, token ids) are skipped by jumping from quote to quote.
//! Raw newlines cannot occur inside a JSON string (a raw line end ends a malformed one, even
//! after a backslash), so every line starts outside a string. TSV is scanned line by line, cell
//! by cell, each cell with its column's name as its key; text line by line. No detector's
//! context (a key, a hotword, a version marker) reaches across a line end, so chunks and
//! regions can be cut at any line end without changing what is found.
//!
//! CSV is scanned record by record: a quoted cell may hold line ends (RFC 4180), and a record
//! of several lines is read whole so that its cells get their column names, while each match
//! keeps the line it is on. A line end ends a record when the quotes before it in the file are
//! even in number (`cells`), so a region learns whether it starts inside a quoted cell from the
//! parity of the quotes before it: [`scan_text_file`] counts each region's quotes first, in
//! parallel. A region owns the records that start in it, and chunks are cut at record ends; no
//! context reaches across a record end. A record longer than a chunk is the exception: it is
//! read line by line, each line with its own cell count (as are records whose line ends are not
//! all inside closed quoted cells, such as lines joined by a stray quote), and the parity is
//! carried over its lines so that the next record's start is found. A line longer than a chunk,
//! in such a record or alone, streams as text through a `LongLine` as in other syntaxes, its
//! quotes counted on the way. Whether a record is read whole depends on its own bytes only,
//! never on where a chunk or a region began.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use memchr::{memchr, memchr_iter, memchr2, memchr3, memrchr};
use rayon::prelude::*;

use super::CorpusFormat;
use super::PiiType;
use super::cells::{self, Header};
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

/// How the lines of a corpus file are read.
#[derive(Debug, Clone, Copy)]
pub enum Syntax<'h> {
    /// JSON and JSON Lines: string values, each with its key.
    Json,
    /// CSV and TSV: cells, each with its column's name.
    Delimited(&'h Header),
    /// Plain text: whole lines.
    Text,
}

impl<'h> Syntax<'h> {
    /// The syntax of `format`; `header` is the file's own (read with [`Header::read`] or
    /// [`Header::parse`]) when the format is delimited, and unused otherwise.
    pub fn of(format: CorpusFormat, header: &'h Header) -> Syntax<'h> {
        match format {
            CorpusFormat::Json | CorpusFormat::Jsonl => Syntax::Json,
            CorpusFormat::Csv | CorpusFormat::Tsv => Syntax::Delimited(header),
            // Parquet values are scanned one by one (`parquet.rs`), never streamed as lines.
            CorpusFormat::Text | CorpusFormat::Parquet => Syntax::Text,
        }
    }

    fn is_json(self) -> bool {
        matches!(self, Syntax::Json)
    }
}

/// Scans a block of complete lines held in memory; `hits` get lines relative to the block.
/// Returns the number of line ends in the block (counted on the way for JSON). `open` says
/// that the block starts inside a CSV record (a quoted cell that holds line ends): the lines up
/// to that record's end are read one by one. Other syntaxes ignore it.
pub fn scan_block(
    block: &[u8],
    syntax: Syntax<'_>,
    open: bool,
    scratch: &mut Vec<u8>,
    hits: &mut Vec<Hit>,
) -> u64 {
    if syntax.is_json() {
        return json_scan(block, scratch, hits);
    }
    // Line by line (CSV: record by record), so that no detector's context reaches into another
    // record and a chunk or region boundary (always at a record start) cannot change what is
    // found.
    let mut scan = LineScan {
        syntax,
        cells: Vec::new(),
        found: Vec::new(),
        hits,
    };
    match syntax {
        Syntax::Delimited(header) if header.quoted() => scan.records(block, header, open),
        _ => {
            scan.lines(block, 0);
        }
    }
    memchr_iter(b'\n', block).count() as u64
}

/// The line and record scan of CSV, TSV and text, with its buffers.
struct LineScan<'s, 'h> {
    syntax: Syntax<'h>,
    cells: Vec<std::ops::Range<usize>>,
    found: Vec<Found>,
    hits: &'s mut Vec<Hit>,
}

impl LineScan<'_, '_> {
    /// Scans `block` line by line, its first line being block line `first`; returns the line
    /// after its last.
    fn lines(&mut self, block: &[u8], first: u64) -> u64 {
        let mut from = 0;
        let mut line = first;
        let ends =
            memchr_iter(b'\n', block).chain((block.last() != Some(&b'\n')).then_some(block.len()));
        for to in ends {
            self.line(&block[from..to], line);
            from = to + 1;
            line += 1;
        }
        line
    }

    /// Scans one line (without its line end): cell by cell when delimited, each cell with its
    /// column's name when the line has as many cells as the header.
    fn line(&mut self, text: &[u8], line: u64) {
        let found = &mut self.found;
        let mut push = |f: Found| found.push(f);
        match self.syntax {
            Syntax::Delimited(header) => {
                cells::split(text, header.sep, &mut self.cells);
                for (i, cell) in self.cells.iter().enumerate() {
                    let column = header.name(i, self.cells.len());
                    detect::detect_cell(&text[..cell.end], cell.start, column, &mut push);
                }
            }
            _ => detect::detect(text, 0, text.len(), b"", &mut push),
        }
        // An email is found after a digit token inside its local part: text order again.
        found.sort_by_key(|f| f.anchor);
        self.hits.extend(found.drain(..).map(|f| hit(f, line)));
    }

    /// Scans the CSV records of `block`, which starts inside one when `open` (its lines up to
    /// that record's end are read one by one). A record of one line is read as a line; a
    /// record of several lines is read whole, each cell with its column's name, when it has
    /// as many cells as the header, every line end in it lies inside a closed quoted cell and
    /// it fits in a chunk (as a stream reads it), else line by line. A match keeps the line it
    /// is on.
    fn records(&mut self, block: &[u8], header: &Header, open: bool) {
        let mut from = 0;
        let mut line = 0;
        let mut inside = open;
        let ends = cells::records(block, open).map(|(end, lines)| (end + 1, Some(lines)));
        let last = (block.last() != Some(&b'\n')).then_some((block.len(), None));
        for (to, lines) in ends.chain(last) {
            let record = &block[from..to];
            let body = record.strip_suffix(b"\n").unwrap_or(record);
            // A last record with no line end is whole when its quotes are closed.
            let whole = !inside && (lines.is_some() || !cells::odd_quotes(record));
            let lines = lines.unwrap_or_else(|| memchr_iter(b'\n', body).count());
            line = if !whole {
                self.lines(body, line)
            } else if lines == 0 {
                self.line(body, line);
                line + 1
            } else {
                self.record(body, record.len(), header, line)
            };
            from = to;
            inside = false;
        }
        // A block that ends inside a record (the first lines of one longer than a chunk).
        if from < block.len() && last.is_none() {
            self.lines(&block[from..], line);
        }
    }

    /// Scans `body`, a record of several lines without its last line end, `len` bytes long
    /// with it, that starts on block line `first`; returns the line after its last.
    fn record(&mut self, body: &[u8], len: usize, header: &Header, first: u64) -> u64 {
        cells::split(body, header.sep, &mut self.cells);
        if len > CHUNK_BYTES
            || self.cells.len() != header.columns()
            || !cells::line_ends_quoted(body, &self.cells)
        {
            return self.lines(body, first);
        }
        let found = &mut self.found;
        for (i, cell) in self.cells.iter().enumerate() {
            let column = header.name(i, self.cells.len());
            detect::detect_cell(&body[..cell.end], cell.start, column, &mut |f| {
                found.push(f)
            });
        }
        found.sort_by_key(|f| f.anchor);
        // Each match on the line it is on: the line ends before its anchor.
        let mut ends = memchr_iter(b'\n', body).peekable();
        let mut line = first;
        for f in found.drain(..) {
            while ends.next_if(|&k| k < f.anchor).is_some() {
                line += 1;
            }
            self.hits.push(hit(f, line));
        }
        line + ends.count() as u64 + 1
    }
}

/// The JSON scan, compiled for the best instruction set the processor has: AVX-512BW, AVX2
/// (each with the bit-manipulation instructions that come with it), or the SSE2 baseline.
fn json_scan(block: &[u8], scratch: &mut Vec<u8>, hits: &mut Vec<Hit>) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        let bits = has_bit_ops();
        if bits && has!("avx512bw") {
            // SAFETY: every feature the function enables was detected just above.
            return unsafe { json_scan_avx512(block, scratch, hits) };
        }
        if bits && has!("avx2") {
            // SAFETY: every feature the function enables was detected just above.
            return unsafe { json_scan_avx2(block, scratch, hits) };
        }
        // SAFETY: SSE2 is part of the x86_64 baseline.
        json_scan_with(
            block,
            scratch,
            hits,
            |c| unsafe { find::x86::classify_sse2(c) },
            prefix_xor,
        )
    }
    #[cfg(not(target_arch = "x86_64"))]
    json_scan_with(block, scratch, hits, find::classify_portable, prefix_xor)
}

/// Whether the processor has the bit-manipulation instructions the vector JSON scans are
/// compiled with (carry-less multiply, population and leading-zero counts).
#[cfg(target_arch = "x86_64")]
fn has_bit_ops() -> bool {
    use std::arch::is_x86_feature_detected as has;
    has!("pclmulqdq") && has!("popcnt") && has!("lzcnt") && has!("bmi1")
}

/// Every JSON scan this processor can run (portable, SSE2, AVX2, AVX-512BW), by name, with its
/// hits and line count: tests hold each to the same answer.
#[cfg(test)]
pub fn json_scan_variants(block: &[u8]) -> Vec<(&'static str, Vec<Hit>, u64)> {
    let mut out = Vec::new();
    let mut run = |name, scan: &dyn Fn(&mut Vec<u8>, &mut Vec<Hit>) -> u64| {
        let mut hits = Vec::new();
        let newlines = scan(&mut Vec::new(), &mut hits);
        out.push((name, hits, newlines));
    };
    run("portable", &|sc, h| {
        json_scan_with(block, sc, h, find::classify_portable, prefix_xor)
    });
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        // SAFETY: SSE2 is part of the x86_64 baseline.
        run("sse2", &|sc, h| {
            json_scan_with(
                block,
                sc,
                h,
                |c| unsafe { find::x86::classify_sse2(c) },
                prefix_xor,
            )
        });
        let bits = has_bit_ops();
        if bits && has!("avx2") {
            // SAFETY: detected just above.
            run("avx2", &|sc, h| unsafe { json_scan_avx2(block, sc, h) });
        }
        if bits && has!("avx512bw") {
            // SAFETY: detected just above.
            run("avx512", &|sc, h| unsafe { json_scan_avx512(block, sc, h) });
        }
    }
    out
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512bw,pclmulqdq,popcnt,lzcnt,bmi1")]
fn json_scan_avx512(block: &[u8], scratch: &mut Vec<u8>, hits: &mut Vec<Hit>) -> u64 {
    // SAFETY: this function only runs where its features are present.
    json_scan_with(
        block,
        scratch,
        hits,
        |c| unsafe { find::x86::classify_avx512(c) },
        |x| unsafe { find::x86::prefix_xor_clmul(x) },
    )
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,pclmulqdq,popcnt,lzcnt,bmi1")]
fn json_scan_avx2(block: &[u8], scratch: &mut Vec<u8>, hits: &mut Vec<Hit>) -> u64 {
    // SAFETY: this function only runs where its features are present.
    json_scan_with(
        block,
        scratch,
        hits,
        |c| unsafe { find::x86::classify_avx2(c) },
        |x| unsafe { find::x86::prefix_xor_clmul(x) },
    )
}

/// Walks the block 64 bytes at a time. From each block's masks of quotes, backslashes, line
/// ends and triggers it works out with bit operations which quotes a backslash escapes
/// ([`escapes`]) and which bytes lie inside a string (a prefix XOR of the other quotes; a raw
/// line end ends any string). A block where that reading does not hold (a backslash outside a
/// string, which escapes nothing there, or a raw line end inside one, even after a backslash)
/// is walked byte by byte instead. A block whose strings hold no trigger costs a handful of
/// instructions, and a block wholly outside strings jumps to the next quote or line end. The
/// first string that holds a trigger is handed whole to [`scan_string`], and the walk resumes
/// after it. Returns the number of line ends in the block.
#[inline(always)]
fn json_scan_with(
    block: &[u8],
    scratch: &mut Vec<u8>,
    hits: &mut Vec<Hit>,
    classify: impl Fn(&[u8; 64]) -> find::Masks,
    prefix_xor: impl Fn(u64) -> u64,
) -> u64 {
    // Line ends before `pos`.
    let mut newlines = 0u64;
    // Whether `pos` is inside a string, and whether its byte is escaped.
    let mut in_string = false;
    let mut escape = false;
    // The raw start of the last string opened before `pos`.
    let mut open = 0usize;
    // The last string closed before `pos` (raw start, end): the key of the next string when
    // a `:` follows it.
    let mut last: Option<(usize, usize)> = None;
    let mut pos = 0;
    // A block shorter than 64 bytes is read from a copy padded with blanks; the last 64 bytes
    // of a longer one are read in place, their masks shifted to start at `pos`.
    let mut short = [b' '; 64];
    if block.len() < 64 {
        short[..block.len()].copy_from_slice(block);
    }
    while pos < block.len() {
        // The common case in a few instructions: 64 bytes with no backslash, whose strings
        // hold no trigger and no raw line end. Anything else is left to the general step
        // below, which reuses these masks.
        let mut masks = None;
        while pos + 64 <= block.len() {
            let chunk: &[u8; 64] = block[pos..pos + 64].try_into().expect("64 bytes");
            let m = classify(chunk);
            let (escaped, escape_after) = escapes(m.backslash, escape);
            let quote = m.quote & !escaped;
            let inside = prefix_xor(quote) ^ u64::from(in_string).wrapping_neg();
            let opens = quote & inside;
            // A backslash outside a string (which escapes nothing there) is left to the
            // general step, as are triggers and line ends inside strings.
            if m.backslash & !inside | (m.trigger & !opens | m.line_end) & inside != 0 {
                masks = Some(m);
                break;
            }
            let closes = quote & !inside;
            last = last_closed(pos, opens, closes, open).or(last);
            open = string_start(pos, opens, open);
            newlines += u64::from(m.line_end.count_ones());
            in_string = inside >> 63 == 1;
            escape = escape_after;
            pos = next_block(block, pos, in_string || m.quote != 0);
        }
        if pos >= block.len() {
            break;
        }
        let base = if pos + 64 <= block.len() {
            pos
        } else {
            block.len().saturating_sub(64)
        };
        let m = masks.unwrap_or_else(|| {
            let chunk: &[u8; 64] = block
                .get(base..base + 64)
                .map_or(&short, |c| c.try_into().expect("64 bytes"));
            classify(chunk).shifted(pos - base)
        });
        let (inside, opens, closes) = if m.backslash == 0 && !escape {
            let carry = if in_string { !0 } else { 0 };
            let mut inside = prefix_xor(m.quote) ^ carry;
            // A raw line end inside a string ends it (the line was malformed).
            let mut broken = m.line_end & inside;
            let mut ends = 0u64;
            while broken != 0 {
                let bit = broken & broken.wrapping_neg();
                let above = !(bit | (bit - 1));
                ends |= bit;
                inside = (inside & !(above | bit)) | prefix_xor(m.quote & above);
                broken = m.line_end & inside;
            }
            in_string = inside >> 63 == 1;
            (inside, m.quote & inside, (m.quote & !inside) | ends)
        } else {
            let (escaped, escape_after) = escapes(m.backslash, escape);
            let quote = m.quote & !escaped;
            let inside = prefix_xor(quote) ^ u64::from(in_string).wrapping_neg();
            if m.backslash & !inside == 0 && m.line_end & inside == 0 {
                in_string = inside >> 63 == 1;
                escape = escape_after;
                (inside, quote & inside, quote & !inside)
            } else {
                // A backslash outside a string, or a raw line end inside one (which ends it):
                // byte by byte.
                let end = block.len().min(pos + 64);
                walk_escaped(&block[pos..end], &mut in_string, &mut escape)
            }
        };
        // A string with escapes but no trigger holds nothing to find: escapes make no digit or
        // `@` of other bytes (`\u0040` is written with digits).
        let wanted = m.trigger & inside & !opens;
        if wanted == 0 {
            last = last_closed(pos, opens, closes, open).or(last);
            open = string_start(pos, opens, open);
            newlines += u64::from(m.line_end.count_ones());
            pos = next_block(block, pos, in_string || m.quote != 0);
            continue;
        }
        // The string that holds the first wanted byte: where it opened, which string came
        // before it, and where it ends when that is in this block with no escape before.
        let k = wanted.trailing_zeros() as usize;
        let below = (1u64 << k) - 1;
        let s = string_start(pos, opens & below, open);
        last = last_closed(pos, opens, closes & below, open).or(last);
        // No line end lies inside a string: one that opened in an earlier block is on the
        // line `pos` is on.
        let line = if s >= pos {
            newlines + u64::from((m.line_end & ((1u64 << (s - pos)) - 1)).count_ones())
        } else {
            newlines
        };
        // Its end, when the string opened in this block, ends in it, and holds no backslash
        // (which would need decoding).
        let stops = closes & !below;
        let known_end = (s >= pos && stops != 0)
            .then(|| stops.trailing_zeros() as usize)
            .filter(|&e| m.backslash & ((1u64 << e) - (1u64 << (s - pos))) == 0)
            .map(|e| pos + e);
        // A key gives context on its own line only: lines are scanned as if each stood alone.
        let key = match last {
            Some((ps, pe))
                if pe - ps <= 64
                    && followed_by_colon(block, pe)
                    && !block[pe..s].contains(&b'\n') =>
            {
                &block[ps..pe]
            }
            _ => b"",
        };
        let end = scan_string(block, s, known_end, key, line, scratch, hits);
        newlines = line;
        last = Some((s, end));
        in_string = false;
        escape = false;
        // A raw line end that closed the string is counted by the next block. The string
        // holds the wanted byte, so the walk always moves past it.
        let resume = if block.get(end) == Some(&b'\n') {
            end
        } else {
            end + 1
        };
        debug_assert!(resume > pos + k, "the string ends after its wanted byte");
        pos = resume.max(pos + k + 1);
    }
    newlines
}

/// Where the walk goes after the 64 bytes at `pos`: the next 64, or, when they were all outside
/// strings with no quote (a run of numbers: an embedding, token ids), the next quote or line end.
#[inline(always)]
fn next_block(block: &[u8], pos: usize, saw_strings: bool) -> usize {
    let next = pos + 64;
    if saw_strings || next >= block.len() {
        return next;
    }
    memchr2(b'"', b'\n', &block[next..]).map_or(block.len(), |k| next + k)
}

/// What the JSON walk's first stage finds in a buffer: its line ends, and how many of its
/// 64-byte blocks hold a digit or `@` inside a string (where the detectors would run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FirstStage {
    pub line_ends: u64,
    pub blocks_with_triggers: u64,
}

/// The JSON walk's first stage alone, on the best instruction set the processor has: every
/// 64-byte block classified and its in-string bytes worked out from its quotes, and nothing
/// else (no escapes, no detectors). A benchmark's floor: no engine that reads every byte of a
/// corpus can take less time than this.
pub fn first_stage(data: &[u8]) -> FirstStage {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        if has_bit_ops() && has!("avx512bw") {
            // SAFETY: every feature the function enables was detected just above.
            return unsafe { first_stage_avx512(data) };
        }
        if has_bit_ops() && has!("avx2") {
            // SAFETY: every feature the function enables was detected just above.
            return unsafe { first_stage_avx2(data) };
        }
        // SAFETY: SSE2 is part of the x86_64 baseline.
        first_stage_with(data, |c| unsafe { find::x86::classify_sse2(c) }, prefix_xor)
    }
    #[cfg(not(target_arch = "x86_64"))]
    first_stage_with(data, find::classify_portable, prefix_xor)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512bw,pclmulqdq,popcnt,lzcnt,bmi1")]
fn first_stage_avx512(data: &[u8]) -> FirstStage {
    // SAFETY: this function only runs where its features are present.
    first_stage_with(
        data,
        |c| unsafe { find::x86::classify_avx512(c) },
        |x| unsafe { find::x86::prefix_xor_clmul(x) },
    )
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,pclmulqdq,popcnt,lzcnt,bmi1")]
fn first_stage_avx2(data: &[u8]) -> FirstStage {
    // SAFETY: this function only runs where its features are present.
    first_stage_with(
        data,
        |c| unsafe { find::x86::classify_avx2(c) },
        |x| unsafe { find::x86::prefix_xor_clmul(x) },
    )
}

#[inline(always)]
fn first_stage_with(
    data: &[u8],
    classify: impl Fn(&[u8; 64]) -> find::Masks,
    prefix_xor: impl Fn(u64) -> u64,
) -> FirstStage {
    let mut out = FirstStage::default();
    let mut in_string = 0u64;
    let mut tail = [b' '; 64];
    let blocks = data.chunks_exact(64);
    let rest = blocks.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    for chunk in blocks
        .map(|c| c.try_into().expect("64 bytes"))
        .chain([&tail])
    {
        let m = classify(chunk);
        out.line_ends += u64::from(m.line_end.count_ones());
        let inside = prefix_xor(m.quote) ^ in_string.wrapping_neg();
        out.blocks_with_triggers += u64::from(m.trigger & inside != 0);
        in_string = inside >> 63;
    }
    out
}

/// The raw start of the string opened by the last quote of `opens` in the block at `pos`, or
/// `earlier` (a string opened before the block) when `opens` is empty.
#[inline(always)]
fn string_start(pos: usize, opens: u64, earlier: usize) -> usize {
    match opens {
        0 => earlier,
        o => pos + 64 - o.leading_zeros() as usize,
    }
}

/// The last string closed by a bit of `closes` in the block at `pos` (raw start, end), its
/// opening quote among `opens` or, when none comes before, at `earlier`.
#[inline(always)]
fn last_closed(pos: usize, opens: u64, closes: u64, earlier: usize) -> Option<(usize, usize)> {
    (closes != 0).then(|| {
        let c = 63 - closes.leading_zeros() as usize;
        (
            string_start(pos, opens & ((1u64 << c) - 1), earlier),
            pos + c,
        )
    })
}

/// The bytes of a 64-byte block, other than backslashes, that a backslash escapes (reading
/// every backslash as inside a string), and whether the first byte of the next block is
/// escaped; `escape` says whether the first byte of this one is. A run of backslashes escapes
/// the byte after it when its length is odd: adding a run's start bit to the run carries past
/// its end, so the carry lands on the byte after each run, and the parity of the landing bit
/// against that of the start gives the run's parity (runs starting on even and on odd bits are
/// added separately).
#[inline(always)]
fn escapes(backslash: u64, escape: bool) -> (u64, bool) {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    if backslash == 0 && !escape {
        return (0, false);
    }
    let carried = u64::from(escape);
    // A backslash escaped from the previous block starts nothing.
    let b = backslash & !carried;
    let starts = b & !(b << 1);
    let after_even = b.wrapping_add(starts & EVEN) & !b;
    let (sum, overflow) = b.overflowing_add(starts & !EVEN);
    let after_odd = sum & !b;
    // From an even start, an odd run ends on an odd bit; from an odd start, on an even one.
    let escaped = after_even & !EVEN | after_odd & EVEN | carried & !backslash;
    (escaped, overflow)
}

/// Bit `k` of the result is the XOR of bits `0..=k` of `x`: from quote bits, the bytes inside a
/// string (its opening quote included, its closing quote not).
#[inline(always)]
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// The byte-by-byte walk of up to 64 bytes that hold a backslash (or start escaped) where the
/// bit operations of [`escapes`] do not hold: a backslash escapes the next byte inside a string
/// and means nothing outside one, and a raw line end ends a string even after one. Returns
/// the masks of the bytes inside strings, of the opening quotes and of the bytes that close a
/// string (a quote or a raw line end); `in_string` and `escape` carry over to the next block.
fn walk_escaped(bytes: &[u8], in_string: &mut bool, escape: &mut bool) -> (u64, u64, u64) {
    let (mut inside, mut opens, mut closes) = (0u64, 0u64, 0u64);
    for (k, &c) in bytes.iter().enumerate() {
        let bit = 1u64 << k;
        if !*in_string {
            if c == b'"' {
                opens |= bit;
                inside |= bit;
                *in_string = true;
            }
        } else if *escape && c != b'\n' {
            *escape = false;
            inside |= bit;
        } else if c == b'"' || c == b'\n' {
            // A raw line end ends the string even after a backslash (JSON has no escaped
            // line end), so every line starts outside a string.
            *escape = false;
            closes |= bit;
            *in_string = false;
        } else {
            *escape = c == b'\\';
            inside |= bit;
        }
    }
    (inside, opens, closes)
}

/// Scans the string whose raw bytes start at `s` on block line `line` and end at `known_end`
/// when the caller saw its end (escapes decoded, detectors run with `key` as context unless
/// the string is itself a key). Returns its end: the closing quote, the line end or the
/// block's end.
fn scan_string(
    block: &[u8],
    s: usize,
    known_end: Option<usize>,
    key: &[u8],
    line: u64,
    scratch: &mut Vec<u8>,
    hits: &mut Vec<Hit>,
) -> usize {
    let end = known_end.unwrap_or_else(|| string_end(block, s));
    let raw = &block[s..end];
    // Only a digit or `@` starts a detector: a string that decodes to none holds nothing to
    // find.
    let Some(first) = first_trigger(raw) else {
        return end;
    };
    // Detectors start at the first trigger of a string read in place (they look behind it for
    // context on their own); a decoded one is searched again.
    let (seg, from): (&[u8], usize) = if memchr(b'\\', raw).is_some() {
        unescape(raw, scratch);
        (scratch, 0)
    } else {
        (raw, first)
    };
    let key = if followed_by_colon(block, end) {
        b""
    } else {
        key
    };
    if !detect::is_identifier(seg) {
        detect::detect(seg, from, seg.len(), key, &mut |f| hits.push(hit(f, line)));
    }
    end
}

/// The first digit or `@` of a string's raw bytes that is one once the string is decoded:
/// the hex digits of a `\uXXXX` escape are passed over unless the escape stands for a digit or
/// `@` itself (`\u0040`). Escapes make no digit or `@` of other bytes, so `None` means the
/// decoded string holds none. Text that JSON writers put in `\u` escapes (`\u2019`, or every
/// character of a non-Latin script) thus costs no decoding and no detectors.
fn first_trigger(raw: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        let t = find::next_trigger(raw, i, raw.len())?;
        match unicode_escape_around(raw, t) {
            Some((end, cp)) if !matches!(cp, 0x30..=0x39 | 0x40) => i = end,
            _ => return Some(t),
        }
    }
}

/// The `\uXXXX` escape whose hex digits include the byte at `t`: where it ends and the code
/// unit it stands for.
fn unicode_escape_around(raw: &[u8], t: usize) -> Option<(usize, u32)> {
    (t.saturating_sub(4)..t).rev().find_map(|u| {
        let hex = raw.get(u + 1..u + 5)?;
        if raw[u] != b'u' || !escaped_at(raw, u) {
            return None;
        }
        let cp = hex
            .iter()
            .try_fold(0u32, |cp, &c| Some(cp << 4 | char::from(c).to_digit(16)?))?;
        Some((u + 5, cp))
    })
}

/// The end of the string whose raw bytes start at `s`: its closing quote (one with an even
/// number of backslashes before it), a raw line end (which ends a string even after a
/// backslash: JSON has no escaped line end), or the block's end.
fn string_end(block: &[u8], s: usize) -> usize {
    let mut j = s;
    while let Some(k) = memchr2(b'"', b'\n', &block[j..]) {
        let at = j + k;
        if block[at] == b'\n' || !escaped_at(&block[s..], at - s) {
            return at;
        }
        j = at + 1;
    }
    block.len()
}

/// Whether the byte at `at` of a string's raw bytes is escaped: an odd number of backslashes
/// stands right before it.
fn escaped_at(raw: &[u8], at: usize) -> bool {
    raw[..at].iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1
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
    out.reserve(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let Some(k) = memchr(b'\\', &raw[i..]) else {
            out.extend_from_slice(&raw[i..]);
            break;
        };
        out.extend_from_slice(&raw[i..i + k]);
        i += k;
        let e = raw.get(i + 1).copied().unwrap_or(b' ');
        i += 2;
        match e {
            b'n' | b'r' | b't' | b'b' | b'f' => out.push(b' '),
            b'u' => {
                let hex = |at: usize| {
                    raw.get(at..at + 4)?
                        .iter()
                        .try_fold(0u32, |cp, &c| Some(cp << 4 | char::from(c).to_digit(16)?))
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
    fn new(syntax: Syntax<'_>) -> LongLine {
        LongLine {
            json: syntax.is_json(),
            in_string: !syntax.is_json(),
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

/// Where the records of a stream end: at its line ends, or in CSV at the line ends outside
/// quoted cells, told apart by quote parity ([`cells::record_ends`]). Each search is told
/// whether the bytes it gets start inside a quoted cell (`open`, always false but in CSV).
#[derive(Debug, Clone, Copy)]
struct Ends {
    quoted: bool,
}

impl Ends {
    const LINES: Ends = Ends { quoted: false };

    fn of(syntax: Syntax<'_>) -> Ends {
        Ends {
            quoted: matches!(syntax, Syntax::Delimited(header) if header.quoted()),
        }
    }

    fn first(self, bytes: &[u8], open: bool) -> Option<usize> {
        if self.quoted {
            cells::record_ends(bytes, open).next()
        } else {
            memchr(b'\n', bytes)
        }
    }

    fn last(self, bytes: &[u8], open: bool) -> Option<usize> {
        if self.quoted {
            cells::last_record_end(bytes, open)
        } else {
            memrchr(b'\n', bytes)
        }
    }

    /// Whether the bytes after `bytes` start inside a quoted cell.
    fn after(self, bytes: &[u8], open: bool) -> bool {
        self.quoted && open ^ cells::odd_quotes(bytes)
    }
}

/// Scans the records (lines, but in CSV) that start in `start..end` of the file at `path` (a
/// record that starts in the region is read to its end, however far that is). `open` says that
/// the file holds an odd number of quotes before `start`, so that in CSV `start` is inside a
/// quoted cell (other syntaxes do not read it).
///
/// Records are read in chunks of whole records; a CSV record longer than a chunk is read line
/// by line, and any line longer than a chunk streams through a `LongLine`. Which of these a
/// record gets depends on its own length only, never on where a chunk or region began.
pub fn scan_region(
    path: &Path,
    start: u64,
    end: u64,
    syntax: Syntax<'_>,
    open: bool,
) -> io::Result<RegionScan> {
    let mut out = RegionScan::default();
    if end <= start {
        // No record starts in an empty region.
        return Ok(out);
    }
    let ends = Ends::of(syntax);
    let open = open && ends.quoted;
    let mut file = File::open(path)?;
    let mut pos = start;
    if start > 0 {
        // Skip the tail of the record the previous region owns.
        file.seek(SeekFrom::Start(start - 1))?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut odd = open;
        let mut first = true;
        pos = start - 1; // file offset of buf[0]
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                return Ok(out);
            }
            if first && buf[0] == b'\n' && !odd {
                pos = start;
                break;
            }
            let from = usize::from(first);
            if let Some(k) = ends.first(&buf[from..n], odd) {
                pos += (from + k + 1) as u64;
                break;
            }
            odd = ends.after(&buf[from..n], odd);
            pos += n as u64;
            first = false;
        }
        if pos >= end {
            return Ok(out);
        }
        file.seek(SeekFrom::Start(pos))?;
    }
    // A CSV window that reaches the end of the file is read whole, as the mapped scan reads it,
    // even when it fills the buffer.
    let len = if ends.quoted {
        file.metadata()?.len()
    } else {
        u64::MAX
    };
    let mut buf = vec![0u8; CHUNK_BYTES];
    let mut filled = 0usize;
    let mut buf_pos = pos; // file offset of buf[0]
    // Whether buf[0] is inside a record (the lines of one longer than a chunk).
    let mut inside = false;
    let mut scratch = Vec::new();
    let mut long: Option<LongLine> = None;
    let mut block_hits = Vec::new();
    loop {
        let n = file.read(&mut buf[filled..])?;
        filled += n;
        let eof = n == 0 || buf_pos + filled as u64 >= len;
        if let Some(line) = &mut long {
            // Inside a line longer than a chunk: feed up to its end.
            match memchr(b'\n', &buf[..filled]) {
                Some(k) => {
                    line.feed(&buf[..k], out.newlines, &mut out.hits);
                    line.close(out.newlines, &mut out.hits);
                    long = None;
                    inside = ends.after(&buf[..k], inside);
                    out.newlines += 1;
                    out.bytes += k as u64 + 1;
                    buf.copy_within(k + 1..filled, 0);
                    buf_pos += k as u64 + 1;
                    filled -= k + 1;
                    if buf_pos >= end && !inside {
                        return Ok(out);
                    }
                }
                None => {
                    line.feed(&buf[..filled], out.newlines, &mut out.hits);
                    inside = ends.after(&buf[..filled], inside);
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
        // Complete records owned by this region: up to the record end at or after `end - 1`.
        let owned_limit = (end.saturating_sub(1).saturating_sub(buf_pos)) as usize;
        let cut = if owned_limit < filled {
            let at_limit = ends.after(&buf[..owned_limit], inside);
            ends.first(&buf[owned_limit..filled], at_limit)
                .map(|k| (owned_limit + k + 1, true, false))
        } else {
            None
        };
        // The cut, whether it is the last, and whether the bytes after it are inside a record.
        let (cut, last, inside_after) = match cut {
            Some(c) => c,
            None => match ends.last(&buf[..filled], inside) {
                Some(k) => (k + 1, false, false),
                None if eof => (filled, true, false),
                None if filled == buf.len() => {
                    // The lines of a CSV record longer than a chunk.
                    let lines = ends.quoted.then(|| memrchr(b'\n', &buf[..filled]));
                    if let Some(k) = lines.flatten() {
                        (k + 1, false, true)
                    } else {
                        let mut line = LongLine::new(syntax);
                        line.feed(&buf[..filled], out.newlines, &mut out.hits);
                        inside = ends.after(&buf[..filled], inside);
                        out.bytes += filled as u64;
                        buf_pos += filled as u64;
                        filled = 0;
                        long = Some(line);
                        continue;
                    }
                }
                None => (0, false, inside),
            },
        };
        if cut > 0 {
            let block = &buf[..cut];
            block_hits.clear();
            let newlines = scan_block(block, syntax, inside, &mut scratch, &mut block_hits);
            for mut h in block_hits.drain(..) {
                h.line += out.newlines;
                out.hits.push(h);
            }
            out.newlines += newlines;
            out.bytes += cut as u64;
            buf.copy_within(cut..filled, 0);
            filled -= cut;
            buf_pos += cut as u64;
            inside = inside_after;
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

/// Scans the records that start in `start..end` of `data`, the file (from some offset to its
/// end) mapped into memory, `open` as for [`scan_region`]: the same result as [`scan_region`]
/// with no copy. Lines longer than a chunk stream through a [`LongLine`] window as they do
/// there, so the heap stays small; the caller unmaps the pages once the region is done.
pub fn scan_region_mapped(
    data: &[u8],
    start: usize,
    end: usize,
    syntax: Syntax<'_>,
    open: bool,
) -> RegionScan {
    let mut out = RegionScan::default();
    let ends = Ends::of(syntax);
    let std::ops::Range {
        start: mut pos,
        end: stop,
    } = owned(data, start, end, ends, open);
    // Whether `pos` is inside a record (the lines of one longer than a chunk).
    let mut inside = false;
    let mut scratch = Vec::new();
    let mut block_hits = Vec::new();
    while pos < stop {
        let limit = (pos + CHUNK_BYTES).min(stop);
        let window = &data[pos..limit];
        // The cut, and whether the bytes after it are inside a record.
        let cut = if limit == stop {
            Some((stop, false))
        } else if let Some(k) = ends.last(window, inside) {
            Some((pos + k + 1, false))
        } else if ends.quoted {
            // The lines of a CSV record longer than a chunk.
            memrchr(b'\n', window).map(|k| (pos + k + 1, true))
        } else {
            None
        };
        let Some((cut, inside_after)) = cut else {
            // A line longer than a chunk.
            let line_end = memchr(b'\n', &data[pos..stop]).map_or(stop, |k| pos + k);
            let mut line = LongLine::new(syntax);
            for piece in data[pos..line_end].chunks(CHUNK_BYTES) {
                line.feed(piece, out.newlines, &mut out.hits);
            }
            line.close(out.newlines, &mut out.hits);
            inside = ends.after(&data[pos..line_end], inside);
            let with_end = (line_end + 1).min(stop);
            out.newlines += u64::from(line_end < stop);
            out.bytes += (with_end - pos) as u64;
            pos = with_end;
            continue;
        };
        block_hits.clear();
        let newlines = scan_block(
            &data[pos..cut],
            syntax,
            inside,
            &mut scratch,
            &mut block_hits,
        );
        for mut h in block_hits.drain(..) {
            h.line += out.newlines;
            out.hits.push(h);
        }
        out.newlines += newlines;
        out.bytes += (cut - pos) as u64;
        pos = cut;
        inside = inside_after;
    }
    out
}

/// Runs `f` on a memory map of `file` from just before byte `start` to the file's end (`len`
/// bytes long), with `start` and `end` as offsets into that map; the map is dropped (and its
/// pages with it) when `f` returns, so the resident set stays near the regions in flight.
/// `None` when the file cannot be mapped, or shrank under the map while `f` read it (the
/// caller reads it instead). `f` reads the map on the calling thread only.
pub fn with_mapped_region<T>(
    file: &File,
    len: u64,
    start: u64,
    end: u64,
    f: impl FnOnce(&[u8], usize, usize) -> T,
) -> Option<T> {
    const PAGE: u64 = 4096;
    // The byte before `start` says whether a line starts there.
    let from = start.saturating_sub(1) / PAGE * PAGE;
    // SAFETY: the map is only read, and only under `read_guarded`: a file truncated by another
    // process while it is mapped faults the read, which the guard turns into `None`. aibom
    // never writes to a scanned file.
    let map = unsafe {
        memmap2::MmapOptions::new()
            .offset(from)
            .len(usize::try_from(len.checked_sub(from)?).ok()?)
            .map(file)
    }
    .ok()?;
    let (start, end) = ((start - from) as usize, (end - from) as usize);
    crate::artifact::mapped::read_guarded(&map, |data| f(data, start, end))
}

/// The bytes of the lines that start in `start..end` of `data` (a line that starts there is
/// owned to its end, line end included, however far that is).
pub fn owned_lines(data: &[u8], start: usize, end: usize) -> std::ops::Range<usize> {
    owned(data, start, end, Ends::LINES, false)
}

/// The bytes of the records that start in `start..end` of `data` (a record that starts there is
/// owned to its end, however far that is), `open` when `start` is inside a quoted cell.
fn owned(data: &[u8], start: usize, end: usize, ends: Ends, open: bool) -> std::ops::Range<usize> {
    let len = data.len();
    let open = open && ends.quoted;
    let mut pos = start.min(len);
    if end <= start {
        // No record starts in an empty region.
        return pos..pos;
    }
    if start > 0 && start <= len && (data[start - 1] != b'\n' || open) {
        // Skip the tail of the record the previous region owns.
        pos = ends
            .first(&data[start..], open)
            .map_or(len, |k| start + k + 1);
    }
    let stop = if end >= len {
        len
    } else {
        // The record end at or after `end - 1`.
        let from = end - 1;
        let open = ends.after(&data[start..from], open);
        ends.first(&data[from..], open)
            .map_or(len, |k| from + k + 1)
    };
    pos..stop.max(pos)
}

/// Scans a whole text file region by region: in turn on one thread, else in parallel in waves
/// of eight regions per pool thread (a wave's matches are held until it is merged). `merge`
/// receives each region's result in file order. A CSV file of several regions is read twice:
/// first each region's quotes are counted (in parallel), so that each region knows from the
/// parity of the quotes before it whether it starts inside a quoted cell.
pub fn scan_text_file(
    path: &Path,
    format: CorpusFormat,
    merge: &mut dyn FnMut(RegionScan),
) -> io::Result<()> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    let len = meta.len();
    let header = Header::read(&file, format)?;
    let syntax = Syntax::of(format, &header);
    let threads = rayon::current_num_threads().max(1);
    // Regular files are memory-mapped region by region; anything else is read.
    let mappable = meta.is_file() && len > 0;
    let scan = |(s, e, open): (u64, u64, bool)| {
        let mapped = mappable.then(|| {
            with_mapped_region(&file, len, s, e, |data, s, e| {
                scan_region_mapped(data, s, e, syntax, open)
            })
        });
        match mapped {
            Some(Some(region)) => Ok(region),
            _ => scan_region(path, s, e, syntax, open),
        }
    };
    let bounds: Vec<(u64, u64)> = (0..len.div_ceil(REGION_BYTES).max(1))
        .map(|i| (i * REGION_BYTES, ((i + 1) * REGION_BYTES).min(len).max(1)))
        .collect();
    let open = if Ends::of(syntax).quoted && bounds.len() > 1 {
        starts_open(&file, path, len, mappable, &bounds)?
    } else {
        vec![false; bounds.len()]
    };
    let regions: Vec<(u64, u64, bool)> = bounds
        .iter()
        .zip(open)
        .map(|(&(s, e), open)| (s, e, open))
        .collect();
    if threads == 1 || regions.len() == 1 {
        for &region in &regions {
            merge(scan(region)?);
        }
        return Ok(());
    }
    for wave in regions.chunks(threads * 8) {
        let results: Vec<io::Result<RegionScan>> =
            wave.par_iter().map(|&region| scan(region)).collect();
        for r in results {
            merge(r?);
        }
    }
    Ok(())
}

/// Whether each region of a CSV file starts inside a quoted cell: the parity of the quotes
/// before it, from each region's own count (in parallel, mapped or else read) and a prefix XOR.
fn starts_open(
    file: &File,
    path: &Path,
    len: u64,
    mappable: bool,
    regions: &[(u64, u64)],
) -> io::Result<Vec<bool>> {
    let odd: Vec<io::Result<bool>> = regions
        .par_iter()
        .map(|&(s, e)| {
            let mapped = mappable.then(|| {
                with_mapped_region(file, len, s, e, |data, s, e| cells::odd_quotes(&data[s..e]))
            });
            match mapped.flatten() {
                Some(odd) => Ok(odd),
                None => read_odd_quotes(path, s, e),
            }
        })
        .collect();
    let mut before = false;
    odd.into_iter()
        .map(|odd| {
            let open = before;
            before ^= odd?;
            Ok(open)
        })
        .collect()
}

/// Whether bytes `start..end` of the file at `path` hold an odd number of quotes, read.
fn read_odd_quotes(path: &Path, start: u64, end: u64) -> io::Result<bool> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut region = file.take(end.saturating_sub(start));
    let mut buf = vec![0u8; CHUNK_BYTES];
    let mut odd = false;
    loop {
        match region.read(&mut buf)? {
            0 => return Ok(odd),
            n => odd ^= cells::odd_quotes(&buf[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{escapes, first_trigger, unescape};
    use crate::test_support::{random_bytes, xorshift};

    /// A raw string has a first trigger exactly when its decoded form holds a digit or `@`,
    /// and that trigger is a raw digit or `@` itself: random strings of escapes, hex digits,
    /// backslashes and letters.
    #[test]
    fn first_trigger_is_one_once_decoded() {
        let pieces: &[&[u8]] = &[
            b"\\u2019", b"\\u00e9", b"\\u0040", b"\\u0037", b"\\u004", b"\\\\", b"\\", b"\\n",
            b"\\\"", b"u2019", b"u", b"7", b"@", b"ab", b"e9", b" ",
        ];
        let mut decoded = Vec::new();
        for raw in random_bytes(pieces, 0x2545_F491_4F6C_DD1D, 50_000, 10) {
            unescape(&raw, &mut decoded);
            let holds = decoded.iter().any(|&c| c.is_ascii_digit() || c == b'@');
            let first = first_trigger(&raw);
            let text = String::from_utf8_lossy(&raw);
            assert_eq!(first.is_some(), holds, "{text:?}");
            if let Some(t) = first {
                assert!(raw[t].is_ascii_digit() || raw[t] == b'@', "{text:?}");
            }
        }
    }

    /// The escaped bytes (backslashes aside) of random backslash masks, each with and without
    /// an escape carried in, against a walk from the first byte to the last.
    #[test]
    fn escapes_agree_with_a_walk() {
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
        for round in 0..200_000 {
            let x = next();
            // Dense and sparse masks, long runs included.
            let backslash = match round % 4 {
                0 => x,
                1 => x & x.rotate_left(7),
                2 => x | x.rotate_left(3),
                _ => x & x.rotate_left(11) & x.rotate_left(29),
            };
            for carried in [false, true] {
                let (mut escaped, mut escape) = (0u64, carried);
                for k in 0..64 {
                    if escape {
                        escaped |= 1 << k;
                        escape = false;
                    } else {
                        escape = backslash >> k & 1 == 1;
                    }
                }
                assert_eq!(
                    escapes(backslash, carried),
                    (escaped & !backslash, escape),
                    "{backslash:064b} carried {carried}"
                );
            }
        }
    }
}
