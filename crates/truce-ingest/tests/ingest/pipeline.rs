//! Ingest end to end into a real SQLite store with the shipped coder and rules: the dev corpus
//! and the example agreements go in, the log verifies (signature, tree, replayed verdicts),
//! ingesting again adds nothing, bad inputs are reported and lose nothing.

use std::path::{Path, PathBuf};

use truce_ingest::store_sink::{self, Request};
use truce_ingest::{BatchReport, InputError, Observer, Options, Summary, replay_verdicts};
use truce_store::{Location, Store};
use truce_tlog::{StorageFetcher, verify_log};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn open_sqlite(dir: &Path) -> Box<dyn Store> {
    truce_store::open(&Location::Sqlite(dir.to_path_buf())).unwrap()
}

/// Collects what the pipeline reports.
#[derive(Default)]
pub struct Seen {
    pub errors: Vec<String>,
    pub acked: Vec<String>,
}

impl Observer for Seen {
    fn input_error(&mut self, e: &InputError) {
        self.errors.push(e.to_string());
    }
    fn committed(&mut self, b: &BatchReport<'_>) {
        self.acked.extend(b.committed.iter().map(|s| s.to_string()));
    }
}

pub fn ingest(
    store: &dyn Store,
    paths: &[PathBuf],
    agreements: bool,
    batch: usize,
) -> (Summary, Seen) {
    let dir = repo().join("examples/agreements");
    let req = Request {
        paths,
        agreements: agreements.then_some(dir.as_path()),
        options: Options { batch_size: batch },
        author: "test",
        queue: false,
    };
    let mut seen = Seen::default();
    let summary = store_sink::ingest(store, &req, &mut seen).unwrap();
    (summary, seen)
}

/// Verifies the store's log: checkpoint signature, every tile and bundle recomputed, and the
/// verdicts replayed. Returns the log size.
pub fn verify(store: &dyn Store) -> u64 {
    let signer = store_sink::log_signer(store).unwrap();
    let mut entries = Vec::new();
    let report = verify_log(
        &StorageFetcher(store),
        &[signer.verifier()],
        None,
        &mut |_, e| {
            entries.push(e.to_vec());
            Ok(())
        },
    )
    .unwrap();
    let replay = replay_verdicts(entries).unwrap();
    assert!(replay.ok(), "{:#?}", replay.mismatches);
    report.checkpoint.size
}

#[test]
fn the_dev_corpus_goes_in_verifies_and_goes_in_once() {
    let t = tempfile::tempdir().unwrap();
    let store = open_sqlite(t.path());
    let dev = vec![repo().join("corpus/dev")];
    let (s, seen) = ingest(&*store, &dev, true, 16);
    assert_eq!(s.failed, 0, "{:?}", seen.errors);
    assert!(s.read >= 40, "{s:?}");
    assert_eq!(s.new, s.read);
    assert_eq!(s.agreements, 5);
    assert!(s.incidents > 20 && s.events > 10 && s.verdicts > 0, "{s:?}");
    let counts = store.counts().unwrap();
    assert_eq!(counts.documents, s.new);
    assert_eq!(counts.incidents, s.incidents);
    assert_eq!(counts.events, s.events);
    assert_eq!(counts.agreements, 5);
    assert_eq!(seen.acked.len() as u64, s.new);
    // The log: 5 agreements, two entries per document, and the verdicts.
    assert_eq!(s.log_size, 5 + 2 * s.new + s.verdicts);
    assert_eq!(verify(&*store), s.log_size);

    // Again, in other batch sizes: nothing new, the log does not move.
    for batch in [1, 1000] {
        let (again, _) = ingest(&*store, &dev, true, batch);
        assert_eq!(
            (again.new, again.skipped, again.verdicts, again.agreements),
            (0, s.read, 0, 0),
            "{again:?}"
        );
        assert_eq!(again.log_size, s.log_size);
    }
    assert_eq!(verify(&*store), s.log_size);
}

#[test]
fn batches_of_one_and_of_all_give_the_same_events_and_verdicts() {
    let run = |batch: usize| {
        let t = tempfile::tempdir().unwrap();
        let store = open_sqlite(t.path());
        let (s, _) = ingest(&*store, &[repo().join("corpus/dev")], true, batch);
        verify(&*store);
        let mut events: Vec<String> = store
            .events(&truce_store::Query::limit(10_000))
            .unwrap()
            .items
            .into_iter()
            .map(|e| e.id)
            .collect();
        events.sort();
        let verdicts: Vec<(String, String, String, Option<String>)> = store
            .verdicts(&truce_store::Query::limit(10_000))
            .unwrap()
            .items
            .into_iter()
            .map(|v| (v.event, v.agreement, v.verdict, v.strength))
            .collect();
        (s.events, events, verdicts)
    };
    let (n1, e1, v1) = run(1);
    let (n2, e2, v2) = run(64);
    assert_eq!(n1, n2);
    assert_eq!(e1, e2);
    assert_eq!(v1, v2);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_ingested() {
    let t = tempfile::tempdir().unwrap();
    let inputs = t.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    let good = std::fs::read_to_string(repo().join("corpus/dev/001_kryvyi_rih_wire.txt")).unwrap();
    write(&inputs, "a_good.txt", good.as_bytes());
    write(&inputs, "b_empty.txt", b"");
    write(&inputs, "c_binary.txt", b"\x7fELF\x02\x01\x01\x00\x00");
    let feed = format!(
        "{}\n{{not json\n{}\n",
        serde_json::json!({"text": "Russian drones struck a substation in Kharkiv on 25 March, the regional governor said.", "published": "2025-03-25"}),
        serde_json::json!({"text": "Shelling hit Kherson on 2 April, killing two people, officials said.", "published": "2025-04-02", "url": "https://example.org/k"}),
    );
    write(&inputs, "d_feed.jsonl", feed.as_bytes());
    let store = open_sqlite(&t.path().join("data"));
    let paths = vec![inputs.clone(), t.path().join("no-such-folder")];
    let (s, seen) = ingest(&*store, &paths, false, 8);
    assert_eq!(
        (s.read, s.new, s.failed),
        (3, 3, 4),
        "{s:?} {:?}",
        seen.errors
    );
    let errors = seen.errors.join("\n");
    for want in [
        "b_empty.txt: empty document",
        "c_binary.txt: binary data",
        "d_feed.jsonl:2: not JSON",
        "no-such-folder: cannot read",
    ] {
        assert!(errors.contains(want), "{want} not in\n{errors}");
    }
    assert_eq!(store.counts().unwrap().documents, 3);
    let size = verify(&*store);
    // The same inputs again: the same errors, nothing new.
    let (again, _) = ingest(&*store, &paths, false, 8);
    assert_eq!((again.new, again.skipped, again.failed), (0, 3, 4));
    assert_eq!(verify(&*store), size);
}

#[test]
fn a_bad_agreement_stops_the_run_before_anything_is_written() {
    let t = tempfile::tempdir().unwrap();
    let agreements = t.path().join("agreements");
    std::fs::create_dir_all(&agreements).unwrap();
    write(
        &agreements,
        "broken.toml",
        b"id = \"x\"\nkind = \"partial\"\nwindows = [",
    );
    let store = open_sqlite(&t.path().join("data"));
    let req = Request {
        paths: &[repo().join("corpus/dev/001_kryvyi_rih_wire.txt")],
        agreements: Some(&agreements),
        options: Options::default(),
        author: "test",
        queue: false,
    };
    let err = store_sink::ingest(&*store, &req, &mut Seen::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("broken.toml"), "{err}");
    assert_eq!(store.log_size().unwrap(), 0);
    assert_eq!(store.counts().unwrap().documents, 0);
}

#[test]
fn a_locked_database_is_a_clear_error_and_loses_nothing_committed() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("data");
    let store = open_sqlite(&dir);
    let first = vec![repo().join("corpus/dev/001_kryvyi_rih_wire.txt")];
    let (s, _) = ingest(&*store, &first, false, 8);
    assert_eq!(s.new, 1);
    let size = verify(&*store);
    // Another writer holds the database's write lock for longer than the store waits.
    let other = truce_store::open_with(
        &Location::Sqlite(dir.clone()),
        &truce_store::Options {
            busy_timeout: std::time::Duration::from_millis(200),
            ..Default::default()
        },
    )
    .unwrap();
    let holder = open_sqlite(&dir);
    let mut lock = holder.begin("holder").unwrap();
    lock.lock_log().unwrap();
    let req = Request {
        paths: &[repo().join("corpus/dev/002_air_force_night_7_8_march.txt")],
        agreements: None,
        options: Options::default(),
        author: "test",
        queue: false,
    };
    let err = store_sink::ingest(&*other, &req, &mut Seen::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("lock") || err.contains("busy"), "{err}");
    assert!(
        err.contains("truce.db"),
        "the error names the database: {err}"
    );
    lock.rollback().unwrap();
    // Nothing committed is lost; the same run now goes through.
    assert_eq!(verify(&*store), size);
    let (again, _) = ingest(
        &*store,
        &[repo().join("corpus/dev/002_air_force_night_7_8_march.txt")],
        false,
        8,
    );
    assert_eq!(again.new, 1);
    verify(&*store);
}

#[test]
fn the_dev_corpus_outlets_make_voices_and_corroboration() {
    let t = tempfile::tempdir().unwrap();
    let store = open_sqlite(t.path());
    let dev = vec![repo().join("corpus/dev")];
    ingest(&*store, &dev, true, 64);
    let mut voices = std::collections::BTreeSet::new();
    let mut q = truce_store::Query::limit(500);
    loop {
        let page = store.events(&q).unwrap();
        for e in &page.items {
            let v: serde_json::Value = serde_json::from_str(&e.payload).unwrap();
            for voice in v["voices"].as_array().unwrap() {
                voices.insert(voice.as_str().unwrap().to_string());
            }
        }
        match page.next {
            Some(c) => q.after = Some(c),
            None => break,
        }
    }
    // Sidecars name the outlets; no voice is a file path.
    assert!(
        voices.contains("outlet:Continental Press Agency"),
        "{voices:#?}"
    );
    assert!(
        voices.iter().all(|v| !v.contains("corpus/dev")),
        "{voices:#?}"
    );
    verify(&*store);
}

/// The `.txt` files of the dev corpus (with their sidecars read alongside), in order.
fn dev_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("corpus/dev"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

/// A verdict as (event, agreement, verdict, strength).
type VerdictKey = (String, String, String, Option<String>);

/// Events and verdicts of a store, sorted.
fn outcome(store: &dyn Store) -> (Vec<String>, Vec<VerdictKey>) {
    let mut events: Vec<String> = store
        .events(&truce_store::Query::limit(10_000))
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.id)
        .collect();
    events.sort();
    let mut verdicts: Vec<_> = store
        .verdicts(&truce_store::Query::limit(10_000))
        .unwrap()
        .items
        .into_iter()
        .map(|v| (v.event, v.agreement, v.verdict, v.strength))
        .collect();
    verdicts.sort();
    (events, verdicts)
}

/// A run resumed on the ledger an earlier run left catches up on what another process appended
/// meanwhile and gives what one run over everything gives; on a shorter log (another store) it
/// replays that log from the start.
#[test]
fn a_resumed_run_catches_up_with_other_processes() {
    use truce_ingest::Ingest;
    let files = dev_files();
    assert!(files.len() >= 30, "{}", files.len());
    let third = files.len() / 3;
    let (a, rest) = files.split_at(third);
    let (b, c) = rest.split_at(third);
    let gazetteer = truce_gazetteer::Gazetteer::embedded();
    let lexicon = truce_lexicon::Lexicon::embedded();
    let coder = truce_coder::Coder::new(&gazetteer, &lexicon);
    let rules = truce_ingest::engine::Rules;
    fn sink(store: &dyn Store) -> store_sink::StoreSink<'_> {
        store_sink::StoreSink::new(store, store_sink::log_signer(store).unwrap(), "test")
    }

    let t = tempfile::tempdir().unwrap();
    let store = open_sqlite(t.path());
    let (first, _) = ingest(&*store, a, true, 16);
    let mut run = Ingest::open(&rules, &coder, sink(&*store), Options::default()).unwrap();
    assert_eq!(run.ledger().size(), first.log_size);
    run.run(&[], &mut Seen::default()).unwrap();
    let ledger = run.into_ledger();
    // Another process appends the second third.
    let (other, _) = ingest(&*store, b, false, 16);
    assert!(other.new > 0 && other.log_size > ledger.size(), "{other:?}");
    let mut run =
        Ingest::resume(&rules, &coder, sink(&*store), Options::default(), ledger).unwrap();
    assert_eq!(run.ledger().size(), other.log_size);
    let s = run.run(c, &mut Seen::default()).unwrap();
    assert!(s.new > 0, "{s:?}");
    assert_eq!(s.log_size, store.log_size().unwrap());
    let ledger = run.into_ledger();
    assert_eq!(ledger.size(), s.log_size);
    assert_eq!(verify(&*store), s.log_size);

    // The same thirds in one store, each by a fresh run: the same events and verdicts.
    let t2 = tempfile::tempdir().unwrap();
    let fresh = open_sqlite(t2.path());
    ingest(&*fresh, a, true, 16);
    ingest(&*fresh, b, false, 16);
    ingest(&*fresh, c, false, 16);
    assert_eq!(outcome(&*fresh), outcome(&*store));

    // Resumed on another, shorter log: that log is replayed from the start.
    let t3 = tempfile::tempdir().unwrap();
    let short = open_sqlite(t3.path());
    let (small, _) = ingest(&*short, &a[..2], true, 16);
    assert!(small.log_size < ledger.size());
    let mut run =
        Ingest::resume(&rules, &coder, sink(&*short), Options::default(), ledger).unwrap();
    assert_eq!(run.ledger().size(), small.log_size);
    let s = run.run(&a[2..4], &mut Seen::default()).unwrap();
    assert_eq!(s.new, 2);
    assert_eq!(verify(&*short), s.log_size);
}
