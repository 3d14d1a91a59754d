//! Load benchmark: starts the server in-process over a SQLite store filled with generated
//! events (store API), then runs `wrk` (Debian package `wrk`) against read endpoints, the log
//! and a static file, and prints requests/s and latency percentiles.
//!
//!     cargo bench -p truce-server --bench wrk
//!
//! Environment: `TRUCE_BENCH_EVENTS` (default 2000 events), `TRUCE_BENCH_SECONDS` (default 8),
//! `TRUCE_BENCH_THREADS` (server worker threads, default 2), `TRUCE_BENCH_CONNECTIONS`
//! (default 32), `TRUCE_BENCH_CACHE_MS` (the API micro-cache's TTL, default 1000 as `truce
//! serve`; 0 measures every request going to the store), `TRUCE_BENCH_ONLY` (run only the
//! endpoints whose name contains it). wrk runs on the same machine, so the figures are a lower
//! bound.

use std::process::Command;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use truce_model::{
    Casualties, Count, DatePrecision, DocumentMeta, Evidence, GeoPrecision, Incident, NaiveDate,
    Qualifier, Reporter, Side, Span, Target, Weapon,
};
use truce_store::{AgreementRow, EventRow, RecordKey, Store, VerdictRow};

/// The allocator `truce serve` runs with (see `crates/truce/src/cmd/serve.rs`).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `n` documents with one incident each, one event per incident, one verdict per event.
fn fill(store: &dyn Store, n: usize) {
    let places = [
        ("Sumy", "Sumy Oblast", 50.9077, 34.7981),
        ("Kharkiv", "Kharkiv Oblast", 49.9935, 36.2304),
        ("Kherson", "Kherson Oblast", 46.6354, 32.6169),
        ("Odesa", "Odesa Oblast", 46.4825, 30.7233),
        ("Zaporizhzhia", "Zaporizhzhia Oblast", 47.8388, 35.1396),
    ];
    let start = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
    let summary = serde_json::json!({
        "kind": "partial", "parties": ["RU", "UA"], "in_force": true,
        "window": {"start": "2025-03-18T00:00:00+03:00", "end": "2025-04-17T00:00:00+03:00"}
    });
    let mut b = store.begin("bench").expect("begin");
    b.put_agreement(&AgreementRow {
        id: "energy-moratorium-2025".into(),
        title: "Energy moratorium".into(),
        toml: String::new(),
        summary: summary.to_string(),
        updated_at: 0,
    })
    .expect("agreement");
    for i in 0..n {
        let (place, admin1, lat, lon) = places[i % places.len()];
        let date = start + chrono::Days::new((i % 90) as u64);
        let sentence = format!(
            "Report {i}: a drone struck a substation in {place}, killing {} people.",
            i % 7
        );
        let text = format!("Generated bench document {i}. {sentence}");
        let id: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let meta = DocumentMeta {
            id: id.clone(),
            published: Some(date),
            language: "en".into(),
            url: None,
            source: Some(format!("bench-{i}.txt")),
            boilerplate: vec![],
        };
        b.put_document(&meta, &text).expect("document");
        let s = text.find(&sentence).unwrap_or(0);
        let target = if i % 3 == 0 {
            Target::Civilian
        } else {
            Target::Energy
        };
        let inc = Incident {
            date: Some(date),
            date_precision: DatePrecision::Day,
            place: Some(place.into()),
            admin1: Some(admin1.into()),
            country: Some("UA".into()),
            lat: Some(lat),
            lon: Some(lon),
            geo_precision: Some(GeoPrecision::Settlement),
            perpetrator: Side::Ru,
            reported_by: Reporter::Ua,
            weapons: vec![Weapon::Drone],
            targets: vec![target],
            killed: Casualties {
                count: Some(Count {
                    n: (i % 7) as u32,
                    q: Qualifier::Exact,
                }),
                vague_low: None,
            },
            injured: Casualties::default(),
            evidence: Evidence {
                span: Span::new(s, s + sentence.len()),
                text: sentence.clone(),
            },
        };
        b.put_records(&id, &[inc], &[]).expect("records");
        let ev = format!("ev-{i:06}");
        b.put_event(&EventRow {
            id: ev.clone(),
            date: Some(date),
            place: Some(place.into()),
            admin1: Some(admin1.into()),
            country: Some("UA".into()),
            lat: Some(lat),
            lon: Some(lon),
            perpetrator: Side::Ru,
            targets: vec![target],
            payload: "{}".into(),
            members: vec![RecordKey::new(id, 0)],
            updated_at: 0,
        })
        .expect("event");
        let violation = target == Target::Energy && (17..47).contains(&(i % 90));
        b.put_verdict(&VerdictRow {
            event: ev,
            agreement: "energy-moratorium-2025".into(),
            verdict: if violation {
                "violation_alleged"
            } else {
                "not_applicable"
            }
            .into(),
            strength: violation.then(|| "one_party_claim".into()),
            reason: "bench".into(),
            engine: "bench".into(),
            entries: vec![],
            updated_at: 0,
        })
        .expect("verdict");
    }
    b.commit().expect("commit");
}

/// CPU time this process (the server) has used so far, in seconds (from /proc; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which ends with ')'): utime is the 12th, stime the 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    let ticks = f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0);
    ticks / 100.0
}

/// Requests wrk completed ("N requests in ...").
fn requests(out: &str) -> u64 {
    out.lines()
        .find_map(|l| l.split_once(" requests in "))
        .and_then(|(n, _)| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Parses wrk's output: (requests/s, p50, p99, non-2xx count).
fn parse(out: &str) -> (f64, String, String, u64) {
    let mut rps = 0.0;
    let (mut p50, mut p99) = (String::new(), String::new());
    let mut non2xx = 0;
    for line in out.lines() {
        let l = line.trim();
        if let Some(v) = l.strip_prefix("Requests/sec:") {
            rps = v.trim().parse().unwrap_or(0.0);
        } else if let Some(v) = l.strip_prefix("50%") {
            p50 = v.trim().to_string();
        } else if let Some(v) = l.strip_prefix("99%") {
            p99 = v.trim().to_string();
        } else if let Some(v) = l.strip_prefix("Non-2xx or 3xx responses:") {
            non2xx = v.trim().parse().unwrap_or(0);
        }
    }
    (rps, p50, p99, non2xx)
}

fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("wrk is not installed (apt-get install -y wrk); nothing measured");
        std::process::exit(1);
    }
    let n = env("TRUCE_BENCH_EVENTS", 2000) as usize;
    let secs = env("TRUCE_BENCH_SECONDS", 8);
    let threads = env("TRUCE_BENCH_THREADS", 2) as usize;
    let conns = env("TRUCE_BENCH_CONNECTIONS", 32);
    let dir = tempfile::tempdir().expect("tempdir");
    let store: Arc<dyn Store> = Arc::from(
        truce_store::open(&truce_store::Location::Sqlite(dir.path().join("data")))
            .expect("open store"),
    );
    fill(&*store, n);
    // A real log beside it (so /checkpoint and tiles answer): 1000 entries.
    let signer = truce_note::Signer::generate("truce.bench/log", truce_note::SigType::Ed25519)
        .expect("signer");
    let mut log = truce_tlog::Log::open(truce_tlog::MemoryStorage::new(), signer).expect("log");
    let entries: Vec<Vec<u8>> = (0..1000)
        .map(|i| format!("entry {i}").into_bytes())
        .collect();
    log.append_batch(&entries).expect("append");
    let cache_ms = env("TRUCE_BENCH_CACHE_MS", 1000);
    // The anonymous per-address limit stays on (its cost is measured) but never trips: wrk's
    // connections all come from one address.
    let config = truce_server::Config {
        cache_ttl: std::time::Duration::from_millis(cache_ms),
        anon_rate_per_s: 1e9,
        anon_burst: u32::MAX,
        ..truce_server::Config::default()
    };
    let mut state = truce_server::AppState::new(Arc::clone(&store), config);
    state.log = Arc::new(log.into_storage());

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    rt.spawn(truce_server::serve(listener, state));

    let cases = [
        (
            "events page (limit 20)",
            "/api/v1/events?limit=20".to_string(),
        ),
        (
            "events filtered",
            "/api/v1/events?admin1=Sumy%20Oblast&target=energy&limit=20".to_string(),
        ),
        ("one event", "/api/v1/events/ev-000042".to_string()),
        ("verdicts page", "/api/v1/verdicts?limit=50".to_string()),
        ("agreements", "/api/v1/agreements".to_string()),
        ("checkpoint", "/checkpoint".to_string()),
        ("full tile", "/tile/0/000".to_string()),
        ("static file (app.js)", "/assets/app.js".to_string()),
    ];
    println!(
        "truce-server under wrk: {n} events, server {threads} worker threads, API cache TTL {cache_ms} ms, wrk -t2 -c{conns} -d{secs}s --latency (same machine)"
    );
    println!(
        "{:<26} {:>12} {:>10} {:>10} {:>8} {:>14}",
        "endpoint", "requests/s", "p50", "p99", "non-2xx", "server CPU/req"
    );
    let only = std::env::var("TRUCE_BENCH_ONLY").unwrap_or_default();
    for (name, path) in cases {
        if !only.is_empty() && !name.contains(only.as_str()) {
            continue;
        }
        let url = format!("http://{addr}{path}");
        let cpu0 = cpu_seconds();
        let out = Command::new("wrk")
            .args([
                "-t2",
                &format!("-c{conns}"),
                &format!("-d{secs}s"),
                "--latency",
                &url,
            ])
            .output()
            .expect("running wrk");
        let text = String::from_utf8_lossy(&out.stdout);
        let (rps, p50, p99, non2xx) = parse(&text);
        // Server CPU per request: independent of what else the machine runs (unlike req/s).
        let per = (cpu_seconds() - cpu0) / requests(&text).max(1) as f64 * 1e6;
        println!(
            "{name:<26} {rps:>12.0} {p50:>10} {p99:>10} {non2xx:>8} {:>11.0} us",
            per
        );
    }
}
