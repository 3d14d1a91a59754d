//! `cargo bench -p truce-tlog`: append throughput (memory and durable file storage, one fsync
//! per batch) and proof latency at 10^8 entries. Prints its figures.

use std::hint::black_box;
use std::time::{Duration, Instant};

use truce_merkle::{Hash, root_of_hashes, verify_consistency, verify_inclusion};
use truce_note::{SigType, Signer};
use truce_tlog::tile::{TILE_WIDTH, hashes_at_level};
use truce_tlog::{
    AppendBatch, EntryBundleId, FileStorage, Log, LogStorage, MemoryStorage, StorageError, TileId,
    prove_consistency, prove_inclusion, tree_root,
};

fn signer() -> Signer {
    Signer::from_seed("bench.truce.example/log", SigType::Ed25519, &[1; 32]).unwrap()
}

/// A ~180-byte canonical-JSON-like entry.
fn entry(i: u64) -> Vec<u8> {
    format!(
        "{{\"agreement\":\"energy-moratorium-2025\",\"document\":\"{:064x}\",\"kind\":\"verdict\",\"n\":{i},\"verdict\":\"not_applicable\"}}",
        i.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    )
    .into_bytes()
}

fn bench_append<S: LogStorage>(name: &str, storage: S, total: u64, batch: u64) {
    let mut log = Log::open(storage, signer()).unwrap();
    let batches: Vec<Vec<Vec<u8>>> = (0..total / batch)
        .map(|b| (b * batch..(b + 1) * batch).map(entry).collect())
        .collect();
    let start = Instant::now();
    for b in &batches {
        log.append_batch(b).unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "append {name:<28} {total:>9} entries in batches of {batch:>6}: {:>9.0} entries/s ({secs:.2} s)",
        total as f64 / secs
    );
    assert_eq!(log.size(), total);
}

/// A tree of `size` synthetic leaves built at tile level: each level-0 tile holds 256
/// pseudo-random leaf hashes generated on demand from its index; the tiles above hold the real
/// roots of the tiles below (computed once, kept in memory), so proofs verify against the root.
struct Synthetic {
    size: u64,
    upper: Vec<Vec<Hash>>, // upper[l] = all hashes at tile level l (l >= 1)
}

fn synthetic_tile0(index: u64) -> Vec<Hash> {
    let mut x = index.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..TILE_WIDTH)
        .map(|_| {
            let mut h = [0u8; 32];
            for c in h.chunks_mut(8) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                c.copy_from_slice(&x.to_le_bytes());
            }
            h
        })
        .collect()
}

impl Synthetic {
    fn build(size: u64) -> Synthetic {
        assert!(size.is_multiple_of(TILE_WIDTH));
        let tiles0 = size / TILE_WIDTH;
        let mut level1 = Vec::with_capacity(tiles0 as usize);
        for t in 0..tiles0 {
            level1.push(root_of_hashes(&synthetic_tile0(t)));
        }
        let mut upper = vec![Vec::new(), level1];
        loop {
            let below = upper.last().unwrap();
            if below.len() < TILE_WIDTH as usize {
                break;
            }
            let next: Vec<Hash> = below
                .chunks_exact(TILE_WIDTH as usize)
                .map(root_of_hashes)
                .collect();
            upper.push(next);
        }
        Synthetic { size, upper }
    }
}

impl LogStorage for Synthetic {
    fn append(&mut self, _: &AppendBatch<'_>) -> Result<(), StorageError> {
        Err(StorageError::Corrupt("synthetic tree is read-only".into()))
    }
    fn read_tile(&self, id: TileId) -> Result<Option<Vec<u8>>, StorageError> {
        if TileId::in_tree(id.level, id.index, self.size).is_none_or(|t| t.width < id.width) {
            return Ok(None);
        }
        let start = (id.index * TILE_WIDTH) as usize;
        let hashes = if id.level == 0 {
            synthetic_tile0(id.index)[..usize::from(id.width)].to_vec()
        } else {
            let level = &self.upper[usize::from(id.level)];
            level[start..start + usize::from(id.width)].to_vec()
        };
        Ok(Some(hashes.concat()))
    }
    fn read_entry_bundle(&self, _: EntryBundleId) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(None)
    }
    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(None)
    }
}

fn stats(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let n = times.len();
    let mean = times.iter().sum::<Duration>() / n as u32;
    println!(
        "{name:<44} n={n}: mean {:>7.1} us, p50 {:>7.1} us, p99 {:>7.1} us, max {:>7.1} us",
        mean.as_secs_f64() * 1e6,
        times[n / 2].as_secs_f64() * 1e6,
        times[n * 99 / 100].as_secs_f64() * 1e6,
        times[n - 1].as_secs_f64() * 1e6
    );
}

fn bench_proofs(size: u64) {
    let start = Instant::now();
    let tree = Synthetic::build(size);
    println!(
        "built a synthetic tree of {size} leaves at tile level in {:.1} s ({} tile levels)",
        start.elapsed().as_secs_f64(),
        (0..8u8).filter(|l| hashes_at_level(*l, size) > 0).count()
    );
    let root = tree_root(&tree, size).unwrap();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut incl = Vec::new();
    for _ in 0..2000 {
        let n = rnd() % size;
        let t = Instant::now();
        let p = prove_inclusion(&tree, n, size).unwrap();
        incl.push(t.elapsed());
        let leaf = synthetic_tile0(n / TILE_WIDTH)[(n % TILE_WIDTH) as usize];
        verify_inclusion(n, size, &leaf, &p, &root).unwrap();
    }
    stats(&format!("inclusion proof at {size} entries"), incl);
    let mut cons = Vec::new();
    for _ in 0..2000 {
        let old = 1 + rnd() % size;
        let t = Instant::now();
        let p = prove_consistency(&tree, old, size).unwrap();
        cons.push(t.elapsed());
        black_box(&p);
        if cons.len() <= 50 {
            // Checking needs the old root (also from tiles); sample it.
            let old_root = tree_root(&tree, old).unwrap();
            verify_consistency(old, size, &p, &old_root, &root).unwrap();
        }
    }
    stats(&format!("consistency proof to {size} entries"), cons);
    let mut roots = Vec::new();
    for _ in 0..200 {
        let s = 1 + rnd() % size;
        let t = Instant::now();
        black_box(tree_root(&tree, s).unwrap());
        roots.push(t.elapsed());
    }
    stats(&format!("root of an arbitrary size <= {size}"), roots);
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument filters nothing.
    let quick = std::env::args().any(|a| a == "--quick");
    let total = if quick { 100_000 } else { 1_000_000 };
    bench_append("in memory", MemoryStorage::new(), total, 10_000);
    bench_append("in memory", MemoryStorage::new(), total, 1_000);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("truce-tlog-bench");
    std::fs::create_dir_all(&dir).unwrap();
    for batch in [10_000u64, 1_000] {
        let path = dir.join(format!("log-{batch}.dat"));
        let _ = std::fs::remove_file(&path);
        bench_append(
            "file (fsync per batch)",
            FileStorage::open(&path).unwrap(),
            total,
            batch,
        );
        let _ = std::fs::remove_file(&path);
    }
    bench_proofs(if quick { 1 << 20 } else { 100_000_000 });
}
