//! Helpers shared by the unit tests.

/// A xorshift generator seeded with `seed` (not zero): the same numbers on every run.
pub fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// `count` byte strings, each a run of up to `max_pieces - 1` of `pieces` picked by
/// [`xorshift`] seeded with `seed`: input built from the bytes a reader cares about, the same
/// on every run.
pub fn random_bytes<'p, P: AsRef<[u8]>>(
    pieces: &'p [P],
    seed: u64,
    count: usize,
    max_pieces: u64,
) -> impl Iterator<Item = Vec<u8>> + 'p {
    let mut next = xorshift(seed);
    (0..count).map(move |_| {
        let mut bytes = Vec::new();
        for _ in 0..(next() % max_pieces) {
            bytes.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize].as_ref());
        }
        bytes
    })
}

/// [`random_bytes`] of text pieces: hostile input for readers that must never panic.
pub fn random_texts<'p>(
    pieces: &'p [&'p str],
    seed: u64,
    count: usize,
    max_pieces: u64,
) -> impl Iterator<Item = String> + 'p {
    random_bytes(pieces, seed, count, max_pieces)
        .map(|bytes| String::from_utf8(bytes).expect("text pieces make text"))
}
