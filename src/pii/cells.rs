//! CSV and TSV lines cut into cells, and the header whose column names the cells under them get
//! as their key, as a JSON value gets its key: `ssn`, `zip` or `card_number` over a column of
//! bare numbers is the context a hotword gives in text.
//!
//! Lines are cut one at a time, as the scan reads them: a quoted CSV cell that holds a line end
//! leaves the lines it spans with a cell count of their own, and their cells get no column name.

use std::fs::File;
use std::io::{self, Read};
use std::ops::Range;

use crate::artifact::corpus::CorpusFormat;

/// A header line longer than this is not read for column names.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The column names of a delimited file, from its first line; empty for other formats.
#[derive(Debug, Default, Clone)]
pub struct Header {
    /// `,` or `\t`.
    pub sep: u8,
    names: Vec<Box<[u8]>>,
}

impl Header {
    /// The header of a `format` file whose first line is `first` (with or without its line
    /// end).
    pub fn parse(first: &[u8], format: CorpusFormat) -> Header {
        let sep = match format {
            CorpusFormat::Csv => b',',
            CorpusFormat::Tsv => b'\t',
            _ => return Header::default(),
        };
        let first = first.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(first);
        let line = first.split(|&c| c == b'\n').next().unwrap_or_default();
        let mut cells = Vec::new();
        split(line, sep, &mut cells);
        Header {
            sep,
            names: cells
                .into_iter()
                .map(|r| line[r].trim_ascii().into())
                .collect(),
        }
    }

    /// The header of `file`, a `format` file read from its current position (its start): no
    /// names when its first line is longer than [`MAX_HEADER_BYTES`]. Other formats are not
    /// read.
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

/// Cuts `line` into the ranges of its cells' values (inside the quotes of a quoted CSV cell),
/// replacing what `cells` held. TSV cells are not quoted.
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
}
