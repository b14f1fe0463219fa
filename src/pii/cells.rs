//! CSV and TSV records cut into cells, and the header whose column names the cells under them
//! get as their key, as a JSON value gets its key: `ssn`, `zip` or `card_number` over a column of
//! bare numbers is the context a hotword gives in text.
//!
//! A CSV record ends at a line end outside quotes (RFC 4180: a quoted cell may hold line ends).
//! Whether a line end is outside quotes is decided by quote parity alone, as parallel CSV
//! parsers decide it: a line end ends a record when the file holds an even number of `"` before
//! it (a doubled quote `""` inside a quoted cell counts twice and keeps the parity). That needs
//! no state but one bit, so a file cut anywhere can be read from the cut once the parity of the
//! bytes before it is known ([`odd_quotes`]), and the primitives here take that bit as `open`:
//! the bytes start inside a quoted cell. A stray quote in an unquoted cell (`12" screen`) flips
//! the parity for the rest of the file; the scan then checks each record it is given
//! ([`line_ends_quoted`]) and reads one that does not hold together line by line. TSV is not
//! quoted: its records are its lines.

use std::fs::File;
use std::io::{self, Read};
use std::ops::Range;

use memchr::{memchr_iter, memchr2_iter, memrchr2_iter};

use crate::artifact::corpus::CorpusFormat;

/// A header line longer than this is not read for column names.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The column names of a delimited file, from its first record; empty for other formats.
#[derive(Debug, Default, Clone)]
pub struct Header {
    /// `,` or `\t`.
    pub sep: u8,
    names: Vec<Box<[u8]>>,
}

impl Header {
    /// The header of a `format` file that starts with `first`: its first record when that holds
    /// together ([`line_ends_quoted`]: in CSV, a name may be a quoted cell that holds a line
    /// end), else its first line.
    pub fn parse(first: &[u8], format: CorpusFormat) -> Header {
        let sep = match format {
            CorpusFormat::Csv => b',',
            CorpusFormat::Tsv => b'\t',
            _ => return Header::default(),
        };
        let first = first.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(first);
        let line = &first[..memchr::memchr(b'\n', first).unwrap_or(first.len())];
        let mut cells = Vec::new();
        let mut record = line;
        if sep == b',' && line.len() < first.len() && odd_quotes(line) {
            let whole = &first[..record_ends(first, false).next().unwrap_or(first.len())];
            split(whole, sep, &mut cells);
            if line_ends_quoted(whole, &cells) {
                record = whole;
            }
        }
        split(record, sep, &mut cells);
        Header {
            sep,
            names: cells
                .into_iter()
                .map(|r| record[r].trim_ascii().into())
                .collect(),
        }
    }

    /// Whether the cells are quoted (CSV), so that a record may span lines.
    pub fn quoted(&self) -> bool {
        self.sep == b','
    }

    /// The number of columns.
    pub fn columns(&self) -> usize {
        self.names.len()
    }

    /// The header of `file`, a `format` file read from its current position (its start): no
    /// names when its first line is longer than [`MAX_HEADER_BYTES`] (a header record of several
    /// lines is read when it fits). Other formats are not read.
    pub fn read(mut file: &File, format: CorpusFormat) -> io::Result<Header> {
        if !matches!(format, CorpusFormat::Csv | CorpusFormat::Tsv) {
            return Ok(Header::default());
        }
        let mut first = Vec::new();
        Read::by_ref(&mut file)
            .take(MAX_HEADER_BYTES as u64 + 1)
            .read_to_end(&mut first)?;
        let too_long =
            first.len() > MAX_HEADER_BYTES && !first[..MAX_HEADER_BYTES].contains(&b'\n');
        Ok(Header::parse(if too_long { b"" } else { &first }, format))
    }

    /// The name of column `i` of a line of `cells` cells: empty when the line has another
    /// number of cells than the header, so a cell is never given the name of another column.
    pub fn name(&self, i: usize, cells: usize) -> &[u8] {
        if cells == self.names.len() {
            &self.names[i]
        } else {
            b""
        }
    }
}

/// Cuts `line` (a line, or a whole CSV record without its last line end) into the ranges of its
/// cells' values (inside the quotes of a quoted CSV cell, line ends included), replacing what
/// `cells` held. TSV cells are not quoted.
pub fn split(line: &[u8], sep: u8, cells: &mut Vec<Range<usize>>) {
    cells.clear();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let quoting = sep == b',';
    let mut i = 0;
    loop {
        let lead = i + line[i..].iter().take_while(|&&c| c == b' ').count();
        if quoting && line.get(lead) == Some(&b'"') {
            // To the quote not doubled; a cell left open runs to the end of the line.
            let open = lead + 1;
            let mut j = open;
            let close = loop {
                match memchr::memchr(b'"', &line[j..]) {
                    Some(k) if line.get(j + k + 1) == Some(&b'"') => j += k + 2,
                    Some(k) => break j + k,
                    None => break line.len(),
                }
            };
            cells.push(open..close);
            i = memchr::memchr(sep, &line[close.min(line.len())..])
                .map_or(line.len(), |k| close + k);
        } else {
            let end = memchr::memchr(sep, &line[i..]).map_or(line.len(), |k| i + k);
            cells.push(i..end);
            i = end;
        }
        if i >= line.len() {
            return;
        }
        i += 1;
        if i == line.len() {
            // A trailing separator: one more, empty cell.
            cells.push(i..i);
            return;
        }
    }
}

/// Whether `bytes` hold an odd number of `"`: the parity a CSV stream carries over a cut.
pub fn odd_quotes(bytes: &[u8]) -> bool {
    // memchr counts with vector instructions.
    memchr_iter(b'"', bytes).count() % 2 == 1
}

/// The line ends of `bytes` that end a CSV record: those with an even number of quotes before
/// them, counting one more when `open` (the bytes start inside a quoted cell).
pub fn record_ends(bytes: &[u8], open: bool) -> impl Iterator<Item = usize> + '_ {
    records(bytes, open).map(|(end, _)| end)
}

/// The CSV records of `bytes` as [`record_ends`] finds them, each as its line end and the
/// number of line ends inside it (after the previous record's end).
pub fn records(bytes: &[u8], open: bool) -> impl Iterator<Item = (usize, usize)> + '_ {
    let (mut odd, mut inside) = (open, 0);
    memchr2_iter(b'"', b'\n', bytes).filter_map(move |i| {
        if bytes[i] == b'"' {
            odd = !odd;
            None
        } else if odd {
            inside += 1;
            None
        } else {
            Some((i, std::mem::take(&mut inside)))
        }
    })
}

/// The last line end of `bytes` that ends a CSV record ([`record_ends`]), found from the back:
/// the quotes are counted once, and the walk back stops at the first line end with an even
/// number of quotes before it.
pub fn last_record_end(bytes: &[u8], open: bool) -> Option<usize> {
    // The parity before the byte the walk is at, starting past the end.
    let mut odd = open ^ odd_quotes(bytes);
    memrchr2_iter(b'"', b'\n', bytes).find(|&i| {
        if bytes[i] == b'"' {
            odd = !odd;
            false
        } else {
            !odd
        }
    })
}

/// Whether every line end in `record` (a CSV record without its last line end, cut by [`split`]
/// into `cells`) lies inside a quoted cell that is closed: then the record holds together, and
/// its cells are the header's columns when as many. A stray quote (`12" screen`), text after a
/// closing quote (`"a"b`) or a quote never closed leaves a line end elsewhere.
pub fn line_ends_quoted(record: &[u8], cells: &[Range<usize>]) -> bool {
    // The bytes outside closed quoted cells, from one to the next.
    let mut outside = 0;
    for c in cells {
        if c.start > 0 && record[c.start - 1] == b'"' && record.get(c.end) == Some(&b'"') {
            if memchr::memchr(b'\n', &record[outside..c.start]).is_some() {
                return false;
            }
            outside = c.end + 1;
        }
    }
    memchr::memchr(b'\n', &record[outside..]).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(line: &str, sep: u8) -> Vec<&str> {
        let mut v = Vec::new();
        split(line.as_bytes(), sep, &mut v);
        v.into_iter().map(|r| &line[r]).collect()
    }

    #[test]
    fn csv_cells_with_quotes() {
        assert_eq!(cells("a,b,c", b','), ["a", "b", "c"]);
        assert_eq!(cells("a,,c,\r", b','), ["a", "", "c", ""]);
        assert_eq!(
            cells(r#"1,"Acme, Inc.","say ""hi""",x"#, b','),
            ["1", "Acme, Inc.", r#"say ""hi"""#, "x"]
        );
        assert_eq!(cells(r#" "a" ,b"#, b','), ["a", "b"]);
        assert_eq!(
            cells(r#"a,"open, to the end"#, b','),
            ["a", "open, to the end"]
        );
        assert_eq!(cells("", b','), [""]);
        assert_eq!(cells("\"", b','), [""]);
    }

    #[test]
    fn tsv_cells_are_not_quoted() {
        assert_eq!(cells("a\t\"b\tc", b'\t'), ["a", "\"b", "c"]);
    }

    #[test]
    fn header_names_columns_of_lines_with_as_many_cells() {
        let h = Header::parse(
            b"\xEF\xBB\xBFid, \"Card Number\",note\nx,y,z\n",
            CorpusFormat::Csv,
        );
        assert_eq!(h.name(1, 3), b"Card Number");
        assert_eq!(h.name(0, 3), b"id");
        assert_eq!(h.name(1, 4), b"");
    }

    #[test]
    fn header_may_span_lines_when_it_holds_together() {
        let h = Header::parse(b"id,\"full\nname\",ssn\r\n1,x,2\n", CorpusFormat::Csv);
        assert_eq!((h.columns(), h.name(1, 3)), (3, &b"full\nname"[..]));
        // A stray quote: the first line, as before.
        let h = Header::parse(b"id,size\",ssn\n1,\"x\",2\n", CorpusFormat::Csv);
        assert_eq!((h.columns(), h.name(1, 3)), (3, &b"size\""[..]));
        // TSV is not quoted.
        let h = Header::parse(b"id\t\"a\nb\"\tc\n", CorpusFormat::Tsv);
        assert_eq!(h.columns(), 2);
    }

    #[test]
    fn record_ends_follow_quote_parity() {
        let data = b"a,\"x\ny\"\"z\"\nb,c\n\"\n";
        let ends: Vec<usize> = record_ends(data, false).collect();
        assert_eq!(ends, [10, 14]);
        // The same bytes read from inside a quoted cell.
        assert_eq!(record_ends(data, true).collect::<Vec<_>>(), [4, 16]);
        assert_eq!(last_record_end(data, false), Some(14));
        assert_eq!(last_record_end(data, true), Some(16));
        assert_eq!(last_record_end(&data[..10], false), None);
        assert_eq!(last_record_end(b"", true), None);
        assert!(!odd_quotes(&data[..10]) && odd_quotes(data) && !odd_quotes(b""));
        // Every cut agrees with one walk over the whole.
        for cut in 0..=data.len() {
            let open = odd_quotes(&data[..cut]);
            let tail: Vec<usize> = record_ends(&data[cut..], open).map(|k| cut + k).collect();
            let whole: Vec<usize> = record_ends(data, false).filter(|&k| k >= cut).collect();
            assert_eq!(tail, whole, "cut at {cut}");
            let last = last_record_end(&data[..cut], false);
            assert_eq!(last, whole_before(data, cut), "cut at {cut}");
        }
    }

    fn whole_before(data: &[u8], cut: usize) -> Option<usize> {
        record_ends(data, false).take_while(|&k| k < cut).last()
    }

    #[test]
    fn a_record_holds_together_when_its_line_ends_are_quoted() {
        let holds = |record: &str| {
            let mut v = Vec::new();
            split(record.as_bytes(), b',', &mut v);
            (v.len(), line_ends_quoted(record.as_bytes(), &v))
        };
        assert_eq!(holds("1,\"a\r\nb, \"\"c\"\"\nd\",2"), (3, true));
        assert_eq!(holds("1,2"), (2, true));
        // A stray quote in an unquoted cell, text after a closing quote, a quote never closed.
        assert_eq!(holds("1,12\" screen,2\n3,27\" tv,4"), (5, false));
        assert_eq!(holds("1,\"a\"b\nc\",2"), (3, false));
        assert_eq!(holds("1,\"open\n2,3"), (2, false));
    }
}
