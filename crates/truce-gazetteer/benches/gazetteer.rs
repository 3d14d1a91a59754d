//! Load time of the embedded gazetteer and `find_mentions` throughput on news text (the seeds
//! and the development set, repeated to ~16 MB). Prints milliseconds and MB/s.
//! Run: cargo bench -p truce-gazetteer --bench gazetteer

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use truce_gazetteer::Gazetteer;

fn texts() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        root.join("../../corpus/dev"),
        root.join("../../../shared/corpus/seeds"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "txt")
                && let Ok(t) = std::fs::read_to_string(&p)
            {
                out.push(t);
            }
        }
    }
    if out.is_empty() {
        out.push(
            "Russian drones struck Kharkiv and the Sumy region overnight, officials said. "
                .repeat(40),
        );
    }
    out
}

/// CPU time of this thread in seconds (Linux), so figures hold per core on a busy machine.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn main() {
    // Load: the mean over 50 loads (CPU time is measured over all of them, since the
    // scheduler's accounting is too coarse for one load of a few milliseconds).
    let loads = 50;
    let t0 = Instant::now();
    let c0 = cpu_seconds();
    for _ in 0..loads {
        black_box(Gazetteer::embedded());
    }
    let wall = t0.elapsed().as_secs_f64() / f64::from(loads);
    let cpu = match (c0, cpu_seconds()) {
        (Some(c0), Some(c1)) => format!("{:.2} ms CPU", (c1 - c0) / f64::from(loads) * 1e3),
        _ => "CPU time unavailable".to_string(),
    };
    let g = Gazetteer::embedded();
    println!(
        "load embedded: {:.2} ms wall, {cpu} (mean of {loads}; {} places, {} regions)",
        wall * 1e3,
        g.places().len(),
        g.regions().len()
    );

    let base = texts();
    let base_len: usize = base.iter().map(String::len).sum();
    let reps = (16_000_000 / base_len.max(1)).max(1);
    let docs: Vec<&String> = (0..reps).flat_map(|_| base.iter()).collect();
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    let mut mentions = 0;
    for _ in 0..3 {
        let t0 = Instant::now();
        let c0 = cpu_seconds();
        mentions = 0;
        for d in &docs {
            mentions += black_box(g.find_mentions(d)).len();
        }
        best = best.min(t0.elapsed().as_secs_f64());
        if let (Some(c0), Some(c1)) = (c0, cpu_seconds()) {
            best_cpu = best_cpu.min(c1 - c0);
        }
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "find_mentions {mb:.1} MB: {:.1} MB/s wall, {:.1} MB/s per core (CPU time) ({} docs, {mentions} mentions)",
        mb / best,
        mb / best_cpu,
        docs.len()
    );
}
