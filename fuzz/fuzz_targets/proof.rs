//! Proofs: arbitrary sizes, indices and hashes never panic verification, and an add-checkpoint
//! body (old size, proof lines, checkpoint) never panics its parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_merkle::{Hash, verify_consistency, verify_inclusion};

fn u64_at(d: &[u8], i: usize) -> u64 {
    let mut b = [0u8; 8];
    for (k, x) in b.iter_mut().enumerate() {
        *x = d.get(i * 8 + k).copied().unwrap_or(0);
    }
    u64::from_le_bytes(b)
}

fuzz_target!(|data: &[u8]| {
    let _ = truce_witness::AddRequest::parse(data);
    let (a, b, c) = (u64_at(data, 0), u64_at(data, 1), u64_at(data, 2));
    // Small sizes are the interesting ones; keep some of both.
    let (a, b, c) = if data.first().is_some_and(|x| x & 1 == 0) {
        (a % 4096, b % 4096, c % 4096)
    } else {
        (a, b, c)
    };
    let hashes: Vec<Hash> = data
        .get(24..)
        .unwrap_or(&[])
        .chunks_exact(32)
        .map(|ch| ch.try_into().unwrap_or([0; 32]))
        .collect();
    let (first, rest) = hashes
        .split_first()
        .map_or(([0; 32], &[][..]), |(f, r)| (*f, r));
    let _ = verify_inclusion(a, b, &first, rest, &first);
    let _ = verify_consistency(a, c, rest, &first, &first);
});
