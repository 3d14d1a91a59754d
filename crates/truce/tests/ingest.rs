//! `truce ingest` as a process (owner: ingest): killed with SIGKILL at random moments on SQLite
//! and on PostgreSQL, then checked: every acknowledged document is stored, nothing is
//! half-written, the log verifies (signature, tree, replayed verdicts), and a final run
//! completes the rest. And two processes sharing one PostgreSQL database through the job queue.
//!
//! PostgreSQL: `TRUCE_TEST_DATABASE_URL` (set by .ci/run); each test works in its own schema.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use truce_ingest::replay_verdicts;
use truce_store::{Location, Options, Store};
use truce_tlog::{StorageFetcher, verify_log};
use truce_wire::entry::Entry;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A place for a store: a SQLite folder, or a fresh PostgreSQL schema (dropped afterwards).
struct Place {
    dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl Place {
    fn sqlite() -> Place {
        Place {
            dir: tempfile::tempdir().unwrap(),
            pg: None,
        }
    }

    fn postgres(tag: &str) -> Place {
        let base = match std::env::var("TRUCE_TEST_DATABASE_URL") {
            Ok(u) if !u.is_empty() => u,
            _ => panic!(
                "TRUCE_TEST_DATABASE_URL is not set: the PostgreSQL crash and scale-out tests need a \
                 database (.ci/run sets it; e.g. postgres://postgres@127.0.0.1:5432/truce_test)"
            ),
        };
        let schema = format!("truce_ingest_{tag}_{}", std::process::id());
        let mut c = postgres::Client::connect(&base, postgres::NoTls).unwrap();
        c.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .unwrap();
        Place {
            dir: tempfile::tempdir().unwrap(),
            pg: Some((base, schema)),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn url(&self) -> Option<String> {
        self.pg.as_ref().map(|(base, schema)| {
            let sep = if base.contains('?') { '&' } else { '?' };
            format!("{base}{sep}options=-csearch_path%3D{schema}")
        })
    }

    fn key(&self) -> PathBuf {
        self.dir.path().join("log.key")
    }

    /// `truce ingest` on this store.
    fn ingest(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_truce"));
        c.arg("ingest").args(args);
        match self.url() {
            Some(u) => c.arg("--db").arg(u),
            None => c.arg("--data").arg(self.data()),
        };
        c.env("TRUCE_LOG_KEY", self.key())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        c
    }

    fn open(&self) -> Box<dyn Store> {
        let loc = match self.url() {
            Some(u) => Location::Postgres(u),
            None => Location::Sqlite(self.data()),
        };
        // SQLite keeps its key in the data folder; PostgreSQL's is where TRUCE_LOG_KEY points.
        let opts = match self.pg {
            Some(_) => Options {
                log_key: Some(self.key()),
                ..Options::default()
            },
            None => Options::default(),
        };
        truce_store::open_with(&loc, &opts).unwrap()
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.pg
            && let Ok(mut c) = postgres::Client::connect(base, postgres::NoTls)
        {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

/// `n` synthetic documents from the dev corpus, as JSON Lines files of `per_file` rows.
fn corpus(dir: &Path, n: u64, per_file: u64) -> Vec<PathBuf> {
    let mut bases = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(repo().join("corpus/dev"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    for p in names {
        let text = std::fs::read_to_string(&p).unwrap();
        let side = p.with_extension("meta.json");
        let published = std::fs::read_to_string(side)
            .ok()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
            .and_then(|v| {
                v["published"]
                    .as_str()
                    .and_then(|d| truce_model::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            });
        bases.push((text, published));
    }
    std::fs::create_dir_all(dir).unwrap();
    let mut files = Vec::new();
    let mut k = 0;
    while k < n {
        let path = dir.join(format!("feed_{:04}.jsonl", k / per_file));
        let mut rows = String::new();
        for _ in 0..per_file.min(n - k) {
            let (text, published) = &bases[(k % bases.len() as u64) as usize];
            rows.push_str(&truce_ingest::synth::jsonl_row(
                text,
                *published,
                k / bases.len() as u64 * 1000 + k,
            ));
            rows.push('\n');
            k += 1;
        }
        std::fs::write(&path, rows).unwrap();
        files.push(path);
    }
    files
}

/// A small deterministic generator (xorshift64*), seeded and printed so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Document ids acknowledged in the ack file (`ack <size> <id>...` per committed batch).
fn acknowledged(ack: &Path) -> HashSet<String> {
    let text = std::fs::read_to_string(ack).unwrap_or_default();
    let mut ids = HashSet::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        // A line cut short by the kill has no newline: lines() still yields it, but a torn id is
        // shorter than 64 hex digits and is left out.
        if words.next() != Some("ack") {
            continue;
        }
        let _size = words.next();
        ids.extend(words.filter(|w| w.len() == 64).map(str::to_string));
    }
    ids
}

/// Checks a store after a crash: the log verifies, the rows match the log, and every
/// acknowledged document is present. Returns the number of documents stored.
fn check(place: &Place, acked: &HashSet<String>, context: &str) -> u64 {
    let store = place.open();
    let counts = store.counts().unwrap();
    if counts.log_size == 0 {
        assert!(
            acked.is_empty(),
            "{context}: documents acknowledged but the log is empty"
        );
        assert_eq!(
            counts.documents, 0,
            "{context}: documents stored without log entries"
        );
        return 0;
    }
    let signer = store.log_signer(truce_store::DEFAULT_LOG_ORIGIN).unwrap();
    let mut entries = Vec::new();
    let report = verify_log(
        &StorageFetcher(&*store),
        &[signer.verifier()],
        None,
        &mut |_, e| {
            entries.push(e.to_vec());
            Ok(())
        },
    )
    .unwrap_or_else(|e| panic!("{context}: the log does not verify: {e}"));
    assert_eq!(report.checkpoint.size, counts.log_size, "{context}");
    let (mut docs, mut incidents, mut statements) = (HashSet::new(), 0u64, 0u64);
    for b in &entries {
        match Entry::from_bytes(b).unwrap() {
            Entry::Document(d) => {
                assert!(docs.insert(d.id), "{context}: a document is logged twice")
            }
            Entry::Records(r) => {
                incidents += r.incidents.len() as u64;
                statements += r.statements.len() as u64;
            }
            _ => {}
        }
    }
    // Nothing half-written: the rows are exactly what the log says.
    assert_eq!(
        counts.documents,
        docs.len() as u64,
        "{context}: documents vs log"
    );
    assert_eq!(counts.incidents, incidents, "{context}: incidents vs log");
    assert_eq!(
        counts.statements, statements,
        "{context}: statements vs log"
    );
    for id in acked {
        assert!(
            docs.contains(id),
            "{context}: acknowledged document {id} is not in the log"
        );
        assert!(
            store.has_document(id).unwrap(),
            "{context}: acknowledged document {id} is not stored"
        );
    }
    let replay = replay_verdicts(entries).unwrap();
    assert!(
        replay.ok(),
        "{context}: verdicts do not replay: {:#?}",
        replay.mismatches
    );
    docs.len() as u64
}

fn crash_many_times(place: &Place, kills: u32, seed: u64) {
    eprintln!("crash test seed {seed}");
    let inputs = corpus(&place.dir.path().join("in"), 1500, 500);
    let ack = place.dir.path().join("ack.log");
    let agreements = repo().join("examples/agreements");
    let mut args: Vec<String> = vec![
        "--batch".into(),
        "16".into(),
        "--agreements".into(),
        agreements.display().to_string(),
    ];
    args.push("--ack".into());
    args.push(ack.display().to_string());
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut rng = Rng(seed | 1);
    let mut stored = 0;
    let mut finished_early = 0;
    for round in 0..kills {
        let mut child = place.ingest(&args).spawn().unwrap();
        // Kill at a random moment: on even rounds counted from the start (opening, reading,
        // coding, the first commit), on odd rounds once the run has committed a batch (in the
        // middle of later batches and commits).
        let lines = |p: &Path| std::fs::read_to_string(p).map_or(0, |t| t.lines().count());
        let before = lines(&ack);
        let start = Instant::now();
        if round % 2 == 1 {
            while lines(&ack) == before
                && start.elapsed() < Duration::from_secs(30)
                && child.try_wait().unwrap().is_none()
            {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        let wait = start.elapsed()
            + Duration::from_millis(if round % 2 == 1 {
                rng.below(400)
            } else {
                50 + rng.below(1500)
            });
        while start.elapsed() < wait {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if child.try_wait().unwrap().is_some() {
            finished_early += 1;
        }
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let now = check(
            place,
            &acknowledged(&ack),
            &format!("round {round} (killed after {wait:?}, {status})"),
        );
        assert!(
            now >= stored,
            "round {round}: documents went missing ({now} < {stored})"
        );
        eprintln!("round {round}: killed after {wait:?}: {now} documents stored");
        stored = now;
    }
    // The last run completes the rest.
    let out = place.ingest(&args).output().unwrap();
    assert!(
        out.status.success(),
        "final run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let total = check(place, &acknowledged(&ack), "after the final run");
    assert_eq!(total, 1500);
    assert!(finished_early < kills, "no run was killed mid-way");
}

fn seed() -> u64 {
    std::env::var("TRUCE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(7, |d| d.as_nanos() as u64)
        })
}

#[test]
fn sigkill_during_ingest_on_sqlite_loses_nothing_acknowledged() {
    crash_many_times(&Place::sqlite(), 22, seed());
}

#[test]
fn sigkill_during_ingest_on_postgres_loses_nothing_acknowledged() {
    crash_many_times(&Place::postgres("crash"), 22, seed());
}

#[test]
fn two_processes_share_one_postgres_database() {
    let place = Place::postgres("scale");
    let inputs = corpus(&place.dir.path().join("in"), 600, 25);
    let agreements = repo().join("examples/agreements");
    let mut args: Vec<String> = vec![
        "--queue".into(),
        "--batch".into(),
        "8".into(),
        "--agreements".into(),
        agreements.display().to_string(),
    ];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // Create the schema and the key first, so both workers sign with the same key.
    drop(
        place
            .open()
            .log_signer(truce_store::DEFAULT_LOG_ORIGIN)
            .unwrap(),
    );
    let a = place.ingest(&args).stdout(Stdio::piped()).spawn().unwrap();
    let b = place.ingest(&args).stdout(Stdio::piped()).spawn().unwrap();
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    for o in [&a, &b] {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let new = |o: &std::process::Output| -> u64 {
        let text = String::from_utf8_lossy(&o.stdout);
        let line = text
            .lines()
            .find(|l| l.starts_with("read "))
            .unwrap_or_default()
            .to_string();
        line.split(": ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let (na, nb) = (new(&a), new(&b));
    // Distinct work: each stored its own share, and together everything once.
    assert!(na > 0 && nb > 0, "one worker did nothing: {na} + {nb}");
    assert_eq!(na + nb, 600);
    assert_eq!(check(&place, &HashSet::new(), "two workers"), 600);
    let store = place.open();
    let jobs = store.job_counts().unwrap();
    assert_eq!(
        (jobs.pending, jobs.running, jobs.failed, jobs.done),
        (0, 0, 0, 24)
    );
}

fn truce(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_truce"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

#[test]
fn demo_on_a_fresh_folder_then_verify_export_and_again() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("demo-data");
    let data = data.to_str().unwrap();
    let first = truce(&["demo", "--data", data]);
    let out = String::from_utf8_lossy(&first.stdout).to_string();
    assert!(
        first.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    for want in [
        "the project's example reports",
        "5 agreements logged",
        "Compliance report",
        "30-day moratorium on strikes against energy infrastructure (energy_moratorium_2025, partial)",
        "in force   2025-03-19T00:00:00+03:00 .. 2025-04-18T00:00:00+03:00",
        "status     never in force",
        &format!("truce verify --data {data}"),
        "truce export",
        "truce serve",
    ] {
        assert!(out.contains(want), "{want:?} not in\n{out}");
    }
    let verify = truce(&["verify", "--data", data]);
    assert!(
        verify.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    let size = |o: &str| {
        o.lines()
            .find_map(|l| l.split("log size ").nth(1).map(str::to_string))
    };
    // The replay streamed every entry of the log and recomputed verdicts.
    let vout = String::from_utf8_lossy(&verify.stdout).to_string();
    let replayed = vout
        .lines()
        .find_map(|l| l.trim().strip_prefix("replayed "))
        .unwrap_or_else(|| panic!("no replay line in\n{vout}"));
    let (n, rest) = replayed.split_once(" entries: ").unwrap();
    assert_eq!(Some(n.to_string()), size(&out), "{vout}");
    let verdicts: u64 = rest.split(' ').next().unwrap().parse().unwrap();
    assert!(verdicts > 0, "{vout}");

    // Again: everything is found by hash, the log does not move.
    let again = truce(&["demo", "--data", data]);
    let out2 = String::from_utf8_lossy(&again.stdout).to_string();
    assert!(again.status.success());
    assert!(out2.contains(": 0 new,"), "{out2}");
    assert_eq!(size(&out2), size(&out));

    // Exports: CSV with its header, GeoJSON that parses, one JSON object per line.
    let csv = truce(&["export", "--data", data, "--format", "csv"]);
    let csv = String::from_utf8_lossy(&csv.stdout).to_string();
    assert!(
        csv.starts_with("event_id_cnty,event_date,time_precision,actor1,actor2,"),
        "{csv}"
    );
    let geo = truce(&["export", "--data", data, "--format", "geojson"]);
    let geo: serde_json::Value = serde_json::from_slice(&geo.stdout).unwrap();
    let features = geo["features"].as_array().unwrap();
    assert!(!features.is_empty());
    // One CRLF-terminated record per event after the header.
    assert_eq!(csv.matches("\r\n").count(), features.len() + 1);
    let jsonl = truce(&["export", "--data", data, "--format", "jsonl"]);
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&jsonl.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), features.len());
}

/// `truce check` tells sources apart as ingest does: by the sidecar's `outlet`, else the URL's
/// host, else the file. Two outlets' own reports of one strike are two independent sources; one
/// outlet's two reports are one.
#[test]
fn check_counts_independent_sources_by_sidecar_outlet() {
    let t = tempfile::tempdir().unwrap();
    let texts = [
        "Russian drones struck a substation in Kharkiv overnight, our correspondent in the city \
         saw. Two people were injured.\n",
        "A Russian drone attack overnight hit an energy substation in Kharkiv, leaving two people \
         injured, a reporter at the scene saw.\n",
    ];
    for (outlets, want) in [(["Wire A", "Wire A"], 1), (["Wire A", "Daily B"], 2)] {
        let dir = t.path().join(format!("case{want}"));
        std::fs::create_dir_all(&dir).unwrap();
        for (k, (text, outlet)) in texts.iter().zip(outlets).enumerate() {
            std::fs::write(dir.join(format!("r{k}.txt")), text).unwrap();
            let side = serde_json::json!({"published": "2025-04-02", "outlet": outlet});
            std::fs::write(dir.join(format!("r{k}.meta.json")), side.to_string()).unwrap();
        }
        let out = truce(&[
            "check",
            "--agreements",
            "examples/agreements",
            "--format",
            "json",
            dir.to_str().unwrap(),
        ]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let events = v["events"].as_array().unwrap();
        assert_eq!(events.len(), 1, "{stdout}");
        assert_eq!(
            events[0]["sources"].as_array().unwrap().len(),
            2,
            "{stdout}"
        );
        assert_eq!(
            events[0]["independent_sources"], want,
            "{outlets:?}: {stdout}"
        );
        let mut named: Vec<&str> = events[0]["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["outlet"].as_str().unwrap())
            .collect();
        named.sort_unstable();
        let mut given = outlets.to_vec();
        given.sort_unstable();
        assert_eq!(named, given, "{stdout}");
    }
}
