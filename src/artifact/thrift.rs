//! A walk over Thrift compact-protocol bytes (Parquet footers and page headers) that only checks
//! their counts.
//!
//! In the compact protocol every element of a list, set or map takes at least one byte, booleans
//! included. A decoder that skips an unknown boolean list without reading a byte per element
//! loops as often as the list's header says, up to 2^31 times for five bytes of input. This walk
//! refuses any count larger than the bytes left before the decoder sees them, so the work of
//! decoding stays bounded by the size of the input.

/// Deeper nesting than this is refused (the Parquet decoder refuses it too).
const MAX_DEPTH: usize = 64;

/// Checks that `bytes` hold one Thrift struct whose nesting and element counts the bytes can
/// back. The error says what was wrong and at which byte.
pub fn check_struct(bytes: &[u8]) -> Result<(), String> {
    Walk::new(bytes).value(STRUCT, 0)
}

/// The sizes a Parquet page header declares, and the header's own length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSizes {
    /// Bytes the header takes before the page's data.
    pub header: usize,
    /// Field 2, `uncompressed_page_size`.
    pub uncompressed: i64,
    /// Field 3, `compressed_page_size`: the bytes of page data after the header.
    pub compressed: i64,
}

/// Checks the Thrift struct at the start of `bytes` as [`check_struct`] does, and reads the
/// sizes of a Parquet `PageHeader` from it. `Ok(None)` means `bytes` end before the header
/// can be told complete (a count or length runs past them): more bytes may finish it. A header
/// without both sizes is an error.
pub fn page_header(bytes: &[u8]) -> Result<Option<PageSizes>, String> {
    let mut walk = Walk::new(bytes);
    // The value of fields 2 and 3 when they are i32s: where their varints start.
    let mut sizes = [None, None];
    let fields = walk.fields(0, &mut |field, kind, at| {
        if matches!(field, 2 | 3) && kind == I32 {
            sizes[(field - 2) as usize] = Some(at);
        }
    });
    match fields {
        Err(_) if walk.truncated => Ok(None),
        Err(e) => Err(e),
        Ok(()) => {
            let read = |at: Option<usize>| {
                let mut value = Walk::new(bytes);
                value.pos = at?;
                value.varint().ok().map(zigzag)
            };
            match (read(sizes[0]), read(sizes[1])) {
                (Some(uncompressed), Some(compressed)) => Ok(Some(PageSizes {
                    header: walk.pos,
                    uncompressed,
                    compressed,
                })),
                _ => Err("Parquet page header without its page sizes".to_owned()),
            }
        }
    }
}

fn zigzag(n: u64) -> i64 {
    (n >> 1) as i64 ^ -((n & 1) as i64)
}

const BOOL_TRUE: u8 = 1;
const BOOL_FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;
const UUID: u8 = 13;

struct Walk<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Set when a check failed only because the bytes ran out.
    truncated: bool,
}

impl<'a> Walk<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Walk {
            bytes,
            pos: 0,
            truncated: false,
        }
    }

    fn left(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn byte(&mut self) -> Result<u8, String> {
        let Some(&b) = self.bytes.get(self.pos) else {
            self.truncated = true;
            return Err(format!("Thrift ends early at byte {}", self.pos));
        };
        self.pos += 1;
        Ok(b)
    }

    fn skip(&mut self, n: usize) -> Result<(), String> {
        if n > self.left() {
            self.truncated = true;
            return Err(format!(
                "Thrift value of {n} bytes at byte {} runs past the end",
                self.pos
            ));
        }
        self.pos += n;
        Ok(())
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(format!("Thrift varint too long at byte {}", self.pos))
    }

    /// A count of elements, each at least one byte long.
    fn count(&mut self, n: u64) -> Result<usize, String> {
        match usize::try_from(n) {
            Ok(n) if n <= self.left() => Ok(n),
            _ => {
                self.truncated = true;
                Err(format!(
                    "Thrift collection of {n} elements at byte {} has only {} bytes left",
                    self.pos,
                    self.left()
                ))
            }
        }
    }

    /// The fields of a struct up to its stop byte; `on_field` gets each field's id, type and
    /// the byte its value starts at.
    fn fields(
        &mut self,
        depth: usize,
        on_field: &mut dyn FnMut(i64, u8, usize),
    ) -> Result<(), String> {
        let mut field = 0i64;
        loop {
            let head = self.byte()?;
            if head == 0 {
                return Ok(());
            }
            field = match head >> 4 {
                // A field id that does not fit the delta: a zigzag i16 follows.
                0 => zigzag(self.varint()?),
                delta => field + i64::from(delta),
            };
            let kind = head & 0x0f;
            on_field(field, kind, self.pos);
            self.value(kind, depth + 1)?;
        }
    }

    fn value(&mut self, kind: u8, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "Thrift nested deeper than {MAX_DEPTH} at byte {}",
                self.pos
            ));
        }
        match kind {
            BOOL_TRUE | BOOL_FALSE => Ok(()),
            BYTE => self.skip(1),
            I16 | I32 | I64 => self.varint().map(drop),
            DOUBLE => self.skip(8),
            UUID => self.skip(16),
            BINARY => {
                let len = self.varint()?;
                self.skip(usize::try_from(len).unwrap_or(usize::MAX))
            }
            LIST | SET => {
                let head = self.byte()?;
                let n = match head >> 4 {
                    15 => self.varint()?,
                    short => u64::from(short),
                };
                let element = head & 0x0f;
                for _ in 0..self.count(n)? {
                    // A boolean element is one byte (0 or 1), not a type tag.
                    if matches!(element, BOOL_TRUE | BOOL_FALSE) {
                        self.skip(1)?;
                    } else {
                        self.value(element, depth + 1)?;
                    }
                }
                Ok(())
            }
            MAP => {
                let n = self.varint()?;
                let n = self.count(n)?;
                if n > 0 {
                    let types = self.byte()?;
                    for _ in 0..n {
                        for element in [types >> 4, types & 0x0f] {
                            if matches!(element, BOOL_TRUE | BOOL_FALSE) {
                                self.skip(1)?;
                            } else {
                                self.value(element, depth + 1)?;
                            }
                        }
                    }
                }
                Ok(())
            }
            STRUCT => self.fields(depth, &mut |_, _, _| {}),
            other => Err(format!(
                "unknown Thrift type {other} at byte {}",
                self.pos.saturating_sub(1)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{PageSizes, check_struct, page_header};

    #[test]
    fn well_formed_structs_pass() {
        // Field 1: i32 5; field 2: binary "ab"; field 3: list of 2 bools; field 4: an empty
        // struct; stop.
        let bytes = [
            0x15, 0x0a, 0x18, 0x02, b'a', b'b', 0x19, 0x21, 1, 0, 0x1c, 0x00, 0x00,
        ];
        assert_eq!(check_struct(&bytes), Ok(()));
        // A long field id (delta 0, zigzag varint), then a map of one i32 → i32 entry.
        assert_eq!(
            check_struct(&[0x05, 0x28, 0x02, 0x1b, 0x01, 0x55, 0x02, 0x04, 0x00]),
            Ok(())
        );
    }

    #[test]
    fn counts_the_bytes_cannot_back_are_refused() {
        // Field 1: a list of 2^31 - 1 booleans in six bytes.
        let err = check_struct(&[0x19, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00]).unwrap_err();
        assert!(err.contains("2147483647 elements"), "{err}");
        // A map that claims more entries than bytes.
        assert!(check_struct(&[0x1b, 0x64, 0x11, 0x00]).is_err());
        // A binary longer than the input, a truncated struct, an unknown type, deep nesting.
        assert!(check_struct(&[0x18, 0x7f, 0x00]).is_err());
        assert!(check_struct(&[0x15]).is_err());
        assert!(check_struct(&[0x1e, 0x00]).is_err());
        assert!(check_struct(&[0x1c; 200]).unwrap_err().contains("deeper"));
    }

    #[test]
    fn page_header_sizes_are_read_and_a_short_prefix_asks_for_more() {
        // Field 1 type i32 0 (DATA_PAGE), field 2 i32 100, field 3 i32 40, field 5: a struct
        // holding a 3-byte binary, stop.
        let header = [
            0x15, 0x00, 0x15, 0xc8, 0x01, 0x15, 0x50, 0x2c, 0x18, 0x03, b'a', b'b', b'c', 0x00,
            0x00,
        ];
        let sizes = PageSizes {
            header: header.len(),
            uncompressed: 100,
            compressed: 40,
        };
        assert_eq!(page_header(&header), Ok(Some(sizes)));
        // Page data after the header is not read.
        let mut with_data = header.to_vec();
        with_data.extend_from_slice(&[0xff; 40]);
        assert_eq!(page_header(&with_data), Ok(Some(sizes)));
        for cut in 0..header.len() {
            assert_eq!(page_header(&header[..cut]), Ok(None), "cut at {cut}");
        }
        // A long field id (zigzag 3) still names the compressed size.
        let long_id = [0x15, 0x00, 0x15, 0x02, 0x05, 0x06, 0x04, 0x00];
        assert_eq!(
            page_header(&long_id).map(|s| s.map(|s| s.compressed)),
            Ok(Some(2))
        );
    }

    #[test]
    fn page_headers_without_sizes_or_with_bad_thrift_are_refused() {
        // No field 3.
        assert!(page_header(&[0x15, 0x00, 0x15, 0x02, 0x00]).is_err());
        // Field 3 as a binary, not an i32.
        assert!(page_header(&[0x25, 0x02, 0x18, 0x00, 0x00]).is_err());
        // An unknown type is refused even though more bytes could follow.
        assert!(page_header(&[0x1e]).is_err());
    }
}
