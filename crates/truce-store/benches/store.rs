//! Batched ingest writes: documents + their records + one log entry each, committed per batch
//! through the sequencer, on SQLite (temp dir) and PostgreSQL (a scratch schema in
//! $TRUCE_TEST_DATABASE_URL). Prints documents/s for both, then read queries/s.
//!
//! `cargo bench -p truce-store` (TRUCE_BENCH_DOCS=N to change the document count).

use std::time::Instant;

use sha2::{Digest, Sha256};
use truce_model::{
    About, Act, Casualties, Count, DatePrecision, DocumentMeta, Evidence, GeoPrecision, Incident,
    NaiveDate, Party, Qualifier, Reporter, Side, Span, Statement, Target, Weapon,
};
use truce_note::{SigType, Signer};
use truce_store::{BatchLog, Location, NewDocument, Options, Query, Store};
use truce_tlog::Log;

const BATCH: usize = 500;

struct Doc {
    meta: DocumentMeta,
    text: String,
    incidents: Vec<Incident>,
    statements: Vec<Statement>,
    entry: Vec<u8>,
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn make_docs(n: usize) -> Vec<Doc> {
    let oblasts = [
        "Sumy Oblast",
        "Kharkiv Oblast",
        "Odesa Oblast",
        "Zaporizhzhia Oblast",
    ];
    (0..n)
        .map(|i| {
            let text = format!(
                "Report {i}. Overnight a missile strike hit an energy facility near the city, the \
                 regional governor said on Telegram. At least {} people were killed and {} injured. \
                 The ministry said air defences shot down {} of {} drones. {}",
                i % 40,
                i % 90,
                i % 30,
                i % 50,
                "Officials repeated that any ceasefire must be monitored. ".repeat(20)
            );
            let id = hex(&Sha256::digest(text.as_bytes()));
            let day = NaiveDate::from_ymd_opt(2025, 3 + (i % 3) as u32, 1 + (i % 28) as u32);
            let incident = |k: usize| Incident {
                date: day,
                date_precision: DatePrecision::Day,
                place: Some(format!("Town {}", i % 97)),
                admin1: Some(oblasts[(i + k) % oblasts.len()].to_string()),
                country: Some("UA".into()),
                lat: Some(50.0 + (i % 100) as f64 / 100.0),
                lon: Some(34.0 + (i % 100) as f64 / 100.0),
                geo_precision: Some(GeoPrecision::Settlement),
                perpetrator: if k == 0 { Side::Ru } else { Side::Ua },
                reported_by: Reporter::Media,
                weapons: vec![Weapon::Missile, Weapon::Drone],
                targets: vec![Target::Energy],
                killed: Casualties {
                    count: Some(Count {
                        n: (i % 40) as u32,
                        q: Qualifier::AtLeast,
                    }),
                    vague_low: None,
                },
                injured: Casualties::default(),
                evidence: Evidence {
                    span: Span::new(10, 90),
                    text: "Overnight a missile strike hit an energy facility near the city".into(),
                },
            };
            let statement = Statement {
                date: day,
                speaker: "A ministry spokesperson".into(),
                party: Party::Ua,
                act: Act::Accuse,
                about: About::EnergyMoratorium,
                target: Some(Party::Ru),
                evidence: Evidence {
                    span: Span::new(100, 160),
                    text: "The ministry said air defences shot down drones".into(),
                },
            };
            let entry = format!(
                "{{\"type\":\"document\",\"id\":\"{id}\",\"published\":\"2025-03-14\",\"incidents\":2,\"statements\":1}}"
            )
            .into_bytes();
            Doc {
                meta: DocumentMeta {
                    id,
                    published: day,
                    language: "en".into(),
                    url: Some(format!("https://example.org/report/{i}")),
                    source: Some(format!("bench/{i}.txt")),
                    boilerplate: vec![],
                },
                text,
                incidents: vec![incident(0), incident(1)],
                statements: vec![statement],
                entry,
            }
        })
        .collect()
}

fn run(name: &str, store: &dyn Store, docs: &[Doc]) {
    let signer =
        Signer::from_seed("bench.truce/log", SigType::Ed25519, &[3u8; 32]).expect("signer");
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let start = Instant::now();
    for chunk in docs.chunks(BATCH) {
        let mut b = store.begin("bench").expect("begin");
        let new: Vec<NewDocument<'_>> = chunk
            .iter()
            .map(|d| NewDocument {
                meta: &d.meta,
                text: &d.text,
                incidents: &d.incidents,
                statements: &d.statements,
            })
            .collect();
        let fresh = b.put_documents(&new).expect("documents");
        let entries: Vec<Vec<u8>> = chunk
            .iter()
            .zip(fresh)
            .filter(|(_, f)| *f)
            .map(|(d, _)| d.entry.clone())
            .collect();
        let mut log = Log::open(BatchLog(&mut *b), signer.clone()).expect("open log");
        log.append_batch(&entries).expect("append");
        drop(log);
        b.commit().expect("commit");
    }
    let secs = start.elapsed().as_secs_f64();
    let counts = store.counts().expect("counts");
    assert_eq!(counts.documents, docs.len() as u64);
    assert_eq!(counts.log_size, docs.len() as u64);
    println!(
        "{name:<10} {:>7} documents ({:.1} MB, {} incidents, {} statements, {} log entries) in {:.2} s: {:>8.0} documents/s, batches of {BATCH}",
        docs.len(),
        bytes as f64 / 1e6,
        counts.incidents,
        counts.statements,
        counts.log_size,
        secs,
        docs.len() as f64 / secs
    );
}

/// Read queries the API serves: a filtered page of incidents continued by cursor, a page of
/// documents, one document by id. Single thread, after `Store::optimize` (fresh statistics).
fn reads(name: &str, store: &dyn Store, docs: &[Doc], quick: bool) {
    store.optimize().expect("optimize");
    let rounds = if quick { 200 } else { 5_000 };
    let start = Instant::now();
    let mut items = 0usize;
    for i in 0..rounds {
        let q = Query {
            admin1: Some("Kharkiv Oblast".into()),
            ..Query::limit(50)
        };
        let page = store.incidents(&q).expect("incidents");
        items += page.items.len();
        let next = Query {
            after: page.next,
            ..q
        };
        items += store.incidents(&next).expect("incidents").items.len();
        items += store
            .documents(&Query::limit(50))
            .expect("documents")
            .items
            .len();
        let d = &docs[(i * 7919) % docs.len()];
        items += usize::from(store.document(&d.meta.id).expect("document").is_some());
    }
    let secs = start.elapsed().as_secs_f64();
    let queries = rounds * 4;
    println!(
        "{name:<10} {queries:>7} read queries ({items} rows: filtered incident pages of 50 with cursors, document pages, documents by id) in {secs:.2} s: {:>8.0} queries/s on one thread",
        queries as f64 / secs
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this too: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("TRUCE_BENCH_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if quick { 600 } else { 20_000 });
    let docs = make_docs(n);
    println!(
        "truce-store: batched ingest writes (document + 2 incidents + 1 statement + 1 log entry each)"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let store = truce_store::open_with(
        &Location::Sqlite(dir.path().join("data")),
        &Options::default(),
    )
    .expect("open SQLite");
    run("SQLite", &*store, &docs);
    reads("SQLite", &*store, &docs, quick);

    match std::env::var("TRUCE_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let schema = format!("truce_bench_{}", std::process::id());
            let mut admin =
                postgres::Client::connect(&base, postgres::NoTls).expect("connect PostgreSQL");
            admin
                .batch_execute(&format!(
                    "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
                ))
                .expect("create schema");
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
            let opts = Options {
                log_key: Some(dir.path().join("pg-log.key")),
                ..Options::default()
            };
            let store =
                truce_store::open_with(&Location::Postgres(url), &opts).expect("open PostgreSQL");
            run("PostgreSQL", &*store, &docs);
            reads("PostgreSQL", &*store, &docs, quick);
            drop(store);
            admin
                .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
                .expect("drop schema");
        }
        _ => println!(
            "PostgreSQL: not measured: set TRUCE_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/truce_test)"
        ),
    }
}
