//! Coding speed, end to end (prepare, code, geocode) on one core: `cargo bench -p truce-coder`.
//!
//! Builds a corpus of at least 50 MB by repeating the development texts (corpus/dev; the seeds
//! when it is absent) and codes it document by document, printing MB/s. It runs on mimalloc,
//! the allocator of the `truce` binary.

use std::path::Path;
use std::time::Instant;

use truce_coder::{Coder, Format, Input};
use truce_gazetteer::Gazetteer;
use truce_lexicon::Lexicon;
use truce_model::NaiveDate;

/// The `truce` binary's allocator, so the figure is what `truce extract` and `truce ingest` get.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TARGET_BYTES: usize = 50 * 1024 * 1024;

/// CPU time this process has used, in seconds (Linux /proc; None elsewhere). On a shared,
/// loaded machine MB per CPU-second is the fair per-core figure; wall time is printed too.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn texts() -> Vec<(String, Format)> {
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
            let format = match p.extension().and_then(|x| x.to_str()) {
                Some("txt") => Format::Text,
                Some("html") => Format::Html,
                _ => continue,
            };
            if let Ok(t) = std::fs::read_to_string(&p) {
                out.push((t, format));
            }
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

fn main() {
    let texts = texts();
    if texts.is_empty() {
        eprintln!("bench coder: no texts found in corpus/dev or the seeds");
        return;
    }
    let published = NaiveDate::from_ymd_opt(2025, 4, 15);
    let t0 = Instant::now();
    let gazetteer = Gazetteer::embedded();
    let lexicon = Lexicon::embedded();
    let load = t0.elapsed();
    let coder = Coder::new(&gazetteer, &lexicon);
    let one_pass: usize = texts.iter().map(|(t, _)| t.len()).sum();
    let passes = TARGET_BYTES.div_ceil(one_pass.max(1));
    // Warm-up.
    for (t, f) in &texts {
        std::hint::black_box(coder.code(&Input {
            text: t,
            published,
            format: Some(*f),
            ..Input::default()
        }));
    }
    let start = Instant::now();
    let cpu0 = cpu_seconds();
    let (mut bytes, mut docs, mut incidents, mut statements) = (0usize, 0usize, 0usize, 0usize);
    for _ in 0..passes {
        for (t, f) in &texts {
            let d = coder.code(&Input {
                text: t,
                published,
                format: Some(*f),
                ..Input::default()
            });
            bytes += t.len();
            docs += 1;
            incidents += d.incidents.len();
            statements += d.statements.len();
            std::hint::black_box(&d);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = match (cpu0, cpu_seconds()) {
        (Some(a), Some(b)) if b > a => Some(b - a),
        _ => None,
    };
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if let Some(cpu) = cpu {
        println!(
            "coder end to end, per CPU-second of the one coding thread: {:.1} MB/s ({cpu:.2} s CPU)",
            mb / cpu
        );
    }
    println!(
        "coder end to end (prepare + code + geocode), 1 core: {mb:.1} MB in {docs} documents ({} distinct texts x {passes}) in {secs:.2} s = {:.1} MB/s, {:.0} docs/s; {incidents} incidents, {statements} statements; dictionaries and gazetteer loaded in {:.1} ms",
        texts.len(),
        mb / secs,
        docs as f64 / secs,
        load.as_secs_f64() * 1000.0
    );
}
