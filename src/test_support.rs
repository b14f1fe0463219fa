//! Helpers shared by the unit tests.

/// `count` texts, each a run of up to `max_pieces - 1` of `pieces` picked by a xorshift
/// generator seeded with `seed`: hostile input for readers that must never panic, the same on
/// every run.
pub fn random_texts<'p>(
    pieces: &'p [&'p str],
    seed: u64,
    count: usize,
    max_pieces: u64,
) -> impl Iterator<Item = String> + 'p {
    let mut state = seed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count).map(move |_| {
        let mut text = String::new();
        for _ in 0..(next() % max_pieces) {
            text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
        }
        text
    })
}
