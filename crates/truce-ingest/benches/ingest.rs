//! `cargo bench -p truce-ingest`: documents per second end to end (read JSONL, hash, code,
//! merge events, judge, log entries with tiles and signed checkpoints, commit) into the embedded
//! SQLite store, and into PostgreSQL beside it when `TRUCE_TEST_DATABASE_URL` is set; and the
//! process's resident memory as the corpus grows.
//!
//! The documents are variants of the dev corpus (corpus/dev) with their numbers changed
//! (truce_ingest::synth), so every one has its own hash, dates and figures.
//!
//! Knobs: TRUCE_BENCH_DOCS (documents per run, default 20000), TRUCE_BENCH_MEMORY_DOCS (the
//! memory run, default 100000; 0 skips it), TRUCE_BENCH_BATCH (default 2048). The memory run
//! shares the process with the runs before it: for its peak RSS alone, set TRUCE_BENCH_DOCS=100
//! (e.g. `TRUCE_BENCH_DOCS=100 TRUCE_BENCH_MEMORY_DOCS=1000000 cargo bench -p truce-ingest`).
//!
//! Each run also prints the CPU seconds it used and documents per CPU-second, with the load
//! average: on a shared machine the wall-clock rate says how much CPU was left, not how fast
//! ingest is.

/// The allocator the `truce` binary runs with, so the benchmark measures what `truce ingest` does.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use truce_ingest::store_sink::{self, Request};
use truce_ingest::{BatchReport, Observer, Options, Summary};
use truce_store::{Location, Store};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bases() -> Vec<(String, Option<truce_model::NaiveDate>)> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(repo().join("corpus/dev"))
        .expect("corpus/dev")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("dev text");
            let published = std::fs::read_to_string(p.with_extension("meta.json"))
                .ok()
                .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
                .and_then(|v| {
                    v["published"]
                        .as_str()
                        .and_then(|d| truce_model::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                });
            (text, published)
        })
        .collect()
}

/// Writes `n` synthetic documents as JSON Lines (streamed: memory stays flat).
fn write_corpus(path: &Path, n: u64, offset: u64) -> u64 {
    let bases = bases();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("corpus file"));
    let mut bytes = 0;
    for k in offset..offset + n {
        let (text, published) = &bases[(k % bases.len() as u64) as usize];
        let row = truce_ingest::synth::jsonl_row(text, *published, k);
        bytes += row.len() as u64;
        writeln!(f, "{row}").expect("write corpus");
    }
    f.flush().expect("flush corpus");
    bytes
}

/// CPU seconds this process has used (user + system, every thread; Linux /proc/self/stat).
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which ends with ')'): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

/// Resident set size now and at its peak, in MB (Linux /proc/self/status).
fn rss_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

/// Prints the resident memory every `every` documents.
struct Memory {
    every: u64,
    next: u64,
    done: u64,
    start: Instant,
}

impl Observer for Memory {
    fn committed(&mut self, b: &BatchReport<'_>) {
        self.done += (b.committed.len() + b.skipped.len()) as u64;
        if self.done >= self.next {
            let (now, peak) = rss_mb();
            println!(
                "  {:>8} documents  {:>7.0} docs/s  RSS {:>7.1} MB (peak {:>7.1} MB)",
                self.done,
                self.done as f64 / self.start.elapsed().as_secs_f64(),
                now,
                peak
            );
            self.next += self.every;
        }
    }
}

fn run(
    store: &dyn Store,
    input: &Path,
    batch: usize,
    observer: &mut dyn Observer,
) -> (Summary, f64, f64) {
    let agreements = repo().join("examples/agreements");
    let paths = [input.to_path_buf()];
    let req = Request {
        paths: &paths,
        agreements: Some(&agreements),
        options: Options { batch_size: batch },
        author: "bench",
        queue: false,
    };
    let start = Instant::now();
    let cpu = cpu_secs();
    let summary = store_sink::ingest(store, &req, observer).expect("ingest");
    (summary, start.elapsed().as_secs_f64(), cpu_secs() - cpu)
}

/// The run's rate, and its rate per CPU-second of this process (the machine may be shared:
/// on 2 idle cores the wall-clock rate can reach twice the per-CPU-second rate at best).
fn report(what: &str, s: &Summary, secs: f64, cpu: f64) {
    println!(
        "{what:<44} {:>7} docs in {:>6.2}s = {:>7.0} docs/s ({:.1} MB/s; {:.1} CPU-s = {:.0} docs per CPU-s; load {}); {} incidents, {} events, {} verdicts, log {} entries",
        s.new,
        secs,
        s.new as f64 / secs,
        s.bytes as f64 / 1e6 / secs,
        cpu,
        s.new as f64 / cpu.max(1e-9),
        load(),
        s.incidents,
        s.events,
        s.verdicts,
        s.log_size
    );
}

/// The 1-minute load average (how busy the machine was).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn main() {
    let docs = env_u64("TRUCE_BENCH_DOCS", 20_000);
    let memory_docs = env_u64("TRUCE_BENCH_MEMORY_DOCS", 100_000);
    let batch = env_u64("TRUCE_BENCH_BATCH", 2048) as usize;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("truce-ingest benchmark: {threads} cores, batches of {batch}");
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("corpus.jsonl");
    let bytes = write_corpus(&input, docs, 0);
    println!(
        "corpus: {docs} synthetic documents, {:.1} MB",
        bytes as f64 / 1e6
    );

    // SQLite, fresh.
    let store =
        truce_store::open(&Location::Sqlite(tmp.path().join("sqlite"))).expect("sqlite store");
    let (s, secs, cpu) = run(&*store, &input, batch, &mut truce_ingest::Quiet);
    report("SQLite, new documents", &s, secs, cpu);
    let (s2, secs2, _) = run(&*store, &input, batch, &mut truce_ingest::Quiet);
    println!(
        "{:<44} {:>7} docs in {:>6.2}s = {:>7.0} docs/s (all skipped by hash)",
        "SQLite, the same documents again",
        s2.skipped,
        secs2,
        s2.skipped as f64 / secs2
    );
    drop(store);

    // PostgreSQL, in a fresh schema.
    match std::env::var("TRUCE_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let schema = format!("truce_bench_{}", std::process::id());
            let mut c =
                postgres::Client::connect(&base, postgres::NoTls).expect("connect to PostgreSQL");
            c.batch_execute(&format!("CREATE SCHEMA {schema}"))
                .expect("create schema");
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
            let opts = truce_store::Options {
                log_key: Some(tmp.path().join("pg.key")),
                ..Default::default()
            };
            let store =
                truce_store::open_with(&Location::Postgres(url), &opts).expect("postgres store");
            let (s, secs, cpu) = run(&*store, &input, batch, &mut truce_ingest::Quiet);
            report("PostgreSQL, new documents (client CPU only)", &s, secs, cpu);
            drop(store);
            let _ = c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
        }
        _ => println!("PostgreSQL: skipped (set TRUCE_TEST_DATABASE_URL)"),
    }

    // Memory over a long run.
    if memory_docs > 0 {
        let input = tmp.path().join("memory.jsonl");
        write_corpus(&input, memory_docs, 1_000_000);
        println!("memory: {memory_docs} documents into SQLite");
        let store =
            truce_store::open(&Location::Sqlite(tmp.path().join("memory"))).expect("sqlite store");
        let every = (memory_docs / 10).max(1);
        let mut m = Memory {
            every,
            next: every,
            done: 0,
            start: Instant::now(),
        };
        let (s, secs, cpu) = run(&*store, &input, batch, &mut m);
        report("SQLite, memory run", &s, secs, cpu);
        let (_, peak) = rss_mb();
        println!("max RSS {peak:.1} MB over {memory_docs} documents");
    }
}
