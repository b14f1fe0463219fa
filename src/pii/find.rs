//! The two byte-class searches the engine's inner loops spend their time in: the next digit or
//! `@` (where a detector may start) and, inside a JSON string, the next byte that either ends
//! the plain scan of that string (`"`, `\`, a line end) or needs the detectors (a digit, `@`).
//!
//! On x86_64 they run on SSE2 (part of the baseline instruction set, so nothing is detected at
//! run time), 32 bytes a step; elsewhere, and for the last bytes, a 256-entry table does the
//! same byte by byte. Both give the same answer for every input (tested on random bytes).

const TRIGGER: u8 = 1;
const STRING_END: u8 = 2;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_digit() || b == b'@' {
            t[c] = TRIGGER;
        } else if matches!(b, b'"' | b'\\' | b'\n') {
            t[c] = STRING_END;
        }
        c += 1;
    }
    t
};

/// The first digit or `@` in `h[i..end]`.
#[inline]
pub fn next_trigger(h: &[u8], i: usize, end: usize) -> Option<usize> {
    let end = end.min(h.len());
    #[cfg(target_arch = "x86_64")]
    return sse2::find::<false>(h, i, end);
    #[cfg(not(target_arch = "x86_64"))]
    return portable(h, i, end, TRIGGER);
}

/// The first `"`, `\`, line end, digit or `@` in `h[i..]`.
#[inline]
pub fn next_string_event(h: &[u8], i: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    return sse2::find::<true>(h, i, h.len());
    #[cfg(not(target_arch = "x86_64"))]
    return portable(h, i, h.len(), TRIGGER | STRING_END);
}

/// The first `"` or line end in `h[i..]`: the next JSON string or record. The gap between two
/// strings is usually a few bytes (`": "`), so the first 32 bytes are checked inline before
/// `memchr2` takes over (arrays of numbers run for hundreds of bytes).
#[inline]
pub fn next_quote_or_line_end(h: &[u8], i: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if i + 32 <= h.len() {
        if let Some(k) = sse2::quote_or_line_end_32(h, i) {
            return Some(k);
        }
        return memchr::memchr2(b'"', b'\n', &h[i + 32..]).map(|k| i + 32 + k);
    }
    memchr::memchr2(b'"', b'\n', h.get(i..)?).map(|k| i + k)
}

/// The byte-by-byte search: the fallback, the tail of the vector search, and the reference
/// the tests compare against.
#[inline]
fn portable(h: &[u8], i: usize, end: usize, classes: u8) -> Option<usize> {
    (i..end).find(|&j| CLASS[usize::from(h[j])] & classes != 0)
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };

    use super::{STRING_END, TRIGGER, portable};

    /// 0xFF where the byte is an ASCII digit: `'0'..='9'` shifted to the lowest ten signed
    /// byte values.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn digits(v: __m128i) -> __m128i {
        _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x50)), _mm_set1_epi8(-118))
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn mask<const STRING: bool>(v: __m128i) -> u32 {
        let mut m = _mm_or_si128(digits(v), _mm_cmpeq_epi8(v, _mm_set1_epi8(b'@' as i8)));
        if STRING {
            m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8)));
            m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8)));
            m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8)));
        }
        _mm_movemask_epi8(m) as u32
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn load(h: &[u8], i: usize) -> __m128i {
        let chunk: &[u8; 16] = h[i..i + 16].try_into().expect("16 bytes");
        // SAFETY: `chunk` is 16 readable bytes; the load has no alignment requirement.
        unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) }
    }

    /// The first `"` or line end in `h[i..i + 32]`.
    #[inline]
    pub fn quote_or_line_end_32(h: &[u8], i: usize) -> Option<usize> {
        // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 processor has it.
        unsafe { quote_or_line_end_32_sse2(h, i) }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn quote_or_line_end_32_sse2(h: &[u8], i: usize) -> Option<usize> {
        let m = |v: __m128i| {
            let q = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            _mm_movemask_epi8(_mm_or_si128(
                q,
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8)),
            )) as u32
        };
        let bits = m(load(h, i)) | (m(load(h, i + 16)) << 16);
        (bits != 0).then(|| i + bits.trailing_zeros() as usize)
    }

    #[inline]
    pub fn find<const STRING: bool>(h: &[u8], i: usize, end: usize) -> Option<usize> {
        // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 processor has it.
        unsafe { find_sse2::<STRING>(h, i, end) }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn find_sse2<const STRING: bool>(h: &[u8], mut i: usize, end: usize) -> Option<usize> {
        while i + 32 <= end {
            let bits = mask::<STRING>(load(h, i)) | (mask::<STRING>(load(h, i + 16)) << 16);
            if bits != 0 {
                return Some(i + bits.trailing_zeros() as usize);
            }
            i += 32;
        }
        if i + 16 <= end {
            let bits = mask::<STRING>(load(h, i));
            if bits != 0 {
                return Some(i + bits.trailing_zeros() as usize);
            }
            i += 16;
        }
        portable(
            h,
            i,
            end,
            if STRING {
                TRIGGER | STRING_END
            } else {
                TRIGGER
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so failures reproduce.
    fn bytes(seed: u64, len: usize, alphabet: &[u8]) -> Vec<u8> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                alphabet[(x % alphabet.len() as u64) as usize]
            })
            .collect()
    }

    #[test]
    fn vector_and_portable_searches_agree_on_random_input() {
        let all: Vec<u8> = (0..=255).collect();
        let sparse = b"abcdefghijklmnopqrstuvwxyz ABCXYZ,.:;-_/{}[]~\x7f\x80\xff\"\\\n09@/:";
        for seed in 1..400u64 {
            let len = (seed as usize * 37) % 300;
            let alphabet: &[u8] = if seed % 3 == 0 { &all } else { sparse };
            // Rare event bytes: mostly letters, so matches sit at every offset in a vector.
            let mut h = bytes(seed, len, b"abcdefghijklmnopqrstuvwxyz ");
            for (k, b) in bytes(seed * 7919, len / 8 + 1, alphabet)
                .into_iter()
                .enumerate()
            {
                let at = (k * 13 + seed as usize) % len.max(1);
                if at < h.len() {
                    h[at] = b;
                }
            }
            for i in 0..=len.min(40) {
                for end in [len, len.saturating_sub(1), len / 2, i + 17, i + 33] {
                    let end = end.min(len).max(i);
                    assert_eq!(
                        next_trigger(&h, i, end),
                        portable(&h, i, end, TRIGGER),
                        "trigger seed {seed} i {i} end {end}"
                    );
                }
                assert_eq!(
                    next_string_event(&h, i),
                    portable(&h, i, h.len(), TRIGGER | STRING_END),
                    "string seed {seed} i {i}"
                );
            }
        }
    }

    #[test]
    fn classes() {
        assert_eq!(next_trigger(b"abc/:9", 0, 6), Some(5));
        assert_eq!(next_trigger(b"abc/:9", 0, 5), None);
        assert_eq!(next_trigger(&[b'x'; 100], 0, 100), None);
        let mut long = vec![b'x'; 100];
        long[70] = b'@';
        assert_eq!(next_trigger(&long, 3, 100), Some(70));
        long[40] = b'"';
        assert_eq!(next_string_event(&long, 3), Some(40));
        assert_eq!(next_string_event(b"ab\\c", 0), Some(2));
        assert_eq!(next_string_event(b"ab\nc", 0), Some(2));
        assert_eq!(next_string_event(b"", 0), None);
        for at in [0, 5, 31, 32, 33, 90] {
            let mut h = vec![b'1'; 100];
            assert_eq!(next_quote_or_line_end(&h, 0), None);
            h[at] = if at % 2 == 0 { b'"' } else { b'\n' };
            assert_eq!(next_quote_or_line_end(&h, 0), Some(at));
            assert_eq!(next_quote_or_line_end(&h, at + 1), None);
            assert_eq!(next_quote_or_line_end(&h[..at + 1], 0), Some(at));
        }
        assert_eq!(next_quote_or_line_end(b"ab", 3), None);
    }
}
