//! The byte-class searches the engine's inner loops spend their time in: the next digit or `@`
//! (where a detector may start), the end of a word, path, version or hash that the detectors
//! skip whole, and 64-byte masks of the bytes a JSON scan stops at (`"`, `\`, line ends,
//! digits and `@`).
//!
//! On x86_64 the searches run on SSE2 (part of the baseline instruction set, nothing detected
//! at run time) and the JSON masks on AVX2 when the processor has it; elsewhere, and for the
//! last bytes, byte-by-byte code does the same. Every vector path gives the same answer as the
//! byte-by-byte one (tested on random bytes).

/// A digit or `@`.
fn is_trigger(b: u8) -> bool {
    b.is_ascii_digit() || b == b'@'
}

/// Bytes that continue a word (or a path, version or hash): ASCII letters and digits and
/// `_ - . : /`.
fn is_wordish(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':' | b'/')
}

/// The first digit or `@` in `h[i..end]`.
#[inline]
pub fn next_trigger(h: &[u8], i: usize, end: usize) -> Option<usize> {
    let end = end.min(h.len());
    #[cfg(target_arch = "x86_64")]
    return sse2::next_trigger(h, i, end);
    #[cfg(not(target_arch = "x86_64"))]
    return (i..end).find(|&j| is_trigger(h[j]));
}

/// The first byte at or after `i` that does not continue a word (`h.len()` if none).
#[inline]
pub fn skip_wordish(h: &[u8], i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    return sse2::skip_wordish(h, i);
    #[cfg(not(target_arch = "x86_64"))]
    return skip_wordish_portable(h, i);
}

fn skip_wordish_portable(h: &[u8], mut i: usize) -> usize {
    while i < h.len() && is_wordish(h[i]) {
        i += 1;
    }
    i
}

/// Bit `k` set when byte `k` of `bytes` (at most 64 of them) is an ASCII hex digit.
#[inline]
pub fn hex_digits(bytes: &[u8]) -> u64 {
    let bytes = &bytes[..bytes.len().min(64)];
    #[cfg(target_arch = "x86_64")]
    return sse2::hex_digits(bytes);
    #[cfg(not(target_arch = "x86_64"))]
    return mask_portable(bytes, u8::is_ascii_hexdigit);
}

/// Bit `k` set when byte `k` of `bytes` (at most 64 of them) is an ASCII letter.
#[inline]
pub fn letters(bytes: &[u8]) -> u64 {
    let bytes = &bytes[..bytes.len().min(64)];
    #[cfg(target_arch = "x86_64")]
    return sse2::letters(bytes);
    #[cfg(not(target_arch = "x86_64"))]
    return mask_portable(bytes, u8::is_ascii_alphabetic);
}

/// The byte-by-byte mask of up to 64 bytes that `class` accepts: the fallback and the
/// reference for the vector ones.
#[cfg_attr(all(target_arch = "x86_64", not(test)), expect(dead_code))]
fn mask_portable(bytes: &[u8], class: fn(&u8) -> bool) -> u64 {
    bytes
        .iter()
        .take(64)
        .enumerate()
        .fold(0, |m, (k, b)| m | u64::from(class(b)) << k)
}

/// Where the bytes a JSON scan stops at are in 64 bytes: bit `k` stands for byte `k`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Masks {
    pub quote: u64,
    pub line_end: u64,
    pub backslash: u64,
    /// Digits and `@`.
    pub trigger: u64,
}

impl Masks {
    /// The masks of the 64 bytes that start `by` bytes later, with no event past the end.
    #[inline(always)]
    pub fn shifted(self, by: usize) -> Masks {
        if by == 0 {
            return self;
        }
        Masks {
            quote: self.quote >> by,
            line_end: self.line_end >> by,
            backslash: self.backslash >> by,
            trigger: self.trigger >> by,
        }
    }
}

/// The byte-by-byte classifier: the fallback and the reference for the vector ones.
#[cfg_attr(all(target_arch = "x86_64", not(test)), expect(dead_code))]
pub fn classify_portable(chunk: &[u8; 64]) -> Masks {
    let mut m = Masks::default();
    for (k, &b) in chunk.iter().enumerate() {
        let bit = 1u64 << k;
        match b {
            b'"' => m.quote |= bit,
            b'\n' => m.line_end |= bit,
            b'\\' => m.backslash |= bit,
            b'0'..=b'9' | b'@' => m.trigger |= bit,
            _ => {}
        }
    }
    m
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };

    use super::{is_trigger, skip_wordish_portable};

    /// 0xFF where a byte lies in `lo..=hi`: the range is shifted to the lowest signed values.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn in_range(v: __m128i, lo: u8, hi: u8) -> __m128i {
        let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
        _mm_cmplt_epi8(shifted, _mm_set1_epi8((0x80u8 + (hi - lo) + 1) as i8))
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn load(h: &[u8], i: usize) -> __m128i {
        let chunk: &[u8; 16] = h[i..i + 16].try_into().expect("16 bytes");
        // SAFETY: `chunk` is 16 readable bytes; the load has no alignment requirement.
        unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn triggers(v: __m128i) -> u32 {
        let at = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'@' as i8));
        _mm_movemask_epi8(_mm_or_si128(in_range(v, b'0', b'9'), at)) as u32
    }

    #[inline]
    pub fn next_trigger(h: &[u8], i: usize, end: usize) -> Option<usize> {
        // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 processor has it.
        unsafe { next_trigger_sse2(h, i, end) }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn next_trigger_sse2(h: &[u8], mut i: usize, end: usize) -> Option<usize> {
        while i + 32 <= end {
            let bits = triggers(load(h, i)) | (triggers(load(h, i + 16)) << 16);
            if bits != 0 {
                return Some(i + bits.trailing_zeros() as usize);
            }
            i += 32;
        }
        if i + 16 <= end {
            let bits = triggers(load(h, i));
            if bits != 0 {
                return Some(i + bits.trailing_zeros() as usize);
            }
            i += 16;
        }
        (i..end).find(|&j| is_trigger(h[j]))
    }

    /// The mask of up to 64 bytes whose 16-byte vectors `class` marks, read in place: a
    /// short tail is read as the last 16 bytes of the slice when there are that many.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn mask_of(bytes: &[u8], class: impl Fn(__m128i) -> __m128i) -> u64 {
        let n = bytes.len().min(64);
        let mut m = 0u64;
        let mut start = 0;
        while start < n {
            let bits = if start + 16 <= n {
                _mm_movemask_epi8(class(load(bytes, start))) as u32 & 0xFFFF
            } else if n >= 16 {
                let shift = start + 16 - n;
                (_mm_movemask_epi8(class(load(bytes, n - 16))) as u32 & 0xFFFF) >> shift
            } else {
                let mut pad = [0u8; 16];
                pad[..n - start].copy_from_slice(&bytes[start..n]);
                _mm_movemask_epi8(class(load(&pad, 0))) as u32 & !(u32::MAX << (n - start))
            };
            m |= u64::from(bits) << start;
            start += 16;
        }
        m
    }

    #[inline]
    pub fn letters(bytes: &[u8]) -> u64 {
        // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 processor has it.
        unsafe {
            mask_of(bytes, |v| {
                in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', b'z')
            })
        }
    }

    #[inline]
    pub fn hex_digits(bytes: &[u8]) -> u64 {
        // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 processor has it.
        unsafe {
            mask_of(bytes, |v| {
                let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
                _mm_or_si128(in_range(v, b'0', b'9'), in_range(lower, b'a', b'f'))
            })
        }
    }

    #[inline]
    pub fn skip_wordish(h: &[u8], i: usize) -> usize {
        // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 processor has it.
        unsafe { skip_wordish_sse2(h, i) }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn skip_wordish_sse2(h: &[u8], mut i: usize) -> usize {
        while i + 16 <= h.len() {
            let v = load(h, i);
            // `- . / 0-9 :` are one range; letters are one range once lower-cased.
            let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
            let word = _mm_or_si128(
                _mm_or_si128(in_range(v, b'-', b':'), in_range(lower, b'a', b'z')),
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b'_' as i8)),
            );
            let stop = !(_mm_movemask_epi8(word) as u32) & 0xFFFF;
            if stop != 0 {
                return i + stop.trailing_zeros() as usize;
            }
            i += 16;
        }
        skip_wordish_portable(h, i)
    }
}

/// 64-byte classifiers for x86_64. They are `#[inline(always)]` so that they compile into the
/// caller with the caller's instruction set; callers must have checked that it is available.
#[cfg(target_arch = "x86_64")]
pub mod x86 {
    use std::arch::x86_64::{
        __m128i, __m256i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm256_add_epi8, _mm256_cmpeq_epi8,
        _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
        _mm256_set1_epi8,
    };

    use super::Masks;

    /// Bit `k` of the result is the XOR of bits `0..=k` of `x`, in one carry-less multiplication
    /// by all ones.
    ///
    /// # Safety
    /// The CPU must support PCLMULQDQ.
    #[inline(always)]
    pub unsafe fn prefix_xor_clmul(x: u64) -> u64 {
        use std::arch::x86_64::{_mm_clmulepi64_si128, _mm_cvtsi128_si64, _mm_set_epi64x};
        // SAFETY: the caller checked for PCLMULQDQ; SSE2 is baseline.
        unsafe {
            let product =
                _mm_clmulepi64_si128(_mm_set_epi64x(0, x as i64), _mm_set_epi64x(0, -1), 0);
            _mm_cvtsi128_si64(product) as u64
        }
    }

    /// # Safety
    /// The CPU must support AVX-512BW.
    #[inline(always)]
    pub unsafe fn classify_avx512(chunk: &[u8; 64]) -> Masks {
        use std::arch::x86_64::{
            _mm512_cmpeq_epi8_mask, _mm512_cmplt_epu8_mask, _mm512_loadu_si512, _mm512_set1_epi8,
            _mm512_sub_epi8,
        };
        // SAFETY: 64 readable bytes; the caller checked for AVX-512BW.
        unsafe {
            let v = _mm512_loadu_si512(chunk.as_ptr().cast());
            let eq = |b: u8| _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(b as i8));
            let digits = _mm512_cmplt_epu8_mask(
                _mm512_sub_epi8(v, _mm512_set1_epi8(b'0' as i8)),
                _mm512_set1_epi8(10),
            );
            Masks {
                quote: eq(b'"'),
                line_end: eq(b'\n'),
                backslash: eq(b'\\'),
                trigger: digits | eq(b'@'),
            }
        }
    }

    /// # Safety
    /// The CPU must support SSE2 (every x86_64 processor does).
    #[inline(always)]
    pub unsafe fn classify_sse2(chunk: &[u8; 64]) -> Masks {
        let mut m = Masks::default();
        for part in 0..4 {
            // SAFETY: 16 bytes at `16 * part` lie inside the 64-byte chunk; SSE2 is present.
            unsafe {
                let v: __m128i = _mm_loadu_si128(chunk.as_ptr().add(16 * part).cast());
                let eq = |b: u8| _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)));
                let digits =
                    _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x50)), _mm_set1_epi8(-118));
                let at = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'@' as i8));
                let shift = 16 * part;
                m.quote |= u64::from(eq(b'"') as u16) << shift;
                m.line_end |= u64::from(eq(b'\n') as u16) << shift;
                m.backslash |= u64::from(eq(b'\\') as u16) << shift;
                m.trigger |= u64::from(_mm_movemask_epi8(_mm_or_si128(digits, at)) as u16) << shift;
            }
        }
        m
    }

    /// # Safety
    /// The CPU must support AVX2.
    #[inline(always)]
    pub unsafe fn classify_avx2(chunk: &[u8; 64]) -> Masks {
        let mut m = Masks::default();
        for half in 0..2 {
            // SAFETY: 32 bytes at `32 * half` lie inside the 64-byte chunk; the caller checked
            // for AVX2.
            unsafe {
                let v: __m256i = _mm256_loadu_si256(chunk.as_ptr().add(32 * half).cast());
                let eq =
                    |b: u8| _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(b as i8)));
                let digits = _mm256_cmpgt_epi8(
                    _mm256_set1_epi8(-118),
                    _mm256_add_epi8(v, _mm256_set1_epi8(0x50)),
                );
                let at = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'@' as i8));
                let shift = 32 * half;
                m.quote |= u64::from(eq(b'"') as u32) << shift;
                m.line_end |= u64::from(eq(b'\n') as u32) << shift;
                m.backslash |= u64::from(eq(b'\\') as u32) << shift;
                m.trigger |=
                    u64::from(_mm256_movemask_epi8(_mm256_or_si256(digits, at)) as u32) << shift;
            }
        }
        m
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
        let sparse =
            b"abcdefghijklmnopqrstuvwxyz ABCXYZ,.:;-_/{}[]~\x7f\x80\xff\"\\\n09@/:`^\xc1\xe1";
        for seed in 1..400u64 {
            let len = (seed as usize * 37) % 300;
            let alphabet: &[u8] = if seed % 3 == 0 { &all } else { sparse };
            // Rare event bytes in words, so matches sit at every offset in a vector.
            let mut h = bytes(seed, len, b"abcdefghijklmnopqrstuvwxyzAZ09_-.:/");
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
                        (i..end).find(|&j| is_trigger(h[j])),
                        "trigger seed {seed} i {i} end {end}"
                    );
                }
                assert_eq!(
                    skip_wordish(&h, i),
                    skip_wordish_portable(&h, i),
                    "word seed {seed} i {i}"
                );
            }
        }
    }

    #[test]
    fn vector_and_portable_classifiers_agree_on_random_input() {
        let all: Vec<u8> = (0..=255).collect();
        for seed in 1..2000u64 {
            let alphabet: &[u8] = if seed % 2 == 0 {
                &all
            } else {
                b"ab \"\\\n09@/:\x7f\x80\xff"
            };
            let chunk: [u8; 64] = bytes(seed, 64, alphabet).try_into().unwrap();
            let want = classify_portable(&chunk);
            assert_eq!(
                want.quote.count_ones() as usize,
                chunk.iter().filter(|&&b| b == b'"').count()
            );
            #[cfg(target_arch = "x86_64")]
            {
                // SAFETY: SSE2 is part of x86_64; AVX2 is checked.
                assert_eq!(
                    unsafe { x86::classify_sse2(&chunk) },
                    want,
                    "sse2 seed {seed}"
                );
                if std::arch::is_x86_feature_detected!("avx2") {
                    assert_eq!(
                        unsafe { x86::classify_avx2(&chunk) },
                        want,
                        "avx2 seed {seed}"
                    );
                }
            }
        }
    }

    #[test]
    fn letter_and_hex_masks_agree_with_the_portable_ones() {
        let all: Vec<u8> = (0..=255).collect();
        for seed in 1..500u64 {
            let b = bytes(seed, (seed as usize * 7) % 70, &all);
            let hex = mask_portable(&b, u8::is_ascii_hexdigit);
            assert_eq!(hex_digits(&b), hex, "seed {seed}");
            assert_eq!(
                letters(&b),
                mask_portable(&b, u8::is_ascii_alphabetic),
                "seed {seed}"
            );
        }
        assert_eq!(hex_digits(b"0aF-g9"), 0b100111);
        assert_eq!(letters(b"0aF-g9@Z["), 0b1001_0110);
    }

    #[test]
    fn classes() {
        assert_eq!(next_trigger(b"abc/:9", 0, 6), Some(5));
        assert_eq!(next_trigger(b"abc/:9", 0, 5), None);
        assert_eq!(next_trigger(&[b'x'; 100], 0, 100), None);
        let mut long = vec![b'x'; 100];
        long[70] = b'@';
        assert_eq!(next_trigger(&long, 3, 100), Some(70));
    }
}
