//! A walk over Thrift compact-protocol bytes (Parquet footers) that only checks their counts.
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
    let mut walk = Walk { bytes, pos: 0 };
    walk.value(STRUCT, 0)
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
}

impl Walk<'_> {
    fn left(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn byte(&mut self) -> Result<u8, String> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| format!("Thrift ends early at byte {}", self.pos))?;
        self.pos += 1;
        Ok(b)
    }

    fn skip(&mut self, n: usize) -> Result<(), String> {
        if n > self.left() {
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
            _ => Err(format!(
                "Thrift collection of {n} elements at byte {} has only {} bytes left",
                self.pos,
                self.left()
            )),
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
            STRUCT => loop {
                let head = self.byte()?;
                if head == 0 {
                    return Ok(());
                }
                if head >> 4 == 0 {
                    // A field id that does not fit the delta: a zigzag i16 follows.
                    self.varint()?;
                }
                self.value(head & 0x0f, depth + 1)?;
            },
            other => Err(format!(
                "unknown Thrift type {other} at byte {}",
                self.pos.saturating_sub(1)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_struct;

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
}
